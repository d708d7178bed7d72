//! The HTTP server: the middleware stack around the API's routes and the
//! operations routes, and [`serve`], which tests call in-process on a
//! port-0 listener.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Router, middleware};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower::util::{BoxCloneService, MapRequestLayer, MapResponseLayer};
use tower_http::normalize_path::NormalizePathLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::api::{self, ApiError, TokenName};
pub use crate::connections::App;
use crate::connections::{self, ConnectionOptions, ConnectionStats};
use crate::metrics;
use crate::request_limits::{BodyBudget, with_body_idle_timeout};
use crate::secrets::ACCESS_LOG_TARGET;
use crate::state::AppState;
use crate::web;

/// Limits of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Largest JSON body accepted (413 past it).
    pub max_body_bytes: usize,
    /// Bytes of JSON bodies held in memory at once, across all requests.
    pub max_inflight_body_bytes: usize,
    /// Longest a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Longest a request body (an upload too) may go without a byte.
    pub body_idle_timeout: Duration,
    /// Connection caps, header deadline and shutdown grace.
    pub connections: ConnectionOptions,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            max_body_bytes: 16 * 1024 * 1024,
            max_inflight_body_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            body_idle_timeout: Duration::from_secs(30),
            connections: ConnectionOptions::default(),
        }
    }
}

/// Build the [`App`]. Layers that apply to every request wrap the router
/// once, outside it: a layer added with `Router::layer` wraps each route
/// in a box of its own, and every request clones the boxes of its route
/// (measured in BENCHMARKS.md, "Normal throughput").
pub fn app(state: AppState, options: &HttpOptions) -> App {
    let body_idle_timeout = options.body_idle_timeout;
    let auth = || middleware::from_fn_with_state(state.clone(), api::authenticate);
    let timeout =
        TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, options.request_timeout);
    let budget = BodyBudget::new(options.max_inflight_body_bytes, options.max_body_bytes);
    // The routes and `openapi.json` come from the same declarations
    // (`api::ApiRouter`); the document is built apart, in `api/openapi.rs`.
    let (api, _) = api::router().split_for_parts();
    let api = api
        .route_layer(middleware::from_fn(move |request, next| {
            budget.clone().hold(request, next)
        }))
        .route_layer(middleware::from_fn(api::refuse_stray_query))
        .route_layer(auth())
        .layer(timeout);
    // Blob transfers stream for as long as they take: no request timeout.
    let (blobs, _) = api::blob_router().split_for_parts();
    let blobs = blobs.route_layer(auth());
    // Event streams last as long as their clients: no request timeout.
    let (event_stream, _) = api::event_stream_router().split_for_parts();
    let event_stream = event_stream.route_layer(auth());
    // The web pages are reads: the API's authentication (anonymous when
    // `anonymous_read`) and request timeout, and around both the layer
    // that answers every error as a page and adds the security headers.
    let pages = middleware::from_fn_with_state(state.clone(), web::pages);
    let web = web::router()
        .route_layer(auth())
        .layer(timeout)
        .layer(pages.clone());
    let web_assets = web::assets_router().layer(pages);
    let (ops, _) = api::ops_router().split_for_parts();
    let (metrics_route, _) = api::metrics_router().split_for_parts();
    let metrics = state.metrics.clone();
    let router = Router::new()
        .merge(api)
        .merge(blobs)
        .merge(event_stream)
        .merge(web)
        .merge(web_assets)
        .merge(ops)
        .merge(metrics_route.route_layer(auth()))
        .fallback(|| async { ApiError::for_status(StatusCode::NOT_FOUND) })
        .with_state(state);
    let service = ServiceBuilder::new()
        // Paths are answered with or without their trailing slash, without
        // a redirect.
        .layer(NormalizePathLayer::trim_trailing_slash())
        .layer(MapRequestLayer::new(move |request| {
            with_body_idle_timeout(body_idle_timeout, request)
        }))
        .layer(MapResponseLayer::new(IntoResponse::into_response))
        .layer(TraceLayer::new_for_http())
        .layer(middleware::from_fn(access_log))
        .layer(middleware::from_fn_with_state(metrics, metrics::record))
        .layer(middleware::from_fn(api::ensure_error_body))
        .layer(DefaultBodyLimit::max(options.max_body_bytes))
        .service(router);
    BoxCloneService::new(service)
}

/// The most of a path an access-log line shows.
const LOGGED_PATH_CHARS: usize = 200;

/// Middleware: one INFO line per request (target `ticketd::access`,
/// written in batches by the log's writer, `secrets::ScrubbedStderr`):
/// method, path (never the query string), status, latency, and the name of
/// the token used (never the token). `RUST_LOG=info,ticketd::access=warn`
/// turns it off. An event stream's line comes when its headers are sent.
async fn access_log(request: axum::extract::Request, next: middleware::Next) -> Response {
    if !tracing::enabled!(target: ACCESS_LOG_TARGET, tracing::Level::INFO) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    // Cheap to clone (shared bytes).
    let uri = request.uri().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1e3;
    let path = uri.path();
    let path = match path.char_indices().nth(LOGGED_PATH_CHARS) {
        Some((at, _)) => &path[..at],
        None => path,
    };
    let token = response
        .extensions()
        .get::<TokenName>()
        .map_or("-", |name| name.0.as_str());
    tracing::info!(
        target: ACCESS_LOG_TARGET,
        %method,
        %path,
        status = response.status().as_u16(),
        latency_ms = format_args!("{latency_ms:.2}"),
        %token,
        "request"
    );
    response
}

/// Serve `app` on `listener` until `shutdown` resolves, within the bounds
/// of `options` (see [`connections::serve`]).
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: &HttpOptions,
    stats: Arc<ConnectionStats>,
) -> std::io::Result<()> {
    connections::serve(listener, app, shutdown, options.connections.clone(), stats).await
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C). The handlers are installed
/// when this is called, not when the future is first polled: a signal
/// that arrives while `serve` is still migrating then stops it once it
/// serves, instead of killing it (the default action) half-way.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind: SignalKind, name: &'static str| {
        let handler = signal(kind);
        async move {
            match handler {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(err) => {
                    tracing::error!(%err, "cannot listen for {name}");
                    std::future::pending::<()>().await;
                }
            }
        }
    };
    let interrupt = listen(SignalKind::interrupt(), "SIGINT");
    let terminate = listen(SignalKind::terminate(), "SIGTERM");
    async move {
        tokio::select! {
            () = interrupt => {},
            () = terminate => {},
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}
