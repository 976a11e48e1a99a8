//! The three lists share one shape, so one set of queries, written once per table by
//! `vocabulary_queries!`, serves each; `Vocabulary` picks the table.

use common::taxonomy::{NewTerm, Term, TermChange, Vocabulary};
use diesel::prelude::*;

use crate::db::DbConnection;

type TermRow = (String, String, String, bool, i64);

fn term((code, name_zh, name_en, active, version): TermRow) -> Term {
    Term {
        code,
        name_zh,
        name_en,
        active,
        version,
    }
}

macro_rules! vocabulary_queries {
    ($table:ident) => {
        mod $table {
            use super::*;
            use crate::db::schema::$table;

            const COLUMNS: (
                $table::code,
                $table::name_zh,
                $table::name_en,
                $table::active,
                $table::version,
            ) = (
                $table::code,
                $table::name_zh,
                $table::name_en,
                $table::active,
                $table::version,
            );

            pub fn terms(conn: &mut DbConnection) -> QueryResult<Vec<Term>> {
                $table::table
                    .order(($table::position, $table::code))
                    .select(COLUMNS)
                    .load::<TermRow>(conn)
                    .map(|rows| rows.into_iter().map(term).collect())
            }

            pub fn find(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Term>> {
                $table::table
                    .find(code)
                    .select(COLUMNS)
                    .first::<TermRow>(conn)
                    .optional()
                    .map(|row| row.map(term))
            }

            pub fn insert(conn: &mut DbConnection, new: &NewTerm) -> QueryResult<()> {
                let last: Option<i64> = $table::table
                    .select(diesel::dsl::max($table::position))
                    .first(conn)?;
                diesel::insert_into($table::table)
                    .values((
                        $table::code.eq(&new.code),
                        $table::name_zh.eq(&new.names.name_zh),
                        $table::name_en.eq(&new.names.name_en),
                        $table::position.eq(last.unwrap_or(0) + 10),
                        $table::active.eq(true),
                        $table::version.eq(1),
                    ))
                    .execute(conn)
                    .map(drop)
            }

            pub fn update_if_version(
                conn: &mut DbConnection,
                code: &str,
                change: &TermChange,
            ) -> QueryResult<bool> {
                diesel::update(
                    $table::table
                        .filter($table::code.eq(code))
                        .filter($table::version.eq(change.version)),
                )
                .set((
                    $table::name_zh.eq(&change.names.name_zh),
                    $table::name_en.eq(&change.names.name_en),
                    $table::active.eq(change.active),
                    $table::version.eq(change.version + 1),
                ))
                .execute(conn)
                .map(|rows| rows == 1)
            }

            fn position(conn: &mut DbConnection, code: &str) -> QueryResult<i64> {
                $table::table
                    .find(code)
                    .select($table::position)
                    .first(conn)
            }

            fn place(conn: &mut DbConnection, code: &str, position: i64) -> QueryResult<()> {
                diesel::update($table::table.find(code))
                    .set((
                        $table::position.eq(position),
                        $table::version.eq($table::version + 1),
                    ))
                    .execute(conn)
                    .map(drop)
            }

            /// Through a free place, since a list may keep its places unique.
            pub fn swap_if_version(
                conn: &mut DbConnection,
                code: &str,
                version: i64,
                other: &str,
            ) -> QueryResult<bool> {
                let (mine, theirs) = (position(conn, code)?, position(conn, other)?);
                let taken = diesel::update(
                    $table::table
                        .filter($table::code.eq(code))
                        .filter($table::version.eq(version)),
                )
                .set($table::position.eq(-1))
                .execute(conn)?;
                if taken != 1 {
                    return Ok(false);
                }
                place(conn, other, mine)?;
                place(conn, code, theirs)?;
                Ok(true)
            }
        }
    };
}

vocabulary_queries!(case_natures);
vocabulary_queries!(education_themes);
vocabulary_queries!(intervention_models);

macro_rules! on_table {
    ($vocabulary:expr, $query:ident($($arg:expr),*)) => {
        match $vocabulary {
            Vocabulary::CaseNatures => case_natures::$query($($arg),*),
            Vocabulary::EducationThemes => education_themes::$query($($arg),*),
            Vocabulary::InterventionModels => intervention_models::$query($($arg),*),
        }
    };
}

/// The list in its order.
pub fn terms(conn: &mut DbConnection, vocabulary: Vocabulary) -> QueryResult<Vec<Term>> {
    on_table!(vocabulary, terms(conn))
}

pub fn find(
    conn: &mut DbConnection,
    vocabulary: Vocabulary,
    code: &str,
) -> QueryResult<Option<Term>> {
    on_table!(vocabulary, find(conn, code))
}

/// A new term goes last.
pub fn insert(conn: &mut DbConnection, vocabulary: Vocabulary, new: &NewTerm) -> QueryResult<()> {
    on_table!(vocabulary, insert(conn, new))
}

/// Writes the change if the term is still at the version read; false if not.
pub fn update_if_version(
    conn: &mut DbConnection,
    vocabulary: Vocabulary,
    code: &str,
    change: &TermChange,
) -> QueryResult<bool> {
    on_table!(vocabulary, update_if_version(conn, code, change))
}

/// Swaps two terms' places, the first only if still at the version read; false if not.
pub fn swap_if_version(
    conn: &mut DbConnection,
    vocabulary: Vocabulary,
    code: &str,
    version: i64,
    other: &str,
) -> QueryResult<bool> {
    on_table!(vocabulary, swap_if_version(conn, code, version, other))
}
