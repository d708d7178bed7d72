//! Lenient scalar forms the API accepts in bodies: numeric codes as a JSON
//! number or a numeric string, booleans as `true`/`"True"`/`"1"`/`1`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// Past this, an integral float is no whole number an `i64` can hold.
const WHOLE_MAX: f64 = 9.0e18;

/// A JSON number or string, kept as text for a later typed parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberOrString(String);

impl NumberOrString {
    /// The value as text (`0` and `"000"` both give their digits).
    pub fn as_text(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for NumberOrString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = NumberOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(NumberOrString(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(NumberOrString(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // `1e2` and `100.0` are the whole number 100. Debug shows
                // the value as sent (`100.5`, `1e300`), not its expansion.
                if v.fract() == 0.0 && v.abs() < WHOLE_MAX {
                    Ok(NumberOrString((v as i64).to_string()))
                } else {
                    Err(E::custom(format!("`{v:?}` is not a whole number")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(NumberOrString(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Parse the boolean spellings the API takes (`docs/api.md`): `true/false`,
/// `True/False`, `1/0`.
pub fn parse_bool(text: &str) -> Result<bool, String> {
    match text {
        "true" | "True" | "1" => Ok(true),
        "false" | "False" | "0" => Ok(false),
        _ => Err(format!(
            "`{text}` is not a boolean; allowed: true, false, True, False, 1, 0"
        )),
    }
}

/// A boolean that also accepts the string and number spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FlexBool(pub bool);

impl<'de> Deserialize<'de> for FlexBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FlexBool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean (true, false, \"True\", \"False\", 1, 0)")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(FlexBool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                parse_bool(&v.to_string()).map(FlexBool).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                parse_bool(&v.to_string()).map(FlexBool).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                parse_bool(v).map(FlexBool).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// A Launchpad bug number: a JSON number or a string of digits; `""` or
/// `null` means no bug. Answered as a string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BugId(pub Option<String>);

impl BugId {
    /// No bug.
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

impl Serialize for BugId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for BugId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Option::<NumberOrString>::deserialize(deserializer)?;
        let Some(raw) = raw else {
            return Ok(BugId(None));
        };
        let text = raw.as_text().trim();
        if text.is_empty() {
            return Ok(BugId(None));
        }
        if text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(de::Error::custom(format!(
                "`{text}` is not a Launchpad bug number (digits only)"
            )));
        }
        Ok(BugId(Some(text.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_accept_the_seed_spellings() {
        for (json, want) in [
            ("true", true),
            ("\"True\"", true),
            ("\"1\"", true),
            ("1", true),
            ("false", false),
            ("\"False\"", false),
            ("0", false),
        ] {
            let got: FlexBool = serde_json::from_str(json).expect(json);
            assert_eq!(got.0, want, "{json}");
        }
        assert!(serde_json::from_str::<FlexBool>("\"yes\"").is_err());
    }

    #[test]
    fn integral_floats_are_whole_numbers_and_others_are_quoted() {
        for (json, want) in [
            ("1e2", "100"),
            ("100.0", "100"),
            ("0e5", "0"),
            ("-0.0", "0"),
        ] {
            let got: NumberOrString = serde_json::from_str(json).expect(json);
            assert_eq!(got.as_text(), want, "{json}");
        }
        for (json, quoted) in [
            ("100.5", "`100.5`"),
            ("1e300", "`1e300`"),
            ("0.001", "`0.001`"),
        ] {
            let err = serde_json::from_str::<NumberOrString>(json).expect_err(json);
            assert!(
                err.to_string()
                    .starts_with(&format!("{quoted} is not a whole number")),
                "{json}: {err}"
            );
        }
    }

    #[test]
    fn bug_ids_are_digits_from_numbers_or_strings() {
        let n: BugId = serde_json::from_str("12345").expect("number");
        let s: BugId = serde_json::from_str("\"12345\"").expect("string");
        let empty: BugId = serde_json::from_str("\"\"").expect("empty");
        assert_eq!(n.0.as_deref(), Some("12345"));
        assert_eq!(s, n);
        assert_eq!(empty.0, None);
        assert!(serde_json::from_str::<BugId>("\"LP#1\"").is_err());
    }
}
