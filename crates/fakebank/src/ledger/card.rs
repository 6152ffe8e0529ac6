//! A card's cycle as banks run it. A statement closes on the statement day with what has
//! posted by then, interest on what revolved and, in the card's anniversary month, its annual
//! fee. The household plans its payment by its habit (in full, part, the minimum, now and then
//! late); a late fee follows when the minimum has not arrived by the due date.
//!
//! Interest, the documented rule: when a statement closes on day C and the previous one (closed
//! on day P, owing S) was not paid in full by C, interest = R × APR / 365 × (C − P) days,
//! rounded to the cent (half up), where R = S less the payments posted after P up to C
//! (payments less returned payments). A statement paid in full owes no interest.

use std::ops::RangeInclusive;

use chrono::{Datelike, Days, NaiveDate};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use sandbank_domain::transaction::Category;

use super::day::Day;
use crate::account::CardHabits;
use crate::calendar::{business_day_after, business_day_on_or_before};
use crate::household::CardPaymentHabit;
use crate::report::minimum_payment;
use crate::seed::{self, stream};

/// A closed statement.
#[derive(Debug, Clone, Copy)]
pub(super) struct Statement {
    pub closed: NaiveDate,
    /// Owed when it closed, in cents.
    pub owed: i64,
    pub minimum: i64,
    pub due: NaiveDate,
    /// Whether the due date has passed and the late fee (if any) been charged.
    late_checked: bool,
}

/// A card's statements and payments so far.
#[derive(Debug)]
pub(super) struct CardCycle {
    /// The statement that closed last.
    pub last: Statement,
    /// Payments posted since it closed, less returned payments, in cents.
    paid_since: i64,
    /// Payments the household has planned: the business day it makes each, and how much.
    pub planned: Vec<(NaiveDate, i64)>,
    /// Payments the paying account could not cover: the business day each is returned, and
    /// how much.
    pub returns: Vec<(NaiveDate, i64)>,
    last_late_fee: Option<NaiveDate>,
}

/// The interest on `revolving` cents at `apr_bp` over `days` days, rounded half up.
pub(crate) fn interest_cents(revolving: i64, apr_bp: i64, days: i64) -> i64 {
    let (numerator, denominator) = (revolving * apr_bp * days, 10_000 * 365);
    (2 * numerator + denominator) / (2 * denominator)
}

impl CardCycle {
    /// The cycle at the history's start, owing `owed`: as if a statement of that balance had
    /// closed on the last statement day before it.
    pub fn opening(card: &CardHabits, owed: i64, start: NaiveDate, key: u64) -> Self {
        let day = card.terms.statement_day;
        let this_month = start.with_day(day).unwrap_or(start);
        let closed = if this_month < start { this_month } else { this_month - chrono::Months::new(1) };
        let mut cycle = Self {
            last: statement(closed, owed, card),
            paid_since: 0,
            planned: Vec::new(),
            returns: Vec::new(),
            last_late_fee: None,
        };
        cycle.plan(card, key);
        cycle.planned.retain(|(on, _)| *on >= start);
        cycle.last.late_checked = cycle.last.due < start || cycle.planned.is_empty();
        cycle
    }

    /// Before the day's entries are recorded: the late fee on the first business day after
    /// the due date; then the day's payments count; on the statement day, interest and the
    /// annual fee.
    pub fn before_close(&mut self, day: &mut Day<'_>, card: &CardHabits) {
        if day.business_day() && !self.last.late_checked && day.date > self.last.due {
            self.last.late_checked = true;
            if self.paid_since < self.last.minimum {
                self.charge_late_fee(day);
            }
        }
        self.paid_since +=
            day.entries.iter().filter(|e| e.category == Category::Transfer && !e.dropped).map(|e| e.cents).sum::<i64>();
        if day.date.day() != card.terms.statement_day {
            return;
        }
        let revolving = self.last.owed - self.paid_since;
        if self.last.owed > 0 && revolving > 0 {
            let days = (day.date - self.last.closed).num_days();
            let cents = interest_cents(revolving, card.terms.apr_bp, days);
            if cents > 0 {
                day.push_posted(-cents, "Interest Charge", "INTEREST CHARGE ON PURCHASES".into(), Category::Fees);
            }
        }
        if card.terms.annual_fee_cents > 0 && day.date.month() == card.anniversary_month {
            let fee = -card.terms.annual_fee_cents;
            day.push_posted(fee, "Annual Fee", "ANNUAL MEMBERSHIP FEE".into(), Category::Fees);
        }
    }

    /// $30, or $41 when another was charged in the last six months; never more than the
    /// minimum payment.
    fn charge_late_fee(&mut self, day: &mut Day<'_>) {
        let recent = self.last_late_fee.is_some_and(|at| (day.date - at).num_days() < 183);
        let cents = if recent { 41_00 } else { 30_00 }.min(self.last.minimum);
        self.last_late_fee = Some(day.date);
        day.push_ach(-cents, "Late Fee", "LATE FEE".into(), Category::Fees);
    }

    /// After the day's entries are recorded: on the statement day, the statement closes with
    /// `posted` (holder side) and the household plans its payment.
    pub fn after_close(&mut self, date: NaiveDate, card: &CardHabits, posted: i64, key: u64) {
        if date.day() != card.terms.statement_day {
            return;
        }
        self.last = statement(date, -posted, card);
        self.paid_since = 0;
        self.plan(card, key);
    }

    /// Plans the payment of the last statement by the household's habit.
    fn plan(&mut self, card: &CardHabits, key: u64) {
        let last = self.last;
        if last.owed <= 0 {
            return;
        }
        let mut rng = seed::rng(&[key, stream::CARD, seed::day_number(last.closed)]);
        let (cents, on) = match card.payments {
            CardPaymentHabit::InFull => (last.owed, before_due(&mut rng, last, 0..=6)),
            CardPaymentHabit::Minimum => (last.minimum, before_due(&mut rng, last, 0..=0)),
            CardPaymentHabit::Partial => (part(&mut rng, last), before_due(&mut rng, last, 0..=6)),
            CardPaymentHabit::SometimesLate => {
                let cents = part(&mut rng, last);
                let late = rng.random_bool(0.3);
                let on = if late {
                    last.due + Days::new(rng.random_range(1..=5))
                } else {
                    before_due(&mut rng, last, 0..=3)
                };
                (cents, business_day_on_or_before(on).max(business_day_after(last.closed)))
            }
        };
        self.planned.push((on, cents));
    }
}

/// The statement closing on `closed` owing `owed`.
fn statement(closed: NaiveDate, owed: i64, card: &CardHabits) -> Statement {
    let due = closed + Days::new(u64::from(card.terms.due_after_days));
    Statement { closed, owed, minimum: minimum_payment(owed.max(0)), due, late_checked: false }
}

/// A business day `lead` days (drawn) before the due date, after the statement closed.
fn before_due(rng: &mut ChaCha8Rng, last: Statement, lead: RangeInclusive<u64>) -> NaiveDate {
    let lead = rng.random_range(lead);
    business_day_on_or_before(last.due - Days::new(lead)).max(business_day_after(last.closed))
}

/// Part of the statement balance: 30–90 % of it in whole dollars, at least the minimum.
fn part(rng: &mut ChaCha8Rng, last: Statement) -> i64 {
    let share = rng.random_range(30..=90);
    (last.owed * share / 100 / 100 * 100).clamp(last.minimum, last.owed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interest_follows_the_documented_rule() {
        // $1,000.00 at 24.99 % for 30 days: 1000 × 0.2499 / 365 × 30 = 20.539… → $20.54.
        assert_eq!(interest_cents(1_000_00, 24_99, 30), 20_54);
        // Half a cent rounds up: 73 cents at 10 % for 25 days is 0.5 cents.
        assert_eq!(interest_cents(73, 10_00, 25), 1);
        assert_eq!(interest_cents(0, 24_99, 30), 0);
    }
}
