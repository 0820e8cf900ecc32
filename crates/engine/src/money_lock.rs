//! One money action at a time per mode: a launch, a test run, publishing a draft, adding
//! people or approving. Two at once could both create a study for one batch, or both add
//! the same people; so each holds this lock for its whole run, and a second one started
//! meanwhile (a double click, a second window, a second app on the same data) is refused
//! with a plain explanation instead of queued behind the first.
//!
//! The lock is an OS file lock on `<data dir>/locks/<mode>.money.lock`, taken on a fresh
//! open of the file: such locks exclude each other within one process as well as
//! between processes, and the OS releases them when a process dies, so a crash never
//! leaves the app locked out of its own launches.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

use crate::connection::AccountMode;
use crate::error_code::{Coded, ErrorCode};
use crate::store::Store;
use crate::text;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum MoneyLockError {
    Busy,
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Coded for MoneyLockError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Busy => ErrorCode::MoneyActionBusy,
            Self::Io { .. } => ErrorCode::StoreFailed,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Busy => text!("errors:moneyLock.busy"),
            Self::Io { path, source } => text!(
                "errors:moneyLock.io",
                path = path,
                source = source.to_string()
            ),
        }
    }
}

/// Held while a money action runs; dropping it lets the next one start.
#[derive(Debug)]
pub struct MoneyGuard {
    _file: File,
}

/// Takes the money lock of `mode`, or answers [`MoneyLockError::Busy`] at once.
pub fn try_acquire(store: &Store, mode: AccountMode) -> Result<MoneyGuard, MoneyLockError> {
    let dir = store
        .path()
        .parent()
        .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf)
        .join("locks");
    let path = dir.join(format!("{}.money.lock", mode.key()));
    let io = |source| MoneyLockError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(MoneyGuard { _file: file }),
        Err(TryLockError::WouldBlock) => Err(MoneyLockError::Busy),
        Err(TryLockError::Error(source)) => Err(io(source)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_second_action_is_refused_until_the_first_ends_and_modes_are_apart() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let first = try_acquire(&store, AccountMode::Prolific).unwrap();
        assert!(matches!(
            try_acquire(&store, AccountMode::Prolific),
            Err(MoneyLockError::Busy)
        ));
        // Practice and real money never wait for each other.
        let practice = try_acquire(&store, AccountMode::Practice).unwrap();
        drop(first);
        let again = try_acquire(&store, AccountMode::Prolific).unwrap();
        drop((again, practice));
    }

    #[test]
    fn another_store_on_the_same_folder_is_refused_too() {
        // As a second app on the same data would be.
        let dir = batchdesk_test_support::temp_folder();
        let one = Store::open_in_dir(dir.path()).unwrap();
        let other = Store::open_in_dir(dir.path()).unwrap();
        let _held = try_acquire(&one, AccountMode::Practice).unwrap();
        assert!(matches!(
            try_acquire(&other, AccountMode::Practice),
            Err(MoneyLockError::Busy)
        ));
    }
}
