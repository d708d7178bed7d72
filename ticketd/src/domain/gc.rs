//! `ticketd gc`: remove the blobs no row references that have not been
//! used for a grace period — uploads of a `submit` whose bundle never
//! came. How it stays safe against a request that references a blob while
//! gc runs is told at [`BlobStore::remove_if_stale`]; the grace period
//! also spares the blobs of a `submit` still uploading its other files.

use std::collections::HashSet;
use std::time::{Duration, SystemTime};

use super::DomainError;
use crate::blobs::{BlobStore, Removal, StoredBlob};
use crate::store::{Detail, Store};

/// What `gc` did (or, dry, would do).
#[derive(Debug, Default)]
pub struct Collected {
    /// The blobs removed (or to be removed).
    pub removed: Vec<StoredBlob>,
    /// Bytes they held.
    pub bytes: u64,
    /// Blobs kept because a row references them.
    pub referenced: usize,
    /// Blobs kept because they were uploaded or used within the grace period.
    pub recent: usize,
}

fn blob_error(err: std::io::Error) -> DomainError {
    DomainError::Internal(Detail::caused_by(format!("blob store: {err}"), err))
}

/// Remove (unless `dry_run`) every blob older than `grace` that no row
/// of the database references. `grace` is at least
/// [`crate::cli::MIN_GC_GRACE`], far longer than any request takes
/// between touching the blobs it references and committing.
pub async fn collect(
    store: &Store,
    blobs: &BlobStore,
    grace: Duration,
    dry_run: bool,
) -> Result<Collected, DomainError> {
    let cutoff = SystemTime::now() - grace;
    let stored = blobs.stored().await.map_err(blob_error)?;
    let mut done = Collected::default();
    let (old, recent): (Vec<StoredBlob>, Vec<StoredBlob>) =
        stored.into_iter().partition(|blob| blob.modified < cutoff);
    done.recent = recent.len();
    if old.is_empty() {
        return Ok(done);
    }
    let candidates: HashSet<String> = old.iter().map(|b| b.digest.clone()).collect();
    let mut tx = store.read().await?;
    let referenced = tx.referenced_blobs(&candidates).await?;
    tx.commit().await?;
    done.referenced = referenced.len();
    for blob in old {
        if referenced.contains(&blob.digest) {
            continue;
        }
        if dry_run {
            done.bytes += blob.size;
            done.removed.push(blob);
            continue;
        }
        let removal = blobs
            .remove_if_stale(&blob.digest, cutoff)
            .await
            .map_err(blob_error)?;
        match removal {
            Removal::Removed(size) => {
                done.bytes += size;
                done.removed.push(blob);
            }
            Removal::Used => done.recent += 1,
            Removal::Gone => {}
        }
    }
    Ok(done)
}
