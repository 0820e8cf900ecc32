//! The pilot before the full spend: prepared, priced, published once at the confirmed
//! total, reported on, then the full study adjusted (published by the study step).

use batchdesk_engine::pilot::{self, ContinueChoice, PilotProgress, PilotReport, PilotView};
use batchdesk_engine::study::settings::{PriceQuote, StudySettings};
use batchdesk_engine::study::terms::Confirmation;
use batchdesk_engine::study_step::{LaunchOutcome, LaunchStage};
use tauri::State;
use tauri::ipc::Channel;

use crate::commands::report;
use crate::error::IpcError;
use crate::state::AppState;

/// The pilot of the wizard's batch: its size, and how far it has got.
#[tauri::command]
#[specta::specta]
pub async fn pilot_view(state: State<'_, AppState>) -> Result<PilotView, IpcError> {
    Ok(pilot::view(&state.connections).await?)
}

/// Makes the pilot's batch on the first rows (free), reporting each step. Cancel with
/// `cancel_pilot`; what was made is carried on with next time.
#[tauri::command]
#[specta::specta]
pub async fn prepare_pilot(
    state: State<'_, AppState>,
    progress: Channel<PilotProgress>,
) -> Result<PilotView, IpcError> {
    let connections = &state.connections;
    let preparing = state
        .pilot
        .run(|cancel| async move { pilot::prepare(connections, report(progress), &cancel).await });
    Ok(preparing.await?)
}

/// Stops preparing the pilot.
#[tauri::command]
#[specta::specta]
pub async fn cancel_pilot(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.pilot.cancel();
    Ok(())
}

/// The exact price of the pilot, with the fingerprint its confirmation carries.
#[tauri::command]
#[specta::specta]
pub async fn pilot_quote(state: State<'_, AppState>) -> Result<PriceQuote, IpcError> {
    Ok(pilot::quote(&state.connections).await?)
}

/// Publishes the pilot at exactly the confirmed total and terms, once.
#[tauri::command]
#[specta::specta]
pub async fn launch_pilot(
    state: State<'_, AppState>,
    confirmed: Confirmation,
    progress: Channel<LaunchStage>,
) -> Result<LaunchOutcome, IpcError> {
    let launch = pilot::launch(&state.connections, confirmed, report(progress));
    Ok(state.monitor.launched(Box::pin(launch)).await?)
}

/// What the pilot brought back, with findings and a suggested estimate and reward.
#[tauri::command]
#[specta::specta]
pub async fn pilot_report(state: State<'_, AppState>) -> Result<PilotReport, IpcError> {
    Ok(pilot::report(&state.connections, &state.results).await?)
}

/// Applies the choices made after the pilot to the full study's settings.
#[tauri::command]
#[specta::specta]
pub async fn continue_after_pilot(
    state: State<'_, AppState>,
    choice: ContinueChoice,
) -> Result<StudySettings, IpcError> {
    Ok(pilot::continue_to_full_study(&state.connections, &state.results, &choice).await?)
}

/// Leaves the pilot that ran for a fresh one (after a fix), priced and confirmed again.
#[tauri::command]
#[specta::specta]
pub async fn run_another_pilot(state: State<'_, AppState>) -> Result<PilotView, IpcError> {
    Ok(pilot::run_another(&state.connections).await?)
}
