//! Written against old.json: the instance SID is a positional argument.
use api::prelude::*;
pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let sid = "THaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    client.test_v1().things().fetch(sid).send().await?;
    client.test_v1().things().update(sid).friendly_name("x").send().await?;
    Ok(())
}
