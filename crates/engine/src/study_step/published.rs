//! A draft study made earlier (saved as a draft, or by a test run) published from its
//! own page, at the price the researcher was shown and confirmed.

use batchdesk_prolific::models::{Study, StudyStatus};

use super::StudyStepError;
use super::launch::{LaunchOutcome, outcome};
use crate::account;
use crate::connection::Connections;
use crate::money_lock;
use crate::session::Session;
use crate::study::settings::PriceQuote;
use crate::study::terms::{Confirmation, ShownTerms};

/// What publishing a draft study would cost now: Prolific's cost calculator for its
/// reward and places, against the workspace's balance, with the fingerprint of the
/// draft's terms as Prolific shows them. A draft whose places Prolific does not give
/// cannot be priced, so it is refused rather than priced at nothing.
pub async fn quote_draft(
    connections: &Connections,
    study_id: &str,
) -> Result<PriceQuote, StudyStepError> {
    let session = Session::current(connections).await?;
    let study = session.client.study(study_id).await?;
    draft_quote(&session, &study).await
}

async fn draft_quote(session: &Session, study: &Study) -> Result<PriceQuote, StudyStepError> {
    let client = &session.client;
    let workspace = account::workspaces_of(session)
        .await?
        .chosen
        .ok_or(StudyStepError::NoWorkspace)?;
    let (Some(places), Some(reward)) = (
        study.total_available_places.filter(|places| *places > 0),
        study.reward,
    ) else {
        return Err(StudyStepError::Unpriced);
    };
    let total = client.study_cost(reward, places).await?;
    let balance = client.workspace_balance(&workspace).await?;
    let minor = |value: i64| u32::try_from(value.max(0)).unwrap_or(u32::MAX);
    let rewards = reward.saturating_mul(i64::try_from(places).unwrap_or(i64::MAX));
    Ok(PriceQuote {
        rewards: minor(rewards),
        fees_and_tax: minor(total - rewards),
        total: minor(total),
        available: minor(balance.available_balance),
        shortfall: minor(total - balance.available_balance),
        currency: balance.currency_code,
        fingerprint: draft_fingerprint(study),
    })
}

/// The fingerprint of a draft's terms as Prolific shows them, places included: what a
/// quote from the study's page names, and what publishing it checks again.
pub fn draft_fingerprint(study: &Study) -> String {
    let shown = ShownTerms::of(study);
    let text = serde_json::to_string(&(shown, study.total_available_places)).unwrap_or_default();
    crate::study::terms::digest(&text)
}

/// Publishes a draft study at what the researcher confirmed (from [`quote_draft`]): the
/// study is read and priced again first, and a different total or different terms (the
/// reward, the places, the audience… or Prolific's fees changed) are refused, so nothing
/// is spent that was not confirmed. Journaled like a launch: an answer lost after
/// publishing is found, never sent twice. One money action at a time.
pub async fn publish_draft(
    connections: &Connections,
    study_id: &str,
    confirmed: &Confirmation,
) -> Result<LaunchOutcome, StudyStepError> {
    let session = Session::current(connections).await?;
    let Session {
        mode,
        client,
        store,
    } = &session;
    let _one_at_a_time = money_lock::try_acquire(store, *mode)?;
    let launch = format!("study/{study_id}");
    let study = client.study(study_id).await?;
    if study.status.as_ref().is_some_and(StudyStatus::is_published) {
        store.journal(&launch, "publish", "done", Some(study_id))?;
        return Ok(outcome(&study));
    }
    let quote = draft_quote(&session, &study).await?;
    if quote.fingerprint != confirmed.fingerprint {
        return Err(StudyStepError::SettingsChanged);
    }
    super::payable_as_confirmed(&quote, confirmed.total)?;
    let detail =
        serde_json::json!({ "fingerprint": quote.fingerprint, "total": quote.total }).to_string();
    store.journal_with(&launch, "publish", "started", Some(study_id), &detail)?;
    let published = client.publish_study(study_id).await?;
    store.journal_with(&launch, "publish", "done", Some(study_id), &detail)?;
    Ok(outcome(&published))
}
