//! `ticketd token create|list|revoke`.

use comfy_table::{ContentArrangement, Table, presets};
use shared::Role;

use super::open;
use crate::cli::TokenCommand;
use crate::config::Settings;
use crate::domain::tokens;
use crate::store::{TokenRecord, timestamp};

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
        .set_header(["NAME", "ROLE", "OWNER", "CREATED", "STATE"]);
    for r in records {
        let state = r.revoked.map_or("active".to_string(), |t| {
            format!("revoked {}", shown_time(t))
        });
        table.add_row([
            r.name.clone(),
            r.role.as_str().to_string(),
            // OWNER: the address a developer token is bound to, `-` if none.
            r.owner.clone().unwrap_or_else(|| "-".to_string()),
            shown_time(r.created),
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

/// Run a `token` subcommand.
pub async fn run(settings: &Settings, command: TokenCommand) -> anyhow::Result<()> {
    let (store, _) = open(settings, false).await?;
    let result = match command {
        TokenCommand::Create { name, role, email } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let (record, secret) = tokens::create(&store, &name, role, email.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let bound = record
                .owner
                .as_deref()
                .map(|owner| format!(", acting only for {owner}"))
                .unwrap_or_default();
            eprintln!(
                "created {} token `{}`{bound}; it is shown once, store it now:",
                record.role, record.name
            );
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List => {
            let records = tokens::list(&store)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", table(&records));
            Ok(())
        }
        TokenCommand::Revoke { name } => {
            tokens::revoke(&store, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("revoked token `{name}`");
            Ok(())
        }
    };
    store.close().await;
    result
}
