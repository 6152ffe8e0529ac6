//! Issue 18: `q` on the listing, on both backends — a case-insensitive substring of the merchant
//! name or the description (through the trigram index on SQLite);
//! `%`, `_` and `\` stand for themselves; the index follows inserts and deletes; another user's
//! rows never match; counts agree with pages.

use chrono::NaiveDate;
use diesel::RunQueryDsl;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::{Category, PaymentChannel, ReportedTransaction, TransactionStatus, TransactionType};
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_domain::user::Email;
use sandbank_domain::{ProviderId, UserId};
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{DbConnection, StoreError, connections, providers, users};

mod common;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 4).expect("date")
}

/// A posted purchase at `merchant` with statement line `description`.
fn purchase(external_id: &str, merchant: &str, description: &str) -> ReportedTransaction {
    ReportedTransaction {
        external_id: external_id.into(),
        amount: Money::from_minor(-1234, Currency::USD),
        transaction_type: TransactionType::Debit,
        status: TransactionStatus::Posted,
        date: day(),
        authorized_at: None,
        posted_at: None,
        merchant_name: merchant.into(),
        description: description.into(),
        category: Category::Shopping,
        location: None,
        payment_channel: PaymentChannel::Online,
        refund_of: None,
        counterpart_external_id: None,
    }
}

/// A connection of `user` with one account holding `rows`.
fn account_with(
    conn: &mut DbConnection,
    user: UserId,
    provider: ProviderId,
    rows: &[ReportedTransaction],
) -> Result<AccountKey, StoreError> {
    let connection = connections::insert(conn, user, provider, 1)?;
    let owner = AccountOwner { user_id: user, connection_id: connection.id, provider_id: provider };
    let zero = Money::from_minor(0, Currency::USD);
    let balances = ReportedBalances { date: day(), current: zero, available: zero };
    let account_id = accounts::insert(conn, owner, &common::checking(), &balances, None)?;
    let key = AccountKey { account_id, connection_id: connection.id, user_id: user };
    transactions::insert(conn, key, rows, &mut ChangeStamp::new(user))?;
    Ok(key)
}

/// The external ids of `user`'s rows that `q` finds (sorted), and the count of them.
fn found(conn: &mut DbConnection, user: UserId, q: &str) -> Result<(Vec<String>, i64), StoreError> {
    let query =
        TransactionQuery::parse(&RawTransactionQuery { text: Some(q), limit: Some("500"), ..Default::default() })
            .expect("a query");
    let rows = transactions::page(conn, user, &query.filter, query.sort_by, query.order, None, 500)?;
    let mut ids: Vec<String> = rows.into_iter().map(|t| t.reported.external_id).collect();
    ids.sort();
    Ok((ids, transactions::count(conn, user, &query.filter)?))
}

fn search_finds_substrings_of_merchant_and_description(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let provider = common::bank();
    let (user, key) = db
        .write(|conn| {
            providers::upsert(conn, &provider)?;
            let user = users::insert(conn, &Email::parse("ada@example.com").expect("email"), None, "hash")?.id;
            let other = users::insert(conn, &Email::parse("bob@example.com").expect("email"), None, "hash")?.id;
            account_with(conn, other, provider.id, &[purchase("bobs", "Blue Bottle Coffee", "BLUE BOTTLE")])?;
            let rows = [
                purchase("blue", "Blue Bottle Coffee", "BLUE BOTTLE #12 OAKLAND"),
                purchase("whole", "Whole Foods Market", "WHOLEFDS MKT 10234"),
                purchase("percent", "Gift Shop", "50% OFF SALE"),
                purchase("under", "Corner_Store", "POS PURCHASE"),
                purchase("slash", "Back\\Slash Books", "BOOKS"),
                purchase("cafe", "Café Olé", "CAFE OLE"),
                purchase("quote", "Joe's \"Diner\"", "DINER"),
            ];
            let key = account_with(conn, user, provider.id, &rows)?;
            Ok::<_, StoreError>((user, key))
        })
        .expect("stored");
    let search = |q: &str| db.read(|conn| found(conn, user, q)).expect("searched");
    let ids = |q: &str| search(q).0;
    assert_eq!(ids("coffee"), ["blue"], "case-insensitive, and only the user's own");
    assert_eq!(ids("oakland"), ["blue"], "in the description");
    assert_eq!(ids("fds mkt"), ["whole"], "across a space");
    assert_eq!(ids("OOD"), ["whole"]);
    assert_eq!(ids("% o"), ["percent"], "a percent sign is itself");
    assert_eq!(ids("r_s"), ["under"], "an underscore is itself");
    assert_eq!(ids("k\\s"), ["slash"], "a backslash is itself");
    assert_eq!(ids("\"quoted\""), Vec::<String>::new(), "quotes are text, not syntax");
    assert_eq!(ids("s \"Din"), ["quote"], "and are found as text");
    assert_eq!(ids("café"), ["cafe"]);
    assert_eq!(ids("nothing like it"), Vec::<String>::new());
    assert_eq!(search("ole"), (vec!["cafe".to_owned(), "whole".to_owned()], 2), "the count agrees with the rows");

    // The index follows new rows and deletions.
    db.write(|conn| {
        transactions::insert(conn, key, &[purchase("late", "Late Coffee Co", "COFFEE")], &mut ChangeStamp::new(user))?;
        let rows = transactions::settlements_between(conn, key.account_id, day()..day() + chrono::Days::new(1))?;
        let blue = rows.iter().find(|s| s.external_id == "blue").expect("blue").id;
        transactions::delete(conn, &[blue], &mut ChangeStamp::new(user))
    })
    .expect("changed");
    assert_eq!(ids("coffee"), ["late"]);

    // The index agrees with the table after a connection's rows go by cascade.
    db.write(|conn| {
        accounts::delete_for_connection(conn, key.connection_id)?;
        if let DbConnection::Sqlite(_) = conn {
            diesel::sql_query(
                "INSERT INTO transaction_search (transaction_search, rank) VALUES ('integrity-check', 1)",
            )
            .execute(conn)?;
        }
        Ok::<_, StoreError>(())
    })
    .expect("the index agrees with its table");
    assert_eq!(ids("coffee"), Vec::<String>::new());
}

#[test]
fn issue_18_search_finds_substrings_on_sqlite() {
    search_finds_substrings_of_merchant_and_description(TestBackend::Sqlite);
}

#[test]
fn issue_18_search_finds_substrings_on_postgres() {
    search_finds_substrings_of_merchant_and_description(TestBackend::Postgres);
}
