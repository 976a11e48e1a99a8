//! The concerns' queries.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{cases, child_protection_concerns as concerns};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = concerns)]
pub struct ConcernRow {
    pub id: String,
    pub case_id: String,
    pub child_id: String,
    pub harm_types: String,
    pub harm_level: String,
    pub grounds: String,
    pub identified_on: NaiveDate,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
    pub decision: Option<String>,
    pub reasons: Option<String>,
    pub reported_to: Option<String>,
    pub reported_at: Option<NaiveDateTime>,
    pub reference_number: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i64,
}

pub struct NewConcernRow<'a> {
    pub id: &'a str,
    pub case_id: &'a str,
    pub child_id: &'a str,
    pub harm_types: &'a str,
    pub harm_level: &'a str,
    pub grounds: &'a str,
    pub identified_on: NaiveDate,
    pub recorded_by: &'a str,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &NewConcernRow) -> QueryResult<()> {
    diesel::insert_into(concerns::table)
        .values((
            concerns::id.eq(row.id),
            concerns::case_id.eq(row.case_id),
            concerns::child_id.eq(row.child_id),
            concerns::harm_types.eq(row.harm_types),
            concerns::harm_level.eq(row.harm_level),
            concerns::grounds.eq(row.grounds),
            concerns::identified_on.eq(row.identified_on),
            concerns::recorded_by.eq(row.recorded_by),
            concerns::recorded_at.eq(row.recorded_at),
            concerns::version.eq(1i64),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ConcernRow>> {
    concerns::table
        .find(id)
        .select(ConcernRow::as_select())
        .first(conn)
        .optional()
}

/// A case's concerns, the latest first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<ConcernRow>> {
    concerns::table
        .filter(concerns::case_id.eq(case_id))
        .order(concerns::recorded_at.desc())
        .select(ConcernRow::as_select())
        .load(conn)
}

/// The undecided concerns of the cases a scope reaches, the oldest first.
pub fn undecided_within(
    conn: &mut DbConnection,
    scope: &crate::identity::RecordScope,
) -> QueryResult<Vec<ConcernRow>> {
    let undecided = || concerns::table.filter(concerns::decided_at.is_null());
    // The reach is a boxed query, which MultiConnection cannot nest as a subquery: the
    // cases are found through it first.
    let case_ids: Vec<String> = crate::cases::store::within(scope)
        .filter(cases::id.eq_any(undecided().select(concerns::case_id)))
        .select(cases::id)
        .load(conn)?;
    undecided()
        .filter(concerns::case_id.eq_any(case_ids))
        .order(concerns::recorded_at)
        .limit(50)
        .select(ConcernRow::as_select())
        .load(conn)
}

pub struct Decided<'a> {
    pub decision: &'a str,
    pub reasons: &'a str,
    pub reported_to: Option<&'a str>,
    pub reported_at: Option<NaiveDateTime>,
    pub reference_number: Option<&'a str>,
    pub decided_by: &'a str,
    pub decided_at: NaiveDateTime,
}

/// Records the decision on a concern still undecided at the version read; false when it
/// was decided or changed meanwhile.
pub fn decide_if_version(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    decided: &Decided,
) -> QueryResult<bool> {
    diesel::update(
        concerns::table
            .find(id)
            .filter(concerns::version.eq(version))
            .filter(concerns::decided_at.is_null()),
    )
    .set((
        concerns::decision.eq(decided.decision),
        concerns::reasons.eq(decided.reasons),
        concerns::reported_to.eq(decided.reported_to),
        concerns::reported_at.eq(decided.reported_at),
        concerns::reference_number.eq(decided.reference_number),
        concerns::decided_by.eq(decided.decided_by),
        concerns::decided_at.eq(decided.decided_at),
        concerns::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// A merged record's concerns follow the child to the survivor.
pub fn move_client(conn: &mut DbConnection, from: &str, to: &str) -> QueryResult<usize> {
    diesel::update(concerns::table.filter(concerns::child_id.eq(from)))
        .set(concerns::child_id.eq(to))
        .execute(conn)
}

/// A person's date of birth (estimated or not).
pub fn born(conn: &mut DbConnection, client_id: &str) -> QueryResult<Option<NaiveDate>> {
    crate::db::schema::clients::table
        .find(client_id)
        .select(crate::db::schema::clients::date_of_birth)
        .first(conn)
        .optional()
}
