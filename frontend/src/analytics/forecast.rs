//! Needs ahead: new cases a month, the next six forecast with their intervals, and how
//! well the method did on the last six months when fitted without them.

use common::analytics::{NeedsAhead, FORECAST_HISTORY, HELD_OUT_MONTHS};
use plotly::common::{DashType, Fill, Line, Mode, Title};
use plotly::layout::{Axis as PlotAxis, Legend, Margin};
use plotly::{Layout, Scatter, Trace};
use yew::prelude::*;

use super::figures::{csv_text, save_buttons, shown};
use crate::api::Load;
use crate::chart::{download_png, Chart, Drawing};
use crate::i18n::use_i18n;

#[derive(Properties, PartialEq)]
pub struct NeedsAheadProps {
    pub loaded: Load<NeedsAhead>,
}

fn one(v: f64) -> String {
    format!("{v:.1}")
}

#[function_component]
pub fn NeedsAheadBoard(props: &NeedsAheadProps) -> Html {
    let i18n = use_i18n();
    let needs = match &props.loaded {
        Load::Loading => return html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => {
            return html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
        }
        Load::Ready(needs) => needs,
    };
    let title = i18n.t("das.forecast.title").to_owned();
    let months: Vec<String> = needs.history.iter().map(|m| m.month.clone()).collect();
    let counts: Vec<Option<i64>> = needs.history.iter().map(|m| m.cases).collect();
    let mut traces: Vec<Box<dyn Trace>> = vec![Scatter::new(months.clone(), counts)
        .name(i18n.t("das.forecast.history"))
        .mode(Mode::LinesMarkers)
        .line(Line::new().color("#1d5b8c"))];
    if let Some(ahead) = &needs.forecast {
        let ahead_months: Vec<String> = ahead.iter().map(|m| m.month.clone()).collect();
        let band = |values: Vec<f64>, name: &str, fill: Fill| {
            Scatter::new(ahead_months.clone(), values)
                .name(name)
                .mode(Mode::Lines)
                .line(Line::new().width(0.0).color("rgba(194, 65, 12, 0.3)"))
                .fill(fill)
                .fill_color("rgba(194, 65, 12, 0.15)")
                .show_legend(false)
        };
        traces.push(band(
            ahead.iter().map(|m| m.low).collect(),
            i18n.t("das.forecast.low"),
            Fill::None,
        ));
        traces.push(band(
            ahead.iter().map(|m| m.high).collect(),
            i18n.t("das.forecast.high"),
            Fill::ToNextY,
        ));
        traces.push(
            Scatter::new(ahead_months, ahead.iter().map(|m| m.expected).collect())
                .name(i18n.t("das.forecast.expected"))
                .mode(Mode::LinesMarkers)
                .line(Line::new().color("#c2410c").dash(DashType::Dash)),
        );
    }
    let drawing = Drawing::new(
        420,
        Layout::new()
            .title(Title::with_text(&title))
            .margin(Margin::new().left(20).right(20).top(60).bottom(40))
            .x_axis(PlotAxis::new().auto_margin(true))
            .y_axis(
                PlotAxis::new()
                    .auto_margin(true)
                    .range_mode(plotly::layout::RangeMode::ToZero),
            )
            .legend(Legend::new().orientation(plotly::common::Orientation::Horizontal)),
        traces,
    );
    let header = [
        i18n.t("das.forecast.month"),
        i18n.t("das.forecast.history"),
        i18n.t("das.forecast.expected"),
        i18n.t("das.forecast.low"),
        i18n.t("das.forecast.high"),
    ];
    let mut lines: Vec<[String; 5]> = needs
        .history
        .iter()
        .map(|m| {
            [
                m.month.clone(),
                shown(m.cases, i18n),
                String::new(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    for m in needs.forecast.iter().flatten() {
        lines.push([
            m.month.clone(),
            String::new(),
            one(m.expected),
            one(m.low),
            one(m.high),
        ]);
    }
    let csv = csv_text(
        std::iter::once(header.iter().map(|h| (*h).to_owned()).collect())
            .chain(lines.iter().map(|l| l.to_vec()))
            .collect(),
    );
    let months_text = FORECAST_HISTORY.to_string();
    html! {
        <>
            <p class="note">{ i18n.t("das.forecast.note") }</p>
            if needs.forecast.is_none() {
                <p id="das-forecast-short" role="status">{ i18n.tf("das.forecast.too_short", &[("months", &months_text)]) }</p>
            }
            if let Some(held) = &needs.held_out {
                <p id="das-forecast-accuracy">{ i18n.tf("das.forecast.accuracy", &[
                    ("months", &HELD_OUT_MONTHS.to_string()),
                    ("error", &one(held.mean_absolute_error)),
                    ("naive", &one(held.naive_mean_absolute_error)),
                    ("within", &held.within_interval.to_string()),
                ]) }</p>
            }
            if let Some([level, trend, season]) = needs.smoothing {
                <p class="note">{ i18n.tf("das.forecast.weights", &[
                    ("level", &format!("{level:.2}")), ("trend", &format!("{trend:.2}")), ("season", &format!("{season:.2}")),
                ]) }</p>
            }
            <article class="das-figure" id="das-forecast-figure">
                <h2>{ title.clone() }</h2>
                <Chart id="das-forecast" label={i18n.tf("das.chart_label", &[("title", &title)])} drawing={drawing} />
                { save_buttons(i18n, Callback::from(|_| download_png("das-forecast", "forecast")),
                    csv, "forecast.csv".to_owned()) }
                <div class="table-wrap" role="region" tabindex="0" aria-label={title.clone()}>
                    <table class="data numbers">
                        <caption>{ title.clone() }</caption>
                        <thead><tr>
                            { for header.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for lines.iter().rev().map(|[month, cases, expected, low, high]| html! {
                                <tr>
                                    <th scope="row">{ month }</th>
                                    <td class="num">{ cases }</td>
                                    <td class="num">{ expected }</td>
                                    <td class="num">{ low }</td>
                                    <td class="num">{ high }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </article>
        </>
    }
}
