//! Every resource of docs/api.md's table through HTTP (bundle, package list,
//! blobs, the event stream and the OpenAPI document aside): creation with
//! its `Location` and defaults, detail reads, the list envelope and its
//! paging links, ordering, every filter lookup by field type, relations,
//! references as ids or URIs, and the shapes of `ticketstatus/` and
//! `fullticket/`.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{RESOURCE_LISTS, Session, TestApp, id_of};

/// POST `body`; the answer must be `201` with `Location` equal to the
/// created object's `resource_uri`. The created object.
pub async fn create(session: &Session<'_>, path: &str, body: Value) -> Value {
    let response = session
        .raw(
            Method::POST,
            path,
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await;
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = response.text().await.expect("a body");
    assert_eq!(status, StatusCode::CREATED, "POST {path} {body}: {text}");
    let created: Value = serde_json::from_str(&text).expect("a JSON body");
    assert_eq!(
        location.as_deref(),
        created["resource_uri"].as_str(),
        "the Location of {created}"
    );
    created
}

/// GET a path anonymously; it must answer `200`.
pub async fn get_ok(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.anon().get(path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body
}

/// The ids of a list page's objects.
fn ids(page: &Value) -> Vec<i64> {
    page["objects"]
        .as_array()
        .unwrap_or_else(|| panic!("no objects in {page}"))
        .iter()
        .map(id_of)
        .collect()
}

/// The ids a list answers for `path`.
pub async fn list_ids(app: &TestApp, path: &str) -> Vec<i64> {
    ids(&get_ok(app, path).await)
}

/// A query-string value, percent-encoded.
fn encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The `name`s of a list page's objects.
fn names(page: &Value) -> Vec<String> {
    page["objects"]
        .as_array()
        .unwrap_or_else(|| panic!("no objects in {page}"))
        .iter()
        .map(|o| o["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The keys of a JSON object.
fn keys(object: &Value) -> BTreeSet<String> {
    object
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {object}"))
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| n.to_string()).collect()
}

/// The fields every ticket answers with.
const TICKET_FIELDS: &[&str] = &[
    "id",
    "resource_uri",
    "title",
    "description",
    "owner",
    "bug_id",
    "ppa",
    "base_image",
    "references",
    "current_workflow_step",
    "current_workflow_step_display",
    "status",
    "status_display",
    "failed_step",
    "created",
    "updated",
];

/// The fields every subticket answers with.
const SUBTICKET_FIELDS: &[&str] = &[
    "id",
    "resource_uri",
    "ticket",
    "source_package_upload",
    "assignee",
    "current_workflow_step",
    "current_workflow_step_display",
    "status",
    "status_display",
    "failed_step",
    "created",
    "updated",
];

/// An RFC 3339 timestamp in UTC.
fn assert_utc_timestamp(value: &Value) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"));
    let parsed = chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("`{text}` is not RFC 3339: {e}"));
    assert_eq!(parsed.offset().local_minus_utc(), 0, "`{text}` is not UTC");
}

/// A sort key for a field value: numbers and timestamps by value, other
/// text as text.
fn sort_key(value: &Value) -> (i128, String) {
    if let Some(n) = value.as_i64() {
        return (i128::from(n), String::new());
    }
    let text = value.as_str().unwrap_or_default();
    match chrono::DateTime::parse_from_rfc3339(text) {
        Ok(t) => (i128::from(t.timestamp_micros()), String::new()),
        Err(_) => (0, text.to_string()),
    }
}

/// `order_by=field` and `order_by=-field` sort the whole list by `field`.
async fn assert_orders_by(app: &TestApp, list: &str, field: &str) {
    for descending in [false, true] {
        let sign = if descending { "-" } else { "" };
        let page = get_ok(app, &format!("{list}?order_by={sign}{field}&limit=0")).await;
        let values: Vec<(i128, String)> = page["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .map(|o| {
                assert!(o.get(field).is_some(), "{list}: no {field} in {o}");
                sort_key(&o[field])
            })
            .collect();
        assert!(values.len() >= 2, "{list} needs rows to order: {page}");
        let mut sorted = values.clone();
        sorted.sort();
        if descending {
            sorted.reverse();
        }
        assert_eq!(values, sorted, "{list}?order_by={sign}{field}");
    }
}

/// A ticket with this owner, title and optional bug.
async fn ticket_of(app: &TestApp, owner: &str, title: &str, bug_id: Option<&str>) -> i64 {
    let mut body = json!({"owner": owner, "title": title});
    if let Some(bug) = bug_id {
        body["bug_id"] = json!(bug);
    }
    id_of(&create(&app.dev(), "/api/v1/ticket/", body).await)
}

backend_tests! {
    async fn creating_a_ticket_answers_201_with_location_and_the_defaults(app) {
        let body = create(&app.dev(), "/api/v1/ticket/", json!({"owner": "dev@example.com", "title": "Defaults"})).await;
        let id = id_of(&body);
        assert_eq!(body["resource_uri"], format!("/api/v1/ticket/{id}/"));
        assert_eq!(keys(&body), set(TICKET_FIELDS), "{body}");
        assert_eq!(body["title"], "Defaults");
        assert_eq!(body["owner"], "dev@example.com");
        assert_eq!(body["description"], "", "description defaults to the empty string");
        assert_eq!(body["bug_id"], Value::Null);
        assert_eq!(body["ppa"], Value::Null);
        assert_eq!(body["base_image"], Value::Null);
        assert_eq!(body["references"], json!([]));
        assert_eq!(body["current_workflow_step"], 0);
        assert_eq!(body["current_workflow_step_display"], "New");
        assert_eq!(body["status"], 0);
        assert_eq!(body["status_display"], "Not Started");
        assert_eq!(body["failed_step"], Value::Null);
        assert_utc_timestamp(&body["created"]);
        assert_utc_timestamp(&body["updated"]);
        // What was created is what a read answers.
        assert_eq!(get_ok(&app, &format!("/api/v1/ticket/{id}/")).await, body);
    }

    async fn a_ticket_keeps_its_optional_fields(app) {
        let body = create(&app.dev(), "/api/v1/ticket/", json!({
            "owner": "owner@example.com",
            "title": "My first ticket",
            "description": "This if my first ticket. See what it can do",
            "bug_id": "12345",
            "ppa": "ppa:team/landing-001",
            "base_image": "https://images.example/noble.img",
            "references": ["https://blueprints.example/spec", "https://docs.example/design"],
        })).await;
        assert_eq!(body["description"], "This if my first ticket. See what it can do");
        assert_eq!(body["bug_id"], "12345");
        assert_eq!(body["ppa"], "ppa:team/landing-001");
        assert_eq!(body["base_image"], "https://images.example/noble.img");
        assert_eq!(body["references"], json!(["https://blueprints.example/spec", "https://docs.example/design"]));
    }

    async fn a_bug_id_sent_as_a_number_or_a_string_is_answered_as_a_string(app) {
        for (sent, answered) in [(json!(12345), json!("12345")), (json!("678"), json!("678")), (json!(""), Value::Null)] {
            let body = create(&app.dev(), "/api/v1/ticket/", json!({"owner": "dev@example.com", "title": "bug", "bug_id": sent})).await;
            assert_eq!(body["bug_id"], answered, "bug_id {sent}");
            let read = get_ok(&app, body["resource_uri"].as_str().expect("uri")).await;
            assert_eq!(read["bug_id"], answered, "bug_id {sent} read back");
        }
    }

    async fn every_detail_route_answers_with_and_without_its_trailing_slash(app) {
        let (ticket, subs) = app.ticket_with_subtickets("slashes", &[("foo", "1.0-1")]).await;
        let (_, spu) = app.anon().get(&format!("/api/v1/subticket/{}/", subs[0])).await;
        let spu = spu["source_package_upload"].as_str().expect("upload uri").to_string();
        let (_, upload) = app.anon().get(&spu).await;
        let sourcepackage = upload["sourcepackage"].as_str().expect("sourcepackage uri").to_string();
        let artifact = create(&app.dev(), "/api/v1/ticketartifact/", json!({"name": "img", "ticket": ticket, "reference": "https://img.example/1", "type": "IMAGE"})).await;
        let sub_artifact = create(&app.dev(), "/api/v1/subticketartifact/", json!({"name": "dsc", "subticket": subs[0], "reference": "https://src.example/foo.dsc", "type": "SPU"})).await;
        let person = create(&app.admin(), "/api/v1/person/", json!({"name": "Chris Johnston", "email": "user@example.com", "is_team": "False"})).await;
        let event = get_ok(&app, &format!("/api/v1/event/?ticket={ticket}")).await["objects"][0]["resource_uri"].clone();
        let uris = [
            format!("/api/v1/ticket/{ticket}/"),
            format!("/api/v1/opentickets/{ticket}/"),
            format!("/api/v1/ticketstatus/{ticket}/"),
            format!("/api/v1/fullticket/{ticket}/"),
            format!("/api/v1/subticket/{}/", subs[0]),
            spu,
            sourcepackage,
            artifact["resource_uri"].as_str().expect("uri").to_string(),
            sub_artifact["resource_uri"].as_str().expect("uri").to_string(),
            person["resource_uri"].as_str().expect("uri").to_string(),
            event.as_str().expect("uri").to_string(),
        ];
        for uri in uris {
            let without = uri.trim_end_matches('/');
            for path in [uri.as_str(), without] {
                let response = app.anon().raw(Method::GET, path, None).await;
                assert_eq!(response.status(), StatusCode::OK, "GET {path}");
                assert_eq!(response.url().path(), path, "GET {path} is answered without a redirect");
                let body: Value = response.json().await.expect("JSON");
                assert_eq!(body["resource_uri"], uri.as_str(), "GET {path}");
            }
        }
        for list in RESOURCE_LISTS {
            for path in [format!("/api/v1/{list}/"), format!("/api/v1/{list}")] {
                let body = get_ok(&app, &path).await;
                assert!(body["meta"].is_object() && body["objects"].is_array(), "GET {path}: {body}");
            }
        }
    }

    async fn a_list_answers_the_envelope_with_twenty_objects_by_default(app) {
        for i in 0..25 {
            app.ticket(&format!("ticket {i:02}")).await;
        }
        let first = get_ok(&app, "/api/v1/ticket/").await;
        assert_eq!(first["meta"], json!({"limit": 20, "offset": 0, "total_count": 25, "next": "/api/v1/ticket/?limit=20&offset=20", "previous": null}));
        assert_eq!(ids(&first), (1..=20).collect::<Vec<i64>>(), "id ascending by default");

        let second = get_ok(&app, first["meta"]["next"].as_str().expect("next")).await;
        assert_eq!(second["meta"], json!({"limit": 20, "offset": 20, "total_count": 25, "next": null, "previous": "/api/v1/ticket/?limit=20&offset=0"}));
        assert_eq!(ids(&second), (21..=25).collect::<Vec<i64>>());

        let back = get_ok(&app, second["meta"]["previous"].as_str().expect("previous")).await;
        assert_eq!(ids(&back), ids(&first));
        assert_eq!(back["meta"]["previous"], Value::Null);

        // A link keeps the filter, encoded as a form encodes it.
        let filtered = get_ok(&app, "/api/v1/ticket/?title__startswith=ticket%201&limit=3").await;
        assert_eq!(filtered["meta"]["total_count"], 10);
        assert_eq!(filtered["meta"]["next"], "/api/v1/ticket/?title__startswith=ticket+1&limit=3&offset=3");
    }

    async fn limit_zero_means_1000_and_larger_limits_are_capped_at_1000(app) {
        for i in 0..3 {
            app.ticket(&format!("limit {i}")).await;
        }
        for (query, applied) in [("limit=0", 1000), ("limit=1000", 1000), ("limit=5000", 1000), ("limit=2", 2), ("limit=20", 20)] {
            let page = get_ok(&app, &format!("/api/v1/ticket/?{query}")).await;
            assert_eq!(page["meta"]["limit"], applied, "{query}: {page}");
        }
        let all = get_ok(&app, "/api/v1/ticket/?limit=0").await;
        assert_eq!(ids(&all), vec![1, 2, 3]);
        assert_eq!((all["meta"]["next"].clone(), all["meta"]["total_count"].clone()), (Value::Null, json!(3)));
    }

    async fn offset_pages_through_a_filtered_ordered_list_by_its_links(app) {
        let mut expected = Vec::new();
        for i in 0..7 {
            expected.push(app.ticket(&format!("page {i}")).await);
            app.ticket(&format!("other {i}")).await;
        }
        expected.reverse();
        let mut seen = Vec::new();
        let mut path = "/api/v1/ticket/?title__startswith=page&order_by=-id&limit=3".to_string();
        let mut pages = 0;
        loop {
            let page = get_ok(&app, &path).await;
            assert_eq!(page["meta"]["total_count"], 7, "{path}: {page}");
            assert_eq!(page["meta"]["limit"], 3);
            seen.extend(ids(&page));
            pages += 1;
            match page["meta"]["next"].as_str() {
                Some(next) => {
                    assert!(next.starts_with("/api/v1/ticket/?"), "{next}");
                    assert!(next.contains("title__startswith=page") && next.contains("order_by=-id"), "the next link keeps filters and order: {next}");
                    path = next.to_string();
                }
                None => break,
            }
        }
        assert_eq!(pages, 3);
        assert_eq!(seen, expected);

        let middle = get_ok(&app, "/api/v1/ticket/?title__startswith=page&order_by=-id&limit=3&offset=4").await;
        assert_eq!(ids(&middle), expected[4..7].to_vec());
        let previous = middle["meta"]["previous"].as_str().expect("previous").to_string();
        assert!(previous.contains("offset=1"), "{previous}");
        assert_eq!(list_ids(&app, &previous).await, expected[1..4].to_vec());
        let beyond = get_ok(&app, "/api/v1/ticket/?offset=100").await;
        assert_eq!((ids(&beyond), beyond["meta"]["total_count"].clone(), beyond["meta"]["next"].clone()), (vec![], json!(14), Value::Null));
    }

    async fn tickets_and_subtickets_order_by_every_allowed_field(app) {
        let banana = ticket_of(&app, "bob@example.com", "banana", None).await;
        let cherry = ticket_of(&app, "carol@example.com", "cherry", None).await;
        let apple = ticket_of(&app, "alice@example.com", "apple", None).await;
        app.move_ticket(cherry, 200, 100).await;
        app.move_ticket(apple, 100, 0).await;
        assert_eq!(list_ids(&app, "/api/v1/ticket/?order_by=title").await, vec![apple, banana, cherry]);
        assert_eq!(list_ids(&app, "/api/v1/ticket/?order_by=-title").await, vec![cherry, banana, apple]);
        assert_eq!(list_ids(&app, "/api/v1/ticket/?order_by=owner").await, vec![apple, banana, cherry]);
        assert_eq!(list_ids(&app, "/api/v1/ticket/?order_by=-current_workflow_step").await, vec![cherry, apple, banana]);
        assert_eq!(list_ids(&app, "/api/v1/ticket/?order_by=-id").await, vec![apple, cherry, banana]);
        assert_eq!(list_ids(&app, "/api/v1/ticket/?order_by=-created").await, vec![apple, cherry, banana]);
        for field in ["id", "created", "updated", "title", "owner", "current_workflow_step", "status"] {
            assert_orders_by(&app, "/api/v1/ticket/", field).await;
            assert_orders_by(&app, "/api/v1/opentickets/", field).await;
            assert_orders_by(&app, "/api/v1/fullticket/", field).await;
        }
        // A ticketstatus row carries no `created`, so only the fields it shows.
        for field in ["id", "updated", "title", "owner", "current_workflow_step", "status"] {
            assert_orders_by(&app, "/api/v1/ticketstatus/", field).await;
        }
        let by_created = list_ids(&app, "/api/v1/ticketstatus/?order_by=-created").await;
        assert_eq!(by_created, list_ids(&app, "/api/v1/ticket/?order_by=-created").await);

        let (_, subs) = app.ticket_with_subtickets("subs", &[("foo", "1.0"), ("bar", "1.0"), ("baz", "1.0")]).await;
        app.move_subticket(subs[0], 300, 100).await;
        app.move_subticket(subs[2], 200, 200).await;
        assert_eq!(list_ids(&app, "/api/v1/subticket/?order_by=-current_workflow_step").await, vec![subs[0], subs[2], subs[1]]);
        assert_eq!(list_ids(&app, "/api/v1/subticket/?order_by=status").await, vec![subs[1], subs[0], subs[2]]);
        for field in ["id", "created", "updated", "current_workflow_step", "status"] {
            assert_orders_by(&app, "/api/v1/subticket/", field).await;
        }
    }

    async fn packages_persons_artifacts_and_events_order_by_their_fields(app) {
        let (ticket, subs) = app.ticket_with_subtickets("order", &[("mango", "1.0"), ("kiwi", "2.0"), ("lime", "3.0")]).await;
        assert_eq!(names(&get_ok(&app, "/api/v1/sourcepackage/?order_by=name").await), ["kiwi", "lime", "mango"]);
        assert_eq!(names(&get_ok(&app, "/api/v1/sourcepackage/?order_by=-name").await), ["mango", "lime", "kiwi"]);
        for (name, email) in [("zed", "zed@example.com"), ("amy", "amy@example.com"), ("max", "max@example.com")] {
            create(&app.admin(), "/api/v1/person/", json!({"name": name, "email": email})).await;
        }
        assert_eq!(names(&get_ok(&app, "/api/v1/person/?order_by=name").await), ["amy", "max", "zed"]);
        for (i, sub) in subs.iter().enumerate() {
            create(&app.dev(), "/api/v1/ticketartifact/", json!({"name": format!("img{i}"), "ticket": ticket, "reference": "https://img.example/1", "type": "IMAGE"})).await;
            create(&app.dev(), "/api/v1/subticketartifact/", json!({"name": format!("log{i}"), "subticket": sub, "reference": "https://logs.example/1", "type": "LOGS"})).await;
        }
        for (list, fields) in [
            ("/api/v1/sourcepackage/", &["id", "created", "name"][..]),
            ("/api/v1/spu/", &["id", "created"][..]),
            ("/api/v1/person/", &["id", "created", "name"][..]),
            ("/api/v1/ticketartifact/", &["id", "created"][..]),
            ("/api/v1/subticketartifact/", &["id", "created"][..]),
            ("/api/v1/event/", &["id", "created"][..]),
        ] {
            for field in fields {
                assert_orders_by(&app, list, field).await;
            }
        }
        // binarypackage is empty here, but its order fields are accepted.
        for order in ["id", "-created", "name", "-name"] {
            get_ok(&app, &format!("/api/v1/binarypackage/?order_by={order}")).await;
        }
    }

    async fn text_filters_take_every_text_lookup(app) {
        let a = ticket_of(&app, "dev@example.com", "Alpha build", Some("1")).await;
        let b = ticket_of(&app, "dev@example.com", "alpha test", None).await;
        let c = ticket_of(&app, "Lead@Example.com", "Beta build", Some("2")).await;
        let cases: Vec<(String, Vec<i64>)> = vec![
            (format!("title={}", encode("Alpha build")), vec![a]),
            (format!("title__exact={}", encode("Alpha build")), vec![a]),
            (format!("title__exact={}", encode("alpha build")), vec![]),
            (format!("title__iexact={}", encode("ALPHA BUILD")), vec![a]),
            ("title__startswith=alpha".into(), vec![b]),
            ("title__startswith=Alpha".into(), vec![a]),
            ("title__istartswith=ALPHA".into(), vec![a, b]),
            ("title__contains=build".into(), vec![a, c]),
            ("title__contains=Build".into(), vec![]),
            ("title__icontains=BUILD".into(), vec![a, c]),
            (format!("title__in={}", encode("Alpha build,Beta build")), vec![a, c]),
            ("bug_id=2".into(), vec![c]),
            ("bug_id__in=1,2".into(), vec![a, c]),
            ("bug_id__isnull=true".into(), vec![b]),
            ("bug_id__isnull=False".into(), vec![a, c]),
            ("owner=dev@example.com".into(), vec![a, b]),
            ("owner__iexact=lead@example.com".into(), vec![c]),
            ("owner__istartswith=LEAD".into(), vec![c]),
            (format!("owner__in={}", encode("dev@example.com,nobody@example.com")), vec![a, b]),
            ("title__startswith=alpha&owner=dev@example.com".into(), vec![b]),
        ];
        for (query, expected) in cases {
            assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?{query}")).await, expected, "ticket/?{query}");
        }
    }

    async fn text_lookups_take_percent_and_underscore_literally(app) {
        let percent = app.ticket("100% done").await;
        let underscore = app.ticket("snake_case").await;
        app.ticket("snakescase 1000 done").await;
        assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?title__contains={}", encode("%"))).await, vec![percent]);
        assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?title__icontains={}", encode("E_C"))).await, vec![underscore]);
        assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?title__startswith={}", encode("100%"))).await, vec![percent]);
    }

    async fn person_filters_take_the_seeds_lookups_and_booleans(app) {
        let chris = create(&app.admin(), "/api/v1/person/", json!({"name": "My Name", "email": "user@example.com", "is_team": "False"})).await;
        let team = create(&app.admin(), "/api/v1/person/", json!({"name": "Canonical CI Engineering", "email": "team@lists.example", "is_team": "True"})).await;
        let (chris, team) = (id_of(&chris), id_of(&team));
        let cases = [
            ("name=My%20Name", vec![chris]),
            ("name__exact=My%20Name", vec![chris]),
            ("name__exact=my%20name", vec![]),
            ("name__iexact=my%20name", vec![chris]),
            ("name__in=Canonical%20CI%20Engineering,My%20Name", vec![chris, team]),
            ("name__contains=%25", vec![]),
            ("name__startswith=My", vec![chris]),
            ("name__startswith=my", vec![]),
            ("name__istartswith=my", vec![chris]),
            ("name__contains=CI", vec![team]),
            ("name__icontains=ci%20eng", vec![team]),
            ("email__exact=user@example.com", vec![chris]),
            ("email__iexact=User@example.com", vec![chris]),
            ("email__startswith=user", vec![chris]),
            ("email__istartswith=User", vec![chris]),
            ("email__contains=lists", vec![team]),
            ("email__icontains=EXAMPLE", vec![chris, team]),
            ("email__in=user@example.com,team@lists.example", vec![chris, team]),
            ("email__isnull=false", vec![chris, team]),
            ("is_team=True", vec![team]),
            ("is_team=False", vec![chris]),
            ("is_team=true", vec![team]),
            ("is_team=false", vec![chris]),
            ("is_team=1", vec![team]),
            ("is_team=0", vec![chris]),
            ("is_team__exact=1", vec![team]),
        ];
        for (query, expected) in cases {
            assert_eq!(list_ids(&app, &format!("/api/v1/person/?{query}")).await, expected, "person/?{query}");
        }
    }

    async fn number_step_and_status_filters_take_comparisons(app) {
        let t1 = app.ticket("one").await;
        let t2 = app.ticket("two").await;
        let t3 = app.ticket("three").await;
        app.move_ticket(t2, 200, 100).await;
        app.move_ticket(t3, 300, 100).await;
        app.move_ticket(t3, 300, 999).await;
        let cases = [
            (format!("id={t2}"), vec![t2]),
            (format!("id__exact={t2}"), vec![t2]),
            (format!("id__gt={t1}"), vec![t2, t3]),
            (format!("id__gte={t2}"), vec![t2, t3]),
            (format!("id__lt={t2}"), vec![t1]),
            (format!("id__lte={t2}"), vec![t1, t2]),
            (format!("id__in={t1},{t3}"), vec![t1, t3]),
            ("id__isnull=false".into(), vec![t1, t2, t3]),
            ("current_workflow_step=200".into(), vec![t2]),
            ("current_workflow_step__gt=0".into(), vec![t2, t3]),
            ("current_workflow_step__gte=200".into(), vec![t2, t3]),
            ("current_workflow_step__lt=999".into(), vec![t1, t2]),
            ("current_workflow_step__lte=200".into(), vec![t1, t2]),
            ("current_workflow_step__in=0,999".into(), vec![t1, t3]),
            ("status=100".into(), vec![t2]),
            ("status=000".into(), vec![t1]),
            ("status__gte=100".into(), vec![t2, t3]),
            ("status__in=0,999".into(), vec![t1, t3]),
            ("failed_step__isnull=false".into(), vec![t3]),
            ("failed_step=300".into(), vec![t3]),
            ("failed_step__isnull=True".into(), vec![t1, t2]),
        ];
        for (query, expected) in cases {
            assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?{query}")).await, expected, "ticket/?{query}");
        }
    }

    async fn steps_and_statuses_filter_by_code_and_by_name(app) {
        let new = app.ticket("new").await;
        let queued = app.ticket("queued").await;
        let building = app.ticket("building").await;
        let imaging = app.ticket("imaging").await;
        let failed = app.ticket("failed").await;
        let done = app.ticket("done").await;
        app.move_ticket(queued, 100, 0).await;
        app.move_ticket(building, 200, 100).await;
        app.move_ticket(imaging, 300, 0).await;
        app.move_ticket(failed, 999, 999).await;
        app.move_ticket(done, 1000, 1000).await;
        let cases = [
            ("current_workflow_step=0", vec![new]),
            ("current_workflow_step=100", vec![queued]),
            ("current_workflow_step=Queued", vec![queued]),
            ("current_workflow_step=200", vec![building]),
            ("current_workflow_step=Package%20Building", vec![building]),
            ("current_workflow_step=300", vec![imaging]),
            ("current_workflow_step=Image%20Building", vec![imaging]),
            ("current_workflow_step=image-building", vec![imaging]),
            ("current_workflow_step=400", vec![]),
            ("current_workflow_step=500", vec![]),
            ("current_workflow_step=999", vec![failed]),
            ("current_workflow_step=Failed", vec![failed]),
            ("current_workflow_step=1000", vec![done]),
            ("current_workflow_step=Complete", vec![done]),
            ("status=In%20Progress", vec![building]),
            ("status=Not%20Started", vec![new, queued, imaging]),
            ("status=1000", vec![done]),
        ];
        for (query, expected) in cases {
            assert_eq!(list_ids(&app, &format!("/api/v1/ticketstatus/?{query}")).await, expected, "ticketstatus/?{query}");
            assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?{query}")).await, expected, "ticket/?{query}");
        }
    }

    async fn timestamp_filters_take_a_value_copied_from_a_response(app) {
        let first = get_ok(&app, &format!("/api/v1/ticket/{}/", app.ticket("first").await)).await;
        let second = get_ok(&app, &format!("/api/v1/ticket/{}/", app.ticket("second").await)).await;
        let third = get_ok(&app, &format!("/api/v1/ticket/{}/", app.ticket("third").await)).await;
        let (t1, t2, t3) = (id_of(&first), id_of(&second), id_of(&third));
        let created = second["created"].as_str().expect("created").to_string();
        let cases = [
            ("created", vec![t2]),
            ("created__exact", vec![t2]),
            ("created__gt", vec![t3]),
            ("created__gte", vec![t2, t3]),
            ("created__lt", vec![t1]),
            ("created__lte", vec![t1, t2]),
        ];
        for (filter, expected) in cases {
            let query = format!("{filter}={}", encode(&created));
            assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?{query}")).await, expected, "ticket/?{query}");
        }
        // Unencoded, as a user pastes it into a URL.
        assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?created__gt={created}")).await, vec![t3]);
        // `updated` moves with a status change.
        app.move_ticket(t1, 100, 0).await;
        let moved = get_ok(&app, &format!("/api/v1/ticket/{t1}/")).await;
        let updated = moved["updated"].as_str().expect("updated");
        assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?updated__gte={}", encode(updated))).await, vec![t1]);
        assert_eq!(list_ids(&app, &format!("/api/v1/ticket/?updated__lt={}", encode(updated))).await, vec![t2, t3]);
        // Every other resource's `created` filters too.
        let event = get_ok(&app, &format!("/api/v1/event/?ticket={t3}")).await["objects"][0].clone();
        let at = encode(event["created"].as_str().expect("created"));
        assert_eq!(list_ids(&app, &format!("/api/v1/event/?created__gte={at}&ticket__in={t1},{t2},{t3}")).await.first(), Some(&id_of(&event)));
    }

    async fn references_filter_by_id_or_resource_uri(app) {
        let (ticket_a, subs_a) = app.ticket_with_subtickets("a", &[("foo", "1.0"), ("bar", "1.0")]).await;
        let (ticket_b, subs_b) = app.ticket_with_subtickets("b", &[("foo", "2.0")]).await;
        let uri_a = format!("/api/v1/ticket/{ticket_a}/");
        let cases = [
            (format!("ticket={ticket_a}"), subs_a.clone()),
            (format!("ticket={}", encode(&uri_a)), subs_a.clone()),
            (format!("ticket={uri_a}"), subs_a.clone()),
            (format!("ticket__exact={ticket_b}"), subs_b.clone()),
            (format!("ticket__in={ticket_b},{}", encode(&uri_a)), vec![subs_a[0], subs_a[1], subs_b[0]]),
            (format!("ticket__gt={ticket_a}"), subs_b.clone()),
            (format!("ticket__gte={ticket_a}"), vec![subs_a[0], subs_a[1], subs_b[0]]),
            (format!("ticket__lt={ticket_b}"), subs_a.clone()),
            (format!("ticket__lte={ticket_a}"), subs_a.clone()),
            ("ticket__isnull=false".into(), vec![subs_a[0], subs_a[1], subs_b[0]]),
            ("ticket__isnull=true".into(), vec![]),
            ("assignee=dev@example.com".into(), vec![subs_a[0], subs_a[1], subs_b[0]]),
        ];
        for (query, expected) in cases {
            assert_eq!(list_ids(&app, &format!("/api/v1/subticket/?{query}")).await, expected, "subticket/?{query}");
        }
        // The upload reference, by URI.
        let (_, sub) = app.anon().get(&format!("/api/v1/subticket/{}/", subs_b[0])).await;
        let spu = sub["source_package_upload"].as_str().expect("uri");
        assert_eq!(list_ids(&app, &format!("/api/v1/subticket/?source_package_upload={spu}")).await, subs_b);
    }

    async fn relations_are_followed_one_step(app) {
        let (ticket_a, subs_a) = app.ticket_with_subtickets("a", &[("foo", "1.0"), ("bar", "1.0")]).await;
        let ticket_b = ticket_of(&app, "lead@example.com", "b", None).await;
        let spu = app.upload("foo", "2.0").await;
        let sub_b = id_of(&create(&app.dev(), "/api/v1/subticket/", json!({"ticket": ticket_b, "source_package_upload": spu})).await);
        let foo_uploads = list_ids(&app, "/api/v1/spu/?sourcepackage__name=foo").await;
        assert_eq!(foo_uploads.len(), 2, "spu/?sourcepackage__name=foo");
        assert!(foo_uploads.contains(&spu));
        assert_eq!(list_ids(&app, "/api/v1/spu/?sourcepackage__name__startswith=ba").await.len(), 1);
        assert_eq!(list_ids(&app, "/api/v1/spu/?sourcepackage__name__in=foo,bar").await.len(), 3);
        assert_eq!(list_ids(&app, "/api/v1/spu/?sourcepackage__name=nothing").await, Vec::<i64>::new());
        assert_eq!(list_ids(&app, "/api/v1/subticket/?ticket__owner=lead@example.com").await, vec![sub_b]);
        assert_eq!(list_ids(&app, "/api/v1/subticket/?ticket__owner__iexact=DEV@example.com").await, subs_a);
        assert_eq!(list_ids(&app, "/api/v1/subticket/?ticket__title=a").await, subs_a);
        assert_eq!(list_ids(&app, &format!("/api/v1/subticket/?ticket__id__lt={ticket_b}")).await, subs_a);
        assert_eq!(list_ids(&app, "/api/v1/subticket/?source_package_upload__version=2.0").await, vec![sub_b]);
        app.move_ticket(ticket_a, 200, 100).await;
        assert_eq!(list_ids(&app, "/api/v1/subticket/?ticket__current_workflow_step=200").await, subs_a);
        assert_eq!(list_ids(&app, "/api/v1/event/?ticket__owner=lead@example.com&subticket__isnull=true").await.len(), 1);
    }

    async fn opentickets_leave_out_failed_and_complete_tickets(app) {
        let new = app.ticket("new").await;
        let building = app.ticket("building").await;
        let failed = app.ticket("failed").await;
        let done = app.ticket("done").await;
        app.move_ticket(building, 200, 100).await;
        app.move_ticket(failed, 999, 999).await;
        app.move_ticket(done, 1000, 1000).await;
        let page = get_ok(&app, "/api/v1/opentickets/").await;
        assert_eq!(ids(&page), vec![new, building]);
        assert_eq!(page["meta"]["total_count"], 2);
        for object in page["objects"].as_array().expect("objects") {
            assert_eq!(keys(object), set(TICKET_FIELDS), "same fields as ticket/");
            assert_eq!(object["resource_uri"], format!("/api/v1/opentickets/{}/", id_of(object)));
        }
        assert_eq!(list_ids(&app, "/api/v1/opentickets/?current_workflow_step__gte=200").await, vec![building]);
        assert_eq!(list_ids(&app, "/api/v1/opentickets/?current_workflow_step=999").await, Vec::<i64>::new());
        assert_eq!(get_ok(&app, &format!("/api/v1/opentickets/{building}/")).await["title"], "building");
        for closed in [failed, done] {
            let (status, body) = app.anon().get(&format!("/api/v1/opentickets/{closed}/")).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
            assert_eq!(body["error"]["code"], "not_found");
            assert_eq!(app.anon().get(&format!("/api/v1/opentickets/{closed}")).await.0, StatusCode::NOT_FOUND);
        }
    }

    async fn ticketstatus_rows_are_light_and_name_their_own_route(app) {
        let id = app.ticket("light").await;
        app.move_ticket(id, 300, 100).await;
        let row = get_ok(&app, &format!("/api/v1/ticketstatus/{id}/")).await;
        assert_eq!(keys(&row), set(&["id", "resource_uri", "title", "owner", "current_workflow_step", "current_workflow_step_display", "status", "status_display", "failed_step", "updated"]), "{row}");
        assert_eq!(row["resource_uri"], format!("/api/v1/ticketstatus/{id}/"));
        assert_eq!(row["title"], "light");
        assert_eq!(row["owner"], "dev@example.com");
        assert_eq!(row["current_workflow_step"], 300);
        assert_eq!(row["current_workflow_step_display"], "Image Building");
        assert_eq!(row["status"], 100);
        assert_eq!(row["status_display"], "In Progress");
        let ticket = get_ok(&app, &format!("/api/v1/ticket/{id}/")).await;
        assert_eq!(row["updated"], ticket["updated"]);
        let page = get_ok(&app, "/api/v1/ticketstatus/").await;
        assert_eq!(page["objects"], json!([row]));
        assert_eq!(page["meta"]["total_count"], 1);
        let (status, _) = app.anon().get("/api/v1/ticketstatus/99/").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn fullticket_nests_uploads_artifacts_failure_and_history(app) {
        let (ticket, subs) = app.ticket_with_subtickets("full", &[("foo", "1.2-3")]).await;
        let ticket_artifact = create(&app.dev(), "/api/v1/ticketartifact/", json!({"name": "image", "ticket": format!("/api/v1/ticket/{ticket}/"), "reference": "https://img.example/noble.img", "type": "IMAGE"})).await;
        let sub_artifact = create(&app.dev(), "/api/v1/subticketartifact/", json!({"name": "foo_1.2-3.dsc", "subticket": format!("/api/v1/subticket/{}/", subs[0]), "reference": "https://src.example/foo_1.2-3.dsc", "type": "SPU"})).await;
        let full = get_ok(&app, &format!("/api/v1/fullticket/{ticket}/")).await;
        assert_eq!(full["resource_uri"], format!("/api/v1/fullticket/{ticket}/"));
        let mut expected_keys = set(TICKET_FIELDS);
        expected_keys.extend(set(&["subtickets", "artifacts", "failure", "history", "in_step_since", "queue_position", "eta"]));
        assert_eq!(keys(&full), expected_keys, "{full}");
        let plain = get_ok(&app, &format!("/api/v1/ticket/{ticket}/")).await;
        for field in TICKET_FIELDS.iter().filter(|f| **f != "resource_uri") {
            assert_eq!(full[field], plain[field], "fullticket.{field} is ticket/'s");
        }

        let subticket = get_ok(&app, &format!("/api/v1/subticket/{}/", subs[0])).await;
        let nested = &full["subtickets"][0];
        assert_eq!(full["subtickets"].as_array().map(Vec::len), Some(1));
        assert_eq!(nested["resource_uri"], format!("/api/v1/subticket/{}/", subs[0]));
        for field in SUBTICKET_FIELDS.iter().filter(|f| **f != "source_package_upload") {
            assert_eq!(nested[field], subticket[field], "subtickets[0].{field} is subticket/'s");
        }
        let upload = &nested["source_package_upload"];
        assert_eq!(upload["resource_uri"], subticket["source_package_upload"]);
        assert_eq!(upload["version"], "1.2-3");
        let sp = &upload["sourcepackage"];
        let sourcepackage = get_ok(&app, "/api/v1/sourcepackage/?name=foo").await["objects"][0].clone();
        assert_eq!(sp["id"], sourcepackage["id"]);
        assert_eq!(sp["resource_uri"], sourcepackage["resource_uri"]);
        assert_eq!(sp["name"], "foo");
        assert_eq!(upload["id"], get_ok(&app, upload["resource_uri"].as_str().expect("uri")).await["id"]);
        assert_eq!(nested["artifacts"], json!([sub_artifact]));
        assert_eq!(full["artifacts"], json!([ticket_artifact]));
        assert_eq!(full["failure"], Value::Null);

        let events = get_ok(&app, &format!("/api/v1/event/?ticket={ticket}")).await["objects"].clone();
        assert_eq!(full["history"], events, "history is the ticket's events, oldest first");
        let kinds: Vec<&str> = events.as_array().expect("events").iter().filter_map(|e| e["kind"].as_str()).collect();
        assert_eq!(kinds, ["created", "created", "artifact", "artifact"]);

        let list = get_ok(&app, "/api/v1/fullticket/").await;
        assert_eq!(list["meta"]["total_count"], 1);
        assert_eq!(list["objects"], json!([full]));
        let (status, _) = app.anon().get("/api/v1/fullticket/99/").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }

    async fn a_subticket_is_created_against_refs_given_as_ids_or_uris(app) {
        let ticket = ticket_of(&app, "owner@example.com", "subs", None).await;
        let spu = app.upload("foo", "1.0-1").await;
        let spu_uri = format!("/api/v1/spu/{spu}/");
        let defaulted = create(&app.dev(), "/api/v1/subticket/", json!({"ticket": ticket, "source_package_upload": spu})).await;
        assert_eq!(keys(&defaulted), set(SUBTICKET_FIELDS), "{defaulted}");
        assert_eq!(defaulted["resource_uri"], format!("/api/v1/subticket/{}/", id_of(&defaulted)));
        assert_eq!(defaulted["assignee"], "owner@example.com", "the assignee defaults to the ticket's owner");
        assert_eq!(defaulted["ticket"], format!("/api/v1/ticket/{ticket}/"));
        assert_eq!(defaulted["source_package_upload"], spu_uri);
        assert_eq!((defaulted["current_workflow_step"].clone(), defaulted["status"].clone()), (json!(0), json!(0)));
        assert_eq!(defaulted["current_workflow_step_display"], "New");
        assert_eq!(defaulted["failed_step"], Value::Null);
        assert_utc_timestamp(&defaulted["created"]);
        assert_utc_timestamp(&defaulted["updated"]);
        for (ticket_ref, spu_ref) in [
            (json!(format!("/api/v1/ticket/{ticket}/")), json!(spu_uri)),
            (json!(ticket.to_string()), json!(spu.to_string())),
            (json!(format!("/api/v1/ticket/{ticket}")), json!(spu)),
        ] {
            let sub = create(&app.dev(), "/api/v1/subticket/", json!({"ticket": ticket_ref, "source_package_upload": spu_ref, "assignee": "test@example.com"})).await;
            assert_eq!(sub["ticket"], format!("/api/v1/ticket/{ticket}/"), "{ticket_ref}");
            assert_eq!(sub["source_package_upload"], spu_uri, "{spu_ref}");
            assert_eq!(sub["assignee"], "test@example.com");
        }
        let page = get_ok(&app, "/api/v1/subticket/").await;
        assert_eq!(page["meta"]["total_count"], 4);
        assert_eq!(page["objects"][0], defaulted);
        assert_eq!(get_ok(&app, &format!("/api/v1/subticket/{}", id_of(&defaulted))).await, defaulted);
    }

    async fn source_packages_and_uploads_are_created_and_listed(app) {
        let sp = create(&app.dev(), "/api/v1/sourcepackage/", json!({"name": "my-package"})).await;
        let sp_id = id_of(&sp);
        assert_eq!(keys(&sp), set(&["id", "resource_uri", "name", "created"]), "{sp}");
        assert_eq!(sp["resource_uri"], format!("/api/v1/sourcepackage/{sp_id}/"));
        assert_eq!(sp["name"], "my-package");
        assert_utc_timestamp(&sp["created"]);
        let other = create(&app.dev(), "/api/v1/sourcepackage/", json!({"name": "libfoo2.0+dfsg"})).await;
        for (sent, version) in [(json!(format!("/api/v1/sourcepackage/{sp_id}/")), "1.0"), (json!(sp_id), "1:2.3~rc1-0ubuntu1"), (json!(sp_id.to_string()), "2.0+dfsg-1")] {
            let spu = create(&app.dev(), "/api/v1/spu/", json!({"sourcepackage": sent, "version": version})).await;
            assert_eq!(keys(&spu), set(&["id", "resource_uri", "sourcepackage", "version", "created"]), "{spu}");
            assert_eq!(spu["resource_uri"], format!("/api/v1/spu/{}/", id_of(&spu)));
            assert_eq!(spu["sourcepackage"], sp["resource_uri"], "{sent}");
            assert_eq!(spu["version"], version);
            assert_eq!(get_ok(&app, &format!("/api/v1/spu/{}", id_of(&spu))).await, spu);
        }
        assert_eq!(get_ok(&app, &format!("/api/v1/sourcepackage/{sp_id}")).await, sp);
        let page = get_ok(&app, "/api/v1/sourcepackage/").await;
        assert_eq!(page["objects"], json!([sp, other]));
        assert_eq!(list_ids(&app, "/api/v1/sourcepackage/?name__startswith=lib").await, vec![id_of(&other)]);
        assert_eq!(list_ids(&app, "/api/v1/sourcepackage/?name__icontains=DFSG").await, vec![id_of(&other)]);
        assert_eq!(get_ok(&app, "/api/v1/spu/").await["meta"]["total_count"], 3);
        assert_eq!(list_ids(&app, &format!("/api/v1/spu/?sourcepackage={sp_id}&version__startswith=1")).await.len(), 2);
        assert_eq!(list_ids(&app, &format!("/api/v1/spu/?sourcepackage=/api/v1/sourcepackage/{sp_id}/&version__contains=dfsg")).await.len(), 1);
        assert_eq!(list_ids(&app, &format!("/api/v1/spu/?sourcepackage__in={}", id_of(&other))).await, Vec::<i64>::new());
    }

    async fn artifacts_are_created_on_tickets_and_subtickets(app) {
        let (ticket, subs) = app.ticket_with_subtickets("artifacts", &[("foo", "1.0")]).await;
        let mut ticket_artifacts = Vec::new();
        for kind in ["RESULTS", "LOGS", "IMAGE"] {
            let artifact = create(&app.dev(), "/api/v1/ticketartifact/", json!({"name": format!("{kind}-file"), "ticket": ticket, "reference": format!("https://ci.example/{kind}"), "type": kind})).await;
            assert_eq!(keys(&artifact), set(&["id", "resource_uri", "name", "ticket", "reference", "type", "created"]), "{artifact}");
            assert_eq!(artifact["resource_uri"], format!("/api/v1/ticketartifact/{}/", id_of(&artifact)));
            assert_eq!(artifact["ticket"], format!("/api/v1/ticket/{ticket}/"));
            assert_eq!(artifact["type"], kind);
            assert_eq!(artifact["reference"], format!("https://ci.example/{kind}"));
            ticket_artifacts.push(artifact);
        }
        let mut sub_artifacts = Vec::new();
        for kind in ["SPU", "RESULTS", "LOGS"] {
            let artifact = create(&app.dev(), "/api/v1/subticketartifact/", json!({"name": format!("{kind}-file"), "subticket": format!("/api/v1/subticket/{}/", subs[0]), "reference": "http://path.to/artifact/", "type": kind})).await;
            assert_eq!(keys(&artifact), set(&["id", "resource_uri", "name", "subticket", "reference", "type", "created"]), "{artifact}");
            assert_eq!(artifact["resource_uri"], format!("/api/v1/subticketartifact/{}/", id_of(&artifact)));
            assert_eq!(artifact["subticket"], format!("/api/v1/subticket/{}/", subs[0]));
            assert_eq!(artifact["type"], kind);
            sub_artifacts.push(artifact);
        }
        assert_eq!(get_ok(&app, "/api/v1/ticketartifact/").await["objects"], json!(ticket_artifacts));
        assert_eq!(get_ok(&app, "/api/v1/subticketartifact/").await["objects"], json!(sub_artifacts));
        assert_eq!(get_ok(&app, &format!("/api/v1/ticketartifact/{}", id_of(&ticket_artifacts[2]))).await, ticket_artifacts[2]);
        assert_eq!(list_ids(&app, "/api/v1/ticketartifact/?type=LOGS").await, vec![id_of(&ticket_artifacts[1])]);
        assert_eq!(list_ids(&app, "/api/v1/ticketartifact/?type__in=LOGS,IMAGE").await.len(), 2);
        assert_eq!(list_ids(&app, &format!("/api/v1/ticketartifact/?ticket=/api/v1/ticket/{ticket}/&name__istartswith=results")).await, vec![id_of(&ticket_artifacts[0])]);
        assert_eq!(list_ids(&app, &format!("/api/v1/subticketartifact/?subticket={}&type=SPU", subs[0])).await, vec![id_of(&sub_artifacts[0])]);
    }

    async fn persons_are_created_by_admins_and_the_seeds_string_booleans_count(app) {
        let chris = create(&app.admin(), "/api/v1/person/", json!({"name": "Chris Johnston", "email": "user@example.com", "is_team": "False"})).await;
        assert_eq!(keys(&chris), set(&["id", "resource_uri", "name", "email", "is_team", "created"]), "{chris}");
        assert_eq!(chris["resource_uri"], format!("/api/v1/person/{}/", id_of(&chris)));
        assert_eq!(chris["name"], "Chris Johnston");
        assert_eq!(chris["email"], "user@example.com");
        assert_eq!(chris["is_team"], false, "the seed's \"False\" means false");
        let team = create(&app.admin(), "/api/v1/person/", json!({"name": "Canonical CI Engineering", "email": "team@lists.example", "is_team": "True"})).await;
        assert_eq!(team["is_team"], true);
        for (sent, meant) in [(json!(true), true), (json!(false), false), (json!("1"), true), (json!("0"), false), (json!("true"), true), (json!(1), true), (json!(0), false)] {
            let person = create(&app.admin(), "/api/v1/person/", json!({"name": "p", "email": "p@example.com", "is_team": sent})).await;
            assert_eq!(person["is_team"], meant, "is_team {sent}");
        }
        let omitted = create(&app.admin(), "/api/v1/person/", json!({"name": "q", "email": "q@example.com"})).await;
        assert_eq!(omitted["is_team"], false);
        assert_eq!(get_ok(&app, &format!("/api/v1/person/{}", id_of(&team))).await, team);
        assert_eq!(get_ok(&app, "/api/v1/person/").await["meta"]["total_count"], 10);
    }

    async fn events_list_the_history_with_their_filters(app) {
        let (ticket, subs) = app.ticket_with_subtickets("events", &[("foo", "1.0")]).await;
        let other = app.ticket("other").await;
        app.move_ticket(ticket, 100, 0).await;
        let page = get_ok(&app, "/api/v1/event/").await;
        let events = page["objects"].as_array().expect("events").clone();
        assert_eq!(page["meta"]["total_count"], 5, "{page}");
        let first = &events[0];
        assert_eq!(keys(first), set(&["id", "resource_uri", "ticket", "subticket", "kind", "from_step", "from_status", "to_step", "to_status", "message", "actor", "created"]), "{first}");
        assert_eq!(first["resource_uri"], format!("/api/v1/event/{}/", id_of(first)));
        assert_eq!(first["ticket"], format!("/api/v1/ticket/{ticket}/"));
        assert_eq!(first["subticket"], Value::Null);
        assert_eq!(first["kind"], "created");
        assert_eq!(first["actor"], "test-developer");
        assert_eq!(get_ok(&app, &format!("/api/v1/event/{}", id_of(first))).await, *first);
        let ids_all: Vec<i64> = events.iter().map(id_of).collect();
        assert!(ids_all.windows(2).all(|w| w[0] < w[1]), "{ids_all:?}");

        let sub_uri = format!("/api/v1/subticket/{}/", subs[0]);
        let ticket_events = list_ids(&app, &format!("/api/v1/event/?ticket={ticket}")).await;
        assert_eq!(ticket_events.len(), 4);
        assert_eq!(list_ids(&app, &format!("/api/v1/event/?ticket=/api/v1/ticket/{other}/")).await.len(), 1);
        assert_eq!(list_ids(&app, &format!("/api/v1/event/?subticket={sub_uri}")).await.len(), 2);
        assert_eq!(list_ids(&app, &format!("/api/v1/event/?subticket={}", subs[0])).await.len(), 2);
        assert_eq!(list_ids(&app, "/api/v1/event/?kind=status").await.len(), 2);
        assert_eq!(list_ids(&app, "/api/v1/event/?kind__in=created,artifact").await.len(), 3);
        assert_eq!(list_ids(&app, "/api/v1/event/?subticket__isnull=true").await.len(), 3);
        assert_eq!(list_ids(&app, &format!("/api/v1/event/?id__gt={}", ids_all[2])).await, ids_all[3..].to_vec());
        assert_eq!(list_ids(&app, &format!("/api/v1/event/?id={}", ids_all[1])).await, vec![ids_all[1]]);
    }

    async fn whoami_names_the_token_and_its_role(app) {
        for path in ["/api/v1/whoami/", "/api/v1/whoami"] {
            assert_eq!(get_ok(&app, path).await, json!({"name": null, "role": "anonymous", "owner": null}));
        }
        for (session, name, role) in [(app.dev(), "test-developer", "developer"), (app.lander(), "test-lander", "lander"), (app.admin(), "test-admin", "admin")] {
            let (status, body) = session.get("/api/v1/whoami/").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, json!({"name": name, "role": role, "owner": null}));
        }
    }

    async fn binarypackage_is_an_empty_read_only_list_with_its_filters(app) {
        let page = get_ok(&app, "/api/v1/binarypackage/").await;
        assert_eq!(page, json!({"meta": {"limit": 20, "offset": 0, "total_count": 0, "next": null, "previous": null}, "objects": []}));
        let (status, body) = app.anon().get("/api/v1/binarypackage/1/").await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
        for query in ["name=libfoo1", "name__startswith=lib", "name__icontains=FOO", "version=1.2-3", "version__in=1.0,2.0", "seeded=True", "seeded=0", "sourcepackage=1", "sourcepackage=/api/v1/sourcepackage/1/", "sourcepackage__name=foo", "created__gt=2020-01-01T00:00:00Z", "id__gte=1"] {
            let page = get_ok(&app, &format!("/api/v1/binarypackage/?{query}")).await;
            assert_eq!(page["meta"]["total_count"], 0, "binarypackage/?{query}");
        }
        for query in ["seeded__gt=1", "seeded=maybe", "name__gt=a", "colour=red", "sourcepackage=/api/v1/ticket/1/", "created__contains=2020", "order_by=version"] {
            let (status, body) = app.anon().get(&format!("/api/v1/binarypackage/?{query}")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "binarypackage/?{query}: {body}");
            assert_eq!(body["error"]["code"], "invalid_filter", "binarypackage/?{query}");
        }
        let (status, _) = app.admin().post("/api/v1/binarypackage/", json!({"name": "libfoo1"})).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "binarypackage/ is read-only");
    }
}
