//! `subticket/` and `updatesubticketstatus/`.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use shared::Role;
use shared::models::{ListResponse, Subticket};
use shared::requests::{NewSubticket, StatusChange};
use utoipa_axum::routes;

use super::error::ApiError;
use super::extract::{JsonBody, path_id};
use super::{ApiRouter, read_handlers};
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

read_handlers! {
    table: SUBTICKET, row: SubticketRow, model: Subticket, tag: "subtickets",
    list: list, "/api/v1/subticket/", "list_subtickets",
        "A page of subtickets, with the filters, order and page applied",
    get: get_one, "/api/v1/subticket/{id}/", "get_subticket", "The subticket",
}
