//! Restarts that drop nothing (docs/operations.md, "Restarts"), with the
//! real binary (harness: procs.rs). The test holds the listening socket
//! itself, as systemd holds ticketd.socket's, and starts each `ticketd
//! serve` on it as systemd starts ticketd.service: the socket as fd 3,
//! `LISTEN_FDS=1`, `LISTEN_PID` the child's own pid, and a `NOTIFY_SOCKET`
//! the test reads READY=1 and STOPPING=1 from (`Type=notify`).
//!
//! Under continuous reads and writes from several clients it sends SIGTERM
//! and starts a new `ticketd` on the same socket, several times: on SQLite
//! one process at a time (as systemd restarts a unit: the new one starts
//! once the old one has exited, and the socket queues the connections in
//! between), on PostgreSQL two processes behind the one socket, restarted
//! one at a time while the other serves. Not one connection may be
//! refused, not one request may fail, and every acknowledged write must be
//! there in the end.
//!
//! What the clients are: half open a connection per request; half keep
//! their connection alive, with an idle timeout (5 s) below the server's
//! (`header_read_timeout_secs`, 10 s), as a well-behaved keep-alive client
//! does so that it never sends on a connection the server is closing for
//! idleness. Both kinds send requests back to back, and neither retries
//! anything: a failed request is counted as failed. A keep-alive
//! connection in use at SIGTERM gets its next answer with `Connection:
//! close` and the client reconnects, through the socket, to a `ticketd`
//! that serves (connections.rs, `serve_connection`).
//!
//! The upgrade rules that make a rolling restart possible are in
//! upgrades.rs.

use std::error::Error;
use std::net::TcpListener;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::PgDatabase;
use crate::procs::{BIN, PATIENCE, Rng, Sandbox, Server, send};
use crate::upgrades::sqlite_migration_count;

/// Clients sending requests all through the restarts.
const CLIENTS: usize = 6;
/// Restarts in one run.
const RESTARTS: usize = 4;

/// The listening socket, held by the test as systemd holds the socket of
/// ticketd.socket: bound once, passed to every `ticketd` started.
struct HeldSocket {
    listener: TcpListener,
    port: u16,
}

impl HeldSocket {
    fn bind() -> HeldSocket {
        HeldSocket::bind_on("127.0.0.1:0")
    }

    fn bind_on(address: &str) -> HeldSocket {
        let listener = TcpListener::bind(address).expect("bind the socket to hand on");
        let port = listener.local_addr().expect("its address").port();
        HeldSocket { listener, port }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `ticketd serve` on this socket, on the sandbox's data dir (or
    /// `database`), notifying `notify`.
    fn start(&self, sandbox: &Sandbox, database: Option<&str>, notify: &Path) -> Server {
        let command = self.command(sandbox, database, notify, "$$", &[]);
        Server::start(sandbox, command, self.port)
    }

    /// The command of `ticketd serve EXTRA` with this socket passed to
    /// the process `listen_pid` names (`$$`: the child itself). The socket
    /// goes in as the child's stdin; a shell moves it to fd 3 and sets
    /// `LISTEN_PID` to its own pid, which `exec` hands on to `ticketd`
    /// (systemd sets it in the child after fork: the pid is not known
    /// before). No `unsafe` `pre_exec` needed.
    fn command(
        &self,
        sandbox: &Sandbox,
        database: Option<&str>,
        notify: &Path,
        listen_pid: &str,
        extra: &[&str],
    ) -> std::process::Command {
        let data_dir = sandbox.data_dir();
        let mut command = sandbox.shell(&format!(
            r#"export LISTEN_FDS=1 LISTEN_PID={listen_pid}; exec "$0" "$@" 3<&0 </dev/null"#
        ));
        command
            .arg(BIN)
            .args(["serve", "--no-auth", "--data-dir", &data_dir])
            .args(extra);
        if let Some(url) = database {
            command.args(["--database", url]);
        }
        let socket = self
            .listener
            .try_clone()
            .expect("another descriptor of the listening socket");
        command
            .env("NOTIFY_SOCKET", notify)
            .stdin(Stdio::from(OwnedFd::from(socket)));
        command
    }
}

/// A `NOTIFY_SOCKET`: the datagram socket systemd reads `sd_notify`
/// messages from.
struct Notifications {
    socket: tokio::net::UnixDatagram,
    path: PathBuf,
    /// Every message received, in order.
    received: Vec<String>,
}

impl Notifications {
    fn bind(sandbox: &Sandbox, name: &str) -> Notifications {
        let path = sandbox.path(name);
        let socket = tokio::net::UnixDatagram::bind(&path).expect("bind a notify socket");
        Notifications {
            socket,
            path,
            received: Vec::new(),
        }
    }

    /// Wait for a message with the line `line` (`READY=1`), at most
    /// [`PATIENCE`]; fails at once if `server` exits first.
    async fn wait_for(&mut self, line: &str, server: &mut Server) {
        let deadline = Instant::now() + PATIENCE;
        let mut buffer = vec![0u8; 4096];
        while !self.received.iter().any(|m| m.lines().any(|l| l == line)) {
            assert!(
                Instant::now() < deadline,
                "no {line} within {PATIENCE:?}; received {:?}\n{}",
                self.received,
                server.logs()
            );
            match tokio::time::timeout(Duration::from_millis(200), self.socket.recv(&mut buffer))
                .await
            {
                Ok(received) => {
                    let n = received.expect("read the notify socket");
                    self.received
                        .push(String::from_utf8_lossy(&buffer[..n]).into_owned());
                }
                Err(_) => {
                    if let Some(status) = server.exited() {
                        panic!(
                            "ticketd exited ({status}) before {line}; received {:?}\n{}",
                            self.received,
                            server.logs()
                        );
                    }
                }
            }
        }
    }
}

/// One `ticketd` started on the held socket, and what it notified.
struct Process {
    server: Server,
    notifications: Notifications,
}

/// Start `ticketd` number `n` on `socket` and wait for its READY=1.
async fn start_ready(
    sandbox: &Sandbox,
    socket: &HeldSocket,
    database: Option<&str>,
    n: usize,
) -> Process {
    let mut notifications = Notifications::bind(sandbox, &format!("notify-{n}"));
    let mut server = socket.start(sandbox, database, &notifications.path);
    notifications.wait_for("READY=1", &mut server).await;
    Process {
        server,
        notifications,
    }
}

/// SIGTERM, as `systemctl stop` or `restart` sends it: STOPPING=1 comes,
/// then the process exits 0. Its log.
async fn stop(mut process: Process) -> String {
    process.server.child.signal("-TERM");
    process
        .notifications
        .wait_for("STOPPING=1", &mut process.server)
        .await;
    let status = process
        .server
        .child
        .wait_bounded("ticketd serve after SIGTERM");
    let logs = process.server.logs();
    assert!(status.success(), "SIGTERM: exit {status}\n{logs}");
    logs
}

/// What one client did.
#[derive(Debug, Default)]
struct Outcome {
    /// Tickets created and answered 2xx: (id, title).
    acked: Vec<(i64, String)>,
    requests: usize,
    failures: Vec<String>,
}

/// An error with its causes: reqwest's own message says only which
/// request failed, its source says how (refused, reset, closed).
fn chain(err: &dyn Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Requests back to back until `done`: a ticket created, then a read of
/// one created before (which must be there, unchanged), or a list page.
async fn run_client(
    index: usize,
    base: String,
    keep_alive: bool,
    done: Arc<AtomicBool>,
    started: Instant,
    seed: u64,
) -> Outcome {
    let builder = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30));
    let builder = if keep_alive {
        // Below the server's idle timeout (header_read_timeout_secs).
        builder.pool_idle_timeout(Duration::from_secs(5))
    } else {
        builder.pool_max_idle_per_host(0)
    };
    let http = builder.build().expect("an HTTP client");
    let mut rng = Rng::seeded(seed);
    let mut out = Outcome::default();
    let mut seq = 0;
    let fail = |out: &mut Outcome, what: String| {
        out.failures.push(format!(
            "at {:?}, client {index}: {what}",
            started.elapsed()
        ));
    };
    while !done.load(Ordering::SeqCst) {
        seq += 1;
        let title = format!("restart-c{index}-n{seq}");
        out.requests += 1;
        let request = http
            .post(format!("{base}/api/v1/ticket/"))
            .json(&json!({"owner": "dev@example.com", "title": title}));
        match send(request).await {
            Ok((StatusCode::CREATED, body)) => match body["id"].as_i64() {
                Some(id) => out.acked.push((id, title)),
                None => fail(&mut out, format!("POST {title} answered 201 with {body}")),
            },
            Ok((status, body)) => fail(&mut out, format!("POST {title}: {status} {body}")),
            Err(err) => fail(&mut out, format!("POST {title}: {}", chain(&err))),
        }
        out.requests += 1;
        if out.acked.is_empty() || rng.below(4) == 0 {
            let path = "/api/v1/ticket/?limit=5";
            match send(http.get(format!("{base}{path}"))).await {
                Ok((StatusCode::OK, body)) if body["objects"].is_array() => {}
                Ok((status, body)) => fail(&mut out, format!("GET {path}: {status} {body}")),
                Err(err) => fail(&mut out, format!("GET {path}: {}", chain(&err))),
            }
        } else {
            let (id, title) = rng.pick(&out.acked).clone();
            let path = format!("/api/v1/ticket/{id}/");
            match send(http.get(format!("{base}{path}"))).await {
                Ok((StatusCode::OK, body)) if body["title"] == title.as_str() => {}
                Ok((status, body)) => fail(&mut out, format!("GET {path}: {status} {body}")),
                Err(err) => fail(&mut out, format!("GET {path}: {}", chain(&err))),
            }
        }
    }
    out
}

/// The clients, half of them keep-alive (see the module's documentation).
struct Load {
    done: Arc<AtomicBool>,
    clients: Vec<tokio::task::JoinHandle<Outcome>>,
}

impl Load {
    fn start(base: &str, started: Instant, rng: &mut Rng) -> Load {
        let done = Arc::new(AtomicBool::new(false));
        let clients = (0..CLIENTS)
            .map(|index| {
                tokio::spawn(run_client(
                    index,
                    base.to_string(),
                    index % 2 == 0,
                    done.clone(),
                    started,
                    rng.next(),
                ))
            })
            .collect();
        Load { done, clients }
    }

    async fn finish(self) -> Outcome {
        self.done.store(true, Ordering::SeqCst);
        let mut all = Outcome::default();
        for client in self.clients {
            let outcome = client.await.expect("a client ends without a panic");
            all.acked.extend(outcome.acked);
            all.requests += outcome.requests;
            all.failures.extend(outcome.failures);
        }
        all
    }
}

/// No request failed, every process served some of them, and every
/// acknowledged ticket is there, as created, through `server`.
async fn check_outcome(outcome: &Outcome, server: &Server, logs: &[String], restarts: &[String]) {
    let shown_logs = || logs.join("\n--- next ticketd\n");
    assert!(
        outcome.failures.is_empty(),
        "{} of {} requests failed across restarts at {restarts:?}:\n{}\n--- logs\n{}",
        outcome.failures.len(),
        outcome.requests,
        outcome.failures.join("\n"),
        shown_logs()
    );
    for (n, log) in logs.iter().enumerate() {
        assert!(
            log.contains("ticketd::access"),
            "ticketd number {n} served no request: the restarts tested nothing\n{log}"
        );
    }
    let http = crate::procs::client();
    let mut missing = Vec::new();
    for (id, title) in &outcome.acked {
        let (status, body) = send(http.get(server.url(&format!("/api/v1/ticket/{id}/"))))
            .await
            .expect("read an acknowledged ticket");
        if status != StatusCode::OK || body["title"] != title.as_str() {
            missing.push(format!("ticket {id} ({title}): {status} {body}"));
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged tickets are not as created:\n{}",
        missing.len(),
        outcome.acked.len(),
        missing.join("\n")
    );
    eprintln!(
        "restarts at {restarts:?}: {} requests, {} tickets acknowledged, none failed or lost",
        outcome.requests,
        outcome.acked.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_restarts_under_load_fail_no_request_and_lose_no_write() {
    let sandbox = Sandbox::new();
    let socket = HeldSocket::bind();
    let mut rng = Rng::new("restarts on SQLite");
    let started = Instant::now();
    let mut current = start_ready(&sandbox, &socket, None, 0).await;
    let load = Load::start(&socket.base(), started, &mut rng);
    let (mut logs, mut restarts) = (Vec::new(), Vec::new());
    for n in 1..=RESTARTS {
        tokio::time::sleep(Duration::from_millis(300 + rng.below(500))).await;
        restarts.push(format!("{:?}", started.elapsed()));
        // One process at a time, as systemd restarts a unit: two could
        // share the SQLite file (WAL, a busy timeout), but systemd never
        // runs a unit's old and new process together, so neither does
        // the test. Meanwhile the socket queues the connections.
        logs.push(stop(current).await);
        current = start_ready(&sandbox, &socket, None, n).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let outcome = load.finish().await;
    let last = current.server.logs();
    let mut all_logs = logs.clone();
    all_logs.push(last);
    check_outcome(&outcome, &current.server, &all_logs, &restarts).await;
    stop(current).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_processes_behind_one_socket_restart_one_at_a_time_failing_nothing() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    let sandbox = Sandbox::new();
    let socket = HeldSocket::bind();
    let mut rng = Rng::new("restarts on PostgreSQL");
    let started = Instant::now();
    let database = Some(db.url.as_str());
    let mut processes = vec![
        start_ready(&sandbox, &socket, database, 0).await,
        start_ready(&sandbox, &socket, database, 1).await,
    ];
    let load = Load::start(&socket.base(), started, &mut rng);
    let (mut logs, mut restarts) = (Vec::new(), Vec::new());
    for n in 2..2 + RESTARTS {
        tokio::time::sleep(Duration::from_millis(300 + rng.below(500))).await;
        // The other process serves while this one stops and its
        // successor starts.
        let old = processes.remove(0);
        restarts.push(format!("{:?}", started.elapsed()));
        logs.push(stop(old).await);
        processes.push(start_ready(&sandbox, &socket, database, n).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let outcome = load.finish().await;
    // The two last processes may have split the last moments unevenly:
    // the stopped ones must each have served.
    check_outcome(&outcome, &processes[0].server, &logs, &restarts).await;
    for process in processes {
        stop(process).await;
    }
}

/// READY=1 comes once the database is migrated, STOPPING=1 at SIGTERM,
/// and the socket passed is the one served.
#[tokio::test]
async fn ready_comes_after_the_migrations_and_stopping_at_sigterm() {
    let sandbox = Sandbox::new();
    let socket = HeldSocket::bind();
    let mut notifications = Notifications::bind(&sandbox, "notify");
    let mut server = socket.start(&sandbox, None, &notifications.path);
    notifications.wait_for("READY=1", &mut server).await;
    // At READY every migration of the binary is applied (read while the
    // server runs, through SQLite's WAL).
    let file = sandbox.path("data/ticketd.db");
    let applied: i64 = rusqlite::Connection::open(&file)
        .expect("open the database")
        .query_row(
            "SELECT COUNT(*) FROM _sqlx_migrations WHERE success",
            [],
            |row| row.get(0),
        )
        .expect("the migrations table exists at READY=1");
    assert_eq!(applied, sqlite_migration_count());
    let ready = notifications
        .received
        .iter()
        .find(|m| m.lines().any(|l| l == "READY=1"))
        .cloned()
        .unwrap_or_default();
    assert!(
        ready.contains(&format!("STATUS=serving on 127.0.0.1:{}", socket.port)),
        "{:?}",
        notifications.received
    );
    let (status, body) = send(crate::procs::client().get(format!("{}/readyz", socket.base())))
        .await
        .expect("readyz through the passed socket");
    assert_eq!((status, body), (StatusCode::OK, json!({"ready": true})));
    assert!(
        server
            .logs()
            .contains("listening on the socket systemd passed"),
        "{}",
        server.logs()
    );
    stop(Process {
        server,
        notifications,
    })
    .await;
}

/// The shipped units say what `serve` does: systemd waits for READY=1 and
/// hands over the socket of ticketd.socket, the config file is the one
/// every subcommand reads, and a stop waits longer than the drain.
#[test]
fn the_shipped_units_agree_with_serve() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dist/systemd");
    let read = |name: &str| std::fs::read_to_string(dist.join(name)).expect("a shipped unit");
    let (service, socket) = (read("ticketd.service"), read("ticketd.socket"));
    let value = |unit: &str, key: &str| -> Vec<String> {
        unit.lines()
            .filter_map(|line| line.strip_prefix(&format!("{key}=")))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(value(&service, "Type"), ["notify"]);
    assert_eq!(
        value(&service, "ExecStart"),
        ["/usr/local/bin/ticketd serve"]
    );
    assert_eq!(value(&service, "Requires"), ["ticketd.socket"]);
    assert_eq!(value(&socket, "Accept"), ["no"]);
    assert_eq!(value(&socket, "ListenStream").len(), 1, "one socket");
    let config = Path::new("/etc")
        .join(&value(&service, "ConfigurationDirectory")[0])
        .join("config.toml");
    assert_eq!(config, Path::new(ticketd::config::DEFAULT_CONFIG_FILE));
    let stop: u64 = value(&service, "TimeoutStopSec")[0]
        .parse()
        .expect("TimeoutStopSec in seconds");
    let grace = ticketd::connections::ConnectionOptions::default().shutdown_grace;
    assert!(
        Duration::from_secs(stop) > grace + ticketd::connections::DRAIN_IDLE,
        "TimeoutStopSec={stop} would kill ticketd before its shutdown grace ({grace:?}) ends"
    );
    for (key, wanted) in [
        ("Wants", "network-online.target"),
        ("After", "network-online.target"),
    ] {
        assert!(
            value(&service, key).iter().any(|v| v.contains(wanted)),
            "{key}= lacks {wanted}"
        );
    }
}

/// `--no-auth` is refused on a passed socket that is not on a loopback
/// address, as on a `--listen` one.
#[test]
fn without_auth_a_passed_socket_off_loopback_is_refused() {
    let sandbox = Sandbox::new();
    let socket = HeldSocket::bind_on("0.0.0.0:0");
    let command = socket.command(&sandbox, None, &sandbox.path("notify"), "$$", &[]);
    let refused = sandbox.run_command(command, "serve --no-auth on a passed 0.0.0.0 socket");
    assert!(!refused.status.success(), "{}", refused.shown());
    assert!(
        refused.stderr.contains("--no-auth is refused on 0.0.0.0")
            && refused.stderr.contains("loopback"),
        "{}",
        refused.shown()
    );
}

/// Sockets passed to another process (LISTEN_PID not ours: variables a
/// parent leaked) are left alone: `serve` listens on `--listen`.
#[tokio::test]
async fn a_socket_passed_to_another_process_is_left_alone() {
    let sandbox = Sandbox::new();
    let socket = HeldSocket::bind();
    let port = crate::procs::free_port();
    let listen = format!("127.0.0.1:{port}");
    let command = socket.command(
        &sandbox,
        None,
        &sandbox.path("notify"),
        "1",
        &["--listen", &listen],
    );
    let server = Server::spawn(&sandbox, command, port).await;
    assert!(
        !server.logs().contains("socket systemd passed"),
        "{}",
        server.logs()
    );
    assert!(server.stop().success());
}
