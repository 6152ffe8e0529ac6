//! What the time of year does to a household's money: the electric bill follows the month
//! (air conditioning in the summers of the south and the west, heating in the winters of the
//! north), the holiday season (about November 20th to December 24th) brings more purchases and
//! more of them shopping, and families with children (three or more people) shop for school
//! from August 1st to September 5th.

use chrono::{Datelike, NaiveDate};

/// The electric bill by month (January first), in percent of its base, where summers peak.
const SUMMER_PEAK: [i64; 12] = [85, 80, 80, 85, 100, 125, 150, 155, 130, 100, 85, 90];

/// The same where winters peak.
const WINTER_PEAK: [i64; 12] = [145, 135, 115, 95, 85, 90, 105, 105, 90, 90, 110, 135];

/// States whose electric bills peak in summer (air conditioning).
const HOT_STATES: &[&str] = &["TX", "FL", "GA", "TN", "AZ", "CA"];

/// The electric bill in `state` in the month of `date`, in percent of its base.
pub(crate) fn electric_percent(state: &str, date: NaiveDate) -> i64 {
    let months = if HOT_STATES.contains(&state) { &SUMMER_PEAK } else { &WINTER_PEAK };
    months[date.month0() as usize]
}

/// How the season moves a day's everyday purchases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Season {
    /// Purchases a day, relative to the rest of the year.
    pub purchases: f64,
    /// The weight of shopping in the category mix, relative to the rest of the year.
    pub shopping: u32,
    /// Whether shopping is for school (at school-supply and clothing stores, some of the time).
    pub school: bool,
}

const USUAL: Season = Season { purchases: 1.0, shopping: 1, school: false };
const HOLIDAYS: Season = Season { purchases: 1.15, shopping: 2, school: false };
const BACK_TO_SCHOOL: Season = Season { purchases: 1.1, shopping: 2, school: true };

/// The season of `date` for a household of `family_size` people.
pub(crate) fn season(date: NaiveDate, family_size: u32) -> Season {
    match (date.month(), date.day()) {
        (11, 20..) | (12, ..=24) => HOLIDAYS,
        (8, _) | (9, ..=5) if family_size >= 3 => BACK_TO_SCHOOL,
        _ => USUAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_and_bills_follow_the_calendar() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        assert_eq!(season(day(11, 19), 4), USUAL);
        assert_eq!(season(day(11, 20), 1), HOLIDAYS);
        assert_eq!(season(day(12, 25), 4), USUAL);
        assert_eq!(season(day(8, 15), 3), BACK_TO_SCHOOL);
        assert_eq!(season(day(9, 6), 3), USUAL);
        assert_eq!(season(day(8, 15), 2), USUAL);
        assert!(electric_percent("TX", day(7, 1)) > electric_percent("TX", day(1, 1)));
        assert!(electric_percent("MN", day(1, 1)) > electric_percent("MN", day(7, 1)));
    }
}
