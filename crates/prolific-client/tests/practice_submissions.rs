//! Submissions against the practice server over real HTTP: simulated participants fill
//! a published study, and the researcher lists (over several pages), counts, approves,
//! rejects and bulk-approves them.

#![allow(clippy::unwrap_used)]

mod support;

use batchdesk_prolific::ProlificError;
use batchdesk_prolific::models::{RejectionCategory, Review, StudyStatus, SubmissionStatus};
use support::practice::{new_study, ready_batch, start};

#[tokio::test]
async fn a_full_study_is_listed_over_pages_counted_and_reviewed() {
    let (_server, client, _) = start().await;
    let dir = tempfile::tempdir().unwrap();
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
