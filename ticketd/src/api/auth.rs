//! Authentication middleware: turns `Authorization: Bearer …` into the
//! [`Caller`] every handler receives, or answers 401.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use crate::domain::{Caller, tokens};
use crate::server::{AppState, AuthMode};

/// Resolve the caller of a request: a valid token's name and role; without
/// a token, anonymous for reads (where allowed) and 401 for writes; a wrong
/// or revoked token is a 401 on any request.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    // Only what is needed crosses the await: a request body is not `Sync`.
    let read = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let authorization = request.headers().get(header::AUTHORIZATION).cloned();
    let caller = match caller_of(&state, read, authorization).await {
        Ok(caller) => caller,
        Err(err) => return err.into_response(),
    };
    request.extensions_mut().insert(caller);
    next.run(request).await
}

async fn caller_of(
    state: &AppState,
    read: bool,
    authorization: Option<HeaderValue>,
) -> Result<Caller, ApiError> {
    let AuthMode::Tokens { anonymous_read } = state.auth else {
        return Ok(Caller::unchecked());
    };
    let Some(header_value) = authorization else {
        return if read && anonymous_read {
            Ok(Caller::anonymous())
        } else if read {
            Err(ApiError::unauthorized(
                "this server needs a token for reads too: send Authorization: Bearer TOKEN",
            ))
        } else {
            Err(ApiError::unauthorized(
                "writes need a token: send Authorization: Bearer TOKEN",
            ))
        };
    };
    let token = header_value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer TOKEN`"))?;
    tokens::authenticate(&state.store, token)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the token is unknown or revoked"))
}
