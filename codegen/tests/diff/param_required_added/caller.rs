//! Written against old.json: `create` takes the one required parameter.
use api::prelude::*;
pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    client.test_v1().things().create("name").send().await?;
    Ok(())
}
