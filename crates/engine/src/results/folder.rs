//! The files kept in a study's folder (`<app data>/results/<study>/`): their names, the
//! small JSON notes beside the downloads, reading the answers and the data back, and
//! writing a file into place so a failure never leaves half of one.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::ResultsError;
use crate::analysis::scorecard::TimeTaken;
use crate::analysis::{
    ExportContents, OriginalData, batch_layout, read_export_zip, read_responses_jsonl,
};
use crate::review_state::ReviewState;
use crate::text;
use crate::text::Text;

pub(super) const EXPORT: &str = "export.zip";
pub(super) const REPORT: &str = "report.csv";
pub(super) const META: &str = "downloaded.json";
/// The answers fetched through the API when the export could not be read: one record a
/// line, grouped by task.
pub(super) const FETCHED_RESPONSES: &str = "responses.jsonl";
/// The batch's layout fetched with them, for the questions' names.
pub(super) const FETCHED_LAYOUT: &str = "layout.json";
/// How long each finished submission took, for the participants' scorecard.
pub(super) const TIMES: &str = "times.json";
/// Which data column holds the right answers to which question (the researcher's word).
pub(super) const KNOWN: &str = "known-answers.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct DownloadRecord {
    pub(super) downloaded_at: String,
    /// Why the export could not be read, when the answers were fetched through the API
    /// instead (kept in `FETCHED_RESPONSES`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) export_unreadable: Option<String>,
    /// With `export_unreadable`: Prolific said it holds more answers than it sent.
    #[serde(default)]
    pub(super) fetched_possibly_truncated: bool,
}

/// A small JSON note kept in a study's folder (its download record, its pilots' and
/// second rounds' links); a missing or unreadable one reads as the default.
pub(super) fn read_note<T: serde::de::DeserializeOwned + Default>(folder: &Path, name: &str) -> T {
    std::fs::read(folder.join(name))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

pub(super) fn write_note<T: Serialize>(folder: &Path, name: &str, note: &T) -> std::io::Result<()> {
    let json = serde_json::to_vec(note).map_err(std::io::Error::other)?;
    std::fs::write(folder.join(name), json)
}

impl DownloadRecord {
    /// The study folder's record; a missing or unreadable one is an empty record.
    pub(super) fn read(folder: &Path) -> Self {
        read_note(folder, META)
    }

    pub(super) fn write(&self, folder: &Path) -> Result<(), ResultsError> {
        Ok(write_note(folder, META, self)?)
    }

    pub(super) fn answers_fetched(&self) -> bool {
        self.export_unreadable.is_some()
    }

    /// What the researcher is told when the answers did not come from the export.
    pub(super) fn notice(&self) -> Option<Text> {
        // The problem was said when the download was kept (in English, as it is stored).
        let problem = self.export_unreadable.as_deref()?;
        Some(if self.fetched_possibly_truncated {
            text!("checks:results.fetchedMaybeIncomplete", problem = problem)
        } else {
            text!("checks:results.fetched", problem = problem)
        })
    }
}

/// The answers and the questions' names: from the export, or from the answers fetched
/// through the API when the export could not be read.
pub(super) fn read_answers(
    folder: &Path,
    record: &DownloadRecord,
) -> Result<ExportContents, ResultsError> {
    if record.answers_fetched() {
        return read_fetched_answers(folder);
    }
    read_export_zip(BufReader::new(File::open(folder.join(EXPORT))?))
        .map_err(ResultsError::ExportUnreadable)
}

pub(super) fn read_fetched_answers(folder: &Path) -> Result<ExportContents, ResultsError> {
    let responses =
        read_responses_jsonl(BufReader::new(File::open(folder.join(FETCHED_RESPONSES))?))?;
    let mut layout = batch_layout(File::open(folder.join(FETCHED_LAYOUT))?)?;
    Ok(ExportContents {
        responses,
        question_names: std::mem::take(&mut layout.question_names),
        layout,
    })
}

pub(super) fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        done => done,
    }
}

/// The researcher's data as the folder's report gives it; `None` when no report was
/// downloaded.
pub(super) fn read_original(folder: &Path) -> Result<Option<OriginalData>, ResultsError> {
    match File::open(folder.join(REPORT)) {
        Ok(file) => Ok(Some(OriginalData::from_report_csv(BufReader::new(file))?)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error.into()),
    }
}

#[derive(Serialize, Deserialize)]
pub(super) struct SavedTime {
    pub(super) participant_id: String,
    pub(super) seconds: u64,
    /// Where the submission stood at the download, and after each review since.
    #[serde(default)]
    pub(super) state: Option<ReviewState>,
}

pub(super) fn read_saved_times(folder: &Path) -> Vec<SavedTime> {
    std::fs::read(folder.join(TIMES))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Vec<SavedTime>>(&bytes).ok())
        .unwrap_or_default()
}

/// The times kept at each download (`download::save_times`); none when a download from
/// before them is read.
pub(super) fn read_times(folder: &Path) -> Vec<TimeTaken> {
    read_saved_times(folder)
        .into_iter()
        .map(TimeTaken::from)
        .collect()
}

impl From<SavedTime> for TimeTaken {
    fn from(time: SavedTime) -> Self {
        Self {
            participant_id: time.participant_id,
            seconds: time.seconds,
        }
    }
}

/// Study ids are Prolific's hex ids; anything else is kept to safe characters.
pub(super) fn safe_folder_name(study_id: &str) -> String {
    study_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

pub(super) fn copy_into_place(source: &Path, destination: &Path) -> std::io::Result<()> {
    write_into_place(destination, File::open(source)?)
}

/// Writes `destination` through a temporary file beside it, renamed into place once
/// complete, so a failure never leaves half a file under the researcher's name.
pub(super) fn write_into_place(
    destination: &Path,
    mut content: impl std::io::Read,
) -> std::io::Result<()> {
    let folder = destination
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    std::io::copy(&mut content, &mut temporary)?;
    temporary
        .persist(destination)
        .map_err(|error| error.error)?;
    Ok(())
}
