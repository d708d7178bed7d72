//! The S3 blob store (`blob_store = "s3://…"`) against a local moto server
//! that each test starts itself ([`Moto`]): two real `ticketd` processes
//! with data dirs of their own serve each other's uploads from one bucket,
//! and gc through either keeps what the other references; a request that
//! references a blob while gc decides on it is refused rather than left
//! with a dangling reference; `check` shows the store (secret masked) and
//! whether it answers; a bad `blob_store` is refused naming the setting.
//! The API tests of blobs.rs and the gc test of gc.rs run on S3 too.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use object_store::ObjectStore;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sha2::Digest;
use ticketd::blobs::{BlobStore, Removal, S3Settings, Stored};

use crate::gc::run;
use crate::helpers::{PgDatabase, in_ci};
use crate::procs::{ChildGuard, PATIENCE, POLL, Sandbox, Server, client, free_port};

/// Names the moto server executable; else `moto_server` on PATH.
pub const MOTO_ENV: &str = "TICKETD_TEST_MOTO_SERVER";
const BUCKET: &str = "ticketd-blobs";
const PREFIX: &str = "site/blobs";
const ACCESS_KEY: &str = "ticketd-test-key";
/// moto accepts any credentials; this one must never be printed.
const SECRET_KEY: &str = "Sup3r-S3cret-moto-key";

/// A moto server (S3 API) of one test, with the bucket [`BUCKET`]; killed
/// when dropped.
pub struct Moto {
    child: ChildGuard,
    pub endpoint: String,
}

/// The moto executable, or why there is none.
fn moto_executable() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(MOTO_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "{MOTO_ENV} names {}, which is no file",
                path.display()
            ))
        };
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("moto_server"))
        .find(|path| path.is_file())
        .ok_or_else(|| {
            format!("no moto_server on PATH and {MOTO_ENV} is unset (pip install 'moto[server]')")
        })
}

impl Moto {
    /// A running moto server with an empty bucket. `None` (after a loud
    /// message) when there is no moto server to run; in CI that fails.
    pub async fn start() -> Option<Moto> {
        let executable = match moto_executable() {
            Ok(path) => path,
            Err(why) => {
                assert!(!in_ci(), "CI is set, so the S3 case must run, but {why}");
                eprintln!("SKIPPED the S3 case: {why} (with CI set this fails)");
                return None;
            }
        };
        // The port was free a moment ago; another process may take it
        // first, so a server that exits at once is tried again elsewhere.
        for _ in 0..5 {
            let port = free_port();
            let child = Command::new(&executable)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|err| panic!("cannot run {}: {err}", executable.display()));
            let mut moto = Moto {
                child: ChildGuard(child),
                endpoint: format!("http://127.0.0.1:{port}"),
            };
            if moto.wait_ready().await {
                let made = client()
                    .put(format!("{}/{BUCKET}", moto.endpoint))
                    .send()
                    .await
                    .expect("create the bucket");
                assert!(made.status().is_success(), "create the bucket: {made:?}");
                return Some(moto);
            }
        }
        panic!("moto_server did not start on any of five ports");
    }

    /// Whether it answers before it exits (false: start it elsewhere).
    async fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.child.0.try_wait().expect("try_wait on moto").is_some() {
                return false;
            }
            if client().get(&self.endpoint).send().await.is_ok() {
                return true;
            }
            tokio::time::sleep(POLL).await;
        }
        panic!(
            "moto_server at {} did not answer within {PATIENCE:?}",
            self.endpoint
        );
    }

    /// `s3://BUCKET/PREFIX`.
    pub fn url(&self) -> String {
        format!("s3://{BUCKET}/{PREFIX}")
    }

    /// The settings of an in-process store on this server.
    pub fn settings(&self) -> S3Settings {
        S3Settings {
            bucket: BUCKET.to_string(),
            prefix: PREFIX.to_string(),
            endpoint: Some(self.endpoint.clone()),
            region: Some("us-east-1".to_string()),
            allow_http: Some(true),
            access_key_id: Some(ACCESS_KEY.to_string()),
            secret_access_key: Some(SECRET_KEY.to_string()),
        }
    }

    /// `command` (the real `ticketd`) set to keep its blobs here, through
    /// the environment an operator would use.
    pub fn configure<'c>(&self, command: &'c mut Command) -> &'c mut Command {
        command
            .env("TICKETD_BLOB_STORE", self.url())
            .env("TICKETD_S3_ENDPOINT", &self.endpoint)
            .env("AWS_ALLOW_HTTP", "true")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    }

    /// A client of the bucket, as an operator's S3 tool would be.
    fn bucket(&self) -> AmazonS3 {
        AmazonS3Builder::new()
            .with_bucket_name(BUCKET)
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_region("us-east-1")
            .with_access_key_id(ACCESS_KEY)
            .with_secret_access_key(SECRET_KEY)
            .build()
            .expect("an S3 client")
    }

    /// Whether blob `digest` is in the bucket.
    pub async fn has_blob(&self, digest: &str) -> bool {
        self.has_object(&format!("{}/{digest}", &digest[..2])).await
    }

    /// Whether the object `key` under the prefix exists.
    pub async fn has_object(&self, key: &str) -> bool {
        let key = Key::from(format!("{PREFIX}/{key}"));
        match self.bucket().head(&key).await {
            Ok(_) => true,
            Err(object_store::Error::NotFound { .. }) => false,
            Err(err) => panic!("HEAD {key}: {err}"),
        }
    }

    /// Write the object `key` under the prefix.
    pub async fn put_object(&self, key: &str, body: Vec<u8>) {
        let key = Key::from(format!("{PREFIX}/{key}"));
        self.bucket()
            .put(&key, body.into())
            .await
            .unwrap_or_else(|err| panic!("PUT {key}: {err}"));
    }

    /// Make blob `digest` look last used two days ago: its `used/` marker
    /// says so (docs/operations.md, "Clean up blobs").
    pub async fn age(&self, digest: &str) {
        let then = SystemTime::now() - Duration::from_secs(2 * 24 * 3600);
        let secs = then
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        self.put_object(&format!("used/{digest}"), secs.to_string().into_bytes())
            .await;
    }
}

/// `ticketd serve --no-auth` of `sandbox` on `database`, its blobs in `moto`.
pub async fn serve_on(sandbox: &Sandbox, database: Option<&str>, moto: &Moto) -> Server {
    let (mut command, port) = sandbox.serve_command(database, &["--no-auth"]);
    moto.configure(&mut command);
    Server::spawn(sandbox, command, port).await
}

fn digest_of(content: &[u8]) -> String {
    hex::encode(sha2::Sha256::digest(content))
}

/// A new ticket's `resource_uri`.
async fn new_ticket(server: &Server) -> String {
    let ticket = server
        .post(
            "/api/v1/ticket/",
            json!({"owner": "o@example.com", "title": "t"}),
        )
        .await;
    ticket["resource_uri"]
        .as_str()
        .expect("resource_uri")
        .to_string()
}

/// PUT a blob; the status.
async fn put_blob(server: &Server, content: &[u8]) -> StatusCode {
    client()
        .put(server.url(&format!("/api/v1/blob/{}", digest_of(content))))
        .header("Content-Type", "application/octet-stream")
        .body(content.to_vec())
        .send()
        .await
        .expect("PUT blob")
        .status()
}

/// Reference a blob from an artifact of `ticket`; the status.
async fn reference(server: &Server, ticket: &str, name: &str, digest: &str) -> StatusCode {
    client()
        .post(server.url("/api/v1/ticketartifact/"))
        .json(&json!({"name": name, "ticket": ticket, "type": "LOGS",
                       "reference": format!("/api/v1/blob/{digest}")}))
        .send()
        .await
        .expect("POST artifact")
        .status()
}

/// GET with an optional `Range`; status, `Content-Range` and bytes.
async fn fetch(
    server: &Server,
    digest: &str,
    range: Option<&str>,
) -> (StatusCode, String, Vec<u8>) {
    let mut request = client().get(server.url(&format!("/api/v1/blob/{digest}")));
    if let Some(range) = range {
        request = request.header("Range", range);
    }
    let response = request.send().await.expect("GET blob");
    let status = response.status();
    let content_range = response
        .headers()
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (
        status,
        content_range,
        response.bytes().await.expect("body").to_vec(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_with_their_own_data_dirs_serve_each_others_blobs_from_one_bucket() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    let Some(moto) = Moto::start().await else {
        return;
    };
    let (one, two) = (Sandbox::new(), Sandbox::new());
    let first = serve_on(&one, Some(&db.url), &moto).await;
    let second = serve_on(&two, Some(&db.url), &moto).await;

    // 9 MiB: sent to the bucket in parts.
    let big: Vec<u8> = (0..9 * 1024 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    let big_digest = digest_of(&big);
    assert_eq!(put_blob(&first, &big).await, StatusCode::CREATED);
    assert_eq!(
        put_blob(&second, &big).await,
        StatusCode::OK,
        "already there"
    );
    let (status, _, back) = fetch(&second, &big_digest, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(back == big, "the other process serves the same 9 MiB");
    let head = client()
        .head(second.url(&format!("/api/v1/blob/{big_digest}")))
        .send()
        .await
        .expect("HEAD blob");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok()),
        Some((9 * 1024 * 1024).to_string().as_str())
    );
    let (status, range, part) = fetch(&second, &big_digest, Some("bytes=1000-1009")).await;
    assert_eq!(
        (status, range.as_str()),
        (StatusCode::PARTIAL_CONTENT, "bytes 1000-1009/9437184")
    );
    assert_eq!(part, &big[1000..1010]);
    let (status, range, _) = fetch(&second, &big_digest, Some("bytes=9437184-")).await;
    assert_eq!(
        (status, range.as_str()),
        (StatusCode::RANGE_NOT_SATISFIABLE, "bytes */9437184")
    );
    // Nothing of the blob is in either data dir: only the bucket has it.
    for sandbox in [&one, &two] {
        let dir = sandbox.path("data/blobs").join(&big_digest[..2]);
        assert!(!dir.exists(), "{} exists", dir.display());
    }

    // gc through either process's configuration keeps what the other references.
    let ticket = new_ticket(&first).await;
    let log = b"referenced through the second process".to_vec();
    let orphan = b"referenced by nobody".to_vec();
    assert_eq!(put_blob(&first, &log).await, StatusCode::CREATED);
    assert_eq!(put_blob(&second, &orphan).await, StatusCode::CREATED);
    assert_eq!(
        reference(&second, &ticket, "log", &digest_of(&log)).await,
        StatusCode::CREATED
    );
    for digest in [&big_digest, &digest_of(&log), &digest_of(&orphan)] {
        moto.age(digest).await;
    }
    let done = run(&one, Some(&db.url), Some(&moto), &["gc"]);
    assert!(done.status.success(), "{}", done.shown());
    assert!(
        done.stdout.contains("freed 2 blob(s)") && done.stdout.contains("kept 1 referenced"),
        "{}",
        done.shown()
    );
    assert!(!done.shown().contains(SECRET_KEY), "{}", done.shown());
    assert!(moto.has_blob(&digest_of(&log)).await);
    assert!(!moto.has_blob(&digest_of(&orphan)).await);
    assert!(!moto.has_blob(&big_digest).await);
    let (status, _, back) = fetch(&first, &digest_of(&log), None).await;
    assert_eq!((status, back), (StatusCode::OK, log.clone()));
    assert_eq!(
        fetch(&second, &big_digest, None).await.0,
        StatusCode::NOT_FOUND
    );
    let again = run(&two, Some(&db.url), Some(&moto), &["gc"]);
    assert!(
        again
            .stdout
            .contains("freed 0 blob(s), 0 bytes; kept 1 referenced"),
        "{}",
        again.shown()
    );
    assert!(first.stop().success());
    assert!(second.stop().success());
}

/// While gc decides on a blob (its `gc/` mark is there), a reference to
/// it is refused and an upload of it answered 503; once gc is done, both
/// go through. A mark left by a gc that was killed is cleared by the next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_gc_is_deciding_on_cannot_be_referenced_until_it_is_done() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    let sandbox = Sandbox::new();
    let server = serve_on(&sandbox, None, &moto).await;
    let ticket = new_ticket(&server).await;
    let content = b"old, and about to be collected".to_vec();
    let digest = digest_of(&content);
    assert_eq!(put_blob(&server, &content).await, StatusCode::CREATED);
    let mark = format!("gc/{digest}");
    moto.put_object(&mark, b"0".to_vec()).await;
    assert_eq!(
        reference(&server, &ticket, "log", &digest).await,
        StatusCode::BAD_REQUEST,
        "a reference gc may not see is refused"
    );
    assert_eq!(
        put_blob(&server, &content).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "an upload gc may remove is refused, to be retried"
    );
    // gc killed before it decided: the next gc clears its mark and keeps
    // the blob, whose failed uses above count as uses.
    let done = run(&sandbox, None, Some(&moto), &["gc"]);
    assert!(
        done.stdout
            .contains("freed 0 blob(s), 0 bytes; kept 0 referenced and 1 uploaded or used"),
        "{}",
        done.shown()
    );
    assert_eq!(put_blob(&server, &content).await, StatusCode::OK);
    assert_eq!(
        reference(&server, &ticket, "log", &digest).await,
        StatusCode::CREATED
    );
    assert!(server.stop().success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_shows_the_bucket_with_the_secret_masked_and_whether_it_answers() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    let sandbox = Sandbox::new();
    assert!(sandbox.run_on(None, &["migrate"]).status.success());
    let config = sandbox.path("config.toml");
    let write_config = |bucket: &str| {
        std::fs::write(
            &config,
            format!(
                "blob_store = \"s3://{bucket}/{PREFIX}\"\ns3_endpoint = \"{}\"\n\
                 s3_region = \"us-east-1\"\ns3_allow_http = true\n\
                 s3_access_key_id = \"{ACCESS_KEY}\"\ns3_secret_access_key = \"{SECRET_KEY}\"\n",
                moto.endpoint
            ),
        )
        .expect("write the config file");
    };
    let config_arg = config.to_str().expect("a UTF-8 path").to_string();
    write_config(BUCKET);
    let checked = sandbox.run_on(None, &["--config", &config_arg, "check"]);
    assert!(checked.status.success(), "{}", checked.shown());
    let shown = |key: &str, value: &str| {
        checked
            .stdout
            .lines()
            .any(|line| line.split_whitespace().collect::<Vec<_>>() == [key, value])
    };
    assert!(shown("blob_store", &moto.url()), "{}", checked.shown());
    assert!(shown("s3_secret_access_key", "***"), "{}", checked.shown());
    assert!(
        checked
            .stdout
            .contains(&format!("blob store: ok ({} answers)", moto.url())),
        "{}",
        checked.shown()
    );
    assert!(!checked.shown().contains(SECRET_KEY), "{}", checked.shown());

    write_config("no-such-bucket");
    let checked = sandbox.run_on(None, &["--config", &config_arg, "check"]);
    assert!(!checked.status.success(), "{}", checked.shown());
    assert!(
        checked
            .stderr
            .contains("the blob store s3://no-such-bucket/site/blobs does not answer"),
        "{}",
        checked.shown()
    );
    assert!(!checked.shown().contains(SECRET_KEY), "{}", checked.shown());
}

#[test]
fn a_blob_store_that_is_not_an_s3_url_is_refused_naming_the_setting() {
    let sandbox = Sandbox::new();
    for (url, says) in [
        ("file:///srv/blobs", "is not an s3://bucket/prefix URL"),
        ("s3://", "names no valid bucket"),
        ("s3://Upper_Case/x", "names no valid bucket"),
    ] {
        let mut command = sandbox.ticketd(&["--data-dir", &sandbox.data_dir(), "check"]);
        command.env("TICKETD_BLOB_STORE", url);
        let refused = sandbox.run_command(command, "check");
        assert!(!refused.status.success(), "{url}: {}", refused.shown());
        assert!(
            refused.stderr.contains("TICKETD_BLOB_STORE") && refused.stderr.contains(says),
            "{url}: {}",
            refused.shown()
        );
    }
    let refused = sandbox.run_on(None, &["--blob-store", "s3:/bucket", "check"]);
    assert!(
        !refused.status.success()
            && refused
                .stderr
                .contains("--blob-store: `s3:/bucket` is not an s3://bucket/prefix URL"),
        "{}",
        refused.shown()
    );
    assert!(!sandbox.path("data").exists(), "nothing was created");
}

/// The blob API on an in-process server whose store is the bucket: the
/// answers blobs.rs checks for the directory (see its `s3` module); here
/// what only S3 has: an upload larger than one part.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_larger_than_one_part_comes_back_whole_and_in_ranges() {
    let options = crate::helpers::Options {
        s3: true,
        ..crate::helpers::Options::default()
    };
    let Some(app) =
        crate::helpers::TestApp::spawn_with(crate::helpers::Backend::Sqlite, options).await
    else {
        return;
    };
    let data: Vec<u8> = (0..17 * 1024 * 1024 + 5).map(|i| (i % 253) as u8).collect();
    let digest = digest_of(&data);
    let (status, body) = crate::blobs::put(&app, &digest, data.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let response = app
        .anon()
        .raw(Method::GET, &format!("/api/v1/blob/{digest}"), None)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.expect("body").as_ref() == data.as_slice());
    let tail = app
        .client()
        .get(app.url(&format!("/api/v1/blob/{digest}")))
        .header("Range", "bytes=-7")
        .send()
        .await
        .expect("GET a range");
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        tail.bytes().await.expect("body").as_ref(),
        &data[data.len() - 7..]
    );
}

/// gc's own side of the race, on the store itself: a blob listed as old
/// but used before gc gets to it is kept; once unused it is removed, and
/// a use after that finds nothing (as blobs.rs's unit test shows for the
/// directory).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blob_used_after_gc_listed_it_is_kept_and_removed_once_unused() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    let data_dir = tempfile::tempdir().expect("tempdir");
    let store = BlobStore::open(data_dir.path(), Some(&moto.settings())).expect("S3 store");
    let content = b"listed, then used".to_vec();
    let digest = digest_of(&content);
    let body = futures::stream::iter([Ok::<_, std::io::Error>(content.clone())]);
    assert_eq!(
        store.put(&digest, body, 100).await.expect("put"),
        Stored::Created(17)
    );
    moto.age(&digest).await;
    let cutoff = SystemTime::now() - Duration::from_secs(3600);
    let listed = store.stored().await.expect("list");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].modified < cutoff, "old: {listed:?}");
    assert_eq!(store.touch(&digest).await.expect("touch"), Some(17));
    assert_eq!(
        store.remove_if_stale(&digest, cutoff).await.expect("gc"),
        Removal::Used
    );
    assert_eq!(store.size(&digest).await.expect("size"), Some(17));
    moto.age(&digest).await;
    assert_eq!(
        store.remove_if_stale(&digest, cutoff).await.expect("gc"),
        Removal::Removed(17)
    );
    assert!(!moto.has_blob(&digest).await);
    assert_eq!(store.touch(&digest).await.expect("touch"), None);
    assert_eq!(
        store.remove_if_stale(&digest, cutoff).await.expect("gc"),
        Removal::Gone
    );
    assert!(
        !moto.has_object(&format!("used/{digest}")).await,
        "its marker went with it"
    );
    // A marker of no blob (an upload that failed after marking) goes at
    // the next listing.
    let stray = format!("used/{}", digest_of(b"never arrived"));
    moto.put_object(&stray, b"1".to_vec()).await;
    assert!(store.stored().await.expect("list").is_empty());
    assert!(!moto.has_object(&stray).await);
    assert_eq!(
        std::fs::read_dir(data_dir.path().join("blobs/tmp"))
            .expect("tmp")
            .count(),
        0,
        "no temporary file is left"
    );
}

/// Moving a site from the directory to a bucket (docs/operations.md,
/// "Several processes on PostgreSQL"): the files of `DATA_DIR/blobs/`,
/// `tmp/` aside, copied to the same relative keys under the prefix are
/// served, and gc counts the copy as their last use.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blobs_copied_from_the_data_dir_into_the_bucket_are_served_and_kept() {
    let Some(moto) = Moto::start().await else {
        return;
    };
    let sandbox = Sandbox::new();
    let before = sandbox.serve(None, &["--no-auth"]).await;
    let content = b"uploaded while blobs were files".to_vec();
    assert_eq!(put_blob(&before, &content).await, StatusCode::CREATED);
    assert!(before.stop().success());

    let blobs = sandbox.path("data/blobs");
    let mut copied = 0;
    for dir in std::fs::read_dir(&blobs).expect("the blob dir") {
        let dir = dir.expect("an entry").path();
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        if name == "tmp" {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("a blob subdir") {
            let file = file.expect("an entry").path();
            let digest = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let bytes = std::fs::read(&file).expect("a blob file");
            moto.put_object(&format!("{name}/{digest}"), bytes).await;
            copied += 1;
        }
    }
    assert_eq!(copied, 1);
    std::fs::remove_dir_all(&blobs).expect("remove the old blob dir");

    let after = serve_on(&sandbox, None, &moto).await;
    let (status, _, back) = fetch(&after, &digest_of(&content), None).await;
    assert_eq!((status, back), (StatusCode::OK, content.clone()));
    let done = run(&sandbox, None, Some(&moto), &["gc"]);
    assert!(
        done.stdout
            .contains("freed 0 blob(s), 0 bytes; kept 0 referenced and 1 uploaded or used"),
        "{}",
        done.shown()
    );
    assert!(after.stop().success());
}
