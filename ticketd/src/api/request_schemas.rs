//! The request side of `openapi.json`: what the server enforces on
//! request bodies and filter values that the derives cannot say (closed
//! objects, no NUL, every spelling of a step or status, references to
//! their resource), applied to the typed document ([`RequestSchemas`]) by
//! [`super::openapi`].

use std::collections::{BTreeMap, BTreeSet};

use shared::{ArtifactType, Status, Step};
use utoipa::Modify;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayItems, KnownFormat, Object, ObjectBuilder, OneOfBuilder, Schema,
    SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{OpenApi, Ref, RefOr};

use super::list::MAX_IN_VALUES;

/// The codes of `all`.
pub(super) fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> i64) -> Vec<i64> {
    all.iter().map(|v| code(*v)).collect()
}

/// A string without a NUL character, which no text column can store: the
/// server refuses one anywhere in a body or a filter value.
pub(super) const NO_NUL: &str = "^[^\\u0000]*$";

/// An id as text: a positive whole number an `i64` holds.
const ID_DIGITS: &str = "[1-9][0-9]{0,17}";

/// A reference item of a ticket, as an artifact's `reference` (an `https`
/// URL; blobs of this server are accepted too, when they exist).
const REFERENCE_PATTERN: &str =
    "^https://([a-z0-9]{1,20}\\.){0,3}[a-z][a-z0-9]{0,19}(/[A-Za-z0-9._~-]{0,20}){0,4}$";

/// Every spelling of a coded value the server parses, canonical first:
/// the code (`"0"`, `"000"`), the name (`"package-building"`,
/// `"Package Building"`, `"package_building"`). The server also folds case
/// and surrounding white space, which an enum cannot list.
fn spellings<T: Copy>(
    all: &[T],
    code: fn(T) -> i64,
    slug: fn(T) -> &'static str,
    display: fn(T) -> &'static str,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in all.iter().copied() {
        let code = code(value);
        for text in [
            code.to_string(),
            format!("{code:03}"),
            slug(value).to_string(),
            display(value).to_string(),
            slug(value).replace('-', "_"),
        ] {
            if !out.contains(&text) {
                out.push(text);
            }
        }
    }
    out
}

pub(super) fn step_spellings() -> Vec<String> {
    spellings(Step::ALL, Step::code, Step::slug, Step::display_name)
}

pub(super) fn status_spellings() -> Vec<String> {
    spellings(
        Status::ALL,
        Status::code,
        Status::slug,
        Status::display_name,
    )
}

/// A code as a number, or one of its spellings as a string.
fn code_choices(codes: Vec<i64>, spellings: &[String]) -> OneOfBuilder {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .enum_values(Some(codes)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(spellings.iter().map(String::as_str))),
        )
}

/// The steps of `steps` in any spelling.
fn steps_of(steps: &[Step]) -> OneOfBuilder {
    code_choices(
        codes(steps, Step::code),
        &spellings(steps, Step::code, Step::slug, Step::display_name),
    )
}

/// The statuses of `statuses` in any spelling.
fn statuses_of(statuses: &[Status]) -> OneOfBuilder {
    code_choices(
        codes(statuses, Status::code),
        &spellings(statuses, Status::code, Status::slug, Status::display_name),
    )
}

/// The pairs of step and status a status change may ask for (the workflow
/// rules' `target`): Failed with Failed, Complete with Complete, and any
/// other step with any status but Complete (Failed there fails at that step).
fn status_change_pairs() -> Vec<Schema> {
    let others: Vec<Step> = Step::ALL
        .iter()
        .copied()
        .filter(|s| !s.is_terminal())
        .collect();
    let not_complete: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|s| *s != Status::Complete)
        .collect();
    let pair = |step: OneOfBuilder, status: OneOfBuilder| {
        ObjectBuilder::new()
            .schema_type(SchemaType::AnyValue)
            .property("current_workflow_step", step)
            .property("status", status)
            .into()
    };
    vec![
        pair(steps_of(&[Step::Failed]), statuses_of(&[Status::Failed])),
        pair(
            steps_of(&[Step::Complete]),
            statuses_of(&[Status::Complete]),
        ),
        pair(steps_of(&others), statuses_of(&not_complete)),
    ]
}

/// A step or status in a request: its code as a number, or one of its
/// spellings as a string.
pub(super) fn code_input(what: &str, codes: Vec<i64>, spellings: &[String]) -> RefOr<Schema> {
    code_choices(codes, spellings)
        .description(Some(format!(
            "{what}: its code as a number, or its code or name as a string (case and \
             surrounding white space do not matter)"
        )))
        .into()
}

/// `text` with the characters a regular expression treats specially escaped.
pub(super) fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '/'));
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// The id or `resource_uri` of a `resource`, as text.
pub(super) fn ref_alternatives(resource: &str) -> String {
    format!("{ID_DIGITS}|/api/v1/{resource}/{ID_DIGITS}/?")
}

/// A reference to a `resource` (`sourcepackage`, `spu`, ...): its id as a
/// number or text, or its `resource_uri`.
pub(super) fn ref_schema(resource: &str) -> RefOr<Schema> {
    OneOfBuilder::new()
        .description(Some(format!(
            "A {resource}: its `resource_uri` (`/api/v1/{resource}/3/`) or its id (`3` or `\"3\"`)"
        )))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                .minimum(Some(1)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!("^({})$", ref_alternatives(resource)))),
        )
        .into()
}

/// The value of an `__in` lookup: comma-separated values, each matching
/// `one` (a regular expression without anchors); empty items are skipped.
pub(super) fn in_list(one: &str, what: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^({one})?(,({one})?)*$")))
        .description(Some(format!(
            "comma-separated {what}; at most {MAX_IN_VALUES} values in all the `__in` lists of a request"
        )))
        .into()
}

/// Every schema directly under `schema` (properties, items, branches).
fn children(schema: &mut Schema) -> Vec<&mut RefOr<Schema>> {
    match schema {
        Schema::Object(object) => object.properties.values_mut().collect(),
        Schema::Array(array) => match &mut array.items {
            ArrayItems::RefOrSchema(items) => vec![items.as_mut()],
            ArrayItems::False => vec![],
        },
        Schema::OneOf(one_of) => one_of.items.iter_mut().collect(),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().collect(),
        Schema::AllOf(all_of) => all_of.items.iter_mut().collect(),
        _ => vec![],
    }
}

/// Every component schema `schema` names, directly or below (mutable
/// only to share [`children`] with [`tighten`]).
fn schema_refs(schema: &mut RefOr<Schema>, found: &mut Vec<String>) {
    match schema {
        RefOr::Ref(reference) => {
            if let Some(name) = reference.ref_location.strip_prefix("#/components/schemas/") {
                found.push(name.to_string());
            }
        }
        RefOr::T(schema) => {
            for child in children(schema) {
                schema_refs(child, found);
            }
        }
    }
}

/// The component schemas a request body uses, directly or through others.
fn request_body_schemas(openapi: &mut OpenApi) -> BTreeSet<String> {
    let mut pending = Vec::new();
    for item in openapi.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ]
        .into_iter()
        .flatten()
        {
            let Some(body) = &mut operation.request_body else {
                continue;
            };
            for schema in body.content.values_mut().filter_map(|c| c.schema.as_mut()) {
                schema_refs(schema, &mut pending);
            }
        }
    }
    let mut seen = BTreeSet::new();
    let Some(components) = openapi.components.as_mut() else {
        return seen;
    };
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone())
            && let Some(schema) = components.schemas.get_mut(&name)
        {
            schema_refs(schema, &mut pending);
        }
    }
    seen
}

/// The reference fields of request bodies, with the resource each names.
const BODY_REFS: [(&str, &str, &str); 5] = [
    ("NewUpload", "sourcepackage", "sourcepackage"),
    ("NewSubticket", "ticket", "ticket"),
    ("NewSubticket", "source_package_upload", "spu"),
    ("NewTicketArtifact", "ticket", "ticket"),
    ("NewSubticketArtifact", "subticket", "subticket"),
];

/// The object schema of `schemas` named `name`.
fn object<'a>(
    schemas: &'a mut BTreeMap<String, RefOr<Schema>>,
    name: &str,
) -> Option<&'a mut Object> {
    match schemas.get_mut(name) {
        Some(RefOr::T(Schema::Object(object))) => Some(object),
        _ => None,
    }
}

/// The object schema of the property `field` of `object`.
fn property<'a>(object: &'a mut Object, field: &str) -> Option<&'a mut Schema> {
    match object.properties.get_mut(field) {
        Some(RefOr::T(schema)) => Some(schema),
        _ => None,
    }
}

/// Point an array schema's items at `items`.
fn set_items(array: Option<&mut Schema>, items: impl Into<RefOr<Schema>>) {
    if let Some(Schema::Array(array)) = array {
        array.items = ArrayItems::RefOrSchema(Box::new(items.into()));
    }
}

/// Narrow the `type` of an artifact schema to `allowed`, and describe it.
fn artifact_types(artifact: &mut Object, allowed: &[ArtifactType], description: &str) {
    if let Some(Schema::Object(kind)) = property(artifact, "type") {
        kind.pattern = Some(type_pattern(allowed));
    }
    artifact.description = Some(description.to_string());
}

/// What the server enforces on request bodies that the derive cannot say:
/// no field but the documented ones (every body is refused with
/// `unknown_field` otherwise), no NUL in any string, references to the
/// right resource, steps and statuses in every spelling, the artifact types
/// each level of a bundle takes, non-empty reference items.
pub(super) struct RequestSchemas;

impl Modify for RequestSchemas {
    fn modify(&self, openapi: &mut OpenApi) {
        tighten_request_schemas(openapi);
    }
}

fn tighten_request_schemas(openapi: &mut OpenApi) {
    let names = request_body_schemas(openapi);
    let schemas = &mut openapi
        .components
        .get_or_insert_with(Default::default)
        .schemas;
    for (schema, field, resource) in BODY_REFS {
        if let Some(property) = object(schemas, schema).and_then(|s| s.properties.get_mut(field)) {
            *property = ref_schema(resource);
        }
    }
    if let Some(change) = object(schemas, "StatusChange") {
        // utoipa's object schema has no `anyOf` beside its properties: the
        // pairs go in as that keyword through the schema's extra keys.
        let pairs = serde_json::to_value(status_change_pairs()).expect("schemas serialize");
        change
            .extensions
            .get_or_insert_with(Default::default)
            .insert("anyOf".into(), pairs);
        change.description = Some(
            "`PATCH updateticketstatus/{id}/` and `updatesubticketstatus/{id}/`. Step 999 \
             (Failed) goes with status 999, step 1000 (Complete) with status 1000, and status \
             1000 with step 1000 only; status 999 at another step fails the object at that step."
                .into(),
        );
    }
    if let Some(ticket) = object(schemas, "NewTicket") {
        let item = ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(shared::validate::REFERENCE_MAX))
            .pattern(Some(REFERENCE_PATTERN));
        set_items(property(ticket, "references"), item);
    }
    // A bundle's own artifacts are the ticket's, its uploads' are subtickets'.
    if let Some(mut upload_artifact) = object(schemas, "BundleArtifact").cloned() {
        artifact_types(
            &mut upload_artifact,
            ArtifactType::FOR_SUBTICKET,
            "An artifact of a bundle's upload: `SPU`, `RESULTS` or `LOGS`",
        );
        schemas.insert("BundleUploadArtifact".into(), upload_artifact.into());
        if let Some(upload) = object(schemas, "BundleUpload") {
            set_items(
                property(upload, "artifacts"),
                Ref::from_schema_name("BundleUploadArtifact"),
            );
        }
        if let Some(artifact) = object(schemas, "BundleArtifact") {
            artifact_types(
                artifact,
                ArtifactType::FOR_TICKET,
                "An artifact of a bundle's ticket: `RESULTS`, `LOGS` or `IMAGE`",
            );
        }
    }
    for name in names
        .iter()
        .map(String::as_str)
        .chain(["BundleUploadArtifact"])
    {
        // The hand-written schemas say exactly what they take.
        if matches!(name, "Step" | "Status" | "Ref" | "FlexBool" | "BugId") {
            continue;
        }
        if let Some(schema) = schemas.get_mut(name) {
            tighten(schema);
        }
    }
}

/// The pattern of an artifact `type` among `allowed`.
fn type_pattern(allowed: &[ArtifactType]) -> String {
    let names: Vec<&str> = allowed.iter().map(|t| t.as_str()).collect();
    format!("^({})$", names.join("|"))
}

/// Close the objects of a request schema, keep NUL out of its strings and
/// take steps and statuses in every spelling.
fn tighten(schema: &mut RefOr<Schema>) {
    let schema = match schema {
        RefOr::Ref(target) => {
            for (name, input) in [("Step", "StepInput"), ("Status", "StatusInput")] {
                if target.ref_location == format!("#/components/schemas/{name}") {
                    *target = Ref::from_schema_name(input);
                }
            }
            return;
        }
        RefOr::T(schema) => schema,
    };
    if let Schema::Object(object) = schema {
        let is_string = match &object.schema_type {
            SchemaType::Type(kind) => *kind == Type::String,
            SchemaType::Array(kinds) => kinds.contains(&Type::String),
            SchemaType::AnyValue => false,
        };
        if is_string
            && object.pattern.is_none()
            && object.enum_values.is_none()
            && object.format.is_none()
        {
            object.pattern = Some(NO_NUL.into());
        }
        // Only an object's own schema is closed: a branch of its `anyOf`
        // that narrows some properties leaves the others to it.
        if object.schema_type == SchemaType::Type(Type::Object)
            && !object.properties.is_empty()
            && object.additional_properties.is_none()
        {
            object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
    }
    for child in children(schema) {
        tighten(child);
    }
}
