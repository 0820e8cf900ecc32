//! Moments that drive the simulated background work. Work that "takes" a while
//! (processing an upload, setting up a batch) is recorded with the moment it finishes and
//! its status is worked out when someone reads it, so no task sleeps and a delay of zero
//! means "done by the next read".
//!
//! The clock can be moved on: each request runs with its server's offset in scope (a
//! task-local set by a middleware), and `Moment` reads wall-clock time plus that offset, so a
//! test advances a server by an hour without waiting and without touching another
//! server in the same process. Signed URL expiry stays on real time, as S3's does.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// A point in time on the server's clock: wall-clock time (UTC) plus the server's
/// offset. It is wall-clock only, not monotonic, so that it can be saved with the
/// practice state and mean the same moment after a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Moment {
    wall: DateTime<Utc>,
}

tokio::task_local! {
    static OFFSET: Duration;
}

/// How far the clock of the server handling this request has been moved on.
fn offset() -> Duration {
    OFFSET.try_with(|offset| *offset).unwrap_or_default()
}

/// Runs `work` with the clock moved on by `offset`.
pub(crate) async fn with_offset<F: Future>(offset: Duration, work: F) -> F::Output {
    OFFSET.scope(offset, work).await
}

impl Moment {
    pub(crate) fn now() -> Self {
        Self::at(Utc::now()).after(offset())
    }

    /// The moment a wall-clock time names.
    pub(crate) fn at(wall: DateTime<Utc>) -> Self {
        Self { wall }
    }

    /// This moment plus `delay`; an absurdly long delay saturates at "a century on".
    pub(crate) fn after(self, delay: Duration) -> Self {
        const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);
        let delay = delay.min(CENTURY);
        Self {
            wall: chrono::Duration::from_std(delay)
                .ok()
                .and_then(|delta| self.wall.checked_add_signed(delta))
                .unwrap_or(self.wall),
        }
    }

    /// This moment less `days` days (unchanged should that leave the calendar).
    pub(crate) fn minus_days(self, days: i64) -> Self {
        Self {
            wall: chrono::TimeDelta::try_days(days)
                .and_then(|delta| self.wall.checked_sub_signed(delta))
                .unwrap_or(self.wall),
        }
    }

    /// The later of two moments.
    pub(crate) fn max(self, other: Self) -> Self {
        Ord::max(self, other)
    }

    pub(crate) fn has_passed(&self) -> bool {
        Self::now() >= *self
    }

    pub(crate) fn timestamp(&self) -> String {
        timestamp(self.wall)
    }
}

/// ISO-8601 in UTC with a `Z`, as Prolific writes timestamps.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_moved_clock_passes_moments_only_inside_its_scope() {
        let later = Moment::now().after(Duration::from_secs(3600));
        assert!(!later.has_passed());
        let inside =
            with_offset(Duration::from_secs(3601), async move { later.has_passed() }).await;
        assert!(inside);
        assert!(!later.has_passed(), "outside the scope the clock is real");
    }

    #[test]
    fn a_moment_with_no_delay_has_passed_and_a_long_one_has_not() {
        let now = Moment::now();
        assert!(now.after(Duration::ZERO).has_passed());
        assert!(!now.after(Duration::from_secs(3600)).has_passed());
        assert!(now.timestamp().ends_with('Z'));
    }
}
