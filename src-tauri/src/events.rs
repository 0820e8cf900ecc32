//! Events from Rust to the UI. Each is a typed payload (exported to TypeScript) sent under
//! a name that carries its scope, such as `study://<id>/progress`, so the UI listens only to
//! what it shows. The name patterns are exported to TypeScript as constants, so both
//! sides build names from one source.

use batchdesk_engine::held_files::HeldFile;
use batchdesk_engine::monitor::{Notice, StudyProgress};
use serde::Serialize;
use specta::Type;
use tauri::{Emitter, Runtime};

/// An event whose name is a pattern with one `{id}` placeholder for its scope.
pub trait ScopedEvent: Serialize + Clone {
    /// The name pattern, exported to TypeScript under [`ScopedEvent::CONSTANT`].
    const PATTERN: &'static str;
    /// The name of the TypeScript constant holding [`ScopedEvent::PATTERN`].
    const CONSTANT: &'static str;

    /// The id of the thing the event is about.
    fn scope(&self) -> &str;

    fn name(&self) -> String {
        Self::PATTERN.replace("{id}", self.scope())
    }

    fn emit<R: Runtime>(&self, emitter: &impl Emitter<R>) -> tauri::Result<()> {
        emitter.emit(&self.name(), self)
    }
}

/// A watched study's progress, as its poller just read it.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyProgressChanged {
    pub progress: StudyProgress,
}

impl ScopedEvent for StudyProgressChanged {
    const PATTERN: &'static str = "study://{id}/progress";
    const CONSTANT: &'static str = "STUDY_PROGRESS_EVENT";

    fn scope(&self) -> &str {
        &self.progress.study_id
    }
}

/// Something a poller noticed that the researcher should hear about (also raised as an
/// OS notification); the app shows it too, so nothing depends on the notification
/// being seen.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct StudyNoticeRaised {
    pub notice: Notice,
}

impl ScopedEvent for StudyNoticeRaised {
    const PATTERN: &'static str = "study://{id}/notice";
    const CONSTANT: &'static str = "STUDY_NOTICE_EVENT";

    fn scope(&self) -> &str {
        &self.notice.study_id
    }
}

/// Files being dragged over the window, or dropped on it, as the window's native
/// drag-and-drop event reported them to Rust. Dropped files arrive behind handles: their
/// paths stay in Rust. Sent when a drag enters, leaves or drops (not for each move).
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FilesDragged {
    /// The window's label, the event's scope.
    pub window: String,
    /// Files are over the window and not dropped yet.
    pub hovering: bool,
    /// The files dropped; empty while hovering or when the drag left.
    pub dropped: Vec<HeldFile>,
}

impl ScopedEvent for FilesDragged {
    const PATTERN: &'static str = "window://{id}/files";
    const CONSTANT: &'static str = "FILES_DRAGGED_EVENT";

    fn scope(&self) -> &str {
        &self.window
    }
}

/// A data file was opened with Batchdesk (a second start given a `.csv` or `.tsv`, or
/// macOS's open-file event) and waits for the UI to take it (`take_opened_file`). The
/// file itself is not sent: it stays in Rust until taken, so one that arrives before the
/// UI listens is not lost.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileOpened {
    /// The window's label, the event's scope.
    pub window: String,
}

impl ScopedEvent for FileOpened {
    const PATTERN: &'static str = "window://{id}/opened";
    const CONSTANT: &'static str = "FILE_OPENED_EVENT";

    fn scope(&self) -> &str {
        &self.window
    }
}

#[cfg(test)]
mod tests {
    use batchdesk_engine::monitor::NoticeKind;

    use super::*;

    #[test]
    fn names_carry_their_scope_in_tauris_allowed_characters() {
        let event = StudyNoticeRaised {
            notice: Notice {
                study_id: "6a3f0c2b9e1d4a5b6c7d8e01".into(),
                kind: NoticeKind::Completed,
                title: batchdesk_engine::text!("checks:notice.completedTitle"),
                body: batchdesk_engine::text!("checks:notice.completed", name = "Reviews"),
            },
        };
        let name = event.name();
        assert_eq!(name, "study://6a3f0c2b9e1d4a5b6c7d8e01/notice");
        // Tauri accepts only alphanumerics and `-/:_` in event names.
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-/:_".contains(c))
        );
    }
}
