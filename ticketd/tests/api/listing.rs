//! Create, read, list, filter, order and paginate every resource.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, id_of};

async fn list(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.anon().get(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

fn ids(body: &Value) -> Vec<i64> {
    body["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .filter_map(|o| o["id"].as_i64())
        .collect()
}

async fn person(app: &TestApp, name: &str, email: &str, team: &str) {
    let (status, body) = app
        .admin()
        .post(
            "/api/v1/person/",
            json!({"name": name, "email": email, "is_team": team}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

backend_tests! {
    async fn creating_answers_201_with_location_and_the_documented_fields(app) {
        let response = app
            .dev()
            .raw(reqwest::Method::POST, "/api/v1/ticket/", Some(("application/json; charset=utf-8", json!({"owner": "o@example.com", "title": "T", "bug_id": 42}).to_string().into_bytes())))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        let body: Value = response.json().await.expect("json");
        assert_eq!(location.as_deref(), body["resource_uri"].as_str());
        assert_eq!(body["bug_id"], "42");
        assert_eq!(body["description"], "");
        assert_eq!((body["current_workflow_step"].as_i64(), body["status"].as_i64()), (Some(0), Some(0)));
        assert_eq!(body["current_workflow_step_display"], "New");
        assert_eq!(body["failed_step"], Value::Null);
        let (_, empty_bug) = app.dev().post("/api/v1/ticket/", json!({"owner": "o@example.com", "title": "T", "bug_id": ""})).await;
        assert_eq!(empty_bug["bug_id"], Value::Null);

        let (ticket, subs) = app.ticket_with_subtickets("defaults", &[("foo", "1.0")]).await;
        let (_, sub) = app.anon().get(&format!("/api/v1/subticket/{}", subs[0])).await;
        assert_eq!(sub["assignee"], "dev@example.com", "the assignee defaults to the owner");
        assert_eq!(sub["ticket"], format!("/api/v1/ticket/{ticket}/"));
        let spu = sub["source_package_upload"].as_str().expect("uri").to_string();
        let (_, upload) = app.anon().get(&spu).await;
        assert_eq!(upload["version"], "1.0");
        assert!(upload["sourcepackage"].as_str().unwrap_or("").starts_with("/api/v1/sourcepackage/"));
    }

    async fn every_detail_route_answers_with_and_without_its_trailing_slash(app) {
        let (ticket, subs) = app.ticket_with_subtickets("slashes", &[("foo", "1.0")]).await;
        app.lander().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": ticket, "reference": "https://a.example/", "type": "LOGS"})).await;
        app.lander().post("/api/v1/subticketartifact/", json!({"name": "a", "subticket": subs[0], "reference": "https://a.example/", "type": "LOGS"})).await;
        person(&app, "P", "p@example.com", "0").await;
        for path in ["ticket/1", "opentickets/1", "ticketstatus/1", "fullticket/1", "subticket/1", "spu/1", "ticketartifact/1",
            "subticketartifact/1", "sourcepackage/1", "person/1", "event/1"] {
            for suffix in ["", "/"] {
                let (status, body) = app.anon().get(&format!("/api/v1/{path}{suffix}")).await;
                assert_eq!(status, StatusCode::OK, "{path}{suffix}: {body}");
                assert_eq!(body["id"], 1);
            }
        }
        assert_eq!(app.anon().get("/api/v1/ticketstatus/1/").await.1["resource_uri"], "/api/v1/ticketstatus/1/");
        assert_eq!(app.anon().get("/api/v1/fullticket/1/").await.1["resource_uri"], "/api/v1/fullticket/1/");
        assert_eq!(app.anon().get("/api/v1/binarypackage/1/").await.0, StatusCode::NOT_FOUND);
    }

    async fn lists_page_with_limit_offset_and_working_links(app) {
        for i in 0..25 {
            app.ticket(&format!("ticket {i:02}")).await;
        }
        let first = list(&app, "/api/v1/ticket/").await;
        assert_eq!(first["meta"], json!({"limit": 20, "offset": 0, "total_count": 25, "next": "/api/v1/ticket/?limit=20&offset=20", "previous": null}));
        let next = list(&app, first["meta"]["next"].as_str().expect("next")).await;
        assert_eq!(ids(&next), (21..=25).collect::<Vec<_>>());
        assert_eq!(next["meta"]["previous"], "/api/v1/ticket/?limit=20&offset=0");
        assert_eq!(list(&app, "/api/v1/ticket/?limit=0").await["meta"]["limit"], 1000);
        assert_eq!(list(&app, "/api/v1/ticket/?limit=5000").await["meta"]["limit"], 1000);
        let filtered = list(&app, "/api/v1/ticket/?title__startswith=ticket%201&limit=3").await;
        assert_eq!(filtered["meta"]["total_count"], 10);
        assert_eq!(filtered["meta"]["next"], "/api/v1/ticket/?title__startswith=ticket+1&limit=3&offset=3");
    }

    async fn lists_order_by_allowed_fields_both_ways(app) {
        for title in ["b", "c", "a"] {
            app.ticket(title).await;
        }
        let titles = |body: Value| body["objects"].as_array().expect("objects").iter().map(|t| t["title"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>();
        assert_eq!(titles(list(&app, "/api/v1/ticket/?order_by=title").await), ["a", "b", "c"]);
        assert_eq!(titles(list(&app, "/api/v1/ticket/?order_by=-title").await), ["c", "b", "a"]);
        assert_eq!(ids(&list(&app, "/api/v1/ticket/?order_by=-id").await), [3, 2, 1]);
        assert_eq!(ids(&list(&app, "/api/v1/ticket/?order_by=-created").await), [3, 2, 1]);
    }

    async fn text_lookups_filter_as_documented(app) {
        person(&app, "My Name", "user@example.com", "False").await;
        person(&app, "Other", "team@lists.example", "True").await;
        let count = |q: &'static str| {
            let app = &app;
            async move { list(app, &format!("/api/v1/person/?{q}")).await["meta"]["total_count"].as_i64().expect("count") }
        };
        assert_eq!(count("name__exact=My%20Name").await, 1);
        assert_eq!(count("name__exact=my%20name").await, 0);
        assert_eq!(count("name__iexact=my%20name").await, 1);
        assert_eq!(count("name__startswith=My").await, 1);
        assert_eq!(count("name__startswith=my").await, 0);
        assert_eq!(count("name__istartswith=my").await, 1);
        assert_eq!(count("email__contains=lists").await, 1);
        assert_eq!(count("email__icontains=EXAMPLE").await, 2);
        assert_eq!(count("name__in=Other,My%20Name").await, 2);
        assert_eq!(count("name=Other").await, 1);
        assert_eq!(count("is_team=True").await, 1);
        assert_eq!(count("is_team=0").await, 1);
        assert_eq!(count("is_team=false").await, 1);
        assert_eq!(count("name__contains=%25").await, 0, "a % is matched literally");
    }

    async fn number_reference_and_timestamp_lookups_filter_as_documented(app) {
        let (t1, _) = app.ticket_with_subtickets("one", &[("foo", "1.0")]).await;
        let (t2, _) = app.ticket_with_subtickets("two", &[("bar", "2.0")]).await;
        app.move_ticket(t2, 300, 100).await;
        let count = |q: String| {
            let app = &app;
            async move { list(app, &q).await["meta"]["total_count"].as_i64().expect("count") }
        };
        assert_eq!(count(format!("/api/v1/subticket/?ticket={t1}")).await, 1);
        assert_eq!(count(format!("/api/v1/subticket/?ticket=/api/v1/ticket/{t2}/")).await, 1);
        assert_eq!(count(format!("/api/v1/subticket/?ticket__in={t1},{t2}")).await, 2);
        assert_eq!(count("/api/v1/subticket/?ticket__owner=dev@example.com".into()).await, 2);
        assert_eq!(count("/api/v1/spu/?sourcepackage__name=foo".into()).await, 1);
        assert_eq!(count("/api/v1/spu/?sourcepackage__name__startswith=ba".into()).await, 1);
        assert_eq!(count("/api/v1/ticket/?id__gt=1".into()).await, 1);
        assert_eq!(count("/api/v1/ticket/?id__lte=2".into()).await, 2);
        assert_eq!(count("/api/v1/ticketstatus/?current_workflow_step=300".into()).await, 1);
        assert_eq!(count("/api/v1/ticketstatus/?current_workflow_step=image-building".into()).await, 1);
        assert_eq!(count("/api/v1/ticket/?current_workflow_step__gte=100".into()).await, 1);
        assert_eq!(count("/api/v1/ticket/?bug_id__isnull=true".into()).await, 2);
        assert_eq!(count("/api/v1/ticket/?failed_step__isnull=false".into()).await, 0);
        let (_, second) = app.anon().get(&format!("/api/v1/ticket/{t2}/")).await;
        let created = second["created"].as_str().expect("created").to_string();
        let encoded: String = url::form_urlencoded::byte_serialize(created.as_bytes()).collect();
        assert_eq!(count(format!("/api/v1/ticket/?created={encoded}")).await, 1, "a copied timestamp matches exactly");
        assert_eq!(count(format!("/api/v1/ticket/?created__lt={encoded}")).await, 1);
        assert_eq!(count(format!("/api/v1/ticket/?updated__gte={encoded}")).await, 1);
    }

    async fn open_tickets_leave_out_failed_and_complete_ones(app) {
        let open = app.ticket("open").await;
        let done = app.ticket("done").await;
        let failed = app.ticket("failed").await;
        app.move_ticket(done, 1000, 1000).await;
        app.move_ticket(failed, 999, 999).await;
        let body = list(&app, "/api/v1/opentickets/").await;
        assert_eq!(ids(&body), [open]);
        assert_eq!(body["objects"][0]["resource_uri"], format!("/api/v1/opentickets/{open}/"));
        assert_eq!(app.anon().get(&format!("/api/v1/opentickets/{done}/")).await.0, StatusCode::NOT_FOUND);
        let statuses = list(&app, "/api/v1/ticketstatus/?current_workflow_step=999").await;
        assert_eq!(ids(&statuses), [failed]);
        let keys: Vec<&String> = statuses["objects"][0].as_object().expect("row").keys().collect();
        assert_eq!(keys.len(), 10, "a light row: {keys:?}");
    }

    async fn the_full_ticket_nests_uploads_artifacts_and_history(app) {
        let (ticket, subs) = app.ticket_with_subtickets("full", &[("foo", "1.2-3")]).await;
        app.dev().post("/api/v1/subticketartifact/", json!({"name": "foo.dsc", "subticket": subs[0], "reference": "https://f.example/foo.dsc", "type": "SPU"})).await;
        app.dev().post("/api/v1/ticketartifact/", json!({"name": "img", "ticket": ticket, "reference": "https://i.example/", "type": "IMAGE"})).await;
        let (_, full) = app.anon().get(&format!("/api/v1/fullticket/{ticket}/")).await;
        let sub = &full["subtickets"][0];
        assert_eq!(sub["resource_uri"], format!("/api/v1/subticket/{}/", subs[0]));
        assert_eq!(sub["source_package_upload"]["version"], "1.2-3");
        assert_eq!(sub["source_package_upload"]["sourcepackage"]["name"], "foo");
        assert_eq!(sub["artifacts"][0]["type"], "SPU");
        assert_eq!(full["artifacts"][0]["name"], "img");
        assert_eq!(full["failure"], Value::Null);
        assert_eq!(full["history"].as_array().map(Vec::len), Some(4));
        let listed = list(&app, "/api/v1/fullticket/").await;
        assert_eq!(listed["objects"][0], full);
    }

    async fn source_packages_are_unique_by_name(app) {
        let (status, first) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "my-package"})).await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, dup) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "my-package"})).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(dup["error"]["code"], "duplicate");
        assert_eq!(dup["error"]["existing"], first["resource_uri"]);
        assert_eq!(id_of(&first), 1);
        assert_eq!(list(&app, "/api/v1/sourcepackage/?name=my-package").await["meta"]["total_count"], 1);
    }
}
