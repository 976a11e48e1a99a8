//! A client's scores over time: a chart for each instrument they answered twice or more,
//! a line for each of its scales, with a table of the same numbers.

use std::rc::Rc;

use common::assessments::{Assessment, ScaleScore};
use plotly::common::{Mode, Orientation, Title};
use plotly::layout::{Axis, AxisType, Legend, Margin, RangeMode};
use plotly::{Layout, Scatter, Trace};
use yew::prelude::*;

use super::result_text;
use crate::chart::{Chart, Drawing};
use crate::i18n::{use_i18n, I18n};

#[derive(Properties, PartialEq)]
pub struct ScoreTrendsProps {
    /// A client's assessments, in any order.
    pub assessments: Rc<Vec<Assessment>>,
}

#[function_component]
pub fn ScoreTrends(props: &ScoreTrendsProps) -> Html {
    let i18n = use_i18n();
    let series = repeated(&props.assessments);
    if series.is_empty() {
        return Html::default();
    }
    html! {
        <div id="score-trends">
            <h3>{ i18n.t("assessment.trends") }</h3>
            { for series.iter().map(|taken| trend(i18n, taken)) }
        </div>
    }
}

/// The assessments of each instrument answered twice or more, oldest first.
fn repeated(assessments: &[Assessment]) -> Vec<Vec<&Assessment>> {
    let mut oldest_first: Vec<&Assessment> = assessments.iter().collect();
    oldest_first.sort_by_key(|a| (a.administered_on, a.created_at));
    let mut series: Vec<Vec<&Assessment>> = Vec::new();
    for assessment in oldest_first {
        match series
            .iter_mut()
            .find(|s| s[0].instrument.code == assessment.instrument.code)
        {
            Some(same) => same.push(assessment),
            None => series.push(vec![assessment]),
        }
    }
    series.retain(|s| s.len() > 1);
    series
}

/// The scales met in the assessments, in the order first met (an instrument's versions
/// may differ).
fn scales_of<'a>(taken: &[&'a Assessment]) -> Vec<&'a ScaleScore> {
    let mut scales: Vec<&ScaleScore> = Vec::new();
    for scale in taken.iter().flat_map(|a| &a.scoring.scales) {
        if scales.iter().all(|s| s.code != scale.code) {
            scales.push(scale);
        }
    }
    scales
}

fn score_on<'a>(assessment: &'a Assessment, code: &str) -> Option<&'a ScaleScore> {
    assessment.scoring.scales.iter().find(|s| s.code == code)
}

fn trend(i18n: I18n, taken: &[&Assessment]) -> Html {
    let instrument = &taken[taken.len() - 1].instrument;
    let name = i18n.pick(&instrument.name_zh, &instrument.name_en);
    let scales = scales_of(taken);
    let caption = i18n.tf("assessment.trend_table", &[("instrument", name)]);
    html! {
        <div class="score-trend" key={instrument.code.clone()}>
            <h4>{ name }</h4>
            <Chart id={format!("score-chart-{}", instrument.code)}
                label={i18n.tf("assessment.trend_label", &[("instrument", name)])}
                drawing={trend_chart(i18n, taken, &scales)} />
            <details>
                <summary>{ i18n.t("assessment.trend_numbers") }</summary>
                <div class="table-wrap" role="region" tabindex="0" aria-label={caption.clone()}>
                    <table class="data" id={format!("score-table-{}", instrument.code)}>
                        <caption>{ caption }</caption>
                        <thead><tr>
                            <th scope="col">{ i18n.t("assessment.administered_on") }</th>
                            <th scope="col">{ i18n.t("assessment.stage") }</th>
                            { for scales.iter().map(|s| html! { <th scope="col">{ i18n.pick(&s.name_zh, &s.name_en).to_owned() }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for taken.iter().map(|a| html! {
                                <tr key={a.id.clone()}>
                                    <th scope="row">{ a.administered_on.to_string() }</th>
                                    <td>{ i18n.code("stage", a.stage.as_str()) }</td>
                                    { for scales.iter().map(|s| html! {
                                        <td>{ score_on(a, &s.code).map_or_else(|| "—".to_owned(), |score| result_text(i18n, score)) }</td>
                                    }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            </details>
        </div>
    }
}

fn trend_chart(i18n: I18n, taken: &[&Assessment], scales: &[&ScaleScore]) -> Drawing {
    let days: Vec<String> = taken
        .iter()
        .map(|a| a.administered_on.to_string())
        .collect();
    let traces = scales
        .iter()
        .map(|scale| {
            let scores: Vec<Option<f64>> = taken
                .iter()
                .map(|a| score_on(a, &scale.code).and_then(|s| s.score))
                .collect();
            // The hover names the stage and the band, as the table does.
            let hover: Vec<String> = taken
                .iter()
                .map(|a| {
                    let result = score_on(a, &scale.code)
                        .map_or_else(|| "—".to_owned(), |s| result_text(i18n, s));
                    format!("{} · {result}", i18n.code("stage", a.stage.as_str()))
                })
                .collect();
            Scatter::new(days.clone(), scores)
                .name(i18n.pick(&scale.name_zh, &scale.name_en))
                .mode(Mode::LinesMarkers)
                // A measure without a score leaves no gap in the line of the others.
                .connect_gaps(true)
                .hover_text_array(hover)
                .hover_template("%{x|%Y-%m-%d}<br>%{hovertext}") as Box<dyn Trace>
        })
        .collect();
    let layout = Layout::new()
        .legend(Legend::new().orientation(Orientation::Horizontal))
        .margin(Margin::new().left(20).right(20).top(40).bottom(50))
        .x_axis(
            Axis::new()
                .type_(AxisType::Date)
                .tick_format("%Y-%m-%d")
                .auto_margin(true),
        )
        .y_axis(
            Axis::new()
                .title(Title::with_text(i18n.t("assessment.score")))
                .range_mode(RangeMode::ToZero)
                .auto_margin(true),
        );
    Drawing::new(360, layout, traces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use common::assessments::{InstrumentSummary, Scoring, Stage};

    fn taken(id: &str, instrument: &str, on: &str) -> Assessment {
        Assessment {
            id: id.into(),
            client_id: "c1".into(),
            client_name: "陳大文".into(),
            case_id: Some("k1".into()),
            activity_id: None,
            instrument: InstrumentSummary {
                code: instrument.into(),
                version: 1,
                name_zh: instrument.into(),
                name_en: instrument.into(),
                items: 9,
                built_in: true,
            },
            stage: Stage::Pre,
            administered_on: on.parse().unwrap(),
            administered_by: None,
            scoring: Scoring {
                instrument: instrument.into(),
                version: 1,
                scales: vec![],
                alerts: vec![],
                items: vec![],
            },
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn only_instruments_answered_twice_are_charted_oldest_first() {
        let assessments = [
            taken("a", "phq9", "2026-03-01"),
            taken("b", "gad7", "2026-02-01"),
            taken("c", "phq9", "2026-01-01"),
        ];
        let ids: Vec<Vec<&str>> = repeated(&assessments)
            .iter()
            .map(|s| s.iter().map(|a| a.id.as_str()).collect())
            .collect();
        assert_eq!(ids, [["c", "a"]]);
    }
}
