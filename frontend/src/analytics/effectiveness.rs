//! Service effectiveness: the scale chosen, how clients changed on it by centre,
//! intervention model and quarter, and how many members completed the groups that ended.

use std::rc::Rc;

use common::analytics::{Dimension, Effect, Effectiveness};
use common::outcomes::ChangeRule;
use yew::prelude::*;

use super::figures::{ExtraRow, FigureView, Kind};
use crate::api::Load;
use crate::form::value_of;
use crate::i18n::{use_i18n, I18n};

#[derive(Properties, PartialEq)]
pub struct EffectivenessProps {
    pub instrument: AttrValue,
    pub scale: AttrValue,
    pub loaded: Load<Effectiveness>,
    /// The instrument and scale chosen.
    pub on_measure: Callback<(String, String)>,
    pub on_pick: Callback<(Dimension, String)>,
}

fn number(v: f64) -> String {
    format!("{v:.2}")
}

/// The change of each column beneath a change figure's counts; hidden with the counts.
fn effect_rows(i18n: I18n, effects: &[Option<Effect>]) -> Vec<ExtraRow> {
    let row = |key: &'static str, value: fn(&Effect) -> Option<f64>| ExtraRow {
        label: i18n.t(key).to_owned(),
        cells: effects
            .iter()
            .map(|e| match e {
                Some(e) => value(e).map_or_else(|| "–".to_owned(), number),
                None => i18n.t("das.suppressed").to_owned(),
            })
            .collect(),
    };
    vec![
        row("das.effect.mean_pre", |e| Some(e.mean_pre)),
        row("das.effect.mean_post", |e| Some(e.mean_post)),
        row("das.effect.mean_change", |e| Some(e.mean_change)),
        row("das.effect.cohens_d", |e| e.cohens_d),
    ]
}

/// The share of each column's members who completed, where both counts are shown.
fn completion_rows(i18n: I18n, board: &Effectiveness, id: &str) -> Vec<ExtraRow> {
    let Some(f) = board.dashboard.figures.iter().find(|f| f.id == id) else {
        return Vec::new();
    };
    let totals = f.column_totals.clone().unwrap_or_default();
    let cells = totals
        .iter()
        .enumerate()
        .map(|(c, total)| match (f.cells[0][c], total) {
            (_, Some(0)) => "–".to_owned(),
            (Some(done), Some(all)) => format!("{:.0}%", 100.0 * done as f64 / *all as f64),
            _ => i18n.t("das.suppressed").to_owned(),
        })
        .collect();
    vec![ExtraRow {
        label: i18n.t("das.effect.completion_rate").to_owned(),
        cells,
    }]
}

#[function_component]
pub fn EffectivenessBoard(props: &EffectivenessProps) -> Html {
    let i18n = use_i18n();
    let on_measure = {
        let on_measure = props.on_measure.clone();
        Callback::from(move |event: Event| {
            if let Some((instrument, scale)) = value_of(&event).split_once('/') {
                on_measure.emit((instrument.to_owned(), scale.to_owned()))
            }
        })
    };
    let chosen = format!("{}/{}", props.instrument, props.scale);
    let Load::Ready(board) = &props.loaded else {
        return match &props.loaded {
            Load::Failed(error) => {
                html! { <p role="alert" class="alert">{ i18n.error(error) }</p> }
            }
            _ => html! { <p role="status">{ i18n.t("app.loading") }</p> },
        };
    };
    let dashboard = Rc::new(board.dashboard.clone());
    let figure = |id: &'static str, extra: Vec<ExtraRow>| {
        html! {
            <FigureView dashboard={dashboard.clone()} {id} kind={Kind::Stacked}
                on_pick={props.on_pick.clone()} {extra} />
        }
    };
    let effects = |id: &str| {
        effect_rows(
            i18n,
            board.effects.get(id).map(Vec::as_slice).unwrap_or_default(),
        )
    };
    let rule = match board.rule {
        ChangeRule::BandChange => "das.effect.rule.band_change",
        ChangeRule::ReliableChange => "das.effect.rule.reliable_change",
        ChangeRule::None => "das.effect.rule.none",
    };
    let direction = if board.higher_is_better {
        "das.effect.higher_is_better"
    } else {
        "das.effect.lower_is_better"
    };
    let count =
        |n: Option<i64>| n.map_or_else(|| i18n.t("das.suppressed").to_owned(), |n| n.to_string());
    html! {
        <>
            <div class="filters" role="group" aria-label={i18n.t("das.effect.measure")}>
                <div class="field">
                    <label for="das-measure">{ i18n.t("das.effect.measure") }</label>
                    <select id="das-measure" onchange={on_measure}>
                        { for board.measures.iter().map(|m| {
                            let value = format!("{}/{}", m.instrument, m.scale);
                            let selected = value == chosen;
                            html! { <option {value} {selected}>{ i18n.pick(&m.name_zh, &m.name_en) }</option> }
                        }) }
                    </select>
                </div>
            </div>
            <div class="das-headline" id="das-effect-headline">
                <p>
                    { i18n.tf("das.period", &[("from", &board.dashboard.from.to_string()), ("until", &board.dashboard.until.to_string())]) }
                </p>
                <p>
                    <strong id="das-effect-pairs">{ count(board.pairs) }</strong>{ " " }{ i18n.t("das.effect.pairs") }
                    if let Some(effect) = &board.effect {
                        { " · " }
                        <span id="das-effect-change">{ i18n.tf("das.effect.headline", &[
                            ("change", &number(effect.mean_change)),
                            ("d", &effect.cohens_d.map_or_else(|| "–".to_owned(), number)),
                        ]) }</span>
                    }
                    if let Some(ended) = board.groups_ended {
                        { " · " }
                        <strong id="das-groups-ended">{ ended }</strong>{ " " }{ i18n.t("das.effect.groups_ended") }
                    }
                </p>
                <p class="note">{ i18n.t(direction) }{ " " }{ i18n.t(rule) }{ " " }{ i18n.t("das.effect.pairing") }</p>
                if board.groups_ended.is_none() {
                    <p class="note" id="das-groups-left-out">{ i18n.t("das.effect.groups_left_out") }</p>
                }
                if let Some(below) = board.dashboard.suppressed_below {
                    <p class="note">{ i18n.tf("das.suppression", &[("n", &(below - 1).to_string())]) }</p>
                }
            </div>
            { figure("change_by_model", effects("change_by_model")) }
            { figure("change_by_centre", effects("change_by_centre")) }
            { figure("change_by_quarter", effects("change_by_quarter")) }
            { figure("completion_by_model", completion_rows(i18n, board, "completion_by_model")) }
            { figure("completion_by_centre", completion_rows(i18n, board, "completion_by_centre")) }
        </>
    }
}
