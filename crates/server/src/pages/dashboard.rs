//! `/dashboard` and its forms: connect, sync now, the webhook URL, disconnect (with a
//! confirmation step).

use sandbank_domain::webhook::WebhookFormat;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use sandbank_domain::account::Account;
use sandbank_domain::developer_key::DeveloperKey;
use sandbank_domain::provider::Provider;
use sandbank_domain::recurring::RecurringCharge;
use sandbank_domain::transaction_query::{RawTransactionQuery, TransactionQuery};
use sandbank_domain::webhook::WebhookDelivery;
use sandbank_domain::{ConnectionId, ErrorCode, FieldErrors, ProviderId, UserId};
use sandbank_services::ServiceError;
use sandbank_services::use_cases::accounts::AccountFilter;
use sandbank_services::use_cases::connections::ConnectionView;
use sandbank_services::use_cases::dashboard::{Insights, QuickStats};
use sandbank_services::use_cases::recurring::RecurringFilter;
use sandbank_services::use_cases::transactions::TransactionPage;
use serde::Deserialize;
use uuid::Uuid;

use crate::pages::scenarios::scenario_file;
use crate::pages::view::{
    AccountLine, AccountNames, BankCard, ConnectionLine, DeliveryLine, Glance, InsightsView, KeyLine, Nav,
    RecurringView, ScenarioLine, TransactionLine, transaction_lines,
};
use crate::pages::{MessagePage, PageError, Visitor, block_service, form_caller, html, run_service, see_other};
use crate::state::AppState;
use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use sandbank_domain::ScenarioId;
use sandbank_services::use_cases::scenarios::{ScenarioSource, ScenarioView};

/// Registers the dashboard and its forms.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard", web::get().to(show))
        .service(web::resource("/dashboard/connections").app_data(crate::pages::scenarios::file_limit()).post(connect))
        .route("/dashboard/connections/{connectionId}/sync", web::post().to(sync))
        .route("/dashboard/connections/{connectionId}/webhook", web::post().to(set_webhook))
        .service(
            web::resource("/dashboard/connections/{connectionId}/disconnect").get(confirm_disconnect).post(disconnect),
        );
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    glance: Glance,
    insights: InsightsView,
    recurring: RecurringView,
    providers: Vec<BankCard>,
    connections: Vec<ConnectionLine>,
    accounts: Vec<AccountLine>,
    rows: Vec<TransactionLine>,
    deliveries: Vec<DeliveryLine>,
    keys: Vec<KeyLine>,
    scenarios: Vec<ScenarioLine>,
    /// The recent rows name their account.
    show_account: bool,
}

#[derive(Template)]
#[template(path = "confirm_disconnect.html")]
struct ConfirmDisconnectPage {
    nav: Nav,
    id: String,
    provider: String,
}

/// A flash message named in the URL.
#[derive(Debug, Deserialize)]
pub struct FlashQuery {
    flash: Option<String>,
    n: Option<String>,
}

impl FlashQuery {
    /// The flash named.
    pub fn flash(&self) -> Option<&str> {
        self.flash.as_deref()
    }
}

/// How many of the last webhook deliveries the dashboard shows.
const DELIVERIES_SHOWN: usize = 10;

/// What the dashboard shows, as the services give it.
struct Overview {
    providers: Vec<Provider>,
    connections: Vec<ConnectionView>,
    accounts: Vec<Account>,
    stats: QuickStats,
    insights: Insights,
    recurring: Vec<RecurringCharge>,
    recent: TransactionPage,
    deliveries: Vec<WebhookDelivery>,
    keys: Vec<DeveloperKey>,
    scenarios: Vec<ScenarioView>,
}

impl Overview {
    /// Loads `user`'s overview (on a blocking thread).
    fn load(state: &AppState, user: UserId) -> Result<Self, ServiceError> {
        let recent = TransactionQuery::parse(&RawTransactionQuery { limit: Some("10"), ..Default::default() })
            .map_err(ServiceError::from)?;
        Ok(Self {
            providers: state.catalog.list()?,
            connections: state.connections.list(user)?,
            accounts: state.accounts.list(user, &AccountFilter::default())?,
            stats: state.dashboard.quick_stats(user)?,
            insights: state.dashboard.insights(user)?,
            recurring: state.recurring.list(user, &RecurringFilter::default())?,
            recent: state.transactions.list(user, &recent)?,
            deliveries: state.webhooks.deliveries(user, None)?.into_iter().take(DELIVERIES_SHOWN).collect(),
            keys: state.developer_keys.list(user)?,
            scenarios: state.scenarios.list(user)?,
        })
    }

    /// The page, under `nav`.
    fn page(&self, nav: Nav) -> DashboardPage {
        let now = Utc::now();
        let provider_names: HashMap<ProviderId, &str> =
            self.providers.iter().map(|p| (p.id, p.name.as_str())).collect();
        let names = AccountNames::from(self.accounts.as_slice());
        let provider_of = |a: &Account| provider_names.get(&a.provider_id).copied().unwrap_or_default();
        let bank_of = |id: ConnectionId| {
            let connection = self.connections.iter().find(|v| v.connection.id == id);
            connection.map(|v| v.provider.name.as_str()).unwrap_or_default()
        };
        DashboardPage {
            nav,
            glance: Glance::from(&self.stats),
            insights: InsightsView::from(&self.insights),
            recurring: RecurringView::new(&self.recurring, &names),
            providers: self.providers.iter().map(|p| BankCard::from((p, self.connections.as_slice()))).collect(),
            connections: self.connections.iter().rev().map(|v| ConnectionLine::from((v, now))).collect(),
            accounts: self.accounts.iter().map(|a| AccountLine::from((a, provider_of(a)))).collect(),
            rows: transaction_lines(&self.recent.transactions, &names),
            deliveries: self
                .deliveries
                .iter()
                .map(|d| DeliveryLine::from((d, bank_of(d.connection_id), now)))
                .collect(),
            keys: self.keys.iter().map(|k| KeyLine::from((k, now))).collect(),
            scenarios: self.scenarios.iter().map(|s| ScenarioLine::from((s, now))).collect(),
            show_account: true,
        }
    }
}

/// `GET /dashboard`.
pub async fn show(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: web::Query<FlashQuery>,
) -> Result<HttpResponse, PageError> {
    let caller = visitor.signed_in("/dashboard")?;
    let services = state.clone();
    let user = caller.user.id;
    let overview = run_service(move || Overview::load(&services, user)).await?;
    let nav = Nav::signed_in(&state, &caller, query.flash.as_deref(), query.n.as_deref());
    Ok(html(StatusCode::OK, &overview.page(nav)))
}

/// A form with only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

impl CsrfForm {
    /// The form's CSRF token.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// The Connect form: the bank, an optional seed, and optionally a saved scenario or a
/// scenario file (multipart, for the file).
#[derive(Debug, MultipartForm)]
pub struct ConnectForm {
    csrf: Text<String>,
    provider_id: Text<String>,
    seed: Option<Text<String>>,
    scenario_id: Option<Text<String>>,
    scenario_file: Option<Bytes>,
}

impl ConnectForm {
    /// The seed asked for, if any.
    fn seed(&self) -> Result<Option<i64>, ServiceError> {
        match self.seed.as_ref().map_or("", |s| s.trim()) {
            "" => Ok(None),
            text => text.parse().map(Some).map_err(|_| FieldErrors::single("seed", "must be a whole number").into()),
        }
    }

    /// The scenario asked for, if any: a file chosen, else a saved one picked.
    fn scenario(&self) -> Result<Option<ScenarioSource>, ServiceError> {
        if let Some(document) = scenario_file(self.scenario_file.as_ref())? {
            return Ok(Some(ScenarioSource::Inline(Box::new(document))));
        }
        let mut errors = FieldErrors::new();
        let picked = self.scenario_id.as_ref().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        let id = picked.and_then(|text| errors.uuid("scenario", &text));
        errors.into_result(|| id.map(|id| ScenarioSource::Saved(ScenarioId::from_uuid(id)))).map_err(Into::into)
    }
}

/// `POST /dashboard/connections`: creates the connection and goes to its consent page.
pub async fn connect(
    state: web::Data<AppState>,
    visitor: Visitor,
    form: MultipartForm<ConnectForm>,
) -> Result<HttpResponse, PageError> {
    let caller = form_caller(&state, visitor, &form.csrf)?;
    let (seed, scenario) = (form.seed()?, form.scenario()?);
    let service = state.connections.clone();
    let provider = form.provider_id.to_string();
    let view = run_service(move || {
        service.create(caller.user.id, Some(&provider), seed, (None, WebhookFormat::Sandbank), scenario)
    })
    .await?;
    Ok(see_other(&format!("/financial/authorize/{}", view.connection.id)))
}

/// `POST /dashboard/connections/{id}/sync`.
pub async fn sync(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let caller = form_caller(&state, visitor, &form.csrf)?;
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    match block_service(move || service.sync(caller.user.id, id)).await {
        Ok(report) => Ok(see_other(&format!("/dashboard?flash=synced&n={}", report.transactions_added))),
        Err(ServiceError::ProviderUnavailable(_)) => Ok(see_other("/dashboard?flash=sync_failed")),
        Err(ServiceError::Conflict { code: ErrorCode::ConnectionExpired, .. }) => {
            Ok(see_other("/dashboard?flash=expired"))
        }
        Err(error) => Err(error.into()),
    }
}

/// The webhook URL form; an empty URL stops the webhooks.
#[derive(Debug, Deserialize)]
pub struct WebhookForm {
    csrf: String,
    #[serde(default)]
    webhook_url: String,
}

/// `POST /dashboard/connections/{id}/webhook`: sets or clears the webhook URL.
pub async fn set_webhook(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<WebhookForm>,
) -> Result<HttpResponse, PageError> {
    let caller = form_caller(&state, visitor, &form.csrf)?;
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let url = Some(form.webhook_url.trim().to_owned()).filter(|u| !u.is_empty());
    match block_service(move || service.set_webhook_url(caller.user.id, id, url.as_deref())).await {
        Ok(_) => Ok(see_other("/dashboard?flash=webhook_saved")),
        // Names the rule broken, e.g. "webhookUrl: must use http or https".
        Err(ServiceError::Validation(errors)) => Err(PageError::message(
            StatusCode::BAD_REQUEST,
            MessagePage::to_dashboard("Something is off", errors.to_string()),
        )),
        Err(error) => Err(error.into()),
    }
}

/// `GET /dashboard/connections/{id}/disconnect`: the confirmation step.
pub async fn confirm_disconnect(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
) -> Result<HttpResponse, PageError> {
    let caller = visitor.signed_in("/dashboard")?;
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    let user = caller.user.id;
    let view = run_service(move || service.get(user, id)).await?;
    let page = ConfirmDisconnectPage {
        nav: Nav::signed_in(&state, &caller, None, None),
        id: id.to_string(),
        provider: view.provider.name,
    };
    Ok(html(StatusCode::OK, &page))
}

/// `POST /dashboard/connections/{id}/disconnect`.
pub async fn disconnect(
    state: web::Data<AppState>,
    visitor: Visitor,
    path: web::Path<Uuid>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    let caller = form_caller(&state, visitor, &form.csrf)?;
    let service = state.connections.clone();
    let id = ConnectionId::from_uuid(path.into_inner());
    run_service(move || service.disconnect(caller.user.id, id, false)).await?;
    Ok(see_other("/dashboard?flash=disconnected"))
}
