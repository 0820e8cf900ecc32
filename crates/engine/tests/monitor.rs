//! After launch, against the in-app practice server over real HTTP: pollers follow a
//! study as simulated participants fill it (progress rising, notices on each change of
//! phase), stop when it is over, resume after a restart for live studies only; actions
//! pause, resume, add people and approve; results are downloaded, analysed, paged,
//! saved and shown offline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::monitor::{
    FactsCache, Monitor, MonitorEvent, NoticeKind, Pace, StudyPhase, StudyProgress,
};
use batchdesk_engine::results::{DownloadKind, Results, ResultsProgress, RowsQuery};
use batchdesk_engine::study_actions::{self, StudyCommand};
use batchdesk_engine::wizard;
use batchdesk_practice::PracticeConfig;
use tokio::sync::mpsc;

/// Practice mode with the review data (24 rows) set up as a sentiment task in groups of
/// 4, its study settings at their defaults.
async fn ready_batch(dir: &Path, pace: Duration) -> Arc<Connections> {
    let config = PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: pace,
        disagreement: 0.3,
        ..PracticeConfig::default()
    };
    let connections = support::sentiment_batch(dir, config).await;
    wizard::study_context(&connections).await.unwrap();
    Arc::new(connections)
}

fn quick() -> Pace {
    Pace {
        quick: Duration::from_millis(20),
        collecting: Duration::from_millis(100),
        waiting: Duration::from_millis(200),
        max_backoff: Duration::from_secs(1),
        after_action: Duration::from_secs(20),
    }
}

fn start_monitor(
    connections: &Arc<Connections>,
) -> (Monitor, mpsc::UnboundedReceiver<MonitorEvent>) {
    start_monitor_with(connections, quick())
}

fn start_monitor_with(
    connections: &Arc<Connections>,
    pace: Pace,
) -> (Monitor, mpsc::UnboundedReceiver<MonitorEvent>) {
    let (sender, receiver) = mpsc::unbounded_channel();
    let sink = Arc::new(move |event| drop(sender.send(event)));
    (Monitor::new(Arc::clone(connections), sink, pace), receiver)
}

/// The next progress event, and the notices that came before it.
async fn next_progress(
    events: &mut mpsc::UnboundedReceiver<MonitorEvent>,
    notices: &mut Vec<NoticeKind>,
) -> StudyProgress {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(60), events.recv())
            .await
            .expect("the poller reports within a minute")
            .expect("the poller is running");
        match event {
            MonitorEvent::Progress(progress) => return *progress,
            MonitorEvent::Notice(notice) => notices.push(notice.kind),
        }
    }
}

#[tokio::test]
async fn a_study_is_followed_as_it_fills_then_approved_analysed_and_saved() {
    let dir = batchdesk_test_support::temp_folder();
    let connections = ready_batch(dir.path(), Duration::from_millis(150)).await;
    let (monitor, mut events) = start_monitor(&connections);
    // Set up in the wizard, not launched yet: the batch is listed as the wizard's draft.
    let before = monitor.overview().await.unwrap();
    assert!(before.studies.is_empty());
    assert_eq!(before.other_batches.len(), 1);
    assert!(before.other_batches[0].in_new_batch);
    let launched = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    monitor.watch_launched(&launched.study_id).await.unwrap();
    let after = monitor.overview().await.unwrap();
    assert_eq!(after.studies.len(), 1);
    assert!(
        after.other_batches.is_empty(),
        "the batch is the study's now"
    );

    let mut notices = Vec::new();
    let mut seen: Vec<StudyProgress> = Vec::new();
    loop {
        let progress = next_progress(&mut events, &mut notices).await;
        let phase = progress.phase;
        seen.push(progress);
        if phase == StudyPhase::AwaitingReview {
            break;
        }
        assert_eq!(phase, StudyPhase::Collecting);
    }
    let last = seen.last().unwrap().clone();
    assert_eq!(notices, [NoticeKind::Published, NoticeKind::AwaitingReview]);
    assert!(
        seen.len() > 2,
        "progress was seen along the way: {}",
        seen.len()
    );
    assert!(
        seen.windows(2)
            .all(|pair| pair[0].answers_received <= pair[1].answers_received),
        "answers received never go down"
    );
    assert!(seen[0].answers_received < last.answers_received);
    assert_eq!(last.places_taken, last.places);
    assert_eq!(last.submissions.awaiting_review, last.places);
    assert_eq!(Some(last.answers_received), last.answers_expected);
    assert!(last.can_approve && !last.can_pause && !last.can_resume);
    assert_eq!(last.money.awaiting_review, last.money.set_aside);
    assert_eq!(last.money.paid.minor, 0, "nothing is paid before review");
    assert_eq!(
        monitor.active(),
        std::slice::from_ref(&launched.study_id),
        "still watched"
    );

    // Results while waiting for review: every item, every person, joined with the data.
    let results = Results::new(dir.path());
    let stages = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen_stages = Arc::clone(&stages);
    let summary = results
        .summary(&connections, &launched.study_id, true, move |stage| {
            seen_stages.lock().unwrap().push(stage);
        })
        .await
        .unwrap();
    assert!(!summary.from_cache);
    {
        let stages = stages.lock().unwrap();
        assert_eq!(stages.first(), Some(&ResultsProgress::Exporting));
        assert_eq!(stages.last(), Some(&ResultsProgress::Analysing));
        for file in [DownloadKind::Export, DownloadKind::Report] {
            assert!(
                stages.iter().any(|stage| matches!(stage,
                    ResultsProgress::Downloading { file: got, bytes, total: Some(total) }
                        if *got == file && bytes == total && *bytes > 0)),
                "{file:?} downloaded to the end: {stages:?}"
            );
        }
    }
    assert_eq!(summary.analysis.item_count, 24);
    let annotators = last.places / 6;
    assert_eq!(summary.row_count, 24 * annotators);
    assert!(summary.data_columns.contains(&"review_text".to_owned()));
    let question = summary
        .analysis
        .questions
        .iter()
        .find(|question| question.agreement.is_some())
        .unwrap();
    assert!(!question.distribution.is_empty());
    let page = results
        .rows(
            &launched.study_id,
            &RowsQuery {
                offset: 0,
                limit: 10,
                participant: None,
                question_id: None,
                answer: None,
                by_item: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.total, summary.row_count);
    assert_eq!(page.rows.len(), 10);
    let column = summary
        .data_columns
        .iter()
        .position(|column| column == "review_text")
        .unwrap();
    assert!(
        page.rows.iter().all(|row| !row.data[column].is_empty()),
        "joined with the data"
    );
    // In the data's order: the first rows are the first data row's answers.
    let id = summary
        .data_columns
        .iter()
        .position(|column| column == "id")
        .unwrap();
    let ids: Vec<&str> = page.rows.iter().map(|row| row.data[id].as_str()).collect();
    assert_eq!(ids[0], "1", "{ids:?}");
    assert!(
        ids.is_sorted_by_key(|id| id.parse::<u32>().unwrap()),
        "{ids:?}"
    );
    // Filtering by one answer of one question keeps exactly the rows that gave it.
    let option = &question.distribution[0];
    let filtered = results
        .rows(
            &launched.study_id,
            &RowsQuery {
                offset: 0,
                limit: 1000,
                participant: None,
                question_id: Some(question.question_id.clone()),
                answer: Some(option.value.clone()),
                by_item: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(u64::from(filtered.total), option.count);
    let someone = page.rows[0].participant_id.clone();
    let theirs = results
        .rows(
            &launched.study_id,
            &RowsQuery {
                offset: 0,
                limit: 1000,
                participant: Some(someone[..6].to_lowercase()),
                question_id: None,
                answer: None,
                by_item: false,
            },
        )
        .await
        .unwrap();
    assert!(theirs.rows.iter().all(|row| row.participant_id == someone));
    assert_eq!(theirs.total, 4, "one group of four items");

    // By item: each item once, with its majority answer and support, in the data's order.
    let by_item = |question_id: Option<String>, answer: Option<String>| RowsQuery {
        offset: 0,
        limit: 1000,
        participant: Some("ignored".to_owned()),
        question_id,
        answer,
        by_item: true,
    };
    let items = results
        .rows(&launched.study_id, &by_item(None, None))
        .await
        .unwrap();
    assert_eq!(items.total, 24, "the participant filter does not apply");
    let choice = summary
        .questions
        .iter()
        .position(|known| known.id == question.question_id)
        .unwrap();
    let ids: Vec<&str> = items.rows.iter().map(|row| row.data[id].as_str()).collect();
    assert!(
        ids.is_sorted_by_key(|id| id.parse::<u32>().unwrap()),
        "{ids:?}"
    );
    for row in &items.rows {
        assert!(row.participant_id.is_empty());
        let result = question
            .items
            .iter()
            .find(|result| result.task_id == row.task_id)
            .unwrap();
        let shown = &row.answers[choice];
        match &result.consolidated.label {
            Some(label) => assert!(shown.starts_with(&format!("{label} (")), "{shown}"),
            None => assert!(shown.starts_with("tie: "), "{shown}"),
        }
    }
    let winners = question
        .items
        .iter()
        .filter(|result| result.consolidated.label.as_deref() == Some(option.value.as_str()))
        .count();
    let won = results
        .rows(
            &launched.study_id,
            &by_item(
                Some(question.question_id.clone()),
                Some(option.value.clone()),
            ),
        )
        .await
        .unwrap();
    assert_eq!(won.total as usize, winners);

    // The tidy CSV: one row per data row.
    let tidy = dir.path().join("tidy.csv");
    let saved = results
        .save(&launched.study_id, DownloadKind::Tidy, &tidy)
        .await
        .unwrap();
    assert!(saved.bytes > 0);
    let mut reader = csv::Reader::from_path(&tidy).unwrap();
    assert_eq!(reader.records().count(), 24);
    for kind in [
        DownloadKind::Report,
        DownloadKind::Export,
        DownloadKind::Responses,
    ] {
        let path = dir.path().join(format!("{kind:?}"));
        let saved = results.save(&launched.study_id, kind, &path).await.unwrap();
        assert_eq!(saved.bytes, std::fs::metadata(&path).unwrap().len());
        assert!(saved.bytes > 0, "{kind:?}");
    }

    // Approving everything completes the study; its poller then stops.
    let approved = study_actions::approve_all(&connections, monitor.facts(), &launched.study_id)
        .await
        .unwrap();
    assert_eq!(approved.approved, last.places);
    loop {
        let progress = next_progress(&mut events, &mut notices).await;
        if progress.phase == StudyPhase::Completed {
            assert_eq!(progress.submissions.approved, last.places);
            break;
        }
    }
    assert_eq!(notices.last(), Some(&NoticeKind::Completed));
    // The poller returned in the same turn as it reported (one thread runs both).
    tokio::task::yield_now().await;
    assert!(
        monitor.active().is_empty(),
        "nothing polls once the study is complete"
    );

    // Offline: a later run without a connection shows the last download.
    connections.sign_out().await.unwrap();
    let offline = Results::new(dir.path())
        .summary(&connections, &launched.study_id, true, |_| {})
        .await
        .unwrap();
    assert!(offline.from_cache);
    assert_eq!(offline.analysis, summary.analysis);
}

#[tokio::test]
async fn after_a_restart_only_the_live_study_is_polled_again() {
    let dir = batchdesk_test_support::temp_folder();
    // Participants take an hour: the study stays live.
    let connections = ready_batch(dir.path(), Duration::from_secs(3600)).await;
    let live = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    {
        // The app quits at once, before its poller has had a look.
        let (monitor, _events) = start_monitor(&connections);
        monitor.watch_launched(&live.study_id).await.unwrap();
    }
    {
        let (monitor, mut events) = start_monitor(&connections);
        assert_eq!(
            monitor.resume().await.unwrap(),
            std::slice::from_ref(&live.study_id)
        );
        let first = next_progress(&mut events, &mut Vec::new()).await;
        assert_eq!(first.phase, StudyPhase::Collecting);
        // The app quits: the monitor and its pollers are dropped.
    }
    let (monitor, mut events) = start_monitor(&connections);
    assert_eq!(
        monitor.resume().await.unwrap(),
        std::slice::from_ref(&live.study_id)
    );
    let mut notices = Vec::new();
    let again = next_progress(&mut events, &mut notices).await;
    assert_eq!(again.study_id, live.study_id);
    assert!(
        notices.is_empty(),
        "nothing new to announce after a restart"
    );

    // Pausing and resuming; adding one more person per item, priced first.
    let paused = study_actions::act(
        &connections,
        monitor.facts(),
        &live.study_id,
        StudyCommand::Pause,
    )
    .await
    .unwrap();
    assert_eq!(paused.phase, StudyPhase::Paused);
    assert!(paused.can_resume && !paused.can_pause);
    let resumed = study_actions::act(
        &connections,
        monitor.facts(),
        &live.study_id,
        StudyCommand::Resume,
    )
    .await
    .unwrap();
    assert_eq!(resumed.phase, StudyPhase::Collecting);
    let quote = study_actions::quote_more_people(&connections, &live.study_id, 1)
        .await
        .unwrap();
    assert_eq!(quote.extra_places, 6, "six groups of four rows");
    assert_eq!(quote.new_total, resumed.places + 6);
    assert!(quote.affordable);
    let more = study_actions::add_people(
        &connections,
        monitor.facts(),
        &live.study_id,
        study_actions::MorePeople {
            expected_per_item: quote.current_per_item,
            target_per_item: quote.target_per_item,
            confirmed_cost: quote.extra_cost_minor,
        },
    )
    .await
    .unwrap();
    assert_eq!(more.places, quote.new_total);
    assert!(
        study_actions::quote_more_people(&connections, &live.study_id, 0)
            .await
            .is_err()
    );

    // Stopping ends it; the next restart resumes nothing.
    let stopped = study_actions::act(
        &connections,
        monitor.facts(),
        &live.study_id,
        StudyCommand::Stop,
    )
    .await
    .unwrap();
    assert_eq!(stopped.phase, StudyPhase::Stopped);
    monitor.watch(&live.study_id).await.unwrap();
    loop {
        if next_progress(&mut events, &mut Vec::new()).await.phase == StudyPhase::Stopped {
            break;
        }
    }
    drop(monitor);
    let (monitor, _events) = start_monitor(&connections);
    assert!(monitor.resume().await.unwrap().is_empty());
}

/// Practice mode as in the app, where some participants return or run out of time and
/// someone else takes their place (their submissions are never reviewed), with a study
/// launched that fills at once.
async fn launched_with_leavers(dir: &Path) -> (Arc<Connections>, String) {
    let config = PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        return_share: 0.1,
        timeout_share: 0.05,
        ..PracticeConfig::default()
    };
    let connections = Arc::new(support::sentiment_batch(dir, config).await);
    wizard::study_context(&connections).await.unwrap();
    let launched = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    (connections, launched.study_id)
}

#[tokio::test]
async fn approving_everything_completes_the_study_everywhere_even_with_leavers() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id) = launched_with_leavers(dir.path()).await;
    // A study awaiting review is looked at once an hour: only the quick pace after an
    // action can see the approvals take effect within this test.
    let pace = Pace {
        waiting: Duration::from_secs(3600),
        ..quick()
    };
    let (monitor, mut events) = start_monitor_with(&connections, pace);
    monitor.watch_launched(&study_id).await.unwrap();
    let mut notices = Vec::new();
    let filled = loop {
        let progress = next_progress(&mut events, &mut notices).await;
        if progress.phase == StudyPhase::AwaitingReview {
            break progress;
        }
    };
    let leavers = filled.submissions.returned + filled.submissions.timed_out;
    assert!(
        leavers > 0,
        "some returned or timed out: {:?}",
        filled.submissions
    );
    // Everything awaits review: set aside, not paid.
    assert_eq!(filled.money.awaiting_review, filled.money.set_aside);
    assert_eq!(filled.money.paid.minor, 0);

    // Prolific carries out a bulk approval in the background: the first look after the
    // app's "Approve all" may still see every submission awaiting review, and the study
    // completes a little later. Here the poller is restarted as the command does, looks
    // once, and only then are the approvals carried out.
    monitor.follow(&study_id, false).await;
    let first = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let progress = next_progress(&mut events, &mut notices).await;
            if progress.phase == StudyPhase::AwaitingReview {
                return progress;
            }
        }
    })
    .await
    .expect("the poller looks at once after an action");
    assert_eq!(first.submissions.awaiting_review, filled.places);
    let approved = study_actions::approve_all(&connections, monitor.facts(), &study_id)
        .await
        .unwrap();
    assert_eq!(approved.approved, filled.places);
    let answered = approved
        .progress
        .expect("the study as it is after approving");
    assert_eq!(answered.submissions.approved, filled.places);
    assert_eq!(
        answered.phase,
        StudyPhase::Completed,
        "every finished submission is approved: the leavers do not hold it back"
    );

    let completed = tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            let progress = next_progress(&mut events, &mut notices).await;
            if progress.phase != StudyPhase::AwaitingReview {
                return progress;
            }
        }
    })
    .await
    .expect("the poller sees the study complete soon after the action, not an hour later");
    assert_eq!(completed.phase, StudyPhase::Completed);
    assert_eq!(completed.submissions.awaiting_review, 0);
    assert!(!completed.can_approve);
    assert_eq!(completed.money.paid, completed.money.set_aside, "all paid");
    assert_eq!(completed.money.returned.minor, 0);
    assert_eq!(notices.last(), Some(&NoticeKind::Completed));
    tokio::task::yield_now().await;
    assert!(
        monitor.active().is_empty(),
        "nothing polls a completed study"
    );

    // Everywhere: its page, the Batches page, and after a restart (nothing resumed).
    let page = monitor.progress_and_watch(&study_id).await.unwrap();
    assert_eq!(page.phase, StudyPhase::Completed);
    assert!(monitor.active().is_empty());
    drop(monitor);
    let (monitor, _events) = start_monitor_with(&connections, pace);
    assert!(
        monitor.resume().await.unwrap().is_empty(),
        "nothing to resume"
    );
    let overview = monitor.overview().await.unwrap();
    let listed = overview
        .studies
        .iter()
        .find(|study| study.study_id == study_id)
        .unwrap();
    assert_eq!(listed.phase, StudyPhase::Completed);
    assert_eq!(listed.money.paid, listed.money.set_aside);
    assert!(monitor.active().is_empty());
}

#[tokio::test]
async fn a_study_seen_completed_before_its_poller_looked_is_not_resumed_after_a_restart() {
    let dir = batchdesk_test_support::temp_folder();
    let (connections, study_id) = launched_with_leavers(dir.path()).await;
    {
        let (monitor, mut events) = start_monitor(&connections);
        monitor.watch_launched(&study_id).await.unwrap();
        while next_progress(&mut events, &mut Vec::new()).await.phase != StudyPhase::AwaitingReview
        {
        }
        // The app quits while the study awaits review.
    }
    {
        // Its next run approves everything and shows the study completed on its page;
        // the app then quits before the study's poller has looked again.
        let never = Pace {
            quick: Duration::from_secs(3600),
            after_action: Duration::ZERO,
            ..quick()
        };
        let (monitor, _events) = start_monitor_with(&connections, never);
        let approved = study_actions::approve_all(&connections, monitor.facts(), &study_id)
            .await
            .unwrap();
        monitor.follow(&study_id, false).await;
        assert_eq!(
            approved.progress.map(|progress| progress.phase),
            Some(StudyPhase::Completed)
        );
        let page = monitor.progress_and_watch(&study_id).await.unwrap();
        assert_eq!(page.phase, StudyPhase::Completed);
    }
    // After a restart there is nothing to follow, nor anything to announce.
    let (monitor, mut events) = start_monitor(&connections);
    assert!(
        monitor.resume().await.unwrap().is_empty(),
        "nothing to resume"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        events.try_recv().is_err(),
        "no notice of what was seen already"
    );
}

#[tokio::test]
async fn when_many_people_give_up_the_poller_raises_one_alert_and_pausing_stops_them() {
    let dir = batchdesk_test_support::temp_folder();
    // More than half of those who start give their place back.
    let config = PracticeConfig {
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_millis(150),
        return_share: 0.6,
        ..PracticeConfig::default()
    };
    let connections = Arc::new(support::sentiment_batch(dir.path(), config).await);
    wizard::study_context(&connections).await.unwrap();
    let (monitor, mut events) = start_monitor(&connections);
    let launched = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    monitor.watch_launched(&launched.study_id).await.unwrap();
    let mut notices = Vec::new();
    while !notices.contains(&NoticeKind::ReturnsHigh) {
        let progress = next_progress(&mut events, &mut notices).await;
        assert_ne!(
            progress.phase,
            StudyPhase::AwaitingReview,
            "the alert came before the study filled: {notices:?}"
        );
    }
    // The one click the alert offers.
    let paused = study_actions::act(
        &connections,
        &FactsCache::default(),
        &launched.study_id,
        StudyCommand::Pause,
    )
    .await
    .unwrap();
    assert_eq!(paused.phase, StudyPhase::Paused);
    assert_eq!(
        notices
            .iter()
            .filter(|kind| **kind == NoticeKind::ReturnsHigh)
            .count(),
        1,
        "raised once: {notices:?}"
    );
}

#[tokio::test]
async fn when_many_people_fail_the_attention_checks_the_poller_raises_one_alert_while_collecting() {
    const TOKEN: &str = "monitor-checks-token";
    let dir = batchdesk_test_support::temp_folder();
    let config = PracticeConfig {
        token: Some(TOKEN.to_owned()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::from_millis(150),
        return_share: 0.0,
        timeout_share: 0.0,
        ..PracticeConfig::default()
    };
    let (connections, context) = support::sentiment_designed(dir.path(), config).await;
    support::mix_checks(
        &connections,
        &context,
        batchdesk_engine::task::checks::QualityChecks {
            checks_per_group: 2,
            ..Default::default()
        },
    )
    .await;
    support::set_up_batch(&connections, &context).await;
    // Half the crowd clicks without reading.
    support::practice_api(
        &connections,
        TOKEN,
        reqwest::Method::PATCH,
        "/_practice/workspace",
        Some(serde_json::json!({ "crowd_mix": { "average": 50, "fast_clicker": 25, "bot": 25 } })),
    )
    .await;
    wizard::study_context(&connections).await.unwrap();
    let connections = Arc::new(connections);
    let (sender, mut events) = mpsc::unbounded_channel();
    let sink = Arc::new(move |event| drop(sender.send(event)));
    let monitor = Monitor::new(Arc::clone(&connections), sink, quick())
        .with_results(Arc::new(Results::new(dir.path())));
    let launched = wizard::launch(
        &connections,
        None,
        support::publish_as_quoted(&connections).await,
        |_| {},
    )
    .await
    .unwrap();
    monitor.watch_launched(&launched.study_id).await.unwrap();
    let mut notices = Vec::new();
    while !notices.contains(&NoticeKind::ChecksFailing) {
        let progress = next_progress(&mut events, &mut notices).await;
        assert_ne!(
            progress.phase,
            StudyPhase::AwaitingReview,
            "the alert came before the study filled: {notices:?}"
        );
    }
    let paused = study_actions::act(
        &connections,
        &FactsCache::default(),
        &launched.study_id,
        StudyCommand::Pause,
    )
    .await
    .unwrap();
    assert_eq!(paused.phase, StudyPhase::Paused);
    assert_eq!(
        notices
            .iter()
            .filter(|kind| **kind == NoticeKind::ChecksFailing)
            .count(),
        1,
        "raised once: {notices:?}"
    );
}
