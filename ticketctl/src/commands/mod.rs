//! One module per command group; each has its `run`.

pub mod artifact;
pub mod config;
pub mod package;
pub mod person;
pub mod spu;
pub mod status;
pub mod submit;
pub mod subticket;
pub mod ticket;
pub mod watch;

use clap::CommandFactory;

use crate::cli::{Cli, Command};
use crate::client::{Answer, Client};
use crate::config::{FileConfig, Given, Settings};
use crate::error::CliError;

/// Run the parsed command line.
pub fn run(cli: Cli, given: Given) -> Result<(), CliError> {
    let file = FileConfig::load()?;
    let settings = Settings::resolve(&cli.global, given, &file);
    match cli.command {
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "ticketctl", &mut out);
            crate::output::print(String::from_utf8_lossy(&out).trim_end());
            Ok(())
        }
        Command::Config(command) => config::run(command, &settings, file),
        Command::Login { with_token } => {
            // Never the saved token: login is how a user replaces it.
            let given = cli.global.token.clone().filter(|t| !t.is_empty());
            config::login(&settings, given, with_token, file)
        }
        Command::Logout => config::logout(file),
        Command::Whoami => config::whoami(&settings, &Client::new(&settings)?),
        Command::Submit(args) => submit::run(args, &settings, &Client::new(&settings)?),
        Command::Watch { id, timeout } => {
            watch::run(id, timeout, &settings, &Client::new(&settings)?)
        }
        Command::Ticket(command) => ticket::run(command, &settings, &Client::new(&settings)?),
        Command::Spu(command) => spu::run(command, &settings, &Client::new(&settings)?),
        Command::Subticket(command) => subticket::run(command, &settings, &Client::new(&settings)?),
        Command::Status(command) => status::run(command, &settings, &Client::new(&settings)?),
        Command::Artifact(command) => artifact::run(command, &settings, &Client::new(&settings)?),
        Command::Package(command) => package::run(command, &settings, &Client::new(&settings)?),
        Command::Person(command) => person::run(command, &settings, &Client::new(&settings)?),
    }
}

/// Print an answer: the server's JSON with --json, else `human` of its model.
pub fn answer<T>(settings: &Settings, answer: &Answer<T>, human: impl FnOnce(&T) -> String) {
    if settings.json {
        crate::output::json(&answer.json);
    } else {
        crate::output::print(&human(&answer.model));
    }
}
