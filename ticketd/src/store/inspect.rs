//! What `ticketd check` learns of a database without changing it: an
//! SQLite file is opened read-only (and nothing is created next to it),
//! PostgreSQL is only read.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{Detail, SQLITE_MIGRATIONS, Store, StoreError};

/// The state of a database, as `check` reports it.
#[derive(Debug, Clone, Default)]
pub struct Inspection {
    /// Whether any migration was ever applied (else: a new, empty database).
    pub migrated: bool,
    /// Migrations this binary knows that the database has not applied.
    pub pending: Vec<String>,
    /// Versions of applied migrations this binary does not know: a newer
    /// `ticketd` migrated the database.
    pub newer: Vec<i64>,
    /// What SQLite's `quick_check` (or `integrity_check`) found; empty
    /// when sound, and always on PostgreSQL, which checks its own pages.
    pub problems: Vec<String>,
}

/// `path` with `suffix` appended to its file name.
fn beside(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// Inspect an existing SQLite database file without writing anything.
///
/// A read-only connection to a WAL database creates the `-shm` and `-wal`
/// files when they are missing (and may leave them behind), so it is used
/// only when both exist, that is while a server has the database open or
/// after one was killed; then it reads through the WAL as a server would.
/// Without them the database was closed cleanly and the file holds every
/// commit by itself: it is opened `immutable`, which reads the file alone
/// and creates nothing.
pub fn inspect_sqlite(path: &Path, full: bool) -> Result<Inspection, StoreError> {
    let live = beside(path, "-wal").exists() && beside(path, "-shm").exists();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = if live {
        Connection::open_with_flags(path, flags)?
    } else {
        let absolute = std::path::absolute(path).map_err(|err| {
            StoreError::Other(Detail::caused_by(
                format!("cannot make {} absolute: {err}", path.display()),
                err,
            ))
        })?;
        let mut uri = url::Url::from_file_path(&absolute).map_err(|()| {
            StoreError::Other(format!("{} is not a file path", absolute.display()).into())
        })?;
        uri.set_query(Some("immutable=1"));
        Connection::open_with_flags(uri.as_str(), flags | OpenFlags::SQLITE_OPEN_URI)?
    };
    conn.busy_timeout(super::backup::BUSY_TIMEOUT)?;
    let migrated: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = '_sqlx_migrations')",
        [],
        |row| row.get(0),
    )?;
    let applied: Vec<i64> = if migrated {
        let mut versions = conn.prepare("SELECT version FROM _sqlx_migrations WHERE success")?;
        versions
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?
    } else {
        Vec::new()
    };
    let pragma = if full {
        "PRAGMA integrity_check"
    } else {
        "PRAGMA quick_check"
    };
    let found: Vec<String> = match conn.prepare(pragma).and_then(|mut lines| {
        lines
            .query_map([], |row| row.get(0))?
            .collect::<Result<Vec<String>, _>>()
    }) {
        Ok(lines) => lines,
        Err(err) => match StoreError::from(err) {
            StoreError::Damaged(detail) => vec![detail.to_string()],
            other => return Err(other),
        },
    };
    Ok(Inspection {
        migrated: migrated && !applied.is_empty(),
        pending: pending(&SQLITE_MIGRATIONS, &applied),
        newer: newer(&SQLITE_MIGRATIONS, &applied),
        problems: found.into_iter().filter(|line| line != "ok").collect(),
    })
}

/// The migrations of `migrator` not among the `applied` versions, as
/// `VERSION description`.
pub(super) fn pending(migrator: &sqlx::migrate::Migrator, applied: &[i64]) -> Vec<String> {
    migrator
        .iter()
        .filter(|m| !applied.contains(&m.version))
        .map(|m| format!("{} {}", m.version, m.description))
        .collect()
}

/// The `applied` versions `migrator` does not know, lowest first: the
/// migrations of a newer binary.
pub(super) fn newer(migrator: &sqlx::migrate::Migrator, applied: &[i64]) -> Vec<i64> {
    let mut newer: Vec<i64> = applied
        .iter()
        .copied()
        .filter(|version| !migrator.iter().any(|m| m.version == *version))
        .collect();
    newer.sort_unstable();
    newer
}

impl Store {
    /// Inspect the database by reading it: for PostgreSQL, which checks
    /// its own pages. An SQLite store creates files when it opens, so
    /// `check` inspects SQLite with [`inspect_sqlite`] instead.
    pub async fn inspect(&self) -> Result<Inspection, StoreError> {
        self.ping().await?;
        Ok(Inspection {
            migrated: !self.is_empty().await?,
            pending: self.pending_migrations().await?,
            newer: self.newer_migrations().await?,
            problems: Vec::new(),
        })
    }
}
