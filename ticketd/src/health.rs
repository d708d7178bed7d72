//! Readiness: the probe behind `/readyz`, run at most once a second
//! whatever the number of callers, and the integrity check of the database
//! run once after start.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::metrics::Metrics;
use crate::store::{Store, StoreError};

/// The shortest time between two probes (each one a durable write).
pub const PROBE_INTERVAL: Duration = Duration::from_secs(1);

/// The last probe's start and result, shared by every `/readyz` caller.
#[derive(Debug, Default)]
pub struct Readiness {
    last: Mutex<Option<(Instant, Result<(), String>)>>,
}

impl Readiness {
    pub fn new() -> Arc<Readiness> {
        Arc::new(Readiness::default())
    }

    /// The result of a probe started less than [`PROBE_INTERVAL`] ago, or
    /// else of `probe`, run now. Callers that come while a probe runs wait
    /// for it (the lock is held across it) and share its result.
    pub async fn check<F, Fut>(&self, probe: F) -> Result<(), String>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), String>>,
    {
        let mut last = self.last.lock().await;
        if let Some((started, result)) = &*last
            && started.elapsed() < PROBE_INTERVAL
        {
            return result.clone();
        }
        let started = Instant::now();
        let result = probe().await;
        *last = Some((started, result.clone()));
        result
    }
}

/// Run SQLite's `quick_check` in the background (it reads every page: too
/// slow for the start of a big database) and, if it finds damage, say so
/// loudly and make `/readyz` fail from then on.
pub fn spawn_integrity_check(store: Store, metrics: Arc<Metrics>) {
    tokio::spawn(async move {
        let started = Instant::now();
        let problems = match store.integrity(false).await {
            Ok(problems) => problems,
            Err(StoreError::Damaged(detail)) => vec![detail.to_string()],
            Err(err) => {
                tracing::warn!(%err, "cannot run the database's integrity check");
                return;
            }
        };
        if problems.is_empty() {
            tracing::info!(
                took_ms = started.elapsed().as_millis() as u64,
                "database integrity check: ok"
            );
            return;
        }
        let summary = problems
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ");
        tracing::error!(
            problems = problems.len(),
            first = %summary,
            "THE DATABASE IS DAMAGED (quick_check): /readyz now fails; restore it from a backup"
        );
        metrics.mark_damaged(format!("quick_check: {summary}"));
    });
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test]
    async fn callers_share_the_probe_in_flight_and_the_last_result() {
        let readiness = Readiness::new();
        let runs = Arc::new(AtomicU32::new(0));
        let probe = || {
            let runs = runs.clone();
            async move {
                runs.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err("down".to_string())
            }
        };
        let callers = (0..10).map(|_| readiness.check(probe));
        let results = futures_util::future::join_all(callers).await;
        assert!(results.iter().all(|r| r == &Err("down".to_string())));
        assert_eq!(readiness.check(probe).await, Err("down".to_string()));
        assert_eq!(runs.load(Ordering::SeqCst), 1, "one probe for all callers");
    }
}
