//! Recurring charges: the subscriptions and bills an account's history shows — what, how often,
//! for how much, and when the next one is due. [`detect`] finds them; it reads nothing but the
//! rows it is given and the day it is told is today.
//!
//! The rules, in order:
//!
//! 1. **Charges only** ([`ChargeRow::is_charge`]): debits (amount < 0) that are not refunded,
//!    not a refund, not income and not one side of a transfer between the household's own
//!    accounts (a card payment, a sweep: a row that names its other side). A transfer that names
//!    none is a payment to a person (a sitter, a share of the rent) and counts; cash from an ATM
//!    (a transfer made in person) does not.
//! 2. **Series**: charges grouped by account, currency and merchant, the merchant's name
//!    compared by its words (case, punctuation and numbers such as store numbers left out), in
//!    date order.
//! 3. **Cadence**: the middle gap between consecutive charges (the lower of the two middles)
//!    picks the [`Cadence`] whose window holds it (weekly 6–8 days, biweekly 12–16, monthly
//!    25–35, quarterly 83–99, yearly 350–380: room for a charge moved to the business day before
//!    a weekend or holiday and for a few days' jitter). A gap longer than two periods is a pause
//!    (a subscription stopped and taken up again): only the run after the last pause counts.
//!    Every gap of that run must be one period, or two (one missed charge: a declined card, a
//!    dropped authorization) for at most one gap in three; and the run must have enough charges
//!    ([`Cadence::min_occurrences`]: three for a monthly one; two for a yearly one, which is
//!    little evidence, so a yearly series must be of a category that bills on a schedule by
//!    nature: subscriptions, housing, utilities or fees — not two coffees a year apart).
//! 4. **Amounts**: a utility bill may vary (electricity follows the seasons); anything else must
//!    be steady: one price throughout, or one change of price (a price rise) to no more than
//!    twice or less than half the old one, with some price charged twice in a row. Everyday
//!    purchases at one merchant, whose amounts differ every time, never pass, however regular.
//!    When a merchant's whole series fails, its charges at one amount are tried on their own
//!    when they are at least half of its charges: a membership among a few one-off purchases at
//!    the same gym, a monthly payment to a person among occasional ones (not two equal interest
//!    charges a year apart among a dozen that differ).
//! 5. **Alive**: the next charge is expected a period after the day the last one was due
//!    (monthly, quarterly, yearly: on the series' day of the month — the day the most charges
//!    fall on or up to four days before, as a charge moved to the business day before a weekend
//!    or holiday does — clamped to the month's length; weekly and biweekly: a period after the
//!    last). The series counts only while today is at most [`Cadence::grace_days`] past that
//!    date: a cancelled subscription drops out. The date is the nominal one; a bill paid by ACH
//!    may come a few days before it.
//!
//! The typical amount is the amount at the current price (after a price change, the new one)
//! or, for a bill that varies, the middle one; it keeps the API's sign: negative, money out.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::money::{Currency, Money};
use crate::text_enum::text_enum;
use crate::transaction::{Category, PaymentChannel, Transaction, TransactionStatus, TransactionType};
use crate::{AccountId, ConnectionId, TransactionId};

#[cfg(test)]
mod tests;

text_enum!(
    /// How often a recurring charge comes.
    Cadence {
        /// Every week.
        Weekly => "weekly",
        /// Every other week.
        Biweekly => "biweekly",
        /// Every month, on about the same day of the month.
        Monthly => "monthly",
        /// Every three months.
        Quarterly => "quarterly",
        /// Every year.
        Yearly => "yearly",
    }
);

/// How far back from today the detector looks, in days: far enough for two yearly charges.
pub const HISTORY_DAYS: u64 = 400;

impl Cadence {
    /// A period's length in hundredths of a day (a month is 30.44 days).
    const fn centidays(self) -> i64 {
        match self {
            Self::Weekly => 700,
            Self::Biweekly => 1_400,
            Self::Monthly => 3_044,
            Self::Quarterly => 9_131,
            Self::Yearly => 36_525,
        }
    }

    /// How many days a gap may be off a whole number of periods.
    const fn tolerance_days(self) -> i64 {
        match self {
            Self::Weekly => 1,
            Self::Biweekly => 2,
            Self::Monthly => 5,
            Self::Quarterly => 8,
            Self::Yearly => 15,
        }
    }

    /// How many times a year it comes.
    pub const fn times_a_year(self) -> i64 {
        match self {
            Self::Weekly => 52,
            Self::Biweekly => 26,
            Self::Monthly => 12,
            Self::Quarterly => 4,
            Self::Yearly => 1,
        }
    }

    /// The length of a period in whole days (rounded down).
    pub const fn days(self) -> i64 {
        self.centidays() / 100
    }

    /// The months a period spans, for the cadences that keep a day of the month.
    pub const fn months(self) -> Option<u32> {
        match self {
            Self::Weekly | Self::Biweekly => None,
            Self::Monthly => Some(1),
            Self::Quarterly => Some(3),
            Self::Yearly => Some(12),
        }
    }

    /// The fewest charges a series of this cadence needs.
    pub const fn min_occurrences(self) -> usize {
        match self {
            Self::Weekly => 4,
            Self::Biweekly | Self::Monthly | Self::Quarterly => 3,
            Self::Yearly => 2,
        }
    }

    /// How many days past its expected date a charge may be late before the series counts as
    /// stopped.
    pub const fn grace_days(self) -> i64 {
        match self {
            Self::Weekly => 3,
            Self::Biweekly => 5,
            Self::Monthly => 10,
            Self::Quarterly => 20,
            Self::Yearly => 30,
        }
    }

    /// How many periods (one or two) a gap of `days` spans, or `None` when it fits neither.
    fn periods_in(self, days: i64) -> Option<u32> {
        (1..=2u32).find(|k| {
            let centre = i64::from(*k) * self.centidays() / 100;
            (days - centre).abs() <= self.tolerance_days()
        })
    }

    /// The longest gap of two periods: a longer one is a pause.
    fn longest_gap(self) -> i64 {
        2 * self.centidays() / 100 + self.tolerance_days()
    }

    /// The cadence whose one-period window holds a gap of `days`.
    fn of_gap(days: i64) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.periods_in(days) == Some(1))
    }
}

/// One transaction as the detector reads it: what of a [`Transaction`] it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChargeRow {
    /// The transaction.
    pub id: TransactionId,
    /// Its account.
    pub account_id: AccountId,
    /// Its account's connection.
    pub connection_id: ConnectionId,
    /// The day it happened.
    pub date: NaiveDate,
    /// Signed from the holder's side: a charge is negative.
    pub amount: Money,
    /// The counterparty.
    pub merchant_name: String,
    /// What it was for.
    pub category: Category,
    /// Pending, posted or refunded.
    pub status: TransactionStatus,
    /// How it was made.
    pub payment_channel: PaymentChannel,
    /// Whether it refunds another row.
    pub is_refund: bool,
    /// Whether it is one side of a transfer between two of the household's accounts (it names
    /// the other side).
    pub is_transfer_side: bool,
}

impl From<&Transaction> for ChargeRow {
    fn from(t: &Transaction) -> Self {
        let r = &t.reported;
        Self {
            id: t.id,
            account_id: t.account_id,
            connection_id: t.connection_id,
            date: r.date,
            amount: r.amount,
            merchant_name: r.merchant_name.clone(),
            category: r.category,
            status: r.status,
            payment_channel: r.payment_channel,
            is_refund: r.refund_of.is_some(),
            is_transfer_side: r.counterpart_external_id.is_some(),
        }
    }
}

impl ChargeRow {
    /// Whether it is a charge a recurring series may hold (rule 1 of the [module](self)).
    pub fn is_charge(&self) -> bool {
        let kept_category = match self.category {
            Category::Income | Category::Refund => false,
            Category::Transfer => !self.is_transfer_side && self.payment_channel != PaymentChannel::InStore,
            _ => true,
        };
        TransactionType::of_amount(self.amount.minor_units()) == TransactionType::Debit
            && self.status != TransactionStatus::Refunded
            && !self.is_refund
            && !self.is_transfer_side
            && kept_category
    }
}

/// A subscription or bill found in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurringCharge {
    /// The merchant as its latest charge names it.
    pub merchant_name: String,
    /// The latest charge's category.
    pub category: Category,
    /// How often it comes.
    pub cadence: Cadence,
    /// What it usually costs, negative (money out) as the API shows debits: the current price,
    /// or the middle amount of a bill that varies.
    pub typical_amount: Money,
    /// The day of the latest charge.
    pub last_date: NaiveDate,
    /// When the next charge is expected (the nominal day; it may be up to
    /// [`Cadence::grace_days`] past when the charge is late).
    pub next_expected_date: NaiveDate,
    /// The account it is charged to.
    pub account_id: AccountId,
    /// That account's connection.
    pub connection_id: ConnectionId,
    /// The charges of the series, oldest first.
    pub transaction_ids: Vec<TransactionId>,
}

/// What `charges` cost in an average month, in minor units (positive; a year's worth over
/// twelve, rounded down).
pub fn monthly_cost(charges: &[RecurringCharge]) -> i64 {
    let yearly: i64 = charges.iter().map(|c| -c.typical_amount.minor_units() * c.cadence.times_a_year()).sum();
    yearly / 12
}

/// The recurring charges in `rows` that are still alive on `today`, by next expected date, then
/// merchant, then account. `rows` may hold anything (credits, transfers, several accounts); see
/// the [module](self) for the rules. Rows after `today` count as the history they are.
pub fn detect(rows: &[ChargeRow], today: NaiveDate) -> Vec<RecurringCharge> {
    let mut found: Vec<RecurringCharge> = series(rows).values().filter_map(|s| in_series(s, today)).collect();
    sort(&mut found);
    found
}

/// Sorts recurring charges as [`detect`] gives them: by next expected date, merchant name,
/// account, then last date.
pub fn sort(charges: &mut [RecurringCharge]) {
    charges.sort_by(|a, b| {
        (a.next_expected_date, &a.merchant_name, a.account_id, a.last_date).cmp(&(
            b.next_expected_date,
            &b.merchant_name,
            b.account_id,
            b.last_date,
        ))
    });
}

/// A series' key: its account, currency and merchant (by words).
type SeriesKey = (AccountId, Currency, String);

/// The charges of `rows` by series, each in date order (then by id).
fn series(rows: &[ChargeRow]) -> BTreeMap<SeriesKey, Vec<&ChargeRow>> {
    let mut series: BTreeMap<SeriesKey, Vec<&ChargeRow>> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.is_charge()) {
        let merchant = merchant_key(&row.merchant_name);
        if !merchant.is_empty() {
            series.entry((row.account_id, row.amount.currency(), merchant)).or_default().push(row);
        }
    }
    for charges in series.values_mut() {
        charges.sort_by_key(|r| (r.date, r.id));
    }
    series
}

/// A merchant's name by its words: lower case, punctuation and all-digit words (store numbers)
/// left out, so "STARBUCKS #1234" and "Starbucks" are one merchant.
fn merchant_key(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty() && !word.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The recurring charge of one series: the whole series, or else its charges at one amount
/// that at least half of them have, the most frequent amount first (rule 4).
fn in_series(charges: &[&ChargeRow], today: NaiveDate) -> Option<RecurringCharge> {
    recurring(charges, today).or_else(|| {
        let mut counts: HashMap<i64, usize> = HashMap::new();
        for row in charges {
            *counts.entry(row.amount.minor_units()).or_default() += 1;
        }
        let mut amounts: Vec<(usize, i64)> = counts
            .into_iter()
            .filter(|(_, n)| *n >= 2 && *n * 2 >= charges.len() && *n < charges.len())
            .map(|(a, n)| (n, a))
            .collect();
        amounts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        amounts.into_iter().find_map(|(_, amount)| {
            let same: Vec<&ChargeRow> = charges.iter().copied().filter(|r| r.amount.minor_units() == amount).collect();
            recurring(&same, today)
        })
    })
}

/// `charges` (one series, in date order) as a recurring charge alive on `today`, if they are one:
/// the charges of its current run (rule 3).
fn recurring(charges: &[&ChargeRow], today: NaiveDate) -> Option<RecurringCharge> {
    let dates: Vec<NaiveDate> = charges.iter().map(|r| r.date).collect();
    let (cadence, start) = cadence_of(&dates)?;
    let (charges, dates) = (&charges[start..], &dates[start..]);
    let last = *charges.last()?;
    if cadence == Cadence::Yearly && !bills_by_nature(last.category) {
        return None;
    }
    let amounts: Vec<Money> = charges.iter().map(|r| r.amount).collect();
    let typical_amount = typical_amount(&amounts, last.category)?;
    let next_expected_date = next_expected(cadence, dates)?;
    if (today - next_expected_date).num_days() > cadence.grace_days() {
        return None;
    }
    Some(RecurringCharge {
        merchant_name: last.merchant_name.clone(),
        category: last.category,
        cadence,
        typical_amount,
        last_date: last.date,
        next_expected_date,
        account_id: last.account_id,
        connection_id: last.connection_id,
        transaction_ids: charges.iter().map(|r| r.id).collect(),
    })
}

/// Whether `category` is one that bills on a schedule by nature (subscriptions, the home,
/// utilities, a bank's fees), so that two charges a year apart are evidence enough.
fn bills_by_nature(category: Category) -> bool {
    matches!(category, Category::Subscriptions | Category::Housing | Category::Utilities | Category::Fees)
}

/// The cadence of charges on `dates` (in order), if they keep one, and where its current run
/// starts: after the last pause longer than two periods (a subscription stopped and taken up
/// again), if any (rule 3).
fn cadence_of(dates: &[NaiveDate]) -> Option<(Cadence, usize)> {
    let gaps: Vec<i64> = dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    let mut sorted = gaps.clone();
    sorted.sort_unstable();
    let middle = *sorted.get(sorted.len().checked_sub(1)? / 2)?;
    let cadence = Cadence::of_gap(middle)?;
    let start = gaps.iter().rposition(|gap| *gap > cadence.longest_gap()).map_or(0, |i| i + 1);
    let run = &gaps[start..];
    if run.len() + 1 < cadence.min_occurrences() {
        return None;
    }
    let mut skipped = 0;
    for gap in run {
        if cadence.periods_in(*gap)? > 1 {
            skipped += 1;
        }
    }
    (skipped * 3 <= run.len()).then_some((cadence, start))
}

/// What the charges of `amounts` (in date order, one currency) typically cost, if they are
/// steady enough for a series of `category` (rule 4).
fn typical_amount(amounts: &[Money], category: Category) -> Option<Money> {
    if category == Category::Utilities {
        let mut sorted: Vec<Money> = amounts.to_vec();
        sorted.sort_by_key(|m| m.minor_units().unsigned_abs());
        return sorted.get(sorted.len().checked_sub(1)? / 2).copied();
    }
    let mut runs: Vec<(Money, usize)> = Vec::new();
    for amount in amounts {
        match runs.last_mut() {
            Some((price, count)) if price == amount => *count += 1,
            _ => runs.push((*amount, 1)),
        }
    }
    let repeated = runs.iter().any(|(_, count)| *count >= 2);
    let (first, last) = (runs.first()?.0.minor_units().abs(), runs.last()?.0.minor_units().abs());
    let modest = first.min(last).checked_mul(2)? >= first.max(last);
    let steady = runs.len() == 1 || (runs.len() == 2 && repeated && modest);
    if steady { runs.last().map(|(price, _)| *price) } else { None }
}

/// How many days before its due day a charge may come: moved to the business day before a
/// weekend or a holiday (a Monday holiday after a weekend: three days).
const EARLY_DAYS: u32 = 4;

/// When the charge after the last of `dates` is expected under `cadence` (rule 5): a period
/// after the day the last one was due.
fn next_expected(cadence: Cadence, dates: &[NaiveDate]) -> Option<NaiveDate> {
    let last = *dates.last()?;
    let Some(step) = cadence.months() else {
        return last.checked_add_days(Days::new(cadence.days().unsigned_abs()));
    };
    let day = usual_day(dates);
    let due = match due_on_or_after(last, day)? {
        due if (due - last).num_days() <= i64::from(EARLY_DAYS) => due,
        // Late, or far earlier than business days explain: due in its own month.
        _ => on_day(last.with_day(1)?, day)?,
    };
    on_day(due.with_day(1)?.checked_add_months(Months::new(step))?, day)
}

/// The day of the month the charges on `dates` are due: the day the most of them fall on or
/// up to [`EARLY_DAYS`] before (in their month or the next), then the one the most of them fall
/// on exactly, then the one they come least early for in all.
fn usual_day(dates: &[NaiveDate]) -> u32 {
    let candidates: BTreeSet<u32> = dates.iter().flat_map(|d| d.day()..=(d.day() + EARLY_DAYS).min(31)).collect();
    candidates
        .into_iter()
        .max_by_key(|day| {
            let (fits, exact, early) = fit(dates, *day);
            (fits, exact, Reverse(early), Reverse(*day))
        })
        .unwrap_or(1)
}

/// How many of `dates` fall on `day` of the month or up to [`EARLY_DAYS`] before it, how many
/// exactly on it, and how many days early they are in all.
fn fit(dates: &[NaiveDate], day: u32) -> (usize, usize, i64) {
    let (mut fits, mut exact, mut early) = (0, 0, 0);
    for date in dates {
        let Some(due) = due_on_or_after(*date, day) else { continue };
        let days = (due - *date).num_days();
        if days <= i64::from(EARLY_DAYS) {
            fits += 1;
            exact += usize::from(days == 0);
            early += days;
        }
    }
    (fits, exact, early)
}

/// The first `day` of a month (clamped to the month's length) on or after `date`.
fn due_on_or_after(date: NaiveDate, day: u32) -> Option<NaiveDate> {
    let first = date.with_day(1)?;
    match on_day(first, day)? {
        due if due >= date => Some(due),
        _ => on_day(first.checked_add_months(Months::new(1))?, day),
    }
}

/// Day `day` of the month starting on `first`, or the month's last day when it has fewer days.
fn on_day(first: NaiveDate, day: u32) -> Option<NaiveDate> {
    (1..=day).rev().find_map(|d| first.with_day(d))
}
