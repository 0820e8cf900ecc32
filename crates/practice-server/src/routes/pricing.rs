//! What a study costs before it is published: the cost calculator and the reward
//! recommendations. Classic endpoints, so every path ends with a slash.

use std::collections::HashMap;

use axum::Json;
use axum::extract::Query;
use axum::http::StatusCode;
use serde_json::json;

use super::{Route, Verb, route};
use crate::body::{FieldReader, JsonBody, REQUIRED};
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::total_cost;

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Post,
            "/api/v1/study-cost-calculator/",
            StatusCode::OK,
            calculate_cost,
        ),
        route(
            Verb::Get,
            "/api/v1/reward-recommendations/",
            StatusCode::OK,
            reward_recommendations,
        ),
    ]
}

/// `POST /api/v1/study-cost-calculator/`.
async fn calculate_cost(JsonBody(body): JsonBody) -> ApiResult {
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let reward = fields.required_whole("reward", 0);
    let places = fields.required_whole("total_available_places", 1);
    errors.into_result()?;
    let (Some(reward), Some(places)) = (reward, places) else {
        return Err(ApiError::bad_request(
            "reward and total_available_places are needed.",
        ));
    };
    Ok(Json(json!({
        "total_cost": total_cost(reward, u64::try_from(places).unwrap_or(0)),
    })))
}

/// `GET /api/v1/reward-recommendations/?workspace_id=&currency=GBP|USD`: per hour, in
/// minor units; newest first.
async fn reward_recommendations(Query(query): Query<HashMap<String, String>>) -> ApiResult {
    let mut errors = FieldErrors::default();
    if query.get("workspace_id").is_none_or(String::is_empty) {
        errors.add("workspace_id", REQUIRED);
    }
    let currency = query.get("currency").map(String::as_str);
    let (minimum, recommended) = match currency {
        Some("GBP") => (600, 900),
        Some("USD") => (800, 1_200),
        Some(_) => {
            errors.add("currency", "Only GBP and USD are supported.");
            (0, 0)
        }
        None => {
            errors.add("currency", REQUIRED);
            (0, 0)
        }
    };
    errors.into_result()?;
    Ok(Json(json!([{
        "currency": currency,
        "min_reward_per_hour": minimum,
        "recommended_reward_per_hour": recommended,
    }])))
}
