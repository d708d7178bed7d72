//! `bundle/`: one call submits a whole change.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use shared::bundle::BundleRequest;
use shared::models::FullTicket;
use shared::{ArtifactType, Role};
use utoipa_axum::routes;

use super::ApiRouter;
use super::created;
use super::error::ApiError;
use super::extract::JsonBody;
use crate::domain::Caller;
use crate::domain::bundle::{self, Outcome};
use crate::state::AppState;

pub fn router() -> ApiRouter {
    ApiRouter::new().declare(routes!(submit))
}

#[utoipa::path(
    post,
    path = "/api/v1/bundle/",
    operation_id = "submit_bundle",
    tag = "tickets",
    params(
        ("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$",
            description = "Retry-safe submission: the same key with the same body answers the first answer"),
    ),
    request_body = BundleRequest,
    responses(
        (status = 201, description = "The ticket, its uploads, subtickets and artifacts, created (and queued unless `queue` is false)",
            body = FullTicket, headers(("Location" = String, description = "The ticket's `resource_uri`"))),
        (status = 200, description = "A retry with the same `Idempotency-Key` and body: the first answer, nothing created",
            body = FullTicket, headers(("Location" = String, description = "The ticket's `resource_uri`"))),
    )
)]
pub(super) async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Result<JsonBody<BundleRequest>, ApiError>,
) -> Result<Response, ApiError> {
    let JsonBody(request) = body.map_err(|err| {
        super::artifacts::name_the_types(err, |path| {
            Some(if path.starts_with("uploads[") {
                ArtifactType::FOR_SUBTICKET
            } else {
                ArtifactType::FOR_TICKET
            })
        })
    })?;
    caller.require(Role::Developer)?;
    let key = match headers.get("idempotency-key") {
        Some(value) => Some(value.to_str().map_err(|_| {
            ApiError::field(
                StatusCode::BAD_REQUEST,
                shared::ErrorCode::ValidationFailed,
                "Idempotency-Key",
                "must be visible ASCII",
            )
        })?),
        None => None,
    };
    let outcome = bundle::submit(
        &state.store,
        &state.blobs,
        state.limits.bundle,
        &request,
        key,
        &caller,
    )
    .await?;
    Ok(match outcome {
        Outcome::Created(id, body) => created(&format!("/api/v1/ticket/{id}/"), body),
        Outcome::Replayed(body) => {
            let id = body["id"].as_i64().unwrap_or_default();
            let mut response = (StatusCode::OK, Json(body)).into_response();
            if let Ok(location) = format!("/api/v1/ticket/{id}/").parse() {
                response
                    .headers_mut()
                    .insert(axum::http::header::LOCATION, location);
            }
            response
        }
    })
}
