//! `event/`: the history as a resource; `id__gt=N` is a poller's cursor.

use axum::Json;
use axum::extract::{Path, State};
use shared::models::{Event, ListResponse};
use utoipa_axum::routes;

use super::ApiRouter;
use super::detail;
use super::error::ApiError;
use super::list::ListCall;
use crate::state::AppState;
use crate::store::{EVENT, EventRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&EVENT, routes!(list))
        .declare(routes!(get_one))
}

#[utoipa::path(
    get,
    path = "/api/v1/event/",
    operation_id = "list_events",
    tag = "events",
    responses((status = 200, description = "A page of events (`id__gt=N` is a poller's cursor), with the filters, order and page applied", body = ListResponse<Event>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    call: ListCall,
) -> Result<Json<ListResponse<Event>>, ApiError> {
    let request = call.parse(vec![])?;
    Ok(Json(request.run(&state, EventRow::to_model).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/event/{id}/",
    operation_id = "get_event",
    tag = "events",
    responses((status = 200, description = "The event", body = Event))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Event>, ApiError> {
    detail(&state, &EVENT, &id, EventRow::to_model).await
}
