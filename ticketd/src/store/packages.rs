//! The project manager's tables: source packages, their uploads, binaries.

use super::list_query::params;
use super::sqlite::from_sqlite;
use super::tickets::ids;
use super::transaction::{Tx, only, placeholders, values_rows};
use super::{SourcePackageRow, StoreError, UploadRow, UploadWithSourceRow};

impl Tx {
    /// A new source package; [`StoreError::Conflict`] if the name exists.
    pub async fn insert_source_package(
        &mut self,
        name: &str,
        now: i64,
    ) -> Result<SourcePackageRow, StoreError> {
        self.fetch_one(
            "INSERT INTO sourcepackage (name, created) VALUES ($1, $2) RETURNING *",
            &params![name, now],
        )
        .await
    }

    pub async fn source_package_by_name(
        &mut self,
        name: &str,
    ) -> Result<Option<SourcePackageRow>, StoreError> {
        self.fetch_optional(
            "SELECT * FROM sourcepackage WHERE name = $1",
            &params![name],
        )
        .await
    }

    pub async fn insert_upload(
        &mut self,
        sourcepackage_id: i64,
        version: &str,
        now: i64,
    ) -> Result<UploadRow, StoreError> {
        let rows = self
            .insert_uploads(&[(sourcepackage_id, version)], now)
            .await?;
        only(rows)
    }

    /// Insert uploads, one per `(source package id, version)`, in one round
    /// trip; the rows in that order.
    pub async fn insert_uploads(
        &mut self,
        uploads: &[(i64, &str)],
        now: i64,
    ) -> Result<Vec<UploadRow>, StoreError> {
        let values: Vec<_> = uploads
            .iter()
            .flat_map(|(source_id, version)| params![*source_id, *version, now])
            .collect();
        self.insert_many("spu (sourcepackage_id, version, created)", 3, &values)
            .await
    }

    /// Uploads with their source package names, by id.
    pub async fn uploads_with_source(
        &mut self,
        upload_ids: &[i64],
    ) -> Result<Vec<UploadWithSourceRow>, StoreError> {
        if upload_ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!(
            "SELECT spu.id, spu.sourcepackage_id, spu.version, spu.created, sourcepackage.name AS sourcepackage_name \
             FROM spu JOIN sourcepackage ON sourcepackage.id = spu.sourcepackage_id \
             WHERE spu.id IN ({}) ORDER BY spu.id",
            placeholders(1, upload_ids.len())
        );
        self.fetch_all(&sql, &ids(upload_ids)).await
    }
}

/// A binary package as the import compares it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BinaryState {
    pub id: i64,
    pub name: String,
    pub sourcepackage_id: i64,
    pub version: String,
    pub seeded: bool,
}
from_sqlite!(BinaryState {
    id,
    name,
    sourcepackage_id,
    version,
    seeded
});

/// A binary package to create or update.
#[derive(Debug, Clone)]
pub struct BinaryUpsert {
    pub name: String,
    pub sourcepackage_id: i64,
    pub version: String,
    pub seeded: bool,
}

#[derive(Debug, sqlx::FromRow)]
struct NameId {
    id: i64,
    name: String,
}
from_sqlite!(NameId { id, name });

/// Rows per multi-row statement: well under both backends' parameter limits.
const BATCH: usize = 500;

impl Tx {
    /// Every binary package, for the import's comparison.
    pub async fn binary_states(&mut self) -> Result<Vec<BinaryState>, StoreError> {
        self.fetch_all(
            "SELECT id, name, sourcepackage_id, version, seeded FROM binarypackage",
            &[],
        )
        .await
    }

    /// Every source package's id by name.
    pub async fn source_package_ids(
        &mut self,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let rows: Vec<NameId> = self
            .fetch_all("SELECT id, name FROM sourcepackage", &[])
            .await?;
        Ok(rows.into_iter().map(|r| (r.name, r.id)).collect())
    }

    /// Create source packages by name (existing ones are left alone); their ids.
    pub async fn ensure_source_packages(
        &mut self,
        names: &[&str],
        now: i64,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let mut ids = std::collections::HashMap::new();
        for chunk in names.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO sourcepackage (name, created) VALUES {} ON CONFLICT (name) DO NOTHING",
                values_rows(chunk.len(), 2)
            );
            let values: Vec<_> = chunk.iter().flat_map(|n| params![*n, now]).collect();
            self.execute(&sql, &values).await?;
            let select = format!(
                "SELECT id, name FROM sourcepackage WHERE name IN ({})",
                placeholders(1, chunk.len())
            );
            let names: Vec<_> = chunk.iter().map(|n| super::SqlValue::from(*n)).collect();
            let found: Vec<NameId> = self.fetch_all(&select, &names).await?;
            ids.extend(found.into_iter().map(|r| (r.name, r.id)));
        }
        Ok(ids)
    }

    /// Create or update binaries by name, many rows per statement.
    pub async fn upsert_binaries(
        &mut self,
        rows: &[BinaryUpsert],
        now: i64,
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO binarypackage (name, sourcepackage_id, version, seeded, created) VALUES {} \
                 ON CONFLICT (name) DO UPDATE SET sourcepackage_id = excluded.sourcepackage_id, \
                 version = excluded.version, seeded = excluded.seeded",
                values_rows(chunk.len(), 5)
            );
            let values: Vec<_> = chunk
                .iter()
                .flat_map(|r| {
                    params![
                        r.name.as_str(),
                        r.sourcepackage_id,
                        r.version.as_str(),
                        r.seeded,
                        now
                    ]
                })
                .collect();
            self.execute(&sql, &values).await?;
        }
        Ok(())
    }

    /// Delete binaries by id.
    pub async fn delete_binaries(&mut self, binary_ids: &[i64]) -> Result<(), StoreError> {
        for chunk in binary_ids.chunks(BATCH) {
            let sql = format!(
                "DELETE FROM binarypackage WHERE id IN ({})",
                placeholders(1, chunk.len())
            );
            self.execute(&sql, &ids(chunk)).await?;
        }
        Ok(())
    }
}
