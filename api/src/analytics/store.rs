//! The analytics model's queries: each case's facts as the dashboards read them, and the
//! marks of the cases changed since the model last read them.

use chrono::{NaiveDate, NaiveDateTime};
use common::population::PopulationCell;
use diesel::prelude::*;

use common::activities::{ActivityKind, EnrolmentStatus};
use common::analytics::BANDED_SCALES;
use diesel::dsl::{count_star, max};

use crate::db::schema::{
    activities, activity_facilitators, activity_sessions, agencies, analytics_marks,
    assessment_scores, assessments, case_events, case_members, case_nature_tags,
    case_note_participants, case_notes, case_risks, cases, centres, clients, district_populations,
    enrolments, household_memberships, households, intervention_models, note_themes,
    population_loads, units, users,
};
use crate::db::DbConnection;

/// Most cases one query names: SQLite binds at most 32,766 values.
pub const CHUNK: usize = 2_000;

/// A case and its client, household and unit, as one row.
#[derive(Queryable)]
pub struct CaseRow {
    pub id: String,
    pub centre_id: String,
    pub unit_kind: String,
    pub worker_id: String,
    pub case_type: String,
    pub client_id: String,
    pub sex: String,
    pub born: NaiveDate,
    pub client_district: Option<String>,
    pub arrived_on: Option<NaiveDate>,
    pub ethnicity: Option<String>,
    pub language: Option<String>,
    pub disabilities: String,
    pub household_type: Option<String>,
    pub housing_type: Option<String>,
    pub cssa_status: Option<String>,
    pub income_band: Option<String>,
    pub household_district: Option<String>,
    pub household_id: Option<String>,
    pub flagged: Option<bool>,
}

/// The rows of these cases, or of every case.
pub fn case_rows(conn: &mut DbConnection, ids: Option<&[String]>) -> QueryResult<Vec<CaseRow>> {
    let query = cases::table
        .inner_join(clients::table.on(clients::id.eq(cases::client_id)))
        .inner_join(units::table.on(units::id.eq(cases::unit_id)))
        .left_join(
            household_memberships::table.on(household_memberships::client_id
                .eq(cases::client_id)
                .and(household_memberships::left_on.is_null())),
        )
        .left_join(households::table.on(households::id.eq(household_memberships::household_id)))
        .left_join(case_risks::table.on(case_risks::case_id.eq(cases::id)))
        .select((
            cases::id,
            cases::centre_id,
            units::kind,
            cases::responsible_worker_id,
            cases::case_type,
            cases::client_id,
            clients::sex,
            clients::date_of_birth,
            clients::district,
            clients::arrived_on,
            clients::ethnicity,
            clients::preferred_language,
            clients::disabilities,
            households::household_type.nullable(),
            households::housing_type.nullable(),
            households::cssa_status.nullable(),
            households::income_band.nullable(),
            households::district.nullable(),
            households::id.nullable(),
            case_risks::flagged.nullable(),
        ))
        .into_boxed();
    match ids {
        Some(ids) => query.filter(cases::id.eq_any(ids)).load(conn),
        None => query.load(conn),
    }
}

/// (case, nature code) of these cases, or of every case.
pub fn natures(
    conn: &mut DbConnection,
    ids: Option<&[String]>,
) -> QueryResult<Vec<(String, String)>> {
    let query = case_nature_tags::table
        .select((case_nature_tags::case_id, case_nature_tags::nature_code))
        .into_boxed();
    match ids {
        Some(ids) => query
            .filter(case_nature_tags::case_id.eq_any(ids))
            .load(conn),
        None => query.load(conn),
    }
}

/// A measure within a case on a scale whose bands are a risk factor.
#[derive(Queryable)]
pub struct BandedRow {
    pub case_id: Option<String>,
    pub client_id: String,
    pub instrument: String,
    pub administered_on: NaiveDate,
    pub severity: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The measures within these cases, or every case, on the scales whose bands are a risk
/// factor, in the order they were taken.
pub fn banded_measures(
    conn: &mut DbConnection,
    ids: Option<&[String]>,
) -> QueryResult<Vec<BandedRow>> {
    let mut found: Vec<BandedRow> = Vec::new();
    for banded in &BANDED_SCALES {
        let query = assessments::table
            .inner_join(assessment_scores::table)
            .filter(assessments::instrument.eq(banded.instrument))
            .filter(assessment_scores::scale.eq(banded.scale))
            .filter(assessments::case_id.is_not_null())
            .select((
                assessments::case_id,
                assessments::client_id,
                assessments::instrument,
                assessments::administered_on,
                assessment_scores::severity,
                assessments::created_at,
            ))
            .into_boxed();
        found.extend(match ids {
            Some(ids) => query.filter(assessments::case_id.eq_any(ids)).load(conn)?,
            None => query.load(conn)?,
        });
    }
    found.sort_by_key(|f| (f.administered_on, f.created_at));
    Ok(found)
}

/// (case, note, time of contact, theme) of the themed notes of these cases, or of every
/// case.
pub fn note_themes(
    conn: &mut DbConnection,
    ids: Option<&[String]>,
) -> QueryResult<Vec<(String, String, NaiveDateTime, String)>> {
    let query = note_themes::table
        .inner_join(case_notes::table)
        .select((
            case_notes::case_id,
            case_notes::id,
            case_notes::contact_at,
            note_themes::theme,
        ))
        .into_boxed();
    match ids {
        Some(ids) => query.filter(case_notes::case_id.eq_any(ids)).load(conn),
        None => query.load(conn),
    }
}

/// (household, the birth date of its youngest present member) of these households, or of
/// every household.
pub fn youngest_members(
    conn: &mut DbConnection,
    households: Option<&[&str]>,
) -> QueryResult<Vec<(String, Option<NaiveDate>)>> {
    let query = household_memberships::table
        .inner_join(clients::table.on(clients::id.eq(household_memberships::client_id)))
        .filter(household_memberships::left_on.is_null())
        .group_by(household_memberships::household_id)
        .select((
            household_memberships::household_id,
            diesel::dsl::max(clients::date_of_birth),
        ))
        .into_boxed();
    match households {
        Some(ids) => query
            .filter(household_memberships::household_id.eq_any(ids))
            .load(conn),
        None => query.load(conn),
    }
}

/// One step of a case's history as the dashboards read it.
#[derive(Queryable)]
pub struct StepRow {
    pub case_id: String,
    pub kind: String,
    pub state: String,
    pub effective_on: NaiveDate,
    pub superseded_on: Option<NaiveDate>,
}

/// The histories of these cases, or of every case, each in order.
pub fn steps(conn: &mut DbConnection, ids: Option<&[String]>) -> QueryResult<Vec<StepRow>> {
    let query = case_events::table
        .select((
            case_events::case_id,
            case_events::kind,
            case_events::state,
            case_events::effective_on,
            case_events::superseded_on,
        ))
        .order((case_events::case_id, case_events::seq))
        .into_boxed();
    match ids {
        Some(ids) => query.filter(case_events::case_id.eq_any(ids)).load(conn),
        None => query.load(conn),
    }
}

/// Up to `limit` cases changed since the model read them.
pub fn marked(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<String>> {
    case_risks::table
        // The bare column, not `= ?`: only it matches the partial index's predicate, and a
        // bound `true` would read every row.
        .filter(case_risks::facts_stale)
        .select(case_risks::case_id)
        .limit(limit)
        .load(conn)
}

/// Takes the marks of these cases, before reading them: a write committed after this
/// marks its case again, and one committed before is in what is read next.
pub fn unmark(conn: &mut DbConnection, ids: &[String]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(
        case_risks::table
            .filter(case_risks::case_id.eq_any(ids))
            .filter(case_risks::facts_stale),
    )
    .set(case_risks::facts_stale.eq(false))
    .execute(conn)
    .map(drop)
}

/// Takes every mark, before the whole model is read.
pub fn unmark_all(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(case_risks::table.filter(case_risks::facts_stale))
        .set(case_risks::facts_stale.eq(false))
        .execute(conn)?;
    diesel::delete(analytics_marks::table)
        .execute(conn)
        .map(drop)
}

/// What `analytics_marks` marks: a client's measures, or an activity's.
#[derive(Clone, Copy)]
pub enum Marked {
    Client,
    Activity,
}

impl Marked {
    fn subject(self) -> &'static str {
        match self {
            Marked::Client => "client",
            Marked::Activity => "activity",
        }
    }
}

/// Up to `limit` activities and clients changed since the model read them, in one query
/// as every dashboard asks: (activities, clients).
pub fn marks(conn: &mut DbConnection, limit: i64) -> QueryResult<(Vec<String>, Vec<String>)> {
    let rows: Vec<(String, String)> = analytics_marks::table
        .select((analytics_marks::subject, analytics_marks::id))
        .limit(limit)
        .load(conn)?;
    let (activities, clients): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|(subject, _)| subject == Marked::Activity.subject());
    let ids = |rows: Vec<(String, String)>| rows.into_iter().map(|(_, id)| id).collect();
    Ok((ids(activities), ids(clients)))
}

/// Takes these marks, before reading what they mark (as `unmark`).
pub fn unmark_of(conn: &mut DbConnection, what: Marked, ids: &[String]) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::delete(
        analytics_marks::table
            .filter(analytics_marks::subject.eq(what.subject()))
            .filter(analytics_marks::id.eq_any(ids)),
    )
    .execute(conn)
    .map(drop)
}

/// (id, agency, Chinese name, English name) of every centre.
pub fn centres(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String, String)>> {
    centres::table
        .select((
            centres::id,
            centres::agency_id,
            centres::name_zh,
            centres::name_en,
        ))
        .load(conn)
}

/// (id, Chinese name, English name) of every agency.
pub fn agencies(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String)>> {
    agencies::table
        .select((agencies::id, agencies::name_zh, agencies::name_en))
        .load(conn)
}

/// (id, name) of these staff.
pub fn staff_names(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<(String, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
}

/// (district, age band, sex, population) of the loaded figures.
pub fn population(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String, i64)>> {
    district_populations::table
        .select((
            district_populations::district,
            district_populations::age_band,
            district_populations::sex,
            district_populations::population,
        ))
        .load(conn)
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = population_loads)]
pub struct PopulationLoad {
    pub id: String,
    pub source: String,
    pub cells: i64,
    pub total: i64,
    pub loaded_by: String,
    pub loaded_at: NaiveDateTime,
}

/// The latest load, with the name of who made it.
pub fn latest_load(conn: &mut DbConnection) -> QueryResult<Option<(PopulationLoad, String)>> {
    population_loads::table
        .inner_join(users::table)
        .order(population_loads::id.desc())
        .select((
            (
                population_loads::id,
                population_loads::source,
                population_loads::cells,
                population_loads::total,
                population_loads::loaded_by,
                population_loads::loaded_at,
            ),
            users::display_name,
        ))
        .first(conn)
        .optional()
}

/// Replaces the loaded figures with these, and records the load.
pub fn replace_population(
    conn: &mut DbConnection,
    cells: &[PopulationCell],
    load: &PopulationLoad,
) -> QueryResult<()> {
    diesel::delete(district_populations::table).execute(conn)?;
    let rows: Vec<_> = cells
        .iter()
        .map(|c| {
            (
                district_populations::district.eq(c.district.code()),
                district_populations::age_band.eq(c.age_band.as_str()),
                district_populations::sex.eq(c.sex.as_str()),
                district_populations::population.eq(c.population),
            )
        })
        .collect();
    for chunk in rows.chunks(crate::db::rows_per_statement(4)) {
        crate::insert_rows!(conn, district_populations::table, chunk.to_vec())?;
    }
    diesel::insert_into(population_loads::table)
        .values(load)
        .execute(conn)
        .map(drop)
}

/// A note of the research corpus, as read before de-identification.
#[derive(Queryable)]
pub struct CorpusNote {
    pub id: String,
    pub case_id: String,
    pub contact_at: NaiveDateTime,
    pub narrative: String,
    pub case_type: String,
}

/// The notes of these centres' cases whose contact fell within the request's days (Hong
/// Kong time), in the order they were had.
pub fn corpus_notes(
    conn: &mut DbConnection,
    centres: &[String],
    request: &common::language::CorpusRequest,
) -> QueryResult<Vec<CorpusNote>> {
    let hong_kong = chrono::Duration::hours(8);
    let start = request.from.and_hms_opt(0, 0, 0).expect("midnight") - hong_kong;
    let end = request.until.and_hms_opt(0, 0, 0).expect("midnight") + chrono::Duration::days(1)
        - hong_kong;
    case_notes::table
        .inner_join(cases::table)
        .filter(cases::centre_id.eq_any(centres))
        .filter(case_notes::contact_at.ge(start))
        .filter(case_notes::contact_at.lt(end))
        .order((case_notes::contact_at, case_notes::id))
        .select((
            case_notes::id,
            case_notes::case_id,
            case_notes::contact_at,
            case_notes::narrative,
            cases::case_type,
        ))
        .load(conn)
}

/// (case, Chinese name, English name) of the clients and members of these cases.
pub fn case_people(
    conn: &mut DbConnection,
    case_ids: &[&str],
) -> QueryResult<Vec<(String, String, String)>> {
    let mut people: Vec<(String, String, String)> = cases::table
        .inner_join(clients::table.on(clients::id.eq(cases::client_id)))
        .filter(cases::id.eq_any(case_ids))
        .select((cases::id, clients::name_zh, clients::name_en))
        .load(conn)?;
    people.extend(
        case_members::table
            .inner_join(clients::table.on(clients::id.eq(case_members::client_id)))
            .filter(case_members::case_id.eq_any(case_ids))
            .select((case_members::case_id, clients::name_zh, clients::name_en))
            .load::<(String, String, String)>(conn)?,
    );
    Ok(people)
}

/// (note, Chinese name, English name) of the people these notes record as taking part.
pub fn participants(
    conn: &mut DbConnection,
    note_ids: &[&str],
) -> QueryResult<Vec<(String, String, String)>> {
    case_note_participants::table
        .inner_join(clients::table)
        .filter(case_note_participants::note_id.eq_any(note_ids))
        .select((
            case_note_participants::note_id,
            clients::name_zh,
            clients::name_en,
        ))
        .load(conn)
}

/// A pre- or post-service measure as the service-effectiveness board pairs it.
#[derive(Queryable)]
pub struct TakenRow {
    pub id: String,
    pub client_id: String,
    pub centre_id: String,
    pub case_id: Option<String>,
    pub activity_id: Option<String>,
    pub instrument: String,
    pub stage: String,
    pub administered_on: NaiveDate,
}

/// The pre- and post-service measures of these clients, or of everyone, each client's in
/// the order they were taken.
pub fn taken(conn: &mut DbConnection, clients: Option<&[String]>) -> QueryResult<Vec<TakenRow>> {
    let query = assessments::table
        .filter(assessments::stage.eq_any(["pre", "post"]))
        .order((
            assessments::client_id,
            assessments::administered_on,
            assessments::created_at,
            assessments::id,
        ))
        .select((
            assessments::id,
            assessments::client_id,
            assessments::centre_id,
            assessments::case_id,
            assessments::activity_id,
            assessments::instrument,
            assessments::stage,
            assessments::administered_on,
        ))
        .into_boxed();
    match clients {
        Some(ids) => query.filter(assessments::client_id.eq_any(ids)).load(conn),
        None => query.load(conn),
    }
}

/// One scale's score of a measure.
#[derive(Queryable)]
pub struct ScoreRow {
    pub assessment_id: String,
    pub scale: String,
    pub score_milli: Option<i64>,
    pub severity: Option<i64>,
}

/// The scores of the measures `taken` reads.
pub fn taken_scores(
    conn: &mut DbConnection,
    clients: Option<&[String]>,
) -> QueryResult<Vec<ScoreRow>> {
    let query = assessment_scores::table
        .inner_join(assessments::table)
        .filter(assessments::stage.eq_any(["pre", "post"]))
        .select((
            assessment_scores::assessment_id,
            assessment_scores::scale,
            assessment_scores::score_milli,
            assessment_scores::severity,
        ))
        .into_boxed();
    match clients {
        Some(ids) => query.filter(assessments::client_id.eq_any(ids)).load(conn),
        None => query.load(conn),
    }
}

/// A group as the service-effectiveness board reads it, with its sessions.
#[derive(Queryable)]
pub struct GroupRow {
    pub id: String,
    pub centre_id: String,
    pub unit_kind: String,
    pub intervention_model: Option<String>,
    pub completion_percent: i64,
}

/// Those of these activities that are groups (not programmes or events), or every group.
pub fn groups(conn: &mut DbConnection, ids: Option<&[String]>) -> QueryResult<Vec<GroupRow>> {
    let query = activities::table
        .inner_join(units::table)
        .filter(activities::kind.eq(ActivityKind::Group.as_str()))
        .select((
            activities::id,
            activities::centre_id,
            units::kind,
            activities::intervention_model,
            activities::completion_percent,
        ))
        .into_boxed();
    match ids {
        Some(ids) => query.filter(activities::id.eq_any(ids)).load(conn),
        None => query.load(conn),
    }
}

#[diesel::dsl::auto_type]
fn every_group() -> _ {
    let group: &'static str = ActivityKind::Group.as_str();
    activities::table
        .filter(activities::kind.eq(group))
        .select(activities::id)
}

/// (group, its last session's start, its sessions) of these activities, or of every group.
pub fn group_sessions(
    conn: &mut DbConnection,
    ids: Option<&[String]>,
) -> QueryResult<Vec<(String, Option<NaiveDateTime>, i64)>> {
    let query = activity_sessions::table
        .group_by(activity_sessions::activity_id)
        .select((
            activity_sessions::activity_id,
            max(activity_sessions::starts_at),
            count_star(),
        ))
        .into_boxed();
    match ids {
        Some(ids) => query
            .filter(activity_sessions::activity_id.eq_any(ids))
            .load(conn),
        None => query
            .filter(activity_sessions::activity_id.eq_any(every_group()))
            .load(conn),
    }
}

/// (group, member, sessions they came to) of the enrolled members of these activities, or
/// of every group.
pub fn group_members(
    conn: &mut DbConnection,
    ids: Option<&[String]>,
) -> QueryResult<Vec<(String, String, i64)>> {
    let query = enrolments::table
        .filter(enrolments::status.eq(EnrolmentStatus::Enrolled.as_str()))
        .select((
            enrolments::activity_id,
            enrolments::client_id,
            enrolments::sessions_attended,
        ))
        .into_boxed();
    match ids {
        Some(ids) => query.filter(enrolments::activity_id.eq_any(ids)).load(conn),
        None => query
            .filter(enrolments::activity_id.eq_any(every_group()))
            .load(conn),
    }
}

/// (group, member of staff) of the staff facilitating these activities, or every group.
pub fn group_facilitators(
    conn: &mut DbConnection,
    ids: Option<&[String]>,
) -> QueryResult<Vec<(String, String)>> {
    let query = activity_facilitators::table
        .filter(activity_facilitators::user_id.is_not_null())
        .select((
            activity_facilitators::activity_id,
            activity_facilitators::user_id.assume_not_null(),
        ))
        .into_boxed();
    match ids {
        Some(ids) => query
            .filter(activity_facilitators::activity_id.eq_any(ids))
            .load(conn),
        None => query
            .filter(activity_facilitators::activity_id.eq_any(every_group()))
            .load(conn),
    }
}

/// (code, Chinese name, English name) of every intervention model, in their order.
pub fn intervention_models(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String)>> {
    intervention_models::table
        .order(intervention_models::position)
        .select((
            intervention_models::code,
            intervention_models::name_zh,
            intervention_models::name_en,
        ))
        .load(conn)
}
