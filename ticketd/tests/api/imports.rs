//! The project manager's package list import.

use std::time::Instant;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn import(app: &TestApp, list: &Value, prune: bool) -> (StatusCode, Value) {
    let path = if prune {
        "/api/v1/packagelist/?prune=true"
    } else {
        "/api/v1/packagelist/"
    };
    app.admin().post(path, list.clone()).await
}

async fn binaries(app: &TestApp, query: &str) -> Vec<(String, String)> {
    let (_, body) = app
        .anon()
        .get(&format!("/api/v1/binarypackage/?limit=0&{query}"))
        .await;
    body["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|b| {
            (
                b["name"].as_str().unwrap_or("").to_string(),
                b["version"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

backend_tests! {
    async fn an_import_creates_updates_and_prunes_with_counts(app) {
        let list = json!([
            {"binary": "libfoo1", "source": "foo", "version": "1.2-3"},
            {"binary": "foo-utils", "source": "foo", "version": "1.2-3"},
            {"binary": "bar", "source": "bar", "version": "2.0"}
        ]);
        let (status, counts) = import(&app, &list, false).await;
        assert_eq!(status, StatusCode::OK, "{counts}");
        assert_eq!(counts, json!({"created": 3, "updated": 0, "unchanged": 0, "removed": 0, "sources_created": 2}));
        assert_eq!(import(&app, &list, false).await.1, json!({"created": 0, "updated": 0, "unchanged": 3, "removed": 0, "sources_created": 0}));
        let changed = json!([
            {"binary": "libfoo1", "source": "foo", "version": "1.2-4"},
            {"binary": "foo-utils", "source": "foo-ng", "version": "1.2-3"}
        ]);
        assert_eq!(import(&app, &changed, true).await.1, json!({"created": 0, "updated": 2, "unchanged": 0, "removed": 1, "sources_created": 1}));
        assert_eq!(binaries(&app, "order_by=name").await, [("foo-utils".to_string(), "1.2-3".to_string()), ("libfoo1".to_string(), "1.2-4".to_string())]);
        assert_eq!(binaries(&app, "sourcepackage__name=foo-ng").await.len(), 1);
        assert_eq!(binaries(&app, "seeded=false").await.len(), 2);
        assert_eq!(binaries(&app, "version=1.2-4").await.len(), 1);
    }

    async fn a_bad_or_duplicated_entry_rejects_the_whole_list(app) {
        let mut list: Vec<Value> = (0..20).map(|i| json!({"binary": format!("lib{i}"), "source": "src", "version": "1.0"})).collect();
        list[17]["version"] = json!("1.0_bad");
        let (status, body) = import(&app, &Value::Array(list.clone()), false).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"]["fields"]["entries[17].version"].is_string(), "{body}");
        list[17]["version"] = json!("1.0");
        list[5]["binary"] = json!("lib3");
        let (status, body) = import(&app, &Value::Array(list.clone()), false).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body["error"]["fields"]["entries[5].binary"].as_str().unwrap_or("").contains("twice"), "{body}");
        list[5] = json!({"binary": "lib5", "source": "src"});
        let (_, body) = import(&app, &Value::Array(list), false).await;
        assert_eq!(body["error"]["fields"]["entries[5].version"], "is required", "{body}");
        assert!(binaries(&app, "").await.is_empty());
        assert_eq!(app.anon().get("/api/v1/sourcepackage/").await.1["meta"]["total_count"], 0);
    }

    async fn a_distribution_sized_list_imports_in_one_call(app) {
        let list: Vec<Value> = (0..60_000)
            .map(|n| json!({"binary": format!("libpkg{n}"), "source": format!("src{}", n / 3), "version": format!("1.0-{n}")}))
            .collect();
        let started = Instant::now();
        let (status, counts) = import(&app, &Value::Array(list), false).await;
        eprintln!("60,000-entry import took {:?}", started.elapsed());
        assert_eq!(status, StatusCode::OK, "{counts}");
        assert_eq!(counts, json!({"created": 60000, "updated": 0, "unchanged": 0, "removed": 0, "sources_created": 20000}));
        assert_eq!(app.anon().get("/api/v1/binarypackage/").await.1["meta"]["total_count"], 60000);
    }
}
