//! Prolific's spec (the facts of `openapi-contract/spec/`) against the practice server's routes,
//! shared by every test binary: the contract test checks requests and answers with it,
//! and `Api` checks every answer any test gets from an API route. The validator itself
//! is the `batchdesk-openapi-contract` crate's, shared with the engine's tests.

use batchdesk_practice::{Endpoint, endpoints};
use serde_json::Value;

use batchdesk_openapi_contract::REGISTRY_NAMES;
pub use batchdesk_openapi_contract::{SPEC, problems, schema_name};

pub fn operation(endpoint: &Endpoint) -> Option<&'static Value> {
    SPEC["paths"]
        .get(endpoint.path)?
        .get(endpoint.method.to_ascii_lowercase())
}

/// The served endpoint a concrete request is for: the template whose segments match,
/// preferring literal segments (`bulk-approve/` over `{id}/`).
pub fn endpoint_for(method: &str, path: &str) -> Option<Endpoint> {
    endpoints()
        .into_iter()
        .filter(|endpoint| endpoint.method == method && template_matches(endpoint.path, path))
        .max_by_key(|endpoint| {
            endpoint
                .path
                .split('/')
                .filter(|part| !part.starts_with('{'))
                .count()
        })
}

fn template_matches(template: &str, path: &str) -> bool {
    let wanted: Vec<&str> = template.split('/').collect();
    let given: Vec<&str> = path.split('/').collect();
    wanted.len() == given.len()
        && wanted.iter().zip(&given).all(|(wanted, given)| {
            wanted == given || (wanted.starts_with('{') && !given.is_empty())
        })
}

/// Checks an answer of the API against the spec: the schema documented for its status,
/// or the standard `Error` for an error status the spec does not list (401, 404, 405,
/// 429 and 500 come from anywhere). Paths outside the API (storage, the fault admin,
/// the unlisted `/tasks` lists) and bodies that are not JSON (a gateway's 502 page) are
/// not checked. Panics with the problems.
pub fn check_answer(method: &str, path: &str, status: u16, body: &Value) {
    // A 204 carries no body (HTTP says so), whatever schema the spec gives it.
    if !path.starts_with("/api/") || body.is_string() && status >= 500 || status == 204 {
        return;
    }
    let Some(endpoint) = endpoint_for(method, path) else {
        if status >= 400 {
            assert_fits("Error", body, method, path, status);
        }
        return;
    };
    if answers_csv(method, endpoint.path, status) {
        assert_csv(body, method, path);
        return;
    }
    let response = &operation(&endpoint).unwrap()["responses"][status.to_string()];
    let lower = method.to_ascii_lowercase();
    if response["content"]["application/json"]["schema"]["$ref"]
        == "#/components/schemas/ErrorDetail"
    {
        assert_fits("ErrorDetail", &body["error"], method, path, status);
    } else if !response.is_null() {
        let name = schema_name(&lower, endpoint.path, &status.to_string());
        if REGISTRY_NAMES.contains(&name) {
            assert_fits(&name, body, method, path, status);
        }
    } else if status >= 400 {
        assert_fits("Error", body, method, path, status);
    }
}

fn assert_fits(component: &str, body: &Value, method: &str, path: &str, status: u16) {
    let found = problems(component, body);
    assert!(
        found.is_empty(),
        "{method} {path} answered {status} with a body that does not fit the spec ({component}):\n{}\n{body:#}",
        found.join("\n")
    );
}

/// A spec quirk: the demographic export's 200 is documented as an empty JSON object (the
/// placeholder the deprecated CSV export has too), while its prose says it downloads
/// "demographic CSV data". The practice server answers the CSV, which must start with
/// the participant's id among its headers.
pub fn answers_csv(method: &str, template: &str, status: u16) -> bool {
    method == "POST" && template == "/api/v1/studies/{id}/demographic-export/" && status == 200
}

pub fn assert_csv(body: &Value, method: &str, path: &str) {
    let text = body.as_str().unwrap_or_default();
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.contains("Participant id"),
        "{method} {path} answered 200 with something other than the demographic CSV: {body}"
    );
}
