//! Written against old.json (`/v1/Things/{Sid}`): the new crate calls
//! `/v1/things/{Sid}` through the same methods, so this still compiles.
use api::prelude::*;
pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let sid = "THaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let thing = client.test_v1().things().fetch(sid).send().await?;
    println!("{:?}", thing.friendly_name);
    client.test_v1().things().update(sid).friendly_name("x").send().await?;
    Ok(())
}
