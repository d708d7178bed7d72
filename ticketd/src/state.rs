//! What every handler can reach ([`AppState`]), and the settings it
//! carries: below the HTTP layer (`api`, `ops`, `server`), above storage
//! and the domain.

use std::sync::Arc;

use crate::blobs::BlobStore;
use crate::domain::bundle::BundleLimits;
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
