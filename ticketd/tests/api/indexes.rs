//! Every list filter and every order is served by an index: no query of a
//! list reads a whole table. Checked with the backends' own EXPLAIN.

use ticketd::store::{
    ALL_TABLES, COUNT_CAP, Condition, FieldKind, ListQuery, Lookup, OrderBy, SqlValue, Table,
};

fn value(kind: FieldKind) -> SqlValue {
    match kind {
        FieldKind::Text => "x".into(),
        FieldKind::Bool => true.into(),
        _ => 1.into(),
    }
}

/// Every query a list of `table` can make with one filter or one order.
fn queries(table: &'static Table) -> Vec<(String, ListQuery)> {
    let query = |conditions, order| ListQuery {
        table,
        conditions,
        order,
        limit: 20,
        offset: 0,
    };
    let by_id = OrderBy {
        column: "id",
        descending: false,
    };
    let mut all = vec![(
        format!("{} unfiltered", table.resource),
        query(vec![], by_id),
    )];
    for field in table.fields {
        if field.order {
            all.push((
                format!("{} order_by={}", table.resource, field.name),
                query(
                    vec![],
                    OrderBy {
                        column: field.column,
                        descending: true,
                    },
                ),
            ));
        }
        if !field.filter {
            continue;
        }
        let mut lookups = vec![Lookup::Exact];
        match field.kind {
            FieldKind::Text => lookups.extend([Lookup::In, Lookup::StartsWith]),
            FieldKind::Bool => {}
            _ => lookups.extend([Lookup::In, Lookup::Gt, Lookup::Lte]),
        }
        for lookup in lookups {
            let values = if lookup == Lookup::In {
                vec![value(field.kind), value(field.kind)]
            } else {
                vec![value(field.kind)]
            };
            let condition = Condition::Compare {
                column: field.column,
                lookup,
                values,
            };
            all.push((
                format!("{} {}__{lookup:?}", table.resource, field.name),
                query(vec![condition], by_id),
            ));
        }
        if let FieldKind::Ref(target) = field.kind
            && let Some(name) = target
                .fields
                .iter()
                .find(|f| f.filter && matches!(f.kind, FieldKind::Text))
        {
            let inner = Condition::Compare {
                column: name.column,
                lookup: Lookup::Exact,
                values: vec!["x".into()],
            };
            let related = Condition::Related {
                fk_column: field.column,
                table: target.sql,
                inner: Box::new(inner),
            };
            all.push((
                format!("{} {}__{}", table.resource, field.name, name.name),
                query(vec![related], by_id),
            ));
        }
    }
    if table.sql == "ticket" {
        all.push(("opentickets".into(), query(vec![Condition::Open], by_id)));
    }
    all
}

/// A plan line that reads a whole table: SQLite's "SCAN ticket" (no index
/// named) or PostgreSQL's "Seq Scan on ticket".
fn full_scan(line: &str) -> bool {
    let line = line.trim();
    // `row_count` holds a few rows per table; PostgreSQL may rightly read
    // it whole.
    ((line.starts_with("SCAN ") && !line.contains(" USING ")) || line.contains("Seq Scan"))
        && !line.contains("row_count")
        // The bounded count's own subquery, at most the cap's rows.
        && line != "SCAN matches"
}

/// SQLite's walk of a table in rowid order: what `ORDER BY id LIMIT n`
/// should do (it stops after n rows), not a full scan.
fn rowid_walk(line: &str, table: &str) -> bool {
    line.trim() == format!("SCAN {table}")
}

/// The lists whose unfiltered `total_count` comes from the kept row counts.
const LISTS: [&str; 9] = [
    "ticket",
    "sourcepackage",
    "binarypackage",
    "spu",
    "subticket",
    "ticketartifact",
    "subticketartifact",
    "person",
    "event",
];

backend_tests! {
    async fn every_list_filter_and_order_is_served_by_an_index(app) {
        let mut offenders = Vec::new();
        let mut checked = 0;
        for table in ALL_TABLES {
            for (name, query) in queries(table) {
                let mut tx = app.store.write().await.expect("tx");
                let (page, count) = tx.explain(&query).await.expect("explain");
                checked += 1;
                // The count must find its rows by index; the page too, except
                // that ordering by id may walk the primary key.
                let by_id = query.order.column == "id";
                let page_scans = page.iter().any(|l| full_scan(l) && !(by_id && rowid_walk(l, table.sql)));
                // A prefix must bound the index range, not filter a walk of
                // the whole index (PostgreSQL needs pattern indexes for it).
                let unbounded_prefix = name.contains("__StartsWith")
                    && page.iter().any(|l| l.contains("Index Scan"))
                    && !page.iter().any(|l| l.contains("Index Cond"));
                // An unfiltered count reads the kept row count, not the table.
                let counts_table = query.conditions.is_empty()
                    && count.iter().any(|l| l.contains(&format!(" {}", table.sql)) && !l.contains("row_count"));
                if count.iter().any(|l| full_scan(l)) || page_scans || counts_table || unbounded_prefix {
                    offenders.push(format!("{name}:\n    page: {}\n    count: {}", page.join(" | "), count.join(" | ")));
                }
            }
        }
        assert!(checked > 100, "{checked}");
        assert!(offenders.is_empty(), "full table scans:\n{}", offenders.join("\n"));
    }
    async fn kept_row_counts_match_real_counts_after_inserts_and_deletes(app) {
        let entry = |binary: &str| serde_json::json!({"binary": binary, "source": "foo", "version": "1.0-1"});
        let full = serde_json::json!([entry("liba"), entry("libb"), entry("libc")]);
        let (status, body) = app.admin().post("/api/v1/packagelist/", full).await;
        assert!(status.is_success(), "{body}");
        let (status, body) = app.admin().post("/api/v1/packagelist/?prune=true", serde_json::json!([entry("liba")])).await;
        assert!(status.is_success(), "{body}");
        app.ticket_with_subtickets("counted", &[("foo", "1.0-1"), ("bar", "2.0-1")]).await;
        for list in LISTS {
            let (_, kept) = app.anon().get(&format!("/api/v1/{list}/?limit=1")).await;
            // A filter every row passes makes the server count the rows.
            let (_, real) = app.anon().get(&format!("/api/v1/{list}/?limit=1&id__gte=0")).await;
            assert_eq!(kept["meta"]["total_count"], real["meta"]["total_count"], "{list}: {kept} vs {real}");
        }
        let (_, binaries) = app.anon().get("/api/v1/binarypackage/").await;
        assert_eq!(binaries["meta"]["total_count"], 1, "pruned binaries are no longer counted");
    }

    async fn a_broad_filter_counts_up_to_the_cap_and_says_so(app) {
        let entries: Vec<_> = (0..=COUNT_CAP)
            .map(|i| serde_json::json!({"binary": format!("bin{i}"), "source": "foo", "version": "1.0-1"}))
            .collect();
        let (status, body) = app.admin().post("/api/v1/packagelist/", serde_json::Value::Array(entries)).await;
        assert!(status.is_success(), "{body}");
        let total = COUNT_CAP + 1;
        // Unfiltered: the kept count, exact.
        let (_, all) = app.anon().get("/api/v1/binarypackage/?limit=1").await;
        assert_eq!(all["meta"]["total_count"], total, "{}", all["meta"]);
        assert!(all["meta"].get("total_count_capped").is_none(), "{}", all["meta"]);
        // Filtered, first page: counting stops at the cap, and says so.
        let (_, first) = app.anon().get("/api/v1/binarypackage/?version=1.0-1&limit=20").await;
        assert_eq!(first["meta"]["total_count"], COUNT_CAP, "{}", first["meta"]);
        assert_eq!(first["meta"]["total_count_capped"], true, "{}", first["meta"]);
        assert!(first["meta"]["next"].is_string());
        // Filtered, last page: counted past the page, so exact again.
        let (_, last) = app.anon().get(&format!("/api/v1/binarypackage/?version=1.0-1&limit=20&offset={}", total - 1)).await;
        assert_eq!(last["meta"]["total_count"], total, "{}", last["meta"]);
        assert!(last["meta"].get("total_count_capped").is_none(), "{}", last["meta"]);
        assert!(last["meta"]["next"].is_null(), "{}", last["meta"]);
        assert_eq!(last["objects"].as_array().map(Vec::len), Some(1));
        // A narrow filter is exact.
        let (_, one) = app.anon().get("/api/v1/binarypackage/?name=bin7").await;
        assert_eq!(one["meta"]["total_count"], 1);
    }
}
