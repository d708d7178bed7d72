//! Request bodies of the API (`docs/api.md`). Each knows which fields it
//! takes ([`Fields`]) so that the server can refuse unknown and read-only
//! ones before parsing, and validates itself into field errors.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::codes::{Status, Step};
use crate::error::FieldErrors;
use crate::lenient::{BugId, FlexBool};
use crate::models;
use crate::refs::Ref;
use crate::validate;

/// The fields a request body may carry.
pub trait Fields {
    /// Fields the client may send.
    const ALLOWED: &'static [&'static str];
    /// Fields of the resource that only the server sets.
    const READ_ONLY: &'static [&'static str] = &[
        "id",
        "resource_uri",
        "created",
        "updated",
        "current_workflow_step",
        "current_workflow_step_display",
        "status",
        "status_display",
        "failed_step",
    ];
}

/// A body that creates an object: `POST {RESOURCE}/` answers `201` with
/// the new object as a `Created`. The client posts each body where the
/// server's route for it is (`ticketctl`'s `Client::create`).
pub trait Creates: Serialize {
    /// The resource (`ticket`, `spu`, ...) whose list the body is posted to.
    const RESOURCE: &'static str;
    /// The model of the object created.
    type Created: DeserializeOwned;
}

/// Which resource each body creates, and the model it answers.
macro_rules! creates {
    ($($body:ty => $resource:literal, $created:ty;)*) => {
        $(impl Creates for $body {
            const RESOURCE: &'static str = $resource;
            type Created = $created;
        })*
    };
}

creates! {
    NewTicket => "ticket", models::Ticket;
    NewUpload => "spu", models::SourcePackageUpload;
    NewSubticket => "subticket", models::Subticket;
    NewTicketArtifact => "ticketartifact", models::TicketArtifact;
    NewSubticketArtifact => "subticketartifact", models::SubticketArtifact;
    NewSourcePackage => "sourcepackage", models::SourcePackage;
    NewPerson => "person", models::Person;
}

/// Check an optional text field's length.
fn optional_length(errors: &mut FieldErrors, field: &str, value: &Option<String>, max: usize) {
    if let Some(text) = value {
        errors.check(field, validate::length(text, 0, max));
    }
}

/// `POST ticket/` (and the `ticket` of a bundle).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z0-9._+-]{1,64}@[a-z0-9]{1,20}(\\.[a-z0-9]{1,20}){0,3}$")
    )]
    pub owner: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 255,
            pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
        )
    )]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 65536))]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "BugId::is_none")]
    pub bug_id: BugId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 255))]
    pub ppa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 1024))]
    pub base_image: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "bounded_references"
    )]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub references: Option<Vec<String>>,
}

/// Read `references`, refusing the 101st item before it is stored, so
/// that a body cannot make a huge vector before validation sees it.
fn bounded_references<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<String>>, D::Error> {
    struct Items;
    impl<'de> Visitor<'de> for Items {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of references")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                if items.len() == validate::REFERENCES_MAX {
                    return Err(de::Error::custom(too_many_references()));
                }
                items.push(item);
            }
            Ok(items)
        }
    }
    struct Optional;
    impl<'de> Visitor<'de> for Optional {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of references or null")
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<Self::Value, D::Error> {
            inner.deserialize_seq(Items).map(Some)
        }
    }
    deserializer.deserialize_option(Optional)
}

fn too_many_references() -> String {
    format!("must hold at most {} references", validate::REFERENCES_MAX)
}

impl Fields for NewTicket {
    const ALLOWED: &'static [&'static str] = &[
        "owner",
        "title",
        "description",
        "bug_id",
        "ppa",
        "base_image",
        "references",
    ];
}

impl NewTicket {
    /// Every field problem, keyed by field path under `prefix` (`""` or `"ticket."`).
    pub fn validate(&self, prefix: &str, errors: &mut FieldErrors) {
        let field = |name: &str| format!("{prefix}{name}");
        errors.check(&field("owner"), validate::email(&self.owner));
        errors.check(
            &field("title"),
            validate::length(self.title.trim(), 1, validate::TITLE_MAX),
        );
        optional_length(
            errors,
            &field("description"),
            &self.description,
            validate::TEXT_MAX,
        );
        optional_length(errors, &field("ppa"), &self.ppa, validate::PPA_MAX);
        optional_length(
            errors,
            &field("base_image"),
            &self.base_image,
            validate::BASE_IMAGE_MAX,
        );
        let references = self.references.as_deref().unwrap_or_default();
        if references.len() > validate::REFERENCES_MAX {
            errors.add(field("references"), too_many_references());
        }
        for (i, reference) in references.iter().enumerate() {
            errors.check(
                &field(&format!("references[{i}]")),
                validate::reference(reference),
            );
        }
    }
}

/// `PATCH updateticketstatus/{id}/` and `updatesubticketstatus/{id}/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub current_workflow_step: Step,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 65536))]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force: Option<FlexBool>,
}

impl Fields for StatusChange {
    const ALLOWED: &'static [&'static str] =
        &["current_workflow_step", "status", "message", "force"];
    const READ_ONLY: &'static [&'static str] =
        &["id", "resource_uri", "created", "updated", "failed_step"];
}

impl StatusChange {
    /// Every field problem.
    pub fn validate(&self, errors: &mut FieldErrors) {
        optional_length(errors, "message", &self.message, validate::TEXT_MAX);
    }

    /// Whether `force` was sent as true.
    pub fn forced(&self) -> bool {
        self.force.is_some_and(|f| f.0)
    }
}

/// `POST spu/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUpload {
    pub sourcepackage: Ref,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[0-9][A-Za-z0-9.+~]{0,40}(-[A-Za-z0-9.+~]{1,20})?$")
    )]
    pub version: String,
}

impl Fields for NewUpload {
    const ALLOWED: &'static [&'static str] = &["sourcepackage", "version"];
}

/// `POST subticket/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSubticket {
    pub source_package_upload: Ref,
    pub ticket: Ref,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z0-9._+-]{1,64}@[a-z0-9]{1,20}(\\.[a-z0-9]{1,20}){0,3}$")
    )]
    pub assignee: Option<String>,
}

impl Fields for NewSubticket {
    const ALLOWED: &'static [&'static str] = &["source_package_upload", "ticket", "assignee"];
}

/// `POST ticketartifact/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTicketArtifact {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 1024,
            pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
        )
    )]
    pub name: String,
    pub ticket: Ref,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^https://([a-z0-9]{1,20}\\.){0,3}[a-z][a-z0-9]{0,19}(/[A-Za-z0-9._~-]{0,20}){0,4}$"
        )
    )]
    pub reference: String,
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^(RESULTS|LOGS|IMAGE)$"))]
    pub kind: String,
}

impl Fields for NewTicketArtifact {
    const ALLOWED: &'static [&'static str] = &["name", "ticket", "reference", "type"];
}

/// `POST subticketartifact/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSubticketArtifact {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 1024,
            pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
        )
    )]
    pub name: String,
    pub subticket: Ref,
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^https://([a-z0-9]{1,20}\\.){0,3}[a-z][a-z0-9]{0,19}(/[A-Za-z0-9._~-]{0,20}){0,4}$"
        )
    )]
    pub reference: String,
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^(SPU|RESULTS|LOGS)$"))]
    pub kind: String,
}

impl Fields for NewSubticketArtifact {
    const ALLOWED: &'static [&'static str] = &["name", "subticket", "reference", "type"];
}

/// `POST sourcepackage/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSourcePackage {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[a-z0-9][a-z0-9+.-]{1,254}$"))]
    pub name: String,
}

impl Fields for NewSourcePackage {
    const ALLOWED: &'static [&'static str] = &["name"];
}

/// `POST person/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPerson {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 4096,
            pattern = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
        )
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z0-9._+-]{1,64}@[a-z0-9]{1,20}(\\.[a-z0-9]{1,20}){0,3}$")
    )]
    pub email: String,
    #[serde(default)]
    pub is_team: FlexBool,
}

impl Fields for NewPerson {
    const ALLOWED: &'static [&'static str] = &["name", "email", "is_team"];
}

impl NewPerson {
    /// Every field problem.
    pub fn validate(&self, errors: &mut FieldErrors) {
        errors.check(
            "name",
            validate::length(self.name.trim(), 1, validate::PERSON_NAME_MAX),
        );
        errors.check("email", validate::email(&self.email));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_ticket_body_parses() {
        let body = r#"{"owner": "owner@example.com", "title": "My first ticket",
            "description": "This if my first ticket. See what it can do", "bug_id": "12345"}"#;
        let ticket: NewTicket = serde_json::from_str(body).expect("seed body");
        assert_eq!(ticket.bug_id.0.as_deref(), Some("12345"));
        let mut errors = FieldErrors::default();
        ticket.validate("", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn the_seed_status_body_parses() {
        let change: StatusChange =
            serde_json::from_str(r#"{"current_workflow_step": "100", "status": "000"}"#)
                .expect("seed body");
        assert_eq!(change.current_workflow_step, Step::Queued);
        assert_eq!(change.status, Status::NotStarted);
        assert!(!change.forced());
    }

    #[test]
    fn references_stop_at_the_101st_item() {
        let body = |n: usize| {
            let items = vec!["\"https://x.example/\""; n].join(",");
            format!(r#"{{"owner": "a@b.c", "title": "t", "references": [{items}]}}"#)
        };
        let ticket: NewTicket = serde_json::from_str(&body(100)).expect("100 references");
        assert_eq!(ticket.references.map(|r| r.len()), Some(100));
        let err = serde_json::from_str::<NewTicket>(&body(101)).expect_err("101 references");
        assert!(
            err.to_string()
                .starts_with("must hold at most 100 references"),
            "{err}"
        );
        let none: NewTicket =
            serde_json::from_str(r#"{"owner": "a@b.c", "title": "t", "references": null}"#)
                .expect("null");
        assert_eq!(none.references, None);
        let mut errors = FieldErrors::default();
        NewTicket {
            references: Some(vec!["https://x.example/".into(); 101]),
            ..NewTicket::default()
        }
        .validate("", &mut errors);
        assert!(errors.0.contains_key("references"), "{errors:?}");
    }

    #[test]
    fn ticket_validation_names_every_bad_field() {
        let ticket = NewTicket {
            owner: "not an address".into(),
            title: " ".into(),
            references: Some(vec!["relative/path".into()]),
            ..NewTicket::default()
        };
        let mut errors = FieldErrors::default();
        ticket.validate("ticket.", &mut errors);
        let fields: Vec<_> = errors.0.keys().cloned().collect();
        assert_eq!(
            fields,
            ["ticket.owner", "ticket.references[0]", "ticket.title"]
        );
    }
}
