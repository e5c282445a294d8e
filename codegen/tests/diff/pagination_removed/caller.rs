//! Written against old.json: a list response is a `Page`.
use api::prelude::*;
use api::runtime::Page;

pub async fn first_page(client: &api::Client) -> Result<usize, api::Error> {
    let page = client.test_v1().things().list().send().await?;
    let more = page.next_page().is_some();
    Ok(page.into_items().len() + usize::from(more))
}
