//! `workflow/`: the workflow as data (`docs/api.md`, Workflow as data).
//! Nothing here restates a rule: every transition listed is one that
//! [`workflow::plan`] allows, found by asking it about every step, status
//! and role, and the cascades are the table [`workflow::CASCADES`] that
//! the status changes apply. A change of the rules changes the document.

use std::sync::LazyLock;

use shared::models::{
    Workflow, WorkflowCascade, WorkflowForce, WorkflowPair, WorkflowStatus, WorkflowStep,
    WorkflowTransition,
};
use shared::{Role, Status, Step};

use super::workflow::{self, CASCADES, CascadeRule, Plan, Request, RuleError, State};

/// The roles a token can have, each of which may send status changes.
const WRITERS: [Role; 3] = [Role::Developer, Role::Lander, Role::Admin];

/// The workflow document, derived once: it depends on the code only.
static DOCUMENT: LazyLock<Workflow> = LazyLock::new(derive);

/// The workflow as `workflow/` answers it.
pub fn document() -> &'static Workflow {
    &DOCUMENT
}

/// An object at `step` to which `sent` is a change: its status is another
/// one (the pair the step takes at a terminal step).
fn object_at(step: Step, sent: Status) -> State {
    let status = match step {
        Step::Failed => Status::Failed,
        Step::Complete => Status::Complete,
        _ if sent == Status::NotStarted => Status::InProgress,
        _ => Status::NotStarted,
    };
    State {
        step,
        status,
        failed_step: (step == Step::Failed).then_some(Step::PackageBuilding),
    }
}

/// What the rules make of `role` sending `step` and `status` to an object
/// at `from`.
fn ask(from: Step, step: Step, status: Status, force: bool, role: Role) -> Result<Plan, RuleError> {
    let request = Request {
        step,
        status,
        force,
    };
    workflow::plan("it", object_at(from, status), request, role)
}

fn transitions() -> Vec<WorkflowTransition> {
    let mut all: Vec<WorkflowTransition> = Vec::new();
    for &from_step in Step::ALL {
        for &to_step in Step::ALL {
            for &status in Status::ALL {
                let mut roles = Vec::new();
                let mut failed_step = None;
                for role in WRITERS {
                    if let Ok(Plan::Change { to, .. }) =
                        ask(from_step, to_step, status, false, role)
                    {
                        roles.push(role);
                        failed_step = to.failed_step.filter(|_| to.step == Step::Failed);
                    }
                }
                if roles.is_empty() {
                    continue;
                }
                // Statuses of one move with the same roles and outcome
                // make one transition.
                match all.last_mut() {
                    Some(last)
                        if last.from_step == from_step
                            && last.to_step == to_step
                            && last.roles == roles
                            && last.failed_step == failed_step =>
                    {
                        last.statuses.push(status);
                    }
                    _ => all.push(WorkflowTransition {
                        from_step,
                        to_step,
                        statuses: vec![status],
                        roles,
                        failed_step,
                    }),
                }
            }
        }
    }
    all
}

/// Who may force, and every step with the statuses the rules take with it.
fn force() -> WorkflowForce {
    let forcing = |role| {
        Step::ALL.iter().flat_map(move |&step| {
            Status::ALL
                .iter()
                .map(move |&status| ask(Step::Complete, step, status, true, role))
        })
    };
    let roles = WRITERS
        .into_iter()
        .filter(|&role| forcing(role).any(|answer| answer.is_ok()))
        .collect();
    let targets = Step::ALL
        .iter()
        .map(|&step| WorkflowPair {
            step,
            statuses: Status::ALL
                .iter()
                .copied()
                .filter(|&status| ask(Step::Complete, step, status, true, Role::Admin).is_ok())
                .collect(),
        })
        .collect();
    WorkflowForce { roles, targets }
}

fn cascade(rule: &CascadeRule) -> WorkflowCascade {
    WorkflowCascade {
        name: rule.name.to_string(),
        object: rule.object,
        from_step: rule.from,
        to_step: rule.to,
        forced_too: rule.forced_too,
        description: rule.description.to_string(),
    }
}

fn derive() -> Workflow {
    Workflow {
        steps: Step::ALL
            .iter()
            .map(|&step| WorkflowStep {
                code: step,
                display: step.display_name().to_string(),
                slug: step.slug().to_string(),
                terminal: step.is_terminal(),
            })
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|&status| WorkflowStatus {
                code: status,
                display: status.display_name().to_string(),
                slug: status.slug().to_string(),
            })
            .collect(),
        transitions: transitions(),
        force: force(),
        cascades: CASCADES
            .iter()
            .filter(|rule| !rule.refuses)
            .map(cascade)
            .collect(),
        refusals: CASCADES
            .iter()
            .filter(|rule| rule.refuses)
            .map(cascade)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(from: Step, to: Step, status: Status) -> Option<&'static WorkflowTransition> {
        document()
            .transitions
            .iter()
            .find(|t| t.from_step == from && t.to_step == to && t.statuses.contains(&status))
    }

    #[test]
    fn a_developer_may_only_queue() {
        let developer: Vec<_> = document()
            .transitions
            .iter()
            .filter(|t| t.roles.contains(&Role::Developer))
            .collect();
        assert_eq!(developer.len(), 1, "{developer:?}");
        let queue = developer[0];
        assert_eq!(
            (queue.from_step, queue.to_step, queue.statuses.as_slice()),
            (Step::New, Step::Queued, [Status::NotStarted].as_slice())
        );
        assert_eq!(queue.roles, WRITERS);
    }

    #[test]
    fn landers_move_forward_and_nothing_leaves_a_terminal_step() {
        for t in &document().transitions {
            assert!(t.to_step >= t.from_step, "{t:?}");
            assert!(!t.from_step.is_terminal(), "{t:?}");
            assert!(t.roles.contains(&Role::Lander), "{t:?}");
        }
        assert!(find(Step::Queued, Step::ImageTesting, Status::InProgress).is_some());
        assert!(find(Step::ImageTesting, Step::Queued, Status::InProgress).is_none());
    }

    #[test]
    fn failures_name_the_step_they_record() {
        let at = find(Step::PackageBuilding, Step::ImageBuilding, Status::Failed).expect("listed");
        assert_eq!(at.failed_step, Some(Step::ImageBuilding));
        let here = find(Step::PackageBuilding, Step::Failed, Status::Failed).expect("listed");
        assert_eq!(here.failed_step, Some(Step::PackageBuilding));
        let moving = find(
            Step::PackageBuilding,
            Step::ImageBuilding,
            Status::InProgress,
        );
        assert_eq!(moving.expect("listed").failed_step, None);
    }

    #[test]
    fn only_admins_force_and_pairs_follow_the_code_rules() {
        let force = &document().force;
        assert_eq!(force.roles, [Role::Admin]);
        let at = |step: Step| {
            force
                .targets
                .iter()
                .find(|p| p.step == step)
                .map(|p| p.statuses.clone())
        };
        assert_eq!(at(Step::Failed), Some(vec![Status::Failed]));
        assert_eq!(at(Step::Complete), Some(vec![Status::Complete]));
        assert_eq!(
            at(Step::ImageTesting),
            Some(vec![
                Status::NotStarted,
                Status::InProgress,
                Status::Succeeded,
                Status::Failed
            ])
        );
    }

    #[test]
    fn cascades_and_refusals_come_from_the_table() {
        let names =
            |list: &[WorkflowCascade]| list.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(&document().cascades),
            ["queue_subtickets", "complete_subtickets", "fail_ticket"]
        );
        assert_eq!(
            names(&document().refusals),
            [
                "no_completion_with_failed_subticket",
                "frozen_with_complete_ticket"
            ]
        );
    }
}
