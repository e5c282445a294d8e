//! Per-request settings, the future a request is, and a decoded response with
//! its HTTP metadata.

use super::{Client, Error, Request, RetryPolicy};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Settings of one request that override the client's. Every request builder
/// carries one and sets it with `.retry(…)`, `.request_timeout(…)` and
/// `.total_timeout(…)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[doc(hidden)]
pub struct RequestOptions {
    // Public for `request_options!`, which expands in the generated crates.
    pub retry: Option<RetryPolicy>,
    pub timeout: Option<Duration>,
    pub total_timeout: Option<Duration>,
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
            /// [`RetryPolicy`]($crate::RetryPolicy).
            pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
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

            /// Time allowed for this whole call, every attempt and wait between
            /// retries included, instead of the client's
            /// [`total_timeout`]($crate::ClientBuilder::total_timeout).
            pub fn total_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.total_timeout = Some(timeout);
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
    headers
        .get("twilio-request-id")
        .and_then(|v| v.to_str().ok())
}

/// The future of one request, as `send()` and `send_with_meta()` return it:
/// `.await` it for the result.
///
/// It is one boxed future built by the runtime, not an `async fn` per
/// operation: a crate with hundreds of operations would otherwise type-check and
/// borrow-check hundreds of state machines, which was a third of its build time.
/// The box costs one allocation per request. Each one awaits
/// `Client::send` directly rather than through further `async fn`
/// layers: every layer is a nested state machine that is moved (copied) when it
/// starts, and the request's state is a few KB.
#[must_use = "a request does nothing until it is `.await`ed"]
pub struct Call<T>(Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>);

impl<T> Future for Call<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx)
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call")
    }
}

/// A prepared request: the checked parameters placed in a request, or the
/// error that stopped it before anything was sent.
type Prepared = Result<(Client, Request), Error>;

impl<T: DeserializeOwned + Send + 'static> Call<T> {
    /// Sends `prepared` and decodes its JSON body.
    #[doc(hidden)]
    pub fn decode(prepared: Prepared) -> Self {
        Call(Box::pin(async move {
            let (client, req) = prepared?;
            let url = client.url_for(&req)?;
            client
                .send(&req, url)
                .await?
                .decode()
                .map(Response::into_body)
        }))
    }
}

impl<T: DeserializeOwned + Send + 'static> Call<Response<T>> {
    /// Sends `prepared` and decodes its JSON body, keeping status and headers.
    #[doc(hidden)]
    pub fn decode_with_meta(prepared: Prepared) -> Self {
        Call(Box::pin(async move {
            let (client, req) = prepared?;
            let url = client.url_for(&req)?;
            client.send(&req, url).await?.decode()
        }))
    }
}

impl Call<()> {
    /// Sends `prepared`, expecting no body of interest (e.g. 204 No Content).
    #[doc(hidden)]
    pub fn empty(prepared: Prepared) -> Self {
        Call(Box::pin(async move {
            let (client, req) = prepared?;
            let url = client.url_for(&req)?;
            client.send(&req, url).await.map(|_| ())
        }))
    }
}

impl Call<Response<()>> {
    /// Like [`Call::empty`], keeping status and headers.
    #[doc(hidden)]
    pub fn empty_with_meta(prepared: Prepared) -> Self {
        Call(Box::pin(async move {
            let (client, req) = prepared?;
            let url = client.url_for(&req)?;
            Ok(client.send(&req, url).await?.with_body(()))
        }))
    }
}
