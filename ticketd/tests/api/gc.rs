//! `ticketd gc` on the real binary (procs.rs), on both backends: blobs no
//! row references and unused for the grace period are removed, with what
//! was freed printed; referenced ones, recent ones, and an old one that a
//! request references just before gc runs are kept. The same on the S3
//! store (object_store.rs's moto server).

use std::path::PathBuf;
use std::process::Command;

use serde_json::json;
use sha2::Digest;

use crate::helpers::PgDatabase;
use crate::object_store::Moto;
use crate::procs::{Finished, Sandbox, Server, client};

/// Upload `content` through the API; its digest.
pub async fn upload(server: &Server, content: &[u8]) -> String {
    let digest = hex::encode(sha2::Sha256::digest(content));
    let response = client()
        .put(server.url(&format!("/api/v1/blob/{digest}")))
        .header("Content-Type", "application/octet-stream")
        .body(content.to_vec())
        .send()
        .await
        .expect("PUT blob");
    assert!(response.status().is_success(), "{:?}", response.status());
    digest
}

fn blob_file(sandbox: &Sandbox, digest: &str) -> PathBuf {
    sandbox.path("data/blobs").join(&digest[..2]).join(digest)
}

/// Make a blob look uploaded two days ago.
async fn age(sandbox: &Sandbox, moto: Option<&Moto>, digest: &str) {
    if let Some(moto) = moto {
        return moto.age(digest).await;
    }
    let aged = Command::new("touch")
        .args(["-d", "2 days ago"])
        .arg(blob_file(sandbox, digest))
        .status()
        .expect("run touch");
    assert!(aged.success());
}

/// Whether blob `digest` is stored, in the data dir or in the bucket.
async fn is_stored(sandbox: &Sandbox, moto: Option<&Moto>, digest: &str) -> bool {
    match moto {
        Some(moto) => moto.has_blob(digest).await,
        None => blob_file(sandbox, digest).exists(),
    }
}

/// `ticketd --data-dir … [--database …] ARGS`, blobs in `moto` if given.
pub fn run(
    sandbox: &Sandbox,
    database: Option<&str>,
    moto: Option<&Moto>,
    args: &[&str],
) -> Finished {
    let data_dir = sandbox.data_dir();
    let mut all = vec!["--data-dir", data_dir.as_str()];
    if let Some(url) = database {
        all.extend(["--database", url]);
    }
    all.extend(args);
    let mut command = sandbox.ticketd(&all);
    if let Some(moto) = moto {
        moto.configure(&mut command);
    }
    sandbox.run_command(command, &args.join(" "))
}

async fn gc_removes_only_old_unreferenced_blobs(database: Option<&str>, moto: Option<&Moto>) {
    let sandbox = Sandbox::new();
    let (mut command, port) = sandbox.serve_command(database, &["--no-auth"]);
    if let Some(moto) = moto {
        moto.configure(&mut command);
    }
    let server = Server::spawn(&sandbox, command, port).await;
    let ticket = server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "o@example.com", "title": "t"}),
        )
        .await;
    let referenced = upload(&server, b"referenced by an artifact").await;
    server
        .post(
            "/api/v1/ticketartifact/",
            json!({"name": "a", "ticket": ticket["resource_uri"], "type": "LOGS",
                   "reference": format!("/api/v1/blob/{referenced}")}),
        )
        .await;
    let orphan = upload(&server, b"a submit whose bundle never came").await;
    let fresh = upload(&server, b"uploaded a moment ago").await;
    let late = upload(&server, b"referenced just before gc").await;
    for digest in [&referenced, &orphan, &late] {
        age(&sandbox, moto, digest).await;
    }
    // The race that can be shown: an old blob, unreferenced until a
    // request uses it now. The request touches it before committing, so
    // gc must keep it, whatever the order of gc's own steps.
    server
        .post(
            "/api/v1/ticketartifact/",
            json!({"name": "late", "ticket": ticket["resource_uri"], "type": "LOGS",
                   "reference": format!("/api/v1/blob/{late}")}),
        )
        .await;

    let dry = run(&sandbox, database, moto, &["gc", "--dry-run"]);
    assert!(dry.status.success(), "{}", dry.shown());
    assert!(
        dry.stdout.contains(&format!("would remove {orphan}"))
            && dry.stdout.contains("would free 1 blob(s), 32 bytes"),
        "{}",
        dry.shown()
    );
    assert!(
        is_stored(&sandbox, moto, &orphan).await,
        "a dry run removes nothing"
    );

    let done = run(&sandbox, database, moto, &["gc"]);
    assert!(done.status.success(), "{}", done.shown());
    assert!(
        done.stdout
            .contains(&format!("removed {orphan} (32 bytes)"))
            && done.stdout.contains(
                "freed 1 blob(s), 32 bytes; kept 1 referenced and 2 uploaded or used within 1day"
            ),
        "{}",
        done.shown()
    );
    assert!(!is_stored(&sandbox, moto, &orphan).await);
    for kept in [&referenced, &fresh, &late] {
        assert!(is_stored(&sandbox, moto, kept).await, "{kept} was removed");
        let response = client()
            .get(server.url(&format!("/api/v1/blob/{kept}")))
            .send()
            .await
            .expect("GET blob");
        assert!(
            response.status().is_success(),
            "{kept}: {:?}",
            response.status()
        );
    }
    let again = run(&sandbox, database, moto, &["gc"]);
    assert!(
        again.stdout.contains("freed 0 blob(s), 0 bytes"),
        "{}",
        again.shown()
    );
    assert!(server.stop().success());
}

#[tokio::test]
async fn gc_removes_old_unreferenced_blobs_and_keeps_the_rest_on_sqlite() {
    gc_removes_only_old_unreferenced_blobs(None, None).await;
}

#[tokio::test]
async fn gc_removes_old_unreferenced_blobs_and_keeps_the_rest_on_s3() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    gc_removes_only_old_unreferenced_blobs(None, Some(&moto)).await;
}

#[tokio::test]
async fn gc_removes_old_unreferenced_blobs_and_keeps_the_rest_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    gc_removes_only_old_unreferenced_blobs(Some(&db.url), None).await;
}

#[test]
fn gc_refuses_a_grace_period_too_short_or_unreadable_naming_the_flag() {
    let sandbox = Sandbox::new();
    for (grace, says) in [
        ("10m", "must be at least 1h"),
        ("a while", "expected a duration such as 1d"),
    ] {
        let refused = sandbox.run_on(None, &["gc", "--grace", grace]);
        refused.assert_refused("--grace", says);
    }
    assert!(!sandbox.path("data").exists(), "nothing was created");
}
