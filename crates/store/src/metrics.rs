//! Process-wide figures about this process's use of the database, for operators and benchmarks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The longest any write transaction of this process has held its locks, in microseconds.
static LONGEST_WRITE_HOLD_MICROS: AtomicU64 = AtomicU64::new(0);

/// Notes that a write transaction held its locks (from `BEGIN` to the end of `COMMIT`) this long.
pub(crate) fn record_write_hold(held: Duration) {
    let micros = u64::try_from(held.as_micros()).unwrap_or(u64::MAX);
    LONGEST_WRITE_HOLD_MICROS.fetch_max(micros, Ordering::Relaxed);
}

/// The longest a write transaction of this process has held its locks since the last
/// [`reset_longest_write_hold`] (on SQLite, the database's one write lock).
pub fn longest_write_hold() -> Duration {
    Duration::from_micros(LONGEST_WRITE_HOLD_MICROS.load(Ordering::Relaxed))
}

/// Starts the figure of [`longest_write_hold`] again.
pub fn reset_longest_write_hold() {
    LONGEST_WRITE_HOLD_MICROS.store(0, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_longest_hold_until_reset() {
        reset_longest_write_hold();
        record_write_hold(Duration::from_millis(30));
        record_write_hold(Duration::from_millis(10));
        assert!(longest_write_hold() >= Duration::from_millis(30));
        reset_longest_write_hold();
        record_write_hold(Duration::from_millis(1));
        assert!(longest_write_hold() < Duration::from_millis(30));
    }
}
