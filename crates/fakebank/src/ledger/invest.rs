//! An investment account's trades and fees. Its balance is what it is worth, so a trade is two
//! rows that cancel out, made together and naming each other: the sale of one fund and the
//! purchase of another with the proceeds (a rebalance, once a quarter). A managed account pays
//! an advisory fee each quarter; foreign holdings now and then an ADR fee with the dividend.
//! Prices are a function of the fund and the week, so the same day always has the same price.

use chrono::{Datelike, NaiveDate};
use rand::RngExt;
use sandbank_domain::transaction::Category;

use super::day::Day;
use crate::account::Portfolio;
use crate::calendar::{month_end, settles_monthly_on};
use crate::seed;

/// A fund: its ticker, its price on 2024-01-01 (cents) and its yearly drift (basis points).
pub(crate) struct Fund {
    pub ticker: &'static str,
    price_cents: i64,
    drift_bp: i64,
}

const fn fund(ticker: &'static str, price_cents: i64, drift_bp: i64) -> Fund {
    Fund { ticker, price_cents, drift_bp }
}

/// The funds households hold.
pub(crate) const FUNDS: &[Fund] = &[
    fund("VTI", 235_00, 900),
    fund("VOO", 430_00, 950),
    fund("VXUS", 58_00, 400),
    fund("BND", 72_00, 100),
    fund("QQQ", 410_00, 1_200),
    fund("SCHD", 76_00, 600),
    fund("VNQ", 88_00, 300),
    fund("IJH", 56_00, 700),
];

/// A fund's price on `date`: its drift since 2024 and a weekly move of up to ±3 %.
fn price_cents(fund: &Fund, date: NaiveDate) -> i64 {
    let days = seed::day_number(date) as i64 - 738_886;
    let drifted = fund.price_cents + fund.price_cents * fund.drift_bp * days / 10_000 / 365;
    let week = seed::combine(&[seed::text(fund.ticker), seed::day_number(date) / 7]);
    let wiggle_bp = (week % 601) as i64 - 300;
    (drifted + drifted * wiggle_bp / 10_000).max(1_00)
}

impl Day<'_> {
    /// An investment account's own trades and fees, given its balance before the day.
    pub(super) fn invest(&mut self, portfolio: &Portfolio, balance: i64) {
        if balance <= 0 || !self.business_day() {
            return;
        }
        let quarter_month = self.date.month() % 3 == portfolio.rebalance_month;
        if quarter_month && settles_monthly_on(self.date, portfolio.rebalance_day) {
            self.rebalance(portfolio, balance);
        }
        let quarter_end = self.date.month().is_multiple_of(3) && settles_monthly_on(self.date, month_end(self.date));
        if quarter_end && portfolio.advisory_fee_bp > 0 {
            let cents = balance * portfolio.advisory_fee_bp / 10_000 / 4;
            self.push_ach(-cents.max(1), "Advisory Fee", "ADVISORY FEE".into(), Category::Fees);
        }
    }

    /// Sells 2–10 % of the account's worth of one of its funds and buys another with it.
    fn rebalance(&mut self, portfolio: &Portfolio, balance: i64) {
        let cents = balance * self.rng.random_range(2..=10) / 100;
        let sold = portfolio.funds[self.rng.random_range(0..portfolio.funds.len())];
        let bought = portfolio.funds.iter().copied().find(|f| *f != sold).unwrap_or(sold);
        let (sold, bought) = (&FUNDS[sold], &FUNDS[bought]);
        let sale = self.push_ach(cents, sold.ticker, trade_line("SELL", sold, cents, self.date), Category::Transfer);
        let purchase =
            self.push_ach(-cents, bought.ticker, trade_line("BUY", bought, cents, self.date), Category::Transfer);
        let count = self.entries.len();
        self.entries[count - 2].counterpart = Some(purchase);
        self.entries[count - 1].counterpart = Some(sale);
    }

    /// With a dividend of `cents`, now and then the depositary's ADR fee on foreign holdings.
    pub(super) fn adr_fee(&mut self, dividend: i64) {
        if self.rng.random_bool(0.3) {
            let cents = (dividend / 200).clamp(50, 25_00);
            self.push_ach(-cents, "ADR Fee", "ADR FEE".into(), Category::Fees);
        }
    }
}

/// "SELL 12.345 SH VXUS @ 61.23": the shares `cents` buys or sells at the day's price.
fn trade_line(side: &str, fund: &Fund, cents: i64, date: NaiveDate) -> String {
    let price = price_cents(fund, date);
    let thousandths = cents * 1_000 / price;
    format!(
        "{side} {}.{:03} SH {} @ {}.{:02}",
        thousandths / 1_000,
        thousandths % 1_000,
        fund.ticker,
        price / 100,
        price % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_drift_and_wiggle_but_stay_put_within_a_week() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("date");
        let vti = &FUNDS[0];
        assert!(price_cents(vti, day(6, 1)) > vti.price_cents, "VTI drifted up since 2024");
        let line = trade_line("BUY", vti, 1_000_00, day(6, 1));
        assert!(line.starts_with("BUY ") && line.contains(" SH VTI @ "), "{line}");
    }
}
