//! The token vault against the real OS keychain. In CI and `.ci/test` this runs inside
//! `.ci/lib/with-keyring.sh`: its own D-Bus session with an unlocked gnome-keyring.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use batchdesk_engine::credentials::{TOKEN_ACCOUNT, TokenVault};
use batchdesk_prolific::{ApiBase, ApiToken};

#[test]
fn the_token_round_trips_through_the_real_secret_service() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session: run through `dbus-run-session -- .ci/lib/with-keyring.sh cargo test`"
    );
    let service = test_service("round-trip");
    let vault = TokenVault::for_address(&service, ApiBase::prolific()).unwrap();
    vault.delete().unwrap();
    assert!(vault.load().unwrap().is_none());

    vault
        .save(&ApiToken::new("keychain-round-trip-token"))
        .unwrap();
    // A second handle to the same entry reads what the first one stored.
    let reopened = TokenVault::for_address(&service, ApiBase::prolific()).unwrap();
    assert_eq!(
        reopened.load().unwrap().unwrap().expose_secret(),
        "keychain-round-trip-token"
    );
    // The entry is findable where the researcher would look for it.
    let listed = std::process::Command::new("secret-tool")
        .args(["search", "service", &service, "username", TOKEN_ACCOUNT])
        .output()
        .expect("secret-tool (libsecret-tools) is installed by .ci/test");
    assert!(String::from_utf8_lossy(&listed.stdout).contains(&service));

    reopened.delete().unwrap();
    assert!(vault.load().unwrap().is_none());
}

/// A service name of its own per test, so a developer's real entries are never touched.
fn test_service(name: &str) -> String {
    format!(
        "io.batchdesk.desktop.keychain-test.{name}.{}",
        std::process::id()
    )
}

#[test]
fn a_token_is_bound_to_the_address_it_was_saved_for() {
    let service = test_service("bound");
    let prolific = TokenVault::for_address(&service, ApiBase::prolific()).unwrap();
    let test_server =
        TokenVault::for_address(&service, ApiBase::parse("https://127.0.0.1:4100").unwrap())
            .unwrap();
    prolific.delete().unwrap();
    test_server.delete().unwrap();

    prolific.save(&ApiToken::new("the-real-token")).unwrap();
    assert!(
        test_server.load().unwrap().is_none(),
        "a token saved for Prolific is never offered to another address"
    );

    test_server.save(&ApiToken::new("a-test-token")).unwrap();
    assert_eq!(
        prolific.load().unwrap().unwrap().expose_secret(),
        "the-real-token",
        "a token saved for another address never replaces Prolific's"
    );
    assert_eq!(
        test_server.load().unwrap().unwrap().expose_secret(),
        "a-test-token"
    );

    test_server.delete().unwrap();
    assert_eq!(
        prolific.load().unwrap().unwrap().expose_secret(),
        "the-real-token"
    );
    prolific.delete().unwrap();
}

#[test]
fn a_token_saved_by_an_earlier_version_is_prolifics() {
    let service = test_service("earlier");
    // Earlier versions kept one entry, under this account name, whatever the address.
    let earlier = keyring::Entry::new(&service, TOKEN_ACCOUNT).unwrap();
    earlier.set_password("saved-before-binding").unwrap();

    let prolific = TokenVault::for_address(&service, ApiBase::prolific()).unwrap();
    assert_eq!(
        prolific.load().unwrap().unwrap().expose_secret(),
        "saved-before-binding"
    );
    let elsewhere =
        TokenVault::for_address(&service, ApiBase::parse("https://api.example.org").unwrap())
            .unwrap();
    assert!(elsewhere.load().unwrap().is_none());
    prolific.delete().unwrap();
}
