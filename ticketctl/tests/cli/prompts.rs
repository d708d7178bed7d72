//! Missing input is asked for only on a terminal; otherwise it is a usage
//! error naming the flag, at once. The owner falls back to DEBEMAIL.

use std::time::Duration;

use serde_json::Value;

use crate::harness::{Outcome, Server, submitted_id};

/// Far below the 60 s kill: a prompt waiting on input would hit that.
const PROMPTLY: Duration = Duration::from_secs(15);

#[track_caller]
fn refused_promptly(outcome: &Outcome, flag: &str) {
    outcome.expect_exit(2).expect_stderr(flag);
    assert!(outcome.elapsed < PROMPTLY, "not prompt:\n{outcome:?}");
}

#[test]
fn no_input_without_a_title_is_a_usage_error_naming_title() {
    let server = Server::start();
    let outcome = server.as_developer(&[
        "submit",
        "foo=1.0-1",
        "--no-input",
        "--description",
        "d",
        "--owner",
        "dev@example.com",
    ]);
    refused_promptly(&outcome, "--title");
    assert_eq!(server.tickets(), Vec::<Value>::new());
}

#[test]
fn both_missing_flags_are_named_at_once() {
    let server = Server::start();
    let outcome = server.as_developer(&[
        "submit",
        "foo=1.0-1",
        "--no-input",
        "--owner",
        "dev@example.com",
    ]);
    refused_promptly(&outcome, "--title and --description are required");
    assert_eq!(server.tickets(), Vec::<Value>::new());
}

#[test]
fn without_a_terminal_a_missing_title_is_a_usage_error_not_a_prompt() {
    let server = Server::start();
    // stdin is /dev/null and stdout/stderr are pipes: no terminal anywhere.
    let outcome = server.as_developer(&[
        "submit",
        "foo=1.0-1",
        "--description",
        "d",
        "--owner",
        "dev@example.com",
    ]);
    refused_promptly(&outcome, "--title");
    assert_eq!(server.tickets(), Vec::<Value>::new());
}

#[test]
fn no_input_without_a_description_is_a_usage_error_naming_description() {
    let server = Server::start();
    let outcome = server.as_developer(&[
        "submit",
        "foo=1.0-1",
        "--no-input",
        "--title",
        "t",
        "--owner",
        "dev@example.com",
    ]);
    refused_promptly(&outcome, "--description");
    assert_eq!(server.tickets(), Vec::<Value>::new());
}

#[test]
fn without_owner_debemail_or_config_submit_is_a_usage_error_naming_owner() {
    let server = Server::start();
    let outcome = server.as_developer(&[
        "submit",
        "foo=1.0-1",
        "--no-input",
        "--title",
        "t",
        "--description",
        "d",
    ]);
    refused_promptly(&outcome, "--owner");
    assert_eq!(server.tickets(), Vec::<Value>::new());
}

#[test]
fn debemail_with_a_display_name_gives_the_owner_address() {
    let server = Server::start();
    let outcome = server
        .ctl(&[
            "submit",
            "foo=1.0-1",
            "--no-input",
            "--title",
            "t",
            "--description",
            "d",
        ])
        .token(&server.developer)
        .env("DEBEMAIL", "Jane Doe <jane@example.com>")
        .run();
    outcome.expect_exit(0);
    let full = server.full_ticket(submitted_id(&outcome));
    assert_eq!(full["owner"], "jane@example.com", "{full:#}");
    assert_eq!(
        full["subtickets"][0]["assignee"], "jane@example.com",
        "the assignee defaults to the owner"
    );
}

#[test]
fn the_owner_setting_wins_over_debemail_and_the_flag_over_both() {
    let server = Server::start();
    server
        .ctl(&["config", "set", "owner", "set@example.com"])
        .run()
        .expect_exit(0);
    let submit = |owner_flag: Option<&str>| {
        let mut args = vec![
            "submit",
            "foo=1.0-1",
            "--no-input",
            "--title",
            "t",
            "--description",
            "d",
        ];
        if let Some(owner) = owner_flag {
            args.extend(["--owner", owner]);
        }
        let outcome = server
            .ctl(&args)
            .token(&server.developer)
            .env("DEBEMAIL", "env@example.com")
            .run();
        outcome.expect_exit(0);
        server.full_ticket(submitted_id(&outcome))["owner"].clone()
    };
    assert_eq!(submit(None), "set@example.com");
    assert_eq!(submit(Some("flag@example.com")), "flag@example.com");
}

#[test]
fn an_empty_description_is_allowed_by_flag_and_at_the_prompt_alike() {
    let server = Server::start();
    let by_flag = server.as_developer(&[
        "submit",
        "foo=1.0-1",
        "--title",
        "by flag",
        "--description",
        "",
        "--owner",
        "dev@example.com",
    ]);
    by_flag.expect_exit(0);
    let full = server.full_ticket(submitted_id(&by_flag));
    assert_eq!(full["description"], "", "{full:#}");

    let at_prompt = server
        .ctl(&["submit", "foo=1.0-1", "--owner", "dev@example.com"])
        .token(&server.developer)
        .stdin(b"at the prompt\n\n")
        .on_terminal()
        .run();
    at_prompt
        .expect_exit(0)
        .expect_stdout("Title")
        .expect_stdout("Description");
    let tickets = server.tickets();
    let prompted = tickets
        .iter()
        .find(|t| t["title"] == "at the prompt")
        .unwrap_or_else(|| panic!("no ticket from the prompt: {tickets:#?}\n{at_prompt:?}"));
    assert_eq!(prompted["description"], "", "{prompted:#}");
}
