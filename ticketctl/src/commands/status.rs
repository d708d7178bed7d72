//! `status set`: a lander moves a ticket or subticket.

use shared::flex::FlexBool;
use shared::requests::StatusChange;
use shared::{Status, Step};

use super::answer;
use crate::cli::StatusCommand;
use crate::client::{Client, Target};
use crate::config::Settings;
use crate::error::CliError;
use crate::output::text;

pub fn run(command: StatusCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    let StatusCommand::Set(args) = command;
    let step: Step = args
        .step
        .parse()
        .map_err(|e: String| CliError::usage(format!("--step: {e}")))?;
    let status: Status = args
        .status
        .parse()
        .map_err(|e: String| CliError::usage(format!("--status: {e}")))?;
    let (target, what) = match (args.subticket, args.id) {
        (Some(id), _) => (Target::Subticket(id), format!("subticket {id}")),
        (None, Some(id)) => (Target::Ticket(id), format!("ticket {id}")),
        (None, None) => return Err(CliError::usage("give a ticket id, or --subticket ID")),
    };
    let change = StatusChange {
        current_workflow_step: step,
        status,
        message: args.message,
        force: args.force.then_some(FlexBool(true)),
    };
    let value = client.change_status(target, &change)?;
    answer(
        settings,
        &value,
        format!(
            "{what}: {} — {}",
            text(&value, "current_workflow_step_display"),
            text(&value, "status_display")
        ),
    );
    Ok(())
}
