//! Written against old.json: builds the request object with its constructor
//! and a setter (it is `#[non_exhaustive]`: there is no other way).
use api::prelude::*;
use api::test_v1::models::{Contact, Order};

pub async fn call(client: &api::Client) -> Result<Order, api::Error> {
    let address = Contact::new("a@example.com").tags(vec!["vip".to_string()]);
    client.test_v1().orders().create(address).note("ring twice").send().await
}
