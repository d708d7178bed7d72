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
use crate::helpers::{Backend, PgDatabase, RESOURCE_LISTS, TestApp};
use crate::procs::{Finished, Sandbox, client};

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

/// Run `ticketd ARGS` on `data_dir` (and `database`).
fn run(sandbox: &Sandbox, data_dir: &Path, database: Option<&str>, args: &[&str]) -> Finished {
    let data_dir = data_dir.to_str().expect("a UTF-8 path");
    let mut all = vec!["--data-dir", data_dir];
    if let Some(url) = database {
        all.extend(["--database", url]);
    }
    all.extend(args);
    sandbox.run(&all)
}

/// Run `ticketd ARGS` on `data_dir` (and `database`), which must succeed;
/// its stdout.
fn ticketd(sandbox: &Sandbox, data_dir: &Path, database: Option<&str>, args: &[&str]) -> String {
    let done = run(sandbox, data_dir, database, args);
    assert!(done.status.success(), "ticketd {args:?}: {}", done.shown());
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
    for list in RESOURCE_LISTS {
        let (path, body) = get(format!("/api/v1/{list}/?limit=1000")).await;
        let objects = body["objects"].as_array().cloned().unwrap_or_default();
        assert!(
            !objects.is_empty() || list == "opentickets",
            "{path}: {body}"
        );
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
    run_source(&[
        "token",
        "create",
        "--name",
        "bound",
        "--role",
        "developer",
        "--email",
        "dev@example.com",
    ]);
    run_source(&[
        "token",
        "create",
        "--name",
        "lander-2",
        "--role",
        "lander",
        "--expires",
        "30d",
    ]);
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
    for table in [
        "ticket",
        "event",
        "api_token",
        "idempotency_key",
        "binarypackage",
        "person",
    ] {
        let needle = format!("{{\"table\":\"{table}\"");
        assert!(
            r1.iter().any(|l| l.starts_with(&needle)),
            "no {table} record"
        );
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
    // The web pages too: the dashboard's counts per step come from the
    // counts the triggers kept as the import inserted the tickets.
    let page = |base: String| async move {
        let response = client().get(base).send().await.expect("GET a page");
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.expect("HTML")
    };
    for path in ["/", "/ticket/3"] {
        let want = page(app.url(path)).await;
        for server in [&pg_server, &sqlite_server] {
            assert!(
                page(server.url(path)).await == want,
                "{path} on {}",
                server.base
            );
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
        .and_then(|(_, body)| {
            body["objects"]
                .as_array()?
                .iter()
                .map(|t| t["id"].as_i64())
                .max()?
        })
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

/// A target database of each backend: a sandbox, and the PostgreSQL
/// database when there is one. `None` when PostgreSQL is not configured
/// (which fails the test in CI).
async fn targets() -> Option<Vec<(Sandbox, Option<PgDatabase>)>> {
    let pg = PgDatabase::create().await?;
    Some(vec![(Sandbox::new(), None), (Sandbox::new(), Some(pg))])
}

/// The records of a target's database, as its export counts them.
fn records(sandbox: &Sandbox, database: Option<&str>) -> Vec<String> {
    let out = ticketd(sandbox, &sandbox.path("data"), database, &["export"]);
    let (_, records) = split_export(&out);
    let (end, records) = records.split_last().expect("an end line");
    assert!(end.starts_with("{\"end\":"), "{end}");
    records.iter().map(|r| r.to_string()).collect()
}

/// An export of two tokens, written to a file of `sandbox`: its path and text.
fn small_export(sandbox: &Sandbox) -> (String, String) {
    let data = sandbox.path("source");
    for name in ["first", "second"] {
        ticketd(
            sandbox,
            &data,
            None,
            &["token", "create", "--name", name, "--role", "admin"],
        );
    }
    let text = ticketd(sandbox, &data, None, &["export"]);
    let file = sandbox.path("small.jsonl");
    std::fs::write(&file, &text).expect("write the export");
    (file.to_str().expect("UTF-8").to_string(), text)
}

/// Import `file` into a target; what the command said.
fn import(sandbox: &Sandbox, database: Option<&str>, file: &str, extra: &[&str]) -> Finished {
    let mut args = vec!["import", "--input", file];
    args.extend(extra);
    run(sandbox, &sandbox.path("data"), database, &args)
}

fn assert_refused(done: &Finished, says: &[&str]) {
    assert_eq!(done.status.code(), Some(1), "{}", done.shown());
    for text in says {
        assert!(
            done.stderr.contains(text),
            "expected {text:?}: {}",
            done.shown()
        );
    }
}

#[tokio::test]
async fn an_import_into_a_database_that_is_not_empty_is_refused_and_writes_nothing() {
    let Some(targets) = targets().await else {
        return;
    };
    for (sandbox, pg) in &targets {
        let database = pg.as_ref().map(|pg| pg.url.as_str());
        let (file, _) = small_export(sandbox);
        ticketd(
            sandbox,
            &sandbox.path("data"),
            database,
            &["token", "create", "--name", "here", "--role", "lander"],
        );
        let before = records(sandbox, database);
        assert_eq!(before.len(), 1, "{before:?}");
        let done = import(sandbox, database, &file, &[]);
        assert_refused(&done, &["is not empty", "api_token", "empty database only"]);
        assert_eq!(records(sandbox, database), before);
    }
}

#[tokio::test]
async fn a_malformed_line_is_refused_with_its_number_and_writes_nothing() {
    let Some(targets) = targets().await else {
        return;
    };
    for (sandbox, pg) in &targets {
        let database = pg.as_ref().map(|pg| pg.url.as_str());
        let (file, text) = small_export(sandbox);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "header, two tokens, end: {text}");
        let with_line = |at: usize, line: &str| {
            let mut changed = lines.clone();
            changed[at] = line;
            changed.join("\n") + "\n"
        };
        let event = r#"{"table":"event","row":{"id":1,"ticket_id":99,"subticket_id":null,"kind":"created","from_step":null,"from_status":null,"to_step":0,"to_status":0,"message":null,"actor":null,"created":1}}"#;
        let cases = [
            (
                with_line(2, r#"{"table":"api_token","row":{"id":"two"}}"#),
                vec!["line 3:", "`id`", "an integer"],
            ),
            (with_line(1, "{oops"), vec!["line 2:", "not a record"]),
            (
                with_line(1, r#"{"table":"tickets","row":{}}"#),
                vec!["line 2:", "unknown table \"tickets\""],
            ),
            (with_line(2, ""), vec!["line 3:", "empty line"]),
            (lines[..3].join("\n") + "\n", vec!["line 4:", "truncated"]),
            (
                with_line(3, r#"{"end":"ticketd-export","records":5}"#),
                vec!["line 4:", "counts 5 records, but 2"],
            ),
            (
                with_line(
                    0,
                    &lines[0].replace("\"schema_version\":", "\"schema_version\":99"),
                ),
                vec!["line 1:", "newer than this ticketd knows"],
            ),
            (
                with_line(0, "{\"format\":\"csv\"}"),
                vec!["line 1:", "not the header line"],
            ),
            (
                format!(
                    "{}\n{event}\n{{\"end\":\"ticketd-export\",\"records\":1}}\n",
                    lines[0]
                ),
                vec!["lines 2-2", "event"],
            ),
        ];
        for (n, (bad, says)) in cases.iter().enumerate() {
            let bad_file = sandbox.path(&format!("bad-{n}.jsonl"));
            std::fs::write(&bad_file, bad).expect("write");
            let done = import(sandbox, database, bad_file.to_str().expect("UTF-8"), &[]);
            assert_refused(&done, says);
            assert_eq!(records(sandbox, database), Vec::<String>::new(), "case {n}");
        }
        // Nothing was left behind: the same database takes the good export.
        let done = import(sandbox, database, &file, &[]);
        assert!(done.status.success(), "{}", done.shown());
        assert_eq!(records(sandbox, database), lines[1..3]);
    }
}

#[tokio::test]
async fn import_blobs_checks_each_sha256_and_a_damaged_one_writes_nothing() {
    let sandbox = Sandbox::new();
    let (file, text) = small_export(&sandbox);
    let blobs = sandbox.path("blobs-in");
    let write_blob = |name: &str, content: &[u8]| {
        let dir = blobs.join(&name[..2]);
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join(name), content).expect("write a blob");
    };
    let good = b"good content".to_vec();
    let good_sha = sha256(&good);
    write_blob(&good_sha, &good);
    let damaged_sha = sha256(b"what it was");
    write_blob(&damaged_sha, b"what it became");
    let blobs_arg = blobs.to_str().expect("UTF-8");
    let stored = |sha: &str| sandbox.path("data").join("blobs").join(&sha[..2]).join(sha);

    let done = import(&sandbox, None, &file, &["--blobs", blobs_arg]);
    assert_refused(
        &done,
        &[&damaged_sha, "SHA-256", "damaged", "nothing was imported"],
    );
    assert_eq!(records(&sandbox, None), Vec::<String>::new());
    assert!(
        !stored(&damaged_sha).exists(),
        "a damaged blob is not stored"
    );

    std::fs::write(blobs.join("notes.txt"), "not a blob").expect("write");
    let done = import(&sandbox, None, &file, &["--blobs", blobs_arg]);
    assert_refused(&done, &["notes.txt", "not a blob directory"]);

    std::fs::remove_file(blobs.join("notes.txt")).expect("rm");
    std::fs::remove_dir_all(blobs.join(&damaged_sha[..2])).expect("rm");
    let done = import(&sandbox, None, &file, &["--blobs", blobs_arg]);
    assert!(done.status.success(), "{}", done.shown());
    assert!(done.stderr.contains("copied 1 blob(s)"), "{}", done.shown());
    assert_eq!(
        std::fs::read(stored(&good_sha)).expect("the blob is stored"),
        good
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(records(&sandbox, None), lines[1..3]);
}
