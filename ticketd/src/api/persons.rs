//! `person/`: people and teams (admins add them).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};
use shared::Role;
use shared::models::{ListResponse, Person};
use shared::requests::NewPerson;
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use super::extract::JsonBody;
use super::list::ListCall;
use super::{created, detail};
use crate::domain::{Caller, create};
use crate::state::AppState;
use crate::store::{PERSON, PersonRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&PERSON, routes!(list, create_one))
        .declare(routes!(get_one))
}

#[utoipa::path(
    get,
    path = "/api/v1/person/",
    operation_id = "list_persons",
    tag = "persons",
    responses((status = 200, description = "A page of persons and teams, with the filters, order and page applied", body = ListResponse<Person>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    call: ListCall,
) -> Result<Json<ListResponse<Person>>, ApiError> {
    let request = call.parse(vec![])?;
    Ok(Json(request.run(&state, PersonRow::to_model).await?))
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

#[utoipa::path(
    get,
    path = "/api/v1/person/{id}/",
    operation_id = "get_person",
    tag = "persons",
    responses((status = 200, description = "The person or team", body = Person))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Person>, ApiError> {
    detail(&state, &PERSON, &id, PersonRow::to_model).await
}
