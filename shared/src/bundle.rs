//! The body of `bundle/`: a whole submission (a ticket, its uploads and
//! their artifacts) in one call.

use serde::{Deserialize, Serialize};

use crate::codes::ArtifactType;
use crate::error::FieldErrors;
use crate::requests::{Fields, NewTicket};
use crate::validate;

/// An artifact inside a bundle: `{"name", "reference", "type"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BundleArtifact {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 1024,
            pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
        )
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^https://([a-z0-9]{1,20}\\.){0,3}[a-z][a-z0-9]{0,19}(/[A-Za-z0-9._~-]{0,20}){0,4}$"
        )
    )]
    pub reference: String,
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^(SPU|RESULTS|LOGS|IMAGE)$"))]
    pub kind: String,
}

/// One source package upload of a bundle, with its artifacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BundleUpload {
    /// The source package's name; found or created.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9][a-z0-9+.-]{1,254}$"))]
    pub sourcepackage: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9][A-Za-z0-9.+~]{0,40}(-[A-Za-z0-9.+~]{1,20})?$")
    )]
    pub version: String,
    /// Defaults to the ticket's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z0-9._+-]{1,64}@[a-z0-9]{1,20}(\\.[a-z0-9]{1,20}){0,3}$")
    )]
    pub assignee: Option<String>,
    #[serde(default)]
    pub artifacts: Vec<BundleArtifact>,
}

fn yes() -> bool {
    true
}

/// `POST bundle/`: a ticket, its uploads and artifacts, in one transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BundleRequest {
    pub ticket: NewTicket,
    /// At least one; at most the server's `max_bundle_uploads` (100 by default).
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 100))]
    pub uploads: Vec<BundleUpload>,
    #[serde(default)]
    pub artifacts: Vec<BundleArtifact>,
    /// Queue the ticket (step 100) once created; default true.
    #[serde(default = "yes")]
    pub queue: bool,
}

impl Fields for BundleRequest {
    const ALLOWED: &'static [&'static str] = &["ticket", "uploads", "artifacts", "queue"];
}

impl BundleArtifact {
    /// Field problems of an artifact at `path` whose owner takes `allowed` types.
    pub fn validate(&self, path: &str, allowed: &[ArtifactType], errors: &mut FieldErrors) {
        errors.check(
            &format!("{path}.name"),
            validate::length(self.name.trim(), 1, validate::ARTIFACT_NAME_MAX),
        );
        errors.check(
            &format!("{path}.reference"),
            validate::reference(&self.reference),
        );
        errors.check(
            &format!("{path}.type"),
            ArtifactType::parse_among(&self.kind, allowed),
        );
    }
}

impl BundleRequest {
    /// Every field problem that needs no database, by path
    /// (`uploads[1].version`). Limits are the server's configuration.
    pub fn validate(&self, errors: &mut FieldErrors) {
        self.ticket.validate("ticket.", errors);
        if self.uploads.is_empty() {
            errors.add("uploads", "must hold at least one upload");
        }
        for (i, upload) in self.uploads.iter().enumerate() {
            let path = format!("uploads[{i}]");
            errors.check(
                &format!("{path}.sourcepackage"),
                validate::package_name(&upload.sourcepackage),
            );
            errors.check(
                &format!("{path}.version"),
                validate::version(&upload.version),
            );
            if let Some(assignee) = &upload.assignee {
                errors.check(&format!("{path}.assignee"), validate::email(assignee));
            }
            for (j, artifact) in upload.artifacts.iter().enumerate() {
                artifact.validate(
                    &format!("{path}.artifacts[{j}]"),
                    ArtifactType::FOR_SUBTICKET,
                    errors,
                );
            }
        }
        for (i, artifact) in self.artifacts.iter().enumerate() {
            artifact.validate(&format!("artifacts[{i}]"), ArtifactType::FOR_TICKET, errors);
        }
    }

    /// Every artifact reference of the bundle with its field path.
    pub fn references(&self) -> Vec<(String, &str)> {
        let mut all = Vec::new();
        for (i, upload) in self.uploads.iter().enumerate() {
            for (j, a) in upload.artifacts.iter().enumerate() {
                all.push((
                    format!("uploads[{i}].artifacts[{j}].reference"),
                    a.reference.as_str(),
                ));
            }
        }
        for (i, a) in self.artifacts.iter().enumerate() {
            all.push((format!("artifacts[{i}].reference"), a.reference.as_str()));
        }
        all
    }

    /// How many artifacts the bundle holds in all.
    pub fn artifact_count(&self) -> usize {
        self.artifacts.len()
            + self
                .uploads
                .iter()
                .map(|u| u.artifacts.len())
                .sum::<usize>()
    }
}
