//! Accepting and serving HTTP connections within bounds no client can
//! stretch: a cap on open connections (past it a quick 503, counted and
//! logged), a deadline for each request head (which also closes idle
//! keep-alive connections), and a shutdown that stops accepting, drains
//! keep-alive connections without failing a request (see
//! `serve_connection`), waits for requests in flight at most
//! `shutdown_grace`, then cuts what is left.

use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::http::header::CONNECTION;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;
use tower::util::BoxCloneService;

/// Bounds of the connection layer.
#[derive(Debug, Clone)]
pub struct ConnectionOptions {
    /// Most connections open at once; past it new ones get a 503.
    pub max_connections: usize,
    /// How long a client may take to send a whole request head, counted
    /// from the connection's start or the end of its previous response,
    /// so it also closes idle keep-alive connections.
    pub header_read_timeout: Duration,
    /// How long shutdown waits for requests in flight before cutting them.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionOptions {
    fn default() -> Self {
        ConnectionOptions {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Counters of the connection layer, for `/metrics`.
#[derive(Debug, Default)]
pub struct ConnectionStats {
    /// Connections open now.
    pub open: AtomicU64,
    /// Connections turned away because the cap was reached.
    pub refused: AtomicU64,
    /// Connections cut because shutdown's grace ran out.
    pub cut_at_shutdown: AtomicU64,
}

impl ConnectionStats {
    /// The counters in the Prometheus text format.
    pub fn render(&self, out: &mut String) {
        use std::fmt::Write;
        let series = [
            (
                "ticketd_http_connections_open",
                "gauge",
                "HTTP connections open now.",
                &self.open,
            ),
            (
                "ticketd_http_connections_refused_total",
                "counter",
                "Connections answered 503 and closed because max_http_connections were open.",
                &self.refused,
            ),
            (
                "ticketd_http_connections_cut_total",
                "counter",
                "Connections cut when shutdown_grace_secs ran out.",
                &self.cut_at_shutdown,
            ),
        ];
        for (name, kind, help, value) in series {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} {kind}");
            let _ = writeln!(out, "{name} {}", value.load(Ordering::Relaxed));
        }
    }
}

/// A connection's place under the cap and in the open count, given back
/// however its task ends: done, panicked, or cut at shutdown.
struct OpenConnection {
    stats: Arc<ConnectionStats>,
    _slot: OwnedSemaphorePermit,
}

impl OpenConnection {
    fn new(stats: Arc<ConnectionStats>, slot: OwnedSemaphorePermit) -> OpenConnection {
        stats.open.fetch_add(1, Ordering::Relaxed);
        OpenConnection { stats, _slot: slot }
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.stats.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// What a connection over the cap is told before it is closed.
fn over_capacity_response() -> String {
    let body = r#"{"error": {"code": "unavailable", "message": "too many open connections; retry in a moment"}}"#;
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
         connection: close\r\nretry-after: 1\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// Refusals answered at once; past this many in progress, a refused
/// connection is closed without a word, so refusing stays cheap.
const MAX_REFUSALS_IN_FLIGHT: usize = 64;
/// The longest a refused client may take to take its 503.
const REFUSAL_WRITE_TIMEOUT: Duration = Duration::from_secs(1);
/// At most one log line per this interval about refused connections.
const REFUSAL_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// The highest connection cap the open-file limit allows, leaving room for
/// the database, blobs and log files; raises the soft limit to the hard one
/// first, as a server expecting many clients should.
pub fn fit_to_file_limit(wanted: usize) -> usize {
    // Descriptors kept for everything but client sockets.
    const RESERVED: u64 = 64;
    let limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(err) => {
            tracing::warn!(%err, "cannot read the open-file limit; keeping the connection cap as configured");
            return wanted;
        }
    };
    let room = usize::try_from(limit.saturating_sub(RESERVED)).unwrap_or(usize::MAX);
    if wanted > room {
        let fitted = room.max(1);
        tracing::warn!(
            max_http_connections = wanted,
            open_file_limit = limit,
            using = fitted,
            "the open-file limit is too low for max_http_connections; raise LimitNOFILE (ulimit -n)"
        );
        fitted
    } else {
        wanted
    }
}

/// What is served: the whole application as one service.
pub type App = BoxCloneService<Request, axum::response::Response, std::convert::Infallible>;

/// Serve `app` on `listener` until `shutdown` resolves; then stop
/// accepting, let requests in flight finish for at most
/// `options.shutdown_grace`, and cut the connections still open.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: ConnectionOptions,
    stats: Arc<ConnectionStats>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS_IN_FLIGHT));
    let (closing, closing_seen) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut refused_since_log: u64 = 0;
    let mut last_refusal_log: Option<Instant> = None;
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) => {
                    accept_failed(&err).await;
                    continue;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            stats.refused.fetch_add(1, Ordering::Relaxed);
            refused_since_log += 1;
            if last_refusal_log.is_none_or(|at| at.elapsed() >= REFUSAL_LOG_INTERVAL) {
                tracing::warn!(
                    refused = refused_since_log,
                    max_http_connections = options.max_connections,
                    "connections refused: the cap on open connections is reached"
                );
                refused_since_log = 0;
                last_refusal_log = Some(Instant::now());
            }
            if let Ok(permit) = refusals.clone().try_acquire_owned() {
                connections.spawn(async move {
                    refuse(stream).await;
                    drop(permit);
                });
            }
            continue;
        };
        let app = app.clone();
        let closing = closing_seen.clone();
        let header_read_timeout = options.header_read_timeout;
        let open = OpenConnection::new(stats.clone(), slot);
        connections.spawn(async move {
            serve_connection(stream, app, closing, header_read_timeout).await;
            drop(open);
        });
    }
    drop(listener);
    let _ = closing.send(true);
    let in_flight = connections.len();
    if in_flight > 0 {
        tracing::info!(
            connections = in_flight,
            grace_secs = options.shutdown_grace.as_secs_f64(),
            "waiting for requests in flight"
        );
    }
    let drained = tokio::time::timeout(options.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        let cut = connections.len();
        stats
            .cut_at_shutdown
            .fetch_add(cut as u64, Ordering::Relaxed);
        tracing::warn!(
            connections = cut,
            "shutdown grace is over: cutting the connections still open"
        );
        connections.shutdown().await;
    }
    Ok(())
}

/// How long, once shutdown began, a keep-alive connection may go without
/// a new request before it is closed (see [`serve_connection`]).
pub const DRAIN_IDLE: Duration = Duration::from_secs(2);

/// Serve one connection until it closes; once `closing` turns true, drain
/// it without failing a request.
///
/// Closing a keep-alive connection races with its client: a request the
/// client sends as the server closes arrives on a closed socket and fails
/// (reset, or "connection closed before message completed"), and no
/// client may retry a POST by itself. hyper's `graceful_shutdown` closes
/// an idle connection at once, so every client that was between two
/// requests at SIGTERM would risk it. Instead, during the drain:
///
/// - every response carries `Connection: close`, so a client that sends
///   its next request gets its answer and then opens a new connection,
///   which the listening socket queues for the next `ticketd` (with a
///   socket systemd holds) or another process sharing it;
/// - a connection is closed only after [`DRAIN_IDLE`] (at most
///   `header_read_timeout`) without a new request: a client that uses its
///   connection steadily has sent its next request by then. One idle for
///   longer meets the same close it would meet at the idle timeout
///   (`header_read_timeout`) on any day; a client whose keep-alive idle
///   timeout is below that never sends on it (docs/operations.md,
///   "Restarts").
async fn serve_connection<S>(
    stream: TcpStream,
    app: S,
    mut closing: watch::Receiver<bool>,
    header_read_timeout: Duration,
) where
    S: tower::Service<
            Request,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let requests = Arc::new(AtomicU64::new(0));
    let counted = requests.clone();
    let draining = closing.clone();
    let service = TowerToHyperService::new(
        app.map_response(move |mut response: axum::response::Response| {
            if *draining.borrow() {
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
            }
            response
        })
        .map_request(move |request: hyper::Request<Incoming>| {
            counted.fetch_add(1, Ordering::Relaxed);
            request.map(Body::new)
        }),
    );
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout);
    let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
    let drain_idle = DRAIN_IDLE.min(header_read_timeout);
    let idle_check = tokio::time::sleep(Duration::ZERO);
    let mut idle_check = pin!(idle_check);
    // The request count at the last idle check, once draining.
    let mut seen: Option<u64> = None;
    let mut asked_to_close = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%err, "connection ended with an error");
                }
                return;
            }
            changed = closing.changed(), if seen.is_none() => {
                if changed.is_err() || *closing.borrow() {
                    seen = Some(requests.load(Ordering::Relaxed));
                    idle_check.as_mut().reset(tokio::time::Instant::now() + drain_idle);
                }
            }
            () = idle_check.as_mut(), if seen.is_some() && !asked_to_close => {
                let now = requests.load(Ordering::Relaxed);
                if seen == Some(now) {
                    // Idle for drain_idle: close it (a request in flight
                    // still gets its answer first).
                    asked_to_close = true;
                    connection.as_mut().graceful_shutdown();
                } else {
                    seen = Some(now);
                    idle_check.as_mut().reset(tokio::time::Instant::now() + drain_idle);
                }
            }
        }
    }
}

/// Tell a connection over the cap to come back later, then close it. The
/// request head is read first (a little of it, briefly): a client that
/// gets its answer before it has sent its request takes it for garbage.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(REFUSAL_WRITE_TIMEOUT, async {
        let mut head = [0u8; 4096];
        let mut seen = 0;
        while seen < head.len() {
            let n = stream.read(&mut head[seen..]).await?;
            seen += n;
            if n == 0 || head[..seen].windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        stream
            .write_all(over_capacity_response().as_bytes())
            .await?;
        stream.shutdown().await
    })
    .await;
}

/// An accept error: the peer's own trouble is skipped; running out of
/// descriptors or memory is logged and waited out briefly instead of
/// spinning.
async fn accept_failed(err: &io::Error) {
    use io::ErrorKind::*;
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted
    ) {
        return;
    }
    tracing::error!(%err, "cannot accept a connection; retrying in 100 ms");
    tokio::time::sleep(Duration::from_millis(100)).await;
}
