//! DAS: the filter bar every dashboard reads, the figures it answers, and the rules that
//! keep aggregates safe to show: small counts suppressed (with the cells that would give
//! them back) for anyone not looking at their own centre's records.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::cases::CaseType;
use crate::clients::Sex;
use crate::districts::District;
use crate::error::ValidationErrors;
use crate::households::{CssaStatus, HouseholdType};
use crate::identity::{AnalyticsScope, Unit};
use crate::stored_codes;

/// The longest period one view covers: ten financial years.
pub const MAX_PERIOD_DAYS: i64 = 3_653;

stored_codes! {
    /// Age bands of the dashboards: children by school stage, adults by decade, as the
    /// Census reports them once merged.
    pub enum AgeBand {
        Under6 = "0-5",
        From6 = "6-12",
        From13 = "13-17",
        From18 = "18-24",
        From25 = "25-34",
        From35 = "35-44",
        From45 = "45-54",
        From55 = "55-64",
        From65 = "65-74",
        From75 = "75+",
    }
}

impl AgeBand {
    /// The band of someone born on `born`, on the day `on`.
    pub fn of(born: NaiveDate, on: NaiveDate) -> AgeBand {
        let mut age = on.year() - born.year();
        if (on.month(), on.day()) < (born.month(), born.day()) {
            age -= 1;
        }
        match age {
            ..=5 => AgeBand::Under6,
            6..=12 => AgeBand::From6,
            13..=17 => AgeBand::From13,
            18..=24 => AgeBand::From18,
            25..=34 => AgeBand::From25,
            35..=44 => AgeBand::From35,
            45..=54 => AgeBand::From45,
            55..=64 => AgeBand::From55,
            65..=74 => AgeBand::From65,
            _ => AgeBand::From75,
        }
    }
}

/// The filter bar as it arrives in the address: every dashboard reads the same.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct DasQuery {
    /// First day of the period; with `until`, both or neither (the present financial year).
    pub from: Option<NaiveDate>,
    /// Last day of the period, inclusive.
    pub until: Option<NaiveDate>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub agency_id: Option<String>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub centre_id: Option<String>,
    /// One responsible worker's cases: the drill-down below a centre.
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub worker_id: Option<String>,
    pub unit: Option<Unit>,
    pub district: Option<District>,
    pub case_type: Option<CaseType>,
    #[cfg_attr(feature = "server", param(max_length = 40))]
    pub nature: Option<String>,
    pub age_band: Option<AgeBand>,
    pub sex: Option<Sex>,
    pub household_type: Option<HouseholdType>,
    pub cssa: Option<CssaStatus>,
    pub new_arrival: Option<bool>,
}

/// The filters of one view, checked: a period of at most ten years, and the choices.
#[derive(Debug, Clone, PartialEq)]
pub struct DasFilter {
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub agency_id: Option<String>,
    pub centre_id: Option<String>,
    pub worker_id: Option<String>,
    pub unit: Option<Unit>,
    pub district: Option<District>,
    pub case_type: Option<CaseType>,
    pub nature: Option<String>,
    pub age_band: Option<AgeBand>,
    pub sex: Option<Sex>,
    pub household_type: Option<HouseholdType>,
    pub cssa: Option<CssaStatus>,
    pub new_arrival: Option<bool>,
}

impl DasQuery {
    /// The checked filters, the period by default the financial year of `today` so far.
    pub fn parse(&self, today: NaiveDate) -> Result<DasFilter, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (from, until) = match (self.from, self.until) {
            (Some(from), Some(until)) => (from, until),
            (None, None) => (crate::statistics::year_start(today), today),
            (None, Some(_)) => {
                errors.add("from", "required", "Give the first day with the last");
                (today, today)
            }
            (Some(_), None) => {
                errors.add("until", "required", "Give the last day with the first");
                (today, today)
            }
        };
        if until < from {
            errors.add("until", "before_from", "The last day is before the first");
        } else if (until - from).num_days() >= MAX_PERIOD_DAYS {
            errors.add("until", "too_long", "A view covers ten years at most");
        }
        if self.centre_id.is_some() && self.agency_id.is_some() {
            errors.add(
                "agency_id",
                "centre_and_agency",
                "Choose a centre or an agency, not both",
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(DasFilter {
            from,
            until,
            agency_id: self.agency_id.clone(),
            centre_id: self.centre_id.clone(),
            worker_id: self.worker_id.clone(),
            unit: self.unit,
            district: self.district,
            case_type: self.case_type,
            nature: self.nature.clone(),
            age_band: self.age_band,
            sex: self.sex,
            household_type: self.household_type,
            cssa: self.cssa,
            new_arrival: self.new_arrival,
        })
    }
}

impl DasFilter {
    /// The day ages and new arrival are reckoned on: the period's last, or today if sooner.
    pub fn reference_day(&self, today: NaiveDate) -> NaiveDate {
        self.until.min(today)
    }

    /// The same period a year before, for comparing months with last year's.
    pub fn year_before(&self) -> (NaiveDate, NaiveDate) {
        let back = |d: NaiveDate| d.checked_sub_months(Months::new(12)).unwrap_or(d);
        (back(self.from), back(self.until))
    }
}

/// The first day of each calendar month the period touches, in order.
pub fn months_of(from: NaiveDate, until: NaiveDate) -> Vec<NaiveDate> {
    let mut month = from.with_day(1).expect("the first of a month");
    let mut months = Vec::new();
    while month <= until {
        months.push(month);
        month = month + Months::new(1);
    }
    months
}

stored_codes! {
    /// What a figure's rows or columns are.
    pub enum Dimension {
        Nature = "nature",
        District = "district",
        Agency = "agency",
        Centre = "centre",
        Worker = "worker",
        Month = "month",
        Series = "series",
        AgeBand = "age_band",
        Sex = "sex",
        HouseholdType = "household_type",
        Housing = "housing",
        Cssa = "cssa",
        NewArrival = "new_arrival",
        NaturesPerCase = "natures_per_case",
        Measure = "measure",
        IncomeBand = "income_band",
        Ethnicity = "ethnicity",
        Language = "language",
        Disability = "disability",
        /// Whether anyone under 18 lives in the client's household.
        Children = "children",
        /// A theme read from case notes: a case nature's code or a risk cue's theme.
        Theme = "theme",
        /// A group's intervention model; `CASEWORK` for measures within cases.
        InterventionModel = "intervention_model",
        /// A financial quarter, keyed by its first month (`YYYY-MM`).
        Quarter = "quarter",
        /// The band of a case's client's latest measure on a screening scale.
        AssessmentBand = "assessment_band",
    }
}

/// The disability column of those whose record names none.
pub const NO_DISABILITY: &str = "none";

/// A key that no record gave: a district, household or the like not recorded.
pub const UNRECORDED: &str = "unrecorded";

/// One axis of a figure: what it is and its keys in order (codes, ids or months).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Axis {
    pub dimension: Dimension,
    pub keys: Vec<String>,
}

/// A table of counts, as drawn and as listed beside the chart. A count of `None` was
/// suppressed: it, or a count it could be worked out from, is of one to nine people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Figure {
    pub id: String,
    pub rows: Axis,
    pub columns: Axis,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Option<i64>>>,
    /// Each row's total, where a row's cells add up to it (each record in one column).
    pub row_totals: Option<Vec<Option<i64>>>,
    /// Each column's total, where a column's cells add up to it.
    pub column_totals: Option<Vec<Option<i64>>>,
    /// Each cell per 10,000 residents of its district, age band and sex, where the
    /// deployment has loaded the population and the count is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_10000: Option<Vec<Vec<Option<f64>>>>,
}

/// Where a few values fall: the quartiles of days waited or served.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Spread {
    /// How many values, suppressed like a count.
    pub count: Option<i64>,
    pub lower_quartile: Option<f64>,
    pub median: Option<f64>,
    pub upper_quartile: Option<f64>,
}

impl Spread {
    /// Quartiles by linear interpolation between order statistics (as spreadsheets'
    /// QUARTILE.INC); none of them when the values are suppressed or there are none.
    pub fn of(values: &mut [i64], shown: bool) -> Spread {
        values.sort_unstable();
        let at = |q: f64| -> Option<f64> {
            if values.is_empty() || !shown {
                return None;
            }
            let position = q * (values.len() - 1) as f64;
            let low = position.floor() as usize;
            let high = position.ceil() as usize;
            let fraction = position - low as f64;
            Some(values[low] as f64 + (values[high] - values[low]) as f64 * fraction)
        };
        Spread {
            count: shown.then_some(values.len() as i64),
            lower_quartile: at(0.25),
            median: at(0.5),
            upper_quartile: at(0.75),
        }
    }
}

/// Two natures together: how often, and how much more than by chance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Pairing {
    /// Cases with both, suppressed like a count.
    pub cases: Option<i64>,
    /// Share of all cases in view with both.
    pub joint: Option<f64>,
    /// Joint share over the product of each one's share: above 1, more often together
    /// than apart.
    pub lift: Option<f64>,
    /// The correlation of the two as yes/no variables, from -1 to 1.
    pub phi: Option<f64>,
    /// Cases with both over cases with either.
    pub jaccard: Option<f64>,
}

impl Pairing {
    /// From the cases in view, those with each nature and those with both; nothing but
    /// the count's place when it is not shown.
    pub fn of(total: i64, with_a: i64, with_b: i64, both: i64, shown: bool) -> Pairing {
        if !shown {
            return Pairing {
                cases: None,
                joint: None,
                lift: None,
                phi: None,
                jaccard: None,
            };
        }
        let n = total as f64;
        let (a, b, ab) = (with_a as f64, with_b as f64, both as f64);
        let ratio = |top: f64, bottom: f64| (bottom > 0.0).then(|| top / bottom);
        let spread = (a * (n - a) * b * (n - b)).sqrt();
        Pairing {
            cases: Some(both),
            joint: ratio(ab, n),
            lift: ratio(ab * n, a * b),
            phi: ratio(ab * n - a * b, spread),
            jaccard: ratio(ab, a + b - ab),
        }
    }
}

/// A combination of natures often found together, as association rules read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Combination {
    /// Two or three nature codes.
    pub natures: Vec<String>,
    pub cases: i64,
    /// Share of the cases in view with all of them.
    pub support: f64,
    /// Of the cases with all but the last, the share that also have the last.
    pub confidence: f64,
    /// Confidence over the last one's own share.
    pub lift: f64,
}

/// How the natures of the cases in view come together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CoOccurrence {
    pub natures: Vec<String>,
    /// `pairs[a][b]`; the diagonal is each nature alone (its cases, and its share).
    pub pairs: Vec<Vec<Pairing>>,
    /// Combinations of two and three natures, the most frequent first (at most 20 each),
    /// none of fewer people than the suppression threshold where it applies.
    pub combinations: Vec<Combination>,
    /// Cases with three natures or more, and their share.
    pub complex_cases: Option<i64>,
    pub complex_share: Option<f64>,
}

/// Names of things the records name (natures, agencies, centres, workers), by key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct KeyName {
    pub zh: String,
    pub en: String,
}

/// One dashboard of one view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub scope: AnalyticsScope,
    /// Counts of fewer people than this are suppressed in this view; `None`: exact.
    pub suppressed_below: Option<i64>,
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// Cases in view (served in the period, within the filters).
    pub cases: Option<i64>,
    /// Distinct clients of those cases.
    pub persons: Option<i64>,
    pub figures: Vec<Figure>,
    /// Quartiles, by name: days from waiting to opened, days from opened to closed.
    pub spreads: BTreeMap<String, Spread>,
    pub co_occurrence: Option<CoOccurrence>,
    pub names: BTreeMap<String, KeyName>,
}

/// Months forecast ahead.
pub const FORECAST_MONTHS: usize = 6;
/// Months held out to measure the forecast's accuracy.
pub const HELD_OUT_MONTHS: usize = 6;
/// Months of history a forecast needs: two years to fit a year's season, and the
/// months held out.
pub const FORECAST_HISTORY: usize = 24 + HELD_OUT_MONTHS;

/// New cases in one month of the history (`None`: suppressed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub cases: Option<i64>,
}

/// One month ahead: the expected new cases and a 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ForecastMonth {
    pub month: String,
    pub expected: f64,
    pub low: f64,
    pub high: f64,
}

/// How well the method did on the last months of the history, fitted without them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct HeldOut {
    pub months: Vec<ForecastMonth>,
    /// The new cases those months had.
    pub actual: Vec<i64>,
    /// Mean absolute error of the forecast, in cases a month.
    pub mean_absolute_error: f64,
    /// The same for "as the same month last year", the forecast to beat.
    pub naive_mean_absolute_error: f64,
    /// How many of the months fell within their interval.
    pub within_interval: usize,
}

/// New cases a month in the view: the history to the end of the period, and the next
/// six months forecast by additive Holt-Winters smoothing with a yearly season.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct NeedsAhead {
    pub scope: AnalyticsScope,
    pub suppressed_below: Option<i64>,
    pub history: Vec<MonthCount>,
    /// None when the history is shorter than `FORECAST_HISTORY` months.
    pub forecast: Option<Vec<ForecastMonth>>,
    pub held_out: Option<HeldOut>,
    /// The smoothing weights chosen (level, trend, season), for the curious.
    pub smoothing: Option<[f64; 3]>,
}

/// What a risk regression explains: a case nature, complex problems (three natures or
/// more), or the product's own risk flag.
/// A screening scale whose band at the client's latest measure within a case is a factor
/// of the risk regression, and the factor's levels: raised, not measured, and below the
/// cut-off (the reference).
pub struct BandedScale {
    pub instrument: &'static str,
    pub scale: &'static str,
    pub levels: [&'static str; 3],
}

/// On both, a band of severity 2 (moderate, a score of 10 or more) or above is the usual
/// cut-off for a likely disorder.
pub const BANDED_SCALES: [BandedScale; 2] = [
    BandedScale {
        instrument: "phq9",
        scale: "total",
        levels: ["phq9_raised", "phq9_not_measured", "phq9_below"],
    },
    BandedScale {
        instrument: "gad7",
        scale: "total",
        levels: ["gad7_raised", "gad7_not_measured", "gad7_below"],
    },
];
pub const RAISED_SEVERITY: u8 = 2;

pub const COMPLEX: &str = "complex";
pub const FLAGGED: &str = "flagged";

/// A ratio with its 95% interval and two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RatioEstimate {
    pub ratio: f64,
    pub low: f64,
    pub high: f64,
    pub p_value: f64,
}

/// A share with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Proportion {
    pub share: f64,
    pub low: f64,
    pub high: f64,
}

/// One level of a factor against its reference level, adjusted for the other factors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FactorEstimate {
    pub factor: Dimension,
    pub level: String,
    pub reference: String,
    pub cases: i64,
    /// Poisson regression with robust (HC0) errors: how many times as likely.
    pub prevalence_ratio: Option<RatioEstimate>,
    /// Logistic regression.
    pub odds_ratio: Option<RatioEstimate>,
}

/// The risk and protective factors of an outcome among the cases in view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RiskFactors {
    pub scope: AnalyticsScope,
    pub suppressed_below: Option<i64>,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub outcome: String,
    /// Cases used, and those with the outcome (suppressed like any count).
    pub cases: Option<i64>,
    pub with_outcome: Option<i64>,
    /// The outcome's prevalence with its Wilson 95% interval.
    pub prevalence: Option<Proportion>,
    pub factors: Vec<FactorEstimate>,
    /// Levels left out, as (factor, level): too few cases to estimate or to show.
    pub left_out: Vec<(Dimension, String)>,
    /// Why a model could not be fitted, in plain words; none when it was.
    pub poisson_failed: Option<String>,
    pub logit_failed: Option<String>,
    pub names: BTreeMap<String, KeyName>,
}

/// How pairs of measures changed by the scale's rule: the rows of a change figure.
pub const CHANGES: [&str; 4] = ["improved", "unchanged", "worsened", "unjudged"];

/// Whether a group's member came to the share of its sessions that completes it: the
/// rows of a completion figure.
pub const COMPLETION: [&str; 2] = ["completed", "not_completed"];

/// The intervention model's place of measures taken within casework rather than a group.
pub const CASEWORK: &str = "casework";

/// The change of some pairs of measures on one scale, shown where their count is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Effect {
    pub mean_pre: f64,
    pub mean_post: f64,
    /// Post minus pre: read with the scale's direction.
    pub mean_change: f64,
    /// Paired effect size, positive for an improvement; none under two pairs.
    pub cohens_d: Option<f64>,
}

impl Effect {
    pub fn of(change: &crate::outcomes::PairedChange) -> Effect {
        Effect {
            mean_pre: change.mean_pre,
            mean_post: change.mean_post,
            mean_change: change.mean_change,
            cohens_d: change.cohens_d,
        }
    }
}

/// The first day of the quarter a day falls in: financial quarters begin in April, July,
/// October and January, as calendar ones do.
pub fn quarter_of(day: NaiveDate) -> NaiveDate {
    let first = day.month() - (day.month() - 1) % 3;
    NaiveDate::from_ymd_opt(day.year(), first, 1).unwrap_or(day)
}

/// The quarters the period touches, each keyed by its first month (`YYYY-MM`), in order.
pub fn quarters_of(from: NaiveDate, until: NaiveDate) -> Vec<String> {
    let mut quarters = Vec::new();
    let mut quarter = quarter_of(from);
    while quarter <= until {
        quarters.push(quarter.format("%Y-%m").to_string());
        quarter = quarter + Months::new(3);
    }
    quarters
}

/// One scale of an instrument in use, as the service-effectiveness board offers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MeasureChoice {
    pub instrument: String,
    pub scale: String,
    pub name_zh: String,
    pub name_en: String,
}

/// Service effectiveness in view: how clients changed between their measures before and
/// after service on one scale, by centre, intervention model and quarter, and how many of
/// the members of groups that ended completed them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Effectiveness {
    /// The figures `change_by_centre`, `change_by_model`, `change_by_quarter` (rows
    /// `CHANGES`, a column a pair's place, columns adding up to its pairs) and
    /// `completion_by_centre`, `completion_by_model` (rows `COMPLETION`, columns adding up
    /// to the members), with the names of their keys.
    pub dashboard: Dashboard,
    pub instrument: String,
    pub scale: String,
    pub higher_is_better: bool,
    pub rule: crate::outcomes::ChangeRule,
    /// Pairs in view, and their change; hidden where they are of few people.
    pub pairs: Option<i64>,
    pub effect: Option<Effect>,
    /// Each change figure's columns' change, by figure id, hidden with the column's count.
    pub effects: BTreeMap<String, Vec<Option<Effect>>>,
    /// Groups whose last session fell in the period; none when a filter of cases or their
    /// clients is set, which groups cannot be narrowed by, so that only measures within
    /// cases are in view.
    pub groups_ended: Option<i64>,
    /// The scales of the instruments in use that the board can show.
    pub measures: Vec<MeasureChoice>,
}

/// A count as tallied: the records, and whether they are of fewer people than the
/// threshold (so it must not be shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tallied {
    pub count: i64,
    pub few: bool,
}

/// Counts whose sum is published as another: the parts and the total, by place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub parts: Vec<usize>,
    pub total: usize,
}

/// Which counts to hide. A count of one to `threshold - 1` people is hidden (primary);
/// then, for each line whose total shows, a single hidden part takes the smallest other
/// part with it, or the total if no other part counts anything (secondary), so that no
/// total less the other parts gives a hidden count back. Repeated until no line has a
/// lone hidden part. Zero is never hidden: it names nobody.
pub fn suppress(counts: &[Tallied], lines: &[Line]) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts.iter().map(|t| t.count > 0 && t.few).collect();
    // Every pass that goes on hides one more count, and there are finitely many.
    loop {
        let mut changed = false;
        for line in lines {
            if hidden[line.total] || line.parts.iter().filter(|&&p| hidden[p]).count() != 1 {
                continue;
            }
            let partner = line
                .parts
                .iter()
                .copied()
                .filter(|&p| !hidden[p] && counts[p].count > 0)
                .min_by_key(|&p| counts[p].count);
            hidden[partner.unwrap_or(line.total)] = true;
            changed = true;
        }
        if !changed {
            return hidden;
        }
    }
}

/// A figure as tallied, before suppression: `cells[row][column]`, with the totals that
/// are published and are sums of their cells (each record in one column, or one row),
/// and whether those totals in turn add up to `grand` (each record in one row, or one
/// column, too).
pub struct Grid {
    pub cells: Vec<Vec<Tallied>>,
    pub row_totals: Option<Vec<Tallied>>,
    pub column_totals: Option<Vec<Tallied>>,
    pub grand: Option<Tallied>,
}

impl Grid {
    /// The figure as shown: the grid's counts with those `suppress` hides taken out when
    /// `exact` is false.
    pub fn figure(self, id: &str, rows: Axis, columns: Axis, exact: bool) -> Figure {
        let width = self.cells.first().map_or(0, Vec::len);
        let mut counts: Vec<Tallied> = self.cells.iter().flatten().copied().collect();
        let cell = |r: usize, c: usize| r * width + c;
        let mut lines = Vec::new();
        let row_start = counts.len();
        if let Some(totals) = &self.row_totals {
            counts.extend(totals);
            for r in 0..self.cells.len() {
                lines.push(Line {
                    parts: (0..width).map(|c| cell(r, c)).collect(),
                    total: row_start + r,
                });
            }
        }
        let column_start = counts.len();
        if let Some(totals) = &self.column_totals {
            counts.extend(totals);
            for c in 0..width {
                lines.push(Line {
                    parts: (0..self.cells.len()).map(|r| cell(r, c)).collect(),
                    total: column_start + c,
                });
            }
        }
        if let Some(grand) = self.grand {
            counts.push(grand);
            let total = counts.len() - 1;
            if let Some(totals) = &self.row_totals {
                lines.push(Line {
                    parts: (row_start..row_start + totals.len()).collect(),
                    total,
                });
            }
            if let Some(totals) = &self.column_totals {
                lines.push(Line {
                    parts: (column_start..column_start + totals.len()).collect(),
                    total,
                });
            }
        }
        let hidden = if exact {
            vec![false; counts.len()]
        } else {
            suppress(&counts, &lines)
        };
        let shown = |i: usize| (!hidden[i]).then_some(counts[i].count);
        Figure {
            id: id.to_owned(),
            rows,
            columns,
            cells: (0..self.cells.len())
                .map(|r| (0..width).map(|c| shown(cell(r, c))).collect())
                .collect(),
            row_totals: self
                .row_totals
                .as_ref()
                .map(|t| (0..t.len()).map(|r| shown(row_start + r)).collect()),
            column_totals: self
                .column_totals
                .as_ref()
                .map(|t| (0..t.len()).map(|c| shown(column_start + c)).collect()),
            per_10000: None,
        }
    }
}

impl Figure {
    /// The figure with each shown cell per 10,000 of the residents `residents(row,
    /// column)` gives; a hidden count's rate is hidden too, since the population is public.
    pub fn with_rates(mut self, residents: impl Fn(usize, usize) -> i64) -> Figure {
        let rates = self
            .cells
            .iter()
            .enumerate()
            .map(|(r, row)| {
                row.iter()
                    .enumerate()
                    .map(|(c, n)| n.and_then(|n| crate::population::per_10000(n, residents(r, c))))
                    .collect()
            })
            .collect();
        self.per_10000 = Some(rates);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(count: i64, few: bool) -> Tallied {
        Tallied { count, few }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn quarters_are_financial_quarters_keyed_by_their_first_month() {
        assert_eq!(quarter_of(day(2021, 6, 30)), day(2021, 4, 1));
        assert_eq!(quarter_of(day(2022, 3, 31)), day(2022, 1, 1));
        assert_eq!(
            quarters_of(day(2021, 5, 15), day(2022, 1, 2)),
            ["2021-04", "2021-07", "2021-10", "2022-01"]
        );
    }

    #[test]
    fn a_lone_small_count_takes_the_next_smallest_with_it() {
        // 3 of a total of 60 across four districts: 60 - 12 - 20 - 25 would give it back.
        let counts = [
            t(3, true),
            t(12, false),
            t(20, false),
            t(25, false),
            t(60, false),
        ];
        let lines = [Line {
            parts: vec![0, 1, 2, 3],
            total: 4,
        }];
        assert_eq!(suppress(&counts, &lines), [true, true, false, false, false]);
    }

    #[test]
    fn zero_is_shown_and_a_total_goes_when_nothing_else_can() {
        let counts = [t(4, true), t(0, false), t(4, true)];
        let lines = [Line {
            parts: vec![0, 1],
            total: 2,
        }];
        assert_eq!(suppress(&counts, &lines), [true, false, true]);
        let counts = [t(4, true), t(0, false), t(4, false)];
        assert_eq!(suppress(&counts, &lines), [true, false, true]);
    }

    #[test]
    fn secondary_suppression_follows_rows_and_columns() {
        // Rows and columns both add up: hiding (0,0)'s 2 hides (0,1) in its row, which is
        // then alone in its column and takes (1,1); (1,1) takes (1,0) in its row, and the
        // first column then has two hidden. No hidden cell is the only one in any line.
        let grid = Grid {
            cells: vec![
                vec![t(2, true), t(15, false), t(30, false)],
                vec![t(11, false), t(12, false), t(40, false)],
            ],
            row_totals: Some(vec![t(47, false), t(63, false)]),
            column_totals: Some(vec![t(13, false), t(27, false), t(70, false)]),
            grand: Some(t(110, false)),
        };
        let axis = |keys: &[&str]| Axis {
            dimension: Dimension::Series,
            keys: keys.iter().map(|k| k.to_string()).collect(),
        };
        let figure = grid.figure("x", axis(&["a", "b"]), axis(&["p", "q", "r"]), false);
        assert_eq!(
            figure.cells,
            vec![vec![None, None, Some(30)], vec![None, None, Some(40)]]
        );
        for row in &figure.cells {
            assert_ne!(row.iter().filter(|c| c.is_none()).count(), 1);
        }
        assert_eq!(figure.row_totals, Some(vec![Some(47), Some(63)]));
        assert_eq!(
            figure.column_totals,
            Some(vec![Some(13), Some(27), Some(70)])
        );
    }

    #[test]
    fn an_exact_view_hides_nothing() {
        let grid = Grid {
            cells: vec![vec![t(2, true), t(15, false)]],
            row_totals: Some(vec![t(17, false)]),
            column_totals: None,
            grand: None,
        };
        let axis = |d| Axis {
            dimension: d,
            keys: vec![],
        };
        let figure = grid.figure("x", axis(Dimension::Series), axis(Dimension::Sex), true);
        assert_eq!(figure.cells, vec![vec![Some(2), Some(15)]]);
    }

    #[test]
    fn age_bands_turn_on_the_birthday() {
        assert_eq!(
            AgeBand::of(day(2010, 5, 10), day(2023, 5, 9)),
            AgeBand::From6
        );
        assert_eq!(
            AgeBand::of(day(2010, 5, 10), day(2023, 5, 10)),
            AgeBand::From13
        );
        assert_eq!(
            AgeBand::of(day(1940, 1, 1), day(2023, 1, 1)),
            AgeBand::From75
        );
    }

    #[test]
    fn pairings_measure_what_they_say() {
        // 100 cases: 20 with a, 10 with b, 8 with both.
        let p = Pairing::of(100, 20, 10, 8, true);
        assert_eq!(p.cases, Some(8));
        assert!((p.joint.unwrap() - 0.08).abs() < 1e-12);
        assert!((p.lift.unwrap() - 4.0).abs() < 1e-12);
        assert!((p.jaccard.unwrap() - 8.0 / 22.0).abs() < 1e-12);
        let phi = (8.0 * 100.0 - 200.0) / (20.0f64 * 80.0 * 10.0 * 90.0).sqrt();
        assert!((p.phi.unwrap() - phi).abs() < 1e-12);
        assert_eq!(Pairing::of(100, 20, 10, 3, false).lift, None);
    }

    #[test]
    fn quartiles_interpolate_and_hide_with_their_count() {
        let spread = Spread::of(&mut [7, 1, 3, 5], true);
        assert_eq!(spread.count, Some(4));
        assert_eq!(spread.lower_quartile, Some(2.5));
        assert_eq!(spread.median, Some(4.0));
        assert_eq!(spread.upper_quartile, Some(5.5));
        assert_eq!(Spread::of(&mut [7, 1], false).median, None);
    }

    #[test]
    fn a_period_is_checked_and_defaults_to_the_year_so_far() {
        let today = day(2026, 12, 4);
        let filter = DasQuery::default().parse(today).unwrap();
        assert_eq!((filter.from, filter.until), (day(2026, 4, 1), today));
        let backwards = DasQuery {
            from: Some(day(2022, 1, 1)),
            until: Some(day(2021, 1, 1)),
            ..DasQuery::default()
        };
        assert!(backwards.parse(today).unwrap_err().0.contains_key("until"));
        let half = DasQuery {
            from: Some(day(2022, 1, 1)),
            ..DasQuery::default()
        };
        assert!(half.parse(today).unwrap_err().0.contains_key("until"));
        assert_eq!(
            months_of(day(2021, 11, 15), day(2022, 2, 1)),
            vec![
                day(2021, 11, 1),
                day(2021, 12, 1),
                day(2022, 1, 1),
                day(2022, 2, 1)
            ]
        );
    }
}
