//! Written against old.json: reads every field of `Thing` it knows.
use api::test_v1::models::Thing;

pub fn describe(thing: &Thing) -> String {
    format!(
        "{:?} {:?} {:?} {:?}",
        thing.sid, thing.friendly_name, thing.color, thing.created_date
    )
}
