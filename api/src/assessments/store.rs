use chrono::{NaiveDate, NaiveDateTime};
use common::assessments::{AssessmentFilter, LinkState, Scoring};
use diesel::prelude::*;

use crate::db::schema::{
    assessment_alerts, assessment_links, assessment_scores, assessments, instrument_versions,
    instruments,
};
use crate::db::{DbConnection, MultiBackend};
use crate::identity::RecordScope;

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessments)]
pub struct AssessmentRow {
    pub id: String,
    pub client_id: String,
    pub centre_id: String,
    pub case_id: Option<String>,
    pub activity_id: Option<String>,
    pub instrument: String,
    pub instrument_version: i64,
    pub stage: String,
    pub administered_on: NaiveDate,
    pub administered_by: Option<String>,
    /// The answers as JSON, by item number.
    pub answers: String,
    pub created_at: NaiveDateTime,
}

/// Keeps an assessment with its scores and alerts as the scoring gave them.
pub fn insert(conn: &mut DbConnection, row: &AssessmentRow, scoring: &Scoring) -> QueryResult<()> {
    diesel::insert_into(assessments::table)
        .values(row)
        .execute(conn)?;
    crate::risk::store::touch_people(conn, &[&row.client_id])?;
    for scale in &scoring.scales {
        diesel::insert_into(assessment_scores::table)
            .values((
                assessment_scores::assessment_id.eq(&row.id),
                assessment_scores::scale.eq(&scale.code),
                assessment_scores::raw.eq(scale.raw),
                assessment_scores::score_milli.eq(scale.score.map(|s| (s * 1000.0).round() as i64)),
                assessment_scores::band.eq(scale.band.as_ref().map(|b| &b.code)),
                assessment_scores::severity.eq(scale.band.as_ref().map(|b| i64::from(b.severity))),
                assessment_scores::prorated.eq(scale.prorated),
            ))
            .execute(conn)?;
    }
    for alert in &scoring.alerts {
        diesel::insert_into(assessment_alerts::table)
            .values((
                assessment_alerts::assessment_id.eq(&row.id),
                assessment_alerts::alert.eq(&alert.code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AssessmentRow>> {
    assessments::table
        .find(id)
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()
}

/// Whose assessments a list is of.
pub enum Whose<'a> {
    Client(&'a str),
    Case(&'a str),
}

/// A client's or a case's assessments, the latest first.
pub fn list(conn: &mut DbConnection, whose: Whose) -> QueryResult<Vec<AssessmentRow>> {
    let query = assessments::table
        .order((
            assessments::administered_on.desc(),
            assessments::created_at.desc(),
        ))
        .select(AssessmentRow::as_select());
    match whose {
        Whose::Client(id) => query.filter(assessments::client_id.eq(id)).load(conn),
        Whose::Case(id) => query.filter(assessments::case_id.eq(id)).load(conn),
    }
}

/// What a list across cases and groups is of: assessments kept, or links sent.
#[derive(Clone, Copy)]
pub enum Kept {
    Assessments,
    Links,
}

/// The cases of a scope with something `kept` in them.
pub fn cases_within(
    conn: &mut DbConnection,
    scope: &RecordScope,
    kept: Kept,
) -> QueryResult<Vec<String>> {
    use crate::db::schema::cases;
    // The reach is a boxed query, which MultiConnection cannot nest as a subquery: the
    // cases are found through it first.
    let reach = crate::cases::store::within(scope);
    match kept {
        Kept::Assessments => reach.filter(
            cases::id.eq_any(assessments::table.select(assessments::case_id.assume_not_null())),
        ),
        Kept::Links => {
            reach.filter(cases::id.eq_any(
                assessment_links::table.select(assessment_links::case_id.assume_not_null()),
            ))
        }
    }
    .select(cases::id)
    .load(conn)
}

/// The groups of a scope's centres with something `kept` in them; whose rosters the user
/// reaches is the service's to say.
pub fn groups_within(
    conn: &mut DbConnection,
    scope: &RecordScope,
    kept: Kept,
) -> QueryResult<Vec<String>> {
    use crate::db::schema::activities;
    let groups = crate::activities::store::within(scope);
    match kept {
        Kept::Assessments => groups.filter(
            activities::id
                .eq_any(assessments::table.select(assessments::activity_id.assume_not_null())),
        ),
        Kept::Links => groups.filter(activities::id.eq_any(
            assessment_links::table.select(assessment_links::activity_id.assume_not_null()),
        )),
    }
    .select(activities::id)
    .load(conn)
}

/// A page of the assessments within these cases and groups, the latest first, and how
/// many there are in all.
pub fn page(
    conn: &mut DbConnection,
    (cases, groups): (&[String], &[String]),
    filter: &AssessmentFilter,
) -> QueryResult<(Vec<AssessmentRow>, i64)> {
    let filtered = || {
        let mut query = assessments::table.into_boxed::<MultiBackend>().filter(
            assessments::case_id
                .eq_any(cases)
                .or(assessments::activity_id.eq_any(groups)),
        );
        if let Some(code) = &filter.instrument {
            query = query.filter(assessments::instrument.eq(code));
        }
        if let Some(stage) = filter.stage {
            query = query.filter(assessments::stage.eq(stage.as_str()));
        }
        if let Some(from) = filter.from {
            query = query.filter(assessments::administered_on.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter(assessments::administered_on.le(to));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((
            assessments::administered_on.desc(),
            assessments::created_at.desc(),
            assessments::id.desc(),
        ))
        .limit(filter.per_page)
        .offset((filter.page - 1) * filter.per_page)
        .select(AssessmentRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// A merge moves the absorbed record's assessments to the survivor.
pub fn move_client(conn: &mut DbConnection, from: &str, to: &str) -> QueryResult<usize> {
    diesel::update(assessments::table.filter(assessments::client_id.eq(from)))
        .set(assessments::client_id.eq(to))
        .execute(conn)
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessment_links)]
pub struct LinkRow {
    pub id: String,
    pub token_hash: String,
    pub client_id: String,
    pub centre_id: String,
    pub case_id: Option<String>,
    pub activity_id: Option<String>,
    pub instrument: String,
    pub instrument_version: i64,
    pub stage: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub assessment_id: Option<String>,
}

pub fn insert_link(conn: &mut DbConnection, row: &LinkRow) -> QueryResult<()> {
    diesel::insert_into(assessment_links::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn link_by_hash(conn: &mut DbConnection, token_hash: &str) -> QueryResult<Option<LinkRow>> {
    assessment_links::table
        .filter(assessment_links::token_hash.eq(token_hash))
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
}

/// Marks the link used by this assessment if it is still open at `at`; false if another
/// submission took it first or it has expired meanwhile.
pub fn use_link(
    conn: &mut DbConnection,
    id: &str,
    assessment_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        assessment_links::table
            .filter(assessment_links::id.eq(id))
            .filter(assessment_links::used_at.is_null())
            .filter(assessment_links::expires_at.gt(at)),
    )
    .set((
        assessment_links::used_at.eq(at),
        assessment_links::assessment_id.eq(assessment_id),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// A page of the links sent within these cases and groups in `state`, the latest sent
/// first, and how many there are in all.
pub fn links_page(
    conn: &mut DbConnection,
    (cases, groups): (&[String], &[String]),
    state: LinkState,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<LinkRow>, i64)> {
    let filtered = || {
        let query = assessment_links::table.into_boxed::<MultiBackend>().filter(
            assessment_links::case_id
                .eq_any(cases)
                .or(assessment_links::activity_id.eq_any(groups)),
        );
        match state {
            LinkState::Pending => query.filter(assessment_links::used_at.is_null()),
            LinkState::Answered => query.filter(assessment_links::used_at.is_not_null()),
        }
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((
            assessment_links::created_at.desc(),
            assessment_links::id.desc(),
        ))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(LinkRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The centre's names, for the family to know who asks.
pub fn centre_names(conn: &mut DbConnection, centre_id: &str) -> QueryResult<(String, String)> {
    use crate::db::schema::centres;
    centres::table
        .find(centre_id)
        .select((centres::name_zh, centres::name_en))
        .first(conn)
}

/// A centre's alerts still open, the latest assessment first; the service narrows them
/// to what the user reaches.
pub fn open_alerts(
    conn: &mut DbConnection,
    centre_id: &str,
) -> QueryResult<Vec<(AssessmentRow, String)>> {
    assessment_alerts::table
        .inner_join(assessments::table)
        .filter(assessments::centre_id.eq(centre_id))
        .filter(assessment_alerts::acknowledged_at.is_null())
        .order((
            assessments::administered_on.desc(),
            assessments::created_at.desc(),
        ))
        .select((AssessmentRow::as_select(), assessment_alerts::alert))
        .load(conn)
}

/// Closes an open alert with what was done; false if there is no such open alert.
pub fn acknowledge(
    conn: &mut DbConnection,
    assessment_id: &str,
    alert: &str,
    by: &str,
    at: NaiveDateTime,
    note: &str,
) -> QueryResult<bool> {
    diesel::update(
        assessment_alerts::table
            .filter(assessment_alerts::assessment_id.eq(assessment_id))
            .filter(assessment_alerts::alert.eq(alert))
            .filter(assessment_alerts::acknowledged_at.is_null()),
    )
    .set((
        assessment_alerts::acknowledged_by.eq(by),
        assessment_alerts::acknowledged_at.eq(at),
        assessment_alerts::acknowledgement.eq(note),
    ))
    .execute(conn)
    .map(|rows| rows == 1)
}

/// The pre- and post-service measures on an instrument of a centre's clients up to a day,
/// in the order taken.
pub fn pre_and_post(
    conn: &mut DbConnection,
    centres: &[String],
    instrument: &str,
    until: Option<NaiveDate>,
) -> QueryResult<Vec<AssessmentRow>> {
    let query = assessments::table
        .filter(assessments::centre_id.eq_any(centres))
        .filter(assessments::instrument.eq(instrument))
        .filter(assessments::stage.eq_any(["pre", "post"]))
        .order((assessments::administered_on, assessments::created_at))
        .select(AssessmentRow::as_select())
        .into_boxed();
    match until {
        Some(day) => query
            .filter(assessments::administered_on.le(day))
            .load(conn),
        None => query.load(conn),
    }
}

/// One measure on a scale, as pairs of pre- and post-service measures are made of: where
/// it was taken, when, at which stage, and the scale's score (none where it had none).
#[derive(Queryable)]
pub struct MeasureRow {
    pub client_id: String,
    pub centre_id: String,
    pub case_id: Option<String>,
    pub activity_id: Option<String>,
    pub stage: String,
    pub administered_on: NaiveDate,
    pub score_milli: Option<i64>,
    pub severity: Option<i64>,
}

diesel::alias!(assessments as posts: Posts);

/// The pre- and post-service measures on an instrument taken in these centres up to the
/// period's last day, in the order they were taken, with one scale's scores: only those of
/// clients measured after service in the period, as no other measure makes a pair.
pub fn paired_measures(
    conn: &mut DbConnection,
    centres: &[String],
    instrument: &str,
    scale: &str,
    (from, until): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<MeasureRow>> {
    let measured = posts
        .filter(posts.field(assessments::instrument).eq(instrument))
        .filter(posts.field(assessments::stage).eq("post"))
        .filter(
            posts
                .field(assessments::administered_on)
                .between(from, until),
        )
        .filter(posts.field(assessments::centre_id).eq_any(centres))
        .select(posts.field(assessments::client_id));
    assessments::table
        .left_join(
            assessment_scores::table.on(assessment_scores::assessment_id
                .eq(assessments::id)
                .and(assessment_scores::scale.eq(scale))),
        )
        .filter(assessments::client_id.eq_any(measured))
        .filter(assessments::centre_id.eq_any(centres))
        .filter(assessments::instrument.eq(instrument))
        .filter(assessments::stage.eq_any(["pre", "post"]))
        .filter(assessments::administered_on.le(until))
        .order((
            assessments::administered_on,
            assessments::created_at,
            assessments::id,
        ))
        .select((
            assessments::client_id,
            assessments::centre_id,
            assessments::case_id,
            assessments::activity_id,
            assessments::stage,
            assessments::administered_on,
            assessment_scores::score_milli.nullable(),
            assessment_scores::severity.nullable(),
        ))
        .load(conn)
}

/// The instruments the centres' clients were measured on after service in the period.
pub fn measured_after_service(
    conn: &mut DbConnection,
    centres: &[String],
    (from, until): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<String>> {
    assessments::table
        .filter(assessments::stage.eq("post"))
        .filter(assessments::administered_on.between(from, until))
        .filter(assessments::centre_id.eq_any(centres))
        .select(assessments::instrument)
        .distinct()
        .order(assessments::instrument)
        .load(conn)
}

#[derive(Queryable)]
pub struct Scored {
    pub assessment_id: String,
    pub scale: String,
    pub score_milli: Option<i64>,
    pub severity: Option<i64>,
}

pub fn scores_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<Scored>> {
    assessment_scores::table
        .filter(assessment_scores::assessment_id.eq_any(ids))
        .select((
            assessment_scores::assessment_id,
            assessment_scores::scale,
            assessment_scores::score_milli,
            assessment_scores::severity,
        ))
        .load(conn)
}

/// A group with its titles and its intervention model's code and names.
pub struct GroupNamed {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub model: Option<(String, String, String)>,
}

pub fn groups_named(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<GroupNamed>> {
    use crate::db::schema::{activities, intervention_models};
    let rows: Vec<(String, String, String, Option<String>)> = activities::table
        .filter(activities::id.eq_any(ids))
        .select((
            activities::id,
            activities::title_zh,
            activities::title_en,
            activities::intervention_model,
        ))
        .load(conn)?;
    let models: Vec<(String, String, String)> = intervention_models::table
        .select((
            intervention_models::code,
            intervention_models::name_zh,
            intervention_models::name_en,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title_zh, title_en, model)| GroupNamed {
            model: model.and_then(|code| models.iter().find(|m| m.0 == code).cloned()),
            id,
            title_zh,
            title_en,
        })
        .collect())
}

/// An agency's instrument: whose it is and its latest version.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = instruments)]
pub struct InstrumentRow {
    pub code: String,
    pub agency_id: String,
    pub version: i64,
}

pub fn agency_instrument(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<InstrumentRow>> {
    instruments::table
        .find(code)
        .select(InstrumentRow::as_select())
        .first(conn)
        .optional()
}

/// The definition of one version of an agency's instrument, as uploaded.
pub fn instrument_definition(
    conn: &mut DbConnection,
    code: &str,
    version: i64,
) -> QueryResult<Option<String>> {
    instrument_versions::table
        .find((code, version))
        .select(instrument_versions::definition)
        .first(conn)
        .optional()
}

/// The latest definition of each of an agency's instruments (of every agency's, for
/// `None`), by code.
pub fn latest_definitions(
    conn: &mut DbConnection,
    agency_id: Option<&str>,
) -> QueryResult<Vec<String>> {
    let mut query = instruments::table
        .inner_join(
            instrument_versions::table.on(instrument_versions::code
                .eq(instruments::code)
                .and(instrument_versions::version.eq(instruments::version))),
        )
        .select(instrument_versions::definition)
        .order(instruments::code)
        .into_boxed();
    if let Some(agency_id) = agency_id {
        query = query.filter(instruments::agency_id.eq(agency_id));
    }
    query.load(conn)
}

/// Registers a new code for the agency with its first version.
pub fn insert_instrument(
    conn: &mut DbConnection,
    agency_id: &str,
    version: &NewInstrumentVersion,
) -> QueryResult<()> {
    diesel::insert_into(instruments::table)
        .values((
            instruments::code.eq(&version.code),
            instruments::agency_id.eq(agency_id),
            instruments::version.eq(version.version),
            instruments::updated_at.eq(version.added_at),
        ))
        .execute(conn)?;
    insert_version(conn, version)
}

/// Makes `version` the latest if `read` still is; false if another upload came first.
pub fn raise_instrument(
    conn: &mut DbConnection,
    read: i64,
    version: &NewInstrumentVersion,
) -> QueryResult<bool> {
    let raised = diesel::update(
        instruments::table
            .find(&version.code)
            .filter(instruments::version.eq(read)),
    )
    .set((
        instruments::version.eq(version.version),
        instruments::updated_at.eq(version.added_at),
    ))
    .execute(conn)?;
    if raised == 0 {
        return Ok(false);
    }
    insert_version(conn, version)?;
    Ok(true)
}

#[derive(Debug, Insertable)]
#[diesel(table_name = instrument_versions)]
pub struct NewInstrumentVersion {
    pub code: String,
    pub version: i64,
    pub definition: String,
    pub added_by: String,
    pub added_at: NaiveDateTime,
}

fn insert_version(conn: &mut DbConnection, version: &NewInstrumentVersion) -> QueryResult<()> {
    diesel::insert_into(instrument_versions::table)
        .values(version)
        .execute(conn)
        .map(|_| ())
}
