use std::fmt;

/// A Twilio SID type: two-letter prefix and 32 hexadecimal digits.
///
/// What the caller builds is checked ([`parse`](Self::parse), `FromStr`,
/// `TryFrom<String>`); what a response holds is not: a response decodes
/// whatever string the server sent (an unknown prefix, an empty string), and
/// [`is_well_formed`](Self::is_well_formed) says whether it has the expected
/// form. A SID that is not well formed is refused when sent back as a
/// parameter.
pub trait Sid: Sized {
    /// The prefixes this kind of SID may start with.
    const PREFIXES: &'static [&'static str];
    /// Checks `value` and wraps it.
    fn parse(value: &str) -> Result<Self, InvalidSid>;
    /// The SID as text.
    fn as_str(&self) -> &str;
    /// Whether the SID has one of [`PREFIXES`](Self::PREFIXES) and 32
    /// hexadecimal digits (always true for a parsed one; a decoded one may not).
    fn is_well_formed(&self) -> bool {
        is_valid_sid(self.as_str(), Self::PREFIXES)
    }
}

/// A value that is not a SID of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSid {
    /// The rejected value, cut to 64 characters.
    pub value: String,
    /// The prefixes that were expected.
    pub expected: &'static [&'static str],
}

impl InvalidSid {
    /// The error for `value`, which should have started with one of `expected`.
    pub fn new(value: &str, expected: &'static [&'static str]) -> Self {
        InvalidSid {
            value: value.chars().take(64).collect(),
            expected,
        }
    }

    /// The error for this value given as parameter `param`.
    #[doc(hidden)]
    pub fn for_param(self, param: &'static str) -> super::Error {
        super::Error::invalid(param, self.to_string())
    }
}

impl fmt::Display for InvalidSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a SID: expected ", self.value)?;
        for (n, p) in self.expected.iter().enumerate() {
            if n > 0 {
                f.write_str(" or ")?;
            }
            write!(f, "`{p}`")?;
        }
        f.write_str(" followed by 32 hexadecimal digits")
    }
}

impl std::error::Error for InvalidSid {}

/// Values accepted where a SID of type `T` is expected: `T` itself, or text that
/// is checked when the request is sent.
pub trait IntoSid<T> {
    /// Converts, checking text values.
    fn into_sid(self) -> Result<T, InvalidSid>;
}

impl<T: Sid> IntoSid<T> for T {
    fn into_sid(self) -> Result<T, InvalidSid> {
        Ok(self)
    }
}

impl<T: Sid + Clone> IntoSid<T> for &T {
    fn into_sid(self) -> Result<T, InvalidSid> {
        Ok(self.clone())
    }
}

impl<T: Sid> IntoSid<T> for &str {
    fn into_sid(self) -> Result<T, InvalidSid> {
        T::parse(self)
    }
}

impl<T: Sid> IntoSid<T> for String {
    fn into_sid(self) -> Result<T, InvalidSid> {
        T::parse(&self)
    }
}

impl<T: Sid> IntoSid<T> for &String {
    fn into_sid(self) -> Result<T, InvalidSid> {
        T::parse(self)
    }
}

/// Whether `value` is one of `prefixes` followed by exactly 32 hexadecimal digits.
pub fn is_valid_sid(value: &str, prefixes: &[&str]) -> bool {
    let digits = value
        .as_bytes()
        .get(2..)
        .and_then(|d| <&[u8; 32]>::try_from(d).ok());
    digits.is_some_and(all_hex_digits) && prefixes.iter().any(|p| value.starts_with(p))
}

/// Whether all 32 bytes are hexadecimal digits. Every byte is tested, without
/// stopping at the first bad one, so that the compiler checks them a vector at
/// a time: a request checks each SID it sends, and this is on that path.
fn all_hex_digits(digits: &[u8; 32]) -> bool {
    digits.iter().fold(true, |ok, &b| {
        ok & (b.is_ascii_digit() | ((b | 0x20).wrapping_sub(b'a') < 6))
    })
}

/// Lets a SID type stand for one of more prefixes (`FlexFlowSid`, `FO`, where
/// `FO|FX` is now taken): a parameter whose prefixes an update widened still
/// accepts the narrower type it took. Used by the generated `sids` modules.
#[doc(hidden)]
#[macro_export]
macro_rules! sid_widening {
    ($narrow:ty => $wide:ty) => {
        impl $crate::IntoSid<$wide> for $narrow {
            fn into_sid(self) -> Result<$wide, $crate::InvalidSid> {
                <$wide as $crate::Sid>::parse(&String::from(self))
            }
        }
        impl $crate::IntoSid<$wide> for &$narrow {
            fn into_sid(self) -> Result<$wide, $crate::InvalidSid> {
                <$wide as $crate::Sid>::parse(&String::from(self))
            }
        }
    };
}

/// Defines a SID newtype. Used by the generated `sids` module.
#[doc(hidden)]
#[macro_export]
macro_rules! sid_type {
    ($(#[$meta:meta])* $name:ident, [$($prefix:literal),+]) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        // Written out, not derived: serde's derive is most of a SID type's
        // compile time, and the runtime has one per prefix set of the lock.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        /// Any string, unchecked: a response is not failed over an odd SID
        /// (see [`is_well_formed`](Self::is_well_formed)).
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(d).map($name)
            }
        }

        /// Also a number or boolean, as its text (see `liberal`).
        impl $crate::liberal::Read<$crate::liberal::read::Text> for $name {
            const EXPECTING: &'static str = "a SID string";
            #[inline]
            fn read<'de, D: serde::Deserializer<'de>>(
                d: D,
                at: $crate::liberal::At,
            ) -> Result<$crate::liberal::Outcome<Self>, D::Error> {
                <String as $crate::liberal::Read<$crate::liberal::read::Text>>::read(d, at)
                    .map(|o| o.map($name))
            }
        }

        impl $crate::Sid for $name {
            const PREFIXES: &'static [&'static str] = &[$($prefix),+];
            fn parse(value: &str) -> Result<Self, $crate::InvalidSid> {
                if $crate::is_valid_sid(value, Self::PREFIXES) {
                    Ok($name(value.to_string()))
                } else {
                    Err($crate::InvalidSid::new(value, Self::PREFIXES))
                }
            }
            fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl $name {
            /// Checks `value` (prefix and 32 hexadecimal digits) and wraps it.
            pub fn parse(value: &str) -> Result<Self, $crate::InvalidSid> {
                <Self as $crate::Sid>::parse(value)
            }
            /// The SID as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// Whether the SID has the expected prefix and 32 hexadecimal digits:
            /// always for one the caller parsed; a SID decoded from a response is
            /// kept as sent, and may not be.
            pub fn is_well_formed(&self) -> bool {
                <Self as $crate::Sid>::is_well_formed(self)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::InvalidSid;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::InvalidSid;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(s: $name) -> String {
                s.0
            }
        }

        // So that a parameter that took this SID type (`impl IntoSid<Self>`)
        // and now takes text (`impl Into<String>`) accepts what it did.
        impl From<&$name> for String {
            fn from(s: &$name) -> String {
                s.0.clone()
            }
        }

        /// Refuses a SID that is not well formed (decoded from a response as sent).
        impl $crate::ToParam for $name {
            fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
                if !self.is_well_formed() {
                    return Err($crate::InvalidSid::new(&self.0, <Self as $crate::Sid>::PREFIXES).to_string());
                }
                out.push(self.0.clone());
                Ok(())
            }
            fn as_text(&self) -> Option<&str> {
                // A malformed SID (decoded leniently) takes `param_values`, which refuses it.
                self.is_well_formed().then_some(self.0.as_str())
            }
            fn into_text(self) -> Result<String, Self> {
                // A malformed SID is handed back, to be refused as above.
                if self.is_well_formed() {
                    Ok(self.0)
                } else {
                    Err(self)
                }
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::{all_hex_digits, is_valid_sid, IntoSid};

    crate::sid_type!(FlowSid, ["FO"]);
    crate::sid_type!(FlowOrArchiveSid, ["FO", "FX"]);
    crate::sid_widening!(FlowSid => FlowOrArchiveSid);

    const FO: &str = "FO0123456789abcdefABCDEF0123456789";

    fn text(value: impl Into<String>) -> String {
        value.into()
    }

    fn wide(value: impl IntoSid<FlowOrArchiveSid>) -> FlowOrArchiveSid {
        value.into_sid().unwrap()
    }

    /// What a parameter of a SID type accepted, a parameter of text or of a
    /// SID type of more prefixes accepts too (an update may widen either way).
    #[test]
    fn what_a_sid_parameter_took_a_wider_one_takes() {
        let sid = FlowSid::parse(FO).unwrap();
        assert_eq!(text(&sid), FO);
        assert_eq!(text(sid.clone()), FO);
        assert_eq!(wide(&sid).as_str(), FO);
        assert_eq!(wide(sid).as_str(), FO);
        assert_eq!(wide(FO).as_str(), FO);
        let fx = FO.replacen("FO", "FX", 1);
        assert_eq!(wide(fx.as_str()).as_str(), fx);
    }

    #[test]
    fn hex_digits_are_exactly_ascii_hex_digits() {
        for b in 0..=u8::MAX {
            for at in [0, 13, 31] {
                let mut digits = [b'a'; 32];
                digits[at] = b;
                assert_eq!(
                    all_hex_digits(&digits),
                    b.is_ascii_hexdigit(),
                    "byte {b:#04x} at {at}"
                );
            }
        }
    }

    #[test]
    fn a_sid_is_a_prefix_and_32_hex_digits() {
        let ok = "QO0123456789abcdefABCDEF0123456789";
        assert!(is_valid_sid(ok, &["QO"]));
        assert!(is_valid_sid(ok, &["XX", "QO"]));
        assert!(!is_valid_sid(ok, &["XX"]));
        assert!(!is_valid_sid(&ok[..33], &["QO"]));
        assert!(!is_valid_sid(&format!("{ok}0"), &["QO"]));
        assert!(!is_valid_sid("QO0123456789abcdefABCDEF012345678g", &["QO"]));
        assert!(!is_valid_sid("", &["QO"]));
        // 34 bytes, but not 32 one-byte digits after the prefix.
        assert!(!is_valid_sid("QO0123456789abcdefABCDEF01234567é", &["QO"]));
    }

    #[test]
    fn a_sid_type_is_a_json_string_both_ways() {
        let sid = crate::sids::AccountSid::parse("AC0123456789abcdef0123456789abcdef").unwrap();
        let json = serde_json::to_string(&sid).unwrap();
        assert_eq!(json, "\"AC0123456789abcdef0123456789abcdef\"");
        let back: crate::sids::AccountSid = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sid);
        // Decoded as sent, even when not well formed (a response is not failed over it).
        let odd: crate::sids::AccountSid = serde_json::from_str("\"odd\"").unwrap();
        assert!(!odd.is_well_formed());
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"odd\"");
    }
}
