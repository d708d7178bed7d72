//! `POST bundle/` as a submitter sees it: one call creates the ticket, its
//! source packages (found or created by name), uploads, subtickets and
//! artifacts and queues it; any bad part leaves every table as it was; an
//! `Idempotency-Key` makes retries safe, even racing ones; the configured
//! limits answer 413; only a token may submit.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use shared::Role;
use ticketd::domain::bundle::BundleLimits;
use ticketd::state::Limits;

use crate::helpers::{Backend, Options, TestApp};

/// A valid submission: `foo` (with an assignee and an SPU artifact) and
/// `bar` (neither), and one ticket artifact.
fn submission() -> Value {
    json!({
        "ticket": {"title": "Fix the frobnicator", "description": "LP: #12345", "owner": "dev@example.com", "bug_id": "12345"},
        "uploads": [
            {"sourcepackage": "foo", "version": "1.2-3", "assignee": "alice@example.com",
             "artifacts": [{"name": "foo_1.2-3.dsc", "reference": "https://files.example/foo_1.2-3.dsc", "type": "SPU"}]},
            {"sourcepackage": "bar", "version": "2:2.0-1"}
        ],
        "artifacts": [{"name": "image", "reference": "https://images.example/1.img", "type": "IMAGE"}],
        "queue": true
    })
}

/// The lists whose rows a bundle creates.
const TABLES: [&str; 7] = [
    "ticket",
    "spu",
    "subticket",
    "sourcepackage",
    "ticketartifact",
    "subticketartifact",
    "event",
];

/// `total_count` of every list in [`TABLES`], by name.
async fn row_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let mut counts = Vec::new();
    for table in TABLES {
        let (status, body) = app.anon().get(&format!("/api/v1/{table}/")).await;
        assert_eq!(status, StatusCode::OK, "{table}: {body}");
        let count = body["meta"]["total_count"]
            .as_i64()
            .unwrap_or_else(|| panic!("{table}: no total_count in {body}"));
        counts.push((table, count));
    }
    counts
}

/// POST a bundle with the token of `role`; status, body and `Location`.
async fn post_as(
    app: &TestApp,
    role: Role,
    body: &Value,
    key: Option<&str>,
) -> (StatusCode, Value, Option<String>) {
    let mut request = app.client().post(app.url("/api/v1/bundle/")).json(body);
    if role != Role::Anonymous {
        request = request.bearer_auth(app.token(role));
    }
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    let response = request.send().await.expect("the bundle request is sent");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = response.json().await.expect("a JSON answer");
    (status, body, location)
}

/// POST a bundle as a developer.
async fn post_bundle(
    app: &TestApp,
    body: &Value,
    key: Option<&str>,
) -> (StatusCode, Value, Option<String>) {
    post_as(app, Role::Developer, body, key).await
}

/// The `objects` of a list.
async fn objects(app: &TestApp, path: &str) -> Vec<Value> {
    let (status, body) = app.anon().get(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body["objects"].as_array().expect("objects").clone()
}

/// Assert a 400 whose `fields` names `path`, with `code`.
fn assert_rejected_naming(status: StatusCode, body: &Value, code: &str, path: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["fields"][path].is_string(),
        "the error names {path}: {body}"
    );
}

/// `body` with one more upload (`baz`, no artifacts).
fn with_another_upload(mut body: Value) -> Value {
    body["uploads"]
        .as_array_mut()
        .expect("uploads")
        .push(json!({"sourcepackage": "baz", "version": "1.0"}));
    body
}

/// Assert a 413 `payload_too_large` whose `fields` names each of `paths`.
fn assert_too_large_naming(status: StatusCode, body: &Value, paths: &[&str]) {
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
    for path in paths {
        assert!(
            body["error"]["fields"][path].is_string(),
            "the error names {path}: {body}"
        );
    }
}

/// A server whose bundles may hold at most 2 uploads and 3 artifacts.
async fn limits_are_enforced(backend: Backend) {
    let options = Options {
        limits: Limits {
            bundle: BundleLimits {
                max_uploads: 2,
                max_artifacts: 3,
            },
            ..Limits::default()
        },
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let before = row_counts(&app).await;

    let (status, body, _) = post_bundle(&app, &with_another_upload(submission()), None).await;
    assert_too_large_naming(status, &body, &["uploads"]);

    // Artifacts count across the ticket and its uploads: 2 + 1 + 1 = 4.
    let mut too_many_artifacts = submission();
    too_many_artifacts["uploads"][1]["artifacts"] = json!([
        {"name": "bar.dsc", "reference": "https://files.example/bar.dsc", "type": "SPU"}
    ]);
    too_many_artifacts["artifacts"]
        .as_array_mut()
        .expect("artifacts")
        .push(json!({"name": "results", "reference": "https://ci.example/r", "type": "RESULTS"}));
    let (status, body, _) = post_bundle(&app, &too_many_artifacts, None).await;
    assert_too_large_naming(status, &body, &["artifacts"]);

    // Past both limits at once, both are named.
    let past_both = with_another_upload(too_many_artifacts);
    let (status, body, _) = post_bundle(&app, &past_both, None).await;
    assert_too_large_naming(status, &body, &["uploads", "artifacts"]);

    assert_eq!(
        row_counts(&app).await,
        before,
        "a refused bundle leaves no row"
    );

    // Exactly at the limits is fine.
    let (status, body, _) = post_bundle(&app, &submission(), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_past_the_configured_limits_is_413_on_sqlite() {
    limits_are_enforced(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_past_the_configured_limits_is_413_on_postgres() {
    limits_are_enforced(Backend::Postgres).await;
}

backend_tests! {
    async fn a_bundle_answers_201_with_the_full_ticket_and_its_location(app) {
        let (status, full, location) = post_bundle(&app, &submission(), None).await;
        assert_eq!(status, StatusCode::CREATED, "{full}");
        let id = full["id"].as_i64().expect("the full ticket has an id");
        assert_eq!(location.as_deref(), Some(format!("/api/v1/ticket/{id}/").as_str()));
        assert_eq!(full["resource_uri"], format!("/api/v1/fullticket/{id}/"));
        assert_eq!(full["title"], "Fix the frobnicator");
        assert_eq!(full["description"], "LP: #12345");
        assert_eq!(full["owner"], "dev@example.com");
        assert_eq!(full["bug_id"], "12345");
        assert_eq!(full["failure"], Value::Null);
        assert_eq!(full["subtickets"].as_array().map(Vec::len), Some(2), "{full}");
        assert_eq!(full["artifacts"].as_array().map(Vec::len), Some(1), "{full}");
        assert!(full["history"].is_array(), "{full}");
        // The answer is what fullticket/ serves afterwards.
        let (status, served) = app.anon().get(&format!("/api/v1/fullticket/{id}/")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(served, full);
    }

    async fn a_bundle_creates_every_row_reusing_an_existing_source_package(app) {
        let (status, foo) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "foo"})).await;
        assert_eq!(status, StatusCode::CREATED, "{foo}");
        let foo_uri = foo["resource_uri"].as_str().expect("uri").to_string();

        let (status, full, _) = post_bundle(&app, &submission(), None).await;
        assert_eq!(status, StatusCode::CREATED, "{full}");
        let id = full["id"].as_i64().expect("id");

        // The ticket, queued.
        let (_, ticket) = app.anon().get(&format!("/api/v1/ticket/{id}/")).await;
        assert_eq!((ticket["current_workflow_step"].as_i64(), ticket["status"].as_i64()), (Some(100), Some(0)), "{ticket}");
        assert_eq!(ticket["current_workflow_step_display"], "Queued");

        // foo reused, bar created: two source packages in all.
        let sources = objects(&app, "/api/v1/sourcepackage/?order_by=name").await;
        let names: Vec<&str> = sources.iter().filter_map(|s| s["name"].as_str()).collect();
        assert_eq!(names, ["bar", "foo"]);
        assert_eq!(sources[1]["resource_uri"], foo_uri.as_str(), "the existing foo is reused");

        // One upload of each, with its version.
        let foo_uploads = objects(&app, "/api/v1/spu/?sourcepackage__name=foo").await;
        assert_eq!(foo_uploads.len(), 1);
        assert_eq!(foo_uploads[0]["version"], "1.2-3");
        assert_eq!(foo_uploads[0]["sourcepackage"], foo_uri.as_str());
        let bar_uploads = objects(&app, "/api/v1/spu/?sourcepackage__name=bar").await;
        assert_eq!(bar_uploads.len(), 1);
        assert_eq!(bar_uploads[0]["version"], "2:2.0-1");

        // Subtickets: queued with the ticket; the assignee defaults to the owner.
        let subs = objects(&app, &format!("/api/v1/subticket/?ticket={id}&order_by=id")).await;
        assert_eq!(subs.len(), 2);
        assert_eq!(subs[0]["source_package_upload"], foo_uploads[0]["resource_uri"]);
        assert_eq!(subs[1]["source_package_upload"], bar_uploads[0]["resource_uri"]);
        assert_eq!(subs[0]["assignee"], "alice@example.com");
        assert_eq!(subs[1]["assignee"], "dev@example.com", "the owner when left out");
        for sub in &subs {
            assert_eq!((sub["current_workflow_step"].as_i64(), sub["status"].as_i64()), (Some(100), Some(0)), "{sub}");
            assert_eq!(sub["ticket"], format!("/api/v1/ticket/{id}/"));
        }

        // Artifacts where they belong.
        let sub_artifacts = objects(&app, &format!("/api/v1/subticketartifact/?subticket={}", subs[0]["id"])).await;
        assert_eq!(sub_artifacts.len(), 1);
        assert_eq!(sub_artifacts[0]["name"], "foo_1.2-3.dsc");
        assert_eq!(sub_artifacts[0]["type"], "SPU");
        assert_eq!(sub_artifacts[0]["reference"], "https://files.example/foo_1.2-3.dsc");
        assert!(objects(&app, &format!("/api/v1/subticketartifact/?subticket={}", subs[1]["id"])).await.is_empty());
        let ticket_artifacts = objects(&app, &format!("/api/v1/ticketartifact/?ticket={id}")).await;
        assert_eq!(ticket_artifacts.len(), 1);
        assert_eq!(ticket_artifacts[0]["name"], "image");
        assert_eq!(ticket_artifacts[0]["type"], "IMAGE");

        // The full representation says the same.
        assert_eq!((full["current_workflow_step"].as_i64(), full["status"].as_i64()), (Some(100), Some(0)), "{full}");
        let full_subs = full["subtickets"].as_array().expect("subtickets");
        assert_eq!(full_subs[0]["source_package_upload"]["sourcepackage"]["resource_uri"], foo_uri.as_str());
        assert_eq!(full_subs[1]["source_package_upload"]["sourcepackage"]["name"], "bar");
        assert_eq!(full_subs[1]["source_package_upload"]["version"], "2:2.0-1");
        assert_eq!(full_subs[0]["artifacts"][0]["name"], "foo_1.2-3.dsc");
        assert_eq!(full["artifacts"][0]["reference"], "https://images.example/1.img");
        assert_eq!(full["artifacts"][0]["type"], "IMAGE");

        let counts = row_counts(&app).await;
        assert_eq!(
            counts,
            [("ticket", 1), ("spu", 2), ("subticket", 2), ("sourcepackage", 2), ("ticketartifact", 1), ("subticketartifact", 1), ("event", 8)]
        );
    }

    async fn a_bundle_with_queue_false_stays_at_step_zero(app) {
        let mut body = submission();
        body["queue"] = json!(false);
        let (status, full, _) = post_bundle(&app, &body, None).await;
        assert_eq!(status, StatusCode::CREATED, "{full}");
        assert_eq!((full["current_workflow_step"].as_i64(), full["status"].as_i64()), (Some(0), Some(0)));
        assert_eq!(full["current_workflow_step_display"], "New");
        for sub in full["subtickets"].as_array().expect("subtickets") {
            assert_eq!(sub["current_workflow_step"], 0, "{sub}");
        }
        let kinds: Vec<&str> = full["history"].as_array().expect("history").iter().filter_map(|e| e["kind"].as_str()).collect();
        assert!(!kinds.contains(&"status"), "nothing was queued: {kinds:?}");
        // Still at step 0, so another subticket may be added.
        let id = full["id"].as_i64().expect("id");
        let spu = app.upload("baz", "1.0").await;
        let (status, body) = app.dev().post("/api/v1/subticket/", json!({"ticket": id, "source_package_upload": spu})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    async fn a_bundle_with_one_bad_upload_leaves_every_table_unchanged(app) {
        let (status, _, _) = post_bundle(&app, &submission(), None).await;
        assert_eq!(status, StatusCode::CREATED);
        let before = row_counts(&app).await;
        let mut bad = submission();
        // Everything else would create new rows: a new source package, new artifacts.
        bad["uploads"][0]["sourcepackage"] = json!("brand-new");
        bad["uploads"][1]["version"] = json!("not a version");
        let (status, body, _) = post_bundle(&app, &bad, None).await;
        assert_rejected_naming(status, &body, "validation_failed", "uploads[1].version");
        assert_eq!(body["error"]["fields"].as_object().map(|f| f.len()), Some(1), "only the bad part is named: {body}");
        assert_eq!(row_counts(&app).await, before);
        assert!(objects(&app, "/api/v1/sourcepackage/?name=brand-new").await.is_empty());

        // Several bad parts: each is named, and still nothing is written.
        bad["ticket"]["owner"] = json!("nobody");
        bad["uploads"][0]["artifacts"][0]["type"] = json!("IMAGE");
        let (status, body, _) = post_bundle(&app, &bad, None).await;
        for path in ["ticket.owner", "uploads[1].version", "uploads[0].artifacts[0].type"] {
            assert_rejected_naming(status, &body, "validation_failed", path);
        }
        assert_eq!(row_counts(&app).await, before);
    }

    async fn a_bundle_without_uploads_is_refused(app) {
        let mut none = submission();
        none["uploads"] = json!([]);
        let (status, body, _) = post_bundle(&app, &none, None).await;
        assert_rejected_naming(status, &body, "validation_failed", "uploads");
        assert_eq!(row_counts(&app).await.iter().map(|(_, n)| *n).sum::<i64>(), 0);
    }

    async fn an_unknown_nested_field_is_named_by_its_path(app) {
        let mut unknown = submission();
        unknown["uploads"][0]["colour"] = json!("red");
        let (status, body, _) = post_bundle(&app, &unknown, None).await;
        assert_rejected_naming(status, &body, "unknown_field", "uploads[0].colour");

        let mut in_artifact = submission();
        in_artifact["uploads"][0]["artifacts"][0]["size"] = json!(12);
        let (status, body, _) = post_bundle(&app, &in_artifact, None).await;
        assert_rejected_naming(status, &body, "unknown_field", "uploads[0].artifacts[0].size");

        let mut at_top = submission();
        at_top["priority"] = json!("high");
        let (status, body, _) = post_bundle(&app, &at_top, None).await;
        assert_rejected_naming(status, &body, "unknown_field", "priority");

        assert_eq!(row_counts(&app).await.iter().map(|(_, n)| *n).sum::<i64>(), 0);
    }

    async fn a_reference_to_a_missing_blob_is_refused_naming_its_path(app) {
        let missing = format!("/api/v1/blob/{}", hex::encode(Sha256::digest(b"never uploaded")));
        let mut on_upload = submission();
        on_upload["uploads"][0]["artifacts"][0]["reference"] = json!(missing);
        let (status, body, _) = post_bundle(&app, &on_upload, None).await;
        assert_rejected_naming(status, &body, "validation_failed", "uploads[0].artifacts[0].reference");

        let mut on_ticket = submission();
        on_ticket["artifacts"][0]["reference"] = json!(missing);
        let (status, body, _) = post_bundle(&app, &on_ticket, None).await;
        assert_rejected_naming(status, &body, "validation_failed", "artifacts[0].reference");
        let message = body["error"]["fields"]["artifacts[0].reference"].as_str().unwrap_or("");
        assert!(message.contains("no blob"), "the problem is said: {body}");

        assert_eq!(row_counts(&app).await.iter().map(|(_, n)| *n).sum::<i64>(), 0);
    }

    async fn a_reference_to_an_uploaded_blob_is_accepted(app) {
        let data = b"Format: 3.0 (quilt)\nSource: foo\n".to_vec();
        let sha = hex::encode(Sha256::digest(&data));
        let response = app.dev().raw(Method::PUT, &format!("/api/v1/blob/{sha}"), Some(("application/octet-stream", data))).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let reference = format!("/api/v1/blob/{sha}");
        let mut body = submission();
        body["uploads"][0]["artifacts"][0]["reference"] = json!(reference);
        body["artifacts"][0]["reference"] = json!(reference);
        let (status, full, _) = post_bundle(&app, &body, None).await;
        assert_eq!(status, StatusCode::CREATED, "{full}");
        assert_eq!(full["subtickets"][0]["artifacts"][0]["reference"], reference.as_str());
        assert_eq!(full["artifacts"][0]["reference"], reference.as_str());
    }

    async fn the_same_key_and_body_again_answers_the_first_result_and_creates_nothing(app) {
        let (status, first, location) = post_bundle(&app, &submission(), Some("retry-1")).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let id = first["id"].as_i64().expect("id");
        let before = row_counts(&app).await;
        for _ in 0..2 {
            let (status, again, again_location) = post_bundle(&app, &submission(), Some("retry-1")).await;
            assert_eq!(status, StatusCode::OK, "{again}");
            assert_eq!(again["id"].as_i64(), Some(id));
            assert_eq!(again, first, "the first answer, unchanged");
            assert_eq!(again_location, location);
        }
        assert_eq!(row_counts(&app).await, before, "a replay creates nothing");
        // Without a key, the same body is a new submission.
        let (status, other, _) = post_bundle(&app, &submission(), None).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_ne!(other["id"].as_i64(), Some(id));
    }

    async fn the_same_key_with_another_body_is_an_idempotency_conflict(app) {
        let (status, _, _) = post_bundle(&app, &submission(), Some("retry-2")).await;
        assert_eq!(status, StatusCode::CREATED);
        let before = row_counts(&app).await;
        let mut other = submission();
        other["ticket"]["title"] = json!("Something else");
        let (status, body, _) = post_bundle(&app, &other, Some("retry-2")).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "idempotency_conflict");
        assert_eq!(row_counts(&app).await, before);
    }

    async fn a_failed_request_leaves_its_key_free_for_reuse(app) {
        let mut bad = submission();
        bad["uploads"][1]["version"] = json!("not a version");
        let (status, _, _) = post_bundle(&app, &bad, Some("retry-3")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // The key may now carry a different (corrected) body.
        let (status, first, _) = post_bundle(&app, &submission(), Some("retry-3")).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let (status, again, _) = post_bundle(&app, &submission(), Some("retry-3")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["id"], first["id"]);
        assert_eq!(row_counts(&app).await[0], ("ticket", 1));
    }

    async fn sixteen_concurrent_requests_with_one_key_create_one_ticket(app) {
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let request = app
                .client()
                .post(app.url("/api/v1/bundle/"))
                .bearer_auth(app.token(Role::Developer))
                .header("Idempotency-Key", "racing-key")
                .json(&submission());
            tasks.push(tokio::spawn(async move {
                let response = request.send().await.expect("the bundle request is sent");
                let status = response.status();
                let body: Value = response.json().await.expect("a JSON answer");
                (status, body)
            }));
        }
        let mut created = 0;
        let mut ids = Vec::new();
        for task in tasks {
            let (status, body) = task.await.expect("the task finishes");
            assert!(matches!(status, StatusCode::CREATED | StatusCode::OK), "{status}: {body}");
            if status == StatusCode::CREATED {
                created += 1;
            }
            ids.push(body["id"].as_i64().unwrap_or_else(|| panic!("no id in {body}")));
        }
        assert_eq!(created, 1, "exactly one request created the ticket");
        assert!(ids.iter().all(|id| *id == ids[0]), "every answer names one ticket: {ids:?}");
        let counts = row_counts(&app).await;
        assert_eq!(
            counts,
            [("ticket", 1), ("spu", 2), ("subticket", 2), ("sourcepackage", 2), ("ticketartifact", 1), ("subticketartifact", 1), ("event", 8)]
        );
    }

    async fn a_developer_may_submit_and_an_anonymous_client_may_not(app) {
        let (status, body, _) = post_as(&app, Role::Developer, &submission(), None).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let before = row_counts(&app).await;
        let response = app.client().post(app.url("/api/v1/bundle/")).json(&submission()).send().await.expect("the bundle request is sent");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let challenge = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).map(str::to_string);
        assert!(challenge.as_deref().unwrap_or("").starts_with("Bearer"), "{challenge:?}");
        let body: Value = response.json().await.expect("a JSON error");
        assert_eq!(body["error"]["code"], "unauthorized");
        let (status, _, _) = post_as(&app, Role::Anonymous, &submission(), Some("anon")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let bad_token = app.client().post(app.url("/api/v1/bundle/")).bearer_auth("not-a-token").json(&submission()).send().await.expect("sent");
        assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(row_counts(&app).await, before);
    }

    async fn the_history_of_a_bundle_lists_creations_then_artifacts_then_queueing(app) {
        let (status, full, _) = post_bundle(&app, &submission(), None).await;
        assert_eq!(status, StatusCode::CREATED, "{full}");
        let id = full["id"].as_i64().expect("id");
        let sub_uris: Vec<String> = full["subtickets"].as_array().expect("subtickets").iter().map(|s| s["resource_uri"].as_str().expect("uri").to_string()).collect();
        let history = full["history"].as_array().expect("history");
        let shape: Vec<(&str, Option<&str>)> = history.iter().map(|e| (e["kind"].as_str().expect("kind"), e["subticket"].as_str())).collect();
        let (foo, bar) = (Some(sub_uris[0].as_str()), Some(sub_uris[1].as_str()));
        assert_eq!(
            shape,
            [
                ("created", None), ("created", foo), ("created", bar),
                ("artifact", foo), ("artifact", None),
                ("status", None), ("status", foo), ("status", bar),
            ]
        );
        for event in history {
            assert_eq!(event["ticket"], format!("/api/v1/ticket/{id}/"), "{event}");
            assert_eq!(event["actor"], "test-developer", "{event}");
        }
        for event in &history[5..] {
            assert_eq!((event["from_step"].as_i64(), event["to_step"].as_i64(), event["to_status"].as_i64()), (Some(0), Some(100), Some(0)), "{event}");
        }
        let ids: Vec<i64> = history.iter().filter_map(|e| e["id"].as_i64()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids increase: {ids:?}");
        // event/ serves the same history.
        let listed: Vec<i64> = objects(&app, &format!("/api/v1/event/?ticket={id}&limit=0")).await.iter().filter_map(|e| e["id"].as_i64()).collect();
        assert_eq!(listed, ids);
    }
}
