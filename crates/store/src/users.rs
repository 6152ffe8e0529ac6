//! The `users` table.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use sandbank_domain::UserId;
use sandbank_domain::user::{Email, User, UserName};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::users;
use crate::sql_types::DbId;
use crate::time::{from_db_time, now_for_db};

/// A user row with its password hash; the hash never leaves the services layer.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub(crate) struct UserRow {
    id: DbId,
    email: String,
    name: Option<String>,
    password_hash: String,
    created_at: NaiveDateTime,
}

/// A stored user together with the hash of their password.
#[derive(Debug, Clone)]
pub struct UserWithHash {
    /// The user.
    pub user: User,
    /// Their argon2id PHC string.
    pub password_hash: String,
}

impl From<UserRow> for UserWithHash {
    fn from(row: UserRow) -> Self {
        Self {
            user: User {
                id: row.id.into(),
                email: row.email,
                name: row.name,
                created_at: from_db_time(row.created_at),
            },
            password_hash: row.password_hash,
        }
    }
}

/// Inserts a new user. A taken e-mail is [`StoreError::UniqueViolation`].
pub fn insert(
    conn: &mut DbConnection,
    email: &Email,
    name: Option<&UserName>,
    password_hash: &str,
) -> Result<User, StoreError> {
    let now = now_for_db();
    let id = UserId::new();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(DbId::of(id)),
            users::email.eq(email.as_str()),
            users::name.eq(name.map(UserName::as_str)),
            users::password_hash.eq(password_hash),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(User {
        id,
        email: email.as_str().to_owned(),
        name: name.map(|n| n.as_str().to_owned()),
        created_at: from_db_time(now),
    })
}

/// The user with this (normalised) e-mail, with their hash.
pub fn find_by_email(conn: &mut DbConnection, email: &Email) -> Result<Option<UserWithHash>, StoreError> {
    let row =
        users::table.filter(users::email.eq(email.as_str())).select(UserRow::as_select()).first(conn).optional()?;
    Ok(row.map(UserWithHash::from))
}

/// The user with this id.
pub fn find(conn: &mut DbConnection, id: UserId) -> Result<User, StoreError> {
    let row = users::table.find(DbId::of(id)).select(UserRow::as_select()).first(conn)?;
    Ok(UserWithHash::from(row).user)
}

/// The version of the user's transactions: the last change's number in their change feed
/// (`users.change_seq`), taken by every write to them in any process
/// ([`crate::changes::ChangeStamp`]). Listings key cached counts and page tags by it.
pub fn data_version(conn: &mut DbConnection, id: UserId) -> Result<i64, StoreError> {
    Ok(users::table.find(DbId::of(id)).select(users::change_seq).first(conn)?)
}
