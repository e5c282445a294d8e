//! Written against old.json: the flat list is a `FlatPage`, its items in `items`.
use api::prelude::*;
pub async fn count(client: &api::Client) -> Result<usize, api::Error> {
    let page = client.test_v1().things().list().send().await?;
    Ok(page.items.len())
}
