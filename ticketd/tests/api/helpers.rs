//! The test harness: the real server in-process on a port-0 listener, on a
//! fresh SQLite file or a fresh PostgreSQL database per test, driven over
//! real HTTP. [`backend_tests!`] runs each test body on both backends.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;
use sqlx::Connection;
use ticketd::blobs::BlobStore;

use crate::object_store::Moto;
use ticketd::domain::tokens;
use ticketd::server::{self, HttpOptions};
use ticketd::state::{AppState, AuthMode, Limits};
use ticketd::store::{StatementLog, Store, StoreOptions};
use tokio::io::AsyncReadExt;

pub const POSTGRES_ENV: &str = "TICKETD_TEST_POSTGRES_URL";

/// Every resource list of the API (`GET /api/v1/{list}/`); `whoami/` is
/// not one.
pub const RESOURCE_LISTS: [&str; 12] = [
    "ticket",
    "fullticket",
    "opentickets",
    "ticketstatus",
    "subticket",
    "spu",
    "ticketartifact",
    "subticketartifact",
    "sourcepackage",
    "binarypackage",
    "person",
    "event",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A PostgreSQL database made for one test and dropped after it.
pub struct PgDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

/// Whether the tests run in CI (`CI` set and not empty, as `.ci/run` does).
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// A PostgreSQL case cannot run, for `why`: in CI the test fails, since a
/// skipped case must not count as a pass there; elsewhere it says so and
/// the caller returns.
pub fn skip_postgres(why: &str) {
    assert!(
        !in_ci(),
        "CI is set, so the PostgreSQL case must run, but {why}"
    );
    eprintln!("SKIPPED the PostgreSQL case: {why} (with CI set this fails)");
}

impl PgDatabase {
    /// A fresh database. `None` when `TICKETD_TEST_POSTGRES_URL` is unset
    /// or empty, after [`skip_postgres`] (which fails the test in CI); a
    /// set URL that does not connect always fails the test.
    pub async fn create() -> Option<PgDatabase> {
        let admin_url = match std::env::var(POSTGRES_ENV) {
            Ok(url) if !url.trim().is_empty() => url,
            _ => {
                skip_postgres(&format!("{POSTGRES_ENV} is not set (or empty)"));
                return None;
            }
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let mut random = [0u8; 4];
        getrandom::fill(&mut random).expect("randomness");
        let name = format!(
            "ticketd_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            hex::encode(random)
        );
        let mut conn = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV} is set but PostgreSQL is unreachable: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create database");
        let mut url = url::Url::parse(&admin_url).expect("a postgres:// URL");
        url.set_path(&format!("/{name}"));
        Some(PgDatabase {
            admin_url,
            name,
            url: url.to_string(),
        })
    }
}

impl PgDatabase {
    /// Drop the database and make an empty one of the same name: a
    /// database lost while the data dir (the blobs) survived.
    pub async fn recreate(&self) {
        let mut conn = sqlx::PgConnection::connect(&self.admin_url)
            .await
            .expect("PostgreSQL reachable");
        for statement in [
            format!("DROP DATABASE {} WITH (FORCE)", self.name),
            format!("CREATE DATABASE {}", self.name),
        ] {
            sqlx::query(&statement)
                .execute(&mut conn)
                .await
                .expect(&statement);
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime; use a runtime of our own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async {
                let mut conn = sqlx::PgConnection::connect(&admin_url).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await?;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}: {dropped:?}", self.name);
        }
    }
}

/// Run `sql` on the database at `database_url` (SQLite or PostgreSQL)
/// through a connection of its own.
pub async fn execute_sql(database_url: &str, sql: &str) {
    if database_url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(database_url)
            .await
            .expect("open the SQLite file");
        sqlx::query(sql).execute(&mut conn).await.expect(sql);
    } else {
        let mut conn = sqlx::PgConnection::connect(database_url)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(sql).execute(&mut conn).await.expect(sql);
    }
}

/// A running server with a token of each role.
pub struct TestApp {
    pub base: String,
    pub store: Store,
    /// Every statement the server has run (see `indexes.rs`).
    pub statements: Arc<StatementLog>,
    client: reqwest::Client,
    tokens: Vec<(Role, String)>,
    /// The database the server uses, for [`TestApp::execute_sql`].
    database_url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    // Dropped last: the database outlives the server.
    _dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    _moto: Option<Moto>,
}

/// Options of a test server.
#[derive(Debug, Clone)]
pub struct Options {
    pub auth: AuthMode,
    pub http: HttpOptions,
    pub limits: Limits,
    pub store: StoreOptions,
    /// Blobs in a bucket of a moto server of the test's own
    /// (`object_store.rs`), not in the data dir.
    pub s3: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            auth: AuthMode::Tokens {
                anonymous_read: true,
            },
            http: HttpOptions::default(),
            limits: Limits::default(),
            store: StoreOptions::default(),
            s3: false,
        }
    }
}

impl Options {
    /// Tokens needed for reads too (`anonymous_read = false`).
    pub fn without_anonymous_reads() -> Options {
        Options {
            auth: AuthMode::Tokens {
                anonymous_read: false,
            },
            ..Options::default()
        }
    }
}

impl TestApp {
    /// Start a server on `backend`; `None` when PostgreSQL is not configured.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, Options::default()).await
    }

    pub async fn spawn_with(backend: Backend, options: Options) -> Option<TestApp> {
        // Server logs go to the test's captured output, shown on failure.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("warn,ticketd=info")
            .try_init();
        let dir = tempfile::tempdir().expect("tempdir");
        let (url, pg) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("ticketd.db").display()),
                None,
            ),
            Backend::Postgres => {
                let db = PgDatabase::create().await?;
                (db.url.clone(), Some(db))
            }
        };
        let database_url = url.clone();
        let mut store = Store::connect(&url, &options.store).await.expect("connect");
        let statements = store.log_statements();
        store.migrate().await.expect("migrate");
        let mut tokens = Vec::new();
        for role in [Role::Developer, Role::Lander, Role::Admin] {
            let (_, secret) = tokens::create(&store, &format!("test-{role}"), role, None, None)
                .await
                .expect("token");
            tokens.push((role, secret));
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (blobs, moto) = if options.s3 {
            let moto = Moto::start().await?;
            let blobs = BlobStore::open(dir.path(), Some(&moto.settings())).expect("S3 blob store");
            (blobs, Some(moto))
        } else {
            let blobs = BlobStore::directory(dir.path().join("blobs")).expect("blob store");
            (blobs, None)
        };
        let state = AppState::with_limits(store.clone(), blobs, options.auth, options.limits);
        let feed = state.feed.clone();
        let connections = state.metrics.connections.clone();
        let app = server::app(state, &options.http);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let http = options.http.clone();
        tokio::spawn(async move {
            server::serve(
                listener,
                app,
                async move {
                    let _ = rx.await;
                    feed.shutdown.cancel();
                },
                &http,
                connections,
            )
            .await
        });
        Some(TestApp {
            base,
            store,
            statements,
            client: reqwest::Client::new(),
            tokens,
            database_url,
            shutdown: Some(tx),
            _dir: dir,
            pg,
            _moto: moto,
        })
    }

    /// The directory holding the SQLite file (`ticketd.db`) and blobs.
    /// The PostgreSQL database's URL, on that backend.
    pub fn postgres_url(&self) -> Option<&str> {
        self.pg.as_ref().map(|db| db.url.as_str())
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Run `sql` on the server's database through a connection of its
    /// own, behind the server's back: for a test that must set what the
    /// API never lets a client set (the time an event happened).
    pub async fn execute_sql(&self, sql: &str) {
        execute_sql(&self.database_url, sql).await;
    }

    /// The secret of the test token of `role`.
    pub fn token(&self, role: Role) -> &str {
        self.tokens
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, t)| t.as_str())
            .expect("a token of every role")
    }

    /// The secret of a new developer token named `name`, bound to `owner`
    /// (`ticketd token create --role developer --email OWNER`).
    pub async fn bound_developer(&self, name: &str, owner: &str) -> String {
        let (_, secret) = tokens::create(&self.store, name, Role::Developer, Some(owner), None)
            .await
            .expect("a bound developer token");
        secret
    }

    /// Requests made with the token of `role` (`Anonymous`: none).
    pub fn as_role(&self, role: Role) -> Session<'_> {
        let token = (role != Role::Anonymous).then(|| self.token(role).to_string());
        Session { app: self, token }
    }

    /// Requests with an arbitrary bearer token.
    pub fn with_token(&self, token: &str) -> Session<'_> {
        Session {
            app: self,
            token: Some(token.to_string()),
        }
    }

    pub fn dev(&self) -> Session<'_> {
        self.as_role(Role::Developer)
    }
    pub fn lander(&self) -> Session<'_> {
        self.as_role(Role::Lander)
    }
    pub fn admin(&self) -> Session<'_> {
        self.as_role(Role::Admin)
    }
    pub fn anon(&self) -> Session<'_> {
        self.as_role(Role::Anonymous)
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// An absolute URL for a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Create a ticket (as a developer) and return its id.
    pub async fn ticket(&self, title: &str) -> i64 {
        let (status, body) = self
            .dev()
            .post(
                "/api/v1/ticket/",
                json!({"owner": "dev@example.com", "title": title, "description": "d"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        id_of(&body)
    }

    /// Create (or reuse) a source package and an upload of it; the upload id.
    pub async fn upload(&self, source: &str, version: &str) -> i64 {
        let (status, body) = self
            .dev()
            .post("/api/v1/sourcepackage/", json!({"name": source}))
            .await;
        let sp = match status {
            StatusCode::CREATED => body["resource_uri"].as_str().expect("uri").to_string(),
            StatusCode::CONFLICT => body["error"]["existing"]
                .as_str()
                .expect("existing")
                .to_string(),
            other => panic!("sourcepackage: {other} {body}"),
        };
        let (status, body) = self
            .dev()
            .post(
                "/api/v1/spu/",
                json!({"sourcepackage": sp, "version": version}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        id_of(&body)
    }

    /// A ticket at step 0 with one subticket per `(source, version)`;
    /// the ticket id and the subtickets' ids.
    pub async fn ticket_with_subtickets(
        &self,
        title: &str,
        uploads: &[(&str, &str)],
    ) -> (i64, Vec<i64>) {
        let ticket = self.ticket(title).await;
        let mut subs = Vec::new();
        for (source, version) in uploads {
            let spu = self.upload(source, version).await;
            let (status, body) = self
                .dev()
                .post(
                    "/api/v1/subticket/",
                    json!({"ticket": ticket, "source_package_upload": spu}),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            subs.push(id_of(&body));
        }
        (ticket, subs)
    }

    /// PATCH a ticket's status as a lander.
    pub async fn move_ticket(&self, id: i64, step: i64, status: i64) -> (StatusCode, Value) {
        self.lander()
            .patch(
                &format!("/api/v1/updateticketstatus/{id}/"),
                json!({"current_workflow_step": step, "status": status}),
            )
            .await
    }

    /// PATCH a subticket's status as a lander.
    pub async fn move_subticket(&self, id: i64, step: i64, status: i64) -> (StatusCode, Value) {
        self.lander()
            .patch(
                &format!("/api/v1/updatesubticketstatus/{id}/"),
                json!({"current_workflow_step": step, "status": status}),
            )
            .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The `id` of a created object.
pub fn id_of(body: &Value) -> i64 {
    body["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {body}"))
}

/// Requests made with one token (or none).
pub struct Session<'a> {
    app: &'a TestApp,
    token: Option<String>,
}

impl Session<'_> {
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let builder = self.app.client.request(method, self.app.url(path));
        match &self.token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Send and decode: the status and the JSON body (`Null` if none).
    pub async fn send(&self, builder: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = builder.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, body)
    }

    /// The raw response, for header checks.
    pub async fn raw(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> reqwest::Response {
        let mut builder = self.request(method, path);
        if let Some((content_type, bytes)) = body {
            builder = builder.header("content-type", content_type).body(bytes);
        }
        builder.send().await.expect("request")
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::POST, path).json(&body))
            .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.request(reqwest::Method::PATCH, path).json(&body))
            .await
    }
}

/// Define each test once and run it on SQLite and on PostgreSQL:
/// `backend_tests! { async fn name(app) { ... } }` makes `sqlite::name`
/// and `postgres::name`; the PostgreSQL case skips with a message when
/// `TICKETD_TEST_POSTGRES_URL` is unset, and fails instead in CI
/// ([`skip_postgres`]).
///
/// `backend_tests! { s3; async fn name(app) { ... } }` also makes
/// `s3::name`: on SQLite with the blobs in a bucket of a moto server
/// (`object_store.rs`), skipped like PostgreSQL when there is none.
#[macro_export]
macro_rules! backend_tests {
    (s3; $(async fn $name:ident($app:ident) $body:block)*) => {
        backend_tests! { $(async fn $name($app) $body)* }
        mod s3 {
            // A test module need not use every import of its parent.
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let options = $crate::helpers::Options { s3: true, ..$crate::helpers::Options::default() };
                    let Some($app) = $crate::helpers::TestApp::spawn_with($crate::helpers::Backend::Sqlite, options).await else {
                        return;
                    };
                    $body
                }
            )*
        }
    };
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        mod sqlite {
            // A test module need not use every import of its parent.
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let $app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite)
                        .await
                        .expect("SQLite always runs");
                    $body
                }
            )*
        }
        mod postgres {
            // A test module need not use every import of its parent.
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some($app) = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await else {
                        return;
                    };
                    $body
                }
            )*
        }
    };
}

/// Read one response head (up to the blank line); its status code.
pub async fn read_status(stream: &mut tokio::net::TcpStream) -> u16 {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    let read = async {
        while !head.ends_with(b"\r\n\r\n") {
            match stream.read(&mut byte).await {
                Ok(1) => head.push(byte[0]),
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(10), read).await;
    let text = String::from_utf8_lossy(&head);
    text.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP status in {text:?}"))
}

/// Read the final response: its status and JSON body (`Null` if none).
pub async fn read_final(stream: &mut tokio::net::TcpStream) -> (u16, Value) {
    let status = read_status(stream).await;
    let mut body = Vec::new();
    // `Connection: close`: the body ends where the connection does.
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut body)).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}
