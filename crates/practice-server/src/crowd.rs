//! Who takes a place in a study: each workspace's stable pool of simulated participants,
//! the participant-group filters that keep some of them out or let only some in, and how
//! long each takes.
//!
//! A workspace's pool holds [`POOL_SIZE`] people (as many as the eligibility count
//! starts from), whose ids follow from the server's seed and the workspace, so they are
//! the same in every study and after a restart. The first `regular_participants`
//! (`PracticeConfig`) are regulars: a place goes to a regular drawn at random among those
//! the study may still have, and to someone else of the pool only when none is left. So
//! the same people recur across a workspace's studies, as on Prolific. A person takes at
//! most one place in a study: anyone with a submission there, of any status, is not
//! drawn again.
//!
//! Group filters are read when places are planned, and a change to a group re-plans the
//! places of its studies that nobody has reserved yet (`Study::replan_unreserved`): the
//! result is as if membership were read at the moment each place is taken, as on
//! Prolific, where groups can change while a study runs.

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;

use crate::ServerState;
use crate::dropout::Dropout;
use crate::kinds::{CrowdMix, Kind};
use crate::model::{ParticipantGroup, Store, Study};
use crate::seeded::{Rng, mix};

/// The filter that keeps a study's places for members of the groups it names.
///
/// Prolific's documentation says participant groups can be used as allowlist or
/// blocklist filters on a study, but its spec does not name the filters' ids: these two
/// are our reading. A client learns them from `GET /api/v1/filters/` (with the
/// workspace), never from this constant.
pub(crate) const ALLOWLIST_FILTER: &str = "participant_group_allowlist";
/// The filter that keeps members of the groups it names out of a study's places (see
/// [`ALLOWLIST_FILTER`]).
pub(crate) const BLOCKLIST_FILTER: &str = "participant_group_blocklist";

/// How many people a workspace's pool holds: the eligibility count's everyone.
pub(crate) const POOL_SIZE: u64 = 41_873;

/// How widely the time participants take spreads around its median: the standard
/// deviation of its logarithm. About two in three take between 0.74 and 1.35 times the
/// median.
const TIME_SPREAD: f64 = 0.3;

/// Whether `filter` is one of the two participant-group filters.
pub(crate) fn is_group_filter(filter: &Value) -> bool {
    matches!(
        filter["filter_id"].as_str(),
        Some(ALLOWLIST_FILTER | BLOCKLIST_FILTER)
    )
}

/// The group filters among `filters`, those inside `and`/`or` filters included.
pub(crate) fn group_filters(filters: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    for filter in filters.as_array().into_iter().flatten() {
        if is_group_filter(filter) {
            found.push(filter);
        } else if filter.get("selected_filters").is_some() {
            found.extend(group_filters(&filter["selected_filters"]));
        }
    }
    found
}

/// Whether any group filter of `filters` names the group `group_id`.
pub(crate) fn names_group(filters: &Value, group_id: &str) -> bool {
    group_filters(filters).iter().any(|filter| {
        filter["selected_values"]
            .as_array()
            .is_some_and(|values| values.iter().any(|value| value == group_id))
    })
}

/// Who a study's filters let take part. Filters other than the group filters are not
/// simulated person by person: everyone meets them.
#[derive(Debug, Clone)]
enum Rule {
    Everyone,
    /// A member of one of the groups (an allowlist).
    MemberOfAny(HashSet<String>),
    /// A member of none of the groups (a blocklist).
    MemberOfNone(HashSet<String>),
    All(Vec<Rule>),
    Any(Vec<Rule>),
}

impl Rule {
    /// The rule of a study's `filters` in `workspace_id`, with the groups as they are
    /// now. A deleted group (or another workspace's) has no members that count.
    fn of(filters: &Value, groups: &[ParticipantGroup], workspace_id: &str) -> Self {
        Self::All(
            filters
                .as_array()
                .into_iter()
                .flatten()
                .map(|filter| Self::of_filter(filter, groups, workspace_id))
                .collect(),
        )
    }

    fn of_filter(filter: &Value, groups: &[ParticipantGroup], workspace_id: &str) -> Self {
        let members = || -> HashSet<String> {
            let named: Vec<&str> = filter["selected_values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            groups
                .iter()
                .filter(|group| {
                    group.is_live()
                        && group.workspace_id == workspace_id
                        && named.contains(&group.id.as_str())
                })
                .flat_map(|group| group.members.iter())
                .map(|member| member.participant_id.clone())
                .collect()
        };
        let children = || {
            filter["selected_filters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|child| Self::of_filter(child, groups, workspace_id))
                .collect()
        };
        match filter["filter_id"].as_str() {
            Some(ALLOWLIST_FILTER) => Self::MemberOfAny(members()),
            Some(BLOCKLIST_FILTER) => Self::MemberOfNone(members()),
            Some("and") => Self::All(children()),
            Some("or") => Self::Any(children()),
            _ => Self::Everyone,
        }
    }

    fn admits(&self, participant_id: &str) -> bool {
        match self {
            Self::Everyone => true,
            Self::MemberOfAny(members) => members.contains(participant_id),
            Self::MemberOfNone(members) => !members.contains(participant_id),
            Self::All(rules) => rules.iter().all(|rule| rule.admits(participant_id)),
            Self::Any(rules) => rules.iter().any(|rule| rule.admits(participant_id)),
        }
    }

    /// Everyone an allowlist names (who may be outside the regulars), in a stable order.
    fn allowlisted(&self, found: &mut Vec<String>) {
        match self {
            Self::MemberOfAny(members) => {
                let mut members: Vec<&String> = members.iter().collect();
                members.sort();
                found.extend(members.into_iter().cloned());
            }
            Self::All(rules) | Self::Any(rules) => {
                rules.iter().for_each(|rule| rule.allowlisted(found));
            }
            Self::Everyone | Self::MemberOfNone(_) => {}
        }
    }

    /// How many people the groups of its filters hold in all.
    fn members_named(&self) -> usize {
        match self {
            Self::MemberOfAny(members) | Self::MemberOfNone(members) => members.len(),
            Self::All(rules) | Self::Any(rules) => rules.iter().map(Self::members_named).sum(),
            Self::Everyone => 0,
        }
    }
}

/// The id of a workspace's pool member number `index`: the same for a seed on every
/// run.
pub(crate) fn pool_member(seed: u64, workspace_id: &str, index: u64) -> String {
    Rng::new(mix(
        &[workspace_id, "participant", &index.to_string()],
        seed,
    ))
    .object_id()
}

/// The people who can take a study's places, and how they go about it.
#[derive(Debug, Clone)]
pub(crate) struct Crowd {
    /// One arrives every `pace`, and takes a pace to finish.
    pub(crate) pace: Duration,
    pub(crate) dropout: Dropout,
    /// How long participants take against the study's estimate, in percent.
    time_factor_percent: u32,
    /// The kinds of people in the workspace's pool, when it has a mix (see `kinds`).
    mix: Option<CrowdMix>,
    people: People,
}

#[derive(Debug, Clone)]
enum People {
    /// The workspace's pool, through the study's filters.
    Pool {
        seed: u64,
        workspace_id: String,
        regulars: Vec<String>,
        rule: Rule,
        allowlisted: Vec<String>,
    },
    /// The researcher's own test participants, in order (a test run).
    Testers(Vec<String>),
}

impl Crowd {
    /// The crowd for the people of `testers`, none of whom drops out.
    pub(crate) fn testers(pace: Duration, time_factor_percent: u32, testers: Vec<String>) -> Self {
        Self {
            pace,
            dropout: Dropout::default(),
            time_factor_percent,
            mix: None,
            people: People::Testers(testers),
        }
    }

    /// The kind of `participant_id`: none without a crowd mix, nor for the researcher's
    /// own test participants.
    pub(crate) fn kind_of(&self, participant_id: &str) -> Option<Kind> {
        match (&self.mix, &self.people) {
            (Some(mix), People::Pool { seed, .. }) => Some(mix.kind_of(*seed, participant_id)),
            _ => None,
        }
    }

    /// Whether the filters let `participant_id` take a place now.
    pub(crate) fn admits(&self, participant_id: &str) -> bool {
        match &self.people {
            People::Pool { rule, .. } => rule.admits(participant_id),
            People::Testers(testers) => testers.iter().any(|id| id == participant_id),
        }
    }

    /// Someone the filters admit who is not in `taken`, or `None` when nobody is left.
    /// Takes two numbers of `rng` whoever comes, as drawing a participant's id did before
    /// pools: a seed still plans the same submission ids and dropouts.
    pub(crate) fn draw(&self, taken: &HashSet<String>, rng: &mut Rng) -> Option<String> {
        let roll = rng.next_u64();
        rng.next_u64();
        let free = |id: &String| !taken.contains(id) && self.admits(id);
        match &self.people {
            People::Testers(testers) => testers.iter().find(|id| free(id)).cloned(),
            People::Pool {
                seed,
                workspace_id,
                regulars,
                rule,
                allowlisted,
            } => {
                if !regulars.is_empty() {
                    let start = usize::try_from(roll % regulars.len() as u64).unwrap_or_default();
                    let from_regulars = regulars[start..]
                        .iter()
                        .chain(&regulars[..start])
                        .find(|id| free(id));
                    if let Some(id) = from_regulars {
                        return Some(id.clone());
                    }
                }
                if let Some(id) = allowlisted.iter().find(|id| free(id)) {
                    return Some(id.clone());
                }
                // Among the rest of the pool, only those taken or kept out by a group
                // can be passed over, so the search ends soon after them.
                let reach = (taken.len() + rule.members_named() + 1) as u64;
                let first = regulars.len() as u64;
                (first..POOL_SIZE.min(first.saturating_add(reach)))
                    .map(|index| pool_member(*seed, workspace_id, index))
                    .find(free)
            }
        }
    }

    /// How long (seconds) the participant of submission `submission_id` took, for an
    /// estimate of `estimate_minutes`: log-normal around the estimate times the
    /// workspace's factor (and the share of it a `kind` takes: fast clickers and bots
    /// far less), the same for a submission on every read and run.
    pub(crate) fn time_taken(
        &self,
        estimate_minutes: f64,
        submission_id: &str,
        kind: Option<Kind>,
    ) -> u64 {
        let mut rng = Rng::new(mix(&[submission_id, "time taken"], 0));
        let mut uniform = || ((rng.next_u64() >> 11) as f64 + 0.5) / (1_u64 << 53) as f64;
        // Box–Muller: one standard normal draw from two uniform ones.
        let normal = (-2.0 * uniform().ln()).sqrt() * (std::f64::consts::TAU * uniform()).cos();
        let median = estimate_minutes * 60.0 * f64::from(self.time_factor_percent) / 100.0;
        // Times 1.0 without a kind (or for careful and average people): exactly as before.
        let median = median * kind.map_or(1.0, Kind::time_share);
        (median * (TIME_SPREAD * normal).exp()).round().max(1.0) as u64
    }
}

impl ServerState {
    /// The crowd for `study` now: its workspace's pool through its filters, at the
    /// current pace.
    pub(crate) fn crowd_for(&self, store: &Store, study: &Study) -> Crowd {
        let empty = Value::Array(Vec::new());
        let filters = study.fields.get("filters").unwrap_or(&empty);
        let rule = Rule::of(filters, &store.participant_groups, &study.workspace_id);
        let mut allowlisted = Vec::new();
        rule.allowlisted(&mut allowlisted);
        let regulars = (0..self.regular_participants.min(POOL_SIZE))
            .map(|index| pool_member(self.seed, &study.workspace_id, index))
            .collect();
        Crowd {
            pace: self.participant_pace(),
            dropout: self.dropout,
            time_factor_percent: store.time_factor_percent(&study.workspace_id),
            mix: store.crowd_mix(&study.workspace_id),
            people: People::Pool {
                seed: self.seed,
                workspace_id: study.workspace_id.clone(),
                regulars,
                rule,
                allowlisted,
            },
        }
    }

    /// Re-plans the places nobody has reserved yet in the running studies of
    /// `workspace_id` that name `group_id` in a filter, after the group changed.
    pub(crate) fn replan_for_group(&self, store: &mut Store, workspace_id: &str, group_id: &str) {
        let affected: Vec<usize> = store
            .studies
            .iter()
            .enumerate()
            .filter(|(_, study)| {
                study.workspace_id == workspace_id
                    && study
                        .fields
                        .get("filters")
                        .is_some_and(|filters| names_group(filters, group_id))
            })
            .map(|(index, _)| index)
            .collect();
        for index in affected {
            let crowd = self.crowd_for(store, &store.studies[index]);
            let Store { studies, rng, .. } = &mut *store;
            studies[index].replan_unreserved(&crowd, rng);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn crowd(rule: Rule, regulars: u64) -> Crowd {
        let mut allowlisted = Vec::new();
        rule.allowlisted(&mut allowlisted);
        Crowd {
            pace: Duration::ZERO,
            dropout: Dropout::default(),
            time_factor_percent: 100,
            mix: None,
            people: People::Pool {
                seed: 1,
                workspace_id: "w".to_owned(),
                regulars: (0..regulars)
                    .map(|index| pool_member(1, "w", index))
                    .collect(),
                rule,
                allowlisted,
            },
        }
    }

    #[test]
    fn regulars_come_first_each_once_then_the_rest_of_the_pool() {
        let crowd = crowd(Rule::Everyone, 5);
        let mut rng = Rng::new(3);
        let mut taken = HashSet::new();
        for _ in 0..7 {
            let id = crowd.draw(&taken, &mut rng).unwrap_or_default();
            assert!(taken.insert(id), "nobody twice");
        }
        let regulars: HashSet<String> = (0..5).map(|index| pool_member(1, "w", index)).collect();
        assert_eq!(taken.intersection(&regulars).count(), 5);
        assert_eq!(pool_member(1, "w", 0), pool_member(1, "w", 0));
        assert_ne!(pool_member(1, "w", 0), pool_member(1, "other", 0));
    }

    #[test]
    fn group_filters_keep_members_out_or_let_only_them_in() {
        let member = pool_member(1, "w", 0);
        let blocked = Rule::MemberOfNone(HashSet::from([member.clone()]));
        let blocked = crowd(blocked, 1);
        let drawn = blocked.draw(&HashSet::new(), &mut Rng::new(0));
        assert!(drawn.is_some_and(|id| id != member), "someone else comes");

        let outsider = "0123456789abcdef01234567".to_owned();
        let allowed = crowd(Rule::MemberOfAny(HashSet::from([outsider.clone()])), 3);
        let mut taken = HashSet::new();
        assert_eq!(
            allowed.draw(&taken, &mut Rng::new(0)),
            Some(outsider.clone())
        );
        taken.insert(outsider);
        assert_eq!(allowed.draw(&taken, &mut Rng::new(0)), None, "nobody else");
    }

    #[test]
    fn group_filters_are_found_inside_and_or_filters() {
        let filters = json!([
            {"filter_id": "age", "selected_range": {"lower": 18}},
            {"filter_id": "or", "selected_filters": [
                {"filter_id": BLOCKLIST_FILTER, "selected_values": ["g1"]}
            ]}
        ]);
        assert_eq!(group_filters(&filters).len(), 1);
        assert!(names_group(&filters, "g1"));
        assert!(!names_group(&filters, "g2"));
    }

    #[test]
    fn time_taken_centres_on_the_estimate_times_the_factor() {
        let mut crowd = crowd(Rule::Everyone, 1);
        let median = |crowd: &Crowd| {
            let mut times: Vec<u64> = (0..401)
                .map(|n| crowd.time_taken(10.0, &format!("submission {n}"), None))
                .collect();
            times.sort_unstable();
            times[200]
        };
        assert!((540..=660).contains(&median(&crowd)), "{}", median(&crowd));
        crowd.time_factor_percent = 300;
        assert!((1_620..=1_980).contains(&median(&crowd)));
        assert_eq!(
            crowd.time_taken(10.0, "s", None),
            crowd.time_taken(10.0, "s", None)
        );
    }

    #[test]
    fn fast_clickers_straight_liners_and_bots_take_a_share_of_the_time() {
        let crowd = crowd(Rule::Everyone, 1);
        let median = |kind: Option<Kind>| {
            let mut times: Vec<u64> = (0..401)
                .map(|n| crowd.time_taken(10.0, &format!("submission {n}"), kind))
                .collect();
            times.sort_unstable();
            (times[200], times[0], times[400])
        };
        let (usual, ..) = median(None);
        assert_eq!(median(Some(Kind::Careful)).0, usual);
        assert_eq!(median(Some(Kind::Average)).0, usual);
        let (fast, low, high) = median(Some(Kind::FastClicker));
        assert!((75..=105).contains(&fast), "{fast}");
        assert!(low < high, "spread");
        let (straight, ..) = median(Some(Kind::StraightLiner));
        assert!((270..=330).contains(&straight), "{straight}");
        let (bot, ..) = median(Some(Kind::Bot));
        assert!((25..=35).contains(&bot), "{bot}");
        // At least a second, however short the estimate.
        assert!(crowd.time_taken(0.01, "s", Some(Kind::Bot)) >= 1);
    }

    #[test]
    fn kinds_come_only_with_a_mix_and_never_to_test_participants() {
        let mut crowd = crowd(Rule::Everyone, 1);
        assert_eq!(crowd.kind_of("someone"), None);
        crowd.mix = Some(CrowdMix {
            bot: 100,
            ..CrowdMix::default()
        });
        assert_eq!(crowd.kind_of("someone"), Some(Kind::Bot));
        let mut testers = Crowd::testers(Duration::ZERO, 100, vec!["tester".to_owned()]);
        testers.mix = crowd.mix;
        assert_eq!(testers.kind_of("tester"), None);
    }
}
