//! The workflow rules (`docs/api.md`, Workflow), as a pure function from
//! the current state, the requested change and the caller's role to a plan.
//! The same rules hold for tickets and subticket; what a change of one
//! does to the other (queueing subtickets, failing the parent) is the
//! table [`CASCADES`], which [`super::status`] applies. `workflow/` is
//! derived from both ([`super::workflow_data`]).

use shared::models::WorkflowObject;
use shared::{EventKind, Role, Status, Step};

/// A workflow position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub step: Step,
    pub status: Status,
    /// Where it failed; only set at step Failed.
    pub failed_step: Option<Step>,
}

/// A requested change, as sent to `update*status/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub step: Step,
    pub status: Status,
    pub force: bool,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Already there: answer 202 and record nothing (a safe retry).
    NoOp,
    /// Move to `to`, recording an event of `kind`.
    Change { to: State, kind: EventKind },
}

/// Why the rules refuse a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// The pair of codes makes no sense (400), naming the field.
    Invalid {
        field: &'static str,
        problem: String,
    },
    /// The role may not make this change (403).
    Forbidden(String),
    /// The rules refuse it (409).
    Illegal(String),
}

/// What a change of a ticket or subticket means for the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cascade {
    /// Queueing a ticket queues its subtickets still at step New.
    QueueSubtickets,
    /// Completing a ticket completes its subtickets that have neither
    /// failed nor completed.
    CompleteSubtickets,
    /// A failed subticket fails its ticket, unless that is Failed or
    /// Complete already.
    FailTicket,
    /// A ticket does not complete while one of its subtickets has failed.
    NoCompletionWithFailedSubticket,
    /// The subtickets of a Complete ticket do not move.
    FrozenWithCompleteTicket,
}

/// When a [`Cascade`] applies, and what it says to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CascadeRule {
    pub cascade: Cascade,
    /// Its name in `workflow/`.
    pub name: &'static str,
    /// Whose change it is about.
    pub object: WorkflowObject,
    /// The step the change leaves; `None`: any.
    pub from: Option<Step>,
    /// The step the change reaches; `None`: any.
    pub to: Option<Step>,
    /// Whether it holds for a forced change too.
    pub forced_too: bool,
    /// Whether it refuses the change (409) rather than doing more.
    pub refuses: bool,
    pub description: &'static str,
}

/// Every cascade: [`super::status`] asks [`applies`] before each, and
/// `workflow/` lists them.
pub const CASCADES: &[CascadeRule] = &[
    CascadeRule {
        cascade: Cascade::QueueSubtickets,
        name: "queue_subtickets",
        object: WorkflowObject::Ticket,
        from: Some(Step::New),
        to: Some(Step::Queued),
        forced_too: true,
        refuses: false,
        description: "Queueing a ticket queues its subtickets still at step 0 (New) with it: \
            each moves to 100/0 with an event of its own.",
    },
    CascadeRule {
        cascade: Cascade::CompleteSubtickets,
        name: "complete_subtickets",
        object: WorkflowObject::Ticket,
        from: None,
        to: Some(Step::Complete),
        forced_too: true,
        refuses: false,
        description: "Completing a ticket completes each of its subtickets that has neither \
            failed nor completed: each moves to 1000/1000 with an event of its own (\"completed \
            with its ticket\"); failed subtickets stay failed.",
    },
    CascadeRule {
        cascade: Cascade::FailTicket,
        name: "fail_ticket",
        object: WorkflowObject::Subticket,
        from: None,
        to: Some(Step::Failed),
        forced_too: true,
        refuses: false,
        description: "A failed subticket fails its ticket in the same transaction (999/999, \
            recording the subticket's failed_step and naming the subticket), unless the ticket \
            is Failed or Complete already: the first failure is the one recorded.",
    },
    CascadeRule {
        cascade: Cascade::NoCompletionWithFailedSubticket,
        name: "no_completion_with_failed_subticket",
        object: WorkflowObject::Ticket,
        from: None,
        to: Some(Step::Complete),
        forced_too: false,
        refuses: true,
        description: "A ticket with a failed subticket cannot complete (409).",
    },
    CascadeRule {
        cascade: Cascade::FrozenWithCompleteTicket,
        name: "frozen_with_complete_ticket",
        object: WorkflowObject::Subticket,
        from: None,
        to: None,
        forced_too: false,
        refuses: true,
        description: "The subtickets of a Complete ticket are frozen: any change is refused (409). \
            Those of a Failed ticket may still record their own outcome.",
    },
];

/// Whether `cascade` applies to a change of its object from `from` to
/// `to` recorded as `kind`.
pub fn applies(cascade: Cascade, from: Step, to: Step, kind: EventKind) -> bool {
    CASCADES.iter().any(|rule| {
        rule.cascade == cascade
            && rule.from.is_none_or(|step| step == from)
            && rule.to.is_none_or(|step| step == to)
            && (rule.forced_too || kind != EventKind::Forced)
    })
}

fn describe(step: Step) -> String {
    format!("{} ({})", step.code(), step.display_name())
}

/// The state a request asks for, after reading the failure forms:
/// `{step: 300, status: 999}` and `{step: 999, status: 999}` both mean
/// "failed", at step 300 or at the step it was in.
fn target(current: State, request: Request) -> Result<State, RuleError> {
    match (request.step, request.status) {
        (Step::Failed, Status::Failed) => {
            let failed_step = if current.step == Step::Failed {
                current.failed_step
            } else {
                Some(current.step)
            };
            Ok(State {
                step: Step::Failed,
                status: Status::Failed,
                failed_step,
            })
        }
        (Step::Failed, _) => Err(RuleError::Invalid {
            field: "status",
            problem: "must be 999 (Failed) when current_workflow_step is 999".into(),
        }),
        (Step::Complete, Status::Complete) => Ok(State {
            step: Step::Complete,
            status: Status::Complete,
            failed_step: None,
        }),
        (Step::Complete, _) => Err(RuleError::Invalid {
            field: "status",
            problem: "must be 1000 (Complete) when current_workflow_step is 1000".into(),
        }),
        (_, Status::Complete) => Err(RuleError::Invalid {
            field: "status",
            problem: "1000 (Complete) goes only with current_workflow_step 1000".into(),
        }),
        (step, Status::Failed) => Ok(State {
            step: Step::Failed,
            status: Status::Failed,
            failed_step: Some(step),
        }),
        (step, status) => Ok(State {
            step,
            status,
            failed_step: None,
        }),
    }
}

/// Decide what a status change does to an object of kind `what`
/// (`ticket 7`, for messages), or why it may not happen.
pub fn plan(what: &str, current: State, request: Request, role: Role) -> Result<Plan, RuleError> {
    if request.force && role < Role::Admin {
        return Err(RuleError::Forbidden("`force` needs an admin token".into()));
    }
    let to = target(current, request)?;
    if role < Role::Lander {
        let queueing =
            current.step == Step::New && to.step == Step::Queued && to.status == Status::NotStarted;
        if !queueing && to != current {
            return Err(RuleError::Forbidden(
                "a developer may only queue (step 0 → 100, status 0); other changes need a lander token".into(),
            ));
        }
    }
    if to == current {
        return Ok(Plan::NoOp);
    }
    if request.force {
        let to = if to.step == Step::Failed {
            to
        } else {
            State {
                failed_step: None,
                ..to
            }
        };
        return Ok(Plan::Change {
            to,
            kind: EventKind::Forced,
        });
    }
    if current.step.is_terminal() {
        return Err(RuleError::Illegal(format!(
            "{what} is at {}, a terminal step; it cannot move to {} unless an admin forces it",
            describe(current.step),
            describe(request.step),
        )));
    }
    // A failure is a move forward to Failed, but the step it happened in
    // must not lie behind the current one.
    let reached = if to.step == Step::Failed {
        to.failed_step.unwrap_or(current.step)
    } else {
        to.step
    };
    if reached < current.step {
        return Err(RuleError::Illegal(format!(
            "{what} is at {}; steps only move forward, not back to {}",
            describe(current.step),
            describe(reached),
        )));
    }
    Ok(Plan::Change {
        to,
        kind: EventKind::Status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(step: Step, status: Status) -> State {
        State {
            step,
            status,
            failed_step: None,
        }
    }

    fn ask(step: Step, status: Status) -> Request {
        Request {
            step,
            status,
            force: false,
        }
    }

    /// What `role` may do to an object at `current` that is asked for
    /// `step` and `status`.
    fn plan_as(role: Role, current: State, step: Step, status: Status) -> Result<Plan, RuleError> {
        plan("t", current, ask(step, status), role)
    }

    fn changed(result: Result<Plan, RuleError>) -> State {
        match result {
            Ok(Plan::Change { to, .. }) => to,
            other => panic!("expected a change, got {other:?}"),
        }
    }

    #[test]
    fn steps_move_forward_and_may_skip() {
        let to = changed(plan_as(
            Role::Lander,
            at(Step::Queued, Status::NotStarted),
            Step::ImageTesting,
            Status::InProgress,
        ));
        assert_eq!(to, at(Step::ImageTesting, Status::InProgress));
    }

    #[test]
    fn a_backward_move_is_illegal_and_names_both_steps() {
        let err = plan(
            "ticket 7",
            at(Step::ImageBuilding, Status::InProgress),
            ask(Step::PackageBuilding, Status::InProgress),
            Role::Lander,
        )
        .expect_err("backward");
        let RuleError::Illegal(message) = err else {
            panic!("{err:?}")
        };
        assert!(
            message.contains("300 (Image Building)") && message.contains("200 (Package Building)"),
            "{message}"
        );
    }

    #[test]
    fn both_failure_forms_record_the_failed_step() {
        let current = at(Step::ImageBuilding, Status::InProgress);
        let explicit = changed(plan_as(
            Role::Lander,
            current,
            Step::ImageBuilding,
            Status::Failed,
        ));
        let implicit = changed(plan_as(Role::Lander, current, Step::Failed, Status::Failed));
        let expected = State {
            step: Step::Failed,
            status: Status::Failed,
            failed_step: Some(Step::ImageBuilding),
        };
        assert_eq!(explicit, expected);
        assert_eq!(implicit, expected);
        let later = changed(plan_as(
            Role::Lander,
            current,
            Step::ImageTesting,
            Status::Failed,
        ));
        assert_eq!(later.failed_step, Some(Step::ImageTesting));
    }

    #[test]
    fn a_failure_in_an_earlier_step_is_illegal() {
        let err = plan_as(
            Role::Lander,
            at(Step::ImageTesting, Status::InProgress),
            Step::PackageBuilding,
            Status::Failed,
        );
        assert!(matches!(err, Err(RuleError::Illegal(_))));
    }

    #[test]
    fn terminal_steps_only_accept_their_own_state_again() {
        let failed = State {
            step: Step::Failed,
            status: Status::Failed,
            failed_step: Some(Step::PackageBuilding),
        };
        assert_eq!(
            plan_as(Role::Lander, failed, Step::Failed, Status::Failed),
            Ok(Plan::NoOp)
        );
        assert!(matches!(
            plan_as(Role::Lander, failed, Step::Complete, Status::Complete),
            Err(RuleError::Illegal(_))
        ));
        let done = at(Step::Complete, Status::Complete);
        assert_eq!(
            plan_as(Role::Lander, done, Step::Complete, Status::Complete),
            Ok(Plan::NoOp)
        );
        assert!(matches!(
            plan_as(Role::Lander, done, Step::Failed, Status::Failed),
            Err(RuleError::Illegal(_))
        ));
    }

    #[test]
    fn the_same_state_again_is_a_no_op() {
        let current = at(Step::PackageBuilding, Status::InProgress);
        assert_eq!(
            plan_as(
                Role::Lander,
                current,
                Step::PackageBuilding,
                Status::InProgress
            ),
            Ok(Plan::NoOp)
        );
    }

    #[test]
    fn a_status_may_change_within_a_step() {
        let to = changed(plan_as(
            Role::Lander,
            at(Step::PackageBuilding, Status::InProgress),
            Step::PackageBuilding,
            Status::Succeeded,
        ));
        assert_eq!(to.status, Status::Succeeded);
    }

    #[test]
    fn developers_may_only_queue() {
        let new = at(Step::New, Status::NotStarted);
        assert!(
            changed(plan_as(
                Role::Developer,
                new,
                Step::Queued,
                Status::NotStarted
            ))
            .step
                == Step::Queued
        );
        assert!(matches!(
            plan_as(
                Role::Developer,
                new,
                Step::PackageBuilding,
                Status::NotStarted
            ),
            Err(RuleError::Forbidden(_))
        ));
        let queued = at(Step::Queued, Status::NotStarted);
        assert!(matches!(
            plan_as(Role::Developer, queued, Step::Failed, Status::Failed),
            Err(RuleError::Forbidden(_))
        ));
        assert_eq!(
            plan_as(Role::Developer, queued, Step::Queued, Status::NotStarted),
            Ok(Plan::NoOp)
        );
    }

    #[test]
    fn force_is_for_admins_and_overrides_the_rules() {
        let done = at(Step::Complete, Status::Complete);
        let forced = Request {
            step: Step::Queued,
            status: Status::NotStarted,
            force: true,
        };
        assert!(matches!(
            plan("t", done, forced, Role::Lander),
            Err(RuleError::Forbidden(_))
        ));
        assert_eq!(
            plan("t", done, forced, Role::Admin),
            Ok(Plan::Change {
                to: at(Step::Queued, Status::NotStarted),
                kind: EventKind::Forced
            })
        );
    }

    #[test]
    fn inconsistent_code_pairs_are_invalid() {
        let current = at(Step::Queued, Status::NotStarted);
        for (step, status) in [
            (Step::Failed, Status::InProgress),
            (Step::Complete, Status::Succeeded),
            (Step::ImageTesting, Status::Complete),
        ] {
            assert!(
                matches!(
                    plan_as(Role::Lander, current, step, status),
                    Err(RuleError::Invalid { .. })
                ),
                "{step:?} with {status:?}"
            );
        }
    }
}
