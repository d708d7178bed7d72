//! `ticketctl watch` and `submit --wait`: a line per change as the lander
//! moves the ticket, exit 0 on Complete, 6 on Failed with the failure
//! report, 3 for no such ticket, 7 when `--timeout` comes; NDJSON with
//! `--json`; resumed across a server restart; Ctrl-C says how to resume.

use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::{KillOnDrop, Server, drain, wait_bounded};

/// How long a test waits for a line it expects.
const PATIENCE: Duration = Duration::from_secs(30);

/// A `ticketctl` still running, its stdout read line by line as it comes.
struct Running {
    child: KillOnDrop,
    args: Vec<String>,
    lines: Arc<Mutex<Vec<String>>>,
    stderr: std::thread::JoinHandle<String>,
}

impl Running {
    fn start(server: &Server, args: &[&str]) -> Running {
        let (mut child, args) = server.ctl(args).token(&server.developer).spawn();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.0.stdout.take().expect("piped stdout");
        let stderr = drain(child.0.stderr.take());
        let sink = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().expect("lines").push(line);
            }
        });
        Running {
            child,
            args,
            lines,
            stderr,
        }
    }

    fn printed(&self) -> Vec<String> {
        self.lines.lock().expect("lines").clone()
    }

    /// Wait until a line containing `needle` is printed.
    #[track_caller]
    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        while !self.printed().iter().any(|l| l.contains(needle)) {
            assert!(
                Instant::now() < deadline,
                "no line with `{needle}` within {PATIENCE:?}:\n{}",
                self.printed().join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Wait for the exit: its code, everything printed, and stderr.
    fn finish(mut self) -> (Option<i32>, String, String) {
        let status = wait_bounded(&mut self.child.0, &self.args);
        // The reader thread ends with the pipe; give it a moment to push.
        std::thread::sleep(Duration::from_millis(50));
        let printed = self.printed().join("\n");
        let stderr = self.stderr.join().expect("stderr reader");
        (status.code(), printed, stderr)
    }
}

/// The lander runs `ticketctl LINE` (words split at spaces), with
/// `--message MESSAGE` if given, which must succeed.
fn lander(server: &Server, line: &str, message: Option<&str>) {
    let mut args: Vec<&str> = line.split(' ').collect();
    if let Some(message) = message {
        args.extend(["--message", message]);
    }
    server.as_lander(&args).expect_exit(0);
}

#[test]
fn watch_prints_each_change_and_exits_0_when_the_ticket_completes() {
    let server = Server::start();
    let id = server
        .submit_versions(&["foo=1.0-1", "bar=2.0-1"])
        .to_string();
    let watching = Running::start(&server, &["watch", &id]);
    watching.wait_for(&format!(
        "ticket {id}: Fix the frobnicator — Queued: Not Started"
    ));

    lander(
        &server,
        &format!("status set {id} --step package-building --status in-progress"),
        None,
    );
    watching.wait_for("ticket 1  200 Package Building: In Progress (from Queued) (lander)");
    lander(
        &server,
        "status set --subticket 1 --step 200 --status in-progress",
        None,
    );
    lander(
        &server,
        "status set --subticket 1 --step 200 --status succeeded",
        Some("built on amd64"),
    );
    watching.wait_for(
        "  subticket 1 foo 1.0-1  200 Package Building: In Progress -> Succeeded — built on amd64 (lander)",
    );
    lander(&server, &format!("ticket complete {id}"), None);
    let (code, printed, stderr) = watching.finish();
    assert_eq!(code, Some(0), "{printed}\n{stderr}");
    assert!(
        printed.contains("  subticket 2 bar 2.0-1  1000 Complete: Complete (from Queued) — completed with its ticket (lander)"),
        "{printed}"
    );
    let last = printed.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("ticket {id} is Complete (since ")),
        "{printed}"
    );
    // Every change once, in order: no line twice.
    let changes: Vec<&str> = printed.lines().filter(|l| l.contains("(lander)")).collect();
    let mut unique = changes.clone();
    unique.dedup();
    assert_eq!(changes, unique, "{printed}");
}

#[test]
fn watch_exits_6_with_the_failure_report_when_the_ticket_fails() {
    let server = Server::start();
    let id = server.submit_versions(&["foo=1.0-1"]).to_string();
    let watching = Running::start(&server, &["watch", &id]);
    watching.wait_for("Queued: Not Started");
    lander(
        &server,
        "status set --subticket 1 --step package-building --status failed",
        Some("FTBFS on armhf"),
    );
    let (code, printed, stderr) = watching.finish();
    assert_eq!(code, Some(6), "{printed}\n{stderr}");
    for needle in [
        "FAILED at Package Building",
        "Where:   foo 1.0-1 (subticket 1)",
        "Why:     FTBFS on armhf",
        "Next:",
    ] {
        assert!(printed.contains(needle), "`{needle}` in:\n{printed}");
    }
    assert!(
        stderr.contains(&format!("ticket {id} failed at Package Building")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("ticketctl ticket logs {id}")),
        "{stderr}"
    );

    // Already failed: at once, the same way.
    let again = server.as_developer(&["watch", &id]);
    again
        .expect_exit(6)
        .expect_stdout("FAILED at Package Building");
    assert!(again.elapsed < Duration::from_secs(5), "{again:?}");
}

#[test]
fn watch_exits_0_at_once_on_a_complete_ticket_3_on_none_and_7_at_the_timeout() {
    let server = Server::start();
    let id = server.submit_versions(&["foo=1.0-1"]).to_string();
    let waited = server.as_developer(&["watch", &id, "--timeout", "1s"]);
    waited
        .expect_exit(7)
        .expect_stderr(&format!(
            "ticket {id} is still at Queued: Not Started after 1s"
        ))
        .expect_stderr(&format!("`ticketctl watch {id}` follows it again"));
    assert!(waited.elapsed < Duration::from_secs(10), "{waited:?}");

    lander(&server, &format!("ticket complete {id}"), None);
    server
        .as_developer(&["watch", &id])
        .expect_exit(0)
        .expect_stdout(&format!("ticket {id} is Complete"));
    server
        .as_developer(&["watch", "999"])
        .expect_exit(3)
        .expect_stderr("999");
    server
        .as_developer(&["watch", &id, "--timeout", "soon"])
        .expect_exit(2)
        .expect_stderr("--timeout");
}

#[test]
fn watch_json_prints_one_event_object_per_line() {
    let server = Server::start();
    let id = server.submit_versions(&["foo=1.0-1"]).to_string();
    let watching = Running::start(&server, &["watch", &id, "--json"]);
    // Nothing is printed before the first change: give the watch time to
    // read the ticket (what comes after, it gets from the history anyway).
    std::thread::sleep(Duration::from_secs(2));
    lander(
        &server,
        &format!("status set {id} --step 200 --status in-progress"),
        None,
    );
    lander(&server, &format!("ticket complete {id}"), None);
    let (code, printed, stderr) = watching.finish();
    assert_eq!(code, Some(0), "{printed}\n{stderr}");
    let events: Vec<Value> = printed
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let history = server.full_ticket(id.parse().expect("an id"))["history"].clone();
    let last_four: Vec<&Value> = history
        .as_array()
        .expect("history")
        .iter()
        .rev()
        .take(events.len())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let ids = |list: Vec<&Value>| list.iter().map(|e| e["id"].clone()).collect::<Vec<_>>();
    assert_eq!(ids(events.iter().collect()), ids(last_four), "{printed}");
    assert_eq!(
        events.len(),
        3,
        "a move and a completion with its subticket: {printed}"
    );
}

#[test]
fn watch_survives_a_server_restart_and_misses_nothing() {
    let mut server = Server::start();
    let id = server.submit_versions(&["foo=1.0-1"]).to_string();
    let watching = Running::start(&server, &["watch", &id]);
    watching.wait_for("Queued: Not Started");
    server.restart();
    // A change while the watch reconnects: it comes from the history.
    lander(
        &server,
        &format!("status set {id} --step 200 --status in-progress"),
        None,
    );
    watching.wait_for("200 Package Building: In Progress (from Queued)");
    lander(&server, &format!("ticket complete {id}"), None);
    let (code, printed, stderr) = watching.finish();
    assert_eq!(code, Some(0), "{printed}\n{stderr}");
    assert!(stderr.contains("reconnecting in"), "it said so: {stderr}");
    assert_eq!(
        printed.matches("(from Queued) (lander)").count(),
        1,
        "the move once: {printed}"
    );
}

#[test]
fn ctrl_c_stops_watching_and_says_how_to_resume() {
    let server = Server::start();
    let id = server.submit_versions(&["foo=1.0-1"]).to_string();
    let watching = Running::start(&server, &["watch", &id]);
    watching.wait_for("Queued: Not Started");
    std::thread::sleep(Duration::from_millis(200));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &watching.child.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let (code, _, stderr) = watching.finish();
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.contains(&format!("`ticketctl watch {id}` follows it again")),
        "{stderr}"
    );
}

#[test]
fn submit_wait_follows_the_new_ticket_as_watch_does() {
    let server = Server::start();
    let submitting = Running::start(
        &server,
        &[
            "submit",
            "foo=1.0-1",
            "--title",
            "t",
            "--description",
            "d",
            "--owner",
            "dev@example.com",
            "--wait",
        ],
    );
    submitting.wait_for("ticket 1: t — Queued: Not Started");
    lander(
        &server,
        "status set 1 --step 200 --status failed",
        Some("no space left"),
    );
    let (code, printed, stderr) = submitting.finish();
    assert_eq!(code, Some(6), "{printed}\n{stderr}");
    assert!(printed.starts_with("ticket 1: http://"), "{printed}");
    assert!(printed.contains("Why:     no space left"), "{printed}");
    server
        .as_developer(&["submit", "foo=1.0-1", "--timeout", "1m"])
        .expect_exit(2)
        .expect_stderr("--wait");
}

#[test]
fn show_and_watch_say_how_long_in_step_the_place_in_the_queue_and_the_eta() {
    let server = Server::start();
    let first = server.submit_versions(&["foo=1.0-1"]).to_string();
    let second = server.submit_versions(&["bar=1.0-1"]).to_string();
    server
        .as_developer(&["ticket", "show", &first])
        .expect_exit(0)
        .expect_stdout("  In step: 0s in Queued (since ")
        .expect_stdout("  Queue:   next in the queue")
        .expect_stdout("  ETA:     no estimate yet: too few tickets have completed");
    server
        .as_developer(&["ticket", "show", &second])
        .expect_exit(0)
        .expect_stdout("  Queue:   1 ticket ahead in the queue");

    // Five tickets walked through every step give the medians an estimate.
    for n in 0..5 {
        let id = server
            .submit_versions(&[&format!("done{n}=1.0-1")])
            .to_string();
        for step in ["200", "300", "400", "500"] {
            lander(
                &server,
                &format!("status set {id} --step {step} --status in-progress"),
                None,
            );
        }
        lander(&server, &format!("ticket complete {id}"), None);
    }
    let watching = Running::start(&server, &["watch", &second, "--timeout", "2s"]);
    watching.wait_for("  ETA:     complete around ");
    watching.wait_for("from the 5 tickets completed last");
    let (code, printed, _) = watching.finish();
    assert_eq!(code, Some(7), "{printed}");
    assert!(
        printed.contains("  Queue:   1 ticket ahead in the queue"),
        "{printed}"
    );
}
