//! Every IPC command and event, registered through one tauri-specta builder so that the
//! invoke handler and the TypeScript bindings can never disagree.
//!
//! Adding a command: write it in the module of its capability as a one-line adapter over a
//! plain function, add it to `collect_commands!` below and its name to `COMMAND_NAMES` in
//! `names.rs`, grant `allow-<name>` in `src-tauri/capabilities/main.json`, call it from
//! `ui/src/backend.ts`, and run the bindings test to regenerate `ui/src/bindings.ts`
//! (the same test fails until all four agree).

mod account;
mod app;
mod data;
mod desktop;
mod names;
mod pilot;
mod results;
mod study;
mod task;
mod top_up;

pub use names::COMMAND_NAMES;
use tauri::ipc::{Channel, IpcResponse};
use tauri_specta::{Builder, collect_commands, collect_events};

use crate::events::{
    FileOpened, FilesDragged, ScopedEvent, StudyNoticeRaised, StudyProgressChanged,
};

pub fn ipc_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            app::app_info,
            app::take_api_notices,
            app::open_in_browser,
            account::connection_status,
            account::start_practice,
            account::connect_prolific,
            account::sign_out,
            account::workspaces,
            account::workspace_details,
            account::choose_workspace,
            account::choose_project,
            account::create_project,
            data::choose_data_file,
            data::sample_spreadsheets,
            data::open_sample_spreadsheet,
            data::inspect_data_file,
            data::fix_data_file,
            data::cancel_inspection,
            data::data_draft,
            data::choose_data,
            data::upload_data,
            data::upload_without_rejected_rows,
            data::cancel_upload,
            task::task_draft,
            task::task_data,
            task::save_task_design,
            task::task_templates,
            task::apply_template,
            task::open_task_template,
            task::save_task_template,
            task::set_up_batch,
            task::cancel_setup,
            study::study_context,
            study::save_study_settings,
            study::audience_size,
            study::price_quote,
            study::hourly_rates,
            study::launch_study,
            study::test_run,
            study::quote_draft_study,
            study::publish_draft_study,
            study::start_new_batch,
            pilot::pilot_view,
            pilot::prepare_pilot,
            pilot::pilot_quote,
            pilot::launch_pilot,
            pilot::pilot_report,
            pilot::continue_after_pilot,
            pilot::run_another_pilot,
            pilot::cancel_pilot,
            results::batches_overview,
            results::study_progress,
            results::command_study,
            results::quote_more_people,
            results::add_people,
            results::approve_all,
            results::study_results,
            results::results_rows,
            results::count_pilot_answers,
            results::study_scorecard,
            results::study_methods,
            results::study_agreement,
            results::study_alpha_intervals,
            results::study_item_list,
            results::study_demographics,
            results::set_known_answers,
            results::review_participant,
            results::review_participants,
            results::participant_groups,
            results::remember_participants,
            results::set_up_bonuses,
            results::pay_bonuses,
            results::pending_bonuses,
            results::put_bonuses_aside,
            data::reveal_held_file,
            results::message_audience,
            results::send_message,
            results::save_results,
            results::show_in_folder,
            desktop::take_opened_file,
            desktop::update_settings,
            desktop::set_check_updates_at_start,
            desktop::check_for_update,
            desktop::install_update,
            desktop::open_logs_folder,
            desktop::diagnostics,
            top_up::plan_top_up,
            top_up::launch_top_up,
            top_up::cancel_top_up,
            top_up::top_up_view,
            top_up::run_again_with_new_data,
        ])
        .events(collect_events![])
        // One TypeScript type per Rust type, for both directions: the UI reads what
        // Rust writes and sends what Rust reads, so the one shape is what serde accepts
        // either way (a field Rust may leave out or fill in is optional). Phased export
        // doubled every type with an `Option` or a default into `_Serialize` and
        // `_Deserialize` twins, and every type holding one.
        .disable_serde_phases()
        .typ::<StudyProgressChanged>()
        .constant(
            StudyProgressChanged::CONSTANT,
            StudyProgressChanged::PATTERN,
        )
        .typ::<StudyNoticeRaised>()
        .constant(StudyNoticeRaised::CONSTANT, StudyNoticeRaised::PATTERN)
        .typ::<FilesDragged>()
        .constant(FilesDragged::CONSTANT, FilesDragged::PATTERN)
        .typ::<FileOpened>()
        .constant(FileOpened::CONSTANT, FileOpened::PATTERN)
}

/// Progress for `channel`, as the engine's slow work reports it. A closed channel means
/// the page went away; the work finishes regardless.
pub(crate) fn report<T: IpcResponse + Send + Sync + 'static>(
    channel: Channel<T>,
) -> impl Fn(T) + Send + Sync + 'static {
    move |step| drop(channel.send(step))
}
