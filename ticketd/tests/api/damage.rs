//! A lost or damaged database is noticed, with the real binary: an empty
//! or missing database next to uploaded blobs is refused until `--init`
//! (SQLite file truncated or deleted; PostgreSQL database dropped and made
//! again), and an SQLite file with pages overwritten fails `check`, makes
//! `/readyz` fail and makes reads answer 503 rather than 500.

use std::io::{Seek, SeekFrom, Write};
use std::time::Instant;

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::PgDatabase;
use crate::procs::{PATIENCE, POLL, Rng, Sandbox, Server, client, free_port, send};

/// Upload `data` as a blob (the server runs `--no-auth`).
pub async fn put_blob(server: &Server, data: &[u8]) -> (StatusCode, Value) {
    let digest = hex::encode(Sha256::digest(data));
    send(
        client()
            .put(server.url(&format!("/api/v1/blob/{digest}")))
            .header("content-type", "application/octet-stream")
            .body(data.to_vec()),
    )
    .await
    .expect("PUT blob")
}

fn ticket_count(list: &Value) -> i64 {
    list["meta"]["total_count"]
        .as_i64()
        .unwrap_or_else(|| panic!("no total_count in {list}"))
}

/// `serve` on a lost database exits at once, saying why and what to do;
/// so do `migrate`, `token` and `check`.
fn assert_refused(sandbox: &Sandbox, database: Option<&str>, what: &str) {
    let listen = format!("127.0.0.1:{}", free_port());
    for args in [
        &["serve", "--no-auth", "--listen", &listen][..],
        &["migrate"],
        &["token", "list"],
        &["check"],
    ] {
        let refused = sandbox.run_on(database, args);
        assert!(
            !refused.status.success(),
            "{what}: `ticketd {}` must refuse:\n{}",
            args.join(" "),
            refused.shown()
        );
        assert!(
            refused.stderr.contains("empty database") && refused.stderr.contains("blobs"),
            "{what}: `ticketd {}` says why:\n{}",
            args.join(" "),
            refused.shown()
        );
    }
}

async fn a_lost_database_is_refused_until_init(pg: Option<&PgDatabase>) {
    let database = pg.map(|db| db.url.as_str());
    let sandbox = Sandbox::new();
    let server = sandbox.serve(database, &["--no-auth"]).await;
    let (status, body) = put_blob(&server, b"a build log").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "dev@example.com", "title": "history"}),
        )
        .await;
    assert!(server.stop().success());

    let file = sandbox.path("data/ticketd.db");
    match pg {
        None => {
            std::fs::File::create(&file).expect("truncate the database to 0 bytes");
        }
        Some(db) => db.recreate().await,
    }
    assert_refused(&sandbox, database, "a database emptied");

    let server = sandbox.serve(database, &["--no-auth", "--init"]).await;
    assert_eq!(ticket_count(&server.get("/api/v1/ticket/").await), 0);
    assert!(server.stop().success());
    // Once made, the new database needs no --init.
    let server = sandbox.serve(database, &["--no-auth"]).await;
    assert!(server.stop().success());

    if pg.is_none() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(sandbox.path(&format!("data/ticketd.db{suffix}")));
        }
        assert_refused(&sandbox, database, "a database deleted");
    }
}

#[tokio::test]
async fn an_emptied_or_deleted_sqlite_database_next_to_blobs_is_refused_until_init() {
    a_lost_database_is_refused_until_init(None).await;
}

#[tokio::test]
async fn a_recreated_postgres_database_next_to_blobs_is_refused_until_init() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    a_lost_database_is_refused_until_init(Some(&db)).await;
}

/// A new install (an empty data dir) needs no `--init`.
#[tokio::test]
async fn a_new_data_dir_starts_without_init() {
    let sandbox = Sandbox::new();
    let server = sandbox.serve(None, &["--no-auth"]).await;
    assert!(server.stop().success());
}

const PAGE: u64 = 4096;

/// Tickets with long descriptions, so that most pages of the file hold
/// ticket rows.
async fn fill(server: &Server, tickets: usize) {
    let description = "x".repeat(3000);
    for chunk in (0..tickets).collect::<Vec<_>>().chunks(16) {
        let posts = chunk.iter().map(|n| {
            server.post(
                "/api/v1/ticket/",
                json!({"owner": "dev@example.com", "title": format!("ticket {n}"),
                       "description": description}),
            )
        });
        futures::future::join_all(posts).await;
    }
}

/// Overwrite `count` pages of the middle half of an SQLite file (past the
/// schema and the small tables made first) with random bytes.
fn overwrite_pages(file: &std::path::Path, count: usize) {
    let pages = std::fs::metadata(file).expect("database file").len() / PAGE;
    assert!(pages > 200, "a database of {pages} pages is too small");
    let mut rng = Rng::new("overwritten pages");
    let mut db = std::fs::OpenOptions::new()
        .write(true)
        .open(file)
        .expect("open the database");
    for _ in 0..count {
        let page = pages / 4 + rng.below(pages / 2);
        let garbage: Vec<u8> = (0..PAGE).map(|_| rng.next() as u8).collect();
        db.seek(SeekFrom::Start(page * PAGE)).expect("seek");
        db.write_all(&garbage).expect("overwrite a page");
    }
    db.sync_all().expect("sync");
}

#[tokio::test]
async fn a_damaged_sqlite_database_fails_check_and_readyz_and_reads_answer_503() {
    let sandbox = Sandbox::new();
    let server = sandbox.serve(None, &["--no-auth"]).await;
    fill(&server, 800).await;
    assert!(server.stop().success());
    let checked = sandbox.run_on(None, &["check"]);
    assert!(
        checked.status.success(),
        "sound before: {}",
        checked.shown()
    );
    assert!(
        checked.stdout.contains("integrity: ok (quick_check)"),
        "{}",
        checked.shown()
    );

    let file = sandbox.path("data/ticketd.db");
    assert!(
        std::fs::metadata(sandbox.path("data/ticketd.db-wal")).map_or(true, |m| m.len() == 0),
        "a clean stop checkpoints the WAL into the file"
    );
    overwrite_pages(&file, 20);

    for args in [&["check"][..], &["check", "--full"]] {
        let checked = sandbox.run_on(None, args);
        assert!(
            !checked.status.success(),
            "`ticketd {}` must find the damage: {}",
            args.join(" "),
            checked.shown()
        );
        assert!(checked.stderr.contains("DAMAGED"), "{}", checked.shown());
    }

    let mut server = sandbox.start_serve(None, &["--no-auth"]);
    let deadline = Instant::now() + PATIENCE;
    let readiness = loop {
        if let Some(status) = server.exited() {
            panic!("serve exited ({status}):\n{}", server.logs());
        }
        if let Ok((status, body)) = send(client().get(server.url("/readyz"))).await
            && status == StatusCode::SERVICE_UNAVAILABLE
        {
            break body;
        }
        assert!(
            Instant::now() < deadline,
            "/readyz never failed on a damaged database:\n{}",
            server.logs()
        );
        tokio::time::sleep(POLL).await;
    };
    assert_eq!(readiness["ready"], false, "{readiness}");
    assert!(
        readiness["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("damaged")),
        "{readiness}"
    );

    // Reading every ticket meets the damage: 503 `unavailable`, never 500.
    let mut refused = 0;
    for offset in (0..800).step_by(100) {
        let (status, body) =
            send(client().get(server.url(&format!("/api/v1/ticket/?limit=100&offset={offset}"))))
                .await
                .expect("GET tickets");
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
        if status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(body["error"]["code"], "unavailable", "{body}");
            refused += 1;
        }
    }
    assert!(refused > 0, "no read met the damage:\n{}", server.logs());
    assert!(
        server.logs().contains("DAMAGED"),
        "the damage is logged loudly:\n{}",
        server.logs()
    );
}
