//! The HTTP server: shared state, the middleware stack, health routes and
//! [`serve`], which tests call in-process on a port-0 listener.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use serde_json::json;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower::util::{BoxCloneService, MapRequestLayer, MapResponseLayer};
use tower_http::normalize_path::NormalizePathLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::api::{self, ApiError};
use crate::blobs::BlobStore;
pub use crate::connections::App;
use crate::connections::{self, ConnectionOptions, ConnectionStats};
use crate::domain::bundle::BundleLimits;
use crate::health::Readiness;
use crate::metrics::{self, Metrics};
use crate::request_limits::{BodyBudget, with_body_idle_timeout};
use crate::store::Store;

/// Whether and how requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    /// `--no-auth`: every request may do everything (loopback only).
    Disabled,
    /// Bearer tokens; reads without one when `anonymous_read`.
    Tokens { anonymous_read: bool },
}

/// Size limits beyond the JSON body limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest blob upload (413 past it).
    pub max_blob_bytes: u64,
    /// Most uploads and artifacts in one bundle.
    pub bundle: BundleLimits,
    /// The text a list page holds before it stops early.
    pub max_page_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_blob_bytes: 2 * 1024 * 1024 * 1024,
            bundle: BundleLimits::default(),
            max_page_bytes: 2 * 1024 * 1024,
        }
    }
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub blobs: BlobStore,
    pub auth: AuthMode,
    pub limits: Limits,
    pub metrics: Arc<Metrics>,
    /// The `/readyz` probe, shared so that it runs at most once a second.
    pub readiness: Arc<Readiness>,
}

impl AppState {
    /// State with the default limits.
    pub fn new(store: Store, blobs: BlobStore, auth: AuthMode) -> AppState {
        AppState {
            store,
            blobs,
            auth,
            limits: Limits::default(),
            metrics: Metrics::new(),
            readiness: Readiness::new(),
        }
    }
}

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
    let metrics = state.metrics.clone();
    let router = Router::new()
        .merge(api)
        .merge(blobs)
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::metrics).route_layer(auth()))
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
        .layer(middleware::from_fn_with_state(metrics, metrics::record))
        .layer(middleware::from_fn(api::ensure_error_body))
        .layer(DefaultBodyLimit::max(options.max_body_bytes))
        .service(router);
    BoxCloneService::new(service)
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

/// The process is alive.
async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// How long `/readyz` waits for the database and the blob store: a
/// probe's own timeout is often 1 s, and a database that takes longer than
/// this to take one small write is not ready (while it is down, connecting
/// waits much longer).
const READY_TIMEOUT: Duration = Duration::from_millis(900);

/// The database is sound, answers and takes durable writes, and the blob
/// store takes files. The probe writes at most once a second (see
/// [`Readiness`]); callers in between share its result.
async fn readyz(State(state): State<AppState>) -> Response {
    let result = match state.metrics.damage() {
        Some(_) => Err(
            "the database is damaged and must be restored; the details are in the server log"
                .to_string(),
        ),
        None => {
            let (store, blobs) = (state.store.clone(), state.blobs.clone());
            state
                .readiness
                .check(|| async move {
                    let probe = async {
                        store.ready().await.map_err(|err| {
                            tracing::warn!(%err, "readiness: the database is unavailable");
                            "the database is unavailable".to_string()
                        })?;
                        blobs.probe().await.map_err(|err| {
                            tracing::warn!(%err, "readiness: the blob store takes no files");
                            format!("the blob store cannot take files: {err}")
                        })
                    };
                    tokio::time::timeout(READY_TIMEOUT, probe)
                        .await
                        .unwrap_or_else(|_| Err(format!("no answer within {READY_TIMEOUT:?}")))
                })
                .await
        }
    };
    match result {
        Ok(()) => Json(json!({"ready": true})).into_response(),
        Err(message) => {
            let mut response = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                shared::ErrorCode::Unavailable,
                message.clone(),
            )
            .into_response();
            *response.body_mut() = axum::body::Body::from(
                json!({"ready": false, "error": {"code": "unavailable", "message": message}})
                    .to_string(),
            );
            response
        }
    }
}

/// Resolves on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
