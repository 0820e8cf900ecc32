//! Where the pollers' reports go: each progress as a typed event scoped to its study, and
//! each notice as an event and an OS notification.

use std::sync::{Arc, OnceLock};

use batchdesk_engine::monitor::{MonitorEvent, Notice, Sink};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

use crate::events::{ScopedEvent, StudyNoticeRaised, StudyProgressChanged};

/// A sink that delivers once the app is built (reports before that are dropped: nothing
/// is polling yet).
pub fn sink(app: Arc<OnceLock<AppHandle>>) -> Sink {
    Arc::new(move |event| {
        if let Some(app) = app.get() {
            deliver(app, event);
        }
    })
}

fn deliver(app: &AppHandle, event: MonitorEvent) {
    let sent = match event {
        MonitorEvent::Progress(progress) => StudyProgressChanged {
            progress: *progress,
        }
        .emit(app),
        MonitorEvent::Notice(notice) => {
            raise(app, &notice);
            StudyNoticeRaised { notice }.emit(app)
        }
    };
    if let Err(error) = sent {
        tracing::warn!(%error, "an event could not be sent to the window");
    }
}

/// Shows an OS notification. Failing to show one (no notification service) is logged:
/// the app shows the notice too.
fn raise(app: &AppHandle, notice: &Notice) {
    tracing::info!(title = %notice.title, body = %notice.body, "notification");
    if let Err(error) = app
        .notification()
        .builder()
        .title(&notice.title)
        .body(&notice.body)
        .show()
    {
        tracing::warn!(%error, "the notification could not be shown");
    }
}
