//! The content-addressed blob store behind `blob/{sha256}`. Uploads stream
//! to a temporary file while being hashed (never held in memory), are
//! flushed to disk, and are renamed into place only when the digest
//! matches. [`BlobStore`] is the interface; a directory in the data dir is
//! the one implementation today, and an object store shared by several
//! hosts would be another variant.

use std::io;
use std::path::{Path, PathBuf};

use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

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
    Directory(PathBuf),
}

/// A digest is 64 lower-case hex digits.
pub fn is_digest(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl BlobStore {
    /// A store in `dir`, created if missing.
    pub fn directory(dir: impl Into<PathBuf>) -> io::Result<BlobStore> {
        let dir = dir.into();
        std::fs::create_dir_all(dir.join("tmp"))?;
        Ok(BlobStore::Directory(dir))
    }

    /// The local file of a stored blob, for serving with ranges.
    pub fn local_path(&self, digest: &str) -> PathBuf {
        match self {
            BlobStore::Directory(dir) => dir.join(&digest[..2]).join(digest),
        }
    }

    /// The size of a stored blob, or `None`.
    pub async fn size(&self, digest: &str) -> io::Result<Option<u64>> {
        if !is_digest(digest) {
            return Ok(None);
        }
        match tokio::fs::metadata(self.local_path(digest)).await {
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
        if let Some(size) = self.size(digest).await? {
            // Content-addressed: the same digest is the same content. Drain
            // nothing; the client may stop sending.
            return Ok(Stored::AlreadyThere(size));
        }
        let BlobStore::Directory(dir) = self;
        let temp = TempFile::new(dir.join("tmp"))?;
        let mut file = tokio::fs::File::create(&temp.path).await?;
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut body = body;
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
        // Durable before it becomes visible: data, then the rename.
        file.sync_all().await?;
        drop(file);
        let target = self.local_path(digest);
        let parent = target.parent().unwrap_or(dir).to_path_buf();
        tokio::fs::create_dir_all(&parent).await?;
        tokio::fs::rename(&temp.path, &target).await?;
        temp.disarm();
        sync_dir(&parent).await?;
        Ok(Stored::Created(size))
    }
}

async fn sync_dir(dir: &Path) -> io::Result<()> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::File::open(dir)?.sync_all())
        .await
        .map_err(io::Error::other)?
}

/// A temporary upload file, removed on drop unless disarmed.
struct TempFile {
    path: PathBuf,
    armed: bool,
}

impl TempFile {
    fn new(dir: PathBuf) -> io::Result<TempFile> {
        let mut random = [0u8; 16];
        getrandom::fill(&mut random).map_err(|e| io::Error::other(e.to_string()))?;
        Ok(TempFile {
            path: dir.join(format!("upload-{}", hex::encode(random))),
            armed: true,
        })
    }

    fn disarm(mut self) {
        self.armed = false;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
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

    #[tokio::test]
    async fn a_matching_upload_is_stored_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = BlobStore::directory(dir.path()).expect("store");
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
            std::fs::read(store.local_path(&digest)).expect("read"),
            b"hello world"
        );
    }

    #[tokio::test]
    async fn a_mismatch_or_an_oversized_upload_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = BlobStore::directory(dir.path()).expect("store");
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
