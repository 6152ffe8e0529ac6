//! The recurring-charge detector (`sandbank_domain::recurring`) over the generator's households:
//! what the generator bills again and again — each household's subscriptions, its rent or
//! mortgage, its utility bills, its monthly payments to people — is found with the right
//! cadence and next date, and nothing else is (no coffee shop, no grocer, no card payment).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Days, NaiveDate};
use sandbank_domain::money::Money;
use sandbank_domain::recurring::{Cadence, ChargeRow, RecurringCharge, detect};
use sandbank_domain::transaction::{Category, ReportedTransaction};
use sandbank_domain::{AccountId, ConnectionId, TransactionId};
use sandbank_fakebank::merchants::subscription_prices;
use sandbank_fakebank::{CATALOG, FakeAccount, FakeBank, Household};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// One generated account's history as the detector reads it, with ids of its own.
struct Generated {
    account: AccountId,
    name: String,
    rows: Vec<ReportedTransaction>,
    charges: Vec<ChargeRow>,
}

/// Every account of the household of `seed` (at every bank), linked on `linked_on`, with its
/// rows up to the end of `as_of`.
fn generate(seed: u64, linked_on: NaiveDate, as_of: NaiveDate) -> Vec<Generated> {
    let accounts: Vec<FakeAccount> =
        CATALOG.iter().flat_map(|spec| FakeBank::new(spec, seed, linked_on).accounts()).collect();
    accounts
        .iter()
        .map(|a| {
            let (account, connection) = (AccountId::new(), ConnectionId::new());
            let rows = a.transactions(a.history_start()..as_of + Days::new(1), as_of);
            let charges = rows
                .iter()
                .map(|t| ChargeRow {
                    id: TransactionId::new(),
                    account_id: account,
                    connection_id: connection,
                    date: t.date,
                    amount: t.amount,
                    merchant_name: t.merchant_name.clone(),
                    category: t.category,
                    status: t.status,
                    payment_channel: t.payment_channel,
                    is_refund: t.refund_of.is_some(),
                    is_transfer_side: t.counterpart_external_id.is_some(),
                })
                .collect();
            Generated { account, name: a.reported().name.clone(), rows, charges }
        })
        .collect()
}

/// What the generator bills again and again: which kind of recurring thing `found` is, or
/// `None` when the household has nothing recurring of that name.
fn kind_of(household: &Household, found: &RecurringCharge) -> Option<&'static str> {
    let name = found.merchant_name.as_str();
    let paid_monthly = |c: &&sandbank_fakebank::people::Contact| c.monthly.is_some_and(|(_, cents)| cents < 0);
    if subscription_prices(name).is_some() {
        Some("subscription")
    } else if name == household.housing.payee {
        Some("home")
    } else if found.category == Category::Utilities {
        Some("bill")
    } else if household.contacts.iter().filter(paid_monthly).any(|c| c.name == name) {
        Some("person")
    } else if found.category == Category::Fees {
        // A bank's fee that comes with its cycle: the monthly service fee, the annual fee, and
        // a returned-payment or late fee charged month after month.
        Some("fee")
    } else {
        None
    }
}

/// The subscriptions of `account` charged in each of the three months before `as_of`'s, on one
/// day of the month, at one price, and again this month by `as_of` if their day has come: what
/// must be found, with their day of the month and price.
fn steady_subscriptions(account: &Generated, as_of: NaiveDate) -> BTreeMap<String, (u32, i64)> {
    let month = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let mut by_name: BTreeMap<String, Vec<&ReportedTransaction>> = BTreeMap::new();
    for t in account.rows.iter().filter(|t| subscription_prices(&t.merchant_name).is_some()) {
        by_name.entry(t.merchant_name.clone()).or_default().push(t);
    }
    by_name
        .into_iter()
        .filter_map(|(name, charges)| {
            let recent: Vec<&&ReportedTransaction> =
                charges.iter().filter(|t| month(as_of) - month(t.date) <= 3).collect();
            let days: BTreeSet<u32> = recent.iter().map(|t| t.date.day()).collect();
            let prices: BTreeSet<i64> = recent.iter().map(|t| t.amount.minor_units()).collect();
            let months: BTreeSet<i32> = recent.iter().map(|t| month(t.date)).collect();
            let due_yet = days.first().is_some_and(|d| *d <= as_of.day());
            let wanted = 3 + usize::from(due_yet);
            (days.len() == 1 && prices.len() == 1 && months.len() == wanted && recent.len() == wanted)
                .then(|| (name, (days.first().copied().unwrap_or(1), prices.first().copied().unwrap_or(0))))
        })
        .collect()
}

/// Day `d` of the month after `date`'s.
fn next_month_on(date: NaiveDate, d: u32) -> NaiveDate {
    let first = date.with_day(1).expect("day 1") + chrono::Months::new(1);
    first.with_day(d).expect("a day every month has")
}

/// Tallies of what was found, for the summary line.
#[derive(Debug, Default)]
struct Tally {
    by_kind: BTreeMap<&'static str, usize>,
    steady_subscriptions: usize,
    homes: usize,
}

/// Checks the household of `seed` seen at the end of `as_of`; adds to `tally`.
fn check(seed: u64, linked_on: NaiveDate, as_of: NaiveDate, tally: &mut Tally) {
    let household = Household::of(seed);
    let accounts = generate(seed, linked_on, as_of);
    for account in &accounts {
        let found = detect(&account.charges, as_of);
        for charge in &found {
            let kind = kind_of(&household, charge).unwrap_or_else(|| {
                panic!("seed {seed}, {}: {charge:?} is nothing the household pays again and again", account.name)
            });
            *tally.by_kind.entry(kind).or_default() += 1;
            assert_eq!(charge.account_id, account.account, "seed {seed}");
            assert!(charge.next_expected_date > as_of - Days::new(11), "seed {seed}: {charge:?} is alive");
        }
        for (name, (day_of_month, cents)) in steady_subscriptions(account, as_of) {
            let hit = found.iter().find(|c| c.merchant_name == name);
            let hit = hit.unwrap_or_else(|| {
                panic!("seed {seed}, {} as of {as_of}: {name} not found in {found:#?}", account.name)
            });
            assert_eq!(hit.cadence, Cadence::Monthly, "seed {seed}: {hit:?}");
            assert_eq!(
                hit.typical_amount,
                Money::from_minor(cents, hit.typical_amount.currency()),
                "seed {seed}: {hit:?}"
            );
            assert_eq!(hit.next_expected_date, next_month_on(hit.last_date, day_of_month), "seed {seed}: {hit:?}");
            tally.steady_subscriptions += 1;
        }
        tally.homes += check_home(seed, &household, account, &found, as_of);
    }
}

/// When `account` pays the household's rent or mortgage (every month, on the 1st or the business
/// day before): it is found, monthly, at its price, next due on the 1st after the last payment's
/// (or the end of the month before). Returns 1 when checked.
fn check_home(
    seed: u64,
    household: &Household,
    account: &Generated,
    found: &[RecurringCharge],
    as_of: NaiveDate,
) -> usize {
    let payee = household.housing.payee;
    let payments = account.rows.iter().filter(|t| t.merchant_name == payee && t.amount.is_negative()).count();
    if payments < 3 {
        return 0;
    }
    let home = found.iter().find(|c| c.merchant_name == payee);
    let home = home.unwrap_or_else(|| panic!("seed {seed} as of {as_of}: {payee} not found in {found:#?}"));
    assert_eq!(home.cadence, Cadence::Monthly, "seed {seed}: {home:?}");
    assert_eq!(home.typical_amount.minor_units(), -household.housing.monthly_cents, "seed {seed}: {home:?}");
    // Due on the 1st; when every payment seen was moved to the last business day of the month
    // before (a weekend, New Year's Day), the month's last days fit them as well.
    let next_first = next_month_on(home.last_date + Days::new(4), 1);
    let early = (next_first - home.next_expected_date).num_days();
    assert!((0..=3).contains(&early), "seed {seed}: {home:?}, due {next_first}");
    assert!(home.next_expected_date > as_of - Days::new(3), "seed {seed}: {home:?}");
    assert_eq!(home.transaction_ids.len(), payments, "seed {seed}: every payment in the series");
    1
}

#[test]
fn the_generators_recurring_charges_are_found_and_nothing_else() {
    let mut tally = Tally::default();
    for linked_on in [day(2025, 7, 20), day(2026, 3, 10), day(2026, 12, 28)] {
        for seed in 0..40 {
            // At the link (three to six months of history), and ten months on.
            check(seed, linked_on, linked_on - Days::new(1), &mut tally);
            check(seed, linked_on, linked_on + Days::new(300), &mut tally);
        }
    }
    println!("{tally:?}");
    assert!(tally.steady_subscriptions >= 200, "{tally:?}");
    assert!(tally.homes >= 150, "{tally:?}");
    for kind in ["subscription", "home", "bill", "person", "fee"] {
        assert!(tally.by_kind.get(kind).is_some_and(|n| *n > 10), "{kind}: {tally:?}");
    }
}
