//! Builds a three-level Flex team hierarchy, adds an owner and a member, lists
//! them, and deletes everything it created.
//!
//! ```sh
//! export TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=…      # credentials
//! export FLEX_INSTANCE_SID=GO… FLEX_USER_SID=FU…         # your Flex instance and a user
//! export TWILIO_BASE_URL=http://127.0.0.1:4010           # optional: a mock server
//! cargo run -p twilio-flex --example teams_hierarchy
//! ```
//!
//! `cargo xtask test` runs it against the Prism mock server.

use twilio_flex::flex_v1::models::FlexTeam;
use twilio_flex::prelude::*;
use twilio_flex::sids::{FlexUserSid, InstanceSid, TeamSid};
use twilio_flex::{Client, Error};

fn required_env(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name)
        .map_err(|_| format!("set {name} (see the comment at the top of this example)").into())
}

/// The SID of a team the API just returned (Twilio always sends it).
fn sid_of(team: &FlexTeam) -> Result<TeamSid, Box<dyn std::error::Error>> {
    team.team_sid
        .clone()
        .ok_or_else(|| "the API returned a team without `team_sid`".into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Credentials, region and edge from TWILIO_* variables; TWILIO_BASE_URL, when set,
    // sends every request to that server instead of Twilio.
    let client = Client::from_env()?;
    // Parsing up front reports a malformed SID before anything is created.
    let instance = InstanceSid::parse(&required_env("FLEX_INSTANCE_SID")?)?;
    let user = FlexUserSid::parse(&required_env("FLEX_USER_SID")?)?;
    let teams = client.flex_v1().teams(&instance);

    // Level 3 groups level 2 groups, which group level 1 teams.
    let region = teams
        .create("example-region")
        .description("Level 3: top of the example hierarchy")
        .level(3)
        .send()
        .await?;
    let region_sid = sid_of(&region)?;
    let department = teams
        .create("example-department")
        .description("Level 2: under the region")
        .level(2)
        .parent_team_sid(&region_sid)
        .send()
        .await?;
    let department_sid = sid_of(&department)?;
    let team = teams
        .create("example-team")
        .description("Level 1: members and owners")
        .level(1)
        .parent_team_sid(&department_sid)
        .send()
        .await?;
    let team_sid = sid_of(&team)?;
    println!("created teams {region_sid} > {department_sid} > {team_sid}");

    let owners = client.flex_v1().team_owners(&instance, &team_sid);
    let members = client.flex_v1().team_members(&instance, &team_sid);
    owners.create(&user).send().await?;
    members.create(&user).send().await?;

    let owner_page = owners.list().send().await?;
    for owner in owner_page.owners.iter().flatten() {
        println!("owner: {:?}", owner.flex_user_sid);
    }
    let member_page = members.list().page_size(50).send().await?;
    for member in member_page.members.iter().flatten() {
        // `email` and `friendly_name` are PII: `Debug` redacts them.
        println!("member: {member:?}");
    }
    let team_page = teams
        .list()
        .owner(&user)
        .include_transitive(true)
        .send()
        .await?;
    println!(
        "the user owns {} team(s) on this page",
        team_page.teams.as_ref().map_or(0, Vec::len)
    );

    // Clean up, bottom-up: a parent cannot go before its children.
    owners.delete(&user).send().await?;
    for sid in [&team_sid, &department_sid, &region_sid] {
        match teams.delete(sid).send().await {
            Ok(()) => println!("deleted {sid}"),
            Err(Error::Api(e)) if e.status == 404 => println!("{sid} was already gone"),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
