//! `GET /metrics` in the Prometheus text format: HTTP requests by status
//! class with a latency histogram (kept in atomics by a middleware), and
//! gauges read from the database when scraped (tickets by step), and
//! whether the database was found damaged (which `/readyz` reports too).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::connections::ConnectionStats;

/// Upper bounds of the latency histogram, in seconds.
const BUCKETS: [f64; 9] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5];
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/// Counters shared by every request.
#[derive(Debug, Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    /// Cumulative counts per bucket, then +Inf.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    duration_micros: AtomicU64,
    /// The connection layer's counters, shared with it.
    pub connections: Arc<ConnectionStats>,
    /// The first sign of a damaged database, if any: a request that failed
    /// on it, or the integrity check run at start.
    damage: Mutex<Option<String>>,
}

impl Metrics {
    pub fn new() -> Arc<Metrics> {
        Arc::new(Metrics::default())
    }

    /// Remember that the database is damaged (the first reason is kept).
    pub fn mark_damaged(&self, reason: impl Into<String>) {
        let mut damage = self.damage.lock().unwrap_or_else(|e| e.into_inner());
        if damage.is_none() {
            *damage = Some(reason.into());
        }
    }

    /// Why the database counts as damaged, if it does.
    pub fn damage(&self) -> Option<String> {
        self.damage
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Requests answered since start, of any status.
    pub fn requests_answered(&self) -> u64 {
        self.by_class
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .sum()
    }

    fn observe(&self, status: u16, seconds: f64) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.buckets[BUCKETS.len()].fetch_add(1, Ordering::Relaxed);
        self.duration_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// The counters, in Prometheus's text format.
    pub fn render(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP ticketd_http_requests_total HTTP requests answered, by status class."
        );
        let _ = writeln!(out, "# TYPE ticketd_http_requests_total counter");
        for (class, count) in CLASSES.iter().zip(&self.by_class) {
            let _ = writeln!(
                out,
                "ticketd_http_requests_total{{class=\"{class}\"}} {}",
                count.load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(
            out,
            "# HELP ticketd_http_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(
            out,
            "# TYPE ticketd_http_request_duration_seconds histogram"
        );
        for (bound, count) in BUCKETS.iter().zip(&self.buckets) {
            let _ = writeln!(
                out,
                "ticketd_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                count.load(Ordering::Relaxed)
            );
        }
        let total = self.buckets[BUCKETS.len()].load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "ticketd_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {total}"
        );
        let sum = self.duration_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "ticketd_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "ticketd_http_request_duration_seconds_count {total}");
        self.connections.render(out);
    }
}

/// Marks a response that failed because the database is damaged, so that
/// [`record`] can flag it and `/readyz` fail from then on.
#[derive(Debug, Clone)]
pub struct DatabaseDamaged(pub String);

/// Middleware: count every answer and its latency.
pub async fn record(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    if let Some(DatabaseDamaged(detail)) = response.extensions().get::<DatabaseDamaged>() {
        metrics.mark_damaged(detail.clone());
    }
    metrics.observe(response.status().as_u16(), started.elapsed().as_secs_f64());
    response
}
