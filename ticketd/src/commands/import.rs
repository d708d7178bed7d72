//! `ticketd import`: an export ([`super::dump`]) loaded into an empty
//! database in one transaction, many rows per statement. Any error (a
//! malformed line, a database that is not empty, a damaged blob) rolls it
//! all back.

use std::fs;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use tokio_util::io::ReaderStream;

use super::dump::{self, BlobCopies, FORMAT, FORMAT_VERSION, Header, Line};
use super::open;
use crate::blobs::{BlobError, BlobStore, Stored, is_digest};
use crate::cli::ImportArgs;
use crate::config::Settings;
use crate::secrets::redact_url;
use crate::store::{Carried, SqlValue, Store, Tx, carried};

/// Run `ticketd import`.
pub async fn run(settings: &Settings, args: ImportArgs) -> anyhow::Result<()> {
    let mut input: Box<dyn BufRead> = match &args.input {
        Some(file) => Box::new(BufReader::new(
            fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?,
        )),
        None => Box::new(BufReader::new(io::stdin().lock())),
    };
    let mut lines = Lines::new(&mut input);
    // Read before the database is touched: a dump this binary cannot
    // import changes nothing.
    let header = lines.header()?;
    // `init`: an empty database is what an import needs, even next to
    // the blobs of the data dir (moving to PostgreSQL keeps them).
    let (store, _) = open(settings, true).await?;
    let result = import(settings, &store, &mut lines, &args).await;
    store.close().await;
    let (records, blobs) = result?;
    eprintln!(
        "imported {records} record(s) of a {} export (schema version {}, {}) into {}",
        header.backend,
        header.schema_version,
        header.exported_at,
        redact_url(&settings.database_url)
    );
    if let Some(dir) = &args.blobs {
        eprintln!(
            "copied {} blob(s) from {} ({} already there), each SHA-256 verified",
            blobs.copied,
            dir.display(),
            blobs.present
        );
    }
    Ok(())
}

/// The lines of the input, numbered from 1.
struct Lines<'a> {
    input: &'a mut dyn BufRead,
    text: String,
    number: u64,
}

impl<'a> Lines<'a> {
    fn new(input: &'a mut dyn BufRead) -> Lines<'a> {
        Lines {
            input,
            text: String::new(),
            number: 0,
        }
    }

    /// The next line, `None` at the end of the input.
    fn next(&mut self) -> anyhow::Result<Option<&str>> {
        self.text.clear();
        self.number += 1;
        let read = self
            .input
            .read_line(&mut self.text)
            .with_context(|| format!("line {}: cannot read the input", self.number))?;
        Ok((read > 0).then(|| self.text.trim_end_matches(['\n', '\r'])))
    }

    /// The header line, checked.
    fn header(&mut self) -> anyhow::Result<Header> {
        let Some(text) = self.next()? else {
            bail!("line 1: the input is empty; expected the header line of a ticketd export");
        };
        let header: Header = serde_json::from_str(text).map_err(|e| {
            anyhow::anyhow!(
                "line 1: not the header line of a ticketd export ({e}); expected \
                 {{\"format\":\"{FORMAT}\",\"format_version\":{FORMAT_VERSION},…}}"
            )
        })?;
        if header.format != FORMAT {
            bail!(
                "line 1: format {:?} is not {FORMAT:?}: not a ticketd export",
                header.format
            );
        }
        if header.format_version != FORMAT_VERSION {
            bail!(
                "line 1: format_version {} is not one this ticketd reads ({FORMAT_VERSION})",
                header.format_version
            );
        }
        let known = Store::schema_version();
        if header.schema_version > known {
            bail!(
                "line 1: the export is of schema version {}, newer than this ticketd knows \
                 ({known}); import it with the ticketd that made it, or a newer one",
                header.schema_version
            );
        }
        Ok(header)
    }
}

/// Rows of one table waiting for their `INSERT`, and the lines they came from.
struct Batch {
    table: &'static Carried,
    values: Vec<SqlValue>,
    rows: usize,
    first_line: u64,
}

impl Batch {
    async fn flush(&mut self, tx: &mut Tx, last_line: u64) -> anyhow::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        tx.load_rows(self.table, &self.values)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| {
                format!(
                    "lines {}-{last_line}: cannot insert these {} rows of {}",
                    self.first_line, self.rows, self.table.name
                )
            })?;
        self.values.clear();
        self.rows = 0;
        Ok(())
    }
}

async fn import(
    settings: &Settings,
    store: &Store,
    lines: &mut Lines<'_>,
    args: &ImportArgs,
) -> anyhow::Result<(u64, BlobCopies)> {
    let mut tx = store.write().await.context("cannot write the database")?;
    let occupied = tx.occupied_tables().await?;
    if !occupied.is_empty() {
        bail!(
            "{} is not empty: it holds rows of {}; import goes into an empty database only",
            redact_url(&settings.database_url),
            occupied.join(", ")
        );
    }
    tx.begin_load().await?;
    let mut batch: Option<Batch> = None;
    let mut records: u64 = 0;
    let ended = loop {
        let number = lines.number + 1;
        let Some(text) = lines.next()? else {
            break None;
        };
        if text.trim().is_empty() {
            bail!("line {number}: an empty line; each line is a record or the end line");
        }
        let line: Line = serde_json::from_str(text)
            .map_err(|e| anyhow::anyhow!("line {number}: not a record of a ticketd export: {e}"))?;
        let (table, row) = match line {
            Line {
                table: Some(table),
                row: Some(row),
                end: None,
                records: None,
            } => (table, row),
            Line {
                table: None,
                row: None,
                end: Some(end),
                records: Some(count),
            } if end == FORMAT => break Some((number, count)),
            _ => bail!(
                "line {number}: expected a record ({{\"table\":…,\"row\":{{…}}}}) or the end \
                 line ({{\"end\":\"{FORMAT}\",\"records\":N}})"
            ),
        };
        let Some(table) = carried(&table) else {
            bail!("line {number}: unknown table {table:?}");
        };
        if batch
            .as_ref()
            .is_some_and(|b| !std::ptr::eq(b.table, table))
        {
            if let Some(done) = batch.as_mut() {
                done.flush(&mut tx, number - 1).await?;
            }
            batch = None;
        }
        let current = batch.get_or_insert_with(|| Batch {
            table,
            values: Vec::new(),
            rows: 0,
            first_line: number,
        });
        if current.rows == 0 {
            current.first_line = number;
        }
        dump::row_values(table, row, &mut current.values)
            .map_err(|e| anyhow::anyhow!("line {number}: {e}"))?;
        current.rows += 1;
        records += 1;
        if current.rows >= crate::store::rows_per_insert(table) {
            current.flush(&mut tx, number).await?;
        }
    };
    let Some((end_line, counted)) = ended else {
        bail!(
            "line {}: the input ends without the end line of an export: it is truncated",
            lines.number
        );
    };
    if counted != records {
        bail!(
            "line {end_line}: the end line counts {counted} records, but {records} came before it"
        );
    }
    if lines.next()?.is_some_and(|rest| !rest.trim().is_empty()) {
        bail!(
            "line {}: more after the end line of the export",
            lines.number
        );
    }
    if let Some(last) = batch.as_mut() {
        last.flush(&mut tx, end_line - 1).await?;
    }
    tx.finish_load()
        .await
        .context("cannot set the id sequences past the imported ids")?;
    let blobs = match &args.blobs {
        Some(dir) => copy_blobs(settings, dir).await?,
        None => BlobCopies::default(),
    };
    tx.commit().await.context("cannot commit the import")?;
    Ok((records, blobs))
}

/// Copy every blob of `dir` (the blob store's `ab/abcdef…` layout, as
/// `export --blobs` writes it) into the configured blob store, each one's
/// SHA-256 checked against its name on the way.
async fn copy_blobs(settings: &Settings, dir: &Path) -> anyhow::Result<BlobCopies> {
    // The configured store: the data dir's, or an S3 bucket.
    let store =
        BlobStore::open(&settings.data_dir, settings.blob_store.as_ref()).with_context(|| {
            format!(
                "cannot open the blob store of {}",
                settings.data_dir.display()
            )
        })?;
    let mut counts = BlobCopies::default();
    for file in blob_files(dir)? {
        let digest = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let opened = tokio::fs::File::open(&file)
            .await
            .with_context(|| format!("cannot open blob {}", file.display()))?;
        let chunks = ReaderStream::with_capacity(opened, 256 * 1024);
        match store.put(&digest, Box::pin(chunks), u64::MAX).await {
            Ok(Stored::Created(_)) => counts.copied += 1,
            Ok(Stored::AlreadyThere(_)) => counts.present += 1,
            Err(BlobError::DigestMismatch { actual, .. }) => bail!(
                "blob {}: its content's SHA-256 is {actual}, not its name: the file is damaged; \
                 nothing was imported",
                file.display()
            ),
            Err(err) => {
                return Err(anyhow::anyhow!("{err}"))
                    .with_context(|| format!("cannot copy blob {}", file.display()));
            }
        }
    }
    Ok(counts)
}

/// The blob files of `dir`: `dir/ab/abcdef…`. Anything else is refused,
/// before any is copied.
fn blob_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let read = |dir: &Path| {
        fs::read_dir(dir)
            .and_then(|entries| {
                entries
                    .map(|e| e.map(|e| e.path()))
                    .collect::<io::Result<Vec<_>>>()
            })
            .with_context(|| format!("cannot read --blobs {}", dir.display()))
    };
    let mut files = Vec::new();
    for sub in read(dir)? {
        let prefix = sub.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !sub.is_dir() || prefix.len() != 2 {
            bail!(
                "--blobs {}: {} is not a blob directory (expected DIR/ab/abcdef…, the layout \
                 `ticketd export --blobs` writes)",
                dir.display(),
                sub.display()
            );
        }
        for file in read(&sub)? {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if !is_digest(name) || !name.starts_with(prefix) || !file.is_file() {
                bail!(
                    "--blobs {}: {} is not a blob (its name must be its SHA-256 in lower-case \
                     hex, in the directory of its first two digits)",
                    dir.display(),
                    file.display()
                );
            }
            files.push(file);
        }
    }
    files.sort();
    Ok(files)
}
