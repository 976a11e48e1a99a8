//! Database access for programmes, groups and events, their sessions, enrolments and
//! attendance. Every read of an activity starts from those a [`RecordScope`] reaches
//! ([`within`]).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use common::activities::{
    ActivityDetails, ActivityFilter, AttendanceStatus, BandCount, EnrolmentStatus,
    FacilitatorDetails, Headcount, HeadcountBand,
};
use diesel::dsl::count_star;
use diesel::prelude::*;

use crate::db::schema::{
    activities, activity_education_themes, activity_facilitators, activity_sessions,
    activity_themes, attendance, calendar_stamps, clients, enrolments, event_headcounts,
    session_headcounts, units, users,
};
use crate::db::{DbConnection, MultiBackend};
use crate::identity::{Centres, RecordScope};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: String,
    pub centre_id: String,
    pub unit_id: String,
    pub kind: String,
    pub format: String,
    pub title_zh: String,
    pub title_en: String,
    pub target_group: String,
    pub mode: String,
    pub capacity: Option<i64>,
    pub venue: Option<String>,
    pub meeting_link: Option<String>,
    pub planned_start: chrono::NaiveDate,
    pub planned_end: chrono::NaiveDate,
    pub actual_start: Option<chrono::NaiveDate>,
    pub actual_end: Option<chrono::NaiveDate>,
    pub intervention_model: Option<String>,
    pub completion_percent: i64,
    pub online_views: Option<i64>,
    pub online_participants: Option<i64>,
    pub media_items: Option<i64>,
    pub counting_note: Option<String>,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = activity_sessions)]
pub struct SessionRow {
    pub id: String,
    pub activity_id: String,
    pub centre_id: String,
    pub number: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub venue: Option<String>,
    pub venue_key: Option<String>,
    pub online: bool,
    pub headcount_version: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enrolments)]
pub struct EnrolmentRow {
    pub id: String,
    pub activity_id: String,
    pub client_id: String,
    pub status: String,
    pub requested_at: NaiveDateTime,
    pub placed_at: Option<NaiveDateTime>,
    pub withdrawn_at: Option<NaiveDateTime>,
    pub withdrawal_reason: Option<String>,
    pub enrolled_by: String,
    pub version: i64,
}

#[derive(Debug, Clone, Queryable)]
pub struct FacilitatorRow {
    pub activity_id: String,
    pub role: String,
    pub user_id: Option<String>,
    pub name: Option<String>,
}

/// The activities a scope reaches: the query every read of one starts from.
pub fn within(scope: &RecordScope) -> activities::BoxedQuery<'static, MultiBackend> {
    let query = activities::table.into_boxed();
    match scope.centres.condition(activities::centre_id) {
        Some(of_centres) => query.filter(of_centres),
        None => query,
    }
}

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    scope: &RecordScope,
) -> QueryResult<Option<ActivityRow>> {
    within(scope)
        .filter(activities::id.eq(id.to_owned()))
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the user runs the activity: who organised it, or a staff facilitator of it.
/// Whether they facilitate it is asked unless `facilitates` already says.
pub fn runs(
    conn: &mut DbConnection,
    activity: &ActivityRow,
    user_id: &str,
    facilitates: Option<bool>,
) -> QueryResult<bool> {
    if activity.created_by == user_id {
        return Ok(true);
    }
    if let Some(facilitates) = facilitates {
        return Ok(facilitates);
    }
    diesel::select(diesel::dsl::exists(
        activity_facilitators::table
            .filter(activity_facilitators::activity_id.eq(&activity.id))
            .filter(activity_facilitators::user_id.eq(user_id)),
    ))
    .get_result(conn)
}

pub fn list(
    conn: &mut DbConnection,
    scope: &RecordScope,
    filter: &ActivityFilter,
) -> QueryResult<(Vec<ActivityRow>, i64)> {
    let filtered = || {
        let mut query = within(scope);
        if let Some(kind) = filter.kind {
            query = query.filter(activities::kind.eq(kind.as_str()));
        }
        if let Some(unit) = filter.unit {
            query = query.filter(
                activities::unit_id.eq_any(
                    units::table
                        .filter(units::kind.eq(unit.as_str()))
                        .select(units::id),
                ),
            );
        }
        if let Some(from) = filter.from {
            query = query.filter(activities::planned_end.ge(from));
        }
        if let Some(until) = filter.until {
            query = query.filter(activities::planned_start.le(until));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((activities::planned_start.desc(), activities::id.desc()))
        .limit(filter.per_page)
        .offset((filter.page - 1) * filter.per_page)
        .select(ActivityRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Takes the activity's row lock until the transaction ends, so that two enrolments or
/// withdrawals never count its places at once (SQLite's writers wait anyway).
pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(activities::table.filter(activities::id.eq(id)))
        .set(activities::version.eq(activities::version))
        .execute(conn)
        .map(drop)
}

/// Of the given accounts, those of staff of the centre.
pub fn staff_of_centre(
    conn: &mut DbConnection,
    centre_id: &str,
    user_ids: &[&str],
) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::id.eq_any(user_ids))
        .filter(users::centre_id.eq(centre_id))
        .filter(users::active.eq(true))
        .select(users::id)
        .load(conn)
}

/// The columns creating an activity and editing it both write.
#[derive(AsChangeset)]
#[diesel(table_name = activities, treat_none_as_null = true)]
pub struct Written<'a> {
    unit_id: &'a str,
    kind: &'a str,
    format: &'a str,
    title_zh: &'a str,
    title_en: &'a str,
    target_group: &'a str,
    mode: &'a str,
    capacity: Option<i64>,
    venue: Option<&'a str>,
    meeting_link: Option<&'a str>,
    planned_start: chrono::NaiveDate,
    planned_end: chrono::NaiveDate,
    actual_start: Option<chrono::NaiveDate>,
    actual_end: Option<chrono::NaiveDate>,
    intervention_model: Option<&'a str>,
    completion_percent: i64,
    updated_by: &'a str,
    updated_at: NaiveDateTime,
}

impl<'a> Written<'a> {
    pub fn of(
        details: &'a ActivityDetails,
        unit_id: &'a str,
        actor_id: &'a str,
        at: NaiveDateTime,
    ) -> Self {
        Written {
            unit_id,
            kind: details.format.kind().as_str(),
            format: details.format.as_str(),
            title_zh: &details.title_zh,
            title_en: &details.title_en,
            target_group: details.target_group.as_str(),
            mode: details.mode.as_str(),
            capacity: details.capacity,
            venue: details.venue.as_deref(),
            meeting_link: details.meeting_link.as_deref(),
            planned_start: details.planned_start,
            planned_end: details.planned_end,
            actual_start: details.actual_start,
            actual_end: details.actual_end,
            intervention_model: details.intervention_model.as_deref(),
            completion_percent: details.completion_percent,
            updated_by: actor_id,
            updated_at: at,
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    centre_id: &str,
    written: &Written,
) -> QueryResult<()> {
    diesel::insert_into(activities::table)
        .values((
            (
                activities::id.eq(id),
                activities::centre_id.eq(centre_id),
                activities::unit_id.eq(written.unit_id),
                activities::kind.eq(written.kind),
                activities::format.eq(written.format),
                activities::title_zh.eq(written.title_zh),
                activities::title_en.eq(written.title_en),
                activities::target_group.eq(written.target_group),
                activities::mode.eq(written.mode),
                activities::capacity.eq(written.capacity),
                activities::venue.eq(written.venue),
                activities::meeting_link.eq(written.meeting_link),
            ),
            (
                activities::planned_start.eq(written.planned_start),
                activities::planned_end.eq(written.planned_end),
                activities::actual_start.eq(written.actual_start),
                activities::actual_end.eq(written.actual_end),
                activities::intervention_model.eq(written.intervention_model),
                activities::completion_percent.eq(written.completion_percent),
                activities::version.eq(1),
                activities::created_by.eq(written.updated_by),
                activities::updated_by.eq(written.updated_by),
                activities::created_at.eq(written.updated_at),
                activities::updated_at.eq(written.updated_at),
            ),
        ))
        .execute(conn)
        .map(drop)
}

/// Writes only if the activity is still at `expected_version`; answers whether it did.
pub fn update_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    written: &Written,
) -> QueryResult<bool> {
    diesel::update(
        activities::table
            .filter(activities::id.eq(id))
            .filter(activities::version.eq(expected_version)),
    )
    .set((written, activities::version.eq(activities::version + 1)))
    .execute(conn)
    .map(|updated| updated == 1)
}

/// An activity's themes: case natures and family life education themes.
pub fn replace_themes(
    conn: &mut DbConnection,
    activity_id: &str,
    natures: &[String],
    education: &[String],
) -> QueryResult<()> {
    diesel::delete(activity_themes::table.filter(activity_themes::activity_id.eq(activity_id)))
        .execute(conn)?;
    diesel::delete(
        activity_education_themes::table
            .filter(activity_education_themes::activity_id.eq(activity_id)),
    )
    .execute(conn)?;
    for code in natures {
        diesel::insert_into(activity_themes::table)
            .values((
                activity_themes::activity_id.eq(activity_id),
                activity_themes::nature_code.eq(code),
            ))
            .execute(conn)?;
    }
    for code in education {
        diesel::insert_into(activity_education_themes::table)
            .values((
                activity_education_themes::activity_id.eq(activity_id),
                activity_education_themes::theme_code.eq(code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn replace_facilitators(
    conn: &mut DbConnection,
    activity_id: &str,
    facilitators: &[FacilitatorDetails],
) -> QueryResult<()> {
    diesel::delete(
        activity_facilitators::table.filter(activity_facilitators::activity_id.eq(activity_id)),
    )
    .execute(conn)?;
    for (position, facilitator) in facilitators.iter().enumerate() {
        let (role, user_id, name) = match facilitator {
            FacilitatorDetails::Staff(user_id) => ("staff", Some(user_id.as_str()), None),
            FacilitatorDetails::Named(role, name) => (role.as_str(), None, Some(name.as_str())),
        };
        diesel::insert_into(activity_facilitators::table)
            .values((
                activity_facilitators::activity_id.eq(activity_id),
                activity_facilitators::position.eq(position as i64),
                activity_facilitators::role.eq(role),
                activity_facilitators::user_id.eq(user_id),
                activity_facilitators::name.eq(name),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Activities' themes, in the taxonomy's order.
/// Each activity's themes in their lists' order: case natures, then education themes.
#[derive(Debug, Default)]
pub struct Themes {
    pub natures: Vec<String>,
    pub education: Vec<String>,
}

pub fn themes(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> QueryResult<HashMap<String, Themes>> {
    use crate::db::schema::{case_natures, education_themes};
    let mut themes: HashMap<String, Themes> = HashMap::new();
    for (activity_id, code) in activity_themes::table
        .inner_join(case_natures::table)
        .filter(activity_themes::activity_id.eq_any(activity_ids))
        .order(case_natures::position)
        .select((activity_themes::activity_id, activity_themes::nature_code))
        .load::<(String, String)>(conn)?
    {
        themes.entry(activity_id).or_default().natures.push(code);
    }
    for (activity_id, code) in activity_education_themes::table
        .inner_join(education_themes::table)
        .filter(activity_education_themes::activity_id.eq_any(activity_ids))
        .order(education_themes::position)
        .select((
            activity_education_themes::activity_id,
            activity_education_themes::theme_code,
        ))
        .load::<(String, String)>(conn)?
    {
        themes.entry(activity_id).or_default().education.push(code);
    }
    Ok(themes)
}

pub fn facilitators(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> QueryResult<Vec<FacilitatorRow>> {
    activity_facilitators::table
        .filter(activity_facilitators::activity_id.eq_any(activity_ids))
        .order((
            activity_facilitators::activity_id,
            activity_facilitators::position,
        ))
        .select((
            activity_facilitators::activity_id,
            activity_facilitators::role,
            activity_facilitators::user_id,
            activity_facilitators::name,
        ))
        .load(conn)
}

/// The staff facilitating an activity.
pub fn staff_facilitators(conn: &mut DbConnection, activity_id: &str) -> QueryResult<Vec<String>> {
    activity_facilitators::table
        .filter(activity_facilitators::activity_id.eq(activity_id))
        .filter(activity_facilitators::user_id.is_not_null())
        .select(activity_facilitators::user_id.assume_not_null())
        .load(conn)
}

/// Each activity's sessions' starts, in time order.
pub fn session_starts(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> QueryResult<HashMap<String, Vec<NaiveDateTime>>> {
    let mut starts: HashMap<String, Vec<NaiveDateTime>> = HashMap::new();
    for (activity_id, at) in activity_sessions::table
        .filter(activity_sessions::activity_id.eq_any(activity_ids))
        .order(activity_sessions::starts_at)
        .select((activity_sessions::activity_id, activity_sessions::starts_at))
        .load::<(String, NaiveDateTime)>(conn)?
    {
        starts.entry(activity_id).or_default().push(at);
    }
    Ok(starts)
}

/// How many of each activity's enrolments are in each status.
pub fn enrolment_counts(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> QueryResult<HashMap<(String, String), i64>> {
    Ok(enrolments::table
        .filter(enrolments::activity_id.eq_any(activity_ids))
        .group_by((enrolments::activity_id, enrolments::status))
        .select((enrolments::activity_id, enrolments::status, count_star()))
        .load::<(String, String, i64)>(conn)?
        .into_iter()
        .map(|(activity, status, n)| ((activity, status), n))
        .collect())
}

/// For each present member of the activities, how many sessions they came to (present or
/// late).
pub fn attended_by_member(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> QueryResult<HashMap<String, Vec<i64>>> {
    let mut by_activity: HashMap<String, Vec<i64>> = HashMap::new();
    for member in members_attended(conn, activity_ids)? {
        by_activity
            .entry(member.activity_id)
            .or_default()
            .push(member.attended);
    }
    Ok(by_activity)
}

/// An enrolled member of an activity and the sessions they came to.
pub struct MemberAttended {
    pub activity_id: String,
    pub client_id: String,
    pub attended: i64,
}

pub fn members_attended(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> QueryResult<Vec<MemberAttended>> {
    enrolments::table
        .filter(enrolments::activity_id.eq_any(activity_ids))
        .filter(enrolments::status.eq(EnrolmentStatus::Enrolled.as_str()))
        .select((
            enrolments::activity_id,
            enrolments::client_id,
            enrolments::sessions_attended,
        ))
        .load::<(String, String, i64)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(activity_id, client_id, attended)| MemberAttended {
                    activity_id,
                    client_id,
                    attended,
                })
                .collect()
        })
}

pub fn event_headcounts(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> QueryResult<HashMap<String, Vec<(String, i64)>>> {
    let mut counts: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for (activity_id, band, count) in event_headcounts::table
        .filter(event_headcounts::activity_id.eq_any(activity_ids))
        .select((
            event_headcounts::activity_id,
            event_headcounts::age_band,
            event_headcounts::count,
        ))
        .load::<(String, String, i64)>(conn)?
    {
        counts.entry(activity_id).or_default().push((band, count));
    }
    Ok(counts)
}

/// Records a community event's reach at the activity's version; answers whether it did.
#[allow(clippy::too_many_arguments)]
pub fn set_reach(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    headcounts: &[BandCount],
    online_views: i64,
    online_participants: i64,
    media_items: i64,
    counting_note: &str,
    actor_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(
        activities::table
            .filter(activities::id.eq(id))
            .filter(activities::version.eq(expected_version)),
    )
    .set((
        activities::online_views.eq(online_views),
        activities::online_participants.eq(online_participants),
        activities::media_items.eq(media_items),
        activities::counting_note.eq(counting_note),
        activities::version.eq(activities::version + 1),
        activities::updated_by.eq(actor_id),
        activities::updated_at.eq(at),
    ))
    .execute(conn)?;
    if updated != 1 {
        return Ok(false);
    }
    diesel::delete(event_headcounts::table.filter(event_headcounts::activity_id.eq(id)))
        .execute(conn)?;
    for count in headcounts {
        diesel::insert_into(event_headcounts::table)
            .values((
                event_headcounts::activity_id.eq(id),
                event_headcounts::age_band.eq(count.age_band.as_str()),
                event_headcounts::count.eq(count.count),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

// Sessions.

pub fn sessions_of(conn: &mut DbConnection, activity_id: &str) -> QueryResult<Vec<SessionRow>> {
    activity_sessions::table
        .filter(activity_sessions::activity_id.eq(activity_id))
        .order((activity_sessions::starts_at, activity_sessions::id))
        .select(SessionRow::as_select())
        .load(conn)
}

/// Numbers an activity's sessions by time again (1 first), after one is added.
pub fn renumber_sessions(conn: &mut DbConnection, activity_id: &str) -> QueryResult<()> {
    for (number, session) in sessions_of(conn, activity_id)?.iter().enumerate() {
        let number = number as i64 + 1;
        if session.number != number {
            diesel::update(activity_sessions::table.filter(activity_sessions::id.eq(&session.id)))
                .set(activity_sessions::number.eq(number))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// A session and its activity, if the activity is of the scope's centres, and whether the
/// scope's owner (if it has one) facilitates it: one statement, as every roll call asks it.
pub fn find_session(
    conn: &mut DbConnection,
    id: &str,
    scope: &RecordScope,
) -> QueryResult<Option<(SessionRow, ActivityRow, bool)>> {
    let mut query = activity_sessions::table
        .inner_join(activities::table)
        .left_join(
            activity_facilitators::table.on(activity_facilitators::activity_id
                .eq(activities::id)
                .and(activity_facilitators::user_id.eq(scope.owner_id.clone()))),
        )
        .filter(activity_sessions::id.eq(id.to_owned()))
        .into_boxed();
    if let Some(of_centres) = scope.centres.condition(activities::centre_id) {
        query = query.filter(of_centres);
    }
    let found = query
        .select((
            SessionRow::as_select(),
            ActivityRow::as_select(),
            activity_facilitators::position.nullable(),
        ))
        .first::<(SessionRow, ActivityRow, Option<i64>)>(conn)
        .optional()?;
    Ok(found.map(|(session, activity, position)| (session, activity, position.is_some())))
}

/// The sessions of the scope's centres overlapping `[from, until)`, in time order,
/// narrowed to one staff facilitator's or one venue's when asked.
pub fn sessions_between(
    conn: &mut DbConnection,
    scope: &RecordScope,
    from: NaiveDateTime,
    until: NaiveDateTime,
    facilitator: Option<&str>,
    venue_key: Option<&str>,
) -> QueryResult<Vec<SessionRow>> {
    let mut query = activity_sessions::table
        .into_boxed::<'static, MultiBackend>()
        .filter(activity_sessions::starts_at.lt(until))
        // A session lasts at most a day, so this bounds the index range from below.
        .filter(activity_sessions::starts_at.gt(from - chrono::Duration::days(1)))
        .filter(activity_sessions::ends_at.gt(from));
    // The sessions' centre is their activity's: the same reach as `within`.
    if let Some(of_centres) = scope.centres.condition(activity_sessions::centre_id) {
        query = query.filter(of_centres);
    }
    if let Some(user_id) = facilitator {
        query = query.filter(
            activity_sessions::activity_id.eq_any(
                activity_facilitators::table
                    .filter(activity_facilitators::user_id.eq(user_id.to_owned()))
                    .select(activity_facilitators::activity_id),
            ),
        );
    }
    if let Some(key) = venue_key {
        query = query.filter(activity_sessions::venue_key.eq(key.to_owned()));
    }
    query
        .order((activity_sessions::starts_at, activity_sessions::id))
        .limit(2000)
        .select(SessionRow::as_select())
        .load(conn)
}

/// The stamp of these centres' calendars: the sum of theirs, which only grow, so it grows
/// whenever any of them changes.
pub fn calendar_stamp(conn: &mut DbConnection, centres: &Centres) -> QueryResult<i64> {
    let mut stamps = calendar_stamps::table.into_boxed::<'static, MultiBackend>();
    if let Some(of_centres) = centres.condition(calendar_stamps::centre_id) {
        stamps = stamps.filter(of_centres);
    }
    Ok(stamps
        .select(calendar_stamps::stamp)
        .load::<i64>(conn)?
        .into_iter()
        .sum())
}

/// Sessions overlapping `[from, until)` that share the venue (in the centre) or one of
/// the staff: the candidates for a double booking.
pub fn overlapping(
    conn: &mut DbConnection,
    centre_id: &str,
    from: NaiveDateTime,
    until: NaiveDateTime,
    venue_key: Option<&str>,
    staff: &[String],
) -> QueryResult<Vec<SessionRow>> {
    let by_staff = activity_sessions::activity_id.eq_any(
        activity_facilitators::table
            .filter(activity_facilitators::user_id.eq_any(staff.to_vec()))
            .select(activity_facilitators::activity_id),
    );
    let query = activity_sessions::table
        .filter(activity_sessions::starts_at.lt(until))
        .filter(activity_sessions::starts_at.gt(from - chrono::Duration::days(1)))
        .filter(activity_sessions::ends_at.gt(from))
        .into_boxed();
    let query = match venue_key {
        Some(key) => query.filter(
            by_staff.or(activity_sessions::centre_id
                .eq(centre_id.to_owned())
                .and(activity_sessions::venue_key.eq(key.to_owned()))),
        ),
        None => query.filter(by_staff),
    };
    query
        .order(activity_sessions::starts_at)
        .select(SessionRow::as_select())
        .load(conn)
}

/// Of the given staff, those facilitating each of the given activities.
pub fn staff_shared(
    conn: &mut DbConnection,
    activity_ids: &[&str],
    staff: &[String],
) -> QueryResult<HashMap<String, Vec<String>>> {
    let mut shared: HashMap<String, Vec<String>> = HashMap::new();
    for (activity_id, user_id) in activity_facilitators::table
        .filter(activity_facilitators::activity_id.eq_any(activity_ids))
        .filter(activity_facilitators::user_id.eq_any(staff))
        .select((
            activity_facilitators::activity_id,
            activity_facilitators::user_id.assume_not_null(),
        ))
        .load::<(String, String)>(conn)?
    {
        shared.entry(activity_id).or_default().push(user_id);
    }
    Ok(shared)
}

/// The activities' id, kind and titles, as a calendar names them.
pub fn names_of(
    conn: &mut DbConnection,
    ids: &[&str],
) -> QueryResult<Vec<(String, String, String, String)>> {
    activities::table
        .filter(activities::id.eq_any(ids))
        .select((
            activities::id,
            activities::kind,
            activities::title_zh,
            activities::title_en,
        ))
        .load(conn)
}

pub struct NewSession<'a> {
    pub id: String,
    pub activity_id: &'a str,
    pub centre_id: &'a str,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub venue: Option<&'a str>,
    pub venue_key: Option<String>,
    pub online: bool,
    pub created_by: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert_session(conn: &mut DbConnection, session: &NewSession) -> QueryResult<()> {
    diesel::insert_into(activity_sessions::table)
        .values((
            activity_sessions::id.eq(&session.id),
            activity_sessions::activity_id.eq(session.activity_id),
            activity_sessions::centre_id.eq(session.centre_id),
            // Set by `renumber_sessions` once the activity's sessions are in.
            activity_sessions::number.eq(0),
            activity_sessions::starts_at.eq(session.starts_at),
            activity_sessions::ends_at.eq(session.ends_at),
            activity_sessions::venue.eq(session.venue),
            activity_sessions::venue_key.eq(session.venue_key.as_deref()),
            activity_sessions::online.eq(session.online),
            activity_sessions::headcount_version.eq(0),
            activity_sessions::created_by.eq(session.created_by),
            activity_sessions::created_at.eq(session.created_at),
        ))
        .execute(conn)
        .map(drop)
}

// Enrolments.

pub fn enrolments_of(conn: &mut DbConnection, activity_id: &str) -> QueryResult<Vec<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::activity_id.eq(activity_id))
        .order((enrolments::requested_at, enrolments::id))
        .select(EnrolmentRow::as_select())
        .load(conn)
}

pub fn find_enrolment(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::id.eq(id))
        .select(EnrolmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn live_enrolment(
    conn: &mut DbConnection,
    activity_id: &str,
    client_id: &str,
) -> QueryResult<Option<EnrolmentRow>> {
    enrolments::table
        .filter(enrolments::activity_id.eq(activity_id))
        .filter(enrolments::client_id.eq(client_id))
        .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.as_str()))
        .select(EnrolmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn count_in(
    conn: &mut DbConnection,
    activity_id: &str,
    status: EnrolmentStatus,
) -> QueryResult<i64> {
    enrolments::table
        .filter(enrolments::activity_id.eq(activity_id))
        .filter(enrolments::status.eq(status.as_str()))
        .count()
        .get_result(conn)
}

pub fn insert_enrolment(
    conn: &mut DbConnection,
    row: &EnrolmentRow,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::id.eq(&row.id),
            enrolments::activity_id.eq(&row.activity_id),
            enrolments::client_id.eq(&row.client_id),
            enrolments::status.eq(&row.status),
            enrolments::requested_at.eq(row.requested_at),
            enrolments::placed_at.eq(row.placed_at),
            enrolments::enrolled_by.eq(&row.enrolled_by),
            enrolments::version.eq(1),
            enrolments::updated_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// Withdraws an enrolment still at `expected_version`; answers whether it did.
pub fn withdraw(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    crate::risk::store::touch_enrolled(conn, &[id])?;
    diesel::update(
        enrolments::table
            .filter(enrolments::id.eq(id))
            .filter(enrolments::version.eq(expected_version))
            .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.as_str())),
    )
    .set((
        enrolments::status.eq(EnrolmentStatus::Withdrawn.as_str()),
        enrolments::withdrawn_at.eq(at),
        enrolments::withdrawal_reason.eq(reason),
        enrolments::version.eq(enrolments::version + 1),
        enrolments::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|updated| updated == 1)
}

/// Gives places to the first `places` on the waiting list, in the order they asked;
/// answers the enrolments promoted.
pub fn promote_waiting(
    conn: &mut DbConnection,
    activity_id: &str,
    places: i64,
    at: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let first: Vec<String> = enrolments::table
        .filter(enrolments::activity_id.eq(activity_id))
        .filter(enrolments::status.eq(EnrolmentStatus::Waiting.as_str()))
        .order((enrolments::requested_at, enrolments::id))
        .limit(places)
        .select(enrolments::id)
        .load(conn)?;
    if !first.is_empty() {
        crate::risk::store::touch_enrolled(conn, &first)?;
        diesel::update(enrolments::table.filter(enrolments::id.eq_any(&first)))
            .set((
                enrolments::status.eq(EnrolmentStatus::Enrolled.as_str()),
                enrolments::placed_at.eq(at),
                enrolments::version.eq(enrolments::version + 1),
                enrolments::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(first)
}

// Attendance.

/// A line of a session's roll: a member, and their mark in the session if marked.
#[derive(Debug, Clone, Queryable)]
pub struct RollRow {
    pub enrolment_id: String,
    pub client_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub sex: String,
    pub mark: Option<MarkRow>,
}

#[derive(Debug, Clone, Queryable)]
pub struct MarkRow {
    pub status: String,
    pub online: bool,
    pub version: i64,
}

/// The members on a session's roll, in the order they asked for a place: those enrolled
/// now, and anyone marked in it before they withdrew. One statement, as the roll call at
/// the door asks it on every open.
pub fn roll(conn: &mut DbConnection, session: &SessionRow) -> QueryResult<Vec<RollRow>> {
    enrolments::table
        .inner_join(clients::table)
        .left_join(
            attendance::table.on(attendance::client_id
                .eq(enrolments::client_id)
                .and(attendance::session_id.eq(session.id.clone()))),
        )
        .filter(enrolments::activity_id.eq(session.activity_id.clone()))
        .filter(
            enrolments::status
                .eq(EnrolmentStatus::Enrolled.as_str())
                .or(attendance::enrolment_id
                    .nullable()
                    .eq(enrolments::id.nullable())),
        )
        .order((enrolments::requested_at, enrolments::id))
        .select((
            enrolments::id,
            enrolments::client_id,
            clients::name_zh,
            clients::name_en,
            clients::sex,
            (attendance::status, attendance::online, attendance::version).nullable(),
        ))
        .load(conn)
}

pub struct NewMark<'a> {
    pub session_id: &'a str,
    pub client_id: &'a str,
    pub enrolment_id: &'a str,
    pub status: AttendanceStatus,
    pub online: bool,
    pub recorded_by: &'a str,
    pub at: NaiveDateTime,
}

/// Writes a mark with what the statistics count it by: its session's start, activity and
/// unit, and the person's date of birth (the migration's triggers keep them after).
pub fn insert_mark(conn: &mut DbConnection, mark: &NewMark) -> QueryResult<()> {
    crate::risk::store::touch_people(conn, &[mark.client_id])?;
    let (starts_at, centre_id, kind, unit_kind): (NaiveDateTime, String, String, String) =
        activity_sessions::table
            .inner_join(activities::table.inner_join(units::table))
            .filter(activity_sessions::id.eq(mark.session_id))
            .select((
                activity_sessions::starts_at,
                activities::centre_id,
                activities::kind,
                units::kind,
            ))
            .first(conn)?;
    let date_of_birth: NaiveDate = clients::table
        .find(mark.client_id)
        .select(clients::date_of_birth)
        .first(conn)?;
    diesel::insert_into(attendance::table)
        .values((
            attendance::session_id.eq(mark.session_id),
            attendance::client_id.eq(mark.client_id),
            attendance::enrolment_id.eq(mark.enrolment_id),
            attendance::status.eq(mark.status.as_str()),
            attendance::online.eq(mark.online),
            attendance::version.eq(1),
            attendance::recorded_by.eq(mark.recorded_by),
            attendance::recorded_at.eq(mark.at),
            attendance::session_starts_at.eq(starts_at),
            attendance::centre_id.eq(centre_id),
            attendance::activity_kind.eq(kind),
            attendance::unit_kind.eq(unit_kind),
            attendance::date_of_birth.eq(date_of_birth),
        ))
        .execute(conn)?;
    recount_attended(conn, mark.enrolment_id)
}

/// The marks that count as coming, by the domain's rule.
fn came() -> Vec<&'static str> {
    AttendanceStatus::ALL
        .iter()
        .filter(|s| s.attended())
        .map(|s| s.as_str())
        .collect()
}

/// Sets a place's `sessions_attended` from its marks, in the transaction that changed them.
fn recount_attended(conn: &mut DbConnection, enrolment_id: &str) -> QueryResult<()> {
    let came = attendance::table
        .filter(attendance::enrolment_id.eq(enrolment_id))
        .filter(attendance::status.eq_any(came()))
        .count()
        .single_value()
        .assume_not_null();
    diesel::update(enrolments::table.filter(enrolments::id.eq(enrolment_id)))
        .set(enrolments::sessions_attended.eq(came))
        .execute(conn)
        .map(drop)
}

/// Changes a mark still at `expected_version`; answers whether it did.
pub fn update_mark(
    conn: &mut DbConnection,
    mark: &NewMark,
    expected_version: i64,
) -> QueryResult<bool> {
    crate::risk::store::touch_people(conn, &[mark.client_id])?;
    let updated = diesel::update(
        attendance::table
            .filter(attendance::session_id.eq(mark.session_id))
            .filter(attendance::client_id.eq(mark.client_id))
            .filter(attendance::version.eq(expected_version)),
    )
    .set((
        attendance::status.eq(mark.status.as_str()),
        attendance::online.eq(mark.online),
        attendance::version.eq(attendance::version + 1),
        attendance::recorded_by.eq(mark.recorded_by),
        attendance::recorded_at.eq(mark.at),
    ))
    .execute(conn)?;
    if updated == 1 {
        recount_attended(conn, mark.enrolment_id)?;
    }
    Ok(updated == 1)
}

pub fn session_headcounts(
    conn: &mut DbConnection,
    session_id: &str,
) -> QueryResult<Vec<(String, String, i64)>> {
    session_headcounts::table
        .filter(session_headcounts::session_id.eq(session_id))
        .select((
            session_headcounts::age_band,
            session_headcounts::sex,
            session_headcounts::count,
        ))
        .load(conn)
}

/// Replaces a session's headcounts if they are still at `expected_version`.
pub fn replace_headcounts(
    conn: &mut DbConnection,
    session_id: &str,
    expected_version: i64,
    counts: &[Headcount],
) -> QueryResult<bool> {
    let updated = diesel::update(
        activity_sessions::table
            .filter(activity_sessions::id.eq(session_id))
            .filter(activity_sessions::headcount_version.eq(expected_version)),
    )
    .set(activity_sessions::headcount_version.eq(activity_sessions::headcount_version + 1))
    .execute(conn)?;
    if updated != 1 {
        return Ok(false);
    }
    diesel::delete(session_headcounts::table.filter(session_headcounts::session_id.eq(session_id)))
        .execute(conn)?;
    for count in counts.iter().filter(|c| c.count > 0) {
        diesel::insert_into(session_headcounts::table)
            .values((
                session_headcounts::session_id.eq(session_id),
                session_headcounts::age_band.eq(count.age_band.as_str()),
                session_headcounts::sex.eq(count.sex.as_str()),
                session_headcounts::count.eq(count.count),
            ))
            .execute(conn)?;
    }
    Ok(true)
}

/// One row of a client's groups and attendance: an enrolment and its activity, with one
/// of the activity's sessions (none before any is planned) and the client's mark at it.
#[derive(Queryable)]
pub struct HistoryRow {
    pub enrolment_id: String,
    pub enrolment_status: String,
    pub activity_id: String,
    pub kind: String,
    pub title_zh: String,
    pub title_en: String,
    /// The session's id, number and start.
    pub session: Option<(String, i64, NaiveDateTime)>,
    /// The client's status and whether they joined online.
    pub mark: Option<(String, bool)>,
}

/// A client's enrolments, the latest asked first, each with its activity's sessions in
/// time order and the client's marks under that enrolment: one statement, as a client's
/// page asks it on every open.
pub fn history_of_client(conn: &mut DbConnection, client_id: &str) -> QueryResult<Vec<HistoryRow>> {
    enrolments::table
        .inner_join(activities::table)
        .left_join(
            activity_sessions::table.on(activity_sessions::activity_id.eq(enrolments::activity_id)),
        )
        .left_join(
            attendance::table.on(attendance::session_id
                .eq(activity_sessions::id)
                .and(attendance::enrolment_id.eq(enrolments::id))
                .and(attendance::client_id.eq(enrolments::client_id))),
        )
        .filter(enrolments::client_id.eq(client_id))
        .order((
            enrolments::requested_at.desc(),
            enrolments::id.desc(),
            activity_sessions::starts_at,
            activity_sessions::id,
        ))
        .select((
            enrolments::id,
            enrolments::status,
            activities::id,
            activities::kind,
            activities::title_zh,
            activities::title_en,
            (
                activity_sessions::id,
                activity_sessions::number,
                activity_sessions::starts_at,
            )
                .nullable(),
            (attendance::status, attendance::online).nullable(),
        ))
        .load(conn)
}

/// Parses a stored band code.
pub fn band(code: &str) -> QueryResult<HeadcountBand> {
    crate::db::stored_code(HeadcountBand::parse, "headcounts.age_band", code)
}

/// Moves one record of a person's enrolments and marks to another (a merge): where both
/// are in one activity, the survivor's place stands and the other is withdrawn; where
/// both were marked at one session, the survivor's mark stands and the other stays on
/// the tombstone. Answers the enrolments moved.
pub fn move_client(
    conn: &mut DbConnection,
    from: &str,
    to: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let survivors: Vec<String> = enrolments::table
        .filter(enrolments::client_id.eq(to))
        .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.as_str()))
        .select(enrolments::activity_id)
        .load(conn)?;
    diesel::update(
        enrolments::table
            .filter(enrolments::client_id.eq(from))
            .filter(enrolments::status.ne(EnrolmentStatus::Withdrawn.as_str()))
            .filter(enrolments::activity_id.eq_any(&survivors)),
    )
    .set((
        enrolments::status.eq(EnrolmentStatus::Withdrawn.as_str()),
        enrolments::withdrawn_at.eq(at),
        enrolments::withdrawal_reason.eq("Merged: the same person was enrolled twice"),
        enrolments::version.eq(enrolments::version + 1),
        enrolments::updated_at.eq(at),
    ))
    .execute(conn)?;
    let moved = diesel::update(enrolments::table.filter(enrolments::client_id.eq(from)))
        .set(enrolments::client_id.eq(to))
        .execute(conn)?;
    let marked: Vec<String> = attendance::table
        .filter(attendance::client_id.eq(to))
        .select(attendance::session_id)
        .load(conn)?;
    diesel::update(
        attendance::table
            .filter(attendance::client_id.eq(from))
            .filter(attendance::session_id.ne_all(&marked)),
    )
    .set(attendance::client_id.eq(to))
    .execute(conn)?;
    Ok(moved)
}

/// Those of the activities the scope reaches: id, centre and titles.
pub fn reached_titles(
    conn: &mut DbConnection,
    scope: &RecordScope,
    ids: &[&str],
) -> QueryResult<Vec<(String, String, String, String)>> {
    within(scope)
        .filter(activities::id.eq_any(ids))
        .select((
            activities::id,
            activities::centre_id,
            activities::title_zh,
            activities::title_en,
        ))
        .load(conn)
}
