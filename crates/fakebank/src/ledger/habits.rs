//! What each kind of account does on its own on a day besides everyday purchases: a checking
//! account's pay, rent or mortgage, fees and cash and people (`cash.rs`), a savings account's
//! yield.
//! Everything here is bank-initiated, so it happens on business days only: what falls on a
//! weekend or a federal holiday is moved to the business day before.

use chrono::Datelike;
use rand::RngExt;
use sandbank_domain::transaction::Category;

use super::day::Day;
use crate::account::{CheckingHabits, Pay, SavingsHabits};
use crate::calendar::{month_end, settles_monthly_on};
use crate::catalog::ProviderSpec;
use crate::household::{PaySchedule, Tenure};
use crate::merchants::PAYCHECK_CENTS;

impl Day<'_> {
    /// A card's own day: bills and purchases (its payments are transfers, its statement is
    /// closed by its cycle).
    pub(super) fn card(&mut self) {
        self.bills();
        self.everyday_purchases();
    }

    /// A checking account's own day: bills, purchases, pay, the home, fees and payments to and
    /// from people (its transfers to and from the household's other accounts come after).
    pub(super) fn checking(&mut self, checking: &CheckingHabits) {
        self.bills();
        self.everyday_purchases();
        let household = &self.profile.household;
        self.atm(household);
        if !self.business_day() {
            return;
        }
        self.pay_home_and_fee(checking);
        self.people(household);
        if checking.housing.is_some() {
            self.deposits(household);
        }
    }

    /// On a business day that leaves the balance (`balance` before the day) below zero after a
    /// debit, the bank's overdraft fee.
    pub(super) fn overdraft_fee(&mut self, bank: &ProviderSpec, balance: i64) {
        if !self.business_day() || bank.overdraft_fee_cents == 0 {
            return;
        }
        let debited = self.entries.iter().any(|e| !e.dropped && e.cents < 0);
        if debited && balance + self.net() < 0 {
            self.push_ach(-bank.overdraft_fee_cents, "Overdraft Fee", "OVERDRAFT FEE".into(), Category::Fees);
        }
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

    /// A savings account's own day (an `investing` one's when set), given its balance before
    /// the day: interest at month end (dividends quarterly); an investment's trades and fees
    /// (`invest.rs`). Deposits and withdrawals are transfers.
    pub(super) fn saving(&mut self, savings: &SavingsHabits, investing: bool, balance: i64) {
        if self.business_day() {
            self.pay_yield(savings, investing, balance);
        }
        if let Some(portfolio) = &savings.portfolio {
            self.invest(portfolio, balance);
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
                if investing {
                    self.adr_fee(cents);
                }
            }
        }
    }
}
