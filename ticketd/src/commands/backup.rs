//! `ticketd backup`: a consistent snapshot of the SQLite database, taken
//! while `serve` runs and writes (the copy itself is
//! [`crate::store::vacuum_into`]). The snapshot is written under a
//! temporary name beside its final one, checked, and only then linked into
//! place, so that no half file ever bears the final name; `--keep` then
//! rotates a directory's snapshots.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, NaiveDateTime, Utc};

use super::shown_bytes;
use crate::cli::BackupArgs;
use crate::config::Settings;
use crate::secrets::redact_url;
use crate::store::{inspect_sqlite, vacuum_into};

/// A snapshot in a directory is `ticketd-20261130T201500Z.db`; a second one
/// in the same second `ticketd-20261130T201500Z-2.db`, and so on.
const PREFIX: &str = "ticketd-";
const SUFFIX: &str = ".db";
const STAMP: &str = "%Y%m%dT%H%M%SZ";

/// Where the snapshot goes.
enum Target {
    /// A new timestamped snapshot in this directory.
    Directory(PathBuf),
    /// This file, which does not exist yet, in an existing directory.
    File(PathBuf),
}

impl Target {
    /// The directory the snapshot is written in.
    fn dir(&self) -> PathBuf {
        match self {
            Target::Directory(dir) => dir.clone(),
            Target::File(file) => parent(file).to_path_buf(),
        }
    }
}

/// The directory of `file`, `.` for a bare name.
fn parent(file: &Path) -> &Path {
    file.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Run `ticketd backup`.
pub async fn run(settings: &Settings, args: BackupArgs) -> anyhow::Result<()> {
    let Some(source) = settings.sqlite_file() else {
        bail!(
            "ticketd backup copies an SQLite database, and {} is not one. Back PostgreSQL up \
             with its own tools: `pg_dump -Fc` (consistent while ticketd runs; `pg_restore` \
             restores it) or `pg_basebackup` with WAL archiving; or take a backend-neutral copy \
             with `ticketd export` (docs/operations.md, \"Back up and restore\")",
            redact_url(&settings.database_url)
        );
    };
    if !source.is_file() {
        bail!(
            "there is no database at {}: nothing to back up (`ticketd check` shows the \
             data_dir and database_url this command uses)",
            source.display()
        );
    }
    let target = target(&args.to, args.keep.is_some())?;
    tokio::task::spawn_blocking(move || backup(&source, &target, args.keep))
        .await
        .context("the backup stopped")?
}

/// What `--to` names; a missing path ending in `/` is made a directory.
fn target(to: &Path, keep: bool) -> anyhow::Result<Target> {
    let shown = to.display();
    let dir_syntax = to.as_os_str().as_bytes().ends_with(b"/");
    let target = match fs::metadata(to) {
        Ok(meta) if meta.is_dir() => Target::Directory(to.to_path_buf()),
        Ok(_) => bail!(
            "--to {shown} exists and is not a directory; backup never overwrites a file: name a \
             new file, or a directory to hold timestamped snapshots"
        ),
        Err(err) if err.kind() == ErrorKind::NotFound && dir_syntax => {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(to)
                .with_context(|| format!("cannot create the directory --to {shown}"))?;
            Target::Directory(to.to_path_buf())
        }
        Err(err) if err.kind() == ErrorKind::NotFound => {
            let dir = parent(to);
            if !dir.is_dir() {
                bail!(
                    "--to {shown}: the directory {} does not exist",
                    dir.display()
                );
            }
            Target::File(to.to_path_buf())
        }
        Err(err) => return Err(err).with_context(|| format!("cannot look at --to {shown}")),
    };
    if keep && matches!(target, Target::File(_)) {
        bail!(
            "--keep rotates the timestamped snapshots of a directory, and --to {shown} names a \
             file: give a directory (an existing one, or a path ending in /)"
        );
    }
    Ok(target)
}

/// Copy `source` to `target`, check the copy, put it in place, rotate.
fn backup(source: &Path, target: &Target, keep: Option<usize>) -> anyhow::Result<()> {
    let dir = target.dir();
    let partial = Partial::create(&dir)?;
    vacuum_into(source, &partial.0).with_context(|| format!("cannot copy {}", source.display()))?;
    let found = inspect_sqlite(&partial.0, false).context("cannot check the copy")?;
    if !found.problems.is_empty() {
        bail!(
            "the copy of {} fails quick_check, so the database itself may be damaged: run \
             `ticketd check` (docs/operations.md). First problems: {}",
            source.display(),
            found
                .problems
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    if !found.migrated {
        bail!(
            "{} holds no ticketd tables (no migration was ever applied): nothing to back up",
            source.display()
        );
    }
    let written = match target {
        Target::Directory(dir) => partial.publish_in(dir, Utc::now())?,
        Target::File(file) => {
            partial.publish(file)?;
            file.clone()
        }
    };
    drop(partial);
    sync_dir(&dir)?;
    let size = fs::metadata(&written)
        .with_context(|| format!("cannot read {}", written.display()))?
        .len();
    say(&format!(
        "wrote {}: {}",
        written.display(),
        shown_bytes(size)
    ));
    if let Some(keep) = keep {
        rotate(&dir, &written, keep)?;
    }
    Ok(())
}

/// The snapshot being written, under a name of its own beside the final
/// one; removed when dropped (after a failure, or once linked into place).
struct Partial(PathBuf);

impl Partial {
    /// An empty file, readable by its owner only (the database holds token
    /// hashes), for `VACUUM INTO` to fill.
    fn create(dir: &Path) -> anyhow::Result<Partial> {
        let path = dir.join(format!(".ticketd-backup-{}.partial", std::process::id()));
        // Left by an earlier backup that was killed and had the same id.
        match fs::remove_file(&path) {
            Err(err) if err.kind() != ErrorKind::NotFound => {
                return Err(err).with_context(|| format!("cannot remove {}", path.display()));
            }
            _ => {}
        }
        OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Partial(path))
    }

    /// Give the checked copy the name `file`, refusing to replace a file
    /// there (a link fails where a rename would replace).
    fn publish(&self, file: &Path) -> anyhow::Result<()> {
        fs::hard_link(&self.0, file).map_err(|err| {
            if err.kind() == ErrorKind::AlreadyExists {
                anyhow::anyhow!(
                    "--to {} appeared while the backup ran; backup never overwrites a file",
                    file.display()
                )
            } else {
                anyhow::anyhow!("cannot name the backup {}: {err}", file.display())
            }
        })
    }

    /// Give the checked copy the first free snapshot name of `now` in `dir`.
    fn publish_in(&self, dir: &Path, now: DateTime<Utc>) -> anyhow::Result<PathBuf> {
        let stamp = now.format(STAMP).to_string();
        for number in 1..=1000u32 {
            let name = if number == 1 {
                format!("{PREFIX}{stamp}{SUFFIX}")
            } else {
                format!("{PREFIX}{stamp}-{number}{SUFFIX}")
            };
            let path = dir.join(name);
            match fs::hard_link(&self.0, &path) {
                Ok(()) => return Ok(path),
                Err(err) if err.kind() == ErrorKind::AlreadyExists => {}
                Err(err) => {
                    return Err(err)
                        .with_context(|| format!("cannot name the backup {}", path.display()));
                }
            }
        }
        bail!(
            "every snapshot name of {stamp} in {} is taken",
            dir.display()
        )
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// A line on stdout about what was done. Done it is: a closed stdout
/// (`| head`) is not an error.
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Make the names just added to or removed from `dir` durable.
fn sync_dir(dir: &Path) -> anyhow::Result<()> {
    File::open(dir)
        .and_then(|dir| dir.sync_all())
        .with_context(|| format!("cannot flush the directory {}", dir.display()))
}

/// The time and number of a snapshot name [`Partial::publish_in`] makes;
/// `None` for any other name, which rotation never touches.
fn snapshot_key(name: &str) -> Option<(NaiveDateTime, u32)> {
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (stamp, number) = match middle.split_once('-') {
        Some((stamp, number)) => {
            let n: u32 = number.parse().ok()?;
            (n >= 2 && n.to_string() == number).then_some((stamp, n))?
        }
        None => (middle, 1),
    };
    let time = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
    (time.format(STAMP).to_string() == stamp).then_some((time, number))
}

/// Remove the oldest snapshots of `dir` beyond the newest `keep`, counting
/// the one just `written` (never removed, even if the clock went back).
fn rotate(dir: &Path, written: &Path, keep: usize) -> anyhow::Result<()> {
    let listing = || format!("cannot list {}", dir.display());
    let mut others = Vec::new();
    for entry in fs::read_dir(dir).with_context(listing)? {
        let entry = entry.with_context(listing)?;
        let path = entry.path();
        let Some(key) = entry.file_name().to_str().and_then(snapshot_key) else {
            continue;
        };
        // Not followed: a link or a directory with a snapshot's name is
        // not one of ours.
        let is_file = entry.file_type().with_context(listing)?.is_file();
        if is_file && path != written {
            others.push((key, path));
        }
    }
    others.sort_by_key(|(key, _)| std::cmp::Reverse(*key));
    let beyond: Vec<_> = others.into_iter().skip(keep.saturating_sub(1)).collect();
    for (_, path) in &beyond {
        fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))?;
        say(&format!(
            "removed {} (keeping the newest {keep})",
            path.display()
        ));
    }
    if !beyond.is_empty() {
        sync_dir(dir)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_backup_makes_are_snapshots() {
        let at = |s: &str| NaiveDateTime::parse_from_str(s, STAMP).expect("a time");
        assert_eq!(
            snapshot_key("ticketd-20261130T201500Z.db"),
            Some((at("20261130T201500Z"), 1))
        );
        assert_eq!(
            snapshot_key("ticketd-20261130T201500Z-12.db"),
            Some((at("20261130T201500Z"), 12))
        );
        for other in [
            "ticketd.db",
            "ticketd-latest.db",
            "ticketd-20261130T201500Z.db.gz",
            "ticketd-20261130T201500Z.db-wal",
            "ticketd-20261130T201500Z-1.db",
            "ticketd-20261130T201500Z-02.db",
            "ticketd-20261130T201500Z-x.db",
            "ticketd-20261130T251500Z.db",
            "ticketd-+20261130T201500Z.db",
            "my-ticketd-20261130T201500Z.db",
            ".ticketd-backup-42.partial",
        ] {
            assert_eq!(snapshot_key(other), None, "{other}");
        }
        // The second of a second sorts after the first.
        assert!(
            snapshot_key("ticketd-20261130T201500Z-2.db")
                > snapshot_key("ticketd-20261130T201500Z.db")
        );
    }
}
