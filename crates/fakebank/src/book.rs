//! The household's book: its accounts at every bank over one history, how they are linked
//! (which checking account pays which card, where savings go), and the simulation of them all,
//! made once and shared by the accounts a bank shows.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use sandbank_domain::account::AccountType;
use sandbank_domain::bank_data::ReportedAccount;

use crate::account::{self, Habits, Profile};
use crate::catalog::ProviderSpec;
use crate::household::Household;
use crate::ledger::{Entry, simulate};
use crate::{subscriptions, trips};

/// Every entry of every account of a book, by slot, dated before the day given.
pub(crate) type Simulated = Arc<(NaiveDate, Vec<Vec<Entry>>)>;

/// The household's accounts at every bank, for a history starting on one day.
#[derive(Debug)]
pub(crate) struct Book {
    pub history_start: NaiveDate,
    /// In catalog order, then in each bank's holdings order.
    pub accounts: Vec<Held>,
    simulated: Mutex<Option<Simulated>>,
}

/// One account of the household.
#[derive(Debug)]
pub(crate) struct Held {
    pub bank: Arc<ProviderSpec>,
    pub reported: ReportedAccount,
    pub profile: Profile,
    pub links: Links,
}

/// Where an account's money comes from and goes to among the household's accounts (slots).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Links {
    /// For a card, savings or investment account: the checking account that pays or funds it
    /// (at the same bank when pay comes in there, else the household's main one).
    pub funded_from: Option<usize>,
    /// For a checking account: the savings account that takes its surplus and covers it when
    /// it runs low (at the same bank when there is one, else any of the household's).
    pub reserve: Option<usize>,
    /// For a checking account that is not the household's main one: the main one.
    pub main: Option<usize>,
}

impl Book {
    /// The book of `household` for a history starting on `history_start`.
    pub fn new(household: &Arc<Household>, history_start: NaiveDate) -> Self {
        let mut accounts = Vec::new();
        for spec in household.catalog.shared() {
            for (index, product) in household.holdings(spec).iter().enumerate() {
                let (reported, profile) = account::build(spec, household, index, product);
                accounts.push(Held { bank: Arc::clone(spec), reported, profile, links: Links::default() });
            }
        }
        link(&mut accounts, &household.primary_bank);
        subscriptions::assign(household, &mut accounts);
        trips::assign(household, &mut accounts);
        Self { history_start, accounts, simulated: Mutex::new(None) }
    }

    /// Every account's entries dated before `until` (or later: take the prefix you need), by
    /// slot; simulated once for the latest `until` asked.
    pub fn entries(&self, until: NaiveDate) -> Simulated {
        let mut cached = self.simulated.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(simulated) = cached.as_ref().filter(|s| s.0 >= until) {
            return Arc::clone(simulated);
        }
        let simulated = Arc::new((until, simulate(self, until)));
        *cached = Some(Arc::clone(&simulated));
        simulated
    }
}

/// Sets each account's links.
fn link(accounts: &mut [Held], primary_bank: &str) {
    let first = |accounts: &[Held], kind: AccountType, bank: Option<&str>| {
        accounts.iter().position(|a| a.reported.account_type == kind && bank.is_none_or(|b| a.bank.slug == b))
    };
    let main = first(accounts, AccountType::Checking, Some(primary_bank));
    for slot in 0..accounts.len() {
        let bank = Arc::clone(&accounts[slot].bank);
        let here = |kind| first(accounts, kind, Some(&bank.slug));
        // A checking account pays for others only when money comes in there.
        let earns = |slot: &usize| matches!(&accounts[*slot].profile.habits, Habits::Checking(c) if !c.pay.is_empty());
        accounts[slot].links = match accounts[slot].reported.account_type {
            AccountType::CreditCard | AccountType::Savings | AccountType::Investment => {
                Links { funded_from: here(AccountType::Checking).filter(earns).or(main), ..Links::default() }
            }
            AccountType::Checking => Links {
                reserve: here(AccountType::Savings).or_else(|| first(accounts, AccountType::Savings, None)),
                main: main.filter(|m| *m != slot),
                ..Links::default()
            },
        };
    }
}
