//! Where a ticket stands and how long steps take: the queue ahead of
//! queued tickets, and the step changes of the tickets completed last
//! (docs/api.md, "Queue position, time in step and ETA"). Both are index
//! ranges of `ticket_step_since` (and `event_ticket_steps`), bounded by the
//! queue ahead and by the window, whatever the size of the history.

use shared::Step;

use super::list_query::params;
use super::sqlite::from_sqlite;
use super::transaction::Tx;
use super::{SqlValue, StoreError};

/// A queued ticket and how many queued tickets are ahead of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct QueuePosition {
    pub id: i64,
    pub ahead: i64,
}
from_sqlite!(QueuePosition { id, ahead });

/// One event of a ticket's own history that set its step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct StepEventRow {
    pub id: i64,
    pub ticket_id: i64,
    pub to_step: i64,
    pub created: i64,
}
from_sqlite!(StepEventRow {
    id,
    ticket_id,
    to_step,
    created
});

impl Tx {
    /// How many tickets at step Queued are ahead of each of `queued` (its
    /// id and `in_step_since`): those queued earlier, or at the same
    /// microsecond with a smaller id. One statement for a whole page, each
    /// count an index range of the queue before the ticket.
    pub async fn queue_positions(
        &mut self,
        queued: &[(i64, i64)],
    ) -> Result<Vec<QueuePosition>, StoreError> {
        if queued.is_empty() {
            return Ok(vec![]);
        }
        // Typed: PostgreSQL would read bare parameters in VALUES as text.
        let rows = (0..queued.len())
            .map(|i| {
                format!(
                    "(CAST(${} AS BIGINT), CAST(${} AS BIGINT))",
                    2 * i + 1,
                    2 * i + 2
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "WITH page (id, since) AS (VALUES {}) \
             SELECT page.id AS id, (SELECT count(*) FROM ticket q \
                 WHERE q.current_workflow_step = {} \
                 AND (q.in_step_since, q.id) < (page.since, page.id)) AS ahead \
             FROM page",
            rows,
            Step::Queued.code(),
        );
        let values: Vec<SqlValue> = queued
            .iter()
            .flat_map(|(id, since)| params![*id, *since])
            .collect();
        self.fetch_all(&sql, &values).await
    }

    /// The step changes (and creation) of the `window` tickets that
    /// completed last, as recorded by their own events (not their
    /// subtickets' or artifacts'), in no particular order.
    pub async fn recent_step_events(
        &mut self,
        window: i64,
    ) -> Result<Vec<StepEventRow>, StoreError> {
        // The tickets first, then each one's events: CROSS JOIN keeps
        // SQLite to that order, where without statistics it may start
        // from every ticket's events (`subticket_id IS NULL`).
        self.fetch_all(
            "SELECT e.id, e.ticket_id, e.to_step, e.created \
             FROM (SELECT id FROM ticket WHERE current_workflow_step = $1 \
                   ORDER BY in_step_since DESC, id DESC LIMIT $2) AS recent \
             CROSS JOIN event e \
             WHERE e.ticket_id = recent.id AND e.subticket_id IS NULL AND e.to_step IS NOT NULL",
            &params![Step::Complete.code(), window],
        )
        .await
    }
}
