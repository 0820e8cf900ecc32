//! Step 3 of the wizard in Batchdesk's own words: who takes part, how many, for how much.
//! [`super::rules`] checks these, [`crate::study_step`] turns them into a Prolific study.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::text::Text;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudySettings {
    /// The public title participants see in Prolific's list.
    pub title: String,
    /// The public description, plain text.
    pub description: String,
    /// Only the researcher sees it.
    pub internal_name: String,
    /// How long one assignment takes, in whole minutes.
    pub estimated_minutes: u32,
    /// `None` is Batchdesk's default ([`StudyFacts::default_max_minutes`]).
    pub max_minutes: Option<u32>,
    /// Per submission (one assignment), in minor units (pence, cents).
    pub reward: u32,
    /// People who do each item (`annotators_per_task`).
    pub people_per_item: u32,
    pub devices: Vec<Device>,
    pub project_id: Option<String>,
    pub approval: Approval,
    pub filters: Vec<AudienceFilter>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Device {
    Desktop,
    Mobile,
    Tablet,
}

impl Device {
    pub fn api_name(self) -> &'static str {
        match self {
            Self::Desktop => "desktop",
            Self::Mobile => "mobile",
            Self::Tablet => "tablet",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Approval {
    /// Submissions are approved as participants finish.
    Automatic,
    /// The researcher reviews each submission.
    Review,
}

/// An audience filter as chosen: choices of a select filter, or bounds of a range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum AudienceFilter {
    #[serde(rename_all = "camelCase")]
    Select {
        filter_id: String,
        values: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    Range {
        filter_id: String,
        lower: Option<f64>,
        upper: Option<f64>,
    },
}

/// One filter Prolific offers, for the pickers.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FilterOption {
    pub filter_id: String,
    pub title: String,
    pub description: String,
    pub kind: FilterKind,
    /// Select filters only.
    pub choices: Vec<FilterChoice>,
    /// Range filters only.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Age, country of residence, first language, approval rate: shown up front.
    pub common: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FilterKind {
    Select,
    Range,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FilterChoice {
    pub id: String,
    pub label: String,
}

/// What the settings come to, from the batch and Prolific's answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyFacts {
    /// Groups of rows made by the batch setup.
    pub assignments: u32,
    /// Assignments × people per item.
    pub places: u32,
    pub currency: String,
    /// Reward per hour at the estimated time, minor units.
    pub hourly_rate: u32,
    pub recommended_hourly: Option<u32>,
    pub minimum_hourly: Option<u32>,
    /// The maximum time used when the settings name none (`None`).
    pub default_max_minutes: u32,
    /// Prolific's lowest maximum time for the estimated time.
    pub minimum_max_minutes: u32,
}

/// What a reward comes to per hour for the minutes typed, and the reward that would pay
/// Prolific's recommended rate: the form shows them as the researcher types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HourlyRates {
    /// Reward per hour, minor units; 0 while the minutes are not known.
    pub hourly: u32,
    /// The smallest reward paying the recommended hourly rate; `None` when no rate is known.
    pub recommended_reward: Option<u32>,
}

/// How many participants the audience matches. Prolific says 0 for fewer than 25.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Eligibility {
    pub count: Option<u32>,
    pub fewer_than25: bool,
    pub checking: bool,
}

/// The price of publishing, next to what the workspace has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PriceQuote {
    /// Reward × places, minor units.
    pub rewards: u32,
    /// Prolific's service fee and VAT: the total less the rewards.
    pub fees_and_tax: u32,
    /// Prolific's cost calculator's total.
    pub total: u32,
    pub available: u32,
    /// 0 when the balance covers the total, else what is missing.
    pub shortfall: u32,
    pub currency: String,
    /// The fingerprint of the study terms this total is for
    /// ([`super::terms::StudyTerms::fingerprint`]): a launch confirmed with this quote
    /// publishes only a study on exactly these terms.
    pub fingerprint: String,
}

/// A problem with the settings, on the field it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SettingsIssue {
    /// A settings field in the UI's names, or `audience` / `balance`.
    pub field: String,
    /// What is wrong, from the catalogue (`checks:settings.…`).
    pub message: Text,
}

impl SettingsIssue {
    pub fn new(field: &str, message: Text) -> Self {
        Self {
            field: field.to_owned(),
            message,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TestRunAvailability {
    pub available: bool,
    /// Why not, in plain words.
    pub reason: Option<String>,
    /// The email of the account's test participant, once Prolific has made it.
    pub participant_email: Option<String>,
}
