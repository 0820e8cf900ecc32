//! Submissions (API-NOTES §7.8): listing a study's, reading one, reviewing one (final
//! once made, so sent once), approving many, and asking a participant to return one.

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;

use crate::client::segment;
use crate::models::{
    Listed, ReturnRequestBody, ReturnRequested, Review, ReviewBody, Submission, SubmissionStatus,
};
use crate::transport::{Failure, Safety};
use crate::{Client, ProlificError};

const SUBMISSIONS: &str = "/api/v1/submissions/";

/// Prolific's default page is 20; larger pages mean fewer calls for a big study. Prolific
/// may answer smaller pages; they are read all the same.
const PAGE_SIZE: &str = "100";

impl Client {
    /// `GET /submissions/?study=…[&status=…]`, every page (`page`/`page_size`, or
    /// `_links.next` where the answer has it).
    pub async fn submissions(
        &self,
        study_id: &str,
        status: Option<&SubmissionStatus>,
    ) -> Result<Listed<Submission>, ProlificError> {
        let filter = status.map(SubmissionStatus::as_filter);
        let mut query = vec![("study", study_id), ("page_size", PAGE_SIZE)];
        if let Some(filter) = &filter {
            query.push(("status", filter));
        }
        self.list(self.join_query(SUBMISSIONS, &query)?).await
    }

    /// `GET /studies/{id}/submissions/`: the study's submissions, every page.
    pub async fn study_submissions(
        &self,
        study_id: &str,
    ) -> Result<Listed<Submission>, ProlificError> {
        self.list(self.base.join(&format!(
            "/api/v1/studies/{}/submissions/",
            segment(study_id)
        )))
        .await
    }

    /// `GET /submissions/{id}/`.
    pub async fn submission(&self, submission_id: &str) -> Result<Submission, ProlificError> {
        self.get_json(&format!("{SUBMISSIONS}{}/", segment(submission_id)))
            .await
    }

    /// `POST /submissions/{id}/transition/`: approve or reject a submission awaiting
    /// review. After an unclear failure it reads the submission, and sends the review
    /// again only if the submission does not show it yet.
    pub async fn review_submission(
        &self,
        submission_id: &str,
        review: &Review,
    ) -> Result<Submission, ProlificError> {
        let url = self.base.join(&format!(
            "{SUBMISSIONS}{}/transition/",
            segment(submission_id)
        ));
        self.create_or_find(&url, &ReviewBody::from(review), || async {
            let submission = self.submission(submission_id).await?;
            Ok((submission.status == review.outcome()).then_some(submission))
        })
        .await
    }

    /// `POST /submissions/{id}/request-return/` (experimental on Prolific's side): asks
    /// the participant to return their submission for `reasons`, from which Prolific
    /// writes them a message. After an unclear failure it reads the submission, and sends
    /// the request again only if the submission shows none yet (nor has been returned).
    pub async fn request_return(
        &self,
        submission_id: &str,
        reasons: &[String],
    ) -> Result<ReturnRequested, ProlificError> {
        let url = self.base.join(&format!(
            "{SUBMISSIONS}{}/request-return/",
            segment(submission_id)
        ));
        let body = ReturnRequestBody {
            request_return_reasons: reasons,
        };
        self.create_or_find(&url, &body, || async {
            let submission = self.submission(submission_id).await?;
            let asked = submission.return_requested.is_some()
                || submission.status == SubmissionStatus::Returned;
            Ok(asked.then(|| ReturnRequested::of(submission)))
        })
        .await
    }

    /// `POST /submissions/bulk-approve/` with the submissions' ids: Prolific approves
    /// them in the background and answers with a sentence, returned as is. Approving a
    /// submission twice changes nothing, so this is retried like a read.
    pub async fn bulk_approve(&self, submission_ids: &[String]) -> Result<String, ProlificError> {
        #[derive(Serialize)]
        struct BulkApprove<'a> {
            submission_ids: &'a [String],
        }
        let url = self.base.join(&format!("{SUBMISSIONS}bulk-approve/"));
        let body = serde_json::to_vec(&BulkApprove { submission_ids }).map_err(|error| {
            ProlificError::Unexpected {
                status: 0,
                detail: Some(error.to_string()),
            }
        })?;
        let (_, answer) = self
            .transport
            .execute(Safety::Idempotent, || {
                self.api(Method::POST, &url)
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone())
            })
            .await
            .map_err(Failure::into_api_error)?;
        // The spec says a JSON string; plain text is taken as it comes.
        Ok(serde_json::from_slice::<String>(&answer)
            .unwrap_or_else(|_| String::from_utf8_lossy(&answer).into_owned()))
    }
}
