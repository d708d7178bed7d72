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
use crate::blobs::{BlobError, BlobStore, Stored, is_digest};
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
    let Some(size) = state
        .blobs
        .size(&digest)
        .await
        .map_err(|err| ApiError::blob_storage(&err))?
    else {
        return Err(ApiError::not_found(format!("there is no blob {digest}")));
    };
    let Some(path) = state.blobs.local_path(&digest) else {
        let asked = request
            .headers()
            .get(header::RANGE)
            .and_then(|value| value.to_str().ok())
            .map(|text| byte_range(text, size));
        let head = request.method() == axum::http::Method::HEAD;
        return serve_object(&state, &digest, size, asked, head).await;
    };
    // No file extension: served as application/octet-stream.
    let served = ServeFile::new(path)
        .oneshot(request)
        .await
        .map_err(ApiError::internal)?;
    Ok(served.map(Body::new))
}

/// A blob of the S3 store, answered as [`ServeFile`] answers for a file:
/// the whole of it, or the single range asked for (206), or 416 for a
/// range past its end; HEAD sends the headers only.
async fn serve_object(
    state: &AppState,
    digest: &str,
    size: u64,
    asked: Option<Wanted>,
    head: bool,
) -> Result<Response, ApiError> {
    let range = match asked {
        None | Some(Wanted::Whole) => None,
        Some(Wanted::Part(range)) => Some(range),
        Some(Wanted::Unsatisfiable) => {
            return Response::builder()
                .status(StatusCode::RANGE_NOT_SATISFIABLE)
                .header(header::CONTENT_RANGE, format!("bytes */{size}"))
                .header(header::CONTENT_LENGTH, 0)
                .body(Body::empty())
                .map_err(ApiError::internal);
        }
    };
    let mut response = Response::builder()
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(header::ACCEPT_RANGES, "bytes");
    response = match &range {
        Some(part) => response
            .status(StatusCode::PARTIAL_CONTENT)
            .header(
                header::CONTENT_RANGE,
                format!("bytes {}-{}/{size}", part.start, part.end - 1),
            )
            .header(header::CONTENT_LENGTH, part.end - part.start),
        None => response
            .status(StatusCode::OK)
            .header(header::CONTENT_LENGTH, size),
    };
    if head || size == 0 {
        return response.body(Body::empty()).map_err(ApiError::internal);
    }
    let BlobStore::S3(s3) = &state.blobs else {
        return Err(ApiError::internal("a blob without a file outside S3"));
    };
    let stream = s3
        .read(digest, range)
        .await
        .map_err(|err| ApiError::blob_storage(&err))?
        .ok_or_else(|| ApiError::not_found(format!("there is no blob {digest}")))?;
    response
        .body(Body::from_stream(stream))
        .map_err(ApiError::internal)
}

/// What a `Range` header asks of a blob of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
enum Wanted {
    /// No range this server serves (several, or not `bytes=`): the whole.
    Whole,
    Part(std::ops::Range<u64>),
    /// A range that starts past the end.
    Unsatisfiable,
}

/// `bytes=A-B`, `bytes=A-` and `bytes=-N` (RFC 9110 14.1.2); anything
/// else is ignored, as the RFC allows.
fn byte_range(header: &str, size: u64) -> Wanted {
    let Some(spec) = header.trim().strip_prefix("bytes=") else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let number = |text: &str| text.parse::<u64>().ok();
    let range = match (first.is_empty(), last.is_empty()) {
        (true, false) => match number(last) {
            Some(0) => return Wanted::Unsatisfiable,
            Some(suffix) => size.saturating_sub(suffix)..size,
            None => return Wanted::Whole,
        },
        (false, _) => {
            let Some(start) = number(first) else {
                return Wanted::Whole;
            };
            if last.is_empty() {
                start..size
            } else {
                match number(last) {
                    Some(end) if end >= start => start..size.min(end.saturating_add(1)),
                    _ => return Wanted::Whole,
                }
            }
        }
        (true, true) => return Wanted::Whole,
    };
    if range.start >= size {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part(range)
    }
}

#[cfg(test)]
mod tests {
    use super::{Wanted, byte_range};

    #[test]
    fn byte_ranges_are_read_as_rfc_9110_says() {
        assert_eq!(byte_range("bytes=2-5", 10), Wanted::Part(2..6));
        assert_eq!(byte_range("bytes=2-", 10), Wanted::Part(2..10));
        assert_eq!(byte_range("bytes=-3", 10), Wanted::Part(7..10));
        assert_eq!(byte_range("bytes=-30", 10), Wanted::Part(0..10));
        assert_eq!(byte_range("bytes=5-100", 10), Wanted::Part(5..10));
        assert_eq!(byte_range("bytes=10-", 10), Wanted::Unsatisfiable);
        assert_eq!(byte_range("bytes=-0", 10), Wanted::Unsatisfiable);
        assert_eq!(byte_range("bytes=5-2", 10), Wanted::Whole);
        assert_eq!(byte_range("bytes=0-1,4-5", 10), Wanted::Whole);
        assert_eq!(byte_range("items=0-1", 10), Wanted::Whole);
    }
}
