//! Request extractors that answer in the error body: JSON bodies (content
//! type, size, syntax, unknown and read-only fields, types) and ids in paths.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;
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
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        let sent = if content_type.is_empty() {
            "none".to_string()
        } else {
            format!("`{content_type}`")
        };
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            format!("the body must be sent as Content-Type: application/json (got {sent})"),
        ))
    }
}

/// The path of the first string holding a NUL character, which no text
/// column can store (PostgreSQL refuses it), so it is refused for all.
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

/// JSON syntax, with line and column on error; no NUL characters.
fn parse_json(bytes: &[u8]) -> Result<Value, ApiError> {
    let value = parse_json_syntax(bytes)?;
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

fn parse_json_syntax(bytes: &[u8]) -> Result<Value, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
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
    })
}

/// Parse a request body: syntax, then field names, then types.
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
        let problem = if T::READ_ONLY.contains(&key.as_str()) {
            "is read-only and cannot be sent".to_string()
        } else {
            format!(
                "is not a field of this resource; allowed: {}",
                T::ALLOWED.join(", ")
            )
        };
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            ErrorCode::UnknownField,
            key,
            &problem,
        ));
    }
    serde_path_to_error::deserialize::<_, T>(value)
        .map_err(|e| field_error(&e.path().to_string(), &e.inner().to_string()))
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

/// The name a list body's items are reported under (`entries`).
pub trait ListName {
    const NAME: &'static str;
}

/// A JSON array body whose items are `T`; errors are named `{NAME}[i].field`.
pub struct JsonList<T>(pub Vec<T>);

impl<S: Send + Sync, T: DeserializeOwned + ListName> FromRequest<S> for JsonList<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let value = parse_json(&read_json_bytes(request, state).await?)?;
        if !value.is_array() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::ValidationFailed,
                format!("the body must be a JSON array of {}", T::NAME),
            ));
        }
        serde_path_to_error::deserialize::<_, Vec<T>>(value)
            .map(JsonList)
            .map_err(|e| field_error(&format!("{}{}", T::NAME, e.path()), &e.inner().to_string()))
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
    use shared::bundle::BundleRequest;
    use shared::requests::{NewPerson, NewTicket, StatusChange};

    use super::*;

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
            check(parse_json(&bytes).map(drop));
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
            let text = value.to_string();
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
