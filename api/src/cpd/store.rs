//! Database access for CPD records. Whose record is read or changed is decided by the
//! service before any of these run.

use chrono::{NaiveDate, NaiveDateTime};
use common::cpd::{ExternalLearning, LearningKind};
use common::identity::Role;
use diesel::prelude::*;

use crate::db::schema::{certificates, external_learning, user_roles, users};
use crate::db::{stored_code, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = external_learning)]
pub struct LearningRow {
    pub id: String,
    pub user_id: String,
    pub title: String,
    pub provider: String,
    pub kind: String,
    pub completed_on: NaiveDate,
    pub cpd_tenths: i64,
    pub reflection: String,
    pub evidence_key: Option<String>,
    pub evidence_name: Option<String>,
    pub evidence_type: Option<String>,
    pub evidence_bytes: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

impl LearningRow {
    pub fn kind(&self) -> QueryResult<LearningKind> {
        stored_code(LearningKind::parse, "external_learning.kind", &self.kind)
    }
}

pub fn insert(
    conn: &mut DbConnection,
    (id, user_id): (&str, &str),
    learning: &ExternalLearning,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(external_learning::table)
        .values((
            external_learning::id.eq(id),
            external_learning::user_id.eq(user_id),
            external_learning::title.eq(&learning.title),
            external_learning::provider.eq(&learning.provider),
            external_learning::kind.eq(learning.kind.as_str()),
            external_learning::completed_on.eq(learning.completed_on),
            external_learning::cpd_tenths.eq(learning.cpd_tenths),
            external_learning::reflection.eq(&learning.reflection),
            external_learning::created_at.eq(at),
            external_learning::updated_at.eq(at),
            external_learning::version.eq(1),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<LearningRow>> {
    external_learning::table
        .find(id)
        .select(LearningRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the record was still at `version`; only then is it changed.
pub fn update(
    conn: &mut DbConnection,
    (id, version): (&str, i64),
    learning: &ExternalLearning,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        external_learning::table
            .filter(external_learning::id.eq(id))
            .filter(external_learning::version.eq(version)),
    )
    .set((
        external_learning::title.eq(&learning.title),
        external_learning::provider.eq(&learning.provider),
        external_learning::kind.eq(learning.kind.as_str()),
        external_learning::completed_on.eq(learning.completed_on),
        external_learning::cpd_tenths.eq(learning.cpd_tenths),
        external_learning::reflection.eq(&learning.reflection),
        external_learning::updated_at.eq(at),
        external_learning::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The evidence's key, name, media type and size.
pub type EvidenceFile<'a> = (&'a str, &'a str, &'a str, i64);

pub fn set_evidence(
    conn: &mut DbConnection,
    (id, version): (&str, i64),
    (key, name, media_type, bytes): EvidenceFile,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        external_learning::table
            .filter(external_learning::id.eq(id))
            .filter(external_learning::version.eq(version)),
    )
    .set((
        external_learning::evidence_key.eq(key),
        external_learning::evidence_name.eq(name),
        external_learning::evidence_type.eq(media_type),
        external_learning::evidence_bytes.eq(bytes),
        external_learning::updated_at.eq(at),
        external_learning::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn delete(conn: &mut DbConnection, (id, version): (&str, i64)) -> QueryResult<bool> {
    diesel::delete(
        external_learning::table
            .filter(external_learning::id.eq(id))
            .filter(external_learning::version.eq(version)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

/// These users' learning elsewhere, the latest first.
pub fn learning_of(conn: &mut DbConnection, user_ids: &[&str]) -> QueryResult<Vec<LearningRow>> {
    external_learning::table
        .filter(external_learning::user_id.eq_any(user_ids))
        .order((
            external_learning::completed_on.desc(),
            external_learning::created_at.desc(),
        ))
        .select(LearningRow::as_select())
        .load(conn)
}

/// A course completed here, as its certificate tells it.
#[derive(Debug, Clone, Queryable)]
pub struct CompletedCourse {
    pub user_id: String,
    pub code: String,
    pub course_title_zh: String,
    pub course_title_en: String,
    pub issuer_zh: String,
    pub issuer_en: String,
    pub completed_on: NaiveDate,
    pub cpd_tenths: i64,
}

/// These users' certificates that stand (a revoked one counts for nothing).
pub fn completed_courses(
    conn: &mut DbConnection,
    user_ids: &[&str],
) -> QueryResult<Vec<CompletedCourse>> {
    certificates::table
        .filter(certificates::user_id.eq_any(user_ids))
        .filter(certificates::revoked_at.is_null())
        .select((
            certificates::user_id,
            certificates::code,
            certificates::course_title_zh,
            certificates::course_title_en,
            certificates::issuer_zh,
            certificates::issuer_en,
            certificates::completed_on,
            certificates::cpd_tenths,
        ))
        .load(conn)
}

/// A member of staff who keeps a CPD record.
#[derive(Debug, Clone, Queryable)]
pub struct StaffRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
}

/// The agency's active staff who take courses (and so keep a CPD record), by name; only
/// the one of `user_id` when given.
pub fn staff(
    conn: &mut DbConnection,
    agency_id: &str,
    user_id: Option<&str>,
) -> QueryResult<Vec<StaffRow>> {
    let mut query = users::table
        .filter(users::agency_id.eq(agency_id))
        .filter(users::active.eq(true))
        .filter(diesel::dsl::exists(
            user_roles::table
                .filter(user_roles::user_id.eq(users::id))
                .filter(user_roles::role.eq(Role::Learner.as_str())),
        ))
        .select((users::id, users::username, users::display_name))
        .order((users::display_name, users::id))
        .into_boxed();
    if let Some(user_id) = user_id {
        query = query.filter(users::id.eq(user_id));
    }
    query.load(conn)
}
