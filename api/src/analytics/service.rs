//! The dashboards: one pass over the model's cases for each, tallied into figures and
//! suppressed where the viewer may not see the records behind them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use common::analytics::NO_DISABILITY;
use common::analytics::{
    months_of, AgeBand, Axis, CoOccurrence, Combination, DasFilter, Dashboard, Dimension, Figure,
    Grid, KeyName, Pairing, Spread, Tallied, UNRECORDED,
};
use common::cases::{CaseEventKind, CaseState};
use common::clients::Sex;
use common::districts::District;
use common::households::{CssaStatus, HouseholdType, HousingType, IncomeBand};
use common::identity::AnalyticsScope;
use common::language::RiskCue;
use common::person::{is_new_arrival, Disability, Ethnicity, Language};
use smallvec::SmallVec;

use super::facts::{each_theme, month_number, CaseFacts, CaseKey, Model};
use super::outcomes::GroupFacts;
use super::population::Population;
use super::store;
use crate::db::DbConnection;
use crate::error::ApiError;

/// Combinations of natures listed, of each size.
const TOP_COMBINATIONS: usize = 20;

/// The level a view is broken down to: the one below what it covers.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Breakdown {
    Agency,
    Centre,
    Worker,
}

/// What one request sees: its filters, the centres it covers, and whether its counts are
/// exact (staff looking at their own centre) or suppressed below the threshold.
pub struct View {
    pub filter: DasFilter,
    pub centres: Vec<String>,
    pub scope: AnalyticsScope,
    pub threshold: i64,
    pub today: NaiveDate,
}

impl View {
    /// Staff see their own centre's figures exactly; aggregates that reach beyond it (an
    /// agency's, every centre's, an analyst's) hide small counts.
    pub fn exact(&self) -> bool {
        self.scope == AnalyticsScope::Centre
    }

    fn breakdown(&self) -> Breakdown {
        match (self.scope, &self.filter.centre_id, &self.filter.agency_id) {
            (AnalyticsScope::Centre, _, _) | (_, Some(_), _) => Breakdown::Worker,
            (AnalyticsScope::Agency, _, _) | (_, _, Some(_)) => Breakdown::Centre,
            (AnalyticsScope::All, None, None) => Breakdown::Agency,
        }
    }

    /// People below the threshold are few; an exact view counts nobody as few.
    pub(super) fn few_below(&self) -> usize {
        if self.exact() {
            0
        } else {
            self.threshold as usize
        }
    }
}

/// Records tallied with the distinct people among them, up to the threshold: whether a
/// count is of few people is all suppression needs, so no more are remembered.
#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    pub(super) count: i64,
    people: Vec<u32>,
}

impl Tally {
    pub(super) fn add(&mut self, client: u32, few_below: usize) {
        self.count += 1;
        if self.people.len() < few_below && !self.people.contains(&client) {
            self.people.push(client);
        }
    }

    pub(super) fn tallied(&self, few_below: usize) -> Tallied {
        Tallied {
            count: self.count,
            few: self.people.len() < few_below,
        }
    }

    pub(super) fn shown(&self, few_below: usize) -> bool {
        self.count == 0 || self.people.len() >= few_below
    }
}

/// Where each of the model's numbers (a centre's, a worker's, a nature's) falls in a
/// figure, found by index: dashboards ask it of every case, where hashing costs the most.
#[derive(Default)]
struct Places(Vec<Option<usize>>);

impl Places {
    fn of(&self, number: u32) -> Option<usize> {
        self.0.get(number as usize).copied().flatten()
    }
}

impl FromIterator<(u32, usize)> for Places {
    fn from_iter<I: IntoIterator<Item = (u32, usize)>>(pairs: I) -> Places {
        let mut places = Vec::new();
        for (number, place) in pairs {
            let number = number as usize;
            if places.len() <= number {
                places.resize(number + 1, None);
            }
            places[number] = Some(place);
        }
        Places(places)
    }
}

/// The model's case filter of a view, less the period.
pub struct Matcher<'a> {
    view: &'a View,
    /// Whether the view covers each centre, by the model's number.
    centres: Vec<bool>,
    nature: Option<Option<u32>>,
    worker: Option<Option<u32>>,
    on: NaiveDate,
}

impl<'a> Matcher<'a> {
    pub fn new(model: &Model, view: &'a View) -> Matcher<'a> {
        Matcher {
            view,
            centres: {
                let mut covered = vec![false; model.centres.names.len()];
                for number in view.centres.iter().filter_map(|id| model.centres.get(id)) {
                    covered[number as usize] = true;
                }
                covered
            },
            nature: view
                .filter
                .nature
                .as_ref()
                .map(|code| model.natures.get(code)),
            worker: view
                .filter
                .worker_id
                .as_ref()
                .map(|id| model.workers.get(id)),
            on: view.filter.reference_day(view.today),
        }
    }

    pub fn covers(&self, centre: u32) -> bool {
        self.centres.get(centre as usize).copied().unwrap_or(false)
    }

    /// Whether a group is in view: by its centre, unit and staff facilitators. No filter of
    /// cases or their clients can narrow a group (the caller asks `narrows_groups`).
    pub fn matches_group(&self, group: &GroupFacts) -> bool {
        self.covers(group.centre)
            && self.view.filter.unit.is_none_or(|u| u == group.unit)
            && self
                .worker
                .is_none_or(|w| w.is_some_and(|w| group.facilitators.contains(&w)))
    }

    /// The model's cases in view.
    pub fn cases<'m>(&'m self, model: &'m Model) -> impl Iterator<Item = &'m CaseFacts> + 'm {
        model
            .keyed()
            .filter(move |(key, case)| self.keeps(key) && self.matches(case))
            .map(|(_, case)| case)
    }

    /// The model's cases in view that were open, or raised a theme, within the days, each
    /// with whether it was served in them.
    pub fn cases_within<'m>(
        &'m self,
        model: &'m Model,
        from: NaiveDate,
        until: NaiveDate,
    ) -> impl Iterator<Item = (bool, &'m CaseFacts)> + 'm {
        model
            .keyed()
            .filter(move |(key, case)| {
                self.keeps(key) && key.active_within(from, until) && self.matches(case)
            })
            .map(move |(key, case)| {
                let served = key
                    .served_within(from, until)
                    .unwrap_or_else(|| case.served_in(from, until));
                (served, case)
            })
    }

    /// The model's cases in view served within the days.
    pub fn served_within<'m>(
        &'m self,
        model: &'m Model,
        from: NaiveDate,
        until: NaiveDate,
    ) -> impl Iterator<Item = &'m CaseFacts> + 'm {
        self.cases_within(model, from, until)
            .filter(|(served, _)| *served)
            .map(|(_, case)| case)
    }

    fn keeps(&self, key: &CaseKey) -> bool {
        self.covers(key.centre)
            && self
                .view
                .filter
                .district
                .is_none_or(|d| Some(d) == key.district)
    }

    pub fn matches(&self, case: &CaseFacts) -> bool {
        let f = &self.view.filter;
        self.covers(case.centre)
            && self.worker.is_none_or(|w| w == Some(case.worker))
            && f.unit.is_none_or(|u| u == case.unit)
            && f.district.is_none_or(|d| Some(d) == case.district)
            && f.case_type.is_none_or(|t| t == case.case_type)
            && self
                .nature
                .is_none_or(|n| n.is_some_and(|n| case.natures.contains(&n)))
            && f.age_band
                .is_none_or(|b| b == AgeBand::of(case.born, self.on))
            && f.sex.is_none_or(|s| s == case.sex)
            && f.household_type
                .is_none_or(|t| case.household.is_some_and(|h| h.household_type == t))
            && f.cssa
                .is_none_or(|c| case.household.is_some_and(|h| h.cssa == c))
            && f.new_arrival
                .is_none_or(|n| n == is_new_arrival(case.arrived, self.on))
    }
}

/// Names of the keys a dashboard's figures use, and the breakdown's keys in order.
#[derive(Default)]
struct Names {
    natures: Vec<String>,
    breakdown: Vec<String>,
    names: BTreeMap<String, KeyName>,
    breakdown_of: Places,
}

fn key_name(zh: String, en: String) -> KeyName {
    KeyName { zh, en }
}

impl Names {
    fn read(conn: &mut DbConnection, model: &Model, view: &View) -> Result<Names, ApiError> {
        let mut names = BTreeMap::new();
        let mut natures = Vec::new();
        for (code, zh, en) in crate::statistics::store::nature_names(conn)? {
            natures.push(code.clone());
            names.insert(code, key_name(zh, en));
        }
        let centres = store::centres(conn)?;
        let agency_of: HashMap<&str, &str> = centres
            .iter()
            .map(|(id, agency, _, _)| (id.as_str(), agency.as_str()))
            .collect();
        let mut keyed: Vec<(String, KeyName)> = match view.breakdown() {
            Breakdown::Agency => store::agencies(conn)?
                .into_iter()
                .map(|(id, zh, en)| (id, key_name(zh, en)))
                .collect(),
            Breakdown::Centre => centres
                .iter()
                .filter(|(id, ..)| view.centres.contains(id))
                .map(|(id, _, zh, en)| (id.clone(), key_name(zh.clone(), en.clone())))
                .collect(),
            Breakdown::Worker => {
                let ids: Vec<&str> = model.workers.names.iter().map(String::as_str).collect();
                let matcher = Matcher::new(model, view);
                let working: HashSet<u32> = model
                    .cases
                    .iter()
                    .filter(|c| matcher.covers(c.centre))
                    .map(|c| c.worker)
                    .collect();
                let ids: Vec<&str> = ids
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| working.contains(&(*i as u32)))
                    .map(|(_, id)| id)
                    .collect();
                store::staff_names(conn, &ids)?
                    .into_iter()
                    .map(|(id, name)| (id, key_name(name.clone(), name)))
                    .collect()
            }
        };
        keyed.sort_by(|a, b| a.1.en.cmp(&b.1.en));
        let position: HashMap<&str, usize> = keyed
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i))
            .collect();
        // Each case's key at the breakdown's level, through the number the model gave it.
        let breakdown_of: Places = match view.breakdown() {
            Breakdown::Agency => model
                .centres
                .names
                .iter()
                .enumerate()
                .filter_map(|(i, centre)| {
                    let agency = agency_of.get(centre.as_str())?;
                    Some((i as u32, *position.get(agency)?))
                })
                .collect(),
            Breakdown::Centre => model
                .centres
                .names
                .iter()
                .enumerate()
                .filter_map(|(i, id)| Some((i as u32, *position.get(id.as_str())?)))
                .collect(),
            Breakdown::Worker => model
                .workers
                .names
                .iter()
                .enumerate()
                .filter_map(|(i, id)| Some((i as u32, *position.get(id.as_str())?)))
                .collect(),
        };
        let breakdown = keyed.iter().map(|(id, _)| id.clone()).collect();
        names.extend(keyed);
        Ok(Names {
            natures,
            breakdown,
            names,
            breakdown_of,
        })
    }

    fn breakdown_dimension(view: &View) -> Dimension {
        match view.breakdown() {
            Breakdown::Agency => Dimension::Agency,
            Breakdown::Centre => Dimension::Centre,
            Breakdown::Worker => Dimension::Worker,
        }
    }

    fn key_of(&self, view: &View, case: &CaseFacts) -> Option<usize> {
        match view.breakdown() {
            Breakdown::Worker => self.breakdown_of.of(case.worker),
            _ => self.breakdown_of.of(case.centre),
        }
    }
}

/// The columns of a district breakdown: the 18 districts, then those not recorded.
fn district_column(district: Option<District>) -> usize {
    district.map_or(District::ALL.len(), |d| {
        District::ALL
            .iter()
            .position(|x| *x == d)
            .expect("a district")
    })
}

fn district_axis() -> Axis {
    let mut keys: Vec<String> = District::ALL.iter().map(|d| d.code().to_owned()).collect();
    keys.push(UNRECORDED.to_owned());
    Axis {
        dimension: Dimension::District,
        keys,
    }
}

fn axis(dimension: Dimension, keys: Vec<String>) -> Axis {
    Axis { dimension, keys }
}

/// The months of a period as an axis, `YYYY-MM`.
fn month_axis(months: &[NaiveDate]) -> Axis {
    axis(
        Dimension::Month,
        months
            .iter()
            .map(|m| m.format("%Y-%m").to_string())
            .collect(),
    )
}

fn tallied(tallies: &[Tally], few: usize) -> Vec<Tallied> {
    tallies.iter().map(|t| t.tallied(few)).collect()
}

/// A figure whose rows each add up to their published total (each case in one column).
fn adding_up(rows: &[Vec<Tally>], totals: &[Tally], few: usize) -> Grid {
    Grid {
        cells: rows.iter().map(|row| tallied(row, few)).collect(),
        row_totals: Some(tallied(totals, few)),
        column_totals: None,
        grand: None,
    }
}

/// The headline of a view: its cases, and the distinct people they are of.
struct Headline {
    cases: Tally,
    people: Vec<bool>,
}

impl Headline {
    fn new(model: &Model) -> Headline {
        Headline {
            cases: Tally::default(),
            people: vec![false; model.client_count()],
        }
    }

    fn add(&mut self, case: &CaseFacts, few: usize) {
        self.cases.add(case.client, few);
        self.people[case.client as usize] = true;
    }

    fn dashboard(self, view: &View, names: Names) -> Dashboard {
        let few = view.few_below();
        let persons = self.people.iter().filter(|p| **p).count() as i64;
        let shown = |n: i64| (n == 0 || n >= few as i64).then_some(n);
        Dashboard {
            scope: view.scope,
            suppressed_below: (!view.exact()).then_some(view.threshold),
            from: view.filter.from,
            until: view.filter.until,
            cases: self.cases.shown(few).then_some(self.cases.count),
            persons: shown(persons),
            figures: Vec::new(),
            spreads: BTreeMap::new(),
            co_occurrence: None,
            names: names.names,
        }
    }
}

/// Family problems: natures by district and by the level below the view, new and
/// reactivated cases by month against the same months a year before, how long cases
/// waited and were served.
pub fn problems(
    conn: &mut DbConnection,
    model: &Model,
    view: &View,
) -> Result<Dashboard, ApiError> {
    let names = Names::read(conn, model, view)?;
    let matcher = Matcher::new(model, view);
    let few = view.few_below();
    let (from, until) = (view.filter.from, view.filter.until);
    let (last_from, last_until) = view.filter.year_before();
    let months = months_of(from, until);
    // A day's column of `months`, `back` months on, counted rather than searched for:
    // asked of every step of every case.
    let column = |day: NaiveDate, back: i32| {
        usize::try_from(month_number(day) + back - month_number(from))
            .ok()
            .filter(|m| *m < months.len())
    };
    let nature_row: Places = names
        .natures
        .iter()
        .enumerate()
        .filter_map(|(i, code)| Some((model.natures.get(code)?, i)))
        .collect();
    let districts = district_axis().keys.len();
    let width = names.breakdown.len();
    let mut headline = Headline::new(model);
    let mut by_district = vec![Tally::default(); districts];
    let mut natures_by_district = vec![vec![Tally::default(); districts]; names.natures.len()];
    let mut nature_totals = vec![Tally::default(); names.natures.len()];
    let mut by_breakdown = vec![Tally::default(); width];
    let mut natures_by_breakdown = vec![vec![Tally::default(); width]; names.natures.len()];
    let mut monthly = vec![vec![Tally::default(); months.len()]; 4];
    let mut monthly_totals = vec![Tally::default(); 4];
    let (mut waited, mut served) = (Vec::new(), Vec::new());
    let (mut waited_people, mut served_people) = (Tally::default(), Tally::default());
    for case in matcher.cases(model) {
        for (i, step) in case.steps.iter().enumerate() {
            let series = match step.kind {
                CaseEventKind::Registered if step.state == CaseState::Open => 0,
                CaseEventKind::Opened => 0,
                CaseEventKind::Reactivated => 1,
                _ => continue,
            };
            let place = if (from..=until).contains(&step.on) {
                column(step.on, 0).map(|m| (series, m))
            } else if (last_from..=last_until).contains(&step.on) {
                column(step.on, 12).map(|m| (series + 2, m))
            } else {
                None
            };
            if let Some((row, m)) = place {
                monthly[row][m].add(case.client, few);
                monthly_totals[row].add(case.client, few);
            }
            let first_opening =
                series == 0 && !case.steps[..i].iter().any(|s| s.state == CaseState::Open);
            if first_opening && (from..=until).contains(&step.on) {
                waited.push(days_between(case.steps[0].on, step.on));
                waited_people.add(case.client, few);
            }
        }
        if let Some(days) = closed_after(case, from, until) {
            served.push(days);
            served_people.add(case.client, few);
        }
        if !case.served_in(from, until) {
            continue;
        }
        headline.add(case, few);
        let d = district_column(case.district);
        by_district[d].add(case.client, few);
        let b = names.key_of(view, case);
        if let Some(b) = b {
            by_breakdown[b].add(case.client, few);
        }
        for n in case.natures.iter().filter_map(|n| nature_row.of(*n)) {
            natures_by_district[n][d].add(case.client, few);
            nature_totals[n].add(case.client, few);
            if let Some(b) = b {
                natures_by_breakdown[n][b].add(case.client, few);
            }
        }
    }
    let exact = view.exact();
    let one_row = |id: &str| axis(Dimension::Series, vec![id.to_owned()]);
    let breakdown_axis = || axis(Names::breakdown_dimension(view), names.breakdown.clone());
    let nature_axis = || axis(Dimension::Nature, names.natures.clone());
    let figures = vec![
        adding_up(&[by_district], &[headline.cases.clone()], few).figure(
            "cases_by_district",
            one_row("cases"),
            district_axis(),
            exact,
        ),
        adding_up(&natures_by_district, &nature_totals, few).figure(
            "natures_by_district",
            nature_axis(),
            district_axis(),
            exact,
        ),
        adding_up(&[by_breakdown], &[headline.cases.clone()], few).figure(
            "cases_by_breakdown",
            one_row("cases"),
            breakdown_axis(),
            exact,
        ),
        adding_up(&natures_by_breakdown, &nature_totals, few).figure(
            "natures_by_breakdown",
            nature_axis(),
            breakdown_axis(),
            exact,
        ),
        adding_up(&monthly, &monthly_totals, few).figure(
            "new_by_month",
            axis(
                Dimension::Series,
                [
                    "new",
                    "reactivated",
                    "new_last_year",
                    "reactivated_last_year",
                ]
                .map(str::to_owned)
                .to_vec(),
            ),
            month_axis(&months),
            exact,
        ),
    ];
    let mut dashboard = headline.dashboard(view, names);
    dashboard.figures = figures;
    dashboard.spreads = BTreeMap::from([
        (
            "waiting_days".to_owned(),
            Spread::of(&mut waited, waited_people.shown(few)),
        ),
        (
            "open_days".to_owned(),
            Spread::of(&mut served, served_people.shown(few)),
        ),
    ]);
    Ok(dashboard)
}

/// Days a case was open before it closed within the period (from the start of the open
/// spell the closure ended, transfers within it included), if it did.
fn closed_after(case: &CaseFacts, from: NaiveDate, until: NaiveDate) -> Option<i64> {
    let steps = &case.steps;
    let closing = steps
        .iter()
        .rposition(|s| s.kind == CaseEventKind::Closed && (from..=until).contains(&s.on))?;
    let mut start = closing;
    while start > 0 && steps[start - 1].state == CaseState::Open {
        start -= 1;
    }
    (start < closing).then(|| days_between(steps[start].on, steps[closing].on))
}

/// Days from one day to another: chrono's subtraction works through 400-year cycles, and
/// this is asked of every case.
fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(to.num_days_from_ce() - from.num_days_from_ce())
}

/// Persons counted once each by one attribute: a column for each code, then one for
/// those whose record does not say (`rest`).
struct ByCode {
    dimension: Dimension,
    keys: Vec<String>,
    tallies: Vec<Tally>,
}

impl ByCode {
    fn new(
        dimension: Dimension,
        codes: impl IntoIterator<Item = &'static str>,
        rest: &str,
    ) -> ByCode {
        let mut keys: Vec<String> = codes.into_iter().map(str::to_owned).collect();
        keys.push(rest.to_owned());
        ByCode {
            dimension,
            tallies: vec![Tally::default(); keys.len()],
            keys,
        }
    }

    /// Counts a person in the column of the code's place in its list, or as unrecorded.
    fn add(&mut self, place: Option<usize>, client: u32, few: usize) {
        let column = place.unwrap_or(self.keys.len() - 1);
        self.tallies[column].add(client, few);
    }

    fn figure(self, id: &str, persons: &Tally, few: usize, exact: bool) -> Figure {
        adding_up(&[self.tallies], std::slice::from_ref(persons), few).figure(
            id,
            axis(Dimension::Series, vec!["persons".to_owned()]),
            axis(self.dimension, self.keys),
            exact,
        )
    }
}

fn place_of<T: PartialEq>(all: &[T], value: T) -> Option<usize> {
    all.iter().position(|x| *x == value)
}

const SEXES: [Sex; 2] = [Sex::F, Sex::M];

/// Who the service users are: the clients of the cases served in the view, each once, by
/// age and sex, district, household, housing, CSSA, income, new arrival, ethnicity,
/// language and disability (as their record says on the period's last day).
pub fn profile(conn: &mut DbConnection, model: &Model, view: &View) -> Result<Dashboard, ApiError> {
    // No figure here is keyed by nature, agency, centre or worker: nothing to name.
    let names = Names::default();
    let matcher = Matcher::new(model, view);
    let few = view.few_below();
    let exact = view.exact();
    let (from, until) = (view.filter.from, view.filter.until);
    let on = view.filter.reference_day(view.today);
    let mut headline = Headline::new(model);
    let mut counted = vec![false; model.client_count()];
    let mut persons = Tally::default();
    let bands = AgeBand::ALL.len();
    let mut age_sex = vec![vec![Tally::default(); bands]; SEXES.len()];
    let (mut by_sex, mut by_band) = (
        vec![Tally::default(); SEXES.len()],
        vec![Tally::default(); bands],
    );
    let mut by_district = vec![Tally::default(); district_axis().keys.len()];
    let codes = |all: &'static [&'static str]| all.iter().copied();
    let mut household = ByCode::new(
        Dimension::HouseholdType,
        HouseholdType::ALL.iter().map(|t| t.as_str()),
        UNRECORDED,
    );
    let mut housing = ByCode::new(
        Dimension::Housing,
        HousingType::ALL.iter().map(|t| t.as_str()),
        UNRECORDED,
    );
    let mut cssa = ByCode::new(
        Dimension::Cssa,
        CssaStatus::ALL.iter().map(|t| t.as_str()),
        UNRECORDED,
    );
    let mut income = ByCode::new(
        Dimension::IncomeBand,
        IncomeBand::ALL.iter().map(|t| t.as_str()),
        UNRECORDED,
    );
    let mut new_arrival = ByCode::new(Dimension::NewArrival, codes(&["true"]), "false");
    let mut ethnicity = ByCode::new(
        Dimension::Ethnicity,
        Ethnicity::ALL.iter().map(|t| t.as_str()),
        UNRECORDED,
    );
    let mut language = ByCode::new(
        Dimension::Language,
        Language::ALL.iter().map(|t| t.as_str()),
        UNRECORDED,
    );
    // A person may have several disabilities: the columns add up to more than the persons.
    let mut disability = ByCode::new(
        Dimension::Disability,
        Disability::ALL.iter().map(|t| t.as_str()),
        NO_DISABILITY,
    );
    for case in matcher.served_within(model, from, until) {
        headline.add(case, few);
        let client = case.client;
        if std::mem::replace(&mut counted[client as usize], true) {
            continue;
        }
        persons.add(client, few);
        let (sex, band) = (
            place_of(&SEXES, case.sex).expect("a sex"),
            place_of(AgeBand::ALL, AgeBand::of(case.born, on)).expect("an age band"),
        );
        age_sex[sex][band].add(client, few);
        by_sex[sex].add(client, few);
        by_band[band].add(client, few);
        by_district[district_column(case.district)].add(client, few);
        let h = case.household;
        household.add(
            h.and_then(|h| place_of(HouseholdType::ALL, h.household_type)),
            client,
            few,
        );
        housing.add(
            h.and_then(|h| place_of(HousingType::ALL, h.housing)),
            client,
            few,
        );
        cssa.add(
            h.and_then(|h| place_of(CssaStatus::ALL, h.cssa)),
            client,
            few,
        );
        income.add(
            h.and_then(|h| place_of(IncomeBand::ALL, h.income)),
            client,
            few,
        );
        new_arrival.add(is_new_arrival(case.arrived, on).then_some(0), client, few);
        let p = case.person;
        ethnicity.add(
            p.ethnicity.and_then(|e| place_of(Ethnicity::ALL, e)),
            client,
            few,
        );
        language.add(
            p.language.and_then(|l| place_of(Language::ALL, l)),
            client,
            few,
        );
        let mut any = false;
        for (i, d) in Disability::ALL.iter().enumerate() {
            if p.has(*d) {
                disability.add(Some(i), client, few);
                any = true;
            }
        }
        if !any {
            disability.add(None, client, few);
        }
    }
    let mut by_age_sex = Grid {
        cells: age_sex.iter().map(|row| tallied(row, few)).collect(),
        row_totals: Some(tallied(&by_sex, few)),
        column_totals: Some(tallied(&by_band, few)),
        grand: Some(persons.tallied(few)),
    }
    .figure(
        "age_sex",
        axis(
            Dimension::Sex,
            SEXES.iter().map(|s| s.as_str().to_owned()).collect(),
        ),
        axis(
            Dimension::AgeBand,
            AgeBand::ALL.iter().map(|b| b.as_str().to_owned()).collect(),
        ),
        exact,
    );
    let mut by_district = adding_up(&[by_district], &[persons.clone()], few).figure(
        "persons_by_district",
        axis(Dimension::Series, vec!["persons".to_owned()]),
        district_axis(),
        exact,
    );
    // Rates compare with all residents of the district, age band and sex: the view's
    // other filters (household, CSSA and the like) have no population to compare with.
    let population = Population::read(conn)?;
    if !population.is_empty() {
        let f = &view.filter;
        by_age_sex = by_age_sex.with_rates(|sex, band| {
            population.residents(f.district, Some(AgeBand::ALL[band]), Some(SEXES[sex]))
        });
        by_district = by_district.with_rates(|_, column| {
            District::ALL
                .get(column)
                .map_or(0, |d| population.residents(Some(*d), f.age_band, f.sex))
        });
    }
    let figures = vec![
        by_age_sex,
        by_district,
        household.figure("persons_by_household_type", &persons, few, exact),
        housing.figure("persons_by_housing", &persons, few, exact),
        cssa.figure("persons_by_cssa", &persons, few, exact),
        income.figure("persons_by_income_band", &persons, few, exact),
        new_arrival.figure("persons_by_new_arrival", &persons, few, exact),
        ethnicity.figure("persons_by_ethnicity", &persons, few, exact),
        language.figure("persons_by_language", &persons, few, exact),
        disability.figure("persons_by_disability", &persons, few, exact),
    ];
    let mut dashboard = headline.dashboard(view, names);
    dashboard.figures = figures;
    Ok(dashboard)
}

/// Complex family problems: how many natures a case has, which come together and how
/// strongly, and the combinations most often found.
pub fn complexity(
    conn: &mut DbConnection,
    model: &Model,
    view: &View,
) -> Result<Dashboard, ApiError> {
    let names = Names::read(conn, model, view)?;
    let matcher = Matcher::new(model, view);
    let few = view.few_below();
    let (from, until) = (view.filter.from, view.filter.until);
    let place: Places = names
        .natures
        .iter()
        .enumerate()
        .filter_map(|(i, code)| Some((model.natures.get(code)?, i)))
        .collect();
    let k = names.natures.len();
    let mut headline = Headline::new(model);
    let mut per_case = vec![Tally::default(); 5];
    let mut single = vec![Tally::default(); k];
    // Every pair and triple of natures in place, by their places in order: a taxonomy has
    // a few dozen natures, and hashing each case's combinations cost more than the room.
    let mut pairs = vec![Tally::default(); k * k];
    let mut triples = vec![Tally::default(); k * k * k];
    let mut complex = Tally::default();
    for case in matcher.served_within(model, from, until) {
        headline.add(case, few);
        let mut own: SmallVec<[usize; 8]> =
            case.natures.iter().filter_map(|n| place.of(*n)).collect();
        own.sort_unstable();
        per_case[own.len().min(4)].add(case.client, few);
        if own.len() >= 3 {
            complex.add(case.client, few);
        }
        for (i, &a) in own.iter().enumerate() {
            single[a].add(case.client, few);
            for (j, &b) in own.iter().enumerate().skip(i + 1) {
                pairs[a * k + b].add(case.client, few);
                for &c in &own[j + 1..] {
                    triples[(a * k + b) * k + c].add(case.client, few);
                }
            }
        }
    }
    let total = headline.cases.count;
    let pair = |a: usize, b: usize| &pairs[a.min(b) * k + a.max(b)];
    let share = |n: i64| {
        if total > 0 {
            n as f64 / total as f64
        } else {
            0.0
        }
    };
    let matrix: Vec<Vec<Pairing>> = (0..k)
        .map(|a| {
            (0..k)
                .map(|b| {
                    if a == b {
                        let shown = single[a].shown(few);
                        Pairing {
                            cases: shown.then_some(single[a].count),
                            joint: (shown && total > 0).then(|| share(single[a].count)),
                            lift: None,
                            phi: None,
                            jaccard: None,
                        }
                    } else {
                        let both = pair(a, b);
                        Pairing::of(
                            total,
                            single[a].count,
                            single[b].count,
                            both.count,
                            both.shown(few),
                        )
                    }
                })
                .collect()
        })
        .collect();
    // A rule reads from the natures with the fewest cases to the last: the most confident.
    let rule = |members: &[usize], count: i64, antecedent: i64, consequent: usize| Combination {
        natures: members
            .iter()
            .filter(|&&m| m != consequent)
            .chain(std::iter::once(&consequent))
            .map(|&m| names.natures[m].clone())
            .collect(),
        cases: count,
        support: share(count),
        confidence: count as f64 / antecedent as f64,
        lift: (count as f64 / antecedent as f64) / share(single[consequent].count),
    };
    let mut two: Vec<Combination> = pairs
        .iter()
        .enumerate()
        .filter(|(_, t)| t.count > 0 && !t.tallied(few).few)
        .map(|(i, t)| {
            let (a, b) = (i / k, i % k);
            let (antecedent, consequent) = if single[a].count <= single[b].count {
                (a, b)
            } else {
                (b, a)
            };
            rule(&[a, b], t.count, single[antecedent].count, consequent)
        })
        .collect();
    let mut three: Vec<Combination> = triples
        .iter()
        .enumerate()
        .filter(|(_, t)| t.count > 0 && !t.tallied(few).few)
        .map(|(i, t)| {
            let (a, b, c) = (i / (k * k), i / k % k, i % k);
            let options = [
                (c, pair(a, b).count),
                (b, pair(a, c).count),
                (a, pair(b, c).count),
            ];
            let (consequent, antecedent) = options
                .into_iter()
                .min_by_key(|(_, n)| *n)
                .expect("three options");
            rule(&[a, b, c], t.count, antecedent, consequent)
        })
        .collect();
    for list in [&mut two, &mut three] {
        list.sort_by(|x, y| {
            y.cases
                .cmp(&x.cases)
                .then_with(|| x.natures.cmp(&y.natures))
        });
        list.truncate(TOP_COMBINATIONS);
    }
    let complex_shown = complex.shown(few);
    let exact = view.exact();
    let figures = vec![
        adding_up(&[per_case], &[headline.cases.clone()], few).figure(
            "natures_per_case",
            axis(Dimension::Series, vec!["cases".to_owned()]),
            axis(
                Dimension::NaturesPerCase,
                ["0", "1", "2", "3", "4+"].map(str::to_owned).to_vec(),
            ),
            exact,
        ),
    ];
    let co_occurrence = CoOccurrence {
        natures: names.natures.clone(),
        pairs: matrix,
        combinations: two.into_iter().chain(three).collect(),
        complex_cases: complex_shown.then_some(complex.count),
        complex_share: (complex_shown && total > 0).then(|| share(complex.count)),
    };
    let mut dashboard = headline.dashboard(view, names);
    dashboard.figures = figures;
    dashboard.co_occurrence = Some(co_occurrence);
    Ok(dashboard)
}

/// Themes read from case notes: how many cases' notes raised each, by month, by
/// district and beside the case natures the cases carry. A case counts once in a cell
/// however many of its notes raised the theme there; themes are words found in
/// narratives, not records a worker made, and the page says so.
pub fn themes(conn: &mut DbConnection, model: &Model, view: &View) -> Result<Dashboard, ApiError> {
    let mut names = Names::read(conn, model, view)?;
    let matcher = Matcher::new(model, view);
    let few = view.few_below();
    let exact = view.exact();
    let (from, until) = (view.filter.from, view.filter.until);
    let months = months_of(from, until);
    let first_month = months[0];
    let cues = RiskCue::ALL.iter().map(|cue| cue.theme());
    let themes: Vec<String> = names.natures.iter().cloned().chain(cues).collect();
    for cue in RiskCue::ALL {
        let name = key_name(cue.name_zh().to_owned(), cue.name_en().to_owned());
        names.names.insert(cue.theme(), name);
    }
    // Each of the model's theme numbers, as its row.
    let row_of: Vec<Option<usize>> = model
        .themes
        .names
        .iter()
        .map(|theme| themes.iter().position(|t| t == theme))
        .collect();
    let nature_column: Places = names
        .natures
        .iter()
        .enumerate()
        .filter_map(|(i, code)| Some((model.natures.get(code)?, i)))
        .collect();
    let rows = themes.len();
    let districts = district_axis().keys.len();
    let mut headline = Headline::new(model);
    let mut by_month = vec![vec![Tally::default(); months.len()]; rows];
    let mut by_district = vec![vec![Tally::default(); districts]; rows];
    let mut by_nature = vec![vec![Tally::default(); names.natures.len()]; rows];
    let mut totals = vec![Tally::default(); rows];
    let first_month = month_number(first_month);
    for (served, case) in matcher.cases_within(model, from, until) {
        if served {
            headline.add(case, few);
        }
        let rows_of = |bits: u64| each_theme(bits).filter_map(|t| row_of[t as usize]);
        // Notes are in day order: a month's are together, and are counted as they end.
        let mut raised = 0u64;
        let mut month = (first_month, 0u64);
        let mut count_month = |(m, bits): (i32, u64)| {
            for row in rows_of(bits) {
                by_month[row][(m - first_month) as usize].add(case.client, few);
            }
        };
        for note in model.notes.within(case.notes, from, until) {
            raised |= note.themes;
            if note.month != month.0 {
                count_month(month);
                month = (note.month, 0);
            }
            month.1 |= note.themes;
        }
        if raised == 0 {
            continue;
        }
        count_month(month);
        let d = district_column(case.district);
        for row in rows_of(raised) {
            by_district[row][d].add(case.client, few);
            totals[row].add(case.client, few);
            for n in case.natures.iter().filter_map(|n| nature_column.of(*n)) {
                by_nature[row][n].add(case.client, few);
            }
        }
    }
    let theme_axis = || axis(Dimension::Theme, themes.clone());
    // A case raises themes in several months and carries several natures: those rows
    // add up to no total, and publish none.
    let cells_only = |rows: &[Vec<Tally>]| Grid {
        cells: rows.iter().map(|row| tallied(row, few)).collect(),
        row_totals: None,
        column_totals: None,
        grand: None,
    };
    let figures = vec![
        cells_only(&by_month).figure("themes_by_month", theme_axis(), month_axis(&months), exact),
        adding_up(&by_district, &totals, few).figure(
            "themes_by_district",
            theme_axis(),
            district_axis(),
            exact,
        ),
        cells_only(&by_nature).figure(
            "themes_by_nature",
            theme_axis(),
            axis(Dimension::Nature, names.natures.clone()),
            exact,
        ),
    ];
    let mut dashboard = headline.dashboard(view, names);
    dashboard.figures = figures;
    Ok(dashboard)
}
