//! The workflow rules of `docs/api.md` through HTTP: forward-only steps,
//! terminal steps, both failure forms, subticket failure failing the ticket,
//! completion with a failed subticket, no-op retries, frozen subtickets,
//! queueing and completing a ticket's subtickets with it, developer and
//! force rights, history and the failure report, and
//! racing status changes.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn full(app: &TestApp, id: i64) -> Value {
    let (status, body) = app.anon().get(&format!("/api/v1/fullticket/{id}/")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn steps_of(history: &Value) -> Vec<(Option<i64>, Option<i64>, bool)> {
    history
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["kind"] == "status" || e["kind"] == "forced")
        .map(|e| {
            (
                e["from_step"].as_i64(),
                e["to_step"].as_i64(),
                e["subticket"].is_string(),
            )
        })
        .collect()
}

/// Move a ticket through every step and check the failure report there.
async fn fail_at(app: &TestApp, step: i64) -> Value {
    let (ticket, subs) = app
        .ticket_with_subtickets(&format!("fails at {step}"), &[("foo", "1.2-3")])
        .await;
    assert_eq!(
        app.move_ticket(ticket, 100, 0).await.0,
        StatusCode::ACCEPTED
    );
    if step > 100 {
        assert_eq!(
            app.move_ticket(ticket, step, 100).await.0,
            StatusCode::ACCEPTED
        );
        assert_eq!(
            app.move_subticket(subs[0], step, 100).await.0,
            StatusCode::ACCEPTED
        );
    }
    let (status, body) = app.lander().post("/api/v1/subticketartifact/", json!({
        "name": "build.log", "subticket": subs[0], "reference": "https://logs.example/build.log", "type": "LOGS"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app.lander().post("/api/v1/ticketartifact/", json!({
        "name": "autopkgtest", "ticket": ticket, "reference": "https://ci.example/r/1", "type": "RESULTS"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .lander()
        .patch(
            &format!("/api/v1/updatesubticketstatus/{}/", subs[0]),
            json!({"current_workflow_step": step, "status": 999, "message": "it broke"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["failed_step"], step);
    full(app, ticket).await
}

backend_tests! {
    async fn a_ticket_moves_forward_through_every_step_to_complete(app) {
        let id = app.ticket("forward").await;
        for (step, status) in [(100, 0), (200, 100), (200, 200), (300, 100), (400, 100), (500, 100), (1000, 1000)] {
            let (code, body) = app.move_ticket(id, step, status).await;
            assert_eq!(code, StatusCode::ACCEPTED, "{step}/{status}: {body}");
            assert_eq!(body["current_workflow_step"], step);
            assert_eq!(body["status"], status);
        }
        let (_, body) = app.anon().get(&format!("/api/v1/ticket/{id}/")).await;
        assert_eq!(body["current_workflow_step_display"], "Complete");
        assert_eq!(body["status_display"], "Complete");
    }

    async fn steps_may_be_skipped_but_never_go_back(app) {
        let id = app.ticket("skip").await;
        assert_eq!(app.move_ticket(id, 400, 100).await.0, StatusCode::ACCEPTED);
        let (status, body) = app.move_ticket(id, 200, 100).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(body["error"]["code"], "illegal_transition");
        let message = body["error"]["message"].as_str().expect("message");
        assert!(message.contains("400 (Image Testing)") && message.contains("200 (Package Building)"), "{message}");
    }

    async fn terminal_steps_refuse_every_other_change(app) {
        let done = app.ticket("done").await;
        assert_eq!(app.move_ticket(done, 1000, 1000).await.0, StatusCode::ACCEPTED);
        for (step, status) in [(100, 0), (999, 999), (500, 100)] {
            let (code, body) = app.move_ticket(done, step, status).await;
            assert_eq!(code, StatusCode::CONFLICT, "{step}: {body}");
            assert_eq!(body["error"]["code"], "illegal_transition");
        }
        let failed = app.ticket("failed").await;
        assert_eq!(app.move_ticket(failed, 999, 999).await.0, StatusCode::ACCEPTED);
        let (code, _) = app.move_ticket(failed, 1000, 1000).await;
        assert_eq!(code, StatusCode::CONFLICT);
    }

    async fn both_failure_forms_record_the_failed_step(app) {
        let explicit = app.ticket("explicit").await;
        app.move_ticket(explicit, 300, 100).await;
        let (_, body) = app.move_ticket(explicit, 300, 999).await;
        assert_eq!((body["current_workflow_step"].as_i64(), body["status"].as_i64(), body["failed_step"].as_i64()), (Some(999), Some(999), Some(300)));

        let implicit = app.ticket("implicit").await;
        app.move_ticket(implicit, 300, 100).await;
        let (_, body) = app.move_ticket(implicit, 999, 999).await;
        assert_eq!((body["current_workflow_step"].as_i64(), body["failed_step"].as_i64()), (Some(999), Some(300)));
    }

    async fn a_message_is_kept_with_the_change(app) {
        let id = app.ticket("message").await;
        let (status, _) = app
            .lander()
            .patch(&format!("/api/v1/updateticketstatus/{id}/"), json!({"current_workflow_step": 200, "status": 100, "message": "building on amd64"}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let history = full(&app, id).await["history"].clone();
        let last = history.as_array().and_then(|h| h.last()).expect("an event");
        assert_eq!(last["message"], "building on amd64");
        assert_eq!(last["actor"], "test-lander");
    }

    async fn a_failed_subticket_fails_its_ticket_in_the_same_change(app) {
        let (ticket, subs) = app.ticket_with_subtickets("sub fails", &[("foo", "1.0-1"), ("bar", "2.0-1")]).await;
        app.move_ticket(ticket, 200, 100).await;
        app.move_subticket(subs[1], 200, 100).await;
        let (status, _) = app.move_subticket(subs[1], 200, 999).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let body = full(&app, ticket).await;
        assert_eq!(body["current_workflow_step"], 999);
        assert_eq!(body["failed_step"], 200);
        assert_eq!(body["failure"]["subticket"], format!("/api/v1/subticket/{}/", subs[1]));
        assert_eq!(body["failure"]["source_package"], "bar");
        assert_eq!(body["failure"]["version"], "2.0-1");
        // The first failure is the one recorded; a later one changes nothing on the ticket.
        let (status, _) = app.move_subticket(subs[0], 300, 999).await;
        assert_eq!(status, StatusCode::ACCEPTED, "subtickets of a failed ticket still record their outcome");
        let body = full(&app, ticket).await;
        assert_eq!(body["failed_step"], 200);
        assert_eq!(body["failure"]["source_package"], "bar");
        assert_eq!(body["subtickets"][0]["failed_step"], 300);
    }

    async fn completing_a_ticket_with_a_failed_subticket_is_a_conflict(app) {
        let (ticket, subs) = app.ticket_with_subtickets("no complete", &[("foo", "1.0")]).await;
        app.move_ticket(ticket, 100, 0).await;
        app.move_subticket(subs[0], 999, 999).await;
        // The ticket failed with it; an admin forces it back to test the rule itself.
        let (status, _) = app.admin().patch(&format!("/api/v1/updateticketstatus/{ticket}/"), json!({"current_workflow_step": 500, "status": 100, "force": true})).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let (status, body) = app.move_ticket(ticket, 1000, 1000).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["error"]["message"].as_str().unwrap_or("").contains(&format!("subticket {}", subs[0])), "{body}");
    }

    async fn the_same_state_again_is_a_no_op_without_an_event(app) {
        let id = app.ticket("retry").await;
        app.move_ticket(id, 200, 100).await;
        let before = full(&app, id).await["history"].as_array().map(Vec::len);
        let (status, body) = app.move_ticket(id, 200, 100).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(full(&app, id).await["history"].as_array().map(Vec::len), before);
        app.move_ticket(id, 1000, 1000).await;
        assert_eq!(app.move_ticket(id, 1000, 1000).await.0, StatusCode::ACCEPTED, "a retried completion is safe");
    }

    async fn subtickets_of_a_complete_ticket_are_frozen(app) {
        let (ticket, subs) = app.ticket_with_subtickets("frozen", &[("foo", "1.0")]).await;
        app.move_ticket(ticket, 1000, 1000).await;
        let (status, body) = app.move_subticket(subs[0], 200, 100).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"]["code"], "illegal_transition");
    }

    async fn subtickets_can_be_added_only_at_step_zero(app) {
        let ticket = app.ticket("closed for subtickets").await;
        app.move_ticket(ticket, 100, 0).await;
        let spu = app.upload("foo", "1.0").await;
        let (status, body) = app.dev().post("/api/v1/subticket/", json!({"ticket": ticket, "source_package_upload": spu})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
    }

    async fn queueing_a_ticket_queues_its_new_subtickets(app) {
        let (ticket, subs) = app.ticket_with_subtickets("queue all", &[("foo", "1.0"), ("bar", "1.0")]).await;
        let (status, _) = app.dev().patch(&format!("/api/v1/updateticketstatus/{ticket}/"), json!({"current_workflow_step": "100", "status": "000"})).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        for sub in subs {
            let (_, body) = app.anon().get(&format!("/api/v1/subticket/{sub}/")).await;
            assert_eq!(body["current_workflow_step"], 100);
            assert_eq!(body["current_workflow_step_display"], "Queued");
        }
        let history = full(&app, ticket).await["history"].clone();
        assert_eq!(steps_of(&history), vec![(Some(0), Some(100), false), (Some(0), Some(100), true), (Some(0), Some(100), true)]);
    }

    async fn completing_a_ticket_completes_its_unfinished_subtickets(app) {
        let (ticket, subs) = app.ticket_with_subtickets("complete all", &[("foo", "1.0"), ("bar", "1.0"), ("baz", "1.0")]).await;
        assert_eq!(app.move_ticket(ticket, 100, 0).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.move_subticket(subs[0], 300, 100).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.move_subticket(subs[2], 1000, 1000).await.0, StatusCode::ACCEPTED);
        let before = full(&app, ticket).await["history"].as_array().map_or(0, Vec::len);
        let (status, body) = app.move_ticket(ticket, 1000, 1000).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let body = full(&app, ticket).await;
        for sub in body["subtickets"].as_array().expect("subtickets") {
            assert_eq!((sub["current_workflow_step"].as_i64(), sub["status"].as_i64()), (Some(1000), Some(1000)), "{sub}");
            assert_eq!(sub["status_display"], "Complete");
        }
        // The ticket's event, then one for each subticket it completed, by
        // the same actor; none for the one Complete already.
        let added: Vec<Value> = body["history"].as_array().expect("history")[before..]
            .iter()
            .map(|e| json!([e["subticket"], e["kind"], e["from_step"], e["from_status"], e["to_step"], e["to_status"], e["message"], e["actor"]]))
            .collect();
        let uri = |id: i64| json!(format!("/api/v1/subticket/{id}/"));
        assert_eq!(added, [
            json!([null, "status", 100, 0, 1000, 1000, null, "test-lander"]),
            json!([uri(subs[0]), "status", 300, 100, 1000, 1000, "completed with its ticket", "test-lander"]),
            json!([uri(subs[1]), "status", 100, 0, 1000, 1000, "completed with its ticket", "test-lander"]),
        ]);
        // A retried completion changes nothing more.
        assert_eq!(app.move_ticket(ticket, 1000, 1000).await.0, StatusCode::ACCEPTED);
        assert_eq!(full(&app, ticket).await["history"].as_array().map_or(0, Vec::len), before + 3);
    }

    async fn a_forced_completion_leaves_failed_subtickets_failed(app) {
        let (ticket, subs) = app.ticket_with_subtickets("forced complete", &[("foo", "1.0"), ("bar", "1.0")]).await;
        assert_eq!(app.move_ticket(ticket, 100, 0).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.move_subticket(subs[0], 200, 999).await.0, StatusCode::ACCEPTED);
        let (status, body) = app.admin().patch(&format!("/api/v1/updateticketstatus/{ticket}/"), json!({"current_workflow_step": 1000, "status": 1000, "force": true})).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let body = full(&app, ticket).await;
        let states: Vec<_> = body["subtickets"].as_array().expect("subtickets").iter()
            .map(|s| (s["current_workflow_step"].as_i64(), s["failed_step"].as_i64()))
            .collect();
        assert_eq!(states, [(Some(999), Some(200)), (Some(1000), None)], "{body}");
        let last = body["history"].as_array().and_then(|h| h.last()).expect("an event");
        assert_eq!((&last["subticket"], &last["message"], &last["actor"]), (&json!(format!("/api/v1/subticket/{}/", subs[1])), &json!("completed with its ticket"), &json!("test-admin")));
    }

    async fn a_developer_may_only_queue(app) {
        let id = app.ticket("dev").await;
        let path = format!("/api/v1/updateticketstatus/{id}/");
        let (status, body) = app.dev().patch(&path, json!({"current_workflow_step": 200, "status": 0})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
        assert_eq!(app.dev().patch(&path, json!({"current_workflow_step": 100, "status": 0})).await.0, StatusCode::ACCEPTED);
        let (status, _) = app.dev().patch(&path, json!({"current_workflow_step": 999, "status": 999})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    async fn force_is_for_admins_and_recorded_as_forced(app) {
        let id = app.ticket("force").await;
        app.move_ticket(id, 1000, 1000).await;
        let path = format!("/api/v1/updateticketstatus/{id}/");
        let body = json!({"current_workflow_step": 100, "status": 0, "force": true});
        let (status, err) = app.lander().patch(&path, body.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
        let (status, moved) = app.admin().patch(&path, body).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{moved}");
        assert_eq!(moved["current_workflow_step"], 100);
        let history = full(&app, id).await["history"].clone();
        let last = history.as_array().and_then(|h| h.last()).expect("event");
        assert_eq!(last["kind"], "forced");
        assert_eq!(last["actor"], "test-admin");
    }

    async fn inconsistent_codes_are_a_validation_error(app) {
        let id = app.ticket("codes").await;
        let (status, body) = app.move_ticket(id, 999, 100).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(body["error"]["fields"]["status"].is_string(), "{body}");
        let (status, body) = app.move_ticket(id, 150, 0).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"]["fields"]["current_workflow_step"].is_string(), "{body}");
    }

    async fn history_lists_every_event_oldest_first_with_increasing_ids(app) {
        let (ticket, subs) = app.ticket_with_subtickets("history", &[("foo", "1.0")]).await;
        app.move_ticket(ticket, 100, 0).await;
        app.lander().post("/api/v1/ticketartifact/", json!({"name": "img", "ticket": ticket, "reference": "https://img.example/1", "type": "IMAGE"})).await;
        app.move_subticket(subs[0], 200, 100).await;
        let history = full(&app, ticket).await["history"].clone();
        let kinds: Vec<&str> = history.as_array().expect("array").iter().map(|e| e["kind"].as_str().unwrap_or("")).collect();
        assert_eq!(kinds, ["created", "created", "status", "status", "artifact", "status"]);
        let ids: Vec<i64> = history.as_array().expect("array").iter().filter_map(|e| e["id"].as_i64()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
        // The same events through event/, with the cursor.
        let (_, page) = app.anon().get(&format!("/api/v1/event/?ticket={ticket}&id__gt={}", ids[2])).await;
        let cursor_ids: Vec<i64> = page["objects"].as_array().expect("objects").iter().filter_map(|e| e["id"].as_i64()).collect();
        assert_eq!(cursor_ids, ids[3..].to_vec());
    }

    async fn a_ticket_failed_directly_has_a_report_without_a_subticket(app) {
        let id = app.ticket("direct").await;
        app.move_ticket(id, 500, 100).await;
        let (status, _) = app.lander().patch(&format!("/api/v1/updateticketstatus/{id}/"), json!({"current_workflow_step": 500, "status": 999, "message": "mirror down"})).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        let failure = full(&app, id).await["failure"].clone();
        assert_eq!(failure["step"], 500);
        assert_eq!(failure["step_display"], "Package Publishing");
        assert_eq!(failure["subticket"], Value::Null);
        assert_eq!(failure["source_package"], Value::Null);
        assert_eq!(failure["message"], "mirror down");
        assert_eq!((&failure["logs"], &failure["results"]), (&json!([]), &json!([])), "{failure}");
        assert!(failure["action"].as_str().unwrap_or("").contains("infrastructure"), "{failure}");
    }

    async fn the_failure_report_tells_what_to_do_at_each_step(app) {
        let expectations = [
            (100, "Queued", "submit a new ticket"),
            (200, "Package Building", "builds"),
            (300, "Image Building", "image could not be built"),
            (400, "Image Testing", "RESULTS"),
            (500, "Package Publishing", "infrastructure"),
        ];
        for (step, name, advice) in expectations {
            let body = fail_at(&app, step).await;
            let failure = &body["failure"];
            assert_eq!(failure["step"], step, "{body}");
            assert_eq!(failure["step_display"], name);
            assert_eq!(failure["source_package"], "foo");
            assert_eq!(failure["version"], "1.2-3");
            assert_eq!(failure["message"], "it broke");
            assert_eq!(failure["logs"], json!(["https://logs.example/build.log"]), "LOGS only");
            assert_eq!(failure["results"], json!(["https://ci.example/r/1"]), "RESULTS apart");
            assert!(failure["action"].as_str().unwrap_or("").contains(advice), "{step}: {failure}");
        }
        let ok = app.ticket("not failed").await;
        assert_eq!(full(&app, ok).await["failure"], Value::Null);
    }

    async fn racing_status_changes_leave_only_legal_transitions(app) {
        let (ticket, _) = app.ticket_with_subtickets("race", &[("foo", "1.0")]).await;
        let targets = [(100, 0), (200, 100), (200, 200), (300, 100), (400, 100), (500, 100), (1000, 1000), (999, 999), (200, 999)];
        let mut tasks = Vec::new();
        for i in 0..48 {
            let (step, status) = targets[i % targets.len()];
            let client = app.client().clone();
            let url = app.url(&format!("/api/v1/updateticketstatus/{ticket}/"));
            let token = app.token(shared::Role::Lander).to_string();
            tasks.push(tokio::spawn(async move {
                let response = client
                    .patch(url)
                    .bearer_auth(token)
                    .json(&json!({"current_workflow_step": step, "status": status}))
                    .send()
                    .await
                    .expect("request");
                response.status()
            }));
        }
        for task in tasks {
            let status = task.await.expect("task");
            assert!(matches!(status, StatusCode::ACCEPTED | StatusCode::CONFLICT), "unexpected {status}");
        }
        let body = full(&app, ticket).await;
        let mut position = (0_i64, 0_i64);
        let mut terminal = false;
        for event in body["history"].as_array().expect("history").iter().filter(|e| e["kind"] == "status" && e["subticket"].is_null()) {
            let from = (event["from_step"].as_i64().expect("from"), event["from_status"].as_i64().expect("from"));
            let to = (event["to_step"].as_i64().expect("to"), event["to_status"].as_i64().expect("to"));
            assert_eq!(from, position, "each change starts where the last ended: {body}");
            assert!(!terminal, "nothing moves out of a terminal step");
            assert!(to.0 >= from.0, "steps only move forward: {from:?} -> {to:?}");
            terminal = to.0 == 999 || to.0 == 1000;
            position = to;
        }
        assert_eq!(position, (body["current_workflow_step"].as_i64().expect("step"), body["status"].as_i64().expect("status")));
    }

    async fn a_poller_following_the_history_never_skips_an_event_while_writers_race(app) {
        // Eight writers each make tickets (one event each) as fast as they
        // can while a poller follows `event/?id__gt=` from where it last
        // stopped. An id handed out before a smaller one commits would be
        // passed over for ever; the poller must end up with every event.
        let stop = std::sync::atomic::AtomicBool::new(false);
        let writers = async {
            futures::future::join_all((0..8).map(|w| {
                let app = &app;
                async move {
                    let start = std::time::Instant::now();
                    while start.elapsed() < std::time::Duration::from_millis(1500) {
                        app.ticket(&format!("race {w}")).await;
                    }
                }
            }))
            .await;
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        };
        let poller = async {
            let mut seen: Vec<i64> = Vec::new();
            loop {
                let done = stop.load(std::sync::atomic::Ordering::SeqCst);
                let cursor = seen.last().copied().unwrap_or(0);
                let (status, page) = app.anon().get(&format!("/api/v1/event/?id__gt={cursor}&limit=1000")).await;
                assert_eq!(status, StatusCode::OK, "{page}");
                seen.extend(page["objects"].as_array().expect("objects").iter().filter_map(|e| e["id"].as_i64()));
                // One last read after the writers stopped.
                if done {
                    return seen;
                }
            }
        };
        let ((), seen) = futures::future::join(writers, poller).await;
        let mut all: Vec<i64> = Vec::new();
        loop {
            let cursor = all.last().copied().unwrap_or(0);
            let (_, page) = app.anon().get(&format!("/api/v1/event/?id__gt={cursor}&limit=1000")).await;
            let ids: Vec<i64> = page["objects"].as_array().expect("objects").iter().filter_map(|e| e["id"].as_i64()).collect();
            if ids.is_empty() {
                break;
            }
            all.extend(ids);
        }
        assert!(all.len() > 100, "the writers made {} events", all.len());
        let seen: std::collections::BTreeSet<i64> = seen.into_iter().collect();
        let missed: Vec<&i64> = all.iter().filter(|id| !seen.contains(id)).collect();
        assert!(missed.is_empty(), "the poller skipped {} of {} events: {missed:?}", missed.len(), all.len());
    }
}
