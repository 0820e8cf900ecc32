//! The bootstrap interval of each choice question's alpha, worked out when the researcher
//! asks (1,000 resamples take seconds on a large study, so the agreement panel opens
//! without them) and kept in the study's folder, keyed by the answers' fingerprint, the
//! resamples and the seed: the same answers read it back at once, new answers (another
//! download, a pilot or a second round counted in) work it out again.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::folder::{read_note, write_into_place};
use super::loaded::Loaded;
use super::{Results, ResultsError};
use crate::analysis::AnswerValue;
use crate::analysis::ResponseSet;
use crate::analysis::bootstrap::{self, AlphaInterval};
use crate::analysis::recompute::BOOTSTRAP_SEED;

/// The kept intervals, in the study's folder.
pub(super) const INTERVALS: &str = "alpha-intervals.json";

/// One choice question's interval (`None` with too few items rated by two or more).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionInterval {
    pub question_id: String,
    pub interval: Option<AlphaInterval>,
}

/// What is kept: the intervals and what they were worked out from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct KeptIntervals {
    fingerprint: String,
    resamples: u32,
    seed: u64,
    questions: Vec<QuestionInterval>,
}

/// A fingerprint of the choice answers as counted, in the order the bootstrap draws them
/// (item by item, each answer with its person and its answer set): any answer added,
/// removed or changed gives another.
#[must_use]
pub fn answers_fingerprint(set: &ResponseSet) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let labels: Vec<String> = (0..set.choice_set_count())
        .map(|id| {
            set.choice_label(crate::analysis::ChoiceSetId(
                u32::try_from(id).unwrap_or(u32::MAX),
            ))
        })
        .collect();
    for question in set
        .questions()
        .iter()
        .filter(|question| question.kind.is_choice())
    {
        hasher.update(question.id.as_bytes());
        hasher.update(&[0xff]);
        for answer in &question.answers {
            let AnswerValue::Choice { set: chosen, .. } = answer.value else {
                continue;
            };
            hasher.update(set.task_id(answer.item).as_bytes());
            hasher.update(&[0]);
            hasher.update(set.participant_id(answer.participant).as_bytes());
            hasher.update(&[0]);
            hasher.update(&chosen.0.to_le_bytes());
            hasher.update(
                labels
                    .get(chosen.0 as usize)
                    .map_or(&b""[..], |label| label.as_bytes()),
            );
            hasher.update(&[0]);
        }
    }
    format!("xxh3-128:{:032x}", hasher.digest128())
}

impl KeptIntervals {
    fn matching(folder: &Path, fingerprint: &str) -> Option<Vec<QuestionInterval>> {
        let kept: Self = read_note(folder, INTERVALS);
        (kept.fingerprint == fingerprint
            && kept.resamples == bootstrap::RESAMPLES
            && kept.seed == BOOTSTRAP_SEED)
            .then_some(kept.questions)
    }
}

impl Loaded {
    /// The answers' fingerprint, worked out once per load.
    fn fingerprint(&self) -> &str {
        self.fingerprint
            .get_or_init(|| answers_fingerprint(&self.responses))
    }
}

impl Results {
    /// The intervals kept for the study's answers as now counted, if they were worked
    /// out; `None` until the researcher asks for them.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read.
    pub async fn kept_alpha_intervals(
        &self,
        study_id: &str,
    ) -> Result<Option<Vec<QuestionInterval>>, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let folder = self.folder(study_id);
        tokio::task::spawn_blocking(move || KeptIntervals::matching(&folder, loaded.fingerprint()))
            .await
            .map_err(|error| ResultsError::Io(std::io::Error::other(error)))
    }

    /// The 95 % bootstrap interval of each choice question's alpha
    /// ([`bootstrap::RESAMPLES`] resamples, seed [`BOOTSTRAP_SEED`]): the kept ones when
    /// the answers are the same, otherwise worked out now and kept.
    ///
    /// # Errors
    /// When the study's results were never downloaded or cannot be read, or the
    /// intervals cannot be kept.
    pub async fn alpha_intervals(
        &self,
        study_id: &str,
    ) -> Result<Vec<QuestionInterval>, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let folder = self.folder(study_id);
        tokio::task::spawn_blocking(move || work_out(&loaded, &folder))
            .await
            .map_err(|error| ResultsError::Io(std::io::Error::other(error)))?
    }
}

fn work_out(loaded: &Arc<Loaded>, folder: &Path) -> Result<Vec<QuestionInterval>, ResultsError> {
    let fingerprint = loaded.fingerprint();
    if let Some(kept) = KeptIntervals::matching(folder, fingerprint) {
        return Ok(kept);
    }
    let questions: Vec<QuestionInterval> =
        bootstrap::alpha_intervals(&loaded.responses, BOOTSTRAP_SEED)
            .into_iter()
            .map(|(question_id, interval)| QuestionInterval {
                question_id,
                interval,
            })
            .collect();
    let kept = KeptIntervals {
        fingerprint: fingerprint.to_owned(),
        resamples: bootstrap::RESAMPLES,
        seed: BOOTSTRAP_SEED,
        questions,
    };
    let json = serde_json::to_vec(&kept).map_err(std::io::Error::other)?;
    write_into_place(&folder.join(INTERVALS), &json[..])?;
    Ok(kept.questions)
}
