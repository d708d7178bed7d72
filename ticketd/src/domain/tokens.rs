//! API tokens: made from 32 random bytes, shown once, stored as SHA-256.
//! A fast hash is enough: the secret has 256 bits of entropy, so there is
//! nothing for a slow password hash to protect against.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use shared::{Role, validate};

use super::{Caller, DomainError};
use crate::store::{
    LAST_USE_INTERVAL, RotatedExpiry, Store, StoreError, TokenRecord, now_micros, timestamp,
};

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

/// `--expires` must lie ahead: a token born expired is a mistake.
fn check_expiry(expires: Option<i64>, now: i64) -> Result<(), DomainError> {
    match expires {
        Some(at) if at <= now => Err(DomainError::field(
            "expires",
            format!(
                "{} is not in the future; give a duration (90d, 12h) or a later date",
                timestamp(at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        )),
        _ => Ok(()),
    }
}

/// Create a token, a developer token bound to `owner` if given (see
/// [`Caller::may_act_for`]), working until `expires` (microseconds) if
/// given; the secret is returned once and never stored.
pub async fn create(
    store: &Store,
    name: &str,
    role: Role,
    owner: Option<&str>,
    expires: Option<i64>,
) -> Result<(TokenRecord, String), DomainError> {
    let now = now_micros();
    check_expiry(expires, now)?;
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
        .insert_token(name, role, owner, &hash(&secret), now, expires)
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

/// Give the live token `name` a new secret, returned once: same name,
/// role and owner; the old secret stops working in the same commit.
pub async fn rotate(
    store: &Store,
    name: &str,
    expires: RotatedExpiry,
) -> Result<(TokenRecord, String), DomainError> {
    let now = now_micros();
    if let RotatedExpiry::At(at) = expires {
        check_expiry(at, now)?;
    }
    let secret = generate()?;
    let mut tx = store.write().await?;
    let Some(record) = tx.rotate_token(name, &hash(&secret), now, expires).await? else {
        return Err(DomainError::NotFound(format!(
            "there is no live token named `{name}` (see `ticketd token list`)"
        )));
    };
    tx.commit().await?;
    Ok((record, secret))
}

/// What a bearer token stands for.
#[derive(Debug)]
pub enum Authenticated {
    /// A live token's caller.
    Caller(Caller),
    /// The token `name` expired at `at` (microseconds).
    Expired { name: String, at: i64 },
    /// No such token, or a revoked (or rotated-away) one.
    Unknown,
}

/// Which tokens' uses this process wrote last, and when: with the time
/// stored in the row it keeps the writes of `last_used` to one a minute per
/// token ([`LAST_USE_INTERVAL`]), whatever the request rate.
#[derive(Debug, Default)]
pub struct TokenUses {
    written: Mutex<HashMap<i64, i64>>,
}

impl TokenUses {
    /// Whether a use of `record` at `now` is to be written: the row says no
    /// write in the last interval (a read the request makes anyway), and
    /// no request of this process has claimed the write since. Claims it.
    fn claim(&self, record: &TokenRecord, now: i64) -> bool {
        let interval = LAST_USE_INTERVAL.as_micros() as i64;
        if record.last_used.is_some_and(|at| now - at < interval) {
            return false;
        }
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        match written.get(&record.id) {
            Some(at) if now - at < interval => false,
            _ => {
                written.insert(record.id, now);
                true
            }
        }
    }
}

/// The caller a bearer token stands for. A live token's use is noted
/// (`token list`'s LAST-USED) at most once a minute, by a write of its own
/// that the request does not wait for.
pub async fn authenticate(
    store: &Store,
    uses: &TokenUses,
    token: &str,
) -> Result<Authenticated, StoreError> {
    let Some(record) = store.token_by_hash(&hash(token)).await? else {
        return Ok(Authenticated::Unknown);
    };
    let now = now_micros();
    if let Some(at) = record.expires.filter(|at| *at <= now) {
        return Ok(Authenticated::Expired {
            name: record.name,
            at,
        });
    }
    if uses.claim(&record, now) {
        let (store, id) = (store.clone(), record.id);
        tokio::spawn(async move {
            let noted = async {
                let mut tx = store.write().await?;
                tx.note_token_use(id, now).await?;
                tx.commit().await
            };
            if let Err(err) = noted.await {
                tracing::warn!(%err, token_id = id, "cannot note a token's last use");
            }
        });
    }
    Ok(Authenticated::Caller(Caller {
        name: Some(record.name),
        role: record.role,
        owner: record.owner,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: i64, last_used: Option<i64>) -> TokenRecord {
        TokenRecord {
            id,
            name: format!("t{id}"),
            role: Role::Lander,
            created: 0,
            revoked: None,
            owner: None,
            expires: None,
            last_used,
            rotated: None,
        }
    }

    #[test]
    fn a_tokens_use_is_written_at_most_once_an_interval() {
        let uses = TokenUses::default();
        let minute = LAST_USE_INTERVAL.as_micros() as i64;
        let now = 10 * minute;
        assert!(uses.claim(&record(1, None), now), "never noted: write");
        assert!(!uses.claim(&record(1, None), now + 1), "claimed: no write");
        assert!(
            uses.claim(&record(2, None), now + 1),
            "another token: write"
        );
        assert!(
            !uses.claim(&record(3, Some(now - minute / 2)), now),
            "the row says it was noted half a minute ago: no write"
        );
        assert!(
            uses.claim(&record(1, Some(now)), now + minute),
            "a minute on: write"
        );
    }
}
