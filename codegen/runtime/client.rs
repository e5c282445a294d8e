use super::encode::{Body, Request};
use super::error::{api_error, excerpt};
use super::Error;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Account credentials, sent as HTTP Basic auth.
#[derive(Clone)]
pub struct Credentials {
    account_sid: String,
    username: String,
    secret: String,
}

impl Credentials {
    /// An account SID (`AC…`) and its auth token.
    pub fn auth_token(account_sid: impl Into<String>, auth_token: impl Into<String>) -> Self {
        let account_sid = account_sid.into();
        Credentials {
            username: account_sid.clone(),
            account_sid,
            secret: auth_token.into(),
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
            username: key_sid.into(),
            secret: secret.into(),
        }
    }

    /// The account the client acts for.
    pub fn account_sid(&self) -> &str {
        &self.account_sid
    }
}

impl fmt::Debug for Credentials {
    // The secret never appears in Debug output (or therefore in logs and panics).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("account_sid", &self.account_sid)
            .field("username", &self.username)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// The entry point: holds credentials, configuration and the connection pool.
/// Cheap to clone; clones share the pool.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    credentials: Credentials,
    base_url: Option<reqwest::Url>,
    region: Option<String>,
    edge: Option<String>,
    timeout: Option<Duration>,
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
    http: Option<reqwest::Client>,
}

/// `twilio-flex/0.1.0 (linux x86_64)`: names this crate and version.
fn user_agent() -> String {
    format!(
        "{}/{} ({} {})",
        env!("CARGO_PKG_NAME"),
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

impl ClientBuilder {
    /// Sends every request to `url` (scheme, host and port) instead of Twilio's
    /// hosts, keeping each operation's path. For tests, mocks and proxies.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Twilio region (`au1`, `ie1`, …): `flex-api.twilio.com` becomes `flex-api.au1.twilio.com`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Twilio edge location (`sydney`, `dublin`, …).
    pub fn edge(mut self, edge: impl Into<String>) -> Self {
        self.edge = Some(edge.into());
        self
    }

    /// Total time allowed for each request, from sending to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Uses this `reqwest` client (its pool, proxy, TLS and redirect settings).
    /// The builder's connect timeout does not apply to it; build it with
    /// `redirect(reqwest::redirect::Policy::none())` so that operations documented
    /// with a redirect (3xx) return it instead of following it.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Builds the client; fails on an invalid base URL or if TLS cannot be set up.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = match self.base_url {
            Some(u) => Some(parse_base(&u)?),
            None => None,
        };
        let http = match self.http {
            Some(h) => h,
            None => {
                // Redirects are not followed: an operation documented with a 3xx
                // decodes it (its body names the target), and following one
                // elsewhere would be a request the caller never made.
                let mut b = reqwest::Client::builder()
                    .user_agent(user_agent())
                    .redirect(reqwest::redirect::Policy::none());
                if let Some(t) = self.connect_timeout {
                    b = b.connect_timeout(t);
                }
                b.build()
                    .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                credentials: self.credentials,
                base_url,
                region: self.region,
                edge: self.edge,
                timeout: self.timeout,
            }),
        })
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
            http: None,
        }
    }

    /// A client configured from `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`
    /// (required), and `TWILIO_REGION` and `TWILIO_EDGE` (optional).
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
        Ok(b)
    }

    /// The credentials' account SID.
    pub fn account_sid(&self) -> &str {
        self.inner.credentials.account_sid()
    }

    /// Scheme and host for an operation served from `spec_base`: the override if
    /// set, else the spec's host with region and edge applied as Twilio's SDKs do.
    fn base_for(&self, spec_base: &str) -> Result<reqwest::Url, Error> {
        if let Some(b) = &self.inner.base_url {
            return Ok(b.clone());
        }
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

    /// Sends `req` and decodes a JSON body of type `T`.
    #[doc(hidden)]
    pub async fn execute<T: DeserializeOwned>(&self, req: Request) -> Result<T, Error> {
        let (status, body) = self.send(req).await?;
        serde_json::from_slice(&body).map_err(|e| Error::Decode {
            status,
            message: e.to_string(),
            body_excerpt: excerpt(&body),
        })
    }

    /// Sends the request a builder prepared (or returns the error it found) and
    /// decodes a JSON body of type `T`. Every operation's `send()` is this one
    /// future, so the generated crate carries no async code per operation.
    #[doc(hidden)]
    pub async fn run<T: DeserializeOwned>(self, req: Result<Request, Error>) -> Result<T, Error> {
        self.execute(req?).await
    }

    /// Like [`Client::run`], for a response with no body of interest.
    #[doc(hidden)]
    pub async fn run_empty(self, req: Result<Request, Error>) -> Result<(), Error> {
        self.execute_empty(req?).await
    }

    /// Sends `req` and expects no body of interest (e.g. 204 No Content).
    #[doc(hidden)]
    pub async fn execute_empty(&self, req: Request) -> Result<(), Error> {
        self.send(req).await.map(|_| ())
    }

    async fn send(&self, req: Request) -> Result<(u16, bytes::Bytes), Error> {
        let base = self.base_for(req.base_url)?;
        let accept_status = req.accept_status;
        let url = req.url(&base)?;
        let mut rb = self
            .inner
            .http
            .request(req.method.clone(), url)
            .header(reqwest::header::ACCEPT, "application/json");
        // A header parameter named `Authorization` replaces the Basic credentials.
        let own_auth = req
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
        if req.auth && !own_auth {
            let c = &self.inner.credentials;
            rb = rb.basic_auth(&c.username, Some(&c.secret));
        }
        // Header parameters replace what the client would send under the same
        // name (`Accept`), and a list is sent as repeated headers.
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in &req.headers {
            let invalid = |what: &str| Error::invalid(name, format!("is not a valid HTTP header {what}"));
            let header = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid("name"))?;
            let value =
                reqwest::header::HeaderValue::from_str(value).map_err(|_| invalid("value"))?;
            headers.append(header, value);
        }
        rb = rb.headers(headers);
        if let Some(t) = self.inner.timeout {
            rb = rb.timeout(t);
        }
        rb = match req.body {
            Body::None => rb,
            Body::Form(pairs) => {
                let text = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&pairs)
                    .finish();
                rb.header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(text)
            }
            Body::Json(map) => rb
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(serde_json::Value::Object(map).to_string()),
        };
        let resp = rb.send().await.map_err(Error::from_reqwest)?;
        let status = resp.status().as_u16();
        let request_id = resp
            .headers()
            .get("twilio-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = resp.bytes().await.map_err(Error::from_reqwest)?;
        if !(200..300).contains(&status) && Some(status) != accept_status {
            return Err(api_error(status, request_id, &body));
        }
        Ok((status, body))
    }
}
