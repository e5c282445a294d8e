//! The error type and configuration, against a one-shot HTTP server on loopback.

mod common;

use common::{client_for, serve_once, TOKEN};
use twilio_flex::prelude::*;
use twilio_flex::{Client, Credentials, Error};

/// Held by the tests that set `TWILIO_*` variables (tests run on several threads).
static ENV: std::sync::Mutex<()> = std::sync::Mutex::new(());

const INSTANCE: &str = "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const FLEX_USER: &str = "FUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// Fetches the example flex user from a server that answers once with this
/// response; returns the error and the raw request the server saw.
async fn fetch_error(status: &str, headers: &[(&str, &str)], body: &str) -> (Error, String) {
    let (url, server) = serve_once(status, headers, body);
    let err = client_for(&url)
        .flex_v2()
        .flex_user(INSTANCE)
        .fetch(FLEX_USER)
        // The server answers once; retries are tested in `faults.rs`.
        .retry(twilio_flex::RetryPolicy::disabled())
        .send()
        .await
        .unwrap_err();
    (err, server.join().unwrap())
}

#[tokio::test]
async fn twilio_error_body_is_decoded_with_status_and_request_id() {
    let body = r#"{"code": 20404, "message": "The requested resource was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404, "details": {"hint": "x"}}"#;
    let headers = [
        ("content-type", "application/json"),
        ("twilio-request-id", "RQ123"),
    ];
    let (err, request) = fetch_error("404 Not Found", &headers, body).await;
    assert!(
        request.starts_with(&format!(
            "GET /v2/Instances/{INSTANCE}/Users/{FLEX_USER} HTTP/1.1"
        )),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains("authorization: basic "),
        "{request}"
    );
    assert!(request.contains("user-agent: twilio-runtime/"), "{request}");
    assert_eq!(err.status(), Some(404));
    let text = err.to_string();
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(api.code, Some(20404));
    assert_eq!(api.message, "The requested resource was not found");
    assert_eq!(
        api.more_info.as_deref(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert_eq!(api.details, Some(serde_json::json!({"hint": "x"})));
    assert_eq!(api.request_id.as_deref(), Some("RQ123"));
    assert!(text.contains("20404") && text.contains("RQ123"), "{text}");
}

#[tokio::test]
async fn a_non_json_error_page_keeps_status_and_an_excerpt() {
    let (err, _) = fetch_error(
        "502 Bad Gateway",
        &[("content-type", "text/html")],
        "<html>bad gateway</html>",
    )
    .await;
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!((api.status, api.code), (502, None));
    assert_eq!(api.message, "<html>bad gateway</html>");
}

#[tokio::test]
async fn an_undecodable_success_body_is_a_decode_error_with_an_excerpt() {
    let (err, _) = fetch_error(
        "200 OK",
        &[("content-type", "application/json")],
        "{\"account_sid\": ",
    )
    .await;
    match err {
        Error::Decode {
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(status, 200);
            assert_eq!(body_excerpt, "{\"account_sid\": ");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[test]
fn the_auth_token_never_appears_in_debug_output() {
    let c = client_for("http://127.0.0.1:9");
    let shown = format!("{c:?} {:?}", Credentials::api_key("AC1", "SK1", TOKEN));
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[test]
fn from_env_reads_credentials_and_names_a_missing_variable() {
    let _guard = ENV.lock().unwrap();
    std::env::remove_var("TWILIO_ACCOUNT_SID");
    std::env::remove_var("TWILIO_AUTH_TOKEN");
    match Client::from_env() {
        Err(Error::Config(m)) => assert!(m.contains("TWILIO_ACCOUNT_SID"), "{m}"),
        other => panic!("expected a Config error, got {other:?}"),
    }
    std::env::set_var("TWILIO_ACCOUNT_SID", "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    match Client::from_env() {
        Err(Error::Config(m)) => assert!(m.contains("TWILIO_AUTH_TOKEN"), "{m}"),
        other => panic!("expected a Config error, got {other:?}"),
    }
    std::env::set_var("TWILIO_AUTH_TOKEN", "tok");
    std::env::remove_var("TWILIO_BASE_URL");
    let c = Client::from_env().unwrap();
    assert_eq!(c.account_sid(), "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    // TWILIO_BASE_URL is checked and names itself when malformed.
    std::env::set_var("TWILIO_BASE_URL", "ftp://127.0.0.1:4010");
    match Client::from_env() {
        Err(Error::Config(m)) => assert!(m.contains("TWILIO_BASE_URL"), "{m}"),
        other => panic!("expected a Config error, got {other:?}"),
    }
}

#[tokio::test]
async fn twilio_base_url_from_the_environment_is_where_requests_go() {
    let (url, server) = serve_once(
        "200 OK",
        &[],
        r#"{"flex_user_sid": "FUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#,
    );
    let builder = {
        let _guard = ENV.lock().unwrap();
        std::env::set_var("TWILIO_ACCOUNT_SID", "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
        std::env::set_var("TWILIO_AUTH_TOKEN", "tok");
        std::env::set_var("TWILIO_BASE_URL", &url);
        Client::builder_from_env()
    };
    let user = builder
        .unwrap()
        .build()
        .unwrap()
        .flex_v2()
        .flex_user(INSTANCE)
        .fetch(FLEX_USER)
        .send()
        .await
        .unwrap();
    assert_eq!(
        user.flex_user_sid.as_ref().map(|s| s.as_str()),
        Some(FLEX_USER)
    );
    let request = server.join().unwrap();
    assert!(request.starts_with("GET /v2/Instances/"), "{request}");
}

#[test]
fn an_invalid_base_url_is_a_config_error() {
    let err = Client::builder(Credentials::auth_token("AC", "t"))
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[test]
fn pii_fields_are_redacted_in_debug_output() {
    // `identity` is marked `x-twilio.pii` in the Flex v2 spec.
    let channel: twilio_flex::flex_v2::models::WebChannel = serde_json::from_str(
        r#"{"conversation_sid": "CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "identity": "seinfeld"}"#,
    )
    .unwrap();
    assert_eq!(
        channel.identity.as_deref(),
        Some("seinfeld"),
        "the value itself is intact"
    );
    let shown = format!("{channel:?}");
    assert!(!shown.contains("seinfeld"), "{shown}");
    assert!(
        shown.contains("CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        "other fields still print: {shown}"
    );
}
