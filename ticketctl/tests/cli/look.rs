//! Colour and times as a user sees them: colour on a terminal only, and
//! never with NO_COLOR or CLICOLOR=0; times in the local zone, named, or
//! in UTC with --utc.

use crate::harness::Server;

const ESC: char = '\u{1b}';

/// A ticket failed by the lander, so that red has something to show.
fn failed_ticket(server: &Server) {
    server.submit_versions(&["foo=1.0-1"]);
    server
        .as_lander(&["ticket", "fail", "1", "--message", "mirror down"])
        .expect_exit(0);
}

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color_or_clicolor_0() {
    let server = Server::start();
    failed_ticket(&server);
    let red = format!("{ESC}[31m");

    let piped = server.as_developer(&["ticket", "show", "1"]);
    piped.expect_exit(0).expect_stdout("FAILED at Queued");
    let missing = server.as_developer(&["ticket", "show", "99"]);
    missing.expect_exit(3);
    for text in [&piped.stdout, &missing.stderr] {
        assert!(!text.contains(ESC), "no colour when piped: {text:?}");
    }

    let on_terminal = |args: &[&str], env: Option<(&str, &str)>| {
        let mut ctl = server.ctl(args).token(&server.developer);
        if let Some((key, value)) = env {
            ctl = ctl.env(key, value);
        }
        ctl.on_terminal().run()
    };
    let shown = on_terminal(&["ticket", "show", "1"], None);
    shown.expect_exit(0);
    assert!(
        shown.stdout.contains(&format!("{red}FAILED at Queued"))
            || shown
                .stdout
                .contains(&format!("{ESC}[1m{red}FAILED at Queued")),
        "the failure heading is red on a terminal: {:?}",
        shown.stdout
    );
    let listed = on_terminal(&["ticket", "list"], None);
    assert!(
        // comfy-table writes the standard red as a 256-colour index.
        listed.stdout.contains(&format!("{ESC}[38;5;1m Failed")),
        "Failed is red in the list: {:?}",
        listed.stdout
    );
    let error = on_terminal(&["ticket", "show", "99"], None);
    error.expect_exit(3);
    assert!(
        error.stdout.contains(&format!("{red}error:")),
        "error: is red on a terminal: {:?}",
        error.stdout
    );

    for env in [("NO_COLOR", "1"), ("CLICOLOR", "0")] {
        for args in [
            &["ticket", "show", "1"][..],
            &["ticket", "list"],
            &["ticket", "show", "99"],
        ] {
            let plain = on_terminal(args, Some(env));
            assert!(
                !plain.stdout.contains(ESC),
                "{env:?} {args:?}: no colour: {:?}",
                plain.stdout
            );
        }
    }
}

#[test]
fn times_are_local_with_the_zone_named_or_utc_with_the_flag() {
    let server = Server::start();
    failed_ticket(&server);
    let created = server.full_ticket(1)["created"]
        .as_str()
        .expect("created")
        .to_string();
    // The server's time, as UTC and as Tokyo (UTC+9, no daylight saving).
    let utc: chrono::DateTime<chrono::Utc> = created.parse().expect("an RFC 3339 time");
    let tokyo = utc + chrono::Duration::hours(9);

    let local = server
        .ctl(&["ticket", "show", "1"])
        .token(&server.developer)
        .env("TZ", "Asia/Tokyo")
        .run();
    local.expect_exit(0).expect_stdout(&format!(
        "Created: {} JST",
        tokyo.format("%Y-%m-%d %H:%M:%S")
    ));
    let listed = server
        .ctl(&["ticket", "list"])
        .token(&server.developer)
        .env("TZ", "Asia/Tokyo")
        .run();
    listed.expect_exit(0).expect_stdout(" JST");

    let in_utc = server
        .ctl(&["ticket", "show", "1", "--utc"])
        .token(&server.developer)
        .env("TZ", "Asia/Tokyo")
        .run();
    in_utc
        .expect_exit(0)
        .expect_stdout(&format!("Created: {} UTC", utc.format("%Y-%m-%d %H:%M:%S")));
    assert!(!in_utc.stdout.contains("JST"), "{in_utc:?}");
}
