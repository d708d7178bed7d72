//! [`Tx`]: a transaction on either backend, and the few generic helpers
//! every store function is written with, so that each query has one code
//! path. Placeholders are `$1`, `$2`… on both backends.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, Postgres, Transaction};
use tokio::sync::Notify;

use super::sqlite::{self, FromSqlite, Reader};
use super::writer::WriteSlot;
use super::{Dialect, SqlValue, StoreError};

/// `$first, $first+1, …` for `n` values: the inside of an `IN (…)`.
pub(super) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A row type that decodes from both backends.
pub trait AnyRow: for<'r> FromRow<'r, PgRow> + FromSqlite + Send + Unpin {}
impl<T> AnyRow for T where T: for<'r> FromRow<'r, PgRow> + FromSqlite + Send + Unpin {}

/// The one row a single-row insert gave back.
pub(super) fn only<R>(rows: Vec<R>) -> Result<R, StoreError> {
    let mut rows = rows.into_iter();
    match (rows.next(), rows.next()) {
        (Some(row), None) => Ok(row),
        _ => Err(StoreError::Other(
            "a single-row insert did not give back one row".into(),
        )),
    }
}

/// The row tuples of a multi-row `VALUES`: `rows` tuples of `columns`
/// placeholders each, numbered from `$1` in row order (`($1, $2), ($3, $4)`).
/// The store's one builder of them: its statements run from one SQL text on
/// both backends (PostgreSQL through sqlx, SQLite through rusqlite), which
/// `sqlx::QueryBuilder`, bound to one sqlx database, cannot give.
pub(super) fn values_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| format!("({})", placeholders(row * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How PostgreSQL plans a list's statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Planning {
    /// Prepared once per connection and kept: no parse and describe round
    /// trip per request, and after five runs PostgreSQL may settle on one
    /// generic plan for every value. Right for statements whose best plan
    /// does not depend on the values (a page of ids, a counter's row).
    Cached,
    /// Planned for these values each time: a generic plan cannot use an
    /// index for `LIKE $1`, nor pick a plan by how common a value is.
    PerRequest,
}

/// A row with an `id`, for putting inserted rows back in order.
pub trait HasId {
    fn id(&self) -> i64;
}

/// A transaction on one backend. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    conn: Conn,
    /// Where each statement's text is noted, when the store keeps a log.
    log: Option<Arc<StatementLog>>,
    /// The store's commit wake-up ([`super::Store::committed`]).
    committed: Arc<Notify>,
}

/// The connection a [`Tx`] runs on, and in what.
pub(super) enum Conn {
    /// A read on one of SQLite's reader connections, in a transaction
    /// begun by [`Conn::sqlite_read`].
    SqliteRead(Reader),
    /// One statement on a reader connection, outside a transaction (see
    /// [`super::Store::read_one`]).
    SqliteOne(Reader),
    /// A write on SQLite: a savepoint in the writer's group-commit batch.
    SqliteWrite(WriteSlot),
    Postgres {
        tx: Transaction<'static, Postgres>,
        /// Whether this transaction already holds the event-order lock.
        event_lock: bool,
    },
    /// One statement outside a transaction.
    PostgresOne(PoolConnection<Postgres>),
}

impl Conn {
    /// A PostgreSQL transaction that does not hold the event-order lock yet.
    pub(super) fn postgres(tx: Transaction<'static, Postgres>) -> Conn {
        Conn::Postgres {
            tx,
            event_lock: false,
        }
    }

    /// A read transaction on an SQLite reader: one snapshot for all its
    /// statements. A reader given back with it still open rolls it back
    /// (see `sqlite::ReaderManager`).
    pub(super) fn sqlite_read(reader: Reader) -> Result<Conn, StoreError> {
        reader.execute_batch("BEGIN")?;
        Ok(Conn::SqliteRead(reader))
    }
}

/// The distinct statements a store has run, for the test that checks the
/// plan of each one (see [`super::Store::log_statements`]).
#[derive(Debug, Default)]
pub struct StatementLog {
    seen: Mutex<BTreeSet<String>>,
}

impl StatementLog {
    fn note(&self, sql: &str) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if !seen.contains(sql) {
            seen.insert(sql.to_owned());
        }
    }

    /// Every statement run since the log was started, in text order.
    pub fn statements(&self) -> Vec<String> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.iter().cloned().collect()
    }
}

/// Bind every value in order to a PostgreSQL query.
macro_rules! bind_all {
    ($q:expr, $values:expr) => {{
        let mut q = $q;
        for value in $values {
            q = match value {
                SqlValue::Int(v) => q.bind(*v),
                SqlValue::Text(v) => q.bind(v.clone()),
                SqlValue::Bool(v) => q.bind(*v),
            };
        }
        q
    }};
}

impl Tx {
    pub(super) fn new(conn: Conn, log: Option<Arc<StatementLog>>, committed: Arc<Notify>) -> Tx {
        Tx {
            conn,
            log,
            committed,
        }
    }

    /// Note `sql` in the store's statement log, if it keeps one.
    pub(super) fn note(&self, sql: &str) {
        if let Some(log) = &self.log {
            log.note(sql);
        }
    }

    /// The backend's dialect.
    pub fn dialect(&self) -> Dialect {
        match self.conn {
            Conn::SqliteRead(_) | Conn::SqliteOne(_) | Conn::SqliteWrite(_) => Dialect::Sqlite,
            Conn::Postgres { .. } | Conn::PostgresOne(_) => Dialect::Postgres,
        }
    }

    /// ` FOR UPDATE` where row locks exist (PostgreSQL); SQLite's single
    /// writer already serializes write transactions.
    pub(super) fn for_update(&self) -> &'static str {
        match self.dialect() {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// Make the whole transaction durable.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self.conn {
            Conn::SqliteRead(reader) => reader.execute_batch("COMMIT")?,
            Conn::SqliteWrite(slot) => {
                slot.commit().await?;
                self.committed.notify_one();
            }
            Conn::Postgres { tx, .. } => {
                tx.commit().await?;
                self.committed.notify_one();
            }
            // Each statement committed itself.
            Conn::SqliteOne(_) | Conn::PostgresOne(_) => {}
        }
        Ok(())
    }

    /// Run `work` on the SQLite connection, if this is SQLite. A write
    /// that finds the database unavailable or damaged spoils its batch:
    /// the writer rolls it back and reconnects before the next write.
    pub(super) fn on_sqlite<T>(
        &mut self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Option<Result<T, StoreError>> {
        match &mut self.conn {
            Conn::SqliteRead(reader) | Conn::SqliteOne(reader) => Some(work(reader)),
            Conn::SqliteWrite(slot) => {
                let result = slot.conn().and_then(|conn| work(conn));
                if let Err(StoreError::Unavailable(_) | StoreError::Damaged(_)) = &result {
                    slot.poison();
                }
                Some(result)
            }
            Conn::Postgres { .. } | Conn::PostgresOne(_) => None,
        }
    }

    /// The PostgreSQL connection (only called once [`Tx::on_sqlite`]
    /// found none).
    pub(super) fn postgres(&mut self) -> Result<&mut PgConnection, StoreError> {
        match &mut self.conn {
            Conn::Postgres { tx, .. } => Ok(&mut **tx),
            Conn::PostgresOne(conn) => Ok(&mut **conn),
            _ => Err(StoreError::Other("not a PostgreSQL connection".into())),
        }
    }

    pub(super) async fn fetch_all<R: AnyRow>(
        &mut self,
        sql: &str,
        values: &[SqlValue],
    ) -> Result<Vec<R>, StoreError> {
        self.fetch_rows(sql, values, false).await
    }

    /// The rows of a query, or only its first one.
    async fn fetch_rows<R: AnyRow>(
        &mut self,
        sql: &str,
        values: &[SqlValue],
        first_only: bool,
    ) -> Result<Vec<R>, StoreError> {
        self.note(sql);
        if let Some(rows) = self.on_sqlite(|conn| {
            let mut rows = Vec::new();
            sqlite::for_each_row(conn, sql, values, |row| {
                rows.push(R::from_sqlite(row)?);
                Ok(!first_only)
            })?;
            Ok(rows)
        }) {
            return rows;
        }
        let conn = self.postgres()?;
        let query = bind_all!(sqlx::query_as::<_, R>(sql), values);
        Ok(if first_only {
            query.fetch_optional(conn).await?.into_iter().collect()
        } else {
            query.fetch_all(conn).await?
        })
    }

    /// Rows of a query with a `row_weight` column, read one at a time until
    /// their weights (plus `overhead` each) pass `budget`: the row that
    /// passes it is the last one kept, so at least one is.
    pub(super) async fn fetch_weighed<R: AnyRow>(
        &mut self,
        sql: &str,
        values: &[SqlValue],
        budget: i64,
        overhead: i64,
        planning: Planning,
    ) -> Result<Vec<R>, StoreError> {
        self.note(sql);
        let mut rows = Vec::new();
        let mut used: i64 = 0;
        let mut weigh = |weight: i64| {
            used = used.saturating_add(weight.saturating_add(overhead));
            used < budget
        };
        if let Some(done) = self.on_sqlite(|conn| {
            sqlite::unbounded(|| {
                sqlite::for_each_row(conn, sql, values, |row| {
                    let weight: i64 = row.get("row_weight")?;
                    rows.push(R::from_sqlite(row)?);
                    Ok(weigh(weight))
                })
            })
        }) {
            done?;
            return Ok(rows);
        }
        use futures_util::TryStreamExt;
        use sqlx::Row;
        let conn = self.postgres()?;
        let query = sqlx::query(sql).persistent(planning == Planning::Cached);
        let mut stream = bind_all!(query, values).fetch(conn);
        while let Some(row) = stream.try_next().await? {
            let weight: i64 = row.try_get("row_weight")?;
            rows.push(R::from_row(&row)?);
            if !weigh(weight) {
                break;
            }
        }
        Ok(rows)
    }

    /// One `BIGINT` (a count).
    pub(super) async fn scalar(
        &mut self,
        sql: &str,
        values: &[SqlValue],
        planning: Planning,
    ) -> Result<i64, StoreError> {
        self.note(sql);
        if let Some(count) = self.on_sqlite(|conn| {
            sqlite::unbounded(|| {
                let mut count = None;
                sqlite::for_each_row(conn, sql, values, |row| {
                    count = Some(sqlite::first_integer(row)?);
                    Ok(false)
                })?;
                count.ok_or(StoreError::NotFound)
            })
        }) {
            return count;
        }
        let conn = self.postgres()?;
        Ok(bind_all!(
            sqlx::query_scalar::<_, i64>(sql).persistent(planning == Planning::Cached),
            values
        )
        .fetch_one(conn)
        .await?)
    }

    pub(super) async fn fetch_optional<R: AnyRow>(
        &mut self,
        sql: &str,
        values: &[SqlValue],
    ) -> Result<Option<R>, StoreError> {
        Ok(self.fetch_rows(sql, values, true).await?.into_iter().next())
    }

    pub(super) async fn fetch_one<R: AnyRow>(
        &mut self,
        sql: &str,
        values: &[SqlValue],
    ) -> Result<R, StoreError> {
        self.fetch_optional(sql, values)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Run a statement; the number of rows it touched.
    pub(super) async fn execute(
        &mut self,
        sql: &str,
        values: &[SqlValue],
    ) -> Result<u64, StoreError> {
        self.note(sql);
        if let Some(changed) = self.on_sqlite(|conn| sqlite::execute(conn, sql, values)) {
            return changed;
        }
        let conn = self.postgres()?;
        Ok(bind_all!(sqlx::query(sql), values)
            .execute(conn)
            .await?
            .rows_affected())
    }

    /// Insert rows of `columns` values each (`values` row after row) into
    /// `target` (`table (col, ...)`), many rows per statement: one round
    /// trip for a bundle's artifacts or history instead of one per row.
    /// The rows inserted, in the order given (ids are assigned in `VALUES`
    /// order on both backends; `RETURNING` order is not promised, so the
    /// rows are sorted by id).
    pub(super) async fn insert_many<R: AnyRow + HasId>(
        &mut self,
        target: &str,
        columns: usize,
        values: &[SqlValue],
    ) -> Result<Vec<R>, StoreError> {
        self.insert_many_after(None, target, columns, values).await
    }

    /// [`Tx::insert_many`], each statement first reading `lock` (a
    /// `SELECT` of one row, such as an advisory lock's) in the same round
    /// trip: the rows are produced by a join with it, so it runs before
    /// the first row is inserted.
    pub(super) async fn insert_many_after<R: AnyRow + HasId>(
        &mut self,
        lock: Option<&str>,
        target: &str,
        columns: usize,
        values: &[SqlValue],
    ) -> Result<Vec<R>, StoreError> {
        let mut inserted = Vec::with_capacity(values.len() / columns.max(1));
        // Well under SQLite's bound of 32,766 values per statement.
        const MAX_VALUES: usize = 5000;
        let rows_per_statement = (MAX_VALUES / columns.max(1)).max(1);
        for chunk in values.chunks(rows_per_statement * columns.max(1)) {
            let rows = values_rows(chunk.len() / columns.max(1), columns);
            let sql = match lock {
                None => format!("INSERT INTO {target} VALUES {rows} RETURNING *"),
                Some(lock) => format!(
                    "WITH taken AS ({lock}) INSERT INTO {target} \
                     SELECT v.* FROM taken, (VALUES {rows}) AS v RETURNING *"
                ),
            };
            let mut rows: Vec<R> = self.fetch_all(&sql, chunk).await?;
            rows.sort_by_key(HasId::id);
            inserted.extend(rows);
        }
        Ok(inserted)
    }

    /// The statement that announces an event insert, where one is needed
    /// and not yet made in this transaction (PostgreSQL): writers share the
    /// event-order lock until they commit, so they still commit side by
    /// side (and PostgreSQL flushes their commits together), while a reader
    /// of the history waits for them all ([`Tx::wait_for_event_writers`]).
    /// SQLite's single writer orders events by itself.
    pub(super) fn event_order_lock(&mut self) -> Option<String> {
        match &mut self.conn {
            Conn::Postgres { event_lock, .. } if !*event_lock => {
                *event_lock = true;
                // The notification wakes the live feed of every ticketd on
                // this database at commit (`crate::feed`); PostgreSQL sends
                // one per transaction, and none if it rolls back.
                Some(format!(
                    "SELECT pg_advisory_xact_lock_shared({EVENT_ORDER_LOCK}), \
                     pg_notify('{EVENTS_CHANNEL}', '')"
                ))
            }
            _ => None,
        }
    }

    /// On PostgreSQL, wait until every transaction that has inserted events
    /// has ended, and keep new ones from inserting until this one ends. A
    /// sequence hands out ids before their transactions commit, so a commit
    /// can make an id visible after a larger one: a reader that went on
    /// from the larger id (`event/?id__gt=`) would skip it for ever. Taken
    /// first in a READ COMMITTED transaction, each later statement sees
    /// every event up to the newest id, and the same ones.
    pub(super) async fn wait_for_event_writers(&mut self) -> Result<(), StoreError> {
        if let Conn::Postgres { tx, .. } = &mut self.conn {
            sqlx::query(&format!("SELECT pg_advisory_xact_lock({EVENT_ORDER_LOCK})"))
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }
}

/// The advisory lock key of the event order: an arbitrary constant.
const EVENT_ORDER_LOCK: i64 = 8152734601;

/// The PostgreSQL channel that announces new events.
pub(super) const EVENTS_CHANNEL: &str = "ticketd_events";

#[cfg(test)]
mod tests {
    use super::values_rows;

    #[test]
    fn values_rows_number_placeholders_row_after_row() {
        assert_eq!(values_rows(1, 2), "($1, $2)");
        assert_eq!(values_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
