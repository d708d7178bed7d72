//! The live feed of events behind `GET /api/v1/events/`.
//!
//! One tailer per process follows the history and broadcasts each new event
//! once, serialized once, to every stream. It reads when this process
//! commits a write, when PostgreSQL announces another process's events
//! (`LISTEN`), and every [`POLL_INTERVAL`] in any case: the notifications
//! are only a wake-up, and the history is the truth, so a lost notification
//! delays an event but never loses it.
//!
//! A stream first reads what it missed from the history, then follows the
//! broadcast, and skips what it has sent already: none lost, none twice. A
//! stream that falls `event_backlog` events behind the broadcast (its
//! client reads too slowly) is ended; the client resumes with
//! `Last-Event-ID`.
//! Sending never waits for a stream, so no client slows a writer or
//! another client.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use shared::models::Event;
use tokio::sync::{Notify, OnceCell, Semaphore, broadcast};
use tokio_util::sync::CancellationToken;

use crate::store::{EventRow, Store, StoreError};

/// How often the tailer reads the history without being woken.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// How long the tailer lets commits gather before it reads: at a high
/// write rate it reads once per batch, not once per commit (on PostgreSQL
/// each read waits for the event writers of the moment).
const GATHER: Duration = Duration::from_millis(5);
/// Events read from the history per statement.
pub const PAGE: i64 = 500;

/// An event as streams send it: its message made once for all of them,
/// and shared (a stream sends a reference to the same bytes).
#[derive(Debug)]
pub struct FedEvent {
    pub id: i64,
    pub ticket_id: i64,
    /// `id: {id}`, then `data:` the same object as `event/{id}/`, then the
    /// blank line that ends a message of `text/event-stream`.
    pub message: Bytes,
}

impl FedEvent {
    pub fn new(row: EventRow) -> FedEvent {
        let (id, ticket_id) = (row.id, row.ticket_id);
        let event: Event = row.to_model();
        // JSON has no raw line breaks, so the object fits one `data:` line.
        let json = serde_json::to_string(&event).unwrap_or_else(|_| "{}".into());
        FedEvent {
            id,
            ticket_id,
            message: Bytes::from(format!("id: {id}\ndata: {json}\n\n")),
        }
    }
}

/// The feed of one process: the broadcast, the cap on streams, and the
/// signal that ends every stream at shutdown.
#[derive(Debug)]
pub struct Feed {
    sender: broadcast::Sender<Arc<FedEvent>>,
    /// Woken by PostgreSQL notifications.
    notified: Notify,
    /// One permit per stream that may be open.
    pub streams: Arc<Semaphore>,
    /// Cancelled at shutdown: every stream ends at once.
    pub shutdown: CancellationToken,
    /// Set once the tailer runs ([`Feed::start`]).
    started: OnceCell<()>,
}

impl Feed {
    /// A feed for at most `max_streams` streams, each of which may fall
    /// `backlog` events behind before it is ended.
    pub fn new(max_streams: usize, backlog: usize) -> Arc<Feed> {
        let (sender, _) = broadcast::channel(backlog.max(1));
        Arc::new(Feed {
            sender,
            notified: Notify::new(),
            streams: Arc::new(Semaphore::new(max_streams)),
            shutdown: CancellationToken::new(),
            started: OnceCell::new(),
        })
    }

    /// A receiver of every event broadcast from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<FedEvent>> {
        self.sender.subscribe()
    }

    /// Start the tailer (and, on PostgreSQL, the listener) unless it runs
    /// already. A stream must call it before it subscribes: events
    /// committed before the tailer's first read are never broadcast, so a
    /// stream must find them in the history.
    pub async fn start(self: &Arc<Feed>, store: &Store) -> Result<(), StoreError> {
        self.started
            .get_or_try_init(|| async {
                let cursor = store.latest_event_id().await?;
                let listener = {
                    let (feed, store) = (self.clone(), store.clone());
                    tokio::spawn(async move {
                        tokio::select! {
                            () = store.relay_event_notifications(&feed.notified) => {}
                            () = feed.shutdown.cancelled() => {}
                        }
                    })
                };
                let (feed, store) = (self.clone(), store.clone());
                tokio::spawn(async move {
                    feed.follow(&store, cursor).await;
                    listener.abort();
                });
                Ok(())
            })
            .await
            .map(|_| ())
    }

    /// The tailer: broadcast every event after `cursor`, as they come.
    async fn follow(&self, store: &Store, mut cursor: i64) {
        loop {
            tokio::select! {
                () = store.next_commit() => {}
                () = self.notified.notified() => {}
                () = tokio::time::sleep(POLL_INTERVAL) => {}
                () = self.shutdown.cancelled() => return,
            }
            tokio::time::sleep(GATHER).await;
            match self.broadcast_after(store, cursor).await {
                Ok(newest) => cursor = newest,
                Err(err) => tracing::warn!(%err, "the live feed cannot read new events"),
            }
        }
    }

    /// Broadcast every event after `cursor`; the newest id sent.
    async fn broadcast_after(&self, store: &Store, mut cursor: i64) -> Result<i64, StoreError> {
        loop {
            let rows = store.events_after(cursor, None, PAGE).await?;
            let full_page = rows.len() as i64 == PAGE;
            for row in rows {
                cursor = row.id;
                // No receiver is no error: nobody is following.
                let _ = self.sender.send(Arc::new(FedEvent::new(row)));
            }
            if !full_page {
                return Ok(cursor);
            }
        }
    }
}
