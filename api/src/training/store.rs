//! Database access for i-TLS. Who may read or change what is decided by the service
//! before any of these run.

use chrono::{NaiveDate, NaiveDateTime};
use common::identity::Role;
use common::training::{CourseContent, CourseStatus, ReflectionStatus};
use diesel::prelude::*;

use crate::db::schema::{
    agencies, certificates, course_enrolments, course_files, course_progress, course_reflections,
    courses, quiz_attempts, user_roles, users,
};
use crate::db::{stored_code, unreadable, DbConnection};
use crate::hub::index::folded;
use crate::search::contains_pattern;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = courses)]
pub struct CourseRow {
    pub id: String,
    pub agency_id: String,
    pub trainer_id: String,
    pub title_zh: String,
    pub title_en: String,
    pub category: String,
    pub language: String,
    pub cpd_tenths: i64,
    pub status: String,
    pub content: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub version: i64,
    /// Both titles folded as search folds them (`hub::index::folded`).
    pub titles_folded: String,
}

impl CourseRow {
    pub fn status(&self) -> QueryResult<CourseStatus> {
        stored_code(CourseStatus::parse, "courses.status", &self.status)
    }

    pub fn content(&self) -> QueryResult<CourseContent> {
        serde_json::from_str(&self.content).map_err(|_| unreadable("courses.content", &self.id))
    }
}

fn content_json(content: &CourseContent) -> String {
    // A value of our own types always serialises.
    serde_json::to_string(content).unwrap_or_default()
}

pub fn new_course(
    id: String,
    (agency_id, trainer_id): (String, String),
    content: &CourseContent,
    at: NaiveDateTime,
) -> CourseRow {
    CourseRow {
        id,
        agency_id,
        trainer_id,
        title_zh: content.title_zh.clone(),
        title_en: content.title_en.clone(),
        category: content.category.as_str().to_owned(),
        language: content.language.as_str().to_owned(),
        cpd_tenths: content.cpd_tenths,
        status: CourseStatus::Draft.as_str().to_owned(),
        content: content_json(content),
        created_at: at,
        updated_at: at,
        published_at: None,
        version: 1,
        titles_folded: titles_folded(content),
    }
}

fn titles_folded(content: &CourseContent) -> String {
    folded(&format!("{} {}", content.title_zh, content.title_en))
}

pub fn insert_course(conn: &mut DbConnection, row: &CourseRow) -> QueryResult<()> {
    diesel::insert_into(courses::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn find_course(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CourseRow>> {
    courses::table
        .find(id)
        .select(CourseRow::as_select())
        .first(conn)
        .optional()
}

/// Whatever the trainer wrote and, for whoever reads courses, those published, whose
/// titles have every word (already folded); the latest first, a page at a time.
pub fn listed(
    conn: &mut DbConnection,
    (trainer_id, reads_published): (&str, bool),
    words: &[String],
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<CourseRow>, i64)> {
    let filtered = || {
        let mut query = courses::table.into_boxed();
        query = if reads_published {
            query.filter(
                courses::status
                    .eq(CourseStatus::Published.as_str())
                    .or(courses::trainer_id.eq(trainer_id.to_owned())),
            )
        } else {
            query.filter(courses::trainer_id.eq(trainer_id.to_owned()))
        };
        for word in words {
            query = query.filter(
                courses::titles_folded
                    .like(contains_pattern(word))
                    .escape('\\'),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((courses::created_at.desc(), courses::id.desc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(CourseRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Whether the course was still at `version`; only then is it changed.
pub fn set_content(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    content: &CourseContent,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        courses::table
            .filter(courses::id.eq(id))
            .filter(courses::version.eq(version)),
    )
    .set((
        courses::title_zh.eq(&content.title_zh),
        courses::title_en.eq(&content.title_en),
        courses::titles_folded.eq(titles_folded(content)),
        courses::category.eq(content.category.as_str()),
        courses::language.eq(content.language.as_str()),
        courses::cpd_tenths.eq(content.cpd_tenths),
        courses::content.eq(content_json(content)),
        courses::updated_at.eq(at),
        courses::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    status: CourseStatus,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let published = (status == CourseStatus::Published).then_some(at);
    let changed = diesel::update(
        courses::table
            .filter(courses::id.eq(id))
            .filter(courses::version.eq(version)),
    )
    .set((
        courses::status.eq(status.as_str()),
        courses::updated_at.eq(at),
        courses::version.eq(version + 1),
    ))
    .execute(conn)?;
    if changed == 1 && published.is_some() {
        diesel::update(courses::table.find(id))
            .set(courses::published_at.eq(published))
            .execute(conn)?;
    }
    Ok(changed == 1)
}

/// Moves the course to its next version with nothing else changed: a file kept on one
/// of its activities, at the version read.
pub fn bump_version(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        courses::table
            .filter(courses::id.eq(id))
            .filter(courses::version.eq(version)),
    )
    .set((courses::updated_at.eq(at), courses::version.eq(version + 1)))
    .execute(conn)
    .map(|n| n == 1)
}

/// The file of a file activity.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = course_files)]
pub struct CourseFileRow {
    pub course_id: String,
    pub activity_key: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
}

pub fn course_files(conn: &mut DbConnection, course_id: &str) -> QueryResult<Vec<CourseFileRow>> {
    course_files::table
        .filter(course_files::course_id.eq(course_id))
        .select(CourseFileRow::as_select())
        .load(conn)
}

pub fn course_file(
    conn: &mut DbConnection,
    (course_id, key): (&str, &str),
) -> QueryResult<Option<CourseFileRow>> {
    course_files::table
        .find((course_id, key))
        .select(CourseFileRow::as_select())
        .first(conn)
        .optional()
}

/// Keeps the activity's file in place of any before.
pub fn put_course_file(conn: &mut DbConnection, row: &CourseFileRow) -> QueryResult<()> {
    diesel::delete(course_files::table.find((&row.course_id, &row.activity_key))).execute(conn)?;
    diesel::insert_into(course_files::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = course_enrolments)]
pub struct EnrolmentRow {
    pub id: String,
    pub course_id: String,
    pub user_id: String,
    pub completed_at: Option<NaiveDateTime>,
}

pub fn enrolment(
    conn: &mut DbConnection,
    course_id: &str,
    user_id: &str,
) -> QueryResult<Option<EnrolmentRow>> {
    course_enrolments::table
        .filter(course_enrolments::course_id.eq(course_id))
        .filter(course_enrolments::user_id.eq(user_id))
        .order((
            course_enrolments::enrolled_at.desc(),
            course_enrolments::id.desc(),
        ))
        .select(EnrolmentRow::as_select())
        .first(conn)
        .optional()
}

/// The user's enrolments, the earliest first: (course, completed at).
pub fn enrolments_of(
    conn: &mut DbConnection,
    user_id: &str,
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    course_enrolments::table
        .filter(course_enrolments::user_id.eq(user_id))
        .order((course_enrolments::enrolled_at, course_enrolments::id))
        .select((
            course_enrolments::course_id,
            course_enrolments::completed_at,
        ))
        .load(conn)
}

pub fn enrol(
    conn: &mut DbConnection,
    (id, course_id, user_id): (&str, &str, &str),
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(course_enrolments::table)
        .values((
            course_enrolments::id.eq(id),
            course_enrolments::course_id.eq(course_id),
            course_enrolments::user_id.eq(user_id),
            course_enrolments::enrolled_by.eq(by),
            course_enrolments::enrolled_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn complete(conn: &mut DbConnection, enrolment_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(course_enrolments::table.find(enrolment_id))
        .set(course_enrolments::completed_at.eq(at))
        .execute(conn)
        .map(drop)
}

/// The keys of the activities done.
pub fn done(conn: &mut DbConnection, enrolment_id: &str) -> QueryResult<Vec<String>> {
    course_progress::table
        .filter(course_progress::enrolment_id.eq(enrolment_id))
        .select(course_progress::activity_key)
        .load(conn)
}

/// Whether the activity was newly marked done.
pub fn mark_done(
    conn: &mut DbConnection,
    enrolment_id: &str,
    key: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let there: bool = diesel::select(diesel::dsl::exists(
        course_progress::table.find((enrolment_id, key)),
    ))
    .get_result(conn)?;
    if there {
        return Ok(false);
    }
    diesel::insert_into(course_progress::table)
        .values((
            course_progress::enrolment_id.eq(enrolment_id),
            course_progress::activity_key.eq(key),
            course_progress::done_at.eq(at),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// An attempt at a quiz, as scored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = quiz_attempts)]
pub struct AttemptRow {
    pub activity_key: String,
    pub number: i64,
    pub points: i64,
    pub out_of: i64,
    pub passed: bool,
}

/// The enrolment's attempts at every quiz, in order.
pub fn attempts(conn: &mut DbConnection, enrolment_id: &str) -> QueryResult<Vec<AttemptRow>> {
    quiz_attempts::table
        .filter(quiz_attempts::enrolment_id.eq(enrolment_id))
        .order((quiz_attempts::activity_key, quiz_attempts::number))
        .select(AttemptRow::as_select())
        .load(conn)
}

pub struct NewAttempt<'a> {
    pub enrolment_id: &'a str,
    pub key: &'a str,
    pub number: i64,
    pub answers: String,
    pub score: common::training::Score,
}

pub fn insert_attempt(
    conn: &mut DbConnection,
    attempt: &NewAttempt,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(quiz_attempts::table)
        .values((
            quiz_attempts::enrolment_id.eq(attempt.enrolment_id),
            quiz_attempts::activity_key.eq(attempt.key),
            quiz_attempts::number.eq(attempt.number),
            quiz_attempts::answers.eq(&attempt.answers),
            quiz_attempts::points.eq(attempt.score.points),
            quiz_attempts::out_of.eq(attempt.score.out_of),
            quiz_attempts::passed.eq(attempt.score.passed),
            quiz_attempts::submitted_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn display_name(conn: &mut DbConnection, user_id: &str) -> QueryResult<String> {
    users::table
        .find(user_id)
        .select(users::display_name)
        .first(conn)
}

pub fn agency_names(conn: &mut DbConnection, agency_id: &str) -> QueryResult<(String, String)> {
    agencies::table
        .find(agency_id)
        .select((agencies::name_zh, agencies::name_en))
        .first(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub code: String,
    pub enrolment_id: String,
    pub course_id: String,
    pub user_id: String,
    pub learner_name: String,
    pub course_title_zh: String,
    pub course_title_en: String,
    pub cpd_tenths: i64,
    pub completed_on: NaiveDate,
    pub issuer_zh: String,
    pub issuer_en: String,
    pub issued_at: NaiveDateTime,
    pub expires_on: Option<NaiveDate>,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub revoked_reason: Option<String>,
}

pub fn insert_certificate(conn: &mut DbConnection, row: &CertificateRow) -> QueryResult<()> {
    diesel::insert_into(certificates::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn certificate(conn: &mut DbConnection, code: &str) -> QueryResult<Option<CertificateRow>> {
    certificates::table
        .find(code)
        .select(CertificateRow::as_select())
        .first(conn)
        .optional()
}

pub fn certificate_of(conn: &mut DbConnection, enrolment_id: &str) -> QueryResult<Option<String>> {
    certificates::table
        .filter(certificates::enrolment_id.eq(enrolment_id))
        .select(certificates::code)
        .first(conn)
        .optional()
}

/// The user's certificates, the latest first.
pub fn certificates_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<CertificateRow>> {
    certificates::table
        .filter(certificates::user_id.eq(user_id))
        .order(certificates::issued_at.desc())
        .select(CertificateRow::as_select())
        .load(conn)
}

diesel::alias!(certificates as later: LaterCertificates);

/// Whose certificates a list of those due for renewal covers.
pub enum Holders<'a> {
    /// The user's own.
    Own(&'a str),
    /// What `service::following` gives over every course: the learners of the courses the
    /// trainer teaches, and the staff of the agency when an agency admin's.
    Followed {
        trainer_id: &'a str,
        agency_id: Option<String>,
    },
}

/// A certificate due for renewal, its holder's username, and whether they are enrolled in
/// its course again.
pub type ExpiringRow = (CertificateRow, String, bool);

/// Certificates standing that expire by `until` and that no later certificate of the same
/// course and holder, standing, renews; those expiring first, a page at a time.
pub fn expiring(
    conn: &mut DbConnection,
    holders: &Holders,
    until: NaiveDate,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<ExpiringRow>, i64)> {
    let filtered = || {
        let mut query = certificates::table
            .inner_join(courses::table.on(courses::id.eq(certificates::course_id)))
            .inner_join(users::table.on(users::id.eq(certificates::user_id)))
            .filter(certificates::revoked_at.is_null())
            .filter(certificates::expires_on.le(until))
            .filter(diesel::dsl::not(diesel::dsl::exists(
                later
                    .filter(
                        later
                            .field(certificates::course_id)
                            .eq(certificates::course_id),
                    )
                    .filter(later.field(certificates::user_id).eq(certificates::user_id))
                    .filter(later.field(certificates::revoked_at).is_null())
                    .filter(
                        later
                            .field(certificates::issued_at)
                            .gt(certificates::issued_at),
                    ),
            )))
            .into_boxed();
        query = match holders {
            Holders::Own(user_id) => query.filter(certificates::user_id.eq(user_id.to_string())),
            Holders::Followed {
                trainer_id,
                agency_id: Some(agency_id),
            } => query.filter(
                courses::trainer_id
                    .eq(trainer_id.to_string())
                    .or(users::agency_id.eq(agency_id.clone())),
            ),
            Holders::Followed {
                trainer_id,
                agency_id: None,
            } => query.filter(courses::trainer_id.eq(trainer_id.to_string())),
        };
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((certificates::expires_on, certificates::code))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select((
            CertificateRow::as_select(),
            users::username,
            diesel::dsl::exists(
                course_enrolments::table
                    .filter(course_enrolments::course_id.eq(certificates::course_id))
                    .filter(course_enrolments::user_id.eq(certificates::user_id))
                    .filter(course_enrolments::completed_at.is_null()),
            ),
        ))
        .load(conn)?;
    Ok((rows, total))
}

pub fn revoke(
    conn: &mut DbConnection,
    code: &str,
    (by, reason): (&str, &str),
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        certificates::table
            .filter(certificates::code.eq(code))
            .filter(certificates::revoked_at.is_null()),
    )
    .set((
        certificates::revoked_at.eq(at),
        certificates::revoked_by.eq(by),
        certificates::revoked_reason.eq(reason),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// A member of staff a list names, with whether they take courses.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub agency_id: Option<String>,
    pub learner: bool,
}

/// The active users of these usernames.
pub fn staff_by_username(
    conn: &mut DbConnection,
    usernames: &[&str],
) -> QueryResult<Vec<StaffMember>> {
    let rows: Vec<(String, String, String, Option<String>)> = users::table
        .filter(users::username.eq_any(usernames))
        .filter(users::active.eq(true))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::agency_id,
        ))
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    let learners: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq_any(&ids))
        .filter(user_roles::role.eq(Role::Learner.as_str()))
        .select(user_roles::user_id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name, agency_id)| StaffMember {
            learner: learners.contains(&id),
            id,
            username,
            display_name,
            agency_id,
        })
        .collect())
}

/// The latest enrolment in the course of each of these users enrolled.
pub fn enrolled_among(
    conn: &mut DbConnection,
    course_id: &str,
    user_ids: &[&str],
) -> QueryResult<Vec<EnrolmentRow>> {
    let rows: Vec<EnrolmentRow> = course_enrolments::table
        .filter(course_enrolments::course_id.eq(course_id))
        .filter(course_enrolments::user_id.eq_any(user_ids))
        .order((
            course_enrolments::user_id,
            course_enrolments::enrolled_at.desc(),
            course_enrolments::id.desc(),
        ))
        .select(EnrolmentRow::as_select())
        .load(conn)?;
    Ok(latest_each(rows, |row| row.user_id.clone()))
}

/// The first row of each user, of rows ordered by user and then the latest first.
fn latest_each<T>(rows: Vec<T>, user: impl Fn(&T) -> String) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    rows.into_iter()
        .filter(|row| seen.insert(user(row)))
        .collect()
}

/// An enrolment as a completion report reads it.
#[derive(Debug, Clone, Queryable)]
pub struct EnrolmentReportRow {
    pub id: String,
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub agency_code: Option<String>,
    pub enrolled_by: String,
    pub enrolled_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
}

/// The course's enrolments, each learner's latest (one renewing a certificate is on the
/// report for the renewal), of one agency's staff when `agency_id` is given.
pub fn enrolments_in(
    conn: &mut DbConnection,
    course_id: &str,
    agency_id: Option<&str>,
) -> QueryResult<Vec<EnrolmentReportRow>> {
    let mut query = course_enrolments::table
        .inner_join(users::table.on(users::id.eq(course_enrolments::user_id)))
        .left_join(agencies::table.on(users::agency_id.eq(agencies::id.nullable())))
        .filter(course_enrolments::course_id.eq(course_id))
        .select((
            course_enrolments::id,
            course_enrolments::user_id,
            users::username,
            users::display_name,
            agencies::code.nullable(),
            course_enrolments::enrolled_by,
            course_enrolments::enrolled_at,
            course_enrolments::completed_at,
        ))
        .into_boxed();
    if let Some(agency_id) = agency_id {
        query = query.filter(users::agency_id.eq(agency_id));
    }
    let rows = query
        .order((
            users::display_name,
            users::id,
            course_enrolments::enrolled_at.desc(),
            course_enrolments::id.desc(),
        ))
        .load(conn)?;
    Ok(latest_each(rows, |row: &EnrolmentReportRow| {
        row.user_id.clone()
    }))
}

/// What the enrolments did: (enrolment, activity, when).
pub fn steps(
    conn: &mut DbConnection,
    enrolment_ids: &[&str],
) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    let mut steps = Vec::new();
    // Bounded batches: SQLite's and PostgreSQL's limits on bound parameters.
    for batch in enrolment_ids.chunks(5000) {
        steps.extend(
            course_progress::table
                .filter(course_progress::enrolment_id.eq_any(batch))
                .select((
                    course_progress::enrolment_id,
                    course_progress::activity_key,
                    course_progress::done_at,
                ))
                .load::<(String, String, NaiveDateTime)>(conn)?,
        );
    }
    Ok(steps)
}

/// The certificates of a course: (enrolment, code).
pub fn certificates_in(
    conn: &mut DbConnection,
    course_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    certificates::table
        .filter(certificates::course_id.eq(course_id))
        .select((certificates::enrolment_id, certificates::code))
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = course_reflections)]
pub struct ReflectionRow {
    pub enrolment_id: String,
    pub activity_key: String,
    pub text: String,
    pub status: String,
    pub submitted_at: NaiveDateTime,
    pub feedback: Option<String>,
    pub version: i64,
}

impl ReflectionRow {
    pub fn status(&self) -> QueryResult<ReflectionStatus> {
        stored_code(
            ReflectionStatus::parse,
            "course_reflections.status",
            &self.status,
        )
    }
}

/// The enrolment's reflections.
pub fn reflections(conn: &mut DbConnection, enrolment_id: &str) -> QueryResult<Vec<ReflectionRow>> {
    course_reflections::table
        .filter(course_reflections::enrolment_id.eq(enrolment_id))
        .select(ReflectionRow::as_select())
        .load(conn)
}

pub fn reflection(
    conn: &mut DbConnection,
    (enrolment_id, key): (&str, &str),
) -> QueryResult<Option<ReflectionRow>> {
    course_reflections::table
        .find((enrolment_id, key))
        .select(ReflectionRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_reflection(
    conn: &mut DbConnection,
    (enrolment_id, key): (&str, &str),
    (text, status): (&str, ReflectionStatus),
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(course_reflections::table)
        .values((
            course_reflections::enrolment_id.eq(enrolment_id),
            course_reflections::activity_key.eq(key),
            course_reflections::text.eq(text),
            course_reflections::status.eq(status.as_str()),
            course_reflections::submitted_at.eq(at),
            course_reflections::version.eq(1),
        ))
        .execute(conn)
        .map(drop)
}

/// A returned reflection written again; whether it was still returned at `version`.
pub fn rewrite_reflection(
    conn: &mut DbConnection,
    (enrolment_id, key, version): (&str, &str, i64),
    text: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        course_reflections::table
            .filter(course_reflections::enrolment_id.eq(enrolment_id))
            .filter(course_reflections::activity_key.eq(key))
            .filter(course_reflections::version.eq(version))
            .filter(course_reflections::status.eq(ReflectionStatus::Returned.as_str())),
    )
    .set((
        course_reflections::text.eq(text),
        course_reflections::status.eq(ReflectionStatus::Submitted.as_str()),
        course_reflections::submitted_at.eq(at),
        course_reflections::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The trainer's decision; whether the reflection was still waiting at `version`.
pub fn review_reflection(
    conn: &mut DbConnection,
    (enrolment_id, key, version): (&str, &str, i64),
    (status, by, feedback): (ReflectionStatus, &str, Option<&str>),
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        course_reflections::table
            .filter(course_reflections::enrolment_id.eq(enrolment_id))
            .filter(course_reflections::activity_key.eq(key))
            .filter(course_reflections::version.eq(version))
            .filter(course_reflections::status.eq(ReflectionStatus::Submitted.as_str())),
    )
    .set((
        course_reflections::status.eq(status.as_str()),
        course_reflections::reviewed_by.eq(by),
        course_reflections::reviewed_at.eq(at),
        course_reflections::feedback.eq(feedback),
        course_reflections::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The course's reflections waiting for sign-off, the oldest first, with their writers.
pub fn waiting_reflections(
    conn: &mut DbConnection,
    course_id: &str,
) -> QueryResult<Vec<(ReflectionRow, String, String)>> {
    course_reflections::table
        .inner_join(course_enrolments::table)
        .inner_join(users::table.on(users::id.eq(course_enrolments::user_id)))
        .filter(course_enrolments::course_id.eq(course_id))
        .filter(course_reflections::status.eq(ReflectionStatus::Submitted.as_str()))
        .order(course_reflections::submitted_at)
        .select((ReflectionRow::as_select(), users::id, users::display_name))
        .load(conn)
}

pub fn find_enrolment(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EnrolmentRow>> {
    course_enrolments::table
        .find(id)
        .select(EnrolmentRow::as_select())
        .first(conn)
        .optional()
}
