//! The local store: one SQLite file in the app's data directory.
//!
//! Its schema is versioned with `PRAGMA user_version` through `rusqlite_migration`.
//! Migrations are append-only: never edit one that has shipped; add the next one.
//! A database written by a newer Batchdesk is refused rather than guessed at.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use rusqlite_migration::{M, Migrations};

use crate::error_code::{Coded, ErrorCode};
use crate::text;

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
    // 3: which launch a batch has (the one source of truth, never reset with a draft),
    // the steps a launch has claimed (so two windows or processes never both create),
    // and what each journal entry was about (a fingerprint of the settings, a total).
    "CREATE TABLE batch_launches (
        mode       TEXT NOT NULL,
        batch_id   TEXT NOT NULL,
        launch     TEXT NOT NULL UNIQUE,
        claimed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (mode, batch_id)
    ) STRICT;
    CREATE TABLE launch_claims (
        launch TEXT NOT NULL,
        step   TEXT NOT NULL,
        at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        PRIMARY KEY (launch, step)
    ) STRICT;
    ALTER TABLE launch_journal ADD COLUMN detail TEXT;",
];

fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build of the app writes.
pub fn current_schema_version() -> u32 {
    u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX)
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum StoreError {
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    Migrate {
        path: PathBuf,
        #[source]
        source: rusqlite_migration::Error,
    },
    Sqlite(#[from] rusqlite::Error),
}

impl Coded for StoreError {
    fn error_code(&self) -> ErrorCode {
        ErrorCode::StoreFailed
    }

    fn text(&self) -> text::Text {
        match self {
            Self::CreateDir { path, source } => text!(
                "errors:store.createDir",
                path = path,
                source = source.to_string()
            ),
            Self::Open { path, source } => text!(
                "errors:store.open",
                path = path,
                source = source.to_string()
            ),
            Self::TooNew { path, found, known } => text!(
                "errors:store.tooNew",
                path = path,
                found = found,
                known = known
            ),
            Self::Migrate { path, source } => text!(
                "errors:store.migrate",
                path = path,
                source = source.to_string()
            ),
            Self::Sqlite(reason) => text!("errors:store.sqlite", reason = reason.to_string()),
        }
    }
}

/// One line of the launch journal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    pub step: String,
    pub state: String,
    pub remote_id: Option<String>,
    pub detail: Option<String>,
}

/// The format of the JSON settings (drafts) this version writes. Raise it when a draft
/// changes so that an older Batchdesk would misread it: the older one then keeps the
/// draft aside and says so, instead of guessing.
pub const JSON_SETTING_FORMAT: u64 = 1;

/// A JSON setting's value: `{"format", "value"}` from a format this version knows, or
/// the bare value written before drafts carried one. The error says why not, for the log.
fn read_versioned<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
    let parsed: serde_json::Value =
        serde_json::from_str(json).map_err(|error| error.to_string())?;
    let value = match parsed {
        serde_json::Value::Object(mut object)
            if object.len() == 2
                && object.contains_key("format")
                && object.contains_key("value") =>
        {
            let format = object.get("format").and_then(serde_json::Value::as_u64);
            match format {
                Some(format) if format <= JSON_SETTING_FORMAT => {
                    object.remove("value").unwrap_or_default()
                }
                _ => return Err(format!("written in format {format:?} by a newer Batchdesk")),
            }
        }
        bare => bare,
    };
    serde_json::from_value(value).map_err(|error| error.to_string())
}

/// Where the keys of drafts kept aside as unreadable wait to be told.
const UNREADABLE_NOTICES: &str = "store.unreadable_notices";

/// A setting as kept; `None` when it was never written.
fn setting_in(connection: &Connection, key: &str) -> Result<Option<String>, StoreError> {
    Ok(connection
        .query_row(
            "SELECT value FROM settings WHERE key = ?1",
            params![key],
            |row| row.get(0),
        )
        .optional()?)
}

/// The keys of unreadable drafts kept aside and not yet told.
fn unreadable_notices(connection: &Connection) -> Result<Vec<String>, StoreError> {
    Ok(setting_in(connection, UNREADABLE_NOTICES)?
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default())
}

/// A JSON setting as [`Store::json_setting`] reads it: `None` when never written, and
/// also when it does not read, after its text is kept aside and the researcher told.
fn json_or_kept_aside<T: serde::de::DeserializeOwned>(
    connection: &Connection,
    key: &str,
) -> Result<Option<T>, StoreError> {
    let Some(json) = setting_in(connection, key)? else {
        return Ok(None);
    };
    let reason = match read_versioned(&json) {
        Ok(value) => return Ok(Some(value)),
        Err(reason) => reason,
    };
    keep_aside(connection, key, &json, &reason)?;
    connection.execute("DELETE FROM settings WHERE key = ?1", params![key])?;
    Ok(None)
}

/// Keeps `json`, a draft of `key` that does not read, under `<key>.unreadable.<time>`,
/// and queues the notice that tells the researcher.
fn keep_aside(
    connection: &Connection,
    key: &str,
    json: &str,
    reason: &str,
) -> Result<(), StoreError> {
    let kept = format!(
        "{key}.unreadable.{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    );
    tracing::warn!(
        key,
        kept,
        reason,
        "a saved draft could not be read; kept aside"
    );
    connection.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        params![kept, json],
    )?;
    let mut notices = unreadable_notices(connection)?;
    notices.push(kept);
    connection.execute(
        "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
        params![
            UNREADABLE_NOTICES,
            serde_json::to_string(&notices).unwrap_or_default()
        ],
    )?;
    Ok(())
}

/// The text of `value` as a JSON setting, marked with this version's format.
fn versioned_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(&serde_json::json!({
        "format": JSON_SETTING_FORMAT,
        "value": value,
    }))
    .unwrap_or_default()
}

/// Settings read and written together ([`Store::settings_transaction`]).
pub struct SettingsTransaction<'a> {
    transaction: rusqlite::Transaction<'a>,
}

impl SettingsTransaction<'_> {
    /// A JSON setting; `None` when never written, or when it does not read (it is then
    /// kept aside and told, as [`Store::json_setting`] does).
    pub fn json<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        json_or_kept_aside(&self.transaction, key)
    }

    /// Writes a JSON setting, marked with this version's format.
    pub fn set_json<T: serde::Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        self.transaction.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            params![key, versioned_json(value)],
        )?;
        Ok(())
    }

    /// Keeps `json`, a part of a draft that does not read, under
    /// `<key>.unreadable.<time>` and tells the researcher, as [`Store::json_setting`] does
    /// with a whole draft. `reason` is for the log.
    pub fn keep_aside(&self, key: &str, json: &str, reason: &str) -> Result<(), StoreError> {
        keep_aside(&self.transaction, key, json, reason)
    }

    /// Forgets a setting.
    pub fn delete(&self, key: &str) -> Result<(), StoreError> {
        self.transaction
            .execute("DELETE FROM settings WHERE key = ?1", params![key])?;
        Ok(())
    }
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
        setting_in(&self.lock(), key)
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

    /// A setting holding JSON (a wizard step's draft), or the default when it was never
    /// written. Drafts are versioned: each is written as `{"format": N, "value": …}`
    /// ([`JSON_SETTING_FORMAT`]); one written before drafts carried a format is read as
    /// it is. One that does not read (damaged, a shape this version does not know, or a
    /// format from a newer Batchdesk) is never lost and never dropped silently: its text
    /// is kept under `<key>.unreadable.<time>`, a notice is queued for the researcher
    /// ([`Self::take_unreadable_notices`]), and the step starts afresh. Nothing that
    /// decides money hangs on a draft (a batch's launch is in `batch_launches`), so
    /// starting afresh can never start a second study.
    pub fn json_setting<T: serde::de::DeserializeOwned + Default>(
        &self,
        key: &str,
    ) -> Result<T, StoreError> {
        let connection = self.lock();
        Ok(json_or_kept_aside(&connection, key)?.unwrap_or_default())
    }

    /// Reads and changes settings in one transaction, so a draft is changed from what
    /// it holds now, never from a copy another call has changed since.
    pub fn settings_transaction<R>(
        &self,
        work: impl FnOnce(&SettingsTransaction<'_>) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let settings = SettingsTransaction { transaction };
        let answer = work(&settings)?;
        settings.transaction.commit()?;
        Ok(answer)
    }

    /// The keys under which unreadable drafts were kept since the last call, now
    /// forgotten as notices (the kept copies stay).
    pub fn take_unreadable_notices(&self) -> Result<Vec<String>, StoreError> {
        let connection = self.lock();
        let notices = unreadable_notices(&connection)?;
        connection.execute(
            "DELETE FROM settings WHERE key = ?1",
            params![UNREADABLE_NOTICES],
        )?;
        Ok(notices)
    }

    /// Writes `value` as a JSON setting, marked with this version's format.
    pub fn set_json_setting<T: serde::Serialize>(
        &self,
        key: &str,
        value: &T,
    ) -> Result<(), StoreError> {
        self.set_setting(key, &versioned_json(value))
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

    /// Appends one entry with what it was about (a settings fingerprint, a total…).
    pub fn journal_with(
        &self,
        launch: &str,
        step: &str,
        state: &str,
        remote_id: Option<&str>,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO launch_journal (launch, step, state, remote_id, detail)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![launch, step, state, remote_id, detail],
        )?;
        Ok(())
    }

    /// A launch's journal with each entry's detail, oldest first.
    pub fn journal_details(&self, launch: &str) -> Result<Vec<JournalEntry>, StoreError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT step, state, remote_id, detail FROM launch_journal WHERE launch = ?1
             ORDER BY id",
        )?;
        let rows = statement
            .query_map(params![launch], |row| {
                Ok(JournalEntry {
                    step: row.get(0)?,
                    state: row.get(1)?,
                    remote_id: row.get(2)?,
                    detail: row.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The launch of `batch_id` in `mode`: the one already claimed, or `proposed`, which
    /// is claimed now. Atomic: two windows or processes asking at once get the same one.
    pub fn claim_batch_launch(
        &self,
        mode: &str,
        batch_id: &str,
        proposed: &str,
    ) -> Result<String, StoreError> {
        let connection = self.lock();
        connection.execute(
            "INSERT INTO batch_launches (mode, batch_id, launch) VALUES (?1, ?2, ?3)
             ON CONFLICT (mode, batch_id) DO NOTHING",
            params![mode, batch_id, proposed],
        )?;
        Ok(connection.query_row(
            "SELECT launch FROM batch_launches WHERE mode = ?1 AND batch_id = ?2",
            params![mode, batch_id],
            |row| row.get(0),
        )?)
    }

    /// The launch claimed for `batch_id` in `mode`, if any.
    pub fn batch_launch(&self, mode: &str, batch_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT launch FROM batch_launches WHERE mode = ?1 AND batch_id = ?2",
                params![mode, batch_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Hands a batch from launch `old` to launch `new` (a draft that had to be replaced);
    /// false when the batch no longer has `old` (another window got there first).
    pub fn replace_batch_launch(
        &self,
        mode: &str,
        batch_id: &str,
        old: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let changed = self.lock().execute(
            "UPDATE batch_launches SET launch = ?4 WHERE mode = ?1 AND batch_id = ?2 AND launch = ?3",
            params![mode, batch_id, old, new],
        )?;
        Ok(changed == 1)
    }

    /// Claims `step` of `launch` for this caller: true for the first caller ever, false
    /// for everyone after (they must look for what the first one did instead).
    pub fn claim_step(&self, launch: &str, step: &str) -> Result<bool, StoreError> {
        let inserted = self.lock().execute(
            "INSERT INTO launch_claims (launch, step) VALUES (?1, ?2)
             ON CONFLICT (launch, step) DO NOTHING",
            params![launch, step],
        )?;
        Ok(inserted == 1)
    }

    /// The studies created by launches whose key ends with `/stamp` (the stamp a
    /// study's internal name carries).
    pub fn studies_created_by_stamp(&self, stamp: &str) -> Result<Vec<String>, StoreError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT DISTINCT remote_id FROM launch_journal
             WHERE launch LIKE '%/' || ?1 AND step = 'create_study' AND state = 'done'
               AND remote_id IS NOT NULL",
        )?;
        let rows = statement
            .query_map(params![stamp], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
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
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(&dir.path().join("nested/data")).unwrap();
        assert_eq!(store.schema_version().unwrap(), current_schema_version());
        assert!(store.path().ends_with(STORE_FILE_NAME));
    }

    #[test]
    fn settings_survive_reopening() {
        let dir = batchdesk_test_support::temp_folder();
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
    fn drafts_carry_their_format_and_a_newer_or_damaged_one_is_kept_aside_and_told() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        store.set_json_setting("a.draft", &vec![1, 2]).unwrap();
        assert_eq!(
            store.setting("a.draft").unwrap().as_deref(),
            Some("{\"format\":1,\"value\":[1,2]}")
        );
        assert_eq!(
            store.json_setting::<Vec<u8>>("a.draft").unwrap(),
            vec![1, 2]
        );
        // Written before drafts carried a format: read as it is.
        store.set_setting("old.draft", "[3]").unwrap();
        assert_eq!(store.json_setting::<Vec<u8>>("old.draft").unwrap(), vec![3]);
        assert!(store.take_unreadable_notices().unwrap().is_empty());

        // From a newer Batchdesk, and damaged: neither is guessed at nor lost.
        let newer = "{\"format\":99,\"value\":[4]}";
        store.set_setting("new.draft", newer).unwrap();
        store.set_setting("bad.draft", "[5,").unwrap();
        assert!(
            store
                .json_setting::<Vec<u8>>("new.draft")
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .json_setting::<Vec<u8>>("bad.draft")
                .unwrap()
                .is_empty()
        );
        let told = store.take_unreadable_notices().unwrap();
        assert_eq!(told.len(), 2);
        assert!(told[0].starts_with("new.draft.unreadable."));
        assert_eq!(store.setting(&told[0]).unwrap().as_deref(), Some(newer));
        assert_eq!(store.setting(&told[1]).unwrap().as_deref(), Some("[5,"));
        assert!(store.setting("new.draft").unwrap().is_none());
        assert!(
            store.take_unreadable_notices().unwrap().is_empty(),
            "told once"
        );
    }

    #[test]
    fn refuses_a_file_that_is_not_a_database() {
        let dir = batchdesk_test_support::temp_folder();
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
        let dir = batchdesk_test_support::temp_folder();
        let blocker = dir.path().join("data");
        std::fs::write(&blocker, "").unwrap();
        let error = Store::open_in_dir(&blocker).unwrap_err();
        assert!(matches!(error, StoreError::CreateDir { .. }), "{error:?}");
    }

    #[test]
    fn refuses_a_database_from_a_newer_version() {
        let dir = batchdesk_test_support::temp_folder();
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
