//! Outcomes of service: how clients changed on an instrument between a measure before
//! service and one after, per client, group or intervention model (those the user
//! reaches) or per centre (those whose statistics they see; the pairing and the rules of
//! change are `common::outcomes`). The choices stay
//! in the address, so a view can be bookmarked.

use chrono::NaiveDate;
use common::assessments::InstrumentSummary;
use common::error::FieldError;
use common::outcomes::{
    ChangeRule, OutcomeGrouping, OutcomeQuery, OutcomeRow, Outcomes, PairedChange, ScaleOutcomes,
};
use plotly::common::{Marker, Orientation, Title};
use plotly::layout::{Axis, BarMode, Legend, Margin, RangeMode};
use plotly::{Bar, Layout, Trace};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{use_get, use_get_if, with_query, Load};
use crate::app::{focus, Route};
use crate::chart::{Chart, Drawing};
use crate::form::{date_of, error_attrs, field_error, form_alert, value_of, FormField};
use crate::i18n::{use_i18n, use_title, I18n};
use crate::identity::use_session;

const PERIOD_HINT: &str = "outcomes-period-hint";

/// Shown for a figure that cannot be computed (fewer than two pairs, none judged).
const NONE: &str = "—";

/// A date as a date control and the API take it; empty for none.
fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}

fn address(query: &OutcomeQuery) -> String {
    let (from, until) = (day(query.from), day(query.until));
    with_query(
        "/api/outcomes",
        &[
            (
                "instrument",
                query.instrument.as_deref().unwrap_or_default(),
            ),
            ("by", query.by.map_or("", OutcomeGrouping::as_str)),
            ("from", &from),
            ("until", &until),
        ],
    )
}

fn grouping_name(i18n: I18n, by: OutcomeGrouping) -> &'static str {
    i18n.code("outcome_grouping", by.as_str())
}

#[function_component]
pub fn OutcomesPage() -> Html {
    use_title("outcomes.title");
    let i18n = use_i18n();
    let session = use_session();
    let navigator = use_navigator();
    let query: OutcomeQuery = use_location()
        .and_then(|l| l.query::<OutcomeQuery>().ok())
        .unwrap_or_default();
    let instruments = use_get::<Vec<InstrumentSummary>>("/api/instruments".to_owned(), 0);
    let loaded = use_get_if::<Outcomes>(query.instrument.is_some().then(|| address(&query)), 0);
    let draft = use_state(|| query.clone());
    {
        // The back button changes the query; the form follows it.
        let draft = draft.clone();
        use_effect_with(query.clone(), move |query| draft.set(query.clone()));
    }
    // Set when Show is pressed before an instrument is chosen: the API is not asked.
    let unchosen = use_state(|| false);
    let update = |apply: fn(&mut OutcomeQuery, &Event)| crate::form::edit(&draft, apply);
    let on_instrument = update(|q, e| q.instrument = Some(value_of(e)).filter(|v| !v.is_empty()));
    let on_by = update(|q, e| q.by = OutcomeGrouping::parse(&value_of(e)));
    let on_from = update(|q, e| q.from = date_of(e));
    let on_until = update(|q, e| q.until = date_of(e));
    // The groupings the user may see: one who reads no assessments sees centres alone.
    let offered: Vec<OutcomeGrouping> = OutcomeGrouping::ALL
        .iter()
        .copied()
        .filter(|g| session.can(g.permission()))
        .collect();
    let chosen_by = draft
        .by
        .filter(|g| offered.contains(g))
        .or(offered.first().copied())
        .unwrap_or(OutcomeGrouping::Client);
    let onsubmit = {
        let (draft, unchosen) = (draft.clone(), unchosen.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            unchosen.set(draft.instrument.is_none());
            if draft.instrument.is_none() {
                focus("outcomes-instrument");
            } else if let Some(navigator) = &navigator {
                let chosen = OutcomeQuery {
                    by: Some(chosen_by),
                    ..(*draft).clone()
                };
                let _ = navigator.push_with_query(&Route::Outcomes, &chosen);
            }
        })
    };
    let errors = match &*loaded {
        Load::Failed(error) if query.instrument.is_some() => Some(error.clone()),
        _ => None,
    };
    // Each field's error (the API's are of the query in the address, which the form
    // shows), with what its control says of it.
    let field = |name: &str, ours: Option<FieldError>| {
        let error = ours.or_else(|| field_error(&errors, name));
        let (invalid, described) = error_attrs(&format!("outcomes-{name}"), error.as_ref());
        (error, invalid, described)
    };
    let unchosen = (*unchosen && draft.instrument.is_none())
        .then(|| FieldError::new("required", "Choose an instrument"));
    let (instrument_error, instrument_invalid, instrument_described) =
        field("instrument", unchosen);
    let (by_error, by_invalid, by_described) = field("by", None);
    let (from_error, from_invalid, from_error_id) = field("from", None);
    let (until_error, until_invalid, until_error_id) = field("until", None);
    // The dates are described by the hint on what the period limits, and by their error.
    let dated = |error_id: Option<AttrValue>| match error_id {
        Some(id) => format!("{PERIOD_HINT} {id}"),
        None => PERIOD_HINT.to_owned(),
    };
    let choices: &[InstrumentSummary] = match &*instruments {
        Load::Ready(list) => list,
        _ => &[],
    };
    let results = match (&query.instrument, &*loaded) {
        (None, _) => html! { <p id="outcomes-prompt">{ i18n.t("outcomes.prompt") }</p> },
        (Some(_), Load::Loading) => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        // The errors are shown with the form.
        (Some(_), Load::Failed(_)) => Html::default(),
        (Some(_), Load::Ready(outcomes)) => outcome_view(i18n, outcomes),
    };
    html! {
        <section>
            <div class="page-head">
                <h1>{ i18n.t("outcomes.title") }</h1>
            </div>
            <p class="hint">{ i18n.t("outcomes.pairs_hint") }</p>
            <p class="hint">{ i18n.t("outcomes.d_hint") }</p>
            if let Load::Failed(error) = &*instruments {
                <p role="alert" class="alert">{ i18n.error(error) }</p>
            }
            <form id="outcomes-filter" class="stack" {onsubmit} novalidate=true
                aria-label={i18n.t("outcomes.choose")}>
                { form_alert(i18n, &errors) }
                <div class="grid">
                    <FormField id="outcomes-instrument" label="outcomes.instrument" error={instrument_error}>
                        <select id="outcomes-instrument" onchange={on_instrument}
                            aria-invalid={instrument_invalid} aria-describedby={instrument_described}>
                            <option value="" selected={draft.instrument.is_none()}>{ i18n.t("outcomes.choose_instrument") }</option>
                            { for choices.iter().map(|i| html! {
                                <option value={i.code.clone()} selected={draft.instrument.as_deref() == Some(i.code.as_str())}>
                                    { i18n.pick(&i.name_zh, &i.name_en).to_owned() }
                                </option>
                            }) }
                        </select>
                    </FormField>
                    <FormField id="outcomes-by" label="outcomes.by" error={by_error}>
                        <select id="outcomes-by" onchange={on_by}
                            aria-invalid={by_invalid} aria-describedby={by_described}>
                            { for offered.iter().map(|g| html! {
                                <option value={g.as_str()} selected={*g == chosen_by}>{ grouping_name(i18n, *g) }</option>
                            }) }
                        </select>
                    </FormField>
                    <FormField id="outcomes-from" label="outcomes.from" error={from_error}>
                        <input id="outcomes-from" type="date" value={day(draft.from)} onchange={on_from}
                            aria-invalid={from_invalid} aria-describedby={dated(from_error_id)} />
                    </FormField>
                    <FormField id="outcomes-until" label="outcomes.until" error={until_error}>
                        <input id="outcomes-until" type="date" value={day(draft.until)} onchange={on_until}
                            aria-invalid={until_invalid} aria-describedby={dated(until_error_id)} />
                    </FormField>
                </div>
                <p id={PERIOD_HINT} class="hint">{ i18n.t("outcomes.period_hint") }</p>
                <div class="actions">
                    <button id="outcomes-show" type="submit" class="primary">{ i18n.t("outcomes.show") }</button>
                </div>
            </form>
            <div id="outcomes-results">{ results }</div>
        </section>
    }
}

fn outcome_view(i18n: I18n, outcomes: &Outcomes) -> Html {
    if outcomes.scales.iter().all(|s| s.total.is_none()) {
        return html! { <p id="outcomes-empty">{ i18n.t("outcomes.empty") }</p> };
    }
    let heading = i18n.tf(
        "outcomes.heading",
        &[
            (
                "instrument",
                i18n.pick(&outcomes.name_zh, &outcomes.name_en),
            ),
            ("by", grouping_name(i18n, outcomes.by)),
        ],
    );
    // A group's or a model's rows take only the pairs measured within a group.
    let groups_only = matches!(
        outcomes.by,
        OutcomeGrouping::Group | OutcomeGrouping::InterventionModel
    );
    html! {
        <>
            <h2>{ heading }</h2>
            if groups_only {
                <p class="hint">{ i18n.t("outcomes.groups_only") }</p>
            }
            { for outcomes.scales.iter().map(|scale| scale_view(i18n, outcomes.by, scale)) }
        </>
    }
}

/// How the scale tells improved from worse, and which way its scores run.
fn rule_text(i18n: I18n, scale: &ScaleOutcomes) -> String {
    let rule = match (scale.rule, scale.reliable_change) {
        (ChangeRule::BandChange, _) => i18n.t("outcomes.rule_band").to_owned(),
        (ChangeRule::ReliableChange, Some(points)) => {
            i18n.tf("outcomes.rule_reliable", &[("n", &points.to_string())])
        }
        (ChangeRule::ReliableChange, None) | (ChangeRule::None, _) => {
            i18n.t("outcomes.rule_none").to_owned()
        }
    };
    let direction = i18n.t(if scale.higher_is_better {
        "outcomes.higher_better"
    } else {
        "outcomes.lower_better"
    });
    // Chinese joins sentences without a space.
    i18n.tf(
        "outcomes.rule_line",
        &[("rule", &rule), ("direction", direction)],
    )
}

fn scale_view(i18n: I18n, by: OutcomeGrouping, scale: &ScaleOutcomes) -> Html {
    let name = i18n.pick(&scale.name_zh, &scale.name_en);
    let title = format!("outcomes-scale-{}-title", scale.code);
    let body = match &scale.total {
        None => html! { <p>{ i18n.t("outcomes.scale_empty") }</p> },
        Some(total) => html! {
            <>
                // With nothing judged (a scale without a rule) the bars would all be empty.
                if judged(total) > 0 {
                    <Chart id={format!("outcomes-chart-{}", scale.code)}
                        label={i18n.tf("outcomes.chart_label", &[("scale", name), ("by", grouping_name(i18n, by))])}
                        drawing={change_chart(i18n, scale)} />
                }
                { change_table(i18n, by, scale, total) }
            </>
        },
    };
    html! {
        <section key={scale.code.clone()} id={format!("outcomes-scale-{}", scale.code)} class="outcome-scale"
            aria-labelledby={title.clone()}>
            <h3 id={title}>{ name }</h3>
            <p class="hint outcome-rule">{ rule_text(i18n, scale) }</p>
            { body }
        </section>
    }
}

fn judged(change: &PairedChange) -> usize {
    change.improved + change.unchanged + change.worsened
}

/// A row's name in the current language, or in the other where it has none (a client
/// may have only a Chinese or only an English name).
fn row_name(i18n: I18n, row: &OutcomeRow) -> String {
    let picked = i18n.pick(&row.name_zh, &row.name_en);
    let other = i18n.pick(&row.name_en, &row.name_zh);
    if picked.is_empty() { other } else { picked }.to_owned()
}

/// The numeric columns of a change, in order: translation keys.
const COLUMNS: [&str; 11] = [
    "outcomes.pairs",
    "outcomes.mean_pre",
    "outcomes.mean_post",
    "outcomes.mean_change",
    "outcomes.sd_change",
    "outcomes.cohens_d",
    "outcomes.improved",
    "outcomes.unchanged",
    "outcomes.worsened",
    "outcomes.unjudged",
    "outcomes.percent_improved",
];

fn cells(change: &PairedChange) -> [String; 11] {
    let optional =
        |value: Option<f64>| value.map_or_else(|| NONE.to_owned(), |v| format!("{v:.2}"));
    let judged = judged(change);
    [
        change.pairs.to_string(),
        format!("{:.2}", change.mean_pre),
        format!("{:.2}", change.mean_post),
        // Signed, as it is read with the scale's direction.
        format!("{:+.2}", change.mean_change),
        optional(change.sd_change),
        optional(change.cohens_d),
        change.improved.to_string(),
        change.unchanged.to_string(),
        change.worsened.to_string(),
        change.unjudged.to_string(),
        if judged == 0 {
            NONE.to_owned()
        } else {
            format!("{:.0}%", 100.0 * change.improved as f64 / judged as f64)
        },
    ]
}

fn change_row(name: String, change: &PairedChange) -> Html {
    html! {
        <tr>
            <th scope="row">{ name }</th>
            { for cells(change).into_iter().map(|value| html! { <td class="num">{ value }</td> }) }
        </tr>
    }
}

/// The scale's figures per row, with the total of every pair; also the chart's numbers.
fn change_table(
    i18n: I18n,
    by: OutcomeGrouping,
    scale: &ScaleOutcomes,
    total: &PairedChange,
) -> Html {
    let caption = i18n.tf(
        "outcomes.table_caption",
        &[
            ("scale", i18n.pick(&scale.name_zh, &scale.name_en)),
            ("by", grouping_name(i18n, by)),
        ],
    );
    html! {
        <div class="table-wrap" role="region" tabindex="0" aria-label={caption.clone()}>
            <table class="data" id={format!("outcomes-table-{}", scale.code)}>
                <caption>{ caption }</caption>
                <thead><tr>
                    <th scope="col">{ grouping_name(i18n, by) }</th>
                    { for COLUMNS.iter().map(|key| html! { <th scope="col" class="num">{ i18n.t(key) }</th> }) }
                </tr></thead>
                <tbody>
                    { for scale.rows.iter().map(|row| change_row(row_name(i18n, row), &row.change)) }
                </tbody>
                <tfoot>{ change_row(i18n.t("outcomes.total").to_owned(), total) }</tfoot>
            </table>
        </div>
    }
}

/// Improved, unchanged and worsened per row, stacked.
fn change_chart(i18n: I18n, scale: &ScaleOutcomes) -> Drawing {
    let rows = &scale.rows;
    // Positions rather than names on the axis, so two clients of the same name keep their
    // own bars; the first row at the top, as in the table.
    let positions: Vec<f64> = (0..rows.len()).rev().map(|p| p as f64).collect();
    let names: Vec<String> = rows.iter().map(|r| row_name(i18n, r)).collect();
    let bars = |key: &'static str, colour: &'static str, count: fn(&PairedChange) -> usize| {
        let counts: Vec<usize> = rows.iter().map(|r| count(&r.change)).collect();
        Bar::new(counts, positions.clone())
            .name(i18n.t(key))
            .orientation(Orientation::Horizontal)
            .marker(Marker::new().color(colour))
            .hover_text_array(names.clone())
            .hover_template("%{hovertext}: %{x}") as Box<dyn Trace>
    };
    let traces = vec![
        bars("outcomes.improved", "#1d5b8c", |c| c.improved),
        bars("outcomes.unchanged", "#9aa5b1", |c| c.unchanged),
        bars("outcomes.worsened", "#c2410c", |c| c.worsened),
    ];
    let x_axis = Axis::new()
        .title(Title::with_text(i18n.t("outcomes.axis_pairs")))
        .range_mode(RangeMode::ToZero)
        // Counts are whole numbers: plotly would put ticks between small ones.
        .tick_format(",d");
    let most = rows.iter().map(|r| judged(&r.change)).max().unwrap_or(0);
    let layout = Layout::new()
        .bar_mode(BarMode::Stack)
        .legend(Legend::new().orientation(Orientation::Horizontal))
        .margin(Margin::new().left(20).right(20).top(40).bottom(50))
        .x_axis(if most <= 10 {
            x_axis.dtick(1.0)
        } else {
            x_axis
        })
        // The positions are no quantity: no line at zero, no grid across the bars.
        .y_axis(
            Axis::new()
                .auto_margin(true)
                .zero_line(false)
                .show_grid(false)
                .tick_values(positions)
                .tick_text(names),
        );
    Drawing::new(140 + 36 * rows.len(), layout, traces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_have_two_decimals_and_a_dash_where_there_is_none() {
        let one = PairedChange {
            pairs: 1,
            mean_pre: 16.0,
            mean_post: 9.0,
            mean_change: -7.0,
            sd_change: None,
            cohens_d: None,
            improved: 1,
            unchanged: 0,
            worsened: 0,
            unjudged: 0,
        };
        assert_eq!(
            cells(&one),
            ["1", "16.00", "9.00", "-7.00", "—", "—", "1", "0", "0", "0", "100%"]
        );
        let without_rule = PairedChange {
            pairs: 3,
            mean_pre: 4.0,
            mean_post: 6.5,
            mean_change: 2.5,
            sd_change: Some(1.5),
            cohens_d: Some(1.0 / 0.6),
            unjudged: 3,
            improved: 0,
            ..one
        };
        assert_eq!(
            cells(&without_rule)[3..],
            ["+2.50", "1.50", "1.67", "0", "0", "0", "3", "—"],
            "no share improved when none was judged"
        );
    }
}
