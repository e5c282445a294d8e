//! Forward compatibility, run by `cargo xtask test` inside the crate generated from
//! `codegen/tests/fixtures/enum.json` (the Flex specs have no enum to test it on).
//! A response from a newer API — unknown enum values, unknown fields — decodes
//! instead of failing, and known values still map to their variants.

use fixture_enum::runtime::RetryPolicy;
use fixture_enum::test_v1::models::{CallAnsweredBy, CallEnumStatus};
use fixture_enum::{Client, Credentials};
use fixture_enum::prelude::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn create_call_answered_with(body: serde_json::Value) -> fixture_enum::test_v1::models::Call {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/Calls"))
        .respond_with(ResponseTemplate::new(201).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(Credentials::auth_token("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "t"))
        .base_url(server.uri())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    client.test_v1().calls().create().send().await.unwrap()
}

#[tokio::test]
async fn unknown_enum_values_and_fields_decode() {
    let call = create_call_answered_with(serde_json::json!({
        "status": "ringing-on-mars",
        "answered_by": "fax",
        "a_field_from_next_year": {"nested": [1, 2]}
    }))
    .await;
    assert_eq!(call.status, Some(CallEnumStatus::Other("ringing-on-mars".into())));
    assert_eq!(call.answered_by, Some(CallAnsweredBy::Other("fax".into())));
    // The unknown value is kept as received and sent back unchanged.
    assert_eq!(call.status.as_ref().unwrap().as_str(), "ringing-on-mars");
    assert_eq!(
        serde_json::to_value(&call).unwrap(),
        serde_json::json!({"status": "ringing-on-mars", "answered_by": "fax"})
    );
}

#[tokio::test]
async fn known_values_keep_their_variants() {
    let call = create_call_answered_with(serde_json::json!({
        "status": "in-progress",
        "answered_by": "1"
    }))
    .await;
    assert_eq!(call.status, Some(CallEnumStatus::InProgress));
    assert_eq!(call.answered_by, Some(CallAnsweredBy::V1));
    // A spec value spelled `Other` is a named variant, not the catch-all.
    let other: CallEnumStatus = serde_json::from_str("\"Other\"").unwrap();
    assert_eq!(other, CallEnumStatus::Other_);
}

#[tokio::test]
async fn nulls_decode_as_none() {
    let call = create_call_answered_with(serde_json::json!({
        "status": null,
        "answered_by": null
    }))
    .await;
    assert_eq!(call.status, None);
    assert_eq!(call.answered_by, None);
}
