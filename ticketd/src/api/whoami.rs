//! `whoami/`: the name and role of the token sent, and the owner it is
//! bound to.

use axum::{Extension, Json};
use shared::models::WhoAmI;
use utoipa_axum::routes;

use super::ApiRouter;
use crate::domain::Caller;

pub fn router() -> ApiRouter {
    ApiRouter::new().declare(routes!(whoami))
}

#[utoipa::path(
    get,
    path = "/api/v1/whoami/",
    operation_id = "whoami",
    tag = "auth",
    responses((status = 200, description = "The name and role of the token sent, and the owner address it is bound to (null if unbound); `{\"name\": null, \"role\": \"anonymous\", \"owner\": null}` without one", body = WhoAmI))
)]
pub(super) async fn whoami(Extension(caller): Extension<Caller>) -> Json<WhoAmI> {
    Json(WhoAmI {
        name: caller.name,
        role: caller.role,
        owner: caller.owner,
    })
}
