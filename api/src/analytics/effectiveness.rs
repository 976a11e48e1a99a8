//! Service effectiveness: how the clients in view changed between their measures before
//! and after service on one scale, by centre, intervention model and quarter, and how
//! many members of the groups that ended in the period completed them. Pairs are formed
//! and judged as the outcomes page forms and judges them (`common::outcomes`); counts are
//! of people and suppressed like every board's.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use common::activities::{hong_kong_day, Evaluation};
use common::analytics::{
    quarter_of, quarters_of, Axis, DasFilter, Dashboard, Dimension, Effect, Effectiveness, Figure,
    Grid, KeyName, MeasureChoice, CASEWORK, CHANGES, COMPLETION, UNRECORDED,
};
use common::assessments::Scale;
use common::identity::Unit;
use common::outcomes::{
    change_on, pair, paired_change, rule_of, Change, Context, Measure, Measured,
};

use super::facts::Model;
use super::service::{Matcher, Tally, View};
use super::store::{self, GroupRow, CHUNK};
use crate::assessments::catalogue;
use crate::assessments::store::{paired_measures, MeasureRow};
use crate::db::{stored_code, unreadable, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// Someone counted in a column of a figure: who (for counting people) and their row.
type Placed = (u32, usize);

/// A pair of measures in view: whose, and the scale at each.
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
    let mut clients: HashMap<String, u32> = HashMap::new();
    let mut number = |id: &str| {
        let next = clients.len() as u32;
        *clients.entry(id.to_owned()).or_insert(next)
    };

    // Pre/post pairs, each in its centre, model and quarter.
    let rows = paired_measures(
        conn,
        &view.centres,
        &instrument.code,
        &scale.code,
        (f.from, f.until),
    )?;
    let measures: Vec<Measure<&MeasureRow>> = rows
        .iter()
        .map(|row| {
            let within = (row.case_id.as_deref(), row.activity_id.as_deref());
            Measure::of(&row.client_id, within, &row.stage, row.administered_on, row)
                .ok_or_else(|| unreadable("assessments.case_id", &row.client_id))
        })
        .collect::<Result<_, diesel::result::Error>>()?;
    // The period's Hong Kong days as UTC moments.
    let moment = |day: NaiveDate| day.and_time(NaiveTime::MIN) - Duration::hours(8);
    let period = (moment(f.from), moment(f.until + Duration::days(1)));
    // Only the groups measured within or meeting in the period are read.
    let groups_in_view = narrows_groups(f);
    let sessions = if groups_in_view {
        store::group_sessions(conn, &view.centres, period)?
    } else {
        Vec::new()
    };
    let mut groups: HashMap<String, GroupRow> = HashMap::new();
    if groups_in_view {
        let led: Option<HashSet<String>> = match &f.worker_id {
            Some(worker) => Some(store::facilitated(conn, worker)?.into_iter().collect()),
            None => None,
        };
        let mut wanted: Vec<&str> = measures
            .iter()
            .filter_map(|m| match &m.context {
                Context::Group(id) => Some(id.as_str()),
                Context::Case(_) => None,
            })
            .chain(sessions.iter().map(|(id, ..)| id.as_str()))
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        for chunk in wanted.chunks(CHUNK) {
            for group in store::groups(conn, &view.centres, chunk)? {
                let unit = stored_code(Unit::parse, "units.kind", &group.unit_kind)?;
                if f.unit.is_none_or(|u| u == unit)
                    && led.as_ref().is_none_or(|l| l.contains(&group.id))
                {
                    groups.insert(group.id.clone(), group);
                }
            }
        }
    }
    let matcher = Matcher::new(model, view);
    let measured = |row: &MeasureRow| {
        Some(Measured {
            score: row.score_milli? as f64 / 1000.0,
            severity: row.severity.and_then(|s| u8::try_from(s).ok()),
        })
    };
    let mut by_centre: HashMap<String, Vec<Paired>> = HashMap::new();
    let mut by_model: HashMap<String, Vec<Paired>> = HashMap::new();
    let mut by_quarter: HashMap<String, Vec<Paired>> = HashMap::new();
    for (pre, post) in pair(&measures, Some(f.from), Some(f.until)) {
        let (Some(before), Some(after)) = (measured(pre.carried), measured(post.carried)) else {
            continue;
        };
        let model_key = match &post.context {
            Context::Case(id) => match model.case(id) {
                Some(case) if matcher.matches(case) => CASEWORK.to_owned(),
                _ => continue,
            },
            Context::Group(id) => match groups.get(id) {
                Some(group) => group
                    .intervention_model
                    .clone()
                    .unwrap_or_else(|| UNRECORDED.to_owned()),
                None => continue,
            },
        };
        let client = number(&post.client_id);
        let paired = || Paired {
            client,
            pre: before,
            post: after,
        };
        by_centre
            .entry(post.carried.centre_id.clone())
            .or_default()
            .push(paired());
        by_model.entry(model_key).or_default().push(paired());
        let quarter = quarter_of(post.administered_on).format("%Y-%m").to_string();
        by_quarter.entry(quarter).or_default().push(paired());
    }

    // Members of the groups that ended in the period, whether they completed them.
    let now = Utc::now().naive_utc();
    let mut ended: HashMap<String, i64> = HashMap::new();
    for (id, last, sessions) in sessions {
        let Some(last) = last else { continue };
        let day = hong_kong_day(last.and_utc());
        if groups.contains_key(&id) && last <= now && day >= f.from && day <= f.until {
            ended.insert(id, sessions);
        }
    }
    let ids: Vec<&str> = ended.keys().map(String::as_str).collect();
    let mut completion_by_centre: HashMap<String, Vec<Placed>> = HashMap::new();
    let mut completion_by_model: HashMap<String, Vec<Placed>> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for member in crate::activities::store::members_attended(conn, chunk)? {
            let group = &groups[&member.activity_id];
            let held = ended[&member.activity_id];
            let done =
                Evaluation::of(held, held, &[member.attended], group.completion_percent).completed;
            let row = if done > 0 { 0 } else { 1 };
            let client = number(&member.client_id);
            completion_by_centre
                .entry(group.centre_id.clone())
                .or_default()
                .push((client, row));
            completion_by_model
                .entry(
                    group
                        .intervention_model
                        .clone()
                        .unwrap_or_else(|| UNRECORDED.to_owned()),
                )
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
        groups_ended: groups_in_view.then_some(ended.len() as i64),
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
