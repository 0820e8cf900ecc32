//! The researcher's task as the wizard edits it: what participants are told, what they
//! see of each row, the questions, how many rows one participant does in a sitting,
//! and which known answers and checks go into each group ([`QualityChecks`]; the
//! mixing itself is [`super::checks`]).
//! It is Batchdesk's own shape (plain words, one entry per question); [`super::layout`]
//! turns it into Prolific's `batch_items`.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::text::Text;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TaskDesign {
    /// The title participants see.
    pub title: String,
    /// Basic HTML; cleaned of anything that could run before it is shown or sent.
    pub introduction: String,
    /// Basic HTML; cleaned of anything that could run before it is shown or sent.
    pub steps: String,
    /// What participants see of each row: layout rows of one or two data columns.
    pub data_rows: Vec<DataRow>,
    pub questions: Vec<Question>,
    /// Rows one participant does in one sitting (`tasks_per_group`).
    pub tasks_per_group: u32,
    /// Known-answer rows and attention checks mixed into every group.
    #[serde(default)]
    pub checks: QualityChecks,
}

impl Default for TaskDesign {
    fn default() -> Self {
        Self {
            title: String::new(),
            introduction: String::new(),
            steps: String::new(),
            data_rows: Vec::new(),
            questions: Vec::new(),
            tasks_per_group: 1,
            checks: QualityChecks::default(),
        }
    }
}

/// What the researcher chose to mix into every group. All zero: nothing is mixed, and
/// the data goes up as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QualityChecks {
    /// The hidden data column whose filled cells are known right answers.
    pub known_column: Option<String>,
    /// The question (its `key` in the design) those answers are for.
    pub known_question: Option<String>,
    /// Known-answer rows added to every group.
    pub known_per_group: u32,
    /// Attention checks added to every group.
    pub checks_per_group: u32,
    /// The question (its `key`) the checks ask about; `None` for the first choice
    /// question.
    pub check_question: Option<String>,
}

impl QualityChecks {
    /// Whether anything is mixed into the groups.
    #[must_use]
    pub fn mixes(&self) -> bool {
        self.mixes_known() || self.checks_per_group > 0
    }

    #[must_use]
    pub fn mixes_known(&self) -> bool {
        self.known_per_group > 0 && self.known_column.is_some()
    }

    /// Items each participant does beyond `tasks_per_group`.
    #[must_use]
    pub fn extra_per_group(&self) -> u32 {
        let known = if self.mixes_known() {
            self.known_per_group
        } else {
            0
        };
        known + self.checks_per_group
    }
}

/// One or two data columns (by name), side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DataRow {
    pub columns: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// Stable across edits, for the UI's lists; never sent to Prolific.
    pub key: String,
    /// The question itself, as participants read it.
    pub description: String,
    /// A hint under the question; empty for none.
    pub helper_text: String,
    pub kind: QuestionKind,
}

/// The five kinds of question Prolific offers, tagged by their item type in camelCase
/// (`freeText` for Prolific's `free_text`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum QuestionKind {
    MultipleChoice(MultipleChoice),
    /// Each option has its own explanation box, titled by the option's `heading`.
    MultipleChoiceWithFreeText(MultipleChoice),
    FreeText(FreeText),
    FreeTextWithUnit(FreeTextWithUnit),
    FileUpload(FileUpload),
}

/// Each question type as Batchdesk kept it before the IPC took one casing (Prolific's
/// snake_case item types), and as it is kept now.
const EARLIER_QUESTION_TYPES: [(&str, &str); 5] = [
    ("multiple_choice", "multipleChoice"),
    (
        "multiple_choice_with_free_text",
        "multipleChoiceWithFreeText",
    ),
    ("free_text", "freeText"),
    ("free_text_with_unit", "freeTextWithUnit"),
    ("file_upload", "fileUpload"),
];

/// Rewrites the question types of a design's JSON as an earlier Batchdesk kept it
/// (`free_text`) into today's spelling (`freeText`), so a design saved then reads as it
/// was. Types already spelt today's way, and JSON that is not a design, are left alone.
pub fn respell_earlier_question_types(design: &mut serde_json::Value) {
    let Some(questions) = design
        .get_mut("questions")
        .and_then(serde_json::Value::as_array_mut)
    else {
        return;
    };
    for question in questions {
        let Some(kind) = question.pointer_mut("/kind/type") else {
            continue;
        };
        let now = EARLIER_QUESTION_TYPES
            .iter()
            .find(|(earlier, _)| kind.as_str() == Some(earlier))
            .map(|(_, now)| *now);
        if let Some(now) = now {
            *kind = now.into();
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MultipleChoice {
    pub options: Vec<ChoiceOption>,
    /// 1 = one answer, -1 = any number, n = up to n.
    pub answer_limit: i32,
    /// Prolific shows five or more options as a dropdown unless this is false.
    pub allow_dropdown: bool,
    /// The dropdown's prompt; empty for Prolific's own.
    pub placeholder: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceOption {
    pub label: String,
    /// What the results record for this option.
    pub value: String,
    /// "None of these": choosing it clears the other choices.
    pub exclusive: bool,
    /// The title of this option's explanation box (choose-and-explain questions only).
    pub heading: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FreeText {
    pub placeholder: String,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FreeTextWithUnit {
    pub placeholder: String,
    pub units: Vec<UnitOption>,
    pub unit_position: UnitPosition,
    /// The value of the unit chosen at first; `None` for no default.
    pub default_unit: Option<String>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UnitOption {
    pub label: String,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum UnitPosition {
    /// Before the number (£ 12).
    Prefix,
    /// After the number (12 kg).
    Suffix,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileUpload {
    /// Extensions with a leading dot (`.jpg`).
    pub accepted_file_types: Vec<String>,
    pub max_file_size_mb: u32,
    pub min_file_count: u32,
    pub max_file_count: u32,
}

/// Something in the design that Prolific would refuse (or that would confuse
/// participants), said plainly and placed where the researcher can fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DesignIssue {
    pub section: IssueSection,
    /// The question's index, for `questions` issues about one question.
    pub question: Option<u32>,
    /// The field concerned (`title`, `options`, `answerLimit`, `defaultUnit`,
    /// `maxFileCount`, `dataRows`…), in the design's own names.
    pub field: String,
    /// What is wrong, from the catalogue (`checks:design.…`).
    pub message: Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum IssueSection {
    Details,
    Data,
    Questions,
    Setup,
}

impl DesignIssue {
    pub fn details(field: &str, message: Text) -> Self {
        Self {
            section: IssueSection::Details,
            question: None,
            field: field.to_owned(),
            message,
        }
    }

    pub fn data(message: Text) -> Self {
        Self {
            section: IssueSection::Data,
            question: None,
            field: "dataRows".to_owned(),
            message,
        }
    }

    pub fn question(index: usize, field: &str, message: Text) -> Self {
        Self {
            section: IssueSection::Questions,
            question: u32::try_from(index).ok(),
            field: field.to_owned(),
            message,
        }
    }

    pub fn setup(field: &str, message: Text) -> Self {
        Self {
            section: IssueSection::Setup,
            question: None,
            field: field.to_owned(),
            message,
        }
    }
}
