//! PostgreSQL going away under a running `ticketd`, and coming back. The test
//! runs a throwaway PostgreSQL cluster of its own (initdb in a temp dir, as
//! the `postgres` user, on a free port) so that it can stop it without
//! touching the shared server. While the database is down, requests that need
//! it are answered 503 with the error body of `docs/api.md`, `/readyz` says
//! not ready, `/healthz` stays 200 and the process stays up; once the
//! database is back on the same port, the same process is ready and takes
//! writes again within a bounded wait, without a restart.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::crash::{bundle_request, check_shape, id};
use crate::helpers::{POSTGRES_ENV, skip_postgres};
use crate::procs::{Sandbox, Server, client, free_port, send};

/// How long `ticketd` may take to notice the database is back.
const RECOVERY: Duration = Duration::from_secs(15);
/// The longest a request may take while the database is down: the pool's
/// acquire timeout (5 s by default) and some slack; the HTTP layer's own
/// timeout (30 s) would be far too late for a client.
const OUTAGE_ANSWER: Duration = Duration::from_secs(12);

/// The PostgreSQL server programs (`initdb`, `pg_ctl`): `pg_config
/// --bindir`, else the newest `/usr/lib/postgresql/*/bin`.
fn postgres_bindir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
        && output.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if has_tools(&dir) {
            return Some(dir);
        }
    }
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, dir)| dir)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A PostgreSQL cluster in a temp dir, stopped and removed when dropped,
/// a failed test too.
struct Cluster {
    bindir: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    /// As root, the programs run as the `postgres` user (initdb refuses root).
    as_postgres: bool,
}

impl Cluster {
    /// initdb and start a cluster, or say why not (missing programs or user).
    fn create() -> Result<Cluster, String> {
        let bindir = postgres_bindir().ok_or(
            "no PostgreSQL server programs: neither `pg_config --bindir` nor \
             /usr/lib/postgresql/*/bin has initdb and pg_ctl",
        )?;
        let as_postgres = is_root();
        let dir = tempfile::tempdir().map_err(|e| format!("a temp dir: {e}"))?;
        if as_postgres {
            let known = Command::new("id")
                .arg("postgres")
                .output()
                .is_ok_and(|o| o.status.success());
            if !known {
                return Err(
                    "running as root, and there is no `postgres` user to run initdb as".into(),
                );
            }
            let chowned = Command::new("chown")
                .args(["postgres:", path_str(dir.path())])
                .status()
                .map_err(|e| format!("chown: {e}"))?;
            if !chowned.success() {
                return Err(format!("chown postgres: {} failed", dir.path().display()));
            }
        }
        let cluster = Cluster {
            bindir,
            dir,
            port: free_port(),
            as_postgres,
        };
        let data = cluster.data();
        let initdb = cluster.run(
            "initdb",
            &[
                "-D",
                &data,
                "--auth=trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        if !initdb.status.success() {
            return Err(format!("initdb failed: {}", shown(&initdb)));
        }
        cluster.start();
        Ok(cluster)
    }

    fn data(&self) -> String {
        path_str(&self.dir.path().join("data")).to_string()
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// A program of the bindir, as the `postgres` user when we are root.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = self.bindir.join(program);
        let mut command = if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        };
        command
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("run {}: {e}", self.bindir.display()))
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=16MB -c max_connections=40",
            self.port,
            path_str(self.dir.path())
        );
        let log = path_str(&self.dir.path().join("server.log")).to_string();
        let started = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        assert!(
            started.status.success(),
            "pg_ctl start failed: {}\n--- server.log\n{}",
            shown(&started),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn stop(&self, mode: &str) {
        let stopped = self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", mode, "-w", "-t", "60", "stop"],
        );
        assert!(
            stopped.status.success(),
            "pg_ctl stop failed: {}",
            shown(&stopped)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // Stopped already, or never started: pg_ctl says so; nothing to do.
        let _ = self.run(
            "pg_ctl",
            &["-D", &self.data(), "-m", "immediate", "-w", "stop"],
        );
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temp path")
}

fn shown(output: &Output) -> String {
    format!(
        "{}\n--- stdout\n{}--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A request to `server`: the status, the body and how long it took.
async fn timed(
    server: &Server,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value, Duration) {
    let mut request = client().request(method.clone(), server.url(path));
    if let Some(body) = body {
        request = request.json(body);
    }
    let started = Instant::now();
    let (status, answer) = send(request)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: no answer at all: {e}\n{}", server.logs()));
    (status, answer, started.elapsed())
}

/// Whether `body` is the error body (`docs/api.md`) with `code`: an `error`
/// object with `code` and a non-empty `message`, and nothing that leaks SQL.
fn is_error_body(body: &Value, code: &str) -> bool {
    let error = &body["error"];
    error["code"] == code
        && error["message"].as_str().is_some_and(|m| !m.is_empty())
        && !body.to_string().to_lowercase().contains("sqlx")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticketd_answers_503_while_postgres_is_down_and_recovers_without_a_restart() {
    let started = Instant::now();
    let cluster = match Cluster::create() {
        Ok(cluster) => cluster,
        Err(why) if std::env::var(POSTGRES_ENV).is_ok() => {
            panic!("{POSTGRES_ENV} is set, so the PostgreSQL outage test must run, but: {why}")
        }
        Err(why) => {
            skip_postgres(&format!("the outage test has no cluster of its own: {why}"));
            return;
        }
    };
    let sandbox = Sandbox::new();
    let mut server = sandbox.serve(Some(&cluster.url()), &["--no-auth"]).await;
    let before = bundle_request("outage-before", 7_000_001);
    let answer = server.post("/api/v1/bundle/", before.clone()).await;
    let ticket = id(&answer);
    let ticket_path = format!("/api/v1/ticket/{ticket}/");
    let ticket_before = server.get(&ticket_path).await;

    cluster.stop("fast");
    let down = Instant::now();
    // `/readyz` shares the result of a probe for up to a second; the last
    // one, from before the outage, said ready.
    tokio::time::sleep(ticketd::health::PROBE_INTERVAL).await;
    let mut timings = Vec::new();
    let mut problems = Vec::new();
    let during = bundle_request("outage-during", 7_000_002);
    let move_it = json!({"current_workflow_step": 200, "status": 100});
    let status_path = format!("/api/v1/updateticketstatus/{ticket}/");
    // Twice: the first requests find the pool's dead connections, the
    // second ones must not hang on reconnecting either. The requests of an
    // attempt run at once (each may wait for the pool's acquire timeout),
    // with `/healthz` among them: liveness must not wait for the database.
    for attempt in 0..2 {
        let requests: [(reqwest::Method, &str, Option<&Value>); 6] = [
            (reqwest::Method::POST, "/api/v1/bundle/", Some(&during)),
            (reqwest::Method::PATCH, &status_path, Some(&move_it)),
            (reqwest::Method::GET, &ticket_path, None),
            (reqwest::Method::GET, "/api/v1/ticket/", None),
            (reqwest::Method::GET, "/readyz", None),
            (reqwest::Method::GET, "/healthz", None),
        ];
        let answers = futures::future::join_all(
            requests
                .iter()
                .map(|(method, path, body)| timed(&server, method.clone(), path, *body)),
        )
        .await;
        for ((method, path, _), (status, answer, took)) in requests.iter().zip(answers) {
            timings.push(format!("{method} {path}: {} in {took:?}", status.as_u16()));
            let wanted = match *path {
                "/healthz" => status == StatusCode::OK && answer == json!({"status": "ok"}),
                "/readyz" => {
                    status == StatusCode::SERVICE_UNAVAILABLE
                        && answer["ready"] == false
                        && is_error_body(&answer, "unavailable")
                }
                _ => {
                    status == StatusCode::SERVICE_UNAVAILABLE
                        && is_error_body(&answer, "unavailable")
                }
            };
            if !wanted {
                problems.push(format!(
                    "attempt {attempt}: {method} {path} while PostgreSQL is down: {status} {answer} (after {took:?}); \
                     wanted /healthz 200 {{\"status\": \"ok\"}}, /readyz 503 {{\"ready\": false, \"error\": …}}, \
                     anything else 503 {{\"error\": {{\"code\": \"unavailable\", \"message\": …}}}}"
                ));
            }
            // A readiness probe's own timeout is often 1 s: /readyz must
            // say 503 before that, not time out.
            let limit = match *path {
                "/healthz" => Duration::from_secs(1),
                "/readyz" => Duration::from_millis(1500),
                _ => OUTAGE_ANSWER,
            };
            if took > limit {
                problems.push(format!(
                    "attempt {attempt}: {method} {path} took {took:?} to answer while PostgreSQL is down"
                ));
            }
        }
    }
    if let Some(status) = server.exited() {
        problems.push(format!(
            "ticketd exited while PostgreSQL was down: {status}"
        ));
    }
    let outage = down.elapsed();
    assert!(
        problems.is_empty(),
        "while PostgreSQL was down ({outage:?}):\n{}\n--- ticketd log\n{}",
        problems.join("\n"),
        server.logs()
    );

    cluster.start();
    let back = Instant::now();
    let http = client();
    let ready_again = loop {
        let answered = send(http.get(server.url("/readyz"))).await;
        if let Ok((StatusCode::OK, body)) = &answered {
            assert_eq!(body, &json!({"ready": true}));
            break back.elapsed();
        }
        assert!(
            back.elapsed() < RECOVERY,
            "PostgreSQL is back on port {}, but /readyz still answers {answered:?} after {RECOVERY:?}:\n{}",
            cluster.port,
            server.logs()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(server.exited(), None, "ticketd is still the same process");
    let (status, answer, _) = timed(
        &server,
        reqwest::Method::POST,
        "/api/v1/bundle/",
        Some(&during),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a bundle once PostgreSQL is back: {answer}\n{}",
        server.logs()
    );
    if let Err(problem) = check_shape(&during, &answer) {
        panic!("the bundle after the outage: {problem}");
    }
    let (status, answer, _) = timed(
        &server,
        reqwest::Method::PATCH,
        &status_path,
        Some(&move_it),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::ACCEPTED,
        "a status change once PostgreSQL is back: {answer}"
    );
    let ticket_after = server.get(&ticket_path).await;
    for key in ["title", "owner", "created", "description"] {
        assert_eq!(
            ticket_after[key], ticket_before[key],
            "{key} of the ticket made before the outage"
        );
    }
    let tickets = server.get("/api/v1/ticket/").await;
    assert_eq!(
        tickets["meta"]["total_count"], 2,
        "the ticket from before and the one after; nothing from the outage: {tickets}"
    );
    let logs = server.logs();
    let status = server.stop();
    assert!(
        status.success(),
        "SIGTERM after the outage: {status}\n{logs}"
    );
    eprintln!(
        "outage: while PostgreSQL was down ({outage:?}):\n  {}\nready {ready_again:?} after PostgreSQL was back; {:?} in all",
        timings.join("\n  "),
        started.elapsed()
    );
}
