//! Status changes of tickets and subtickets: the workflow rules applied
//! under a row lock, with what each change drags along — queueing a ticket
//! queues its new subtickets, completing it completes its unfinished ones,
//! a failed subticket fails its ticket — and the events, all in one
//! transaction.

use shared::models::WorkflowState;
use shared::requests::StatusChange;
use shared::{EventKind, Status, Step};

use super::workflow::{self, Cascade, Plan, Request, RuleError, State};
use super::{Caller, DomainError};
use crate::store::{EventInsert, StateWrite, Store, SubticketRow, TicketRow, Tx, now_micros};

fn rule_error(err: RuleError) -> DomainError {
    match err {
        RuleError::Invalid { field, problem } => DomainError::field(field, problem),
        RuleError::Forbidden(message) => DomainError::Forbidden(message),
        RuleError::Illegal(message) => DomainError::Illegal(message),
    }
}

/// The rules' answer to `change` for `what` (`ticket 7`) at `current`:
/// where to move and the event's kind, or `None` when it is already there.
/// The body's own checks come first.
fn plan_change(
    what: &str,
    current: State,
    change: &StatusChange,
    caller: &Caller,
) -> Result<Option<(State, EventKind)>, DomainError> {
    let request = Request {
        step: change.current_workflow_step,
        status: change.status,
        force: change.forced(),
    };
    match workflow::plan(what, current, request, caller.role).map_err(rule_error)? {
        Plan::Change { to, kind } => Ok(Some((to, kind))),
        Plan::NoOp => Ok(None),
    }
}

/// Refuse a body whose fields are wrong on their own, before any lock.
fn check_body(change: &StatusChange) -> Result<(), DomainError> {
    let mut errors = shared::error::FieldErrors::default();
    change.validate(&mut errors);
    Ok(errors.into_result()?)
}

fn state_of(step: Step, status: Status, failed_step: Option<Step>) -> State {
    State {
        step,
        status,
        failed_step,
    }
}

/// Where a row is (`TicketRow::state`), as the rules see it.
fn rules_state(row: WorkflowState) -> State {
    state_of(row.current_workflow_step, row.status, row.failed_step)
}

fn write_of<'a>(to: State, message: Option<&'a str>) -> StateWrite<'a> {
    StateWrite {
        step: to.step,
        status: to.status,
        failed_step: to.failed_step,
        failure_message: if to.step == Step::Failed {
            message
        } else {
            None
        },
    }
}

async fn ticket_or_404(tx: &mut Tx, id: i64) -> Result<TicketRow, DomainError> {
    tx.lock_ticket(id)
        .await?
        .ok_or_else(|| DomainError::NotFound(format!("there is no ticket {id}")))
}

/// Apply a status change to ticket `id`; the ticket as it is afterwards.
pub async fn change_ticket(
    store: &Store,
    id: i64,
    change: &StatusChange,
    caller: &Caller,
) -> Result<TicketRow, DomainError> {
    check_body(change)?;
    let mut tx = store.write().await?;
    let ticket = ticket_or_404(&mut tx, id).await?;
    caller.may_act_for(Some(id), &ticket.owner)?;
    let current = rules_state(ticket.state());
    let Some((to, kind)) = plan_change(&format!("ticket {id}"), current, change, caller)? else {
        // Nothing to write, but what was read may be another request's
        // write still on its way to disk: answer once it is durable.
        tx.commit().await?;
        return Ok(ticket);
    };
    if workflow::applies(
        Cascade::NoCompletionWithFailedSubticket,
        current.step,
        to.step,
        kind,
    ) && let Some(failed) = tx.first_failed_subticket(id).await?
    {
        return Err(DomainError::Illegal(format!(
            "ticket {id} cannot complete: its subticket {} failed",
            failed.id
        )));
    }
    let now = now_micros();
    let message = change.message.as_deref();
    let updated = tx
        .set_ticket_state(id, write_of(to, message), None, now)
        .await?;
    let actor = caller.name.as_deref();
    let mut events = vec![EventInsert {
        ticket_id: id,
        kind: Some(kind),
        from: Some((current.step, current.status)),
        to: Some((to.step, to.status)),
        message,
        actor,
        ..Default::default()
    }];
    // What the ticket's move drags along: its subtickets, each to `with`.
    let dragged = if workflow::applies(Cascade::QueueSubtickets, current.step, to.step, kind) {
        Some((
            tx.subtickets_at_step(id, Step::New).await?,
            state_of(Step::Queued, Status::NotStarted, None),
            "queued with its ticket",
        ))
    } else if workflow::applies(Cascade::CompleteSubtickets, current.step, to.step, kind) {
        Some((
            tx.unfinished_subtickets(id).await?,
            state_of(Step::Complete, Status::Complete, None),
            "completed with its ticket",
        ))
    } else {
        None
    };
    if let Some((subs, with, why)) = dragged {
        for sub in subs {
            tx.set_subticket_state(sub.id, write_of(with, None), now)
                .await?;
            events.push(EventInsert {
                ticket_id: id,
                subticket_id: Some(sub.id),
                kind: Some(EventKind::Status),
                from: Some((sub.current_workflow_step, sub.status)),
                to: Some((with.step, with.status)),
                message: Some(why),
                actor,
            });
        }
    }
    tx.insert_events(&events, now).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Apply a status change to subticket `id`; the subticket as it is afterwards.
pub async fn change_subticket(
    store: &Store,
    id: i64,
    change: &StatusChange,
    caller: &Caller,
) -> Result<SubticketRow, DomainError> {
    let not_found = || DomainError::NotFound(format!("there is no subticket {id}"));
    check_body(change)?;
    let mut tx = store.write().await?;
    // Lock order: the ticket, then the subticket.
    let ticket = tx
        .lock_ticket_of_subticket(id)
        .await?
        .ok_or_else(not_found)?;
    caller.may_act_for(Some(ticket.id), &ticket.owner)?;
    let sub = tx.lock_subticket(id).await?.ok_or_else(not_found)?;
    let current = rules_state(sub.state());
    let Some((to, kind)) = plan_change(&format!("subticket {id}"), current, change, caller)? else {
        // As for a ticket: answer once what was read is durable.
        tx.commit().await?;
        return Ok(sub);
    };
    if ticket.current_workflow_step == Step::Complete
        && workflow::applies(
            Cascade::FrozenWithCompleteTicket,
            current.step,
            to.step,
            kind,
        )
    {
        return Err(DomainError::Illegal(format!(
            "subticket {id} belongs to ticket {}, which is Complete: its subtickets are frozen",
            ticket.id
        )));
    }
    let now = now_micros();
    let message = change.message.as_deref();
    let actor = caller.name.as_deref();
    let updated = tx
        .set_subticket_state(id, write_of(to, message), now)
        .await?;
    let mut events = vec![EventInsert {
        ticket_id: ticket.id,
        subticket_id: Some(id),
        kind: Some(kind),
        from: Some((current.step, current.status)),
        to: Some((to.step, to.status)),
        message,
        actor,
    }];
    let ticket_message;
    if workflow::applies(Cascade::FailTicket, current.step, to.step, kind)
        && !ticket.current_workflow_step.is_terminal()
    {
        // The first failure is the one the ticket records.
        let failed_step = to.failed_step.unwrap_or(current.step);
        let upload = tx.uploads_with_source(&[sub.spu_id]).await?;
        let what = upload
            .first()
            .map(|u| format!(" ({} {})", u.sourcepackage_name, u.version))
            .unwrap_or_default();
        ticket_message = format!(
            "subticket {id}{what} failed at {}{}",
            failed_step.display_name(),
            message.map(|m| format!(": {m}")).unwrap_or_default()
        );
        let ticket_failed = StateWrite {
            step: Step::Failed,
            status: Status::Failed,
            failed_step: Some(failed_step),
            failure_message: message,
        };
        tx.set_ticket_state(ticket.id, ticket_failed, Some(id), now)
            .await?;
        events.push(EventInsert {
            ticket_id: ticket.id,
            subticket_id: None,
            kind: Some(EventKind::Status),
            from: Some((ticket.current_workflow_step, ticket.status)),
            to: Some((Step::Failed, Status::Failed)),
            message: Some(&ticket_message),
            actor,
        });
    }
    tx.insert_events(&events, now).await?;
    tx.commit().await?;
    Ok(updated)
}
