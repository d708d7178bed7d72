//! `subticket/` and `updatesubticketstatus/`.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};
use shared::Role;
use shared::models::{ListResponse, Subticket};
use shared::requests::{NewSubticket, StatusChange};
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use super::extract::{JsonBody, path_id};
use super::list::ListCall;
use super::{accepted, created};
use crate::domain::{Caller, create, status};
use crate::state::AppState;
use crate::store::{SUBTICKET, SubticketRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&SUBTICKET, routes!(list, create_one))
        .declare(routes!(get_one))
        .declare(routes!(update_status))
}

#[utoipa::path(
    get,
    path = "/api/v1/subticket/",
    operation_id = "list_subtickets",
    tag = "subtickets",
    responses((status = 200, description = "A page of subtickets, with the filters, order and page applied", body = ListResponse<Subticket>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    call: ListCall,
) -> Result<Json<ListResponse<Subticket>>, ApiError> {
    let request = call.parse(vec![])?;
    Ok(Json(request.run(&state, SubticketRow::to_model).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/subticket/",
    operation_id = "create_subticket",
    tag = "subtickets",
    request_body = NewSubticket,
    responses((status = 201, description = "The subticket created", body = Subticket,
        headers(("Location" = String, description = "The new object's `resource_uri`"))))
)]
pub(super) async fn create_one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(new): JsonBody<NewSubticket>,
) -> Result<Response, ApiError> {
    caller.require(Role::Developer)?;
    let model = create::subticket(&state.store, &new, &caller)
        .await?
        .to_model();
    Ok(created(&model.resource_uri.clone(), model))
}

#[utoipa::path(
    get,
    path = "/api/v1/subticket/{id}/",
    operation_id = "get_subticket",
    tag = "subtickets",
    responses((status = 200, description = "The subticket", body = Subticket))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Subticket>, ApiError> {
    super::detail(&state, &SUBTICKET, &id, SubticketRow::to_model).await
}

#[utoipa::path(
    patch,
    path = "/api/v1/updatesubticketstatus/{id}/",
    operation_id = "update_subticket_status",
    tag = "subtickets",
    request_body = StatusChange,
    responses((status = 202, description = "The subticket after the change (unchanged if it was already in that state)", body = Subticket))
)]
pub(super) async fn update_status(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<StatusChange>,
) -> Result<Response, ApiError> {
    let id = path_id("subticket", &id)?;
    caller.require(Role::Developer)?;
    let row = status::change_subticket(&state.store, id, &change, &caller).await?;
    Ok(accepted(row.to_model()))
}
