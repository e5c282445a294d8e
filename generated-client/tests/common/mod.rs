//! Helpers shared by the generated client's test binaries.

use twilio_flex::{Client, Credentials};

/// The auth token of every test client; tests check it never leaks into output.
pub const TOKEN: &str = "secret-token-123";

/// A client with test credentials that sends every request to `url`.
pub fn client_for(url: &str) -> Client {
    Client::builder(Credentials::auth_token(
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        TOKEN,
    ))
    .base_url(url)
    .build()
    .expect("client")
}
