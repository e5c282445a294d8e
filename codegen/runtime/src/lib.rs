//! The HTTP runtime shared by every generated operation: client and configuration,
//! retries, pagination, the error type, request encoding, client-side validation,
//! and webhook signature checks.
//!
//! The generated Twilio crates (`twilio-flex`, `twilio`) depend on it and re-export
//! it as their `runtime` module, so an application using several of them has one
//! [`Client`], one [`Error`] and one set of SID types' machinery.

mod client;
mod encode;
mod error;
#[doc(hidden)]
pub mod object;
mod open_enum;
mod page;
#[cfg(feature = "pattern")]
#[doc(hidden)]
pub mod pattern;
mod response;
mod retry;
mod sid;
pub mod sids;
mod stream;
#[doc(hidden)]
pub mod validate;
mod webhook;

pub use client::{user_agent, Client, ClientBuilder, Credentials};
#[doc(hidden)]
pub use encode::{Request, ToParam};
pub use error::{ApiError, Error};
pub use object::Lenient;
pub use page::{FlatPage, ItemsMember, NextPage, Page};
#[doc(hidden)]
pub use response::RequestOptions;
pub use response::{Call, Response};
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use sid::is_valid_sid;
pub use sid::{IntoSid, InvalidSid, Sid};
#[doc(hidden)]
pub use stream::at_page_url;
pub use stream::{ItemStream, MAX_EMPTY_PAGES, RECENT_PAGES};
pub use webhook::{body_sha256, RequestValidator};

/// Whether `value` is a JSON object whose members are all in `names` (how a
/// `oneOf` alternative with `additionalProperties: false` is recognised).
#[doc(hidden)]
pub fn has_only_members(value: &serde_json::Value, names: &[&str]) -> bool {
    value
        .as_object()
        .is_some_and(|m| m.keys().all(|k| names.contains(&k.as_str())))
}

/// Serialises `value`, one alternative of a `oneOf` with a discriminator, with
/// its discriminator member `property` holding one of the alternative's own
/// `tags`: kept if it already does, else set to the first. So a caller cannot
/// send an alternative under another alternative's tag, or under none (the
/// member is a public field, or optional, in the alternative's struct).
#[doc(hidden)]
pub fn serialize_tagged<T: serde::Serialize, S: serde::Serializer>(
    value: &T,
    property: &str,
    tags: &[&str],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let (serde_json::Value::Object(members), Some(first)) = (&mut json, tags.first()) {
        let tagged = members
            .get(property)
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| tags.contains(&t));
        if !tagged {
            members.insert(property.to_string(), serde_json::Value::from(*first));
        }
    }
    serde::Serialize::serialize(&json, s)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    struct Tagged(serde_json::Value);

    impl serde::Serialize for Tagged {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            super::serialize_tagged(&self.0, "channel", &["APPLE", "IMESSAGE"], s)
        }
    }

    #[test]
    fn a_tagged_alternative_always_carries_one_of_its_own_tags() {
        let sent = |v| serde_json::to_value(Tagged(v)).unwrap();
        // Another alternative's tag, or none, becomes the alternative's first tag.
        assert_eq!(
            sent(json!({"channel": "WHATSAPP", "to": "x"})),
            json!({"channel": "APPLE", "to": "x"})
        );
        assert_eq!(
            sent(json!({"to": "x"})),
            json!({"channel": "APPLE", "to": "x"})
        );
        assert_eq!(sent(json!({"channel": null})), json!({"channel": "APPLE"}));
        // One of its own tags is kept.
        assert_eq!(
            sent(json!({"channel": "IMESSAGE"})),
            json!({"channel": "IMESSAGE"})
        );
    }
}
