//! The request side of `openapi.json`: what the server enforces on
//! request bodies and filter values that the derives cannot say (closed
//! objects, no NUL, every spelling of a step or status, references to
//! their resource), applied to the document by [`super::openapi`].

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use shared::{ArtifactType, Status, Step};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};

use super::list::MAX_IN_VALUES;

/// The methods an OpenAPI path item may hold.
pub(super) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

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

/// The steps of `steps` in any spelling.
fn steps_of(steps: &[Step]) -> Value {
    json!({"oneOf": [
        {"type": "integer", "enum": codes(steps, Step::code)},
        {"type": "string", "enum": spellings(steps, Step::code, Step::slug, Step::display_name)},
    ]})
}

/// The statuses of `statuses` in any spelling.
fn statuses_of(statuses: &[Status]) -> Value {
    json!({"oneOf": [
        {"type": "integer", "enum": codes(statuses, Status::code)},
        {"type": "string", "enum": spellings(statuses, Status::code, Status::slug, Status::display_name)},
    ]})
}

/// The pairs of step and status a status change may ask for (the workflow
/// rules' `target`): Failed with Failed, Complete with Complete, and any
/// other step with any status but Complete (Failed there fails at that step).
fn status_change_pairs() -> Value {
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
    let pair = |step: Value, status: Value| json!({"properties": {"current_workflow_step": step, "status": status}});
    json!([
        pair(steps_of(&[Step::Failed]), statuses_of(&[Status::Failed])),
        pair(
            steps_of(&[Step::Complete]),
            statuses_of(&[Status::Complete])
        ),
        pair(steps_of(&others), statuses_of(&not_complete)),
    ])
}

/// A step or status in a request: its code as a number, or one of its
/// spellings as a string.
pub(super) fn code_input(what: &str, codes: Vec<i64>, spellings: &[String]) -> RefOr<Schema> {
    OneOfBuilder::new()
        .description(Some(format!(
            "{what}: its code as a number, or its code or name as a string (case and \
             surrounding white space do not matter)"
        )))
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
pub(super) fn ref_schema(resource: &str) -> Value {
    json!({
        "description": format!(
            "A {resource}: its `resource_uri` (`/api/v1/{resource}/3/`) or its id (`3` or `\"3\"`)"
        ),
        "oneOf": [
            {"type": "integer", "format": "int64", "minimum": 1},
            {"type": "string", "pattern": format!("^({})$", ref_alternatives(resource))},
        ],
    })
}

/// The value of an `__in` lookup: comma-separated values, each matching
/// `one` (a regular expression without anchors); empty items are skipped.
pub(super) fn in_list(one: &str, what: &str) -> Value {
    json!({
        "type": "string",
        "pattern": format!("^({one})?(,({one})?)*$"),
        "description": format!(
            "comma-separated {what}; at most {MAX_IN_VALUES} values in all the `__in` lists of a request"
        ),
    })
}

/// Every `$ref` target under `value`, by component schema name.
fn schema_refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
            {
                found.push(name.to_string());
            }
            map.values().for_each(|v| schema_refs(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| schema_refs(v, found)),
        _ => {}
    }
}

/// The component schemas a request body uses, directly or through others.
pub(super) fn request_body_schemas(root: &Map<String, Value>) -> BTreeSet<String> {
    let mut pending = Vec::new();
    for item in root
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
    {
        for method in METHODS {
            if let Some(body) = item.get(method).and_then(|op| op.get("requestBody")) {
                schema_refs(body, &mut pending);
            }
        }
    }
    let schemas = root.get("components").and_then(|c| c.get("schemas"));
    let mut seen = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if seen.insert(name.clone())
            && let Some(schema) = schemas.and_then(|s| s.get(&name))
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

/// What the server enforces on request bodies that the derive cannot say:
/// no field but the documented ones (every body is refused with
/// `unknown_field` otherwise), no NUL in any string, references to the
/// right resource, steps and statuses in every spelling, the artifact types
/// each level of a bundle takes, non-empty reference items.
pub(super) fn tighten_request_schemas(schemas: &mut Map<String, Value>, names: &BTreeSet<String>) {
    for (schema, field, resource) in BODY_REFS {
        if let Some(property) = schemas
            .get_mut(schema)
            .and_then(|s| s.get_mut("properties"))
            .and_then(|p| p.get_mut(field))
        {
            *property = ref_schema(resource);
        }
    }
    if let Some(change) = schemas.get_mut("StatusChange") {
        change["anyOf"] = status_change_pairs();
        change["description"] = json!(
            "`PATCH updateticketstatus/{id}/` and `updatesubticketstatus/{id}/`. Step 999 \
             (Failed) goes with status 999, step 1000 (Complete) with status 1000, and status \
             1000 with step 1000 only; status 999 at another step fails the object at that step."
        );
    }
    if let Some(items) = schemas
        .get_mut("NewTicket")
        .and_then(|s| s.pointer_mut("/properties/references/items"))
    {
        *items = json!({
            "type": "string",
            "minLength": 1,
            "maxLength": shared::validate::REFERENCE_MAX,
            "pattern": REFERENCE_PATTERN,
        });
    }
    // A bundle's own artifacts are the ticket's, its uploads' are subtickets'.
    if let Some(mut upload_artifact) = schemas.get("BundleArtifact").cloned() {
        upload_artifact["properties"]["type"]["pattern"] =
            json!(type_pattern(ArtifactType::FOR_SUBTICKET));
        upload_artifact["description"] =
            json!("An artifact of a bundle's upload: `SPU`, `RESULTS` or `LOGS`");
        schemas.insert("BundleUploadArtifact".into(), upload_artifact);
        if let Some(items) = schemas
            .get_mut("BundleUpload")
            .and_then(|s| s.pointer_mut("/properties/artifacts/items"))
        {
            *items = json!({"$ref": "#/components/schemas/BundleUploadArtifact"});
        }
        if let Some(artifact) = schemas.get_mut("BundleArtifact") {
            artifact["properties"]["type"]["pattern"] =
                json!(type_pattern(ArtifactType::FOR_TICKET));
            artifact["description"] =
                json!("An artifact of a bundle's ticket: `RESULTS`, `LOGS` or `IMAGE`");
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
fn tighten(schema: &mut Value) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::String(target)) = map.get_mut("$ref") {
        for (name, input) in [("Step", "StepInput"), ("Status", "StatusInput")] {
            if target.as_str() == format!("#/components/schemas/{name}") {
                *target = format!("#/components/schemas/{input}");
            }
        }
        return;
    }
    let is_string = match map.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        _ => false,
    };
    if is_string
        && !["pattern", "enum", "format"]
            .iter()
            .any(|k| map.contains_key(*k))
    {
        map.insert("pattern".into(), json!(NO_NUL));
    }
    let is_object = map.get("type") == Some(&json!("object"));
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.values_mut().for_each(tighten);
        // Only an object's own schema is closed: a branch of its `anyOf`
        // that narrows some properties leaves the others to it.
        if is_object {
            map.entry("additionalProperties").or_insert(json!(false));
        }
    }
    if let Some(items) = map.get_mut("items") {
        tighten(items);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            branches.iter_mut().for_each(tighten);
        }
    }
}
