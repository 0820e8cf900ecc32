//! The compact in-memory model of a batch's responses: per question, the answers each
//! item (Prolific's task, one datapoint) received, with who gave them.
//!
//! Every repeated string (task ids, question ids, participant ids, option values) is
//! interned once and referred to by a `u32`, so a million answers take tens of
//! megabytes, not hundreds. A multiple-choice answer is stored as an interned *set* of
//! option values, so comparing two answers is comparing two integers.

use std::hash::Hash;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use specta::Type;

/// Strings seen once each, numbered in order of first appearance.
#[derive(Debug)]
struct Interner<K> {
    ids: FxHashMap<K, u32>,
    values: Vec<K>,
}

impl<K> Default for Interner<K> {
    fn default() -> Self {
        Self {
            ids: FxHashMap::default(),
            values: Vec::new(),
        }
    }
}

impl<K: Hash + Eq + Clone> Interner<K> {
    fn intern<Q>(&mut self, key: &Q) -> u32
    where
        K: std::borrow::Borrow<Q> + for<'q> From<&'q Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        // More than four billion distinct strings cannot come from one batch.
        let id = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        let owned = K::from(key);
        self.values.push(owned.clone());
        self.ids.insert(owned, id);
        id
    }

    fn get(&self, id: u32) -> Option<&K> {
        self.values.get(id as usize)
    }

    fn len(&self) -> usize {
        self.values.len()
    }
}

/// An item (a task: one datapoint shown to several people), numbered in order of first
/// appearance in the responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemId(pub u32);

/// A participant, numbered in order of first appearance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParticipantId(pub u32);

/// One distinct set of chosen option values (a single choice is a set of one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChoiceSetId(pub u32);

/// The kind of question, from the response's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
// The task design has its own `QuestionKind`; TypeScript gets this one as `AnswerKind`.
#[serde(rename = "AnswerKind", rename_all = "camelCase")]
pub enum QuestionKind {
    MultipleChoice,
    MultipleChoiceWithFreeText,
    FreeText,
    FreeTextWithUnit,
    FileUpload,
    /// A type this version does not know; its answers are kept as text.
    Other,
}

impl QuestionKind {
    /// Reads Prolific's `response.type`.
    #[must_use]
    pub fn from_api(kind: &str) -> Self {
        match kind {
            "multiple_choice" => Self::MultipleChoice,
            "multiple_choice_with_free_text" => Self::MultipleChoiceWithFreeText,
            "free_text" => Self::FreeText,
            "free_text_with_unit" => Self::FreeTextWithUnit,
            "file_upload" => Self::FileUpload,
            _ => Self::Other,
        }
    }

    /// Prolific's `response.type` for this kind (`other` for a type this version does
    /// not know).
    #[must_use]
    pub fn api_name(self) -> &'static str {
        match self {
            Self::MultipleChoice => "multiple_choice",
            Self::MultipleChoiceWithFreeText => "multiple_choice_with_free_text",
            Self::FreeText => "free_text",
            Self::FreeTextWithUnit => "free_text_with_unit",
            Self::FileUpload => "file_upload",
            Self::Other => "other",
        }
    }

    /// Whether answers are options picked from a list, so agreement can be measured.
    #[must_use]
    pub fn is_choice(self) -> bool {
        matches!(
            self,
            Self::MultipleChoice | Self::MultipleChoiceWithFreeText
        )
    }
}

/// What one participant answered to one question for one item.
#[derive(Clone, Debug, PartialEq)]
pub enum AnswerValue {
    /// The chosen options, as one set; the explanations typed beside them
    /// (`multiple_choice_with_free_text`), in the order given, when there were any.
    Choice {
        set: ChoiceSetId,
        explanations: Option<Box<[Box<str>]>>,
    },
    Text(Box<str>),
    TextWithUnit {
        value: Box<str>,
        unit: Option<Box<str>>,
    },
    /// The uploaded files' names.
    Files(Box<[Box<str>]>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub item: ItemId,
    pub participant: ParticipantId,
    pub value: AnswerValue,
}

/// One question (Prolific's instruction) and every answer it received, sorted by item
/// then participant once the set is finished.
#[derive(Clone, Debug)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    pub answers: Vec<Answer>,
}

/// One answer as read, before interning; strings are borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug)]
pub enum NewAnswer<'a> {
    Choice {
        values: &'a [&'a str],
        explanations: &'a [&'a str],
    },
    Text(&'a str),
    TextWithUnit {
        value: &'a str,
        unit: Option<&'a str>,
    },
    Files(&'a [&'a str]),
}

/// Every response of a batch, ready for analysis. Built with [`ResponseSetBuilder`] or
/// read by the functions of [`super::parse`].
#[derive(Debug)]
pub struct ResponseSet {
    items: Interner<Box<str>>,
    participants: Interner<Box<str>>,
    option_values: Interner<Box<str>>,
    choice_sets: Interner<Box<[u32]>>,
    questions: Vec<Question>,
    /// Records read that could not be used (no task, participant or question id, or
    /// marked `no_submission`).
    pub skipped_records: u64,
    /// Second answers by the same participant to the same question and item; the first
    /// is kept.
    pub duplicate_answers: u64,
    /// Answers with nothing in them (an empty `answer` list).
    pub empty_answers: u64,
}

impl ResponseSet {
    #[must_use]
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    #[must_use]
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    #[must_use]
    pub fn participant_count(&self) -> usize {
        self.participants.len()
    }

    /// Prolific's task id of an item.
    #[must_use]
    pub fn task_id(&self, item: ItemId) -> &str {
        self.items.get(item.0).map_or("", |id| id)
    }

    /// The item with this task id, if it was answered.
    #[must_use]
    pub fn item(&self, task_id: &str) -> Option<ItemId> {
        self.items.ids.get(task_id).copied().map(ItemId)
    }

    #[must_use]
    pub fn participant_id(&self, participant: ParticipantId) -> &str {
        self.participants.get(participant.0).map_or("", |id| id)
    }

    /// The option values of a choice set, in the order they were first seen (which
    /// depends on reading order; see [`Self::choice_label`] for a stable one).
    pub fn choice_values(&self, set: ChoiceSetId) -> impl Iterator<Item = &str> {
        self.choice_sets
            .get(set.0)
            .into_iter()
            .flatten()
            .filter_map(|&value| self.option_values.get(value).map(|value| &**value))
    }

    /// A choice set as one label: its values sorted, joined with `; ` (as Prolific's
    /// report joins them). Sorted, so the same answers read in another order (the
    /// responses JSON and the export list them differently) give the same label.
    #[must_use]
    pub fn choice_label(&self, set: ChoiceSetId) -> String {
        let mut values: Vec<&str> = self.choice_values(set).collect();
        values.sort_unstable();
        values.join("; ")
    }

    /// How many distinct option values and sets were seen, for sizing tables.
    #[must_use]
    pub fn choice_set_count(&self) -> usize {
        self.choice_sets.len()
    }

    /// The interned option value ids of a set (for counting single options).
    #[must_use]
    pub fn choice_set_members(&self, set: ChoiceSetId) -> &[u32] {
        self.choice_sets.get(set.0).map_or(&[], |members| members)
    }

    #[must_use]
    pub fn option_value(&self, value: u32) -> &str {
        self.option_values.get(value).map_or("", |value| value)
    }

    #[must_use]
    pub fn option_value_count(&self) -> usize {
        self.option_values.len()
    }

    /// An answer as text: options joined with `; ` (sorted, as in [`Self::choice_label`])
    /// with any explanations after them in brackets, numbers with their unit after them,
    /// file names joined with `; `.
    #[must_use]
    pub fn answer_text(&self, value: &AnswerValue) -> String {
        match value {
            AnswerValue::Choice {
                set: chosen,
                explanations,
            } => {
                let label = self.choice_label(*chosen);
                match explanations {
                    Some(explanations) if !explanations.is_empty() => {
                        format!("{label} ({})", explanations.join("; "))
                    }
                    _ => label,
                }
            }
            AnswerValue::Text(text) => text.to_string(),
            AnswerValue::TextWithUnit { value, unit } => match unit {
                Some(unit) => format!("{value} {unit}"),
                None => value.to_string(),
            },
            AnswerValue::Files(names) => names.join("; "),
        }
    }
}

/// The order in which a set numbered its items, people, option values and answer sets.
/// The analysis adds figures up in that order, so a set written out and read back with
/// its numbering (see [`ResponseSetBuilder::number_first`]) gives the same figures to the
/// last bit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Numbering {
    pub tasks: Vec<String>,
    pub participants: Vec<String>,
    pub options: Vec<String>,
    /// Each answer set as indexes into `options`, sorted.
    pub answer_sets: Vec<Vec<u32>>,
}

impl ResponseSet {
    /// How this set numbered everything, for reading its answers back the same way.
    #[must_use]
    pub fn numbering(&self) -> Numbering {
        let texts = |values: &[Box<str>]| values.iter().map(|value| value.to_string()).collect();
        Numbering {
            tasks: texts(&self.items.values),
            participants: texts(&self.participants.values),
            options: texts(&self.option_values.values),
            answer_sets: self
                .choice_sets
                .values
                .iter()
                .map(|members| members.to_vec())
                .collect(),
        }
    }
}

/// Collects answers one at a time, then sorts and de-duplicates them in [`Self::finish`].
#[derive(Debug)]
pub struct ResponseSetBuilder {
    set: ResponseSet,
    question_ids: FxHashMap<Box<str>, usize>,
    scratch: Vec<u32>,
}

impl Default for ResponseSetBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ResponseSetBuilder {
    #[must_use]
    pub fn new() -> Self {
        Self {
            set: ResponseSet {
                items: Interner::default(),
                participants: Interner::default(),
                option_values: Interner::default(),
                choice_sets: Interner::default(),
                questions: Vec::new(),
                skipped_records: 0,
                duplicate_answers: 0,
                empty_answers: 0,
            },
            question_ids: FxHashMap::default(),
            scratch: Vec::new(),
        }
    }

    /// Numbers the items, people, option values and answer sets of `numbering` first, in
    /// its order, before any answer is added: answers then read get the numbers the set
    /// that wrote them had.
    pub fn number_first(&mut self, numbering: &Numbering) {
        for task in &numbering.tasks {
            self.set.items.intern(task.as_str());
        }
        for participant in &numbering.participants {
            self.set.participants.intern(participant.as_str());
        }
        let options: Vec<u32> = numbering
            .options
            .iter()
            .map(|option| self.set.option_values.intern(option.as_str()))
            .collect();
        for members in &numbering.answer_sets {
            let mut ids: Vec<u32> = members
                .iter()
                .filter_map(|&member| options.get(member as usize).copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            self.set.choice_sets.intern(&ids[..]);
        }
    }

    /// Adds one participant's answer to one question for one task. The question's kind
    /// is the one it was first seen with.
    pub fn add(
        &mut self,
        task_id: &str,
        question_id: &str,
        kind: QuestionKind,
        participant_id: &str,
        answer: NewAnswer<'_>,
    ) {
        let value = match answer {
            NewAnswer::Choice {
                values,
                explanations,
            } => {
                if values.is_empty() {
                    self.set.empty_answers += 1;
                    return;
                }
                self.scratch.clear();
                self.scratch.extend(
                    values
                        .iter()
                        .map(|value| self.set.option_values.intern(*value)),
                );
                // The same options in any order are the same answer.
                self.scratch.sort_unstable();
                self.scratch.dedup();
                let set = ChoiceSetId(self.set.choice_sets.intern(&self.scratch[..]));
                let explanations = (!explanations.is_empty())
                    .then(|| explanations.iter().map(|text| Box::from(*text)).collect());
                AnswerValue::Choice { set, explanations }
            }
            NewAnswer::Text(text) => AnswerValue::Text(text.into()),
            NewAnswer::TextWithUnit { value, unit } => AnswerValue::TextWithUnit {
                value: value.into(),
                unit: unit.map(Box::from),
            },
            NewAnswer::Files(names) => {
                AnswerValue::Files(names.iter().map(|name| Box::from(*name)).collect())
            }
        };
        let item = ItemId(self.set.items.intern(task_id));
        let participant = ParticipantId(self.set.participants.intern(participant_id));
        let question = match self.question_ids.get(question_id) {
            Some(&index) => index,
            None => {
                let index = self.set.questions.len();
                self.set.questions.push(Question {
                    id: question_id.to_owned(),
                    kind,
                    answers: Vec::new(),
                });
                self.question_ids.insert(question_id.into(), index);
                index
            }
        };
        if let Some(question) = self.set.questions.get_mut(question) {
            question.answers.push(Answer {
                item,
                participant,
                value,
            });
        }
    }

    /// Counts a record that could not be used.
    pub fn skip_record(&mut self) {
        self.set.skipped_records += 1;
    }

    /// Sorts every question's answers by item then participant and keeps the first
    /// answer of a participant to a question for an item (a re-sent record must not
    /// count twice in agreement).
    #[must_use]
    pub fn finish(mut self) -> ResponseSet {
        for question in &mut self.set.questions {
            // Stable, so the first answer read stays first among duplicates.
            question
                .answers
                .sort_by_key(|answer| (answer.item, answer.participant));
            let before = question.answers.len();
            question
                .answers
                .dedup_by_key(|answer| (answer.item, answer.participant));
            self.set.duplicate_answers += (before - question.answers.len()) as u64;
            question.answers.shrink_to_fit();
        }
        self.set
    }
}

/// Answers of one set moved into another by [`ResponseSet::with_answers_of`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AddedAnswers {
    /// Answers placed on an item and question of this set.
    pub added: u64,
    /// Answers whose item or question has no place in this set, left out.
    pub left_out: u64,
}

impl ResponseSet {
    /// This set with `other`'s answers added: `place(task id, question id)` names the
    /// task and question of this set each of `other`'s answers belongs to, or `None` to
    /// leave it out. This set's items, people and questions keep their order and come
    /// first, so where one person answered the same question for the same item in both,
    /// this set's answer is the one kept.
    #[must_use]
    pub fn with_answers_of(
        &self,
        other: &ResponseSet,
        place: impl Fn(&str, &str) -> Option<(String, String)>,
    ) -> (ResponseSet, AddedAnswers) {
        let mut builder = ResponseSetBuilder::new();
        self.copy_into(&mut builder, |task, question| {
            Some((task.to_owned(), question.to_owned()))
        });
        let counted = other.copy_into(&mut builder, place);
        let mut merged = builder.finish();
        merged.skipped_records += self.skipped_records + other.skipped_records;
        merged.duplicate_answers += self.duplicate_answers + other.duplicate_answers;
        merged.empty_answers += self.empty_answers + other.empty_answers;
        (merged, counted)
    }

    /// This set with each answer moved to the task and question `place` names, or left
    /// out where it names none (order kept; duplicates after moving: the first is kept).
    #[must_use]
    pub fn rearranged(
        &self,
        place: impl Fn(&str, &str) -> Option<(String, String)>,
    ) -> ResponseSet {
        let mut builder = ResponseSetBuilder::new();
        self.copy_into(&mut builder, place);
        let mut arranged = builder.finish();
        arranged.skipped_records += self.skipped_records;
        arranged.empty_answers += self.empty_answers;
        arranged.duplicate_answers += self.duplicate_answers;
        arranged
    }

    fn copy_into(
        &self,
        builder: &mut ResponseSetBuilder,
        place: impl Fn(&str, &str) -> Option<(String, String)>,
    ) -> AddedAnswers {
        let mut counted = AddedAnswers::default();
        for question in &self.questions {
            for answer in &question.answers {
                let Some((task, question_id)) = place(self.task_id(answer.item), &question.id)
                else {
                    counted.left_out += 1;
                    continue;
                };
                counted.added += 1;
                let participant = self.participant_id(answer.participant);
                match &answer.value {
                    AnswerValue::Choice { set, explanations } => {
                        let values: Vec<&str> = self.choice_values(*set).collect();
                        let explanations =
                            explanations.as_deref().map(borrowed).unwrap_or_default();
                        builder.add(
                            &task,
                            &question_id,
                            question.kind,
                            participant,
                            NewAnswer::Choice {
                                values: &values,
                                explanations: &explanations,
                            },
                        );
                    }
                    AnswerValue::Text(value) => builder.add(
                        &task,
                        &question_id,
                        question.kind,
                        participant,
                        NewAnswer::Text(value),
                    ),
                    AnswerValue::TextWithUnit { value, unit } => builder.add(
                        &task,
                        &question_id,
                        question.kind,
                        participant,
                        NewAnswer::TextWithUnit {
                            value,
                            unit: unit.as_deref(),
                        },
                    ),
                    AnswerValue::Files(names) => builder.add(
                        &task,
                        &question_id,
                        question.kind,
                        participant,
                        NewAnswer::Files(&borrowed(names)),
                    ),
                }
            }
        }
        counted
    }
}

fn borrowed(texts: &[Box<str>]) -> Vec<&str> {
    texts.iter().map(|text| &**text).collect()
}

/// A set from `(task, participant, option)` answers to one single-choice question, `q`:
/// the smallest input the analyses' tests build their cases from.
#[cfg(test)]
pub(crate) fn one_choice_question(answers: &[(&str, &str, &str)]) -> ResponseSet {
    let mut builder = ResponseSetBuilder::new();
    for &(task, person, option) in answers {
        builder.add(
            task,
            "q",
            QuestionKind::MultipleChoice,
            person,
            NewAnswer::Choice {
                values: &[option],
                explanations: &[],
            },
        );
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_sets_answers_are_added_where_they_belong_and_this_sets_come_first() {
        let mut full = ResponseSetBuilder::new();
        let choice = |values: &'static [&'static str]| NewAnswer::Choice {
            values,
            explanations: &[],
        };
        full.add(
            "t1",
            "q",
            QuestionKind::MultipleChoice,
            "p1",
            choice(&["a"]),
        );
        full.add(
            "t2",
            "q",
            QuestionKind::MultipleChoice,
            "p1",
            choice(&["b"]),
        );
        full.add(
            "t1",
            "n",
            QuestionKind::FreeTextWithUnit,
            "p1",
            NewAnswer::TextWithUnit {
                value: "3",
                unit: Some("kg"),
            },
        );
        let full = full.finish();
        let mut pilot = ResponseSetBuilder::new();
        pilot.add(
            "x1",
            "pq",
            QuestionKind::MultipleChoice,
            "p9",
            choice(&["b", "a"]),
        );
        pilot.add(
            "x1",
            "pn",
            QuestionKind::FreeTextWithUnit,
            "p9",
            NewAnswer::TextWithUnit {
                value: "4",
                unit: None,
            },
        );
        pilot.add(
            "x1",
            "gone",
            QuestionKind::FreeText,
            "p9",
            NewAnswer::Text("?"),
        );
        pilot.add(
            "x2",
            "pq",
            QuestionKind::MultipleChoice,
            "p9",
            choice(&["a"]),
        );
        // p1 in the pilot too, on the same item and question: the full study's answer stays.
        pilot.add(
            "x1",
            "pq",
            QuestionKind::MultipleChoice,
            "p1",
            choice(&["b"]),
        );
        let pilot = pilot.finish();
        let (merged, counted) = full.with_answers_of(&pilot, |task, question| {
            let task = match task {
                "x1" => "t1",
                _ => return None,
            };
            let question = match question {
                "pq" => "q",
                "pn" => "n",
                _ => return None,
            };
            Some((task.to_owned(), question.to_owned()))
        });
        assert_eq!(
            counted,
            AddedAnswers {
                added: 3,
                left_out: 2
            }
        );
        assert_eq!(merged.duplicate_answers, 1);
        assert_eq!(merged.item_count(), 2);
        assert_eq!(merged.participant_count(), 2);
        let q = &merged.questions()[0];
        assert_eq!(q.id, "q");
        let on_t1: Vec<String> = q
            .answers
            .iter()
            .filter(|answer| merged.task_id(answer.item) == "t1")
            .map(|answer| {
                format!(
                    "{}={}",
                    merged.participant_id(answer.participant),
                    merged.answer_text(&answer.value)
                )
            })
            .collect();
        assert_eq!(on_t1, ["p1=a", "p9=a; b"]);
        let n = &merged.questions()[1];
        assert_eq!(n.answers.len(), 2);
        assert_eq!(
            n.answers[1].value,
            AnswerValue::TextWithUnit {
                value: "4".into(),
                unit: None
            }
        );
    }

    #[test]
    fn choices_in_any_order_are_one_set_and_duplicates_keep_the_first() {
        let mut builder = ResponseSetBuilder::new();
        let choice = |values: &'static [&'static str]| NewAnswer::Choice {
            values,
            explanations: &[],
        };
        builder.add(
            "t1",
            "q",
            QuestionKind::MultipleChoice,
            "p1",
            choice(&["b", "a"]),
        );
        builder.add(
            "t1",
            "q",
            QuestionKind::MultipleChoice,
            "p2",
            choice(&["a", "b"]),
        );
        builder.add(
            "t1",
            "q",
            QuestionKind::MultipleChoice,
            "p1",
            choice(&["c"]),
        );
        builder.add("t2", "q", QuestionKind::MultipleChoice, "p1", choice(&[]));
        let set = builder.finish();
        let answers = &set.questions()[0].answers;
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].value, answers[1].value);
        assert_eq!(set.duplicate_answers, 1);
        assert_eq!(set.empty_answers, 1);
        let AnswerValue::Choice { set: chosen, .. } = answers[0].value else {
            panic!("a choice");
        };
        assert_eq!(set.choice_label(chosen), "a; b");
        assert_eq!(set.item_count(), 1, "an empty answer does not make an item");
    }
}
