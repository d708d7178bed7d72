//! `ticketd check`: every setting as `serve` would resolve it, then the
//! data dir and the database, each problem with what to do about it.
//! It writes nothing: an SQLite database is opened read-only, and a
//! missing data dir or database file is reported, not created.

use std::net::ToSocketAddrs;
use std::path::Path;

use anyhow::bail;

use crate::blobs::S3Blobs;
use crate::config::Settings;
use crate::lost_database::earlier_database;
use crate::secrets::redact_url;
use crate::store::{Inspection, Store, inspect_sqlite};

/// A problem `check` found, and what to do about it.
struct Problem {
    what: String,
    hint: String,
}

impl Problem {
    fn new(what: impl Into<String>, hint: impl Into<String>) -> Problem {
        Problem {
            what: what.into(),
            hint: hint.into(),
        }
    }
}

/// Run `ticketd check`.
pub async fn run(settings: &Settings, full: bool) -> anyhow::Result<()> {
    let described = settings.described();
    let width = described
        .iter()
        .map(|(key, _)| key.len())
        .max()
        .unwrap_or(0);
    for (key, value) in &described {
        println!("{key:<width$}  {value}");
    }
    let mut problems = Vec::new();
    if let Err(err) = settings.listen.to_socket_addrs() {
        problems.push(Problem::new(
            format!("listen `{}` is not an address: {err}", settings.listen),
            format!(
                "use HOST:PORT, such as 127.0.0.1:8000 or 0.0.0.0:8000 ({})",
                settings.origins.listen
            ),
        ));
    }
    // An SQLite database lives in the data dir; PostgreSQL is worth
    // checking whatever the data dir (which then holds only blobs).
    let usable = data_dir_usable(settings, &mut problems);
    let database = if usable || settings.sqlite_file().is_none() {
        inspect(settings, full, &mut problems).await
    } else {
        None
    };
    if let Some(found) = &database {
        judge(settings, found, full, &mut problems);
    }
    check_bucket(settings, &mut problems).await;
    if problems.is_empty() {
        println!("status: ok (the database is reachable, migrated and sound)");
        return Ok(());
    }
    for problem in &problems {
        eprintln!("problem: {}\n   hint: {}", problem.what, problem.hint);
    }
    bail!("{} problem(s) found", problems.len())
}

/// Whether the S3 blob store, if one is configured, answers: one HEAD,
/// nothing written.
async fn check_bucket(settings: &Settings, problems: &mut Vec<Problem>) {
    let Some(s3) = &settings.blob_store else {
        return;
    };
    let bucket = S3Blobs::new(s3, settings.data_dir.join("blobs/tmp"));
    let answered = match &bucket {
        Ok(bucket) => bucket.reachable().await,
        Err(err) => Err(std::io::Error::other(err.to_string())),
    };
    match answered {
        Ok(()) => println!("blob store: ok ({} answers)", s3.url()),
        Err(err) => problems.push(Problem::new(
            format!("the blob store {} does not answer: {err}", s3.url()),
            "check blob_store, s3_endpoint, s3_region and the credentials (s3_access_key_id,              s3_secret_access_key or AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)",
        )),
    }
}

/// Whether the data dir exists and is a directory this user may write.
fn data_dir_usable(settings: &Settings, problems: &mut Vec<Problem>) -> bool {
    let dir = &settings.data_dir;
    let origin = &settings.origins.data_dir;
    match std::fs::metadata(dir) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            problems.push(Problem::new(
                format!("the data dir {} does not exist", dir.display()),
                format!(
                    "run `ticketd migrate` as the user the service runs as to create it and the \
                     database, or point data_dir ({origin}) at the existing one"
                ),
            ));
            false
        }
        Err(err) => {
            problems.push(Problem::new(
                format!("cannot read the data dir {}: {err}", dir.display()),
                "run check as the user the service runs as (`ticketd-admin check` with the units of dist/systemd, else sudo -u USER ticketd check)",
            ));
            false
        }
        Ok(meta) if !meta.is_dir() => {
            problems.push(Problem::new(
                format!("the data dir {} is not a directory", dir.display()),
                format!("point data_dir ({origin}) at a directory"),
            ));
            false
        }
        Ok(_) => {
            if rustix::fs::access(dir, rustix::fs::Access::WRITE_OK).is_err() {
                problems.push(Problem::new(
                    format!(
                        "the data dir {} is not writable by this user",
                        dir.display()
                    ),
                    "run check as the user the service runs as, or give that user the directory",
                ));
            }
            true
        }
    }
}

/// What the database is like, read without changing it; `None` (and a
/// problem) when it cannot be read.
async fn inspect(
    settings: &Settings,
    full: bool,
    problems: &mut Vec<Problem>,
) -> Option<Inspection> {
    let shown = redact_url(&settings.database_url);
    if let Some(file) = settings.sqlite_file() {
        if !file.exists() {
            if lost(
                settings,
                problems,
                &format!("{} is missing", file.display()),
            ) {
                return None;
            }
            problems.push(Problem::new(
                format!("the database file {} does not exist", file.display()),
                "run `ticketd migrate` to create it (`ticketd serve` also creates it at start)",
            ));
            return None;
        }
        let path = file.clone();
        let found = tokio::task::spawn_blocking(move || inspect_sqlite(&path, full)).await;
        return match found {
            Ok(Ok(found)) => Some(found),
            Ok(Err(err)) => {
                problems.push(unreadable(&file, &err.to_string()));
                None
            }
            Err(err) => {
                problems.push(unreadable(&file, &err.to_string()));
                None
            }
        };
    }
    let store = match Store::connect(&settings.database_url, &settings.store).await {
        Ok(store) => store,
        Err(err) => {
            problems.push(Problem::new(
                format!("database {shown} is not reachable: {err}"),
                format!(
                    "check that PostgreSQL runs there and that the URL ({}) is right",
                    settings.origins.database_url
                ),
            ));
            return None;
        }
    };
    let found = store.inspect().await;
    store.close().await;
    match found {
        Ok(found) => Some(found),
        Err(err) => {
            problems.push(Problem::new(
                format!("database {shown} does not answer: {err}"),
                "check PostgreSQL's log; the user of the URL must be able to read its tables",
            ));
            None
        }
    }
}

fn unreadable(file: &Path, err: &str) -> Problem {
    Problem::new(
        format!("cannot read the database file {}: {err}", file.display()),
        "run check as the user the service runs as; that user needs to read and write it",
    )
}

/// Whether the data dir shows an earlier database beside an `empty` one;
/// if so, the problem is added.
fn lost(settings: &Settings, problems: &mut Vec<Problem>, empty: &str) -> bool {
    let signs = match earlier_database(settings) {
        Ok(signs) => signs,
        Err(err) => {
            problems.push(Problem::new(
                format!("cannot look into the data dir: {err}"),
                "run check as the user the service runs as",
            ));
            return false;
        }
    };
    if signs.is_empty() {
        return false;
    }
    problems.push(Problem::new(
        format!(
            "an empty database where the data dir shows an earlier one: {empty}, but {}; it \
             looks lost or truncated",
            signs.join(" and ")
        ),
        "restore it from a backup (docs/operations.md), or run `ticketd migrate --init` to start \
         a new, empty database anyway",
    ));
    true
}

/// The problems of a database that could be read.
fn judge(settings: &Settings, found: &Inspection, full: bool, problems: &mut Vec<Problem>) {
    if !found.migrated {
        if !lost(settings, problems, "the database has no tables") {
            problems.push(Problem::new(
                "the database is empty: no migration was ever applied",
                "run `ticketd migrate` (`ticketd serve` also migrates at start)",
            ));
        }
    } else if !found.pending.is_empty() {
        problems.push(Problem::new(
            format!(
                "{} migration(s) pending: {}",
                found.pending.len(),
                found.pending.join(", ")
            ),
            "run `ticketd migrate` (`ticketd serve` also migrates at start)",
        ));
    }
    if !found.newer.is_empty() {
        // Not a problem: the old binary serves on the extended schema
        // during a rolling upgrade (docs/operations.md, "Upgrade").
        println!(
            "migrations: {} newer than this ticketd ({}); it serves on them, but install the new \
             binary",
            found.newer.len(),
            versions(&found.newer)
        );
    }
    let pragma = if full {
        "integrity_check"
    } else {
        "quick_check"
    };
    if !found.problems.is_empty() {
        problems.push(Problem::new(
            format!(
                "THE DATABASE IS DAMAGED: {pragma} found {} problem(s), first: {}",
                found.problems.len(),
                found
                    .problems
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            "stop ticketd and restore the database from a backup (docs/operations.md)",
        ));
    } else if settings.sqlite_file().is_some() {
        println!("integrity: ok ({pragma})");
    }
}

/// Migration versions as a list for a message: `20260101000000, 20260102000000`.
pub fn versions(versions: &[i64]) -> String {
    versions
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
