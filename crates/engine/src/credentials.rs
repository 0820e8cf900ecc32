//! The Prolific API token in the operating system's keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows), and nowhere else: when the keychain
//! cannot be used, the researcher is told so; the token is never written to a file.
//!
//! keyring's calls are blocking (D-Bus on Linux): call them from a blocking thread.

use batchdesk_prolific::ApiToken;
use keyring::Entry;

/// The keychain account name; the service is the app identifier, so each build flavour
/// (dev, test, release) keeps its own token.
pub const TOKEN_ACCOUNT: &str = "prolific-api-token";

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error(
        "Batchdesk could not reach your system's keychain, where it keeps your Prolific token \
         safely. On Linux, check that a keyring service such as GNOME Keyring or KWallet is \
         installed and running, then try again. Batchdesk never stores the token in a file instead."
    )]
    Unavailable(#[source] keyring::Error),
    #[error(
        "Your system's keychain is locked, so Batchdesk cannot read or save your Prolific token. \
         Unlock it (for example by opening your keyring app or logging in again), then try again."
    )]
    Locked(#[source] keyring::Error),
    #[error(
        "The Prolific token saved in your keychain could not be read. Connect your account again \
         to replace it."
    )]
    Unreadable(#[source] keyring::Error),
}

impl From<keyring::Error> for VaultError {
    fn from(error: keyring::Error) -> Self {
        match error {
            keyring::Error::NoStorageAccess(_) => Self::Locked(error),
            keyring::Error::BadEncoding(_) => Self::Unreadable(error),
            _ => Self::Unavailable(error),
        }
    }
}

/// Where the token is kept.
#[derive(Debug)]
pub struct TokenVault {
    entry: Entry,
}

impl TokenVault {
    /// The app's entry in the OS keychain; `service` is the app identifier.
    pub fn for_service(service: &str) -> Result<Self, VaultError> {
        Ok(Self {
            entry: Entry::new(service, TOKEN_ACCOUNT)?,
        })
    }

    /// A vault over a given entry (tests use keyring's mock credential per entry).
    pub fn with_entry(entry: Entry) -> Self {
        Self { entry }
    }

    pub fn save(&self, token: &ApiToken) -> Result<(), VaultError> {
        Ok(self.entry.set_password(token.expose_secret())?)
    }

    /// The saved token, or `None` when there is none.
    pub fn load(&self) -> Result<Option<ApiToken>, VaultError> {
        match self.entry.get_password() {
            Ok(secret) => Ok(Some(ApiToken::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes the token; removing a token that is not there is fine.
    pub fn delete(&self) -> Result<(), VaultError> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use keyring::mock::MockCredential;

    fn mock_vault() -> TokenVault {
        TokenVault::with_entry(Entry::new_with_credential(Box::new(
            MockCredential::default(),
        )))
    }

    #[test]
    fn saves_loads_and_deletes() {
        let vault = mock_vault();
        assert!(vault.load().unwrap().is_none());
        vault.save(&ApiToken::new("first")).unwrap();
        vault.save(&ApiToken::new("second")).unwrap();
        assert_eq!(vault.load().unwrap().unwrap().expose_secret(), "second");
        vault.delete().unwrap();
        assert!(vault.load().unwrap().is_none());
        vault.delete().unwrap();
    }

    #[test]
    fn a_locked_keychain_is_explained() {
        let credential = MockCredential::default();
        credential.set_error(keyring::Error::NoStorageAccess("locked".into()));
        let vault = TokenVault::with_entry(Entry::new_with_credential(Box::new(credential)));
        let error = vault.load().unwrap_err();
        assert!(matches!(error, VaultError::Locked(_)), "{error:?}");
        assert!(error.to_string().contains("keychain is locked"));
    }

    #[test]
    fn a_missing_keychain_is_explained_and_never_replaced_by_a_file() {
        let credential = MockCredential::default();
        credential.set_error(keyring::Error::PlatformFailure("no secret service".into()));
        let vault = TokenVault::with_entry(Entry::new_with_credential(Box::new(credential)));
        let error = vault.save(&ApiToken::new("t")).unwrap_err();
        assert!(matches!(error, VaultError::Unavailable(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .contains("never stores the token in a file")
        );
    }
}
