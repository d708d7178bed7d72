//! `person/`: people and teams (admins add them).

use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use shared::Role;
use shared::models::{ListResponse, Person};
use shared::requests::NewPerson;
use utoipa_axum::routes;

use super::created;
use super::error::ApiError;
use super::extract::JsonBody;
use super::{ApiRouter, read_handlers};
use crate::domain::{Caller, create};
use crate::state::AppState;
use crate::store::{PERSON, PersonRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&PERSON, routes!(list, create_one))
        .declare(routes!(get_one))
}

#[utoipa::path(
    post,
    path = "/api/v1/person/",
    operation_id = "create_person",
    tag = "persons",
    request_body = NewPerson,
    responses((status = 201, description = "The person created", body = Person,
        headers(("Location" = String, description = "The new object's `resource_uri`"))))
)]
pub(super) async fn create_one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(new): JsonBody<NewPerson>,
) -> Result<Response, ApiError> {
    caller.require(Role::Admin)?;
    let model = create::person(&state.store, &new).await?.to_model();
    Ok(created(&model.resource_uri.clone(), model))
}

read_handlers! {
    table: PERSON, row: PersonRow, model: Person, tag: "persons",
    list: list, "/api/v1/person/", "list_persons",
        "A page of persons and teams, with the filters, order and page applied",
    get: get_one, "/api/v1/person/{id}/", "get_person", "The person or team",
}
