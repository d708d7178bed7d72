//! Idempotency keys of bundle submissions.

use super::StoreError;
use super::list_query::params;
use super::sqlite::from_sqlite;
use super::transaction::Tx;

/// The first answer to a key.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdempotentResult {
    pub request_hash: String,
    pub response: String,
}
from_sqlite!(IdempotentResult {
    request_hash,
    response
});

impl Tx {
    pub async fn idempotent_result(
        &mut self,
        scoped_key: &str,
    ) -> Result<Option<IdempotentResult>, StoreError> {
        self.fetch_optional(
            "SELECT request_hash, response FROM idempotency_key WHERE scoped_key = $1",
            &params![scoped_key],
        )
        .await
    }

    /// Remember the answer to a key; [`StoreError::Conflict`] when a
    /// concurrent request with the same key committed first.
    pub async fn insert_idempotent_result(
        &mut self,
        scoped_key: &str,
        request_hash: &str,
        ticket_id: i64,
        response: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO idempotency_key (scoped_key, request_hash, ticket_id, response, created) VALUES ($1, $2, $3, $4, $5)",
            &params![scoped_key, request_hash, ticket_id, response, now],
        )
        .await?;
        Ok(())
    }

    /// Forget keys created before `before`.
    pub async fn purge_idempotency_keys(&mut self, before: i64) -> Result<u64, StoreError> {
        self.execute(
            "DELETE FROM idempotency_key WHERE created < $1",
            &params![before],
        )
        .await
    }
}
