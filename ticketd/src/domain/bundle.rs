//! The Bundle API: a whole submission — ticket, source packages (found or
//! created by name), uploads, subtickets, artifacts — in one transaction,
//! queued unless asked not to, and made safe to retry with an
//! `Idempotency-Key`.

use std::collections::HashMap;

use serde_json::Value;
use sha2::{Digest, Sha256};
use shared::bundle::{BundleArtifact, BundleRequest};
use shared::error::FieldErrors;
use shared::{ArtifactType, EventKind, Status, Step};

use super::create::{artifact_message, check_blobs, ticket_insert};
use super::progress::{Progress, StepTimes};
use super::{Caller, DomainError, full_ticket};
use crate::blobs::BlobStore;
use crate::store::{
    ArtifactInsert, Detail, EventInsert, Store, StoreError, SubticketArtifactRow,
    TicketArtifactRow, TicketInsert, Tx, UploadWithSourceRow, now_micros,
};

/// How large a bundle may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BundleLimits {
    pub max_uploads: usize,
    pub max_artifacts: usize,
}

impl Default for BundleLimits {
    fn default() -> Self {
        BundleLimits {
            max_uploads: 100,
            max_artifacts: 1000,
        }
    }
}

/// How long idempotency keys are kept (at least the 24 hours promised).
const KEY_LIFETIME_MICROS: i64 = 48 * 3600 * 1_000_000;

/// What a submission did.
#[derive(Debug)]
pub enum Outcome {
    /// A new ticket: its id and full representation.
    Created(i64, Value),
    /// A retry of a key already answered: the first answer.
    Replayed(Value),
}

fn limits_check(request: &BundleRequest, limits: BundleLimits) -> Result<(), DomainError> {
    let mut too_many = FieldErrors::default();
    if request.uploads.len() > limits.max_uploads {
        too_many.add(
            "uploads",
            format!(
                "at most {} uploads per bundle (got {})",
                limits.max_uploads,
                request.uploads.len()
            ),
        );
    }
    if request.artifact_count() > limits.max_artifacts {
        too_many.add(
            "artifacts",
            format!(
                "at most {} artifacts per bundle (got {})",
                limits.max_artifacts,
                request.artifact_count()
            ),
        );
    }
    if too_many.is_empty() {
        Ok(())
    } else {
        Err(DomainError::TooLarge(too_many))
    }
}

fn key_problem(key: &str) -> Option<&'static str> {
    let ok = !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic());
    (!ok).then_some("must be 1–255 visible ASCII characters")
}

/// Submit a bundle. `key` is the `Idempotency-Key`, if sent.
pub async fn submit(
    store: &Store,
    blobs: &BlobStore,
    limits: BundleLimits,
    request: &BundleRequest,
    key: Option<&str>,
    caller: &Caller,
) -> Result<Outcome, DomainError> {
    limits_check(request, limits)?;
    let mut errors = FieldErrors::default();
    if let Some(problem) = key.and_then(key_problem) {
        errors.add("Idempotency-Key", problem);
    }
    request.validate(&mut errors);
    check_blobs(blobs, &request.references(), &mut errors).await?;
    errors.into_result()?;
    caller.may_act_for(None, &request.ticket.owner)?;

    let scoped_key = key.map(|k| format!("{}\n{k}", caller.name.as_deref().unwrap_or("")));
    let hash = hex::encode(Sha256::digest(
        serde_json::to_vec(request)
            .map_err(|e| DomainError::Internal(Detail::caused_by(e.to_string(), e)))?,
    ));
    // The answer's ETA needs the recent history: read it before the write
    // transaction, which it would otherwise lengthen.
    let times = if request.queue {
        Some(StepTimes::load(&mut store.read().await?).await?)
    } else {
        None
    };
    let mut tx = store.write().await?;
    if let Some(scoped) = &scoped_key
        && let Some(first) = replay(&mut tx, scoped, &hash).await?
    {
        // The first answer may still be on its way to disk.
        tx.commit().await?;
        return Ok(first);
    }
    let (ticket_id, response) = create(&mut tx, request, caller, times).await?;
    if let Some(scoped) = &scoped_key {
        let now = now_micros();
        match tx
            .insert_idempotent_result(scoped, &hash, ticket_id, &response.to_string(), now)
            .await
        {
            // A concurrent request with this key committed first: answer as it did.
            Err(StoreError::Conflict(_)) => {
                drop(tx);
                let mut again = store.write().await?;
                let first = replay(&mut again, scoped, &hash)
                    .await?
                    .ok_or_else(|| DomainError::Internal("idempotency key vanished".into()))?;
                again.commit().await?;
                return Ok(first);
            }
            other => other?,
        }
        tx.purge_idempotency_keys(now - KEY_LIFETIME_MICROS).await?;
    }
    tx.commit().await?;
    Ok(Outcome::Created(ticket_id, response))
}

/// The first answer to `scoped_key`, if there is one and the body matches.
async fn replay(tx: &mut Tx, scoped_key: &str, hash: &str) -> Result<Option<Outcome>, DomainError> {
    let Some(first) = tx.idempotent_result(scoped_key).await? else {
        return Ok(None);
    };
    if first.request_hash != hash {
        return Err(DomainError::IdempotencyConflict(
            "this Idempotency-Key was used with a different body; use a new key for a new submission".into(),
        ));
    }
    let body = serde_json::from_str(&first.response).map_err(|e| {
        DomainError::Internal(Detail::caused_by(format!("stored response: {e}"), e))
    })?;
    Ok(Some(Outcome::Replayed(body)))
}

fn artifact_insert(
    owner_id: i64,
    artifact: &BundleArtifact,
    allowed: &[ArtifactType],
) -> Result<ArtifactInsert, DomainError> {
    // Validated already; a parse failure here would be a bug, not bad input.
    let kind = ArtifactType::parse_among(&artifact.kind, allowed)
        .map_err(|e| DomainError::field("type", e))?;
    Ok(ArtifactInsert {
        owner_id,
        name: artifact.name.trim().to_string(),
        reference: artifact.reference.clone(),
        kind,
    })
}

/// Create every row of the bundle in `tx`; the ticket id and full ticket.
/// A fixed number of round trips whatever the bundle's size: one
/// multi-row insert per table, and the answer put together from the rows
/// written rather than read back.
async fn create(
    tx: &mut Tx,
    request: &BundleRequest,
    caller: &Caller,
    times: Option<StepTimes>,
) -> Result<(i64, Value), DomainError> {
    let now = now_micros();
    let actor = caller.name.as_deref();
    let new = &request.ticket;
    // Queued on submission: created at Queued, with both events recorded.
    let (step, status) = if request.queue {
        (Step::Queued, Status::NotStarted)
    } else {
        (Step::New, Status::NotStarted)
    };
    let ticket = tx
        .insert_ticket(
            &TicketInsert {
                step,
                status,
                ..ticket_insert(new)
            },
            now,
        )
        .await?;

    let names: Vec<&str> = request
        .uploads
        .iter()
        .map(|u| u.sourcepackage.as_str())
        .collect();
    let sources = tx.ensure_source_packages(&names, now).await?;
    let source_id = |name: &str| {
        sources.get(name).copied().ok_or_else(|| {
            DomainError::Internal(format!("source package {name} not found after insert").into())
        })
    };
    let upload_keys = request
        .uploads
        .iter()
        .map(|u| Ok((source_id(&u.sourcepackage)?, u.version.as_str())))
        .collect::<Result<Vec<_>, DomainError>>()?;
    let uploads = tx.insert_uploads(&upload_keys, now).await?;
    in_order("upload", &uploads, &upload_keys, |u, (source, version)| {
        u.sourcepackage_id == *source && u.version == *version
    })?;
    let assigned: Vec<(i64, &str)> = uploads
        .iter()
        .zip(&request.uploads)
        .map(|(spu, upload)| (spu.id, upload.assignee.as_deref().unwrap_or(&new.owner)))
        .collect();
    let subtickets = tx
        .insert_subtickets(ticket.id, &assigned, step, status, now)
        .await?;
    in_order("subticket", &subtickets, &assigned, |s, (spu, assignee)| {
        s.spu_id == *spu && s.assignee == *assignee
    })?;

    let mut messages = Vec::new();
    let mut subticket_artifacts = Vec::new();
    for (sub, upload) in subtickets.iter().zip(&request.uploads) {
        for artifact in &upload.artifacts {
            let insert = artifact_insert(sub.id, artifact, ArtifactType::FOR_SUBTICKET)?;
            messages.push((Some(sub.id), artifact_message(&insert)));
            subticket_artifacts.push(insert);
        }
    }
    let mut ticket_artifacts = Vec::new();
    for artifact in &request.artifacts {
        let insert = artifact_insert(ticket.id, artifact, ArtifactType::FOR_TICKET)?;
        messages.push((None, artifact_message(&insert)));
        ticket_artifacts.push(insert);
    }
    let subticket_artifacts: Vec<SubticketArtifactRow> =
        tx.insert_artifacts(&subticket_artifacts, now).await?;
    let ticket_artifacts: Vec<TicketArtifactRow> =
        tx.insert_artifacts(&ticket_artifacts, now).await?;

    // History order: creations, artifacts, then the queueing.
    let event = |subticket_id, kind, message| EventInsert {
        ticket_id: ticket.id,
        subticket_id,
        kind: Some(kind),
        message,
        actor,
        ..Default::default()
    };
    let created = |subticket_id| EventInsert {
        to: Some((Step::New, Status::NotStarted)),
        ..event(subticket_id, EventKind::Created, None)
    };
    let queued = |subticket_id, message| EventInsert {
        from: Some((Step::New, Status::NotStarted)),
        to: Some((Step::Queued, Status::NotStarted)),
        ..event(subticket_id, EventKind::Status, Some(message))
    };
    let mut history = vec![created(None)];
    history.extend(subtickets.iter().map(|sub| created(Some(sub.id))));
    history.extend(
        messages.iter().map(|(subticket_id, message)| {
            event(*subticket_id, EventKind::Artifact, Some(message))
        }),
    );
    if request.queue {
        history.push(queued(None, "queued on submission"));
        history.extend(
            subtickets
                .iter()
                .map(|sub| queued(Some(sub.id), "queued with its ticket")),
        );
    }
    let events = tx.insert_events(&history, now).await?;

    let names_by_id: HashMap<i64, &str> = sources.iter().map(|(n, id)| (*id, n.as_str())).collect();
    let nested = uploads
        .iter()
        .map(|u| {
            UploadWithSourceRow {
                id: u.id,
                sourcepackage_id: u.sourcepackage_id,
                version: u.version.clone(),
                created: u.created,
                sourcepackage_name: names_by_id
                    .get(&u.sourcepackage_id)
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
            }
            .to_nested()
        })
        .collect();
    let parts = full_ticket::Parts {
        subtickets,
        uploads: nested,
        subticket_artifacts,
        ticket_artifacts,
        events,
    };
    let ticket_id = ticket.id;
    let progress = Progress::with_times(tx, std::slice::from_ref(&ticket), times, now).await?;
    let body = full_ticket::assemble(vec![ticket], parts, &progress)?
        .pop()
        .ok_or(StoreError::NotFound)?;
    let value = serde_json::to_value(&body)
        .map_err(|e| DomainError::Internal(Detail::caused_by(e.to_string(), e)))?;
    Ok((ticket_id, value))
}

/// Rows inserted in one statement come back sorted by id; check that is
/// the order they were given in (ids are assigned in `VALUES` order), so
/// that a surprise in a backend is an error, never a mix-up.
fn in_order<R, K>(
    what: &str,
    rows: &[R],
    given: &[K],
    matches: impl Fn(&R, &K) -> bool,
) -> Result<(), DomainError> {
    if rows.len() == given.len() && rows.iter().zip(given).all(|(row, k)| matches(row, k)) {
        Ok(())
    } else {
        Err(DomainError::Internal(
            format!("the {what} rows inserted did not come back in the order given").into(),
        ))
    }
}
