//! Demo data: users holding many connections of fake bank data, written fast (store-level batch
//! inserts, many connections per transaction) for trying things out and for load tests.

use chrono::Utc;
use sandbank_domain::transaction_query::TransactionFilter;
use sandbank_domain::user::{Email, Password};
use sandbank_domain::{ErrorCode, ProviderId, UserId};
use sandbank_fakebank::{CATALOG, FakeBank};
use sandbank_store::accounts::{self, AccountOwner};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::transactions::{self, AccountKey};
use sandbank_store::{Db, DbConnection, connections, snapshots, users};

use crate::error::ServiceError;
use crate::security::password;
use crate::use_cases::catalog::CatalogService;

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
    rows_per_commit: usize,
}

/// How far an earlier run got with a demo user.
#[derive(Debug, Clone, Copy)]
struct Progress {
    user: UserId,
    transactions: usize,
    connections: u64,
}

impl DemoData {
    /// Demo data for `db`.
    pub fn new(db: Db) -> Self {
        Self { db, rows_per_commit: ROWS_PER_COMMIT }
    }

    /// Commits after about `rows` transactions instead of 20,000 (at least one connection each).
    pub fn rows_per_commit(mut self, rows: usize) -> Self {
        self.rows_per_commit = rows.max(1);
        self
    }

    /// Creates `users` users (`demo-1@sandbank.test`, …) each holding `per_user` transactions
    /// from connections to every provider in turn; `progress` hears of every batch of rows.
    /// Resumable: a run that was killed left whole connections only (each is written in one
    /// transaction), so a rerun finds the user, counts what is there and goes on where it
    /// stopped; connection seeds follow from (user, connection number), so the result is the
    /// same as an uninterrupted run's. Refuses an existing user who is not a demo user.
    pub fn fill(
        &self,
        users: usize,
        per_user: usize,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<DemoUser>, ServiceError> {
        CatalogService::new(self.db.clone()).seed()?;
        let demo_password = Password::parse(DEMO_PASSWORD).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let hash = password::hash(&demo_password)?;
        let now = Utc::now();
        let mut filled = Vec::new();
        for n in 1..=users {
            let email = format!("demo-{n}@sandbank.test");
            let address = Email::parse(&email).map_err(|e| ServiceError::Internal(e.to_string()))?;
            let mut at = self.start_or_resume(&address, &hash)?;
            while at.transactions < per_user {
                at = self.db.write(|conn| {
                    let mut next = at;
                    while next.transactions - at.transactions < self.rows_per_commit && next.transactions < per_user {
                        next.connections += 1;
                        let seed = (((n as u64) << 32) ^ next.connections) & ((1 << 53) - 1);
                        let budget = per_user - next.transactions;
                        next.transactions += one_connection(conn, at.user, seed as i64, next.connections, now, budget)?;
                    }
                    Ok::<_, ServiceError>(next)
                })?;
                progress(at.transactions.min(per_user));
            }
            filled.push(DemoUser { id: at.user, email, transactions: at.transactions });
        }
        Ok(filled)
    }

    /// A new demo user, or the one an earlier run created with what it wrote for them.
    fn start_or_resume(&self, address: &Email, hash: &str) -> Result<Progress, ServiceError> {
        let existing = self.db.read(|conn| users::find_by_email(conn, address))?;
        let Some(existing) = existing else {
            let user = self.db.write(|conn| users::insert(conn, address, None, hash))?;
            return Ok(Progress { user: user.id, transactions: 0, connections: 0 });
        };
        if !password::verify(DEMO_PASSWORD, &existing.password_hash) {
            return Err(ServiceError::Conflict {
                code: ErrorCode::DemoExists,
                message: format!("{address} already exists and is not a demo user: use a fresh database"),
            });
        }
        let user = existing.user.id;
        self.db.read(|conn| {
            let transactions = transactions::count(conn, user, &TransactionFilter::default())?;
            let connections = connections::list_for_user(conn, user)?.len();
            Ok::<_, ServiceError>(Progress {
                user,
                transactions: usize::try_from(transactions).unwrap_or(0),
                connections: connections as u64,
            })
        })
    }
}

/// One connected connection with its accounts, at most `budget` transactions and the
/// snapshots; returns how many transactions it wrote.
fn one_connection(
    conn: &mut DbConnection,
    user: UserId,
    seed: i64,
    number: u64,
    now: chrono::DateTime<Utc>,
    budget: usize,
) -> Result<usize, ServiceError> {
    let spec = &CATALOG[(number as usize) % CATALOG.len()];
    let provider: ProviderId = spec.id.parse().map_err(|_| ServiceError::Internal("catalog id".into()))?;
    let connection = connections::insert(conn, user, provider, seed)?;
    let owner = AccountOwner { user_id: user, connection_id: connection.id, provider_id: provider };
    let mut written = 0;
    let mut stamp = ChangeStamp::new(user);
    let today = now.date_naive();
    for account in FakeBank::new(spec, seed as u64, today).accounts() {
        let report = account.report_at(account.history_start()..today + chrono::Days::new(1), now);
        let account_id =
            accounts::insert(conn, owner, account.reported(), &report.balances, report.statement.as_ref())?;
        let rows = &report.transactions[..report.transactions.len().min(budget - written)];
        let key = AccountKey { account_id, connection_id: connection.id, user_id: user };
        written += transactions::insert(conn, key, rows, &mut stamp)?;
        snapshots::replace_days(conn, account_id, &report.snapshots)?;
        if written >= budget {
            break;
        }
    }
    connections::record_sync(conn, connection.id, today, Utc::now())?;
    Ok(written)
}
