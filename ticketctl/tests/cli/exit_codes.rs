//! Every exit code of `ticketctl`, 0 to 5 (README.md lists them under
//! "For landers").

use crate::harness::{Home, Server};

fn create_ticket(server: &Server) -> String {
    let outcome = server.as_developer(&[
        "--json",
        "ticket",
        "create",
        "--title",
        "t",
        "--owner",
        "dev@example.com",
    ]);
    outcome.expect_exit(0);
    outcome.json()["id"].to_string()
}

#[test]
fn success_exits_0() {
    let server = Server::start();
    server
        .as_developer(&[
            "ticket",
            "create",
            "--title",
            "t",
            "--owner",
            "dev@example.com",
        ])
        .expect_exit(0)
        .expect_stdout("created ticket 1");
    server.as_developer(&["ticket", "list"]).expect_exit(0);
}

#[test]
fn a_server_that_is_down_exits_1_with_a_hint() {
    let home = Home::new();
    let outcome = home
        .ctl("http://127.0.0.1:1", &["ticket", "list"])
        .token("tkd_whatever")
        .run();
    outcome
        .expect_exit(1)
        .expect_stderr("cannot reach http://127.0.0.1:1")
        .expect_stderr("hint:");
    assert!(outcome.stdout.is_empty(), "{outcome:?}");
}

#[test]
fn an_unknown_flag_is_clap_usage_error_2() {
    let home = Home::new();
    home.ctl("http://127.0.0.1:1", &["ticket", "list", "--no-such-flag"])
        .run()
        .expect_exit(2)
        .expect_stderr("--no-such-flag");
    home.ctl("http://127.0.0.1:1", &["ticket", "show"])
        .run()
        .expect_exit(2);
}

#[test]
fn a_value_the_server_refuses_with_400_exits_2_naming_the_field() {
    let server = Server::start();
    // -v shows the request went out and what came back.
    let outcome = server.as_developer(&[
        "-v",
        "ticket",
        "create",
        "--title",
        "",
        "--owner",
        "x@example.com",
    ]);
    outcome
        .expect_exit(2)
        .expect_stderr("> POST")
        .expect_stderr("< 400")
        .expect_stderr("title");
}

#[test]
fn a_bad_version_is_refused_with_2_before_anything_is_sent() {
    let server = Server::start();
    server
        .as_developer(&["package", "add", "foo"])
        .expect_exit(0);
    let outcome =
        server.as_developer(&["-v", "spu", "create", "--source", "foo", "--version", "x y"]);
    outcome.expect_exit(2).expect_stderr("--version");
    assert!(
        !outcome.stderr.contains("> GET") && !outcome.stderr.contains("> POST"),
        "no request was sent:\n{outcome:?}"
    );
}

#[test]
fn a_ticket_that_does_not_exist_exits_3() {
    let server = Server::start();
    server
        .as_developer(&["ticket", "show", "999"])
        .expect_exit(3)
        .expect_stderr("999");
}

#[test]
fn completing_a_failed_ticket_is_a_conflict_exiting_4() {
    let server = Server::start();
    let id = create_ticket(&server);
    server
        .as_lander(&["ticket", "fail", &id, "--message", "mirror unreachable"])
        .expect_exit(0)
        .expect_stdout("Failed");
    let refused = server.as_lander(&["ticket", "complete", &id]);
    refused
        .expect_exit(4)
        .expect_stderr("unless an admin forces it")
        .expect_stderr(&format!(
            "see where it stands with `ticketctl ticket show {id}`"
        ))
        .expect_stderr(&format!(
            "`ticketctl status set {id} --step complete --status complete --force`"
        ));
    assert!(
        !refused.stderr.contains("\"force\""),
        "the hint speaks the CLI's language, not the API's: {refused:?}"
    );
    assert_eq!(server.full_ticket(1)["current_workflow_step"], 999);
}

#[test]
fn a_refused_subticket_move_names_its_ticket_and_the_force_flag() {
    let server = Server::start();
    server.submit_versions(&["foo=1.0-1"]);
    let fail = [
        "status",
        "set",
        "--subticket",
        "1",
        "--step",
        "200",
        "--status",
        "failed",
    ];
    server.as_lander(&fail).expect_exit(0);
    let back = [
        "status",
        "set",
        "--subticket",
        "1",
        "--step",
        "package-building",
        "--status",
        "in-progress",
    ];
    let refused = server.as_lander(&back);
    refused
        .expect_exit(4)
        .expect_stderr("see where it stands with `ticketctl ticket show 1`")
        .expect_stderr("an admin may override the workflow with --force");
    assert!(
        !refused.stderr.contains(" ID`"),
        "no placeholder: {refused:?}"
    );
}

#[test]
fn failing_a_failed_ticket_again_changes_nothing_says_so_and_exits_4() {
    let server = Server::start();
    let id = create_ticket(&server);
    server
        .as_lander(&["ticket", "fail", &id, "--message", "mirror unreachable"])
        .expect_exit(0);
    let again = server.as_lander(&["ticket", "fail", &id, "--message", "disk full"]);
    again
        .expect_exit(4)
        .expect_stderr("had already Failed")
        .expect_stderr("your message was not recorded")
        .expect_stderr(&format!("ticketctl ticket show {id}"));
    assert_eq!(again.stdout, "", "no success line: {again:?}");
    let full = server.full_ticket(1);
    let messages: Vec<&str> = full["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(messages.contains(&"mirror unreachable"), "{messages:?}");
    assert!(!messages.contains(&"disk full"), "{messages:?}");
}

#[test]
fn adding_a_package_twice_is_a_conflict_exiting_4() {
    let server = Server::start();
    server
        .as_developer(&["package", "add", "foo"])
        .expect_exit(0);
    server
        .as_developer(&["package", "add", "foo"])
        .expect_exit(4)
        .expect_stderr("exists already");
}

#[test]
fn a_developer_moving_a_ticket_past_the_queue_is_refused_with_5() {
    let server = Server::start();
    let id = create_ticket(&server);
    server
        .as_developer(&[
            "status",
            "set",
            &id,
            "--step",
            "package-building",
            "--status",
            "in-progress",
        ])
        .expect_exit(5)
        .expect_stderr("role");
    assert_eq!(server.full_ticket(1)["current_workflow_step"], 0);
}

#[test]
fn a_wrong_token_or_none_on_a_write_is_refused_with_5() {
    let server = Server::start();
    server
        .ctl(&["ticket", "list"])
        .token("tkd_not_a_real_token")
        .run()
        .expect_exit(5)
        .expect_stderr("ticketctl login");
    server
        .ctl(&[
            "ticket",
            "create",
            "--title",
            "t",
            "--owner",
            "dev@example.com",
        ])
        .run()
        .expect_exit(5);
}

/// A server on a free port that answers each of `answers` connections
/// with 200 and `body`; its URL.
fn answering_200(body: &'static str, answers: usize) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let url = format!("http://{}", listener.local_addr().expect("a bound address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(answers) {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") {
                match std::io::Read::read(&mut stream, &mut byte) {
                    Ok(1) => request.push(byte[0]),
                    _ => break,
                }
            }
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = std::io::Write::write_all(&mut stream, answer.as_bytes());
        }
    });
    url
}

#[test]
fn a_2xx_answer_that_is_not_the_model_exits_1_naming_the_field() {
    let home = Home::new();
    let url = answering_200(r#"{"id": 7, "title": "t"}"#, 1);
    let outcome = home.ctl(&url, &["ticket", "show", "7"]).run();
    outcome
        .expect_exit(1)
        .expect_stderr("the server answered 200: unreadable answer")
        .expect_stderr("missing field");
    assert!(!outcome.stderr.contains("panicked"), "{outcome:?}");
    let url = answering_200(
        r#"{"meta": {"limit": 20, "offset": 0, "total_count": 1, "next": null, "previous": null}, "objects": [{"id": "seven"}]}"#,
        1,
    );
    home.ctl(&url, &["ticket", "list"])
        .run()
        .expect_exit(1)
        .expect_stderr("unreadable answer: [0].id");
}

#[test]
fn an_artifact_for_a_missing_ticket_exits_3_before_any_upload() {
    let server = Server::start();
    let file = server.home.work("logs").join("build.log");
    std::fs::write(&file, b"a build log nobody should upload").expect("write the log");
    let file = file.to_str().expect("a UTF-8 path");
    server
        .as_lander(&[
            "artifact",
            "add",
            "--ticket",
            "999",
            "--type",
            "LOGS",
            "--name",
            "build.log",
            "--file",
            file,
        ])
        .expect_exit(3)
        .expect_stderr("999");
    assert_eq!(
        server.blob(&crate::harness::sha256(b"a build log nobody should upload")),
        None,
        "nothing was uploaded"
    );
    server
        .as_lander(&[
            "artifact",
            "add",
            "--subticket",
            "999",
            "--type",
            "LOGS",
            "--name",
            "l",
            "--reference",
            "https://logs.example/1",
        ])
        .expect_exit(3)
        .expect_stderr("999");
}

#[test]
fn a_server_url_with_the_api_path_says_to_drop_it() {
    let server = Server::start();
    let wrong = format!("{}/api/v1", server.url);
    server
        .home
        .ctl(&wrong, &["ticket", "list"])
        .token(&server.developer)
        .run()
        .expect_exit(2)
        .expect_stderr("names the API, not the server")
        .expect_stderr(&format!("drop /api/v1: --server {}", server.url));
}
