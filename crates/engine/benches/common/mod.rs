//! What the engine's benchmarks share: a deterministic generator for their made-up
//! answers and the process's peak memory for their reports.

// Each benchmark is its own crate and uses what it needs of this module.
#![allow(dead_code)]

/// A small deterministic generator (a 64-bit linear congruential one): the same answers
/// on every run, with no dependency.
pub struct Lcg(pub u64);

impl Lcg {
    /// A number from 0 to `bound` − 1.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

/// The process's peak resident memory (VmHWM), as `/proc` reports it (Linux only).
pub fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (not Linux)".to_owned())
}
