//! The Bundle API: one call creates a whole submission, or nothing.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;
use ticketd::domain::bundle::BundleLimits;
use ticketd::server::Limits;

use crate::helpers::{Backend, Options, TestApp};

fn submission() -> Value {
    json!({
        "ticket": {"title": "Fix it", "description": "LP: #1", "owner": "dev@example.com", "bug_id": "12345"},
        "uploads": [
            {"sourcepackage": "foo", "version": "1.2-3", "assignee": "alice@example.com",
             "artifacts": [{"name": "foo_1.2-3.dsc", "reference": "https://files.example/foo.dsc", "type": "SPU"}]},
            {"sourcepackage": "bar", "version": "2:2.0-1"}
        ],
        "artifacts": [{"name": "image", "reference": "https://images.example/1", "type": "IMAGE"}]
    })
}

const TABLES: [&str; 7] = [
    "ticket",
    "spu",
    "subticket",
    "sourcepackage",
    "ticketartifact",
    "subticketartifact",
    "event",
];

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut all = Vec::new();
    for table in TABLES {
        let (_, body) = app.anon().get(&format!("/api/v1/{table}/")).await;
        all.push(body["meta"]["total_count"].as_i64().expect("count"));
    }
    all
}

async fn post_bundle(
    app: &TestApp,
    body: &Value,
    key: Option<&str>,
) -> (StatusCode, Value, Option<String>) {
    let mut request = app
        .client()
        .post(app.url("/api/v1/bundle/"))
        .bearer_auth(app.token(Role::Developer))
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("bundle");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, response.json().await.expect("json"), location)
}

async fn limited(backend: Backend) {
    let limits = Limits {
        bundle: BundleLimits {
            max_uploads: 1,
            max_artifacts: 1,
        },
        ..Limits::default()
    };
    let Some(app) = TestApp::spawn_with(
        backend,
        Options {
            limits,
            ..Options::default()
        },
    )
    .await
    else {
        return;
    };
    let (status, body, _) = post_bundle(&app, &submission(), None).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert!(
        body["error"]["fields"]["uploads"].is_string()
            && body["error"]["fields"]["artifacts"].is_string(),
        "{body}"
    );
    assert_eq!(counts(&app).await, vec![0; 7]);
}

#[tokio::test]
async fn bundles_past_the_configured_limits_are_413_on_sqlite() {
    limited(Backend::Sqlite).await;
}

#[tokio::test]
async fn bundles_past_the_configured_limits_are_413_on_postgres() {
    limited(Backend::Postgres).await;
}

backend_tests! {
    async fn a_bundle_creates_every_row_and_queues_the_ticket(app) {
        app.dev().post("/api/v1/sourcepackage/", json!({"name": "foo"})).await;
        let (status, full, location) = post_bundle(&app, &submission(), None).await;
        assert_eq!(status, StatusCode::CREATED, "{full}");
        assert_eq!(location.as_deref(), Some("/api/v1/ticket/1/"));
        assert_eq!(full["resource_uri"], "/api/v1/fullticket/1/");
        assert_eq!((full["current_workflow_step"].as_i64(), full["status"].as_i64()), (Some(100), Some(0)));
        assert_eq!(full["bug_id"], "12345");
        let subs = full["subtickets"].as_array().expect("subtickets");
        assert_eq!(subs.len(), 2);
        assert!(subs.iter().all(|s| s["current_workflow_step"] == 100));
        assert_eq!(subs[0]["assignee"], "alice@example.com");
        assert_eq!(subs[1]["assignee"], "dev@example.com", "the owner by default");
        assert_eq!(subs[0]["source_package_upload"]["sourcepackage"]["id"], 1, "an existing source package is reused");
        assert_eq!(subs[1]["source_package_upload"]["version"], "2:2.0-1");
        assert_eq!(subs[0]["artifacts"][0]["name"], "foo_1.2-3.dsc");
        assert_eq!(full["artifacts"][0]["type"], "IMAGE");
        let kinds: Vec<&str> = full["history"].as_array().expect("history").iter().filter_map(|e| e["kind"].as_str()).collect();
        assert_eq!(kinds, ["created", "created", "created", "artifact", "artifact", "status", "status", "status"]);
        assert_eq!(counts(&app).await, vec![1, 2, 2, 2, 1, 1, 8]);
    }

    async fn a_bundle_left_unqueued_stays_new(app) {
        let mut body = submission();
        body["queue"] = json!(false);
        let (status, full, _) = post_bundle(&app, &body, None).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(full["current_workflow_step"], 0);
        assert!(full["subtickets"].as_array().expect("subs").iter().all(|s| s["current_workflow_step"] == 0));
    }

    async fn a_bundle_with_one_bad_part_leaves_every_table_unchanged(app) {
        post_bundle(&app, &submission(), None).await;
        let before = counts(&app).await;
        let mut bad = submission();
        bad["uploads"][1]["version"] = json!("not a version");
        bad["uploads"][0]["artifacts"][0]["type"] = json!("IMAGE");
        let (status, body, _) = post_bundle(&app, &bad, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(body["error"]["fields"]["uploads[1].version"].is_string(), "{body}");
        assert!(body["error"]["fields"]["uploads[0].artifacts[0].type"].is_string(), "{body}");
        let mut no_uploads = submission();
        no_uploads["uploads"] = json!([]);
        assert!(post_bundle(&app, &no_uploads, None).await.1["error"]["fields"]["uploads"].is_string());
        let mut unknown = submission();
        unknown["uploads"][0]["colour"] = json!("red");
        let (status, body, _) = post_bundle(&app, &unknown, None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("unknown_field")));
        assert!(body["error"]["fields"]["uploads[0].colour"].is_string(), "{body}");
        let mut missing_blob = submission();
        missing_blob["artifacts"][0]["reference"] = json!(format!("/api/v1/blob/{}", "a".repeat(64)));
        let (_, body, _) = post_bundle(&app, &missing_blob, None).await;
        assert!(body["error"]["fields"]["artifacts[0].reference"].as_str().unwrap_or("").contains("no blob"), "{body}");
        assert_eq!(counts(&app).await, before);
    }

    async fn a_retry_with_the_same_key_answers_the_first_result(app) {
        let (status, first, _) = post_bundle(&app, &submission(), Some("key-1")).await;
        assert_eq!(status, StatusCode::CREATED);
        let before = counts(&app).await;
        let (status, again, location) = post_bundle(&app, &submission(), Some("key-1")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again, first);
        assert_eq!(location.as_deref(), Some("/api/v1/ticket/1/"));
        assert_eq!(counts(&app).await, before, "a replay creates nothing");
        let mut other = submission();
        other["ticket"]["title"] = json!("Another");
        let (status, body, _) = post_bundle(&app, &other, Some("key-1")).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("idempotency_conflict")));
    }

    async fn a_failed_request_leaves_its_key_free(app) {
        let mut bad = submission();
        bad["ticket"]["owner"] = json!("nobody");
        assert_eq!(post_bundle(&app, &bad, Some("key-2")).await.0, StatusCode::BAD_REQUEST);
        assert_eq!(post_bundle(&app, &submission(), Some("key-2")).await.0, StatusCode::CREATED);
    }

    async fn concurrent_requests_with_one_key_create_one_ticket(app) {
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let request = app
                .client()
                .post(app.url("/api/v1/bundle/"))
                .bearer_auth(app.token(Role::Developer))
                .header("Idempotency-Key", "racing")
                .json(&submission());
            tasks.push(tokio::spawn(async move {
                let response = request.send().await.expect("bundle");
                let status = response.status();
                (status, response.json::<Value>().await.expect("json")["id"].as_i64())
            }));
        }
        let mut ids = Vec::new();
        for task in tasks {
            let (status, id) = task.await.expect("task");
            assert!(matches!(status, StatusCode::CREATED | StatusCode::OK), "{status}");
            ids.push(id.expect("an id"));
        }
        // Sequences are not transactional on PostgreSQL: the id need not be 1.
        assert!(ids.iter().all(|id| *id == ids[0]), "every answer names one ticket: {ids:?}");
        assert_eq!(counts(&app).await[0], 1);
    }

    async fn anonymous_clients_cannot_submit(app) {
        let response = app.client().post(app.url("/api/v1/bundle/")).json(&submission()).send().await.expect("post");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}
