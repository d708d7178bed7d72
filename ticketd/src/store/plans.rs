//! The backends' own query plans, for the tests that check every list and
//! every statement about one object is served by the right index.

use super::list_query::ListQuery;
use super::sqlite::from_sqlite;
use super::transaction::Tx;
use super::{Dialect, SqlValue, StoreError};

#[derive(Debug, sqlx::FromRow)]
struct SqlitePlanRow {
    detail: String,
}
from_sqlite!(SqlitePlanRow { detail });

#[derive(Debug, sqlx::FromRow)]
struct PostgresPlanRow {
    #[sqlx(rename = "QUERY PLAN")]
    line: String,
}
from_sqlite!(PostgresPlanRow { line as "QUERY PLAN" });

impl Tx {
    /// The query plans of a list's page and of its count, one line per
    /// step.
    pub async fn explain(
        &mut self,
        query: &ListQuery,
    ) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let ((page, page_values), (count, count_values)) = query.to_sql(self.dialect());
        Ok((
            self.plan(&page, &page_values).await?,
            self.plan(&count, &count_values).await?,
        ))
    }

    /// The plan of a statement as the server runs it, with its parameters
    /// (`$1`, `$2`…) unknown: SQLite plans a statement before its values
    /// are bound, and PostgreSQL is made to use the generic plan, which a
    /// prepared statement settles on after five runs.
    ///
    /// With `no_sort`, PostgreSQL is kept from sorting too, so that the plan
    /// shows whether an index gives the statement's order.
    pub async fn explain_statement(
        &mut self,
        sql: &str,
        no_sort: bool,
    ) -> Result<Vec<String>, StoreError> {
        let parameters = highest_parameter(sql);
        match self.dialect() {
            Dialect::Sqlite => {
                let nulls = vec![SqlValue::Int(None); parameters];
                self.plan(sql, &nulls).await
            }
            Dialect::Postgres => {
                self.execute("SET LOCAL plan_cache_mode = force_generic_plan", &[])
                    .await?;
                if no_sort {
                    // Sorting the three rows of an empty test table is
                    // cheapest; forbid it to see the plan of a large one.
                    self.execute("SET LOCAL enable_sort = off", &[]).await?;
                }
                self.execute(&format!("PREPARE planned AS {sql}"), &[])
                    .await?;
                let nulls = vec!["NULL"; parameters].join(", ");
                let execute = if parameters == 0 {
                    "EXECUTE planned".to_string()
                } else {
                    format!("EXECUTE planned({nulls})")
                };
                let plan = self.plan(&execute, &[]).await;
                self.execute("DEALLOCATE planned", &[]).await?;
                plan
            }
        }
    }

    async fn plan(&mut self, sql: &str, values: &[SqlValue]) -> Result<Vec<String>, StoreError> {
        Ok(match self.dialect() {
            Dialect::Sqlite => {
                let rows: Vec<SqlitePlanRow> = self
                    .fetch_all(&format!("EXPLAIN QUERY PLAN {sql}"), values)
                    .await?;
                rows.into_iter().map(|r| r.detail).collect()
            }
            Dialect::Postgres => {
                // A table of a few rows is cheapest to scan; forbid that so
                // the plan shows which index would serve a large one.
                self.execute("SET LOCAL enable_seqscan = off", &[]).await?;
                let rows: Vec<PostgresPlanRow> =
                    self.fetch_all(&format!("EXPLAIN {sql}"), values).await?;
                rows.into_iter().map(|r| r.line).collect()
            }
        })
    }
}

/// The highest `$n` in `sql`.
fn highest_parameter(sql: &str) -> usize {
    sql.split('$')
        .skip(1)
        .filter_map(|after| {
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::highest_parameter;

    #[test]
    fn the_highest_parameter_is_found_wherever_it_is() {
        assert_eq!(highest_parameter("SELECT 1"), 0);
        assert_eq!(
            highest_parameter("SELECT * FROM t WHERE a = $2 AND b = $10 LIMIT $3"),
            10
        );
    }
}
