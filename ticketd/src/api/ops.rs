//! The operations routes, outside `/api/v1/`: `/healthz`, `/readyz` and
//! `/metrics`, declared and documented as the API's routes are. Their
//! `#[utoipa::path]` sets the summary; a second paragraph in a handler's
//! doc comment would become the operation's description.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use shared::Step;
use utoipa::IntoResponses;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use crate::state::AppState;

/// `/healthz` and `/readyz`, which anyone may ask.
pub fn router() -> ApiRouter {
    ApiRouter::new()
        .declare(routes!(healthz))
        .declare(routes!(readyz))
}

/// `/metrics`, which reads the database: served behind authentication.
pub fn metrics_router() -> ApiRouter {
    ApiRouter::new().declare(routes!(metrics))
}

/// A JSON object with these `required` properties.
fn object(properties: Vec<(&str, RefOr<Schema>)>) -> Schema {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    for (name, schema) in properties {
        object = object.property(name, schema).required(name);
    }
    object.into()
}

/// A schema that takes only `value`, of JSON type `kind`.
fn only(kind: Type, value: serde_json::Value) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(kind)
        .enum_values(Some([value]))
        .into()
}

/// A JSON answer with `description` and `schema`.
fn json_answer(description: &str, schema: Schema) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .into()
}

/// The answers of `/healthz`.
struct HealthzAnswers;

impl IntoResponses for HealthzAnswers {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        let ok = object(vec![("status", only(Type::String, json!("ok")))]);
        [("200".to_string(), json_answer("Alive", ok))].into()
    }
}

/// The answers of `/readyz`.
struct ReadyzAnswers;

impl IntoResponses for ReadyzAnswers {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        let ready = object(vec![("ready", only(Type::Boolean, json!(true)))]);
        let unready = object(vec![
            ("ready", only(Type::Boolean, json!(false))),
            ("error", Ref::from_schema_name("ErrorDetail").into()),
        ]);
        [
            ("200".to_string(), json_answer("Ready", ready)),
            (
                "503".to_string(),
                json_answer("The database is unavailable", unready),
            ),
        ]
        .into()
    }
}

/// The process is alive.
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "healthz",
    tag = "ops",
    summary = "The process is alive",
    responses(HealthzAnswers)
)]
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// How long `/readyz` waits for the database and the blob store: a
/// probe's own timeout is often 1 s, and a database that takes longer than
/// this to take one small write is not ready (while it is down, connecting
/// waits much longer).
const READY_TIMEOUT: Duration = Duration::from_millis(900);

/// The database is sound, answers and takes durable writes, and the blob
/// store takes files. The probe writes at most once a second (see
/// [`Readiness`]); callers in between share its result.
#[utoipa::path(
    get,
    path = "/readyz",
    operation_id = "readyz",
    tag = "ops",
    summary = "The database answers and takes writes",
    responses(ReadyzAnswers)
)]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let result = match state.metrics.damage() {
        Some(_) => Err(
            "the database is damaged and must be restored; the details are in the server log"
                .to_string(),
        ),
        None => {
            let (store, blobs) = (state.store.clone(), state.blobs.clone());
            state
                .readiness
                .check(|| async move {
                    let probe = async {
                        store.ready().await.map_err(|err| {
                            tracing::warn!(%err, "readiness: the database is unavailable");
                            "the database is unavailable".to_string()
                        })?;
                        blobs.probe().await.map_err(|err| {
                            tracing::warn!(%err, "readiness: the blob store takes no files");
                            format!("the blob store cannot take files: {err}")
                        })
                    };
                    tokio::time::timeout(READY_TIMEOUT, probe)
                        .await
                        .unwrap_or_else(|_| Err(format!("no answer within {READY_TIMEOUT:?}")))
                })
                .await
        }
    };
    match result {
        Ok(()) => Json(json!({"ready": true})).into_response(),
        Err(message) => {
            let mut response = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                shared::ErrorCode::Unavailable,
                message.clone(),
            )
            .into_response();
            *response.body_mut() = axum::body::Body::from(
                json!({"ready": false, "error": {"code": "unavailable", "message": message}})
                    .to_string(),
            );
            response
        }
    }
}

/// `GET /metrics`.
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    tag = "ops",
    summary = "Prometheus metrics",
    responses((status = 200, description = "The Prometheus text exposition format", content_type = "text/plain", body = String))
)]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    state.metrics.render(&mut out);
    let counts = match state.store.read().await {
        Ok(mut tx) => tx.open_tickets_by_step().await.ok(),
        Err(_) => None,
    };
    let _ = writeln!(
        out,
        "# HELP ticketd_database_up Whether the database answered this scrape."
    );
    let _ = writeln!(out, "# TYPE ticketd_database_up gauge");
    let _ = writeln!(out, "ticketd_database_up {}", u8::from(counts.is_some()));
    let _ = writeln!(
        out,
        "# HELP ticketd_database_damaged Whether the database was found damaged (restore it; /readyz fails)."
    );
    let _ = writeln!(out, "# TYPE ticketd_database_damaged gauge");
    let _ = writeln!(
        out,
        "ticketd_database_damaged {}",
        u8::from(state.metrics.damage().is_some())
    );
    if let Some(counts) = counts {
        let _ = writeln!(
            out,
            "# HELP ticketd_open_tickets Tickets not yet Failed or Complete, by workflow step."
        );
        let _ = writeln!(out, "# TYPE ticketd_open_tickets gauge");
        for step in Step::ALL.iter().filter(|step| !step.is_terminal()) {
            let n = counts
                .iter()
                .find(|(code, _)| *code == step.code())
                .map_or(0, |(_, n)| *n);
            let _ = writeln!(out, "ticketd_open_tickets{{step=\"{}\"}} {n}", step.slug());
        }
    }
    if let Some((writes, commits)) = state.store.commit_stats() {
        let _ = writeln!(
            out,
            "# HELP ticketd_sqlite_writes_total Write requests committed on SQLite."
        );
        let _ = writeln!(out, "# TYPE ticketd_sqlite_writes_total counter");
        let _ = writeln!(out, "ticketd_sqlite_writes_total {writes}");
        let _ = writeln!(
            out,
            "# HELP ticketd_sqlite_commits_total SQLite commits (fsyncs); fewer than writes when group commit batches them."
        );
        let _ = writeln!(out, "# TYPE ticketd_sqlite_commits_total counter");
        let _ = writeln!(out, "ticketd_sqlite_commits_total {commits}");
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}
