//! Bonuses (`/api/v1/submissions/bonus-payments/`, `/api/v1/bulk-bonus-payments/{id}/pay/`).
//!
//! Everywhere else money is whole minor units (pence, cents), and so is a
//! [`BonusAmount`]: it is built from minor units and only written out in major units
//! (`150` pence → `"1.50"`) for the one place Prolific wants them, the bonus CSV, by
//! integer arithmetic with the currency's own number of decimals (yen have none).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::numbers::{optional_whole, required_whole};

/// How many decimals the minor unit of `currency` (an ISO 4217 code, any case) has, for
/// the currencies Batchdesk knows; `None` for any other, so that an amount is never
/// written at a guessed scale.
pub fn currency_decimals(currency: &str) -> Option<u32> {
    const NONE: &[&str] = &["JPY", "KRW", "ISK", "CLP", "VND"];
    const TWO: &[&str] = &[
        "GBP", "USD", "EUR", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "ZAR",
        "SGD", "HKD", "MXN", "BRL", "INR",
    ];
    const THREE: &[&str] = &["BHD", "KWD", "OMR", "JOD", "TND"];
    let code = currency.trim().to_ascii_uppercase();
    let known = |list: &[&str]| list.contains(&code.as_str());
    if known(NONE) {
        Some(0)
    } else if known(TWO) {
        Some(2)
    } else if known(THREE) {
        Some(3)
    } else {
        None
    }
}

/// Why a [`BonusAmount`] cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BonusAmountError {
    #[error("a bonus of nothing")]
    Zero,
    #[error("unknown decimals of currency {currency}")]
    UnknownCurrency { currency: String },
}

/// One participant's bonus: a whole, positive number of minor units of a currency
/// Batchdesk knows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BonusAmount {
    minor: u64,
    currency: String,
    decimals: u32,
}

impl BonusAmount {
    /// `minor` units (pence, cents, yen) of `currency` (an ISO 4217 code, any case).
    pub fn from_minor(minor: u64, currency: &str) -> Result<Self, BonusAmountError> {
        let decimals =
            currency_decimals(currency).ok_or_else(|| BonusAmountError::UnknownCurrency {
                currency: currency.to_owned(),
            })?;
        if minor == 0 {
            return Err(BonusAmountError::Zero);
        }
        Ok(Self {
            minor,
            currency: currency.trim().to_ascii_uppercase(),
            decimals,
        })
    }

    /// In minor units, as made.
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The ISO 4217 code, upper case.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// How many decimals the currency's minor unit has.
    pub fn decimals(&self) -> u32 {
        self.decimals
    }

    /// In major units as Prolific's bonus CSV takes them, exactly: `150` GBP is
    /// `"1.50"`, `1` is `"0.01"`, `150` JPY is `"150"`.
    pub fn major(&self) -> String {
        if self.decimals == 0 {
            return self.minor.to_string();
        }
        let scale = 10_u64.pow(self.decimals);
        format!(
            "{}.{:0width$}",
            self.minor / scale,
            self.minor % scale,
            width = self.decimals as usize
        )
    }
}

/// `1.50 GBP`.
impl fmt::Display for BonusAmount {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} {}", self.major(), self.currency)
    }
}

/// The body of `POST /api/v1/submissions/bonus-payments/`.
#[derive(Serialize)]
pub(crate) struct NewBulkBonus<'a> {
    pub(crate) study_id: &'a str,
    /// `<participant or submission id>,<major units>\n` a bonus.
    pub(crate) csv_bonuses: String,
}

/// A bulk bonus as set up (`BulkBonus`): what it will cost, in minor units. Nothing is
/// paid until [`crate::Client::pay_bulk_bonus`]. The spec requires `id` and
/// `total_amount` only.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct BulkBonus {
    /// The id to pay it by.
    pub id: String,
    /// The study's id.
    #[serde(default)]
    pub study: Option<String>,
    /// What the participants receive in all.
    #[serde(default, deserialize_with = "optional_whole")]
    pub amount: Option<i64>,
    /// Prolific's fee on it.
    #[serde(default, deserialize_with = "optional_whole")]
    pub fees: Option<i64>,
    /// The VAT on the fee.
    #[serde(default, deserialize_with = "optional_whole")]
    pub vat: Option<i64>,
    /// What paying it takes from the balance, each time it is paid.
    #[serde(deserialize_with = "required_whole")]
    pub total_amount: i64,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn gbp(minor: u64) -> String {
        BonusAmount::from_minor(minor, "GBP").unwrap().major()
    }

    /// Reads major units back to minor units with integers only, as a check of `major`
    /// that shares none of its code.
    fn back_to_minor(major: &str, decimals: u32) -> u64 {
        let (whole, fraction) = major.split_once('.').unwrap_or((major, ""));
        assert_eq!(fraction.len(), decimals as usize, "{major}");
        assert!(!whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()));
        assert!(whole == "0" || !whole.starts_with('0'), "{major}");
        let whole: u64 = whole.parse().unwrap();
        let fraction: u64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().unwrap()
        };
        whole * 10_u64.pow(decimals) + fraction
    }

    #[test]
    fn minor_units_are_written_as_exact_major_units() {
        assert_eq!(gbp(1), "0.01");
        assert_eq!(gbp(10), "0.10");
        assert_eq!(gbp(99), "0.99");
        assert_eq!(gbp(100), "1.00");
        assert_eq!(gbp(101), "1.01");
        assert_eq!(gbp(150), "1.50");
        assert_eq!(gbp(3_000), "30.00");
        assert_eq!(gbp(12_345), "123.45");
        assert_eq!(gbp(100_000_000), "1000000.00");
        assert_eq!(gbp(u64::MAX), "184467440737095516.15");
        let usd = BonusAmount::from_minor(425, "usd").unwrap();
        assert_eq!((usd.major().as_str(), usd.currency()), ("4.25", "USD"));
        assert_eq!(usd.to_string(), "4.25 USD");
        assert_eq!(BonusAmount::from_minor(7, "EUR").unwrap().major(), "0.07");
    }

    #[test]
    fn currencies_without_decimals_or_with_three_are_written_at_their_scale() {
        let yen = |minor| BonusAmount::from_minor(minor, "JPY").unwrap().major();
        assert_eq!(yen(1), "1");
        assert_eq!(yen(10), "10");
        assert_eq!(yen(99), "99");
        assert_eq!(yen(100), "100");
        assert_eq!(yen(150), "150");
        assert_eq!(yen(12_345), "12345");
        let dinar = |minor| BonusAmount::from_minor(minor, "KWD").unwrap().major();
        assert_eq!(dinar(1), "0.001");
        assert_eq!(dinar(1_500), "1.500");
        assert_eq!(dinar(12_345), "12.345");
        assert_eq!(currency_decimals("jpy"), Some(0));
        assert_eq!(currency_decimals(" gbp "), Some(2));
    }

    #[test]
    fn nothing_and_unknown_currencies_are_refused() {
        assert_eq!(
            BonusAmount::from_minor(0, "GBP"),
            Err(BonusAmountError::Zero)
        );
        assert_eq!(
            BonusAmount::from_minor(0, "JPY"),
            Err(BonusAmountError::Zero)
        );
        for unknown in ["", "XXX", "POUNDS", "£"] {
            assert!(
                matches!(
                    BonusAmount::from_minor(100, unknown),
                    Err(BonusAmountError::UnknownCurrency { .. })
                ),
                "{unknown:?}"
            );
        }
        assert_eq!(BonusAmountError::Zero.to_string(), "a bonus of nothing");
    }

    #[test]
    fn every_amount_reads_back_as_itself() {
        // Every amount up to £1,000 and a spread above, in each scale: written, then
        // read back by other code, the same number of minor units.
        let spread = (0..64).map(|shift| (1_u64 << shift) | 1);
        let amounts: Vec<u64> = (1..=100_000).chain(spread).collect();
        for (currency, decimals) in [("GBP", 2), ("JPY", 0), ("KWD", 3)] {
            for &minor in &amounts {
                let amount = BonusAmount::from_minor(minor, currency).unwrap();
                assert_eq!(amount.decimals(), decimals);
                assert_eq!(
                    back_to_minor(&amount.major(), decimals),
                    minor,
                    "{currency} {minor}"
                );
            }
        }
    }

    #[test]
    fn a_bulk_bonus_reads_whole_minor_units() {
        let bonus: BulkBonus = serde_json::from_value(serde_json::json!({
            "id": "b1", "study": "s1", "amount": 150.0, "fees": 50, "vat": "10", "total_amount": 210
        }))
        .unwrap();
        assert_eq!(
            (bonus.amount, bonus.fees, bonus.vat, bonus.total_amount),
            (Some(150), Some(50), Some(10), 210)
        );
        let bare: BulkBonus =
            serde_json::from_value(serde_json::json!({"id": "b2", "total_amount": 7})).unwrap();
        assert_eq!((bare.study, bare.amount), (None, None));
        assert!(serde_json::from_value::<BulkBonus>(serde_json::json!({"id": "b3"})).is_err());
    }
}
