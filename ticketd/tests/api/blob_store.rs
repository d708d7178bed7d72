//! The content-addressed blob store.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use ticketd::server::{HttpOptions, Limits};

use crate::helpers::{Backend, Options, TestApp};

fn digest(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

async fn put(app: &TestApp, sha: &str, data: Vec<u8>) -> (StatusCode, Value) {
    let response = app
        .dev()
        .raw(
            Method::PUT,
            &format!("/api/v1/blob/{sha}"),
            Some(("application/octet-stream", data)),
        )
        .await;
    let status = response.status();
    (status, response.json().await.expect("json"))
}

async fn head(app: &TestApp, sha: &str) -> StatusCode {
    app.client()
        .head(app.url(&format!("/api/v1/blob/{sha}")))
        .send()
        .await
        .expect("head")
        .status()
}

async fn streamed(backend: Backend) {
    // A JSON body may be 64 KiB here; a blob of 1 MiB must still stream in.
    // (Over-limit uploads are tested in blobs.rs over a raw connection.)
    let options = Options {
        http: HttpOptions {
            max_body_bytes: 64 * 1024,
            ..HttpOptions::default()
        },
        limits: Limits {
            max_blob_bytes: 2 * 1024 * 1024,
            ..Limits::default()
        },
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let data: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
    let sha = digest(&data);
    let (status, body) = put(&app, &sha, data.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["size"], 1024 * 1024);
    let back = app
        .client()
        .get(app.url(&format!("/api/v1/blob/{sha}")))
        .send()
        .await
        .expect("get")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(back.as_ref(), data.as_slice());
}

#[tokio::test]
async fn a_blob_larger_than_the_json_limit_streams_in_on_sqlite() {
    streamed(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_blob_larger_than_the_json_limit_streams_in_on_postgres() {
    streamed(Backend::Postgres).await;
}

backend_tests! {
    async fn a_blob_is_stored_once_and_read_back_whole_or_in_ranges(app) {
        let data = b"0123456789".to_vec();
        let sha = digest(&data);
        assert_eq!(head(&app, &sha).await, StatusCode::NOT_FOUND);
        let (status, body) = put(&app, &sha, data.clone()).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(body, json!({"reference": format!("/api/v1/blob/{sha}"), "size": 10}));
        assert_eq!(put(&app, &sha, data).await.0, StatusCode::OK);
        assert_eq!(head(&app, &sha).await, StatusCode::OK);
        let response = app.client().get(app.url(&format!("/api/v1/blob/{sha}"))).header("Range", "bytes=2-5").send().await.expect("get");
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(response.headers().get("content-range").and_then(|v| v.to_str().ok()), Some("bytes 2-5/10"));
        assert_eq!(response.bytes().await.expect("bytes").as_ref(), b"2345");
    }

    async fn a_digest_mismatch_keeps_nothing(app) {
        let sha = digest(b"expected");
        let (status, body) = put(&app, &sha, b"something else".to_vec()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("validation_failed")));
        assert_eq!(head(&app, &sha).await, StatusCode::NOT_FOUND);
        assert_eq!(put(&app, &sha, b"expected".to_vec()).await.0, StatusCode::CREATED);
    }

    async fn blobs_need_a_token_to_write_and_a_well_formed_name(app) {
        let sha = digest(b"x");
        let response = app.anon().raw(Method::PUT, &format!("/api/v1/blob/{sha}"), Some(("application/octet-stream", b"x".to_vec()))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.anon().get("/api/v1/blob/not-a-digest").await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.anon().get(&format!("/api/v1/blob/{}", sha.to_uppercase())).await.0, StatusCode::NOT_FOUND);
    }

    async fn artifacts_may_reference_stored_blobs_only(app) {
        let sha = digest(b"log");
        let id = app.ticket("blob refs").await;
        let artifact = |sha: &str| json!({"name": "log", "ticket": id, "reference": format!("/api/v1/blob/{sha}"), "type": "LOGS"});
        let (status, body) = app.dev().post("/api/v1/ticketartifact/", artifact(&sha)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"]["fields"]["reference"].as_str().unwrap_or("").contains("no blob"), "{body}");
        put(&app, &sha, b"log".to_vec()).await;
        assert_eq!(app.dev().post("/api/v1/ticketartifact/", artifact(&sha)).await.0, StatusCode::CREATED);
    }
}
