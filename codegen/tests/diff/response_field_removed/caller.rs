//! Written against old.json: reads `friendly_name`.
use api::test_v1::models::Thing;

pub fn name(thing: &Thing) -> Option<&str> {
    thing.friendly_name.as_deref()
}
