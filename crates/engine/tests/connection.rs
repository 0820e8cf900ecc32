//! Practice mode, connecting an account, resuming and signing out, against practice
//! servers over real HTTP (one stands in for Prolific) and keyring's mock per entry.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use batchdesk_engine::account;
use batchdesk_engine::connection::{AccountMode, ConnectError, Connections};
use batchdesk_engine::credentials::TokenVault;
use batchdesk_engine::store::Store;
use batchdesk_practice::{PracticeConfig, PracticeServer};
use batchdesk_prolific::{ApiBase, ApiToken, ProlificError};
use keyring::Entry;
use keyring::mock::MockCredential;

struct Setup {
    _dir: tempfile::TempDir,
    store: Store,
    vault: Arc<TokenVault>,
    /// Stands in for Prolific itself.
    prolific: PracticeServer,
}

impl Setup {
    async fn new() -> Self {
        let dir = batchdesk_test_support::temp_folder();
        let prolific = PracticeServer::start(PracticeConfig::default())
            .await
            .unwrap();
        Self {
            store: Store::open_in_dir(dir.path()).unwrap(),
            _dir: dir,
            vault: Arc::new(mock_vault(&prolific)),
            prolific,
        }
    }

    /// A fresh `Connections`, as after an app restart, over the same store and keychain.
    fn connections(&self) -> Connections {
        Connections::new(self.store.clone(), Arc::clone(&self.vault))
    }
}

/// An empty keychain entry (keyring's mock) for the token of `server`'s address.
fn mock_vault(server: &PracticeServer) -> TokenVault {
    TokenVault::with_entry(
        Entry::new_with_credential(Box::new(MockCredential::default())),
        ApiBase::parse(&server.base_url()).unwrap(),
    )
}

#[tokio::test]
async fn nothing_is_connected_on_a_first_start() {
    let setup = Setup::new().await;
    let connections = setup.connections();
    assert_eq!(connections.resume().await.unwrap(), None);
    assert!(matches!(
        connections.client().await,
        Err(ConnectError::NotConnected)
    ));
}

#[tokio::test]
async fn practice_runs_its_own_server_and_is_resumed_after_a_restart() {
    let setup = Setup::new().await;
    let connections = setup.connections();
    let connected = connections.start_practice().await.unwrap();
    assert_eq!(connected.mode, AccountMode::Practice);
    let (_, client) = connections.client().await.unwrap();
    // The practice server is not the one standing in for Prolific.
    assert_ne!(
        client.base().as_str(),
        ApiBase::parse(&setup.prolific.base_url()).unwrap().as_str()
    );
    let workspaces = account::workspaces(&connections).await.unwrap();
    assert_eq!(workspaces.workspaces.len(), 1);
    assert!(
        setup.vault.load().unwrap().is_none(),
        "practice never touches the keychain"
    );

    drop(connections);
    let restarted = setup.connections();
    assert_eq!(
        restarted.resume().await.unwrap().map(|c| c.mode),
        Some(AccountMode::Practice)
    );
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_never_saved() {
    let setup = Setup::new().await;
    let connections = setup.connections();
    let error = connections
        .connect(ApiToken::new("not-the-token"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, ConnectError::Prolific(ProlificError::InvalidToken)),
        "{error:?}"
    );
    assert!(setup.vault.load().unwrap().is_none());
    assert_eq!(setup.connections().resume().await.unwrap(), None);
    let error = connections
        .connect(ApiToken::new("  \n"))
        .await
        .unwrap_err();
    assert!(matches!(error, ConnectError::EmptyToken), "{error:?}");
}

#[tokio::test]
async fn a_good_token_is_kept_in_the_keychain_resumed_and_deleted_on_sign_out() {
    let setup = Setup::new().await;
    let connections = setup.connections();
    let connected = connections
        .connect(ApiToken::new(setup.prolific.token()))
        .await
        .unwrap();
    assert_eq!(connected.mode, AccountMode::Prolific);
    assert_eq!(connected.email, "practice.researcher@example.org");
    assert_eq!(
        setup.vault.load().unwrap().unwrap().expose_secret(),
        setup.prolific.token()
    );

    let restarted = setup.connections();
    assert_eq!(restarted.resume().await.unwrap(), Some(connected));
    restarted.sign_out().await.unwrap();
    assert!(setup.vault.load().unwrap().is_none());
    assert_eq!(setup.connections().resume().await.unwrap(), None);
}

#[tokio::test]
async fn choices_are_remembered_per_mode_and_never_mixed() {
    let setup = Setup::new().await;
    let connections = setup.connections();

    // In the real account (here a second server), create a project: it becomes the choice.
    connections
        .connect(ApiToken::new(setup.prolific.token()))
        .await
        .unwrap();
    let workspace = account::workspaces(&connections)
        .await
        .unwrap()
        .chosen
        .unwrap();
    let real_pick = account::create_project(&connections, &workspace, "Real study")
        .await
        .unwrap();
    let details = account::workspace_details(&connections, &workspace)
        .await
        .unwrap();
    assert_eq!(
        details.chosen_project.as_deref(),
        Some(real_pick.id.as_str())
    );

    // In practice, choose the default project, whose id also exists in the real account
    // (both servers start from the same defaults), so a shared setting would be accepted.
    connections.start_practice().await.unwrap();
    let practice = account::workspace_details(&connections, &workspace)
        .await
        .unwrap();
    let shared_default = practice.projects[0].id.clone();
    account::choose_project(&connections, &workspace, &shared_default)
        .await
        .unwrap();
    assert_eq!(practice.currency_code, "GBP");
    assert!(practice.available_balance > 0);

    // Back in the real account, its own choice stands.
    connections
        .connect(ApiToken::new(setup.prolific.token()))
        .await
        .unwrap();
    let details = account::workspace_details(&connections, &workspace)
        .await
        .unwrap();
    assert!(details.projects.iter().any(|p| p.id == shared_default));
    assert_eq!(
        details.chosen_project.as_deref(),
        Some(real_pick.id.as_str())
    );
}

#[tokio::test]
async fn a_server_at_another_address_never_gets_nor_replaces_the_saved_token() {
    let setup = Setup::new().await;
    let saved = setup
        .connections()
        .connect(ApiToken::new(setup.prolific.token()))
        .await
        .unwrap();
    // Not Prolific's usual address, and said so.
    assert_eq!(
        saved.unusual_address.as_deref(),
        Some(ApiBase::parse(&setup.prolific.base_url()).unwrap().as_str())
    );

    // The app started again, pointed at another server: the saved token is not offered to it.
    let other = PracticeServer::start(PracticeConfig {
        token: Some("the-other-servers-token".into()),
        ..PracticeConfig::default()
    })
    .await
    .unwrap();
    let at_other = Connections::new(setup.store.clone(), Arc::new(mock_vault(&other)));
    assert_eq!(at_other.resume().await.unwrap(), None);
    assert!(matches!(
        at_other.client().await,
        Err(ConnectError::NotConnected)
    ));

    // Connecting there keeps that server's token apart from the saved one.
    let connected = at_other
        .connect(ApiToken::new("the-other-servers-token"))
        .await
        .unwrap();
    let (_, client) = at_other.client().await.unwrap();
    assert_eq!(
        client.base().as_str(),
        ApiBase::parse(&other.base_url()).unwrap().as_str()
    );
    assert_eq!(
        connected.unusual_address.as_deref(),
        Some(client.base().as_str())
    );
    assert_eq!(
        setup.vault.load().unwrap().unwrap().expose_secret(),
        setup.prolific.token(),
        "the token saved for the first address is intact"
    );

    // Back at the first address, its own account resumes with its own token.
    assert_eq!(setup.connections().resume().await.unwrap(), Some(saved));
}
