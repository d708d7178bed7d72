//! `spu/`: source package uploads.

use shared::models::{ListResponse, SourcePackageUpload};
use shared::requests::NewUpload;
use utoipa_axum::routes;

use super::error::ApiError;
use super::{ApiRouter, create_handler, read_handlers};
use crate::domain::create;
use crate::state::AppState;
use crate::store::{UPLOAD, UploadRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&UPLOAD, routes!(list, create_one))
        .declare(routes!(get_one))
}

create_handler! {
    create_one, "/api/v1/spu/", "create_upload", tag: "packages",
    body: NewUpload, role: Developer, model: SourcePackageUpload, "The upload created",
    |state, new, caller| create::upload(&state.store, &new).await?.to_model(),
}

read_handlers! {
    table: UPLOAD, row: UploadRow, model: SourcePackageUpload, tag: "packages",
    list: list, "/api/v1/spu/", "list_uploads",
        "A page of source package uploads, with the filters, order and page applied",
    get: get_one, "/api/v1/spu/{id}/", "get_upload", "The source package upload",
}
