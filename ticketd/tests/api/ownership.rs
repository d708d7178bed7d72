//! Developer tokens bound to an owner (`ticketd token create --role
//! developer --email ADDRESS`, README.md "Tokens and roles"): they create,
//! queue and add artifacts only to that owner's tickets, through every
//! write path, and are refused with a 403 naming whose ticket it is
//! anywhere else; unbound developer tokens act for anyone, as before; and
//! `whoami/` shows the binding.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;
use ticketd::domain::{DomainError, tokens};

use crate::helpers::{Session, TestApp, id_of};

const DEV: &str = "dev@example.com";
const CEO: &str = "ceo@example.com";

/// POST `body` to `path` with `session`; the new object's id.
async fn created(session: &Session<'_>, path: &str, body: Value) -> i64 {
    let (status, answer) = session.post(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {answer}");
    id_of(&answer)
}

/// A ticket of `owner` at step 0 with one subticket, made by the unbound
/// developer token; the ticket's and the subticket's ids.
async fn ticket_of(app: &TestApp, owner: &str) -> (i64, i64) {
    let ticket = created(
        &app.dev(),
        "/api/v1/ticket/",
        json!({"owner": owner, "title": format!("{owner}'s change")}),
    )
    .await;
    let spu = app.upload("foo", "1.0-1").await;
    let subticket = created(
        &app.dev(),
        "/api/v1/subticket/",
        json!({"ticket": ticket, "source_package_upload": spu}),
    )
    .await;
    (ticket, subticket)
}

/// A bundle of one upload with an artifact on it and on the ticket.
fn bundle(owner: &str, queue: bool) -> Value {
    json!({
        "ticket": {"title": "Bundled", "owner": owner},
        "uploads": [{"sourcepackage": "foo", "version": "1.2-3",
                     "artifacts": [{"name": "foo.dsc", "reference": "https://files.example/foo.dsc", "type": "SPU"}]}],
        "artifacts": [{"name": "image", "reference": "https://images.example/1.img", "type": "IMAGE"}],
        "queue": queue
    })
}

fn log_artifact(owner: &str, id: i64) -> Value {
    json!({"name": "build.log", owner: id, "reference": "https://logs.example/1", "type": "LOGS"})
}

/// The status change a developer may make: queueing.
fn queue() -> Value {
    json!({"current_workflow_step": 100, "status": 0})
}

/// Assert a 403 `forbidden` whose message says whose ticket it is and for
/// whom the token may act.
#[track_caller]
fn assert_refused(answer: (StatusCode, Value), whose: &str, what: &str) {
    let (status, body) = answer;
    assert_eq!(status, StatusCode::FORBIDDEN, "{what}: {body}");
    assert_eq!(body["error"]["code"], "forbidden", "{what}: {body}");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(whose) && message.ends_with(&format!("this token may act only for {DEV}")),
        "{what}: {message}"
    );
}

async fn history_len(app: &TestApp, ticket: i64) -> usize {
    let (_, full) = app
        .anon()
        .get(&format!("/api/v1/fullticket/{ticket}/"))
        .await;
    full["history"].as_array().map_or(0, Vec::len)
}

backend_tests! {
    async fn a_bound_token_creates_queues_and_adds_artifacts_to_its_owners_tickets(app) {
        let token = app.bound_developer("bound", DEV).await;
        let bound = app.with_token(&token);
        let ticket = created(&bound, "/api/v1/ticket/", json!({"owner": DEV, "title": "mine"})).await;
        let spu = app.upload("foo", "1.0-1").await;
        let subticket = created(&bound, "/api/v1/subticket/", json!({"ticket": ticket, "source_package_upload": spu})).await;
        created(&bound, "/api/v1/ticketartifact/", log_artifact("ticket", ticket)).await;
        created(&bound, "/api/v1/subticketartifact/", log_artifact("subticket", subticket)).await;
        let (status, body) = bound.patch(&format!("/api/v1/updatesubticketstatus/{subticket}/"), queue()).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let (status, body) = bound.patch(&format!("/api/v1/updateticketstatus/{ticket}/"), queue()).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        // The domain of the address in any case is the same owner.
        created(&bound, "/api/v1/ticket/", json!({"owner": "dev@EXAMPLE.com", "title": "mine too"})).await;

        let (status, body) = bound.post("/api/v1/bundle/", bundle(DEV, false)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let bundled = id_of(&body);
        let (status, body) = bound.patch(&format!("/api/v1/updateticketstatus/{bundled}/"), queue()).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        // Artifacts may follow at any step, the verdict included.
        assert_eq!(app.move_ticket(bundled, 1000, 1000).await.0, StatusCode::ACCEPTED);
        created(&bound, "/api/v1/ticketartifact/", log_artifact("ticket", bundled)).await;
        let (status, body) = bound.post("/api/v1/bundle/", bundle(DEV, true)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["current_workflow_step"], 100, "{body}");
    }

    async fn a_bound_token_is_refused_on_someone_elses_ticket_naming_whose_it_is(app) {
        let token = app.bound_developer("bound", DEV).await;
        let bound = app.with_token(&token);
        let (ticket, subticket) = ticket_of(&app, CEO).await;
        let events = history_len(&app, ticket).await;
        let (_, tickets) = app.anon().get("/api/v1/ticket/").await;

        let new = "the new ticket would belong to ceo@example.com";
        assert_refused(bound.post("/api/v1/ticket/", json!({"owner": CEO, "title": "as the CEO"})).await, new, "POST ticket/");
        assert_refused(bound.post("/api/v1/bundle/", bundle(CEO, true)).await, new, "POST bundle/");
        let theirs = format!("ticket {ticket} belongs to {CEO}");
        let spu = app.upload("bar", "1.0-1").await;
        assert_refused(bound.post("/api/v1/subticket/", json!({"ticket": ticket, "source_package_upload": spu})).await, &theirs, "POST subticket/");
        assert_refused(bound.post("/api/v1/ticketartifact/", log_artifact("ticket", ticket)).await, &theirs, "POST ticketartifact/");
        assert_refused(bound.post("/api/v1/subticketartifact/", log_artifact("subticket", subticket)).await, &theirs, "POST subticketartifact/");
        assert_refused(bound.patch(&format!("/api/v1/updatesubticketstatus/{subticket}/"), queue()).await, &theirs, "queue the subticket");
        assert_refused(bound.patch(&format!("/api/v1/updateticketstatus/{ticket}/"), queue()).await, &theirs, "queue the ticket");
        // Even a change that would be a no-op, and a log on a Complete ticket.
        assert_eq!(app.move_ticket(ticket, 1000, 1000).await.0, StatusCode::ACCEPTED);
        let events = events + 2; // the completion, and its subticket's with it
        assert_refused(bound.patch(&format!("/api/v1/updateticketstatus/{ticket}/"), json!({"current_workflow_step": 1000, "status": 1000})).await, &theirs, "a no-op");
        assert_refused(bound.post("/api/v1/ticketartifact/", log_artifact("ticket", ticket)).await, &theirs, "LOGS on a Complete ticket");

        assert_eq!(history_len(&app, ticket).await, events, "nothing was recorded");
        let (_, after) = app.anon().get("/api/v1/ticket/").await;
        assert_eq!(after["meta"]["total_count"], tickets["meta"]["total_count"], "no ticket was created");
        // What does not exist is still a 404 (or an invalid reference), not a 403.
        let (status, body) = bound.patch("/api/v1/updateticketstatus/9999/", queue()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, body) = bound.post("/api/v1/ticketartifact/", log_artifact("ticket", 9999)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_reference", "{body}");
    }

    async fn unbound_developer_tokens_still_act_for_any_owner(app) {
        let (ticket, subticket) = ticket_of(&app, CEO).await;
        created(&app.dev(), "/api/v1/ticketartifact/", log_artifact("ticket", ticket)).await;
        created(&app.dev(), "/api/v1/subticketartifact/", log_artifact("subticket", subticket)).await;
        let (status, body) = app.dev().patch(&format!("/api/v1/updateticketstatus/{ticket}/"), queue()).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let (status, body) = app.dev().post("/api/v1/bundle/", bundle(CEO, true)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // Landers and admins are never bound.
        let (status, body) = app.lander().post("/api/v1/ticketartifact/", log_artifact("ticket", ticket)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    async fn whoami_shows_the_owner_a_token_is_bound_to(app) {
        let token = app.bound_developer("bound", DEV).await;
        let (status, body) = app.with_token(&token).get("/api/v1/whoami/").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"name": "bound", "role": "developer", "owner": DEV}));
        assert_eq!(app.dev().get("/api/v1/whoami/").await.1["owner"], Value::Null);
        assert_eq!(app.anon().get("/api/v1/whoami/").await.1["owner"], Value::Null);
    }

    async fn only_developer_tokens_take_an_owner_and_it_must_be_an_address(app) {
        for role in [Role::Lander, Role::Admin] {
            let refused = tokens::create(&app.store, &format!("bound-{role}"), role, Some(DEV), None).await;
            let Err(DomainError::Validation(fields)) = refused else {
                panic!("a bound {role} token: {refused:?}");
            };
            let problem = &fields.0["email"];
            assert!(problem.contains("only a developer token") && problem.contains(&format!("a {role} token")), "{problem}");
        }
        for bad in ["", "dev", "Dev <dev@example.com>", "dev@example.com, ceo@example.com", "dev@"] {
            let refused = tokens::create(&app.store, "bad-owner", Role::Developer, Some(bad), None).await;
            let Err(DomainError::Validation(fields)) = refused else {
                panic!("owner {bad:?}: {refused:?}");
            };
            assert!(fields.0.contains_key("email"), "{bad:?}: {fields:?}");
        }
        let listed = tokens::list(&app.store).await.expect("list");
        assert!(listed.iter().all(|t| t.owner.is_none()), "nothing refused was stored: {listed:?}");
        app.bound_developer("bound", DEV).await;
        let listed = tokens::list(&app.store).await.expect("list");
        let bound = listed.iter().find(|t| t.name == "bound").expect("listed");
        assert_eq!(bound.owner.as_deref(), Some(DEV));
    }
}
