//! Response bodies of the API (`docs/api.md`). References to other objects
//! are their `resource_uri`; timestamps are RFC 3339 in UTC.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codes::{ArtifactType, EventKind, Role, Status, Step};

/// The `meta` of a list answer (tastypie's envelope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListMeta {
    /// The page size applied.
    pub limit: i64,
    /// Index of the first object of this page.
    pub offset: i64,
    /// Objects matching the filters, over all pages. With filters, counting
    /// stops at 1,000 matches (or just past this page, if that is
    /// further): then `total_count_capped` is true and at least this many
    /// match.
    pub total_count: i64,
    /// Present and true when `total_count` is a lower bound.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub total_count_capped: bool,
    /// The next page's path and query, if there is one.
    pub next: Option<String>,
    /// The previous page's path and query, if there is one.
    pub previous: Option<String>,
}

/// A list answer: `{"meta": {...}, "objects": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListResponse<T> {
    /// Paging information.
    pub meta: ListMeta,
    /// This page's objects.
    pub objects: Vec<T>,
}

/// The workflow position every ticket and subticket answers with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowState {
    /// Where it is.
    pub current_workflow_step: Step,
    /// The name of `current_workflow_step`.
    pub current_workflow_step_display: String,
    /// How it is going in that step.
    pub status: Status,
    /// The name of `status`.
    pub status_display: String,
    /// The step it failed in; null unless failed.
    pub failed_step: Option<Step>,
}

impl WorkflowState {
    /// The state with its display names filled in.
    pub fn new(step: Step, status: Status, failed_step: Option<Step>) -> Self {
        WorkflowState {
            current_workflow_step: step,
            current_workflow_step_display: step.display_name().to_string(),
            status,
            status_display: status.display_name().to_string(),
            failed_step,
        }
    }
}

/// `ticket/`: the ticket model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub id: i64,
    pub resource_uri: String,
    pub title: String,
    pub description: String,
    pub owner: String,
    /// A Launchpad bug number, or null.
    pub bug_id: Option<String>,
    pub ppa: Option<String>,
    pub base_image: Option<String>,
    /// Related URLs (blueprints, design documents).
    pub references: Vec<String>,
    #[serde(flatten)]
    pub state: WorkflowState,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

/// `ticketstatus/`: a light row per ticket, for the web UI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketStatusRow {
    pub id: i64,
    pub resource_uri: String,
    pub title: String,
    pub owner: String,
    #[serde(flatten)]
    pub state: WorkflowState,
    pub updated: DateTime<Utc>,
}

/// `subticket/`: one source package upload's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subticket {
    pub id: i64,
    pub resource_uri: String,
    /// The ticket's `resource_uri`.
    pub ticket: String,
    /// The upload's `resource_uri`.
    pub source_package_upload: String,
    pub assignee: String,
    #[serde(flatten)]
    pub state: WorkflowState,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
}

/// `sourcepackage/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourcePackage {
    pub id: i64,
    pub resource_uri: String,
    pub name: String,
    pub created: DateTime<Utc>,
}

/// `spu/`: a source package upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourcePackageUpload {
    pub id: i64,
    pub resource_uri: String,
    /// The source package's `resource_uri`.
    pub sourcepackage: String,
    pub version: String,
    pub created: DateTime<Utc>,
}

/// `binarypackage/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BinaryPackage {
    pub id: i64,
    pub resource_uri: String,
    pub name: String,
    /// The source package's `resource_uri`.
    pub sourcepackage: String,
    pub version: String,
    pub seeded: bool,
    pub created: DateTime<Utc>,
}

/// `ticketartifact/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketArtifact {
    pub id: i64,
    pub resource_uri: String,
    pub name: String,
    /// The ticket's `resource_uri`.
    pub ticket: String,
    pub reference: String,
    #[serde(rename = "type")]
    pub kind: ArtifactType,
    pub created: DateTime<Utc>,
}

/// `subticketartifact/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubticketArtifact {
    pub id: i64,
    pub resource_uri: String,
    pub name: String,
    /// The subticket's `resource_uri`.
    pub subticket: String,
    pub reference: String,
    #[serde(rename = "type")]
    pub kind: ArtifactType,
    pub created: DateTime<Utc>,
}

/// `person/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: i64,
    pub resource_uri: String,
    pub name: String,
    pub email: String,
    pub is_team: bool,
    pub created: DateTime<Utc>,
}

/// `event/`: one entry of a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// Global and strictly increasing; `id__gt` is a poller's cursor.
    pub id: i64,
    pub resource_uri: String,
    /// The ticket's `resource_uri`.
    pub ticket: String,
    /// The subticket's `resource_uri`, for its own events.
    pub subticket: Option<String>,
    pub kind: EventKind,
    pub from_step: Option<Step>,
    pub from_status: Option<Status>,
    pub to_step: Option<Step>,
    pub to_status: Option<Status>,
    pub message: Option<String>,
    /// The token name that caused it; null without authentication.
    pub actor: Option<String>,
    pub created: DateTime<Utc>,
}

/// The source package as nested in a full ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NestedSourcePackage {
    pub id: i64,
    pub resource_uri: String,
    pub name: String,
}

/// The upload as nested in a full ticket, with its source package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NestedUpload {
    pub id: i64,
    pub resource_uri: String,
    pub version: String,
    pub sourcepackage: NestedSourcePackage,
    pub created: DateTime<Utc>,
}

/// A subticket as nested in a full ticket: its upload expanded, its artifacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FullSubticket {
    pub id: i64,
    pub resource_uri: String,
    pub ticket: String,
    pub source_package_upload: NestedUpload,
    pub assignee: String,
    #[serde(flatten)]
    pub state: WorkflowState,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub artifacts: Vec<SubticketArtifact>,
}

/// Where and why a ticket failed, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Failure {
    pub step: Step,
    pub step_display: String,
    /// The failed subticket's `resource_uri`; null when the ticket itself failed.
    pub subticket: Option<String>,
    pub source_package: Option<String>,
    pub version: Option<String>,
    pub message: Option<String>,
    /// References of the LOGS artifacts of that subticket, then of the ticket.
    pub logs: Vec<String>,
    /// References of the RESULTS artifacts of that subticket, then of the
    /// ticket (test results, often a link to another service). Always sent;
    /// a client reads its absence (an older server) as none.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub results: Vec<String>,
    /// One sentence: what the developer should do next.
    pub action: String,
}

/// One remaining step of a ticket and how long it is expected to take
/// (`docs/api.md`, "Queue position, time in step and ETA").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EtaStep {
    pub step: Step,
    pub step_display: String,
    /// How many tickets of the window spent time in this step.
    pub samples: i64,
    /// The median of their times in it, in whole seconds; null with fewer
    /// than 5 samples.
    pub median_seconds: Option<i64>,
    /// When the step is expected to end: the end of the step before (for
    /// the current step, `in_step_since`) plus the median, and for the
    /// current step no earlier than the time of the answer. Null when this
    /// step or one before it has no median.
    pub expected_end: Option<DateTime<Utc>>,
}

/// How long a ticket in the engine is expected to take, from the steps of
/// the tickets completed most recently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Eta {
    /// How many Complete tickets the medians come from: those completed
    /// last, at most 100.
    pub window: i64,
    /// The current step, then each later step up to Package Publishing
    /// (500), but for a step that none of the window's tickets went
    /// through when the window holds 5 or more.
    pub steps: Vec<EtaStep>,
    /// When the ticket is expected to complete (the last step's
    /// `expected_end`); null when a step has no median.
    pub expected_completion: Option<DateTime<Utc>>,
}

/// `fullticket/`: everything about one ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FullTicket {
    #[serde(flatten)]
    pub ticket: Ticket,
    /// When the ticket entered its current step (for a New ticket, when it
    /// was created). Always sent; a client reads its absence (an older
    /// server) as unknown.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub in_step_since: Option<DateTime<Utc>>,
    /// At step 100 (Queued): how many queued tickets are ahead of it, those
    /// queued before it (0: it is next). Null at any other step.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub queue_position: Option<i64>,
    /// At steps 100 to 500: the expected time of each remaining step. Null
    /// for a New, Failed or Complete ticket.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub eta: Option<Eta>,
    pub subtickets: Vec<FullSubticket>,
    pub artifacts: Vec<TicketArtifact>,
    pub failure: Option<Failure>,
    /// Oldest first.
    pub history: Vec<Event>,
}

/// `whoami/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WhoAmI {
    /// The token's name; null without one.
    pub name: Option<String>,
    pub role: crate::codes::Role,
    /// The owner address the token is bound to (`ticketd token create
    /// --email`): it writes only to that owner's tickets. Null for an
    /// unbound token, which may act for any owner, and without a token.
    pub owner: Option<String>,
}

/// A step as `workflow/` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowStep {
    /// The code requests and answers carry.
    pub code: Step,
    /// The name answers carry (`current_workflow_step_display`).
    pub display: String,
    /// The command-line name (`package-building`); requests take it too.
    pub slug: String,
    /// Failed and Complete: nothing moves out without `force`.
    pub terminal: bool,
}

/// A status as `workflow/` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowStatus {
    pub code: Status,
    pub display: String,
    pub slug: String,
}

/// A status change the rules allow without `force`: what an object at
/// `from_step` may be sent (`current_workflow_step` and one of `statuses`)
/// and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowTransition {
    /// The step the object is at.
    pub from_step: Step,
    /// The `current_workflow_step` sent.
    pub to_step: Step,
    /// The `status` values that may be sent with it. Sending the state the
    /// object is in already is a no-op, for anyone who may write.
    pub statuses: Vec<Status>,
    /// The roles that may send it.
    pub roles: Vec<Role>,
    /// Set for a failure: the object moves to step 999 (Failed), status
    /// 999, and records this step as its `failed_step`.
    pub failed_step: Option<Step>,
}

/// A step and the statuses a status change may send with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowPair {
    pub step: Step,
    pub statuses: Vec<Status>,
}

/// What `"force": true` allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowForce {
    /// The roles that may force a change.
    pub roles: Vec<Role>,
    /// Where a forced change may go, from any step: every step with the
    /// statuses it may be sent with.
    pub targets: Vec<WorkflowPair>,
}

/// Whose change a cascade is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum WorkflowObject {
    Ticket,
    Subticket,
}

/// What a change of a ticket or subticket does to the other, or when the
/// other's state refuses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowCascade {
    /// A stable name (`queue_subtickets`).
    pub name: String,
    /// Whose change it is about.
    pub object: WorkflowObject,
    /// The step the change leaves; null: any.
    pub from_step: Option<Step>,
    /// The step the change reaches; null: any.
    pub to_step: Option<Step>,
    /// Whether it holds for a forced change too.
    pub forced_too: bool,
    /// What it does, in a sentence.
    pub description: String,
}

/// `workflow/`: the steps, statuses and rules of the workflow, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workflow {
    /// Every step, in code order: steps only move forward in this order.
    pub steps: Vec<WorkflowStep>,
    /// Every status, in code order.
    pub statuses: Vec<WorkflowStatus>,
    /// Every change allowed without `force`, for tickets and subtickets alike.
    pub transitions: Vec<WorkflowTransition>,
    pub force: WorkflowForce,
    /// What a change does to the ticket's subtickets or the subticket's ticket.
    pub cascades: Vec<WorkflowCascade>,
    /// Changes refused because of the ticket's subtickets or the subticket's ticket.
    pub refusals: Vec<WorkflowCascade>,
}
