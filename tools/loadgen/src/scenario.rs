//! The scenarios and the closed-loop worker that runs them: each worker
//! holds one keep-alive connection and sends its next request as soon as
//! the previous answer is read.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::ValueEnum;
use serde_json::{Value, json};

use crate::client::{Answer, Conn, Target, TransportError};
use crate::fixture::{self, Fixture, OWNERS, UPLOADS};
use crate::rng::Rng;
use crate::stats::Recorder;
use crate::walker::Walk;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// GET /healthz: the ceiling of the server and the generator.
    Healthz,
    /// GET ticket/{id}/ on random seeded tickets.
    Ticket,
    /// GET fullticket/{id}/ on tickets with 10 subtickets and 30 artifacts.
    Fullticket,
    /// GET ticket/ list pages with random filters, orderings and offsets.
    List,
    /// GET ticket/?limit=20&offset=N: an unfiltered page at a random
    /// offset up to `--max-offset`. Not part of `all`.
    Page,
    /// PATCH legal status changes, walking tickets to Complete.
    Status,
    /// POST bundle/ with 3 uploads and 6 artifacts.
    Bundle,
    /// The same submission as the seed's 17 separate calls, timed as one.
    SeedFlow,
    /// A weighted mix of lander, developers and web UI (see the README).
    Mixed,
    /// Every scenario above, in this order.
    All,
    /// PATCH `updateticketstatus/`, walking tickets without uploads from
    /// New to Complete (ten changes each), as a lander does at a site with
    /// a backlog (see `--backlog`). Not part of `all`.
    Walk,
}

impl Scenario {
    pub const EVERY: [Scenario; 8] = [
        Scenario::Healthz,
        Scenario::Ticket,
        Scenario::Fullticket,
        Scenario::List,
        Scenario::Status,
        Scenario::Bundle,
        Scenario::SeedFlow,
        Scenario::Mixed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::Healthz => "healthz",
            Scenario::Ticket => "ticket",
            Scenario::Fullticket => "fullticket",
            Scenario::List => "list",
            Scenario::Page => "page",
            Scenario::Status => "status",
            Scenario::Walk => "walk",
            Scenario::Bundle => "bundle",
            Scenario::SeedFlow => "seed-flow",
            Scenario::Mixed => "mixed",
            Scenario::All => "all",
        }
    }

    /// Whether it reads the seeded tickets.
    pub fn needs_fixture(self) -> bool {
        matches!(
            self,
            Scenario::Ticket
                | Scenario::Fullticket
                | Scenario::List
                | Scenario::Page
                | Scenario::Mixed
        )
    }
}

/// One kind of request (a whole submission for `SeedFlow`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Healthz,
    Ticket,
    Fullticket,
    List,
    /// An unfiltered list page at a random offset.
    Page,
    Status,
    Bundle,
    SeedFlow,
    /// The lander's poll of the history: `event/?id__gt=cursor`.
    EventPoll,
}

/// The mix of `mixed`, in requests per 100. See the README for why.
pub const MIX: [(Op, u64); 6] = [
    (Op::Status, 36),
    (Op::Bundle, 1),
    (Op::EventPoll, 8),
    (Op::List, 25),
    (Op::Fullticket, 20),
    (Op::Ticket, 10),
];

/// When the warm-up ends and when the measurement ends.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub measure_from: Instant,
    pub end: Instant,
}

/// The outcome of one timed request.
struct Outcome {
    success: bool,
    /// What went wrong, for the report's samples.
    detail: Option<String>,
}

impl Outcome {
    fn of(what: &str, answer: &Answer) -> Outcome {
        if answer.is_success() {
            Outcome {
                success: true,
                detail: None,
            }
        } else {
            Outcome {
                success: false,
                detail: Some(format!(
                    "{what}: {} {}",
                    answer.status,
                    String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)])
                )),
            }
        }
    }
}

/// Open-loop pacing for `--rate`: one request slot every `interval`, shared
/// by all workers, so that the load is the rate asked for, not as much as
/// the server takes.
#[derive(Debug)]
pub struct Pace {
    next: std::sync::Mutex<Instant>,
    interval: Duration,
}

impl Pace {
    /// Pacing at `rate` requests per second; `None` for a rate that is not
    /// positive.
    pub fn new(rate: f64) -> Option<Arc<Pace>> {
        let interval = Duration::try_from_secs_f64(1.0 / rate).ok()?;
        (rate > 0.0).then(|| {
            Arc::new(Pace {
                next: std::sync::Mutex::new(Instant::now()),
                interval,
            })
        })
    }

    /// When the caller's next request is due. A slot missed (the workers
    /// were all busy) is not made up later with a burst.
    fn slot(&self) -> Instant {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let slot = (*next).max(Instant::now());
        *next = slot + self.interval;
        slot
    }
}

pub struct Worker {
    pub index: usize,
    /// `--rate`: wait for a slot before each request.
    pace: Option<Arc<Pace>>,
    conn: Conn,
    rng: Rng,
    fixture: Option<Arc<Fixture>>,
    /// Tickets this worker alone walks through the workflow.
    walks: Vec<Walk>,
    /// The lander's event cursor.
    cursor: i64,
    tag: Arc<str>,
    /// Submissions made, for unique titles.
    submitted: u64,
    max_offset: u64,
    /// In `mixed`, submitted bundles join this worker's walks.
    feed_walks: bool,
    /// In `walk`, new walks are of tickets without uploads.
    bare_walks: bool,
}

impl Worker {
    pub fn new(
        index: usize,
        target: Target,
        fixture: Option<Arc<Fixture>>,
        walks: Vec<Walk>,
        tag: Arc<str>,
        max_offset: u64,
    ) -> Worker {
        let cursor = fixture.as_ref().map_or(0, |f| f.last_event);
        Worker {
            index,
            pace: None,
            conn: Conn::new(target),
            rng: Rng::from_time(index as u64 + 1),
            fixture,
            walks,
            cursor,
            tag,
            submitted: 0,
            max_offset,
            feed_walks: false,
            bare_walks: false,
        }
    }

    /// Wait for `pace`'s slots before each request.
    pub fn paced(mut self, pace: Option<Arc<Pace>>) -> Worker {
        self.pace = pace;
        self
    }

    /// Run `scenario` until `window.end`, recording what finishes inside
    /// the measurement window.
    pub async fn run(mut self, scenario: Scenario, window: Window) -> anyhow::Result<Recorder> {
        let mut recorder = Recorder::new()?;
        self.feed_walks = scenario == Scenario::Mixed;
        self.bare_walks = scenario == Scenario::Walk;
        loop {
            if Instant::now() >= window.end {
                break;
            }
            let op = self.pick(scenario);
            if op == Op::Status && self.walks.is_empty() {
                // Untimed: a new queued ticket to walk.
                recorder.setup_requests += 1;
                if let Err(err) = self.refill().await {
                    recorder.transport += 1;
                    recorder.note(|| format!("refilling the status pool: {err:#}"));
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
            if let Some(pace) = &self.pace {
                tokio::time::sleep_until(pace.slot().into()).await;
            }
            let started = Instant::now();
            if started >= window.end {
                break;
            }
            let result = self.execute(op).await;
            let finished = Instant::now();
            let counted = started >= window.measure_from && finished <= window.end;
            match result {
                Ok(outcome) => {
                    if counted {
                        recorder.record(finished - started, outcome.success);
                        if let Some(detail) = outcome.detail {
                            recorder.note(|| detail);
                        }
                    }
                }
                Err(err) => {
                    if counted {
                        recorder.transport += 1;
                        recorder.note(|| format!("transport: {err}"));
                    }
                    // Do not spin on a server that is gone.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
        Ok(recorder)
    }

    fn pick(&mut self, scenario: Scenario) -> Op {
        match scenario {
            Scenario::Healthz => Op::Healthz,
            Scenario::Ticket => Op::Ticket,
            Scenario::Fullticket => Op::Fullticket,
            Scenario::List => Op::List,
            Scenario::Page => Op::Page,
            Scenario::Status | Scenario::Walk => Op::Status,
            Scenario::Bundle => Op::Bundle,
            Scenario::SeedFlow => Op::SeedFlow,
            Scenario::Mixed | Scenario::All => {
                let total: u64 = MIX.iter().map(|(_, w)| w).sum();
                let mut roll = self.rng.below(total);
                for (op, weight) in MIX {
                    if roll < weight {
                        return op;
                    }
                    roll -= weight;
                }
                Op::Healthz
            }
        }
    }

    async fn refill(&mut self) -> anyhow::Result<()> {
        if self.bare_walks {
            self.submitted += 1;
            let title = format!("lg-{}-bare-{}-{}", self.tag, self.index, self.submitted);
            let ticket = fixture::create_bare_ticket(&mut self.conn, &title).await?;
            self.walks.push(Walk::from_new(ticket));
            return Ok(());
        }
        let body = self.bundle_body("walk");
        let (ticket, subtickets) = fixture::submit_bundle(&mut self.conn, &body).await?;
        let walk = fixture::new_walk(&mut self.rng, ticket, &subtickets);
        self.walks.push(walk);
        Ok(())
    }

    fn bundle_body(&mut self, kind: &str) -> Value {
        self.submitted += 1;
        let n = self.submitted;
        let title = format!("lg-{}-{kind}-{}-{n}", self.tag, self.index);
        fixture::bundle_body(&title, "dev@example.com", n, 0, true)
    }

    async fn execute(&mut self, op: Op) -> Result<Outcome, TransportError> {
        match op {
            Op::Healthz => {
                let answer = self.conn.get("/healthz").await?;
                Ok(Outcome::of("GET /healthz", &answer))
            }
            Op::Ticket => {
                let id = self.pick_id(|f| &f.tickets);
                let path = format!("/api/v1/ticket/{id}/");
                let answer = self.conn.get(&path).await?;
                Ok(Outcome::of(&path, &answer))
            }
            Op::Fullticket => {
                let id = self.pick_id(|f| &f.fulltickets);
                let path = format!("/api/v1/fullticket/{id}/");
                let answer = self.conn.get(&path).await?;
                Ok(Outcome::of(&path, &answer))
            }
            Op::List | Op::Page => {
                let path = if op == Op::List {
                    self.list_path()
                } else {
                    self.page_path()
                };
                let answer = self.conn.get(&path).await?;
                Ok(Outcome::of(&path, &answer))
            }
            Op::Status => self.status().await,
            Op::Bundle => {
                let body = self.bundle_body("bundle");
                let answer = self.conn.post_json("/api/v1/bundle/", &body).await?;
                let outcome = Outcome::of("POST /api/v1/bundle/", &answer);
                if outcome.success && self.feed_walks {
                    // In `mixed` the lander walks what developers submit.
                    if let Ok((ticket, subtickets)) =
                        answer.json().and_then(|v| fixture::bundle_ids(&v))
                    {
                        let walk = fixture::new_walk(&mut self.rng, ticket, &subtickets);
                        self.walks.push(walk);
                    }
                }
                Ok(outcome)
            }
            Op::SeedFlow => self.seed_flow().await,
            Op::EventPoll => {
                let path = format!("/api/v1/event/?id__gt={}&limit=100", self.cursor);
                let answer = self.conn.get(&path).await?;
                let outcome = Outcome::of(&path, &answer);
                if outcome.success
                    && let Ok(page) = answer.json()
                    && let Some(last) = page
                        .get("objects")
                        .and_then(Value::as_array)
                        .and_then(|objects| objects.last())
                        .and_then(|event| event.get("id"))
                        .and_then(Value::as_i64)
                {
                    self.cursor = last;
                }
                Ok(outcome)
            }
        }
    }

    fn pick_id(&mut self, which: impl Fn(&Fixture) -> &fixture::Ids) -> i64 {
        match &self.fixture {
            Some(f) => which(f).pick(&mut self.rng),
            None => 1,
        }
    }

    /// An unfiltered page of 20 at a random offset.
    fn page_path(&mut self) -> String {
        let total = self.fixture.as_ref().map_or(0, |f| f.total);
        let offset = self.rng.below(total.min(self.max_offset).max(1));
        format!("/api/v1/ticket/?limit=20&offset={offset}")
    }

    /// A list page: one of eight shapes a web UI or a script asks for.
    fn list_path(&mut self) -> String {
        let (total, prefix) = match &self.fixture {
            Some(f) => (f.total, f.title_prefix.clone()),
            None => (0, String::new()),
        };
        let offset_range = total.min(self.max_offset).max(1);
        let offset = self.rng.below(offset_range);
        let digit = self.rng.below(10);
        let base = "/api/v1/ticket/?limit=20";
        match self.rng.below(8) {
            0 => format!("{base}&offset={offset}"),
            1 => format!("{base}&offset={offset}&order_by=-id"),
            2 => {
                let status = [0, 100, 200, 1000][self.rng.index(4)];
                format!("{base}&status={status}")
            }
            3 => {
                let step = [100, 200, 400, 1000][self.rng.index(4)];
                format!("{base}&current_workflow_step={step}&order_by=-updated")
            }
            4 => {
                let id = self.pick_id(|f| &f.tickets);
                format!("{base}&id__gt={id}")
            }
            5 => format!(
                "{base}&title__startswith={}{digit}&order_by=title",
                percent_encode(&prefix)
            ),
            6 => format!(
                "{base}&owner=dev{}%40example.com&order_by=-created",
                self.rng.below(OWNERS)
            ),
            _ => format!(
                "{base}&status=100&current_workflow_step=200&order_by=-id&offset={}",
                self.rng.below(40)
            ),
        }
    }

    /// One legal status change of a ticket from this worker's pool.
    async fn status(&mut self) -> Result<Outcome, TransportError> {
        if self.walks.is_empty() {
            return Ok(Outcome {
                success: false,
                detail: Some("no ticket left to walk".into()),
            });
        }
        let slot = self.rng.index(self.walks.len());
        let Some(step) = self.walks.get(slot).and_then(Walk::peek) else {
            self.walks.swap_remove(slot);
            return Ok(Outcome {
                success: false,
                detail: Some("an empty walk in the pool".into()),
            });
        };
        let path = step.path();
        let result = self.conn.patch_json(&path, &step.body()).await;
        let outcome = match &result {
            Ok(answer) => Outcome::of(&format!("PATCH {path} {}", step.body()), answer),
            Err(_) => Outcome {
                success: false,
                detail: None,
            },
        };
        if outcome.success {
            if let Some(walk) = self.walks.get_mut(slot) {
                walk.advance();
                if walk.is_done() {
                    self.walks.swap_remove(slot);
                }
            }
        } else {
            // The ticket's state is no longer known: leave it.
            self.walks.swap_remove(slot);
        }
        result.map(|_| outcome)
    }

    /// The seed's separate calls for one submission (17 requests), as in
    /// `tools/submission-timing.py`. A 409 on an existing source package is
    /// expected; any other non-2xx fails the submission.
    async fn seed_flow(&mut self) -> Result<Outcome, TransportError> {
        self.submitted += 1;
        let n = self.submitted;
        let title = format!("lg-{}-flow-{}-{n}", self.tag, self.index);
        let body = json!({"title": title, "owner": "dev@example.com", "description": "timing run"});
        let answer = self.conn.post_json("/api/v1/ticket/", &body).await?;
        let Some(ticket) = ok_json(&answer) else {
            return Ok(Outcome::of("POST /api/v1/ticket/", &answer));
        };
        let (Some(ticket_id), Some(ticket_uri)) = (
            ticket.get("id").and_then(Value::as_i64),
            ticket.get("resource_uri").and_then(Value::as_str),
        ) else {
            return Ok(bad_answer("POST /api/v1/ticket/", &answer));
        };
        let ticket_uri = ticket_uri.to_string();
        for (source, version) in UPLOADS {
            let answer = self
                .conn
                .post_json("/api/v1/sourcepackage/", &json!({"name": source}))
                .await?;
            let parsed: Option<Value> = serde_json::from_slice(&answer.body).ok();
            let source_uri = match (answer.status.as_u16(), &parsed) {
                (201, Some(v)) => v.get("resource_uri").and_then(Value::as_str),
                (409, Some(v)) => v.pointer("/error/existing").and_then(Value::as_str),
                _ => None,
            };
            let Some(source_uri) = source_uri else {
                return Ok(bad_answer("POST /api/v1/sourcepackage/", &answer));
            };
            let body = json!({"sourcepackage": source_uri, "version": version});
            let answer = self.conn.post_json("/api/v1/spu/", &body).await?;
            let Some(spu_uri) = ok_json(&answer).and_then(|v| uri(&v)) else {
                return Ok(bad_answer("POST /api/v1/spu/", &answer));
            };
            let body = json!({"source_package_upload": spu_uri, "ticket": ticket_uri});
            let answer = self.conn.post_json("/api/v1/subticket/", &body).await?;
            let Some(sub_uri) = ok_json(&answer).and_then(|v| uri(&v)) else {
                return Ok(bad_answer("POST /api/v1/subticket/", &answer));
            };
            for ext in ["dsc", "tar.xz"] {
                let body = json!({
                    "name": format!("{source}_{version}.{ext}"), "subticket": sub_uri,
                    "reference": format!("https://files.example/{source}/{n}.{ext}"), "type": "SPU"});
                let answer = self
                    .conn
                    .post_json("/api/v1/subticketartifact/", &body)
                    .await?;
                if !answer.is_success() {
                    return Ok(Outcome::of("POST /api/v1/subticketartifact/", &answer));
                }
            }
        }
        let path = format!("/api/v1/updateticketstatus/{ticket_id}/");
        let answer = self
            .conn
            .patch_json(&path, &json!({"current_workflow_step": 100, "status": 0}))
            .await?;
        Ok(Outcome::of(&path, &answer))
    }
}

fn ok_json(answer: &Answer) -> Option<Value> {
    if answer.is_success() {
        serde_json::from_slice(&answer.body).ok()
    } else {
        None
    }
}

fn uri(value: &Value) -> Option<String> {
    value
        .get("resource_uri")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// A failure, or a 2xx whose body lacked what the next call needs.
fn bad_answer(what: &str, answer: &Answer) -> Outcome {
    let mut outcome = Outcome::of(what, answer);
    if outcome.success {
        outcome.success = false;
        outcome.detail = Some(format!(
            "{what}: {} without the expected fields",
            answer.status
        ));
    }
    outcome
}

/// Percent-encode everything but unreserved characters, for query values.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(percent_encode("seeded ticket "), "seeded%20ticket%20");
        assert_eq!(percent_encode("lg-ab12-"), "lg-ab12-");
        assert_eq!(percent_encode("a@b&c"), "a%40b%26c");
    }

    #[test]
    fn the_mix_adds_up_to_100() {
        assert_eq!(MIX.iter().map(|(_, w)| w).sum::<u64>(), 100);
    }
}
