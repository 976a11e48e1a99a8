//! The DAS page: one filter bar, kept in the address so a view can be bookmarked and
//! shared, over the dashboards; each chart filters the page to what is clicked.

use chrono::NaiveDate;
use common::analytics::{
    AgeBand, DasQuery, Dashboard, Dimension, Effectiveness, NeedsAhead, RiskFactors, COMPLEX,
};
use common::cases::CaseType;
use common::clients::Sex;
use common::districts::District;
use common::households::{CssaStatus, HouseholdType};
use common::identity::{AnalyticsScope, Permission, Unit};
use common::statistics::{financial_year_of, FIRST_YEAR};
use common::taxonomy::Vocabulary;
use yew::prelude::*;
use yew_router::prelude::*;

use super::corpus::CorpusPanel;
use super::effectiveness::EffectivenessBoard;
use super::figures::{Complexity, Problems, Profile, Themes};
use super::forecast::NeedsAheadBoard;
use super::risk::RiskBoard;
use crate::api::{encode, use_get_if, Load};
use crate::app::Route;
use crate::filters::{named, yes_no, CodeFilter, FilterDate, FilterSelect};
use crate::i18n::{use_i18n, use_title};
use crate::identity::use_session;
use crate::terms::use_terms;

/// The board of needs ahead, whose figures are not a dashboard's.
const FORECAST: &str = "forecast";

/// The risk factors board, whose address also names the outcome.
pub const RISK_FACTORS: &str = "risk-factors";

/// The service-effectiveness board, whose address also names the instrument and scale.
pub const EFFECTIVENESS: &str = "effectiveness";

/// The dashboards, by the last part of their address.
const BOARDS: [(&str, &str); 7] = [
    ("problems", "das.board.problems"),
    ("profile", "das.board.profile"),
    ("complexity", "das.board.complexity"),
    ("themes", "das.board.themes"),
    (FORECAST, "das.board.forecast"),
    (RISK_FACTORS, "das.board.risk_factors"),
    (EFFECTIVENESS, "das.board.effectiveness"),
];

/// A board's address, with the outcome or measure the page shows now.
fn board_route(board: &str, props: &DasPageProps) -> Route {
    match board {
        RISK_FACTORS => Route::DasRisk {
            outcome: props.outcome.to_string(),
        },
        EFFECTIVENESS => Route::DasEffect {
            instrument: props.instrument.to_string(),
            scale: props.scale.to_string(),
        },
        _ => Route::DasBoard {
            board: board.to_owned(),
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct DasPageProps {
    pub board: AttrValue,
    /// The outcome of the risk factors board.
    #[prop_or(AttrValue::Static(COMPLEX))]
    pub outcome: AttrValue,
    /// The instrument and scale of the service-effectiveness board.
    #[prop_or(AttrValue::Static("phq9"))]
    pub instrument: AttrValue,
    #[prop_or(AttrValue::Static("total"))]
    pub scale: AttrValue,
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn today() -> NaiveDate {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default()
}

/// A query with one filter changed to the chosen dimension's key, or cleared (`None`).
pub fn with_filter(query: &DasQuery, dimension: Dimension, key: Option<&str>) -> DasQuery {
    let mut next = query.clone();
    let owned = key.map(str::to_owned);
    match dimension {
        Dimension::District => next.district = key.and_then(District::from_code),
        Dimension::Nature => next.nature = owned,
        Dimension::Agency => {
            next.agency_id = owned;
            next.centre_id = None;
            next.worker_id = None;
        }
        Dimension::Centre => {
            next.centre_id = owned;
            next.agency_id = None;
            next.worker_id = None;
        }
        Dimension::Worker => next.worker_id = owned,
        Dimension::AgeBand => next.age_band = key.and_then(AgeBand::parse),
        Dimension::HouseholdType => next.household_type = key.and_then(HouseholdType::parse),
        Dimension::Cssa => next.cssa = key.and_then(CssaStatus::parse),
        Dimension::Sex => next.sex = key.and_then(Sex::parse),
        Dimension::NewArrival => next.new_arrival = key.and_then(|k| k.parse().ok()),
        _ => {}
    }
    next
}

#[function_component]
pub fn DasPage(props: &DasPageProps) -> Html {
    use_title("das.title");
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let location = use_location();
    let query: DasQuery = location
        .as_ref()
        .and_then(|l| l.query::<DasQuery>().ok())
        .unwrap_or_default();
    let board = props.board.to_string();
    let search = location
        .as_ref()
        .map(|l| l.query_str().to_owned())
        .unwrap_or_default();
    let outcome = props.outcome.to_string();
    let risk = board == RISK_FACTORS;
    let forecast = board == FORECAST;
    let effect = board == EFFECTIVENESS;
    let loaded = use_get_if::<Dashboard>(
        (!risk && !forecast && !effect).then(|| format!("/api/analytics/{board}{search}")),
        0,
    );
    let effectiveness = use_get_if::<Effectiveness>(
        effect.then(|| {
            format!(
                "/api/analytics/effectiveness/{}/{}{search}",
                encode(&props.instrument),
                encode(&props.scale)
            )
        }),
        0,
    );
    let needs = use_get_if::<NeedsAhead>(
        forecast.then(|| format!("/api/analytics/forecast{search}")),
        0,
    );
    let factors = use_get_if::<RiskFactors>(
        risk.then(|| format!("/api/analytics/risk-factors/{}{search}", encode(&outcome))),
        0,
    );
    let route = board_route(&board, props);
    let go = {
        let (navigator, route) = (navigator.clone(), route.clone());
        Callback::from(move |next: DasQuery| {
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&route, &next);
            }
        })
    };
    let on_outcome = {
        let (query, navigator) = (query.clone(), navigator.clone());
        Callback::from(move |outcome: String| {
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&Route::DasRisk { outcome }, &query);
            }
        })
    };
    let on_measure = {
        let query = query.clone();
        Callback::from(move |(instrument, scale): (String, String)| {
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&Route::DasEffect { instrument, scale }, &query);
            }
        })
    };
    let on_pick = {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |(dimension, key): (Dimension, String)| {
            go.emit(with_filter(&query, dimension, Some(&key)))
        })
    };
    html! {
        <section class="das">
            <h1>{ i18n.t("das.title") }</h1>
            <nav class="tabs" aria-label={i18n.t("das.boards")}>
                { for BOARDS.iter().map(|(code, key)| {
                    let current = *code == board;
                    html! {
                        <Link<Route, DasQuery> to={board_route(code, props)}
                            query={Some(query.clone())}
                            classes={classes!(current.then_some("current"))}>
                            <span aria-current={current.then_some("page")}>{ i18n.t(key) }</span>
                        </Link<Route, DasQuery>>
                    }
                }) }
            </nav>
            <FilterBar query={query.clone()} on_change={go} />
            if risk {
                <RiskBoard outcome={outcome.clone()} loaded={(*factors).clone()} {on_outcome} />
            } else if forecast {
                <NeedsAheadBoard loaded={(*needs).clone()} />
            } else if effect {
                <EffectivenessBoard instrument={props.instrument.clone()} scale={props.scale.clone()}
                    loaded={(*effectiveness).clone()} {on_measure} on_pick={on_pick.clone()} />
            } else { { match &*loaded {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(dashboard) => html! {
                    <>
                        <Headline dashboard={dashboard.clone()} />
                        if board == "complexity" {
                            <Complexity dashboard={dashboard.clone()} on_pick={on_pick} />
                        } else if board == "profile" {
                            <Profile dashboard={dashboard.clone()} on_pick={on_pick} />
                        } else if board == "themes" {
                            <Themes dashboard={dashboard.clone()} on_pick={on_pick} />
                            if session.can(Permission::ExportCorpus) {
                                <CorpusPanel from={dashboard.from} until={dashboard.until} />
                            }
                        } else {
                            <Problems dashboard={dashboard.clone()} on_pick={on_pick} />
                        }
                    </>
                },
            } } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct HeadlineProps {
    dashboard: std::rc::Rc<Dashboard>,
}

/// What the view covers and how exact it is.
#[function_component]
fn Headline(props: &HeadlineProps) -> Html {
    let i18n = use_i18n();
    let d = &props.dashboard;
    let scope = match d.scope {
        AnalyticsScope::Centre => "das.scope.centre",
        AnalyticsScope::Agency => "das.scope.agency",
        AnalyticsScope::All => "das.scope.all",
    };
    let count =
        |n: Option<i64>| n.map_or_else(|| i18n.t("das.suppressed").to_owned(), |n| n.to_string());
    html! {
        <div class="das-headline" id="das-headline">
            <p>
                { i18n.t(scope) }{ " " }
                { i18n.tf("das.period", &[("from", &d.from.to_string()), ("until", &d.until.to_string())]) }
            </p>
            <p>
                <strong id="das-cases">{ count(d.cases) }</strong>{ " " }{ i18n.t("das.cases_served") }
                { " · " }
                <strong id="das-persons">{ count(d.persons) }</strong>{ " " }{ i18n.t("das.persons") }
            </p>
            if let Some(below) = d.suppressed_below {
                <p class="note">{ i18n.tf("das.suppression", &[("n", &(below - 1).to_string())]) }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FilterBarProps {
    query: DasQuery,
    on_change: Callback<DasQuery>,
}

/// A callback that changes the page's query by `apply` from a control's value.
fn refine<V: 'static>(
    query: &DasQuery,
    on_change: &Callback<DasQuery>,
    apply: impl Fn(&mut DasQuery, V) + 'static,
) -> Callback<V> {
    let (query, on_change) = (query.clone(), on_change.clone());
    Callback::from(move |value: V| {
        let mut next = query.clone();
        apply(&mut next, value);
        on_change.emit(next)
    })
}

/// The filter bar: the period (a financial year, a quarter or month of it, or any two
/// days), and what the cases are of.
#[function_component]
fn FilterBar(props: &FilterBarProps) -> Html {
    let i18n = use_i18n();
    let natures = use_terms(Vocabulary::CaseNatures);
    let q = &props.query;
    let today = today();
    let set = |apply: fn(&mut DasQuery, &str)| {
        refine(q, &props.on_change, move |q, value: String| {
            apply(q, &value)
        })
    };
    let year = q
        .from
        .map_or_else(|| financial_year_of(today), financial_year_of);
    let on_year = set(|q, v| {
        let year: Option<i32> = v.parse().ok();
        q.from = year.and_then(|y| day(y, 4, 1));
        q.until = year.and_then(|y| day(y + 1, 3, 31));
    });
    let nature_choices = named(i18n, &natures, |t| (&t.code, &t.name_zh, &t.name_en));
    let district_choices: Vec<_> = District::ALL
        .iter()
        .map(|d| {
            (
                AttrValue::Static(d.code()),
                AttrValue::Static(i18n.district(*d)),
            )
        })
        .collect();
    let years: Vec<_> = (FIRST_YEAR.max(financial_year_of(today) - 9)..=financial_year_of(today))
        .rev()
        .map(|y| {
            (
                AttrValue::from(y.to_string()),
                AttrValue::from(format!("{}-{:02}", y, (y + 1) % 100)),
            )
        })
        .collect();
    html! {
        <div class="filters das-filters" role="group" aria-label={i18n.t("das.filters")}>
            <FilterSelect id="das-year" label="das.year" any={None::<&'static str>}
                chosen={AttrValue::from(year.to_string())} choices={years} on_choose={on_year} />
            <FilterDate id="das-from" label="das.from" value={q.from} on_choose={set(|q, v| q.from = v.parse().ok())} />
            <FilterDate id="das-until" label="das.until" value={q.until} on_choose={set(|q, v| q.until = v.parse().ok())} />
            <FilterSelect id="das-district" label="das.district" any="das.all"
                chosen={q.district.map(|d| AttrValue::Static(d.code()))} choices={district_choices}
                on_choose={set(|q, v| q.district = District::from_code(v))} />
            <CodeFilter<Unit> id="das-unit" label="das.unit" list="unit" any="das.all"
                chosen={q.unit}
                on_choose={refine(q, &props.on_change, |q, v| q.unit = v)} />
            <CodeFilter<CaseType> id="das-case-type" label="das.case_type" list="case_type" any="das.all"
                chosen={q.case_type}
                on_choose={refine(q, &props.on_change, |q, v| q.case_type = v)} />
            <FilterSelect id="das-nature" label="das.nature" any="das.all"
                chosen={q.nature.clone().map(AttrValue::from)} choices={nature_choices}
                on_choose={set(|q, v| q.nature = Some(v.to_owned()).filter(|v| !v.is_empty()))} />
            <FilterSelect id="das-age" label="das.age_band" any="das.all"
                chosen={q.age_band.map(|b| AttrValue::Static(b.as_str()))}
                choices={AgeBand::ALL.iter().map(|b| (AttrValue::Static(b.as_str()), AttrValue::Static(b.as_str()))).collect::<Vec<_>>()}
                on_choose={set(|q, v| q.age_band = AgeBand::parse(v))} />
            <CodeFilter<Sex> id="das-sex" label="das.sex" list="sex" any="das.all"
                chosen={q.sex}
                on_choose={refine(q, &props.on_change, |q, v| q.sex = v)} />
            <CodeFilter<HouseholdType> id="das-household" label="das.household_type" list="household_type" any="das.all"
                chosen={q.household_type}
                on_choose={refine(q, &props.on_change, |q, v| q.household_type = v)} />
            <CodeFilter<CssaStatus> id="das-cssa" label="das.cssa" list="cssa_status" any="das.all"
                chosen={q.cssa}
                on_choose={refine(q, &props.on_change, |q, v| q.cssa = v)} />
            <FilterSelect id="das-new-arrival" label="das.new_arrival" any="das.all"
                chosen={q.new_arrival.map(|n| AttrValue::from(n.to_string()))}
                choices={yes_no(i18n, "das.yes", "das.no")}
                on_choose={set(|q, v| q.new_arrival = v.parse().ok())} />
            if q.centre_id.is_some() || q.agency_id.is_some() || q.worker_id.is_some() {
                <button id="das-widen" type="button" class="secondary" onclick={{
                    let (query, on_change) = (q.clone(), props.on_change.clone());
                    Callback::from(move |_| {
                        on_change.emit(DasQuery { centre_id: None, agency_id: None, worker_id: None, ..query.clone() })
                    })
                }}>{ i18n.t("das.widen") }</button>
            }
        </div>
    }
}
