//! The third wizard step: who, how many, how much; and the launch.

use batchdesk_engine::study::rules;
use batchdesk_engine::study::settings::{
    AudienceFilter, Eligibility, HourlyRates, PriceQuote, StudySettings,
};
use batchdesk_engine::study::terms::Confirmation;
use batchdesk_engine::study_step::{
    self, CheckedSettings, LaunchOutcome, LaunchStage, StudyContext, TestRun,
};
use batchdesk_engine::wizard;
use batchdesk_engine::wizard::new_batch::{self, NewBatch};
use tauri::State;
use tauri::ipc::Channel;

use crate::commands::report;
use crate::error::IpcError;
use crate::state::AppState;

/// Everything step 3 needs to open: settings (saved or defaults), facts, filters,
/// projects, and the study already launched from this batch.
#[tauri::command]
#[specta::specta]
pub async fn study_context(state: State<'_, AppState>) -> Result<StudyContext, IpcError> {
    Ok(wizard::study_context(&state.connections).await?)
}

/// Saves the settings; answers what they come to and what is wrong with them.
#[tauri::command]
#[specta::specta]
pub async fn save_study_settings(
    state: State<'_, AppState>,
    settings: StudySettings,
) -> Result<CheckedSettings, IpcError> {
    Ok(wizard::save_settings(&state.connections, settings).await?)
}

/// How many participants the audience matches.
#[tauri::command]
#[specta::specta]
pub async fn audience_size(
    state: State<'_, AppState>,
    filters: Vec<AudienceFilter>,
) -> Result<Eligibility, IpcError> {
    Ok(wizard::audience_size(&state.connections, &filters).await?)
}

/// What `reward` comes to per hour for `estimated_minutes`, and the reward paying
/// `recommended_hourly`: Rust's rules, for the form to show as the researcher types.
#[tauri::command]
#[specta::specta]
pub fn hourly_rates(
    reward: u32,
    estimated_minutes: u32,
    recommended_hourly: Option<u32>,
) -> Result<HourlyRates, IpcError> {
    Ok(rules::hourly_rates(
        reward,
        estimated_minutes,
        recommended_hourly,
    ))
}

/// The exact price from Prolific's cost calculator, next to the available balance.
#[tauri::command]
#[specta::specta]
pub async fn price_quote(
    state: State<'_, AppState>,
    settings: StudySettings,
) -> Result<PriceQuote, IpcError> {
    Ok(wizard::quote(&state.connections, &settings).await?)
}

/// Saves `settings` (the ones on screen), creates the draft study (or brings the one
/// made earlier up to them) and, with a `confirmed` quote (its total and fingerprint),
/// publishes it only on exactly those terms; resumes a launch that stopped half way.
/// Reports each stage.
#[tauri::command]
#[specta::specta]
pub async fn launch_study(
    state: State<'_, AppState>,
    settings: StudySettings,
    confirmed: Option<Confirmation>,
    progress: Channel<LaunchStage>,
) -> Result<LaunchOutcome, IpcError> {
    let launch = wizard::launch(
        &state.connections,
        Some(settings),
        confirmed.into(),
        report(progress),
    );
    Ok(state.monitor.launched(Box::pin(launch)).await?)
}

/// A free test copy of the draft study for the researcher's test participant, who is
/// registered with `email` the first time (later runs reuse them).
#[tauri::command]
#[specta::specta]
pub async fn test_run(
    state: State<'_, AppState>,
    email: Option<String>,
) -> Result<TestRun, IpcError> {
    Ok(wizard::test_run(&state.connections, email).await?)
}

/// What publishing a draft study made earlier would cost now, against the balance.
#[tauri::command]
#[specta::specta]
pub async fn quote_draft_study(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<PriceQuote, IpcError> {
    Ok(study_step::quote_draft(&state.connections, &study_id).await?)
}

/// Publishes a draft study made earlier at the quote the researcher confirmed (refused
/// if its total or terms changed); a study already published is not sent again.
#[tauri::command]
#[specta::specta]
pub async fn publish_draft_study(
    state: State<'_, AppState>,
    study_id: String,
    confirmed: Confirmation,
) -> Result<LaunchOutcome, IpcError> {
    let publish = study_step::publish_draft(&state.connections, &study_id, &confirmed);
    Ok(state.monitor.launched(Box::pin(publish)).await?)
}

/// Leaves the current batch behind for a new one: fresh drafts (keeping the task design
/// for `SameTask`); the published batch, its study and its journal are not touched.
#[tauri::command]
#[specta::specta]
pub async fn start_new_batch(state: State<'_, AppState>, keep: NewBatch) -> Result<(), IpcError> {
    Ok(new_batch::start(&state.connections, keep).await?)
}
