//! The real `ticketd` binary as a process: the seed's curl examples run as
//! written, a restart that must give back every object unchanged, the token
//! subcommands, refusals at start, and a clean exit on SIGTERM.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::PgDatabase;

const BIN: &str = env!("CARGO_BIN_EXE_ticketd");

/// `ticketd ARGS` with a cleared environment and a temp HOME.
fn ticketd(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .stdin(Stdio::null());
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A `ticketd serve` child, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(home: &Path, data_dir: &Path, database: Option<&str>, extra: &[&str]) -> Server {
        let port = free_port();
        let listen = format!("127.0.0.1:{port}");
        let mut args = vec![
            "serve",
            "--data-dir",
            data_dir.to_str().expect("utf-8 path"),
            "--listen",
            &listen,
        ];
        if let Some(url) = database {
            args.extend(["--database", url]);
        }
        args.extend(extra);
        let child = ticketd(home, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn ticketd");
        let server = Server {
            child,
            base: format!("http://{listen}"),
        };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = reqwest::Client::new();
        while Instant::now() < deadline {
            if let Ok(response) = client.get(format!("{}/readyz", self.base)).send().await
                && response.status() == StatusCode::OK
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("ticketd at {} was not ready within 30 s", self.base);
    }

    /// SIGTERM, then the exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "ticketd did not exit within 30 s of SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn seed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seed")
}

#[test]
fn the_examples_file_holds_every_curl_line_of_the_seed_as_written() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seed/000_319f1272752a3302.txt");
    let Ok(text) = std::fs::read_to_string(&seed) else {
        eprintln!(
            "skipping: the seed document is not beside the checkout ({})",
            seed.display()
        );
        return;
    };
    let mut from_seed: Vec<&str> = text.lines().filter(|l| l.starts_with("curl")).collect();
    let examples = std::fs::read_to_string(seed_dir().join("examples.txt")).expect("examples.txt");
    let mut ours: Vec<&str> = examples
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("SETUP") && !l.is_empty())
        .filter_map(|l| l.split_once('|').map(|(_, command)| command))
        .collect();
    from_seed.sort_unstable();
    ours.sort_unstable();
    assert_eq!(ours, from_seed);
}

#[tokio::test]
async fn every_seed_curl_example_answers_as_the_api_says() {
    let home = tempfile::tempdir().expect("tempdir");
    let server = Server::start(home.path(), &home.path().join("data"), None, &["--no-auth"]).await;
    let script = seed_dir().join("run-examples.sh");
    let output = Command::new("bash")
        .arg(&script)
        .arg(&server.base)
        .output()
        .expect("run the examples");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("37 passed, 0 failed"), "{stdout}");
}

/// Write a little of everything through the API, as a lander would.
async fn populate(base: &str) {
    let client = reqwest::Client::new();
    let post = |path: &str, body: Value| {
        let request = client.post(format!("{base}/api/v1/{path}")).json(&body);
        async move {
            let response = request.send().await.expect("post");
            assert!(
                response.status().is_success(),
                "{}",
                response.text().await.unwrap_or_default()
            );
        }
    };
    post("bundle/", json!({"ticket": {"title": "restart", "owner": "dev@example.com", "bug_id": 7},
        "uploads": [{"sourcepackage": "foo", "version": "1.0-1", "artifacts": [{"name": "foo.dsc", "reference": "https://f.example/foo.dsc", "type": "SPU"}]},
                    {"sourcepackage": "bar", "version": "2:2.0-1"}],
        "artifacts": [{"name": "img", "reference": "https://i.example/1", "type": "IMAGE"}]})).await;
    post("ticket/", json!({"title": "second", "owner": "o@example.com", "references": ["https://bugs.example/1"]})).await;
    post(
        "person/",
        json!({"name": "CI", "email": "ci@example.com", "is_team": "True"}),
    )
    .await;
    post(
        "packagelist/",
        json!([{"binary": "libfoo1", "source": "foo", "version": "1.0-1"}]),
    )
    .await;
    let patch = |path: String, body: Value| {
        let request = client.patch(format!("{base}/api/v1/{path}")).json(&body);
        async move {
            let response = request.send().await.expect("patch");
            assert_eq!(
                response.status(),
                StatusCode::ACCEPTED,
                "{}",
                response.text().await.unwrap_or_default()
            );
        }
    };
    patch(
        "updateticketstatus/1/".into(),
        json!({"current_workflow_step": 200, "status": 100}),
    )
    .await;
    patch(
        "updatesubticketstatus/2/".into(),
        json!({"current_workflow_step": 200, "status": 999, "message": "FTBFS"}),
    )
    .await;
}

/// Every list and every full ticket, as JSON.
async fn snapshot(base: &str) -> Vec<Value> {
    let client = reqwest::Client::new();
    let mut all = Vec::new();
    for path in [
        "ticket",
        "opentickets",
        "ticketstatus",
        "fullticket",
        "subticket",
        "spu",
        "ticketartifact",
        "subticketartifact",
        "sourcepackage",
        "binarypackage",
        "person",
        "event",
    ] {
        let url = format!("{base}/api/v1/{path}/?limit=1000");
        all.push(
            client
                .get(url)
                .send()
                .await
                .expect("get")
                .json::<Value>()
                .await
                .expect("json"),
        );
    }
    all
}

async fn restart_gives_everything_back(database: Option<&str>) {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("data");
    let server = Server::start(home.path(), &data, database, &["--no-auth"]).await;
    populate(&server.base).await;
    let before = snapshot(&server.base).await;
    assert!(
        server.stop().success(),
        "SIGTERM ends ticketd with status 0"
    );
    let server = Server::start(home.path(), &data, database, &["--no-auth"]).await;
    let after = snapshot(&server.base).await;
    assert_eq!(before, after);
    assert_eq!(after[0]["meta"]["total_count"], 2, "{}", after[0]);
    assert_eq!(after[3]["objects"][0]["failure"]["message"], "FTBFS");
}

#[tokio::test]
async fn a_restart_on_sqlite_gives_back_every_object_unchanged() {
    restart_gives_everything_back(None).await;
}

#[tokio::test]
async fn a_restart_on_postgres_gives_back_every_object_unchanged() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    restart_gives_everything_back(Some(&db.url)).await;
}

fn run(home: &Path, args: &[&str]) -> Output {
    ticketd(home, args).output().expect("run ticketd")
}

#[tokio::test]
async fn tokens_are_created_listed_and_revoked_from_the_command_line() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("data");
    let data_arg = data.to_str().expect("utf-8");
    let created = run(
        home.path(),
        &[
            "--data-dir",
            data_arg,
            "token",
            "create",
            "--name",
            "ci",
            "--role",
            "lander",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8_lossy(&created.stdout);
    let token = stdout
        .lines()
        .last()
        .expect("the token on the last line")
        .to_string();
    assert!(token.starts_with("tkd_") && token.len() > 40, "{stdout}");

    let server = Server::start(home.path(), &data, None, &[]).await;
    let whoami = |token: String| {
        let url = format!("{}/api/v1/whoami/", server.base);
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("whoami")
        }
    };
    let who: Value = whoami(token.clone()).await.json().await.expect("json");
    assert_eq!(who, json!({"name": "ci", "role": "lander"}));

    let listed = run(home.path(), &["--data-dir", data_arg, "token", "list"]);
    let list = String::from_utf8_lossy(&listed.stdout);
    assert!(
        list.contains("ci") && list.contains("lander") && list.contains("active"),
        "{list}"
    );
    assert!(!list.contains(&token), "the secret is never listed");

    let revoked = run(
        home.path(),
        &["--data-dir", data_arg, "token", "revoke", "ci"],
    );
    assert!(revoked.status.success());
    assert_eq!(
        whoami(token).await.status(),
        StatusCode::UNAUTHORIZED,
        "revocation holds at once"
    );
    let list = String::from_utf8_lossy(
        &run(home.path(), &["--data-dir", data_arg, "token", "list"]).stdout,
    )
    .into_owned();
    assert!(list.contains("revoked"), "{list}");
    let again = run(
        home.path(),
        &["--data-dir", data_arg, "token", "revoke", "ci"],
    );
    assert!(!again.status.success(), "revoking twice is an error");
}

#[test]
fn no_auth_is_refused_on_an_address_that_is_not_loopback() {
    let home = tempfile::tempdir().expect("tempdir");
    let listen = format!("0.0.0.0:{}", free_port());
    let data = home.path().join("data");
    let output = run(
        home.path(),
        &[
            "serve",
            "--no-auth",
            "--listen",
            &listen,
            "--data-dir",
            data.to_str().expect("utf-8"),
        ],
    );
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("loopback"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn migrate_and_check_act_on_the_configured_database() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("data");
    let data_arg = data.to_str().expect("utf-8");
    let check = run(home.path(), &["--data-dir", data_arg, "check"]);
    assert!(
        !check.status.success(),
        "an unmigrated database fails the check"
    );
    assert!(
        run(home.path(), &["--data-dir", data_arg, "migrate"])
            .status
            .success()
    );
    let check = run(home.path(), &["--data-dir", data_arg, "check"]);
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        stdout.contains("ticketd.db") && stdout.contains("status:      ok"),
        "{stdout}"
    );
}

#[tokio::test]
async fn flags_win_over_environment_and_environment_over_the_config_file() {
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("data");
    let (file_port, env_port, flag_port) = (free_port(), free_port(), free_port());
    let config = home.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:{file_port}\"\ndata_dir = \"{}\"\n",
            data.display()
        ),
    )
    .expect("write");
    let config_arg = config.to_str().expect("utf-8");
    let answers = |port: u16| async move {
        reqwest::Client::new()
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            .is_ok()
    };
    for (env, flag, expected) in [
        (None, None, file_port),
        (Some(env_port), None, env_port),
        (Some(env_port), Some(flag_port), flag_port),
    ] {
        let mut command = ticketd(home.path(), &["--config", config_arg, "serve"]);
        if let Some(port) = env {
            command.env("TICKETD_LISTEN", format!("127.0.0.1:{port}"));
        }
        if let Some(port) = flag {
            command.args(["--listen", &format!("127.0.0.1:{port}")]);
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{expected}"),
        };
        server.wait_ready().await;
        for other in [file_port, env_port, flag_port]
            .into_iter()
            .filter(|p| *p != expected)
        {
            assert!(
                !answers(other).await,
                "only port {expected} should answer, {other} did"
            );
        }
        assert!(server.stop().success());
    }
}

#[tokio::test]
async fn sigterm_lets_a_request_in_flight_finish_before_exiting() {
    use sha2::Digest;
    use std::io::{Read, Write};
    let home = tempfile::tempdir().expect("tempdir");
    let server = Server::start(home.path(), &home.path().join("data"), None, &["--no-auth"]).await;
    let content = vec![b'x'; 64 * 1024];
    let digest = hex::encode(sha2::Sha256::digest(&content));
    let address = server.base.trim_start_matches("http://").to_string();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "PUT /api/v1/blob/{digest} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content.len()
    )
    .expect("headers");
    stream.write_all(&content[..1024]).expect("first part");
    stream.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(200));
    // Ask the server to stop while the upload is half sent.
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    std::thread::sleep(Duration::from_millis(300));
    stream
        .write_all(&content[1024..])
        .expect("the rest is still accepted");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = server.stop();
    assert!(status.success(), "{status:?}");
}
