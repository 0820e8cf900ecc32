//! What the engine's practice-mode tests share: the sample files and a practice
//! connection on a store in a test folder (the keychain replaced by keyring's mock).

#![allow(clippy::unwrap_used, dead_code)]

use std::path::Path;
use std::sync::Arc;

use batchdesk_engine::connection::Connections;
use batchdesk_engine::credentials::TokenVault;
use batchdesk_engine::store::Store;
use batchdesk_practice::PracticeConfig;
use batchdesk_prolific::ApiBase;
use keyring::Entry;
use keyring::mock::MockCredential;

/// A file of `shared/data` (beside the clone, in CI too).
pub fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name)
        .display()
        .to_string()
}

/// Practice mode on a store in `dir`, its in-app server started with `config`.
pub async fn practising(dir: &Path, config: PracticeConfig) -> Connections {
    let connections = Connections::new(
        Store::open_in_dir(dir).unwrap(),
        Arc::new(TokenVault::with_entry(Entry::new_with_credential(
            Box::new(MockCredential::default()),
        ))),
        ApiBase::prolific(),
    )
    .with_practice_config(config);
    connections.start_practice().await.unwrap();
    connections
}
