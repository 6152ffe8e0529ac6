//! Dates and timestamps read without chrono's format parser. On SQLite they are text in the one
//! layout diesel writes (`YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS[.ffffff]`); reading that layout
//! by hand costs a fraction of `parse_from_str`, which parses its format string on every call —
//! a tenth of a listing's CPU time in issue 15's profile. Any other text falls back to chrono.
//! PostgreSQL's binary values are read as diesel reads them.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::Pg;
use diesel::sql_types::{Date, Timestamp};
use diesel::sqlite::Sqlite;

use crate::db::MultiBackend;

/// A `Timestamp` column's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct ReadTime(pub NaiveDateTime);

/// A `Date` column's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct ReadDate(pub NaiveDate);

/// The number in `text[range]`, all of it ASCII digits.
fn digits(text: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    text.get(range)?.iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

/// `YYYY-MM-DD` at the start of `text`.
fn date_prefix(text: &[u8]) -> Option<NaiveDate> {
    if text.get(4) != Some(&b'-') || text.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(text, 0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(text, 5..7)?, digits(text, 8..10)?)
}

/// `YYYY-MM-DD`, exactly.
fn parse_date(text: &str) -> Option<NaiveDate> {
    (text.len() == 10).then(|| date_prefix(text.as_bytes())).flatten()
}

/// `YYYY-MM-DD HH:MM:SS` with an optional `.` and one to nine digits of fraction.
fn parse_time(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let date = date_prefix(bytes)?;
    if bytes.get(10) != Some(&b' ') || bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return None;
    }
    let (hour, minute, second) = (digits(bytes, 11..13)?, digits(bytes, 14..16)?, digits(bytes, 17..19)?);
    let nanos = match bytes.get(19..) {
        Some([]) => 0,
        Some([b'.', fraction @ ..]) if (1..=9).contains(&fraction.len()) => {
            digits(fraction, 0..fraction.len())? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    Some(date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?))
}

impl FromSql<Timestamp, Sqlite> for ReadTime {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = value.read_text();
        match parse_time(text) {
            Some(time) => Ok(Self(time)),
            None => ["%F %T%.f", "%FT%T%.f", "%F %T%.f%:z", "%FT%T%.f%:z"]
                .iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
                .map(Self)
                .ok_or_else(|| format!("invalid timestamp {text:?}").into()),
        }
    }
}

impl FromSql<Date, Sqlite> for ReadDate {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = value.read_text();
        let date = parse_date(text).or_else(|| NaiveDate::parse_from_str(text, "%F").ok());
        date.map(Self).ok_or_else(|| format!("invalid date {text:?}").into())
    }
}

impl FromSql<Timestamp, Pg> for ReadTime {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDateTime as FromSql<Timestamp, Pg>>::from_sql(value).map(Self)
    }
}

impl FromSql<Date, Pg> for ReadDate {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <NaiveDate as FromSql<Date, Pg>>::from_sql(value).map(Self)
    }
}

impl FromSql<Timestamp, MultiBackend> for ReadTime {
    fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Timestamp>()
    }
}

impl FromSql<Date, MultiBackend> for ReadDate {
    fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Date>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_diesel_writes_as_chrono_does() {
        for text in [
            "2026-08-07 15:22:00",
            "2026-12-31 23:59:59.5",
            "2024-02-29 00:00:00.123456",
            "1999-01-01 01:02:03.000000001",
        ] {
            assert_eq!(parse_time(text), NaiveDateTime::parse_from_str(text, "%F %T%.f").ok(), "{text}");
        }
        assert_eq!(parse_date("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
    }

    #[test]
    fn leaves_anything_else_to_chrono() {
        for text in [
            "2026-08-07T15:22:00",
            "2026-02-30 00:00:00",
            "2026-08-07 15:22",
            "2026-08-07 15:22:00.",
            "2026-8-07 15:22:00",
            "2026-08-07 15:22:00.1234567890",
        ] {
            assert_eq!(parse_time(text), None, "{text}");
        }
        for text in ["2026-02-30", "2026-08-7", "20260807", "2026-08-07 "] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }
}
