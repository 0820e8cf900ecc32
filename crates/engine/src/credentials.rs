//! The Prolific API token in the operating system's keychain (Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows), and nowhere else: when the keychain
//! cannot be used, the researcher is told so; the token is never written to a file.
//!
//! A token is bound to the API address it was checked with: each address has its own
//! keychain entry, and a vault only ever hands its token to a client for its own address.
//! So a token saved for Prolific is never sent to a test server named by
//! `BATCHDESK_API_BASE_URL`, and a test server's token never replaces Prolific's.
//!
//! keyring's calls are blocking (D-Bus on Linux): call them from a blocking thread.

use batchdesk_prolific::{ApiBase, ApiToken};
use keyring::Entry;

use crate::error_code::{Coded, ErrorCode};
use crate::text;

/// The keychain account name of the token for Prolific's own address; the service is the
/// app identifier, so each build flavour (dev, test, release) keeps its own token.
pub const TOKEN_ACCOUNT: &str = "prolific-api-token";

/// The keychain account name of the token for `address`.
///
/// Prolific's usual address keeps the plain name earlier versions used for their only
/// entry, so a token saved before tokens were bound to an address is still found, and is
/// taken as Prolific's: that is the address nearly every researcher saved it for. (One
/// saved while `BATCHDESK_API_BASE_URL` named another server is refused by Prolific at the
/// next start and replaced on connecting again.) Any other address gets an entry of its
/// own, named after it.
pub fn token_account(address: &ApiBase) -> String {
    if address.is_prolific() {
        TOKEN_ACCOUNT.to_owned()
    } else {
        format!("{TOKEN_ACCOUNT} for {}", address.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum VaultError {
    Unavailable(#[source] keyring::Error),
    Locked(#[source] keyring::Error),
    Unreadable(#[source] keyring::Error),
}

impl Coded for VaultError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::Locked(_) => ErrorCode::KeychainLocked,
            Self::Unavailable(_) | Self::Unreadable(_) => ErrorCode::KeychainUnavailable,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::Unavailable(_) => text!("errors:keychain.unavailable"),
            Self::Locked(_) => text!("errors:keychain.locked"),
            Self::Unreadable(_) => text!("errors:keychain.unreadable"),
        }
    }
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

/// Where the token for one API address is kept.
#[derive(Debug)]
pub struct TokenVault {
    entry: Entry,
    address: ApiBase,
}

impl TokenVault {
    /// The app's entry in the OS keychain for the token of `address`; `service` is the app
    /// identifier.
    pub fn for_address(service: &str, address: ApiBase) -> Result<Self, VaultError> {
        Ok(Self {
            entry: Entry::new(service, &token_account(&address))?,
            address,
        })
    }

    /// A vault over a given entry, holding the token for `address` (tests use keyring's
    /// mock credential per entry).
    pub fn with_entry(entry: Entry, address: ApiBase) -> Self {
        Self { entry, address }
    }

    /// The API address this vault's token belongs to: the only one it may be sent to.
    pub fn address(&self) -> &ApiBase {
        &self.address
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
        TokenVault::with_entry(
            Entry::new_with_credential(Box::new(MockCredential::default())),
            ApiBase::prolific(),
        )
    }

    #[test]
    fn prolific_keeps_the_entry_name_earlier_versions_used_and_others_get_their_own() {
        assert_eq!(token_account(&ApiBase::prolific()), TOKEN_ACCOUNT);
        let spelled_out = ApiBase::parse("https://api.prolific.com/").unwrap();
        assert_eq!(token_account(&spelled_out), TOKEN_ACCOUNT);
        let practice = ApiBase::parse("http://127.0.0.1:4100").unwrap();
        let elsewhere = ApiBase::parse("https://api.example.org/prefix").unwrap();
        assert_ne!(token_account(&practice), TOKEN_ACCOUNT);
        assert_ne!(token_account(&elsewhere), TOKEN_ACCOUNT);
        assert_ne!(token_account(&practice), token_account(&elsewhere));
        assert!(token_account(&elsewhere).contains("https://api.example.org/prefix"));
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
        let vault = TokenVault::with_entry(
            Entry::new_with_credential(Box::new(credential)),
            ApiBase::prolific(),
        );
        let error = vault.load().unwrap_err();
        assert!(matches!(error, VaultError::Locked(_)), "{error:?}");
        assert!(error.to_string().contains("keychain is locked"));
    }

    #[test]
    fn a_missing_keychain_is_explained_and_never_replaced_by_a_file() {
        let credential = MockCredential::default();
        credential.set_error(keyring::Error::PlatformFailure("no secret service".into()));
        let vault = TokenVault::with_entry(
            Entry::new_with_credential(Box::new(credential)),
            ApiBase::prolific(),
        );
        let error = vault.save(&ApiToken::new("t")).unwrap_err();
        assert!(matches!(error, VaultError::Unavailable(_)), "{error:?}");
        assert!(
            error
                .to_string()
                .contains("never stores the token in a file")
        );
    }
}
