//! A worker's continuing professional development: hours from courses completed on the
//! platform (verified by their certificates) and learning elsewhere they record themselves
//! (self-reported, with a reflection and their evidence), totalled per year and per cycle
//! under a policy a deployment sets: the Social Workers Registration Board's scheme leaves
//! hours to be decided, so none is written here.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cases::{missing, StaffRef};
use crate::error::{FieldError, ValidationErrors};
use crate::stored_codes;
use crate::text::{one_line, paragraphs, required};
use crate::training::CPD_TENTHS_MAX;

pub const TITLE_MAX: usize = 200;
pub const REFLECTION_MAX: usize = 4000;

stored_codes! {
    pub enum LearningKind {
        Course = "course",
        Workshop = "workshop",
        Seminar = "seminar",
        Conference = "conference",
        /// Clinical or practice supervision received.
        Supervision = "supervision",
        /// Reading or study of one's own.
        SelfStudy = "self_study",
        Other = "other",
    }
}

stored_codes! {
    pub enum CpdSource {
        /// A course completed here: its certificate vouches for it.
        Verified = "verified",
        /// Learning elsewhere, as the worker records it.
        SelfReported = "self_reported",
    }
}

impl LearningKind {
    /// Its names in Chinese and English.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            LearningKind::Course => ("課程", "Course"),
            LearningKind::Workshop => ("工作坊", "Workshop"),
            LearningKind::Seminar => ("研討會", "Seminar"),
            LearningKind::Conference => ("會議", "Conference"),
            LearningKind::Supervision => ("專業督導", "Supervision"),
            LearningKind::SelfStudy => ("自學", "Self-study"),
            LearningKind::Other => ("其他", "Other"),
        }
    }
}

impl CpdSource {
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            CpdSource::Verified => ("已核實", "Verified"),
            CpdSource::SelfReported => ("自行申報", "Self-reported"),
        }
    }
}

/// How hours are counted: a cycle of whole calendar years from a first one, a minimum a
/// year (a cycle's being the years' together), and how much of what counts may be
/// self-reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CpdPolicy {
    pub cycle_years: i32,
    pub first_cycle_year: i32,
    /// Hours in tenths; none: no minimum is set.
    pub minimum_tenths_per_year: Option<i64>,
    /// The most of the hours counted that may be self-reported, in per cent.
    pub self_reported_max_percent: i64,
}

impl Default for CpdPolicy {
    fn default() -> Self {
        CpdPolicy {
            cycle_years: 3,
            first_cycle_year: 2024,
            minimum_tenths_per_year: None,
            self_reported_max_percent: 100,
        }
    }
}

/// Learning elsewhere as the worker writes it, with the version read when changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExternalLearningForm {
    #[serde(default)]
    pub title: String,
    /// Who ran it: an organisation, a university, a supervisor's agency.
    #[serde(default)]
    pub provider: String,
    pub kind: Option<LearningKind>,
    pub completed_on: Option<NaiveDate>,
    /// Hours, in tenths (3 hours: 30).
    pub cpd_tenths: Option<i64>,
    /// What the worker took from it for their practice.
    #[serde(default)]
    pub reflection: String,
    pub version: Option<i64>,
}

/// Learning elsewhere once valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLearning {
    pub title: String,
    pub provider: String,
    pub kind: LearningKind,
    pub completed_on: NaiveDate,
    pub cpd_tenths: i64,
    pub reflection: String,
}

impl ExternalLearningForm {
    /// Valid on `today` (Hong Kong's): learning already done, at most 200 hours.
    pub fn parse(&self, today: NaiveDate) -> Result<ExternalLearning, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title = errors.check(
            "title",
            required(one_line(&self.title, TITLE_MAX), "The title"),
        );
        let provider = errors.check(
            "provider",
            required(one_line(&self.provider, TITLE_MAX), "Who provided it"),
        );
        let kind = errors.check("kind", self.kind.ok_or_else(|| missing("The kind")));
        let completed_on = errors.check(
            "completed_on",
            match self.completed_on {
                Some(day) if day > today => Err(FieldError::new(
                    "in_future",
                    "Record learning once it is done",
                )),
                Some(day) if day.year() < 1990 => {
                    Err(FieldError::new("out_of_range", "The day is too long ago"))
                }
                Some(day) => Ok(day),
                None => Err(missing("The day completed")),
            },
        );
        let cpd_tenths = errors.check(
            "cpd_tenths",
            match self.cpd_tenths {
                Some(t) if (1..=CPD_TENTHS_MAX).contains(&t) => Ok(t),
                Some(_) => Err(FieldError::new(
                    "out_of_range",
                    "CPD hours are from 0.1 to 200",
                )),
                None => Err(missing("The hours")),
            },
        );
        let reflection = errors.check(
            "reflection",
            required(
                paragraphs(&self.reflection, REFLECTION_MAX),
                "A reflection on what you learnt",
            ),
        );
        match (title, provider, kind, completed_on, cpd_tenths, reflection) {
            (
                Some(title),
                Some(provider),
                Some(kind),
                Some(completed_on),
                Some(cpd_tenths),
                Some(reflection),
            ) if errors.is_empty() => Ok(ExternalLearning {
                title,
                provider,
                kind,
                completed_on,
                cpd_tenths,
                reflection,
            }),
            _ => Err(errors),
        }
    }
}

/// Evidence of learning elsewhere: a certificate of attendance, a letter, a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
}

/// One line of a CPD record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CpdEntry {
    /// The certificate's code for a course here; the record's id for learning elsewhere.
    pub id: String,
    pub source: CpdSource,
    pub title_zh: String,
    pub title_en: String,
    pub provider: String,
    /// Learning elsewhere: its kind; a course here is a course.
    pub kind: LearningKind,
    pub completed_on: NaiveDate,
    pub cpd_tenths: i64,
    pub reflection: Option<String>,
    pub evidence: Option<Evidence>,
    /// Learning elsewhere: the version to change it at.
    pub version: Option<i64>,
}

/// Hours of a year or a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CpdPeriod {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub verified_tenths: i64,
    pub self_reported_tenths: i64,
    /// What counts under the policy: the verified hours, and the self-reported ones up to
    /// the share allowed.
    pub counted_tenths: i64,
    pub minimum_tenths: Option<i64>,
}

impl CpdPeriod {
    pub fn met(&self) -> Option<bool> {
        self.minimum_tenths.map(|m| self.counted_tenths >= m)
    }
}

/// A worker's CPD record: the policy, the years and cycles from the first entry (or this
/// year) to this one, the latest first, and every entry, the latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CpdRecord {
    pub holder: String,
    pub policy: CpdPolicy,
    pub years: Vec<CpdPeriod>,
    pub cycles: Vec<CpdPeriod>,
    pub entries: Vec<CpdEntry>,
}

impl CpdPolicy {
    /// The first year of the cycle `year` falls in.
    pub fn cycle_start(&self, year: i32) -> i32 {
        let years = self.cycle_years.max(1);
        self.first_cycle_year + (year - self.first_cycle_year).div_euclid(years) * years
    }

    /// Self-reported hours as counted beside the verified: at most the share allowed of
    /// the hours counted, so `s ≤ p/100 × (v + s)`, which is `s ≤ v × p / (100 − p)`.
    pub fn counted(&self, verified: i64, self_reported: i64) -> i64 {
        let share = self.self_reported_max_percent.clamp(0, 100);
        let allowed = if share == 100 {
            self_reported
        } else {
            self_reported.min(verified * share / (100 - share))
        };
        verified + allowed
    }

    fn period(
        &self,
        from: NaiveDate,
        until: NaiveDate,
        years: i64,
        entries: &[CpdEntry],
    ) -> CpdPeriod {
        let within = |source| {
            entries
                .iter()
                .filter(|e| e.source == source && (from..=until).contains(&e.completed_on))
                .map(|e| e.cpd_tenths)
                .sum::<i64>()
        };
        let verified = within(CpdSource::Verified);
        let self_reported = within(CpdSource::SelfReported);
        CpdPeriod {
            from,
            until,
            verified_tenths: verified,
            self_reported_tenths: self_reported,
            counted_tenths: self.counted(verified, self_reported),
            minimum_tenths: self.minimum_tenths_per_year.map(|m| m * years),
        }
    }

    /// The record's years and cycles, from the earliest entry's (or this year's) to
    /// this year's, the latest first.
    pub fn totals(
        &self,
        entries: &[CpdEntry],
        today: NaiveDate,
    ) -> (Vec<CpdPeriod>, Vec<CpdPeriod>) {
        let this_year = today.year();
        let first = entries
            .iter()
            .map(|e| e.completed_on.year())
            .min()
            .unwrap_or(this_year)
            .min(this_year);
        let years = (first..=this_year)
            .rev()
            .map(|y| self.year(y, entries, today))
            .collect();
        let cycle_years = self.cycle_years.max(1);
        let mut cycles = Vec::new();
        let mut start = self.cycle_start(this_year);
        while start + cycle_years > first {
            cycles.push(self.cycle(start, entries, today));
            start -= cycle_years;
        }
        (years, cycles)
    }

    /// This year's hours and this cycle's: the first of each of `totals`.
    pub fn current(&self, entries: &[CpdEntry], today: NaiveDate) -> (CpdPeriod, CpdPeriod) {
        let year = today.year();
        (
            self.year(year, entries, today),
            self.cycle(self.cycle_start(year), entries, today),
        )
    }

    fn year(&self, year: i32, entries: &[CpdEntry], today: NaiveDate) -> CpdPeriod {
        let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(today);
        self.period(day(1, 1), day(12, 31), 1, entries)
    }

    /// The cycle from the start of year `start`.
    fn cycle(&self, start: i32, entries: &[CpdEntry], today: NaiveDate) -> CpdPeriod {
        let cycle_years = self.cycle_years.max(1);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
        self.period(
            day(start, 1, 1),
            day(start + cycle_years - 1, 12, 31),
            i64::from(cycle_years),
            entries,
        )
    }
}

/// A member of an agency's staff as their agency admin follows their CPD: this year's and
/// this cycle's hours, and whether they are behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffCpd {
    pub staff: StaffRef,
    pub username: String,
    pub year: CpdPeriod,
    pub cycle: CpdPeriod,
    pub behind: bool,
}

impl StaffCpd {
    /// Behind when this year's hours or this cycle's fall short of its minimum: the policy
    /// asks for both. Without a minimum nobody is behind.
    pub fn new(staff: StaffRef, username: String, (year, cycle): (CpdPeriod, CpdPeriod)) -> Self {
        let behind = year.met() == Some(false) || cycle.met() == Some(false);
        StaffCpd {
            staff,
            username,
            year,
            cycle,
            behind,
        }
    }
}

/// The staff an agency admin follows, their names searched, those behind first, a page at
/// a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaffCpdList {
    pub policy: CpdPolicy,
    /// Every member of staff followed, and of them those behind, before the search.
    pub staff: i64,
    pub behind: i64,
    pub items: Vec<StaffCpd>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The staff asked for: words of their name or username, only those behind, a page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct StaffCpdQuery {
    pub q: Option<String>,
    #[serde(default)]
    pub behind: bool,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl StaffCpdQuery {
    pub fn window(&self) -> Result<(i64, i64), ValidationErrors> {
        crate::paging::searched(self.q.as_deref(), self.page, self.per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: CpdSource, on: (i32, u32, u32), tenths: i64) -> CpdEntry {
        CpdEntry {
            id: String::new(),
            source,
            title_zh: String::new(),
            title_en: String::new(),
            provider: String::new(),
            kind: LearningKind::Course,
            completed_on: NaiveDate::from_ymd_opt(on.0, on.1, on.2).unwrap(),
            cpd_tenths: tenths,
            reflection: None,
            evidence: None,
            version: None,
        }
    }

    #[test]
    fn self_reported_hours_count_up_to_their_share() {
        let mut policy = CpdPolicy::default();
        assert_eq!(policy.counted(60, 100), 160);
        policy.self_reported_max_percent = 50;
        assert_eq!(policy.counted(60, 100), 120);
        assert_eq!(policy.counted(60, 20), 80);
        policy.self_reported_max_percent = 0;
        assert_eq!(policy.counted(60, 100), 60);
        policy.self_reported_max_percent = 25;
        // At most a quarter of what counts: 30 self-reported beside 90 verified.
        assert_eq!(policy.counted(90, 100), 120);
    }

    #[test]
    fn years_and_cycles_run_from_the_first_entry_to_this_year() {
        let policy = CpdPolicy {
            cycle_years: 3,
            first_cycle_year: 2024,
            minimum_tenths_per_year: Some(150),
            self_reported_max_percent: 50,
        };
        let entries = [
            entry(CpdSource::Verified, (2023, 12, 31), 65),
            entry(CpdSource::Verified, (2026, 3, 2), 100),
            entry(CpdSource::SelfReported, (2026, 1, 1), 80),
            entry(CpdSource::SelfReported, (2027, 1, 1), 10),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let (years, cycles) = policy.totals(&entries, today);
        let firsts: Vec<i32> = years.iter().map(|y| y.from.year()).collect();
        assert_eq!(firsts, vec![2026, 2025, 2024, 2023]);
        assert_eq!(
            (
                years[0].verified_tenths,
                years[0].self_reported_tenths,
                years[0].counted_tenths
            ),
            (100, 80, 180)
        );
        assert_eq!(years[0].met(), Some(true));
        assert_eq!(years[1].met(), Some(false));
        let spans: Vec<(i32, i32)> = cycles
            .iter()
            .map(|c| (c.from.year(), c.until.year()))
            .collect();
        assert_eq!(spans, vec![(2024, 2026), (2021, 2023)]);
        assert_eq!(cycles[0].minimum_tenths, Some(450));
        assert_eq!(cycles[0].counted_tenths, 180);
        assert_eq!(cycles[1].verified_tenths, 65);
        assert_eq!(policy.cycle_start(2020), 2018);
        let (year, cycle) = policy.current(&entries, today);
        assert_eq!((&year, &cycle), (&years[0], &cycles[0]));
        let staff = StaffRef {
            id: String::new(),
            display_name: String::new(),
        };
        // This year's 15 hours are met, but not the cycle's 45.
        assert!(StaffCpd::new(staff.clone(), String::new(), (year, cycle)).behind);
        let unset = CpdPolicy {
            minimum_tenths_per_year: None,
            ..policy
        };
        assert!(!StaffCpd::new(staff, String::new(), unset.current(&entries, today)).behind);
    }

    #[test]
    fn learning_elsewhere_names_each_problem() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let form = ExternalLearningForm {
            title: " 創傷知情實務 工作坊 ".into(),
            provider: "香港社會服務聯會".into(),
            kind: Some(LearningKind::Workshop),
            completed_on: Some(today),
            cpd_tenths: Some(30),
            reflection: "會在家訪時應用。".into(),
            version: None,
        };
        assert_eq!(form.parse(today).unwrap().title, "創傷知情實務 工作坊");
        let bad = ExternalLearningForm {
            completed_on: today.succ_opt(),
            cpd_tenths: Some(0),
            reflection: " ".into(),
            ..form
        };
        let errors = bad.parse(today).unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, vec!["completed_on", "cpd_tenths", "reflection"]);
    }
}
