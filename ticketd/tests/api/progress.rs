//! Where and when, on `fullticket/`: `in_step_since`, `queue_position` as
//! tickets join and leave the queue, and `eta` from the medians of the
//! step times of the tickets completed last (docs/api.md, "Queue position,
//! time in step and ETA"). The step times are seeded by rewriting the times
//! of real events, which no client can do.

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn full(app: &TestApp, id: i64) -> Value {
    let (status, body) = app.anon().get(&format!("/api/v1/fullticket/{id}/")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn positions(app: &TestApp, ids: &[i64]) -> Vec<Value> {
    let mut all = Vec::new();
    for id in ids {
        all.push(full(app, *id).await["queue_position"].clone());
    }
    all
}

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .unwrap_or_else(|| panic!("not a timestamp: {value}"))
        .with_timezone(&Utc)
}

/// The time of the last event of the ticket itself that moved it to `step`.
fn entered(full: &Value, step: i64) -> DateTime<Utc> {
    let history = full["history"].as_array().expect("history");
    let event = history
        .iter()
        .rev()
        .find(|e| e["subticket"].is_null() && e["to_step"] == step && e["from_step"] != step)
        .unwrap_or_else(|| panic!("no event into {step}: {full}"));
    time(&event["created"])
}

/// Seconds in each of steps 100, 200, 300, 400 and 500 of one seeded ticket.
type Times = [i64; 5];

const ENGINE_STEPS: [i64; 5] = [100, 200, 300, 400, 500];

/// A ticket walked through every step to Complete, then its history moved
/// to start at `start` (microseconds) and spend `times` in the steps.
async fn completed(app: &TestApp, n: usize, start: i64, times: Times) -> i64 {
    let id = app.ticket(&format!("history {n}")).await;
    for (step, status) in [
        (100, 0),
        (200, 100),
        (300, 100),
        (400, 100),
        (500, 100),
        (1000, 1000),
    ] {
        let (code, body) = app.move_ticket(id, step, status).await;
        assert_eq!(code, StatusCode::ACCEPTED, "{body}");
    }
    let mut at = start;
    let mut entries = vec![(0, start), (100, start)];
    for (step, seconds) in ENGINE_STEPS.iter().zip(times) {
        at += seconds * 1_000_000;
        let next = if *step == 500 { 1000 } else { step + 100 };
        entries.push((next, at));
    }
    for (step, micros) in entries {
        app.execute_sql(&format!(
            "UPDATE event SET created = {micros} WHERE ticket_id = {id} AND subticket_id IS NULL AND to_step = {step}"
        ))
        .await;
    }
    app.execute_sql(&format!(
        "UPDATE ticket SET in_step_since = {at} WHERE id = {id}"
    ))
    .await;
    id
}

fn eta_steps(full: &Value) -> Vec<(i64, Value, Value)> {
    full["eta"]["steps"]
        .as_array()
        .unwrap_or_else(|| panic!("no eta steps: {full}"))
        .iter()
        .map(|s| {
            (
                s["step"].as_i64().expect("step"),
                s["median_seconds"].clone(),
                s["samples"].clone(),
            )
        })
        .collect()
}

backend_tests! {
    async fn in_step_since_is_when_the_ticket_entered_its_step(app) {
        let id = app.ticket("in step").await;
        let new = full(&app, id).await;
        assert_eq!(new["in_step_since"], new["created"]);
        assert_eq!(new["queue_position"], Value::Null);
        assert_eq!(new["eta"], Value::Null, "a New ticket is not in the engine yet");
        assert_eq!(app.move_ticket(id, 200, 0).await.0, StatusCode::ACCEPTED);
        let building = full(&app, id).await;
        assert_eq!(time(&building["in_step_since"]), entered(&building, 200));
        // A change of status within the step keeps it; a new step sets it.
        assert_eq!(app.move_ticket(id, 200, 100).await.0, StatusCode::ACCEPTED);
        assert_eq!(full(&app, id).await["in_step_since"], building["in_step_since"]);
        assert_eq!(app.move_ticket(id, 300, 100).await.0, StatusCode::ACCEPTED);
        let imaging = full(&app, id).await;
        assert_eq!(time(&imaging["in_step_since"]), entered(&imaging, 300));
        assert_ne!(imaging["in_step_since"], building["in_step_since"]);
        // A subticket's failure fails the ticket: that is its step change too.
        let (failing, subs) = app.ticket_with_subtickets("fails", &[("foo", "1.0")]).await;
        assert_eq!(app.move_subticket(subs[0], 200, 999).await.0, StatusCode::ACCEPTED);
        let failed = full(&app, failing).await;
        assert_eq!(time(&failed["in_step_since"]), entered(&failed, 999));
        assert_eq!(failed["eta"], Value::Null);
    }

    async fn queue_position_counts_the_tickets_queued_before(app) {
        let [a, b, c] = [app.ticket("a").await, app.ticket("b").await, app.ticket("c").await];
        // Queued in the order b, a; c stays New.
        for id in [b, a] {
            let (code, body) = app.dev().patch(&format!("/api/v1/updateticketstatus/{id}/"), json!({"current_workflow_step": 100, "status": 0})).await;
            assert_eq!(code, StatusCode::ACCEPTED, "{body}");
        }
        assert_eq!(positions(&app, &[a, b, c]).await, [json!(1), json!(0), Value::Null]);
        assert_eq!(app.move_ticket(c, 100, 0).await.0, StatusCode::ACCEPTED);
        assert_eq!(positions(&app, &[a, b, c]).await, [json!(1), json!(0), json!(2)]);
        // A status change within Queued keeps the ticket's place.
        assert_eq!(app.move_ticket(b, 100, 100).await.0, StatusCode::ACCEPTED);
        assert_eq!(positions(&app, &[a, b, c]).await, [json!(1), json!(0), json!(2)]);
        // Leaving the queue moves everyone behind up.
        assert_eq!(app.move_ticket(b, 200, 0).await.0, StatusCode::ACCEPTED);
        assert_eq!(positions(&app, &[a, b, c]).await, [json!(0), Value::Null, json!(1)]);
        // The list gives each ticket of the page its own position.
        let (status, page) = app.anon().get("/api/v1/fullticket/?current_workflow_step=100&order_by=-id").await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let listed: Vec<_> = page["objects"].as_array().expect("objects").iter().map(|t| (t["id"].clone(), t["queue_position"].clone())).collect();
        assert_eq!(listed, [(json!(c), json!(1)), (json!(a), json!(0))]);
        // Forced back into the queue, a ticket joins its end.
        let (code, body) = app.admin().patch(&format!("/api/v1/updateticketstatus/{b}/"), json!({"current_workflow_step": 100, "status": 0, "force": true})).await;
        assert_eq!(code, StatusCode::ACCEPTED, "{body}");
        assert_eq!(positions(&app, &[a, b, c]).await, [json!(0), json!(2), json!(1)]);
        // A bundle queued on submission answers its place.
        let bundle = json!({"ticket": {"title": "bundled", "description": "d", "owner": "dev@example.com"},
            "uploads": [{"sourcepackage": "foo", "version": "1.0-1"}]});
        let (status, answer) = app.dev().post("/api/v1/bundle/", bundle).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        assert_eq!(answer["queue_position"], 3);
        assert_eq!(answer["in_step_since"], answer["created"]);
        assert_eq!(full(&app, answer["id"].as_i64().expect("id")).await["queue_position"], 3);
    }

    async fn eta_is_null_without_enough_history_and_the_median_with_it(app) {
        let open = app.ticket("open").await;
        assert_eq!(app.move_ticket(open, 100, 0).await.0, StatusCode::ACCEPTED);
        // No history: every remaining step listed, no median, no times.
        let ticket = full(&app, open).await;
        assert_eq!(ticket["eta"]["window"], 0, "{ticket}");
        assert_eq!(eta_steps(&ticket), ENGINE_STEPS.map(|s| (s, Value::Null, json!(0))));
        assert_eq!(ticket["eta"]["expected_completion"], Value::Null);

        let seeded: [Times; 5] = [
            [5, 60, 30, 600, 1],
            [10, 120, 30, 700, 2],
            [15, 180, 30, 800, 3],
            [20, 240, 30, 900, 4],
            [25, 300, 30, 1000, 5],
        ];
        let start = 1_700_000_000_000_000;
        for (n, times) in seeded.iter().take(4).enumerate() {
            completed(&app, n, start + n as i64 * 10_000_000_000, *times).await;
        }
        // Four samples a step: still too few for a median.
        let ticket = full(&app, open).await;
        assert_eq!(ticket["eta"]["window"], 4);
        assert_eq!(eta_steps(&ticket), ENGINE_STEPS.map(|s| (s, Value::Null, json!(4))));
        assert_eq!(ticket["eta"]["expected_completion"], Value::Null);

        completed(&app, 4, start + 40_000_000_000, seeded[4]).await;
        let medians = [15, 180, 30, 800, 3];
        assert_eq!(app.move_ticket(open, 200, 100).await.0, StatusCode::ACCEPTED);
        let ticket = full(&app, open).await;
        assert_eq!(ticket["eta"]["window"], 5);
        let expected: Vec<_> = ENGINE_STEPS.iter().zip(medians).skip(1).map(|(s, m)| (*s, json!(m), json!(5))).collect();
        assert_eq!(eta_steps(&ticket), expected);
        // Each step is expected to end its median after the one before,
        // the first its median after the ticket entered it.
        let mut end = time(&ticket["in_step_since"]);
        for step in ticket["eta"]["steps"].as_array().expect("steps") {
            end += Duration::seconds(step["median_seconds"].as_i64().expect("median"));
            assert_eq!(time(&step["expected_end"]), end, "{step}");
        }
        assert_eq!(time(&ticket["eta"]["expected_completion"]), end);
        assert_eq!(ticket["eta"]["steps"][0]["step_display"], "Package Building");
        // Finished tickets have no ETA.
        let done = full(&app, completed(&app, 5, start + 50_000_000_000, seeded[0]).await).await;
        assert_eq!(done["eta"], Value::Null);
    }
}
