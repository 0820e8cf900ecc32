//! After launch: progress, actions on a running study, results and downloads.

use batchdesk_engine::bonuses::{self, BonusPaid, BonusQuote, BonusRow, PendingBonus};
use batchdesk_engine::groups::{self, GroupSummary, GroupTarget};
use batchdesk_engine::messages::{self, MessageAudience, MessageSent, MessageTo};
use batchdesk_engine::monitor::{BatchesOverview, StudyProgress};
use batchdesk_engine::results::{
    AgreementReport, Demographics, DownloadKind, ItemList, ItemsPage, KnownAnswersChoice,
    MethodsReport, QuestionInterval, ResultsProgress, ResultsSummary, RowsPage, RowsQuery,
    SavedFile, StudyScorecard,
};
use batchdesk_engine::review::{self, ReviewDecision, ReviewOutcome, SelectionReviewed};
use batchdesk_engine::study_actions::{
    self, ApproveOutcome, MorePeople, PlacesQuote, StudyCommand,
};
use batchdesk_engine::text;
use tauri::ipc::Channel;
use tauri::{State, WebviewWindow};

use crate::commands::report;
use crate::dialogs;
use crate::error::IpcError;
use crate::state::AppState;

/// Every study Batchdesk made here with its progress (live ones are then watched), and
/// the workspace's other batches.
#[tauri::command]
#[specta::specta]
pub async fn batches_overview(state: State<'_, AppState>) -> Result<BatchesOverview, IpcError> {
    Ok(state.monitor.overview().await?)
}

/// One study's progress now; its poller is (re)started so updates follow as events.
#[tauri::command]
#[specta::specta]
pub async fn study_progress(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<StudyProgress, IpcError> {
    Ok(state.monitor.progress_and_watch(&study_id).await?)
}

/// Pauses, resumes or stops a study.
#[tauri::command]
#[specta::specta]
pub async fn command_study(
    state: State<'_, AppState>,
    study_id: String,
    command: StudyCommand,
) -> Result<StudyProgress, IpcError> {
    let action = study_actions::act(
        &state.connections,
        state.monitor.facts(),
        &study_id,
        command,
    );
    Ok(state.monitor.acted(&study_id, Box::pin(action)).await?)
}

/// What adding people to every item would cost.
#[tauri::command]
#[specta::specta]
pub async fn quote_more_people(
    state: State<'_, AppState>,
    study_id: String,
    extra_per_item: u32,
) -> Result<PlacesQuote, IpcError> {
    Ok(study_actions::quote_more_people(&state.connections, &study_id, extra_per_item).await?)
}

/// Takes the study from the people per item confirmed to the ones chosen, at the
/// confirmed cost; the same confirmation sent twice changes the study once.
#[tauri::command]
#[specta::specta]
pub async fn add_people(
    state: State<'_, AppState>,
    study_id: String,
    confirmed: MorePeople,
) -> Result<StudyProgress, IpcError> {
    let action = study_actions::add_people(
        &state.connections,
        state.monitor.facts(),
        &study_id,
        confirmed,
    );
    Ok(state.monitor.acted(&study_id, Box::pin(action)).await?)
}

/// Approves every submission awaiting review; the study's poller then looks quickly for
/// a while, as Prolific completes the study once the approvals are carried out.
#[tauri::command]
#[specta::specta]
pub async fn approve_all(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<ApproveOutcome, IpcError> {
    let action = study_actions::approve_all(&state.connections, state.monitor.facts(), &study_id);
    Ok(state.monitor.acted(&study_id, Box::pin(action)).await?)
}

/// Approves, rejects or asks to return one participant's submission, as the researcher
/// decided.
#[tauri::command]
#[specta::specta]
pub async fn review_participant(
    state: State<'_, AppState>,
    study_id: String,
    participant_id: String,
    decision: ReviewDecision,
) -> Result<ReviewOutcome, IpcError> {
    let action = review::review_participant(
        &state.connections,
        state.monitor.facts(),
        &state.results,
        &study_id,
        &participant_id,
        &decision,
    );
    Ok(state.monitor.acted(&study_id, Box::pin(action)).await?)
}

/// The same decision for each chosen participant, one at a time: each one's outcome.
#[tauri::command]
#[specta::specta]
pub async fn review_participants(
    state: State<'_, AppState>,
    study_id: String,
    participant_ids: Vec<String>,
    decision: ReviewDecision,
) -> Result<SelectionReviewed, IpcError> {
    let action = review::review_participants(
        &state.connections,
        state.monitor.facts(),
        &state.results,
        &study_id,
        &participant_ids,
        &decision,
    );
    Ok(state.monitor.acted(&study_id, Box::pin(action)).await?)
}

/// The chosen workspace's participant groups, by name.
#[tauri::command]
#[specta::specta]
pub async fn participant_groups(state: State<'_, AppState>) -> Result<Vec<GroupSummary>, IpcError> {
    Ok(groups::groups(&state.connections).await?)
}

/// Adds people to a participant group (made first when new), to let them in or keep
/// them out of later studies.
#[tauri::command]
#[specta::specta]
pub async fn remember_participants(
    state: State<'_, AppState>,
    target: GroupTarget,
    participant_ids: Vec<String>,
) -> Result<GroupSummary, IpcError> {
    Ok(groups::remember(&state.connections, &target, &participant_ids).await?)
}

/// How many people a message about a study would reach now, for its confirmation.
#[tauri::command]
#[specta::specta]
pub async fn message_audience(
    state: State<'_, AppState>,
    study_id: String,
    to: MessageTo,
) -> Result<MessageAudience, IpcError> {
    Ok(messages::audience(&state.connections, &study_id, &to).await?)
}

/// Sends a message about a study to the people chosen, a participant group or everyone
/// in it, as confirmed for `confirmed_people`, once.
#[tauri::command]
#[specta::specta]
pub async fn send_message(
    state: State<'_, AppState>,
    study_id: String,
    to: MessageTo,
    body: String,
    confirmed_people: u32,
) -> Result<MessageSent, IpcError> {
    Ok(messages::send(&state.connections, &study_id, &to, &body, confirmed_people).await?)
}

/// Sets bonuses up on Prolific (nothing is paid): the total to confirm.
#[tauri::command]
#[specta::specta]
pub async fn set_up_bonuses(
    state: State<'_, AppState>,
    study_id: String,
    rows: Vec<BonusRow>,
) -> Result<BonusQuote, IpcError> {
    Ok(bonuses::set_up(&state.connections, &study_id, &rows).await?)
}

/// Pays bonuses set up here, at the total the researcher confirmed, once.
#[tauri::command]
#[specta::specta]
pub async fn pay_bonuses(
    state: State<'_, AppState>,
    study_id: String,
    bulk_bonus_id: String,
    confirmed_total: u32,
) -> Result<BonusPaid, IpcError> {
    Ok(bonuses::pay(
        &state.connections,
        &study_id,
        &bulk_bonus_id,
        i64::from(confirmed_total),
    )
    .await?)
}

/// Bonuses set up for the study and not paid yet (after a restart too).
#[tauri::command]
#[specta::specta]
pub fn pending_bonuses(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<Vec<PendingBonus>, IpcError> {
    Ok(bonuses::pending(&state.connections, &study_id)?)
}

/// Puts bonuses set up aside without paying them.
#[tauri::command]
#[specta::specta]
pub fn put_bonuses_aside(
    state: State<'_, AppState>,
    study_id: String,
    bulk_bonus_id: String,
) -> Result<(), IpcError> {
    Ok(bonuses::put_aside(
        &state.connections,
        &study_id,
        &bulk_bonus_id,
    )?)
}

/// The study's analysed results: the last download, or a fresh one when `refresh`,
/// reporting how the download goes.
#[tauri::command]
#[specta::specta]
pub async fn study_results(
    state: State<'_, AppState>,
    study_id: String,
    refresh: bool,
    progress: Channel<ResultsProgress>,
) -> Result<ResultsSummary, IpcError> {
    Ok(state
        .results
        .summary(&state.connections, &study_id, refresh, report(progress))
        .await?)
}

/// Counts the pilots' answers in the study's results, or keeps them apart; the
/// results as they then read.
#[tauri::command]
#[specta::specta]
pub async fn count_pilot_answers(
    state: State<'_, AppState>,
    study_id: String,
    merged: bool,
) -> Result<ResultsSummary, IpcError> {
    Ok(state
        .results
        .count_pilot_answers(&state.connections, &study_id, merged)
        .await?)
}

/// Each participant's scorecard, worst first, with the evidence for every doubt.
#[tauri::command]
#[specta::specta]
pub async fn study_scorecard(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<StudyScorecard, IpcError> {
    Ok(state.results.scorecard(&study_id).await?)
}

/// The methods paragraph for a paper, with the facts it states (agreement with a
/// bootstrap interval, pay per hour, checks, exclusions).
#[tauri::command]
#[specta::specta]
pub async fn study_methods(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<MethodsReport, IpcError> {
    Ok(state.results.methods(&state.connections, &study_id).await?)
}

/// Agreement between people on each choice question: who shared items and how often
/// they agreed (a matrix of `participants`, or of those who shared the most), which
/// answers are given together, and alpha (with its bootstrap interval once worked out).
#[tauri::command]
#[specta::specta]
pub async fn study_agreement(
    state: State<'_, AppState>,
    study_id: String,
    participants: Option<Vec<String>>,
) -> Result<AgreementReport, IpcError> {
    Ok(state.results.agreement(&study_id, participants).await?)
}

/// Part of one question's flagged or to-review item list (the summary holds its first
/// items and its length).
#[tauri::command]
#[specta::specta]
pub async fn study_item_list(
    state: State<'_, AppState>,
    study_id: String,
    question_id: String,
    list: ItemList,
    offset: u32,
    limit: u32,
) -> Result<ItemsPage, IpcError> {
    Ok(state
        .results
        .item_list(&study_id, &question_id, list, offset, limit)
        .await?)
}

/// The 95% bootstrap interval of each choice question's alpha: kept ones at once,
/// otherwise worked out now (seconds on a large study) and kept.
#[tauri::command]
#[specta::specta]
pub async fn study_alpha_intervals(
    state: State<'_, AppState>,
    study_id: String,
) -> Result<Vec<QuestionInterval>, IpcError> {
    Ok(state.results.alpha_intervals(&study_id).await?)
}

/// Who took part: answers by age band, country and language, in groups of five or more
/// people. Prolific's demographic export is fetched (without filters) only when `fetch`;
/// otherwise the copy saved on this computer is used, if any.
#[tauri::command]
#[specta::specta]
pub async fn study_demographics(
    state: State<'_, AppState>,
    study_id: String,
    fetch: bool,
) -> Result<Demographics, IpcError> {
    Ok(state
        .results
        .demographics(&state.connections, &study_id, fetch)
        .await?)
}

/// Says which data column holds the right answers to which question (`None`: none);
/// the scorecard as it then reads.
#[tauri::command]
#[specta::specta]
pub async fn set_known_answers(
    state: State<'_, AppState>,
    study_id: String,
    choice: Option<KnownAnswersChoice>,
) -> Result<StudyScorecard, IpcError> {
    Ok(state.results.set_known_answers(&study_id, choice).await?)
}

/// One page of the responses table.
#[tauri::command]
#[specta::specta]
pub async fn results_rows(
    state: State<'_, AppState>,
    study_id: String,
    query: RowsQuery,
) -> Result<RowsPage, IpcError> {
    Ok(state.results.rows(&study_id, &query).await?)
}

/// Asks where to save one of the downloads, then writes it; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_results(
    window: WebviewWindow,
    state: State<'_, AppState>,
    study_id: String,
    title: String,
    kind: DownloadKind,
) -> Result<Option<SavedFile>, IpcError> {
    let Some(path) = dialogs::choose_results_destination(&window, &title, kind).await? else {
        return Ok(None);
    };
    let path = std::path::Path::new(&path);
    Ok(Some(if kind == DownloadKind::Package {
        state
            .results
            .save_package(Some(&state.connections), &study_id, path)
            .await?
    } else {
        state.results.save(&study_id, kind, path).await?
    }))
}

/// Opens the file manager at a saved download, with the file selected.
#[tauri::command]
#[specta::specta]
pub fn show_in_folder(path: String) -> Result<(), IpcError> {
    tauri_plugin_opener::reveal_item_in_dir(&path).map_err(|error| {
        IpcError::new(
            crate::error::ErrorCode::Internal,
            text!(
                "errors:shell.fileNotShown",
                reason = error.to_string(),
                path = &path
            ),
        )
    })
}
