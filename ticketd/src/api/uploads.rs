//! `spu/`: source package uploads.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::{Extension, Json};
use shared::Role;
use shared::models::{ListResponse, SourcePackageUpload};
use shared::requests::NewUpload;
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use super::extract::JsonBody;
use super::list::ListCall;
use super::{created, detail};
use crate::domain::{Caller, create};
use crate::state::AppState;
use crate::store::{UPLOAD, UploadRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&UPLOAD, routes!(list, create_one))
        .declare(routes!(get_one))
}

#[utoipa::path(
    get,
    path = "/api/v1/spu/",
    operation_id = "list_uploads",
    tag = "packages",
    responses((status = 200, description = "A page of source package uploads, with the filters, order and page applied", body = ListResponse<SourcePackageUpload>))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    call: ListCall,
) -> Result<Json<ListResponse<SourcePackageUpload>>, ApiError> {
    let request = call.parse(vec![])?;
    Ok(Json(request.run(&state, UploadRow::to_model).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/spu/",
    operation_id = "create_upload",
    tag = "packages",
    request_body = NewUpload,
    responses((status = 201, description = "The upload created", body = SourcePackageUpload,
        headers(("Location" = String, description = "The new object's `resource_uri`"))))
)]
pub(super) async fn create_one(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    JsonBody(new): JsonBody<NewUpload>,
) -> Result<Response, ApiError> {
    caller.require(Role::Developer)?;
    let model = create::upload(&state.store, &new).await?.to_model();
    Ok(created(&model.resource_uri.clone(), model))
}

#[utoipa::path(
    get,
    path = "/api/v1/spu/{id}/",
    operation_id = "get_upload",
    tag = "packages",
    responses((status = 200, description = "The source package upload", body = SourcePackageUpload))
)]
pub(super) async fn get_one(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<SourcePackageUpload>, ApiError> {
    detail(&state, &UPLOAD, &id, UploadRow::to_model).await
}
