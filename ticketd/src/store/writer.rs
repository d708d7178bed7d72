//! The SQLite writer, with group commit.
//!
//! SQLite takes one writer at a time, and with `synchronous=FULL` every
//! commit waits for an fsync. One transaction per request would cap writes
//! at the disk's fsync rate. Instead each write request runs in a savepoint
//! of one shared transaction (the batch), and the batch commits once for
//! every request that finished while the previous commit was on disk. A
//! request is answered only after the commit that holds its work, so a 2xx
//! still means durable; a request that fails rolls back only its savepoint.
//!
//! The lock on [`WriterState`] is fair (first come, first served): the task
//! that commits a batch queues behind the requests already waiting, and
//! those join the batch. With group commit off, each request commits its
//! own transaction before it lets go of the lock.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use super::sqlite::SqliteFile;
use super::{Detail, StoreError};

/// The one writing connection of a `ticketd` on SQLite.
#[derive(Debug)]
pub(super) struct GroupWriter {
    state: Arc<Mutex<WriterState>>,
    file: SqliteFile,
    group_commit: bool,
    /// How long a request waits for its turn before the database counts
    /// as unavailable.
    acquire_timeout: Duration,
    stats: Arc<CommitStats>,
}

/// How well writes are batched: writes committed and commits made.
#[derive(Debug, Default)]
pub struct CommitStats {
    pub writes: AtomicU64,
    pub commits: AtomicU64,
}

type Waiter = oneshot::Sender<Result<(), StoreError>>;

#[derive(Debug, Default)]
struct WriterState {
    /// Opened on first use and again after a failure.
    conn: Option<Connection>,
    /// Whether the batch transaction is open on `conn`.
    in_batch: bool,
    /// A request dropped its savepoint without committing; it is rolled
    /// back before anything else runs.
    abandoned: bool,
    /// A statement failed for want of the database (I/O error, full or
    /// read-only disk): the batch and the connection are suspect.
    broken: bool,
    /// Requests whose work is in the open batch, answered when it commits.
    waiting: Vec<Waiter>,
    stats: Arc<CommitStats>,
}

impl GroupWriter {
    /// Open the writing connection (creating the database file if needed),
    /// so that a bad path fails at start rather than at the first write.
    pub(super) async fn open(
        file: SqliteFile,
        group_commit: bool,
        acquire_timeout: Duration,
    ) -> Result<GroupWriter, StoreError> {
        let conn = open(&file).await?;
        let stats = Arc::new(CommitStats::default());
        Ok(GroupWriter {
            state: Arc::new(Mutex::new(WriterState {
                conn: Some(conn),
                stats: stats.clone(),
                ..WriterState::default()
            })),
            file,
            group_commit,
            acquire_timeout,
            stats,
        })
    }

    pub(super) fn stats(&self) -> &CommitStats {
        &self.stats
    }

    /// Wait for the writer, first come first served.
    async fn lock(&self) -> Result<OwnedMutexGuard<WriterState>, StoreError> {
        tokio::time::timeout(self.acquire_timeout, self.state.clone().lock_owned())
            .await
            .map_err(|_| {
                StoreError::Unavailable(
                    format!(
                        "the database writer stayed busy for {:?}",
                        self.acquire_timeout
                    )
                    .into(),
                )
            })
    }

    /// Start a write: a savepoint in the open batch.
    pub(super) async fn begin(self: &Arc<Self>) -> Result<WriteSlot, StoreError> {
        let mut guard = self.lock().await?;
        guard.start_request(&self.file).await?;
        Ok(WriteSlot {
            guard: Some(guard),
            writer: self.clone(),
        })
    }

    /// Run `work` on the writing connection outside any batch, off the
    /// runtime's threads (migrations, statistics, pings): what is pending
    /// commits first.
    pub(super) async fn exclusive<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let mut guard = self.lock().await?;
        guard.commit_batch().await?;
        guard.connection(&self.file).await?;
        guard.blocking(work).await
    }

    /// Run `work` while no write is in progress and none can start (the
    /// migrations, on a connection of their own): what is pending commits
    /// first.
    pub(super) async fn paused<T>(
        &self,
        work: impl AsyncFnOnce() -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.lock().await?;
        guard.commit_batch().await?;
        work().await
    }

    /// Commit what is pending, refresh the planner's statistics where they
    /// are stale (as SQLite advises before closing) and close the
    /// connection.
    pub(super) async fn close(&self) {
        let mut guard = self.state.lock().await;
        // Failures are already reported to the requests they concern.
        let _ = guard.commit_batch().await;
        if guard.conn.is_some() {
            let _ = guard
                .blocking(|conn| Ok(conn.execute_batch("PRAGMA optimize")?))
                .await;
        }
        guard.conn = None;
    }
}

/// Open the writing connection off the runtime's threads (it may recover
/// the WAL).
async fn open(file: &SqliteFile) -> Result<Connection, StoreError> {
    let file = file.clone();
    tokio::task::spawn_blocking(move || file.open_writer())
        .await
        .map_err(|e| {
            StoreError::Unavailable(Detail::caused_by(
                format!("opening the database failed: {e}"),
                e,
            ))
        })?
}

impl WriterState {
    async fn connection(&mut self, file: &SqliteFile) -> Result<&mut Connection, StoreError> {
        let conn = match self.conn.take() {
            Some(conn) => conn,
            None => {
                if self.in_batch {
                    // Lost with its connection (a blocking call was
                    // abandoned): SQLite rolled it back.
                    self.fail(&StoreError::Unavailable(
                        "the database connection was lost".into(),
                    ));
                }
                open(file).await?
            }
        };
        Ok(self.conn.insert(conn))
    }

    fn conn(&mut self) -> Result<&mut Connection, StoreError> {
        self.conn
            .as_mut()
            .ok_or_else(|| StoreError::Unavailable("no database connection".into()))
    }

    /// Run `work` on the connection on a blocking thread: for what waits
    /// on the disk or on another process (`BEGIN IMMEDIATE`, `COMMIT`).
    async fn blocking<T: Send + 'static>(
        &mut self,
        work: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .conn
            .take()
            .ok_or_else(|| StoreError::Unavailable("no database connection".into()))?;
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let result = work(&mut conn);
            (conn, result)
        })
        .await
        .map_err(|e| {
            StoreError::Unavailable(Detail::caused_by(
                format!("the database writer failed: {e}"),
                e,
            ))
        })?;
        self.conn = Some(conn);
        result
    }

    /// Roll back what an abandoned request left, then open the batch (if
    /// needed) and a savepoint for the next request.
    async fn start_request(&mut self, file: &SqliteFile) -> Result<(), StoreError> {
        let result = async {
            self.tidy()?;
            self.connection(file).await?;
            if !self.in_batch {
                self.blocking(|conn| Ok(conn.execute_batch("BEGIN IMMEDIATE")?))
                    .await?;
                self.in_batch = true;
            }
            self.execute("SAVEPOINT request")
        }
        .await;
        if let Err(err) = &result {
            self.fail(err);
        }
        result
    }

    /// Undo the savepoint of a request that ended without committing; the
    /// whole batch when nobody else's work is in it.
    fn tidy(&mut self) -> Result<(), StoreError> {
        if self.broken {
            let err =
                StoreError::Unavailable("a write in this batch failed on the database".into());
            self.fail(&err);
            return Ok(());
        }
        if !self.abandoned {
            return Ok(());
        }
        if self.waiting.is_empty() {
            self.execute("ROLLBACK")?;
            self.in_batch = false;
        } else {
            self.execute("ROLLBACK TO SAVEPOINT request; RELEASE SAVEPOINT request")?;
        }
        self.abandoned = false;
        Ok(())
    }

    /// A statement that does not wait on the disk, run here.
    fn execute(&mut self, sql: &str) -> Result<(), StoreError> {
        self.conn()?.execute_batch(sql)?;
        Ok(())
    }

    /// Make the batch durable and answer everyone in it.
    async fn commit_batch(&mut self) -> Result<(), StoreError> {
        let result = async {
            self.tidy()?;
            if self.in_batch {
                self.blocking(|conn| Ok(conn.execute_batch("COMMIT")?))
                    .await?;
                self.in_batch = false;
                self.stats.commits.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        }
        .await;
        match &result {
            Ok(()) => {
                self.stats
                    .writes
                    .fetch_add(self.waiting.len() as u64, Ordering::Relaxed);
                for waiter in self.waiting.drain(..) {
                    // A waiter that went away needs no answer.
                    let _ = waiter.send(Ok(()));
                }
            }
            Err(err) => self.fail(err),
        }
        result
    }

    /// Something failed outside a request's own statements: roll the batch
    /// back, tell everyone in it, and start over on a fresh connection
    /// (SQLite may already have rolled back after an I/O error).
    fn fail(&mut self, err: &StoreError) {
        if let Some(conn) = self.conn.take()
            && self.in_batch
            && !conn.is_autocommit()
        {
            let _ = conn.execute_batch("ROLLBACK");
        }
        self.in_batch = false;
        self.abandoned = false;
        self.broken = false;
        for waiter in self.waiting.drain(..) {
            let _ = waiter.send(Err(err.clone()));
        }
    }
}

/// One request's turn at the writer: a savepoint in the open batch. It
/// holds the writer until [`WriteSlot::commit`] or until dropped, which
/// rolls the savepoint back.
#[derive(Debug)]
pub struct WriteSlot {
    guard: Option<OwnedMutexGuard<WriterState>>,
    writer: Arc<GroupWriter>,
}

impl WriteSlot {
    /// The connection, inside this request's savepoint.
    pub(super) fn conn(&mut self) -> Result<&mut Connection, StoreError> {
        self.guard
            .as_mut()
            .ok_or_else(|| StoreError::Unavailable("no database connection".into()))?
            .conn()
    }

    /// A statement of this request found the database unavailable: the
    /// batch is rolled back and the connection replaced before the next
    /// write.
    pub(super) fn poison(&mut self) {
        if let Some(guard) = self.guard.as_mut() {
            guard.broken = true;
        }
    }

    /// Keep this request's work, and return once it is durable.
    pub(super) async fn commit(mut self) -> Result<(), StoreError> {
        let Some(mut guard) = self.guard.take() else {
            return Err(StoreError::Other("write committed twice".into()));
        };
        if let Err(err) = guard.execute("RELEASE SAVEPOINT request") {
            guard.fail(&err);
            return Err(err);
        }
        if !self.writer.group_commit {
            guard.commit_batch().await?;
            self.writer.stats.writes.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let (sender, answer) = oneshot::channel();
        let first = guard.waiting.is_empty();
        guard.waiting.push(sender);
        drop(guard);
        if first {
            // The first request in a batch starts its commit, in a task of
            // its own so that a caller going away cannot strand the batch.
            let state = self.writer.state.clone();
            tokio::spawn(async move {
                // Each waiter receives the outcome.
                let _ = state.lock_owned().await.commit_batch().await;
            });
        }
        answer.await.unwrap_or_else(|_| {
            Err(StoreError::Unavailable(
                "the writer stopped before committing".into(),
            ))
        })
    }
}

impl Drop for WriteSlot {
    fn drop(&mut self) {
        let Some(mut guard) = self.guard.take() else {
            return;
        };
        guard.abandoned = true;
        if !guard.waiting.is_empty() {
            // The batch's commit, already queued, rolls the savepoint back.
            return;
        }
        // Nobody else's work is open: end the transaction now rather than
        // at the next write, so no write lock outlives the request.
        let _ = guard.tidy();
    }
}
