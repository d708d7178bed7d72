//! The operator's subcommands beside `serve`: `migrate`, `check`, `token`,
//! `gc` and `backup`, each on the database and data dir that `serve` would use
//! (the settings of [`crate::config`]). `main.rs` parses the command line
//! and calls them.

pub mod backup;
pub mod check;
pub mod gc;
pub mod token;

use anyhow::Context;

use crate::config::Settings;
use crate::lost_database;
use crate::secrets::redact_url;
use crate::store::Store;

/// Connect to the configured database (creating a missing SQLite file).
pub async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    Store::connect(&settings.database_url, &settings.store)
        .await
        .with_context(|| {
            format!(
                "cannot open database {}",
                redact_url(&settings.database_url)
            )
        })
}

/// Open the database for work: the data dir made, the lost-database guard
/// passed, the migrations applied. Also returns the migrations applied now.
pub async fn open(settings: &Settings, init: bool) -> anyhow::Result<(Store, Vec<String>)> {
    settings.prepare_dirs()?;
    lost_database::refuse(settings, None, init).await?;
    let store = connect(settings).await?;
    if let Err(err) = lost_database::refuse(settings, Some(&store), init).await {
        store.close().await;
        return Err(err);
    }
    match store.migrate().await {
        Ok(applied) => Ok((store, applied)),
        Err(err) => {
            store.close().await;
            Err(err).context("cannot apply migrations")
        }
    }
}

/// `ticketd migrate`: apply what is pending and say what that was.
pub async fn migrate(settings: &Settings, init: bool) -> anyhow::Result<()> {
    let (store, applied) = open(settings, init).await?;
    store.close().await;
    let database = redact_url(&settings.database_url);
    if applied.is_empty() {
        eprintln!("{database} is current: no migration was pending");
    } else {
        eprintln!(
            "applied {} migration(s) to {database}: {}",
            applied.len(),
            applied.join(", ")
        );
    }
    Ok(())
}

/// Bytes in the units `du -h` would use, with the exact count.
pub(crate) fn shown_bytes(bytes: u64) -> String {
    let mut value = bytes as f64;
    let mut unit = "B";
    for next in ["KiB", "MiB", "GiB", "TiB"] {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = next;
    }
    if unit == "B" {
        format!("{bytes} bytes")
    } else {
        format!("{value:.1} {unit} ({bytes} bytes)")
    }
}
