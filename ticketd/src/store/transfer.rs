//! Every row of the database as plain values, for `ticketd export` and
//! `ticketd import` (docs/operations.md, "Export and import"): the tables
//! that hold data, in an order that satisfies their foreign keys, each
//! read in pages by its key and written back many rows per statement.
//!
//! The tables derived from these are not carried: `row_count` is kept by
//! the triggers as rows are inserted, `readiness_probe` is rewritten by
//! every `/readyz`, and `_sqlx_migrations` is made by the import's own
//! migration.

use super::list_query::params;
use super::sqlite;
use super::transaction::{Tx, values_rows};
use super::{Dialect, SqlValue, StoreError};

/// How a column is stored and carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    OptInt,
    Text,
    OptText,
    Bool,
}

impl Kind {
    /// Whether the column may be NULL (and so left out of an older dump).
    pub fn nullable(self) -> bool {
        matches!(self, Kind::OptInt | Kind::OptText)
    }

    /// What the column takes, for error messages.
    pub fn expected(self) -> &'static str {
        match self {
            Kind::Int => "an integer",
            Kind::OptInt => "an integer or null",
            Kind::Text => "a string",
            Kind::OptText => "a string or null",
            Kind::Bool => "true or false",
        }
    }
}

/// A column of a carried table.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// A carried table: its columns in the order a record lists them; the
/// first is the key it is paged by.
#[derive(Debug)]
pub struct Carried {
    pub name: &'static str,
    pub columns: &'static [Column],
}

impl Carried {
    fn key(&self) -> &'static Column {
        &self.columns[0]
    }

    /// Whether its key is an id that a sequence hands out.
    fn has_sequence(&self) -> bool {
        self.key().kind == Kind::Int
    }

    fn column_list(&self) -> String {
        self.columns
            .iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The carried table of this name.
pub fn carried(name: &str) -> Option<&'static Carried> {
    CARRIED.iter().find(|t| t.name == name)
}

const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

use Kind::*;

/// Every table that holds data, parents before children.
pub static CARRIED: [Carried; 11] = [
    Carried {
        name: "sourcepackage",
        columns: &[col("id", Int), col("name", Text), col("created", Int)],
    },
    Carried {
        name: "binarypackage",
        columns: &[
            col("id", Int),
            col("name", Text),
            col("sourcepackage_id", Int),
            col("version", Text),
            col("seeded", Bool),
            col("created", Int),
        ],
    },
    Carried {
        name: "spu",
        columns: &[
            col("id", Int),
            col("sourcepackage_id", Int),
            col("version", Text),
            col("created", Int),
        ],
    },
    Carried {
        name: "person",
        columns: &[
            col("id", Int),
            col("name", Text),
            col("email", Text),
            col("is_team", Bool),
            col("created", Int),
        ],
    },
    Carried {
        name: "ticket",
        columns: &[
            col("id", Int),
            col("title", Text),
            col("description", Text),
            col("owner", Text),
            col("bug_id", OptText),
            col("ppa", OptText),
            col("base_image", OptText),
            col("refs", Text),
            col("current_workflow_step", Int),
            col("status", Int),
            col("failed_step", OptInt),
            col("failed_subticket_id", OptInt),
            col("failure_message", OptText),
            col("created", Int),
            col("updated", Int),
            col("in_step_since", Int),
        ],
    },
    Carried {
        name: "subticket",
        columns: &[
            col("id", Int),
            col("ticket_id", Int),
            col("spu_id", Int),
            col("assignee", Text),
            col("current_workflow_step", Int),
            col("status", Int),
            col("failed_step", OptInt),
            col("failure_message", OptText),
            col("created", Int),
            col("updated", Int),
        ],
    },
    Carried {
        name: "ticketartifact",
        columns: &[
            col("id", Int),
            col("ticket_id", Int),
            col("name", Text),
            col("reference", Text),
            col("type", Text),
            col("created", Int),
        ],
    },
    Carried {
        name: "subticketartifact",
        columns: &[
            col("id", Int),
            col("subticket_id", Int),
            col("name", Text),
            col("reference", Text),
            col("type", Text),
            col("created", Int),
        ],
    },
    Carried {
        name: "event",
        columns: &[
            col("id", Int),
            col("ticket_id", Int),
            col("subticket_id", OptInt),
            col("kind", Text),
            col("from_step", OptInt),
            col("from_status", OptInt),
            col("to_step", OptInt),
            col("to_status", OptInt),
            col("message", OptText),
            col("actor", OptText),
            col("created", Int),
        ],
    },
    Carried {
        name: "idempotency_key",
        columns: &[
            col("scoped_key", Text),
            col("request_hash", Text),
            col("ticket_id", Int),
            col("response", Text),
            col("created", Int),
        ],
    },
    // Hashes only: a token's secret is never stored.
    Carried {
        name: "api_token",
        columns: &[
            col("id", Int),
            col("name", Text),
            col("role", Text),
            col("token_hash", Text),
            col("created", Int),
            col("revoked", OptInt),
            col("owner", OptText),
            col("expires", OptInt),
            col("last_used", OptInt),
            col("rotated", OptInt),
        ],
    },
];

/// The SQLite writer's page cache during a load, in KiB (512 MiB, as
/// `loadgen seed-db` uses): at most this much memory, used only as the
/// database is that large.
const LOAD_CACHE_KIB: u32 = 512 * 1024;

/// Values per multi-row `INSERT`: under SQLite's bound of 32,766.
const MAX_VALUES: usize = 30_000;

/// Rows a load statement inserts at most, for a table of `columns`.
pub fn rows_per_insert(table: &Carried) -> usize {
    (MAX_VALUES / table.columns.len()).max(1)
}

impl Tx {
    /// Up to `limit` rows of `table` after the key `after` (from the first
    /// without one), in key order: byte order for a text key on both
    /// backends, so that both export the same rows in the same order.
    pub async fn carried_page(
        &mut self,
        table: &Carried,
        after: Option<&SqlValue>,
        limit: usize,
    ) -> Result<Vec<Vec<SqlValue>>, StoreError> {
        let key = match (self.dialect(), table.key().kind) {
            (Dialect::Postgres, Kind::Text) => format!("{} COLLATE \"C\"", table.key().name),
            _ => table.key().name.to_string(),
        };
        let filter = if after.is_some() {
            format!("WHERE {key} > $1 ")
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT {} FROM {} {filter}ORDER BY {key} LIMIT {limit}",
            table.column_list(),
            table.name
        );
        let values: Vec<SqlValue> = after.cloned().into_iter().collect();
        self.note(&sql);
        let mut rows = Vec::with_capacity(limit);
        if let Some(done) = self.on_sqlite(|conn| {
            sqlite::unbounded(|| {
                sqlite::for_each_row(conn, &sql, &values, |row| {
                    rows.push(sqlite_values(table, row)?);
                    Ok(true)
                })
            })
        }) {
            done?;
            return Ok(rows);
        }
        use futures_util::TryStreamExt;
        let conn = self.postgres()?;
        let mut query = sqlx::query(&sql);
        if let Some(after) = after {
            query = match after {
                SqlValue::Int(v) => query.bind(*v),
                SqlValue::Text(v) => query.bind(v.clone()),
                SqlValue::Bool(v) => query.bind(*v),
            };
        }
        let mut stream = query.fetch(conn);
        while let Some(row) = stream.try_next().await? {
            rows.push(postgres_values(table, &row)?);
        }
        Ok(rows)
    }

    /// The carried tables that hold a row, for refusing to import into them.
    pub async fn occupied_tables(&mut self) -> Result<Vec<&'static str>, StoreError> {
        let mut occupied = Vec::new();
        for table in &CARRIED {
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM {} LIMIT 1) AS any_row",
                table.name
            );
            if self
                .scalar(&sql, &[], super::transaction::Planning::PerRequest)
                .await?
                > 0
            {
                occupied.push(table.name);
            }
        }
        Ok(occupied)
    }

    /// Before a load on SQLite: a page cache of [`LOAD_CACHE_KIB`] for the
    /// writer. A load inserts into every index of every table in one
    /// transaction; with the default 2 MiB cache each insert into an index
    /// whose keys do not come in id order (a title, an owner) reads its
    /// pages back from disk, and a million tickets took over a quarter of
    /// an hour instead of minutes. The process ends after the load, so the
    /// cache goes with it.
    pub async fn begin_load(&mut self) -> Result<(), StoreError> {
        if self.dialect() == Dialect::Sqlite {
            self.execute(&format!("PRAGMA cache_size = -{LOAD_CACHE_KIB}"), &[])
                .await?;
        }
        Ok(())
    }

    /// Insert rows of `table` (`values` row after row, in its column order),
    /// many per statement.
    pub async fn load_rows(
        &mut self,
        table: &Carried,
        values: &[SqlValue],
    ) -> Result<(), StoreError> {
        let columns = table.columns.len();
        for chunk in values.chunks(rows_per_insert(table) * columns) {
            let sql = format!(
                "INSERT INTO {} ({}) VALUES {}",
                table.name,
                table.column_list(),
                values_rows(chunk.len() / columns, columns)
            );
            // `$1`, `$2`… in order: SQLite binds them by position, without
            // the name lookups that would make this quadratic
            // (`sqlite::placeholders_in_order`).
            self.execute(&sql, chunk).await?;
        }
        Ok(())
    }

    /// After a load: on PostgreSQL, set each table's id sequence past the
    /// largest id loaded, so that new rows do not collide with them.
    /// SQLite's AUTOINCREMENT follows the largest id inserted by itself.
    pub async fn finish_load(&mut self) -> Result<(), StoreError> {
        if self.dialect() != Dialect::Postgres {
            return Ok(());
        }
        for table in CARRIED.iter().filter(|t| t.has_sequence()) {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence($1, 'id'), max(id)) FROM {} \
                 HAVING max(id) IS NOT NULL",
                table.name
            );
            self.execute(&sql, &params![table.name]).await?;
        }
        Ok(())
    }
}

/// A row read from SQLite as the values of `table`'s columns.
fn sqlite_values(table: &Carried, row: &rusqlite::Row<'_>) -> Result<Vec<SqlValue>, StoreError> {
    use rusqlite::types::ValueRef;
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        let value = row.get_ref(i)?;
        values.push(match (column.kind, value) {
            (Kind::Int | Kind::OptInt, ValueRef::Integer(n)) => SqlValue::Int(Some(n)),
            (Kind::OptInt, ValueRef::Null) => SqlValue::Int(None),
            (Kind::Text | Kind::OptText, ValueRef::Text(text)) => SqlValue::Text(Some(
                std::str::from_utf8(text)
                    .map_err(|e| unexpected(table, column, &format!("text not UTF-8: {e}")))?
                    .to_string(),
            )),
            (Kind::OptText, ValueRef::Null) => SqlValue::Text(None),
            (Kind::Bool, ValueRef::Integer(n)) => SqlValue::Bool(n != 0),
            (_, other) => {
                return Err(unexpected(
                    table,
                    column,
                    &format!("{:?}", other.data_type()),
                ));
            }
        });
    }
    Ok(values)
}

/// A row read from PostgreSQL as the values of `table`'s columns.
fn postgres_values(
    table: &Carried,
    row: &sqlx::postgres::PgRow,
) -> Result<Vec<SqlValue>, StoreError> {
    use sqlx::Row;
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        values.push(match column.kind {
            Kind::Int | Kind::OptInt => SqlValue::Int(row.try_get::<Option<i64>, _>(i)?),
            Kind::Text | Kind::OptText => SqlValue::Text(row.try_get::<Option<String>, _>(i)?),
            Kind::Bool => SqlValue::Bool(row.try_get::<bool, _>(i)?),
        });
    }
    Ok(values)
}

fn unexpected(table: &Carried, column: &Column, found: &str) -> StoreError {
    StoreError::Other(
        format!(
            "{}.{} holds {found}, not {}",
            table.name,
            column.name,
            column.kind.expected()
        )
        .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Store, StoreOptions};

    /// The tables the migrations make that are not carried, being derived
    /// or rebuilt (see the module's comment).
    const DERIVED: [&str; 3] = ["row_count", "readiness_probe", "_sqlx_migrations"];

    /// A migration that adds a table or a column fails this until the
    /// export carries it (or it is listed as derived).
    #[tokio::test]
    async fn every_table_and_column_the_migrations_make_is_carried_or_derived() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("t.db");
        let store = Store::connect(
            &format!("sqlite://{}", file.display()),
            &StoreOptions::default(),
        )
        .await
        .expect("connect");
        store.migrate().await.expect("migrate");
        store.close().await;
        let conn = rusqlite::Connection::open(&file).expect("open");
        let names = |sql: &str| -> Vec<String> {
            let mut statement = conn.prepare(sql).expect("prepare");
            let rows = statement.query_map([], |row| row.get(0)).expect("query");
            let mut names: Vec<String> = rows.map(|name| name.expect("a name")).collect();
            names.sort();
            names
        };
        let tables = names(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        );
        let mut expected: Vec<String> = CARRIED
            .iter()
            .map(|t| t.name)
            .chain(DERIVED)
            .map(String::from)
            .collect();
        expected.sort();
        assert_eq!(tables, expected);
        for table in &CARRIED {
            let mut carried: Vec<String> =
                table.columns.iter().map(|c| c.name.to_string()).collect();
            carried.sort();
            let columns = names(&format!(
                "SELECT name FROM pragma_table_info('{}')",
                table.name
            ));
            assert_eq!(columns, carried, "{}", table.name);
        }
    }

    #[test]
    fn every_carried_table_is_named_once_and_keyed_first() {
        let mut names: Vec<_> = CARRIED.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CARRIED.len());
        for table in &CARRIED {
            assert!(!table.key().kind.nullable(), "{}", table.name);
            assert!(rows_per_insert(table) * table.columns.len() <= MAX_VALUES);
        }
    }
}
