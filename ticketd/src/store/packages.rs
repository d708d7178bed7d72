//! The project manager's tables: source packages, their uploads, binaries.

use super::listing::params;
use super::tickets::{ids, placeholders};
use super::tx::Tx;
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
        self.fetch_one(
            "INSERT INTO spu (sourcepackage_id, version, created) VALUES ($1, $2, $3) RETURNING *",
            &params![sourcepackage_id, version, now],
        )
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
