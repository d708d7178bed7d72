//! Artifacts of tickets and of subtickets.

use shared::ArtifactType;

use super::list_query::params;
use super::transaction::{AnyRow, HasId, Tx, only};
use super::{SqlValue, StoreError, SubticketArtifactRow, TicketArtifactRow};

/// The columns of a new artifact; `owner_id` is the ticket or subticket.
#[derive(Debug, Clone)]
pub struct ArtifactInsert {
    pub owner_id: i64,
    pub name: String,
    pub reference: String,
    pub kind: ArtifactType,
}

/// The row of a ticket's or a subticket's artifact: the same columns in
/// two tables, each keyed by its owner.
pub trait ArtifactRow: AnyRow + HasId {
    const TABLE: &'static str;
    /// The owner's id column (`ticket_id`, `subticket_id`).
    const OWNER_COLUMN: &'static str;
}

impl ArtifactRow for TicketArtifactRow {
    const TABLE: &'static str = "ticketartifact";
    const OWNER_COLUMN: &'static str = "ticket_id";
}

impl ArtifactRow for SubticketArtifactRow {
    const TABLE: &'static str = "subticketartifact";
    const OWNER_COLUMN: &'static str = "subticket_id";
}

impl Tx {
    pub async fn insert_artifact<R: ArtifactRow>(
        &mut self,
        a: &ArtifactInsert,
        now: i64,
    ) -> Result<R, StoreError> {
        only(self.insert_artifacts(std::slice::from_ref(a), now).await?)
    }

    /// Insert many artifacts of tickets or of subticket (`R`), in one round trip.
    pub async fn insert_artifacts<R: ArtifactRow>(
        &mut self,
        artifacts: &[ArtifactInsert],
        now: i64,
    ) -> Result<Vec<R>, StoreError> {
        let target = format!(
            "{} ({}, name, reference, type, created)",
            R::TABLE,
            R::OWNER_COLUMN
        );
        self.insert_many(&target, 5, &artifact_values(artifacts, now))
            .await
    }

    /// The artifacts (`R`) of these tickets or subtickets.
    pub async fn artifacts_of<R: ArtifactRow>(
        &mut self,
        owner_ids: &[i64],
    ) -> Result<Vec<R>, StoreError> {
        self.rows_where_in(R::TABLE, R::OWNER_COLUMN, owner_ids)
            .await
    }
}

fn artifact_values(artifacts: &[ArtifactInsert], now: i64) -> Vec<SqlValue> {
    artifacts
        .iter()
        .flat_map(|a| {
            params![
                a.owner_id,
                a.name.as_str(),
                a.reference.as_str(),
                a.kind.as_str(),
                now
            ]
        })
        .collect()
}
