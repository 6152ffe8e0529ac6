//! `/institutions/get` and `/institutions/get_by_id`: the five banks as Plaid institutions,
//! under the `ins_…` ids Plaid gives the same banks, so code written against them carries over.

use actix_web::{HttpRequest, post, web};
use sandbank_domain::provider::{Provider, ProviderStatus};
use serde::{Deserialize, Serialize};

use super::error::{PlaidError, PlaidErrorCode};
use super::{PlaidJson, request_id};
use crate::state::AppState;

/// Each bank's Plaid institution id, by our slug.
pub const INSTITUTION_IDS: &[(&str, &str)] = &[
    ("amex", "ins_10"),
    ("chase", "ins_56"),
    ("bank-of-america", "ins_127989"),
    ("wells-fargo", "ins_127991"),
    ("capital-one", "ins_128026"),
];

/// The Plaid institution id of the provider `slug`.
pub fn institution_id(slug: &str) -> Option<&'static str> {
    INSTITUTION_IDS.iter().find(|(s, _)| *s == slug).map(|(_, id)| *id)
}

/// The slug of the institution `id`.
pub fn slug_of(id: &str) -> Option<&'static str> {
    INSTITUTION_IDS.iter().find(|(_, i)| *i == id).map(|(slug, _)| *slug)
}

/// Our banks are in the United States only.
const COUNTRY: &str = "US";

/// What a Plaid client is told of an institution.
#[derive(Debug, Serialize)]
pub struct Institution {
    institution_id: &'static str,
    name: String,
    products: [&'static str; 2],
    country_codes: [&'static str; 1],
    routing_numbers: [&'static str; 0],
    oauth: bool,
    connection_availability: &'static str,
    url: Option<String>,
    primary_color: Option<String>,
    logo: Option<String>,
}

impl Institution {
    fn of(provider: &Provider) -> Option<Self> {
        Some(Self {
            institution_id: institution_id(&provider.slug)?,
            name: provider.name.clone(),
            products: ["balance", "transactions"],
            country_codes: [COUNTRY],
            routing_numbers: [],
            oauth: true,
            connection_availability: match provider.status {
                ProviderStatus::Active => "SUPPORTED",
                ProviderStatus::Degraded => "NOT_SUPPORTED",
            },
            url: None,
            primary_color: None,
            logo: None,
        })
    }
}

/// `/institutions/get`'s options (accepted; every institution has every product we offer).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct InstitutionsGetOptions {
    products: Option<Vec<String>>,
    routing_numbers: Option<Vec<String>>,
    oauth: Option<bool>,
    include_optional_metadata: Option<bool>,
    include_auth_metadata: Option<bool>,
    include_payment_initiation_metadata: Option<bool>,
}

/// `/institutions/get`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionsGetRequest {
    count: u32,
    offset: u32,
    country_codes: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    options: Option<InstitutionsGetOptions>,
}

#[derive(Debug, Serialize)]
struct InstitutionsGetResponse {
    institutions: Vec<Institution>,
    total: usize,
    request_id: String,
}

/// Every institution, a page at a time.
#[post("/institutions/get")]
pub async fn institutions_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (_, request): (_, InstitutionsGetRequest) = super::read(&req, &state, &body).await?;
    if !(1..=500).contains(&request.count) {
        return Err(PlaidError::new(PlaidErrorCode::InvalidField, "count must be from 1 to 500"));
    }
    let all = institutions(&state, &request.country_codes).await?;
    let total = all.len();
    let page = all.into_iter().skip(request.offset as usize).take(request.count as usize).collect();
    PlaidJson::new(&InstitutionsGetResponse { institutions: page, total, request_id: request_id(&req) })
}

/// `/institutions/get_by_id`'s options (accepted).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct InstitutionsGetByIdOptions {
    include_optional_metadata: Option<bool>,
    include_status: Option<bool>,
    include_auth_metadata: Option<bool>,
    include_payment_initiation_metadata: Option<bool>,
}

/// `/institutions/get_by_id`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionsGetByIdRequest {
    institution_id: String,
    country_codes: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    options: Option<InstitutionsGetByIdOptions>,
}

#[derive(Debug, Serialize)]
struct InstitutionsGetByIdResponse {
    institution: Institution,
    request_id: String,
}

/// One institution.
#[post("/institutions/get_by_id")]
pub async fn institutions_get_by_id(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<PlaidJson, PlaidError> {
    let (_, request): (_, InstitutionsGetByIdRequest) = super::read(&req, &state, &body).await?;
    let institution = institutions(&state, &request.country_codes)
        .await?
        .into_iter()
        .find(|i| i.institution_id == request.institution_id)
        .ok_or_else(|| {
            PlaidError::new(PlaidErrorCode::InvalidInstitution, format!("no institution {}", request.institution_id))
        })?;
    PlaidJson::new(&InstitutionsGetByIdResponse { institution, request_id: request_id(&req) })
}

/// Our institutions, if `country_codes` (required, non-empty) includes the United States.
async fn institutions(state: &AppState, country_codes: &[String]) -> Result<Vec<Institution>, PlaidError> {
    if country_codes.is_empty() {
        return Err(PlaidError::new(PlaidErrorCode::InvalidField, "country_codes must name at least one country"));
    }
    if !country_codes.iter().any(|c| c == COUNTRY) {
        return Ok(Vec::new());
    }
    let catalog = state.catalog.clone();
    let providers =
        web::block(move || catalog.list()).await.map_err(|_| super::internal())?.map_err(super::from_service)?;
    Ok(providers.iter().filter_map(Institution::of).collect())
}
