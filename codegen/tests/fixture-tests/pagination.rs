//! api_v2010-style paging end to end, run by `cargo xtask test` inside the crate
//! generated from `codegen/tests/fixtures/pagination.json` (the Flex specs page
//! with `meta` only). The flat list is a `runtime::FlatPage`: its items member
//! is read by name, `next_page_uri` is followed relative to the host, and an
//! empty `next_page_uri` ends the stream. The account in the path is the
//! client's unless `for_account` names another.

use fixture_pagination::runtime::{NextPage, Page, RetryPolicy};
use fixture_pagination::{Client, Credentials, Error};
use fixture_pagination::prelude::*;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ACCOUNT: &str = "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const LIST: &str = "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Calls.json";

fn page(names: &[&str], page: i64, next: Option<&str>) -> serde_json::Value {
    json!({
        "calls": names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>(),
        "first_page_uri": format!("{LIST}?PageSize=2&Page=0"),
        "next_page_uri": next,
        "previous_page_uri": null,
        "uri": format!("{LIST}?PageSize=2&Page={page}"),
        "page": page,
        "page_size": 2,
        "start": page * 2,
        "end": page * 2 + names.len() as i64 - 1,
    })
}

async fn client_for(server: &MockServer) -> Client {
    Client::builder(Credentials::auth_token(ACCOUNT, "t"))
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_flat_list_streams_across_pages_by_next_page_uri() {
    let server = MockServer::start().await;
    let second = format!("{LIST}?PageSize=2&Page=1&PageToken=PT1");
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param_is_missing("Page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["a", "b"], 0, Some(&second))))
        // Once by `send()`, once by `stream()`.
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("Page", "1"))
        .and(query_param("PageToken", "PT1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["c"], 1, Some(""))))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;

    let first = client.test_v2010().calls().list().page_size(2).send().await.unwrap();
    assert_eq!(first.items.len(), 2);
    assert_eq!((first.page, first.page_size, first.end), (Some(0), Some(2), Some(1)));
    assert_eq!(first.next_page(), Some(NextPage::Uri(second.clone())));

    let names: Vec<String> = client
        .test_v2010()
        .calls()
        .list()
        .page_size(2)
        .stream()
        .collect()
        .await
        .unwrap()
        .into_iter()
        .map(|call| call.name.unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_flat_page_round_trips_with_its_items_member_name() {
    let server = MockServer::start().await;
    let body = page(&["a"], 0, None);
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
        .mount(&server)
        .await;
    let got = client_for(&server).await.test_v2010().calls().list().send().await.unwrap();
    let mut expected = body;
    // `null` members are written back as absent.
    expected.as_object_mut().unwrap().retain(|_, v| !v.is_null());
    assert_eq!(serde_json::to_value(&got).unwrap(), expected);
}

#[tokio::test]
async fn camel_case_token_paging_streams_by_next_token_and_page_token() {
    let server = MockServer::start().await;
    let roles = |names: &[&str], next: Option<&str>| {
        json!({
            "content": names.iter().map(|n| json!({"name": n})).collect::<Vec<_>>(),
            "meta": {"key": "content", "pageSize": 2, "nextToken": next, "previousToken": null},
        })
    };
    Mock::given(method("GET"))
        .and(path("/v1/Roles"))
        .and(query_param_is_missing("pageToken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(roles(&["a", "b"], Some("t2"))))
        .expect(2) // by send(), then by the stream
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/Roles"))
        .and(query_param("pageToken", "t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(roles(&["c"], None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_for(&server).await;
    let first = client.test_v1().roles().list().page_size(2).send().await.unwrap();
    assert!(matches!(first.next_page(), Some(NextPage::Token(t)) if t == "t2"));
    let names: Vec<String> = client
        .test_v1()
        .roles()
        .list()
        .page_size(2)
        .stream()
        .collect()
        .await
        .unwrap()
        .into_iter()
        .filter_map(|g| g.name)
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
}

#[tokio::test]
async fn the_account_in_the_path_is_the_clients_unless_another_is_named() {
    let server = MockServer::start().await;
    const OTHER: &str = "ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const SUB: &str = "ACcccccccccccccccccccccccccccccccc";
    let empty = ResponseTemplate::new(200).set_body_json(page(&[], 0, None));
    for account in [OTHER, SUB] {
        Mock::given(method("GET"))
            .and(path(format!("/2010-04-01/Accounts/{account}/Calls.json")))
            .respond_with(empty.clone())
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = Client::builder(Credentials::auth_token(OTHER, "t"))
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    client.test_v2010().calls().list().send().await.unwrap();
    // A subaccount, with the same credentials.
    client.test_v2010().calls().for_account(SUB).list().send().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs[0].url.path(), format!("/2010-04-01/Accounts/{OTHER}/Calls.json"));
    assert_eq!(reqs[1].url.path(), format!("/2010-04-01/Accounts/{SUB}/Calls.json"));
    assert_eq!(reqs[0].headers["authorization"], reqs[1].headers["authorization"]);

    // A client account that is not an account SID is reported, naming the
    // parameter, before anything is sent; so is a malformed subaccount.
    let odd = Client::builder(Credentials::auth_token("not-a-sid", "t"))
        .base_url(server.uri())
        .build()
        .unwrap();
    let err = odd.test_v2010().calls().list().send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument { param, .. } if *param == "AccountSid"), "{err:?}");
    let err = client.test_v2010().calls().for_account("ACx").list().send().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidArgument { param, .. } if *param == "AccountSid"), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
