//! Planning a study's places: who comes from its crowd, when, and how each submission
//! ends. Kept apart from `model` so the data does not depend on the crowd that fills it
//! (`crowd` reads the model's groups and studies; this reads both).

use std::collections::{HashMap, HashSet};

use crate::clock::Moment;
use crate::crowd::Crowd;
use crate::dropout::Ending;
use crate::model::{Review, Stage, Study, Submission};
use crate::seeded::Rng;

/// How many people at most try one place in a row: the last of them always finishes, so
/// a high dropout rate cannot plan without end.
const MAX_TRIES_PER_PLACE: usize = 5;

impl Study {
    /// Plans the places nobody holds or will hold: one participant reserves an open
    /// place every `pace` from `from` (or from the scheduled publishing moment, if
    /// later), starts a quarter of a pace later (so `RESERVED` can be seen) and finishes
    /// a pace after reserving. Some (`dropout`) return half way or time out at the end
    /// instead; the next person takes the place as they leave. A place nobody in the
    /// crowd can take (an allowlist used up) stays open.
    pub(crate) fn recruit(&mut self, from: Moment, crowd: &Crowd, rng: &mut Rng) {
        let from = self.published_at.map_or(from, |at| at.max(from));
        let mut taken = self.participants();
        let mut newcomers = 0_u32;
        for place in 0..self.places() {
            // The latest submission for this place that was not rejected.
            let last = self
                .submissions
                .iter()
                .filter(|submission| {
                    submission.place == place && submission.review != Some(Review::Rejected)
                })
                .max_by_key(|submission| submission.reserved_at);
            let arrives = match last {
                Some(last) => match last.leaves_at() {
                    None => continue,
                    Some(leaves) => leaves.max(from),
                },
                None => {
                    newcomers = newcomers.saturating_add(1);
                    from.after(crowd.pace.saturating_mul(newcomers - 1))
                }
            };
            self.plan_place(place, arrives, crowd, &mut taken, rng);
        }
    }

    /// Everyone who has, or will have, a submission in this study.
    fn participants(&self) -> HashSet<String> {
        self.submissions
            .iter()
            .map(|submission| submission.participant_id.clone())
            .collect()
    }

    /// Plans the people who try `place` one after another from `arrives`, until one
    /// finishes or nobody is left to try.
    fn plan_place(
        &mut self,
        place: u64,
        mut arrives: Moment,
        crowd: &Crowd,
        taken: &mut HashSet<String>,
        rng: &mut Rng,
    ) {
        let pace = crowd.pace;
        for attempt in 1..=MAX_TRIES_PER_PLACE {
            let ending = if attempt == MAX_TRIES_PER_PLACE {
                Ending::Finishes
            } else {
                crowd.dropout.draw(rng)
            };
            let id = rng.object_id();
            let Some(participant_id) = crowd.draw(taken, rng) else {
                return;
            };
            taken.insert(participant_id.clone());
            let reserved_at = arrives;
            let finished_at = match ending {
                Ending::Returns => reserved_at.after(pace / 2),
                Ending::Finishes | Ending::TimesOut => reserved_at.after(pace),
            };
            let kind = crowd.kind_of(&participant_id);
            let time_taken = match ending {
                Ending::Finishes => Some(crowd.time_taken(self.estimate_minutes(), &id, kind)),
                // Timed out: the whole time allowed passed, whatever the estimate.
                Ending::TimesOut => Some((self.allowed_minutes() * 60.0).ceil() as u64),
                Ending::Returns => None,
            };
            self.submissions.push(Submission {
                place,
                id,
                participant_id,
                reserved_at,
                started_at: reserved_at.after(pace / 4),
                finished_at,
                ending,
                study_code: self.completed_code(),
                review: None,
                time_taken,
                kind,
                bonus_payments: Vec::new(),
                return_request: None,
            });
            if ending == Ending::Finishes {
                return;
            }
            arrives = finished_at;
        }
    }

    /// After a participant group changed: each planned submission nobody has reserved
    /// yet goes to someone the filters admit now (its participant if still admitted,
    /// else someone new), so membership counts as at the moment the place is taken.
    /// Where nobody is left, the place stays open from there. Then open places are
    /// planned again (an allowlist that grew). Only while the study is running.
    pub(crate) fn replan_unreserved(&mut self, crowd: &Crowd, rng: &mut Rng) {
        if !matches!(self.current_stage(), Stage::Active | Stage::Scheduled) {
            return;
        }
        let mut planned: Vec<usize> = (0..self.submissions.len())
            .filter(|&index| !self.submissions[index].exists())
            .collect();
        planned.sort_by_key(|&index| self.submissions[index].reserved_at);
        let mut taken = self.participants();
        // Per place, the moment from which nobody could be found.
        let mut open_from: HashMap<u64, Moment> = HashMap::new();
        let mut dropped = vec![false; self.submissions.len()];
        for index in planned {
            let submission = &self.submissions[index];
            if open_from
                .get(&submission.place)
                .is_some_and(|from| submission.reserved_at >= *from)
            {
                dropped[index] = true;
                continue;
            }
            if crowd.admits(&submission.participant_id) {
                continue;
            }
            match crowd.draw(&taken, rng) {
                Some(someone) => {
                    taken.insert(someone.clone());
                    let kind = crowd.kind_of(&someone);
                    let estimate = self.estimate_minutes();
                    let submission = &mut self.submissions[index];
                    // Someone of another kind takes another time; without kinds the
                    // time stays as planned.
                    if kind != submission.kind && submission.ending == Ending::Finishes {
                        submission.time_taken =
                            Some(crowd.time_taken(estimate, &submission.id, kind));
                    }
                    submission.kind = kind;
                    submission.participant_id = someone;
                }
                None => {
                    open_from.insert(submission.place, submission.reserved_at);
                    dropped[index] = true;
                }
            }
        }
        let mut index = 0;
        self.submissions.retain(|_| {
            index += 1;
            !dropped[index - 1]
        });
        self.recruit(Moment::now(), crowd, rng);
    }
}
