//! The layers of docs/architecture.md, checked against the imports: each
//! module of `ticketd/src` may use only modules of lower layers, and the
//! modules inside a directory (the domain's, the API's, the store's) never
//! use each other in a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first, as docs/architecture.md draws them. A module
/// not listed fails the test: a new module takes its place here and there.
const LAYERS: &[&[&str]] = &[
    &["secrets"],
    &["blobs", "cli", "connections", "systemd"],
    &["store", "metrics"],
    &["domain", "health", "memory", "feed"],
    &["state"],
    &["api"],
    &["web"],
    &["request_limits"],
    &["server"],
    &["config"],
    &["lost_database"],
    &["commands"],
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The module path of a file below `src` (`api/list.rs` → `["api", "list"]`).
fn module_of(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src()).expect("below src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts
}

/// Every `crate::a::b` path a file names, with `use crate::{a, b::c}`
/// groups expanded, as module paths (`["a"]`, `["b", "c"]`); and every
/// `super::x` as a sibling of the file's module.
fn imports(file: &Path) -> BTreeSet<Vec<String>> {
    // Comments may name modules (doc links) without using them.
    let text: String = std::fs::read_to_string(file)
        .expect("read source")
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let module = module_of(file);
    let mut found = BTreeSet::new();
    // The identifiers of a path, up to the first character that ends it.
    let words = |s: &str| -> Vec<String> {
        let mut path = Vec::new();
        for segment in s.split("::") {
            let word: String = segment
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let ended = word.len() < segment.len();
            if !word.is_empty() {
                path.push(word);
            }
            if ended || path.is_empty() {
                break;
            }
        }
        path
    };
    for (index, _) in text.match_indices("crate::") {
        let rest = &text[index + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let path = words(item.trim());
                if !path.is_empty() {
                    found.insert(path);
                }
            }
        } else {
            let path = words(rest);
            if !path.is_empty() {
                found.insert(path);
            }
        }
    }
    // `super::x` in `a/b.rs` (module a::b) names a::x; in `a/mod.rs`
    // (module a) it would leave the directory, which no file does.
    if module.len() >= 2 {
        for (index, _) in text.match_indices("super::") {
            let path = words(&text[index + "super::".len()..]);
            if let Some(first) = path.first() {
                found.insert(vec![module[0].clone(), first.clone()]);
            }
        }
    }
    found
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn each_module_uses_only_lower_layers() {
    let mut wrong = Vec::new();
    let mut unplaced = BTreeSet::new();
    for file in rust_files(&src()) {
        let module = module_of(&file);
        let Some(top) = module.first() else { continue };
        if top == "main" || top == "lib" {
            continue;
        }
        let Some(own) = layer_of(top) else {
            unplaced.insert(top.clone());
            continue;
        };
        for import in imports(&file) {
            let used = &import[0];
            if used == top {
                continue;
            }
            match layer_of(used) {
                Some(layer) if layer < own => {}
                Some(_) => wrong.push(format!(
                    "{} uses crate::{}",
                    file.strip_prefix(src()).unwrap_or(&file).display(),
                    import.join("::")
                )),
                None => {
                    unplaced.insert(used.clone());
                }
            }
        }
    }
    assert!(
        unplaced.is_empty(),
        "modules without a layer (add them to LAYERS and docs/architecture.md): {unplaced:?}"
    );
    assert!(
        wrong.is_empty(),
        "imports against the layers of docs/architecture.md:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_modules_of_one_directory_use_each_other_in_a_circle() {
    // Edges between sibling modules: (directory, from, to).
    let mut edges: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in rust_files(&src()) {
        let module = module_of(&file);
        if module.len() != 2 {
            continue;
        }
        for import in imports(&file) {
            if import.len() >= 2 && import[0] == module[0] && import[1] != module[1] {
                edges
                    .entry(module[0].clone())
                    .or_default()
                    .entry(module[1].clone())
                    .or_default()
                    .insert(import[1].clone());
            }
        }
    }
    for (directory, graph) in &edges {
        if let Some(circle) = find_circle(graph) {
            panic!("in {directory}/: {}", circle.join(" -> "));
        }
    }
    assert!(
        edges.contains_key("domain") && edges.contains_key("store"),
        "the scan found the sibling imports of domain/ and store/"
    );
}

/// A circle in `graph`, as the modules along it, if there is one.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut circle = path[start..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("bundle", vec!["create"]), ("create", vec!["bundle"])]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
            .collect();
    assert_eq!(
        find_circle(&graph),
        Some(vec!["bundle".into(), "create".into(), "bundle".into()])
    );
}

/// Tables that hold the server's own state rather than a resource of the
/// API: migrations, token hashes, bundle idempotency keys, the readiness
/// probe's row and the list counts' cache.
const INTERNAL_TABLES: &[&str] = &[
    "_sqlx_migrations",
    "api_token",
    "idempotency_key",
    "readiness_probe",
    "row_count",
];

/// The registration steps of docs/architecture.md ("Adding a resource")
/// that a test can see: a table made by a migration is in the catalog
/// (`store::ALL_TABLES`) unless it is internal, and every catalog table
/// is listed at `/api/v1/{resource}/` in the OpenAPI document, which the
/// router is built from.
#[tokio::test]
async fn every_table_is_a_catalogued_resource_with_a_documented_list_or_internal() {
    use sqlx::Connection;
    use ticketd::store::{ALL_TABLES, Store, StoreOptions};

    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url, &StoreOptions::default())
        .await
        .expect("open");
    store.migrate().await.expect("migrate");
    store.close().await;
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("open");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let unregistered: Vec<&String> = tables
        .iter()
        .filter(|name| {
            !INTERNAL_TABLES.contains(&name.as_str()) && !ALL_TABLES.iter().any(|t| t.sql == *name)
        })
        .collect();
    assert!(
        unregistered.is_empty(),
        "tables neither in store::ALL_TABLES nor internal: {unregistered:?}"
    );
    assert!(tables.iter().any(|t| t == "ticket"), "{tables:?}");

    let document = ticketd::api::openapi_document().expect("document");
    let undocumented: Vec<&str> = ALL_TABLES
        .iter()
        .map(|t| t.resource)
        .filter(|resource| document["paths"][format!("/api/v1/{resource}/")]["get"].is_null())
        .collect();
    assert!(
        undocumented.is_empty(),
        "catalog tables without a documented list: {undocumented:?}"
    );
}
