//! Updates of Batchdesk itself: whether this build has an update source at all, whether a
//! version offered is one to install, and the researcher's choice to check at start.
//!
//! The shell does the network and the install through tauri-plugin-updater, which checks
//! the manifest's signature against the public key in `tauri.conf.json`
//! (`plugins.updater`). A build whose config names no https endpoint or no real public
//! key (the dev and test flavours, or a release built before its key was filled in) has
//! no updater at all: nothing is fetched, and the settings say updates are off.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::store::{Store, StoreError};

/// What `tauri.conf.json` holds as the public key until a release fills in the real one
/// (see RELEASING.md). A key starting with this means "not configured".
pub const PUBKEY_PLACEHOLDER: &str = "REPLACE_WITH_THE_UPDATER_PUBLIC_KEY";

/// The setting that turns the check at start off (`"false"`); on by default.
pub const CHECK_AT_START_SETTING: &str = "updates.check_at_start";

/// Where updates come from, read from the config's `plugins.updater`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateSource {
    pub endpoints: Vec<String>,
}

#[derive(Deserialize)]
struct UpdaterSection {
    #[serde(default)]
    endpoints: Vec<String>,
    #[serde(default)]
    pubkey: String,
}

/// The update source `updater` (the config's `plugins.updater`, if any) describes, or
/// `None` when updates are off: no section, no endpoint, an endpoint that is not https,
/// or no real public key (empty or the placeholder). Signed manifests are the only kind
/// the plugin installs, so without a key there is nothing to check against.
pub fn update_source(updater: Option<&serde_json::Value>) -> Option<UpdateSource> {
    let section: UpdaterSection = serde_json::from_value(updater?.clone()).ok()?;
    let pubkey = section.pubkey.trim();
    if pubkey.is_empty() || pubkey.starts_with(PUBKEY_PLACEHOLDER) {
        return None;
    }
    let https = |endpoint: &String| endpoint.trim().starts_with("https://");
    if section.endpoints.is_empty() || !section.endpoints.iter().all(https) {
        return None;
    }
    Some(UpdateSource {
        endpoints: section.endpoints,
    })
}

/// Whether `offered` (a manifest's version) is an update for a build at `current`: a
/// higher version by semver, and a pre-release only for a build that is a pre-release
/// itself, so a researcher on a stable version is never moved to a test one. A version
/// that does not read as semver is never offered.
pub fn is_update(current: &str, offered: &str) -> bool {
    let parse = |text: &str| semver::Version::parse(text.trim().trim_start_matches('v')).ok();
    let (Some(current), Some(offered)) = (parse(current), parse(offered)) else {
        return false;
    };
    if !offered.pre.is_empty() && current.pre.is_empty() {
        return false;
    }
    offered > current
}

/// Whether Batchdesk checks for an update when it starts (on unless turned off).
pub fn check_at_start(store: &Store) -> Result<bool, StoreError> {
    Ok(store.setting(CHECK_AT_START_SETTING)?.as_deref() != Some("false"))
}

pub fn set_check_at_start(store: &Store, check: bool) -> Result<(), StoreError> {
    store.set_setting(CHECK_AT_START_SETTING, if check { "true" } else { "false" })
}

/// What the settings page shows about updates.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateSettings {
    /// This build has an update source (false in dev and test builds).
    pub available: bool,
    pub check_at_start: bool,
    pub current_version: String,
}

/// A newer Batchdesk, as its signed manifest describes it.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UpdateOffer {
    pub version: String,
    pub current_version: String,
    /// What changed (the release notes), as written in the manifest.
    pub notes: Option<String>,
    /// When it was published (RFC 3339), if the manifest says.
    pub date: Option<String>,
}

/// How far installing an update has got.
#[derive(Clone, Debug, Serialize, Type)]
#[serde(tag = "stage", rename_all = "camelCase")]
pub enum UpdateProgress {
    /// Bytes downloaded so far, of `total` when the server says.
    Downloading { downloaded: f64, total: Option<f64> },
    /// Downloaded and verified; being installed.
    Installing,
    /// Installed: Batchdesk starts again.
    Restarting,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    #[test]
    fn updates_are_off_without_an_https_endpoint_and_a_real_key() {
        let endpoint =
            "https://github.com/batchdesk/batchdesk/releases/latest/download/latest.json";
        for off in [
            None,
            Some(json!(null)),
            Some(json!({})),
            Some(json!({ "endpoints": [endpoint] })),
            Some(json!({ "endpoints": [endpoint], "pubkey": "" })),
            Some(
                json!({ "endpoints": [endpoint], "pubkey": format!("{PUBKEY_PLACEHOLDER} (see RELEASING.md)") }),
            ),
            Some(json!({ "endpoints": [], "pubkey": "dW50cnVzdGVkIGNvbW1lbnQ6" })),
            Some(
                json!({ "endpoints": ["http://example.org/latest.json"], "pubkey": "dW50cnVzdGVk" }),
            ),
        ] {
            assert_eq!(update_source(off.as_ref()), None, "{off:?}");
        }
        let on = json!({ "endpoints": [endpoint], "pubkey": "dW50cnVzdGVkIGNvbW1lbnQ6" });
        assert_eq!(
            update_source(Some(&on)),
            Some(UpdateSource {
                endpoints: vec![endpoint.to_owned()]
            })
        );
    }

    #[test]
    fn the_release_config_names_its_source_and_is_on_only_with_a_real_key() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../../../tauri.conf.json")).unwrap();
        let updater = config.pointer("/plugins/updater");
        let endpoints = updater.and_then(|u| u["endpoints"].as_array()).unwrap();
        assert!(!endpoints.is_empty());
        assert!(endpoints.iter().all(|e| {
            let e = e.as_str().unwrap();
            e.starts_with("https://github.com/")
                && e.ends_with("/releases/latest/download/latest.json")
        }));
        // Shipped with the placeholder (no updater) until RELEASING.md's key is filled in.
        let pubkey = updater.and_then(|u| u["pubkey"].as_str()).unwrap();
        assert_eq!(
            update_source(updater).is_some(),
            !pubkey.starts_with(PUBKEY_PLACEHOLDER)
        );
    }

    #[test]
    fn only_a_higher_version_is_an_update_and_a_test_version_only_for_testers() {
        assert!(is_update("0.1.0", "0.1.1"));
        assert!(is_update("0.1.0", "v0.2.0"));
        assert!(is_update("0.9.9", "1.0.0"));
        assert!(!is_update("0.2.0", "0.1.9"), "never a downgrade");
        assert!(!is_update("0.2.0", "0.2.0"));
        assert!(!is_update("0.2.0", "0.3.0-beta.1"), "stable stays stable");
        assert!(is_update("0.3.0-beta.1", "0.3.0-beta.2"));
        assert!(is_update("0.3.0-beta.2", "0.3.0"));
        assert!(!is_update("0.2.0", "latest"));
        assert!(!is_update("not a version", "1.0.0"));
    }

    #[test]
    fn the_check_at_start_is_on_until_turned_off() {
        let dir = batchdesk_test_support::temp_folder();
        let store = Store::open_in_dir(dir.path()).unwrap();
        assert!(check_at_start(&store).unwrap());
        set_check_at_start(&store, false).unwrap();
        assert!(!check_at_start(&store).unwrap());
        drop(store);
        let reopened = Store::open_in_dir(dir.path()).unwrap();
        assert!(
            !check_at_start(&reopened).unwrap(),
            "kept with the other settings"
        );
        set_check_at_start(&reopened, true).unwrap();
        assert!(check_at_start(&reopened).unwrap());
    }
}
