//! Written against old.json: creates a thing with an optional setter.
use api::prelude::*;
use api::test_v1::models::{Thing, ThingEnumColor};

pub async fn call(client: &api::Client) -> Result<Thing, api::Error> {
    client
        .test_v1()
        .things()
        .create("name")
        .color(ThingEnumColor::Red)
        .ui_version("2.0.0")
        .send()
        .await
}
