//! The time as the app writes it down (download and fetch stamps, progress readings):
//! one format everywhere, and a module of its own so that results and the monitor,
//! which use each other, do not have to borrow it from one another.

/// The current time as ISO 8601 (UTC), to the second.
#[must_use]
pub fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
