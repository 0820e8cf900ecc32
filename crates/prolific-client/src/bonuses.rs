//! Bonuses: set up for some of a study's participants, then paid (API-NOTES §13b).
//!
//! Setting up pays nothing, and Prolific has no list of bulk bonuses to look in, so it
//! is sent once: after an unclear failure the caller may set up again, and the bulk
//! bonus that may have been made is left unpaid, costing nothing.
//!
//! Paying is not idempotent on Prolific: paying the same bulk bonus twice pays twice.
//! So a pay call is never sent again after a failure that leaves open whether it was
//! carried out (a timeout, a dropped connection, a 5xx): that ends in
//! [`BonusError::PaymentUnclear`], for the caller to find out from the submissions'
//! `bonus_payments` ([`crate::Client::submission`]) before paying again. Only failures
//! that prove nothing was done (no connection made, 429) are retried.

use crate::client::{decode, encode, segment};
use crate::models::{BonusAmount, BulkBonus, NewBulkBonus};
use crate::transport::Failure;
use crate::{Client, ProlificError};

/// The most bonuses one bulk bonus takes (Prolific's recommended maximum); more are
/// set up in several.
pub const MOST_BONUSES_PER_REQUEST: usize = 200;

/// Why a bonus could not be set up or paid. `Display` is terse technical text for logs;
/// the app says these in its own words (the engine's `Coded` impl).
#[derive(Debug, thiserror::Error)]
pub enum BonusError {
    /// Prolific refused, could not be reached, or failed in a way that leaves nothing
    /// in doubt about money.
    #[error(transparent)]
    Prolific(#[from] ProlificError),
    /// The pay call failed after it may have reached Prolific: the bonuses may or may
    /// not have been paid. Paying again could pay twice.
    #[error("bulk bonus {bulk_bonus_id}: outcome unknown after {cause}")]
    PaymentUnclear {
        bulk_bonus_id: String,
        #[source]
        cause: ProlificError,
    },
    /// An amount is in another currency than the study pays in, or the study does not
    /// say which currency it pays in.
    #[error("bonuses in {bonus_currency}, study pays in {study_currency:?}")]
    CurrencyMismatch {
        study_currency: Option<String>,
        bonus_currency: String,
    },
    #[error("no bonuses")]
    NoBonuses,
    #[error("{count} bonuses, more than {MOST_BONUSES_PER_REQUEST} per request")]
    TooManyBonuses { count: usize },
    /// An id that is not a Prolific id (it would break the CSV Prolific reads).
    #[error("not a participant or submission id: {id:?}")]
    InvalidRecipient { id: String },
}

impl BonusError {
    /// A stable machine code, the same across versions, for the app to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Prolific(error) => error.code(),
            Self::PaymentUnclear { .. } => "bonus.payment_unclear",
            Self::CurrencyMismatch { .. } => "bonus.currency_mismatch",
            Self::NoBonuses => "bonus.none",
            Self::TooManyBonuses { .. } => "bonus.too_many",
            Self::InvalidRecipient { .. } => "bonus.invalid_recipient",
        }
    }
}

/// Whether `id` can stand in a CSV row as it is: Prolific's ids are hex or UUIDs.
fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// The `csv_bonuses` text: `<id>,<major units>\n` a bonus.
fn csv_bonuses(rows: &[(String, BonusAmount)]) -> String {
    rows.iter()
        .map(|(id, amount)| format!("{id},{}\n", amount.major()))
        .collect()
}

impl Client {
    /// `POST /api/v1/submissions/bonus-payments/` (201): sets up a bonus for each row,
    /// a participant's or a submission's id and the amount, for `study_id`. Nothing is
    /// paid until [`Self::pay_bulk_bonus`]. The study is read first: every amount must
    /// be in the currency it pays in, since Prolific reads the amounts in that currency.
    /// Sent once (see the module's notes).
    pub async fn create_bonus_payments(
        &self,
        study_id: &str,
        rows: &[(String, BonusAmount)],
    ) -> Result<BulkBonus, BonusError> {
        if rows.is_empty() {
            return Err(BonusError::NoBonuses);
        }
        if rows.len() > MOST_BONUSES_PER_REQUEST {
            return Err(BonusError::TooManyBonuses { count: rows.len() });
        }
        if let Some((id, _)) = rows.iter().find(|(id, _)| !is_plain_id(id)) {
            return Err(BonusError::InvalidRecipient { id: id.clone() });
        }
        let study = self.study(study_id).await?;
        let study_currency = study
            .currency_code
            .or(study.presentment_currency_code)
            .map(|code| code.trim().to_ascii_uppercase());
        if let Some((_, amount)) = rows
            .iter()
            .find(|(_, amount)| study_currency.as_deref() != Some(amount.currency()))
        {
            return Err(BonusError::CurrencyMismatch {
                study_currency,
                bonus_currency: amount.currency().to_owned(),
            });
        }
        let body = encode(&NewBulkBonus {
            study_id,
            csv_bonuses: csv_bonuses(rows),
        })?;
        let url = self.base.join("/api/v1/submissions/bonus-payments/");
        let answer = self
            .post_once(&url, Some(&body))
            .await
            .map_err(Failure::into_api_error)?;
        Ok(decode(201, &answer)?)
    }

    /// `POST /api/v1/bulk-bonus-payments/{id}/pay/` (202): pays the bulk bonus from the
    /// workspace's balance; answers Prolific's sentence. Never sent twice: a failure
    /// after which it may have been paid is [`BonusError::PaymentUnclear`].
    pub async fn pay_bulk_bonus(&self, bulk_bonus_id: &str) -> Result<String, BonusError> {
        let url = self.base.join(&format!(
            "/api/v1/bulk-bonus-payments/{}/pay/",
            segment(bulk_bonus_id)
        ));
        match self.post_once(&url, None).await {
            // The spec says a JSON string; plain text is taken as it comes.
            Ok(answer) => Ok(serde_json::from_slice::<String>(&answer)
                .unwrap_or_else(|_| String::from_utf8_lossy(&answer).into_owned())),
            Err(failure) if failure.is_ambiguous() => {
                tracing::warn!(
                    bulk_bonus_id,
                    "a bonus payment failed unclearly; it is not sent again"
                );
                Err(BonusError::PaymentUnclear {
                    bulk_bonus_id: bulk_bonus_id.to_owned(),
                    cause: failure.into_api_error(),
                })
            }
            Err(failure) => Err(BonusError::Prolific(failure.into_api_error())),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn rows_are_written_one_line_each_in_major_units() {
        let rows = vec![
            (
                "60ffe5c8371090c7041d43f8".to_owned(),
                BonusAmount::from_minor(425, "GBP").unwrap(),
            ),
            (
                "60ffe5c8371090c7041d43f9".to_owned(),
                BonusAmount::from_minor(3_000, "GBP").unwrap(),
            ),
        ];
        assert_eq!(
            csv_bonuses(&rows),
            "60ffe5c8371090c7041d43f8,4.25\n60ffe5c8371090c7041d43f9,30.00\n"
        );
    }

    #[test]
    fn only_plain_ids_may_stand_in_a_row() {
        assert!(is_plain_id("60ffe5c8371090c7041d43f8"));
        assert!(is_plain_id("0192a3b5-e8f9-7a0b-8c1d-2e3f4a5b6c7d"));
        for bad in ["", "a,b", "a\nb", "a b", "a\"", "a;b", "é"] {
            assert!(!is_plain_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn each_error_has_its_code_and_a_display_for_logs() {
        let unclear = BonusError::PaymentUnclear {
            bulk_bonus_id: "b1".into(),
            cause: ProlificError::ProlificFailing { status: 502 },
        };
        assert_eq!(unclear.code(), "bonus.payment_unclear");
        assert_eq!(
            unclear.to_string(),
            "bulk bonus b1: outcome unknown after 502: Prolific failing"
        );
        let mismatch = BonusError::CurrencyMismatch {
            study_currency: Some("USD".into()),
            bonus_currency: "GBP".into(),
        };
        assert_eq!(
            mismatch.to_string(),
            "bonuses in GBP, study pays in Some(\"USD\")"
        );
        assert_eq!(
            BonusError::from(ProlificError::InvalidToken).code(),
            "prolific.invalid_token"
        );
        assert_eq!(
            BonusError::TooManyBonuses { count: 201 }.code(),
            "bonus.too_many"
        );
    }
}
