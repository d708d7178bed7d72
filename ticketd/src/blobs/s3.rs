//! Blobs in an S3 bucket (`blob_store = "s3://bucket/prefix"`), for
//! several `ticketd` on several hosts behind one PostgreSQL. Uploads are
//! received and hashed in a local temporary file exactly as for the
//! directory ([`super::receive`]) and are sent to the bucket only once the
//! digest matches, so nothing unverified is ever visible under a blob's key.
//!
//! Keys under the prefix:
//! - `ab/abcdef…`: the blob (as `DATA_DIR/blobs/ab/abcdef…` on disk);
//! - `used/abcdef…`: when the blob was last uploaded or referenced, as
//!   Unix seconds in the body. S3 cannot set an object's time the way
//!   `touch` sets a file's (a copy onto itself is refused unless its
//!   metadata changes), and rewriting a large blob to refresh it would
//!   cost its whole size, so a use writes this small marker instead;
//! - `gc/abcdef…`: present while `ticketd gc` decides to remove the blob.
//!
//! How the markers keep `gc` safe against a request that references the
//! blob meanwhile is told at [`S3Blobs::remove_if_stale`].

use std::fmt;
use std::io;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::ClientConfigKey;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as Key;
use object_store::{GetOptions, GetRange, ObjectStore, PutPayload, RetryConfig, WriteMultipart};
use tokio::io::AsyncReadExt;

use super::{Removal, StoredBlob, is_digest};

/// The settings of an S3 blob store.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    /// Keys start with `prefix/`; empty for the bucket's root.
    pub prefix: String,
    /// `s3_endpoint`: for MinIO, Ceph, moto; AWS's when unset.
    pub endpoint: Option<String>,
    /// `s3_region`; `AWS_REGION` or us-east-1 when unset.
    pub region: Option<String>,
    /// `s3_allow_http`: needed for an `http://` endpoint; `AWS_ALLOW_HTTP`
    /// when unset.
    pub allow_http: Option<bool>,
    /// `s3_access_key_id`; `AWS_ACCESS_KEY_ID` when unset.
    pub access_key_id: Option<String>,
    /// `s3_secret_access_key`; `AWS_SECRET_ACCESS_KEY` when unset. Never shown.
    pub secret_access_key: Option<String>,
}

impl fmt::Debug for S3Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Settings")
            .field("url", &self.url())
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("allow_http", &self.allow_http)
            .field("access_key_id", &self.access_key_id)
            .field(
                "secret_access_key",
                &self
                    .secret_access_key
                    .as_ref()
                    .map(|_| crate::secrets::MASK),
            )
            .finish()
    }
}

impl S3Settings {
    /// Bucket and prefix of `s3://bucket/prefix`, or what is wrong with it.
    pub fn parse_url(url: &str) -> Result<(String, String), String> {
        let rest = url
            .strip_prefix("s3://")
            .ok_or_else(|| format!("`{url}` is not an s3://bucket/prefix URL"))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // S3's bucket naming rules: 3 to 63 of a-z, 0-9, '.', '-'.
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !valid_bucket {
            return Err(format!(
                "`{url}` names no valid bucket: a bucket name is 3 to 63 lower-case letters, \
                 digits, dots and hyphens (s3://bucket/prefix)"
            ));
        }
        let prefix = prefix.trim_matches('/');
        if Key::parse(prefix).is_err() || prefix.contains(['?', '#']) {
            return Err(format!(
                "`{url}` has an invalid prefix: use path segments such as s3://bucket/ticketd/blobs"
            ));
        }
        Ok((bucket.to_string(), prefix.to_string()))
    }

    /// `s3://bucket/prefix`, as configured.
    pub fn url(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}", self.bucket)
        } else {
            format!("s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

/// An S3 blob store; uploads are received in `tmp` first.
pub struct S3Blobs {
    /// For small requests, which give up after object_store's 30 s.
    store: Arc<dyn ObjectStore>,
    /// For blob contents: a download streams as slowly as its client reads
    /// and an upload part may be slow, so these may take up to an hour.
    transfers: Arc<dyn ObjectStore>,
    prefix: String,
    pub(super) tmp: PathBuf,
    url: String,
}

impl fmt::Debug for S3Blobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Blobs").field("url", &self.url).finish()
    }
}

/// Files up to this size are sent in one PUT, larger ones in parts of it
/// (S3 wants parts of at least 5 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024;

/// Parts sent at once by a multipart upload.
const PARTS_IN_FLIGHT: usize = 2;

/// What a use of a blob found.
enum Use {
    /// The blob is there and marked used now; its size.
    Size(u64),
    Missing,
    /// `gc` is deciding on it.
    Collecting,
}

/// An object_store error as an I/O error, `NotFound` kept apart.
fn io_error(err: object_store::Error) -> io::Error {
    match err {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, err),
        err => io::Error::other(err),
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl S3Blobs {
    /// A client for `settings` (credentials from the settings, else the
    /// standard `AWS_*` environment); temporary uploads go to `tmp`. Nothing
    /// is sent to the bucket yet.
    pub fn new(settings: &S3Settings, tmp: PathBuf) -> io::Result<S3Blobs> {
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(&settings.bucket)
            // A few quick retries, not object_store's three minutes: a
            // request and `ticketd check` should answer while a client waits.
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(20),
                ..RetryConfig::default()
            });
        if let Some(allow) = settings.allow_http {
            builder = builder.with_allow_http(allow);
        }
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        if let Some(region) = &settings.region {
            builder = builder.with_region(region);
        }
        if let Some(key) = &settings.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &settings.secret_access_key {
            builder = builder.with_secret_access_key(secret);
        }
        let transfers = builder
            .clone()
            .with_config(AmazonS3ConfigKey::Client(ClientConfigKey::Timeout), "1h")
            .build()
            .map_err(io::Error::other)?;
        let store = builder.build().map_err(io::Error::other)?;
        Ok(S3Blobs {
            store: Arc::new(store),
            transfers: Arc::new(transfers),
            prefix: settings.prefix.clone(),
            tmp,
            url: settings.url(),
        })
    }

    /// `s3://bucket/prefix`.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn key(&self, rest: &str) -> Key {
        if self.prefix.is_empty() {
            Key::from(rest)
        } else {
            Key::from(format!("{}/{rest}", self.prefix))
        }
    }

    fn blob_key(&self, digest: &str) -> Key {
        self.key(&format!("{}/{digest}", &digest[..2]))
    }

    fn used_key(&self, digest: &str) -> Key {
        self.key(&format!("used/{digest}"))
    }

    fn gc_key(&self, digest: &str) -> Key {
        self.key(&format!("gc/{digest}"))
    }

    /// Whether `key` exists.
    async fn exists(&self, key: &Key) -> io::Result<bool> {
        match self.store.head(key).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(err) => Err(io_error(err)),
        }
    }

    /// Delete `key`; already gone is fine.
    async fn delete(&self, key: &Key) -> io::Result<()> {
        match self.store.delete(key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(io_error(err)),
        }
    }

    /// The size of a stored blob, or `None`.
    pub async fn size(&self, digest: &str) -> io::Result<Option<u64>> {
        match self.store.head(&self.blob_key(digest)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(io_error(err)),
        }
    }

    /// Mark a blob used now, in the order [`S3Blobs::remove_if_stale`]
    /// relies on: the marker first, then whether `gc` is deciding on it,
    /// then whether it (still) exists.
    async fn use_blob(&self, digest: &str) -> io::Result<Use> {
        if self.size(digest).await?.is_none() {
            // No marker for what is not there: it would outlive nothing.
            return Ok(Use::Missing);
        }
        self.mark_used(digest).await?;
        if self.exists(&self.gc_key(digest)).await? {
            return Ok(Use::Collecting);
        }
        Ok(match self.size(digest).await? {
            Some(size) => Use::Size(size),
            None => Use::Missing,
        })
    }

    async fn mark_used(&self, digest: &str) -> io::Result<()> {
        self.store
            .put(
                &self.used_key(digest),
                PutPayload::from(now_secs().to_string()),
            )
            .await
            .map_err(io_error)?;
        Ok(())
    }

    /// [`super::BlobStore::touch`]: the size, or `None` when the blob is
    /// missing or being removed by `gc` (the request then refuses the
    /// reference, as with a blob already removed).
    pub async fn touch(&self, digest: &str) -> io::Result<Option<u64>> {
        Ok(match self.use_blob(digest).await? {
            Use::Size(size) => Some(size),
            Use::Missing | Use::Collecting => None,
        })
    }

    /// `Some(size)` when the blob is already stored (and now marked used).
    /// An upload of a blob `gc` is deciding on is refused with an error
    /// (503, retried by clients) rather than stored and then removed.
    pub async fn already_there(&self, digest: &str) -> io::Result<Option<u64>> {
        match self.use_blob(digest).await? {
            Use::Size(size) => Ok(Some(size)),
            Use::Missing => Ok(None),
            Use::Collecting => Err(collecting(digest)),
        }
    }

    /// Send a verified upload, received in `file` (`size` bytes), to its
    /// key: in one PUT when small, else in parts, never whole in memory.
    pub async fn send(&self, digest: &str, mut file: tokio::fs::File, size: u64) -> io::Result<()> {
        // Marked before it appears, and refused while `gc` decides on an
        // earlier copy (see `remove_if_stale`).
        self.mark_used(digest).await?;
        if self.exists(&self.gc_key(digest)).await? {
            return Err(collecting(digest));
        }
        let key = self.blob_key(digest);
        if size <= PART_BYTES as u64 {
            let mut data = Vec::with_capacity(size as usize);
            file.read_to_end(&mut data).await?;
            self.transfers
                .put(&key, PutPayload::from(data))
                .await
                .map_err(io_error)?;
            return Ok(());
        }
        let upload = self.transfers.put_multipart(&key).await.map_err(io_error)?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut buffer = vec![0u8; 1024 * 1024];
        loop {
            let read = match file.read(&mut buffer).await {
                Ok(read) => read,
                Err(err) => {
                    let _ = writer.abort().await;
                    return Err(err);
                }
            };
            if read == 0 {
                break;
            }
            if let Err(err) = writer.wait_for_capacity(PARTS_IN_FLIGHT).await {
                let _ = writer.abort().await;
                return Err(io_error(err));
            }
            writer.write(&buffer[..read]);
        }
        writer.finish().await.map_err(io_error)?;
        Ok(())
    }

    /// The bytes of a stored blob in `range` (all of it when `None`), as
    /// they arrive; `None` when there is no such blob.
    pub async fn read(
        &self,
        digest: &str,
        range: Option<Range<u64>>,
    ) -> io::Result<Option<BoxStream<'static, io::Result<Bytes>>>> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        match self
            .transfers
            .get_opts(&self.blob_key(digest), options)
            .await
        {
            Ok(found) => Ok(Some(found.into_stream().map_err(io_error).boxed())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(io_error(err)),
        }
    }

    /// When a blob was last used: its marker's time, else (a blob copied
    /// in from elsewhere) its upload time.
    async fn used_at(&self, digest: &str, uploaded: SystemTime) -> io::Result<SystemTime> {
        let marker = match self.store.get(&self.used_key(digest)).await {
            Ok(found) => found.bytes().await.map_err(io_error)?,
            Err(object_store::Error::NotFound { .. }) => return Ok(uploaded),
            Err(err) => return Err(io_error(err)),
        };
        let secs = std::str::from_utf8(&marker)
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok());
        // An unreadable marker counts as a use now: the blob is kept.
        Ok(secs.map_or_else(SystemTime::now, |secs| {
            UNIX_EPOCH + Duration::from_secs(secs)
        }))
    }

    /// Every stored blob with its size and the time of its last use.
    /// Marks of a `gc` that stopped before deciding are removed first, and
    /// so are `used/` markers of no listed blob (an upload that failed
    /// after marking): a blob that lands later has its own, newer, time.
    pub async fn stored(&self) -> io::Result<Vec<StoredBlob>> {
        let root = (!self.prefix.is_empty()).then(|| Key::from(self.prefix.as_str()));
        let mut listing = self.store.list(root.as_ref());
        let mut blobs = Vec::new();
        let mut left_by_gc = Vec::new();
        let mut markers = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(io_error)?;
            let Some(rest) = meta
                .location
                .prefix_match(root.as_ref().unwrap_or(&Key::default()))
            else {
                continue;
            };
            let parts: Vec<String> = rest.map(|part| part.as_ref().to_string()).collect();
            let [dir, name] = parts.as_slice() else {
                continue;
            };
            if !is_digest(name) {
                continue;
            }
            if dir == "gc" {
                left_by_gc.push(meta.location);
            } else if dir == "used" {
                markers.push((name.clone(), meta.location));
            } else if *dir == name[..2] {
                blobs.push((
                    name.clone(),
                    meta.size,
                    SystemTime::from(meta.last_modified),
                ));
            }
        }
        drop(listing);
        for key in left_by_gc {
            self.delete(&key).await?;
        }
        let listed: std::collections::HashSet<&str> =
            blobs.iter().map(|(digest, ..)| digest.as_str()).collect();
        for (digest, key) in markers {
            if !listed.contains(digest.as_str()) {
                self.delete(&key).await?;
            }
        }
        let mut found = Vec::with_capacity(blobs.len());
        for (digest, size, uploaded) in blobs {
            let modified = self.used_at(&digest, uploaded).await?;
            found.push(StoredBlob {
                digest,
                size,
                modified,
            });
        }
        found.sort_by(|a, b| a.digest.cmp(&b.digest));
        Ok(found)
    }

    /// Remove the blob `digest` unless it was used after `cutoff`; the
    /// caller has found no reference to it in the database.
    ///
    /// This first writes the `gc/` mark, then reads the `used/` marker. A
    /// request that references the blob first writes the `used/` marker,
    /// then looks for the `gc/` mark, then for the blob, and only then
    /// commits ([`S3Blobs::touch`]). S3 reads see every write finished
    /// before them, so at least one side sees the other's: either this
    /// sees the fresh use and keeps the blob, or the request sees the mark
    /// (or, later, the blob gone) and refuses the reference ("upload it
    /// first"). An upload of the same content does the same and is
    /// answered 503 while the mark is there. No committed reference is
    /// left to a removed blob.
    pub async fn remove_if_stale(&self, digest: &str, cutoff: SystemTime) -> io::Result<Removal> {
        let mark = self.gc_key(digest);
        self.store
            .put(&mark, PutPayload::from(now_secs().to_string()))
            .await
            .map_err(io_error)?;
        let decided = self.decide(digest, cutoff).await;
        // Removed last: while it is there, uses are refused.
        let unmarked = self.delete(&mark).await;
        let decided = decided?;
        unmarked?;
        Ok(decided)
    }

    async fn decide(&self, digest: &str, cutoff: SystemTime) -> io::Result<Removal> {
        let key = self.blob_key(digest);
        let meta = match self.store.head(&key).await {
            Ok(meta) => meta,
            Err(object_store::Error::NotFound { .. }) => return Ok(Removal::Gone),
            Err(err) => return Err(io_error(err)),
        };
        if self
            .used_at(digest, SystemTime::from(meta.last_modified))
            .await?
            >= cutoff
        {
            return Ok(Removal::Used);
        }
        self.delete(&key).await?;
        self.delete(&self.used_key(digest)).await?;
        Ok(Removal::Removed(meta.size))
    }

    /// Whether the bucket answers, read-only: one listing of a prefix that
    /// holds nothing. (A HEAD of a missing key cannot tell a missing
    /// bucket from a missing object; a listing can.) For `check` and
    /// `/readyz`.
    pub async fn reachable(&self) -> io::Result<()> {
        let probe = self.key("probe");
        let mut listing = self.store.list(Some(&probe));
        match listing.next().await {
            Some(Err(err)) => Err(io::Error::other(err)),
            Some(Ok(_)) | None => Ok(()),
        }
    }
}

fn collecting(digest: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::ResourceBusy,
        format!("blob {digest} is being removed by `ticketd gc`; retry the upload"),
    )
}
