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

/// The settings in effect for this run.
#[derive(Clone)]
pub struct Settings {
    pub server: String,
    pub token: Option<String>,
    pub owner: Option<String>,
    pub json: bool,
    pub no_input: bool,
    pub quiet: bool,
    pub verbose: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("server", &self.server)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

impl Settings {
    pub fn resolve(args: &GlobalArgs, file: &FileConfig) -> Settings {
        Settings {
            server: args
                .server
                .clone()
                .or_else(|| file.server.clone())
                .unwrap_or_else(|| DEFAULT_SERVER.to_string()),
            token: args
                .token
                .clone()
                .or_else(|| file.token.clone())
                .filter(|t| !t.is_empty()),
            owner: file.owner.clone(),
            json: args.json,
            no_input: args.no_input,
            quiet: args.quiet,
            verbose: args.verbose,
        }
    }
}
