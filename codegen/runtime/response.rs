//! Per-request settings, and a decoded response with its HTTP metadata.

use super::RetryPolicy;
use std::time::Duration;

/// Settings of one request that override the client's. Every request builder
/// carries one and sets it with `.retry(…)` and `.request_timeout(…)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[doc(hidden)]
pub struct RequestOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) timeout: Option<Duration>,
}

/// Adds the per-request setters to a request builder with a
/// `options: RequestOptions` field. Used by the generated resource modules, so
/// each operation carries one line instead of the same methods again.
#[doc(hidden)]
#[macro_export]
macro_rules! request_options {
    ($builder:ident) => {
        impl $builder {
            /// Retries this request under `policy` instead of the client's
            /// [`RetryPolicy`]($crate::runtime::RetryPolicy).
            pub fn retry(mut self, policy: $crate::runtime::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// Time allowed for each attempt of this request, from sending to the
            /// end of the response body, instead of the client's
            /// [`timeout`]($crate::ClientBuilder::timeout).
            pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }
        }
    };
}

/// A decoded response body with the HTTP status and headers it came with
/// (what `send_with_meta()` returns).
#[derive(Debug, Clone)]
pub struct Response<T> {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) attempts: u32,
    pub(crate) body: T,
}

impl<T> Response<T> {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Every response header, as received.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The `Twilio-Request-Id` header, to quote to Twilio support.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// How many attempts the call took (1 when nothing was retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping the metadata.
    pub fn into_body(self) -> T {
        self.body
    }
}

pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    headers.get("twilio-request-id").and_then(|v| v.to_str().ok())
}
