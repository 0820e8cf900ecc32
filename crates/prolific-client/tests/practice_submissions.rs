//! Submissions against the practice server over real HTTP: simulated participants fill
//! a published study, and the researcher lists (over several pages), counts, approves,
//! rejects and bulk-approves them, or asks a participant to return theirs.

#![allow(clippy::unwrap_used)]

mod support;

use batchdesk_prolific::ProlificError;
use batchdesk_prolific::models::{RejectionCategory, Review, StudyStatus, SubmissionStatus};
use support::fast_options;
use support::practice::{client_for, new_study, ready_batch, start};
use support::proxy::{AfterCommitProxy, Lost};

#[tokio::test]
async fn a_full_study_is_listed_over_pages_counted_and_reviewed() {
    let (_server, client, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    // One task per group and one annotator: 210 places, more than two pages of 100.
    let batch = ready_batch(&client, dir.path(), 210, 1).await;
    let study = client
        .create_study(&new_study(&batch, "many submissions", 1))
        .await
        .unwrap();
    client.publish_study(&study.id).await.unwrap();

    // Participants take no time here: every place is filled and awaits review.
    let study = client.study(&study.id).await.unwrap();
    assert_eq!(study.status, Some(StudyStatus::AwaitingReview));
    let counts = client.submission_counts(&study.id).await.unwrap();
    assert_eq!((counts.awaiting_review, counts.total), (210, 210));

    let all = client.submissions(&study.id, None).await.unwrap();
    assert!(!all.possibly_truncated);
    assert_eq!(all.items.len(), 210);
    let mut ids: Vec<&str> = all.items.iter().map(|found| found.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 210, "no page read twice");
    let waiting = client
        .submissions(&study.id, Some(&SubmissionStatus::AwaitingReview))
        .await
        .unwrap();
    assert_eq!(waiting.items.len(), 210);
    assert!(
        client
            .submissions(&study.id, Some(&SubmissionStatus::Approved))
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert_eq!(
        client
            .study_submissions(&study.id)
            .await
            .unwrap()
            .items
            .len(),
        210
    );

    let first = &all.items[0];
    let fetched = client.submission(&first.id).await.unwrap();
    assert_eq!(fetched.participant_id, first.participant_id);
    assert_eq!(fetched.study_id.as_deref(), Some(study.id.as_str()));

    let approved = client
        .review_submission(&first.id, &Review::Approve)
        .await
        .unwrap();
    assert_eq!(approved.status, SubmissionStatus::Approved);
    // A review is final.
    let error = client
        .review_submission(&first.id, &Review::Approve)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );

    let second = &all.items[1];
    let too_short = Review::Reject {
        message: "Too fast.".into(),
        category: RejectionCategory::TooQuickly,
    };
    let error = client
        .review_submission(&second.id, &too_short)
        .await
        .unwrap_err();
    let ProlificError::Validation { detail, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        detail.as_deref().unwrap_or_default().contains("message"),
        "{error}"
    );
    let rejected = client
        .review_submission(
            &second.id,
            &Review::Reject {
                message: "The answers were given faster than the reviews can be read, \
                          and several did not match the text of the review at all."
                    .into(),
                category: RejectionCategory::TooQuickly,
            },
        )
        .await
        .unwrap();
    assert_eq!(rejected.status, SubmissionStatus::Rejected);

    let batch_of_five: Vec<String> = all.items[2..7]
        .iter()
        .map(|found| found.id.clone())
        .collect();
    let answer = client.bulk_approve(&batch_of_five).await.unwrap();
    assert!(answer.contains('5'), "{answer}");
    let counts = client.submission_counts(&study.id).await.unwrap();
    assert_eq!((counts.approved, counts.rejected), (6, 1));

    let error = client
        .bulk_approve(&["60d9aadeb86739de712faee0".to_owned()])
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );
    let error = client
        .submission("60d9aadeb86739de712faee0")
        .await
        .unwrap_err();
    assert!(matches!(error, ProlificError::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn a_participant_is_asked_to_return_once_even_when_the_answer_is_lost() {
    let (server, direct, _) = start().await;
    let dir = batchdesk_test_support::temp_folder();
    let batch = ready_batch(&direct, dir.path(), 3, 1).await;
    let study = direct
        .create_study(&new_study(&batch, "asked to return", 1))
        .await
        .unwrap();
    direct.publish_study(&study.id).await.unwrap();
    let submissions = direct.submissions(&study.id, None).await.unwrap().items;
    let asked = &submissions[0];
    let participant = asked.participant_id.clone().unwrap();

    // The server asks the participant, then the answer is lost: the client reads the
    // submission, finds the request made, and does not send it again.
    let proxy = AfterCommitProxy::start(&server.base_url()).await;
    let (options, _) = fast_options(5);
    let client = client_for(&proxy.base_url, server.token(), options);
    let path = "/api/v1/submissions/{id}/request-return/";
    proxy.lose_answer("POST", path, Lost::Dropped, 1);
    let reasons = vec!["Failed the attention checks".to_owned()];
    let requested = client.request_return(&asked.id, &reasons).await.unwrap();
    assert_eq!(proxy.count("POST", path), 1);
    assert_eq!(requested.id, asked.id);
    assert_eq!(requested.participant.as_deref(), Some(participant.as_str()));
    let first_moment = requested.return_requested.clone().unwrap();
    // With a pace of zero the participant has returned it by the time it is read.
    assert_eq!(requested.status, SubmissionStatus::Returned);

    // Asked again on purpose: Prolific answers the first moment, and no second message.
    let again = client.request_return(&asked.id, &reasons).await.unwrap();
    assert_eq!(
        again.return_requested.as_deref(),
        Some(first_moment.as_str())
    );
    assert_eq!(client.messages_with(&participant).await.unwrap().len(), 1);
    let read = client.submission(&asked.id).await.unwrap();
    assert_eq!(
        read.return_requested.as_deref(),
        Some(first_moment.as_str())
    );

    // No reason, or a submission already reviewed: refused.
    let error = client
        .request_return(&submissions[1].id, &[])
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );
    client
        .review_submission(&submissions[2].id, &Review::Approve)
        .await
        .unwrap();
    let error = client
        .request_return(&submissions[2].id, &reasons)
        .await
        .unwrap_err();
    assert!(
        matches!(error, ProlificError::Validation { .. }),
        "{error:?}"
    );
}
