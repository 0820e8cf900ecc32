//! Consolidated labels: the majority answer per item and question with its support, and
//! how often each option was chosen per question (for charts).
//!
//! A tie for the most votes is reported as a tie, with every tied answer, never broken
//! silently (by order, by chance or otherwise): the researcher decides.

use serde::Serialize;
use specta::Type;

/// The outcome of a majority vote over distinct answers, by answer id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MajorityVote {
    /// The answers with the most votes: one when there is a winner, several on a tie,
    /// none when nobody answered. Sorted by id.
    pub leaders: Vec<u32>,
    pub leader_votes: u32,
    pub votes_cast: u32,
}

impl MajorityVote {
    /// The winning answer, unless nobody answered or the lead is tied.
    #[must_use]
    pub fn winner(&self) -> Option<u32> {
        match self.leaders[..] {
            [winner] => Some(winner),
            _ => None,
        }
    }
}

/// The majority among `(answer, votes)` pairs (one per distinct answer).
#[must_use]
pub fn majority_vote(counts: &[(u32, u32)]) -> MajorityVote {
    let leader_votes = counts.iter().map(|&(_, votes)| votes).max().unwrap_or(0);
    let mut leaders: Vec<u32> = counts
        .iter()
        .filter(|&&(_, votes)| votes == leader_votes && votes > 0)
        .map(|&(answer, _)| answer)
        .collect();
    leaders.sort_unstable();
    MajorityVote {
        leaders,
        leader_votes,
        votes_cast: counts.iter().map(|&(_, votes)| votes).sum(),
    }
}

/// The consolidated answer of one item to one choice question, for the app and the
/// tidy CSV. A multi-select answer is a label of its options joined with `; `.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConsolidatedLabel {
    /// The majority answer; `None` on a tie or with no answers.
    pub label: Option<String>,
    /// On a tie, every answer sharing the most votes, sorted by label; empty otherwise.
    pub tied_labels: Vec<String>,
    /// Votes for the winner (or for each tied answer).
    pub leader_votes: u32,
    pub votes_cast: u32,
    /// `leader_votes / votes_cast`; `None` with no votes.
    pub support: Option<f64>,
}

impl ConsolidatedLabel {
    /// Names the answers of `vote` with `label_of`.
    pub fn from_vote(vote: &MajorityVote, mut label_of: impl FnMut(u32) -> String) -> Self {
        let (label, tied_labels) = match vote.winner() {
            Some(winner) => (Some(label_of(winner)), Vec::new()),
            None => {
                let mut tied: Vec<String> = vote.leaders.iter().map(|&id| label_of(id)).collect();
                // Sorted by label, not by id, so reading order cannot change it.
                tied.sort_unstable();
                (None, tied)
            }
        };
        Self {
            label,
            tied_labels,
            leader_votes: vote.leader_votes,
            votes_cast: vote.votes_cast,
            support: (vote.votes_cast > 0)
                .then(|| f64::from(vote.leader_votes) / f64::from(vote.votes_cast)),
        }
    }

    #[must_use]
    pub fn is_tie(&self) -> bool {
        self.tied_labels.len() > 1
    }
}

/// How many answers chose one option of a question. In a multi-select answer each
/// chosen option counts once, so the counts may add up to more than the answers.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OptionCount {
    pub value: String,
    #[specta(type = u32)]
    pub count: u64,
    /// `count` over the question's answers.
    pub share_of_answers: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_majority_wins_and_a_tie_stays_a_tie() {
        let vote = majority_vote(&[(3, 1), (1, 2)]);
        assert_eq!(vote.winner(), Some(1));
        assert_eq!((vote.leader_votes, vote.votes_cast), (2, 3));
        let tie = majority_vote(&[(4, 2), (0, 2), (1, 1)]);
        assert_eq!(tie.winner(), None);
        assert_eq!(tie.leaders, [0, 4]);
        let label = ConsolidatedLabel::from_vote(&tie, |id| format!("v{id}"));
        assert_eq!(label.label, None);
        assert_eq!(label.tied_labels, ["v0", "v4"]);
        assert!(label.is_tie());
        assert_eq!(label.support, Some(0.4));
        let nobody = ConsolidatedLabel::from_vote(&majority_vote(&[]), |id| id.to_string());
        assert_eq!((nobody.label.as_deref(), nobody.support), (None, None));
        assert!(!nobody.is_tie());
    }
}
