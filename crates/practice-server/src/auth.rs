//! `Authorization: Token <token>`, as Prolific expects it (the scheme word is `Token`).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;

use crate::ServerState;
use crate::error::ApiError;

pub(crate) async fn require_token(
    State(state): State<Arc<ServerState>>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let presented = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Token "));
    match presented {
        Some(token) if token == state.token => Ok(next.run(request).await),
        _ => Err(ApiError::unauthenticated()),
    }
}
