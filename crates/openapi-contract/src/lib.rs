//! The facts of Prolific's published spec (`spec/prolific-openapi-facts.json`, derived by
//! our `derive-spec-facts`, see `spec/README.md`) as a JSON Schema (2020-12) validator, for the contract tests of every crate: a request Batchdesk builds or an
//! answer the practice server gives is checked against the schema the spec documents.
//! Test support only (it panics on a spec it cannot read).

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod derive;

use std::collections::BTreeSet;
use std::sync::LazyLock;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Value, json};

/// Where the whole spec is registered, so that its `#/components/...` refs resolve.
pub const SPEC_URI: &str = "urn:prolific:openapi";

/// The spec's facts, compiled into each test binary (nothing is read from disk).
pub static SPEC: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../spec/prolific-openapi-facts.json")).unwrap()
});

/// The spec made addressable as one JSON Schema resource (with `oneOf` read as
/// `anyOf`, see `escape_refs`):
/// - Component names like `AI Task Builder_…` have spaces, and the spec's `$ref`s write
///   them unescaped, which is not a valid URI reference. Both the names and the refs get
///   `_` for the space (no two names collide; checked).
/// - Every operation's request and response schemas are copied under
///   `components/schemas/x_contract_…`, so a validator can `$ref` them by a plain name
///   (a pointer through `paths` would need `{`, `}` in a URI fragment).
static REGISTRY: LazyLock<Registry<'static>> = LazyLock::new(|| {
    let mut spec = SPEC.clone();
    escape_refs(&mut spec);
    let components = spec["components"].as_object_mut().unwrap();
    for group in components.values_mut() {
        if let Value::Object(entries) = group {
            let count = entries.len();
            *entries = std::mem::take(entries)
                .into_iter()
                .map(|(name, value)| (name.replace(' ', "_"), value))
                .collect();
            assert_eq!(entries.len(), count, "renaming components made a collision");
        }
    }
    let mut copies = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let content = |holder: &Value| holder["content"]["application/json"]["schema"].clone();
            if let Some(body) = operation.get("requestBody") {
                copies.push((schema_name(method, path, "request"), content(body)));
            }
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                copies.push((schema_name(method, path, status), content(response)));
            }
        }
    }
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    for (name, schema) in copies {
        if !schema.is_null() {
            schemas.insert(name, schema);
        }
    }
    // A documented gap: `CreateStudy` requires `external_study_url` and
    // `total_available_places`, but a Task Builder batch study has no external URL
    // (the two are mutually exclusive, says the same spec) and its places are worked
    // out from the batch (API-NOTES §7.1). The request copy drops the two.
    let mut create_study = schemas["CreateStudy"].clone();
    if let Some(required) = create_study["required"].as_array_mut() {
        required.retain(|field| field != "external_study_url" && field != "total_available_places");
    }
    schemas.insert(
        schema_name("post", "/api/v1/studies/", "request"),
        create_study,
    );
    Registry::new()
        .add(SPEC_URI, Draft::Draft202012.create_resource(spec))
        .unwrap()
        .prepare()
        .unwrap()
});

/// Escapes the spec's `$ref`s (see `REGISTRY`) and reads its `oneOf`s as `anyOf`: they
/// are generated unions whose branches nothing tells apart (no `required` or
/// `additionalProperties` that differ; `SelectFilter` and `RangeFilter` both accept
/// `{"filter_id": "age", "selected_range": …}`), so "exactly one" fails every value
/// that the spec means to allow. "At least one" is what they can check.
fn escape_refs(value: &mut Value) {
    match value {
        Value::Object(entries) => {
            if let Some(branches) = entries.remove("oneOf") {
                entries.insert("anyOf".to_owned(), branches);
            }
            for (key, child) in entries.iter_mut() {
                match child {
                    Value::String(reference) if key == "$ref" => {
                        *reference = reference.replace(' ', "_");
                    }
                    _ => escape_refs(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(escape_refs),
        _ => {}
    }
}

/// The name an operation's schema is copied under: `x_contract_<method>_<path>_<part>`
/// with every other character made `_`.
pub fn schema_name(method: &str, path: &str, part: &str) -> String {
    format!("x_contract_{method}_{path}_{part}")
        .chars()
        .map(|character| {
            if character.is_ascii_alphanumeric() {
                character
            } else {
                '_'
            }
        })
        .collect()
}

/// A validator for a schema of the spec, by its (escaped) component name. Formats are
/// asserted (`date-time`, `uuid`…); formats JSON Schema does not know (`objectId`) are
/// not.
pub fn validator(component: &str) -> Option<Validator> {
    if !REGISTRY_NAMES.contains(component) {
        return None;
    }
    Some(
        jsonschema::options()
            .with_draft(Draft::Draft202012)
            .with_registry(&REGISTRY)
            .should_validate_formats(true)
            .build(&json!({"$ref": format!("{SPEC_URI}#/components/schemas/{component}")}))
            .unwrap_or_else(|error| panic!("building a validator for {component}: {error}")),
    )
}

/// The component names the registry holds, to tell "no schema" from "a broken ref".
pub static REGISTRY_NAMES: LazyLock<BTreeSet<String>> = LazyLock::new(|| {
    let mut names: BTreeSet<String> = SPEC["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .map(|name| name.replace(' ', "_"))
        .collect();
    for (path, item) in SPEC["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let has_schema =
                |holder: &Value| !holder["content"]["application/json"]["schema"].is_null();
            if operation.get("requestBody").is_some_and(has_schema) {
                names.insert(schema_name(method, path, "request"));
            }
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                if has_schema(response) {
                    names.insert(schema_name(method, path, status));
                }
            }
        }
    }
    names
});

/// The problems of `value` against a schema, one line each with where they are.
pub fn problems(component: &str, value: &Value) -> Vec<String> {
    let validator = validator(component).unwrap_or_else(|| panic!("no schema {component}"));
    validator
        .iter_errors(value)
        .map(|error| format!("at {:?}: {error}", error.instance_path().as_str()))
        .collect()
}

/// The problems of a request body sent as `method` (any case) to `template` (the path as
/// the spec writes it), against the operation's request schema; none when the spec
/// documents no body for it. The practice server's strict mode calls this on every
/// request in the app's tests.
pub fn request_problems(method: &str, template: &str, body: &Value) -> Vec<String> {
    let name = request_schema(&method.to_ascii_lowercase(), template);
    if REGISTRY_NAMES.contains(&name) {
        problems(&name, body)
    } else {
        Vec::new()
    }
}

/// The request body schema of an operation, by method and spec path, e.g.
/// `request_schema("post", "/api/v1/data-collection/batches")`.
pub fn request_schema(method: &str, path: &str) -> String {
    schema_name(method, path, "request")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed facts are what the derivation makes of them: no prose slipped in by
    /// hand, and nothing the validator needs was dropped.
    #[test]
    fn the_committed_facts_hold_no_prose() {
        assert_eq!(derive::facts(&SPEC), *SPEC);
        assert!(SPEC["paths"].as_object().unwrap().len() > 50);
        assert!(REGISTRY_NAMES.contains("CreateStudy"));
    }
}
