//! Settings: flags and `TICKETCTL_*` variables (read by clap), then the
//! TOML config file in the `directories` config dir, then defaults.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::cli::GlobalArgs;
use crate::error::CliError;

/// The server when nothing else names one.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:8000";

/// The config file's contents.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// Where the config file lives (`~/.config/ticketctl/config.toml` on Linux).
pub fn path() -> Result<PathBuf, CliError> {
    directories::ProjectDirs::from("", "", "ticketctl")
        .map(|dirs| dirs.config_dir().join("config.toml"))
        .ok_or_else(|| CliError::Io("cannot find a home directory for the config file".into()))
}

impl FileConfig {
    /// The config file, or defaults if there is none.
    pub fn load() -> Result<FileConfig, CliError> {
        let path = path()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                CliError::usage_hint(
                    format!("invalid config file {}: {e}", path.display()),
                    "fix or delete it",
                )
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
            Err(err) => Err(CliError::Io(format!(
                "cannot read {}: {err}",
                path.display()
            ))),
        }
    }

    /// Write the config file, readable only by its owner (it may hold a token).
    pub fn save(&self) -> Result<PathBuf, CliError> {
        let path = path()?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Io(format!("cannot create {}: {e}", dir.display())))?;
        }
        let text = toml::to_string(self).map_err(|e| CliError::Io(e.to_string()))?;
        write_private(&path, &text)
            .map_err(|e| CliError::Io(format!("cannot write {}: {e}", path.display())))?;
        Ok(path)
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Where a setting's value came from, as `whoami` and `config show` say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, such as `--server`.
    Flag(&'static str),
    /// An environment variable, such as `TICKETCTL_TOKEN`.
    Env(&'static str),
    ConfigFile,
    Default,
    Unset,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "from {flag}"),
            Origin::Env(var) => write!(f, "from {var}"),
            Origin::ConfigFile => f.write_str("from the config file"),
            Origin::Default => f.write_str("the default"),
            Origin::Unset => f.write_str("not set"),
        }
    }
}

impl Origin {
    /// The word scripts get in `--json`: flag, env, config, default or unset.
    pub fn kind(self) -> &'static str {
        match self {
            Origin::Flag(_) => "flag",
            Origin::Env(_) => "env",
            Origin::ConfigFile => "config",
            Origin::Default => "default",
            Origin::Unset => "unset",
        }
    }
}

/// Where the global flags' values came from: the command line or their
/// environment variable (clap reads both into one value).
#[derive(Debug, Clone, Copy, Default)]
pub struct Given {
    pub server: Option<Origin>,
    pub token: Option<Origin>,
}

impl Given {
    pub fn from_matches(matches: &clap::ArgMatches) -> Given {
        let origin =
            |id: &str, flag: &'static str, var: &'static str| match matches.value_source(id)? {
                clap::parser::ValueSource::CommandLine => Some(Origin::Flag(flag)),
                clap::parser::ValueSource::EnvVariable => Some(Origin::Env(var)),
                _ => None,
            };
        Given {
            server: origin("server", "--server", "TICKETCTL_SERVER"),
            token: origin("token", "--token", "TICKETCTL_TOKEN"),
        }
    }
}

/// The settings in effect for this run, each with where it came from.
#[derive(Clone)]
pub struct Settings {
    pub server: String,
    pub token: Option<String>,
    /// The default owner of submitted tickets.
    pub owner: Option<String>,
    pub origins: Origins,
    pub json: bool,
    pub no_input: bool,
    pub quiet: bool,
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Origins {
    pub server: Origin,
    pub token: Origin,
    pub owner: Origin,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("server", &self.server)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("owner", &self.owner)
            .field("origins", &self.origins)
            .finish_non_exhaustive()
    }
}

/// The first value present, with its origin; `Unset` without one.
fn first_of(candidates: [(Option<String>, Origin); 2]) -> (Option<String>, Origin) {
    candidates
        .into_iter()
        .find_map(|(value, origin)| Some((Some(value.filter(|v| !v.is_empty())?), origin)))
        .unwrap_or((None, Origin::Unset))
}

impl Settings {
    pub fn resolve(args: &GlobalArgs, given: Given, file: &FileConfig) -> Settings {
        let (server, server_origin) = first_of([
            (
                args.server.clone(),
                given.server.unwrap_or(Origin::Flag("--server")),
            ),
            (file.server.clone(), Origin::ConfigFile),
        ]);
        let (token, token_origin) = first_of([
            (
                args.token.clone(),
                given.token.unwrap_or(Origin::Flag("--token")),
            ),
            (file.token.clone(), Origin::ConfigFile),
        ]);
        // DEBEMAIL may be "Full Name <address>".
        let debemail = std::env::var("DEBEMAIL")
            .ok()
            .map(|v| crate::filled::address(&v));
        let (owner, owner_origin) = first_of([
            (file.owner.clone(), Origin::ConfigFile),
            (debemail, Origin::Env("DEBEMAIL")),
        ]);
        let (server, server_origin) = match server {
            Some(server) => (server, server_origin),
            None => (DEFAULT_SERVER.to_string(), Origin::Default),
        };
        Settings {
            server,
            token,
            owner,
            origins: Origins {
                server: server_origin,
                token: token_origin,
                owner: owner_origin,
            },
            json: args.json,
            no_input: args.no_input,
            quiet: args.quiet,
            verbose: args.verbose,
        }
    }
}
