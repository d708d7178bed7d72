//! `GET /ticket/{id}`: one ticket as `fullticket/` has it — a stepper
//! across the stages, one row per subticket with its own, the failure
//! report, the artifacts with links, and the history, newest first.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use shared::EventKind;
use shared::models::{Event, FullTicket};

use super::view::{self, Link, Stage, When};
use super::{Layout, render};
use crate::api::ApiError;
use crate::domain::full_ticket;
use crate::state::AppState;
use crate::store::{TICKET, TicketRow};

struct SubticketView {
    id: i64,
    package: String,
    version: String,
    assignee: String,
    stages: Vec<Stage>,
    state: String,
    artifacts: Vec<ArtifactView>,
}

struct ArtifactView {
    kind: &'static str,
    link: Link,
    when: When,
}

struct FailureView {
    /// `Package Building, subticket 4 (foo 1.2-3)`.
    place: String,
    message: Option<String>,
    logs: Vec<Link>,
    results: Vec<Link>,
    action: String,
}

struct HistoryView {
    when: When,
    /// `ticket` or `subticket 4 (foo 1.2-3)`.
    subject: String,
    what: String,
    message: Option<String>,
    actor: Option<String>,
}

#[derive(Template)]
#[template(path = "web/ticket.html")]
struct TicketPage {
    layout: Layout,
    id: i64,
    title: String,
    description: String,
    owner: String,
    bug_id: Option<String>,
    ppa: Option<String>,
    base_image: Option<String>,
    references: Vec<Link>,
    created: When,
    updated: When,
    state: String,
    stages: Vec<Stage>,
    /// When it entered its step.
    in_step_since: Option<When>,
    /// Queued tickets ahead of it (0: it is next), at step 100.
    queue_position: Option<i64>,
    /// When it should complete, from the recent tickets' step times.
    expected_completion: Option<When>,
    subtickets: Vec<SubticketView>,
    failure: Option<FailureView>,
    artifacts: Vec<ArtifactView>,
    history: Vec<HistoryView>,
}

/// `GET /ticket/{id}`: the page, or a 404 page naming the ticket.
pub async fn page(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let id = raw_id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0 && raw_id.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "there is no ticket `{raw_id}`: tickets are numbered 1, 2, 3…"
            ))
        })?;
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        return Err(ApiError::invalid_filter(format!(
            "this page takes no query parameters (got `{query}`)"
        )));
    }
    // As on `/`: the stream starts after the newest event read before the
    // snapshot.
    let cursor = state.store.latest_event_id().await?;
    let mut tx = state.store.read().await?;
    let row = tx.get::<TicketRow>(&TICKET, id).await?.ok_or_else(|| {
        ApiError::not_found(format!(
            "there is no ticket {id}: no ticket has that number"
        ))
    })?;
    let ticket = full_ticket::expand(&mut tx, vec![row])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("expanding one ticket gave none"))?;
    drop(tx);
    render(&view(ticket, cursor))
}

/// How long live.js gathers events before it refreshes a ticket: a status
/// change and its cascade (a failed subticket fails its ticket) come
/// together.
const TICKET_REFRESH_MS: u32 = 200;

fn view(ticket: FullTicket, cursor: i64) -> TicketPage {
    let subject_of = |event: &Event| match &event.subticket {
        None => "ticket".to_string(),
        Some(uri) => ticket
            .subtickets
            .iter()
            .find(|s| &s.resource_uri == uri)
            .map(|s| {
                format!(
                    "subticket {} ({} {})",
                    s.id,
                    s.source_package_upload.sourcepackage.name,
                    s.source_package_upload.version
                )
            })
            .unwrap_or_else(|| format!("subticket {uri}")),
    };
    let failure = ticket.failure.as_ref().map(|f| {
        let place = match (&f.source_package, &f.version, &f.subticket) {
            (Some(source), Some(version), Some(uri)) => {
                let id = uri.trim_end_matches('/').rsplit('/').next().unwrap_or(uri);
                format!("{}, subticket {id} ({source} {version})", f.step_display)
            }
            _ => format!("{}, the ticket itself", f.step_display),
        };
        let links = |references: &[String]| {
            references
                .iter()
                .map(|r| view::link(r, artifact_name(&ticket, r)))
                .collect::<Vec<_>>()
        };
        FailureView {
            place,
            message: f.message.clone(),
            logs: links(&f.logs),
            results: links(&f.results),
            action: f.action.clone(),
        }
    });
    let t = &ticket.ticket;
    TicketPage {
        layout: Layout::live(
            &format!("#{} {}", t.id, t.title),
            format!("/api/v1/events/?ticket={}&last_event_id={cursor}", t.id),
            TICKET_REFRESH_MS,
        ),
        id: t.id,
        title: t.title.clone(),
        description: t.description.clone(),
        owner: t.owner.clone(),
        bug_id: t.bug_id.clone(),
        ppa: t.ppa.clone(),
        base_image: t.base_image.clone(),
        references: t.references.iter().map(|r| view::link(r, None)).collect(),
        created: view::when(t.created),
        updated: view::when(t.updated),
        state: view::state_text(&t.state),
        stages: view::stages(&t.state),
        in_step_since: ticket.in_step_since.map(view::when),
        queue_position: ticket.queue_position,
        expected_completion: ticket
            .eta
            .as_ref()
            .and_then(|eta| eta.expected_completion)
            .map(view::when),
        subtickets: ticket
            .subtickets
            .iter()
            .map(|s| SubticketView {
                id: s.id,
                package: s.source_package_upload.sourcepackage.name.clone(),
                version: s.source_package_upload.version.clone(),
                assignee: s.assignee.clone(),
                stages: view::stages(&s.state),
                state: view::state_text(&s.state),
                artifacts: s
                    .artifacts
                    .iter()
                    .map(|a| artifact(a.kind.as_str(), &a.reference, &a.name, a.created))
                    .collect(),
            })
            .collect(),
        failure,
        artifacts: ticket
            .artifacts
            .iter()
            .map(|a| artifact(a.kind.as_str(), &a.reference, &a.name, a.created))
            .collect(),
        history: ticket
            .history
            .iter()
            .rev()
            .map(|event| HistoryView {
                when: view::when(event.created),
                subject: subject_of(event),
                what: what_happened(event),
                message: event.message.clone(),
                actor: event.actor.clone(),
            })
            .collect(),
    }
}

fn artifact(
    kind: &'static str,
    reference: &str,
    name: &str,
    created: chrono::DateTime<chrono::Utc>,
) -> ArtifactView {
    ArtifactView {
        kind,
        link: view::link(reference, Some(name)),
        when: view::when(created),
    }
}

/// The name of the artifact a reference belongs to (the failure report
/// lists references only).
fn artifact_name<'a>(ticket: &'a FullTicket, reference: &str) -> Option<&'a str> {
    let of_subtickets = ticket.subtickets.iter().flat_map(|s| {
        s.artifacts
            .iter()
            .map(|a| (a.reference.as_str(), a.name.as_str()))
    });
    let of_ticket = ticket
        .artifacts
        .iter()
        .map(|a| (a.reference.as_str(), a.name.as_str()));
    of_subtickets
        .chain(of_ticket)
        .find(|(r, _)| *r == reference)
        .map(|(_, name)| name)
}

/// An event in words: `created`, `Queued: Not Started → Package Building:
/// In Progress`, `artifact added`, `forced to …`.
fn what_happened(event: &Event) -> String {
    let position = |step: Option<shared::Step>, status: Option<shared::Status>| match (step, status)
    {
        (Some(step), Some(status)) => format!("{}: {}", step.display_name(), status.display_name()),
        (Some(step), None) => step.display_name().to_string(),
        _ => "?".to_string(),
    };
    let to = position(event.to_step, event.to_status);
    let from = position(event.from_step, event.from_status);
    match event.kind {
        EventKind::Created => "created".to_string(),
        EventKind::Artifact => "artifact added".to_string(),
        EventKind::Status if event.from_step.is_some() => format!("{from} → {to}"),
        EventKind::Status => format!("→ {to}"),
        EventKind::Forced => format!("forced: {from} → {to}"),
    }
}
