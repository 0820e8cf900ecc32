//! Participants who do not finish: some return their place after starting
//! (`RETURNED`), some run out of time (`TIMED-OUT`). Either way the place reopens and
//! someone else takes it (API-NOTES §7.8). Who drops out is drawn from the study's
//! seeded sequence when places are planned, so a seed repeats the same run.

use serde::{Deserialize, Serialize};

use crate::seeded::Rng;

/// How a planned participant's submission ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) enum Ending {
    /// Finishes and waits for review.
    #[default]
    Finishes,
    /// Gives the place back half way through.
    Returns,
    /// Is still working when the time limit passes.
    TimesOut,
}

/// The shares of participants who return or time out, in parts per thousand.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Dropout {
    returns: u64,
    times_out: u64,
}

impl Dropout {
    /// Shares from 0.0 to 1.0 each; together they are capped at 90%, so every place is
    /// finished by someone in the end.
    pub(crate) fn new(return_share: f64, timeout_share: f64) -> Self {
        let permille = |share: f64| (share.clamp(0.0, 1.0) * 1000.0).round() as u64;
        let returns = permille(return_share).min(900);
        let times_out = permille(timeout_share).min(900 - returns);
        Self { returns, times_out }
    }

    /// Draws how the next participant's submission ends.
    pub(crate) fn draw(self, rng: &mut Rng) -> Ending {
        if self.returns + self.times_out == 0 {
            return Ending::Finishes;
        }
        let roll = rng.next_u64() % 1000;
        if roll < self.returns {
            Ending::Returns
        } else if roll < self.returns + self.times_out {
            Ending::TimesOut
        } else {
            Ending::Finishes
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_drawn_near_their_rate_and_capped() {
        let dropout = Dropout::new(0.2, 0.1);
        let mut rng = Rng::new(3);
        let endings: Vec<Ending> = (0..10_000).map(|_| dropout.draw(&mut rng)).collect();
        let count = |ending| endings.iter().filter(|drawn| **drawn == ending).count();
        assert!((1_800..2_200).contains(&count(Ending::Returns)));
        assert!((800..1_200).contains(&count(Ending::TimesOut)));
        let capped = Dropout::new(1.0, 1.0);
        assert_eq!((capped.returns, capped.times_out), (900, 0));
        assert_eq!(Dropout::default().draw(&mut rng), Ending::Finishes);
    }
}
