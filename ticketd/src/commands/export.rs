//! `ticketd export`: every record of the database as JSON Lines
//! ([`super::dump`]), read in pages from one snapshot, so that memory
//! stays the same whatever the size of the database.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::dump::{self, BlobCopies, FORMAT, FORMAT_VERSION, Header};
use super::open;
use crate::blobs::{BlobStore, is_digest};
use crate::cli::ExportArgs;
use crate::config::Settings;
use crate::secrets::redact_url;
use crate::store::{BLOB_REFERRING, CARRIED, Carried, Dialect, SqlValue, Store, blob_digests};

/// Rows read per statement.
const PAGE: usize = 5000;

/// Run `ticketd export`.
pub async fn run(settings: &Settings, args: ExportArgs) -> anyhow::Result<()> {
    let (store, _) = open(settings, false).await?;
    let result = export(settings, &store, &args).await;
    store.close().await;
    let done = result?;
    let database = redact_url(&settings.database_url);
    eprintln!(
        "exported {} record(s) from {database}{}",
        done.records,
        match &args.output {
            Some(file) => format!(" to {}", file.display()),
            None => String::new(),
        }
    );
    if let Some(dir) = &args.blobs {
        eprintln!(
            "copied {} blob(s) to {} ({} already there)",
            done.blobs.copied,
            dir.display(),
            done.blobs.present
        );
        if done.blobs.missing > 0 {
            eprintln!(
                "warning: {} blob reference(s) name a blob this server does not hold \
                 (not copied; see the warnings above)",
                done.blobs.missing
            );
        }
    }
    Ok(())
}

struct Exported {
    records: u64,
    blobs: BlobCopies,
}

async fn export(settings: &Settings, store: &Store, args: &ExportArgs) -> anyhow::Result<Exported> {
    let mut blobs = args
        .blobs
        .as_ref()
        .map(|dir| BlobCopier::new(settings, dir))
        .transpose()?;
    let header = Header {
        format: FORMAT.to_string(),
        format_version: FORMAT_VERSION,
        schema_version: Store::schema_version(),
        backend: match store.dialect() {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
        .to_string(),
        exported_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    };
    let records = match &args.output {
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            let records = write_all(store, &header, &mut out, blobs.as_mut()).await?;
            out.flush().context("cannot write the export to stdout")?;
            records
        }
        Some(file) => {
            // Beside the target, so that the rename is atomic: the file
            // appears complete or not at all. Mode 0600: it holds the
            // tokens' hashes.
            let dir = match file.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let temp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
            let mut out = BufWriter::new(temp);
            let records = write_all(store, &header, &mut out, blobs.as_mut()).await?;
            let temp = out
                .into_inner()
                .map_err(|e| e.into_error())
                .with_context(|| format!("cannot write {}", file.display()))?;
            temp.as_file()
                .sync_all()
                .with_context(|| format!("cannot write {}", file.display()))?;
            temp.persist(file)
                .map_err(|e| e.error)
                .with_context(|| format!("cannot rename the export to {}", file.display()))?;
            records
        }
    };
    Ok(Exported {
        records,
        blobs: blobs.map(|b| b.counts).unwrap_or_default(),
    })
}

/// The header, every record and the end line, from one read snapshot.
async fn write_all(
    store: &Store,
    header: &Header,
    out: &mut impl Write,
    mut blobs: Option<&mut BlobCopier>,
) -> anyhow::Result<u64> {
    serde_json::to_writer(&mut *out, header)?;
    out.write_all(b"\n")?;
    let mut tx = store.read().await.context("cannot read the database")?;
    let mut records = 0;
    for table in &CARRIED {
        let mut after: Option<SqlValue> = None;
        loop {
            let rows = tx
                .carried_page(table, after.as_ref(), PAGE)
                .await
                .with_context(|| format!("cannot read table {}", table.name))?;
            for row in &rows {
                dump::write_record(out, table, row).context("cannot write the export")?;
                if let Some(blobs) = blobs.as_deref_mut() {
                    blobs.copy_referenced(table, row)?;
                }
            }
            records += rows.len() as u64;
            match rows.last() {
                Some(last) if rows.len() == PAGE => after = last.first().cloned(),
                _ => break,
            }
        }
    }
    tx.commit().await?;
    dump::write_end(out, records).context("cannot write the export")?;
    Ok(records)
}

/// Copies each blob a record references into `--blobs DIR`, in the blob
/// store's layout (`DIR/ab/abcdef…`), once: a blob already there is the
/// same content (its name is its SHA-256).
struct BlobCopier {
    source: BlobStore,
    target: PathBuf,
    counts: BlobCopies,
}

impl BlobCopier {
    fn new(settings: &Settings, target: &Path) -> anyhow::Result<BlobCopier> {
        if settings.blob_store.is_some() {
            anyhow::bail!(
                "--blobs copies blobs from the data dir's blob store, but this ticketd keeps them \
                 in S3; leave --blobs out (the bucket stays where it is) or copy the bucket \
                 with the object store's own tools"
            );
        }
        fs::create_dir_all(target)
            .with_context(|| format!("cannot create --blobs {}", target.display()))?;
        Ok(BlobCopier {
            source: BlobStore::Directory(settings.data_dir.join("blobs").into()),
            target: target.to_path_buf(),
            counts: BlobCopies::default(),
        })
    }

    fn copy_referenced(&mut self, table: &Carried, row: &[SqlValue]) -> anyhow::Result<()> {
        for (referring, column) in BLOB_REFERRING {
            if referring != table.name {
                continue;
            }
            let at = table.columns.iter().position(|c| c.name == column);
            let Some(SqlValue::Text(Some(text))) = at.and_then(|i| row.get(i)) else {
                continue;
            };
            for digest in blob_digests(text) {
                self.copy(table, row, digest)?;
            }
        }
        Ok(())
    }

    fn copy(&mut self, table: &Carried, row: &[SqlValue], digest: &str) -> anyhow::Result<()> {
        debug_assert!(is_digest(digest));
        let dir = self.target.join(&digest[..2]);
        let target = dir.join(digest);
        if target.exists() {
            self.counts.present += 1;
            return Ok(());
        }
        let Some(source) = self.source.local_path(digest) else {
            anyhow::bail!("the blob store is not a directory: --blobs cannot copy from it");
        };
        if !source.exists() {
            let id = match row.first() {
                Some(SqlValue::Int(Some(id))) => id.to_string(),
                _ => "?".to_string(),
            };
            eprintln!(
                "warning: {} {id} references blob {digest}, which is not in {}",
                table.name,
                source
                    .parent()
                    .and_then(Path::parent)
                    .unwrap_or(&source)
                    .display()
            );
            self.counts.missing += 1;
            return Ok(());
        }
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        // Copied under a temporary name and renamed: an interrupted copy
        // leaves no file under the blob's name.
        let partial = dir.join(format!(".{digest}.part"));
        fs::copy(&source, &partial)
            .and_then(|_| fs::rename(&partial, &target))
            .with_context(|| format!("cannot copy blob {digest} to {}", target.display()))?;
        self.counts.copied += 1;
        Ok(())
    }
}
