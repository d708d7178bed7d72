//! `watch ID` (and `submit --wait`): follow a ticket through the server's
//! event stream, one line per change, until it completes (exit 0) or fails
//! (exit 6, with the failure report), or `--timeout` comes (exit 7). A lost
//! connection or a restarted server is resumed from the last event seen,
//! with backoff; a stream that sends nothing, not even its heartbeat, for
//! [`SILENCE`] counts as lost.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, IsTerminal};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use shared::models::{Event, FullTicket};
use shared::{EventKind, Step};

use super::ticket::failure_report;
use crate::client::Client;
use crate::config::Settings;
use crate::error::{CliError, exit};
use crate::output::{self, uri_id};

/// Three missed heartbeats (the server sends one every 15 s).
const SILENCE: Duration = Duration::from_secs(45);
/// Waits between reconnections; the last one repeats.
const BACKOFF: [Duration; 5] = [
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
    Duration::from_secs(8),
    Duration::from_secs(15),
];

/// What the stream's reader thread passes on.
enum Message {
    Event(Box<Event>, Value),
    /// Bytes arrived (a heartbeat or a hint): the connection lives.
    Alive,
    /// The stream ended or broke.
    Closed(String),
}

/// Where a watch stands: the ticket as last read, and the newest event
/// seen, shared with the Ctrl-C handler so that it can say how to resume.
struct Progress {
    ticket: u64,
    last_event: i64,
}

pub fn run(
    id: u64,
    timeout: Option<Duration>,
    settings: &Settings,
    client: &Client,
) -> Result<(), CliError> {
    let started = Instant::now();
    let mut full = client.full_ticket(id)?.model;
    let last_event = full.history.iter().map(|e| e.id).max().unwrap_or(0);
    let progress = Arc::new(Mutex::new(Progress {
        ticket: id,
        last_event,
    }));
    on_interrupt(progress.clone());
    if !settings.json {
        print_header(&full);
    }
    if let Some(end) = finished(&full, settings, client) {
        return end;
    }
    let mut names = subticket_names(&full);
    let mut attempt = 0usize;
    loop {
        let after = lock(&progress).last_event;
        if timeout.is_some_and(|t| started.elapsed() >= t) {
            return timed_out(id, timeout, settings, client);
        }
        let messages = match client.event_stream(id, after) {
            Ok(response) => read_in_background(response),
            Err(err @ (CliError::Server { .. } | CliError::Unexpected { .. })) => {
                // The server answers, and refuses: no retry will help, but
                // 503 (too many streams, a database outage) may pass.
                if !matches!(&err, CliError::Server { status: 503, .. }) {
                    return Err(err);
                }
                reconnect_later(&err.to_string(), &mut attempt, after, settings);
                continue;
            }
            Err(err) => {
                reconnect_later(&err.to_string(), &mut attempt, after, settings);
                continue;
            }
        };
        loop {
            let wait = match timeout {
                Some(t) => SILENCE.min(t.saturating_sub(started.elapsed())),
                None => SILENCE,
            };
            match messages.recv_timeout(wait) {
                Ok(Message::Alive) => {}
                Ok(Message::Event(event, json)) => {
                    attempt = 0;
                    lock(&progress).last_event = event.id;
                    if event
                        .subticket
                        .as_ref()
                        .is_some_and(|s| !names.contains_key(s))
                    {
                        full = client.full_ticket(id)?.model;
                        names = subticket_names(&full);
                    }
                    print_event(&event, &json, &names, settings);
                    if ends_the_ticket(&event) {
                        let answer = client.full_ticket(id)?;
                        // The rest of the last change (its subtickets',
                        // committed with it), from the history at once.
                        let history = answer.json["history"].as_array().cloned();
                        for (event, json) in
                            answer.model.history.iter().zip(history.unwrap_or_default())
                        {
                            if event.id > lock(&progress).last_event {
                                lock(&progress).last_event = event.id;
                                print_event(event, &json, &names, settings);
                            }
                        }
                        full = answer.model;
                        if let Some(end) = finished(&full, settings, client) {
                            return end;
                        }
                    }
                }
                Ok(Message::Closed(why)) => {
                    reconnect_later(&why, &mut attempt, lock(&progress).last_event, settings);
                    break;
                }
                Err(RecvTimeoutError::Timeout)
                    if timeout.is_some_and(|t| started.elapsed() >= t) =>
                {
                    return timed_out(id, timeout, settings, client);
                }
                Err(RecvTimeoutError::Timeout) => {
                    let why = format!(
                        "nothing came for {}s, not even a heartbeat",
                        SILENCE.as_secs()
                    );
                    reconnect_later(&why, &mut attempt, lock(&progress).last_event, settings);
                    break;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let after = lock(&progress).last_event;
                    reconnect_later("the stream ended", &mut attempt, after, settings);
                    break;
                }
            }
        }
    }
}

fn lock(progress: &Mutex<Progress>) -> std::sync::MutexGuard<'_, Progress> {
    progress
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// On Ctrl-C, say where the watch stopped and how to go on, and exit 130
/// (as a shell reports an interrupted command).
fn on_interrupt(progress: Arc<Mutex<Progress>>) {
    let _ = ctrlc::set_handler(move || {
        let at = lock(&progress);
        eprintln!(
            "\nstopped watching ticket {} (after event {}); the ticket moves on without you: \
             `ticketctl watch {}` follows it again",
            at.ticket, at.last_event, at.ticket
        );
        std::process::exit(130);
    });
}

/// Say that the stream is lost and wait before the next try.
fn reconnect_later(why: &str, attempt: &mut usize, after: i64, settings: &Settings) {
    let wait = BACKOFF[(*attempt).min(BACKOFF.len() - 1)];
    *attempt += 1;
    if !settings.quiet {
        eprintln!(
            "lost the event stream ({why}); reconnecting in {}s, from event {after}",
            wait.as_secs()
        );
    }
    std::thread::sleep(wait);
}

/// Read the stream on a thread of its own, so that the watch can notice a
/// silent connection: a blocking read cannot time out by itself.
fn read_in_background(response: reqwest::blocking::Response) -> mpsc::Receiver<Message> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut data = String::new();
        for line in BufReader::new(response).lines() {
            let line = match line {
                Ok(line) => line,
                Err(err) => {
                    let _ = send.send(Message::Closed(err.to_string()));
                    return;
                }
            };
            let message = if let Some(value) = line.strip_prefix("data:") {
                data.push_str(value.strip_prefix(' ').unwrap_or(value));
                Message::Alive
            } else if line.is_empty() && !data.is_empty() {
                let text = std::mem::take(&mut data);
                match serde_json::from_str::<Value>(&text) {
                    Ok(json) => match serde_json::from_value::<Event>(json.clone()) {
                        Ok(event) => Message::Event(Box::new(event), json),
                        Err(err) => Message::Closed(format!("an event we cannot read: {err}")),
                    },
                    Err(err) => Message::Closed(format!("an event that is not JSON: {err}")),
                }
            } else {
                // `id:`, `retry:`, a `:` heartbeat, a blank line.
                Message::Alive
            };
            if send.send(message).is_err() {
                return;
            }
        }
        let _ = send.send(Message::Closed("the server ended the stream".into()));
    });
    receive
}

/// "foo 1.2-3" for each subticket's URI.
fn subticket_names(full: &FullTicket) -> HashMap<String, String> {
    full.subtickets
        .iter()
        .map(|s| {
            let upload = &s.source_package_upload;
            (
                s.resource_uri.clone(),
                format!("{} {}", upload.sourcepackage.name, upload.version),
            )
        })
        .collect()
}

fn print_header(full: &FullTicket) {
    let t = &full.ticket;
    output::print(&format!(
        "ticket {}: {} — {}: {}",
        t.id,
        t.title,
        output::state(&t.state.current_workflow_step_display),
        output::state(&t.state.status_display)
    ));
    for (label, text) in output::whereabouts(full, chrono::Utc::now()) {
        output::print(&format!("  {label:<9}{text}"));
    }
}

/// An event as NDJSON with `--json`, else as a line.
fn print_event(event: &Event, json: &Value, names: &HashMap<String, String>, settings: &Settings) {
    if settings.json {
        output::print(&json.to_string());
    } else {
        output::print(&line(event, names));
    }
}

/// One line per change, like Koji's `watch-task`: the time, what moved
/// (subtickets indented under their ticket), the change, and who made it.
fn line(event: &Event, names: &HashMap<String, String>) -> String {
    let who = event
        .subticket
        .as_ref()
        .map(|s| {
            let name = names.get(s).cloned().unwrap_or_default();
            format!("  subticket {} {name}", uri_id(s))
        })
        .unwrap_or_else(|| format!("ticket {}", uri_id(&event.ticket)));
    let change = match (
        event.kind,
        event.from_step,
        event.from_status,
        event.to_step,
        event.to_status,
    ) {
        (EventKind::Created, _, _, Some(step), Some(status)) => {
            format!("created at {} {step}: {status}", step.code())
        }
        (_, Some(from_step), Some(from_status), Some(step), Some(status)) if from_step == step => {
            format!(
                "{} {step}: {from_status} -> {}",
                step.code(),
                output::state(&status.to_string())
            )
        }
        (_, Some(from_step), _, Some(step), Some(status)) => format!(
            "{} {}: {} (from {from_step})",
            step.code(),
            output::state(&step.to_string()),
            output::state(&status.to_string())
        ),
        _ => event.message.clone().unwrap_or_default(),
    };
    let forced = if event.kind == EventKind::Forced {
        " [forced]"
    } else {
        ""
    };
    let message = match (event.kind, &event.message) {
        (EventKind::Artifact, _) | (_, None) => String::new(),
        (_, Some(message)) => format!(" — {message}"),
    };
    let actor = event
        .actor
        .as_deref()
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    format!(
        "{}  {who}  {change}{forced}{message}{actor}",
        output::clock(&event.created)
    )
}

/// A status event that leaves the ticket itself Complete or Failed.
fn ends_the_ticket(event: &Event) -> bool {
    event.subticket.is_none() && event.to_step.is_some_and(Step::is_terminal)
}

/// `Some` when the ticket has finished: `Ok` when Complete (a summary
/// printed), the failure report printed and exit 6 when Failed.
fn finished(
    full: &FullTicket,
    settings: &Settings,
    client: &Client,
) -> Option<Result<(), CliError>> {
    let t = &full.ticket;
    match t.state.current_workflow_step {
        Step::Complete => {
            if !settings.json {
                output::print(&format!(
                    "ticket {} is {} (since {})",
                    t.id,
                    output::state("Complete"),
                    output::when(&t.updated)
                ));
            }
            Some(Ok(()))
        }
        Step::Failed => {
            if !settings.json {
                let terminal = std::io::stdout().is_terminal();
                output::print(failure_report(full, client, terminal).trim_end());
            }
            let at = full
                .failure
                .as_ref()
                .map(|f| format!(" at {}", f.step_display))
                .unwrap_or_default();
            Some(Err(CliError::Watched {
                message: format!("ticket {} failed{at}", t.id),
                hint: format!("`ticketctl ticket logs {}` prints its logs", t.id),
                code: exit::TICKET_FAILED,
            }))
        }
        _ => None,
    }
}

/// The timeout came: the ticket may have finished just then; else it is
/// still moving (exit 7).
fn timed_out(
    id: u64,
    timeout: Option<Duration>,
    settings: &Settings,
    client: &Client,
) -> Result<(), CliError> {
    let full = client.full_ticket(id)?.model;
    if let Some(end) = finished(&full, settings, client) {
        return end;
    }
    let t = &full.ticket;
    let after = timeout
        .map(|d| humantime::format_duration(d).to_string())
        .unwrap_or_default();
    Err(CliError::Watched {
        message: format!(
            "ticket {} is still at {}: {} after {after}",
            t.id, t.state.current_workflow_step_display, t.state.status_display,
        ),
        hint: format!("`ticketctl watch {}` follows it again", t.id),
        code: exit::STILL_RUNNING,
    })
}
