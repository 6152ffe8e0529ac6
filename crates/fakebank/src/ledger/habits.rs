//! What each kind of account does on a day besides everyday purchases: a card's payment, a
//! checking account's pay, rent or mortgage, transfers and fees, a savings account's deposit and
//! yield. Everything here is bank-initiated, so it happens on business days only: what falls
//! on a weekend or a federal holiday is moved to the business day before.

use chrono::{Datelike, Days, NaiveDate};
use fake::Fake;
use fake::faker::name::en::Name;
use rand::RngExt;
use sandbank_domain::transaction::Category;

use super::day::Day;
use crate::account::{CardHabits, CheckingHabits, Pay, SavingsHabits};
use crate::calendar::{business_day_on_or_before, month_end, settles_monthly_on};
use crate::household::{PaySchedule, Tenure};
use crate::merchants::{FEE_CENTS, PAYCHECK_CENTS, ZELLE_CENTS};

/// A card's statement: the day it closed and what was owed then (cents).
pub(super) type Statement = (NaiveDate, i64);

impl Day<'_> {
    /// A card's day: bills, purchases, and the payment of a statement due today (on the
    /// business day before, when the due date is not one), down to the balance the holder
    /// carries.
    pub(super) fn card(&mut self, card: &CardHabits, statements: &[Statement]) {
        self.bills();
        self.everyday_purchases();
        if !self.business_day() {
            return;
        }
        let due_after = Days::new(u64::from(card.due_after_days));
        let due_today = |closed: NaiveDate| business_day_on_or_before(closed + due_after) == self.date;
        if let Some((_, owed)) = statements.iter().rev().find(|(closed, _)| due_today(*closed)) {
            let payment = owed - card.carried_cents;
            if payment > 0 {
                self.push_ach(payment, "Payment", "ONLINE PAYMENT - THANK YOU".into(), Category::Transfer);
            }
        }
    }

    /// A checking account's day, given its balance before the day.
    pub(super) fn checking(&mut self, checking: &CheckingHabits, balance: i64) {
        self.bills();
        self.everyday_purchases();
        if !self.business_day() {
            return;
        }
        self.pay_home_and_fee(checking);
        self.zelle();
        if self.rng.random_bool(0.004) {
            let cents = self.rng.random_range(FEE_CENTS.0..=FEE_CENTS.1);
            self.push_ach(-cents, "ATM Fee", "NON-NETWORK ATM FEE".into(), Category::Fees);
        }
        let today: i64 = self.entries.iter().filter(|e| !e.dropped).map(|e| e.cents).sum();
        self.keep_buffer(checking, balance, today);
    }

    /// Pay that arrives today, the rent or mortgage (due on the 1st) and a business account's
    /// monthly fee.
    fn pay_home_and_fee(&mut self, checking: &CheckingHabits) {
        for pay in &checking.pay {
            if pay.schedule.pays_on(self.date) {
                self.paycheck(pay);
            }
        }
        if let Some(housing) = checking.housing
            && settles_monthly_on(self.date, 1)
        {
            let (what, category) = match housing.tenure {
                Tenure::Rent => ("RENT WEB PMTS", Category::Housing),
                Tenure::Mortgage => ("MORTGAGE PMT", Category::Housing),
            };
            let description = format!("{} {what}", housing.payee.to_uppercase());
            self.push_ach(-housing.monthly_cents, housing.payee, description, category);
        }
        if checking.monthly_fee_cents > 0 && settles_monthly_on(self.date, 1) {
            let fee = -checking.monthly_fee_cents;
            self.push_ach(fee, "Monthly Service Fee", "MONTHLY SERVICE FEE".into(), Category::Fees);
        }
    }

    /// One paycheck; a gig payout varies from week to week, and some weeks there is none.
    fn paycheck(&mut self, pay: &Pay) {
        let cents = match pay.schedule {
            PaySchedule::Gig { .. } => {
                if self.rng.random_bool(0.15) {
                    return;
                }
                (pay.paycheck_cents as f64 * self.rng.random_range(0.5..1.5)) as i64
            }
            _ => pay.paycheck_cents,
        };
        let cents = cents.clamp(PAYCHECK_CENTS.0, PAYCHECK_CENTS.1);
        self.push_ach(cents, &pay.payer, pay.descriptor.clone(), Category::Income);
    }

    /// Now and then a Zelle payment to or from a person.
    fn zelle(&mut self) {
        if !self.rng.random_bool(0.05) {
            return;
        }
        let cents = self.rng.random_range(ZELLE_CENTS.0..=ZELLE_CENTS.1);
        let person: String = Name().fake_with_rng(&mut self.rng);
        if self.rng.random_bool(0.6) {
            let description = format!("ZELLE PAYMENT TO {}", person.to_uppercase());
            self.push_ach(-cents, &person, description, Category::Transfer);
        } else {
            let description = format!("ZELLE PAYMENT FROM {}", person.to_uppercase());
            self.push_ach(cents, &person, description, Category::Income);
        }
    }

    /// Keeps a buffer: sweeps the surplus to savings on the 6th (or the business day before);
    /// tops up when the day (`today`: its entries so far) would leave the balance low.
    fn keep_buffer(&mut self, checking: &CheckingHabits, balance: i64, today: i64) {
        let after = balance + today;
        if settles_monthly_on(self.date, 6) && after > checking.buffer_cents + 100_00 {
            let cents = (after - checking.buffer_cents) / 50_00 * 50_00;
            self.push_ach(-cents, "Transfer to Savings", "ONLINE TRANSFER TO SAV".into(), Category::Transfer);
        } else if after < 200_00 {
            let cents = (checking.buffer_cents.max(500_00) - after + 49_99) / 50_00 * 50_00;
            self.push_ach(cents, "Transfer from Savings", "ONLINE TRANSFER FROM SAV".into(), Category::Transfer);
        }
    }

    /// A savings account's day (an `investing` one's when set), given its balance before the
    /// day: the monthly deposit, interest at month end (dividends quarterly) and, for savings,
    /// now and then a withdrawal to checking.
    pub(super) fn saving(&mut self, savings: &SavingsHabits, investing: bool, balance: i64) {
        if !self.business_day() {
            return;
        }
        if savings.monthly_deposit_cents > 0 && settles_monthly_on(self.date, savings.deposit_day) {
            let (merchant, description) = if investing {
                ("Automatic Investment", "AUTOMATIC INVESTMENT CONTRIBUTION")
            } else {
                ("Transfer from Checking", "ONLINE TRANSFER FROM CHK")
            };
            self.push_ach(savings.monthly_deposit_cents, merchant, description.into(), Category::Transfer);
        }
        self.pay_yield(savings, investing, balance);
        if !investing && self.rng.random_bool(0.01) && balance > 2_000_00 {
            let cents = self.rng.random_range(200_00..=1_500_00);
            self.push_ach(-cents, "Transfer to Checking", "ONLINE TRANSFER TO CHK".into(), Category::Transfer);
        }
    }

    /// Interest on the month's last business day, or an investment's dividend mid-quarter.
    fn pay_yield(&mut self, savings: &SavingsHabits, investing: bool, balance: i64) {
        let date = self.date;
        let pays_yield = if investing {
            date.month().is_multiple_of(3) && settles_monthly_on(date, 15)
        } else {
            settles_monthly_on(date, month_end(date))
        };
        if pays_yield && balance > 0 {
            let periods = if investing { 4 } else { 12 };
            let cents = balance * savings.yield_bp / 10_000 / periods;
            let (merchant, description) =
                if investing { ("Dividend", "DIVIDEND RECEIVED") } else { ("Interest", "INTEREST PAYMENT") };
            if cents > 0 {
                self.push_ach(cents, merchant, description.into(), Category::Income);
            }
        }
    }
}
