//! SQL expressions diesel cannot write itself, built so that diesel keeps their statements
//! prepared: a raw `sql` fragment marks its whole statement as never to be cached, so every call
//! prepared it anew (a tenth of a listing's CPU time in issue 15's profile). These write their
//! SQL from their own fields, and diesel keys the prepared statement by that SQL.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Bool, HasSqlType, SingleValue, Text};

use crate::sql_types::{DbId, DbUuid};

/// Marks a type as a boolean condition usable on any table (its SQL names the columns itself).
macro_rules! condition {
    ($name:ident $(<$($param:ident),*>)?) => {
        impl$(<$($param),*>)? Expression for $name$(<$($param),*>)? {
            type SqlType = Bool;
        }
        impl<QS, $($($param),*)?> AppearsOnTable<QS> for $name$(<$($param),*>)? {}
        impl<QS, $($($param),*)?> SelectableExpression<QS> for $name$(<$($param),*>)? {}
        impl<GB, $($($param),*)?> ValidGrouping<GB> for $name$(<$($param),*>)? {
            type IsAggregate = is_aggregate::Never;
        }
    };
}

/// `(key column, id) > (key, id)` (or `<`): past a keyset position, as a row-value comparison
/// that the `(…, key, id)` indexes serve. `ST` is the key's SQL type.
#[derive(Debug, Clone)]
pub(crate) struct Past<ST, V> {
    /// The two columns, e.g. `"date", id`.
    columns: &'static str,
    /// `<` rather than `>`: the listing runs in descending order.
    descending: bool,
    key: V,
    id: DbId,
    sql_type: PhantomData<ST>,
}

impl<ST, V> Past<ST, V> {
    /// Rows past `(key, id)` in the order of `columns` (descending when `descending`).
    pub(crate) fn new(columns: &'static str, descending: bool, key: V, id: DbId) -> Self {
        Self { columns, descending, key, id, sql_type: PhantomData }
    }
}

condition!(Past<ST, V>);

impl<ST, V> QueryId for Past<ST, V> {
    type QueryId = ();
    // The columns and the comparison are values: the statement is found by its SQL.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST, V, DB> QueryFragment<DB> for Past<ST, V>
where
    DB: Backend + HasSqlType<ST> + HasSqlType<DbUuid>,
    ST: SingleValue,
    V: ToSql<ST, DB>,
    DbId: ToSql<DbUuid, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        out.push_sql(self.columns);
        out.push_sql(if self.descending { ") < (" } else { ") > (" });
        out.push_bind_param::<ST, V>(&self.key)?;
        out.push_sql(", ");
        out.push_bind_param::<DbUuid, DbId>(&self.id)?;
        out.push_sql(")");
        Ok(())
    }
}

/// `financial_transactions.external_id IN (SELECT value FROM json_each(?))`, the ids bound as
/// one JSON array (SQLite): one statement whatever their number, where diesel prepares an
/// `IN (?, ?, …)` list anew for every call.
#[derive(Debug, Clone)]
pub(crate) struct ExternalIdInJson {
    json: String,
}

impl ExternalIdInJson {
    /// The condition for these ids.
    pub(crate) fn new(external_ids: &[&str]) -> Self {
        Self { json: serde_json::Value::from(external_ids.to_vec()).to_string() }
    }
}

condition!(ExternalIdInJson);

impl QueryId for ExternalIdInJson {
    type QueryId = Self;
    // Its SQL is the same for every value.
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for ExternalIdInJson
where
    DB: Backend + HasSqlType<Text>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("financial_transactions.external_id IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, String>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::debug_query;
    use diesel::sqlite::Sqlite;

    #[test]
    fn the_json_array_is_escaped() {
        let condition = ExternalIdInJson::new(&["a\"b", "c"]);
        assert_eq!(condition.json, r#"["a\"b","c"]"#);
    }

    #[test]
    fn past_compares_row_values_in_the_listing_order() {
        let id = DbId(uuid::Uuid::nil());
        let descending = Past::<diesel::sql_types::BigInt, i64>::new("amount_minor, id", true, 5, id);
        let sql = debug_query::<Sqlite, _>(&descending).to_string();
        assert!(sql.starts_with("(amount_minor, id) < (?, ?)"), "{sql}");
        let ascending = Past::<diesel::sql_types::BigInt, i64>::new("change_seq, id", false, 5, id);
        assert!(debug_query::<Sqlite, _>(&ascending).to_string().starts_with("(change_seq, id) > (?, ?)"));
    }
}
