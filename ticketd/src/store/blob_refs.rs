//! Which stored blobs the database references, for `ticketd gc`: artifact
//! references, tickets' `references` and base images, read in pages.

use std::collections::HashSet;

use super::StoreError;
use super::list_query::params;
use super::sqlite::from_sqlite;
use super::transaction::Tx;

/// What a reference to a blob of this server looks like.
const BLOB_PATH: &str = "/api/v1/blob/";

/// The columns that may hold blob references, as `(table, column)`.
pub const REFERRING: [(&str, &str); 4] = [
    ("ticketartifact", "reference"),
    ("subticketartifact", "reference"),
    ("ticket", "refs"),
    ("ticket", "base_image"),
];

/// Rows read at a time: the scan holds one page in memory.
const PAGE: i64 = 1000;

#[derive(Debug, sqlx::FromRow)]
struct Referring {
    id: i64,
    text: Option<String>,
}
from_sqlite!(Referring { id, text });

/// Every digest `text` references as `/api/v1/blob/DIGEST` (a URL of this
/// server's or the path alone).
pub fn digests(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices(BLOB_PATH).filter_map(|(at, _)| {
        let digest = text.get(at + BLOB_PATH.len()..at + BLOB_PATH.len() + 64)?;
        crate::blobs::is_digest(digest).then_some(digest)
    })
}

impl Tx {
    /// Which of `candidates` some row references. Reads every row that
    /// names a blob, a page at a time in id order (each page by the primary
    /// key); run it in one read transaction for one consistent view.
    pub async fn referenced_blobs(
        &mut self,
        candidates: &HashSet<String>,
    ) -> Result<HashSet<String>, StoreError> {
        let mut found = HashSet::new();
        for (table, column) in REFERRING {
            let sql = format!(
                "SELECT id, {column} AS text FROM {table} \
                 WHERE id > $1 AND {column} LIKE '%{BLOB_PATH}%' ORDER BY id LIMIT {PAGE}"
            );
            let mut after = 0;
            loop {
                let rows: Vec<Referring> = self.fetch_all(&sql, &params![after]).await?;
                for row in &rows {
                    for digest in digests(row.text.as_deref().unwrap_or("")) {
                        if candidates.contains(digest) {
                            found.insert(digest.to_string());
                        }
                    }
                }
                match rows.last() {
                    Some(last) if rows.len() as i64 == PAGE => after = last.id,
                    _ => break,
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::digests;

    #[test]
    fn references_name_their_blobs_in_any_text() {
        let a = "a".repeat(64);
        let b = "b".repeat(64);
        let text = format!(
            "[\"https://host/api/v1/blob/{a}\", \"/api/v1/blob/{b}/\", \"/api/v1/blob/xyz\"]"
        );
        assert_eq!(digests(&text).collect::<Vec<_>>(), [a.as_str(), b.as_str()]);
        assert_eq!(digests("/api/v1/blob/").count(), 0);
    }
}
