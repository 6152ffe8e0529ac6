//! The secrets against a real database (SQLite, and PostgreSQL when `SANDBANK_TEST_PG` is set),
//! with the rotation's time given by the test.

use sandbank_domain::user::Email;
use sandbank_store::test_database::{TestBackend, TestDatabase};
use sandbank_store::users;

use super::*;

struct Fixture {
    service: WebhookSecretService,
    db: Db,
    _database: TestDatabase,
}

impl Fixture {
    fn on(backend: TestBackend) -> Option<Self> {
        let database = TestDatabase::create(backend)?;
        let db = database.migrated();
        let vault = Arc::new(TokenVault::new(&[3; 32]).expect("vault"));
        Some(Self { service: WebhookSecretService::new(db.clone(), vault), db, _database: database })
    }

    fn user(&self, email: &str) -> UserId {
        let email = Email::parse(email).expect("e-mail");
        self.db.write(|conn| users::insert(conn, &email, None, "hash")).expect("user").id
    }
}

fn backends() -> impl Iterator<Item = Fixture> {
    [TestBackend::Sqlite, TestBackend::Postgres].into_iter().filter_map(Fixture::on)
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
}

#[test]
fn a_secret_is_made_once_per_user_with_the_prefix_and_sealed_at_rest() {
    for fixture in backends() {
        let alice = fixture.user("alice@example.com");
        let first = fixture.service.current(alice).expect("made");
        assert!(first.starts_with(SECRET_PREFIX) && first.len() == SECRET_PREFIX.len() + 43, "{first}");
        assert_eq!(fixture.service.current(alice).expect("again"), first);
        assert_ne!(fixture.service.current(fixture.user("bob@example.com")).expect("bob's"), first);
        let stored = fixture.db.read(|conn| store::find(conn, alice)).expect("read").expect("row");
        assert!(!stored.current.windows(first.len()).any(|w| w == first.as_bytes()), "not in plain text");
    }
}

#[test]
fn the_previous_secret_signs_until_its_grace_period_ends() {
    for fixture in backends() {
        let alice = fixture.user("alice@example.com");
        let old = fixture.service.current(alice).expect("made");
        let now = at("2026-12-02T12:00:00Z");
        let rotated = fixture.service.rotate(alice, TimeDelta::seconds(3_600), now).expect("rotated");
        assert_ne!(rotated.secret, old);
        assert_eq!(rotated.previous_expires_at, at("2026-12-02T13:00:00Z"));
        assert_eq!(fixture.service.current(alice).expect("current"), rotated.secret);
        let during = fixture.service.signing_secrets(alice, at("2026-12-02T12:59:59Z")).expect("in force");
        assert_eq!(during.in_order(), vec![rotated.secret.as_str(), old.as_str()]);
        let after = fixture.service.signing_secrets(alice, at("2026-12-02T13:00:00Z")).expect("in force");
        assert_eq!(after.in_order(), vec![rotated.secret.as_str()]);

        let again = fixture.service.rotate(alice, TimeDelta::zero(), now).expect("rotated with no grace");
        let now_only = fixture.service.signing_secrets(alice, now).expect("in force");
        assert_eq!(now_only.in_order(), vec![again.secret.as_str()], "grace 0: the old secret stops at once");
    }
}

#[test]
fn a_secret_sealed_under_an_earlier_server_secret_still_opens_and_is_resealed() {
    for fixture in backends() {
        let alice = fixture.user("alice@example.com");
        let secret = fixture.service.current(alice).expect("made");
        let rotated_vault = Arc::new(TokenVault::with_previous(&[4; 32], &[[3; 32]]).expect("vault"));
        let rotated = WebhookSecretService::new(fixture.db.clone(), rotated_vault);
        assert_eq!(rotated.current(alice).expect("opens with the previous key"), secret);
        let current_only =
            WebhookSecretService::new(fixture.db.clone(), Arc::new(TokenVault::new(&[4; 32]).expect("vault")));
        assert_eq!(current_only.current(alice).expect("re-sealed under the current key"), secret);
    }
}

#[test]
fn the_header_signs_with_every_secret_in_force() {
    let secrets = SigningSecrets { current: "whsec_new".into(), previous: Some("whsec_old".into()) };
    let header = secrets.header_value(1_700_000_000, b"{}");
    for secret in ["whsec_new", "whsec_old"] {
        assert_eq!(webhook_signature::verify(&header, b"{}", secret, 1_700_000_000, 300), Ok(()));
    }
}
