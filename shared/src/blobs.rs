//! The blob store's answer.

use serde::{Deserialize, Serialize};

/// The answer of `PUT blob/{sha256}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlobStored {
    /// `/api/v1/blob/{sha256}`: what artifacts reference.
    pub reference: String,
    /// Bytes stored.
    pub size: u64,
}
