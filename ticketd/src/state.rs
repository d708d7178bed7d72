//! What every handler can reach ([`AppState`]), and the settings it
//! carries: below the HTTP layer (`api`, `ops`, `server`), above storage
//! and the domain.

use std::sync::Arc;
use std::time::Duration;

use crate::blobs::BlobStore;
use crate::domain::bundle::BundleLimits;
use crate::domain::tokens::TokenUses;
use crate::feed::Feed;
use crate::health::Readiness;
use crate::metrics::Metrics;
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
    /// Event streams (`events/`) open at once; 503 past it.
    pub max_event_streams: usize,
    /// Events a stream may fall behind before it is ended (its client
    /// reads too slowly); the broadcast holds this many.
    pub event_backlog: usize,
    /// How often an idle event stream sends a comment.
    pub event_heartbeat: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_blob_bytes: 2 * 1024 * 1024 * 1024,
            bundle: BundleLimits::default(),
            max_page_bytes: 2 * 1024 * 1024,
            // Half the connections: each stream holds one for as long as
            // it lasts, and idle streams must not lock other clients out.
            max_event_streams: 512,
            event_backlog: 4096,
            event_heartbeat: Duration::from_secs(15),
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
    /// The live feed of events (`events/`), and the streams' shutdown.
    pub feed: Arc<Feed>,
    /// When this process last wrote each token's use.
    pub token_uses: Arc<TokenUses>,
}

impl AppState {
    /// State with the default limits.
    pub fn new(store: Store, blobs: BlobStore, auth: AuthMode) -> AppState {
        AppState::with_limits(store, blobs, auth, Limits::default())
    }

    pub fn with_limits(store: Store, blobs: BlobStore, auth: AuthMode, limits: Limits) -> AppState {
        AppState {
            store,
            blobs,
            auth,
            limits,
            metrics: Metrics::new(),
            readiness: Readiness::new(),
            feed: Feed::new(limits.max_event_streams, limits.event_backlog),
            token_uses: Arc::default(),
        }
    }
}
