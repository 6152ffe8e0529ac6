//! What every handler can reach.

use sandbank_services::{AuthService, CatalogService, Db};

/// The services and settings shared by all workers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database, for health checks.
    pub db: Db,
    /// Sign-up, sign-in and sessions.
    pub auth: AuthService,
    /// The providers.
    pub catalog: CatalogService,
    /// Whether cookies carry the `Secure` attribute.
    pub cookie_secure: bool,
}
