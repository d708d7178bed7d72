//! `sourcepackage/` and `binarypackage/`: the project manager's packages.

use axum::extract::{RawQuery, State};
use axum::{Extension, Json};
use shared::Role;
use shared::lenient::{FlexBool, parse_bool};
use shared::models::{BinaryPackage, ListResponse, SourcePackage};
use shared::packagelist::{PackageListEntry, PackageListSummary};
use shared::requests::NewSourcePackage;
use utoipa_axum::routes;

use super::error::ApiError;
use super::extract::{JsonList, ListName};
use super::list::query_pairs;
use super::{ApiRouter, create_handler, read_handlers};
use crate::domain::{Caller, create, import};
use crate::state::AppState;
use crate::store::{BINARY_PACKAGE, BinaryPackageRow, SOURCE_PACKAGE, SourcePackageRow};

pub fn router() -> ApiRouter {
    ApiRouter::new()
        .list(&SOURCE_PACKAGE, routes!(list_source, create_source))
        .declare(routes!(get_source))
        .list(&BINARY_PACKAGE, routes!(list_binary))
        .declare(routes!(get_binary))
        .declare(routes!(import_list))
}

impl ListName for PackageListEntry {
    const NAME: &'static str = "entries";
}

/// `POST packagelist/[?prune=true]`: the project manager's import.
#[utoipa::path(
    post,
    path = "/api/v1/packagelist/",
    operation_id = "import_package_list",
    tag = "packages",
    params(
        ("prune" = Option<FlexBool>, Query, description = "Remove the binaries the list does not name"),
        ("format" = Option<String>, Query, description = "Only `json` is served", pattern = "^json$"),
    ),
    request_body(content = Vec<PackageListEntry>, description = "The project manager's package list"),
    responses((status = 200, description = "What the import did: counts of binaries, and of sources created", body = PackageListSummary))
)]
pub(super) async fn import_list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    RawQuery(q): RawQuery,
    JsonList(entries): JsonList<PackageListEntry>,
) -> Result<Json<PackageListSummary>, ApiError> {
    caller.require(Role::Admin)?;
    let mut prune = false;
    for (name, value) in query_pairs(q.as_deref())? {
        match name.as_str() {
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

create_handler! {
    create_source, "/api/v1/sourcepackage/", "create_source_package", tag: "packages",
    body: NewSourcePackage, role: Developer, model: SourcePackage, "The source package created",
    |state, new, caller| create::source_package(&state.store, &new).await?.to_model(),
}

read_handlers! {
    table: SOURCE_PACKAGE, row: SourcePackageRow, model: SourcePackage, tag: "packages",
    list: list_source, "/api/v1/sourcepackage/", "list_source_packages",
        "A page of source packages, with the filters, order and page applied",
    get: get_source, "/api/v1/sourcepackage/{id}/", "get_source_package", "The source package",
}

read_handlers! {
    table: BINARY_PACKAGE, row: BinaryPackageRow, model: BinaryPackage, tag: "packages",
    list: list_binary, "/api/v1/binarypackage/", "list_binary_packages",
        "A page of binary packages, with the filters, order and page applied",
    get: get_binary, "/api/v1/binarypackage/{id}/", "get_binary_package", "The binary package",
}
