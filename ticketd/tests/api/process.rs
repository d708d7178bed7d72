//! The real `ticketd` binary as a process: the seed examples file matches the
//! seed, and SIGTERM lets a request in flight finish. (binary.rs has the
//! restart, token, seed-script and configuration tests.)

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;

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
