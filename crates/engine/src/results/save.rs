//! The downloads the researcher saves: Prolific's report and export as they came, the
//! raw responses, the tidy CSV with its column guide (the reproducibility package is
//! written by `package`), each written into place only once complete.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use super::folder::{EXPORT, FETCHED_RESPONSES, REPORT, copy_into_place, write_into_place};
use super::{DownloadKind, Results, ResultsError, SavedFile};
use crate::analysis::{find_export_members, open_export_zip};

impl Results {
    /// Writes one of the downloads to `destination` (replacing it only once complete).
    ///
    /// # Errors
    /// When the results were never downloaded, or the file cannot be written.
    pub async fn save(
        &self,
        study_id: &str,
        kind: DownloadKind,
        destination: &Path,
    ) -> Result<SavedFile, ResultsError> {
        if kind == DownloadKind::Package {
            return self.save_package(None, study_id, destination).await;
        }
        let loaded = self.loaded_or_read(study_id).await?;
        let folder = self.folder(study_id);
        let destination = destination.to_owned();
        let written = tokio::task::spawn_blocking(
            move || -> Result<(PathBuf, Option<PathBuf>), ResultsError> {
                match kind {
                    DownloadKind::Report => copy_into_place(&folder.join(REPORT), &destination)?,
                    DownloadKind::Export => copy_into_place(&folder.join(EXPORT), &destination)?,
                    DownloadKind::Responses if loaded.answers_fetched => {
                        copy_into_place(&folder.join(FETCHED_RESPONSES), &destination)?;
                    }
                    DownloadKind::Responses => {
                        extract_responses(&folder.join(EXPORT), &destination)?
                    }
                    DownloadKind::Package => {
                        return Err(ResultsError::Io(std::io::Error::other(
                            "the reproducibility package is written by save_package",
                        )));
                    }
                    DownloadKind::Tidy => {
                        let guide = loaded.write_tidy_with_guide(&destination)?;
                        return Ok((destination, Some(guide)));
                    }
                }
                Ok((destination, None))
            },
        )
        .await
        .map_err(std::io::Error::other)??;
        let (written, guide) = written;
        let bytes = std::fs::metadata(&written)?.len();
        Ok(SavedFile {
            path: written.display().to_string(),
            bytes,
            guide: guide.map(|guide| guide.display().to_string()),
        })
    }
}

/// The raw responses file of the export, as it is.
fn extract_responses(export: &Path, destination: &Path) -> Result<(), ResultsError> {
    let mut archive = open_export_zip(BufReader::new(File::open(export)?))?;
    let members = find_export_members(&archive)?;
    let responses = crate::analysis::export::member(&mut archive, &members.responses)?;
    write_into_place(destination, responses)?;
    Ok(())
}
