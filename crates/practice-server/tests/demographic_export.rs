//! A study's demographic export over real HTTP: everyone who took part, as CSV, the
//! same person the same each time; the spec's limits (15 filters per export, two
//! filter combinations per study, repeats free) and its usage history.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::{Api, assert_error, study_body};
use serde_json::{Value, json};

const STUDIES: &str = "/api/v1/studies/";

/// A published study with `filters`, filled by the time it is read.
async fn published(api: &Api, filters: Value) -> String {
    let batch = api.ready_batch(3).await;
    let mut body = study_body(&batch);
    body["filters"] = filters;
    let (status, study) = api.post(STUDIES, body).await;
    assert_eq!(status, 201, "{study}");
    let id = study["id"].as_str().unwrap().to_owned();
    let (status, answer) = api
        .post(
            &format!("{STUDIES}{id}/transition/"),
            json!({"action": "PUBLISH"}),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    id
}

async fn export(api: &Api, id: &str, body: Value) -> (u16, Value) {
    api.post(&format!("{STUDIES}{id}/demographic-export/"), body)
        .await
}

fn rows(csv: &Value) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_reader(csv.as_str().unwrap().as_bytes());
    reader.records().map(Result::unwrap).collect()
}

fn headers(csv: &Value) -> Vec<String> {
    let mut reader = csv::Reader::from_reader(csv.as_str().unwrap().as_bytes());
    reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn everyone_who_took_part_is_exported_once_and_the_same_each_time() {
    let api = Api::start().await;
    let id = published(&api, json!([])).await;
    let submissions = api
        .get_all(&format!("{STUDIES}{id}/submissions/?page_size=50"))
        .await;
    assert!(!submissions.is_empty());

    let (status, csv) = export(&api, &id, json!({})).await;
    assert_eq!(status, 200, "{csv}");
    let header = headers(&csv);
    for column in [
        "Participant id",
        "Age",
        "Sex",
        "Country of residence",
        "First language",
    ] {
        assert!(header.iter().any(|name| name == column), "{header:?}");
    }
    let position = |name: &str| header.iter().position(|h| h == name).unwrap();
    let exported = rows(&csv);
    let people: BTreeSet<_> = exported
        .iter()
        .map(|row| row[position("Participant id")].to_owned())
        .collect();
    let took_part: BTreeSet<_> = submissions
        .iter()
        .map(|s| s["participant_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(people, took_part);
    assert_eq!(exported.len(), submissions.len());
    for row in &exported {
        let age = &row[position("Age")];
        assert!(
            age == "DATA_EXPIRED" || (18..=80).contains(&age.parse::<u32>().unwrap()),
            "{age}"
        );
    }

    // The same request again is free, and tells the same about each person.
    let (status, again) = export(&api, &id, json!({"filters": []})).await;
    assert_eq!(status, 200, "{again}");
    let again = rows(&again);
    let country = position("Country of residence");
    for (first, second) in exported.iter().zip(&again) {
        assert_eq!(first[country], second[country]);
    }
    let (_, history) = api
        .get(&format!("{STUDIES}{id}/demographic-export-history/"))
        .await;
    assert_eq!(history, json!({"count": 1, "filters": []}));
}

#[tokio::test]
async fn two_filter_combinations_at_most_and_fifteen_filters_per_export() {
    let api = Api::start().await;
    let age = json!({"filter_id": "age", "selected_range": {"lower": 18, "upper": 99}});
    let id = published(&api, json!([age])).await;
    let (_, history) = api
        .get(&format!("{STUDIES}{id}/demographic-export-history/"))
        .await;
    assert_eq!(history, json!({"count": 0, "filters": []}));

    // Too many filters in one export is refused before anything counts.
    let (status, body) = export(&api, &id, json!({"filters": vec![age.clone(); 16]})).await;
    assert_error(status, &body, 400);
    // A filter the study did not apply is refused.
    let other = json!({"filter_id": "sex", "selected_values": ["0"]});
    let (status, body) = export(&api, &id, json!({"filters": [other]})).await;
    assert_error(status, &body, 400);

    let (status, plain) = export(&api, &id, json!({})).await;
    assert_eq!(status, 200, "{plain}");
    let (status, filtered) = export(&api, &id, json!({"filters": [age]})).await;
    assert_eq!(status, 200, "{filtered}");
    assert_eq!(headers(&filtered).last().unwrap(), "age");
    // A third combination is refused; the two made can be downloaded again.
    let (status, body) = export(&api, &id, json!({"filters": [age, age]})).await;
    assert_error(status, &body, 400);
    let (status, _) = export(&api, &id, json!({})).await;
    assert_eq!(status, 200);
    let (_, history) = api
        .get(&format!("{STUDIES}{id}/demographic-export-history/"))
        .await;
    assert_eq!(history, json!({"count": 2, "filters": []}));
}

#[tokio::test]
async fn a_draft_or_an_unknown_study_has_no_export() {
    let api = Api::start().await;
    let batch = api.ready_batch(3).await;
    let (_, draft) = api.post(STUDIES, study_body(&batch)).await;
    let (status, body) = export(&api, draft["id"].as_str().unwrap(), json!({})).await;
    assert_error(status, &body, 400);
    let (status, body) = export(&api, "64395e9c2332b8a59a65d51e", json!({})).await;
    assert_error(status, &body, 404);
    // The deprecated export is not served.
    let (status, body) = api
        .get(&format!(
            "{STUDIES}{}/export/",
            draft["id"].as_str().unwrap()
        ))
        .await;
    assert_error(status, &body, 404);
}
