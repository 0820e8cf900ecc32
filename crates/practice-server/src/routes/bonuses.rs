//! Bonuses: `POST /api/v1/submissions/bonus-payments/` sets up a bulk bonus for some of
//! a study's participants (nothing is paid), `POST /api/v1/bulk-bonus-payments/{id}/pay/`
//! pays it from the workspace's balance. Classic endpoints, so paths end with a slash.
//!
//! The rows come as CSV text, `<participant or submission id>,<amount>` a line, the
//! amount in the study currency's **major** units (`1.50` is £1.50), unlike rewards.
//! Each row must name someone who took part in the study; every refused row is named
//! in the 400 (`detail.csv_bonuses`, one message a row, counted from 1). The bulk bonus
//! answers its amounts in minor units with the fee and VAT charged as on study costs
//! (`model::fees_and_vat`).
//!
//! Paying pays every time it is asked: paying the same bulk bonus twice takes its total
//! from the balance twice and adds each bonus to its submission's `bonus_payments`
//! twice, as Prolific documents. Prolific pays in the background within minutes; here
//! the payment is made before the 202 is answered, so a test reads it at once.
//!
//! Where the spec leaves it open, the stricter side:
//! - an amount is digits with at most as many decimals as the currency has (`1.5` and
//!   `1.50` are £1.50; `1.505`, `1,50`, `£1.50`, `-1`, `1e2` and zero are refused);
//! - at most 200 rows a bulk bonus (the spec's recommended maximum), and at least one
//!   (a blank `csv_bonuses` is refused);
//! - one row per person: a participant named twice, or by both their participant id
//!   and their submission id, is refused;
//! - a bulk bonus that the available balance (what published studies have not locked)
//!   cannot cover is refused when paid, and nothing is paid.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::json;

use super::{Route, Verb, route};
use crate::ServerState;
use crate::body::{FieldReader, JsonBody};
use crate::clock::Moment;
use crate::error::{ApiError, ApiResult, FieldErrors};
use crate::model::{BonusRow, BulkBonus, Study, fees_and_vat};

const CREATE: &str = "/api/v1/submissions/bonus-payments/";
const PAY: &str = "/api/v1/bulk-bonus-payments/{id}/pay/";

/// The most rows one bulk bonus takes here (the spec's recommended maximum).
const MOST_ROWS: usize = 200;

pub(super) fn routes() -> Vec<Route> {
    vec![
        route(Verb::Post, CREATE, StatusCode::CREATED, create),
        route(Verb::Post, PAY, StatusCode::ACCEPTED, pay),
    ]
}

/// How many decimals an amount in `currency` has. The practice workspaces are in GBP
/// or USD; the others are here so that an amount is never read at the wrong scale.
fn decimals(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "ISK" | "CLP" | "VND" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" => 3,
        _ => 2,
    }
}

/// An amount in major units (`"1.50"`) as minor units (150), or why it cannot be one.
fn minor_units(text: &str, decimals: u32, currency: &str) -> Result<i64, String> {
    if text.is_empty() {
        return Err("no amount is given".to_owned());
    }
    if text.starts_with('-') {
        return Err(format!("the amount {text} is below zero"));
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let digits_only =
        |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    if !digits_only(whole) || fraction.is_some_and(|fraction| !digits_only(fraction)) {
        return Err(format!(
            "the amount {text} is not a number in {currency} like 1.50"
        ));
    }
    let fraction = fraction.unwrap_or_default();
    let places = u32::try_from(fraction.len()).unwrap_or(u32::MAX);
    if places > decimals {
        return Err(if decimals == 0 {
            format!("the amount {text} has decimals, which {currency} does not have")
        } else {
            format!("the amount {text} has more than {decimals} decimals")
        });
    }
    let scale = 10_i64.pow(decimals);
    let padded = format!("{fraction:0<width$}", width = decimals as usize);
    let minor = whole
        .parse::<i64>()
        .ok()
        .and_then(|whole| whole.checked_mul(scale))
        .and_then(|whole| {
            let fraction = if padded.is_empty() {
                0
            } else {
                padded.parse::<i64>().ok()?
            };
            whole.checked_add(fraction)
        })
        .ok_or_else(|| format!("the amount {text} is too large"))?;
    if minor == 0 {
        return Err(format!("the amount {text} is zero; a bonus must be more"));
    }
    Ok(minor)
}

/// The rows of `csv_bonuses` for `study`, or a message for each row refused.
fn read_rows(csv: &str, study: &Study, currency: &str) -> Result<Vec<BonusRow>, Vec<String>> {
    let decimals = decimals(currency);
    let lines = csv
        .split('\n')
        .filter(|line| !line.trim().is_empty())
        .count();
    if lines > MOST_ROWS {
        return Err(vec![format!(
            "Send at most {MOST_ROWS} bonuses in one request ({lines} were sent)."
        )]);
    }
    let mut rows: Vec<BonusRow> = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in csv.split('\n').enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [id, amount] = fields.as_slice() else {
            problems.push(format!(
                "Row {number} ({line}): write the participant or submission id, a comma and the amount."
            ));
            continue;
        };
        let submission = study
            .visible_submissions()
            .find(|submission| submission.id == *id || submission.participant_id == *id);
        let amount = minor_units(amount, decimals, currency);
        match (submission, amount) {
            (None, _) => problems.push(format!(
                "Row {number} ({id}): no participant or submission with this id took part in this study."
            )),
            (Some(_), Err(why)) => problems.push(format!("Row {number} ({id}): {why}.")),
            (Some(submission), Ok(_))
                if rows.iter().any(|row| row.submission_id == submission.id) =>
            {
                problems.push(format!(
                    "Row {number} ({id}): this participant already has a bonus in an earlier row."
                ));
            }
            (Some(submission), Ok(amount)) => rows.push(BonusRow {
                submission_id: submission.id.clone(),
                amount,
            }),
        }
    }
    // A text without a row is blank, which the field's reading refused already.
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

/// `POST /api/v1/submissions/bonus-payments/` with `study_id` and `csv_bonuses`;
/// answers the `BulkBonus` with 201. Nothing is paid.
async fn create(State(state): State<Arc<ServerState>>, JsonBody(body): JsonBody) -> ApiResult {
    let mut errors = FieldErrors::default();
    let mut fields = FieldReader::new(&body, &mut errors);
    let study_id = fields.required_string("study_id");
    let csv = fields.required_string("csv_bonuses");
    errors.into_result()?;
    let (Some(study_id), Some(csv)) = (study_id, csv) else {
        return Err(ApiError::bad_request("The bonuses could not be read."));
    };
    let mut store = state.store();
    let Some(study) = store.study(&study_id) else {
        let mut errors = FieldErrors::default();
        errors.add("study_id", format!("No study with the id {study_id}."));
        return Err(errors.into());
    };
    let currency = store
        .workspace(&study.workspace_id)
        .map_or("GBP", |workspace| workspace.currency_code.as_str());
    let rows = read_rows(&csv, study, currency).map_err(|problems| {
        let mut errors = FieldErrors::default();
        for problem in problems {
            errors.add("csv_bonuses", problem);
        }
        ApiError::from(errors)
    })?;
    let amount = rows.iter().map(|row| row.amount).sum::<i64>();
    let (fees, vat) = fees_and_vat(amount);
    let bonus = BulkBonus {
        id: crate::ids::object_id(),
        study_id: study.id.clone(),
        workspace_id: study.workspace_id.clone(),
        rows,
        amount,
        fees,
        vat,
        total: amount + fees + vat,
        created_at: Moment::now(),
        paid_at: Vec::new(),
    };
    let answer = bonus.to_json();
    store.bulk_bonuses.push(bonus);
    Ok(Json(answer))
}

/// `POST /api/v1/bulk-bonus-payments/{id}/pay/`: takes the bulk bonus's total from the
/// workspace's balance and adds each bonus to its submission, every time it is called;
/// 202 with a sentence. 400 when the available balance cannot cover it (nothing paid),
/// 404 for an unknown id.
async fn pay(State(state): State<Arc<ServerState>>, Path(id): Path<String>) -> ApiResult {
    let mut store = state.store();
    let Some(index) = store.bulk_bonuses.iter().position(|bonus| bonus.id == id) else {
        return Err(ApiError::not_found("Bulk bonus payment"));
    };
    let bonus = store.bulk_bonuses[index].clone();
    let workspace = store
        .workspaces
        .iter_mut()
        .find(|workspace| workspace.id == bonus.workspace_id)
        .ok_or_else(|| ApiError::not_found("Workspace"))?;
    let available = workspace.available();
    if available < bonus.total {
        return Err(ApiError::bad_request(format!(
            "You do not have enough funds to pay these bonuses. They cost {} and {available} is available (minor units); top up your workspace balance.",
            bonus.total
        )));
    }
    workspace.spend(bonus.total);
    if let Some(study) = store
        .studies
        .iter_mut()
        .find(|study| study.id == bonus.study_id)
    {
        for row in &bonus.rows {
            if let Some(submission) = study
                .submissions
                .iter_mut()
                .find(|submission| submission.id == row.submission_id)
            {
                submission.bonus_payments.push(row.amount);
            }
        }
    }
    store.bulk_bonuses[index].paid_at.push(Moment::now());
    Ok(Json(json!(format!(
        "The bonuses are being paid ({} in all).",
        bonus.rows.len()
    ))))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn amounts_in_major_units_read_exactly_as_minor_units() {
        let gbp = |text: &str| minor_units(text, 2, "GBP");
        assert_eq!(gbp("1.50"), Ok(150));
        assert_eq!(gbp("1.5"), Ok(150));
        assert_eq!(gbp("30"), Ok(3_000));
        assert_eq!(gbp("0.01"), Ok(1));
        assert_eq!(gbp("123.45"), Ok(12_345));
        assert_eq!(gbp("007.10"), Ok(710));
        for refused in [
            "",
            "0",
            "0.00",
            "-1",
            "-0.50",
            "1.505",
            "1,50",
            "£1.50",
            "1e2",
            ".5",
            "1.",
            "1.2.3",
            "+1",
            " ",
            "1 000",
            "99999999999999999999",
        ] {
            assert!(gbp(refused).is_err(), "{refused:?} is refused");
        }
        assert!(gbp("1.505").unwrap_err().contains("more than 2 decimals"));
        assert!(gbp("0").unwrap_err().contains("zero"));
        assert!(gbp("-1").unwrap_err().contains("below zero"));
        let jpy = |text: &str| minor_units(text, 0, "JPY");
        assert_eq!(jpy("150"), Ok(150));
        assert!(jpy("1.5").unwrap_err().contains("JPY does not have"));
        assert_eq!(minor_units("1.234", 3, "KWD"), Ok(1_234));
        assert_eq!(decimals("GBP"), 2);
        assert_eq!(decimals("JPY"), 0);
    }
}
