//! The `ticketd` command line (clap tree only).

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The ticket system daemon of a CI engine for distribution packages.
///
/// Every subcommand acts on the database `serve` would use, chosen by
/// --database, else TICKETD_DATABASE_URL, else the config file, else an
/// SQLite file in the data dir.
#[derive(Debug, Parser)]
#[command(name = "ticketd", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  ticketd serve\n  ticketd serve --database postgres://ticketd@db/ticketd --listen 0.0.0.0:8000\n  ticketd token create --name lander-1 --role lander --expires 90d"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// TOML config file [default: /etc/ticketd/config.toml if it exists, or
    /// the file TICKETD_DEFAULT_CONFIG names]
    #[arg(
        long,
        global = true,
        env = "TICKETD_CONFIG",
        hide_env_values = true,
        value_name = "FILE"
    )]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB
    #[arg(
        long,
        global = true,
        env = "TICKETD_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database: Option<String>,
    /// Directory for the SQLite database and other state
    #[arg(
        long,
        global = true,
        env = "TICKETD_DATA_DIR",
        hide_env_values = true,
        value_name = "DIR"
    )]
    pub data_dir: Option<PathBuf>,
    /// Where blobs live: s3://BUCKET/PREFIX for an S3 bucket [default:
    /// DATA_DIR/blobs]
    #[arg(
        long,
        global = true,
        env = "TICKETD_BLOB_STORE",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub blob_store: Option<String>,
    /// Log format [default: text]
    #[arg(
        long,
        global = true,
        env = "TICKETD_LOG_FORMAT",
        hide_env_values = true,
        value_enum
    )]
    pub log_format: Option<LogFormat>,
}

/// How logs are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the REST API (migrating the database first, unless
    /// migrate_on_start = false)
    #[command(
        after_help = "Examples:\n  ticketd serve\n  ticketd serve --no-auth --listen 127.0.0.1:8000"
    )]
    Serve(ServeArgs),
    /// Apply database migrations and exit
    #[command(after_help = "Example:\n  ticketd migrate --database postgres://ticketd@db/ticketd")]
    Migrate(MigrateArgs),
    /// Print every setting as serve would use it, then check that the data
    /// dir and the database exist, that the database is reachable, migrated
    /// and sound (SQLite's quick_check); writes nothing
    #[command(
        after_help = "Examples:\n  ticketd check --config /etc/ticketd/config.toml\n  ticketd check --full"
    )]
    Check(CheckArgs),
    /// Remove uploaded blobs that no artifact or ticket references and that
    /// were not used for the grace period (uploads whose bundle never came)
    #[command(after_help = "Examples:\n  ticketd gc --dry-run\n  ticketd gc --grace 7d")]
    Gc(GcArgs),
    /// Write a consistent copy of the SQLite database while `serve` runs
    /// and writes (VACUUM INTO), checked with quick_check; the blobs are
    /// copied after it (docs/operations.md, "Back up and restore")
    #[command(
        after_help = "Examples:\n  ticketd backup --to /var/backups/ticketd/ --keep 7\n  ticketd backup --to /var/backups/ticketd-before-upgrade.db\n  rsync -a /var/lib/ticketd/blobs/ /var/backups/blobs/  # then the blobs"
    )]
    Backup(BackupArgs),
    /// Create, list, rotate and revoke API tokens
    #[command(
        subcommand,
        after_help = "Examples:\n  ticketd token create --name lander-1 --role lander --expires 90d\n  ticketd token rotate lander-1\n  ticketd token revoke lander-1"
    )]
    Token(TokenCommand),
    /// Write every record of the database (resources, history, token
    /// hashes) as JSON Lines, from one snapshot, to move it to another
    /// database or backend
    #[command(
        after_help = "Examples:\n  ticketd export --output ticketd.jsonl --blobs blobs-copy\n  ticketd export | gzip > ticketd.jsonl.gz"
    )]
    Export(ExportArgs),
    /// Load an export into an empty database (migrating a new one first), in
    /// one transaction: a non-empty database or a malformed line is refused
    /// and nothing is written
    #[command(
        after_help = "Examples:\n  ticketd import --input ticketd.jsonl --blobs blobs-copy\n  ticketd export | ticketd import --database postgres://ticketd@db/ticketd"
    )]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to FILE (made beside it under a temporary name, renamed when
    /// complete) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also copy every blob a record references into DIR, laid out as the
    /// blob store (DIR/ab/abcdef…)
    #[arg(long, value_name = "DIR")]
    pub blobs: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Read the export from FILE instead of stdin
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// Also copy the blobs of DIR (as `export --blobs` wrote them) into the
    /// data dir's blob store, checking each one's SHA-256
    #[arg(long, value_name = "DIR")]
    pub blobs: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8000]; not used when
    /// systemd passes a listening socket (LISTEN_FDS, ticketd.socket)
    #[arg(
        long,
        env = "TICKETD_LISTEN",
        hide_env_values = true,
        value_name = "ADDR"
    )]
    pub listen: Option<String>,
    /// Turn authentication off (every request may do everything); refused
    /// unless listening on a loopback address
    #[arg(long)]
    pub no_auth: bool,
    /// Start with a new, empty database even though the data dir shows an
    /// earlier one (uploaded blobs, a leftover -wal file); without it, an
    /// empty or missing database next to those is refused as lost
    #[arg(long)]
    pub init: bool,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Migrate an empty or missing database even though the data dir shows
    /// an earlier one (see `serve --init`)
    #[arg(long)]
    pub init: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Run SQLite's full integrity_check (reads every page and compares
    /// every index with its table) instead of the quicker quick_check
    #[arg(long)]
    pub full: bool,
}

/// The shortest `gc --grace`: a request touches the blobs it references
/// and then commits within its timeout; an hour leaves room to spare.
pub const MIN_GC_GRACE: Duration = Duration::from_secs(3600);

#[derive(Debug, Args)]
pub struct GcArgs {
    /// Keep blobs uploaded or referenced less than this long ago (at least
    /// 1h): a submit uploads its files before the bundle that references them
    #[arg(long, value_name = "DURATION", default_value = "1d", value_parser = parse_grace)]
    pub grace: Duration,
    /// Say what would be removed, and remove nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `gc --grace`: a humantime duration of at least [`MIN_GC_GRACE`].
fn parse_grace(text: &str) -> Result<Duration, String> {
    let grace = humantime::parse_duration(text.trim())
        .map_err(|_| "expected a duration such as 1d, 36h or 7d".to_string())?;
    if grace < MIN_GC_GRACE {
        return Err(format!(
            "must be at least {}: a submit's blobs are uploaded before its bundle references them",
            humantime::format_duration(MIN_GC_GRACE)
        ));
    }
    Ok(grace)
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write: a new file (an existing one is refused), or a
    /// directory (an existing one, or a path ending in /) to hold a
    /// timestamped ticketd-YYYYMMDDTHHMMSSZ.db
    #[arg(long, value_name = "PATH")]
    pub to: PathBuf,
    /// With a directory: after the backup, remove the oldest of the
    /// ticketd-YYYYMMDDTHHMMSSZ.db snapshots there beyond the newest N
    /// (never other files)
    #[arg(long, value_name = "N", value_parser = parse_keep)]
    pub keep: Option<usize>,
}

/// `backup --keep`: a whole number of at least 1.
fn parse_keep(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1: the snapshot just written is always kept".to_string()),
        Ok(keep) => Ok(keep),
        Err(_) => Err("expected the number of snapshots to keep, such as 7".to_string()),
    }
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it, once, alone on the last line of stdout
    #[command(
        after_help = "Examples:\n  ticketd token create --name alice --role developer --email alice@example.com\n  ticketd token create --name lander-1 --role lander --expires 90d"
    )]
    Create {
        /// A unique name; events record it as their actor
        #[arg(long)]
        name: String,
        /// developer (submits and queues), lander (moves tickets) or admin (everything)
        #[arg(long, value_parser = ["developer", "lander", "admin"])]
        role: String,
        /// Bind a developer token to this owner address: it may then create,
        /// queue and add artifacts only to tickets of this owner. Without it a
        /// developer token may act for any owner. Developer tokens only
        #[arg(long, value_name = "ADDRESS")]
        email: Option<String>,
        /// When the token stops working: a duration from now (90d, 12h, 30s,
        /// "1w 2d"), a date (2027-03-01, at 00:00 UTC) or an RFC 3339 time
        /// (2027-03-01T12:00:00Z, 2027-03-01T12:00:00+01:00). Default: never
        #[arg(long, value_name = "WHEN", value_parser = parse_expiry)]
        expires: Option<DateTime<Utc>>,
    },
    /// List tokens (never their secrets)
    #[command(after_help = "Example:\n  ticketd token list")]
    List,
    /// Give a token a new secret, printed once like create's: same name, role
    /// and owner; the old secret stops working at once
    #[command(
        after_help = "Examples:\n  ticketd token rotate lander-1\n  ticketd token rotate alice --expires 90d"
    )]
    Rotate {
        /// The token's name
        name: String,
        /// The new expiry, as create's --expires takes it. Default: the same
        /// lifetime from now as the old secret had (none if it had none)
        #[arg(long, value_name = "WHEN", value_parser = parse_expiry)]
        expires: Option<DateTime<Utc>>,
    },
    /// Revoke a token by name; it stops working at once
    #[command(after_help = "Example:\n  ticketd token revoke lander-1")]
    Revoke {
        /// The token's name
        name: String,
    },
}

/// `--expires`: a duration from now (humantime's `90d`, `12h`, `30s`), a
/// date (midnight UTC at its start) or an RFC 3339 time; in the future.
pub fn parse_expiry(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let at = if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        time.with_timezone(&Utc)
    } else if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        date.and_time(NaiveTime::MIN).and_utc()
    } else {
        let duration = humantime::parse_duration(text).map_err(|_| {
            "expected a duration from now (90d, 12h, 30s), a date (2027-03-01) or an RFC 3339 \
             time (2027-03-01T12:00:00Z)"
                .to_string()
        })?;
        chrono::Duration::from_std(duration)
            .ok()
            .and_then(|d| Utc::now().checked_add_signed(d))
            .ok_or("the duration is too long")?
    };
    if at <= Utc::now() {
        return Err(format!(
            "{} is not in the future",
            at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn expiry_takes_durations_dates_and_rfc_3339_times() {
        let soon = parse_expiry("90d").expect("90d") - Utc::now();
        assert!((89..=90).contains(&soon.num_days()), "{soon}");
        assert_eq!(
            parse_expiry("2027-03-01").expect("a date").to_rfc3339(),
            "2027-03-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_expiry("2027-03-01T12:00:00+01:00")
                .expect("RFC 3339")
                .to_rfc3339(),
            "2027-03-01T11:00:00+00:00"
        );
        for bad in [
            "",
            "soon",
            "90x",
            "0s",
            "2027-13-01",
            "2020-01-01",
            "99999999999d",
        ] {
            assert!(parse_expiry(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}
