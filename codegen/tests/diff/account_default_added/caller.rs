//! Written against old.json: passes the account to the accessor, which the new
//! crate fills from the client instead (so the call no longer compiles).
use api::prelude::*;

pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let things = client.test_v1().things("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    things.fetch("THaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").send().await?;
    Ok(())
}
