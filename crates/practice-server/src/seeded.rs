//! Seeded draws: a small pseudo-random sequence and a stable mix of text into a seed, so
//! a server seed gives the same participants, dropouts and answers on every run. Shared
//! by everything that draws (`model`, `crowd`, `dropout`, `kinds`, `participants`).

/// A small, seeded pseudo-random sequence (SplitMix64), so a seed gives the same
/// participants and answers on every run.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    /// A 24-hex ObjectId drawn from the sequence.
    pub(crate) fn object_id(&mut self) -> String {
        format!("{:016x}{:08x}", self.next_u64(), self.next_u64() >> 32)
    }
}

/// A stable 64-bit mix of some text, to seed answers (and other per-thing draws).
pub(crate) fn mix(parts: &[&str], seed: u64) -> u64 {
    let mut hash = seed ^ 0xCBF2_9CE4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xFF)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01B3);
        }
    }
    Rng::new(hash).next_u64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_the_same_for_a_seed_and_ids_are_object_ids() {
        let mut one = Rng::new(7);
        let mut two = Rng::new(7);
        let ids: Vec<String> = (0..3).map(|_| one.object_id()).collect();
        assert_eq!(ids, (0..3).map(|_| two.object_id()).collect::<Vec<_>>());
        assert!(ids.iter().all(|id| id.len() == 24));
        assert_ne!(Rng::new(8).object_id(), ids[0]);
    }
}
