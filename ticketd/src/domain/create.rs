//! Creating objects: validation that needs no database first, then the
//! references and state checks, the insert and its event, in one
//! transaction each.

use shared::error::FieldErrors;
use shared::requests::{
    NewPerson, NewSourcePackage, NewSubticket, NewSubticketArtifact, NewTicket, NewTicketArtifact,
    NewUpload,
};
use shared::{ArtifactType, EventKind, Ref, Status, Step, resource_uri, validate};

use super::{Caller, DomainError};
use crate::blobs::BlobStore;
use crate::store::{
    ArtifactInsert, ArtifactRow, Detail, EventInsert, PersonRow, SOURCE_PACKAGE, SUBTICKET,
    SourcePackageRow, Store, StoreError, SubticketArtifactRow, SubticketRow, TICKET,
    TicketArtifactRow, TicketInsert, TicketRow, Tx, UPLOAD, UploadRow, now_micros,
};

/// Check blob references (`path`, reference) against the blob store;
/// problems by path.
pub async fn check_blobs(
    blobs: &BlobStore,
    references: &[(String, &str)],
    errors: &mut FieldErrors,
) -> Result<(), DomainError> {
    for (path, reference) in references {
        // Touched, not only looked at: `ticketd gc` keeps a blob used
        // after its cutoff (BlobStore::remove_if_stale).
        if let Some(digest) = validate::blob_reference(reference)
            && blobs
                .touch(digest)
                .await
                .map_err(|e| {
                    DomainError::Internal(Detail::caused_by(format!("blob store: {e}"), e))
                })?
                .is_none()
        {
            errors.add(
                path.clone(),
                format!("there is no blob {digest} on this server; upload it first"),
            );
        }
    }
    Ok(())
}

fn reference(errors: &mut FieldErrors, field: &str, value: &Ref, resource: &str) -> Option<i64> {
    errors.check(field, value.resolve(resource))
}

fn missing(field: &str, resource: &str, id: i64) -> DomainError {
    DomainError::InvalidReference {
        field: field.into(),
        problem: format!("there is no {resource} {id}"),
    }
}

/// Check an artifact's fields; blob references must name a stored blob.
async fn artifact_fields(
    blobs: &BlobStore,
    errors: &mut FieldErrors,
    name: &str,
    reference: &str,
    kind: &str,
    allowed: &[ArtifactType],
) -> Result<Option<ArtifactType>, DomainError> {
    errors.check(
        "name",
        validate::length(name.trim(), 1, validate::ARTIFACT_NAME_MAX),
    );
    if errors
        .check("reference", validate::reference(reference))
        .is_some()
    {
        check_blobs(blobs, &[("reference".to_string(), reference)], errors).await?;
    }
    Ok(errors.check("type", ArtifactType::parse_among(kind, allowed)))
}

/// The columns of a validated new ticket, with empty optional texts as null.
pub(super) fn ticket_insert(new: &NewTicket) -> TicketInsert {
    TicketInsert {
        title: new.title.trim().to_string(),
        description: new.description.clone().unwrap_or_default(),
        owner: new.owner.clone(),
        bug_id: new.bug_id.0.clone(),
        ppa: new.ppa.clone().filter(|p| !p.is_empty()),
        base_image: new.base_image.clone().filter(|b| !b.is_empty()),
        references: new.references.clone().unwrap_or_default(),
        step: Step::New,
        status: Status::NotStarted,
    }
}

/// The message of an artifact's event.
pub(super) fn artifact_message(insert: &ArtifactInsert) -> String {
    format!("{} artifact `{}` added", insert.kind, insert.name)
}

pub async fn ticket(
    store: &Store,
    new: &NewTicket,
    caller: &Caller,
) -> Result<TicketRow, DomainError> {
    let mut errors = FieldErrors::default();
    new.validate("", &mut errors);
    errors.into_result()?;
    caller.may_act_for(None, &new.owner)?;
    let now = now_micros();
    let mut tx = store.write().await?;
    let row = tx.insert_ticket(&ticket_insert(new), now).await?;
    tx.insert_event(&created_event(row.id, None, caller), now)
        .await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn source_package(
    store: &Store,
    new: &NewSourcePackage,
) -> Result<SourcePackageRow, DomainError> {
    let mut errors = FieldErrors::default();
    errors.check("name", validate::package_name(&new.name));
    errors.into_result()?;
    let duplicate = |existing: &SourcePackageRow| DomainError::Duplicate {
        message: format!("name: source package `{}` exists already", existing.name),
        existing: resource_uri("sourcepackage", existing.id),
    };
    let mut tx = store.write().await?;
    if let Some(existing) = tx.source_package_by_name(&new.name).await? {
        return Err(duplicate(&existing));
    }
    let row = tx.insert_source_package(&new.name, now_micros()).await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn upload(store: &Store, new: &NewUpload) -> Result<UploadRow, DomainError> {
    let mut errors = FieldErrors::default();
    let sourcepackage = reference(
        &mut errors,
        "sourcepackage",
        &new.sourcepackage,
        "sourcepackage",
    );
    errors.check("version", validate::version(&new.version));
    let (Some(sourcepackage), true) = (sourcepackage, errors.is_empty()) else {
        return Err(reference_or_validation(errors, &["sourcepackage"]));
    };
    let mut tx = store.write().await?;
    if tx
        .get::<SourcePackageRow>(&SOURCE_PACKAGE, sourcepackage)
        .await?
        .is_none()
    {
        return Err(missing("sourcepackage", "sourcepackage", sourcepackage));
    }
    let row = tx
        .insert_upload(sourcepackage, &new.version, now_micros())
        .await?;
    tx.commit().await?;
    Ok(row)
}

/// Errors of reference fields are `invalid_reference`; any other field
/// error makes the whole answer `validation_failed`.
fn reference_or_validation(errors: FieldErrors, reference_fields: &[&str]) -> DomainError {
    let only_references = errors
        .0
        .keys()
        .all(|k| reference_fields.contains(&k.as_str()));
    match errors.0.iter().next() {
        Some((field, problem)) if only_references && errors.0.len() == 1 => {
            DomainError::InvalidReference {
                field: field.clone(),
                problem: problem.clone(),
            }
        }
        _ => DomainError::Validation(errors),
    }
}

pub async fn subticket(
    store: &Store,
    new: &NewSubticket,
    caller: &Caller,
) -> Result<SubticketRow, DomainError> {
    let mut errors = FieldErrors::default();
    let ticket_id = reference(&mut errors, "ticket", &new.ticket, "ticket");
    let upload_id = reference(
        &mut errors,
        "source_package_upload",
        &new.source_package_upload,
        "spu",
    );
    if let Some(assignee) = &new.assignee {
        errors.check("assignee", validate::email(assignee));
    }
    let (Some(ticket_id), Some(upload_id), true) = (ticket_id, upload_id, errors.is_empty()) else {
        return Err(reference_or_validation(
            errors,
            &["ticket", "source_package_upload"],
        ));
    };
    let mut tx = store.write().await?;
    let ticket = tx
        .lock_ticket(ticket_id)
        .await?
        .ok_or_else(|| missing("ticket", "ticket", ticket_id))?;
    caller.may_act_for(Some(ticket_id), &ticket.owner)?;
    if ticket.current_workflow_step != Step::New {
        return Err(DomainError::Illegal(format!(
            "ticket {ticket_id} is at {} ({}); subtickets can be added only at step 0 (New)",
            ticket.current_workflow_step.code(),
            ticket.current_workflow_step.display_name()
        )));
    }
    if tx.get::<UploadRow>(&UPLOAD, upload_id).await?.is_none() {
        return Err(missing("source_package_upload", "spu", upload_id));
    }
    let assignee = new.assignee.clone().unwrap_or_else(|| ticket.owner.clone());
    let now = now_micros();
    let row = tx
        .insert_subticket(ticket_id, upload_id, &assignee, now)
        .await?;
    tx.insert_event(&created_event(ticket_id, Some(row.id), caller), now)
        .await?;
    tx.commit().await?;
    Ok(row)
}

/// The event of a ticket's (or, with `subticket_id`, a subticket's)
/// creation at step 0 (New).
fn created_event(ticket_id: i64, subticket_id: Option<i64>, caller: &Caller) -> EventInsert<'_> {
    EventInsert {
        ticket_id,
        subticket_id,
        kind: Some(EventKind::Created),
        to: Some((Step::New, Status::NotStarted)),
        actor: caller.name.as_deref(),
        ..Default::default()
    }
}

fn artifact_event<'a>(
    ticket_id: i64,
    subticket_id: Option<i64>,
    message: &'a str,
    caller: &'a Caller,
) -> EventInsert<'a> {
    EventInsert {
        ticket_id,
        subticket_id,
        kind: Some(EventKind::Artifact),
        message: Some(message),
        actor: caller.name.as_deref(),
        ..Default::default()
    }
}

/// The body of `POST ticketartifact/` or `POST subticketartifact/`: the
/// same fields, hung off a different owner.
pub trait NewArtifact {
    /// The owner's field and resource (`ticket`, `subticket`).
    const OWNER: &'static str;
    /// The artifact types this owner may have.
    const ALLOWED: &'static [ArtifactType];
    /// The row of the artifact created.
    type Row: ArtifactRow;
    fn owner(&self) -> &Ref;
    /// Name, reference and type, as sent.
    fn fields(&self) -> (&str, &str, &str);
    /// The ticket and subticket of the artifact's event, if its owner
    /// `owner_id` exists.
    fn event_owner(
        tx: &mut Tx,
        owner_id: i64,
    ) -> impl Future<Output = Result<Option<(i64, Option<i64>)>, StoreError>> + Send;
}

impl NewArtifact for NewTicketArtifact {
    const OWNER: &'static str = "ticket";
    const ALLOWED: &'static [ArtifactType] = ArtifactType::FOR_TICKET;
    type Row = TicketArtifactRow;
    fn owner(&self) -> &Ref {
        &self.ticket
    }
    fn fields(&self) -> (&str, &str, &str) {
        (&self.name, &self.reference, &self.kind)
    }
    async fn event_owner(
        tx: &mut Tx,
        ticket_id: i64,
    ) -> Result<Option<(i64, Option<i64>)>, StoreError> {
        let ticket = tx.get::<TicketRow>(&TICKET, ticket_id).await?;
        Ok(ticket.map(|_| (ticket_id, None)))
    }
}

impl NewArtifact for NewSubticketArtifact {
    const OWNER: &'static str = "subticket";
    const ALLOWED: &'static [ArtifactType] = ArtifactType::FOR_SUBTICKET;
    type Row = SubticketArtifactRow;
    fn owner(&self) -> &Ref {
        &self.subticket
    }
    fn fields(&self) -> (&str, &str, &str) {
        (&self.name, &self.reference, &self.kind)
    }
    async fn event_owner(
        tx: &mut Tx,
        subticket_id: i64,
    ) -> Result<Option<(i64, Option<i64>)>, StoreError> {
        let sub = tx.get::<SubticketRow>(&SUBTICKET, subticket_id).await?;
        Ok(sub.map(|sub| (sub.ticket_id, Some(subticket_id))))
    }
}

/// A new artifact's fields checked: what to insert, or every problem with
/// them.
async fn checked_artifact<A: NewArtifact>(
    blobs: &BlobStore,
    new: &A,
) -> Result<ArtifactInsert, DomainError> {
    let owner = A::OWNER;
    let mut errors = FieldErrors::default();
    let owner_id = self::reference(&mut errors, owner, new.owner(), owner);
    let (name, reference, kind) = new.fields();
    let kind = artifact_fields(blobs, &mut errors, name, reference, kind, A::ALLOWED).await?;
    let (Some(owner_id), Some(kind), true) = (owner_id, kind, errors.is_empty()) else {
        return Err(reference_or_validation(errors, &[owner]));
    };
    Ok(ArtifactInsert {
        owner_id,
        name: name.trim().to_string(),
        reference: reference.to_string(),
        kind,
    })
}

/// An artifact of a ticket or a subticket (`A`), with its event in the
/// ticket's history.
pub async fn artifact<A: NewArtifact>(
    store: &Store,
    blobs: &BlobStore,
    new: &A,
    caller: &Caller,
) -> Result<A::Row, DomainError> {
    let insert = checked_artifact(blobs, new).await?;
    let mut tx = store.write().await?;
    let owner_id = insert.owner_id;
    let Some((ticket_id, subticket_id)) = A::event_owner(&mut tx, owner_id).await? else {
        return Err(missing(A::OWNER, A::OWNER, owner_id));
    };
    if caller.owner.is_some() {
        // Only a bound caller needs the ticket's owner: read it then.
        let ticket = tx
            .get::<TicketRow>(&TICKET, ticket_id)
            .await?
            .ok_or_else(|| missing(A::OWNER, "ticket", ticket_id))?;
        caller.may_act_for(Some(ticket_id), &ticket.owner)?;
    }
    let now = now_micros();
    let row = tx.insert_artifact(&insert, now).await?;
    let message = artifact_message(&insert);
    tx.insert_event(
        &artifact_event(ticket_id, subticket_id, &message, caller),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn person(store: &Store, new: &NewPerson) -> Result<PersonRow, DomainError> {
    let mut errors = FieldErrors::default();
    new.validate(&mut errors);
    errors.into_result()?;
    let mut tx = store.write().await?;
    let row = tx
        .insert_person(new.name.trim(), &new.email, new.is_team.0, now_micros())
        .await?;
    tx.commit().await?;
    Ok(row)
}
