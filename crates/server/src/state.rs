//! What every handler can reach.

use sandbank_services::accounts::AccountService;
use sandbank_services::connections::ConnectionService;
use sandbank_services::csrf::CsrfTokens;
use sandbank_services::dashboard::DashboardService;
use sandbank_services::jobs::JobQueue;
use sandbank_services::transactions::TransactionService;
use sandbank_services::{AuthService, CatalogService, Db};

use crate::client_address::TrustedProxies;

/// The services and settings shared by all workers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database, for health checks.
    pub db: Db,
    /// Sign-up, sign-in and sessions.
    pub auth: AuthService,
    /// The providers.
    pub catalog: CatalogService,
    /// The connection lifecycle.
    pub connections: ConnectionService,
    /// Accounts and balances.
    pub accounts: AccountService,
    /// Transaction listings.
    pub transactions: TransactionService,
    /// The dashboard's figures.
    pub dashboard: DashboardService,
    /// Background jobs.
    pub jobs: JobQueue,
    /// CSRF tokens of the HTML forms.
    pub csrf: CsrfTokens,
    /// Whether cookies carry the `Secure` attribute.
    pub cookie_secure: bool,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
}
