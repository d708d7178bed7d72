//! `login`, `config set`, `config show` and `whoami`: settings kept in the config
//! file under XDG_CONFIG_HOME and used by later commands.

use crate::harness::Server;

#[test]
fn login_reads_a_piped_token_checks_it_and_saves_it_for_later_commands() {
    let server = Server::start();
    let outcome = server
        .ctl(&["login"])
        .stdin(format!("{}\n", server.developer).as_bytes())
        .run();
    outcome.expect_exit(0).expect_stderr("dev");

    let config = server.home.config_file();
    let text = std::fs::read_to_string(&config).expect("login wrote the config file");
    assert!(text.contains(&server.developer), "token saved: {text}");
    assert!(text.contains(&server.url), "server saved: {text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&config)
            .expect("the config file's metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner may read the token");
    }

    // No --token, no TICKETCTL_TOKEN: a write works with the saved token.
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
        .expect_exit(0);
    let shown = server.ctl(&["config", "show"]).run();
    shown
        .expect_exit(0)
        .expect_stdout("token:   set (from the config file)")
        .expect_stdout(config.to_str().expect("a UTF-8 path"));
    assert!(
        !shown.stdout.contains(&server.developer),
        "config show never prints the token:\n{shown:?}"
    );
}

#[test]
fn login_with_a_token_the_server_refuses_exits_5_and_saves_nothing() {
    let server = Server::start();
    server
        .ctl(&["login"])
        .stdin(b"tkd_not_a_real_token\n")
        .run()
        .expect_exit(5);
    assert!(!server.home.config_file().exists());
}

#[test]
fn login_always_takes_the_new_token_keeps_the_old_one_if_it_fails_and_logout_forgets_it() {
    let server = Server::start();
    let login = |token: &str| {
        server
            .ctl(&["login"])
            .stdin(format!("{token}\n").as_bytes())
            .run()
    };
    let saved_config =
        || std::fs::read_to_string(server.home.config_file()).expect("the config file");
    login(&server.developer)
        .expect_exit(0)
        .expect_stderr("developer");
    // A saved token used to make login skip reading a new one: a bogus one
    // was reported as "logged in" with the old token.
    let bogus = login("tkd_bogus");
    bogus
        .expect_exit(5)
        .expect_stderr("refused the token")
        .expect_stderr("the saved token (if any) is kept");
    assert!(
        !bogus.stderr.contains("run `ticketctl login`"),
        "no circular hint: {bogus:?}"
    );
    assert!(
        saved_config().contains(&server.developer),
        "the working token stays saved"
    );
    // Switching to another working token replaces it.
    login(&server.lander).expect_exit(0).expect_stderr("lander");
    let saved = saved_config();
    assert!(
        saved.contains(&server.lander) && !saved.contains(&server.developer),
        "{saved}"
    );
    // --with-token reads stdin, as gh's does.
    server
        .ctl(&["login", "--with-token"])
        .stdin(format!("{}\n", server.developer).as_bytes())
        .run()
        .expect_exit(0)
        .expect_stderr("developer");

    server
        .ctl(&["logout"])
        .run()
        .expect_exit(0)
        .expect_stderr("logged out");
    let saved = std::fs::read_to_string(server.home.config_file()).expect("the config file stays");
    assert!(!saved.contains("tkd_"), "no token left: {saved}");
    assert!(
        saved.contains(&server.url),
        "the server setting stays: {saved}"
    );
    server
        .ctl(&["logout"])
        .run()
        .expect_exit(0)
        .expect_stderr("nothing changed");
}

#[test]
fn config_set_server_is_shown_and_used_without_ticketctl_server() {
    let server = Server::start();
    server
        .ctl(&["config", "set", "server", &server.url])
        .env_remove("TICKETCTL_SERVER")
        .run()
        .expect_exit(0);
    server
        .ctl(&["config", "show"])
        .env_remove("TICKETCTL_SERVER")
        .run()
        .expect_exit(0)
        .expect_stdout(&format!("server:  {} (from the config file)", server.url))
        .expect_stdout("token:   none (not set)");
    server
        .ctl(&["--json", "ticket", "list"])
        .env_remove("TICKETCTL_SERVER")
        .run()
        .expect_exit(0);
    // The variable still wins over the file.
    server
        .ctl(&["config", "show"])
        .env("TICKETCTL_SERVER", "http://127.0.0.1:1")
        .run()
        .expect_exit(0)
        .expect_stdout("server:  http://127.0.0.1:1 (from TICKETCTL_SERVER)");
}

#[test]
fn config_set_rejects_an_unknown_key_and_a_bad_owner_with_2() {
    let server = Server::start();
    server
        .ctl(&["config", "set", "colour", "blue"])
        .run()
        .expect_exit(2);
    server
        .ctl(&["config", "set", "owner", "Jane <jane@example.com>"])
        .run()
        .expect_exit(2)
        .expect_stderr("owner");
    assert!(!server.home.config_file().exists());
}

#[test]
fn whoami_names_the_token_and_where_each_setting_came_from() {
    let server = Server::start();
    server
        .ctl(&["config", "set", "owner", "set@example.com"])
        .run()
        .expect_exit(0);
    let who = server
        .ctl(&["whoami", "--server", &server.url])
        .token(&server.lander)
        .env("DEBEMAIL", "env@example.com")
        .run();
    who.expect_exit(0)
        .expect_stdout(&format!("server:  {} (from --server)", server.url))
        .expect_stdout("token:   lander, a lander token (from TICKETCTL_TOKEN)")
        .expect_stdout("owner:   set@example.com (from the config file)")
        .expect_stdout(&format!("config:  {}", server.home.config_file().display()));
    assert!(
        !who.stdout.contains(&server.lander),
        "never the token: {who:?}"
    );

    // Saved by login: the token comes from the config file; no owner set
    // there, so DEBEMAIL's address is the owner.
    std::fs::remove_file(server.home.config_file()).expect("remove the config");
    server
        .ctl(&["login", "--with-token"])
        .stdin(format!("{}\n", server.developer).as_bytes())
        .run()
        .expect_exit(0);
    let who = server
        .ctl(&["whoami"])
        .env("DEBEMAIL", "Jane Doe <jane@example.com>")
        .run();
    who.expect_exit(0)
        .expect_stdout("a developer token (from the config file)")
        .expect_stdout("owner:   jane@example.com (from DEBEMAIL)");

    let json = server.ctl(&["whoami", "--json"]).run();
    json.expect_exit(0);
    let value = json.json();
    assert_eq!(value["server"]["from"], "env", "{value:#}");
    assert_eq!(value["token"]["from"], "config");
    assert_eq!(value["token"]["whoami"]["role"], "developer");

    // No token at all: anonymous, and said so.
    server.ctl(&["logout"]).run().expect_exit(0);
    server
        .ctl(&["whoami"])
        .run()
        .expect_exit(0)
        .expect_stdout("token:   none: anonymous");

    // A refused token names where it came from, and login is the way out.
    server
        .ctl(&["whoami"])
        .token("tkd_revoked")
        .run()
        .expect_exit(5)
        .expect_stderr("refuses the token (from TICKETCTL_TOKEN)")
        .expect_stderr("`ticketctl login` stores a new one");
}
