//! `GET /api/v1/events/`: the history, then every new event, as a
//! `text/event-stream` (see `crate::feed` for how it is fed, and
//! docs/api.md "Events" for what a client gets).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream};
use shared::ErrorCode;
use tokio::sync::OwnedSemaphorePermit;
use tokio::sync::broadcast::{self, error::RecvError};
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use super::list::query_pairs;
use crate::feed::{FedEvent, Feed, PAGE};
use crate::state::AppState;
use crate::store::Store;

/// How long a client waits before it reconnects (the `retry:` hint).
pub const RETRY: Duration = Duration::from_secs(3);

pub fn router() -> ApiRouter {
    ApiRouter::new().declare(routes!(events))
}

/// What a stream was asked for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Wanted {
    ticket: Option<i64>,
    /// Events after this id; 0 for the live ones only.
    after: Option<i64>,
}

/// A positive id, or the error naming `what` that says what is allowed.
fn id(what: &str, value: &str) -> Result<i64, ApiError> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id >= 0)
        .ok_or_else(|| {
            ApiError::field(
                StatusCode::BAD_REQUEST,
                ErrorCode::ValidationFailed,
                what,
                &format!("`{value}` is not an event id (a whole number, 0 or more)"),
            )
        })
}

/// `?ticket=`, `?last_event_id=` (for a browser's first connection, whose
/// `EventSource` cannot set headers) and `Last-Event-ID`, which wins: it is
/// what the client saw last when it reconnects.
fn wanted(uri: &Uri, headers: &HeaderMap) -> Result<Wanted, ApiError> {
    let mut wanted = Wanted::default();
    for (name, value) in query_pairs(uri.query())? {
        match name.as_str() {
            "ticket" => {
                let ticket = id("ticket", &value)?;
                wanted.ticket = Some(ticket);
            }
            "last_event_id" => wanted.after = Some(id("last_event_id", &value)?),
            "format" if value == "json" => {}
            other => {
                return Err(ApiError::invalid_filter(format!(
                    "{other}: not a parameter of events/; allowed: ticket, last_event_id"
                )));
            }
        }
    }
    if let Some(header) = headers.get("last-event-id") {
        let text = header.to_str().map_err(|_| {
            ApiError::field(
                StatusCode::BAD_REQUEST,
                ErrorCode::ValidationFailed,
                "Last-Event-ID",
                "is not text",
            )
        })?;
        wanted.after = Some(id("Last-Event-ID", text)?);
    }
    Ok(wanted)
}

#[utoipa::path(
    get,
    path = "/api/v1/events/",
    operation_id = "stream_events",
    tag = "events",
    params(
        ("ticket" = Option<i64>, Query, description = "Only the events of this ticket (and its subtickets)"),
        ("last_event_id" = Option<i64>, Query, description = "Start after this event id, as `Last-Event-ID` does (for a browser's first connection)"),
        ("Last-Event-ID" = Option<i64>, Header, description = "Start after this event id: first the history after it, then the live events. Wins over `last_event_id`"),
    ),
    responses(
        (status = 200, description = "`text/event-stream`: `retry:` first, then one message per event (`id:` the event id, `data:` the same object as `event/{id}/`), a `:` comment every 15 s when idle. Without a starting id, only events from now on", content_type = "text/event-stream", body = String),
        (status = 400, description = "A malformed parameter or `Last-Event-ID`", body = shared::ErrorBody),
        (status = 404, description = "No such ticket", body = shared::ErrorBody),
        (status = 503, description = "`max_event_streams` streams are open already, or the database is unavailable", body = shared::ErrorBody),
    )
)]
pub(super) async fn events(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let wanted = wanted(&uri, &headers)?;
    let permit = state
        .feed
        .streams
        .clone()
        .try_acquire_owned()
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                format!(
                    "{} event streams are open, as many as this server takes \
                     (max_event_streams); retry later",
                    state.limits.max_event_streams
                ),
            )
        })?;
    if let Some(ticket) = wanted.ticket
        && state
            .store
            .get::<crate::store::TicketRow>(&crate::store::TICKET, ticket)
            .await?
            .is_none()
    {
        return Err(ApiError::not_found(format!("there is no ticket {ticket}")));
    }
    state.feed.start(&state.store).await?;
    // Subscribed before the history is read: whatever the history misses
    // comes by the broadcast (see `crate::feed`).
    let receiver = state.feed.subscribe();
    let after = match wanted.after {
        Some(after) => after,
        None => state.store.latest_event_id().await?,
    };
    let follower = Follower {
        store: state.store.clone(),
        feed: state.feed.clone(),
        ticket: wanted.ticket,
        cursor: after,
        pending: VecDeque::new(),
        receiver,
        caught_up: false,
        retry_sent: false,
        heartbeat: state.limits.event_heartbeat,
        _permit: permit,
    };
    // The messages are written out here, not by axum's `Sse`: each event's
    // is made once and its bytes shared by every stream (see `FedEvent`).
    let mut response = Body::from_stream(follower.into_stream()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // nginx would otherwise hold the events back in its buffer.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}

/// One stream's progress: the history first, then the broadcast.
struct Follower {
    store: Store,
    feed: Arc<Feed>,
    ticket: Option<i64>,
    /// The newest event id this stream has sent or passed over.
    cursor: i64,
    /// Events read from the history, not yet sent.
    pending: VecDeque<FedEvent>,
    receiver: broadcast::Receiver<Arc<FedEvent>>,
    /// The history is read up to the broadcast.
    caught_up: bool,
    retry_sent: bool,
    /// How long the stream may be silent before it sends a comment, so
    /// that proxies keep it and clients can tell it from a dead one.
    heartbeat: Duration,
    /// Held while the stream is open (`max_event_streams`).
    _permit: OwnedSemaphorePermit,
}

/// The first message: how long a client waits before it reconnects.
fn retry_hint() -> Bytes {
    Bytes::from(format!("retry: {}\n\n", RETRY.as_millis()))
}

/// A comment: the heartbeat of an idle stream.
const HEARTBEAT_COMMENT: &[u8] = b":\n\n";

impl Follower {
    fn into_stream(self) -> impl Stream<Item = Result<Bytes, Infallible>> {
        stream::unfold(self, |mut follower| async move {
            let event = follower.next().await?;
            Some((Ok(event), follower))
        })
    }

    /// The next message, or `None` when the stream ends: at shutdown, when
    /// the database fails (the client resumes from its last id), or when
    /// the client fell `event_backlog` events behind.
    async fn next(&mut self) -> Option<Bytes> {
        if !self.retry_sent {
            self.retry_sent = true;
            return Some(retry_hint());
        }
        let shutdown = self.feed.shutdown.clone();
        // Events of other tickets, passed over, do not count as sent.
        let quiet_until = tokio::time::Instant::now() + self.heartbeat;
        loop {
            if shutdown.is_cancelled() {
                return None;
            }
            if let Some(event) = self.pending.pop_front() {
                return Some(event.message);
            }
            if !self.caught_up {
                let read = tokio::select! {
                    read = self.store.events_after(self.cursor, self.ticket, PAGE) => read,
                    () = shutdown.cancelled() => return None,
                };
                let rows = match read {
                    Ok(rows) => rows,
                    Err(err) => {
                        tracing::warn!(%err, "an event stream cannot read the history; ending it");
                        return None;
                    }
                };
                if (rows.len() as i64) < PAGE {
                    self.caught_up = true;
                } else {
                    // A long history: what the broadcast holds by the end
                    // of it comes from the history again, so start afresh
                    // rather than let the receiver overflow.
                    self.receiver = self.feed.subscribe();
                }
                for row in rows {
                    self.cursor = row.id;
                    self.pending.push_back(FedEvent::new(row));
                }
                continue;
            }
            let received = tokio::select! {
                received = self.receiver.recv() => received,
                () = tokio::time::sleep_until(quiet_until) => {
                    return Some(Bytes::from_static(HEARTBEAT_COMMENT));
                }
                () = shutdown.cancelled() => return None,
            };
            match received {
                Ok(event) if event.id <= self.cursor => {}
                Ok(event) => {
                    self.cursor = event.id;
                    if self.ticket.is_none_or(|t| t == event.ticket_id) {
                        return Some(event.message.clone());
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::info!(
                        missed,
                        "an event stream's client reads too slowly; ending it"
                    );
                    return None;
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted_of(query: &str, last_event_id: Option<&str>) -> Result<Wanted, ApiError> {
        let uri: Uri = format!("/api/v1/events/{query}").parse().expect("a URI");
        let mut headers = HeaderMap::new();
        if let Some(value) = last_event_id {
            headers.insert(
                "last-event-id",
                HeaderValue::from_str(value).expect("a header"),
            );
        }
        wanted(&uri, &headers)
    }

    #[test]
    fn the_header_wins_over_the_query_and_bad_ids_name_their_field() {
        assert_eq!(
            wanted_of("?ticket=7&last_event_id=3", Some("9")).expect("valid"),
            Wanted {
                ticket: Some(7),
                after: Some(9)
            }
        );
        assert_eq!(
            wanted_of("?last_event_id=3", None).expect("valid").after,
            Some(3)
        );
        for (query, header, field) in [
            ("", Some("abc"), "Last-Event-ID"),
            ("", Some("-1"), "Last-Event-ID"),
            ("?last_event_id=x", None, "last_event_id"),
            ("?ticket=", None, "ticket"),
        ] {
            let err = wanted_of(query, header).expect_err("malformed");
            assert_eq!(err.status, StatusCode::BAD_REQUEST);
            assert!(
                err.body.error.message.starts_with(field),
                "{}",
                err.body.error.message
            );
        }
        let err = wanted_of("?since=3", None).expect_err("unknown parameter");
        assert!(
            err.body
                .error
                .message
                .contains("allowed: ticket, last_event_id")
        );
    }
}
