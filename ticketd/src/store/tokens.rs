//! API tokens, stored only as SHA-256 hashes.

use super::sqlite::from_sqlite;
use shared::Role;

use super::StoreError;
use super::list_query::params;
use super::transaction::Tx;

/// A token as stored (never the secret itself).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TokenRecord {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created: i64,
    pub revoked: Option<i64>,
    /// The owner address a developer token is bound to; `None` if unbound.
    pub owner: Option<String>,
}
from_sqlite!(TokenRecord {
    id,
    name,
    role,
    created,
    revoked,
    owner
});

/// The columns of [`TokenRecord`], in every statement that reads one.
const COLUMNS: &str = "id, name, role, created, revoked, owner";

impl Tx {
    /// A new token, bound to `owner` if given; [`StoreError::Conflict`]
    /// if the name was ever used.
    pub async fn insert_token(
        &mut self,
        name: &str,
        role: Role,
        owner: Option<&str>,
        hash: &str,
        now: i64,
    ) -> Result<TokenRecord, StoreError> {
        let sql = format!(
            "INSERT INTO api_token (name, role, owner, token_hash, created) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
        );
        self.fetch_one(&sql, &params![name, role.as_str(), owner, hash, now])
            .await
    }

    /// The live (not revoked) token with this hash.
    pub async fn token_by_hash(&mut self, hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM api_token WHERE token_hash = $1 AND revoked IS NULL");
        self.fetch_optional(&sql, &params![hash]).await
    }

    pub async fn tokens(&mut self) -> Result<Vec<TokenRecord>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM api_token ORDER BY id");
        self.fetch_all(&sql, &[]).await
    }

    /// Revoke by name; false if there is no live token of that name.
    pub async fn revoke_token(&mut self, name: &str, now: i64) -> Result<bool, StoreError> {
        let n = self
            .execute(
                "UPDATE api_token SET revoked = $1 WHERE name = $2 AND revoked IS NULL",
                &params![now, name],
            )
            .await?;
        Ok(n > 0)
    }
}
