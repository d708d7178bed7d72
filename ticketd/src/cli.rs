//! The `ticketd` command line (clap tree only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The ticket system daemon of a CI engine for distribution packages.
///
/// Every subcommand acts on the database `serve` would use, chosen by
/// --database, else TICKETD_DATABASE_URL, else the config file, else an
/// SQLite file in the data dir.
#[derive(Debug, Parser)]
#[command(name = "ticketd", version, propagate_version = true)]
#[command(
    after_help = "Examples:\n  ticketd serve\n  ticketd serve --database postgres://ticketd@db/ticketd --listen 0.0.0.0:8000\n  ticketd token create --name lander-1 --role lander"
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
    /// Serve the REST API (migrating the database first)
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
    /// Create, list and revoke API tokens
    #[command(
        subcommand,
        after_help = "Examples:\n  ticketd token create --name lander-1 --role lander\n  ticketd token revoke lander-1"
    )]
    Token(TokenCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8000]
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

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it, once, alone on the last line of stdout
    #[command(
        after_help = "Examples:\n  ticketd token create --name alice --role developer --email alice@example.com\n  ticketd token create --name lander-1 --role lander"
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
    },
    /// List tokens (never their secrets)
    #[command(after_help = "Example:\n  ticketd token list")]
    List,
    /// Revoke a token by name; it stops working at once
    #[command(after_help = "Example:\n  ticketd token revoke lander-1")]
    Revoke {
        /// The token's name
        name: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}
