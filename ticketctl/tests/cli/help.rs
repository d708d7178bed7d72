//! Help, man pages and completions as a user meets them: plain words,
//! examples that stay whole, global options apart, and completions that
//! offer the names a flag takes.

use crate::harness::Server;

#[test]
fn help_speaks_plainly() {
    let server = Server::start();
    let import = server.ctl(&["package", "import", "--help"]).run();
    import
        .expect_exit(0)
        .expect_stdout(r#"with "binary", "source" and "version""#);
    assert!(
        !import.stdout.contains('\\'),
        "no backslashes:\n{}",
        import.stdout
    );
    for command in [
        &["--help"][..],
        &["spu", "--help"],
        &["subticket", "--help"],
        &["ticket", "--help"],
    ] {
        let help = server.ctl(command).run();
        help.expect_exit(0);
        assert!(
            !help.stdout.contains("seed"),
            "{command:?} speaks of the seed:\n{}",
            help.stdout
        );
    }
}

#[test]
fn help_examples_stay_whole_at_80_columns() {
    let server = Server::start();
    let help = server
        .ctl(&["artifact", "add", "--help"])
        .env("COLUMNS", "80")
        .run();
    help.expect_exit(0);
    assert!(
        help.stdout
            .lines()
            .any(|l| l.trim() == "--reference https://ci.example/r/12"),
        "the example URL is on one line:\n{}",
        help.stdout
    );
    assert!(
        help.stdout
            .lines()
            .all(|l| l.chars().count() <= 80 || l.starts_with("Usage:")),
        "nothing but the usage line is wider than 80 columns:\n{}",
        help.stdout
    );
}

#[test]
fn every_subcommand_lists_the_global_options_under_their_own_heading() {
    let server = Server::start();
    for command in [
        &["ticket", "list", "--help"][..],
        &["status", "set", "--help"],
        &["submit", "--help"],
    ] {
        let help = server.ctl(command).run();
        help.expect_exit(0);
        let (own, global) = help
            .stdout
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{command:?} has no Global options heading:\n{help:?}"));
        for flag in [
            "--server",
            "--token",
            "--json",
            "--no-input",
            "--quiet",
            "--utc",
        ] {
            assert!(
                global.contains(flag),
                "{command:?}: {flag} under Global options:\n{help:?}"
            );
            assert!(
                !own.contains(&format!("{flag} ")),
                "{command:?}: {flag} among its own options:\n{help:?}"
            );
        }
    }
}

/// What bash offers after `words`, the last of them being completed, with
/// the script `ticketctl completions bash` prints.
fn bash_offers(server: &Server, words: &[&str]) -> Vec<String> {
    let script = server.ctl(&["completions", "bash"]).run();
    script.expect_exit(0);
    let dir = server.home.work("completions");
    let path = dir.join("ticketctl.bash");
    std::fs::write(&path, &script.stdout).expect("write the script");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let current = words.last().copied().unwrap_or_default();
    let previous = words.len().checked_sub(2).map_or("", |i| words[i]);
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _ticketctl ticketctl '{current}' '{previous}'; \
         printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_step_status_and_artifact_type_names() {
    let server = Server::start();
    assert_eq!(
        bash_offers(
            &server,
            &["ticketctl", "status", "set", "7", "--step", "image-"]
        ),
        ["image-building", "image-testing"]
    );
    assert_eq!(
        bash_offers(
            &server,
            &["ticketctl", "status", "set", "7", "--status", "in"]
        ),
        ["in-progress"]
    );
    assert_eq!(
        bash_offers(
            &server,
            &["ticketctl", "ticket", "list", "--step", "package-"]
        ),
        ["package-building", "package-publishing"]
    );
    assert_eq!(
        bash_offers(&server, &["ticketctl", "artifact", "add", "--type", ""]),
        ["SPU", "RESULTS", "LOGS", "IMAGE"]
    );
    // Codes stay accepted though the completions offer names.
    server
        .as_developer(&["ticket", "list", "--step", "0400"])
        .expect_exit(0);
    server
        .as_lander(&[
            "status", "set", "1", "--step", "nowhere", "--status", "failed",
        ])
        .expect_exit(2)
        .expect_stderr("--step: `nowhere` is not a workflow step; allowed: 0 (new)");
}
