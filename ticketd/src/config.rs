//! Configuration: defaults, then an optional TOML file, then environment
//! variables and flags (clap reads both; flags win).

use std::fmt;
use std::fs::DirBuilder;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::blobs::{S3Settings, make_private_dir};
use crate::cli::{GlobalArgs, LogFormat};
use crate::connections::ConnectionOptions;
use crate::domain::bundle::BundleLimits;
use crate::secrets::redact_url;
use crate::server::HttpOptions;
use crate::state::Limits;
use crate::store::StoreOptions;

/// The config file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "/etc/ticketd/config.toml";
/// Names another file in place of [`DEFAULT_CONFIG_FILE`], read under the
/// same rule (only if it exists): for tests, which must not write `/etc`,
/// and for packagers who keep configuration elsewhere.
pub const DEFAULT_CONFIG_ENV: &str = "TICKETD_DEFAULT_CONFIG";
/// The listen address's environment variable; `serve`'s `--listen` reads
/// it through clap, every other subcommand here, so that `check` shows
/// the address `serve` would use.
pub const LISTEN_ENV: &str = "TICKETD_LISTEN";
/// The default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8000";

/// The TOML config file. Every key is optional; unknown keys are errors.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub log_format: Option<LogFormat>,
    /// Allow reads without a token (default true).
    pub anonymous_read: Option<bool>,
    /// Largest JSON body in bytes (default 16 MiB).
    pub max_body_bytes: Option<usize>,
    /// Seconds before a request is answered 503 (default 30).
    pub request_timeout_secs: Option<u64>,
    /// Database connections: readers on SQLite (default 4), all of them on
    /// PostgreSQL (default 8).
    pub max_connections: Option<u32>,
    /// Largest blob upload in bytes (default 2 GiB).
    pub max_blob_bytes: Option<u64>,
    /// Most uploads in one bundle (default 100).
    pub max_bundle_uploads: Option<usize>,
    /// Most artifacts in one bundle (default 1000).
    pub max_bundle_artifacts: Option<usize>,
    /// Commit concurrent SQLite writes together, one fsync for the batch
    /// (default true; false commits each write on its own, for comparison).
    pub sqlite_group_commit: Option<bool>,
    /// Bytes of JSON bodies held at once across requests (default 16 MiB).
    pub max_inflight_body_bytes: Option<usize>,
    /// Seconds a request body may go without a byte (default 30).
    pub body_idle_timeout_secs: Option<u64>,
    /// Seconds to send a whole request head, and the most a keep-alive
    /// connection may idle (default 10).
    pub header_read_timeout_secs: Option<u64>,
    /// Most HTTP connections open at once (default 1024).
    pub max_http_connections: Option<usize>,
    /// Seconds shutdown waits for requests in flight (default 10).
    pub shutdown_grace_secs: Option<u64>,
    /// Text a list page holds before it stops early (default 2 MiB).
    pub max_page_bytes: Option<usize>,
    /// Event streams (`events/`) open at once (default 512).
    pub max_event_streams: Option<usize>,
    /// Apply pending migrations when `serve` starts (default true); when
    /// false, `serve` refuses to start while any is pending.
    pub migrate_on_start: Option<bool>,
    /// Where blobs live: unset for `DATA_DIR/blobs`, or `s3://bucket/prefix`.
    pub blob_store: Option<String>,
    /// The S3 endpoint (MinIO, Ceph, moto); AWS's when unset.
    pub s3_endpoint: Option<String>,
    /// The S3 region (default `AWS_REGION`, else us-east-1).
    pub s3_region: Option<String>,
    /// Allow an `http://` S3 endpoint (default `AWS_ALLOW_HTTP`, else false).
    pub s3_allow_http: Option<bool>,
    /// S3 credentials; `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` when unset.
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
}

/// The S3 endpoint's environment variable (over the config file's key).
pub const S3_ENDPOINT_ENV: &str = "TICKETD_S3_ENDPOINT";

/// A non-empty environment variable.
fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// The S3 store `blob_store` names (`flag`, else the file's key), `None`
/// for the directory; an error naming the setting when the URL is not
/// `s3://bucket/prefix`.
fn s3_settings(flag: Option<&str>, file: &FileConfig) -> anyhow::Result<Option<S3Settings>> {
    let (url, origin) = match flag {
        Some(url) => (
            url.to_string(),
            given_by("TICKETD_BLOB_STORE", "--blob-store", url.as_ref()),
        ),
        None => match &file.blob_store {
            Some(url) => (url.clone(), "blob_store in the config file".to_string()),
            None => return Ok(None),
        },
    };
    let (bucket, prefix) = S3Settings::parse_url(&url).map_err(|problem| {
        anyhow::anyhow!(
            "{origin}: {problem}; leave blob_store unset to keep blobs in DATA_DIR/blobs"
        )
    })?;
    let endpoint = env_value(S3_ENDPOINT_ENV).or_else(|| file.s3_endpoint.clone());
    if let Some(endpoint) = &endpoint
        && !(endpoint.starts_with("https://") || endpoint.starts_with("http://"))
    {
        bail!("s3_endpoint `{endpoint}` is not an http:// or https:// URL");
    }
    Ok(Some(S3Settings {
        bucket,
        prefix,
        endpoint,
        region: file.s3_region.clone(),
        allow_http: file.s3_allow_http,
        access_key_id: file.s3_access_key_id.clone(),
        secret_access_key: file.s3_secret_access_key.clone(),
    }))
}

/// The resolved settings every subcommand uses.
#[derive(Clone)]
pub struct Settings {
    pub listen: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub log_format: LogFormat,
    pub anonymous_read: bool,
    /// Whether `serve` applies pending migrations (else refuses them).
    pub migrate_on_start: bool,
    pub http: HttpOptions,
    pub store: StoreOptions,
    pub limits: Limits,
    /// The S3 blob store, if `blob_store` names one; else `DATA_DIR/blobs`.
    pub blob_store: Option<S3Settings>,
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    /// Where the settings most often wrong came from, for `check`.
    pub origins: Origins,
}

/// Where `listen`, `database_url` and `data_dir` came from: a flag, an
/// environment variable, the config file or the default.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    pub listen: String,
    pub database_url: String,
    pub data_dir: String,
}

/// The origin of a value clap took from `flag` or `env`: the variable if
/// it holds that value, else the flag.
fn given_by(env: &str, flag: &str, value: &std::ffi::OsStr) -> String {
    if std::env::var_os(env).as_deref() == Some(value) {
        env.to_string()
    } else {
        flag.to_string()
    }
}

/// The origin of a value that only a flag, the config file or a default gives.
fn origin(given: Option<String>, in_file: bool, default: &str) -> String {
    given.unwrap_or_else(|| {
        if in_file {
            "config file".to_string()
        } else {
            default.to_string()
        }
    })
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url))
            .field("data_dir", &self.data_dir)
            .field("log_format", &self.log_format)
            .field("anonymous_read", &self.anonymous_read)
            .field("migrate_on_start", &self.migrate_on_start)
            .field("http", &self.http)
            .field("limits", &self.limits)
            .field("blob_store", &self.blob_store)
            .field("config_file", &self.config_file)
            .finish()
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileConfig> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    toml::from_str(&text)
        .map_err(|err| anyhow::anyhow!(describe_toml_error(&text, &err)))
        .with_context(|| format!("invalid config file {}", path.display()))
}

/// Where and what the error is, without the quoted source line that
/// toml's own message carries: that line may be `database_url = "…"` with
/// a password in it.
fn describe_toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim_end();
    match err.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message.to_string(),
    }
}

/// The config file read when none is named: [`DEFAULT_CONFIG_ENV`]'s, else
/// [`DEFAULT_CONFIG_FILE`]. Every subcommand reads it, so that `ticketd
/// token create` typed in a shell acts on the database of the service.
fn default_config_file() -> PathBuf {
    std::env::var_os(DEFAULT_CONFIG_ENV)
        .filter(|path| !path.is_empty())
        .map_or_else(|| PathBuf::from(DEFAULT_CONFIG_FILE), PathBuf::from)
}

/// The data dir when none is configured: systemd's `StateDirectory=`
/// (`/var/lib/ticketd` for a system service), else the user's data dir.
fn default_data_dir() -> anyhow::Result<PathBuf> {
    if let Some(state) = std::env::var_os("STATE_DIRECTORY").filter(|s| !s.is_empty()) {
        // systemd may list several, separated by ':'; the first is ours.
        let first = state
            .to_string_lossy()
            .split(':')
            .next()
            .unwrap_or_default()
            .to_string();
        return Ok(PathBuf::from(first));
    }
    directories::ProjectDirs::from("", "", "ticketd")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .context("cannot find a home directory for the default data dir; pass --data-dir")
}

impl Settings {
    /// Resolve settings from the command line, environment and file.
    pub fn resolve(args: &GlobalArgs, listen: Option<&str>) -> anyhow::Result<Settings> {
        let (file, config_file) = match &args.config {
            Some(path) => (read_file(path)?, Some(path.clone())),
            None => {
                let default = default_config_file();
                if default.exists() {
                    (read_file(&default)?, Some(default))
                } else {
                    (FileConfig::default(), None)
                }
            }
        };
        let blob_store = s3_settings(args.blob_store.as_deref(), &file)?;
        let listen = listen
            .map(str::to_string)
            .or_else(|| std::env::var(LISTEN_ENV).ok().filter(|l| !l.is_empty()));
        let origins = Origins {
            listen: origin(
                listen
                    .as_deref()
                    .map(|l| given_by(LISTEN_ENV, "--listen", l.as_ref())),
                file.listen.is_some(),
                "default",
            ),
            database_url: origin(
                args.database
                    .as_deref()
                    .map(|d| given_by("TICKETD_DATABASE_URL", "--database", d.as_ref())),
                file.database_url.is_some(),
                "default: ticketd.db in the data dir",
            ),
            data_dir: origin(
                args.data_dir
                    .as_deref()
                    .map(|d| given_by("TICKETD_DATA_DIR", "--data-dir", d.as_os_str())),
                file.data_dir.is_some(),
                if std::env::var_os("STATE_DIRECTORY").is_some_and(|s| !s.is_empty()) {
                    "default: systemd's $STATE_DIRECTORY"
                } else {
                    "default: the user's data dir"
                },
            ),
        };
        let data_dir = match args.data_dir.clone().or(file.data_dir) {
            Some(dir) => dir,
            None => default_data_dir()?,
        };
        let database_url = match args.database.clone().or(file.database_url) {
            Some(url) => url,
            None => format!("sqlite://{}", data_dir.join("ticketd.db").display()),
        };
        let defaults = HttpOptions::default();
        let seconds = |key: &str, value: Option<u64>, default: Duration| match value {
            Some(0) => bail!("{key} must be at least 1"),
            Some(n) => Ok(Duration::from_secs(n)),
            None => Ok(default),
        };
        let request_timeout = seconds(
            "request_timeout_secs",
            file.request_timeout_secs,
            defaults.request_timeout,
        )?;
        let body_idle_timeout = seconds(
            "body_idle_timeout_secs",
            file.body_idle_timeout_secs,
            defaults.body_idle_timeout,
        )?;
        let header_read_timeout = seconds(
            "header_read_timeout_secs",
            file.header_read_timeout_secs,
            defaults.connections.header_read_timeout,
        )?;
        if file.max_http_connections == Some(0) {
            bail!("max_http_connections must be at least 1");
        }
        let default_limits = Limits::default();
        Ok(Settings {
            listen: listen
                .or(file.listen)
                .unwrap_or_else(|| DEFAULT_LISTEN.to_string()),
            database_url,
            data_dir,
            log_format: args
                .log_format
                .or(file.log_format)
                .unwrap_or(LogFormat::Text),
            anonymous_read: file.anonymous_read.unwrap_or(true),
            migrate_on_start: file.migrate_on_start.unwrap_or(true),
            http: HttpOptions {
                max_body_bytes: file.max_body_bytes.unwrap_or(defaults.max_body_bytes),
                max_inflight_body_bytes: file
                    .max_inflight_body_bytes
                    .unwrap_or(defaults.max_inflight_body_bytes),
                request_timeout,
                body_idle_timeout,
                connections: ConnectionOptions {
                    max_connections: file
                        .max_http_connections
                        .unwrap_or(defaults.connections.max_connections),
                    header_read_timeout,
                    shutdown_grace: file
                        .shutdown_grace_secs
                        .map_or(defaults.connections.shutdown_grace, Duration::from_secs),
                },
            },
            store: StoreOptions {
                max_connections: file.max_connections,
                group_commit: file
                    .sqlite_group_commit
                    .unwrap_or(StoreOptions::default().group_commit),
                ..StoreOptions::default()
            },
            limits: Limits {
                max_blob_bytes: file.max_blob_bytes.unwrap_or(default_limits.max_blob_bytes),
                bundle: BundleLimits {
                    max_uploads: file
                        .max_bundle_uploads
                        .unwrap_or(default_limits.bundle.max_uploads),
                    max_artifacts: file
                        .max_bundle_artifacts
                        .unwrap_or(default_limits.bundle.max_artifacts),
                },
                max_page_bytes: file.max_page_bytes.unwrap_or(default_limits.max_page_bytes),
                max_event_streams: file
                    .max_event_streams
                    .unwrap_or(default_limits.max_event_streams),
                ..default_limits
            },
            blob_store,
            config_file,
            origins,
        })
    }

    /// Every setting as the config file names it, with its resolved value
    /// (the database URL's secrets masked), in the file's order.
    pub fn described(&self) -> Vec<(&'static str, String)> {
        let secs = |d: Duration| d.as_secs().to_string();
        let with = |value: String, origin: &str| format!("{value}  ({origin})");
        let http = &self.http;
        let sqlite = self.sqlite_file().is_some();
        let mut described = vec![
            (
                "config file",
                self.config_file.as_ref().map_or_else(
                    || format!("none ({} does not exist)", default_config_file().display()),
                    |p| p.display().to_string(),
                ),
            ),
            ("listen", with(self.listen.clone(), &self.origins.listen)),
            (
                "database_url",
                with(redact_url(&self.database_url), &self.origins.database_url),
            ),
            (
                "data_dir",
                with(self.data_dir.display().to_string(), &self.origins.data_dir),
            ),
            (
                "log_format",
                match self.log_format {
                    LogFormat::Text => "text",
                    LogFormat::Json => "json",
                }
                .to_string(),
            ),
            ("anonymous_read", self.anonymous_read.to_string()),
            ("max_body_bytes", http.max_body_bytes.to_string()),
            ("request_timeout_secs", secs(http.request_timeout)),
            (
                "max_connections",
                self.store
                    .max_connections
                    .unwrap_or(if sqlite {
                        crate::store::SQLITE_READERS
                    } else {
                        crate::store::POSTGRES_CONNECTIONS
                    })
                    .to_string(),
            ),
            ("max_blob_bytes", self.limits.max_blob_bytes.to_string()),
            (
                "max_bundle_uploads",
                self.limits.bundle.max_uploads.to_string(),
            ),
            (
                "max_bundle_artifacts",
                self.limits.bundle.max_artifacts.to_string(),
            ),
            ("sqlite_group_commit", self.store.group_commit.to_string()),
            (
                "max_inflight_body_bytes",
                http.max_inflight_body_bytes.to_string(),
            ),
            ("body_idle_timeout_secs", secs(http.body_idle_timeout)),
            (
                "header_read_timeout_secs",
                secs(http.connections.header_read_timeout),
            ),
            (
                "max_http_connections",
                http.connections.max_connections.to_string(),
            ),
            ("shutdown_grace_secs", secs(http.connections.shutdown_grace)),
            ("max_page_bytes", self.limits.max_page_bytes.to_string()),
            (
                "max_event_streams",
                self.limits.max_event_streams.to_string(),
            ),
            ("migrate_on_start", self.migrate_on_start.to_string()),
        ];
        described.extend(self.described_blob_store());
        described
    }

    /// The blob store's settings, the secret masked.
    fn described_blob_store(&self) -> Vec<(&'static str, String)> {
        let Some(s3) = &self.blob_store else {
            return vec![(
                "blob_store",
                format!(
                    "{}  (default: the data dir)",
                    self.data_dir.join("blobs").display()
                ),
            )];
        };
        let or_env = |value: &Option<String>, env: &str| {
            value.clone().unwrap_or_else(|| match env_value(env) {
                Some(_) => format!("from {env}"),
                None => "unset".to_string(),
            })
        };
        vec![
            ("blob_store", s3.url()),
            (
                "s3_endpoint",
                s3.endpoint
                    .clone()
                    .unwrap_or_else(|| "unset (AWS)".to_string()),
            ),
            ("s3_region", or_env(&s3.region, "AWS_REGION")),
            (
                "s3_allow_http",
                or_env(&s3.allow_http.map(|a| a.to_string()), "AWS_ALLOW_HTTP"),
            ),
            (
                "s3_access_key_id",
                or_env(&s3.access_key_id, "AWS_ACCESS_KEY_ID"),
            ),
            (
                "s3_secret_access_key",
                match &s3.secret_access_key {
                    Some(_) => crate::secrets::MASK.to_string(),
                    None => or_env(&None, "AWS_SECRET_ACCESS_KEY"),
                },
            ),
        ]
    }

    /// Create the data dir (and an SQLite file's directory) if missing,
    /// with mode 0700 whatever the umask; an existing data dir open to
    /// others is made 0700 too.
    pub fn prepare_dirs(&self) -> anyhow::Result<()> {
        let private = || {
            let mut builder = DirBuilder::new();
            builder.recursive(true).mode(0o700);
            builder
        };
        private()
            .create(&self.data_dir)
            .with_context(|| format!("cannot create data dir {}", self.data_dir.display()))?;
        make_private_dir(&self.data_dir);
        if let Some(path) = self.sqlite_file()
            && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        {
            private()
                .create(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        Ok(())
    }

    /// The SQLite database file, when the database is SQLite.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        crate::store::sqlite_file(&self.database_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> GlobalArgs {
        GlobalArgs {
            config: None,
            database: None,
            data_dir: None,
            blob_store: None,
            log_format: None,
        }
    }

    /// Flags naming a config file with `text`, which lives as long as the
    /// directory returned.
    fn args_with_file(text: &str) -> (tempfile::TempDir, GlobalArgs) {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("config.toml");
        std::fs::write(&file, text).expect("write");
        let mut a = args();
        a.config = Some(file);
        (dir, a)
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let (_dir, mut a) = args_with_file(
            "listen = \"127.0.0.1:9000\"\ndata_dir = \"/srv/t\"\nanonymous_read = false\n",
        );
        let from_file = Settings::resolve(&a, None).expect("resolve");
        assert_eq!(from_file.listen, "127.0.0.1:9000");
        assert_eq!(from_file.database_url, "sqlite:///srv/t/ticketd.db");
        assert!(!from_file.anonymous_read);
        a.data_dir = Some(PathBuf::from("/srv/flag"));
        let from_flag = Settings::resolve(&a, Some("127.0.0.1:9001")).expect("resolve");
        assert_eq!(from_flag.listen, "127.0.0.1:9001");
        assert_eq!(from_flag.data_dir, PathBuf::from("/srv/flag"));
    }

    #[test]
    fn unknown_keys_in_the_file_are_errors() {
        let (_dir, a) = args_with_file("lisen = \"x\"\n");
        let err = Settings::resolve(&a, None).expect_err("typo");
        assert!(format!("{err:#}").contains("lisen"), "{err:#}");
    }

    #[test]
    fn a_config_error_names_the_line_without_quoting_it() {
        let (_dir, a) = args_with_file(
            "listen = \"127.0.0.1:1\"\ndatabase_url = \"postgres://u:S3cret@h/db\nanonymous_read = 1\n",
        );
        let err = format!("{:#}", Settings::resolve(&a, None).expect_err("bad TOML"));
        assert!(!err.contains("S3cret"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn an_s3_blob_store_is_read_from_the_file_its_secret_never_shown() {
        let (_dir, a) = args_with_file(
            "blob_store = \"s3://ci-blobs/site/blobs/\"\ns3_endpoint = \"http://127.0.0.1:9000\"\n\
             s3_allow_http = true\ns3_secret_access_key = \"wJalrXUtnFEMI\"\n",
        );
        let settings = Settings::resolve(&a, None).expect("resolve");
        let s3 = settings.blob_store.as_ref().expect("an S3 store");
        assert_eq!(
            (s3.bucket.as_str(), s3.prefix.as_str()),
            ("ci-blobs", "site/blobs")
        );
        assert_eq!(s3.allow_http, Some(true));
        let shown = format!("{settings:?} {:?}", settings.described());
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(shown.contains("s3://ci-blobs/site/blobs"), "{shown}");
        let (_dir, a) =
            args_with_file("blob_store = \"s3://ci-blobs\"\ns3_endpoint = \"minio:9000\"\n");
        let err = format!("{:#}", Settings::resolve(&a, None).expect_err("no scheme"));
        assert!(
            err.contains("s3_endpoint") && err.contains("http://"),
            "{err}"
        );
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let mut a = args();
        a.database = Some("postgres://ticketd:hunter2@db/ticketd".into());
        a.data_dir = Some(PathBuf::from("/tmp/x"));
        let settings = Settings::resolve(&a, None).expect("resolve");
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("hunter2") && shown.contains("***"),
            "{shown}"
        );
    }
}
