//! The `link_tokens` table: each link token of the Plaid-compatible API with its one session.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use sandbank_domain::link::{LinkEnd, LinkOutcome, LinkSession, LinkSettings, LinkToken};
use sandbank_domain::webhook_url::WebhookUrl;
use sandbank_domain::{ConnectionId, LinkTokenId};
use uuid::Uuid;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::link_tokens as lt;
use crate::sql_types::DbId;
use crate::time::{from_db_time, to_db_time};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = lt)]
struct LinkRow {
    id: DbId,
    user_id: DbId,
    client_id: String,
    client_name: String,
    language: String,
    country_codes: String,
    products: String,
    webhook_url: Option<String>,
    redirect_uri: Option<String>,
    completion_redirect_uri: Option<String>,
    hosted: bool,
    update_connection_id: Option<DbId>,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
    session_id: Option<DbId>,
    session_started_at: Option<NaiveDateTime>,
    connection_id: Option<DbId>,
    finished_at: Option<NaiveDateTime>,
    outcome: Option<String>,
    public_token: Option<String>,
}

/// A stored URL, checked again.
fn url(column: &str, raw: Option<String>) -> Result<Option<WebhookUrl>, StoreError> {
    raw.map(|raw| WebhookUrl::parse(&raw).map_err(|e| StoreError::corrupt(column, e))).transpose()
}

/// A comma-separated list.
fn list(text: &str) -> Vec<String> {
    text.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl LinkRow {
    fn session(&self) -> Result<Option<LinkSession>, StoreError> {
        let (Some(id), Some(started_at)) = (self.session_id, self.session_started_at) else { return Ok(None) };
        let end = match (self.finished_at, &self.outcome) {
            (Some(finished_at), Some(outcome)) => Some(LinkEnd {
                finished_at: from_db_time(finished_at),
                outcome: outcome.parse::<LinkOutcome>().map_err(|e| StoreError::corrupt("outcome", e))?,
                public_token: self.public_token.clone(),
            }),
            _ => None,
        };
        let connection = self.connection_id.map(ConnectionId::from);
        Ok(Some(LinkSession { id: id.0, started_at: from_db_time(started_at), connection, end }))
    }

    fn into_link(self) -> Result<LinkToken, StoreError> {
        let session = self.session()?;
        let settings = LinkSettings {
            client_name: self.client_name,
            language: self.language,
            country_codes: list(&self.country_codes),
            products: list(&self.products),
            webhook: url("webhook_url", self.webhook_url)?,
            redirect_uri: url("redirect_uri", self.redirect_uri)?,
            completion_redirect_uri: url("completion_redirect_uri", self.completion_redirect_uri)?,
            hosted: self.hosted,
            update: self.update_connection_id.map(ConnectionId::from),
        };
        Ok(LinkToken {
            id: self.id.into(),
            user: self.user_id.into(),
            client_id: self.client_id,
            settings,
            created_at: from_db_time(self.created_at),
            expires_at: from_db_time(self.expires_at),
            session,
        })
    }
}

/// Stores a new link token (without a session).
pub fn insert(conn: &mut DbConnection, link: &LinkToken) -> Result<(), StoreError> {
    let s = &link.settings;
    diesel::insert_into(lt::table)
        .values((
            lt::id.eq(DbId::of(link.id)),
            lt::user_id.eq(DbId::of(link.user)),
            lt::client_id.eq(&link.client_id),
            lt::client_name.eq(&s.client_name),
            lt::language.eq(&s.language),
            lt::country_codes.eq(s.country_codes.join(",")),
            lt::products.eq(s.products.join(",")),
            lt::webhook_url.eq(s.webhook.as_ref().map(WebhookUrl::as_str)),
            lt::redirect_uri.eq(s.redirect_uri.as_ref().map(WebhookUrl::as_str)),
            lt::completion_redirect_uri.eq(s.completion_redirect_uri.as_ref().map(WebhookUrl::as_str)),
            lt::hosted.eq(s.hosted),
            lt::update_connection_id.eq(s.update.map(DbId::of)),
            lt::created_at.eq(to_db_time(link.created_at)),
            lt::expires_at.eq(to_db_time(link.expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The link token `id`, if it exists.
pub fn find(conn: &mut DbConnection, id: LinkTokenId) -> Result<Option<LinkToken>, StoreError> {
    let row = lt::table.find(DbId::of(id)).select(LinkRow::as_select()).first(conn).optional()?;
    row.map(LinkRow::into_link).transpose()
}

/// Locks the link token's row for the rest of the transaction (SQLite's write transactions
/// are serial already) and reads it.
pub fn lock(conn: &mut DbConnection, id: LinkTokenId) -> Result<Option<LinkToken>, StoreError> {
    if let DbConnection::Pg(pg) = conn {
        lt::table.find(DbId::of(id)).select(lt::id).for_update().execute(pg)?;
    }
    find(conn, id)
}

/// Starts the token's session at `at` unless it has one.
pub fn start_session(
    conn: &mut DbConnection,
    id: LinkTokenId,
    session: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(lt::table.find(DbId::of(id)).filter(lt::session_id.is_null()))
        .set((lt::session_id.eq(DbId(session)), lt::session_started_at.eq(to_db_time(at))))
        .execute(conn)?;
    Ok(())
}

/// Sets the item the session works on.
pub fn set_connection(conn: &mut DbConnection, id: LinkTokenId, connection: ConnectionId) -> Result<(), StoreError> {
    diesel::update(lt::table.find(DbId::of(id))).set(lt::connection_id.eq(DbId::of(connection))).execute(conn)?;
    Ok(())
}

/// Ends the session as `end` says, unless it ended already; `false` then.
pub fn finish(conn: &mut DbConnection, id: LinkTokenId, end: &LinkEnd) -> Result<bool, StoreError> {
    let ended = diesel::update(lt::table.find(DbId::of(id)).filter(lt::finished_at.is_null()))
        .set((
            lt::finished_at.eq(to_db_time(end.finished_at)),
            lt::outcome.eq(end.outcome.as_str()),
            lt::public_token.eq(end.public_token.as_deref()),
        ))
        .execute(conn)?;
    Ok(ended == 1)
}
