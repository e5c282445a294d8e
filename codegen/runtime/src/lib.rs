//! The HTTP runtime shared by every generated operation: client and configuration,
//! retries, pagination, the error type, request encoding, client-side validation,
//! and webhook signature checks.
//!
//! The generated Twilio crates (`twilio-flex`, `twilio`) depend on it and re-export
//! it as their `runtime` module, so an application using several of them has one
//! [`Client`], one [`Error`] and one set of SID types' machinery.

mod client;
mod encode;
mod error;
#[doc(hidden)]
pub mod liberal;
#[doc(hidden)]
pub mod object;
mod open_enum;
mod page;
#[cfg(feature = "pattern")]
#[doc(hidden)]
pub mod pattern;
mod response;
mod retry;
mod sid;
pub mod sids;
mod stream;
#[doc(hidden)]
pub mod validate;
mod webhook;

pub use client::{user_agent, Client, ClientBuilder, Credentials};
#[doc(hidden)]
pub use encode::{Request, ToParam};
pub use error::{ApiError, Error};
pub use object::Lenient;
pub use page::{FlatPage, ItemsMember, NextPage, Page};
#[doc(hidden)]
pub use response::RequestOptions;
pub use response::{Call, Response};
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use sid::is_valid_sid;
pub use sid::{IntoSid, InvalidSid, Sid};
#[doc(hidden)]
pub use stream::at_page_url;
pub use stream::{ItemStream, MAX_EMPTY_PAGES, RECENT_PAGES};
pub use webhook::{body_sha256, RequestValidator};

/// Whether `value` is a JSON object whose members are all in `names` (how a
/// `oneOf` alternative with `additionalProperties: false` is recognised).
#[doc(hidden)]
pub fn has_only_members(value: &serde_json::Value, names: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.keys().all(|k| names.contains(&k.as_str())))
}
