//! `ticket list|show|create|complete|fail`.

use std::io::IsTerminal;

use shared::lenient::BugId;
use shared::models::{FullTicket, Ticket};
use shared::requests::{NewTicket, StatusChange};
use shared::{Status, Step};

use super::answer;
use crate::cli::TicketCommand;
use crate::client::{Answer, Client, Matching, Page};
use crate::config::Settings;
use crate::error::CliError;
use crate::output::{self, table, table_with_states, uri_id, when, when_exact};

pub fn run(command: TicketCommand, settings: &Settings, client: &Client) -> Result<(), CliError> {
    match command {
        TicketCommand::List {
            open,
            step,
            owner,
            sort,
            reverse,
            limit,
            all,
        } => {
            let page = Page::new((!all).then_some(limit))
                .order_by(&sort.order_by(reverse))
                .filter("current_workflow_step", step.map(Step::code))
                .filter("owner", owner);
            let tickets = client.tickets(open, &page)?;
            list(settings, &tickets.answer);
            if !settings.json
                && std::io::stderr().is_terminal()
                && let Some(hint) = more_hint(tickets.answer.model.len(), tickets.matching)
            {
                eprintln!("{hint}");
            }
            Ok(())
        }
        TicketCommand::Show { id } => {
            answer(settings, &client.full_ticket(id)?, render);
            Ok(())
        }
        TicketCommand::Create {
            title,
            owner,
            description,
            bug,
        } => {
            let ticket = NewTicket {
                owner,
                title,
                description,
                bug_id: BugId(bug.filter(|b| !b.is_empty())),
                ..NewTicket::default()
            };
            answer(settings, &client.create(&ticket)?, |t| {
                format!("created ticket {}: {}", t.id, client.ticket_link(t.id))
            });
            Ok(())
        }
        TicketCommand::Complete { id } => {
            let change = StatusChange {
                current_workflow_step: Step::Complete,
                status: Status::Complete,
                message: None,
                force: None,
            };
            let forced =
                format!("`ticketctl status set {id} --step complete --status complete --force`");
            let moved = client
                .change_ticket_status(id, &change)
                .map_err(|e| e.refused_move(Some(id), &forced))?;
            answer(settings, &moved, |_| format!("ticket {id} is Complete"));
            Ok(())
        }
        TicketCommand::Fail { id, message } => {
            // The server answers a Failed ticket failed again as a no-op and
            // drops the message: say so instead of reporting success.
            let before = client.ticket(id)?.model;
            if before.state.current_workflow_step == Step::Failed {
                let at = before
                    .state
                    .failed_step
                    .map(|s| format!(" at {}", s.display_name()))
                    .unwrap_or_default();
                return Err(CliError::Unchanged {
                    message: format!(
                        "ticket {id} had already Failed{at}; nothing changed, and your message was not recorded"
                    ),
                    hint: format!("`ticketctl ticket show {id}` says where and why it failed"),
                });
            }
            let change = StatusChange {
                current_workflow_step: Step::Failed,
                status: Status::Failed,
                message: Some(message),
                force: None,
            };
            let forced = format!(
                "`ticketctl status set {id} --step failed --status failed --message '…' --force`"
            );
            let moved = client
                .change_ticket_status(id, &change)
                .map_err(|e| e.refused_move(Some(id), &forced))?;
            answer(settings, &moved, |t| {
                let failed = t.state.failed_step.map(|s| format!(" at {s}"));
                format!("ticket {id} Failed{}", failed.unwrap_or_default())
            });
            Ok(())
        }
    }
}

/// "showing 20 of 28; …", when more tickets match than were shown.
fn more_hint(shown: usize, matching: Matching) -> Option<String> {
    let shown = shown as u64;
    if shown >= matching.count && !matching.at_least {
        return None;
    }
    let at_least = if matching.at_least { "at least " } else { "" };
    Some(format!(
        "showing {shown} of {at_least}{}; --all or --limit N for more",
        matching.count
    ))
}

fn list(settings: &Settings, tickets: &Answer<Vec<Ticket>>) {
    if settings.json {
        output::json(&tickets.json);
        return;
    }
    let tickets = &tickets.model;
    if tickets.is_empty() {
        eprintln!("no tickets");
        return;
    }
    let rows = tickets
        .iter()
        .map(|t| {
            vec![
                t.id.to_string(),
                t.state.current_workflow_step_display.clone(),
                t.state.status_display.clone(),
                t.owner.clone(),
                t.title.clone(),
                when(&t.updated),
            ]
        })
        .collect();
    output::print(&table_with_states(
        &["ID", "STEP", "STATUS", "OWNER", "TITLE", "UPDATED"],
        rows,
        &[1, 2],
    ));
}

/// The full ticket in plain words: header, failure report, subtickets,
/// artifacts, history.
pub fn render(full: &FullTicket) -> String {
    let t = &full.ticket;
    let mut out = format!("Ticket {}: {}\n", t.id, t.title);
    out.push_str(&format!("  Owner:   {}\n", t.owner));
    if let Some(bug) = &t.bug_id {
        out.push_str(&format!("  Bug:     LP: #{bug}\n"));
    }
    out.push_str(&format!(
        "  State:   {} — {}\n",
        output::state(&t.state.current_workflow_step_display),
        output::state(&t.state.status_display)
    ));
    out.push_str(&format!(
        "  Created: {}   Updated: {}\n",
        when_exact(&t.created),
        when_exact(&t.updated)
    ));
    if !t.description.is_empty() {
        out.push_str(&format!("\n{}\n", t.description.trim_end()));
    }
    if let Some(failure) = &full.failure {
        let heading = format!("FAILED at {}", failure.step_display);
        out.push_str(&format!("\n{}\n", output::paint(output::ALARM, &heading)));
        match (
            &failure.source_package,
            &failure.version,
            &failure.subticket,
        ) {
            (Some(source), Some(version), Some(sub)) => {
                out.push_str(&format!(
                    "  Where:   {source} {version} (subticket {})\n",
                    uri_id(sub)
                ));
            }
            _ => out.push_str("  Where:   the ticket itself, not one of its uploads\n"),
        }
        if let Some(message) = &failure.message {
            out.push_str(&format!("  Why:     {message}\n"));
        }
        if failure.logs.is_empty() {
            out.push_str("  Logs:    none attached\n");
        }
        for (i, log) in failure.logs.iter().enumerate() {
            out.push_str(&format!(
                "  {}{log}\n",
                if i == 0 { "Logs:    " } else { "         " }
            ));
        }
        out.push_str(&format!("  Next:    {}\n", failure.action));
    }
    out.push_str("\nSubtickets\n");
    let rows: Vec<Vec<String>> = full
        .subtickets
        .iter()
        .map(|s| {
            vec![
                s.id.to_string(),
                s.source_package_upload.sourcepackage.name.clone(),
                s.source_package_upload.version.clone(),
                s.state.current_workflow_step_display.clone(),
                s.state.status_display.clone(),
                s.assignee.clone(),
            ]
        })
        .collect();
    out.push_str(&if rows.is_empty() {
        "  none\n".to_string()
    } else {
        table_with_states(
            &["ID", "PACKAGE", "VERSION", "STEP", "STATUS", "ASSIGNEE"],
            rows,
            &[3, 4],
        ) + "\n"
    });
    out.push_str("\nArtifacts\n");
    let mut rows: Vec<Vec<String>> = full
        .artifacts
        .iter()
        .map(|a| {
            vec![
                "ticket".into(),
                a.kind.to_string(),
                a.name.clone(),
                a.reference.clone(),
            ]
        })
        .collect();
    for s in &full.subtickets {
        rows.extend(s.artifacts.iter().map(|a| {
            vec![
                format!("subticket {}", s.id),
                a.kind.to_string(),
                a.name.clone(),
                a.reference.clone(),
            ]
        }));
    }
    out.push_str(&if rows.is_empty() {
        "  none\n".to_string()
    } else {
        table(&["ON", "TYPE", "NAME", "REFERENCE"], rows) + "\n"
    });
    out.push_str("\nHistory\n");
    let rows: Vec<Vec<String>> = full
        .history
        .iter()
        .map(|e| {
            let what = match (e.from_step, e.to_step, e.to_status) {
                (_, Some(to), Some(status)) if e.kind == shared::EventKind::Created => {
                    format!("created at {to} — {status}")
                }
                (Some(from), Some(to), Some(status)) => format!("{from} → {to} — {status}"),
                _ => String::new(),
            };
            let on = e
                .subticket
                .as_deref()
                .map(|s| format!("subticket {}", uri_id(s)))
                .unwrap_or_else(|| "ticket".into());
            vec![
                when_exact(&e.created),
                on,
                e.kind.as_str().to_string(),
                what,
                e.message.clone().unwrap_or_default(),
                e.actor.clone().unwrap_or_default(),
            ]
        })
        .collect();
    out.push_str(&table(
        &["WHEN", "ON", "KIND", "CHANGE", "MESSAGE", "BY"],
        rows,
    ));
    out
}
