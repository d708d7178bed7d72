//! Artifacts of tickets and of subtickets.

use shared::ArtifactType;

use super::list_query::params;
use super::transaction::{Tx, only};
use super::{SqlValue, StoreError, SubticketArtifactRow, TicketArtifactRow};

/// The columns of a new artifact; `owner_id` is the ticket or subticket.
#[derive(Debug, Clone)]
pub struct ArtifactInsert {
    pub owner_id: i64,
    pub name: String,
    pub reference: String,
    pub kind: ArtifactType,
}

impl Tx {
    pub async fn insert_ticket_artifact(
        &mut self,
        a: &ArtifactInsert,
        now: i64,
    ) -> Result<TicketArtifactRow, StoreError> {
        let rows = self
            .insert_ticket_artifacts(std::slice::from_ref(a), now)
            .await?;
        only(rows)
    }

    pub async fn insert_subticket_artifact(
        &mut self,
        a: &ArtifactInsert,
        now: i64,
    ) -> Result<SubticketArtifactRow, StoreError> {
        let rows = self
            .insert_subticket_artifacts(std::slice::from_ref(a), now)
            .await?;
        only(rows)
    }

    /// Insert many artifacts of tickets, in one round trip.
    pub async fn insert_ticket_artifacts(
        &mut self,
        artifacts: &[ArtifactInsert],
        now: i64,
    ) -> Result<Vec<TicketArtifactRow>, StoreError> {
        let values = artifact_values(artifacts, now);
        self.insert_many(
            "ticketartifact (ticket_id, name, reference, type, created)",
            5,
            &values,
        )
        .await
    }

    /// Insert many artifacts of subtickets, in one round trip.
    pub async fn insert_subticket_artifacts(
        &mut self,
        artifacts: &[ArtifactInsert],
        now: i64,
    ) -> Result<Vec<SubticketArtifactRow>, StoreError> {
        let values = artifact_values(artifacts, now);
        self.insert_many(
            "subticketartifact (subticket_id, name, reference, type, created)",
            5,
            &values,
        )
        .await
    }

    pub async fn ticket_artifacts_of(
        &mut self,
        ticket_ids: &[i64],
    ) -> Result<Vec<TicketArtifactRow>, StoreError> {
        self.rows_where_in("ticketartifact", "ticket_id", ticket_ids)
            .await
    }

    pub async fn subticket_artifacts_of(
        &mut self,
        subticket_ids: &[i64],
    ) -> Result<Vec<SubticketArtifactRow>, StoreError> {
        self.rows_where_in("subticketartifact", "subticket_id", subticket_ids)
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
