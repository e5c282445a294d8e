//! Written against old.json: sets the optional `Color`.
use api::prelude::*;
use api::test_v1::models::ThingEnumColor;

pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let builder = client.test_v1().things().create("name");
    builder.color(ThingEnumColor::Green).send().await?;
    Ok(())
}
