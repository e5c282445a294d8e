//! What the runtime puts on (and takes off) the wire for constructs the Flex
//! specs do not use yet but other Twilio specs do: an operation documented only
//! with a redirect, a header parameter named `Authorization`, RFC 2822 dates.
//! Requests are built with the runtime's `Request`, as generated code does.

mod common;

use common::{client_for, serve_once};
use twilio_flex::runtime::Request;
use twilio_flex::Error;

fn get(path: &'static str) -> Request {
    Request::new(
        reqwest::Method::GET,
        "https://messaging.twilio.com",
        path,
        true,
        Default::default(),
        twilio_flex::PII_MEMBERS,
    )
}

#[tokio::test]
async fn a_documented_redirect_is_the_result_and_is_not_followed() {
    // The Location points at a closed port: following it would fail to connect.
    let (url, server) = serve_once(
        "307 Temporary Redirect",
        &[
            ("content-type", "application/json"),
            ("location", "http://127.0.0.1:1/file"),
        ],
        r#"{"redirect_to": "http://127.0.0.1:1/file"}"#,
    );
    let mut req = get("/v1/Deactivations");
    req.accept_status(307);
    let body: serde_json::Value = client_for(&url).execute(req).await.unwrap();
    assert_eq!(body["redirect_to"], "http://127.0.0.1:1/file");
    server.join().unwrap();
}

#[tokio::test]
async fn an_undocumented_redirect_is_an_error_and_is_not_followed() {
    let (url, server) = serve_once(
        "302 Found",
        &[
            ("content-type", "application/json"),
            ("location", "http://127.0.0.1:1/elsewhere"),
        ],
        "{}",
    );
    let err = client_for(&url)
        .execute::<serde_json::Value>(get("/v1/Things"))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.status == 302), "{err:?}");
    server.join().unwrap();
}

#[tokio::test]
async fn an_authorization_header_parameter_replaces_basic_auth() {
    let (url, server) = serve_once("200 OK", &[("content-type", "application/json")], "{}");
    let mut req = get("/v1/Insights/QualityManagement/Assessments");
    req.header("Authorization", &"Token flex-insights-token".to_string())
        .unwrap();
    let _: serde_json::Value = client_for(&url).execute(req).await.unwrap();
    let seen = server.join().unwrap().to_ascii_lowercase();
    let auth: Vec<&str> = seen
        .lines()
        .filter(|l| l.starts_with("authorization:"))
        .collect();
    assert_eq!(auth, ["authorization: token flex-insights-token"], "{seen}");
}

#[tokio::test]
async fn without_that_parameter_basic_auth_is_sent() {
    let (url, server) = serve_once("200 OK", &[("content-type", "application/json")], "{}");
    let _: serde_json::Value = client_for(&url).execute(get("/v1/Things")).await.unwrap();
    let seen = server.join().unwrap().to_ascii_lowercase();
    assert_eq!(
        seen.lines()
            .filter(|l| l.starts_with("authorization: basic "))
            .count(),
        1,
        "{seen}"
    );
}
