//! The webhook outbox on both backends: a connection's deliveries are claimed oldest first, a
//! later one waits while an earlier one is open (retrying or held by a worker), a final
//! `failed` lets the next go; listings are the user's, newest first.

use chrono::{DateTime, TimeDelta, Utc};
use sandbank_domain::user::Email;
use sandbank_domain::webhook::{
    AttemptOutcome, DeliveryStatus, EventData, WebhookEvent, WebhookEventType, WebhookFormat,
};
use sandbank_domain::{ConnectionId, DeliveryId, UserId};
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::webhooks::{self, Claim};
use sandbank_store::{Db, DbConnection, StoreError, connections, providers, users};

mod common;

fn setup(conn: &mut DbConnection) -> Result<(UserId, ConnectionId, ConnectionId), StoreError> {
    let provider = common::bank();
    providers::upsert(conn, &provider)?;
    let user = users::insert(conn, &Email::parse("hooks@example.com").expect("email"), None, "hash")?;
    let a = connections::insert(conn, user.id, provider.id, 1)?;
    let b = connections::insert(conn, user.id, provider.id, 2)?;
    Ok((user.id, a.id, b.id))
}

fn record(db: &Db, user: UserId, connection: ConnectionId, at: DateTime<Utc>) -> DeliveryId {
    let event = WebhookEvent::new(connection, at, EventData::Test {});
    db.write(|conn| webhooks::insert(conn, user, &event, (WebhookFormat::Sandbank, "{}"), "http://127.0.0.1:9/hook"))
        .expect("inserted")
}

fn claim(db: &Db, connection: ConnectionId, now: DateTime<Utc>) -> Claim {
    db.write(|conn| webhooks::claim_next(conn, connection, now, now + TimeDelta::seconds(60))).expect("claimed")
}

fn claimed_id(claim: Claim) -> Option<DeliveryId> {
    match claim {
        Claim::Due(due) => Some(due.delivery.id),
        _ => None,
    }
}

fn outcome(status: DeliveryStatus, attempts: u32, next: Option<DateTime<Utc>>) -> AttemptOutcome {
    AttemptOutcome { status, attempts, status_code: Some(500), error: Some("HTTP 500".into()), next_attempt_at: next }
}

fn deliveries_go_out_in_order_per_connection(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let (user, a, b) = db.write(setup).expect("setup");
    let now = Utc::now();
    let first = record(&db, user, a, now);
    let second = record(&db, user, a, now);
    let other = record(&db, user, b, now);

    assert_eq!(claimed_id(claim(&db, a, now)), Some(first), "{backend:?}: the oldest first");
    let held = claim(&db, a, now);
    assert_eq!(
        held,
        Claim::Later(sandbank_store::time::from_db_time(sandbank_store::time::to_db_time(
            now + TimeDelta::seconds(60)
        ))),
        "{backend:?}: held by the first worker"
    );
    assert_eq!(claimed_id(claim(&db, b, now)), Some(other), "{backend:?}: another connection does not wait");

    let retry_at = now + TimeDelta::seconds(30);
    db.write(|conn| webhooks::record_attempt(conn, first, &outcome(DeliveryStatus::Retrying, 1, Some(retry_at))))
        .expect("recorded");
    assert!(matches!(claim(&db, a, now), Claim::Later(_)), "{backend:?}: the second waits for the retrying first");
    assert_eq!(claimed_id(claim(&db, a, retry_at)), Some(first), "{backend:?}: the first again when due");
    db.write(|conn| webhooks::record_attempt(conn, first, &outcome(DeliveryStatus::Failed, 2, None)))
        .expect("recorded");
    let due = claim(&db, a, retry_at);
    assert_eq!(claimed_id(due), Some(second), "{backend:?}: after a final failure the next goes");
    let done = AttemptOutcome {
        status: DeliveryStatus::Succeeded,
        attempts: 1,
        status_code: Some(200),
        error: None,
        next_attempt_at: None,
    };
    db.write(|conn| webhooks::record_attempt(conn, second, &done)).expect("recorded");
    assert_eq!(claim(&db, a, retry_at), Claim::Idle, "{backend:?}");

    let listed = db.read(|conn| webhooks::list(conn, user, Some(a), 100)).expect("listed");
    let summary: Vec<_> = listed.iter().map(|d| (d.id, d.status, d.attempts)).collect();
    assert_eq!(summary, [(second, DeliveryStatus::Succeeded, 1), (first, DeliveryStatus::Failed, 2)], "{backend:?}");
    assert_eq!(listed[1].last_status_code, Some(500));
    assert_eq!(listed[1].event_type, WebhookEventType::Test);
    assert_eq!(db.read(|conn| webhooks::list(conn, user, None, 100)).expect("listed").len(), 3);
    assert_eq!(db.read(|conn| webhooks::list(conn, user, None, 2)).expect("listed").len(), 2, "bounded");

    db.write(|conn| webhooks::reopen(conn, first, retry_at)).expect("reopened");
    let again = db.read(|conn| webhooks::find(conn, first)).expect("found").expect("exists");
    assert_eq!((again.status, again.attempts), (DeliveryStatus::Pending, 2), "{backend:?}: attempts kept");
    assert_eq!(claimed_id(claim(&db, a, retry_at)), Some(first), "{backend:?}");
}

#[test]
fn deliveries_go_out_in_order_per_connection_on_sqlite() {
    deliveries_go_out_in_order_per_connection(TestBackend::Sqlite);
}

#[test]
fn deliveries_go_out_in_order_per_connection_on_postgres() {
    deliveries_go_out_in_order_per_connection(TestBackend::Postgres);
}
