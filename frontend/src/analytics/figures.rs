//! The dashboards' figures: each a chart with its numbers in a table beside it, saved as
//! PNG or CSV as shown (suppressed counts stay suppressed in both).

use std::rc::Rc;

use common::analytics::{Dashboard, Dimension, Figure, Pairing, NO_DISABILITY, UNRECORDED};
use common::clients::Sex;
use common::districts::District;
use common::person::{Disability, Ethnicity, Language};
use plotly::common::{DashType, Line, Marker, Mode, Orientation, TextPosition, Title};
use plotly::layout::{Axis as PlotAxis, BarMode, Legend, Margin};
use plotly::{Bar, HeatMap, Layout, Scatter, Trace};
use yew::prelude::*;

use super::map::DistrictMap;
use super::network::NatureNetwork;
use crate::api::save_as;
use crate::chart::{download_png, Chart, Drawing};
use crate::form::value_of;
use crate::i18n::{use_i18n, I18n};

/// A key of a figure's axis, named in the current language.
pub(super) fn label(i18n: I18n, d: &Dashboard, dimension: Dimension, key: &str) -> String {
    match dimension {
        Dimension::Nature
        | Dimension::Agency
        | Dimension::Centre
        | Dimension::Worker
        | Dimension::Theme => d
            .names
            .get(key)
            .map_or_else(|| key.to_owned(), |n| i18n.pick(&n.zh, &n.en).to_owned()),
        Dimension::District => match District::from_code(key) {
            Some(district) => i18n.district(district).to_owned(),
            None if key == UNRECORDED => i18n.t("das.unrecorded").to_owned(),
            None => key.to_owned(),
        },
        Dimension::InterventionModel => d
            .names
            .get(key)
            .map(|n| i18n.pick(&n.zh, &n.en).to_owned())
            .or_else(|| {
                i18n.lookup(&format!("das.intervention_model.{key}"))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| key.to_owned()),
        Dimension::Quarter => quarter_label(key),
        Dimension::Month | Dimension::NaturesPerCase | Dimension::AgeBand => key.to_owned(),
        other => code_name(i18n, other, key)
            .or_else(|| {
                i18n.lookup(&format!("das.{}.{key}", other.as_str()))
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| key.to_owned()),
    }
}

/// A quarter keyed by its first month, as its months: "2021-04 – 2021-06".
fn quarter_label(key: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d")
        .ok()
        .and_then(|first| first.checked_add_months(chrono::Months::new(2)))
        .map_or_else(
            || key.to_owned(),
            |last| format!("{key} – {}", last.format("%Y-%m")),
        )
}

/// The name of a code from one of the record's closed lists, as its forms name it.
pub(super) fn code_name(i18n: I18n, dimension: Dimension, key: &str) -> Option<String> {
    if key == UNRECORDED {
        return Some(i18n.t("das.unrecorded").to_owned());
    }
    let pair = |(zh, en): (&str, &str)| i18n.pick(zh, en).to_owned();
    let list = match dimension {
        Dimension::Ethnicity => return Ethnicity::parse(key).map(|e| pair(e.names())),
        Dimension::Language => return Language::parse(key).map(|l| pair(l.names())),
        Dimension::Disability if key == NO_DISABILITY => {
            return Some(i18n.t("das.profile.no_disability").to_owned())
        }
        Dimension::Disability => return Disability::parse(key).map(|d| pair(d.names())),
        Dimension::NewArrival => {
            let name = match key {
                "true" => i18n.t("das.level.new_arrival.true"),
                "false" => i18n.t("das.level.new_arrival.false"),
                _ => return None,
            };
            return Some(name.to_owned());
        }
        Dimension::Sex => "sex",
        Dimension::HouseholdType => "household_type",
        Dimension::Housing => "housing_type",
        Dimension::Cssa => "cssa_status",
        Dimension::IncomeBand => "income_band",
        _ => return None,
    };
    i18n.lookup(&format!("{list}.{key}")).map(str::to_owned)
}

pub(super) fn shown(n: Option<i64>, i18n: I18n) -> String {
    n.map_or_else(|| i18n.t("das.suppressed").to_owned(), |n| n.to_string())
}

/// Lines of cells as CSV, with a byte order mark so that spreadsheet programs read the
/// Chinese names as UTF-8.
pub(super) fn csv_text(lines: Vec<Vec<String>>) -> String {
    let quote = |s: &String| format!("\"{}\"", s.replace('"', "\"\""));
    let lines: Vec<String> = lines
        .iter()
        .map(|cells| cells.iter().map(quote).collect::<Vec<_>>().join(","))
        .collect();
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

/// The save buttons under a chart: PNG as drawn, and the CSV text given.
pub(super) fn save_buttons(
    i18n: I18n,
    on_png: Callback<MouseEvent>,
    csv: String,
    name: String,
) -> Html {
    let on_csv = Callback::from(move |_| {
        let _ = save_as(csv.as_bytes(), &name, "text/csv");
    });
    html! {
        <div class="actions">
            <button type="button" class="secondary" onclick={on_png}>{ i18n.t("das.save_png") }</button>
            <button type="button" class="secondary" onclick={on_csv}>{ i18n.t("das.save_csv") }</button>
        </div>
    }
}

/// The figure as CSV: a header of the columns, a line per row, totals where published,
/// then the measures shown beneath the counts.
fn csv_of(i18n: I18n, d: &Dashboard, f: &Figure, extra: &[ExtraRow]) -> String {
    let mut header = vec![String::new()];
    header.extend(
        f.columns
            .keys
            .iter()
            .map(|k| label(i18n, d, f.columns.dimension, k)),
    );
    if f.row_totals.is_some() {
        header.push(i18n.t("das.total").to_owned());
    }
    let mut lines = vec![header];
    for (r, row) in f.cells.iter().enumerate() {
        let mut line = vec![label(i18n, d, f.rows.dimension, &f.rows.keys[r])];
        line.extend(row.iter().map(|c| shown(*c, i18n)));
        if let Some(totals) = &f.row_totals {
            line.push(shown(totals[r], i18n));
        }
        lines.push(line);
        if let Some(rates) = &f.per_10000 {
            let mut line = vec![rate_label(i18n, d, f, r)];
            line.extend(rates[r].iter().map(|v| rate(*v, i18n)));
            lines.push(line);
        }
    }
    if let Some(totals) = &f.column_totals {
        let mut line = vec![i18n.t("das.total").to_owned()];
        line.extend(totals.iter().map(|c| shown(*c, i18n)));
        lines.push(line);
    }
    for row in extra {
        let mut line = vec![row.label.clone()];
        line.extend(row.cells.iter().cloned());
        lines.push(line);
    }
    csv_text(lines)
}

/// A row's name as its line of rates per 10,000 residents.
fn rate_label(i18n: I18n, d: &Dashboard, f: &Figure, row: usize) -> String {
    let name = label(i18n, d, f.rows.dimension, &f.rows.keys[row]);
    format!("{name} ({})", i18n.t("das.per_10000"))
}

fn rate(v: Option<f64>, i18n: I18n) -> String {
    v.map_or_else(
        || i18n.t("das.suppressed").to_owned(),
        |v| format!("{v:.1}"),
    )
}

/// A line of measures beneath a figure's counts, a value for each column.
#[derive(Clone, PartialEq)]
pub(super) struct ExtraRow {
    pub label: String,
    pub cells: Vec<String>,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Bars,
    /// Each row a series stacked on the others, by column, with a legend.
    Stacked,
    /// Men to the left and women to the right of one axis, by age band upwards.
    Pyramid,
    Heat,
    Lines,
}

#[derive(Properties, PartialEq)]
pub(super) struct FigureViewProps {
    pub dashboard: Rc<Dashboard>,
    pub id: &'static str,
    pub kind: Kind,
    pub on_pick: Callback<(Dimension, String)>,
    #[prop_or_default]
    pub extra: Vec<ExtraRow>,
}

/// One figure: its title, chart, save buttons and table. Clicking a bar or cell, or a
/// row's or column's name in the table, filters the page to it.
#[function_component]
pub(super) fn FigureView(props: &FigureViewProps) -> Html {
    let i18n = use_i18n();
    let d = &props.dashboard;
    let Some(f) = d.figures.iter().find(|f| f.id == props.id) else {
        return Html::default();
    };
    let title = i18n
        .lookup(&format!("das.figure.{}", props.id))
        .unwrap_or(props.id);
    let element = format!("das-{}", props.id.replace('_', "-"));
    let drawing = drawing(i18n, d, f, props.kind, title);
    let pick_column = {
        let (on_pick, dimension, keys) = (
            props.on_pick.clone(),
            f.columns.dimension,
            f.columns.keys.clone(),
        );
        Callback::from(move |place: usize| {
            if let Some(key) = keys.get(place).filter(|k| *k != UNRECORDED) {
                on_pick.emit((dimension, key.clone()))
            }
        })
    };
    let on_png = {
        let (element, name) = (element.clone(), props.id.to_owned());
        Callback::from(move |_| download_png(&element, &name))
    };
    let pickable = |dimension: Dimension| {
        matches!(
            dimension,
            Dimension::District
                | Dimension::Nature
                | Dimension::Agency
                | Dimension::Centre
                | Dimension::Worker
                | Dimension::AgeBand
                | Dimension::Sex
                | Dimension::HouseholdType
                | Dimension::Cssa
                | Dimension::NewArrival
        )
    };
    let head = |dimension: Dimension, key: &str| {
        let name = label(i18n, d, dimension, key);
        if pickable(dimension) && key != UNRECORDED {
            let (on_pick, key) = (props.on_pick.clone(), key.to_owned());
            let onclick = Callback::from(move |_| on_pick.emit((dimension, key.clone())));
            html! { <button type="button" class="link" {onclick}>{ name }</button> }
        } else {
            html! { { name } }
        }
    };
    html! {
        <article class="das-figure" id={format!("{element}-figure")}>
            <h2>{ title }</h2>
            <Chart id={element.clone()} label={i18n.tf("das.chart_label", &[("title", title)])}
                drawing={drawing} on_pick={pickable(f.columns.dimension).then_some(pick_column)} />
            { save_buttons(i18n, on_png, csv_of(i18n, d, f, &props.extra), format!("{}.csv", props.id)) }
            <div class="table-wrap" role="region" tabindex="0" aria-label={title.to_owned()}>
                <table class="data numbers">
                    <caption>{ title }</caption>
                    <thead>
                        <tr>
                            <th scope="col"></th>
                            { for f.columns.keys.iter().map(|k| html! {
                                <th scope="col">{ head(f.columns.dimension, k) }</th>
                            }) }
                            if f.row_totals.is_some() {
                                <th scope="col">{ i18n.t("das.total") }</th>
                            }
                        </tr>
                    </thead>
                    <tbody>
                        { for f.cells.iter().enumerate().map(|(r, row)| html! {
                            <>
                                <tr>
                                    <th scope="row">{ head(f.rows.dimension, &f.rows.keys[r]) }</th>
                                    { for row.iter().map(|c| html! { <td class="num">{ shown(*c, i18n) }</td> }) }
                                    if let Some(totals) = &f.row_totals {
                                        <td class="num">{ shown(totals[r], i18n) }</td>
                                    }
                                </tr>
                                if let Some(rates) = &f.per_10000 {
                                    <tr class="rate">
                                        <th scope="row">{ rate_label(i18n, d, f, r) }</th>
                                        { for rates[r].iter().map(|v| html! { <td class="num">{ rate(*v, i18n) }</td> }) }
                                        if f.row_totals.is_some() {
                                            <td></td>
                                        }
                                    </tr>
                                }
                            </>
                        }) }
                    </tbody>
                    <tfoot>
                        if let Some(totals) = &f.column_totals {
                            <tr>
                                <th scope="row">{ i18n.t("das.total") }</th>
                                { for totals.iter().map(|c| html! { <td class="num">{ shown(*c, i18n) }</td> }) }
                                if f.row_totals.is_some() {
                                    <td></td>
                                }
                            </tr>
                        }
                        { for props.extra.iter().map(|row| html! {
                            <tr class="rate">
                                <th scope="row">{ row.label.clone() }</th>
                                { for row.cells.iter().map(|v| html! { <td class="num">{ v.clone() }</td> }) }
                                if f.row_totals.is_some() {
                                    <td></td>
                                }
                            </tr>
                        }) }
                    </tfoot>
                </table>
            </div>
        </article>
    }
}

fn drawing(i18n: I18n, d: &Dashboard, f: &Figure, kind: Kind, title: &str) -> Drawing {
    let columns: Vec<String> = f
        .columns
        .keys
        .iter()
        .map(|k| label(i18n, d, f.columns.dimension, k))
        .collect();
    let rows: Vec<String> = f
        .rows
        .keys
        .iter()
        .map(|k| label(i18n, d, f.rows.dimension, k))
        .collect();
    let layout = Layout::new()
        .title(Title::with_text(title))
        .margin(Margin::new().left(20).right(20).top(60).bottom(40))
        .x_axis(PlotAxis::new().auto_margin(true))
        .y_axis(PlotAxis::new().auto_margin(true));
    match kind {
        Kind::Bars => {
            let traces: Vec<Box<dyn Trace>> = f
                .cells
                .iter()
                .zip(&rows)
                .map(|(row, name)| {
                    Bar::new(columns.clone(), row.clone())
                        .name(name)
                        .marker(Marker::new().color("#1d5b8c"))
                        .hover_template("%{x}: %{y}<extra></extra>")
                        as Box<dyn Trace>
                })
                .collect();
            Drawing::new(
                420,
                layout.bar_mode(BarMode::Group).show_legend(false),
                traces,
            )
        }
        Kind::Stacked => {
            let traces: Vec<Box<dyn Trace>> = f
                .cells
                .iter()
                .zip(&f.rows.keys)
                .zip(&rows)
                .map(|((row, key), name)| {
                    Bar::new(columns.clone(), row.clone())
                        .name(name)
                        .marker(Marker::new().color(series_colour(key)))
                        .hover_template("%{x} · %{fullData.name}: %{y}<extra></extra>")
                        as Box<dyn Trace>
                })
                .collect();
            Drawing::new(
                420,
                layout
                    .bar_mode(BarMode::Stack)
                    .legend(Legend::new().orientation(Orientation::Horizontal)),
                traces,
            )
        }
        Kind::Pyramid => {
            let traces: Vec<Box<dyn Trace>> = f
                .cells
                .iter()
                .zip(&f.rows.keys)
                .zip(&rows)
                .map(|((row, key), name)| {
                    let left = key == Sex::M.as_str();
                    let (colour, sign) = if left {
                        ("#1d5b8c", -1)
                    } else {
                        ("#c2410c", 1)
                    };
                    let counts: Vec<String> = row.iter().map(|c| shown(*c, i18n)).collect();
                    Bar::new(
                        row.iter().map(|c| c.map(|n| sign * n)).collect(),
                        columns.clone(),
                    )
                    .orientation(Orientation::Horizontal)
                    .name(name)
                    .text_array(counts)
                    .text_position(TextPosition::None)
                    .marker(Marker::new().color(colour))
                    .hover_template("%{y}: %{text}<extra>%{fullData.name}</extra>")
                        as Box<dyn Trace>
                })
                .collect();
            // Counts either side of the axis, both read as positive.
            let widest = f
                .cells
                .iter()
                .flatten()
                .flatten()
                .copied()
                .max()
                .unwrap_or(0);
            let step = ((widest + 1) / 2).max(1);
            let ticks: Vec<i64> = (-2..=2).map(|i| i * step).collect();
            Drawing::new(
                420,
                layout
                    .bar_mode(BarMode::Relative)
                    .x_axis(
                        PlotAxis::new()
                            .tick_values(ticks.iter().map(|t| *t as f64).collect())
                            .tick_text(ticks.iter().map(|t| t.abs().to_string()).collect()),
                    )
                    .legend(Legend::new().orientation(Orientation::Horizontal)),
                traces,
            )
        }
        Kind::Heat => {
            let z: Vec<Vec<Option<i64>>> = f.cells.clone();
            let heat = HeatMap::new(columns, rows, z)
                .hover_template("%{y} · %{x}: %{z}<extra></extra>")
                .color_scale(plotly::common::ColorScale::Palette(
                    plotly::common::ColorScalePalette::Blues,
                ))
                .reverse_scale(true);
            let height = 160 + 26 * f.rows.keys.len();
            Drawing::new(height, layout, vec![heat])
        }
        Kind::Lines => {
            let traces: Vec<Box<dyn Trace>> = f
                .cells
                .iter()
                .zip(&f.rows.keys)
                .zip(&rows)
                .map(|((row, key), name)| {
                    let dash = if key.ends_with("_last_year") {
                        DashType::Dash
                    } else {
                        DashType::Solid
                    };
                    Scatter::new(columns.clone(), row.clone())
                        .name(name)
                        .mode(Mode::LinesMarkers)
                        .line(Line::new().dash(dash)) as Box<dyn Trace>
                })
                .collect();
            Drawing::new(380, layout, traces)
        }
    }
}

/// Good outcomes green, bad ones red, the rest grey.
fn series_colour(key: &str) -> &'static str {
    match key {
        "improved" | "completed" => "#15803d",
        "worsened" => "#b91c1c",
        "unjudged" => "#d1d5db",
        _ => "#6b7280",
    }
}

#[derive(Properties, PartialEq)]
pub struct BoardProps {
    pub dashboard: Rc<Dashboard>,
    pub on_pick: Callback<(Dimension, String)>,
}

/// Service users' profile: each client of the cases served once.
#[function_component]
pub fn Profile(props: &BoardProps) -> Html {
    let i18n = use_i18n();
    let d = &props.dashboard;
    let figure = |id: &'static str, kind: Kind| {
        html! { <FigureView dashboard={d.clone()} {id} {kind} on_pick={props.on_pick.clone()} /> }
    };
    html! {
        <>
            { figure("age_sex", Kind::Pyramid) }
            <DistrictMap dashboard={d.clone()} on_pick={props.on_pick.clone()} />
            { figure("persons_by_district", Kind::Bars) }
            { for [
                "persons_by_household_type",
                "persons_by_housing",
                "persons_by_cssa",
                "persons_by_income_band",
                "persons_by_new_arrival",
                "persons_by_ethnicity",
                "persons_by_language",
            ]
                .map(|id| figure(id, Kind::Bars)) }
            <p class="note">{ i18n.t("das.profile.disability_note") }</p>
            { figure("persons_by_disability", Kind::Bars) }
        </>
    }
}

/// Family problems.
#[function_component]
pub fn Problems(props: &BoardProps) -> Html {
    let i18n = use_i18n();
    let d = &props.dashboard;
    let figure = |id: &'static str, kind: Kind| {
        html! { <FigureView dashboard={d.clone()} {id} {kind} on_pick={props.on_pick.clone()} /> }
    };
    let quartile = |v: Option<f64>| {
        v.map_or_else(
            || i18n.t("das.suppressed").to_owned(),
            |v| format!("{v:.1}"),
        )
    };
    html! {
        <>
            <DistrictMap dashboard={d.clone()} on_pick={props.on_pick.clone()} />
            { figure("cases_by_district", Kind::Bars) }
            { figure("natures_by_district", Kind::Heat) }
            { figure("cases_by_breakdown", Kind::Bars) }
            { figure("natures_by_breakdown", Kind::Heat) }
            { figure("new_by_month", Kind::Lines) }
            <article class="das-figure">
                <h2>{ i18n.t("das.spreads") }</h2>
                <table class="data numbers">
                    <caption>{ i18n.t("das.spreads") }</caption>
                    <thead><tr>
                        <th scope="col"></th>
                        <th scope="col">{ i18n.t("das.spread.count") }</th>
                        <th scope="col">{ i18n.t("das.spread.lower_quartile") }</th>
                        <th scope="col">{ i18n.t("das.spread.median") }</th>
                        <th scope="col">{ i18n.t("das.spread.upper_quartile") }</th>
                    </tr></thead>
                    <tbody>
                        { for d.spreads.iter().map(|(name, s)| html! {
                            <tr>
                                <th scope="row">{ i18n.lookup(&format!("das.spread.{name}")).unwrap_or(name) }</th>
                                <td class="num">{ shown(s.count, i18n) }</td>
                                <td class="num">{ quartile(s.lower_quartile) }</td>
                                <td class="num">{ quartile(s.median) }</td>
                                <td class="num">{ quartile(s.upper_quartile) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </article>
        </>
    }
}

/// Themes read from case notes: words found, to be checked against the records.
#[function_component]
pub fn Themes(props: &BoardProps) -> Html {
    let i18n = use_i18n();
    let d = &props.dashboard;
    let figure = |id: &'static str| {
        html! { <FigureView dashboard={d.clone()} {id} kind={Kind::Heat} on_pick={props.on_pick.clone()} /> }
    };
    html! {
        <>
            <p class="note">{ i18n.t("das.themes.note") }</p>
            { figure("themes_by_month") }
            <DistrictMap dashboard={d.clone()} on_pick={props.on_pick.clone()} />
            { figure("themes_by_district") }
            { figure("themes_by_nature") }
        </>
    }
}

/// The co-occurrence measures the heat map switches between.
const MEASURES: [&str; 5] = ["cases", "joint", "lift", "phi", "jaccard"];

fn measure_of(p: &Pairing, measure: &str) -> Option<f64> {
    match measure {
        "joint" => p.joint,
        "lift" => p.lift,
        "phi" => p.phi,
        "jaccard" => p.jaccard,
        _ => p.cases.map(|n| n as f64),
    }
}

/// Complex family problems.
#[function_component]
pub fn Complexity(props: &BoardProps) -> Html {
    let i18n = use_i18n();
    let d = &props.dashboard;
    let measure = use_state(|| "lift".to_owned());
    let Some(co) = &d.co_occurrence else {
        return Html::default();
    };
    let names: Vec<String> = co
        .natures
        .iter()
        .map(|k| label(i18n, d, Dimension::Nature, k))
        .collect();
    let z: Vec<Vec<Option<f64>>> = co
        .pairs
        .iter()
        .map(|row| row.iter().map(|p| measure_of(p, &measure)).collect())
        .collect();
    let measure_name = i18n
        .lookup(&format!("das.measure.{}", *measure))
        .unwrap_or(measure.as_str())
        .to_owned();
    let title = i18n.tf("das.co_occurrence_of", &[("measure", &measure_name)]);
    let heat = HeatMap::new(names.clone(), names.clone(), z.clone())
        .hover_template("%{y} · %{x}: %{z:.3}<extra></extra>");
    let drawing = Drawing::new(
        200 + 26 * names.len(),
        Layout::new()
            .title(Title::with_text(&title))
            .margin(Margin::new().left(20).right(20).top(60).bottom(40))
            .x_axis(PlotAxis::new().auto_margin(true))
            .y_axis(PlotAxis::new().auto_margin(true)),
        vec![heat],
    );
    let on_measure = {
        let measure = measure.clone();
        Callback::from(move |event: Event| measure.set(value_of(&event)))
    };
    let format = |v: Option<f64>| match v {
        None => i18n.t("das.suppressed").to_owned(),
        Some(v) if *measure == "cases" => format!("{v:.0}"),
        Some(v) => format!("{v:.3}"),
    };
    let csv = {
        let mut lines = vec![std::iter::once(String::new())
            .chain(names.iter().cloned())
            .collect::<Vec<_>>()];
        for (name, row) in names.iter().zip(&z) {
            lines.push(
                std::iter::once(name.clone())
                    .chain(row.iter().map(|v| format(*v)))
                    .collect(),
            );
        }
        csv_text(lines)
    };
    let share = co.complex_share.map_or_else(
        || i18n.t("das.suppressed").to_owned(),
        |s| format!("{:.1}%", s * 100.0),
    );
    html! {
        <>
            <FigureView dashboard={d.clone()} id="natures_per_case" kind={Kind::Bars} on_pick={props.on_pick.clone()} />
            <p id="das-complex">{ i18n.tf("das.complex", &[("n", &shown(co.complex_cases, i18n)), ("share", &share)]) }</p>
            <article class="das-figure" id="das-co-occurrence-figure">
                <h2>{ i18n.t("das.co_occurrence") }</h2>
                <div class="field">
                    <label for="das-measure">{ i18n.t("das.measure") }</label>
                    <select id="das-measure" onchange={on_measure}>
                        { for MEASURES.iter().map(|m| html! {
                            <option value={*m} selected={*measure == *m}>
                                { i18n.lookup(&format!("das.measure.{m}")).unwrap_or(m) }
                            </option>
                        }) }
                    </select>
                </div>
                <p class="note">{ i18n.lookup(&format!("das.measure_note.{}", *measure)).unwrap_or("") }</p>
                <Chart id="das-co-occurrence" label={i18n.tf("das.chart_label", &[("title", &title)])} drawing={drawing} />
                { save_buttons(i18n, Callback::from(|_| download_png("das-co-occurrence", "co_occurrence")),
                    csv, format!("co_occurrence_{}.csv", *measure)) }
                <div class="table-wrap" role="region" tabindex="0" aria-label={title.clone()}>
                    <table class="data numbers">
                        <caption>{ title.clone() }</caption>
                        <thead><tr>
                            <th scope="col"></th>
                            { for names.iter().map(|n| html! { <th scope="col">{ n }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for names.iter().zip(&z).map(|(n, row)| html! {
                                <tr>
                                    <th scope="row">{ n }</th>
                                    { for row.iter().map(|v| html! { <td class="num">{ format(*v) }</td> }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </article>
            <NatureNetwork dashboard={d.clone()} on_pick={props.on_pick.clone()} />
            <article class="das-figure" id="das-combinations">
                <h2>{ i18n.t("das.combinations") }</h2>
                <table class="data numbers">
                    <caption>{ i18n.t("das.combinations") }</caption>
                    <thead><tr>
                        <th scope="col">{ i18n.t("das.combination") }</th>
                        <th scope="col">{ i18n.t("das.measure.cases") }</th>
                        <th scope="col">{ i18n.t("das.support") }</th>
                        <th scope="col">{ i18n.t("das.confidence") }</th>
                        <th scope="col">{ i18n.t("das.measure.lift") }</th>
                    </tr></thead>
                    <tbody>
                        { for co.combinations.iter().map(|c| {
                            let (first, last) = c.natures.split_at(c.natures.len() - 1);
                            let named = |codes: &[String]| codes.iter()
                                .map(|k| label(i18n, d, Dimension::Nature, k))
                                .collect::<Vec<_>>()
                                .join(" + ");
                            html! {
                                <tr>
                                    <th scope="row">{ format!("{} → {}", named(first), named(last)) }</th>
                                    <td class="num">{ c.cases }</td>
                                    <td class="num">{ format!("{:.1}%", c.support * 100.0) }</td>
                                    <td class="num">{ format!("{:.1}%", c.confidence * 100.0) }</td>
                                    <td class="num">{ format!("{:.2}", c.lift) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </article>
        </>
    }
}
