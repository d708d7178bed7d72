//! The real `ticketd` per test, on a fresh data dir, and the real
//! `ticketctl` run against it with a cleared environment, a temp HOME and
//! config dir, fixed COLUMNS and no stdin. Every wait is bounded and every
//! child is killed on drop.

use std::fmt;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long one `ticketctl` run may take before it is killed.
const RUN_LIMIT: Duration = Duration::from_secs(60);
/// How long building a missing `ticketd` may take.
const BUILD_LIMIT: Duration = Duration::from_secs(20 * 60);
/// How long `ticketd` may take to answer `/readyz`.
const READY_LIMIT: Duration = Duration::from_secs(30);

pub const TICKETCTL: &str = env!("CARGO_BIN_EXE_ticketctl");

/// `ticketd`, beside `ticketctl` in the target dir; built once if missing.
pub fn ticketd() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let path = Path::new(TICKETCTL).with_file_name("ticketd");
        if !path.exists() {
            let mut cargo = KillOnDrop(
                Command::new(env!("CARGO"))
                    .args(["build", "-p", "ticketd", "--bin", "ticketd"])
                    .stdin(Stdio::null())
                    .spawn()
                    .expect("cargo build -p ticketd runs"),
            );
            // Generous: it may wait for another cargo's lock, then compile.
            let status = wait_within(&mut cargo.0, BUILD_LIMIT, "cargo build -p ticketd");
            assert!(status.success(), "cargo build -p ticketd failed");
        }
        path
    })
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind 127.0.0.1:0")
        .local_addr()
        .expect("a bound address")
        .port()
}

/// What one command did.
pub struct Outcome {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl fmt::Debug for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ticketctl {:?}\nexit: {:?} after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.args, self.code, self.elapsed, self.stdout, self.stderr
        )
    }
}

impl Outcome {
    /// Panic with the whole transcript unless the exit code is `code`.
    #[track_caller]
    pub fn expect_exit(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "unexpected exit code:\n{self:?}");
        self
    }

    #[track_caller]
    pub fn expect_stderr(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks `{needle}`:\n{self:?}"
        );
        self
    }

    #[track_caller]
    pub fn expect_stdout(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks `{needle}`:\n{self:?}"
        );
        self
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self:?}"))
    }
}

/// A `ticketctl` command line about to run.
pub struct Ctl {
    command: Command,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    terminal: bool,
}

impl Ctl {
    pub fn token(mut self, token: &str) -> Self {
        self.command.env("TICKETCTL_TOKEN", token);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    /// Run in `dir` (where a command writes files by default).
    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// Feed these bytes on stdin (a pipe, not a terminal) instead of null.
    pub fn stdin(mut self, bytes: &[u8]) -> Self {
        self.stdin = Some(bytes.to_vec());
        self
    }

    /// Run on a terminal: script(1) gives `ticketctl` a pseudo-terminal for
    /// stdin, stdout and stderr, and passes our stdin on to it. What it
    /// printed comes back as `stdout`, both streams mixed as a user sees
    /// them, with the terminal's "\r\n" made "\n".
    pub fn on_terminal(mut self) -> Self {
        let line = std::iter::once(self.command.get_program())
            .chain(self.command.get_args())
            .map(|word| shell_quote(&word.to_string_lossy()))
            .collect::<Vec<_>>()
            .join(" ");
        let mut script = Command::new("script");
        // A terminal has a TERM; colour support is read from it.
        script
            .args(["-q", "-e", "-c", &line, "/dev/null"])
            .env_clear()
            .env("TERM", "xterm-256color");
        for (key, value) in self.command.get_envs() {
            if let Some(value) = value {
                script.env(key, value);
            }
        }
        script.stdin(Stdio::null());
        self.command = script;
        self.terminal = true;
        self
    }

    /// Spawn with piped stdout and stderr; the child dies with the guard.
    pub fn spawn(mut self) -> (KillOnDrop, Vec<String>) {
        let child = self
            .command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ticketctl spawns");
        (KillOnDrop(child), self.args)
    }

    /// Run to the end, within `RUN_LIMIT`.
    pub fn run(mut self) -> Outcome {
        if self.stdin.is_some() {
            self.command.stdin(Stdio::piped());
        }
        let started = Instant::now();
        let mut child = KillOnDrop(
            self.command
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("ticketctl spawns"),
        );
        if let Some(bytes) = self.stdin.take() {
            let mut pipe = child.0.stdin.take().expect("a stdin pipe");
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            });
        }
        let stdout = drain(child.0.stdout.take());
        let stderr = drain(child.0.stderr.take());
        let status = wait_bounded(&mut child.0, &self.args);
        let mut stdout = stdout.join().expect("stdout reader");
        if self.terminal {
            stdout = stdout.replace("\r\n", "\n");
        }
        Outcome {
            args: self.args,
            code: status.code(),
            stdout,
            stderr: stderr.join().expect("stderr reader"),
            elapsed: started.elapsed(),
        }
    }
}

/// `word` as one word for sh -c.
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// Wait for a `ticketctl` at most `RUN_LIMIT`; past that, kill it and fail.
#[track_caller]
pub fn wait_bounded(child: &mut Child, args: &[String]) -> ExitStatus {
    wait_within(child, RUN_LIMIT, &format!("ticketctl {args:?}"))
}

#[track_caller]
fn wait_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A child killed (and reaped) when dropped, even on a failed assertion.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A temp HOME (with `.config`) and a scratch dir for files.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The config file `ticketctl` should use with this HOME.
    pub fn config_file(&self) -> PathBuf {
        self.path().join(".config/ticketctl/config.toml")
    }

    /// A scratch dir for the files a test writes.
    pub fn work(&self, name: &str) -> PathBuf {
        let dir = self.path().join("work").join(name);
        std::fs::create_dir_all(&dir).expect("create a work dir");
        dir
    }

    /// `ticketctl ARGS` against `server`, with nothing from our environment.
    pub fn ctl(&self, server: &str, args: &[&str]) -> Ctl {
        let mut command = Command::new(TICKETCTL);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join(".config"))
            .env("COLUMNS", "120")
            .env("TICKETCTL_SERVER", server)
            .stdin(Stdio::null());
        Ctl {
            command,
            args: args.iter().map(ToString::to_string).collect(),
            stdin: None,
            terminal: false,
        }
    }
}

/// A running `ticketd` with auth on and a token of each role.
pub struct Server {
    pub url: String,
    pub developer: String,
    pub lander: String,
    pub admin: String,
    pub home: Home,
    process: KillOnDrop,
}

/// `ticketd serve` on `home`'s data dir and `port`, once it answers
/// `/readyz`; `None` if it exited first (the port was taken).
fn serve(home: &Home, port: u16) -> Option<KillOnDrop> {
    let url = format!("http://127.0.0.1:{port}");
    let log = home.path().join(format!("ticketd-{port}.log"));
    let mut child = KillOnDrop(
        Command::new(ticketd())
            .arg("serve")
            .arg("--data-dir")
            .arg(home.path().join("ticketd-data"))
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env_clear()
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("ticketd serve spawns"),
    );
    let deadline = Instant::now() + READY_LIMIT;
    loop {
        if http(&url, "GET", "/readyz", None, None).is_some_and(|a| a.status == 200) {
            return Some(child);
        }
        if child.0.try_wait().expect("try_wait").is_some() {
            return None;
        }
        assert!(
            Instant::now() < deadline,
            "ticketd did not become ready within {READY_LIMIT:?}:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `ticketd token create ARGS` on the data dir of `home`'s server; the
/// token it prints.
fn create_token(home: &Home, args: &[&str]) -> String {
    let mut child = KillOnDrop(
        Command::new(ticketd())
            .arg("--data-dir")
            .arg(home.path().join("ticketd-data"))
            .args(["token", "create"])
            .args(args)
            .env_clear()
            .env("HOME", home.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ticketd token create runs"),
    );
    let stdout = drain(child.0.stdout.take());
    let stderr = drain(child.0.stderr.take());
    let status = wait_within(&mut child.0, RUN_LIMIT, "ticketd token create");
    let stdout = stdout.join().expect("stdout reader");
    assert!(
        status.success(),
        "ticketd token create failed: {}",
        stderr.join().expect("stderr reader")
    );
    stdout
        .lines()
        .last()
        .expect("the token on the last line")
        .trim()
        .to_string()
}

impl Server {
    pub fn start() -> Server {
        let home = Home::new();
        let token = |name: &str, role: &str| create_token(&home, &["--name", name, "--role", role]);
        let developer = token("dev", "developer");
        let lander = token("lander", "lander");
        let admin = token("admin", "admin");
        // Another test may take the port between our probe and ticketd's
        // bind; then ticketd exits and we try another port.
        for _attempt in 0..5 {
            let port = free_port();
            if let Some(process) = serve(&home, port) {
                return Server {
                    url: format!("http://127.0.0.1:{port}"),
                    developer,
                    lander,
                    admin,
                    home,
                    process,
                };
            }
        }
        panic!("ticketd exited before becoming ready, five times");
    }

    /// A new developer token named `name`, bound to `owner` (`ticketd
    /// token create --email`), made while the server runs.
    pub fn bound_developer(&self, name: &str, owner: &str) -> String {
        create_token(
            &self.home,
            &["--name", name, "--role", "developer", "--email", owner],
        )
    }

    /// `ticketctl ARGS` against this server, without a token.
    /// Stop `ticketd` (SIGTERM, as a service manager does) and start it
    /// again on the same port and data.
    pub fn restart(&mut self) {
        let stopped = Command::new("kill")
            .args(["-TERM", &self.process.0.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(stopped.success());
        wait_within(&mut self.process.0, READY_LIMIT, "ticketd after SIGTERM");
        let port: u16 = self
            .url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("the URL ends in its port");
        self.process = serve(&self.home, port).expect("ticketd serves again on its port");
    }

    pub fn ctl(&self, args: &[&str]) -> Ctl {
        self.home.ctl(&self.url, args)
    }

    pub fn as_developer(&self, args: &[&str]) -> Outcome {
        self.ctl(args).token(&self.developer).run()
    }

    pub fn as_lander(&self, args: &[&str]) -> Outcome {
        self.ctl(args).token(&self.lander).run()
    }

    pub fn as_admin(&self, args: &[&str]) -> Outcome {
        self.ctl(args).token(&self.admin).run()
    }

    /// The developer submits the uploads `SOURCE=VERSION` (no files) as one
    /// ticket owned by dev@example.com, which must succeed; its id.
    #[track_caller]
    pub fn submit_versions(&self, uploads: &[&str]) -> u64 {
        let outcome = self.submit_as(&self.developer, "dev@example.com", uploads);
        outcome.expect_exit(0);
        submitted_id(&outcome)
    }

    /// `ticketctl submit ARGS` with `token`, for `owner`, with a title and a
    /// description.
    pub fn submit_as(&self, token: &str, owner: &str, args: &[&str]) -> Outcome {
        let mut all = vec!["submit"];
        all.extend_from_slice(args);
        all.extend([
            "--title",
            "Fix the frobnicator",
            "--description",
            "LP: #12345",
            "--owner",
            owner,
        ]);
        self.ctl(&all).token(token).run()
    }

    /// `ticketctl --json ARGS` (a read), which must succeed.
    #[track_caller]
    pub fn read_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let outcome = self.as_developer(&all);
        outcome.expect_exit(0);
        outcome.json()
    }

    /// Every ticket on the server, through `ticketctl --json ticket list --all`.
    #[track_caller]
    pub fn tickets(&self) -> Vec<Value> {
        match self.read_json(&["ticket", "list", "--all"]) {
            Value::Array(tickets) => tickets,
            other => panic!("ticket list --json is not an array: {other}"),
        }
    }

    #[track_caller]
    pub fn full_ticket(&self, id: u64) -> Value {
        self.read_json(&["ticket", "show", &id.to_string()])
    }

    /// `GET /api/v1/blob/{sha256}`: the content, or None on a 404.
    #[track_caller]
    pub fn blob(&self, sha256: &str) -> Option<Vec<u8>> {
        let answer = http(
            &self.url,
            "GET",
            &format!("/api/v1/blob/{sha256}"),
            None,
            None,
        )
        .expect("the server answers");
        match answer.status {
            200 => Some(answer.body),
            404 => None,
            other => panic!("GET blob answered {other}"),
        }
    }
}

/// An HTTP answer read off a raw socket.
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

/// One HTTP/1.0 request on a fresh connection; None if nothing answers.
pub fn http(
    url: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    json: Option<&str>,
) -> Option<Answer> {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: {address}\r\n");
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    let body = json.unwrap_or("");
    if json.is_some() {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some(Answer {
        status,
        body: raw[split + 4..].to_vec(),
    })
}

pub fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The id in `ticket N: URL`, the first line `submit` prints.
#[track_caller]
pub fn submitted_id(outcome: &Outcome) -> u64 {
    outcome
        .stdout
        .strip_prefix("ticket ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no `ticket N:` on stdout:\n{outcome:?}"))
}

/// A file of a source upload as written to disk.
pub struct SourceFile {
    pub name: String,
    pub content: Vec<u8>,
    pub sha256: String,
}

/// A `.dsc` and the tarballs it lists, all in one directory.
pub struct Dsc {
    pub path: PathBuf,
    pub sha256: String,
    pub files: Vec<SourceFile>,
}

impl Dsc {
    /// Write `SOURCE_VERSION.dsc` (clear-signed if asked) with an orig and a
    /// debian tarball, listed with their sizes and SHA-256 sums.
    pub fn write(dir: &Path, source: &str, version: &str, signed: bool) -> Dsc {
        let upstream = version.rsplit_once('-').map_or(version, |(u, _)| u);
        let tarball = |seed: &str, len: usize| -> Vec<u8> {
            // Distinct, non-text bytes, a few KiB of them.
            (0..len)
                .map(|i| (i as u8).wrapping_mul(31) ^ seed.len() as u8)
                .chain(seed.bytes())
                .collect()
        };
        let files: Vec<SourceFile> = [
            (
                format!("{source}_{upstream}.orig.tar.gz"),
                tarball(&format!("orig {source} {version}"), 5000),
            ),
            (
                format!("{source}_{version}.debian.tar.xz"),
                tarball(&format!("debian {source} {version}"), 1500),
            ),
        ]
        .into_iter()
        .map(|(name, content)| {
            std::fs::write(dir.join(&name), &content).expect("write a tarball");
            SourceFile {
                sha256: sha256(&content),
                name,
                content,
            }
        })
        .collect();
        let listed: String = files
            .iter()
            .map(|f| format!(" {} {} {}\n", f.sha256, f.content.len(), f.name))
            .collect();
        let body = format!(
            "Format: 3.0 (quilt)\nSource: {source}\nBinary: {source}\nArchitecture: any\n\
             Version: {version}\nMaintainer: Jane Doe <jane@example.com>\n\
             Checksums-Sha256:\n{listed}"
        );
        let text = if signed {
            format!(
                "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n{body}\n\
                 -----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCgAdFiEEnotarealsignature\n=abcd\n\
                 -----END PGP SIGNATURE-----\n"
            )
        } else {
            body
        };
        let path = dir.join(format!("{source}_{version}.dsc"));
        std::fs::write(&path, &text).expect("write the .dsc");
        Dsc {
            path,
            sha256: sha256(text.as_bytes()),
            files,
        }
    }

    pub fn arg(&self) -> &str {
        self.path.to_str().expect("a UTF-8 path")
    }

    /// Write the `SOURCE_VERSION_source.changes` of this upload beside it,
    /// listing the .dsc and its files, with `fields` (deb822 lines such as
    /// `Changed-By:` and `Changes:`) after the version; its path.
    pub fn changes(&self, fields: &str) -> String {
        let dsc = std::fs::read(&self.path).expect("read the .dsc");
        let listed: String = std::iter::once((self.name(), dsc.len(), self.sha256.clone()))
            .chain(
                self.files
                    .iter()
                    .map(|f| (f.name.clone(), f.content.len(), f.sha256.clone())),
            )
            .map(|(name, len, sha)| format!(" {sha} {len} {name}\n"))
            .collect();
        let stem = self.name().trim_end_matches(".dsc").to_string();
        let (source, version) = stem.split_once('_').expect("SOURCE_VERSION.dsc");
        let text = format!(
            "Format: 1.8\nSource: {source}\nArchitecture: source\nVersion: {version}\n\
             Distribution: unstable\nMaintainer: Jane Doe <jane@example.com>\n{fields}\
             Checksums-Sha256:\n{listed}"
        );
        let path = self.path.with_file_name(format!("{stem}_source.changes"));
        std::fs::write(&path, text).expect("write the .changes");
        path.to_str().expect("a UTF-8 path").to_string()
    }

    pub fn name(&self) -> String {
        self.path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned()
    }
}
