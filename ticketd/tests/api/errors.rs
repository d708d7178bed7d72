//! Every error status of docs/api.md with its body
//! `{"error": {"code", "message", "fields"?, "existing"?}}`: malformed and
//! invalid bodies, unknown and read-only fields, bad filters and paging,
//! bad references, authentication and roles, unknown paths and methods,
//! duplicates, oversized bodies and wrong content types; and a failed
//! request changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use ticketd::server::HttpOptions;

use crate::helpers::{Backend, Options, RESOURCE_LISTS, Session, TestApp};

/// Check an error answer: its status, its `code`, a non-empty message, and
/// only the keys docs/api.md allows. The `error` object.
fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str) -> Value {
    assert_eq!(status, expected, "{body}");
    let error = body
        .get("error")
        .unwrap_or_else(|| panic!("no error object in {body}"));
    assert_eq!(error["code"], code, "{body}");
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "a message in {body}"
    );
    let object = error.as_object().expect("an object");
    for key in object.keys() {
        assert!(
            ["code", "message", "fields", "existing"].contains(&key.as_str()),
            "unexpected `{key}` in {body}"
        );
    }
    assert_eq!(body.as_object().map(|o| o.len()), Some(1), "{body}");
    error.clone()
}

/// A validation error that names `field` in `fields` and in the message.
fn assert_field_error(status: StatusCode, body: &Value, code: &str, field: &str) {
    let error = assert_error(status, body, StatusCode::BAD_REQUEST, code);
    assert!(
        error["fields"][field]
            .as_str()
            .is_some_and(|p| !p.is_empty()),
        "fields.{field} in {body}"
    );
    assert!(
        error["message"].as_str().unwrap_or("").contains(field),
        "the message names {field}: {body}"
    );
}

/// POST raw bytes with a content type; the status and the decoded body.
async fn post_raw(
    session: &Session<'_>,
    path: &str,
    content_type: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let response = session
        .raw(Method::POST, path, Some((content_type, bytes.to_vec())))
        .await;
    decode(response).await
}

async fn decode(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("the body of a {status} is not JSON ({e}): {text}"));
    (status, body)
}

/// How many objects a list holds.
async fn count(app: &TestApp, list: &str) -> i64 {
    let (status, body) = app.anon().get(list).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["meta"]["total_count"].as_i64().expect("total_count")
}

/// The answer to a list query, which must be a 400 `invalid_filter` whose
/// message names `names`.
async fn assert_invalid_filter(app: &TestApp, path: &str, names: &str) {
    let (status, body) = app.anon().get(path).await;
    let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_filter");
    assert!(
        error["message"].as_str().unwrap_or("").contains(names),
        "GET {path}: the message names `{names}`: {body}"
    );
}

const TICKET: &str = "/api/v1/ticket/";

/// A server whose JSON bodies may be at most 1024 bytes.
async fn small_body_app(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(
        backend,
        Options {
            http: HttpOptions {
                max_body_bytes: 1024,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
}

async fn a_body_over_the_limit_is_413_and_one_under_it_is_served(app: TestApp) {
    let big = json!({"owner": "dev@example.com", "title": "big", "description": "x".repeat(2000)});
    let (status, body) = post_raw(
        &app.dev(),
        TICKET,
        "application/json",
        big.to_string().as_bytes(),
    )
    .await;
    assert_error(
        status,
        &body,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    );
    assert_eq!(count(&app, TICKET).await, 0, "nothing was created");
    let small =
        json!({"owner": "dev@example.com", "title": "small", "description": "x".repeat(500)});
    let (status, body) = app.dev().post(TICKET, small).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_over_the_configured_limit_is_413_on_sqlite() {
    let app = small_body_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    a_body_over_the_limit_is_413_and_one_under_it_is_served(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_body_over_the_configured_limit_is_413_on_postgres() {
    let Some(app) = small_body_app(Backend::Postgres).await else {
        return;
    };
    a_body_over_the_limit_is_413_and_one_under_it_is_served(app).await;
}

backend_tests! {
    async fn malformed_json_is_a_400_naming_line_and_column(app) {
        let (status, body) = post_raw(&app.dev(), TICKET, "application/json", br#"{"owner": "dev@example.com", "title": }"#).await;
        let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed_json");
        let message = error["message"].as_str().unwrap_or("");
        assert!(message.contains("line 1") && message.contains("column 39"), "{message}");

        let multi_line = b"{\n  \"owner\": \"dev@example.com\",\n  \"title\" \"no colon\"\n}";
        let (status, body) = post_raw(&app.dev(), TICKET, "application/json", multi_line).await;
        let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed_json");
        let message = error["message"].as_str().unwrap_or("");
        assert!(message.contains("line 3") && message.contains("column 11"), "{message}");
        let (status, body) = post_raw(&app.dev(), TICKET, "application/json", b"{\n  \"title\": \"x\",,\n}").await;
        let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed_json");
        assert!(error["message"].as_str().unwrap_or("").contains("line 2, column"), "{body}");

        for bytes in [&b""[..], b"{", b"{\"title\": \"x\",}", b"{\"title\": \"x\"} trailing"] {
            let (status, body) = post_raw(&app.dev(), TICKET, "application/json", bytes).await;
            assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed_json");
        }
        assert_eq!(count(&app, TICKET).await, 0);
    }

    async fn the_seeds_malformed_subticket_example_gets_a_clear_400(app) {
        let (ticket, _) = app.ticket_with_subtickets("seed", &[]).await;
        let spu = app.upload("my-package", "1.0").await;
        let seed = format!(r#"{{"source_package_upload": "/api/v1/spu/{spu}/, "ticket": "/api/v1/ticket/{ticket}/, "assignee": "test@example.com"}}"#);
        let (status, body) = post_raw(&app.dev(), "/api/v1/subticket/", "application/json", seed.as_bytes()).await;
        let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed_json");
        assert!(error["message"].as_str().unwrap_or("").contains("column"), "{body}");
        assert_eq!(count(&app, "/api/v1/subticket/").await, 0);
    }

    async fn json_that_is_not_an_object_is_a_400(app) {
        for bytes in [&b"[1, 2]"[..], b"\"title\"", b"null", b"42"] {
            let (status, body) = post_raw(&app.dev(), TICKET, "application/json", bytes).await;
            // Well-formed JSON of the wrong shape: invalid, not malformed.
            let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "validation_failed");
            assert!(error["message"].as_str().unwrap_or("").contains("object"), "{body}");
        }
    }

    async fn invalid_utf8_and_lone_surrogates_are_malformed_json(app) {
        let invalid_utf8 = b"{\"owner\": \"dev@example.com\", \"title\": \"caf\xe9\"}";
        let (status, body) = post_raw(&app.dev(), TICKET, "application/json", invalid_utf8).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed_json");
        for surrogate in [r#"{"owner": "dev@example.com", "title": "\ud800"}"#, r#"{"owner": "dev@example.com", "title": "a\udc00b"}"#] {
            let (status, body) = post_raw(&app.dev(), TICKET, "application/json", surrogate.as_bytes()).await;
            assert_error(status, &body, StatusCode::BAD_REQUEST, "malformed_json");
        }
        // A proper pair is fine.
        let pair = r#"{"owner": "dev@example.com", "title": "\ud83d\ude00"}"#;
        let (status, body) = post_raw(&app.dev(), TICKET, "application/json", pair.as_bytes()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["title"], "\u{1f600}");
        assert_eq!(count(&app, TICKET).await, 1);
    }

    async fn bad_ticket_fields_are_validation_failures_naming_the_field(app) {
        for owner in ["not an email", "Dev <dev@example.com>", " dev@example.com", "dev@example.com ", "dev@", "@example.com", "a@b@example.com", ""] {
            let (status, body) = app.dev().post(TICKET, json!({"owner": owner, "title": "t"})).await;
            assert_field_error(status, &body, "validation_failed", "owner");
        }
        let long_owner = format!("{}@example.com", "a".repeat(250));
        let (status, body) = app.dev().post(TICKET, json!({"owner": long_owner, "title": "t"})).await;
        assert_field_error(status, &body, "validation_failed", "owner");
        for title in [String::new(), "x".repeat(256)] {
            let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": title})).await;
            assert_field_error(status, &body, "validation_failed", "title");
        }
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "x".repeat(255)})).await;
        assert_eq!(status, StatusCode::CREATED, "255 characters is the most a title may have: {body}");
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "  "})).await;
        assert_field_error(status, &body, "validation_failed", "title");
        assert_eq!(body["error"]["message"], "title: must not be empty", "a blank title is empty");
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com"})).await;
        assert_field_error(status, &body, "validation_failed", "title");
        assert_eq!(body["error"]["fields"]["title"], "is required");
        let (status, body) = app.dev().post(TICKET, json!({"title": "no owner"})).await;
        assert_field_error(status, &body, "validation_failed", "owner");
        for bug in [json!("12a"), json!("bug 5"), json!(-3), json!(1.5)] {
            let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "bug_id": bug})).await;
            assert_field_error(status, &body, "validation_failed", "bug_id");
        }
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "description": "x".repeat(64 * 1024 + 1)})).await;
        assert_field_error(status, &body, "validation_failed", "description");
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": 7})).await;
        assert_field_error(status, &body, "validation_failed", "title");
        assert_eq!(count(&app, TICKET).await, 1);
    }

    async fn several_bad_fields_are_all_named(app) {
        let (status, body) = app.dev().post(TICKET, json!({"owner": "nobody", "title": ""})).await;
        let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "validation_failed");
        assert!(error["fields"]["owner"].is_string() && error["fields"]["title"].is_string(), "{body}");
        let (status, body) = app.dev().post(TICKET, json!({"owner": "Jane <jane@example.com>", "title": "x".repeat(256)})).await;
        let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "validation_failed");
        assert!(error["fields"]["owner"].is_string() && error["fields"]["title"].is_string(), "{body}");
        let id = app.ticket("artifacts").await;
        let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": id, "reference": "relative/path", "type": "SPU"})).await;
        let error = assert_error(status, &body, StatusCode::BAD_REQUEST, "validation_failed");
        assert!(error["fields"]["reference"].is_string(), "{body}");
        assert_eq!(error["fields"]["type"], "must be one of \"RESULTS\", \"LOGS\", \"IMAGE\"");
    }

    async fn a_subticket_assignee_is_one_address(app) {
        let (ticket, _) = app.ticket_with_subtickets("assignee", &[]).await;
        let spu = app.upload("foo", "1.0").await;
        let (status, body) = app.dev().post("/api/v1/subticket/", json!({"ticket": ticket, "source_package_upload": spu, "assignee": "two@a.example, three@b.example"})).await;
        assert_field_error(status, &body, "validation_failed", "assignee");
        assert_eq!(count(&app, "/api/v1/subticket/").await, 0);
    }

    async fn bad_package_names_and_versions_are_validation_failures(app) {
        for name in ["Foo", "a", "-foo", "foo_bar", "foo bar", "", "é-pkg", "My_Package"] {
            let (status, body) = app.dev().post("/api/v1/sourcepackage/", json!({"name": name})).await;
            assert_field_error(status, &body, "validation_failed", "name");
            if !name.is_empty() {
                let problem = body["error"]["fields"]["name"].as_str().unwrap_or("");
                assert!(problem.contains("Debian package name"), "{name}: {body}");
            }
        }
        let (status, body) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "x".repeat(256)})).await;
        assert_field_error(status, &body, "validation_failed", "name");
        assert_eq!(count(&app, "/api/v1/sourcepackage/").await, 0);
        let (status, sp) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "foo"})).await;
        assert_eq!(status, StatusCode::CREATED);
        for version in ["", "abc", "1.0 beta", "1:", "a:1.0", "1.0-", "1.0_1", "-1"] {
            let (status, body) = app.dev().post("/api/v1/spu/", json!({"sourcepackage": sp["resource_uri"], "version": version})).await;
            assert_field_error(status, &body, "validation_failed", "version");
        }
        let (status, body) = app.dev().post("/api/v1/spu/", json!({"sourcepackage": sp["resource_uri"]})).await;
        assert_field_error(status, &body, "validation_failed", "version");
        let (status, body) = app.dev().post("/api/v1/spu/", json!({"version": "1.0"})).await;
        assert_field_error(status, &body, "validation_failed", "sourcepackage");
        assert_eq!(count(&app, "/api/v1/spu/").await, 0);
    }

    async fn artifact_types_and_references_are_checked_per_owner(app) {
        let (ticket, subs) = app.ticket_with_subtickets("artifacts", &[("foo", "1.0")]).await;
        for kind in ["SPU", "BOGUS", ""] {
            let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": ticket, "reference": "https://x.example/a", "type": kind})).await;
            assert_field_error(status, &body, "validation_failed", "type");
        }
        for kind in ["IMAGE", "BOGUS"] {
            let (status, body) = app.dev().post("/api/v1/subticketartifact/", json!({"name": "a", "subticket": subs[0], "reference": "https://x.example/a", "type": kind})).await;
            assert_field_error(status, &body, "validation_failed", "type");
        }
        for reference in ["build.log", "/tmp/build.log", "logs/build.log", "", "https://x.example/with space", "/api/v1/blob/not-a-digest"] {
            let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": ticket, "reference": reference, "type": "LOGS"})).await;
            assert_field_error(status, &body, "validation_failed", "reference");
            let (status, body) = app.dev().post("/api/v1/subticketartifact/", json!({"name": "a", "subticket": subs[0], "reference": reference, "type": "LOGS"})).await;
            assert_field_error(status, &body, "validation_failed", "reference");
        }
        // A blob of this server that does not exist.
        let missing = format!("/api/v1/blob/{}", "0".repeat(64));
        let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": ticket, "reference": missing, "type": "LOGS"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["error"]["fields"]["reference"].is_string(), "{body}");
        for field in ["name", "ticket", "reference", "type"] {
            let mut artifact = json!({"name": "a", "ticket": ticket, "reference": "https://x.example/a", "type": "LOGS"});
            artifact.as_object_mut().expect("object").remove(field);
            let (status, body) = app.dev().post("/api/v1/ticketartifact/", artifact).await;
            assert_field_error(status, &body, "validation_failed", field);
        }
        let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "x".repeat(1025), "ticket": ticket, "reference": "https://x.example/a", "type": "LOGS"})).await;
        assert_field_error(status, &body, "validation_failed", "name");
        assert_eq!(count(&app, "/api/v1/ticketartifact/").await, 0);
        assert_eq!(count(&app, "/api/v1/subticketartifact/").await, 0);
    }

    async fn bad_person_fields_are_validation_failures(app) {
        for email in ["user", "User <user@example.com>", "user@example.com, other@example.com"] {
            let (status, body) = app.admin().post("/api/v1/person/", json!({"name": "n", "email": email})).await;
            assert_field_error(status, &body, "validation_failed", "email");
        }
        let (status, body) = app.admin().post("/api/v1/person/", json!({"name": "n", "email": "n@example.com", "is_team": "maybe"})).await;
        assert_field_error(status, &body, "validation_failed", "is_team");
        let (status, body) = app.admin().post("/api/v1/person/", json!({"email": "n@example.com"})).await;
        assert_field_error(status, &body, "validation_failed", "name");
        let (status, body) = app.admin().post("/api/v1/person/", json!({"name": "x".repeat(4097), "email": "n@example.com"})).await;
        assert_field_error(status, &body, "validation_failed", "name");
        assert_eq!(count(&app, "/api/v1/person/").await, 0);
    }

    async fn unknown_and_read_only_fields_are_refused_on_create(app) {
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "colour": "red"})).await;
        assert_field_error(status, &body, "unknown_field", "colour");
        for field in ["id", "resource_uri", "created", "updated", "current_workflow_step", "status"] {
            let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", field: 100})).await;
            assert_field_error(status, &body, "unknown_field", field);
            assert!(body["error"]["message"].as_str().unwrap_or("").contains("read-only"), "{field}: {body}");
        }
        let (ticket, _) = app.ticket_with_subtickets("t", &[]).await;
        let spu = app.upload("foo", "1.0").await;
        for field in ["status", "current_workflow_step", "id"] {
            let (status, body) = app.dev().post("/api/v1/subticket/", json!({"ticket": ticket, "source_package_upload": spu, field: 0})).await;
            assert_field_error(status, &body, "unknown_field", field);
        }
        let (status, body) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "bar", "id": 5})).await;
        assert_field_error(status, &body, "unknown_field", "id");
        let (status, body) = app.admin().post("/api/v1/person/", json!({"name": "n", "email": "n@example.com", "team": true})).await;
        assert_field_error(status, &body, "unknown_field", "team");
        let (status, body) = app.lander().patch(&format!("/api/v1/updateticketstatus/{ticket}/"), json!({"current_workflow_step": 100, "status": 0, "colour": 1})).await;
        assert_field_error(status, &body, "unknown_field", "colour");
        assert_eq!(count(&app, TICKET).await, 1);
        assert_eq!(count(&app, "/api/v1/subticket/").await, 0);
        assert_eq!(count(&app, "/api/v1/sourcepackage/").await, 1);
    }

    async fn bad_filters_and_paging_are_invalid_filter_errors(app) {
        app.ticket("one").await;
        let cases = [
            ("/api/v1/ticket/?colour=red", "colour"),
            ("/api/v1/ticket/?description=x", "description"),
            ("/api/v1/ticket/?page=2", "page"),
            ("/api/v1/ticket/?title__regex=x", "regex"),
            ("/api/v1/ticket/?title__gt=x", "gt"),
            ("/api/v1/ticket/?created__contains=2020", "contains"),
            ("/api/v1/ticket/?created__isnull=true", "isnull"),
            ("/api/v1/ticket/?created__gt=yesterday", "created__gt"),
            ("/api/v1/ticket/?id__gt=abc", "id__gt"),
            ("/api/v1/ticket/?id__startswith=1", "startswith"),
            ("/api/v1/ticket/?current_workflow_step=150", "current_workflow_step"),
            ("/api/v1/ticket/?current_workflow_step=Nowhere", "current_workflow_step"),
            ("/api/v1/ticket/?status=42", "status"),
            ("/api/v1/ticket/?title__isnull=maybe", "title__isnull"),
            ("/api/v1/ticket/?limit=-1", "limit"),
            ("/api/v1/ticket/?limit=abc", "limit"),
            ("/api/v1/ticket/?limit=", "limit"),
            ("/api/v1/ticket/?offset=-1", "offset"),
            ("/api/v1/ticket/?offset=abc", "offset"),
            ("/api/v1/ticket/?offset=-5", "offset"),
            ("/api/v1/ticket/?title__near=x", "title__near"),
            ("/api/v1/ticket/?status=12", "status"),
            ("/api/v1/ticket/?ticket__owner__name=x", "ticket__owner__name"),
            ("/api/v1/person/?is_team=yes", "is_team"),
            ("/api/v1/ticket/?order_by=description", "description"),
            ("/api/v1/ticket/?order_by=-bogus", "bogus"),
            ("/api/v1/ticket/?order_by=bug_id", "bug_id"),
            ("/api/v1/ticket/?format=xml", "xml"),
            ("/api/v1/ticketstatus/?title=one", "title"),
            ("/api/v1/ticketstatus/?owner=dev@example.com", "owner"),
            ("/api/v1/person/?is_team__gt=1", "gt"),
            ("/api/v1/person/?is_team=maybe", "is_team"),
            ("/api/v1/person/?order_by=email", "email"),
            ("/api/v1/sourcepackage/?order_by=title", "title"),
            ("/api/v1/spu/?sourcepackage__colour=red", "colour"),
            ("/api/v1/spu/?sourcepackage__name__regex=x", "regex"),
            ("/api/v1/subticket/?ticket__owner__name=x", "ticket__owner__name"),
            ("/api/v1/subticket/?ticket=abc", "ticket"),
            ("/api/v1/subticket/?ticket=/api/v1/spu/1/", "ticket"),
            ("/api/v1/subticket/?order_by=title", "title"),
            ("/api/v1/event/?kind__gt=a", "gt"),
            ("/api/v1/opentickets/?colour=red", "colour"),
            ("/api/v1/fullticket/?colour=red", "colour"),
            ("/api/v1/ticketartifact/?colour=red", "colour"),
            ("/api/v1/subticketartifact/?colour=red", "colour"),
        ];
        for (path, names) in cases {
            assert_invalid_filter(&app, path, names).await;
        }
        for path in ["/api/v1/ticket/?format=json", "/api/v1/ticket/?limit=0&offset=0&order_by=-id&format=json"] {
            assert_eq!(app.anon().get(path).await.0, StatusCode::OK, "{path}");
        }
    }

    async fn references_of_the_wrong_type_or_to_nothing_are_invalid_references(app) {
        let (ticket, _) = app.ticket_with_subtickets("refs", &[]).await;
        let spu = app.upload("foo", "1.0").await;
        let sp = "/api/v1/sourcepackage/1/";
        let cases = [
            (json!({"ticket": format!("/api/v1/spu/{spu}/"), "source_package_upload": spu}), "ticket"),
            (json!({"ticket": ticket, "source_package_upload": format!("/api/v1/ticket/{ticket}/")}), "source_package_upload"),
            (json!({"ticket": 9999, "source_package_upload": spu}), "ticket"),
            (json!({"ticket": "/api/v1/ticket/9999/", "source_package_upload": spu}), "ticket"),
            (json!({"ticket": ticket, "source_package_upload": "9999"}), "source_package_upload"),
            (json!({"ticket": "ticket seven", "source_package_upload": spu}), "ticket"),
            (json!({"ticket": ticket, "source_package_upload": sp}), "source_package_upload"),
        ];
        for (body, field) in cases {
            let (status, answer) = app.dev().post("/api/v1/subticket/", body.clone()).await;
            assert_field_error(status, &answer, "invalid_reference", field);
        }
        let (status, body) = app.dev().post("/api/v1/spu/", json!({"sourcepackage": 9999, "version": "1.0"})).await;
        assert_field_error(status, &body, "invalid_reference", "sourcepackage");
        assert_eq!(body["error"]["message"], "sourcepackage: there is no sourcepackage 9999");
        let (status, body) = app.dev().post("/api/v1/spu/", json!({"sourcepackage": format!("/api/v1/ticket/{ticket}/"), "version": "1.0"})).await;
        assert_field_error(status, &body, "invalid_reference", "sourcepackage");
        let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": 9999, "reference": "https://x.example/a", "type": "LOGS"})).await;
        assert_field_error(status, &body, "invalid_reference", "ticket");
        let (status, body) = app.dev().post("/api/v1/subticketartifact/", json!({"name": "a", "subticket": format!("/api/v1/ticket/{ticket}/"), "reference": "https://x.example/a", "type": "LOGS"})).await;
        assert_field_error(status, &body, "invalid_reference", "subticket");
        assert_eq!(count(&app, "/api/v1/subticket/").await, 0);
        assert_eq!(count(&app, "/api/v1/spu/").await, 1);
        assert_eq!(count(&app, "/api/v1/ticketartifact/").await, 0);
    }

    async fn writes_without_a_token_and_wrong_tokens_are_401_with_a_bearer_challenge(app) {
        let id = app.ticket("auth").await;
        let body = json!({"owner": "dev@example.com", "title": "anonymous"}).to_string().into_bytes();
        let attempts = [
            (app.anon().raw(Method::POST, TICKET, Some(("application/json", body.clone()))).await, "POST without a token"),
            (app.anon().raw(Method::PATCH, &format!("/api/v1/updateticketstatus/{id}/"), Some(("application/json", br#"{"current_workflow_step": 100, "status": 0}"#.to_vec()))).await, "PATCH without a token"),
            (app.with_token("not-a-token").raw(Method::POST, TICKET, Some(("application/json", body.clone()))).await, "POST with a wrong token"),
            (app.with_token("not-a-token").raw(Method::GET, TICKET, None).await, "GET with a wrong token"),
            (app.with_token("not-a-token").raw(Method::GET, &format!("/api/v1/ticket/{id}/"), None).await, "GET detail with a wrong token"),
        ];
        for (response, what) in attempts {
            let challenge = response.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).map(str::to_string);
            let (status, answer) = decode(response).await;
            assert_error(status, &answer, StatusCode::UNAUTHORIZED, "unauthorized");
            assert!(challenge.as_deref().is_some_and(|c| c.starts_with("Bearer")), "{what}: WWW-Authenticate {challenge:?}");
        }
        assert_eq!(count(&app, TICKET).await, 1);
        let (_, ticket) = app.anon().get(&format!("/api/v1/ticket/{id}/")).await;
        assert_eq!(ticket["current_workflow_step"], 0, "the anonymous PATCH changed nothing");
    }

    async fn a_role_too_low_is_403(app) {
        for session in [app.dev(), app.lander()] {
            let (status, body) = session.post("/api/v1/person/", json!({"name": "n", "email": "n@example.com"})).await;
            assert_error(status, &body, StatusCode::FORBIDDEN, "forbidden");
        }
        assert_eq!(count(&app, "/api/v1/person/").await, 0);
    }

    async fn unknown_paths_missing_ids_and_non_numeric_ids_are_404(app) {
        app.ticket("exists").await;
        for path in ["/api/v1/nowhere/", "/api/v1/nowhere", "/api/v2/ticket/", "/nowhere", "/api/v1/ticket/1/extra/"] {
            let (status, body) = app.anon().get(path).await;
            assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
        }
        for resource in RESOURCE_LISTS {
            for id in ["9999", "abc", "0", "-1", "1.5", "1e3"] {
                for path in [format!("/api/v1/{resource}/{id}/"), format!("/api/v1/{resource}/{id}")] {
                    let (status, body) = app.anon().get(&path).await;
                    assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
                }
            }
        }
        let (status, body) = app.lander().patch("/api/v1/updateticketstatus/9999/", json!({"current_workflow_step": 100, "status": 0})).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
        let (status, body) = app.lander().patch("/api/v1/updatesubticketstatus/abc/", json!({"current_workflow_step": 100, "status": 0})).await;
        assert_error(status, &body, StatusCode::NOT_FOUND, "not_found");
    }

    async fn a_method_a_path_does_not_take_is_405_with_allow(app) {
        let id = app.ticket("methods").await;
        let cases = [
            (Method::GET, format!("/api/v1/updateticketstatus/{id}/"), vec!["PATCH"]),
            (Method::GET, "/api/v1/updatesubticketstatus/1/".to_string(), vec!["PATCH"]),
            (Method::DELETE, TICKET.to_string(), vec!["GET", "POST"]),
            (Method::PUT, format!("/api/v1/ticket/{id}/"), vec!["GET"]),
            (Method::DELETE, format!("/api/v1/ticket/{id}"), vec!["GET"]),
            (Method::PATCH, format!("/api/v1/ticket/{id}/"), vec!["GET"]),
            (Method::POST, "/api/v1/ticketstatus/".to_string(), vec!["GET"]),
            (Method::POST, "/api/v1/event/".to_string(), vec!["GET"]),
            (Method::POST, "/api/v1/whoami/".to_string(), vec!["GET"]),
        ];
        for (method, path, allowed) in cases {
            let response = app.lander().raw(method.clone(), &path, Some(("application/json", b"{}".to_vec()))).await;
            let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let (status, body) = decode(response).await;
            assert_error(status, &body, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
            for m in allowed {
                assert!(allow.split(',').any(|a| a.trim() == m), "{method} {path}: Allow `{allow}` lacks {m}");
            }
        }
        let response = app.lander().raw(Method::GET, &format!("/api/v1/updateticketstatus/{id}/"), None).await;
        let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).map(str::to_string);
        assert_eq!(allow.as_deref(), Some("PATCH"), "a status update takes PATCH only");
        assert_eq!(count(&app, TICKET).await, 1);
    }

    async fn a_duplicate_source_package_is_409_naming_the_existing_one(app) {
        let (status, first) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "my-package"})).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let (status, body) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "my-package"})).await;
        let error = assert_error(status, &body, StatusCode::CONFLICT, "duplicate");
        assert_eq!(error["existing"], first["resource_uri"], "{body}");
        assert!(error.get("fields").is_none_or(Value::is_null), "{body}");
        assert_eq!(count(&app, "/api/v1/sourcepackage/").await, 1);
    }

    async fn a_body_that_is_not_json_is_415(app) {
        let json_body = json!({"owner": "dev@example.com", "title": "t"}).to_string().into_bytes();
        for content_type in ["text/plain", "application/x-www-form-urlencoded", "application/xml", "application/jsonx"] {
            let (status, body) = post_raw(&app.dev(), TICKET, content_type, &json_body).await;
            assert_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        }
        // No content type at all.
        let response = app.client().post(app.url(TICKET)).bearer_auth(app.token(shared::Role::Developer)).body(json_body.clone()).send().await.expect("request");
        let (status, body) = decode(response).await;
        assert_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        let response = app.client().patch(app.url("/api/v1/updateticketstatus/1/")).bearer_auth(app.token(shared::Role::Lander)).body(r#"{"current_workflow_step": 100, "status": 0}"#).send().await.expect("request");
        let (status, body) = decode(response).await;
        assert_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        // No body and no content type.
        let (status, body) = decode(app.dev().raw(Method::POST, TICKET, None).await).await;
        assert_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
        assert_eq!(count(&app, TICKET).await, 0);
        // A charset is allowed.
        for content_type in ["application/json; charset=utf-8", "Application/JSON"] {
            let (status, body) = post_raw(&app.dev(), TICKET, content_type, &json_body).await;
            assert_eq!(status, StatusCode::CREATED, "{content_type}: {body}");
        }
    }

    async fn a_move_out_of_a_final_step_is_409_illegal_transition(app) {
        let id = app.ticket("conflict").await;
        let (status, body) = app.move_ticket(id, 1000, 1000).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let (status, body) = app.move_ticket(id, 200, 100).await;
        assert_error(status, &body, StatusCode::CONFLICT, "illegal_transition");
    }

    async fn a_failed_request_changes_nothing(app) {
        let (ticket, subs) = app.ticket_with_subtickets("unchanged", &[("foo", "1.0")]).await;
        let tickets = count(&app, TICKET).await;
        let events = count(&app, "/api/v1/event/").await;
        let (_, before) = app.anon().get(&format!("/api/v1/fullticket/{ticket}/")).await;
        let failures = [
            app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": ""})).await,
            app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "status": 100})).await,
            post_raw(&app.dev(), TICKET, "application/json", br#"{"owner": "dev@example.com", "title": "t""#).await,
            post_raw(&app.dev(), TICKET, "text/plain", br#"{"owner": "dev@example.com", "title": "t"}"#).await,
            app.anon().post(TICKET, json!({"owner": "dev@example.com", "title": "t"})).await,
            app.dev().post("/api/v1/subticket/", json!({"ticket": ticket, "source_package_upload": 9999})).await,
            app.dev().post("/api/v1/subticketartifact/", json!({"name": "a", "subticket": subs[0], "reference": "relative/path", "type": "LOGS"})).await,
            app.lander().patch(&format!("/api/v1/updateticketstatus/{ticket}/"), json!({"current_workflow_step": 150, "status": 0})).await,
            app.lander().patch(&format!("/api/v1/updatesubticketstatus/{}/", subs[0]), json!({"current_workflow_step": 200, "status": 100, "force": "maybe"})).await,
            app.dev().patch(&format!("/api/v1/updateticketstatus/{ticket}/"), json!({"current_workflow_step": 500, "status": 100})).await,
            app.move_ticket(ticket, 999, 100).await,
            app.dev().post("/api/v1/ticketartifact/", json!({"name": "", "ticket": ticket, "reference": "https://x.example/", "type": "LOGS"})).await,
        ];
        for (status, body) in failures {
            assert!(status.is_client_error(), "{status}: {body}");
            assert!(body["error"]["code"].is_string(), "{body}");
        }
        assert_eq!(count(&app, TICKET).await, tickets);
        assert_eq!(count(&app, "/api/v1/event/").await, events);
        assert_eq!(count(&app, "/api/v1/subticket/").await, 1);
        assert_eq!(count(&app, "/api/v1/subticketartifact/").await, 0);
        let (_, after) = app.anon().get(&format!("/api/v1/fullticket/{ticket}/")).await;
        assert_eq!(after, before);
    }
}
