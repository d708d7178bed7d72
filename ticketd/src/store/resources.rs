//! What each list resource may filter and order on, and the column behind
//! each public field name. The HTTP layer parses query strings against this
//! catalogue; [`super::list_query`] turns the result into SQL.

/// The type of a field, which decides its lookups and how values parse.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    Text,
    Number,
    /// A workflow step code.
    Step,
    /// A status code.
    Status,
    Timestamp,
    Bool,
    /// A reference to a row of another table; relations are followed one
    /// step (`sourcepackage__name=foo`).
    Ref(&'static Table),
}

/// A public field of a resource.
#[derive(Debug)]
pub struct Field {
    /// The name in the API (`source_package_upload`).
    pub name: &'static str,
    /// The column (`spu_id`).
    pub column: &'static str,
    pub kind: FieldKind,
    /// May be used in `order_by`.
    pub order: bool,
    /// May be used as a filter.
    pub filter: bool,
}

/// A table as seen by lists.
#[derive(Debug)]
pub struct Table {
    /// The SQL table.
    pub sql: &'static str,
    /// The resource path whose URIs name its rows (`sourcepackage`).
    pub resource: &'static str,
    pub fields: &'static [Field],
    /// SQL for the characters of a row's text that its size varies by,
    /// so that a page can stop before its byte budget (`ListQuery::max_bytes`).
    pub weight: &'static str,
}

impl Table {
    /// The field with this public name.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Names usable as filters, for error messages.
    pub fn filter_names(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.filter)
            .map(|f| f.name)
            .collect()
    }

    /// Names usable in `order_by`, for error messages.
    pub fn order_names(&self) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| f.order)
            .map(|f| f.name)
            .collect()
    }
}

const fn field(name: &'static str, column: &'static str, kind: FieldKind, order: bool) -> Field {
    Field {
        name,
        column,
        kind,
        order,
        filter: true,
    }
}

const fn order_only(name: &'static str, column: &'static str, kind: FieldKind) -> Field {
    Field {
        name,
        column,
        kind,
        order: true,
        filter: false,
    }
}

use FieldKind::*;

/// Every list table, for checks that must cover them all.
pub static ALL: [&Table; 10] = [
    &TICKET,
    &TICKET_STATUS,
    &SOURCE_PACKAGE,
    &UPLOAD,
    &SUBTICKET,
    &BINARY_PACKAGE,
    &TICKET_ARTIFACT,
    &SUBTICKET_ARTIFACT,
    &PERSON,
    &EVENT,
];

pub static TICKET: Table = Table {
    sql: "ticket",
    resource: "ticket",
    fields: &[
        field("id", "id", Number, true),
        field("title", "title", Text, true),
        field("owner", "owner", Text, true),
        field("bug_id", "bug_id", Text, false),
        field("current_workflow_step", "current_workflow_step", Step, true),
        field("status", "status", Status, true),
        field("failed_step", "failed_step", Step, false),
        field("created", "created", Timestamp, true),
        field("updated", "updated", Timestamp, true),
    ],
    weight: "octet_length(title) + octet_length(description) + octet_length(owner) + octet_length(refs) + COALESCE(octet_length(ppa), 0) + COALESCE(octet_length(base_image), 0) + COALESCE(octet_length(failure_message), 0)",
};

/// `ticketstatus/`: the same rows, filtered only by step and status.
pub static TICKET_STATUS: Table = Table {
    sql: "ticket",
    resource: "ticketstatus",
    fields: &[
        field("id", "id", Number, true),
        field("current_workflow_step", "current_workflow_step", Step, true),
        field("status", "status", Status, true),
        order_only("title", "title", Text),
        order_only("owner", "owner", Text),
        order_only("created", "created", Timestamp),
        order_only("updated", "updated", Timestamp),
    ],
    weight: "octet_length(title) + octet_length(owner)",
};

pub static SOURCE_PACKAGE: Table = Table {
    sql: "sourcepackage",
    resource: "sourcepackage",
    fields: &[
        field("id", "id", Number, true),
        field("name", "name", Text, true),
        field("created", "created", Timestamp, true),
    ],
    weight: "octet_length(name)",
};

pub static UPLOAD: Table = Table {
    sql: "spu",
    resource: "spu",
    fields: &[
        field("id", "id", Number, true),
        field(
            "sourcepackage",
            "sourcepackage_id",
            Ref(&SOURCE_PACKAGE),
            false,
        ),
        field("version", "version", Text, false),
        field("created", "created", Timestamp, true),
    ],
    weight: "octet_length(version)",
};

pub static SUBTICKET: Table = Table {
    sql: "subticket",
    resource: "subticket",
    fields: &[
        field("id", "id", Number, true),
        field("ticket", "ticket_id", Ref(&TICKET), false),
        field("source_package_upload", "spu_id", Ref(&UPLOAD), false),
        field("assignee", "assignee", Text, false),
        field("current_workflow_step", "current_workflow_step", Step, true),
        field("status", "status", Status, true),
        field("failed_step", "failed_step", Step, false),
        field("created", "created", Timestamp, true),
        field("updated", "updated", Timestamp, true),
    ],
    weight: "octet_length(assignee)",
};

pub static BINARY_PACKAGE: Table = Table {
    sql: "binarypackage",
    resource: "binarypackage",
    fields: &[
        field("id", "id", Number, true),
        field("name", "name", Text, true),
        field(
            "sourcepackage",
            "sourcepackage_id",
            Ref(&SOURCE_PACKAGE),
            false,
        ),
        field("version", "version", Text, false),
        field("seeded", "seeded", Bool, false),
        field("created", "created", Timestamp, true),
    ],
    weight: "octet_length(name) + octet_length(version)",
};

pub static TICKET_ARTIFACT: Table = Table {
    sql: "ticketartifact",
    resource: "ticketartifact",
    fields: &[
        field("id", "id", Number, true),
        field("ticket", "ticket_id", Ref(&TICKET), false),
        field("name", "name", Text, false),
        field("type", "type", Text, false),
        field("created", "created", Timestamp, true),
    ],
    weight: "octet_length(name) + octet_length(reference)",
};

pub static SUBTICKET_ARTIFACT: Table = Table {
    sql: "subticketartifact",
    resource: "subticketartifact",
    fields: &[
        field("id", "id", Number, true),
        field("subticket", "subticket_id", Ref(&SUBTICKET), false),
        field("name", "name", Text, false),
        field("type", "type", Text, false),
        field("created", "created", Timestamp, true),
    ],
    weight: "octet_length(name) + octet_length(reference)",
};

pub static PERSON: Table = Table {
    sql: "person",
    resource: "person",
    fields: &[
        field("id", "id", Number, true),
        field("name", "name", Text, true),
        field("email", "email", Text, false),
        field("is_team", "is_team", Bool, false),
        field("created", "created", Timestamp, true),
    ],
    weight: "octet_length(name) + octet_length(email)",
};

pub static EVENT: Table = Table {
    sql: "event",
    resource: "event",
    fields: &[
        field("id", "id", Number, true),
        field("ticket", "ticket_id", Ref(&TICKET), false),
        field("subticket", "subticket_id", Ref(&SUBTICKET), false),
        field("kind", "kind", Text, false),
        field("created", "created", Timestamp, true),
    ],
    weight: "COALESCE(octet_length(message), 0) + COALESCE(octet_length(actor), 0)",
};
