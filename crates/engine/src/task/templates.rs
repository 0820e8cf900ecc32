//! Task templates: the built-in starting points and the template files researchers save
//! and send to colleagues. A file is JSON with a format name and a version, so a later
//! Batchdesk can read today's files and today's Batchdesk refuses tomorrow's plainly.
//! The built-ins are stored in the same format (under `templates/`), so reading them
//! exercises the file reader.

use std::path::Path;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::design::{DataRow, TaskDesign, respell_earlier_question_types};
use super::html;
use super::rules::DataContext;

use crate::error_code::{Coded, ErrorCode};
use crate::text;
use crate::text::Text;

const FORMAT: &str = "batchdesk-task-template";
/// The version of the files this Batchdesk writes. 2: question types are camelCase
/// (`freeText`); files of version 1 spelt them as Prolific does (`free_text`) and are
/// respelt as they are read.
const VERSION: u32 = 2;

const BUILT_IN: [(&str, &str); 5] = [
    ("sentiment", include_str!("../../templates/sentiment.json")),
    (
        "preference",
        include_str!("../../templates/preference.json"),
    ),
    (
        "fact-check",
        include_str!("../../templates/fact-check.json"),
    ),
    (
        "image-labels",
        include_str!("../../templates/image-labels.json"),
    ),
    ("rating", include_str!("../../templates/rating.json")),
];

/// A template file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TemplateFile {
    pub format: String,
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub design: TaskDesign,
}

/// A built-in template, as the template menu lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSummary {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// A template fitted to the researcher's data, with what had to change.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppliedTemplate {
    pub name: String,
    pub design: TaskDesign,
    /// Plain sentences about what was adapted, other than the layout (`checks:template.…`).
    pub notes: Vec<Text>,
    /// Plain sentences about the layout: template columns the data does not have and no
    /// stand-in was found for. Answered once the researcher changes the layout.
    pub layout_notes: Vec<Text>,
    /// Columns the template names that the data lacks, each shown through the data's
    /// likeliest stand-in, for the researcher to confirm or change.
    pub column_choices: Vec<ColumnChoice>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum TemplateError {
    UnknownBuiltIn(String),
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    Write {
        file: String,
        #[source]
        source: std::io::Error,
    },
    NotATemplate {
        file: String,
    },
    TooNew {
        file: String,
        version: u32,
    },
}

impl Coded for TemplateError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::UnknownBuiltIn(_) => ErrorCode::Internal,
            Self::Read { .. } => ErrorCode::FileUnreadable,
            Self::Write { .. } => ErrorCode::FileNotWritten,
            Self::NotATemplate { .. } | Self::TooNew { .. } => ErrorCode::TemplateUnreadable,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::UnknownBuiltIn(id) => text!("errors:templates.unknownBuiltIn", id = id),
            Self::Read { file, source } => text!(
                "errors:templates.read",
                file = file,
                reason = source.to_string()
            ),
            Self::Write { file, source } => text!(
                "errors:templates.write",
                file = file,
                reason = source.to_string()
            ),
            Self::NotATemplate { file } => text!("errors:templates.notATemplate", file = file),
            Self::TooNew { file, version } => {
                text!("errors:templates.tooNew", file = file, version = version)
            }
        }
    }
}

pub fn built_in() -> Vec<TemplateSummary> {
    BUILT_IN
        .iter()
        .filter_map(|(id, json)| {
            let file = parse(json, id).ok()?;
            Some(TemplateSummary {
                id: (*id).to_owned(),
                name: file.name,
                description: file.description,
            })
        })
        .collect()
}

/// The built-in template `id`, fitted to the data.
pub fn apply_built_in(id: &str, data: &DataContext) -> Result<AppliedTemplate, TemplateError> {
    let json = BUILT_IN
        .iter()
        .find(|(known, _)| *known == id)
        .map(|(_, json)| *json)
        .ok_or_else(|| TemplateError::UnknownBuiltIn(id.to_owned()))?;
    Ok(fit(parse(json, id)?, data))
}

/// A template file a researcher chose, fitted to the data. Its HTML is cleaned: a file
/// from elsewhere is not trusted.
pub fn open(path: &Path, data: &DataContext) -> Result<AppliedTemplate, TemplateError> {
    let file = display_name(path);
    let text = std::fs::read_to_string(path).map_err(|source| TemplateError::Read {
        file: file.clone(),
        source,
    })?;
    Ok(fit(parse(&text, &file)?, data))
}

/// Saves `design` as a template file named `name`, written whole or not at all.
pub fn save(path: &Path, name: &str, design: &TaskDesign) -> Result<(), TemplateError> {
    let file = display_name(path);
    let template = TemplateFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        name: name.to_owned(),
        description: String::new(),
        design: design.clone(),
    };
    let write_error = |source| TemplateError::Write {
        file: file.clone(),
        source,
    };
    let json = serde_json::to_string_pretty(&template)
        .map_err(|error| write_error(std::io::Error::other(error)))?;
    let folder = path.parent().unwrap_or_else(|| Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder).map_err(write_error)?;
    std::io::Write::write_all(&mut temporary, json.as_bytes()).map_err(write_error)?;
    temporary
        .persist(path)
        .map_err(|error| write_error(error.error))?;
    Ok(())
}

fn parse(text: &str, file: &str) -> Result<TemplateFile, TemplateError> {
    #[derive(Deserialize)]
    struct Header {
        format: String,
        version: u32,
    }
    let not_a_template = || TemplateError::NotATemplate {
        file: file.to_owned(),
    };
    let header: Header = serde_json::from_str(text).map_err(|_| not_a_template())?;
    if header.format != FORMAT {
        return Err(not_a_template());
    }
    if header.version > VERSION {
        return Err(TemplateError::TooNew {
            file: file.to_owned(),
            version: header.version,
        });
    }
    let mut template: serde_json::Value =
        serde_json::from_str(text).map_err(|_| not_a_template())?;
    if header.version < 2
        && let Some(design) = template.get_mut("design")
    {
        respell_earlier_question_types(design);
    }
    serde_json::from_value(template).map_err(|_| not_a_template())
}

/// The template's design made safe and fitted to the data: HTML cleaned, question keys
/// fresh, and each data column the template names but the data lacks replaced by the
/// data's likeliest column for it (its longest text, or its image links), asked about
/// through a [`ColumnChoice`]. A column with no likely stand-in is left out; only when
/// nothing is left is every column shown, one per line, and said so.
fn fit(template: TemplateFile, data: &DataContext) -> AppliedTemplate {
    let mut design = template.design;
    let mut notes = Vec::new();
    let mut layout_notes = Vec::new();
    design.introduction = html::clean(&design.introduction);
    design.steps = html::clean(&design.steps);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    for (index, question) in design.questions.iter_mut().enumerate() {
        question.key = format!("q{stamp:x}-{index}");
    }
    let mut taken: Vec<String> = design
        .data_rows
        .iter()
        .flat_map(|row| row.columns.iter())
        .filter(|column| data.showable.contains(column))
        .cloned()
        .collect();
    let mut choices = Vec::new();
    let mut missing = Vec::new();
    for row in &mut design.data_rows {
        let mut fitted = Vec::new();
        for column in std::mem::take(&mut row.columns) {
            if data.showable.contains(&column) {
                fitted.push(column);
                continue;
            }
            let kind = ColumnRole::of(&column);
            match stand_in(kind, data, &taken) {
                Some(chosen) => {
                    taken.push(chosen.clone());
                    choices.push(ColumnChoice {
                        template_column: column,
                        role: kind,
                        chosen: chosen.clone(),
                    });
                    fitted.push(chosen);
                }
                None => missing.push(column),
            }
        }
        row.columns = fitted;
    }
    design.data_rows.retain(|row| !row.columns.is_empty());
    if !missing.is_empty() {
        let names = missing
            .iter()
            .map(|name| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ");
        // The names, quoted and separated by commas, are the template's own words.
        layout_notes.push(if design.data_rows.is_empty() {
            text!("checks:template.noColumnShown", names = names)
        } else {
            text!("checks:template.columnsLeftOut", names = names)
        });
    }
    if design.data_rows.is_empty() {
        design.data_rows = default_rows(data);
    }
    // A template's sitting may be longer than the data: one sitting of every row then.
    if let Some(rows) = data.rows.and_then(|rows| u32::try_from(rows).ok())
        && rows > 0
        && design.tasks_per_group > rows
    {
        design.tasks_per_group = rows;
    }
    if data.has_task_groups {
        notes.push(text!("checks:template.ownGroups"));
    }
    AppliedTemplate {
        name: template.name,
        design,
        notes,
        layout_notes,
        column_choices: choices,
    }
}

/// What a template's column is for, read from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum ColumnRole {
    /// Text participants read and judge.
    Text,
    /// A link to an image participants look at.
    Image,
}

impl ColumnRole {
    fn of(template_column: &str) -> Self {
        let name = template_column.to_lowercase();
        if ["image", "img", "photo", "picture"]
            .iter()
            .any(|word| name.contains(word))
        {
            Self::Image
        } else {
            Self::Text
        }
    }
}

/// A column the template names that the data lacks, and the data's column shown in its
/// place until the researcher says which one it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ColumnChoice {
    pub template_column: String,
    pub role: ColumnRole,
    pub chosen: String,
}

/// The data's likeliest column for a template column of `role`, among those not shown
/// yet: for an image, the first column of image links; for text, the column with the
/// longest values that is neither links to images, nor numbers only, nor named like an
/// identifier (`id`, `row_id`): showing those would bias the judgement or waste the
/// participant's attention.
fn stand_in(role: ColumnRole, data: &DataContext, taken: &[String]) -> Option<String> {
    let free = data
        .profiles
        .iter()
        .filter(|profile| !taken.contains(&profile.name));
    match role {
        ColumnRole::Image => free
            .into_iter()
            .find(|profile| profile.image_links)
            .map(|profile| profile.name.clone()),
        ColumnRole::Text => free
            .filter(|profile| {
                !profile.image_links && !profile.numbers_only && !looks_like_id(&profile.name)
            })
            .max_by_key(|profile| profile.max_length)
            .map(|profile| profile.name.clone()),
    }
}

fn looks_like_id(name: &str) -> bool {
    let name = name.to_lowercase();
    name == "id" || name.ends_with("_id") || name.ends_with(" id") || name == "uuid"
}

/// Every column participants can be shown, one per line, in the file's order.
pub fn default_rows(data: &DataContext) -> Vec<DataRow> {
    data.showable
        .iter()
        .map(|column| DataRow {
            columns: vec![column.clone()],
        })
        .collect()
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}
