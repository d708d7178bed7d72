//! `openapi.json`: the OpenAPI 3.1 document of everything the server
//! answers, generated from the code. The handlers' `#[utoipa::path]`
//! annotations and the models' `ToSchema` give the operations and bodies;
//! utoipa `Modify` impls complete the typed document with what many
//! operations share and what a derive cannot see: the list parameters from
//! the store's catalogue, the error responses, bearer security and the
//! schemas of the types with a hand-written serde form ([`document`]). The
//! routes outside `/api/v1/` (`ops.rs`) are declared as the others are.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use utoipa_axum::routes;

use super::ApiRouter;
use super::error::ApiError;
use super::list::{MAX_IN_VALUES, lookups_for};
use super::request_schemas::{
    NO_NUL, RequestSchemas, code_input, codes, in_list, ref_alternatives, ref_schema, regex_escape,
    status_spellings, step_spellings,
};
use crate::store::{FieldKind, Table};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use shared::blobs::BlobStored;
use shared::bundle::{BundleArtifact, BundleRequest, BundleUpload};
use shared::models::{
    BinaryPackage, Event, Failure, FullSubticket, FullTicket, ListMeta, NestedSourcePackage,
    NestedUpload, Person, SourcePackage, SourcePackageUpload, Subticket, SubticketArtifact, Ticket,
    TicketArtifact, TicketStatusRow, WhoAmI, Workflow, WorkflowState,
};
use shared::packagelist::{PackageListEntry, PackageListSummary};
use shared::requests::{
    NewPerson, NewSourcePackage, NewSubticket, NewSubticketArtifact, NewTicket, NewTicketArtifact,
    NewUpload, StatusChange,
};
use shared::{ErrorBody, ErrorCode, ErrorDetail, Status, Step};
use utoipa::openapi::path::Operation;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ContentBuilder, HeaderBuilder, Ref, ResponseBuilder};
use utoipa::openapi::{RefOr, Required};
use utoipa::{Modify, OpenApi};

pub fn router() -> ApiRouter {
    ApiRouter::new().declare(routes!(openapi_json))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ticketd REST API v1",
        description = "The ticket system of a CI engine for distribution packages. \
            Every path under `/api/v1/` is answered with and without its trailing slash. \
            Every 4xx and 5xx answer carries the error body `{\"error\": {\"code\", \"message\", \"fields\"?, \"existing\"?}}`."
    ),
    components(schemas(
        ErrorBody, ErrorDetail, ErrorCode, Step, Status, ListMeta, WorkflowState, Ticket,
        TicketStatusRow, Subticket, SourcePackage, SourcePackageUpload, BinaryPackage,
        TicketArtifact, SubticketArtifact, Person, Event, NestedSourcePackage, NestedUpload,
        FullSubticket, Failure, FullTicket, WhoAmI, Workflow, NewTicket, StatusChange, NewUpload,
        NewSubticket, NewTicketArtifact, NewSubticketArtifact, NewSourcePackage, NewPerson,
        BundleRequest, BundleUpload, BundleArtifact, PackageListEntry, PackageListSummary,
        BlobStored,
    )),
    tags(
        (name = "tickets", description = "Tickets, their views, status changes and bundles"),
        (name = "subtickets", description = "One source package upload's progress"),
        (name = "packages", description = "Source packages, uploads, binaries and the project manager's import"),
        (name = "artifacts", description = "Results, logs, images and upload files"),
        (name = "persons", description = "People and teams"),
        (name = "events", description = "The history of every ticket"),
        (name = "blobs", description = "The content-addressed upload store"),
        (name = "auth", description = "Who the token is"),
        (name = "workflow", description = "The steps, statuses and rules of the workflow, as data"),
        (name = "ops", description = "Health, readiness, metrics and this document"),
    ),
    modifiers(&HandWrittenSchemas, &ErrorResponses, &BearerSecurity)
)]
struct ApiDoc;

/// The document, built once.
static DOCUMENT: LazyLock<Result<String, String>> = LazyLock::new(|| {
    document()
        .and_then(|doc| serde_json::to_string(&doc))
        .map_err(|err| err.to_string())
});

#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi",
    tag = "ops",
    responses((status = 200, description = "This OpenAPI 3.1 document", content_type = "application/json", body = serde_json::Value))
)]
async fn openapi_json() -> Result<Response, ApiError> {
    let text = DOCUMENT.as_ref().map_err(ApiError::internal)?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        text.clone(),
    )
        .into_response())
}

/// The error statuses documented, with what each means here.
const ERRORS: [(u16, &str); 9] = [
    (
        400,
        "Bad request: malformed JSON, a field that fails validation, an unknown or read-only \
         field, an invalid filter, order or query parameter, or an invalid reference (`code` says which)",
    ),
    (
        401,
        "No token where one is needed, or a wrong or revoked one (with `WWW-Authenticate: Bearer`)",
    ),
    (
        403,
        "The token's role may not do this, or the token is bound to another owner than the ticket's",
    ),
    (
        404,
        "No such object (an id that is not a positive integer is a 404 too)",
    ),
    (
        409,
        "Conflict: an illegal workflow transition, a duplicate (`existing` names it) or an \
         `Idempotency-Key` reused with another body",
    ),
    (
        413,
        "The body, or the bundle, is larger than this server accepts",
    ),
    (415, "The body is not `application/json`"),
    (500, "A fault of the server; the details are in its log"),
    (
        503,
        "The database is unavailable, or the request took longer than the request timeout",
    ),
];

/// The complete document as JSON: the routers' declarations merged, then
/// what they share and what the derives cannot say added by the `Modify`
/// impls below, on the typed document.
pub fn document() -> Result<Value, serde_json::Error> {
    let mut openapi = ApiDoc::openapi();
    openapi.merge(super::router().split_for_parts().1);
    openapi.merge(super::blob_router().split_for_parts().1);
    openapi.merge(super::event_stream_router().split_for_parts().1);
    openapi.merge(super::ops_router().split_for_parts().1);
    openapi.merge(super::metrics_router().split_for_parts().1);
    OperationDefaults.modify(&mut openapi);
    UniquePackageList.modify(&mut openapi);
    RequestSchemas.modify(&mut openapi);
    serde_json::to_value(openapi)
}

/// A schema of JSON type `kind`.
fn of_type(kind: Type) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(kind)
}

/// An id: a positive 64-bit integer.
pub(super) fn positive_int64() -> ObjectBuilder {
    of_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
}

/// A step or status as answered: its code, each code named in the
/// description, with the other forms a request may send.
fn code_output<T: Copy>(
    all: &[T],
    code: fn(T) -> i64,
    name: fn(T) -> &'static str,
    what: &str,
    other_forms: &str,
) -> RefOr<Schema> {
    let names: Vec<String> = all
        .iter()
        .map(|v| format!("{} {}", code(*v), name(*v)))
        .collect();
    of_type(Type::Integer)
        .enum_values(Some(codes(all, code)))
        .description(Some(format!(
            "{what}: {}. Requests may also send it as {other_forms}.",
            names.join(", ")
        )))
        .into()
}

/// Schemas of the types whose serde form is written by hand, which the
/// derive cannot see: codes, references and the lenient scalars.
struct HandWrittenSchemas;

impl Modify for HandWrittenSchemas {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let schemas = [
            (
                "Step",
                code_output(
                    Step::ALL,
                    Step::code,
                    Step::display_name,
                    "A workflow step",
                    "a numeric string (`\"100\"`) or a name (`\"queued\"`, `\"Image Testing\"`): see `StepInput`",
                ),
            ),
            (
                "Status",
                code_output(
                    Status::ALL,
                    Status::code,
                    Status::display_name,
                    "A status within the step",
                    "a numeric string (`\"000\"`) or a name (`\"in-progress\"`): see `StatusInput`",
                ),
            ),
            (
                "StepInput",
                code_input(
                    "A workflow step as a request may send it",
                    codes(Step::ALL, Step::code),
                    &step_spellings(),
                ),
            ),
            (
                "StatusInput",
                code_input(
                    "A status as a request may send it",
                    codes(Status::ALL, Status::code),
                    &status_spellings(),
                ),
            ),
            (
                "Ref",
                OneOfBuilder::new()
                    .description(Some(
                        "A reference to another object: its `resource_uri` (`/api/v1/sourcepackage/3/`) or its id (`3` or `\"3\"`)",
                    ))
                    .item(positive_int64())
                    .item(of_type(Type::String))
                    .into(),
            ),
            (
                "FlexBool",
                OneOfBuilder::new()
                    .description(Some(
                        "A boolean: `true`/`false`, or `\"true\"`, `\"True\"`, `\"1\"`, `1` and their false forms",
                    ))
                    .item(of_type(Type::Boolean))
                    .item(of_type(Type::String).enum_values(Some([
                        "true", "false", "True", "False", "1", "0",
                    ])))
                    .item(of_type(Type::Integer).enum_values(Some([0, 1])))
                    .into(),
            ),
            (
                "BugId",
                OneOfBuilder::new()
                    .description(Some(
                        "A Launchpad bug number: digits as a JSON number or a string; `\"\"` or null means no bug",
                    ))
                    .item(of_type(Type::Null))
                    .item(
                        of_type(Type::Integer)
                            .minimum(Some(0))
                            .maximum(Some(999_999_999_999_999_999_i64)),
                    )
                    .item(of_type(Type::String).pattern(Some("^[0-9]{0,18}$")))
                    .into(),
            ),
        ];
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, schema) in schemas {
            components.schemas.insert(name.to_string(), schema);
        }
    }
}

/// The error answers every operation refers to (`#/components/responses/Error404`),
/// each with the error body.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (status, description) in ERRORS {
            let mut response = ResponseBuilder::new().description(description).content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            );
            if status == 401 {
                response = response.header(
                    "WWW-Authenticate",
                    HeaderBuilder::new()
                        .schema(of_type(Type::String))
                        .description(Some("`Bearer`"))
                        .build(),
                );
            }
            components
                .responses
                .insert(format!("Error{status}"), response.build().into());
        }
    }
}

/// The `bearer` security scheme that operations name.
struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "An API token: `Authorization: Bearer TOKEN`. Reads may go without \
                 one when the server allows anonymous reads (the default); writes need one \
                 whose role allows them. A server started with `--no-auth` checks nothing.",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(bearer));
    }
}

/// What every operation of its kind shares: the `id` parameter of a
/// detail path, the error answers, the security; HEAD operations get ids
/// and answers of their own, blob bodies the binary form.
struct OperationDefaults;

impl Modify for OperationDefaults {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, operation) in [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("options", &mut item.options),
                ("head", &mut item.head),
                ("patch", &mut item.patch),
                ("trace", &mut item.trace),
            ] {
                if let Some(operation) = operation {
                    complete_operation(path, method, operation);
                }
            }
        }
    }
}

/// Each binary once in a package list: identical entries are the simplest
/// case of that (one binary with two sources or versions is refused too).
struct UniquePackageList;

impl Modify for UniquePackageList {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(RefOr::T(Schema::Array(list))) = openapi
            .paths
            .paths
            .get_mut("/api/v1/packagelist/")
            .and_then(|item| item.post.as_mut())
            .and_then(|operation| operation.request_body.as_mut())
            .and_then(|body| body.content.get_mut("application/json"))
            .and_then(|content| content.schema.as_mut())
        {
            list.unique_items = true;
            list.description = Some("Each binary at most once".into());
        }
    }
}

/// Add the parameters, error responses and security every operation of
/// its kind shares.
fn complete_operation(path: &str, method: &str, operation: &mut Operation) {
    let api = path.starts_with("/api/v1/");
    let write = matches!(method, "post" | "put" | "patch" | "delete");
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    if path.contains("{id}") && !parameters.iter().any(|p| p.name == "id") {
        let id = ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some("The object's id"))
            .schema(Some(positive_int64()))
            .build();
        parameters.insert(0, id);
    }
    if parameters.is_empty() {
        operation.parameters = None;
    }
    if method == "head"
        && let Some(id) = operation.operation_id.as_mut()
    {
        id.push_str("_head");
    }
    binary_bodies(operation);
    let mut statuses: Vec<u16> = Vec::new();
    if api {
        statuses.extend([400, 401, 500]);
        if path.contains('{') {
            statuses.push(404);
        }
        if write {
            statuses.extend([403, 413]);
        }
        if matches!(method, "post" | "patch") {
            statuses.extend([409, 415]);
        }
        // Blob transfers stream without the request timeout, but still need the database.
        statuses.push(503);
    }
    let responses = &mut operation.responses.responses;
    for status in statuses {
        responses
            .entry(status.to_string())
            .or_insert_with(|| Ref::new(format!("#/components/responses/Error{status}")).into());
    }
    if method == "head" {
        // A HEAD answer has no body: keep the descriptions only.
        for response in responses.values_mut() {
            let description = match response {
                RefOr::Ref(reference) => ERRORS
                    .iter()
                    .find(|(s, _)| reference.ref_location.ends_with(&format!("Error{s}")))
                    .map_or("", |(_, d)| d)
                    .to_string(),
                RefOr::T(response) => response.description.clone(),
            };
            *response = ResponseBuilder::new()
                .description(format!("{description} (no body: HEAD)"))
                .build()
                .into();
        }
    }
    let bearer = || SecurityRequirement::new("bearer", Vec::<String>::new());
    operation.security = Some(if !api {
        vec![]
    } else if write {
        vec![bearer()]
    } else {
        vec![bearer(), SecurityRequirement::default()]
    });
}

/// Blobs travel as raw bytes: a derive would describe `Vec<u8>` as an
/// array of numbers.
fn binary_bodies(operation: &mut Operation) {
    const BYTES: &str = "application/octet-stream";
    let binary = |media: Option<&mut Content>| {
        if let Some(media) = media {
            media.schema = Some(
                of_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                    .into(),
            );
        }
    };
    if let Some(body) = operation.request_body.as_mut() {
        binary(body.content.get_mut(BYTES));
    }
    for response in operation.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            binary(response.content.get_mut(BYTES));
        }
    }
}

/// Add the list parameters of `table` to a list route's `operation`.
pub(super) fn add_list_parameters(operation: &mut Operation, table: &Table) {
    operation
        .parameters
        .get_or_insert_with(Vec::new)
        .extend(list_parameters(table));
}

/// A string without NUL (see [`NO_NUL`]).
fn text() -> ObjectBuilder {
    of_type(Type::String).pattern(Some(NO_NUL))
}

/// A 64-bit integer.
fn int64() -> ObjectBuilder {
    of_type(Type::Integer).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
}

/// The schema of a filter value of `kind` with `lookup`: what
/// `list::parse_scalar` takes (after trimming white space).
fn filter_schema(kind: FieldKind, lookup: &str) -> RefOr<Schema> {
    if lookup == "isnull" {
        return Ref::from_schema_name("FlexBool").into();
    }
    if lookup == "in" {
        return match kind {
            FieldKind::Text | FieldKind::Timestamp | FieldKind::Bool => text()
                .description(Some(format!(
                    "comma-separated values; at most {MAX_IN_VALUES} values in all the `__in` lists of a request"
                )))
                .into(),
            FieldKind::Number => in_list("-?[0-9]{1,18}", "whole numbers"),
            FieldKind::Step => in_list(&alternatives(&step_spellings()), "steps (codes or names)"),
            FieldKind::Status => in_list(
                &alternatives(&status_spellings()),
                "statuses (codes or names)",
            ),
            FieldKind::Ref(target) => in_list(
                &ref_alternatives(target.resource),
                &format!("ids or `resource_uri`s of {}", target.resource),
            ),
        };
    }
    match kind {
        FieldKind::Text => text().into(),
        FieldKind::Number => int64().into(),
        FieldKind::Step => Ref::from_schema_name("StepInput").into(),
        FieldKind::Status => Ref::from_schema_name("StatusInput").into(),
        FieldKind::Timestamp => of_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into(),
        FieldKind::Bool => Ref::from_schema_name("FlexBool").into(),
        FieldKind::Ref(target) => ref_schema(target.resource),
    }
}

/// `spellings` as the alternatives of a regular expression.
fn alternatives(spellings: &[String]) -> String {
    spellings
        .iter()
        .map(|s| regex_escape(s))
        .collect::<Vec<_>>()
        .join("|")
}

/// An optional query parameter.
fn query(name: &str, description: String) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
}

/// `limit`, `offset`, `order_by`, `format`, and every filter of `table`
/// with every lookup its type takes; relations as one free-form group.
fn list_parameters(table: &Table) -> Vec<Parameter> {
    let orders: Vec<String> = table
        .order_names()
        .into_iter()
        .flat_map(|name| [name.to_string(), format!("-{name}")])
        .collect();
    let mut parameters = vec![
        query(
            "limit",
            "Page size: 20 by default, at most 1000; 0 means 1000".into(),
        )
        .schema(Some(int64().minimum(Some(0)))),
        query("offset", "Index of the first object of the page".into())
            .schema(Some(int64().minimum(Some(0)))),
        query(
            "order_by",
            "The order: a field, or `-field` for descending; ties break on `id`".into(),
        )
        .schema(Some(of_type(Type::String).enum_values(Some(orders)))),
        query("format", "Only `json` is served".into())
            .schema(Some(of_type(Type::String).enum_values(Some(["json"])))),
    ];
    let mut relations = Vec::new();
    // By name, which keeps the patterns made of them in a stable order.
    let mut related = BTreeMap::new();
    for field in table.fields.iter().filter(|f| f.filter) {
        parameters.push(
            query(
                field.name,
                format!("`{}` equals this (as `{}__exact`)", field.name, field.name),
            )
            .schema(Some(filter_schema(field.kind, "exact"))),
        );
        for lookup in lookups_for(field.kind) {
            parameters.push(
                query(
                    &format!("{}__{lookup}", field.name),
                    format!("`{}` lookup `{lookup}`", field.name),
                )
                .schema(Some(filter_schema(field.kind, lookup))),
            );
        }
        if let FieldKind::Ref(target) = field.kind {
            relations.push(format!(
                "`{}__FIELD[__LOOKUP]` with FIELD one of {}",
                field.name,
                target.filter_names().join(", ")
            ));
            for inner in target.fields.iter().filter(|f| f.filter) {
                let name = format!("{}__{}", field.name, inner.name);
                related.insert(name.clone(), filter_schema(inner.kind, "exact"));
                for lookup in lookups_for(inner.kind) {
                    related.insert(
                        format!("{name}__{lookup}"),
                        filter_schema(inner.kind, lookup),
                    );
                }
            }
        }
    }
    if !relations.is_empty() {
        // utoipa's object schema has no `patternProperties`: it goes in
        // through the schema's extra keys.
        let mut schema = of_type(Type::Object)
            .additional_properties(Some(AdditionalProperties::<Schema>::FreeForm(false)))
            .build();
        schema.extensions = Some(
            [("patternProperties", Value::Object(by_schema(related)))]
                .into_iter()
                .collect(),
        );
        let description = format!(
            "Filters on a related object, followed one step (each key is its own query parameter): {}",
            relations.join("; ")
        );
        parameters.push(
            query("relations", description)
                .style(Some(ParameterStyle::Form))
                .explode(Some(true))
                .schema(Some(schema)),
        );
    }
    parameters
        .into_iter()
        .map(ParameterBuilder::build)
        .collect()
}

/// Names with their schemas as `patternProperties`: one pattern naming
/// every name of each schema, which keeps the document (and what a
/// generator makes of it) small.
fn by_schema(named: impl IntoIterator<Item = (String, RefOr<Schema>)>) -> Map<String, Value> {
    let mut groups: Vec<(RefOr<Schema>, Vec<String>)> = Vec::new();
    for (name, schema) in named {
        match groups.iter_mut().find(|(s, _)| *s == schema) {
            Some((_, names)) => names.push(name),
            None => groups.push((schema, vec![name])),
        }
    }
    groups
        .into_iter()
        .map(|(schema, names)| {
            let schema = serde_json::to_value(schema).expect("a schema serializes");
            (format!("^({})$", names.join("|")), schema)
        })
        .collect()
}
