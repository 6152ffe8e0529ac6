//! The store's one error type.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write.
    #[error("already exists: {0}")]
    UniqueViolation(String),
    /// The database could not be reached (pool timeout, refused connection).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The configuration names no usable database.
    #[error("{0}")]
    Config(String),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A stored value did not map onto the domain (e.g. an unknown status text), or did not read.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Self::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                Self::UniqueViolation(info.constraint_name().unwrap_or(info.message()).to_owned())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Self::Unavailable(info.message().to_owned())
            }
            DieselError::DeserializationError(error) => Self::Corrupt(with_causes(error.as_ref())),
            other => Self::Database(other),
        }
    }
}

/// `error`'s message and those of its causes: diesel names the field that did not read
/// ("Error deserializing field 'category'") and keeps why (the stored text) as the cause.
fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

impl StoreError {
    /// Maps a stored text that does not parse onto [`StoreError::Corrupt`].
    pub fn corrupt(column: &str, error: impl std::fmt::Display) -> Self {
        Self::Corrupt(format!("{column}: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A field that did not read, as diesel reports it: its name, and why as the cause.
    #[derive(Debug, thiserror::Error)]
    #[error("Error deserializing field 'category'")]
    struct FieldError(#[source] Box<dyn std::error::Error + Send + Sync>);

    #[test]
    fn a_value_that_does_not_read_is_a_corrupt_row_naming_the_field_and_the_text() {
        let why = "invalid Category \"gold\": must be one of: groceries";
        let error = StoreError::from(DieselError::DeserializationError(Box::new(FieldError(why.into()))));
        assert!(matches!(error, StoreError::Corrupt(_)), "{error:?}");
        assert_eq!(error.to_string(), format!("corrupt row: Error deserializing field 'category': {why}"));
    }
}
