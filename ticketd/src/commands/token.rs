//! `ticketd token create|list|rotate|revoke`.

use std::io::Write;

use anyhow::Context;
use comfy_table::{ContentArrangement, Table, presets};
use shared::Role;

use super::open;
use crate::cli::TokenCommand;
use crate::config::Settings;
use crate::domain::tokens;
use crate::store::{RotatedExpiry, TokenRecord, now_micros, timestamp};

/// A stored time as `2026-03-01T09:30:00Z`: to the second, in UTC.
fn shown_time(micros: i64) -> String {
    timestamp(micros).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The token list as a table whose columns are as wide as their widest
/// cell, never wrapped: an operator's terminal or a pipe alike.
fn table(records: &[TokenRecord]) -> String {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header([
            "NAME",
            "ROLE",
            "OWNER",
            "CREATED",
            "EXPIRES",
            "LAST-USED",
            "STATE",
        ]);
    let now = now_micros();
    let or_dash = |time: Option<i64>| time.map_or_else(|| "-".to_string(), shown_time);
    for r in records {
        let state = match (r.revoked, r.expires, r.rotated) {
            (Some(at), _, _) => format!("revoked {}", shown_time(at)),
            (None, Some(at), _) if at <= now => "expired".to_string(),
            (None, _, Some(at)) => format!("active, rotated {}", shown_time(at)),
            (None, _, None) => "active".to_string(),
        };
        table.add_row([
            r.name.clone(),
            r.role.as_str().to_string(),
            // OWNER: the address a developer token is bound to, `-` if none.
            r.owner.clone().unwrap_or_else(|| "-".to_string()),
            shown_time(r.created),
            or_dash(r.expires),
            // Noted at most once a minute (LAST_USE_INTERVAL).
            or_dash(r.last_used),
            state,
        ]);
    }
    // comfy-table pads every cell, the first column too, and the last
    // with trailing spaces: lines start at the margin and end at their text.
    table
        .lines()
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a new secret is (on stderr), then the secret alone on stdout's
/// last line. The token exists already: if stdout is gone (a closed pipe)
/// the error says how to get another secret, rather than a panic.
fn show_secret(done: &str, record: &TokenRecord, secret: &str) -> anyhow::Result<()> {
    let bound = record
        .owner
        .as_deref()
        .map(|owner| format!(", acting only for {owner}"))
        .unwrap_or_default();
    let until = record
        .expires
        .map(|at| format!(", expiring {}", shown_time(at)))
        .unwrap_or_default();
    eprintln!(
        "{done} {} token `{}`{bound}{until}; it is shown once, store it now:",
        record.role, record.name
    );
    writeln!(std::io::stdout(), "{secret}")
        .and_then(|()| std::io::stdout().flush())
        .with_context(|| {
            format!(
                "the token `{}` was {done} but its secret could not be printed; \
                 run `ticketd token rotate {}` for a new one",
                record.name, record.name
            )
        })
}

/// Run a `token` subcommand.
pub async fn run(settings: &Settings, command: TokenCommand) -> anyhow::Result<()> {
    let (store, _) = open(settings, false).await?;
    let result = match command {
        TokenCommand::Create {
            name,
            role,
            email,
            expires,
        } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let expires = expires.map(|at| at.timestamp_micros());
            tokens::create(&store, &name, role, email.as_deref(), expires)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))
                .and_then(|(record, secret)| show_secret("created", &record, &secret))
        }
        TokenCommand::Rotate { name, expires } => {
            let expires = match expires {
                Some(at) => RotatedExpiry::At(Some(at.timestamp_micros())),
                None => RotatedExpiry::SameLifetime,
            };
            tokens::rotate(&store, &name, expires)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))
                .and_then(|(record, secret)| {
                    eprintln!("the old secret of `{name}` no longer works");
                    show_secret("rotated", &record, &secret)
                })
        }
        TokenCommand::List => tokens::list(&store)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .map(|records| {
                // A closed pipe (`| head`) is not an error.
                let _ = writeln!(std::io::stdout(), "{}", table(&records));
            }),
        TokenCommand::Revoke { name } => tokens::revoke(&store, &name)
            .await
            .map(|()| eprintln!("revoked token `{name}`"))
            .map_err(|e| anyhow::anyhow!("{e}")),
    };
    store.close().await;
    result
}
