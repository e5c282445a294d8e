//! An application using two Twilio products: the Flex crate (`twilio-flex`)
//! and a crate generated from `twilio_numbers_v1.json` (`numbers`). It
//! compiles only if both crates name the same `Client`, `Error`, `RetryPolicy`
//! and `AccountSid` types: one client serves both products, and a SID read
//! from one product's response is an argument of the other's calls.
//! `cargo xtask test` builds it (see `check_two_products` in xtask/src/test.rs).
use numbers::prelude::*;
use twilio_flex::prelude::*;

/// The Flex crate's `Client` is the numbers crate's.
pub fn one_client(client: twilio_flex::Client) -> numbers::Client {
    client
}

/// One error type for both products' calls.
pub fn one_error(error: numbers::Error) -> twilio_flex::Error {
    error
}

/// One retry policy type.
pub fn one_retry_policy(policy: twilio_flex::RetryPolicy) -> numbers::RetryPolicy {
    policy
}

/// One `AccountSid`.
pub fn one_account_sid(sid: twilio_flex::sids::AccountSid) -> numbers::sids::AccountSid {
    sid
}

/// Both products' version accessors on the one client.
pub fn both_products(
    client: &twilio_flex::Client,
) -> (
    twilio_flex::flex_v1::FlexV1,
    numbers::numbers_v1::NumbersV1,
) {
    (client.flex_v1(), client.numbers_v1())
}
