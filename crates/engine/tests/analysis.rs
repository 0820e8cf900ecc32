//! Results analysis: reading Prolific's responses (as the practice server writes them),
//! agreement against published reference values, consolidated labels and the tidy CSV.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use batchdesk_engine::analysis::{
    Analysis, AnalysisOptions, AnswerValue, NewAnswer, OptionLabel, OriginalData, QuestionKind,
    ResponseSetBuilder, analyse, batch_layout, column_guide_path, nominal_alpha, question_names,
    read_export_zip, read_responses_json, read_responses_jsonl, write_column_guide, write_tidy_csv,
    write_tidy_csv_with_options,
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
            "2; typos",
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

// ---- Agreement --------------------------------------------------------------------

/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
/// observers, twelve units, values 1–5, with missing data. Listed unit by unit (the
/// observers' missing values left out); unit 12 has one value and is not pairable.
const KRIPPENDORFF_2011: [&[u32]; 12] = [
    &[1, 1, 1],
    &[2, 2, 3, 2],
    &[3, 3, 3, 3],
    &[3, 3, 3, 3],
    &[2, 2, 2, 2],
    &[1, 2, 3, 4],
    &[4, 4, 4, 4],
    &[1, 1, 2, 1],
    &[2, 2, 2, 2],
    &[5, 5, 5],
    &[1, 1],
    &[3],
];

fn close(actual: Option<f64>, expected: f64, tolerance: f64) -> bool {
    actual.is_some_and(|actual| (actual - expected).abs() < tolerance)
}

#[test]
fn alpha_matches_krippendorffs_worked_nominal_example() {
    let alpha = nominal_alpha(KRIPPENDORFF_2011);
    // The paper reports 0.743; exactly 1 - 39 * 10 / 1520 = 0.743421…
    assert!(close(alpha, 0.743, 0.0005), "{alpha:?}");
    assert!(close(alpha, 1.0 - 39.0 * 10.0 / 1520.0, 1e-12), "{alpha:?}");
}

#[test]
fn alpha_is_one_for_perfect_agreement_negative_for_systematic_disagreement() {
    let perfect: [&[u32]; 3] = [&[1, 1, 1], &[2, 2], &[3, 3, 3, 3]];
    assert_eq!(nominal_alpha(perfect), Some(1.0));
    // Two people who always pick opposite answers: 1 - 7 * 8 / 32 = -0.75.
    let opposite: [&[u32]; 4] = [&[1, 2], &[2, 1], &[1, 2], &[2, 1]];
    let alpha = nominal_alpha(opposite);
    assert!(close(alpha, -0.75, 1e-12), "{alpha:?}");
}

#[test]
fn alpha_is_undefined_without_variation_or_pairable_answers() {
    let one_value: [&[u32]; 3] = [&[4, 4], &[4, 4, 4], &[4]];
    assert_eq!(nominal_alpha(one_value), None, "one value everywhere");
    let alone: [&[u32]; 3] = [&[1], &[2], &[]];
    assert_eq!(nominal_alpha(alone), None, "nobody answered an item twice");
    assert_eq!(nominal_alpha(Vec::<Vec<u32>>::new()), None);
}

/// A small deterministic generator, so the property checks need no extra crate.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// (task, participant, value) answers to one single-choice question: a consensus per
/// item and some people who pick something else, some items left unanswered by some.
fn random_answers(seed: u64) -> Vec<(String, String, String)> {
    let mut rng = Lcg(seed);
    let mut answers = Vec::new();
    for item in 0..60 {
        let consensus = rng.below(4);
        for person in 0..(2 + rng.below(5)) {
            let value = if rng.below(4) == 0 {
                rng.below(4)
            } else {
                consensus
            };
            answers.push((
                format!("t{item}"),
                format!("p{person}"),
                format!("v{value}"),
            ));
        }
    }
    answers
}

fn alpha_of(answers: &[(String, String, String)]) -> Analysis {
    let mut builder = ResponseSetBuilder::new();
    for (task, person, value) in answers {
        builder.add(
            task,
            "q",
            QuestionKind::MultipleChoice,
            person,
            NewAnswer::Choice {
                values: &[value.as_str()],
                explanations: &[],
            },
        );
    }
    analyse(&builder.finish(), &AnalysisOptions::default())
}

fn question_alpha(analysis: &Analysis) -> Option<f64> {
    analysis.questions[0].agreement.as_ref()?.krippendorff_alpha
}

#[test]
fn permuting_raters_items_and_reading_order_does_not_change_alpha() {
    for seed in 1..20 {
        let answers = random_answers(seed);
        let expected = question_alpha(&alpha_of(&answers));
        assert!(expected.is_some(), "seed {seed}");
        let mut rng = Lcg(seed * 7919);
        // Shuffle the reading order (so ids are interned differently), and rename
        // people and items with a permutation.
        let mut shuffled = answers.clone();
        for index in (1..shuffled.len()).rev() {
            let other = rng.below(index as u64 + 1) as usize;
            shuffled.swap(index, other);
        }
        let renamed: Vec<_> = shuffled
            .iter()
            .map(|(task, person, value)| {
                (
                    format!("{task}-x"),
                    format!("{person}-{}", seed % 3),
                    value.clone(),
                )
            })
            .collect();
        for variant in [&shuffled, &renamed] {
            let alpha = question_alpha(&alpha_of(variant));
            assert!(
                close(alpha, expected.unwrap(), 1e-12),
                "seed {seed}: {alpha:?} vs {expected:?}"
            );
        }
        // Renaming the values themselves (a nominal scale) changes nothing either.
        let relabelled: Vec<_> = answers
            .iter()
            .map(|(task, person, value)| (task.clone(), person.clone(), format!("{value}{value}")))
            .collect();
        assert!(close(
            question_alpha(&alpha_of(&relabelled)),
            expected.unwrap(),
            1e-12
        ));
    }
}

#[test]
fn the_whole_pipeline_gives_krippendorffs_value_with_missing_answers() {
    let mut answers = Vec::new();
    for (unit, values) in KRIPPENDORFF_2011.iter().enumerate() {
        for (observer, value) in values.iter().enumerate() {
            answers.push((
                format!("u{unit}"),
                format!("o{observer}"),
                value.to_string(),
            ));
        }
    }
    let analysis = alpha_of(&answers);
    let agreement = analysis.questions[0].agreement.clone().unwrap();
    assert!(close(agreement.krippendorff_alpha, 0.743, 0.0005));
    assert_eq!(agreement.items_rated, 11, "unit 12 has a single value");
    assert_eq!(agreement.pairable_answers, 40);
    assert!(!agreement.answer_sets_compared_whole);
}

// ---- Consolidated labels ----------------------------------------------------------

#[test]
fn consolidation_reports_majorities_ties_support_and_distributions() {
    let mut records = sample_records();
    // t3: a 1–1 tie on sentiment; t1 is 2–1 for "pos", t2 unanimous "neg".
    records.push(record(
        "t3",
        "p0",
        "q-sentiment",
        "multiple_choice",
        json!([{"value": "pos"}]),
    ));
    records.push(record(
        "t3",
        "p1",
        "q-sentiment",
        "multiple_choice",
        json!([{"value": "neg"}]),
    ));
    // t4: a three-way split, flagged as low agreement.
    for (person, value) in [("p0", "pos"), ("p1", "neg"), ("p2", "mixed")] {
        records.push(record(
            "t4",
            person,
            "q-sentiment",
            "multiple_choice",
            json!([{"value": value}]),
        ));
    }
    let set = read_responses_jsonl(by_task_jsonl(&records).as_bytes()).unwrap();
    let analysis = analyse(&set, &AnalysisOptions::default());
    assert_eq!(analysis.item_count, 4);
    assert_eq!(analysis.answer_count, 30 + 5);
    let sentiment = &analysis.questions[0];
    assert_eq!(sentiment.items.len(), 4);
    let [t1, t2, t3, t4] = &sentiment.items[..] else {
        panic!("four items");
    };
    assert_eq!(t1.task_id, "t1");
    assert_eq!(t1.consolidated.label.as_deref(), Some("pos"));
    assert_eq!(
        (t1.consolidated.leader_votes, t1.consolidated.votes_cast),
        (2, 3)
    );
    assert!(close(t1.consolidated.support, 2.0 / 3.0, 1e-12));
    assert!(close(t1.agreement.percent_agreement, 1.0 / 3.0, 1e-12));
    assert!(!t1.agreement.low_agreement);
    assert_eq!(t2.consolidated.support, Some(1.0));
    assert_eq!(t2.agreement.percent_agreement, Some(1.0));
    assert_eq!(t3.consolidated.label, None, "a tie is not broken");
    assert_eq!(t3.consolidated.tied_labels, ["neg", "pos"]);
    assert!(t3.agreement.low_agreement);
    assert!(t4.agreement.low_agreement);
    assert_eq!(t4.consolidated.tied_labels.len(), 3);
    let agreement = sentiment.agreement.as_ref().unwrap();
    assert_eq!(agreement.items_rated, 4);
    assert_eq!(
        (agreement.low_agreement_items, agreement.tied_items),
        (2, 2)
    );
    assert!(close(
        agreement.percent_agreement,
        (1.0 / 3.0 + 1.0) / 4.0,
        1e-12
    ));
    let counts: Vec<(&str, u64)> = sentiment
        .distribution
        .iter()
        .map(|option| (option.value.as_str(), option.count))
        .collect();
    assert_eq!(counts, [("neg", 6), ("pos", 4), ("mixed", 1)]);

    // The multi-select question: every answer is {typos, 2}, so agreement is perfect
    // on the sets, alpha is undefined (one value) and each option is counted.
    let wrong = &analysis.questions[1];
    let agreement = wrong.agreement.as_ref().unwrap();
    assert!(agreement.answer_sets_compared_whole);
    assert_eq!(agreement.krippendorff_alpha, None);
    assert_eq!(agreement.percent_agreement, Some(1.0));
    assert_eq!(
        wrong.items[0].consolidated.label.as_deref(),
        Some("2; typos")
    );
    assert_eq!(wrong.distribution.len(), 2);
    assert!(wrong.distribution.iter().all(|option| option.count == 6));

    // Free text, units and files are counted but not compared.
    for question in &analysis.questions[2..] {
        assert_eq!(question.agreement, None);
        assert!(question.items.is_empty() && question.distribution.is_empty());
        assert_eq!((question.answer_count, question.items_answered), (6, 2));
        assert_eq!(question.participant_count, 3);
        // Number questions alone are summarised as numbers.
        assert_eq!(
            question.numbers.is_some(),
            question.kind == QuestionKind::FreeTextWithUnit
        );
    }
    let pay = analysis.questions[3].numbers.as_ref().unwrap();
    assert_eq!((pay.unit.as_deref(), pay.count), (Some("gbp"), 6));
    assert_eq!((pay.mean, pay.median), (Some(12.0), Some(12.0)));
    assert_eq!(pay.distribution.len(), 1);
    // The analysis is what the app shows: it serialises with camelCase names.
    let shown = serde_json::to_value(&analysis).unwrap();
    assert!(shown["questions"][0]["agreement"]["krippendorffAlpha"].is_number());
    assert!(shown["questions"][1]["agreement"]["krippendorffAlpha"].is_null());
    // Items reach the app through the lists to look at: t3 (a tie) is the first flagged.
    assert_eq!(
        shown["questions"][0]["flagged"]["first"][0]["consolidated"]["tiedLabels"][1],
        "pos"
    );
    assert_eq!(shown["questions"][0]["flagged"]["total"], 2);
}

// ---- Tidy CSV ---------------------------------------------------------------------

/// The tidy CSV's header and rows, after checking it starts with a UTF-8 BOM.
fn read_tidy(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|row| row.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// A row's cells by column name.
fn cells<'a>(header: &'a [String], row: &'a [String]) -> HashMap<&'a str, &'a str> {
    header
        .iter()
        .map(String::as_str)
        .zip(row.iter().map(String::as_str))
        .collect()
}

#[test]
fn the_tidy_csv_has_the_data_then_every_questions_columns_and_a_guide() {
    let mut records = sample_records();
    records.push(record(
        "t3",
        "p0",
        "q-sentiment",
        "multiple_choice",
        json!([{"value": "pos"}]),
    ));
    records.push(record(
        "t3",
        "p1",
        "q-sentiment",
        "multiple_choice",
        json!([{"value": "neg"}]),
    ));
    // t1's amounts differ: 12, 15 and 30 GBP, and one in euros that is not averaged.
    for (person, value) in [("p1", "15"), ("p2", "30")] {
        records.retain(|r| {
            !(r["task_id"] == "t1"
                && r["participant_id"] == person
                && r["response"]["instruction_id"] == "q-pay")
        });
        records.push(record(
            "t1",
            person,
            "q-pay",
            "free_text_with_unit",
            json!([{"value": value, "unit": "gbp"}]),
        ));
    }
    records.push(record(
        "t1",
        "p3",
        "q-pay",
        "free_text_with_unit",
        json!([{"value": "99", "unit": "eur"}]),
    ));
    // A free-text answer with an accent, a comma and a quote.
    records.push(record(
        "t1",
        "p3",
        "q-summary",
        "free_text",
        json!([{"value": "Très \"bien\", merci"}]),
    ));
    let set = read_responses_jsonl(by_task_jsonl(&records).as_bytes()).unwrap();
    let analysis = analyse(&set, &AnalysisOptions::default());
    // Prolific's report as the practice server writes it: the data, then who and what.
    let report = "task_id,id,review_text,participant_id,submission_id,Q1 How does it feel?\n\
                  t2,2,\"Bad, really\",p0,s0,neg\n\
                  t2,2,\"Bad, really\",p1,s1,neg\n\
                  t1,1,Lovely £5 café,p0,s0,pos\n\
                  t9,9,Nobody read me,,,\n";
    let original = OriginalData::from_report_csv(report.as_bytes()).unwrap();
    assert_eq!(original.columns, ["id", "review_text"]);
    assert_eq!(original.rows.len(), 3);

    let folder = batchdesk_test_support::temp_folder();
    let destination = folder.path().join("tidy.csv");
    std::fs::write(&destination, "an older file").unwrap();
    let names = HashMap::from([
        ("q-sentiment".to_owned(), "Sentiment".to_owned()),
        ("q-summary".to_owned(), "Summary".to_owned()),
        ("q-pay".to_owned(), "Fair pay".to_owned()),
    ]);
    let summary = write_tidy_csv(&destination, &set, &analysis, Some(&original), &names).unwrap();
    // task id, 2 data columns; choice 7, explained choice 8, text 2, number 5, files 2.
    assert_eq!(summary.columns, 3 + 7 + 8 + 2 + 5 + 2);
    assert_eq!(summary.rows, 4);
    assert_eq!((summary.unanswered_rows, summary.items_not_in_data), (1, 1));

    let (header, rows) = read_tidy(&destination);
    assert_eq!(
        header,
        [
            "task_id",
            "id",
            "review_text",
            "Sentiment [majority answer]",
            "Sentiment [support]",
            "Sentiment [agreement]",
            "Sentiment [tied answers]",
            "Sentiment [number of answers]",
            "Sentiment [consensus answer]",
            "Sentiment [consensus confidence]",
            "q-wrong [majority answer]",
            "q-wrong [support]",
            "q-wrong [agreement]",
            "q-wrong [tied answers]",
            "q-wrong [number of answers]",
            "q-wrong [consensus answer]",
            "q-wrong [consensus confidence]",
            "q-wrong [explanations]",
            "Summary [answers]",
            "Summary [number of answers]",
            "Fair pay [mean]",
            "Fair pay [median]",
            "Fair pay [unit]",
            "Fair pay [answers]",
            "Fair pay [number of answers]",
            "q-files [files]",
            "q-files [number of answers]",
        ]
    );
    assert_eq!(summary.guide.len(), header.len());
    let [t2, t1, t9, t3] = &rows[..] else {
        panic!("four rows: {rows:?}");
    };
    let t2 = cells(&header, t2);
    assert_eq!(
        (
            t2["task_id"],
            t2["review_text"],
            t2["Sentiment [majority answer]"]
        ),
        ("t2", "Bad, really", "neg")
    );
    assert_eq!(
        (
            t2["Sentiment [support]"],
            t2["Sentiment [agreement]"],
            t2["Sentiment [number of answers]"]
        ),
        ("1.0000", "1.0000", "3")
    );
    assert_eq!(t2["Sentiment [tied answers]"], "");
    // Everyone agreed: the model too, and it is sure.
    assert_eq!(t2["Sentiment [consensus answer]"], "neg");
    let sure: f64 = t2["Sentiment [consensus confidence]"].parse().unwrap();
    assert!(sure > 0.9, "confidence {sure}");
    assert_eq!(t2["Fair pay [mean]"], "12");
    assert_eq!(t2["Fair pay [answers]"], "12 gbp | 12 gbp | 12 gbp");

    let t1 = cells(&header, t1);
    assert_eq!(
        t1["review_text"], "Lovely £5 café",
        "accents and currency signs kept"
    );
    assert_eq!(
        (
            t1["Sentiment [majority answer]"],
            t1["Sentiment [support]"],
            t1["Sentiment [agreement]"]
        ),
        ("pos", "0.6667", "0.3333")
    );
    assert_eq!(t1["q-wrong [majority answer]"], "2; typos");
    assert_eq!(
        t1["q-wrong [explanations]"]
            .matches("Which typos? teh")
            .count(),
        3
    );
    assert_eq!(
        t1["Summary [answers]"],
        "reads well and covers the main point | reads well and covers the main point | \
         reads well and covers the main point | Très \"bien\", merci"
    );
    assert_eq!(t1["Summary [number of answers]"], "4");
    // 12, 15 and 30 gbp: the euros are listed, not averaged.
    assert_eq!(
        (
            t1["Fair pay [mean]"],
            t1["Fair pay [median]"],
            t1["Fair pay [unit]"]
        ),
        ("19", "15", "gbp")
    );
    assert_eq!(
        t1["Fair pay [answers]"],
        "12 gbp | 15 gbp | 30 gbp | 99 eur"
    );
    assert_eq!(t1["Fair pay [number of answers]"], "4");
    assert_eq!(
        t1["q-files [files]"],
        "upload-1.png | upload-1.png | upload-1.png"
    );

    let t9 = cells(&header, t9);
    assert_eq!((t9["task_id"], t9["id"]), ("t9", "9"), "unanswered, kept");
    assert!(
        header[3..]
            .iter()
            .all(|column| t9[column.as_str()].is_empty())
    );
    let t3 = cells(&header, t3);
    assert_eq!(
        (
            t3["task_id"],
            t3["id"],
            t3["Sentiment [majority answer]"],
            t3["Sentiment [support]"]
        ),
        ("t3", "", "", "0.5000")
    );
    assert_eq!(
        (
            t3["Sentiment [agreement]"],
            t3["Sentiment [tied answers]"],
            t3["Summary [answers]"]
        ),
        ("0.0000", "neg | pos", "")
    );

    // The guide: every column in order, each said in words, then notes; also with a BOM.
    let guide_path = column_guide_path(&destination);
    assert_eq!(guide_path, folder.path().join("tidy - column guide.csv"));
    write_column_guide(&guide_path, &summary.guide).unwrap();
    let (guide_header, guide) = read_tidy(&guide_path);
    assert_eq!(guide_header, ["Column", "What it holds"]);
    let listed: Vec<&str> = guide[..header.len()]
        .iter()
        .map(|row| row[0].as_str())
        .collect();
    assert_eq!(listed, header);
    let meaning = |column: &str| {
        guide
            .iter()
            .find(|row| row[0] == column)
            .map(|row| row[1].clone())
            .unwrap()
    };
    assert!(meaning("Sentiment [support]").contains("from 0 to 1"));
    assert!(meaning("Sentiment [tied answers]").contains("you decide"));
    assert!(meaning("Fair pay [mean]").contains("Only answers in gbp"));
    assert!(meaning("Summary [answers]").contains("joined with \"|\""));
    assert!(
        guide
            .iter()
            .all(|row| row[0].is_empty() || !row[1].is_empty())
    );
    assert!(guide.iter().any(|row| row[1].contains("apostrophe")));
    let mut leftovers: Vec<_> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        ["tidy - column guide.csv", "tidy.csv"],
        "no temporary file is left behind"
    );

    // Without original data: one row per answered item, in reading order.
    let bare = folder.path().join("bare.csv");
    let summary = write_tidy_csv(&bare, &set, &analysis, None, &HashMap::new()).unwrap();
    assert_eq!((summary.rows, summary.columns), (3, 1 + 7 + 8 + 2 + 5 + 2));
    let (header, rows) = read_tidy(&bare);
    assert_eq!(header[..2], ["task_id", "q-sentiment [majority answer]"]);
    let order: Vec<&str> = rows.iter().map(|row| row[0].as_str()).collect();
    assert_eq!(order, ["t1", "t2", "t3"]);
    assert!(OriginalData::from_report_csv("a,b\n1,2\n".as_bytes()).is_err());
}

#[test]
fn the_column_guide_is_named_after_the_tidy_csv() {
    let guide = |name: &str| column_guide_path(std::path::Path::new(name));
    assert_eq!(
        guide("/r/Tweets - results.csv"),
        std::path::Path::new("/r/Tweets - results - column guide.csv")
    );
    assert_eq!(
        guide("/r/RESULTS.CSV"),
        std::path::Path::new("/r/RESULTS - column guide.csv")
    );
    assert_eq!(
        guide("/r/results"),
        std::path::Path::new("/r/results - column guide.csv")
    );
    assert_eq!(
        guide("/r/.csv"),
        std::path::Path::new("/r/results - column guide.csv")
    );
}

#[test]
fn question_names_come_from_the_layout_and_a_non_zip_export_is_refused() {
    let batch = json!({"id": "b", "batch_items": [{"rows": [{"columns": [{"items": [
        {"id": "i1", "type": "rich_text", "content": "<p>Hi</p>"},
        {"id": "i2", "type": "multiple_choice", "description": "How does it feel?"},
        {"type": "free_text", "description": "No id yet"}]}]}]}]});
    let names = question_names(batch.to_string().as_bytes()).unwrap();
    assert_eq!(
        names,
        HashMap::from([("i2".to_owned(), "How does it feel?".to_owned())])
    );
    let error = read_export_zip(std::io::Cursor::new(b"not a zip".to_vec())).unwrap_err();
    assert!(error.to_string().contains("ZIP"), "{error}");
}

#[test]
fn a_choice_questions_options_keep_their_value_and_the_label_participants_read() {
    let batch = json!({"id": "b", "batch_items": [{"rows": [{"columns": [{"items": [
        {"id": "verdict", "type": "multiple_choice_with_free_text",
         "description": "Does the source support the claim?",
         "options": [
            {"label": "Supported", "value": "supported", "heading": "Where?"},
            {"label": "Not enough information", "value": "not_enough_info"},
            {"label": " ", "value": "blank_label"},
            {"label": "No value"},
            {"label": "Five", "value": 5}]},
        {"id": "units", "type": "free_text_with_unit", "description": "How long?",
         "unit_options": [{"label": "Minutes", "value": "min"}]}]}]}]}]});
    let layout = batch_layout(batch.to_string().as_bytes()).unwrap();
    let option = |value: &str, label: &str| OptionLabel {
        value: value.to_owned(),
        label: label.to_owned(),
    };
    // In the layout's order; a blank label reads as the value, an option without a
    // value is left out, a number value reads as answers read it.
    assert_eq!(
        layout.options,
        HashMap::from([(
            "verdict".to_owned(),
            vec![
                option("supported", "Supported"),
                option("not_enough_info", "Not enough information"),
                option("blank_label", "blank_label"),
                option("5", "Five"),
            ]
        )])
    );

    // The tidy CSV keeps the values; its column guide says what participants read.
    let mut builder = ResponseSetBuilder::new();
    for (participant, value) in [("p1", "not_enough_info"), ("p2", "not_enough_info")] {
        builder.add(
            "t1",
            "verdict",
            QuestionKind::MultipleChoice,
            participant,
            NewAnswer::Choice {
                values: &[value],
                explanations: &[],
            },
        );
    }
    let set = builder.finish();
    let analysis = analyse(&set, &AnalysisOptions::default());
    let folder = batchdesk_test_support::temp_folder();
    let destination = folder.path().join("tidy.csv");
    let summary = write_tidy_csv_with_options(
        &destination,
        &set,
        &analysis,
        None,
        &layout.question_names,
        &layout.options,
    )
    .unwrap();
    let (header, rows) = read_tidy(&destination);
    let majority = "Does the source support the claim? [majority answer]";
    let column = header.iter().position(|name| name == majority).unwrap();
    assert_eq!(rows[0][column], "not_enough_info");
    let meaning = &summary
        .guide
        .iter()
        .find(|meaning| meaning.column == majority)
        .unwrap()
        .meaning;
    assert!(
        meaning.contains(r#"not_enough_info = "Not enough information""#)
            && meaning.contains(r#"supported = "Supported""#),
        "{meaning}"
    );
    // Without options (or options that read as their values) the guide says nothing of them.
    let plain = write_tidy_csv(&destination, &set, &analysis, None, &layout.question_names)
        .unwrap()
        .guide;
    let plain = &plain
        .iter()
        .find(|meaning| meaning.column == majority)
        .unwrap()
        .meaning;
    assert!(!plain.contains("participants read"), "{plain}");
}

#[test]
fn the_tidy_csv_never_carries_a_live_spreadsheet_formula() {
    let mut records = sample_records();
    for record in &mut records {
        if record["task_id"] == "t1" && record["response"]["instruction_id"] == "q-summary" {
            record["response"]["answer"] = json!([{"value": "=1+2"}]);
        }
    }
    let set = read_responses_jsonl(by_task_jsonl(&records).as_bytes()).unwrap();
    let analysis = analyse(&set, &AnalysisOptions::default());
    // A participant-facing text cell that a spreadsheet would run.
    let report = "task_id,id,review_text,participant_id,submission_id\n\
                  t1,-1.5,\"=HYPERLINK(\"\"http://example.org\"\",\"\"click\"\")\",p0,s0\n";
    let original = OriginalData::from_report_csv(report.as_bytes()).unwrap();
    let folder = batchdesk_test_support::temp_folder();
    let destination = folder.path().join("tidy.csv");
    write_tidy_csv(
        &destination,
        &set,
        &analysis,
        Some(&original),
        &HashMap::new(),
    )
    .unwrap();
    let (header, rows) = read_tidy(&destination);
    let row = &rows[0];
    assert_eq!(&row[1], "-1.5", "numbers stay numbers");
    assert_eq!(&row[2], "'=HYPERLINK(\"http://example.org\",\"click\")");
    // Answers too: a free-text answer that a spreadsheet would run is made text.
    let summary = header
        .iter()
        .position(|column| column == "q-summary [answers]")
        .unwrap();
    assert_eq!(rows[0][summary], "'=1+2 | =1+2 | =1+2");
}
