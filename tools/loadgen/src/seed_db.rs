//! `loadgen seed-db`: the fast path for scale tests. Inserts tickets
//! straight into a ticketd database (SQLite or PostgreSQL) with
//! `INSERT … SELECT` over a generated sequence, in large transactions.
//!
//! Each ticket gets one subticket, an upload of one of 1,000 source
//! packages (`lgseed0` … `lgseed999`), one `SPU` subticket artifact, and
//! the history ticketd itself would have written (creations, the artifact,
//! queueing, the last status change). States are spread over the workflow
//! by `n % 20`: 60% Complete, 15% Failed (with the failing subticket and
//! step recorded), 15% building or testing, 5% Queued, 5% New.
//!
//! Ids are assigned explicitly after the highest id in use, so run it on a
//! database that no ticketd is writing to at the same time (reading is
//! fine). Migrations are applied first, from the same files ticketd
//! embeds.

use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, Executor, PgConnection, SqliteConnection};

/// Source packages shared by the seeded uploads.
const SOURCES: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Sqlite,
    Postgres,
}

/// The ids after which this run's rows go, and the first timestamp.
#[derive(Debug, Clone, Copy)]
struct Base {
    ticket: i64,
    subticket: i64,
    spu: i64,
    artifact: i64,
    event: i64,
    /// Microseconds; ticket `n` is created at `t0 + n * 1000`.
    t0: i64,
}

/// Event slots per ticket: ids are `base + (n - 1) * 8 + k`.
const EVENT_SLOTS: i64 = 8;

/// The statements that insert tickets `lo..=hi` (numbered from 1 within
/// this run), in order.
fn chunk_statements(dialect: Dialect, base: Base, lo: i64, hi: i64) -> Vec<String> {
    let seq = match dialect {
        Dialect::Sqlite => {
            format!("seq(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM seq WHERE n < {hi})")
        }
        Dialect::Postgres => {
            format!("seq(n) AS (SELECT generate_series({lo}::bigint, {hi}::bigint))")
        }
    };
    // (k, step, status, failed_step) by n % 20.
    let states = "st(k, step, status, failed) AS (VALUES \
        (0, 1000, 1000, NULL), (1, 1000, 1000, NULL), (2, 1000, 1000, NULL), (3, 1000, 1000, NULL), \
        (4, 1000, 1000, NULL), (5, 1000, 1000, NULL), (6, 1000, 1000, NULL), (7, 1000, 1000, NULL), \
        (8, 1000, 1000, NULL), (9, 1000, 1000, NULL), (10, 1000, 1000, NULL), (11, 1000, 1000, NULL), \
        (12, 999, 999, 200), (13, 999, 999, 200), (14, 999, 999, 400), \
        (15, 300, 100, NULL), (16, 300, 100, NULL), (17, 200, 100, NULL), \
        (18, 100, 0, NULL), (19, 0, 0, NULL))";
    let with = format!("WITH RECURSIVE {seq}, {states}");
    let Base {
        ticket: tb,
        subticket: sb,
        spu: ub,
        artifact: ab,
        event: eb,
        t0,
    } = base;
    let created = format!("({t0} + seq.n * 1000)");
    let updated = format!("(CASE WHEN st.step = 0 THEN {created} ELSE {created} + 500 END)");
    vec![
        format!(
            "{with} INSERT INTO spu (id, sourcepackage_id, version, created) \
             SELECT {ub} + n, (SELECT id FROM sourcepackage WHERE name = 'lgseed' || (n % {SOURCES})), \
                    '1.' || (n % 100) || '-' || (1 + n % 7), {t0} + n * 1000 \
             FROM seq"
        ),
        format!(
            "{with} INSERT INTO ticket (id, title, description, owner, bug_id, ppa, base_image, refs, \
                 current_workflow_step, status, failed_step, failed_subticket_id, failure_message, \
                 created, updated, in_step_since) \
             SELECT {tb} + seq.n, 'seeded ticket ' || seq.n, 'seeded by loadgen seed-db', \
                    'dev' || (seq.n % 500) || '@example.com', \
                    CASE WHEN seq.n % 3 = 0 THEN CAST(1000000 + seq.n AS TEXT) ELSE NULL END, \
                    NULL, NULL, '[]', st.step, st.status, st.failed, \
                    CASE WHEN st.failed IS NULL THEN NULL ELSE {sb} + seq.n END, \
                    CASE WHEN st.failed IS NULL THEN NULL ELSE 'seeded failure' END, \
                    {created}, {updated}, {updated} \
             FROM seq JOIN st ON st.k = seq.n % 20"
        ),
        format!(
            "{with} INSERT INTO subticket (id, ticket_id, spu_id, assignee, current_workflow_step, \
                 status, failed_step, failure_message, created, updated) \
             SELECT {sb} + seq.n, {tb} + seq.n, {ub} + seq.n, 'dev' || (seq.n % 500) || '@example.com', \
                    st.step, st.status, st.failed, \
                    CASE WHEN st.failed IS NULL THEN NULL ELSE 'seeded failure' END, \
                    {created}, {updated} \
             FROM seq JOIN st ON st.k = seq.n % 20"
        ),
        format!(
            "{with} INSERT INTO subticketartifact (id, subticket_id, name, reference, type, created) \
             SELECT {ab} + n, {sb} + n, 'seed' || n || '.dsc', \
                    'https://files.example/seed/' || n || '.dsc', 'SPU', {t0} + n * 1000 \
             FROM seq"
        ),
        // The history: 1 ticket created, 2 subticket created, 3 artifact,
        // 4/5 ticket and subticket queued (unless New), 6/7 subticket and
        // ticket moved to their state (unless New or Queued).
        format!(
            "{with}, ev(k, sub, kind) AS (VALUES (1, 0, 'created'), (2, 1, 'created'), \
                 (3, 1, 'artifact'), (4, 0, 'status'), (5, 1, 'status'), (6, 1, 'status'), \
                 (7, 0, 'status')) \
             INSERT INTO event (id, ticket_id, subticket_id, kind, from_step, from_status, to_step, \
                 to_status, message, actor, created) \
             SELECT {eb} + (seq.n - 1) * {EVENT_SLOTS} + ev.k, {tb} + seq.n, \
                    CASE WHEN ev.sub = 1 THEN {sb} + seq.n ELSE NULL END, ev.kind, \
                    CASE WHEN ev.k IN (4, 5) THEN 0 WHEN ev.k IN (6, 7) THEN 100 ELSE NULL END, \
                    CASE WHEN ev.k >= 4 THEN 0 ELSE NULL END, \
                    CASE WHEN ev.k IN (1, 2) THEN 0 WHEN ev.k IN (4, 5) THEN 100 \
                         WHEN ev.k IN (6, 7) THEN st.step ELSE NULL END, \
                    CASE WHEN ev.k IN (1, 2, 4, 5) THEN 0 WHEN ev.k IN (6, 7) THEN st.status \
                         ELSE NULL END, \
                    CASE WHEN ev.k = 3 THEN 'SPU artifact `seed' || seq.n || '.dsc` added' \
                         WHEN ev.k = 4 THEN 'queued on submission' \
                         WHEN ev.k = 5 THEN 'queued with its ticket' \
                         WHEN ev.k = 6 AND st.failed IS NOT NULL THEN 'seeded failure' \
                         ELSE NULL END, \
                    NULL, {created} + ev.k * 10 \
             FROM seq JOIN st ON st.k = seq.n % 20 \
                  JOIN ev ON ev.k <= 3 OR (ev.k <= 5 AND st.step <> 0) OR st.step NOT IN (0, 100) \
             ORDER BY seq.n, ev.k"
        ),
    ]
}

/// The source packages the uploads belong to (created once).
fn sources_statement(dialect: Dialect, t0: i64) -> String {
    let seq = match dialect {
        Dialect::Sqlite => {
            format!(
                "seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < {})",
                SOURCES - 1
            )
        }
        Dialect::Postgres => format!("seq(n) AS (SELECT generate_series(0, {}))", SOURCES - 1),
    };
    // `WHERE true` keeps SQLite from reading ON CONFLICT as a join clause.
    format!(
        "WITH RECURSIVE {seq} INSERT INTO sourcepackage (name, created) \
         SELECT 'lgseed' || n, {t0} FROM seq WHERE true ON CONFLICT (name) DO NOTHING"
    )
}

const SEEDED_TABLES: [&str; 5] = ["ticket", "subticket", "spu", "subticketartifact", "event"];

fn base_query(dialect: Dialect, table: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), \
                        COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0))"
        ),
        Dialect::Postgres => format!(
            "SELECT GREATEST(COALESCE((SELECT MAX(id) FROM {table}), 0), \
                 COALESCE(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0))"
        ),
    }
}

fn now_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Either backend's single connection.
enum Db {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Db {
    async fn execute(&mut self, sql: &str) -> anyhow::Result<u64> {
        Ok(match self {
            Db::Sqlite(c) => c.execute(sql).await?.rows_affected(),
            Db::Postgres(c) => c.execute(sql).await?.rows_affected(),
        })
    }

    async fn scalar(&mut self, sql: &str) -> anyhow::Result<i64> {
        Ok(match self {
            Db::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await?,
            Db::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await?,
        })
    }

    fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }
}

async fn open(url: &str) -> anyhow::Result<Db> {
    if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("invalid SQLite URL `{url}`"))?
            .create_if_missing(true)
            // ticketd's mode; it persists in the file.
            .journal_mode(SqliteJournalMode::Wal)
            // A bulk load: a power cut loses the load, never the file.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-524288")
            .pragma("temp_store", "memory");
        let mut conn = SqliteConnection::connect_with(&options)
            .await
            .with_context(|| format!("cannot open {url}"))?;
        let mut migrator = sqlx::migrate!("../../migrations/sqlite");
        migrator.set_ignore_missing(true);
        migrator
            .run(&mut conn)
            .await
            .context("cannot apply the SQLite migrations")?;
        Ok(Db::Sqlite(conn))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let options = PgConnectOptions::from_str(url).context("invalid PostgreSQL URL")?;
        let mut conn = PgConnection::connect_with(&options)
            .await
            .context("cannot connect to PostgreSQL")?;
        let mut migrator = sqlx::migrate!("../../migrations/postgres");
        migrator.set_ignore_missing(true);
        migrator
            .run(&mut conn)
            .await
            .context("cannot apply the PostgreSQL migrations")?;
        // A bulk load: losing the last commits on a crash is fine.
        conn.execute("SET synchronous_commit = off").await?;
        Ok(Db::Postgres(conn))
    } else {
        bail!("unsupported database URL: use sqlite:///PATH or postgres://…")
    }
}

/// Seed `tickets` tickets into the database at `url`, `chunk` per
/// transaction.
pub async fn run(url: &str, tickets: u64, chunk: u64) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut db = open(url).await?;
    let dialect = db.dialect();
    let mut bases = [0i64; 5];
    for (base, table) in bases.iter_mut().zip(SEEDED_TABLES) {
        *base = db.scalar(&base_query(dialect, table)).await?;
    }
    let n = i64::try_from(tickets).context("--tickets is too large")?;
    let base = Base {
        ticket: bases[0],
        subticket: bases[1],
        spu: bases[2],
        artifact: bases[3],
        event: bases[4],
        t0: now_micros() - n * 1000 - 60_000_000,
    };
    db.execute(&sources_statement(dialect, base.t0)).await?;
    let chunk = i64::try_from(chunk.max(1)).context("--chunk is too large")?;
    let mut lo = 1;
    while lo <= n {
        let hi = (lo + chunk - 1).min(n);
        let t = Instant::now();
        db.execute("BEGIN").await?;
        let mut rows = 0;
        for sql in chunk_statements(dialect, base, lo, hi) {
            rows += db
                .execute(&sql)
                .await
                .with_context(|| format!("inserting tickets {lo}..={hi}"))?;
        }
        db.execute("COMMIT").await?;
        eprintln!(
            "seed-db: tickets {}..={} ({rows} rows) in {:.1} s, {:.0} s so far",
            base.ticket + lo,
            base.ticket + hi,
            t.elapsed().as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
        lo = hi + 1;
    }
    match dialect {
        Dialect::Postgres => {
            for table in SEEDED_TABLES {
                db.execute(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     (SELECT MAX(id) FROM {table}))"
                ))
                .await?;
            }
            // What autovacuum would do shortly anyway: statistics for the
            // planner, and the visibility map that lets counts read only
            // the index.
            db.execute("VACUUM ANALYZE").await?;
        }
        Dialect::Sqlite => {
            // Leave no large WAL for ticketd to read at start.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
    }
    eprintln!(
        "seed-db: {tickets} tickets (ids {}..={}) in {:.1} s",
        base.ticket + 1,
        base.ticket + n,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn seeds_an_sqlite_database_twice() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("loadgen-seed-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("ticketd.db");
        let url = format!("sqlite://{}", path.display());
        run(&url, 45, 20).await?;
        run(&url, 5, 20).await?;
        let mut db = open(&url).await?;
        assert_eq!(db.scalar("SELECT COUNT(*) FROM ticket").await?, 50);
        assert_eq!(db.scalar("SELECT COUNT(*) FROM subticket").await?, 50);
        assert_eq!(
            db.scalar("SELECT n FROM row_count WHERE tbl = 'ticket'")
                .await?,
            50
        );
        assert_eq!(
            db.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'ticket'")
                .await?,
            50
        );
        // Every event belongs to an existing ticket and subticket, and a
        // failed ticket names its failing subticket.
        assert_eq!(
            db.scalar(
                "SELECT COUNT(*) FROM event e LEFT JOIN subticket s ON s.id = e.subticket_id \
                 WHERE e.subticket_id IS NOT NULL AND s.ticket_id <> e.ticket_id"
            )
            .await?,
            0
        );
        assert!(
            db.scalar("SELECT COUNT(*) FROM ticket WHERE failed_subticket_id IS NOT NULL")
                .await?
                > 0
        );
        drop(db);
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
