//! `loadgen abuse`: what a hostile client can do to the server's memory,
//! measured as the server's peak RSS (sampled every 20 ms) while it lasts,
//! its RSS once it is over and idle again, and whether a well-behaved
//! client is still served meanwhile.
//!
//! - `big-lists`: 16 clients reading `ticket/?limit=1000` and
//!   `fullticket/?limit=1000` over and over, on tickets as large as the API
//!   accepts (seeded first: `--seed` of them).
//! - `invalid-bodies`: 64 clients sending JSON bodies just under the 16 MiB
//!   limit that fail validation (a long title, a deep array of numbers,
//!   bundles of invalid uploads).
//! - `idle-connections`: 1,000 connections that send nothing, reopened as
//!   soon as the server closes one (as an attacker would).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use hyper::Method;
use serde_json::json;
use tokio::net::TcpStream;

use crate::client::{Conn, Target};
use crate::stats::rss_kib;

/// The body size every invalid body gets close to (the default limit is
/// 16 MiB).
const BODY_BYTES: usize = 16 * 1024 * 1024 - 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Abuse {
    BigLists,
    InvalidBodies,
    IdleConnections,
}

/// What one abuse did to the server.
#[derive(Debug, serde::Serialize)]
pub struct AbuseReport {
    pub scenario: String,
    pub peak_rss_mb: f64,
    pub idle_rss_mb_after: f64,
    pub abusive_requests: u64,
    pub probe_ok: u64,
    pub probe_failed: u64,
    pub probe_max_ms: f64,
}

/// Run `abuse` for `duration` against `target`, sampling the RSS of
/// `server_pid`.
pub async fn run(
    abuse: Abuse,
    target: Target,
    server_pid: u32,
    duration: Duration,
    seed: usize,
    settle: Duration,
) -> anyhow::Result<AbuseReport> {
    let pid = server_pid.to_string();
    if abuse == Abuse::BigLists {
        seed_large_tickets(&target, seed).await?;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    match abuse {
        Abuse::BigLists => {
            for i in 0..16 {
                let (target, stop, done) = (target.clone(), stop.clone(), done.clone());
                tasks.spawn(async move {
                    let mut conn = Conn::new(target);
                    let path = if i % 2 == 0 {
                        "/api/v1/ticket/?limit=1000"
                    } else {
                        "/api/v1/fullticket/?limit=1000"
                    };
                    while !stop.load(Ordering::Relaxed) {
                        let _ = conn.send(Method::GET, path, None).await;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                });
            }
        }
        Abuse::InvalidBodies => {
            let bodies = Arc::new(invalid_bodies());
            for i in 0..64 {
                let (target, stop, done) = (target.clone(), stop.clone(), done.clone());
                let bodies = bodies.clone();
                tasks.spawn(async move {
                    let mut conn = Conn::new(target);
                    let mut n = i;
                    while !stop.load(Ordering::Relaxed) {
                        let (path, body) = &bodies[n % bodies.len()];
                        let _ = conn.send(Method::POST, path, Some(body.clone())).await;
                        done.fetch_add(1, Ordering::Relaxed);
                        n += 1;
                    }
                });
            }
        }
        Abuse::IdleConnections => {
            for _ in 0..1000 {
                let (addr, stop, done) = (target.addr.clone(), stop.clone(), done.clone());
                tasks.spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        let Ok(mut stream) = TcpStream::connect(&addr).await else {
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            continue;
                        };
                        done.fetch_add(1, Ordering::Relaxed);
                        // Hold it until the server lets go, then come back.
                        let mut buf = [0u8; 256];
                        while !stop.load(Ordering::Relaxed) {
                            use tokio::io::AsyncReadExt;
                            if let Ok(Ok(0) | Err(_)) = tokio::time::timeout(
                                Duration::from_millis(500),
                                stream.read(&mut buf),
                            )
                            .await
                            {
                                break;
                            }
                        }
                    }
                });
            }
        }
    }
    // A well-behaved client, one request every 100 ms.
    let probe = {
        let (target, stop) = (target.clone(), stop.clone());
        tokio::spawn(async move {
            let (mut ok, mut failed, mut max) = (0u64, 0u64, Duration::ZERO);
            while !stop.load(Ordering::Relaxed) {
                let mut conn = Conn::new(target.clone());
                let started = Instant::now();
                match conn
                    .send(Method::GET, "/api/v1/ticket/?limit=1", None)
                    .await
                {
                    Ok(answer) if answer.is_success() => ok += 1,
                    _ => failed += 1,
                }
                max = max.max(started.elapsed());
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            (ok, failed, max)
        })
    };
    let started = Instant::now();
    let mut peak_kib = 0;
    while started.elapsed() < duration {
        peak_kib = peak_kib.max(rss_kib(&pid)?);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::Relaxed);
    tasks.shutdown().await;
    let (probe_ok, probe_failed, probe_max) = probe.await.context("the probe client")?;
    // Idle again: give the server time to close what is left.
    tokio::time::sleep(settle).await;
    let idle_kib = rss_kib(&pid)?;
    Ok(AbuseReport {
        scenario: format!("{abuse:?}"),
        peak_rss_mb: peak_kib as f64 / 1024.0,
        idle_rss_mb_after: idle_kib as f64 / 1024.0,
        abusive_requests: done.load(Ordering::Relaxed),
        probe_ok,
        probe_failed,
        probe_max_ms: probe_max.as_secs_f64() * 1000.0,
    })
}

/// Tickets as large as the API takes: the longest title and description
/// and the most references of the longest length.
async fn seed_large_tickets(target: &Target, count: usize) -> anyhow::Result<()> {
    let mut conn = Conn::new(target.clone());
    let reference = format!("https://example.com/{}", "r".repeat(4000));
    let body = Bytes::from(serde_json::to_vec(&json!({
        "title": "t".repeat(255),
        "owner": "abuse@example.com",
        "description": "d".repeat(64 * 1024),
        "references": vec![reference; 100],
    }))?);
    for _ in 0..count {
        let answer = conn
            .send(Method::POST, "/api/v1/ticket/", Some(body.clone()))
            .await?;
        anyhow::ensure!(
            answer.is_success(),
            "seeding a large ticket: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body[..answer.body.len().min(300)])
        );
    }
    Ok(())
}

/// Large bodies that each fail validation, in different ways.
fn invalid_bodies() -> Vec<(&'static str, Bytes)> {
    let long_title = json!({"title": "t".repeat(BODY_BYTES - 64), "owner": "x@example.com"});
    let numbers = format!("[{}0]", "0,".repeat((BODY_BYTES - 2) / 2 - 1));
    let upload = json!({"sourcepackage": "foo", "version": "not a version!"});
    let uploads = vec![upload; BODY_BYTES / 60];
    let bundle = json!({"ticket": {"title": "t", "owner": "x@example.com"}, "uploads": uploads});
    vec![
        ("/api/v1/ticket/", Bytes::from(long_title.to_string())),
        ("/api/v1/packagelist/", Bytes::from(numbers)),
        ("/api/v1/bundle/", Bytes::from(bundle.to_string())),
        (
            "/api/v1/ticket/",
            Bytes::from(format!(
                "{{\"references\": [{}\"\"]}}",
                "\"\",".repeat((BODY_BYTES - 40) / 3)
            )),
        ),
    ]
}
