//! Typed models of the ticketd REST API (`docs/api.md`), shared by the daemon
//! and the command-line client: request and response bodies, the workflow
//! step and status codes, validation of Debian names and versions, and the
//! error body. No I/O lives here.
#![forbid(unsafe_code)]

pub mod blobs;
pub mod bundle;
pub mod codes;
pub mod error;
pub mod lenient;
pub mod models;
pub mod packagelist;
pub mod refs;
pub mod requests;
pub mod validate;

pub use codes::{ArtifactType, EventKind, Role, Status, Step};
pub use error::{ErrorBody, ErrorCode, ErrorDetail};
pub use refs::Ref;

/// The path every API resource lives under.
pub const API_PREFIX: &str = "/api/v1";

/// The `resource_uri` of an object: `/api/v1/{resource}/{id}/`.
pub fn resource_uri(resource: &str, id: i64) -> String {
    format!("{API_PREFIX}/{resource}/{id}/")
}
