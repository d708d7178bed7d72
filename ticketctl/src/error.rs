//! The client's error: it keeps the HTTP status and the server's decoded
//! error body until `main` turns it into a message, a hint and an exit code.

use shared::{ErrorBody, ErrorCode};

/// ticketctl's exit codes, as README.md lists them ("For landers").
pub mod exit {
    pub const OK: u8 = 0;
    pub const REQUEST_FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const NOT_FOUND: u8 = 3;
    pub const CONFLICT: u8 = 4;
    pub const REFUSED: u8 = 5;
    /// `watch` (or `submit --wait`) ended on a failed ticket.
    pub const TICKET_FAILED: u8 = 6;
    /// `watch --timeout` ran out while the ticket was still moving.
    pub const STILL_RUNNING: u8 = 7;

    /// The exit code of an HTTP error status.
    pub fn of_status(status: u16) -> u8 {
        match status {
            400 | 413 | 415 | 422 => USAGE,
            401 | 403 => REFUSED,
            404 => NOT_FOUND,
            409 => CONFLICT,
            _ => REQUEST_FAILED,
        }
    }
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The server answered with an error body.
    #[error("{}", .body.error.message)]
    Server { status: u16, body: ErrorBody },
    /// The server answered an error without a body we understand.
    #[error("the server answered {status}: {text}")]
    Unexpected { status: u16, text: String },
    /// No answer: connection refused, timeout, broken TLS.
    #[error("cannot reach {server}: {detail}")]
    Network { server: String, detail: String },
    /// Bad input caught before sending (a flag, a file, a checksum).
    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },
    /// A local file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// The command would change nothing, and what the user said would be
    /// lost: a conflict with the state the object is in.
    #[error("{message}")]
    Unchanged { message: String, hint: String },
    /// The server refused the token, in a command that says why itself.
    #[error("{message}")]
    Refused { message: String, hint: String },
    /// An artifact that cannot be fetched, saying why: nothing to fetch,
    /// another host's error answer, or content that does not match its
    /// SHA-256. `code` is the exit code that fits (see [`exit`]).
    #[error("{message}")]
    Fetch {
        message: String,
        hint: String,
        code: u8,
    },
    /// `watch` ended without the ticket completing: it failed
    /// ([`exit::TICKET_FAILED`]) or the timeout came ([`exit::STILL_RUNNING`]).
    #[error("{message}")]
    Watched {
        message: String,
        hint: String,
        code: u8,
    },
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage_hint(message: impl Into<String>, hint: impl Into<String>) -> CliError {
        CliError::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// A move the workflow refused, told in the CLI's words: the ticket to
    /// look at (when known) and `override_with`, the way an admin forces it.
    pub fn refused_move(self, ticket: Option<u64>, override_with: &str) -> CliError {
        match self {
            CliError::Server { body, .. } if body.error.code == ErrorCode::IllegalTransition => {
                let look = ticket
                    .map(|id| format!("see where it stands with `ticketctl ticket show {id}`; "))
                    .unwrap_or_default();
                CliError::Unchanged {
                    message: body.error.message,
                    hint: format!("{look}an admin may override the workflow with {override_with}"),
                }
            }
            other => other,
        }
    }

    /// The exit code of this error (see [`exit`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Server { status, .. } | CliError::Unexpected { status, .. } => {
                exit::of_status(*status)
            }
            CliError::Network { .. } | CliError::Io(_) => exit::REQUEST_FAILED,
            CliError::Usage { .. } => exit::USAGE,
            CliError::Unchanged { .. } => exit::CONFLICT,
            CliError::Refused { .. } => exit::REFUSED,
            CliError::Fetch { code, .. } | CliError::Watched { code, .. } => *code,
        }
    }

    /// One line on what to do next.
    pub fn hint(&self) -> Option<String> {
        match self {
            CliError::Unchanged { hint, .. } | CliError::Refused { hint, .. } => Some(hint.clone()),
            CliError::Fetch { hint, .. } | CliError::Watched { hint, .. } => Some(hint.clone()),
            CliError::Usage { hint, .. } => Some(
                hint.clone().unwrap_or_else(|| "see the command's --help for what it takes, with an example".to_string()),
            ),
            CliError::Network { .. } => Some(
                "is ticketd running there? Pass --server URL or run `ticketctl config set server URL`".into(),
            ),
            CliError::Io(_) => None,
            CliError::Unexpected { status, .. } if *status >= 500 => Some("retry later; the server's log has the details".into()),
            CliError::Unexpected { .. } => None,
            CliError::Server { status, body } => Some(
                match (status, body.error.code) {
                    (401, _) => "run `ticketctl login`, or pass --token / set TICKETCTL_TOKEN",
                    (403, _) => "your token may not do this (its role, or the owner it is bound to); ask an admin for a token that may",
                    (404, _) => "check the id or name (`ticketctl ticket list`, `ticketctl package list`)",
                    (_, ErrorCode::IllegalTransition) => "see where it stands with `ticketctl ticket show`",
                    (_, ErrorCode::Duplicate) => "it exists already; use the existing one",
                    (_, ErrorCode::IdempotencyConflict) => "submit again without reusing the previous request",
                    (413, _) => "the request is larger than the server accepts; split it or ask for a higher limit",
                    (s, _) if *s >= 500 => "retry later; the server's log has the details",
                    _ => "correct the value named above and try again",
                }
                .to_string(),
            ),
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        CliError::Io(err.to_string())
    }
}
