//! What each kind of account does on a day besides everyday purchases: a card's payment, a
//! checking account's paycheck, rent, transfers and fees, a savings account's deposit and yield.

use chrono::{Datelike, Days, NaiveDate};
use fake::Fake;
use fake::faker::name::en::Name;
use rand::RngExt;
use sandbank_domain::transaction::Category;

use super::day::Day;
use crate::account::{CardHabits, CheckingHabits, SavingsHabits};
use crate::merchants::{FEE_CENTS, ZELLE_CENTS};

/// A card's statement: the day it closed and what was owed then (cents).
pub(super) type Statement = (NaiveDate, i64);

impl Day<'_> {
    /// A card's day: bills, purchases, and the payment of a statement due today (down to the
    /// balance the holder carries).
    pub(super) fn card(&mut self, card: &CardHabits, statements: &[Statement]) {
        self.bills();
        self.everyday_purchases();
        let due_after = Days::new(u64::from(card.due_after_days));
        if let Some((_, owed)) = statements.iter().find(|(closed, _)| *closed + due_after == self.date) {
            let payment = owed - card.carried_cents;
            if payment > 0 {
                self.push_ach(payment, "Payment", "ONLINE PAYMENT - THANK YOU".into(), Category::Transfer, 1);
            }
        }
    }

    /// A checking account's day, given its balance before the day.
    pub(super) fn checking(&mut self, checking: &CheckingHabits, balance: i64) {
        self.payday_rent_and_fee(checking);
        self.bills();
        self.everyday_purchases();
        self.zelle();
        if self.rng.random_bool(0.004) {
            let cents = self.rng.random_range(FEE_CENTS.0..=FEE_CENTS.1);
            self.push_ach(-cents, "ATM Fee", "NON-NETWORK ATM FEE".into(), Category::Fees, 0);
        }
        self.keep_buffer(checking, balance);
    }

    /// The paycheck every other Friday, the rent and a business account's monthly fee.
    fn payday_rent_and_fee(&mut self, checking: &CheckingHabits) {
        let date = self.date;
        if date >= checking.first_payday && (date - checking.first_payday).num_days() % 14 == 0 {
            let description = format!("{} PAYROLL PPD", checking.employer.to_uppercase());
            self.push_ach(checking.paycheck_cents, &checking.employer, description, Category::Income, 0);
        }
        if date.day() == checking.rent_day {
            let description = format!("{} RENT WEB PMTS", checking.landlord.to_uppercase());
            self.push_ach(-checking.rent_cents, checking.landlord, description, Category::Housing, 1);
        }
        if date.day() == 1 && checking.monthly_fee_cents > 0 {
            let fee = -checking.monthly_fee_cents;
            self.push_ach(fee, "Monthly Service Fee", "MONTHLY SERVICE FEE".into(), Category::Fees, 0);
        }
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
            self.push_ach(-cents, &person, description, Category::Transfer, 0);
        } else {
            let description = format!("ZELLE PAYMENT FROM {}", person.to_uppercase());
            self.push_ach(cents, &person, description, Category::Income, 0);
        }
    }

    /// Keeps a buffer: sweeps the surplus to savings on the 6th; tops up when low.
    fn keep_buffer(&mut self, checking: &CheckingHabits, balance: i64) {
        if self.date.day() == 6 && balance > checking.buffer_cents + 100_00 {
            let cents = (balance - checking.buffer_cents) / 50_00 * 50_00;
            self.push_ach(-cents, "Transfer to Savings", "ONLINE TRANSFER TO SAV".into(), Category::Transfer, 0);
        } else if balance < 200_00 {
            let cents = (checking.buffer_cents - balance + 49_99) / 50_00 * 50_00;
            self.push_ach(cents, "Transfer from Savings", "ONLINE TRANSFER FROM SAV".into(), Category::Transfer, 0);
        }
    }

    /// A savings account's day (an `investing` one's when set), given its balance before the
    /// day: the monthly deposit, interest at month end (dividends quarterly) and, for savings,
    /// now and then a withdrawal to checking.
    pub(super) fn saving(&mut self, savings: &SavingsHabits, investing: bool, balance: i64) {
        if self.date.day() == savings.deposit_day {
            let (merchant, description) = if investing {
                ("Automatic Investment", "AUTOMATIC INVESTMENT CONTRIBUTION")
            } else {
                ("Transfer from Checking", "ONLINE TRANSFER FROM CHK")
            };
            self.push_ach(savings.monthly_deposit_cents, merchant, description.into(), Category::Transfer, 0);
        }
        self.pay_yield(savings, investing, balance);
        if !investing && self.rng.random_bool(0.01) && balance > 2_000_00 {
            let cents = self.rng.random_range(200_00..=1_500_00);
            self.push_ach(-cents, "Transfer to Checking", "ONLINE TRANSFER TO CHK".into(), Category::Transfer, 0);
        }
    }

    /// Interest on the last day of the month, or an investment's dividend mid-quarter.
    fn pay_yield(&mut self, savings: &SavingsHabits, investing: bool, balance: i64) {
        let date = self.date;
        let pays_yield =
            if investing { date.day() == 15 && date.month().is_multiple_of(3) } else { is_month_end(date) };
        if pays_yield && balance > 0 {
            let periods = if investing { 4 } else { 12 };
            let cents = balance * savings.yield_bp / 10_000 / periods;
            let (merchant, description) =
                if investing { ("Dividend", "DIVIDEND RECEIVED") } else { ("Interest", "INTEREST PAYMENT") };
            if cents > 0 {
                self.push_ach(cents, merchant, description.into(), Category::Income, 0);
            }
        }
    }
}

/// The last day of `date`'s month.
fn is_month_end(date: NaiveDate) -> bool {
    date.succ_opt().is_none_or(|next| next.month() != date.month())
}
