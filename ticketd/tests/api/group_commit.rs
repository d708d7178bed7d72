//! SQLite group commit as a client sees it: concurrent writes are batched
//! into fewer commits than writes (counted on `/metrics`), every answered
//! write is there afterwards, a write refused inside a batch takes nothing
//! else with it, and with group commit off each write has its own commit.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use ticketd::store::StoreOptions;

use crate::helpers::{Backend, Options, TestApp, id_of};

fn submission(n: usize) -> Value {
    json!({
        "ticket": {"title": format!("change {n}"), "owner": "dev@example.com"},
        "uploads": [
            {"sourcepackage": "foo", "version": format!("1.{n}-1"),
             "artifacts": [{"name": "log", "reference": format!("https://ci.example/{n}/foo"), "type": "LOGS"}]},
            {"sourcepackage": format!("pkg{n}"), "version": "1.0-1"}
        ],
        "artifacts": [{"name": "image", "reference": format!("https://ci.example/{n}/img"), "type": "IMAGE"}],
        "queue": true
    })
}

async fn spawn(group_commit: bool) -> TestApp {
    let options = Options {
        store: StoreOptions {
            group_commit,
            ..StoreOptions::default()
        },
        ..Options::default()
    };
    TestApp::spawn_with(Backend::Sqlite, options)
        .await
        .expect("SQLite always runs")
}

/// A counter of `/metrics`.
async fn counter(app: &TestApp, name: &str) -> u64 {
    let text = app
        .client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("GET /metrics")
        .text()
        .await
        .expect("metrics body");
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics:\n{text}"))
}

/// The counters once the developer token's use has been noted: the first
/// request with a token writes its last use (once a minute at most), a
/// write of its own that the request does not wait for. Counted from
/// after it, writes are the bundles alone.
async fn counters_after_the_tokens_use(app: &TestApp) -> (u64, u64) {
    let writes = counter(app, "ticketd_sqlite_writes_total").await;
    let (status, _) = app.dev().get("/api/v1/whoami/").await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..500 {
        let now = counter(app, "ticketd_sqlite_writes_total").await;
        if now > writes {
            return (now, counter(app, "ticketd_sqlite_commits_total").await);
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the token's use was not written within 5 s");
}

/// Submit `n` bundles at once; each answered 201, each readable after
/// with both subtickets in the state it was answered with.
async fn submit_concurrently(app: &TestApp, n: usize) {
    let dev = app.dev();
    let answers = join_all((0..n).map(|i| {
        let body = submission(i);
        let dev = &dev;
        async move { (i, dev.post("/api/v1/bundle/", body).await) }
    }))
    .await;
    for (i, (status, body)) in answers {
        assert_eq!(status, StatusCode::CREATED, "bundle {i}: {body}");
        let id = id_of(&body);
        let (status, full) = app.anon().get(&format!("/api/v1/fullticket/{id}/")).await;
        assert_eq!(status, StatusCode::OK, "fullticket {id}: {full}");
        assert_eq!(full["title"], format!("change {i}"));
        let subtickets = full["subtickets"].as_array().expect("subtickets");
        assert_eq!(subtickets.len(), 2, "ticket {id}: {full}");
        assert_eq!(full["current_workflow_step"], body["current_workflow_step"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_share_commits_and_every_answered_one_is_kept() {
    let app = spawn(true).await;
    let (writes_before, commits_before) = counters_after_the_tokens_use(&app).await;
    submit_concurrently(&app, 64).await;
    let writes = counter(&app, "ticketd_sqlite_writes_total").await - writes_before;
    let commits = counter(&app, "ticketd_sqlite_commits_total").await - commits_before;
    assert_eq!(writes, 64, "one write per bundle");
    assert!(
        commits < writes,
        "64 concurrent bundles took {commits} commits: nothing was batched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_group_commit_each_write_commits_alone() {
    let app = spawn(false).await;
    let (_, commits_before) = counters_after_the_tokens_use(&app).await;
    submit_concurrently(&app, 16).await;
    let commits = counter(&app, "ticketd_sqlite_commits_total").await - commits_before;
    assert_eq!(commits, 16);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_refused_inside_a_batch_takes_nothing_else_with_it() {
    let app = spawn(true).await;
    let dev = app.dev();
    // Racing creations of one source package (all but one refused by the
    // unique name, inside the batch) among ticket creations and legal
    // status changes on a ticket created before.
    let ticket = app.ticket("moved while others fail").await;
    let racing = (0..24).map(|i| {
        let dev = &dev;
        async move {
            if i % 2 == 0 {
                let (status, body) = dev
                    .post("/api/v1/sourcepackage/", json!({"name": "contested"}))
                    .await;
                ("package", status, body)
            } else {
                let (status, body) = dev
                    .post(
                        "/api/v1/ticket/",
                        json!({"title": format!("ticket {i}"), "owner": "dev@example.com"}),
                    )
                    .await;
                ("ticket", status, body)
            }
        }
    });
    let (moved, answers) = tokio::join!(app.move_ticket(ticket, 100, 0), join_all(racing));
    assert!(moved.0.is_success(), "{} {}", moved.0, moved.1);
    let mut created_packages = 0;
    for (what, status, body) in &answers {
        match *what {
            "package" if status.is_success() => created_packages += 1,
            "package" => assert!(
                status.is_client_error(),
                "a duplicate name is the client's mistake: {status} {body}"
            ),
            _ => {
                assert_eq!(*status, StatusCode::CREATED, "{body}");
                let id = id_of(body);
                let (status, read) = app.anon().get(&format!("/api/v1/ticket/{id}/")).await;
                assert_eq!(status, StatusCode::OK, "ticket {id} answered 201 is there");
                assert_eq!(read["title"], body["title"]);
            }
        }
    }
    assert_eq!(created_packages, 1, "exactly one creation of the name wins");
    let (_, list) = app
        .anon()
        .get("/api/v1/sourcepackage/?name=contested")
        .await;
    assert_eq!(list["meta"]["total_count"], 1, "{list}");
    let (_, read) = app.anon().get(&format!("/api/v1/ticket/{ticket}/")).await;
    assert_eq!(read["current_workflow_step"], 100, "{read}");
}
