use super::encode::Request;
use super::error::{api_error, excerpt_redacting};
use super::response::{request_id, Response};
use super::retry::{parse_retry_after, Decision, Failure};
use super::{Error, RetryPolicy};
use reqwest::header::{HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// Credentials: the account's, sent as HTTP Basic auth (an auth token or an API
/// key), and/or an OAuth 2 client's (client id and secret), exchanged at the
/// operation's token endpoint for access tokens sent as `Authorization: Bearer`
/// (operations whose spec names an OAuth 2 `clientCredentials` scheme).
#[derive(Clone)]
pub struct Credentials {
    account_sid: String,
    /// Basic auth user name (the account SID or API key SID) and secret.
    basic: Option<(String, String)>,
    oauth2: Option<OAuthClient>,
}

/// An OAuth 2 client registered with Twilio.
#[derive(Clone)]
struct OAuthClient {
    client_id: String,
    client_secret: String,
}

impl Credentials {
    /// An account SID (`AC…`) and its auth token.
    pub fn auth_token(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        let account_sid = account_sid.into();
        Credentials {
            basic: Some((account_sid.clone(), auth_token.into())),
            account_sid,
            oauth2: None,
        }
    }

    /// An API key (`SK…`) and its secret, acting for `account_sid`.
    pub fn api_key(
        account_sid: impl Into<String>,
        key_sid: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        Credentials {
            account_sid: account_sid.into(),
            basic: Some((key_sid.into(), secret.into())),
            oauth2: None,
        }
    }

    /// An OAuth 2 client (client id and secret) alone: for APIs authorised with
    /// client-credentials access tokens (Twilio's Organizations API). Operations
    /// that need account credentials fail with `Error::Config` before sending.
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Credentials {
            account_sid: String::new(),
            basic: None,
            oauth2: None,
        }
        .with_client_credentials(client_id, client_secret)
    }

    /// Adds an OAuth 2 client to account credentials: operations that accept an
    /// access token use it, the others keep Basic auth.
    pub fn with_client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.oauth2 = Some(OAuthClient {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        });
        self
    }

    /// The account the client acts for (empty for an OAuth 2 client alone).
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }
}

impl fmt::Debug for Credentials {
    // Secrets never appear in Debug output (or therefore in logs and panics).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account_sid", &self.account_sid)
            .field("username", &self.basic.as_ref().map(|(u, _)| u))
            .field("secret", &self.basic.as_ref().map(|_| "<redacted>"))
            .field("client_id", &self.oauth2.as_ref().map(|c| &c.client_id))
            .field("client_secret", &self.oauth2.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A cached access token: the header to send and when to fetch a new one.
struct AccessToken {
    /// `Bearer …`, marked sensitive.
    header: HeaderValue,
    refresh_at: Instant,
}

/// How long before its expiry an access token is replaced: a minute, or half
/// its lifetime if that is shorter.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 2).min(Duration::from_secs(60))
}

/// The entry point: holds credentials, configuration and the connection pool.
/// Cheap to clone; clones share the pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    credentials: Credentials,
    /// `Authorization: Basic …`, encoded once and marked sensitive (when the
    /// credentials include the account's).
    authorization: Option<HeaderValue>,
    /// OAuth 2 access tokens by token endpoint. The lock is held while one is
    /// fetched, so concurrent requests wait for a single fetch.
    tokens: tokio::sync::Mutex<Vec<((&'static str, &'static str), AccessToken)>>,
    user_agent: HeaderValue,
    base_url: Option<reqwest::Url>,
    region: Option<String>,
    edge: Option<String>,
    timeout: Option<Duration>,
    total_timeout: Duration,
    max_response_bytes: usize,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    // Credentials print redacted; the encoded Authorization header is left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Client")
            .field("credentials", &i.credentials)
            .field("base_url", &i.base_url.as_ref().map(|u| u.as_str()))
            .field("region", &i.region)
            .field("edge", &i.edge)
            .field("timeout", &i.timeout)
            .field("total_timeout", &i.total_timeout)
            .field("max_response_bytes", &i.max_response_bytes)
            .field("retry", &i.retry)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`].
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    credentials: Credentials,
    base_url: Option<String>,
    region: Option<String>,
    edge: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    max_response_bytes: Option<usize>,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
}

/// Default time allowed for each attempt of a request.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time allowed to establish a connection.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole call: every attempt and the waits between them.
const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);
/// Default bound on a success response body. Twilio's largest pages (1,000
/// items of a few KiB) stay well under it.
const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// How much of an error response body is read: enough for Twilio's error JSON
/// or the start of an HTML page, which is all an error message uses.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// `twilio-flex/0.1.0 (linux x86_64) rust/1.85.0`: this crate and version, the
/// platform, and the compiler that built it (read by the crate's `build.rs`).
pub fn user_agent() -> String {
    format!(
        "{}/{} ({} {}) rust/{}",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("TWILIO_CLIENT_RUSTC_VERSION"),
    )
}

impl ClientBuilder {
    /// Sends every request to `url` (scheme, host and port) instead of Twilio's
    /// hosts, keeping each operation's path. For tests, mocks and proxies.
    /// Next-page links to the API's own host are followed through it. A URL with
    /// credentials (`user:pass@`), a query or a fragment is refused by
    /// [`build`](Self::build).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Twilio region (`au1`, `ie1`, …): `flex-api.twilio.com` becomes `flex-api.au1.twilio.com`.
    /// Must be one DNS label (letters, digits, inner `-`), checked by [`build`](Self::build).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Twilio edge location (`sydney`, `dublin`, …). Must be one DNS label,
    /// checked by [`build`](Self::build).
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Time allowed for each attempt of a request, from sending to the end of the
    /// response body (default 30 s). Requests override it with `.request_timeout(…)`.
    /// Zero is refused by [`build`](Self::build).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed for a whole call, every attempt and every wait between
    /// retries included (default 60 s): no retry starts that could not finish
    /// in time, and the attempt running at the deadline is cut short. Requests
    /// override it with `.total_timeout(…)`. Zero is refused by [`build`](Self::build).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = Some(timeout);
        self
    }

    /// The largest success response body read, in bytes (default 16 MiB); a
    /// larger one fails the call with [`Error::ResponseTooLarge`] as soon as the
    /// bound is passed, without reading the rest. Error bodies are read up to
    /// 64 KiB and cut there. Zero is refused by [`build`](Self::build).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Time allowed to establish a connection (default 10 s). Not available with
    /// [`http_client`](Self::http_client), whose own setting applies. Zero is
    /// refused by [`build`](Self::build).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`]).
    /// Requests override it with `.retry(…)`.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Uses this `reqwest` client (its pool, proxy, TLS, connect-timeout and
    /// redirect settings). This crate's User-Agent, timeout and retries still
    /// apply. Build it with `redirect(reqwest::redirect::Policy::none())` so that
    /// operations documented with a redirect (3xx) return it instead of following it.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client; fails on an invalid base URL (or one with
    /// credentials, a query or a fragment), a region or edge that is not a DNS
    /// label, a zero timeout or body bound, credentials that cannot go in a
    /// header, a connect timeout set together with a custom HTTP client, or if
    /// TLS cannot be set up.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = match self.base_url {
            Some(u) => Some(parse_override(&u)?),
            None => None,
        };
        for (what, label) in [("region", &self.region), ("edge", &self.edge)] {
            if let Some(label) = label {
                check_dns_label(what, label)?;
            }
        }
        for (what, t) in [
            ("timeout", self.timeout),
            ("connect_timeout", self.connect_timeout),
            ("total_timeout", self.total_timeout),
        ] {
            if t == Some(Duration::ZERO) {
                return Err(Error::Config(format!(
                    "{what} must be longer than zero (there is no \"no timeout\" setting)"
                )));
            }
        }
        if self.max_response_bytes == Some(0) {
            return Err(Error::Config(
                "max_response_bytes must be at least 1".into(),
            ));
        }
        let http = match (self.http, self.connect_timeout) {
            (Some(_), Some(_)) => {
                return Err(Error::Config(
                    "a connect timeout cannot be applied to a custom reqwest::Client: set it on that client".into(),
                ))
            }
            (Some(h), None) => h,
            // Redirects are not followed: an operation documented with a 3xx
            // decodes it (its body names the target), and following one elsewhere
            // would be a request the caller never made.
            // If another crate in the application enables reqwest's gzip, brotli
            // or deflate features, reqwest would negotiate compression and
            // inflate bodies; `Accept-Encoding: identity` (on every request)
            // asks for none, and the body bound applies to inflated bytes anyway.
            (None, connect) => reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(connect.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .build()
                .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?,
        };
        let user_agent = HeaderValue::from_str(&user_agent())
            .map_err(|e| Error::Config(format!("User-Agent: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                authorization: match &self.credentials.basic {
                    Some((user, secret)) => Some(basic_auth(user, secret)?),
                    None => None,
                },
                tokens: tokio::sync::Mutex::new(vec![]),
                user_agent,
                http,
                credentials: self.credentials,
                base_url,
                region: self.region,
                edge: self.edge,
                timeout: self.timeout.or(Some(DEFAULT_TIMEOUT)),
                total_timeout: self.total_timeout.unwrap_or(DEFAULT_TOTAL_TIMEOUT),
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                retry: self.retry,
            }),
        })
    }
}

/// The `Authorization` header for `c`, encoded by reqwest itself and marked
/// sensitive (so http never prints it), built once instead of per request.
fn basic_auth(user: &str, secret: &str) -> Result<HeaderValue, Error> {
    let req = reqwest::Client::new()
        .get("http://localhost/")
        .basic_auth(user, Some(secret))
        .build()
        .map_err(|_| Error::Config("the credentials cannot be sent in an HTTP header".into()))?;
    req.headers()
        .get(reqwest::header::AUTHORIZATION)
        .cloned()
        .ok_or_else(|| Error::Config("the credentials cannot be sent in an HTTP header".into()))
}

/// A base-URL override: an http(s) URL with nothing that would travel with
/// every request unseen (credentials) or be lost or mangled when operation
/// paths are appended (query, fragment).
fn parse_override(u: &str) -> Result<reqwest::Url, Error> {
    let url = parse_base(u)?;
    // The text is not echoed: it may hold a password.
    let host = url.host_str().unwrap_or("").to_string();
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!(
            "the base URL for host `{host}` carries credentials (`user:password@`): they would be sent beside the client's own; give credentials to Client::builder"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "the base URL for host `{host}` has a query or fragment: give scheme, host, port and optionally a path prefix"
        )));
    }
    Ok(url)
}

/// A region or edge is spliced into a host name, so it must be exactly one DNS
/// label: 1–63 ASCII letters, digits and inner hyphens. Anything else (`.`,
/// `:`, `@`, `/`, empty) could name another host or port.
fn check_dns_label(what: &str, label: &str) -> Result<(), Error> {
    let ok = (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    if ok {
        Ok(())
    } else {
        let shown: String = label.escape_debug().take(80).collect();
        Err(Error::Config(format!(
            "{what} `{shown}` is not a DNS label (1-63 letters, digits or inner `-`, like `au1` or `sydney`)"
        )))
    }
}

fn parse_base(u: &str) -> Result<reqwest::Url, Error> {
    let url = reqwest::Url::parse(u)
        .map_err(|e| Error::Config(format!("invalid base URL `{u}`: {e}")))?;
    if url.cannot_be_a_base() || !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "base URL `{u}` must be an http(s) URL"
        )));
    }
    Ok(url)
}

/// A response as received, before decoding.
pub(crate) struct Raw {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    pub(crate) attempts: u32,
    /// The members a quoted body leaves out (the request's).
    pub(crate) pii: &'static [&'static str],
}

impl Raw {
    pub(crate) fn decode<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let body = serde_json::from_slice(&self.body).map_err(|e| Error::Decode {
            status: self.status,
            message: self.decode_message(e),
            body_excerpt: excerpt_redacting(&self.body, self.pii),
        })?;
        Ok(self.with_body(body))
    }

    /// The parser's message, and why the body may be unreadable when the server
    /// compressed it although `Accept-Encoding: identity` was sent (reqwest
    /// removes the header when it inflates the body itself, so it is only seen
    /// here when nothing inflated it).
    #[cold]
    fn decode_message(&self, e: serde_json::Error) -> String {
        let encoding = self
            .headers
            .get(reqwest::header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.trim().eq_ignore_ascii_case("identity"));
        match encoding {
            Some(encoding) => {
                let shown: String = encoding.escape_debug().take(40).collect();
                format!(
                    "{e}; the server sent a `Content-Encoding: {shown}` body although `Accept-Encoding: identity` was asked for, and this client does not decompress"
                )
            }
            None => e.to_string(),
        }
    }

    pub(crate) fn with_body<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            attempts: self.attempts,
            body,
        }
    }
}

impl Client {
    /// A client with an account SID and auth token and default settings.
    pub fn new(
        account_sid: impl Into<String>,
        auth_token: impl Into<String>,
    ) -> Result<Client, Error> {
        Client::builder(Credentials::auth_token(account_sid, auth_token)).build()
    }

    /// A builder for a client with these credentials.
    pub fn builder(credentials: Credentials) -> ClientBuilder {
        ClientBuilder {
            credentials,
            base_url: None,
            region: None,
            edge: None,
            timeout: None,
            connect_timeout: None,
            total_timeout: None,
            max_response_bytes: None,
            http: None,
            retry: RetryPolicy::default(),
        }
    }

    /// A client configured from `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`
    /// (required), and `TWILIO_REGION`, `TWILIO_EDGE` and `TWILIO_BASE_URL`
    /// (optional). `TWILIO_BASE_URL` (`http://127.0.0.1:4010`) sends every request
    /// to that server instead of Twilio's, as [`ClientBuilder::base_url`] does: for
    /// mocks and proxies. An empty variable counts as unset; a malformed base URL
    /// is an [`Error::Config`] naming the variable.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder_from_env()?.build()
    }

    /// Like [`Client::from_env`], but returns the builder for further settings.
    pub fn builder_from_env() -> Result<ClientBuilder, Error> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let need = |name: &str| {
            var(name)
                .ok_or_else(|| Error::Config(format!("environment variable {name} is not set")))
        };
        let mut b = Client::builder(Credentials::auth_token(
            need("TWILIO_ACCOUNT_SID")?,
            need("TWILIO_AUTH_TOKEN")?,
        ));
        b.region = var("TWILIO_REGION");
        b.edge = var("TWILIO_EDGE");
        if let Some(url) = var("TWILIO_BASE_URL") {
            // Checked here too, so that the error names where the value came from.
            parse_override(&url).map_err(|e| Error::Config(format!("TWILIO_BASE_URL: {e}")))?;
            b.base_url = Some(url);
        }
        Ok(b)
    }

    /// The credentials' account SID.
    pub fn account_sid(&self) -> &str {
        self.inner.credentials.account_sid()
    }

    /// Scheme and host for an operation served from `spec_base`: the override if
    /// set, else the spec's host with region and edge applied as Twilio's SDKs do.
    pub(crate) fn base_for(&self, spec_base: &str) -> Result<reqwest::Url, Error> {
        match &self.inner.base_url {
            Some(b) => Ok(b.clone()),
            None => self.regional_base(spec_base),
        }
    }

    /// The base-URL override, if one is configured.
    pub(crate) fn base_override(&self) -> Option<&reqwest::Url> {
        self.inner.base_url.as_ref()
    }

    /// The spec's host as the spec gives it (`https://flex-api.twilio.com`).
    pub(crate) fn canonical_base(&self, spec_base: &str) -> Result<reqwest::Url, Error> {
        parse_base(spec_base)
    }

    /// The spec's host with region and edge applied, whether or not a base-URL
    /// override is in use (next-page links name this host).
    pub(crate) fn regional_base(&self, spec_base: &str) -> Result<reqwest::Url, Error> {
        let mut url = parse_base(spec_base)?;
        if self.inner.region.is_some() || self.inner.edge.is_some() {
            if let Some(host) = url.host_str().map(str::to_string) {
                let mut labels: Vec<&str> = host.split('.').collect();
                // flex-api.twilio.com -> flex-api[.edge][.region].twilio.com
                if labels.len() >= 3 {
                    let domain = labels.split_off(labels.len() - 2);
                    let product = labels[0];
                    let region = self.inner.region.as_deref().unwrap_or("us1");
                    let mut parts = vec![product];
                    if let Some(edge) = &self.inner.edge {
                        parts.push(edge);
                    }
                    parts.push(region);
                    parts.extend(domain);
                    let new_host = parts.join(".");
                    url.set_host(Some(&new_host))
                        .map_err(|e| Error::Config(format!("host `{new_host}`: {e}")))?;
                }
            }
        }
        Ok(url)
    }

    /// Where `req` goes: a next-page URL as given, else the operation's path on
    /// its (possibly overridden) host.
    pub(crate) fn url_for(&self, req: &Request) -> Result<reqwest::Url, Error> {
        match &req.next_url {
            Some(url) => Ok(url.clone()),
            None => req.url(self.base_for(req.base_url)?),
        }
    }

    /// Sends `req` and decodes a JSON body of type `T`.
    #[doc(hidden)]
    pub async fn execute<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        self.execute_with_meta(req).await.map(Response::into_body)
    }

    /// Sends `req` and decodes a JSON body of type `T`, keeping status and headers.
    #[doc(hidden)]
    pub async fn execute_with_meta<T: DeserializeOwned>(
        &self,
        req: Request,
    ) -> Result<Response<T>, Error> {
        let url = self.url_for(&req)?;
        self.send(&req, url).await?.decode()
    }

    /// Sends `req` and expects no body of interest (e.g. 204 No Content).
    #[doc(hidden)]
    pub async fn execute_empty(&self, req: Request) -> Result<(), Error> {
        self.execute_empty_with_meta(req)
            .await
            .map(Response::into_body)
    }

    /// Like [`execute_empty`](Self::execute_empty), keeping status and headers.
    #[doc(hidden)]
    pub async fn execute_empty_with_meta(&self, req: Request) -> Result<Response<()>, Error> {
        let url = self.url_for(&req)?;
        Ok(self.send(&req, url).await?.with_body(()))
    }

    /// Sends `req` to `url`, retrying as the request's (or else the client's)
    /// policy allows; a non-success status is an error. One tracing span covers
    /// all attempts. Not an `async fn`: the attempts' future is returned inside
    /// the span's wrapper rather than nested in one more state machine, which
    /// would be moved (a few KB copied) when the request starts.
    pub(crate) fn send<'a>(
        &'a self,
        req: &'a Request,
        url: reqwest::Url,
    ) -> impl std::future::Future<Output = Result<Raw, Error>> + Send + 'a {
        let span = tracing::debug_span!(
            "twilio.request",
            method = %req.method,
            path = req.template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        self.send_attempts(req, url, span.clone()).instrument(span)
    }

    async fn send_attempts(
        &self,
        req: &Request,
        url: reqwest::Url,
        span: tracing::Span,
    ) -> Result<Raw, Error> {
        let inner = &self.inner;
        let policy = req.options.retry.as_ref().unwrap_or(&inner.retry);
        let timeout = req.options.timeout.or(inner.timeout);
        let total = req.options.total_timeout.unwrap_or(inner.total_timeout);
        for (what, t) in [("request_timeout", timeout), ("total_timeout", Some(total))] {
            if t == Some(Duration::ZERO) {
                return Err(Error::Config(format!("{what} must be longer than zero")));
            }
        }
        let deadline = tokio::time::Instant::now() + total;
        // Encoded once; every attempt sends the same bytes.
        let body = req.body.encode()?;
        let idempotent = matches!(
            req.method,
            reqwest::Method::GET
                | reqwest::Method::HEAD
                | reqwest::Method::PUT
                | reqwest::Method::DELETE
                | reqwest::Method::OPTIONS
        );
        // A header parameter named `Authorization` replaces the Basic credentials.
        let own_auth = req
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
        let mut param_headers = HeaderMap::new();
        for (name, value) in &req.headers {
            let invalid =
                |what: &str| Error::invalid(name, format!("is not a valid HTTP header {what}"));
            let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid("name"))?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid("value"))?;
            param_headers.append(header, value);
        }
        let mut attempt = 0;
        // An access token refused with a 401 is replaced, and the request sent
        // again: once per call, outside the retry policy.
        let mut token_refused = false;
        let mut refresh_token = false;
        // The first attempt takes `url`; a retry builds it again (rare, and it
        // saves copying the URL for every request).
        let mut first_url = Some(url);
        loop {
            attempt += 1;
            span.record("attempt", attempt);
            let url = match first_url.take() {
                Some(url) => url,
                None => self.url_for(req)?,
            };
            let mut rb = inner
                .http
                .request(req.method.clone(), url)
                .header(
                    reqwest::header::ACCEPT,
                    req.accept
                        .and_then(|m| HeaderValue::from_str(m).ok())
                        .unwrap_or(HeaderValue::from_static("application/json")),
                )
                .header(
                    reqwest::header::ACCEPT_ENCODING,
                    HeaderValue::from_static("identity"),
                )
                .header(reqwest::header::USER_AGENT, inner.user_agent.clone());
            let mut bearer = false;
            if !own_auth {
                // Basic credentials are a header at hand. Anything else may
                // fetch an access token: boxed, so that its state (the token
                // lock, the token request) is not part of every request's future.
                let auth = match self.basic_authorization(req) {
                    Some(basic) => Some((basic, false)),
                    None => {
                        let refresh = std::mem::take(&mut refresh_token);
                        Box::pin(self.authorization(req, refresh, timeout)).await?
                    }
                };
                if let Some((value, is_bearer)) = auth {
                    rb = rb.header(reqwest::header::AUTHORIZATION, value);
                    bearer = is_bearer;
                }
            }
            // Each attempt gets its own timeout, cut to what is left of the total.
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            rb = rb.timeout(timeout.map_or(left, |t| t.min(left)));
            if let Some((content_type, bytes)) = &body {
                rb = rb
                    .header(reqwest::header::CONTENT_TYPE, *content_type)
                    .body(bytes.clone());
            }
            // Header parameters replace what the client would send under the same
            // name (`Accept`, `Authorization`); a list is sent as repeated headers.
            if !param_headers.is_empty() {
                rb = rb.headers(param_headers.clone());
            }
            // Read the clock and look the request id up only for a subscriber
            // that records them: the common case pays for neither.
            let traced = !span.is_disabled();
            let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
            let (failure, error) = match receive(rb.send(), inner.max_response_bytes).await {
                Ok(raw) => {
                    if traced {
                        span.record("status", raw.status);
                        if let Some(id) = request_id(&raw.headers) {
                            span.record("request_id", id);
                        }
                    }
                    tracing::debug!(
                        attempt,
                        status = raw.status,
                        elapsed_ms = started.map_or(0, |t| t.elapsed().as_millis() as u64),
                        "response"
                    );
                    if (200..300).contains(&raw.status) || Some(raw.status) == req.accept_status {
                        return Ok(Raw {
                            attempts: attempt,
                            pii: req.pii,
                            ..raw
                        });
                    }
                    if raw.status == 401 && bearer && !token_refused {
                        tracing::debug!(attempt, "access token refused; fetching a new one");
                        token_refused = true;
                        refresh_token = true;
                        continue;
                    }
                    let retry_after = raw
                        .headers
                        .get(reqwest::header::RETRY_AFTER)
                        .map(|v| parse_retry_after(v.to_str().unwrap_or(""), SystemTime::now()));
                    let id = request_id(&raw.headers).map(str::to_string);
                    (
                        Failure::Status(raw.status, retry_after),
                        api_error(raw.status, id, &raw.body, req.pii),
                    )
                }
                Err(Received::TooLarge(status)) => {
                    return Err(Error::ResponseTooLarge {
                        status,
                        limit: inner.max_response_bytes,
                    })
                }
                Err(Received::Failed(e)) => {
                    let failure = if e.is_connect() {
                        Failure::Connect
                    } else {
                        Failure::Sent
                    };
                    (failure, Error::from_reqwest(e))
                }
            };
            match policy.decide(attempt, failure, idempotent) {
                Decision::Retry(wait) if tokio::time::Instant::now() + wait >= deadline => {
                    tracing::debug!(attempt, "not retrying: the total timeout would pass");
                    return Err(error);
                }
                Decision::Retry(wait) => {
                    if let Failure::Status(_, Some(super::retry::RetryAfter::Invalid)) = failure {
                        tracing::warn!("ignoring an unreadable Retry-After header");
                    }
                    tracing::info!(
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        error = %error,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                Decision::GiveUp(why) => {
                    tracing::debug!(attempt, reason = why, "not retrying");
                    return Err(error);
                }
            }
        }
    }
}

impl Client {
    /// The Basic `Authorization` value, when `req` takes account credentials
    /// and the client has them (the common case, decided without awaiting).
    fn basic_authorization(&self, req: &Request) -> Option<HeaderValue> {
        match &self.inner.authorization {
            Some(h) if req.auth => Some(h.clone()),
            _ => None,
        }
    }

    /// The `Authorization` value for `req` (and whether it is a bearer token):
    /// Basic when the operation takes account credentials and the client has
    /// them, else an OAuth 2 access token when it takes one and the client has
    /// an OAuth client; an error if it needs credentials the client lacks.
    async fn authorization(
        &self,
        req: &Request,
        refresh: bool,
        timeout: Option<Duration>,
    ) -> Result<Option<(HeaderValue, bool)>, Error> {
        if req.auth {
            if let Some(h) = &self.inner.authorization {
                return Ok(Some((h.clone(), false)));
            }
        }
        if let Some(endpoint) = req.oauth2 {
            if self.inner.credentials.oauth2.is_some() {
                let token = self.access_token(endpoint, refresh, timeout).await?;
                return Ok(Some((token, true)));
            }
        }
        match (req.auth, req.oauth2.is_some()) {
            (false, false) => Ok(None),
            (true, false) => Err(Error::Config(format!(
                "`{}` needs account credentials (Credentials::auth_token or api_key)",
                req.template
            ))),
            (_, true) => Err(Error::Config(format!(
                "`{}` needs account credentials or an OAuth 2 client (Credentials::client_credentials)",
                req.template
            ))),
        }
    }

    /// A valid access token from `endpoint`: the cached one unless it is near
    /// expiry or `refresh` is set, else a new one from a client-credentials
    /// grant. Neither the client secret nor the token is ever logged.
    async fn access_token(
        &self,
        endpoint: (&'static str, &'static str),
        refresh: bool,
        timeout: Option<Duration>,
    ) -> Result<HeaderValue, Error> {
        let Some(oauth) = &self.inner.credentials.oauth2 else {
            return Err(Error::Config("no OAuth 2 client credentials".into()));
        };
        let mut tokens = self.inner.tokens.lock().await;
        let cached = tokens.iter().position(|(e, _)| *e == endpoint);
        if let (Some(i), false) = (cached, refresh) {
            if Instant::now() < tokens[i].1.refresh_at {
                return Ok(tokens[i].1.header.clone());
            }
        }
        // The endpoint's path on its host, with the client's base URL, region
        // and edge applied as for any operation.
        let url = self.url_for(&Request::new(
            reqwest::Method::POST,
            endpoint.0,
            endpoint.1,
            false,
            Default::default(),
            &[],
        ))?;
        let form = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([
                ("grant_type", "client_credentials"),
                ("client_id", oauth.client_id.as_str()),
                ("client_secret", oauth.client_secret.as_str()),
            ])
            .finish();
        let mut rb = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, self.inner.user_agent.clone())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form);
        if let Some(t) = timeout {
            rb = rb.timeout(t);
        }
        // Read with the same bound as any response.
        let limit = self.inner.max_response_bytes;
        let raw = match receive(rb.send(), limit).await {
            Ok(raw) => raw,
            Err(Received::Failed(e)) => return Err(Error::from_reqwest(e)),
            Err(Received::TooLarge(status)) => {
                return Err(Error::ResponseTooLarge { status, limit })
            }
        };
        if !(200..300).contains(&raw.status) {
            let id = request_id(&raw.headers).map(str::to_string);
            return Err(api_error(raw.status, id, &raw.body, &[]));
        }
        let (token, lifetime) = token_response(raw.status, &raw.body)?;
        let mut header =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| Error::Decode {
                status: raw.status,
                message: "the access token cannot be sent in an HTTP header".into(),
                body_excerpt: String::new(),
            })?;
        header.set_sensitive(true);
        tracing::debug!(
            expires_in_s = lifetime.as_secs(),
            "fetched an OAuth 2 access token"
        );
        let entry = AccessToken {
            header: header.clone(),
            refresh_at: Instant::now() + lifetime - refresh_margin(lifetime),
        };
        match cached {
            Some(i) => tokens[i].1 = entry,
            None => tokens.push((endpoint, entry)),
        }
        Ok(header)
    }
}

/// The access token and its lifetime from a token endpoint's JSON (RFC 6749
/// §5.1: `access_token`, `expires_in` in seconds, as a number or text; an hour
/// when absent). A decode error never shows the body: it holds the token.
fn token_response(status: u16, body: &[u8]) -> Result<(String, Duration), Error> {
    let bad = |what: &str| Error::Decode {
        status,
        message: format!("not an OAuth 2 token response: {what}"),
        body_excerpt: "<withheld: may contain an access token>".into(),
    };
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|_| bad("not JSON"))?;
    let token = v
        .get("access_token")
        .and_then(serde_json::Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("no `access_token` text"))?;
    let seconds = match v.get("expires_in") {
        None | Some(serde_json::Value::Null) => 3600,
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| bad("`expires_in` is not a whole number"))?,
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| bad("`expires_in` is not a whole number"))?,
        Some(_) => return Err(bad("`expires_in` is not a number")),
    };
    // At most a day: a token is re-fetched at least that often whatever the
    // endpoint says.
    Ok((token.to_string(), Duration::from_secs(seconds.min(86_400))))
}

/// Why an attempt produced no [`Raw`] response.
enum Received {
    /// Sending failed, or reading the body did.
    Failed(reqwest::Error),
    /// A success body passed the bound (the status is kept for the error).
    TooLarge(u16),
}

/// Sends one attempt and reads the response body, chunk by chunk, up to
/// `max_bytes` for a success and [`MAX_ERROR_BODY_BYTES`] for anything else.
/// A success body past its bound is an error (decoding half of it would be
/// wrong); an error body is cut there, as only its start is ever shown. The
/// rest is never read: dropping the response closes the connection.
/// Takes the request as sent (`rb.send()`, a boxed future) rather than its
/// builder, which would otherwise be part of this future's state.
async fn receive(
    sent: impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    max_bytes: usize,
) -> Result<Raw, Received> {
    let mut resp = sent.await.map_err(Received::Failed)?;
    let status = resp.status().as_u16();
    let success = resp.status().is_success();
    let limit = if success {
        max_bytes
    } else {
        max_bytes.min(MAX_ERROR_BODY_BYTES)
    };
    let headers = std::mem::take(resp.headers_mut());
    let declared = resp.content_length();
    if success && declared.is_some_and(|n| n > limit as u64) {
        return Err(Received::TooLarge(status));
    }
    let mut body = BoundedBody::new(declared, limit);
    while let Some(chunk) = resp.chunk().await.map_err(Received::Failed)? {
        if !body.push(chunk) {
            if success {
                return Err(Received::TooLarge(status));
            }
            break;
        }
    }
    Ok(Raw {
        status,
        headers,
        body: body.finish(),
        attempts: 0,
        pii: &[],
    })
}

/// A body being read, never holding more than its bound. A body that arrives
/// as one chunk (most of them) is kept as received, without a copy. Otherwise
/// it is kept in segments that are filled and never grown, so no reallocation
/// ever holds an old and a new copy at once: while a body arrives, memory is
/// the bytes read plus at most one partly filled segment. (A body of several
/// segments is joined once at the end, as reading it whole also did.)
struct BoundedBody {
    /// The first chunk, while it is the only one.
    single: Option<bytes::Bytes>,
    full: Vec<Vec<u8>>,
    current: Vec<u8>,
    len: usize,
    limit: usize,
    /// The declared length, for the first segment's size.
    declared: Option<u64>,
}

/// The largest segment: the most a body's buffer may hold unused.
const SEGMENT: usize = 64 * 1024;

impl BoundedBody {
    fn new(declared: Option<u64>, limit: usize) -> Self {
        BoundedBody {
            single: None,
            full: Vec::new(),
            current: Vec::new(),
            len: 0,
            limit,
            declared,
        }
    }

    /// Appends what fits under the bound; false if `chunk` did not all fit.
    fn push(&mut self, chunk: bytes::Bytes) -> bool {
        let room = self.limit - self.len;
        if self.len == 0 && chunk.len() <= room {
            self.len = chunk.len();
            self.single = Some(chunk);
            return true;
        }
        if let Some(first) = self.single.take() {
            // A second chunk: from now on, segments. The first segment has
            // room for the declared length (within the bound), if there is one.
            let size = self
                .declared
                .map_or(8 * 1024, |n| n as usize)
                .min(self.limit);
            self.current = Vec::with_capacity(size);
            self.len = 0;
            self.append(&first);
        }
        let fits = chunk.len() <= room;
        self.append(&chunk[..chunk.len().min(room)]);
        fits
    }

    fn append(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.current.len() == self.current.capacity() {
                let next = (self.current.capacity() * 2).clamp(8 * 1024, SEGMENT);
                let next = next.min(self.limit - self.len);
                let full = std::mem::replace(&mut self.current, Vec::with_capacity(next));
                if !full.is_empty() {
                    self.full.push(full);
                }
            }
            let n = (self.current.capacity() - self.current.len()).min(data.len());
            self.current.extend_from_slice(&data[..n]);
            self.len += n;
            data = &data[n..];
        }
    }

    fn finish(mut self) -> bytes::Bytes {
        if let Some(single) = self.single {
            return single;
        }
        if self.full.is_empty() {
            return self.current.into();
        }
        self.full.push(self.current);
        self.full.concat().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(region: Option<&str>, edge: Option<&str>) -> String {
        let mut b = Client::builder(Credentials::auth_token("ACx", "t"));
        if let Some(r) = region {
            b = b.region(r);
        }
        if let Some(e) = edge {
            b = b.edge(e);
        }
        let client = b.build().unwrap();
        let url = client.base_for("https://flex-api.twilio.com").unwrap();
        url.host_str().unwrap().to_string()
    }

    #[test]
    fn region_and_edge_rewrite_the_host_as_twilios_sdks_do() {
        assert_eq!(host(None, None), "flex-api.twilio.com");
        assert_eq!(host(Some("au1"), None), "flex-api.au1.twilio.com");
        // An edge without a region implies the default region, us1.
        assert_eq!(host(None, Some("sydney")), "flex-api.sydney.us1.twilio.com");
        assert_eq!(
            host(Some("au1"), Some("sydney")),
            "flex-api.sydney.au1.twilio.com"
        );
    }

    #[test]
    fn a_base_url_override_wins_over_region_and_edge() {
        let client = Client::builder(Credentials::auth_token("ACx", "t"))
            .region("au1")
            .edge("sydney")
            .base_url("http://127.0.0.1:4010")
            .build()
            .unwrap();
        let url = client.base_for("https://flex-api.twilio.com").unwrap();
        assert_eq!(url.as_str(), "http://127.0.0.1:4010/");
    }
}
