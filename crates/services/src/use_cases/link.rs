//! Link of the Plaid-compatible API, and the items it makes: link tokens, the session the hosted
//! Link page runs on one (pick a bank, pass the consent step, finish or exit), and the public
//! tokens both Link and the sandbox's `/sandbox/public_token/create` hand out, each exchanged
//! once. Every item is a connection made through [`ConnectionService`] with Plaid-format
//! webhooks; the end of a session sends Plaid's `LINK` / `SESSION_FINISHED`.

use chrono::{DateTime, TimeDelta, Utc};
use sandbank_domain::connection::ConnectionStatus;
use sandbank_domain::link::{self, LINK_TOKEN_HOURS, LinkEnd, LinkOutcome, LinkSettings, LinkToken};
use sandbank_domain::webhook::WebhookFormat;
use sandbank_domain::webhook_url::WebhookUrl;
use sandbank_domain::{ConnectionId, ErrorCode, FieldErrors, LinkTokenId, UserId};
use sandbank_store::time::as_stored;
use sandbank_store::{Db, DbConnection, StoreError, connections, link_tokens, providers, public_tokens};
use uuid::Uuid;

use crate::error::ServiceError;
use crate::providers::Credentials;
use crate::security::item_tokens::{ItemTokenError, ItemTokens, PUBLIC_TOKEN_MINUTES};
use crate::use_cases::connections::{ConnectionService, ConnectionView, owned};
use crate::use_cases::scenarios::ScenarioSource;
use crate::use_cases::webhooks::{self, plaid_body::PlaidWebhook};

/// What `/link/token/create` asks for (URLs still to check).
#[derive(Debug, Clone, Default)]
pub struct LinkRequest {
    /// The developer key's client id.
    pub client_id: String,
    /// The name Link shows.
    pub client_name: String,
    /// Link's language.
    pub language: String,
    /// Country codes.
    pub country_codes: Vec<String>,
    /// Products.
    pub products: Vec<String>,
    /// The item's webhook URL.
    pub webhook: Option<String>,
    /// Plaid's OAuth `redirect_uri`.
    pub redirect_uri: Option<String>,
    /// Where the hosted page ends.
    pub completion_redirect_uri: Option<String>,
    /// Whether a hosted Link page was asked for.
    pub hosted: bool,
    /// Update mode's item.
    pub update: Option<ConnectionId>,
}

/// Why a public token is not exchanged.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// Not a public token this server made for this client.
    #[error("the public token is not valid for this client")]
    Invalid,
    /// Past its time.
    #[error("the public token has expired; create a new one")]
    Expired,
    /// Exchanged before.
    #[error("the public token was exchanged already; a public token is exchanged once")]
    Spent,
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Link tokens, their sessions, and public tokens.
#[derive(Debug, Clone)]
pub struct LinkService {
    db: Db,
    connections: ConnectionService,
    tokens: ItemTokens,
}

impl LinkService {
    /// Link over `db`, making items through `connections`, signing tokens with `tokens`.
    pub fn new(db: Db, connections: ConnectionService, tokens: ItemTokens) -> Self {
        Self { db, connections, tokens }
    }

    /// A new link token of `user`'s for `request`: its URLs must be absolute http(s), an update
    /// mode item the user's and not removed.
    pub fn create(&self, user: UserId, request: LinkRequest) -> Result<LinkToken, ServiceError> {
        let mut errors = FieldErrors::new();
        let webhook = request.webhook.as_deref().and_then(|raw| errors.check("webhook", WebhookUrl::parse(raw)));
        let redirect_uri =
            request.redirect_uri.as_deref().and_then(|raw| errors.check("redirect_uri", WebhookUrl::parse(raw)));
        let redirect = request.completion_redirect_uri.as_deref();
        let redirect =
            redirect.and_then(|raw| errors.check("hosted_link.completion_redirect_uri", WebhookUrl::parse(raw)));
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let now = Utc::now();
        let link = LinkToken {
            // Random bits, not a time-ordered id: the token opens its hosted page.
            id: LinkTokenId::from_uuid(Uuid::new_v4()),
            user,
            client_id: request.client_id,
            settings: LinkSettings {
                client_name: request.client_name,
                language: request.language,
                country_codes: request.country_codes,
                products: request.products,
                webhook,
                redirect_uri,
                completion_redirect_uri: redirect,
                hosted: request.hosted,
                update: request.update,
            },
            created_at: as_stored(now),
            expires_at: as_stored(now + TimeDelta::hours(LINK_TOKEN_HOURS)),
            session: None,
        };
        self.db.write(|conn| {
            if let Some(item) = link.settings.update {
                let connection = owned(conn, user, item)?;
                connection.status.check_update()?;
            }
            Ok::<_, ServiceError>(link_tokens::insert(conn, &link)?)
        })?;
        tracing::info!(link = %link.log_id(), hosted = link.settings.hosted, "link token created");
        Ok(link)
    }

    /// `client_id`'s link token `token` (of `user`'s); 404 when it is not theirs.
    pub fn get(&self, user: UserId, client_id: &str, token: &str) -> Result<LinkToken, ServiceError> {
        let link = self.find(token)?;
        if link.user != user || link.client_id != client_id {
            return Err(ServiceError::NotFound("link token"));
        }
        Ok(link)
    }

    /// The link token `token`, whoever's (the hosted page's credential is the token itself).
    pub fn find(&self, token: &str) -> Result<LinkToken, ServiceError> {
        let id = link::parse_token(token).ok_or(ServiceError::NotFound("link token"))?;
        self.db.read(|conn| link_tokens::find(conn, id))?.ok_or(ServiceError::NotFound("link token"))
    }

    /// The hosted page was opened: starts the token's session (once) and answers the token,
    /// which must still be open.
    pub fn open(&self, token: &str) -> Result<LinkToken, ServiceError> {
        let link = self.find(token)?;
        check_open(&link, Utc::now())?;
        if link.session.is_some() {
            return Ok(link);
        }
        self.db.write(|conn| link_tokens::start_session(conn, link.id, Uuid::new_v4(), Utc::now()))?;
        self.find(token)
    }

    /// The end user picked the bank `slug`: the session's item becomes a new connection to it
    /// (seeded with `seed`, with the token's webhook in Plaid's format). One picked before
    /// and never authorized is dropped once the new one is the session's. Not in update mode,
    /// whose item is given.
    pub fn choose(&self, token: &str, slug: &str, seed: i64) -> Result<(LinkToken, ConnectionView), ServiceError> {
        let link = self.open(token)?;
        if link.settings.update.is_some() {
            return Err(conflict(ErrorCode::LinkUpdateMode, "this Link session updates an item; no bank is picked"));
        }
        let webhook = link.settings.webhook.as_ref().map(WebhookUrl::as_str);
        let view = self.create_item(link.user, slug, seed, webhook, None)?;
        let new = view.connection.id;
        let earlier = self.db.write(|conn| {
            let current = link_tokens::lock(conn, link.id)?.ok_or(StoreError::NotFound)?;
            check_open(&current, Utc::now())?;
            link_tokens::set_connection(conn, link.id, new)?;
            Ok::<_, ServiceError>(current.item())
        });
        match earlier {
            Ok(earlier) => {
                if let Some(earlier) = earlier.filter(|e| *e != new) {
                    self.drop_unfinished(link.user, earlier)?;
                }
                Ok((self.find(token)?, view))
            }
            Err(error) => {
                self.drop_unfinished(link.user, new)?;
                Err(error)
            }
        }
    }

    /// The item the session works on: update mode's, or the one picked.
    pub fn item(&self, link: &LinkToken) -> Result<Option<ConnectionView>, ServiceError> {
        link.item().map(|id| self.connections.get(link.user, id)).transpose()
    }

    /// The consent step with `credentials`: authorizes the session's item (in update mode, one
    /// that is connected needs no new login), then ends the session with a public token and
    /// `SESSION_FINISHED`. A refused login is the connection's error, and the session stays
    /// open for another try; a second Authorize of a session that just succeeded answers it.
    pub fn authorize(&self, token: &str, credentials: &Credentials) -> Result<LinkToken, ServiceError> {
        let started = Utc::now();
        let link = self.open(token)?;
        let item = self.item(&link)?.ok_or_else(|| conflict(ErrorCode::LinkNoInstitution, "pick a bank first"))?;
        let id = item.connection.id;
        let healthy_update = link.settings.update.is_some() && item.connection.status == ConnectionStatus::Connected;
        if !healthy_update && let Err(error) = self.connections.authorize(link.user, id, credentials) {
            return self.succeeded_on(token, id)?.ok_or(error);
        }
        match self.finish(&link, Some(id), LinkOutcome::Success, started) {
            Ok(done) => Ok(done),
            Err(error) => match self.succeeded_on(token, id)? {
                Some(done) => Ok(done),
                None => {
                    // Nobody will get this item's token: a new one does not stay connected.
                    if link.settings.update.is_none() {
                        self.connections.disconnect(link.user, id, false)?;
                    }
                    Err(error)
                }
            },
        }
    }

    /// The link token, if its session already ended in success on `item`.
    fn succeeded_on(&self, token: &str, item: ConnectionId) -> Result<Option<LinkToken>, ServiceError> {
        let link = self.find(token)?;
        let success = link.end().is_some_and(|end| end.outcome == LinkOutcome::Success);
        Ok((success && link.item() == Some(item)).then_some(link))
    }

    /// The end user left: a new item not yet authorized is dropped, and the session ends as
    /// exited (with `SESSION_FINISHED` when a bank was picked).
    pub fn exit(&self, token: &str) -> Result<LinkToken, ServiceError> {
        let started = Utc::now();
        let link = self.open(token)?;
        let item = link.item();
        if let (Some(id), None) = (item, link.settings.update) {
            self.drop_unfinished(link.user, id)?;
        }
        self.finish(&link, item, LinkOutcome::Exited, started)
    }

    /// Creates and authorizes an item of `user`'s at the bank `slug` (the sandbox's
    /// `/sandbox/public_token/create`), running `scenario` when given (Plaid's custom user):
    /// its history is stored before this returns.
    pub fn connect(
        &self,
        user: UserId,
        (slug, seed): (&str, i64),
        webhook: Option<&str>,
        scenario: Option<ScenarioSource>,
        credentials: &Credentials,
    ) -> Result<ConnectionId, ServiceError> {
        let view = self.create_item(user, slug, seed, webhook, scenario)?;
        let id = view.connection.id;
        self.connections.authorize(user, id, credentials).map(|_| id)
    }

    /// A public token of `connection` for `client_id`, exchangeable once in the next
    /// [`PUBLIC_TOKEN_MINUTES`].
    pub fn issue_public_token(&self, client_id: &str, connection: ConnectionId) -> Result<String, ServiceError> {
        Ok(self.db.write(|conn| issue(conn, &self.tokens, client_id, connection))?)
    }

    /// The item a public token of `client_id`'s names; the token is spent.
    pub fn exchange(&self, client_id: &str, token: &str) -> Result<ConnectionId, ExchangeError> {
        let now = Utc::now();
        let (connection, id) = self.tokens.open_public(client_id, token, now).map_err(|error| match error {
            ItemTokenError::Invalid => ExchangeError::Invalid,
            ItemTokenError::Expired => ExchangeError::Expired,
        })?;
        if !self.db.write(|conn| public_tokens::spend(conn, id, now))? {
            return Err(ExchangeError::Spent);
        }
        tracing::info!(connection_id = %connection, "public token exchanged");
        Ok(connection)
    }

    /// A new connection of `user`'s to the bank `slug` whose webhooks are Plaid's.
    fn create_item(
        &self,
        user: UserId,
        slug: &str,
        seed: i64,
        webhook: Option<&str>,
        scenario: Option<ScenarioSource>,
    ) -> Result<ConnectionView, ServiceError> {
        let provider = self.db.read(providers::list)?.into_iter().find(|p| p.slug == slug);
        let provider = provider.ok_or_else(|| FieldErrors::single("institution_id", "no such institution"))?;
        self.connections.create(
            user,
            Some(&provider.id.to_string()),
            Some(seed),
            (webhook, WebhookFormat::Plaid),
            scenario,
        )
    }

    /// Disconnects `id` if it was never authorized.
    fn drop_unfinished(&self, user: UserId, id: ConnectionId) -> Result<(), ServiceError> {
        let view = self.connections.get(user, id)?;
        if view.connection.status == ConnectionStatus::Authorizing {
            self.connections.disconnect(user, id, false)?;
        }
        Ok(())
    }

    /// Ends the session on `item` as `outcome` (a success with a public token) and records
    /// `SESSION_FINISHED` for the item's webhook, in one transaction that locks the token and
    /// checks it is still open (at `started`, when the end user acted) and still on `item`.
    fn finish(
        &self,
        link: &LinkToken,
        item: Option<ConnectionId>,
        outcome: LinkOutcome,
        started: DateTime<Utc>,
    ) -> Result<LinkToken, ServiceError> {
        let now = Utc::now();
        self.db.write(|conn| {
            let current = link_tokens::lock(conn, link.id)?.ok_or(StoreError::NotFound)?;
            check_open(&current, started)?;
            if current.item() != item {
                return Err(conflict(ErrorCode::LinkItemChanged, "another bank was picked in this Link session"));
            }
            let public_token = match (outcome, item) {
                (LinkOutcome::Success, Some(item)) => Some(issue(conn, &self.tokens, &link.client_id, item)?),
                _ => None,
            };
            let end = LinkEnd { finished_at: now, outcome, public_token: public_token.clone() };
            link_tokens::start_session(conn, link.id, Uuid::new_v4(), now)?;
            if !link_tokens::finish(conn, link.id, &end)? {
                return Err(conflict(ErrorCode::LinkSessionFinished, "this Link session has finished"));
            }
            let Some(item) = item else { return Ok(()) };
            let connection = connections::find(conn, item)?.ok_or(StoreError::NotFound)?;
            let session = current.session.as_ref().map(|s| s.id).unwrap_or_default();
            let webhook = PlaidWebhook::SessionFinished { outcome, session, link_token: link.token(), public_token };
            webhooks::record_plaid(conn, &connection, &webhook, now)?;
            Ok(())
        })?;
        tracing::info!(link = %link.log_id(), %outcome, "link session finished");
        self.find(&link.token())
    }
}

/// Refuses a link token that expired or whose session ended (410-like: a 409 the page shows).
fn check_open(link: &LinkToken, now: DateTime<Utc>) -> Result<(), ServiceError> {
    if link.end().is_some() {
        return Err(conflict(ErrorCode::LinkSessionFinished, "this Link session has finished"));
    }
    if !link.is_open(now) {
        return Err(conflict(ErrorCode::LinkTokenExpired, "this link token has expired; create a new one"));
    }
    Ok(())
}

fn conflict(code: ErrorCode, message: &str) -> ServiceError {
    ServiceError::Conflict { code, message: message.to_owned() }
}

/// Records and signs a new public token of `connection` inside the caller's transaction.
fn issue(
    conn: &mut DbConnection,
    tokens: &ItemTokens,
    client_id: &str,
    connection: ConnectionId,
) -> Result<String, StoreError> {
    let (id, now) = (Uuid::new_v4(), Utc::now());
    let expires = now + TimeDelta::minutes(PUBLIC_TOKEN_MINUTES);
    public_tokens::insert(conn, id, connection, expires, now)?;
    Ok(tokens.public(client_id, connection, id, expires))
}
