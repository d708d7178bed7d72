//! Logs at hand: `artifact get` downloads an artifact byte for byte (a
//! blob checked against its SHA-256, a reference from its own host without
//! ticketd's token), `ticket logs` prints the failed subticket's logs, and
//! `ticket show` names every log and result in a form that can be used:
//! full URLs when piped, the download command on a terminal.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::harness::{Outcome, Server, TICKETCTL, sha256, submitted_id};
use crate::submit::submit;

const FOO_LOG: &str =
    "make[1]: Entering directory '/build/foo'\nfoo.c:12: error: frobnicator undeclared\n";
const BAR_LOG: &str = "bar built fine, all 12 tests passed\n";

/// A ticket of two uploads whose first, foo, failed at Package Building;
/// each subticket has a `build.log` blob.
struct Failed {
    id: String,
    foo: String,
    bar: String,
    /// The ids of foo's and bar's build.log (subticket artifacts).
    foo_log: String,
    bar_log: String,
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).expect("write a file");
    path.to_str().expect("a UTF-8 path").to_string()
}

fn failed_ticket(server: &Server) -> Failed {
    let outcome = submit(server, &["foo=1.2-3", "bar=2.0-1"]);
    outcome.expect_exit(0);
    let id = submitted_id(&outcome);
    let subticket = |i: usize| {
        let full = server.full_ticket(id);
        let sub = &full["subtickets"][i];
        assert_eq!(
            sub["source_package_upload"]["sourcepackage"]["name"],
            ["foo", "bar"][i],
            "{full:#}"
        );
        sub["id"].to_string()
    };
    let (failing, passing) = (subticket(0), subticket(1));
    let id = id.to_string();
    server
        .as_lander(&["status", "set", &id, "--step", "200", "--status", "100"])
        .expect_exit(0);
    let work = server.home.work("lander");
    for (sub, file) in [
        (&failing, write(&work, "foo.log", FOO_LOG.as_bytes())),
        (&passing, write(&work, "bar.log", BAR_LOG.as_bytes())),
    ] {
        attach(
            server,
            ["--subticket", sub],
            "LOGS",
            "build.log",
            ["--file", &file],
        );
    }
    server
        .as_lander(&[
            "status",
            "set",
            "--subticket",
            &failing,
            "--step=200",
            "--status=999",
        ])
        .expect_exit(0);
    let full = server.full_ticket(id.parse().expect("an id"));
    let log_id = |i: usize| full["subtickets"][i]["artifacts"][0]["id"].to_string();
    Failed {
        foo_log: log_id(0),
        bar_log: log_id(1),
        id,
        foo: failing,
        bar: passing,
    }
}

/// `ticketctl ARGS` as the developer, run in `dir`.
fn in_dir(server: &Server, dir: &Path, args: &[&str]) -> Outcome {
    server
        .ctl(args)
        .token(&server.developer)
        .current_dir(dir)
        .run()
}

/// `artifact add` as the lander, which must succeed: `on` is `--ticket ID`
/// or `--subticket ID`, `source` `--file PATH` or `--reference URL`.
fn attach(server: &Server, on: [&str; 2], kind: &str, name: &str, source: [&str; 2]) {
    server
        .as_lander(&[
            "artifact", "add", on[0], on[1], "--type", kind, "--name", name, source[0], source[1],
        ])
        .expect_exit(0);
}

/// Where the blob store keeps the blob of `content`.
fn blob_file(server: &Server, content: &[u8]) -> PathBuf {
    let digest = sha256(content);
    server
        .home
        .path()
        .join("ticketd-data/blobs")
        .join(&digest[..2])
        .join(digest)
}

/// The names in a directory.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read the directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// `ticketctl ARGS` as the developer with a terminal on stdin, stdout and
/// stderr, 80 columns wide, in `dir`: what script(1) saw, without `\r`.
fn on_a_terminal(server: &Server, args: &str, dir: &Path) -> String {
    let command = format!(
        "cd {} && {TICKETCTL} --server {} --token {} {args}",
        dir.display(),
        server.url,
        server.developer
    );
    let out = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", server.home.path())
        .env("XDG_CONFIG_HOME", server.home.path().join(".config"))
        .env("COLUMNS", "80")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script(1) from util-linux runs");
    let shown = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert!(out.status.success(), "{args}:\n{shown}");
    shown
}

/// A one-page HTTP server on a port of its own: `path` answers `body`,
/// anything else 404. It keeps the head of every request it gets.
fn reference_host(path: &'static str, body: &'static [u8]) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let heads = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&heads);
    std::thread::spawn(move || {
        // Bounded: a test sends it a few requests, then the process ends.
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let found = head.starts_with(&format!("GET {path} "));
            seen.lock().expect("the heads").push(head);
            let (status, content): (&str, &[u8]) = if found {
                ("200 OK", body)
            } else {
                ("404 Not Found", b"no such page\n")
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                content.len()
            );
            let _ = stream.write_all(content);
        }
    });
    (url, heads)
}

#[test]
fn artifact_get_downloads_a_blob_byte_for_byte_and_keeps_an_existing_file() {
    let server = Server::start();
    let failed = failed_ticket(&server);
    // Several read buffers' worth of every byte value.
    let content: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let image = write(&server.home.work("lander"), "rootfs.img", &content);
    attach(
        &server,
        ["--ticket", &failed.id],
        "IMAGE",
        "rootfs.img",
        ["--file", &image],
    );
    let full = server.full_ticket(failed.id.parse().expect("an id"));
    let image_id = full["artifacts"][0]["id"].to_string();

    let here = server.home.work("here");
    let get = |args: &[&str]| in_dir(&server, &here, args);
    get(&["artifact", "get", &image_id])
        .expect_exit(0)
        .expect_stderr("saved rootfs.img (300000 bytes, SHA-256 checked)");
    assert!(
        std::fs::read(here.join("rootfs.img")).expect("the download") == content,
        "the downloaded file is the uploaded one"
    );

    // Like gh: an existing file is kept, and nothing is fetched.
    std::fs::write(here.join("build.log"), b"my own notes").expect("write");
    get(&["artifact", "get", "--subticket", &failed.foo_log])
        .expect_exit(2)
        .expect_stderr("build.log exists already")
        .expect_stderr("--clobber");
    assert_eq!(
        std::fs::read(here.join("build.log")).expect("read"),
        b"my own notes"
    );
    get(&[
        "artifact",
        "get",
        "--subticket",
        &failed.foo_log,
        "--clobber",
    ])
    .expect_exit(0);
    assert_eq!(
        std::fs::read_to_string(here.join("build.log")).expect("read"),
        FOO_LOG
    );

    // -o names the file, or a directory to write NAME into; -o - is stdout.
    std::fs::create_dir(here.join("into")).expect("mkdir");
    for (output, written) in [("logs-bar.txt", "logs-bar.txt"), ("into", "into/build.log")] {
        get(&[
            "artifact",
            "get",
            "--subticket",
            &failed.bar_log,
            "-o",
            output,
        ])
        .expect_exit(0);
        let content = std::fs::read_to_string(here.join(written)).expect("read");
        assert_eq!(content, BAR_LOG, "-o {output}");
    }
    let piped = get(&["artifact", "get", "--subticket", &failed.bar_log, "-o", "-"]);
    piped.expect_exit(0);
    assert_eq!(piped.stdout, BAR_LOG);
    assert_eq!(
        listing(&here),
        ["build.log", "into", "logs-bar.txt", "rootfs.img"]
    );

    // A ticket artifact's id is not a subticket artifact's.
    get(&["artifact", "get", "--subticket", "99"])
        .expect_exit(3)
        .expect_stderr("99");
    get(&["--json", "artifact", "get", &image_id])
        .expect_exit(2)
        .expect_stderr("--json");
}

#[test]
fn a_blob_that_does_not_match_its_digest_is_refused_and_no_file_is_left() {
    let server = Server::start();
    let failed = failed_ticket(&server);
    let blob = blob_file(&server, FOO_LOG.as_bytes());
    std::fs::write(&blob, b"not the log that was uploaded\n").expect("tamper with the blob");

    let here = server.home.work("here");
    let outcome = in_dir(
        &server,
        &here,
        &[
            "artifact",
            "get",
            "--subticket",
            &failed.foo_log,
            "-o",
            "build.log",
        ],
    );
    outcome
        .expect_exit(1)
        .expect_stderr("does not match its SHA-256")
        .expect_stderr(&format!("expected {}", sha256(FOO_LOG.as_bytes())))
        .expect_stderr("nothing was written to build.log");
    assert_eq!(
        listing(&here),
        Vec::<String>::new(),
        "no file, no partial file"
    );

    // ticket logs checks too, and says so after what it printed.
    server
        .as_developer(&["ticket", "logs", &failed.id])
        .expect_exit(1)
        .expect_stderr("does not match its SHA-256");
}

#[test]
fn a_reference_is_fetched_from_its_own_host_without_ticketds_token() {
    let server = Server::start();
    let failed = failed_ticket(&server);
    let (host, heads) = reference_host("/r/7", b"3 tests, 1 failed: test_frob\n");
    for (name, path) in [("autopkgtest", "/r/7"), ("gone", "/r/8")] {
        attach(
            &server,
            ["--ticket", &failed.id],
            "RESULTS",
            name,
            ["--reference", &format!("{host}{path}")],
        );
    }
    let here = server.home.work("here");
    let get = |args: &[&str]| in_dir(&server, &here, args);
    get(&["artifact", "get", "1"])
        .expect_exit(0)
        .expect_stderr("saved autopkgtest (29 bytes)");
    assert_eq!(
        std::fs::read(here.join("autopkgtest")).expect("the download"),
        b"3 tests, 1 failed: test_frob\n"
    );
    get(&["artifact", "get", "2"])
        .expect_exit(3)
        .expect_stderr(&format!("{host}/r/8 answered 404"));
    assert_eq!(listing(&here), ["autopkgtest"]);

    let heads = heads.lock().expect("the heads").clone();
    assert_eq!(heads.len(), 2, "{heads:?}");
    for head in &heads {
        assert!(
            !head.to_ascii_lowercase().contains("authorization")
                && !head.contains(&server.developer),
            "the token went to another host:\n{head}"
        );
    }
}

#[test]
fn ticket_logs_prints_the_failed_subtickets_log_and_not_the_passing_ones() {
    let server = Server::start();
    let failed = failed_ticket(&server);

    let logs = server.as_developer(&["ticket", "logs", &failed.id]);
    logs.expect_exit(0);
    assert_eq!(
        logs.stdout,
        format!(
            "==> subticket {} (foo 1.2-3): build.log <==\n{FOO_LOG}",
            failed.foo
        )
    );

    let all = server.as_developer(&["ticket", "logs", &failed.id, "--all"]);
    all.expect_exit(0);
    assert_eq!(
        all.stdout,
        format!(
            "==> subticket {} (foo 1.2-3): build.log <==\n{FOO_LOG}\n\
             ==> subticket {} (bar 2.0-1): build.log <==\n{BAR_LOG}",
            failed.foo, failed.bar
        )
    );

    // --dir saves them, one folder per subticket, and prints the paths.
    let dir = server.home.work("saved");
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    let saved = server.as_developer(&["ticket", "logs", &failed.id, "--dir", dir_arg]);
    saved.expect_exit(0);
    let path = dir
        .join(format!("subticket-{}", failed.foo))
        .join("build.log");
    assert_eq!(saved.stdout.trim(), path.display().to_string());
    assert_eq!(
        std::fs::read_to_string(&path).expect("the saved log"),
        FOO_LOG
    );
    assert_eq!(listing(&dir), [format!("subticket-{}", failed.foo)]);
    server
        .as_developer(&["ticket", "logs", &failed.id, "--dir", dir_arg])
        .expect_exit(2)
        .expect_stderr("exists already");
    server
        .as_developer(&["ticket", "logs", &failed.id, "--dir", dir_arg, "--clobber"])
        .expect_exit(0);
}

#[test]
fn ticket_logs_says_why_when_there_is_nothing_to_print() {
    let server = Server::start();
    let outcome = submit(&server, &["foo=1.2-3"]);
    outcome.expect_exit(0);
    let id = submitted_id(&outcome).to_string();
    server
        .as_developer(&["ticket", "logs", &id])
        .expect_exit(4)
        .expect_stderr(&format!("ticket {id} has not failed: it is at Queued"))
        .expect_stderr("--all");
    server
        .as_developer(&["ticket", "logs", &id, "--all"])
        .expect_exit(3)
        .expect_stderr("have no LOGS artifact");
    server
        .as_lander(&["ticket", "fail", &id, "--message", "mirror down"])
        .expect_exit(0);
    server
        .as_developer(&["ticket", "logs", &id])
        .expect_exit(3)
        .expect_stderr("failed at Queued, but no LOGS artifact is attached to the ticket");
    server
        .as_developer(&["ticket", "logs", "999"])
        .expect_exit(3)
        .expect_stderr("999");
}

#[test]
fn ticket_show_piped_prints_full_urls_and_results_apart_from_logs() {
    let server = Server::start();
    let failed = failed_ticket(&server);
    attach(
        &server,
        ["--ticket", &failed.id],
        "RESULTS",
        "autopkgtest",
        ["--reference", "https://ci.example/r/7"],
    );
    let blob_url = format!("{}/api/v1/blob/{}", server.url, sha256(FOO_LOG.as_bytes()));

    let shown = server.as_developer(&["ticket", "show", &failed.id]);
    shown.expect_exit(0);
    let line = |label: &str| -> String {
        shown
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line:\n{shown:?}"))
            .to_string()
    };
    assert_eq!(line("Logs:"), format!("  Logs:    build.log: {blob_url}"));
    assert_eq!(
        line("Results:"),
        "  Results: autopkgtest: https://ci.example/r/7"
    );
    // The artifacts table keeps every URL whole on one line.
    let bar_url = format!("{}/api/v1/blob/{}", server.url, sha256(BAR_LOG.as_bytes()));
    for url in [&blob_url, &bar_url] {
        assert!(
            shown.stdout.lines().any(|l| l.contains(url.as_str())),
            "{url}:\n{shown:?}"
        );
    }

    let failure = &server.full_ticket(failed.id.parse().expect("an id"))["failure"];
    let digest = sha256(FOO_LOG.as_bytes());
    assert_eq!(
        failure["logs"],
        serde_json::json!([format!("/api/v1/blob/{digest}")])
    );
    assert_eq!(
        failure["results"],
        serde_json::json!(["https://ci.example/r/7"])
    );
}

#[test]
fn on_a_terminal_ticket_show_names_blobs_by_the_command_that_downloads_them() {
    let server = Server::start();
    let failed = failed_ticket(&server);
    let here = server.home.work("here");
    let shown = on_a_terminal(&server, &format!("ticket show {}", failed.id), &here);
    let command = format!("ticketctl artifact get --subticket {}", failed.foo_log);
    assert!(
        shown.contains(&format!("  Logs:    build.log: {command}\n")),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "(all of them: ticketctl ticket logs {})",
            failed.id
        )),
        "{shown}"
    );
    let digest = sha256(FOO_LOG.as_bytes());
    assert!(
        shown.contains(&format!("blob {}…", &digest[..12])),
        "{shown}"
    );
    assert!(
        !shown.contains(&digest),
        "no digest whole on a terminal:\n{shown}"
    );
    let report_and_artifacts = shown.split("\nHistory").next().unwrap_or_default();
    for line in report_and_artifacts
        .lines()
        .filter(|l| !l.starts_with("  Next:"))
    {
        assert!(
            line.chars().count() <= 80,
            "wider than 80 columns: {line:?}\n{shown}"
        );
    }

    // The command shown is one a user can copy and run.
    let args = command.trim_start_matches("ticketctl ");
    on_a_terminal(&server, args, &here);
    assert_eq!(
        std::fs::read_to_string(here.join("build.log")).expect("the download"),
        FOO_LOG
    );
}
