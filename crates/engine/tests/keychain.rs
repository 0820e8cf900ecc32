//! The token vault against the real OS keychain. In CI and `.ci/test` this runs inside
//! `.ci/lib/with-keyring.sh`: its own D-Bus session with an unlocked gnome-keyring.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use batchdesk_engine::credentials::{TOKEN_ACCOUNT, TokenVault};
use batchdesk_prolific::ApiToken;

#[test]
fn the_token_round_trips_through_the_real_secret_service() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no D-Bus session: run through `dbus-run-session -- .ci/lib/with-keyring.sh cargo test`"
    );
    // A service name of its own, so a developer's real entries are never touched.
    let service = format!("io.batchdesk.desktop.keychain-test.{}", std::process::id());
    let vault = TokenVault::for_service(&service).unwrap();
    vault.delete().unwrap();
    assert!(vault.load().unwrap().is_none());

    vault
        .save(&ApiToken::new("keychain-round-trip-token"))
        .unwrap();
    // A second handle to the same entry reads what the first one stored.
    let reopened = TokenVault::for_service(&service).unwrap();
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
