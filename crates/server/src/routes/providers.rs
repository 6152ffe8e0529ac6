//! `/api/financial/providers` and the providers' logos.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use sandbank_domain::account::AccountType;
use sandbank_domain::provider::Provider;
use serde::Serialize;
use utoipa::ToSchema;

use crate::authenticated::Authenticated;
use crate::error::{ApiError, ErrorResponse};
use crate::state::AppState;

/// A simulated bank.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProviderResponse {
    /// Its id (the same in every installation).
    pub id: uuid::Uuid,
    /// Display name.
    #[schema(example = "American Express")]
    pub name: String,
    /// Short name: `amex`, `chase`, `bank-of-america`, `wells-fargo` or `capital-one`.
    #[schema(example = "amex")]
    pub slug: String,
    /// Where its logo is served (an SVG).
    #[schema(example = "/static/logos/amex.svg")]
    pub logo_url: String,
    /// The account types it offers.
    #[schema(value_type = Vec<crate::schemas::AccountType>, example = json!(["credit_card", "savings"]))]
    pub supported_account_types: Vec<AccountType>,
    /// `active` or `degraded`.
    #[schema(value_type = crate::schemas::ProviderStatus, example = "active")]
    pub status: sandbank_domain::provider::ProviderStatus,
}

impl From<Provider> for ProviderResponse {
    fn from(p: Provider) -> Self {
        Self {
            id: p.id.as_uuid(),
            name: p.name,
            slug: p.slug,
            logo_url: p.logo_url,
            supported_account_types: p.supported_account_types,
            status: p.status,
        }
    }
}

/// The list of providers.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "providers": [
        {
            "id": "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a01",
            "name": "American Express",
            "slug": "amex",
            "logoUrl": "/static/logos/amex.svg",
            "supportedAccountTypes": [
                "credit_card"
            ],
            "status": "active"
        }
    ]
}))]
pub struct ProvidersResponse {
    /// Every provider, by name.
    pub providers: Vec<ProviderResponse>,
}

/// The banks a user can connect to.
#[utoipa::path(
    tag = "financial",
    operation_id = "listProviders",
    security(("bearerAuth" = []), ("sessionCookie" = [])),
    responses(
        (status = 200, description = "Every provider", body = ProvidersResponse),
        (status = 401, description = "Not signed in", body = ErrorResponse),
    )
)]
#[get("/api/financial/providers")]
pub async fn list_providers(
    state: web::Data<AppState>,
    _caller: Authenticated,
) -> Result<web::Json<ProvidersResponse>, ApiError> {
    let catalog = state.catalog.clone();
    let providers = web::block(move || catalog.list()).await??;
    Ok(web::Json(ProvidersResponse { providers: providers.into_iter().map(Into::into).collect() }))
}

/// Escapes text for XML.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A provider's logo: its monogram on its brand colour, drawn here and served by the binary.
pub async fn logo(path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let file = path.into_inner();
    let spec = file
        .strip_suffix(".svg")
        .and_then(sandbank_fakebank::catalog::provider)
        .ok_or_else(ApiError::route_not_found)?;
    let svg = format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="{name}">"##,
            r##"<rect width="64" height="64" rx="14" fill="{color}"/>"##,
            r##"<text x="32" y="41" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="24" font-weight="700" fill="#ffffff">{monogram}</text>"##,
            "</svg>\n"
        ),
        name = xml_escape(&spec.name),
        color = spec.brand_color,
        monogram = xml_escape(&spec.monogram),
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(svg))
}
