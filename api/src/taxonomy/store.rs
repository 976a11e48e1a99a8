use common::taxonomy::{CaseNature, NatureChange, NewNature};
use diesel::prelude::*;

use crate::db::schema::case_natures;
use crate::db::DbConnection;

type NatureRow = (String, String, String, bool, i64);

fn nature((code, name_zh, name_en, active, version): NatureRow) -> CaseNature {
    CaseNature {
        code,
        name_zh,
        name_en,
        active,
        version,
    }
}

const COLUMNS: (
    case_natures::code,
    case_natures::name_zh,
    case_natures::name_en,
    case_natures::active,
    case_natures::version,
) = (
    case_natures::code,
    case_natures::name_zh,
    case_natures::name_en,
    case_natures::active,
    case_natures::version,
);

/// The taxonomy in its order.
pub fn natures(conn: &mut DbConnection) -> QueryResult<Vec<CaseNature>> {
    case_natures::table
        .order((case_natures::position, case_natures::code))
        .select(COLUMNS)
        .load::<NatureRow>(conn)
        .map(|rows| rows.into_iter().map(nature).collect())
}

pub fn find(conn: &mut DbConnection, code: &str) -> QueryResult<Option<CaseNature>> {
    case_natures::table
        .find(code)
        .select(COLUMNS)
        .first::<NatureRow>(conn)
        .optional()
        .map(|row| row.map(nature))
}

fn position(conn: &mut DbConnection, code: &str) -> QueryResult<i64> {
    case_natures::table
        .find(code)
        .select(case_natures::position)
        .first(conn)
}

/// A new nature goes last.
pub fn insert(conn: &mut DbConnection, new: &NewNature) -> QueryResult<()> {
    let last: Option<i64> = case_natures::table
        .select(diesel::dsl::max(case_natures::position))
        .first(conn)?;
    diesel::insert_into(case_natures::table)
        .values((
            case_natures::code.eq(&new.code),
            case_natures::name_zh.eq(&new.names.name_zh),
            case_natures::name_en.eq(&new.names.name_en),
            case_natures::position.eq(last.unwrap_or(0) + 10),
            case_natures::active.eq(true),
            case_natures::version.eq(1),
        ))
        .execute(conn)
        .map(drop)
}

/// Writes the change if the nature is still at the version read; false if not.
pub fn update_if_version(
    conn: &mut DbConnection,
    code: &str,
    change: &NatureChange,
) -> QueryResult<bool> {
    diesel::update(
        case_natures::table
            .filter(case_natures::code.eq(code))
            .filter(case_natures::version.eq(change.version)),
    )
    .set((
        case_natures::name_zh.eq(&change.names.name_zh),
        case_natures::name_en.eq(&change.names.name_en),
        case_natures::active.eq(change.active),
        case_natures::version.eq(change.version + 1),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// Swaps two natures' places, the first only if still at the version read; false if not.
pub fn swap_if_version(
    conn: &mut DbConnection,
    code: &str,
    version: i64,
    other: &str,
) -> QueryResult<bool> {
    let (mine, theirs) = (position(conn, code)?, position(conn, other)?);
    let moved = diesel::update(
        case_natures::table
            .filter(case_natures::code.eq(code))
            .filter(case_natures::version.eq(version)),
    )
    .set((
        case_natures::position.eq(theirs),
        case_natures::version.eq(version + 1),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Ok(false);
    }
    diesel::update(case_natures::table.filter(case_natures::code.eq(other)))
        .set((
            case_natures::position.eq(mine),
            case_natures::version.eq(case_natures::version + 1),
        ))
        .execute(conn)
        .map(|_| true)
}
