//! The `batch_items` layout (API-NOTES §4.3–4.4): pages → rows → 1 or 2 columns → items.
//! Validation answers Prolific's `422 INVALID_BATCH_ITEMS` with every issue located by
//! zero-based page/row/column/item; a valid layout comes back with a server id on every
//! page, row, column and item.

use std::collections::{BTreeMap, HashSet};

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::dataset_content::SchemaField;

const INSTRUCTION_TYPES: [&str; 5] = [
    "free_text",
    "free_text_with_unit",
    "multiple_choice",
    "multiple_choice_with_free_text",
    "file_upload",
];
const CONTENT_TYPES: [&str; 2] = ["rich_text", "image"];
const DEFAULT_MIN_FILE_COUNT: i64 = 1;
const DEFAULT_MAX_FILE_COUNT: i64 = 10;

/// What the layout is checked against.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct LayoutContext<'a> {
    /// The attached dataset's fields, when it is a V4 dataset with a schema. `None` means
    /// no `dataset_field` item is allowed.
    pub(crate) dataset_fields: Option<&'a BTreeMap<String, SchemaField>>,
    /// On update, the ids of the current layout: an entry that carries an id keeps it,
    /// and the id must name an existing entry of the same kind. On create this is `None`
    /// and every entry gets a fresh id.
    pub(crate) existing: Option<&'a ExistingIds>,
}

/// The ids of a stored layout, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ExistingIds {
    pages: HashSet<String>,
    rows: HashSet<String>,
    columns: HashSet<String>,
    items: HashSet<String>,
}

impl ExistingIds {
    pub(crate) fn of(layout: &[Value]) -> Self {
        let mut ids = Self::default();
        let id_of = |value: &Value| value.get("id").and_then(Value::as_str).map(str::to_owned);
        for page in layout {
            ids.pages.extend(id_of(page));
            for row in children(page, "rows") {
                ids.rows.extend(id_of(row));
                for column in children(row, "columns") {
                    ids.columns.extend(id_of(column));
                    for item in children(column, "items") {
                        ids.items.extend(id_of(item));
                    }
                }
            }
        }
        ids
    }
}

fn children<'v>(value: &'v Value, key: &str) -> &'v [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Where an issue is, zero-based. Entries above the item level (a page with no rows, a
/// row with three columns) report 0 for the levels below them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) page: usize,
    pub(crate) row: usize,
    pub(crate) column: usize,
    pub(crate) item: usize,
}

/// One entry of `issues` in `INVALID_BATCH_ITEMS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    pub(crate) at: Location,
    /// The item `type`, or `page`/`row`/`column` for a problem with the structure.
    pub(crate) kind: String,
    /// The dataset field, for `dataset_field` issues only.
    pub(crate) field: Option<String>,
    pub(crate) message: String,
}

impl Issue {
    fn to_json(&self) -> Value {
        let mut issue = json!({
            "page": self.at.page,
            "row": self.at.row,
            "column": self.at.column,
            "item": self.at.item,
            "type": self.kind,
            "message": self.message,
        });
        if let Some(field) = &self.field {
            issue["field"] = json!(field);
        }
        issue
    }
}

/// The `422 INVALID_BATCH_ITEMS` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvalidBatchItems {
    pub(crate) issues: Vec<Issue>,
}

impl InvalidBatchItems {
    pub(crate) fn message(&self) -> String {
        let count = self.issues.len();
        let first = self
            .issues
            .first()
            .map(|issue| issue.message.as_str())
            .unwrap_or_default();
        if count == 1 {
            format!("batch_items is invalid: {first}")
        } else {
            format!("batch_items is invalid ({count} issues). The first: {first}")
        }
    }
}

impl IntoResponse for InvalidBatchItems {
    fn into_response(self) -> Response {
        let body = json!({
            "type": "INVALID_BATCH_ITEMS",
            "message": self.message(),
            "issues": self.issues.iter().map(Issue::to_json).collect::<Vec<_>>(),
        });
        (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
    }
}

/// Checks a layout and returns it with ids assigned.
pub(crate) fn validate(
    pages: &[Value],
    context: LayoutContext<'_>,
) -> Result<Vec<Value>, InvalidBatchItems> {
    let mut checker = Checker {
        context,
        issues: Vec::new(),
        seen_ids: HashSet::new(),
    };
    if pages.is_empty() {
        checker.structure(
            Location::default(),
            "page",
            "batch_items needs at least one page.",
        );
    }
    for (page_index, page) in pages.iter().enumerate() {
        checker.page(page_index, page);
    }
    if !checker.issues.is_empty() {
        return Err(InvalidBatchItems {
            issues: checker.issues,
        });
    }
    let mut layout = pages.to_vec();
    assign_ids(&mut layout, context.existing.is_some());
    Ok(layout)
}

/// A layout that cannot be checked yet (a copy waiting for its new dataset) with fresh
/// ids on every entry, as Prolific answers a copy: its questions need ids for answers
/// to name them.
pub(crate) fn with_fresh_ids(pages: &[Value]) -> Vec<Value> {
    let mut layout = pages.to_vec();
    assign_ids(&mut layout, false);
    layout
}

/// How many instructions (questions) a layout holds: `total_instruction_count`.
pub(crate) fn instruction_count(layout: &[Value]) -> usize {
    layout
        .iter()
        .flat_map(|page| children(page, "rows"))
        .flat_map(|row| children(row, "columns"))
        .flat_map(|column| children(column, "items"))
        .filter(|item| {
            item.get("type")
                .and_then(Value::as_str)
                .is_some_and(|kind| INSTRUCTION_TYPES.contains(&kind))
        })
        .count()
}

/// Gives every entry an id: a fresh one on create; on update, a fresh one only where the
/// payload left it out (the checker has already vetted the ids it kept).
fn assign_ids(layout: &mut [Value], keep_given: bool) {
    fn stamp(value: &mut Value, keep_given: bool) {
        if let Some(object) = value.as_object_mut()
            && !(keep_given && object.get("id").is_some_and(Value::is_string))
        {
            object.insert(
                "id".to_owned(),
                json!(crate::ids::task_builder_id().to_string()),
            );
        }
    }
    fn children_mut<'v>(value: &'v mut Value, key: &str) -> &'v mut [Value] {
        match value.get_mut(key).and_then(Value::as_array_mut) {
            Some(array) => array.as_mut_slice(),
            None => &mut [],
        }
    }
    for page in layout {
        stamp(page, keep_given);
        for row in children_mut(page, "rows") {
            stamp(row, keep_given);
            for column in children_mut(row, "columns") {
                stamp(column, keep_given);
                for item in children_mut(column, "items") {
                    stamp(item, keep_given);
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Page,
    Row,
    Column,
    Item,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Self::Page => "page",
            Self::Row => "row",
            Self::Column => "column",
            Self::Item => "item",
        }
    }
}

struct Checker<'a> {
    context: LayoutContext<'a>,
    issues: Vec<Issue>,
    /// Ids already kept in this payload, so one id cannot be kept twice.
    seen_ids: HashSet<String>,
}

impl Checker<'_> {
    fn structure(&mut self, at: Location, kind: &str, message: impl Into<String>) {
        self.issues.push(Issue {
            at,
            kind: kind.to_owned(),
            field: None,
            message: message.into(),
        });
    }

    /// Checks an entry's `id` on update (on create any id is replaced, so none is wrong).
    fn id(&mut self, at: Location, level: Level, kind: &str, object: &Map<String, Value>) {
        let Some(existing) = self.context.existing else {
            return;
        };
        let Some(id) = object.get("id").filter(|id| !id.is_null()) else {
            return;
        };
        let Some(id) = id.as_str() else {
            self.structure(
                at,
                kind,
                format!("The {} id must be a string.", level.name()),
            );
            return;
        };
        let known = match level {
            Level::Page => &existing.pages,
            Level::Row => &existing.rows,
            Level::Column => &existing.columns,
            Level::Item => &existing.items,
        };
        if !known.contains(id) {
            self.structure(
                at,
                kind,
                format!(
                    "No {} of this batch has the id {id}. Leave the id out to add a new {}.",
                    level.name(),
                    level.name()
                ),
            );
        } else if !self.seen_ids.insert(id.to_owned()) {
            self.structure(at, kind, format!("The id {id} appears more than once."));
        }
    }

    fn page(&mut self, page_index: usize, page: &Value) {
        let at = Location {
            page: page_index,
            ..Location::default()
        };
        let Some(object) = page.as_object() else {
            self.structure(at, "page", "A page must be an object with \"rows\".");
            return;
        };
        self.id(at, Level::Page, "page", object);
        let position = match object.get("display_position") {
            None | Some(Value::Null) => "body",
            Some(Value::String(position))
                if ["intro", "outro", "body"].contains(&position.as_str()) =>
            {
                position.as_str()
            }
            Some(_) => {
                self.structure(
                    at,
                    "page",
                    "display_position must be \"intro\", \"outro\" or \"body\".",
                );
                "body"
            }
        };
        let Some(rows) = non_empty_array(object, "rows") else {
            self.structure(at, "page", "A page needs a non-empty \"rows\" array.");
            return;
        };
        let mut fields_on_page = HashSet::new();
        for (row_index, row) in rows.iter().enumerate() {
            let at = Location {
                row: row_index,
                ..at
            };
            let Some(row) = row.as_object() else {
                self.structure(at, "row", "A row must be an object with \"columns\".");
                continue;
            };
            self.id(at, Level::Row, "row", row);
            let Some(columns) = non_empty_array(row, "columns") else {
                self.structure(at, "row", "A row needs a non-empty \"columns\" array.");
                continue;
            };
            if columns.len() > 2 {
                self.structure(
                    at,
                    "row",
                    format!("A row has 1 or 2 columns; this one has {}.", columns.len()),
                );
            }
            for (column_index, column) in columns.iter().enumerate() {
                let at = Location {
                    column: column_index,
                    ..at
                };
                let Some(column) = column.as_object() else {
                    self.structure(at, "column", "A column must be an object with \"items\".");
                    continue;
                };
                self.id(at, Level::Column, "column", column);
                let Some(items) = non_empty_array(column, "items") else {
                    self.structure(at, "column", "A column needs a non-empty \"items\" array.");
                    continue;
                };
                for (item_index, item) in items.iter().enumerate() {
                    let at = Location {
                        item: item_index,
                        ..at
                    };
                    self.item(at, item, position, &mut fields_on_page);
                }
            }
        }
    }

    fn item(
        &mut self,
        at: Location,
        item: &Value,
        page_position: &str,
        fields_on_page: &mut HashSet<String>,
    ) {
        let Some(object) = item.as_object() else {
            self.structure(at, "item", "An item must be an object with a \"type\".");
            return;
        };
        let Some(kind) = object.get("type").and_then(Value::as_str) else {
            self.structure(at, "item", "Each item needs a \"type\".");
            return;
        };
        self.id(at, Level::Item, kind, object);
        let mut item = ItemCheck {
            object,
            problems: Vec::new(),
        };
        if page_position != "body" && !CONTENT_TYPES.contains(&kind) {
            item.problem(format!(
                "{page_position} pages may hold only rich_text and image items."
            ));
        }
        let mut field = None;
        match kind {
            "dataset_field" => field = self.dataset_field(&mut item, fields_on_page),
            "image" => {
                if let Some(url) = item.required_text("url")
                    && !is_https_url(url)
                {
                    item.problem("Image URLs must be absolute https:// URLs.");
                }
                item.required_text("alt_text");
                item.optional_text("caption");
            }
            "rich_text" => {
                item.required_text("content");
                item.optional_choice("content_format", &["html", "markdown"]);
            }
            "free_text" => {
                item.question();
                item.validation_rule(object.get("validation"), "validation");
            }
            "free_text_with_unit" => item.free_text_with_unit(),
            "multiple_choice" => item.multiple_choice(false),
            "multiple_choice_with_free_text" => item.multiple_choice(true),
            "file_upload" => item.file_upload(),
            other => item.problem(format!(
                "Unknown item type \"{other}\". Use dataset_field, image, rich_text, free_text, free_text_with_unit, multiple_choice, multiple_choice_with_free_text or file_upload."
            )),
        }
        for message in item.problems {
            self.issues.push(Issue {
                at,
                kind: kind.to_owned(),
                field: field.clone(),
                message,
            });
        }
    }

    /// Checks a `dataset_field` item against the attached dataset; returns the field name
    /// so issues can carry it.
    fn dataset_field(
        &self,
        item: &mut ItemCheck<'_>,
        fields_on_page: &mut HashSet<String>,
    ) -> Option<String> {
        let name = item.required_text("field")?.to_owned();
        match self.context.dataset_fields {
            None => item.problem(
                "dataset_field items need an attached V4 dataset with a schema (V3 datasets cannot be referenced).",
            ),
            Some(fields) => match fields.get(&name) {
                None => item.problem(format!(
                    "The attached dataset has no field \"{name}\"."
                )),
                Some(field) if !field.kind.is_displayable() => item.problem(format!(
                    "The field \"{name}\" is of type {} and cannot be shown to participants.",
                    field.kind.as_str()
                )),
                Some(_) => {}
            },
        }
        if !fields_on_page.insert(name.clone()) {
            item.problem(format!(
                "The field \"{name}\" is already shown on this page; each field may appear once per page."
            ));
        }
        Some(name)
    }
}

fn non_empty_array<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Vec<Value>> {
    object
        .get(key)
        .and_then(Value::as_array)
        .filter(|array| !array.is_empty())
}

fn is_https_url(url: &str) -> bool {
    url.strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/') && !rest.contains(' '))
}

/// The string form of an option or unit value, for comparing with `default_unit`.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(boolean) => Some(boolean.to_string()),
        _ => None,
    }
}

/// The problems of one item, gathered before they are located.
struct ItemCheck<'a> {
    object: &'a Map<String, Value>,
    problems: Vec<String>,
}

impl<'a> ItemCheck<'a> {
    fn problem(&mut self, message: impl Into<String>) {
        self.problems.push(message.into());
    }

    fn present(&self, key: &str) -> Option<&'a Value> {
        self.object.get(key).filter(|value| !value.is_null())
    }

    fn required_text(&mut self, key: &str) -> Option<&'a str> {
        match self.present(key) {
            None => {
                self.problem(format!("\"{key}\" is required."));
                None
            }
            Some(Value::String(text)) if text.trim().is_empty() => {
                self.problem(format!("\"{key}\" may not be blank."));
                None
            }
            Some(Value::String(text)) => Some(text),
            Some(_) => {
                self.problem(format!("\"{key}\" must be a string."));
                None
            }
        }
    }

    fn optional_text(&mut self, key: &str) {
        if self.present(key).is_some_and(|value| !value.is_string()) {
            self.problem(format!("\"{key}\" must be a string."));
        }
    }

    fn optional_bool(&mut self, key: &str) {
        if self.present(key).is_some_and(|value| !value.is_boolean()) {
            self.problem(format!("\"{key}\" must be true or false."));
        }
    }

    fn optional_choice(&mut self, key: &str, choices: &[&str]) {
        if let Some(value) = self.present(key)
            && !value.as_str().is_some_and(|text| choices.contains(&text))
        {
            self.problem(format!("\"{key}\" must be one of: {}.", choices.join(", ")));
        }
    }

    fn optional_integer(&mut self, key: &str) -> Option<i64> {
        let value = self.present(key)?;
        let integer = value.as_i64();
        if integer.is_none() {
            self.problem(format!("\"{key}\" must be an integer."));
        }
        integer
    }

    /// The fields every instruction has: a description and optional helper texts.
    fn question(&mut self) {
        self.required_text("description");
        self.optional_text("helper_text");
        self.optional_text("placeholder_text_input");
    }

    /// A `ValidationRule` (spec `ValidationRule`).
    fn validation_rule(&mut self, rule: Option<&Value>, name: &str) {
        let Some(rule) = rule.filter(|rule| !rule.is_null()) else {
            return;
        };
        let Some(rule) = rule.as_object() else {
            self.problem(format!("\"{name}\" must be an object."));
            return;
        };
        let kind = rule.get("type").and_then(Value::as_str);
        if !matches!(kind, Some("number" | "string")) {
            self.problem(format!("\"{name}.type\" must be \"number\" or \"string\"."));
        }
        let bound = |key: &str, check: &mut Self| -> Option<f64> {
            match rule.get(key) {
                None | Some(Value::Null) => None,
                Some(Value::Number(number)) => {
                    let value = number.as_f64();
                    if kind == Some("string")
                        && !value.is_some_and(|value| value >= 0.0 && value.fract() == 0.0)
                    {
                        check.problem(format!(
                            "\"{name}.{key}\" counts characters, so it must be a non-negative integer."
                        ));
                    }
                    value
                }
                Some(_) => {
                    check.problem(format!("\"{name}.{key}\" must be a number or null."));
                    None
                }
            }
        };
        let min = bound("min", self);
        let max = bound("max", self);
        if let (Some(min), Some(max)) = (min, max)
            && min > max
        {
            self.problem(format!(
                "\"{name}.min\" ({min}) is greater than \"{name}.max\" ({max})."
            ));
        }
    }

    fn free_text_with_unit(&mut self) {
        self.question();
        self.optional_choice("unit_position", &["prefix", "suffix"]);
        if self.present("unit_position").is_none() {
            self.problem("\"unit_position\" is required (\"prefix\" or \"suffix\").");
        }
        let Some(units) = self.present("unit_options") else {
            self.problem("\"unit_options\" is required.");
            return;
        };
        let Some(units) = units.as_array().filter(|units| !units.is_empty()) else {
            self.problem("\"unit_options\" must be a non-empty array.");
            return;
        };
        let mut values = Vec::new();
        for (index, unit) in units.iter().enumerate() {
            let Some(unit) = unit.as_object() else {
                self.problem(format!("unit_options[{index}] must be an object."));
                continue;
            };
            if !unit.get("label").is_some_and(Value::is_string) {
                self.problem(format!("unit_options[{index}].label is required."));
            }
            match unit.get("value").and_then(scalar_text) {
                Some(value) => values.push(value),
                None => self.problem(format!(
                    "unit_options[{index}].value is required (a string, number or boolean)."
                )),
            }
            self.validation_rule(
                unit.get("validation"),
                &format!("unit_options[{index}].validation"),
            );
        }
        if let Some(default) = self.present("default_unit") {
            match scalar_text(default) {
                Some(default) if values.contains(&default) => {}
                _ => self.problem(format!(
                    "default_unit {default} does not match the value of any entry in unit_options."
                )),
            }
        }
    }

    fn multiple_choice(&mut self, with_free_text: bool) {
        self.question();
        self.optional_bool("disable_dropdown");
        let answer_limit = match self.present("answer_limit") {
            None => {
                self.problem("\"answer_limit\" is required (1 for one answer, -1 for any number).");
                None
            }
            Some(_) => self.optional_integer("answer_limit"),
        };
        let Some(options) = self.present("options") else {
            self.problem("\"options\" is required.");
            return;
        };
        let Some(options) = options.as_array().filter(|options| !options.is_empty()) else {
            self.problem("\"options\" must be a non-empty array.");
            return;
        };
        let mut exclusive = 0;
        for (index, option) in options.iter().enumerate() {
            let Some(option) = option.as_object() else {
                self.problem(format!("options[{index}] must be an object."));
                continue;
            };
            if !option.get("label").is_some_and(Value::is_string) {
                self.problem(format!("options[{index}].label is required."));
            }
            if option.get("value").and_then(scalar_text).is_none() {
                self.problem(format!(
                    "options[{index}].value is required (a string, number or boolean)."
                ));
            }
            let heading_missing = option
                .get("heading")
                .and_then(Value::as_str)
                .is_none_or(|heading| heading.trim().is_empty());
            if with_free_text && heading_missing {
                self.problem(format!(
                    "options[{index}].heading is required for multiple_choice_with_free_text."
                ));
            }
            match option.get("exclusive") {
                None | Some(Value::Null) | Some(Value::Bool(false)) => {}
                Some(Value::Bool(true)) => exclusive += 1,
                Some(_) => {
                    self.problem(format!("options[{index}].exclusive must be true or false."))
                }
            }
        }
        if let Some(limit) = answer_limit {
            let count = options.len();
            if limit == 0 || limit < -1 {
                self.problem("answer_limit must be 1, -1 (no limit) or a number up to the number of options.");
            } else if usize::try_from(limit).is_ok_and(|limit| limit > count) {
                self.problem(format!(
                    "answer_limit ({limit}) is larger than the number of options ({count})."
                ));
            }
            if exclusive > 0 && limit == 1 {
                self.problem("Exclusive options are not allowed when answer_limit is 1.");
            }
        }
        if exclusive > 0 && exclusive == options.len() {
            self.problem("At least one option must not be exclusive.");
        }
    }

    fn file_upload(&mut self) {
        self.required_text("description");
        self.optional_text("helper_text");
        if let Some(types) = self.present("accepted_file_types") {
            let valid = types.as_array().is_some_and(|types| {
                types.iter().all(|kind| {
                    kind.as_str()
                        .is_some_and(|kind| kind.len() > 1 && kind.starts_with('.'))
                })
            });
            if !valid {
                self.problem("accepted_file_types must be a list of extensions that start with a dot, such as \".png\".");
            }
        }
        if let Some(size) = self.present("max_file_size_mb")
            && !size.as_f64().is_some_and(|size| size > 0.0)
        {
            self.problem("max_file_size_mb must be a number greater than 0.");
        }
        let min = self.optional_integer("min_file_count");
        let max = self.optional_integer("max_file_count");
        if min.is_some_and(|min| min < 0) {
            self.problem("min_file_count cannot be negative.");
        }
        if max.is_some_and(|max| max < 1) {
            self.problem("max_file_count must be at least 1.");
        }
        let min = min.unwrap_or(DEFAULT_MIN_FILE_COUNT);
        let max = max.unwrap_or(DEFAULT_MAX_FILE_COUNT);
        if min > max {
            self.problem(format!(
                "min_file_count ({min}) is greater than max_file_count ({max})."
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::dataset_content::FieldType;

    fn one_item(item: Value) -> Vec<Value> {
        vec![json!({ "rows": [ { "columns": [ { "items": [item] } ] } ] })]
    }

    fn issues(pages: &[Value], context: LayoutContext<'_>) -> Vec<Issue> {
        validate(pages, context).unwrap_err().issues
    }

    fn messages(item: Value) -> Vec<String> {
        issues(&one_item(item), LayoutContext::default())
            .into_iter()
            .map(|issue| issue.message)
            .collect()
    }

    fn schema_fields() -> BTreeMap<String, SchemaField> {
        [
            ("option_a", FieldType::Text),
            ("picture", FieldType::ImageUrl),
            ("source", FieldType::Metadata),
        ]
        .into_iter()
        .map(|(name, kind)| (name.to_owned(), SchemaField { kind, label: None }))
        .collect()
    }

    fn comparison_layout() -> Vec<Value> {
        serde_json::from_value(json!([ { "rows": [
            { "columns": [
                { "items": [ {"type":"rich_text","content":"**Option A**","content_format":"markdown"},
                             {"type":"dataset_field","field":"option_a"} ] },
                { "items": [ {"type":"image","url":"https://example.org/a.png","alt_text":"A picture"} ] } ] },
            { "columns": [ { "items": [
                {"type":"multiple_choice","description":"Which is better?","answer_limit":1,
                 "options":[{"label":"A","value":"a"},{"label":"B","value":"b"}]},
                {"type":"free_text","description":"Why?","validation":{"type":"string","min":10,"max":500}},
                {"type":"free_text_with_unit","description":"How long?","unit_position":"suffix",
                 "unit_options":[{"label":"minutes","value":"min"},{"label":"hours","value":"h"}],"default_unit":"min"},
                {"type":"multiple_choice_with_free_text","description":"Issues?","answer_limit":-1,
                 "options":[{"label":"Typos","value":1,"heading":"Which?"},{"label":"None","value":0,"heading":"-","exclusive":true}]},
                {"type":"file_upload","description":"Upload a screenshot","min_file_count":1,"max_file_count":2}
            ] } ] } ] } ]))
        .unwrap()
    }

    #[test]
    fn a_full_layout_is_accepted_and_every_entry_gets_an_id() {
        let fields = schema_fields();
        let context = LayoutContext {
            dataset_fields: Some(&fields),
            existing: None,
        };
        let layout = validate(&comparison_layout(), context).unwrap();
        let ids = ExistingIds::of(&layout);
        assert_eq!(
            (
                ids.pages.len(),
                ids.rows.len(),
                ids.columns.len(),
                ids.items.len()
            ),
            (1, 2, 3, 8)
        );
        assert_eq!(instruction_count(&layout), 5);
    }

    #[test]
    fn dataset_fields_need_a_v4_dataset_that_has_them_once_per_page() {
        let layout = one_item(json!({"type": "dataset_field", "field": "option_a"}));
        let found = issues(&layout, LayoutContext::default());
        assert_eq!(found[0].field.as_deref(), Some("option_a"));
        assert!(found[0].message.contains("V4"));

        let fields = schema_fields();
        let context = LayoutContext {
            dataset_fields: Some(&fields),
            existing: None,
        };
        let twice = vec![json!({ "rows": [
            { "columns": [ { "items": [ {"type": "dataset_field", "field": "option_a"} ] } ] },
            { "columns": [ { "items": [ {"type": "dataset_field", "field": "option_a"},
                                        {"type": "dataset_field", "field": "nope"},
                                        {"type": "dataset_field", "field": "source"} ] } ] }
        ]})];
        let found = issues(&twice, context);
        let located: Vec<_> = found
            .iter()
            .map(|issue| (issue.at.row, issue.at.item, issue.field.as_deref().unwrap()))
            .collect();
        assert_eq!(
            located,
            [(1, 0, "option_a"), (1, 1, "nope"), (1, 2, "source")]
        );
        // The same field on another page is fine.
        let mut two_pages = one_item(json!({"type": "dataset_field", "field": "option_a"}));
        two_pages.extend(one_item(
            json!({"type": "dataset_field", "field": "option_a"}),
        ));
        assert!(validate(&two_pages, context).is_ok());
    }

    #[test]
    fn issues_are_located_with_zero_based_indices_and_the_item_type() {
        let mut pages = comparison_layout();
        pages[0]["rows"][1]["columns"][0]["items"][0]["answer_limit"] = json!(3);
        let found = issues(
            &pages,
            LayoutContext {
                dataset_fields: Some(&schema_fields()),
                existing: None,
            },
        );
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].at,
            Location {
                page: 0,
                row: 1,
                column: 0,
                item: 0
            }
        );
        assert_eq!(found[0].kind, "multiple_choice");
        assert!(found[0].field.is_none());
        assert!(
            found[0]
                .message
                .contains("larger than the number of options")
        );
    }

    #[test]
    fn structure_problems_are_reported() {
        let three_columns = vec![json!({ "rows": [ { "columns": [
            {"items": [{"type":"rich_text","content":"a"}]},
            {"items": [{"type":"rich_text","content":"b"}]},
            {"items": [{"type":"rich_text","content":"c"}]} ] } ] })];
        assert_eq!(
            issues(&three_columns, LayoutContext::default())[0].kind,
            "row"
        );
        assert_eq!(issues(&[], LayoutContext::default())[0].kind, "page");
        assert_eq!(
            issues(&[json!({"rows": []})], LayoutContext::default())[0].kind,
            "page"
        );
        let empty_column = vec![json!({ "rows": [ { "columns": [ {"items": []} ] } ] })];
        assert_eq!(
            issues(&empty_column, LayoutContext::default())[0].kind,
            "column"
        );
        assert_eq!(
            messages(json!({"content": "x"})),
            ["Each item needs a \"type\"."]
        );
        assert!(messages(json!({"type": "video_narration"}))[0].contains("Unknown item type"));
    }

    #[test]
    fn each_item_type_requires_its_fields() {
        for item in [
            json!({"type": "image", "alt_text": "x"}),
            json!({"type": "image", "url": "https://a/b.png"}),
            json!({"type": "rich_text"}),
            json!({"type": "rich_text", "content": "x", "content_format": "rtf"}),
            json!({"type": "free_text"}),
            json!({"type": "free_text_with_unit", "description": "d", "unit_position": "suffix"}),
            json!({"type": "free_text_with_unit", "description": "d", "unit_options": [{"label":"m","value":"m"}]}),
            json!({"type": "multiple_choice", "description": "d", "options": [{"label":"a","value":"a"}]}),
            json!({"type": "multiple_choice", "description": "d", "answer_limit": 1}),
            json!({"type": "multiple_choice", "description": "d", "answer_limit": 1, "options": [{"label":"a"}]}),
            json!({"type": "multiple_choice_with_free_text", "description": "d", "answer_limit": 1,
                   "options": [{"label":"a","value":"a"}]}),
            json!({"type": "file_upload"}),
            json!({"type": "dataset_field"}),
        ] {
            assert!(
                !messages(item.clone()).is_empty(),
                "{item} should be refused"
            );
        }
    }

    #[test]
    fn answer_limits_and_exclusive_options_follow_the_rules() {
        let choice = |limit: i64, exclusive: [bool; 3]| {
            json!({"type": "multiple_choice", "description": "d", "answer_limit": limit,
                   "options": exclusive.iter().enumerate()
                       .map(|(index, exclusive)| json!({"label": "o", "value": index, "exclusive": exclusive}))
                       .collect::<Vec<_>>()})
        };
        let accepted = |item: Value| validate(&one_item(item), LayoutContext::default()).is_ok();
        assert!(accepted(choice(1, [false; 3])));
        assert!(accepted(choice(-1, [false, false, true])));
        assert!(accepted(choice(3, [false; 3])));
        assert!(!accepted(choice(4, [false; 3])));
        assert!(!accepted(choice(0, [false; 3])));
        assert!(!accepted(choice(-2, [false; 3])));
        assert!(!accepted(choice(1, [false, false, true])));
        assert!(!accepted(choice(-1, [true; 3])));
    }

    #[test]
    fn units_validation_rules_file_counts_and_image_urls_are_checked() {
        let unit = |default: Value| {
            json!({"type": "free_text_with_unit", "description": "d", "unit_position": "prefix",
                   "unit_options": [{"label": "£", "value": "gbp"}, {"label": "x2", "value": 2}],
                   "default_unit": default})
        };
        assert!(messages(unit(json!("usd")))[0].contains("default_unit"));
        assert!(validate(&one_item(unit(json!("gbp"))), LayoutContext::default()).is_ok());
        assert!(validate(&one_item(unit(json!(2))), LayoutContext::default()).is_ok());

        let rule =
            |rule: Value| json!({"type": "free_text", "description": "d", "validation": rule});
        assert!(!messages(rule(json!({"type": "string", "min": 5, "max": 2}))).is_empty());
        assert!(!messages(rule(json!({"type": "string", "min": 1.5}))).is_empty());
        assert!(!messages(rule(json!({"type": "date"}))).is_empty());
        assert!(
            validate(
                &one_item(rule(json!({"type": "number", "min": -1.5, "max": null}))),
                LayoutContext::default()
            )
            .is_ok()
        );

        let files = |item: Value| messages(item);
        assert!(files(json!({"type": "file_upload", "description": "d", "min_file_count": 3, "max_file_count": 2}))[0]
            .contains("greater than max_file_count"));
        assert!(
            !files(json!({"type": "file_upload", "description": "d", "min_file_count": 11}))
                .is_empty()
        );
        assert!(
            !files(
                json!({"type": "file_upload", "description": "d", "accepted_file_types": ["png"]})
            )
            .is_empty()
        );

        assert!(
            messages(json!({"type": "image", "url": "http://a/b.png", "alt_text": "x"}))[0]
                .contains("https")
        );
    }

    #[test]
    fn intro_and_outro_pages_hold_only_content() {
        let mut pages = one_item(json!({"type": "free_text", "description": "d"}));
        pages[0]["display_position"] = json!("intro");
        assert!(
            issues(&pages, LayoutContext::default())[0]
                .message
                .contains("intro pages")
        );
        pages[0]["rows"][0]["columns"][0]["items"][0] =
            json!({"type": "rich_text", "content": "Welcome"});
        assert!(validate(&pages, LayoutContext::default()).is_ok());
    }

    #[test]
    fn on_update_given_ids_are_kept_and_unknown_or_repeated_ids_refused() {
        let stored = validate(
            &comparison_layout(),
            LayoutContext {
                dataset_fields: Some(&schema_fields()),
                existing: None,
            },
        )
        .unwrap();
        let existing = ExistingIds::of(&stored);
        let fields = schema_fields();
        let context = LayoutContext {
            dataset_fields: Some(&fields),
            existing: Some(&existing),
        };
        let mut update = stored.clone();
        let kept_item = update[0]["rows"][1]["columns"][0]["items"][0]["id"].clone();
        // Drop an item and add a new one without an id.
        let items = update[0]["rows"][1]["columns"][0]["items"]
            .as_array_mut()
            .unwrap();
        items.remove(1);
        items.push(json!({"type": "free_text", "description": "New question"}));
        let updated = validate(&update, context).unwrap();
        let new_items = updated[0]["rows"][1]["columns"][0]["items"]
            .as_array()
            .unwrap();
        assert_eq!(new_items[0]["id"], kept_item);
        let new_id = new_items.last().unwrap()["id"].as_str().unwrap();
        assert!(!existing.items.contains(new_id));

        let mut unknown = stored.clone();
        unknown[0]["rows"][0]["id"] = json!("not-an-id-of-this-batch");
        assert_eq!(issues(&unknown, context)[0].kind, "row");

        let mut repeated = stored.clone();
        let first_item_id = repeated[0]["rows"][1]["columns"][0]["items"][0]["id"].clone();
        repeated[0]["rows"][1]["columns"][0]["items"][1]["id"] = first_item_id;
        assert!(
            issues(&repeated, context)[0]
                .message
                .contains("more than once")
        );

        // On create, ids in the payload are replaced rather than refused.
        let created = validate(
            &stored,
            LayoutContext {
                dataset_fields: Some(&fields),
                existing: None,
            },
        )
        .unwrap();
        assert_ne!(created[0]["id"], stored[0]["id"]);
    }

    #[test]
    fn the_422_body_has_prolifics_shape() {
        let error = validate(&[], LayoutContext::default()).unwrap_err();
        let response = error.into_response();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
