//! Batchdesk's engine: everything the app does that is neither HTTP to Prolific nor a
//! window. It never depends on `tauri`, so every part is tested without a webview.
//!
//! | module | capability | state |
//! |---|---|---|
//! | [`store`] | the local SQLite store with versioned migrations | working |
//! | [`credentials`] | the Prolific token in the OS keychain, never in a file | working |
//! | [`connection`] | practice server or Prolific account, resumed at start | working |
//! | [`api_notices`] | Prolific's deprecation notices on endpoints Batchdesk calls, told once each | working |
//! | [`account`] | workspaces, projects and balance, choices remembered per mode | working |
//! | [`money_lock`] | one money action at a time per mode, across windows and processes | working |
//! | [`jobs`] | cancellable background loops (pollers) | working |
//! | [`data_file`] | the researcher's file for the wizard: inspect with progress, fix, preview | working |
//! | [`data_step`] | the first wizard step as a draft per mode; upload that resumes, never duplicates | working |
//! | [`file_identity`] | a data file's size, time and SHA-256 at upload, so an edited file goes up again | working |
//! | [`held_files`] | files chosen, dropped or made, behind opaque handles: the webview never hands Rust a path | working |
//! | [`samples`] | sample spreadsheets built in, to rehearse in practice mode without a file | working |
//! | [`csv_doctor`] | reading researchers' CSV files as a stream, explaining what is wrong, safe fixes, preview | working |
//! | [`upload`] | the file into a READY Prolific dataset: staged progress, cancellation, resume by id | working |
//! | [`task`] | the task design: checks, Prolific's `batch_items`, safe HTML, templates | working |
//! | [`task_step`] | the second wizard step as a draft per mode; batch setup that resumes, never duplicates | working |
//! | [`study`] | the study's settings and Prolific's rules for them (times, pay, devices, audience) | working |
//! | [`study_step`] | audience size, exact price, test run, and the journaled launch that never runs twice ([`study_step::launch`]) | working |
//! | [`session`] | the account mode, its client and the store, taken once per call | working |
//! | [`wizard`] | the new-batch service: the wizard's one record per mode, each step handed what it needs | working |
//! | [`step_draft`] | how a step keeps its own part of the wizard's record | working |
//! | [`analysis`] | responses read as a stream; Krippendorff's alpha, agreement, majority labels, tidy CSV | working |
//! | [`monitor`] | pollers of launched studies: progress, notices, resumed after a restart | working |
//! | [`study_actions`] | pause, resume, stop, add people, approve all | working |
//! | [`results`] | results downloaded and kept offline, the paged table, the downloads | working |
//! | [`opened_files`] | data files the system asked Batchdesk to open ("Open with", a second start, macOS) | working |
//! | [`updates`] | whether this build has an update source, which versions are updates, the check at start | working |
//! | [`error_code`] | the stable codes of errors, decided where each error is defined | working |
//! | [`diagnostics`] | "Copy diagnostics": app facts and recent error codes, never tokens or participant data | working |
//! | [`messages`] | messages to chosen people, a participant group or everyone in a study, confirmed and sent once | working |

pub mod account;
pub mod analysis;
pub mod api_notices;
pub(crate) mod batch_copy;
pub mod bonuses;
pub(crate) mod clock;
pub mod connection;
pub mod credentials;
pub mod csv_doctor;
pub mod data_file;
pub mod data_step;
pub mod diagnostics;
pub mod error_code;
pub mod file_identity;
pub mod groups;
pub mod held_files;
pub mod jobs;
pub(crate) mod keep_out;
pub mod messages;
pub mod money_lock;
pub mod monitor;
pub mod opened_files;
pub mod pilot;
pub mod results;
pub mod review;
pub(crate) mod review_state;
pub mod samples;
pub mod session;
pub mod step_draft;
pub mod store;
pub mod study;
pub mod study_actions;
pub mod study_step;
pub mod task;
pub mod task_step;
pub mod text;
pub mod top_up;
pub mod updates;
pub mod upload;
pub mod wizard;
