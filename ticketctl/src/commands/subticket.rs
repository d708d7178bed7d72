//! `subticket create`: the seed's separate call for a subticket.

use shared::Ref;
use shared::requests::NewSubticket;

use super::answer;
use crate::cli::SubticketCommand;
use crate::client::Client;
use crate::config::Settings;
use crate::error::CliError;

pub fn run(
    command: SubticketCommand,
    settings: &Settings,
    client: &Client,
) -> Result<(), CliError> {
    let SubticketCommand::Create {
        ticket,
        spu,
        assignee,
    } = command;
    let new = NewSubticket {
        source_package_upload: Ref::Id(spu as i64),
        ticket: Ref::Id(ticket as i64),
        assignee,
    };
    answer(settings, &client.create(&new)?, |s| {
        format!("created subticket {} on ticket {ticket}", s.id)
    });
    Ok(())
}
