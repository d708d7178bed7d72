//! `spu/`: source package uploads.

use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use shared::Role;
use shared::models::{ListResponse, SourcePackageUpload};
use shared::requests::NewUpload;
use utoipa_axum::routes;

use super::created;
use super::error::ApiError;
use super::extract::JsonBody;
use super::{ApiRouter, read_handlers};
use crate::domain::{Caller, create};
use crate::state::AppState;
use crate::store::{UPLOAD, UploadRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&UPLOAD, routes!(list, create_one))
        .declare(routes!(get_one))
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

read_handlers! {
    table: UPLOAD, row: UploadRow, model: SourcePackageUpload, tag: "packages",
    list: list, "/api/v1/spu/", "list_uploads",
        "A page of source package uploads, with the filters, order and page applied",
    get: get_one, "/api/v1/spu/{id}/", "get_upload", "The source package upload",
}
