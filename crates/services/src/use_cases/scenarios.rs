//! Scenarios users save: a document is validated ([`RawScenario::validate`]) before it is stored,
//! as canonical JSON, so every stored one is valid; a user has at most [`MAX_SCENARIOS`].

use sandbank_domain::error_code::ErrorCode;
use sandbank_domain::scenario::{RawScenario, SavedScenario, Scenario};
use sandbank_domain::{FieldErrors, ScenarioId, UserId};
use sandbank_store::{Db, DbConnection, StoreError, scenarios};

use crate::error::ServiceError;

/// Where a connection's scenario comes from.
#[derive(Debug, Clone)]
pub enum ScenarioSource {
    /// One the user saved.
    Saved(ScenarioId),
    /// A document sent with the connection.
    Inline(Box<RawScenario>),
}

/// The canonical JSON of the scenario `source` names, checked: a saved one must be `user`'s
/// (problems under `scenarioId`), an inline one valid (problems under `scenario.<path>`).
pub(crate) fn resolve(conn: &mut DbConnection, user: UserId, source: ScenarioSource) -> Result<String, ServiceError> {
    let (document, prefix) = match source {
        ScenarioSource::Saved(id) => match scenarios::find(conn, id)? {
            Some((owner, saved)) if owner == user => {
                (read_stored(&saved.document, "scenarios.document")?.0, "scenarioId")
            }
            _ => return Err(FieldErrors::single("scenarioId", "no such scenario of yours").into()),
        },
        ScenarioSource::Inline(raw) => (*raw, "scenario"),
    };
    document.validate().map_err(|errors| errors.under(prefix))?;
    serde_json::to_string(&document).map_err(|e| ServiceError::Internal(format!("scenario: {e}")))
}

/// The most scenarios a user keeps.
pub const MAX_SCENARIOS: i64 = 100;

/// A saved scenario with what its document says.
#[derive(Debug, Clone)]
pub struct ScenarioView {
    /// As stored.
    pub saved: SavedScenario,
    /// As validated.
    pub scenario: Scenario,
    /// The document as written.
    pub document: RawScenario,
}

/// Users' saved scenarios.
#[derive(Debug, Clone)]
pub struct ScenarioService {
    db: Db,
}

impl ScenarioService {
    /// Scenarios over `db`.
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Saves `document` as `user`'s, once it is valid.
    pub fn create(&self, user: UserId, document: RawScenario) -> Result<ScenarioView, ServiceError> {
        let scenario = document.validate()?;
        let json = serde_json::to_string(&document).map_err(|e| ServiceError::Internal(format!("scenario: {e}")))?;
        let saved = SavedScenario {
            id: ScenarioId::new(),
            name: scenario.name.clone(),
            document: json,
            created_at: sandbank_store::time::as_stored(chrono::Utc::now()),
        };
        self.db.write(|conn| {
            if scenarios::count(conn, user)? >= MAX_SCENARIOS {
                return Err(ServiceError::Conflict {
                    code: ErrorCode::TooManyScenarios,
                    message: format!("a user keeps at most {MAX_SCENARIOS} scenarios; delete one first"),
                });
            }
            Ok(scenarios::insert(conn, user, &saved)?)
        })?;
        tracing::info!(scenario_id = %saved.id, rows = scenario.row_count(), "scenario saved");
        Ok(ScenarioView { saved, scenario, document })
    }

    /// The user's scenarios, newest first.
    pub fn list(&self, user: UserId) -> Result<Vec<ScenarioView>, ServiceError> {
        let saved = self.db.read(|conn| scenarios::list(conn, user))?;
        saved.into_iter().map(view).collect()
    }

    /// One of the user's scenarios.
    pub fn get(&self, user: UserId, id: ScenarioId) -> Result<ScenarioView, ServiceError> {
        view(self.owned(user, id)?)
    }

    /// Deletes one of the user's scenarios.
    pub fn delete(&self, user: UserId, id: ScenarioId) -> Result<(), ServiceError> {
        self.owned(user, id)?;
        Ok(self.db.write(|conn| scenarios::delete(conn, id))?)
    }

    fn owned(&self, user: UserId, id: ScenarioId) -> Result<SavedScenario, ServiceError> {
        match self.db.read(|conn| scenarios::find(conn, id))? {
            None => Err(ServiceError::NotFound("scenario")),
            Some((owner, _)) if owner != user => Err(ServiceError::Forbidden("scenario")),
            Some((_, saved)) => Ok(saved),
        }
    }
}

/// A stored scenario read back (valid when stored; a row that no longer is, is corrupt).
fn view(saved: SavedScenario) -> Result<ScenarioView, ServiceError> {
    let (document, scenario) = read_stored(&saved.document, "scenarios.document")?;
    Ok(ScenarioView { saved, scenario, document })
}

/// A scenario document as stored in `column` (canonical JSON, valid when it was stored), read
/// back: a document that no longer parses or validates is a corrupt row.
pub(crate) fn read_stored(json: &str, column: &str) -> Result<(RawScenario, Scenario), ServiceError> {
    let corrupt = |e: String| ServiceError::from(StoreError::corrupt(column, e));
    let document: RawScenario = serde_json::from_str(json).map_err(|e| corrupt(e.to_string()))?;
    let scenario = document.validate().map_err(|e| corrupt(e.to_string()))?;
    Ok((document, scenario))
}
