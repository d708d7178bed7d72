//! `ticketd export` and `ticketd import` run as an operator does (the real
//! binary): a populated database goes SQLite → PostgreSQL → SQLite, the
//! exports agree line for line, and each imported server answers every read
//! as the original did; an import into a database that is not empty, of a
//! malformed line or of a damaged blob is refused and writes nothing.

use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;

use crate::blobs::{put, sha256};
use crate::helpers::{Backend, PgDatabase, TestApp};
use crate::procs::{Sandbox, client};

/// Every list a client reads; each object's detail is read too.
const LISTS: [&str; 12] = [
    "ticket",
    "opentickets",
    "fullticket",
    "ticketstatus",
    "subticket",
    "spu",
    "ticketartifact",
    "subticketartifact",
    "sourcepackage",
    "binarypackage",
    "person",
    "event",
];

/// What [`populate`] made that the checks need.
struct Populated {
    blob: (String, Vec<u8>),
    bundle: Value,
    /// The bundle's first answer, which a retry with its key gets again.
    bundle_answer: Value,
}

fn bundle() -> Value {
    json!({
        "ticket": {"title": "Bundled", "description": "LP: #1", "owner": "dev@example.com", "bug_id": "1"},
        "uploads": [{"sourcepackage": "baz", "version": "3.0-1", "assignee": "alice@example.com",
                     "artifacts": [{"name": "baz.dsc", "reference": "https://files.example/baz.dsc", "type": "SPU"}]}],
        "queue": true
    })
}

/// Tickets at several steps (new, queued, building, complete, failed),
/// subtickets, artifacts (one a blob), history, persons, packages, a
/// bundle with an idempotency key, and tokens beside the test's own.
async fn populate(app: &TestApp) -> Populated {
    let ok = |(status, body): (StatusCode, Value)| {
        assert!(status.is_success(), "{status}: {body}");
        body
    };
    ok(app
        .admin()
        .post(
            "/api/v1/packagelist/",
            json!([
                {"binary": "libfoo1", "source": "foo", "version": "1.2-3"},
                {"binary": "bar", "source": "bar", "version": "2.0-1"},
            ]),
        )
        .await);
    ok(app
        .admin()
        .post(
            "/api/v1/person/",
            json!({"name": "Zoë Ng", "email": "zoe@example.com"}),
        )
        .await);
    ok(app
        .admin()
        .post(
            "/api/v1/person/",
            json!({"name": "Foundations", "email": "f@example.com", "is_team": true}),
        )
        .await);
    app.ticket_with_subtickets("new", &[("foo", "1.2-3"), ("bar", "2.0-1")])
        .await;
    let queued = app.ticket("queued").await;
    ok(app.move_ticket(queued, 100, 0).await);
    let (building, subs) = app
        .ticket_with_subtickets("building \"quoted\"\nmultiline ✓", &[("foo", "1.2-4")])
        .await;
    for (step, status) in [(100, 0), (200, 100)] {
        ok(app.move_ticket(building, step, status).await);
    }
    ok(app.move_subticket(subs[0], 200, 100).await);
    let complete = app.ticket("complete").await;
    for (step, status) in [
        (100, 0),
        (200, 100),
        (200, 200),
        (300, 100),
        (400, 100),
        (500, 100),
        (1000, 1000),
    ] {
        ok(app.move_ticket(complete, step, status).await);
    }
    let (failed, subs) = app
        .ticket_with_subtickets("failed", &[("bar", "2.0-2")])
        .await;
    for (step, status) in [(100, 0), (200, 100)] {
        ok(app.move_ticket(failed, step, status).await);
    }
    ok(app.move_subticket(subs[0], 200, 100).await);
    ok(app
        .lander()
        .post(
            "/api/v1/subticketartifact/",
            json!({"name": "build.log", "subticket": subs[0], "reference": "https://logs.example/b.log", "type": "LOGS"}),
        )
        .await);
    ok(app
        .lander()
        .patch(
            &format!("/api/v1/updatesubticketstatus/{}/", subs[0]),
            json!({"current_workflow_step": 200, "status": 999, "message": "it broke"}),
        )
        .await);
    let data: Vec<u8> = (0..70_000).map(|i| (i * 7 % 256) as u8).collect();
    let sha = sha256(&data);
    let (status, body) = put(app, &sha, data.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    ok(app
        .dev()
        .post(
            "/api/v1/ticketartifact/",
            json!({"name": "results", "ticket": building, "reference": format!("/api/v1/blob/{sha}"), "type": "RESULTS"}),
        )
        .await);
    let response = app
        .client()
        .post(app.url("/api/v1/bundle/"))
        .bearer_auth(app.token(Role::Developer))
        .header("Idempotency-Key", "export-key")
        .json(&bundle())
        .send()
        .await
        .expect("the bundle request is sent");
    assert_eq!(response.status(), StatusCode::CREATED);
    let bundle_answer = response.json::<Value>().await.expect("JSON");
    Populated {
        blob: (sha, data),
        bundle: bundle(),
        bundle_answer,
    }
}

/// Run `ticketd ARGS` on `data_dir` (and `database`), which must succeed.
fn ticketd(sandbox: &Sandbox, data_dir: &Path, database: Option<&str>, args: &[&str]) -> String {
    let data_dir = data_dir.to_str().expect("a UTF-8 path");
    let mut all = vec!["--data-dir", data_dir];
    if let Some(url) = database {
        all.extend(["--database", url]);
    }
    all.extend(args);
    let done = sandbox.run(&all);
    assert!(done.status.success(), "ticketd {all:?}: {}", done.shown());
    done.stdout
}

/// Every list and every object's detail, as read anonymously from `base`.
async fn reads(base: &str) -> Vec<(String, Value)> {
    let get = |path: String| async move {
        let response = client()
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("GET");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON answer");
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        (path, body)
    };
    let mut all = vec![get("/api/v1/workflow/".into()).await];
    for list in LISTS {
        let (path, body) = get(format!("/api/v1/{list}/?limit=1000")).await;
        let objects = body["objects"].as_array().cloned().unwrap_or_default();
        assert!(!objects.is_empty() || list == "opentickets", "{path}: {body}");
        all.push((path, body));
        for object in objects {
            let uri = object["resource_uri"].as_str().expect("a resource_uri");
            all.push(get(uri.to_string()).await);
        }
    }
    all.push(get("/api/v1/ticket/?current_workflow_step=200&order_by=-updated".into()).await);
    all.push(get("/api/v1/event/?id__gt=3&kind=status".into()).await);
    all
}

/// The header and the records of an export, apart.
fn split_export(text: &str) -> (Value, Vec<&str>) {
    let mut lines = text.lines();
    let header = serde_json::from_str(lines.next().expect("a header line")).expect("JSON header");
    (header, lines.collect())
}

#[tokio::test]
async fn a_database_goes_sqlite_to_postgres_to_sqlite_and_answers_every_read_the_same() {
    let Some(pg) = PgDatabase::create().await else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await.expect("SQLite");
    let populated = populate(&app).await;
    // Tokens as an operator makes them: one bound, one expiring, one revoked.
    let tools = Sandbox::new();
    let source = Some(format!(
        "sqlite://{}",
        app.data_dir().join("ticketd.db").display()
    ));
    let source = source.as_deref();
    let run_source = |args: &[&str]| ticketd(&tools, app.data_dir(), source, args);
    run_source(&["token", "create", "--name", "bound", "--role", "developer", "--email", "dev@example.com"]);
    run_source(&["token", "create", "--name", "lander-2", "--role", "lander", "--expires", "30d"]);
    run_source(&["token", "create", "--name", "gone", "--role", "admin"]);
    run_source(&["token", "revoke", "gone"]);
    let blobs = tools.path("blobs-out");
    let first = tools.path("first.jsonl");
    run_source(&[
        "export",
        "--output",
        first.to_str().expect("UTF-8"),
        "--blobs",
        blobs.to_str().expect("UTF-8"),
    ]);
    let (sha, data) = &populated.blob;
    assert_eq!(
        std::fs::read(blobs.join(&sha[..2]).join(sha)).expect("the blob copied out"),
        *data
    );

    // Into PostgreSQL, with the blobs; out again.
    let on_pg = Sandbox::new();
    ticketd(
        &on_pg,
        &on_pg.path("data"),
        Some(&pg.url),
        &[
            "import",
            "--input",
            first.to_str().expect("UTF-8"),
            "--blobs",
            blobs.to_str().expect("UTF-8"),
        ],
    );
    let second = ticketd(&on_pg, &on_pg.path("data"), Some(&pg.url), &["export"]);
    // Into SQLite from stdin; out again.
    let on_sqlite = Sandbox::new();
    let second_file = on_sqlite.path("second.jsonl");
    std::fs::write(&second_file, &second).expect("write the second export");
    let done = on_sqlite.run_command(
        {
            let mut command = on_sqlite.ticketd(&["--data-dir", &on_sqlite.data_dir(), "import"]);
            command.stdin(std::fs::File::open(&second_file).expect("open"));
            command
        },
        "import from stdin",
    );
    assert!(done.status.success(), "{}", done.shown());
    assert!(done.stderr.contains("imported"), "{}", done.shown());
    let third = ticketd(&on_sqlite, &on_sqlite.path("data"), None, &["export"]);

    let first_text = std::fs::read_to_string(&first).expect("the first export");
    let (h1, r1) = split_export(&first_text);
    let (h2, r2) = split_export(&second);
    let (h3, r3) = split_export(&third);
    assert_eq!(
        [&h1["backend"], &h2["backend"], &h3["backend"]],
        ["sqlite", "postgres", "sqlite"]
    );
    for header in [&h2, &h3] {
        assert_eq!(header["schema_version"], h1["schema_version"]);
        assert_eq!(header["format_version"], h1["format_version"]);
    }
    assert!(r1.len() > 40, "a populated export: {}", r1.len());
    assert!(r1 == r2, "PostgreSQL's export differs from SQLite's");
    assert!(r1 == r3, "the round trip's export differs from the first");
    for table in ["ticket", "event", "api_token", "idempotency_key", "binarypackage", "person"] {
        let needle = format!("{{\"table\":\"{table}\"");
        assert!(r1.iter().any(|l| l.starts_with(&needle)), "no {table} record");
    }

    // The imported servers answer as the original.
    let expected = reads(&app.base).await;
    let pg_server = on_pg.serve(Some(&pg.url), &[]).await;
    let sqlite_server = on_sqlite.serve(None, &[]).await;
    for server in [&pg_server, &sqlite_server] {
        let answers = reads(&server.base).await;
        assert_eq!(answers.len(), expected.len());
        for ((path, want), (_, got)) in expected.iter().zip(&answers) {
            assert_eq!(got, want, "{path} on {}", server.base);
        }
    }
    let response = client()
        .get(pg_server.url(&format!("/api/v1/blob/{sha}")))
        .send()
        .await
        .expect("GET the blob");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.expect("bytes") == data.as_slice());

    // The source's tokens authenticate; the revoked one does not; new rows
    // take ids past the imported ones; the idempotency key still answers.
    let max_ticket = expected
        .iter()
        .find(|(path, _)| path.starts_with("/api/v1/ticket/?limit"))
        .and_then(|(_, body)| body["objects"].as_array()?.iter().map(|t| t["id"].as_i64()).max()?)
        .expect("ticket ids");
    for server in [&pg_server, &sqlite_server] {
        let (status, who) = server.whoami(app.token(Role::Admin)).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert_eq!(who["name"], "test-admin", "{who}");
        let response = client()
            .post(server.url("/api/v1/ticket/"))
            .bearer_auth(app.token(Role::Developer))
            .json(&json!({"owner": "dev@example.com", "title": "after", "description": "d"}))
            .send()
            .await
            .expect("POST a ticket");
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["id"].as_i64(), Some(max_ticket + 1), "{body}");
        let response = client()
            .post(server.url("/api/v1/bundle/"))
            .bearer_auth(app.token(Role::Developer))
            .header("Idempotency-Key", "export-key")
            .json(&populated.bundle)
            .send()
            .await
            .expect("POST the bundle again");
        assert!(response.status().is_success(), "{}", response.status());
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body, populated.bundle_answer);
    }
}
