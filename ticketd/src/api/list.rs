//! List requests: paging, ordering and filters parsed from the query string
//! against the resource's catalogue, and the tastypie envelope with its
//! `next`/`previous` links.

use chrono::DateTime;
use shared::flex::parse_bool;
use shared::models::{ListMeta, ListResponse};
use shared::{Ref, Status, Step};
use url::form_urlencoded;

use super::error::ApiError;
use crate::server::AppState;
use crate::store::{
    AnyRow, Condition, Count, Field, FieldKind, ListQuery, Lookup, OrderBy, SqlValue, Table,
};

/// The default page size.
const DEFAULT_LIMIT: i64 = 20;
/// The largest page size; `limit=0` means this too.
const MAX_LIMIT: i64 = 1000;

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
            let values = raw
                .split(',')
                .filter(|part| !part.trim().is_empty())
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

fn non_negative(name: &str, raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            ApiError::invalid_filter(format!("{name}: `{raw}` is not a whole number ≥ 0"))
        })
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
        for (name, value) in form_urlencoded::parse(raw_query.unwrap_or("").as_bytes()) {
            match name.as_ref() {
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
                        None => (false, value.as_ref()),
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
                param => conditions.push(filter(table, param, &value)?),
            }
            kept.push((name.into_owned(), value.into_owned()));
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
        let mut tx = state.store.read().await?;
        let (rows, total) = tx
            .list::<R>(&self.query, state.limits.max_page_bytes)
            .await?;
        Ok(ListResponse {
            meta: self.meta(total, rows.len()),
            objects: rows.iter().map(to_model).collect(),
        })
    }
}

/// Middleware: only lists (and the import's `prune`) take query parameters;
/// anywhere else any parameter but `format=json` is a 400, never ignored.
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
    if !is_list && route != "/api/v1/packagelist" {
        let query = request.uri().query().unwrap_or("");
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if name != "format" || value != "json" {
                return ApiError::invalid_filter(format!(
                    "{name}: this request takes no query parameters (only lists do)"
                ))
                .into_response();
            }
        }
    }
    next.run(request).await
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
