//! Operations endpoints outside /api/v1: liveness, readiness, metrics.

use std::time::Instant;

use reqwest::StatusCode;
use shared::Role;

use crate::helpers::{Backend, Options, TestApp};

async fn text(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app
        .client()
        .get(app.url(path))
        .send()
        .await
        .expect("request");
    (response.status(), response.text().await.expect("body"))
}

backend_tests! {
    async fn healthz_and_readyz_answer_without_a_token(app) {
        let (status, body) = app.anon().get("/healthz").await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ok")));
        let (status, body) = app.anon().get("/readyz/").await;
        assert_eq!((status, body["ready"].as_bool()), (StatusCode::OK, Some(true)));
    }

    async fn metrics_count_answers_by_class_and_tickets_by_step(app) {
        let id = app.ticket("counted").await;
        app.move_ticket(id, 200, 100).await;
        app.anon().get("/api/v1/nowhere/").await;
        let (status, body) = text(&app, "/metrics").await;
        assert_eq!(status, StatusCode::OK);
        let value = |name: &str| metric(&body, name);
        assert!(value("ticketd_http_requests_total{class=\"2xx\"}") >= 2.0, "{body}");
        assert!(value("ticketd_http_requests_total{class=\"4xx\"}") >= 1.0, "{body}");
        assert_eq!(value("ticketd_open_tickets{step=\"package-building\"}"), 1.0);
        assert_eq!(value("ticketd_open_tickets{step=\"new\"}"), 0.0);
        assert!(!body.contains("step=\"complete\""), "finished tickets are not counted: {body}");
        assert_eq!(value("ticketd_database_up"), 1.0);
        assert!(value("ticketd_http_request_duration_seconds_count") >= 3.0);
    }

    async fn head_is_answered_on_every_read_route(app) {
        let id = app.ticket("head").await;
        let response = app.client().head(app.url(&format!("/api/v1/ticket/{id}"))).send().await.expect("head");
        assert_eq!(response.status(), StatusCode::OK);
    }
}

/// The value of a metric line `name value` in a scrape.
fn metric(body: &str, name: &str) -> f64 {
    body.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {body}"))
}

/// Many `/readyz` calls, sequential and concurrent, make at most one
/// durable write per second (SQLite counts its writes; PostgreSQL goes
/// through the same limiter, above the backend).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_probes_write_at_most_once_a_second() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let writes = || async {
        let (status, body) = text(&app, "/metrics").await;
        assert_eq!(status, StatusCode::OK);
        metric(&body, "ticketd_sqlite_writes_total")
    };
    let before = writes().await;
    let started = Instant::now();
    let anon = app.anon();
    for _ in 0..10 {
        let probes = (0..20).map(|_| anon.get("/readyz"));
        for (status, body) in futures::future::join_all(probes).await {
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let made = writes().await - before;
    assert!(
        made <= elapsed.ceil() + 1.0,
        "200 probes in {elapsed:.2} s made {made} writes"
    );
    assert!(made >= 1.0, "a probe writes: {made}");
}

/// With `anonymous_read = false`, `/metrics` needs a token (of any role),
/// like every other read.
async fn metrics_follow_anonymous_read(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, Options::without_anonymous_reads()).await else {
        return;
    };
    let (status, body) = app.anon().get("/metrics").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["code"], "unauthorized", "{body}");
    for role in [Role::Developer, Role::Lander, Role::Admin] {
        let response = app
            .client()
            .get(app.url("/metrics"))
            .bearer_auth(app.token(role))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK, "{role}");
    }
    let (status, _) = app.anon().get("/readyz").await;
    assert_eq!(status, StatusCode::OK, "probes stay anonymous");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_a_token_without_anonymous_read_on_sqlite() {
    metrics_follow_anonymous_read(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_a_token_without_anonymous_read_on_postgres() {
    metrics_follow_anonymous_read(Backend::Postgres).await;
}
