//! The body and the answer of `packagelist/`: the project manager's import.

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::validate;

/// One entry of the project manager's package list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PackageListEntry {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9][a-z0-9+.-]{1,254}$"))]
    pub binary: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9][a-z0-9+.-]{1,254}$"))]
    pub source: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9][A-Za-z0-9.+~]{0,40}(-[A-Za-z0-9.+~]{1,20})?$")
    )]
    pub version: String,
    /// Whether the binary is seeded in the image; default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seeded: Option<bool>,
}

impl PackageListEntry {
    /// Field problems, by path (`entries[17].version`).
    pub fn validate(&self, index: usize, errors: &mut FieldErrors) {
        let path = format!("entries[{index}]");
        errors.check(
            &format!("{path}.binary"),
            validate::package_name(&self.binary),
        );
        errors.check(
            &format!("{path}.source"),
            validate::package_name(&self.source),
        );
        errors.check(&format!("{path}.version"), validate::version(&self.version));
    }
}

/// The answer of `packagelist/`: counts of binaries, and of sources created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PackageListSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub sources_created: u64,
}
