//! The people a household pays and is paid by (friends and family, through Zelle, Venmo or Cash
//! App) and how it uses cash: ATM visits, cash and cheque deposits, its tax refund. Drawn from
//! the household's own stream for them.

use fake::Fake;
use fake::faker::name::en::Name;
use rand::RngExt;
use rand::rngs::ChaCha8Rng;

use crate::seed::{self, stream};

/// How a payment to or from a person is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentApp {
    /// Zelle, bank to bank.
    Zelle,
    /// Venmo.
    Venmo,
    /// Cash App.
    CashApp,
}

impl PaymentApp {
    /// The statement line of a payment to (or, when `incoming`, from) `name`.
    pub(crate) fn line(self, name: &str, incoming: bool) -> String {
        let name = name.to_uppercase();
        let way = if incoming { "FROM" } else { "TO" };
        match self {
            Self::Zelle => format!("ZELLE PAYMENT {way} {name}"),
            Self::Venmo => format!("VENMO PAYMENT {way} {name}"),
            Self::CashApp => format!("CASH APP PAYMENT {way} {name}"),
        }
    }
}

/// Someone the household pays or is paid by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// Their name.
    pub name: String,
    /// How money moves between them.
    pub app: PaymentApp,
    /// A payment every month on this day, of these cents (positive: they pay the household), as
    /// a roommate's share of the bills, a sitter, help to a parent.
    pub monthly: Option<(u32, i64)>,
}

/// How the household uses cash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CashHabits {
    /// ATM withdrawals a month, about (0: it does not use cash).
    pub atm_per_month: u32,
    /// The share of withdrawals made at another bank's ATM, which charges a fee (percent).
    pub out_of_network_percent: u32,
    /// Cash or cheque deposits a month, about.
    pub deposits_per_month: u32,
    /// Its tax refund each spring, in cents (none when it owes).
    pub tax_refund_cents: Option<i64>,
}

/// Three to seven people the household deals with; about a third of them monthly.
pub(crate) fn contacts(key: u64) -> Vec<Contact> {
    let mut rng = seed::rng(&[key, stream::PEOPLE]);
    let count = rng.random_range(3..=7);
    (0..count).map(|_| contact(&mut rng)).collect()
}

fn contact(rng: &mut ChaCha8Rng) -> Contact {
    let name: String = Name().fake_with_rng(rng);
    let app = match rng.random_range(0..11) {
        0..5 => PaymentApp::Zelle,
        5..9 => PaymentApp::Venmo,
        _ => PaymentApp::CashApp,
    };
    let monthly = rng.random_bool(0.3).then(|| {
        let cents = rng.random_range(40_00..=600_00) / 5_00 * 5_00;
        (rng.random_range(1..=28), if rng.random_bool(0.5) { cents } else { -cents })
    });
    Contact { name, app, monthly }
}

/// The household's cash habits, its tax refund by its income (`annual_cents`, net).
pub(crate) fn cash_habits(key: u64, annual_cents: i64) -> CashHabits {
    let mut rng = seed::rng(&[key, stream::PEOPLE, 1]);
    let atm_per_month = if rng.random_bool(0.4) { 0 } else { rng.random_range(1..=4) };
    let refund = (annual_cents as f64 * rng.random_range(0.01..0.06)) as i64 / 100 * 100;
    CashHabits {
        atm_per_month,
        out_of_network_percent: rng.random_range(0..=60),
        deposits_per_month: rng.random_range(0..=2),
        tax_refund_cents: rng.random_bool(0.75).then_some(refund.clamp(150_00, 6_000_00)),
    }
}
