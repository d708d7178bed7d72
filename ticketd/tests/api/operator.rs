//! What an operator meets running the real `ticketd` from a shell (the
//! harness is procs.rs): every subcommand reads the system-wide config
//! file, `check` changes nothing and says what to do, a PostgreSQL that
//! refuses connections is named at once, `migrate` says what it did and
//! `token list` lines up.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use crate::helpers::PgDatabase;
use crate::procs::{Finished, Sandbox, free_port};

/// Every file below `dir` with its size and modification time.
fn files(dir: &Path) -> BTreeMap<String, (u64, SystemTime)> {
    let mut found = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let meta = entry.metadata().expect("metadata");
        if meta.is_dir() {
            found.extend(files(&path));
        }
        found.insert(
            path.display().to_string(),
            (meta.len(), meta.modified().expect("mtime")),
        );
    }
    found
}

/// `ticketd check` on the sandbox's data dir (and `database`), which must
/// leave every file there as it was.
fn check_changing_nothing(sandbox: &Sandbox, database: Option<&str>) -> Finished {
    let before = files(&sandbox.path("data"));
    let checked = sandbox.run_on(database, &["check"]);
    assert_eq!(
        files(&sandbox.path("data")),
        before,
        "check changed the data dir: {}",
        checked.shown()
    );
    checked
}

#[test]
fn check_creates_nothing_and_says_to_migrate_on_a_missing_or_empty_data_dir() {
    let sandbox = Sandbox::new();
    let missing = check_changing_nothing(&sandbox, None);
    assert!(!missing.status.success(), "{}", missing.shown());
    assert!(
        !sandbox.path("data").exists(),
        "check made the data dir: {}",
        missing.shown()
    );
    assert!(
        missing.stderr.contains("does not exist") && missing.stderr.contains("ticketd migrate"),
        "{}",
        missing.shown()
    );

    std::fs::create_dir(sandbox.path("data")).expect("data dir");
    let empty = check_changing_nothing(&sandbox, None);
    assert!(!empty.status.success(), "{}", empty.shown());
    assert!(
        empty.stderr.contains("ticketd.db does not exist")
            && empty.stderr.contains("hint: run `ticketd migrate`"),
        "{}",
        empty.shown()
    );

    let migrated = sandbox.run_on(None, &["migrate"]);
    assert!(migrated.status.success(), "{}", migrated.shown());
    let sound = check_changing_nothing(&sandbox, None);
    assert!(sound.status.success(), "{}", sound.shown());
    assert!(sound.stdout.contains("integrity: ok"), "{}", sound.shown());
}

#[tokio::test]
async fn check_reads_a_live_sqlite_database_without_changing_it() {
    let sandbox = Sandbox::new();
    let server = sandbox.serve(None, &["--no-auth"]).await;
    server
        .post(
            "/api/v1/ticket/",
            serde_json::json!({"owner": "o@example.com", "title": "t"}),
        )
        .await;
    // The server writes as it likes (its probes): no file may appear.
    let names = || files(&sandbox.path("data")).into_keys().collect::<Vec<_>>();
    let before = names();
    let checked = sandbox.run_on(None, &["check"]);
    assert!(checked.status.success(), "{}", checked.shown());
    assert_eq!(names(), before, "{}", checked.shown());
    assert!(server.stop().success());
    let closed = check_changing_nothing(&sandbox, None);
    assert!(closed.status.success(), "{}", closed.shown());
}

/// The value `check` prints for a setting.
fn shown<'a>(checked: &'a Finished, key: &str) -> &'a str {
    checked
        .stdout
        .lines()
        .find_map(|line| {
            line.strip_prefix(key)
                .filter(|rest| rest.starts_with(' '))
                .map(str::trim)
        })
        .unwrap_or_else(|| panic!("check prints no {key}: {}", checked.shown()))
}

#[test]
fn check_shows_every_setting_as_serve_resolves_it_with_the_password_masked() {
    let sandbox = Sandbox::new();
    let config = sandbox.path("c.toml");
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:19000\"\nmax_page_bytes = 1000\nrequest_timeout_secs = 7\n",
    )
    .expect("config");
    let config = config.to_str().expect("UTF-8").to_string();
    let mut command = sandbox.ticketd(&[
        "--config",
        &config,
        "--database",
        &format!("postgres://ticketd:S3cretPw@127.0.0.1:{}/t", free_port()),
        "check",
    ]);
    command.env("TICKETD_LISTEN", "127.0.0.1:19013");
    let checked = sandbox.run_command(command, "check");
    assert_eq!(
        shown(&checked, "listen"),
        "127.0.0.1:19013  (TICKETD_LISTEN)"
    );
    assert_eq!(shown(&checked, "max_page_bytes"), "1000");
    assert_eq!(shown(&checked, "request_timeout_secs"), "7");
    assert_eq!(shown(&checked, "max_event_streams"), "512");
    assert!(
        shown(&checked, "database_url").starts_with("postgres://ticketd:***@"),
        "{}",
        checked.shown()
    );
    assert!(
        !checked.stdout.contains("S3cretPw") && !checked.stderr.contains("S3cretPw"),
        "{}",
        checked.shown()
    );
}

/// Every subcommand reads the system-wide config file when no `--config`
/// is given: here `TICKETD_DEFAULT_CONFIG` stands for
/// /etc/ticketd/config.toml. A token made from a shell is then in the
/// database the service serves.
async fn the_default_config_file_is_every_subcommands(database: Option<&str>) {
    let sandbox = Sandbox::new();
    let config = sandbox.path("config.toml");
    let mut text = format!("data_dir = \"{}\"\n", sandbox.data_dir());
    if let Some(url) = database {
        text.push_str(&format!("database_url = \"{url}\"\n"));
    }
    std::fs::write(&config, text).expect("config");
    let run = |args: &[&str]| {
        let mut command = sandbox.ticketd(args);
        command.env("TICKETD_DEFAULT_CONFIG", &config);
        sandbox.run_command(command, &args.join(" "))
    };
    let created = run(&["token", "create", "--name", "ops", "--role", "admin"]);
    assert!(created.status.success(), "{}", created.shown());
    let token = created.stdout.lines().last().expect("a token").to_string();
    let checked = run(&["check"]);
    assert!(checked.status.success(), "{}", checked.shown());
    assert_eq!(shown(&checked, "config file"), config.display().to_string());
    assert!(
        shown(&checked, "data_dir").ends_with("(config file)"),
        "{}",
        checked.shown()
    );
    // The service, started with the same file alone, knows the token.
    let port = free_port();
    let mut command = sandbox.ticketd(&["serve", "--listen", &format!("127.0.0.1:{port}")]);
    command.env("TICKETD_DEFAULT_CONFIG", &config);
    let server = crate::procs::Server::spawn(&sandbox, command, port).await;
    let (status, body) = server.whoami(&token).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert!(server.stop().success());
    assert!(
        !sandbox.path("home/.local/share/ticketd").exists(),
        "nothing went to the user's data dir"
    );
}

#[tokio::test]
async fn the_default_config_file_is_read_by_every_subcommand_on_sqlite() {
    the_default_config_file_is_every_subcommands(None).await;
}

#[tokio::test]
async fn the_default_config_file_is_read_by_every_subcommand_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    the_default_config_file_is_every_subcommands(Some(&db.url)).await;
}

#[test]
fn a_refused_postgres_connection_is_named_at_once_by_check_migrate_and_serve() {
    let sandbox = Sandbox::new();
    let port = free_port();
    let url = format!("postgres://postgres@127.0.0.1:{port}/ticketd");
    let says = format!("connection refused by 127.0.0.1:{port}");
    let listen = format!("127.0.0.1:{}", free_port());
    for args in [
        vec!["check"],
        vec!["migrate"],
        vec!["serve", "--listen", listen.as_str()],
    ] {
        let started = Instant::now();
        let finished = sandbox.run_on(Some(&url), &args);
        let took = started.elapsed();
        assert!(!finished.status.success(), "{}", finished.shown());
        assert!(finished.stderr.contains(&says), "{}", finished.shown());
        assert!(
            !finished.stderr.contains("timed out"),
            "{}",
            finished.shown()
        );
        assert!(
            took < Duration::from_secs(3),
            "{args:?} took {took:?} (the pool's timeout is 5 s)"
        );
    }
}

async fn migrate_says_what_it_applied(database: Option<&str>) {
    let sandbox = Sandbox::new();
    let first = sandbox.run_on(database, &["migrate"]);
    assert!(first.status.success(), "{}", first.shown());
    assert!(
        first.stderr.contains("applied ") && first.stderr.contains("1 initial"),
        "{}",
        first.shown()
    );
    let again = sandbox.run_on(database, &["migrate"]);
    assert!(again.status.success(), "{}", again.shown());
    assert!(
        again
            .stderr
            .contains("is current: no migration was pending"),
        "{}",
        again.shown()
    );
}

#[tokio::test]
async fn migrate_says_how_many_it_applied_or_that_the_database_was_current_on_sqlite() {
    migrate_says_what_it_applied(None).await;
}

#[tokio::test]
async fn migrate_says_how_many_it_applied_or_that_the_database_was_current_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    migrate_says_what_it_applied(Some(&db.url)).await;
}

#[tokio::test]
async fn every_request_has_an_access_log_line_with_the_tokens_name_but_never_the_token() {
    let sandbox = Sandbox::new();
    let created = sandbox.run_on(
        None,
        &["token", "create", "--name", "ci", "--role", "lander"],
    );
    assert!(created.status.success(), "{}", created.shown());
    let token = created.stdout.lines().last().expect("a token").to_string();
    let server = sandbox.serve(None, &[]).await;
    let (status, _) = server.whoami(&token).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let answered = crate::procs::client()
        .get(server.url("/api/v1/ticket/?limit=5&title__startswith=secret"))
        .send()
        .await
        .expect("GET ticket/");
    assert_eq!(answered.status(), reqwest::StatusCode::OK);
    // Lines are written within 10 ms, and all of them at exit.
    let log_file = server.log_file();
    assert!(server.stop().success());
    let logs = std::fs::read_to_string(log_file).expect("the log");
    let access: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("ticketd::access"))
        .collect();
    let whoami = access
        .iter()
        .find(|l| l.contains("path=/api/v1/whoami"))
        .unwrap_or_else(|| panic!("no access line for whoami/:\n{logs}"));
    for part in [
        "INFO",
        "method=GET",
        "status=200",
        "latency_ms=",
        "token=ci",
    ] {
        assert!(whoami.contains(part), "{part} missing: {whoami}");
    }
    let list = access
        .iter()
        .find(|l| l.contains("path=/api/v1/ticket "))
        .unwrap_or_else(|| panic!("no access line for ticket/:\n{logs}"));
    assert!(list.contains("token=-"), "anonymous: {list}");
    assert!(!logs.contains(&token), "the token is never logged");
    assert!(!logs.contains("secret"), "nor the query string: {list}");
}
