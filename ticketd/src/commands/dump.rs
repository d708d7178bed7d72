//! The export format of `ticketd export` and `ticketd import`
//! (docs/operations.md, "Export and import"): JSON Lines, a header line,
//! one record per row (`{"table":"ticket","row":{…}}`, the columns in the
//! table's order), and an end line that counts the records, so that a
//! truncated export is refused rather than half imported.

use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use crate::store::{Carried, CarriedKind, SqlValue};

/// What `--blobs` did, blob by blob: copied, found already there, or
/// (export only) referenced but missing from the blob store.
#[derive(Debug, Default)]
pub struct BlobCopies {
    pub copied: u64,
    pub present: u64,
    pub missing: u64,
}

/// The header's `format`, and the end line's `end`.
pub const FORMAT: &str = "ticketd-export";
/// The version of this layout (not of the schema, which the header names
/// too).
pub const FORMAT_VERSION: u32 = 1;

/// The first line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub format_version: u32,
    /// The newest migration applied to the exported database.
    pub schema_version: i64,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// RFC 3339, UTC.
    pub exported_at: String,
}

/// A line after the header: a record, or the end line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub table: Option<String>,
    pub row: Option<serde_json::Map<String, serde_json::Value>>,
    pub end: Option<String>,
    pub records: Option<u64>,
}

/// Write one line: a record of `table` with these values (in its column order).
pub fn write_record(out: &mut impl Write, table: &Carried, values: &[SqlValue]) -> io::Result<()> {
    write!(out, "{{\"table\":\"{}\",\"row\":{{", table.name)?;
    for (i, (column, value)) in table.columns.iter().zip(values).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write!(out, "\"{}\":", column.name)?;
        match value {
            SqlValue::Int(Some(n)) => write!(out, "{n}")?,
            SqlValue::Text(Some(text)) => serde_json::to_writer(&mut *out, text)?,
            SqlValue::Bool(b) => write!(out, "{b}")?,
            SqlValue::Int(None) | SqlValue::Text(None) => out.write_all(b"null")?,
        }
    }
    out.write_all(b"}}\n")
}

/// Write the end line.
pub fn write_end(out: &mut impl Write, records: u64) -> io::Result<()> {
    writeln!(out, "{{\"end\":\"{FORMAT}\",\"records\":{records}}}")
}

/// The values of a record's row in `table`'s column order, or what is
/// wrong with it. A nullable column left out is NULL (an export of an
/// older schema lacks the columns added since).
pub fn row_values(
    table: &Carried,
    mut row: serde_json::Map<String, serde_json::Value>,
    into: &mut Vec<SqlValue>,
) -> Result<(), String> {
    use serde_json::Value;
    for column in table.columns {
        let value = row.remove(column.name);
        let kind = column.kind;
        into.push(match (kind, value) {
            (CarriedKind::Int | CarriedKind::OptInt, Some(Value::Number(n))) if n.is_i64() => {
                SqlValue::Int(n.as_i64())
            }
            (CarriedKind::OptInt, None | Some(Value::Null)) => SqlValue::Int(None),
            (CarriedKind::Text | CarriedKind::OptText, Some(Value::String(s))) => {
                SqlValue::Text(Some(s))
            }
            (CarriedKind::OptText, None | Some(Value::Null)) => SqlValue::Text(None),
            (CarriedKind::Bool, Some(Value::Bool(b))) => SqlValue::Bool(b),
            (_, None) => {
                return Err(format!(
                    "{}: column `{}` is missing ({} is required)",
                    table.name,
                    column.name,
                    kind.expected()
                ));
            }
            (_, Some(other)) => {
                return Err(format!(
                    "{}: column `{}` is {other}, expected {}",
                    table.name,
                    column.name,
                    kind.expected()
                ));
            }
        });
    }
    if let Some(unknown) = row.keys().next() {
        let known: Vec<_> = table.columns.iter().map(|c| c.name).collect();
        return Err(format!(
            "{}: unknown column `{unknown}` (the columns are {})",
            table.name,
            known.join(", ")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::carried;

    #[test]
    fn a_record_reads_back_as_the_values_written() {
        let table = carried("person").expect("person is carried");
        let values = vec![
            SqlValue::Int(Some(7)),
            SqlValue::Text(Some("Zoë \"Z\" Ng\n".into())),
            SqlValue::Text(Some("z@example.com".into())),
            SqlValue::Bool(true),
            SqlValue::Int(Some(1_700_000_000_000_000)),
        ];
        let mut out = Vec::new();
        write_record(&mut out, table, &values).expect("write");
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(
            text.ends_with("}}\n") && text.lines().count() == 1,
            "{text}"
        );
        let line: Line = serde_json::from_str(&text).expect("a JSON line");
        assert_eq!(line.table.as_deref(), Some("person"));
        let mut read = Vec::new();
        row_values(table, line.row.expect("a row"), &mut read).expect("valid");
        assert_eq!(read, values);
    }

    #[test]
    fn a_bad_row_names_the_column_and_what_it_takes() {
        let table = carried("person").expect("person is carried");
        let row = |json: &str| serde_json::from_str(json).expect("an object");
        let mut into = Vec::new();
        let err = row_values(
            table,
            row(r#"{"id":"7","name":"a","email":"b","is_team":false,"created":1}"#),
            &mut into,
        )
        .expect_err("a string id");
        assert!(err.contains("`id`") && err.contains("an integer"), "{err}");
        let err = row_values(
            table,
            row(r#"{"id":7,"name":"a","is_team":false,"created":1}"#),
            &mut Vec::new(),
        )
        .expect_err("no email");
        assert!(err.contains("`email` is missing"), "{err}");
        let err = row_values(
            table,
            row(r#"{"id":7,"name":"a","email":"b","is_team":false,"created":1,"x":1}"#),
            &mut Vec::new(),
        )
        .expect_err("an unknown column");
        assert!(err.contains("unknown column `x`"), "{err}");
    }
}
