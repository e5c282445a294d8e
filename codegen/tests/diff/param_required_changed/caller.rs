//! Written against old.json: `FriendlyName` is a required argument of `create`.
use api::prelude::*;
pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    client.test_v1().things().create("name").send().await?;
    Ok(())
}
