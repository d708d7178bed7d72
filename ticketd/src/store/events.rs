//! The history: append-only events with a global, increasing id.

use shared::{EventKind, Status, Step};

use super::list_query::params;
use super::transaction::{Tx, only};
use super::{EventRow, StoreError};

/// The columns of a new event.
#[derive(Debug, Clone, Default)]
pub struct EventInsert<'a> {
    pub ticket_id: i64,
    pub subticket_id: Option<i64>,
    pub kind: Option<EventKind>,
    pub from: Option<(Step, Status)>,
    pub to: Option<(Step, Status)>,
    pub message: Option<&'a str>,
    pub actor: Option<&'a str>,
}

impl Tx {
    /// Append an event. Call it last in a transaction: on PostgreSQL it
    /// shares the event-order lock until commit, and readers of the
    /// history wait for it (see `Tx::wait_for_event_writers`).
    pub async fn insert_event(
        &mut self,
        event: &EventInsert<'_>,
        now: i64,
    ) -> Result<EventRow, StoreError> {
        let rows = self.insert_events(std::slice::from_ref(event), now).await?;
        only(rows)
    }

    /// Append events in the order given, a few hundred rows per statement
    /// (a bundle's history is one round trip, not one per event). Call it
    /// last in a transaction, like [`Tx::insert_event`].
    pub async fn insert_events(
        &mut self,
        events: &[EventInsert<'_>],
        now: i64,
    ) -> Result<Vec<EventRow>, StoreError> {
        if events.is_empty() {
            return Ok(vec![]);
        }
        // Taken in the insert's own round trip (PostgreSQL).
        let lock = self.event_order_lock();
        let mut values = Vec::with_capacity(events.len() * 10);
        for event in events {
            let kind = event.kind.unwrap_or(EventKind::Status);
            values.extend(params![
                event.ticket_id,
                event.subticket_id,
                kind.as_str(),
                event.from.map(|(step, _)| step.code()),
                event.from.map(|(_, status)| status.code()),
                event.to.map(|(step, _)| step.code()),
                event.to.map(|(_, status)| status.code()),
                event.message,
                event.actor,
                now
            ]);
        }
        self.insert_many_after(
            lock.as_deref(),
            "event (ticket_id, subticket_id, kind, from_step, from_status, to_step, to_status, \
             message, actor, created)",
            10,
            &values,
        )
        .await
    }

    /// The events of these tickets, oldest first.
    pub async fn events_of(&mut self, ticket_ids: &[i64]) -> Result<Vec<EventRow>, StoreError> {
        self.rows_where_in("event", "ticket_id", ticket_ids).await
    }
}
