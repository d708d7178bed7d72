//! `subticket/` and `updatesubticketstatus/`.

use shared::models::{ListResponse, Subticket};
use shared::requests::{NewSubticket, StatusChange};
use utoipa_axum::routes;

use super::error::ApiError;
use super::{ApiRouter, create_handler, read_handlers, status_handler};
use crate::domain::{create, status};
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

status_handler! {
    update_status, "/api/v1/updatesubticketstatus/{id}/", "update_subticket_status",
    tag: "subtickets", of: "subticket", model: Subticket,
    "The subticket after the change (unchanged if it was already in that state)",
    |state, id, change, caller| {
        status::change_subticket(&state.store, id, &change, &caller).await?.to_model()
    },
}

read_handlers! {
    table: SUBTICKET, row: SubticketRow, model: Subticket, tag: "subtickets",
    list: list, "/api/v1/subticket/", "list_subtickets",
        "A page of subtickets, with the filters, order and page applied",
    get: get_one, "/api/v1/subticket/{id}/", "get_subticket", "The subticket",
}
