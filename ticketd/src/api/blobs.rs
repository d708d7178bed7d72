//! `blob/{sha256}`: the content-addressed upload store. PUT streams into
//! the store (never buffered whole); GET serves with `Range`; HEAD says
//! whether it exists.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use shared::blobs::BlobStored;
use shared::{ErrorCode, Role};
use tower::ServiceExt;
use tower_http::services::ServeFile;
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use crate::blobs::{BlobError, Stored, is_digest};
use crate::domain::Caller;
use crate::state::AppState;

pub fn router() -> ApiRouter {
    ApiRouter::new().declare(routes!(upload, download))
}

fn digest_or_404(digest: &str) -> Result<(), ApiError> {
    if is_digest(digest) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "`{digest}` is not a blob name: blobs are named by 64 lower-case hex digits (SHA-256)"
        )))
    }
}

#[utoipa::path(
    put,
    path = "/api/v1/blob/{digest}",
    operation_id = "put_blob",
    tag = "blobs",
    params(("digest" = String, Path, pattern = "^[0-9a-f]{64}$",
        description = "The SHA-256 of the content, 64 lower-case hex digits")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The content, any type, streamed; kept only if its SHA-256 is `digest`"),
    responses(
        (status = 201, description = "Stored", body = BlobStored,
            headers(("Location" = String, description = "`/api/v1/blob/{digest}`"))),
        (status = 200, description = "Already stored (the body was not read)", body = BlobStored,
            headers(("Location" = String, description = "`/api/v1/blob/{digest}`"))),
    )
)]
pub(super) async fn upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(digest): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    caller.require(Role::Developer)?;
    digest_or_404(&digest)?;
    let limit = state.limits.max_blob_bytes;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            format!("blobs may be at most {limit} bytes"),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let stream = request.into_body().into_data_stream();
    let stored = state
        .blobs
        .put(&digest, stream, limit)
        .await
        .map_err(|err| match err {
            BlobError::TooLarge { .. } => too_large(),
            BlobError::DigestMismatch { .. } => ApiError::field(
                StatusCode::BAD_REQUEST,
                ErrorCode::ValidationFailed,
                "digest",
                &err.to_string(),
            ),
            BlobError::Interrupted(detail) => ApiError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::ValidationFailed,
                format!("the upload was interrupted: {detail}"),
            ),
            BlobError::Io(io) => ApiError::blob_storage(&io),
        })?;
    let reference = format!("/api/v1/blob/{digest}");
    let (status, size) = match stored {
        Stored::Created(size) => (StatusCode::CREATED, size),
        Stored::AlreadyThere(size) => (StatusCode::OK, size),
    };
    let mut response = (
        status,
        Json(BlobStored {
            reference: reference.clone(),
            size,
        }),
    )
        .into_response();
    if let Ok(location) = HeaderValue::from_str(&reference) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(
    method(get, head),
    path = "/api/v1/blob/{digest}",
    operation_id = "get_blob",
    tag = "blobs",
    params(("digest" = String, Path, pattern = "^[0-9a-f]{64}$",
        description = "The SHA-256 of the content, 64 lower-case hex digits")),
    responses(
        (status = 200, description = "The content (HEAD: its length, no body)", content_type = "application/octet-stream", body = Vec<u8>),
        (status = 206, description = "The part asked for with `Range`", content_type = "application/octet-stream", body = Vec<u8>),
    )
)]
pub(super) async fn download(
    State(state): State<AppState>,
    Path(digest): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    digest_or_404(&digest)?;
    if state
        .blobs
        .size(&digest)
        .await
        .map_err(|err| ApiError::blob_storage(&err))?
        .is_none()
    {
        return Err(ApiError::not_found(format!("there is no blob {digest}")));
    }
    let path = state.blobs.local_path(&digest);
    // No file extension: served as application/octet-stream.
    let served = ServeFile::new(path)
        .oneshot(request)
        .await
        .map_err(ApiError::internal)?;
    Ok(served.map(Body::new))
}
