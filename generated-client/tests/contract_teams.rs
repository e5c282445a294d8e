//! Contract tests for the Flex v1 Teams supplement: every operation is called against
//! the Prism mock server started from the merged specs (see `contract.rs` for what
//! Prism checks), and each decoded response equals the supplement's example, which
//! is the docs page's example.

mod common;

use common::{assert_invalid_argument, assert_round_trips, prism_client, Silent};
use twilio_flex::prelude::*;
use twilio_flex::runtime::{NextPage, Page};
use twilio_flex::sids::TeamSid;

const SPEC: &str = "twilio_flex_v1_teams.json";
const INSTANCE: &str = "GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const DEFAULT_TEAM: &str = "QO00000000000000000000000000000000";
const PARENT_TEAM: &str = "QO00000000000000000000000000000001";
const NEW_TEAM: &str = "QO00000000000000000000000000000002";
const USER: &str = "FU00000000000000000000000000000000";

fn sid_text<S: twilio_flex::Sid>(sid: &Option<S>) -> Option<&str> {
    sid.as_ref().map(|s| s.as_str())
}

#[tokio::test]
async fn list_teams_gives_a_page_with_url_metadata() {
    let page = prism_client()
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .page_size(50)
        .include_transitive(false)
        .send()
        .await
        .unwrap();
    assert_round_trips(&page, SPEC, "ListFlexTeam", "read");
    let meta = page.meta.as_ref().unwrap();
    assert_eq!(meta.key.as_deref(), Some("teams"));
    assert_eq!(meta.page, Some(0));
    assert_eq!(meta.page_size, Some(50));
    assert_eq!(page.next_page(), None, "the example is the last page");
    let teams = page.into_items();
    assert_eq!(teams.len(), 1);
    assert_eq!(sid_text(&teams[0].team_sid), Some(DEFAULT_TEAM));
    assert_eq!(teams[0].parent_team_sid, None);
    assert_eq!(teams[0].level, Some(1));
}

#[tokio::test]
async fn list_teams_of_an_owner() {
    let page = prism_client()
        .flex_v1()
        .teams(INSTANCE)
        .list()
        .owner(USER)
        .include_transitive(true)
        .page_token("PT0")
        .send()
        .await
        .unwrap();
    assert_round_trips(&page, SPEC, "ListFlexTeam", "read");
}

#[tokio::test]
async fn create_team_sends_every_field() {
    let team = prism_client()
        .flex_v1()
        .teams(INSTANCE)
        .create("teamName")
        .description("description")
        .level(1)
        .parent_team_sid(PARENT_TEAM)
        .send()
        .await
        .unwrap();
    assert_round_trips(&team, SPEC, "CreateFlexTeam", "create");
    assert_eq!(sid_text(&team.team_sid), Some(NEW_TEAM));
    assert_eq!(sid_text(&team.parent_team_sid), Some(PARENT_TEAM));
}

#[tokio::test]
async fn fetch_team() {
    let team = prism_client()
        .flex_v1()
        .teams(INSTANCE)
        .fetch(DEFAULT_TEAM)
        .send()
        .await
        .unwrap();
    assert_round_trips(&team, SPEC, "FetchFlexTeam", "fetch");
    assert_eq!(team.friendly_name.as_deref(), Some("default"));
    assert_eq!(team.member_count, Some(10));
    assert_eq!(team.version, Some(1));
}

#[tokio::test]
async fn update_team() {
    let team = prism_client()
        .flex_v1()
        .teams(INSTANCE)
        .update(NEW_TEAM, "newTeamName")
        .description("description")
        .parent_team_sid(TeamSid::parse(PARENT_TEAM).unwrap())
        .send()
        .await
        .unwrap();
    assert_round_trips(&team, SPEC, "UpdateFlexTeam", "update");
    assert_eq!(team.friendly_name.as_deref(), Some("newTeamName"));
}

#[tokio::test]
async fn update_team_with_an_empty_description() {
    // Update allows an empty description (0..1000 characters), unlike create (1..1000).
    prism_client()
        .flex_v1()
        .teams(INSTANCE)
        .update(NEW_TEAM, "newTeamName")
        .description("")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn delete_team() {
    prism_client()
        .flex_v1()
        .teams(INSTANCE)
        .delete(NEW_TEAM)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn list_members_gives_a_page_with_list_key() {
    let page = prism_client()
        .flex_v1()
        .team_members(INSTANCE, DEFAULT_TEAM)
        .list()
        .page_size(50)
        .send()
        .await
        .unwrap();
    assert_round_trips(&page, SPEC, "ListFlexTeamMembers", "read");
    assert_eq!(
        page.meta.as_ref().unwrap().list_key.as_deref(),
        Some("members")
    );
    assert_eq!(page.next_page(), None);
    let members = page.into_items();
    assert_eq!(members[0].email.as_deref(), Some("test@twilio.com"));
    assert_eq!(sid_text(&members[0].flex_user_sid), Some(USER));
}

#[tokio::test]
async fn add_member() {
    let member = prism_client()
        .flex_v1()
        .team_members(INSTANCE, DEFAULT_TEAM)
        .create(USER)
        .send()
        .await
        .unwrap();
    assert_round_trips(&member, SPEC, "CreateFlexTeamMembers", "create");
}

#[tokio::test]
async fn list_owners_gives_a_page_with_token_metadata() {
    let page = prism_client()
        .flex_v1()
        .team_owners(INSTANCE, DEFAULT_TEAM)
        .list()
        .include_transitive(true)
        .send()
        .await
        .unwrap();
    assert_round_trips(&page, SPEC, "ListFlexTeamOwners", "read");
    let meta = page.meta.as_ref().unwrap();
    assert_eq!(meta.key.as_deref(), Some("owners"));
    assert_eq!(meta.direct_token, Some(true));
    assert_eq!(page.next_page(), None);
    let owners = page.into_items();
    assert_eq!(
        sid_text(&owners[0].worker_sid),
        Some("WK00000000000000000000000000000000")
    );
}

#[tokio::test]
async fn list_owners_sends_a_page_token() {
    prism_client()
        .flex_v1()
        .team_owners(INSTANCE, DEFAULT_TEAM)
        .list()
        .page_token("PT1")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn add_owner() {
    let owner = prism_client()
        .flex_v1()
        .team_owners(INSTANCE, DEFAULT_TEAM)
        .create(USER)
        .send()
        .await
        .unwrap();
    assert_round_trips(&owner, SPEC, "CreateFlexTeamOwners", "create");
}

#[tokio::test]
async fn delete_owner() {
    prism_client()
        .flex_v1()
        .team_owners(INSTANCE, DEFAULT_TEAM)
        .delete(USER)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn get_context_is_routed_to_the_literal_path() {
    // `/Teams/Context` sits beside `/Teams/{TeamSid}`: a fetch of the context must
    // not be mistaken for a team fetch (which Prism would reject: `Context` is not
    // a team SID).
    let context = prism_client()
        .flex_v1()
        .team_context(INSTANCE)
        .fetch()
        .send()
        .await
        .unwrap();
    assert_round_trips(&context, SPEC, "FetchFlexTeamContext", "fetch");
    assert_eq!(context.team_setup_complete, Some(true));
}

#[tokio::test]
async fn set_context() {
    let context = prism_client()
        .flex_v1()
        .team_context(INSTANCE)
        .update(true)
        .send()
        .await
        .unwrap();
    assert_round_trips(&context, SPEC, "UpdateFlexTeamContext", "update");
}

#[test]
fn page_metadata_locates_the_next_page() {
    // The same types decode a middle page: the next page is where meta says.
    let page: twilio_flex::flex_v1::models::ListFlexTeamResponse =
        serde_json::from_value(serde_json::json!({
            "teams": [],
            "meta": {"key": "teams", "next_page_url": "https://flex-api.twilio.com/v1/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Teams?PageSize=1&Page=1&PageToken=PT1"}
        }))
        .unwrap();
    assert_eq!(
        page.next_page(),
        Some(NextPage::Url("https://flex-api.twilio.com/v1/Instances/GOaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Teams?PageSize=1&Page=1&PageToken=PT1".into()))
    );
    let owners: twilio_flex::flex_v1::models::ListFlexTeamOwnersResponse =
        serde_json::from_value(serde_json::json!({
            "owners": [], "meta": {"key": "owners", "next_token": "PT2", "direct_token": true}
        }))
        .unwrap();
    assert_eq!(owners.next_page(), Some(NextPage::Token("PT2".into())));
}

#[tokio::test]
async fn invalid_arguments_fail_before_any_request() {
    let silent = Silent::new();
    let teams = silent.client.flex_v1().teams(INSTANCE);
    let cases = [
        (teams.fetch("QO123").send().await.unwrap_err(), "TeamSid"),
        (
            teams
                .fetch("FU00000000000000000000000000000000")
                .send()
                .await
                .unwrap_err(),
            "TeamSid",
        ),
        (
            teams.create("x").level(4).send().await.unwrap_err(),
            "Level",
        ),
        (
            teams.create("x").level(0).send().await.unwrap_err(),
            "Level",
        ),
        (teams.create("").send().await.unwrap_err(), "FriendlyName"),
        (
            teams.create("x".repeat(101)).send().await.unwrap_err(),
            "FriendlyName",
        ),
        (
            teams
                .create("x")
                .description("d".repeat(1001))
                .send()
                .await
                .unwrap_err(),
            "Description",
        ),
        (
            teams.create("x").description("").send().await.unwrap_err(),
            "Description",
        ),
        (
            teams
                .update(NEW_TEAM, "x".repeat(101))
                .send()
                .await
                .unwrap_err(),
            "FriendlyName",
        ),
        (
            teams.list().page_size(1001).send().await.unwrap_err(),
            "PageSize",
        ),
        (
            teams.list().owner("QO123").send().await.unwrap_err(),
            "Owner",
        ),
        (
            silent
                .client
                .flex_v1()
                .team_members(INSTANCE, "QOnothex0000000000000000000000000")
                .list()
                .send()
                .await
                .unwrap_err(),
            "TeamSid",
        ),
        (
            silent
                .client
                .flex_v1()
                .team_members(INSTANCE, DEFAULT_TEAM)
                .list()
                .page_size(1001)
                .send()
                .await
                .unwrap_err(),
            "PageSize",
        ),
        (
            silent
                .client
                .flex_v1()
                .team_owners(INSTANCE, DEFAULT_TEAM)
                .delete("WK00000000000000000000000000000000")
                .send()
                .await
                .unwrap_err(),
            "FlexUserSid",
        ),
    ];
    for (err, param) in cases {
        assert_invalid_argument(err, param);
    }
    // The limits themselves are accepted: the same builders with edge values do
    // try to connect (checked in `limits_are_inclusive`).
    silent.assert_no_connection();
}

#[tokio::test]
async fn limits_are_inclusive() {
    let teams = prism_client().flex_v1().teams(INSTANCE);
    teams
        .create("x".repeat(100))
        .description("d".repeat(1000))
        .level(3)
        .send()
        .await
        .unwrap();
    teams.create("x").level(1).send().await.unwrap();
    teams.list().page_size(1000).send().await.unwrap();
    teams.list().page_size(1).send().await.unwrap();
}
