//! `ticketd gc`.

use anyhow::Context;

use super::{open, shown_bytes};
use crate::blobs::BlobStore;
use crate::cli::GcArgs;
use crate::config::Settings;
use crate::domain::gc;

/// Run `ticketd gc`.
pub async fn run(settings: &Settings, args: GcArgs) -> anyhow::Result<()> {
    let (store, _) = open(settings, false).await?;
    let blobs = match &settings.blob_store {
        // Looked at, not created: a data dir without blobs has nothing to collect.
        None => BlobStore::Directory(settings.data_dir.join("blobs").into()),
        Some(_) => BlobStore::open(&settings.data_dir, settings.blob_store.as_ref())
            .context("cannot open the S3 blob store")?,
    };
    let done = gc::collect(&store, &blobs, args.grace, args.dry_run).await;
    store.close().await;
    let done = done
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("gc failed")?;
    let verb = if args.dry_run {
        "would remove"
    } else {
        "removed"
    };
    for blob in &done.removed {
        println!("{verb} {} ({} bytes)", blob.digest, blob.size);
    }
    let grace = humantime::format_duration(args.grace);
    println!(
        "{} {} blob(s), {}; kept {} referenced and {} uploaded or used within {grace}",
        if args.dry_run { "would free" } else { "freed" },
        done.removed.len(),
        shown_bytes(done.bytes),
        done.referenced,
        done.recent
    );
    Ok(())
}
