//! The app's only way to Prolific, real or practice.
//!
//! - [`Client`]: one per API and token; account calls in `client.rs`, datasets in
//!   `datasets.rs`, batches in `batches.rs` (copies and task groups in
//!   `batch_copies.rs`; the legacy instructions endpoints, sunset on 2026-09-01, are
//!   never called), a batch's responses, report and export in `results.rs`, studies and
//!   test runs in
//!   `studies.rs`, submissions in `submissions.rs`, filters, eligibility and costs in
//!   `targeting.rs`, participant groups (a pilot's people kept out of the full study)
//!   in `participant_groups.rs`, bonuses (set up, then paid once) in `bonuses.rs`,
//!   messages to participants in `messages.rs`, a study's demographic export (who took
//!   part) in `demographics.rs`, file transfers in `transfer.rs`, waiting
//!   for slow work in
//!   `polling.rs`, whole lists read page by page in `paging.rs`; typed, lenient
//!   answers in [`models`].
//! - `transport.rs`: timeouts, retries (backoff with full jitter, a budget of attempts
//!   and time, `Retry-After`), and deprecation notes ([`Client::warnings`]). Only what
//!   is safe to repeat is repeated; a create is repeated only after checking that the
//!   earlier attempt made nothing; a payment or a message, which cannot be checked for,
//!   is never repeated after an unclear failure.
//! - [`ApiToken`] never shows in logs or errors, and never goes to file storage;
//!   [`ApiBase`] allows plain `http` only on loopback; [`ProlificError`] and
//!   [`TransferError`] say what went wrong in plain language.

mod base;
mod batch_copies;
mod batches;
mod bonuses;
mod client;
mod datasets;
mod demographics;
mod error;
mod messages;
pub mod models;
mod paging;
mod participant_groups;
mod polling;
mod results;
mod studies;
mod submissions;
mod targeting;
mod token;
mod transfer;
mod transport;

pub use base::{ApiBase, BaseUrlError};
pub use batch_copies::preview_url;
pub use bonuses::{BonusError, MOST_BONUSES_PER_REQUEST};
pub use client::Client;
pub use demographics::{
    DemographicExportUsage, MOST_DEMOGRAPHIC_EXPORT_COMBINATIONS, MOST_DEMOGRAPHIC_EXPORT_FILTERS,
};
pub use error::{BatchItemIssue, ProlificError};
pub use polling::PollPolicy;
pub use token::ApiToken;
pub use transfer::{Progress, TransferError, UploadReceipt};
pub use transport::{ApiWarning, ClientOptions, Clock, RetryPolicy, TokioClock};
