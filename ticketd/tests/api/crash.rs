//! The crash guarantee (a 2xx answer has reached the disk: README.md,
//! Storage), with the real binary: sixteen clients submit bundles and move
//! tickets and subtickets through the workflow, `ticketd` is killed with
//! SIGKILL at a random moment, restarted on the same data, and then every
//! answer a client got with a 2xx is still true: every acknowledged ticket,
//! subticket, upload and artifact is there unchanged, every acknowledged
//! status change is in the object's state and in the history, and no ticket
//! exists without exactly the subtickets of its bundle. Three rounds on one
//! data dir, on SQLite and PostgreSQL.
//!
//! The helpers that compare a bundle's answer with what the server later
//! says are shared with cluster.rs.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::PgDatabase;
use crate::procs::{Rng, Sandbox, Server, client, send};

const CLIENTS: usize = 16;
const ROUNDS: usize = 3;
/// The kill comes this long after the load starts, plus up to `KILL_SPREAD`.
const KILL_AFTER: Duration = Duration::from_millis(300);
const KILL_SPREAD_MS: u64 = 600;

/// Fields of a ticket or subticket that a status change moves (the queue
/// position and ETA move with other tickets' changes too); every other
/// field must never change once answered.
pub const STATE_KEYS: [&str; 10] = [
    "current_workflow_step",
    "current_workflow_step_display",
    "status",
    "status_display",
    "failed_step",
    "updated",
    "failure",
    "in_step_since",
    "queue_position",
    "eta",
];

/// A bundle of three uploads, named by `tag` (unique per test): one source
/// package that every bundle shares (so concurrent bundles race to find or
/// create it), two shared by some; an artifact on two uploads, two on the
/// ticket.
pub fn bundle_request(tag: &str, bug: u64) -> Value {
    let version = format!("{bug}.0-1");
    json!({
        "ticket": {"title": format!("bundle {tag}"), "description": format!("load {tag}"),
                   "owner": "dev@example.com", "bug_id": bug.to_string()},
        "uploads": [
            {"sourcepackage": "libcommon", "version": version, "assignee": "alice@example.com",
             "artifacts": [{"name": format!("libcommon_{version}.dsc"),
                            "reference": format!("https://files.example/{tag}/libcommon.dsc"), "type": "SPU"}]},
            {"sourcepackage": format!("pkg-{}", bug % 7), "version": version},
            {"sourcepackage": format!("tool-{}", bug % 3), "version": version, "assignee": "bob@example.com",
             "artifacts": [{"name": "build.log", "reference": format!("https://ci.example/{tag}/build.log"), "type": "LOGS"}]}
        ],
        "artifacts": [
            {"name": "image", "reference": format!("https://images.example/{tag}.img"), "type": "IMAGE"},
            {"name": "results", "reference": format!("https://ci.example/{tag}/results"), "type": "RESULTS"}
        ],
        "queue": true
    })
}

/// Every full ticket, by id.
pub async fn all_fulltickets(server: &Server) -> BTreeMap<i64, Value> {
    let mut all = BTreeMap::new();
    let mut offset = 0;
    loop {
        let page = server
            .get(&format!("/api/v1/fullticket/?limit=1000&offset={offset}"))
            .await;
        let objects = page["objects"]
            .as_array()
            .unwrap_or_else(|| panic!("no objects in a fullticket page: {page}"));
        for object in objects {
            all.insert(id(object), object.clone());
        }
        // A page may hold fewer than asked for (its byte budget): follow
        // `next` as any client must.
        if page["meta"]["next"].is_null() || objects.is_empty() {
            return all;
        }
        offset += objects.len();
    }
}

pub fn id(object: &Value) -> i64 {
    object["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {object}"))
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// The ids of a full ticket's subtickets, in order.
pub fn subticket_ids(full: &Value) -> Vec<i64> {
    array(full, "subtickets").iter().map(id).collect()
}

/// Whether `full` is what `request` asked for: the ticket's fields, one
/// subticket per upload (package, version, assignee, artifacts) and the
/// ticket's artifacts. `Err` says what differs.
pub fn check_shape(request: &Value, full: &Value) -> Result<(), String> {
    let ticket = &request["ticket"];
    for key in ["title", "description", "owner", "bug_id"] {
        if full[key] != ticket[key] {
            return Err(format!("{key} is {} instead of {}", full[key], ticket[key]));
        }
    }
    let artifacts = |value: &Value| -> Vec<(Value, Value, Value)> {
        array(value, "artifacts")
            .iter()
            .map(|a| (a["name"].clone(), a["reference"].clone(), a["type"].clone()))
            .collect()
    };
    if artifacts(full) != artifacts(request) {
        return Err(format!(
            "the ticket's artifacts are {:?} instead of {:?}",
            artifacts(full),
            artifacts(request)
        ));
    }
    let uploads = array(request, "uploads");
    let subtickets = array(full, "subtickets");
    if subtickets.len() != uploads.len() {
        return Err(format!(
            "{} subtickets for a bundle of {} uploads",
            subtickets.len(),
            uploads.len()
        ));
    }
    for (i, (sub, upload)) in subtickets.iter().zip(uploads).enumerate() {
        let spu = &sub["source_package_upload"];
        let assignee = match &upload["assignee"] {
            Value::Null => &ticket["owner"],
            given => given,
        };
        if spu["sourcepackage"]["name"] != upload["sourcepackage"]
            || spu["version"] != upload["version"]
            || &sub["assignee"] != assignee
            || artifacts(sub) != artifacts(upload)
        {
            return Err(format!(
                "subticket {i} is {sub}\nbut upload {i} asked for {upload}"
            ));
        }
    }
    Ok(())
}

/// Keys of `answered` whose value `current` no longer has, `skip` aside.
/// A reference answered as a URI matches an object nested in its place.
pub fn changed_keys(current: &Value, answered: &Value, skip: &[&str]) -> Vec<String> {
    let Some(fields) = answered.as_object() else {
        return vec![format!("not an object: {answered}")];
    };
    fields
        .iter()
        .filter(|(key, _)| !skip.contains(&key.as_str()) && key.as_str() != "resource_uri")
        .filter(|(key, was)| {
            let is = &current[key.as_str()];
            is != *was && !(is.is_object() && was.is_string() && is["resource_uri"] == **was)
        })
        .map(|(key, was)| format!("{key}: answered {was}, now {}", current[key.as_str()]))
        .collect()
}

/// Whether `full` still says everything the bundle's 201 `answer` said,
/// workflow state aside: the same fields, the same subtickets with their
/// uploads and artifacts, the same artifacts, and the answer's history as
/// the start of today's history.
pub fn check_answered_bundle(answer: &Value, full: &Value) -> Result<(), String> {
    let mut problems = changed_keys(
        full,
        answer,
        &[&STATE_KEYS[..], &["subtickets", "history"]].concat(),
    );
    if subticket_ids(full) != subticket_ids(answer) {
        problems.push(format!(
            "subtickets {:?}, answered {:?}",
            subticket_ids(full),
            subticket_ids(answer)
        ));
    } else {
        for (is, was) in array(full, "subtickets")
            .iter()
            .zip(array(answer, "subtickets"))
        {
            for problem in changed_keys(is, was, &STATE_KEYS) {
                problems.push(format!("subticket {}: {problem}", id(was)));
            }
        }
    }
    let answered = array(answer, "history");
    let history = array(full, "history");
    if history.len() < answered.len() || history[..answered.len()] != *answered {
        problems.push(format!(
            "the history no longer starts with the answered one: answered {answered:?}, now {history:?}"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Source packages are found or created by name: one id per name across
/// every ticket, however many bundles raced to create it. The problems.
pub fn check_source_packages(all: &BTreeMap<i64, Value>) -> Vec<String> {
    let mut ids: BTreeMap<String, (Value, i64)> = BTreeMap::new();
    let mut problems = Vec::new();
    for (ticket, full) in all {
        for sub in array(full, "subtickets") {
            let package = &sub["source_package_upload"]["sourcepackage"];
            let name = package["name"].to_string();
            let (first, seen_in) = ids.entry(name).or_insert((package["id"].clone(), *ticket));
            if *first != package["id"] {
                problems.push(format!(
                    "source package {} is {first} in ticket {seen_in} but {} in ticket {ticket}",
                    package["name"], package["id"]
                ));
            }
        }
    }
    problems
}

/// The state (step, status) a request `{step, status}` leads to: a failure
/// at any step lands at 999/999.
pub fn target_state(step: i64, status: i64) -> (i64, i64) {
    if status == 999 {
        (999, 999)
    } else {
        (step, status)
    }
}

pub fn state_of(object: &Value) -> (i64, i64) {
    (
        object["current_workflow_step"].as_i64().unwrap_or(-1),
        object["status"].as_i64().unwrap_or(-1),
    )
}

/// A status change sent by a client: `sub` is the index of the subticket
/// in its bundle, `None` the ticket; the message is unique to the request.
#[derive(Debug, Clone)]
struct Change {
    sub: Option<usize>,
    step: i64,
    status: i64,
    message: String,
}

/// The changes every bundle goes through, one at a time, in this order.
/// No subticket fails, so the one side effect on another object is the
/// completion's: it completes the subtickets with their ticket
/// ([`Tracked::record`] knows it); each object's state is exactly its last
/// acknowledged one.
fn script(bundle: usize) -> [(Option<usize>, i64, i64); 6] {
    let last = if bundle.is_multiple_of(2) {
        (None, 1000, 1000)
    } else {
        (None, 400, 999)
    };
    [
        (Some(0), 200, 100),
        (None, 200, 100),
        (Some(1), 200, 200),
        (Some(2), 300, 100),
        (None, 400, 100),
        last,
    ]
}

/// A bundle as its client knows it from the answers.
#[derive(Debug)]
struct Tracked {
    request: Value,
    /// The 201 answer (a full ticket).
    answer: Value,
    /// The last acknowledged state of the ticket, and of each subticket.
    ticket: Value,
    subs: Vec<Value>,
    /// Acknowledged status changes with the state answered.
    changes: Vec<(Change, (i64, i64))>,
    /// How many subtickets an acknowledged completion completed with it.
    completed_with_it: usize,
    next: usize,
}

/// The message of the event of a subticket completed with its ticket.
const COMPLETED_WITH_IT: &str = "completed with its ticket";

impl Tracked {
    fn new(request: Value, answer: Value) -> Tracked {
        Tracked {
            request,
            ticket: answer.clone(),
            subs: array(&answer, "subtickets").to_vec(),
            answer,
            changes: Vec::new(),
            completed_with_it: 0,
            next: 0,
        }
    }

    fn id(&self) -> i64 {
        id(&self.answer)
    }

    fn object(&self, sub: Option<usize>) -> &Value {
        match sub {
            None => &self.ticket,
            Some(i) => &self.subs[i],
        }
    }

    fn record(&mut self, change: Change, answer: Value) {
        let state = state_of(&answer);
        match change.sub {
            None => {
                if state == (1000, 1000) {
                    // The subtickets neither failed nor complete are
                    // completed in the same transaction, at the same time.
                    for sub in self.subs.iter_mut() {
                        if matches!(state_of(sub).0, 999 | 1000) {
                            continue;
                        }
                        for (key, value) in [
                            ("current_workflow_step", json!(1000)),
                            ("current_workflow_step_display", json!("Complete")),
                            ("status", json!(1000)),
                            ("status_display", json!("Complete")),
                            ("updated", answer["updated"].clone()),
                        ] {
                            sub[key] = value;
                        }
                        self.completed_with_it += 1;
                    }
                }
                self.ticket = answer;
            }
            Some(i) => self.subs[i] = answer,
        }
        self.changes.push((change, state));
    }
}

/// A request a client had sent when the server died: it may or may not
/// have been committed.
#[derive(Debug)]
enum Pending {
    Bundle(Value),
    Change(usize, Change),
}

#[derive(Debug, Default)]
struct Outcome {
    bundles: Vec<Tracked>,
    pending: Option<Pending>,
    unexpected: Vec<String>,
}

/// One client: submit bundles and move them along [`script`], one request
/// at a time, until a request fails in transport (the server is dead).
async fn run_client(base: String, round: usize, index: usize, seed: u64) -> Outcome {
    let http = client();
    let mut rng = Rng::seeded(seed);
    let mut out = Outcome::default();
    let deadline = Instant::now() + Duration::from_secs(30);
    for seq in 0.. {
        if Instant::now() > deadline {
            out.unexpected
                .push(format!("client {index} still running after 30 s"));
            return out;
        }
        let open: Vec<usize> = (0..out.bundles.len())
            .filter(|&b| out.bundles[b].next < script(0).len())
            .collect();
        if open.is_empty() || rng.below(3) == 0 {
            let tag = format!("r{round}-c{index}-n{seq}");
            let bug = (round as u64 + 1) * 1_000_000 + index as u64 * 10_000 + seq;
            let request = bundle_request(&tag, bug);
            let sent = send(http.post(format!("{base}/api/v1/bundle/")).json(&request)).await;
            match sent {
                Err(_) => {
                    out.pending = Some(Pending::Bundle(request));
                    return out;
                }
                Ok((StatusCode::CREATED, answer)) => {
                    if let Err(problem) = check_shape(&request, &answer) {
                        out.unexpected.push(format!(
                            "bundle {tag} answered 201 with {answer}: {problem}"
                        ));
                        return out;
                    }
                    out.bundles.push(Tracked::new(request, answer));
                }
                Ok((status, body)) => {
                    out.unexpected
                        .push(format!("bundle {tag}: {status} {body}"));
                    return out;
                }
            }
        } else {
            let b = *rng.pick(&open);
            let tracked = &mut out.bundles[b];
            let (sub, step, status) = script(b)[tracked.next];
            let message = format!(
                "r{round}-c{index}-n{seq}: change {} of ticket {}",
                tracked.next,
                tracked.id()
            );
            let path = match sub {
                None => format!("/api/v1/updateticketstatus/{}/", tracked.id()),
                Some(i) => format!("/api/v1/updatesubticketstatus/{}/", id(&tracked.subs[i])),
            };
            let body = json!({"current_workflow_step": step, "status": status, "message": message});
            let change = Change {
                sub,
                step,
                status,
                message,
            };
            match send(http.patch(format!("{base}{path}")).json(&body)).await {
                Err(_) => {
                    out.pending = Some(Pending::Change(b, change));
                    return out;
                }
                Ok((StatusCode::ACCEPTED, answer)) => {
                    if state_of(&answer) != target_state(step, status) {
                        out.unexpected
                            .push(format!("PATCH {path} {body} answered 202 with {answer}"));
                        return out;
                    }
                    tracked.record(change, answer);
                    tracked.next += 1;
                }
                Ok((status, answer)) => {
                    out.unexpected
                        .push(format!("PATCH {path} {body}: {status} {answer}"));
                    return out;
                }
            }
        }
    }
    out
}

/// Compare everything the clients were told with what the restarted
/// server says; requests in flight at the kill count as acknowledged when
/// they took effect. The problems found, empty when all is well.
async fn verify(
    server: &Server,
    tracked: &mut Vec<Tracked>,
    pending_bundles: Vec<Value>,
    mut pending_changes: HashMap<usize, Change>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let all = all_fulltickets(server).await;
    let known: HashMap<i64, usize> = tracked
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id(), i))
        .collect();

    // A bundle in flight is all there (then it counts from now on) or not at all.
    for request in pending_bundles {
        let title = &request["ticket"]["title"];
        let found: Vec<&Value> = all
            .values()
            .filter(|full| &full["title"] == title && !known.contains_key(&id(full)))
            .collect();
        match found.as_slice() {
            [] => {}
            [full] => match check_shape(&request, full) {
                Ok(()) => tracked.push(Tracked::new(request.clone(), (*full).clone())),
                Err(problem) => problems.push(format!(
                    "the bundle in flight at the kill, {title}, is half made: {problem}\n{full}"
                )),
            },
            many => problems.push(format!("{} tickets {title} from one request", many.len())),
        }
    }
    let known: HashMap<i64, usize> = tracked
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id(), i))
        .collect();
    problems.extend(check_source_packages(&all));
    for (ticket, full) in &all {
        if !known.contains_key(ticket) {
            problems.push(format!(
                "ticket {ticket} was neither acknowledged nor in flight (or is half made): {full}"
            ));
        }
    }

    for (index, t) in tracked.iter_mut().enumerate() {
        let ticket = t.id();
        let Some(full) = all.get(&ticket) else {
            problems.push(format!(
                "acknowledged ticket {ticket} ({}) is gone",
                t.request["ticket"]["title"]
            ));
            continue;
        };
        if let Err(problem) = check_shape(&t.request, full) {
            problems.push(format!("ticket {ticket} is not its bundle: {problem}"));
            continue;
        }
        if let Err(problem) = check_answered_bundle(&t.answer, full) {
            problems.push(format!("ticket {ticket} changed: {problem}"));
            continue;
        }
        let history = array(full, "history");
        let event_of = |message: &str| -> Vec<&Value> {
            history.iter().filter(|e| e["message"] == message).collect()
        };
        let uri_of = |sub: Option<usize>| match sub {
            None => Value::Null,
            Some(i) => full["subtickets"][i]["resource_uri"].clone(),
        };

        // An in-flight change either took effect (state and event) or not.
        if let Some(change) = pending_changes.remove(&index) {
            let current = match change.sub {
                None => full.clone(),
                Some(i) => full["subtickets"][i].clone(),
            };
            let events = event_of(&change.message);
            let moved = state_of(&current) == target_state(change.step, change.status);
            match (moved, events.len()) {
                (false, 0) => {}
                (true, 1) => t.record(change, current),
                _ => problems.push(format!(
                    "ticket {ticket}: the change in flight ({change:?}) left the object at {:?} with events {events:?}",
                    state_of(&current)
                )),
            }
        }

        // Each object is exactly at its last acknowledged state.
        let current_objects = std::iter::once((None, full)).chain(
            array(full, "subtickets")
                .iter()
                .enumerate()
                .map(|(i, s)| (Some(i), s)),
        );
        for (sub, current) in current_objects {
            let expected = t.object(sub);
            // The queue position and ETA move with other tickets.
            let differ = changed_keys(
                current,
                expected,
                &[
                    "subtickets",
                    "history",
                    "artifacts",
                    "source_package_upload",
                    "queue_position",
                    "eta",
                ],
            );
            if !differ.is_empty() {
                problems.push(format!(
                    "ticket {ticket} {}: not at its last acknowledged state:\n  {}",
                    sub.map_or("itself".to_string(), |i| format!("subticket #{i}")),
                    differ.join("\n  ")
                ));
            }
        }

        // Each acknowledged change is in the history once, as answered;
        // the history holds nothing else after the bundle's own events.
        for (change, answered) in &t.changes {
            match event_of(&change.message).as_slice() {
                [event] if event["subticket"] == uri_of(change.sub)
                    && (event["to_step"].as_i64(), event["to_status"].as_i64()) == (Some(answered.0), Some(answered.1))
                    && event["kind"] == "status" => {}
                events => problems.push(format!(
                    "ticket {ticket}: acknowledged change {change:?} (answered {answered:?}) has the events {events:?}"
                )),
            }
        }
        let completed_with_it = event_of(COMPLETED_WITH_IT).len();
        if completed_with_it != t.completed_with_it {
            problems.push(format!(
                "ticket {ticket}: {completed_with_it} subtickets completed with it, {} acknowledged",
                t.completed_with_it
            ));
        }
        for event in &history[array(&t.answer, "history").len().min(history.len())..] {
            if event["message"] != COMPLETED_WITH_IT
                && !t
                    .changes
                    .iter()
                    .any(|(c, _)| event["message"] == c.message.as_str())
            {
                problems.push(format!(
                    "ticket {ticket}: an event nobody asked for: {event}"
                ));
            }
        }
    }
    for (index, change) in pending_changes {
        problems.push(format!(
            "a change in flight on bundle {index} was not checked: {change:?}"
        ));
    }
    problems
}

async fn crash_rounds(database: Option<&str>, what: &str) {
    let started = Instant::now();
    let sandbox = Sandbox::new();
    let mut rng = Rng::new(what);
    let mut tracked: Vec<Tracked> = Vec::new();
    let mut server = sandbox.serve(database, &["--no-auth"]).await;
    let tickets = |page: Value| page["meta"]["total_count"].as_i64().unwrap_or(0);
    for round in 0..ROUNDS {
        let tickets_before = tickets(server.get("/api/v1/ticket/?limit=1").await);
        let clients: Vec<_> = (0..CLIENTS)
            .map(|index| tokio::spawn(run_client(server.base.clone(), round, index, rng.next())))
            .collect();
        // On a loaded machine the clients can take longer than the delay
        // to commit anything: the delay counts from the round's first
        // committed bundle, so that every round has writes to check.
        let waiting = Instant::now();
        while tickets(server.get("/api/v1/ticket/?limit=1").await) <= tickets_before
            && waiting.elapsed() < Duration::from_secs(30)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let delay = KILL_AFTER + Duration::from_millis(rng.below(KILL_SPREAD_MS));
        tokio::time::sleep(delay).await;
        let status = server.kill();
        let logs = server.logs();
        assert!(
            !status.success(),
            "{what} round {round}: ticketd had exited by itself ({status}) before the kill:\n{logs}"
        );

        let mut pending_bundles = Vec::new();
        let mut pending_changes = HashMap::new();
        let mut unexpected = Vec::new();
        let (before_bundles, before_changes) = (tracked.len(), changes(&tracked));
        for handle in clients {
            let outcome = handle.await.expect("a client task ends without a panic");
            let offset = tracked.len();
            unexpected.extend(outcome.unexpected);
            match outcome.pending {
                Some(Pending::Bundle(request)) => pending_bundles.push(request),
                Some(Pending::Change(b, change)) => {
                    pending_changes.insert(offset + b, change);
                }
                None => {}
            }
            tracked.extend(outcome.bundles);
        }
        assert!(
            unexpected.is_empty(),
            "{what} round {round}: answers that are not 2xx for valid requests, before the kill:\n{}\n--- ticketd log\n{logs}",
            unexpected.join("\n")
        );
        let acked = tracked.len() - before_bundles;
        assert!(
            acked > 0,
            "{what} round {round}: no bundle was acknowledged in the {delay:?} before the kill; \
             the round tests nothing:\n{logs}"
        );
        let in_flight = (pending_bundles.len(), pending_changes.len());

        server = sandbox.serve(database, &["--no-auth"]).await;
        let problems = verify(&server, &mut tracked, pending_bundles, pending_changes).await;
        assert!(
            problems.is_empty(),
            "{what} round {round}: after kill -9 at {delay:?} into the load and a restart, {} problems:\n{}\n--- log of the killed ticketd\n{logs}",
            problems.len(),
            problems
                .iter()
                .take(30)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
        eprintln!(
            "{what} round {round}: killed at {delay:?}; {acked} bundles and {} status changes acknowledged, \
             (bundles, changes) in flight {in_flight:?}; {} tickets checked; {:?} so far",
            changes(&tracked) - before_changes,
            tracked.len(),
            started.elapsed()
        );
    }
    let logs = server.logs();
    let status = server.stop();
    assert!(
        status.success(),
        "{what}: SIGTERM after the last round: {status}\n{logs}"
    );
    eprintln!("{what}: {ROUNDS} rounds in {:?}", started.elapsed());
}

fn changes(tracked: &[Tracked]) -> usize {
    tracked.iter().map(|t| t.changes.len()).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_under_load_on_sqlite_loses_no_acknowledged_write() {
    crash_rounds(None, "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_under_load_on_postgres_loses_no_acknowledged_write() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    crash_rounds(Some(&db.url), "PostgreSQL").await;
}
