//! `ticketctl`: the command-line client of ticketd.
#![forbid(unsafe_code)]

mod cli;
mod client;
mod commands;
mod config;
mod download;
mod error;
mod filled;
mod output;
mod upload;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

fn main() -> ExitCode {
    let matches = cli::Cli::command().get_matches();
    let given = config::Given::from_matches(&matches);
    let cli = cli::Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    output::use_utc(cli.global.utc);
    match commands::run(cli, given) {
        Ok(()) => ExitCode::from(error::exit::OK),
        Err(err) => {
            // anstream drops the colour where stderr takes none.
            let error = output::paint(output::ALARM, "error:");
            anstream::eprintln!("{error} {err}");
            if let Some(hint) = err.hint() {
                let label = output::paint(output::HINT, "hint:");
                anstream::eprintln!("{label} {hint}");
            }
            ExitCode::from(err.exit_code())
        }
    }
}

#[cfg(test)]
mod generated_tests;

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        crate::cli::Cli::command().debug_assert();
    }
}
