//! Authentication and each role's rights through HTTP, as the Resources table
//! of `docs/api.md` and README.md's "Tokens and roles" give them: anonymous
//! reads, developer creation and queueing, lander status changes, admin force
//! and administration, whoami, wrong, revoked and malformed credentials,
//! reads closed to anonymous clients, and the token name recorded on each
//! event.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::{Backend, Options, RESOURCE_LISTS, Session, TestApp, id_of};

/// The ids of one object of each kind, made by `session`.
struct Objects {
    sourcepackage: i64,
    spu: i64,
    ticket: i64,
    subticket: i64,
    ticketartifact: i64,
    subticketartifact: i64,
}

async fn created(session: &Session<'_>, path: &str, body: Value) -> i64 {
    let (status, answer) = session.post(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "POST {path}: {answer}");
    id_of(&answer)
}

/// Create a source package, an upload of it, a ticket, a subticket and an
/// artifact on each, all with `session`; every creation must answer 201.
async fn create_everything(session: &Session<'_>, name: &str) -> Objects {
    let sourcepackage = created(session, "/api/v1/sourcepackage/", json!({"name": name})).await;
    let spu = created(
        session,
        "/api/v1/spu/",
        json!({"sourcepackage": format!("/api/v1/sourcepackage/{sourcepackage}/"), "version": "1.0-1"}),
    )
    .await;
    let ticket = created(
        session,
        "/api/v1/ticket/",
        json!({"owner": "dev@example.com", "title": format!("{name} ticket"), "description": "d", "bug_id": "12345"}),
    )
    .await;
    let subticket = created(
        session,
        "/api/v1/subticket/",
        json!({"source_package_upload": format!("/api/v1/spu/{spu}/"), "ticket": format!("/api/v1/ticket/{ticket}/"), "assignee": "dev@example.com"}),
    )
    .await;
    let ticketartifact = created(
        session,
        "/api/v1/ticketartifact/",
        json!({"name": "img", "ticket": ticket, "reference": "https://img.example/1", "type": "IMAGE"}),
    )
    .await;
    let subticketartifact = created(
        session,
        "/api/v1/subticketartifact/",
        json!({"name": "dsc", "subticket": subticket, "reference": "https://f.example/foo.dsc", "type": "SPU"}),
    )
    .await;
    Objects {
        sourcepackage,
        spu,
        ticket,
        subticket,
        ticketartifact,
        subticketartifact,
    }
}

/// The ticket's (step, status) as anyone reads it.
async fn position(app: &TestApp, path: &str) -> (Option<i64>, Option<i64>) {
    let (status, body) = app.admin().get(path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (
        body["current_workflow_step"].as_i64(),
        body["status"].as_i64(),
    )
}

fn step(step: i64, status: i64) -> Value {
    json!({"current_workflow_step": step, "status": status})
}

/// Assert a 401 answer: the challenge header and the `unauthorized` body.
async fn assert_unauthorized(response: reqwest::Response, what: &str) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
    let challenge = response
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    assert_eq!(challenge.as_deref(), Some("Bearer"), "{what}");
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["error"]["code"], "unauthorized", "{what}: {body}");
}

/// Every write of the API with a body that would otherwise succeed.
fn writes(objects: &Objects) -> Vec<(Method, String, Value)> {
    let Objects {
        sourcepackage,
        spu,
        ticket,
        subticket,
        ..
    } = objects;
    vec![
        (
            Method::POST,
            "/api/v1/ticket/".into(),
            json!({"owner": "o@example.com", "title": "anon"}),
        ),
        (
            Method::POST,
            "/api/v1/sourcepackage/".into(),
            json!({"name": "anon-package"}),
        ),
        (
            Method::POST,
            "/api/v1/spu/".into(),
            json!({"sourcepackage": sourcepackage, "version": "9.9"}),
        ),
        (
            Method::POST,
            "/api/v1/subticket/".into(),
            json!({"source_package_upload": spu, "ticket": ticket}),
        ),
        (
            Method::POST,
            "/api/v1/ticketartifact/".into(),
            json!({"name": "a", "ticket": ticket, "reference": "https://a.example/", "type": "LOGS"}),
        ),
        (
            Method::POST,
            "/api/v1/subticketartifact/".into(),
            json!({"name": "a", "subticket": subticket, "reference": "https://a.example/", "type": "LOGS"}),
        ),
        (
            Method::POST,
            "/api/v1/person/".into(),
            json!({"name": "P", "email": "p@example.com", "is_team": "False"}),
        ),
        (
            Method::POST,
            "/api/v1/packagelist/".into(),
            json!([{"binary": "libanon1", "source": "anon", "version": "1.0"}]),
        ),
        (
            Method::POST,
            "/api/v1/bundle/".into(),
            json!({"ticket": {"title": "b", "owner": "o@example.com"}, "uploads": [{"sourcepackage": "anon", "version": "1.0"}]}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/updateticketstatus/{ticket}/"),
            step(100, 0),
        ),
        (
            Method::PATCH,
            format!("/api/v1/updatesubticketstatus/{subticket}/"),
            step(100, 0),
        ),
    ]
}

/// The total of every list, to show that a refused write left nothing.
async fn totals(app: &TestApp) -> Vec<Value> {
    let mut all = Vec::new();
    for list in RESOURCE_LISTS {
        let (_, body) = app.admin().get(&format!("/api/v1/{list}/")).await;
        all.push(body["meta"]["total_count"].clone());
    }
    all
}

async fn anonymous_reads_off(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, Options::without_anonymous_reads()).await else {
        return;
    };
    let ticket = app.ticket("closed to anonymous readers").await;
    for path in [
        "/api/v1/ticket/".to_string(),
        format!("/api/v1/fullticket/{ticket}/"),
        "/api/v1/whoami/".to_string(),
    ] {
        let response = app.anon().raw(Method::GET, &path, None).await;
        assert_unauthorized(response, &format!("anonymous GET {path}")).await;
        for role in [Role::Developer, Role::Lander, Role::Admin] {
            let (status, body) = app.as_role(role).get(&path).await;
            assert_eq!(status, StatusCode::OK, "{role} GET {path}: {body}");
        }
    }
    let (_, who) = app.dev().get("/api/v1/whoami/").await;
    assert_eq!(
        who,
        json!({"name": "test-developer", "role": "developer", "owner": null})
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_anonymous_reads_off_a_read_needs_a_token_on_sqlite() {
    anonymous_reads_off(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_anonymous_reads_off_a_read_needs_a_token_on_postgres() {
    anonymous_reads_off(Backend::Postgres).await;
}

backend_tests! {
    async fn anonymous_clients_may_read_every_list_and_every_object(app) {
        let objects = create_everything(&app.dev(), "readable").await;
        for list in RESOURCE_LISTS.into_iter().chain(["whoami"]) {
            let (status, body) = app.anon().get(&format!("/api/v1/{list}/")).await;
            assert_eq!(status, StatusCode::OK, "GET {list}/: {body}");
        }
        for path in [
            format!("/api/v1/ticket/{}/", objects.ticket),
            format!("/api/v1/fullticket/{}/", objects.ticket),
            format!("/api/v1/opentickets/{}/", objects.ticket),
            format!("/api/v1/ticketstatus/{}/", objects.ticket),
            format!("/api/v1/subticket/{}/", objects.subticket),
            format!("/api/v1/spu/{}/", objects.spu),
            format!("/api/v1/sourcepackage/{}/", objects.sourcepackage),
            format!("/api/v1/ticketartifact/{}/", objects.ticketartifact),
            format!("/api/v1/subticketartifact/{}/", objects.subticketartifact),
        ] {
            let (status, body) = app.anon().get(&path).await;
            assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
            assert!(body["id"].is_i64(), "GET {path}: {body}");
        }
    }

    async fn anonymous_writes_are_refused_with_a_bearer_challenge(app) {
        let objects = create_everything(&app.dev(), "unwritable").await;
        let before = totals(&app).await;
        for (method, path, body) in writes(&objects) {
            let what = format!("anonymous {method} {path}");
            let response = app
                .anon()
                .raw(method, &path, Some(("application/json", body.to_string().into_bytes())))
                .await;
            assert_unauthorized(response, &what).await;
        }
        let blob = app
            .anon()
            .raw(Method::PUT, &format!("/api/v1/blob/{}", "0".repeat(64)), Some(("application/octet-stream", b"x".to_vec())))
            .await;
        assert_unauthorized(blob, "anonymous PUT blob/").await;
        assert_eq!(totals(&app).await, before, "a refused write leaves nothing behind");
        assert_eq!(position(&app, &format!("/api/v1/ticket/{}/", objects.ticket)).await, (Some(0), Some(0)));
    }

    async fn developers_may_create_every_kind_of_object_and_queue(app) {
        let objects = create_everything(&app.dev(), "developer-made").await;
        let ticket = format!("/api/v1/updateticketstatus/{}/", objects.ticket);
        let (status, body) = app.dev().patch(&ticket, json!({"current_workflow_step": "100", "status": "000"})).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!((body["current_workflow_step"].as_i64(), body["status"].as_i64()), (Some(100), Some(0)));

        // A subticket of a ticket still at step 0 may be queued on its own.
        let other = create_everything(&app.dev(), "developer-sub").await;
        let (status, body) = app
            .dev()
            .patch(&format!("/api/v1/updatesubticketstatus/{}/", other.subticket), step(100, 0))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(body["current_workflow_step"], 100);

        let (status, body) = app
            .dev()
            .post("/api/v1/bundle/", json!({"ticket": {"title": "dev bundle", "owner": "dev@example.com"}, "uploads": [{"sourcepackage": "bundled", "version": "1.0"}]}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }

    async fn developers_may_not_make_any_other_status_change(app) {
        let objects = create_everything(&app.dev(), "developer-limits").await;
        let ticket = format!("/api/v1/updateticketstatus/{}/", objects.ticket);
        let subticket = format!("/api/v1/updatesubticketstatus/{}/", objects.subticket);
        for (path, body) in [
            (&ticket, step(200, 100)),
            (&ticket, step(100, 100)),
            (&ticket, step(999, 999)),
            (&ticket, step(1000, 1000)),
            (&ticket, json!({"current_workflow_step": 100, "status": 0, "force": true})),
            (&subticket, step(200, 100)),
            (&subticket, step(999, 999)),
        ] {
            let (status, answer) = app.dev().patch(path, body.clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "developer PATCH {path} {body}: {answer}");
            assert_eq!(answer["error"]["code"], "forbidden", "{answer}");
        }
        assert_eq!(position(&app, &format!("/api/v1/ticket/{}/", objects.ticket)).await, (Some(0), Some(0)));
        assert_eq!(position(&app, &format!("/api/v1/subticket/{}/", objects.subticket)).await, (Some(0), Some(0)));

        // Once queued, moving on is the lander's business.
        assert_eq!(app.dev().patch(&ticket, step(100, 0)).await.0, StatusCode::ACCEPTED);
        let (status, body) = app.dev().patch(&ticket, step(200, 0)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        let (status, body) = app.dev().patch(&subticket, step(200, 0)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }

    async fn developers_may_not_add_persons_or_import_packages(app) {
        let (status, body) = app
            .dev()
            .post("/api/v1/person/", json!({"name": "Chris Johnston", "email": "user@example.com", "is_team": "False"}))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
        let (status, body) = app
            .dev()
            .post("/api/v1/packagelist/", json!([{"binary": "libfoo1", "source": "foo", "version": "1.0"}]))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(app.anon().get("/api/v1/person/").await.1["meta"]["total_count"], 0);
        assert_eq!(app.anon().get("/api/v1/binarypackage/").await.1["meta"]["total_count"], 0);
    }

    async fn landers_may_create_and_move_tickets_and_subtickets(app) {
        let objects = create_everything(&app.lander(), "lander-made").await;
        let ticket = format!("/api/v1/updateticketstatus/{}/", objects.ticket);
        let subticket = format!("/api/v1/updatesubticketstatus/{}/", objects.subticket);
        for (path, step_, status_) in [
            (&ticket, 200, 100),
            (&subticket, 200, 100),
            (&subticket, 200, 200),
            (&ticket, 300, 100),
            (&subticket, 1000, 1000),
            (&ticket, 400, 100),
            (&ticket, 1000, 1000),
        ] {
            let (status, body) = app.lander().patch(path, step(step_, status_)).await;
            assert_eq!(status, StatusCode::ACCEPTED, "lander PATCH {path} {step_}/{status_}: {body}");
            assert_eq!((body["current_workflow_step"].as_i64(), body["status"].as_i64()), (Some(step_), Some(status_)));
        }
    }

    async fn landers_may_not_force_a_change(app) {
        let id = app.ticket("lander force").await;
        let path = format!("/api/v1/updateticketstatus/{id}/");
        // Even a legal forward move is refused when it carries force.
        let (status, body) = app.lander().patch(&path, json!({"current_workflow_step": 200, "status": 100, "force": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
        assert_eq!(app.move_ticket(id, 1000, 1000).await.0, StatusCode::ACCEPTED);
        let (status, body) = app.lander().patch(&path, json!({"current_workflow_step": 100, "status": 0, "force": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(position(&app, &format!("/api/v1/ticket/{id}/")).await, (Some(1000), Some(1000)));
        let (status, body) = app.lander().post("/api/v1/person/", json!({"name": "P", "email": "p@example.com"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }

    async fn admins_may_do_everything(app) {
        let objects = create_everything(&app.admin(), "admin-made").await;
        let (status, body) = app
            .admin()
            .post("/api/v1/person/", json!({"name": "Canonical CI Engineering", "email": "team@lists.example", "is_team": "True"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = app
            .admin()
            .post("/api/v1/packagelist/", json!([{"binary": "libadmin1", "source": "admin-made", "version": "1.0-1"}]))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let ticket = format!("/api/v1/updateticketstatus/{}/", objects.ticket);
        assert_eq!(app.admin().patch(&ticket, step(100, 0)).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.admin().patch(&ticket, step(500, 100)).await.0, StatusCode::ACCEPTED);
        let subticket = format!("/api/v1/updatesubticketstatus/{}/", objects.subticket);
        assert_eq!(app.admin().patch(&subticket, step(200, 200)).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.admin().patch(&ticket, step(1000, 1000)).await.0, StatusCode::ACCEPTED);
        let (status, body) = app.admin().patch(&ticket, json!({"current_workflow_step": 100, "status": 0, "force": true})).await;
        assert_eq!(status, StatusCode::ACCEPTED, "an admin may force a complete ticket back: {body}");
        assert_eq!((body["current_workflow_step"].as_i64(), body["status"].as_i64()), (Some(100), Some(0)));
    }

    async fn whoami_answers_the_name_and_role_of_the_token(app) {
        for (role, name) in [(Role::Developer, "test-developer"), (Role::Lander, "test-lander"), (Role::Admin, "test-admin")] {
            let (status, body) = app.as_role(role).get("/api/v1/whoami/").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, json!({"name": name, "role": role.as_str(), "owner": null}));
        }
        let (status, body) = app.anon().get("/api/v1/whoami/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"name": null, "role": "anonymous", "owner": null}));
        // Without the trailing slash too.
        assert_eq!(app.dev().get("/api/v1/whoami").await.1["name"], "test-developer");
    }

    async fn a_wrong_token_is_refused_even_on_reads(app) {
        let wrong = format!("{}x", app.token(Role::Admin));
        for path in ["/api/v1/ticket/", "/api/v1/whoami/", "/api/v1/event/"] {
            let response = app.with_token(&wrong).raw(Method::GET, path, None).await;
            assert_unauthorized(response, &format!("GET {path} with a wrong token")).await;
        }
        let response = app
            .with_token("tkd_not-a-token")
            .raw(Method::POST, "/api/v1/ticket/", Some(("application/json", json!({"owner": "o@example.com", "title": "t"}).to_string().into_bytes())))
            .await;
        assert_unauthorized(response, "POST ticket/ with a wrong token").await;
        assert_eq!(app.anon().get("/api/v1/ticket/").await.1["meta"]["total_count"], 0);
    }

    async fn a_revoked_token_is_refused_at_once(app) {
        let id = app.ticket("revocation").await;
        assert_eq!(app.lander().get("/api/v1/whoami/").await.1["name"], "test-lander");
        ticketd::domain::tokens::revoke(&app.store, "test-lander").await.expect("revoke");
        let response = app.lander().raw(Method::GET, "/api/v1/whoami/", None).await;
        assert_unauthorized(response, "GET whoami/ with a revoked token").await;
        let (status, body) = app.move_ticket(id, 200, 100).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(position(&app, &format!("/api/v1/ticket/{id}/")).await, (Some(0), Some(0)));
        // The other tokens are untouched.
        assert_eq!(app.admin().get("/api/v1/whoami/").await.1["name"], "test-admin");
    }

    async fn a_malformed_authorization_header_is_refused(app) {
        let token = app.token(Role::Admin).to_string();
        for header in ["Basic xyz".to_string(), "Bearer".to_string(), "Bearer ".to_string(), token.clone(), format!("Token {token}")] {
            let response = app
                .client()
                .get(app.url("/api/v1/ticket/"))
                .header("authorization", &header)
                .send()
                .await
                .expect("request");
            let shown = header.replace(&token, "<token>");
            assert_unauthorized(response, &format!("Authorization: {shown}")).await;
        }
    }

    async fn the_bearer_scheme_is_case_insensitive_and_takes_spaces_or_tabs(app) {
        // RFC 9110: the scheme is case-insensitive and 1*SP separates it from
        // the token; HTAB is accepted as white space too.
        let token = app.token(Role::Lander).to_string();
        for header in [format!("BEARER {token}"), format!("bearer {token}"), format!("bEaReR {token}"), format!("Bearer\t{token}"), format!("Bearer  \t {token}")] {
            let (status, body) = app.anon().send(app.client().get(app.url("/api/v1/whoami/")).header("authorization", &header)).await;
            let shown = header.replace(&token, "<token>").replace('\t', "<TAB>");
            assert_eq!(status, StatusCode::OK, "Authorization: {shown}: {body}");
            assert_eq!(body["name"], "test-lander", "Authorization: {shown}: {body}");
        }
    }

    async fn two_authorization_headers_are_a_400(app) {
        let lander = format!("Bearer {}", app.token(Role::Lander));
        let developer = format!("Bearer {}", app.token(Role::Developer));
        let id = app.ticket("two headers").await;
        for (first, second) in [(&lander, &developer), (&lander, &lander), (&developer, &"Bearer wrong".to_string())] {
            let request = app.client().get(app.url("/api/v1/whoami/")).header("authorization", first).header("authorization", second);
            let (status, body) = app.anon().send(request).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert!(body["error"]["message"].as_str().unwrap_or("").contains("Authorization"), "{body}");
            let write = app.client().patch(app.url(&format!("/api/v1/updateticketstatus/{id}/"))).header("authorization", first).header("authorization", second).json(&step(200, 100));
            let (status, body) = app.anon().send(write).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        }
        assert_eq!(position(&app, &format!("/api/v1/ticket/{id}/")).await, (Some(0), Some(0)));
    }

    async fn events_record_the_token_name_as_actor(app) {
        let objects = create_everything(&app.dev(), "actors").await;
        assert_eq!(app.dev().patch(&format!("/api/v1/updateticketstatus/{}/", objects.ticket), step(100, 0)).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.move_ticket(objects.ticket, 1000, 1000).await.0, StatusCode::ACCEPTED);
        let (status, body) = app
            .admin()
            .patch(&format!("/api/v1/updateticketstatus/{}/", objects.ticket), json!({"current_workflow_step": 500, "status": 100, "force": true}))
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let (_, page) = app.anon().get(&format!("/api/v1/event/?ticket={}&order_by=id", objects.ticket)).await;
        let seen: Vec<(String, String)> = page["objects"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| (e["kind"].as_str().unwrap_or("?").to_string(), e["actor"].as_str().unwrap_or("<null>").to_string()))
            .collect();
        let expected: Vec<(String, String)> = [
            ("created", "test-developer"),   // the ticket
            ("created", "test-developer"),   // the subticket
            ("artifact", "test-developer"),  // on the ticket
            ("artifact", "test-developer"),  // on the subticket
            ("status", "test-developer"),    // the ticket queued
            ("status", "test-developer"),    // its subticket queued with it
            ("status", "test-lander"),      // the ticket completed
            ("status", "test-lander"),      // its subticket with it
            ("forced", "test-admin"),
        ]
        .iter()
        .map(|(k, a)| (k.to_string(), a.to_string()))
        .collect();
        assert_eq!(seen, expected, "{page}");
        let (_, full) = app.anon().get(&format!("/api/v1/fullticket/{}/", objects.ticket)).await;
        assert_eq!(full["history"], page["objects"], "fullticket's history is the same events");
    }
}
