//! `GET /api/v1/openapi.json`: a valid OpenAPI 3 document, checked against
//! the router itself: every documented operation answers a real request,
//! and a documented path answers no method it does not document. The
//! `/api/v1/` routes and their documentation come from one declaration
//! (`ticketd/src/api/mod.rs`, `ApiRouter`), which has no way to add a route
//! without its document entry.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::TestApp;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

async fn document(app: &TestApp) -> Value {
    let response = app
        .client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    response.json().await.expect("the document is JSON")
}

/// `METHOD path` of every operation of the document.
fn operations(doc: &Value) -> BTreeSet<String> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| format!("{} {path}", m.to_uppercase()))
        })
        .collect()
}

/// Every `$ref` anywhere in `value`.
fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                found.push(target);
            }
            map.values().for_each(|v| refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, found)),
        _ => {}
    }
}

/// The object a local `$ref` (`#/components/...`) points at.
fn resolve<'a>(doc: &'a Value, target: &str) -> Option<&'a Value> {
    doc.pointer(target.strip_prefix('#')?)
}

backend_tests! {
    async fn the_document_is_valid_openapi_3(app) {
        let doc = document(&app).await;
        let version = doc["openapi"].as_str().expect("openapi version");
        assert!(version.starts_with("3."), "{version}");
        assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
        assert!(!doc["paths"].as_object().expect("paths").is_empty());
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");

        // Every reference resolves.
        let mut targets = Vec::new();
        refs(&doc, &mut targets);
        assert!(!targets.is_empty());
        for target in targets {
            assert!(resolve(&doc, target).is_some(), "dangling $ref {target}");
        }

        for (path, item) in doc["paths"].as_object().expect("paths") {
            for method in METHODS {
                let Some(operation) = item.get(method) else { continue };
                let name = format!("{} {path}", method.to_uppercase());
                assert!(operation["operationId"].is_string(), "{name}: operationId");
                // Path templates and path parameters agree.
                let declared: BTreeSet<&str> = operation["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .filter_map(|p| p["name"].as_str())
                    .collect();
                let templated: BTreeSet<&str> = path
                    .split('/')
                    .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                    .collect();
                assert_eq!(declared, templated, "{name}: path parameters");
                let responses = operation["responses"].as_object().expect("responses");
                assert!(
                    responses.keys().any(|s| s.starts_with('2')),
                    "{name}: no success response"
                );
                // Under /api/v1/, every error answer is documented with the error body.
                if !path.starts_with("/api/v1/") || method == "head" {
                    continue;
                }
                for status in ["400", "401", "500", "503"] {
                    assert!(responses.contains_key(status), "{name}: no {status}");
                }
                for (status, response) in responses {
                    if !(status.starts_with('4') || status.starts_with('5')) {
                        continue;
                    }
                    let response = match response["$ref"].as_str() {
                        Some(target) => resolve(&doc, target).expect("resolved"),
                        None => response,
                    };
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/ErrorBody",
                        "{name} {status}"
                    );
                }
            }
        }
        // Lists take the paging parameters and their filters.
        let list = &doc["paths"]["/api/v1/ticket/"]["get"]["parameters"];
        let names: BTreeSet<&str> = list
            .as_array()
            .expect("list parameters")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for name in ["limit", "offset", "order_by", "owner", "owner__icontains", "current_workflow_step__in", "created__gte"] {
            assert!(names.contains(name), "ticket/ lacks {name}");
        }
        // The error body is the one of `docs/api.md`.
        let error = &doc["components"]["schemas"]["ErrorDetail"];
        assert_eq!(error["required"], json!(["code", "message"]));
    }

    async fn every_route_is_documented_and_answers(app) {
        let doc = document(&app).await;
        let documented = operations(&doc);
        // Each resource's list, object and writes, the status changes, the
        // blob store, the document itself and the routes outside /api/v1/.
        for operation in [
            "GET /api/v1/ticket/", "POST /api/v1/ticket/", "GET /api/v1/ticket/{id}/",
            "PATCH /api/v1/updateticketstatus/{id}/", "PATCH /api/v1/updatesubticketstatus/{id}/",
            "PUT /api/v1/blob/{digest}", "HEAD /api/v1/blob/{digest}", "GET /api/v1/openapi.json",
            "GET /healthz", "GET /readyz", "GET /metrics",
        ] {
            assert!(documented.contains(operation), "{operation} is not documented");
        }

        // Something of every kind, so that every detail route has an object.
        let (ticket, subtickets) = app.ticket_with_subtickets("openapi", &[("foo", "1.0-1")]).await;
        let subticket = subtickets[0];
        let admin = app.admin();
        let (status, body) = admin
            .post("/api/v1/person/", json!({"name": "Dev", "email": "dev@example.com"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let artifact = json!({"name": "log", "reference": "https://example.com/log", "type": "LOGS"});
        let mut body = artifact.clone();
        body["ticket"] = json!(ticket);
        let (status, body) = admin.post("/api/v1/ticketartifact/", body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let mut body = artifact;
        body["subticket"] = json!(subticket);
        let (status, body) = admin.post("/api/v1/subticketartifact/", body).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let (status, body) = admin
            .send(
                app.client()
                    .post(app.url("/api/v1/packagelist/"))
                    .bearer_auth(app.token(shared::Role::Admin))
                    .json(&json!([{"binary": "libfoo1", "source": "foo", "version": "1.0-1"}])),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let content = b"openapi blob".to_vec();
        let digest = hex::encode(Sha256::digest(&content));
        let response = admin
            .raw(Method::PUT, &format!("/api/v1/blob/{digest}"), Some(("application/octet-stream", content)))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);

        for operation in &documented {
            let (method, template) = operation.split_once(' ').expect("METHOD path");
            let id = if template.starts_with("/api/v1/updateticketstatus/") {
                ticket
            } else if template.starts_with("/api/v1/updatesubticketstatus/") {
                subticket
            } else if let Some(list) = template.strip_suffix("{id}/") {
                let (status, page) = admin.get(&format!("{list}?limit=1")).await;
                assert_eq!(status, StatusCode::OK, "{list}: {page}");
                page["objects"][0]["id"].as_i64().unwrap_or_else(|| panic!("{list} is empty"))
            } else {
                0
            };
            let path = template.replace("{id}", &id.to_string()).replace("{digest}", &digest);
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let response = match method {
                // A body the route refuses: routed, parsed and answered 400.
                Method::POST | Method::PATCH => {
                    admin.raw(method.clone(), &path, Some(("application/json", b"{\"x\": 1}".to_vec()))).await
                }
                Method::PUT => {
                    admin.raw(method.clone(), &path, Some(("application/octet-stream", b"other".to_vec()))).await
                }
                _ => admin.raw(method.clone(), &path, None).await,
            };
            let status = response.status();
            let want = match method {
                // PUT of a stored blob answers 200 without reading the body.
                Method::GET | Method::HEAD | Method::PUT => StatusCode::OK,
                _ => StatusCode::BAD_REQUEST,
            };
            assert_eq!(status, want, "{operation} ({path})");
        }

        // No path answers a method that it does not document (HEAD comes
        // with GET, OPTIONS is not served).
        for (template, item) in doc["paths"].as_object().expect("paths") {
            let path = template.replace("{id}", "1").replace("{digest}", &digest);
            for method in ["get", "put", "post", "delete", "patch"] {
                if item.get(method).is_some() {
                    continue;
                }
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                let response = admin.raw(method.clone(), &path, None).await;
                assert_eq!(
                    response.status(),
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} answers but is not documented"
                );
            }
        }
    }
}
