//! Text columns that hold one of a closed set (a currency, a status, a category), parsed where
//! the database holds the text instead of through a `String` of their own: five of a
//! transaction's columns, so five allocations fewer per row of a page or a feed.

use std::str::FromStr;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::Pg;
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use crate::db::MultiBackend;

/// A `Text` column's value, parsed as `T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Parsed<T>(pub T);

impl<T: FromStr<Err: std::fmt::Display>> Parsed<T> {
    /// `text` as a `T`, or an error naming the type and the text.
    fn parse(text: &str) -> deserialize::Result<Self> {
        text.parse().map(Self).map_err(|e| {
            let name = std::any::type_name::<T>().rsplit("::").next().unwrap_or_default();
            format!("invalid {name} {text:?}: {e}").into()
        })
    }
}

impl<T: FromStr<Err: std::fmt::Display>> FromSql<Text, Sqlite> for Parsed<T> {
    fn from_sql(mut value: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Self::parse(value.read_text())
    }
}

impl<T: FromStr<Err: std::fmt::Display>> FromSql<Text, Pg> for Parsed<T> {
    fn from_sql(value: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Self::parse(std::str::from_utf8(value.as_bytes())?)
    }
}

impl<T: FromStr<Err: std::fmt::Display>> FromSql<Text, MultiBackend> for Parsed<T> {
    fn from_sql(value: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        value.from_sql::<Self, Text>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sandbank_domain::transaction::Category;

    #[test]
    fn parses_a_closed_set_and_names_what_it_is_not() {
        assert_eq!(Parsed::<Category>::parse("groceries").ok(), Some(Parsed(Category::Groceries)));
        let error = Parsed::<Category>::parse("gold").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.starts_with("invalid Category \"gold\": must be one of"), "{error}");
    }
}
