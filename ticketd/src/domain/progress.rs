//! Where a ticket stands and when it should be done (`docs/api.md`, "Queue
//! position, time in step and ETA"): its place in the queue, and the
//! expected time of its remaining steps from the medians of the tickets
//! completed last. Loaded once per request for a whole page, from two
//! bounded index ranges (`store/progress.rs`), and kept for that request
//! only: several `ticketd` may share a database, and none keeps state.

use std::collections::{BTreeMap, HashMap};

use shared::Step;
use shared::models::{Eta, EtaStep};

use crate::store::{StepEventRow, StoreError, TicketRow, Tx, timestamp};

/// How many Complete tickets, the most recently completed, the medians
/// come from.
pub const WINDOW: i64 = 100;

/// The fewest times in a step that give it a median.
pub const MIN_SAMPLES: usize = 5;

const MICROS_PER_SECOND: i64 = 1_000_000;

/// The steps the engine moves a ticket through: Queued to Package
/// Publishing.
fn engine_step(step: Step) -> bool {
    step > Step::New && !step.is_terminal()
}

/// How long each engine step took the tickets completed last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepTimes {
    /// How many tickets the window holds.
    window: i64,
    /// For each step, the time in it (microseconds) of each ticket that
    /// spent time in it.
    samples: BTreeMap<Step, Vec<i64>>,
}

impl StepTimes {
    /// The times of the window's tickets.
    pub async fn load(tx: &mut Tx) -> Result<StepTimes, StoreError> {
        Ok(StepTimes::from_events(tx.recent_step_events(WINDOW).await?))
    }

    /// Each ticket's time in each step, from the events that set its step:
    /// a step lasts from the event that moved the ticket into it to the
    /// next one that moved it elsewhere (changes of status within a step
    /// do not end it). A ticket forced back into a step adds its times.
    pub fn from_events(mut events: Vec<StepEventRow>) -> StepTimes {
        events.sort_by_key(|e| (e.ticket_id, e.id));
        let mut samples: BTreeMap<Step, Vec<i64>> = BTreeMap::new();
        let mut window = 0;
        for ticket in events.chunk_by(|a, b| a.ticket_id == b.ticket_id) {
            window += 1;
            let mut time_in: BTreeMap<Step, i64> = BTreeMap::new();
            let mut current: Option<(i64, i64)> = None;
            for event in ticket {
                match current {
                    Some((step, _)) if step == event.to_step => continue,
                    Some((step, since)) => {
                        if let Some(step) = Step::from_code(step).filter(|s| engine_step(*s)) {
                            // Clocks of several hosts may disagree a little.
                            *time_in.entry(step).or_default() += (event.created - since).max(0);
                        }
                    }
                    None => {}
                }
                current = Some((event.to_step, event.created));
            }
            for (step, time) in time_in {
                samples.entry(step).or_default().push(time);
            }
        }
        StepTimes { window, samples }
    }

    /// How many tickets of the window spent time in `step`.
    fn samples(&self, step: Step) -> i64 {
        self.samples.get(&step).map_or(0, |s| s.len() as i64)
    }

    /// The median time in `step`, in whole seconds (rounded), if at least
    /// [`MIN_SAMPLES`] tickets spent time in it.
    fn median_seconds(&self, step: Step) -> Option<i64> {
        let mut times = self.samples.get(&step)?.clone();
        if times.len() < MIN_SAMPLES {
            return None;
        }
        times.sort_unstable();
        let middle = times.len() / 2;
        let median = if times.len() % 2 == 1 {
            times[middle]
        } else {
            (times[middle - 1] + times[middle]) / 2
        };
        Some((median + MICROS_PER_SECOND / 2) / MICROS_PER_SECOND)
    }

    /// The expected times of the remaining steps of a ticket at `step`
    /// since `since`, at `now` (microseconds); `None` outside the engine's
    /// steps.
    pub fn eta(&self, step: Step, since: i64, now: i64) -> Option<Eta> {
        if !engine_step(step) {
            return None;
        }
        // A later step that none of a full enough window went through is
        // one the tickets of this site skip.
        let skipped =
            |s: Step| s != step && self.window >= MIN_SAMPLES as i64 && self.samples(s) == 0;
        let mut end = Some(since);
        let mut steps = Vec::new();
        for &s in Step::ALL
            .iter()
            .filter(|&&s| s >= step && engine_step(s) && !skipped(s))
        {
            let median = self.median_seconds(s);
            end = end.zip(median).map(|(start, seconds)| {
                let end = start + seconds * MICROS_PER_SECOND;
                // A step past its median is expected to end any moment.
                if s == step { end.max(now) } else { end }
            });
            steps.push(EtaStep {
                step: s,
                step_display: s.display_name().to_string(),
                samples: self.samples(s),
                median_seconds: median,
                expected_end: end.map(timestamp),
            });
        }
        Some(Eta {
            window: self.window,
            steps,
            expected_completion: end.map(timestamp),
        })
    }
}

/// What the full tickets of one answer carry besides their rows: the
/// queue positions of the queued ones and the step times for the ETA.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    positions: HashMap<i64, i64>,
    times: Option<StepTimes>,
    now: i64,
}

impl Progress {
    /// The progress of `tickets` at `now`: one count statement if any is
    /// queued, one read of the window's history if any is in the engine.
    pub async fn load(
        tx: &mut Tx,
        tickets: &[TicketRow],
        now: i64,
    ) -> Result<Progress, StoreError> {
        let times = if tickets.iter().any(|t| engine_step(t.current_workflow_step)) {
            Some(StepTimes::load(tx).await?)
        } else {
            None
        };
        Progress::with_times(tx, tickets, times, now).await
    }

    /// [`Progress::load`] with the step times read already (a bundle reads
    /// them before its write transaction, to keep that short).
    pub async fn with_times(
        tx: &mut Tx,
        tickets: &[TicketRow],
        times: Option<StepTimes>,
        now: i64,
    ) -> Result<Progress, StoreError> {
        let queued: Vec<(i64, i64)> = tickets
            .iter()
            .filter(|t| t.current_workflow_step == Step::Queued)
            .map(|t| (t.id, t.in_step_since))
            .collect();
        let positions = tx
            .queue_positions(&queued)
            .await?
            .into_iter()
            .map(|p| (p.id, p.ahead))
            .collect();
        Ok(Progress {
            positions,
            times,
            now,
        })
    }

    /// How many queued tickets are ahead of `ticket`, if it is queued.
    pub fn queue_position(&self, ticket: &TicketRow) -> Option<i64> {
        self.positions.get(&ticket.id).copied()
    }

    /// The ETA of `ticket`, if it is in the engine.
    pub fn eta(&self, ticket: &TicketRow) -> Option<Eta> {
        let times = self.times.as_ref()?;
        times.eta(ticket.current_workflow_step, ticket.in_step_since, self.now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = MICROS_PER_SECOND;

    /// A ticket's history: each `(step, second)` an event setting its step.
    fn history(ticket_id: i64, steps: &[(Step, i64)]) -> Vec<StepEventRow> {
        steps
            .iter()
            .enumerate()
            .map(|(i, (step, second))| StepEventRow {
                id: ticket_id * 100 + i as i64,
                ticket_id,
                to_step: step.code(),
                created: second * S,
            })
            .collect()
    }

    fn full_run(ticket_id: i64, building: i64) -> Vec<StepEventRow> {
        history(
            ticket_id,
            &[
                (Step::New, 0),
                (Step::Queued, 0),
                (Step::PackageBuilding, 10),
                // A status change within the step does not end it.
                (Step::PackageBuilding, 12),
                (Step::PackagePublishing, 10 + building),
                (Step::Complete, 20 + building),
            ],
        )
    }

    #[test]
    fn medians_come_from_the_time_between_step_changes() {
        let events: Vec<_> = [100, 200, 300, 400, 500]
            .iter()
            .enumerate()
            .flat_map(|(i, b)| full_run(i as i64 + 1, *b))
            .rev()
            .collect();
        let times = StepTimes::from_events(events);
        assert_eq!(times.window, 5);
        assert_eq!(times.median_seconds(Step::Queued), Some(10));
        assert_eq!(times.median_seconds(Step::PackageBuilding), Some(300));
        assert_eq!(times.median_seconds(Step::PackagePublishing), Some(10));
        assert_eq!(times.samples(Step::ImageBuilding), 0);
        assert_eq!(times.median_seconds(Step::ImageBuilding), None);
    }

    #[test]
    fn fewer_than_five_samples_give_no_median_and_no_expected_times() {
        let events: Vec<_> = (1..=4).flat_map(|i| full_run(i, 100)).collect();
        let times = StepTimes::from_events(events);
        let eta = times
            .eta(Step::PackageBuilding, 0, 0)
            .expect("in the engine");
        assert_eq!(eta.window, 4);
        assert!(
            eta.steps
                .iter()
                .all(|s| s.median_seconds.is_none() && s.expected_end.is_none())
        );
        // A small window cannot tell a skipped step: every step is listed.
        let listed: Vec<_> = eta.steps.iter().map(|s| s.step).collect();
        assert_eq!(
            listed,
            [
                Step::PackageBuilding,
                Step::ImageBuilding,
                Step::ImageTesting,
                Step::PackagePublishing
            ]
        );
        assert_eq!(eta.expected_completion, None);
    }

    #[test]
    fn expected_ends_add_the_medians_and_skip_what_every_ticket_skipped() {
        let events: Vec<_> = (1..=6).flat_map(|i| full_run(i, 100)).collect();
        let times = StepTimes::from_events(events);
        let since = 1_000 * S;
        let eta = times.eta(Step::PackageBuilding, since, since).expect("eta");
        let ends: Vec<_> = eta.steps.iter().map(|s| (s.step, s.expected_end)).collect();
        assert_eq!(
            ends,
            [
                (Step::PackageBuilding, Some(timestamp(since + 100 * S))),
                (Step::PackagePublishing, Some(timestamp(since + 110 * S))),
            ]
        );
        assert_eq!(eta.expected_completion, Some(timestamp(since + 110 * S)));
        // Past its median, the current step is expected to end now.
        let now = since + 500 * S;
        let late = times.eta(Step::PackageBuilding, since, now).expect("eta");
        assert_eq!(late.steps[0].expected_end, Some(timestamp(now)));
        assert_eq!(late.expected_completion, Some(timestamp(now + 10 * S)));
    }

    #[test]
    fn only_tickets_in_the_engine_have_an_eta() {
        let times = StepTimes::default();
        for step in [Step::New, Step::Failed, Step::Complete] {
            assert_eq!(times.eta(step, 0, 0), None, "{step:?}");
        }
        assert!(times.eta(Step::Queued, 0, 0).is_some());
    }
}
