//! Days and instants in JSON exactly as chrono's `Serialize` writes them, but formatted into one
//! string first: chrono's own impls go through `collect_str`, which hands serde_json the text a
//! character at a time, each escaped on its own (a third of the time a page of transactions
//! took to render). For `#[serde(serialize_with = "…")]`; the schema is unchanged.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serializer;

/// A day, `YYYY-MM-DD`.
pub fn day<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&day.to_string())
}

/// A day or null.
pub fn optional_day<S: Serializer>(day: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
    match day {
        Some(day) => serializer.serialize_str(&day.to_string()),
        None => serializer.serialize_none(),
    }
}

/// An instant or null: RFC 3339 in UTC with `Z`, with the fraction of a second only when
/// there is one (3, 6 or 9 digits).
pub fn optional_instant<S: Serializer>(instant: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error> {
    match instant {
        Some(instant) => serializer.serialize_str(&instant.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Written {
        #[serde(serialize_with = "day")]
        day: NaiveDate,
        #[serde(serialize_with = "optional_day")]
        maybe_day: Option<NaiveDate>,
        #[serde(serialize_with = "optional_instant")]
        instant: Option<DateTime<Utc>>,
    }

    #[derive(Serialize)]
    struct ByChrono {
        day: NaiveDate,
        maybe_day: Option<NaiveDate>,
        instant: Option<DateTime<Utc>>,
    }

    #[test]
    fn writes_what_chrono_writes() {
        let whole = Utc.with_ymd_and_hms(2026, 12, 4, 13, 0, 0).single().expect("an instant");
        let instants = [
            None,
            Some(whole),
            Some(whole + chrono::TimeDelta::milliseconds(120)),
            Some(whole + chrono::TimeDelta::microseconds(7)),
            Some(whole + chrono::TimeDelta::nanoseconds(1)),
            Some(Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).single().expect("year 1")),
        ];
        let days = [(2026, 12, 4), (1, 1, 1), (9999, 12, 31), (-44, 3, 15), (12_345, 6, 7)];
        for (instant, (y, m, d)) in instants.into_iter().zip(days.into_iter().cycle()) {
            let day = NaiveDate::from_ymd_opt(y, m, d).expect("a day");
            let maybe_day = instant.map(|_| day);
            let ours = serde_json::to_string(&Written { day, maybe_day, instant }).expect("JSON");
            assert_eq!(ours, serde_json::to_string(&ByChrono { day, maybe_day, instant }).expect("JSON"));
        }
    }
}
