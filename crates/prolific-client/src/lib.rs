//! The app's only way to Prolific, real or practice.
//!
//! - [`Client`]: one per API and token; account calls in `client.rs`, datasets in
//!   `datasets.rs`, batches in `batches.rs`, file transfers in `transfer.rs`.
//! - `transport.rs`: timeouts, retries with backoff and `Retry-After`, deprecation notes.
//! - [`ApiToken`] never shows in logs or errors; [`ApiBase`] allows plain `http` only on
//!   loopback; [`ProlificError`] says what went wrong in plain language.

mod base;
mod batches;
mod client;
mod datasets;
mod error;
pub mod models;
mod polling;
mod token;
mod transfer;
mod transport;

pub use base::{ApiBase, BaseUrlError};
pub use client::Client;
pub use error::{BatchItemIssue, ProlificError};
pub use polling::PollPolicy;
pub use token::ApiToken;
pub use transfer::{Progress, TransferError, UploadReceipt};
pub use transport::{ApiWarning, ClientOptions, Clock, RetryPolicy, TokioClock};
