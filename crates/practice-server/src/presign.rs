//! Presigned upload URLs, signed the way S3 signs them in spirit: an HMAC-SHA256 over the
//! method, object key, expiry and content type with a secret only this server knows. A
//! client can use the URL without a Prolific token, and cannot change any of those parts.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// Where presigned URLs point: `<base_url>/practice-storage/<file_key>?expires=…&signature=…`.
pub(crate) const STORAGE_PREFIX: &str = "/practice-storage/";

pub(crate) struct UrlSigner {
    secret: [u8; 32],
}

impl std::fmt::Debug for UrlSigner {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("UrlSigner(<secret>)")
    }
}

impl UrlSigner {
    /// A signer with a fresh random secret, so URLs from one server run never work on
    /// another.
    pub(crate) fn random() -> Self {
        let mut secret = [0_u8; 32];
        secret[..16].copy_from_slice(Uuid::new_v4().as_bytes());
        secret[16..].copy_from_slice(Uuid::new_v4().as_bytes());
        Self { secret }
    }

    fn mac(&self, key: &str, expires: i64, content_type: &str) -> HmacSha256 {
        // Any key length is valid for HMAC, so this cannot fail; fall back to an empty key
        // rather than panicking all the same.
        let mut mac = HmacSha256::new_from_slice(&self.secret)
            .unwrap_or_else(|_| HmacSha256::new(&Default::default()));
        mac.update(format!("PUT\n{key}\n{expires}\n{content_type}").as_bytes());
        mac
    }

    /// The hex signature for a PUT of `key` with `content_type`, valid until `expires`
    /// (Unix seconds).
    pub(crate) fn sign(&self, key: &str, expires: i64, content_type: &str) -> String {
        hex::encode(self.mac(key, expires, content_type).finalize().into_bytes())
    }

    /// Whether `signature` is ours for these parts, compared in constant time.
    pub(crate) fn verify(
        &self,
        key: &str,
        expires: i64,
        content_type: &str,
        signature: &str,
    ) -> bool {
        let Ok(signature) = hex::decode(signature) else {
            return false;
        };
        self.mac(key, expires, content_type)
            .verify_slice(&signature)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_the_parts_it_was_made_for() {
        let signer = UrlSigner::random();
        let signature = signer.sign("a/b.csv", 100, "text/csv");
        assert!(signer.verify("a/b.csv", 100, "text/csv", &signature));
        assert!(!signer.verify("a/c.csv", 100, "text/csv", &signature));
        assert!(!signer.verify("a/b.csv", 101, "text/csv", &signature));
        assert!(!signer.verify("a/b.csv", 100, "application/zip", &signature));
        assert!(!signer.verify("a/b.csv", 100, "text/csv", "not-hex"));
        assert!(!UrlSigner::random().verify("a/b.csv", 100, "text/csv", &signature));
    }
}
