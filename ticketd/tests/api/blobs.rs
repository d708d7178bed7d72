//! `blob/{sha256}`, the content-addressed upload store, as a client sees it:
//! PUT answers 201 then 200 with the reference, HEAD says whether a blob
//! exists, GET returns the exact bytes (ranges too); a wrong digest or a
//! blob past the limit keeps nothing; blobs stream past the JSON body
//! limit; only a token may write; artifacts may reference stored blobs.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use shared::Role;
use ticketd::server::HttpOptions;
use ticketd::state::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{Backend, Options, TestApp, read_final, read_status};

pub fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Every byte value, a few times over: content that text handling would spoil.
fn binary_content(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

/// PUT `data` as `sha` with the developer token; status and JSON body.
pub async fn put(app: &TestApp, sha: &str, data: Vec<u8>) -> (StatusCode, Value) {
    let response = app
        .dev()
        .raw(
            Method::PUT,
            &format!("/api/v1/blob/{sha}"),
            Some(("application/octet-stream", data)),
        )
        .await;
    let status = response.status();
    let body = response.json().await.expect("a JSON answer");
    (status, body)
}

/// HEAD a blob anonymously; its status and `Content-Length`.
async fn head(app: &TestApp, sha: &str) -> (StatusCode, Option<u64>) {
    let response = app
        .anon()
        .raw(Method::HEAD, &format!("/api/v1/blob/{sha}"), None)
        .await;
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    (response.status(), length)
}

/// GET a blob anonymously; status and bytes.
async fn get(app: &TestApp, path: &str) -> (StatusCode, Vec<u8>) {
    let response = app.anon().raw(Method::GET, path, None).await;
    let status = response.status();
    let bytes = response.bytes().await.expect("the body arrives");
    (status, bytes.to_vec())
}

/// How a raw PUT announces its body.
#[derive(Debug, Clone, Copy)]
enum Framing {
    /// `Content-Length` with `Expect: 100-continue`, as curl sends a large
    /// file: the body follows only if the server asks for it.
    DeclaredLength,
    /// `Transfer-Encoding: chunked`, no length: the server learns the size
    /// only by reading. The final chunk is never sent, so the server must
    /// decide from what it has read.
    Chunked,
}

/// PUT `data` as `sha` over a raw connection with the developer token; the
/// final status and JSON body.
async fn put_raw(app: &TestApp, sha: &str, framing: Framing, data: &[u8]) -> (u16, Value) {
    let address = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect to the server");
    let framing_headers = match framing {
        Framing::DeclaredLength => {
            format!("Content-Length: {}\r\nExpect: 100-continue\r\n", data.len())
        }
        Framing::Chunked => "Transfer-Encoding: chunked\r\n".to_string(),
    };
    let head = format!(
        "PUT /api/v1/blob/{sha} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/octet-stream\r\n{framing_headers}Connection: close\r\n\r\n",
        app.token(Role::Developer)
    );
    stream
        .write_all(head.as_bytes())
        .await
        .expect("send the request head");
    match framing {
        Framing::DeclaredLength => {
            let status = read_status(&mut stream).await;
            if status != 100 {
                let mut body = Vec::new();
                let _ =
                    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut body))
                        .await;
                return (status, serde_json::from_slice(&body).unwrap_or(Value::Null));
            }
            // The server asked for the body; it may still stop reading early.
            let _ = stream.write_all(data).await;
        }
        Framing::Chunked => {
            for chunk in data.chunks(16 * 1024) {
                let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                framed.extend_from_slice(chunk);
                framed.extend_from_slice(b"\r\n");
                if stream.write_all(&framed).await.is_err() {
                    break;
                }
            }
        }
    }
    read_final(&mut stream).await
}

/// A server whose JSON bodies may be 64 KiB: a 1 MiB blob still goes in.
async fn a_blob_streams_past_the_json_body_limit(backend: Backend, s3: bool) {
    let options = Options {
        http: HttpOptions {
            max_body_bytes: 64 * 1024,
            ..HttpOptions::default()
        },
        s3,
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    // The JSON limit is in force...
    let (status, body) = app
        .dev()
        .post(
            "/api/v1/ticket/",
            json!({"owner": "dev@example.com", "title": "big", "description": "x".repeat(80 * 1024)}),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    // ...and does not apply to blobs.
    let data = binary_content(1024 * 1024);
    let sha = sha256(&data);
    let (status, body) = put(&app, &sha, data.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body,
        json!({"reference": format!("/api/v1/blob/{sha}"), "size": 1024 * 1024})
    );
    assert_eq!(head(&app, &sha).await, (StatusCode::OK, Some(1024 * 1024)));
    let (status, back) = get(&app, &format!("/api/v1/blob/{sha}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(back == data, "the same 1 MiB comes back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_larger_than_the_json_body_limit_is_stored_on_sqlite() {
    a_blob_streams_past_the_json_body_limit(Backend::Sqlite, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_larger_than_the_json_body_limit_is_stored_on_s3() {
    a_blob_streams_past_the_json_body_limit(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_larger_than_the_json_body_limit_is_stored_on_postgres() {
    a_blob_streams_past_the_json_body_limit(Backend::Postgres, false).await;
}

/// A server whose blobs may be at most 1 MiB.
async fn blobs_over_the_limit_keep_nothing(backend: Backend, s3: bool) {
    const LIMIT: usize = 1024 * 1024;
    let options = Options {
        limits: Limits {
            max_blob_bytes: LIMIT as u64,
            ..Limits::default()
        },
        s3,
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    // A declared length past the limit is refused before the body is sent.
    let over = binary_content(LIMIT + 1);
    let over_sha = sha256(&over);
    let (status, body) = put_raw(&app, &over_sha, Framing::DeclaredLength, &over).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert_eq!(head(&app, &over_sha).await.0, StatusCode::NOT_FOUND);

    // Without a length the server finds out while streaming.
    let chunked = binary_content(LIMIT + 64 * 1024);
    let chunked_sha = sha256(&chunked);
    let (status, body) = put_raw(&app, &chunked_sha, Framing::Chunked, &chunked).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");
    assert_eq!(head(&app, &chunked_sha).await.0, StatusCode::NOT_FOUND);

    // Exactly at the limit is fine.
    let at = binary_content(LIMIT);
    let at_sha = sha256(&at);
    let (status, body) = put(&app, &at_sha, at).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["size"], LIMIT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_over_max_blob_bytes_is_413_and_leaves_nothing_on_sqlite() {
    blobs_over_the_limit_keep_nothing(Backend::Sqlite, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_over_max_blob_bytes_is_413_and_leaves_nothing_on_s3() {
    blobs_over_the_limit_keep_nothing(Backend::Sqlite, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_over_max_blob_bytes_is_413_and_leaves_nothing_on_postgres() {
    blobs_over_the_limit_keep_nothing(Backend::Postgres, false).await;
}

backend_tests! {
    s3;
    async fn a_put_answers_201_with_the_reference_then_200(app) {
        let data = binary_content(1000);
        let sha = sha256(&data);
        let (status, body) = put(&app, &sha, data.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body, json!({"reference": format!("/api/v1/blob/{sha}"), "size": 1000}));
        let (status, again) = put(&app, &sha, data).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again, body);
        // Any role at or above developer may upload; any content type will do.
        let other = b"plain text".to_vec();
        let other_sha = sha256(&other);
        let response = app.lander().raw(Method::PUT, &format!("/api/v1/blob/{other_sha}"), Some(("text/plain", other))).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }

    async fn head_says_whether_a_blob_exists(app) {
        let data = b"exists".to_vec();
        let sha = sha256(&data);
        assert_eq!(head(&app, &sha).await.0, StatusCode::NOT_FOUND);
        put(&app, &sha, data).await;
        assert_eq!(head(&app, &sha).await, (StatusCode::OK, Some(6)));
        assert_eq!(head(&app, &sha256(b"absent")).await.0, StatusCode::NOT_FOUND);
        let (status, body) = app.anon().get(&format!("/api/v1/blob/{}", sha256(b"absent"))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(body["error"]["code"], "not_found");
    }

    async fn get_returns_the_exact_bytes(app) {
        let data = binary_content(70_000);
        let sha = sha256(&data);
        put(&app, &sha, data.clone()).await;
        let (status, back) = get(&app, &format!("/api/v1/blob/{sha}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(sha256(&back), sha);
        assert!(back == data, "byte for byte");
        // With a trailing slash too, like every path.
        let (status, back) = get(&app, &format!("/api/v1/blob/{sha}/")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(back == data);
    }

    async fn a_range_request_answers_206_with_those_bytes(app) {
        let data = b"0123456789".to_vec();
        let sha = sha256(&data);
        put(&app, &sha, data).await;
        let response = app.client().get(app.url(&format!("/api/v1/blob/{sha}"))).header("Range", "bytes=2-5").send().await.expect("the request is sent");
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
        let range = response.headers().get("content-range").and_then(|v| v.to_str().ok()).map(str::to_string);
        assert_eq!(range.as_deref(), Some("bytes 2-5/10"));
        assert_eq!(response.bytes().await.expect("the body arrives").as_ref(), b"2345");
    }

    async fn a_digest_mismatch_is_400_and_keeps_nothing(app) {
        let sha = sha256(b"the expected content");
        let (status, body) = put(&app, &sha, b"some other content".to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        assert_eq!(head(&app, &sha).await.0, StatusCode::NOT_FOUND);
        // The wrong content is not kept under its own digest either.
        assert_eq!(head(&app, &sha256(b"some other content")).await.0, StatusCode::NOT_FOUND);
        // Nothing half-written is in the way: the right content goes in as new.
        let (status, body) = put(&app, &sha, b"the expected content".to_vec()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (_, back) = get(&app, &format!("/api/v1/blob/{sha}")).await;
        assert_eq!(back, b"the expected content");
    }

    async fn an_anonymous_put_is_401_and_keeps_nothing(app) {
        let data = b"anonymous".to_vec();
        let sha = sha256(&data);
        let response = app.anon().raw(Method::PUT, &format!("/api/v1/blob/{sha}"), Some(("application/octet-stream", data.clone()))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        let challenge = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).map(str::to_string);
        assert!(challenge.as_deref().unwrap_or("").starts_with("Bearer"), "{challenge:?}");
        assert_eq!(head(&app, &sha).await.0, StatusCode::NOT_FOUND);
        let response = app.with_token("not-a-token").raw(Method::PUT, &format!("/api/v1/blob/{sha}"), Some(("application/octet-stream", data))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(head(&app, &sha).await.0, StatusCode::NOT_FOUND);
    }

    async fn a_malformed_digest_in_the_path_is_404(app) {
        let sha = sha256(b"x");
        let malformed = [
            "not-a-digest".to_string(),
            sha.to_uppercase(),
            sha[..63].to_string(),
            format!("{sha}0"),
            format!("{}g", &sha[..63]),
        ];
        for name in &malformed {
            let path = format!("/api/v1/blob/{name}");
            let response = app.dev().raw(Method::PUT, &path, Some(("application/octet-stream", b"x".to_vec()))).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "PUT {name}");
            assert_eq!(app.anon().get(&path).await.0, StatusCode::NOT_FOUND, "GET {name}");
            assert_eq!(app.anon().raw(Method::HEAD, &path, None).await.status(), StatusCode::NOT_FOUND, "HEAD {name}");
        }
        assert_eq!(head(&app, &sha).await.0, StatusCode::NOT_FOUND, "nothing stored under any spelling");
    }

    async fn an_artifact_may_reference_an_uploaded_blob_but_not_a_missing_one(app) {
        let (ticket, subs) = app.ticket_with_subtickets("blob artifacts", &[("foo", "1.0-1")]).await;
        let log = b"build log".to_vec();
        let sha = sha256(&log);
        let reference = format!("/api/v1/blob/{sha}");
        let ticket_artifact = json!({"name": "log", "ticket": ticket, "reference": reference, "type": "LOGS"});
        let sub_artifact = json!({"name": "log", "subticket": subs[0], "reference": reference, "type": "LOGS"});

        // Before the upload: a 400 naming the reference.
        for (list, body) in [("ticketartifact", &ticket_artifact), ("subticketartifact", &sub_artifact)] {
            let (status, error) = app.dev().post(&format!("/api/v1/{list}/"), body.clone()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{list}: {error}");
            let message = error["error"]["fields"]["reference"].as_str().unwrap_or("");
            assert!(message.contains("no blob"), "{list}: the problem is said: {error}");
        }
        let (_, artifacts) = app.anon().get("/api/v1/ticketartifact/").await;
        assert_eq!(artifacts["meta"]["total_count"], 0);

        // After it: created, and the reference downloads the blob.
        assert_eq!(put(&app, &sha, log.clone()).await.0, StatusCode::CREATED);
        for (list, body) in [("ticketartifact", &ticket_artifact), ("subticketartifact", &sub_artifact)] {
            let (status, created) = app.dev().post(&format!("/api/v1/{list}/"), body.clone()).await;
            assert_eq!(status, StatusCode::CREATED, "{list}: {created}");
            assert_eq!(created["reference"], reference.as_str());
            let (status, back) = get(&app, created["reference"].as_str().expect("reference")).await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(back, log);
        }

        // A blob reference that is not a digest is refused too.
        let mut malformed = ticket_artifact.clone();
        malformed["reference"] = json!("/api/v1/blob/not-a-digest");
        let (status, error) = app.dev().post("/api/v1/ticketartifact/", malformed).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
        assert!(error["error"]["fields"]["reference"].is_string(), "{error}");
    }
}
