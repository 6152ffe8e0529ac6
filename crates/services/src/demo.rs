//! Demo data: users holding many connections of fake bank data, written fast (store-level batch
//! inserts, many connections per transaction) for trying things out and for load tests.

use chrono::Utc;
use sandbank_domain::user::{Email, Password};
use sandbank_domain::{ProviderId, UserId};
use sandbank_fakebank::{CATALOG, FakeBank};
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{Db, DbConnection, StoreError, connections, snapshots, users};

use crate::catalog::CatalogService;
use crate::error::ServiceError;
use crate::password;

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "sandbank-demo";

/// Rows written per database transaction, roughly.
const ROWS_PER_COMMIT: usize = 20_000;

/// A demo user that was created.
#[derive(Debug, Clone)]
pub struct DemoUser {
    /// Their id.
    pub id: UserId,
    /// Their e-mail (the password is [`DEMO_PASSWORD`]).
    pub email: String,
    /// How many transactions they hold.
    pub transactions: usize,
}

/// Fills a database with demo users.
#[derive(Debug, Clone)]
pub struct DemoData {
    db: Db,
}

impl DemoData {
    /// Demo data for `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates `users` users (`demo-1@sandbank.test`, …) each holding `per_user` transactions
    /// from connections to every provider in turn; `progress` hears of every batch of rows.
    /// Refuses if a demo user of that name already exists.
    pub fn fill(
        &self,
        users: usize,
        per_user: usize,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<DemoUser>, ServiceError> {
        CatalogService::new(self.db.clone()).seed()?;
        let demo_password = Password::parse(DEMO_PASSWORD).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let hash = password::hash(&demo_password)?;
        let today = Utc::now().date_naive();
        let mut created = Vec::new();
        let run = Utc::now().timestamp() as u64;
        for n in 1..=users {
            let email = format!("demo-{n}@sandbank.test");
            let address = Email::parse(&email).map_err(|e| ServiceError::Internal(e.to_string()))?;
            let user = self.db.write(|conn| users::insert(conn, &address, None, &hash)).map_err(|e| match e {
                StoreError::UniqueViolation(_) => ServiceError::Conflict {
                    code: "demo_exists",
                    message: format!("{email} already exists: use a fresh database"),
                },
                other => other.into(),
            })?;
            let mut written = 0;
            let mut connection_number = 0u64;
            while written < per_user {
                written += self.db.write(|conn| {
                    let mut in_commit = 0;
                    while in_commit < ROWS_PER_COMMIT && written + in_commit < per_user {
                        connection_number += 1;
                        let seed = (run ^ ((n as u64) << 32) ^ connection_number) & ((1 << 53) - 1);
                        let budget = per_user - written - in_commit;
                        in_commit += one_connection(conn, user.id, seed as i64, connection_number, today, budget)?;
                    }
                    users::touch(conn, user.id)?;
                    Ok::<_, ServiceError>(in_commit)
                })?;
                progress(written.min(per_user));
            }
            created.push(DemoUser { id: user.id, email, transactions: written });
        }
        Ok(created)
    }
}

/// One connected connection with its accounts, at most `budget` transactions and the
/// snapshots; returns how many transactions it wrote.
fn one_connection(
    conn: &mut DbConnection,
    user: UserId,
    seed: i64,
    number: u64,
    today: chrono::NaiveDate,
    budget: usize,
) -> Result<usize, ServiceError> {
    let spec = &CATALOG[(number as usize) % CATALOG.len()];
    let provider: ProviderId = spec.id.parse().map_err(|_| ServiceError::Internal("catalog id".into()))?;
    let connection = connections::insert(conn, user, provider, seed)?;
    let owner = AccountOwner { user_id: user, connection_id: connection.id, provider_id: provider };
    let mut written = 0;
    for account in FakeBank::new(spec, seed as u64, today).accounts() {
        let report = account.report(account.history_start()..today + chrono::Days::new(1), today);
        let account_id =
            accounts::insert(conn, owner, account.reported(), &report.balances, report.statement.as_ref())?;
        let rows = &report.transactions[..report.transactions.len().min(budget - written)];
        let key = AccountKey { account_id, connection_id: connection.id, user_id: user };
        written += transactions::insert(conn, key, rows)?;
        snapshots::replace_days(conn, account_id, &report.snapshots)?;
        if written >= budget {
            break;
        }
    }
    connections::record_sync(conn, connection.id, today, Utc::now())?;
    Ok(written)
}
