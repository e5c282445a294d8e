//! Written against old.json: `PageSize` is an `i64`.
use api::prelude::*;
pub async fn call(client: &api::Client, page_size: i64) -> Result<(), api::Error> {
    client.test_v1().things().list().page_size(page_size).send().await?;
    Ok(())
}
