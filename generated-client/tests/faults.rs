//! Fault tests of the runtime against loopback servers (wiremock, or a raw TCP
//! listener where wiremock cannot misbehave enough): retries, timeouts, broken
//! and odd bodies, pagination of every style, hostile next-page URLs, secrets.

mod common;

use common::{Capture, TOKEN};
use std::time::{Duration, Instant};
use twilio_flex::flex_v1::models::FlexTeam;
use twilio_flex::prelude::*;
use twilio_flex::{Client, Credentials, Error, RetryPolicy};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INSTANCE: &str = "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TEAM: &str = "QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TEAMS_PATH: &str = "/v1/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Teams";
const TEAM_PATH: &str =
    "/v1/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Teams/QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// Short waits so the retry tests take milliseconds, not seconds.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::new()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn client(url: &str) -> Client {
    Client::builder(Credentials::auth_token(
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        TOKEN,
    ))
    .base_url(url)
    .retry(fast_retries())
    .build()
    .unwrap()
}

fn team_json(n: usize) -> serde_json::Value {
    serde_json::json!({
        "team_sid": format!("QO{n:032x}"),
        "friendly_name": format!("team {n}"),
        "level": 1,
    })
}

fn ok_team() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(team_json(1))
}

async fn fetch_team(c: &Client) -> Result<twilio_flex::Response<FlexTeam>, Error> {
    c.flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .send_with_meta()
        .await
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_that_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(TEAM_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(TEAM_PATH))
        .respond_with(ok_team())
        .mount(&server)
        .await;
    let started = Instant::now();
    let resp = fetch_team(&client(&server.uri())).await.unwrap();
    assert_eq!((resp.status(), resp.attempts()), (200, 2));
    assert_eq!(resp.body().friendly_name.as_deref(), Some("team 1"));
    // The backoff alone would be at most 20 ms: the server's second was honoured.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_returns_the_429_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let err = fetch_team(&client(&server.uri())).await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn two_503s_then_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ok_team())
        .mount(&server)
        .await;
    let resp = fetch_team(&client(&server.uri())).await.unwrap();
    assert_eq!(resp.attempts(), 3);
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn attempts_are_bounded_and_the_last_error_is_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Twilio-Request-Id", "RQ503"))
        .mount(&server)
        .await;
    let err = fetch_team(&client(&server.uri())).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.request_id(), Some("RQ503"));
    assert!(err.is_retryable());
    assert_eq!(
        requests(&server).await,
        3,
        "the default policy makes 3 attempts"
    );
}

#[tokio::test]
async fn a_per_request_policy_overrides_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let err = c
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .retry(RetryPolicy::disabled())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests(&server).await, 1);
    let err = c
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .retry(fast_retries().max_attempts(5))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests(&server).await, 1 + 5);
}

#[tokio::test]
async fn a_post_answered_503_is_not_resent_unless_opted_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let update = || c.flex_v1().teams(INSTANCE).update(TEAM, "x");
    assert_eq!(update().send().await.unwrap_err().status(), Some(503));
    assert_eq!(requests(&server).await, 1);
    let opted_in = fast_retries().retry_non_idempotent(true);
    assert_eq!(
        update().retry(opted_in).send().await.unwrap_err().status(),
        Some(503)
    );
    assert_eq!(requests(&server).await, 1 + 3);
}

/// A raw loopback server: resets the first `resets` connections right after
/// reading the request head, then answers each request with a team. Returns
/// the base URL and a counter of connections accepted.
async fn resetting_server(
    resets: usize,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        loop {
            let (mut conn, _) = listener.accept().await.unwrap();
            let n = count.fetch_add(1, Ordering::SeqCst);
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(k) => head.extend_from_slice(&buf[..k]),
                }
            }
            if n < resets {
                // SO_LINGER 0: closing sends RST, a "connection reset by peer".
                conn.set_zero_linger().unwrap();
                drop(conn);
                continue;
            }
            let body = team_json(1).to_string();
            let resp = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = conn.write_all(resp.as_bytes()).await;
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_a_get() {
    let (url, accepted) = resetting_server(1).await;
    let resp = fetch_team(&client(&url)).await.unwrap();
    assert_eq!(resp.attempts(), 2);
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_reset_connection_is_not_retried_for_a_post() {
    let (url, accepted) = resetting_server(1).await;
    let err = client(&url)
        .flex_v1()
        .teams(INSTANCE)
        .update(TEAM, "x")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_naming_the_cause() {
    // Nothing listens on this port once the listener is dropped.
    let url = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let err = client(&url)
        .flex_v1()
        .teams(INSTANCE)
        .update(TEAM, "x")
        .send_with_meta()
        .await
        .unwrap_err();
    let Error::Transport(e) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert!(e.is_connect(), "{e:?}");
    // The Display names the cause, not just the URL.
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
}

#[tokio::test]
async fn a_get_that_times_out_is_retried_then_reported_as_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_team().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .request_timeout(Duration::from_millis(200))
        .retry(fast_retries().max_attempts(2))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn a_post_that_timed_out_is_not_repeated_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ok_team().set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let c = Client::builder(Credentials::auth_token(
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        TOKEN,
    ))
    .base_url(server.uri())
    .timeout(Duration::from_millis(200))
    .retry(fast_retries())
    .build()
    .unwrap();
    let err = c
        .flex_v1()
        .teams(INSTANCE)
        .update(TEAM, "x")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_an_excerpt_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"team_sid": "QOaaaa"#, "application/json"),
        )
        .mount(&server)
        .await;
    let err = fetch_team(&client(&server.uri())).await.unwrap_err();
    let Error::Decode {
        status,
        body_excerpt,
        ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(
        (*status, body_excerpt.as_str()),
        (200, r#"{"team_sid": "QOaaaa"#)
    );
    assert!(err.to_string().contains("QOaaaa"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_with_the_page_start() {
    let server = MockServer::start().await;
    let page = format!(
        "<html><body>{}</body></html>",
        "Internal error. ".repeat(100)
    );
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(page.clone(), "text/html"))
        .mount(&server)
        .await;
    let err = fetch_team(&client(&server.uri())).await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!((api.status, api.code), (500, None));
    assert!(api.message.starts_with("<html><body>Internal error."));
    assert!(api.message.len() < 600, "the excerpt is bounded");
    assert!(!err.is_retryable(), "a 500 is not transient");
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_twilio_error_body_is_decoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("Twilio-Request-Id", "RQ404")
                .set_body_json(serde_json::json!({
                    "code": 20404,
                    "message": "The requested resource was not found",
                    "more_info": "https://www.twilio.com/docs/errors/20404",
                    "status": 404,
                    "details": {"team": TEAM},
                })),
        )
        .mount(&server)
        .await;
    let err = fetch_team(&client(&server.uri())).await.unwrap_err();
    let text = err.to_string();
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!((api.status, api.code), (404, Some(20404)));
    assert_eq!(api.message, "The requested resource was not found");
    assert_eq!(
        api.more_info.as_deref(),
        Some("https://www.twilio.com/docs/errors/20404")
    );
    assert_eq!(api.details, Some(serde_json::json!({"team": TEAM})));
    assert_eq!(api.request_id.as_deref(), Some("RQ404"));
    assert_eq!(
        text,
        "Twilio returned HTTP 404 (error 20404): The requested resource was not found [request RQ404]"
    );
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let server = MockServer::start().await;
    let mut body = team_json(7);
    body["brand_new_field"] = serde_json::json!({"nested": [1, 2, 3]});
    body["another"] = serde_json::json!("x");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let team = fetch_team(&client(&server.uri()))
        .await
        .unwrap()
        .into_body();
    assert_eq!(team.friendly_name.as_deref(), Some("team 7"));
    assert_eq!(team.level, Some(1));
}

#[tokio::test]
async fn all_null_bodies_decode_to_empty_values() {
    let server = MockServer::start().await;
    // Every member of a team, each `null`.
    let nulls: serde_json::Map<String, serde_json::Value> = [
        "team_sid",
        "friendly_name",
        "member_count",
        "description",
        "level",
        "parent_team_sid",
        "date_created",
        "date_updated",
        "version",
        "account_sid",
        "instance_sid",
        "url",
    ]
    .iter()
    .map(|k| (k.to_string(), serde_json::Value::Null))
    .collect();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(nulls))
        .mount(&server)
        .await;
    let team = fetch_team(&client(&server.uri()))
        .await
        .unwrap()
        .into_body();
    assert_eq!(team.team_sid, None);
    assert_eq!(team.friendly_name, None);
    assert_eq!(team.date_created, None);
    assert_eq!(team.level, None);
    assert_eq!(team.url, None);
}

#[tokio::test]
async fn responses_give_status_headers_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ok_team()
                .insert_header("Twilio-Request-Id", "RQ1")
                .insert_header("X-Extra", "yes"),
        )
        .mount(&server)
        .await;
    let resp = fetch_team(&client(&server.uri())).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.request_id(), Some("RQ1"));
    assert_eq!(resp.headers()["x-extra"], "yes");
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_api_key_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ok_team())
        .mount(&server)
        .await;
    let c = Client::builder(Credentials::api_key(
        "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "key-secret",
    ))
    .base_url(server.uri())
    .build()
    .unwrap();
    assert_eq!(c.account_sid(), "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    fetch_team(&c).await.unwrap();
    let req = &server.received_requests().await.unwrap()[0];
    // base64("SKbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:key-secret")
    assert_eq!(
        req.headers["authorization"],
        "Basic U0tiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYmJiYjprZXktc2VjcmV0"
    );
    let ua = req.headers["user-agent"].to_str().unwrap();
    // The runtime crate's name and version: every generated crate shares it.
    let version = ua
        .strip_prefix("twilio-runtime/")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("{ua}"));
    assert!(
        version.split('.').count() == 3 && version.split('.').all(|n| n.parse::<u32>().is_ok()),
        "{ua}"
    );
    let expected_start = format!(
        "twilio-runtime/{version} ({} {}) rust/",
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    assert!(ua.starts_with(&expected_start), "{ua}");
    let rustc = &ua[expected_start.len()..];
    assert!(
        rustc.split('.').take(2).all(|n| n.parse::<u32>().is_ok()),
        "{ua}"
    );
}

#[test]
fn a_connect_timeout_cannot_be_combined_with_a_custom_http_client() {
    let err = Client::builder(Credentials::auth_token("AC", "t"))
        .http_client(reqwest::Client::new())
        .connect_timeout(Duration::from_secs(1))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

// ---- pagination ----

/// Responds to a list request with page `n` (from 0) of `pages` pages of two
/// teams, linking to the next page the way `next` says.
fn teams_page(n: usize, pages: usize, next: Option<String>) -> serde_json::Value {
    let last = n + 1 == pages;
    serde_json::json!({
        "teams": [team_json(2 * n), team_json(2 * n + 1)],
        "meta": {
            "page": n,
            "page_size": 2,
            "key": "teams",
            "next_page_url": if last { None } else { next },
        }
    })
}

/// Mounts 3 pages of teams on `server`: page `n` is served for `Page=n`.
async fn mount_teams_pages(server: &MockServer, next_host: &str) {
    for n in 0..3 {
        let next = format!("{next_host}{TEAMS_PATH}?PageSize=2&Page={}", n + 1);
        let matcher = if n == 0 {
            Mock::given(method("GET"))
                .and(path(TEAMS_PATH))
                .and(query_param_is_missing("Page"))
        } else {
            Mock::given(method("GET"))
                .and(path(TEAMS_PATH))
                .and(query_param("Page", n.to_string()))
        };
        matcher
            .respond_with(ResponseTemplate::new(200).set_body_json(teams_page(n, 3, Some(next))))
            .mount(server)
            .await;
    }
}

fn names(teams: &[FlexTeam]) -> Vec<String> {
    teams
        .iter()
        .map(|t| t.friendly_name.clone().unwrap())
        .collect()
}

#[tokio::test]
async fn stream_follows_next_page_urls_over_three_pages() {
    let server = MockServer::start().await;
    mount_teams_pages(&server, &server.uri()).await;
    let c = client(&server.uri());
    let first = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .page_size(2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        first.meta.as_ref().unwrap().page,
        Some(0),
        "send() gives one page with its metadata"
    );
    assert_eq!(first.teams.as_ref().unwrap().len(), 2);
    let teams = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .page_size(2)
        .stream()
        .collect()
        .await
        .unwrap();
    assert_eq!(
        names(&teams),
        ["team 0", "team 1", "team 2", "team 3", "team 4", "team 5"]
    );
    // One request for send(), three for the stream.
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 4);
    // Later pages are requested with the credentials, at the URL the API gave.
    assert_eq!(reqs[3].url.query(), Some("PageSize=2&Page=2"));
    assert!(reqs[3].headers.contains_key("authorization"));
}

#[tokio::test]
async fn stream_is_lazy_and_stops_at_the_limit() {
    let server = MockServer::start().await;
    mount_teams_pages(&server, &server.uri()).await;
    let c = client(&server.uri());
    let mut stream = c.flex_v1().teams(INSTANCE).list().stream().limit(3);
    assert_eq!(
        requests(&server).await,
        0,
        "nothing is sent before the first item is read"
    );
    let mut got = vec![];
    while let Some(team) = stream.next().await {
        got.push(team.unwrap());
    }
    assert_eq!(names(&got), ["team 0", "team 1", "team 2"]);
    assert_eq!(
        requests(&server).await,
        2,
        "the third page is never requested"
    );
}

/// The `PageSize` of the first request a stream sends.
async fn first_page_size(
    build: impl FnOnce(
        &Client,
    ) -> twilio_flex::runtime::ItemStream<
        twilio_flex::flex_v1::models::ListFlexTeamResponse,
    >,
) -> Option<String> {
    let server = MockServer::start().await;
    mount_teams_pages(&server, &server.uri()).await;
    let mut stream = build(&client(&server.uri()));
    stream.next().await.unwrap().unwrap();
    let reqs = server.received_requests().await.unwrap();
    reqs[0]
        .url
        .query_pairs()
        .find(|(k, _)| k == "PageSize")
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn a_limited_stream_asks_for_pages_of_the_limit_as_twilios_sdks_do() {
    let teams = |c: &Client| c.flex_v1().teams(INSTANCE).list();
    // min(limit, the spec's maximum of 1000), unless the caller chose a size.
    assert_eq!(
        first_page_size(|c| teams(c).stream().limit(3))
            .await
            .as_deref(),
        Some("3")
    );
    assert_eq!(
        first_page_size(|c| teams(c).stream().limit(5000))
            .await
            .as_deref(),
        Some("1000")
    );
    assert_eq!(
        first_page_size(|c| teams(c).page_size(2).stream().limit(3))
            .await
            .as_deref(),
        Some("2")
    );
    assert_eq!(first_page_size(|c| teams(c).stream()).await, None);
}

#[tokio::test]
async fn get_page_fetches_a_page_url_of_the_same_list_and_nowhere_else() {
    let server = MockServer::start().await;
    mount_teams_pages(&server, &server.uri()).await;
    let c = client(&server.uri());
    let first = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .page_size(2)
        .send()
        .await
        .unwrap();
    let next = first.meta.unwrap().next_page_url.unwrap();
    let second = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .get_page(next)
        .await
        .unwrap();
    assert_eq!(second.meta.as_ref().unwrap().page, Some(1));
    assert_eq!(
        names(second.teams.as_deref().unwrap()),
        ["team 2", "team 3"]
    );
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(
        reqs[1].url.query(),
        Some("PageSize=2&Page=1"),
        "the URL as given"
    );
    assert!(reqs[1].headers.contains_key("authorization"));

    let elsewhere = MockServer::start().await;
    let err = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .get_page(format!("{}{TEAMS_PATH}?Page=1", elsewhere.uri()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert_eq!(
        requests(&elsewhere).await,
        0,
        "nothing reached the other host"
    );
}

#[tokio::test]
async fn collect_into_keeps_the_items_read_before_an_error() {
    let server = MockServer::start().await;
    let next = format!("{}{TEAMS_PATH}?Page=1", server.uri());
    Mock::given(method("GET"))
        .and(query_param_is_missing("Page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(teams_page(0, 3, Some(next))))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(query_param("Page", "1"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(
                serde_json::json!({"code": 20500, "message": "boom", "status": 500}),
            ),
        )
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let mut got = vec![];
    let err = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream()
        .collect_into(&mut got)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500), "{err:?}");
    assert_eq!(
        names(&got),
        ["team 0", "team 1"],
        "the first page's items are kept"
    );
}

#[tokio::test]
async fn stream_sends_page_tokens_back() {
    let server = MockServer::start().await;
    let owners_path = format!("{TEAM_PATH}/Owners");
    let owner = |n: usize| serde_json::json!({"flex_user_sid": format!("FU{n:032x}"), "email": format!("o{n}@example.com")});
    let tokens = [None, Some("tok-1"), Some("tok-2")];
    for (n, token) in tokens.iter().enumerate() {
        let next = tokens.get(n + 1).copied().flatten();
        let body = serde_json::json!({
            "owners": [owner(2 * n), owner(2 * n + 1)],
            "meta": {"key": "owners", "page_token": token, "next_token": next},
        });
        let m = Mock::given(method("GET")).and(path(owners_path.as_str()));
        let m = match token {
            None => m.and(query_param_is_missing("PageToken")),
            Some(t) => m.and(query_param("PageToken", *t)),
        };
        m.and(query_param("IncludeTransitive", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let owners = client(&server.uri())
        .flex_v1()
        .team_owners(INSTANCE, TEAM)
        .list()
        .include_transitive(true)
        .stream()
        .collect()
        .await
        .unwrap();
    let emails: Vec<_> = owners.iter().map(|o| o.email.clone().unwrap()).collect();
    assert_eq!(
        emails,
        [
            "o0@example.com",
            "o1@example.com",
            "o2@example.com",
            "o3@example.com",
            "o4@example.com",
            "o5@example.com"
        ]
    );
    assert_eq!(requests(&server).await, 3);
}

/// api_v2010's flat shape: `calls` beside a relative `next_page_uri`. The Flex
/// crate has no such list, so this page type is written the way the generator
/// writes one for api_v2010 (see the `pagination` fixture snapshot) and read
/// through the same runtime stream.
#[derive(serde::Deserialize)]
struct CallsPage {
    calls: Vec<serde_json::Value>,
    next_page_uri: Option<String>,
}

impl twilio_flex::runtime::Page for CallsPage {
    type Item = serde_json::Value;
    fn next_page(&self) -> Option<twilio_flex::runtime::NextPage> {
        self.next_page_uri
            .clone()
            .filter(|u| !u.is_empty())
            .map(twilio_flex::runtime::NextPage::Uri)
    }
    fn into_items(self) -> Vec<serde_json::Value> {
        self.calls
    }
}

#[tokio::test]
async fn stream_follows_relative_next_page_uris_over_three_pages() {
    let server = MockServer::start().await;
    let calls_path = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls.json";
    for n in 0..3usize {
        let next = (n < 2).then(|| {
            format!(
                "{calls_path}?PageSize=2&Page={}&PageToken=PA{}",
                n + 1,
                n + 1
            )
        });
        let body = serde_json::json!({
            "calls": [{"n": 2 * n}, {"n": 2 * n + 1}],
            "next_page_uri": next,
            "page": n,
        });
        let m = Mock::given(method("GET")).and(path(calls_path));
        let m = if n == 0 {
            m.and(query_param_is_missing("Page"))
        } else {
            m.and(query_param("Page", n.to_string()))
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let c = client(&server.uri());
    let mut req = twilio_flex::runtime::Request::new(
        reqwest::Method::GET,
        "https://api.twilio.com",
        "/2010-04-01/Accounts/{AccountSid}/Calls.json",
        true,
        Default::default(),
        twilio_flex::PII_MEMBERS,
    );
    req.path("AccountSid", "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .unwrap();
    let calls = twilio_flex::runtime::ItemStream::<CallsPage>::new(Ok((c, req)), None)
        .collect()
        .await
        .unwrap();
    let ns: Vec<_> = calls.iter().map(|c| c["n"].as_u64().unwrap()).collect();
    assert_eq!(ns, [0, 1, 2, 3, 4, 5]);
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn a_next_page_url_on_another_host_is_refused_without_a_request() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(teams_page(
            0,
            3,
            Some(format!("{}{TEAMS_PATH}?Page=1", elsewhere.uri())),
        )))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(teams_page(1, 3, None)))
        .mount(&elsewhere)
        .await;
    let mut stream = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream();
    // The first page's items are delivered, then the refusal.
    assert_eq!(
        stream
            .next()
            .await
            .unwrap()
            .unwrap()
            .friendly_name
            .as_deref(),
        Some("team 0")
    );
    assert_eq!(
        stream
            .next()
            .await
            .unwrap()
            .unwrap()
            .friendly_name
            .as_deref(),
        Some("team 1")
    );
    let err = stream.next().await.unwrap().unwrap_err();
    let Error::Pagination { next_page, reason } = &err else {
        panic!("expected a pagination error, got {err:?}")
    };
    assert!(next_page.starts_with(&elsewhere.uri()), "{next_page}");
    assert!(reason.contains(&server.uri()), "{reason}");
    assert!(
        stream.next().await.is_none(),
        "the stream ends after an error"
    );
    assert_eq!(
        requests(&elsewhere).await,
        0,
        "nothing reached the other host"
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_next_page_url_on_another_scheme_or_port_is_refused() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let port = server.address().port();
    for next in [
        uri.replacen("http://", "https://", 1),
        format!("http://127.0.0.1:{}", port.wrapping_add(1)),
        format!("http://localhost:{port}"),
        format!("http://user:pw@127.0.0.1:{port}"),
    ] {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(teams_page(
                0,
                3,
                Some(format!("{next}{TEAMS_PATH}?Page=1")),
            )))
            .mount(&server)
            .await;
        let result = client(&uri)
            .flex_v1()
            .teams(INSTANCE)
            .list()
            .stream()
            .collect()
            .await;
        assert!(
            matches!(result, Err(Error::Pagination { .. })),
            "{next}: {result:?}"
        );
        assert_eq!(requests(&server).await, 1, "{next}");
    }
}

// ---- secrets ----

#[tokio::test]
async fn the_token_never_appears_in_debug_errors_or_traces() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("Twilio-Request-Id", "RQtrace"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(serde_json::json!({"code": 20003, "message": "Authenticate"})),
        )
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let err = fetch_team(&c).await.unwrap_err();
    let traces = capture.0.lock().unwrap().clone();
    // The span and events carry what the issue asks for.
    for expected in [
        "span twilio.request:",
        "method=GET",
        "path=\"/v1/Instances/{InstanceSid}/Teams/{TeamSid}\"",
        "attempt=2",
        "status=503",
        "status=401",
        "request_id=\"RQtrace\"",
        "retrying",
    ] {
        assert!(
            traces.contains(expected),
            "missing {expected:?} in:\n{traces}"
        );
    }
    // base64 of "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:secret-token-123" (the Authorization header)
    let encoded = "QUNhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYWFhYTpzZWNyZXQtdG9rZW4tMTIz";
    let shown = format!("{traces}\n{c:?}\n{err}\n{err:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(!shown.contains(encoded), "{shown}");
    assert!(format!("{c:?}").contains("<redacted>"));
    // Sanity: the capture really sees request data (the token was sent).
    let req = &server.received_requests().await.unwrap()[0];
    assert!(req.headers["authorization"]
        .to_str()
        .unwrap()
        .ends_with(encoded));
}
