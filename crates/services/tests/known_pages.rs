//! Issue #15: whether a listing's page is known is told on the caller's thread on SQLite (a
//! version read on a connection free that moment), never there on PostgreSQL, and at the same
//! tag `list_if_changed` gives; a write to the user's transactions moves it on.

use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_domain::user::Email;
use sandbank_services::use_cases::transactions::{Listing, PageTag, TransactionService};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::users;

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
    db.write(|conn| ChangeStamp::new(user).seq(conn).map(drop)).expect("a write to the user's transactions");
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
