//! Agreement between people (issue 19) on a study run on the practice server: 24 rows in
//! assignments of 4, 6 people per item, so 36 people in groups who share their items.
//! The report's pairs are those the answers table holds, its alpha the overview's, its
//! interval (once worked out) the methods paragraph's; the matrix shows the 30 who shared most, or the
//! people picked.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::{BTreeMap, HashMap};

use batchdesk_engine::results::{MATRIX_PEOPLE, Results, RowsQuery};

const TOKEN: &str = "agreement-token";

#[tokio::test]
async fn the_matrix_holds_the_pairs_the_answers_show_and_the_alpha_the_overview_shows() {
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
    let report = results.agreement(&study, None).await.unwrap();
    assert_eq!(report.questions.len(), 1, "the one choice question");
    let question = &report.questions[0];
    assert_eq!(
        question.question_id,
        summary.analysis.questions[0].question_id
    );
    assert_eq!(question.title, summary.questions[0].title);

    // The pairs, worked out here from the answers table: who answered which item how.
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
    let mut by_item: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in &rows.rows {
        by_item
            .entry(row.task_id.clone())
            .or_default()
            .push((row.participant_id.clone(), row.answers[0].clone()));
    }
    let mut expected: HashMap<(String, String), (u32, u32)> = HashMap::new();
    for answers in by_item.values() {
        for (at, (one, said)) in answers.iter().enumerate() {
            for (other, other_said) in &answers[at + 1..] {
                let key = if one < other {
                    (one.clone(), other.clone())
                } else {
                    (other.clone(), one.clone())
                };
                let pair = expected.entry(key).or_default();
                pair.0 += 1;
                pair.1 += u32::from(said == other_said);
            }
        }
    }
    assert_eq!(question.pair_count as usize, expected.len());
    assert_eq!(question.people.len(), 36, "everyone shared items");
    for person in &question.people {
        let (partners, shared, agreed) = expected
            .iter()
            .filter(|((one, other), _)| {
                *one == person.participant_id || *other == person.participant_id
            })
            .fold((0, 0, 0), |(partners, shared, agreed), (_, pair)| {
                (partners + 1, shared + pair.0, agreed + pair.1)
            });
        assert_eq!(
            (person.partners, person.shared_items, person.agreed_items),
            (partners, shared, agreed),
            "{}",
            person.participant_id
        );
    }
    assert!(
        question
            .people
            .windows(2)
            .all(|two| two[0].shared_items >= two[1].shared_items),
        "most shared first"
    );

    // The matrix: the 30 who shared most, each pair among them as the answers show it.
    assert_eq!(question.shown.len(), MATRIX_PEOPLE);
    let check_pairs = |shown: &[String], pairs: &[batchdesk_engine::results::PairShown]| {
        let among = expected
            .keys()
            .filter(|(one, other)| shown.contains(one) && shown.contains(other))
            .count();
        assert_eq!(pairs.len(), among);
        for pair in pairs {
            assert!(pair.first < pair.second);
            let (one, other) = (&shown[pair.first as usize], &shown[pair.second as usize]);
            let key = if one < other {
                (one.clone(), other.clone())
            } else {
                (other.clone(), one.clone())
            };
            assert_eq!(
                (pair.shared_items, pair.agreed_items),
                expected[&key],
                "{key:?}"
            );
        }
    };
    check_pairs(&question.shown, &question.pairs);
    // Partners sit together: people of one assignment group (who share all 4 items)
    // follow each other.
    let partners_next = question
        .pairs
        .iter()
        .filter(|pair| pair.second == pair.first + 1)
        .count();
    assert!(partners_next >= MATRIX_PEOPLE - 6, "{partners_next}");

    // Alpha as the overview gives it, the interval as the methods paragraph does.
    let overview = summary.analysis.questions[0].agreement.as_ref().unwrap();
    let alpha = question.alpha.unwrap();
    assert!((alpha - overview.krippendorff_alpha.unwrap()).abs() < 1e-9);
    // The interval waits until asked for (the methods paragraph asks), then is shown.
    assert_eq!(question.interval, None);
    let methods = results.methods(&connections, &study).await.unwrap();
    let asked = results.agreement(&study, None).await.unwrap();
    assert!(asked.intervals_worked_out);
    assert_eq!(methods.agreement[0].interval, asked.questions[0].interval);
    assert!(asked.questions[0].interval.is_some());
    assert_eq!(question.items_rated, overview.items_rated);
    // The coincidences' rows add up to the pairable answers; their answers are values.
    let total: f64 = question.coincidences.iter().flatten().sum();
    assert!(
        (total - overview.pairable_answers as f64).abs() < 1e-6,
        "{total}"
    );
    let values: Vec<&str> = summary.questions[0]
        .options
        .iter()
        .map(|option| option.value.as_str())
        .collect();
    assert!(
        question
            .answers
            .iter()
            .all(|answer| values.contains(&answer.as_str()))
    );
    let positions: Vec<usize> = question
        .answers
        .iter()
        .map(|answer| values.iter().position(|value| value == answer).unwrap())
        .collect();
    assert!(
        positions.windows(2).all(|two| two[0] < two[1]),
        "in the options' order"
    );

    // The researcher picks: only those who shared items, each once.
    let (one, other) = expected.keys().next().unwrap().clone();
    let picked = results
        .agreement(
            &study,
            Some(vec![
                other.clone(),
                one.clone(),
                other.clone(),
                "nobody".to_owned(),
            ]),
        )
        .await
        .unwrap();
    let picked = &picked.questions[0];
    assert_eq!(picked.shown.len(), 2);
    assert!(picked.shown.contains(&one) && picked.shown.contains(&other));
    check_pairs(&picked.shown, &picked.pairs);
    assert_eq!(picked.people, question.people, "everyone is still offered");
}
