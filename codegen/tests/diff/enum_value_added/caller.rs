//! Written against old.json: matches on the color (the enum is non-exhaustive,
//! so the match has a wildcard arm).
use api::test_v1::models::ThingEnumColor;

pub fn warm(c: &ThingEnumColor) -> bool {
    match c {
        ThingEnumColor::Red => true,
        ThingEnumColor::Green => false,
        _ => false,
    }
}
