//! Strict, bounded request input: what a client sends is read one way only
//! or refused with a 400/415 naming what is wrong, and changes nothing:
//! charsets other than UTF-8, duplicate JSON keys at any depth, invalid
//! UTF-8 in query strings, references other than http(s) URLs and blobs,
//! too many references, `__in` lists past their cap, and codes sent as
//! integral JSON numbers (`1e2`).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::TestApp;

const TICKET: &str = "/api/v1/ticket/";

/// POST raw bytes with a content type; the status and the decoded body.
async fn post_raw(
    app: &TestApp,
    path: &str,
    content_type: &str,
    bytes: &[u8],
) -> (StatusCode, Value) {
    let response = app
        .admin()
        .raw(Method::POST, path, Some((content_type, bytes.to_vec())))
        .await;
    let status = response.status();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{status} without a JSON body ({e}): {text}"));
    (status, body)
}

/// A 400 whose `code` is one of `codes` and whose message names `field`
/// (and, when the error is about one field, `fields` does too).
fn assert_names(status: StatusCode, body: &Value, codes: &[&str], field: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let code = body["error"]["code"].as_str().unwrap_or("");
    assert!(
        codes.contains(&code),
        "code `{code}` not one of {codes:?}: {body}"
    );
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains(field),
        "the message names `{field}`: {body}"
    );
    if let Some(fields) = body["error"]["fields"].as_object() {
        assert!(fields.contains_key(field), "fields.{field} in {body}");
    }
}

/// How many objects a list holds.
async fn count(app: &TestApp, list: &str) -> i64 {
    let (status, body) = app.anon().get(list).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["meta"]["total_count"].as_i64().expect("total_count")
}

/// A bundle body with `ticket_json` as its ticket and `upload_json` as its
/// one upload, given as JSON text so that keys may repeat.
fn bundle_text(ticket_json: &str, upload_json: &str) -> String {
    format!(r#"{{"ticket": {ticket_json}, "uploads": [{upload_json}]}}"#)
}

backend_tests! {
    async fn a_charset_other_than_utf8_is_415(app) {
        let body = json!({"owner": "dev@example.com", "title": "café"}).to_string().into_bytes();
        for content_type in ["application/json; charset=latin1", "application/json; charset=utf-16", "application/json;charset=\"ISO-8859-1\"", "application/json; charset=utf8x"] {
            let (status, answer) = post_raw(&app, TICKET, content_type, &body).await;
            assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{content_type}: {answer}");
            assert_eq!(answer["error"]["code"], "unsupported_media_type", "{answer}");
            assert!(answer["error"]["message"].as_str().unwrap_or("").contains("UTF-8"), "{content_type}: {answer}");
        }
        assert_eq!(count(&app, TICKET).await, 0);
        for content_type in ["application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json; charset=\"utf-8\"", "application/json;Charset=\"UTF-8\""] {
            let (status, answer) = post_raw(&app, TICKET, content_type, &body).await;
            assert_eq!(status, StatusCode::CREATED, "{content_type}: {answer}");
            assert_eq!(answer["title"], "café");
        }
    }

    async fn duplicate_json_keys_are_refused_at_any_depth(app) {
        let cases = [
            (TICKET, r#"{"owner": "dev@example.com", "title": "first", "title": "second"}"#.to_string(), "title"),
            ("/api/v1/bundle/", bundle_text(r#"{"owner": "dev@example.com", "title": "a", "owner": "x@example.com"}"#, r#"{"sourcepackage": "foo", "version": "1.0"}"#), "ticket.owner"),
            ("/api/v1/bundle/", bundle_text(r#"{"owner": "dev@example.com", "title": "a"}"#, r#"{"sourcepackage": "foo", "version": "1.0", "version": "2.0"}"#), "uploads[0].version"),
            ("/api/v1/packagelist/", r#"[{"binary": "foo", "source": "foo", "version": "1.0", "version": "2.0"}]"#.to_string(), "entries[0].version"),
        ];
        for (path, text, field) in cases {
            let (status, body) = post_raw(&app, path, "application/json", text.as_bytes()).await;
            assert_names(status, &body, &["malformed_json", "validation_failed"], field);
            assert!(body["error"]["message"].as_str().unwrap_or("").contains("more than once"), "{body}");
        }
        let id = app.ticket("dup").await;
        let change = r#"{"current_workflow_step": 100, "status": 0, "status": 100}"#;
        let response = app.admin().raw(Method::PATCH, &format!("/api/v1/updateticketstatus/{id}/"), Some(("application/json", change.as_bytes().to_vec()))).await;
        let status = response.status();
        let body: Value = response.json().await.expect("JSON");
        assert_names(status, &body, &["malformed_json", "validation_failed"], "status");
        assert_eq!(count(&app, TICKET).await, 1);
        assert_eq!(count(&app, "/api/v1/binarypackage/").await, 0);
        assert_eq!(app.anon().get(&format!("/api/v1/ticket/{id}/")).await.1["current_workflow_step"], 0);
    }

    async fn invalid_utf8_in_a_query_string_is_a_400_naming_the_parameter(app) {
        app.ticket("café").await;
        for (path, param) in [
            ("/api/v1/ticket/?title=%ff", "title"),
            ("/api/v1/ticket/?title__in=a,%C3", "title__in"),
            ("/api/v1/ticket/?order_by=%ff", "order_by"),
            ("/api/v1/ticket/?ti%fftle=x", "ti"),
            ("/api/v1/person/?name__startswith=%e9", "name__startswith"),
            ("/api/v1/ticket/1/?format=%ff", "format"),
            ("/api/v1/whoami/?x=%ff", "x"),
        ] {
            let (status, body) = app.anon().get(path).await;
            assert_names(status, &body, &["invalid_filter"], param);
            assert!(body["error"]["message"].as_str().unwrap_or("").contains("UTF-8"), "GET {path}: {body}");
        }
        let (status, body) = post_raw(&app, "/api/v1/packagelist/?prune=%ff", "application/json", b"[]").await;
        assert_names(status, &body, &["invalid_filter"], "prune");
        // Valid percent-encoded UTF-8 still reads as before.
        let (status, body) = app.anon().get("/api/v1/ticket/?title=caf%C3%A9").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["meta"]["total_count"], 1, "{body}");
        let (status, body) = app.anon().get("/api/v1/ticket/?title__startswith=caf%C3%A9+&format=json").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    async fn references_must_be_http_https_or_blobs_of_this_server(app) {
        let bad = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "ftp://files.example/x", "lp:foo", "vbscript:x"];
        for reference in bad {
            let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "references": ["https://ok.example/", reference]})).await;
            assert_names(status, &body, &["validation_failed"], "references[1]");
            let problem = body["error"]["fields"]["references[1]"].as_str().unwrap_or("");
            assert!(problem.contains("http") && problem.contains("/api/v1/blob/"), "{reference}: the allowed forms: {body}");
        }
        let ticket = app.ticket("refs").await;
        for reference in bad {
            let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": ticket, "reference": reference, "type": "LOGS"})).await;
            assert_names(status, &body, &["validation_failed"], "reference");
        }
        let bundle = json!({"ticket": {"owner": "dev@example.com", "title": "b"}, "uploads": [{"sourcepackage": "foo", "version": "1.0", "artifacts": [{"name": "x", "reference": "javascript:alert(1)", "type": "LOGS"}]}]});
        let (status, body) = app.dev().post("/api/v1/bundle/", bundle).await;
        assert_names(status, &body, &["validation_failed"], "uploads[0].artifacts[0].reference");
        assert_eq!(count(&app, TICKET).await, 1);
        assert_eq!(count(&app, "/api/v1/ticketartifact/").await, 0);
        // The allowed forms.
        let blob = app.admin().raw(Method::PUT, &format!("/api/v1/blob/{}", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), Some(("application/octet-stream", b"hello".to_vec()))).await;
        assert!(blob.status().is_success(), "{}", blob.status());
        let blob_ref = "/api/v1/blob/2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        let refs = json!(["https://bugs.example/1", "http://wiki.example/spec", "HTTPS://Docs.Example/x", blob_ref]);
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "references": refs})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["references"], refs);
        for reference in ["https://logs.example/1", blob_ref] {
            let (status, body) = app.dev().post("/api/v1/ticketartifact/", json!({"name": "a", "ticket": ticket, "reference": reference, "type": "LOGS"})).await;
            assert_eq!(status, StatusCode::CREATED, "{reference}: {body}");
        }
    }

    async fn a_ticket_takes_at_most_100_references(app) {
        let refs: Vec<String> = (0..101).map(|i| format!("https://refs.example/{i}")).collect();
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "references": refs})).await;
        assert_names(status, &body, &["validation_failed"], "references");
        assert!(body["error"]["message"].as_str().unwrap_or("").contains("100"), "{body}");
        // The same in a bundle's ticket, and with tiny items.
        let many = format!(r#"{{"ticket": {{"owner": "dev@example.com", "title": "t", "references": [{}]}}, "uploads": [{{"sourcepackage": "foo", "version": "1.0"}}]}}"#, vec![r#""""#; 100_000].join(","));
        let (status, body) = post_raw(&app, "/api/v1/bundle/", "application/json", many.as_bytes()).await;
        assert_names(status, &body, &["validation_failed"], "ticket.references");
        let too_long = format!("https://refs.example/{}", "x".repeat(4096));
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "references": [too_long]})).await;
        assert_names(status, &body, &["validation_failed"], "references[0]");
        assert_eq!(count(&app, TICKET).await, 0);
        let (status, body) = app.dev().post(TICKET, json!({"owner": "dev@example.com", "title": "t", "references": refs[..100]})).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert_eq!(body["references"].as_array().map(Vec::len), Some(100));
    }

    async fn an_in_list_takes_at_most_1000_values(app) {
        let id = app.ticket("in").await;
        let ids = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        let (status, body) = app.anon().get(&format!("{TICKET}?id__in={}", ids(12_000))).await;
        assert_names(status, &body, &["invalid_filter"], "id__in");
        assert!(body["error"]["message"].as_str().unwrap_or("").contains("1000"), "{body}");
        let (status, body) = app.anon().get(&format!("/api/v1/subticket/?ticket__id__in={}", ids(1001))).await;
        assert_names(status, &body, &["invalid_filter"], "ticket__id__in");
        // Several lists count together: no way around the cap.
        let (status, body) = app.anon().get(&format!("{TICKET}?id__in={0}&id__in={0}", ids(600))).await;
        assert_names(status, &body, &["invalid_filter"], "id__in");
        let (status, body) = app.anon().get(&format!("{TICKET}?id__in={}", ids(1000))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["objects"][0]["id"], id);
    }

    async fn a_code_sent_as_an_integral_json_number_is_that_code(app) {
        let id = app.ticket("codes").await;
        let path = format!("/api/v1/updateticketstatus/{id}/");
        for text in [r#"{"current_workflow_step": 1e2, "status": 0.0}"#, r#"{"current_workflow_step": 100.0, "status": 0e5}"#] {
            let response = app.lander().raw(Method::PATCH, &path, Some(("application/json", text.as_bytes().to_vec()))).await;
            let status = response.status();
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(status, StatusCode::ACCEPTED, "{text}: {body}");
            assert_eq!(body["current_workflow_step"], 100, "{body}");
            assert_eq!(body["status"], 0, "{body}");
        }
        for (text, field, quoted) in [(r#"{"current_workflow_step": 100.5, "status": 0}"#, "current_workflow_step", "100.5"), (r#"{"current_workflow_step": 200, "status": 1.5e2}"#, "status", "150")] {
            let response = app.lander().raw(Method::PATCH, &path, Some(("application/json", text.as_bytes().to_vec()))).await;
            let status = response.status();
            let body: Value = response.json().await.expect("JSON");
            assert_names(status, &body, &["validation_failed"], field);
            assert!(body["error"]["message"].as_str().unwrap_or("").contains(quoted), "{text}: {body}");
        }
        assert_eq!(app.anon().get(&format!("/api/v1/ticket/{id}/")).await.1["current_workflow_step"], 100);
    }
}
