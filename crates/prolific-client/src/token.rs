//! The API token, in a wrapper that cannot leak by accident.

use std::fmt;

use zeroize::Zeroizing;

/// A Prolific API token. It never appears in `Debug` output, logs or error messages,
/// implements neither `Display` nor `Serialize`, and its memory is wiped when dropped.
#[derive(Clone)]
pub struct ApiToken(Zeroizing<String>);

impl ApiToken {
    /// Wraps a token, trimming the spaces and newlines that pasting often brings along.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        let trimmed = token.trim();
        if trimmed.len() == token.len() {
            Self(Zeroizing::new(token))
        } else {
            Self(Zeroizing::new(trimmed.to_owned()))
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The secret itself, for the `Authorization` header and the OS keychain only.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = ApiToken::new("s3cr3t-t0ken-value");
        let shown = format!("{token:?} {:?} {:#?}", Some(&token), vec![token.clone()]);
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn pasted_whitespace_is_trimmed() {
        assert_eq!(ApiToken::new("  abc\n").expose_secret(), "abc");
        assert!(ApiToken::new(" \n").is_empty());
    }
}
