//! What no client can stretch: idle and slow connections are closed, a
//! stalled body is given up on, connections past the cap get a quick 503,
//! a body declared too large is refused before it is sent, a list page
//! stops at its byte budget, and shutdown does not wait for the slowest
//! client. Over raw TCP where the client misbehaves, as an attacker would.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;
use ticketd::connections::ConnectionOptions;
use ticketd::server::HttpOptions;
use ticketd::state::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{Backend, Options, TestApp, read_final};
use crate::procs::Sandbox;

/// Far longer than any bound under test: waiting this long means the
/// server never let go.
const NEVER: Duration = Duration::from_secs(8);

fn short_deadlines() -> Options {
    Options {
        http: HttpOptions {
            body_idle_timeout: Duration::from_secs(1),
            connections: ConnectionOptions {
                header_read_timeout: Duration::from_secs(1),
                ..ConnectionOptions::default()
            },
            ..HttpOptions::default()
        },
        ..Options::default()
    }
}

async fn connect(app_base: &str) -> TcpStream {
    TcpStream::connect(app_base.trim_start_matches("http://"))
        .await
        .expect("connect to the server")
}

/// Whether the server closed the connection (EOF or reset) within `NEVER`;
/// anything it sent first is returned.
async fn closed_by_server(stream: &mut TcpStream) -> Option<String> {
    let mut seen = Vec::new();
    let mut buf = [0u8; 1024];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => seen.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(NEVER, read)
        .await
        .ok()
        .map(|()| String::from_utf8_lossy(&seen).into_owned())
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_deadline() {
    let app = TestApp::spawn_with(Backend::Sqlite, short_deadlines())
        .await
        .expect("SQLite always runs");
    let mut idle = connect(&app.base).await;
    let started = Instant::now();
    assert!(
        closed_by_server(&mut idle).await.is_some(),
        "an idle connection was still open after {NEVER:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_deadline() {
    let app = TestApp::spawn_with(Backend::Sqlite, short_deadlines())
        .await
        .expect("SQLite always runs");
    let mut stream = connect(&app.base).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .expect("request");
    let mut first = [0u8; 12];
    stream.read_exact(&mut first).await.expect("an answer");
    assert_eq!(&first, b"HTTP/1.1 200");
    // The answer is in; the connection now idles between requests.
    assert!(
        closed_by_server(&mut stream).await.is_some(),
        "an idle keep-alive connection was still open after {NEVER:?}"
    );
}

#[tokio::test]
async fn a_slowloris_client_is_cut_off_before_its_headers_end() {
    let app = TestApp::spawn_with(Backend::Sqlite, short_deadlines())
        .await
        .expect("SQLite always runs");
    let mut stream = connect(&app.base).await;
    stream
        .write_all(b"GET /api/v1/ticket/ HTTP/1.1\r\nHost: t\r\n")
        .await
        .expect("request line");
    let started = Instant::now();
    // One more header line every 300 ms, for ever: each arrives well
    // within any per-read timeout, but the head never ends.
    let mut cut = false;
    while started.elapsed() < NEVER {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let line = format!("X-Slow-{}: 1\r\n", started.elapsed().as_millis());
        if stream.write_all(line.as_bytes()).await.is_err() {
            cut = true;
            break;
        }
        let mut buf = [0u8; 256];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_millis(1), stream.read(&mut buf)).await
        {
            cut = true;
            break;
        }
    }
    assert!(
        cut,
        "a head sent a line at a time was still read after {NEVER:?}"
    );
}

#[tokio::test]
async fn a_stalled_upload_is_given_up_after_the_body_idle_timeout() {
    let app = TestApp::spawn_with(Backend::Sqlite, short_deadlines())
        .await
        .expect("SQLite always runs");
    let digest = "0".repeat(64);
    let mut stream = connect(&app.base).await;
    let head = format!(
        "PUT /api/v1/blob/{digest} HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: 65536\r\nConnection: close\r\n\r\n",
        app.token(Role::Developer)
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    stream.write_all(&[b'x'; 1024]).await.expect("a first part");
    // Then nothing more: blob uploads have no request timeout, so only
    // the idle timeout can end this.
    let seen = closed_by_server(&mut stream).await;
    let seen = seen.unwrap_or_else(|| panic!("a stalled upload was still held after {NEVER:?}"));
    assert!(
        seen.is_empty() || seen.starts_with("HTTP/1.1 4"),
        "a stalled upload is the client's fault: {seen}"
    );
    let tmp = app.data_dir().join("blobs").join("tmp");
    assert_eq!(
        std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0),
        0,
        "nothing of the stalled upload is left in {}",
        tmp.display()
    );
}

#[tokio::test]
async fn a_stalled_json_body_is_given_up_after_the_body_idle_timeout() {
    let app = TestApp::spawn_with(Backend::Sqlite, short_deadlines())
        .await
        .expect("SQLite always runs");
    let mut stream = connect(&app.base).await;
    let head = format!(
        "POST /api/v1/ticket/ HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{{\"title\": ",
        app.token(Role::Developer)
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let started = Instant::now();
    let (status, body) = read_final(&mut stream).await;
    assert_eq!(status, 400, "{body}");
    // The request timeout (30 s) did not end it: the idle timeout did.
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("body")),
        "{body}"
    );
}

#[tokio::test]
async fn a_json_body_declared_over_the_limit_is_refused_before_it_is_sent() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let limit = HttpOptions::default().max_body_bytes;
    let mut stream = connect(&app.base).await;
    let head = format!(
        "POST /api/v1/packagelist/ HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        app.token(Role::Admin),
        limit + 1
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    // No byte of the body is sent: the answer must not wait for it.
    let started = Instant::now();
    let (status, body) = read_final(&mut stream).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn connections_past_the_cap_get_a_quick_503_and_are_counted() {
    let options = Options {
        http: HttpOptions {
            connections: ConnectionOptions {
                max_connections: 4,
                header_read_timeout: Duration::from_secs(60),
                ..ConnectionOptions::default()
            },
            ..HttpOptions::default()
        },
        ..Options::default()
    };
    let app = TestApp::spawn_with(Backend::Sqlite, options)
        .await
        .expect("SQLite always runs");
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(connect(&app.base).await);
    }
    // Let the server take all four before the fifth arrives.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let (status, body) = app.anon().get("/healthz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert!(started.elapsed() < Duration::from_secs(5));

    held.clear();
    let metrics = metrics_once_free(&app).await;
    let refused = metric(&metrics, "ticketd_http_connections_refused_total");
    assert!(refused >= 1.0, "{metrics}");
    assert!(metric(&metrics, "ticketd_http_connections_open") >= 1.0);
}

/// `/metrics` once a connection is free again.
async fn metrics_once_free(app: &TestApp) -> String {
    let deadline = Instant::now() + NEVER;
    loop {
        let response = app
            .client()
            .get(app.url("/metrics"))
            .send()
            .await
            .expect("GET /metrics");
        if response.status() == StatusCode::OK {
            return response.text().await.expect("metrics text");
        }
        assert!(
            Instant::now() < deadline,
            "closed connections never freed their places"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in:\n{text}"))
}

async fn a_list_page_stops_at_its_byte_budget_and_next_goes_on(backend: Backend) {
    let options = Options {
        limits: Limits {
            max_page_bytes: 64 * 1024,
            ..Limits::default()
        },
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let description = "d".repeat(30 * 1024);
    let mut created = Vec::new();
    for i in 0..10 {
        let (status, body) = app
            .dev()
            .post(
                "/api/v1/ticket/",
                json!({"title": format!("large {i}"), "owner": "dev@example.com", "description": description}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        created.push(body["id"].as_i64().expect("id"));
    }
    let (status, page) = app.anon().get("/api/v1/ticket/?limit=10").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let objects = page["objects"].as_array().expect("objects");
    assert!(
        !objects.is_empty() && objects.len() < 10,
        "a page of 300 KB of text past a 64 KB budget held {} tickets",
        objects.len()
    );
    assert_eq!(page["meta"]["limit"], objects.len(), "{}", page["meta"]);
    assert_eq!(page["meta"]["total_count"], 10);

    // Following `next` gives every ticket exactly once, in order.
    let mut seen: Vec<i64> = Vec::new();
    let mut next = Some("/api/v1/ticket/?limit=10".to_string());
    while let Some(path) = next {
        let (status, page) = app.anon().get(&path).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        seen.extend(
            page["objects"]
                .as_array()
                .expect("objects")
                .iter()
                .map(|o| o["id"].as_i64().expect("id")),
        );
        next = page["meta"]["next"].as_str().map(str::to_string);
        assert!(seen.len() <= 10, "paging went past the end: {seen:?}");
    }
    assert_eq!(seen, created);

    // A full ticket page is cut the same way.
    let (status, full) = app.anon().get("/api/v1/fullticket/?limit=10").await;
    assert_eq!(status, StatusCode::OK, "{full}");
    let n = full["objects"].as_array().expect("objects").len();
    assert!(n > 0 && n < 10, "{}", full["meta"]);
    assert_eq!(full["meta"]["limit"], n);
}

#[tokio::test]
async fn a_list_page_stops_at_its_byte_budget_on_sqlite() {
    a_list_page_stops_at_its_byte_budget_and_next_goes_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_list_page_stops_at_its_byte_budget_on_postgres() {
    a_list_page_stops_at_its_byte_budget_and_next_goes_on(Backend::Postgres).await;
}

#[tokio::test]
async fn a_fullticket_page_holds_at_most_100_tickets() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    for i in 0..101 {
        app.ticket(&format!("t{i}")).await;
    }
    let (status, page) = app.anon().get("/api/v1/fullticket/?limit=1000").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["objects"].as_array().map(Vec::len), Some(100));
    assert_eq!(page["meta"]["limit"], 100);
    assert!(page["meta"]["next"].as_str().is_some(), "{}", page["meta"]);
}

#[tokio::test]
async fn shutdown_cuts_stalled_clients_after_the_grace_and_exits_cleanly() {
    let sandbox = Sandbox::new();
    let config = sandbox.path("config.toml");
    std::fs::write(&config, "shutdown_grace_secs = 1\n").expect("config file");
    let config = config.to_str().expect("a UTF-8 path").to_string();
    let server = sandbox
        .serve(None, &["--no-auth", "--config", config.as_str()])
        .await;
    let address = server.base.trim_start_matches("http://").to_string();

    // An upload that stops half way, and a head that never ends.
    let mut upload = TcpStream::connect(&address).await.expect("connect");
    let head = format!(
        "PUT /api/v1/blob/{} HTTP/1.1\r\nHost: t\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: 65536\r\n\r\n",
        "0".repeat(64)
    );
    upload.write_all(head.as_bytes()).await.expect("head");
    upload.write_all(&[b'x'; 1024]).await.expect("part");
    let mut half_head = TcpStream::connect(&address).await.expect("connect");
    half_head
        .write_all(b"GET /api/v1/ticket/ HTTP/1.1\r\nHost: t\r\n")
        .await
        .expect("half a head");
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = Instant::now();
    let status = server.stop();
    let took = started.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(
        took < NEVER,
        "ticketd took {took:?} to exit with a 1 s grace: it waited for its slowest clients"
    );
    drop((upload, half_head));
}

#[tokio::test]
async fn a_low_open_file_limit_caps_connections_instead_of_stalling_everyone() {
    let sandbox = Sandbox::new();
    let config = sandbox.path("config.toml");
    std::fs::write(&config, "header_read_timeout_secs = 2\n").expect("config file");
    let port = crate::procs::free_port();
    let command = format!(
        "ulimit -n 128 && exec {} serve --no-auth --config {} --data-dir {} --listen 127.0.0.1:{port}",
        crate::procs::BIN,
        config.display(),
        sandbox.data_dir()
    );
    let server = crate::procs::Server::spawn(&sandbox, sandbox.shell(&command), port).await;
    let address = server.base.trim_start_matches("http://").to_string();

    // More idle connections than there are descriptors.
    let mut idle = Vec::new();
    for _ in 0..140 {
        match TcpStream::connect(&address).await {
            Ok(stream) => idle.push(stream),
            Err(_) => break,
        }
    }
    let client = crate::procs::client();
    let started = Instant::now();
    let answer = client
        .get(server.url("/healthz"))
        .timeout(NEVER)
        .send()
        .await
        .expect("an answer, not a stall");
    assert!(
        matches!(
            answer.status(),
            StatusCode::OK | StatusCode::SERVICE_UNAVAILABLE
        ),
        "{answer:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));

    // Once the idle ones reach their header deadline, everyone is served.
    let deadline = Instant::now() + NEVER;
    loop {
        let status = client
            .get(server.url("/healthz"))
            .timeout(NEVER)
            .send()
            .await
            .map(|r| r.status());
        if matches!(status, Ok(StatusCode::OK)) {
            break;
        }
        assert!(Instant::now() < deadline, "never served again: {status:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let logs = server.logs();
    assert!(logs.contains("open-file limit"), "{logs}");
    drop(idle);
    let body: Value = client
        .get(server.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .map(Value::String)
        .expect("text");
    assert!(
        body.as_str()
            .is_some_and(|m| m.contains("ticketd_http_connections_refused_total")),
        "{body}"
    );
}
