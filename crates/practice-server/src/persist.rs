//! Practice work saved to a file, so it survives a restart of the app: the workspace
//! (balance included), projects, datasets, batches, studies with their submissions
//! (bonuses paid on them included), participant groups, bulk bonuses (paid or not),
//! messages sent, export jobs, the participants' random sequence, the seed and
//! disagreement share the answers are drawn from, and how far the clock was moved on.
//!
//! The state is one JSON file, `state.json` in the state directory, rewritten whole
//! after every request that changed something (and at shutdown): written to a temporary
//! file in the same directory, flushed, then renamed over the old one, so a crash leaves
//! either the old state or the new one, never half of each. The uploaded rows and
//! records, which can be large and never change, are written once each to `blobs/`
//! (see `blob`) before the state that names them; blobs no state names any more are
//! removed after it.
//!
//! What is not kept: presigned URLs (the signing secret is fresh on every start, so a
//! link from before a restart is refused as an expired one would be; the client asks
//! again), uploads in flight, the token and faults. A file that cannot be read (an older
//! format, a broken write by hand) never stops the server: it is moved aside as
//! `state.json.unreadable-<time>`, logged, and the server starts fresh.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::blob::{self, Scope};
use crate::model::{
    Batch, BulkBonus, Dataset, Export, Message, ParticipantGroup, Project, Store, Study,
    TestParticipant, Workspace,
};
use crate::seeded::Rng;

/// Bumped when the saved shape changes in a way older files cannot be read as.
const FORMAT: u32 = 1;
const FILE_NAME: &str = "state.json";
const BLOB_DIR: &str = "blobs";

/// The state as written. Borrowed, so saving does not copy the data.
#[derive(Serialize)]
struct SavedRef<'a> {
    format: u32,
    clock_offset_ms: u64,
    seed: u64,
    disagreement_percent: u64,
    workspaces: &'a [Workspace],
    projects: &'a [Project],
    datasets: &'a [Dataset],
    batches: &'a [Batch],
    studies: &'a [Study],
    rng: &'a Rng,
    exports: &'a HashMap<Uuid, Export>,
    test_participants: &'a [TestParticipant],
    participant_groups: &'a [ParticipantGroup],
    bulk_bonuses: &'a [BulkBonus],
    messages: &'a [Message],
}

/// The state as read back.
#[derive(Deserialize)]
struct Saved {
    format: u32,
    clock_offset_ms: u64,
    seed: u64,
    disagreement_percent: u64,
    workspaces: Vec<Workspace>,
    projects: Vec<Project>,
    datasets: Vec<Dataset>,
    batches: Vec<Batch>,
    studies: Vec<Study>,
    rng: Rng,
    exports: HashMap<Uuid, Export>,
    test_participants: Vec<TestParticipant>,
    /// Absent from states saved before groups existed.
    #[serde(default)]
    participant_groups: Vec<ParticipantGroup>,
    /// Absent from states saved before bonuses existed.
    #[serde(default)]
    bulk_bonuses: Vec<BulkBonus>,
    /// Absent from states saved before messages existed.
    #[serde(default)]
    messages: Vec<Message>,
}

/// The server's clock and the settings answers are drawn from, saved with the state.
/// Answers are drawn on read from the seed and the disagreement share, so the ones the
/// work was made with are kept: a restart never changes recorded answers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Drawing {
    pub(crate) clock_offset: Duration,
    pub(crate) seed: u64,
    pub(crate) disagreement_percent: u64,
}

/// Where the state is kept, and the lock that keeps saves in order.
#[derive(Debug)]
pub(crate) struct StateFile {
    path: PathBuf,
    blobs: PathBuf,
    /// Held for the whole of a save (taking the snapshot and writing it), so a later
    /// snapshot is never overwritten by an earlier one. It guards the blobs known to be
    /// on disk.
    writing: Mutex<HashSet<Uuid>>,
}

impl StateFile {
    /// Makes the directory if needed.
    pub(crate) fn in_dir(dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(Self {
            path: dir.join(FILE_NAME),
            blobs: dir.join(BLOB_DIR),
            writing: Mutex::new(HashSet::new()),
        })
    }

    /// Reads the saved state into `store`. Nothing saved yet: `None`, the store stays
    /// as seeded. A file that cannot be read is moved aside and logged; `None` too.
    pub(crate) fn load_into(&self, store: &mut Store) -> Option<Drawing> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return None,
            Err(error) => {
                self.set_aside(&error.to_string());
                return None;
            }
        };
        let (read, scope) = Scope::new(self.blobs.clone(), HashSet::new())
            .run(|| serde_json::from_slice::<Saved>(&bytes));
        let saved = match read {
            Ok(saved) if saved.format == FORMAT => saved,
            Ok(saved) => {
                self.set_aside(&format!("format {} is not {FORMAT}", saved.format));
                return None;
            }
            Err(error) => {
                self.set_aside(&error.to_string());
                return None;
            }
        };
        store.workspaces = saved.workspaces;
        store.projects = saved.projects;
        store.datasets = saved.datasets;
        store.batches = saved.batches;
        store.studies = saved.studies;
        store.rng = saved.rng;
        store.exports = saved.exports;
        store.test_participants = saved.test_participants;
        store.participant_groups = saved.participant_groups;
        store.bulk_bonuses = saved.bulk_bonuses;
        store.messages = saved.messages;
        let (on_disk, _) = scope.into_sets();
        *self.writing.lock().unwrap_or_else(PoisonError::into_inner) = on_disk;
        tracing::info!(path = %self.path.display(), "practice state restored");
        Some(Drawing {
            clock_offset: Duration::from_millis(saved.clock_offset_ms),
            seed: saved.seed,
            disagreement_percent: saved.disagreement_percent,
        })
    }

    /// Moves an unreadable file out of the way, so the next save does not destroy it
    /// and someone can look at it.
    fn set_aside(&self, why: &str) {
        let suffix = format!(
            "unreadable-{}",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ")
        );
        // Its blobs go with it, so the fresh state's first save does not remove them.
        if self.blobs.exists() {
            let _ = std::fs::rename(
                &self.blobs,
                self.blobs.with_file_name(format!("{BLOB_DIR}.{suffix}")),
            );
        }
        let aside = self.path.with_file_name(format!("{FILE_NAME}.{suffix}"));
        match std::fs::rename(&self.path, &aside) {
            Ok(()) => tracing::warn!(
                reason = why,
                kept_at = %aside.display(),
                "the practice state could not be read; starting fresh"
            ),
            Err(error) => tracing::warn!(
                reason = why,
                %error,
                "the practice state could not be read nor moved aside; starting fresh"
            ),
        }
    }

    /// Writes the state now: a snapshot taken under the store's lock, then written to a
    /// temporary file that is flushed and renamed over the old one. Blocking; call it
    /// off the async threads. A failure is logged: the request it follows has succeeded.
    pub(crate) fn save(&self, store: &Mutex<Store>, drawing: Drawing) {
        let mut on_disk = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let (bytes, scope) = Scope::new(self.blobs.clone(), on_disk.clone()).run(|| {
            let store = store.lock().unwrap_or_else(PoisonError::into_inner);
            snapshot(&store, drawing)
        });
        let (written_blobs, referenced) = scope.into_sets();
        *on_disk = written_blobs;
        let written = bytes
            .map_err(std::io::Error::other)
            .and_then(|bytes| self.write(&bytes));
        match written {
            Ok(()) => self.remove_unreferenced(&mut on_disk, &referenced),
            Err(error) => {
                tracing::error!(path = %self.path.display(), %error, "the practice state could not be saved");
            }
        }
    }

    /// Removes the blobs the state just written no longer names (a dataset uploaded
    /// again). Only after the state is safely written: the old one named them.
    fn remove_unreferenced(&self, on_disk: &mut HashSet<Uuid>, referenced: &HashSet<Uuid>) {
        let Ok(entries) = std::fs::read_dir(&self.blobs) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let id = name
                .to_str()
                .and_then(|name| name.strip_suffix(".json"))
                .and_then(|id| Uuid::try_parse(id).ok());
            if let Some(id) = id
                && !referenced.contains(&id)
            {
                let _ = std::fs::remove_file(blob::path_of(&self.blobs, id));
                on_disk.remove(&id);
            }
        }
    }

    fn write(&self, bytes: &[u8]) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        let mut file = tempfile::NamedTempFile::with_prefix_in(".state-", dir)?;
        file.write_all(bytes)?;
        file.as_file().sync_all()?;
        file.persist(&self.path).map_err(|error| error.error)?;
        flush_directory(dir)
    }
}

/// Makes a rename in `dir` durable. On Unix that takes flushing the directory itself.
/// Windows cannot open a folder as a file (`File::open` fails there), and NTFS journals
/// the rename with the folder's metadata, so there is nothing more to do.
#[cfg(unix)]
fn flush_directory(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn flush_directory(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

fn snapshot(store: &Store, drawing: Drawing) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&SavedRef {
        format: FORMAT,
        clock_offset_ms: u64::try_from(drawing.clock_offset.as_millis()).unwrap_or(u64::MAX),
        seed: drawing.seed,
        disagreement_percent: drawing.disagreement_percent,
        workspaces: &store.workspaces,
        projects: &store.projects,
        datasets: &store.datasets,
        batches: &store.batches,
        studies: &store.studies,
        rng: &store.rng,
        exports: &store.exports,
        test_participants: &store.test_participants,
        participant_groups: &store.participant_groups,
        bulk_bonuses: &store.bulk_bonuses,
        messages: &store.messages,
    })
}
