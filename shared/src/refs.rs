//! References to other resources in request bodies: a resource URI
//! (`"/api/v1/sourcepackage/3/"`) or a bare id (`3` or `"3"`).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::API_PREFIX;

/// A reference as sent by a client, resolved against the resource it must
/// point at with [`Ref::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Ref {
    /// A bare id.
    Id(i64),
    /// A resource URI, or a string holding a bare id.
    Text(String),
}

impl Ref {
    /// The id this reference names, if it points at `resource` (the path
    /// segment, e.g. `sourcepackage`). The error says what was expected.
    pub fn resolve(&self, resource: &str) -> Result<i64, String> {
        let expected = || format!("must be a {API_PREFIX}/{resource}/ID/ URI or an id");
        match self {
            Ref::Id(id) if *id > 0 => Ok(*id),
            Ref::Id(_) => Err(expected()),
            Ref::Text(text) => parse_id(text)
                .or_else(|| parse_uri(text, resource))
                .ok_or_else(expected),
        }
    }
}

fn parse_id(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|id| *id > 0)
}

fn parse_uri(text: &str, resource: &str) -> Option<i64> {
    let rest = text.strip_prefix(API_PREFIX)?.strip_prefix('/')?;
    let rest = rest.strip_prefix(resource)?.strip_prefix('/')?;
    parse_id(rest.strip_suffix('/').unwrap_or(rest))
}

impl From<i64> for Ref {
    fn from(id: i64) -> Self {
        Ref::Id(id)
    }
}

impl Serialize for Ref {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Ref::Id(id) => serializer.serialize_i64(*id),
            Ref::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Ref {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Ref;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a resource URI or an id")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Ref, E> {
                Ok(Ref::Id(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Ref, E> {
                i64::try_from(v)
                    .map(Ref::Id)
                    .map_err(|_| E::custom("id out of range"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Ref, E> {
                Ok(Ref::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_from_uris_and_ids() {
        let uri = Ref::Text("/api/v1/sourcepackage/3/".into());
        assert_eq!(uri.resolve("sourcepackage"), Ok(3));
        assert_eq!(
            Ref::Text("/api/v1/sourcepackage/3".into()).resolve("sourcepackage"),
            Ok(3)
        );
        assert_eq!(Ref::Id(3).resolve("sourcepackage"), Ok(3));
        assert_eq!(Ref::Text("3".into()).resolve("sourcepackage"), Ok(3));
    }

    #[test]
    fn a_uri_of_another_resource_is_refused() {
        let err = Ref::Text("/api/v1/ticket/3/".into())
            .resolve("sourcepackage")
            .expect_err("wrong type");
        assert_eq!(err, "must be a /api/v1/sourcepackage/ID/ URI or an id");
        assert!(
            Ref::Text("/api/v1/sourcepackage/X/".into())
                .resolve("sourcepackage")
                .is_err()
        );
        assert!(
            Ref::Text("/api/v1/sourcepackagefoo/3/".into())
                .resolve("sourcepackage")
                .is_err()
        );
        assert!(Ref::Id(0).resolve("ticket").is_err());
    }
}
