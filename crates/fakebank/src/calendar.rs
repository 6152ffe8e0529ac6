//! The calendar banks keep: US federal holidays (as the Federal Reserve observes them), business
//! days, and the US time zones households live in (with daylight saving time as the US has kept
//! it since 2007). Written here, a few dozen lines, instead of a time-zone database: five zones
//! and one rule are all the fake bank needs.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};

/// The `n`th (1-based) `weekday` of a month.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, u8::try_from(n).ok()?)
}

/// The last `weekday` of a month.
fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    nth_weekday(year, month, weekday, 5).or_else(|| nth_weekday(year, month, weekday, 4))
}

/// A fixed-date holiday as observed: on Friday when it falls on a Saturday, on Monday when it
/// falls on a Sunday.
fn observed(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(match date.weekday() {
        Weekday::Sat => date - Days::new(1),
        Weekday::Sun => date + Days::new(1),
        _ => date,
    })
}

/// The federal holidays of `year` as observed, in date order (New Year's Day of the next year
/// can be observed on December 31st of this one).
pub fn federal_holidays(year: i32) -> Vec<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    first
        .into_iter()
        .flat_map(|d| d.iter_days())
        .take_while(|d| d.year() == year)
        .filter(|d| is_federal_holiday(*d))
        .collect()
}

/// Whether `date` is a US federal holiday as observed: New Year's Day, Martin Luther King Jr.
/// Day, Washington's Birthday, Memorial Day, Juneteenth (from 2021), Independence Day, Labor
/// Day, Columbus Day, Veterans Day, Thanksgiving and Christmas.
pub fn is_federal_holiday(date: NaiveDate) -> bool {
    use Weekday::{Mon, Thu};
    // Most days cannot be one: the days of the month each holiday can fall on, as observed.
    let day = date.day();
    let possible = match date.month() {
        1 => day <= 2 || (15..=21).contains(&day),
        2 => (15..=21).contains(&day),
        5 => day >= 25,
        6 => (18..=20).contains(&day),
        7 => (3..=5).contains(&day),
        9 => day <= 7,
        10 => (8..=14).contains(&day),
        11 => (10..=12).contains(&day) || (22..=28).contains(&day),
        12 => (24..=26).contains(&day) || day == 31,
        _ => false,
    };
    if !possible {
        return false;
    }
    let year = date.year();
    let candidates = match date.month() {
        1 => [observed(year, 1, 1), nth_weekday(year, 1, Mon, 3)],
        2 => [nth_weekday(year, 2, Mon, 3), None],
        5 => [last_weekday(year, 5, Mon), None],
        6 if year >= 2021 => [observed(year, 6, 19), None],
        7 => [observed(year, 7, 4), None],
        9 => [nth_weekday(year, 9, Mon, 1), None],
        10 => [nth_weekday(year, 10, Mon, 2), None],
        11 => [observed(year, 11, 11), nth_weekday(year, 11, Thu, 4)],
        12 => [observed(year, 12, 25), observed(year + 1, 1, 1)],
        _ => [None, None],
    };
    candidates.contains(&Some(date))
}

/// Whether banks settle on `date`: a weekday that is not a federal holiday.
pub fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !is_federal_holiday(date)
}

/// `date` if it is a business day, else the last business day before it.
pub fn business_day_on_or_before(mut date: NaiveDate) -> NaiveDate {
    while !is_business_day(date) {
        date = date - Days::new(1);
    }
    date
}

/// The first business day after `date`.
pub fn business_day_after(date: NaiveDate) -> NaiveDate {
    let mut next = date + Days::new(1);
    while !is_business_day(next) {
        next = next + Days::new(1);
    }
    next
}

/// Whether something due on day `day_of_month` of every month (the month's last day when it
/// is shorter) is settled on `date`, moved to the business day before when it falls on a
/// weekend or a holiday.
pub fn settles_monthly_on(date: NaiveDate, day_of_month: u32) -> bool {
    // A due date moves back four days at most (a holiday Friday before a weekend and more).
    let this_month_due = day_of_month.min(month_end(date));
    let near = (date.day()..=date.day() + 4).contains(&this_month_due) || date.day() + 4 > month_end(date);
    if !near || !is_business_day(date) {
        return false;
    }
    let due_in = |month_start: NaiveDate| {
        let last =
            month_start.checked_add_months(chrono::Months::new(1)).map_or(31, |next| (next - month_start).num_days());
        month_start.with_day(day_of_month.min(u32::try_from(last).unwrap_or(28)))
    };
    let this_month = date.with_day(1);
    let next_month = this_month.and_then(|d| d.checked_add_months(chrono::Months::new(1)));
    [this_month, next_month].into_iter().flatten().filter_map(due_in).any(|due| business_day_on_or_before(due) == date)
}

/// The last day of `date`'s month.
pub fn month_end(date: NaiveDate) -> u32 {
    (28..=31).rev().find(|d| date.with_day(*d).is_some()).unwrap_or(28)
}

/// A US time zone a household lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// UTC−5, daylight time UTC−4.
    Eastern,
    /// UTC−6, daylight time UTC−5.
    Central,
    /// UTC−7, daylight time UTC−6.
    Mountain,
    /// UTC−7 all year (Arizona keeps no daylight time).
    Arizona,
    /// UTC−8, daylight time UTC−7.
    Pacific,
}

impl Zone {
    /// Its IANA name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Eastern => "America/New_York",
            Self::Central => "America/Chicago",
            Self::Mountain => "America/Denver",
            Self::Arizona => "America/Phoenix",
            Self::Pacific => "America/Los_Angeles",
        }
    }

    /// Hours behind UTC in standard time.
    fn standard_hours(self) -> i64 {
        match self {
            Self::Eastern => 5,
            Self::Central => 6,
            Self::Mountain | Self::Arizona => 7,
            Self::Pacific => 8,
        }
    }

    /// Whether daylight time is kept at `minute` (local, after midnight) of the local `date`:
    /// from 02:00 on the second Sunday of March to 02:00 on the first Sunday of November.
    fn daylight(self, date: NaiveDate, minute: u32) -> bool {
        if self == Self::Arizona || !(3..=11).contains(&date.month()) {
            return false;
        }
        let (Some(starts), Some(ends)) =
            (nth_weekday(date.year(), 3, Weekday::Sun, 2), nth_weekday(date.year(), 11, Weekday::Sun, 1))
        else {
            return false;
        };
        let after_two = minute >= 120;
        (date > starts || date == starts && after_two) && (date < ends || date == ends && !after_two)
    }

    /// The instant of `minute` after local midnight of the local `date`.
    pub fn to_utc(self, date: NaiveDate, minute: u32) -> DateTime<Utc> {
        let behind = self.standard_hours() - i64::from(self.daylight(date, minute));
        let local = date.and_time(NaiveTime::MIN) + TimeDelta::minutes(i64::from(minute));
        (local + TimeDelta::hours(behind)).and_utc()
    }

    /// The local date and minute after midnight of an instant.
    pub fn local(self, at: DateTime<Utc>) -> (NaiveDate, u32) {
        let standard = at.naive_utc() - TimeDelta::hours(self.standard_hours());
        let minute = |t: chrono::NaiveDateTime| (t - t.date().and_time(NaiveTime::MIN)).num_minutes() as u32;
        let daylight = standard + TimeDelta::hours(1);
        if self.daylight(daylight.date(), minute(daylight)) && self.daylight(standard.date(), minute(standard)) {
            (daylight.date(), minute(daylight))
        } else {
            (standard.date(), minute(standard))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn the_federal_holidays_of_2026_and_their_observed_days() {
        let expected = [
            day(2026, 1, 1),
            day(2026, 1, 19),
            day(2026, 2, 16),
            day(2026, 5, 25),
            day(2026, 6, 19),
            day(2026, 7, 3), // July 4th is a Saturday
            day(2026, 9, 7),
            day(2026, 10, 12),
            day(2026, 11, 11),
            day(2026, 11, 26),
            day(2026, 12, 25),
        ];
        assert_eq!(federal_holidays(2026), expected);
        // New Year's Day 2028 is a Saturday: observed on Friday, December 31st, 2027.
        assert!(is_federal_holiday(day(2027, 12, 31)));
        assert!(!is_federal_holiday(day(2020, 6, 19)), "Juneteenth from 2021 only");
        for date in expected {
            assert!(is_federal_holiday(date), "{date}");
        }
    }

    #[test]
    fn payments_move_to_the_business_day_before() {
        assert_eq!(business_day_on_or_before(day(2026, 7, 5)), day(2026, 7, 2));
        // Rent due on Sunday, March 1st, 2026 is paid on Friday, February 27th.
        assert!(settles_monthly_on(day(2026, 2, 27), 1));
        assert!(!settles_monthly_on(day(2026, 3, 1), 1));
        assert!(settles_monthly_on(day(2026, 2, 27), 31), "the 31st of a short month is its last day");
        assert!(settles_monthly_on(day(2026, 4, 30), 31));
    }

    #[test]
    fn local_times_convert_with_daylight_time() {
        // Summer: New York is UTC−4; winter: UTC−5; Phoenix is UTC−7 all year.
        assert_eq!(Zone::Eastern.to_utc(day(2026, 7, 1), 9 * 60).to_rfc3339(), "2026-07-01T13:00:00+00:00");
        assert_eq!(Zone::Eastern.to_utc(day(2026, 1, 5), 9 * 60).to_rfc3339(), "2026-01-05T14:00:00+00:00");
        assert_eq!(Zone::Arizona.to_utc(day(2026, 7, 1), 22 * 60).to_rfc3339(), "2026-07-02T05:00:00+00:00");
        assert_eq!(Zone::Pacific.to_utc(day(2026, 3, 8), 3 * 60).to_rfc3339(), "2026-03-08T10:00:00+00:00");
        for (date, minute) in [(day(2026, 7, 1), 23 * 60 - 1), (day(2026, 12, 1), 6 * 60), (day(2026, 11, 1), 600)] {
            for zone in [Zone::Eastern, Zone::Central, Zone::Mountain, Zone::Arizona, Zone::Pacific] {
                assert_eq!(zone.local(zone.to_utc(date, minute)), (date, minute), "{zone:?}");
            }
        }
    }
}
