//! The web pages (`/`, `/ticket/{id}`) over real HTTP on both backends:
//! what a person sees (counts, the queue in order, progress, failures with
//! their reasons, filters kept in the URL), escaping, the error pages (400,
//! 404, 401 without anonymous reads), the security headers and the static
//! files. `browser.rs` drives the same pages in a real browser.

use reqwest::StatusCode;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::json;

use crate::helpers::{Backend, Options, TestApp};

/// A page: its status, headers and HTML.
pub struct Page {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub html: String,
}

impl Page {
    /// The HTML of the section with this element id (`queue`, `failures`).
    pub fn section(&self, id: &str) -> &str {
        let start = self
            .html
            .find(&format!("<section id=\"{id}\""))
            .unwrap_or_else(|| panic!("no section {id} in {}", self.html));
        let rest = &self.html[start..];
        &rest[..rest.find("</section>").unwrap_or(rest.len())]
    }
}

pub async fn page(app: &TestApp, path: &str) -> Page {
    let response = app
        .client()
        .get(app.url(path))
        .send()
        .await
        .expect("request");
    let status = response.status();
    let headers = response.headers().clone();
    let html = response.text().await.expect("body");
    Page {
        status,
        headers,
        html,
    }
}

/// Submit a ticket of `owner` with one upload (bundle, queued or not);
/// its id and its subticket's.
pub async fn submit(app: &TestApp, owner: &str, title: &str, queue: bool) -> (i64, i64) {
    static VERSION: AtomicU32 = AtomicU32::new(1);
    let version = format!("1.{}", VERSION.fetch_add(1, Ordering::Relaxed));
    let (status, body) = app
        .dev()
        .post(
            "/api/v1/bundle/",
            json!({
                "ticket": {"owner": owner, "title": title, "description": "d"},
                "uploads": [{"sourcepackage": "foo", "version": version}],
                "queue": queue,
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let subticket = body["subtickets"][0]["id"].as_i64().expect("subticket id");
    (crate::helpers::id_of(&body), subticket)
}

/// Where `needle` first appears in `haystack`, for order checks.
fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {haystack}"))
}

/// The count the page shows for a step (by its slug).
fn count_of(page: &Page, slug: &str) -> i64 {
    let counts = page.section("counts");
    let item = &counts[at(counts, &format!("<li class=\"{slug}"))..];
    let n = &item[at(item, "<span class=\"n\">") + "<span class=\"n\">".len()..];
    n[..at(n, "<")].parse().expect("a count")
}

fn assert_html(page: &Page, status: StatusCode) {
    assert_eq!(page.status, status, "{}", page.html);
    assert_eq!(
        page.headers["content-type"], "text/html; charset=utf-8",
        "{:?}",
        page.headers
    );
    assert!(page.html.starts_with("<!DOCTYPE html>"), "{}", page.html);
}

backend_tests! {
    async fn the_page_counts_each_step_and_lists_the_queue_oldest_first(app) {
        let (first, _) = submit(&app, "a@example.com", "first queued", true).await;
        let (second, _) = submit(&app, "b@example.com", "second queued", true).await;
        let (building, _) = submit(&app, "a@example.com", "now building", true).await;
        assert!(app.move_ticket(building, 200, 100).await.0.is_success());
        let (fresh, _) = submit(&app, "a@example.com", "not queued", false).await;

        let page = page(&app, "/").await;
        assert_html(&page, StatusCode::OK);
        for (slug, n) in [("new", 1), ("queued", 2), ("package-building", 1), ("image-building", 0), ("failed", 0), ("complete", 0)] {
            assert_eq!(count_of(&page, slug), n, "{slug}");
        }
        let queue = page.section("queue");
        assert!(at(queue, &format!("/ticket/{first}\"")) < at(queue, &format!("/ticket/{second}\"")), "{queue}");
        assert!(queue.contains("<td class=\"place\">1</td>"), "the queue is numbered: {queue}");
        assert!(!queue.contains(&format!("/ticket/{building}\"")) && !queue.contains(&format!("/ticket/{fresh}\"")));
        // In progress: with a progress bar across the five stages.
        let building_section = page.section("step-200");
        assert!(building_section.contains(&format!("/ticket/{building}\"")), "{building_section}");
        assert!(building_section.contains("Package Building: In Progress"), "{building_section}");
        assert_eq!(building_section.matches("class=\"stage ").count(), 5, "{building_section}");
        assert!(building_section.contains("class=\"stage done\"") && building_section.contains("class=\"stage active\""));
        // New tickets are listed only when asked for.
        assert!(!page.html.contains(&format!("/ticket/{fresh}\"")));
        let new = page_of_step(&app, "new").await;
        assert!(new.section("new").contains(&format!("/ticket/{fresh}\"")));
    }

    async fn a_long_queue_shows_its_first_fifty_and_how_many_more(app) {
        for i in 0..53 {
            submit(&app, "q@example.com", &format!("queued number {i:02}"), true).await;
        }
        let page = page(&app, "/?step=queued").await;
        let queue = page.section("queue");
        assert_eq!(queue.matches("<tr>").count(), 1 + 50, "a head row and fifty tickets");
        assert!(queue.contains("queued number 00") && queue.contains("queued number 49"));
        assert!(!queue.contains("queued number 50"));
        assert!(queue.contains("and 3 more"), "{queue}");
        // Filtered, the count is of the matches.
        let mine = page_of(&app, "/?owner=q%40example.com&step=queued").await;
        assert!(mine.section("queue").contains("and 3 more"));
    }

    async fn failures_show_their_one_line_reason(app) {
        let (ticket, subticket) = submit(&app, "a@example.com", "breaks", true).await;
        let (status, body) = app.lander().patch(&format!("/api/v1/updatesubticketstatus/{subticket}/"),
            json!({"current_workflow_step": 100, "status": 999, "message": "FTBFS on armhf\nlong log follows"})).await;
        assert!(status.is_success(), "{body}");
        let (direct, _) = submit(&app, "a@example.com", "fails itself", true).await;
        let (status, body) = app.lander().patch(&format!("/api/v1/updateticketstatus/{direct}/"),
            json!({"current_workflow_step": 999, "status": 999})).await;
        assert!(status.is_success(), "{body}");

        let page = page(&app, "/").await;
        let failures = page.section("failures");
        // Newest first.
        assert!(at(failures, &format!("/ticket/{direct}\"")) < at(failures, &format!("/ticket/{ticket}\"")), "{failures}");
        assert!(failures.contains(&format!("subticket {subticket}: FTBFS on armhf…")), "{failures}");
        assert!(!failures.contains("long log follows"));
        assert!(failures.contains("no reason given"), "{failures}");
        assert!(failures.contains("Failed at Queued") && failures.contains("class=\"stage failed\""), "{failures}");
        assert_eq!(count_of(&page, "failed"), 2);
    }

    async fn filters_by_owner_step_and_title_live_in_the_url(app) {
        let (mine, _) = submit(&app, "me@example.com", "Fix the crash on start", true).await;
        let (theirs, _) = submit(&app, "them@example.com", "Fix the crash on exit", true).await;
        let (other, _) = submit(&app, "me@example.com", "Update translations", true).await;
        let has = |page: &Page, id: i64| page.html.contains(&format!("/ticket/{id}\""));

        let by_owner = page_of(&app, "/?owner=me%40example.com").await;
        assert!(has(&by_owner, mine) && has(&by_owner, other) && !has(&by_owner, theirs));
        // The form shows the filter, to change it.
        assert!(by_owner.html.contains("name=\"owner\" value=\"me@example.com\""), "{}", by_owner.html);
        assert!(by_owner.html.contains("<a href=\"/\">Show all</a>"));

        let by_title = page_of(&app, "/?title=CRASH").await;
        assert!(has(&by_title, mine) && has(&by_title, theirs) && !has(&by_title, other));
        let both = page_of(&app, "/?owner=me%40example.com&title=crash&step=").await;
        assert!(has(&both, mine) && !has(&both, theirs) && !has(&both, other));
        // Filtered, a queue's rows are not numbered: the numbers would not be places.
        assert!(!both.section("queue").contains("class=\"place\""));

        assert!(app.move_ticket(theirs, 300, 100).await.0.is_success());
        let by_step = page_of(&app, "/?step=300").await;
        assert!(has(&by_step, theirs) && !has(&by_step, mine));
        assert!(by_step.html.contains("<option value=\"image-building\" selected>"), "{}", by_step.html);
        assert!(!by_step.html.contains("<section id=\"queue\""), "one step, one list");
        // Counts stay those of every ticket.
        assert_eq!(count_of(&by_step, "queued"), 2);
    }

    async fn bad_filters_are_a_400_page_that_says_why(app) {
        for (query, says) in [
            ("step=building", "step: `building` is not a workflow step"),
            ("colour=red", "`colour` is not a filter of this page"),
            ("owner=a%40example.com&owner=b%40example.com", "owner: given more than once"),
            ("title=%00", "NUL"),
            ("title=%ff", "title: is not UTF-8"),
            ("step=99999999999999999999", "is not a workflow step"),
        ] {
            let page = page(&app, &format!("/?{query}")).await;
            assert_html(&page, StatusCode::BAD_REQUEST);
            assert!(page.html.contains(says), "{query}: {}", page.html);
            assert!(page.html.contains("show all tickets"), "{query}");
        }
        let page = page(&app, "/ticket/1?x=1").await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
    }

    async fn text_is_escaped_everywhere_it_is_shown(app) {
        let script = "<script>alert(1)</script>";
        let (status, body) = app.dev().post("/api/v1/bundle/", json!({
            "ticket": {"owner": "a@example.com", "title": script, "description": format!("<img src=x onerror=alert(1)> {script}")},
            "uploads": [{"sourcepackage": "foo", "version": "1.0"}],
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = crate::helpers::id_of(&body);
        let subticket = body["subtickets"][0]["id"].as_i64().expect("subticket");
        let (status, body) = app.lander().patch(&format!("/api/v1/updatesubticketstatus/{subticket}/"),
            json!({"current_workflow_step": 100, "status": 999, "message": script})).await;
        assert!(status.is_success(), "{body}");
        for path in ["/".to_string(), format!("/ticket/{id}"), format!("/?title={}", "%3Cscript%3E"), "/?step=failed".into()] {
            let page = page(&app, &path).await;
            assert_html(&page, StatusCode::OK);
            assert!(page.html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{path}: {}", page.html);
            assert!(!page.html.contains(script), "{path}: {}", page.html);
            assert!(!page.html.contains("<img"), "{path}");
        }
        // What a 404 page repeats from the address is escaped too.
        let page = page(&app, "/ticket/%3Cb%3Ex").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.html.contains("<b>x") && page.html.contains("&#60;b&#62;x"), "{}", page.html);
    }

    async fn a_missing_ticket_is_a_404_page_that_explains(app) {
        for path in ["/ticket/424242", "/ticket/abc", "/ticket/0", "/ticket/-1"] {
            let page = page(&app, path).await;
            assert_html(&page, StatusCode::NOT_FOUND);
            assert!(page.html.contains("there is no ticket"), "{path}: {}", page.html);
            assert!(page.html.contains("list of tickets"), "{path}");
        }
    }

    async fn the_ticket_page_shows_subtickets_failure_artifacts_and_history(app) {
        let log = b"make: *** [build] Error 1\n".to_vec();
        let digest = crate::blobs::sha256(&log);
        assert_eq!(crate::blobs::put(&app, &digest, log.clone()).await.0, StatusCode::CREATED);
        let (status, body) = app.dev().post("/api/v1/bundle/", json!({
            "ticket": {"owner": "a@example.com", "title": "Transition", "description": "two uploads", "bug_id": "12345"},
            "uploads": [{"sourcepackage": "foo", "version": "1.2-3"}, {"sourcepackage": "bar", "version": "2.0-1"}],
            "artifacts": [{"name": "rootfs.img", "reference": "https://images.example/7.img", "type": "IMAGE"}],
        })).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let id = crate::helpers::id_of(&body);
        let foo = body["subtickets"][0]["id"].as_i64().expect("subticket");
        assert!(app.move_ticket(id, 200, 100).await.0.is_success());
        let (status, body) = app.lander().post("/api/v1/subticketartifact/", json!({
            "name": "build.log", "subticket": foo, "reference": format!("/api/v1/blob/{digest}"), "type": "LOGS"})).await;
        assert!(status.is_success(), "{body}");
        let (status, body) = app.lander().patch(&format!("/api/v1/updatesubticketstatus/{foo}/"),
            json!({"current_workflow_step": 200, "status": 999, "message": "FTBFS on armhf"})).await;
        assert!(status.is_success(), "{body}");

        let page = page(&app, &format!("/ticket/{id}")).await;
        assert_html(&page, StatusCode::OK);
        let summary = page.section("summary");
        assert!(summary.contains("Failed at Package Building"), "{summary}");
        assert!(summary.contains("<li class=\"done\"><span class=\"name\">Queued</span>"), "{summary}");
        assert!(summary.contains("<li class=\"failed\"><span class=\"name\">Package Building</span>"), "{summary}");
        assert!(summary.contains("12345") && summary.contains("two uploads"));
        let subtickets = page.section("subtickets");
        assert!(subtickets.contains("foo") && subtickets.contains("1.2-3") && subtickets.contains("bar") && subtickets.contains("2.0-1"));
        assert_eq!(subtickets.matches("<span class=\"progress\"").count(), 2, "a stepper per subticket");
        let failure = page.section("failure");
        assert!(failure.contains(&format!("Package Building, subticket {foo} (foo 1.2-3)")), "{failure}");
        assert!(failure.contains("FTBFS on armhf"), "{failure}");
        assert!(failure.contains("Fix the package so that it builds"), "{failure}");
        let link = format!("<a href=\"/api/v1/blob/{digest}\" download=\"build.log\">build.log</a>");
        assert!(failure.contains(&link), "{failure}");
        assert!(page.section("artifacts").contains("<a href=\"https://images.example/7.img\">rootfs.img</a>"));
        // The link downloads the log.
        let downloaded = app.client().get(app.url(&format!("/api/v1/blob/{digest}"))).send().await.expect("download");
        assert_eq!(downloaded.bytes().await.expect("bytes").to_vec(), log);
        // History, newest first: the failure before the creation.
        let history = page.section("history");
        assert!(at(history, "FTBFS on armhf") < at(history, "created"), "{history}");
        assert!(history.contains("by test-lander"), "{history}");
        // The page follows its ticket's events from the newest it shows.
        let (_, events) = app.anon().get(&format!("/api/v1/event/?ticket={id}&order_by=-id&limit=1")).await;
        let newest = events["objects"][0]["id"].as_i64().expect("event id");
        assert!(page.html.contains(&format!("data-events=\"/api/v1/events/?ticket={id}&#38;last_event_id={newest}\"")), "{}", page.html);
    }

    async fn the_ticket_page_says_its_place_in_the_queue_and_since_when(app) {
        let (first, _) = submit(&app, "a@example.com", "first", true).await;
        let (second, _) = submit(&app, "a@example.com", "second", true).await;
        let (third, _) = submit(&app, "a@example.com", "third", true).await;
        for (id, says) in [(first, "next in the queue"), (second, "1 ticket ahead in the queue"), (third, "2 tickets ahead in the queue")] {
            let summary = page_of(&app, &format!("/ticket/{id}")).await.section("summary").to_string();
            assert!(summary.contains(says), "{id}: {summary}");
            assert!(summary.contains("<span class=\"since\">since <time"), "{summary}");
        }
        assert!(app.move_ticket(first, 200, 100).await.0.is_success());
        let summary = page_of(&app, &format!("/ticket/{first}")).await.section("summary").to_string();
        assert!(!summary.contains("in the queue"), "{summary}");
        let summary = page_of(&app, &format!("/ticket/{second}")).await.section("summary").to_string();
        assert!(summary.contains("next in the queue"), "{summary}");
    }

    async fn kept_counts_per_step_follow_every_kind_of_move(app) {
        let (a, a_sub) = submit(&app, "a@example.com", "walks to the end", true).await;
        let (b, _) = submit(&app, "a@example.com", "is failed", true).await;
        let (c, _) = submit(&app, "a@example.com", "is forced", true).await;
        submit(&app, "a@example.com", "stays new", false).await;
        for step in [200, 300, 400, 500] {
            assert!(app.move_ticket(a, step, 100).await.0.is_success());
        }
        assert!(app.move_subticket(a_sub, 500, 200).await.0.is_success());
        assert!(app.move_ticket(a, 1000, 1000).await.0.is_success());
        assert!(app.move_ticket(b, 999, 999).await.0.is_success());
        let (status, body) = app.admin().patch(&format!("/api/v1/updateticketstatus/{c}/"),
            json!({"current_workflow_step": 300, "status": 0, "force": true})).await;
        assert!(status.is_success(), "{body}");
        // A status change within a step leaves the counts.
        assert!(app.move_ticket(c, 300, 100).await.0.is_success());

        let page = page(&app, "/").await;
        for step in shared::Step::ALL {
            let (_, real) = app.anon().get(&format!("/api/v1/ticket/?current_workflow_step={}&limit=1", step.code())).await;
            assert_eq!(count_of(&page, step.slug()), real["meta"]["total_count"].as_i64().expect("count"), "{step}");
        }
        assert_eq!(count_of(&page, "complete"), 1);
        assert_eq!(count_of(&page, "image-building"), 1);
    }

    async fn pages_carry_the_security_headers_and_load_nothing_from_elsewhere(app) {
        let (id, _) = submit(&app, "a@example.com", "headers", true).await;
        for path in ["/".to_string(), format!("/ticket/{id}"), "/ticket/999".into(), "/?step=x".into()] {
            let page = page(&app, &path).await;
            let csp = page.headers["content-security-policy"].to_str().expect("text");
            assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
            assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
            assert_eq!(page.headers["x-content-type-options"], "nosniff", "{path}");
            // No inline script or style, nothing loaded from elsewhere (the
            // only absolute URLs are links to what a ticket references).
            for tag in page.html.split("<script").skip(1) {
                assert!(tag.trim_start().starts_with("src=\"/static/"), "{path}: <script{tag}");
            }
            assert!(!page.html.contains(" style=") && !page.html.contains("<style"), "{path}");
            for tag in ["<link ", "<script ", "<img ", "<iframe ", "<object "] {
                for rest in page.html.split(tag).skip(1) {
                    let element = &rest[..rest.find('>').unwrap_or(rest.len())];
                    assert!(!element.contains("=\"http") && !element.contains("=\"//"), "{path}: {tag}{element}");
                }
            }
        }
    }

    async fn static_files_are_versioned_and_revalidated_by_etag(app) {
        let home = page(&app, "/").await;
        let start = at(&home.html, "<link rel=\"stylesheet\" href=\"") + "<link rel=\"stylesheet\" href=\"".len();
        let css = &home.html[start..start + at(&home.html[start..], "\"")];
        assert!(css.starts_with("/static/") && css.ends_with("/web.css"), "{css}");
        let response = app.client().get(app.url(css)).send().await.expect("css");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "text/css; charset=utf-8");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert!(response.headers()["cache-control"].to_str().expect("text").contains("immutable"));
        let etag = response.headers()["etag"].clone();
        let again = app.client().get(app.url(css)).header("if-none-match", etag).send().await.expect("css");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        // Another version (a page of another ticketd): this file, not kept.
        let other = app.client().get(app.url("/static/0123456789abcdef/web.css")).send().await.expect("css");
        assert_eq!(other.status(), StatusCode::OK);
        assert_eq!(other.headers()["cache-control"], "no-cache");
        let missing = page(&app, "/static/0123456789abcdef/nothing.js").await;
        assert_html(&missing, StatusCode::NOT_FOUND);
        let js = &home.html[at(&home.html, "<script src=\"") + "<script src=\"".len()..];
        let js = &js[..at(js, "\"")];
        let script = app.client().get(app.url(js)).send().await.expect("js");
        assert_eq!(script.headers()["content-type"], "text/javascript; charset=utf-8");
        assert!(script.text().await.expect("js").contains("new EventSource("));
    }

    async fn the_pages_are_not_in_the_openapi_document(app) {
        let (status, document) = app.anon().get("/api/v1/openapi.json").await;
        assert_eq!(status, StatusCode::OK);
        let paths: Vec<&String> = document["paths"].as_object().expect("paths").keys().collect();
        assert!(paths.iter().all(|p| p.starts_with("/api/v1/") || ["/healthz", "/readyz", "/metrics"].contains(&p.as_str())), "{paths:?}");
    }
}

/// `/?step=SLUG`.
async fn page_of_step(app: &TestApp, slug: &str) -> Page {
    page_of(app, &format!("/?step={slug}")).await
}

/// A page that must answer 200.
async fn page_of(app: &TestApp, path: &str) -> Page {
    let page = page(app, path).await;
    assert_html(&page, StatusCode::OK);
    page
}

async fn pages_need_anonymous_reads(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, Options::without_anonymous_reads()).await else {
        return;
    };
    let (id, _) = submit(&app, "a@example.com", "private", true).await;
    for path in ["/".to_string(), format!("/ticket/{id}"), "/?step=x".into()] {
        let page = page(&app, &path).await;
        assert_html(&page, StatusCode::UNAUTHORIZED);
        assert!(
            page.html.contains("anonymous_read = true"),
            "{path}: {}",
            page.html
        );
        assert!(
            !page.html.contains("private"),
            "{path}: nothing of the ticket shows"
        );
        assert_eq!(page.headers["www-authenticate"], "Bearer");
        assert!(page.headers.contains_key("content-security-policy"));
    }
    // A token still reads them (a script may), and a wrong one is a 401 page.
    let path = format!("/ticket/{id}");
    let response = app.dev().raw(reqwest::Method::GET, &path, None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .with_token("wrong")
        .raw(reqwest::Method::GET, "/", None)
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.expect("html");
    assert!(html.contains("the token is unknown or revoked"), "{html}");
    // The stylesheet of the 401 page is open to all.
    let home = page(&app, "/").await;
    let start = at(&home.html, "href=\"/static/") + "href=\"".len();
    let css = &home.html[start..start + at(&home.html[start..], "\"")];
    let response = app.client().get(app.url(css)).send().await.expect("css");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_need_anonymous_reads_on_sqlite() {
    pages_need_anonymous_reads(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_need_anonymous_reads_on_postgres() {
    pages_need_anonymous_reads(Backend::Postgres).await;
}
