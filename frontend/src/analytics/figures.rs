//! The dashboards' figures: each a chart with its numbers in a table beside it, saved as
//! PNG or CSV as shown (suppressed counts stay suppressed in both).

use std::rc::Rc;

use common::analytics::{Dashboard, Dimension, Figure, Pairing, UNRECORDED};
use common::districts::District;
use plotly::common::{DashType, Line, Marker, Mode, Title};
use plotly::layout::{Axis as PlotAxis, BarMode, Margin};
use plotly::{Bar, HeatMap, Layout, Scatter, Trace};
use yew::prelude::*;

use crate::api::save_as;
use crate::chart::{download_png, Chart, Drawing};
use crate::form::value_of;
use crate::i18n::{use_i18n, I18n};

/// A key of a figure's axis, named in the current language.
fn label(i18n: I18n, d: &Dashboard, dimension: Dimension, key: &str) -> String {
    match dimension {
        Dimension::Nature | Dimension::Agency | Dimension::Centre | Dimension::Worker => d
            .names
            .get(key)
            .map_or_else(|| key.to_owned(), |n| i18n.pick(&n.zh, &n.en).to_owned()),
        Dimension::District => match District::from_code(key) {
            Some(district) => i18n.district(district).to_owned(),
            None if key == UNRECORDED => i18n.t("das.unrecorded").to_owned(),
            None => key.to_owned(),
        },
        Dimension::Month | Dimension::NaturesPerCase | Dimension::AgeBand => key.to_owned(),
        other => i18n
            .lookup(&format!("das.{}.{key}", other.as_str()))
            .unwrap_or(key)
            .to_owned(),
    }
}

fn shown(n: Option<i64>, i18n: I18n) -> String {
    n.map_or_else(|| i18n.t("das.suppressed").to_owned(), |n| n.to_string())
}

/// The figure as CSV: a header of the columns, a line per row, totals where published.
fn csv_of(i18n: I18n, d: &Dashboard, f: &Figure) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut lines = Vec::new();
    let mut header = vec![quote("")];
    header.extend(
        f.columns
            .keys
            .iter()
            .map(|k| quote(&label(i18n, d, f.columns.dimension, k))),
    );
    if f.row_totals.is_some() {
        header.push(quote(i18n.t("das.total")));
    }
    lines.push(header.join(","));
    for (r, row) in f.cells.iter().enumerate() {
        let mut line = vec![quote(&label(i18n, d, f.rows.dimension, &f.rows.keys[r]))];
        line.extend(row.iter().map(|c| quote(&shown(*c, i18n))));
        if let Some(totals) = &f.row_totals {
            line.push(quote(&shown(totals[r], i18n)));
        }
        lines.push(line.join(","));
    }
    // A byte order mark, so that spreadsheet programs read the Chinese names as UTF-8.
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Bars,
    Heat,
    Lines,
}

#[derive(Properties, PartialEq)]
struct FigureViewProps {
    dashboard: Rc<Dashboard>,
    id: &'static str,
    kind: Kind,
    on_pick: Callback<(Dimension, String)>,
}

/// One figure: its title, chart, save buttons and table. Clicking a bar or cell, or a
/// row's or column's name in the table, filters the page to it.
#[function_component]
fn FigureView(props: &FigureViewProps) -> Html {
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
    let on_csv = {
        let (csv, name) = (csv_of(i18n, d, f), format!("{}.csv", props.id));
        Callback::from(move |_| {
            let _ = save_as(csv.as_bytes(), &name, "text/csv");
        })
    };
    let pickable = |dimension: Dimension| {
        matches!(
            dimension,
            Dimension::District | Dimension::Nature | Dimension::Agency | Dimension::Centre
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
            <div class="actions">
                <button type="button" class="secondary" onclick={on_png}>{ i18n.t("das.save_png") }</button>
                <button type="button" class="secondary" onclick={on_csv}>{ i18n.t("das.save_csv") }</button>
            </div>
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
                            <tr>
                                <th scope="row">{ head(f.rows.dimension, &f.rows.keys[r]) }</th>
                                { for row.iter().map(|c| html! { <td class="num">{ shown(*c, i18n) }</td> }) }
                                if let Some(totals) = &f.row_totals {
                                    <td class="num">{ shown(totals[r], i18n) }</td>
                                }
                            </tr>
                        }) }
                    </tbody>
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

#[derive(Properties, PartialEq)]
pub struct BoardProps {
    pub dashboard: Rc<Dashboard>,
    pub on_pick: Callback<(Dimension, String)>,
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
    let on_csv = {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut lines = vec![std::iter::once(quote(""))
            .chain(names.iter().map(|n| quote(n)))
            .collect::<Vec<_>>()
            .join(",")];
        for (name, row) in names.iter().zip(&z) {
            lines.push(
                std::iter::once(quote(name))
                    .chain(row.iter().map(|v| quote(&format(*v))))
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
        let csv = format!("\u{feff}{}\r\n", lines.join("\r\n"));
        let name = format!("co_occurrence_{}.csv", *measure);
        Callback::from(move |_| {
            let _ = save_as(csv.as_bytes(), &name, "text/csv");
        })
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
                <div class="actions">
                    <button type="button" class="secondary" onclick={Callback::from(|_| download_png("das-co-occurrence", "co_occurrence"))}>
                        { i18n.t("das.save_png") }
                    </button>
                    <button type="button" class="secondary" onclick={on_csv}>{ i18n.t("das.save_csv") }</button>
                </div>
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
