//! Every error status with the one error body, and that a refused request
//! changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use ticketd::server::HttpOptions;

use crate::helpers::{Backend, Options, TestApp};

async fn raw_json(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> (StatusCode, Value, reqwest::header::HeaderMap) {
    let response = app
        .admin()
        .raw(method, path, Some((content_type, body.to_vec())))
        .await;
    let status = response.status();
    let headers = response.headers().clone();
    (
        status,
        response.json().await.expect("an error body"),
        headers,
    )
}

fn code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

async fn too_large(backend: Backend) {
    let options = Options {
        http: HttpOptions {
            max_body_bytes: 1024,
            ..HttpOptions::default()
        },
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let big = json!({"owner": "o@example.com", "title": "t", "description": "x".repeat(4096)})
        .to_string();
    let (status, body, _) = raw_json(
        &app,
        Method::POST,
        "/api/v1/ticket/",
        "application/json",
        big.as_bytes(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(code(&body), "payload_too_large");
    assert_eq!(
        app.anon().get("/api/v1/ticket/").await.1["meta"]["total_count"],
        0
    );
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_on_sqlite() {
    too_large(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_on_postgres() {
    too_large(Backend::Postgres).await;
}

backend_tests! {
    async fn malformed_json_names_line_and_column(app) {
        let (status, body, _) = raw_json(&app, Method::POST, "/api/v1/ticket/", "application/json", b"{\n  \"title\": \"x\",,\n}").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(code(&body), "malformed_json");
        assert!(body["error"]["message"].as_str().unwrap_or("").contains("line 2, column"), "{body}");
        for bad in [&b"[1, 2]"[..], b"\"text\""] {
            let (status, body, _) = raw_json(&app, Method::POST, "/api/v1/ticket/", "application/json", bad).await;
            assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "validation_failed"));
        }
        let (_, body, _) = raw_json(&app, Method::POST, "/api/v1/ticket/", "application/json", b"{\"title\": \"\xff\"}").await;
        assert_eq!(code(&body), "malformed_json", "invalid UTF-8");
        let (_, body, _) = raw_json(&app, Method::POST, "/api/v1/ticket/", "application/json", br#"{"title": "\ud800", "owner": "o@example.com"}"#).await;
        assert_eq!(code(&body), "malformed_json", "a lone surrogate");
    }

    async fn validation_errors_name_every_field_at_fault(app) {
        let (status, body) = app.dev().post("/api/v1/ticket/", json!({"owner": "Jane <jane@example.com>", "title": "x".repeat(256)})).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "validation_failed"));
        assert!(body["error"]["fields"]["owner"].is_string() && body["error"]["fields"]["title"].is_string(), "{body}");
        let (_, body) = app.dev().post("/api/v1/ticket/", json!({"owner": "o@example.com", "title": "  "})).await;
        assert_eq!(body["error"]["message"], "title: must not be empty");
        let (_, body) = app.dev().post("/api/v1/ticket/", json!({"owner": "o@example.com"})).await;
        assert_eq!(body["error"]["fields"]["title"], "is required");
        let (_, body) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "My_Package"})).await;
        assert!(body["error"]["fields"]["name"].as_str().unwrap_or("").contains("Debian package name"), "{body}");
        let spu = app.upload("foo", "1.0").await;
        let (_, body) = app.dev().post("/api/v1/spu/", json!({"sourcepackage": 1, "version": "1.0_beta"})).await;
        assert!(body["error"]["fields"]["version"].is_string(), "{body}");
        let id = app.ticket("artifacts").await;
        let (_, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": id, "reference": "relative/path", "type": "SPU"})).await;
        assert!(body["error"]["fields"]["reference"].is_string() && body["error"]["fields"]["type"].is_string(), "{body}");
        assert_eq!(body["error"]["fields"]["type"], "must be one of \"RESULTS\", \"LOGS\", \"IMAGE\"");
        let (_, body) = app.dev().post("/api/v1/subticket/", json!({"ticket": id, "source_package_upload": spu, "assignee": "two@a.example, three@b.example"})).await;
        assert!(body["error"]["fields"]["assignee"].is_string(), "{body}");
    }

    async fn unknown_and_read_only_fields_are_refused(app) {
        let (status, body) = app.dev().post("/api/v1/ticket/", json!({"owner": "o@example.com", "title": "t", "colour": "red"})).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "unknown_field"));
        assert!(body["error"]["fields"]["colour"].is_string());
        for field in ["id", "status", "current_workflow_step", "created"] {
            let (_, body) = app.dev().post("/api/v1/ticket/", json!({"owner": "o@example.com", "title": "t", field: 5})).await;
            assert_eq!(code(&body), "unknown_field", "{field}");
            assert!(body["error"]["message"].as_str().unwrap_or("").contains("read-only"), "{body}");
        }
    }

    async fn bad_filters_and_paging_are_named(app) {
        for query in ["colour=red", "title__near=x", "created__contains=2026", "is_team=yes", "limit=-1", "limit=abc",
            "offset=-5", "order_by=description", "format=xml", "status=12", "ticket__owner__name=x"] {
            let path = if query.starts_with("is_team") { format!("/api/v1/person/?{query}") } else { format!("/api/v1/ticket/?{query}") };
            let (status, body) = app.anon().get(&path).await;
            assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_filter"), "{query}: {body}");
            let name = query.split(['=', '_']).next().unwrap_or_default();
            assert!(body["error"]["message"].as_str().unwrap_or("").contains(name), "{query}: {body}");
        }
    }

    async fn references_of_the_wrong_type_or_to_nothing_are_invalid(app) {
        let (status, body) = app.dev().post("/api/v1/spu/", json!({"sourcepackage": "/api/v1/ticket/1/", "version": "1.0"})).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_reference"));
        assert!(body["error"]["fields"]["sourcepackage"].is_string());
        let (status, body) = app.dev().post("/api/v1/spu/", json!({"sourcepackage": 99, "version": "1.0"})).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_reference"));
        assert_eq!(body["error"]["message"], "sourcepackage: there is no sourcepackage 99");
    }

    async fn unknown_paths_ids_and_methods_get_the_error_body(app) {
        for path in ["/api/v1/nothing/", "/api/v1/ticket/999/", "/api/v1/ticket/abc/", "/nothing", "/api/v1/ticket/-1/"] {
            let (status, body) = app.anon().get(path).await;
            assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"), "{path}");
        }
        let (status, body, headers) = raw_json(&app, Method::GET, "/api/v1/updateticketstatus/1/", "application/json", b"").await;
        assert_eq!((status, code(&body)), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"));
        assert_eq!(headers.get("allow").and_then(|v| v.to_str().ok()), Some("PATCH"));
        let (status, _, headers) = raw_json(&app, Method::DELETE, "/api/v1/ticket/", "application/json", b"").await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        let allow = headers.get("allow").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    }

    async fn a_body_that_is_not_json_is_415(app) {
        let (status, body, _) = raw_json(&app, Method::POST, "/api/v1/ticket/", "text/plain", b"{}").await;
        assert_eq!((status, code(&body)), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"));
        let response = app.admin().raw(Method::POST, "/api/v1/ticket/", None).await;
        assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    async fn conflicts_are_409_with_the_error_body(app) {
        let id = app.ticket("conflict").await;
        app.move_ticket(id, 1000, 1000).await;
        let (status, body) = app.move_ticket(id, 200, 100).await;
        assert_eq!((status, code(&body)), (StatusCode::CONFLICT, "illegal_transition"));
    }

    async fn a_refused_request_changes_nothing(app) {
        let id = app.ticket("unchanged").await;
        let before = app.anon().get(&format!("/api/v1/fullticket/{id}/")).await.1;
        app.move_ticket(id, 999, 100).await;
        app.dev().patch(&format!("/api/v1/updateticketstatus/{id}/"), json!({"current_workflow_step": 300, "status": 0})).await;
        app.dev().post("/api/v1/ticket/", json!({"owner": "bad", "title": "t"})).await;
        app.dev().post("/api/v1/ticketartifact/", json!({"name": "", "ticket": id, "reference": "https://x.example/", "type": "LOGS"})).await;
        assert_eq!(app.anon().get(&format!("/api/v1/fullticket/{id}/")).await.1, before);
        assert_eq!(app.anon().get("/api/v1/ticket/").await.1["meta"]["total_count"], 1);
    }
}
