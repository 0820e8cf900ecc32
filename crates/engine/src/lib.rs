//! Batchdesk's engine: everything the app does that is neither HTTP to Prolific nor a
//! window. It never depends on `tauri`, so every part is tested without a webview.
//!
//! | module | capability | state |
//! |---|---|---|
//! | [`store`] | the local SQLite store with versioned migrations | working |
//! | [`jobs`] | cancellable background loops (pollers) | working |
//! | [`csv_doctor`] | reading researchers' CSV files as a stream, explaining what is wrong, safe fixes, preview | working (UI in issue 6) |
//! | [`launch`] | the journaled create-and-publish sequence that never runs twice | shape only (issue 8) |
//! | [`analysis`] | agreement and consolidated labels from responses | shape only (issue 9) |

pub mod analysis;
pub mod csv_doctor;
pub mod jobs;
pub mod launch;
pub mod store;
