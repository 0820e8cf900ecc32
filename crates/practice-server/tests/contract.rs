//! The practice server against Prolific's published spec (`shared/prolific/openapi.yaml`):
//! every route it serves exists there with that method, answers a success status the spec
//! lists, and answers bodies that fit the spec's response schemas.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::LazyLock;

use batchdesk_practice::{Endpoint, endpoints};
use common::{Api, workspace_id};
use serde_json::{Value, json};

/// The spec, read once per test binary. The relative location holds in CI too, where
/// `shared/` sits beside the clone.
static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/prolific/openapi.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
    serde_norway::from_str(&text).unwrap()
});

fn operation(endpoint: &Endpoint) -> Option<&'static Value> {
    SPEC["paths"]
        .get(endpoint.path)?
        .get(endpoint.method.to_ascii_lowercase())
}

#[test]
fn every_served_route_is_in_the_spec_with_its_method_and_success_status() {
    let served = endpoints();
    assert!(
        served.len() >= 17,
        "the table lists the whole API surface: {served:?}"
    );
    for endpoint in &served {
        let operation = operation(endpoint).unwrap_or_else(|| {
            panic!(
                "{} {} is not in openapi.yaml",
                endpoint.method, endpoint.path
            )
        });
        let status = endpoint.success_status.to_string();
        assert!(
            (200..300).contains(&endpoint.success_status),
            "{endpoint:?} succeeds with a 2xx"
        );
        assert!(
            operation["responses"].get(&status).is_some(),
            "{} {} answers {status}, which the spec does not list: {:?}",
            endpoint.method,
            endpoint.path,
            operation["responses"]
                .as_object()
                .map(|responses| responses.keys().collect::<Vec<_>>())
        );
    }
    let unique: BTreeSet<_> = served
        .iter()
        .map(|endpoint| (endpoint.method, endpoint.path))
        .collect();
    assert_eq!(unique.len(), served.len(), "no route is listed twice");
}

#[test]
fn the_spec_statuses_that_are_easy_to_get_wrong_are_the_ones_served() {
    let status_of = |method: &str, path: &str| {
        endpoints()
            .into_iter()
            .find(|endpoint| endpoint.method == method && endpoint.path == path)
            .unwrap_or_else(|| panic!("{method} {path} is served"))
            .success_status
    };
    assert_eq!(
        status_of(
            "GET",
            "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}"
        ),
        201
    );
    assert_eq!(
        status_of("POST", "/api/v1/data-collection/batches/{batch_id}/setup"),
        202
    );
    assert_eq!(status_of("POST", "/api/v1/data-collection/batches"), 201);
    assert_eq!(
        status_of("POST", "/api/v1/workspaces/{workspace_id}/projects/"),
        201
    );
}

/// Every path in the table is really routed: a method it does not serve is a 405 there,
/// where an unrouted path would be a 404.
#[tokio::test]
async fn every_listed_path_is_routed() {
    let api = Api::start().await;
    let client = reqwest::Client::new();
    for endpoint in endpoints() {
        let path = endpoint
            .path
            .replace("{workspace_id}", &workspace_id())
            .replace("{filename}", "data.csv")
            .replace("{dataset_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{batch_id}", &uuid::Uuid::now_v7().to_string())
            .replace("{import_id}", &uuid::Uuid::now_v7().to_string());
        let response = client
            .delete(api.url(&path))
            .header("Authorization", format!("Token {}", api.server.token()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 405, "{path}");
    }
}

// --- response bodies against the spec's schemas ----------------------------------------

/// Follows a `$ref` like `#/components/schemas/Name`.
fn resolve(schema: &'static Value) -> &'static Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/schemas/").unwrap();
            resolve(&SPEC["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// The problems of `value` against `schema`: types (single or a list), `enum`, `required`,
/// known properties, array items and `oneOf`. Formats are not checked.
fn problems(value: &Value, schema: &'static Value, at: &str) -> Vec<String> {
    let schema = resolve(schema);
    if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
        let fits = branches
            .iter()
            .any(|branch| problems(value, branch, at).is_empty());
        return if fits {
            Vec::new()
        } else {
            vec![format!("{at}: fits no oneOf branch: {value}")]
        };
    }
    let mut found = Vec::new();
    let kinds: Vec<&str> = match schema.get("type") {
        Some(Value::String(kind)) => vec![kind.as_str()],
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !kinds.is_empty() && !kinds.iter().any(|kind| type_matches(kind, value)) {
        found.push(format!("{at}: expected {kinds:?}, got {value}"));
        return found;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !value.is_null()
        && !allowed.contains(value)
    {
        found.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(object) = value.as_object() {
        for field in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let field = field.as_str().unwrap();
            if !object.contains_key(field) {
                found.push(format!("{at}: required field \"{field}\" is missing"));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                if let Some(child) = object.get(name) {
                    found.extend(problems(child, property, &format!("{at}.{name}")));
                }
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (index, child) in array.iter().enumerate() {
            found.extend(problems(child, items, &format!("{at}[{index}]")));
        }
    }
    found
}

/// Checks a body against the schema of the endpoint's success response.
fn assert_fits(method: &str, path: &str, body: &Value, checked: &mut BTreeSet<(String, String)>) {
    let endpoint = endpoints()
        .into_iter()
        .find(|endpoint| endpoint.method == method && endpoint.path == path)
        .unwrap_or_else(|| panic!("{method} {path} is served"));
    let schema = &operation(&endpoint).unwrap()["responses"][endpoint.success_status.to_string()]["content"]
        ["application/json"]["schema"];
    assert!(
        !schema.is_null(),
        "the spec has a response schema for {method} {path}"
    );
    let found = problems(body, schema, "body");
    assert!(
        found.is_empty(),
        "{method} {path}:\n{}\n{body:#}",
        found.join("\n")
    );
    checked.insert((method.to_owned(), path.to_owned()));
}

#[tokio::test]
async fn every_success_body_fits_the_spec() {
    let api = Api::start().await;
    let mut checked = BTreeSet::new();
    let workspace = workspace_id();

    // Account.
    let (_, me) = api.get("/api/v1/users/me/").await;
    assert_fits("GET", "/api/v1/users/me/", &me, &mut checked);
    let (_, list) = api.get("/api/v1/workspaces/").await;
    assert_fits("GET", "/api/v1/workspaces/", &list, &mut checked);
    let (_, detail) = api.get(&format!("/api/v1/workspaces/{workspace}/")).await;
    assert_fits(
        "GET",
        "/api/v1/workspaces/{workspace_id}/",
        &detail,
        &mut checked,
    );
    let (_, balance) = api
        .get(&format!("/api/v1/workspaces/{workspace}/balance/"))
        .await;
    assert_fits(
        "GET",
        "/api/v1/workspaces/{workspace_id}/balance/",
        &balance,
        &mut checked,
    );
    let projects = format!("/api/v1/workspaces/{workspace}/projects/");
    let (status, project) = api.post(&projects, json!({"title": "Contract"})).await;
    assert_eq!(status, 201);
    assert_fits(
        "POST",
        "/api/v1/workspaces/{workspace_id}/projects/",
        &project,
        &mut checked,
    );
    let (_, project_list) = api.get(&projects).await;
    assert_fits(
        "GET",
        "/api/v1/workspaces/{workspace_id}/projects/",
        &project_list,
        &mut checked,
    );

    // Datasets, V3 and V4.
    let datasets = "/api/v1/data-collection/datasets";
    let (_, v3) = api
        .post(datasets, json!({"name": "V3", "workspace_id": workspace}))
        .await;
    assert_fits("POST", datasets, &v3, &mut checked);
    let v3_id = v3["id"].as_str().unwrap();
    let upload = api
        .upload(v3_id, "reviews.csv", common::sample("reviews.csv"))
        .await;
    assert_fits(
        "GET",
        "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}",
        &upload,
        &mut checked,
    );
    let v3 = api.dataset(v3_id).await;
    assert_fits(
        "GET",
        "/api/v1/data-collection/datasets/{dataset_id}",
        &v3,
        &mut checked,
    );
    let (_, status) = api.get(&format!("{datasets}/{v3_id}/status")).await;
    assert_fits(
        "GET",
        "/api/v1/data-collection/datasets/{dataset_id}/status",
        &status,
        &mut checked,
    );

    let schema = json!({"strict": false, "fields": {"text": {"type": "text"}, "group": {"type": "task_group_id"}}});
    let (_, v4) = api
        .post(
            datasets,
            json!({"name": "V4", "workspace_id": workspace, "schema": schema}),
        )
        .await;
    assert_fits("POST", datasets, &v4, &mut checked);
    let v4_id = v4["id"].as_str().unwrap();
    let good = api
        .upload(
            v4_id,
            "good.jsonl",
            b"{\"text\": \"a\", \"group\": \"g\"}\n".to_vec(),
        )
        .await;
    assert_fits(
        "GET",
        "/api/v1/data-collection/datasets/{dataset_id}/upload-url/{filename}",
        &good,
        &mut checked,
    );
    let partial = api
        .upload(v4_id, "mixed.jsonl", b"{\"text\": \"a\"}\n[1]\n".to_vec())
        .await;
    let pending = api.upload_url(v4_id, "later.csv").await;
    for answer in [&good, &partial, &pending] {
        let (_, job) = api
            .get(&format!(
                "{datasets}/{v4_id}/imports/{}",
                answer["import_id"].as_str().unwrap()
            ))
            .await;
        assert_fits(
            "GET",
            "/api/v1/data-collection/datasets/{dataset_id}/imports/{import_id}",
            &job,
            &mut checked,
        );
    }
    let v4 = api.dataset(v4_id).await;
    assert_eq!(v4["imports"].as_array().unwrap().len(), 3);
    assert_fits(
        "GET",
        "/api/v1/data-collection/datasets/{dataset_id}",
        &v4,
        &mut checked,
    );

    // Batches.
    let batches = "/api/v1/data-collection/batches";
    let layout = json!([{ "rows": [{ "columns": [
        { "items": [ {"type": "dataset_field", "field": "text"} ] },
        { "items": [ {"type": "multiple_choice", "description": "Good?", "answer_limit": 1,
                      "options": [{"label": "Yes", "value": true}, {"label": "No", "value": false}]},
                     {"type": "free_text_with_unit", "description": "Price", "unit_position": "prefix",
                      "unit_options": [{"label": "£", "value": "gbp"}], "default_unit": "gbp"} ] } ] }] }]);
    let (status, batch) = api
        .post(batches, json!({"name": "Contract", "workspace_id": workspace, "dataset_id": v4_id,
                              "task_details": {"task_name": "t", "task_introduction": "i", "task_steps": "s"},
                              "batch_items": layout}))
        .await;
    assert_eq!(status, 201, "{batch}");
    assert_fits("POST", batches, &batch, &mut checked);
    let batch_id = batch["id"].as_str().unwrap();
    let (status, setup) = api
        .post(
            &format!("{batches}/{batch_id}/setup"),
            json!({"tasks_per_group": 2}),
        )
        .await;
    assert_eq!(status, 202);
    assert_fits(
        "POST",
        "/api/v1/data-collection/batches/{batch_id}/setup",
        &setup,
        &mut checked,
    );
    let (_, read) = api.get(&format!("{batches}/{batch_id}")).await;
    assert_eq!(read["status"], "READY");
    assert_fits(
        "GET",
        "/api/v1/data-collection/batches/{batch_id}",
        &read,
        &mut checked,
    );
    let (_, patched) = api
        .patch(&format!("{batches}/{batch_id}"), json!({"name": "Renamed"}))
        .await;
    assert_fits(
        "PATCH",
        "/api/v1/data-collection/batches/{batch_id}",
        &patched,
        &mut checked,
    );
    let (_, status) = api.get(&format!("{batches}/{batch_id}/status")).await;
    assert_fits(
        "GET",
        "/api/v1/data-collection/batches/{batch_id}/status",
        &status,
        &mut checked,
    );
    let (_, list) = api
        .get(&format!("{batches}?workspace_id={workspace}"))
        .await;
    assert_fits("GET", batches, &list, &mut checked);

    // A new endpoint must be added here too.
    let served: BTreeSet<_> = endpoints()
        .into_iter()
        .map(|endpoint| (endpoint.method.to_owned(), endpoint.path.to_owned()))
        .collect();
    let unchecked: Vec<_> = served.difference(&checked).collect();
    assert!(unchecked.is_empty(), "no body checked for {unchecked:?}");
}

#[test]
fn the_schema_checker_catches_what_it_should() {
    let upload = &SPEC["components"]["schemas"]["AI Task Builder_getDatasetUploadUrl_Response_201"];
    let missing = problems(
        &json!({"dataset_id": "x", "upload_url": "u", "http_method": "PUT"}),
        upload,
        "body",
    );
    assert!(
        missing
            .iter()
            .any(|problem| problem.contains("content_type")),
        "{missing:?}"
    );
    assert!(
        missing.iter().any(|problem| problem.contains("expires_at")),
        "{missing:?}"
    );
    let wrong_method = problems(
        &json!({"dataset_id": "x", "upload_url": "u", "http_method": "POST", "content_type": "c", "expires_at": "e"}),
        upload,
        "body",
    );
    assert_eq!(wrong_method.len(), 1, "{wrong_method:?}");
    let dataset = &SPEC["components"]["schemas"]["AITaskBuilderDataset"];
    let wrong_version = problems(
        &json!({"id": "x", "name": "n", "created_at": "c", "created_by": "b", "workspace_id": "w",
                "total_datapoint_count": 0, "schema_version": 3}),
        dataset,
        "body",
    );
    assert!(
        wrong_version[0].contains("schema_version"),
        "{wrong_version:?}"
    );
}
