//! Statutory statistics: a period's figures over the centres the user may see, each case
//! figure opening to the cases behind it and each count of what was run to the
//! activities behind it, the year to date against the agreed levels, and
//! the Excel workbook built in the background.

mod levels;
mod workbook;

use std::rc::Rc;

use chrono::{Duration, Utc};
use common::activities::ActivityKind;
use common::cases::CasePage;
use common::enquiries::EnquiryListQuery;
use common::identity::Permission;
use common::outcomes::{OutcomeGrouping, OutcomeQuery};
use common::statistics::{
    financial_year_of, ActivityRunPage, AttendanceBreakdown, CaseBreakdown, CaseCounts,
    CaseFigure as Figure, Dimension, Named, Statistics, StatisticsQuery, FIRST_YEAR,
};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{use_get, with_query, Load};
use crate::app::Route;
use crate::cases::CaseTable;
use crate::form::value_of;
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;
use crate::pager::Pager;

use levels::LevelsEditor;
use workbook::WorkbookPanel;

fn this_year() -> i32 {
    financial_year_of((Utc::now() + Duration::hours(8)).date_naive())
}

/// The query's parameters for the API, the year filled in.
fn params(query: &StatisticsQuery) -> Vec<(&'static str, String)> {
    let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    vec![
        ("year", query.year.unwrap_or_else(this_year).to_string()),
        ("quarter", number(query.quarter)),
        ("month", number(query.month)),
        ("centre_id", query.centre_id.clone().unwrap_or_default()),
        ("agency_id", query.agency_id.clone().unwrap_or_default()),
    ]
}

fn address(path: &str, query: &StatisticsQuery, more: &[(&'static str, String)]) -> String {
    let all: Vec<(&str, String)> = params(query)
        .into_iter()
        .chain(more.iter().cloned())
        .collect();
    let borrowed: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
    with_query(path, &borrowed)
}

const MONTHS: [&str; 12] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
];

/// The case figures in the order a return reads them; `None` is cases served.
const CASE_COLUMNS: [Option<Figure>; 9] = [
    Some(Figure::BroughtForward),
    Some(Figure::New),
    Some(Figure::Reactivated),
    Some(Figure::TransferredIn),
    None,
    Some(Figure::Closed),
    Some(Figure::TransferredOut),
    Some(Figure::ActiveAtEnd),
    Some(Figure::WaitingAtEnd),
];

fn figure_key(figure: Option<Figure>) -> &'static str {
    match figure {
        None => "figure.served",
        Some(Figure::BroughtForward) => "figure.brought_forward",
        Some(Figure::New) => "figure.new",
        Some(Figure::Reactivated) => "figure.reactivated",
        Some(Figure::TransferredIn) => "figure.transferred_in",
        Some(Figure::TransferredOut) => "figure.transferred_out",
        Some(Figure::Closed) => "figure.closed",
        Some(Figure::ActiveAtEnd) => "figure.active_at_end",
        Some(Figure::WaitingAtEnd) => "figure.waiting_at_end",
    }
}

fn value(counts: &CaseCounts, figure: Option<Figure>) -> i64 {
    figure.map_or_else(|| counts.served(), |f| counts.get(f))
}

fn name(i18n: I18n, named: &Named) -> String {
    i18n.pick(&named.name_zh, &named.name_en).to_owned()
}

/// The cases behind a figure: which figure, and which row of which breakdown.
#[derive(Clone, PartialEq)]
struct Drill {
    figure: Figure,
    row: Option<(Dimension, Named)>,
}

/// The records behind a figure the user opened.
#[derive(Clone, PartialEq)]
enum Opened {
    Cases(Drill),
    Activities(ActivityKind),
}

#[function_component]
pub fn StatisticsPage() -> Html {
    use_title("statistics.title");
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let query: StatisticsQuery = use_location()
        .and_then(|l| l.query::<StatisticsQuery>().ok())
        .unwrap_or_default();
    let loaded = use_get::<Statistics>(address("/api/statistics", &query, &[]), 0);
    let drill = use_state(|| None::<Opened>);
    let go = {
        let drill = drill.clone();
        Callback::from(move |next: StatisticsQuery| {
            drill.set(None);
            if let Some(navigator) = &navigator {
                let _ = navigator.push_with_query(&Route::Reports, &next);
            }
        })
    };
    let year = query.year.unwrap_or_else(this_year);
    let on_year = {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |event: Event| {
            go.emit(StatisticsQuery {
                year: value_of(&event).parse().ok(),
                ..query.clone()
            })
        })
    };
    let on_period = {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |event: Event| {
            let chosen = value_of(&event);
            let (quarter, month) = match chosen.split_at(1.min(chosen.len())) {
                ("q", n) => (n.parse().ok(), None),
                ("m", n) => (None, n.parse().ok()),
                _ => (None, None),
            };
            go.emit(StatisticsQuery {
                quarter,
                month,
                year: Some(query.year.unwrap_or_else(this_year)),
                ..query.clone()
            })
        })
    };
    let on_scope = {
        let (go, query) = (go.clone(), query.clone());
        Callback::from(move |event: Event| {
            let chosen = value_of(&event);
            go.emit(StatisticsQuery {
                centre_id: (!chosen.is_empty()).then_some(chosen),
                agency_id: None,
                year: Some(query.year.unwrap_or_else(this_year)),
                ..query.clone()
            })
        })
    };
    let period = match (query.quarter, query.month) {
        (Some(q), _) => format!("q{q}"),
        (_, Some(m)) => format!("m{m}"),
        _ => "year".to_owned(),
    };
    // The centres to choose from are those of everything the user may see: remembered
    // from the first answer, so choosing one does not empty the list.
    let choosable = use_state(Vec::<Named>::new);
    if let Load::Ready(statistics) = &*loaded {
        if query.centre_id.is_none() && *choosable != statistics.centres {
            choosable.set(statistics.centres.clone());
        }
    }
    let may_drill = session.can(Permission::ViewStatisticsCases);
    let may_open_activities = session.can(Permission::ViewStatisticsActivities);
    let on_drill = {
        let drill = drill.clone();
        Callback::from(move |chosen: Drill| drill.set(Some(Opened::Cases(chosen))))
    };
    let on_activities = {
        let drill = drill.clone();
        Callback::from(move |kind: ActivityKind| drill.set(Some(Opened::Activities(kind))))
    };
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("statistics.title") }</h1>
            </div>
            <div class="filters" role="group" aria-label={i18n.t("statistics.choose")}>
                <div class="field">
                    <label for="statistics-year">{ i18n.t("statistics.year") }</label>
                    <select id="statistics-year" onchange={on_year}>
                        { for (FIRST_YEAR.max(this_year() - 9)..=this_year()).rev().map(|y| html! {
                            <option value={y.to_string()} selected={y == year}>
                                { format!("{}-{:02}", y, (y + 1) % 100) }
                            </option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="statistics-period">{ i18n.t("statistics.period") }</label>
                    <select id="statistics-period" onchange={on_period}>
                        <option value="year" selected={period == "year"}>{ i18n.t("statistics.whole_year") }</option>
                        { for (1..=4).map(|q| {
                            let code = format!("q{q}");
                            html! {
                                <option value={code.clone()} selected={period == code}>
                                    { i18n.tf("statistics.quarter", &[("n", &q.to_string())]) }
                                </option>
                            }
                        }) }
                        { for [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3].into_iter().map(|m: u32| {
                            let code = format!("m{m}");
                            html! {
                                <option value={code.clone()} selected={period == code}>
                                    { i18n.code("month", MONTHS[m as usize - 1]) }
                                </option>
                            }
                        }) }
                    </select>
                </div>
                if choosable.len() > 1 {
                    <div class="field">
                        <label for="statistics-centre">{ i18n.t("statistics.centre") }</label>
                        <select id="statistics-centre" onchange={on_scope}>
                            <option value="" selected={query.centre_id.is_none()}>{ i18n.t("statistics.every_centre") }</option>
                            { for choosable.iter().map(|c| html! {
                                <option value={c.code.clone()} selected={query.centre_id.as_deref() == Some(c.code.as_str())}>
                                    { name(i18n, c) }
                                </option>
                            }) }
                        </select>
                    </div>
                }
            </div>
            <WorkbookPanel query={StatisticsQuery { year: Some(year), ..query.clone() }} />
            { match &*loaded {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(statistics) => html! {
                    <Figures statistics={statistics.clone()} {may_drill} {on_drill}
                        {may_open_activities} {on_activities} />
                },
            } }
            { match &*drill {
                Some(Opened::Cases(chosen)) => html! {
                    <FigureCases query={query.clone()} drill={chosen.clone()} />
                },
                Some(Opened::Activities(kind)) => html! {
                    <FigureActivities query={query.clone()} kind={*kind} />
                },
                None => Html::default(),
            } }
            if session.can(Permission::SetServiceStandards) {
                if let Some(centre) = query.centre_id.clone().or_else(|| match &*loaded {
                    Load::Ready(s) if s.centres.len() == 1 => Some(s.centres[0].code.clone()),
                    _ => None,
                }) {
                    <LevelsEditor centre_id={centre} year={year} />
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FiguresProps {
    statistics: Rc<Statistics>,
    may_drill: bool,
    on_drill: Callback<Drill>,
    may_open_activities: bool,
    on_activities: Callback<ActivityKind>,
}

/// Every figure of the period, as tables.
#[function_component]
fn Figures(props: &FiguresProps) -> Html {
    let i18n = use_i18n();
    let s = &props.statistics;
    let dimension = use_state(|| Dimension::Centre);
    let on_dimension = {
        let dimension = dimension.clone();
        Callback::from(move |event: Event| {
            if let Some(d) = Dimension::parse(&value_of(&event)) {
                dimension.set(d);
            }
        })
    };
    let breakdown = s.case_breakdowns.iter().find(|b| b.dimension == *dimension);
    let session = use_session();
    // The measured clients' change opens to the outcomes of the same period by centre, an
    // instrument at a time.
    let outcomes_by_centre = OutcomeQuery {
        by: Some(OutcomeGrouping::Centre),
        from: Some(s.period.from),
        until: Some(s.period.until),
        ..OutcomeQuery::default()
    };
    // The enquiry log is the user's own centre's: it explains the figure when that is
    // the one centre counted.
    let own_log = session.can(Permission::ViewEnquiries)
        && matches!(
            (&session.me, s.centres.as_slice()),
            (Some(me), [only]) if me.centre.as_ref().is_some_and(|c| c.id == only.code)
        );
    let log = EnquiryListQuery {
        from: Some(s.period.from),
        to: Some(s.period.until),
        ..EnquiryListQuery::default()
    };
    html! {
        <>
            <p id="statistics-period-label">
                { i18n.pick(&s.period_zh, &s.period_en).to_owned() }
                { " · " }
                { i18n.tf("statistics.centres", &[("n", &s.centres.len().to_string())]) }
            </p>
            <h2>{ i18n.t("statistics.cases") }</h2>
            <CaseTableOf
                caption={i18n.t("statistics.cases")}
                rows={vec![(None, s.cases)]}
                may_drill={props.may_drill}
                on_drill={props.on_drill.clone()}
                id="statistics-cases"
            />
            <div class="field">
                <label for="statistics-breakdown">{ i18n.t("statistics.breakdown") }</label>
                <select id="statistics-breakdown" onchange={on_dimension}>
                    { for [Dimension::Centre, Dimension::CaseType, Dimension::CaseNature, Dimension::Unit, Dimension::District]
                        .into_iter().map(|d| html! {
                            <option value={d.as_str()} selected={*dimension == d}>{ i18n.code("dimension", d.as_str()) }</option>
                        }) }
                </select>
            </div>
            if let Some(CaseBreakdown { dimension, rows }) = breakdown {
                <CaseTableOf
                    caption={i18n.code("dimension", dimension.as_str())}
                    rows={rows.iter().map(|r| (Some((*dimension, r.name.clone())), r.cases)).collect::<Vec<_>>()}
                    may_drill={props.may_drill}
                    on_drill={props.on_drill.clone()}
                    id="statistics-breakdown-table"
                />
                if *dimension == Dimension::CaseNature {
                    <p class="hint">{ i18n.t("statistics.natures_overlap") }</p>
                }
            }
            <h2>{ i18n.t("statistics.enquiries") }</h2>
            <p id="statistics-enquiries">
                { i18n.tf("statistics.enquiries_received", &[
                    ("n", &s.enquiries.received.to_string()),
                    ("minutes", &s.enquiries.minutes_spent.to_string()),
                ]) }
                if own_log && s.enquiries.received > 0 {
                    { " " }
                    <Link<Route, EnquiryListQuery> to={Route::Enquiries} query={Some(log)}>
                        { i18n.t("statistics.open_enquiries") }
                    </Link<Route, EnquiryListQuery>>
                }
            </p>
            <h2>{ i18n.t("statistics.activities") }</h2>
            <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("statistics.activities")}>
                <table class="data numbers" id="statistics-activities">
                    <caption>{ i18n.t("statistics.activities") }</caption>
                    <thead><tr>
                        <th scope="col">{ i18n.t("statistics.kind") }</th>
                        { for ["statistics.run", "statistics.sessions_held", "statistics.person_times", "statistics.headcount", "statistics.participants"]
                            .iter().map(|k| html! { <th scope="col">{ i18n.t(k) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for s.activities.iter().map(|a| html! {
                            <tr>
                                <th scope="row">{ i18n.code("activity_kind", a.kind.as_str()) }</th>
                                if props.may_open_activities && a.run > 0 {
                                    <td>
                                        <button type="button" class="link"
                                            aria-label={i18n.tf("statistics.open_activities", &[("kind", i18n.code("activity_kind", a.kind.as_str()))])}
                                            onclick={props.on_activities.reform({ let kind = a.kind; move |_| kind })}>
                                            { a.run }
                                        </button>
                                    </td>
                                } else {
                                    <td>{ a.run }</td>
                                }
                                <td>{ a.sessions_held }</td>
                                <td>{ a.person_times }</td>
                                <td>{ a.headcount }</td>
                                <td>{ a.participants }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            { for s.attendance.iter().map(|b| attendance_table(i18n, b)) }
            <h2>{ i18n.t("statistics.outcomes") }</h2>
            <dl class="facts" id="statistics-outcomes">
                <dt>{ i18n.t("statistics.goals") }</dt>
                <dd>{ i18n.tf("statistics.goals_value", &[
                    ("achieved", &s.outcomes.goals_achieved.to_string()),
                    ("partly", &s.outcomes.goals_partly_achieved.to_string()),
                    ("set", &s.outcomes.goals_set.to_string()),
                ]) }</dd>
                <dt>{ i18n.t("statistics.measured") }</dt>
                <dd>{ i18n.tf("statistics.measured_value", &[
                    ("improved", &s.outcomes.improved.to_string()),
                    ("unchanged", &s.outcomes.unchanged.to_string()),
                    ("worsened", &s.outcomes.worsened.to_string()),
                    ("measured", &s.outcomes.measured.to_string()),
                ]) }</dd>
            </dl>
            if session.can(OutcomeGrouping::Centre.permission()) {
                <p>
                    <Link<Route, OutcomeQuery> to={Route::Outcomes} query={Some(outcomes_by_centre)}>
                        { i18n.t("outcomes.from_reports") }
                    </Link<Route, OutcomeQuery>>
                </p>
            }
            <h2>{ i18n.t("statistics.standards") }</h2>
            <p class="hint">{ i18n.t("statistics.standards_hint") }</p>
            <div class="table-wrap" role="region" tabindex="0" aria-label={i18n.t("statistics.standards")}>
                <table class="data" id="statistics-standards">
                    <caption>{ i18n.t("statistics.standards") }</caption>
                    <thead><tr>
                        { for ["statistics.centre", "statistics.indicator", "statistics.agreed_level", "statistics.year_to_date", "statistics.status"]
                            .iter().map(|k| html! { <th scope="col">{ i18n.t(k) }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for s.standards.iter().filter(|p| p.agreed_level.is_some()).map(|p| {
                            let centre = s.centres.iter().find(|c| c.code == p.centre_id).map(|c| name(i18n, c)).unwrap_or_default();
                            let shown = |n: Option<i64>| match (n, p.indicator.is_percent()) {
                                (None, _) => "–".to_owned(),
                                (Some(n), true) => format!("{:.1}%", n as f64 / 10.0),
                                (Some(n), false) => n.to_string(),
                            };
                            html! {
                                <tr>
                                    <td>{ centre }</td>
                                    <th scope="row">{ i18n.code("indicator", p.indicator.as_str()) }</th>
                                    <td>{ p.agreed_level.map(|l| if p.indicator.is_percent() { format!("{l}%") } else { l.to_string() }).unwrap_or_default() }</td>
                                    <td>{ shown(p.year_to_date) }</td>
                                    <td class={classes!("status", p.status.as_str())}>{ i18n.code("standard_status", p.status.as_str()) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

fn attendance_table(i18n: I18n, breakdown: &AttendanceBreakdown) -> Html {
    let caption = i18n.tf(
        "statistics.attendance_by",
        &[("by", i18n.code("dimension", breakdown.dimension.as_str()))],
    );
    html! {
        <div class="table-wrap" role="region" tabindex="0" aria-label={caption.clone()}>
            <table class="data numbers">
                <caption>{ caption }</caption>
                <thead><tr>
                    <th scope="col">{ i18n.code("dimension", breakdown.dimension.as_str()) }</th>
                    { for ["statistics.person_times", "statistics.headcount", "statistics.participants"]
                        .iter().map(|k| html! { <th scope="col">{ i18n.t(k) }</th> }) }
                </tr></thead>
                <tbody>
                    { for breakdown.rows.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ name(i18n, &r.name) }</th>
                            <td>{ r.person_times }</td>
                            <td>{ r.headcount }</td>
                            <td>{ r.participants }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct CaseTableOfProps {
    caption: AttrValue,
    /// Each row: the breakdown's row (none for all cases) and its figures.
    rows: Vec<(Option<(Dimension, Named)>, CaseCounts)>,
    may_drill: bool,
    on_drill: Callback<Drill>,
    id: AttrValue,
}

/// Case figures as a table; each figure a button opening the cases behind it.
#[function_component]
fn CaseTableOf(props: &CaseTableOfProps) -> Html {
    let i18n = use_i18n();
    html! {
        <div class="table-wrap" role="region" tabindex="0" aria-label={props.caption.clone()}>
            <table class="data numbers" id={props.id.clone()}>
                <caption>{ props.caption.clone() }</caption>
                <thead><tr>
                    <th scope="col"></th>
                    { for CASE_COLUMNS.iter().map(|f| html! { <th scope="col">{ i18n.t(figure_key(*f)) }</th> }) }
                </tr></thead>
                <tbody>
                    { for props.rows.iter().map(|(row, counts)| {
                        let label = row.as_ref().map_or_else(|| i18n.t("statistics.all_cases").to_owned(), |(_, n)| name(i18n, n));
                        html! {
                            <tr>
                                <th scope="row">{ label.clone() }</th>
                                { for CASE_COLUMNS.iter().map(|f| {
                                    let n = value(counts, *f);
                                    match f {
                                        Some(figure) if props.may_drill && n > 0 => {
                                            let chosen = Drill { figure: *figure, row: row.clone() };
                                            let onclick = props.on_drill.reform(move |_| chosen.clone());
                                            let text = i18n.tf("statistics.open_cases", &[("figure", i18n.t(figure_key(Some(*figure)))), ("row", &label)]);
                                            html! { <td><button type="button" class="link" aria-label={text} {onclick}>{ n }</button></td> }
                                        }
                                        _ => html! { <td>{ n }</td> },
                                    }
                                }) }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct FigureCasesProps {
    query: StatisticsQuery,
    drill: Drill,
}

/// The cases behind a figure, a page at a time.
#[function_component]
fn FigureCases(props: &FigureCasesProps) -> Html {
    let i18n = use_i18n();
    let page = use_state(|| 1i64);
    {
        let page = page.clone();
        use_effect_with(props.drill.clone(), move |_| page.set(1));
    }
    let mut more = vec![
        ("figure", props.drill.figure.as_str().to_owned()),
        ("page", page.to_string()),
    ];
    if let Some((dimension, row)) = &props.drill.row {
        more.push(("dimension", dimension.as_str().to_owned()));
        more.push(("code", row.code.clone()));
    }
    let found = use_get::<CasePage>(address("/api/statistics/cases", &props.query, &more), 0);
    let title = i18n.tf(
        "statistics.cases_behind",
        &[
            ("figure", i18n.t(figure_key(Some(props.drill.figure)))),
            (
                "row",
                &props.drill.row.as_ref().map_or_else(
                    || i18n.t("statistics.all_cases").to_owned(),
                    |(_, n)| name(i18n, n),
                ),
            ),
        ],
    );
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: i64| page.set(p))
    };
    html! {
        <section aria-labelledby="figure-cases-title" id="figure-cases">
            <h2 id="figure-cases-title">{ title }</h2>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(cases) => html! {
                    <>
                        <p>{ i18n.tf("statistics.cases_total", &[("n", &cases.total.to_string())]) }</p>
                        <CaseTable cases={cases.items.clone()} id="figure-case-table" />
                        <Pager page={cases.page} total={cases.total} per_page={cases.per_page}
                            label="statistics.cases_pages" {on_page} />
                    </>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FigureActivitiesProps {
    query: StatisticsQuery,
    kind: ActivityKind,
}

/// The programmes, groups or events behind what was run, a page at a time.
#[function_component]
fn FigureActivities(props: &FigureActivitiesProps) -> Html {
    let i18n = use_i18n();
    let page = use_state(|| 1i64);
    {
        let page = page.clone();
        use_effect_with(props.kind, move |_| page.set(1));
    }
    let more = [
        ("kind", props.kind.as_str().to_owned()),
        ("page", page.to_string()),
    ];
    let found = use_get::<ActivityRunPage>(
        address("/api/statistics/activities", &props.query, &more),
        0,
    );
    let kind = i18n.code("activity_kind", props.kind.as_str());
    let on_page = {
        let page = page.clone();
        Callback::from(move |p: i64| page.set(p))
    };
    html! {
        <section aria-labelledby="figure-activities-title" id="figure-activities">
            <h2 id="figure-activities-title">{ i18n.tf("statistics.activities_behind", &[("kind", kind)]) }</h2>
            { match &*found {
                Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
                Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
                Load::Ready(runs) => html! {
                    <>
                        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="figure-activities-title">
                            <table class="data numbers" id="figure-activity-table">
                                <thead><tr>
                                    { for ["statistics.activity", "statistics.centre", "statistics.sessions_held", "statistics.person_times"]
                                        .iter().map(|k| html! { <th scope="col">{ i18n.t(k) }</th> }) }
                                </tr></thead>
                                <tbody>
                                    { for runs.items.iter().map(|run| html! {
                                        <tr key={run.id.clone()}>
                                            <th scope="row">
                                                <Link<Route> to={Route::GroupDetail { id: run.id.clone() }}>
                                                    { i18n.pick(&run.title_zh, &run.title_en).to_owned() }
                                                </Link<Route>>
                                            </th>
                                            <td>{ name(i18n, &run.centre) }</td>
                                            <td>{ run.sessions_held }</td>
                                            <td>{ run.person_times }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                        <Pager page={runs.page} total={runs.total} per_page={runs.per_page}
                            label="statistics.activities_pages" {on_page} />
                    </>
                },
            } }
        </section>
    }
}
