//! Who took part (issue 19) on a study run on the practice server over real HTTP: the
//! demographic export fetched once when asked for, saved in the study's folder, never
//! asked for again while saved, joined to the answers by participant id, and shown only
//! in groups of at least `MIN_GROUP_PEOPLE` people, the smaller ones merged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use batchdesk_engine::results::{
    DEMOGRAPHICS_FILE, Grouping, MERGED_GROUP, MIN_GROUP_PEOPLE, Results, RowsQuery,
};
use batchdesk_practice::{Fault, Times};

const TOKEN: &str = "demographics-token";

#[tokio::test]
async fn who_took_part_is_fetched_once_and_shown_in_groups_of_five_or_more() {
    let dir = batchdesk_test_support::temp_folder();
    let config = support::steady_practice(19, TOKEN);
    let connections = support::sentiment_batch(dir.path(), config).await;
    let study = support::publish_with_people_per_item(&connections, 6)
        .await
        .study_id;
    let results = Results::new(dir.path());
    let summary = results
        .summary(&connections, &study, true, |_| {})
        .await
        .unwrap();

    // Before the researcher asks, nothing is fetched and no export is used.
    let before = results
        .demographics(&connections, &study, false)
        .await
        .unwrap();
    assert_eq!(before.fetched_at, None);
    assert_eq!(before.exports_used, Some(0));
    assert!(before.groupings.is_empty());
    let saved = results.folder(&study).join(DEMOGRAPHICS_FILE);
    assert!(!saved.exists());

    let report = results
        .demographics(&connections, &study, true)
        .await
        .unwrap();
    assert!(report.fetched_at.is_some());
    assert_eq!(report.exports_used, Some(1));
    assert!(saved.is_file());

    // Everyone who answered, as the answers table has them.
    let rows = results
        .rows(
            &study,
            &RowsQuery {
                offset: 0,
                limit: 10_000,
                participant: None,
                question_id: None,
                answer: None,
                by_item: false,
            },
        )
        .await
        .unwrap();
    let people: BTreeSet<_> = rows.rows.iter().map(|r| r.participant_id.clone()).collect();
    assert_eq!(report.people_matched as usize, people.len());
    assert_eq!(report.people_not_in_export, 0);

    // Each person's country, read here from the saved export.
    let mut reader = csv::Reader::from_path(&saved).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id_at, country_at) = (column("Participant id"), column("Country of residence"));
    let country_of: HashMap<String, String> = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (record[id_at].to_owned(), record[country_at].to_owned())
        })
        .collect();
    let mut people_by_country: BTreeMap<&str, usize> = BTreeMap::new();
    for person in &people {
        *people_by_country.entry(&country_of[person]).or_default() += 1;
    }
    assert!(
        people_by_country
            .values()
            .any(|&n| n < MIN_GROUP_PEOPLE as usize),
        "the seed gives some small countries: {people_by_country:?}"
    );

    let question = &summary.questions[0];
    let by_country = report
        .groupings
        .iter()
        .find(|g| g.grouping == Grouping::Country)
        .unwrap()
        .questions
        .iter()
        .find(|q| q.question_id == question.id)
        .unwrap();
    let mut expected: BTreeMap<String, usize> = people_by_country
        .iter()
        .filter(|(_, n)| **n >= MIN_GROUP_PEOPLE as usize)
        .map(|(country, n)| ((*country).to_owned(), *n))
        .collect();
    let small: usize = people_by_country
        .values()
        .filter(|&&n| n < MIN_GROUP_PEOPLE as usize)
        .sum();
    if small >= MIN_GROUP_PEOPLE as usize {
        expected.insert(MERGED_GROUP.to_owned(), small);
    }
    let shown: BTreeMap<String, usize> = by_country
        .groups
        .iter()
        .map(|g| (g.label.clone(), g.people as usize))
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(
        by_country.some_left_out,
        small > 0 && small < MIN_GROUP_PEOPLE as usize
    );
    // Every answer of the people shown is counted once.
    let answers_shown: u32 = by_country.groups.iter().flat_map(|g| &g.counts).sum();
    let merged_shown = shown.contains_key(MERGED_GROUP);
    assert!(
        merged_shown,
        "with this seed the small countries make a group: {shown:?}"
    );
    let counted_people: BTreeSet<&String> = people
        .iter()
        .filter(|p| {
            let country = country_of[*p].as_str();
            if people_by_country[country] >= MIN_GROUP_PEOPLE as usize {
                shown.contains_key(country)
            } else {
                merged_shown
            }
        })
        .collect();
    let answered_by_them = rows
        .rows
        .iter()
        .filter(|r| counted_people.contains(&r.participant_id))
        .count();
    assert_eq!(answers_shown as usize, answered_by_them);
    for grouping in &report.groupings {
        for question in &grouping.questions {
            assert!(
                question.groups.iter().all(|g| g.people >= MIN_GROUP_PEOPLE),
                "{grouping:?}"
            );
        }
    }

    // Saved: not asked for again, even when Prolific would refuse now.
    support::inject_fault(
        &connections,
        TOKEN,
        Fault::ServerError { status: 403 },
        "POST",
        "/api/v1/studies/{id}/demographic-export/",
        Times::Always,
    )
    .await;
    let again = Results::new(dir.path())
        .demographics(&connections, &study, false)
        .await
        .unwrap();
    assert_eq!(again.groupings, report.groupings);
    assert_eq!(again.exports_used, Some(1));
    // Asked for again, it is fetched (and here refused), and the saved copy is kept.
    assert!(
        results
            .demographics(&connections, &study, true)
            .await
            .is_err()
    );
    assert!(saved.is_file());
}
