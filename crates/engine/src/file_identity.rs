//! What a data file was when it was uploaded: its size, modification time and SHA-256.
//!
//! A dataset is matched to the file it came from by this identity, not by the path
//! alone: a researcher who edits the file in place and comes back must not have
//! participants paid to judge the old rows while the preview shows the new ones.

use std::io::Read;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use specta::Type;

/// A file's identity when it was uploaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FileIdentity {
    #[specta(type = f64)]
    pub size: u64,
    /// RFC 3339 with nanoseconds; `None` where the system keeps no modification time.
    pub modified: Option<String>,
    /// Lowercase hexadecimal.
    pub sha256: String,
}

/// How a file compares with the identity recorded at upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// The same contents. The identity carries the file's current size and time (a file
    /// saved again unchanged has a newer time), to be recorded for the next quick look.
    Same(FileIdentity),
    /// Other contents: what was uploaded is not what the file holds now.
    Changed,
}

/// Reads the whole file to identify it. Blocking: run it off the async threads.
pub fn identify(path: &Path) -> std::io::Result<FileIdentity> {
    let mut file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok(FileIdentity {
        size: metadata.len(),
        modified: modified(&metadata),
        sha256,
    })
}

/// How closely to look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// An unchanged size and time is taken as the same file without reading it: an edit
    /// leaves one of them changed, except on a file system that keeps coarse times and an
    /// edit of the same size within that time. For checks made often (showing a step).
    Quick,
    /// The contents always decide. For the moments data is bound to money (setting up).
    Thorough,
}

/// Compares the file with `recorded`; the contents decide unless a [`Look::Quick`] sees
/// the same size and time. Blocking.
pub fn compare(path: &Path, recorded: &FileIdentity, look: Look) -> std::io::Result<Comparison> {
    let metadata = std::fs::metadata(path)?;
    if look == Look::Quick
        && metadata.len() == recorded.size
        && recorded.modified.is_some()
        && modified(&metadata) == recorded.modified
    {
        return Ok(Comparison::Same(recorded.clone()));
    }
    let now = identify(path)?;
    Ok(if now.sha256 == recorded.sha256 {
        Comparison::Same(now)
    } else {
        Comparison::Changed
    })
}

fn modified(metadata: &std::fs::Metadata) -> Option<String> {
    let time = metadata.modified().ok()?;
    Some(
        chrono::DateTime::<chrono::Utc>::from(time)
            .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_hash_is_sha256_of_the_contents() {
        let dir = batchdesk_test_support::temp_folder();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "abc").unwrap();
        let identity = identify(&path).unwrap();
        assert_eq!(identity.size, 3);
        assert!(identity.modified.is_some());
        assert_eq!(
            identity.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn an_edit_is_a_change_and_saving_the_same_contents_again_is_not() {
        let dir = batchdesk_test_support::temp_folder();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "id,text\n1,old\n").unwrap();
        let recorded = identify(&path).unwrap();
        assert_eq!(
            compare(&path, &recorded, Look::Quick).unwrap(),
            Comparison::Same(recorded.clone())
        );

        // Same contents written again (a newer time, or the same): still the same data.
        std::fs::write(&path, "id,text\n1,old\n").unwrap();
        assert!(matches!(
            compare(&path, &recorded, Look::Quick).unwrap(),
            Comparison::Same(_)
        ));

        // Other contents (and another size): a change.
        std::fs::write(&path, "id,text\n1,new!\n").unwrap();
        assert_eq!(
            compare(&path, &recorded, Look::Quick).unwrap(),
            Comparison::Changed
        );
        // A thorough look reads the contents even when the size and time agree.
        let mut same_size_and_time = identify(&path).unwrap();
        same_size_and_time.sha256 = recorded.sha256.clone();
        assert_eq!(
            compare(&path, &same_size_and_time, Look::Quick).unwrap(),
            Comparison::Same(same_size_and_time.clone())
        );
        assert_eq!(
            compare(&path, &same_size_and_time, Look::Thorough).unwrap(),
            Comparison::Changed
        );
    }

    #[test]
    fn same_size_other_contents_with_a_new_time_is_a_change() {
        let dir = batchdesk_test_support::temp_folder();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "id,text\n1,old\n").unwrap();
        let mut recorded = identify(&path).unwrap();
        std::fs::write(&path, "id,text\n1,new\n").unwrap();
        // Whatever the file system's time resolution, the recorded time differs.
        recorded.modified = Some("2000-01-01T00:00:00.000000000Z".to_owned());
        assert_eq!(
            compare(&path, &recorded, Look::Quick).unwrap(),
            Comparison::Changed
        );
    }
}
