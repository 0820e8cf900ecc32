//! The local store: one SQLite file in the app's data directory.
//!
//! Its schema is versioned with `PRAGMA user_version` through `rusqlite_migration`.
//! Migrations are append-only: never edit one that has shipped; add the next one.
//! A database written by a newer Batchdesk is refused rather than guessed at.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};

/// The file name of the store inside the app data directory.
pub const STORE_FILE_NAME: &str = "batchdesk.sqlite3";

/// Every migration the app knows, oldest first; the schema version is their count.
/// Append-only: a migration that has shipped is never edited.
const MIGRATIONS: &[&str] = &[
    // 1: the researcher's settings and remembered choices (key → JSON text).
    "CREATE TABLE settings (
        key        TEXT PRIMARY KEY NOT NULL,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;",
    // 2: the launch journal: each step of creating and publishing a study, written
    // before and after its call, never changed afterwards.
    "CREATE TABLE launch_journal (
        id        INTEGER PRIMARY KEY,
        launch    TEXT NOT NULL,
        step      TEXT NOT NULL,
        state     TEXT NOT NULL,
        remote_id TEXT,
        at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT;
    CREATE INDEX launch_journal_by_launch ON launch_journal (launch, id);",
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build of the app writes.
pub fn current_schema_version() -> u32 {
    u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("Batchdesk could not create its data folder at {path}: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Batchdesk could not open its local database at {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "The local database at {path} was written by a newer version of Batchdesk \
         (schema {found}, this version knows up to {known}). Update Batchdesk to open it."
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    #[error("Batchdesk could not update its local database at {path}: {source}")]
    Migrate {
        path: PathBuf,
        #[source]
        source: rusqlite_migration::Error,
    },
    #[error("The local database failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// A handle to the local store. Cheap to clone; calls are short and serialised.
#[derive(Clone, Debug)]
pub struct Store {
    path: PathBuf,
    connection: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` and brings its schema up to date.
    pub fn open_in_dir(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::CreateDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        Self::open(&data_dir.join(STORE_FILE_NAME))
    }

    /// Opens (creating if needed) the store file at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut connection = Connection::open(path).map_err(open_error)?;
        // WAL keeps readers and the writer apart; a busy timeout rides out short locks
        // from a second window or a crashed previous run instead of failing at once.
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(open_error)?;
        connection
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(open_error)?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(open_error)?;

        let found: u32 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(open_error)?;
        let known = current_schema_version();
        if found > known {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                known,
            });
        }
        migrations()
            .to_latest(&mut connection)
            .map_err(|source| StoreError::Migrate {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self
            .lock()
            .pragma_query_value(None, "user_version", |row| row.get(0))?)
    }

    /// Reads a setting; `None` when it was never written.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                params![key],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Writes a setting, replacing any earlier value.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![key, value],
        )?;
        Ok(())
    }

    /// Forgets a setting; forgetting one that was never written is fine.
    pub fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        self.lock()
            .execute("DELETE FROM settings WHERE key = ?1", params![key])?;
        Ok(())
    }

    /// Appends one entry to the launch journal.
    pub fn journal(
        &self,
        launch: &str,
        step: &str,
        state: &str,
        remote_id: Option<&str>,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO launch_journal (launch, step, state, remote_id) VALUES (?1, ?2, ?3, ?4)",
            params![launch, step, state, remote_id],
        )?;
        Ok(())
    }

    /// A launch's journal, oldest first: `(step, state, remote_id)`.
    pub fn journal_of(
        &self,
        launch: &str,
    ) -> Result<Vec<(String, String, Option<String>)>, StoreError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT step, state, remote_id FROM launch_journal WHERE launch = ?1 ORDER BY id",
        )?;
        let rows = statement
            .query_map(params![launch], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (each call is
        // one statement or transaction), so a poisoned lock is still safe to use.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn migrations_are_valid_and_counted() {
        migrations().validate().unwrap();
        let mut probe = Connection::open_in_memory().unwrap();
        migrations().to_latest(&mut probe).unwrap();
        let version: u32 = probe
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, current_schema_version());
    }

    #[test]
    fn opens_a_new_store_at_the_latest_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_dir(&dir.path().join("nested/data")).unwrap();
        assert_eq!(store.schema_version().unwrap(), current_schema_version());
        assert!(store.path().ends_with(STORE_FILE_NAME));
    }

    #[test]
    fn settings_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open_in_dir(dir.path()).unwrap();
            assert_eq!(store.setting("workspace").unwrap(), None);
            store.set_setting("workspace", "\"abc\"").unwrap();
            store.set_setting("workspace", "\"def\"").unwrap();
        }
        let reopened = Store::open_in_dir(dir.path()).unwrap();
        assert_eq!(
            reopened.setting("workspace").unwrap().as_deref(),
            Some("\"def\"")
        );
        reopened.delete_setting("workspace").unwrap();
        reopened.delete_setting("workspace").unwrap();
        assert_eq!(reopened.setting("workspace").unwrap(), None);
    }

    #[test]
    fn refuses_a_file_that_is_not_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE_NAME);
        std::fs::write(&path, "name,review\nAda,great\n".repeat(200)).unwrap();
        let error = Store::open(&path).unwrap_err();
        assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
        assert!(
            error
                .to_string()
                .contains("could not open its local database")
        );
    }

    #[test]
    fn refuses_a_data_dir_that_is_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, "").unwrap();
        let error = Store::open_in_dir(&blocker).unwrap_err();
        assert!(matches!(error, StoreError::CreateDir { .. }), "{error:?}");
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE_NAME);
        let connection = Connection::open(&path).unwrap();
        connection
            .pragma_update(None, "user_version", current_schema_version() + 5)
            .unwrap();
        drop(connection);
        let error = Store::open(&path).unwrap_err();
        assert!(matches!(error, StoreError::TooNew { .. }), "{error:?}");
        assert!(error.to_string().contains("newer version of Batchdesk"));
    }
}
