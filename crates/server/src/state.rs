//! What every handler can reach.

use std::ops::Deref;
use std::sync::Arc;

use crate::client_address::TrustedProxies;
use crate::config::Settings;
use crate::rendered_pages::RenderedPages;
use crate::wiring::Services;

/// The services and settings shared by all workers. It derefs to [`Services`], so a handler
/// reaches a service as `state.auth`.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Every service.
    pub services: Services,
    /// Whether cookies carry the `Secure` attribute.
    pub cookie_secure: bool,
    /// Proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// Listing pages as last rendered, per version of their user's data.
    pub rendered_pages: Arc<RenderedPages>,
}

impl AppState {
    /// The state of a server running `services` as `settings` say.
    pub fn new(services: Services, settings: &Settings) -> Self {
        Self {
            services,
            cookie_secure: settings.cookie_secure,
            trusted_proxies: settings.trusted_proxies.clone(),
            rendered_pages: Arc::new(RenderedPages::new(settings.page_cache_bytes)),
        }
    }
}

impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.services
    }
}
