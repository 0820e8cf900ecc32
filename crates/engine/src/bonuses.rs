//! Bonuses on top of the reward, paid once whatever the clicks, crashes or lost answers.
//!
//! Prolific pays bonuses in two calls: one sets them up (nothing is paid; Prolific answers
//! the amount, its fee and VAT), the other pays them, and **paying the same set-up again
//! pays again**. So:
//! 1. [`set_up`] sends the amounts (in the study's currency, from minor units) and records
//!    the set-up in the journal with its total: this is the quote the researcher confirms;
//! 2. [`pay`] pays it only at the confirmed total, once: it journals "paying" before the
//!    call and "paid" after. A set-up already paid is answered as paid without a call. One
//!    left "paying" (the app killed in the call, or its answer lost) is settled by reading
//!    the participants' submissions: the bonuses there mean it was paid; without them it
//!    is not paid again (Prolific may still be carrying it out), and the researcher is
//!    told to check before setting up a new one.
//!
//! Bonuses for a second round's people, chosen on the first study's page (their answers
//! are merged there), are set up on the round's study, where they submitted; the set-up
//! is recorded under the page's study like any other, naming the study it was made on.

use std::collections::HashSet;

use batchdesk_prolific::models::BonusAmount;
use batchdesk_prolific::{BonusError, Client};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::account;
use crate::connection::{AccountMode, Connections};
use crate::error_code::{Coded, ErrorCode};
use crate::money_lock::{self, MoneyLockError};
use crate::session::{SessionError, session_error_from};
use crate::text;

/// One participant's bonus, in minor units of the study's currency (pence, cents).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BonusRow {
    pub participant_id: String,
    pub amount: u32,
}

/// A set-up waiting for the researcher's word: what it pays, and what it costs in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BonusQuote {
    pub bulk_bonus_id: String,
    /// The study the bonuses were set up on: the page's, or its second round's when
    /// they are for that round's people. Kept in the journal beside the quote (see
    /// [`detail`]), not shown; empty in set-ups recorded before it was kept (those were
    /// all made on the page's study).
    #[serde(skip)]
    pub study_id: String,
    pub rows: Vec<BonusRow>,
    /// The study's currency, which the amounts are in.
    pub currency: String,
    /// Minor units: what the participants receive, Prolific's fee, VAT, and the total
    /// taken from the balance (the total is what a confirmation names).
    #[specta(type = i32)]
    pub amount: i64,
    #[specta(type = i32)]
    pub fees: i64,
    #[specta(type = i32)]
    pub vat: i64,
    #[specta(type = i32)]
    pub total: i64,
    /// The workspace's balance when the bonuses were set up, in minor units; `None` in
    /// set-ups recorded before it was kept.
    #[serde(default)]
    #[specta(type = Option<i32>)]
    pub available: Option<i64>,
    /// The total and the balance in English. The UI formats the minor units for the
    /// researcher's locale instead; these stay because the journal keeps quotes with
    /// them, and `available_text` is the only balance older set-ups recorded.
    pub total_text: String,
    pub available_text: String,
    pub affordable: bool,
}

/// What happened to a payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BonusPaid {
    pub bulk_bonus_id: String,
    pub people: u32,
    /// What was taken from the balance, in minor units of `currency`.
    #[specta(type = i32)]
    pub total: i64,
    pub currency: String,
    /// Paid before this call (a second click, or an answer lost then found paid).
    pub already_paid: bool,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum BonusesError {
    #[error(transparent)]
    Session(#[from] SessionError),
    #[error(transparent)]
    OneAtATime(#[from] MoneyLockError),
    Bonus(#[from] BonusError),
    NoWorkspace,
    NothingToPay,
    NoCurrency,
    SeveralStudies,
    UnknownSetUp,
    /// Amounts in minor units of `currency`.
    TotalChanged {
        confirmed: i64,
        now: i64,
        currency: String,
    },
    /// The total in minor units of `currency`, the balance in `balance_currency`'s.
    Unaffordable {
        total: i64,
        currency: String,
        available: i64,
        balance_currency: String,
    },
    PaymentUnclear,
}

session_error_from!(BonusesError);

impl Coded for BonusesError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Session(error) => error.error_code(),
            Self::OneAtATime(error) => error.error_code(),
            Self::Bonus(error) => error.error_code(),
            Self::PaymentUnclear => ErrorCode::PaymentUnclear,
            Self::NothingToPay | Self::NoCurrency | Self::SeveralStudies => ErrorCode::Rejected,
            Self::NoWorkspace => ErrorCode::NoWorkspace,
            Self::UnknownSetUp | Self::TotalChanged { .. } => ErrorCode::PriceChanged,
            Self::Unaffordable { .. } => ErrorCode::InsufficientBalance,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Session(inner) => inner.text(),
            Self::OneAtATime(inner) => inner.text(),
            Self::Bonus(inner) => inner.text(),
            Self::NoWorkspace => text!("errors:bonuses.noWorkspace"),
            Self::NothingToPay => text!("errors:bonuses.nothingToPay"),
            Self::NoCurrency => text!("errors:bonuses.noCurrency"),
            Self::SeveralStudies => text!("errors:bonuses.severalStudies"),
            Self::UnknownSetUp => text!("errors:bonuses.unknownSetUp"),
            Self::TotalChanged {
                confirmed,
                now,
                currency,
            } => text!("errors:bonuses.totalChanged")
                .with_money("now", *now, currency)
                .with_money("confirmed", *confirmed, currency),
            Self::Unaffordable {
                total,
                currency,
                available,
                balance_currency,
            } => text!("errors:bonuses.unaffordable")
                .with_money("total", *total, currency)
                .with_money("available", *available, balance_currency),
            Self::PaymentUnclear => text!("errors:bonuses.paymentUnclear"),
        }
    }
}

fn launch_of(study_id: &str) -> String {
    format!("study/{study_id}")
}

/// Sets the bonuses up on Prolific (nothing is paid) and records the set-up: the total to
/// show the researcher for confirmation.
///
/// # Errors
/// Nothing to pay, no connection or workspace, a currency Prolific does not give, or
/// Prolific refusing a row (someone who did not take part, too many rows).
pub async fn set_up(
    connections: &Connections,
    study_id: &str,
    rows: &[BonusRow],
) -> Result<BonusQuote, BonusesError> {
    let rows: Vec<BonusRow> = rows.iter().filter(|row| row.amount > 0).cloned().collect();
    if rows.is_empty() {
        return Err(BonusesError::NothingToPay);
    }
    let (mode, client) = connections.client().await?;
    let paid_in = study_of(connections, &client, mode, study_id, &rows).await?;
    let study = client.study(&paid_in).await?;
    let currency = study
        .currency_code
        .clone()
        .or(study.presentment_currency_code.clone())
        .ok_or(BonusesError::NoCurrency)?;
    let amounts = rows
        .iter()
        .map(|row| {
            BonusAmount::from_minor(u64::from(row.amount), &currency)
                .map(|amount| (row.participant_id.clone(), amount))
                .map_err(|_| BonusesError::NoCurrency)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let bulk = client.create_bonus_payments(&paid_in, &amounts).await?;
    let amount = bulk
        .amount
        .unwrap_or_else(|| rows.iter().map(|row| i64::from(row.amount)).sum());
    let quote = quote_of(
        connections,
        &client,
        &currency,
        bulk.id,
        paid_in,
        rows,
        amount,
        bulk.fees,
        bulk.vat,
        bulk.total_amount,
    )
    .await?;
    connections.store().journal_with(
        &launch_of(study_id),
        "bonus",
        "set_up",
        Some(&quote.bulk_bonus_id),
        &detail(&quote),
    )?;
    Ok(quote)
}

#[allow(clippy::too_many_arguments)]
async fn quote_of(
    connections: &Connections,
    client: &Client,
    currency: &str,
    bulk_bonus_id: String,
    study_id: String,
    rows: Vec<BonusRow>,
    amount: i64,
    fees: Option<i64>,
    vat: Option<i64>,
    total: i64,
) -> Result<BonusQuote, BonusesError> {
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(BonusesError::NoWorkspace)?;
    let balance = client.workspace_balance(&workspace).await?;
    let money = |minor: i64| crate::text::money_from(minor, currency);
    Ok(BonusQuote {
        bulk_bonus_id,
        study_id,
        rows,
        currency: currency.to_owned(),
        amount,
        fees: fees.unwrap_or(0),
        vat: vat.unwrap_or(0),
        total,
        available: Some(balance.available_balance),
        total_text: money(total),
        available_text: money(balance.available_balance),
        affordable: total <= balance.available_balance,
    })
}

/// The set-ups of this study not paid (nor put aside) yet, oldest first: after a
/// restart, what the researcher had set up and not paid is still there to pay (once) or
/// put aside.
///
/// # Errors
/// When the store cannot be read.
pub fn pending(
    connections: &Connections,
    study_id: &str,
) -> Result<Vec<PendingBonus>, BonusesError> {
    let mut found = Vec::new();
    for (_, state) in all_recorded(connections, study_id)? {
        match state {
            Recorded::SetUp(quote) => found.push(PendingBonus {
                quote,
                unclear: false,
            }),
            Recorded::Paying(quote) => found.push(PendingBonus {
                quote,
                unclear: true,
            }),
            Recorded::NotSetUp | Recorded::Paid(_) | Recorded::PutAside => {}
        }
    }
    Ok(found)
}

/// A set-up not paid yet; `unclear` when a payment was asked for and its outcome is not
/// known (paying it again is refused until its bonuses show).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PendingBonus {
    pub quote: BonusQuote,
    pub unclear: bool,
}

/// Puts a set-up aside without paying it (it is never paid from here after this).
///
/// # Errors
/// When the store cannot be written.
pub fn put_aside(
    connections: &Connections,
    study_id: &str,
    bulk_bonus_id: &str,
) -> Result<(), BonusesError> {
    if let Recorded::SetUp(quote) = recorded(connections, study_id, bulk_bonus_id)? {
        connections.store().journal_with(
            &launch_of(study_id),
            "bonus",
            "put_aside",
            Some(bulk_bonus_id),
            &detail(&quote),
        )?;
    }
    Ok(())
}

/// Where a set-up stands in the journal.
enum Recorded {
    NotSetUp,
    SetUp(BonusQuote),
    Paying(BonusQuote),
    Paid(BonusQuote),
    PutAside,
}

fn recorded(
    connections: &Connections,
    study_id: &str,
    bulk_bonus_id: &str,
) -> Result<Recorded, BonusesError> {
    Ok(all_recorded(connections, study_id)?
        .into_iter()
        .find(|(id, _)| id == bulk_bonus_id)
        .map_or(Recorded::NotSetUp, |(_, state)| state))
}

/// Where each of the study's set-ups stands, in the order they were made: the journal
/// read once, each set-up's last line telling.
fn all_recorded(
    connections: &Connections,
    study_id: &str,
) -> Result<Vec<(String, Recorded)>, BonusesError> {
    let mut states: Vec<(String, Recorded)> = Vec::new();
    for entry in connections.store().journal_details(&launch_of(study_id))? {
        let (true, Some(id)) = (entry.step == "bonus", entry.remote_id) else {
            continue;
        };
        let Some(quote) = entry.detail.as_deref().and_then(read_detail) else {
            continue;
        };
        let state = match entry.state.as_str() {
            "set_up" => Recorded::SetUp(quote),
            "paying" => Recorded::Paying(quote),
            "paid" => Recorded::Paid(quote),
            "put_aside" => Recorded::PutAside,
            _ => continue,
        };
        match states.iter_mut().find(|(known, _)| *known == id) {
            Some((_, known)) => *known = state,
            None => states.push((id, state)),
        }
    }
    Ok(states)
}

/// Pays the bonuses set up as `bulk_bonus_id`, at the `confirmed_total` the researcher
/// saw, once.
///
/// # Errors
/// A set-up not made here, a changed total, too small a balance, another money action
/// under way, Prolific refusing, or a payment whose outcome cannot be told.
pub async fn pay(
    connections: &Connections,
    study_id: &str,
    bulk_bonus_id: &str,
    confirmed_total: i64,
) -> Result<BonusPaid, BonusesError> {
    let (mode, client) = connections.client().await?;
    let store = connections.store();
    let _one_at_a_time = money_lock::try_acquire(store, mode)?;
    let paid = |quote: &BonusQuote, already_paid: bool| BonusPaid {
        bulk_bonus_id: quote.bulk_bonus_id.clone(),
        people: u32::try_from(quote.rows.len()).unwrap_or(u32::MAX),
        total: quote.total,
        currency: quote.currency.clone(),
        already_paid,
    };
    let quote = match recorded(connections, study_id, bulk_bonus_id)? {
        Recorded::NotSetUp | Recorded::PutAside => return Err(BonusesError::UnknownSetUp),
        Recorded::Paid(quote) => return Ok(paid(&quote, true)),
        Recorded::Paying(quote) => {
            return if shows_paid(&client, paid_in(study_id, &quote), &quote).await? {
                store.journal_with(
                    &launch_of(study_id),
                    "bonus",
                    "paid",
                    Some(bulk_bonus_id),
                    &detail(&quote),
                )?;
                Ok(paid(&quote, true))
            } else {
                Err(BonusesError::PaymentUnclear)
            };
        }
        Recorded::SetUp(quote) => quote,
    };
    if quote.total != confirmed_total {
        return Err(BonusesError::TotalChanged {
            confirmed: confirmed_total,
            now: quote.total,
            currency: quote.currency.clone(),
        });
    }
    let workspace = account::workspaces(connections)
        .await?
        .chosen
        .ok_or(BonusesError::NoWorkspace)?;
    let balance = client.workspace_balance(&workspace).await?;
    if quote.total > balance.available_balance {
        return Err(BonusesError::Unaffordable {
            total: quote.total,
            currency: quote.currency.clone(),
            available: balance.available_balance,
            balance_currency: balance.currency_code.clone(),
        });
    }
    let launch = launch_of(study_id);
    store.journal_with(
        &launch,
        "bonus",
        "paying",
        Some(bulk_bonus_id),
        &detail(&quote),
    )?;
    match client.pay_bulk_bonus(bulk_bonus_id).await {
        Ok(_) => {}
        Err(BonusError::PaymentUnclear { .. }) => {
            if !shows_paid(&client, paid_in(study_id, &quote), &quote).await? {
                return Err(BonusesError::PaymentUnclear);
            }
        }
        Err(other) => {
            // Refused outright: nothing was paid, so it may be tried again.
            store.journal_with(
                &launch,
                "bonus",
                "set_up",
                Some(bulk_bonus_id),
                &detail(&quote),
            )?;
            return Err(other.into());
        }
    }
    store.journal_with(
        &launch,
        "bonus",
        "paid",
        Some(bulk_bonus_id),
        &detail(&quote),
    )?;
    Ok(paid(&quote, false))
}

/// The study a recorded set-up was made on (`study_id`, the page's, for set-ups
/// recorded before the quote named it).
fn paid_in<'a>(study_id: &'a str, quote: &'a BonusQuote) -> &'a str {
    if quote.study_id.is_empty() {
        study_id
    } else {
        &quote.study_id
    }
}

/// The study the people of `rows` took part in: `study_id`, or the one second round
/// of it all of them took part in. A study without second rounds is not looked into
/// (Prolific refuses a row of someone who did not take part).
async fn study_of(
    connections: &Connections,
    client: &Client,
    mode: AccountMode,
    study_id: &str,
    rows: &[BonusRow],
) -> Result<String, BonusesError> {
    let rounds = crate::results::second_rounds_of(connections.store(), mode, study_id)?;
    if rounds.is_empty() {
        return Ok(study_id.to_owned());
    }
    let mut studies: Vec<String> = Vec::new();
    let mut read: Vec<(String, HashSet<String>)> = Vec::new();
    for row in rows {
        let mut found = None;
        for candidate in std::iter::once(study_id).chain(rounds.iter().map(String::as_str)) {
            if !read.iter().any(|(id, _)| id == candidate) {
                let people = client
                    .submissions(candidate, None)
                    .await?
                    .items
                    .into_iter()
                    .filter_map(|submission| submission.participant_id)
                    .collect();
                read.push((candidate.to_owned(), people));
            }
            if read
                .iter()
                .any(|(id, people)| id == candidate && people.contains(&row.participant_id))
            {
                found = Some(candidate.to_owned());
                break;
            }
        }
        // Someone of no study here: Prolific's own refusal says so, on the page's study.
        let found = found.unwrap_or_else(|| study_id.to_owned());
        if !studies.contains(&found) {
            studies.push(found);
        }
    }
    match studies.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(BonusesError::SeveralStudies),
    }
}

/// The journal's name for the study a set-up was made on, beside the quote's fields.
const PAID_IN: &str = "paidIn";

/// The quote as the journal keeps it, with the study it was set up on (its own fields:
/// plain JSON cannot fail).
fn detail(quote: &BonusQuote) -> String {
    let mut value = serde_json::to_value(quote).unwrap_or_default();
    if let Some(fields) = value.as_object_mut() {
        fields.insert(PAID_IN.to_owned(), quote.study_id.clone().into());
    }
    value.to_string()
}

/// A quote as [`detail`] kept it.
fn read_detail(detail: &str) -> Option<BonusQuote> {
    let value: serde_json::Value = serde_json::from_str(detail).ok()?;
    let paid_in = value
        .get(PAID_IN)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut quote: BonusQuote = serde_json::from_value(value).ok()?;
    quote.study_id = paid_in;
    Some(quote)
}

/// Whether every participant of the set-up has a bonus of their amount on their
/// submission (read one by one: lists do not carry bonuses).
async fn shows_paid(
    client: &Client,
    study_id: &str,
    quote: &BonusQuote,
) -> Result<bool, BonusesError> {
    let submissions = client.submissions(study_id, None).await?.items;
    for row in &quote.rows {
        let Some(listed) = submissions.iter().find(|submission| {
            submission.participant_id.as_deref() == Some(row.participant_id.as_str())
        }) else {
            return Ok(false);
        };
        let submission = client.submission(&listed.id).await?;
        let has = submission
            .bonus_payments
            .unwrap_or_default()
            .contains(&i64::from(row.amount));
        if !has {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_up_recorded_before_the_balance_was_kept_in_minor_units_still_reads() {
        let older = r#"{"bulkBonusId":"bb1","rows":[{"participantId":"p1","amount":150}],
            "currency":"GBP","amount":150,"fees":50,"vat":10,"total":210,
            "totalText":"£2.10","availableText":"£962.20","affordable":true,"paidIn":"s1"}"#;
        let read = read_detail(older).map(|quote| {
            (
                quote.available,
                quote.available_text,
                quote.total,
                quote.study_id,
            )
        });
        assert_eq!(
            read,
            Some((None, "£962.20".to_owned(), 210, "s1".to_owned()))
        );
    }
}
