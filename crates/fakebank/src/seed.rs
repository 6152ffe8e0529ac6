//! Stable seeds: every random choice is drawn from a ChaCha8 stream seeded by a hash of what it
//! is about (connection seed, account, day), so the same inputs give the same data everywhere.

use chrono::{Datelike, NaiveDate};
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// SplitMix64's finaliser: a fixed, well-spread mix of 64 bits.
pub(crate) const fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Combines seed parts in order.
pub(crate) fn combine(parts: &[u64]) -> u64 {
    parts.iter().fold(0x5A4E_DBA4_4B00_0001, |acc, part| mix(acc ^ mix(*part)))
}

/// A text as a number, for seeding (FNV-1a; stable across platforms and versions).
pub(crate) fn text(value: &str) -> u64 {
    value.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3))
}

/// A day as a number, for seeding.
pub(crate) fn day_number(day: NaiveDate) -> u64 {
    u64::try_from(day.num_days_from_ce()).unwrap_or_default()
}

/// The random stream for these parts.
pub(crate) fn rng(parts: &[u64]) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(combine(parts))
}

/// Purposes, so two streams about the same thing never coincide.
pub(crate) mod stream {
    pub const ACCOUNTS: u64 = 1;
    pub const PROFILE: u64 = 2;
    pub const DAY: u64 = 3;
    pub const HOUSEHOLD: u64 = 4;
    pub const TRIPS: u64 = 5;
    pub const CARD: u64 = 6;
    pub const SUBSCRIPTIONS: u64 = 7;
    pub const FLIGHTS: u64 = 8;
    pub const PEOPLE: u64 = 9;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixing_is_stable_and_order_sensitive() {
        assert_eq!(mix(0), 0xE220_A839_7B1D_CDAF);
        assert_ne!(combine(&[1, 2]), combine(&[2, 1]));
        assert_eq!(combine(&[7, 8, 9]), combine(&[7, 8, 9]));
    }
}
