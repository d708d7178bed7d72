//! Bugs found by probing, kept fixed.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::id_of;
use crate::resources::{create, get_ok, list_ids};

backend_tests! {
    async fn an_offset_near_the_largest_integer_answers_an_empty_page(app) {
        app.ticket("one").await;
        let page = get_ok(&app, "/api/v1/ticket/?offset=9223372036854775807").await;
        assert_eq!(page["objects"], json!([]));
        assert_eq!(page["meta"]["next"], Value::Null);
    }

    async fn a_nul_character_in_a_field_is_a_validation_error_on_every_backend(app) {
        let (status, body) = app.dev().post("/api/v1/ticket/", json!({"owner": "dev@example.com", "title": "nul\u{0}byte"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(body["error"]["fields"]["title"].is_string(), "{body}");
        let (status, body) = app.anon().get("/api/v1/ticket/?title=a%00b").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_filter");
    }

    async fn a_relation_is_followed_to_a_reference_field_of_the_related_resource(app) {
        let (ticket, subs) = app.ticket_with_subtickets("rel", &[("foo", "1.0")]).await;
        app.ticket_with_subtickets("other", &[("bar", "1.0")]).await;
        let artifact = create(&app.dev(), "/api/v1/subticketartifact/", json!({"name": "a", "subticket": subs[0], "reference": "https://x.example/a", "type": "LOGS"})).await;
        assert_eq!(list_ids(&app, &format!("/api/v1/subticketartifact/?subticket__ticket={ticket}")).await, vec![id_of(&artifact)]);
        assert_eq!(list_ids(&app, "/api/v1/subticket/?source_package_upload__sourcepackage=1").await, subs);
    }

    async fn an_unknown_query_parameter_outside_lists_is_a_400(app) {
        let id = app.ticket("detail").await;
        for query in ["colour=red", "format=xml"] {
            let (status, body) = app.anon().get(&format!("/api/v1/ticket/{id}/?{query}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "ticket/{id}/?{query}: {body}");
            assert_eq!(body["error"]["code"], "invalid_filter");
        }
        assert_eq!(app.anon().get(&format!("/api/v1/ticket/{id}/?format=json")).await.0, StatusCode::OK);
        let (status, _) = app.dev().post("/api/v1/ticket/?colour=red", json!({"owner": "o@example.com", "title": "t"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let (status, _) = app.lander().patch(&format!("/api/v1/updateticketstatus/{id}/?force=1"), json!({"current_workflow_step": 200, "status": 100})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    async fn a_limit_too_large_for_an_integer_is_capped_at_1000(app) {
        app.ticket("one").await;
        app.ticket("two").await;
        let page = get_ok(&app, "/api/v1/ticket/?limit=99999999999999999999999").await;
        assert_eq!(page["meta"]["limit"], 1000, "{page}");
        assert_eq!(page["objects"].as_array().map(Vec::len), Some(2), "{page}");
        assert_eq!(page["meta"]["next"], Value::Null);
        let page = get_ok(&app, "/api/v1/ticket/?limit=1000").await;
        assert_eq!(page["meta"]["limit"], 1000, "{page}");
    }

    async fn an_offset_too_large_for_an_integer_answers_an_empty_page(app) {
        app.ticket("one").await;
        let page = get_ok(&app, "/api/v1/ticket/?offset=99999999999999999999999").await;
        assert_eq!(page["objects"], json!([]), "{page}");
        assert_eq!(page["meta"]["next"], Value::Null);
        assert_eq!(page["meta"]["total_count"], 1, "{page}");
        // Still a whole number ≥ 0, or a 400.
        for query in ["offset=-99999999999999999999999", "offset=9e99", "limit=-99999999999999999999999"] {
            let (status, body) = app.anon().get(&format!("/api/v1/ticket/?{query}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
            assert_eq!(body["error"]["code"], "invalid_filter", "{query}: {body}");
        }
    }

    async fn an_artifact_type_that_is_not_a_string_names_the_allowed_types(app) {
        let (ticket, subs) = app.ticket_with_subtickets("types", &[("foo", "1.0")]).await;
        let artifact = |owner: &str, id: i64, kind: Value| json!({"name": "a", owner: id, "reference": "https://x.example/a", "type": kind});
        for (path, owner, id, names) in [
            ("/api/v1/ticketartifact/", "ticket", ticket, "must be one of \"RESULTS\", \"LOGS\", \"IMAGE\""),
            ("/api/v1/subticketartifact/", "subticket", subs[0], "must be one of \"SPU\", \"RESULTS\", \"LOGS\""),
        ] {
            for kind in [json!(1), json!(null), json!(["LOGS"])] {
                let (status, body) = app.dev().post(path, artifact(owner, id, kind.clone())).await;
                assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {kind}: {body}");
                assert_eq!(body["error"]["code"], "validation_failed", "{body}");
                let problem = body["error"]["fields"]["type"].as_str().unwrap_or_default();
                assert!(problem.starts_with(names), "{path} {kind}: {body}");
                assert!(body["error"]["message"].as_str().unwrap_or_default().starts_with("type: must be one of"), "{body}");
            }
            let (_, body) = app.dev().post(path, artifact(owner, id, json!(1))).await;
            assert_eq!(body["error"]["fields"]["type"], format!("{names}; got integer `1`"), "{body}");
        }
        let bundle = |artifacts: Value, upload_artifacts: Value| json!({
            "ticket": {"title": "t", "owner": "dev@example.com"},
            "uploads": [{"sourcepackage": "foo", "version": "1.0", "artifacts": upload_artifacts}],
            "artifacts": artifacts,
        });
        let one = |kind: Value| json!([{"name": "a", "reference": "https://x.example/a", "type": kind}]);
        let (status, body) = app.dev().post("/api/v1/bundle/", bundle(one(json!(1)), json!([]))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["fields"]["artifacts[0].type"], "must be one of \"RESULTS\", \"LOGS\", \"IMAGE\"; got integer `1`", "{body}");
        let (status, body) = app.dev().post("/api/v1/bundle/", bundle(json!([]), one(json!(2)))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["fields"]["uploads[0].artifacts[0].type"], "must be one of \"SPU\", \"RESULTS\", \"LOGS\"; got integer `2`", "{body}");
    }
}

/// A request abandoned while its `BEGIN` is on the wire (its client went
/// away) must not leave the connection inside a transaction for the next
/// request: sqlx 0.8 alone does (its issue #4393). One connection, so that
/// the next read gets the same one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_abandoned_begin_leaves_no_transaction_open_on_postgres() {
    let Some(app) = crate::helpers::TestApp::spawn_with(
        crate::helpers::Backend::Postgres,
        crate::helpers::Options {
            store: ticketd::store::StoreOptions {
                max_connections: Some(1),
                ..ticketd::store::StoreOptions::default()
            },
            ..crate::helpers::Options::default()
        },
    )
    .await
    else {
        return;
    };
    use sqlx::Connection;
    let url = app.postgres_url().expect("a PostgreSQL database");
    let mut observer = sqlx::PgConnection::connect(url).await.expect("connect");
    for round in 0..100usize {
        // Abandoned after 1 to 20 polls: before, during or after the BEGIN.
        abandon_after(app.store.read(), round % 20 + 1).await;
        abandon_after(app.store.write(), round % 20 + 1).await;
        let (status, body) = app.anon().get("/api/v1/opentickets/?limit=1").await;
        assert_eq!(status, StatusCode::OK, "round {round}: {body}");
        // The pool's one connection, given back, leaves its transaction: a
        // dropped one is rolled back as the pool takes the connection back,
        // a leaked one stays open for good.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        let left_open = loop {
            let left_open: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'",
            )
            .fetch_one(&mut observer)
            .await
            .expect("read pg_stat_activity");
            if left_open == 0 || std::time::Instant::now() > deadline {
                break left_open;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(
            left_open, 0,
            "round {round}: a connection idle in a transaction"
        );
    }
}

/// Poll `work` at most `polls` times, yielding in between so that its I/O
/// moves, then drop it, as a request is dropped when its client goes.
async fn abandon_after<F: std::future::Future>(work: F, polls: usize) {
    let mut work = std::pin::pin!(work);
    for _ in 0..polls {
        if futures::poll!(work.as_mut()).is_ready() {
            return;
        }
        tokio::task::yield_now().await;
    }
}
