//! The other commands, and every exit code of CLI.md.

use std::io::Read;
use std::process::Stdio;

use crate::harness::Env;

#[test]
fn every_exit_code_means_what_cli_md_says() {
    let env = Env::start();
    assert_eq!(
        env.run(
            &env.developer,
            &[
                "ticket",
                "create",
                "--title",
                "t",
                "--owner",
                "o@example.com"
            ]
        )
        .code,
        0
    );
    let down = env.run(
        &env.developer,
        &["--server", "http://127.0.0.1:1", "ticket", "list"],
    );
    assert_eq!(down.code, 1, "{down:?}");
    assert!(down.stderr.contains("hint:"), "{}", down.stderr);
    assert_eq!(
        env.run(&env.developer, &["ticket", "list", "--no-such-flag"])
            .code,
        2
    );
    assert_eq!(
        env.run(
            &env.developer,
            &[
                "ticket",
                "create",
                "--title",
                "t",
                "--owner",
                "not-an-address"
            ]
        )
        .code,
        2,
        "a server 400"
    );
    assert_eq!(
        env.run(
            &env.developer,
            &["spu", "create", "--source", "foo", "--version", "x y"]
        )
        .code,
        2,
        "caught before sending"
    );
    let missing = env.run(&env.developer, &["ticket", "show", "999"]);
    assert_eq!(missing.code, 3, "{missing:?}");
    assert!(
        missing.stderr.contains("there is no ticket 999"),
        "{}",
        missing.stderr
    );
    assert_eq!(env.run(&env.developer, &["package", "add", "foo"]).code, 0);
    assert_eq!(
        env.run(&env.developer, &["package", "add", "foo"]).code,
        4,
        "a duplicate"
    );
    let refused = env.run(
        &env.developer,
        &[
            "status",
            "set",
            "1",
            "--step",
            "package-building",
            "--status",
            "in-progress",
        ],
    );
    assert_eq!(refused.code, 5, "{refused:?}");
    assert_eq!(env.run("tkd_wrong", &["ticket", "list"]).code, 5);
}

#[test]
fn a_lander_moves_tickets_and_the_failure_report_reads_in_plain_words() {
    let env = Env::start();
    let run = env.run(
        &env.developer,
        &[
            "submit",
            "foo=1.2-3",
            "--title",
            "t",
            "--description",
            "d",
            "--owner",
            "dev@example.com",
        ],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let lander = |args: &[&str]| {
        let run = env.run(&env.lander, args);
        assert_eq!(run.code, 0, "{args:?}: {run:?}");
        run
    };
    lander(&[
        "status",
        "set",
        "1",
        "--step",
        "package-building",
        "--status",
        "in-progress",
    ]);
    lander(&[
        "status",
        "set",
        "--subticket",
        "1",
        "--step",
        "200",
        "--status",
        "failed",
        "--message",
        "FTBFS on armhf",
    ]);
    lander(&[
        "artifact",
        "add",
        "--subticket",
        "1",
        "--type",
        "LOGS",
        "--name",
        "build.log",
        "--reference",
        "https://logs.example/1",
    ]);
    let results = env.dir().join("results.txt");
    std::fs::write(&results, b"2 tests failed").expect("write");
    lander(&[
        "artifact",
        "add",
        "--ticket",
        "1",
        "--type",
        "RESULTS",
        "--name",
        "r",
        "--file",
        results.to_str().expect("utf-8"),
    ]);
    let shown = lander(&["ticket", "show", "1"]).stdout;
    for needle in [
        "FAILED at Package Building",
        "foo 1.2-3",
        "FTBFS on armhf",
        "https://logs.example/1",
        "Next:",
        "/api/v1/blob/",
    ] {
        assert!(shown.contains(needle), "`{needle}` missing from:\n{shown}");
    }
    let complete = env.run(&env.lander, &["ticket", "complete", "1"]);
    assert_eq!(complete.code, 4, "{complete:?}");
}

#[test]
fn login_saves_a_checked_token_for_later_commands() {
    let env = Env::start();
    let mut command = env.command(&["login"]);
    command.stdin(Stdio::piped());
    let mut child = command.spawn().expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{}", env.developer).expect("write token");
    }
    let status = child.wait().expect("wait");
    assert!(status.success());
    let config = env.dir().join(".config/ticketctl/config.toml");
    let text = std::fs::read_to_string(&config).expect("config saved");
    assert!(
        text.contains(&env.developer) && text.contains(&env.server),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&config)
                .expect("meta")
                .permissions()
                .mode()
                & 0o777,
            0o600
        );
    }
    let run = env.run_with(env.command(&[
        "ticket",
        "create",
        "--title",
        "t",
        "--owner",
        "o@example.com",
    ]));
    assert_eq!(run.code, 0, "the saved token is used: {run:?}");
    let shown = env.run_with(env.command(&["config", "show"]));
    assert!(
        shown.stdout.contains("(set)") && !shown.stdout.contains(&env.developer),
        "{}",
        shown.stdout
    );
    let bad = env.run_with({
        let mut c = env.command(&["login", "--token", "tkd_wrong"]);
        c.stdin(Stdio::null());
        c
    });
    assert_eq!(bad.code, 5, "{bad:?}");
}

#[test]
fn lists_page_through_everything_and_print_json_arrays() {
    let env = Env::start();
    for i in 0..25 {
        let run = env.run(
            &env.developer,
            &[
                "ticket",
                "create",
                "--title",
                &format!("t{i}"),
                "--owner",
                "o@example.com",
            ],
        );
        assert_eq!(run.code, 0, "{run:?}");
    }
    let page = env
        .run(&env.developer, &["--json", "ticket", "list"])
        .json();
    assert_eq!(page.as_array().map(Vec::len), Some(20));
    let all = env
        .run(&env.developer, &["--json", "ticket", "list", "--all"])
        .json();
    assert_eq!(all.as_array().map(Vec::len), Some(25));
    let table = env.run(&env.developer, &["ticket", "list", "--limit", "3"]);
    assert!(
        table.stdout.contains("TITLE") && table.stdout.lines().count() == 4,
        "{}",
        table.stdout
    );
}

#[test]
fn admins_import_packages_and_add_people() {
    let env = Env::start();
    let list = env.dir().join("packages.json");
    std::fs::write(
        &list,
        r#"[{"binary": "libfoo1", "source": "foo", "version": "1.2-3"}]"#,
    )
    .expect("write");
    let run = env.run(
        &env.admin,
        &["package", "import", list.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("1 created"), "{}", run.stdout);
    assert_eq!(
        env.run(
            &env.developer,
            &["package", "import", list.to_str().expect("utf-8")]
        )
        .code,
        5
    );
    let shown = env.run(&env.developer, &["package", "show", "foo"]);
    assert!(shown.stdout.contains("libfoo1"), "{}", shown.stdout);
    assert_eq!(
        env.run(
            &env.admin,
            &[
                "person",
                "add",
                "--name",
                "CI",
                "--email",
                "ci@example.com",
                "--team"
            ]
        )
        .code,
        0
    );
    let teams = env
        .run(&env.developer, &["--json", "person", "list", "--teams"])
        .json();
    assert_eq!(teams[0]["is_team"], true);
    let bash = env.run(&env.developer, &["completions", "bash"]);
    assert!(
        bash.code == 0 && bash.stdout.contains("_ticketctl"),
        "{bash:?}"
    );
}

#[test]
fn a_closed_stdout_ends_quietly_with_success() {
    let env = Env::start();
    for i in 0..30 {
        env.run(
            &env.developer,
            &[
                "ticket",
                "create",
                "--title",
                &format!("t{i}"),
                "--owner",
                "o@example.com",
            ],
        );
    }
    let mut command = env.command(&["--json", "ticket", "list", "--all"]);
    command.env("TICKETCTL_TOKEN", &env.developer);
    let mut child = command.spawn().expect("spawn");
    drop(child.stdout.take());
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .map(|mut s| s.read_to_string(&mut stderr));
    assert_eq!(status.code(), Some(0), "{stderr}");
}
