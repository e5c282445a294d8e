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

/// Reads a lenient value: a string is parsed with `parse` (or kept as text); a
/// number is kept as its text. Anything else has the wrong shape.
fn lenient<'de, D, T>(d: D, parse: fn(&str) -> Option<T>) -> Result<Lenient<T>, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<T>(fn(&str) -> Option<T>);
    impl<T> Visitor<'_> for V<T> {
        type Value = Lenient<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a date or date-time string")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Ok((self.0)(s).map_or_else(|| Lenient::Raw(s.to_owned()), Lenient::Parsed))
        }
        fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
            Ok(Lenient::Raw(n.to_string()))
        }
        fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
            Ok(Lenient::Raw(n.to_string()))
        }
        fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
            Ok(Lenient::Raw(n.to_string()))
        }
    }
    d.deserialize_any(V(parse))
}

/// RFC 3339, else RFC 2822 (with or without fractional seconds).
fn parse_rfc3339(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339Format)
        .ok()
        .or_else(|| parse_rfc2822(s))
}

/// RFC 2822 (`Thu, 01 Sep 2016 10:11:12 -0500`), also with fractional seconds
/// after the time (`10:11:12.123456`), as Twilio's own examples have; else RFC 3339.
fn parse_rfc2822(s: &str) -> Option<OffsetDateTime> {
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

fn parse_iso_date(s: &str) -> Option<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

use time::format_description::well_known::Rfc3339 as Rfc3339Format;

macro_rules! date_format {
    ($(#[$doc:meta])* $name:ident, $value:ty, $module:path, $parse:path) => {
        $(#[$doc])*
        /// Wraps a value (decoding) or `Option` of it (decoding an optional
        /// member), or a reference to one (encoding). Generated structs hold a
        /// [`Lenient`] value: text that does not parse is kept.
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

        impl Serialize for $name<&Lenient<$value>> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.0 {
                    Lenient::Parsed(v) => $name(v).serialize(s),
                    Lenient::Raw(text) => s.serialize_str(text),
                }
            }
        }

        impl<'de> Deserialize<'de> for $name<Lenient<$value>> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                lenient(d, $parse).map($name)
            }
        }

        impl<'de> Deserialize<'de> for $name<Option<Lenient<$value>>> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Option::<$name<Lenient<$value>>>::deserialize(d).map(|v| $name(v.map(|v| v.0)))
            }
        }
    };
}

date_format!(
    /// An ISO 8601 / RFC 3339 date-time member (`format: date-time`).
    Rfc3339, OffsetDateTime, time::serde::rfc3339, parse_rfc3339
);
date_format!(
    /// An RFC 2822 date-time member (`format: date-time-rfc-2822`).
    Rfc2822, OffsetDateTime, time::serde::rfc2822, parse_rfc2822
);
date_format!(
    /// A `YYYY-MM-DD` date member (`format: date`).
    IsoDate, Date, iso_date, parse_iso_date
);

// `YYYY-MM-DD`.
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A number member (`integer`, `number`) that is also read from a numeric
/// string (`"level": "1"`), as servers sometimes send one; an integer is also
/// read from a float with no fraction (`1.0`). Written back as a JSON number.
#[doc(hidden)]
pub struct Num<T>(pub T);

/// Conversions of what a JSON number member may hold into one numeric type.
trait FromJsonNumber: Sized + Serialize {
    const EXPECTING: &'static str;
    fn from_i64(n: i64) -> Option<Self>;
    fn from_u64(n: u64) -> Option<Self>;
    fn from_f64(n: f64) -> Option<Self>;
    fn from_text(s: &str) -> Option<Self>;
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl FromJsonNumber for $t {
            const EXPECTING: &'static str = "an integer, or a string holding one";
            fn from_i64(n: i64) -> Option<Self> { <$t>::try_from(n).ok() }
            fn from_u64(n: u64) -> Option<Self> { <$t>::try_from(n).ok() }
            fn from_f64(n: f64) -> Option<Self> {
                // Only whole numbers in range: `as` would saturate silently.
                (n.fract() == 0.0 && n >= <$t>::MIN as f64 && n <= <$t>::MAX as f64).then(|| n as $t)
            }
            fn from_text(s: &str) -> Option<Self> {
                let s = s.trim();
                s.parse().ok().or_else(|| s.parse::<f64>().ok().and_then(Self::from_f64))
            }
        }
    )*};
}
integer!(i32, i64);

impl FromJsonNumber for f64 {
    const EXPECTING: &'static str = "a number, or a string holding one";
    fn from_i64(n: i64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(n)
    }
    fn from_text(s: &str) -> Option<Self> {
        s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
    }
}

struct NumVisitor<T>(PhantomData<T>);

impl<T: FromJsonNumber> Visitor<'_> for NumVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<T, E> {
        T::from_i64(n).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(n), &self))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<T, E> {
        T::from_u64(n).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(n), &self))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<T, E> {
        T::from_f64(n).ok_or_else(|| E::invalid_value(de::Unexpected::Float(n), &self))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
        T::from_text(s).ok_or_else(|| E::invalid_value(de::Unexpected::Str(s), &self))
    }
}

impl<T: FromJsonNumber> Serialize for Num<&T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de, T: FromJsonNumber> Deserialize<'de> for Num<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NumVisitor(PhantomData)).map(Num)
    }
}

impl<'de, T: FromJsonNumber> Deserialize<'de> for Num<Option<T>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<Num<T>>::deserialize(d).map(|v| Num(v.map(|v| v.0)))
    }
}

/// A map of text members (`uri-map`, `additionalProperties: {type: string}`)
/// that also reads a `null` entry, which it leaves out (`"links":
/// {"last_message": null}` is a link that is not there), instead of failing the
/// whole response on it. Written back as the map.
#[doc(hidden)]
pub struct TextMap<T>(pub T);

type Texts = std::collections::BTreeMap<String, String>;

impl Serialize for TextMap<&Texts> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for TextMap<Texts> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let entries = std::collections::BTreeMap::<String, Option<String>>::deserialize(d)?;
        Ok(TextMap(
            entries
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect(),
        ))
    }
}

impl<'de> Deserialize<'de> for TextMap<Option<Texts>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<TextMap<Texts>>::deserialize(d).map(|v| TextMap(v.map(|v| v.0)))
    }
}

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
                        $($wire => $field = $crate::object_serde!(@read map, $kind $(, $format)?),)+
                        _ => $crate::object::skip_value(&mut map)?,
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
        $m.optional($wire, $v.as_ref().map($crate::object::$format))?
    };
    (@write $m:ident, $v:expr, $wire:literal, required) => {
        $m.serialize_entry($wire, &$v)?
    };
    (@write $m:ident, $v:expr, $wire:literal, required, $format:ident) => {
        $m.serialize_entry($wire, &$crate::object::$format(&$v))?
    };
    (@read $map:ident, optional) => {
        $map.next_value()?
    };
    (@read $map:ident, optional, $format:ident) => {
        $map.next_value::<$crate::object::$format<_>>()?.0
    };
    (@read $map:ident, required) => {
        Some($map.next_value()?)
    };
    (@read $map:ident, required, $format:ident) => {
        Some($map.next_value::<$crate::object::$format<_>>()?.0)
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
    fn numbers_are_also_read_from_numeric_strings_and_whole_floats() {
        let n = |s: &str| serde_json::from_str::<Num<Option<i64>>>(s).map(|n| n.0);
        assert_eq!(n("1").unwrap(), Some(1));
        assert_eq!(n(r#"" 12 ""#).unwrap(), Some(12));
        assert_eq!(n("2.0").unwrap(), Some(2));
        assert_eq!(n("null").unwrap(), None);
        for bad in ["2.5", r#""high""#, "1e300", "true", "[1]"] {
            assert!(n(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Num<i32>>("4294967296").is_err());
        let f = |s: &str| serde_json::from_str::<Num<f64>>(s).map(|n| n.0);
        assert_eq!(f(r#""0.25""#).unwrap(), 0.25);
        assert_eq!(f("3").unwrap(), 3.0);
        assert!(f(r#""NaN""#).is_err());
        assert_eq!(serde_json::to_string(&Num(&7i64)).unwrap(), "7");
    }

    #[test]
    fn dates_parse_leniently_and_keep_what_does_not_parse() {
        let d = |s: &str| {
            serde_json::from_str::<Rfc2822<Lenient<OffsetDateTime>>>(s)
                .unwrap()
                .0
        };
        let t = d(r#""Thu, 01 Sep 2016 10:11:12.123456 -0500""#);
        let t = t.parsed().unwrap();
        assert_eq!(
            (t.unix_timestamp(), t.nanosecond()),
            (1_472_742_672, 123_456_000)
        );
        let plain = d(r#""Thu, 01 Sep 2016 10:11:12 -0500""#);
        assert_eq!(plain.parsed().unwrap().unix_timestamp(), 1_472_742_672);
        let iso = d(r#""2016-09-01T15:11:12Z""#);
        assert_eq!(iso.parsed().unwrap().unix_timestamp(), 1_472_742_672);
        assert_eq!(d(r#""soon""#), Lenient::Raw("soon".into()));
        assert_eq!(d("1472742672"), Lenient::Raw("1472742672".into()));
        let r = |s: &str| {
            serde_json::from_str::<Rfc3339<Option<Lenient<OffsetDateTime>>>>(s)
                .unwrap()
                .0
        };
        assert_eq!(r("null"), None);
        let rfc2822 = r(r#""Thu, 01 Sep 2016 10:11:12 -0500""#).unwrap();
        assert_eq!(rfc2822.parsed().unwrap().unix_timestamp(), 1_472_742_672);
        assert_eq!(r("\"\""), Some(Lenient::Raw(String::new())));
        let day = serde_json::from_str::<IsoDate<Lenient<Date>>>(r#""2024-13-01""#)
            .unwrap()
            .0;
        assert_eq!(day.raw(), Some("2024-13-01"));
        // Written back: parsed values in the declared format, the rest as sent.
        let v = Lenient::Parsed(time::macros::datetime!(2016-09-01 15:11:12 UTC));
        assert_eq!(
            serde_json::to_string(&Rfc3339(&v)).unwrap(),
            r#""2016-09-01T15:11:12Z""#
        );
        let raw = Lenient::Raw("soon".into());
        assert_eq!(serde_json::to_string(&Rfc3339(&raw)).unwrap(), r#""soon""#);
        // The wrong shape (an object) is still an error.
        assert!(serde_json::from_str::<Rfc3339<Lenient<OffsetDateTime>>>("{}").is_err());
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

    #[test]
    fn a_text_map_leaves_out_null_entries() {
        let m: TextMap<Option<Texts>> =
            serde_json::from_str(r#"{"members": "https://x/M", "last_message": null}"#).unwrap();
        let m = m.0.unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m["members"], "https://x/M");
        let none: TextMap<Option<Texts>> = serde_json::from_str("null").unwrap();
        assert!(none.0.is_none());
        // Other values are still an error: a map of text holds text.
        assert!(serde_json::from_str::<TextMap<Texts>>(r#"{"a": 1}"#).is_err());
    }
}
