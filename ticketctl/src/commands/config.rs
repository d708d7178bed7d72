//! `config set|show` and `login`.

use std::io::{BufRead, IsTerminal};

use super::submit::interactive;
use crate::cli::ConfigCommand;
use crate::client::Client;
use crate::config::{self, FileConfig, Settings};
use crate::error::CliError;
use crate::output;

pub fn run(
    command: ConfigCommand,
    settings: &Settings,
    mut file: FileConfig,
) -> Result<(), CliError> {
    match command {
        ConfigCommand::Set { key, value } => {
            match key.as_str() {
                "server" => {
                    let probe = Settings {
                        server: value.clone(),
                        ..settings.clone()
                    };
                    Client::new(&probe)?;
                    file.server = Some(value);
                }
                "token" => file.token = Some(value),
                "owner" => {
                    shared::validate::email(&value)
                        .map_err(|e| CliError::usage(format!("owner: {e}")))?;
                    file.owner = Some(value);
                }
                other => {
                    return Err(CliError::usage(format!(
                        "unknown setting `{other}`; allowed: server, token, owner"
                    )));
                }
            }
            let path = file.save()?;
            eprintln!("saved {key} in {}", path.display());
            Ok(())
        }
        ConfigCommand::Show => {
            let token = match settings.token {
                Some(_) => "set",
                None => "none",
            };
            output::print(&settings_lines(settings, token)?);
            Ok(())
        }
    }
}

/// The settings, one per line with where each came from, then the config
/// file; `token` says what there is to say of the token (never the token).
fn settings_lines(settings: &Settings, token: &str) -> Result<String, CliError> {
    let origins = &settings.origins;
    let owner = settings.owner.as_deref().unwrap_or("none");
    Ok(format!(
        "server:  {} ({})\ntoken:   {token} ({})\nowner:   {owner} ({})\nconfig:  {}",
        settings.server,
        origins.server,
        origins.token,
        origins.owner,
        config::path()?.display()
    ))
}

/// `whoami`: the settings in effect and who the server says the token is.
pub fn whoami(settings: &Settings, client: &Client) -> Result<(), CliError> {
    let who = client.whoami_answer().map_err(|e| match e {
        CliError::Server { status: 401, .. } => CliError::Refused {
            message: format!(
                "{} refuses the token ({})",
                settings.server, settings.origins.token
            ),
            hint: "it is wrong or was revoked: `ticketctl login` stores a new one".into(),
        },
        other => other,
    })?;
    if settings.json {
        let origins = &settings.origins;
        output::json(&serde_json::json!({
            "server": {"value": settings.server, "from": origins.server.kind()},
            "token": {"whoami": who.json, "from": origins.token.kind()},
            "owner": {"value": settings.owner, "from": origins.owner.kind()},
            "config_file": config::path()?,
        }));
        return Ok(());
    }
    let token = match &who.model.name {
        Some(name) => match &who.model.owner {
            Some(owner) => format!("{name}, a {} token acting only for {owner}", who.model.role),
            None => format!("{name}, a {} token", who.model.role),
        },
        None if settings.token.is_some() => "not recognised: the server runs without auth".into(),
        None => "none: anonymous, reading only where the server allows it".into(),
    };
    output::print(&settings_lines(settings, &token)?);
    Ok(())
}

/// Ask for a token (hidden), check it with `whoami/`, save it.
pub fn login(
    settings: &Settings,
    given: Option<String>,
    with_token: bool,
    mut file: FileConfig,
) -> Result<(), CliError> {
    let token = match given {
        Some(token) => token,
        None if with_token || !(settings.no_input || std::io::stdin().is_terminal()) => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim().to_string()
        }
        None if interactive(settings) => dialoguer::Password::new()
            .with_prompt(format!("Token for {}", settings.server))
            .interact()
            .map_err(|e| CliError::usage(format!("no token entered ({e})")))?,
        None => {
            return Err(CliError::usage_hint(
                "no token given",
                "pass --token TOKEN, or pipe it on stdin with --with-token",
            ));
        }
    };
    if token.is_empty() {
        return Err(CliError::usage("the token is empty"));
    }
    let client = Client::new(&Settings {
        token: Some(token.clone()),
        ..settings.clone()
    })?;
    let who = client.whoami().map_err(|e| match e {
        CliError::Server { status: 401, .. } => CliError::Refused {
            message: format!(
                "{} refused the token: it is wrong, or was revoked; the saved token (if any) is kept",
                settings.server
            ),
            hint: "check that you copied it whole, or ask an admin for a new one (`ticketd token create`)"
                .into(),
        },
        other => other,
    })?;
    let Some(name) = who.name else {
        return Err(CliError::usage_hint(
            format!(
                "{} did not recognise the token (it answers as {})",
                settings.server, who.role
            ),
            "is the server running with --no-auth?",
        ));
    };
    file.token = Some(token);
    file.server = Some(settings.server.clone());
    let path = file.save()?;
    eprintln!(
        "logged in to {} as {name} ({}); saved in {}",
        settings.server,
        who.role,
        path.display()
    );
    Ok(())
}

/// Forget the saved token; the rest of the config stays.
pub fn logout(mut file: FileConfig) -> Result<(), CliError> {
    if file.token.take().is_none() {
        eprintln!("no token was saved; nothing changed");
        return Ok(());
    }
    let path = file.save()?;
    eprintln!("logged out: the token is removed from {}", path.display());
    Ok(())
}
