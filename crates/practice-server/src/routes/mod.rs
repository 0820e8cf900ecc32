//! The API's routes, one module per area of Prolific's spec, and the one table that both
//! builds the router and tells the contract test what is served.

mod audience;
mod batches;
mod bonuses;
mod datasets;
mod demographic_export;
mod instructions;
mod messages;
mod paging;
mod participant_groups;
mod pricing;
mod results;
mod storage;
mod studies;
mod submissions;
mod testing;
mod users;
mod workspaces;

use std::sync::Arc;

use axum::Router;
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, on};

use crate::ServerState;
use crate::auth::require_token;
use crate::error::ApiError;
use crate::faults;

/// One route of Prolific's API that the practice server serves: the method and path
/// exactly as `openapi.yaml` writes them, and the status it answers on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub success_status: u16,
}

/// Every API route the server serves (the presigned-upload storage route, which stands
/// in for S3 and is not part of Prolific's API, is not listed).
pub fn endpoints() -> Vec<Endpoint> {
    routes().into_iter().map(|route| route.endpoint).collect()
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Verb {
    Get,
    Post,
    Patch,
    Put,
    Delete,
}

impl Verb {
    fn filter(self) -> MethodFilter {
        match self {
            Self::Get => MethodFilter::GET,
            Self::Post => MethodFilter::POST,
            Self::Patch => MethodFilter::PATCH,
            Self::Put => MethodFilter::PUT,
            Self::Delete => MethodFilter::DELETE,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Patch => "PATCH",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
        }
    }
}

pub(crate) struct Route {
    endpoint: Endpoint,
    handler: MethodRouter<Arc<ServerState>>,
}

/// A route whose handler answers 200 on success; the table's `success` status replaces
/// that 200, so the status a client sees is the one the contract test checks.
pub(crate) fn route<H, T>(verb: Verb, path: &'static str, success: StatusCode, handler: H) -> Route
where
    H: Handler<T, Arc<ServerState>>,
    T: 'static,
{
    let handler = on(verb.filter(), handler).layer(middleware::map_response(
        move |mut response: Response| async move {
            if response.status() == StatusCode::OK {
                *response.status_mut() = success;
            }
            response
        },
    ));
    Route {
        endpoint: Endpoint {
            method: verb.as_str(),
            path,
            success_status: success.as_u16(),
        },
        handler,
    }
}

fn routes() -> Vec<Route> {
    [
        users::routes(),
        workspaces::routes(),
        datasets::routes(),
        batches::routes(),
        instructions::routes(),
        results::routes(),
        studies::routes(),
        pricing::routes(),
        audience::routes(),
        demographic_export::routes(),
        submissions::routes(),
        bonuses::routes(),
        participant_groups::routes(),
        messages::routes(),
        testing::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Runs the request with this server's clock offset in scope (see `clock`).
async fn on_server_clock(
    axum::extract::State(state): axum::extract::State<Arc<ServerState>>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    crate::clock::with_offset(state.clock_offset(), next.run(request)).await
}

/// Saves the practice state after a request that changed it (when it is saved at all):
/// any successful request but a read, and the one read that creates something (the
/// upload URL's `GET` answers 201 and makes an import job). The answer waits for the
/// save, so a client that got it knows the change survives a restart.
async fn save_after_change(
    axum::extract::State(state): axum::extract::State<Arc<ServerState>>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let reads = matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let response = next.run(request).await;
    let status = response.status();
    if state.saves() && status.is_success() && (!reads || status == StatusCode::CREATED) {
        let saving = Arc::clone(&state);
        // A failed save is logged inside; a panic in it must not lose the answer.
        let _ = tokio::task::spawn_blocking(move || saving.save()).await;
    }
    response
}

/// Strict mode (`PracticeConfig::request_check`): a request body the check finds fault
/// with is refused before its handler runs, and logged as an error.
async fn check_request(
    axum::extract::State(state): axum::extract::State<Arc<ServerState>>,
    matched: axum::extract::MatchedPath,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    use axum::response::IntoResponse;
    let Some(check) = state.request_check.clone() else {
        return next.run(request).await;
    };
    // A DELETE may carry a body too (removing a group's members).
    if !matches!(
        *request.method(),
        axum::http::Method::POST
            | axum::http::Method::PATCH
            | axum::http::Method::PUT
            | axum::http::Method::DELETE
    ) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return ApiError::bad_request("The request body could not be read.").into_response();
    };
    // A body that is not JSON is the handler's to refuse, in its own words.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) {
        let method = parts.method.as_str().to_owned();
        let problems = (check.0)(&method, matched.as_str(), &value);
        if !problems.is_empty() {
            tracing::error!(
                %method,
                path = matched.as_str(),
                ?problems,
                "a request the real API would refuse"
            );
            return ApiError {
                status: StatusCode::BAD_REQUEST,
                error_code: 140_001,
                title: "Bad request",
                detail: serde_json::json!({ "request": problems }),
            }
            .into_response();
        }
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

pub(crate) fn router(state: Arc<ServerState>) -> Router {
    let api = routes()
        .into_iter()
        .fold(results::unlisted_routes(), |router, route| {
            router.route(route.endpoint.path, route.handler)
        })
        .route_layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            check_request,
        ))
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::not_found("Resource") })
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            require_token,
        ));
    // The storage route authenticates by its signed URL, never by the Prolific token.
    // Faults apply to both; the admin route that switches them is outside their reach
    // (and outside the endpoints table: it is not Prolific's API).
    let admin = Router::new()
        .route(
            "/_practice/faults",
            axum::routing::get(faults::list)
                .post(faults::add)
                .delete(faults::clear),
        )
        .route(
            "/_practice/workspace",
            axum::routing::get(crate::controls::get).patch(crate::controls::patch),
        )
        .route(
            "/_practice/studies/{study_id}/participants",
            axum::routing::get(crate::controls::participants),
        )
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            require_token,
        ));
    api.merge(storage::routes())
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            faults::apply,
        ))
        .merge(admin)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            save_after_change,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            on_server_clock,
        ))
        .with_state(state)
}
