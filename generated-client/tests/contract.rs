//! Contract tests: the generated client calls each operation against the Prism mock
//! server, which rejects any request that violates the spec (422 for parameters and
//! bodies, 401 for missing Basic auth, 415 for a wrong content type). A passing call
//! proves the wire format; the decoded values are compared with the spec's examples.
//!
//! `cargo xtask test` starts Prism from the merged spec and sets `TWILIO_PRISM_URL`.

mod common;

use common::{assert_invalid_argument, prism_client, prism_url, Silent};
use twilio_flex::prelude::*;
use twilio_flex::{Client, Credentials, Error};

const SPEC: &str = "twilio_flex_v2.json";

const INSTANCE: &str = "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const FLEX_USER: &str = "FUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// A date-time member as decoded: parsed (a `Lenient` keeps text that is not).
fn datetime(s: &str) -> twilio_flex::runtime::Lenient<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .unwrap()
        .into()
}

fn assert_example_flex_user(user: &twilio_flex::flex_v2::models::FlexUser) {
    assert_eq!(
        user.account_sid.as_ref().map(|s| s.as_str()),
        Some("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        user.instance_sid.as_ref().map(|s| s.as_str()),
        Some(INSTANCE)
    );
    assert_eq!(
        user.flex_user_sid.as_ref().map(|s| s.as_str()),
        Some(FLEX_USER)
    );
    assert_eq!(
        user.user_sid.as_ref().map(|s| s.as_str()),
        Some("USaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        user.worker_sid.as_ref().map(|s| s.as_str()),
        Some("WKaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        user.workspace_sid.as_ref().map(|s| s.as_str()),
        Some("WSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(
        user.flex_team_sid.as_ref().map(|s| s.as_str()),
        Some("QOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(user.username.as_deref(), Some("username"));
    assert_eq!(user.email.as_deref(), Some("sample@example.com"));
    assert_eq!(user.locale.as_deref(), Some("en-US"));
    assert_eq!(user.roles.as_deref(), Some(&["agent".to_string()][..]));
    assert_eq!(user.created_date, Some(datetime("2024-07-31T04:00:00Z")));
    assert_eq!(user.updated_date, Some(datetime("2024-07-31T04:00:00Z")));
    assert_eq!(user.version, Some(1));
    assert_eq!(
        user.url.as_deref(),
        Some("https://flex-api.twilio.com/v2/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Users/FUaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
}

#[tokio::test]
async fn fetch_flex_user_matches_the_spec_example() {
    let user = prism_client()
        .flex_v2()
        .flex_user(INSTANCE)
        .fetch(FLEX_USER)
        .send()
        .await
        .unwrap();
    assert_example_flex_user(&user);
    common::assert_round_trips(&user, SPEC, "FetchFlexUser", "fetch");
}

#[tokio::test]
async fn update_flex_user_sends_a_valid_form_body() {
    let user = prism_client()
        .flex_v2()
        .flex_user(INSTANCE)
        .update(FLEX_USER)
        .email("sample@example.com")
        .user_sid("USaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .locale("en-US")
        .send()
        .await
        .unwrap();
    assert_example_flex_user(&user);
    common::assert_round_trips(&user, SPEC, "UpdateFlexUser", "update");
}

#[tokio::test]
async fn create_web_channel_sends_the_header_and_required_field() {
    let channel = prism_client()
        .flex_v2()
        .web_channels()
        .create("IGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .chat_friendly_name("LoquaciousLarry")
        .customer_friendly_name("LarryDavid")
        .identity("seinfeld")
        .pre_engagement_data("{\"friendlyName\":\"Larry\"}")
        .ui_version("2.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(
        channel.conversation_sid.as_ref().map(|s| s.as_str()),
        Some("CHaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
    );
    assert_eq!(channel.identity.as_deref(), Some("seinfeld"));
    common::assert_round_trips(&channel, SPEC, "CreateWebChannel", "create");
}

#[tokio::test]
async fn typed_sids_are_accepted_as_arguments() {
    use twilio_flex::sids::{FlexUserSid, InstanceSid};
    let instance = InstanceSid::parse(INSTANCE).unwrap();
    let user_sid: FlexUserSid = FLEX_USER.parse().unwrap();
    let user = prism_client()
        .flex_v2()
        .flex_user(&instance)
        .fetch(user_sid)
        .send()
        .await
        .unwrap();
    assert_eq!(user.instance_sid, Some(instance));
}

#[tokio::test]
async fn prism_rejects_requests_that_break_the_spec() {
    // The harness is only a proof if Prism really checks: no Basic auth gives 401,
    // a create without its required field gives 422.
    let url = prism_url();
    let http = reqwest::Client::new();
    let resp = http
        .get(format!("{url}/v2/Instances/{INSTANCE}/Users/{FLEX_USER}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = http
        .post(format!("{url}/v2/WebChats"))
        .basic_auth("AC", Some("x"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("Identity=x")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
}

#[tokio::test]
async fn malformed_path_sid_fails_before_any_request() {
    let silent = Silent::new();
    let err = silent
        .client
        .flex_v2()
        .flex_user("GO123")
        .fetch(FLEX_USER)
        .send()
        .await
        .unwrap_err();
    assert_invalid_argument(err, "InstanceSid");
    // Right length, wrong prefix: a user SID where a flex user SID is expected.
    let err = silent
        .client
        .flex_v2()
        .flex_user(INSTANCE)
        .fetch("USaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
        .send()
        .await
        .unwrap_err();
    assert_invalid_argument(err, "FlexUserSid");
    silent.assert_no_connection();
}

#[tokio::test]
async fn malformed_body_sid_fails_before_any_request() {
    let silent = Silent::new();
    let err = silent
        .client
        .flex_v2()
        .flex_user(INSTANCE)
        .update(FLEX_USER)
        .user_sid("USzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")
        .send()
        .await
        .unwrap_err();
    assert_invalid_argument(err, "UserSid");
    silent.assert_no_connection();
}

#[tokio::test]
async fn a_valid_request_does_reach_the_silent_listener() {
    // The converse of the checks above, so `assert_no_connection` cannot pass vacuously.
    let silent = Silent::new();
    let client = Client::builder(Credentials::auth_token(
        "AC00000000000000000000000000000000",
        "t",
    ))
    .base_url(format!("http://{}", silent.listener.local_addr().unwrap()))
    .timeout(std::time::Duration::from_millis(300))
    .build()
    .unwrap();
    let err = client
        .flex_v2()
        .flex_user(INSTANCE)
        .fetch(FLEX_USER)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout(_)), "got {err:?}");
    assert!(
        silent.listener.accept().is_ok(),
        "the request should have connected"
    );
}
