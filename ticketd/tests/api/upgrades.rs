//! The upgrade rules of docs/operations.md ("Upgrade"), with the real
//! binary (harness: procs.rs): `migrate_on_start = false` makes `serve`
//! refuse pending migrations instead of applying them, and an older
//! binary keeps serving, and restarting, on a database a newer one
//! migrated, as it must during a rolling upgrade.

use std::path::Path;

use serde_json::json;

use crate::helpers::{PgDatabase, execute_sql};
use crate::procs::Sandbox;

/// How many migrations there are in `migrations/sqlite`.
pub fn sqlite_migration_count() -> i64 {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/sqlite");
    std::fs::read_dir(&dir)
        .expect("the migrations directory")
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count() as i64
}

/// A config file holding `text`; its path.
fn write_config(sandbox: &Sandbox, text: &str) -> String {
    let path = sandbox.path("config.toml");
    std::fs::write(&path, text).expect("write the config file");
    path.to_str().expect("a UTF-8 path").to_string()
}

/// `migrate_on_start = false`: `serve` applies nothing and refuses to
/// start while migrations are pending, saying to run `ticketd migrate`;
/// once that ran, it serves.
async fn serve_without_migrating(database: Option<&str>) {
    let sandbox = Sandbox::new();
    let config = write_config(&sandbox, "migrate_on_start = false\n");
    let refused = sandbox.run_on(
        database,
        &[
            "--config",
            &config,
            "serve",
            "--no-auth",
            "--listen",
            "127.0.0.1:0",
        ],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", refused.shown());
    assert!(
        refused.stderr.contains(&format!(
            "{} migration(s) pending",
            sqlite_migration_count()
        )) && refused.stderr.contains("migrate_on_start = false")
            && refused.stderr.contains("run `ticketd migrate`"),
        "{}",
        refused.shown()
    );
    let checked = sandbox.run_on(database, &["--config", &config, "check"]);
    assert!(
        checked
            .stdout
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["migrate_on_start", "false"]),
        "{}",
        checked.shown()
    );
    assert!(
        !checked.status.success() && checked.stderr.contains("no migration was ever applied"),
        "the refused serve applied something:\n{}",
        checked.shown()
    );
    let migrated = sandbox.run_on(database, &["--config", &config, "migrate"]);
    assert!(migrated.status.success(), "{}", migrated.shown());
    let server = sandbox
        .serve(database, &["--no-auth", "--config", &config])
        .await;
    assert!(
        !server.logs().contains("applied migrations"),
        "{}",
        server.logs()
    );
    assert!(server.stop().success());
}

#[tokio::test]
async fn with_migrate_on_start_false_serve_refuses_pending_migrations_on_sqlite() {
    serve_without_migrating(None).await;
}

#[tokio::test]
async fn with_migrate_on_start_false_serve_refuses_pending_migrations_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    serve_without_migrating(Some(&db.url)).await;
}

/// A migration this binary does not know, as a newer `ticketd` would
/// apply it: a column, a table, and its row in sqlx's table.
const FUTURE_VERSION: i64 = 99_990_101_000_000;

/// During a rolling upgrade the new binary migrates, and an old one keeps
/// serving, and may restart, on the extended schema: `serve` starts with a
/// warning naming the migration and reads and writes, `check` passes and
/// names it, `migrate` has nothing to do.
async fn an_older_binary_serves_a_newer_schema(database: Option<&str>) {
    let sandbox = Sandbox::new();
    let migrated = sandbox.run_on(database, &["migrate"]);
    assert!(migrated.status.success(), "{}", migrated.shown());
    let url = database.map_or_else(
        || format!("sqlite://{}/ticketd.db", sandbox.data_dir()),
        str::to_string,
    );
    execute_sql(&url, "ALTER TABLE ticket ADD COLUMN future_note TEXT").await;
    execute_sql(&url, "CREATE TABLE future_thing (id BIGINT PRIMARY KEY)").await;
    execute_sql(
        &url,
        &format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             SELECT {FUTURE_VERSION}, 'future thing', true, checksum, 0 FROM _sqlx_migrations \
             WHERE version = 1"
        ),
    )
    .await;

    let checked = sandbox.run_on(database, &["check"]);
    assert!(checked.status.success(), "{}", checked.shown());
    assert!(
        checked
            .stdout
            .contains(&format!("1 newer than this ticketd ({FUTURE_VERSION})")),
        "{}",
        checked.shown()
    );
    for _ in 0..2 {
        let server = sandbox.serve(database, &["--no-auth"]).await;
        let created = server
            .post(
                "/api/v1/ticket/",
                json!({"owner": "dev@example.com", "title": "on a newer schema"}),
            )
            .await;
        let id = created["id"].as_i64().expect("an id");
        let read = server.get(&format!("/api/v1/ticket/{id}/")).await;
        assert_eq!(read["title"], "on a newer schema");
        let logs = server.logs();
        assert!(
            logs.contains("a newer ticketd migrated it")
                && logs.contains(&FUTURE_VERSION.to_string()),
            "{logs}"
        );
        assert!(server.stop().success());
    }
    let again = sandbox.run_on(database, &["migrate"]);
    assert!(
        again.status.success() && again.stderr.contains("is current"),
        "{}",
        again.shown()
    );
}

#[tokio::test]
async fn an_older_binary_serves_and_restarts_on_a_schema_a_newer_one_migrated_on_sqlite() {
    an_older_binary_serves_a_newer_schema(None).await;
}

#[tokio::test]
async fn an_older_binary_serves_and_restarts_on_a_schema_a_newer_one_migrated_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    an_older_binary_serves_a_newer_schema(Some(&db.url)).await;
}
