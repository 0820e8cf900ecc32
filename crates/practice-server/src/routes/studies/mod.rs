//! Studies that run a Task Builder batch (API-NOTES §7): the one table of their routes.
//! Classic endpoints, so every path ends with a slash. Each job has its module: `create`,
//! `read`, `edit` (change or delete), `lifecycle` (publish, pause, start, stop),
//! `submissions` (a study's submissions and their bulk approval); what they share in
//! `fields` (the checks of a study's fields), `lookup` (the study a request names) and
//! `funds` (the balance check). Only this table imports them; they never import it.

mod create;
mod edit;
mod fields;
mod funds;
mod lifecycle;
mod lookup;
mod read;
mod submissions;

use axum::http::StatusCode;

use super::{Route, Verb, route};

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(
            Verb::Post,
            "/api/v1/studies/",
            StatusCode::CREATED,
            create::create_study,
        ),
        route(
            Verb::Get,
            "/api/v1/studies/",
            StatusCode::OK,
            read::list_studies,
        ),
        route(
            Verb::Get,
            "/api/v1/studies/{id}/",
            StatusCode::OK,
            read::get_study,
        ),
        route(
            Verb::Patch,
            "/api/v1/studies/{id}/",
            StatusCode::OK,
            edit::update_study,
        ),
        route(
            Verb::Delete,
            "/api/v1/studies/{id}/",
            StatusCode::OK,
            edit::delete_study,
        ),
        route(
            Verb::Post,
            "/api/v1/studies/{id}/transition/",
            StatusCode::OK,
            lifecycle::transition_study,
        ),
        route(
            Verb::Get,
            "/api/v1/studies/{id}/submissions/",
            StatusCode::OK,
            submissions::list_submissions,
        ),
        route(
            Verb::Get,
            "/api/v1/studies/{id}/submissions/counts/",
            StatusCode::OK,
            submissions::count_submissions,
        ),
        route(
            Verb::Post,
            "/api/v1/submissions/bulk-approve/",
            StatusCode::OK,
            submissions::bulk_approve,
        ),
    ]
}
