//! `loadgen`: the load generator of the ticket system's benchmarks.
//!
//! ```text
//! cargo run --release -p loadgen -- --url http://127.0.0.1:8000 [--token SECRET] \
//!     --scenario NAME[,NAME...] --concurrency 64 --duration 10s [--warmup 2s] \
//!     [--seed-tickets N] [--seed-fulltickets N] [--status-pool N] [--backlog N] [--max-offset N] \
//!     [--server-pid PID] [--threads N] [--json]
//!
//! cargo run --release -p loadgen -- seed-db --database sqlite:///path/ticketd.db --tickets 1000000
//! cargo run --release -p loadgen -- seed-db --database postgres://user@host/db --tickets 1000000
//! ```
//!
//! Scenarios (`--scenario`, comma-separated, or `all`), each run for
//! `--duration` after `--warmup`, by `--concurrency` workers, each with one
//! keep-alive connection in a closed loop (the next request leaves as soon
//! as the previous answer is read):
//!
//! - `healthz`: `GET /healthz`, the ceiling.
//! - `ticket`: `GET /api/v1/ticket/{id}/` on random seeded tickets.
//! - `fullticket`: `GET /api/v1/fullticket/{id}/` on seeded tickets with 10
//!   subtickets and 30 artifacts.
//! - `list`: `GET /api/v1/ticket/?limit=20&offset=…` with random filters and
//!   orderings of `docs/api.md`.
//! - `status`: legal status changes (PATCH `update{,sub}ticketstatus/`),
//!   walking each worker's own queued tickets to Complete (1 in 20 fails on
//!   the way). Needs a lander token, or a server run with `--no-auth`.
//! - `bundle`: `POST /api/v1/bundle/` with 3 uploads and 6 artifacts.
//! - `seed-flow`: the same submission as the seed's 17 separate calls,
//!   timed as one request.
//! - `mixed`: lander, developers and web UI together (weights in the
//!   README).
//! - `walk` (not in `all`): `PATCH updateticketstatus/` only, walking New
//!   tickets without uploads to Complete, ten changes each; with
//!   `--backlog N`, after N bundles were submitted unqueued (3 uploads and
//!   6 artifacts each), as a site with a backlog has them.
//!
//! Before the read scenarios it seeds, through the API, `--seed-tickets`
//! tickets (default 1000; 0 uses the tickets already there, e.g. from
//! `seed-db`) and `--seed-fulltickets` full tickets (default 50). Each
//! scenario prints requests/s, p50/p90/p99/max latency in ms, non-2xx and
//! transport error counts, the generator's own CPU share and, with
//! `--server-pid`, the server's CPU share and RSS: a plain table, or one
//! JSON object per line with `--json`.
//!
//! `seed-db` is the fast path for scale tests: it writes tickets straight
//! into the database with SQL (stop ticketd, or at least its writes, while
//! it runs).

mod abuse;
mod client;
mod fixture;
mod rng;
mod scenario;
mod seed_db;
mod stats;
mod streams;
mod walker;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};

use client::{Conn, Target};
use fixture::{Fixture, Ids};
use scenario::{Pace, Scenario, Window, Worker};
use stats::{Recorder, Report};

#[derive(Debug, Parser)]
#[command(
    name = "loadgen",
    version,
    about = "Load generator and bulk seeder for ticketd benchmarks",
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Insert tickets straight into a ticketd database (fast path for scale
    /// tests); ticketd serves them as if made through the API.
    SeedDb(SeedDbArgs),
    /// What a hostile client does to the server's memory: peak and idle
    /// RSS under each abuse, and whether a normal client is still served.
    Abuse(AbuseArgs),
    /// Follow `GET /api/v1/events/` on many connections at once: the delay
    /// from each event's commit to its arrival, and the server's RSS.
    Streams(StreamsArgs),
}

#[derive(Debug, Args)]
struct StreamsArgs {
    /// Base URL of the server (http only).
    #[arg(long, default_value = "http://127.0.0.1:8000")]
    url: String,
    /// A token, where reads need one.
    #[arg(long, env = "LOADGEN_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Streams to open, each on a connection of its own.
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// How long to follow them once all are open.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    duration: Duration,
    /// The server's process id, whose RSS is read.
    #[arg(long)]
    server_pid: Option<u32>,
}

#[derive(Debug, Args)]
struct AbuseArgs {
    /// Base URL of the server (http only).
    #[arg(long, default_value = "http://127.0.0.1:8000")]
    url: String,
    /// An admin token (the abuse posts to every resource); not needed
    /// against `ticketd serve --no-auth`.
    #[arg(long, env = "LOADGEN_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// big-lists, invalid-bodies, idle-connections (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    scenario: Vec<abuse::Abuse>,
    /// The server's process id, whose RSS is sampled.
    #[arg(long)]
    server_pid: u32,
    /// How long each abuse lasts.
    #[arg(long, default_value = "20s", value_parser = parse_duration)]
    duration: Duration,
    /// Maximal tickets seeded before `big-lists`.
    #[arg(long, default_value_t = 1000)]
    seed: usize,
    /// How long the server idles after each abuse before its RSS is read
    /// again.
    #[arg(long, default_value = "45s", value_parser = parse_duration)]
    settle: Duration,
}

#[derive(Debug, Args)]
struct SeedDbArgs {
    /// sqlite:///PATH/ticketd.db or postgres://USER@HOST/DB.
    #[arg(long)]
    database: String,
    /// How many tickets to add (each with a subticket, an upload, an
    /// artifact and its history).
    #[arg(long, default_value_t = 1_000_000)]
    tickets: u64,
    /// Tickets per transaction.
    #[arg(long, default_value_t = 100_000)]
    chunk: u64,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Base URL of the server (http only).
    #[arg(long, default_value = "http://127.0.0.1:8000")]
    url: String,
    /// Bearer token (a lander's for `status`, `mixed`; a developer's is
    /// enough for the rest); not needed against `ticketd serve --no-auth`.
    #[arg(long, env = "LOADGEN_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Scenarios to run, in order: healthz, ticket, fullticket, list,
    /// status, bundle, seed-flow, mixed, or all.
    #[arg(long, value_enum, value_delimiter = ',', required = true)]
    scenario: Vec<Scenario>,
    /// Open connections, one closed-loop worker each.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Measured time per scenario (e.g. 10s, 500ms, 2m).
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    duration: Duration,
    /// Unmeasured load before each scenario's measurement.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    warmup: Duration,
    /// Tickets to seed through the API for `ticket`, `list`, `mixed`; 0 uses
    /// the tickets already in the database.
    #[arg(long, default_value_t = 1000)]
    seed_tickets: usize,
    /// Tickets with 10 subtickets and 30 artifacts to seed for
    /// `fullticket`, `mixed`; 0 reads the tickets already there.
    #[arg(long, default_value_t = 50)]
    seed_fulltickets: usize,
    /// Queued tickets seeded per worker for `status` (a quarter of it for
    /// `mixed`); a worker that runs out submits a new one, untimed.
    #[arg(long, default_value_t = 32)]
    status_pool: usize,
    /// Tickets submitted through `bundle/` with `"queue": false` before the
    /// scenarios run (3 uploads and 6 artifacts each, so three New
    /// subtickets each): the backlog a site has when its lander walks
    /// (`walk`).
    #[arg(long, default_value_t = 0)]
    backlog: usize,
    /// List offsets are drawn from 0..min(total, this): the first pages,
    /// which is what people page through.
    #[arg(long, default_value_t = 1000)]
    max_offset: u64,
    /// The server's process id: report its CPU share and RSS.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Runtime threads of the generator (default: one per CPU).
    #[arg(long)]
    threads: Option<usize>,
    /// Seconds before a request without an answer counts as a transport
    /// error.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    timeout: Duration,
    /// One JSON object per scenario instead of the table.
    #[arg(long)]
    json: bool,
    /// Requests per second across all workers (open loop: each waits for
    /// its slot); default as fast as the workers go.
    #[arg(long)]
    rate: Option<f64>,
}

async fn run_abuse(args: AbuseArgs) -> anyhow::Result<()> {
    let target = Target::new(&args.url, args.token.as_deref(), Duration::from_secs(60))?;
    for scenario in args.scenario {
        let report = abuse::run(
            scenario,
            target.clone(),
            args.server_pid,
            args.duration,
            args.seed,
            args.settle,
        )
        .await?;
        println!("{}", serde_json::to_string(&report)?);
    }
    Ok(())
}

async fn run_streams(args: StreamsArgs) -> anyhow::Result<()> {
    let target = Target::new(&args.url, args.token.as_deref(), Duration::from_secs(60))?;
    let pid = args.server_pid.map(|p| p.to_string());
    let report = streams::run(target, args.count, args.duration, pid).await?;
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}

/// `10s`, `500ms`, `2m`, `1.5s`, or a bare number of seconds.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 10s, 500ms or 2m"))?;
    let seconds = match unit {
        "" | "s" => value,
        "ms" => value / 1000.0,
        "m" | "min" => value * 60.0,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{text}` (use ms, s or m)"
            ));
        }
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("`{text}`: {e}"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let threads = cli.run.threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("loadgen: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Some(Command::SeedDb(args)) => {
            runtime.block_on(seed_db::run(&args.database, args.tickets, args.chunk))
        }
        Some(Command::Abuse(args)) => runtime.block_on(run_abuse(args)),
        Some(Command::Streams(args)) => runtime.block_on(run_streams(args)),
        None => runtime.block_on(run(cli.run)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("loadgen: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// A short random tag that makes this run's titles unique.
fn run_tag() -> String {
    format!("{:06x}", rng::Rng::from_time(0).next_u64() & 0xFF_FFFF)
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    if args.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    if args
        .rate
        .is_some_and(|rate| !(rate.is_finite() && rate > 0.0))
    {
        bail!("--rate must be a positive number of requests per second");
    }
    let target = Target::new(&args.url, args.token.as_deref(), args.timeout)?;
    let mut scenarios = Vec::new();
    for s in &args.scenario {
        if *s == Scenario::All {
            scenarios.extend(Scenario::EVERY);
        } else {
            scenarios.push(*s);
        }
    }
    let tag: Arc<str> = run_tag().into();
    let mut probe = Conn::new(target.clone());
    let health = probe
        .get("/healthz")
        .await
        .with_context(|| format!("the server at {} does not answer", args.url))?;
    if !health.is_success() {
        bail!("GET /healthz answered {}", health.status);
    }
    if args.backlog > 0 {
        let started = Instant::now();
        eprintln!(
            "loadgen: submitting a backlog of {} unqueued tickets (3 uploads, 6 artifacts each) …",
            args.backlog
        );
        fixture::seed_backlog(&target, args.concurrency, &tag, args.backlog).await?;
        eprintln!(
            "loadgen: backlog in place in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let fixture = if scenarios.iter().any(|s| s.needs_fixture()) {
        Some(Arc::new(
            make_fixture(&args, &target, &tag, &mut probe).await?,
        ))
    } else {
        None
    };
    let server_pid = args.server_pid.map(|pid| pid.to_string());
    let mut reports = Vec::new();
    for scenario in scenarios {
        let report = run_scenario(
            &args,
            &target,
            scenario,
            fixture.clone(),
            &tag,
            server_pid.as_deref(),
        )
        .await?;
        if args.json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            eprintln!(
                "loadgen: {} done: {:.0} req/s",
                report.scenario, report.requests_per_s
            );
        }
        reports.push(report);
    }
    if !args.json {
        println!(
            "url {}  concurrency {}  duration {:?} (+{:?} warm-up)  loadgen threads {}",
            args.url,
            args.concurrency,
            args.duration,
            args.warmup,
            args.threads
                .map_or_else(|| "auto".into(), |t| t.to_string())
        );
        print!("{}", stats::table(&reports));
        println!(
            "cpu = CPU seconds / wall seconds in the window (100% = one core busy); rss at the window's end"
        );
        for report in &reports {
            if report.setup_requests > 0 {
                println!(
                    "{}: {} untimed setup requests (status pool refills)",
                    report.scenario, report.setup_requests
                );
            }
            for sample in &report.error_samples {
                println!("{}: error: {sample}", report.scenario);
            }
        }
    }
    Ok(())
}

async fn make_fixture(
    args: &RunArgs,
    target: &Target,
    tag: &str,
    probe: &mut Conn,
) -> anyhow::Result<Fixture> {
    let started = Instant::now();
    let (tickets, title_prefix) = if args.seed_tickets > 0 {
        eprintln!(
            "loadgen: seeding {} tickets through bundle/ …",
            args.seed_tickets
        );
        let ids = fixture::seed_tickets(target, args.concurrency, tag, args.seed_tickets).await?;
        (Ids::List(ids), format!("lg-{tag}-"))
    } else {
        let (ids, _, prefix) = fixture::discover(probe).await?;
        (ids, prefix)
    };
    let fulltickets = if args.seed_fulltickets > 0 {
        eprintln!(
            "loadgen: seeding {} tickets with 10 subtickets and 30 artifacts …",
            args.seed_fulltickets
        );
        Ids::List(
            fixture::seed_fulltickets(target, args.concurrency, tag, args.seed_fulltickets).await?,
        )
    } else {
        tickets.clone()
    };
    let (total, last_event) = fixture::counts(probe).await?;
    eprintln!(
        "loadgen: {total} tickets on the server; fixture ready in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(Fixture {
        tickets,
        fulltickets,
        total,
        title_prefix,
        last_event,
    })
}

/// CPU seconds of this process and of the server, now.
fn cpu_sample(server_pid: Option<&str>) -> anyhow::Result<(f64, Option<f64>)> {
    let own = stats::cpu_seconds("self")?;
    let server = server_pid.map(stats::cpu_seconds).transpose()?;
    Ok((own, server))
}

async fn run_scenario(
    args: &RunArgs,
    target: &Target,
    scenario: Scenario,
    fixture: Option<Arc<Fixture>>,
    tag: &Arc<str>,
    server_pid: Option<&str>,
) -> anyhow::Result<Report> {
    let per_worker = match scenario {
        Scenario::Status | Scenario::Walk => args.status_pool,
        Scenario::Mixed => args.status_pool.div_ceil(4),
        _ => 0,
    };
    let bare = scenario == Scenario::Walk;
    let mut pools = if per_worker > 0 {
        let what = if bare {
            "New tickets without uploads for the walk"
        } else {
            "queued tickets for the status walk"
        };
        eprintln!(
            "loadgen: seeding {} {what} …",
            per_worker * args.concurrency
        );
        fixture::seed_walks(target, args.concurrency, per_worker, tag, bare).await?
    } else {
        Vec::new()
    };
    eprintln!(
        "loadgen: {} for {:?} (+{:?} warm-up) at concurrency {} …",
        scenario.name(),
        args.duration,
        args.warmup,
        args.concurrency
    );
    let start = Instant::now();
    let window = Window {
        measure_from: start + args.warmup,
        end: start + args.warmup + args.duration,
    };
    let pace = args.rate.and_then(Pace::new);
    let mut tasks = Vec::with_capacity(args.concurrency);
    for index in 0..args.concurrency {
        let walks = pools.get_mut(index).map(std::mem::take).unwrap_or_default();
        let worker = Worker::new(
            index,
            target.clone(),
            fixture.clone(),
            walks,
            tag.clone(),
            args.max_offset,
        )
        .paced(pace.clone());
        tasks.push(tokio::spawn(worker.run(scenario, window)));
    }
    tokio::time::sleep_until(window.measure_from.into()).await;
    let t0 = Instant::now();
    let (own0, server0) = cpu_sample(server_pid)?;
    tokio::time::sleep_until(window.end.into()).await;
    let (own1, server1) = cpu_sample(server_pid)?;
    let wall = t0.elapsed();
    let rss = server_pid.map(stats::rss_kib).transpose()?;
    let mut total = Recorder::new()?;
    for task in tasks {
        let recorder = task.await.context("a worker panicked")??;
        total.merge(&recorder)?;
    }
    let secs = wall.as_secs_f64().max(1e-9);
    let server = match (server0, server1, rss) {
        (Some(a), Some(b), Some(rss)) => Some(((b - a) / secs, rss as f64 / 1024.0)),
        _ => None,
    };
    Ok(Report::new(
        scenario.name(),
        args.concurrency,
        window.end - window.measure_from,
        &total,
        (own1 - own0) / secs,
        server,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5h").is_err());
    }

    #[test]
    fn parses_the_documented_command_lines() -> anyhow::Result<()> {
        let cli = Cli::try_parse_from([
            "loadgen",
            "--url",
            "http://127.0.0.1:8000",
            "--scenario",
            "ticket,list,seed-flow",
            "--concurrency",
            "64",
            "--duration",
            "10s",
            "--json",
        ])?;
        assert_eq!(
            cli.run.scenario,
            [Scenario::Ticket, Scenario::List, Scenario::SeedFlow]
        );
        let cli = Cli::try_parse_from([
            "loadgen",
            "seed-db",
            "--database",
            "sqlite:///tmp/t.db",
            "--tickets",
            "10",
        ])?;
        assert!(matches!(cli.command, Some(Command::SeedDb(ref a)) if a.tickets == 10));
        assert!(Cli::try_parse_from(["loadgen"]).is_err());
        Ok(())
    }
}
