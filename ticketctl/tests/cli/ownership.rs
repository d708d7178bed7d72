//! Developer tokens bound to an owner (`ticketd token create --email`):
//! `ticketctl` submits, queues and adds artifacts for that owner, is
//! refused (exit 5, the server's message naming whose ticket it is) for
//! anyone else, while an unbound developer token still acts for anyone.

use serde_json::{Value, json};

use crate::harness::{Outcome, Server, http, submitted_id};

const DEV: &str = "dev@example.com";
const CEO: &str = "ceo@example.com";

/// `ticketctl submit foo=1.2-3` for `owner` with `token`, plus `extra`.
fn submit(server: &Server, token: &str, owner: &str, extra: &[&str]) -> Outcome {
    let mut args = vec!["foo=1.2-3"];
    args.extend_from_slice(extra);
    server.submit_as(token, owner, &args)
}

/// `ticketctl artifact add --ticket ID` (a LOGS reference) with `token`.
fn add_log(server: &Server, token: &str, ticket: &str) -> Outcome {
    let line = format!(
        "artifact add --ticket {ticket} --type LOGS --name build.log --reference https://logs.example/{ticket}"
    );
    let args: Vec<&str> = line.split(' ').collect();
    server.ctl(&args).token(token).run()
}

/// `GET whoami/` with `token`, as JSON.
fn whoami(server: &Server, token: &str) -> Value {
    let answer =
        http(&server.url, "GET", "/api/v1/whoami/", Some(token), None).expect("the server answers");
    assert_eq!(answer.status, 200);
    serde_json::from_slice(&answer.body).expect("whoami/ answers JSON")
}

#[test]
fn a_bound_token_acts_only_for_its_owner_and_an_unbound_one_for_anyone() {
    let server = Server::start();
    let bound = server.bound_developer("alice", DEV);
    assert_eq!(
        whoami(&server, &bound),
        json!({"name": "alice", "role": "developer", "owner": DEV})
    );
    assert_eq!(
        whoami(&server, &server.developer),
        json!({"name": "dev", "role": "developer", "owner": null})
    );

    // As itself: submitted, queued, and its logs added.
    let mine = submit(&server, &bound, DEV, &["--no-queue"]);
    mine.expect_exit(0);
    let mine = submitted_id(&mine).to_string();
    server
        .ctl(&["status", "set", &mine, "--step", "queued", "--status", "0"])
        .token(&bound)
        .run()
        .expect_exit(0);
    add_log(&server, &bound, &mine).expect_exit(0);

    // As the CEO: refused before anything is created, saying whose it is.
    let before = server.tickets().len();
    submit(&server, &bound, CEO, &[])
        .expect_exit(5)
        .expect_stderr(&format!(
            "the new ticket would belong to {CEO}; this token may act only for {DEV}"
        ));
    assert_eq!(server.tickets().len(), before, "nothing was created");

    // The CEO's own ticket, submitted by an unbound developer token.
    let theirs = submit(&server, &server.developer, CEO, &["--no-queue"]);
    theirs.expect_exit(0);
    let theirs = submitted_id(&theirs).to_string();
    let whose = format!("ticket {theirs} belongs to {CEO}; this token may act only for {DEV}");
    server
        .ctl(&[
            "status", "set", &theirs, "--step", "queued", "--status", "0",
        ])
        .token(&bound)
        .run()
        .expect_exit(5)
        .expect_stderr(&whose);
    server
        .as_developer(&[
            "status", "set", &theirs, "--step", "queued", "--status", "0",
        ])
        .expect_exit(0);
    server
        .as_lander(&["ticket", "complete", &theirs])
        .expect_exit(0);
    // No LOGS on someone else's Complete ticket with the bound token...
    add_log(&server, &bound, &theirs)
        .expect_exit(5)
        .expect_stderr(&whose);
    // ...while the unbound developer token still may.
    add_log(&server, &server.developer, &theirs).expect_exit(0);

    let full = server.full_ticket(theirs.parse().expect("an id"));
    let history = full["history"].as_array().expect("history");
    assert!(
        history.iter().all(|e| e["actor"] != "alice"),
        "the bound token left no trace on the CEO's ticket: {full:#}"
    );
    assert_eq!(full["artifacts"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_bound_token_is_the_default_owner_and_whoami_says_whom_it_acts_for() {
    let server = Server::start();
    let bound = server.bound_developer("alice", DEV);
    let submitted = server
        .ctl(&["submit", "foo=1.2-3", "--title", "t", "--description", "d"])
        .token(&bound)
        .env("DEBEMAIL", CEO)
        .run();
    submitted
        .expect_exit(0)
        .expect_stderr(&format!("owner: {DEV} (the token's binding)"));
    assert_eq!(server.full_ticket(submitted_id(&submitted))["owner"], DEV);

    server
        .ctl(&["whoami"])
        .token(&bound)
        .run()
        .expect_exit(0)
        .expect_stdout(&format!(
            "token:   alice, a developer token acting only for {DEV}"
        ));
    let unbound = server.ctl(&["whoami"]).token(&server.developer).run();
    unbound
        .expect_exit(0)
        .expect_stdout("dev, a developer token (");
    assert!(!unbound.stdout.contains("acting only"), "{unbound:?}");
}
