//! Request extractors that answer in the error body: JSON bodies (content
//! type and charset, size, syntax, unknown, read-only and duplicate fields,
//! NUL characters, types) and ids in paths. A body is read twice from its
//! bytes, a check that keeps nothing and the typed parse, so that parsing
//! costs what the parsed value keeps, never a tree of the whole document.

use std::borrow::Cow;
use std::fmt;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess,
    Visitor,
};
use shared::ErrorCode;
use shared::requests::Fields;

use super::error::ApiError;

/// A JSON body of type `T`, checked field by field before it is parsed.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Fields> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        parse_body(&read_json_bytes(request, state).await?).map(JsonBody)
    }
}

/// The body of a JSON request: content type checked, size limited.
async fn read_json_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    require_json_content_type(&request)?;
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::for_status(StatusCode::PAYLOAD_TOO_LARGE)
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::MalformedJson,
                    format!("could not read the body: {rejection}"),
                )
            }
        })
}

fn require_json_content_type(request: &Request) -> Result<(), ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    let unsupported = |message: String| {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            message,
        ))
    };
    if !essence.eq_ignore_ascii_case("application/json") {
        let sent = if content_type.is_empty() {
            "none".to_string()
        } else {
            format!("`{content_type}`")
        };
        return unsupported(format!(
            "the body must be sent as Content-Type: application/json (got {sent})"
        ));
    }
    match charset(content_type) {
        Some(charset) if !charset.eq_ignore_ascii_case("utf-8") => unsupported(format!(
            "only UTF-8 is accepted: send application/json without a charset or with \
             charset=utf-8 (got `{content_type}`)"
        )),
        _ => Ok(()),
    }
}

/// The `charset` parameter of a content type, unquoted. Written out rather
/// than parsed with `mime`, which refuses parameter lists (`json;`) that
/// are accepted as they always were.
fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// JSON syntax, with line and column on error.
fn syntax_error(e: &serde_json::Error) -> ApiError {
    let text = e.to_string();
    let reason = text.split(" at line ").next().unwrap_or(&text);
    ApiError::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::MalformedJson,
        format!(
            "malformed JSON at line {}, column {}: {reason}",
            e.line(),
            e.column()
        ),
    )
}

/// A string holding a NUL character, which no text column can store
/// (PostgreSQL refuses it), is refused for all, naming its path.
fn refuse_nul(bytes: &[u8]) -> Result<(), ApiError> {
    match nul_path(bytes) {
        Some(path) => Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            ErrorCode::ValidationFailed,
            if path.is_empty() { "body" } else { &path },
            "must not contain a NUL character (\\u0000)",
        )),
        None => Ok(()),
    }
}

/// Check a body's syntax (with line and column) before its typed parse,
/// keeping none of it. Answers what the top level is and, for an object,
/// what is wrong with its keys.
fn outline(bytes: &[u8], allowed: &'static [&'static str]) -> Result<Outline, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let outline = OutlineSeed { allowed }
        .deserialize(&mut de)
        .and_then(|outline| de.end().map(|()| outline))
        .map_err(|e| syntax_error(&e))?;
    Ok(outline)
}

/// The path of the first string holding a NUL character, in the order the
/// checks have always used (object keys sorted), or `None`. Only bodies
/// that hold the escape `\u0000` are walked; a raw NUL is a syntax error.
fn nul_path(bytes: &[u8]) -> Option<String> {
    const ESCAPE: &[u8] = b"\\u0000";
    if !bytes.windows(ESCAPE.len()).any(|w| w == ESCAPE) {
        return None;
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    // The syntax was checked by `outline`, so an error cannot happen here.
    NulSeed(Place::Top).deserialize(&mut de).ok().flatten()
}

/// The typed parse of a checked body, straight from its bytes; errors name
/// the field's path (`uploads[1].version`).
fn typed<T: DeserializeOwned>(bytes: &[u8], prefix: &str) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let inner = e.inner();
        // The position is for syntax errors; a field error names its path.
        let text = inner.to_string();
        let position = format!(" at line {} column {}", inner.line(), inner.column());
        let message = text.strip_suffix(&position).unwrap_or(&text);
        field_error(&format!("{prefix}{}", e.path()), message)
    })
}

/// Parse a request body: syntax, NUL characters, shape, field names, then
/// types (the first error in document order). Memory is what `T` keeps of the body: no
/// tree of the whole document is built.
pub fn parse_body<T: DeserializeOwned + Fields>(bytes: &[u8]) -> Result<T, ApiError> {
    let shape = outline(bytes, T::ALLOWED)?;
    refuse_nul(bytes)?;
    let Outline::Object { unknown, duplicate } = shape else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::ValidationFailed,
            "the body must be a JSON object",
        ));
    };
    if let Some(key) = unknown {
        return Err(unknown_field::<T>(&key));
    }
    if let Some(key) = duplicate {
        return Err(duplicate_error(key));
    }
    typed(bytes, "")
}

/// A key of the body that `T` does not take: read-only, or not a field.
fn unknown_field<T: Fields>(key: &str) -> ApiError {
    let problem = if T::READ_ONLY.contains(&key) {
        "is read-only and cannot be sent".to_string()
    } else {
        format!(
            "is not a field of this resource; allowed: {}",
            T::ALLOWED.join(", ")
        )
    };
    ApiError::field(
        StatusCode::BAD_REQUEST,
        ErrorCode::UnknownField,
        key,
        &problem,
    )
}

fn duplicate_error(path: &str) -> ApiError {
    ApiError::field(
        StatusCode::BAD_REQUEST,
        ErrorCode::MalformedJson,
        path,
        "appears more than once in its object; send each key once",
    )
}

/// Name the field of a serde error: a missing or unknown field is reported
/// at its parent's path, so join the two.
fn field_error(path: &str, inner: &str) -> ApiError {
    let named = |prefix: &str| inner.strip_prefix(prefix).and_then(|r| r.split('`').next());
    let join = |name: &str| {
        if path == "." {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = named("missing field `") {
        return ApiError::field(
            StatusCode::BAD_REQUEST,
            ErrorCode::ValidationFailed,
            &join(name),
            "is required",
        );
    }
    if let Some(name) = named("duplicate field `") {
        return duplicate_error(&join(name));
    }
    if named("unknown field `").is_some() {
        // serde_path_to_error's path already ends with the unknown field.
        let allowed = inner
            .split_once(", expected ")
            .map(|(_, rest)| rest)
            .unwrap_or("");
        let problem = format!("is not a field here; expected {allowed}");
        return ApiError::field(
            StatusCode::BAD_REQUEST,
            ErrorCode::UnknownField,
            path,
            &problem,
        );
    }
    ApiError::field(
        StatusCode::BAD_REQUEST,
        ErrorCode::ValidationFailed,
        path,
        inner,
    )
}

/// What [`outline`] learns of a body's top level.
enum Outline {
    /// An object: the smallest key (in sorted order, as always reported)
    /// that is not allowed, and the first allowed key sent twice.
    Object {
        unknown: Option<String>,
        duplicate: Option<&'static str>,
    },
    Array,
    Other,
}

struct OutlineSeed {
    allowed: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for OutlineSeed {
    type Value = Outline;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outline, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OutlineSeed {
    type Value = Outline;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut seen = vec![false; self.allowed.len()];
        let mut unknown: Option<String> = None;
        let mut duplicate = None;
        while let Some(Key(key)) = map.next_key()? {
            map.next_value::<Skip>()?;
            match self.allowed.iter().position(|name| *name == key) {
                Some(i) if seen[i] => duplicate = duplicate.or(Some(self.allowed[i])),
                Some(i) => seen[i] = true,
                None if unknown.as_deref().is_none_or(|u| *key < *u) => {
                    unknown = Some(key.into_owned())
                }
                None => {}
            }
        }
        Ok(Outline::Object { unknown, duplicate })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Outline, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Outline::Array)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Outline, E> {
        Ok(Outline::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Outline, E> {
        Ok(Outline::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Outline, E> {
        Ok(Outline::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Outline, E> {
        Ok(Outline::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Outline, E> {
        Ok(Outline::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Outline, E> {
        Ok(Outline::Other)
    }
}
/// The name a list body's items are reported under (`entries`).
pub trait ListName {
    const NAME: &'static str;
}

/// A JSON array body whose items are `T`; errors are named `{NAME}[i].field`.
pub struct JsonList<T>(pub Vec<T>);

impl<S: Send + Sync, T: DeserializeOwned + ListName> FromRequest<S> for JsonList<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = read_json_bytes(request, state).await?;
        let shape = outline(&bytes, &[])?;
        refuse_nul(&bytes)?;
        if !matches!(shape, Outline::Array) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::ValidationFailed,
                format!("the body must be a JSON array of {}", T::NAME),
            ));
        }
        typed(&bytes, T::NAME).map(JsonList)
    }
}

/// Any JSON value, read and checked (syntax, UTF-8, escapes) as a tree
/// would be, but not kept.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Skip, D::Error> {
        deserializer.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Skip;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(Skip)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
}

/// An object key, borrowed from the body unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// Where a value is in the body, written out only when a NUL is found
/// there, so that walking a large body allocates nothing per value.
#[derive(Clone, Copy)]
enum Place<'a> {
    Top,
    Key(&'a Place<'a>, &'a str),
    Index(&'a Place<'a>, usize),
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Top => Ok(()),
            Place::Key(Place::Top, key) => f.write_str(key),
            Place::Key(parent, key) => write!(f, "{parent}.{key}"),
            Place::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Finds the path of the first string or key holding a NUL at or under
/// its place; object keys are visited in sorted order, as they were when
/// bodies were parsed into a tree first.
struct NulSeed<'a>(Place<'a>);

impl<'de> DeserializeSeed<'de> for NulSeed<'_> {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NulSeed<'_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut first: Option<(String, String)> = None;
        while let Some(Key(key)) = map.next_key()? {
            let place = Place::Key(&self.0, &key);
            let found = if key.contains('\0') {
                map.next_value::<Skip>()?;
                Some(place.to_string())
            } else {
                map.next_value_seed(NulSeed(place))?
            };
            if let Some(found) = found
                && first.as_ref().is_none_or(|(k, _)| *key < **k)
            {
                first = Some((key.into_owned(), found));
            }
        }
        Ok(first.map(|(_, path)| path))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut first = None;
        for i in 0.. {
            let item = if first.is_some() {
                seq.next_element::<Skip>()?.map(|_| None)
            } else {
                seq.next_element_seed(NulSeed(Place::Index(&self.0, i)))?
            };
            match item {
                None => break,
                Some(found) => first = first.or(found),
            }
        }
        Ok(first)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.contains('\0').then(|| self.0.to_string()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// An id from a path segment; anything but a positive integer is a 404.
pub fn path_id(resource: &str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0 && raw.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ApiError::not_found(format!("there is no {resource} `{raw}`")))
}

/// The committed fuzzing seeds of one kind (`fuzz/corpus/KIND/*`), and
/// every reproducer of a crash found since, by file name.
#[cfg(test)]
pub(crate) fn corpus_seeds(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(kind);
    let mut seeds: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("corpus entry").path();
            let bytes = std::fs::read(&path).expect("corpus file");
            (path.display().to_string(), bytes)
        })
        .collect();
    seeds.sort();
    assert!(seeds.len() >= 10, "the {kind} corpus is there");
    seeds
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;
    use shared::bundle::BundleRequest;
    use shared::packagelist::PackageListEntry;
    use shared::requests::{NewPerson, NewTicket, StatusChange};

    use super::*;

    /// The parse as it was, through a `serde_json::Value` tree: the oracle
    /// of every error message and of their precedence.
    mod tree {
        use super::*;

        fn nul_path(value: &Value, path: &str) -> Option<String> {
            let join = |key: &str| {
                if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                }
            };
            match value {
                Value::String(text) if text.contains('\0') => Some(if path.is_empty() {
                    "body".into()
                } else {
                    path.to_string()
                }),
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .find_map(|(i, v)| nul_path(v, &format!("{path}[{i}]"))),
                Value::Object(map) => map.iter().find_map(|(k, v)| {
                    if k.contains('\0') {
                        Some(join(k))
                    } else {
                        nul_path(v, &join(k))
                    }
                }),
                _ => None,
            }
        }

        fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
            let value: Value = serde_json::from_slice(bytes).map_err(|e| syntax_error(&e))?;
            match nul_path(&value, "") {
                Some(path) => Err(ApiError::field(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::ValidationFailed,
                    &path,
                    "must not contain a NUL character (\\u0000)",
                )),
                None => Ok(value),
            }
        }

        pub fn parse_body<T: DeserializeOwned + Fields>(bytes: &[u8]) -> Result<T, ApiError> {
            let value = parse_json(bytes)?;
            let Value::Object(object) = &value else {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::ValidationFailed,
                    "the body must be a JSON object",
                ));
            };
            for key in object.keys() {
                if T::ALLOWED.contains(&key.as_str()) {
                    continue;
                }
                return Err(unknown_field::<T>(key));
            }
            serde_path_to_error::deserialize::<_, T>(value)
                .map_err(|e| field_error(&e.path().to_string(), &e.inner().to_string()))
        }

        pub fn parse_list<T: DeserializeOwned + ListName>(
            bytes: &[u8],
        ) -> Result<Vec<T>, ApiError> {
            let value = parse_json(bytes)?;
            if !value.is_array() {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    ErrorCode::ValidationFailed,
                    format!("the body must be a JSON array of {}", T::NAME),
                ));
            }
            serde_path_to_error::deserialize::<_, Vec<T>>(value).map_err(|e| {
                field_error(&format!("{}{}", T::NAME, e.path()), &e.inner().to_string())
            })
        }
    }

    /// The new list parse, as the extractor runs it on a body.
    fn parse_list<T: DeserializeOwned + ListName>(bytes: &[u8]) -> Result<Vec<T>, ApiError> {
        let shape = outline(bytes, &[])?;
        refuse_nul(bytes)?;
        if !matches!(shape, Outline::Array) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::ValidationFailed,
                format!("the body must be a JSON array of {}", T::NAME),
            ));
        }
        typed(bytes, T::NAME)
    }

    /// The same answer, success or error body, from both parses.
    fn same_answer<T: std::fmt::Debug + PartialEq>(
        new: Result<T, ApiError>,
        old: Result<T, ApiError>,
        body: &[u8],
    ) -> Result<(), TestCaseError> {
        let shown = String::from_utf8_lossy(body);
        match (new, old) {
            (Ok(new), Ok(old)) => prop_assert_eq!(new, old, "{}", shown),
            // Duplicate keys were accepted, the last one winning.
            (Err(new), _) if new.body.error.message.contains("more than once") => {}
            (Err(new), Err(old)) if typed_stage(&new) && typed_stage(&old) => {
                // Of several field errors the tree parse named the first in
                // sorted key order, the typed parse names the first sent.
                prop_assert_eq!(new.status, old.status, "{}", shown);
            }
            (Err(new), Err(old)) => {
                prop_assert_eq!(new.status, old.status, "{}", shown);
                prop_assert_eq!(
                    serde_json::to_value(&new.body).expect("error body"),
                    serde_json::to_value(&old.body).expect("error body"),
                    "{}",
                    shown
                );
            }
            (new, old) => prop_assert!(false, "{shown}: now {new:?}, was {old:?}"),
        }
        Ok(())
    }

    /// An error of the typed parse: a field's type, value, absence or
    /// unknown name, past every check of the whole body.
    fn typed_stage(err: &ApiError) -> bool {
        let message = &err.body.error.message;
        err.body.error.fields.is_some()
            && !message.contains("NUL character")
            && !message.contains("is not a field of this resource")
            && !message.contains("is read-only")
    }

    fn same_as_the_tree_parse(body: &[u8]) -> Result<(), TestCaseError> {
        same_answer(parse_body::<NewTicket>(body), tree::parse_body(body), body)?;
        same_answer(
            parse_body::<StatusChange>(body),
            tree::parse_body(body),
            body,
        )?;
        same_answer(parse_body::<NewPerson>(body), tree::parse_body(body), body)?;
        same_answer(
            parse_body::<BundleRequest>(body),
            tree::parse_body(body),
            body,
        )?;
        same_answer(
            parse_list::<PackageListEntry>(body),
            tree::parse_list(body),
            body,
        )
    }

    #[test]
    fn every_corpus_body_gets_the_answer_the_tree_parse_gave() {
        for (name, bytes) in corpus_seeds("body") {
            if let Err(e) = same_as_the_tree_parse(&bytes) {
                panic!("{name}: {e}");
            }
        }
    }

    #[test]
    fn the_precedence_of_errors_is_kept() {
        for body in [
            &br#"{"title": "a\u0000", "colour": 1"#[..],
            br#"[1, {"x": "\u0000"}]"#,
            br#"{"zz": 1, "colour": 2, "id": 3}"#,
            br#"{"title": "\u0000", "owner": 5, "b": "\u0000"}"#,
            br#"{"title": 7, "owner": "a\u0000"}"#,
            br#"{"owner": "a@b.c", "title": "t", "references": ["x", "\u0000"]}"#,
            br#"{"ticket": {"title": "\u0000", "a\u0000": 1}, "uploads": []}"#,
            br#"{"ticket": {"owner": "a@b.c", "title": "t", "x": 1}, "uploads": [{}]}"#,
            br#""\u0000""#,
            br#"[{"binary": "a\u0000"}, {"binary": 1}]"#,
            br#"[{"binary": "ab", "source": "ab"}]"#,
            br#"[{"binary": "ab", "source": "ab", "version": "1", "x": 1}]"#,
            br#"{"current_workflow_step": 1.5, "status": "x"}"#,
            b"\"\\u0000\"",
            b"{\"title\": \"caf\xe9\"}",
            br#"{"title": "\ud800"}"#,
            b"{} x",
            b"",
        ] {
            if let Err(e) = same_as_the_tree_parse(body) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn duplicate_keys_are_named_with_their_path() {
        let err = parse_body::<NewTicket>(br#"{"owner": "a@b.c", "title": "t", "title": "u"}"#)
            .expect_err("a duplicate");
        assert_eq!(
            err.body.error.message,
            "title: appears more than once in its object; send each key once"
        );
        for (body, path) in [
            (&br#"{"uploads": [], "queue": true, "uploads": []}"#[..], "uploads"),
            (br#"{"ticket": {"owner": "a@b.c", "owner": "a@b.c"}, "uploads": []}"#, "ticket.owner"),
            (br#"{"ticket": {"owner": "a@b.c", "title": "t"}, "uploads": [{"artifacts": [{"name": "a", "name": "b"}]}]}"#, "uploads[0].artifacts[0].name"),
        ] {
            let err = parse_body::<BundleRequest>(body).expect_err("a duplicate");
            assert_eq!(err.body.error.code, ErrorCode::MalformedJson);
            let fields = err.body.error.fields.expect("fields");
            assert!(fields.contains_key(path), "{path}: {fields:?}");
        }
        let err = parse_list::<PackageListEntry>(br#"[{"binary": "ab", "binary": "ab"}]"#)
            .expect_err("a duplicate");
        assert!(
            err.body.error.message.starts_with("entries[0].binary:"),
            "{err:?}"
        );
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,10}".prop_map(Value::String),
            prop::sample::select(vec![
                "100",
                "000",
                "queued",
                "/api/v1/ticket/1/",
                "a@b.c",
                "1.0-1",
                "SPU",
                "True"
            ])
            .prop_map(|s| Value::String(s.to_string())),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(
                    prop::sample::select(vec![
                        "title",
                        "owner",
                        "ticket",
                        "uploads",
                        "artifacts",
                        "version",
                        "sourcepackage",
                        "name",
                        "current_workflow_step",
                        "status",
                        "force",
                        "bug_id",
                        "queue",
                        "type",
                        "reference",
                        "x",
                    ])
                    .prop_map(str::to_string),
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn every_corpus_body_parses_or_is_a_400() {
        for (name, bytes) in corpus_seeds("body") {
            let check = |result: Result<(), ApiError>| {
                if let Err(err) = result {
                    assert_eq!(err.status, StatusCode::BAD_REQUEST, "{name}: {err:?}");
                }
            };
            check(parse_body::<NewTicket>(&bytes).map(drop));
            check(parse_body::<StatusChange>(&bytes).map(drop));
            check(parse_body::<NewPerson>(&bytes).map(drop));
            check(outline(&bytes, &[]).map(drop));
            if let Ok(bundle) = parse_body::<BundleRequest>(&bytes) {
                bundle.validate(&mut Default::default());
            }
        }
    }

    fn refused_cleanly<T: std::fmt::Debug>(
        result: Result<T, ApiError>,
    ) -> Result<(), TestCaseError> {
        if let Err(err) = result {
            prop_assert_eq!(err.status, StatusCode::BAD_REQUEST);
        }
        Ok(())
    }

    proptest! {
        // Any bytes, and any JSON of the right vocabulary, parse or get a 400.
        #[test]
        fn any_body_parses_or_is_a_400(bytes in prop::collection::vec(any::<u8>(), 0..64), value in json_value()) {
            refused_cleanly(parse_body::<NewTicket>(&bytes))?;
            same_as_the_tree_parse(&bytes)?;
            let text = value.to_string();
            same_as_the_tree_parse(text.as_bytes())?;
            refused_cleanly(parse_body::<NewTicket>(text.as_bytes()))?;
            refused_cleanly(parse_body::<StatusChange>(text.as_bytes()))?;
            refused_cleanly(parse_body::<NewPerson>(text.as_bytes()))?;
            refused_cleanly(parse_body::<BundleRequest>(text.as_bytes()))?;
            if let Ok(bundle) = parse_body::<BundleRequest>(text.as_bytes()) {
                bundle.validate(&mut Default::default());
            }
        }
    }
}
