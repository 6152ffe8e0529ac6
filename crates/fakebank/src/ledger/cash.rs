//! A checking account's dealings with people and with cash: payments to and from the household's
//! contacts (and now and then a stranger), ATM withdrawals (a fee only at another bank's ATM),
//! cash and cheque deposits, the tax refund in spring.

use chrono::{Datelike, NaiveDate};
use fake::Fake;
use fake::faker::name::en::Name;
use rand::RngExt;
use sandbank_domain::transaction::{Category, Location, PaymentChannel};

use super::day::{Day, Purchase};
use crate::calendar::{business_day_on_or_before, settles_monthly_on};
use crate::household::Household;
use crate::merchants::{P2P_CENTS, charging};
use crate::people::PaymentApp;
use crate::seed::{self, stream};

impl Day<'_> {
    /// Payments with people, on business days: each contact's monthly one on its day; now and
    /// then one to or from a contact or, one time in five, someone new (a marketplace sale).
    pub(super) fn people(&mut self, household: &Household) {
        for contact in &household.contacts {
            if let Some((day, cents)) = contact.monthly
                && settles_monthly_on(self.date, day)
            {
                self.pay_person(&contact.name, contact.app, cents);
            }
        }
        if !self.rng.random_bool(0.05) {
            return;
        }
        let cents = self.rng.random_range(P2P_CENTS.0..=P2P_CENTS.1) / 100 * 100;
        let cents = if self.rng.random_bool(0.6) { -cents } else { cents };
        let known = !household.contacts.is_empty() && self.rng.random_bool(0.8);
        if known {
            let contact = &household.contacts[self.rng.random_range(0..household.contacts.len())];
            self.pay_person(&contact.name, contact.app, cents);
        } else {
            let stranger: String = Name().fake_with_rng(&mut self.rng);
            self.pay_person(&stranger, PaymentApp::Zelle, cents);
        }
    }

    /// A payment to (`cents` < 0) or from a person. One out of an account that cannot take it
    /// (a checking account $500 overdrawn, a card at its room) is refused by the bank: not sent.
    fn pay_person(&mut self, name: &str, app: PaymentApp, cents: i64) {
        if cents < 0 && !self.approves(-cents) {
            return;
        }
        self.push_ach(cents, name, app.line(name, cents > 0), Category::Transfer);
    }

    /// An ATM withdrawal on about `atm_per_month` days a month, in twenties, where the household
    /// is; at another bank's ATM, with that bank's fee.
    pub(super) fn atm(&mut self, household: &Household) {
        let cash = household.cash;
        if cash.atm_per_month == 0 || !self.rng.random_bool(f64::from(cash.atm_per_month) / 30.4) {
            return;
        }
        let cents = 20_00 * self.rng.random_range(1..=10);
        let elsewhere = self.rng.random_range(0..100) < cash.out_of_network_percent;
        let city = household.away_on(self.date).unwrap_or(household.city);
        let location = Location { city: city.name.to_owned(), region: city.state.to_owned(), country: "US".to_owned() };
        let descriptor = if elsewhere { "NON-NETWORK ATM WITHDRAWAL" } else { "ATM WITHDRAWAL" };
        if !self.approves(cents) {
            return;
        }
        let withdrawal = charging("ATM Withdrawal", descriptor, Category::Transfer, PaymentChannel::InStore, cents);
        // Cash is never an authorization that drops: booked.
        self.push_purchase(&withdrawal, cents, Some(location.clone()), Purchase::Booked);
        let stamps = self.entries.last().map(|w| (w.authorized, w.posted));
        if elsewhere {
            let fee = self.rng.random_range(2_50..=3_95) / 5 * 5;
            let atm_fee = charging("ATM Fee", "NON-NETWORK ATM FEE", Category::Fees, PaymentChannel::InStore, fee);
            self.push_purchase(&atm_fee, fee, Some(location), Purchase::Booked);
            // Made and posted with the withdrawal it belongs to.
            if let (Some(entry), Some((authorized, posted))) = (self.entries.last_mut(), stamps) {
                (entry.authorized, entry.posted) = (authorized, posted);
            }
        }
    }

    /// On business days: a cash or cheque deposit on about `deposits_per_month` days a month;
    /// the tax refund on its day in spring.
    pub(super) fn deposits(&mut self, household: &Household) {
        let cash = household.cash;
        if cash.deposits_per_month > 0 && self.rng.random_bool(f64::from(cash.deposits_per_month) / 21.0) {
            if self.rng.random_bool(0.5) {
                let cents = 20_00 * self.rng.random_range(2..=30);
                self.push_ach(cents, "Cash Deposit", "BRANCH DEPOSIT - CASH".into(), Category::Income);
            } else {
                let cents = self.rng.random_range(50_00..=1_500_00);
                let number = self.rng.random_range(1_000..10_000);
                self.push_ach(cents, "Mobile Deposit", format!("MOBILE DEPOSIT CHECK #{number}"), Category::Income);
            }
        }
        if let Some(cents) = cash.tax_refund_cents
            && tax_refund_day(household.key, self.date.year()) == self.date
        {
            self.push_ach(cents, "IRS", "IRS TREAS 310 TAX REF".into(), Category::Income);
        }
    }
}

/// The business day the household's tax refund arrives in `year`: between February 10th and
/// April 20th.
fn tax_refund_day(key: u64, year: i32) -> NaiveDate {
    let mut rng = seed::rng(&[key, stream::PEOPLE, 2, u64::try_from(year).unwrap_or_default()]);
    let start = NaiveDate::from_ymd_opt(year, 2, 10).unwrap_or_default();
    business_day_on_or_before(start + chrono::Days::new(rng.random_range(0..70)))
}
