//! SQLite whose files become unwritable under a running server (the
//! `immutable` attribute, which binds root too, as a stand-in for a disk
//! that fails or fills): writes are answered 503 with the error body and
//! leave nothing behind, `/readyz` says not ready, reads and `/healthz`
//! go on, and once the files are writable again the same process takes
//! writes without a restart.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{Backend, TestApp};

/// Files made immutable for the life of the guard, whatever happens.
struct Immutable(Vec<PathBuf>);

impl Immutable {
    fn set(files: Vec<PathBuf>) -> Immutable {
        chattr("+i", &files);
        Immutable(files)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        chattr("-i", &self.0);
    }
}

fn chattr(flag: &str, files: &[PathBuf]) {
    let output = Command::new("chattr")
        .arg(flag)
        .args(files)
        .output()
        .expect("chattr (from e2fsprogs) runs");
    assert!(
        output.status.success(),
        "chattr {flag} failed; this test needs a file system with the immutable attribute \
         and the right to set it: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn ready(app: &TestApp) -> (StatusCode, serde_json::Value) {
    app.anon().get("/readyz").await
}

async fn ticket_count(app: &TestApp) -> i64 {
    let (status, list) = app.anon().get("/api/v1/ticket/?limit=1").await;
    assert_eq!(status, StatusCode::OK, "reads keep working: {list}");
    list["meta"]["total_count"].as_i64().expect("total_count")
}

fn database_files(dir: &Path) -> Vec<PathBuf> {
    ["ticketd.db", "ticketd.db-wal"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.exists())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_database_answers_503_and_recovers_without_a_restart() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let before = app.ticket("written before the outage").await;
    assert_eq!(ready(&app).await.0, StatusCode::OK);
    let count = ticket_count(&app).await;

    let files = database_files(app.data_dir());
    assert!(files.len() == 2, "WAL mode keeps a -wal file: {files:?}");
    let guard = Immutable::set(files);

    let (status, body) = app
        .dev()
        .post(
            "/api/v1/ticket/",
            json!({"title": "written during the outage", "owner": "dev@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
    // `/readyz` shares the result of a probe for up to a second; the last
    // one, from before the outage, said ready.
    tokio::time::sleep(ticketd::health::PROBE_INTERVAL).await;
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["ready"], false, "{body}");
    let (status, _) = app.anon().get("/healthz").await;
    assert_eq!(status, StatusCode::OK, "the process is alive");
    assert_eq!(
        ticket_count(&app).await,
        count,
        "the refused write left nothing"
    );
    let (status, _) = app.anon().get(&format!("/api/v1/ticket/{before}/")).await;
    assert_eq!(status, StatusCode::OK);

    drop(guard);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = ready(&app).await;
        if status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still not ready 15 s after the files became writable: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = app.ticket("written after the outage").await;
    let (status, body) = app.anon().get(&format!("/api/v1/ticket/{after}/")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ticket_count(&app).await, count + 1);
}
