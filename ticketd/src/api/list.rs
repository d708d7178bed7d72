//! List requests: paging, ordering and filters parsed from the query string
//! against the resource's catalogue, and the tastypie envelope with its
//! `next`/`previous` links.

use chrono::DateTime;
use shared::lenient::parse_bool;
use shared::models::{ListMeta, ListResponse};
use shared::{Ref, Status, Step};
use std::borrow::Cow;
use std::time::{Duration, Instant};

use percent_encoding::percent_decode_str;
use url::form_urlencoded;

use super::error::ApiError;
use crate::state::AppState;
use crate::store::{
    AnyRow, Condition, Count, Field, FieldKind, ListQuery, Lookup, OrderBy, SqlValue, Table,
};

/// The default page size.
const DEFAULT_LIMIT: i64 = 20;
/// The largest page size; `limit=0` means this too.
const MAX_LIMIT: i64 = 1000;
/// Most values of `__in` lists in one request, all lists together: each is
/// a placeholder of the query, and thousands tie up a reader.
pub const MAX_IN_VALUES: usize = 1000;

/// The table a list route serves, set on the route where it is declared
/// ([`super::Declare::list`]).
#[derive(Debug, Clone, Copy)]
pub struct ListOf(pub &'static Table);

/// A list route's request before parsing: its table and canonical path,
/// both from the route's declaration, and the query string.
pub struct ListCall {
    table: &'static Table,
    path: String,
    query: Option<String>,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ListCall {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, ApiError> {
        let table = parts.extensions.get::<ListOf>().map(|of| of.0);
        let matched = parts.extensions.get::<axum::extract::MatchedPath>();
        let (Some(table), Some(matched)) = (table, matched) else {
            return Err(ApiError::internal(
                "a list handler is served on a route not declared with Declare::list",
            ));
        };
        Ok(ListCall {
            table,
            // Routed without the trailing slash, written with it.
            path: format!("{}/", matched.as_str()),
            query: parts.uri.query().map(str::to_string),
        })
    }
}

impl ListCall {
    /// [`ListRequest::parse`] this request, with `base` conditions.
    pub fn parse(&self, base: Vec<Condition>) -> Result<ListRequest, ApiError> {
        ListRequest::parse(self.table, &self.path, self.query.as_deref(), base)
    }
}

/// A parsed list request, with what it takes to build the page links.
pub struct ListRequest {
    pub query: ListQuery,
    /// The canonical path (`/api/v1/ticket/`).
    path: String,
    /// Every parameter except `limit` and `offset`, in order, for links.
    kept: Vec<(String, String)>,
}

pub(super) fn lookups_for(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::Text => &[
            "exact",
            "iexact",
            "startswith",
            "istartswith",
            "contains",
            "icontains",
            "in",
            "isnull",
        ],
        FieldKind::Number | FieldKind::Step | FieldKind::Status | FieldKind::Ref(_) => {
            &["exact", "in", "gt", "gte", "lt", "lte", "isnull"]
        }
        FieldKind::Timestamp => &["exact", "gt", "gte", "lt", "lte"],
        FieldKind::Bool => &["exact"],
    }
}

fn parse_scalar(field: &Field, raw: &str) -> Result<SqlValue, String> {
    let raw = raw.trim();
    if raw.contains('\0') {
        return Err("a value must not contain a NUL character".into());
    }
    match field.kind {
        FieldKind::Text => Ok(raw.into()),
        FieldKind::Number => raw
            .parse::<i64>()
            .map(SqlValue::from)
            .map_err(|_| format!("`{raw}` is not a whole number")),
        FieldKind::Step => raw.parse::<Step>().map(|s| s.code().into()),
        FieldKind::Status => raw.parse::<Status>().map(|s| s.code().into()),
        FieldKind::Ref(target) => Ref::Text(raw.to_string())
            .resolve(target.resource)
            .map(SqlValue::from),
        FieldKind::Bool => parse_bool(raw).map(SqlValue::from),
        FieldKind::Timestamp => {
            // A `+` of an offset arrives as a space when the client did not encode it.
            DateTime::parse_from_rfc3339(raw)
                .or_else(|_| DateTime::parse_from_rfc3339(&raw.replace(' ', "+")))
                .map(|t| t.timestamp_micros().into())
                .map_err(|_| {
                    format!("`{raw}` is not an RFC 3339 timestamp (e.g. 2026-11-25T06:27:43Z)")
                })
        }
    }
}

/// The condition of `field__lookup=raw`.
fn condition(
    field: &'static Field,
    lookup_name: &str,
    raw: &str,
    param: &str,
) -> Result<Condition, ApiError> {
    let allowed = lookups_for(field.kind);
    if !allowed.contains(&lookup_name) {
        return Err(ApiError::invalid_filter(format!(
            "{param}: `{}` does not take the lookup `{lookup_name}`; allowed: {}",
            field.name,
            allowed.join(", ")
        )));
    }
    let bad_value = |problem: String| ApiError::invalid_filter(format!("{param}: {problem}"));
    let lookup = Lookup::parse(lookup_name)
        .ok_or_else(|| bad_value(format!("unknown lookup `{lookup_name}`")))?;
    match lookup {
        Lookup::IsNull => {
            let null = parse_bool(raw.trim()).map_err(bad_value)?;
            Ok(Condition::IsNull {
                column: field.column,
                null,
            })
        }
        Lookup::In => {
            let parts: Vec<&str> = raw
                .split(',')
                .filter(|part| !part.trim().is_empty())
                .collect();
            if parts.len() > MAX_IN_VALUES {
                return Err(too_many_values(param, parts.len()));
            }
            let values = parts
                .into_iter()
                .map(|part| parse_scalar(field, part))
                .collect::<Result<Vec<_>, _>>()
                .map_err(bad_value)?;
            Ok(Condition::Compare {
                column: field.column,
                lookup,
                values,
            })
        }
        _ => {
            let value = parse_scalar(field, raw).map_err(bad_value)?;
            Ok(Condition::Compare {
                column: field.column,
                lookup,
                values: vec![value],
            })
        }
    }
}

fn too_many_values(param: &str, sent: usize) -> ApiError {
    ApiError::invalid_filter(format!(
        "{param}: `__in` lists take at most {MAX_IN_VALUES} values in all (got {sent})"
    ))
}

/// How many values the `__in` lists of a condition hold.
fn in_values(condition: &Condition) -> usize {
    match condition {
        Condition::Compare {
            lookup: Lookup::In,
            values,
            ..
        } => values.len(),
        Condition::Related { inner, .. } => in_values(inner),
        _ => 0,
    }
}

/// The parameters of a query string, `+` and percent escapes decoded as
/// `application/x-www-form-urlencoded` says, but strictly: a name or value
/// that is not UTF-8 once decoded is a 400 naming the parameter, where
/// `form_urlencoded::parse` would put U+FFFD in its place.
pub fn query_pairs(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let decode = |text: &str| {
        percent_decode_str(&text.replace('+', " "))
            .decode_utf8()
            .map(Cow::into_owned)
    };
    let not_utf8 =
        |name: &str| ApiError::invalid_filter(format!("{name}: is not UTF-8 once percent-decoded"));
    raw.unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            // A name that cannot be decoded is shown as it was sent.
            let name = decode(name).map_err(|_| not_utf8(name))?;
            let value = decode(value).map_err(|_| not_utf8(&name))?;
            Ok((name, value))
        })
        .collect()
}

/// Refuse every parameter but `format=json`: for a request that takes
/// none (docs/api.md, decision 17).
fn refuse_parameters(pairs: Vec<(String, String)>) -> Result<(), ApiError> {
    match pairs
        .into_iter()
        .find(|(name, value)| name != "format" || value != "json")
    {
        Some((name, _)) => Err(ApiError::invalid_filter(format!(
            "{name}: this request takes no query parameters (only lists do)"
        ))),
        None => Ok(()),
    }
}

/// [`refuse_parameters`] for a GET that is not a list, which
/// [`refuse_stray_query`] cannot tell from one by its route.
pub(super) fn refuse_query(raw: Option<&str>) -> Result<(), ApiError> {
    refuse_parameters(query_pairs(raw)?)
}

fn unknown_field(param: &str, table: &Table, name: &str) -> ApiError {
    ApiError::invalid_filter(format!(
        "{param}: `{name}` is not a filter of {}; allowed: {} (and limit, offset, order_by, format)",
        table.resource,
        table.filter_names().join(", ")
    ))
}

/// `field`, `field__lookup`, `relation__field` or `relation__field__lookup`.
fn filter(table: &'static Table, param: &str, raw: &str) -> Result<Condition, ApiError> {
    let parts: Vec<&str> = param.split("__").collect();
    let field = table
        .field(parts[0])
        .filter(|f| f.filter)
        .ok_or_else(|| unknown_field(param, table, parts[0]))?;
    match (parts.as_slice(), field.kind) {
        ([_], _) => condition(field, "exact", raw, param),
        ([_, lookup], _) if Lookup::parse(lookup).is_some() => condition(field, lookup, raw, param),
        ([_, sub] | [_, sub, _], FieldKind::Ref(target)) => {
            let inner_field = target
                .field(sub)
                .filter(|f| f.filter)
                .ok_or_else(|| unknown_field(param, target, sub))?;
            let lookup = parts.get(2).copied().unwrap_or("exact");
            let inner = condition(inner_field, lookup, raw, param)?;
            Ok(Condition::Related {
                fk_column: field.column,
                table: target.sql,
                inner: Box::new(inner),
            })
        }
        ([_, lookup], _) => condition(field, lookup, raw, param),
        _ => Err(ApiError::invalid_filter(format!(
            "{param}: relations can be followed one step only"
        ))),
    }
}

/// A whole number ≥ 0; one too large for an `i64` reads as `i64::MAX`, so
/// that a huge `limit` is capped like any other and a huge `offset` is past
/// the end (docs/api.md, "Lists").
fn non_negative(name: &str, raw: &str) -> Result<i64, ApiError> {
    let text = raw.trim();
    let digits = text.strip_prefix('+').unwrap_or(text);
    match text.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        Err(_) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => Ok(i64::MAX),
        _ => Err(ApiError::invalid_filter(format!(
            "{name}: `{raw}` is not a whole number ≥ 0"
        ))),
    }
}

impl ListRequest {
    /// Parse the query string of a list of `table`, served at `path`.
    /// `base` holds conditions the resource always applies.
    pub fn parse(
        table: &'static Table,
        path: &str,
        raw_query: Option<&str>,
        base: Vec<Condition>,
    ) -> Result<Self, ApiError> {
        let mut limit = DEFAULT_LIMIT;
        let mut offset = 0;
        let mut order = OrderBy {
            column: "id",
            descending: false,
        };
        let mut conditions = base;
        let mut kept = Vec::new();
        let mut in_total = 0;
        for (name, value) in query_pairs(raw_query)? {
            match name.as_str() {
                "limit" => {
                    let n = non_negative("limit", &value)?;
                    limit = if n == 0 { MAX_LIMIT } else { n.min(MAX_LIMIT) };
                    continue;
                }
                "offset" => {
                    offset = non_negative("offset", &value)?;
                    continue;
                }
                "order_by" => {
                    let (descending, field_name) = match value.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, value.as_str()),
                    };
                    let field = table.field(field_name).filter(|f| f.order).ok_or_else(|| {
                        ApiError::invalid_filter(format!(
                            "order_by: cannot order {} by `{field_name}`; allowed: {} (prefix - for descending)",
                            table.resource,
                            table.order_names().join(", ")
                        ))
                    })?;
                    order = OrderBy {
                        column: field.column,
                        descending,
                    };
                }
                "format" => {
                    if value != "json" {
                        return Err(ApiError::invalid_filter(format!(
                            "format: `{value}` is not served; only json"
                        )));
                    }
                }
                param => {
                    let condition = filter(table, param, &value)?;
                    in_total += in_values(&condition);
                    if in_total > MAX_IN_VALUES {
                        return Err(too_many_values(param, in_total));
                    }
                    conditions.push(condition);
                }
            }
            kept.push((name, value));
        }
        Ok(ListRequest {
            query: ListQuery {
                table,
                conditions,
                order,
                limit,
                offset,
            },
            path: path.to_string(),
            kept,
        })
    }

    fn link(&self, offset: i64, limit: i64) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.kept {
            query.append_pair(name, value);
        }
        query.append_pair("limit", &limit.to_string());
        query.append_pair("offset", &offset.to_string());
        format!("{}?{}", self.path, query.finish())
    }

    /// The envelope's `meta` for a page of this request that held
    /// `returned` objects. A page cut short by its byte budget shows the
    /// limit it applied, and `next` goes on after its last object.
    pub fn meta(&self, count: Count, returned: usize) -> ListMeta {
        let ListQuery { offset, .. } = self.query;
        let returned = i64::try_from(returned).unwrap_or(i64::MAX);
        let total_count = count.total;
        let cut_short =
            returned > 0 && returned < self.query.limit && offset + returned < total_count;
        let limit = if cut_short {
            returned
        } else {
            self.query.limit
        };
        ListMeta {
            limit,
            offset,
            total_count,
            total_count_capped: count.capped,
            next: (offset.saturating_add(limit) < total_count)
                .then(|| self.link(offset.saturating_add(limit), limit)),
            previous: (offset > 0).then(|| self.link((offset - limit).max(0), limit)),
        }
    }

    /// Run the request and wrap its rows, converted by `to_model`.
    pub async fn run<R: AnyRow, T>(
        &self,
        state: &AppState,
        to_model: impl Fn(&R) -> T,
    ) -> Result<ListResponse<T>, ApiError> {
        let mut tx = state.store.read_list(self.query.table).await?;
        let (rows, total) = tx
            .list::<R>(&self.query, state.limits.max_page_bytes)
            .await?;
        Ok(ListResponse {
            meta: self.meta(total, rows.len()),
            objects: rows.iter().map(to_model).collect(),
        })
    }
}

/// A request slower than this is logged (method, route, the start of its
/// query string), in place of sqlx's slow-statement line with the whole SQL.
const SLOW_REQUEST: Duration = Duration::from_secs(1);
/// The most of a query string a slow-request line shows.
const LOGGED_QUERY_CHARS: usize = 200;

/// Middleware: only lists (and the import's `prune`) take query parameters;
/// anywhere else any parameter but `format=json` is a 400, never ignored.
/// Names and values must be UTF-8 once decoded, everywhere. A slow request
/// is logged in one bounded line.
pub async fn refuse_stray_query(
    matched: Option<axum::extract::MatchedPath>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let route = matched.as_ref().map_or("", |m| m.as_str());
    let is_list = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    ) && !route.ends_with('}');
    // Every route, even one that reads no parameter (`whoami/`), is checked.
    let pairs = match query_pairs(request.uri().query()) {
        Ok(pairs) => pairs,
        Err(err) => return err.into_response(),
    };
    if !is_list
        && route != "/api/v1/packagelist"
        && let Err(err) = refuse_parameters(pairs)
    {
        return err.into_response();
    }
    let method = request.method().clone();
    // Cheap to clone (shared bytes); read only if the request is slow.
    let uri = request.uri().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    if elapsed >= SLOW_REQUEST {
        let query = uri.query().unwrap_or("");
        let mut shown: String = query.chars().take(LOGGED_QUERY_CHARS).collect();
        if shown.len() < query.len() {
            shown.push('…');
        }
        tracing::warn!(
            %method,
            route,
            query = shown,
            elapsed_ms = elapsed.as_millis() as u64,
            status = response.status().as_u16(),
            "slow request"
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::store::ALL_TABLES;

    fn parameter() -> impl Strategy<Value = String> {
        let names = prop::sample::select(vec![
            "limit",
            "offset",
            "order_by",
            "format",
            "id",
            "title",
            "owner",
            "ticket",
            "sourcepackage",
            "created",
            "current_workflow_step",
            "status",
            "is_team",
            "name",
            "kind",
        ]);
        let lookups = prop::sample::select(vec![
            "",
            "__exact",
            "__iexact",
            "__in",
            "__gt",
            "__lte",
            "__isnull",
            "__startswith",
            "__contains",
            "__name",
            "__owner",
            "__x",
        ]);
        (names, lookups, ".{0,12}").prop_map(|(n, l, v)| {
            let value: String = url::form_urlencoded::byte_serialize(v.as_bytes()).collect();
            format!("{n}{l}={value}")
        })
    }

    #[test]
    fn query_strings_that_are_not_utf8_once_decoded_name_the_parameter() {
        for (query, named) in [
            ("title=%ff", "title: "),
            ("a=1&title__in=x,%C3", "title__in: "),
            ("ti%fftle=x", "ti%fftle: "),
            ("x=%e9%80", "x: "),
        ] {
            let err = query_pairs(Some(query)).expect_err(query);
            assert!(
                err.body.error.message.starts_with(named),
                "{query}: {err:?}"
            );
            assert!(err.body.error.message.contains("UTF-8"), "{query}: {err:?}");
        }
        let pairs = query_pairs(Some("title=caf%C3%A9&&a+b=c+d%2B&flag")).expect("UTF-8");
        let want = [("title", "café"), ("a b", "c d+"), ("flag", "")];
        let want: Vec<_> = want
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, want);
    }

    #[test]
    fn more_than_1000_in_values_are_refused_naming_the_parameter() {
        let ids = |n: usize| (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        let table = ALL_TABLES[0];
        let parse = |query: String| ListRequest::parse(table, "/x/", Some(&query), vec![]);
        assert!(parse(format!("id__in={}", ids(1000))).is_ok());
        for query in [
            format!("id__in={}", ids(1001)),
            format!("id__in={}&id__in={}", ids(500), ids(501)),
        ] {
            let err = parse(query).err().expect("too many values");
            assert!(err.body.error.message.starts_with("id__in: "), "{err:?}");
            assert!(err.body.error.message.contains("1000"), "{err:?}");
        }
    }

    #[test]
    fn every_corpus_query_string_parses_or_is_a_400_on_every_list() {
        for (name, bytes) in crate::api::extract::corpus_seeds("query") {
            let query = String::from_utf8_lossy(&bytes);
            for table in ALL_TABLES {
                match ListRequest::parse(table, "/api/v1/x/", Some(&query), vec![]) {
                    Ok(request) => {
                        let full_page = request.query.limit as usize;
                        let meta = request.meta(
                            Count {
                                total: i64::MAX,
                                capped: true,
                            },
                            full_page,
                        );
                        assert!(meta.limit >= 1 && meta.limit <= MAX_LIMIT, "{name}");
                    }
                    Err(err) => {
                        assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST, "{name}")
                    }
                }
            }
        }
    }

    proptest! {
        // A query string that is UTF-8 once decoded reads as the lossy
        // decoder of `form_urlencoded` reads it.
        #[test]
        fn valid_query_strings_read_as_form_urlencoded_reads_them(query in "[a-z%0-9A-F=&+é]{0,30}") {
            let lossy: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            match query_pairs(Some(&query)) {
                Ok(pairs) => prop_assert_eq!(pairs, lossy),
                Err(_) => {
                    let replaced = lossy.iter().any(|(n, v)| n.contains(char::REPLACEMENT_CHARACTER) || v.contains(char::REPLACEMENT_CHARACTER));
                    prop_assert!(replaced, "{:?}", query);
                }
            }
        }

        // Whatever the query string, parsing answers Ok or a 400, never panics,
        // and a page's links never overflow.
        #[test]
        fn any_query_string_parses_or_is_refused(
            table in 0..ALL_TABLES.len(),
            params in prop::collection::vec(parameter(), 0..6),
            noise in ".{0,20}",
            total in any::<i64>(),
        ) {
            let mut query = params.join("&");
            query.push('&');
            query.push_str(&noise);
            match ListRequest::parse(ALL_TABLES[table], "/api/v1/x/", Some(&query), vec![]) {
                Ok(request) => {
                    let full_page = request.query.limit as usize;
                    let meta = request.meta(Count { total: total.max(0), capped: false }, full_page);
                    prop_assert!(meta.limit >= 1 && meta.limit <= MAX_LIMIT);
                }
                Err(err) => prop_assert_eq!(err.status, axum::http::StatusCode::BAD_REQUEST),
            }
        }
    }
}
