//! The operator's subcommands beside `serve`: `migrate`, `check`, `token`,
//! `gc`, `backup`, `export` and `import`, each on the database and data dir
//! that `serve` would use
//! (the settings of [`crate::config`]). `main.rs` parses the command line
//! and calls them.

pub mod backup;
pub mod check;
mod dump;
pub mod export;
pub mod gc;
pub mod import;
pub mod token;

use anyhow::{Context, bail};

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
    let store = open_unmigrated(settings, init).await?;
    match store.migrate().await {
        Ok(applied) => Ok((store, applied)),
        Err(err) => {
            store.close().await;
            Err(err).context("cannot apply migrations")
        }
    }
}

/// The data dir made and the lost-database guard passed; no migration run.
async fn open_unmigrated(settings: &Settings, init: bool) -> anyhow::Result<Store> {
    settings.prepare_dirs()?;
    lost_database::refuse(settings, None, init).await?;
    let store = connect(settings).await?;
    if let Err(err) = lost_database::refuse(settings, Some(&store), init).await {
        store.close().await;
        return Err(err);
    }
    Ok(store)
}

/// Open the database for `serve`: as [`open`] when `migrate_on_start`;
/// otherwise nothing is applied and a database with migrations pending is
/// refused (the operator, or the one unit that should, runs `ticketd
/// migrate`). Either way a database a newer `ticketd` migrated is served,
/// with a warning: during a rolling upgrade the old binary keeps working
/// on the extended schema (docs/operations.md, "Upgrade").
pub async fn open_to_serve(
    settings: &Settings,
    init: bool,
) -> anyhow::Result<(Store, Vec<String>)> {
    let (store, applied) = if settings.migrate_on_start {
        open(settings, init).await?
    } else {
        let store = open_unmigrated(settings, init).await?;
        let pending = match store.pending_migrations().await {
            Ok(pending) => pending,
            Err(err) => {
                store.close().await;
                return Err(err).context("cannot read which migrations were applied");
            }
        };
        if !pending.is_empty() {
            store.close().await;
            bail!(
                "{} migration(s) pending ({}) and migrate_on_start = false: run `ticketd migrate`, then start serve again",
                pending.len(),
                pending.join(", ")
            );
        }
        (store, Vec::new())
    };
    match store.newer_migrations().await {
        Ok(newer) if !newer.is_empty() => tracing::warn!(
            versions = %check::versions(&newer),
            "the database has migrations this ticketd does not know: a newer ticketd migrated it; \
             serving on it (migrations only add), but install the newer binary"
        ),
        Ok(_) => {}
        Err(err) => tracing::warn!(%err, "cannot read which migrations were applied"),
    }
    Ok((store, applied))
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
