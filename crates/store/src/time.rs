//! Timestamps as stored: UTC without a zone, truncated to microseconds so that a value read
//! back from PostgreSQL equals the one written.

use chrono::{DateTime, DurationRound, NaiveDateTime, TimeDelta, Utc};

/// `time` as stored.
pub fn to_db_time(time: DateTime<Utc>) -> NaiveDateTime {
    time.duration_trunc(TimeDelta::microseconds(1)).unwrap_or(time).naive_utc()
}

/// A stored time, back in UTC.
pub fn from_db_time(time: NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}

/// `time` as it reads back from the database: truncated to microseconds, in UTC.
pub fn as_stored(time: DateTime<Utc>) -> DateTime<Utc> {
    from_db_time(to_db_time(time))
}

/// Now, as stored.
pub fn now_for_db() -> NaiveDateTime {
    to_db_time(Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_to_microseconds() {
        let time = DateTime::from_timestamp(1_700_000_000, 123_456_789).expect("valid");
        let stored = to_db_time(time);
        assert_eq!(stored.and_utc().timestamp_subsec_nanos(), 123_456_000);
        assert_eq!(to_db_time(from_db_time(stored)), stored);
    }
}
