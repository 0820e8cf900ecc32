//! The two kinds of id Prolific uses (API-NOTES §1.4): 24-hex Mongo ObjectIds for core
//! objects (workspaces, projects, studies, users) and UUIDs for Task Builder objects.

use uuid::Uuid;

/// A fresh ObjectId: four bytes of Unix time then eight random bytes, as Mongo lays them
/// out, so ids sort roughly by creation like real ones.
pub(crate) fn object_id() -> String {
    let seconds = u32::try_from(chrono::Utc::now().timestamp()).unwrap_or(u32::MAX);
    let random = Uuid::new_v4();
    let mut bytes = [0_u8; 12];
    bytes[..4].copy_from_slice(&seconds.to_be_bytes());
    bytes[4..].copy_from_slice(&random.as_bytes()[..8]);
    hex::encode(bytes)
}

/// A fresh time-ordered UUID (v7), the kind Prolific's Task Builder examples show.
pub(crate) fn task_builder_id() -> Uuid {
    Uuid::now_v7()
}

/// Parses a Task Builder id from a path or body. Anything that is not a UUID cannot name
/// an existing object, so callers answer "not found" or a field error.
pub(crate) fn parse_uuid(text: &str) -> Option<Uuid> {
    Uuid::try_parse(text).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn object_ids_are_24_lowercase_hex_and_distinct() {
        let a = object_id();
        let b = object_id();
        assert_eq!(a.len(), 24);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(a, b);
    }

    #[test]
    fn task_builder_ids_are_version_7() {
        assert_eq!(task_builder_id().get_version_num(), 7);
        assert!(parse_uuid("not-a-uuid").is_none());
        assert!(parse_uuid(&task_builder_id().to_string()).is_some());
    }
}
