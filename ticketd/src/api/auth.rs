//! Authentication middleware: turns `Authorization: Bearer …` into the
//! [`Caller`] every handler receives, or answers 401.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use shared::ErrorCode;

use super::error::ApiError;
use crate::domain::Caller;
use crate::domain::tokens::{self, Authenticated};
use crate::state::{AppState, AuthMode};
use crate::store::timestamp;

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
    let mut headers = request.headers().get_all(header::AUTHORIZATION).iter();
    let authorization = headers.next().cloned();
    if headers.next().is_some() {
        // Which one a proxy or client meant cannot be known: never guess.
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::ValidationFailed,
            "send one Authorization header, not several",
        )
        .into_response();
    }
    let caller = match caller_of(&state, read, authorization).await {
        Ok(caller) => caller,
        Err(err) => return err.into_response(),
    };
    let name = caller.name.clone();
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    if let Some(name) = name {
        response.extensions_mut().insert(TokenName(name));
    }
    response
}

/// The name of the token a request was made with, on its response: for
/// the access log (never the token itself).
#[derive(Debug, Clone)]
pub struct TokenName(pub String);

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
        .and_then(bearer_token)
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer TOKEN`"))?;
    match tokens::authenticate(&state.store, &state.token_uses, token).await? {
        Authenticated::Caller(caller) => Ok(caller),
        Authenticated::Expired { name, at } => Err(ApiError::unauthorized(format!(
            "the token `{name}` expired at {}; ask an operator for a new one \
             (`ticketd token rotate {name}`)",
            timestamp(at).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ))),
        Authenticated::Unknown => Err(ApiError::unauthorized("the token is unknown or revoked")),
    }
}

/// The token of `Bearer TOKEN`: the scheme in any case (RFC 9110 11.1),
/// then one or more spaces or tabs; `None` for any other scheme.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_at_checked("bearer".len())?;
    if !scheme.eq_ignore_ascii_case("bearer") || !rest.starts_with([' ', '\t']) {
        return None;
    }
    let token = rest.trim_matches([' ', '\t']);
    (!token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn the_scheme_is_case_insensitive_and_white_space_is_spaces_or_tabs() {
        for header in [
            "Bearer t",
            "bearer t",
            "BEARER t",
            "Bearer\tt",
            "Bearer \t  t",
            "Bearer t ",
        ] {
            assert_eq!(bearer_token(header), Some("t"), "{header:?}");
        }
        for header in [
            "Bearer",
            "Bearer ",
            "Bearert",
            "Basic t",
            "Bearer\nt",
            "Bear t",
            "",
            "é",
        ] {
            assert_eq!(bearer_token(header), None, "{header:?}");
        }
    }
}
