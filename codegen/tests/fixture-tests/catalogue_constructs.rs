//! Constructs from Twilio's wider catalogue, run by `cargo xtask test` inside the
//! crate generated from `codegen/tests/fixtures/catalogue_constructs.json`:
//! parameter `pattern`s, untyped SIDs, item lengths and map sizes are checked
//! before anything is sent; a `scim+json` response and an `allOf` decode.

use fixture_catalogue_constructs::runtime::RetryPolicy;
use fixture_catalogue_constructs::{Client, Credentials, Error};
use fixture_catalogue_constructs::prelude::*;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SID: &str = "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn client(base: &str) -> Client {
    Client::builder(Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "t"))
        .base_url(base)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// The parameter an `InvalidArgument` names; anything else fails the test.
fn rejected(result: Result<impl std::fmt::Debug, Error>) -> String {
    match result {
        Err(Error::InvalidArgument { param, .. }) => param.to_string(),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

#[tokio::test]
async fn constraints_are_checked_before_sending() {
    // Nothing listens here: a request that got past the checks would fail to connect.
    let c = client("http://127.0.0.1:9");
    let users = || c.test_v1().users();
    assert_eq!(rejected(users().list().display_name("no spaces").send().await), "DisplayName");
    assert_eq!(rejected(users().list().display_name("a".repeat(21)).send().await), "DisplayName");
    assert_eq!(rejected(users().list().tag(["tag_1", "other"]).send().await), "Tag");
    assert_eq!(rejected(users().list().tag(["tag_123456789"]).send().await), "Tag");
    assert_eq!(rejected(users().list().resource_sid("CA123").send().await), "ResourceSid");
    assert_eq!(rejected(users().list().grouping_sid([SID.to_lowercase()]).send().await), "GroupingSid");
    let three: std::collections::BTreeMap<String, String> =
        [("a", "1"), ("b", "2"), ("c", "3")].map(|(k, v)| (k.into(), v.into())).into();
    assert_eq!(rejected(users().create("ann").traits(three).send().await), "traits");
}

#[tokio::test]
async fn valid_values_are_sent_and_json_variants_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/Users"))
        .and(query_param("DisplayName", "team-1"))
        .and(query_param("Tag", "tag_a"))
        .and(query_param("ResourceSid", SID))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"sid": "US1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/Users"))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_raw(r#"{"sid":"US2","swap":{"swapped":true}}"#, "application/scim+json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/Assistants/a1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "a1", "name": "n", "tools": ["search"]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server.uri());
    let user = c
        .test_v1()
        .users()
        .list()
        .display_name("team-1")
        .tag(["tag_a"])
        .resource_sid(SID)
        .send()
        .await
        .unwrap();
    assert_eq!(user.sid.as_deref(), Some("US1"));
    let created = c.test_v1().users().create("ann").send().await.unwrap();
    assert_eq!(created.swap.and_then(|s| s.swapped), Some(true));
    let assistant = c.test_v1().assistants().fetch("a1").send().await.unwrap();
    assert_eq!((assistant.id.as_deref(), assistant.tools), (Some("a1"), vec!["search".to_string()]));
}
