//! What the workspace's tests share, so each crate's tests keep only their own helpers:
//! temp data folders ([`temp_folder`]), the sample spreadsheets ([`samples`]), and the
//! practice server started on a free loopback port and spoken to over real HTTP
//! ([`practice`]).
//!
//! A dev-dependency only: no crate depends on it for its build, and it never depends on
//! tauri. Helpers fail the test (panic) instead of answering errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod practice;
pub mod samples;
pub mod sources;

/// A fresh folder for a test's data (the app's store, a server's saved state, files
/// written), removed when the answer is dropped.
pub fn temp_folder() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("batchdesk-test-")
        .tempdir()
        .expect("a temp folder for the test")
}
