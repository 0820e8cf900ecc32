//! The app's only way to Prolific, real or practice.
//!
//! This first cut holds the parts every later call rests on: the redacting [`ApiToken`],
//! the [`ApiBase`] rule (plain `http` only on loopback), one HTTP client built once, the
//! typed [`ProlificError`], and `users/me`. The Prolific client issue (4) adds every other
//! endpoint, retries with backoff, pagination and streamed transfers.

mod base;
mod client;
mod error;
pub mod models;
mod token;

pub use base::{ApiBase, BaseUrlError};
pub use client::Client;
pub use error::ProlificError;
pub use token::ApiToken;
