//! `workflow/`: the steps, statuses, transitions and cascades of the
//! workflow as data, for clients to draw and check instead of hard-coding
//! them. Derived from the rules themselves (`domain::workflow_data`).

use axum::Json;
use axum::extract::RawQuery;
use shared::models::Workflow;
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use super::list::refuse_query;
use crate::domain::workflow_data;

pub fn router() -> ApiRouter {
    ApiRouter::new().declare(routes!(workflow))
}

#[utoipa::path(
    get,
    path = "/api/v1/workflow/",
    operation_id = "workflow",
    tag = "workflow",
    responses((status = 200, description = "Every step and status with its code, name and slug; every transition the rules allow without `force`, with the roles that may make it; what `force` allows; and what a change of a ticket or subticket does to the other", body = Workflow))
)]
pub(super) async fn workflow(
    RawQuery(query): RawQuery,
) -> Result<Json<&'static Workflow>, ApiError> {
    refuse_query(query.as_deref())?;
    Ok(Json(workflow_data::document()))
}
