//! Build flavours. Each has its own app identifier, and so its own data directory and
//! keychain namespace: a test run or a dev session never touches a researcher's data.

use serde::Serialize;
use specta::Type;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum Flavour {
    Dev,
    Test,
    Release,
}

impl Flavour {
    /// Read from the identifier set by `tauri.conf.json` and the overlays in
    /// `src-tauri/flavours/` (`io.batchdesk.desktop`, `….dev`, `….test`).
    pub fn from_identifier(identifier: &str) -> Self {
        match identifier.rsplit('.').next() {
            Some("dev") => Self::Dev,
            Some("test") => Self::Test,
            _ => Self::Release,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_overlay_names_its_own_flavour() {
        let base: serde_json::Value =
            serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap_or_default();
        let dev: serde_json::Value =
            serde_json::from_str(include_str!("../flavours/dev.json")).unwrap_or_default();
        let test: serde_json::Value =
            serde_json::from_str(include_str!("../flavours/test.json")).unwrap_or_default();
        let flavour = |config: &serde_json::Value| {
            Flavour::from_identifier(config["identifier"].as_str().unwrap_or_default())
        };
        assert_eq!(flavour(&base), Flavour::Release);
        assert_eq!(flavour(&dev), Flavour::Dev);
        assert_eq!(flavour(&test), Flavour::Test);
        // The overlays take the release's update source away: these builds never fetch
        // or install an update, whatever key the release config holds.
        for overlay in [&dev, &test] {
            let updater = overlay.pointer("/plugins/updater");
            assert!(updater.is_some_and(serde_json::Value::is_null), "{overlay}");
            assert!(batchdesk_engine::updates::update_source(updater).is_none());
        }
    }
}
