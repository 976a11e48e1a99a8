//! The natures as a network: each nature a point on a circle, sized by its cases, and a
//! line between two natures found together more often than apart (lift above 1), the
//! thicker the stronger. Pairs whose count is suppressed draw no line.

use std::f64::consts::TAU;

use common::analytics::{CoOccurrence, Dimension};
use plotly::common::{HoverInfo, Line, Marker, Mode, Position, Title};
use plotly::layout::{Axis as PlotAxis, Margin};
use plotly::{Layout, Scatter, Trace};
use yew::prelude::*;

use super::figures::{csv_text, label, save_buttons, BoardProps};
use crate::chart::{download_png, Chart, Drawing};
use crate::i18n::use_i18n;

/// Most lines drawn: the strongest, so the picture stays readable.
const MOST_LINKS: usize = 40;

/// Two natures linked: their places in the co-occurrence's list, cases and lift.
struct Link {
    a: usize,
    b: usize,
    cases: i64,
    lift: f64,
}

fn links(co: &CoOccurrence) -> Vec<Link> {
    let mut links: Vec<Link> = co
        .pairs
        .iter()
        .enumerate()
        .flat_map(|(a, row)| {
            row.iter()
                .enumerate()
                .skip(a + 1)
                .filter_map(move |(b, p)| match (p.cases, p.lift) {
                    (Some(cases), Some(lift)) if cases > 0 && lift > 1.0 => {
                        Some(Link { a, b, cases, lift })
                    }
                    _ => None,
                })
        })
        .collect();
    links.sort_by(|x, y| y.lift.total_cmp(&x.lift).then(y.cases.cmp(&x.cases)));
    links.truncate(MOST_LINKS);
    links
}

#[function_component]
pub fn NatureNetwork(props: &BoardProps) -> Html {
    let i18n = use_i18n();
    let d = &props.dashboard;
    let Some(co) = &d.co_occurrence else {
        return Html::default();
    };
    let names: Vec<String> = co
        .natures
        .iter()
        .map(|k| label(i18n, d, Dimension::Nature, k))
        .collect();
    let cases: Vec<Option<i64>> = (0..co.natures.len())
        .map(|i| co.pairs[i][i].cases)
        .collect();
    let links = links(co);
    let k = names.len().max(1) as f64;
    let at = |i: usize| {
        let angle = TAU * i as f64 / k;
        (angle.cos(), angle.sin())
    };
    let most = cases.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let mut traces: Vec<Box<dyn Trace>> = links
        .iter()
        .map(|l| {
            let ((xa, ya), (xb, yb)) = (at(l.a), at(l.b));
            let width = (1.0 + 2.5 * l.lift.ln()).min(10.0);
            Scatter::new(vec![xa, xb], vec![ya, yb])
                .mode(Mode::Lines)
                .line(Line::new().width(width).color("rgba(29, 91, 140, 0.45)"))
                .hover_info(HoverInfo::Skip)
                .show_legend(false) as Box<dyn Trace>
        })
        .collect();
    let text: Vec<String> = names
        .iter()
        .zip(&cases)
        .map(|(n, c)| {
            let count = c.map_or_else(|| i18n.t("das.suppressed").to_owned(), |c| c.to_string());
            format!("{n}: {count}")
        })
        .collect();
    let sizes: Vec<usize> = cases
        .iter()
        .map(|c| (8.0 + 30.0 * (c.unwrap_or(0) as f64 / most).sqrt()) as usize)
        .collect();
    let (xs, ys): (Vec<f64>, Vec<f64>) = (0..names.len()).map(at).unzip();
    traces.push(
        Scatter::new(xs, ys)
            .mode(Mode::MarkersText)
            .text_array(names.clone())
            .text_position(Position::TopCenter)
            .hover_text_array(text)
            .hover_info(HoverInfo::Text)
            .marker(Marker::new().size_array(sizes).color("#c2410c"))
            .show_legend(false),
    );
    let title = i18n.t("das.network").to_owned();
    let hidden = PlotAxis::new().visible(false).range(vec![-1.35, 1.35]);
    let drawing = Drawing::new(
        640,
        Layout::new()
            .title(Title::with_text(&title))
            .margin(Margin::new().left(20).right(20).top(60).bottom(20))
            .x_axis(hidden.clone())
            .y_axis(hidden),
        traces,
    );
    // Only the nature points answer a click: the lines skip hovering, and so picking.
    let on_pick = {
        let (on_pick, codes) = (props.on_pick.clone(), co.natures.clone());
        Callback::from(move |place: usize| {
            if let Some(code) = codes.get(place) {
                on_pick.emit((Dimension::Nature, code.clone()))
            }
        })
    };
    let header = [
        i18n.t("das.network.nature_a"),
        i18n.t("das.network.nature_b"),
        i18n.t("das.measure.cases"),
        i18n.t("das.measure.lift"),
    ];
    let csv = csv_text(
        std::iter::once(header.iter().map(|h| (*h).to_owned()).collect())
            .chain(links.iter().map(|l| {
                vec![
                    names[l.a].clone(),
                    names[l.b].clone(),
                    l.cases.to_string(),
                    format!("{:.3}", l.lift),
                ]
            }))
            .collect(),
    );
    html! {
        <article class="das-figure" id="das-network-figure">
            <h2>{ title.clone() }</h2>
            <p class="note">{ i18n.t("das.network.note") }</p>
            <Chart id="das-network" label={i18n.tf("das.chart_label", &[("title", &title)])}
                drawing={drawing} on_pick={Some(on_pick)} />
            { save_buttons(i18n, Callback::from(|_| download_png("das-network", "network")),
                csv, "network.csv".to_owned()) }
            <div class="table-wrap" role="region" tabindex="0" aria-label={title.clone()}>
                <table class="data numbers">
                    <caption>{ title.clone() }</caption>
                    <thead><tr>
                        { for header.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for links.iter().map(|l| html! {
                            <tr>
                                <th scope="row">{ &names[l.a] }</th>
                                <th scope="row">{ &names[l.b] }</th>
                                <td class="num">{ l.cases }</td>
                                <td class="num">{ format!("{:.2}", l.lift) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </article>
    }
}
