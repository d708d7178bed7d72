//! The codes of the API (`docs/api.md`): workflow steps, statuses, artifact
//! types, event kinds and token roles. Steps and statuses serialize as their
//! numeric code and parse from a number, a numeric string (`"000"`) or a name
//! (`"queued"`, `"Package Building"`, `"image-testing"`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Lower-case a name and fold spaces and underscores into hyphens, so that
/// `Image Testing`, `image_testing` and `image-testing` compare equal.
fn slugify(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            ' ' | '_' => '-',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $($variant:ident = $code:literal, $display:literal, $slug:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $(#[doc = $display] $variant,)+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The numeric code stored and sent over the wire.
            pub fn code(self) -> i64 {
                match self { $($name::$variant => $code,)+ }
            }

            /// The human name (`*_display` in responses).
            pub fn display_name(self) -> &'static str {
                match self { $($name::$variant => $display,)+ }
            }

            /// The command-line spelling (`package-building`).
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)+ }
            }

            /// The value with this numeric code, if there is one.
            pub fn from_code(code: i64) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// What a parse error lists as allowed.
            pub fn allowed() -> String {
                Self::ALL
                    .iter()
                    .map(|v| format!("{} ({})", v.code(), v.slug()))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.display_name())
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                let trimmed = text.trim();
                if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
                    if let Some(value) = trimmed.parse().ok().and_then(Self::from_code) {
                        return Ok(value);
                    }
                } else {
                    let slug = slugify(trimmed);
                    if let Some(value) = Self::ALL.iter().find(|v| v.slug() == slug) {
                        return Ok(*value);
                    }
                }
                Err(format!(
                    "`{text}` is not a {}; allowed: {}",
                    $what,
                    Self::allowed()
                ))
            }
        }

        impl TryFrom<i64> for $name {
            type Error = UnknownCode;
            fn try_from(code: i64) -> Result<Self, UnknownCode> {
                Self::from_code(code).ok_or(UnknownCode { what: $what, code })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = crate::lenient::NumberOrString::deserialize(deserializer)?;
                raw.as_text().parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

/// A stored or sent code that names no step or status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// `workflow step` or `status`.
    pub what: &'static str,
    /// The code.
    pub code: i64,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not a {} code", self.code, self.what)
    }
}

impl std::error::Error for UnknownCode {}

/// A stored spelling that names no known value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnknownName {}

macro_rules! try_from_string {
    ($($name:ident),+) => {$(
        impl TryFrom<String> for $name {
            type Error = UnknownName;
            fn try_from(text: String) -> Result<Self, UnknownName> {
                text.parse().map_err(UnknownName)
            }
        }
    )+};
}

try_from_string!(ArtifactType, EventKind, Role);

coded_enum! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    /// Where a ticket or subticket is in the workflow (`current_workflow_step`).
    Step, "workflow step" {
        New = 0, "New", "new";
        Queued = 100, "Queued", "queued";
        PackageBuilding = 200, "Package Building", "package-building";
        ImageBuilding = 300, "Image Building", "image-building";
        ImageTesting = 400, "Image Testing", "image-testing";
        PackagePublishing = 500, "Package Publishing", "package-publishing";
        Failed = 999, "Failed", "failed";
        Complete = 1000, "Complete", "complete";
    }
}

coded_enum! {
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    /// How things are going within the current step (`status`).
    Status, "status" {
        NotStarted = 0, "Not Started", "not-started";
        InProgress = 100, "In Progress", "in-progress";
        Succeeded = 200, "Succeeded", "succeeded";
        Failed = 999, "Failed", "failed";
        Complete = 1000, "Complete", "complete";
    }
}

impl Step {
    /// Failed and Complete: nothing moves out of them without `force`.
    pub fn is_terminal(self) -> bool {
        matches!(self, Step::Failed | Step::Complete)
    }
}

/// What an artifact is. Tickets take `RESULTS`, `LOGS`, `IMAGE`;
/// subtickets take `SPU`, `RESULTS`, `LOGS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum ArtifactType {
    /// A file of the source package upload.
    Spu,
    /// Test results.
    Results,
    /// Build or test logs.
    Logs,
    /// A built image.
    Image,
}

impl ArtifactType {
    /// Every type.
    pub const ALL: &'static [ArtifactType] = &[
        ArtifactType::Spu,
        ArtifactType::Results,
        ArtifactType::Logs,
        ArtifactType::Image,
    ];
    /// The types a ticket artifact may have.
    pub const FOR_TICKET: &'static [ArtifactType] = &[
        ArtifactType::Results,
        ArtifactType::Logs,
        ArtifactType::Image,
    ];
    /// The types a subticket artifact may have.
    pub const FOR_SUBTICKET: &'static [ArtifactType] =
        &[ArtifactType::Spu, ArtifactType::Results, ArtifactType::Logs];

    /// The wire spelling (`LOGS`).
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactType::Spu => "SPU",
            ArtifactType::Results => "RESULTS",
            ArtifactType::Logs => "LOGS",
            ArtifactType::Image => "IMAGE",
        }
    }

    /// Parse one of `allowed`, with an error that lists them.
    pub fn parse_among(text: &str, allowed: &[ArtifactType]) -> Result<Self, String> {
        allowed
            .iter()
            .find(|t| t.as_str() == text)
            .copied()
            .ok_or_else(|| {
                let names: Vec<_> = allowed
                    .iter()
                    .map(|t| format!("\"{}\"", t.as_str()))
                    .collect();
                format!("must be one of {}", names.join(", "))
            })
    }
}

impl fmt::Display for ArtifactType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ArtifactType {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Self::parse_among(text, Self::ALL)
    }
}

/// What an event of a ticket's history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// The ticket or subticket was created.
    Created,
    /// A status change within the workflow rules.
    Status,
    /// An artifact was attached.
    Artifact,
    /// An admin's change that overrode the workflow rules.
    Forced,
}

impl EventKind {
    /// Every kind.
    pub const ALL: &'static [EventKind] = &[
        EventKind::Created,
        EventKind::Status,
        EventKind::Artifact,
        EventKind::Forced,
    ];

    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Status => "status",
            EventKind::Artifact => "artifact",
            EventKind::Forced => "forced",
        }
    }
}

impl FromStr for EventKind {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .find(|k| k.as_str() == text)
            .copied()
            .ok_or_else(|| "must be one of created, status, artifact, forced".to_string())
    }
}

/// What a token may do. Each role has every right of the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// No token: reads only, when the server allows anonymous reads.
    Anonymous,
    /// Submits tickets and queues them.
    Developer,
    /// Moves tickets through the workflow.
    Lander,
    /// Everything, including `force` and the project manager import.
    Admin,
}

impl Role {
    /// The wire and storage spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Anonymous => "anonymous",
            Role::Developer => "developer",
            Role::Lander => "lander",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    /// Parses a role a token can have (not `anonymous`).
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "developer" => Ok(Role::Developer),
            "lander" => Ok(Role::Lander),
            "admin" => Ok(Role::Admin),
            _ => Err(format!(
                "`{text}` is not a role; allowed: developer, lander, admin"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_parse_from_codes_padded_codes_and_names() {
        assert_eq!("000".parse::<Step>(), Ok(Step::New));
        assert_eq!("100".parse::<Step>(), Ok(Step::Queued));
        assert_eq!(
            "Package Building".parse::<Step>(),
            Ok(Step::PackageBuilding)
        );
        assert_eq!("image-testing".parse::<Step>(), Ok(Step::ImageTesting));
        assert_eq!("IMAGE_BUILDING".parse::<Step>(), Ok(Step::ImageBuilding));
        assert!("150".parse::<Step>().is_err());
        assert!("".parse::<Step>().is_err());
    }

    #[test]
    fn statuses_deserialize_from_numbers_and_strings() {
        let from_number: Status = serde_json::from_str("0").expect("number");
        let from_string: Status = serde_json::from_str("\"000\"").expect("string");
        let from_name: Status = serde_json::from_str("\"in-progress\"").expect("name");
        assert_eq!(from_number, Status::NotStarted);
        assert_eq!(from_string, Status::NotStarted);
        assert_eq!(from_name, Status::InProgress);
        assert_eq!(
            serde_json::to_string(&Status::Complete).expect("json"),
            "1000"
        );
    }

    #[test]
    fn unknown_step_error_lists_allowed_values() {
        let err = "7".parse::<Step>().expect_err("7 is no step");
        assert!(err.contains("100 (queued)"), "{err}");
    }

    #[test]
    fn artifact_types_are_checked_against_the_owner() {
        assert_eq!(
            ArtifactType::parse_among("IMAGE", ArtifactType::FOR_TICKET),
            Ok(ArtifactType::Image)
        );
        let err = ArtifactType::parse_among("IMAGE", ArtifactType::FOR_SUBTICKET)
            .expect_err("subtickets take no images");
        assert_eq!(err, "must be one of \"SPU\", \"RESULTS\", \"LOGS\"");
    }
}
