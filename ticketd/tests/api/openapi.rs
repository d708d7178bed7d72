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

    async fn request_schemas_carry_what_the_server_enforces(app) {
        let doc = document(&app).await;
        let schemas = &doc["components"]["schemas"];
        let names = request_schemas(&doc);
        for name in ["NewTicket", "StatusChange", "BundleRequest", "BundleUpload", "BundleUploadArtifact", "PackageListEntry", "NewPerson"] {
            assert!(names.contains(name), "{name} is not a request schema: {names:?}");
        }
        for name in &names {
            let mut all = Vec::new();
            subschemas(&schemas[name.as_str()], &mut all);
            for schema in all {
                // The server refuses unknown fields in every body; a
                // branch narrowing some properties leaves the rest alone.
                if schema["type"] == "object" {
                    assert_eq!(schema["additionalProperties"], false, "{name}: {schema}");
                } else {
                    assert!(schema.get("additionalProperties").is_none(), "{name}: {schema}");
                }
                // No string may hold a NUL: each says what it takes.
                let string = schema["type"] == "string"
                    || schema["type"].as_array().is_some_and(|t| t.contains(&json!("string")));
                if string {
                    assert!(
                        schema.get("pattern").is_some() || schema.get("enum").is_some(),
                        "{name}: a string without a pattern: {schema}"
                    );
                }
                // References name the resource they point at.
                assert_ne!(schema["$ref"], "#/components/schemas/Ref", "{name}");
            }
        }
        assert_eq!(schemas["BundleRequest"]["properties"]["uploads"]["minItems"], 1);
        assert_eq!(schemas["NewTicket"]["properties"]["references"]["items"]["minLength"], 1);
        assert_eq!(
            schemas["StatusChange"]["properties"]["current_workflow_step"]["$ref"],
            "#/components/schemas/StepInput"
        );
        assert_eq!(schemas["StatusChange"]["anyOf"].as_array().map(Vec::len), Some(3));
        assert_eq!(
            schemas["NewUpload"]["properties"]["sourcepackage"]["oneOf"][1]["pattern"],
            "^([1-9][0-9]{0,17}|/api/v1/sourcepackage/[1-9][0-9]{0,17}/?)$"
        );
        let params = doc["paths"]["/api/v1/ticket/"]["get"]["parameters"].as_array().expect("parameters");
        let param = |name: &str| {
            params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("no {name}"))
        };
        assert_eq!(param("id__in")["schema"]["pattern"], "^(-?[0-9]{1,18})?(,(-?[0-9]{1,18})?)*$");
        assert_eq!(param("title__contains")["schema"]["pattern"], "^[^\\u0000]*$");
    }

    async fn every_spelling_and_relation_the_document_names_is_accepted(app) {
        let doc = document(&app).await;
        let admin = app.admin();
        // Steps and statuses in every spelling the document lists.
        for (schema, field) in [("StepInput", "current_workflow_step"), ("StatusInput", "status")] {
            let branches = doc["components"]["schemas"][schema]["oneOf"].as_array().expect("oneOf");
            let spellings: Vec<String> = branches
                .iter()
                .flat_map(|b| b["enum"].as_array().expect("enum"))
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect();
            assert!(spellings.len() > 10, "{schema}: {spellings:?}");
            for spelling in spellings {
                let value = spelling.replace(' ', "%20");
                for query in [format!("{field}={value}"), format!("{field}__in={value},{value}")] {
                    let (status, body) = admin.get(&format!("/api/v1/ticket/?{query}")).await;
                    assert_eq!(status, StatusCode::OK, "{query}: {body}");
                }
            }
        }
        // Every relation filter named, with a value of its schema; nothing else.
        let mut checked = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            let Some(params) = item["get"]["parameters"].as_array() else { continue };
            let Some(relations) = params.iter().find(|p| p["name"] == "relations") else { continue };
            let patterns = relations["schema"]["patternProperties"].as_object().expect("patternProperties");
            assert_eq!(relations["schema"]["additionalProperties"], false, "{path}");
            let mut all = Vec::new();
            for (pattern, schema) in patterns {
                for name in names_of(pattern) {
                    all.push(name);
                    let (status, body) = admin.get(&format!("{path}?{name}={}", filter_example(schema))).await;
                    assert_eq!(status, StatusCode::OK, "{path}?{name}: {body}");
                    checked += 1;
                }
            }
            let relation = all[0].split("__").next().expect("a relation");
            for name in [format!("{relation}___"), format!("{relation}__x"), format!("{relation}__id__name")] {
                assert!(!all.contains(&name.as_str()), "{path}: {name}");
                let (status, _) = admin.get(&format!("{path}?{name}=1")).await;
                assert_eq!(status, StatusCode::BAD_REQUEST, "{path}?{name}");
            }
        }
        assert!(checked > 100, "{checked} relation filters");
    }
}

/// The component schemas a request body uses, directly or through others.
fn request_schemas(doc: &Value) -> BTreeSet<String> {
    let mut pending = Vec::new();
    for item in doc["paths"].as_object().expect("paths").values() {
        for method in METHODS {
            if let Some(body) = item.get(method).and_then(|op| op.get("requestBody")) {
                refs(body, &mut pending);
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(target) = pending.pop() {
        if seen.insert(target.to_string()) {
            refs(resolve(doc, target).expect("resolved"), &mut pending);
        }
    }
    seen.into_iter()
        .filter_map(|t| t.strip_prefix("#/components/schemas/").map(str::to_string))
        .collect()
}

/// Every schema object under `value`, `value` first.
fn subschemas<'a>(value: &'a Value, found: &mut Vec<&'a Value>) {
    if value.is_object() {
        found.push(value);
    }
    match value {
        Value::Object(map) => map.values().for_each(|v| subschemas(v, found)),
        Value::Array(items) => items.iter().for_each(|v| subschemas(v, found)),
        _ => {}
    }
}

/// The names a `^(a|b|c)$` pattern of plain names admits.
fn names_of(pattern: &str) -> Vec<&str> {
    pattern
        .strip_prefix("^(")
        .and_then(|p| p.strip_suffix(")$"))
        .unwrap_or_else(|| panic!("not a list of names: {pattern}"))
        .split('|')
        .collect()
}

/// A value the document admits for a filter of this schema.
fn filter_example(schema: &Value) -> &'static str {
    match schema["$ref"].as_str() {
        Some(r) if r.ends_with("/FlexBool") => "true",
        Some(r) if r.ends_with("/StepInput") || r.ends_with("/StatusInput") => "0",
        Some(r) => panic!("unexpected filter schema {r}"),
        None if schema["format"] == "date-time" => "2026-11-25T06:27:43Z",
        None if schema["type"] == "integer" || schema.get("oneOf").is_some() => "1",
        None => "",
    }
}
