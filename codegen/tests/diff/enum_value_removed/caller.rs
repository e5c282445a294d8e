//! Written against old.json: names the `Green` variant.
use api::test_v1::models::ThingEnumColor;

pub fn is_green(c: &ThingEnumColor) -> bool {
    *c == ThingEnumColor::Green
}
