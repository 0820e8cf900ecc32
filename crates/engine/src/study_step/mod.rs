//! The third wizard step: the study's settings (kept as the researcher edits them), the
//! audience and its size, the exact price, a free test run ([`test_run`]), and the
//! launch ([`launch`]), which a draft made earlier can also reach from its own page
//! ([`published`]). Each function is handed the batch step 2 set up ([`ReadyTask`]) and
//! this step's own part of the wizard's record; none reads another step's.

pub mod launch;
pub mod published;
pub mod test_run;

use batchdesk_prolific::models::{EligibilityQuery, FilterType};
use serde::{Deserialize, Serialize};
use specta::Type;

pub use self::launch::{
    LaunchOutcome, LaunchRequest, LaunchStage, LaunchTarget, journaled_study, launch_on, outcome,
};
pub use self::published::{draft_fingerprint, publish_draft, quote_draft};
pub use self::test_run::{TestRun, test_run};
use crate::account::{self, Choice};
use crate::error_code::{Coded, ErrorCode};
use crate::money_lock::MoneyLockError;
use crate::session::Session;
use crate::session::{SessionError, session_error_from};
use crate::step_draft::StepDraft;
use crate::study::rules;
use crate::study::settings::{
    Approval, AudienceFilter, Device, Eligibility, FilterChoice, FilterKind, FilterOption,
    PriceQuote, SettingsIssue, StudyFacts, StudySettings, TestRunAvailability,
};
use crate::study::terms::{StudyTerms, audience_filters};
use crate::task_step::TaskDraft;
use crate::text;

/// Filters shown up front (the rest are found by searching).
const COMMON_FILTERS: [&str; 6] = [
    "age",
    "current-country-of-residence",
    "first-language",
    "fluent-languages",
    "approval_rate",
    "approval-rate",
];

/// What the study step keeps.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyDraft {
    pub settings: Option<StudySettings>,
    /// The launch in progress or done for the current batch (its journal key).
    pub launch: Option<String>,
    /// Prolific's reward advice and the currency, read when the step opened.
    pub recommended_hourly: Option<u32>,
    pub minimum_hourly: Option<u32>,
    pub currency: Option<String>,
    /// A test run was refused: why, in plain words.
    pub test_run_refused: Option<String>,
    /// The free test copies made by test runs, left out of the Batches page.
    #[serde(default)]
    pub test_studies: Vec<String>,
    /// The email Prolific registered as this account's test participant, once made: the
    /// same test participant takes every later test run.
    #[serde(default)]
    pub test_participant_email: Option<String>,
}

/// Everything the step needs to open.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyContext {
    pub settings: StudySettings,
    pub facts: StudyFacts,
    pub issues: Vec<SettingsIssue>,
    pub filters: Vec<FilterOption>,
    pub projects: Vec<Choice>,
    pub task_title: String,
    pub rows: u32,
    pub test_run: TestRunAvailability,
    /// The study this batch's launch made, if any.
    pub launched: Option<LaunchOutcome>,
}

/// Settings as saved: what they come to and what is wrong with them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckedSettings {
    pub facts: StudyFacts,
    pub issues: Vec<SettingsIssue>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum StudyStepError {
    #[error(transparent)]
    Session(#[from] SessionError),
    NoBatch,
    DataChanged,
    /// A settings issue, in its own words.
    Invalid(text::Text),
    /// The settings name no project.
    NoProject,
    /// Prolific's record of a draft lacks its places or reward.
    Unpriced,
    /// Amounts in minor units of `currency`.
    Unaffordable {
        available: u32,
        total: u32,
        shortfall: u32,
        currency: String,
    },
    NoWorkspace,
    TestEmailNeeded,
    /// Amounts in minor units of `currency`.
    PriceChanged {
        confirmed: u32,
        now: u32,
        currency: String,
    },
    TestEmailIsYours {
        email: String,
    },
    TestEmailRefused {
        email: String,
        detail: Option<String>,
    },
    #[error(transparent)]
    OneAtATime(#[from] MoneyLockError),
    SettingsChanged,
    TwoStudies {
        first: String,
        second: String,
    },
    /// `terms` as [`crate::study::terms::Difference`] names them.
    NotUpdated {
        terms: Vec<&'static str>,
    },
    NoTaskKept,
}

session_error_from!(StudyStepError);

impl Coded for StudyStepError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
            Self::OneAtATime(error) => error.error_code(),
            Self::NoBatch | Self::DataChanged => ErrorCode::NoBatch,
            Self::Invalid(_) | Self::NoProject | Self::Unpriced => ErrorCode::InvalidSettings,
            Self::Unaffordable { .. } => ErrorCode::InsufficientBalance,
            Self::PriceChanged { .. } => ErrorCode::PriceChanged,
            Self::NoWorkspace => ErrorCode::NoWorkspace,
            Self::TestEmailNeeded
            | Self::TestEmailIsYours { .. }
            | Self::TestEmailRefused { .. } => ErrorCode::TestEmailRefused,
            Self::SettingsChanged | Self::NotUpdated { .. } => ErrorCode::SettingsChanged,
            Self::TwoStudies { .. } => ErrorCode::TwoStudiesForBatch,
            Self::NoTaskKept => ErrorCode::NoTaskKept,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::NoBatch => text!("errors:studyStep.noBatch"),
            Self::DataChanged => text!("errors:studyStep.dataChanged"),
            Self::Invalid(issue) => text!("errors:studyStep.invalid", issue = issue.clone()),
            Self::NoProject => text!("errors:studyStep.noProject"),
            Self::Unpriced => text!("errors:studyStep.unpriced"),
            Self::Unaffordable {
                available,
                total,
                shortfall,
                currency,
            } => text!("errors:studyStep.unaffordable")
                .with_money("available", (*available).into(), currency)
                .with_money("total", (*total).into(), currency)
                .with_money("shortfall", (*shortfall).into(), currency),
            Self::NoWorkspace => text!("errors:studyStep.noWorkspace"),
            Self::TestEmailNeeded => text!("errors:studyStep.testEmailNeeded"),
            Self::PriceChanged {
                confirmed,
                now,
                currency,
            } => text!("errors:studyStep.priceChanged")
                .with_money("now", (*now).into(), currency)
                .with_money("confirmed", (*confirmed).into(), currency),
            Self::TestEmailIsYours { email } => {
                text!("errors:studyStep.testEmailIsYours", email = email)
            }
            Self::TestEmailRefused {
                email,
                detail: None,
            } => text!("errors:studyStep.testEmailRefused", email = email),
            Self::TestEmailRefused {
                email,
                detail: Some(detail),
            } => text!(
                "errors:studyStep.testEmailRefusedSaying",
                email = email,
                detail = detail
            ),
            Self::OneAtATime(inner) => inner.text(),
            Self::SettingsChanged => text!("errors:studyStep.settingsChanged"),
            Self::TwoStudies { first, second } => text!(
                "errors:studyStep.twoStudies",
                first = first,
                second = second
            ),
            Self::NotUpdated { terms } => not_updated(terms),
            Self::NoTaskKept => text!("errors:studyStep.noTaskKept"),
        }
    }
}

/// Settings Prolific did not take, said by the first of them and how many there are.
fn not_updated(terms: &[&str]) -> text::Text {
    let count = terms.len();
    let said = match terms.first().copied() {
        Some("the batch") => text!("errors:studyStep.notUpdated.batch"),
        Some("the project") => text!("errors:studyStep.notUpdated.project"),
        Some("the title") => text!("errors:studyStep.notUpdated.title"),
        Some("the description") => text!("errors:studyStep.notUpdated.description"),
        Some("the reward") => text!("errors:studyStep.notUpdated.reward"),
        Some("the people per item") => text!("errors:studyStep.notUpdated.peoplePerItem"),
        Some("the estimated time") => text!("errors:studyStep.notUpdated.estimatedTime"),
        Some("the time limit") => text!("errors:studyStep.notUpdated.timeLimit"),
        Some("the devices") => text!("errors:studyStep.notUpdated.devices"),
        Some("the audience") => text!("errors:studyStep.notUpdated.audience"),
        Some("the approval") => text!("errors:studyStep.notUpdated.approval"),
        _ => return text!("errors:studyStep.notUpdated.unnamed"),
    };
    said.with("count", count)
}

/// The batch the study runs: its id, assignments and the task's title.
#[derive(Clone, Debug)]
pub struct ReadyTask {
    pub batch_id: String,
    pub assignments: u32,
    pub title: String,
}

/// The batch step 2 set up, from its draft as the later steps may use it
/// ([`crate::task_step::current_for_data`]): only a batch set up on step 1's current
/// dataset, so one left from data that changed since is never launched.
pub fn ready_task(task: &TaskDraft) -> Result<ReadyTask, StudyStepError> {
    let ready = match task.batch.as_ref().and_then(|batch| batch.ready.clone()) {
        Some(ready) => ready,
        None if task.set_up_on_other_data => return Err(StudyStepError::DataChanged),
        None => return Err(StudyStepError::NoBatch),
    };
    Ok(ReadyTask {
        batch_id: ready.batch_id,
        assignments: ready.total_groups.unwrap_or(0),
        title: task
            .design
            .as_ref()
            .map(|design| design.title.clone())
            .unwrap_or_default(),
    })
}

fn defaults(task: &ReadyTask, project: Option<String>, recommended: Option<u32>) -> StudySettings {
    const MINUTES: u32 = 10;
    let title = task.title.trim().to_owned();
    StudySettings {
        title: title.clone(),
        description: "You will read a few short items and answer questions about each. \
                      Please read the instructions carefully before you start."
            .to_owned(),
        internal_name: format!("{title} ({})", chrono::Utc::now().format("%Y-%m-%d")),
        estimated_minutes: MINUTES,
        max_minutes: None,
        // Pays the recommended hourly rate, rounded up to a whole penny or cent.
        reward: recommended.map_or(0, |hourly| rules::reward_for_hourly(hourly, MINUTES)),
        people_per_item: 3,
        devices: vec![Device::Desktop, Device::Mobile, Device::Tablet],
        project_id: project,
        approval: Approval::Review,
        filters: Vec::new(),
    }
}

/// Opens the step for `task` (step 1's data has `rows`): the saved (or default) settings
/// with their facts, the filters on offer, the projects, and the study already launched
/// from this batch, if any.
pub async fn context(
    session: &Session,
    kept: &impl StepDraft<StudyDraft>,
    task: &ReadyTask,
    rows: u32,
) -> Result<StudyContext, StudyStepError> {
    let Session {
        mode,
        client,
        store,
    } = session;
    let workspace = account::workspaces_of(session)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let details = account::workspace_details_of(session, &workspace).await?;
    let advice = client
        .reward_recommendations(&workspace, &details.currency_code)
        .await
        .ok()
        .and_then(|advice| advice.into_iter().next());
    let to_u32 = |value: i64| u32::try_from(value).ok();
    let draft = kept.change(&mut |draft| {
        draft.recommended_hourly = advice
            .as_ref()
            .and_then(|advice| to_u32(advice.recommended_reward_per_hour));
        draft.minimum_hourly = advice
            .as_ref()
            .and_then(|advice| to_u32(advice.min_reward_per_hour));
        draft.currency = Some(details.currency_code.clone());
        if draft.settings.is_none() {
            draft.settings = Some(defaults(
                task,
                details.chosen_project.clone(),
                draft.recommended_hourly,
            ));
        }
    })?;
    let settings = draft
        .settings
        .clone()
        .unwrap_or_else(|| defaults(task, details.chosen_project.clone(), None));
    let checked = check(&draft, &settings, task.assignments);
    let filters = client
        .workspace_filters(&workspace)
        .await?
        .items
        .into_iter()
        .map(filter_option)
        .collect();
    let launched = match launch::batch_launch(store, *mode, &draft, &task.batch_id, false)? {
        Some(key) => match launch::journaled_study(store, &key)? {
            Some(study_id) => Some(launch::outcome(&client.study(&study_id).await?)),
            None => None,
        },
        None => None,
    };
    Ok(StudyContext {
        settings,
        facts: checked.facts,
        issues: checked.issues,
        filters,
        projects: details.projects,
        task_title: task.title.clone(),
        rows,
        test_run: TestRunAvailability {
            available: draft.test_run_refused.is_none(),
            reason: draft.test_run_refused.clone(),
            participant_email: draft.test_participant_email.clone(),
        },
        launched,
    })
}

pub(crate) fn check(
    draft: &StudyDraft,
    settings: &StudySettings,
    assignments: u32,
) -> CheckedSettings {
    let facts = rules::facts(
        settings,
        assignments,
        draft.currency.as_deref().unwrap_or("GBP"),
        draft.recommended_hourly,
        draft.minimum_hourly,
    );
    CheckedSettings {
        issues: rules::check(settings, &facts),
        facts,
    }
}

/// Keeps the settings as the researcher edits them; answers their facts and problems.
pub fn save_settings(
    kept: &impl StepDraft<StudyDraft>,
    task: &ReadyTask,
    settings: StudySettings,
) -> Result<CheckedSettings, StudyStepError> {
    let draft = kept.change(&mut |draft| draft.settings = Some(settings.clone()))?;
    Ok(check(&draft, &settings, task.assignments))
}

fn filter_option(filter: batchdesk_prolific::models::Filter) -> FilterOption {
    let number = |value: Option<serde_json::Value>| value.and_then(|value| value.as_f64());
    let kind = match filter.kind {
        Some(FilterType::Range) => FilterKind::Range,
        _ => FilterKind::Select,
    };
    let mut choices: Vec<FilterChoice> = filter
        .choices
        .unwrap_or_default()
        .into_iter()
        .map(|(id, label)| FilterChoice {
            label: label
                .as_str()
                .map_or_else(|| label.to_string(), str::to_owned),
            id,
        })
        .collect();
    choices.sort_by(|a, b| a.label.cmp(&b.label));
    FilterOption {
        common: COMMON_FILTERS.contains(&filter.filter_id.as_str()),
        title: filter.title.unwrap_or_else(|| filter.filter_id.clone()),
        description: filter.description.unwrap_or_default(),
        filter_id: filter.filter_id,
        kind,
        choices,
        min: number(filter.min),
        max: number(filter.max),
    }
}

/// How many participants the audience matches (Prolific's 0 means fewer than 25).
pub async fn eligibility(
    session: &Session,
    filters: &[AudienceFilter],
) -> Result<Eligibility, StudyStepError> {
    let workspace = account::workspaces_of(session).await?.chosen;
    let count = session
        .client
        .eligibility_count(&EligibilityQuery {
            filters: audience_filters(filters),
            workspace_id: workspace,
        })
        .await?;
    Ok(Eligibility {
        count: Some(u32::try_from(count).unwrap_or(u32::MAX)),
        fewer_than25: count == 0,
        checking: false,
    })
}

/// The price as quoted now against the total the researcher confirmed: refused when it
/// moved or when the balance does not cover it, so nothing is published at a total the
/// researcher did not see (the wizard's launch and a draft published from its page alike).
pub(super) fn payable_as_confirmed(
    quote: &PriceQuote,
    confirmed_total: u32,
) -> Result<(), StudyStepError> {
    if quote.total != confirmed_total {
        return Err(StudyStepError::PriceChanged {
            confirmed: confirmed_total,
            now: quote.total,
            currency: quote.currency.clone(),
        });
    }
    if quote.shortfall > 0 {
        return Err(StudyStepError::Unaffordable {
            available: quote.available,
            total: quote.total,
            shortfall: quote.shortfall,
            currency: quote.currency.clone(),
        });
    }
    Ok(())
}

/// The exact price of running `settings` on `task`'s batch, from Prolific's cost
/// calculator, next to the available balance.
pub async fn quote(
    session: &Session,
    task: &ReadyTask,
    settings: &StudySettings,
) -> Result<PriceQuote, StudyStepError> {
    let client = &session.client;
    let workspace = account::workspaces_of(session)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let places = task.assignments.saturating_mul(settings.people_per_item);
    let total = client
        .study_cost(i64::from(settings.reward), u64::from(places))
        .await?;
    let balance = client.workspace_balance(&workspace).await?;
    let clamp = |value: i64| u32::try_from(value.max(0)).unwrap_or(u32::MAX);
    let total = clamp(total);
    let rewards = settings.reward.saturating_mul(places);
    let available = clamp(balance.available_balance);
    Ok(PriceQuote {
        rewards,
        fees_and_tax: total.saturating_sub(rewards),
        total,
        available,
        shortfall: total.saturating_sub(available),
        currency: balance.currency_code,
        fingerprint: StudyTerms::planned(settings, &task.batch_id)
            .map(|terms| terms.fingerprint())
            .unwrap_or_default(),
    })
}
