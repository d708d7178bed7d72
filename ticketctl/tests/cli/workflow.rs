//! Moving tickets along: the seed's separate calls, a developer queueing,
//! a lander recording a failure with its logs, the failure report in plain
//! words, and completing a ticket with its subtickets.

use crate::harness::{Server, sha256, submitted_id};

#[test]
fn a_build_failure_with_logs_reads_in_plain_words_in_ticket_show() {
    let server = Server::start();
    let outcome = server.as_developer(&[
        "submit",
        "foo=1.2-3",
        "--title",
        "Fix the frobnicator",
        "--description",
        "LP: #1",
        "--owner",
        "dev@example.com",
    ]);
    outcome.expect_exit(0);
    let id = submitted_id(&outcome).to_string();
    let subticket =
        server.full_ticket(id.parse().expect("an id"))["subtickets"][0]["id"].to_string();

    server
        .as_lander(&[
            "status",
            "set",
            &id,
            "--step",
            "package-building",
            "--status",
            "in-progress",
        ])
        .expect_exit(0)
        .expect_stdout("Package Building");
    server
        .as_lander(&[
            "status",
            "set",
            "--subticket",
            &subticket,
            "--step",
            "200",
            "--status",
            "failed",
            "--message",
            "FTBFS",
        ])
        .expect_exit(0)
        .expect_stdout(&format!("subticket {subticket}: Failed"))
        .expect_stdout(&format!("ticket {id} Failed with it"));
    server
        .as_lander(&[
            "artifact",
            "add",
            "--subticket",
            &subticket,
            "--type",
            "LOGS",
            "--name",
            "build.log",
            "--reference",
            "https://logs.example/1",
        ])
        .expect_exit(0);
    let results = server.home.work("results").join("results.txt");
    let content = b"3 tests, 1 failed\n";
    std::fs::write(&results, content).expect("write the results");
    server
        .as_lander(&[
            "artifact",
            "add",
            "--ticket",
            &id,
            "--type",
            "RESULTS",
            "--name",
            "r",
            "--file",
            results.to_str().expect("a UTF-8 path"),
        ])
        .expect_exit(0);
    assert_eq!(
        server.blob(&sha256(content)).as_deref(),
        Some(&content[..]),
        "--file uploaded the file to the blob store"
    );

    let full = server.full_ticket(id.parse().expect("an id"));
    assert_eq!(full["current_workflow_step"], 999, "{full:#}");
    assert_eq!(full["failure"]["step"], 200);
    assert_eq!(
        full["artifacts"][0]["reference"],
        format!("/api/v1/blob/{}", sha256(content))
    );

    let shown = server.as_developer(&["ticket", "show", &id]);
    shown.expect_exit(0);
    for needle in [
        "FAILED at Package Building",
        "foo",
        "1.2-3",
        "FTBFS",
        "https://logs.example/1",
        "Next:",
    ] {
        shown.expect_stdout(needle);
    }
}

#[test]
fn the_seeds_separate_calls_build_a_ticket_that_a_developer_may_queue() {
    let server = Server::start();
    server
        .as_developer(&["package", "add", "foo"])
        .expect_exit(0)
        .expect_stdout("added source package foo");
    server
        .as_developer(&["spu", "create", "--source", "foo", "--version", "1.2-3"])
        .expect_exit(0)
        .expect_stdout("created upload 1 (foo 1.2-3)");
    server
        .as_developer(&[
            "ticket",
            "create",
            "--title",
            "t",
            "--owner",
            "dev@example.com",
        ])
        .expect_exit(0);
    server
        .as_developer(&["subticket", "create", "--ticket", "1", "--spu", "1"])
        .expect_exit(0)
        .expect_stdout("created subticket 1 on ticket 1");
    server
        .as_developer(&[
            "status",
            "set",
            "1",
            "--step",
            "queued",
            "--status",
            "not-started",
        ])
        .expect_exit(0)
        .expect_stdout("ticket 1: Queued");
    let full = server.full_ticket(1);
    assert_eq!(
        full["subtickets"][0]["current_workflow_step"], 100,
        "queueing a ticket queues its subtickets: {full:#}"
    );
    server
        .as_developer(&["subticket", "create", "--ticket", "1", "--spu", "1"])
        .expect_exit(4)
        .expect_stderr("step 0");
}

#[test]
fn ticket_list_filters_by_open_step_and_owner() {
    let server = Server::start();
    for owner in ["a@example.com", "b@example.com", "a@example.com"] {
        server
            .as_developer(&["ticket", "create", "--title", "t", "--owner", owner])
            .expect_exit(0);
    }
    server
        .as_developer(&["status", "set", "2", "--step", "100", "--status", "0"])
        .expect_exit(0);
    server
        .as_lander(&["ticket", "fail", "3", "--message", "no"])
        .expect_exit(0);
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["ticket", "list"];
        all.extend_from_slice(args);
        server
            .read_json(&all)
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|t| t["id"].as_i64())
            .collect()
    };
    assert_eq!(ids(&[]), [3, 2, 1], "newest first");
    assert_eq!(ids(&["--open"]), [2, 1]);
    assert_eq!(ids(&["--step", "queued"]), [2]);
    assert_eq!(ids(&["--step", "999"]), [3]);
    assert_eq!(ids(&["--owner", "a@example.com"]), [3, 1]);
    // Global flags go after the subcommand too.
    let after = server.as_developer(&["ticket", "list", "--open", "--json"]);
    after.expect_exit(0);
    assert_eq!(after.json().as_array().map(Vec::len), Some(2));
}

#[test]
fn ticket_complete_completes_the_subtickets_with_their_ticket() {
    let server = Server::start();
    let outcome = server.submit_as(
        &server.developer,
        "dev@example.com",
        &["foo=1.2-3", "bar=2.0-1"],
    );
    outcome.expect_exit(0);
    let id = submitted_id(&outcome);
    let full = server.full_ticket(id);
    let subtickets: Vec<String> = full["subtickets"]
        .as_array()
        .expect("subtickets")
        .iter()
        .map(|s| s["resource_uri"].as_str().expect("a URI").to_string())
        .collect();
    assert_eq!(subtickets.len(), 2, "{full:#}");
    server
        .as_lander(&[
            "status",
            "set",
            "--subticket",
            &full["subtickets"][0]["id"].to_string(),
            "--step",
            "package-building",
            "--status",
            "succeeded",
        ])
        .expect_exit(0);

    server
        .as_lander(&["ticket", "complete", &id.to_string()])
        .expect_exit(0)
        .expect_stdout(&format!("ticket {id} is Complete"));

    let full = server.full_ticket(id);
    assert_eq!(full["current_workflow_step"], 1000, "{full:#}");
    for sub in full["subtickets"].as_array().expect("subtickets") {
        assert_eq!(
            (&sub["current_workflow_step"], &sub["status_display"]),
            (&serde_json::json!(1000), &serde_json::json!("Complete")),
            "{full:#}"
        );
    }
    let completed: Vec<(String, i64)> = full["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["message"] == "completed with its ticket")
        .map(|e| {
            assert_eq!(e["to_step"], 1000, "{e}");
            assert_eq!(e["actor"], "lander", "{e}");
            (
                e["subticket"].as_str().unwrap_or_default().to_string(),
                e["from_step"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        completed,
        [(subtickets[0].clone(), 200), (subtickets[1].clone(), 100)],
        "{full:#}"
    );
    let shown = server.as_developer(&["ticket", "show", &id.to_string()]);
    shown
        .expect_exit(0)
        .expect_stdout("completed with its ticket");
}
