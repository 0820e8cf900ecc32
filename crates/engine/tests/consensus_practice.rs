//! The model-based consensus against the practice server's simulated people, whose rows
//! carry a hidden truth (a `META_truth` column the simulation answers from, which the
//! app does not read unless told it holds known answers): Dawid-Skene's labels should be
//! right at least as often as the majority vote's, careless people (fast clickers,
//! straight-liners, bots) should come out less reliable than careful and average ones,
//! and known answers should pin their items.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::HashMap;
use std::path::Path;

use batchdesk_engine::analysis::QuestionAnalysis;
use batchdesk_engine::connection::Connections;
use batchdesk_engine::results::{KnownAnswersChoice, Results, ResultsSummary};

const TOKEN: &str = "consensus-token";
const ROWS: usize = 60;
/// Unbalanced: three in five rows are positive.
const TRUTHS: [&str; 5] = ["positive", "positive", "positive", "neutral", "negative"];
const CARELESS: [&str; 3] = ["fast_clicker", "straight_liner", "bot"];

fn truth_of(row: usize) -> &'static str {
    TRUTHS[(row * 7 + row / 5) % TRUTHS.len()]
}

/// `ROWS` reviews, each with its truth in a hidden `META_truth` column.
fn reviews(dir: &Path) -> String {
    let path = dir.join("reviews with their truth.csv");
    let mut text = String::from("id,review_text,META_truth\n");
    for row in 0..ROWS {
        text.push_str(&format!(
            "{row},\"Review number {row}: it arrived, and it was {}\",{}\n",
            row * 7 % 11,
            truth_of(row)
        ));
    }
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A sentiment study on the server seeded `seed`: sittings of 20 rows, 7 people per
/// row, a crowd a third careless. Its results downloaded and analysed.
async fn run_study(dir: &Path, seed: u64) -> (Connections, Results, String, ResultsSummary) {
    let config = support::steady_practice(seed, TOKEN);
    let connections = support::practising(dir, config).await;
    let mix = serde_json::json!({
        "careful": 15, "average": 50, "fast_clicker": 12, "straight_liner": 12, "bot": 11
    });
    support::practice_api(
        &connections,
        TOKEN,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "crowd_mix": mix })),
    )
    .await;
    let context = support::sentiment_task_on(&connections, reviews(dir), 20).await;
    support::set_up_batch(&connections, &context).await;
    let launched = support::publish_with_people_per_item(&connections, 7).await;
    assert!(launched.published);
    let results = Results::new(dir);
    let summary = results
        .summary(&connections, &launched.study_id, true, |_| {})
        .await
        .unwrap();
    (connections, results, launched.study_id, summary)
}

/// Each task's truth, from the data row the item was made of.
fn truths(summary: &ResultsSummary, results: &Results, study_id: &str) -> HashMap<String, String> {
    // The report's rows carry the data; the row number is in the `id` column.
    let report = std::fs::read_to_string(results.folder(study_id).join("report.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(report.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|c| c == name).unwrap();
    let (task, id) = (column("task_id"), column("id"));
    let mut truths = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let row: usize = record[id].parse().unwrap();
        truths.insert(record[task].to_owned(), truth_of(row).to_owned());
    }
    assert!(
        summary.analysis.questions[0]
            .items
            .iter()
            .all(|item| truths.contains_key(&item.task_id)),
        "every answered item has its data row"
    );
    truths
}

fn sentiment(summary: &ResultsSummary) -> &QuestionAnalysis {
    summary
        .analysis
        .questions
        .iter()
        .find(|question| question.consensus.is_some())
        .expect("the sentiment question has a consensus")
}

/// (Dawid-Skene right, majority vote right (a tie counts as its share of a guess), items).
fn accuracy(question: &QuestionAnalysis, truths: &HashMap<String, String>) -> (f64, f64, usize) {
    let (mut model, mut majority) = (0.0, 0.0);
    for item in &question.items {
        let truth = &truths[&item.task_id];
        let consensus = item.consensus.as_ref().unwrap();
        model += f64::from(u8::from(&consensus.label == truth));
        let vote = &item.consolidated;
        majority += match &vote.label {
            Some(label) => f64::from(u8::from(label == truth)),
            None if vote.tied_labels.contains(truth) => 1.0 / vote.tied_labels.len() as f64,
            None => 0.0,
        };
    }
    (model, majority, question.items.len())
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

#[tokio::test]
async fn dawid_skene_is_right_as_often_as_the_majority_and_careless_people_score_lower() {
    let (mut model_right, mut majority_right, mut items) = (0.0, 0.0, 0);
    let (mut careless, mut careful) = (Vec::new(), Vec::new());
    let (mut careless_competence, mut careful_competence) = (Vec::new(), Vec::new());
    for seed in 1..=3 {
        let dir = batchdesk_test_support::temp_folder();
        let (connections, results, study_id, summary) = run_study(dir.path(), seed).await;
        let truths = truths(&summary, &results, &study_id);
        let question = sentiment(&summary);
        let (model, majority, count) = accuracy(question, &truths);
        eprintln!(
            "seed {seed}: Dawid-Skene right on {model} of {count}, majority vote on {majority:.1}"
        );
        model_right += model;
        majority_right += majority;
        items += count;
        let consensus = question.consensus.as_ref().unwrap();
        assert_eq!(consensus.known_items, 0, "nobody said the truth is known");
        let kinds = support::participant_kinds(&connections, TOKEN, &study_id).await;
        for person in &consensus.annotators {
            let kind = kinds[&person.participant_id].as_str();
            eprintln!(
                "  {kind:>14}: reliability {:.2}, competence {:.2}",
                person.reliability, person.competence
            );
            if CARELESS.contains(&kind) {
                careless.push(person.reliability);
                careless_competence.push(person.competence);
            } else {
                careful.push(person.reliability);
                careful_competence.push(person.competence);
            }
        }
        // Least reliable first.
        assert!(
            consensus
                .annotators
                .windows(2)
                .all(|pair| pair[0].reliability <= pair[1].reliability)
        );
    }
    eprintln!(
        "over 3 studies: Dawid-Skene right on {model_right} of {items}, majority vote on \
         {majority_right:.1}; reliability careless {:.2} ({} people), others {:.2} ({}); \
         MACE competence careless {:.2}, others {:.2}",
        mean(&careless),
        careless.len(),
        mean(&careful),
        careful.len(),
        mean(&careless_competence),
        mean(&careful_competence)
    );
    assert_eq!(items, 3 * ROWS);
    assert!(
        model_right >= majority_right,
        "Dawid-Skene {model_right} < majority {majority_right}"
    );
    assert!(
        careless.len() >= 6 && careful.len() >= 20,
        "the mix brought both kinds"
    );
    assert!(
        mean(&careless) + 0.25 < mean(&careful),
        "reliability: careless {:.2}, others {:.2}",
        mean(&careless),
        mean(&careful)
    );
    assert!(
        mean(&careless_competence) + 0.25 < mean(&careful_competence),
        "competence: careless {:.2}, others {:.2}",
        mean(&careless_competence),
        mean(&careful_competence)
    );
}

#[tokio::test]
async fn known_answers_pin_their_items_in_the_results() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, results, study_id, summary) = run_study(dir.path(), 9).await;
    let truths = truths(&summary, &results, &study_id);
    let question_id = summary.questions[0].id.clone();
    results
        .set_known_answers(
            &study_id,
            Some(KnownAnswersChoice {
                column: "META_truth".to_owned(),
                question_id,
            }),
        )
        .await
        .unwrap();
    // The results in memory are analysed again with the known answers.
    let pinned = results
        .summary(&connections, &study_id, false, |_| {})
        .await
        .unwrap();
    let question = sentiment(&pinned);
    let consensus = question.consensus.as_ref().unwrap();
    assert_eq!(consensus.known_items as usize, ROWS);
    for item in &question.items {
        let label = item.consensus.as_ref().unwrap();
        assert!(label.known);
        assert_eq!(label.label, truths[&item.task_id]);
        assert!((label.confidence - 1.0).abs() < f64::EPSILON);
    }
    // Saying none are known frees them again.
    results.set_known_answers(&study_id, None).await.unwrap();
    let free = results
        .summary(&connections, &study_id, false, |_| {})
        .await
        .unwrap();
    assert_eq!(sentiment(&free).consensus.as_ref().unwrap().known_items, 0);
}

/// The results page gets each list's first items and length; the rest comes a page at a
/// time, in the same order, with nothing skipped or repeated; the summary it gets does
/// not carry every item (a large study's page would hold them all).
#[tokio::test]
async fn item_lists_come_a_page_at_a_time_and_the_summary_holds_only_their_start() {
    use batchdesk_engine::analysis::item_lists::{self, ItemList, PREVIEW_ITEMS};

    let dir = batchdesk_test_support::temp_folder();
    let (_connections, results, study_id, summary) = run_study(dir.path(), 4).await;
    let question = sentiment(&summary);
    for list in [ItemList::Flagged, ItemList::ToReview] {
        let expected: Vec<String> = item_lists::members(&question.items, list)
            .iter()
            .map(|item| item.task_id.clone())
            .collect();
        let preview = match list {
            ItemList::Flagged => &question.flagged,
            ItemList::ToReview => &question.to_review,
        };
        assert_eq!(preview.total as usize, expected.len(), "{list:?}");
        let first: Vec<&str> = preview
            .first
            .iter()
            .map(|item| item.task_id.as_str())
            .collect();
        assert_eq!(
            first,
            expected
                .iter()
                .take(PREVIEW_ITEMS)
                .map(String::as_str)
                .collect::<Vec<_>>()
        );

        let mut paged = Vec::new();
        let mut offset = 0;
        loop {
            let page = results
                .item_list(&study_id, &question.question_id, list, offset, 7)
                .await
                .unwrap();
            assert_eq!(page.total as usize, expected.len());
            if page.items.is_empty() {
                break;
            }
            offset += u32::try_from(page.items.len()).unwrap();
            paged.extend(page.items.into_iter().map(|item| item.task_id));
        }
        assert_eq!(paged, expected, "{list:?}: every item once, in order");
    }
    // Not a vacuous pass: a third of the crowd is careless, so some item is listed. (The
    // simulated crowd's answers vary from run to run, so neither list alone is promised.)
    assert!(
        question.to_review.total + question.flagged.total > 0,
        "flagged {}, to review {}",
        question.flagged.total,
        question.to_review.total
    );
    assert_eq!(
        question.consensus_items as usize,
        question
            .items
            .iter()
            .filter(|item| item.consensus.is_some())
            .count()
    );

    let sent = serde_json::to_value(&summary).unwrap();
    let question_sent = &sent["analysis"]["questions"][0];
    assert!(
        question_sent.get("items").is_none(),
        "the summary sent to the page holds no full item list"
    );
    assert!(question_sent.get("flagged").is_some());
}
