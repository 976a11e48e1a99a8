//! The risk indicator's queries: what it reads of a case, its stored readings and flags.

use chrono::{NaiveDate, NaiveDateTime};
use common::cases::CaseState;
use common::language::RiskCue;
use diesel::prelude::*;

use crate::db::schema::{
    activities, activity_sessions, assessment_alerts, assessment_scores, assessments, attendance,
    case_events, case_members, case_nature_tags, case_natures, case_notes, case_risks, cases,
    clients, enrolments, household_memberships, households, note_themes, risk_flags,
};
use crate::db::DbConnection;

/// Marks cases for the indicator and the analytics model to read again: called by every
/// write that changes what they read, in that write's transaction. A case marked already
/// is written again all the same: the write then holds its row until it commits, so a
/// reader taking the mark meanwhile (`claim`, `analytics::store::unmark`) waits for the
/// write instead of reading the case without it.
pub fn touch_cases(conn: &mut DbConnection, case_ids: &[&str]) -> QueryResult<()> {
    diesel::update(case_risks::table.filter(case_risks::case_id.eq_any(case_ids)))
        .set(marked())
        .execute(conn)
        .map(drop)
}

#[diesel::dsl::auto_type]
fn marked() -> _ {
    (case_risks::stale.eq(true), case_risks::facts_stale.eq(true))
}

/// Marks the cases these people are on, as client or member (as `touch_cases` does).
pub fn touch_people(conn: &mut DbConnection, client_ids: &[&str]) -> QueryResult<()> {
    diesel::update(
        case_risks::table.filter(
            case_risks::case_id
                .eq_any(
                    cases::table
                        .filter(cases::client_id.eq_any(client_ids))
                        .select(cases::id),
                )
                .or(case_risks::case_id.eq_any(
                    case_members::table
                        .filter(case_members::client_id.eq_any(client_ids))
                        .select(case_members::case_id),
                )),
        ),
    )
    .set(marked())
    .execute(conn)
    .map(drop)
}

/// Marks the cases of the people of these enrolments.
pub fn touch_enrolled(
    conn: &mut DbConnection,
    enrolment_ids: &[impl AsRef<str>],
) -> QueryResult<()> {
    let ids: Vec<&str> = enrolment_ids.iter().map(AsRef::as_ref).collect();
    let people: Vec<String> = enrolments::table
        .filter(enrolments::id.eq_any(&ids))
        .select(enrolments::client_id)
        .load(conn)?;
    touch_people(conn, &people.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Marks the cases of everyone now in the person's household, and the person's own:
/// a household's strains and children count for each member's cases.
pub fn touch_household_of(conn: &mut DbConnection, client_id: &str) -> QueryResult<()> {
    let households: Vec<String> = household_memberships::table
        .filter(household_memberships::client_id.eq(client_id))
        .filter(household_memberships::left_on.is_null())
        .select(household_memberships::household_id)
        .load(conn)?;
    let mut people: Vec<String> = household_memberships::table
        .filter(household_memberships::household_id.eq_any(&households))
        .filter(household_memberships::left_on.is_null())
        .select(household_memberships::client_id)
        .load(conn)?;
    people.push(client_id.to_owned());
    touch_people(conn, &people.iter().map(String::as_str).collect::<Vec<_>>())
}

/// Marks the cases of everyone now in the household.
pub fn touch_household(conn: &mut DbConnection, household_id: &str) -> QueryResult<()> {
    let people: Vec<String> = household_memberships::table
        .filter(household_memberships::household_id.eq(household_id))
        .filter(household_memberships::left_on.is_null())
        .select(household_memberships::client_id)
        .load(conn)?;
    touch_people(conn, &people.iter().map(String::as_str).collect::<Vec<_>>())
}

/// A new case, to be read.
pub fn insert_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<()> {
    diesel::insert_into(case_risks::table)
        .values((
            case_risks::case_id.eq(case_id),
            case_risks::score.eq(0i64),
            case_risks::flagged.eq(false),
            case_risks::factors.eq(""),
            case_risks::open.eq(true),
            case_risks::stale.eq(true),
            case_risks::facts_stale.eq(true),
        ))
        .execute(conn)
        .map(drop)
}

/// Cases written without a reading row (by a version before the indicator), to be read.
pub fn adopt_unread(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "INSERT INTO case_risks (case_id, score, flagged, factors, open, computed_at, stale) \
         SELECT id, 0, FALSE, '', state <> 'closed', NULL, TRUE FROM cases \
         WHERE NOT EXISTS (SELECT 1 FROM case_risks r WHERE r.case_id = cases.id)",
    )
    .execute(conn)
}

/// Open cases last read before `day_start`, marked to be read again: days without contact
/// and ages grow with time alone.
pub fn mark_day_old(conn: &mut DbConnection, day_start: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        case_risks::table
            .filter(case_risks::open.eq(true))
            .filter(
                case_risks::computed_at
                    .lt(day_start)
                    .or(case_risks::computed_at.is_null()),
            )
            .filter(case_risks::stale.eq(false)),
    )
    .set(case_risks::stale.eq(true))
    .execute(conn)
}

/// Up to `limit` stale cases, of `among` when given.
pub fn stale(
    conn: &mut DbConnection,
    among: Option<&[String]>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    // The bare column matches the partial index's predicate; a bound `true` would not.
    let query = case_risks::table
        .filter(case_risks::stale)
        .select(case_risks::case_id)
        .limit(limit)
        .into_boxed();
    match among {
        Some(ids) => query.filter(case_risks::case_id.eq_any(ids)).load(conn),
        None => query.load(conn),
    }
}

/// (case, score, flagged, factors) of the cases read and not marked since.
pub fn read_and_current(conn: &mut DbConnection) -> QueryResult<Vec<(String, i64, bool, String)>> {
    case_risks::table
        .filter(case_risks::stale.eq(false))
        .filter(case_risks::computed_at.is_not_null())
        .select((
            case_risks::case_id,
            case_risks::score,
            case_risks::flagged,
            case_risks::factors,
        ))
        .load(conn)
}

/// Takes a stale case to read; false when another reader took it first. A write that
/// marked it and is still open holds its row: this waits for it to commit, so the case is
/// read with it.
pub fn claim(conn: &mut DbConnection, case_id: &str) -> QueryResult<bool> {
    diesel::update(
        case_risks::table
            .filter(case_risks::case_id.eq(case_id))
            .filter(case_risks::stale.eq(true)),
    )
    .set(case_risks::stale.eq(false))
    .execute(conn)
    .map(|rows| rows == 1)
}

pub struct Reading<'a> {
    pub score: i64,
    pub flagged: bool,
    pub factors: &'a str,
    pub open: bool,
    pub at: NaiveDateTime,
}

pub fn save_reading(conn: &mut DbConnection, case_id: &str, reading: &Reading) -> QueryResult<()> {
    diesel::update(case_risks::table.find(case_id))
        .set((
            case_risks::score.eq(reading.score),
            case_risks::flagged.eq(reading.flagged),
            case_risks::factors.eq(reading.factors),
            case_risks::open.eq(reading.open),
            case_risks::computed_at.eq(reading.at),
            // The model counts flagged cases: a flag raised or cleared is its change too.
            case_risks::facts_stale
                .eq(case_risks::facts_stale.or(case_risks::flagged.ne(reading.flagged))),
        ))
        .execute(conn)
        .map(drop)
}

/// What the indicator reads of a case itself.
#[derive(Queryable)]
pub struct CaseFacts {
    pub id: String,
    pub client_id: String,
    pub state: String,
    pub state_since: NaiveDate,
}

pub fn cases_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<CaseFacts>> {
    cases::table
        .filter(cases::id.eq_any(ids))
        .select((
            cases::id,
            cases::client_id,
            cases::state,
            cases::state_since,
        ))
        .load(conn)
}

/// (case, nature code, name in Chinese, in English).
pub fn natures(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String, String, String)>> {
    case_nature_tags::table
        .inner_join(case_natures::table)
        .filter(case_nature_tags::case_id.eq_any(ids))
        .order(case_natures::position)
        .select((
            case_nature_tags::case_id,
            case_nature_tags::nature_code,
            case_natures::name_zh,
            case_natures::name_en,
        ))
        .load(conn)
}

/// (case, member) for the members involved in the cases.
pub fn members(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    case_members::table
        .filter(case_members::case_id.eq_any(ids))
        .select((case_members::case_id, case_members::client_id))
        .load(conn)
}

/// (id, name in Chinese, in English, date of birth) of people.
pub fn people(
    conn: &mut DbConnection,
    ids: &[&str],
) -> QueryResult<Vec<(String, String, String, NaiveDate)>> {
    clients::table
        .filter(clients::id.eq_any(ids))
        .select((
            clients::id,
            clients::name_zh,
            clients::name_en,
            clients::date_of_birth,
        ))
        .load(conn)
}

/// An assessment as the indicator reads it.
#[derive(Queryable)]
pub struct Assessed {
    pub id: String,
    pub client_id: String,
    pub instrument: String,
    pub instrument_version: i64,
    pub administered_on: NaiveDate,
}

/// The people's assessments, the latest first for each.
pub fn assessments_of(conn: &mut DbConnection, people: &[&str]) -> QueryResult<Vec<Assessed>> {
    assessments::table
        .filter(assessments::client_id.eq_any(people))
        .order((
            assessments::administered_on.desc(),
            assessments::created_at.desc(),
        ))
        .select((
            assessments::id,
            assessments::client_id,
            assessments::instrument,
            assessments::instrument_version,
            assessments::administered_on,
        ))
        .load(conn)
}

#[derive(Queryable)]
pub struct Banded {
    pub assessment_id: String,
    pub scale: String,
    pub band: Option<String>,
    pub severity: Option<i64>,
}

/// The assessments' banded scores.
pub fn bands(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<Banded>> {
    assessment_scores::table
        .filter(assessment_scores::assessment_id.eq_any(ids))
        .filter(assessment_scores::severity.is_not_null())
        .select((
            assessment_scores::assessment_id,
            assessment_scores::scale,
            assessment_scores::band,
            assessment_scores::severity,
        ))
        .load(conn)
}

/// (assessment, alert) of the assessments, acknowledged or not: an acknowledgement says
/// what was done, not that the result is past.
pub fn alerts(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<(String, String)>> {
    assessment_alerts::table
        .filter(assessment_alerts::assessment_id.eq_any(ids))
        .select((assessment_alerts::assessment_id, assessment_alerts::alert))
        .load(conn)
}

#[derive(Queryable)]
pub struct GroupMark {
    pub client_id: String,
    pub group_id: String,
    pub title_zh: String,
    pub title_en: String,
    pub status: String,
}

/// The marks of the people still enrolled in groups, for sessions from `since` until
/// before `until`, in time order.
pub fn group_marks(
    conn: &mut DbConnection,
    people: &[&str],
    since: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<GroupMark>> {
    attendance::table
        .inner_join(activity_sessions::table.inner_join(activities::table))
        .inner_join(enrolments::table)
        .filter(attendance::client_id.eq_any(people))
        .filter(enrolments::status.eq("enrolled"))
        .filter(activities::kind.eq("group"))
        .filter(activity_sessions::starts_at.ge(since))
        .filter(activity_sessions::starts_at.lt(until))
        .order(activity_sessions::starts_at)
        .select((
            attendance::client_id,
            activities::id,
            activities::title_zh,
            activities::title_en,
            attendance::status,
        ))
        .load(conn)
}

/// (case, latest contact) of the cases with a contact note.
pub fn last_contacts(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, Option<NaiveDateTime>)>> {
    case_notes::table
        .filter(case_notes::case_id.eq_any(ids))
        .group_by(case_notes::case_id)
        .select((
            case_notes::case_id,
            diesel::dsl::max(case_notes::contact_at),
        ))
        .load(conn)
}

/// (case, reactivations).
pub fn reactivations(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, i64)>> {
    case_events::table
        .filter(case_events::case_id.eq_any(ids))
        .filter(case_events::kind.eq("reactivated"))
        .group_by(case_events::case_id)
        .select((case_events::case_id, diesel::dsl::count_star()))
        .load(conn)
}

/// The present household of each person: (person, household, CSSA status, housing).
pub fn households_of(
    conn: &mut DbConnection,
    people: &[&str],
) -> QueryResult<Vec<(String, String, String, String)>> {
    household_memberships::table
        .inner_join(households::table)
        .filter(household_memberships::client_id.eq_any(people))
        .filter(household_memberships::left_on.is_null())
        .select((
            household_memberships::client_id,
            households::id,
            households::cssa_status,
            households::housing_type,
        ))
        .load(conn)
}

/// (household, date of birth) of the households' present members.
pub fn household_births(
    conn: &mut DbConnection,
    households: &[&str],
) -> QueryResult<Vec<(String, NaiveDate)>> {
    household_memberships::table
        .inner_join(clients::table)
        .filter(household_memberships::household_id.eq_any(households))
        .filter(household_memberships::left_on.is_null())
        .select((household_memberships::household_id, clients::date_of_birth))
        .load(conn)
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = risk_flags)]
pub struct FlagRow {
    pub id: String,
    pub case_id: String,
    pub raised_at: NaiveDateTime,
    pub score: i64,
    pub threshold: i64,
    pub factors: String,
    pub status: String,
    pub dismissal_reason: Option<String>,
    pub review_note: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub cleared_at: Option<NaiveDateTime>,
    pub version: i64,
}

pub fn insert_flag(conn: &mut DbConnection, row: &FlagRow) -> QueryResult<()> {
    diesel::insert_into(risk_flags::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// The case's flag still standing, if any.
pub fn standing(conn: &mut DbConnection, case_id: &str) -> QueryResult<Option<FlagRow>> {
    risk_flags::table
        .filter(risk_flags::case_id.eq(case_id))
        .filter(risk_flags::cleared_at.is_null())
        .select(FlagRow::as_select())
        .first(conn)
        .optional()
}

pub fn clear(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(risk_flags::table.find(id))
        .set((
            risk_flags::cleared_at.eq(at),
            risk_flags::version.eq(risk_flags::version + 1),
        ))
        .execute(conn)
        .map(drop)
}

pub fn find_flag(conn: &mut DbConnection, id: &str) -> QueryResult<Option<FlagRow>> {
    risk_flags::table
        .find(id)
        .select(FlagRow::as_select())
        .first(conn)
        .optional()
}

/// A case's flags, the latest first.
pub fn flags_of(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<FlagRow>> {
    risk_flags::table
        .filter(risk_flags::case_id.eq(case_id))
        .order(risk_flags::raised_at.desc())
        .select(FlagRow::as_select())
        .load(conn)
}

/// The standing flags in `status` of the cases a scope reaches, the oldest first.
pub fn standing_within(
    conn: &mut DbConnection,
    scope: &crate::identity::RecordScope,
    status: &str,
) -> QueryResult<Vec<FlagRow>> {
    let standing = || {
        risk_flags::table
            .filter(risk_flags::cleared_at.is_null())
            .filter(risk_flags::status.eq(status.to_owned()))
    };
    // The reach is a boxed query, which MultiConnection cannot nest as a subquery: the
    // cases are found through it first.
    let case_ids: Vec<String> = crate::cases::store::within(scope)
        .filter(cases::id.eq_any(standing().select(risk_flags::case_id)))
        .select(cases::id)
        .load(conn)?;
    standing()
        .filter(risk_flags::case_id.eq_any(case_ids))
        .order(risk_flags::raised_at)
        .limit(100)
        .select(FlagRow::as_select())
        .load(conn)
}

/// The stale cases a scope reaches.
pub fn stale_within(
    conn: &mut DbConnection,
    scope: &crate::identity::RecordScope,
) -> QueryResult<Vec<String>> {
    crate::cases::store::within(scope)
        .filter(
            cases::id.eq_any(
                case_risks::table
                    .filter(case_risks::stale)
                    .select(case_risks::case_id),
            ),
        )
        .select(cases::id)
        .load(conn)
}

pub struct Reviewed<'a> {
    pub status: &'a str,
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
    pub by: &'a str,
    pub at: NaiveDateTime,
}

/// Records the review of a new flag at the version read; false when it was reviewed or
/// changed meanwhile.
pub fn review_if_version(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    review: &Reviewed,
) -> QueryResult<bool> {
    diesel::update(
        risk_flags::table
            .find(id)
            .filter(risk_flags::version.eq(version))
            .filter(risk_flags::status.eq("new")),
    )
    .set((
        risk_flags::status.eq(review.status),
        risk_flags::dismissal_reason.eq(review.reason),
        risk_flags::review_note.eq(review.note),
        risk_flags::reviewed_by.eq(review.by),
        risk_flags::reviewed_at.eq(review.at),
        risk_flags::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// A risk cue in a note.
#[derive(Debug, Queryable)]
pub struct CueNote {
    pub case_id: String,
    pub note_id: String,
    pub contact_at: NaiveDateTime,
    /// `cue:` and the cue's code.
    pub theme: String,
    /// The words that raised it, as JSON.
    pub words: String,
}

/// The risk cues in the notes of the scope's cases that are not closed, the latest
/// contact first.
pub fn cue_notes_within(
    conn: &mut DbConnection,
    scope: &crate::identity::RecordScope,
) -> QueryResult<Vec<CueNote>> {
    let cues = || {
        note_themes::table
            .inner_join(case_notes::table)
            .filter(note_themes::theme.like(format!("{}%", RiskCue::THEME_PREFIX)))
    };
    // As in standing_within: the reach cannot be nested, so its cases are found first.
    let case_ids: Vec<String> = crate::cases::store::within(scope)
        .filter(cases::state.ne(CaseState::Closed.as_str()))
        .filter(cases::id.eq_any(cues().select(case_notes::case_id)))
        .select(cases::id)
        .load(conn)?;
    cues()
        .filter(case_notes::case_id.eq_any(case_ids))
        .order((case_notes::contact_at.desc(), case_notes::id.desc()))
        .select((
            case_notes::case_id,
            case_notes::id,
            case_notes::contact_at,
            note_themes::theme,
            note_themes::words,
        ))
        .load(conn)
}
