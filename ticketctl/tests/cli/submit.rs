//! `ticketctl submit`: files read and checked before anything is sent,
//! each uploaded to the blob store, then one bundle.

use serde_json::Value;

use crate::harness::{Dsc, Outcome, Server, submitted_id};

/// `submit ARGS` as the developer, with a title, description and owner.
pub(crate) fn submit(server: &Server, args: &[&str]) -> Outcome {
    server.submit_as(&server.developer, "dev@example.com", args)
}

/// The one subticket's artifacts as `(name, type, reference)`.
fn artifacts(subticket: &Value) -> Vec<(String, String, String)> {
    subticket["artifacts"]
        .as_array()
        .expect("artifacts is a list")
        .iter()
        .map(|a| {
            let field = |k: &str| a[k].as_str().unwrap_or_default().to_string();
            (field("name"), field("type"), field("reference"))
        })
        .collect()
}

fn a_dsc_submission_uploads_every_file_and_queues_one_subticket(signed: bool) {
    let server = Server::start();
    let dsc = Dsc::write(&server.home.work("upload"), "foo", "1.2-3", signed);
    let outcome = submit(&server, &[dsc.arg()]);
    outcome
        .expect_exit(0)
        .expect_stderr("with 1 upload, Queued");
    let id = submitted_id(&outcome);
    outcome.expect_stdout(&format!("{}/api/v1/fullticket/{id}/", server.url));

    let full = server.full_ticket(id);
    assert_eq!(full["current_workflow_step"], 100, "queued: {full:#}");
    assert_eq!(full["title"], "Fix the frobnicator");
    assert_eq!(full["owner"], "dev@example.com");
    let subtickets = full["subtickets"].as_array().expect("subtickets");
    assert_eq!(subtickets.len(), 1, "{full:#}");
    let upload = &subtickets[0]["source_package_upload"];
    assert_eq!(upload["sourcepackage"]["name"], "foo");
    assert_eq!(upload["version"], "1.2-3");

    let mut expected = vec![(
        dsc.name(),
        "SPU".to_string(),
        format!("/api/v1/blob/{}", dsc.sha256),
    )];
    expected.extend(dsc.files.iter().map(|f| {
        (
            f.name.clone(),
            "SPU".to_string(),
            format!("/api/v1/blob/{}", f.sha256),
        )
    }));
    let mut got = artifacts(&subtickets[0]);
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "the SPU artifacts");

    let dsc_bytes = std::fs::read(&dsc.path).expect("read the .dsc");
    assert_eq!(
        server.blob(&dsc.sha256).as_deref(),
        Some(dsc_bytes.as_slice()),
        "the .dsc itself is in the blob store"
    );
    for file in &dsc.files {
        assert_eq!(
            server.blob(&file.sha256).as_deref(),
            Some(file.content.as_slice()),
            "{} is in the blob store",
            file.name
        );
    }
}

#[test]
fn submitting_a_dsc_uploads_it_and_its_tarballs_and_queues_the_ticket() {
    a_dsc_submission_uploads_every_file_and_queues_one_subticket(false);
}

#[test]
fn submitting_a_clear_signed_dsc_reads_it_without_checking_the_signature() {
    a_dsc_submission_uploads_every_file_and_queues_one_subticket(true);
}

#[test]
fn source_equals_version_arguments_make_one_subticket_each_without_files() {
    let server = Server::start();
    let outcome = submit(&server, &["foo=1.2-3", "bar=2.0-1"]);
    outcome
        .expect_exit(0)
        .expect_stderr("with 2 uploads, Queued");
    let full = server.full_ticket(submitted_id(&outcome));
    assert_eq!(full["current_workflow_step"], 100);
    let uploads: Vec<(String, String, usize)> = full["subtickets"]
        .as_array()
        .expect("subtickets")
        .iter()
        .map(|s| {
            let spu = &s["source_package_upload"];
            (
                spu["sourcepackage"]["name"].as_str().unwrap_or("").into(),
                spu["version"].as_str().unwrap_or("").into(),
                s["artifacts"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert_eq!(
        uploads,
        [
            ("foo".into(), "1.2-3".into(), 0),
            ("bar".into(), "2.0-1".into(), 0)
        ]
    );
}

#[test]
fn no_queue_leaves_the_submitted_ticket_new_and_json_prints_the_full_ticket() {
    let server = Server::start();
    let outcome = submit(&server, &["--json", "foo=1.2-3", "--no-queue"]);
    outcome.expect_exit(0);
    let answer = outcome.json();
    assert_eq!(answer["resource_uri"], "/api/v1/fullticket/1/");
    assert_eq!(answer["current_workflow_step"], 0, "{answer:#}");
    let full = server.full_ticket(1);
    assert_eq!(full["current_workflow_step"], 0, "{full:#}");
    assert_eq!(full["subtickets"][0]["current_workflow_step"], 0);
}

#[test]
fn a_tarball_changed_after_the_dsc_was_written_is_refused_before_anything_is_sent() {
    let server = Server::start();
    let dsc = Dsc::write(&server.home.work("upload"), "foo", "1.2-3", false);
    let tampered = &dsc.files[1];
    let path = dsc.path.with_file_name(&tampered.name);
    // Same size, other bytes: only the checksum can tell.
    let mut bytes = tampered.content.clone();
    bytes[0] ^= 0xff;
    std::fs::write(&path, &bytes).expect("tamper with the tarball");

    let outcome = submit(&server, &[dsc.arg()]);
    outcome.expect_exit(2).expect_stderr(&tampered.name);
    assert!(
        outcome.elapsed.as_secs() < 20,
        "refused at once:\n{outcome:?}"
    );
    assert_eq!(server.tickets(), Vec::<Value>::new(), "no ticket");
    for sha in [
        &dsc.sha256,
        &dsc.files[0].sha256,
        &tampered.sha256,
        &crate::harness::sha256(&bytes),
    ] {
        assert_eq!(server.blob(sha), None, "no blob {sha} was uploaded");
    }
}

#[test]
fn a_file_the_dsc_lists_but_that_is_missing_is_refused_before_anything_is_sent() {
    let server = Server::start();
    let dsc = Dsc::write(&server.home.work("upload"), "foo", "1.2-3", false);
    let missing = &dsc.files[0];
    std::fs::remove_file(dsc.path.with_file_name(&missing.name)).expect("remove the orig");

    let outcome = submit(&server, &[dsc.arg()]);
    outcome.expect_exit(2).expect_stderr(&missing.name);
    assert_eq!(server.tickets(), Vec::<Value>::new(), "no ticket");
    for sha in [&dsc.sha256, &dsc.files[1].sha256] {
        assert_eq!(server.blob(sha), None, "no blob {sha} was uploaded");
    }
}

#[test]
fn a_submission_retries_with_backoff_until_the_server_comes_up() {
    use crate::harness::{Home, KillOnDrop, free_port, ticketd, wait_bounded};
    let home = Home::new();
    let port = free_port();
    let server = format!("http://127.0.0.1:{port}");
    let args = [
        "submit",
        "foo=1.0",
        "--title",
        "t",
        "--description",
        "d",
        "--owner",
        "dev@example.com",
    ];
    let (mut submitting, shown) = home.ctl(&server, &args).spawn();
    // Nothing listens yet; start ticketd once ticketctl has begun retrying.
    std::thread::sleep(std::time::Duration::from_millis(700));
    let data = home.work("data");
    let _ticketd = KillOnDrop(
        std::process::Command::new(ticketd())
            .args([
                "serve",
                "--no-auth",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(&data)
            .env_clear()
            .env("HOME", home.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("ticketd spawns"),
    );
    let status = wait_bounded(&mut submitting.0, &shown);
    let mut stderr = String::new();
    if let Some(mut pipe) = submitting.0.stderr.take() {
        use std::io::Read;
        let _ = pipe.read_to_string(&mut stderr);
    }
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("retrying the submission"), "{stderr}");
}

#[test]
fn a_dsc_that_lists_no_files_is_refused_naming_what_is_missing() {
    let server = Server::start();
    let dir = server.home.work("upload");
    let path = dir.join("foo_1.2-3.dsc");
    std::fs::write(
        &path,
        "Format: 3.0 (quilt)\nSource: foo\nBinary: foo\nVersion: 1.2-3\nMaintainer: Dev <dev@example.com>\n",
    )
    .expect("write the .dsc");

    let outcome = submit(&server, &[path.to_str().expect("a UTF-8 path")]);
    outcome
        .expect_exit(2)
        .expect_stderr("foo_1.2-3.dsc lists no files")
        .expect_stderr("Files or Checksums-Sha256");
    assert_eq!(server.tickets(), Vec::<Value>::new(), "no ticket");
}

#[test]
fn a_wrong_token_during_submit_reads_as_in_every_other_command() {
    let server = Server::start();
    let dsc = Dsc::write(&server.home.work("upload"), "foo", "1.2-3", false);
    let listed = server
        .ctl(&["ticket", "list"])
        .token("tkd_not_a_real_token")
        .run();
    listed.expect_exit(5);
    let submitted = server
        .ctl(&[
            "submit",
            dsc.arg(),
            "--title",
            "t",
            "--description",
            "d",
            "--owner",
            "dev@example.com",
        ])
        .token("tkd_not_a_real_token")
        .run();
    submitted.expect_exit(5);
    assert!(
        !submitted.stderr.contains("HEAD on the blob store"),
        "{submitted:?}"
    );
    assert_eq!(submitted.stderr, listed.stderr, "the same message and hint");
    assert_eq!(server.tickets(), Vec::<Value>::new(), "no ticket");
}

#[test]
fn submitting_the_same_upload_again_is_refused_unless_resubmit() {
    let server = Server::start();
    let dsc = Dsc::write(&server.home.work("upload"), "foo", "1.0", false);
    let first = submit(&server, &[dsc.arg()]);
    first.expect_exit(0);
    let ticket = submitted_id(&first);

    let again = submit(&server, &[dsc.arg()]);
    again
        .expect_exit(4)
        .expect_stderr(&format!("foo 1.0 in ticket {ticket}"))
        .expect_stderr("--resubmit");
    assert_eq!(server.tickets().len(), 1, "nothing new: {again:?}");

    // SOURCE=VERSION names no files: a rebuild of the same version is fine.
    submit(&server, &["foo=1.0"]).expect_exit(0);
    assert_eq!(server.tickets().len(), 2);

    let resubmitted = submit(&server, &[dsc.arg(), "--resubmit"]);
    resubmitted.expect_exit(0);
    let full = server.full_ticket(submitted_id(&resubmitted));
    assert_eq!(
        full["subtickets"][0]["source_package_upload"]["version"], "1.0",
        "{full:#}"
    );
    // Now two tickets have it; the refusal names the latest.
    let third = submit(&server, &[dsc.arg()]);
    third
        .expect_exit(4)
        .expect_stderr(&format!("in ticket {}", submitted_id(&resubmitted)));
}

const CHANGELOG: &str = "Changed-By: Chris Changer <chris@example.com>\n\
    Launchpad-Bugs-Fixed: 12345\n\
    Closes: 987654\n\
    Changes:\n foo (1.0-1) unstable; urgency=medium\n .\n   * Fix the frobnicator\n     on armhf (LP: #12345).\n   * Tidy the rules.\n";

#[test]
fn submit_fills_owner_bug_title_and_description_from_the_changes_and_says_so() {
    let server = Server::start();
    let dsc = Dsc::write(&server.home.work("upload"), "foo", "1.0-1", false);
    let changes = dsc.changes(CHANGELOG);
    let outcome = server.as_developer(&["submit", &changes, "--no-input"]);
    outcome
        .expect_exit(0)
        .expect_stderr("filled in (a flag overrides each)")
        .expect_stderr("owner: chris@example.com (Changed-By of foo_1.0-1_source.changes)")
        .expect_stderr("bug: 12345 (Launchpad-Bugs-Fixed of foo_1.0-1_source.changes)")
        .expect_stderr("title: Fix the frobnicator on armhf (LP: #12345). (the changelog entry");
    let full = server.full_ticket(submitted_id(&outcome));
    assert_eq!(full["owner"], "chris@example.com", "{full:#}");
    assert_eq!(full["bug_id"], "12345");
    assert_eq!(full["title"], "Fix the frobnicator on armhf (LP: #12345).");
    assert_eq!(
        full["description"],
        "* Fix the frobnicator\non armhf (LP: #12345).\n* Tidy the rules."
    );
}

#[test]
fn flags_win_over_what_the_upload_says_and_a_dsc_gives_its_maintainer() {
    let server = Server::start();
    let dsc = Dsc::write(&server.home.work("upload"), "foo", "1.0-1", false);
    let changes = dsc.changes(CHANGELOG);
    let outcome = server.as_developer(&[
        "submit",
        &changes,
        "--owner",
        "dev@example.com",
        "--bug",
        "777",
        "--title",
        "Mine",
        "--description",
        "by hand",
    ]);
    outcome.expect_exit(0);
    assert!(
        !outcome.stderr.contains("filled in"),
        "nothing filled: {outcome:?}"
    );
    let full = server.full_ticket(submitted_id(&outcome));
    assert_eq!(
        (
            &full["owner"],
            &full["bug_id"],
            &full["title"],
            &full["description"]
        ),
        (
            &Value::from("dev@example.com"),
            &Value::from("777"),
            &Value::from("Mine"),
            &Value::from("by hand")
        )
    );

    // A .dsc has no changelog entry: its Maintainer is the owner, and the
    // title must come from a flag.
    let other = Dsc::write(&server.home.work("other"), "bar", "2.0-1", false);
    let outcome = server.as_developer(&["submit", other.arg(), "--no-input"]);
    outcome
        .expect_exit(2)
        .expect_stderr("--title and --description are required");
    let outcome =
        server.as_developer(&["submit", other.arg(), "--title", "t", "--description", "d"]);
    outcome
        .expect_exit(0)
        .expect_stderr("owner: jane@example.com (Maintainer of bar_2.0-1.dsc)");
    assert_eq!(
        server.full_ticket(submitted_id(&outcome))["owner"],
        "jane@example.com"
    );
}
