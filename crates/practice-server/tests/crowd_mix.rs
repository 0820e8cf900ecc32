//! Simulated people who differ, over real HTTP: with a crowd mix, careful and average
//! people answer each row's hidden truth (a `META_` column naming an option, else the
//! row's data), fast clickers and bots click at random in a fraction of the time,
//! straight-liners give one answer to everything, bots copy one text; the kinds come in
//! the mix's shares and `/_practice/studies/{id}/participants` says who was what. A mix
//! must add up to 100. Without a mix the participants answer and take their time exactly
//! as they always have (pinned here against a state saved, and numbers recorded, before
//! kinds existed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use batchdesk_practice::{CrowdMix, PracticeConfig, PracticeServer, StartError};
use common::{Api, assert_error, one_question, study_body, workspace_id};
use serde_json::{Value, json};
use sha2::Digest;

const STUDIES: &str = "/api/v1/studies/";
const BATCHES: &str = "/api/v1/data-collection/batches";
const CONTROL: &str = "/_practice/workspace";
const KINDS: [&str; 5] = [
    "careful",
    "average",
    "fast_clicker",
    "straight_liner",
    "bot",
];

// --- helpers ---------------------------------------------------------------------------------

/// `value` with every object's keys in order, so that its text does not depend on how
/// `serde_json` keeps maps.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut sorted = serde_json::Map::new();
            for key in keys {
                sorted.insert(key.clone(), canonical(&map[key]));
            }
            Value::Object(sorted)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

async fn publish(api: &Api, study: &str) {
    let (status, answer) = api
        .post(
            &format!("{STUDIES}{study}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
}

async fn submissions(api: &Api, study: &str) -> Vec<Value> {
    api.get_all(&format!("{STUDIES}{study}/submissions/?page_size=10"))
        .await
}

async fn responses(api: &Api, batch: &str) -> Vec<Value> {
    api.get_all(&format!("{BATCHES}/{batch}/responses?page_size=10"))
        .await
}

/// A study of `places` places on `batch` (whose task groups are one), published; its id.
async fn published(api: &Api, batch: &str, places: u64) -> String {
    let mut body = study_body(batch);
    body["data_collection_metadata"]["annotators_per_task"] = json!(places);
    let (status, study) = api.post(STUDIES, body).await;
    assert_eq!(status, 201, "{study}");
    assert_eq!(study["total_available_places"], places);
    let study = study["id"].as_str().unwrap().to_owned();
    publish(api, &study).await;
    study
}

/// `GET /_practice/studies/{study}/participants`: each participant's kind, in order.
async fn kinds(api: &Api, study: &str) -> Vec<(String, Value)> {
    let (status, body) = api
        .get(&format!("/_practice/studies/{study}/participants"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            assert_eq!(entry.as_object().unwrap().len(), 2, "{entry}");
            (
                entry["participant_id"].as_str().unwrap().to_owned(),
                entry["kind"].clone(),
            )
        })
        .collect()
}

/// Thirty reviews, each with a known answer in `META_sentiment` written in another case
/// than the option values.
fn labelled_reviews() -> Vec<u8> {
    let labels = ["Positive", "NEGATIVE", "neutral"];
    let mut csv = "id,review,META_sentiment\n".to_owned();
    for row in 0..30 {
        csv.push_str(&format!(
            "{row},Review number {row} of the widget,{}\n",
            labels[row % 3]
        ));
    }
    csv.into_bytes()
}

/// Three questions: the sentiment (its truth known), spam or not (its truth hidden), and
/// a comment.
fn three_questions() -> Value {
    json!([{ "rows": [{ "columns": [{ "items": [
        {"type": "multiple_choice", "description": "How does the review feel?", "answer_limit": 1,
         "options": [{"label": "Positive", "value": "positive"}, {"label": "Negative", "value": "negative"},
                     {"label": "Neutral", "value": "neutral"}]},
        {"type": "multiple_choice", "description": "Is it spam?", "answer_limit": 1,
         "options": [{"label": "Yes", "value": "yes"}, {"label": "No", "value": "no"}]},
        {"type": "free_text", "description": "Why?"}
    ]}]}]}])
}

/// A READY batch over `csv` with `layout`, every row in one task group.
async fn batch_over(api: &Api, csv: Vec<u8>, rows: u64, layout: Value) -> String {
    let dataset = api.create_v3_dataset().await;
    api.upload(&dataset, "labelled.csv", csv).await;
    assert_eq!(api.dataset(&dataset).await["status"], "READY");
    let (status, batch) = api
        .post(
            BATCHES,
            json!({"name": "Labelled", "workspace_id": workspace_id(), "dataset_id": dataset,
                   "task_details": {"task_name": "Rate", "task_introduction": "Read.", "task_steps": "Rate."},
                   "batch_items": layout}),
        )
        .await;
    assert_eq!(status, 201, "{batch}");
    let id = batch["id"].as_str().unwrap().to_owned();
    let (status, answer) = api
        .post(
            &format!("{BATCHES}/{id}/setup"),
            json!({"tasks_per_group": rows}),
        )
        .await;
    assert_eq!(status, 202, "{answer}");
    let (_, batch) = api.get(&format!("{BATCHES}/{id}")).await;
    assert_eq!(batch["status"], "READY", "{batch}");
    assert_eq!(batch["total_task_groups"], 1, "{batch}");
    id
}

/// The batch's CSV report (one row per item a person answered), by its columns' names.
async fn report(api: &Api, batch: &str) -> Vec<HashMap<String, String>> {
    let (status, link) = api.get(&format!("{BATCHES}/{batch}/report/")).await;
    assert_eq!(status, 200, "{link}");
    let response = reqwest::get(link["url"].as_str().unwrap()).await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let bytes = response.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_ref());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|record| {
            header
                .iter()
                .cloned()
                .zip(record.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn median(mut values: Vec<u64>) -> u64 {
    assert!(!values.is_empty());
    values.sort_unstable();
    values[values.len() / 2]
}

// --- with a mix ------------------------------------------------------------------------------

#[tokio::test]
async fn a_mixed_crowd_answers_and_takes_its_time_as_each_kind_does() {
    let api = Api::start().await;
    let (status, settings) = api
        .patch(
            CONTROL,
            json!({"crowd_mix": {"careful": 20, "average": 40, "fast_clicker": 15,
                                 "straight_liner": 15, "bot": 10}}),
        )
        .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["crowd_mix"]["straight_liner"], 15, "{settings}");
    let batch = batch_over(&api, labelled_reviews(), 30, three_questions()).await;
    let study = published(&api, &batch, 80).await;

    // Who is who: everyone with a submission, once, each of a kind.
    let kind_of: HashMap<String, String> = kinds(&api, &study)
        .await
        .into_iter()
        .map(|(participant, kind)| (participant, kind.as_str().unwrap().to_owned()))
        .collect();
    let listed = submissions(&api, &study).await;
    assert_eq!(listed.len(), 80);
    let people: BTreeSet<&str> = listed
        .iter()
        .map(|submission| submission["participant_id"].as_str().unwrap())
        .collect();
    assert_eq!(people, kind_of.keys().map(String::as_str).collect());
    let of_kind = |kind: &str| -> Vec<&String> {
        kind_of
            .iter()
            .filter(|(_, theirs)| *theirs == kind)
            .map(|(participant, _)| participant)
            .collect()
    };
    for kind in KINDS {
        assert!(of_kind(kind).len() >= 3, "{kind}: {kind_of:?}");
    }

    // Times: fast clickers and bots far below the others, straight-liners in between.
    let times = |kinds: &[&str]| -> Vec<u64> {
        listed
            .iter()
            .filter(|submission| {
                kinds.contains(&kind_of[submission["participant_id"].as_str().unwrap()].as_str())
            })
            .map(|submission| submission["time_taken"].as_u64().unwrap())
            .collect()
    };
    let usual = median(times(&["careful", "average"]));
    // study_body estimates 5 minutes: 300 seconds.
    assert!((255..=345).contains(&usual), "{usual}");
    let hurried = times(&["fast_clicker", "bot"]);
    assert!(
        hurried.iter().all(|seconds| *seconds * 2 < usual),
        "{hurried:?} against {usual}"
    );
    assert!(median(times(&["fast_clicker"])) * 4 < usual);
    assert!(median(times(&["bot"])) * 10 < usual);
    let straight = median(times(&["straight_liner"]));
    assert!(
        straight * 3 < usual * 2 && straight * 3 > usual,
        "{straight}"
    );

    let rows = report(&api, &batch).await;
    assert_eq!(rows.len(), 80 * 30);
    let feel = "Q1 How does the review feel?";
    let spam = "Q2 Is it spam?";
    let why = "Q3 Why?";
    let rows_of = |kind: &str| -> Vec<&HashMap<String, String>> {
        rows.iter()
            .filter(|row| kind_of[&row["participant_id"]] == kind)
            .collect()
    };
    // The known answer, in any case, is the truth: careful people give it.
    let accuracy = |kind: &str| {
        let rows = rows_of(kind);
        let right = rows
            .iter()
            .filter(|row| row[feel] == row["META_sentiment"].to_lowercase())
            .count();
        right as f64 / rows.len() as f64
    };
    assert!(accuracy("careful") >= 0.9, "{}", accuracy("careful"));
    assert!(
        (0.7..0.9).contains(&accuracy("average")),
        "{}",
        accuracy("average")
    );
    assert!(
        accuracy("fast_clicker") < 0.5,
        "{}",
        accuracy("fast_clicker")
    );
    assert!(accuracy("bot") < 0.5, "{}", accuracy("bot"));

    // The hidden truth of "spam": what most careful and average people say of a row.
    let mut votes: HashMap<&str, HashMap<&str, usize>> = HashMap::new();
    for row in rows_of("careful").into_iter().chain(rows_of("average")) {
        *votes
            .entry(row["id"].as_str())
            .or_default()
            .entry(row[spam].as_str())
            .or_default() += 1;
    }
    let truth: HashMap<&str, &str> = votes
        .iter()
        .map(|(item, counts)| (*item, *counts.iter().max_by_key(|(_, n)| **n).unwrap().0))
        .collect();
    assert_eq!(truth.len(), 30);
    assert!(
        truth.values().any(|answer| *answer == "yes")
            && truth.values().any(|answer| *answer == "no"),
        "rows differ: {truth:?}"
    );
    let careful = rows_of("careful");
    let agreeing = careful
        .iter()
        .filter(|row| row[spam] == truth[row["id"].as_str()])
        .count();
    assert!(
        agreeing * 10 >= careful.len() * 9,
        "{agreeing} of {}",
        careful.len()
    );

    // Straight-liners: one answer to every item of each question.
    for participant in of_kind("straight_liner") {
        let theirs: Vec<_> = rows
            .iter()
            .filter(|row| &row["participant_id"] == participant)
            .collect();
        assert_eq!(theirs.len(), 30);
        for question in [feel, spam] {
            let answers: BTreeSet<&str> = theirs.iter().map(|row| row[question].as_str()).collect();
            assert_eq!(answers.len(), 1, "{participant}: {answers:?}");
        }
    }
    // Careful people do not: the truth differs from row to row.
    for participant in of_kind("careful") {
        let answers: BTreeSet<&str> = rows
            .iter()
            .filter(|row| &row["participant_id"] == participant)
            .map(|row| row[feel].as_str())
            .collect();
        assert!(answers.len() > 1, "{participant}");
    }
    // Text: bots copy one text into every item, fast clickers write a word or two,
    // careful people write varied sentences.
    for participant in of_kind("bot") {
        let texts: BTreeSet<&str> = rows
            .iter()
            .filter(|row| &row["participant_id"] == participant)
            .map(|row| row[why].as_str())
            .collect();
        assert_eq!(texts.len(), 1, "{participant}: {texts:?}");
        assert!(texts.iter().all(|text| !text.is_empty() && text.len() < 12));
    }
    assert!(
        rows_of("fast_clicker")
            .iter()
            .all(|row| (1..=2).contains(&row[why].split(' ').count()))
    );
    let careful_texts: BTreeSet<&str> = rows_of("careful")
        .iter()
        .map(|row| row[why].as_str())
        .collect();
    assert!(careful_texts.len() > 100, "varied");
    assert!(careful_texts.iter().all(|text| text.len() >= 20));
}

#[tokio::test]
async fn over_a_large_pool_the_kinds_come_in_the_mixs_shares() {
    let mix = CrowdMix {
        careful: 10,
        average: 70,
        fast_clicker: 8,
        straight_liner: 6,
        bot: 6,
    };
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        crowd_mix: Some(mix),
        ..PracticeConfig::default()
    })
    .await;
    let (_, settings) = api.get(CONTROL).await;
    assert_eq!(
        settings["crowd_mix"],
        json!({"careful": 10, "average": 70, "fast_clicker": 8, "straight_liner": 6, "bot": 6})
    );
    api.server.set_balance(10_000_000).unwrap();
    // No questions: only who comes matters. 1,000 places: the 500 regulars and more.
    let batch = api.ready_batch(24).await;
    let study = published(&api, &batch, 1_000).await;
    let listed = kinds(&api, &study).await;
    assert_eq!(listed.len(), 1_000);
    let people: BTreeSet<&str> = listed
        .iter()
        .map(|(participant, _)| participant.as_str())
        .collect();
    assert_eq!(people.len(), 1_000, "one place each");
    for (kind, share) in KINDS.into_iter().zip([10, 70, 8, 6, 6]) {
        let count = listed.iter().filter(|(_, theirs)| theirs == kind).count();
        let percent = count as f64 / 10.0;
        assert!(
            (percent - f64::from(share)).abs() <= 3.0,
            "{kind}: {percent} % of the study, not {share} %"
        );
    }
    assert_eq!(
        KINDS
            .iter()
            .map(|kind| listed.iter().filter(|(_, theirs)| theirs == kind).count())
            .sum::<usize>(),
        1_000,
        "everyone is of a kind"
    );
}

#[tokio::test]
async fn a_mix_must_add_up_to_100_and_null_takes_it_away() {
    let api = Api::start().await;
    let (status, body) = api
        .patch(
            CONTROL,
            json!({"crowd_mix": {"careful": 50, "average": 45}}),
        )
        .await;
    assert_error(status, &body, 400);
    let detail = body["error"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("add up to 100") && detail.contains("95"),
        "{detail}"
    );
    let (status, body) = api
        .patch(CONTROL, json!({"crowd_mix": {"careful": 50, "lazy": 50}}))
        .await;
    assert_error(status, &body, 400);
    let (status, body) = api
        .patch(
            CONTROL,
            json!({"crowd_mix": {"careful": -10, "average": 110}}),
        )
        .await;
    assert_error(status, &body, 400);
    let (_, settings) = api.get(CONTROL).await;
    assert!(settings.get("crowd_mix").is_none(), "unchanged: {settings}");

    let (status, settings) = api
        .patch(CONTROL, json!({"crowd_mix": {"careful": 60, "bot": 40}}))
        .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(
        settings["crowd_mix"],
        json!({"careful": 60, "average": 0, "fast_clicker": 0, "straight_liner": 0, "bot": 40})
    );
    // Another control leaves the mix as it is; null takes it away.
    let (_, settings) = api.patch(CONTROL, json!({"balance": 90_000})).await;
    assert_eq!(settings["crowd_mix"]["bot"], 40);
    let (status, settings) = api.patch(CONTROL, json!({"crowd_mix": null})).await;
    assert_eq!(status, 200, "{settings}");
    assert!(settings.get("crowd_mix").is_none(), "{settings}");

    // The same rule in Rust and at the start.
    let short = CrowdMix {
        average: 99,
        ..CrowdMix::default()
    };
    assert_eq!(
        api.server.set_crowd_mix(Some(short)).unwrap_err().status,
        400
    );
    let refused = PracticeServer::start(PracticeConfig {
        crowd_mix: Some(short),
        ..PracticeConfig::default()
    })
    .await;
    assert!(
        matches!(refused, Err(StartError::CrowdMix(_))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn without_a_mix_nobody_has_a_kind_and_the_list_needs_a_known_study_and_the_token() {
    let api = Api::start().await;
    let batch = api.ready_batch(24).await;
    let study = published(&api, &batch, 5).await;
    let listed = kinds(&api, &study).await;
    assert_eq!(listed.len(), 5);
    assert!(listed.iter().all(|(_, kind)| kind.is_null()), "{listed:?}");
    // People planned after a mix is set have kinds; those before keep none.
    api.server
        .set_crowd_mix(Some(CrowdMix {
            bot: 100,
            ..CrowdMix::default()
        }))
        .unwrap();
    let later = published(&api, &batch, 5).await;
    assert!(
        kinds(&api, &later)
            .await
            .iter()
            .all(|(_, kind)| kind == "bot")
    );
    assert!(
        kinds(&api, &study)
            .await
            .iter()
            .all(|(_, kind)| kind.is_null())
    );

    let (status, body) = api
        .get("/_practice/studies/6b1607f0dc264016e4744203/participants")
        .await;
    assert_error(status, &body, 404);
    let (status, body) = api
        .get_without_token(&format!("/_practice/studies/{study}/participants"))
        .await;
    assert_error(status, &body, 401);
}

#[tokio::test]
async fn kinds_and_their_answers_survive_a_restart_and_a_later_change_of_mix() {
    let dir = batchdesk_test_support::temp_folder();
    let config = || PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        state_dir: Some(dir.path().to_owned()),
        seed: 7,
        ..PracticeConfig::default()
    };
    let api = Api::with(config()).await;
    let (status, _) = api
        .patch(
            CONTROL,
            json!({"crowd_mix": {"careful": 30, "average": 30, "fast_clicker": 20, "bot": 20}}),
        )
        .await;
    assert_eq!(status, 200);
    let batch = batch_over(&api, labelled_reviews(), 30, three_questions()).await;
    let study = published(&api, &batch, 6).await;
    let kinds_before = kinds(&api, &study).await;
    assert!(kinds_before.iter().all(|(_, kind)| kind.is_string()));
    let answers_before = responses(&api, &batch).await;
    assert_eq!(answers_before.len(), 6 * 30 * 3);
    let times_before: Vec<Value> = submissions(&api, &study)
        .await
        .iter()
        .map(|submission| submission["time_taken"].clone())
        .collect();
    let Api { server, .. } = api;
    server.shutdown().await;

    // Restarted without a configured mix: the saved one is kept.
    let api = Api::with(config()).await;
    let (_, settings) = api.get(CONTROL).await;
    assert_eq!(settings["crowd_mix"]["fast_clicker"], 20, "{settings}");
    assert_eq!(kinds(&api, &study).await, kinds_before);
    assert_eq!(responses(&api, &batch).await, answers_before);
    // A change of mix is for the people who come next, not those who came.
    let (status, _) = api.patch(CONTROL, json!({"crowd_mix": null})).await;
    assert_eq!(status, 200);
    assert_eq!(kinds(&api, &study).await, kinds_before);
    assert_eq!(responses(&api, &batch).await, answers_before);
    let times_after: Vec<Value> = submissions(&api, &study)
        .await
        .iter()
        .map(|submission| submission["time_taken"].clone())
        .collect();
    assert_eq!(times_after, times_before);
}

#[tokio::test]
async fn a_known_answer_column_is_the_truth_careful_people_match() {
    // Every row's known answer is "negative" in one case or another, against a data hash
    // that would spread the rows over the three options.
    let mut csv = "review,META_gold\n".to_owned();
    for row in 0..40 {
        let gold = ["negative", "Negative", "NEGATIVE", " negative "][row % 4];
        csv.push_str(&format!("Review {row},{gold}\n"));
    }
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        crowd_mix: Some(CrowdMix {
            careful: 100,
            ..CrowdMix::default()
        }),
        seed: 3,
        ..PracticeConfig::default()
    })
    .await;
    let batch = batch_over(&api, csv.into_bytes(), 40, three_questions()).await;
    let study = published(&api, &batch, 10).await;
    assert!(
        kinds(&api, &study)
            .await
            .iter()
            .all(|(_, kind)| kind == "careful")
    );
    let rows = report(&api, &batch).await;
    assert_eq!(rows.len(), 400);
    let negative = rows
        .iter()
        .filter(|row| row["Q1 How does the review feel?"] == "negative")
        .count();
    assert!(negative >= 360, "{negative} of 400");
    // The question without a known answer is answered by the rows' data: not all alike.
    let spam: BTreeSet<&str> = rows
        .iter()
        .map(|row| row["Q2 Is it spam?"].as_str())
        .collect();
    assert_eq!(spam.len(), 2, "{spam:?}");
}

// --- without a mix: as before ------------------------------------------------------------------

/// A state saved by the server before crowd kinds existed (seed 11, the default
/// disagreement; 24 reviews in groups of 4, 3 people each, five question types): it
/// loads, and every answer and time reads exactly as it did then.
#[tokio::test]
async fn a_state_saved_before_kinds_answers_exactly_as_it_did() {
    let fixture = fixture("before-crowd-mix");
    let expected: Value =
        serde_json::from_slice(&std::fs::read(fixture.join("expected.json")).unwrap()).unwrap();
    let dir = batchdesk_test_support::temp_folder();
    copy_dir(&fixture.join("state"), dir.path());
    let api = Api::with(PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        state_dir: Some(dir.path().to_owned()),
        // The saved seed and share win.
        seed: 99,
        disagreement: 0.9,
        ..PracticeConfig::default()
    })
    .await;

    let study = expected["study_id"].as_str().unwrap();
    let read: Vec<Value> = submissions(&api, study)
        .await
        .iter()
        .map(|submission| {
            json!({"id": submission["id"], "participant_id": submission["participant_id"],
                   "status": submission["status"], "time_taken": submission["time_taken"]})
        })
        .collect();
    assert_eq!(Value::Array(read), expected["submissions"]);

    let answers = responses(&api, expected["batch_id"].as_str().unwrap()).await;
    assert_eq!(
        answers.len() as u64,
        expected["response_count"].as_u64().unwrap()
    );
    assert_eq!(
        canonical(&Value::Array(answers[..10].to_vec())),
        expected["first_responses"],
        "the first answers, word for word"
    );
    let digest = hex::encode(sha2::Sha256::digest(
        serde_json::to_vec(&canonical(&Value::Array(answers))).unwrap(),
    ));
    assert_eq!(
        digest, expected["responses_sha256"],
        "every answer, byte for byte"
    );
}

/// A fresh server with the default configuration plans the same people and times as
/// before kinds existed (recorded then, seed 0), and the same of them answer against
/// the majority (two options, so an answer is the first person's or its opposite).
#[tokio::test]
async fn without_a_mix_people_times_and_agreement_are_as_before() {
    const BEFORE: [(&str, u64, bool); 10] = [
        ("10647a52c4808ef9d5850df1", 622, true),
        ("c205d3ac1153c0675045d80d", 339, false),
        ("8bbd50c3dae2b3259bdb1d12", 247, false),
        ("7fb0374783ab3d07850ce825", 291, true),
        ("526c31ef151dd19857ef12f8", 158, false),
        ("df288febea152421cae7425c", 420, false),
        ("e6f10db3f2924081fd6b884d", 323, false),
        ("a81f147b621879c0959ebc7d", 239, false),
        ("160ad8564661c0c3be152fc7", 214, false),
        ("19f17cf0d0d12ef64e9b76bd", 279, false),
    ];
    let api = Api::start().await;
    let batch = api.ready_batch_with(24, Some(one_question())).await;
    let mut body = study_body(&batch);
    body["data_collection_metadata"]["annotators_per_task"] = json!(10);
    let (status, study) = api.post(STUDIES, body).await;
    assert_eq!(status, 201, "{study}");
    let study = study["id"].as_str().unwrap().to_owned();
    publish(&api, &study).await;

    let answers = responses(&api, &batch).await;
    let answers_of = |participant: &str| -> Vec<(String, Value)> {
        let mut found: Vec<(String, Value)> = answers
            .iter()
            .filter(|response| response["participant_id"] == participant)
            .map(|response| {
                (
                    response["task_id"].as_str().unwrap().to_owned(),
                    response["response"]["answer"].clone(),
                )
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found
    };
    let listed = submissions(&api, &study).await;
    assert_eq!(listed.len(), BEFORE.len());
    let first = answers_of(BEFORE[0].0);
    assert_eq!(first.len(), 24);
    for (submission, (participant, seconds, as_the_first)) in listed.iter().zip(BEFORE) {
        assert_eq!(submission["participant_id"], participant);
        assert_eq!(submission["time_taken"], seconds, "{participant}");
        let theirs = answers_of(participant);
        let same = theirs
            .iter()
            .zip(&first)
            .filter(|(theirs, first)| theirs == first)
            .count();
        let expected = if as_the_first { 24 } else { 0 };
        assert_eq!(same, expected, "{participant}: {theirs:?}");
    }
}
