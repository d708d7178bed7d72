//! Two `ticketd` processes on one PostgreSQL database, as a multi-host
//! deployment runs them: sixteen clients, half on each, submit bundles and
//! race status changes on the same tickets and subtickets through both
//! processes, legal and illegal ones alike; one process is killed with
//! SIGKILL mid-run and its clients carry on against the survivor. In the
//! end every acknowledged write is there, every object's history is a
//! chain of legal moves that ends in its current state, no subticket
//! failed without failing its ticket, and the survivor still serves.
//! As on several hosts, each process has a data dir of its own and the
//! blobs are in one S3 bucket (object_store.rs's moto server): a blob
//! uploaded through the killed process is served by the survivor.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Digest;

use crate::crash::{
    all_fulltickets, bundle_request, check_answered_bundle, check_shape, check_source_packages, id,
    state_of, subticket_ids, target_state,
};
use crate::helpers::PgDatabase;
use crate::object_store::{Moto, serve_on};
use crate::procs::{Rng, Sandbox, client, send};

const CLIENTS: usize = 16;
/// How long the clients run.
const RUN: Duration = Duration::from_millis(3000);
/// Tickets made before the race starts.
const SEEDED: usize = 12;
/// Changes go to the most recent this many tickets, so that clients of
/// both processes collide on them.
const POOL: usize = 12;
const STEPS: [i64; 7] = [100, 200, 300, 400, 500, 999, 1000];
const STATUSES: [i64; 4] = [0, 100, 200, 999];

/// A status change answered 202: the object (`/api/v1/ticket/7/` or
/// `/api/v1/subticket/4/`), its ticket, the request and the answer.
#[derive(Debug, Clone)]
struct Acked {
    ticket: i64,
    object: String,
    request: Value,
    answer: Value,
}

#[derive(Debug, Default)]
struct Outcome {
    bundles: Vec<(Value, Value)>,
    in_flight_bundles: Vec<Value>,
    changes: Vec<Acked>,
    refused: usize,
    switched: bool,
    unexpected: Vec<String>,
}

/// The tickets clients race on: `(ticket id, subticket ids)`.
type Pool = Arc<Mutex<Vec<(i64, Vec<i64>)>>>;

fn pick_from_pool(pool: &Pool, rng: &mut Rng) -> (i64, Vec<i64>) {
    let pool = pool.lock().expect("the pool lock");
    let recent = &pool[pool.len().saturating_sub(POOL)..];
    rng.pick(recent).clone()
}

/// A change chosen at random: mostly plausible pairs, some nonsense ones.
fn random_change(rng: &mut Rng) -> (i64, i64) {
    let step = *rng.pick(&STEPS);
    let status = match step {
        999 => 999,
        1000 => 1000,
        _ if rng.below(20) == 0 => 1000,
        _ => *rng.pick(&STATUSES),
    };
    (step, status)
}

/// One client: on `base` until it dies, then on `fallback`, if any.
async fn run_client(
    index: usize,
    base: String,
    fallback: Option<String>,
    pool: Pool,
    first_dead: Arc<AtomicBool>,
    seed: u64,
) -> Outcome {
    let http = client();
    let mut rng = Rng::seeded(seed);
    let mut out = Outcome::default();
    let mut base = base;
    let mut fallback = fallback;
    let end = Instant::now() + RUN;
    let mut seq = 0u64;
    while Instant::now() < end {
        seq += 1;
        let tag = format!("cluster-c{index}-n{seq}");
        let sent = if rng.below(6) == 0 {
            let request = bundle_request(&tag, 5_000_000 + index as u64 * 10_000 + seq);
            let sent = send(http.post(format!("{base}/api/v1/bundle/")).json(&request)).await;
            match &sent {
                Ok((StatusCode::CREATED, answer)) => {
                    if let Err(problem) = check_shape(&request, answer) {
                        out.unexpected.push(format!(
                            "bundle {tag} answered 201 with {answer}: {problem}"
                        ));
                    }
                    let ticket = (id(answer), subticket_ids(answer));
                    pool.lock().expect("the pool lock").push(ticket);
                    out.bundles.push((request, answer.clone()));
                }
                Ok((status, body)) => out
                    .unexpected
                    .push(format!("bundle {tag} via {base}: {status} {body}")),
                Err(_) => out.in_flight_bundles.push(request),
            }
            sent.map(|_| ())
        } else {
            let (ticket, subs) = pick_from_pool(&pool, &mut rng);
            let object = match rng.below(subs.len() as u64 + 2) as usize {
                n if n < subs.len() => format!("/api/v1/subticket/{}/", subs[n]),
                _ => format!("/api/v1/ticket/{ticket}/"),
            };
            let (step, status) = random_change(&mut rng);
            let request = json!({"current_workflow_step": step, "status": status, "message": tag});
            let path = object
                .replace("/ticket/", "/updateticketstatus/")
                .replace("/subticket/", "/updatesubticketstatus/");
            let sent = send(http.patch(format!("{base}{path}")).json(&request)).await;
            match &sent {
                Ok((StatusCode::ACCEPTED, answer)) => {
                    if state_of(answer) != target_state(step, status)
                        || answer["resource_uri"] != object.as_str()
                    {
                        out.unexpected
                            .push(format!("PATCH {path} {request} answered 202 with {answer}"));
                    }
                    out.changes.push(Acked {
                        ticket,
                        object,
                        request,
                        answer: answer.clone(),
                    });
                }
                Ok((StatusCode::CONFLICT, body))
                    if body["error"]["code"] == "illegal_transition"
                        && body["error"]["message"].is_string() =>
                {
                    out.refused += 1
                }
                Ok((StatusCode::BAD_REQUEST, body))
                    if body["error"]["code"] == "validation_failed"
                        && body["error"]["fields"]["status"].is_string()
                        && status == 1000 =>
                {
                    out.refused += 1
                }
                Ok((code, body)) => out
                    .unexpected
                    .push(format!("PATCH {path} {request} via {base}: {code} {body}")),
                Err(_) => {}
            }
            sent.map(|_| ())
        };
        if let Err(err) = sent {
            if fallback.is_some() && first_dead.load(Ordering::SeqCst) {
                base = fallback.take().expect("a fallback");
                out.switched = true;
            } else if fallback.is_some() {
                // The kill is under way; the flag follows within moments.
                tokio::time::sleep(Duration::from_millis(20)).await;
            } else {
                out.unexpected
                    .push(format!("the survivor {base} failed a request: {err}"));
                return out;
            }
        }
    }
    out
}

/// Whether one object's events (oldest first) are a chain of legal moves:
/// created at 0/0, each change starting where the previous one ended,
/// never out of a terminal step, never backward, codes paired as the
/// rules pair them. The problems found.
fn check_chain(what: &str, events: &[&Value]) -> Vec<String> {
    let mut problems = Vec::new();
    let moves: Vec<&&Value> = events.iter().filter(|e| !e["to_step"].is_null()).collect();
    let Some((first, rest)) = moves.split_first() else {
        return vec![format!("{what} has no creation event")];
    };
    if first["kind"] != "created" || state(first, "to") != (0, 0) {
        problems.push(format!(
            "{what} does not start with its creation at 0/0: {first}"
        ));
    }
    let mut at = state(first, "to");
    for event in rest {
        let (from, to) = (state(event, "from"), state(event, "to"));
        let legal = event["kind"] == "status"
            && from == at
            && from.0 != 999
            && from.0 != 1000
            && from != to
            && (to.0 == 999 || to.0 >= from.0)
            && ((to.0 == 999) == (to.1 == 999))
            && ((to.0 == 1000) == (to.1 == 1000));
        if !legal {
            problems.push(format!("{what}: an illegal move from {at:?}: {event}"));
        }
        at = to;
    }
    problems
}

fn state(event: &Value, side: &str) -> (i64, i64) {
    (
        event[format!("{side}_step")].as_i64().unwrap_or(-1),
        event[format!("{side}_status")].as_i64().unwrap_or(-1),
    )
}

/// The problems with one full ticket's history and state.
fn check_ticket(full: &Value) -> Vec<String> {
    let ticket = id(full);
    let history: Vec<&Value> = full["history"]
        .as_array()
        .map(|h| h.iter().collect())
        .unwrap_or_default();
    let ids: Vec<i64> = history.iter().map(|e| id(e)).collect();
    let mut problems = Vec::new();
    if ids.windows(2).any(|w| w[0] >= w[1]) {
        problems.push(format!(
            "ticket {ticket}: the history is not in id order: {ids:?}"
        ));
    }
    let mut objects = vec![(format!("ticket {ticket}"), Value::Null, full)];
    for sub in full["subtickets"].as_array().into_iter().flatten() {
        objects.push((
            format!("ticket {ticket} subticket {}", id(sub)),
            sub["resource_uri"].clone(),
            sub,
        ));
    }
    for (what, uri, object) in objects {
        let events: Vec<&Value> = history
            .iter()
            .copied()
            .filter(|e| e["subticket"] == uri)
            .collect();
        problems.extend(check_chain(&what, &events));
        let last = events
            .iter()
            .rev()
            .find(|e| !e["to_step"].is_null())
            .map(|e| state(e, "to"));
        if last != Some(state_of(object)) {
            problems.push(format!(
                "{what} is at {:?} but its history ends at {last:?}",
                state_of(object)
            ));
        }
    }
    // Subtickets of a Complete ticket are frozen: no subticket moves after
    // the ticket's completion (event ids are global and increasing, in the
    // order changes commit: the cursor of pollers), except those the
    // completion itself moved, whose events follow it at once.
    let completed = history
        .iter()
        .position(|e| e["subticket"].is_null() && e["to_step"] == 1000);
    if let Some(at) = completed {
        let with_it = history[at + 1..]
            .iter()
            .take_while(|e| {
                !e["subticket"].is_null() && e["message"] == "completed with its ticket"
            })
            .count();
        for event in &history[at + 1 + with_it..] {
            if !event["subticket"].is_null() && !event["to_step"].is_null() {
                problems.push(format!(
                    "ticket {ticket}: a subticket moved after the ticket was completed (event {}): {event}",
                    id(history[at])
                ));
            }
        }
        for sub in full["subtickets"].as_array().into_iter().flatten() {
            if !matches!(state_of(sub).0, 999 | 1000) {
                problems.push(format!(
                    "ticket {ticket} is Complete but its subticket {} is at {:?}",
                    id(sub),
                    state_of(sub)
                ));
            }
        }
    }
    let ticket_state = state_of(full);
    for sub in full["subtickets"].as_array().into_iter().flatten() {
        if state_of(sub).0 == 999 && ticket_state.0 != 999 {
            problems.push(format!(
                "ticket {ticket} is at {ticket_state:?} although its subticket {} failed",
                id(sub)
            ));
        }
    }
    problems
}

/// The problems with an acknowledged status change: the history must show
/// it (its own event, to the state answered), or, for a request that found
/// the object already there, a move of the object to that state.
fn check_change(acked: &Acked, full: &Value) -> Option<String> {
    let subticket = if acked.object.contains("/subticket/") {
        Value::String(acked.object.clone())
    } else {
        Value::Null
    };
    let events: Vec<&Value> = full["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["subticket"] == subticket)
        .collect();
    let answered = state_of(&acked.answer);
    let own: Vec<&&Value> = events
        .iter()
        .filter(|e| e["message"] == acked.request["message"])
        .collect();
    match own.as_slice() {
        [event] if state(event, "to") == answered => None,
        [] if events.iter().any(|e| state(e, "to") == answered) => None,
        _ => Some(format!(
            "ticket {}: the acknowledged change {} of {} (answered {}) is not in the history: {own:?}",
            acked.ticket, acked.request, acked.object, acked.answer
        )),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_race_on_the_same_tickets_and_one_is_killed() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    let started = Instant::now();
    let mut rng = Rng::new("cluster");
    let Some(moto) = Moto::start().await else {
        return;
    };
    let (one, two) = (Sandbox::new(), Sandbox::new());
    let mut first = serve_on(&one, Some(&db.url), &moto).await;
    let mut survivor = serve_on(&two, Some(&db.url), &moto).await;
    let blob = b"uploaded through the process that will be killed".to_vec();
    let digest = hex::encode(sha2::Sha256::digest(&blob));
    let uploaded = client()
        .put(first.url(&format!("/api/v1/blob/{digest}")))
        .body(blob.clone())
        .send()
        .await
        .expect("PUT blob");
    assert_eq!(uploaded.status(), StatusCode::CREATED);

    let mut bundles = Vec::new();
    let pool: Pool = Arc::default();
    for n in 0..SEEDED {
        let server = if n.is_multiple_of(2) {
            &first
        } else {
            &survivor
        };
        let request = bundle_request(&format!("cluster-seed-{n}"), 4_000_000 + n as u64);
        let answer = server.post("/api/v1/bundle/", request.clone()).await;
        pool.lock()
            .expect("the pool lock")
            .push((id(&answer), subticket_ids(&answer)));
        bundles.push((request, answer));
    }

    let first_dead = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|index| {
            let (base, fallback) = if index.is_multiple_of(2) {
                (first.base.clone(), Some(survivor.base.clone()))
            } else {
                (survivor.base.clone(), None)
            };
            tokio::spawn(run_client(
                index,
                base,
                fallback,
                pool.clone(),
                first_dead.clone(),
                rng.next(),
            ))
        })
        .collect();
    let delay = Duration::from_millis(600 + rng.below(900));
    tokio::time::sleep(delay).await;
    let status = first.kill();
    first_dead.store(true, Ordering::SeqCst);
    let first_logs = first.logs();
    assert!(
        !status.success(),
        "the first ticketd exited by itself: {status}\n{first_logs}"
    );

    let mut changes = Vec::new();
    let mut in_flight = Vec::new();
    let (mut refused, mut switched, mut unexpected) = (0, 0, Vec::new());
    for handle in clients {
        let outcome = handle.await.expect("a client task ends without a panic");
        bundles.extend(outcome.bundles);
        in_flight.extend(outcome.in_flight_bundles);
        changes.extend(outcome.changes);
        refused += outcome.refused;
        switched += usize::from(outcome.switched);
        unexpected.extend(outcome.unexpected);
    }
    let survivor_logs = survivor.logs();
    assert!(
        unexpected.is_empty(),
        "answers no client should get ({} of them):\n{}\n--- log of the killed ticketd\n{first_logs}\n--- log of the survivor\n{survivor_logs}",
        unexpected.len(),
        unexpected
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        survivor.exited(),
        None,
        "the survivor died:\n{survivor_logs}"
    );
    assert_eq!(
        switched,
        CLIENTS / 2,
        "every client of the killed process moved over"
    );
    assert!(
        !changes.is_empty() && refused > 0,
        "the race made {} changes and refused {refused}: it tested nothing",
        changes.len()
    );

    let all = all_fulltickets(&survivor).await;
    let mut problems = check_source_packages(&all);
    let mut expected: BTreeMap<i64, &Value> = BTreeMap::new();
    for (request, answer) in &bundles {
        expected.insert(id(answer), request);
        match all.get(&id(answer)) {
            None => problems.push(format!("acknowledged ticket {} is gone", id(answer))),
            Some(full) => {
                if let Err(problem) = check_answered_bundle(answer, full) {
                    problems.push(format!("ticket {}: {problem}", id(answer)));
                }
            }
        }
    }
    for (ticket, full) in &all {
        let request = expected.get(ticket).copied().or_else(|| {
            in_flight
                .iter()
                .find(|r| r["ticket"]["title"] == full["title"])
        });
        match request {
            None => problems.push(format!("ticket {ticket} nobody submitted: {full}")),
            Some(request) => {
                if let Err(problem) = check_shape(request, full) {
                    problems.push(format!("ticket {ticket} is not its bundle: {problem}"));
                }
            }
        }
        problems.extend(check_ticket(full));
    }
    for acked in &changes {
        match all.get(&acked.ticket) {
            None => problems.push(format!("ticket {} is gone", acked.ticket)),
            Some(full) => problems.extend(check_change(acked, full)),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems after the race (first process killed at {delay:?}):\n{}\n--- log of the killed ticketd\n{first_logs}\n--- log of the survivor\n{survivor_logs}",
        problems.len(),
        problems
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );

    let ready = survivor.get("/readyz").await;
    assert_eq!(ready, json!({"ready": true}));
    let served = client()
        .get(survivor.url(&format!("/api/v1/blob/{digest}")))
        .send()
        .await
        .expect("GET blob");
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(
        served.bytes().await.expect("the body").as_ref(),
        blob.as_slice()
    );
    let request = bundle_request("cluster-after", 6_000_000);
    let answer = survivor.post("/api/v1/bundle/", request.clone()).await;
    if let Err(problem) = check_shape(&request, &answer) {
        panic!("the survivor's last bundle: {problem}");
    }
    eprintln!(
        "cluster: {} tickets, {} changes acknowledged, {refused} refused, first process killed at {delay:?}; {:?} in all",
        all.len(),
        changes.len(),
        started.elapsed()
    );
    let status = survivor.stop();
    assert!(status.success(), "SIGTERM to the survivor: {status}");
}

/// The history checks themselves: a legal history passes, and each kind
/// of illegal one is caught.
#[test]
fn the_history_checks_catch_illegal_moves() {
    let event = |id: i64, sub: Value, kind: &str, from: Option<(i64, i64)>, to: (i64, i64)| {
        json!({"id": id, "subticket": sub, "kind": kind, "message": format!("m{id}"),
               "from_step": from.map(|f| f.0), "from_status": from.map(|f| f.1),
               "to_step": to.0, "to_status": to.1})
    };
    let sub = json!("/api/v1/subticket/9/");
    let full = |history: Vec<Value>, ticket: (i64, i64), subticket: (i64, i64)| {
        json!({"id": 1, "current_workflow_step": ticket.0, "status": ticket.1,
               "subtickets": [{"id": 9, "resource_uri": sub, "current_workflow_step": subticket.0, "status": subticket.1}],
               "history": history})
    };
    let legal = vec![
        event(1, Value::Null, "created", None, (0, 0)),
        event(2, sub.clone(), "created", None, (0, 0)),
        event(3, Value::Null, "status", Some((0, 0)), (100, 0)),
        event(4, sub.clone(), "status", Some((0, 0)), (100, 0)),
        event(5, sub.clone(), "status", Some((100, 0)), (999, 999)),
        event(6, Value::Null, "status", Some((100, 0)), (999, 999)),
    ];
    assert_eq!(
        check_ticket(&full(legal.clone(), (999, 999), (999, 999))),
        Vec::<String>::new()
    );

    let mut gap = legal.clone();
    gap[5]["from_step"] = json!(200);
    let mut backward = legal.clone();
    backward.push(event(7, sub.clone(), "status", Some((999, 999)), (200, 0)));
    let mut frozen = legal[..4].to_vec();
    frozen.push(event(
        5,
        Value::Null,
        "status",
        Some((100, 0)),
        (1000, 1000),
    ));
    frozen.push(event(6, sub.clone(), "status", Some((100, 0)), (200, 100)));
    // A completion moves the subtickets with it, in the events that follow.
    let mut completed = frozen[..5].to_vec();
    let mut with_it = event(6, sub.clone(), "status", Some((100, 0)), (1000, 1000));
    with_it["message"] = json!("completed with its ticket");
    completed.push(with_it);
    assert_eq!(
        check_ticket(&full(completed, (1000, 1000), (1000, 1000))),
        Vec::<String>::new()
    );
    let broken = [
        (
            "a from-state that is not the previous to-state",
            full(gap, (999, 999), (999, 999)),
        ),
        (
            "a move out of a terminal step",
            full(backward, (999, 999), (200, 0)),
        ),
        (
            "a state the history does not end in",
            full(legal.clone(), (999, 999), (100, 0)),
        ),
        (
            "a failed subticket under a ticket that did not fail",
            full(legal[..5].to_vec(), (100, 0), (999, 999)),
        ),
        (
            "a subticket moved after its ticket completed",
            full(frozen.clone(), (1000, 1000), (200, 100)),
        ),
        (
            "a subticket left behind by its ticket's completion",
            full(frozen[..5].to_vec(), (1000, 1000), (100, 0)),
        ),
    ];
    for (what, full) in broken {
        assert!(!check_ticket(&full).is_empty(), "{what} passes the checks");
    }

    let acked = Acked {
        ticket: 1,
        object: "/api/v1/subticket/9/".into(),
        request: json!({"current_workflow_step": 300, "status": 100, "message": "lost"}),
        answer: json!({"current_workflow_step": 300, "status": 100}),
    };
    assert!(
        check_change(&acked, &full(legal, (999, 999), (999, 999))).is_some(),
        "a lost change passes"
    );
}
