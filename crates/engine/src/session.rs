//! A session: the account mode, its client and the local store, taken once per call and
//! handed to what the call runs, so no step asks the connection for them again.

use batchdesk_prolific::{Client, ProlificError};

use crate::connection::{AccountMode, ConnectError, Connections};
use crate::error_code::{Coded, ErrorCode};
use crate::store::{Store, StoreError};
use crate::text;

/// What one call works with: practice or Prolific, the client for it, and the store.
#[derive(Clone, Debug)]
pub struct Session {
    pub mode: AccountMode,
    pub client: Client,
    pub store: Store,
}

impl Session {
    /// The current connection's session; an error when there is none.
    pub async fn current(connections: &Connections) -> Result<Self, ConnectError> {
        let (mode, client) = connections.client().await?;
        Ok(Self {
            mode,
            client,
            store: connections.store().clone(),
        })
    }
}

/// What any call through a session can fail with: no connection (or a locked keychain),
/// the local store, or Prolific. Each step's error holds it as one `Session` variant, and
/// `?` turns the three into it ([`session_error_from`]).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum SessionError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error(transparent)]
    Store(#[from] StoreError),
    Prolific(#[from] ProlificError),
}

impl Coded for SessionError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Connect(error) => error.error_code(),
            Self::Store(error) => error.error_code(),
            Self::Prolific(error) => error.error_code(),
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Connect(inner) => inner.text(),
            Self::Store(inner) => inner.text(),
            Self::Prolific(inner) => inner.text(),
        }
    }
}

/// Lets `?` turn a [`ConnectError`], [`StoreError`] or [`ProlificError`] into each named
/// error's `Session` variant.
macro_rules! session_error_from {
    ($($error:ty),+ $(,)?) => {$(
        impl From<$crate::connection::ConnectError> for $error {
            fn from(error: $crate::connection::ConnectError) -> Self {
                Self::Session(error.into())
            }
        }
        impl From<$crate::store::StoreError> for $error {
            fn from(error: $crate::store::StoreError) -> Self {
                Self::Session(error.into())
            }
        }
        impl From<batchdesk_prolific::ProlificError> for $error {
            fn from(error: batchdesk_prolific::ProlificError) -> Self {
                Self::Session(error.into())
            }
        }
    )+};
}
pub(crate) use session_error_from;
