//! Service effectiveness: how the clients in view changed between their measures before
//! and after service on one scale, by centre, intervention model and quarter, and how
//! many members of the groups that ended in the period completed them. Pairs are formed
//! and judged as the outcomes page forms and judges them (`common::outcomes`); counts are
//! of people and suppressed like every board's.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, Utc};
use common::activities::{hong_kong_day, Evaluation};
use common::analytics::{
    quarter_of, quarters_of, Axis, DasFilter, Dashboard, Dimension, Effect, Effectiveness, Figure,
    Grid, KeyName, MeasureChoice, CASEWORK, CHANGES, COMPLETION, UNRECORDED,
};
use common::assessments::Scale;
use common::outcomes::{change_on, paired_change, rule_of, Change, Measured, Pairing};
use smallvec::SmallVec;

use super::facts::Model;
use super::outcomes::{GroupFacts, Taken, Within};
use super::service::{Matcher, Tally, View};
use super::store;
use crate::assessments::catalogue;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::identity::Principal;

/// Someone counted in a column of a figure: who (for counting people) and their row.
type Placed = (u32, usize);

/// A pair of measures in view: whose, and the scale at each.
#[derive(Clone, Copy)]
struct Paired {
    client: u32,
    pre: Measured,
    post: Measured,
}

pub fn effectiveness(
    conn: &mut DbConnection,
    principal: &Principal,
    model: &Model,
    view: &View,
    instrument: &str,
    scale: &str,
) -> Result<Effectiveness, ApiError> {
    let instruments = catalogue::in_reach(conn, principal)?;
    let instrument = instruments
        .iter()
        .find(|i| i.code == instrument)
        .ok_or(ApiError::NotFound)?;
    let scale = instrument
        .scales
        .iter()
        .find(|s| s.code == scale)
        .ok_or(ApiError::NotFound)?;
    let f = &view.filter;
    let few = view.few_below();
    let matcher = Matcher::new(model, view);
    let o = &model.outcomes;
    // Groups only where no filter of cases or clients is set, as none can narrow them.
    let groups_in_view = narrows_groups(f);
    let in_view = |g: &GroupFacts| groups_in_view && matcher.matches_group(g);
    let model_of = |g: &GroupFacts| {
        g.model
            .map_or(UNRECORDED, |m| o.models.names[m as usize].as_str())
    };

    // Pre/post pairs (as `common::outcomes::pair` forms them), each in its centre, model
    // and quarter.
    let mut by_centre: HashMap<u32, Vec<Paired>> = HashMap::new();
    let mut by_model: HashMap<&str, Vec<Paired>> = HashMap::new();
    let mut by_quarter: HashMap<NaiveDate, Vec<Paired>> = HashMap::new();
    let measured = o
        .instruments
        .get(&instrument.code)
        .zip(o.scales.get(&scale.code));
    if let Some((taken, scale_number)) =
        measured.and_then(|(i, s)| Some((o.taken.get(i as usize)?, s)))
    {
        for (&client, measures) in taken {
            // Each context's pairing, in the order the client met them.
            let mut contexts: SmallVec<[(Within, Pairing<&Taken>); 4]> = SmallVec::new();
            for t in measures.iter() {
                if t.on > f.until {
                    break;
                }
                if !matcher.covers(t.centre) {
                    continue;
                }
                let place = match contexts.iter().position(|(w, _)| *w == t.within) {
                    Some(place) => place,
                    None => {
                        contexts.push((t.within, Pairing::default()));
                        contexts.len() - 1
                    }
                };
                contexts[place]
                    .1
                    .take(t, t.post, t.on, (Some(f.from), Some(f.until)));
            }
            for (within, pairing) in contexts {
                let Some((pre, post)) = pairing.paired() else {
                    continue;
                };
                let measured = |t: &Taken| {
                    let score = t.score(scale_number)?;
                    Some(Measured {
                        score: score.milli? as f64 / 1000.0,
                        severity: score.severity,
                    })
                };
                let (Some(before), Some(after)) = (measured(pre), measured(post)) else {
                    continue;
                };
                let model_key = match within {
                    Within::Case(place) if matcher.matches(&model.cases[place as usize]) => {
                        CASEWORK
                    }
                    Within::Group(n) => match o.group(n) {
                        Some(group) if in_view(group) => model_of(group),
                        _ => continue,
                    },
                    Within::Case(_) => continue,
                };
                let paired = Paired {
                    client,
                    pre: before,
                    post: after,
                };
                by_centre.entry(post.centre).or_default().push(paired);
                by_model.entry(model_key).or_default().push(paired);
                by_quarter
                    .entry(quarter_of(post.on))
                    .or_default()
                    .push(paired);
            }
        }
    }
    let by_centre: HashMap<String, Vec<Paired>> = by_centre
        .into_iter()
        .map(|(c, v)| (model.centres.names[c as usize].clone(), v))
        .collect();
    let by_model: HashMap<String, Vec<Paired>> = by_model
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    let by_quarter: HashMap<String, Vec<Paired>> = by_quarter
        .into_iter()
        .map(|(k, v)| (k.format("%Y-%m").to_string(), v))
        .collect();

    // Members of the groups in view that ended in the period, whether they completed them.
    let now = Utc::now().naive_utc();
    let mut ended = 0;
    let mut completion_by_centre: HashMap<String, Vec<Placed>> = HashMap::new();
    let mut completion_by_model: HashMap<String, Vec<Placed>> = HashMap::new();
    for (_, group) in o.each_group().filter(|(_, g)| in_view(g)) {
        let Some(last) = group.last_session else {
            continue;
        };
        let day = hong_kong_day(last.and_utc());
        if last > now || day < f.from || day > f.until {
            continue;
        }
        ended += 1;
        let held = group.sessions;
        let centre = &model.centres.names[group.centre as usize];
        for &(client, attended) in group.members.iter() {
            let done = Evaluation::of(held, held, &[attended], group.completion_percent).completed;
            let row = if done > 0 { 0 } else { 1 };
            completion_by_centre
                .entry(centre.clone())
                .or_default()
                .push((client, row));
            completion_by_model
                .entry(model_of(group).to_owned())
                .or_default()
                .push((client, row));
        }
    }

    // Columns: the view's centres by name, the models in their order, every quarter.
    let mut names = BTreeMap::new();
    let mut centres: Vec<(String, KeyName)> = store::centres(conn)?
        .into_iter()
        .filter(|(id, ..)| view.centres.contains(id))
        .map(|(id, _, zh, en)| (id, KeyName { zh, en }))
        .collect();
    centres.sort_by(|a, b| a.1.en.cmp(&b.1.en));
    let centre_keys: Vec<String> = centres.iter().map(|(id, _)| id.clone()).collect();
    names.extend(centres);
    let mut model_keys = Vec::new();
    for (code, zh, en) in store::intervention_models(conn)? {
        if by_model.contains_key(&code) || completion_by_model.contains_key(&code) {
            model_keys.push(code.clone());
            names.insert(code, KeyName { zh, en });
        }
    }
    model_keys.extend(
        [UNRECORDED, CASEWORK]
            .into_iter()
            .filter(|k| by_model.contains_key(*k) || completion_by_model.contains_key(*k))
            .map(str::to_owned),
    );
    let quarter_keys = quarters_of(f.from, f.until);

    let mut effects = BTreeMap::new();
    let mut figures = Vec::new();
    for (id, dimension, keys, pairs) in [
        (
            "change_by_centre",
            Dimension::Centre,
            &centre_keys,
            &by_centre,
        ),
        (
            "change_by_model",
            Dimension::InterventionModel,
            &model_keys,
            &by_model,
        ),
        (
            "change_by_quarter",
            Dimension::Quarter,
            &quarter_keys,
            &by_quarter,
        ),
    ] {
        let placed: HashMap<&String, Vec<Placed>> = pairs
            .iter()
            .map(|(key, pairs)| {
                let placed = pairs
                    .iter()
                    .map(|p| (p.client, change_row(scale, p)))
                    .collect();
                (key, placed)
            })
            .collect();
        let figure = figure(
            id,
            dimension,
            keys,
            &CHANGES,
            |k| placed.get(k),
            few,
            view.exact(),
        );
        let shown = figure.column_totals.clone().unwrap_or_default();
        effects.insert(
            id.to_owned(),
            keys.iter()
                .zip(shown)
                .map(|(key, count)| {
                    count?;
                    effect(scale, pairs.get(key)?)
                })
                .collect(),
        );
        figures.push(figure);
    }
    if groups_in_view {
        for (id, dimension, keys, placed) in [
            (
                "completion_by_centre",
                Dimension::Centre,
                &centre_keys,
                &completion_by_centre,
            ),
            (
                "completion_by_model",
                Dimension::InterventionModel,
                &model_keys,
                &completion_by_model,
            ),
        ] {
            figures.push(figure(
                id,
                dimension,
                keys,
                &COMPLETION,
                |k| placed.get(k),
                few,
                view.exact(),
            ));
        }
    }

    let mut everyone = Tally::default();
    let all: Vec<&Paired> = by_centre.values().flatten().collect();
    for p in &all {
        everyone.add(p.client, few);
    }
    let whole_shown = everyone.shown(few);
    Ok(Effectiveness {
        dashboard: Dashboard {
            scope: view.scope,
            suppressed_below: (!view.exact()).then_some(view.threshold),
            from: f.from,
            until: f.until,
            cases: None,
            persons: None,
            figures,
            spreads: BTreeMap::new(),
            co_occurrence: None,
            names,
        },
        instrument: instrument.code.clone(),
        scale: scale.code.clone(),
        higher_is_better: scale.higher_is_better,
        rule: rule_of(scale),
        pairs: whole_shown.then_some(everyone.count),
        effect: whole_shown.then(|| effect(scale, all)).flatten(),
        effects,
        groups_ended: groups_in_view.then_some(ended),
        measures: measure_choices(&instruments),
    })
}

/// Groups are narrowed by the view's centres, unit and worker (a facilitator); a filter
/// of cases or of their clients cannot narrow them, so with one set only measures within
/// cases are in view.
fn narrows_groups(f: &DasFilter) -> bool {
    f.district.is_none()
        && f.case_type.is_none()
        && f.nature.is_none()
        && f.age_band.is_none()
        && f.sex.is_none()
        && f.household_type.is_none()
        && f.cssa.is_none()
        && f.new_arrival.is_none()
}

/// A pair's row of a change figure: its place in `CHANGES`.
fn change_row(scale: &Scale, p: &Paired) -> usize {
    match change_on(scale, p.pre, p.post) {
        Some(Change::Improved) => 0,
        Some(Change::Unchanged) => 1,
        Some(Change::Worsened) => 2,
        None => 3,
    }
}

fn effect<'a>(scale: &Scale, pairs: impl IntoIterator<Item = &'a Paired>) -> Option<Effect> {
    let measured: Vec<(Measured, Measured)> = pairs.into_iter().map(|p| (p.pre, p.post)).collect();
    paired_change(scale, &measured).map(|change| Effect::of(&change))
}

/// A figure whose rows are the categories `rows` and whose columns are `keys`, each person
/// placed in one column and one row: the columns add up to their totals and the rows to
/// theirs, so both are published and suppressed together.
fn figure<'a>(
    id: &str,
    dimension: Dimension,
    keys: &'a [String],
    rows: &[&str],
    placed: impl Fn(&'a String) -> Option<&'a Vec<Placed>>,
    few: usize,
    exact: bool,
) -> Figure {
    let mut cells = vec![vec![Tally::default(); keys.len()]; rows.len()];
    let mut columns = vec![Tally::default(); keys.len()];
    let mut row_totals = vec![Tally::default(); rows.len()];
    let mut grand = Tally::default();
    for (c, key) in keys.iter().enumerate() {
        for &(client, r) in placed(key).into_iter().flatten() {
            cells[r][c].add(client, few);
            columns[c].add(client, few);
            row_totals[r].add(client, few);
            grand.add(client, few);
        }
    }
    let tallied = |tallies: &[Tally]| tallies.iter().map(|t| t.tallied(few)).collect();
    Grid {
        cells: cells.iter().map(|row| tallied(row)).collect(),
        row_totals: Some(tallied(&row_totals)),
        column_totals: Some(tallied(&columns)),
        grand: Some(grand.tallied(few)),
    }
    .figure(
        id,
        Axis {
            dimension: Dimension::Series,
            keys: rows.iter().map(|r| (*r).to_owned()).collect(),
        },
        Axis {
            dimension,
            keys: keys.to_vec(),
        },
        exact,
    )
}

/// Every scale of the instruments the user may use, named with its instrument.
fn measure_choices(instruments: &[catalogue::Defined]) -> Vec<MeasureChoice> {
    instruments
        .iter()
        .flat_map(|instrument| {
            instrument.scales.iter().map(move |scale| MeasureChoice {
                instrument: instrument.code.clone(),
                scale: scale.code.clone(),
                name_zh: format!("{} · {}", instrument.name_zh, scale.name_zh),
                name_en: format!("{} · {}", instrument.name_en, scale.name_en),
            })
        })
        .collect()
}
