//! Reading fields the real API is inconsistent about: enums that may grow, versions that
//! are strings in one answer and numbers in another, timestamps of either kind.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string enum that keeps values it does not know as `Other(text)` instead of failing,
/// so that a new status on Prolific's side never breaks reading an answer.
macro_rules! lenient_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version of Batchdesk does not know, kept as sent.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(text) => text,
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $(if text.eq_ignore_ascii_case($text) {
                    return Self::$variant;
                })*
                Self::Other(text.to_owned())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok(Self::from(text.as_str()))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use lenient_enum;

/// A version the API sends as `"4"` or `4`; kept as text, readable as a number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SchemaVersion(pub String);

impl SchemaVersion {
    pub fn number(&self) -> Option<u32> {
        self.0.trim().parse().ok()
    }
}

impl<'de> Deserialize<'de> for SchemaVersion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        text_or_number(deserializer).map(Self)
    }
}

fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::String(text) => Ok(text),
        Value::Number(number) => Ok(number.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected a string or a number, got {other}"
        ))),
    }
}

/// An optional field that may be a string or a number (timestamps: ISO text, though
/// some answers have sent Unix seconds); `null` and absence read as `None`.
pub(crate) fn optional_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    lenient_enum!(Colour { Red => "RED", Blue => "BLUE" });

    #[test]
    fn unknown_enum_values_are_kept() {
        let colours: Vec<Colour> = serde_json::from_str(r#"["RED","blue","GREEN"]"#).unwrap();
        assert_eq!(
            colours,
            [Colour::Red, Colour::Blue, Colour::Other("GREEN".into())]
        );
        assert_eq!(serde_json::to_string(&colours[2]).unwrap(), r#""GREEN""#);
    }

    #[test]
    fn versions_read_as_text_or_number() {
        let versions: Vec<SchemaVersion> = serde_json::from_str(r#"["4", 1]"#).unwrap();
        assert_eq!(versions[0].number(), Some(4));
        assert_eq!(versions[1].number(), Some(1));
        assert!(serde_json::from_str::<SchemaVersion>("null").is_err());
    }
}
