//! Read commands: JSON arrays, paging, tables, the admin's package import
//! and people, completions, and a reader that goes away early.

use serde_json::{Value, json};

use crate::harness::{Server, drain, http, wait_bounded};

/// Create a ticket directly through the API (a fast fixture).
fn post_ticket(server: &Server, title: &str, description: &str) {
    let body = json!({"title": title, "owner": "dev@example.com", "description": description});
    let answer = http(
        &server.url,
        "POST",
        "/api/v1/ticket/",
        Some(&server.developer),
        Some(&body.to_string()),
    )
    .expect("the server answers");
    assert_eq!(
        answer.status,
        201,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
}

#[track_caller]
fn array_len(value: &Value) -> usize {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a JSON array: {value}"))
        .len()
}

#[test]
fn json_ticket_list_prints_an_array_even_when_empty() {
    let server = Server::start();
    assert_eq!(server.read_json(&["ticket", "list"]), json!([]));
    post_ticket(&server, "only one", "");
    let list = server.read_json(&["ticket", "list"]);
    assert_eq!(array_len(&list), 1);
    assert_eq!(list[0]["title"], "only one");
}

#[test]
fn ticket_list_shows_twenty_by_default_and_every_ticket_with_all() {
    let server = Server::start();
    for i in 1..=26 {
        server
            .as_developer(&[
                "ticket",
                "create",
                "--title",
                &format!("ticket number {i}"),
                "--owner",
                "dev@example.com",
            ])
            .expect_exit(0);
    }
    let page = server.read_json(&["ticket", "list"]);
    assert_eq!(array_len(&page), 20);
    // Newest first, as a developer wants them.
    assert_eq!(page[0]["title"], "ticket number 26");
    assert_eq!(page[19]["title"], "ticket number 7");
    let all = server.read_json(&["ticket", "list", "--all"]);
    assert_eq!(array_len(&all), 26);
    assert_eq!(all[25]["title"], "ticket number 1");

    let table = server.as_developer(&["ticket", "list", "--limit", "3"]);
    table
        .expect_exit(0)
        .expect_stdout("TITLE")
        .expect_stdout("ticket number 24");
    assert_eq!(table.stdout.lines().count(), 4, "a header and 3 rows");
    // Piped, the table is all there is: no hint about more pages.
    assert_eq!(table.stderr, "", "{table:?}");
}

#[track_caller]
fn titles(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("an array")
        .iter()
        .filter_map(|t| t["title"].as_str())
        .collect()
}

#[test]
fn ticket_list_sorts_reverses_and_says_on_a_terminal_when_more_match() {
    let server = Server::start();
    for title in ["b second", "c third", "a first"] {
        post_ticket(&server, title, "");
    }
    assert_eq!(
        titles(&server.read_json(&["ticket", "list"])),
        ["a first", "c third", "b second"]
    );
    assert_eq!(
        titles(&server.read_json(&["ticket", "list", "--reverse"])),
        ["b second", "c third", "a first"]
    );
    assert_eq!(
        titles(&server.read_json(&["ticket", "list", "--sort", "title"])),
        ["a first", "b second", "c third"]
    );
    assert_eq!(
        titles(&server.read_json(&["ticket", "list", "--sort", "title", "--reverse"])),
        ["c third", "b second", "a first"]
    );
    assert_eq!(
        titles(&server.read_json(&["ticket", "list", "--sort", "id", "--limit", "1"])),
        ["a first"]
    );

    // `--limit 0` used to print "no tickets" while tickets exist.
    server
        .as_developer(&["ticket", "list", "--limit", "0"])
        .expect_exit(2)
        .expect_stderr("--limit");
    server
        .as_developer(&["ticket", "list", "--sort", "owner"])
        .expect_exit(2)
        .expect_stderr("possible values: created, updated, id, title");

    // On a terminal (script(1) gives the command one), stderr says that
    // more tickets match than the page shows.
    let on_a_terminal = |limit: &str| {
        let out = server
            .ctl(&["ticket", "list", "--limit", limit])
            .token(&server.developer)
            .on_terminal()
            .run();
        out.expect_exit(0);
        out.stdout
    };
    let shown = on_a_terminal("2");
    assert!(
        shown.contains("a first") && shown.contains("c third") && !shown.contains("b second"),
        "{shown}"
    );
    assert!(
        shown.contains("showing 2 of 3; --all or --limit N for more"),
        "{shown}"
    );
    let shown = on_a_terminal("3");
    assert!(
        !shown.contains("showing"),
        "every ticket is shown, no hint: {shown}"
    );
}

#[test]
fn list_all_follows_the_next_page_past_the_servers_cap_of_1000() {
    let server = Server::start();
    let entries: Vec<Value> = (0..1001)
        .map(|i| json!({"binary": format!("lib{i:04}x"), "source": format!("src{i:04}"), "version": "1.0-1"}))
        .collect();
    let file = server.home.work("import").join("packages.json");
    std::fs::write(&file, Value::Array(entries).to_string()).expect("write the list");
    server
        .as_admin(&["package", "import", file.to_str().expect("a UTF-8 path")])
        .expect_exit(0)
        .expect_stdout("1001 created");

    let outcome = server.as_developer(&["-v", "--json", "package", "list", "--all"]);
    outcome.expect_exit(0);
    let list = outcome.json();
    let mut names: Vec<&str> = list
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    names.sort_unstable();
    let expected: Vec<String> = (0..1001).map(|i| format!("src{i:04}")).collect();
    assert_eq!(names, expected, "every package, once");
    let pages = outcome
        .stderr
        .lines()
        .filter(|l| l.starts_with("> GET"))
        .count();
    assert_eq!(pages, 2, "two pages were fetched:\n{outcome:?}");
    assert_eq!(
        array_len(&server.read_json(&["package", "list", "--binary"])),
        20
    );
}

#[test]
fn package_import_prints_counts_and_needs_an_admin() {
    let server = Server::start();
    let dir = server.home.work("import");
    let write = |name: &str, entries: Value| {
        let path = dir.join(name);
        std::fs::write(&path, entries.to_string()).expect("write the list");
        path.to_str().expect("a UTF-8 path").to_string()
    };
    let first = write(
        "first.json",
        json!([
            {"binary": "libfoo1", "source": "foo", "version": "1.2-3"},
            {"binary": "foo-tools", "source": "foo", "version": "1.2-3"},
            {"binary": "libbar0", "source": "bar", "version": "0.1-1"}
        ]),
    );
    server
        .as_developer(&["package", "import", &first])
        .expect_exit(5);
    server
        .as_admin(&["package", "import", &first])
        .expect_exit(0)
        .expect_stdout(
            "binaries: 3 created, 0 updated, 0 unchanged, 0 removed; source packages: 2 created",
        );
    let second = write(
        "second.json",
        json!([
            {"binary": "libfoo1", "source": "foo", "version": "1.2-4"},
            {"binary": "foo-tools", "source": "foo", "version": "1.2-3"}
        ]),
    );
    server
        .as_admin(&["package", "import", &second, "--prune"])
        .expect_exit(0)
        .expect_stdout(
            "binaries: 0 created, 1 updated, 1 unchanged, 1 removed; source packages: 0 created",
        );
    server
        .as_developer(&["package", "show", "foo"])
        .expect_exit(0)
        .expect_stdout("libfoo1")
        .expect_stdout("1.2-4");
    let bad = write(
        "bad.json",
        json!([{"binary": "libbaz1", "source": "baz", "version": "not a version"}]),
    );
    server
        .as_admin(&["package", "import", &bad])
        .expect_exit(2)
        .expect_stderr("version");
}

#[test]
fn people_and_teams_are_added_by_an_admin_and_listed_apart() {
    let server = Server::start();
    server
        .as_admin(&[
            "person",
            "add",
            "--name",
            "CI Engineering",
            "--email",
            "ci@lists.example",
            "--team",
        ])
        .expect_exit(0)
        .expect_stdout("added team CI Engineering");
    server
        .as_admin(&[
            "person",
            "add",
            "--name",
            "Jane Doe",
            "--email",
            "jane@example.com",
        ])
        .expect_exit(0)
        .expect_stdout("added person Jane Doe");
    server
        .as_developer(&["person", "add", "--name", "X", "--email", "x@example.com"])
        .expect_exit(5);

    let teams = server.as_developer(&["person", "list", "--teams"]);
    teams.expect_exit(0).expect_stdout("CI Engineering");
    assert!(!teams.stdout.contains("Jane Doe"), "{teams:?}");
    let teams = server.read_json(&["person", "list", "--teams"]);
    assert_eq!(array_len(&teams), 1);
    assert_eq!(teams[0]["is_team"], true);
    let people = server.read_json(&["person", "list", "--people"]);
    assert_eq!(array_len(&people), 1);
    assert_eq!(people[0]["email"], "jane@example.com");
}

#[test]
fn completions_bash_prints_a_completion_script() {
    let server = Server::start();
    let outcome = server.ctl(&["completions", "bash"]).run();
    outcome
        .expect_exit(0)
        .expect_stdout("_ticketctl()")
        .expect_stdout("complete -F _ticketctl");
    for subcommand in ["submit", "login", "status"] {
        outcome.expect_stdout(subcommand);
    }
}

#[test]
fn a_reader_that_closes_its_end_at_once_leaves_a_list_exiting_0_quietly() {
    let server = Server::start();
    // More than a pipe buffer of output, so the write must fail.
    let description = "x".repeat(4096);
    for i in 0..25 {
        post_ticket(&server, &format!("t{i}"), &description);
    }
    for args in [
        &["--json", "ticket", "list", "--all"][..],
        &["ticket", "list", "--all"][..],
    ] {
        let (mut child, args) = server.ctl(args).token(&server.developer).spawn();
        drop(child.0.stdout.take()); // like `| head -0`
        let stderr = drain(child.0.stderr.take());
        let status = wait_bounded(&mut child.0, &args);
        let stderr = stderr.join().expect("stderr reader");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?} ends quietly");
    }
}

#[test]
fn package_list_binary_names_each_binarys_source() {
    let server = Server::start();
    let entries = json!([
        {"binary": "libfoo1", "source": "foo", "version": "1.0-1"},
        {"binary": "foo-utils", "source": "foo", "version": "1.0-1"},
        {"binary": "bar", "source": "bar", "version": "2.0-1"},
    ]);
    let file = server.home.work("import").join("packages.json");
    std::fs::write(&file, entries.to_string()).expect("write the list");
    server
        .as_admin(&["package", "import", file.to_str().expect("a UTF-8 path")])
        .expect_exit(0);
    let listed = server.as_developer(&["package", "list", "--binary"]);
    listed.expect_exit(0).expect_stdout("SOURCE");
    let rows: Vec<Vec<&str>> = listed
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    for (binary, source) in [("libfoo1", "foo"), ("foo-utils", "foo"), ("bar", "bar")] {
        assert!(
            rows.iter()
                .any(|r| r.get(1) == Some(&binary) && r.get(3) == Some(&source)),
            "{binary} of {source}:\n{}",
            listed.stdout
        );
    }
}
