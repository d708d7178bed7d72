//! API tokens: made from 32 random bytes, shown once, stored as SHA-256.
//! A fast hash is enough: the secret has 256 bits of entropy, so there is
//! nothing for a slow password hash to protect against.

use sha2::{Digest, Sha256};
use shared::{Role, validate};

use super::{Caller, DomainError};
use crate::store::{Store, StoreError, TokenRecord, now_micros};

/// Prefix that makes a ticketd token recognisable (e.g. to secret scanners).
const PREFIX: &str = "tkd_";

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn generate() -> Result<String, DomainError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| DomainError::Internal(format!("no randomness: {e}").into()))?;
    Ok(format!("{PREFIX}{}", hex::encode(bytes)))
}

/// Create a token, a developer token bound to `owner` if given (see
/// [`Caller::may_act_for`]); the secret is returned once and never stored.
pub async fn create(
    store: &Store,
    name: &str,
    role: Role,
    owner: Option<&str>,
) -> Result<(TokenRecord, String), DomainError> {
    let name = name.trim();
    if name.is_empty() || name.len() > 255 || name.chars().any(char::is_control) {
        return Err(DomainError::field(
            "name",
            "must be 1–255 printable characters",
        ));
    }
    if role == Role::Anonymous {
        return Err(DomainError::field(
            "role",
            "must be developer, lander or admin",
        ));
    }
    if let Some(owner) = owner {
        validate::email(owner).map_err(|problem| DomainError::field("email", problem))?;
        if role != Role::Developer {
            // Landers and admins move and fix everyone's tickets: binding
            // one to an owner would make a token that cannot do its job.
            return Err(DomainError::field(
                "email",
                format!(
                    "only a developer token may be bound to an owner; a {role} token acts on every ticket, so leave --email out or use --role developer"
                ),
            ));
        }
    }
    let secret = generate()?;
    let mut tx = store.write().await?;
    let record = match tx
        .insert_token(name, role, owner, &hash(&secret), now_micros())
        .await
    {
        Err(StoreError::Conflict(_)) => {
            return Err(DomainError::Duplicate {
                message: format!("name: a token named `{name}` exists (or existed) already"),
                existing: name.to_string(),
            });
        }
        other => other?,
    };
    tx.commit().await?;
    Ok((record, secret))
}

pub async fn list(store: &Store) -> Result<Vec<TokenRecord>, DomainError> {
    Ok(store.read().await?.tokens().await?)
}

/// Revoke a token by name: it stops working at once.
pub async fn revoke(store: &Store, name: &str) -> Result<(), DomainError> {
    let mut tx = store.write().await?;
    if !tx.revoke_token(name, now_micros()).await? {
        return Err(DomainError::NotFound(format!(
            "there is no live token named `{name}`"
        )));
    }
    tx.commit().await?;
    Ok(())
}

/// The caller a bearer token stands for; `None` if it is unknown or revoked.
pub async fn authenticate(store: &Store, token: &str) -> Result<Option<Caller>, StoreError> {
    let record = store.token_by_hash(&hash(token)).await?;
    Ok(record.map(|r| Caller {
        name: Some(r.name),
        role: r.role,
        owner: r.owner,
    }))
}
