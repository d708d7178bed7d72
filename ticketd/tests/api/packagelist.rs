//! `POST packagelist/`, the project manager's import, as an admin sees it:
//! counts of what changed, idempotent re-imports, updates, `?prune=true`,
//! all-or-nothing rejection naming the bad entry and its problem,
//! admin-only access, `binarypackage/` reflecting the result, and a whole
//! distribution's list (the one 60,000-entry import of each backend).

use std::collections::HashMap;
use std::time::Instant;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn entry(binary: &str, source: &str, version: &str) -> Value {
    json!({"binary": binary, "source": source, "version": version})
}

/// The first list: three binaries of two sources.
fn first_list() -> Value {
    json!([
        entry("libfoo1", "foo", "1.2-3"),
        entry("foo-utils", "foo", "1.2-3"),
        entry("bar", "bar", "2.0-1"),
    ])
}

fn counts(created: u64, updated: u64, unchanged: u64, removed: u64, sources_created: u64) -> Value {
    json!({
        "created": created,
        "updated": updated,
        "unchanged": unchanged,
        "removed": removed,
        "sources_created": sources_created,
    })
}

/// POST a list as an admin; `query` is appended to the path.
async fn import(app: &TestApp, query: &str, list: &Value) -> (StatusCode, Value) {
    app.admin()
        .post(&format!("/api/v1/packagelist/{query}"), list.clone())
        .await
}

/// Import a list that must succeed; its counts.
async fn import_ok(app: &TestApp, query: &str, list: &Value) -> Value {
    let (status, body) = import(app, query, list).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// Every binary matching `query`, by name: `(name, source name, version)`.
async fn binaries(app: &TestApp, query: &str) -> Vec<(String, String, String)> {
    let (status, body) = app
        .anon()
        .get(&format!(
            "/api/v1/binarypackage/?limit=0&order_by=name&{query}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    let mut sources: HashMap<String, String> = HashMap::new();
    let mut rows = Vec::new();
    for b in body["objects"].as_array().expect("objects") {
        let source_uri = b["sourcepackage"]
            .as_str()
            .expect("a sourcepackage reference")
            .to_string();
        if !sources.contains_key(&source_uri) {
            let (status, source) = app.anon().get(&source_uri).await;
            assert_eq!(status, StatusCode::OK, "{source_uri}: {source}");
            let name = source["name"].as_str().expect("name").to_string();
            sources.insert(source_uri.clone(), name);
        }
        rows.push((
            b["name"].as_str().expect("name").to_string(),
            sources[&source_uri].clone(),
            b["version"].as_str().expect("version").to_string(),
        ));
    }
    rows
}

/// Every source package: `(resource_uri, name)`.
async fn source_names(app: &TestApp) -> Vec<(String, String)> {
    let (status, body) = app.anon().get("/api/v1/sourcepackage/?limit=0").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|s| {
            (
                s["resource_uri"].as_str().expect("uri").to_string(),
                s["name"].as_str().expect("name").to_string(),
            )
        })
        .collect()
}

fn row(name: &str, source: &str, version: &str) -> (String, String, String) {
    (name.to_string(), source.to_string(), version.to_string())
}

async fn total(app: &TestApp, list: &str) -> i64 {
    let (status, body) = app.anon().get(&format!("/api/v1/{list}/")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["meta"]["total_count"].as_i64().expect("total_count")
}

backend_tests! {
    async fn an_import_creates_binaries_and_sources_with_counts(app) {
        // foo already exists: it is reused, not counted as created.
        let (status, foo) = app.dev().post("/api/v1/sourcepackage/", json!({"name": "foo"})).await;
        assert_eq!(status, StatusCode::CREATED, "{foo}");
        assert_eq!(import_ok(&app, "", &first_list()).await, counts(3, 0, 0, 0, 1));
        assert_eq!(
            binaries(&app, "").await,
            [row("bar", "bar", "2.0-1"), row("foo-utils", "foo", "1.2-3"), row("libfoo1", "foo", "1.2-3")]
        );
        let (_, libfoo) = app.anon().get("/api/v1/binarypackage/?name=libfoo1").await;
        let libfoo = &libfoo["objects"][0];
        assert_eq!(libfoo["sourcepackage"], foo["resource_uri"]);
        assert_eq!(libfoo["seeded"], false);
        assert!(libfoo["id"].is_i64() && libfoo["created"].is_string(), "{libfoo}");
        let (status, detail) = app.anon().get(libfoo["resource_uri"].as_str().expect("uri")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(&detail, libfoo);
        assert_eq!(total(&app, "sourcepackage").await, 2);
    }

    async fn importing_the_same_list_again_changes_nothing(app) {
        import_ok(&app, "", &first_list()).await;
        let before = binaries(&app, "").await;
        let (_, listed) = app.anon().get("/api/v1/binarypackage/?order_by=id").await;
        assert_eq!(import_ok(&app, "", &first_list()).await, counts(0, 0, 3, 0, 0));
        assert_eq!(import_ok(&app, "?prune=true", &first_list()).await, counts(0, 0, 3, 0, 0));
        assert_eq!(binaries(&app, "").await, before);
        let (_, again) = app.anon().get("/api/v1/binarypackage/?order_by=id").await;
        assert_eq!(again["objects"], listed["objects"], "the same rows, ids included");
    }

    async fn a_changed_version_or_source_is_an_update(app) {
        import_ok(&app, "", &first_list()).await;
        let changed = json!([
            entry("libfoo1", "foo", "1.2-4"),
            entry("foo-utils", "foo-ng", "1.2-3"),
            entry("bar", "bar", "2.0-1"),
        ]);
        assert_eq!(import_ok(&app, "", &changed).await, counts(0, 2, 1, 0, 1));
        assert_eq!(
            binaries(&app, "").await,
            [row("bar", "bar", "2.0-1"), row("foo-utils", "foo-ng", "1.2-3"), row("libfoo1", "foo", "1.2-4")]
        );
        // An updated binary keeps its identity.
        let (_, one) = app.anon().get("/api/v1/binarypackage/?name=libfoo1").await;
        assert_eq!(one["meta"]["total_count"], 1);
        assert_eq!(total(&app, "binarypackage").await, 3);
        // Updates, a new source and a removal in one pruning import.
        let pruned = json!([entry("libfoo1", "foo", "1.2-5"), entry("foo-utils", "foo-tools", "1.2-3")]);
        assert_eq!(import_ok(&app, "?prune=true", &pruned).await, counts(0, 2, 0, 1, 1));
        assert_eq!(binaries(&app, "").await, [row("foo-utils", "foo-tools", "1.2-3"), row("libfoo1", "foo", "1.2-5")]);
        assert_eq!(binaries(&app, "sourcepackage__name=foo-tools").await, [row("foo-utils", "foo-tools", "1.2-3")]);
        assert_eq!(binaries(&app, "version=1.2-5").await, [row("libfoo1", "foo", "1.2-5")]);
    }

    async fn prune_removes_binaries_no_longer_listed_and_only_then(app) {
        import_ok(&app, "", &first_list()).await;
        let shorter = json!([entry("libfoo1", "foo", "1.2-3"), entry("baz", "baz", "0.1")]);
        // Without prune, an unlisted binary stays.
        assert_eq!(import_ok(&app, "", &shorter).await, counts(1, 0, 1, 0, 1));
        assert_eq!(total(&app, "binarypackage").await, 4);
        assert_eq!(import_ok(&app, "?prune=true", &shorter).await, counts(0, 0, 2, 2, 0));
        assert_eq!(binaries(&app, "").await, [row("baz", "baz", "0.1"), row("libfoo1", "foo", "1.2-3")]);
        // Source packages are not binaries: they stay.
        assert_eq!(total(&app, "sourcepackage").await, 3);
        // prune accepts the usual boolean spellings; false prunes nothing.
        assert_eq!(import_ok(&app, "?prune=False", &json!([entry("libfoo1", "foo", "1.2-3")])).await, counts(0, 0, 1, 0, 0));
        assert_eq!(import_ok(&app, "?prune=1", &json!([entry("libfoo1", "foo", "1.2-3")])).await, counts(0, 0, 1, 1, 0));
    }

    async fn a_bad_entry_rejects_the_whole_list_naming_it(app) {
        import_ok(&app, "", &first_list()).await;
        let binaries_before = binaries(&app, "").await;
        let sources_before = source_names(&app).await;
        // Entries 0..=2 change what exists, the rest add; entry 17 is bad.
        let mut list: Vec<Value> = (0..20).map(|i| entry(&format!("libnew{i}"), "newsrc", "1.0-1")).collect();
        list[0] = entry("libfoo1", "foo", "9.9-9");
        list[1] = entry("foo-utils", "other", "1.2-3");
        list[17]["version"] = json!("1.0_bad version");
        let (status, body) = import(&app, "?prune=true", &Value::Array(list)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        assert!(body["error"]["fields"]["entries[17].version"].is_string(), "{body}");
        assert_eq!(binaries(&app, "").await, binaries_before, "no binary changed");
        assert_eq!(source_names(&app).await, sources_before, "no source created");
    }

    async fn a_duplicated_binary_rejects_the_whole_list_naming_it(app) {
        import_ok(&app, "", &first_list()).await;
        let binaries_before = binaries(&app, "").await;
        let sources_before = source_names(&app).await;
        let list = json!([
            entry("libfoo1", "foo", "1.2-4"),
            entry("libnew", "newsrc", "1.0"),
            entry("libfoo1", "foo", "1.2-5"),
        ]);
        let (status, body) = import(&app, "", &list).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "validation_failed");
        let problem = body["error"]["fields"]["entries[2].binary"].as_str().unwrap_or("");
        assert!(problem.contains("twice"), "{body}");
        assert_eq!(binaries(&app, "").await, binaries_before);
        assert_eq!(source_names(&app).await, sources_before);
    }

    async fn an_entry_with_a_bad_name_or_an_unknown_field_is_named(app) {
        let (status, body) = import(&app, "", &json!([entry("libfoo1", "foo", "1.0"), entry("Bad_Name", "foo", "1.0")])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body["error"]["fields"]["entries[1].binary"].is_string(), "{body}");
        let (status, body) = import(&app, "", &json!([entry("libfoo1", "foo", "1.0"), {"binary": "x1", "source": "x", "version": "1", "arch": "amd64"}])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "unknown_field");
        assert!(body["error"]["fields"]["entries[1].arch"].is_string(), "{body}");
        let (status, body) = import(&app, "", &json!([entry("libfoo1", "foo", "1.0"), {"binary": "x1", "source": "x"}])).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["fields"]["entries[1].version"], "is required", "{body}");
        assert_eq!(total(&app, "binarypackage").await, 0);
        assert_eq!(total(&app, "sourcepackage").await, 0);
    }

    async fn only_an_admin_may_import(app) {
        for (name, session) in [("developer", app.dev()), ("lander", app.lander())] {
            let (status, body) = session.post("/api/v1/packagelist/", first_list()).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {body}");
            assert_eq!(body["error"]["code"], "forbidden");
        }
        let (status, body) = app.anon().post("/api/v1/packagelist/", first_list()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(total(&app, "binarypackage").await, 0);
        assert_eq!(total(&app, "sourcepackage").await, 0);
        assert_eq!(import_ok(&app, "", &first_list()).await, counts(3, 0, 0, 0, 2));
    }

    async fn binarypackage_filters_reflect_the_import(app) {
        import_ok(&app, "", &json!([
            entry("libfoo1", "foo", "1.2-3"),
            entry("foo-utils", "foo", "1.2-3"),
            entry("libfoobar", "foobar", "1.2-3"),
            entry("bar", "bar", "2.0-1"),
        ])).await;
        assert_eq!(binaries(&app, "sourcepackage__name=foo").await, [row("foo-utils", "foo", "1.2-3"), row("libfoo1", "foo", "1.2-3")]);
        assert_eq!(binaries(&app, "sourcepackage__name=bar").await, [row("bar", "bar", "2.0-1")]);
        assert_eq!(binaries(&app, "version=2.0-1").await, [row("bar", "bar", "2.0-1")]);
        assert_eq!(binaries(&app, "version=1.2-3").await.len(), 3);
        assert_eq!(binaries(&app, "seeded=false").await.len(), 4);
        assert!(binaries(&app, "seeded=true").await.is_empty());
        assert_eq!(binaries(&app, "name__startswith=lib").await.len(), 2);
        // After an update, the filters follow.
        import_ok(&app, "", &json!([entry("libfoo1", "bar", "2.0-1")])).await;
        assert_eq!(binaries(&app, "sourcepackage__name=foo").await, [row("foo-utils", "foo", "1.2-3")]);
        assert_eq!(binaries(&app, "version=2.0-1").await, [row("bar", "bar", "2.0-1"), row("libfoo1", "bar", "2.0-1")]);
        // A filter the resource does not have is refused, not ignored.
        let (status, body) = app.anon().get("/api/v1/binarypackage/?colour=red").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    }

    async fn a_60000_entry_list_imports_with_the_right_counts(app) {
        let list = Value::Array(
            (0..60_000)
                .map(|n| entry(&format!("libpkg{n}"), &format!("src{}", n / 3), &format!("1.0-{n}")))
                .collect(),
        );
        let started = Instant::now();
        let (status, body) = import(&app, "", &list).await;
        eprintln!("packagelist: importing 60,000 entries took {:?}", started.elapsed());
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, counts(60_000, 0, 0, 0, 20_000));
        assert_eq!(total(&app, "binarypackage").await, 60_000);
        assert_eq!(total(&app, "sourcepackage").await, 20_000);
        assert_eq!(binaries(&app, "name=libpkg59999").await, [row("libpkg59999", "src19999", "1.0-59999")]);
        assert_eq!(binaries(&app, "sourcepackage__name=src7").await, [row("libpkg21", "src7", "1.0-21"), row("libpkg22", "src7", "1.0-22"), row("libpkg23", "src7", "1.0-23")]);
        let started = Instant::now();
        let (status, body) = import(&app, "?prune=true", &list).await;
        eprintln!("packagelist: re-importing the same 60,000 entries took {:?}", started.elapsed());
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, counts(0, 0, 60_000, 0, 0));
    }
}
