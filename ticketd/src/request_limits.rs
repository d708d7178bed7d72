//! Bounds on request bodies that hold whatever the client sends: a body
//! declared larger than the limit is a 413 before any of it is read; the
//! JSON bodies being read and parsed at once share a byte budget, so many
//! large bodies wait their turn instead of all sitting in memory together;
//! and a body must keep arriving (no more than `body_idle_timeout` between
//! bytes), uploads included.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use shared::ErrorCode;
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutBody;

use crate::api::ApiError;

/// The budget is counted in units of this many bytes (a semaphore holds at
/// most `u32::MAX` permits at a time per acquire).
const UNIT: usize = 1024;

/// The bytes of JSON bodies that may be in memory at once.
#[derive(Debug, Clone)]
pub struct BodyBudget {
    units: Arc<Semaphore>,
    max_body_bytes: usize,
}

impl BodyBudget {
    /// A budget of `total` bytes, at least one whole body of
    /// `max_body_bytes`.
    pub fn new(total: usize, max_body_bytes: usize) -> BodyBudget {
        let total = total.max(max_body_bytes);
        BodyBudget {
            units: Arc::new(Semaphore::new(total.div_ceil(UNIT).max(1))),
            max_body_bytes,
        }
    }

    /// Middleware: refuse a body declared over the limit at once, and hold
    /// a share of the budget (the declared size, or the whole limit when
    /// the size is not declared) while the request is handled. Waiting for
    /// the budget counts against the request timeout.
    pub async fn hold(self, request: Request, next: Next) -> Response {
        if matches!(
            *request.method(),
            Method::GET | Method::HEAD | Method::OPTIONS
        ) {
            return next.run(request).await;
        }
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
        let bytes = match declared {
            Some(n) if n > self.max_body_bytes as u64 => {
                return ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    ErrorCode::PayloadTooLarge,
                    format!(
                        "the body is {n} bytes; JSON bodies may be at most {} bytes",
                        self.max_body_bytes
                    ),
                )
                .into_response();
            }
            Some(n) => n as usize,
            // Without a length only a chunked body has any bytes at all.
            None if request.headers().contains_key(header::TRANSFER_ENCODING) => {
                self.max_body_bytes
            }
            None => 0,
        };
        let units = u32::try_from(bytes.div_ceil(UNIT)).unwrap_or(u32::MAX);
        let Ok(_share) = self.units.acquire_many(units.max(1)).await else {
            return ApiError::for_status(StatusCode::SERVICE_UNAVAILABLE).into_response();
        };
        next.run(request).await
    }
}

/// A request whose body fails if no bytes arrive for `idle`. A request
/// without a body (no length, or zero, and not chunked) is left as it is:
/// it has nothing to wait for.
pub fn with_body_idle_timeout(idle: Duration, request: Request) -> Request {
    let headers = request.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|n| n.as_bytes() != b"0");
    if has_body {
        request.map(|body| Body::new(TimeoutBody::new(idle, body)))
    } else {
        request
    }
}
