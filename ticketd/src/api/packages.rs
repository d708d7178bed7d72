//! `sourcepackage/` and `binarypackage/`: the project manager's packages.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use shared::Role;
use shared::bundle::{PackageListEntry, PackageListSummary};
use shared::flex::parse_bool;
use shared::models::{BinaryPackage, ListResponse, SourcePackage};
use shared::requests::NewSourcePackage;

use super::error::ApiError;
use super::extract::{JsonBody, JsonList, ListName};
use super::list::ListRequest;
use super::{created, detail};
use crate::domain::{Caller, create, import};
use crate::server::AppState;
use crate::store::{BINARY_PACKAGE, BinaryPackageRow, SOURCE_PACKAGE, SourcePackageRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/sourcepackage",
            get(list_source).post(create_source),
        )
        .route("/api/v1/sourcepackage/{id}", get(get_source))
        .route("/api/v1/binarypackage", get(list_binary))
        .route("/api/v1/binarypackage/{id}", get(get_binary))
        .route("/api/v1/packagelist", post(import_list))
}

impl ListName for PackageListEntry {
    const NAME: &'static str = "entries";
}

/// `POST packagelist/[?prune=true]`: the project manager's import.
async fn import_list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(q): RawQuery,
    JsonList(entries): JsonList<PackageListEntry>,
) -> Result<Json<PackageListSummary>, ApiError> {
    caller.require(Role::Admin)?;
    let mut prune = false;
    for (name, value) in url::form_urlencoded::parse(q.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "prune" => {
                prune = parse_bool(&value)
                    .map_err(|e| ApiError::invalid_filter(format!("prune: {e}")))?
            }
            "format" if value == "json" => {}
            other => {
                return Err(ApiError::invalid_filter(format!(
                    "{other}: not a parameter of packagelist; allowed: prune"
                )));
            }
        }
    }
    Ok(Json(import::import(&state.store, &entries, prune).await?))
}

async fn list_source(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<ListResponse<SourcePackage>>, ApiError> {
    let request = ListRequest::parse(
        &SOURCE_PACKAGE,
        "/api/v1/sourcepackage/",
        q.as_deref(),
        vec![],
    )?;
    Ok(Json(
        request
            .run(&state.store, SourcePackageRow::to_model)
            .await?,
    ))
}

async fn create_source(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(new): JsonBody<NewSourcePackage>,
) -> Result<Response, ApiError> {
    caller.require(Role::Developer)?;
    let model = create::source_package(&state.store, &new).await?.to_model();
    Ok(created(&model.resource_uri.clone(), model))
}

async fn get_source(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SourcePackage>, ApiError> {
    detail(&state, &SOURCE_PACKAGE, &id, SourcePackageRow::to_model).await
}

async fn list_binary(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<ListResponse<BinaryPackage>>, ApiError> {
    let request = ListRequest::parse(
        &BINARY_PACKAGE,
        "/api/v1/binarypackage/",
        q.as_deref(),
        vec![],
    )?;
    Ok(Json(
        request
            .run(&state.store, BinaryPackageRow::to_model)
            .await?,
    ))
}

async fn get_binary(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<BinaryPackage>, ApiError> {
    detail(&state, &BINARY_PACKAGE, &id, BinaryPackageRow::to_model).await
}
