//! Risk and protective factors: the outcome chosen, its adjusted ratios as a forest plot
//! and a table, each read out in plain words.

use common::analytics::{FactorEstimate, RatioEstimate, RiskFactors, COMPLEX, FLAGGED};
use common::taxonomy::Vocabulary;
use plotly::common::{ErrorData, ErrorType, Marker, Mode, Title};
use plotly::layout::{Axis as PlotAxis, AxisType, Margin, Shape, ShapeLine, ShapeType};
use plotly::{Layout, Scatter};
use yew::prelude::*;

use super::figures::{code_name, csv_text, save_buttons};
use crate::api::Load;
use crate::chart::{download_png, Chart, Drawing};
use crate::form::value_of;
use crate::i18n::{use_i18n, I18n};
use crate::terms::use_terms;

#[derive(Properties, PartialEq)]
pub struct RiskProps {
    pub outcome: AttrValue,
    pub loaded: Load<RiskFactors>,
    pub on_outcome: Callback<String>,
}

/// A level of a factor in words: "Single parent", "Male", "Aged 0-17".
fn level_name(i18n: I18n, f: &FactorEstimate, level: &str) -> String {
    i18n.lookup(&format!("das.level.{}.{level}", f.factor.as_str()))
        .map(str::to_owned)
        .or_else(|| code_name(i18n, f.factor, level))
        .unwrap_or_else(|| level.to_owned())
}

/// "1.80 times as likely (95% CI 1.50 to 2.10), p = 0.003"
fn reading(i18n: I18n, r: &RatioEstimate) -> String {
    i18n.tf(
        "das.risk.reading",
        &[
            ("ratio", &format!("{:.2}", r.ratio)),
            ("low", &format!("{:.2}", r.low)),
            ("high", &format!("{:.2}", r.high)),
            (
                "p",
                &if r.p_value < 0.001 {
                    "< 0.001".to_owned()
                } else {
                    format!("= {:.3}", r.p_value)
                },
            ),
        ],
    )
}

#[function_component]
pub fn RiskBoard(props: &RiskProps) -> Html {
    let i18n = use_i18n();
    let natures = use_terms(Vocabulary::CaseNatures);
    let odds = use_state(|| false);
    let mut outcomes = vec![
        (COMPLEX.to_owned(), i18n.t("das.risk.complex").to_owned()),
        (FLAGGED.to_owned(), i18n.t("das.risk.flagged").to_owned()),
    ];
    if let Load::Ready(terms) = &*natures {
        outcomes.extend(
            terms
                .iter()
                .map(|t| (t.code.clone(), i18n.pick(&t.name_zh, &t.name_en).to_owned())),
        );
    }
    let on_outcome = {
        let on_outcome = props.on_outcome.clone();
        Callback::from(move |event: Event| on_outcome.emit(value_of(&event)))
    };
    let on_odds = {
        let odds = odds.clone();
        Callback::from(move |event: Event| odds.set(value_of(&event) == "odds"))
    };
    let body = match &props.loaded {
        Load::Loading => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        Load::Failed(error) => html! { <p role="alert" class="alert">{ i18n.error(error) }</p> },
        Load::Ready(r) => results(i18n, r, *odds),
    };
    html! {
        <>
            <p class="note">{ i18n.t("das.risk.about") }</p>
            <div class="filters">
                <div class="field">
                    <label for="das-outcome">{ i18n.t("das.risk.outcome") }</label>
                    <select id="das-outcome" onchange={on_outcome}>
                        { for outcomes.into_iter().map(|(code, name)| {
                            let selected = code == props.outcome.as_str();
                            html! { <option value={code} {selected}>{ name }</option> }
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="das-ratio">{ i18n.t("das.risk.ratio") }</label>
                    <select id="das-ratio" onchange={on_odds}>
                        <option value="prevalence" selected={!*odds}>{ i18n.t("das.risk.prevalence_ratio") }</option>
                        <option value="odds" selected={*odds}>{ i18n.t("das.risk.odds_ratio") }</option>
                    </select>
                </div>
            </div>
            { body }
        </>
    }
}

fn results(i18n: I18n, r: &RiskFactors, odds: bool) -> Html {
    let ratio_of = |f: &FactorEstimate| {
        if odds {
            f.odds_ratio
        } else {
            f.prevalence_ratio
        }
    };
    let failed = if odds {
        &r.logit_failed
    } else {
        &r.poisson_failed
    };
    let count =
        |n: Option<i64>| n.map_or_else(|| i18n.t("das.suppressed").to_owned(), |n| n.to_string());
    let prevalence = r.prevalence.map_or_else(
        || i18n.t("das.suppressed").to_owned(),
        |p| {
            format!(
                "{:.1}% (95% CI {:.1}–{:.1}%)",
                p.share * 100.0,
                p.low * 100.0,
                p.high * 100.0
            )
        },
    );
    let estimated: Vec<(&FactorEstimate, RatioEstimate)> = r
        .factors
        .iter()
        .filter_map(|f| ratio_of(f).map(|ratio| (f, ratio)))
        .collect();
    let names: Vec<String> = estimated
        .iter()
        .map(|(f, _)| level_name(i18n, f, &f.level))
        .collect();
    let title = i18n.t(if odds {
        "das.risk.odds_ratio"
    } else {
        "das.risk.prevalence_ratio"
    });
    let forest = Scatter::new(
        estimated.iter().map(|(_, r)| r.ratio).collect(),
        names.clone(),
    )
    .mode(Mode::Markers)
    .marker(Marker::new().color("#1d5b8c").size(9))
    .error_x(
        ErrorData::new(ErrorType::Data)
            .array(estimated.iter().map(|(_, r)| r.high - r.ratio).collect())
            .array_minus(estimated.iter().map(|(_, r)| r.ratio - r.low).collect()),
    )
    .hover_template("%{y}: %{x:.2}<extra></extra>");
    let layout = Layout::new()
        .title(Title::with_text(title))
        .margin(Margin::new().left(20).right(20).top(60).bottom(50))
        .x_axis(
            PlotAxis::new()
                .type_(AxisType::Log)
                .title(Title::with_text(title)),
        )
        .y_axis(PlotAxis::new().auto_margin(true))
        // No difference at 1: the line every interval is read against.
        .shapes(vec![Shape::new()
            .shape_type(ShapeType::Line)
            .x_ref("x")
            .y_ref("paper")
            .x0(1)
            .x1(1)
            .y0(0)
            .y1(1)
            .line(ShapeLine::new().color("#9aa5b1").width(1.0))]);
    let drawing = Drawing::new(160 + 28 * names.len(), layout, vec![forest]);
    let csv = {
        let mut lines = vec![[
            i18n.t("das.risk.level"),
            i18n.t("das.risk.reference"),
            i18n.t("das.spread.count"),
            title,
            i18n.t("das.risk.ci_low"),
            i18n.t("das.risk.ci_high"),
            "p",
        ]
        .map(str::to_owned)
        .to_vec()];
        for ((f, ratio), name) in estimated.iter().zip(&names) {
            lines.push(vec![
                name.clone(),
                level_name(i18n, f, &f.reference),
                f.cases.to_string(),
                format!("{:.4}", ratio.ratio),
                format!("{:.4}", ratio.low),
                format!("{:.4}", ratio.high),
                format!("{:.4}", ratio.p_value),
            ]);
        }
        csv_text(lines)
    };
    html! {
        <article class="das-figure" id="das-risk-figure">
            <p id="das-risk-summary">
                { i18n.tf("das.risk.summary", &[("cases", &count(r.cases)), ("with", &count(r.with_outcome)), ("prevalence", &prevalence)]) }
            </p>
            if let Some(reason) = failed {
                <p role="alert" class="alert">{ i18n.t("das.risk.not_fitted") }{ " " }{ reason.clone() }</p>
            }
            if !r.left_out.is_empty() {
                <p class="note">{ i18n.t("das.risk.left_out") }</p>
            }
            <Chart id="das-risk" label={i18n.tf("das.chart_label", &[("title", title)])} drawing={drawing} />
            { save_buttons(i18n, Callback::from(|_| download_png("das-risk", "risk_factors")),
                csv, format!("risk_factors_{}.csv", r.outcome)) }
            <div class="table-wrap" role="region" tabindex="0" aria-label={title}>
                <table class="data" id="das-risk-table">
                    <caption>{ title }</caption>
                    <thead><tr>
                        <th scope="col">{ i18n.t("das.risk.level") }</th>
                        <th scope="col">{ i18n.t("das.risk.reference") }</th>
                        <th scope="col" class="num">{ i18n.t("das.spread.count") }</th>
                        <th scope="col">{ i18n.t("das.risk.reads") }</th>
                    </tr></thead>
                    <tbody>
                        { for estimated.iter().zip(&names).map(|((f, ratio), name)| html! {
                            <tr>
                                <th scope="row">{ name }</th>
                                <td>{ level_name(i18n, f, &f.reference) }</td>
                                <td class="num">{ f.cases }</td>
                                <td>{ reading(i18n, ratio) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </article>
    }
}
