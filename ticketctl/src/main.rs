//! `ticketctl`: the command-line client of ticketd.
//!
//! This release only identifies itself: the commands of CLI.md (submit,
//! ticket, status, artifact, package, person, config, login) arrive with
//! the Bundle API. Until then, talk to ticketd with curl as README.md shows.
#![forbid(unsafe_code)]

use clap::Parser;

/// Command-line client of ticketd (preview: prints its version only).
///
/// The commands of CLI.md — submit, ticket, status, artifact, package,
/// person, config, login — are not implemented yet; they come with the
/// Bundle API. Until then use the REST API directly (see README.md).
#[derive(Debug, Parser)]
#[command(name = "ticketctl", version)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
    println!(
        "ticketctl {}: preview build; its commands are not implemented yet (see `ticketctl --help`)",
        env!("CARGO_PKG_VERSION")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_tree_is_consistent() {
        Cli::command().debug_assert();
    }
}
