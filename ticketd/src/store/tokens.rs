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
    /// When the token stops working; `None`: never.
    pub expires: Option<i64>,
    /// When it was last seen, to within [`crate::store::LAST_USE_INTERVAL`].
    pub last_used: Option<i64>,
    /// When `token rotate` last gave it a new secret.
    pub rotated: Option<i64>,
}
from_sqlite!(TokenRecord {
    id,
    name,
    role,
    created,
    revoked,
    owner,
    expires,
    last_used,
    rotated
});

/// The columns of [`TokenRecord`], in every statement that reads one.
const COLUMNS: &str = "id, name, role, created, revoked, owner, expires, last_used, rotated";

/// The new expiry of a rotated token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotatedExpiry {
    /// This time (microseconds), or never.
    At(Option<i64>),
    /// As long from now as the old secret was given from its issue: a
    /// 90-day token rotated is good for 90 days from the rotation.
    SameLifetime,
}

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
        expires: Option<i64>,
    ) -> Result<TokenRecord, StoreError> {
        let sql = format!(
            "INSERT INTO api_token (name, role, owner, token_hash, created, expires) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
        );
        self.fetch_one(
            &sql,
            &params![name, role.as_str(), owner, hash, now, expires],
        )
        .await
    }

    /// Give the live token `name` the secret of `hash` in one statement:
    /// the old secret stops working in the same commit. `None` if there is
    /// no live token of that name.
    pub async fn rotate_token(
        &mut self,
        name: &str,
        hash: &str,
        now: i64,
        expires: RotatedExpiry,
    ) -> Result<Option<TokenRecord>, StoreError> {
        let mut values = params![hash, name, now].to_vec();
        let expiry = match expires {
            RotatedExpiry::At(at) => {
                values.push(at.into());
                "$4"
            }
            RotatedExpiry::SameLifetime => {
                "CASE WHEN expires IS NULL THEN NULL \
                 ELSE $3 + (expires - COALESCE(rotated, created)) END"
            }
        };
        let sql = format!(
            "UPDATE api_token SET token_hash = $1, rotated = $3, last_used = NULL, \
             expires = {expiry} WHERE name = $2 AND revoked IS NULL RETURNING {COLUMNS}"
        );
        self.fetch_optional(&sql, &values).await
    }

    /// Note that token `id` was used at `now`, unless a use as recent was
    /// noted already (by another process, say).
    pub async fn note_token_use(&mut self, id: i64, now: i64) -> Result<(), StoreError> {
        self.execute(
            "UPDATE api_token SET last_used = $1 \
             WHERE id = $2 AND (last_used IS NULL OR last_used < $1)",
            &params![now, id],
        )
        .await?;
        Ok(())
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
