//! The history: append-only events with a global, increasing id.

use shared::{EventKind, Status, Step};

use tokio::sync::Notify;

use super::list_query::params;
use super::transaction::{EVENTS_CHANNEL, Planning, Tx, only};
use super::{Db, EVENT, EventRow, Store, StoreError};

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

/// The feed's reads of the history, and its wake-ups (`crate::feed`).
impl Store {
    /// The newest event's id, 0 when there is none: where a new feed starts.
    pub async fn latest_event_id(&self) -> Result<i64, StoreError> {
        let mut tx = self.read_list(&EVENT).await?;
        tx.scalar(
            "SELECT COALESCE(MAX(id), 0) FROM event",
            &[],
            Planning::Cached,
        )
        .await
    }

    /// Up to `limit` events after the id `after`, oldest first; only those
    /// of ticket `ticket` if given. Read as `event/` pages are, so that no
    /// event with a lower id can still appear (see `Store::read_list`).
    pub async fn events_after(
        &self,
        after: i64,
        ticket: Option<i64>,
        limit: i64,
    ) -> Result<Vec<EventRow>, StoreError> {
        let mut tx = self.read_list(&EVENT).await?;
        match ticket {
            Some(ticket) => {
                tx.fetch_all(
                    "SELECT * FROM event WHERE ticket_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                    &params![ticket, after, limit],
                )
                .await
            }
            None => {
                tx.fetch_all(
                    "SELECT * FROM event WHERE id > $1 ORDER BY id LIMIT $2",
                    &params![after, limit],
                )
                .await
            }
        }
    }

    /// Resolves after the next write this process commits (or at once if
    /// one was committed since the last call returned): one waiter only.
    pub async fn next_commit(&self) {
        self.committed.notified().await;
    }

    /// On PostgreSQL, wake `wake` whenever any `ticketd` on the database
    /// commits events (`LISTEN`), until the task is dropped; after a lost
    /// connection it listens again, a second later. On SQLite, where one
    /// process writes, it returns at once.
    pub async fn relay_event_notifications(&self, wake: &Notify) {
        let Db::Postgres(pool) = &self.db else {
            return;
        };
        loop {
            match sqlx::postgres::PgListener::connect_with(pool).await {
                Ok(mut listener) => {
                    if let Err(err) = listener.listen(EVENTS_CHANNEL).await {
                        tracing::warn!(%err, "cannot LISTEN for new events");
                    } else {
                        // Events committed while no one listened.
                        wake.notify_one();
                        // `recv` reconnects by itself and says so with an error.
                        loop {
                            match listener.recv().await {
                                Ok(_) => wake.notify_one(),
                                Err(err) => {
                                    tracing::warn!(%err, "lost the LISTEN connection for new events");
                                    break;
                                }
                            }
                        }
                    }
                }
                Err(err) => tracing::warn!(%err, "cannot connect to LISTEN for new events"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    }
}
