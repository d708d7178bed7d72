//! `ticketd`: parse the command line and run the subcommand.
#![deny(unsafe_code)]

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use ticketd::blobs::BlobStore;
use ticketd::cli::{Cli, Command, LogFormat, ServeArgs};
use ticketd::commands;
use ticketd::config::Settings;
use ticketd::connections;
use ticketd::health;
use ticketd::memory;
use ticketd::secrets::{LogFlush, ScrubbedStderr, Secrets, redact_url};
use ticketd::server;
use ticketd::state::{AppState, AuthMode};
use ticketd::store::{OPTIMIZE_INTERVAL, Store};
use ticketd::systemd;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    memory::tune_allocator();
    let cli = Cli::parse();
    // Before the runtime starts threads: taking the socket unsets the
    // variables that passed it (see `systemd::take_listener`).
    let inherited = match &cli.command {
        Command::Serve(_) => match systemd::take_listener() {
            Ok(listener) => listener,
            Err(err) => {
                eprintln!("ticketd: {err:#}");
                return ExitCode::FAILURE;
            }
        },
        _ => None,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("ticketd: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, inherited)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ticketd: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr with the database URL's secrets scrubbed: libraries
/// may quote parts of the URL (sqlx logs unknown query parameters whole).
/// Dropping the returned guard writes out every line logged before.
fn init_logging(format: LogFormat, secrets: Secrets) -> LogFlush {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let (writer, flush) = ScrubbedStderr::new(secrets);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
    flush
}

fn blob_store(settings: &Settings) -> anyhow::Result<BlobStore> {
    BlobStore::open(&settings.data_dir, settings.blob_store.as_ref()).with_context(|| {
        format!(
            "cannot create the blob store in {}",
            settings.data_dir.display()
        )
    })
}

async fn run(cli: Cli, inherited: Option<std::net::TcpListener>) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve(args) => args.listen.as_deref(),
        _ => None,
    };
    let settings = Settings::resolve(&cli.global, listen)?;
    // The S3 secret, from the config file or the environment.
    let s3_secrets = settings.blob_store.as_ref().map(|s3| {
        let from_env = std::env::var("AWS_SECRET_ACCESS_KEY").ok();
        (s3.secret_access_key.clone(), from_env)
    });
    let (s3_secret, env_secret) = s3_secrets.unwrap_or_default();
    let secrets = Secrets::of(&settings.database_url)
        .and(s3_secret.as_deref())
        .and(env_secret.as_deref());
    let flush = init_logging(settings.log_format, secrets.clone());
    let result = match cli.command {
        Command::Serve(args) => serve(settings, args, inherited).await,
        Command::Migrate(args) => commands::migrate(&settings, args.init).await,
        Command::Check(args) => commands::check::run(&settings, args.full).await,
        Command::Token(command) => commands::token::run(&settings, command).await,
        Command::Gc(args) => commands::gc::run(&settings, args).await,
        Command::Backup(args) => commands::backup::run(&settings, args).await,
        Command::Export(args) => commands::export::run(&settings, args).await,
        Command::Import(args) => commands::import::run(&settings, args).await,
    };
    // Errors of libraries may quote the URL (or part of it) they were given.
    // Every log line out before the error (or the exit) follows.
    drop(flush);
    result.map_err(|err| anyhow::anyhow!(secrets.scrub(&format!("{err:#}"))))
}

/// `ticketd serve`: on the socket systemd passed (`inherited`), else on
/// `listen`. With a passed socket, a restart drops no connection: the
/// socket stays open in systemd while no ticketd runs, and the kernel
/// queues what arrives for the next one (docs/operations.md, "Restarts").
async fn serve(
    settings: Settings,
    args: ServeArgs,
    inherited: Option<std::net::TcpListener>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let signal = server::shutdown_signal();
    let listener = match inherited {
        Some(listener) => {
            let listener = tokio::net::TcpListener::from_std(listener)
                .context("cannot use the socket systemd passed")?;
            tracing::info!(
                address = %listener.local_addr()?,
                "listening on the socket systemd passed (LISTEN_FDS); `listen` is not used"
            );
            listener
        }
        None => tokio::net::TcpListener::bind(&settings.listen)
            .await
            .with_context(|| format!("cannot listen on {}", settings.listen))?,
    };
    let address = listener.local_addr()?;
    if args.no_auth && !address.ip().is_loopback() {
        bail!(
            "--no-auth is refused on {address}: it turns authentication off, so it is allowed only on a loopback address"
        );
    }
    systemd::notify_status("opening and migrating the database");
    let (store, applied) = commands::open_to_serve(&settings, args.init).await?;
    if !applied.is_empty() {
        tracing::info!(migrations = %applied.join(", "), "applied migrations");
    }
    // READY=1 promises a database that answers and takes a write.
    if let Err(err) = store.ready().await {
        store.close().await;
        return Err(err).context("the database does not take a write");
    }
    let auth = if args.no_auth {
        tracing::warn!("authentication is OFF (--no-auth): every request may do everything");
        AuthMode::Disabled
    } else {
        AuthMode::Tokens {
            anonymous_read: settings.anonymous_read,
        }
    };
    let blobs = blob_store(&settings)?;
    match blobs.clean_tmp() {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, "removed temporary files of interrupted uploads"),
        Err(err) => tracing::warn!(%err, "cannot clean the blob store's tmp directory"),
    }
    let state_blobs = blobs.shown();
    let state = AppState::with_limits(store.clone(), blobs, auth, settings.limits);
    health::spawn_integrity_check(store.clone(), state.metrics.clone());
    memory::spawn_trimmer(state.metrics.clone());
    spawn_optimizer(store.clone());
    let connection_stats = state.metrics.connections.clone();
    let mut http = settings.http.clone();
    http.connections.max_connections =
        connections::fit_to_file_limit(http.connections.max_connections);
    // Idle event streams would hold shutdown open: they end at once.
    let feed = state.feed.clone();
    let shutdown = async move {
        signal.await;
        systemd::notify_stopping("finishing the requests in flight");
        feed.shutdown.cancel();
    };
    let app = server::app(state, &http);
    tracing::info!(
        %address,
        database = %redact_url(&settings.database_url),
        blobs = %state_blobs,
        ready_in_ms = started.elapsed().as_millis() as u64,
        "ticketd serving"
    );
    systemd::notify_ready(&format!("serving on {address}"));
    server::serve(listener, app, shutdown, &http, connection_stats).await?;
    store.close().await;
    tracing::info!("database closed; bye");
    Ok(())
}

/// Refresh the query planner's statistics a minute after start, then
/// every [`OPTIMIZE_INTERVAL`] as the tables grow. Not at once: the first
/// analysis of a large database holds the writer for most of a second
/// (0.9 s at a million tickets), and readiness waits for the writer.
fn spawn_optimizer(store: Store) {
    tokio::spawn(async move {
        let first = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut ticks = tokio::time::interval_at(first, OPTIMIZE_INTERVAL);
        loop {
            ticks.tick().await;
            if let Err(err) = store.optimize().await {
                tracing::warn!(%err, "cannot refresh the database's statistics");
            }
        }
    });
}
