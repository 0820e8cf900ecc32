//! Sample spreadsheets built into the app, so a researcher can rehearse the whole flow in
//! practice mode without a file of their own. Each is one of the test samples in
//! `samples/` (see its README), compiled in; choosing one writes it into the app's
//! folder and from there it goes the way of any chosen file (checked, fixed, uploaded).

use std::path::{Path, PathBuf};

use serde::Serialize;
use specta::Type;

use crate::data_file::DataFileError;
use crate::held_files::{HeldFile, HeldFiles};

/// A sample as the data step lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SampleSpreadsheet {
    pub id: &'static str,
    pub file_name: &'static str,
    pub title: &'static str,
    /// One line on what it shows.
    pub shows: &'static str,
}

struct Sample {
    listed: SampleSpreadsheet,
    bytes: &'static [u8],
}

const SAMPLES: &[Sample] = &[
    Sample {
        listed: SampleSpreadsheet {
            id: "reviews",
            file_name: "reviews.csv",
            title: "Product reviews",
            shows: "24 short reviews, ready as they are: the quickest way through a sentiment task.",
        },
        bytes: include_bytes!("../samples/reviews.csv"),
    },
    Sample {
        listed: SampleSpreadsheet {
            id: "reviews-known",
            file_name: "reviews-known-answers.csv",
            title: "Reviews with some answers known",
            shows: "The same reviews, twelve with their right sentiment in a hidden column: to see who answers with care.",
        },
        bytes: include_bytes!("../samples/reviews-known-answers.csv"),
    },
    Sample {
        listed: SampleSpreadsheet {
            id: "reviews-excel",
            file_name: "reviews-excel-semicolon-bom.csv",
            title: "The same reviews, saved by a European Excel",
            shows: "Semicolons and a byte order mark: see Batchdesk explain them and fix a copy.",
        },
        bytes: include_bytes!("../samples/reviews-excel-semicolon-bom.csv"),
    },
    Sample {
        listed: SampleSpreadsheet {
            id: "pairwise",
            file_name: "pairwise-preference.csv",
            title: "Two answers to compare",
            shows: "A prompt and two responses per row, with line breaks inside cells: for an A-versus-B task.",
        },
        bytes: include_bytes!("../samples/pairwise-preference.csv"),
    },
    Sample {
        listed: SampleSpreadsheet {
            id: "images",
            file_name: "images.csv",
            title: "Pictures to label",
            shows: "Image links, one of them plain http and one not a link at all: for an image labelling task.",
        },
        bytes: include_bytes!("../samples/images.csv"),
    },
];

/// The samples the data step offers, in the order shown.
pub fn list() -> Vec<SampleSpreadsheet> {
    SAMPLES.iter().map(|sample| sample.listed.clone()).collect()
}

/// Writes the sample `id` into `folder` (see [`write_sample`]) and hands it to the UI
/// behind a handle, to be checked like a chosen file.
pub fn open_sample(files: &HeldFiles, folder: &Path, id: &str) -> Result<HeldFile, DataFileError> {
    Ok(files.hold(write_sample(folder, id)?))
}

/// Writes the sample `id` into `folder` (made if missing) under its own name and answers
/// its path. A copy already there with other contents (the researcher may have edited
/// it) is replaced, so a sample is always what it says it is.
pub fn write_sample(folder: &Path, id: &str) -> Result<PathBuf, DataFileError> {
    let sample = SAMPLES
        .iter()
        .find(|sample| sample.listed.id == id)
        .ok_or_else(|| DataFileError::UnknownSample { id: id.to_owned() })?;
    let path = folder.join(sample.listed.file_name);
    if std::fs::read(&path).is_ok_and(|on_disk| on_disk == sample.bytes) {
        return Ok(path);
    }
    std::fs::create_dir_all(folder).map_err(DataFileError::SampleNotWritten)?;
    // Written beside, then renamed: a half-written sample is never read.
    let partial = folder.join(format!(".{}.partial", sample.listed.file_name));
    std::fs::write(&partial, sample.bytes).map_err(DataFileError::SampleNotWritten)?;
    std::fs::rename(&partial, &path).map_err(DataFileError::SampleNotWritten)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::csv_doctor::{InspectOptions, inspect};

    #[test]
    fn each_sample_is_written_whole_and_reads_as_a_spreadsheet() {
        let folder = batchdesk_test_support::temp_folder();
        for sample in list() {
            let path = write_sample(folder.path(), sample.id).unwrap();
            assert_eq!(path.file_name().unwrap(), sample.file_name);
            let source = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("samples")
                .join(sample.file_name);
            assert_eq!(
                std::fs::read(&path).unwrap(),
                std::fs::read(source).unwrap()
            );
            let report = inspect(&path, &InspectOptions::default()).unwrap();
            assert!(report.row_count > 0, "{}: no rows", sample.id);
        }
    }

    #[test]
    fn an_edited_copy_is_put_back_and_an_unknown_sample_is_refused() {
        let folder = batchdesk_test_support::temp_folder();
        let path = write_sample(folder.path(), "reviews").unwrap();
        std::fs::write(&path, "id,text\n1,changed\n").unwrap();
        assert_eq!(write_sample(folder.path(), "reviews").unwrap(), path);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .starts_with("id,review_text")
        );
        let error = write_sample(folder.path(), "../../etc/passwd").unwrap_err();
        assert!(
            matches!(error, DataFileError::UnknownSample { .. }),
            "{error}"
        );
    }
}
