//! What reaches the wire for the constructs of `codegen/tests/fixtures/implicit_shapes.json`
//! (found with Twilio's own generator test specs), run by `cargo xtask test` inside
//! the crate generated from it. Query maps go as JSON text and integer lists as
//! repeated keys, as twilio-go and twilio-python send them; a member that `required`
//! names but `properties` does not describe is a required argument sent as given;
//! `items` without `type` decodes as a list, and `required` beside an `allOf` makes
//! the combined members required.

use fixture_implicit_shapes::runtime::RetryPolicy;
use fixture_implicit_shapes::{Client, Credentials, Error};
use fixture_implicit_shapes::prelude::*;
use serde_json::json;
use wiremock::matchers::{body_json, body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(base: &str) -> Client {
    Client::builder(Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "t"))
        .base_url(base)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// The request's query as decoded (name, value) pairs, sorted.
fn query_pairs(r: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = r
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn query_maps_integer_lists_inequalities_and_headers() -> Result<(), Error> {
    let server = MockServer::start().await;
    let expected: Vec<(String, String)> = [
        ("Ids", "1"),
        ("Ids", "22"),
        ("Labels", r#"{"k":"v"}"#),
        ("Links", r#"{"a":"https://example.com/a"}"#),
        ("RunDate", "2024-01-02"),
        ("RunDate<", "2024-02-01"),
        ("RunDate>", "2023-12-01"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Mock::given(method("POST"))
        .and(path("/v1/Jobs/job-1"))
        .and(move |r: &Request| query_pairs(r) == expected)
        .and(header("X-Request-Id", "r-1"))
        // The member the spec requires but does not describe goes as text.
        .and(body_string("Age=3&Extra=hello"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let date = |y, m, d| time::Date::from_calendar_date(y, m, d).unwrap();
    let r = client(&server.uri())
        .test_v1()
        .jobs()
        .create("job-1", [1, 22], 3, "hello")
        .run_date(date(2024, time::Month::January, 2))
        .run_date_before(date(2024, time::Month::February, 1))
        .run_date_after(date(2023, time::Month::December, 1))
        .links([("a".to_string(), "https://example.com/a".to_string())].into())
        .labels([("k".to_string(), "v".to_string())].into())
        .x_request_id("r-1")
        .send()
        .await?;
    assert_eq!(r.ok, Some(true));
    Ok(())
}

#[tokio::test]
async fn json_member_required_but_undescribed_is_sent_as_given() -> Result<(), Error> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/Documents"))
        .and(body_json(json!({"id": "d1", "nestedModel": {"k": [1, 2]}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .expect(1)
        .mount(&server)
        .await;
    let r = client(&server.uri())
        .test_v1()
        .documents()
        .create("d1", json!({"k": [1, 2]}))
        .send()
        .await?;
    assert_eq!(r.ok, Some(true));
    Ok(())
}

#[tokio::test]
async fn items_without_type_is_a_list_of_all_of_objects() -> Result<(), Error> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/Pools"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "pools": [
                {"id": "p1", "name": "One", "senders": ["+15550100"]},
                {"id": "p2", "name": "Two"}
            ]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let r = client(&server.uri()).test_v1().pools().list().send().await?;
    let pools = r.pools.expect("pools");
    assert_eq!(pools.len(), 2);
    // `required: [id, name]` beside the `allOf`: plain fields, not options.
    let (id, name): (&String, &String) = (&pools[0].id, &pools[0].name);
    assert_eq!((id.as_str(), name.as_str()), ("p1", "One"));
    assert_eq!(pools[0].senders.as_deref(), Some(&["+15550100".to_string()][..]));
    assert_eq!((pools[1].id.as_str(), pools[1].senders.is_none()), ("p2", true));
    Ok(())
}
