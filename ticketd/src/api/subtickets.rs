//! `subticket/` and `updatesubticketstatus/`.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, patch};
use axum::{Extension, Json, Router};
use shared::Role;
use shared::models::{ListResponse, Subticket};
use shared::requests::{NewSubticket, StatusChange};

use super::error::ApiError;
use super::extract::{JsonBody, path_id};
use super::list::ListRequest;
use super::{accepted, created};
use crate::domain::{Caller, create, status};
use crate::server::AppState;
use crate::store::{SUBTICKET, SubticketRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/subticket", get(list).post(create_one))
        .route("/api/v1/subticket/{id}", get(get_one))
        .route("/api/v1/updatesubticketstatus/{id}", patch(update_status))
}

async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<ListResponse<Subticket>>, ApiError> {
    let request = ListRequest::parse(&SUBTICKET, "/api/v1/subticket/", q.as_deref(), vec![])?;
    Ok(Json(
        request.run(&state.store, SubticketRow::to_model).await?,
    ))
}

async fn create_one(
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

async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Subticket>, ApiError> {
    super::detail(&state, &SUBTICKET, &id, SubticketRow::to_model).await
}

async fn update_status(
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
