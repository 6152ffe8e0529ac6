//! The `scenarios` table: the scenarios each user saved, newest first; and
//! `connection_scenarios`: the scenario a connection was made from.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sandbank_domain::scenario::SavedScenario;
use sandbank_domain::{ConnectionId, ScenarioId, UserId};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::{connection_scenarios as cs, scenarios as sc};
use crate::sql_types::DbId;
use crate::time::{from_db_time, to_db_time};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sc)]
struct ScenarioRow {
    id: DbId,
    name: String,
    document: String,
    created_at: NaiveDateTime,
}

impl From<ScenarioRow> for SavedScenario {
    fn from(row: ScenarioRow) -> Self {
        Self { id: row.id.into(), name: row.name, document: row.document, created_at: from_db_time(row.created_at) }
    }
}

/// Stores `scenario` as `user`'s.
pub fn insert(conn: &mut DbConnection, user: UserId, scenario: &SavedScenario) -> Result<(), StoreError> {
    diesel::insert_into(sc::table)
        .values((
            sc::id.eq(DbId::of(scenario.id)),
            sc::user_id.eq(DbId::of(user)),
            sc::name.eq(&scenario.name),
            sc::document.eq(&scenario.document),
            sc::created_at.eq(to_db_time(scenario.created_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The user's scenarios, newest first.
pub fn list(conn: &mut DbConnection, user: UserId) -> Result<Vec<SavedScenario>, StoreError> {
    let rows = sc::table
        .filter(sc::user_id.eq(DbId::of(user)))
        .order((sc::created_at.desc(), sc::id.desc()))
        .select(ScenarioRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// How many scenarios the user has.
pub fn count(conn: &mut DbConnection, user: UserId) -> Result<i64, StoreError> {
    Ok(sc::table.filter(sc::user_id.eq(DbId::of(user))).count().get_result(conn)?)
}

/// The scenario `id` and its owner, if it exists.
pub fn find(conn: &mut DbConnection, id: ScenarioId) -> Result<Option<(UserId, SavedScenario)>, StoreError> {
    let row = sc::table
        .find(DbId::of(id))
        .select((sc::user_id, ScenarioRow::as_select()))
        .first::<(DbId, ScenarioRow)>(conn)
        .optional()?;
    Ok(row.map(|(user, row)| (user.into(), row.into())))
}

/// Deletes the scenario `id`.
pub fn delete(conn: &mut DbConnection, id: ScenarioId) -> Result<(), StoreError> {
    diesel::delete(sc::table.find(DbId::of(id))).execute(conn)?;
    Ok(())
}

/// Records that `connection` runs `document` (canonical JSON).
pub fn attach(conn: &mut DbConnection, connection: ConnectionId, document: &str) -> Result<(), StoreError> {
    diesel::insert_into(cs::table)
        .values((cs::connection_id.eq(DbId::of(connection)), cs::document.eq(document)))
        .execute(conn)?;
    Ok(())
}

/// The scenario document `connection` runs, if it was made from one.
pub fn of_connection(conn: &mut DbConnection, connection: ConnectionId) -> Result<Option<String>, StoreError> {
    Ok(cs::table.find(DbId::of(connection)).select(cs::document).first(conn).optional()?)
}
