//! A study's demographic export (API-NOTES §7.9): who took part, as Prolific's CSV, and
//! how much of the export's allowance the study has used. The deprecated
//! `GET /studies/{id}/export/` is never called.
//!
//! Prolific allows two different filter combinations per study; the same request may be
//! downloaded again as often as wanted. So repeating a request after a failure costs
//! nothing more than the first attempt, and it is retried like a read.

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{decode, encode, segment};
use crate::transport::{Failure, Safety};
use crate::{Client, ProlificError};

/// The most filters one demographic export takes (the spec's prose).
pub const MOST_DEMOGRAPHIC_EXPORT_FILTERS: usize = 15;
/// The most different filter combinations a study's demographic exports may use.
pub const MOST_DEMOGRAPHIC_EXPORT_COMBINATIONS: u32 = 2;

/// `GET /studies/{id}/demographic-export-history/`: how many different filter
/// combinations the study's exports used, and the latest one's filters.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct DemographicExportUsage {
    #[serde(default)]
    pub count: u32,
    #[serde(default)]
    pub filters: Vec<Value>,
}

impl DemographicExportUsage {
    /// How many more different combinations the study may still ask for.
    pub fn combinations_left(&self) -> u32 {
        MOST_DEMOGRAPHIC_EXPORT_COMBINATIONS.saturating_sub(self.count)
    }
}

#[derive(Serialize)]
struct ExportRequest<'a> {
    #[serde(skip_serializing_if = "<[Value]>::is_empty")]
    filters: &'a [Value],
}

impl Client {
    /// `POST /studies/{id}/demographic-export/`: the CSV of everyone who took part
    /// (Prolific's basic demographic fields; a column per filter given). Without filters
    /// only the basic fields come. More than
    /// [`MOST_DEMOGRAPHIC_EXPORT_FILTERS`] filters are refused here, before anything is
    /// sent.
    pub async fn demographic_export(
        &self,
        study_id: &str,
        filters: &[Value],
    ) -> Result<String, ProlificError> {
        if filters.len() > MOST_DEMOGRAPHIC_EXPORT_FILTERS {
            return Err(ProlificError::Validation {
                detail: Some(format!(
                    "A demographic export takes at most {MOST_DEMOGRAPHIC_EXPORT_FILTERS} filters."
                )),
                issues: Vec::new(),
                fields: Vec::new(),
            });
        }
        let url = self.base.join(&format!(
            "/api/v1/studies/{}/demographic-export/",
            segment(study_id)
        ));
        let body = encode(&ExportRequest { filters })?;
        let (status, bytes) = self
            .transport
            .execute(Safety::Idempotent, || {
                self.api(Method::POST, &url)
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone())
            })
            .await
            .map_err(Failure::into_api_error)?;
        csv_text(status.as_u16(), &bytes)
    }

    /// `GET /studies/{id}/demographic-export-history/`.
    pub async fn demographic_export_history(
        &self,
        study_id: &str,
    ) -> Result<DemographicExportUsage, ProlificError> {
        self.get_json(&format!(
            "/api/v1/studies/{}/demographic-export-history/",
            segment(study_id)
        ))
        .await
    }
}

/// The export's CSV: the body itself (the practice server's and, by the spec's prose,
/// Prolific's answer), or a JSON string holding it (the spec documents a JSON body).
/// Anything else is unexpected, never guessed at.
fn csv_text(status: u16, bytes: &[u8]) -> Result<String, ProlificError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ProlificError::Unexpected {
        status,
        detail: Some("the demographic export is not UTF-8 text".to_owned()),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().chars().next() {
        Some('"') => decode::<String>(status, text.as_bytes()),
        Some('{' | '[') => Err(ProlificError::Unexpected {
            status,
            detail: Some("the demographic export came as JSON without a CSV in it".to_owned()),
        }),
        _ => Ok(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::csv_text;

    #[test]
    fn the_csv_comes_as_text_or_as_a_json_string_and_nothing_else_is_guessed() {
        assert_eq!(
            csv_text(200, b"Participant id\na\n").unwrap(),
            "Participant id\na\n"
        );
        assert_eq!(
            csv_text(200, "\u{feff}Participant id\n".as_bytes()).unwrap(),
            "Participant id\n"
        );
        assert_eq!(
            csv_text(200, br#""Participant id\na\n""#).unwrap(),
            "Participant id\na\n"
        );
        assert!(csv_text(200, b"{}").is_err());
    }
}
