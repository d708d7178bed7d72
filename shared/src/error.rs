//! The one error body every 4xx and 5xx answer carries:
//! `{"error": {"code": "validation_failed", "message": "…", "fields": {…}}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Machine-readable error codes of the error body (`docs/api.md`,
/// Conventions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The body is not valid JSON.
    MalformedJson,
    /// A field has a value that is not allowed.
    ValidationFailed,
    /// A body field the resource does not have, or one that is read-only.
    UnknownField,
    /// A query parameter, filter field, lookup or order that is not allowed.
    InvalidFilter,
    /// A reference to another resource that is malformed or names nothing.
    InvalidReference,
    /// No credentials, or wrong or revoked ones.
    Unauthorized,
    /// The token's role may not do this.
    Forbidden,
    /// No such resource or object.
    NotFound,
    /// The path does not take this method.
    MethodNotAllowed,
    /// The workflow rules refuse this status change.
    IllegalTransition,
    /// The object exists already (`existing` names it).
    Duplicate,
    /// An `Idempotency-Key` reused with another body.
    IdempotencyConflict,
    /// The body is larger than the configured limit.
    PayloadTooLarge,
    /// The body is not `application/json`.
    UnsupportedMediaType,
    /// Too many requests.
    RateLimited,
    /// A fault of the server; details are in its log.
    Internal,
    /// The server cannot reach its database right now.
    Unavailable,
}

/// The inner object of the error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// What went wrong, as a code.
    pub code: ErrorCode,
    /// One sentence for a person.
    pub message: String,
    /// Field path → what is wrong with it, where fields are at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// The `resource_uri` of the object a duplicate collides with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<String>,
}

/// The error body: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

impl ErrorBody {
    /// An error without field details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code,
                message: message.into(),
                fields: None,
                existing: None,
            },
        }
    }
}

/// Field errors collected while validating a request, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    /// Record that `field` is at fault; the first problem of a field wins.
    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| problem.into());
    }

    /// Record the error of `result`, if any, and pass its value on.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, else the errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }

    /// `"field: problem"` of the first field, for the error's message.
    pub fn summary(&self) -> String {
        match self.0.iter().next() {
            Some((field, problem)) if self.0.len() == 1 => format!("{field}: {problem}"),
            Some((field, problem)) => {
                format!("{field}: {problem} (and {} more)", self.0.len() - 1)
            }
            None => "invalid request".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_body_has_the_documented_shape() {
        let mut body = ErrorBody::new(ErrorCode::ValidationFailed, "title: must not be empty");
        body.error.fields = Some(BTreeMap::from([(
            "title".to_string(),
            "must not be empty".to_string(),
        )]));
        let json = serde_json::to_value(&body).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "validation_failed",
                "message": "title: must not be empty",
                "fields": {"title": "must not be empty"}}})
        );
    }
}
