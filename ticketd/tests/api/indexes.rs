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
        && !line.starts_with("SCAN CONSTANT ROW")
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
            // A page past the first is another statement on PostgreSQL
            // (the page's ids first, then their rows).
            let deeper = queries(table).into_iter().map(|(name, query)| (format!("{name} offset=40"), ListQuery { offset: 40, ..query }));
            for (name, query) in queries(table).into_iter().chain(deeper) {
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
    async fn every_statement_about_one_object_is_keyed_by_its_index(app) {
        // What a site does to one ticket: submit it (one call and piece by
        // piece), queue it, walk it to Complete, fail another, attach
        // artifacts, and read each object.
        let bundle = serde_json::json!({
            "ticket": {"title": "bundled", "description": "d", "owner": "dev@example.com"},
            "uploads": [
                {"sourcepackage": "foo", "version": "1.0-1",
                 "artifacts": [{"name": "foo.dsc", "reference": "https://files.example/foo.dsc", "type": "SPU"}]},
                {"sourcepackage": "bar", "version": "2.0-1"},
            ],
            "artifacts": [{"name": "image", "reference": "https://images.example/1.img", "type": "IMAGE"}],
            "queue": false,
        });
        let response = app.client().post(app.url("/api/v1/bundle/"))
            .bearer_auth(app.token(shared::Role::Developer))
            .header("Idempotency-Key", "plan-test")
            .json(&bundle)
            .send().await.expect("bundle");
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
        let bundled: serde_json::Value = response.json().await.expect("json");
        let ticket = bundled["id"].as_i64().expect("ticket id");
        let subs: Vec<i64> = bundled["subtickets"].as_array().expect("subtickets").iter()
            .map(|s| s["id"].as_i64().expect("subticket id")).collect();
        for step in [100, 200, 300, 400, 500] {
            let status = if step == 100 { 0 } else { 100 };
            assert!(app.move_ticket(ticket, step, status).await.0.is_success());
            if step > 100 {
                for sub in &subs {
                    assert!(app.move_subticket(*sub, step, 100).await.0.is_success());
                }
            }
        }
        let (code, body) = app.move_ticket(ticket, 1000, 1000).await;
        assert!(code.is_success(), "{body}");
        let (failing, failing_subs) = app.ticket_with_subtickets("fails", &[("foo", "1.0-2")]).await;
        assert!(app.move_ticket(failing, 100, 0).await.0.is_success());
        let (status, body) = app.lander().post("/api/v1/subticketartifact/", serde_json::json!({
            "name": "build.log", "subticket": failing_subs[0], "reference": "https://logs.example/build.log", "type": "LOGS"})).await;
        assert!(status.is_success(), "{body}");
        let (status, body) = app.lander().post("/api/v1/ticketartifact/", serde_json::json!({
            "name": "summary", "ticket": failing, "reference": "https://logs.example/summary", "type": "RESULTS"})).await;
        assert!(status.is_success(), "{body}");
        let artifact = crate::helpers::id_of(&body);
        assert!(app.move_subticket(failing_subs[0], 100, 999).await.0.is_success());
        let entry = |binary: &str| serde_json::json!({"binary": binary, "source": "foo", "version": "1.0-1"});
        let (status, body) = app.admin().post("/api/v1/packagelist/?prune=true", serde_json::json!([entry("libfoo"), entry("foo-bin")])).await;
        assert!(status.is_success(), "{body}");
        let (status, body) = app.admin().post("/api/v1/person/", serde_json::json!({"name": "Alice", "email": "alice@example.com"})).await;
        assert!(status.is_success(), "{body}");
        let person = crate::helpers::id_of(&body);
        let open = app.ticket("still open").await;
        for path in [
            format!("ticket/{ticket}"), format!("fullticket/{ticket}"), format!("fullticket/{failing}"),
            format!("opentickets/{open}"), format!("ticketstatus/{ticket}"), format!("subticket/{}", subs[0]),
            "spu/1".into(), "sourcepackage/1".into(), "binarypackage/1".into(), "event/1".into(),
            format!("ticketartifact/{artifact}"), "subticketartifact/1".into(), format!("person/{person}"),
            "fullticket/?limit=5".into(), "whoami/".into(),
        ] {
            let path = if path.contains('?') || path.ends_with('/') { path } else { format!("{path}/") };
            let (status, body) = app.dev().get(&format!("/api/v1/{path}")).await;
            assert!(status.is_success(), "{path}: {status} {body}");
        }

        let statements = app.statements.statements();
        let keyed: Vec<&String> = statements.iter()
            .filter(|sql| !bookkeeping(sql) && keyed_lookup(sql))
            .collect();
        // The statements this test is about, for a start.
        for must in ["FROM subticket WHERE ticket_id = $1 AND current_workflow_step = $2",
                     "FROM ticket WHERE id = $1", "FROM api_token WHERE token_hash = $1"] {
            assert!(keyed.iter().any(|sql| sql.contains(must)), "not run: {must}");
        }
        let mut offenders = Vec::new();
        for sql in &keyed {
            let mut tx = app.store.write().await.expect("tx");
            let one_key = !several_keys(sql);
            let plan = tx.explain_statement(sql, one_key).await.unwrap_or_else(|err| panic!("{sql}: {err}"));
            let faults = plan_faults(&plan, one_key);
            if !faults.is_empty() {
                offenders.push(format!("{sql}\n    {}\n    plan: {}", faults.join("; "), plan.join(" | ")));
            }
        }
        assert!(keyed.len() > 20, "only {} keyed statements: {keyed:?}", keyed.len());
        assert!(offenders.is_empty(), "{} statements about one object not keyed by their index:\n{}",
            offenders.len(), offenders.join("\n"));
    }

    async fn queue_positions_and_eta_history_are_read_through_their_indexes(app) {
        // A ticket of each kind the progress reads: queued, in the engine,
        // Complete; then their full tickets, one by one and as a page.
        let ids = [app.ticket("queued").await, app.ticket("building").await, app.ticket("done").await];
        for (id, step, status) in [(ids[0], 100, 0), (ids[1], 200, 100), (ids[2], 1000, 1000)] {
            assert!(app.move_ticket(id, step, status).await.0.is_success());
        }
        for path in [format!("fullticket/{}/", ids[0]), format!("fullticket/{}/", ids[1]), "fullticket/?limit=5".into()] {
            let (status, body) = app.anon().get(&format!("/api/v1/{path}")).await;
            assert!(status.is_success(), "{path}: {body}");
        }
        let statements = app.statements.statements();
        let queue: Vec<&String> = statements.iter().filter(|sql| sql.contains("FROM page")).collect();
        let history: Vec<&String> = statements.iter().filter(|sql| sql.contains("ORDER BY in_step_since DESC")).collect();
        assert!(!queue.is_empty() && !history.is_empty(), "not run: {statements:?}");
        let checks = queue.iter().map(|sql| (sql, vec!["ticket_step_since"]))
            .chain(history.iter().map(|sql| (sql, vec!["ticket_step_since", "event_ticket_steps"])));
        for (sql, indexes) in checks {
            let mut tx = app.store.write().await.expect("tx");
            let plan = tx.explain_statement(sql, false).await.unwrap_or_else(|err| panic!("{sql}: {err}"));
            let shown = plan.join(" | ");
            for index in indexes {
                assert!(plan.iter().any(|l| l.contains(index)), "{sql}\n    does not use {index}: {shown}");
            }
            // No table is read whole: SQLite's walks of the statements' own
            // few rows (the page's values, the recent tickets) aside.
            let own_rows = |l: &str| ["SCAN page", "CONSTANT ROWS", "SCAN recent"].iter().any(|own| l.contains(own));
            let scans: Vec<&String> = plan.iter().filter(|l| full_scan(l) && !own_rows(l)).collect();
            assert!(scans.is_empty(), "{sql}\n    reads a whole table: {shown}");
            // The ticket range is keyed by the step (and, for the queue,
            // bounded by the ticket's place in it).
            let bounded = |l: &&String| l.contains("current_workflow_step=?") || l.contains("current_workflow_step = ");
            assert!(plan.iter().any(|l| bounded(&l)), "{sql}\n    {shown}");
            if sql.contains("FROM page") {
                assert!(plan.iter().any(|l| bounded(&l) && l.contains("in_step_since")), "{sql}\n    an unbounded count: {shown}");
            }
        }
    }

    async fn the_web_pages_statements_are_served_by_indexes(app) {
        // Tickets at the steps the pages list, one failed with a log.
        let (queued, _) = crate::web::submit(&app, "a@example.com", "queued", true).await;
        let (building, _) = crate::web::submit(&app, "a@example.com", "building", true).await;
        assert!(app.move_ticket(building, 200, 100).await.0.is_success());
        let (failed, sub) = crate::web::submit(&app, "a@example.com", "failed", true).await;
        assert!(app.move_subticket(sub, 100, 999).await.0.is_success());
        let (done, _) = crate::web::submit(&app, "a@example.com", "done", true).await;
        assert!(app.move_ticket(done, 1000, 1000).await.0.is_success());
        crate::web::submit(&app, "a@example.com", "new", false).await;
        let before = app.statements.statements();
        // Every list the pages show unfiltered, and a ticket.
        for path in ["/".to_string(), "/?step=new".into(), "/?step=complete".into(),
                     "/?step=failed".into(), format!("/ticket/{failed}"), format!("/ticket/{queued}")] {
            let page = crate::web::page(&app, &path).await;
            assert_eq!(page.status, reqwest::StatusCode::OK, "{path}");
        }
        let ran: Vec<String> = app.statements.statements().into_iter()
            .filter(|sql| !before.contains(sql) && !bookkeeping(sql))
            .collect();
        for must in ["WHERE current_workflow_step = $1 ORDER BY in_step_since ASC", "WHERE current_workflow_step = $1 ORDER BY in_step_since DESC",
                     "FROM row_count WHERE tbl IN ("] {
            assert!(ran.iter().any(|sql| sql.contains(must)), "not run: {must} in {ran:#?}");
        }
        assert!(!ran.iter().any(|sql| sql.contains("count(*)")), "unfiltered, the pages count nothing: {ran:#?}");
        let mut offenders = Vec::new();
        for sql in &ran {
            let mut tx = app.store.write().await.expect("tx");
            let keyed = keyed_lookup(sql);
            let in_order = !keyed || !several_keys(sql);
            let plan = tx.explain_statement(sql, in_order).await.unwrap_or_else(|err| panic!("{sql}: {err}"));
            let faults = if keyed { plan_faults(&plan, in_order) } else { range_faults(&plan) };
            if !faults.is_empty() {
                offenders.push(format!("{sql}\n    {}\n    plan: {}", faults.join("; "), plan.join(" | ")));
            }
        }
        assert!(offenders.is_empty(), "statements of the pages not served by an index:\n{}", offenders.join("\n"));

        // "My tickets": each list a range of one owner's tickets at a step,
        // in the order they entered it.
        let before = app.statements.statements();
        for path in ["/?owner=a%40example.com", "/?owner=a%40example.com&step=failed"] {
            assert_eq!(crate::web::page(&app, path).await.status, reqwest::StatusCode::OK, "{path}");
        }
        let ran: Vec<String> = app.statements.statements().into_iter()
            .filter(|sql| !before.contains(sql) && sql.contains("owner = $"))
            .collect();
        assert_eq!(ran.len(), 3, "a page in each order and their count: {ran:#?}");
        for sql in &ran {
            let mut tx = app.store.write().await.expect("tx");
            let plan = tx.explain_statement(sql, false).await.unwrap_or_else(|err| panic!("{sql}: {err}"));
            let faults = range_faults(&plan);
            let owners_range = plan.iter().any(|l| l.contains("ticket_owner_step_since"));
            assert!(faults.is_empty() && owners_range, "{sql}\n    {faults:?}\n    plan: {}", plan.join(" | "));
        }
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

/// Columns that name one object, or a few: ids, references to other
/// objects, and unique names.
fn key_column(column: &str) -> bool {
    let column = column.rsplit('.').next().unwrap_or(column);
    matches!(column, "id" | "rowid")
        || column.ends_with("_id")
        || matches!(column, "name" | "token_hash" | "scoped_key" | "tbl")
}

/// Whether `sql` looks up objects by key: `key = $n` or `key IN (…)`.
fn keyed_lookup(sql: &str) -> bool {
    let words: Vec<&str> = sql.split_whitespace().collect();
    words.windows(3).any(|w| {
        key_column(w[0].trim_start_matches('('))
            && ((w[1] == "=" && w[2].starts_with('$')) || (w[1] == "IN" && w[2].starts_with("($")))
    })
}

/// Statements that are not about data: transactions, and the plan test's own.
fn bookkeeping(sql: &str) -> bool {
    [
        "BEGIN",
        "SAVEPOINT",
        "RELEASE",
        "ROLLBACK",
        "SET ",
        "PREPARE",
        "EXECUTE",
        "DEALLOCATE",
        "EXPLAIN",
    ]
    .iter()
    .any(|prefix| sql.starts_with(prefix))
        || sql.contains("pg_advisory")
}

/// The first column an index condition compares, from SQLite's
/// `(a=? AND b=?)` or PostgreSQL's `Index Cond: ((a = $1) AND …)`.
fn leading_column(condition: &str) -> &str {
    let condition = condition.trim_start_matches(['(', ' ']);
    let end = condition
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(condition.len());
    &condition[..end]
}

/// Whether `sql` looks up several keys at once (`key IN ($1, $2, …)`): its
/// rows come from several index ranges, and sorting the few it finds is
/// what any index would need.
fn several_keys(sql: &str) -> bool {
    sql.split(" IN (").skip(1).any(|list| {
        list.split(')')
            .next()
            .is_some_and(|values| values.contains(','))
    })
}

/// What is wrong with a plan for a statement about one object: a table
/// read whole or through an index the lookup's key does not lead, or (when
/// `sorted_by_index`) a sort the index should have made unnecessary.
fn plan_faults(plan: &[String], sorted_by_index: bool) -> Vec<String> {
    // Tables of a few rows each, read whole rightly.
    let small = |line: &str| line.contains("row_count") || line.contains("readiness_probe");
    let mut faults = Vec::new();
    for (i, line) in plan.iter().enumerate() {
        let line = line.trim().trim_start_matches("->").trim();
        if small(line) {
            continue;
        }
        if full_scan(line) {
            faults.push(format!("reads a whole table: {line}"));
        }
        // SQLite: a walk of a whole index is no better for one object.
        if line.starts_with("SCAN ") && line.contains(" USING ") {
            faults.push(format!("reads a whole index: {line}"));
        }
        if let Some(rest) = line.strip_prefix("SEARCH ")
            && let Some(open) = rest.find('(')
            && !key_column(leading_column(&rest[open..]))
        {
            faults.push(format!("searches by a column that is not the key: {line}"));
        }
        if sorted_by_index && line.starts_with("USE TEMP B-TREE FOR ORDER BY") {
            faults.push("sorts instead of reading in index order".into());
        }
        // PostgreSQL.
        if sorted_by_index && (line.starts_with("Sort ") || line.starts_with("Incremental Sort")) {
            faults.push(format!("sorts instead of reading in index order: {line}"));
        }
        if line.contains("Index Scan") || line.contains("Index Only Scan") {
            let condition = plan[i + 1..]
                .iter()
                .map(|l| l.trim())
                .take_while(|l| !l.starts_with("->"))
                .find_map(|l| l.strip_prefix("Index Cond: "));
            match condition {
                Some(condition) if key_column(leading_column(condition)) => {}
                Some(_) => faults.push(format!("searches by a column that is not the key: {line}")),
                None => faults.push(format!("reads a whole index: {line}")),
            }
        }
    }
    faults
}

/// What is wrong with the plan of a page of a list (a step's tickets in
/// the order of an index): a table or an index read whole, an index scan
/// without a condition, or a sort instead of the index's order. The small
/// `row_count` table may be read whole.
fn range_faults(plan: &[String]) -> Vec<String> {
    let mut faults = Vec::new();
    for (i, line) in plan.iter().enumerate() {
        let line = line.trim().trim_start_matches("->").trim();
        if line.contains("row_count") {
            continue;
        }
        if full_scan(line) || (line.starts_with("SCAN ") && line.contains(" USING ")) {
            faults.push(format!("reads a whole table or index: {line}"));
        }
        if line.starts_with("USE TEMP B-TREE")
            || line.starts_with("Sort ")
            || line.starts_with("Incremental Sort")
        {
            faults.push(format!("sorts instead of reading in index order: {line}"));
        }
        let condition = plan[i + 1..]
            .iter()
            .map(|l| l.trim())
            .take_while(|l| !l.starts_with("->"))
            .any(|l| l.starts_with("Index Cond: "));
        // `max(id)` walks the primary key from its end: one entry.
        let newest = line.contains("Backward") && line.contains("_pkey");
        if (line.contains("Index Scan") || line.contains("Index Only Scan"))
            && !condition
            && !newest
        {
            faults.push(format!("reads a whole index: {line}"));
        }
    }
    faults
}

/// SQLite's planner has statistics once tables hold rows: `optimize` (run
/// by `serve` at start and hourly, and when the writer closes) analyzes
/// the tables, and the statistics make the keyed index the planner's
/// choice for a lookup by ticket and step.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_statistics_for_the_planner() {
    let app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite)
        .await
        .expect("SQLite");
    for i in 0..30 {
        app.ticket_with_subtickets(
            &format!("t{i}"),
            &[("foo", &format!("1.{i}")), ("bar", &format!("2.{i}"))],
        )
        .await;
    }
    app.store.optimize().await.expect("optimize");
    let url = format!("sqlite://{}", app.data_dir().join("ticketd.db").display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("open");
    let indexes: Vec<(String,)> =
        sqlx::query_as("SELECT idx FROM sqlite_stat1 WHERE tbl = 'subticket' ORDER BY idx")
            .fetch_all(&mut conn)
            .await
            .expect("sqlite_stat1");
    let indexes: Vec<&str> = indexes.iter().map(|(i,)| i.as_str()).collect();
    assert!(
        indexes.contains(&"subticket_ticket_step") && indexes.contains(&"subticket_step"),
        "{indexes:?}"
    );
    let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN SELECT * FROM subticket WHERE ticket_id = 1 AND current_workflow_step = 0 ORDER BY id")
        .fetch_all(&mut conn).await.expect("plan");
    assert!(
        plan.iter().any(|(_, _, _, detail)| detail
            .contains("subticket_ticket_step (ticket_id=? AND current_workflow_step=?)")),
        "{plan:?}"
    );
}

#[test]
fn plan_faults_tell_a_key_lookup_from_a_guess() {
    assert!(several_keys(
        "SELECT * FROM t WHERE ticket_id IN ($1, $2) ORDER BY id"
    ));
    assert!(!several_keys(
        "SELECT * FROM t WHERE ticket_id IN ($1) ORDER BY id"
    ));
    assert!(!several_keys("SELECT * FROM t WHERE id = $1"));
    let lines = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // The plan SQLite chose without statistics: every New subticket read.
    assert!(
        !plan_faults(
            &lines(&["SEARCH subticket USING INDEX subticket_step (current_workflow_step=?)"]),
            true
        )
        .is_empty()
    );
    assert!(plan_faults(&lines(&["SEARCH subticket USING INDEX subticket_ticket_step (ticket_id=? AND current_workflow_step=?)"]), true).is_empty());
    assert!(
        plan_faults(
            &lines(&["SEARCH ticket USING INTEGER PRIMARY KEY (rowid=?)"]),
            true
        )
        .is_empty()
    );
    assert!(
        !plan_faults(
            &lines(&[
                "SEARCH subticket USING INDEX subticket_ticket (ticket_id=?)",
                "USE TEMP B-TREE FOR ORDER BY"
            ]),
            true
        )
        .is_empty()
    );
    assert!(!plan_faults(&lines(&["SCAN ticket"]), true).is_empty());
    // PostgreSQL.
    assert!(plan_faults(&lines(&["Index Scan using subticket_ticket_step on subticket  (cost=0.15..8.17 rows=1 width=100)",
        "  Index Cond: ((ticket_id = $1) AND (current_workflow_step = $2))"]), true).is_empty());
    assert!(
        !plan_faults(
            &lines(&[
                "Bitmap Heap Scan on subticket",
                "  Recheck Cond: (current_workflow_step = $2)",
                "  ->  Bitmap Index Scan on subticket_step",
                "        Index Cond: (current_workflow_step = $2)"
            ]),
            true
        )
        .is_empty()
    );
    assert!(
        !plan_faults(
            &lines(&[
                "Sort  (cost=1..2)",
                "  Sort Key: id",
                "  ->  Index Scan using subticket_ticket on subticket",
                "        Index Cond: (ticket_id = $1)"
            ]),
            true
        )
        .is_empty()
    );
    assert!(!plan_faults(&lines(&["Seq Scan on ticket"]), true).is_empty());
}
