//! The token shows in no log line, at any level, and in no error, over a whole flow:
//! dataset, upload, batch, setup, study, publish, submissions, responses, report and
//! export.

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::models::{BatchSetup, NewBatch, NewDataset, Review, TaskDetails};
use batchdesk_prolific::{
    ApiBase, ApiToken, Client, ClientOptions, PollPolicy, Progress, RetryPolicy,
};

mod support;

const SECRET: &str = "tok-hygiene-6f2d9a41c7";

/// Collects every formatted log line.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// The default current-thread runtime keeps the server and the client on this thread,
// so the thread-local subscriber sees every line of both.
#[tokio::test]
async fn the_token_appears_in_no_log_line_and_no_error() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = PracticeServer::start(PracticeConfig {
        token: Some(SECRET.into()),
        processing_delay: Duration::ZERO,
        participant_pace: Duration::ZERO,
        ..PracticeConfig::default()
    })
    .await
    .unwrap();
    let base = ApiBase::parse(&server.base_url()).unwrap();
    // Quick retries: the flow ends with a server that is gone.
    let options = ClientOptions {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::with_options(base.clone(), &ApiToken::new(SECRET), options).unwrap();
    let mut shown = vec![format!("{client:?}")];

    client.users_me().await.unwrap();
    let workspace = client.workspaces().await.unwrap().items.remove(0);
    let dataset = client
        .create_dataset(&NewDataset {
            name: "Hygiene".into(),
            workspace_id: workspace.id.clone(),
            schema: None,
        })
        .await
        .unwrap();
    let dir = batchdesk_test_support::temp_folder();
    let path = dir.path().join("data.csv");
    std::fs::write(&path, "text\nhello\nworld\n").unwrap();
    let progress: Progress = Arc::new(|_, _| {});
    let receipt = client
        .upload_dataset_file(&dataset.id, &path, progress.clone())
        .await
        .unwrap();
    shown.push(format!("{receipt:?}"));
    client.dataset_status(&dataset.id).await.unwrap();
    let upload_url = client.upload_url(&dataset.id, "more.csv").await.unwrap();
    shown.push(format!("{upload_url:?}"));
    let batch = client
        .create_batch(&NewBatch {
            name: "Hygiene batch".into(),
            workspace_id: workspace.id.clone(),
            task_details: TaskDetails {
                task_name: "t".into(),
                task_introduction: "i".into(),
                task_steps: "s".into(),
            },
            dataset_id: Some(dataset.id.clone()),
            batch_items: Some(support::practice::layout()),
            auto_sync_enabled: None,
        })
        .await
        .unwrap();
    shown.push(format!("{batch:?}"));
    client
        .setup_batch(&batch.id, &BatchSetup::default())
        .await
        .unwrap();
    let poll = PollPolicy::default();
    client.wait_for_batch(&batch.id, &poll).await.unwrap();
    let ready = client.batch(&batch.id).await.unwrap();
    let study = client
        .create_study(&support::practice::new_study(&ready, "hygiene", 2))
        .await
        .unwrap();
    shown.push(format!("{study:?}"));
    shown.push(format!(
        "{:?}",
        client.publish_study(&study.id).await.unwrap()
    ));
    shown.push(format!(
        "{:?}",
        client.submission_counts(&study.id).await.unwrap()
    ));
    let submissions = client.submissions(&study.id, None).await.unwrap();
    shown.push(format!("{submissions:?}"));
    let first = &submissions.items[0];
    shown.push(format!(
        "{:?}",
        client
            .review_submission(&first.id, &Review::Approve)
            .await
            .unwrap()
    ));
    let rest: Vec<String> = submissions.items[1..]
        .iter()
        .map(|found| found.id.clone())
        .collect();
    shown.push(client.bulk_approve(&rest).await.unwrap());
    shown.push(format!(
        "{:?}",
        client.batch_responses(&batch.id).await.unwrap()
    ));
    shown.push(format!(
        "{:?}",
        client.batch_report(&batch.id).await.unwrap()
    ));
    client
        .download_batch_report(&batch.id, &dir.path().join("report.csv"), progress.clone())
        .await
        .unwrap();
    client
        .download_batch_export(
            &batch.id,
            &dir.path().join("export.zip"),
            &poll,
            progress.clone(),
        )
        .await
        .unwrap();

    // Errors of every kind the flow can meet, shown both ways.
    let errors = [
        client
            .dataset("0192a3b5-e8f9-7a0b-8000-000000000000")
            .await
            .unwrap_err(),
        client
            .create_batch(&NewBatch {
                name: String::new(),
                workspace_id: workspace.id.clone(),
                task_details: TaskDetails {
                    task_name: "t".into(),
                    task_introduction: "i".into(),
                    task_steps: "s".into(),
                },
                dataset_id: None,
                batch_items: None,
                auto_sync_enabled: None,
            })
            .await
            .unwrap_err(),
        Client::new(base.clone(), &ApiToken::new(format!("{SECRET}-wrong")))
            .unwrap()
            .users_me()
            .await
            .unwrap_err(),
    ];
    for error in &errors {
        shown.push(format!("{error} {error:?}"));
    }
    let transfer_error = client
        .upload_dataset_file("not-a-dataset", &path, progress)
        .await
        .unwrap_err();
    shown.push(format!("{transfer_error} {transfer_error:?}"));
    server.shutdown().await;
    let gone = client.users_me().await.unwrap_err();
    shown.push(format!("{gone} {gone:?}"));

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.lines().count() > 10, "the flow was logged:\n{log}");
    // Every step of the flow reached the log, so its absence of the token means something.
    for step in [
        "POST /api/v1/studies/",
        "/transition/",
        "/api/v1/submissions/",
        "/responses",
        "/report/",
        "/export",
        "GET /practice-storage/",
    ] {
        assert!(log.contains(step), "{step} was logged");
    }
    assert!(log.contains("TRACE") || log.contains("DEBUG"), "{log}");
    for line in log.lines() {
        assert!(!line.contains(SECRET), "token in a log line: {line}");
    }
    for text in shown {
        assert!(!text.contains(SECRET), "token shown: {text}");
    }
}
