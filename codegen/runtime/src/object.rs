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
use std::collections::BTreeMap;
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
    fn optional<T: Serialize>(
        &mut self,
        name: &'static str,
        value: Option<T>,
    ) -> Result<(), Self::Error> {
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

/// A date or date-time from a response: typed when it parses, else the text the
/// server sent. Twilio's SDKs never fail a response over a date they cannot
/// read, and neither does this crate: an odd value (an RFC 2822 date where RFC
/// 3339 was declared, a format nobody expected) stays readable with
/// [`raw`](Self::raw), and is written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lenient<T> {
    /// The value, parsed.
    Parsed(T),
    /// The text as sent, which did not parse as the declared format.
    Raw(String),
}

impl<T> Lenient<T> {
    /// The parsed value, `None` when the text did not parse.
    pub fn parsed(&self) -> Option<&T> {
        match self {
            Lenient::Parsed(v) => Some(v),
            Lenient::Raw(_) => None,
        }
    }

    /// The text as sent, when it did not parse (`None` when it did).
    pub fn raw(&self) -> Option<&str> {
        match self {
            Lenient::Parsed(_) => None,
            Lenient::Raw(text) => Some(text),
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(value: T) -> Self {
        Lenient::Parsed(value)
    }
}

/// RFC 3339, else RFC 2822 (with or without fractional seconds).
pub(crate) fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339Format)
        .ok()
        .or_else(|| parse_rfc2822(s))
}

/// RFC 2822 (`Thu, 01 Sep 2016 10:11:12 -0500`), also with fractional seconds
/// after the time (`10:11:12.123456`), as Twilio's own examples have; else RFC 3339.
pub(crate) fn parse_rfc2822(s: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc2822;
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc2822) {
        return Some(t);
    }
    // `hh:mm:ss.fff…`: parse without the fraction, then add it back.
    let dot = s
        .find('.')
        .filter(|&i| i >= 8 && s.as_bytes()[i - 3] == b':' && s.as_bytes()[i - 6] == b':');
    if let Some(dot) = dot {
        let digits = s[dot + 1..].bytes().take_while(u8::is_ascii_digit).count();
        if (1..=9).contains(&digits) {
            let whole = format!("{}{}", &s[..dot], &s[dot + 1 + digits..]);
            let frac = &s[dot + 1..dot + 1 + digits];
            let nanos: u32 = frac.parse::<u32>().ok()? * 10u32.pow(9 - digits as u32);
            return OffsetDateTime::parse(&whole, &Rfc2822)
                .ok()?
                .replace_nanosecond(nanos)
                .ok();
        }
    }
    OffsetDateTime::parse(s, &Rfc3339Format).ok()
}

pub(crate) fn parse_iso_date(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

use time::format_description::well_known::Rfc3339 as Rfc3339Format;

macro_rules! date_format {
    ($(#[$doc:meta])* $name:ident, $value:ty, $module:path) => {
        $(#[$doc])*
        /// Wraps a reference to a field's value to write it in the declared
        /// format; text that did not parse is written back as it was sent.
        /// Reading is [`super::liberal`]'s.
        #[doc(hidden)]
        pub struct $name<T>(pub T);

        impl Serialize for $name<&$value> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use $module as m;
                m::serialize(self.0, s)
            }
        }

        impl Serialize for $name<&Lenient<$value>> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0 {
                    Lenient::Parsed(v) => $name(v).serialize(s),
                    Lenient::Raw(text) => s.serialize_str(text),
                }
            }
        }

        impl Serialize for $name<&Vec<Lenient<$value>>> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.iter().map($name))
            }
        }

        impl Serialize for $name<&BTreeMap<String, Lenient<$value>>> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(k, v)| (k, $name(v))))
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

macro_rules! plain_format {
    ($($(#[$doc:meta])* $name:ident),+) => {$(
        $(#[$doc])*
        /// Written as the value itself; read by [`super::liberal`].
        #[doc(hidden)]
        pub struct $name<T>(pub T);

        impl<T: Serialize + ?Sized> Serialize for $name<&T> {
            #[inline]
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }
    )+};
}

plain_format!(
    /// A number member (`integer`, `number`), or a list or map of them.
    Num,
    /// A text member (`string`), or a list or map of them.
    Text,
    /// A boolean member, or a list or map of them.
    Flag,
    /// A generated struct member, or a list or map of them.
    Model,
    /// A free-form (`serde_json::Value`) member, or a list or map of them.
    Json
);

/// `Serialize`, `Deserialize` and [`Object`] for a generated struct, from its
/// fields: `rust_name: "wire_name" optional|required` and, for dates and
/// numbers, how they are read (`optional(Rfc3339)`, `required(Num)`). One line per field in the generated code; the
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
                $crate::object::decode_object(d)
            }
        }

        impl $crate::object::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn from_members<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                    $crate::object::skip_value(&mut map)?;
                }
                Ok($name {})
            }
        }

        $crate::object_serde!(@read_model $name);
    };
    ($name:ident { $($field:ident : $wire:literal $kind:ident $(($format:ident))?),+ $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                #[allow(unused_imports)]
                use $crate::object::WriteMembers as _;
                let mut m = s.serialize_map(None)?;
                $($crate::object_serde!(@write m, self.$field, $wire, $kind $(, $format)?);)+
                m.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::object::decode_object(d)
            }
        }

        impl $crate::object::Object for $name {
            const NAME: &'static str = stringify!($name);

            fn from_members<'de, A: serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                $(let mut $field = None;)+
                while let Some(key) = map.next_key::<$crate::object::Key>()? {
                    match key.as_str() {
                        $($wire => $field = $crate::object_serde!(@read map, $name, $wire, $kind $(, $format)?),)+
                        _ => $crate::object::skip_value(&mut map)?,
                    }
                }
                Ok($name { $($field: $crate::object_serde!(@init $field, $wire, $kind),)+ })
            }
        }

        $crate::object_serde!(@read_model $name);
    };
    (@write $m:ident, $v:expr, $wire:literal, optional) => {
        $m.optional($wire, $v.as_ref())?
    };
    (@write $m:ident, $v:expr, $wire:literal, optional, $format:ident) => {
        $m.optional($wire, $v.as_ref().map($crate::object::$format))?
    };
    (@write $m:ident, $v:expr, $wire:literal, required) => {
        $m.serialize_entry($wire, &$v)?
    };
    (@write $m:ident, $v:expr, $wire:literal, required, $format:ident) => {
        $m.serialize_entry($wire, &$crate::object::$format(&$v))?
    };
    (@read $map:ident, $name:ident, $wire:literal, optional) => {
        $map.next_value()?
    };
    (@read $map:ident, $name:ident, $wire:literal, optional, $format:ident) => {
        $crate::liberal::optional::<$crate::liberal::read::$format, _, _>(
            &mut $map,
            stringify!($name),
            $wire,
        )?
    };
    (@read $map:ident, $name:ident, $wire:literal, required) => {
        Some($map.next_value()?)
    };
    (@read $map:ident, $name:ident, $wire:literal, required, $format:ident) => {
        Some($crate::liberal::required::<$crate::liberal::read::$format, _, _>(
            &mut $map,
            stringify!($name),
            $wire,
        )?)
    };
    // A generated struct in a list, a map or another struct: read as an object.
    (@read_model $name:ident) => {
        impl $crate::liberal::Read<$crate::liberal::read::Model> for $name {
            const EXPECTING: &'static str = concat!("a `", stringify!($name), "` object");
            #[inline]
            fn read<'de, D: serde::Deserializer<'de>>(
                d: D,
                _: $crate::liberal::At,
            ) -> Result<$crate::liberal::Outcome<Self>, D::Error> {
                $crate::liberal::read_object(d)
            }
        }
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
        when: Option<Lenient<OffsetDateTime>>,
    }

    impl Object for Thing {
        const NAME: &'static str = "Thing";
        fn from_members<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            use super::super::liberal::{optional, read};
            let mut name = None;
            let mut when = None;
            while let Some(key) = map.next_key::<Key>()? {
                match key.as_str() {
                    "name" => name = Some(map.next_value()?),
                    "when" => when = optional::<read::Rfc2822, _, _>(&mut map, Self::NAME, "when")?,
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
        assert_eq!(
            t.when.unwrap().parsed().unwrap().unix_timestamp(),
            1_751_364_000
        );
        let t: Thing = serde_json::from_str(r#"{"name":"b","when":null}"#).unwrap();
        assert_eq!(t.when, None);
    }

    #[test]
    fn rfc_2822_dates_as_api_v2010_writes_them_decode_and_round_trip() {
        let text = r#"{"name":"a","when":"Fri, 14 Oct 2016 21:56:34 +0000"}"#;
        let t: Thing = serde_json::from_str(text).unwrap();
        let when = t.when.unwrap();
        assert_eq!(when.parsed().unwrap().unix_timestamp(), 1_476_482_194);
        let written = serde_json::to_string(&Rfc2822(&when)).unwrap();
        assert_eq!(written, r#""Fri, 14 Oct 2016 21:56:34 +0000""#);
    }

    #[test]
    fn names_a_missing_required_member_and_the_expected_type() {
        let e = serde_json::from_str::<Thing>(r#"{"when":null}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `name`"), "{e}");
        let e = serde_json::from_str::<Thing>("[]").unwrap_err();
        assert!(e.to_string().contains("a `Thing` object"), "{e}");
    }

    #[test]
    fn values_are_written_in_the_declared_format_and_raw_text_as_sent() {
        let v = Lenient::Parsed(time::macros::datetime!(2016-09-01 15:11:12 UTC));
        assert_eq!(
            serde_json::to_string(&Rfc3339(&v)).unwrap(),
            r#""2016-09-01T15:11:12Z""#
        );
        assert_eq!(
            serde_json::to_string(&Rfc2822(&v)).unwrap(),
            r#""Thu, 01 Sep 2016 15:11:12 +0000""#
        );
        let raw = Lenient::Raw("soon".into());
        assert_eq!(serde_json::to_string(&Rfc3339(&raw)).unwrap(), r#""soon""#);
        let list = vec![v.clone(), raw.clone()];
        assert_eq!(
            serde_json::to_string(&Rfc3339(&list)).unwrap(),
            r#"["2016-09-01T15:11:12Z","soon"]"#
        );
        let day = Lenient::Parsed(time::macros::date!(2024 - 02 - 29));
        let map = BTreeMap::from([("d".to_string(), day)]);
        assert_eq!(
            serde_json::to_string(&IsoDate(&map)).unwrap(),
            r#"{"d":"2024-02-29"}"#
        );
        assert_eq!(serde_json::to_string(&Num(&7i64)).unwrap(), "7");
        assert_eq!(serde_json::to_string(&Flag(&true)).unwrap(), "true");
        assert_eq!(
            serde_json::to_string(&Text(&vec!["a"])).unwrap(),
            r#"["a"]"#
        );
    }
}
