//! `workflow/` against the server that serves it: the codes it lists are
//! exactly those requests accept, and the transitions it lists for a role
//! are exactly those the status PATCHes let that role make, for tickets
//! and subtickets alike.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shared::Role;

use crate::helpers::TestApp;

async fn workflow(app: &TestApp) -> Value {
    let (status, body) = app.anon().get("/api/v1/workflow/").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn list<'a>(doc: &'a Value, key: &str) -> &'a Vec<Value> {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} in {doc}"))
}

fn codes(doc: &Value, key: &str) -> Vec<i64> {
    list(doc, key)
        .iter()
        .map(|v| v["code"].as_i64().expect("code"))
        .collect()
}

/// Tickets or subtickets: the PATCH of each and how to make a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    Ticket,
    Subticket,
}

impl Object {
    async fn create(self, app: &TestApp, n: usize) -> i64 {
        match self {
            Object::Ticket => app.ticket(&format!("matrix {n}")).await,
            Object::Subticket => {
                let version = format!("1.{n}");
                app.ticket_with_subtickets(&format!("matrix {n}"), &[("foo", &version)])
                    .await
                    .1[0]
            }
        }
    }

    async fn patch(
        self,
        app: &TestApp,
        role: Role,
        id: i64,
        step: i64,
        status: i64,
    ) -> (StatusCode, Value) {
        let path = match self {
            Object::Ticket => format!("/api/v1/updateticketstatus/{id}/"),
            Object::Subticket => format!("/api/v1/updatesubticketstatus/{id}/"),
        };
        app.as_role(role)
            .patch(
                &path,
                json!({"current_workflow_step": step, "status": status}),
            )
            .await
    }

    fn resource(self) -> &'static str {
        match self {
            Object::Ticket => "ticket",
            Object::Subticket => "subticket",
        }
    }

    /// A new object at `step` with a status other than `not` (a lander
    /// moves it there from 0/0; to 999 by failing at 100).
    async fn at(self, app: &TestApp, n: usize, step: i64, not: i64) -> i64 {
        let id = self.create(app, n).await;
        let (step, status) = match step {
            0 if not != 0 => return id,
            999 => (100, 999),
            1000 => (1000, 1000),
            _ if not == 0 => (step, 100),
            _ => (step, 0),
        };
        let (code, body) = self.patch(app, Role::Lander, id, step, status).await;
        assert_eq!(code, StatusCode::ACCEPTED, "to {step}/{status}: {body}");
        id
    }

    async fn get(self, app: &TestApp, id: i64) -> Value {
        let (code, body) = app
            .anon()
            .get(&format!("/api/v1/{}/{id}/", self.resource()))
            .await;
        assert_eq!(code, StatusCode::OK, "{body}");
        body
    }
}

/// Whether `doc` lists sending `to`/`status` from `from` for `role`, and
/// the step it records as failed if so.
fn listed(doc: &Value, from: i64, to: i64, status: i64, role: Role) -> Option<Value> {
    list(doc, "transitions")
        .iter()
        .find(|t| {
            t["from_step"] == from
                && t["to_step"] == to
                && t["statuses"]
                    .as_array()
                    .is_some_and(|s| s.contains(&json!(status)))
                && t["roles"]
                    .as_array()
                    .is_some_and(|r| r.contains(&json!(role.as_str())))
        })
        .map(|t| t["failed_step"].clone())
}

/// Whether sending `to`/`status` asks for the state `object` is in:
/// the same pair, or the failure it records (`{S, 999}` is "failed at S").
fn already(object: &Value, to: i64, status: i64) -> bool {
    let at = (&object["current_workflow_step"], &object["status"]);
    at == (&json!(to), &json!(status))
        || (at == (&json!(999), &json!(999))
            && status == 999
            && (to == 999 || object["failed_step"] == to))
}

/// Every step, status and role through `object`'s PATCH: a listed change
/// is accepted and lands where the document says; any other is refused
/// with a 4xx and changes nothing.
async fn check_matrix(app: &TestApp, object: Object) {
    let doc = workflow(app).await;
    let steps = codes(&doc, "steps");
    let statuses = codes(&doc, "statuses");
    let mut made = 0;
    let mut accepted = 0;
    let mut refused = 0;
    for &from in &steps {
        // Two objects parked at `from`, at different statuses: refused
        // changes are sent to one, and must leave it as it was.
        let mut parked = Vec::new();
        for not in [0, 100] {
            made += 1;
            let id = object.at(app, made, from, not).await;
            parked.push((id, object.get(app, id).await));
        }
        for &to in &steps {
            for &status in &statuses {
                for role in [Role::Developer, Role::Lander] {
                    let Some(failed_step) = listed(&doc, from, to, status, role) else {
                        // The state an object is in already (with the
                        // failure it records) is a no-op, answered 202:
                        // send it to one in another state.
                        let other = parked.iter().find(|(_, b)| !already(b, to, status));
                        if let Some((id, _)) = other {
                            let (code, body) = object.patch(app, role, *id, to, status).await;
                            assert!(
                                code.is_client_error(),
                                "{object:?} {role} {from} → {to}/{status} is not listed, but answered {code}: {body}"
                            );
                            refused += 1;
                        }
                        continue;
                    };
                    made += 1;
                    let id = object.at(app, made, from, status).await;
                    let (code, body) = object.patch(app, role, id, to, status).await;
                    assert_eq!(
                        code,
                        StatusCode::ACCEPTED,
                        "{object:?} {role} {from} → {to}/{status} is listed: {body}"
                    );
                    let landed = if failed_step.is_null() {
                        json!(to)
                    } else {
                        json!(999)
                    };
                    assert_eq!(
                        body["current_workflow_step"], landed,
                        "{from} → {to}/{status}: {body}"
                    );
                    assert_eq!(
                        body["failed_step"], failed_step,
                        "{from} → {to}/{status}: {body}"
                    );
                    accepted += 1;
                }
            }
        }
        for (id, before) in &parked {
            assert_eq!(
                &object.get(app, *id).await,
                before,
                "{object:?} {id} at {from} changed"
            );
        }
    }
    assert!(
        accepted > 90 && refused > 400,
        "{accepted} accepted, {refused} refused"
    );
}

backend_tests! {
    async fn workflow_lists_exactly_the_codes_the_api_accepts(app) {
        let doc = workflow(&app).await;
        assert_eq!(codes(&doc, "steps"), [0, 100, 200, 300, 400, 500, 999, 1000]);
        assert_eq!(codes(&doc, "statuses"), [0, 100, 200, 999, 1000]);
        for (key, filter) in [("steps", "current_workflow_step"), ("statuses", "status")] {
            for entry in list(&doc, key) {
                for spelling in [&entry["code"].to_string(), entry["slug"].as_str().expect("slug"), entry["display"].as_str().expect("display")] {
                    let query: String = url::form_urlencoded::Serializer::new(String::new()).append_pair(filter, spelling).finish();
                    let (status, body) = app.anon().get(&format!("/api/v1/ticket/?{query}")).await;
                    assert_eq!(status, StatusCode::OK, "{filter}={spelling}: {body}");
                }
            }
            // A code it does not list is refused, and the refusal lists
            // what is allowed: the document's codes and slugs, no more.
            let allowed: Vec<String> = list(&doc, key)
                .iter()
                .map(|e| format!("{} ({})", e["code"], e["slug"].as_str().expect("slug")))
                .collect();
            let (status, body) = app.anon().get(&format!("/api/v1/ticket/?{filter}=150")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            let message = body["error"]["message"].as_str().expect("message");
            assert!(message.ends_with(&format!("allowed: {}", allowed.join(", "))), "{message}");
        }
        let terminal: Vec<_> = list(&doc, "steps").iter().filter(|s| s["terminal"] == true).map(|s| s["code"].clone()).collect();
        assert_eq!(terminal, [json!(999), json!(1000)]);
        // The names answers carry are the document's.
        let id = app.ticket("named").await;
        let (_, ticket) = app.move_ticket(id, 200, 100).await;
        let step = list(&doc, "steps").iter().find(|s| s["code"] == 200).expect("200");
        assert_eq!(ticket["current_workflow_step_display"], step["display"]);
    }

    async fn workflow_is_read_like_any_object_and_takes_no_parameters(app) {
        for role in [Role::Anonymous, Role::Developer, Role::Admin] {
            let (status, body) = app.as_role(role).get("/api/v1/workflow").await;
            assert_eq!(status, StatusCode::OK, "{role}: {body}");
        }
        let (status, _) = app.anon().get("/api/v1/workflow/?format=json").await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app.anon().get("/api/v1/workflow/?step=100").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_filter");
        let (status, body) = app.dev().post("/api/v1/workflow/", json!({})).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
        let doc = workflow(&app).await;
        assert_eq!(doc["force"]["roles"], json!(["admin"]));
        let names: Vec<_> = list(&doc, "cascades").iter().map(|c| c["name"].clone()).collect();
        assert_eq!(
            names,
            [json!("queue_subtickets"), json!("complete_subtickets"), json!("fail_ticket")]
        );
    }

    async fn every_listed_ticket_transition_is_accepted_and_every_other_refused(app) {
        check_matrix(&app, Object::Ticket).await;
    }

    async fn every_listed_subticket_transition_is_accepted_and_every_other_refused(app) {
        check_matrix(&app, Object::Subticket).await;
    }

    async fn the_cascades_it_lists_happen(app) {
        let doc = workflow(&app).await;
        let cascade = |name: &str| list(&doc, "cascades").iter().chain(list(&doc, "refusals")).find(|c| c["name"] == name).cloned().unwrap_or_else(|| panic!("{name}"));
        // queue_subtickets: a ticket from 0 to 100 takes its new subtickets along.
        let queue = cascade("queue_subtickets");
        assert_eq!((queue["object"].clone(), queue["from_step"].clone(), queue["to_step"].clone()), (json!("ticket"), json!(0), json!(100)));
        let (ticket, subs) = app.ticket_with_subtickets("cascades", &[("foo", "1.0"), ("bar", "1.0")]).await;
        assert_eq!(app.move_ticket(ticket, 100, 0).await.0, StatusCode::ACCEPTED);
        for sub in &subs {
            let (_, body) = app.anon().get(&format!("/api/v1/subticket/{sub}/")).await;
            assert_eq!(body["current_workflow_step"], 100, "{body}");
        }
        // complete_subtickets: a ticket reaching 1000 takes its unfinished
        // subtickets along.
        let complete = cascade("complete_subtickets");
        assert_eq!((complete["object"].clone(), complete["to_step"].clone()), (json!("ticket"), json!(1000)));
        let (done, done_subs) = app.ticket_with_subtickets("completed", &[("foo", "3.0"), ("bar", "3.0")]).await;
        assert_eq!(app.move_ticket(done, 100, 0).await.0, StatusCode::ACCEPTED);
        assert_eq!(app.move_ticket(done, 1000, 1000).await.0, StatusCode::ACCEPTED);
        for sub in &done_subs {
            let (_, body) = app.anon().get(&format!("/api/v1/subticket/{sub}/")).await;
            assert_eq!(body["current_workflow_step"], 1000, "{body}");
        }
        // fail_ticket: a subticket reaching 999 fails its ticket.
        let fail = cascade("fail_ticket");
        assert_eq!((fail["object"].clone(), fail["to_step"].clone()), (json!("subticket"), json!(999)));
        assert_eq!(app.move_subticket(subs[0], 200, 999).await.0, StatusCode::ACCEPTED);
        let (_, body) = app.anon().get(&format!("/api/v1/ticket/{ticket}/")).await;
        assert_eq!((body["current_workflow_step"].clone(), body["failed_step"].clone()), (json!(999), json!(200)), "{body}");
        // no_completion_with_failed_subticket, unless forced.
        let refusal = cascade("no_completion_with_failed_subticket");
        assert_eq!((refusal["to_step"].clone(), refusal["forced_too"].clone()), (json!(1000), json!(false)));
        let (other, other_subs) = app.ticket_with_subtickets("refused", &[("foo", "2.0")]).await;
        assert_eq!(app.move_subticket(other_subs[0], 200, 999).await.0, StatusCode::ACCEPTED);
        let (status, body) = app.admin().patch(&format!("/api/v1/updateticketstatus/{other}/"), json!({"current_workflow_step": 200, "status": 0, "force": true})).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        assert_eq!(app.move_ticket(other, 1000, 1000).await.0, StatusCode::CONFLICT);
    }
}
