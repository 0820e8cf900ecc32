//! Who took part (issue 19): Prolific's demographic export for a study, saved in its
//! folder once, joined to the answers by participant id, and shown only in aggregate:
//! for each choice question, how each group (age band, country of residence, first
//! language) answered.
//!
//! Prolific allows each study only two different demographic exports (filter
//! combinations), so the export is asked for without filters, only when the researcher
//! asks, and never again while a saved copy exists unless they ask again (the same
//! request again is free, Prolific says, but it is still theirs to decide).
//!
//! No group smaller than [`MIN_GROUP_PEOPLE`] people is ever shown on its own.

use std::collections::{BTreeMap, HashMap, HashSet};

use batchdesk_prolific::MOST_DEMOGRAPHIC_EXPORT_COMBINATIONS;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::folder::{read_note, write_into_place, write_note};
use super::loaded::Loaded;
use super::{Results, ResultsError};
use crate::analysis::AnswerValue;
use crate::clock::now_iso;
use crate::connection::Connections;
use crate::error_code::{Coded, ErrorCode};
use crate::text;

/// The export as Prolific sent it, in the study's folder.
pub const DEMOGRAPHICS_FILE: &str = "demographics.csv";
/// When it was fetched.
const DEMOGRAPHICS_NOTE: &str = "demographics.json";

/// The fewest people a group may hold to be shown on its own. A smaller group's answers
/// could be traced back to the few people in it (one person aged 65 or over in Canada is
/// easy to find among the submissions), so smaller groups are put together under
/// [`MERGED_GROUP`], and that too is shown only when it reaches this size.
pub const MIN_GROUP_PEOPLE: u32 = 5;
/// The group the smaller groups are put together in.
pub const MERGED_GROUP: &str = "Other / fewer than 5 people";
/// The group of people whose answer Prolific does not hold (expired, withdrawn, blank).
pub const NOT_GIVEN: &str = "Not given";

/// Age bands, from the youngest: (lowest age, label). The last one has no upper end.
const AGE_BANDS: &[(u32, &str)] = &[
    (18, "18–24"),
    (25, "25–34"),
    (35, "35–44"),
    (45, "45–54"),
    (55, "55–64"),
    (65, "65 and over"),
];

/// How the participants are put in groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Grouping {
    AgeBand,
    Country,
    Language,
}

impl Grouping {
    pub const ALL: [Self; 3] = [Self::AgeBand, Self::Country, Self::Language];
}

/// Who took part, as the results page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Demographics {
    /// When the export saved on this computer was fetched; `None` when it never was
    /// (and nothing else below is filled).
    pub fetched_at: Option<String>,
    /// Different demographic exports this study has used on Prolific, when Prolific
    /// could be asked; and how many it allows.
    pub exports_used: Option<u32>,
    pub exports_allowed: u32,
    pub min_group_people: u32,
    /// People with answers here who are in the export.
    pub people_matched: u32,
    /// People with answers here who are not in it (a pilot's or a second round's people,
    /// whose exports belong to their own studies): left out of every group.
    pub people_not_in_export: u32,
    /// One breakdown per grouping, in the order of [`Grouping::ALL`].
    pub groupings: Vec<GroupingBreakdown>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupingBreakdown {
    pub grouping: Grouping,
    pub questions: Vec<QuestionBreakdown>,
}

/// One choice question's answers by group.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuestionBreakdown {
    pub question_id: String,
    pub title: String,
    /// The answers counted (option values; several chosen together joined by "; "), in
    /// the order of the question's options.
    pub answers: Vec<String>,
    /// The groups shown, each with at least [`MIN_GROUP_PEOPLE`] people.
    pub groups: Vec<GroupAnswers>,
    /// People left out because even together the small groups held fewer than
    /// [`MIN_GROUP_PEOPLE`]: true when some were (their number is not given).
    pub some_left_out: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupAnswers {
    pub label: String,
    /// True for [`MERGED_GROUP`].
    pub merged: bool,
    /// People in the group who answered the question.
    pub people: u32,
    /// How many of their answers were each of `answers`, in that order.
    pub counts: Vec<u32>,
}

/// One participant's groups, as read from the export.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Person {
    age_band: String,
    country: String,
    language: String,
}

impl Person {
    fn group(&self, grouping: Grouping) -> &str {
        match grouping {
            Grouping::AgeBand => &self.age_band,
            Grouping::Country => &self.country,
            Grouping::Language => &self.language,
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct FetchRecord {
    fetched_at: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum DemographicsError {
    NoParticipantColumn,
    Csv(#[from] csv::Error),
}

impl Coded for DemographicsError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::NoParticipantColumn | Self::Csv(_) => ErrorCode::ResultsUnreadable,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::NoParticipantColumn => text!("errors:results.demographics.noParticipantColumn"),
            Self::Csv(reason) => {
                text!(
                    "errors:results.demographics.csv",
                    reason = reason.to_string()
                )
            }
        }
    }
}

/// The columns Prolific's export may name each field by (compared without case, spaces
/// or underscores): the spec's words and the names its CSV headers use.
const PARTICIPANT_COLUMNS: &[&str] = &["participantid", "participant"];
const AGE_COLUMNS: &[&str] = &["age"];
const COUNTRY_COLUMNS: &[&str] = &["countryofresidence", "currentcountryofresidence"];
const LANGUAGE_COLUMNS: &[&str] = &["firstlanguage", "language"];

fn normalised(header: &str) -> String {
    header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Each participant's groups, by participant id.
fn read_people(csv_text: &str) -> Result<HashMap<String, Person>, DemographicsError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader.headers()?.iter().map(normalised).collect();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let participant = find(PARTICIPANT_COLUMNS).ok_or(DemographicsError::NoParticipantColumn)?;
    let (age, country, language) = (
        find(AGE_COLUMNS),
        find(COUNTRY_COLUMNS),
        find(LANGUAGE_COLUMNS),
    );
    let mut people = HashMap::new();
    for record in reader.records() {
        let record = record?;
        let cell = |column: Option<usize>| column.and_then(|at| record.get(at)).map(str::trim);
        let Some(id) = cell(Some(participant)).filter(|id| !id.is_empty()) else {
            continue;
        };
        people.insert(
            id.to_owned(),
            Person {
                age_band: age_band(cell(age)),
                country: given(cell(country)),
                language: given(cell(language)),
            },
        );
    }
    Ok(people)
}

/// A cell as a group's name; Prolific writes `DATA_EXPIRED` or `CONSENT_REVOKED` (and
/// the like: upper case with underscores) where it no longer holds the answer.
fn given(cell: Option<&str>) -> String {
    match cell {
        Some(text)
            if !text.is_empty() && !text.chars().all(|c| c.is_ascii_uppercase() || c == '_') =>
        {
            text.to_owned()
        }
        _ => NOT_GIVEN.to_owned(),
    }
}

fn age_band(cell: Option<&str>) -> String {
    let Some(age) = cell.and_then(|text| text.parse::<f64>().ok()) else {
        return NOT_GIVEN.to_owned();
    };
    AGE_BANDS
        .iter()
        .rev()
        .find(|(lowest, _)| age >= f64::from(*lowest))
        .map_or_else(|| NOT_GIVEN.to_owned(), |(_, label)| (*label).to_owned())
}

impl Results {
    /// Who took part in the study: from the export saved on this computer, or fetched
    /// from Prolific (without filters) when `fetch` is true. Without `fetch` nothing is
    /// asked of Prolific but its usage count, and without a saved copy only that comes
    /// back. The study's results must have been downloaded.
    ///
    /// # Errors
    /// When the results were never downloaded, Prolific refuses or cannot be reached
    /// while fetching, or the export cannot be read.
    pub async fn demographics(
        &self,
        connections: &Connections,
        study_id: &str,
        fetch: bool,
    ) -> Result<Demographics, ResultsError> {
        let loaded = self.loaded_or_read(study_id).await?;
        let folder = self.folder(study_id);
        let saved = folder.join(DEMOGRAPHICS_FILE);
        let client = if fetch {
            let (_, client) = connections.client().await?;
            let csv_text = client.demographic_export(study_id, &[]).await?;
            // Read before saving: an export that cannot be read never replaces one that can.
            read_people(&csv_text)?;
            std::fs::create_dir_all(&folder)?;
            write_into_place(&saved, csv_text.as_bytes())?;
            write_note(
                &folder,
                DEMOGRAPHICS_NOTE,
                &FetchRecord {
                    fetched_at: now_iso(),
                },
            )?;
            Some(client)
        } else {
            connections.client().await.ok().map(|(_, client)| client)
        };
        // Only for telling the researcher what is left of the allowance: a failure here
        // hides that line and nothing else.
        let exports_used = match &client {
            Some(client) => client
                .demographic_export_history(study_id)
                .await
                .ok()
                .map(|usage| usage.count),
            None => None,
        };
        let mut report = Demographics {
            fetched_at: None,
            exports_used,
            exports_allowed: MOST_DEMOGRAPHIC_EXPORT_COMBINATIONS,
            min_group_people: MIN_GROUP_PEOPLE,
            people_matched: 0,
            people_not_in_export: 0,
            groupings: Vec::new(),
        };
        let Ok(csv_text) = std::fs::read_to_string(&saved) else {
            return Ok(report);
        };
        let record: FetchRecord = read_note(&folder, DEMOGRAPHICS_NOTE);
        report.fetched_at = Some(record.fetched_at).filter(|at| !at.is_empty());
        let people = tokio::task::spawn_blocking(move || read_people(&csv_text))
            .await
            .map_err(std::io::Error::other)??;
        Ok(breakdown(&loaded, &people, report))
    }
}

/// The answers of `loaded` by group, into `report`.
fn breakdown(
    loaded: &Loaded,
    people: &HashMap<String, Person>,
    mut report: Demographics,
) -> Demographics {
    let set = &loaded.responses;
    let mut matched = HashSet::new();
    let mut unmatched = HashSet::new();
    // Each question's answers as (person's groups, answer label).
    let mut per_question = Vec::new();
    for question in set.questions().iter().filter(|q| q.kind.is_choice()) {
        let Some(shown) = loaded
            .summary
            .questions
            .iter()
            .find(|shown| shown.id == question.id)
        else {
            continue;
        };
        let mut answers = Vec::new();
        for answer in &question.answers {
            let AnswerValue::Choice { set: chosen, .. } = &answer.value else {
                continue;
            };
            let id = set.participant_id(answer.participant);
            match people.get(id) {
                Some(person) => {
                    matched.insert(answer.participant);
                    answers.push((answer.participant, person, set.choice_label(*chosen)));
                }
                None => {
                    unmatched.insert(answer.participant);
                }
            }
        }
        per_question.push((shown, answers));
    }
    report.people_matched = count(matched.len());
    report.people_not_in_export = count(unmatched.len());
    report.groupings = Grouping::ALL
        .iter()
        .map(|&grouping| GroupingBreakdown {
            grouping,
            questions: per_question
                .iter()
                .map(|(shown, answers)| question_breakdown(grouping, shown, answers))
                .collect(),
        })
        .collect();
    report
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn question_breakdown(
    grouping: Grouping,
    shown: &super::ResultsQuestion,
    answers: &[(crate::analysis::ParticipantId, &Person, String)],
) -> QuestionBreakdown {
    // The answers in the order of the question's options, then any others.
    let mut labels: Vec<String> = shown.options.iter().map(|o| o.value.clone()).collect();
    let mut extra: Vec<&str> = answers
        .iter()
        .map(|(_, _, label)| label.as_str())
        .filter(|label| !labels.iter().any(|known| known == label))
        .collect();
    extra.sort_unstable();
    extra.dedup();
    labels.extend(extra.into_iter().map(str::to_owned));
    let position: HashMap<&str, usize> = labels
        .iter()
        .enumerate()
        .map(|(at, label)| (label.as_str(), at))
        .collect();

    // By group: the people in it and their answers' counts.
    let mut groups: BTreeMap<&str, (HashSet<u32>, Vec<u32>)> = BTreeMap::new();
    for (participant, person, label) in answers {
        let entry = groups
            .entry(person.group(grouping))
            .or_insert_with(|| (HashSet::new(), vec![0; labels.len()]));
        entry.0.insert(participant.0);
        entry.1[position[label.as_str()]] += 1;
    }
    let mut shown_groups = Vec::new();
    let mut merged_people = 0;
    let mut merged_counts = vec![0; labels.len()];
    for (label, (members, counts)) in groups {
        let people = count(members.len());
        if people >= MIN_GROUP_PEOPLE {
            shown_groups.push(GroupAnswers {
                label: label.to_owned(),
                merged: false,
                people,
                counts,
            });
        } else {
            // Different people in each group, so their numbers add up.
            merged_people += people;
            for (total, n) in merged_counts.iter_mut().zip(counts) {
                *total += n;
            }
        }
    }
    sort_groups(grouping, &mut shown_groups);
    let some_left_out = merged_people > 0 && merged_people < MIN_GROUP_PEOPLE;
    if merged_people >= MIN_GROUP_PEOPLE {
        shown_groups.push(GroupAnswers {
            label: MERGED_GROUP.to_owned(),
            merged: true,
            people: merged_people,
            counts: merged_counts,
        });
    }
    QuestionBreakdown {
        question_id: shown.id.clone(),
        title: shown.title.clone(),
        answers: labels,
        groups: shown_groups,
        some_left_out,
    }
}

/// Age bands youngest first; countries and languages largest first (then by name);
/// "Not given" after the others.
fn sort_groups(grouping: Grouping, groups: &mut [GroupAnswers]) {
    let band = |label: &str| {
        AGE_BANDS
            .iter()
            .position(|(_, band)| *band == label)
            .unwrap_or(AGE_BANDS.len())
    };
    groups.sort_by(|a, b| {
        (a.label == NOT_GIVEN)
            .cmp(&(b.label == NOT_GIVEN))
            .then_with(|| match grouping {
                Grouping::AgeBand => band(&a.label).cmp(&band(&b.label)),
                Grouping::Country | Grouping::Language => b.people.cmp(&a.people),
            })
            .then_with(|| a.label.cmp(&b.label))
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::analysis::{OptionLabel, ParticipantId, QuestionKind};
    use crate::results::ResultsQuestion;

    fn person(age: &str, country: &str) -> Person {
        Person {
            age_band: age_band(Some(age)),
            country: given(Some(country)),
            language: NOT_GIVEN.to_owned(),
        }
    }

    fn question() -> ResultsQuestion {
        ResultsQuestion {
            id: "q".to_owned(),
            title: "Helpful?".to_owned(),
            kind: QuestionKind::MultipleChoice,
            options: ["yes", "no"]
                .map(|value| OptionLabel {
                    value: value.to_owned(),
                    label: value.to_uppercase(),
                })
                .to_vec(),
        }
    }

    #[test]
    fn ages_fall_in_bands_and_missing_answers_are_not_given() {
        assert_eq!(age_band(Some("18")), "18–24");
        assert_eq!(age_band(Some("34")), "25–34");
        assert_eq!(age_band(Some("65")), "65 and over");
        assert_eq!(age_band(Some("17")), NOT_GIVEN);
        assert_eq!(age_band(Some("DATA_EXPIRED")), NOT_GIVEN);
        assert_eq!(age_band(None), NOT_GIVEN);
        assert_eq!(given(Some("CONSENT_REVOKED")), NOT_GIVEN);
        assert_eq!(given(Some("")), NOT_GIVEN);
        assert_eq!(given(Some("United Kingdom")), "United Kingdom");
    }

    #[test]
    fn the_export_is_read_by_its_column_names_whatever_their_spelling() {
        let spec_words = "Submission id,Participant id,Age,Current country of residence,First language\n\
                          s1,p1,30,Canada,French\n";
        let csv_names =
            "participant_id,age,Country of residence,Language\np2,DATA_EXPIRED,Spain,Spanish\n";
        let first = read_people(spec_words).unwrap();
        assert_eq!(
            first["p1"],
            Person {
                age_band: "25–34".to_owned(),
                country: "Canada".to_owned(),
                language: "French".to_owned()
            }
        );
        let second = read_people(csv_names).unwrap();
        assert_eq!(second["p2"].age_band, NOT_GIVEN);
        assert_eq!(second["p2"].language, "Spanish");
        assert!(matches!(
            read_people("Age,Sex\n30,Male\n"),
            Err(DemographicsError::NoParticipantColumn)
        ));
    }

    #[test]
    fn groups_under_the_minimum_are_merged_and_never_shown_alone() {
        // Six people in the United Kingdom, three in Canada, two in Spain: Canada and
        // Spain (5 together) become the merged group.
        let people: Vec<Person> = (0..6)
            .map(|_| person("30", "United Kingdom"))
            .chain((0..3).map(|_| person("30", "Canada")))
            .chain((0..2).map(|_| person("70", "Spain")))
            .collect();
        let answers: Vec<_> = people
            .iter()
            .enumerate()
            .flat_map(|(at, person)| {
                let id = ParticipantId(u32::try_from(at).unwrap());
                let answer = if at % 2 == 0 { "yes" } else { "no" };
                // Each person answered two items.
                [
                    (id, person, answer.to_owned()),
                    (id, person, answer.to_owned()),
                ]
            })
            .collect();
        let by_country = question_breakdown(Grouping::Country, &question(), &answers);
        assert_eq!(by_country.answers, ["yes", "no"]);
        let labels: Vec<_> = by_country.groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["United Kingdom", MERGED_GROUP]);
        assert_eq!(by_country.groups[0].people, 6);
        assert_eq!(by_country.groups[0].counts, [6, 6]);
        assert_eq!(by_country.groups[1].people, 5);
        assert!(by_country.groups[1].merged);
        assert_eq!(by_country.groups[1].counts.iter().sum::<u32>(), 10);
        assert!(!by_country.some_left_out);
        assert!(
            by_country
                .groups
                .iter()
                .all(|g| g.people >= MIN_GROUP_PEOPLE)
        );

        // By age: nine aged 25–34, two aged 65 and over: the two cannot be shown even
        // together, so they are left out and that is said.
        let by_age = question_breakdown(Grouping::AgeBand, &question(), &answers);
        let labels: Vec<_> = by_age.groups.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["25–34"]);
        assert!(by_age.some_left_out);
    }
}
