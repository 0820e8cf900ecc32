//! `users/me`: the call that validates a token.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::{Route, Verb, route};
use crate::ServerState;

pub(super) fn routes() -> Vec<Route> {
    // Documented with its trailing slash, like every classic endpoint.
    vec![route(Verb::Get, "/api/v1/users/me/", StatusCode::OK, me)]
}

async fn me(State(state): State<Arc<ServerState>>) -> Json<Value> {
    let researcher = &state.researcher;
    Json(json!({
        "id": researcher.id,
        "email": researcher.email,
        "first_name": researcher.first_name,
        "last_name": researcher.last_name,
        "name": format!("{} {}", researcher.first_name, researcher.last_name),
    }))
}
