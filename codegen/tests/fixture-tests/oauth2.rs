//! OAuth 2 client-credentials security, run by `cargo xtask test` inside the
//! crate generated from `codegen/tests/fixtures/oauth2.json`, against a local
//! token endpoint (wiremock): the token is fetched once and cached, sent as
//! `Authorization: Bearer`, replaced before it expires and after a 401, and
//! neither the client secret nor the token shows in Debug, errors or traces.

use fixture_oauth2::runtime::RetryPolicy;
use fixture_oauth2::{Client, Credentials, Error};
use fixture_oauth2::prelude::*;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CLIENT_ID: &str = "OQclient0123";
const CLIENT_SECRET: &str = "client-secret-456";
const TOKEN_FORM: &str =
    "grant_type=client_credentials&client_id=OQclient0123&client_secret=client-secret-456";

fn client(base: &str, credentials: Credentials) -> Client {
    Client::builder(credentials)
        .base_url(base)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// The token endpoint hands out `token` (valid `expires_in` seconds), at most `times` times.
async fn token_endpoint(server: &MockServer, token: &str, expires_in: u64, times: u64) {
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(TOKEN_FORM))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": expires_in,
        })))
        .up_to_n_times(times)
        .expect(times)
        .mount(server)
        .await;
}

async fn widgets_accept(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v1/Widgets"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": token})))
        .expect(times)
        .mount(server)
        .await;
}

async fn token_requests(server: &MockServer) -> usize {
    let all = server.received_requests().await.unwrap();
    all.iter().filter(|r| r.url.path() == "/v1/token").count()
}

#[tokio::test]
async fn the_token_is_fetched_once_and_sent_as_bearer() -> Result<(), Error> {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok-1", 3600, 1).await;
    widgets_accept(&server, "tok-1", 3).await;
    let c = client(&server.uri(), Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    for _ in 0..3 {
        let w = c.test_v1().widgets().fetch().send().await?;
        assert_eq!(w.name.as_deref(), Some("tok-1"));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_share_one_fetch() -> Result<(), Error> {
    let server = MockServer::start().await;
    token_endpoint(&server, "tok-2", 3600, 1).await;
    widgets_accept(&server, "tok-2", 4).await;
    let c = client(&server.uri(), Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.test_v1().widgets().fetch().send().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap()?;
    }
    assert_eq!(token_requests(&server).await, 1);
    Ok(())
}

#[tokio::test]
async fn a_token_is_replaced_before_it_expires() -> Result<(), Error> {
    let server = MockServer::start().await;
    // Valid for 2 s: replaced 1 s (half its life) before expiry.
    token_endpoint(&server, "short", 2, 2).await;
    widgets_accept(&server, "short", 3).await;
    let c = client(&server.uri(), Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    c.test_v1().widgets().fetch().send().await?;
    c.test_v1().widgets().fetch().send().await?;
    assert_eq!(token_requests(&server).await, 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    c.test_v1().widgets().fetch().send().await?;
    assert_eq!(token_requests(&server).await, 2);
    Ok(())
}

#[tokio::test]
async fn a_refused_token_is_replaced_once_then_the_401_is_the_answer() -> Result<(), Error> {
    let server = MockServer::start().await;
    // First grant: a token the API has revoked; the second one works.
    token_endpoint(&server, "revoked", 3600, 1).await;
    Mock::given(method("GET"))
        .and(header("authorization", "Bearer revoked"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": 20003, "message": "Authenticate"})))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri(), Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    // Mounted after the first grant is used up: the next fetch gets a good token.
    token_endpoint(&server, "fresh", 3600, 1).await;
    widgets_accept(&server, "fresh", 1).await;
    c.test_v1().widgets().fetch().send().await?;
    assert_eq!(token_requests(&server).await, 2);

    // A 401 for the new token too: the call fails with it, after one refresh only.
    let server = MockServer::start().await;
    token_endpoint(&server, "never", 3600, 2).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": 20003, "message": "Authenticate"})))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(&server.uri(), Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    let err = c.test_v1().widgets().fetch().send().await.unwrap_err();
    assert_eq!(err.status(), Some(401), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn basic_credentials_win_where_both_are_accepted_and_missing_ones_fail_early() -> Result<(), Error> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/Widgets"))
        .and(header("authorization", "Basic QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTp0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    token_endpoint(&server, "both", 3600, 1).await;
    widgets_accept(&server, "both", 1).await;
    let both = Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "t")
        .with_client_credentials(CLIENT_ID, CLIENT_SECRET);
    let c = client(&server.uri(), both);
    c.test_v1().widgets().create().send().await?;
    c.test_v1().widgets().fetch().send().await?;

    // Nothing listens on port 9: these fail before any connection.
    let oauth_only = client("http://127.0.0.1:9", Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    let err = oauth_only.test_v1().accounts().fetch().send().await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let basic_only = client("http://127.0.0.1:9", Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "t"));
    let err = basic_only.test_v1().widgets().fetch().send().await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn token_endpoint_failures_are_errors_that_show_no_secret() {
    let capture = capture();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"code": 70002, "message": "invalid client"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    // A malformed grant: the body holds a token-like value that must not be echoed.
    Mock::given(method("POST"))
        .and(path("/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"access_token": "leaked-tok", "expires_in": "soon"}"#))
        .mount(&server)
        .await;
    let c = client(&server.uri(), Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    let first = c.test_v1().widgets().fetch().send().await.unwrap_err();
    assert_eq!(first.status(), Some(401), "{first:?}");
    let second = c.test_v1().widgets().fetch().send().await.unwrap_err();
    assert!(matches!(second, Error::Decode { .. }), "{second:?}");
    let traces = capture.0.lock().unwrap().clone();
    let shown = format!("{traces}\n{c:?}\n{first}\n{first:?}\n{second}\n{second:?}");
    for secret in [CLIENT_SECRET, "leaked-tok"] {
        assert!(!shown.contains(secret), "{secret} in:\n{shown}");
    }
    assert!(format!("{c:?}").contains(CLIENT_ID));
    // Sanity: the capture sees the calls, and the secret really was sent.
    assert!(traces.contains("span twilio.request:"), "{traces}");
    let sent = &server.received_requests().await.unwrap()[0];
    assert!(String::from_utf8_lossy(&sent.body).contains(CLIENT_SECRET));
}

#[tokio::test]
async fn a_fetched_token_never_appears_in_traces_or_debug() -> Result<(), Error> {
    let capture = capture();
    let server = MockServer::start().await;
    token_endpoint(&server, "tok-secret-789", 3600, 1).await;
    widgets_accept(&server, "tok-secret-789", 1).await;
    let c = client(&server.uri(), Credentials::client_credentials(CLIENT_ID, CLIENT_SECRET));
    c.test_v1().widgets().fetch().send().await?;
    let traces = capture.0.lock().unwrap().clone();
    assert!(traces.contains("fetched an OAuth 2 access token"), "{traces}");
    let shown = format!("{traces}\n{c:?}");
    assert!(!shown.contains("tok-secret-789"), "{shown}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    Ok(())
}

/// The traces of every test of this binary, from one global subscriber: a
/// thread-local one (`set_default`) misses events whose callsites other test
/// threads registered first. Tests only assert what is in it (their own calls'
/// traces) or absent from it (any test's secrets), so sharing it is sound.
fn capture() -> Capture {
    static CAPTURE: std::sync::OnceLock<Capture> = std::sync::OnceLock::new();
    CAPTURE
        .get_or_init(|| {
            let c = Capture::default();
            tracing::subscriber::set_global_default(c.clone()).expect("no other global subscriber");
            c
        })
        .clone()
}

/// Records every span and event field (all levels, all crates) as text.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<String>>);

impl tracing::field::Visit for Capture {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let line = format!(" {}={:?}", field.name(), value);
        self.0.lock().unwrap().push_str(&line);
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        self.0
            .lock()
            .unwrap()
            .push_str(&format!("\nspan {}:", span.metadata().name()));
        span.record(&mut self.clone());
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        values.record(&mut self.clone());
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        self.0.lock().unwrap().push_str("\nevent:");
        event.record(&mut self.clone());
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}
