//! The one mapping from errors to HTTP status and the error body of
//! docs/api.md. 5xx bodies are opaque; their detail goes to the log.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use shared::{ErrorBody, ErrorCode};

use crate::domain::DomainError;
use crate::metrics::DatabaseDamaged;
use crate::store::StoreError;

/// Marks a response whose body is already the error body, so that the
/// catch-all middleware leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct ErrorBodyWritten;

/// An error answer: status and body.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
    /// Set when the database is damaged (see [`DatabaseDamaged`]).
    damage: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody::new(code, message),
            damage: None,
        }
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    pub fn invalid_filter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidFilter, message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    /// A field-level error of `code` on `field`.
    pub fn field(status: StatusCode, code: ErrorCode, field: &str, problem: &str) -> Self {
        let mut err = Self::new(status, code, format!("{field}: {problem}"));
        err.body.error.fields = Some([(field.to_string(), problem.to_string())].into());
        err
    }

    /// An error of `code` on every field of `fields`, summed up in the message.
    pub fn fields(status: StatusCode, code: ErrorCode, fields: shared::error::FieldErrors) -> Self {
        let mut err = Self::new(status, code, fields.summary());
        err.body.error.fields = Some(fields.0);
        err
    }

    /// A fault of the server: logged in full, answered without detail.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal server error; the details are in the server log",
        )
    }

    pub fn unavailable(detail: impl std::fmt::Display) -> Self {
        tracing::warn!(error = %detail, "database unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "the database is unavailable; retry later",
        )
    }

    /// The database file is damaged: 503, as the client is not at fault
    /// and another replica may serve it; `/readyz` fails from now on.
    pub fn damaged(detail: impl std::fmt::Display) -> Self {
        let detail = detail.to_string();
        tracing::error!(error = %detail, "request failed on a DAMAGED database");
        let mut err = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            "the database is damaged and must be restored; the details are in the server log",
        );
        err.damage = Some(detail);
        err
    }

    /// The blob store could not store or read a file (full or read-only
    /// disk, quota, I/O error): 503 like a database that cannot take writes.
    pub fn blob_storage(err: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        tracing::error!(error = %err, "blob store failed");
        let problem = match err.kind() {
            ErrorKind::StorageFull => "its disk is full",
            ErrorKind::QuotaExceeded => "its disk quota is exhausted",
            ErrorKind::ReadOnlyFilesystem => "its file system is read-only",
            ErrorKind::PermissionDenied => "the server may not write to it",
            _ => "an I/O error",
        };
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Unavailable,
            format!("the blob store cannot store or read files now: {problem}; retry later"),
        )
    }

    /// The body for a status that some layer answered without one.
    pub fn for_status(status: StatusCode) -> Self {
        let (code, message) = match status {
            StatusCode::NOT_FOUND => (
                ErrorCode::NotFound,
                "no such path; the API lives under /api/v1/",
            ),
            StatusCode::METHOD_NOT_ALLOWED => (
                ErrorCode::MethodNotAllowed,
                "this path does not take that method; see the Allow header",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                ErrorCode::PayloadTooLarge,
                "the request body is larger than this server accepts",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                ErrorCode::UnsupportedMediaType,
                "the body must be application/json",
            ),
            StatusCode::UNAUTHORIZED => (
                ErrorCode::Unauthorized,
                "credentials are missing or invalid",
            ),
            StatusCode::FORBIDDEN => (ErrorCode::Forbidden, "your token's role may not do this"),
            StatusCode::TOO_MANY_REQUESTS => {
                (ErrorCode::RateLimited, "too many requests; retry later")
            }
            StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::REQUEST_TIMEOUT
            | StatusCode::GATEWAY_TIMEOUT => (
                ErrorCode::Unavailable,
                "the server could not answer in time; retry later",
            ),
            s if s.is_client_error() => (ErrorCode::ValidationFailed, "the request is not valid"),
            _ => (
                ErrorCode::Internal,
                "internal server error; the details are in the server log",
            ),
        };
        let status =
            if status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::GATEWAY_TIMEOUT {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                status
            };
        Self::new(status, code, message)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ApiError::not_found("not found"),
            StoreError::Unavailable(detail) => ApiError::unavailable(detail),
            // A unique violation that the domain did not anticipate.
            StoreError::Conflict(detail) => {
                tracing::warn!(error = %detail, "unexpected conflict");
                ApiError::new(
                    StatusCode::CONFLICT,
                    ErrorCode::Duplicate,
                    "the object exists already",
                )
            }
            StoreError::Damaged(detail) => ApiError::damaged(detail),
            StoreError::Other(detail) => ApiError::internal(detail),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Validation(fields) => {
                ApiError::fields(StatusCode::BAD_REQUEST, ErrorCode::ValidationFailed, fields)
            }
            DomainError::InvalidReference { field, problem } => ApiError::field(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidReference,
                &field,
                &problem,
            ),
            DomainError::NotFound(message) => ApiError::not_found(message),
            DomainError::Forbidden(message) => {
                ApiError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
            }
            DomainError::Illegal(message) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::IllegalTransition, message)
            }
            DomainError::Duplicate { message, existing } => {
                let mut e = ApiError::new(StatusCode::CONFLICT, ErrorCode::Duplicate, message);
                e.body.error.existing = Some(existing);
                e
            }
            DomainError::TooLarge(fields) => ApiError::fields(
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                fields,
            ),
            DomainError::IdempotencyConflict(message) => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::IdempotencyConflict,
                message,
            ),
            DomainError::Store(err) => err.into(),
            DomainError::Internal(detail) => ApiError::internal(detail),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(ErrorBodyWritten);
        if let Some(detail) = self.damage {
            response.extensions_mut().insert(DatabaseDamaged(detail));
        }
        response
    }
}

/// Middleware: give every 4xx/5xx that lacks it the error body (axum's own
/// 404, 405, 413 and the like), keeping headers such as `Allow`.
pub async fn ensure_error_body(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<ErrorBodyWritten>().is_some()
    {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let replacement = ApiError::for_status(status).into_response();
    let (new_parts, body) = replacement.into_parts();
    parts.status = new_parts.status;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(auth) = new_parts.headers.get(header::WWW_AUTHENTICATE) {
        parts.headers.insert(header::WWW_AUTHENTICATE, auth.clone());
    }
    parts.extensions.insert(ErrorBodyWritten);
    Response::from_parts(parts, body)
}
