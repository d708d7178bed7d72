//! The content-addressed blob store behind `blob/{sha256}`. Uploads stream
//! to a temporary file while being hashed (never held in memory), are
//! flushed to disk, and are renamed into place only when the digest
//! matches. [`BlobStore`] says where blobs live: a directory
//! ([`BlobStore::Directory`], `DATA_DIR/blobs/` by default) or an S3 bucket
//! ([`BlobStore::S3`], `blob_store = "s3://…"`, see [`s3`]), whose uploads
//! are received in `DATA_DIR/blobs/tmp/` the same way.
//!
//! Directories are made with mode 0700 and files with 0600 whatever the
//! umask: a blob another local user could rewrite would be served as
//! verified content. A temporary upload holds an exclusive `flock` from its
//! creation until it is renamed into place or removed, so that
//! [`BlobStore::clean_tmp`] at start removes the files of uploads that a
//! crash interrupted and no others, even in a blob directory shared by
//! several processes.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use futures_util::{Stream, StreamExt};
use rustix::fs::{AtFlags, CWD, FlockOperation, Timespec, Timestamps, UTIME_NOW, UTIME_OMIT};
use rustix::fs::{flock, utimensat};
use sha2::{Digest, Sha256};
use tempfile::NamedTempFile;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

pub mod s3;

pub use s3::{S3Blobs, S3Settings};

/// Why an upload was not stored.
#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("the upload is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the content's SHA-256 is {actual}, not {expected}")]
    DigestMismatch { expected: String, actual: String },
    #[error("the upload was interrupted: {0}")]
    Interrupted(String),
    #[error("blob storage failed: {0}")]
    Io(#[from] io::Error),
}

/// Whether a stored upload was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    Created(u64),
    AlreadyThere(u64),
}

/// Where blobs live.
#[derive(Debug, Clone)]
pub enum BlobStore {
    /// `DIR/ab/abcdef…` files, temporary uploads in `DIR/tmp/`.
    Directory(Arc<Path>),
    /// Objects in a bucket (see [`s3`]).
    S3(Arc<S3Blobs>),
}

/// A stored blob, as `ticketd gc` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    pub digest: String,
    pub size: u64,
    pub modified: SystemTime,
}

/// What [`BlobStore::remove_if_stale`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Removed; its size.
    Removed(u64),
    /// Kept: it was used (touched) after the cutoff.
    Used,
    /// Already gone.
    Gone,
}

/// The prefix of a blob's name while `gc` decides on it (see
/// [`BlobStore::remove_if_stale`]).
const SET_ASIDE: &str = ".gc-";

/// A digest is 64 lower-case hex digits.
pub fn is_digest(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl BlobStore {
    /// A store in `dir`, created if missing (mode 0700).
    pub fn directory(dir: impl Into<PathBuf>) -> io::Result<BlobStore> {
        let dir = dir.into();
        create_private_dir(&dir.join("tmp"))?;
        for made in [&dir, &dir.join("tmp")] {
            make_private_dir(made);
        }
        Ok(BlobStore::Directory(dir.into()))
    }

    /// The store `settings` name: `data_dir/blobs`, or the bucket with
    /// its temporary uploads in `data_dir/blobs/tmp` (mode 0700).
    pub fn open(data_dir: &Path, settings: Option<&S3Settings>) -> io::Result<BlobStore> {
        let dir = data_dir.join("blobs");
        let Some(settings) = settings else {
            return BlobStore::directory(dir);
        };
        let tmp = dir.join("tmp");
        create_private_dir(&tmp)?;
        for made in [&dir, &tmp] {
            make_private_dir(made);
        }
        Ok(BlobStore::S3(Arc::new(S3Blobs::new(settings, tmp)?)))
    }

    /// Where uploads are received before they are verified.
    fn tmp_dir(&self) -> PathBuf {
        match self {
            BlobStore::Directory(dir) => dir.join("tmp"),
            BlobStore::S3(s3) => s3.tmp.clone(),
        }
    }

    /// Where blobs live, for logs and `check`: a directory or `s3://…`.
    pub fn shown(&self) -> String {
        match self {
            BlobStore::Directory(dir) => dir.display().to_string(),
            BlobStore::S3(s3) => s3.url().to_string(),
        }
    }

    /// Remove the temporary files of interrupted uploads (a `kill -9` or
    /// a crash leaves them), leaving alone those that a live upload holds
    /// locked; how many were removed. (A file created by another process
    /// in the instant before it locks it may be taken: that upload then
    /// fails with 503 and its client retries.)
    pub fn clean_tmp(&self) -> io::Result<usize> {
        let mut removed = 0;
        for entry in std::fs::read_dir(self.tmp_dir())? {
            let path = entry?.path();
            let Ok(file) = OpenOptions::new().read(true).open(&path) else {
                continue;
            };
            if flock(&file, FlockOperation::NonBlockingLockExclusive).is_ok() {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Whether the store holds any blob: a data dir that has blobs but an
    /// empty database has lost its database.
    pub fn has_blobs(&self) -> io::Result<bool> {
        for dir in self.blob_dirs()? {
            if std::fs::read_dir(dir)?.next().is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The directories that hold blobs (`ab/`, not `tmp/`); none when the
    /// store's directory does not exist (yet).
    fn blob_dirs(&self) -> io::Result<Vec<PathBuf>> {
        let BlobStore::Directory(dir) = self else {
            return Ok(Vec::new());
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(err) => return Err(err),
        };
        let mut dirs = Vec::new();
        for entry in entries {
            let entry = entry?;
            if entry.file_name() != "tmp" && entry.file_type()?.is_dir() {
                dirs.push(entry.path());
            }
        }
        Ok(dirs)
    }

    /// The size of a stored blob (`None` if there is none), marking it
    /// used now: its modification time is set to now. A request that
    /// references a blob calls this before it commits, so that `ticketd
    /// gc` keeps the blob (see [`BlobStore::remove_if_stale`]).
    pub async fn touch(&self, digest: &str) -> io::Result<Option<u64>> {
        if !is_digest(digest) {
            return Ok(None);
        }
        let path = match self {
            BlobStore::Directory(dir) => blob_file(dir, digest),
            BlobStore::S3(s3) => return s3.touch(digest).await,
        };
        tokio::task::spawn_blocking(move || {
            let now = Timestamps {
                last_access: Timespec {
                    tv_sec: 0,
                    tv_nsec: UTIME_OMIT,
                },
                last_modification: Timespec {
                    tv_sec: 0,
                    tv_nsec: UTIME_NOW,
                },
            };
            match utimensat(CWD, &path, &now, AtFlags::empty()) {
                Ok(()) => Ok(Some(std::fs::metadata(&path)?.len())),
                Err(err) if err == rustix::io::Errno::NOENT => Ok(None),
                Err(err) => Err(err.into()),
            }
        })
        .await
        .map_err(io::Error::other)?
    }

    /// Every stored blob with its size and the time of its upload or of
    /// its last use (see [`BlobStore::touch`]). Blobs a `gc` killed
    /// half-way set aside are put back first.
    pub async fn stored(&self) -> io::Result<Vec<StoredBlob>> {
        match self {
            BlobStore::S3(s3) => s3.stored().await,
            BlobStore::Directory(_) => {
                let listing = self.clone();
                tokio::task::spawn_blocking(move || listing.stored_files())
                    .await
                    .map_err(io::Error::other)?
            }
        }
    }

    /// [`BlobStore::stored`] of a directory: the time is the file's mtime.
    fn stored_files(&self) -> io::Result<Vec<StoredBlob>> {
        let BlobStore::Directory(root) = self else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for dir in self.blob_dirs()? {
            for file in std::fs::read_dir(dir)? {
                let file = file?;
                let name = file.file_name().to_string_lossy().into_owned();
                let digest = match name.strip_prefix(SET_ASIDE) {
                    Some(digest) if is_digest(digest) => {
                        // Left by a `gc` that stopped before deciding: kept.
                        std::fs::rename(file.path(), blob_file(root, digest))?;
                        digest.to_string()
                    }
                    _ if is_digest(&name) => name,
                    _ => continue,
                };
                let meta = std::fs::metadata(blob_file(root, &digest))?;
                found.push(StoredBlob {
                    digest,
                    size: meta.len(),
                    modified: meta.modified()?,
                });
            }
        }
        found.sort_by(|a, b| a.digest.cmp(&b.digest));
        Ok(found)
    }

    /// Remove the blob `digest` unless it was used after `cutoff`; the
    /// caller has found no reference to it in the database.
    ///
    /// A request that references a blob first touches it
    /// ([`BlobStore::touch`], failing if it is gone) and then commits. This
    /// first renames the blob out of its place, then reads its time: a
    /// touch before the rename shows (the blob is put back), and a touch
    /// after it finds no blob, so its request is refused ("upload it
    /// first") and commits no reference. Either way no committed reference
    /// is left to a removed blob. A reference committed after the caller's
    /// scan of the database was touched within the request's timeout, far
    /// less than any grace period `gc` accepts, so it shows here too.
    ///
    /// S3 has no rename and no `touch`; how the bucket keeps the same
    /// promise is told at [`S3Blobs::remove_if_stale`].
    pub async fn remove_if_stale(&self, digest: &str, cutoff: SystemTime) -> io::Result<Removal> {
        let root = match self {
            BlobStore::S3(s3) => return s3.remove_if_stale(digest, cutoff).await,
            BlobStore::Directory(root) => root.clone(),
        };
        let digest = digest.to_string();
        tokio::task::spawn_blocking(move || remove_file_if_stale(&root, &digest, cutoff))
            .await
            .map_err(io::Error::other)?
    }

    /// Write, flush and remove a small file, as an upload would: for
    /// `/readyz`. Fails on a full, read-only or failing disk; for S3 also
    /// when the bucket does not answer.
    pub async fn probe(&self) -> io::Result<()> {
        let (temp, mut file) = upload_file(self.tmp_dir()).await?;
        file.write_all(&[0u8; 512]).await?;
        file.flush().await?;
        file.sync_all().await?;
        drop(file);
        drop(temp);
        if let BlobStore::S3(s3) = self {
            s3.reachable().await?;
        }
        Ok(())
    }

    /// The local file of a stored blob, for serving with ranges; `None`
    /// when blobs are not local files (S3: see [`S3Blobs::read`]).
    pub fn local_path(&self, digest: &str) -> Option<PathBuf> {
        match self {
            BlobStore::Directory(dir) => Some(blob_file(dir, digest)),
            BlobStore::S3(_) => None,
        }
    }

    /// The size of a stored blob, or `None`.
    pub async fn size(&self, digest: &str) -> io::Result<Option<u64>> {
        if !is_digest(digest) {
            return Ok(None);
        }
        let path = match self {
            BlobStore::Directory(dir) => blob_file(dir, digest),
            BlobStore::S3(s3) => return s3.size(digest).await,
        };
        match tokio::fs::metadata(path).await {
            Ok(meta) => Ok(Some(meta.len())),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// Stream `body` into the store under `digest`, refusing more than
    /// `limit` bytes and content whose SHA-256 differs. Nothing is left
    /// behind on any error.
    pub async fn put<S, B, E>(&self, digest: &str, body: S, limit: u64) -> Result<Stored, BlobError>
    where
        S: Stream<Item = Result<B, E>> + Unpin,
        B: AsRef<[u8]>,
        E: std::fmt::Display,
    {
        // Content-addressed: the same digest is the same content. Drain
        // nothing; the client may stop sending.
        let there = match self {
            BlobStore::Directory(_) => self.size(digest).await?,
            // Marked used, as a touch of the file would be.
            BlobStore::S3(s3) => s3.already_there(digest).await?,
        };
        if let Some(size) = there {
            return Ok(Stored::AlreadyThere(size));
        }
        let (temp, mut file, size) = receive(self.tmp_dir(), digest, body, limit).await?;
        let dir = match self {
            BlobStore::Directory(dir) => dir,
            BlobStore::S3(s3) => {
                // Sent from the start of the verified file; the temporary
                // file goes when `temp` is dropped, whatever happens.
                file.rewind().await?;
                s3.send(digest, file, size).await?;
                drop(temp);
                return Ok(Stored::Created(size));
            }
        };
        // Durable before it becomes visible: data, then the rename.
        file.sync_all().await?;
        drop(file);
        let target = blob_file(dir, digest);
        let parent = target.parent().unwrap_or(dir).to_path_buf();
        let made = parent.clone();
        tokio::task::spawn_blocking(move || create_private_dir(&made))
            .await
            .map_err(io::Error::other)??;
        // A failed rename drops the temporary file, which removes it.
        tokio::task::spawn_blocking(move || temp.persist(target).map_err(|e| e.error))
            .await
            .map_err(io::Error::other)??;
        sync_dir(&parent).await?;
        Ok(Stored::Created(size))
    }
}

/// Stream `body` into a new temporary file in `tmp` while hashing it,
/// refusing more than `limit` bytes and content whose SHA-256 is not
/// `digest`; the file (removed when dropped), a handle on it, and its size.
async fn receive<S, B, E>(
    tmp: PathBuf,
    digest: &str,
    mut body: S,
    limit: u64,
) -> Result<(NamedTempFile, tokio::fs::File, u64), BlobError>
where
    S: Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    let (temp, mut file) = upload_file(tmp).await?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| BlobError::Interrupted(e.to_string()))?;
        let bytes = chunk.as_ref();
        size += bytes.len() as u64;
        if size > limit {
            return Err(BlobError::TooLarge { limit });
        }
        hasher.update(bytes);
        file.write_all(bytes).await?;
    }
    let actual = hex::encode(hasher.finalize());
    if actual != digest {
        return Err(BlobError::DigestMismatch {
            expected: digest.to_string(),
            actual,
        });
    }
    // tokio writes in the background and reports a failed write (a full
    // disk) only to the next write or flush, not to sync_all.
    file.flush().await?;
    Ok((temp, file, size))
}

/// The directory's side of [`BlobStore::remove_if_stale`].
fn remove_file_if_stale(root: &Path, digest: &str, cutoff: SystemTime) -> io::Result<Removal> {
    let place = blob_file(root, digest);
    let aside = place.with_file_name(format!("{SET_ASIDE}{digest}"));
    match std::fs::rename(&place, &aside) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Removal::Gone),
        Err(err) => return Err(err),
    }
    let meta = std::fs::metadata(&aside)?;
    if meta.modified()? >= cutoff {
        // An upload of the same content may have landed meanwhile: the
        // same bytes, so either copy will do.
        std::fs::rename(&aside, &place)?;
        return Ok(Removal::Used);
    }
    std::fs::remove_file(&aside)?;
    Ok(Removal::Removed(meta.len()))
}

/// The file of blob `digest` in the directory store `dir`.
fn blob_file(dir: &Path, digest: &str) -> PathBuf {
    dir.join(&digest[..2]).join(digest)
}

/// `dir` and its missing parents, made with mode 0700.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)
}

/// Mode 0700 on a directory made before `ticketd` took care of it; a
/// warning only if that is not allowed (a directory of another owner).
pub fn make_private_dir(dir: &Path) {
    let open = std::fs::metadata(dir).is_ok_and(|meta| meta.permissions().mode() & 0o077 != 0);
    if open && let Err(err) = std::fs::set_permissions(dir, Permissions::from_mode(0o700)) {
        tracing::warn!(dir = %dir.display(), %err, "cannot make the directory private (mode 0700)");
    }
}

async fn sync_dir(dir: &Path) -> io::Result<()> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::File::open(dir)?.sync_all())
        .await
        .map_err(io::Error::other)?
}

/// A new temporary upload file in `dir` (mode 0600), locked for as long
/// as the returned [`NamedTempFile`] is alive (it removes the file when
/// dropped unless persisted), and a handle on it to write with.
async fn upload_file(dir: PathBuf) -> io::Result<(NamedTempFile, tokio::fs::File)> {
    tokio::task::spawn_blocking(move || {
        let temp = tempfile::Builder::new()
            .prefix("upload-")
            .permissions(Permissions::from_mode(0o600))
            .tempfile_in(dir)?;
        flock(temp.as_file(), FlockOperation::NonBlockingLockExclusive)?;
        let file = temp.as_file().try_clone()?;
        Ok((temp, tokio::fs::File::from_std(file)))
    })
    .await
    .map_err(io::Error::other)?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(
        parts: &[&'static [u8]],
    ) -> impl Stream<Item = Result<&'static [u8], io::Error>> + Unpin {
        futures_util::stream::iter(parts.iter().map(|p| Ok(*p)).collect::<Vec<_>>())
    }

    fn sha(data: &[u8]) -> String {
        hex::encode(Sha256::digest(data))
    }

    /// A blob store in a fresh directory, which lives as long as it.
    fn store() -> (tempfile::TempDir, BlobStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = BlobStore::directory(dir.path()).expect("store");
        (dir, store)
    }

    #[tokio::test]
    async fn a_matching_upload_is_stored_once() {
        let (_dir, store) = store();
        let digest = sha(b"hello world");
        let first = store
            .put(&digest, chunks(&[b"hello ", b"world"]), 100)
            .await
            .expect("put");
        assert_eq!(first, Stored::Created(11));
        let again = store
            .put(&digest, chunks(&[b"hello world"]), 100)
            .await
            .expect("put");
        assert_eq!(again, Stored::AlreadyThere(11));
        assert_eq!(
            std::fs::read(store.local_path(&digest).expect("a directory")).expect("read"),
            b"hello world"
        );
    }

    #[tokio::test]
    async fn a_blob_touched_before_gc_sets_it_aside_is_put_back() {
        let (_dir, store) = store();
        let digest = sha(b"kept");
        store
            .put(&digest, chunks(&[b"kept"]), 100)
            .await
            .expect("put");
        let listed = store.stored().await.expect("stored");
        assert_eq!(listed.len(), 1);
        // gc listed it as old (the cutoff is after its time); a request
        // then uses it before gc gets to it.
        let cutoff = SystemTime::now() + std::time::Duration::from_secs(1);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let before = std::fs::metadata(store.local_path(&digest).expect("a directory"))
            .and_then(|m| m.modified())
            .expect("mtime");
        let used_cutoff = before + std::time::Duration::from_millis(1);
        assert_eq!(store.touch(&digest).await.expect("touch"), Some(4));
        assert_eq!(
            store
                .remove_if_stale(&digest, used_cutoff)
                .await
                .expect("gc"),
            Removal::Used
        );
        assert_eq!(store.size(&digest).await.expect("size"), Some(4));
        assert_eq!(
            store
                .remove_if_stale(&digest, cutoff + std::time::Duration::from_secs(60))
                .await
                .expect("gc"),
            Removal::Removed(4)
        );
        assert_eq!(store.size(&digest).await.expect("size"), None);
        assert_eq!(store.touch(&digest).await.expect("touch"), None);
        assert_eq!(
            store.remove_if_stale(&digest, cutoff).await.expect("gc"),
            Removal::Gone
        );
    }

    #[tokio::test]
    async fn a_mismatch_or_an_oversized_upload_leaves_nothing() {
        let (dir, store) = store();
        let digest = sha(b"expected");
        let err = store
            .put(&digest, chunks(&[b"other"]), 100)
            .await
            .expect_err("mismatch");
        assert!(matches!(err, BlobError::DigestMismatch { .. }));
        let err = store
            .put(&digest, chunks(&[b"expe", b"cted"]), 4)
            .await
            .expect_err("too large");
        assert!(matches!(err, BlobError::TooLarge { limit: 4 }));
        assert_eq!(store.size(&digest).await.expect("size"), None);
        assert_eq!(
            std::fs::read_dir(dir.path().join("tmp"))
                .expect("tmp")
                .count(),
            0
        );
    }
}
