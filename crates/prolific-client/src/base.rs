//! Where the API lives: Prolific by default, a practice server in practice mode and tests.

use std::net::IpAddr;

use url::{Host, Url};

/// An API base URL that is safe to send a token to: `https`, or plain `http` only on
/// loopback (the practice server), so a token can never cross a network in clear text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiBase(Url);

/// Why an address cannot be the API's. `Display` is terse text for logs; the app says
/// these in its own words.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BaseUrlError {
    #[error("not a URL: {0:?}")]
    NotAUrl(String),
    #[error("plain http to another computer: {0:?}")]
    InsecureRemote(String),
    #[error("neither https nor http to this computer: {0:?}")]
    UnsupportedScheme(String),
}

impl ApiBase {
    pub const PROLIFIC: &'static str = "https://api.prolific.com";

    pub fn prolific() -> Self {
        // A constant that parses; checked by a test.
        Self::parse(Self::PROLIFIC).unwrap_or_else(|_| unreachable!("the Prolific URL parses"))
    }

    /// Whether this is Prolific's own API (and not a practice or test server).
    pub fn is_prolific(&self) -> bool {
        *self == Self::prolific()
    }

    pub fn parse(text: &str) -> Result<Self, BaseUrlError> {
        let mut url =
            Url::parse(text.trim()).map_err(|_| BaseUrlError::NotAUrl(text.to_owned()))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => return Err(BaseUrlError::InsecureRemote(text.to_owned())),
            _ => return Err(BaseUrlError::UnsupportedScheme(text.to_owned())),
        }
        // Paths are joined as `/api/v1/...`; keep only the origin and any path prefix.
        let trimmed = url.path().trim_end_matches('/').to_owned();
        url.set_path(&trimmed);
        url.set_query(None);
        url.set_fragment(None);
        Ok(Self(url))
    }

    /// The full URL of an API path such as `/api/v1/users/me/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0.as_str().trim_end_matches('/'))
    }

    /// Whether `url` points into this API (same scheme, host, port and path prefix), so
    /// that following a link from an answer can never send the token elsewhere.
    pub fn owns(&self, url: &str) -> bool {
        let Ok(url) = Url::parse(url) else {
            return false;
        };
        let prefix = self.0.path().trim_end_matches('/');
        url.scheme() == self.0.scheme()
            && url.host() == self.0.host()
            && url.port_or_known_default() == self.0.port_or_known_default()
            && url.path().starts_with(&format!("{prefix}/"))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prolific_is_the_default() {
        assert_eq!(
            ApiBase::prolific().join("/api/v1/users/me/"),
            "https://api.prolific.com/api/v1/users/me/"
        );
    }

    #[test]
    fn only_prolifics_own_address_is_prolific() {
        assert!(ApiBase::prolific().is_prolific());
        for same in [
            "https://api.prolific.com/",
            " https://API.prolific.com:443 ",
        ] {
            let base = ApiBase::parse(same).unwrap_or_else(|e| panic!("{e}"));
            assert!(base.is_prolific(), "{same}");
        }
        for other in [
            "http://127.0.0.1:4100",
            "https://api.prolific.com/staging",
            "https://api.prolific.com.evil.example",
            "https://api.prolific.com:8443",
        ] {
            let base = ApiBase::parse(other).unwrap_or_else(|e| panic!("{e}"));
            assert!(!base.is_prolific(), "{other}");
        }
    }

    #[test]
    fn plain_http_is_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:4100",
            "http://localhost:9/",
            "http://[::1]:80",
            "http://127.8.0.1",
            "https://example.org/prefix/",
        ] {
            assert!(ApiBase::parse(ok).is_ok(), "{ok}");
        }
        for (bad, expected) in [
            (
                "http://example.org",
                BaseUrlError::InsecureRemote("http://example.org".into()),
            ),
            (
                "http://192.168.1.4:8000",
                BaseUrlError::InsecureRemote("http://192.168.1.4:8000".into()),
            ),
            (
                "http://localhost.evil.example",
                BaseUrlError::InsecureRemote("http://localhost.evil.example".into()),
            ),
            (
                "ftp://127.0.0.1",
                BaseUrlError::UnsupportedScheme("ftp://127.0.0.1".into()),
            ),
            ("not a url", BaseUrlError::NotAUrl("not a url".into())),
        ] {
            assert_eq!(ApiBase::parse(bad), Err(expected));
        }
    }

    #[test]
    fn owns_only_its_own_origin_and_prefix() {
        let base =
            ApiBase::parse("https://api.example.org/prefix").unwrap_or_else(|e| panic!("{e}"));
        assert!(base.owns("https://api.example.org/prefix/api/v1/workspaces/?page=2"));
        assert!(base.owns("https://api.example.org:443/prefix/api/v1/"));
        assert!(!base.owns("https://evil.example.org/prefix/api/v1/"));
        assert!(!base.owns("http://api.example.org/prefix/api/v1/"));
        assert!(!base.owns("https://api.example.org:8443/prefix/api/v1/"));
        assert!(!base.owns("https://api.example.org/other/api/v1/"));
        assert!(!base.owns("not a url"));
    }

    #[test]
    fn joins_paths_without_doubling_slashes() {
        let base =
            ApiBase::parse("https://example.org/prefix/?q=1#x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            base.join("/api/v1/studies/"),
            "https://example.org/prefix/api/v1/studies/"
        );
    }
}
