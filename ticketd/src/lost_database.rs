//! The guard against starting afresh on a lost database: next to signs
//! that a database lived in the data dir before (uploaded blobs, a leftover
//! SQLite `-wal`), an empty or missing database is a lost or truncated one,
//! not a new install, and is refused unless `--init` is given.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::blobs::BlobStore;
use crate::config::Settings;
use crate::store::Store;

/// `path` with `suffix` appended to its file name (`ticketd.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn missing_or_empty(file: &Path) -> bool {
    std::fs::metadata(file).map_or(true, |meta| meta.len() == 0)
}

/// Signs in the data dir that a database lived here before: uploaded
/// blobs, or a leftover SQLite `-wal` file. Next to them an empty database
/// is a lost or truncated one, not a new install.
pub fn earlier_database(settings: &Settings) -> anyhow::Result<Vec<String>> {
    let mut signs = Vec::new();
    // Looked at, not created: `check` changes nothing. Only the data dir
    // counts: an S3 bucket is shared by hosts whose data dirs are new, so
    // blobs there say nothing about this host's database
    // (docs/operations.md, "Several processes on PostgreSQL").
    let blobs = BlobStore::Directory(settings.data_dir.join("blobs").into());
    if blobs.has_blobs()? {
        signs.push(format!(
            "{} holds uploaded blobs",
            settings.data_dir.join("blobs").display()
        ));
    }
    if let Some(file) = settings.sqlite_file() {
        let wal = with_suffix(&file, "-wal");
        if !missing_or_empty(&wal) {
            signs.push(format!(
                "{} is left from an earlier database",
                wal.display()
            ));
        }
    }
    Ok(signs)
}

/// Refuse an empty or missing database where the data dir shows an
/// earlier one, unless `init`; with `init`, set an SQLite file's stale
/// `-wal` and `-shm` aside so that SQLite cannot replay them into the new
/// database. `store` is `None` before connecting (SQLite: the file is
/// looked at, not created) and `Some` after (PostgreSQL: no tables).
pub async fn refuse(settings: &Settings, store: Option<&Store>, init: bool) -> anyhow::Result<()> {
    let signs = earlier_database(settings)?;
    if signs.is_empty() {
        return Ok(());
    }
    let empty = match store {
        None => match settings.sqlite_file() {
            Some(file) if !file.exists() => Some(format!("{} is missing", file.display())),
            Some(file) if missing_or_empty(&file) => Some(format!("{} is empty", file.display())),
            _ => None,
        },
        Some(store) => store
            .is_empty()
            .await
            .context("cannot tell whether the database is empty")?
            .then(|| "the database has no tables".to_string()),
    };
    let Some(empty) = empty else { return Ok(()) };
    if !init {
        bail!(
            "refusing to start on an empty database: {empty}, but {}; the database looks lost or \
             truncated. Restore it from a backup, or pass --init (to serve or migrate) to start \
             a new, empty database anyway",
            signs.join(" and ")
        );
    }
    tracing::warn!(%empty, earlier = %signs.join(" and "), "starting a new, empty database (serve or migrate --init, or an import)");
    if store.is_none()
        && let Some(file) = settings.sqlite_file()
    {
        for suffix in ["-wal", "-shm"] {
            let stale = with_suffix(&file, suffix);
            if stale.exists() {
                let aside = with_suffix(&stale, ".before-init");
                std::fs::rename(&stale, &aside)
                    .with_context(|| format!("cannot move {} aside", stale.display()))?;
                tracing::warn!(from = %stale.display(), to = %aside.display(), "new database: set a stale file aside");
            }
        }
    }
    Ok(())
}
