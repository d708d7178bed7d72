//! `subticket/` and `updatesubticketstatus/`.

use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use shared::Role;
use shared::models::{ListResponse, Subticket};
use shared::requests::{NewSubticket, StatusChange};
use utoipa_axum::routes;

use super::accepted;
use super::error::ApiError;
use super::extract::{JsonBody, path_id};
use super::{ApiRouter, create_handler, read_handlers};
use crate::domain::{Caller, create, status};
use crate::state::AppState;
use crate::store::{SUBTICKET, SubticketRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&SUBTICKET, routes!(list, create_one))
        .declare(routes!(get_one))
        .declare(routes!(update_status))
}

create_handler! {
    create_one, "/api/v1/subticket/", "create_subticket", tag: "subtickets",
    body: NewSubticket, role: Developer, model: Subticket, "The subticket created",
    |state, new, caller| create::subticket(&state.store, &new, &caller).await?.to_model(),
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
