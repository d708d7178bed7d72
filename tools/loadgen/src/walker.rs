//! The lander's walk: the sequence of status changes that takes one queued
//! ticket and its subtickets through the workflow of `docs/api.md`, using only
//! legal transitions, to Complete (or, for a few tickets, to a failure of
//! one subticket, which fails the ticket with it).
//!
//! For each of the steps 200, 300, 400, 500: the ticket starts the step
//! (`step/100`), every subticket starts it, every subticket succeeds
//! (`step/200`), then the ticket succeeds. At the end every subticket and
//! then the ticket move to `1000/1000`. That is `4 × (2 + 2 × subtickets) +
//! subtickets + 1` changes: 36 for a ticket of three uploads.

use serde_json::{Value, json};

/// The workflow steps a walk goes through, in order, before Complete.
pub const STEPS: [u16; 4] = [200, 300, 400, 500];
pub const IN_PROGRESS: u16 = 100;
pub const SUCCEEDED: u16 = 200;
pub const FAILED: u16 = 999;
pub const COMPLETE: u16 = 1000;

/// What a change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Ticket(i64),
    Subticket(i64),
}

/// One status change: a PATCH to `update{,sub}ticketstatus/{id}/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub object: Object,
    pub step: u16,
    pub status: u16,
}

impl Move {
    pub fn path(&self) -> String {
        match self.object {
            Object::Ticket(id) => format!("/api/v1/updateticketstatus/{id}/"),
            Object::Subticket(id) => format!("/api/v1/updatesubticketstatus/{id}/"),
        }
    }

    pub fn body(&self) -> Value {
        if self.status == FAILED {
            json!({"current_workflow_step": self.step, "status": self.status,
                   "message": "loadgen: simulated failure"})
        } else {
            json!({"current_workflow_step": self.step, "status": self.status})
        }
    }
}

/// Where a walk makes a subticket fail: the subticket's index and the
/// index into [`STEPS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    pub subticket: usize,
    pub step: usize,
}

/// The changes, in order, for a queued ticket (`100/0`, its subtickets too).
pub fn plan(ticket: i64, subtickets: &[i64], failure: Option<Failure>) -> Vec<Move> {
    let mut moves = Vec::with_capacity(4 * (2 + 2 * subtickets.len()) + subtickets.len() + 1);
    let t = |step, status| Move {
        object: Object::Ticket(ticket),
        step,
        status,
    };
    let s = |id, step, status| Move {
        object: Object::Subticket(id),
        step,
        status,
    };
    for (index, &step) in STEPS.iter().enumerate() {
        moves.push(t(step, IN_PROGRESS));
        moves.extend(subtickets.iter().map(|&id| s(id, step, IN_PROGRESS)));
        if let Some(failure) = failure.filter(|f| f.step == index) {
            match subtickets.get(failure.subticket) {
                // Fails the ticket with it, in the same transaction.
                Some(&id) => moves.push(s(id, step, FAILED)),
                None => moves.push(t(step, FAILED)),
            }
            return moves;
        }
        moves.extend(subtickets.iter().map(|&id| s(id, step, SUCCEEDED)));
        moves.push(t(step, SUCCEEDED));
    }
    moves.extend(subtickets.iter().map(|&id| s(id, COMPLETE, COMPLETE)));
    moves.push(t(COMPLETE, COMPLETE));
    moves
}

/// A walk in progress.
#[derive(Debug, Clone)]
pub struct Walk {
    moves: Vec<Move>,
    next: usize,
}

impl Walk {
    pub fn new(ticket: i64, subtickets: &[i64], failure: Option<Failure>) -> Walk {
        Walk {
            moves: plan(ticket, subtickets, failure),
            next: 0,
        }
    }

    /// The walk of a ticket without uploads that is still New: queue it,
    /// then take it to Complete. Ten changes.
    pub fn from_new(ticket: i64) -> Walk {
        let queue = Move {
            object: Object::Ticket(ticket),
            step: IN_PROGRESS,
            status: 0,
        };
        let mut moves = vec![queue];
        moves.extend(plan(ticket, &[], None));
        Walk { moves, next: 0 }
    }

    /// The next change to make, `None` once the ticket is terminal.
    pub fn peek(&self) -> Option<Move> {
        self.moves.get(self.next).copied()
    }

    /// The change [`Walk::peek`] gave was accepted.
    pub fn advance(&mut self) {
        self.next += 1;
    }

    pub fn is_done(&self) -> bool {
        self.next >= self.moves.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// An independent model of the rules of `docs/api.md` ("Workflow"),
    /// enough to tell a legal change from an illegal one.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct State {
        step: u16,
        status: u16,
    }

    struct Model {
        ticket: State,
        subtickets: HashMap<i64, State>,
    }

    fn terminal(s: State) -> bool {
        s.step == FAILED || s.step == COMPLETE
    }

    impl Model {
        fn new(subtickets: &[i64]) -> Model {
            let queued = State {
                step: 100,
                status: 0,
            };
            Model {
                ticket: queued,
                subtickets: subtickets.iter().map(|&id| (id, queued)).collect(),
            }
        }

        /// Apply a change, or say why the server would refuse it (or why it
        /// would be a pointless no-op).
        fn apply(&mut self, m: Move) -> Result<(), String> {
            let (to, failed_at) = match (m.step, m.status) {
                (COMPLETE, COMPLETE) => (m, None),
                (COMPLETE, _) | (_, COMPLETE) => return Err(format!("invalid pair {m:?}")),
                (step, FAILED) => (m, Some(step)),
                (step, status) if [0, 100, 200].contains(&status) => {
                    (Move { step, status, ..m }, None)
                }
                _ => return Err(format!("invalid pair {m:?}")),
            };
            let current = match m.object {
                Object::Ticket(_) => self.ticket,
                Object::Subticket(id) => {
                    if self.ticket.step == COMPLETE {
                        return Err("subticket of a complete ticket is frozen".into());
                    }
                    *self.subtickets.get(&id).ok_or("unknown subticket")?
                }
            };
            let next = match failed_at {
                Some(_) => State {
                    step: FAILED,
                    status: FAILED,
                },
                None => State {
                    step: to.step,
                    status: to.status,
                },
            };
            if next == current {
                return Err(format!("no-op {m:?}"));
            }
            if terminal(current) {
                return Err(format!("{m:?} out of terminal {current:?}"));
            }
            let reached = failed_at.unwrap_or(next.step);
            if reached < current.step {
                return Err(format!("{m:?} moves back from {current:?}"));
            }
            match m.object {
                Object::Ticket(_) => {
                    if next.step == COMPLETE && self.subtickets.values().any(|s| s.step == FAILED) {
                        return Err("completing a ticket with a failed subticket".into());
                    }
                    self.ticket = next;
                }
                Object::Subticket(id) => {
                    self.subtickets.insert(id, next);
                    if next.step == FAILED && !terminal(self.ticket) {
                        self.ticket = next;
                    }
                }
            }
            Ok(())
        }
    }

    fn walk_is_legal(subtickets: &[i64], failure: Option<Failure>) {
        let mut model = Model::new(subtickets);
        let mut walk = Walk::new(1, subtickets, failure);
        while let Some(m) = walk.peek() {
            if let Err(why) = model.apply(m) {
                panic!("illegal step with {subtickets:?}, {failure:?}: {why}");
            }
            walk.advance();
        }
        assert!(walk.is_done());
        assert!(terminal(model.ticket), "walk ends at {:?}", model.ticket);
        match failure {
            None => assert_eq!(model.ticket.step, COMPLETE),
            Some(_) => assert_eq!(model.ticket.step, FAILED),
        }
    }

    #[test]
    fn every_walk_uses_only_legal_transitions() {
        for n in 0..5 {
            let subtickets: Vec<i64> = (100..100 + n).collect();
            walk_is_legal(&subtickets, None);
            for step in 0..STEPS.len() {
                for subticket in 0..=subtickets.len() {
                    walk_is_legal(&subtickets, Some(Failure { subticket, step }));
                }
            }
        }
    }

    #[test]
    fn a_new_bare_ticket_is_queued_and_completed_in_ten_legal_changes() {
        let mut model = Model::new(&[]);
        model.ticket = State { step: 0, status: 0 };
        let mut walk = Walk::from_new(1);
        let mut changes = 0;
        while let Some(m) = walk.peek() {
            model
                .apply(m)
                .unwrap_or_else(|why| panic!("illegal: {why}"));
            walk.advance();
            changes += 1;
        }
        assert_eq!(changes, 10);
        assert_eq!(model.ticket.step, COMPLETE);
    }

    #[test]
    fn a_three_upload_ticket_takes_36_changes() {
        assert_eq!(plan(1, &[2, 3, 4], None).len(), 36);
    }

    #[test]
    fn the_model_refuses_what_the_server_refuses() {
        let mut model = Model::new(&[2]);
        let back = Move {
            object: Object::Ticket(1),
            step: 100,
            status: 100,
        };
        assert!(
            model
                .apply(Move {
                    step: 300,
                    status: 100,
                    ..back
                })
                .is_ok()
        );
        assert!(model.apply(Move { step: 200, ..back }).is_err());
        assert!(
            model
                .apply(Move {
                    object: Object::Subticket(2),
                    step: 200,
                    status: FAILED,
                })
                .is_ok()
        );
        assert_eq!(model.ticket.step, FAILED);
        assert!(
            model
                .apply(Move {
                    step: COMPLETE,
                    status: COMPLETE,
                    ..back
                })
                .is_err()
        );
    }
}
