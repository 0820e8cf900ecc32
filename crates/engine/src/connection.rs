//! Which Prolific the app talks to: the practice server (started inside the app, nothing
//! is spent) or the researcher's own account (token from the OS keychain). The choice is
//! remembered in the local store and resumed at the next start.
//!
//! The account's client is only ever built for the address its token was saved for (the
//! vault's): a token is never sent to another host.

use std::sync::Arc;

pub use batchdesk_practice::RequestCheck;
use batchdesk_practice::{PracticeConfig, PracticeServer, StartError};
use batchdesk_prolific::{ApiBase, ApiToken, Client, ClientOptions, ProlificError};
use serde::Serialize;
use specta::Type;
use tokio::sync::Mutex;

use crate::credentials::{TokenVault, VaultError};
use crate::error_code::{Coded, ErrorCode};
use crate::store::{Store, StoreError};
use crate::text;

const MODE_SETTING: &str = "connection.mode";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AccountMode {
    /// The practice server inside the app: a simulation, nothing is spent.
    Practice,
    /// The researcher's Prolific account.
    Prolific,
}

impl AccountMode {
    /// The prefix of everything remembered for this mode, so practice and real choices
    /// (workspace, project, drafts) never mix.
    pub fn key(self) -> &'static str {
        match self {
            Self::Practice => "practice",
            Self::Prolific => "prolific",
        }
    }
}

/// Who the app is connected as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Connected {
    pub mode: AccountMode,
    pub name: String,
    pub email: String,
    /// The API address, when the account is reached somewhere other than Prolific's usual
    /// address (a server named by `BATCHDESK_API_BASE_URL`): the UI says so wherever it
    /// shows the connection. `None` in practice mode and for Prolific itself.
    pub unusual_address: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum ConnectError {
    NotConnected,
    EmptyToken,
    Prolific(#[from] ProlificError),
    #[error(transparent)]
    Keychain(#[from] VaultError),
    #[error(transparent)]
    Store(#[from] StoreError),
    Practice(#[from] StartError),
    Background(#[from] tokio::task::JoinError),
}

impl Coded for ConnectError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::NotConnected => ErrorCode::NotConnected,
            Self::EmptyToken => ErrorCode::Rejected,
            Self::Prolific(error) => error.error_code(),
            Self::Keychain(error) => error.error_code(),
            Self::Store(error) => error.error_code(),
            Self::Practice(_) => ErrorCode::PracticeFailed,
            Self::Background(_) => ErrorCode::Internal,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::NotConnected => text!("errors:connection.notConnected"),
            Self::EmptyToken => text!("errors:connection.emptyToken"),
            Self::Prolific(inner) => inner.text(),
            Self::Keychain(inner) => inner.text(),
            Self::Store(inner) => inner.text(),
            Self::Practice(error) => practice_text(error),
            Self::Background(reason) => {
                text!("errors:connection.background", reason = reason.to_string())
            }
        }
    }
}

/// Why the practice server did not start. (Its crate knows nothing of the catalogue.)
fn practice_text(error: &StartError) -> text::Text {
    match error {
        StartError::Bind { port, source } => text!(
            "errors:connection.practice.bind",
            port = port,
            reason = source.to_string()
        ),
        StartError::Storage(source) => text!(
            "errors:connection.practice.storage",
            reason = source.to_string()
        ),
        StartError::StateDir { path, source } => text!(
            "errors:connection.practice.stateDir",
            path = path,
            reason = source.to_string()
        ),
        StartError::CrowdMix(reason) => {
            text!("errors:connection.practice.crowdMix", reason = reason)
        }
    }
}

struct Active {
    connected: Connected,
    client: Client,
    /// Kept alive while practising; dropping it stops the server.
    practice: Option<PracticeServer>,
}

/// The app's connection. One per app; cheap to share behind an `Arc`.
pub struct Connections {
    store: Store,
    /// The account's token, bound to the address it belongs to (`vault.address()`).
    vault: Arc<TokenVault>,
    active: Mutex<Option<Active>>,
    /// How the in-app practice server is started.
    practice_config: PracticeConfig,
    /// Set once the mode chosen last time has been restored (retried until it is).
    resumed: std::sync::atomic::AtomicBool,
    /// How the practice client times out and retries (the default: as for Prolific).
    practice_client: ClientOptions,
}

impl Connections {
    /// The account is reached at the vault's address: Prolific's API, or another server
    /// given by the researcher (for example a standalone practice server).
    pub fn new(store: Store, vault: Arc<TokenVault>) -> Self {
        Self {
            store,
            vault,
            active: Mutex::new(None),
            // Some simulated participants return or time out, as real ones do, so the
            // results the app shows include them.
            practice_config: PracticeConfig {
                return_share: 0.1,
                timeout_share: 0.05,
                ..PracticeConfig::default()
            },
            resumed: std::sync::atomic::AtomicBool::new(false),
            practice_client: ClientOptions::default(),
        }
    }

    /// Talks to the practice server with `options` (tests retry without long waits, so
    /// that thousands of injected faults fit in CI time).
    #[must_use]
    pub fn with_practice_client_options(mut self, options: ClientOptions) -> Self {
        self.practice_client = options;
        self
    }

    /// Starts practice servers with `config` (tests use no processing delay).
    #[must_use]
    pub fn with_practice_config(mut self, config: PracticeConfig) -> Self {
        self.practice_config = config;
        self
    }

    /// Starts the practice workspace with `balance` (minor units) instead of the
    /// default, to rehearse a balance too small to publish. A practice server that kept
    /// its work keeps its own balance.
    #[must_use]
    pub fn with_practice_balance(mut self, balance: i64) -> Self {
        self.practice_config.workspace.balance = balance;
        self
    }

    /// How often a simulated participant takes a place and how long each takes (a test
    /// watches a study fill in seconds instead of minutes).
    #[must_use]
    pub fn with_practice_pace(mut self, pace: std::time::Duration) -> Self {
        self.practice_config.participant_pace = pace;
        self
    }

    /// Serves the in-app practice server on a fixed loopback `port` with a known
    /// `token`, so a test (or a researcher scripting against it) can talk to the same
    /// server as the app. Either left out keeps the default (a free port, a random token).
    #[must_use]
    pub fn with_practice_address(mut self, port: Option<u16>, token: Option<String>) -> Self {
        if let Some(port) = port {
            self.practice_config.port = port;
        }
        if token.is_some() {
            self.practice_config.token = token;
        }
        self
    }

    /// Strict mode for the practice server: every request body is given to `check`
    /// first (see `PracticeConfig::request_check`). For test builds only.
    #[must_use]
    pub fn with_practice_request_check(mut self, check: RequestCheck) -> Self {
        self.practice_config.request_check = Some(check);
        self
    }

    /// Keeps the practice server's work in `dir` (the app passes `<app data>/practice`),
    /// so practice datasets, batches and studies survive a restart of the app. Call it
    /// after `with_practice_config`, which replaces the whole configuration.
    #[must_use]
    pub fn with_practice_state_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.practice_config.state_dir = Some(dir.into());
        self
    }

    /// The current connection, restoring last time's choice on the first call. A resume
    /// that failed (no network, say) is tried again on the next call.
    pub async fn status(&self) -> Result<Option<Connected>, ConnectError> {
        use std::sync::atomic::Ordering;
        if !self.resumed.load(Ordering::Acquire) {
            let resumed = self.resume().await?;
            self.resumed.store(true, Ordering::Release);
            return Ok(resumed);
        }
        Ok(self.current().await)
    }

    /// Restores the mode chosen last time. `Ok(None)` when nothing was chosen, or when
    /// the keychain has no token for this address.
    pub async fn resume(&self) -> Result<Option<Connected>, ConnectError> {
        match self.store.setting(MODE_SETTING)?.as_deref() {
            Some("practice") => self.start_practice().await.map(Some),
            // No token for this address leaves the choice as it is: a start against a
            // test server must not forget the account saved for Prolific's address.
            Some("prolific") => match self.keychain(|vault| vault.load()).await? {
                Some(token) => self.open_prolific(token).await.map(Some),
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// Starts the practice server inside the app and connects to it.
    pub async fn start_practice(&self) -> Result<Connected, ConnectError> {
        self.resumed
            .store(true, std::sync::atomic::Ordering::Release);
        let mut active = self.active.lock().await;
        if let Some(current) = active
            .as_ref()
            .filter(|a| a.connected.mode == AccountMode::Practice)
        {
            return Ok(current.connected.clone());
        }
        let server = PracticeServer::start(self.practice_config.clone()).await?;
        let base =
            ApiBase::parse(&server.base_url()).map_err(|error| ProlificError::Unexpected {
                status: 0,
                detail: Some(error.to_string()),
            })?;
        let client = Client::with_options(
            base,
            &ApiToken::new(server.token()),
            self.practice_client.clone(),
        )?;
        let user = client.users_me().await?;
        let connected = Connected {
            mode: AccountMode::Practice,
            name: user.display_name(),
            email: user.email,
            unusual_address: None,
        };
        self.store
            .set_setting(MODE_SETTING, AccountMode::Practice.key())?;
        *active = Some(Active {
            connected: connected.clone(),
            client,
            practice: Some(server),
        });
        Ok(connected)
    }

    /// Checks the token with Prolific, then keeps it in the keychain under this address.
    /// A token Prolific refuses is never saved.
    pub async fn connect(&self, token: ApiToken) -> Result<Connected, ConnectError> {
        if token.is_empty() {
            return Err(ConnectError::EmptyToken);
        }
        self.resumed
            .store(true, std::sync::atomic::Ordering::Release);
        let connected = self.open_prolific(token.clone()).await?;
        self.keychain(move |vault| vault.save(&token)).await?;
        self.store
            .set_setting(MODE_SETTING, AccountMode::Prolific.key())?;
        Ok(connected)
    }

    /// Forgets the connection: the token for this address is deleted from the keychain
    /// (another address's stays), a practice server is stopped. Remembered choices stay, keyed by mode, for next time.
    pub async fn sign_out(&self) -> Result<(), ConnectError> {
        let mut active = self.active.lock().await;
        let mode = active.as_ref().map(|a| a.connected.mode);
        if mode == Some(AccountMode::Prolific)
            || self.store.setting(MODE_SETTING)?.as_deref() == Some("prolific")
        {
            self.keychain(|vault| vault.delete()).await?;
        }
        if let Some(server) = active.take().and_then(|a| a.practice) {
            server.shutdown().await;
        }
        self.store.delete_setting(MODE_SETTING)?;
        Ok(())
    }

    /// The API address the account is reached at (its token is kept for this one only).
    pub fn account_address(&self) -> &ApiBase {
        self.vault.address()
    }

    pub async fn current(&self) -> Option<Connected> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| a.connected.clone())
    }

    /// The client for the current connection, with its mode.
    pub async fn client(&self) -> Result<(AccountMode, Client), ConnectError> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| (a.connected.mode, a.client.clone()))
            .ok_or(ConnectError::NotConnected)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    async fn open_prolific(&self, token: ApiToken) -> Result<Connected, ConnectError> {
        let address = self.vault.address();
        let client = Client::new(address.clone(), &token)?;
        let user = client.users_me().await?;
        let connected = Connected {
            mode: AccountMode::Prolific,
            name: user.display_name(),
            email: user.email,
            unusual_address: (!address.is_prolific()).then(|| address.as_str().to_owned()),
        };
        let previous = self.active.lock().await.replace(Active {
            connected: connected.clone(),
            client,
            practice: None,
        });
        if let Some(server) = previous.and_then(|a| a.practice) {
            server.shutdown().await;
        }
        Ok(connected)
    }

    /// Runs a keychain call on a blocking thread (it may wait on D-Bus or a prompt).
    async fn keychain<T: Send + 'static>(
        &self,
        call: impl FnOnce(&TokenVault) -> Result<T, VaultError> + Send + 'static,
    ) -> Result<T, ConnectError> {
        let vault = Arc::clone(&self.vault);
        Ok(tokio::task::spawn_blocking(move || call(&vault)).await??)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use keyring::Entry;
    use keyring::mock::MockCredential;

    use super::*;

    /// The app's practice server with its state under `dir/practice`, as after a start.
    fn connections(store: &Store, dir: &std::path::Path) -> Connections {
        // Never reached: only practice mode is used here.
        let prolific = ApiBase::parse("http://127.0.0.1:9").unwrap();
        let vault = TokenVault::with_entry(
            Entry::new_with_credential(Box::new(MockCredential::default())),
            prolific,
        );
        Connections::new(store.clone(), Arc::new(vault))
            .with_practice_state_dir(dir.join("practice"))
    }

    #[tokio::test]
    async fn practice_work_survives_a_restart_of_the_app() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let first = connections(&store, dir.path());
        first.start_practice().await.unwrap();
        let workspaces = crate::account::workspaces(&first).await.unwrap();
        let workspace = workspaces.workspaces[0].id.clone();
        crate::account::create_project(&first, &workspace, "Kept across restarts")
            .await
            .unwrap();
        first.sign_out().await.unwrap();
        assert!(dir.path().join("practice/state.json").is_file());

        let second = connections(&store, dir.path());
        second.start_practice().await.unwrap();
        let details = crate::account::workspace_details(&second, &workspace)
            .await
            .unwrap();
        assert!(
            details
                .projects
                .iter()
                .any(|project| project.title == "Kept across restarts"),
            "{:?}",
            details.projects
        );
    }
}
