//! Tickets: insert, read, lock and move.

use super::sqlite::from_sqlite;
use shared::{Status, Step};

use super::list_query::params;
use super::transaction::{AnyRow, Tx, placeholders};
use super::{Detail, SqlValue, StoreError, Table, TicketRow};

/// The columns of a new ticket; it starts at step 0, status 0.
#[derive(Debug, Clone)]
pub struct TicketInsert {
    pub title: String,
    pub description: String,
    pub owner: String,
    pub bug_id: Option<String>,
    pub ppa: Option<String>,
    pub base_image: Option<String>,
    pub references: Vec<String>,
    /// Where it starts: New, or Queued for a bundle queued on submission.
    pub step: Step,
    pub status: Status,
}

/// A workflow position to write, with the failure it records (if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateWrite<'a> {
    pub step: Step,
    pub status: Status,
    pub failed_step: Option<Step>,
    pub failure_message: Option<&'a str>,
}

pub(super) fn ids(values: &[i64]) -> Vec<SqlValue> {
    values.iter().map(|id| SqlValue::from(*id)).collect()
}

impl Tx {
    /// Any row of `table` by id.
    pub async fn get<R: AnyRow>(
        &mut self,
        table: &Table,
        id: i64,
    ) -> Result<Option<R>, StoreError> {
        let sql = format!("SELECT * FROM {} WHERE id = $1", table.sql);
        self.fetch_optional(&sql, &params![id]).await
    }

    /// Rows of `table` whose `column` is one of `values`, by id.
    pub(super) async fn rows_where_in<R: AnyRow>(
        &mut self,
        table: &str,
        column: &str,
        values: &[i64],
    ) -> Result<Vec<R>, StoreError> {
        if values.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT * FROM {table} WHERE {column} IN ({}) ORDER BY id",
            placeholders(1, values.len())
        );
        self.fetch_all(&sql, &ids(values)).await
    }

    pub async fn insert_ticket(
        &mut self,
        ticket: &TicketInsert,
        now: i64,
    ) -> Result<TicketRow, StoreError> {
        let refs = serde_json::to_string(&ticket.references)
            .map_err(|e| StoreError::Other(Detail::caused_by(e.to_string(), e)))?;
        self.fetch_one(
            "INSERT INTO ticket (title, description, owner, bug_id, ppa, base_image, refs, \
             current_workflow_step, status, created, updated, in_step_since) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10) RETURNING *",
            &params![
                ticket.title.as_str(),
                ticket.description.as_str(),
                ticket.owner.as_str(),
                ticket.bug_id.clone(),
                ticket.ppa.clone(),
                ticket.base_image.clone(),
                refs,
                ticket.step.code(),
                ticket.status.code(),
                now
            ],
        )
        .await
    }

    /// The ticket, locked against concurrent changes until this
    /// transaction ends.
    pub async fn lock_ticket(&mut self, id: i64) -> Result<Option<TicketRow>, StoreError> {
        let sql = format!("SELECT * FROM ticket WHERE id = $1{}", self.for_update());
        self.fetch_optional(&sql, &params![id]).await
    }

    /// The ticket of this subticket, locked like [`Tx::lock_ticket`]: in
    /// one statement, since the ticket is locked before its subticket.
    pub async fn lock_ticket_of_subticket(
        &mut self,
        subticket_id: i64,
    ) -> Result<Option<TicketRow>, StoreError> {
        let sql = format!(
            "SELECT * FROM ticket WHERE id = (SELECT ticket_id FROM subticket WHERE id = $1){}",
            self.for_update()
        );
        self.fetch_optional(&sql, &params![subticket_id]).await
    }

    pub async fn tickets_by_id(&mut self, ids: &[i64]) -> Result<Vec<TicketRow>, StoreError> {
        self.rows_where_in("ticket", "id", ids).await
    }

    /// Move a ticket; `failed_subticket` names the subticket whose failure
    /// failed it. A move to another step sets `in_step_since`; a change of
    /// status within the step keeps it. The ticket as it is now (in the
    /// same statement: one hand-off or round trip fewer than reading it
    /// again).
    pub async fn set_ticket_state(
        &mut self,
        id: i64,
        state: StateWrite<'_>,
        failed_subticket: Option<i64>,
        now: i64,
    ) -> Result<TicketRow, StoreError> {
        self.fetch_one(
            "UPDATE ticket SET current_workflow_step = $1, status = $2, failed_step = $3, \
             failure_message = $4, failed_subticket_id = $5, updated = $6, \
             in_step_since = CASE WHEN current_workflow_step = $1 THEN in_step_since ELSE $6 END \
             WHERE id = $7 RETURNING *",
            &params![
                state.step.code(),
                state.status.code(),
                state.failed_step.map(Step::code),
                state.failure_message,
                failed_subticket,
                now,
                id
            ],
        )
        .await
    }
}

#[derive(Debug, sqlx::FromRow)]
struct StepCount {
    current_workflow_step: i64,
    n: i64,
}
from_sqlite!(StepCount {
    current_workflow_step,
    n
});

impl Tx {
    /// How many open tickets (not Failed or Complete) are at each step;
    /// steps with none are absent. An index range over the open tickets
    /// only, so it does not grow with the finished history.
    pub async fn open_tickets_by_step(&mut self) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows: Vec<StepCount> = self
            .fetch_all(
                "SELECT current_workflow_step, count(*) AS n FROM ticket \
                 WHERE current_workflow_step < $1 GROUP BY current_workflow_step",
                &params![Step::Failed.code()],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| (r.current_workflow_step, r.n))
            .collect())
    }
}

#[derive(Debug, sqlx::FromRow)]
struct KeptCount {
    tbl: String,
    n: i64,
}
from_sqlite!(KeptCount { tbl, n });

impl Tx {
    /// How many tickets are at each step, every step listed (0 for none):
    /// the counts triggers keep in `row_count` (migration 0010), read by
    /// key, whatever the number of tickets.
    pub async fn tickets_by_step(&mut self) -> Result<Vec<(Step, i64)>, StoreError> {
        let keys: Vec<SqlValue> = Step::ALL
            .iter()
            .map(|step| SqlValue::from(format!("ticket@{}", step.code())))
            .collect();
        let sql = format!(
            "SELECT tbl, CAST(COALESCE(sum(n), 0) AS BIGINT) AS n FROM row_count \
             WHERE tbl IN ({}) GROUP BY tbl",
            placeholders(1, keys.len())
        );
        let rows: Vec<KeptCount> = self.fetch_all(&sql, &keys).await?;
        Ok(Step::ALL
            .iter()
            .map(|step| {
                let key = format!("ticket@{}", step.code());
                let n = rows.iter().find(|r| r.tbl == key).map_or(0, |r| r.n);
                (*step, n)
            })
            .collect())
    }
}
