// Every app command is declared here, so each one gets an `allow-…` permission that the
// capability file must name: a command nobody granted cannot be called from the webview.
const COMMANDS: &[&str] = &[
    "app_info",
    "take_api_notices",
    "open_in_browser",
    "connection_status",
    "start_practice",
    "connect_prolific",
    "sign_out",
    "workspaces",
    "workspace_details",
    "choose_workspace",
    "choose_project",
    "create_project",
    "choose_data_file",
    "sample_spreadsheets",
    "open_sample_spreadsheet",
    "inspect_data_file",
    "fix_data_file",
    "cancel_inspection",
    "data_draft",
    "choose_data",
    "upload_data",
    "upload_without_rejected_rows",
    "cancel_upload",
    "task_draft",
    "task_data",
    "save_task_design",
    "task_templates",
    "apply_template",
    "open_task_template",
    "save_task_template",
    "set_up_batch",
    "cancel_setup",
    "study_context",
    "save_study_settings",
    "audience_size",
    "price_quote",
    "launch_study",
    "test_run",
    "quote_draft_study",
    "publish_draft_study",
    "start_new_batch",
    "batches_overview",
    "study_progress",
    "command_study",
    "quote_more_people",
    "add_people",
    "approve_all",
    "study_results",
    "results_rows",
    "save_results",
    "show_in_folder",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {error:#}");
    }
}
