//! "Copy diagnostics": what a researcher can paste into a bug report. It is built only
//! from facts about the app (version, build, system, mode, the size of the data folder)
//! and the codes of recent errors, never from their messages, so no token, participant
//! id, file name or file contents can be in it: none of those is ever an input.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, SecondsFormat, Utc};

use crate::connection::AccountMode;

/// How many recent errors are kept.
const KEPT_ERRORS: usize = 20;

/// The codes of the last errors the app answered (newest last), with their times.
#[derive(Debug, Default)]
pub struct RecentErrors {
    codes: Mutex<VecDeque<(DateTime<Utc>, String)>>,
}

impl RecentErrors {
    pub const fn new() -> Self {
        Self {
            codes: Mutex::new(VecDeque::new()),
        }
    }

    /// Records an error by its stable code (`rateLimited`, `fileUnreadable`…): only the
    /// code, so nothing the message may carry is kept.
    pub fn record(&self, code: impl Into<String>) {
        let mut codes = self.codes.lock().unwrap_or_else(PoisonError::into_inner);
        if codes.len() == KEPT_ERRORS {
            codes.pop_front();
        }
        codes.push_back((Utc::now(), code.into()));
    }

    fn listed(&self) -> Vec<(DateTime<Utc>, String)> {
        let codes = self.codes.lock().unwrap_or_else(PoisonError::into_inner);
        codes.iter().cloned().collect()
    }
}

/// What the report is made of.
pub struct Facts<'a> {
    pub version: &'a str,
    /// `release`, `dev` or `test`.
    pub flavour: &'a str,
    /// The current mode, if connected.
    pub mode: Option<AccountMode>,
    /// The app's data folder, measured (never named: its path holds the user's name).
    pub data_dir: &'a Path,
    pub errors: &'a RecentErrors,
}

/// The diagnostics text, a few plain lines.
pub fn report(facts: &Facts<'_>) -> String {
    let mode = match facts.mode {
        Some(AccountMode::Practice) => "practice",
        Some(AccountMode::Prolific) => "real (Prolific account)",
        None => "not connected",
    };
    let mut lines = vec![
        format!("Batchdesk {} ({} build)", facts.version, facts.flavour),
        format!(
            "System: {} {} ({})",
            std::env::consts::OS,
            std::env::consts::ARCH,
            std::env::consts::FAMILY
        ),
        format!("Mode: {mode}"),
        format!(
            "Data folder: {}",
            describe_size(folder_size(facts.data_dir))
        ),
    ];
    let errors = facts.errors.listed();
    if errors.is_empty() {
        lines.push("Recent errors: none".to_owned());
    } else {
        lines.push(format!("Recent errors ({}, oldest first):", errors.len()));
        lines.extend(errors.iter().map(|(time, code)| {
            format!(
                "  {} {code}",
                time.to_rfc3339_opts(SecondsFormat::Secs, true)
            )
        }));
    }
    lines.push(format!(
        "Made: {}",
        Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
    ));
    lines.join("\n")
}

/// The bytes in `dir` and below (links not followed); what cannot be read counts 0.
pub fn folder_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => folder_size(&entry.path()),
            Ok(kind) if kind.is_file() => entry.metadata().map(|m| m.len()).unwrap_or(0),
            _ => 0,
        })
        .sum()
}

fn describe_size(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    #[allow(clippy::cast_precision_loss)]
    let megabytes = bytes as f64 / MB;
    format!("{megabytes:.1} MB ({bytes} bytes)")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::store::Store;

    #[test]
    fn no_token_participant_id_or_file_contents_reach_the_report() {
        let token = "pRoL1f1c-T0keN-9f8e7d6c5b4a";
        let participant = "5f3c2a1b9d8e7f6a5b4c3d2e";
        let dir = batchdesk_test_support::temp_folder();
        // Everything a data folder holds that must never be copied out: settings and
        // drafts, downloaded answers naming participants, the researcher's rows.
        let store = Store::open_in_dir(dir.path()).unwrap();
        store.set_setting("practice.token", token).unwrap();
        store
            .set_setting(
                "practice.draft.study",
                &format!("{{\"participant\":\"{participant}\"}}"),
            )
            .unwrap();
        let results = dir.path().join("results").join("study-1");
        std::fs::create_dir_all(&results).unwrap();
        std::fs::write(
            results.join("times.json"),
            format!("{{\"{participant}\": 42, \"token\": \"{token}\"}}"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("reviews.csv"),
            "text\nsecret row about a cat\n",
        )
        .unwrap();
        let errors = RecentErrors::new();
        errors.record("invalidToken");
        errors.record("noAccess");

        let text = report(&Facts {
            version: "0.1.0",
            flavour: "test",
            mode: Some(AccountMode::Practice),
            data_dir: dir.path(),
            errors: &errors,
        });
        for secret in [token, participant, "secret row", "reviews.csv", "study-1"] {
            assert!(!text.contains(secret), "{secret} is in:\n{text}");
        }
        assert!(
            !text.contains(&dir.path().display().to_string()),
            "the folder's path names the user: {text}"
        );
        assert!(text.contains("Batchdesk 0.1.0 (test build)"), "{text}");
        assert!(text.contains("Mode: practice"), "{text}");
        assert!(text.contains(std::env::consts::OS), "{text}");
        let invalid = text.find("invalidToken").unwrap();
        assert!(
            invalid < text.find("noAccess").unwrap(),
            "oldest first: {text}"
        );
        let size = folder_size(dir.path());
        assert!(size > 0);
        assert!(text.contains(&format!("({size} bytes)")), "{text}");
    }

    #[test]
    fn only_the_last_errors_are_kept() {
        let errors = RecentErrors::new();
        errors.record("offline");
        for _ in 0..KEPT_ERRORS {
            errors.record("timeout");
        }
        let listed = errors.listed();
        assert_eq!(listed.len(), KEPT_ERRORS);
        assert!(listed.iter().all(|(_, code)| *code == "timeout"));
        let text = report(&Facts {
            version: "1.2.3",
            flavour: "release",
            mode: None,
            data_dir: Path::new("/nonexistent/batchdesk"),
            errors: &RecentErrors::new(),
        });
        assert!(text.contains("Recent errors: none"), "{text}");
        assert!(text.contains("Mode: not connected"), "{text}");
        assert!(text.contains("Data folder: 0.0 MB (0 bytes)"), "{text}");
    }
}
