//! Serde for the generated structs. Each struct gets a short `Serialize` impl
//! and an [`Object`] impl (member name → field) instead of serde's derive: the
//! derive's generic visitors were most of a large generated crate's build time
//! (api_v2010's 149 structs: about 8 s of 15). The JSON read and written is the
//! same: unknown members are skipped, `null` and absent optional members are
//! `None`, absent optional fields are not written, and a missing required
//! member is an error naming it. A member given twice keeps its last value.

use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use time::{Date, OffsetDateTime};

/// A generated struct that is decoded from a JSON object member by member.
#[doc(hidden)]
pub trait Object: Sized {
    /// The type's name, for "expected …" errors.
    const NAME: &'static str;
    /// Reads every member of `map` and builds the value.
    fn from_members<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of an [`Object`].
#[doc(hidden)]
#[inline]
pub fn decode_object<'de, D: Deserializer<'de>, T: Object>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` object", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_members(map)
    }
}

/// A member name, borrowed from the input unless it had to be unescaped.
#[doc(hidden)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The member name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Writes an optional member only when it has a value.
#[doc(hidden)]
pub trait WriteMembers: SerializeMap {
    /// Writes `name: value` when `value` is `Some`, nothing when it is `None`.
    #[inline]
    fn optional<T: Serialize>(&mut self, name: &'static str, value: Option<T>) -> Result<(), Self::Error> {
        match value {
            Some(value) => self.serialize_entry(name, &value),
            None => Ok(()),
        }
    }
}

impl<M: SerializeMap> WriteMembers for M {}

/// Reads and drops the value of a member the type does not have.
#[doc(hidden)]
#[inline]
pub fn skip_value<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// The value of a required member, or the "missing field" error naming it.
#[doc(hidden)]
#[inline]
pub fn required<T, E: de::Error>(value: Option<T>, name: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(name))
}

macro_rules! date_format {
    ($(#[$doc:meta])* $name:ident, $value:ty, $module:path) => {
        $(#[$doc])*
        /// Wraps a value (decoding) or `Option` of it (decoding an optional
        /// member), or a reference to one (encoding).
        #[doc(hidden)]
        pub struct $name<T>(pub T);

        impl Serialize for $name<&$value> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use $module as m;
                m::serialize(self.0, s)
            }
        }

        impl<'de> Deserialize<'de> for $name<$value> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                use $module as m;
                m::deserialize(d).map($name)
            }
        }

        impl<'de> Deserialize<'de> for $name<Option<$value>> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Option::<$name<$value>>::deserialize(d).map(|v| $name(v.map(|v| v.0)))
            }
        }
    };
}

date_format!(
    /// An ISO 8601 / RFC 3339 date-time member (`format: date-time`).
    Rfc3339, OffsetDateTime, time::serde::rfc3339
);
date_format!(
    /// An RFC 2822 date-time member (`format: date-time-rfc-2822`).
    Rfc2822, OffsetDateTime, time::serde::rfc2822
);
date_format!(
    /// A `YYYY-MM-DD` date member (`format: date`).
    IsoDate, Date, iso_date
);

// `YYYY-MM-DD`.
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// `Serialize`, `Deserialize` and [`Object`] for a generated struct, from its
/// fields: `rust_name: "wire_name" optional|required` and, for dates, the
/// format (`optional(Rfc3339)`). One line per field in the generated code; the
/// expansion is what [`Object`]'s docs describe. Its locals (`map`, `key`, …)
/// are the macro's own, so they never clash with a field of the same name.
#[doc(hidden)]
#[macro_export]
macro_rules! object_serde {
    ($name:ident {}) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serde::ser::SerializeMap::end(serde::Serializer::serialize_map(s, Some(0))?)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::runtime::object::decode_object(d)
            }
        }

        impl $crate::runtime::object::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn from_members<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                    $crate::runtime::object::skip_value(&mut map)?;
                }
                Ok($name {})
            }
        }
    };
    ($name:ident { $($field:ident : $wire:literal $kind:ident $(($format:ident))?),+ $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                #[allow(unused_imports)]
                use $crate::runtime::object::WriteMembers as _;
                let mut m = s.serialize_map(None)?;
                $($crate::object_serde!(@write m, self.$field, $wire, $kind $(, $format)?);)+
                m.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::runtime::object::decode_object(d)
            }
        }

        impl $crate::runtime::object::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn from_members<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = None;)+
                while let Some(key) = map.next_key::<$crate::runtime::object::Key>()? {
                    match key.as_str() {
                        $($wire => $field = $crate::object_serde!(@read map, $kind $(, $format)?),)+
                        _ => $crate::runtime::object::skip_value(&mut map)?,
                    }
                }
                Ok($name { $($field: $crate::object_serde!(@init $field, $wire, $kind),)+ })
            }
        }
    };
    (@write $m:ident, $v:expr, $wire:literal, optional) => {
        $m.optional($wire, $v.as_ref())?
    };
    (@write $m:ident, $v:expr, $wire:literal, optional, $format:ident) => {
        $m.optional($wire, $v.as_ref().map($crate::runtime::object::$format))?
    };
    (@write $m:ident, $v:expr, $wire:literal, required) => {
        $m.serialize_entry($wire, &$v)?
    };
    (@write $m:ident, $v:expr, $wire:literal, required, $format:ident) => {
        $m.serialize_entry($wire, &$crate::runtime::object::$format(&$v))?
    };
    (@read $map:ident, optional) => {
        $map.next_value()?
    };
    (@read $map:ident, optional, $format:ident) => {
        $map.next_value::<$crate::runtime::object::$format<_>>()?.0
    };
    (@read $map:ident, required) => {
        Some($map.next_value()?)
    };
    (@read $map:ident, required, $format:ident) => {
        Some($map.next_value::<$crate::runtime::object::$format<_>>()?.0)
    };
    (@init $field:ident, $wire:literal, optional) => {
        $field
    };
    (@init $field:ident, $wire:literal, required) => {
        match $field {
            Some(value) => value,
            None => return Err(serde::de::Error::missing_field($wire)),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Thing {
        name: String,
        when: Option<OffsetDateTime>,
    }

    impl Object for Thing {
        const NAME: &'static str = "Thing";
        fn from_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let mut name = None;
            let mut when = None;
            while let Some(key) = map.next_key::<Key>()? {
                match key.as_str() {
                    "name" => name = Some(map.next_value()?),
                    "when" => when = map.next_value::<Rfc2822<_>>()?.0,
                    _ => skip_value(&mut map)?,
                }
            }
            Ok(Thing {
                name: required(name, "name")?,
                when,
            })
        }
    }

    impl<'de> Deserialize<'de> for Thing {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            decode_object(d)
        }
    }

    #[test]
    fn decodes_members_skips_unknown_ones_and_unescapes_names() {
        let t: Thing = serde_json::from_str(
            r#"{"x":[1,{"y":2}],"n\u0061me":"a","when":"Tue, 01 Jul 2025 10:00:00 +0000"}"#,
        )
        .unwrap();
        assert_eq!(t.name, "a");
        assert_eq!(t.when.unwrap().unix_timestamp(), 1_751_364_000);
        let t: Thing = serde_json::from_str(r#"{"name":"b","when":null}"#).unwrap();
        assert_eq!(t.when, None);
    }

    #[test]
    fn names_a_missing_required_member_and_the_expected_type() {
        let e = serde_json::from_str::<Thing>(r#"{"when":null}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `name`"), "{e}");
        let e = serde_json::from_str::<Thing>("[]").unwrap_err();
        assert!(e.to_string().contains("a `Thing` object"), "{e}");
        let e = serde_json::from_str::<Thing>(r#"{"name":"a","when":"yesterday"}"#).unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
    }
}
