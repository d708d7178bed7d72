//! SQLite through connections `ticketd` owns (rusqlite): a statement runs
//! on the thread of the request that needs it. sqlx's SQLite driver hands
//! every statement to a worker thread and its rows back, and at 64 clients
//! those thread switches were half the server's time (BENCHMARKS.md,
//! "Speed against the old service").
//!
//! What may wait runs off the request's thread: opening a connection,
//! `BEGIN IMMEDIATE` (it waits for another process's write lock) and
//! `COMMIT` (the fsync) in the writer ([`super::writer`]), and a list's
//! statements, whose cost a filter can make large ([`unbounded`]). A keyed
//! statement is an index lookup on pages in memory, cheaper than a hand-off.

use std::path::PathBuf;
use std::time::Duration;

use deadpool::managed::{self, Metrics, Pool, RecycleError, RecycleResult};
use rusqlite::types::{FromSql, ValueRef};
use rusqlite::{Connection, OpenFlags, Row};
use shared::{ArtifactType, EventKind, Role, Status, Step};

use super::{Detail, SqlValue, StoreError};

/// How each connection to the database file is opened.
#[derive(Debug, Clone)]
pub(super) struct SqliteFile {
    pub path: PathBuf,
    /// How long a statement waits on a lock held by another process.
    pub busy_timeout: Duration,
    /// The page cache of each reader, in KiB.
    pub reader_cache_kib: u32,
    /// Rows SQLite's ANALYZE samples per index (the writer's statistics).
    pub analysis_limit: u32,
}

/// Statements each connection keeps prepared: a list's filters and orders
/// make a few dozen distinct statements, each prepared once.
const STATEMENT_CACHE: usize = 128;

impl SqliteFile {
    /// The writing connection: creates the file if missing, WAL,
    /// `synchronous=FULL` (a commit is on disk before it returns).
    pub fn open_writer(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(self.busy_timeout)?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA analysis_limit = {};",
            self.analysis_limit
        ))?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    /// A reading connection: read-only, with a small page cache.
    pub fn open_reader(&self) -> Result<Connection, StoreError> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(self.busy_timeout)?;
        conn.execute_batch(&format!("PRAGMA cache_size = -{};", self.reader_cache_kib))?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }
}

/// Opens and recycles the readers of [`Readers`].
#[derive(Debug)]
pub(super) struct ReaderManager(SqliteFile);

impl managed::Manager for ReaderManager {
    type Type = Connection;
    type Error = StoreError;

    async fn create(&self) -> Result<Connection, StoreError> {
        // Opening reads the schema, and may wait for another process to
        // recover the WAL.
        let file = self.0.clone();
        tokio::task::spawn_blocking(move || file.open_reader())
            .await
            .map_err(|e| {
                StoreError::Unavailable(Detail::caused_by(
                    format!("opening a reader failed: {e}"),
                    e,
                ))
            })?
    }

    async fn recycle(&self, conn: &mut Connection, _: &Metrics) -> RecycleResult<StoreError> {
        // A read dropped before its end leaves its snapshot open.
        if !conn.is_autocommit() {
            conn.execute_batch("ROLLBACK")
                .map_err(|e| RecycleError::Backend(e.into()))?;
        }
        Ok(())
    }
}

/// The pool of reading connections.
pub(super) type Readers = Pool<ReaderManager>;
/// One reading connection, back in the pool when dropped.
pub(super) type Reader = managed::Object<ReaderManager>;

/// Up to `max` readers, each waited for at most `acquire_timeout`; a reader
/// idle for `idle_timeout` is closed and gives its page cache back.
pub(super) fn readers(
    file: SqliteFile,
    max: usize,
    acquire_timeout: Duration,
    idle_timeout: Duration,
) -> Result<Readers, StoreError> {
    let pool = Pool::builder(ReaderManager(file))
        .max_size(max.max(1))
        .wait_timeout(Some(acquire_timeout))
        .create_timeout(Some(acquire_timeout))
        .runtime(deadpool::Runtime::Tokio1)
        // The most recently used reader first: its cache is warm, and the
        // others go idle and are closed.
        .queue_mode(deadpool::managed::QueueMode::Lifo)
        .build()
        .map_err(|e| StoreError::Other(Detail::caused_by(format!("reader pool: {e}"), e)))?;
    tokio::spawn(close_idle_readers(pool.weak(), idle_timeout));
    Ok(pool)
}

/// Close the readers idle for `idle_timeout`, until the pool is gone.
async fn close_idle_readers(pool: managed::WeakPool<ReaderManager>, idle_timeout: Duration) {
    let mut tick = tokio::time::interval(idle_timeout / 2);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some(pool) = pool.upgrade() else { return };
        // Closed on this thread: closing a reader frees memory, no I/O.
        pool.retain(|_, metrics| metrics.last_used() < idle_timeout);
    }
}

/// A reader from the pool.
pub(super) async fn acquire(readers: &Readers) -> Result<Reader, StoreError> {
    readers.get().await.map_err(|err| match err {
        managed::PoolError::Backend(err) => err,
        managed::PoolError::Timeout(_) => {
            StoreError::Unavailable("no database connection came free in time".into())
        }
        other => StoreError::Unavailable(Detail::caused_by(other.to_string(), other)),
    })
}

/// Run `work`, which may take long (a list's statements), where it does
/// not hold up other requests: on the multi-threaded runtime, tokio hands
/// this thread's other tasks to another thread first.
pub(super) fn unbounded<T>(work: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

/// Prepare `sql` (once per connection), bind `values` to its `$1`, `$2`…
/// and call `each` on its rows until it returns `false`.
pub(super) fn for_each_row(
    conn: &Connection,
    sql: &str,
    values: &[SqlValue],
    mut each: impl FnMut(&Row<'_>) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let count = statement.parameter_count();
    let in_order = placeholders_in_order(sql) == Some(count);
    for index in 1..=count {
        let number = if in_order {
            Some(index)
        } else {
            statement
                .parameter_name(index)
                .and_then(|name| name.strip_prefix('$'))
                .and_then(|n| n.parse::<usize>().ok())
        };
        let value = number
            .and_then(|n| values.get(n.checked_sub(1)?))
            .ok_or_else(|| {
                StoreError::Other(format!("parameter {index} of a statement has no value").into())
            })?;
        bind(&mut statement, index, value)?;
    }
    let mut rows = statement.raw_query();
    while let Some(row) = rows.next()? {
        if !each(row)? {
            break;
        }
    }
    Ok(())
}

/// How many `$N` placeholders `sql` has, if they first appear as `$1`,
/// `$2`, `$3`… in that order (each may appear again later); `None` if not.
/// SQLite numbers named parameters in the order they first appear, so then
/// parameter N is `$N` and [`for_each_row`] need not ask SQLite for names:
/// SQLite finds a name by a linear search, which made binding a bundle's
/// multi-row INSERT (up to 5,000 values) quadratic. Quoted text is skipped.
fn placeholders_in_order(sql: &str) -> Option<usize> {
    let bytes = sql.as_bytes();
    let mut seen = 0;
    let mut quote = None;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        i += 1;
        match quote {
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None if byte == b'\'' || byte == b'"' => quote = Some(byte),
            None if byte == b'$' => {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                let number: usize = sql.get(start..i)?.parse().ok()?;
                if number == seen + 1 {
                    seen = number;
                } else if number == 0 || number > seen {
                    return None;
                }
            }
            None => {}
        }
    }
    Some(seen)
}

fn bind(
    statement: &mut rusqlite::CachedStatement<'_>,
    index: usize,
    value: &SqlValue,
) -> Result<(), StoreError> {
    match value {
        SqlValue::Int(v) => statement.raw_bind_parameter(index, v)?,
        SqlValue::Text(v) => statement.raw_bind_parameter(index, v)?,
        SqlValue::Bool(v) => statement.raw_bind_parameter(index, v)?,
    }
    Ok(())
}

/// Run a statement; the rows it changed.
pub(super) fn execute(
    conn: &Connection,
    sql: &str,
    values: &[SqlValue],
) -> Result<u64, StoreError> {
    for_each_row(conn, sql, values, |_| Ok(true))?;
    Ok(conn.changes())
}

/// A row type read from SQLite.
pub trait FromSqlite: Sized {
    fn from_sqlite(row: &Row<'_>) -> Result<Self, StoreError>;
}

/// A column's value as the field type of a row struct.
pub(super) trait Column: Sized {
    fn read(row: &Row<'_>, name: &str) -> Result<Self, StoreError>;
}

fn read_as<S: FromSql>(row: &Row<'_>, name: &str) -> Result<S, StoreError> {
    row.get(name)
        .map_err(|e| StoreError::Other(Detail::caused_by(format!("column `{name}`: {e}"), e)))
}

macro_rules! column_as_stored {
    ($($ty:ty),*) => {$(
        impl Column for $ty {
            fn read(row: &Row<'_>, name: &str) -> Result<Self, StoreError> {
                read_as(row, name)
            }
        }
    )*};
}
column_as_stored!(i64, Option<i64>, String, Option<String>, bool);

/// Codes and names stored as one type and converted (`Step` from its
/// integer code, `Role` from its name).
macro_rules! column_converted {
    ($($ty:ty: $stored:ty),*) => {$(
        impl Column for $ty {
            fn read(row: &Row<'_>, name: &str) -> Result<Self, StoreError> {
                <$ty>::try_from(read_as::<$stored>(row, name)?)
                    .map_err(|e| StoreError::Other(format!("column `{name}`: {e}").into()))
            }
        }
    )*};
}
column_converted!(Step: i64, Status: i64, ArtifactType: String, EventKind: String, Role: String);

/// The first column of a row as a count.
pub(super) fn first_integer(row: &Row<'_>) -> Result<i64, StoreError> {
    match row.get_ref(0)? {
        ValueRef::Integer(n) => Ok(n),
        other => Err(StoreError::Other(
            format!("expected an integer, found {:?}", other.data_type()).into(),
        )),
    }
}

/// `impl FromSqlite` for a row struct: each field read from the column of
/// its name, or of the name given with `as`.
macro_rules! from_sqlite {
    ($row:ident { $($field:ident $(as $column:literal)?),* $(,)? }) => {
        impl $crate::store::sqlite::FromSqlite for $row {
            fn from_sqlite(
                row: &rusqlite::Row<'_>,
            ) -> Result<Self, $crate::store::StoreError> {
                use $crate::store::sqlite::Column;
                Ok($row {
                    $($field: Column::read(row, from_sqlite!(@column $field $($column)?))?,)*
                })
            }
        }
    };
    (@column $field:ident $column:literal) => { $column };
    (@column $field:ident) => { stringify!($field) };
}
pub(super) use from_sqlite;

#[cfg(test)]
mod tests {
    use super::*;

    /// The values a one-row `SELECT` of `sql` gives back, as text.
    fn selected(sql: &str, values: &[SqlValue]) -> Vec<String> {
        let conn = Connection::open_in_memory().expect("an in-memory database");
        let mut row = Vec::new();
        for_each_row(&conn, sql, values, |r| {
            for i in 0..r.as_ref().column_count() {
                row.push(r.get::<_, String>(i)?);
            }
            Ok(false)
        })
        .expect("the statement runs");
        row
    }

    fn texts(values: &[&str]) -> Vec<SqlValue> {
        values
            .iter()
            .map(|v| SqlValue::Text(Some(v.to_string())))
            .collect()
    }

    #[test]
    fn placeholders_are_in_order_only_when_each_first_appears_after_the_one_before() {
        assert_eq!(placeholders_in_order("SELECT 1"), Some(0));
        assert_eq!(placeholders_in_order("VALUES ($1, $2), ($3, $4)"), Some(4));
        assert_eq!(placeholders_in_order("SELECT $1, $2 WHERE $1"), Some(2));
        assert_eq!(placeholders_in_order("SELECT $2, $1"), None);
        assert_eq!(placeholders_in_order("SELECT $1, $3"), None);
        assert_eq!(placeholders_in_order("SELECT $0"), None);
        assert_eq!(placeholders_in_order("SELECT '$9', $1"), Some(1));
        assert_eq!(placeholders_in_order(r#"SELECT "a$7", $1"#), Some(1));
    }

    #[test]
    fn every_placeholder_gets_the_value_of_its_number_in_or_out_of_order() {
        let abc = texts(&["a", "b", "c"]);
        assert_eq!(selected("SELECT $1, $2, $3", &abc), ["a", "b", "c"]);
        assert_eq!(selected("SELECT $1, $2, $1", &abc), ["a", "b", "a"]);
        assert_eq!(selected("SELECT $3, $1, $2", &abc), ["c", "a", "b"]);
        assert_eq!(selected("SELECT '$2', $2", &abc), ["$2", "b"]);
        let many: Vec<String> = (1..=5000).map(|n| n.to_string()).collect();
        let values = texts(&many.iter().map(String::as_str).collect::<Vec<_>>());
        // A bundle's INSERT: 1,000 rows of five values (past SQLite's
        // 2,000 columns of a result, so rows of a VALUES, joined again).
        let rows: Vec<String> = (0..1000)
            .map(|r| {
                let row: Vec<String> = (1..=5).map(|c| format!("${}", r * 5 + c)).collect();
                format!("({})", row.join(", "))
            })
            .collect();
        let sql = format!(
            "WITH v(a, b, c, d, e) AS (VALUES {}) \
             SELECT group_concat(a || ',' || b || ',' || c || ',' || d || ',' || e, ',') FROM v",
            rows.join(", ")
        );
        assert_eq!(selected(&sql, &values), [many.join(",")]);
    }
}
