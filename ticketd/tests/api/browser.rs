//! The web pages in a real browser: Debian's headless chromium, driven
//! through chromedriver (WebDriver) with fantoccini. A ticket's page and
//! the list follow changes made through the API without a reload; with
//! JavaScript off the pages work the same (filters, links), only not live.
//!
//! Without chromium and chromedriver the tests say so and skip, except
//! under CI (`CI` set), where they fail: `.ci/run` installs both.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::helpers::{Backend, TestApp, in_ci};
use crate::web::submit;

/// The longest any wait of these tests lasts: a page load, an element, a
/// change to show up.
const WAIT: Duration = Duration::from_secs(15);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);

/// The first executable called `name` on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A headless chromium and the chromedriver that drives it, in a process
/// group of their own that is killed when the test ends, however it ends.
struct Browser {
    client: Option<Client>,
    driver: std::process::Child,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Start chromedriver and a chromium session, with JavaScript on or
    /// off. `None` when they are not installed (a failure under CI).
    async fn start(javascript: bool) -> Option<Browser> {
        let (Some(chromium), Some(chromedriver)) = (on_path("chromium"), on_path("chromedriver"))
        else {
            let why = "chromium or chromedriver is not installed \
                       (apt-get install chromium chromium-driver)";
            assert!(
                !in_ci(),
                "CI is set, so the browser tests must run, but {why}"
            );
            eprintln!("SKIPPED the browser test: {why} (with CI set this fails)");
            return None;
        };
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
            listener.local_addr().expect("addr").port()
        };
        let profile = tempfile::tempdir().expect("profile dir");
        let driver = {
            use std::os::unix::process::CommandExt;
            std::process::Command::new(&chromedriver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                // Its own group: the browser it starts dies with it.
                .process_group(0)
                .spawn()
                .expect("start chromedriver")
        };
        let mut browser = Browser {
            client: None,
            driver,
            profile,
        };
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < WAIT,
                "chromedriver did not listen within {WAIT:?}"
            );
            tokio::time::sleep(POLL).await;
        }
        let mut options = json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1280,1000",
                format!("--user-data-dir={}", browser.profile.path().display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let capabilities: fantoccini::wd::Capabilities =
            serde_json::from_value(json!({"browserName": "chrome", "goog:chromeOptions": options}))
                .expect("capabilities");
        let client = tokio::time::timeout(
            WAIT,
            ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await
        .expect("chromium started in time")
        .expect("a WebDriver session");
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(WAIT),
                Some(WAIT),
                Some(Duration::ZERO),
            ))
            .await
            .expect("timeouts");
        browser.client = Some(client);
        Some(browser)
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    async fn goto(&self, url: &str) {
        self.client().goto(url).await.expect("page load");
    }

    /// The text of the first element `css` selects, once `wanted` holds for
    /// it; a failure naming what was seen last when it does not within
    /// [`WAIT`]. Elements are found afresh each time: live updates replace
    /// them.
    async fn wait_for_text(&self, css: &str, wanted: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let mut seen = None;
        loop {
            if let Ok(element) = self.client().find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if wanted(&text) {
                    return text;
                }
                seen = Some(text);
            }
            assert!(
                started.elapsed() < WAIT,
                "`{css}` did not change as expected within {WAIT:?}; last seen: {seen:?}"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    async fn text(&self, css: &str) -> String {
        self.wait_for_text(css, |_| true).await
    }

    /// End the session (chromedriver closes the browser).
    async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(WAIT, client.close()).await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The group of chromedriver and of every browser process it started.
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

/// Whether the page is still the one loaded (a reload would clear it).
async fn not_reloaded(browser: &Browser) -> bool {
    browser
        .client()
        .execute("return window.ticketdTestMark === true;", vec![])
        .await
        .expect("script")
        .as_bool()
        .unwrap_or(false)
}

async fn mark_page(browser: &Browser) {
    browser
        .client()
        .execute("window.ticketdTestMark = true;", vec![])
        .await
        .expect("script");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_follow_changes_made_through_the_api_without_a_reload() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("SQLite");
    let Some(browser) = Browser::start(true).await else {
        return;
    };
    let (ticket, subticket) = submit(&app, "dev@example.com", "Fix the crash", true).await;

    // A ticket's page.
    browser.goto(&app.url(&format!("/ticket/{ticket}"))).await;
    assert_eq!(browser.text("#summary .state").await, "Queued: Not Started");
    browser.wait_for_text("#live-status", |t| t == "live").await;
    mark_page(&browser).await;
    assert!(app.move_ticket(ticket, 200, 100).await.0.is_success());
    browser
        .wait_for_text("#summary .state", |t| t == "Package Building: In Progress")
        .await;
    let (status, body) = app
        .lander()
        .patch(
            &format!("/api/v1/updatesubticketstatus/{subticket}/"),
            json!({"current_workflow_step": 200, "status": 999, "message": "FTBFS on armhf"}),
        )
        .await;
    assert!(status.is_success(), "{body}");
    browser
        .wait_for_text("#summary .state", |t| t == "Failed at Package Building")
        .await;
    let failure = browser
        .wait_for_text("#failure", |t| t.contains("FTBFS on armhf"))
        .await;
    assert!(failure.contains("Fix the package"), "{failure}");
    assert!(
        browser
            .text("#history")
            .await
            .contains("Package Building: In Progress")
    );
    assert!(
        not_reloaded(&browser).await,
        "the page was updated in place"
    );

    // The list of tickets: a new ticket joins the queue.
    browser.goto(&app.url("/")).await;
    browser.wait_for_text("#live-status", |t| t == "live").await;
    mark_page(&browser).await;
    assert_eq!(browser.text("#counts .queued .n").await, "0");
    submit(&app, "dev@example.com", "Arrives while watched", true).await;
    browser
        .wait_for_text("#queue", |t| t.contains("Arrives while watched"))
        .await;
    browser
        .wait_for_text("#counts .queued .n", |t| t == "1")
        .await;
    assert!(
        not_reloaded(&browser).await,
        "the list was updated in place"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_work_without_javascript() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("SQLite");
    let Some(browser) = Browser::start(false).await else {
        return;
    };
    let (mine, _) = submit(&app, "me@example.com", "Mine to find", true).await;
    submit(&app, "them@example.com", "Theirs to skip", true).await;

    browser.goto(&app.url("/")).await;
    // `<noscript>` holds elements only when scripts are off.
    assert!(
        browser
            .client()
            .find(Locator::Css("noscript .live"))
            .await
            .is_ok(),
        "JavaScript is off"
    );
    let queue = browser.text("#queue").await;
    assert!(queue.contains("Mine to find") && queue.contains("Theirs to skip"));
    let badge = browser
        .client()
        .find(Locator::Css("#live-status"))
        .await
        .expect("badge");
    assert!(!badge.is_displayed().await.expect("displayed"));

    // The filter form, submitted by the browser: a bookmarkable address.
    let owner = browser
        .client()
        .find(Locator::Css("form.filters input[name=owner]"))
        .await
        .expect("owner field");
    owner.send_keys("me@example.com").await.expect("type");
    browser
        .client()
        .find(Locator::Css("form.filters button[type=submit]"))
        .await
        .expect("button")
        .click()
        .await
        .expect("submit");
    let queue = browser
        .wait_for_text("#queue", |t| !t.contains("Theirs to skip"))
        .await;
    assert!(queue.contains("Mine to find"), "{queue}");
    let url = browser.client().current_url().await.expect("url");
    assert_eq!(url.path(), "/");
    assert!(
        url.query_pairs()
            .any(|(k, v)| k == "owner" && v == "me@example.com"),
        "{url}"
    );

    // A link to the ticket's page, which shows where it is.
    browser
        .client()
        .find(Locator::Css(&format!("#queue a[href=\"/ticket/{mine}\"]")))
        .await
        .expect("link")
        .click()
        .await
        .expect("follow");
    browser
        .wait_for_text("#summary .state", |t| t == "Queued: Not Started")
        .await;
    // Not live: a change shows after a reload.
    assert!(app.move_ticket(mine, 200, 100).await.0.is_success());
    assert_eq!(browser.text("#summary .state").await, "Queued: Not Started");
    browser.client().refresh().await.expect("reload");
    assert_eq!(
        browser.text("#summary .state").await,
        "Package Building: In Progress"
    );
    browser.close().await;
}
