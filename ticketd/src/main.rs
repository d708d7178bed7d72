//! `ticketd`: parse the command line and run the subcommand.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;
use shared::Role;
use ticketd::blobs::BlobStore;
use ticketd::cli::{Cli, Command, LogFormat, TokenCommand};
use ticketd::config::Settings;
use ticketd::connections;
use ticketd::domain::tokens;
use ticketd::server::{self, AppState, AuthMode};
use ticketd::store::{Store, redact_url, timestamp};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ticketd: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

async fn open(settings: &Settings) -> anyhow::Result<Store> {
    settings.prepare_dirs()?;
    let store = Store::connect(&settings.database_url, &settings.store)
        .await
        .with_context(|| {
            format!(
                "cannot open database {}",
                redact_url(&settings.database_url)
            )
        })?;
    store.migrate().await.context("cannot apply migrations")?;
    Ok(store)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let listen = match &cli.command {
        Command::Serve(args) => args.listen.as_deref(),
        _ => None,
    };
    let settings = Settings::resolve(&cli.global, listen)?;
    init_logging(settings.log_format);
    match cli.command {
        Command::Serve(args) => serve(settings, args.no_auth).await,
        Command::Migrate => {
            let store = open(&settings).await?;
            store.close().await;
            eprintln!(
                "migrations applied to {}",
                redact_url(&settings.database_url)
            );
            Ok(())
        }
        Command::Check => check(settings).await,
        Command::Token(command) => token(settings, command).await,
    }
}

async fn serve(settings: Settings, no_auth: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr()?;
    if no_auth && !address.ip().is_loopback() {
        bail!(
            "--no-auth is refused on {address}: it turns authentication off, so it is allowed only on a loopback address"
        );
    }
    let store = open(&settings).await?;
    let auth = if no_auth {
        tracing::warn!("authentication is OFF (--no-auth): every request may do everything");
        AuthMode::Disabled
    } else {
        AuthMode::Tokens {
            anonymous_read: settings.anonymous_read,
        }
    };
    let blobs = BlobStore::directory(settings.data_dir.join("blobs")).with_context(|| {
        format!(
            "cannot create the blob store in {}",
            settings.data_dir.display()
        )
    })?;
    let state = AppState {
        limits: settings.limits,
        ..AppState::new(store.clone(), blobs, auth)
    };
    let connection_stats = state.metrics.connections.clone();
    let mut http = settings.http.clone();
    http.connections.max_connections =
        connections::fit_to_file_limit(http.connections.max_connections);
    let app = server::app(state, &http);
    tracing::info!(
        %address,
        database = %redact_url(&settings.database_url),
        ready_in_ms = started.elapsed().as_millis() as u64,
        "ticketd serving"
    );
    server::serve(
        listener,
        app,
        server::shutdown_signal(),
        &http,
        connection_stats,
    )
    .await?;
    store.close().await;
    tracing::info!("database closed; bye");
    Ok(())
}

async fn check(settings: Settings) -> anyhow::Result<()> {
    println!(
        "config file: {}",
        settings
            .config_file
            .as_ref()
            .map_or("none".into(), |p| p.display().to_string())
    );
    println!("data dir:    {}", settings.data_dir.display());
    println!("database:    {}", redact_url(&settings.database_url));
    println!("listen:      {}", settings.listen);
    let store = Store::connect(&settings.database_url, &settings.store)
        .await
        .with_context(|| {
            format!(
                "database {} is not reachable",
                redact_url(&settings.database_url)
            )
        })?;
    store.ping().await.context("database does not answer")?;
    let pending = store.pending_migrations().await?;
    store.close().await;
    if pending.is_empty() {
        println!("status:      ok (reachable, migrations up to date)");
        Ok(())
    } else {
        bail!(
            "database reachable but {} migration(s) pending: {} (run `ticketd migrate`)",
            pending.len(),
            pending.join(", ")
        )
    }
}

async fn token(settings: Settings, command: TokenCommand) -> anyhow::Result<()> {
    let store = open(&settings).await?;
    let result = match command {
        TokenCommand::Create { name, role } => {
            let role: Role = role.parse().map_err(anyhow::Error::msg)?;
            let (record, secret) = tokens::create(&store, &name, role)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!(
                "created {} token `{}`; it is shown once, store it now:",
                record.role, record.name
            );
            println!("{secret}");
            Ok(())
        }
        TokenCommand::List => {
            let records = tokens::list(&store)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{:<24} {:<10} {:<30} STATE", "NAME", "ROLE", "CREATED");
            for r in records {
                let state = r.revoked.map_or("active".to_string(), |t| {
                    format!("revoked {}", timestamp(t).to_rfc3339())
                });
                println!(
                    "{:<24} {:<10} {:<30} {state}",
                    r.name,
                    r.role,
                    timestamp(r.created).to_rfc3339()
                );
            }
            Ok(())
        }
        TokenCommand::Revoke { name } => {
            tokens::revoke(&store, &name)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("revoked token `{name}`");
            Ok(())
        }
    };
    store.close().await;
    result
}
