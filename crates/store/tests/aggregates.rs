//! Issue #20 item 4: the store's sums come back as domain values, summed by the database, on
//! both backends: spending by category (`spending_between`), posted amounts by day
//! (`posted_by_day`), and the rows categorizing reads (`for_categorizing`).

use chrono::{DateTime, NaiveDate, Utc};
use sandbank_domain::ConnectionId;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::{Category, PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};
use sandbank_domain::user::Email;
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{DbConnection, StoreError, connections, providers, users};

mod common;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).expect("date")
}

fn usd(minor: i64) -> Money {
    Money::from_minor(minor, Currency::USD)
}

fn at(d: u32, hour: u32) -> DateTime<Utc> {
    day(d).and_hms_opt(hour, 30, 0).expect("time").and_utc()
}

/// A transaction of `minor` in `category` dated `d`, posted at `posted` (day, hour) unless pending.
fn row(
    n: u32,
    minor: i64,
    category: Category,
    d: u32,
    status: TransactionStatus,
    posted: Option<(u32, u32)>,
) -> ReportedTransaction {
    ReportedTransaction {
        external_id: format!("tx{n}"),
        amount: usd(minor),
        transaction_type: TransactionType::of_amount(minor),
        status,
        date: day(d),
        authorized_at: None,
        posted_at: posted.map(|(d, hour)| at(d, hour)),
        merchant_name: "Shop".into(),
        description: "SHOP".into(),
        category,
        location: None,
        payment_channel: PaymentChannel::Other,
        refund_of: None,
        counterpart_external_id: None,
    }
}

/// A user with one checking account holding `rows`.
fn load(conn: &mut DbConnection, rows: &[ReportedTransaction]) -> Result<AccountKey, StoreError> {
    let provider = common::bank();
    providers::upsert(conn, &provider)?;
    let user = users::insert(conn, &Email::parse("ada@example.com").expect("email"), None, "hash")?;
    let connection = connections::insert(conn, user.id, provider.id, 1)?;
    let owner = AccountOwner { user_id: user.id, connection_id: connection.id, provider_id: provider.id };
    let reported = common::checking();
    let balances = ReportedBalances { date: day(1), current: usd(0), available: usd(0) };
    let account_id = accounts::insert(conn, owner, &reported, &balances, None)?;
    let key = AccountKey { account_id, connection_id: connection.id, user_id: user.id };
    transactions::insert(conn, key, rows, &mut sandbank_store::changes::ChangeStamp::new(user.id))?;
    Ok(key)
}

fn sums_come_back_as_domain_values(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    use Category::{Groceries, Income, Transfer, Travel};
    use TransactionStatus::{Pending, Posted, Refunded};
    let rows = [
        row(1, -1_000, Groceries, 2, Posted, Some((3, 9))),
        row(2, -250, Groceries, 3, Posted, Some((3, 23))),
        row(3, -2_000, Travel, 4, Pending, None),
        row(4, -5_000, Travel, 5, Refunded, Some((6, 1))),
        row(5, 90_000, Income, 5, Posted, Some((6, 2))),
        row(6, -700, Groceries, 20, Posted, Some((21, 8))),
        row(7, -40_000, Transfer, 6, Posted, Some((6, 3))),
    ];
    let (spent, by_day, categorizing) = db
        .write(|conn| {
            let key = load(conn, &rows)?;
            let spent = transactions::spending_between(conn, key.user_id, day(1), day(10))?;
            let by_day = transactions::posted_by_day(conn, key.account_id)?;
            let categorizing = transactions::for_categorizing(conn, key.connection_id)?;
            Ok::<_, StoreError>((spent, by_day, categorizing))
        })
        .expect("queries");
    assert_eq!(
        spent,
        [(Travel, usd(2_000)), (Groceries, usd(1_250))],
        "credits, refunds, transfers and later days left out"
    );
    assert_eq!(by_day, [(day(3), usd(-1_250)), (day(6), usd(45_000)), (day(21), usd(-700))]);
    let mut seen: Vec<(Money, Category)> = categorizing.iter().map(|r| (r.amount, r.category)).collect();
    seen.sort_by_key(|(amount, _)| amount.minor_units());
    let mut expected: Vec<(Money, Category)> = rows.iter().map(|r| (r.amount, r.category)).collect();
    expected.sort_by_key(|(amount, _)| amount.minor_units());
    assert_eq!(seen, expected);
    let other = ConnectionId::new();
    assert!(db.read(|conn| transactions::for_categorizing(conn, other)).expect("read").is_empty());
}

#[test]
fn issue_20_item_4_sums_come_back_as_domain_values_on_sqlite() {
    sums_come_back_as_domain_values(TestBackend::Sqlite);
}

#[test]
fn issue_20_item_4_sums_come_back_as_domain_values_on_postgres() {
    sums_come_back_as_domain_values(TestBackend::Postgres);
}
