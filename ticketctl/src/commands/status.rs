//! `status set`: a lander moves a ticket or subticket.

use shared::Step;
use shared::lenient::FlexBool;
use shared::requests::StatusChange;

use super::answer;
use crate::cli::StatusCommand;
use crate::client::Client;
use crate::config::Settings;
use crate::error::CliError;
use crate::output::{self, uri_id};

pub fn run(command: StatusCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    let StatusCommand::Set(args) = command;
    let change = StatusChange {
        current_workflow_step: args.step,
        status: args.status,
        message: args.message,
        force: args.force.then_some(FlexBool(true)),
    };
    // A subticket's failure fails its ticket: say so.
    let mut ticket_failed_too = None;
    let (moved, what) = match (args.subticket, args.id) {
        (Some(id), _) => {
            let sub = client.change_subticket_status(id, &change).map_err(|e| {
                let ticket = client
                    .subticket(id)
                    .ok()
                    .and_then(|s| uri_id(&s.model.ticket).parse().ok());
                e.refused_move(ticket, "--force")
            })?;
            if sub.model.state.current_workflow_step == Step::Failed
                && !settings.json
                && let Ok(ticket_id) = uri_id(&sub.model.ticket).parse::<u64>()
                && client.ticket(ticket_id)?.model.state.current_workflow_step == Step::Failed
            {
                ticket_failed_too = Some(format!("ticket {ticket_id} Failed with it"));
            }
            (sub.map(|s| s.state), format!("subticket {id}"))
        }
        (None, Some(id)) => (
            client
                .change_ticket_status(id, &change)
                .map_err(|e| e.refused_move(Some(id), "--force"))?
                .map(|t| t.state),
            format!("ticket {id}"),
        ),
        (None, None) => return Err(CliError::usage("give a ticket id, or --subticket ID")),
    };
    answer(settings, &moved, |state| {
        let line = format!(
            "{what}: {} — {}",
            output::state(&state.current_workflow_step_display),
            output::state(&state.status_display)
        );
        match &ticket_failed_too {
            Some(ticket) => format!("{line}\n{ticket}"),
            None => line,
        }
    });
    Ok(())
}
