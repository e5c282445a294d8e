//! The HTTP runtime shared by every generated operation: client and configuration,
//! retries, pagination, the error type, request encoding and client-side validation.

mod client;
mod encode;
mod error;
mod page;
mod response;
mod retry;
mod sid;
mod stream;
#[doc(hidden)]
pub mod validate;

pub use client::{user_agent, Client, ClientBuilder, Credentials};
#[doc(hidden)]
pub use encode::{Request, ToParam};
pub use error::{ApiError, Error};
pub use page::{NextPage, Page};
#[doc(hidden)]
pub use response::RequestOptions;
pub use response::Response;
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use sid::is_valid_sid;
pub use sid::{IntoSid, InvalidSid, Sid};
pub use stream::ItemStream;

/// Serde helpers for the date formats Twilio uses.
#[doc(hidden)]
pub mod serde_time {
    pub use time::serde::rfc3339;
    // `YYYY-MM-DD` dates.
    time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");
}
