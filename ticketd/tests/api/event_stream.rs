//! `GET /api/v1/events/`: the history after `Last-Event-ID`, then the live
//! events, none lost and none twice, on both backends; its refusals; the
//! cap on streams; heartbeats; a slow client cut off without slowing
//! anyone; streams that end at once on SIGTERM; and, on PostgreSQL, every
//! process's events on every process's streams.

use std::time::Duration;

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use ticketd::state::Limits;

use crate::helpers::{Backend, Options, PgDatabase, TestApp};
use crate::procs::Sandbox;

/// How long a test waits for an event it expects.
const WAIT: Duration = Duration::from_secs(30);

/// What an event stream sent: messages and comments, as an
/// `EventSource` would see them.
#[derive(Debug, Default)]
struct Received {
    /// `(id, data)` of each message with data.
    events: Vec<(i64, Value)>,
    comments: usize,
    retry: Option<u64>,
    /// The server ended the stream.
    ended: bool,
}

/// An open `text/event-stream`, parsed as it arrives.
struct Stream {
    body: futures::stream::BoxStream<'static, reqwest::Result<Vec<u8>>>,
    buffer: String,
    received: Received,
}

impl Stream {
    async fn open(url: String, token: Option<&str>, last_event_id: Option<i64>) -> Stream {
        let mut request = client_without_timeout().get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = request.send().await.expect("open the stream");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "{:?}",
            response.headers()
        );
        Stream {
            body: response
                .bytes_stream()
                .map(|chunk| chunk.map(|bytes| bytes.to_vec()))
                .boxed(),
            buffer: String::new(),
            received: Received::default(),
        }
    }

    /// Read until `done` holds of what was received, the stream ends, or
    /// `WAIT` passes (a failure).
    async fn read_until(&mut self, done: impl Fn(&Received) -> bool) -> &Received {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(&self.received) && !self.received.ended {
            let chunk = tokio::time::timeout_at(deadline, self.body.next())
                .await
                .unwrap_or_else(|_| panic!("nothing more within {WAIT:?}: {:?}", self.received));
            match chunk {
                Some(Ok(bytes)) => {
                    self.buffer.push_str(&String::from_utf8_lossy(&bytes));
                    self.parse();
                }
                Some(Err(_)) | None => self.received.ended = true,
            }
        }
        &self.received
    }

    /// Take every whole message (ended by a blank line) off the buffer.
    fn parse(&mut self) {
        while let Some(end) = self.buffer.find("\n\n") {
            let message: String = self.buffer.drain(..end + 2).collect();
            let (mut id, mut data) = (None, None);
            for line in message.lines() {
                if line.starts_with(':') {
                    self.received.comments += 1;
                } else if let Some(v) = line.strip_prefix("id: ") {
                    id = v.parse::<i64>().ok();
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = Some(serde_json::from_str::<Value>(v).expect("data is JSON"));
                } else if let Some(v) = line.strip_prefix("retry: ") {
                    self.received.retry = v.parse().ok();
                }
            }
            if let Some(data) = data {
                let id = id.expect("every message has an id");
                assert_eq!(data["id"], id, "id: is the event's id");
                self.received.events.push((id, data));
            }
        }
    }

    fn ids(&self) -> Vec<i64> {
        self.received.events.iter().map(|(id, _)| *id).collect()
    }
}

/// Streams last: no overall timeout on the client.
fn client_without_timeout() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("an HTTP client")
}

/// Every event id in the history (of `ticket`, if given), oldest first,
/// paging `event/` to the end.
async fn history_ids(app: &TestApp, ticket: Option<i64>) -> Vec<i64> {
    let filter = ticket.map(|t| format!("&ticket={t}")).unwrap_or_default();
    let mut ids = Vec::new();
    loop {
        let after = ids.last().copied().unwrap_or(0);
        let (status, body) = app
            .anon()
            .get(&format!(
                "/api/v1/event/?order_by=id&limit=1000&id__gt={after}{filter}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page: Vec<i64> = body["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .map(|e| e["id"].as_i64().expect("an id"))
            .collect();
        if page.is_empty() {
            return ids;
        }
        ids.extend(page);
    }
}

async fn queue(app: &TestApp, ticket: i64) {
    let (status, body) = app
        .dev()
        .patch(
            &format!("/api/v1/updateticketstatus/{ticket}/"),
            json!({"current_workflow_step": 100, "status": 0}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
}

backend_tests! {
    async fn a_stream_sends_the_history_after_its_last_event_id_then_every_live_event_once(app) {
        let app = std::sync::Arc::new(app);
        let (first, _) = app.ticket_with_subtickets("before", &[("foo", "1.0")]).await;
        let before = history_ids(&app, None).await;
        let resume_after = before[1];
        let mut stream = Stream::open(app.url("/api/v1/events/"), None, Some(resume_after)).await;

        // Writers race while the stream catches up and goes live.
        let mut writers = Vec::new();
        for w in 0..4 {
            let app = app.clone();
            writers.push(tokio::spawn(async move {
                for n in 0..10 {
                    let source = format!("bar{w}");
                    let (ticket, _) = app
                        .ticket_with_subtickets(&format!("w{w}-{n}"), &[(&source, "2.0")])
                        .await;
                    queue(&app, ticket).await;
                }
            }));
        }
        queue(&app, first).await;
        for writer in writers {
            writer.await.expect("a writer");
        }
        let all = history_ids(&app, None).await;
        let expected: Vec<i64> = all.iter().copied().filter(|id| *id > resume_after).collect();
        let newest = *all.last().expect("events");
        stream.read_until(|r| r.events.last().is_some_and(|(id, _)| *id >= newest)).await;
        assert_same_ids(&stream.ids(), &expected, "every event after the resumed id, in order, once");
        assert_eq!(stream.received.retry, Some(3000), "a retry: hint comes first");
        let (_, event) = app.anon().get(&format!("/api/v1/event/{newest}/")).await;
        assert_eq!(
            stream.received.events.last().map(|(_, data)| data),
            Some(&event),
            "data: is the object event/{{id}}/ answers"
        );
    }

    async fn a_ticket_filter_sends_only_that_tickets_events_and_a_reconnect_resumes(app) {
        let (watched, subs) = app.ticket_with_subtickets("watched", &[("foo", "1.0")]).await;
        let (other, _) = app.ticket_with_subtickets("other", &[("bar", "1.0")]).await;
        let url = app.url(&format!("/api/v1/events/?ticket={watched}&last_event_id=0"));
        let mut stream = Stream::open(url.clone(), None, None).await;
        queue(&app, other).await;
        queue(&app, watched).await;
        let expected = history_ids(&app, Some(watched)).await;
        let last = *expected.last().expect("events");
        stream.read_until(|r| r.events.last().is_some_and(|(id, _)| *id >= last)).await;
        assert_same_ids(&stream.ids(), &expected, "only the watched ticket's events");
        drop(stream);

        // While nobody follows, the ticket moves on; a reconnect with
        // Last-Event-ID (which wins over the URL's last_event_id=0) gets
        // exactly what was missed.
        let (status, body) = app.move_subticket(subs[0], 200, 100).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let missed: Vec<i64> = history_ids(&app, Some(watched))
            .await
            .into_iter()
            .filter(|id| *id > last)
            .collect();
        assert!(!missed.is_empty());
        let mut resumed = Stream::open(url, None, Some(last)).await;
        let newest = *missed.last().expect("missed events");
        resumed.read_until(|r| r.events.last().is_some_and(|(id, _)| *id >= newest)).await;
        assert_same_ids(&resumed.ids(), &missed, "what was missed");
    }

    async fn malformed_ids_unknown_parameters_and_missing_tickets_are_refused(app) {
        for (path, header, status, needle) in [
            ("/api/v1/events/", Some("abc"), StatusCode::BAD_REQUEST, "Last-Event-ID"),
            ("/api/v1/events/", Some("-3"), StatusCode::BAD_REQUEST, "Last-Event-ID"),
            ("/api/v1/events/?last_event_id=x", None, StatusCode::BAD_REQUEST, "last_event_id"),
            ("/api/v1/events/?ticket=seven", None, StatusCode::BAD_REQUEST, "ticket"),
            ("/api/v1/events/?since=4", None, StatusCode::BAD_REQUEST, "allowed: ticket, last_event_id"),
            ("/api/v1/events/?ticket=999", None, StatusCode::NOT_FOUND, "no ticket 999"),
        ] {
            let mut request = app.client().get(app.url(path));
            if let Some(value) = header {
                request = request.header("Last-Event-ID", value);
            }
            let response = request.send().await.expect("an answer");
            assert_eq!(response.status(), status, "{path} {header:?}");
            let body: Value = response.json().await.expect("the error body");
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains(needle), "{path} {header:?}: {body}");
        }
    }
}

/// A server whose limits are `limits`, on `backend`.
async fn with_limits(backend: Backend, limits: Limits) -> Option<TestApp> {
    TestApp::spawn_with(
        backend,
        Options {
            limits,
            ..Options::default()
        },
    )
    .await
}

async fn the_cap_on_streams_answers_503_and_frees_a_place_when_one_closes(backend: Backend) {
    let limits = Limits {
        max_event_streams: 2,
        ..Limits::default()
    };
    let Some(app) = with_limits(backend, limits).await else {
        return;
    };
    let url = app.url("/api/v1/events/");
    let one = Stream::open(url.clone(), None, None).await;
    let _two = Stream::open(url.clone(), None, None).await;
    let refused = app.client().get(&url).send().await.expect("an answer");
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = refused.json().await.expect("the error body");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("max_event_streams")),
        "{body}"
    );
    drop(one);
    // The server notices the closed connection at its next write: a
    // heartbeat at most, so wait for the place to come free.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let response = app.client().get(&url).send().await.expect("an answer");
        if response.status() == StatusCode::OK {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no place came free");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn an_idle_stream_sends_heartbeats(backend: Backend) {
    let limits = Limits {
        event_heartbeat: Duration::from_millis(200),
        ..Limits::default()
    };
    let Some(app) = with_limits(backend, limits).await else {
        return;
    };
    let mut stream = Stream::open(app.url("/api/v1/events/"), None, None).await;
    let received = stream.read_until(|r| r.comments >= 3).await;
    assert!(received.events.is_empty(), "{received:?}");
    assert!(!received.ended);

    // A stream of one ticket, while another ticket's events flow: passed
    // over, they are no sign of life, and the heartbeats still come.
    let watched = app.ticket("watched").await;
    let busy = app.ticket("busy").await;
    let mut filtered = Stream::open(
        app.url(&format!("/api/v1/events/?ticket={watched}")),
        None,
        None,
    )
    .await;
    let writes = async {
        for n in 0..40 {
            let (status, body) = app
                .dev()
                .post(
                    "/api/v1/ticketartifact/",
                    json!({"ticket": busy, "type": "LOGS", "name": format!("l{n}"), "reference": "https://logs.example/l"}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    };
    let (received, ()) = tokio::join!(filtered.read_until(|r| r.comments >= 3), writes);
    assert!(received.events.is_empty(), "{received:?}");
}

/// A client that reads nothing falls behind; its stream is ended once the
/// broadcast has moved `event_backlog` events past it, while the writers
/// finish and another client gets every event. Resumed from its last id,
/// it gets the rest.
async fn a_slow_client_is_cut_off_without_slowing_writers_or_other_clients(backend: Backend) {
    let limits = Limits {
        // Far below what the writes below make; one write at a time makes
        // one or two events, and the reading client keeps up.
        event_backlog: 32,
        event_heartbeat: Duration::from_millis(200),
        ..Limits::default()
    };
    let Some(app) = with_limits(backend, limits).await else {
        return;
    };
    let url = app.url("/api/v1/events/");
    // The stalled client's socket takes little: a 4 KiB receive buffer.
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    let address = app.base.trim_start_matches("http://").to_string();
    let mut stalled = socket
        .connect(address.parse().expect("an address"))
        .await
        .expect("connect");
    let request = format!("GET /api/v1/events/ HTTP/1.1\r\nHost: {address}\r\n\r\n");
    tokio::io::AsyncWriteExt::write_all(&mut stalled, request.as_bytes())
        .await
        .expect("send the request");

    let (target, newest) = tokio::sync::watch::channel(i64::MAX);
    let mut reader = Stream::open(url.clone(), None, None).await;
    let reading = tokio::spawn(async move {
        reader
            .read_until(|r| {
                r.events
                    .last()
                    .is_some_and(|(id, _)| *id >= *newest.borrow())
            })
            .await;
        reader
    });
    // Events of 60 KB (a status message may be 64 KiB): 20 tickets walked
    // through the workflow make 220 of them, 13 MB, far more than the
    // stalled client's socket buffers hold.
    let message = "x".repeat(60_000);
    const WALK: [(i64, i64); 10] = [
        (100, 0),
        (200, 100),
        (200, 200),
        (300, 100),
        (300, 200),
        (400, 100),
        (400, 200),
        (500, 100),
        (500, 200),
        (1000, 1000),
    ];
    for n in 0..20 {
        let ticket = app.ticket(&format!("t{n}")).await;
        for (step, status) in WALK {
            let (code, body) = app
                .lander()
                .patch(
                    &format!("/api/v1/updateticketstatus/{ticket}/"),
                    json!({"current_workflow_step": step, "status": status, "message": message}),
                )
                .await;
            assert_eq!(code, StatusCode::ACCEPTED, "{body}");
        }
    }
    let all = history_ids(&app, None).await;
    target.send_replace(*all.last().expect("events"));
    let reader = reading.await.expect("the reader");
    assert_same_ids(&reader.ids(), &all, "the reading client got every event");

    // Now read what the stalled client was sent: the response ends (its
    // last chunk, `0`, arrives; the connection may stay open) before the
    // newest event.
    let mut sent = Vec::new();
    let ended = tokio::time::timeout(WAIT, async {
        let mut chunk = [0u8; 65536];
        loop {
            let n = tokio::io::AsyncReadExt::read(&mut stalled, &mut chunk)
                .await
                .expect("read the stalled stream");
            sent.extend_from_slice(&chunk[..n]);
            if n == 0 || sent.ends_with(b"\r\n0\r\n\r\n") {
                return;
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&sent);
    assert!(
        ended.is_ok(),
        "the server ended the stalled stream; it sent {} bytes, {} events, ending {:?}",
        sent.len(),
        text.matches("\nid: ").count(),
        &text[text.len().saturating_sub(300)..]
    );
    let got: Vec<i64> = text
        .lines()
        .filter_map(|l| l.strip_prefix("id: "))
        .filter_map(|id| id.parse().ok())
        .collect();
    assert!(
        got.len() < all.len(),
        "it ended before the end: {} of {}",
        got.len(),
        all.len()
    );
    assert_same_ids(
        &got,
        &all[..got.len()],
        "what it got is in order, none skipped",
    );
    let last = got.last().copied().unwrap_or(0);
    let mut resumed = Stream::open(url, None, Some(last)).await;
    let newest = *all.last().expect("events");
    resumed
        .read_until(|r| r.events.last().is_some_and(|(id, _)| *id >= newest))
        .await;
    assert_same_ids(
        &resumed.ids(),
        &all[got.len()..],
        "resumed, it got the rest",
    );
}

/// `got` equals `want`; else a short account: the lengths and the first
/// difference (the lists run to thousands).
#[track_caller]
fn assert_same_ids(got: &[i64], want: &[i64], what: &str) {
    if got == want {
        return;
    }
    let first = got.iter().zip(want).position(|(g, w)| g != w);
    panic!(
        "{what}: got {} ids, expected {}; first difference at {first:?} \
         (got {:?}, expected {:?}); got ends {:?}",
        got.len(),
        want.len(),
        first.map(|i| got[i]),
        first.map(|i| want[i]),
        &got[got.len().saturating_sub(5)..],
    );
}

/// Clients that go away while their stream reads the history abandon the
/// read half-way; the connection it held must still serve the next
/// request (sqlx would give it back inside a transaction).
async fn abandoned_streams_leave_every_connection_usable(backend: Backend) {
    let Some(app) = TestApp::spawn_with(
        backend,
        Options {
            store: ticketd::store::StoreOptions {
                max_connections: Some(2),
                ..ticketd::store::StoreOptions::default()
            },
            ..Options::default()
        },
    )
    .await
    else {
        return;
    };
    // A history of some thousand events, so that a stream from the start
    // is in the middle of a read when its client hangs up.
    for n in 0..10 {
        let uploads: Vec<Value> = (0..100)
            .map(|u| json!({"sourcepackage": format!("p{u}"), "version": format!("{n}.0")}))
            .collect();
        let (status, body) = app
            .dev()
            .post(
                "/api/v1/bundle/",
                json!({"ticket": {"owner": "dev@example.com", "title": "t"}, "uploads": uploads}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    for round in 0..60u64 {
        let request = app
            .client()
            .get(app.url("/api/v1/events/?last_event_id=0"))
            .send();
        // Gone before the answer, or once it has begun (the history being
        // read and sent).
        if round % 2 == 0 {
            let _ = tokio::time::timeout(Duration::from_micros(round % 7 * 300), request).await;
        } else {
            drop(request.await.expect("the stream answers"));
        }
        let (status, body) = app.anon().get("/api/v1/opentickets/?limit=1").await;
        assert_eq!(status, StatusCode::OK, "round {round}: {body}");
        let (status, body) = app.anon().get("/api/v1/event/?limit=1&order_by=-id").await;
        assert_eq!(status, StatusCode::OK, "round {round}: {body}");
    }
}

/// `backend_tests!` for tests that start their own server (other limits).
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod limited {
            mod sqlite {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        super::super::$name(crate::helpers::Backend::Sqlite).await;
                    }
                )*
            }
            mod postgres {
                $(
                    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                    async fn $name() {
                        super::super::$name(crate::helpers::Backend::Postgres).await;
                    }
                )*
            }
        }
    };
}

on_both_backends!(
    abandoned_streams_leave_every_connection_usable,
    the_cap_on_streams_answers_503_and_frees_a_place_when_one_closes,
    an_idle_stream_sends_heartbeats,
    a_slow_client_is_cut_off_without_slowing_writers_or_other_clients,
);

/// SIGTERM ends every stream at once: an idle stream does not hold
/// shutdown open for `shutdown_grace_secs`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_every_stream_at_once() {
    let sandbox = Sandbox::new();
    // Requests in flight may take shutdown_grace_secs (10 s) to finish.
    let server = sandbox.serve(None, &["--no-auth"]).await;
    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(Stream::open(server.url("/api/v1/events/"), None, None).await);
    }
    let started = std::time::Instant::now();
    let status = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "shutdown waited {:?} for idle streams",
        started.elapsed()
    );
    for mut stream in streams {
        assert!(stream.read_until(|_| false).await.ended);
    }
}

/// Several `ticketd` on one PostgreSQL: a stream on one carries the events
/// written through another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgresql_every_process_streams_every_processs_events() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    let sandbox = Sandbox::new();
    let reader = sandbox.serve(Some(&db.url), &["--no-auth"]).await;
    let writer = sandbox.serve(Some(&db.url), &["--no-auth"]).await;
    let mut stream = Stream::open(reader.url("/api/v1/events/"), None, None).await;
    let ticket = writer
        .post(
            "/api/v1/ticket/",
            json!({"owner": "dev@example.com", "title": "elsewhere"}),
        )
        .await;
    let id = ticket["id"].as_i64().expect("an id");
    let received = stream
        .read_until(|r| {
            r.events
                .iter()
                .any(|(_, e)| e["ticket"] == format!("/api/v1/ticket/{id}/"))
        })
        .await;
    assert!(!received.ended);
}
