//! A connection's webhook URL and format: set or cleared by its owner.

use sandbank_domain::webhook::WebhookFormat;
use sandbank_domain::webhook_url::WebhookUrl;
use sandbank_domain::{ConnectionId, FieldErrors, UserId};
use sandbank_store::{StoreError, connections};

use super::{ConnectionService, ConnectionView, owned, view};
use crate::error::ServiceError;

impl ConnectionService {
    /// Sets where the connection's webhooks are sent, or with `None` stops sending them, in
    /// our format (the URL's setter chooses the shape). Refused (409) once the connection is
    /// disconnected.
    pub fn set_webhook_url(
        &self,
        user: UserId,
        id: ConnectionId,
        raw: Option<&str>,
    ) -> Result<ConnectionView, ServiceError> {
        self.set_webhook(user, id, raw, WebhookFormat::Sandbank)
    }

    /// Sets where the connection's webhooks are sent (or with `None` stops sending them) and
    /// their `format`: the Plaid API sets its items' as `plaid`. Refused (409) once the
    /// connection is disconnected.
    pub fn set_webhook(
        &self,
        user: UserId,
        id: ConnectionId,
        raw: Option<&str>,
        format: WebhookFormat,
    ) -> Result<ConnectionView, ServiceError> {
        let url =
            raw.map(WebhookUrl::parse).transpose().map_err(|e| FieldErrors::single("webhookUrl", e.to_string()))?;
        self.db.write(|conn| {
            connections::lock(conn, id)?;
            let connection = owned(conn, user, id)?;
            connection.status.check_update()?;
            connections::set_webhook_url(conn, id, url.as_ref())?;
            connections::set_webhook_format(conn, id, format)?;
            tracing::info!(connection_id = %id, set = url.is_some(), %format, "webhook URL changed");
            let connection = connections::find(conn, id)?.ok_or(StoreError::NotFound)?;
            view(conn, connection)
        })
    }
}
