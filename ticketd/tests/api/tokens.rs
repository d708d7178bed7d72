//! Tokens that operators manage from the command line (the real binary,
//! procs.rs): `token create --expires`, `token rotate`, and `token list`'s
//! columns, EXPIRES and LAST-USED among them.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::PgDatabase;
use crate::procs::{Finished, Sandbox, Server};

/// The token on the last line of a `create` or `rotate`.
fn secret(finished: &Finished) -> String {
    assert!(finished.status.success(), "{}", finished.shown());
    finished
        .stdout
        .lines()
        .last()
        .unwrap_or_else(|| panic!("no token: {}", finished.shown()))
        .to_string()
}

/// The `token list` line of `name`, split into its columns.
fn listed(sandbox: &Sandbox, database: Option<&str>, name: &str) -> Vec<String> {
    let list = sandbox.run_on(database, &["token", "list"]);
    assert!(list.status.success(), "{}", list.shown());
    list.stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("{name} is not listed: {}", list.shown()))
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Wait for a 401 from `whoami/` (the token's expiry is seconds away).
async fn refused_once_expired(server: &Server, token: &str) -> String {
    for _ in 0..100 {
        let (status, body) = server.whoami(token).await;
        if status == StatusCode::UNAUTHORIZED {
            return body["error"]["message"]
                .as_str()
                .or(body["message"].as_str())
                .map_or_else(|| body.to_string(), str::to_string);
        }
        assert_eq!(status, StatusCode::OK, "{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the token still works 10 s on");
}

async fn expiring_and_rotated_tokens(database: Option<&str>) {
    let sandbox = Sandbox::new();
    let lasting = secret(&sandbox.run_on(
        database,
        &[
            "token",
            "create",
            "--name",
            "ci",
            "--role",
            "lander",
            "--expires",
            "90d",
        ],
    ));
    let brief = secret(&sandbox.run_on(
        database,
        &[
            "token",
            "create",
            "--name",
            "brief",
            "--role",
            "admin",
            "--expires",
            "2s",
        ],
    ));
    let server = sandbox.serve(database, &[]).await;
    assert_eq!(server.whoami(&lasting).await.0, StatusCode::OK);
    let said = refused_once_expired(&server, &brief).await;
    assert!(
        said.contains("`brief` expired at 20") && said.contains("ticketd token rotate brief"),
        "{said}"
    );
    let line = listed(&sandbox, database, "brief");
    assert_eq!(line.last().map(String::as_str), Some("expired"), "{line:?}");

    // The use of `ci` is noted (by a write the request did not wait for).
    let mut last_used = String::new();
    for _ in 0..100 {
        last_used = listed(&sandbox, database, "ci")[5].clone();
        if last_used != "-" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(last_used.starts_with("20"), "LAST-USED: {last_used}");
    let line = listed(&sandbox, database, "ci");
    assert!(line[4].starts_with("20"), "EXPIRES: {line:?}");
    // Rotated without --expires, it is good for 90 days again from now.
    secret(&sandbox.run_on(database, &["token", "rotate", "ci"]));
    let expires = &listed(&sandbox, database, "ci")[4];
    let left = chrono::DateTime::parse_from_rfc3339(expires)
        .expect("an RFC 3339 time")
        .to_utc()
        - chrono::Utc::now();
    assert!((89..=90).contains(&left.num_days()), "EXPIRES {expires}");

    // Rotation: a bound developer token keeps its name, role and owner;
    // the old secret is refused at once, the new one works.
    let old = secret(&sandbox.run_on(
        database,
        &[
            "token",
            "create",
            "--name",
            "dev",
            "--role",
            "developer",
            "--email",
            "dev@example.com",
        ],
    ));
    let rotated = sandbox.run_on(database, &["token", "rotate", "dev"]);
    let new = secret(&rotated);
    assert!(
        rotated.stderr.contains("acting only for dev@example.com"),
        "{}",
        rotated.shown()
    );
    assert_ne!(new, old);
    assert_eq!(server.whoami(&old).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        server.whoami(&new).await,
        (
            StatusCode::OK,
            json!({"name": "dev", "role": "developer", "owner": "dev@example.com"})
        )
    );
    let line = listed(&sandbox, database, "dev");
    assert_eq!(line[6..8], ["active,", "rotated"], "{line:?}");

    // An expired token rotated with a new expiry works again.
    let renewed =
        secret(&sandbox.run_on(database, &["token", "rotate", "brief", "--expires", "1h"]));
    assert_eq!(server.whoami(&renewed).await.0, StatusCode::OK);

    let unknown = sandbox.run_on(database, &["token", "rotate", "nobody"]);
    assert!(!unknown.status.success(), "{}", unknown.shown());
    assert!(
        unknown.stderr.contains("no live token named `nobody`"),
        "{}",
        unknown.shown()
    );
    assert!(server.stop().success());
}

#[tokio::test]
async fn tokens_expire_rotate_and_show_their_last_use_on_sqlite() {
    expiring_and_rotated_tokens(None).await;
}

#[tokio::test]
async fn tokens_expire_rotate_and_show_their_last_use_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    expiring_and_rotated_tokens(Some(&db.url)).await;
}

#[test]
fn a_bad_or_past_expiry_is_refused_naming_the_flag_and_creates_nothing() {
    let sandbox = Sandbox::new();
    for (when, says) in [
        ("soon", "expected a duration from now (90d, 12h, 30s)"),
        ("2020-01-01", "is not in the future"),
    ] {
        let refused = sandbox.run_on(
            None,
            &[
                "token",
                "create",
                "--name",
                "x",
                "--role",
                "admin",
                "--expires",
                when,
            ],
        );
        refused.assert_refused("--expires", says);
    }
    assert!(!sandbox.path("data").exists(), "nothing was created");
}

#[test]
fn a_secret_that_cannot_be_printed_is_an_error_that_says_how_to_get_another() {
    let sandbox = Sandbox::new();
    let script = format!(
        "{} --data-dir {} token create --name lost --role admin >/dev/full",
        crate::procs::BIN,
        sandbox.data_dir()
    );
    let finished = sandbox.run_command(sandbox.shell(&script), "token create >/dev/full");
    assert!(!finished.status.success(), "{}", finished.shown());
    assert!(
        finished
            .stderr
            .contains("its secret could not be printed; run `ticketd token rotate lost`")
            && !finished.stderr.contains("panicked"),
        "{}",
        finished.shown()
    );
}

#[test]
fn token_list_columns_line_up_whatever_the_lengths() {
    let sandbox = Sandbox::new();
    for args in [
        vec!["token", "create", "--name", "a", "--role", "admin"],
        vec![
            "token",
            "create",
            "--name",
            "a-rather-long-name-for-a-token",
            "--role",
            "developer",
            "--email",
            "someone.with.a.long.address@example.com",
        ],
    ] {
        let created = sandbox.run_on(None, &args);
        assert!(created.status.success(), "{}", created.shown());
    }
    let listed = sandbox.run_on(None, &["token", "list"]);
    assert!(listed.status.success(), "{}", listed.shown());
    let lines: Vec<&str> = listed.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", listed.shown());
    // Each column starts at the same place on every line.
    let starts = |line: &str| -> Vec<usize> {
        let mut at = Vec::new();
        let mut previous = ' ';
        for (i, c) in line.char_indices() {
            if c != ' ' && previous == ' ' {
                at.push(i);
            }
            previous = c;
        }
        at
    };
    let header = starts(lines[0]);
    for line in &lines[1..] {
        let here = starts(line);
        assert!(
            header.iter().all(|column| here.contains(column)),
            "columns do not line up:\n{}",
            listed.stdout
        );
    }
}
