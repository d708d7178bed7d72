//! `ticketartifact/` and `subticketartifact/`.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};
use shared::Role;
use shared::models::{ListResponse, SubticketArtifact, TicketArtifact};
use shared::requests::{NewSubticketArtifact, NewTicketArtifact};

use super::error::ApiError;
use super::extract::JsonBody;
use super::list::ListRequest;
use super::{created, detail};
use crate::domain::{Caller, create};
use crate::server::AppState;
use crate::store::{SUBTICKET_ARTIFACT, SubticketArtifactRow, TICKET_ARTIFACT, TicketArtifactRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/ticketartifact",
            get(list_ticket).post(create_ticket),
        )
        .route("/api/v1/ticketartifact/{id}", get(get_ticket))
        .route(
            "/api/v1/subticketartifact",
            get(list_subticket).post(create_subticket),
        )
        .route("/api/v1/subticketartifact/{id}", get(get_subticket))
}

#[utoipa::path(
    get,
    path = "/api/v1/ticketartifact/",
    operation_id = "list_ticket_artifacts",
    tag = "artifacts",
    responses((status = 200, description = "A page of ticket artifacts, with the filters, order and page applied", body = ListResponse<TicketArtifact>))
)]
pub(super) async fn list_ticket(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<ListResponse<TicketArtifact>>, ApiError> {
    let request = ListRequest::parse(
        &TICKET_ARTIFACT,
        "/api/v1/ticketartifact/",
        q.as_deref(),
        vec![],
    )?;
    Ok(Json(
        request.run(&state, TicketArtifactRow::to_model).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/ticketartifact/",
    operation_id = "create_ticket_artifact",
    tag = "artifacts",
    request_body = NewTicketArtifact,
    responses((status = 201, description = "The artifact created", body = TicketArtifact,
        headers(("Location" = String, description = "The new object's `resource_uri`"))))
)]
pub(super) async fn create_ticket(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(new): JsonBody<NewTicketArtifact>,
) -> Result<Response, ApiError> {
    caller.require(Role::Developer)?;
    let model = create::ticket_artifact(&state.store, &state.blobs, &new, &caller)
        .await?
        .to_model();
    Ok(created(&model.resource_uri.clone(), model))
}

#[utoipa::path(
    get,
    path = "/api/v1/ticketartifact/{id}/",
    operation_id = "get_ticket_artifact",
    tag = "artifacts",
    responses((status = 200, description = "The ticket artifact", body = TicketArtifact))
)]
pub(super) async fn get_ticket(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<TicketArtifact>, ApiError> {
    detail(&state, &TICKET_ARTIFACT, &id, TicketArtifactRow::to_model).await
}

#[utoipa::path(
    get,
    path = "/api/v1/subticketartifact/",
    operation_id = "list_subticket_artifacts",
    tag = "artifacts",
    responses((status = 200, description = "A page of subticket artifacts, with the filters, order and page applied", body = ListResponse<SubticketArtifact>))
)]
pub(super) async fn list_subticket(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<ListResponse<SubticketArtifact>>, ApiError> {
    let request = ListRequest::parse(
        &SUBTICKET_ARTIFACT,
        "/api/v1/subticketartifact/",
        q.as_deref(),
        vec![],
    )?;
    Ok(Json(
        request.run(&state, SubticketArtifactRow::to_model).await?,
    ))
}

#[utoipa::path(
    post,
    path = "/api/v1/subticketartifact/",
    operation_id = "create_subticket_artifact",
    tag = "artifacts",
    request_body = NewSubticketArtifact,
    responses((status = 201, description = "The artifact created", body = SubticketArtifact,
        headers(("Location" = String, description = "The new object's `resource_uri`"))))
)]
pub(super) async fn create_subticket(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(new): JsonBody<NewSubticketArtifact>,
) -> Result<Response, ApiError> {
    caller.require(Role::Developer)?;
    let model = create::subticket_artifact(&state.store, &state.blobs, &new, &caller)
        .await?
        .to_model();
    Ok(created(&model.resource_uri.clone(), model))
}

#[utoipa::path(
    get,
    path = "/api/v1/subticketartifact/{id}/",
    operation_id = "get_subticket_artifact",
    tag = "artifacts",
    responses((status = 200, description = "The subticket artifact", body = SubticketArtifact))
)]
pub(super) async fn get_subticket(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SubticketArtifact>, ApiError> {
    detail(
        &state,
        &SUBTICKET_ARTIFACT,
        &id,
        SubticketArtifactRow::to_model,
    )
    .await
}
