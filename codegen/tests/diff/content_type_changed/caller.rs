//! Written against old.json: creates a thing (the body encoding is the crate's business).
use api::prelude::*;
pub async fn call(client: &api::Client) -> Result<(), api::Error> {
    let thing = client.test_v1().things().create("name").send().await?;
    println!("{:?}", thing.friendly_name);
    Ok(())
}
