//! `person/`: people and teams (admins add them).

use shared::models::{ListResponse, Person};
use shared::requests::NewPerson;
use utoipa_axum::routes;

use super::error::ApiError;
use super::{ApiRouter, create_handler, read_handlers};
use crate::domain::create;
use crate::state::AppState;
use crate::store::{PERSON, PersonRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&PERSON, routes!(list, create_one))
        .declare(routes!(get_one))
}

create_handler! {
    create_one, "/api/v1/person/", "create_person", tag: "persons",
    body: NewPerson, role: Admin, model: Person, "The person created",
    |state, new, caller| create::person(&state.store, &new).await?.to_model(),
}

read_handlers! {
    table: PERSON, row: PersonRow, model: Person, tag: "persons",
    list: list, "/api/v1/person/", "list_persons",
        "A page of persons and teams, with the filters, order and page applied",
    get: get_one, "/api/v1/person/{id}/", "get_person", "The person or team",
}
