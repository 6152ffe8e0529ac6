//! Keyset pagination, on both backends: for random data with many equal dates and amounts,
//! random filters and sorts and random page sizes, walking every page yields exactly the rows
//! of one unpaged listing, in order, with no skip and no repeat, and `total` is their count.

use std::sync::atomic::{AtomicU32, Ordering};

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::{
    Category, PaymentChannel, ReportedTransaction, Transaction, TransactionStatus, TransactionType,
};
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_domain::user::Email;
use sandbank_domain::{AccountId, ProviderId, UserId};
use sandbank_services::CatalogService;
use sandbank_services::use_cases::transactions::TransactionService;
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::test_database::{TestBackend, TestDatabase, reported_checking};
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{Db, StoreError, connections, users};

const CATEGORIES: [Category; 3] = [Category::Groceries, Category::Travel, Category::Income];
const STATUSES: [TransactionStatus; 2] = [TransactionStatus::Pending, TransactionStatus::Posted];
const AMOUNTS: [i64; 4] = [-1_000, -250, 250, 1_000];

fn day(offset: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 1).expect("date") + Days::new(offset)
}

/// One generated row: which account (0 or 1), day offset, amount, category and status.
type RowSpec = (usize, u64, usize, usize, usize);

/// A listing to walk: filters as query text, sort, order and page size.
#[derive(Debug, Clone)]
struct Listing {
    account: Option<usize>,
    start: Option<u64>,
    end: Option<u64>,
    category: Option<usize>,
    status: Option<usize>,
    debit: Option<bool>,
    sort_by: &'static str,
    order: &'static str,
    limit: u16,
}

fn listing() -> impl Strategy<Value = Listing> {
    (
        (proptest::option::of(0..2usize), proptest::option::of(0..5u64), proptest::option::of(0..5u64)),
        (proptest::option::of(0..3usize), proptest::option::of(0..2usize), proptest::option::of(any::<bool>())),
        (prop_oneof![Just("date"), Just("amount")], prop_oneof![Just("asc"), Just("desc")], 1..25u16),
    )
        .prop_map(|((account, start, end), (category, status, debit), (sort_by, order, limit))| {
            // Keep start <= end so the query is valid.
            let (start, end) = match (start, end) {
                (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                other => other,
            };
            Listing { account, start, end, category, status, debit, sort_by, order, limit }
        })
}

struct Fixture {
    db: Db,
    service: TransactionService,
    provider: ProviderId,
    users: AtomicU32,
}

impl Fixture {
    fn new(database: &TestDatabase) -> Self {
        let db = database.migrated();
        CatalogService::new(db.clone()).seed().expect("seed");
        let provider = sandbank_fakebank::CATALOG[0].id.parse().expect("provider id");
        Self { service: TransactionService::new(db.clone(), &[5; 32]), db, provider, users: AtomicU32::new(0) }
    }

    /// A new user holding two accounts with `rows`; returns the user, accounts and stored rows.
    fn load(&self, rows: &[RowSpec]) -> (UserId, [AccountId; 2], Vec<Transaction>) {
        let n = self.users.fetch_add(1, Ordering::SeqCst);
        self.db
            .write(|conn| {
                let email = Email::parse(&format!("user{n}@example.com")).expect("email");
                let user = users::insert(conn, &email, None, "hash")?;
                let connection = connections::insert(conn, user.id, self.provider, 1)?;
                let owner = AccountOwner { user_id: user.id, connection_id: connection.id, provider_id: self.provider };
                let money = |minor| Money::from_minor(minor, Currency::USD);
                let balances = ReportedBalances { date: day(0), current: money(0), available: money(0) };
                let mut ids = Vec::new();
                for i in 0..2 {
                    let reported = reported_checking(&format!("acc{i}"));
                    ids.push(accounts::insert(conn, owner, &reported, &balances, None)?);
                }
                for (index, (account, offset, amount, category, status)) in rows.iter().enumerate() {
                    let amount = AMOUNTS[*amount];
                    let row = ReportedTransaction {
                        external_id: format!("tx{index}"),
                        amount: money(amount),
                        transaction_type: TransactionType::of_amount(amount),
                        status: STATUSES[*status],
                        date: day(*offset),
                        authorized_at: None,
                        posted_at: None,
                        merchant_name: "Shop".into(),
                        description: "SHOP".into(),
                        category: CATEGORIES[*category],
                        location: None,
                        payment_channel: PaymentChannel::Other,
                        refund_of: None,
                        counterpart_external_id: None,
                    };
                    let key = AccountKey { account_id: ids[*account], connection_id: connection.id, user_id: user.id };
                    transactions::insert(conn, key, &[row], &mut sandbank_store::changes::ChangeStamp::new(user.id))?;
                }
                let everything =
                    TransactionQuery::parse(&RawTransactionQuery { limit: Some("500"), ..Default::default() })
                        .expect("query");
                let stored = transactions::page(
                    conn,
                    user.id,
                    &everything.filter,
                    everything.sort_by,
                    everything.order,
                    None,
                    1000,
                )?;
                Ok::<_, StoreError>((user.id, [ids[0], ids[1]], stored))
            })
            .expect("fixture rows")
    }

    fn walk(&self, rows: &[RowSpec], listing: &Listing) -> Result<(), TestCaseError> {
        let (user, accounts, stored) = self.load(rows);
        let account = listing.account.map(|i| accounts[i].to_string());
        let (start, end) = (listing.start.map(|d| day(d).to_string()), listing.end.map(|d| day(d).to_string()));
        let limit = listing.limit.to_string();
        let mut cursor: Option<String> = None;
        let mut walked = Vec::new();
        let mut total = None;
        loop {
            let raw = RawTransactionQuery {
                account_id: account.as_deref(),
                start_date: start.as_deref(),
                end_date: end.as_deref(),
                category: listing.category.map(|c| CATEGORIES[c].as_str()),
                status: listing.status.map(|s| STATUSES[s].as_str()),
                transaction_type: listing.debit.map(|d| if d { "debit" } else { "credit" }),
                sort_by: Some(listing.sort_by),
                sort_order: Some(listing.order),
                cursor: cursor.as_deref(),
                limit: Some(&limit),
                ..Default::default()
            };
            let query = self.service.parse_query(&raw).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let page = self.service.list(user, &query).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(page.transactions.len() <= usize::from(listing.limit));
            prop_assert_eq!(*total.get_or_insert(page.total), page.total, "total is fixed at the first page");
            walked.extend(page.transactions.iter().map(|t| t.id));
            prop_assert_eq!(page.has_more, page.next_cursor.is_some());
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
            prop_assert!(walked.len() <= stored.len(), "the walk does not end");
        }
        // The oracle: filter and sort in memory.
        let mut expected: Vec<&Transaction> = stored
            .iter()
            .filter(|t| listing.account.is_none_or(|i| t.account_id == accounts[i]))
            .filter(|t| listing.start.is_none_or(|d| t.reported.date >= day(d)))
            .filter(|t| listing.end.is_none_or(|d| t.reported.date <= day(d)))
            .filter(|t| listing.category.is_none_or(|c| t.reported.category == CATEGORIES[c]))
            .filter(|t| listing.status.is_none_or(|s| t.reported.status == STATUSES[s]))
            .filter(|t| listing.debit.is_none_or(|d| (t.reported.transaction_type == TransactionType::Debit) == d))
            .collect();
        expected.sort_by_key(|t| {
            let key = if listing.sort_by == "date" {
                t.reported.date.to_string()
            } else {
                format!("{:020}", t.reported.amount.minor_units() + 1_000_000)
            };
            (key, t.id)
        });
        if listing.order == "desc" {
            expected.reverse();
        }
        let expected: Vec<_> = expected.iter().map(|t| t.id).collect();
        prop_assert_eq!(total, Some(expected.len() as u64));
        prop_assert_eq!(walked, expected);
        Ok(())
    }
}

fn walk_on(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let fixture = Fixture::new(&database);
    let rows = proptest::collection::vec((0..2usize, 0..5u64, 0..4usize, 0..3usize, 0..2usize), 0..120);
    let mut runner = TestRunner::new(Config { cases: 64, ..Config::default() });
    runner
        .run(&(rows, listing()), |(rows, listing)| fixture.walk(&rows, &listing))
        .expect("every walk matches the listing");
}

#[test]
fn pages_walk_the_whole_listing_on_sqlite() {
    walk_on(TestBackend::Sqlite);
}

#[test]
fn pages_walk_the_whole_listing_on_postgres() {
    walk_on(TestBackend::Postgres);
}
