//! The domain layer: workflow rules (and the workflow as data), creation
//! with its checks, the full ticket with its failure report and progress,
//! and tokens. It reads and writes through
//! [`crate::store`] and knows nothing of HTTP.

pub mod bundle;
pub mod create;
pub mod failure;
pub mod full_ticket;
pub mod gc;
pub mod import;
pub mod progress;
pub mod status;
pub mod tokens;
pub mod workflow;
pub mod workflow_data;

use shared::Role;
use shared::error::FieldErrors;

use crate::store::{Detail, StoreError};

/// Who is asking: the token's name (the actor of events), its role, and
/// the owner address a developer token is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: Option<String>,
    pub role: Role,
    /// Set for a token made with `ticketd token create --email`: the caller
    /// may then write only to tickets of this owner ([`Caller::may_act_for`]).
    pub owner: Option<String>,
}

impl Caller {
    /// The caller of a server started with `--no-auth`: every right, no name.
    pub fn unchecked() -> Caller {
        Caller {
            name: None,
            role: Role::Admin,
            owner: None,
        }
    }

    /// A client without a token.
    pub fn anonymous() -> Caller {
        Caller {
            name: None,
            role: Role::Anonymous,
            owner: None,
        }
    }

    /// The ownership rule of bound tokens, for every write that touches a
    /// ticket: creating it, changing its or its subtickets' status, adding
    /// a subticket or an artifact. A caller bound to an owner may write
    /// only to tickets of that owner; `ticket` is the ticket's id, `None`
    /// for one about to be created. An unbound caller may write to any
    /// ticket its role allows.
    pub fn may_act_for(&self, ticket: Option<i64>, owner: &str) -> Result<(), DomainError> {
        match &self.owner {
            Some(bound) if !same_address(bound, owner) => {
                let whose = match ticket {
                    Some(id) => format!("ticket {id} belongs to {owner}"),
                    None => format!("the new ticket would belong to {owner}"),
                };
                Err(DomainError::Forbidden(format!(
                    "{whose}; this token may act only for {bound}"
                )))
            }
            _ => Ok(()),
        }
    }

    /// Refuse callers whose role is below `role`.
    pub fn require(&self, role: Role) -> Result<(), DomainError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(DomainError::Forbidden(format!(
                "this needs a {role} token; yours is {}",
                self.role
            )))
        }
    }
}

/// Whether two valid addresses name the same mailbox: the local part
/// exactly, the domain in any ASCII case (RFC 5321, 2.4).
fn same_address(a: &str, b: &str) -> bool {
    match (a.rsplit_once('@'), b.rsplit_once('@')) {
        (Some((a_local, a_domain)), Some((b_local, b_domain))) => {
            a_local == b_local && a_domain.eq_ignore_ascii_case(b_domain)
        }
        _ => a == b,
    }
}

/// Why the domain refused or failed a request.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// Fields with values that are not allowed.
    #[error("{}", .0.summary())]
    Validation(FieldErrors),
    /// A reference that is malformed or names nothing.
    #[error("{field}: {problem}")]
    InvalidReference { field: String, problem: String },
    /// The object addressed by the path does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The caller's role may not do this, or the caller is bound to
    /// another owner than the ticket's.
    #[error("{0}")]
    Forbidden(String),
    /// The workflow rules refuse it.
    #[error("{0}")]
    Illegal(String),
    /// The object exists already.
    #[error("{message}")]
    Duplicate { message: String, existing: String },
    /// More parts than the server's limits allow (a field names which).
    #[error("{}", .0.summary())]
    TooLarge(FieldErrors),
    /// An `Idempotency-Key` reused with a different body.
    #[error("{0}")]
    IdempotencyConflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A fault of the server outside the database: the blob store, JSON
    /// encoding, the system's randomness, a broken invariant.
    #[error("{0}")]
    Internal(Detail),
}

impl DomainError {
    /// A single field's validation error.
    pub fn field(field: &str, problem: impl Into<String>) -> DomainError {
        let mut errors = FieldErrors::default();
        errors.add(field, problem);
        DomainError::Validation(errors)
    }
}

impl From<FieldErrors> for DomainError {
    fn from(errors: FieldErrors) -> Self {
        DomainError::Validation(errors)
    }
}
