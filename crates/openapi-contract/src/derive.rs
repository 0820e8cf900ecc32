//! The facts of an OpenAPI spec without its prose: used by `derive-spec-facts` to write
//! `spec/prolific-openapi-facts.json`, and by a test to check that file holds no prose.

use serde_json::{Map, Value};

/// Keywords that annotate for a reader and decide nothing a validator or a test checks.
const PROSE: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "externalDocs",
    "tags",
    "$comment",
];

/// Keywords whose value is a map from names (a field, a path, a status code, a media
/// type, a component) to definitions: the names are facts and kept whatever they are
/// (a field may well be called `description`), while each definition is cleaned.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "dependentSchemas",
    "$defs",
    "definitions",
    "paths",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "content",
    "callbacks",
    "webhooks",
    "links",
    "encoding",
    "variables",
];

/// Keywords whose value is data, kept exactly as written.
const LITERALS: &[&str] = &["enum", "const", "default", "required", "mapping"];

fn clean(value: &Value) -> Value {
    match value {
        Value::Object(entries) => Value::Object(clean_object(entries)),
        Value::Array(items) => Value::Array(items.iter().map(clean).collect()),
        other => other.clone(),
    }
}

fn clean_object(entries: &Map<String, Value>) -> Map<String, Value> {
    let mut kept = Map::new();
    for (key, value) in entries {
        if PROSE.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let cleaned = if LITERALS.contains(&key.as_str()) {
            value.clone()
        } else if NAME_MAPS.contains(&key.as_str()) {
            match value {
                // `parameters` is a list under an operation and a map under components.
                Value::Object(named) => Value::Object(
                    named
                        .iter()
                        .map(|(name, definition)| (name.clone(), clean(definition)))
                        .collect(),
                ),
                other => clean(other),
            }
        } else {
            clean(value)
        };
        kept.insert(key.clone(), cleaned);
    }
    kept
}

/// The facts of a whole spec: its OpenAPI version, servers and security, paths and
/// components, without `info` (the API's own name and prose).
pub fn facts(spec: &Value) -> Value {
    let mut out = Map::new();
    for key in ["openapi", "servers", "security", "paths", "components"] {
        if let Some(value) = spec.get(key) {
            out.insert(key.to_owned(), clean(value));
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn prose_goes_and_field_names_stay() {
        let spec = json!({
            "info": {"title": "API", "description": "words"},
            "paths": {"/a": {"get": {
                "summary": "s", "description": "d", "tags": ["t"], "x-internal": true,
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "description": "d", "schema": {"type": "string", "example": "x"}}],
                "responses": {"200": {"description": "OK", "content": {"application/json":
                    {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
            }}},
            "components": {"schemas": {"Thing": {
                "title": "Thing", "type": "object", "required": ["description"],
                "properties": {"description": {"type": "string", "description": "prose",
                                               "default": {"description": "kept"}},
                               "status": {"enum": ["A", "B"], "examples": ["A"]}}
            }}}
        });
        assert_eq!(
            facts(&spec),
            json!({
                "paths": {"/a": {"get": {
                    "parameters": [{"name": "id", "in": "path", "required": true,
                                    "schema": {"type": "string"}}],
                    "responses": {"200": {"content": {"application/json":
                        {"schema": {"$ref": "#/components/schemas/Thing"}}}}}
                }}},
                "components": {"schemas": {"Thing": {
                    "type": "object", "required": ["description"],
                    "properties": {"description": {"type": "string", "default": {"description": "kept"}},
                                   "status": {"enum": ["A", "B"]}}
                }}}
            })
        );
    }
}
