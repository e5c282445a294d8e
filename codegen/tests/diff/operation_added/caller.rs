//! Written against old.json: uses the resource's existing operations.
use api::prelude::*;
pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let things = client.test_v1().things();
    let thing = things.fetch("THaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").send().await?;
    things.list().send().await?;
    println!("{thing:?}");
    Ok(())
}
