//! A session: the account mode, its client and the local store, taken once per call and
//! handed to what the call runs, so no step asks the connection for them again.

use batchdesk_prolific::Client;

use crate::connection::{AccountMode, ConnectError, Connections};
use crate::store::Store;

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
