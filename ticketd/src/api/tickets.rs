//! `ticket/`, `opentickets/`, `ticketstatus/`, `fullticket/` and
//! `updateticketstatus/`: views of the ticket table and its status changes.

use axum::Json;
use axum::extract::{Path, State};
use shared::models::{FullTicket, ListResponse, Ticket, TicketStatusRow};
use shared::requests::{NewTicket, StatusChange};
use utoipa_axum::routes;

use super::error::ApiError;
use super::extract::path_id;
use super::list::ListCall;
use super::{ApiRouter, create_handler, read_handlers, status_handler};
use crate::domain::{create, full_ticket, status};
use crate::state::AppState;
use crate::store::{Condition, TICKET, TICKET_STATUS, TicketRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&TICKET, routes!(list_tickets, create_ticket))
        .declare(routes!(get_ticket))
        .list(&TICKET, routes!(list_open))
        .declare(routes!(get_open))
        .list(&TICKET_STATUS, routes!(list_status))
        .declare(routes!(get_status))
        .list(&TICKET, routes!(list_full))
        .declare(routes!(get_full))
        .declare(routes!(update_status))
}

async fn load(state: &AppState, resource: &str, raw_id: &str) -> Result<TicketRow, ApiError> {
    let id = path_id(resource, raw_id)?;
    state
        .store
        .read()
        .await?
        .get::<TicketRow>(&TICKET, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no ticket {id}")))
}

read_handlers! {
    table: TICKET, row: TicketRow, model: Ticket, tag: "tickets",
    to_model: |row: &TicketRow| row.to_model("ticket"),
    list: list_tickets, "/api/v1/ticket/", "list_tickets",
        "A page of tickets, with the filters, order and page applied",
    get: get_ticket, "/api/v1/ticket/{id}/", "get_ticket", "The ticket",
}

create_handler! {
    create_ticket, "/api/v1/ticket/", "create_ticket", tag: "tickets",
    body: NewTicket, role: Developer, model: Ticket, "The ticket, at step 0 status 0, created",
    |state, new, caller| create::ticket(&state.store, &new, &caller).await?.to_model("ticket"),
}

#[utoipa::path(
    get,
    path = "/api/v1/opentickets/",
    operation_id = "list_open_tickets",
    tag = "tickets",
    responses((status = 200, description = "A page of tickets neither Failed nor Complete, with the filters, order and page applied", body = ListResponse<Ticket>))
)]
pub(super) async fn list_open(
    State(state): State<AppState>,
    call: ListCall,
) -> Result<Json<ListResponse<Ticket>>, ApiError> {
    let request = call.parse(vec![Condition::Open])?;
    Ok(Json(
        request
            .run(&state, |row: &TicketRow| row.to_model("opentickets"))
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/opentickets/{id}/",
    operation_id = "get_open_ticket",
    tag = "tickets",
    responses((status = 200, description = "The ticket, if it is neither Failed nor Complete", body = Ticket))
)]
pub(super) async fn get_open(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Ticket>, ApiError> {
    let row = load(&state, "open ticket", &id).await?;
    if row.current_workflow_step.is_terminal() {
        return Err(ApiError::not_found(format!(
            "ticket {} is not open: it is {}",
            row.id,
            row.current_workflow_step.display_name()
        )));
    }
    Ok(Json(row.to_model("opentickets")))
}

read_handlers! {
    table: TICKET, row: TicketRow, model: TicketStatusRow, tag: "tickets",
    to_model: TicketRow::to_status_row,
    list: list_status, "/api/v1/ticketstatus/", "list_ticket_status",
        "A page of light ticket rows, with the filters, order and page applied",
    get: get_status, "/api/v1/ticketstatus/{id}/", "get_ticket_status",
        "The light row of the ticket",
}

/// The most full tickets on one page of `fullticket/`.
const MAX_FULL_TICKETS_PER_PAGE: i64 = 100;

#[utoipa::path(
    get,
    path = "/api/v1/fullticket/",
    operation_id = "list_full_tickets",
    tag = "tickets",
    responses((status = 200, description = "A page of tickets with their subtickets, artifacts, failure and history, with the filters, order and page applied", body = ListResponse<FullTicket>))
)]
pub(super) async fn list_full(
    State(state): State<AppState>,
    call: ListCall,
) -> Result<Json<ListResponse<FullTicket>>, ApiError> {
    let mut request = call.parse(vec![])?;
    // Each full ticket carries its subtickets, artifacts and history: fewer
    // per page keep a page's memory bounded.
    request.query.limit = request.query.limit.min(MAX_FULL_TICKETS_PER_PAGE);
    let mut tx = state.store.read().await?;
    let (rows, total) = tx
        .list::<TicketRow>(&request.query, state.limits.max_page_bytes)
        .await?;
    let returned = rows.len();
    let objects = full_ticket::expand(&mut tx, rows).await?;
    Ok(Json(ListResponse {
        meta: request.meta(total, returned),
        objects,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/fullticket/{id}/",
    operation_id = "get_full_ticket",
    tag = "tickets",
    responses((status = 200, description = "The ticket with its subtickets, artifacts, failure and history", body = FullTicket))
)]
pub(super) async fn get_full(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<FullTicket>, ApiError> {
    let id = path_id("ticket", &id)?;
    let mut tx = state.store.read().await?;
    let row = tx
        .get::<TicketRow>(&TICKET, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("there is no ticket {id}")))?;
    let mut expanded = full_ticket::expand(&mut tx, vec![row]).await?;
    expanded
        .pop()
        .map(Json)
        .ok_or_else(|| ApiError::internal("expanding one ticket gave none"))
}

status_handler! {
    update_status, "/api/v1/updateticketstatus/{id}/", "update_ticket_status",
    tag: "tickets", of: "ticket", model: Ticket,
    "The ticket after the change (unchanged if it was already in that state)",
    |state, id, change, caller| {
        status::change_ticket(&state.store, id, &change, &caller).await?.to_model("ticket")
    },
}
