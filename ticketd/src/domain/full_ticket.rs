//! The full ticket: the ticket with its subtickets (uploads expanded),
//! artifacts, failure report, history and progress (queue position and
//! ETA), loaded in one snapshot and in a fixed number of queries whatever
//! the page size.

use std::collections::HashMap;

use shared::Step;
use shared::models::{FullSubticket, FullTicket, NestedUpload};

use super::progress::Progress;
use super::{DomainError, failure};
use crate::store::{
    EventRow, SubticketArtifactRow, SubticketRow, TicketArtifactRow, TicketRow, Tx,
    UploadWithSourceRow, now_micros, timestamp,
};

/// Expand ticket rows (one page of a list, or one ticket) into full tickets.
pub async fn expand(tx: &mut Tx, tickets: Vec<TicketRow>) -> Result<Vec<FullTicket>, DomainError> {
    let ticket_ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let subtickets = tx.subtickets_of(&ticket_ids).await?;
    let subticket_ids: Vec<i64> = subtickets.iter().map(|s| s.id).collect();
    let upload_ids: Vec<i64> = subtickets.iter().map(|s| s.spu_id).collect();
    let uploads = tx
        .uploads_with_source(&upload_ids)
        .await?
        .iter()
        .map(UploadWithSourceRow::to_nested)
        .collect();
    let parts = Parts {
        subtickets,
        uploads,
        subticket_artifacts: tx.artifacts_of(&subticket_ids).await?,
        ticket_artifacts: tx.artifacts_of(&ticket_ids).await?,
        events: tx.events_of(&ticket_ids).await?,
    };
    let progress = Progress::load(tx, &tickets, now_micros()).await?;
    assemble(tickets, parts, &progress)
}

/// Everything that hangs off a set of tickets, each list in id order.
pub struct Parts {
    pub subtickets: Vec<SubticketRow>,
    pub uploads: Vec<NestedUpload>,
    pub subticket_artifacts: Vec<SubticketArtifactRow>,
    pub ticket_artifacts: Vec<TicketArtifactRow>,
    pub events: Vec<EventRow>,
}

/// The models of `rows` by the id of their owner, in the rows' order;
/// `split` gives a row's owner and model.
fn group_by<R, T>(rows: Vec<R>, split: impl Fn(&R) -> (i64, T)) -> HashMap<i64, Vec<T>> {
    let mut groups: HashMap<i64, Vec<T>> = HashMap::new();
    for row in &rows {
        let (owner, model) = split(row);
        groups.entry(owner).or_default().push(model);
    }
    groups
}

/// Put full tickets together from their rows (loaded by [`expand`], or
/// just written by a bundle, which then need not read them back) and
/// their progress.
pub fn assemble(
    tickets: Vec<TicketRow>,
    parts: Parts,
    progress: &Progress,
) -> Result<Vec<FullTicket>, DomainError> {
    let Parts {
        subtickets,
        uploads,
        subticket_artifacts,
        ticket_artifacts: ticket_artifact_rows,
        events: event_rows,
    } = parts;
    let uploads: HashMap<i64, NestedUpload> = uploads.into_iter().map(|u| (u.id, u)).collect();
    let mut sub_artifacts = group_by(subticket_artifacts, |a| (a.subticket_id, a.to_model()));
    let mut ticket_artifacts = group_by(ticket_artifact_rows, |a| (a.ticket_id, a.to_model()));
    let mut events = group_by(event_rows, |e| (e.ticket_id, e.to_model()));
    let mut full_subtickets: HashMap<i64, Vec<FullSubticket>> = HashMap::new();
    for s in subtickets {
        let Some(upload) = uploads.get(&s.spu_id) else {
            return Err(DomainError::Internal(
                format!("subticket {} names a missing upload", s.id).into(),
            ));
        };
        let model = s.to_model();
        full_subtickets
            .entry(s.ticket_id)
            .or_default()
            .push(FullSubticket {
                id: model.id,
                resource_uri: model.resource_uri,
                ticket: model.ticket,
                source_package_upload: upload.clone(),
                assignee: model.assignee,
                state: model.state,
                created: model.created,
                updated: model.updated,
                artifacts: sub_artifacts.remove(&s.id).unwrap_or_default(),
            });
    }
    Ok(tickets
        .into_iter()
        .map(|t| {
            let subtickets = full_subtickets.remove(&t.id).unwrap_or_default();
            let artifacts = ticket_artifacts.remove(&t.id).unwrap_or_default();
            let failure = (t.current_workflow_step == Step::Failed).then(|| {
                let step = t
                    .failed_step
                    .and_then(Step::from_code)
                    .unwrap_or(Step::Failed);
                failure::report(
                    step,
                    t.failure_message.clone(),
                    t.failed_subticket_id,
                    &subtickets,
                    &artifacts,
                )
            });
            FullTicket {
                ticket: t.to_model("fullticket"),
                in_step_since: Some(timestamp(t.in_step_since)),
                queue_position: progress.queue_position(&t),
                eta: progress.eta(&t),
                subtickets,
                artifacts,
                failure,
                history: events.remove(&t.id).unwrap_or_default(),
            }
        })
        .collect())
}
