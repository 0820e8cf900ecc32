//! Results show what participants read, and keep what the answers carry: a choice
//! question whose options' labels differ from their values, run on the practice server
//! with simulated people (some giving one answer to everything). The summary carries
//! each option's value and label; the table, the filters and the downloads keep the
//! values; the scorecard's sentences (and the rejection it drafts for a participant)
//! quote the labels.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;

use batchdesk_engine::analysis::OptionLabel;
use batchdesk_engine::analysis::scorecard::FlagKind;
use batchdesk_engine::connection::Connections;
use batchdesk_engine::results::{DownloadKind, Results, RowsQuery};
use batchdesk_engine::task::design::{ChoiceOption, DataRow, QuestionKind};
use batchdesk_engine::task::{TaskDesign, templates};
use batchdesk_engine::wizard;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "labels-token";
const ROWS: usize = 40;
/// `(value, label)`: what the answers carry, and what participants read.
const OPTIONS: [(&str, &str); 3] = [
    ("pos", "Mostly good"),
    ("mid", "Mixed, or neither"),
    ("neg", "Mostly bad"),
];

fn reviews(dir: &Path) -> String {
    let path = dir.join("reviews.csv");
    let mut text = String::from("id,review_text\n");
    for row in 0..ROWS {
        text.push_str(&format!(
            "{row},\"Review {row}: it did the job ({})\"\n",
            row * 5 % 7
        ));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A sentiment task whose options read otherwise than their values, in sittings of 8,
/// published for 6 people per item from a crowd where some give one answer to all.
async fn labelled_study(dir: &Path) -> (Connections, String) {
    let config = support::steady_practice(3, TOKEN);
    let connections = support::practising(dir, config).await;
    support::practice_api(
        &connections,
        TOKEN,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "crowd_mix": {"average": 70, "straight_liner": 30} })),
    )
    .await;
    let path = reviews(dir);
    wizard::choose_file(&connections, path.clone(), path)
        .await
        .unwrap();
    wizard::upload_data(&connections, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let context = support::task_context(&connections).await;
    let mut design: TaskDesign = templates::apply_built_in("sentiment", &context)
        .unwrap()
        .design;
    design.data_rows = vec![DataRow {
        columns: vec!["review_text".to_owned()],
    }];
    design.tasks_per_group = 8;
    let QuestionKind::MultipleChoice(choice) = &mut design.questions[0].kind else {
        panic!("the sentiment template asks a choice");
    };
    choice.options = OPTIONS
        .iter()
        .map(|(value, label)| ChoiceOption {
            label: (*label).to_owned(),
            value: (*value).to_owned(),
            exclusive: false,
            heading: String::new(),
        })
        .collect();
    wizard::save_design(&connections, design, &context)
        .await
        .unwrap();
    support::set_up_batch(&connections, &context).await;
    let launched = support::publish_with_people_per_item(&connections, 6).await;
    assert!(launched.published);
    (connections, launched.study_id)
}

#[tokio::test]
async fn results_carry_each_options_label_and_keep_the_values_in_the_data() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study) = labelled_study(dir.path()).await;
    let results = Results::new(dir.path());
    let summary = results
        .summary(&connections, &study, true, |_| {})
        .await
        .unwrap();

    // The summary carries the options as the layout has them: value and label.
    let question = &summary.questions[0];
    let expected: Vec<OptionLabel> = OPTIONS
        .iter()
        .map(|(value, label)| OptionLabel {
            value: (*value).to_owned(),
            label: (*label).to_owned(),
        })
        .collect();
    assert_eq!(question.options, expected);
    // The counts, the table and its filter hold the values.
    let values: Vec<&str> = OPTIONS.iter().map(|(value, _)| *value).collect();
    let counted = &summary.analysis.questions[0].distribution;
    assert!(!counted.is_empty());
    assert!(
        counted
            .iter()
            .all(|option| values.contains(&option.value.as_str())),
        "{counted:?}"
    );
    let rows = results
        .rows(
            &study,
            &RowsQuery {
                offset: 0,
                limit: 1000,
                participant: None,
                question_id: Some(question.id.clone()),
                answer: Some("neg".to_owned()),
                by_item: false,
            },
        )
        .await
        .unwrap();
    assert!(rows.total > 0);
    assert!(
        rows.rows
            .iter()
            .all(|row| row.answers[0].split("; ").any(|value| value == "neg")),
        "a filter on the value finds the answers holding it"
    );

    // The tidy CSV keeps the values; its guide says what participants read.
    let tidy = dir.path().join("results.csv");
    let saved = results
        .save(&study, DownloadKind::Tidy, &tidy)
        .await
        .unwrap();
    let text = String::from_utf8(std::fs::read(&tidy).unwrap()).unwrap();
    assert!(text.contains(",neg,") || text.contains(",pos,") || text.contains(",mid,"));
    assert!(!text.contains("Mostly good") && !text.contains("Mostly bad"));
    let guide = std::fs::read_to_string(saved.guide.unwrap()).unwrap();
    assert!(guide.contains("pos = \"\"Mostly good\"\""), "{guide}");

    // The scorecard quotes what a straight-liner chose as they read it, to the
    // researcher and in the rejection drafted for them.
    let card = results.scorecard(&study).await.unwrap().card;
    let straight: Vec<_> = card
        .participants
        .iter()
        .filter_map(|score| {
            let flag = score
                .flags
                .iter()
                .find(|flag| flag.kind == FlagKind::SameAnswerToEverything)?;
            Some((flag, score.draft_rejection.as_ref()?))
        })
        .collect();
    assert!(!straight.is_empty(), "some straight-liners are flagged");
    for (flag, draft) in straight {
        let label = OPTIONS
            .iter()
            .find(|(_, label)| flag.evidence.contains(&format!("“{label}”")))
            .map(|(_, label)| *label);
        assert!(label.is_some(), "{}", flag.evidence);
        assert!(
            flag.to_participant
                .contains(&format!("“{}”", label.unwrap())),
            "{}",
            flag.to_participant
        );
        assert!(
            draft.message.contains(&flag.to_participant),
            "{}",
            draft.message
        );
        for value in &values {
            assert!(
                !draft.message.contains(&format!("“{value}”")),
                "{}",
                draft.message
            );
        }
    }
}
