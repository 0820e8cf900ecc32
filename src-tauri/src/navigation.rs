//! The window only ever shows the app. A link in the researcher's own task text (shown in
//! the participant preview) or anywhere else must not turn the app's window into a web
//! browser for some other site, where that site's pages would sit beside the app's own
//! and under its name.
//!
//! So the main window refuses every navigation away from the app's origin
//! ([`is_app_url`]) and every request for a new window; the UI asks the researcher before
//! a link is opened in the system browser ([`open_in_browser`]).

use batchdesk_engine::error_code::{Coded, ErrorCode};
use batchdesk_engine::text;
use tauri::Url;

/// Whether the window may show `url`: the app's own pages only. These are served as
/// `tauri://localhost` (Linux, macOS) or `http(s)://tauri.localhost` (Windows), or, in
/// a development build, by the dev server at `dev_url`.
pub fn is_app_url(url: &Url, dev_url: Option<&Url>) -> bool {
    let served_by_tauri = match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        _ => false,
    };
    served_by_tauri || dev_url.is_some_and(|dev| url.origin() == dev.origin())
}

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text())]
pub enum LinkError {
    NotALink(String),
    Refused(String),
    NoBrowser { link: String, reason: String },
}

impl Coded for LinkError {
    fn error_code(&self) -> ErrorCode {
        match self {
            Self::NotALink(_) | Self::Refused(_) => ErrorCode::LinkRefused,
            Self::NoBrowser { .. } => ErrorCode::BrowserUnavailable,
        }
    }

    fn text(&self) -> text::Text {
        match self {
            Self::NotALink(link) => text!("errors:links.notALink", link = link),
            Self::Refused(link) => text!("errors:links.refused", link = link),
            Self::NoBrowser { link, reason } => {
                text!("errors:links.noBrowser", link = link, reason = reason)
            }
        }
    }
}

/// The link, if it is one the system browser may be asked to open: `http`, `https` or
/// `mailto`. Anything else (a file, a script, another app's scheme) is refused.
pub fn external_link(text: &str) -> Result<Url, LinkError> {
    let url = Url::parse(text.trim()).map_err(|_| LinkError::NotALink(text.to_owned()))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some() => Ok(url),
        "mailto" => Ok(url),
        _ => Err(LinkError::Refused(text.to_owned())),
    }
}

/// Opens a link the researcher agreed to open in their system browser (or mail app).
pub fn open_in_browser(text: &str) -> Result<(), LinkError> {
    let url = external_link(text)?;
    tauri_plugin_opener::open_url(url.as_str(), None::<&str>).map_err(|error| {
        LinkError::NoBrowser {
            link: url.to_string(),
            reason: error.to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    #[test]
    fn the_window_shows_the_app_and_nothing_else() {
        for allowed in [
            "tauri://localhost",
            "tauri://localhost/batches/123?tab=results#top",
            "http://tauri.localhost/",
            "https://tauri.localhost/index.html",
        ] {
            assert!(is_app_url(&url(allowed), None), "{allowed}");
        }
        for refused in [
            "https://example.org/",
            "https://prolific.com/",
            "http://localhost:1420/",
            "tauri://localhost.evil.example/",
            "tauri://evil.example/",
            "https://tauri.localhost.evil.example/",
            "http://tauri.localhost:8080/",
            "file:///etc/passwd",
            "about:blank",
            "data:text/html,<p>hello</p>",
            "javascript:alert(1)",
            "mailto:someone@example.org",
        ] {
            assert!(!is_app_url(&url(refused), None), "{refused}");
        }
    }

    #[test]
    fn a_development_build_also_shows_its_dev_server() {
        let dev = url("http://localhost:1420");
        assert!(is_app_url(
            &url("http://localhost:1420/batches"),
            Some(&dev)
        ));
        assert!(is_app_url(&url("tauri://localhost/"), Some(&dev)));
        for refused in [
            "http://localhost:1421/",
            "https://localhost:1420/",
            "http://127.0.0.1:1420/",
            "https://example.org/",
        ] {
            assert!(!is_app_url(&url(refused), Some(&dev)), "{refused}");
        }
    }

    #[test]
    fn only_web_and_email_links_are_opened_in_the_browser() {
        for opened in [
            "https://example.org/instructions?lang=en#part-2",
            "http://example.org",
            " https://example.org/ ",
            "mailto:researcher@example.org?subject=Question",
        ] {
            assert!(external_link(opened).is_ok(), "{opened}");
        }
        for refused in [
            "file:///home/researcher/.ssh/id_ed25519",
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "tauri://localhost/",
            "smb://server/share",
            "vscode://file/etc/passwd",
        ] {
            assert!(
                matches!(external_link(refused), Err(LinkError::Refused(_))),
                "{refused}"
            );
        }
        assert!(matches!(
            external_link("not a link"),
            Err(LinkError::NotALink(_))
        ));
        assert!(matches!(
            external_link("/relative/path"),
            Err(LinkError::NotALink(_))
        ));
    }

    #[test]
    fn a_refused_link_is_never_handed_to_the_system() {
        // Refused before the opener is reached, so no program is started for it.
        assert!(matches!(
            open_in_browser("file:///etc/passwd"),
            Err(LinkError::Refused(_))
        ));
    }
}
