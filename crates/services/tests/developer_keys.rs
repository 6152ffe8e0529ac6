//! Developer keys through the service, on both backends: `authenticate` accepts a key's own
//! secret only, refuses unknown, malformed and revoked ids, and records a use at most once a
//! minute.

use chrono::{TimeDelta, Utc};
use sandbank_domain::developer_key::ClientId;
use sandbank_domain::user::Email;
use sandbank_domain::{ErrorCode, UserId};
use sandbank_services::ServiceError;
use sandbank_services::use_cases::developer_keys::{DeveloperKeyService, KeyError, MAX_ACTIVE_KEYS};
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::{Db, developer_keys, users};

fn user(db: &Db, email: &str) -> UserId {
    let email = Email::parse(email).expect("valid e-mail");
    db.write(|conn| users::insert(conn, &email, None, "hash")).map(|u| u.id).expect("inserted")
}

fn last_used(db: &Db, user: UserId, id: &ClientId) -> Option<chrono::DateTime<Utc>> {
    let keys = db.read(|conn| developer_keys::list(conn, user)).expect("listed");
    keys.into_iter().find(|k| &k.client_id == id).expect("listed key").last_used_at
}

fn authenticate_checks_the_secret_and_revocation(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let service = DeveloperKeyService::new(db.clone());
    let (alice, bob) = (user(&db, "alice@example.com"), user(&db, "bob@example.com"));
    let created = service.create(alice, Some("  ci  ")).expect("created");
    let (id, secret) = (created.key.client_id.clone(), created.secret.expose().to_owned());
    assert_eq!(created.key.name.as_deref(), Some("ci"));
    assert_eq!(secret.len(), 64);

    assert_eq!(service.authenticate(id.as_str(), &secret).ok(), Some(alice));
    assert!(matches!(service.authenticate(id.as_str(), &secret[1..]), Err(KeyError::WrongSecret)));
    assert!(matches!(service.authenticate(id.as_str(), ""), Err(KeyError::WrongSecret)));
    let other = service.create(bob, None).expect("bob's key");
    assert!(matches!(service.authenticate(id.as_str(), other.secret.expose()), Err(KeyError::WrongSecret)));
    assert_eq!(service.authenticate(other.key.client_id.as_str(), other.secret.expose()).ok(), Some(bob));
    assert!(matches!(service.authenticate("0123456789abcdef01234567", &secret), Err(KeyError::UnknownOrRevoked)));
    assert!(matches!(service.authenticate("not-an-id", &secret), Err(KeyError::UnknownOrRevoked)));
    assert!(matches!(service.authenticate(&id.as_str().to_uppercase(), &secret), Err(KeyError::UnknownOrRevoked)));

    assert!(matches!(service.revoke(bob, &id), Err(ServiceError::Forbidden("developer key"))));
    assert_eq!(service.authenticate(id.as_str(), &secret).ok(), Some(alice), "bob could not revoke it");
    let revoked = service.revoke(alice, &id).expect("revoked");
    let at = revoked.revoked_at.expect("marked revoked");
    assert!(matches!(service.authenticate(id.as_str(), &secret), Err(KeyError::UnknownOrRevoked)));
    let again = service.revoke(alice, &id).expect("revoking twice is fine");
    assert_eq!(again.revoked_at, Some(at), "the first revocation's time stays");
    let missing = ClientId::parse("0123456789abcdef01234567").expect("valid");
    assert!(matches!(service.revoke(alice, &missing), Err(ServiceError::NotFound("developer key"))));
    let listed = service.list(alice).expect("listed");
    assert_eq!(listed.len(), 1, "a revoked key stays listed");
    assert!(!listed[0].is_active());
}

fn a_use_is_recorded_at_most_once_a_minute(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let service = DeveloperKeyService::new(db.clone());
    let alice = user(&db, "alice@example.com");
    let created = service.create(alice, None).expect("created");
    let (id, secret) = (created.key.client_id, created.secret.expose().to_owned());
    assert_eq!(last_used(&db, alice, &id), None);
    service.authenticate(id.as_str(), &secret).expect("authenticated");
    let first = last_used(&db, alice, &id).expect("recorded");
    assert!(Utc::now() - first < TimeDelta::seconds(30));
    service.authenticate(id.as_str(), &secret).expect("authenticated again");
    assert_eq!(last_used(&db, alice, &id), Some(first), "not written again within the minute");
    // A minute later (the stored time moved back), the next use writes again.
    let earlier = first - TimeDelta::seconds(61);
    let touched = db.write(|conn| developer_keys::touch(conn, &id, earlier, earlier + TimeDelta::days(1)));
    assert!(touched.expect("moved back"));
    service.authenticate(id.as_str(), &secret).expect("authenticated later");
    assert!(last_used(&db, alice, &id).expect("recorded") > earlier);
}

fn a_user_has_at_most_twenty_active_keys(backend: TestBackend) {
    let Some(database) = TestDatabase::create(backend) else { return };
    let db = database.migrated();
    let service = DeveloperKeyService::new(db.clone());
    let alice = user(&db, "alice@example.com");
    let keys: Vec<_> = (0..MAX_ACTIVE_KEYS).map(|_| service.create(alice, None).expect("created")).collect();
    let refused = service.create(alice, None);
    assert!(matches!(refused, Err(ServiceError::Conflict { code: ErrorCode::TooManyKeys, .. })), "{refused:?}");
    service.revoke(alice, &keys[0].key.client_id).expect("revoked");
    service.create(alice, None).expect("a revoked key frees its place");
    let bad = service.create(alice, Some(&"n".repeat(65)));
    let Err(ServiceError::Validation(errors)) = bad else { panic!("{bad:?}") };
    assert!(errors.fields().contains_key("name"), "{errors:?}");
}

macro_rules! on_both {
    ($($name:ident),*) => {
        mod sqlite { $(#[test] fn $name() { super::$name(super::TestBackend::Sqlite) })* }
        mod postgres { $(#[test] fn $name() { super::$name(super::TestBackend::Postgres) })* }
    };
}

on_both!(
    authenticate_checks_the_secret_and_revocation,
    a_use_is_recorded_at_most_once_a_minute,
    a_user_has_at_most_twenty_active_keys
);
