//! Authentication and each role's rights, through HTTP.

use reqwest::StatusCode;
use serde_json::json;
use shared::Role;
use ticketd::server::AuthMode;

use crate::helpers::{Backend, Options, TestApp};

fn ticket_body() -> serde_json::Value {
    json!({"owner": "dev@example.com", "title": "t"})
}

async fn anonymous_reads_off(backend: Backend) {
    let options = Options {
        auth: AuthMode::Tokens {
            anonymous_read: false,
        },
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, options).await else {
        return;
    };
    let (status, body) = app.anon().get("/api/v1/ticket/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    assert_eq!(app.dev().get("/api/v1/ticket/").await.0, StatusCode::OK);
}

#[tokio::test]
async fn with_anonymous_reads_off_a_read_needs_a_token_on_sqlite() {
    anonymous_reads_off(Backend::Sqlite).await;
}

#[tokio::test]
async fn with_anonymous_reads_off_a_read_needs_a_token_on_postgres() {
    anonymous_reads_off(Backend::Postgres).await;
}

backend_tests! {
    async fn anonymous_clients_read_everything_but_write_nothing(app) {
        for path in ["ticket", "opentickets", "ticketstatus", "fullticket", "subticket", "spu", "ticketartifact",
            "subticketartifact", "sourcepackage", "binarypackage", "person", "event", "whoami"] {
            assert_eq!(app.anon().get(&format!("/api/v1/{path}/")).await.0, StatusCode::OK, "{path}");
        }
        let response = app.anon().raw(reqwest::Method::POST, "/api/v1/ticket/", Some(("application/json", ticket_body().to_string().into_bytes()))).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));
        let body: serde_json::Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "unauthorized");
        assert_eq!(app.anon().get("/api/v1/ticket/").await.1["meta"]["total_count"], 0, "nothing was written");
    }

    async fn whoami_names_the_token_and_its_role(app) {
        for (role, name) in [(Role::Developer, "test-developer"), (Role::Lander, "test-lander"), (Role::Admin, "test-admin")] {
            let (_, body) = app.as_role(role).get("/api/v1/whoami/").await;
            assert_eq!(body, json!({"name": name, "role": role.as_str()}));
        }
        assert_eq!(app.anon().get("/api/v1/whoami/").await.1, json!({"name": null, "role": "anonymous"}));
    }

    async fn a_wrong_or_malformed_token_is_refused_even_for_reads(app) {
        let (status, _) = app.with_token("tkd_not-a-token").get("/api/v1/ticket/").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let response = app.client().get(app.url("/api/v1/ticket/")).header("authorization", "Basic eHl6").send().await.expect("get");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }

    async fn a_revoked_token_is_refused_at_once(app) {
        assert_eq!(app.lander().get("/api/v1/whoami/").await.0, StatusCode::OK);
        ticketd::domain::tokens::revoke(&app.store, "test-lander").await.expect("revoke");
        assert_eq!(app.lander().get("/api/v1/whoami/").await.0, StatusCode::UNAUTHORIZED);
    }

    async fn developers_create_and_queue_but_do_not_move_tickets(app) {
        let (ticket, subs) = app.ticket_with_subtickets("dev rights", &[("foo", "1.0")]).await;
        let (status, _) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "r", "ticket": ticket, "reference": "https://r.example/", "type": "RESULTS"})).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, _) = app.dev().patch(&format!("/api/v1/updatesubticketstatus/{}/", subs[0]), json!({"current_workflow_step": 200, "status": 100})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, body) = app.dev().post("/api/v1/person/", json!({"name": "P", "email": "p@example.com"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], "forbidden");
        let (status, _) = app.dev().post("/api/v1/packagelist/", json!([])).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    async fn landers_move_tickets_but_may_not_force_or_administer(app) {
        let id = app.ticket("lander rights").await;
        assert_eq!(app.move_ticket(id, 300, 100).await.0, StatusCode::ACCEPTED);
        let (status, _) = app.lander().patch(&format!("/api/v1/updateticketstatus/{id}/"), json!({"current_workflow_step": 100, "status": 0, "force": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _) = app.lander().post("/api/v1/person/", json!({"name": "P", "email": "p@example.com"})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }

    async fn admins_may_do_everything(app) {
        let id = app.ticket("admin rights").await;
        assert_eq!(app.admin().post("/api/v1/person/", json!({"name": "P", "email": "p@example.com", "is_team": "False"})).await.0, StatusCode::CREATED);
        assert_eq!(app.admin().post("/api/v1/packagelist/", json!([])).await.0, StatusCode::OK);
        assert_eq!(app.admin().patch(&format!("/api/v1/updateticketstatus/{id}/"), json!({"current_workflow_step": 500, "status": 100})).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.admin().patch(&format!("/api/v1/updateticketstatus/{id}/"), json!({"current_workflow_step": 100, "status": 0, "force": true})).await.0, StatusCode::ACCEPTED);
    }

    async fn events_record_the_token_name_as_actor(app) {
        let id = app.ticket("actor").await;
        app.move_ticket(id, 200, 100).await;
        let (_, page) = app.anon().get(&format!("/api/v1/event/?ticket={id}&order_by=id")).await;
        let actors: Vec<&str> = page["objects"].as_array().expect("events").iter().filter_map(|e| e["actor"].as_str()).collect();
        assert_eq!(actors, ["test-developer", "test-lander"]);
    }
}
