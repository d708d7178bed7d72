//! The storage error, mapped in one place from `sqlx::Error` (PostgreSQL,
//! migrations) and `rusqlite::Error` (SQLite).

use std::error::Error;
use std::fmt;
use std::sync::Arc;

use sqlx::error::ErrorKind;

/// What went wrong talking to the database, in the terms callers act on.
/// Each variant but `NotFound` carries a [`Detail`]: the message, and the
/// error it was made from as the error's [`source`](Error::source). `Clone`
/// (cheaply: the source is shared) because the SQLite writer answers every
/// request of a batch that failed with the same error.
#[derive(Debug, Clone)]
pub enum StoreError {
    /// The row asked for does not exist.
    NotFound,
    /// A unique constraint refused the write (the constraint's message).
    Conflict(Detail),
    /// The database cannot be reached or cannot take writes right now.
    Unavailable(Detail),
    /// The database file is damaged (SQLite's `SQLITE_CORRUPT` or
    /// `SQLITE_NOTADB`, PostgreSQL's `data_corrupted`/`index_corrupted`):
    /// nothing but a restore helps, so it is not the caller's fault either.
    Damaged(Detail),
    /// Anything else; a fault of the server.
    Other(Detail),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::NotFound => f.write_str("not found"),
            StoreError::Conflict(detail) => write!(f, "conflict: {detail}"),
            StoreError::Unavailable(detail) => write!(f, "database unavailable: {detail}"),
            StoreError::Damaged(detail) => write!(f, "database damaged: {detail}"),
            StoreError::Other(detail) => write!(f, "database error: {detail}"),
        }
    }
}

impl Error for StoreError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            StoreError::NotFound => None,
            StoreError::Conflict(detail)
            | StoreError::Unavailable(detail)
            | StoreError::Damaged(detail)
            | StoreError::Other(detail) => detail.source(),
        }
    }
}

/// A [`StoreError`]'s message, and the error it was made from, if any.
/// Displays as the message alone.
#[derive(Debug, Clone)]
pub struct Detail {
    message: String,
    source: Option<Arc<dyn Error + Send + Sync>>,
}

impl Detail {
    /// `message`, made from `source`: the message says what failed (and
    /// usually `source`'s own text); `source` stays reachable through
    /// [`Error::source`] for logs and callers that look further.
    pub fn caused_by(
        message: impl Into<String>,
        source: impl Error + Send + Sync + 'static,
    ) -> Self {
        Detail {
            message: message.into(),
            source: Some(Arc::new(source)),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|source| source as _)
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A message without a source error (a broken invariant, a timeout).
impl From<String> for Detail {
    fn from(message: String) -> Self {
        Detail {
            message,
            source: None,
        }
    }
}

impl From<&str> for Detail {
    fn from(message: &str) -> Self {
        Detail::from(message.to_string())
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        let (kind, message): (fn(Detail) -> StoreError, String) = match &err {
            sqlx::Error::RowNotFound => return StoreError::NotFound,
            sqlx::Error::Database(db) if db.kind() == ErrorKind::UniqueViolation => {
                (StoreError::Conflict, db.message().to_string())
            }
            sqlx::Error::Database(db) if is_damage(db.as_ref()) => {
                (StoreError::Damaged, db.message().to_string())
            }
            sqlx::Error::Database(db) if is_unavailable(db.as_ref()) => {
                (StoreError::Unavailable, db.message().to_string())
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => (StoreError::Unavailable, err.to_string()),
            _ => (StoreError::Other, err.to_string()),
        };
        log_damage(kind(Detail::caused_by(message, err)))
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        let (kind, message): (fn(Detail) -> StoreError, String) = match &err {
            rusqlite::Error::QueryReturnedNoRows => return StoreError::NotFound,
            rusqlite::Error::SqliteFailure(failure, message) => {
                let message = message.clone().unwrap_or_else(|| failure.to_string());
                let kind: fn(Detail) -> StoreError = match failure.code {
                    ErrorCode::ConstraintViolation
                        if matches!(
                            failure.extended_code,
                            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                                | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                        ) =>
                    {
                        StoreError::Conflict
                    }
                    _ if is_sqlite_damage(failure.extended_code) => StoreError::Damaged,
                    _ if is_sqlite_unavailable(failure.extended_code) => StoreError::Unavailable,
                    _ => StoreError::Other,
                };
                (kind, message)
            }
            other => (StoreError::Other, other.to_string()),
        };
        log_damage(kind(Detail::caused_by(message, err)))
    }
}

/// Log loudly once per error that finds the database damaged: only a
/// restore repairs a damaged file.
fn log_damage(err: StoreError) -> StoreError {
    if let StoreError::Damaged(detail) = &err {
        tracing::error!(
            error = %detail,
            "THE DATABASE IS DAMAGED: restore it from a backup; `ticketd check --full` lists the damage"
        );
    }
    err
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        match err {
            sqlx::migrate::MigrateError::Execute(inner) => inner.into(),
            other => StoreError::Other(Detail::caused_by(other.to_string(), other)),
        }
    }
}

/// Database errors that mean "try again later", not "your request is
/// wrong": SQLite busy/locked/read-only/I/O/full/can't-open (primary result
/// codes 5, 6, 8, 10, 13, 14) and PostgreSQL's connection, resource and
/// operator-intervention classes (SQLSTATE 08, 53, 57).
fn is_unavailable(db: &dyn sqlx::error::DatabaseError) -> bool {
    let Some(code) = db.code() else { return false };
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
        return code.parse::<i32>().is_ok_and(is_sqlite_unavailable);
    }
    code.starts_with("08") || code.starts_with("53") || code.starts_with("57")
}

/// Database errors that mean the file or an index is damaged: SQLite's
/// corrupt and not-a-database (primary result codes 11 and 26) and
/// PostgreSQL's `XX001` and `XX002`.
fn is_damage(db: &dyn sqlx::error::DatabaseError) -> bool {
    let Some(code) = db.code() else { return false };
    if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
        return code.parse::<i32>().is_ok_and(is_sqlite_damage);
    }
    code == "XX001" || code == "XX002"
}

/// SQLite's busy, locked, read-only, I/O, full and can't-open (primary
/// result codes 5, 6, 8, 10, 13, 14).
fn is_sqlite_unavailable(code: i32) -> bool {
    matches!(code & 0xff, 5 | 6 | 8 | 10 | 13 | 14)
}

/// SQLite's corrupt and not-a-database (primary result codes 11 and 26).
fn is_sqlite_damage(code: i32) -> bool {
    matches!(code & 0xff, 11 | 26)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_converted_error_keeps_its_message_and_its_source() {
        let conn = rusqlite::Connection::open_in_memory().expect("open");
        let err = StoreError::from(conn.execute_batch("SELEC 1").expect_err("bad SQL"));
        assert!(matches!(err, StoreError::Other(_)));
        assert!(err.to_string().starts_with("database error: "), "{err}");
        let copy = err.clone();
        let source = copy.source().expect("a source");
        assert!(source.downcast_ref::<rusqlite::Error>().is_some());
        assert!(StoreError::Other("no source".into()).source().is_none());
    }
}
