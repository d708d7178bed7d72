//! Storage that fails or fills, and what ticketd leaves on disk. A full disk under the
//! blob store is a 503 with the error body and makes `/readyz` fail until
//! there is room again (a real ENOSPC: a small tmpfs, which needs root);
//! temporary files of uploads cut off by `kill -9` are removed at the next
//! start; and under `umask 000` the data dir is 0700 and the database and
//! blob files 0600.
//!
//! SQLite whose files become unwritable under a running server (the
//! `immutable` attribute, which binds root too, as a stand-in for a disk
//! that fails or fills): writes are answered 503 with the error body and
//! leave nothing behind, `/readyz` says not ready, reads and `/healthz`
//! go on, and once the files are writable again the same process takes
//! writes without a restart.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::damage::put_blob;
use crate::helpers::{Backend, PgDatabase, TestApp};
use crate::procs::{PATIENCE, POLL, Sandbox, Server, client, send};

/// A tmpfs of `size` mounted on `dir`, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).expect("mount point");
        let output = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir)
            .output()
            .expect("mount runs");
        assert!(
            output.status.success(),
            "mounting a tmpfs needs root: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Tmpfs(dir.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: a process still holding a file must not keep it mounted.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fill the file system of `dir` to the last byte.
fn fill_up(file: &Path) {
    let mut filler = std::fs::File::create(file).expect("filler file");
    let block = vec![0u8; 64 * 1024];
    loop {
        match filler.write(&block) {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) if err.raw_os_error() == Some(28) => break,
            Err(err) => panic!("filling the disk: {err}"),
        }
    }
    let _ = filler.sync_all();
}

/// Poll `/readyz` until it answers `want` (it probes at most once a second).
async fn readiness_becomes(server: &Server, want: StatusCode) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let (status, body) = send(client().get(server.url("/readyz")))
            .await
            .expect("GET /readyz");
        if status == want {
            return body;
        }
        assert!(
            Instant::now() < deadline,
            "/readyz still {status} {body}, not {want}:\n{}",
            server.logs()
        );
        tokio::time::sleep(POLL).await;
    }
}

async fn a_full_blob_disk(pg: Option<&PgDatabase>) {
    let sandbox = Sandbox::new();
    // The database lives outside the small disk: only the blobs fill it.
    let sqlite = format!("sqlite://{}", sandbox.path("db/ticketd.db").display());
    let database = pg.map_or(sqlite.as_str(), |db| db.url.as_str());
    let _disk = Tmpfs::mount(&sandbox.path("data"), "4m");
    let server = sandbox.serve(Some(database), &["--no-auth"]).await;
    let (status, body) = put_blob(&server, &vec![7u8; 1024 * 1024]).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // No room left: uploads and /readyz fail, ticket writes still work.
    // (A small upload: the whole body is sent before the server answers.)
    let filler = sandbox.path("data/filler");
    fill_up(&filler);
    let (status, body) = put_blob(&server, b"a small log").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("full")),
        "{body}"
    );
    let body = readiness_becomes(&server, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(body["ready"], false, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("blob store")),
        "{body}"
    );
    server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "dev@example.com", "title": "the database has room"}),
        )
        .await;

    // Room again: ready, and the same upload is taken.
    std::fs::remove_file(&filler).expect("remove the filler");
    readiness_becomes(&server, StatusCode::OK).await;
    let (status, body) = put_blob(&server, b"a small log").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(server.stop().success());
}

#[tokio::test]
async fn a_full_blob_disk_answers_503_and_fails_readyz_until_there_is_room_on_sqlite() {
    a_full_blob_disk(None).await;
}

#[tokio::test]
async fn a_full_blob_disk_answers_503_and_fails_readyz_until_there_is_room_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    a_full_blob_disk(Some(&db)).await;
}

fn temp_files(sandbox: &Sandbox) -> Vec<PathBuf> {
    std::fs::read_dir(sandbox.path("data/blobs/tmp"))
        .map(|entries| entries.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default()
}

/// Start an upload of `declared` bytes, send part of it, and leave it
/// hanging: the connection stays open while the test holds it.
fn hanging_upload(server: &Server, declared: usize) -> std::net::TcpStream {
    let address = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    let digest = "ab".repeat(32);
    write!(
        stream,
        "PUT /api/v1/blob/{digest} HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/octet-stream\r\nContent-Length: {declared}\r\n\r\n"
    )
    .expect("send headers");
    stream
        .write_all(&vec![1u8; declared / 2])
        .expect("send half");
    stream.flush().expect("flush");
    stream
}

async fn interrupted_uploads(database: Option<&str>) {
    let sandbox = Sandbox::new();
    for round in 0..3 {
        let mut server = sandbox.serve(database, &["--no-auth"]).await;
        assert_eq!(
            temp_files(&sandbox),
            Vec::<PathBuf>::new(),
            "round {round}: the start removed what the last crash left"
        );
        let _upload = hanging_upload(&server, 1024 * 1024);
        let deadline = Instant::now() + PATIENCE;
        while temp_files(&sandbox).is_empty() {
            assert!(Instant::now() < deadline, "the upload never began");
            tokio::time::sleep(POLL).await;
        }
        server.kill();
        assert_eq!(temp_files(&sandbox).len(), 1, "kill -9 leaves the file");
    }
    let server = sandbox.serve(database, &["--no-auth"]).await;
    assert_eq!(temp_files(&sandbox), Vec::<PathBuf>::new());
    // An upload in flight in another process on the same blob store is
    // not taken for a leftover.
    let _upload = hanging_upload(&server, 1024 * 1024);
    let deadline = Instant::now() + PATIENCE;
    while temp_files(&sandbox).is_empty() {
        assert!(Instant::now() < deadline, "the upload never began");
        tokio::time::sleep(POLL).await;
    }
    let other = sandbox.serve(database, &["--no-auth"]).await;
    assert_eq!(
        temp_files(&sandbox).len(),
        1,
        "the live upload's file stays"
    );
    assert!(other.stop().success());
    drop(server);
}

#[tokio::test]
async fn temp_files_of_uploads_cut_off_by_kill_9_are_removed_at_start_on_sqlite() {
    interrupted_uploads(None).await;
}

#[tokio::test]
async fn temp_files_of_uploads_cut_off_by_kill_9_are_removed_at_start_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    interrupted_uploads(Some(&db.url)).await;
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

async fn modes_under_umask_000(pg: Option<&PgDatabase>) {
    let database = pg.map(|db| db.url.as_str());
    let sandbox = Sandbox::new();
    let (ticketd, port) = sandbox.serve_command(database, &["--no-auth"]);
    // The same command, through a shell that clears the umask first.
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("umask 000; exec \"$0\" \"$@\"")
        .arg(ticketd.get_program())
        .args(ticketd.get_args())
        .env_clear()
        .envs(ticketd.get_envs().filter_map(|(k, v)| Some((k, v?))));
    let server = Server::spawn(&sandbox, command, port).await;
    let (status, body) = put_blob(&server, b"served as verified content").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "dev@example.com", "title": "private"}),
        )
        .await;

    let data = sandbox.path("data");
    let blob = std::fs::read_dir(data.join("blobs"))
        .expect("blobs")
        .map(|e| e.expect("entry").path())
        .find(|p| !p.ends_with("tmp"))
        .expect("a blob directory");
    let file = std::fs::read_dir(&blob)
        .expect("blob dir")
        .next()
        .expect("a blob file")
        .expect("entry")
        .path();
    let mut expected = vec![
        (data.clone(), 0o700),
        (data.join("blobs"), 0o700),
        (data.join("blobs/tmp"), 0o700),
        (blob, 0o700),
        (file, 0o600),
    ];
    if pg.is_none() {
        for name in ["ticketd.db", "ticketd.db-wal", "ticketd.db-shm"] {
            expected.push((data.join(name), 0o600));
        }
    }
    for (path, want) in expected {
        assert_eq!(
            mode(&path),
            want,
            "{} is {:o}, not {want:o}",
            path.display(),
            mode(&path)
        );
    }
    assert!(server.stop().success());
}

#[tokio::test]
async fn under_umask_000_the_data_dir_is_0700_and_its_files_0600_on_sqlite() {
    modes_under_umask_000(None).await;
}

#[tokio::test]
async fn under_umask_000_the_data_dir_is_0700_and_blob_files_0600_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    modes_under_umask_000(Some(&db)).await;
}

/// Files made immutable for the life of the guard, whatever happens.
struct Immutable(Vec<PathBuf>);

impl Immutable {
    fn set(files: Vec<PathBuf>) -> Immutable {
        chattr("+i", &files);
        Immutable(files)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        chattr("-i", &self.0);
    }
}

fn chattr(flag: &str, files: &[PathBuf]) {
    let output = Command::new("chattr")
        .arg(flag)
        .args(files)
        .output()
        .expect("chattr (from e2fsprogs) runs");
    assert!(
        output.status.success(),
        "chattr {flag} failed; this test needs a file system with the immutable attribute \
         and the right to set it: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn ready(app: &TestApp) -> (StatusCode, serde_json::Value) {
    app.anon().get("/readyz").await
}

async fn ticket_count(app: &TestApp) -> i64 {
    let (status, list) = app.anon().get("/api/v1/ticket/?limit=1").await;
    assert_eq!(status, StatusCode::OK, "reads keep working: {list}");
    list["meta"]["total_count"].as_i64().expect("total_count")
}

fn database_files(dir: &Path) -> Vec<PathBuf> {
    ["ticketd.db", "ticketd.db-wal"]
        .iter()
        .map(|name| dir.join(name))
        .filter(|path| path.exists())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_database_answers_503_and_recovers_without_a_restart() {
    let app = TestApp::spawn(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let before = app.ticket("written before the outage").await;
    assert_eq!(ready(&app).await.0, StatusCode::OK);
    let count = ticket_count(&app).await;

    let files = database_files(app.data_dir());
    assert!(files.len() == 2, "WAL mode keeps a -wal file: {files:?}");
    let guard = Immutable::set(files);

    let (status, body) = app
        .dev()
        .post(
            "/api/v1/ticket/",
            json!({"title": "written during the outage", "owner": "dev@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["error"]["code"], "unavailable", "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
    // `/readyz` shares the result of a probe for up to a second; the last
    // one, from before the outage, said ready.
    tokio::time::sleep(ticketd::health::PROBE_INTERVAL).await;
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["ready"], false, "{body}");
    let (status, _) = app.anon().get("/healthz").await;
    assert_eq!(status, StatusCode::OK, "the process is alive");
    assert_eq!(
        ticket_count(&app).await,
        count,
        "the refused write left nothing"
    );
    let (status, _) = app.anon().get(&format!("/api/v1/ticket/{before}/")).await;
    assert_eq!(status, StatusCode::OK);

    drop(guard);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, body) = ready(&app).await;
        if status == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still not ready 15 s after the files became writable: {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let after = app.ticket("written after the outage").await;
    let (status, body) = app.anon().get(&format!("/api/v1/ticket/{after}/")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(ticket_count(&app).await, count + 1);
}
