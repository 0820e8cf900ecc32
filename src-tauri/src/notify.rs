//! Where the pollers' reports go: each progress as a typed event scoped to its study, and
//! each notice as an event and an OS notification.

use std::sync::{Arc, OnceLock};

use batchdesk_engine::monitor::{MonitorEvent, Notice, Sink};
use batchdesk_engine::task_step::ReadyBatch;
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

/// Setting a batch up can take minutes: say when it is ready, in case the researcher
/// went elsewhere meanwhile.
pub fn batch_ready(app: &AppHandle, batch: &ReadyBatch) {
    let tasks = batch
        .total_tasks
        .map_or_else(String::new, |tasks| format!(" with {tasks} tasks"));
    show(
        app,
        "Batch ready",
        &format!("Your batch is set up{tasks}. Choose who takes part and publish it in step 3."),
    );
}

/// Shows an OS notification. Failing to show one (no notification service) is logged:
/// the app shows the notice too. The OS shows it as Rust says it: in English.
fn raise(app: &AppHandle, notice: &Notice) {
    show(app, &notice.title.to_string(), &notice.body.to_string());
}

fn show(app: &AppHandle, title: &str, body: &str) {
    tracing::info!(%title, %body, "notification");
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(%error, "the notification could not be shown");
    }
}
