//! Statutory statistics: the period asked for, what each figure counts and how a case's
//! history is read into figures, and the levels a centre agreed with SWD for a year.
//! The API counts with these rules and the web app names the figures with them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::activities::{ActivityKind, HeadcountBand};
use crate::cases::{CaseEventKind, CaseState, CaseType};
use crate::districts::District;
use crate::enquiries::Channel;
use crate::error::ValidationErrors;
use crate::identity::Unit;
use crate::stored_codes;

/// The first financial year statistics can be asked for.
pub const FIRST_YEAR: i32 = 2000;

stored_codes! {
    /// How long a reporting period is.
    pub enum PeriodKind {
        Month = "month",
        Quarter = "quarter",
        Year = "year",
    }
}

/// A reporting period within a financial year (1 April to 31 March), both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Period {
    pub kind: PeriodKind,
    /// The calendar year the financial year starts in: 2021 is 2021-22.
    pub financial_year: i32,
    /// The quarter (1 to 4, April to June first) or the calendar month (1 to 12); 0 for a
    /// whole year.
    pub number: u32,
    pub from: NaiveDate,
    pub until: NaiveDate,
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a day of the calendar")
}

fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    day(y, m, 1).pred_opt().expect("a day before")
}

/// The financial year a day falls in, by the year it starts.
pub fn financial_year_of(on: NaiveDate) -> i32 {
    if on.month() >= 4 {
        on.year()
    } else {
        on.year() - 1
    }
}

/// The first day of the financial year a day falls in.
pub fn year_start(on: NaiveDate) -> NaiveDate {
    day(financial_year_of(on), 4, 1)
}

/// The calendar year of a month of a financial year.
fn year_of_month(financial_year: i32, month: u32) -> i32 {
    if month >= 4 {
        financial_year
    } else {
        financial_year + 1
    }
}

const MONTHS_ZH: [&str; 12] = [
    "1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const QUARTERS_ZH: [&str; 4] = ["第一季", "第二季", "第三季", "第四季"];

impl Period {
    pub fn year(financial_year: i32) -> Period {
        Period {
            kind: PeriodKind::Year,
            financial_year,
            number: 0,
            from: day(financial_year, 4, 1),
            until: day(financial_year + 1, 3, 31),
        }
    }

    pub fn quarter(financial_year: i32, quarter: u32) -> Period {
        let first = 4 + 3 * (quarter - 1);
        let (start_month, end_month) = ((first - 1) % 12 + 1, (first + 1) % 12 + 1);
        Period {
            kind: PeriodKind::Quarter,
            financial_year,
            number: quarter,
            from: day(year_of_month(financial_year, start_month), start_month, 1),
            until: month_end(year_of_month(financial_year, end_month), end_month),
        }
    }

    pub fn month(financial_year: i32, month: u32) -> Period {
        let year = year_of_month(financial_year, month);
        Period {
            kind: PeriodKind::Month,
            financial_year,
            number: month,
            from: day(year, month, 1),
            until: month_end(year, month),
        }
    }

    /// From the financial year's first day to the period's last: what is measured against
    /// the year's agreed levels.
    pub fn year_to_date(&self) -> Period {
        Period {
            from: day(self.financial_year, 4, 1),
            ..*self
        }
    }

    pub fn is_whole_year(&self) -> bool {
        self.kind == PeriodKind::Year
    }

    /// The year as SWD writes it: 2021-22.
    pub fn year_label(&self) -> String {
        format!(
            "{}-{:02}",
            self.financial_year,
            (self.financial_year + 1).rem_euclid(100)
        )
    }

    pub fn label_en(&self) -> String {
        let span = |from: NaiveDate, until: NaiveDate| {
            format!(
                "{} to {} {}",
                MONTHS_EN[from.month0() as usize],
                MONTHS_EN[until.month0() as usize],
                until.year()
            )
        };
        match self.kind {
            PeriodKind::Year => self.year_label(),
            PeriodKind::Quarter => format!(
                "{} Q{} ({})",
                self.year_label(),
                self.number,
                span(self.from, self.until)
            ),
            PeriodKind::Month => format!(
                "{} {}",
                MONTHS_EN[self.from.month0() as usize],
                self.from.year()
            ),
        }
    }

    pub fn label_zh(&self) -> String {
        match self.kind {
            PeriodKind::Year => format!("{}年度", self.year_label()),
            PeriodKind::Quarter => format!(
                "{}年度{}（{}年{}至{}年{}）",
                self.year_label(),
                QUARTERS_ZH[self.number as usize - 1],
                self.from.year(),
                MONTHS_ZH[self.from.month0() as usize],
                self.until.year(),
                MONTHS_ZH[self.until.month0() as usize]
            ),
            PeriodKind::Month => {
                format!(
                    "{}年{}",
                    self.from.year(),
                    MONTHS_ZH[self.from.month0() as usize]
                )
            }
        }
    }
}

/// Whose statistics: one centre, one agency's centres, or every centre the user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeChoice {
    Centre(String),
    Agency(String),
    Everything,
}

/// What a statistics request asks for: a financial year, and within it a quarter or a
/// month (not both); a centre or an agency (not both), or every centre the user may see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct StatisticsQuery {
    /// The calendar year the financial year starts in: 2021 for 2021-22.
    pub year: Option<i32>,
    pub quarter: Option<u32>,
    /// A calendar month, 1 to 12, of the financial year.
    pub month: Option<u32>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub centre_id: Option<String>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub agency_id: Option<String>,
}

impl StatisticsQuery {
    /// The period and scope, or every problem named by its parameter. `this_year` is the
    /// present financial year: nothing later can be counted.
    pub fn parse(&self, this_year: i32) -> Result<(Period, ScopeChoice), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let year = match self.year {
            None => {
                errors.add("year", "required", "Choose a financial year");
                None
            }
            Some(year) if !(FIRST_YEAR..=this_year).contains(&year) => {
                errors.add(
                    "year",
                    "out_of_range",
                    format!("The financial year must be from {FIRST_YEAR} to {this_year}"),
                );
                None
            }
            Some(year) => Some(year),
        };
        if self.quarter.is_some() && self.month.is_some() {
            errors.add(
                "month",
                "quarter_and_month",
                "Choose a quarter or a month, not both",
            );
        }
        if let Some(q) = self.quarter.filter(|q| !(1..=4).contains(q)) {
            errors.add(
                "quarter",
                "out_of_range",
                format!("There is no quarter {q}"),
            );
        }
        if let Some(m) = self.month.filter(|m| !(1..=12).contains(m)) {
            errors.add("month", "out_of_range", format!("There is no month {m}"));
        }
        if self.centre_id.is_some() && self.agency_id.is_some() {
            errors.add(
                "agency_id",
                "centre_and_agency",
                "Choose a centre or an agency, not both",
            );
        }
        let scope = match (&self.centre_id, &self.agency_id) {
            (Some(centre), _) => ScopeChoice::Centre(centre.clone()),
            (None, Some(agency)) => ScopeChoice::Agency(agency.clone()),
            (None, None) => ScopeChoice::Everything,
        };
        errors.into_result(|| {
            let year = year.expect("a valid year");
            let period = match (self.quarter, self.month) {
                (Some(q), _) => Period::quarter(year, q),
                (_, Some(m)) => Period::month(year, m),
                _ => Period::year(year),
            };
            (period, scope)
        })
    }
}

stored_codes! {
    /// What a case figure counts. A case is active while open; waiting-list cases are
    /// counted apart and are not yet served.
    pub enum CaseFigure {
        /// Open on the day before the period, at the centre.
        BroughtForward = "brought_forward",
        /// Opened for the first time within the period: registered open, or taken up from an
        /// enquiry or the waiting list.
        New = "new",
        /// Opened again after closing: never counted as new.
        Reactivated = "reactivated",
        /// Open cases received from another centre.
        TransferredIn = "transferred_in",
        /// Open cases handed to another centre.
        TransferredOut = "transferred_out",
        /// Closed after being open (a case closed from the waiting list was never served).
        Closed = "closed",
        /// Open on the period's last day.
        ActiveAtEnd = "active_at_end",
        /// On the waiting list on the period's last day.
        WaitingAtEnd = "waiting_at_end",
    }
}

/// A case's state as its history has it on a day: the state of its last event effective on
/// or before it, and the centre that had it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStep<'a> {
    pub kind: CaseEventKind,
    pub state: CaseState,
    pub centre_id: &'a str,
}

/// What one event of a case's history counts as, and at which centre, given the event
/// before it. The one reading of a history into period figures, for counting and for the
/// list of cases behind a figure alike.
pub fn event_figures<'a>(
    event: &HistoryStep<'a>,
    before: Option<&HistoryStep<'a>>,
) -> Vec<(CaseFigure, &'a str)> {
    let was_open = before.is_some_and(|b| b.state == CaseState::Open);
    match event.kind {
        // A case registered straight into service is new as much as one taken up later.
        CaseEventKind::Registered if event.state == CaseState::Open => {
            vec![(CaseFigure::New, event.centre_id)]
        }
        CaseEventKind::Opened => vec![(CaseFigure::New, event.centre_id)],
        CaseEventKind::Reactivated => vec![(CaseFigure::Reactivated, event.centre_id)],
        CaseEventKind::Closed if was_open => vec![(CaseFigure::Closed, event.centre_id)],
        CaseEventKind::Transferred if event.state == CaseState::Open => match before {
            Some(b) if b.centre_id != event.centre_id => vec![
                (CaseFigure::TransferredOut, b.centre_id),
                (CaseFigure::TransferredIn, event.centre_id),
            ],
            _ => vec![],
        },
        _ => vec![],
    }
}

/// The figure a case in force on a boundary day counts in: open the day before the period
/// is brought forward; on its last day, open is active and waiting is waiting.
pub fn boundary_figure(state: CaseState, at_start: bool) -> Option<CaseFigure> {
    match (state, at_start) {
        (CaseState::Open, true) => Some(CaseFigure::BroughtForward),
        (CaseState::Open, false) => Some(CaseFigure::ActiveAtEnd),
        (CaseState::Waiting, false) => Some(CaseFigure::WaitingAtEnd),
        _ => None,
    }
}

/// The case figures of a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseCounts {
    pub brought_forward: i64,
    pub new: i64,
    pub reactivated: i64,
    pub transferred_in: i64,
    pub transferred_out: i64,
    pub closed: i64,
    pub active_at_end: i64,
    pub waiting_at_end: i64,
}

impl CaseCounts {
    pub fn get(&self, figure: CaseFigure) -> i64 {
        *self.field(figure)
    }

    pub fn add(&mut self, figure: CaseFigure, n: i64) {
        *self.field_mut(figure) += n;
    }

    fn field(&self, figure: CaseFigure) -> &i64 {
        match figure {
            CaseFigure::BroughtForward => &self.brought_forward,
            CaseFigure::New => &self.new,
            CaseFigure::Reactivated => &self.reactivated,
            CaseFigure::TransferredIn => &self.transferred_in,
            CaseFigure::TransferredOut => &self.transferred_out,
            CaseFigure::Closed => &self.closed,
            CaseFigure::ActiveAtEnd => &self.active_at_end,
            CaseFigure::WaitingAtEnd => &self.waiting_at_end,
        }
    }

    fn field_mut(&mut self, figure: CaseFigure) -> &mut i64 {
        match figure {
            CaseFigure::BroughtForward => &mut self.brought_forward,
            CaseFigure::New => &mut self.new,
            CaseFigure::Reactivated => &mut self.reactivated,
            CaseFigure::TransferredIn => &mut self.transferred_in,
            CaseFigure::TransferredOut => &mut self.transferred_out,
            CaseFigure::Closed => &mut self.closed,
            CaseFigure::ActiveAtEnd => &mut self.active_at_end,
            CaseFigure::WaitingAtEnd => &mut self.waiting_at_end,
        }
    }

    /// Cases served: active brought forward, new, reactivated and received by transfer.
    pub fn served(&self) -> i64 {
        self.brought_forward + self.new + self.reactivated + self.transferred_in
    }

    pub fn absorb(&mut self, other: &CaseCounts) {
        for figure in CaseFigure::ALL {
            self.add(*figure, other.get(*figure));
        }
    }
}

stored_codes! {
    /// What a breakdown of figures is by.
    pub enum Dimension {
        Centre = "centre",
        CaseType = "case_type",
        /// A case has several natures: its rows add up to more than the cases.
        CaseNature = "case_nature",
        Unit = "unit",
        /// The district the client lives in.
        District = "district",
        AgeBand = "age_band",
        Mode = "mode",
        Channel = "channel",
    }
}

/// The code of a row for what was not recorded (a client's district, a date of birth).
pub const UNRECORDED: &str = "unrecorded";

/// The names of a fixed code of a dimension, Chinese then English; centres and case natures
/// are named by their own tables.
pub fn fixed_names(dimension: Dimension, code: &str) -> Option<(&'static str, &'static str)> {
    if code == UNRECORDED {
        return Some(("未有記錄", "Not recorded"));
    }
    match dimension {
        Dimension::CaseType => CaseType::parse(code).map(|t| match t {
            CaseType::BriefSupportive => ("簡要和支援性", "Brief and supportive"),
            CaseType::InDepthCounselling => ("深入的輔導", "In-depth counselling"),
        }),
        Dimension::Unit => Unit::parse(code).map(|u| match u {
            Unit::FamilyResource => ("家庭資源組", "Family Resource Unit"),
            Unit::FamilySupport => ("家庭支援組", "Family Support Unit"),
            Unit::FamilyCounselling => ("家庭輔導組", "Family Counselling Unit"),
        }),
        Dimension::District => District::from_code(code).map(|d| (d.name_zh(), d.name_en())),
        Dimension::AgeBand => HeadcountBand::parse(code).map(|b| match b {
            HeadcountBand::Age0To5 => ("0至5歲", "Aged 0 to 5"),
            HeadcountBand::Age6To12 => ("6至12歲", "Aged 6 to 12"),
            HeadcountBand::Age13To17 => ("13至17歲", "Aged 13 to 17"),
            HeadcountBand::Age18To64 => ("18至64歲", "Aged 18 to 64"),
            HeadcountBand::Age65Plus => ("65歲或以上", "Aged 65 or over"),
        }),
        Dimension::Mode => match code {
            MODE_IN_PERSON => Some(("親身出席", "In person")),
            MODE_ONLINE => Some(("網上", "Online")),
            _ => None,
        },
        Dimension::Channel => Channel::parse(code).map(|c| match c {
            Channel::WalkIn => ("親臨", "Walk-in"),
            Channel::Phone => ("電話", "Phone"),
            Channel::Email => ("電郵", "Email"),
            Channel::Online => ("網上", "Online"),
            Channel::Letter => ("信件", "Letter"),
            Channel::Outreach => ("外展", "Outreach"),
        }),
        Dimension::Centre | Dimension::CaseNature => None,
    }
}

pub const MODE_IN_PERSON: &str = "in_person";
pub const MODE_ONLINE: &str = "online";

/// A person's age band on a day, from their date of birth.
pub fn age_band(born: NaiveDate, on: NaiveDate) -> HeadcountBand {
    match crate::person::age_on(born, on) {
        ..=5 => HeadcountBand::Age0To5,
        6..=12 => HeadcountBand::Age6To12,
        13..=17 => HeadcountBand::Age13To17,
        18..=64 => HeadcountBand::Age18To64,
        _ => HeadcountBand::Age65Plus,
    }
}

/// A row of a breakdown: a code of its dimension, named in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Named {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseRow {
    #[serde(flatten)]
    pub name: Named,
    pub cases: CaseCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseBreakdown {
    pub dimension: Dimension,
    pub rows: Vec<CaseRow>,
}

/// A count of records in a row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CountRow {
    #[serde(flatten)]
    pub name: Named,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EnquiryCounts {
    pub received: i64,
    pub minutes_spent: i64,
    pub by_channel: Vec<CountRow>,
}

/// What a centre ran of one kind of activity: those with a session held in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityCounts {
    pub kind: ActivityKind,
    pub run: i64,
    pub sessions_held: i64,
    /// Attendances of named participants (present or late), in person-times.
    pub person_times: i64,
    /// The anonymous headcounts of the sessions, in person-times.
    pub headcount: i64,
    /// Named participants who came at least once, each counted once.
    pub participants: i64,
}

impl ActivityCounts {
    /// Adds another's counts (of the same kind, or towards a total) to these.
    pub fn absorb(&mut self, other: &ActivityCounts) {
        self.run += other.run;
        self.sessions_held += other.sessions_held;
        self.person_times += other.person_times;
        self.headcount += other.headcount;
        self.participants += other.participants;
    }
}

/// Attendance in a row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AttendanceRow {
    #[serde(flatten)]
    pub name: Named,
    pub person_times: i64,
    pub headcount: i64,
    pub participants: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AttendanceBreakdown {
    pub dimension: Dimension,
    pub rows: Vec<AttendanceRow>,
}

/// How the cases closed in the period ended, and how measured clients changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OutcomeCounts {
    /// Goals of the plans of cases closed (after being open) in the period, other than
    /// those discontinued.
    pub goals_set: i64,
    pub goals_achieved: i64,
    pub goals_partly_achieved: i64,
    /// Clients with a post-service measure in the period and a pre-service one before it on
    /// the same instrument.
    pub measured: i64,
    pub improved: i64,
    pub unchanged: i64,
    pub worsened: i64,
}

impl OutcomeCounts {
    /// Adds another's counts (another part's, or a centre's towards the total) to these.
    pub fn absorb(&mut self, other: &OutcomeCounts) {
        self.goals_set += other.goals_set;
        self.goals_achieved += other.goals_achieved;
        self.goals_partly_achieved += other.goals_partly_achieved;
        self.measured += other.measured;
        self.improved += other.improved;
        self.unchanged += other.unchanged;
        self.worsened += other.worsened;
    }
}

/// A share in thousandths (so exact on both sides), none when there is nothing to share.
pub fn per_mille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 1000 + whole / 2) / whole)
}

stored_codes! {
    /// The output and outcome standards a centre may agree levels for. Outputs are counts
    /// for the financial year; outcome rates are percentages.
    pub enum Indicator {
        CasesServed = "cases_served",
        NewCases = "new_cases",
        Groups = "groups",
        Programmes = "programmes",
        CommunityEvents = "community_events",
        GroupSessions = "group_sessions",
        Attendance = "attendance",
        Enquiries = "enquiries",
        GoalsAchievedPercent = "goals_achieved_percent",
        ImprovedPercent = "improved_percent",
    }
}

impl Indicator {
    pub fn is_percent(self) -> bool {
        matches!(
            self,
            Indicator::GoalsAchievedPercent | Indicator::ImprovedPercent
        )
    }

    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Indicator::CasesServed => ("服務個案數目", "Cases served"),
            Indicator::NewCases => ("新個案數目", "New cases"),
            Indicator::Groups => ("小組數目", "Groups run"),
            Indicator::Programmes => ("活動數目", "Programmes run"),
            Indicator::CommunityEvents => ("社區活動數目", "Community events run"),
            Indicator::GroupSessions => ("小組節數", "Group sessions held"),
            Indicator::Attendance => ("出席人次", "Attendance (person-times)"),
            Indicator::Enquiries => ("查詢數目", "Enquiries"),
            Indicator::GoalsAchievedPercent => {
                ("結案時達成目標百分比", "Goals achieved at closure (%)")
            }
            Indicator::ImprovedPercent => {
                ("前後測有改善百分比", "Improved on pre/post measures (%)")
            }
        }
    }
}

stored_codes! {
    /// Where the year to date stands against the agreed level.
    pub enum StandardStatus {
        /// At or above the level.
        Met = "met",
        /// Below it, but at or above the share of the year gone by.
        OnTrack = "on_track",
        /// Below the share of the year gone by.
        Behind = "behind",
        /// No level agreed for the year.
        NotSet = "not_set",
    }
}

/// Where a figure for the year to date stands. A count is compared with the share of the
/// year's level that the days gone by are of the year; a percentage with the level itself.
pub fn standard_status(
    indicator: Indicator,
    level: Option<i64>,
    year_to_date: Option<i64>,
    days_gone: i64,
    days_in_year: i64,
) -> StandardStatus {
    let Some(level) = level else {
        return StandardStatus::NotSet;
    };
    let value = year_to_date.unwrap_or(0);
    if indicator.is_percent() {
        // Percentages are kept in thousandths; a level is a whole percentage.
        return if value >= level * 10 {
            StandardStatus::Met
        } else {
            StandardStatus::Behind
        };
    }
    if value >= level {
        StandardStatus::Met
    } else if value * days_in_year >= level * days_gone {
        StandardStatus::OnTrack
    } else {
        StandardStatus::Behind
    }
}

/// One centre's standing on one indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StandardProgress {
    pub centre_id: String,
    pub indicator: Indicator,
    pub agreed_level: Option<i64>,
    /// A count, or a percentage in thousandths; none when there is nothing to divide.
    pub year_to_date: Option<i64>,
    pub status: StandardStatus,
}

/// The statistics of a period over a set of centres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Statistics {
    pub period: Period,
    pub period_zh: String,
    pub period_en: String,
    pub centres: Vec<Named>,
    pub cases: CaseCounts,
    pub case_breakdowns: Vec<CaseBreakdown>,
    pub enquiries: EnquiryCounts,
    pub activities: Vec<ActivityCounts>,
    pub attendance: Vec<AttendanceBreakdown>,
    pub outcomes: OutcomeCounts,
    pub standards: Vec<StandardProgress>,
}

/// The cases behind a case figure, optionally one row of a breakdown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct FigureQuery {
    pub year: Option<i32>,
    pub quarter: Option<u32>,
    pub month: Option<u32>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub centre_id: Option<String>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub agency_id: Option<String>,
    pub figure: Option<CaseFigure>,
    pub dimension: Option<Dimension>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub code: Option<String>,
    pub page: Option<i64>,
}

impl FigureQuery {
    pub fn statistics(&self) -> StatisticsQuery {
        StatisticsQuery {
            year: self.year,
            quarter: self.quarter,
            month: self.month,
            centre_id: self.centre_id.clone(),
            agency_id: self.agency_id.clone(),
        }
    }

    /// The figure and the breakdown row asked for, with the statistics' own period and scope.
    pub fn parse(&self, this_year: i32) -> Result<FigureRequest, ValidationErrors> {
        let parsed = self.statistics().parse(this_year);
        let mut errors = match &parsed {
            Err(errors) => errors.clone(),
            Ok(_) => ValidationErrors::default(),
        };
        if self.figure.is_none() {
            errors.add("figure", "required", "Name the figure");
        }
        let row = match (self.dimension, &self.code) {
            (None, None) => None,
            (Some(Dimension::Centre), Some(_)) => None,
            (Some(dimension), Some(code))
                if matches!(
                    dimension,
                    Dimension::CaseType
                        | Dimension::CaseNature
                        | Dimension::Unit
                        | Dimension::District
                ) =>
            {
                Some((dimension, code.clone()))
            }
            (Some(_), Some(_)) => {
                errors.add(
                    "dimension",
                    "not_a_case_dimension",
                    "Cases are broken down by centre, case type, case nature, unit or district",
                );
                None
            }
            (Some(_), None) => {
                errors.add("code", "required", "Name the row of the breakdown");
                None
            }
            (None, Some(_)) => {
                errors.add("dimension", "required", "Name the breakdown the row is of");
                None
            }
        };
        let centre_row = match (self.dimension, &self.code) {
            (Some(Dimension::Centre), Some(code)) => Some(code.clone()),
            _ => None,
        };
        let page = self.page.unwrap_or(1);
        if !(1..=100_000).contains(&page) {
            errors.add("page", "out_of_range", "Page must be from 1 to 100000");
        }
        match parsed {
            Ok((period, scope)) if errors.is_empty() => Ok(FigureRequest {
                period,
                scope: match centre_row {
                    Some(centre) => ScopeChoice::Centre(centre),
                    None => scope,
                },
                figure: self.figure.expect("a figure"),
                row,
                page,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FigureRequest {
    pub period: Period,
    pub scope: ScopeChoice,
    pub figure: CaseFigure,
    pub row: Option<(Dimension, String)>,
    pub page: i64,
}

/// The activities behind what a centre ran: those of one kind with a session held in the
/// period, each with its sessions and attendances there, so that the activities run, the
/// sessions held and the person-times of the statistics add up from the list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ActivityFigureQuery {
    pub year: Option<i32>,
    pub quarter: Option<u32>,
    pub month: Option<u32>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub centre_id: Option<String>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub agency_id: Option<String>,
    pub kind: Option<ActivityKind>,
    pub page: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFigureRequest {
    pub period: Period,
    pub scope: ScopeChoice,
    pub kind: ActivityKind,
    pub page: i64,
    pub per_page: i64,
}

impl ActivityFigureQuery {
    pub fn parse(&self, this_year: i32) -> Result<ActivityFigureRequest, ValidationErrors> {
        let parsed = StatisticsQuery {
            year: self.year,
            quarter: self.quarter,
            month: self.month,
            centre_id: self.centre_id.clone(),
            agency_id: self.agency_id.clone(),
        }
        .parse(this_year);
        let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
        if self.kind.is_none() {
            errors.add("kind", "required", "Name the kind of activity");
        }
        let (page, per_page) = crate::paging::window(self.page, None, &mut errors);
        match parsed {
            Ok((period, scope)) if errors.is_empty() => Ok(ActivityFigureRequest {
                period,
                scope,
                kind: self.kind.expect("a kind"),
                page,
                per_page,
            }),
            _ => Err(errors),
        }
    }
}

/// An activity as a statistic counts it in a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityRun {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub centre: Named,
    pub sessions_held: i64,
    /// Attendances of named participants (present or late) at those sessions.
    pub person_times: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityRunPage {
    pub items: Vec<ActivityRun>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A centre's agreed level of an indicator for a financial year, at its version (0 and no
/// level: none agreed yet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AgreedLevel {
    pub centre_id: String,
    pub financial_year: i32,
    pub indicator: Indicator,
    /// A count for the year, or a whole percentage.
    pub agreed_level: Option<i64>,
    pub version: i64,
}

/// Which centre's levels for which year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct LevelsQuery {
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub centre_id: Option<String>,
    pub year: Option<i32>,
}

impl LevelsQuery {
    /// The centre and the year, each named when missing.
    pub fn parse(&self) -> Result<(String, i32), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.centre_id.is_none() {
            errors.add("centre_id", "required", "Choose the centre");
        }
        if self.year.is_none() {
            errors.add("year", "required", "Choose the financial year");
        }
        errors.into_result(|| {
            (
                self.centre_id.clone().expect("a centre"),
                self.year.expect("a year"),
            )
        })
    }
}

/// Setting one level, at the version read (0 when none was agreed yet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AgreedLevelForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub centre_id: String,
    pub financial_year: Option<i32>,
    pub indicator: Option<Indicator>,
    /// A count for the year, or a whole percentage.
    pub agreed_level: Option<i64>,
    #[serde(default)]
    pub version: i64,
}

/// A level to keep, once valid.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelChange {
    pub centre_id: String,
    pub financial_year: i32,
    pub indicator: Indicator,
    pub agreed_level: i64,
    pub version: i64,
}

/// The largest count a level may be: far above any centre's year.
pub const LEVEL_MAX: i64 = 1_000_000;

impl AgreedLevelForm {
    /// Levels are agreed up to a year ahead (`this_year` is the present financial year).
    pub fn parse(&self, this_year: i32) -> Result<LevelChange, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.centre_id.trim().is_empty() {
            errors.add("centre_id", "required", "Choose the centre");
        }
        match self.financial_year {
            None => errors.add("financial_year", "required", "Choose the financial year"),
            Some(year) if !(FIRST_YEAR..=this_year + 1).contains(&year) => errors.add(
                "financial_year",
                "out_of_range",
                format!(
                    "The financial year must be from {FIRST_YEAR} to {}",
                    this_year + 1
                ),
            ),
            Some(_) => {}
        }
        if self.indicator.is_none() {
            errors.add("indicator", "required", "Choose the standard");
        }
        let most = match self.indicator {
            Some(indicator) if indicator.is_percent() => 100,
            _ => LEVEL_MAX,
        };
        match self.agreed_level {
            None => errors.add("agreed_level", "required", "Enter the agreed level"),
            Some(level) if !(0..=most).contains(&level) => errors.add(
                "agreed_level",
                "out_of_range",
                format!("The level must be from 0 to {most}"),
            ),
            Some(_) => {}
        }
        if self.version < 0 {
            errors.add("version", "out_of_range", "The version is never negative");
        }
        errors.into_result(|| LevelChange {
            centre_id: self.centre_id.clone(),
            financial_year: self.financial_year.expect("a year"),
            indicator: self.indicator.expect("an indicator"),
            agreed_level: self.agreed_level.expect("a level"),
            version: self.version,
        })
    }
}

stored_codes! {
    /// Where a workbook being built stands.
    pub enum WorkbookState {
        Queued = "queued",
        Running = "running",
        Ready = "ready",
        Failed = "failed",
    }
}

/// A statistics workbook asked for, built in the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WorkbookJob {
    pub id: String,
    pub state: WorkbookState,
    /// 0 to 100.
    pub progress: i64,
    pub period_zh: String,
    pub period_en: String,
    /// The file's name once it is ready.
    pub file_name: Option<String>,
    pub requested_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn periods_follow_the_financial_year() {
        let q4 = Period::quarter(2021, 4);
        assert_eq!((q4.from, q4.until), (d("2022-01-01"), d("2022-03-31")));
        let q1 = Period::quarter(2021, 1);
        assert_eq!((q1.from, q1.until), (d("2021-04-01"), d("2021-06-30")));
        let q3 = Period::quarter(2021, 3);
        assert_eq!((q3.from, q3.until), (d("2021-10-01"), d("2021-12-31")));
        let feb = Period::month(2023, 2);
        assert_eq!((feb.from, feb.until), (d("2024-02-01"), d("2024-02-29")));
        assert_eq!(Period::year(2021).until, d("2022-03-31"));
        assert_eq!(q4.year_to_date().from, d("2021-04-01"));
        assert_eq!(financial_year_of(d("2022-03-31")), 2021);
        assert_eq!(financial_year_of(d("2022-04-01")), 2022);
        assert_eq!(Period::year(2099).year_label(), "2099-00");
        assert_eq!(q1.label_en(), "2021-22 Q1 (April to June 2021)");
        assert_eq!(q4.label_zh(), "2021-22年度第四季（2022年1月至2022年3月）");
    }

    #[test]
    fn a_query_names_each_wrong_parameter() {
        let wrong = StatisticsQuery {
            year: Some(1999),
            quarter: Some(5),
            month: Some(13),
            centre_id: Some("c".into()),
            agency_id: Some("a".into()),
        }
        .parse(2026)
        .unwrap_err();
        let fields: Vec<&str> = wrong.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["agency_id", "month", "quarter", "year"]);
        let missing = StatisticsQuery::default().parse(2026).unwrap_err();
        assert_eq!(missing.0["year"].code, "required");
        let (period, scope) = StatisticsQuery {
            year: Some(2021),
            month: Some(3),
            ..Default::default()
        }
        .parse(2026)
        .unwrap();
        assert_eq!(period.from, d("2022-03-01"));
        assert_eq!(scope, ScopeChoice::Everything);
    }

    fn step(kind: CaseEventKind, state: CaseState, centre: &str) -> HistoryStep<'_> {
        HistoryStep {
            kind,
            state,
            centre_id: centre,
        }
    }

    #[test]
    fn a_history_is_read_into_figures() {
        use CaseEventKind as K;
        use CaseState as S;
        let open = step(K::Opened, S::Open, "a");
        assert_eq!(
            event_figures(&step(K::Registered, S::Open, "a"), None),
            [(CaseFigure::New, "a")]
        );
        assert!(event_figures(&step(K::Registered, S::Waiting, "a"), None).is_empty());
        let waiting = step(K::Waitlisted, S::Waiting, "a");
        assert_eq!(
            event_figures(&open, Some(&waiting)),
            [(CaseFigure::New, "a")]
        );
        assert_eq!(
            event_figures(&step(K::Closed, S::Closed, "a"), Some(&open)),
            [(CaseFigure::Closed, "a")]
        );
        // Closed from the waiting list: never served, so not a closed case.
        assert!(event_figures(&step(K::Closed, S::Closed, "a"), Some(&waiting)).is_empty());
        assert_eq!(
            event_figures(&step(K::Transferred, S::Open, "b"), Some(&open)),
            [
                (CaseFigure::TransferredOut, "a"),
                (CaseFigure::TransferredIn, "b")
            ]
        );
        // A change of worker within the centre moves nothing between centres.
        assert!(event_figures(&step(K::Transferred, S::Open, "a"), Some(&open)).is_empty());
        assert_eq!(
            event_figures(
                &step(K::Reactivated, S::Open, "a"),
                Some(&step(K::Closed, S::Closed, "a"))
            ),
            [(CaseFigure::Reactivated, "a")]
        );
        assert_eq!(
            boundary_figure(S::Open, true),
            Some(CaseFigure::BroughtForward)
        );
        assert_eq!(boundary_figure(S::Waiting, true), None);
        assert_eq!(
            boundary_figure(S::Waiting, false),
            Some(CaseFigure::WaitingAtEnd)
        );
    }

    #[test]
    fn a_level_names_each_wrong_field() {
        let wrong = AgreedLevelForm {
            indicator: Some(Indicator::ImprovedPercent),
            agreed_level: Some(101),
            financial_year: Some(2028),
            version: -1,
            ..Default::default()
        }
        .parse(2026)
        .unwrap_err();
        let fields: Vec<&str> = wrong.0.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            ["agreed_level", "centre_id", "financial_year", "version"]
        );
        let next_year = AgreedLevelForm {
            centre_id: "c".into(),
            financial_year: Some(2027),
            indicator: Some(Indicator::NewCases),
            agreed_level: Some(1_000_000),
            version: 0,
        };
        assert_eq!(next_year.parse(2026).unwrap().agreed_level, 1_000_000);
    }

    #[test]
    fn ages_turn_on_the_birthday() {
        assert_eq!(
            age_band(d("2015-04-02"), d("2021-04-01")),
            HeadcountBand::Age0To5
        );
        assert_eq!(
            age_band(d("2015-04-01"), d("2021-04-01")),
            HeadcountBand::Age6To12
        );
        assert_eq!(
            age_band(d("1956-04-01"), d("2021-04-01")),
            HeadcountBand::Age65Plus
        );
    }

    #[test]
    fn a_standard_is_met_on_track_or_behind() {
        use StandardStatus::*;
        let s = |level, ytd, gone| standard_status(Indicator::NewCases, level, ytd, gone, 365);
        assert_eq!(s(Some(100), Some(100), 100), Met);
        assert_eq!(s(Some(365), Some(100), 100), OnTrack);
        assert_eq!(s(Some(365), Some(99), 100), Behind);
        assert_eq!(s(None, Some(5), 100), NotSet);
        let p = |ytd| standard_status(Indicator::ImprovedPercent, Some(60), ytd, 10, 365);
        assert_eq!(p(Some(600)), Met);
        assert_eq!(p(Some(599)), Behind);
        assert_eq!(p(None), Behind);
        assert_eq!(per_mille(2, 3), Some(667));
        assert_eq!(per_mille(1, 0), None);
    }
}
