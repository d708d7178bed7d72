//! `ticketartifact/` and `subticketartifact/`.

use axum::http::StatusCode;
use shared::models::{ListResponse, SubticketArtifact, TicketArtifact};
use shared::requests::{NewSubticketArtifact, NewTicketArtifact};
use shared::{ArtifactType, ErrorCode};
use utoipa_axum::routes;

use super::error::ApiError;
use super::{ApiRouter, create_handler, read_handlers};
use crate::domain::create;
use crate::state::AppState;
use crate::store::{SUBTICKET_ARTIFACT, SubticketArtifactRow, TICKET_ARTIFACT, TicketArtifactRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&TICKET_ARTIFACT, routes!(list_ticket, create_ticket))
        .declare(routes!(get_ticket))
        .list(
            &SUBTICKET_ARTIFACT,
            routes!(list_subticket, create_subticket),
        )
        .declare(routes!(get_subticket))
}

/// A `type` that is not a string fails the typed parse with serde's
/// "invalid type: integer `1`, expected a string": answer it as a wrong
/// string is answered, naming the types allowed at its path (`allowed_at`).
pub(super) fn name_the_types(
    err: ApiError,
    allowed_at: impl Fn(&str) -> Option<&'static [ArtifactType]>,
) -> ApiError {
    let Some(fields) = &err.body.error.fields else {
        return err;
    };
    let Some((path, problem)) = fields.iter().next().filter(|_| fields.len() == 1) else {
        return err;
    };
    let (Some(sent), Some(allowed)) = (
        problem.strip_prefix("invalid type: "),
        (path == "type" || path.ends_with(".type"))
            .then(|| allowed_at(path))
            .flatten(),
    ) else {
        return err;
    };
    let sent = sent.split(", expected").next().unwrap_or(sent);
    let names = ArtifactType::parse_among("", allowed)
        .err()
        .unwrap_or_default();
    ApiError::field(
        StatusCode::BAD_REQUEST,
        ErrorCode::ValidationFailed,
        path,
        &format!("{names}; got {sent}"),
    )
}

create_handler! {
    create_ticket, "/api/v1/ticketartifact/", "create_ticket_artifact", tag: "artifacts",
    body: NewTicketArtifact, role: Developer, model: TicketArtifact, "The artifact created",
    on_bad_body: |err| name_the_types(err, |_| Some(ArtifactType::FOR_TICKET)),
    |state, new, caller| {
        create::artifact(&state.store, &state.blobs, &new, &caller).await?.to_model()
    },
}

create_handler! {
    create_subticket, "/api/v1/subticketartifact/", "create_subticket_artifact", tag: "artifacts",
    body: NewSubticketArtifact, role: Developer, model: SubticketArtifact, "The artifact created",
    on_bad_body: |err| name_the_types(err, |_| Some(ArtifactType::FOR_SUBTICKET)),
    |state, new, caller| {
        create::artifact(&state.store, &state.blobs, &new, &caller).await?.to_model()
    },
}

read_handlers! {
    table: TICKET_ARTIFACT, row: TicketArtifactRow, model: TicketArtifact, tag: "artifacts",
    list: list_ticket, "/api/v1/ticketartifact/", "list_ticket_artifacts",
        "A page of ticket artifacts, with the filters, order and page applied",
    get: get_ticket, "/api/v1/ticketartifact/{id}/", "get_ticket_artifact", "The ticket artifact",
}

read_handlers! {
    table: SUBTICKET_ARTIFACT, row: SubticketArtifactRow, model: SubticketArtifact, tag: "artifacts",
    list: list_subticket, "/api/v1/subticketartifact/", "list_subticket_artifacts",
        "A page of subticket artifacts, with the filters, order and page applied",
    get: get_subticket, "/api/v1/subticketartifact/{id}/", "get_subticket_artifact", "The subticket artifact",
}
