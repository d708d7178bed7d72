//! The real `ticketd` binary as a child process, as an operator runs it
//! (the harness is procs.rs): a cleared environment with only PATH and a
//! temp HOME, a temp data dir, a port of its own. A restart gives back
//! every object unchanged (SQLite, and PostgreSQL when configured), the
//! seed's curl examples (tests/seed/examples.txt) answer as docs/api.md
//! says, the `token`, `migrate`, `check` and `serve` subcommands behave as
//! their man pages (man/ticketd-*.8) say, and SIGTERM lets a request in
//! flight finish.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PgDatabase, RESOURCE_LISTS};
use crate::procs::{ChildGuard, Sandbox, Server, client, free_port};

fn uri(body: &Value) -> String {
    body["resource_uri"]
        .as_str()
        .unwrap_or_else(|| panic!("no resource_uri in {body}"))
        .to_string()
}

/// A ticket with two subtickets, artifacts on all three, statuses moved
/// and one subticket failed; a second ticket left open; a person and a
/// package list. Everything through the API of a `--no-auth` server.
async fn populate(server: &Server) {
    let foo_source = server
        .post("/api/v1/sourcepackage/", json!({"name": "foo"}))
        .await;
    let bar_source = server
        .post("/api/v1/sourcepackage/", json!({"name": "bar"}))
        .await;
    let foo_upload = server
        .post(
            "/api/v1/spu/",
            json!({"sourcepackage": uri(&foo_source), "version": "1.0-1"}),
        )
        .await;
    let bar_upload = server
        .post(
            "/api/v1/spu/",
            json!({"sourcepackage": uri(&bar_source), "version": "2:2.0~rc1-1"}),
        )
        .await;
    let ticket = server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "dev@example.com", "title": "Fix the frobnicator", "description": "two packages",
                   "bug_id": "12345", "ppa": "ppa:dev/fix", "base_image": "https://images.example/base.img",
                   "references": ["https://bugs.example/12345"]}),
        )
        .await;
    let first = server
        .post(
            "/api/v1/subticket/",
            json!({"source_package_upload": uri(&foo_upload), "ticket": uri(&ticket), "assignee": "foo@example.com"}),
        )
        .await;
    let second = server
        .post(
            "/api/v1/subticket/",
            json!({"source_package_upload": uri(&bar_upload), "ticket": uri(&ticket)}),
        )
        .await;
    server
        .post(
            "/api/v1/ticketartifact/",
            json!({"name": "image", "ticket": uri(&ticket), "reference": "https://images.example/1.img", "type": "IMAGE"}),
        )
        .await;
    for (subticket, name, kind) in [
        (&first, "foo_1.0-1.dsc", "SPU"),
        (&second, "bar_2.0~rc1-1.dsc", "SPU"),
        (&second, "build.log", "LOGS"),
    ] {
        server
            .post(
                "/api/v1/subticketartifact/",
                json!({"name": name, "subticket": uri(subticket), "reference": format!("https://files.example/{name}"), "type": kind}),
            )
            .await;
    }
    let ticket_status = format!("/api/v1/updateticketstatus/{}/", ticket["id"]);
    server
        .patch(
            &ticket_status,
            json!({"current_workflow_step": "100", "status": "000"}),
        )
        .await;
    server
        .patch(
            &ticket_status,
            json!({"current_workflow_step": 200, "status": 100, "message": "building"}),
        )
        .await;
    let first_status = format!("/api/v1/updatesubticketstatus/{}/", first["id"]);
    server
        .patch(
            &first_status,
            json!({"current_workflow_step": 200, "status": 100}),
        )
        .await;
    server
        .patch(
            &first_status,
            json!({"current_workflow_step": 200, "status": 200}),
        )
        .await;
    server
        .patch(
            &format!("/api/v1/updatesubticketstatus/{}/", second["id"]),
            json!({"current_workflow_step": 200, "status": 999, "message": "FTBFS on armhf"}),
        )
        .await;
    server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "other@example.com", "title": "Still being assembled"}),
        )
        .await;
    server
        .post(
            "/api/v1/person/",
            json!({"name": "Canonical CI Engineering", "email": "team@lists.example", "is_team": "True"}),
        )
        .await;
    server
        .post(
            "/api/v1/packagelist/",
            json!([{"binary": "libfoo1", "source": "foo", "version": "1.0-1"},
                   {"binary": "bar-utils", "source": "bar", "version": "2:2.0~rc1-1"}]),
        )
        .await;
}

/// Every list resource, and every object of each by its own detail route
/// (every full ticket among them), as `(path, JSON)`.
async fn snapshot(server: &Server) -> Vec<(String, Value)> {
    let mut all = Vec::new();
    for list in RESOURCE_LISTS {
        let path = format!("/api/v1/{list}/?limit=1000");
        let page = server.get(&path).await;
        let objects = page["objects"]
            .as_array()
            .unwrap_or_else(|| panic!("no objects in {page}"))
            .clone();
        all.push((path, page));
        for object in objects {
            let detail = uri(&object);
            let body = server.get(&detail).await;
            all.push((detail, body));
        }
    }
    all
}

async fn a_restart_gives_back_everything(database: Option<&str>) {
    let sandbox = Sandbox::new();
    let server = sandbox.serve(database, &["--no-auth"]).await;
    populate(&server).await;
    let before = snapshot(&server).await;
    let logs = server.logs();
    let status = server.stop();
    assert!(
        status.success(),
        "SIGTERM ends ticketd with {status}:\n{logs}"
    );

    let server = sandbox.serve(database, &["--no-auth"]).await;
    let after = snapshot(&server).await;
    let paths = |s: &[(String, Value)]| s.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&after), paths(&before), "the same objects answer");
    for ((path, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(is, was, "GET {path} changed across the restart");
    }

    // The snapshot is of what was written, not of an empty database.
    for path in [
        "/api/v1/fullticket/2/",
        "/api/v1/opentickets/2/",
        "/api/v1/subticket/2/",
        "/api/v1/subticketartifact/3/",
        "/api/v1/binarypackage/2/",
        "/api/v1/person/1/",
    ] {
        assert!(
            after.iter().any(|(p, _)| p == path),
            "{path} is among the reads"
        );
    }
    let full = &after
        .iter()
        .find(|(p, _)| p == "/api/v1/fullticket/1/")
        .expect("the first ticket")
        .1;
    assert_eq!(full["current_workflow_step"], 999, "{full}");
    assert_eq!(full["failure"]["message"], "FTBFS on armhf", "{full}");
    assert_eq!(full["subtickets"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        full["subtickets"][1]["artifacts"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(full["artifacts"].as_array().map(Vec::len), Some(1));
    let events = &full["history"];
    assert!(events.as_array().is_some_and(|h| h.len() >= 10), "{events}");
    assert!(
        events
            .as_array()
            .is_some_and(|h| h.iter().all(|e| e["actor"].is_null())),
        "without auth no event has an actor: {events}"
    );
    assert!(server.stop().success());
}

#[tokio::test]
async fn a_restart_on_sqlite_answers_every_read_exactly_as_before() {
    a_restart_gives_back_everything(None).await;
}

#[tokio::test]
async fn a_restart_on_postgres_answers_every_read_exactly_as_before() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    a_restart_gives_back_everything(Some(&db.url)).await;
}

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seed")
}

#[tokio::test]
async fn every_curl_example_of_the_seed_answers_the_status_api_md_gives() {
    let sandbox = Sandbox::new();
    let server = sandbox.serve(None, &["--no-auth"]).await;
    let examples =
        std::fs::read_to_string(seed_dir().join("examples.txt")).expect("read examples.txt");
    let count = examples
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .count();
    let (out, err) = sandbox.output_files();
    let script = Command::new("bash")
        .arg(seed_dir().join("run-examples.sh"))
        .arg(&server.base)
        .stdin(Stdio::null())
        .stdout(File::create(&out).expect("stdout file"))
        .stderr(File::create(&err).expect("stderr file"))
        .spawn()
        .expect("run bash");
    let status = ChildGuard(script).wait_bounded("run-examples.sh");
    let stdout = std::fs::read_to_string(out).expect("read stdout");
    let stderr = std::fs::read_to_string(err).expect("read stderr");
    let shown = format!(
        "{stdout}\n--- stderr\n{stderr}\n--- ticketd\n{}",
        server.logs()
    );
    assert!(status.success(), "run-examples.sh failed:\n{shown}");
    assert_eq!(
        stdout.lines().last(),
        Some(format!("{count} passed, 0 failed").as_str()),
        "{shown}"
    );
}

/// The ids `run-examples.sh` puts in place of `/api/v1/NAME/X/`: the keys
/// of its `declare -A ids=(...)` line.
fn placeholders_of_the_script(script: &str) -> Vec<String> {
    let line = script
        .lines()
        .find(|l| l.starts_with("declare -A ids=("))
        .unwrap_or_else(|| panic!("run-examples.sh declares no ids:\n{script}"));
    line.split('[')
        .skip(1)
        .filter_map(|part| part.split_once(']').map(|(name, _)| name.to_string()))
        .collect()
}

/// What `every_curl_example_of_the_seed_answers_the_status_api_md_gives`
/// cannot see: each line is `[SETUP]STATUS|curl ...` against the origin
/// the script rewrites, and each `X` placeholder is one the script fills.
#[test]
fn every_line_of_examples_txt_is_a_status_and_a_curl_command_the_script_can_run() {
    let examples =
        std::fs::read_to_string(seed_dir().join("examples.txt")).expect("read examples.txt");
    let script =
        std::fs::read_to_string(seed_dir().join("run-examples.sh")).expect("read run-examples.sh");
    let known = placeholders_of_the_script(&script);
    assert!(!known.is_empty(), "no placeholders in run-examples.sh");
    let mut checked = 0;
    for line in examples
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (status, command) = line
            .split_once('|')
            .unwrap_or_else(|| panic!("no STATUS| in {line:?}"));
        let status: u16 = status
            .trim_start_matches("SETUP")
            .parse()
            .unwrap_or_else(|e| panic!("{line:?}: the status is not a number: {e}"));
        assert!((200..600).contains(&status), "{line:?}: status {status}");
        assert!(
            command.starts_with("curl "),
            "{line:?} is not a curl command"
        );
        assert!(
            command.contains("http://localhost:8000/api/v1/"),
            "{line:?} does not use the origin run-examples.sh replaces"
        );
        for (at, _) in command.match_indices("/X/") {
            let resource = command[..at].rsplit('/').next().unwrap_or_default();
            assert!(
                known.iter().any(|k| k == resource),
                "{line:?}: run-examples.sh fills no X for `{resource}` (it knows {known:?})"
            );
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} examples in examples.txt");
}

/// SIGTERM while an upload is half sent: the upload still completes (201),
/// then `ticketd` exits 0.
#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish_before_exiting() {
    use sha2::Digest;
    use std::io::{Read, Write};
    let sandbox = Sandbox::new();
    let mut server = sandbox.serve(None, &["--no-auth"]).await;
    let content = vec![b'x'; 64 * 1024];
    let digest = hex::encode(sha2::Sha256::digest(&content));
    let address = server.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "PUT /api/v1/blob/{digest} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content.len()
    )
    .expect("headers");
    stream.write_all(&content[..1024]).expect("first part");
    stream.flush().expect("flush");
    std::thread::sleep(std::time::Duration::from_millis(200));
    // Ask the server to stop while the upload is half sent.
    server.child.signal("-TERM");
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream
        .write_all(&content[1024..])
        .expect("the rest is still accepted");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "{answer}\n{}",
        server.logs()
    );
    let status = server.child.wait_bounded("ticketd serve after SIGTERM");
    assert!(status.success(), "{status:?}\n{}", server.logs());
}

/// Token subcommands against `database`, with a server running on it.
async fn tokens_from_the_command_line(database: Option<&str>) {
    let sandbox = Sandbox::new();
    let created = sandbox.run_on(
        database,
        &["token", "create", "--name", "ci", "--role", "lander"],
    );
    assert!(created.status.success(), "{}", created.shown());
    let token = created
        .stdout
        .lines()
        .last()
        .expect("the token on the last line of stdout")
        .to_string();
    assert!(
        token.len() >= 32 && !token.contains(char::is_whitespace),
        "the last line is the token alone: {}",
        created.shown()
    );

    let listed = sandbox.run_on(database, &["token", "list"]);
    assert!(listed.status.success(), "{}", listed.shown());
    let line = listed
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some("ci"))
        .unwrap_or_else(|| panic!("ci is listed: {}", listed.shown()));
    assert!(line.contains("lander") && line.contains("active"), "{line}");
    assert!(
        !listed.stdout.contains(&token) && !listed.stderr.contains(&token),
        "the secret is never listed"
    );

    let server = sandbox.serve(database, &[]).await;
    assert_eq!(
        server.whoami(&token).await,
        (
            StatusCode::OK,
            json!({"name": "ci", "role": "lander", "owner": null})
        )
    );
    // A token made while the server runs works at once; this one is bound
    // to an owner, which whoami/ and the list show.
    let late = sandbox.run_on(
        database,
        &[
            "token",
            "create",
            "--name",
            "late-dev",
            "--role",
            "developer",
            "--email",
            "late@example.com",
        ],
    );
    assert!(late.status.success(), "{}", late.shown());
    assert!(
        late.stderr.contains("acting only for late@example.com"),
        "{}",
        late.shown()
    );
    let late_token = late.stdout.lines().last().expect("a token").to_string();
    assert_eq!(
        server.whoami(&late_token).await,
        (
            StatusCode::OK,
            json!({"name": "late-dev", "role": "developer", "owner": "late@example.com"})
        )
    );
    let listed = sandbox.run_on(database, &["token", "list"]);
    let owners: Vec<(String, String)> = listed
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((words.next()?.to_string(), words.nth(1)?.to_string()))
        })
        .collect();
    assert_eq!(
        owners,
        [
            ("ci".into(), "-".into()),
            ("late-dev".into(), "late@example.com".into())
        ],
        "{}",
        listed.shown()
    );
    // Only developer tokens are bound, and to one plain address.
    for (role, email, says) in [
        (
            "lander",
            "l@example.com",
            "only a developer token may be bound",
        ),
        (
            "developer",
            "Dev <dev@example.com>",
            "email: must be one plain e-mail address",
        ),
    ] {
        let refused = sandbox.run_on(
            database,
            &[
                "token", "create", "--name", "refused", "--role", role, "--email", email,
            ],
        );
        assert!(!refused.status.success(), "{}", refused.shown());
        assert!(refused.stderr.contains(says), "{}", refused.shown());
    }

    let revoked = sandbox.run_on(database, &["token", "revoke", "ci"]);
    assert!(revoked.status.success(), "{}", revoked.shown());
    let (status, body) = server.whoami(&token).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "revocation holds at once: {body}"
    );
    assert_eq!(server.whoami(&late_token).await.0, StatusCode::OK);

    let listed = sandbox.run_on(database, &["token", "list"]);
    let line = listed
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some("ci"))
        .unwrap_or_else(|| panic!("ci is still listed: {}", listed.shown()));
    assert!(line.contains("revoked"), "{}", listed.shown());
    let status = server.stop();
    assert!(status.success(), "{status}");
}

#[tokio::test]
async fn tokens_are_created_listed_and_revoked_from_the_command_line_on_sqlite() {
    tokens_from_the_command_line(None).await;
}

#[tokio::test]
async fn tokens_are_created_listed_and_revoked_from_the_command_line_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    tokens_from_the_command_line(Some(&db.url)).await;
}

async fn migrate_then_check(database: Option<&str>, shows: &str) {
    let sandbox = Sandbox::new();
    let migrated = sandbox.run_on(database, &["migrate"]);
    assert!(migrated.status.success(), "{}", migrated.shown());
    let again = sandbox.run_on(database, &["migrate"]);
    assert!(
        again.status.success(),
        "migrating twice is harmless: {}",
        again.shown()
    );
    let checked = sandbox.run_on(database, &["check"]);
    assert!(checked.status.success(), "{}", checked.shown());
    let line = checked
        .stdout
        .lines()
        .find(|l| l.starts_with("database"))
        .unwrap_or_else(|| panic!("check prints the database: {}", checked.shown()));
    assert!(line.contains(shows), "{}", checked.shown());
}

#[tokio::test]
async fn migrate_exits_zero_and_check_then_reports_the_sqlite_database() {
    // The default database is ticketd.db in the data dir.
    migrate_then_check(None, "ticketd.db").await;
}

#[tokio::test]
async fn migrate_exits_zero_and_check_then_reports_the_postgres_database() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    let name = db
        .url
        .rsplit('/')
        .next()
        .expect("a database name")
        .to_string();
    migrate_then_check(Some(&db.url), &name).await;
}

#[test]
fn serve_without_auth_refuses_an_address_that_is_not_loopback() {
    let sandbox = Sandbox::new();
    let listen = format!("0.0.0.0:{}", free_port());
    let refused = sandbox.run_on(None, &["serve", "--no-auth", "--listen", &listen]);
    assert!(!refused.status.success(), "{}", refused.shown());
    assert!(refused.stderr.contains("loopback"), "{}", refused.shown());
}

#[tokio::test]
async fn the_listen_flag_wins_over_the_environment_and_the_environment_over_the_config_file() {
    let sandbox = Sandbox::new();
    let (file_port, env_port, flag_port) = (free_port(), free_port(), free_port());
    let config = sandbox.path("config.toml");
    std::fs::write(&config, format!("listen = \"127.0.0.1:{file_port}\"\n")).expect("write config");
    let config = config.to_str().expect("a UTF-8 path").to_string();
    let data_dir = sandbox.data_dir();
    for (env, flag, expected) in [
        (None, None, file_port),
        (Some(env_port), None, env_port),
        (Some(env_port), Some(flag_port), flag_port),
    ] {
        let mut command = sandbox.ticketd(&["--config", &config, "--data-dir", &data_dir, "serve"]);
        if let Some(port) = env {
            command.env("TICKETD_LISTEN", format!("127.0.0.1:{port}"));
        }
        if let Some(port) = flag {
            command.args(["--listen", &format!("127.0.0.1:{port}")]);
        }
        let server = Server::spawn(&sandbox, command, expected).await;
        let health = server.get("/healthz").await;
        assert!(health.is_object(), "{health}");
        for other in [file_port, env_port, flag_port]
            .into_iter()
            .filter(|p| *p != expected)
        {
            let answered = client()
                .get(format!("http://127.0.0.1:{other}/healthz"))
                .send()
                .await
                .is_ok();
            assert!(!answered, "only port {expected} should answer, {other} did");
        }
        assert!(server.stop().success());
    }
}

#[tokio::test]
async fn sigterm_and_sigint_each_end_serve_with_status_zero() {
    let sandbox = Sandbox::new();
    for signal in ["-TERM", "-INT"] {
        let server = sandbox.serve(None, &[]).await;
        let base = server.base.clone();
        assert_eq!(server.get("/api/v1/whoami/").await["role"], "anonymous");
        let logs = server.logs();
        let status = server.stop_with(signal);
        assert!(status.success(), "kill {signal}: {status}\n{logs}");
        assert!(
            client()
                .get(format!("{base}/healthz"))
                .send()
                .await
                .is_err(),
            "nothing listens after kill {signal}"
        );
    }
}
