//! Simulated people who differ, over real HTTP. Without a crowd mix the participants
//! answer and take their time exactly as they always have (pinned here against a state
//! saved, and numbers recorded, before kinds existed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use batchdesk_practice::PracticeConfig;
use common::{Api, one_question, study_body};
use serde_json::{Value, json};
use sha2::Digest;

const STUDIES: &str = "/api/v1/studies/";
const BATCHES: &str = "/api/v1/data-collection/batches";

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

// --- without a mix: as before ------------------------------------------------------------------

/// A state saved by the server before crowd kinds existed (seed 11, the default
/// disagreement; 24 reviews in groups of 4, 3 people each, five question types): it
/// loads, and every answer and time reads exactly as it did then.
#[tokio::test]
async fn a_state_saved_before_kinds_answers_exactly_as_it_did() {
    let fixture = fixture("before-crowd-mix");
    let expected: Value =
        serde_json::from_slice(&std::fs::read(fixture.join("expected.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
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
