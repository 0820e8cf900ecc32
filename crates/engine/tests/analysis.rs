//! Results analysis: reading Prolific's responses (as the practice server writes them),
//! agreement against published reference values, consolidated labels and the tidy CSV.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use batchdesk_engine::analysis::{
    AnswerValue, QuestionKind, read_responses_json, read_responses_jsonl,
};
use serde_json::{Value, json};

/// One response record shaped as the practice server writes it (participants.rs).
fn record(task: &str, participant: &str, question: &str, kind: &str, answer: Value) -> Value {
    json!({
        "id": format!("{task}-{participant}-{question}"),
        "batch_id": "0192f0c4-0000-7000-8000-000000000001",
        "participant_id": participant,
        "submission_id": format!("sub-{participant}"),
        "task_id": task,
        "correlation_id": task,
        "metadata": {"META_source": "reviews"},
        "created_at": "2026-11-23T10:00:00.000000Z",
        "schema_version": 1,
        "some_future_field": {"nested": [1, 2, 3]},
        "response": {"instruction_id": question, "type": kind, "answer": answer},
    })
}

/// Two tasks answered by three people each: a single choice, a multiple choice with
/// explanations, free text, text with a unit and files.
fn sample_records() -> Vec<Value> {
    let mut records = Vec::new();
    for (task, sentiments) in [("t1", ["pos", "pos", "neg"]), ("t2", ["neg", "neg", "neg"])] {
        for (index, sentiment) in sentiments.into_iter().enumerate() {
            let participant = format!("p{index}");
            records.push(record(
                task,
                &participant,
                "q-sentiment",
                "multiple_choice",
                json!([{"value": sentiment}]),
            ));
            records.push(record(
                task,
                &participant,
                "q-wrong",
                "multiple_choice_with_free_text",
                json!([{"value": "typos", "explanation": "Which typos? teh"},
                       {"value": 2, "explanation": "off"}]),
            ));
            records.push(record(
                task,
                &participant,
                "q-summary",
                "free_text",
                json!([{"value": "reads well and covers the main point"}]),
            ));
            records.push(record(
                task,
                &participant,
                "q-pay",
                "free_text_with_unit",
                json!([{"value": "12", "unit": "gbp"}]),
            ));
            records.push(record(
                task,
                &participant,
                "q-files",
                "file_upload",
                json!([{"file_key": "k/upload-1.png", "file_name": "upload-1.png",
                        "file_size_mb": 1.2, "content_type": "image/png"}]),
            ));
        }
    }
    records
}

/// `responses-by-task.jsonl`, as the export writes it.
fn by_task_jsonl(records: &[Value]) -> String {
    let mut tasks: Vec<&str> = Vec::new();
    for record in records {
        let task = record["task_id"].as_str().unwrap();
        if !tasks.contains(&task) {
            tasks.push(task);
        }
    }
    tasks
        .iter()
        .map(|task| {
            let responses: Vec<&Value> = records
                .iter()
                .filter(|record| record["task_id"] == *task)
                .collect();
            format!("{}\n", json!({"task_id": task, "responses": responses}))
        })
        .collect()
}

#[test]
fn the_export_jsonl_and_the_responses_json_read_the_same() {
    let records = sample_records();
    let from_jsonl = read_responses_jsonl(by_task_jsonl(&records).as_bytes()).unwrap();
    let document = json!({"results": records, "meta": {"count": records.len()}});
    let from_json = read_responses_json(document.to_string().as_bytes()).unwrap();
    for set in [&from_jsonl, &from_json] {
        assert_eq!(set.item_count(), 2);
        assert_eq!(set.participant_count(), 3);
        assert_eq!(set.skipped_records, 0);
        let kinds: Vec<QuestionKind> = set.questions().iter().map(|q| q.kind).collect();
        assert_eq!(
            kinds,
            [
                QuestionKind::MultipleChoice,
                QuestionKind::MultipleChoiceWithFreeText,
                QuestionKind::FreeText,
                QuestionKind::FreeTextWithUnit,
                QuestionKind::FileUpload
            ]
        );
        assert!(set.questions().iter().all(|q| q.answers.len() == 6));
        let wrong = &set.questions()[1].answers[0].value;
        let AnswerValue::Choice {
            set: chosen,
            explanations,
        } = wrong
        else {
            panic!("{wrong:?}");
        };
        assert_eq!(
            set.choice_label(*chosen),
            "typos; 2",
            "numbers read as text"
        );
        assert_eq!(explanations.as_deref().unwrap().len(), 2);
        assert_eq!(
            set.questions()[3].answers[0].value,
            AnswerValue::TextWithUnit {
                value: "12".into(),
                unit: Some("gbp".into())
            }
        );
        assert_eq!(
            set.questions()[4].answers[0].value,
            AnswerValue::Files(Box::new(["upload-1.png".into()]))
        );
        assert_eq!(set.task_id(set.questions()[0].answers[0].item), "t1");
    }
}

#[test]
fn by_submission_lines_bare_records_and_odd_records_are_read_leniently() {
    let records = sample_records();
    let submission = json!({"submission_id": "s", "participant_id": "p0",
                            "responses": [records[0], records[1]]});
    let mut missing_task = records[2].clone();
    missing_task.as_object_mut().unwrap().remove("task_id");
    let mut no_submission = records[3].clone();
    no_submission["no_submission"] = json!(true);
    let escaped = record(
        "t\"3",
        "p9",
        "q-sentiment",
        "multiple_choice",
        json!([{"value": true}]),
    );
    let text = format!(
        "{submission}\n\n{}\n{missing_task}\n{no_submission}\n{escaped}\n",
        records[5]
    );
    let set = read_responses_jsonl(text.as_bytes()).unwrap();
    assert_eq!(set.skipped_records, 2);
    assert_eq!(set.item_count(), 2);
    assert_eq!(set.task_id(set.item("t\"3").unwrap()), "t\"3");
    let sentiment = &set.questions()[0];
    let AnswerValue::Choice { set: chosen, .. } = sentiment.answers.last().unwrap().value else {
        panic!("a choice");
    };
    assert_eq!(set.choice_label(chosen), "true", "booleans read as text");
}

#[test]
fn broken_json_names_its_line() {
    let error = read_responses_jsonl("{\"responses\": []}\n{not json\n".as_bytes()).unwrap_err();
    assert!(error.to_string().contains("Line 2"), "{error}");
    assert!(read_responses_json("{\"results\": [".as_bytes()).is_err());
    let empty = read_responses_json("{\"results\": null, \"meta\": {}}".as_bytes()).unwrap();
    assert_eq!(empty.item_count(), 0);
    let bare_list = read_responses_json(json!(sample_records()).to_string().as_bytes()).unwrap();
    assert_eq!(bare_list.item_count(), 2);
}
