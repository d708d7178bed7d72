//! The real `ticketd` binary as a child process, shared by the tests that
//! run it as an operator does (binary.rs, crash.rs, cluster.rs, outage.rs):
//! a cleared environment with only PATH and a temp HOME, a temp data dir,
//! a port of its own, killed and reaped when dropped.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_ticketd");
/// The longest a subcommand, a start or a stop may take.
pub const PATIENCE: Duration = Duration::from_secs(60);
pub const POLL: Duration = Duration::from_millis(50);

/// A port that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}

/// A child process, killed and reaped when dropped (a failed test too).
pub struct ChildGuard(pub Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl ChildGuard {
    /// Wait for the exit, at most [`PATIENCE`].
    pub fn wait_bounded(&mut self, what: &str) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.0.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{what} did not exit within {PATIENCE:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([signal, &self.0.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill {signal} failed");
    }
}

/// What a finished subcommand printed.
pub struct Finished {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

impl Finished {
    /// Refused as a usage error (exit 2) naming `flag` and saying `says`.
    pub fn assert_refused(&self, flag: &str, says: &str) {
        assert_eq!(self.status.code(), Some(2), "{}", self.shown());
        assert!(
            self.stderr.contains(flag) && self.stderr.contains(says),
            "{}",
            self.shown()
        );
    }

    pub fn shown(&self) -> String {
        format!(
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// A temp HOME, a temp data dir and files for the children's output.
pub struct Sandbox {
    root: tempfile::TempDir,
    outputs: AtomicU32,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(root.path().join("home")).expect("home dir");
        Sandbox {
            root,
            outputs: AtomicU32::new(0),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    pub fn data_dir(&self) -> String {
        self.path("data")
            .to_str()
            .expect("a UTF-8 path")
            .to_string()
    }

    /// Fresh files for one child's stdout and stderr.
    pub fn output_files(&self) -> (PathBuf, PathBuf) {
        let n = self.outputs.fetch_add(1, Ordering::SeqCst);
        (
            self.path(&format!("stdout-{n}")),
            self.path(&format!("stderr-{n}")),
        )
    }

    /// `ticketd ARGS` with a cleared environment: PATH and a temp HOME only.
    pub fn ticketd(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .stdin(Stdio::null());
        command
    }

    /// `sh -c SCRIPT` with the same environment as [`Sandbox::ticketd`],
    /// for what only a shell sets up (`ulimit`, `umask`).
    pub fn shell(&self, script: &str) -> Command {
        let mut command = Command::new("sh");
        command
            .args(["-c", script])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path("home"))
            .stdin(Stdio::null());
        command
    }

    /// Run a subcommand to its end (at most [`PATIENCE`]).
    pub fn run(&self, args: &[&str]) -> Finished {
        self.run_command(self.ticketd(args), &args.join(" "))
    }

    /// Run `command` (made by [`Sandbox::ticketd`], with more variables
    /// perhaps) to its end, at most [`PATIENCE`]; `what` names it.
    pub fn run_command(&self, mut command: Command, what: &str) -> Finished {
        let (out, err) = self.output_files();
        let child = command
            .stdout(File::create(&out).expect("stdout file"))
            .stderr(File::create(&err).expect("stderr file"))
            .spawn()
            .expect("spawn ticketd");
        let status = ChildGuard(child).wait_bounded(&format!("ticketd {what}"));
        Finished {
            status,
            stdout: std::fs::read_to_string(out).expect("read stdout"),
            stderr: std::fs::read_to_string(err).expect("read stderr"),
        }
    }

    /// `ticketd [--database URL] --data-dir DIR ARGS`: the database a test uses.
    pub fn run_on(&self, database: Option<&str>, args: &[&str]) -> Finished {
        let data_dir = self.data_dir();
        let mut all = vec!["--data-dir", data_dir.as_str()];
        if let Some(url) = database {
            all.extend(["--database", url]);
        }
        all.extend(args);
        self.run(&all)
    }

    /// `ticketd serve` on a port of its own, on the sandbox's data dir (or
    /// `database`), once it answers /readyz.
    pub async fn serve(&self, database: Option<&str>, extra: &[&str]) -> Server {
        let (command, port) = self.serve_command(database, extra);
        Server::spawn(self, command, port).await
    }

    /// `ticketd serve` started, without waiting for it to be ready (for a
    /// server that may never be).
    pub fn start_serve(&self, database: Option<&str>, extra: &[&str]) -> Server {
        let (command, port) = self.serve_command(database, extra);
        Server::start(self, command, port)
    }

    /// The command of `ticketd serve` on a fresh port, and the port.
    pub fn serve_command(&self, database: Option<&str>, extra: &[&str]) -> (Command, u16) {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let data_dir = self.data_dir();
        let mut args = vec!["serve", "--data-dir", &data_dir, "--listen", &listen];
        if let Some(url) = database {
            args.extend(["--database", url]);
        }
        args.extend(extra);
        (self.ticketd(&args), port)
    }
}

/// A running `ticketd serve`.
pub struct Server {
    pub child: ChildGuard,
    pub base: String,
    log: PathBuf,
}

impl Server {
    /// Spawn `command` and wait until `port` answers /readyz.
    pub async fn spawn(sandbox: &Sandbox, command: Command, port: u16) -> Server {
        let mut server = Server::start(sandbox, command, port);
        server.wait_ready().await;
        server
    }

    /// Spawn `command`, which serves on `port`.
    pub fn start(sandbox: &Sandbox, mut command: Command, port: u16) -> Server {
        let (out, log) = sandbox.output_files();
        let child = command
            .stdout(File::create(out).expect("stdout file"))
            .stderr(File::create(&log).expect("log file"))
            .spawn()
            .expect("spawn ticketd serve");
        Server {
            child: ChildGuard(child),
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    /// The file its stderr goes to, to read after it has stopped.
    pub fn log_file(&self) -> PathBuf {
        self.log.clone()
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub async fn wait_ready(&mut self) {
        let client = client();
        let tries = PATIENCE.as_millis() / POLL.as_millis();
        for _ in 0..tries {
            if let Some(status) = self.child.0.try_wait().expect("try_wait") {
                panic!(
                    "ticketd serve exited ({status}) before it was ready:\n{}",
                    self.logs()
                );
            }
            if let Ok(response) = client.get(format!("{}/readyz", self.base)).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(POLL).await;
        }
        panic!(
            "ticketd serve at {} was not ready within {PATIENCE:?}:\n{}",
            self.base,
            self.logs()
        );
    }

    /// Send `signal` (`-TERM`, `-INT`) and wait for the exit status.
    pub fn stop_with(mut self, signal: &str) -> ExitStatus {
        self.child.signal(signal);
        self.child
            .wait_bounded(&format!("ticketd serve after kill {signal}"))
    }

    pub fn stop(self) -> ExitStatus {
        self.stop_with("-TERM")
    }

    /// `kill -9`: no chance to finish anything; reaped before returning.
    pub fn kill(&mut self) -> ExitStatus {
        self.child.0.kill().expect("send SIGKILL to ticketd");
        self.child.wait_bounded("ticketd serve after SIGKILL")
    }

    /// The exit status, if the process has exited.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.0.try_wait().expect("try_wait on ticketd")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = client()
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("POST");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON answer");
        assert!(status.is_success(), "POST {path}: {status} {body}");
        body
    }

    pub async fn patch(&self, path: &str, body: Value) -> Value {
        let response = client()
            .patch(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("PATCH");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON answer");
        assert_eq!(status, StatusCode::ACCEPTED, "PATCH {path}: {body}");
        body
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = client().get(self.url(path)).send().await.expect("GET");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON answer");
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// `whoami/` with a bearer token: the status and the body.
    pub async fn whoami(&self, token: &str) -> (StatusCode, Value) {
        let response = client()
            .get(self.url("/api/v1/whoami/"))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET whoami/");
        let status = response.status();
        (status, response.json().await.expect("a JSON answer"))
    }
}

/// One request and its answer: the status and the JSON body (`Null` when
/// empty, a string when not JSON), or the transport error (refused, reset,
/// timed out), which a caller of a killed server expects.
pub async fn send(request: reqwest::RequestBuilder) -> Result<(StatusCode, Value), reqwest::Error> {
    let response = request.send().await?;
    let status = response.status();
    let text = response.text().await?;
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    Ok((status, body))
}

/// A small, seedable generator for load mixes and kill moments; the seed
/// is printed so that a failing run can be told apart from the next.
pub struct Rng(u64);

impl Rng {
    /// Seeded from the OS, or from `TICKETD_TEST_SEED` when set.
    pub fn new(what: &str) -> Rng {
        let seed = match std::env::var("TICKETD_TEST_SEED") {
            Ok(seed) => seed.parse().expect("TICKETD_TEST_SEED is a u64"),
            Err(_) => {
                let mut bytes = [0u8; 8];
                getrandom::fill(&mut bytes).expect("randomness");
                u64::from_le_bytes(bytes)
            }
        };
        eprintln!("{what}: seed {seed} (TICKETD_TEST_SEED={seed} repeats the choices)");
        Rng::seeded(seed)
    }

    pub fn seeded(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// splitmix64.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}
