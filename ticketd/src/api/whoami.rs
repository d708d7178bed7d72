//! `whoami/`: the name and role of the token sent.

use axum::routing::get;
use axum::{Extension, Json, Router};
use shared::models::WhoAmI;

use crate::domain::Caller;
use crate::server::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/whoami", get(whoami))
}

#[utoipa::path(
    get,
    path = "/api/v1/whoami/",
    operation_id = "whoami",
    tag = "auth",
    responses((status = 200, description = "The name and role of the token sent; `{\"name\": null, \"role\": \"anonymous\"}` without one", body = WhoAmI))
)]
pub(super) async fn whoami(Extension(caller): Extension<Caller>) -> Json<WhoAmI> {
    Json(WhoAmI {
        name: caller.name,
        role: caller.role,
    })
}
