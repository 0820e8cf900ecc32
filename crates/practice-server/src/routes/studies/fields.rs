//! The checks of a study's fields (`CreateStudy`, and a change to them): completion
//! codes, places per task, optional fields' types, participant-group filters, and the
//! defaults a stored study always has.

use serde_json::{Map, Value, json};

use crate::body::{FieldReader, whole_number};
use crate::model::Store;
use crate::routes::audience::{group_filter_problems, is_filter};

/// Reads `completion_codes`: absent means the default code. When given, each code must
/// follow the spec's rules for codes (`CreateStudy.completion_codes[].code`):
/// - `code`, `code_type` and `actions` are all present (the schema requires them);
/// - a `null` code is allowed only for the participant (the default actor), only as the
///   participant's one code, and only with no actions;
/// - no two codes of a study are the same.
///
/// And, for a Task Builder study, exactly one `COMPLETED` code whose actions approve or
/// send to review.
pub(super) fn completion_codes(fields: &mut FieldReader<'_, '_>, rng_code: String) -> Value {
    let Some(value) = fields.value("completion_codes") else {
        return json!([{
            "code": rng_code,
            "code_type": "COMPLETED",
            "actions": [{"action": "MANUALLY_REVIEW"}],
            "actor": "participant",
        }]);
    };
    let Some(codes) = value.as_array() else {
        fields.error("completion_codes", "Expected a list of items.");
        return Value::Null;
    };
    for problem in completion_code_problems(codes) {
        fields.error("completion_codes", problem);
    }
    let completed: Vec<&Value> = codes
        .iter()
        .filter(|code| code["code_type"] == "COMPLETED")
        .collect();
    let reviewed = |code: &&Value| {
        code["actions"].as_array().is_some_and(|actions| {
            actions.iter().any(|action| {
                matches!(
                    action["action"].as_str(),
                    Some("MANUALLY_REVIEW" | "AUTOMATICALLY_APPROVE")
                )
            })
        })
    };
    if completed.len() != 1 || !completed.iter().all(reviewed) {
        fields.error(
            "completion_codes",
            "A Task Builder study needs exactly one COMPLETED code whose action is MANUALLY_REVIEW or AUTOMATICALLY_APPROVE.",
        );
    }
    value.clone()
}

/// What the spec's prose forbids in a list of completion codes, one sentence each.
fn completion_code_problems(codes: &[Value]) -> Vec<String> {
    let mut problems = Vec::new();
    let actor = |code: &Value| code["actor"].as_str().unwrap_or("participant").to_owned();
    let participant_codes = codes
        .iter()
        .filter(|code| actor(code) == "participant")
        .count();
    let mut seen = std::collections::BTreeSet::new();
    for (index, code) in codes.iter().enumerate() {
        let place = index + 1;
        for field in ["code", "code_type", "actions"] {
            if code.get(field).is_none() {
                problems.push(format!("Code {place}: {field} is required."));
            }
        }
        match &code["code"] {
            Value::Null if code.get("code").is_some() => {
                let has_actions = code["actions"].as_array().is_some_and(|a| !a.is_empty());
                if actor(code) != "participant" || participant_codes > 1 || has_actions {
                    problems.push(format!(
                        "Code {place}: a null code is allowed only as the participant's one code, with no actions."
                    ));
                }
            }
            Value::String(text) if !seen.insert(text.clone()) => {
                problems.push(format!(
                    "Code {place}: \"{text}\" is used twice; codes must be unique in a study."
                ));
            }
            _ => {}
        }
    }
    problems
}

pub(super) fn annotators_per_task(fields: &mut FieldReader<'_, '_>) -> u64 {
    let Some(metadata) = fields.optional_object("data_collection_metadata") else {
        return 1;
    };
    match metadata.get("annotators_per_task") {
        None | Some(Value::Null) => 1,
        Some(value) => match whole_number(value).and_then(|count| u64::try_from(count).ok()) {
            Some(count) if count >= 1 => count,
            _ => {
                fields.error(
                    "data_collection_metadata.annotators_per_task",
                    "Must be a whole number of at least 1.",
                );
                1
            }
        },
    }
}

/// The optional fields of `CreateStudy`, when present, have their types (a study's
/// fields are echoed back, so nothing of the wrong type may be stored).
pub(super) fn check_optional_types(fields: &mut FieldReader<'_, '_>) {
    for field in [
        "internal_name",
        "metadata",
        "content_warning_details",
        "filter_set_id",
    ] {
        if fields.value(field).is_some_and(|value| !value.is_string()) {
            fields.error(field, "Not a valid string.");
        }
    }
    if let Some(minutes) = fields.value("maximum_allowed_time") {
        match (
            minutes.as_f64(),
            fields
                .value("estimated_completion_time")
                .and_then(Value::as_f64),
        ) {
            (Some(minutes), _) if minutes <= 0.0 => {
                fields.error("maximum_allowed_time", "Must be a number of minutes.");
            }
            // The spec's floor for the time allowed: 2 + 2t + 2√t minutes for an
            // estimate of t minutes.
            (Some(minutes), Some(estimate))
                if minutes < 2.0 + 2.0 * estimate + 2.0 * estimate.sqrt() =>
            {
                fields.error(
                    "maximum_allowed_time",
                    "Must be at least 2 + 2t + 2√t minutes for an estimate of t minutes.",
                );
            }
            (Some(_), _) => {}
            (None, _) => fields.error("maximum_allowed_time", "Must be a number of minutes."),
        }
    }
    for (field, allowed) in [
        ("device_compatibility", &["desktop", "tablet", "mobile"][..]),
        (
            "peripheral_requirements",
            &["audio", "camera", "download", "microphone"][..],
        ),
        ("content_warnings", &["sensitive", "explicit"][..]),
    ] {
        if let Some(value) = fields.value(field) {
            let fits = value.as_array().is_some_and(|items| {
                items
                    .iter()
                    .all(|item| item.as_str().is_some_and(|item| allowed.contains(&item)))
            });
            if !fits {
                fields.error(field, format!("Must be a list of: {}.", allowed.join(", ")));
            }
        }
    }
    if let Some(filters) = fields.value("filters")
        && !filters
            .as_array()
            .is_some_and(|filters| filters.iter().all(is_filter))
    {
        fields.error(
            "filters",
            "Expected a list of filters, each with a filter_id and selected_values, selected_range or selected_filters.",
        );
    }
    for field in ["study_labels", "access_details"] {
        if fields.value(field).is_some_and(|value| !value.is_array()) {
            fields.error(field, "Expected a list of items.");
        }
    }
    if fields.is_present("submissions_config") {
        fields.optional_object("submissions_config");
    }
}

/// Refuses (on `filters`) group filters that name groups the study cannot use.
pub(super) fn check_group_filters(
    fields: &mut FieldReader<'_, '_>,
    store: &Store,
    workspace_id: &str,
) {
    if let Some(filters) = fields.value("filters") {
        for problem in group_filter_problems(filters, store, workspace_id) {
            fields.error("filters", problem);
        }
    }
}

/// A `null` means "not given": it is dropped, and the fields every study has get their
/// defaults, so a stored study never holds a `null` where the spec wants a list.
pub(super) fn with_defaults(fields: &mut Map<String, Value>) {
    fields.retain(|_, value| !value.is_null());
    for (field, default) in [
        ("internal_name", Value::Null),
        ("device_compatibility", json!([])),
        ("peripheral_requirements", json!([])),
        ("filters", json!([])),
        (
            "submissions_config",
            json!({"max_submissions_per_participant": 1, "max_concurrent_submissions": -1}),
        ),
        ("study_labels", json!([])),
        ("content_warnings", json!([])),
        ("metadata", Value::Null),
    ] {
        fields.entry(field.to_owned()).or_insert(default);
    }
}
