//! The storage error, mapped in one place from `sqlx::Error` (PostgreSQL,
//! migrations) and `rusqlite::Error` (SQLite).

use sqlx::error::ErrorKind;

/// What went wrong talking to the database, in the terms callers act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write (the constraint's message).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or cannot take writes right now.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The database file is damaged (SQLite's `SQLITE_CORRUPT` or
    /// `SQLITE_NOTADB`, PostgreSQL's `data_corrupted`/`index_corrupted`):
    /// nothing but a restore helps, so it is not the caller's fault either.
    #[error("database damaged: {0}")]
    Damaged(String),
    /// Anything else; a fault of the server.
    #[error("database error: {0}")]
    Other(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.kind() == ErrorKind::UniqueViolation => {
                StoreError::Conflict(db.message().to_string())
            }
            sqlx::Error::Database(db) if is_damage(db.as_ref()) => {
                damaged(db.message().to_string())
            }
            sqlx::Error::Database(db) if is_unavailable(db.as_ref()) => {
                StoreError::Unavailable(db.message().to_string())
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => StoreError::Unavailable(err.to_string()),
            _ => StoreError::Other(err.to_string()),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &err {
            rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound,
            rusqlite::Error::SqliteFailure(failure, message) => {
                let message = message.clone().unwrap_or_else(|| failure.to_string());
                match failure.code {
                    ErrorCode::ConstraintViolation
                        if matches!(
                            failure.extended_code,
                            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                                | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
                        ) =>
                    {
                        StoreError::Conflict(message)
                    }
                    _ if is_sqlite_damage(failure.extended_code) => damaged(message),
                    _ if is_sqlite_unavailable(failure.extended_code) => {
                        StoreError::Unavailable(message)
                    }
                    _ => StoreError::Other(message),
                }
            }
            _ => StoreError::Other(err.to_string()),
        }
    }
}

/// Log loudly once per error: only a restore repairs a damaged file.
fn damaged(message: String) -> StoreError {
    tracing::error!(
        error = %message,
        "THE DATABASE IS DAMAGED: restore it from a backup; `ticketd check --full` lists the damage"
    );
    StoreError::Damaged(message)
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        match err {
            sqlx::migrate::MigrateError::Execute(inner) => inner.into(),
            other => StoreError::Other(other.to_string()),
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
