//! Database passwords never appear in what the real binary prints, in
//! any form of URL: `user:password@`, `password=`-style query parameters
//! (sqlx logs the ones it does not know whole), URLs that do not parse,
//! and a config file that does not parse; through `check`, `migrate`,
//! `token`, a failed and a successful `serve`, in text and JSON logs.

use std::fs::File;

use crate::helpers::PgDatabase;
use crate::procs::{ChildGuard, Finished, Sandbox, free_port};

const SECRET: &str = "S3cretPw";

/// Every form of URL that carries [`SECRET`], on `host` (host:port/db).
fn urls(host: &str) -> Vec<String> {
    vec![
        format!("postgres://ticketd:{SECRET}@{host}"),
        format!("postgres://{host}?user=ticketd&password={SECRET}"),
        format!("postgres://{host}?user=ticketd&SSLPassword={SECRET}"),
        format!("postgres://{host}?passwd={SECRET}"),
        format!("postgres://ticketd:with space {SECRET}@{host}"),
        format!("postgres://weird:p#{SECRET}/w@rd?x@{host}"),
        format!("postgresql://ticketd:{SECRET}%40x@{host}"),
    ]
}

/// Start every command at once (each waits seconds for a database that
/// refuses connections), then collect what each printed.
fn run_all(sandbox: &Sandbox, runs: Vec<Vec<String>>) -> Vec<(Vec<String>, Finished)> {
    let children: Vec<_> = runs
        .into_iter()
        .map(|args| {
            let (out, err) = sandbox.output_files();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let child = sandbox
                .ticketd(&refs)
                .stdout(File::create(&out).expect("stdout file"))
                .stderr(File::create(&err).expect("stderr file"))
                .spawn()
                .expect("spawn ticketd");
            (args, ChildGuard(child), out, err)
        })
        .collect();
    children
        .into_iter()
        .map(|(args, mut child, out, err)| {
            let status = child.wait_bounded(&args.join(" "));
            let finished = Finished {
                status,
                stdout: std::fs::read_to_string(out).expect("read stdout"),
                stderr: std::fs::read_to_string(err).expect("read stderr"),
            };
            (args, finished)
        })
        .collect()
}

fn assert_no_secret(args: &[String], finished: &Finished) {
    let shown = finished.shown();
    assert!(
        !shown.contains(SECRET),
        "`ticketd {}` printed the password:\n{shown}",
        args.join(" ")
    );
}

#[test]
fn no_subcommand_prints_the_password_of_an_unreachable_database_in_any_form() {
    let sandbox = Sandbox::new();
    let data_dir = sandbox.data_dir();
    let config = sandbox.path("config.toml");
    let mut runs = Vec::new();
    for (n, url) in urls("127.0.0.1:1/ticketd").into_iter().enumerate() {
        let text_listen = format!("127.0.0.1:{}", free_port());
        let json_listen = format!("127.0.0.1:{}", free_port());
        for (format, command) in [
            ("text", vec!["check"]),
            ("text", vec!["migrate"]),
            ("text", vec!["token", "list"]),
            ("text", vec!["serve", "--listen", &text_listen]),
            ("json", vec!["serve", "--listen", &json_listen]),
            ("json", vec!["check"]),
        ] {
            let mut args: Vec<String> = ["--data-dir", &data_dir, "--log-format", format]
                .iter()
                .map(|s| s.to_string())
                .collect();
            args.extend(["--database".to_string(), url.clone()]);
            args.extend(command.iter().map(|s| s.to_string()));
            runs.push(args);
        }
        // The same URL from a config file.
        let file = sandbox.path(&format!("config-{n}.toml"));
        std::fs::write(&file, format!("database_url = {}\n", toml_string(&url)))
            .expect("write config");
        let file = file.to_str().expect("UTF-8").to_string();
        runs.push(
            ["--data-dir", &data_dir, "--config", &file, "check"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
    }
    // A config file that does not parse, with the password on the line at
    // fault (an unterminated string) and on a line next to a fault.
    std::fs::write(
        &config,
        format!("database_url = \"postgres://u:{SECRET}@h/db\nlisten = 1\n"),
    )
    .expect("write config");
    let broken = sandbox.path("broken.toml");
    std::fs::write(
        &broken,
        format!("database_url = \"postgres://u:{SECRET}@h/db\" x\n"),
    )
    .expect("write config");
    for file in [&config, &broken] {
        runs.push(
            ["--config", file.to_str().expect("UTF-8"), "check"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
    }
    for (args, finished) in run_all(&sandbox, runs) {
        assert!(
            !finished.status.success(),
            "`ticketd {}` cannot succeed without a database:\n{}",
            args.join(" "),
            finished.shown()
        );
        assert_no_secret(&args, &finished);
    }
}

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// With a real database (its server ignores the password: trust
/// authentication), `serve` starts, logs its database and answers, and
/// `check` and `migrate` succeed: nothing shows the password.
#[tokio::test]
async fn a_server_that_starts_shows_no_password_in_its_logs_on_postgres() {
    let Some(db) = PgDatabase::create().await else {
        return;
    };
    let parsed = url::Url::parse(&db.url).expect("URL");
    let host = format!(
        "{}:{}{}",
        parsed.host_str().expect("host"),
        parsed.port().unwrap_or(5432),
        parsed.path()
    );
    let user = parsed.username();
    let forms = [
        format!("postgres://{user}:{SECRET}@{host}"),
        format!("postgres://{host}?user={user}&password={SECRET}"),
        format!("postgres://{host}?user={user}&sslpassword={SECRET}"),
    ];
    for url in forms {
        for format in ["text", "json"] {
            let sandbox = Sandbox::new();
            for command in [&["migrate"][..], &["check"], &["token", "list"]] {
                let mut args = vec!["--log-format", format];
                args.extend(command);
                let finished = sandbox.run_on(Some(&url), &args);
                assert!(finished.status.success(), "{}", finished.shown());
                assert_no_secret(std::slice::from_ref(&url), &finished);
            }
            let server = sandbox
                .serve(Some(&url), &["--no-auth", "--log-format", format])
                .await;
            server.get("/api/v1/ticket/").await;
            let logs = server.logs();
            assert!(logs.contains("ticketd serving"), "{logs}");
            assert!(!logs.contains(SECRET), "{url} ({format}):\n{logs}");
            assert!(server.stop().success());
        }
    }
}
