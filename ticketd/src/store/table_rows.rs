//! One row struct per table, decoding from both backends, and its
//! conversion into the API's model. Timestamps are stored as microseconds.

use super::sqlite::from_sqlite;
use chrono::{DateTime, Utc};
use shared::models::{
    BinaryPackage, Event, NestedSourcePackage, NestedUpload, Person, SourcePackage,
    SourcePackageUpload, SubticketArtifact, Ticket, TicketArtifact, TicketStatusRow, WorkflowState,
};
use shared::{ArtifactType, EventKind, Status, Step, resource_uri};

/// A stored timestamp as UTC. Stored values come from `now_micros`, so the
/// epoch fallback is never reached in practice.
pub fn timestamp(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::UNIX_EPOCH)
}

fn state(step: Step, status: Status, failed_step: Option<i64>) -> WorkflowState {
    WorkflowState::new(step, status, failed_step.and_then(Step::from_code))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketRow {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub bug_id: Option<String>,
    pub ppa: Option<String>,
    pub base_image: Option<String>,
    pub refs: String,
    #[sqlx(try_from = "i64")]
    pub current_workflow_step: Step,
    #[sqlx(try_from = "i64")]
    pub status: Status,
    pub failed_step: Option<i64>,
    pub failed_subticket_id: Option<i64>,
    pub failure_message: Option<String>,
    pub created: i64,
    pub updated: i64,
    /// When it entered its current step.
    pub in_step_since: i64,
}
from_sqlite!(TicketRow {
    id,
    title,
    description,
    owner,
    bug_id,
    ppa,
    base_image,
    refs,
    current_workflow_step,
    status,
    failed_step,
    failed_subticket_id,
    failure_message,
    created,
    updated,
    in_step_since
});

impl TicketRow {
    /// The ticket model, its `resource_uri` under `resource`
    /// (`ticket`, `opentickets`, `fullticket`).
    pub fn to_model(&self, resource: &str) -> Ticket {
        Ticket {
            id: self.id,
            resource_uri: resource_uri(resource, self.id),
            title: self.title.clone(),
            description: self.description.clone(),
            owner: self.owner.clone(),
            bug_id: self.bug_id.clone(),
            ppa: self.ppa.clone(),
            base_image: self.base_image.clone(),
            // Written by us from a Vec<String>; unreadable would mean a hand edit.
            references: serde_json::from_str(&self.refs).unwrap_or_default(),
            state: self.state(),
            created: timestamp(self.created),
            updated: timestamp(self.updated),
        }
    }

    pub fn state(&self) -> WorkflowState {
        state(self.current_workflow_step, self.status, self.failed_step)
    }

    /// The light `ticketstatus/` row.
    pub fn to_status_row(&self) -> TicketStatusRow {
        TicketStatusRow {
            id: self.id,
            resource_uri: resource_uri("ticketstatus", self.id),
            title: self.title.clone(),
            owner: self.owner.clone(),
            state: self.state(),
            updated: timestamp(self.updated),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubticketRow {
    pub id: i64,
    pub ticket_id: i64,
    pub spu_id: i64,
    pub assignee: String,
    #[sqlx(try_from = "i64")]
    pub current_workflow_step: Step,
    #[sqlx(try_from = "i64")]
    pub status: Status,
    pub failed_step: Option<i64>,
    pub failure_message: Option<String>,
    pub created: i64,
    pub updated: i64,
}
from_sqlite!(SubticketRow {
    id,
    ticket_id,
    spu_id,
    assignee,
    current_workflow_step,
    status,
    failed_step,
    failure_message,
    created,
    updated
});

impl SubticketRow {
    pub fn state(&self) -> WorkflowState {
        state(self.current_workflow_step, self.status, self.failed_step)
    }

    pub fn to_model(&self) -> shared::models::Subticket {
        shared::models::Subticket {
            id: self.id,
            resource_uri: resource_uri("subticket", self.id),
            ticket: resource_uri("ticket", self.ticket_id),
            source_package_upload: resource_uri("spu", self.spu_id),
            assignee: self.assignee.clone(),
            state: self.state(),
            created: timestamp(self.created),
            updated: timestamp(self.updated),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SourcePackageRow {
    pub id: i64,
    pub name: String,
    pub created: i64,
}
from_sqlite!(SourcePackageRow { id, name, created });

impl SourcePackageRow {
    pub fn to_model(&self) -> SourcePackage {
        SourcePackage {
            id: self.id,
            resource_uri: resource_uri("sourcepackage", self.id),
            name: self.name.clone(),
            created: timestamp(self.created),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadRow {
    pub id: i64,
    pub sourcepackage_id: i64,
    pub version: String,
    pub created: i64,
}
from_sqlite!(UploadRow {
    id,
    sourcepackage_id,
    version,
    created
});

impl UploadRow {
    pub fn to_model(&self) -> SourcePackageUpload {
        SourcePackageUpload {
            id: self.id,
            resource_uri: resource_uri("spu", self.id),
            sourcepackage: resource_uri("sourcepackage", self.sourcepackage_id),
            version: self.version.clone(),
            created: timestamp(self.created),
        }
    }
}

/// An upload joined with its source package's name, for full tickets.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UploadWithSourceRow {
    pub id: i64,
    pub sourcepackage_id: i64,
    pub version: String,
    pub created: i64,
    pub sourcepackage_name: String,
}
from_sqlite!(UploadWithSourceRow {
    id,
    sourcepackage_id,
    version,
    created,
    sourcepackage_name
});

impl UploadWithSourceRow {
    pub fn to_nested(&self) -> NestedUpload {
        NestedUpload {
            id: self.id,
            resource_uri: resource_uri("spu", self.id),
            version: self.version.clone(),
            sourcepackage: NestedSourcePackage {
                id: self.sourcepackage_id,
                resource_uri: resource_uri("sourcepackage", self.sourcepackage_id),
                name: self.sourcepackage_name.clone(),
            },
            created: timestamp(self.created),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BinaryPackageRow {
    pub id: i64,
    pub name: String,
    pub sourcepackage_id: i64,
    pub version: String,
    pub seeded: bool,
    pub created: i64,
}
from_sqlite!(BinaryPackageRow {
    id,
    name,
    sourcepackage_id,
    version,
    seeded,
    created
});

impl BinaryPackageRow {
    pub fn to_model(&self) -> BinaryPackage {
        BinaryPackage {
            id: self.id,
            resource_uri: resource_uri("binarypackage", self.id),
            name: self.name.clone(),
            sourcepackage: resource_uri("sourcepackage", self.sourcepackage_id),
            version: self.version.clone(),
            seeded: self.seeded,
            created: timestamp(self.created),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TicketArtifactRow {
    pub id: i64,
    pub ticket_id: i64,
    pub name: String,
    pub reference: String,
    #[sqlx(rename = "type", try_from = "String")]
    pub kind: ArtifactType,
    pub created: i64,
}
from_sqlite!(TicketArtifactRow { id, ticket_id, name, reference, kind as "type", created });

impl TicketArtifactRow {
    pub fn to_model(&self) -> TicketArtifact {
        TicketArtifact {
            id: self.id,
            resource_uri: resource_uri("ticketartifact", self.id),
            name: self.name.clone(),
            ticket: resource_uri("ticket", self.ticket_id),
            reference: self.reference.clone(),
            kind: self.kind,
            created: timestamp(self.created),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubticketArtifactRow {
    pub id: i64,
    pub subticket_id: i64,
    pub name: String,
    pub reference: String,
    #[sqlx(rename = "type", try_from = "String")]
    pub kind: ArtifactType,
    pub created: i64,
}
from_sqlite!(SubticketArtifactRow { id, subticket_id, name, reference, kind as "type", created });

impl SubticketArtifactRow {
    pub fn to_model(&self) -> SubticketArtifact {
        SubticketArtifact {
            id: self.id,
            resource_uri: resource_uri("subticketartifact", self.id),
            name: self.name.clone(),
            subticket: resource_uri("subticket", self.subticket_id),
            reference: self.reference.clone(),
            kind: self.kind,
            created: timestamp(self.created),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub is_team: bool,
    pub created: i64,
}
from_sqlite!(PersonRow {
    id,
    name,
    email,
    is_team,
    created
});

impl PersonRow {
    pub fn to_model(&self) -> Person {
        Person {
            id: self.id,
            resource_uri: resource_uri("person", self.id),
            name: self.name.clone(),
            email: self.email.clone(),
            is_team: self.is_team,
            created: timestamp(self.created),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub ticket_id: i64,
    pub subticket_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    pub from_step: Option<i64>,
    pub from_status: Option<i64>,
    pub to_step: Option<i64>,
    pub to_status: Option<i64>,
    pub message: Option<String>,
    pub actor: Option<String>,
    pub created: i64,
}
from_sqlite!(EventRow {
    id,
    ticket_id,
    subticket_id,
    kind,
    from_step,
    from_status,
    to_step,
    to_status,
    message,
    actor,
    created
});

impl EventRow {
    pub fn to_model(&self) -> Event {
        Event {
            id: self.id,
            resource_uri: resource_uri("event", self.id),
            ticket: resource_uri("ticket", self.ticket_id),
            subticket: self.subticket_id.map(|id| resource_uri("subticket", id)),
            kind: self.kind,
            from_step: self.from_step.and_then(Step::from_code),
            from_status: self.from_status.and_then(Status::from_code),
            to_step: self.to_step.and_then(Step::from_code),
            to_status: self.to_status.and_then(Status::from_code),
            message: self.message.clone(),
            actor: self.actor.clone(),
            created: timestamp(self.created),
        }
    }
}

macro_rules! has_id {
    ($($row:ty),*) => {$(
        impl super::transaction::HasId for $row {
            fn id(&self) -> i64 {
                self.id
            }
        }
    )*};
}
has_id!(
    SubticketRow,
    UploadRow,
    TicketArtifactRow,
    SubticketArtifactRow,
    EventRow
);
