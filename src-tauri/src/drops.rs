//! Files dropped on the window, taken from the window's native drag-and-drop event here in
//! Rust: each dropped file is held behind a handle (see `held_files`) and only the handles
//! and names reach the UI, through [`FilesDragged`].

use batchdesk_engine::held_files::HeldFiles;
use tauri::{DragDropEvent, Manager, Window, WindowEvent};

use crate::events::{FilesDragged, ScopedEvent};
use crate::state::AppState;

/// Handles the window events that concern dragged files; others pass by.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::DragDrop(drag) = event else {
        return;
    };
    let state = window.state::<AppState>();
    let Some(dragged) = report(window.label(), drag, &state.files) else {
        return;
    };
    if let Err(error) = dragged.emit(window) {
        tracing::warn!(%error, "could not tell the window about dragged files");
    }
}

/// What to tell the UI about `drag`: nothing for each move over the window.
fn report(window: &str, drag: &DragDropEvent, files: &HeldFiles) -> Option<FilesDragged> {
    let (hovering, dropped) = match drag {
        DragDropEvent::Enter { .. } => (true, Vec::new()),
        DragDropEvent::Leave => (false, Vec::new()),
        DragDropEvent::Drop { paths, .. } => (
            false,
            paths.iter().map(|path| files.hold(path.clone())).collect(),
        ),
        _ => return None,
    };
    Some(FilesDragged {
        window: window.to_owned(),
        hovering,
        dropped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_files_reach_the_ui_as_handles_and_names_only() {
        let files = HeldFiles::default();
        let path = std::env::temp_dir()
            .join("batchdesk-drop")
            .join("reviews.csv");
        let drop = DragDropEvent::Drop {
            paths: vec![path.clone()],
            position: tauri::PhysicalPosition::new(10.0, 10.0),
        };
        let told = report("main", &drop, &files).unwrap_or_else(|| panic!("a drop is told"));
        assert!(!told.hovering);
        let [dropped] = told.dropped.as_slice() else {
            panic!("{told:?}")
        };
        assert_eq!(dropped.file_name, "reviews.csv");
        let sent = serde_json::to_string(&told).unwrap_or_default();
        assert!(!sent.contains("batchdesk-drop"), "no folder in {sent}");
        assert_eq!(files.path(&dropped.handle).ok(), Some(path));

        let over = DragDropEvent::Over {
            position: tauri::PhysicalPosition::new(1.0, 1.0),
        };
        assert!(report("main", &over, &files).is_none(), "not for each move");
        let enter = DragDropEvent::Enter {
            paths: Vec::new(),
            position: tauri::PhysicalPosition::new(1.0, 1.0),
        };
        assert!(report("main", &enter, &files).is_some_and(|told| told.hovering));
    }
}
