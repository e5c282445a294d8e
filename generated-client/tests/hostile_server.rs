//! What servers send, against loopback servers: odd values that must not fail a
//! response, pagination that would loop, hostile configuration, path segments
//! the URL parser would rewrite, and calls that must end in bounded time. Each
//! test failed on the runtime before issue 11. The body bound's memory is
//! measured in `body_bound.rs` (a binary of its own, for its allocator).

mod common;

use common::{assert_invalid_argument, Capture, Silent, TOKEN};
use std::time::{Duration, Instant};
use twilio_flex::prelude::*;
use twilio_flex::runtime::{Lenient, MAX_EMPTY_PAGES};
use twilio_flex::{Client, Credentials, Error, RetryPolicy};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ACCOUNT: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const INSTANCE: &str = "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TEAM: &str = "QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const TEAMS_PATH: &str = "/v1/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Teams";
const TEAM_PATH: &str =
    "/v1/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Teams/QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn builder() -> twilio_flex::ClientBuilder {
    Client::builder(Credentials::auth_token(ACCOUNT, TOKEN))
}

fn client(url: &str) -> Client {
    builder().base_url(url).build().unwrap()
}

fn config_error(b: twilio_flex::ClientBuilder) -> String {
    match b.build() {
        Err(Error::Config(m)) => m,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

// ---- 2. one odd value does not fail the response ----

#[tokio::test]
async fn a_page_with_odd_sids_numbers_and_dates_decodes_every_item() {
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "teams": [
            {"team_sid": TEAM, "friendly_name": "usual", "level": 1,
             "date_created": "2024-07-31T04:00:00Z"},
            // A prefix nobody declared, a number as a string, RFC 2822 with
            // fractions where RFC 3339 was declared (both from Twilio's examples).
            {"team_sid": "XX0123", "friendly_name": "odd", "level": "2",
             "member_count": 3.0, "parent_team_sid": "",
             "date_created": "Thu, 01 Sep 2016 10:11:12.123456 -0500",
             "date_updated": "yesterday"},
        ],
        "meta": {"key": "teams", "next_page_url": null}
    });
    Mock::given(method("GET"))
        .and(path(TEAMS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let teams = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream()
        .collect()
        .await
        .unwrap();
    assert_eq!(teams.len(), 2);
    let (usual, odd) = (&teams[0], &teams[1]);
    assert!(usual.team_sid.as_ref().unwrap().is_well_formed());
    let sid = odd.team_sid.as_ref().unwrap();
    assert_eq!(sid.as_str(), "XX0123");
    assert!(!sid.is_well_formed());
    assert_eq!(odd.parent_team_sid.as_ref().unwrap().as_str(), "");
    assert_eq!(odd.level, Some(2));
    assert_eq!(odd.member_count, Some(3));
    let created = odd.date_created.as_ref().unwrap().parsed().unwrap();
    assert_eq!(created.unix_timestamp(), 1_472_742_672);
    assert_eq!(created.nanosecond(), 123_456_000);
    let updated = odd.date_updated.as_ref().unwrap();
    assert_eq!((updated.parsed(), updated.raw()), (None, Some("yesterday")));
    assert_eq!(
        usual.date_created,
        Some(Lenient::Parsed(
            time::macros::datetime!(2024-07-31 04:00:00 UTC)
        ))
    );
    // Written back, an unparsed value is the text as sent.
    let json = serde_json::to_value(odd).unwrap();
    assert_eq!(json["date_updated"], "yesterday");
    assert_eq!(json["team_sid"], "XX0123");
    // What the caller sends stays strict: the odd SID is not sent back.
    let silent = Silent::new();
    let err = silent
        .client
        .flex_v1()
        .teams(INSTANCE)
        .fetch(sid)
        .send()
        .await
        .unwrap_err();
    assert_invalid_argument(err, "TeamSid");
    silent.assert_no_connection();
    assert!(twilio_flex::sids::TeamSid::parse("XX0123").is_err());
}

#[tokio::test]
async fn a_body_that_cannot_decode_gives_an_excerpt_without_pii_values() {
    let server = MockServer::start().await;
    // The body breaks off inside the object, so decoding fails.
    let body = r#"{"friendly_name":"Jane Doe","description":"call \"Jane\" at 555-0100","level":"high","team_sid":"QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","#;
    Mock::given(method("GET"))
        .and(path(TEAM_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    let Error::Decode { body_excerpt, .. } = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    for secret in ["Jane", "555-0100"] {
        assert!(!body_excerpt.contains(secret), "{body_excerpt}");
        assert!(!text.contains(secret), "{text}");
        assert!(!format!("{err:?}").contains(secret));
    }
    // The rest stays, for diagnosis.
    assert!(
        body_excerpt.starts_with(
            r#"{"friendly_name":"<redacted>","description":"<redacted>","level":"high""#
        ),
        "{body_excerpt}"
    );
    assert!(body_excerpt.contains(TEAM), "{body_excerpt}");
}

// ---- odd values in every position (issue 11c) ----

const USER_PATH: &str =
    "/v2/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Users/FUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

async fn serve_json(server: &MockServer, at: &str, body: serde_json::Value) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn odd_values_in_every_member_of_a_page_never_fail_it() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = MockServer::start().await;
    // Each item has one kind of odd value in each typed member: text, number,
    // SID and date. Before, any one of them failed the whole page.
    let odd_values = [
        serde_json::json!(""),
        serde_json::json!("N/A"),
        serde_json::json!(true),
        serde_json::json!({"value": "555-0100"}),
        serde_json::json!(["555-0100"]),
    ];
    let teams: Vec<serde_json::Value> = odd_values
        .iter()
        .map(|odd| {
            serde_json::json!({
                "team_sid": TEAM, "friendly_name": odd, "description": odd,
                "level": odd, "member_count": odd, "version": odd,
                "parent_team_sid": odd, "date_created": odd, "url": odd,
            })
        })
        .collect();
    let body = serde_json::json!({"teams": teams, "meta": {"key": "teams", "next_page_url": null}});
    serve_json(&server, TEAMS_PATH, body).await;
    // Another test thread, with no subscriber, may have registered the event's
    // callsite while ours was being set: tracing would then have cached "no
    // interest" for it. Recompute with our subscriber in place.
    tracing::callsite::rebuild_interest_cache();
    let teams = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream()
        .collect()
        .await
        .unwrap();
    assert_eq!(teams.len(), 5);
    for t in &teams {
        // Every item keeps its well-formed members.
        assert_eq!(t.team_sid.as_ref().unwrap().as_str(), TEAM);
        // No number, however odd, is read from these.
        assert_eq!((t.level, t.member_count, t.version), (None, None, None));
    }
    // Text: a string as sent, a boolean as its JSON text; an object or array is
    // left out.
    let names: Vec<Option<&str>> = teams.iter().map(|t| t.friendly_name.as_deref()).collect();
    assert_eq!(names, [Some(""), Some("N/A"), Some("true"), None, None]);
    let parents: Vec<Option<&str>> = teams
        .iter()
        .map(|t| t.parent_team_sid.as_ref().map(|s| s.as_str()))
        .collect();
    assert_eq!(parents, [Some(""), Some("N/A"), Some("true"), None, None]);
    // Dates: any scalar is kept as text.
    let dates: Vec<Option<&str>> = teams
        .iter()
        .map(|t| t.date_created.as_ref().and_then(|d| d.raw()))
        .collect();
    assert_eq!(dates, [Some(""), Some("N/A"), Some("true"), None, None]);
    // What was left out is reported by type and member, never by value.
    let traces = capture.0.lock().unwrap().clone();
    for expected in [
        "type=\"FlexTeam\" member=\"level\" found=\"a string\"",
        "type=\"FlexTeam\" member=\"member_count\" found=\"a boolean\"",
        "type=\"FlexTeam\" member=\"friendly_name\" found=\"an object\"",
        "type=\"FlexTeam\" member=\"date_created\" found=\"an array\"",
    ] {
        assert!(
            traces.contains(expected),
            "missing {expected:?} in:\n{traces}"
        );
    }
    assert!(!traces.contains("555-0100"), "{traces}");
}

#[tokio::test]
async fn items_that_are_not_objects_are_left_out_and_an_odd_meta_ends_the_stream() {
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "teams": [{"team_sid": TEAM, "level": 1}, "QO-not-an-object", null, 7, [], {"level": "2"}],
        "meta": ["not", "an", "object"],
    });
    serve_json(&server, TEAMS_PATH, body).await;
    // Another test thread, with no subscriber, may have registered the event's
    // callsite while ours was being set: tracing would then have cached "no
    // interest" for it. Recompute with our subscriber in place.
    tracing::callsite::rebuild_interest_cache();
    let teams = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream()
        .collect()
        .await
        .unwrap();
    let levels: Vec<Option<i64>> = teams.iter().map(|t| t.level).collect();
    assert_eq!(levels, [Some(1), Some(2)]);
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn numbers_booleans_and_lists_are_read_from_the_forms_servers_send() {
    let server = MockServer::start().await;
    serve_json(
        &server,
        TEAM_PATH,
        serde_json::json!({
            "team_sid": TEAM, "level": " 2 ", "member_count": 7.0, "version": "3",
            "friendly_name": 15551234567u64, "description": false,
        }),
    )
    .await;
    serve_json(
        &server,
        "/v1/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Teams/Context",
        serde_json::json!({
            "team_setup_complete": "true",
            "conversational_insights_enabled": 0,
            "historical_reporting_enabled": "",
        }),
    )
    .await;
    serve_json(
        &server,
        USER_PATH,
        serde_json::json!({
            "flex_user_sid": "FUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "roles": ["agent", 5, null, {"x": 1}, true, ["admin"]],
            "version": "N/A",
            "email": 42,
            "created_date": ["2024-07-31T04:00:00Z"],
            "updated_date": "2024-07-31T04:00:00Z",
            "instance_sid": 12,
        }),
    )
    .await;
    let c = client(&server.uri());
    let team = c
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (team.level, team.member_count, team.version),
        (Some(2), Some(7), Some(3))
    );
    assert_eq!(team.friendly_name.as_deref(), Some("15551234567"));
    assert_eq!(team.description.as_deref(), Some("false"));
    let context = c
        .flex_v1()
        .team_context(INSTANCE)
        .fetch()
        .send()
        .await
        .unwrap();
    assert_eq!(context.team_setup_complete, Some(true));
    assert_eq!(context.conversational_insights_enabled, Some(false));
    assert_eq!(context.historical_reporting_enabled, None);
    let user = c
        .flex_v2()
        .flex_user(INSTANCE)
        .fetch("FUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .send()
        .await
        .unwrap();
    // A list keeps its readable items, in order; the others are left out.
    assert_eq!(
        user.roles.as_deref(),
        Some(&["agent".to_string(), "5".into(), "true".into()][..])
    );
    assert_eq!(user.version, None);
    assert_eq!(user.email.as_deref(), Some("42"));
    assert_eq!(user.created_date, None);
    assert!(user.updated_date.as_ref().unwrap().parsed().is_some());
    assert_eq!(user.instance_sid.as_ref().unwrap().as_str(), "12");
    assert!(!user.instance_sid.as_ref().unwrap().is_well_formed());
}

// ---- 3. pagination cannot loop ----

#[tokio::test]
async fn a_page_that_links_to_itself_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let me = format!("{}{TEAMS_PATH}?PageSize=1&Page=0", server.uri());
    Mock::given(method("GET"))
        .and(path(TEAMS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "teams": [{"friendly_name": "t"}],
            "meta": {"key": "teams", "next_page_url": me},
        })))
        .mount(&server)
        .await;
    let mut stream = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream();
    let mut items = 0;
    let err = loop {
        // Bounded whatever happens: a looping stream would exhaust this.
        assert!(items < 100, "the stream did not end");
        match stream.next().await.unwrap() {
            Ok(_) => items += 1,
            Err(e) => break e,
        }
    };
    let Error::Pagination { reason, .. } = &err else {
        panic!("expected a pagination error, got {err:?}")
    };
    assert!(reason.contains("before"), "{reason}");
    // The first page, then the link to itself once: never a third request.
    assert!(requests(&server).await <= 2, "{}", requests(&server).await);
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn the_same_next_token_forever_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "owners": [{"email": "o@example.com"}],
            "meta": {"key": "owners", "next_token": "again"},
        })))
        .mount(&server)
        .await;
    let result = tokio::time::timeout(
        Duration::from_secs(10),
        client(&server.uri())
            .flex_v1()
            .team_owners(INSTANCE, TEAM)
            .list()
            .stream()
            .collect(),
    )
    .await
    .expect("the stream ended");
    let err = result.unwrap_err();
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert!(requests(&server).await <= 3, "{}", requests(&server).await);
}

/// Empty pages, each linking to the next page number on the server at the
/// given base URL: a list that never ends.
struct EmptyPagesForever(String);

impl Respond for EmptyPagesForever {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let page: u64 = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "Page")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let next = format!("{}{TEAMS_PATH}?Page={}", self.0, page + 1);
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "teams": [],
            "meta": {"key": "teams", "next_page_url": next},
        }))
    }
}

#[tokio::test]
async fn empty_pages_that_link_onwards_end_the_stream_even_with_a_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(TEAMS_PATH))
        .respond_with(EmptyPagesForever(server.uri()))
        .mount(&server)
        .await;
    let mut stream = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream()
        .limit(1);
    let next = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("next() returned");
    let err = next.unwrap().unwrap_err();
    let Error::Pagination { reason, .. } = &err else {
        panic!("expected a pagination error, got {err:?}")
    };
    assert!(reason.contains("empty pages"), "{reason}");
    assert_eq!(requests(&server).await, MAX_EMPTY_PAGES);
}

// ---- 4. configuration cannot redirect credentials ----

#[test]
fn region_and_edge_must_be_dns_labels() {
    for bad in [
        "attacker.example:",
        "",
        "a.b",
        "x/y",
        "x@y",
        "-au1",
        "au1-",
        "a u",
    ] {
        let m = config_error(builder().edge(bad));
        assert!(m.contains("edge") && m.contains("DNS label"), "{m}");
        let m = config_error(builder().region(bad));
        assert!(m.contains("region"), "{m}");
    }
    // Well-formed ones still work, also from the environment's values.
    assert!(builder().region("au1").edge("sydney").build().is_ok());
}

#[test]
fn a_base_url_with_credentials_a_query_or_a_fragment_is_refused() {
    let m = config_error(builder().base_url("http://user:hunter2@127.0.0.1:9/"));
    assert!(m.contains("credentials"), "{m}");
    assert!(!m.contains("hunter2"), "the password is not echoed: {m}");
    let m = config_error(builder().base_url("http://127.0.0.1:9/?x=1"));
    assert!(m.contains("query"), "{m}");
    let m = config_error(builder().base_url("http://127.0.0.1:9/#f"));
    assert!(m.contains("fragment"), "{m}");
    // A path prefix is fine (a proxy that mounts the API under one).
    assert!(builder()
        .base_url("http://127.0.0.1:9/twilio")
        .build()
        .is_ok());
}

#[test]
fn zero_timeouts_and_a_zero_body_bound_are_refused() {
    let m = config_error(builder().timeout(Duration::ZERO));
    assert!(m.contains("timeout"), "{m}");
    config_error(builder().connect_timeout(Duration::ZERO));
    config_error(builder().total_timeout(Duration::ZERO));
    config_error(builder().max_response_bytes(0));
}

#[tokio::test]
async fn a_zero_request_timeout_is_refused_without_a_request() {
    let silent = Silent::new();
    let err = silent
        .client
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .request_timeout(Duration::ZERO)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    silent.assert_no_connection();
}

// ---- 5. next pages through a base-URL override ----

/// Three pages of one team each whose links name `next_host` (Twilio's host).
async fn mount_pages_linking_to(server: &MockServer, next_host: &str) {
    for n in 0..3u32 {
        let next = (n < 2).then(|| format!("{next_host}{TEAMS_PATH}?PageSize=1&Page={}", n + 1));
        let m = Mock::given(method("GET")).and(path(TEAMS_PATH));
        let m = if n == 0 {
            m.and(query_param_is_missing("Page"))
        } else {
            m.and(query_param("Page", n.to_string()))
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "teams": [{"friendly_name": format!("team {n}")}],
            "meta": {"key": "teams", "next_page_url": next},
        })))
        .mount(server)
        .await;
    }
}

#[tokio::test]
async fn links_to_twilios_own_host_are_followed_through_the_base_url() {
    for (region, host) in [
        (None, "https://flex-api.twilio.com"),
        (Some("au1"), "https://flex-api.au1.twilio.com"),
    ] {
        let server = MockServer::start().await;
        mount_pages_linking_to(&server, host).await;
        let mut b = builder().base_url(server.uri());
        if let Some(r) = region {
            b = b.region(r);
        }
        let teams = b
            .build()
            .unwrap()
            .flex_v1()
            .teams(INSTANCE)
            .list()
            .stream()
            .collect()
            .await
            .unwrap();
        let names: Vec<_> = teams
            .iter()
            .map(|t| t.friendly_name.clone().unwrap())
            .collect();
        assert_eq!(names, ["team 0", "team 1", "team 2"], "{host}");
        let reqs = server.received_requests().await.unwrap();
        assert_eq!(reqs.len(), 3);
        assert_eq!(reqs[2].url.query(), Some("PageSize=1&Page=2"));
        assert!(reqs[2].headers.contains_key("authorization"));
    }
}

#[tokio::test]
async fn a_base_url_path_prefix_is_kept_for_next_pages_of_both_kinds() {
    use twilio_flex::runtime::{FlatPage, ItemStream, ItemsMember, Request};
    let server = MockServer::start().await;
    let base = format!("{}/proxy", server.uri());
    // Absolute links to Twilio's host (Flex's `next_page_url`).
    for n in 0..2u32 {
        let next = (n == 0).then(|| format!("https://flex-api.twilio.com{TEAMS_PATH}?Page=1"));
        let m = Mock::given(method("GET")).and(path(format!("/proxy{TEAMS_PATH}")));
        let m = if n == 0 {
            m.and(query_param_is_missing("Page"))
        } else {
            m.and(query_param("Page", "1"))
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "teams": [{"friendly_name": format!("team {n}")}],
            "meta": {"key": "teams", "next_page_url": next},
        })))
        .mount(&server)
        .await;
    }
    let c = client(&base);
    let teams = c
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .stream()
        .collect()
        .await
        .unwrap();
    assert_eq!(teams.len(), 2);
    // URIs relative to the API host (api_v2010's `next_page_uri`).
    let calls = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls.json";
    for n in 0..2u32 {
        let next = (n == 0).then(|| format!("{calls}?Page=1"));
        let m = Mock::given(method("GET")).and(path(format!("/proxy{calls}")));
        let m = if n == 0 {
            m.and(query_param_is_missing("Page"))
        } else {
            m.and(query_param("Page", "1"))
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "calls": [{"level": n}],
            "next_page_uri": next,
        })))
        .mount(&server)
        .await;
    }
    struct Calls;
    impl ItemsMember for Calls {
        const NAME: &'static str = "calls";
    }
    let req = Request::new(
        reqwest::Method::GET,
        "https://api.twilio.com",
        "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls.json",
        true,
        Default::default(),
        twilio_flex::PII_MEMBERS,
    );
    // Any generated struct serves as the items here.
    type Item = twilio_flex::flex_v1::models::FlexTeam;
    let items = ItemStream::<FlatPage<Item, Calls>>::new(Ok((c, req)), None)
        .collect()
        .await
        .unwrap();
    let levels: Vec<Option<i64>> = items.iter().map(|t| t.level).collect();
    assert_eq!(levels, [Some(0), Some(1)]);
    assert_eq!(requests(&server).await, 4, "every page under /proxy");
}

#[tokio::test]
async fn links_to_other_twilio_hosts_are_still_refused_with_an_override() {
    let server = MockServer::start().await;
    // Another product's host, and a look-alike: neither is this API's.
    for host in [
        "https://api.twilio.com",
        "https://flex-api.twilio.com.attacker.example",
    ] {
        server.reset().await;
        mount_pages_linking_to(&server, host).await;
        let err = client(&server.uri())
            .flex_v1()
            .teams(INSTANCE)
            .list()
            .stream()
            .collect()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Pagination { .. }), "{host}: {err:?}");
        assert_eq!(requests(&server).await, 1);
    }
}

// ---- 6. path segments are checked as they will be sent ----

#[tokio::test]
async fn a_path_value_the_url_parser_would_rewrite_is_refused() {
    use twilio_flex::runtime::{Request, RequestOptions};
    for value in [".\t.", "\t", "a\nb", ".\r."] {
        let silent = Silent::new();
        let mut req = Request::new(
            reqwest::Method::GET,
            "https://things.twilio.com",
            "/v1/Things/{Name}/Sub",
            true,
            RequestOptions::default(),
            twilio_flex::PII_MEMBERS,
        );
        req.path("Name", value.to_string()).unwrap();
        let err = silent.client.execute_empty(req).await.unwrap_err();
        assert_invalid_argument(err, "Name");
        silent.assert_no_connection();
    }
}

// ---- 7. compression is not negotiated ----

#[tokio::test]
async fn requests_ask_for_an_uncompressed_body() {
    let (url, server) = common::serve_once("200 OK", &[], r#"{"friendly_name":"t"}"#);
    client(&url)
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .send()
        .await
        .unwrap();
    let request = server.join().unwrap().to_ascii_lowercase();
    assert!(
        request.contains("accept-encoding: identity\r\n"),
        "{request}"
    );
}

#[tokio::test]
async fn a_compressed_body_we_did_not_ask_for_fails_clearly_and_bounded() {
    // `{"team_sid":"QOaa…","level":1}`, gzipped (Python's `gzip.compress`).
    const GZIPPED: [u8; 51] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0x2a, 0x49, 0x4d,
        0xcc, 0x8d, 0x2f, 0xce, 0x4c, 0x51, 0xb2, 0x52, 0x50, 0x0a, 0xf4, 0x4f, 0x24, 0x00, 0x94,
        0x74, 0x14, 0x94, 0x72, 0x52, 0xcb, 0x52, 0x73, 0x80, 0xca, 0x0d, 0x6b, 0x01, 0x66, 0x5b,
        0xa1, 0x8a, 0x3e, 0x00, 0x00, 0x00,
    ];
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(TEAM_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw(GZIPPED.to_vec(), "application/json"),
        )
        .mount(&server)
        .await;
    let started = Instant::now();
    let err = client(&server.uri())
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .send()
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    let Error::Decode { message, .. } = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(
        message.contains("`Content-Encoding: gzip`") && message.contains("does not decompress"),
        "{message}"
    );
    // A compressed body counts against the body bound as received: a large
    // one is refused like any other (the bound itself is `body_bound.rs`'s).
    let mut big = GZIPPED.to_vec();
    big.resize(64 * 1024, 0);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Content-Encoding", "gzip")
                .set_body_raw(big, "application/json"),
        )
        .mount(&server)
        .await;
    let err = builder()
        .base_url(server.uri())
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap()
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { .. }), "{err:?}");
}

// ---- 8. every call has a bounded total time ----

#[tokio::test]
async fn the_total_timeout_bounds_a_call_across_retries() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hold = tokio::spawn(async move {
        let mut held = vec![];
        while let Ok((conn, _)) = listener.accept().await {
            held.push(conn);
        }
    });
    let retries = RetryPolicy::new()
        .max_attempts(50)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2));
    // Per client: 50 attempts of 200 ms would take 10 s.
    let c = builder()
        .base_url(&url)
        .timeout(Duration::from_millis(200))
        .total_timeout(Duration::from_millis(700))
        .retry(retries.clone())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .send()
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    // Per request: overrides the client's.
    let started = Instant::now();
    let err = c
        .flex_v1()
        .teams(INSTANCE)
        .fetch(TEAM)
        .total_timeout(Duration::from_millis(250))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert!(
        started.elapsed() < took,
        "{:?} vs {took:?}",
        started.elapsed()
    );
    hold.abort();
}
