//! Operations endpoints outside /api/v1: liveness, readiness, metrics.

use reqwest::StatusCode;

use crate::helpers::TestApp;

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
        let value = |name: &str| -> f64 {
            body.lines()
                .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
                .and_then(|l| l.rsplit(' ').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no {name} in {body}"))
        };
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
