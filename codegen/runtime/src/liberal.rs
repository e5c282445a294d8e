//! Reading a response member of a declared type from whatever JSON the server
//! sent. Twilio's SDKs never fail a response over one odd value, and neither
//! does this crate: each reader accepts every JSON shape and consumes it whole
//! (one pass over the input, no detour through `serde_json::Value`), then
//!
//! - keeps the value when it can be read as the declared type: `"1"` or `1.0`
//!   for an integer, `1` or `true` for text (`"1"`, `"true"`), `"true"`, `"1"`
//!   or `1` for a boolean, any string or number for a date ([`Lenient`]);
//! - else reports it odd: an optional member is then `None`, and a `warn!`
//!   event names the type, the member and the JSON kind found, never the value
//!   (it may be personal data); a required member is an error saying the same.
//!
//! Lists and maps read their items the same way: an item that is odd (or
//! `null`) is left out, once-per-member `warn!` saying how many were, so one
//! bad item never costs the rest. A list where an object was declared (or the
//! other way round) is odd as a whole.

use super::object::{Lenient, Object};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use time::{Date, OffsetDateTime};

/// How a member is read: one marker per declared type family, named in the
/// generated `object_serde!` lines (`level: "level" optional(Num)`).
pub mod read {
    /// `integer` and `number` members.
    pub enum Num {}
    /// `string` members (without a format the crate types), and SIDs.
    pub enum Text {}
    /// `boolean` members.
    pub enum Flag {}
    /// `format: date-time`.
    pub enum Rfc3339 {}
    /// `format: date-time-rfc-2822`.
    pub enum Rfc2822 {}
    /// `format: date`.
    pub enum IsoDate {}
    /// A generated struct: an object, read member by member as above.
    pub enum Model {}
    /// A free-form value (`serde_json::Value`): any JSON is read as it is.
    pub enum Json {}
}

/// What one value turned out to be.
#[doc(hidden)]
pub enum Outcome<T> {
    /// Read as the declared type.
    Value(T),
    /// `null`.
    Null,
    /// Something the declared type cannot hold; says what kind of JSON it was.
    Odd(&'static str),
}

impl<T> Outcome<T> {
    /// The value converted, `Null` and `Odd` as they are.
    #[inline]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Outcome<U> {
        match self {
            Outcome::Value(v) => Outcome::Value(f(v)),
            Outcome::Null => Outcome::Null,
            Outcome::Odd(found) => Outcome::Odd(found),
        }
    }
}

/// The member being read, for the events and errors about an odd value.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct At {
    /// The generated struct's name.
    pub ty: &'static str,
    /// The member's wire name.
    pub member: &'static str,
}

/// A type read liberally in the way `F` names.
#[doc(hidden)]
pub trait Read<F>: Sized {
    /// What the declared type is, for messages ("an integer, …").
    const EXPECTING: &'static str;
    /// Reads one JSON value of any shape, consuming it whole.
    fn read<'de, D: Deserializer<'de>>(d: D, at: At) -> Result<Outcome<Self>, D::Error>;
}

/// Reads an optional member's value: `None` for `null` and for an odd value,
/// which is reported (type, member, JSON kind; never the value).
#[doc(hidden)]
#[inline]
pub fn optional<'de, F, T: Read<F>, A: MapAccess<'de>>(
    map: &mut A,
    ty: &'static str,
    member: &'static str,
) -> Result<Option<T>, A::Error> {
    let at = At { ty, member };
    Ok(match map.next_value_seed(Seed::<F, T>::new(at))? {
        Outcome::Value(v) => Some(v),
        Outcome::Null => None,
        Outcome::Odd(found) => {
            left_out_member(at, found, T::EXPECTING);
            None
        }
    })
}

/// Reports an optional member that was left out (kept off the inlined path).
#[cold]
fn left_out_member(at: At, found: &'static str, expected: &'static str) {
    tracing::warn!(
        r#type = at.ty,
        member = at.member,
        found,
        expected,
        "response member left out: its value cannot be read as the declared type"
    );
}

/// Reads a required member's value: an odd value (or `null`) is an error
/// naming the type, the member and the JSON kind found, never the value.
#[doc(hidden)]
#[inline]
pub fn required<'de, F, T: Read<F>, A: MapAccess<'de>>(
    map: &mut A,
    ty: &'static str,
    member: &'static str,
) -> Result<T, A::Error> {
    let at = At { ty, member };
    match map.next_value_seed(Seed::<F, T>::new(at))? {
        Outcome::Value(v) => Ok(v),
        Outcome::Null => Err(odd_required::<A::Error>(at, "null", T::EXPECTING)),
        Outcome::Odd(found) => Err(odd_required::<A::Error>(at, found, T::EXPECTING)),
    }
}

#[cold]
fn odd_required<E: de::Error>(at: At, found: &str, expected: &str) -> E {
    E::custom(format_args!(
        "required member `{}` of `{}`: expected {expected}, found {found} (value not shown)",
        at.member, at.ty
    ))
}

/// Reads one value as `T` in the way `F` names.
struct Seed<F, T>(At, PhantomData<fn() -> (F, T)>);

impl<F, T> Seed<F, T> {
    fn new(at: At) -> Self {
        Seed(at, PhantomData)
    }
}

impl<'de, F, T: Read<F>> DeserializeSeed<'de> for Seed<F, T> {
    type Value = Outcome<T>;
    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Outcome<T>, D::Error> {
        T::read(d, self.0)
    }
}

/// Reads and drops the rest of an object or array: it is odd, but consumed.
fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// The `visit_*` methods of a container's visitor for the scalars it cannot
/// be: each is odd, and says what it was.
macro_rules! odd_scalars {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Outcome::Odd("a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(Outcome::Odd("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(Outcome::Odd("a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Outcome::Odd("a number"))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(Outcome::Odd("a string"))
        }
    };
}

/// A scalar type's conversions from each kind of JSON scalar; `None` is odd.
trait Scalar<F>: Sized {
    const EXPECTING: &'static str;
    fn from_bool(b: bool) -> Option<Self>;
    fn from_i64(n: i64) -> Option<Self>;
    fn from_u64(n: u64) -> Option<Self>;
    fn from_f64(n: f64) -> Option<Self>;
    fn from_str(s: &str) -> Option<Self>;
}

struct ScalarVisitor<F, T>(PhantomData<fn() -> (F, T)>);

impl<'de, F, T: Scalar<F>> Visitor<'de> for ScalarVisitor<F, T> {
    type Value = Outcome<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Outcome<T>, E> {
        Ok(T::from_bool(b).map_or(Outcome::Odd("a boolean"), Outcome::Value))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Outcome<T>, E> {
        Ok(T::from_i64(n).map_or(Outcome::Odd("a number"), Outcome::Value))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Outcome<T>, E> {
        Ok(T::from_u64(n).map_or(Outcome::Odd("a number"), Outcome::Value))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Outcome<T>, E> {
        Ok(T::from_f64(n).map_or(Outcome::Odd("a number"), Outcome::Value))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Outcome<T>, E> {
        Ok(T::from_str(s).map_or(Outcome::Odd("a string"), Outcome::Value))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Outcome<T>, E> {
        Ok(Outcome::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Outcome<T>, E> {
        Ok(Outcome::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Outcome<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Outcome<T>, A::Error> {
        drain_map(map).map(|()| Outcome::Odd("an object"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Outcome<T>, A::Error> {
        drain_seq(seq).map(|()| Outcome::Odd("an array"))
    }
}

macro_rules! read_scalar {
    ($format:ty: $($t:ty),+) => {$(
        impl Read<$format> for $t {
            const EXPECTING: &'static str = <$t as Scalar<$format>>::EXPECTING;
            #[inline]
            fn read<'de, D: Deserializer<'de>>(d: D, _: At) -> Result<Outcome<Self>, D::Error> {
                d.deserialize_any(ScalarVisitor::<$format, $t>(PhantomData))
            }
        }
    )+};
}

read_scalar!(read::Num: i32, i64, f64);
read_scalar!(read::Text: String);
read_scalar!(read::Flag: bool);
read_scalar!(read::Rfc3339: Lenient<OffsetDateTime>);
read_scalar!(read::Rfc2822: Lenient<OffsetDateTime>);
read_scalar!(read::IsoDate: Lenient<Date>);

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Scalar<read::Num> for $t {
            const EXPECTING: &'static str = "an integer, or a string holding one";
            fn from_bool(_: bool) -> Option<Self> { None }
            fn from_i64(n: i64) -> Option<Self> { <$t>::try_from(n).ok() }
            fn from_u64(n: u64) -> Option<Self> { <$t>::try_from(n).ok() }
            fn from_f64(n: f64) -> Option<Self> {
                // Only whole numbers in range: `as` would saturate silently.
                (n.fract() == 0.0 && n >= <$t>::MIN as f64 && n <= <$t>::MAX as f64).then(|| n as $t)
            }
            fn from_str(s: &str) -> Option<Self> {
                let s = s.trim();
                s.parse().ok().or_else(|| s.parse::<f64>().ok().and_then(Self::from_f64))
            }
        }
    )*};
}
integer!(i32, i64);

impl Scalar<read::Num> for f64 {
    const EXPECTING: &'static str = "a number, or a string holding one";
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(n as f64)
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(n)
    }
    fn from_str(s: &str) -> Option<Self> {
        s.trim().parse::<f64>().ok().filter(|n| n.is_finite())
    }
}

/// Text also holds a number or a boolean, as its JSON text: Twilio's APIs send
/// numbers for some members declared `string`.
impl Scalar<read::Text> for String {
    const EXPECTING: &'static str = "a string";
    fn from_bool(b: bool) -> Option<Self> {
        Some(b.to_string())
    }
    fn from_i64(n: i64) -> Option<Self> {
        Some(n.to_string())
    }
    fn from_u64(n: u64) -> Option<Self> {
        Some(n.to_string())
    }
    fn from_f64(n: f64) -> Option<Self> {
        Some(n.to_string())
    }
    fn from_str(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
}

/// `true`/`false`, also as text (any case, surrounding space ignored), and
/// `1`/`0` as a number or text. Anything else (`""`, `"yes"`, `2`) is odd.
impl Scalar<read::Flag> for bool {
    const EXPECTING: &'static str = "a boolean";
    fn from_bool(b: bool) -> Option<Self> {
        Some(b)
    }
    fn from_i64(n: i64) -> Option<Self> {
        match n {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn from_u64(n: u64) -> Option<Self> {
        Self::from_i64(i64::try_from(n).ok()?)
    }
    fn from_f64(n: f64) -> Option<Self> {
        if n == 0.0 {
            Some(false)
        } else if n == 1.0 {
            Some(true)
        } else {
            None
        }
    }
    fn from_str(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("true") || s == "1" {
            Some(true)
        } else if s.eq_ignore_ascii_case("false") || s == "0" {
            Some(false)
        } else {
            None
        }
    }
}

/// Dates: a string is parsed (or kept as sent), a number or boolean kept as its
/// text; only an object or an array is odd.
macro_rules! date {
    ($format:ty, $t:ty, $parse:path, $expecting:literal) => {
        impl Scalar<$format> for Lenient<$t> {
            const EXPECTING: &'static str = $expecting;
            fn from_bool(b: bool) -> Option<Self> {
                Some(Lenient::Raw(b.to_string()))
            }
            fn from_i64(n: i64) -> Option<Self> {
                Some(Lenient::Raw(n.to_string()))
            }
            fn from_u64(n: u64) -> Option<Self> {
                Some(Lenient::Raw(n.to_string()))
            }
            fn from_f64(n: f64) -> Option<Self> {
                Some(Lenient::Raw(n.to_string()))
            }
            fn from_str(s: &str) -> Option<Self> {
                Some($parse(s).map_or_else(|| Lenient::Raw(s.to_owned()), Lenient::Parsed))
            }
        }
    };
}
date!(
    read::Rfc3339,
    OffsetDateTime,
    super::object::parse_rfc3339,
    "an RFC 3339 date-time string"
);
date!(
    read::Rfc2822,
    OffsetDateTime,
    super::object::parse_rfc2822,
    "an RFC 2822 date-time string"
);
date!(
    read::IsoDate,
    Date,
    super::object::parse_iso_date,
    "a YYYY-MM-DD date string"
);

/// A generated struct's [`Read`]: an object is read member by member (each
/// liberally), anything else is odd. `object_serde!` implements it with this.
#[doc(hidden)]
#[inline]
pub fn read_object<'de, D: Deserializer<'de>, T: Object>(d: D) -> Result<Outcome<T>, D::Error> {
    d.deserialize_any(ObjectVisitor::<T>(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = Outcome<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` object", T::NAME)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::from_members(map).map(Outcome::Value)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|()| Outcome::Odd("an array"))
    }
    odd_scalars!();
}

/// Any JSON, as it is; only `null` is [`Outcome::Null`] (an absent value, as
/// for every other type).
impl Read<read::Json> for serde_json::Value {
    const EXPECTING: &'static str = "any JSON value";
    #[inline]
    fn read<'de, D: Deserializer<'de>>(d: D, _: At) -> Result<Outcome<Self>, D::Error> {
        Ok(
            match <serde_json::Value as serde::Deserialize>::deserialize(d)? {
                serde_json::Value::Null => Outcome::Null,
                v => Outcome::Value(v),
            },
        )
    }
}

/// A recursive member (`Box<T>`) is read as `T`.
impl<F, T: Read<F>> Read<F> for Box<T> {
    const EXPECTING: &'static str = T::EXPECTING;
    #[inline]
    fn read<'de, D: Deserializer<'de>>(d: D, at: At) -> Result<Outcome<Self>, D::Error> {
        T::read(d, at).map(|o| o.map(Box::new))
    }
}

/// Reports the items of one list or map member that were left out.
#[cold]
fn left_out(at: At, count: usize, expected: &'static str) {
    tracing::warn!(
        r#type = at.ty,
        member = at.member,
        count,
        expected,
        "items left out of a response member: null, or not readable as the declared type"
    );
}

/// A list: its items read one by one; odd and `null` items are left out.
impl<F, T: Read<F>> Read<F> for Vec<T> {
    const EXPECTING: &'static str = "an array";
    fn read<'de, D: Deserializer<'de>>(d: D, at: At) -> Result<Outcome<Self>, D::Error> {
        d.deserialize_any(ListVisitor::<F, T>(at, PhantomData))
    }
}

struct ListVisitor<F, T>(At, PhantomData<fn() -> (F, T)>);

impl<'de, F, T: Read<F>> Visitor<'de> for ListVisitor<F, T> {
    type Value = Outcome<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        let mut left = 0;
        while let Some(item) = seq.next_element_seed(Seed::<F, T>::new(self.0))? {
            match item {
                Outcome::Value(v) => items.push(v),
                Outcome::Null | Outcome::Odd(_) => left += 1,
            }
        }
        if left > 0 {
            left_out(self.0, left, T::EXPECTING);
        }
        Ok(Outcome::Value(items))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map).map(|()| Outcome::Odd("an object"))
    }
    odd_scalars!();
}

/// A map: its values read one by one; a `null` entry is left out silently (a
/// link that is not there), an odd one is left out and reported.
impl<F, T: Read<F>> Read<F> for BTreeMap<String, T> {
    const EXPECTING: &'static str = "an object";
    fn read<'de, D: Deserializer<'de>>(d: D, at: At) -> Result<Outcome<Self>, D::Error> {
        d.deserialize_any(MapVisitor::<F, T>(at, PhantomData))
    }
}

struct MapVisitor<F, T>(At, PhantomData<fn() -> (F, T)>);

impl<'de, F, T: Read<F>> Visitor<'de> for MapVisitor<F, T> {
    type Value = Outcome<BTreeMap<String, T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = BTreeMap::new();
        let mut left = 0;
        while let Some(key) = map.next_key::<String>()? {
            match map.next_value_seed(Seed::<F, T>::new(self.0))? {
                Outcome::Value(v) => {
                    entries.insert(key, v);
                }
                Outcome::Null => {}
                Outcome::Odd(_) => left += 1,
            }
        }
        if left > 0 {
            left_out(self.0, left, T::EXPECTING);
        }
        Ok(Outcome::Value(entries))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Outcome::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq).map(|()| Outcome::Odd("an array"))
    }
    odd_scalars!();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A struct of every reader, through the macro the generated code uses.
    #[derive(Debug, Default, PartialEq)]
    struct Odd {
        id: i64,
        n: Option<i32>,
        f: Option<f64>,
        b: Option<bool>,
        s: Option<String>,
        d: Option<Lenient<OffsetDateTime>>,
        day: Option<Lenient<Date>>,
        ns: Option<Vec<i64>>,
        ds: Option<Vec<Lenient<OffsetDateTime>>>,
        m: Option<BTreeMap<String, f64>>,
        links: Option<BTreeMap<String, String>>,
    }

    crate::object_serde!(Odd {
        id: "id" required(Num),
        n: "n" optional(Num),
        f: "f" optional(Num),
        b: "b" optional(Flag),
        s: "s" optional(Text),
        d: "d" optional(Rfc3339),
        day: "day" optional(IsoDate),
        ns: "ns" optional(Num),
        ds: "ds" optional(Rfc2822),
        m: "m" optional(Num),
        links: "links" optional(Text),
    });

    #[derive(Debug, PartialEq)]
    struct Inner {
        x: Option<i64>,
    }

    crate::object_serde!(Inner { x: "x" optional(Num) });

    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Other(String),
    }

    crate::open_enum!(Color { Red = "red", });

    #[derive(Debug, Default, PartialEq)]
    struct Outer {
        inner: Option<Inner>,
        inners: Option<Vec<Inner>>,
        boxed: Option<Box<Inner>>,
        color: Option<Color>,
        colors: Option<Vec<Color>>,
    }

    crate::object_serde!(Outer {
        inner: "inner" optional(Model),
        inners: "inners" optional(Model),
        boxed: "boxed" optional(Model),
        color: "color" optional(Text),
        colors: "colors" optional(Text),
    });

    #[derive(Debug, PartialEq)]
    struct Free {
        any: Option<serde_json::Value>,
        map: Option<BTreeMap<String, serde_json::Value>>,
    }

    crate::object_serde!(Free {
        any: "any" optional(Json),
        map: "map" optional(Json),
    });

    #[test]
    fn free_form_values_read_anything_and_a_map_of_them_an_object() {
        let f: Free =
            serde_json::from_str(r#"{"any": [1, {"a": null}], "map": {"a": 1, "b": null}}"#)
                .unwrap();
        assert_eq!(f.any, Some(serde_json::json!([1, {"a": null}])));
        assert_eq!(f.map.unwrap().len(), 1);
        let f: Free = serde_json::from_str(r#"{"any": null, "map": "a=1"}"#).unwrap();
        assert_eq!(
            f,
            Free {
                any: None,
                map: None
            }
        );
    }

    #[test]
    fn nested_structs_and_enums_are_read_liberally_too() {
        let o: Outer = serde_json::from_str(
            r#"{"inner": {"x": "7"}, "inners": [{"x": 1}, "odd", {"x": {}}, null],
                "boxed": {"x": 2.0}, "color": "red", "colors": [5, "red", {}]}"#,
        )
        .unwrap();
        assert_eq!(o.inner, Some(Inner { x: Some(7) }));
        assert_eq!(
            o.inners,
            Some(vec![Inner { x: Some(1) }, Inner { x: None }])
        );
        assert_eq!(o.boxed, Some(Box::new(Inner { x: Some(2) })));
        assert_eq!(o.color, Some(Color::Red));
        assert_eq!(o.colors, Some(vec![Color::Other("5".into()), Color::Red]));
        // The wrong shape for a struct or an enum leaves the member out.
        let o: Outer = serde_json::from_str(
            r#"{"inner": "x", "inners": {"x": 1}, "boxed": [1], "color": {"c": 1}}"#,
        )
        .unwrap();
        assert_eq!(o, Outer::default());
    }

    fn odd(members: &str) -> Odd {
        serde_json::from_str(&format!(r#"{{"id": 1, {members}}}"#)).unwrap()
    }

    #[test]
    fn numbers_read_numeric_text_and_whole_floats_and_nothing_else() {
        assert_eq!(odd(r#""n": "1""#).n, Some(1));
        assert_eq!(odd(r#""n": " 12 ""#).n, Some(12));
        assert_eq!(odd(r#""n": 2.0"#).n, Some(2));
        assert_eq!(odd(r#""n": null"#).n, None);
        assert_eq!(odd(r#""f": "0.25""#).f, Some(0.25));
        assert_eq!(odd(r#""f": 3"#).f, Some(3.0));
        // Odd: the member is `None`, the rest of the object is still read.
        for bad in [
            r#""""#,
            r#""N/A""#,
            "2.5",
            "4294967296",
            "true",
            r#"{"a": [1, {"b": 2}]}"#,
            "[1, 2]",
        ] {
            let o = odd(&format!(r#""n": {bad}, "s": "after""#));
            assert_eq!((o.n, o.s.as_deref()), (None, Some("after")), "{bad}");
        }
        assert_eq!(odd(r#""f": "NaN""#).f, None);
    }

    #[test]
    fn booleans_read_their_text_and_one_or_zero() {
        for (json, b) in [
            ("true", Some(true)),
            (r#""true""#, Some(true)),
            (r#"" FALSE ""#, Some(false)),
            (r#""1""#, Some(true)),
            ("0", Some(false)),
            ("1.0", Some(true)),
            (r#""""#, None),
            (r#""yes""#, None),
            ("2", None),
            ("{}", None),
            ("null", None),
        ] {
            assert_eq!(odd(&format!(r#""b": {json}"#)).b, b, "{json}");
        }
    }

    #[test]
    fn text_reads_numbers_and_booleans_as_their_json_text() {
        assert_eq!(odd(r#""s": 15551234567"#).s.as_deref(), Some("15551234567"));
        assert_eq!(odd(r#""s": -3"#).s.as_deref(), Some("-3"));
        assert_eq!(odd(r#""s": 0.5"#).s.as_deref(), Some("0.5"));
        assert_eq!(odd(r#""s": false"#).s.as_deref(), Some("false"));
        assert_eq!(odd(r#""s": "\u00e9""#).s.as_deref(), Some("é"));
        assert_eq!(odd(r#""s": {"x": "y"}"#).s, None);
        assert_eq!(odd(r#""s": ["x"]"#).s, None);
    }

    #[test]
    fn dates_keep_any_scalar_and_leave_out_an_object() {
        let d = odd(r#""d": "Thu, 01 Sep 2016 10:11:12.123456 -0500""#)
            .d
            .unwrap();
        let t = d.parsed().unwrap();
        assert_eq!(
            (t.unix_timestamp(), t.nanosecond()),
            (1_472_742_672, 123_456_000)
        );
        assert_eq!(odd(r#""d": "soon""#).d, Some(Lenient::Raw("soon".into())));
        assert_eq!(
            odd(r#""d": 1472742672"#).d,
            Some(Lenient::Raw("1472742672".into()))
        );
        assert_eq!(odd(r#""d": """#).d, Some(Lenient::Raw(String::new())));
        assert_eq!(odd(r#""d": {"at": 1}"#).d, None);
        let day = odd(r#""day": "2024-13-01""#).day.unwrap();
        assert_eq!(day.raw(), Some("2024-13-01"));
        let day = odd(r#""day": "2024-12-01""#).day.unwrap();
        assert_eq!(day.parsed(), Some(&time::macros::date!(2024 - 12 - 01)));
    }

    #[test]
    fn lists_and_maps_leave_out_odd_items_and_keep_the_rest() {
        let o = odd(r#""ns": [1, "x", "2", null, {"a": 1}, [3], 4.0, true]"#);
        assert_eq!(o.ns, Some(vec![1, 2, 4]));
        let o = odd(r#""ds": ["Thu, 01 Sep 2016 10:11:12 -0500", {}, "soon"]"#);
        let ds = o.ds.unwrap();
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].parsed().unwrap().unix_timestamp(), 1_472_742_672);
        assert_eq!(ds[1].raw(), Some("soon"));
        let o = odd(r#""m": {"a": 1, "b": "2.5", "c": "high", "d": null, "e": [1]}"#);
        let m = o.m.unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!((m["a"], m["b"]), (1.0, 2.5));
        let o = odd(r#""links": {"members": "https://x/M", "last_message": null, "n": 7}"#);
        let links = o.links.unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(
            (links["members"].as_str(), links["n"].as_str()),
            ("https://x/M", "7")
        );
        // The wrong container is odd as a whole.
        assert_eq!(odd(r#""ns": {"a": 1}"#).ns, None);
        assert_eq!(odd(r#""m": [1, 2]"#).m, None);
        assert_eq!(odd(r#""ns": "1,2""#).ns, None);
    }

    #[test]
    fn a_required_member_reads_liberally_else_names_member_and_type_not_value() {
        let o: Odd = serde_json::from_str(r#"{"id": "42"}"#).unwrap();
        assert_eq!(o.id, 42);
        for (bad, found) in [
            (r#""555-0100""#, "a string"),
            ("null", "null"),
            (r#"{"x": "555-0100"}"#, "an object"),
        ] {
            let e = serde_json::from_str::<Odd>(&format!(r#"{{"id": {bad}}}"#)).unwrap_err();
            let e = e.to_string();
            assert!(
                e.starts_with(&format!(
                    "required member `id` of `Odd`: expected an integer, or a string holding one, found {found}"
                )),
                "{e}"
            );
            assert!(!e.contains("555"), "{e}");
        }
        let e = serde_json::from_str::<Odd>("{}").unwrap_err();
        assert!(e.to_string().contains("missing field `id`"), "{e}");
    }

    #[test]
    fn written_back_as_read() {
        let o = odd(r#""n": "3", "ds": ["soon"], "b": "true", "s": 5"#);
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": 1, "n": 3, "b": true, "s": "5", "ds": ["soon"]})
        );
        let back: Odd = serde_json::from_value(json).unwrap();
        assert_eq!(back, o);
    }

    #[test]
    fn a_deeply_nested_odd_value_is_skipped_without_recursion() {
        // Skipping is serde_json's `IgnoredAny`, a loop, not a recursion: no
        // stack overflow, and the member after it is still read.
        let deep = format!(
            r#"{{"id": 1, "n": {}1{}, "s": "after"}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let o = serde_json::from_str::<Odd>(&deep).unwrap();
        assert_eq!((o.n, o.s.as_deref()), (None, Some("after")));
    }
}
