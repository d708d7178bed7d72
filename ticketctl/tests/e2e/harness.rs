//! A real `ticketd` per test and the real `ticketctl` run against it with a
//! cleared environment, a temp HOME and config dir, and fixed COLUMNS.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub const TICKETCTL: &str = env!("CARGO_BIN_EXE_ticketctl");

/// The ticketd binary beside ticketctl, built once if missing.
fn ticketd_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let path = Path::new(TICKETCTL).with_file_name("ticketd");
        if !path.exists() {
            let status = Command::new(env!("CARGO"))
                .args(["build", "-p", "ticketd", "--bin", "ticketd"])
                .status()
                .expect("build ticketd");
            assert!(status.success(), "cargo build -p ticketd failed");
        }
        path
    })
}

/// The result of one command.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// A running server with a token of each role, and a home for ticketctl.
pub struct Env {
    pub home: tempfile::TempDir,
    pub server: String,
    pub developer: String,
    pub lander: String,
    pub admin: String,
    child: Child,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Wait for a child with a deadline, killing it past that.
fn finish(mut child: Child, limit: Duration) -> Run {
    // Drain both pipes while waiting: a full pipe would block the child.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    );
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("command did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr,
    }
}

/// Run a prepared command with the standard time limit.
pub fn run_command(command: &mut Command) -> Run {
    finish(
        command.spawn().expect("spawn ticketctl"),
        Duration::from_secs(60),
    )
}

impl Env {
    pub fn start() -> Env {
        Self::start_in(tempfile::tempdir().expect("tempdir"), free_port())
    }

    /// A server on `port` with `home` as its (and ticketctl's) home.
    pub fn start_in(home: tempfile::TempDir, port: u16) -> Env {
        let data = home.path().join("data");
        let data = data.to_str().expect("utf-8");
        let token = |name: &str, role: &str| {
            let output = Command::new(ticketd_bin())
                .args([
                    "--data-dir",
                    data,
                    "token",
                    "create",
                    "--name",
                    name,
                    "--role",
                    role,
                ])
                .env_clear()
                .env("HOME", home.path())
                .output()
                .expect("token create");
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .last()
                .expect("token")
                .to_string()
        };
        let (developer, lander, admin) = (
            token("dev", "developer"),
            token("lander", "lander"),
            token("admin", "admin"),
        );
        let child = Command::new(ticketd_bin())
            .args([
                "serve",
                "--data-dir",
                data,
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .env_clear()
            .env("HOME", home.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn ticketd");
        let env = Env {
            home,
            server: format!("http://127.0.0.1:{port}"),
            developer,
            lander,
            admin,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while http_status(&env.server, "/readyz") != Some(200) {
            assert!(Instant::now() < deadline, "ticketd did not become ready");
            std::thread::sleep(Duration::from_millis(50));
        }
        env
    }

    /// `ticketctl ARGS` with no token of its own.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(TICKETCTL);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("COLUMNS", "120")
            .env("TICKETCTL_SERVER", &self.server)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    pub fn run_with(&self, mut command: Command) -> Run {
        run_command(&mut command)
    }

    /// `ticketctl ARGS` with `token`.
    pub fn run(&self, token: &str, args: &[&str]) -> Run {
        let mut command = self.command(args);
        command.env("TICKETCTL_TOKEN", token);
        self.run_with(command)
    }

    pub fn dir(&self) -> &Path {
        self.home.path()
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status of `GET path` with a bare HTTP/1.0 request, or None.
pub fn http_status(server: &str, path: &str) -> Option<u16> {
    use std::io::Write;
    let address = server.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {address}\r\n\r\n").ok()?;
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.split_whitespace().nth(1)?.parse().ok()
}

pub fn sha256(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

/// Write a source package's files and its .dsc (clear-signed if asked);
/// the .dsc path and the tarballs' digests.
pub fn write_dsc(dir: &Path, source: &str, version: &str, signed: bool) -> (PathBuf, Vec<String>) {
    let upstream = version.split('-').next().unwrap_or(version);
    let files = [
        (
            format!("{source}_{upstream}.orig.tar.gz"),
            format!("orig of {source}").into_bytes(),
        ),
        (
            format!("{source}_{version}.debian.tar.xz"),
            format!("debian dir of {source} {version}").into_bytes(),
        ),
    ];
    let mut checksums = String::new();
    let mut digests = Vec::new();
    for (name, content) in &files {
        std::fs::write(dir.join(name), content).expect("write");
        let sha = sha256(content);
        checksums.push_str(&format!(" {sha} {} {name}\n", content.len()));
        digests.push(sha);
    }
    let body = format!(
        "Format: 3.0 (quilt)\nSource: {source}\nBinary: {source}\nVersion: {version}\nChecksums-Sha256:\n{checksums}"
    );
    let text = if signed {
        format!(
            "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{body}\n-----BEGIN PGP SIGNATURE-----\n\niQIz\n-----END PGP SIGNATURE-----\n"
        )
    } else {
        body
    };
    let path = dir.join(format!("{source}_{version}.dsc"));
    std::fs::write(&path, text).expect("write dsc");
    (path, digests)
}
