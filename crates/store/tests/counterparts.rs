//! Issue 19: the other side of a transfer, resolved within the user's data on both backends —
//! this connection's first, else the earliest other connection's; another user's rows, unknown
//! ids and rows that do not name it back resolve to nothing; a later report's counterpart
//! replaces the stored one.

use std::collections::HashMap;

use chrono::NaiveDate;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_domain::money::{Currency, Money};
use sandbank_domain::transaction::{
    Category, PaymentChannel, ReportedTransaction, Transaction, TransactionStatus, TransactionType,
};
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_domain::user::Email;
use sandbank_domain::{ProviderId, TransactionId, UserId};
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{DbConnection, StoreError, connections, providers, users};

mod common;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 4).expect("date")
}

/// A posted transfer of `minor` with external id `external_id` naming `counterpart`.
fn transfer(external_id: &str, minor: i64, counterpart: Option<&str>) -> ReportedTransaction {
    ReportedTransaction {
        external_id: external_id.into(),
        amount: Money::from_minor(minor, Currency::USD),
        transaction_type: TransactionType::of_amount(minor),
        status: TransactionStatus::Posted,
        date: day(),
        authorized_at: None,
        posted_at: None,
        merchant_name: "Transfer".into(),
        description: "ONLINE TRANSFER".into(),
        category: Category::Transfer,
        location: None,
        payment_channel: PaymentChannel::Other,
        refund_of: None,
        counterpart_external_id: counterpart.map(str::to_owned),
    }
}

/// A new connection of `user` at `provider` with one account holding `rows`.
fn connection_with(
    conn: &mut DbConnection,
    user: UserId,
    provider: ProviderId,
    rows: &[ReportedTransaction],
) -> Result<AccountKey, StoreError> {
    // Connections are ordered by creation: keep their timestamps apart.
    std::thread::sleep(std::time::Duration::from_millis(3));
    let connection = connections::insert(conn, user, provider, 1)?;
    let owner = AccountOwner { user_id: user, connection_id: connection.id, provider_id: provider };
    let reported = common::checking();
    let zero = Money::from_minor(0, Currency::USD);
    let balances = ReportedBalances { date: day(), current: zero, available: zero };
    let account_id = accounts::insert(conn, owner, &reported, &balances, None)?;
    let key = AccountKey { account_id, connection_id: connection.id, user_id: user };
    transactions::insert(conn, key, rows, &mut ChangeStamp::new(user))?;
    Ok(key)
}

/// Every transaction of `user`, counterparts resolved, by external id and connection order.
fn listed(conn: &mut DbConnection, user: UserId) -> Result<Vec<Transaction>, StoreError> {
    let query =
        TransactionQuery::parse(&RawTransactionQuery { limit: Some("500"), ..Default::default() }).expect("a query");
    let mut rows = transactions::page(conn, user, &query.filter, query.sort_by, query.order, None, 500)?;
    transactions::resolve_counterparts(conn, user, &mut rows)?;
    Ok(rows)
}

fn counterparts_resolve_within_the_users_data(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let provider = common::bank();
    let (user, first, second, third) = db
        .write(|conn| {
            providers::upsert(conn, &provider)?;
            let user = users::insert(conn, &Email::parse("ada@example.com").expect("email"), None, "hash")?.id;
            let other = users::insert(conn, &Email::parse("bob@example.com").expect("email"), None, "hash")?.id;
            // Another user's row with an id that `lonely` names: never a counterpart of Ada's.
            connection_with(conn, other, provider.id, &[transfer("elsewhere", 700, Some("lonely"))])?;
            let first = connection_with(
                conn,
                user,
                provider.id,
                &[transfer("twin", 100, Some("mine")), transfer("echo", 40, Some("pair"))],
            )?;
            let second = connection_with(
                conn,
                user,
                provider.id,
                &[
                    transfer("cross", -100, Some("twin")),
                    transfer("unknown", -5, Some("nowhere")),
                    transfer("pair", -40, Some("echo")),
                    transfer("back", 3, Some("plain")),
                ],
            )?;
            let third = connection_with(
                conn,
                user,
                provider.id,
                &[
                    transfer("mine", -100, Some("twin")),
                    transfer("twin", 100, Some("mine")),
                    transfer("lonely", -700, Some("elsewhere")),
                    transfer("plain", -3, None),
                    transfer("echo", 40, Some("pair")),
                ],
            )?;
            Ok::<_, StoreError>((user, first, second, third))
        })
        .expect("stored");
    let rows = db.read(|conn| listed(conn, user)).expect("listed");
    assert_eq!(rows.len(), 11, "only Ada's rows");
    let id_of = |external_id: &str, key: AccountKey| -> TransactionId {
        rows.iter()
            .find(|t| t.reported.external_id == external_id && t.connection_id == key.connection_id)
            .map(|t| t.id)
            .unwrap_or_else(|| panic!("{external_id} in {key:?}"))
    };
    let resolved: HashMap<TransactionId, Option<TransactionId>> =
        rows.iter().map(|t| (t.id, t.counterpart_id)).collect();
    let counterpart = |external_id: &str, key: AccountKey| resolved[&id_of(external_id, key)];

    // The same connection's side wins over an earlier connection's.
    assert_eq!(counterpart("mine", third), Some(id_of("twin", third)));
    assert_eq!(counterpart("twin", third), Some(id_of("mine", third)));
    // In no connection of its own: the other side in another connection, the earliest one.
    assert_eq!(counterpart("pair", second), Some(id_of("echo", first)));
    assert_eq!(counterpart("echo", third), Some(id_of("pair", second)));
    assert_eq!(counterpart("twin", first), Some(id_of("mine", third)), "across connections");
    // A row that does not name it back is not its other side (histories that differ).
    assert_eq!(counterpart("cross", second), None);
    // Unknown, another user's, or none named: nothing.
    assert_eq!(counterpart("unknown", second), None);
    assert_eq!(counterpart("lonely", third), None, "another user's row is not a counterpart");
    assert_eq!(counterpart("plain", third), None);

    // A later report that names another counterpart replaces the stored one.
    let plain = id_of("plain", third);
    db.write(|conn| {
        let settled = transactions::settlements_between(conn, third.account_id, day()..day().succ_opt().expect("day"))?;
        let stored = settled.iter().find(|s| s.id == plain).expect("plain's settlement");
        let reported = transfer("plain", -3, Some("back"));
        assert!(stored.differs_from(&reported));
        transactions::settle(conn, plain, &reported, &mut ChangeStamp::new(user))
    })
    .expect("settled");
    let rows = db.read(|conn| listed(conn, user)).expect("listed again");
    let plain_now = rows.iter().find(|t| t.id == plain).expect("plain");
    assert_eq!(plain_now.reported.counterpart_external_id.as_deref(), Some("back"));
    assert_eq!(plain_now.counterpart_id, Some(id_of("back", second)));
}

#[test]
fn issue_19_counterparts_resolve_within_the_users_data_on_sqlite() {
    counterparts_resolve_within_the_users_data(TestBackend::Sqlite);
}

#[test]
fn issue_19_counterparts_resolve_within_the_users_data_on_postgres() {
    counterparts_resolve_within_the_users_data(TestBackend::Postgres);
}
