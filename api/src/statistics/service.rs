//! The statistics of a period: the store's aggregates read into figures by the rules of
//! `common::statistics`, the breakdowns named, and each centre held to its agreed levels.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use common::activities::{ActivityKind, HeadcountBand};
use common::assessments::Scale;
use common::case_plans::GoalStatus;
use common::cases::{CaseEventKind, CasePage, CaseState, CaseType};
use common::districts::District;
use common::enquiries::Channel;
use common::identity::{AnalyticsScope, Unit};
use common::outcomes::{change_on, pair, Change, Measure, Measured};
use common::statistics::{
    boundary_figure, event_figures, fixed_names, per_mille, standard_status, ActivityCounts,
    ActivityFigureRequest, ActivityRun, ActivityRunPage, AttendanceBreakdown, AttendanceRow,
    CaseBreakdown, CaseCounts, CaseFigure, CaseRow, CountRow, Dimension, EnquiryCounts,
    FigureRequest, HistoryStep, Indicator, Named, OutcomeCounts, Period, ScopeChoice,
    StandardProgress, Statistics, MODE_IN_PERSON, MODE_ONLINE, UNRECORDED,
};
use diesel::QueryResult;

use super::store;
use crate::assessments::catalogue;
use crate::assessments::store::{self as assessments, MeasureRow};
use crate::cases::store::Breakdown;
use crate::db::{self, stored_code, Connect, DbConnection, PartBudget};
use crate::error::ApiError;
use crate::identity::{Principal, RecordScope};

/// The centres a request covers: those it names, within those the user's roles may see in
/// aggregate. A centre or agency outside them is the parameter's 422, as if it did not exist.
pub fn centres_for(
    conn: &mut DbConnection,
    principal: &Principal,
    choice: &ScopeChoice,
) -> Result<Vec<String>, ApiError> {
    let scope = principal
        .roles
        .analytics_scope()
        .ok_or(ApiError::Forbidden)?;
    let visible = match scope {
        AnalyticsScope::Centre => store::centre_ids(
            conn,
            None,
            Some(principal.centre_id.as_deref().ok_or(ApiError::Forbidden)?),
        )?,
        AnalyticsScope::Agency => store::centre_ids(
            conn,
            Some(principal.agency_id.as_deref().ok_or(ApiError::Forbidden)?),
            None,
        )?,
        AnalyticsScope::All => store::centre_ids(conn, None, None)?,
    };
    let (field, chosen) = match choice {
        ScopeChoice::Everything => return Ok(visible),
        ScopeChoice::Centre(id) => ("centre_id", store::centre_ids(conn, None, Some(id))?),
        ScopeChoice::Agency(id) => ("agency_id", store::centre_ids(conn, Some(id), None)?),
    };
    let centres: Vec<String> = chosen.into_iter().filter(|c| visible.contains(c)).collect();
    if centres.is_empty() {
        return Err(ApiError::field(
            field,
            "unknown_scope",
            "No centre you may see statistics of is there",
        ));
    }
    Ok(centres)
}

/// What a period's aggregates add up to, by centre and by each breakdown's rows.
#[derive(Default)]
struct Tally {
    cases: BTreeMap<String, CaseCounts>,
    case_rows: BTreeMap<(Dimension, String), CaseCounts>,
    enquiries: BTreeMap<String, (i64, i64)>,
    channels: BTreeMap<String, i64>,
    activities: BTreeMap<(String, ActivityKind), ActivityCounts>,
    attendance: BTreeMap<(Dimension, String), AttendanceRow>,
    outcomes: BTreeMap<String, OutcomeCounts>,
}

fn case_type_code(code: &str) -> QueryResult<String> {
    stored_code(CaseType::parse, "cases.case_type", code).map(|t| t.as_str().to_owned())
}

fn district_code(district: Option<&str>) -> String {
    district.unwrap_or(UNRECORDED).to_owned()
}

impl Tally {
    fn count_case(
        &mut self,
        figure: CaseFigure,
        centre: &str,
        rows: &[(Dimension, String)],
        n: i64,
    ) {
        self.cases
            .entry(centre.to_owned())
            .or_default()
            .add(figure, n);
        self.case_rows
            .entry((Dimension::Centre, centre.to_owned()))
            .or_default()
            .add(figure, n);
        for row in rows {
            self.case_rows
                .entry(row.clone())
                .or_default()
                .add(figure, n);
        }
    }

    /// Counts in the row of each of a case's natures (`Breakdown::natures`).
    fn count_natures(&mut self, figure: CaseFigure, natures: &str, n: i64) {
        for code in Breakdown::natures_in(natures) {
            self.case_rows
                .entry((Dimension::CaseNature, code.to_owned()))
                .or_default()
                .add(figure, n);
        }
    }

    /// Adds a part's counts (`tally`) to these.
    fn absorb(&mut self, part: Tally) {
        for (centre, counts) in part.cases {
            self.cases.entry(centre).or_default().absorb(&counts);
        }
        for (row, counts) in part.case_rows {
            self.case_rows.entry(row).or_default().absorb(&counts);
        }
        for (centre, (received, minutes)) in part.enquiries {
            let mine = self.enquiries.entry(centre).or_default();
            mine.0 += received;
            mine.1 += minutes;
        }
        for (channel, received) in part.channels {
            *self.channels.entry(channel).or_default() += received;
        }
        for ((centre, kind), counts) in part.activities {
            self.activity(&centre, kind).absorb(&counts);
        }
        for ((dimension, code), row) in part.attendance {
            let mine = self.attendance_row(dimension, &code);
            mine.person_times += row.person_times;
            mine.headcount += row.headcount;
            mine.participants += row.participants;
        }
        for (centre, counts) in part.outcomes {
            self.outcomes.entry(centre).or_default().absorb(&counts);
        }
    }

    fn attendance_row(&mut self, dimension: Dimension, code: &str) -> &mut AttendanceRow {
        self.attendance
            .entry((dimension, code.to_owned()))
            .or_insert_with(|| AttendanceRow {
                name: Named {
                    code: code.to_owned(),
                    name_zh: String::new(),
                    name_en: String::new(),
                },
                person_times: 0,
                headcount: 0,
                participants: 0,
            })
    }

    fn activity(&mut self, centre: &str, kind: ActivityKind) -> &mut ActivityCounts {
        self.activities
            .entry((centre.to_owned(), kind))
            .or_insert(ActivityCounts {
                kind,
                run: 0,
                sessions_held: 0,
                person_times: 0,
                headcount: 0,
                participants: 0,
            })
    }
}

fn step<'a>(kind: &str, state: &str, centre: &'a str) -> QueryResult<HistoryStep<'a>> {
    Ok(HistoryStep {
        kind: stored_code(CaseEventKind::parse, "case_events.kind", kind)?,
        state: stored_code(CaseState::parse, "case_events.state", state)?,
        centre_id: centre,
    })
}

fn before<'a>(
    state: &Option<String>,
    centre: &'a Option<String>,
) -> QueryResult<Option<HistoryStep<'a>>> {
    match (state, centre) {
        // The kind of the event before does not decide anything; its state and centre do.
        (Some(state), Some(centre)) => step("registered", state, centre).map(Some),
        _ => Ok(None),
    }
}

fn activity_kind(code: &str) -> QueryResult<ActivityKind> {
    stored_code(ActivityKind::parse, "activities.kind", code)
}

fn unit_code(code: &str) -> QueryResult<&'static str> {
    stored_code(Unit::parse, "units.kind", code).map(Unit::as_str)
}

/// Counts a period over the centres in parts that read different tables or rows (cases
/// on the period's boundary days, the moves within it, activities, attendance, outcomes):
/// each part on a connection of its own, at once, then added up.
fn tally(
    connect: Connect,
    budget: &PartBudget,
    centres: &[String],
    period: &Period,
    now: NaiveDateTime,
) -> Result<Tally, ApiError> {
    type Part<'a> = Box<dyn FnOnce(&mut DbConnection) -> QueryResult<Tally> + Send + 'a>;
    let parts: [Part; 5] = [
        Box::new(|conn| count_attendance(conn, centres, period, now)),
        Box::new(|conn| count_moves(conn, centres, period)),
        Box::new(|conn| count_boundaries(conn, centres, period)),
        Box::new(|conn| count_outcomes(conn, centres, period)),
        Box::new(|conn| count_activities(conn, centres, period, now)),
    ];
    std::thread::scope(|scope| {
        let running: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    budget.spend(|| Ok::<_, ApiError>(db::large_read(&mut *connect()?, part)?))
                })
            })
            .collect();
        let mut tally = Tally::default();
        for part in running {
            let counted = part
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            tally.absorb(counted);
        }
        Ok(tally)
    })
}

fn count_boundaries(
    conn: &mut DbConnection,
    centres: &[String],
    period: &Period,
) -> QueryResult<Tally> {
    let mut tally = Tally::default();
    for (day, at_start) in [
        (period.from.pred_opt().expect("a day"), true),
        (period.until, false),
    ] {
        let in_force = store::in_force(conn, centres, day)?;
        let mut sums = CaseSums::default();
        for row in &in_force {
            let state = stored_code(CaseState::parse, "case_events.state", &row.state)?;
            if let Some(figure) = boundary_figure(state, at_start) {
                sums.add(
                    figure,
                    CaseOf {
                        centre: &row.centre_id,
                        case_type: &row.case_type,
                        unit: &row.unit,
                        district: row.district.as_deref(),
                        natures: &row.natures,
                    },
                    row.cases,
                );
            }
        }
        tally.absorb(sums.counted()?);
    }
    Ok(tally)
}

fn count_moves(conn: &mut DbConnection, centres: &[String], period: &Period) -> QueryResult<Tally> {
    let in_scope = |centre: &str| centres.iter().any(|c| c == centre);
    let moved = store::moved(conn, centres, period.from, period.until)?;
    let mut sums = CaseSums::default();
    for row in &moved {
        let event = step(&row.kind, &row.state, &row.centre_id)?;
        let earlier = before(&row.before_state, &row.before_centre_id)?;
        for (figure, centre) in event_figures(&event, earlier.as_ref()) {
            if in_scope(centre) {
                sums.add(
                    figure,
                    CaseOf {
                        centre,
                        case_type: &row.case_type,
                        unit: &row.unit,
                        district: row.district.as_deref(),
                        natures: &row.natures,
                    },
                    row.events,
                );
            }
        }
    }
    sums.counted()
}

/// Where a group of events or of cases in force counts, and what it is broken down by.
struct CaseOf<'a> {
    centre: &'a str,
    case_type: &'a str,
    unit: &'a str,
    district: Option<&'a str>,
    natures: &'a str,
}

/// Case counts summed by borrowed keys first: the events and the cases in force come in
/// tens of thousands of groups (natures make many), and the tally's keys are then made
/// once a key instead of once a group.
#[derive(Default)]
struct CaseSums<'a> {
    by_breakdown: HashMap<(CaseFigure, &'a str, &'a str, &'a str, Option<&'a str>), i64>,
    by_natures: HashMap<(CaseFigure, &'a str), i64>,
}

impl<'a> CaseSums<'a> {
    fn add(&mut self, figure: CaseFigure, case: CaseOf<'a>, n: i64) {
        *self
            .by_breakdown
            .entry((
                figure,
                case.centre,
                case.case_type,
                case.unit,
                case.district,
            ))
            .or_default() += n;
        *self.by_natures.entry((figure, case.natures)).or_default() += n;
    }

    fn counted(self) -> QueryResult<Tally> {
        let mut tally = Tally::default();
        for ((figure, centre, case_type, unit, district), n) in self.by_breakdown {
            let rows = [
                (Dimension::CaseType, case_type_code(case_type)?),
                (Dimension::Unit, unit_code(unit)?.to_owned()),
                (Dimension::District, district_code(district)),
            ];
            tally.count_case(figure, centre, &rows, n);
        }
        for ((figure, natures), n) in self.by_natures {
            tally.count_natures(figure, natures, n);
        }
        Ok(tally)
    }
}

fn count_activities(
    conn: &mut DbConnection,
    centres: &[String],
    period: &Period,
    now: NaiveDateTime,
) -> QueryResult<Tally> {
    let mut tally = Tally::default();
    for row in store::enquiries(conn, centres, period.from, period.until)? {
        let entry = tally.enquiries.entry(row.centre_id).or_default();
        entry.0 += row.received;
        entry.1 += row.minutes.unwrap_or(0);
        let channel = stored_code(Channel::parse, "enquiries.channel", &row.channel)?;
        *tally
            .channels
            .entry(channel.as_str().to_owned())
            .or_default() += row.received;
    }

    for row in store::sessions_held(conn, centres, period.from, period.until, now)? {
        let counts = tally.activity(&row.centre_id, activity_kind(&row.kind)?);
        counts.run += row.activities;
        counts.sessions_held += row.sessions;
    }
    for row in store::session_headcount(conn, centres, period.from, period.until, now)? {
        let count = row.count.unwrap_or(0);
        tally
            .activity(&row.centre_id, activity_kind(&row.kind)?)
            .headcount += count;
        for (dimension, code) in [
            (Dimension::AgeBand, band_code(&row.age_band)?),
            (Dimension::Unit, unit_code(&row.unit)?),
            (Dimension::Mode, store::mode(row.online)),
        ] {
            tally.attendance_row(dimension, code).headcount += count;
        }
    }
    for row in store::event_headcount(conn, centres, period.from, period.until, now)? {
        let count = row.count.unwrap_or(0);
        tally
            .activity(&row.centre_id, ActivityKind::CommunityEvent)
            .headcount += count;
        for (dimension, code) in [
            (Dimension::AgeBand, band_code(&row.age_band)?),
            (Dimension::Unit, unit_code(&row.unit)?),
            (Dimension::Mode, MODE_IN_PERSON),
        ] {
            tally.attendance_row(dimension, code).headcount += count;
        }
    }
    Ok(tally)
}

fn count_attendance(
    conn: &mut DbConnection,
    centres: &[String],
    period: &Period,
    now: NaiveDateTime,
) -> QueryResult<Tally> {
    let mut tally = Tally::default();
    // Ages are taken on the first day of the financial year, so that a person keeps one
    // band through the year's months and quarters.
    let aged_on = period.year_to_date().from;
    let attended = store::attended(conn, centres, period.from, period.until, now, aged_on)?;
    // A year's marks make a hundred thousand rows and more: each person is numbered, and
    // each row of a breakdown keeps its sum and its people as a set of bits by number,
    // under a borrowed key, then is added to the tally once.
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let mut by_row: HashMap<(Dimension, &'static str), (i64, People)> = HashMap::new();
    let mut by_kind: HashMap<(&str, ActivityKind), (i64, People)> = HashMap::new();
    for row in &attended {
        let kind = activity_kind(&row.kind)?;
        let next = numbers.len() as u32;
        let person = *numbers.entry(row.client_id.as_str()).or_insert(next);
        let (times, people) = by_kind.entry((row.centre_id.as_str(), kind)).or_default();
        *times += row.person_times;
        people.insert(person);
        for (dimension, code) in [
            (Dimension::AgeBand, band_code(&row.age_band)?),
            (Dimension::Unit, unit_code(&row.unit)?),
            (Dimension::Mode, store::mode(row.online)),
        ] {
            let (times, people) = by_row.entry((dimension, code)).or_default();
            *times += row.person_times;
            people.insert(person);
        }
    }
    for ((dimension, code), (person_times, people)) in by_row {
        let row = tally.attendance_row(dimension, code);
        row.person_times += person_times;
        row.participants += people.count();
    }
    for ((centre, kind), (person_times, people)) in by_kind {
        let counts = tally.activity(centre, kind);
        counts.person_times += person_times;
        counts.participants += people.count();
    }
    Ok(tally)
}

/// People by number, each counted once.
#[derive(Default)]
struct People(Vec<u64>);

impl People {
    fn insert(&mut self, person: u32) {
        let word = person as usize / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (person % 64);
    }

    fn count(&self) -> i64 {
        self.0.iter().map(|word| i64::from(word.count_ones())).sum()
    }
}

fn count_outcomes(
    conn: &mut DbConnection,
    centres: &[String],
    period: &Period,
) -> QueryResult<Tally> {
    let mut tally = Tally::default();
    for (centre, status, goals) in
        store::goals_at_closure(conn, centres, period.from, period.until)?
    {
        let outcome = tally.outcomes.entry(centre).or_default();
        match stored_code(GoalStatus::parse, "case_goals.status", &status)? {
            GoalStatus::Discontinued => {}
            GoalStatus::Achieved => {
                outcome.goals_set += goals;
                outcome.goals_achieved += goals;
            }
            GoalStatus::PartlyAchieved => {
                outcome.goals_set += goals;
                outcome.goals_partly_achieved += goals;
            }
            _ => outcome.goals_set += goals,
        }
    }
    let days = (period.from, period.until);
    for code in assessments::measured_after_service(conn, centres, days)? {
        let Some(instrument) = catalogue::latest(conn, &code)? else {
            continue;
        };
        let Some(scale) = instrument.scales.first() else {
            continue;
        };
        let measures = assessments::paired_measures(conn, centres, &code, &scale.code, days)?;
        for (centre, change) in pre_post_changes(&measures, scale, period) {
            let outcome = tally.outcomes.entry(centre.to_owned()).or_default();
            outcome.measured += 1;
            match change {
                Change::Improved => outcome.improved += 1,
                Change::Unchanged => outcome.unchanged += 1,
                Change::Worsened => outcome.worsened += 1,
            }
        }
    }
    Ok(tally)
}

fn band_code(code: &str) -> QueryResult<&'static str> {
    stored_code(HeadcountBand::parse, "age band", code).map(HeadcountBand::as_str)
}

/// Each client's change on an instrument over the period, by a scale (its first) and the
/// scale's rule of change (`common::outcomes`, the same reading as the outcomes page):
/// their post-service measure in the period (the last, if several) against their latest
/// pre-service measure before it, within the same case or group; a client measured within
/// several is counted once, by the pair whose post-service measure came last. Measures
/// without a score on the scale are passed over; a pair the rule cannot judge (no band on
/// a side) is not counted. Answers each change with the centre of its post-service measure.
fn pre_post_changes<'a>(
    measures: &'a [MeasureRow],
    scale: &Scale,
    period: &Period,
) -> Vec<(&'a str, Change)> {
    let scored = |row: &MeasureRow| {
        Some(Measured {
            score: row.score_milli? as f64 / 1000.0,
            severity: row.severity.and_then(|s| u8::try_from(s).ok()),
        })
    };
    // Carried with each measure: its row, score and place in the order taken.
    let measures: Vec<Measure<(&MeasureRow, Measured, usize)>> = measures
        .iter()
        .enumerate()
        .filter_map(|(place, row)| {
            let within = (row.case_id.as_deref(), row.activity_id.as_deref());
            let carried = (row, scored(row)?, place);
            Measure::of(
                &row.client_id,
                within,
                &row.stage,
                row.administered_on,
                carried,
            )
        })
        .collect();
    let mut latest: BTreeMap<&str, (Measured, Measured, &str, usize)> = BTreeMap::new();
    for (pre, post) in pair(&measures, Some(period.from), Some(period.until)) {
        let (row, after, place) = post.carried;
        if latest
            .get(row.client_id.as_str())
            .is_none_or(|kept| kept.3 < place)
        {
            latest.insert(
                &row.client_id,
                (pre.carried.1, after, &row.centre_id, place),
            );
        }
    }
    latest
        .into_values()
        .filter_map(|(before, after, centre, _)| Some((centre, change_on(scale, before, after)?)))
        .collect()
}

/// The named rows of a dimension, in the order its codes are listed.
fn ordered_codes(
    dimension: Dimension,
    centres: &[Named],
    natures: &[(String, String, String)],
) -> Vec<Named> {
    let fixed = |codes: Vec<&str>| {
        codes
            .into_iter()
            .chain([UNRECORDED])
            .filter_map(|code| {
                fixed_names(dimension, code).map(|(zh, en)| Named {
                    code: code.to_owned(),
                    name_zh: zh.to_owned(),
                    name_en: en.to_owned(),
                })
            })
            .collect::<Vec<_>>()
    };
    match dimension {
        Dimension::Centre => centres.to_vec(),
        Dimension::CaseNature => natures
            .iter()
            .map(|(code, zh, en)| Named {
                code: code.clone(),
                name_zh: zh.clone(),
                name_en: en.clone(),
            })
            .collect(),
        Dimension::CaseType => fixed(CaseType::ALL.iter().map(|t| t.as_str()).collect()),
        Dimension::Unit => fixed(Unit::ALL.iter().map(|u| u.as_str()).collect()),
        Dimension::District => fixed(District::ALL.iter().map(|d| d.code()).collect()),
        Dimension::AgeBand => fixed(HeadcountBand::ALL.iter().map(|b| b.as_str()).collect()),
        Dimension::Mode => fixed(vec![MODE_IN_PERSON, MODE_ONLINE]),
        Dimension::Channel => fixed(Channel::ALL.iter().map(|c| c.as_str()).collect()),
    }
}

/// One centre's value of an indicator: a count, or a percentage in thousandths.
fn indicator_value(tally: &Tally, centre: &str, indicator: Indicator) -> Option<i64> {
    let cases = tally.cases.get(centre).copied().unwrap_or_default();
    let activity = |kind| tally.activities.get(&(centre.to_owned(), kind)).cloned();
    let outcome = tally.outcomes.get(centre).copied().unwrap_or_default();
    Some(match indicator {
        Indicator::CasesServed => cases.served(),
        Indicator::NewCases => cases.new,
        Indicator::Groups => activity(ActivityKind::Group).map_or(0, |a| a.run),
        Indicator::Programmes => activity(ActivityKind::Programme).map_or(0, |a| a.run),
        Indicator::CommunityEvents => activity(ActivityKind::CommunityEvent).map_or(0, |a| a.run),
        Indicator::GroupSessions => activity(ActivityKind::Group).map_or(0, |a| a.sessions_held),
        Indicator::Attendance => ActivityKind::ALL
            .iter()
            .filter_map(|kind| activity(*kind))
            .map(|a| a.person_times + a.headcount)
            .sum(),
        Indicator::Enquiries => tally.enquiries.get(centre).map_or(0, |e| e.0),
        Indicator::GoalsAchievedPercent => {
            return per_mille(outcome.goals_achieved, outcome.goals_set)
        }
        Indicator::ImprovedPercent => return per_mille(outcome.improved, outcome.measured),
    })
}

/// The statistics of a period over the centres, each centre held to its agreed levels for
/// the year to date.
pub fn statistics(
    connect: Connect,
    budget: &PartBudget,
    centres: &[String],
    period: Period,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<Statistics, ApiError> {
    let tally_now = tally(connect, budget, centres, &period, now)?;
    let year_to_date = if period.is_whole_year() {
        None
    } else {
        Some(tally(
            connect,
            budget,
            centres,
            &period.year_to_date(),
            now,
        )?)
    };
    let mut pooled = connect()?;
    let conn = &mut *pooled;
    let ytd = year_to_date.as_ref().unwrap_or(&tally_now);

    let named_centres: Vec<Named> = store::centres_named(conn, centres)?
        .into_iter()
        .map(|(id, code, zh, en)| Named {
            code: id,
            name_zh: format!("{code} {zh}"),
            name_en: format!("{code} {en}"),
        })
        .collect();
    let natures = store::nature_names(conn)?;

    let mut cases = CaseCounts::default();
    for counts in tally_now.cases.values() {
        cases.absorb(counts);
    }
    let case_breakdowns = [
        Dimension::Centre,
        Dimension::CaseType,
        Dimension::CaseNature,
        Dimension::Unit,
        Dimension::District,
    ]
    .into_iter()
    .map(|dimension| CaseBreakdown {
        dimension,
        rows: ordered_codes(dimension, &named_centres, &natures)
            .into_iter()
            .map(|name| CaseRow {
                cases: tally_now
                    .case_rows
                    .get(&(dimension, name.code.clone()))
                    .copied()
                    .unwrap_or_default(),
                name,
            })
            .collect(),
    })
    .collect();

    let enquiries = EnquiryCounts {
        received: tally_now.enquiries.values().map(|e| e.0).sum(),
        minutes_spent: tally_now.enquiries.values().map(|e| e.1).sum(),
        by_channel: ordered_codes(Dimension::Channel, &named_centres, &natures)
            .into_iter()
            .filter(|name| name.code != UNRECORDED)
            .map(|name| CountRow {
                count: tally_now.channels.get(&name.code).copied().unwrap_or(0),
                name,
            })
            .collect(),
    };
    let activities = ActivityKind::ALL
        .iter()
        .map(|kind| {
            let mut total = ActivityCounts {
                kind: *kind,
                run: 0,
                sessions_held: 0,
                person_times: 0,
                headcount: 0,
                participants: 0,
            };
            for ((_, k), counts) in &tally_now.activities {
                if k == kind {
                    total.absorb(counts);
                }
            }
            total
        })
        .collect();
    let attendance = [Dimension::AgeBand, Dimension::Unit, Dimension::Mode]
        .into_iter()
        .map(|dimension| AttendanceBreakdown {
            dimension,
            rows: ordered_codes(dimension, &named_centres, &natures)
                .into_iter()
                .filter(|name| name.code != UNRECORDED)
                .map(|name| {
                    let found = tally_now.attendance.get(&(dimension, name.code.clone()));
                    AttendanceRow {
                        person_times: found.map_or(0, |r| r.person_times),
                        headcount: found.map_or(0, |r| r.headcount),
                        participants: found.map_or(0, |r| r.participants),
                        name,
                    }
                })
                .collect(),
        })
        .collect();
    let mut outcomes = OutcomeCounts::default();
    for counts in tally_now.outcomes.values() {
        outcomes.absorb(counts);
    }

    let levels = store::levels(conn, centres, period.financial_year)?;
    let year = Period::year(period.financial_year);
    let days_in_year = (year.until - year.from).num_days() + 1;
    let days_gone = ((period.until.min(today) - year.from).num_days() + 1).clamp(0, days_in_year);
    let mut standards = Vec::new();
    for centre in centres {
        for indicator in Indicator::ALL {
            let agreed_level = levels
                .iter()
                .find(|l| &l.centre_id == centre && l.indicator == indicator.as_str())
                .map(|l| l.level);
            let year_to_date = indicator_value(ytd, centre, *indicator);
            standards.push(StandardProgress {
                centre_id: centre.clone(),
                indicator: *indicator,
                agreed_level,
                year_to_date,
                status: standard_status(
                    *indicator,
                    agreed_level,
                    year_to_date,
                    days_gone,
                    days_in_year,
                ),
            });
        }
    }

    Ok(Statistics {
        period_zh: period.label_zh(),
        period_en: period.label_en(),
        period,
        centres: named_centres,
        cases,
        case_breakdowns,
        enquiries,
        activities,
        attendance,
        outcomes,
        standards,
    })
}

/// The cases behind a case figure (and a row of its breakdown), as far as the user's
/// record reach allows: one page, by case number.
pub fn figure_cases(
    conn: &mut DbConnection,
    reach: &RecordScope,
    centres: &[String],
    request: &FigureRequest,
) -> QueryResult<CasePage> {
    let period = &request.period;
    let mut ids: Vec<String> = match request.figure {
        CaseFigure::BroughtForward => store::cases_in_force(
            conn,
            centres,
            period.from.pred_opt().expect("a day"),
            CaseState::Open.as_str(),
        )?,
        CaseFigure::ActiveAtEnd => {
            store::cases_in_force(conn, centres, period.until, CaseState::Open.as_str())?
        }
        CaseFigure::WaitingAtEnd => {
            store::cases_in_force(conn, centres, period.until, CaseState::Waiting.as_str())?
        }
        figure => {
            let mut ids = Vec::new();
            for row in store::moved_cases(conn, centres, period.from, period.until)? {
                let event = step(&row.kind, &row.state, &row.centre_id)?;
                let earlier = before(&row.before_state, &row.before_centre_id)?;
                if event_figures(&event, earlier.as_ref())
                    .iter()
                    .any(|(f, centre)| *f == figure && centres.iter().any(|c| c == centre))
                {
                    ids.push(row.case_id);
                }
            }
            ids
        }
    };
    ids.sort();
    ids.dedup();
    let mut reached = Vec::new();
    for chunk in ids.chunks(10_000) {
        reached.extend(store::reached_cases(
            conn,
            reach,
            chunk,
            request.row.as_ref(),
        )?);
    }
    reached.sort_by(|a, b| a.1.cmp(&b.1));
    let per_page = common::paging::PER_PAGE_DEFAULT;
    let total = reached.len() as i64;
    let page: Vec<&str> = reached
        .iter()
        .skip(((request.page - 1) * per_page) as usize)
        .take(per_page as usize)
        .map(|(id, _)| id.as_str())
        .collect();
    let rows = crate::cases::store::by_ids(conn, reach, &page)?;
    let ordered = page
        .iter()
        .filter_map(|id| rows.get(*id).cloned())
        .collect();
    Ok(CasePage {
        items: crate::cases::store::summaries(conn, ordered)?,
        total,
        page: request.page,
        per_page,
    })
}

/// The activities behind what was run of a kind, those the user reaches, by centre and
/// title, each with its sessions held and person-times in the period.
pub fn figure_activities(
    conn: &mut DbConnection,
    reach: &RecordScope,
    centres: &[String],
    request: &ActivityFigureRequest,
    now: NaiveDateTime,
) -> QueryResult<ActivityRunPage> {
    let period = &request.period;
    let held: HashMap<String, i64> = store::activities_run(
        conn,
        centres,
        request.kind.as_str(),
        period.from,
        period.until,
        now,
    )?
    .into_iter()
    .collect();
    let ids: Vec<&str> = held.keys().map(String::as_str).collect();
    let mut reached = Vec::new();
    for chunk in ids.chunks(10_000) {
        reached.extend(crate::activities::store::reached_titles(
            conn, reach, chunk,
        )?);
    }
    let named: HashMap<String, (String, String, String)> = store::centres_named(conn, centres)?
        .into_iter()
        .map(|(id, code, zh, en)| (id, (code, zh, en)))
        .collect();
    let centre_code = |id: &str| named.get(id).map(|(code, _, _)| code.as_str());
    reached.sort_by(|a, b| (centre_code(&a.1), &a.3, &a.0).cmp(&(centre_code(&b.1), &b.3, &b.0)));
    let total = reached.len() as i64;
    let page: Vec<(String, String, String, String)> = reached
        .into_iter()
        .skip(((request.page - 1) * request.per_page) as usize)
        .take(request.per_page as usize)
        .collect();
    let page_ids: Vec<&str> = page.iter().map(|(id, ..)| id.as_str()).collect();
    let person_times: HashMap<String, i64> =
        store::person_times_of(conn, &page_ids, period.from, period.until, now)?
            .into_iter()
            .collect();
    let items = page
        .into_iter()
        .map(|(id, centre_id, title_zh, title_en)| {
            let (code, zh, en) = named
                .get(&centre_id)
                .ok_or_else(|| crate::db::unreadable("activities.centre_id", &centre_id))?;
            Ok(ActivityRun {
                sessions_held: held.get(&id).copied().unwrap_or(0),
                person_times: person_times.get(&id).copied().unwrap_or(0),
                centre: Named {
                    name_zh: format!("{code} {zh}"),
                    name_en: format!("{code} {en}"),
                    code: centre_id,
                },
                id,
                title_zh,
                title_en,
            })
        })
        .collect::<QueryResult<_>>()?;
    Ok(ActivityRunPage {
        items,
        total,
        page: request.page,
        per_page: request.per_page,
    })
}
