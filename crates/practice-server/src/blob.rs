//! Large data that never changes once made (an upload's parsed table, an import's
//! records), kept apart from the rest of the saved state: each is written once, to
//! `blobs/<id>.json` in the state directory, and the state file holds only its id. So a
//! save after a small change does not rewrite every dataset's rows.
//!
//! Serde does the walking: while a state is saved or loaded, the directory is in scope
//! (a thread-local set by `persist`), a `Blob` serializes as its id after writing its file
//! if that file is not there yet, and deserializes by reading its file back. Outside a
//! save or load (never, today) a blob is written inline.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Write;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use uuid::Uuid;

/// An immutable value shared cheaply (clones share it) and saved in a file of its own.
#[derive(Debug)]
pub(crate) struct Blob<T> {
    id: Uuid,
    value: Arc<T>,
}

impl<T> Blob<T> {
    pub(crate) fn new(value: T) -> Self {
        Self {
            id: Uuid::new_v4(),
            value: Arc::new(value),
        }
    }
}

impl<T> Clone for Blob<T> {
    fn clone(&self) -> Self {
        Self {
            id: self.id,
            value: Arc::clone(&self.value),
        }
    }
}

impl<T> Deref for Blob<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

/// The blob directory of the save or load running on this thread, with the blobs
/// known to be on disk (written or read) and those the state being saved refers to.
pub(crate) struct Scope {
    dir: PathBuf,
    on_disk: HashSet<Uuid>,
    referenced: HashSet<Uuid>,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

impl Scope {
    pub(crate) fn new(dir: PathBuf, on_disk: HashSet<Uuid>) -> Self {
        Self {
            dir,
            on_disk,
            referenced: HashSet::new(),
        }
    }

    /// Runs `work` (a serialization or deserialization) with this scope, and gives the
    /// scope back with what it learnt.
    pub(crate) fn run<R>(self, work: impl FnOnce() -> R) -> (R, Self) {
        SCOPE.with(|scope| *scope.borrow_mut() = Some(self));
        let result = work();
        let scope = SCOPE.with(|scope| scope.borrow_mut().take());
        (
            result,
            scope.unwrap_or_else(|| Self::new(PathBuf::new(), HashSet::new())),
        )
    }

    /// The blobs on disk after the work, and those the saved state refers to.
    pub(crate) fn into_sets(self) -> (HashSet<Uuid>, HashSet<Uuid>) {
        (self.on_disk, self.referenced)
    }
}

pub(crate) fn path_of(dir: &Path, id: Uuid) -> PathBuf {
    dir.join(format!("{id}.json"))
}

/// Writes a blob's file whole (temp file, flush, rename), so a crash never leaves half.
fn write_file(dir: &Path, id: Uuid, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::with_prefix_in(".blob-", dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path_of(dir, id))
        .map_err(|error| error.error)?;
    Ok(())
}

/// Inline when no save is running, so a blob can always be serialized.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Saved<T> {
    Id { blob: Uuid },
    Inline(T),
}

impl<T: Serialize> Serialize for Blob<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let written = SCOPE.with(|scope| -> Result<bool, String> {
            let mut scope = scope.borrow_mut();
            let Some(scope) = scope.as_mut() else {
                return Ok(false);
            };
            if !scope.on_disk.contains(&self.id) {
                let bytes = serde_json::to_vec(&*self.value).map_err(|error| error.to_string())?;
                write_file(&scope.dir, self.id, &bytes).map_err(|error| error.to_string())?;
                scope.on_disk.insert(self.id);
            }
            scope.referenced.insert(self.id);
            Ok(true)
        });
        match written {
            Ok(true) => Saved::<&T>::Id { blob: self.id }.serialize(serializer),
            Ok(false) => Saved::Inline(&*self.value).serialize(serializer),
            Err(error) => Err(serde::ser::Error::custom(format!(
                "blob {} could not be written: {error}",
                self.id
            ))),
        }
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Blob<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Saved::<T>::deserialize(deserializer)? {
            Saved::Inline(value) => Ok(Self::new(value)),
            Saved::Id { blob: id } => {
                let value = SCOPE.with(|scope| -> Result<T, String> {
                    let mut scope = scope.borrow_mut();
                    let scope = scope
                        .as_mut()
                        .ok_or_else(|| "no blob directory in scope".to_owned())?;
                    let bytes = std::fs::read(path_of(&scope.dir, id))
                        .map_err(|error| error.to_string())?;
                    let value =
                        serde_json::from_slice(&bytes).map_err(|error| error.to_string())?;
                    scope.on_disk.insert(id);
                    scope.referenced.insert(id);
                    Ok(value)
                });
                value
                    .map(|value| Self {
                        id,
                        value: Arc::new(value),
                    })
                    .map_err(|error| {
                        serde::de::Error::custom(format!("blob {id} could not be read: {error}"))
                    })
            }
        }
    }
}
