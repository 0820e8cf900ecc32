//! The `batch_items` layout, typed (API-NOTES §4.4): pages → rows → 1 or 2 columns →
//! items top to bottom. These types serialize to exactly what Prolific reads; a batch's
//! `batch_items` field carries them as JSON (`serde_json::to_value`), so that what
//! Prolific answers (with server ids and item types this version does not know) is
//! still read leniently.

use serde::Serialize;

/// One participant screen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayoutPage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `intro` and `outro` pages render once, before or after the task loop; `body`
    /// (the default) repeats for every datapoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_position: Option<DisplayPosition>,
    pub rows: Vec<LayoutRow>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisplayPosition {
    Intro,
    Body,
    Outro,
}

/// One or two columns side by side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayoutRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub columns: Vec<LayoutColumn>,
}

/// Items rendered top to bottom.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LayoutColumn {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub items: Vec<LayoutItem>,
}

/// An item, discriminated by `type`. Instructions take no `order`: their place in the
/// layout is their order.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum LayoutItem {
    /// A field of the attached V4 dataset's schema (`text` or `image_url`).
    DatasetField {
        field: String,
    },
    /// An image by URL (HTTPS only).
    Image {
        url: String,
        alt_text: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        caption: Option<String>,
    },
    RichText {
        content: String,
        content_format: ContentFormat,
    },
    FreeText(FreeText),
    FreeTextWithUnit(FreeTextWithUnit),
    MultipleChoice(MultipleChoice),
    MultipleChoiceWithFreeText(MultipleChoice),
    FileUpload(FileUpload),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentFormat {
    Html,
    Markdown,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FreeText {
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helper_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder_text_input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationRule>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FreeTextWithUnit {
    pub description: String,
    pub unit_options: Vec<UnitOption>,
    pub unit_position: UnitPosition,
    /// Must equal one option's `value`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helper_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder_text_input: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitOption {
    pub label: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation: Option<ValidationRule>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitPosition {
    Prefix,
    Suffix,
}

/// `multiple_choice` and `multiple_choice_with_free_text` (whose options each need a
/// `heading`: the title of that option's free-text box).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MultipleChoice {
    pub description: String,
    /// 1 = one answer, -1 = any number, otherwise up to the number of options.
    pub answer_limit: i32,
    pub options: Vec<ChoiceOption>,
    /// With 5 or more options Prolific shows a dropdown unless this is true.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub disable_dropdown: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helper_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder_text_input: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChoiceOption {
    pub label: String,
    pub value: String,
    /// Selecting it clears the other choices ("none of these").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileUpload {
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub helper_text: Option<String>,
    /// Extensions with a leading dot.
    pub accepted_file_types: Vec<String>,
    pub max_file_size_mb: u32,
    pub min_file_count: u32,
    pub max_file_count: u32,
}

/// `{type, min, max}`: characters for `string` (whole numbers, written without a
/// decimal point), the value for `number`; `None` is no bound.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ValidationRule {
    #[serde(rename = "type")]
    pub kind: ValidationKind,
    pub min: Option<serde_json::Number>,
    pub max: Option<serde_json::Number>,
}

impl ValidationRule {
    /// A length in characters.
    pub fn characters(min: Option<u32>, max: Option<u32>) -> Self {
        Self {
            kind: ValidationKind::String,
            min: min.map(serde_json::Number::from),
            max: max.map(serde_json::Number::from),
        }
    }

    /// A numeric value; a bound that is not a finite number is left out.
    pub fn number(min: Option<f64>, max: Option<f64>) -> Self {
        let bound = |value: Option<f64>| value.and_then(serde_json::Number::from_f64);
        Self {
            kind: ValidationKind::Number,
            min: bound(min),
            max: bound(max),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationKind {
    Number,
    String,
}
