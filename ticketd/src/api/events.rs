//! `event/`: the history as a resource; `id__gt=N` is a poller's cursor.

use shared::models::{Event, ListResponse};
use utoipa_axum::routes;

use super::error::ApiError;
use super::{ApiRouter, read_handlers};
use crate::state::AppState;
use crate::store::{EVENT, EventRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&EVENT, routes!(list))
        .declare(routes!(get_one))
}

read_handlers! {
    table: EVENT, row: EventRow, model: Event, tag: "events",
    list: list, "/api/v1/event/", "list_events",
        "A page of events (`id__gt=N` is a poller's cursor), with the filters, order and page applied",
    get: get_one, "/api/v1/event/{id}/", "get_event", "The event",
}
