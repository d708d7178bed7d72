//! The HTTP API of docs/api.md: one module per resource, each owning its
//! routes, merged here. Handlers parse and authorize; writes then call the
//! domain, reads ask the store and convert its rows (docs/architecture.md).

mod artifacts;
mod auth;
mod blobs;
mod bundle;
mod error;
mod event_stream;
mod events;
mod extract;
mod list;
mod openapi;
mod ops;
mod packages;
mod persons;
mod request_schemas;
mod subtickets;
mod tickets;
mod uploads;
mod whoami;
mod workflow;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

pub use auth::{TokenName, authenticate};
pub use error::{ApiError, ErrorBodyWritten, ensure_error_body};
pub use extract::parse_body;
pub use list::{query_pairs, refuse_stray_query};
pub use openapi::document as openapi_document;

use crate::state::AppState;
use crate::store::Table;

/// Routes and their documentation, from one declaration: a route is added
/// only with [`ApiRouter::declare`] or [`ApiRouter::list`] from `routes!`,
/// which takes its path, methods and document entry from the handlers'
/// `#[utoipa::path]`. There is no way to add a route without documenting it.
#[derive(Default)]
pub struct ApiRouter(OpenApiRouter<AppState>);

impl ApiRouter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Serve and document `routes` (from `routes!`, handlers of one path).
    /// The document keeps the path as clients write it (`/api/v1/ticket/`);
    /// the route drops the trailing slash, which `server.rs` trims from
    /// every request before routing.
    pub fn declare(self, (schemas, paths, method_router): UtoipaMethodRouter<AppState>) -> Self {
        let mut router = self.0;
        for path in paths.paths.keys() {
            let routed = path.strip_suffix('/').unwrap_or(path);
            router = router.route(routed, method_router.clone());
        }
        let doc = router.get_openapi_mut();
        doc.paths.merge(paths);
        doc.components
            .get_or_insert_with(Default::default)
            .schemas
            .extend(schemas);
        Self(router)
    }

    /// [`ApiRouter::declare`] a list of `table` and its POST, if any: the
    /// list handler reads the table and its path with [`list::ListCall`],
    /// and the document gets the table's parameters (`limit`, filters, ...).
    pub fn list(
        self,
        table: &'static Table,
        (schemas, mut paths, method_router): UtoipaMethodRouter<AppState>,
    ) -> Self {
        for item in paths.paths.values_mut() {
            if let Some(get) = item.get.as_mut() {
                openapi::add_list_parameters(get, table);
            }
        }
        let method_router = method_router.layer(axum::Extension(list::ListOf(table)));
        self.declare((schemas, paths, method_router))
    }

    pub fn merge(self, other: ApiRouter) -> Self {
        Self(self.0.merge(other.0))
    }

    /// The router to serve and the paths of its document.
    pub fn split_for_parts(self) -> (Router<AppState>, utoipa::openapi::OpenApi) {
        self.0.split_for_parts()
    }
}

/// Every `/api/v1/` route but the blob store's.
pub fn router() -> ApiRouter {
    ApiRouter::new()
        .merge(tickets::router())
        .merge(subtickets::router())
        .merge(uploads::router())
        .merge(artifacts::router())
        .merge(packages::router())
        .merge(persons::router())
        .merge(events::router())
        .merge(whoami::router())
        .merge(workflow::router())
        .merge(bundle::router())
        .merge(openapi::router())
}

/// `/healthz` and `/readyz`: outside `/api/v1/`, answered to anyone.
pub fn ops_router() -> ApiRouter {
    ops::router()
}

/// `/metrics`: outside `/api/v1/`, behind authentication.
pub fn metrics_router() -> ApiRouter {
    ops::metrics_router()
}

/// The blob store's routes, kept apart: they stream without a timeout.
pub fn blob_router() -> ApiRouter {
    blobs::router()
}

/// `events/`, kept apart: a stream lasts as long as its client.
pub fn event_stream_router() -> ApiRouter {
    event_stream::router()
}

/// `201 Created` with `Location` and the object.
pub fn created<T: Serialize>(location: &str, body: T) -> Response {
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `202 Accepted` with the updated object.
pub fn accepted<T: Serialize>(body: T) -> Response {
    (StatusCode::ACCEPTED, axum::Json(body)).into_response()
}

// The handler macros below name `AppState`, `ApiError`, `ListResponse`
// and `StatusChange` as the module that calls them imports them.

/// The two read handlers of a resource: `$list` answers a page
/// (`GET /api/v1/{resource}/`), `$get` one object
/// (`GET /api/v1/{resource}/{id}/`), each with its `#[utoipa::path]`, so
/// that its documentation comes from the same place. A row becomes its
/// model by `$row::to_model` unless `to_model` says how.
macro_rules! read_handlers {
    (
        table: $table:path, row: $row:ty, model: $model:ty, tag: $tag:literal,
        list: $list:ident, $list_path:literal, $list_op:literal, $list_description:literal,
        get: $get:ident, $get_path:literal, $get_op:literal, $get_description:literal $(,)?
    ) => {
        read_handlers! {
            table: $table, row: $row, model: $model, tag: $tag, to_model: <$row>::to_model,
            list: $list, $list_path, $list_op, $list_description,
            get: $get, $get_path, $get_op, $get_description,
        }
    };
    (
        table: $table:path, row: $row:ty, model: $model:ty, tag: $tag:literal,
        to_model: $to_model:expr,
        list: $list:ident, $list_path:literal, $list_op:literal, $list_description:literal,
        get: $get:ident, $get_path:literal, $get_op:literal, $get_description:literal $(,)?
    ) => {
        #[utoipa::path(
            get,
            path = $list_path,
            operation_id = $list_op,
            tag = $tag,
            responses((status = 200, description = $list_description, body = ListResponse<$model>))
        )]
        pub(super) async fn $list(
            axum::extract::State(state): axum::extract::State<AppState>,
            call: super::list::ListCall,
        ) -> Result<axum::Json<ListResponse<$model>>, ApiError> {
            let request = call.parse(vec![])?;
            Ok(axum::Json(request.run(&state, $to_model).await?))
        }

        #[utoipa::path(
            get,
            path = $get_path,
            operation_id = $get_op,
            tag = $tag,
            responses((status = 200, description = $get_description, body = $model))
        )]
        pub(super) async fn $get(
            axum::extract::State(state): axum::extract::State<AppState>,
            axum::extract::Path(id): axum::extract::Path<String>,
        ) -> Result<axum::Json<$model>, ApiError> {
            super::detail(&state, &$table, &id, $to_model).await
        }
    };
}
pub(crate) use read_handlers;

/// The `POST /api/v1/{resource}/` handler of a resource: the body parsed
/// (`JsonBody`, its refusal first passed through `on_bad_body` if given),
/// the caller's `role` checked, then `$create` run with `$state`, `$new` and
/// `$caller` in scope, and its model answered as `201 Created` at its
/// `resource_uri`; with its `#[utoipa::path]`, as for [`read_handlers`].
macro_rules! create_handler {
    (
        $name:ident, $path:literal, $op:literal, tag: $tag:literal,
        body: $body:ty, role: $role:ident, model: $model:ty, $description:literal,
        $(on_bad_body: $on_bad_body:expr,)?
        |$state:ident, $new:ident, $caller:ident| $create:expr $(,)?
    ) => {
        #[utoipa::path(
            post,
            path = $path,
            operation_id = $op,
            tag = $tag,
            request_body = $body,
            responses((status = 201, description = $description, body = $model,
                headers(("Location" = String, description = "The new object's `resource_uri`"))))
        )]
        pub(super) async fn $name(
            axum::extract::State($state): axum::extract::State<AppState>,
            axum::Extension($caller): axum::Extension<crate::domain::Caller>,
            body: Result<super::extract::JsonBody<$body>, ApiError>,
        ) -> Result<axum::response::Response, ApiError> {
            $(let body = body.map_err($on_bad_body);)?
            let super::extract::JsonBody($new) = body?;
            $caller.require(shared::Role::$role)?;
            let model: $model = $create;
            Ok(super::created(&model.resource_uri.clone(), model))
        }
    };
}
pub(crate) use create_handler;

/// The `PATCH /api/v1/update{resource}status/{id}/` handler of a
/// `$resource` (`ticket`, `subticket`): the id from the path, the body a
/// `StatusChange`, a developer's role at least (the workflow rules check
/// the rest), then `$apply` run with `$state`, `$id`, `$change` and
/// `$caller` in scope, and its model answered as `202 Accepted`.
#[rustfmt::skip] // rustfmt indents this body's attribute further on every run
macro_rules! status_handler {
    (
        $name:ident, $path:literal, $op:literal, tag: $tag:literal,
        of: $resource:literal, model: $model:ty, $description:literal,
        |$state:ident, $id:ident, $change:ident, $caller:ident| $apply:expr $(,)?
    ) => {
        #[utoipa::path(
            patch,
            path = $path,
            operation_id = $op,
            tag = $tag,
            request_body = StatusChange,
            responses((status = 202, description = $description, body = $model))
        )]
        pub(super) async fn $name(
            axum::extract::State($state): axum::extract::State<AppState>,
            axum::Extension($caller): axum::Extension<crate::domain::Caller>,
            axum::extract::Path($id): axum::extract::Path<String>,
            super::extract::JsonBody($change): super::extract::JsonBody<StatusChange>,
        ) -> Result<axum::response::Response, ApiError> {
            let $id = super::extract::path_id($resource, &$id)?;
            $caller.require(shared::Role::Developer)?;
            let model: $model = $apply;
            Ok(super::accepted(model))
        }
    };
}
pub(crate) use status_handler;

/// The detail route of any table: the row with the id in the path, or 404.
pub async fn detail<R: crate::store::AnyRow, T: Serialize>(
    state: &AppState,
    table: &'static crate::store::Table,
    raw_id: &str,
    to_model: impl Fn(&R) -> T,
) -> Result<axum::Json<T>, ApiError> {
    let id = extract::path_id(table.resource, raw_id)?;
    let row = state.store.get::<R>(table, id).await?;
    row.map(|r| axum::Json(to_model(&r)))
        .ok_or_else(|| ApiError::not_found(format!("there is no {} {id}", table.resource)))
}
