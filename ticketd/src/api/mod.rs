//! The HTTP API of `API.md`: one module per resource, each owning its
//! routes, merged here. Handlers parse and authorize, then call the domain.

mod artifacts;
mod auth;
mod blobs;
mod bundle;
mod error;
mod events;
mod extract;
mod list;
mod openapi;
mod packages;
mod persons;
mod subtickets;
mod tickets;
mod uploads;
mod whoami;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub use auth::authenticate;
pub use error::{ApiError, DatabaseDamaged, ErrorBodyWritten, ensure_error_body};
pub use extract::parse_body;
pub use list::refuse_stray_query;
pub use openapi::{LISTS as LIST_ROUTES, document as openapi_document};

use crate::server::AppState;

/// Every `/api/v1/` route. Paths are registered without their trailing
/// slash; the server trims it from requests before routing.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(tickets::router())
        .merge(subtickets::router())
        .merge(uploads::router())
        .merge(artifacts::router())
        .merge(packages::router())
        .merge(persons::router())
        .merge(events::router())
        .merge(whoami::router())
        .merge(bundle::router())
        .merge(openapi::router())
}

/// The blob store's routes, kept apart: they stream without a timeout.
pub fn blob_router() -> Router<AppState> {
    blobs::router()
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
