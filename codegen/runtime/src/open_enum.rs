/// The impls of an open string enum (the generated `models` modules define the
/// enum itself, with its docs, one variant per value the spec lists plus
/// `Other(String)` for a value this version of the crate does not know, so a new
/// value on Twilio's side never fails decoding). A macro keeps each enum a few
/// lines of generated code.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $($variant:ident = $wire:literal,)* }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)*
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }

        /// Also a number or boolean, as its text (see `liberal`).
        impl $crate::liberal::Read<$crate::liberal::read::Text> for $name {
            const EXPECTING: &'static str = "a string";
            #[inline]
            fn read<'de, D: serde::Deserializer<'de>>(
                d: D,
                at: $crate::liberal::At,
            ) -> Result<$crate::liberal::Outcome<Self>, D::Error> {
                <String as $crate::liberal::Read<$crate::liberal::read::Text>>::read(d, at)
                    .map(|o| o.map(|s| $name::from(s.as_str())))
            }
        }

        impl $crate::ToParam for $name {
            fn param_values(&self, out: &mut Vec<String>) -> Result<(), String> {
                out.push(self.as_str().to_string());
                Ok(())
            }
        }
    };
}
