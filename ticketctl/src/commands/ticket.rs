//! `ticket list|show|logs|create|complete|fail`.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use shared::lenient::BugId;
use shared::models::{Failure, FullTicket, Ticket};
use shared::requests::{NewTicket, StatusChange};
use shared::{ArtifactType, Status, Step};

use super::answer;
use super::artifact::{self, Located, On, located, reported};
use crate::cli::TicketCommand;
use crate::client::{Answer, Client, Matching, Page};
use crate::config::Settings;
use crate::download::{self, Target};
use crate::error::{CliError, exit};
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
            let terminal = std::io::stdout().is_terminal();
            answer(settings, &client.full_ticket(id)?, |full| {
                render(full, client, terminal)
            });
            Ok(())
        }
        TicketCommand::Logs {
            id,
            all,
            dir,
            clobber,
        } => logs(id, all, dir.as_deref(), clobber, settings, client),
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
/// artifacts, history. On a `terminal` a blob is named by the command
/// that downloads it (its URL, 64 hex digits long, would wrap); piped,
/// every reference is a full URL.
pub fn render(full: &FullTicket, client: &Client, terminal: bool) -> String {
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
    for (label, text) in output::whereabouts(full, chrono::Utc::now()) {
        out.push_str(&format!("  {label:<9}{text}\n"));
    }
    if !t.description.is_empty() {
        out.push_str(&format!("\n{}\n", t.description.trim_end()));
    }
    if full.failure.is_some() {
        out.push('\n');
        out.push_str(&failure_report(full, client, terminal));
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
    let rows: Vec<Vec<String>> = located(full)
        .iter()
        .map(|a| {
            let on = match a.on {
                On::Ticket(_) => "ticket".to_string(),
                On::Subticket(id) => format!("subticket {id}"),
            };
            let id = a.id.map(|id| id.to_string()).unwrap_or_default();
            let reference = match shared::validate::blob_reference(a.reference) {
                Some(digest) if terminal => format!("blob {}…", &digest[..12]),
                _ => client.link(a.reference),
            };
            vec![on, id, a.kind.to_string(), a.name.to_string(), reference]
        })
        .collect();
    out.push_str(&if rows.is_empty() {
        "  none\n".to_string()
    } else {
        let note = if terminal {
            "  `ticketctl artifact get ID` downloads one (`--subticket ID`: a subticket's)\n"
        } else {
            ""
        };
        let headers = ["ON", "ID", "TYPE", "NAME", "REFERENCE"];
        output::table_fitted(&headers, rows, terminal) + "\n" + note
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

/// Where, why, the logs and results, and what to do next, of a failed
/// ticket (empty for any other).
pub fn failure_report(full: &FullTicket, client: &Client, terminal: bool) -> String {
    let Some(failure) = &full.failure else {
        return String::new();
    };
    let heading = format!("FAILED at {}", failure.step_display);
    let mut out = format!("{}\n", output::paint(output::ALARM, &heading));
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
    out.push_str(&reported_lines(full, failure, client, terminal));
    out.push_str(&format!("  Next:    {}\n", failure.action));
    out
}

/// The logs and results of a failure report, one per line: the name, and
/// on a `terminal` the command that downloads a blob, else its full URL.
fn reported_lines(full: &FullTicket, failure: &Failure, client: &Client, terminal: bool) -> String {
    let line = |label: &str, a: &Located| {
        let how = match a.get_command() {
            Some(command)
                if terminal && shared::validate::blob_reference(a.reference).is_some() =>
            {
                command
            }
            _ => client.link(a.reference),
        };
        format!("  {label:<9}{}: {how}\n", a.name)
    };
    let labels = |first: &'static str| std::iter::once(first).chain(std::iter::repeat(""));
    let logs = reported(full, ArtifactType::Logs, &failure.logs);
    let mut out = if logs.is_empty() {
        "  Logs:    none attached\n".to_string()
    } else {
        let lines: String = labels("Logs:")
            .zip(&logs)
            .map(|(l, a)| line(l, a))
            .collect();
        let all = format!(
            "           (all of them: ticketctl ticket logs {})\n",
            full.ticket.id
        );
        lines + &all
    };
    let results = reported(full, ArtifactType::Results, &failure.results);
    out.extend(labels("Results:").zip(&results).map(|(l, a)| line(l, a)));
    out
}

/// `ticket logs`: the LOGS of the failure report (or with `all`, every
/// LOGS artifact), printed after a header each, or saved under `dir`.
fn logs(
    id: u64,
    all: bool,
    dir: Option<&Path>,
    clobber: bool,
    settings: &Settings,
    client: &Client,
) -> Result<(), CliError> {
    artifact::refuse_json(settings, "ticket logs")?;
    let full = client.full_ticket(id)?.model;
    let logs: Vec<Located> = match &full.failure {
        _ if all => located(&full)
            .into_iter()
            .filter(|a| a.kind == ArtifactType::Logs)
            .collect(),
        Some(failure) => reported(&full, ArtifactType::Logs, &failure.logs),
        None => {
            let state = &full.ticket.state;
            return Err(CliError::Fetch {
                message: format!(
                    "ticket {id} has not failed: it is at {} — {}",
                    state.current_workflow_step_display, state.status_display
                ),
                hint: format!(
                    "`ticketctl ticket logs {id} --all` prints the logs of the ticket and its subtickets"
                ),
                code: exit::CONFLICT,
            });
        }
    };
    if logs.is_empty() {
        return Err(no_logs(&full, all));
    }
    match dir {
        Some(dir) => save_logs(&logs, dir, clobber, client),
        None => {
            for (i, log) in logs.iter().enumerate() {
                let gap = if i == 0 { "" } else { "\n" };
                download::print_raw(
                    format!("{gap}==> {}: {} <==\n", log.owner(), log.name).as_bytes(),
                )?;
                let fetched = client.fetch(log.reference)?;
                let bar = artifact::progress(client, &Target::Stdout, fetched.size, log.name);
                download::save(fetched, &Target::Stdout, &bar)?;
            }
            Ok(())
        }
    }
}

/// Why `ticket logs` has nothing to show for a ticket with no LOGS where
/// it looked.
fn no_logs(full: &FullTicket, all: bool) -> CliError {
    let id = full.ticket.id;
    let message = match &full.failure {
        _ if all => format!("ticket {id} and its subtickets have no LOGS artifact"),
        Some(failure) => {
            let on = match (
                &failure.subticket,
                &failure.source_package,
                &failure.version,
            ) {
                (Some(sub), Some(source), Some(version)) => format!(
                    "subticket {} ({source} {version}) or to the ticket",
                    uri_id(sub)
                ),
                _ => "the ticket".to_string(),
            };
            format!(
                "ticket {id} failed at {}, but no LOGS artifact is attached to {on}",
                failure.step_display
            )
        }
        None => format!("ticket {id} has no LOGS artifact"),
    };
    CliError::Fetch {
        message,
        hint: format!(
            "`ticketctl ticket show {id}` lists its artifacts; landers attach logs with `ticketctl artifact add --type LOGS`"
        ),
        code: exit::NOT_FOUND,
    }
}

/// Save each log as DIR/subticket-N/NAME (DIR/ticket-N/NAME for the
/// ticket's own), printing each path; a name met twice in one folder is
/// saved the second time as ID-NAME. Nothing is fetched if a file exists
/// and may not be replaced.
fn save_logs(logs: &[Located], dir: &Path, clobber: bool, client: &Client) -> Result<(), CliError> {
    let mut taken = HashSet::new();
    let mut targets = Vec::new();
    for log in logs {
        let folder = match log.on {
            On::Ticket(id) => format!("ticket-{id}"),
            On::Subticket(id) => format!("subticket-{id}"),
        };
        // A name that is no file name (`..`, `logs/`) is saved by its id.
        let name = download::file_name(log.name)
            .unwrap_or_else(|_| format!("artifact-{}", log.id.unwrap_or_default()));
        let mut path: PathBuf = dir.join(&folder).join(&name);
        if !taken.insert(path.clone()) {
            let id = log.id.map(|id| id.to_string()).unwrap_or_default();
            path = dir.join(&folder).join(format!("{id}-{name}"));
            taken.insert(path.clone());
        }
        let target = Target::File { path, clobber };
        target.check()?;
        targets.push(target);
    }
    for (log, target) in logs.iter().zip(&targets) {
        let Target::File { path, .. } = target else {
            continue;
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|e| CliError::usage(format!("cannot create {}: {e}", folder.display())))?;
        }
        let fetched = client.fetch(log.reference)?;
        let bar = artifact::progress(client, target, fetched.size, log.name);
        download::save(fetched, target, &bar)?;
        output::print(&path.display().to_string());
    }
    Ok(())
}
