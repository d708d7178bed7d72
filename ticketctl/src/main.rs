//! `ticketctl`: the command-line client of ticketd.
#![forbid(unsafe_code)]

mod cli;
mod client;
mod commands;
mod config;
mod error;
mod filled;
mod output;
mod upload;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::from(error::exit::OK),
        Err(err) => {
            eprintln!("error: {err}");
            if let Some(hint) = err.hint() {
                eprintln!("hint: {hint}");
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
