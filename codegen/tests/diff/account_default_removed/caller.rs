//! Written against old.json: the account defaults to the client's, and a
//! subaccount is addressed with `for_account`; the new crate's accessor takes
//! the account as an argument instead (so the call no longer compiles).
use api::prelude::*;

pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let things = client.test_v1().things();
    things.fetch("THaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").send().await?;
    let sub = things.for_account("ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    sub.fetch("THaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").send().await?;
    Ok(())
}
