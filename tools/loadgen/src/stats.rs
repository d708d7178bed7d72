//! Latency histograms, counters, CPU accounting from `/proc`, and the
//! report (a table, or one JSON object per scenario).

use std::fmt::Write as _;
use std::time::Duration;

use anyhow::Context;
use hdrhistogram::Histogram;
use serde::Serialize;

/// Latencies are recorded in microseconds, 1 µs to 10 min, 3 significant
/// digits.
pub const MAX_MICROS: u64 = 600_000_000;

/// One worker's results for one scenario.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub latency: Histogram<u64>,
    /// Answers with a 2xx status (or, for `seed-flow`, whole submissions
    /// whose every call succeeded).
    pub ok: u64,
    /// Answers with any other status.
    pub non_2xx: u64,
    /// Requests that got no answer (connect, reset, timeout).
    pub transport: u64,
    /// Requests the generator made outside the measurement to keep going
    /// (e.g. new tickets for the status walk when a pool ran dry).
    pub setup_requests: u64,
    /// The first few error descriptions, to show what went wrong.
    pub samples: Vec<String>,
}

impl Recorder {
    pub fn new() -> anyhow::Result<Recorder> {
        Ok(Recorder {
            latency: Histogram::new_with_bounds(1, MAX_MICROS, 3)
                .context("cannot create a histogram")?,
            ok: 0,
            non_2xx: 0,
            transport: 0,
            setup_requests: 0,
            samples: Vec::new(),
        })
    }

    pub fn record(&mut self, elapsed: Duration, success: bool) {
        let micros = u64::try_from(elapsed.as_micros())
            .unwrap_or(MAX_MICROS)
            .clamp(1, MAX_MICROS);
        // Saturating: a value past the top is counted at the top.
        self.latency.saturating_record(micros);
        if success {
            self.ok += 1;
        } else {
            self.non_2xx += 1;
        }
    }

    pub fn note(&mut self, sample: impl FnOnce() -> String) {
        if self.samples.len() < 5 {
            self.samples.push(sample());
        }
    }

    pub fn merge(&mut self, other: &Recorder) -> anyhow::Result<()> {
        self.latency
            .add(&other.latency)
            .context("cannot merge histograms")?;
        self.ok += other.ok;
        self.non_2xx += other.non_2xx;
        self.transport += other.transport;
        self.setup_requests += other.setup_requests;
        for sample in &other.samples {
            if self.samples.len() < 5 {
                self.samples.push(sample.clone());
            }
        }
        Ok(())
    }
}

/// CPU seconds (user + system) of a process so far, from `/proc/PID/stat`.
pub fn cpu_seconds(pid: &str) -> anyhow::Result<f64> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    parse_stat_cpu(&stat).with_context(|| format!("cannot parse {path}"))
}

/// Kernel clock ticks per second in `/proc/*/stat` (`USER_HZ`): 100 on
/// every Linux architecture we run on.
const USER_HZ: f64 = 100.0;

fn parse_stat_cpu(stat: &str) -> Option<f64> {
    // The command name (field 2) is in parentheses and may hold spaces:
    // count fields after its closing parenthesis. utime and stime are
    // fields 14 and 15, i.e. the 12th and 13th after it.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / USER_HZ)
}

/// Resident set size of a process in KiB (`VmRSS` of `/proc/PID/status`).
pub fn rss_kib(pid: &str) -> anyhow::Result<u64> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no VmRSS in {path}"))
}

/// The report of one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub scenario: String,
    pub concurrency: usize,
    pub duration_s: f64,
    pub requests: u64,
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub non_2xx: u64,
    pub transport_errors: u64,
    /// Requests made outside the measurement (pool refills).
    pub setup_requests: u64,
    /// The generator's CPU seconds over wall seconds in the window
    /// (1.0 = one core busy).
    pub loadgen_cpu: f64,
    /// The same for the server, with `--server-pid`.
    pub server_cpu: Option<f64>,
    /// The server's RSS at the end of the window, in MiB.
    pub server_rss_mib: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub error_samples: Vec<String>,
}

/// A latency in milliseconds from the histogram's microseconds.
pub fn millis(micros: u64) -> f64 {
    micros as f64 / 1000.0
}

impl Report {
    pub fn new(
        scenario: &str,
        concurrency: usize,
        window: Duration,
        recorder: &Recorder,
        loadgen_cpu: f64,
        server: Option<(f64, f64)>,
    ) -> Report {
        let h = &recorder.latency;
        let requests = recorder.ok + recorder.non_2xx;
        let secs = window.as_secs_f64().max(1e-9);
        let quantile = |q: f64| {
            if h.is_empty() {
                0.0
            } else {
                millis(h.value_at_quantile(q))
            }
        };
        Report {
            scenario: scenario.to_string(),
            concurrency,
            duration_s: round(secs, 3),
            requests,
            requests_per_s: round(requests as f64 / secs, 1),
            p50_ms: quantile(0.50),
            p90_ms: quantile(0.90),
            p99_ms: quantile(0.99),
            max_ms: if h.is_empty() { 0.0 } else { millis(h.max()) },
            non_2xx: recorder.non_2xx,
            transport_errors: recorder.transport,
            setup_requests: recorder.setup_requests,
            loadgen_cpu: round(loadgen_cpu, 3),
            server_cpu: server.map(|(cpu, _)| round(cpu, 3)),
            server_rss_mib: server.map(|(_, rss)| round(rss, 1)),
            error_samples: recorder.samples.clone(),
        }
    }
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// A latency for the table: three significant digits, in ms.
pub fn format_ms(ms: f64) -> String {
    if ms >= 100.0 {
        format!("{ms:.0}")
    } else if ms >= 10.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.2}")
    }
}

/// A CPU share as a percentage of one core (200% = both cores of a
/// 2-core machine).
pub fn format_cpu(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_string(), |s| format!("{:.0}%", s * 100.0))
}

/// The plain table of every report.
pub fn table(reports: &[Report]) -> String {
    let header = [
        "scenario",
        "conc",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "non-2xx",
        "transport",
        "lg cpu",
        "srv cpu",
        "srv rss",
    ];
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            vec![
                r.scenario.clone(),
                r.concurrency.to_string(),
                format!("{:.0}", r.requests_per_s),
                format_ms(r.p50_ms),
                format_ms(r.p90_ms),
                format_ms(r.p99_ms),
                format_ms(r.max_ms),
                r.non_2xx.to_string(),
                r.transport_errors.to_string(),
                format_cpu(Some(r.loadgen_cpu)),
                format_cpu(r.server_cpu),
                r.server_rss_mib
                    .map_or_else(|| "-".to_string(), |m| format!("{m:.1}M")),
            ]
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if i == 0 {
                let _ = write!(text, "{cell:<width$}");
            } else {
                let _ = write!(text, "  {cell:>width$}");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.map(String::from));
    for row in &rows {
        line(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_reported_in_milliseconds() -> anyhow::Result<()> {
        let mut recorder = Recorder::new()?;
        for micros in 1..=1000u64 {
            recorder.record(Duration::from_micros(micros * 10), true);
        }
        recorder.record(Duration::from_millis(250), false);
        let report = Report::new("ticket", 64, Duration::from_secs(2), &recorder, 0.5, None);
        assert_eq!(report.requests, 1001);
        assert_eq!(report.non_2xx, 1);
        assert!((report.requests_per_s - 500.5).abs() < 1e-9);
        // 3 significant digits: the top of the quantile's bucket, within
        // a fraction of a percent of the true value.
        assert!((report.p50_ms - 5.0).abs() < 0.025, "{}", report.p50_ms);
        assert!((report.p90_ms - 9.0).abs() < 0.045, "{}", report.p90_ms);
        assert!((report.max_ms - 250.0).abs() < 0.25, "{}", report.max_ms);
        Ok(())
    }

    #[test]
    fn latencies_are_formatted_with_three_digits() {
        assert_eq!(format_ms(0.4567), "0.46");
        assert_eq!(format_ms(4.567), "4.57");
        assert_eq!(format_ms(45.67), "45.7");
        assert_eq!(format_ms(456.7), "457");
        assert_eq!(format_cpu(Some(1.234)), "123%");
        assert_eq!(format_cpu(None), "-");
    }

    #[test]
    fn the_table_lines_up() -> anyhow::Result<()> {
        let recorder = Recorder::new()?;
        let report = Report::new("healthz", 64, Duration::from_secs(1), &recorder, 0.1, None);
        let text = table(&[report]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("scenario"));
        assert!(lines[1].starts_with("healthz"));
        Ok(())
    }

    #[test]
    fn reads_proc_stat() -> anyhow::Result<()> {
        let stat = "1234 (a b) c) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 1 0";
        assert_eq!(parse_stat_cpu(stat), Some(3.0));
        assert!(cpu_seconds("self")? >= 0.0);
        assert!(rss_kib("self")? > 0);
        Ok(())
    }
}
