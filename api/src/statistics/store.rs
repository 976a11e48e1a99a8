//! The aggregate queries behind the statistics: each groups in the database, so a year of
//! every centre comes back as a few hundred rows. The bench times these alone.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::dsl::{count_star, sql};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use crate::db::schema::{
    activities, activity_sessions, attendance, case_events, case_goals, case_nature_tags,
    case_natures, cases, centres, clients, enquiries, event_headcounts, service_standards,
    session_headcounts, units,
};
use crate::db::{day_start, DbConnection};

// The breakdowns group by columns of several tables at once.
diesel::allow_columns_to_appear_in_same_group_by_clause!(
    case_events::centre_id,
    units::kind,
    activities::centre_id,
    activities::kind,
    activity_sessions::online,
    session_headcounts::age_band,
    event_headcounts::age_band,
    case_goals::status,
);

/// Cases in force on a day by state and where they were, with what they are broken down by
/// (their natures as `cases::store::Breakdown::natures`): one scan serves every breakdown.
#[derive(Debug, Queryable)]
pub struct InForce {
    pub state: String,
    pub centre_id: String,
    pub case_type: String,
    pub unit: String,
    pub district: Option<String>,
    pub natures: String,
    pub cases: i64,
}

/// The cases whose last event on or before `day` is open or waiting, within the centres:
/// an event effective by then and not superseded by then. Each event carries its case's
/// breakdown, so none is joined to its case.
macro_rules! in_force {
    ($centres:expr, $day:expr) => {
        case_events::table
            .filter(case_events::state.eq_any(["open", "waiting"]))
            .filter(case_events::effective_on.le($day))
            .filter(
                case_events::superseded_on
                    .is_null()
                    .or(case_events::superseded_on.gt($day)),
            )
            .filter(case_events::centre_id.eq_any($centres))
    };
}

pub fn in_force(
    conn: &mut DbConnection,
    centres: &[String],
    day: NaiveDate,
) -> QueryResult<Vec<InForce>> {
    in_force!(centres, day)
        .group_by((
            case_events::state,
            case_events::centre_id,
            case_events::case_type,
            case_events::unit_kind,
            case_events::district,
            case_events::natures,
        ))
        .select((
            case_events::state,
            case_events::centre_id,
            case_events::case_type,
            case_events::unit_kind,
            case_events::district,
            case_events::natures,
            count_star(),
        ))
        .load(conn)
}

/// The events of a period, each with what the case was before it, grouped by what decides the
/// figures they count in (`common::statistics::event_figures`) and the breakdowns (natures
/// as `InForce::natures`).
#[derive(Debug, Queryable)]
pub struct Moved {
    pub kind: String,
    pub state: String,
    pub centre_id: String,
    pub before_state: Option<String>,
    pub before_centre_id: Option<String>,
    pub case_type: String,
    pub unit: String,
    pub district: Option<String>,
    pub natures: String,
    pub events: i64,
}

/// Events that can count effective within the days, at one of the
/// centres or moving a case away from one.
macro_rules! moved {
    ($centres:expr, $from:expr, $until:expr) => {
        case_events::table
            .filter(case_events::effective_on.between($from, $until))
            .filter(case_events::kind.eq_any([
                "registered",
                "opened",
                "reactivated",
                "closed",
                "transferred",
            ]))
            .filter(
                case_events::centre_id
                    .eq_any($centres)
                    .or(case_events::from_centre_id.eq_any($centres)),
            )
    };
}

pub fn moved(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<Moved>> {
    moved!(centres, from, until)
        .group_by((
            case_events::kind,
            case_events::state,
            case_events::centre_id,
            case_events::from_state,
            case_events::from_centre_id,
            case_events::case_type,
            case_events::unit_kind,
            case_events::district,
            case_events::natures,
        ))
        .select((
            case_events::kind,
            case_events::state,
            case_events::centre_id,
            case_events::from_state,
            case_events::from_centre_id,
            case_events::case_type,
            case_events::unit_kind,
            case_events::district,
            case_events::natures,
            count_star(),
        ))
        .load(conn)
}

/// One event of a period and the one before it, for the list of cases behind a figure.
#[derive(Debug, Queryable)]
pub struct MovedCase {
    pub case_id: String,
    pub kind: String,
    pub state: String,
    pub centre_id: String,
    pub before_state: Option<String>,
    pub before_centre_id: Option<String>,
}

pub fn moved_cases(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<MovedCase>> {
    moved!(centres, from, until)
        .select((
            case_events::case_id,
            case_events::kind,
            case_events::state,
            case_events::centre_id,
            case_events::from_state,
            case_events::from_centre_id,
        ))
        .load(conn)
}

/// The cases in force in a state on a day, for the list behind a boundary figure.
pub fn cases_in_force(
    conn: &mut DbConnection,
    centres: &[String],
    day: NaiveDate,
    state: &str,
) -> QueryResult<Vec<String>> {
    in_force!(centres, day)
        .filter(case_events::state.eq(state))
        .select(case_events::case_id)
        .load(conn)
}

/// Enquiries received within the days, by centre and channel.
#[derive(Debug, Queryable)]
pub struct Enquiries {
    pub centre_id: String,
    pub channel: String,
    pub received: i64,
    pub minutes: Option<i64>,
}

pub fn enquiries(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<Enquiries>> {
    enquiries::table
        .filter(enquiries::centre_id.eq_any(centres))
        .filter(enquiries::received_at.ge(day_start(from)))
        .filter(enquiries::received_at.lt(day_start(until + Duration::days(1))))
        .group_by((enquiries::centre_id, enquiries::channel))
        .select((
            enquiries::centre_id,
            enquiries::channel,
            count_star(),
            total("enquiries.minutes_spent"),
        ))
        .load(conn)
}

/// Sessions held (begun by `now`) within the days: by centre, kind of activity and unit,
/// how many activities and how many sessions.
#[derive(Debug, Queryable)]
pub struct Held {
    pub centre_id: String,
    pub kind: String,
    pub unit: String,
    pub activities: i64,
    pub sessions: i64,
}

pub fn sessions_held(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<Held>> {
    activity_sessions::table
        .inner_join(activities::table.inner_join(units::table))
        .filter(activities::centre_id.eq_any(centres))
        .filter(activity_sessions::starts_at.ge(day_start(from)))
        .filter(activity_sessions::starts_at.lt(day_start(until + Duration::days(1)).min(now)))
        .group_by((activities::centre_id, activities::kind, units::kind))
        .select((
            activities::centre_id,
            activities::kind,
            units::kind,
            diesel::dsl::count(activities::id).aggregate_distinct(),
            count_star(),
        ))
        .load(conn)
}

/// A person's age band on `on`, worked out by the database from their date of birth, as
/// SQL text: the DSL cannot group by an expression, so the queries grouping by it are
/// written with it. The days are the application's own, written as ISO dates, so the
/// text is safe.
fn age_band(on: NaiveDate) -> String {
    let years_ago = |years: i32| {
        // 29 February, in a year without one, is the day before 1 March.
        NaiveDate::from_ymd_opt(on.year() - years, on.month(), on.day())
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(on.year() - years, 2, 28).expect("a day"))
    };
    format!(
        "CASE WHEN attendance.date_of_birth > '{}' THEN '0_5' \
         WHEN attendance.date_of_birth > '{}' THEN '6_12' \
         WHEN attendance.date_of_birth > '{}' THEN '13_17' \
         WHEN attendance.date_of_birth > '{}' THEN '18_64' \
         ELSE '65_plus' END",
        years_ago(6),
        years_ago(13),
        years_ago(18),
        years_ago(65),
    )
}

/// A sum of a whole-number column as a whole number: PostgreSQL sums BIGINT as NUMERIC.
fn total(column: &str) -> diesel::expression::SqlLiteral<Nullable<BigInt>> {
    sql::<Nullable<BigInt>>(&format!("CAST(SUM({column}) AS BIGINT)"))
}

/// Each person's attendances by centre, kind, unit, mode and age band on `aged_on`: the
/// person-times, and the people to count once in each row of each breakdown.
#[derive(Debug, Queryable)]
pub struct Attended {
    pub centre_id: String,
    pub kind: String,
    pub unit: String,
    pub online: bool,
    pub age_band: String,
    pub client_id: String,
    pub person_times: i64,
}

pub fn attended(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
    aged_on: NaiveDate,
) -> QueryResult<Vec<Attended>> {
    // Each mark carries its session's start, activity, unit and person's date of birth,
    // so none is joined.
    let columns = format!(
        "attendance.centre_id, attendance.activity_kind, attendance.unit_kind, \
         attendance.online, {}, attendance.client_id",
        age_band(aged_on)
    );
    attendance::table
        .filter(attendance::session_starts_at.ge(day_start(from)))
        .filter(attendance::session_starts_at.lt(day_start(until + Duration::days(1)).min(now)))
        .filter(attendance::status.eq_any(["present", "late"]))
        .filter(attendance::centre_id.eq_any(centres))
        .group_by(sql::<(Text, Text, Text, Bool, Text, Text)>(&columns))
        .select(sql::<(Text, Text, Text, Bool, Text, Text, BigInt)>(
            &format!("{columns}, COUNT(*)"),
        ))
        .load(conn)
}

pub fn mode(online: bool) -> &'static str {
    if online {
        common::statistics::MODE_ONLINE
    } else {
        common::statistics::MODE_IN_PERSON
    }
}

/// Anonymous headcounts of sessions held within the days, by centre, kind, unit, mode
/// (the session's) and age band.
#[derive(Debug, Queryable)]
pub struct SessionHeadcount {
    pub centre_id: String,
    pub kind: String,
    pub unit: String,
    pub online: bool,
    pub age_band: String,
    pub count: Option<i64>,
}

pub fn session_headcount(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<SessionHeadcount>> {
    session_headcounts::table
        .inner_join(activity_sessions::table.inner_join(activities::table.inner_join(units::table)))
        .filter(activities::centre_id.eq_any(centres))
        .filter(activity_sessions::starts_at.ge(day_start(from)))
        .filter(activity_sessions::starts_at.lt(day_start(until + Duration::days(1)).min(now)))
        .group_by((
            activities::centre_id,
            activities::kind,
            units::kind,
            activity_sessions::online,
            session_headcounts::age_band,
        ))
        .select((
            activities::centre_id,
            activities::kind,
            units::kind,
            activity_sessions::online,
            session_headcounts::age_band,
            total("session_headcounts.count"),
        ))
        .load(conn)
}

/// A community event's own headcount, counted in the period of its first session held.
#[derive(Debug, Queryable)]
pub struct EventHeadcount {
    pub centre_id: String,
    pub unit: String,
    pub age_band: String,
    pub count: Option<i64>,
}

pub fn event_headcount(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<EventHeadcount>> {
    let first_in_period = activity_sessions::table
        .group_by(activity_sessions::activity_id)
        .having(
            diesel::dsl::min(activity_sessions::starts_at)
                .ge(day_start(from))
                .and(
                    diesel::dsl::min(activity_sessions::starts_at)
                        .lt(day_start(until + Duration::days(1)).min(now)),
                ),
        )
        .select(activity_sessions::activity_id);
    event_headcounts::table
        .inner_join(activities::table.inner_join(units::table))
        .filter(activities::centre_id.eq_any(centres))
        .filter(activities::id.eq_any(first_in_period))
        .group_by((
            activities::centre_id,
            units::kind,
            event_headcounts::age_band,
        ))
        .select((
            activities::centre_id,
            units::kind,
            event_headcounts::age_band,
            total("event_headcounts.count"),
        ))
        .load(conn)
}

/// The goals of the cases closed (after being open) within the days, by centre and status.
pub fn goals_at_closure(
    conn: &mut DbConnection,
    centres: &[String],
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(String, String, i64)>> {
    case_goals::table
        .inner_join(case_events::table.on(case_events::case_id.eq(case_goals::case_id)))
        .filter(case_events::kind.eq("closed"))
        .filter(case_events::from_state.eq("open"))
        .filter(case_events::effective_on.between(from, until))
        .filter(case_events::centre_id.eq_any(centres))
        .group_by((case_events::centre_id, case_goals::status))
        .select((case_events::centre_id, case_goals::status, count_star()))
        .load(conn)
}

/// The activities of a kind with sessions held within the days, and how many each held.
pub fn activities_run(
    conn: &mut DbConnection,
    centres: &[String],
    kind: &str,
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    activity_sessions::table
        .inner_join(activities::table)
        .filter(activities::centre_id.eq_any(centres))
        .filter(activities::kind.eq(kind))
        .filter(activity_sessions::starts_at.ge(day_start(from)))
        .filter(activity_sessions::starts_at.lt(day_start(until + Duration::days(1)).min(now)))
        .group_by(activity_sessions::activity_id)
        .select((activity_sessions::activity_id, count_star()))
        .load(conn)
}

/// Attendances (present or late) at each activity's sessions held within the days.
pub fn person_times_of(
    conn: &mut DbConnection,
    ids: &[&str],
    from: NaiveDate,
    until: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, i64)>> {
    attendance::table
        .inner_join(activity_sessions::table)
        .filter(activity_sessions::activity_id.eq_any(ids))
        .filter(activity_sessions::starts_at.ge(day_start(from)))
        .filter(activity_sessions::starts_at.lt(day_start(until + Duration::days(1)).min(now)))
        .filter(attendance::status.eq_any(["present", "late"]))
        .group_by(activity_sessions::activity_id)
        .select((activity_sessions::activity_id, count_star()))
        .load(conn)
}

/// The centres, with their names, in code order.
pub fn centres_named(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String, String, String)>> {
    centres::table
        .filter(centres::id.eq_any(ids))
        .order(centres::code)
        .select((
            centres::id,
            centres::code,
            centres::name_zh,
            centres::name_en,
        ))
        .load(conn)
}

pub fn nature_names(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String)>> {
    case_natures::table
        .order(case_natures::position)
        .select((
            case_natures::code,
            case_natures::name_zh,
            case_natures::name_en,
        ))
        .load(conn)
}

/// The ids of every centre, of one agency, or of one (if it exists).
pub fn centre_ids(
    conn: &mut DbConnection,
    agency_id: Option<&str>,
    centre_id: Option<&str>,
) -> QueryResult<Vec<String>> {
    let mut query = centres::table.select(centres::id).into_boxed();
    if let Some(agency) = agency_id {
        query = query.filter(centres::agency_id.eq(agency.to_owned()));
    }
    if let Some(centre) = centre_id {
        query = query.filter(centres::id.eq(centre.to_owned()));
    }
    query.order(centres::code).load(conn)
}

/// A centre's agreed level of an indicator for a year, with its version.
#[derive(Debug, Queryable)]
pub struct LevelRow {
    pub centre_id: String,
    pub indicator: String,
    pub level: i64,
    pub version: i64,
}

pub fn levels(
    conn: &mut DbConnection,
    centres: &[String],
    financial_year: i32,
) -> QueryResult<Vec<LevelRow>> {
    service_standards::table
        .filter(service_standards::centre_id.eq_any(centres))
        .filter(service_standards::financial_year.eq(i64::from(financial_year)))
        .select((
            service_standards::centre_id,
            service_standards::indicator,
            service_standards::agreed_level,
            service_standards::version,
        ))
        .load(conn)
}

pub struct NewLevel<'a> {
    pub centre_id: &'a str,
    pub financial_year: i32,
    pub indicator: &'a str,
    pub level: i64,
    pub user_id: &'a str,
    pub at: NaiveDateTime,
}

/// Sets a level at the version read (0: none yet); false when someone saved first.
pub fn set_level(conn: &mut DbConnection, level: &NewLevel, version: i64) -> QueryResult<bool> {
    let year = i64::from(level.financial_year);
    if version == 0 {
        let inserted = diesel::insert_into(service_standards::table)
            .values((
                service_standards::centre_id.eq(level.centre_id),
                service_standards::financial_year.eq(year),
                service_standards::indicator.eq(level.indicator),
                service_standards::agreed_level.eq(level.level),
                service_standards::version.eq(1i64),
                service_standards::updated_by.eq(level.user_id),
                service_standards::updated_at.eq(level.at),
            ))
            .execute(conn);
        // Someone set the level first: the caller read no level, so theirs is newer.
        return match inserted {
            Ok(_) => Ok(true),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Ok(false),
            Err(e) => Err(e),
        };
    }
    let changed = diesel::update(
        service_standards::table
            .filter(service_standards::centre_id.eq(level.centre_id))
            .filter(service_standards::financial_year.eq(year))
            .filter(service_standards::indicator.eq(level.indicator))
            .filter(service_standards::version.eq(version)),
    )
    .set((
        service_standards::agreed_level.eq(level.level),
        service_standards::version.eq(version + 1),
        service_standards::updated_by.eq(level.user_id),
        service_standards::updated_at.eq(level.at),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Of these cases, those the record scope reaches in the breakdown's row (if one is
/// named), with their case numbers.
pub fn reached_cases(
    conn: &mut DbConnection,
    reach: &crate::identity::RecordScope,
    ids: &[String],
    row: Option<&(common::statistics::Dimension, String)>,
) -> QueryResult<Vec<(String, String)>> {
    use common::statistics::{Dimension, UNRECORDED};
    let mut query = crate::cases::store::within(reach).filter(cases::id.eq_any(ids.to_vec()));
    if let Some((dimension, code)) = row {
        let code = code.clone();
        query = match dimension {
            Dimension::CaseType => query.filter(cases::case_type.eq(code)),
            Dimension::Unit => query.filter(
                cases::unit_id.eq_any(units::table.filter(units::kind.eq(code)).select(units::id)),
            ),
            Dimension::District if code == UNRECORDED => query.filter(
                cases::client_id.eq_any(
                    clients::table
                        .filter(clients::district.is_null())
                        .select(clients::id),
                ),
            ),
            Dimension::District => query.filter(
                cases::client_id.eq_any(
                    clients::table
                        .filter(clients::district.eq(code))
                        .select(clients::id),
                ),
            ),
            Dimension::CaseNature => query.filter(
                cases::id.eq_any(
                    case_nature_tags::table
                        .filter(case_nature_tags::nature_code.eq(code))
                        .select(case_nature_tags::case_id),
                ),
            ),
            _ => query,
        };
    }
    query.select((cases::id, cases::case_number)).load(conn)
}
