//! Issue #15: whether a listing's page is known is told on the caller's thread on SQLite (a
//! version read on a connection free that moment), never there on PostgreSQL, and at the same
//! tag `list_if_changed` gives; a write to the user's transactions (or accounts), in another
//! process, moves it on.

use chrono::NaiveDate;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_domain::user::Email;
use sandbank_domain::{ProviderId, UserId};
use sandbank_services::CatalogService;
use sandbank_services::use_cases::accounts::AccountService;
use sandbank_services::use_cases::transactions::{Listing, PageTag, TransactionService};
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::test_database::{TestBackend, TestDatabase, reported_checking};
use sandbank_store::{Db, StoreError, connections, users};

fn known_at_once_agrees_with_the_listing(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let service = TransactionService::new(db.clone(), &[5; 32]);
    let email = Email::parse("known@example.com").expect("email");
    let user = db.write(|conn| users::insert(conn, &email, None, "hash")).expect("user").id;
    let query = TransactionQuery::parse(&RawTransactionQuery::default()).expect("query");
    let listed_tag = || match service.list_if_changed(user, &query, |tag| Some(tag.clone())).expect("listed") {
        Listing::Known(tag, _) => tag,
        Listing::Page(..) => unreachable!("`known` has every tag"),
    };
    let at_once = || service.known_at_once(user, &query, |tag| Some(tag.clone())).map(|(tag, _)| tag);
    let before: PageTag = listed_tag();
    if backend == TestBackend::Postgres {
        assert_eq!(at_once(), None, "PostgreSQL: asked on the quick-read threads only");
        return;
    }
    assert_eq!(at_once(), Some(before.clone()));
    let only_before = |tag: &PageTag| (*tag == before).then_some(());
    assert!(service.known_at_once(user, &query, only_before).is_some());
    let elsewhere = Db::open(database.url()).expect("another process's pool");
    elsewhere.write(|conn| ChangeStamp::new(user).seq(conn).map(drop)).expect("a write to the user's transactions");
    let after = listed_tag();
    assert_ne!(after, before);
    assert_eq!(at_once(), Some(after), "the new version, at once");
    assert!(service.known_at_once(user, &query, only_before).is_none(), "the old page is not known any more");
}

#[test]
fn known_at_once_agrees_with_the_listing_on_sqlite() {
    known_at_once_agrees_with_the_listing(TestBackend::Sqlite);
}

#[test]
fn known_at_once_agrees_with_the_listing_on_postgres() {
    known_at_once_agrees_with_the_listing(TestBackend::Postgres);
}

fn the_accounts_version_is_read_at_once(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    CatalogService::new(db.clone()).seed().expect("the banks");
    let service = AccountService::new(db.clone());
    let email = Email::parse("accounts-known@example.com").expect("email");
    let user = db.write(|conn| users::insert(conn, &email, None, "hash")).expect("user").id;
    let at_once = || service.known_at_once(user, Some);
    if backend == TestBackend::Postgres {
        assert_eq!(at_once(), None, "PostgreSQL: asked on the quick-read threads only");
        return;
    }
    let before = at_once().expect("SQLite: at once");
    let elsewhere = Db::open(database.url()).expect("another process's pool");
    elsewhere.write(|conn| add_an_account(conn, user)).expect("a write to the user's accounts");
    assert!(at_once().expect("at once") > before);
    assert_eq!(
        service.known_at_once(user, |version| (version == before).then_some(())),
        None,
        "the old list is not known"
    );
}

#[test]
fn the_accounts_version_is_read_at_once_on_sqlite() {
    the_accounts_version_is_read_at_once(TestBackend::Sqlite);
}

#[test]
fn the_accounts_version_is_read_at_once_on_postgres() {
    the_accounts_version_is_read_at_once(TestBackend::Postgres);
}

/// Connects `user` to the catalog's first bank and stores a checking account there.
fn add_an_account(conn: &mut sandbank_store::DbConnection, user: UserId) -> Result<(), StoreError> {
    let provider: ProviderId = sandbank_fakebank::CATALOG[0].id.parse().expect("provider id");
    let connection = connections::insert(conn, user, provider, 1)?;
    let owner = AccountOwner { user_id: user, connection_id: connection.id, provider_id: provider };
    let zero = Money::from_minor(0, Currency::USD);
    let date = NaiveDate::from_ymd_opt(2026, 5, 1).expect("date");
    accounts::insert(
        conn,
        owner,
        &reported_checking("checking"),
        &ReportedBalances { date, current: zero, available: zero },
        None,
    )?;
    Ok(())
}
