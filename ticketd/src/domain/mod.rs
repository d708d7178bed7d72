//! The domain layer: workflow rules, creation with its checks, the full
//! ticket with its failure report, and tokens. It reads and writes through
//! [`crate::store`] and knows nothing of HTTP.

pub mod bundle;
pub mod create;
pub mod failure;
pub mod full_ticket;
pub mod import;
pub mod status;
pub mod tokens;
pub mod workflow;

use shared::Role;
use shared::error::FieldErrors;

use crate::store::{Detail, StoreError};

/// Who is asking: the token's name (the actor of events) and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: Option<String>,
    pub role: Role,
}

impl Caller {
    /// The caller of a server started with `--no-auth`: every right, no name.
    pub fn unchecked() -> Caller {
        Caller {
            name: None,
            role: Role::Admin,
        }
    }

    /// A client without a token.
    pub fn anonymous() -> Caller {
        Caller {
            name: None,
            role: Role::Anonymous,
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
    /// The caller's role may not do this.
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
