//! A second round for a study's uncertain items: planned (items, people, exact cost),
//! launched once at the confirmed total, and shown on the study's page; and a new batch
//! from a study's task and settings ("run again with new data").

use batchdesk_engine::study::terms::Confirmation;
use batchdesk_engine::study_step::LaunchOutcome;
use batchdesk_engine::top_up::{self, TopUpPlan, TopUpProgress, TopUpRequest, TopUpView};
use tauri::State;
use tauri::ipc::Channel;

use crate::commands::report;
use crate::error::IpcError;
use crate::state::AppState;

/// Which items a second round would take, for how many people, at what exact cost.
#[tauri::command]
#[specta::specta]
pub async fn plan_top_up(
    state: State<'_, AppState>,
    study_id: String,
    request: TopUpRequest,
) -> Result<TopUpPlan, IpcError> {
    Ok(top_up::plan(&state.connections, &state.results, &study_id, request).await?)
}

/// Prepares and publishes the confirmed second round, once. Cancel with
/// `cancel_top_up` while it prepares (nothing is spent before the publish).
#[tauri::command]
#[specta::specta]
pub async fn launch_top_up(
    state: State<'_, AppState>,
    study_id: String,
    request: TopUpRequest,
    confirmed: Confirmation,
    progress: Channel<TopUpProgress>,
) -> Result<LaunchOutcome, IpcError> {
    let (connections, results) = (&state.connections, &state.results);
    let send = report(progress);
    let launching = state.top_up.run(|cancel| async move {
        top_up::launch(
            connections,
            results,
            &study_id,
            request,
            confirmed,
            send,
            &cancel,
        )
        .await
    });
    Ok(state.monitor.launched(Box::pin(launching)).await?)
}

/// Stops preparing a second round.
#[tauri::command]
#[specta::specta]
pub async fn cancel_top_up(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.top_up.cancel();
    Ok(())
}

/// The study's second round, if one was started.
#[tauri::command]
#[specta::specta]
pub async fn top_up_view(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<Option<TopUpView>, IpcError> {
    Ok(top_up::view(&state.connections, &state.results, &study_id).await?)
}

/// A new batch in the wizard with `study_id`'s task design and study settings, its
/// data step empty for a new spreadsheet.
#[tauri::command]
#[specta::specta]
pub async fn run_again_with_new_data(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<(), IpcError> {
    Ok(
        batchdesk_engine::wizard::new_batch::start_from_study(&state.connections, &study_id)
            .await?,
    )
}
