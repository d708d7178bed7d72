//! `ticketctl submit`: files checked before anything is sent, blobs, one bundle.

use crate::harness::{Env, http_status, write_dsc};

fn submit(env: &Env, args: &[&str]) -> crate::harness::Run {
    let mut all = vec!["submit"];
    all.extend(args);
    all.extend([
        "--title",
        "Fix it",
        "--description",
        "LP: #1",
        "--owner",
        "dev@example.com",
    ]);
    env.run(&env.developer, &all)
}

fn ticket_count(env: &Env) -> usize {
    let run = env.run(&env.developer, &["--json", "ticket", "list", "--all"]);
    assert_eq!(run.code, 0, "{run:?}");
    run.json().as_array().map_or(0, Vec::len)
}

#[test]
fn submitting_a_dsc_uploads_its_files_and_creates_a_queued_ticket() {
    let env = Env::start();
    for signed in [false, true] {
        let dir = env.dir().join(if signed { "signed" } else { "plain" });
        std::fs::create_dir_all(&dir).expect("mkdir");
        let (dsc, digests) = write_dsc(&dir, "foo", "1.2-3", signed);
        let run = submit(&env, &[dsc.to_str().expect("utf-8")]);
        assert_eq!(run.code, 0, "{run:?}");
        let id = run
            .stdout
            .split_whitespace()
            .nth(1)
            .expect("ticket N:")
            .trim_end_matches(':')
            .to_string();
        assert!(
            run.stdout
                .contains(&format!("{}/api/v1/fullticket/{id}/", env.server)),
            "{}",
            run.stdout
        );

        let full = env
            .run(&env.developer, &["--json", "ticket", "show", &id])
            .json();
        assert_eq!(full["current_workflow_step"], 100);
        let sub = &full["subtickets"][0];
        assert_eq!(sub["source_package_upload"]["sourcepackage"]["name"], "foo");
        assert_eq!(sub["source_package_upload"]["version"], "1.2-3");
        let names: Vec<&str> = sub["artifacts"]
            .as_array()
            .expect("artifacts")
            .iter()
            .filter_map(|a| a["name"].as_str())
            .collect();
        assert_eq!(
            names,
            [
                "foo_1.2-3.dsc",
                "foo_1.2.orig.tar.gz",
                "foo_1.2-3.debian.tar.xz"
            ]
        );
        for digest in &digests {
            let reference = format!("/api/v1/blob/{digest}");
            assert!(
                sub["artifacts"]
                    .as_array()
                    .expect("artifacts")
                    .iter()
                    .any(|a| a["reference"] == reference.as_str() && a["type"] == "SPU")
            );
            assert_eq!(
                http_status(&env.server, &reference),
                Some(200),
                "the blob was uploaded"
            );
        }
    }
}

#[test]
fn source_equals_version_submits_without_files() {
    let env = Env::start();
    let run = submit(&env, &["foo=1.2-3", "bar=2.0-1"]);
    assert_eq!(run.code, 0, "{run:?}");
    let full = env
        .run(&env.developer, &["--json", "ticket", "show", "1"])
        .json();
    assert_eq!(full["subtickets"].as_array().map(Vec::len), Some(2));
    let run = submit(&env, &["baz=1.0", "--no-queue"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        env.run(&env.developer, &["--json", "ticket", "show", "2"])
            .json()["current_workflow_step"],
        0
    );
}

#[test]
fn a_checksum_mismatch_sends_nothing() {
    let env = Env::start();
    let (dsc, digests) = write_dsc(env.dir(), "foo", "1.2-3", false);
    std::fs::write(
        env.dir().join("foo_1.2-3.debian.tar.xz"),
        b"tampered after the build",
    )
    .expect("tamper");
    let run = submit(&env, &[dsc.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("foo_1.2-3.debian.tar.xz"),
        "{}",
        run.stderr
    );
    assert_eq!(ticket_count(&env), 0);
    assert_eq!(
        http_status(&env.server, &format!("/api/v1/blob/{}", digests[0])),
        Some(404),
        "not even the good file went up"
    );
}

#[test]
fn a_missing_listed_file_sends_nothing() {
    let env = Env::start();
    let (dsc, _) = write_dsc(env.dir(), "foo", "1.2-3", false);
    std::fs::remove_file(env.dir().join("foo_1.2.orig.tar.gz")).expect("rm");
    let run = submit(&env, &[dsc.to_str().expect("utf-8")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("foo_1.2.orig.tar.gz"), "{}", run.stderr);
    assert_eq!(ticket_count(&env), 0);
}

#[test]
fn missing_input_is_a_usage_error_and_never_a_prompt() {
    let env = Env::start();
    let started = std::time::Instant::now();
    for extra in [&["--no-input"][..], &[]] {
        let mut args = vec![
            "submit",
            "foo=1.0",
            "--owner",
            "dev@example.com",
            "--description",
            "d",
        ];
        args.extend(extra);
        let run = env.run(&env.developer, &args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("--title"), "{}", run.stderr);
    }
    let run = env.run(
        &env.developer,
        &[
            "submit",
            "foo=1.0",
            "--title",
            "t",
            "--owner",
            "dev@example.com",
            "--no-input",
        ],
    );
    assert!(
        run.code == 2 && run.stderr.contains("--description"),
        "{run:?}"
    );
    let run = env.run(
        &env.developer,
        &["submit", "foo=1.0", "--title", "t", "--description", "d"],
    );
    assert!(run.code == 2 && run.stderr.contains("--owner"), "{run:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "no command waited for input"
    );
    assert_eq!(ticket_count(&env), 0);

    let mut command = env.command(&["submit", "foo=1.0", "--title", "t", "--description", "d"]);
    command
        .env("TICKETCTL_TOKEN", &env.developer)
        .env("DEBEMAIL", "Jane Doe <jane@example.com>");
    let run = env.run_with(command);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        env.run(&env.developer, &["--json", "ticket", "show", "1"])
            .json()["owner"],
        "jane@example.com"
    );
}

#[test]
fn a_submission_retries_until_the_server_comes_up() {
    let home = tempfile::tempdir().expect("tempdir");
    let port = crate::harness::free_port();
    let mut command = std::process::Command::new(crate::harness::TICKETCTL);
    command
        .args([
            "submit",
            "foo=1.0",
            "--title",
            "t",
            "--description",
            "d",
            "--owner",
            "dev@example.com",
            "--server",
        ])
        .arg(format!("http://127.0.0.1:{port}"))
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    // Nothing listens on the port until ticketctl has begun retrying. The
    // command carries no token (the server's tokens are made as it starts),
    // so a retry that reaches the server is refused with exit 5, where a
    // submission that gave up would exit 1.
    let submitting = std::thread::spawn(move || crate::harness::run_command(&mut command));
    std::thread::sleep(std::time::Duration::from_millis(700));
    let env = Env::start_in(home, port);
    let run = submitting.join().expect("thread");
    assert_eq!(run.code, 5, "{run:?}");
    assert!(run.stderr.contains("retrying"), "{}", run.stderr);
    drop(env);
}
