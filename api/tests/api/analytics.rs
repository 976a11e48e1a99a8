//! DAS dashboards: figures recounted from the raw tables by a separate, simple reading over
//! generated data; small counts suppressed beyond one's own centre, never given back by a
//! total; filters checked and named; every view audited.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use actix_web::http::{Method, StatusCode};
use chrono::{Datelike, NaiveDate};
use diesel::sql_types::{BigInt, Date, Nullable, Text};
use diesel::QueryableByName;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};
use crate::statistics::{busiest, load, one, One};

crate::on_both_backends!(
    every_figure_is_recounted_from_the_raw_tables,
    small_counts_are_hidden_beyond_ones_own_centre,
    filters_are_checked_and_views_audited,
    risk_factors_are_fitted_over_the_cases_in_view,
    population_figures_give_rates_per_10000,
    themes_are_recounted_from_the_tagged_notes,
    needs_ahead_are_forecast_from_the_months_recounted,
    a_view_drills_down_to_one_worker,
);

#[derive(QueryableByName)]
struct Case {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    centre_id: String,
    #[diesel(sql_type = Text)]
    client_id: String,
    #[diesel(sql_type = Text)]
    case_type: String,
    #[diesel(sql_type = Nullable<Text>)]
    district: Option<String>,
    #[diesel(sql_type = Text)]
    sex: String,
    #[diesel(sql_type = Date)]
    date_of_birth: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    arrived_on: Option<NaiveDate>,
    #[diesel(sql_type = Nullable<Text>)]
    ethnicity: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    preferred_language: Option<String>,
    #[diesel(sql_type = Text)]
    disabilities: String,
    #[diesel(sql_type = Nullable<Text>)]
    household_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    housing_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    cssa_status: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    income_band: Option<String>,
}

#[derive(QueryableByName)]
struct Event {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Date)]
    effective_on: NaiveDate,
}

#[derive(QueryableByName)]
struct Tag {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Text)]
    nature_code: String,
}

/// The raw rows, read apart from the model: each case with its client's district (or
/// else the household's), its history in order and its natures.
struct Raw {
    cases: Vec<Case>,
    history: HashMap<String, Vec<Event>>,
    natures: HashMap<String, BTreeSet<String>>,
}

fn raw(app: &TestApp) -> Raw {
    let cases = load::<Case>(
        app,
        "SELECT c.id, c.centre_id, c.client_id, c.case_type, \
         COALESCE(cl.district, h.district) AS district, cl.sex, cl.date_of_birth, \
         cl.arrived_on, cl.ethnicity, cl.preferred_language, cl.disabilities, \
         h.household_type, h.housing_type, h.cssa_status, h.income_band \
         FROM cases c JOIN clients cl ON cl.id = c.client_id \
         LEFT JOIN household_memberships m ON m.client_id = c.client_id AND m.left_on IS NULL \
         LEFT JOIN households h ON h.id = m.household_id",
    );
    let mut history: HashMap<String, Vec<Event>> = HashMap::new();
    for event in load::<Event>(
        app,
        "SELECT case_id, seq, kind, state, effective_on FROM case_events",
    ) {
        history
            .entry(event.case_id.clone())
            .or_default()
            .push(event);
    }
    for events in history.values_mut() {
        events.sort_by_key(|e| e.seq);
    }
    let mut natures: HashMap<String, BTreeSet<String>> = HashMap::new();
    for tag in load::<Tag>(app, "SELECT case_id, nature_code FROM case_nature_tags") {
        natures
            .entry(tag.case_id)
            .or_default()
            .insert(tag.nature_code);
    }
    Raw {
        cases,
        history,
        natures,
    }
}

/// Open at some time in the period: an open step that began by its end and lasted, until
/// the next step began, to its start or later.
fn served(events: &[Event], from: NaiveDate, until: NaiveDate) -> bool {
    events.iter().enumerate().any(|(i, e)| {
        e.state == "open"
            && e.effective_on <= until
            && events
                .get(i + 1)
                .is_none_or(|next| next.effective_on >= from)
    })
}

/// A recounted cell: its cases and their distinct clients.
#[derive(Default, Debug)]
struct Cell {
    cases: i64,
    people: BTreeSet<String>,
}

impl Cell {
    fn add(&mut self, client: &str) {
        self.cases += 1;
        self.people.insert(client.to_owned());
    }
}

/// Every figure's cells by (figure, row key, column key), recounted.
fn recount(
    raw: &Raw,
    centres: &BTreeSet<String>,
    case_type: Option<&str>,
    from: NaiveDate,
    until: NaiveDate,
) -> BTreeMap<(String, String, String), Cell> {
    let mut cells: BTreeMap<(String, String, String), Cell> = BTreeMap::new();
    let mut add = |figure: &str, row: &str, column: &str, client: &str| {
        cells
            .entry((figure.to_owned(), row.to_owned(), column.to_owned()))
            .or_default()
            .add(client)
    };
    let empty = BTreeSet::new();
    let mut profiled = BTreeSet::new();
    for case in &raw.cases {
        if !centres.contains(&case.centre_id) || case_type.is_some_and(|t| t != case.case_type) {
            continue;
        }
        let events = raw.history.get(&case.id).map_or(&[][..], Vec::as_slice);
        let client = case.client_id.as_str();
        for e in events {
            let series = match (e.kind.as_str(), e.state.as_str()) {
                ("registered", "open") | ("opened", _) => "new",
                ("reactivated", _) => "reactivated",
                _ => continue,
            };
            if (from..=until).contains(&e.effective_on) {
                let month = format!("{}-{:02}", e.effective_on.year(), e.effective_on.month());
                add("new_by_month", series, &month, client);
            }
        }
        if !served(events, from, until) {
            continue;
        }
        let district = case.district.as_deref().unwrap_or("unrecorded");
        let natures = raw.natures.get(&case.id).unwrap_or(&empty);
        add("cases_by_district", "cases", district, client);
        add("total", "", "", client);
        let count = natures.len().min(4);
        let per_case = if count == 4 {
            "4+".to_owned()
        } else {
            count.to_string()
        };
        add("natures_per_case", "cases", &per_case, client);
        if profiled.insert(client) {
            profile(case, until, &mut add);
        }
        for a in natures {
            add("natures_by_district", a, district, client);
            for b in natures {
                add("pairs", a, b, client);
            }
        }
    }
    cells
}

/// A client's row in each figure of the profile, read from their record as it is.
fn profile(case: &Case, on: NaiveDate, add: &mut impl FnMut(&str, &str, &str, &str)) {
    let client = case.client_id.as_str();
    let mut age = on.year() - case.date_of_birth.year();
    if (on.month(), on.day()) < (case.date_of_birth.month(), case.date_of_birth.day()) {
        age -= 1;
    }
    let band = [
        (6, "0-5"),
        (13, "6-12"),
        (18, "13-17"),
        (25, "18-24"),
        (35, "25-34"),
        (45, "35-44"),
        (55, "45-54"),
        (65, "55-64"),
        (75, "65-74"),
    ]
    .iter()
    .find(|(below, _)| age < *below)
    .map_or("75+", |(_, band)| band);
    add("age_sex", &case.sex, band, client);
    add(
        "persons_by_district",
        "persons",
        case.district.as_deref().unwrap_or("unrecorded"),
        client,
    );
    let or_unrecorded = |v: &Option<String>| v.clone().unwrap_or_else(|| "unrecorded".to_owned());
    // A household is read only whole: its type, housing, CSSA and income are all required.
    add(
        "persons_by_household_type",
        "persons",
        &or_unrecorded(&case.household_type),
        client,
    );
    add(
        "persons_by_housing",
        "persons",
        &or_unrecorded(&case.housing_type),
        client,
    );
    add(
        "persons_by_cssa",
        "persons",
        &or_unrecorded(&case.cssa_status),
        client,
    );
    add(
        "persons_by_income_band",
        "persons",
        &or_unrecorded(&case.income_band),
        client,
    );
    let arrived = case
        .arrived_on
        .is_some_and(|a| a <= on && on < a.with_year(a.year() + 7).unwrap_or(a));
    add(
        "persons_by_new_arrival",
        "persons",
        if arrived { "true" } else { "false" },
        client,
    );
    add(
        "persons_by_ethnicity",
        "persons",
        &or_unrecorded(&case.ethnicity),
        client,
    );
    add(
        "persons_by_language",
        "persons",
        &or_unrecorded(&case.preferred_language),
        client,
    );
    let disabilities: BTreeSet<&str> = case
        .disabilities
        .split(',')
        .filter(|d| !d.is_empty())
        .collect();
    if disabilities.is_empty() {
        add("persons_by_disability", "persons", "none", client);
    }
    for d in disabilities {
        add("persons_by_disability", "persons", d, client);
    }
}

/// (figure, row key, column key) → shown count, from a dashboard's figures and pairs.
fn shown(dashboards: &[&Value]) -> BTreeMap<(String, String, String), Option<i64>> {
    let mut shown = BTreeMap::new();
    for dashboard in dashboards {
        for figure in dashboard["figures"].as_array().unwrap() {
            let id = figure["id"].as_str().unwrap();
            let keys = |axis: &str| -> Vec<String> {
                figure[axis]["keys"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap().to_owned())
                    .collect()
            };
            let (rows, columns) = (keys("rows"), keys("columns"));
            for (r, row) in figure["cells"].as_array().unwrap().iter().enumerate() {
                for (c, cell) in row.as_array().unwrap().iter().enumerate() {
                    shown.insert(
                        (id.to_owned(), rows[r].clone(), columns[c].clone()),
                        cell.as_i64(),
                    );
                }
            }
        }
        if let Some(co) = dashboard["co_occurrence"].as_object() {
            let natures: Vec<&str> = co["natures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect();
            for (a, row) in co["pairs"].as_array().unwrap().iter().enumerate() {
                for (b, pairing) in row.as_array().unwrap().iter().enumerate() {
                    shown.insert(
                        (
                            "pairs".to_owned(),
                            natures[a].to_owned(),
                            natures[b].to_owned(),
                        ),
                        pairing["cases"].as_i64(),
                    );
                }
            }
        }
    }
    shown
}

const YEAR: &str = "from=2021-04-01&until=2022-03-31";

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The problems, complexity and profile dashboards of one view.
async fn dashboards(app: &TestApp, token: &str, query: &str) -> [Value; 3] {
    let mut read = Vec::new();
    for board in ["problems", "complexity", "profile"] {
        let reply = app
            .get(&format!("/api/analytics/{board}?{query}"), token)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{board}: {}",
            String::from_utf8_lossy(&reply.bytes)
        );
        read.push(reply.json());
    }
    read.try_into().unwrap()
}

async fn every_figure_is_recounted_from_the_raw_tables(backend: Backend) {
    let app = TestApp::spawn_scaled(backend, 0.01, 7).await;
    let (centre, supervisor) = busiest(&app).await;
    let raw = raw(&app);
    let centres = BTreeSet::from([centre.clone()]);
    let mut checked = 0;
    for (case_type, filter) in [
        (None, String::new()),
        (
            Some("brief_supportive"),
            "&case_type=brief_supportive".to_owned(),
        ),
    ] {
        let [problems, complexity, profile] =
            dashboards(&app, &supervisor, &format!("{YEAR}{filter}")).await;
        assert_eq!(
            problems["suppressed_below"],
            Value::Null,
            "a supervisor's own centre is exact"
        );
        let expected = recount(
            &raw,
            &centres,
            case_type,
            day("2021-04-01"),
            day("2022-03-31"),
        );
        let total = &expected[&("total".to_owned(), String::new(), String::new())];
        assert!(
            total.cases > 0,
            "the generated centre serves cases that year: {filter}"
        );
        assert_eq!(problems["cases"].as_i64(), Some(total.cases));
        assert_eq!(
            problems["persons"].as_i64(),
            Some(total.people.len() as i64)
        );
        assert_eq!(profile["persons"], problems["persons"]);
        let shown = shown(&[&problems, &complexity, &profile]);
        for (key, cell) in &expected {
            if key.0 == "total" {
                continue;
            }
            assert_eq!(shown.get(key), Some(&Some(cell.cases)), "{key:?}");
            checked += 1;
        }
        for (key, count) in &shown {
            let elsewhere = key.0.ends_with("breakdown") || key.1.ends_with("_last_year");
            if !expected.contains_key(key) && !elsewhere {
                assert_eq!(*count, Some(0), "{key:?} counts what the raw rows do not");
            }
        }
        // Each case is under one worker: the breakdown adds up to the cases.
        let by_worker = problems["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "cases_by_breakdown")
            .unwrap();
        assert_eq!(by_worker["columns"]["dimension"], "worker");
        let sum: i64 = by_worker["cells"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_i64().unwrap())
            .sum();
        assert_eq!(sum, total.cases);
    }
    assert!(checked > 40, "only {checked} cells compared");
}

async fn small_counts_are_hidden_beyond_ones_own_centre(backend: Backend) {
    let app = TestApp::spawn_scaled(backend, 0.01, 7).await;
    let raw = raw(&app);
    let all: BTreeSet<String> = load::<One>(&app, "SELECT id AS v FROM centres")
        .into_iter()
        .map(|o| o.v)
        .collect();
    let admin = app.login("admin").await;
    let [problems, complexity, profile] = dashboards(&app, &admin, YEAR).await;
    assert_eq!(problems["suppressed_below"], 10);
    assert_eq!(problems["figures"][2]["columns"]["dimension"], "agency");
    let expected = recount(&raw, &all, None, day("2021-04-01"), day("2022-03-31"));
    let shown = shown(&[&problems, &complexity, &profile]);
    let mut hidden_small = 0;
    for (key, cell) in &expected {
        if key.0 == "total" {
            continue;
        }
        let few = (1..10).contains(&cell.people.len());
        match shown.get(key) {
            Some(None) => hidden_small += usize::from(few),
            Some(Some(count)) => {
                assert!(!few, "{key:?}: {} people shown", cell.people.len());
                assert_eq!(*count, cell.cases, "{key:?}");
            }
            None => panic!("{key:?} missing"),
        }
    }
    assert!(
        hidden_small > 0,
        "the generated data has small cells to hide"
    );
    // No hidden count is given back by its row's total less the other cells.
    let figures = [&problems, &profile].map(|d| d["figures"].as_array().unwrap().clone());
    figures.iter().flatten().for_each(no_lone_hidden_cell);
    // Narrowed to one district, where a nature has few cases, nothing small shows.
    let district = "K";
    let [narrow, _, narrow_profile] =
        dashboards(&app, &admin, &format!("{YEAR}&district={district}")).await;
    let narrow = [&narrow, &narrow_profile].map(|d| d["figures"].as_array().unwrap().clone());
    for figure in narrow.iter().flatten() {
        for row in figure["cells"].as_array().unwrap() {
            for cell in row.as_array().unwrap() {
                if let Some(n) = cell.as_i64() {
                    assert!(n == 0 || n >= 10, "{}: {n} shown", figure["id"]);
                }
            }
        }
    }
}

async fn filters_are_checked_and_views_audited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let supervisor = app.login("supervisor").await;
    for (query, status, field) in [
        (
            "from=2021-13-01&until=2022-01-01",
            StatusCode::BAD_REQUEST,
            "from",
        ),
        (
            "from=2022-01-01&until=2021-01-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "until",
        ),
        ("from=2022-01-01", StatusCode::UNPROCESSABLE_ENTITY, "until"),
        ("sex=X", StatusCode::BAD_REQUEST, "sex"),
        (
            "centre_id=nowhere",
            StatusCode::UNPROCESSABLE_ENTITY,
            "centre_id",
        ),
        ("colour=red", StatusCode::BAD_REQUEST, "colour"),
    ] {
        let reply = app
            .get(&format!("/api/analytics/problems?{query}"), &supervisor)
            .await;
        assert_eq!(
            reply.status,
            status,
            "{query}: {}",
            String::from_utf8_lossy(&reply.bytes)
        );
        assert!(
            reply.json()["fields"].get(field).is_some(),
            "{query}: {}",
            String::from_utf8_lossy(&reply.bytes)
        );
    }
    let learner = app.login("learner").await;
    let refused = app.get("/api/analytics/complexity", &learner).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let viewed = app
        .get(
            "/api/analytics/problems?sex=F&new_arrival=true",
            &supervisor,
        )
        .await;
    assert_eq!(viewed.status, StatusCode::OK);
    assert_eq!(viewed.json()["scope"], "centre");
    app.reads.flush();
    let detail = one(
        &app,
        "SELECT detail AS v FROM audit_log WHERE action = 'analytics.view'",
    );
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["dashboard"], "problems");
    assert_eq!(detail["filters"]["sex"], "F");
    assert_eq!(detail["filters"]["new_arrival"], true);
}

/// A PHQ-9 total's band within a case, as the risk factors read it.
#[derive(QueryableByName)]
struct Band {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Text)]
    client_id: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    severity: Option<i64>,
}

async fn risk_factors_are_fitted_over_the_cases_in_view(backend: Backend) {
    let app = TestApp::spawn_scaled(backend, 0.01, 7).await;
    let raw = raw(&app);
    let all: BTreeSet<String> = load::<One>(&app, "SELECT id AS v FROM centres")
        .into_iter()
        .map(|o| o.v)
        .collect();
    let (from, until) = (day("2021-04-01"), day("2022-03-31"));
    let served: Vec<&Case> = raw
        .cases
        .iter()
        .filter(|c| all.contains(&c.centre_id))
        .filter(|c| {
            served(
                raw.history.get(&c.id).map_or(&[][..], Vec::as_slice),
                from,
                until,
            )
        })
        .collect();
    let with = |code: &str| {
        served
            .iter()
            .filter(|c| raw.natures.get(&c.id).is_some_and(|n| n.contains(code)))
            .count() as i64
    };
    // PHQ-9 measures of sixty more of the clients within their cases, beside the data
    // set's own: every other one raised in May, every fourth of those measured again below
    // in July, and again raised after the period; the latest by the period's end counts.
    let mut measured: Vec<&&Case> = served.iter().collect();
    measured.sort_by(|a, b| a.id.cmp(&b.id));
    measured.truncate(60);
    let measure = |n: usize, case: &Case, on: &str, severity: i64| {
        let id = format!("band-{n}-{on}");
        app.execute(&format!(
            "INSERT INTO assessments (id, client_id, centre_id, case_id, instrument, \
             instrument_version, stage, administered_on, answers, created_at) VALUES \
             ('{id}', '{}', '{}', '{}', 'phq9', 1, 'pre', '{on}', '{{}}', '{on} 10:00:00')",
            case.client_id, case.centre_id, case.id,
        ));
        app.execute(&format!(
            "INSERT INTO assessment_scores (assessment_id, scale, raw, score_milli, severity, \
             prorated) VALUES ('{id}', 'total', 0, 0, {severity}, FALSE)"
        ));
    };
    for (n, case) in measured.iter().enumerate() {
        measure(n, case, "2021-05-01", if n % 2 == 0 { 3 } else { 0 });
        if n % 4 == 0 {
            measure(n, case, "2021-07-01", 0);
            measure(n, case, "2022-05-01", 4);
        }
        app.execute(&format!(
            "UPDATE case_risks SET facts_stale = TRUE WHERE case_id = '{}'",
            case.id
        ));
    }
    let admin = app.login("admin").await;
    let reply = app
        .get(
            &format!("/api/analytics/risk-factors/financial?{YEAR}"),
            &admin,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    let body = reply.json();
    assert_eq!(body["cases"].as_i64(), Some(served.len() as i64));
    assert_eq!(body["with_outcome"].as_i64(), Some(with("financial")));
    let prevalence = &body["prevalence"];
    let share = prevalence["share"].as_f64().unwrap();
    assert!((share - with("financial") as f64 / served.len() as f64).abs() < 1e-12);
    assert!(
        prevalence["low"].as_f64().unwrap() < share && share < prevalence["high"].as_f64().unwrap()
    );
    let factors = body["factors"].as_array().unwrap();
    assert!(!factors.is_empty(), "{body}");
    for factor in factors {
        // Beyond one's own centre, no level of fewer than ten cases is estimated.
        assert!(factor["cases"].as_i64().unwrap() >= 10, "{factor}");
        for ratio in ["prevalence_ratio", "odds_ratio"] {
            let r = &factor[ratio];
            if r.is_null() {
                continue;
            }
            let (low, mid, high) = (
                r["low"].as_f64().unwrap(),
                r["ratio"].as_f64().unwrap(),
                r["high"].as_f64().unwrap(),
            );
            assert!(low < mid && mid < high, "{factor}");
            assert!((0.0..=1.0).contains(&r["p_value"].as_f64().unwrap()));
        }
    }
    assert!(
        body["poisson_failed"].is_null() || factors.iter().all(|f| f["prevalence_ratio"].is_null()),
        "a model either fits or says why"
    );
    let level = |name: &str| {
        factors
            .iter()
            .find(|f| f["factor"] == "assessment_band" && f["level"] == name)
            .unwrap_or_else(|| panic!("no {name} among {body}"))
    };
    let mut latest: HashMap<String, Option<i64>> = HashMap::new();
    for band in load::<Band>(
        &app,
        "SELECT a.case_id, a.client_id, s.severity FROM assessments a \
         JOIN assessment_scores s ON s.assessment_id = a.id \
         WHERE a.instrument = 'phq9' AND s.scale = 'total' AND a.case_id IS NOT NULL \
         AND a.administered_on <= '2022-03-31' ORDER BY a.administered_on, a.created_at",
    ) {
        if served
            .iter()
            .any(|c| c.id == band.case_id && c.client_id == band.client_id)
        {
            latest.insert(band.case_id, band.severity);
        }
    }
    let raised = latest
        .values()
        .filter(|s| s.is_some_and(|s| s >= 2))
        .count();
    assert!(raised >= 15, "the added raised measures among {raised}");
    assert_eq!(level("phq9_raised")["cases"].as_u64(), Some(raised as u64));
    assert_eq!(level("phq9_raised")["reference"], "phq9_below");
    assert_eq!(
        level("phq9_not_measured")["cases"].as_u64(),
        Some((served.len() - latest.len()) as u64)
    );
    // GAD-7's levels too are either estimated or named as left out.
    for name in ["gad7_raised", "gad7_not_measured"] {
        let estimated = factors
            .iter()
            .any(|f| f["factor"] == "assessment_band" && f["level"] == name);
        let left_out = body["left_out"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l[0] == "assessment_band" && l[1] == name);
        assert!(estimated != left_out, "{name} in {body}");
    }

    let unknown = app
        .get(
            &format!("/api/analytics/risk-factors/no_such?{YEAR}"),
            &admin,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let (_, supervisor) = busiest(&app).await;
    for outcome in ["complex", "flagged"] {
        let reply = app
            .get(
                &format!("/api/analytics/risk-factors/{outcome}?{YEAR}"),
                &supervisor,
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{outcome}");
        assert_eq!(reply.json()["suppressed_below"], Value::Null);
    }
}

async fn profile_of(app: &TestApp, token: &str) -> Value {
    let reply = app
        .get(&format!("/api/analytics/profile?{YEAR}"), token)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.json()
}

async fn put(app: &TestApp, body: Value, token: &str) -> crate::helpers::Reply {
    app.send(Method::PUT, "/api/analytics/population", token, &body)
        .await
}

/// A population file of every district, age band and sex, each cell its own size.
fn population_csv() -> (String, BTreeMap<(String, String, String), i64>) {
    let bands = [
        "0-5", "6-12", "13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+",
    ];
    let mut cells = BTreeMap::new();
    let mut csv = "district,age_band,sex,population\n".to_owned();
    for (d, district) in "ABCDEFGHJKLMNPQRST".chars().enumerate() {
        for (b, band) in bands.iter().enumerate() {
            for (s, sex) in ["F", "M"].iter().enumerate() {
                let population = 1_000 + 100 * d as i64 + 10 * b as i64 + s as i64;
                csv.push_str(&format!("{district},{band},{sex},{population}\n"));
                cells.insert(
                    (district.to_string(), band.to_string(), sex.to_string()),
                    population,
                );
            }
        }
    }
    (csv, cells)
}

async fn population_figures_give_rates_per_10000(backend: Backend) {
    let app = TestApp::spawn_scaled(backend, 0.01, 7).await;
    let admin = app.login("admin").await;
    let (_, supervisor) = busiest(&app).await;
    let read = app.get("/api/analytics/population", &admin).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json(), Value::Null);
    let before = profile_of(&app, &supervisor).await;
    assert!(
        before["figures"][0].get("per_10000").is_none(),
        "no rates without a population"
    );

    // Every wrong value named by line and column; nothing written.
    let refused = put(&app, json!({ "source": "Census", "csv": "district,age_band,sex,population\nF,35-44,F,10\nZ,35-44,F,-3\n" }), &admin)
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &refused.json()["fields"];
    assert!(
        fields["csv.3.district"].is_object() && fields["csv.3.population"].is_object(),
        "{fields}"
    );
    assert_eq!(
        app.get("/api/analytics/population", &admin).await.json(),
        Value::Null
    );
    let worker = app.login("worker").await;
    let (csv, cells) = population_csv();
    let form = json!({ "source": "Synthetic test figures", "csv": csv });
    assert_eq!(
        put(&app, form.clone(), &worker).await.status,
        StatusCode::FORBIDDEN
    );
    let stale = put(
        &app,
        json!({ "source": "x", "csv": csv, "replaces": "an-old-load" }),
        &admin,
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    let loaded = put(&app, form.clone(), &admin).await;
    assert_eq!(
        loaded.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&loaded.bytes)
    );
    let summary = loaded.json();
    assert_eq!(summary["cells"], 360);
    assert_eq!(summary["total"].as_i64(), Some(cells.values().sum()));
    let sham_shui_po: i64 = cells
        .iter()
        .filter(|(k, _)| k.0 == "F")
        .map(|(_, n)| n)
        .sum();
    assert!(summary["by_district"]
        .as_array()
        .unwrap()
        .contains(&json!(["F", sham_shui_po])));
    // A second load must say which it replaces.
    assert_eq!(
        put(&app, form.clone(), &admin).await.status,
        StatusCode::CONFLICT
    );
    app.reads.flush();
    let detail: Value = serde_json::from_str(&one(
        &app,
        "SELECT detail AS v FROM audit_log WHERE action = 'population.load'",
    ))
    .unwrap();
    assert_eq!(detail["source"], "Synthetic test figures");
    assert_eq!(detail["cells"], 360);

    let residents = |district: Option<&str>, band: Option<&str>, sex: Option<&str>| -> i64 {
        cells
            .iter()
            .filter(|((d, b, s), _)| {
                district.is_none_or(|x| x == d)
                    && band.is_none_or(|x| x == b)
                    && sex.is_none_or(|x| x == s)
            })
            .map(|(_, n)| n)
            .sum()
    };
    let after = profile_of(&app, &supervisor).await;
    let mut compared = 0;
    for figure in after["figures"].as_array().unwrap() {
        let Some(rates) = figure["per_10000"].as_array() else {
            continue;
        };
        let keys = |axis: &str| figure[axis]["keys"].as_array().unwrap().clone();
        let (rows, columns) = (keys("rows"), keys("columns"));
        for (r, row) in figure["cells"].as_array().unwrap().iter().enumerate() {
            for (c, count) in row.as_array().unwrap().iter().enumerate() {
                let (row_key, column_key) =
                    (rows[r].as_str().unwrap(), columns[c].as_str().unwrap());
                let people = match figure["id"].as_str().unwrap() {
                    "age_sex" => residents(None, Some(column_key), Some(row_key)),
                    "persons_by_district" => residents(Some(column_key), None, None),
                    other => panic!("{other} has rates"),
                };
                let rate = &rates[r][c];
                match count.as_i64() {
                    Some(n) if people > 0 => {
                        let expected = n as f64 * 10_000.0 / people as f64;
                        assert!(
                            (rate.as_f64().unwrap() - expected).abs() < 1e-9,
                            "{row_key} {column_key}"
                        );
                        compared += 1;
                    }
                    _ => assert!(rate.is_null(), "{row_key} {column_key}: {rate}"),
                }
            }
        }
    }
    assert!(compared > 20, "{compared} rates compared");
    // Beyond one's own centre, the rate of a suppressed count is suppressed too.
    let wide = profile_of(&app, &admin).await;
    for figure in wide["figures"].as_array().unwrap() {
        if let Some(rates) = figure["per_10000"].as_array() {
            for (row, rate_row) in figure["cells"].as_array().unwrap().iter().zip(rates) {
                for (count, rate) in row
                    .as_array()
                    .unwrap()
                    .iter()
                    .zip(rate_row.as_array().unwrap())
                {
                    if count.is_null() {
                        assert!(rate.is_null());
                    }
                }
            }
        }
    }
    let id = summary["id"].as_str().unwrap();
    let again = put(
        &app,
        json!({ "source": "Synthetic, again", "csv": csv, "replaces": id }),
        &admin,
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        app.get("/api/analytics/population", &admin).await.json()["source"],
        "Synthetic, again"
    );
}

#[derive(QueryableByName)]
struct NoteTheme {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = diesel::sql_types::Timestamp)]
    contact_at: chrono::NaiveDateTime,
    #[diesel(sql_type = Text)]
    theme: String,
}

/// The themes board's cells recounted from the tagged notes: (figure, theme, column) →
/// the cases, each once, whose notes in the period raised the theme there.
fn recount_themes(
    app: &TestApp,
    raw: &Raw,
    centres: &BTreeSet<String>,
    (from, until): (NaiveDate, NaiveDate),
) -> BTreeMap<(String, String, String), Cell> {
    let cases: HashMap<&str, &Case> = raw
        .cases
        .iter()
        .filter(|c| centres.contains(&c.centre_id))
        .map(|c| (c.id.as_str(), c))
        .collect();
    let mut raised: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    let sql = "SELECT n.case_id, n.contact_at, t.theme FROM note_themes t \
               JOIN case_notes n ON n.id = t.note_id";
    for note in load::<NoteTheme>(app, sql) {
        let Some(case) = cases.get(note.case_id.as_str()) else {
            continue;
        };
        let day = (note.contact_at + chrono::Duration::hours(8)).date();
        if !(from..=until).contains(&day) {
            continue;
        }
        let month = format!("{}-{:02}", day.year(), day.month());
        let district = case
            .district
            .clone()
            .unwrap_or_else(|| "unrecorded".to_owned());
        let mut at = |figure: &str, column: &str| {
            raised.insert((
                figure.to_owned(),
                note.theme.clone(),
                column.to_owned(),
                case.id.clone(),
            ));
        };
        at("themes_by_month", &month);
        at("themes_by_district", &district);
        for nature in raw.natures.get(&case.id).into_iter().flatten() {
            at("themes_by_nature", nature);
        }
    }
    let mut cells: BTreeMap<(String, String, String), Cell> = BTreeMap::new();
    for (figure, theme, column, case) in raised {
        cells
            .entry((figure, theme, column))
            .or_default()
            .add(&cases[case.as_str()].client_id);
    }
    cells
}

async fn themes_are_recounted_from_the_tagged_notes(backend: Backend) {
    let app = TestApp::spawn_scaled(backend, 0.01, 7).await;
    let (centre, supervisor) = busiest(&app).await;
    // The model was read before the notes were tagged: tagging marks their cases.
    let first = app
        .get(&format!("/api/analytics/themes?{YEAR}"), &supervisor)
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let tagged = api::case_notes::service::tag_untagged(&mut app.conn(), || false).unwrap();
    assert!(tagged > 0, "the generated notes are tagged");
    let raw = raw(&app);
    let period = (day("2021-04-01"), day("2022-03-31"));
    let mut checked = 0;
    for (token, centres) in [
        (supervisor, BTreeSet::from([centre])),
        (
            app.login("admin").await,
            load::<One>(&app, "SELECT id AS v FROM centres")
                .into_iter()
                .map(|o| o.v)
                .collect(),
        ),
    ] {
        let reply = app
            .get(&format!("/api/analytics/themes?{YEAR}"), &token)
            .await;
        assert_eq!(reply.status, StatusCode::OK);
        let board = reply.json();
        let exact = board["suppressed_below"].is_null();
        let expected = recount_themes(&app, &raw, &centres, period);
        // Some cells to show, and beyond one's own centre some to hide as well.
        let shown_at = if exact { 1 } else { 10 };
        assert!(
            expected.values().any(|c| c.people.len() >= shown_at),
            "the generated notes raise themes"
        );
        assert!(exact || expected.values().any(|c| c.people.len() < 10));
        let shown = shown(&[&board]);
        for (key, cell) in &expected {
            let few = !exact && cell.people.len() < 10;
            match shown.get(key) {
                Some(Some(count)) => {
                    assert!(!few, "{key:?}: {} people shown", cell.people.len());
                    assert_eq!(*count, cell.cases, "{key:?}");
                    checked += 1;
                }
                Some(None) => assert!(!exact, "{key:?} hidden in an exact view"),
                None => panic!("{key:?} missing"),
            }
        }
        for (key, count) in &shown {
            if !expected.contains_key(key) {
                assert_eq!(*count, Some(0), "{key:?} counts what the notes do not");
            }
        }
        let names = board["names"].as_object().unwrap();
        assert_eq!(names["cue:violence"]["zh"], "暴力");
        board["figures"]
            .as_array()
            .unwrap()
            .iter()
            .for_each(no_lone_hidden_cell);
    }
    assert!(checked > 40, "only {checked} cells compared");
}

async fn needs_ahead_are_forecast_from_the_months_recounted(backend: Backend) {
    let app = TestApp::spawn_scaled(backend, 0.01, 7).await;
    let (centre, supervisor) = busiest(&app).await;
    let raw = raw(&app);
    // New cases a month in the centre, from the raw events.
    let mut expected: BTreeMap<String, (i64, BTreeSet<String>)> = BTreeMap::new();
    let mut everywhere: BTreeMap<String, (i64, BTreeSet<String>)> = BTreeMap::new();
    for case in &raw.cases {
        for e in raw.history.get(&case.id).into_iter().flatten() {
            let new = e.kind == "opened" || (e.kind == "registered" && e.state == "open");
            if !new || e.effective_on > day("2022-03-31") {
                continue;
            }
            let month = format!("{}-{:02}", e.effective_on.year(), e.effective_on.month());
            let add = |into: &mut BTreeMap<String, (i64, BTreeSet<String>)>| {
                let cell = into.entry(month.clone()).or_default();
                cell.0 += 1;
                cell.1.insert(case.client_id.clone());
            };
            add(&mut everywhere);
            if case.centre_id == centre {
                add(&mut expected);
            }
        }
    }
    let query = "/api/analytics/forecast?from=2021-04-01&until=2022-03-31";
    let needs = app.get(query, &supervisor).await;
    assert_eq!(needs.status, StatusCode::OK);
    let needs = needs.json();
    let history = needs["history"].as_array().unwrap();
    let first = expected.keys().next().unwrap();
    assert_eq!(
        history[0]["month"], *first,
        "from the first month a case opened"
    );
    assert_eq!(history.last().unwrap()["month"], "2022-03");
    for month in history {
        let name = month["month"].as_str().unwrap();
        let count = expected.get(name).map_or(0, |c| c.0);
        assert_eq!(month["cases"], count, "{name}");
    }
    assert!(
        history.len() >= 30,
        "the generated centre has years of history"
    );
    let ahead = needs["forecast"].as_array().unwrap();
    let months: Vec<&str> = ahead.iter().map(|m| m["month"].as_str().unwrap()).collect();
    assert_eq!(
        months,
        ["2022-04", "2022-05", "2022-06", "2022-07", "2022-08", "2022-09"]
    );
    for m in ahead {
        let (low, expected, high) = (
            m["low"].as_f64().unwrap(),
            m["expected"].as_f64().unwrap(),
            m["high"].as_f64().unwrap(),
        );
        assert!(0.0 <= low && low <= expected && expected <= high, "{m}");
    }
    let held = &needs["held_out"];
    let actual: Vec<Value> = history[history.len() - 6..]
        .iter()
        .map(|m| m["cases"].clone())
        .collect();
    assert_eq!(held["actual"].as_array().unwrap(), &actual);
    assert_eq!(held["months"][0]["month"], "2021-10");
    assert!(held["naive_mean_absolute_error"].as_f64().unwrap() >= 0.0);

    // Beyond one's own centre, a month of few people is hidden.
    let admin = app.login("admin").await;
    let all = app.get(query, &admin).await.json();
    assert_eq!(all["suppressed_below"], 10);
    for month in all["history"].as_array().unwrap() {
        let name = month["month"].as_str().unwrap();
        match everywhere.get(name) {
            Some((_, people)) if people.len() < 10 => {
                assert!(month["cases"].is_null(), "{name}")
            }
            Some((count, _)) => assert_eq!(month["cases"], *count, "{name}"),
            None => assert_eq!(month["cases"], 0, "{name}"),
        }
    }
    // A history too short gives no forecast, and says so by its absence.
    let short = app
        .get(
            "/api/analytics/forecast?from=2017-04-01&until=2017-09-30",
            &supervisor,
        )
        .await
        .json();
    assert!(short["forecast"].is_null());
    assert!(short["held_out"].is_null());
}

async fn a_view_drills_down_to_one_worker(backend: Backend) {
    let app = TestApp::spawn_scaled(backend, 0.01, 7).await;
    let (_, supervisor) = busiest(&app).await;
    let path = |filter: &str| format!("/api/analytics/problems?{YEAR}{filter}");
    let centre = app.get(&path(""), &supervisor).await.json();
    let by_worker = centre["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "cases_by_breakdown")
        .unwrap()
        .clone();
    assert_eq!(by_worker["columns"]["dimension"], "worker");
    let workers = by_worker["columns"]["keys"].as_array().unwrap();
    let cells = by_worker["cells"][0].as_array().unwrap();
    let (busiest, cases) = workers
        .iter()
        .zip(cells)
        .max_by_key(|(_, c)| c.as_i64().unwrap())
        .unwrap();
    let busiest = busiest.as_str().unwrap();
    assert!(cases.as_i64().unwrap() > 0);
    let one = app
        .get(&path(&format!("&worker_id={busiest}")), &supervisor)
        .await
        .json();
    assert_eq!(
        one["cases"], *cases,
        "the worker's cases, as the centre's breakdown counts them"
    );
    let figure = one["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "cases_by_breakdown")
        .unwrap();
    for (worker, cell) in figure["columns"]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .zip(figure["cells"][0].as_array().unwrap())
    {
        if worker != busiest {
            assert_eq!(cell, 0, "{worker} has no case in the drill-down");
        }
    }
    let nobody = app
        .get(&path("&worker_id=nobody"), &supervisor)
        .await
        .json();
    assert_eq!(nobody["cases"], 0);
}

/// No hidden count of a figure stands alone beside a published total: the total less the
/// other cells would give it back.
fn no_lone_hidden_cell(figure: &Value) {
    let rows = figure["cells"].as_array().unwrap();
    if let Some(totals) = figure["row_totals"].as_array() {
        for (row, total) in rows.iter().zip(totals) {
            let hidden = row
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c.is_null())
                .count();
            assert!(
                total.is_null() || hidden != 1,
                "{}: a lone hidden cell beside its total",
                figure["id"]
            );
        }
    }
    if let Some(totals) = figure["column_totals"].as_array() {
        for (c, total) in totals.iter().enumerate() {
            let hidden = rows.iter().filter(|row| row[c].is_null()).count();
            assert!(
                total.is_null() || hidden != 1,
                "{}: a lone hidden cell above its column's total",
                figure["id"]
            );
        }
    }
}
