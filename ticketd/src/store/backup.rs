//! A consistent copy of a live SQLite database, for `ticketd backup`.
//!
//! `VACUUM INTO` rather than the online backup API: it reads one snapshot
//! in one read transaction, which in WAL mode never blocks the server's
//! writer, and it finishes under a steady write load. The backup API run
//! in steps starts over whenever another process writes between two steps,
//! so under load it may never finish; run in one step it holds the same
//! read transaction as `VACUUM INTO` but copies free pages too.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::StoreError;

/// How long opening the source waits on a lock another process holds
/// (a WAL recovery after a crash); `check` waits as long.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Copy the database at `source` (which must exist) into `target`, which
/// must be missing or empty: one transaction's view, compacted, with every
/// commit in the file itself (the copy needs no `-wal`), in rollback-journal
/// mode (VACUUM INTO writes no WAL). The copy is flushed to disk before
/// this returns.
pub fn vacuum_into(source: &Path, target: &Path) -> Result<(), StoreError> {
    // Read-write without CREATE: a missing file stays missing, and when no
    // server has the database open this connection is the last to close
    // it, and removes the `-wal` and `-shm` it may have needed, as a
    // read-only one would not.
    let conn = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Absolute, so that SQLite cannot take a name beginning `file:` for a URI.
    let target = &std::path::absolute(target).map_err(|err| {
        StoreError::Other(format!("cannot make {} absolute: {err}", target.display()).into())
    })?;
    let into = target.to_str().ok_or_else(|| {
        StoreError::Other(format!("{} is not a UTF-8 path", target.display()).into())
    })?;
    conn.execute("VACUUM INTO ?1", [into])?;
    drop(conn);
    // SQLite does not sync the file VACUUM INTO writes.
    std::fs::File::open(target)
        .and_then(|file| file.sync_all())
        .map_err(|err| {
            StoreError::Other(format!("cannot flush {} to disk: {err}", target.display()).into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_holds_commits_still_in_the_wal_and_stands_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let source = dir.path().join("live.db");
        let live = Connection::open(&source).expect("open");
        live.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; \
             CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('in the wal');",
        )
        .expect("write");
        let target = dir.path().join("copy.db");
        vacuum_into(&source, &target).expect("vacuum into");
        drop(live);
        let header = std::fs::read(&target).expect("read the copy");
        // Bytes 18 and 19: 1 for rollback-journal mode, 2 for WAL.
        assert_eq!(header.get(18..20), Some(&[1u8, 1][..]));
        let copy = Connection::open_with_flags(&target, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the copy");
        let value: String = copy
            .query_row("SELECT v FROM t", [], |row| row.get(0))
            .expect("the row");
        assert_eq!(value, "in the wal");
        drop(copy);
        assert!(!dir.path().join("copy.db-wal").exists());
        assert!(!dir.path().join("copy.db-shm").exists());
    }
}
