//! Subtickets: one per source package upload of a ticket.

use shared::{Status, Step};

use super::list_query::params;
use super::tickets::StateWrite;
use super::transaction::{Tx, only};
use super::{StoreError, SubticketRow};

impl Tx {
    pub async fn insert_subticket(
        &mut self,
        ticket_id: i64,
        spu_id: i64,
        assignee: &str,
        now: i64,
    ) -> Result<SubticketRow, StoreError> {
        let rows = self
            .insert_subtickets(
                ticket_id,
                &[(spu_id, assignee)],
                Step::New,
                Status::NotStarted,
                now,
            )
            .await?;
        only(rows)
    }

    /// Insert the subtickets of one ticket, one per `(upload id, assignee)`,
    /// all at `step`/`status`, in one round trip; the rows in that order.
    pub async fn insert_subtickets(
        &mut self,
        ticket_id: i64,
        uploads: &[(i64, &str)],
        step: Step,
        status: Status,
        now: i64,
    ) -> Result<Vec<SubticketRow>, StoreError> {
        let values: Vec<_> = uploads
            .iter()
            .flat_map(|(spu_id, assignee)| {
                params![
                    ticket_id,
                    *spu_id,
                    *assignee,
                    step.code(),
                    status.code(),
                    now,
                    now
                ]
            })
            .collect();
        self.insert_many(
            "subticket (ticket_id, spu_id, assignee, current_workflow_step, status, created, updated)",
            7,
            &values,
        )
        .await
    }

    /// The subticket, locked until this transaction ends. Lock its ticket
    /// first: tickets before subtickets, so lock order never deadlocks.
    pub async fn lock_subticket(&mut self, id: i64) -> Result<Option<SubticketRow>, StoreError> {
        let sql = format!("SELECT * FROM subticket WHERE id = $1{}", self.for_update());
        self.fetch_optional(&sql, &params![id]).await
    }

    /// The subtickets of these tickets, by id.
    pub async fn subtickets_of(
        &mut self,
        ticket_ids: &[i64],
    ) -> Result<Vec<SubticketRow>, StoreError> {
        self.rows_where_in("subticket", "ticket_id", ticket_ids)
            .await
    }

    /// The ticket's subtickets at `step`, locked.
    pub async fn subtickets_at_step(
        &mut self,
        ticket_id: i64,
        step: Step,
    ) -> Result<Vec<SubticketRow>, StoreError> {
        let sql = format!(
            "SELECT * FROM subticket WHERE ticket_id = $1 AND current_workflow_step = $2 ORDER BY id{}",
            self.for_update()
        );
        self.fetch_all(&sql, &params![ticket_id, step.code()]).await
    }

    /// The ticket's subtickets that have neither failed nor completed,
    /// locked, by id. Sorted here rather than in SQL: the index on
    /// `(ticket_id, current_workflow_step, id)` serves the range on the
    /// step, and a ticket has few subtickets.
    pub async fn unfinished_subtickets(
        &mut self,
        ticket_id: i64,
    ) -> Result<Vec<SubticketRow>, StoreError> {
        let sql = format!(
            "SELECT * FROM subticket WHERE ticket_id = $1 AND current_workflow_step < $2{}",
            self.for_update()
        );
        let mut rows: Vec<SubticketRow> = self
            .fetch_all(&sql, &params![ticket_id, Step::Failed.code()])
            .await?;
        rows.sort_by_key(|row| row.id);
        Ok(rows)
    }

    /// The first failed subticket of a ticket, if any.
    pub async fn first_failed_subticket(
        &mut self,
        ticket_id: i64,
    ) -> Result<Option<SubticketRow>, StoreError> {
        self.fetch_optional(
            "SELECT * FROM subticket WHERE ticket_id = $1 AND current_workflow_step = 999 ORDER BY id LIMIT 1",
            &params![ticket_id],
        )
        .await
    }

    /// Move a subticket; the subticket as it is now (see
    /// [`Tx::set_ticket_state`]).
    pub async fn set_subticket_state(
        &mut self,
        id: i64,
        state: StateWrite<'_>,
        now: i64,
    ) -> Result<SubticketRow, StoreError> {
        self.fetch_one(
            "UPDATE subticket SET current_workflow_step = $1, status = $2, failed_step = $3, \
             failure_message = $4, updated = $5 WHERE id = $6 RETURNING *",
            &params![
                state.step.code(),
                state.status.code(),
                state.failed_step.map(Step::code),
                state.failure_message,
                now,
                id
            ],
        )
        .await
    }
}
