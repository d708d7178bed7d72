//! `loadgen streams`: many clients following `GET /api/v1/events/` at once,
//! each on a connection of its own, measuring how long each event takes
//! from its `created` time (taken in the writing transaction, just before
//! its commit) to its arrival. Client and server share this machine's
//! clock, so the difference is the delivery delay.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use hdrhistogram::Histogram;
use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::client::Target;
use crate::stats::MAX_MICROS;

/// What the streams saw, together.
#[derive(Debug, Serialize)]
pub struct StreamsReport {
    pub streams: usize,
    /// Streams that were open and answering at the end.
    pub open_at_end: usize,
    /// Streams the server ended or that broke before the end.
    pub ended_early: u64,
    pub events: u64,
    /// The fewest and most events one stream received.
    pub events_per_stream_min: u64,
    pub events_per_stream_max: u64,
    pub delay_p50_ms: f64,
    pub delay_p99_ms: f64,
    pub delay_max_ms: f64,
    /// The server's RSS when the streams were all open, before the load,
    /// its peak while they were followed (sampled every 100 ms), and at
    /// the end (KiB), when `--server-pid` is given.
    pub rss_open_kib: Option<u64>,
    pub rss_peak_kib: Option<u64>,
    pub rss_end_kib: Option<u64>,
}

/// Open `count` streams, follow them for `duration`, and report.
pub async fn run(
    target: Target,
    count: usize,
    duration: Duration,
    server_pid: Option<String>,
) -> anyhow::Result<StreamsReport> {
    let ended = Arc::new(AtomicU64::new(0));
    let mut opened = Vec::with_capacity(count);
    for _ in 0..count {
        opened.push(open(&target).await?);
    }
    // Every stream is open: the events from now on are measured.
    let rss_open = server_pid
        .as_deref()
        .map(crate::stats::rss_kib)
        .transpose()?;
    eprintln!("loadgen: {count} streams open; following them for {duration:?} …");
    let end = Instant::now() + duration;
    let mut tasks = Vec::with_capacity(count);
    for stream in opened {
        let delays = Histogram::<u64>::new_with_bounds(1, MAX_MICROS, 3).context("a histogram")?;
        tasks.push(tokio::spawn(follow(stream, end, delays, ended.clone())));
    }
    let peak = server_pid.clone().map(|pid| {
        tokio::spawn(async move {
            let mut peak = 0;
            while Instant::now() < end {
                if let Ok(rss) = crate::stats::rss_kib(&pid) {
                    peak = peak.max(rss);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            peak
        })
    });
    let mut per_stream = Vec::with_capacity(count);
    let mut delays = Histogram::<u64>::new_with_bounds(1, MAX_MICROS, 3).context("a histogram")?;
    for task in tasks {
        let (events, own) = task.await.context("a stream task")?;
        per_stream.push(events);
        delays.add(own).context("merge the histograms")?;
    }
    let rss_peak = match peak {
        Some(task) => Some(task.await.context("the RSS sampler")?),
        None => None,
    };
    let rss_end = server_pid
        .as_deref()
        .map(crate::stats::rss_kib)
        .transpose()?;
    let ms = |q: f64| delays.value_at_quantile(q) as f64 / 1000.0;
    let ended_early = ended.load(Ordering::Relaxed);
    Ok(StreamsReport {
        streams: count,
        open_at_end: count.saturating_sub(ended_early as usize),
        ended_early,
        events: per_stream.iter().sum(),
        events_per_stream_min: per_stream.iter().copied().min().unwrap_or(0),
        events_per_stream_max: per_stream.iter().copied().max().unwrap_or(0),
        delay_p50_ms: ms(0.5),
        delay_p99_ms: ms(0.99),
        delay_max_ms: delays.max() as f64 / 1000.0,
        rss_open_kib: rss_open,
        rss_peak_kib: rss_peak,
        rss_end_kib: rss_end,
    })
}

/// A connection with the stream's response head read.
async fn open(target: &Target) -> anyhow::Result<TcpStream> {
    let mut stream = TcpStream::connect(&target.addr)
        .await
        .with_context(|| format!("connect to {}", target.addr))?;
    let host = target.host.to_str().unwrap_or("localhost");
    let auth = target
        .auth
        .as_ref()
        .and_then(|a| a.to_str().ok())
        .map(|a| format!("Authorization: {a}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "GET /api/v1/events/ HTTP/1.1\r\nHost: {host}\r\n{auth}Accept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await? == 0 {
            bail!("the server closed a stream before answering");
        }
        head.push(byte[0]);
        if head.len() > 16 * 1024 {
            bail!("a response head of more than 16 KiB");
        }
    }
    let head = String::from_utf8_lossy(&head);
    if !head.starts_with("HTTP/1.1 200") {
        bail!(
            "GET /api/v1/events/ answered {}",
            head.lines().next().unwrap_or_default()
        );
    }
    Ok(stream)
}

/// Read one stream until `end`, recording each event's delay in its own
/// histogram (a shared one would be locked a million times over); the
/// number of events it received, and the histogram.
async fn follow(
    mut stream: TcpStream,
    end: Instant,
    mut delays: Histogram<u64>,
    ended: Arc<AtomicU64>,
) -> (u64, Histogram<u64>) {
    let mut buffer = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    let mut events = 0;
    loop {
        let read = tokio::time::timeout_at(end.into(), stream.read(&mut chunk)).await;
        let n = match read {
            Err(_) => return (events, delays),
            Ok(Ok(0)) | Ok(Err(_)) => {
                ended.fetch_add(1, Ordering::Relaxed);
                return (events, delays);
            }
            Ok(Ok(n)) => n,
        };
        let arrived = now_micros();
        buffer.extend_from_slice(&chunk[..n]);
        // Whole lines only; the chunked encoding's size lines are skipped
        // as they do not start with `data:`.
        while let Some(at) = buffer.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buffer.drain(..=at).collect();
            if let Some(created) = line.strip_prefix(b"data: ").and_then(created_micros) {
                events += 1;
                let delay = arrived.saturating_sub(created).clamp(1, MAX_MICROS);
                let _ = delays.record(delay);
            }
        }
    }
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// The `created` time of an event's JSON, in microseconds since the epoch.
/// Found by its key rather than by parsing the whole object: a thousand
/// streams of hundreds of events a second would make the generator, not
/// the server, the bottleneck.
fn created_micros(data: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"\"created\":\"";
    let at = data.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let rest = &data[at..];
    let end = rest.iter().position(|b| *b == b'"')?;
    parse_rfc3339_micros(std::str::from_utf8(&rest[..end]).ok()?)
}

/// An RFC 3339 time as microseconds since the epoch.
fn parse_rfc3339_micros(text: &str) -> Option<u64> {
    let time = chrono::DateTime::parse_from_rfc3339(text).ok()?;
    u64::try_from(time.timestamp_micros()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_created_time_is_found_in_an_event() {
        let data = br#"{"id":11,"kind":"status","message":"a \"created\" word","created":"2026-11-30T16:35:27.080150Z"}"#;
        assert_eq!(created_micros(data), Some(1_796_056_527_080_150));
        assert_eq!(created_micros(b"{}"), None);
    }

    #[test]
    fn rfc3339_times_are_read_to_the_microsecond() {
        assert_eq!(parse_rfc3339_micros("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_micros("2026-11-30T16:35:27.080150Z"),
            Some(1_796_056_527_080_150)
        );
        assert_eq!(
            parse_rfc3339_micros("2000-03-01T00:00:01.5Z"),
            Some(951_868_801_500_000)
        );
        assert_eq!(parse_rfc3339_micros("not a time"), None);
    }
}
