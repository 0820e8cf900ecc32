//! What simulated participants answer. A finished submission takes one task group of
//! the study's batch (place `k` takes group `k mod groups`, so each group is done by
//! `annotators_per_task` people) and answers every instruction of the layout for every
//! task in it. Answers are drawn from a sequence seeded by the server's seed, the
//! submission, the task and the instruction, so they are the same on every read and
//! every run; they stay within each question's rules (answer limits and exclusive
//! options, text length, units, file counts and sizes).
//!
//! Without a crowd mix (the default), each task has an answer most participants agree
//! on; a share of participants (set by `PracticeConfig::disagreement`) pick something
//! else, so agreement can be measured. With one, each submission's participant is of a
//! kind (careful, average, fast clicker, straight-liner, bot) and answers as that kind
//! does, against each row's hidden truth (see `kinds`).

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::dataset_content::TASK_GROUP_COLUMN;
use crate::kinds::{Kind, Person, RowTruth};
use crate::model::{Batch, Dataset, DatasetContent, Study, Submission};
use crate::seeded::{Rng, mix};

/// One datapoint of a batch: its fields (for the report) and its hidden metadata.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    pub(crate) id: Uuid,
    pub(crate) fields: Map<String, Value>,
    pub(crate) metadata: Map<String, Value>,
}

/// The datapoints of a dataset in order, and their task groups as set up: named
/// groups first, in order of first appearance, then the rest `tasks_per_group` at a time
/// (the same split `Dataset::task_plan` counts).
pub(crate) fn task_groups(batch: &Batch, dataset: &Dataset) -> (Vec<Task>, Vec<Vec<usize>>) {
    let Some(plan) = batch.finished_plan() else {
        return (Vec::new(), Vec::new());
    };
    let mut tasks = Vec::new();
    let mut keys = Vec::new();
    let mut ids = Rng::new(u64::from_le_bytes(
        batch.id.as_bytes()[8..].try_into().unwrap_or_default(),
    ));
    let mut push = |fields: Map<String, Value>, metadata: Map<String, Value>, key| {
        let mut bytes = [0_u8; 16];
        bytes[..8].copy_from_slice(&ids.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&ids.next_u64().to_le_bytes());
        tasks.push(Task {
            id: uuid::Builder::from_random_bytes(bytes).into_uuid(),
            fields,
            metadata,
        });
        keys.push(key);
    };
    match &dataset.content {
        DatasetContent::V3(v3) => {
            if let Some(table) = v3.ready_table() {
                let group = table
                    .columns
                    .iter()
                    .position(|column| column == TASK_GROUP_COLUMN);
                for row in &table.rows {
                    let mut fields = Map::new();
                    let mut metadata = Map::new();
                    for (column, cell) in table.columns.iter().zip(row) {
                        fields.insert(column.clone(), json!(cell));
                        if column.starts_with("META_") {
                            metadata.insert(column.clone(), json!(cell));
                        }
                    }
                    let key = group.and_then(|index| row.get(index)).cloned();
                    push(fields, metadata, key);
                }
            }
        }
        DatasetContent::V4(v4) => {
            let schema = v4.schema.to_json();
            let group_field = v4.schema.group_field().map(str::to_owned);
            for record in v4.accepted_records() {
                let metadata = record
                    .iter()
                    .filter(|(name, _)| schema["fields"][name.as_str()]["type"] == "metadata")
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect();
                let key = group_field
                    .as_deref()
                    .and_then(|field| record.get(field))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                push(record.clone(), metadata, key);
            }
        }
    }
    let mut groups: Vec<(Option<String>, Vec<usize>)> = Vec::new();
    let mut loose = Vec::new();
    for (index, key) in keys.into_iter().enumerate() {
        match key {
            Some(key) => match groups
                .iter_mut()
                .find(|(name, _)| name.as_ref() == Some(&key))
            {
                Some((_, members)) => members.push(index),
                None => groups.push((Some(key), vec![index])),
            },
            None => loose.push(index),
        }
    }
    let size = usize::try_from(plan.tasks_per_group.max(1)).unwrap_or(usize::MAX);
    let mut groups: Vec<Vec<usize>> = groups.into_iter().map(|(_, members)| members).collect();
    groups.extend(loose.chunks(size).map(<[usize]>::to_vec));
    (tasks, groups)
}

/// A task group's id: stable for a batch and the group's position.
pub(crate) fn group_id(batch: &Batch, index: usize) -> Uuid {
    let mut rng = Rng::new(mix(&[&batch.id.to_string(), &index.to_string()], 0));
    let mut bytes = [0_u8; 16];
    bytes[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    bytes[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// The layout's questions, in order (a batch without a layout: its legacy
/// instructions).
pub(crate) fn instructions(batch: &Batch) -> Vec<Value> {
    if batch.batch_items.is_none() {
        return batch.legacy_instructions.clone();
    }
    const TYPES: [&str; 5] = [
        "free_text",
        "free_text_with_unit",
        "multiple_choice",
        "multiple_choice_with_free_text",
        "file_upload",
    ];
    let children = |value: &Value, key: &str| value[key].as_array().cloned().unwrap_or_default();
    let mut found = Vec::new();
    for page in batch.batch_items.iter().flatten() {
        for row in children(page, "rows") {
            for column in children(&row, "columns") {
                for item in children(&column, "items") {
                    if item["type"]
                        .as_str()
                        .is_some_and(|kind| TYPES.contains(&kind))
                    {
                        found.push(item);
                    }
                }
            }
        }
    }
    found
}

fn below(rng: &mut Rng, bound: usize) -> usize {
    if bound == 0 {
        0
    } else {
        usize::try_from(rng.next_u64() % bound as u64).unwrap_or(0)
    }
}

/// Caps on what an answer holds, so an extreme layout cannot make a read enormous.
const MAX_TEXT: usize = 10_000;
const MAX_FILES: u64 = 20;

const WORDS: [&str; 16] = [
    "clear", "helpful", "accurate", "the", "answer", "reads", "well", "and", "covers", "main",
    "point", "though", "detail", "could", "improve", "overall",
];

/// Text of a length (in characters) within `validation`'s bounds, when it has any.
fn text(rng: &mut Rng, validation: &Value, lead: &str) -> String {
    let min = validation["min"].as_u64().unwrap_or(0) as usize;
    let max = validation["max"]
        .as_u64()
        .map_or(usize::MAX, |max| max as usize);
    let mut sentence = lead.to_owned();
    // A rule asking for more than a few pages of text is met as far as a page or so.
    let goal = min.max(20 + below(rng, 40)).min(max).min(MAX_TEXT);
    while sentence.chars().count() < goal {
        if !sentence.is_empty() {
            sentence.push(' ');
        }
        sentence.push_str(WORDS[below(rng, WORDS.len())]);
    }
    sentence.chars().take(max).collect()
}

/// `base` repeated up to `validation`'s minimum length (as a careless person pads an
/// answer to get past the check), and cut at its maximum.
fn padded(base: &str, validation: &Value) -> String {
    let min = validation["min"].as_u64().unwrap_or(0) as usize;
    let max = validation["max"]
        .as_u64()
        .map_or(usize::MAX, |max| max as usize);
    let mut text = base.to_owned();
    while !base.is_empty() && text.chars().count() < min.min(MAX_TEXT) {
        text.push(' ');
        text.push_str(base);
    }
    text.chars().take(max).collect()
}

/// Who answers: as before kinds (a task's consensus, or against it), or a person of a
/// kind against the row's truth.
#[derive(Debug, Clone, Copy)]
enum Answerer<'a> {
    Consensus {
        consensus: u64,
        disagrees: bool,
    },
    Person {
        person: Person<'a>,
        row: &'a RowTruth<'a>,
    },
}

impl Answerer<'_> {
    fn kind(&self) -> Option<Kind> {
        match self {
            Self::Consensus { .. } => None,
            Self::Person { person, .. } => Some(person.kind),
        }
    }
}

/// Free text (an answer or an explanation after `lead`) as the answerer writes it.
fn free_text(rng: &mut Rng, validation: &Value, lead: &str, answerer: Answerer<'_>) -> String {
    match answerer {
        Answerer::Person { person, .. } if person.kind == Kind::FastClicker => {
            let words: Vec<&str> = (0..1 + below(rng, 2))
                .map(|_| WORDS[below(rng, WORDS.len())])
                .collect();
            padded(&words.join(" "), validation)
        }
        Answerer::Person { person, .. } if person.kind == Kind::Bot => {
            padded(person.bot_text(), validation)
        }
        _ => text(rng, validation, lead),
    }
}

/// The first (or only) option a person of a kind picks among `options` (not empty).
fn kind_choice(
    person: Person<'_>,
    row: &RowTruth<'_>,
    instruction: &Value,
    options: &[Value],
    rng: &mut Rng,
) -> usize {
    let count = options.len();
    // People who read follow an item that tells them what to choose, almost always.
    if let (Some(follows), Some(asked)) = (
        person.kind.follows_instructions_percent(),
        row.asked_option(instruction, options),
    ) {
        return if count > 1 && rng.next_u64() % 100 >= follows {
            (asked + 1 + below(rng, count - 1)) % count
        } else {
            asked
        };
    }
    match person.kind.accuracy_percent() {
        Some(accuracy) => {
            let truth = row.option(instruction, options);
            if count > 1 && rng.next_u64() % 100 >= accuracy {
                (truth + 1 + below(rng, count - 1)) % count
            } else {
                truth
            }
        }
        None if person.kind == Kind::StraightLiner => person.straight_line(count),
        None => below(rng, count),
    }
}

/// A careful or average person's number: in the question's default unit (else its
/// first), near the row's true value; careful people nearer.
fn number_near_truth(
    instruction: &Value,
    rng: &mut Rng,
    kind: Kind,
    row: &RowTruth<'_>,
) -> Vec<Value> {
    let units = instruction["unit_options"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let unit = instruction
        .get("default_unit")
        .and_then(|default| units.iter().find(|unit| &unit["value"] == default))
        .or_else(|| units.first())
        .cloned()
        .unwrap_or(Value::Null);
    let validation = &unit["validation"];
    let min = validation["min"].as_f64().unwrap_or(1.0);
    let max = validation["max"].as_f64().unwrap_or(min + 100.0).max(min);
    let steps = ((max - min).floor().max(0.0) as u64).saturating_add(1);
    let truth = i128::from(row.step(instruction, &unit["value"], steps));
    let spread = match kind {
        Kind::Careful => (steps / 50).max(1),
        _ => (steps / 10).max(2),
    };
    let offset = i128::from(rng.next_u64() % (2 * spread + 1)) - i128::from(spread);
    let step = (truth + offset).clamp(0, i128::from(steps - 1));
    let value = min + step as f64;
    vec![json!({"value": value.to_string(), "unit": unit["value"]})]
}

/// One participant's answer items to one instruction for one task.
fn answer(instruction: &Value, rng: &mut Rng, answerer: Answerer<'_>) -> Vec<Value> {
    match instruction["type"].as_str().unwrap_or_default() {
        "free_text" => {
            vec![json!({"value": free_text(rng, &instruction["validation"], "", answerer)})]
        }
        "free_text_with_unit" => {
            if let Answerer::Person { person, row } = answerer
                && matches!(person.kind, Kind::Careful | Kind::Average)
            {
                return number_near_truth(instruction, rng, person.kind, row);
            }
            let units = instruction["unit_options"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let unit = instruction
                .get("default_unit")
                .filter(|_| rng.next_u64().is_multiple_of(2))
                .and_then(|default| units.iter().find(|unit| &unit["value"] == default))
                .or_else(|| units.get(below(rng, units.len())))
                .cloned()
                .unwrap_or(Value::Null);
            let validation = &unit["validation"];
            let min = validation["min"].as_f64().unwrap_or(1.0);
            let max = validation["max"].as_f64().unwrap_or(min + 100.0).max(min);
            let steps = ((max - min).floor().max(0.0) as u64).saturating_add(1);
            let value = min + (rng.next_u64() % steps) as f64;
            vec![json!({"value": value.to_string(), "unit": unit["value"]})]
        }
        kind @ ("multiple_choice" | "multiple_choice_with_free_text") => {
            let options = instruction["options"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if options.is_empty() {
                return Vec::new();
            }
            let limit = match instruction["answer_limit"].as_i64() {
                Some(limit) if limit >= 1 => usize::try_from(limit).unwrap_or(1),
                _ => options.len(),
            };
            let first = match answerer {
                Answerer::Consensus {
                    consensus,
                    disagrees,
                } => {
                    let agreed = usize::try_from(consensus % options.len() as u64).unwrap_or(0);
                    if disagrees && options.len() > 1 {
                        (agreed + 1 + below(rng, options.len() - 1)) % options.len()
                    } else {
                        agreed
                    }
                }
                Answerer::Person { person, row } => {
                    kind_choice(person, row, instruction, &options, rng)
                }
            };
            let exclusive = |index: usize| options[index]["exclusive"] == true;
            let mut chosen = vec![first];
            // A straight-liner gives the one answer and no more.
            if !exclusive(first) && answerer.kind() != Some(Kind::StraightLiner) {
                let extra = below(rng, limit.min(options.len()));
                for _ in 0..extra {
                    let pick = below(rng, options.len());
                    if !chosen.contains(&pick) && !exclusive(pick) && chosen.len() < limit {
                        chosen.push(pick);
                    }
                }
            }
            chosen
                .into_iter()
                .map(|index| {
                    let option = &options[index];
                    let mut item = json!({"value": option["value"].clone()});
                    if kind == "multiple_choice_with_free_text" {
                        let heading = option["heading"].as_str().unwrap_or("Why?");
                        item["explanation"] =
                            json!(free_text(rng, &Value::Null, heading, answerer));
                    }
                    item
                })
                .collect()
        }
        "file_upload" => {
            let min = instruction["min_file_count"].as_u64().unwrap_or(1).max(1);
            let max = instruction["max_file_count"]
                .as_u64()
                .unwrap_or(min)
                .max(min);
            let (min, max) = (min.min(MAX_FILES), max.min(MAX_FILES));
            let count = min + rng.next_u64() % (max.saturating_sub(min) + 1);
            // No list, or an empty one, means any type: participants send pictures.
            let types = instruction["accepted_file_types"]
                .as_array()
                .filter(|types| !types.is_empty())
                .cloned()
                .unwrap_or_else(|| vec![json!(".png")]);
            let size_cap = instruction["max_file_size_mb"].as_f64().unwrap_or(10.0);
            (0..count)
                .map(|number| {
                    let extension = types[below(rng, types.len())]
                        .as_str()
                        .unwrap_or(".png")
                        .trim_start_matches('.')
                        .to_owned();
                    let name = format!("upload-{}.{extension}", number + 1);
                    let size = ((rng.next_u64() % 900 + 100) as f64 / 1000.0 * size_cap * 100.0)
                        .round()
                        / 100.0;
                    json!({
                        "file_key": format!("participant-uploads/{:016x}/{name}", rng.next_u64()),
                        "file_name": name,
                        "file_size_mb": size.min(size_cap),
                        "content_type": content_type(&extension),
                    })
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

fn content_type(extension: &str) -> &'static str {
    match extension {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "csv" => "text/csv",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

/// Every response of a batch's finished submissions, one per (task, instruction), as
/// `AITaskBuilderTaskResponse`s.
pub(crate) fn responses(
    batch: &Batch,
    dataset: Option<&Dataset>,
    studies: &[&Study],
    seed: u64,
    disagreement_percent: u64,
) -> Vec<Value> {
    let Some(dataset) = dataset else {
        return Vec::new();
    };
    let (tasks, groups) = task_groups(batch, dataset);
    let instructions = instructions(batch);
    if groups.is_empty() || instructions.is_empty() {
        return Vec::new();
    }
    let mut results = Vec::new();
    for study in studies {
        for submission in &study.submissions {
            // A rejected submission's data is not kept; its place is answered again.
            if !submission.exists() || !submission.completed() || !submission.holds_place() {
                continue;
            }
            let place = usize::try_from(submission.place).unwrap_or(0);
            let disagrees = mix(&[&submission.participant_id], seed) % 100 < disagreement_percent;
            let person = submission.kind.map(|kind| Person {
                kind,
                id: &submission.participant_id,
                seed,
            });
            for &task_index in &groups[place % groups.len()] {
                let task = &tasks[task_index];
                let row = person.map(|_| RowTruth::of(&task.fields, &task.metadata, seed));
                for instruction in &instructions {
                    let instruction_id = instruction["id"].as_str().unwrap_or_default();
                    let task_id = task.id.to_string();
                    let answerer = match (person, &row) {
                        (Some(person), Some(row)) => Answerer::Person { person, row },
                        // No kind (no crowd mix when planned): as before kinds.
                        _ => Answerer::Consensus {
                            consensus: mix(&[&task_id, instruction_id], seed),
                            disagrees,
                        },
                    };
                    let mut rng = Rng::new(mix(&[&submission.id, &task_id, instruction_id], seed));
                    results.push(response_json(
                        batch,
                        submission,
                        task,
                        instruction,
                        answer(instruction, &mut rng, answerer),
                        &mut rng,
                    ));
                }
            }
        }
    }
    results
}

fn response_json(
    batch: &Batch,
    submission: &Submission,
    task: &Task,
    instruction: &Value,
    answer: Vec<Value>,
    rng: &mut Rng,
) -> Value {
    let mut id = [0_u8; 16];
    id[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    id[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    json!({
        "id": uuid::Builder::from_random_bytes(id).into_uuid(),
        "batch_id": batch.id,
        "participant_id": submission.participant_id,
        "submission_id": submission.id,
        "task_id": task.id,
        "correlation_id": task.id,
        "metadata": task.metadata,
        "created_at": submission.finished_at.timestamp(),
        "schema_version": 1,
        "response": {
            "instruction_id": instruction["id"],
            "type": instruction["type"],
            "answer": answer,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(instruction: Value, disagrees: bool) -> Vec<Vec<Value>> {
        let answerer = Answerer::Consensus {
            consensus: 7,
            disagrees,
        };
        (0..200)
            .map(|draw| answer(&instruction, &mut Rng::new(draw), answerer))
            .collect()
    }

    #[test]
    fn choices_respect_the_limit_and_exclusive_options() {
        let question = json!({"type": "multiple_choice", "answer_limit": 2, "options": [
            {"label": "a", "value": "a"}, {"label": "b", "value": "b"},
            {"label": "c", "value": "c"}, {"label": "none", "value": "none", "exclusive": true}]});
        for items in answers(question, true) {
            assert!(!items.is_empty() && items.len() <= 2, "{items:?}");
            if items.iter().any(|item| item["value"] == "none") {
                assert_eq!(items.len(), 1, "an exclusive option stands alone");
            }
        }
        let single = json!({"type": "multiple_choice", "answer_limit": 1, "options": [
            {"label": "yes", "value": true}, {"label": "no", "value": false}]});
        let agreeing = answers(single.clone(), false);
        assert!(
            agreeing.iter().all(|items| items == &agreeing[0]),
            "all agree"
        );
        assert!(
            answers(single, true)
                .iter()
                .all(|items| items != &agreeing[0])
        );
    }

    #[test]
    fn text_units_explanations_and_files_stay_within_their_rules() {
        for items in answers(
            json!({"type": "free_text", "validation": {"type": "string", "min": 30, "max": 40}}),
            false,
        ) {
            let length = items[0]["value"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .count();
            assert!((30..=40).contains(&length), "{length}");
        }
        let unit = json!({"type": "free_text_with_unit", "default_unit": "min", "unit_options": [
            {"label": "minutes", "value": "min", "validation": {"type": "number", "min": 5, "max": 9}},
            {"label": "hours", "value": "h"}]});
        for items in answers(unit, false) {
            let value: f64 = items[0]["value"]
                .as_str()
                .unwrap_or_default()
                .parse()
                .unwrap_or(-1.0);
            if items[0]["unit"] == "min" {
                assert!((5.0..=9.0).contains(&value), "{value}");
            } else {
                assert_eq!(items[0]["unit"], "h");
            }
        }
        let explained = json!({"type": "multiple_choice_with_free_text", "answer_limit": 1,
            "options": [{"label": "Typos", "value": 1, "heading": "Which ones?"}]});
        for items in answers(explained, false) {
            let explanation = items[0]["explanation"].as_str().unwrap_or_default();
            assert!(explanation.starts_with("Which ones?"), "{explanation}");
        }
        for items in answers(
            json!({"type": "file_upload", "accepted_file_types": []}),
            false,
        ) {
            assert_eq!(items[0]["content_type"], "image/png");
        }
        for items in answers(
            json!({"type": "multiple_choice", "answer_limit": 1, "options": []}),
            true,
        ) {
            assert!(items.is_empty());
        }
        let files = json!({"type": "file_upload", "min_file_count": 2, "max_file_count": 3,
            "accepted_file_types": [".pdf"], "max_file_size_mb": 2});
        for items in answers(files, false) {
            assert!((2..=3).contains(&items.len()));
            for file in items {
                assert_eq!(file["content_type"], "application/pdf");
                assert!(file["file_size_mb"].as_f64().unwrap_or(99.0) <= 2.0);
                assert!(
                    file["file_name"]
                        .as_str()
                        .unwrap_or_default()
                        .ends_with(".pdf")
                );
            }
        }
    }

    /// 400 answers by a person of `kind` to `instruction` about the row `fields`.
    fn kind_answers(kind: Kind, id: &str, instruction: &Value, fields: &Value) -> Vec<Vec<Value>> {
        let fields = fields.as_object().cloned().unwrap_or_default();
        let metadata: Map<String, Value> = fields
            .iter()
            .filter(|(name, _)| name.starts_with("META_"))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let row = RowTruth::of(&fields, &metadata, 9);
        let person = Person { kind, id, seed: 9 };
        (0..400)
            .map(|draw| {
                let answerer = Answerer::Person { person, row: &row };
                answer(instruction, &mut Rng::new(draw), answerer)
            })
            .collect()
    }

    fn four_options() -> Value {
        json!({"type": "multiple_choice", "description": "Which?", "answer_limit": 1, "options": [
            {"label": "a", "value": "a"}, {"label": "b", "value": "b"},
            {"label": "c", "value": "c"}, {"label": "d", "value": "d"}]})
    }

    /// How many of `answers` chose `value` first.
    fn chose(answers: &[Vec<Value>], value: &str) -> usize {
        answers
            .iter()
            .filter(|items| items[0]["value"] == value)
            .count()
    }

    #[test]
    fn careful_and_average_people_answer_the_rows_truth_as_often_as_their_kind_does() {
        let row = json!({"text": "A fine widget.", "META_gold": "C"});
        let careful = kind_answers(Kind::Careful, "p1", &four_options(), &row);
        let average = kind_answers(Kind::Average, "p2", &four_options(), &row);
        // The metadata column names option c (whatever its case).
        assert!(
            (370..=395).contains(&chose(&careful, "c")),
            "{}",
            chose(&careful, "c")
        );
        assert!(
            (290..=350).contains(&chose(&average, "c")),
            "{}",
            chose(&average, "c")
        );
        assert!(
            chose(&average, "a") > 0 && chose(&average, "d") > 0,
            "others at random"
        );
        // Without a known answer, the row's data decides, the same for everyone.
        let plain = json!({"text": "A fine widget."});
        let one = kind_answers(Kind::Careful, "p1", &four_options(), &plain);
        let other = kind_answers(Kind::Careful, "p3", &four_options(), &plain);
        let truth = ["a", "b", "c", "d"]
            .into_iter()
            .max_by_key(|value| chose(&one, value))
            .unwrap_or_default();
        assert!(chose(&one, truth) >= 360 && chose(&other, truth) >= 360);
    }

    #[test]
    fn fast_clickers_and_bots_choose_at_random_and_straight_liners_always_the_same() {
        let row = json!({"text": "A fine widget.", "META_gold": "c"});
        for kind in [Kind::FastClicker, Kind::Bot] {
            let answers = kind_answers(kind, "p1", &four_options(), &row);
            for value in ["a", "b", "c", "d"] {
                assert!(
                    (60..=140).contains(&chose(&answers, value)),
                    "{kind:?} {value}"
                );
            }
        }
        let person = Person {
            kind: Kind::StraightLiner,
            id: "p4",
            seed: 9,
        };
        let four = kind_answers(Kind::StraightLiner, "p4", &four_options(), &row);
        let theirs = ["a", "b", "c", "d"][person.straight_line(4)];
        assert_eq!(chose(&four, theirs), 400, "the same answer to everything");
        // A question allowing several answers still gets the one.
        let several = json!({"type": "multiple_choice", "description": "All that apply", "answer_limit": -1,
            "options": [{"label": "x", "value": "x"}, {"label": "y", "value": "y"}, {"label": "z", "value": "z"}]});
        let answers = kind_answers(Kind::StraightLiner, "p4", &several, &row);
        let value = ["x", "y", "z"][person.straight_line(3)];
        assert!(
            answers
                .iter()
                .all(|items| items.len() == 1 && items[0]["value"] == value)
        );
    }

    #[test]
    fn every_kind_keeps_the_limit_and_exclusive_options() {
        let question = json!({"type": "multiple_choice", "answer_limit": 2, "description": "Pick", "options": [
            {"label": "a", "value": "a"}, {"label": "b", "value": "b"},
            {"label": "c", "value": "c"}, {"label": "none", "value": "none", "exclusive": true}]});
        for kind in Kind::ALL {
            let answers = kind_answers(kind, "p5", &question, &json!({"text": "t"}));
            for items in answers {
                assert!(!items.is_empty() && items.len() <= 2, "{kind:?} {items:?}");
                if items.iter().any(|item| item["value"] == "none") {
                    assert_eq!(items.len(), 1, "{kind:?}: an exclusive option stands alone");
                }
            }
        }
    }

    #[test]
    fn text_is_varied_short_or_copied_by_kind_within_the_rules() {
        let open = json!({"type": "free_text", "description": "Why?"});
        let texts = |kind, question: &Value| -> Vec<String> {
            kind_answers(kind, "p6", question, &json!({"text": "t"}))
                .iter()
                .map(|items| items[0]["value"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let careful = texts(Kind::Careful, &open);
        assert!(careful.iter().all(|text| text.chars().count() >= 20));
        assert!(careful.iter().any(|text| text != &careful[0]), "varied");
        let fast = texts(Kind::FastClicker, &open);
        assert!(
            fast.iter()
                .all(|text| (1..=2).contains(&text.split(' ').count())),
            "{fast:?}"
        );
        let bot = texts(Kind::Bot, &open);
        assert!(bot.iter().all(|text| text == &bot[0]), "copied: {bot:?}");
        let bot_text = Person {
            kind: Kind::Bot,
            id: "p6",
            seed: 9,
        }
        .bot_text();
        assert_eq!(bot[0], bot_text);
        // A minimum length is met by repeating, a maximum kept.
        let bounded = json!({"type": "free_text", "description": "Why?",
            "validation": {"type": "string", "min": 25, "max": 30}});
        for kind in [Kind::FastClicker, Kind::Bot] {
            for text in texts(kind, &bounded) {
                assert!(
                    (25..=30).contains(&text.chars().count()),
                    "{kind:?}: {text:?}"
                );
            }
        }
        let explained = json!({"type": "multiple_choice_with_free_text", "description": "Why?",
            "answer_limit": 1, "options": [{"label": "A", "value": "a", "heading": "Which?"}]});
        let bots = kind_answers(Kind::Bot, "p6", &explained, &json!({"text": "t"}));
        assert!(bots.iter().all(|items| items[0]["explanation"] == bot_text));
    }

    #[test]
    fn careful_and_average_numbers_stay_near_the_rows_truth_others_range_widely() {
        let price = json!({"type": "free_text_with_unit", "description": "Price?", "default_unit": "gbp",
            "unit_options": [
                {"label": "£", "value": "gbp", "validation": {"type": "number", "min": 1, "max": 100}},
                {"label": "$", "value": "usd", "validation": {"type": "number", "min": 1, "max": 100}}]});
        let row = json!({"text": "A widget."});
        let values = |kind| -> Vec<f64> {
            kind_answers(kind, "p7", &price, &row)
                .iter()
                .map(|items| {
                    assert!(items[0]["unit"] == "gbp" || items[0]["unit"] == "usd");
                    items[0]["value"]
                        .as_str()
                        .unwrap_or_default()
                        .parse()
                        .unwrap_or(-1.0)
                })
                .collect()
        };
        let spread = |values: &[f64]| {
            let low = values.iter().copied().fold(f64::MAX, f64::min);
            let high = values.iter().copied().fold(f64::MIN, f64::max);
            assert!(low >= 1.0 && high <= 100.0, "{low}..{high}");
            high - low
        };
        let careful = values(Kind::Careful);
        assert!(spread(&careful) <= 4.0, "{careful:?}");
        assert!(spread(&values(Kind::Average)) <= 20.0);
        // The same row, another careful person: around the same truth.
        let other: Vec<f64> = kind_answers(Kind::Careful, "p8", &price, &row)
            .iter()
            .map(|items| {
                items[0]["value"]
                    .as_str()
                    .unwrap_or_default()
                    .parse()
                    .unwrap_or(-1.0)
            })
            .collect();
        let mean = |values: &[f64]| values.iter().sum::<f64>() / values.len() as f64;
        assert!((mean(&careful) - mean(&other)).abs() < 1.0);
        assert!(spread(&values(Kind::FastClicker)) > 50.0);
        assert!(spread(&values(Kind::Bot)) > 50.0);
    }
}
