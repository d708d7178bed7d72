//! A list request as data ([`ListQuery`]) and its translation into SQL:
//! filters, order and page. Values are always bound, never spliced.

use super::resources::{FieldKind, Table};
use super::transaction::{AnyRow, Planning, Tx};
use super::{Dialect, StoreError};

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(bool),
}

impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(Some(v))
    }
}
impl From<Option<i64>> for SqlValue {
    fn from(v: Option<i64>) -> Self {
        SqlValue::Int(v)
    }
}
impl From<String> for SqlValue {
    fn from(v: String) -> Self {
        SqlValue::Text(Some(v))
    }
}
impl From<&str> for SqlValue {
    fn from(v: &str) -> Self {
        SqlValue::Text(Some(v.to_string()))
    }
}
impl From<Option<String>> for SqlValue {
    fn from(v: Option<String>) -> Self {
        SqlValue::Text(v)
    }
}
impl From<Option<&str>> for SqlValue {
    fn from(v: Option<&str>) -> Self {
        SqlValue::Text(v.map(str::to_string))
    }
}
impl From<bool> for SqlValue {
    fn from(v: bool) -> Self {
        SqlValue::Bool(v)
    }
}

/// Build a `Vec<SqlValue>` from values of mixed types.
macro_rules! params {
    ($($value:expr),* $(,)?) => { [$($crate::store::SqlValue::from($value)),*] };
}
pub(crate) use params;

/// A filter lookup of the list endpoints (`docs/api.md`, Lookups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Exact,
    IExact,
    StartsWith,
    IStartsWith,
    Contains,
    IContains,
    In,
    Gt,
    Gte,
    Lt,
    Lte,
    IsNull,
}

impl Lookup {
    /// The lookup with this query-string name.
    pub fn parse(name: &str) -> Option<Lookup> {
        Some(match name {
            "exact" => Lookup::Exact,
            "iexact" => Lookup::IExact,
            "startswith" => Lookup::StartsWith,
            "istartswith" => Lookup::IStartsWith,
            "contains" => Lookup::Contains,
            "icontains" => Lookup::IContains,
            "in" => Lookup::In,
            "gt" => Lookup::Gt,
            "gte" => Lookup::Gte,
            "lt" => Lookup::Lt,
            "lte" => Lookup::Lte,
            "isnull" => Lookup::IsNull,
            _ => return None,
        })
    }
}

/// One condition of a list's `WHERE`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `column <lookup> value(s)`; `In` takes any number of values, the
    /// others one. Text patterns are escaped here, not by the caller.
    Compare {
        column: &'static str,
        lookup: Lookup,
        values: Vec<SqlValue>,
    },
    /// `column IS [NOT] NULL`.
    IsNull { column: &'static str, null: bool },
    /// `fk_column IN (SELECT id FROM table WHERE inner)`: one relation step.
    Related {
        fk_column: &'static str,
        table: &'static str,
        inner: Box<Condition>,
    },
    /// Open tickets: step neither Failed nor Complete.
    Open,
}

/// The order of a list; ties break on `id` in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderBy {
    pub column: &'static str,
    pub descending: bool,
}

/// PostgreSQL's byte-order collation, which sorts UTF-8 text by code
/// point as SQLite does and lets a `LIKE` prefix use an index.
const BYTE_ORDER: &str = " COLLATE \"C\"";

/// How many matching rows a filtered list counts at least, before it
/// stops: counting every match of a broad filter over a million rows would
/// make a page cost the size of the table. Past it, the total is a lower
/// bound (and says so).
pub const COUNT_CAP: i64 = 1_000;

/// How many rows match a list's filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub total: i64,
    /// Counting stopped at the cap: at least `total` rows match.
    pub capped: bool,
}

/// One page of a filtered, ordered list.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub table: &'static Table,
    pub conditions: Vec<Condition>,
    pub order: OrderBy,
    pub limit: i64,
    pub offset: i64,
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape_glob(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '*' => out.push_str("[*]"),
            '?' => out.push_str("[?]"),
            '[' => out.push_str("[[]"),
            c => out.push(c),
        }
    }
    out
}

/// Accumulates SQL text and its bound values, numbering placeholders.
struct SqlBuilder {
    dialect: Dialect,
    sql: String,
    values: Vec<SqlValue>,
}

impl SqlBuilder {
    fn placeholder(&mut self, value: SqlValue) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    fn text_value(values: &[SqlValue]) -> String {
        match values.first() {
            Some(SqlValue::Text(Some(t))) => t.clone(),
            _ => String::new(),
        }
    }

    fn condition(&mut self, condition: &Condition) {
        match condition {
            Condition::IsNull { column, null } => {
                let not = if *null { "" } else { "NOT " };
                self.sql.push_str(&format!("{column} IS {not}NULL"));
            }
            Condition::Open => self
                .sql
                .push_str("current_workflow_step NOT IN (999, 1000)"),
            Condition::Related {
                fk_column,
                table,
                inner,
            } => {
                self.sql
                    .push_str(&format!("{fk_column} IN (SELECT id FROM {table} WHERE "));
                self.condition(inner);
                self.sql.push(')');
            }
            Condition::Compare {
                column,
                lookup,
                values,
            } => self.compare(column, *lookup, values),
        }
    }

    fn compare(&mut self, column: &str, lookup: Lookup, values: &[SqlValue]) {
        let first = || values.first().cloned().unwrap_or(SqlValue::Int(None));
        let text = Self::text_value(values);
        let (case_sensitive_match, insensitive_match) = match self.dialect {
            Dialect::Sqlite => ("GLOB", "LIKE"),
            Dialect::Postgres => ("LIKE", "ILIKE"),
        };
        let pattern = |prefix_only: bool, sensitive: bool, dialect: Dialect| {
            let any = if sensitive && dialect == Dialect::Sqlite {
                "*"
            } else {
                "%"
            };
            let body = if sensitive && dialect == Dialect::Sqlite {
                escape_glob(&text)
            } else {
                escape_like(&text)
            };
            if prefix_only {
                format!("{body}{any}")
            } else {
                format!("{any}{body}{any}")
            }
        };
        let escape = |sensitive: bool, dialect: Dialect| {
            if sensitive && dialect == Dialect::Sqlite {
                ""
            } else {
                " ESCAPE '\\'"
            }
        };
        let sql = match lookup {
            Lookup::Exact => format!("{column} = {}", self.placeholder(first())),
            Lookup::IExact => format!("lower({column}) = lower({})", self.placeholder(first())),
            Lookup::Gt => format!("{column} > {}", self.placeholder(first())),
            Lookup::Gte => format!("{column} >= {}", self.placeholder(first())),
            Lookup::Lt => format!("{column} < {}", self.placeholder(first())),
            Lookup::Lte => format!("{column} <= {}", self.placeholder(first())),
            Lookup::In if values.is_empty() => "1 = 0".to_string(),
            Lookup::In => {
                let marks: Vec<String> =
                    values.iter().map(|v| self.placeholder(v.clone())).collect();
                format!("{column} IN ({})", marks.join(", "))
            }
            Lookup::StartsWith | Lookup::Contains => {
                let p = pattern(lookup == Lookup::StartsWith, true, self.dialect);
                let esc = escape(true, self.dialect);
                // In the "C" collation PostgreSQL turns a prefix into an
                // index range (migration 0006); SQLite's GLOB does already.
                let collate = match (lookup, self.dialect) {
                    (Lookup::StartsWith, Dialect::Postgres) => BYTE_ORDER,
                    _ => "",
                };
                format!(
                    "{column}{collate} {case_sensitive_match} {}{esc}",
                    self.placeholder(p.into())
                )
            }
            Lookup::IStartsWith | Lookup::IContains => {
                let p = pattern(lookup == Lookup::IStartsWith, false, self.dialect);
                let esc = escape(false, self.dialect);
                format!(
                    "{column} {insensitive_match} {}{esc}",
                    self.placeholder(p.into())
                )
            }
            Lookup::IsNull => {
                let null = matches!(values.first(), Some(SqlValue::Bool(true)));
                format!("{column} IS {}NULL", if null { "" } else { "NOT " })
            }
        };
        self.sql.push_str(&sql);
    }

    fn where_clause(&mut self, conditions: &[Condition]) {
        for (i, condition) in conditions.iter().enumerate() {
            self.sql.push_str(if i == 0 { " WHERE " } else { " AND " });
            self.condition(condition);
        }
    }
}

impl ListQuery {
    /// A page with no filter but on ids (a page at an offset, a poller's
    /// `id__gt=`) has one best plan for any values: an index in the
    /// list's order. Any other filter is planned for its values.
    fn page_planning(&self) -> Planning {
        let on_ids_only = self.conditions.iter().all(|c| {
            matches!(c, Condition::Compare { column: "id", lookup, .. }
                if matches!(lookup, Lookup::Exact | Lookup::Gt | Lookup::Gte | Lookup::Lt | Lookup::Lte))
        });
        if on_ids_only {
            Planning::Cached
        } else {
            Planning::PerRequest
        }
    }

    /// Where counting the matches of this query's filters stops.
    pub fn count_cap(&self) -> i64 {
        COUNT_CAP.max(self.offset.saturating_add(self.limit).saturating_add(1))
    }

    /// The page's `SELECT` and the total count's `SELECT count(*)`, with
    /// their values.
    pub(super) fn to_sql(
        &self,
        dialect: Dialect,
    ) -> ((String, Vec<SqlValue>), (String, Vec<SqlValue>)) {
        let mut count = SqlBuilder {
            dialect,
            sql: format!("SELECT count(*) FROM {}", self.table.sql),
            values: vec![],
        };
        if self.conditions.is_empty() {
            // Kept by triggers (migration 0004): one lookup, whatever the
            // size of the table.
            count.sql = "SELECT CAST(COALESCE(sum(n), 0) AS BIGINT) FROM row_count WHERE tbl = "
                .to_string();
            let table = count.placeholder(self.table.sql.into());
            count.sql.push_str(&table);
        } else {
            // Count at most up to the cap (or past this page, so that the
            // next link is always right).
            count.sql = format!("SELECT count(*) FROM (SELECT 1 FROM {}", self.table.sql);
            count.where_clause(&self.conditions);
            let cap = count.placeholder(self.count_cap().into());
            count.sql.push_str(&format!(" LIMIT {cap}) AS matches"));
        }

        let select = format!(
            "SELECT *, CAST({} AS BIGINT) AS row_weight FROM {}",
            self.table.weight, self.table.sql
        );
        // PostgreSQL fetches the row of every entry an OFFSET skips (to see
        // whether it is visible), so a page deep in a list reads thousands
        // of rows. Its ids alone come from the index (an index-only scan),
        // and only the page's rows are fetched. SQLite already defers the
        // row until a column is needed.
        let deferred = dialect == Dialect::Postgres && self.offset > 0;
        let mut page = SqlBuilder {
            dialect,
            sql: if deferred {
                format!("SELECT id FROM {}", self.table.sql)
            } else {
                select.clone()
            },
            values: vec![],
        };
        page.where_clause(&self.conditions);
        let direction = if self.order.descending { "DESC" } else { "ASC" };
        // Text sorts by code point on both backends: SQLite's BINARY
        // collation, and "C" on PostgreSQL, whose indexes (migration 0006)
        // then serve both the order and prefix filters.
        let text_order = dialect == Dialect::Postgres
            && self
                .table
                .fields
                .iter()
                .any(|f| f.column == self.order.column && matches!(f.kind, FieldKind::Text));
        let collate = if text_order { BYTE_ORDER } else { "" };
        let mut order = format!(" ORDER BY {}{collate} {direction}", self.order.column);
        if self.order.column != "id" {
            order.push_str(&format!(", id {direction}"));
        }
        page.sql.push_str(&order);
        let limit = page.placeholder(self.limit.into());
        let offset = page.placeholder(self.offset.into());
        page.sql
            .push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
        if deferred {
            page.sql = format!("{select} WHERE id IN ({}){order}", page.sql);
        }
        ((page.sql, page.values), (count.sql, count.values))
    }
}

/// What a row costs in a page beyond its variable text: ids, codes,
/// timestamps, URIs and the JSON around them.
const ROW_OVERHEAD_BYTES: i64 = 512;

impl Tx {
    /// One page of rows and the total number matching the filters. The
    /// page stops early, after at least one row, once its rows' text
    /// passes `max_bytes`: a page costs bounded memory whatever its rows
    /// hold. A page cut short has fewer rows than `query.limit`.
    pub async fn list<R: AnyRow>(
        &mut self,
        query: &ListQuery,
        max_bytes: usize,
    ) -> Result<(Vec<R>, Count), StoreError> {
        let (page, (count_sql, count_values)) = query.to_sql(self.dialect());
        let rows = self.fetch_page(query, page, max_bytes).await?;
        // An unfiltered count reads the table's counter rows.
        let count_planning = if query.conditions.is_empty() {
            Planning::Cached
        } else {
            Planning::PerRequest
        };
        let total = self
            .scalar(&count_sql, &count_values, count_planning)
            .await?;
        let capped = !query.conditions.is_empty() && total >= query.count_cap();
        Ok((rows, Count { total, capped }))
    }

    /// The page of [`Tx::list`] without its count, for a caller that knows
    /// the total already (the web page's lists, from the kept counts).
    pub async fn list_page<R: AnyRow>(
        &mut self,
        query: &ListQuery,
        max_bytes: usize,
    ) -> Result<Vec<R>, StoreError> {
        let (page, _) = query.to_sql(self.dialect());
        self.fetch_page(query, page, max_bytes).await
    }

    /// Run a page's statement within the byte budget.
    async fn fetch_page<R: AnyRow>(
        &mut self,
        query: &ListQuery,
        (page_sql, page_values): (String, Vec<SqlValue>),
        max_bytes: usize,
    ) -> Result<Vec<R>, StoreError> {
        let budget = i64::try_from(max_bytes).unwrap_or(i64::MAX);
        self.fetch_weighed(
            &page_sql,
            &page_values,
            budget,
            ROW_OVERHEAD_BYTES,
            query.page_planning(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::super::resources::TICKET;
    use super::*;

    fn query(conditions: Vec<Condition>) -> ListQuery {
        ListQuery {
            table: &TICKET,
            conditions,
            order: OrderBy {
                column: "title",
                descending: true,
            },
            limit: 20,
            offset: 40,
        }
    }

    #[test]
    fn filters_become_placeholders_never_text() {
        let q = query(vec![
            Condition::Compare {
                column: "owner",
                lookup: Lookup::IStartsWith,
                values: vec!["a%b".into()],
            },
            Condition::Compare {
                column: "status",
                lookup: Lookup::In,
                values: vec![0.into(), 100.into()],
            },
        ]);
        let ((sql, values), (count_sql, _)) = q.to_sql(Dialect::Postgres);
        // Past the first page, PostgreSQL finds the page's ids first.
        assert_eq!(
            sql,
            format!(
                "SELECT *, CAST({} AS BIGINT) AS row_weight FROM ticket WHERE id IN (\
                 SELECT id FROM ticket \
                 WHERE owner ILIKE $1 ESCAPE '\\' AND status IN ($2, $3) \
                 ORDER BY title COLLATE \"C\" DESC, id DESC LIMIT $4 OFFSET $5) \
                 ORDER BY title COLLATE \"C\" DESC, id DESC",
                TICKET.weight
            )
        );
        let first = ListQuery {
            offset: 0,
            ..q.clone()
        };
        let ((sql, _), _) = first.to_sql(Dialect::Postgres);
        assert_eq!(
            sql,
            format!(
                "SELECT *, CAST({} AS BIGINT) AS row_weight FROM ticket \
                 WHERE owner ILIKE $1 ESCAPE '\\' AND status IN ($2, $3) \
                 ORDER BY title COLLATE \"C\" DESC, id DESC LIMIT $4 OFFSET $5",
                TICKET.weight
            )
        );
        assert_eq!(values[0], SqlValue::from("a\\%b%"));
        assert_eq!(
            count_sql,
            "SELECT count(*) FROM (SELECT 1 FROM ticket WHERE owner ILIKE $1 ESCAPE '\\' AND status IN ($2, $3) LIMIT $4) AS matches"
        );
    }

    #[test]
    fn case_sensitive_prefixes_use_glob_on_sqlite() {
        let q = query(vec![Condition::Compare {
            column: "title",
            lookup: Lookup::StartsWith,
            values: vec!["a*".into()],
        }]);
        let ((sql, values), _) = q.to_sql(Dialect::Sqlite);
        assert!(sql.contains("title GLOB $1 ORDER BY"), "{sql}");
        assert_eq!(values[0], SqlValue::from("a[*]*"));
    }
}
