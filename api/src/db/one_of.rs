//! `column IN (values)`, prepared once for any number of values on SQLite and once per
//! number of a few values on PostgreSQL. Diesel's `eq_any` writes a placeholder a value on
//! SQLite and marks the statement not to be cached, so SQLite parses it again at every
//! request; here SQLite reads the values from one JSON array. PostgreSQL binds a few
//! values one by one and more as one array, as Diesel does: a prepared statement's
//! generic plan counts the values of a list but not of an array, and costed with an
//! array of unknown length it lost to custom plans, so a search's posting lists were
//! planned again at every request.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, Bool, HasSqlType, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;
use serde::Serialize;

use super::MultiBackend;

/// Whether `expr` is one of `values`. The values are copied, so that the condition may
/// stand in a boxed query of its own lifetime.
pub fn one_of<E: Expression, V: Listed>(expr: E, values: &[V]) -> OneOf<E, V::Owned> {
    let values: Vec<V::Owned> = values.iter().map(Listed::owned).collect();
    OneOf {
        expr,
        // Numbers, flags and text only: serialising them cannot fail.
        json: serde_json::to_string(&values).unwrap_or_default(),
        values,
    }
}

/// What a list of values to match may hold: numbers, flags and text.
pub trait Listed {
    type Owned: Serialize + 'static;
    fn owned(&self) -> Self::Owned;
}

impl Listed for i64 {
    type Owned = i64;
    fn owned(&self) -> i64 {
        *self
    }
}

impl Listed for bool {
    type Owned = bool;
    fn owned(&self) -> bool {
        *self
    }
}

impl Listed for String {
    type Owned = String;
    fn owned(&self) -> String {
        self.clone()
    }
}

impl Listed for &str {
    type Owned = String;
    fn owned(&self) -> String {
        (*self).to_owned()
    }
}

#[derive(Debug, Clone)]
pub struct OneOf<E, T> {
    expr: E,
    values: Vec<T>,
    json: String,
}

impl<E: Expression, T> Expression for OneOf<E, T> {
    type SqlType = Bool;
}

impl<E: AppearsOnTable<QS>, T, QS> AppearsOnTable<QS> for OneOf<E, T> where Self: Expression {}

impl<E: SelectableExpression<QS>, T, QS> SelectableExpression<QS> for OneOf<E, T> where
    Self: AppearsOnTable<QS>
{
}

impl<E: ValidGrouping<G>, T, G> ValidGrouping<G> for OneOf<E, T> {
    type IsAggregate = E::IsAggregate;
}

/// Most values bound one by one on PostgreSQL: each number of them is a statement of its own.
const FEW: usize = 32;

// The statement depends on how many values there are: it is cached by its text.
impl<E: QueryId, T> QueryId for OneOf<E, T> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<E: QueryFragment<Sqlite>, T> QueryFragment<Sqlite> for OneOf<E, T> {
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.expr.walk_ast(pass.reborrow())?;
        pass.push_sql(" IN (SELECT value FROM json_each(");
        pass.push_bind_param::<Text, String>(&self.json)?;
        pass.push_sql("))");
        Ok(())
    }
}

impl<E, T> QueryFragment<Pg> for OneOf<E, T>
where
    E: Expression + QueryFragment<Pg>,
    E::SqlType: 'static,
    Pg: HasSqlType<E::SqlType>,
    T: ToSql<E::SqlType, Pg>,
    Vec<T>: ToSql<Array<E::SqlType>, Pg>,
{
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.expr.walk_ast(pass.reborrow())?;
        if (1..=FEW).contains(&self.values.len()) {
            pass.push_sql(" IN (");
            for (n, value) in self.values.iter().enumerate() {
                if n > 0 {
                    pass.push_sql(", ");
                }
                pass.push_bind_param::<E::SqlType, T>(value)?;
            }
            pass.push_sql(")");
            return Ok(());
        }
        pass.push_sql(" = ANY(");
        pass.push_bind_param::<Array<E::SqlType>, Vec<T>>(&self.values)?;
        pass.push_sql(")");
        Ok(())
    }
}

impl<E, T> QueryFragment<MultiBackend> for OneOf<E, T>
where
    Self: QueryFragment<Sqlite> + QueryFragment<Pg>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}
