//! Nothing here: see `benches/client.rs`.
