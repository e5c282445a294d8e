//! Written against old.json: `friendly_name` is an `Option<String>`.
use api::test_v1::models::Thing;

pub fn name(thing: &Thing) -> Option<&str> {
    thing.friendly_name.as_deref()
}
