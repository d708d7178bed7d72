//! The web pages (docs/api.md, "Web pages"): `/` and `/ticket/{id}`,
//! rendered here from templates compiled into the binary (`templates/web`)
//! and kept live by a small script (`assets/web/live.js`) that follows
//! `events/`. Outside `/api/v1/` and the OpenAPI document. They read as the
//! API's handlers do, the store for lists and the domain for the full
//! ticket; every answer, errors included, is a page with the security
//! headers of [`pages`].

mod assets;
mod dashboard;
mod ticket;
mod view;

use askama::Template;
use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::api::{ApiError, ErrorBodyWritten};
use crate::state::{AppState, AuthMode};

/// The pages. `server.rs` puts them behind the API's authentication (a
/// page is a read) and request timeout, and [`pages`] around both.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::page))
        .route("/ticket/{id}", get(ticket::page))
}

/// The pages' static files: open to all, as a login page's would be.
pub fn assets_router() -> Router<AppState> {
    Router::new().route("/static/{version}/{name}", get(assets::serve))
}

/// What the layout of every page needs.
pub struct Layout {
    pub title: String,
    /// The event stream that keeps the page current (live.js), if any.
    pub events: Option<String>,
    /// How long live.js gathers events before it refreshes the page.
    pub refresh_ms: u32,
    pub css: &'static str,
    pub js: &'static str,
    pub icon: &'static str,
}

impl Layout {
    fn new(title: &str) -> Layout {
        let paths = assets::paths();
        Layout {
            title: title.to_string(),
            events: None,
            refresh_ms: 0,
            css: &paths.css,
            js: &paths.js,
            icon: &paths.icon,
        }
    }

    /// The layout of a page that follows `events` (a path of `events/`).
    fn live(title: &str, events: String, refresh_ms: u32) -> Layout {
        Layout {
            events: Some(events),
            refresh_ms,
            ..Layout::new(title)
        }
    }
}

/// A rendered page, `200 OK`.
fn render(page: &impl Template) -> Result<Response, ApiError> {
    page.render()
        .map(|html| Html(html).into_response())
        .map_err(|err| ApiError::internal(format!("a page did not render: {err}")))
}

#[derive(Template)]
#[template(path = "web/error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    message: String,
    /// The server wants tokens for reads, which a browser cannot send.
    needs_anonymous_read: bool,
}

/// Content-Security-Policy of every page and file: everything from this
/// server only, no inline script or style, no frames, forms post here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'; object-src 'none'";

/// The largest error body read back to put its message on a page.
const ERROR_BODY_BYTES: usize = 64 * 1024;

/// Middleware around the pages and their files: an error answered by any
/// layer (a bad filter, a missing ticket, a 401 of the authentication, the
/// request timeout's 503) becomes a page that says what went wrong, with
/// the same status; and every answer gets the security headers.
pub async fn pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let mut response = if (status.is_client_error() || status.is_server_error()) && !html {
        error_page(&state, response).await
    } else {
        response
    };
    secure(response.headers_mut());
    response
}

/// The page for an error answer: its status, headers (`WWW-Authenticate`)
/// and extensions (a damaged database) kept, its message on the page.
async fn error_page(state: &AppState, response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let status = parts.status;
    let message = match to_bytes(body, ERROR_BODY_BYTES).await {
        Ok(bytes) => serde_json::from_slice::<shared::ErrorBody>(&bytes)
            .map(|body| body.error.message)
            .ok(),
        Err(_) => None,
    }
    .unwrap_or_else(|| ApiError::for_status(status).body.error.message);
    let needs_anonymous_read = status == StatusCode::UNAUTHORIZED
        && state.auth
            == AuthMode::Tokens {
                anonymous_read: false,
            };
    let title = match status {
        StatusCode::BAD_REQUEST => "Not a valid request",
        StatusCode::UNAUTHORIZED => "A token is needed",
        StatusCode::NOT_FOUND => "Not found",
        s if s.is_server_error() => "The server cannot answer now",
        _ => "Cannot show this page",
    };
    let page = ErrorPage {
        layout: Layout::new(title),
        status: status.as_u16(),
        message,
        needs_anonymous_read,
    };
    let html = page.render().unwrap_or_else(|err| {
        tracing::error!(%err, "the error page did not render");
        format!("{status}")
    });
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // The outer layer that gives errors the JSON body leaves this one be.
    parts.extensions.insert(ErrorBodyWritten);
    Response::from_parts(parts, Body::from(html))
}

/// The security headers: the policy above, no content sniffing, no
/// referrer sent elsewhere; pages are not kept by caches (files set their
/// own caching).
fn secure(headers: &mut HeaderMap) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
}
