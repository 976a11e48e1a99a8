//! Outcomes: how clients changed between their measures before and after service, on one
//! instrument, per client, group or intervention model (those the user reaches in their
//! centre) or per centre (every centre whose statistics the user sees). The
//! pairing and the rules of change are `common::outcomes`; here the measures are read
//! within the user's reach and put side by side.

use std::collections::{BTreeMap, HashMap};

use common::identity::{Access, Records};
use common::outcomes::{
    pair, paired_change, rule_of, Context, Measure, Measured, OutcomeGrouping, OutcomeQuery,
    OutcomeRow, Outcomes, ScaleOutcomes,
};
use common::statistics::ScopeChoice;
use serde_json::json;

use super::catalogue::in_use;
use super::service::reachable;
use super::store::{self, AssessmentRow};
use crate::audit::ReadAudit;
use crate::db::{unreadable, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;
use crate::statistics::service::centres_for;

/// A row's key and names.
type Keyed = (String, String, String);
type Pair = (Measured, Measured);

pub fn outcomes(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    query: &OutcomeQuery,
) -> Result<Outcomes, ApiError> {
    let code = query.instrument.as_deref().unwrap_or_default();
    if code.is_empty() {
        return Err(ApiError::field(
            "instrument",
            "required",
            "Choose an instrument",
        ));
    }
    let instrument = in_use(conn, principal, code, "instrument")?;
    if let (Some(from), Some(until)) = (query.from, query.until) {
        if from > until {
            return Err(ApiError::field(
                "until",
                "before_from",
                "The last day comes before the first",
            ));
        }
    }
    let by = query.grouping();
    let rows = if by == OutcomeGrouping::Centre {
        let centres = centres_for(conn, principal, &ScopeChoice::Everything)?;
        store::pre_and_post(conn, &centres, &instrument.code, query.until)?
    } else {
        let scope = principal.record_scope(Records::Assessments, Access::Read)?;
        let centre = [scope.home_centre()?.to_owned()];
        let rows = store::pre_and_post(conn, &centre, &instrument.code, query.until)?;
        reachable(conn, principal, rows, |row| row)?
    };
    let measures: Vec<Measure<&AssessmentRow>> = rows
        .iter()
        .map(|row| {
            let within = (row.case_id.as_deref(), row.activity_id.as_deref());
            Measure::of(&row.client_id, within, &row.stage, row.administered_on, row)
                .ok_or_else(|| unreadable("assessments.case_id", &row.id))
        })
        .collect::<Result<_, _>>()?;
    let pairs = pair(&measures, query.from, query.until);
    let ids: Vec<&str> = pairs
        .iter()
        .flat_map(|(pre, post)| [pre.carried.id.as_str(), post.carried.id.as_str()])
        .collect();
    let scores: HashMap<(String, String), Measured> = store::scores_of(conn, &ids)?
        .into_iter()
        .filter_map(|scored| {
            Some((
                (scored.assessment_id, scored.scale),
                Measured {
                    score: scored.score_milli? as f64 / 1000.0,
                    severity: scored.severity.and_then(|s| u8::try_from(s).ok()),
                },
            ))
        })
        .collect();
    let keys = keys_of(conn, by, &pairs)?;
    let scales = instrument
        .scales
        .iter()
        .map(|scale| {
            // Keyed by names first, so rows read in order of name.
            let mut grouped: BTreeMap<(&str, &str, &str), Vec<Pair>> = BTreeMap::new();
            for ((pre, post), key) in pairs.iter().zip(&keys) {
                let score = |m: &Measure<&AssessmentRow>| {
                    scores
                        .get(&(m.carried.id.clone(), scale.code.clone()))
                        .copied()
                };
                if let (Some((key, zh, en)), Some(before), Some(after)) =
                    (key, score(pre), score(post))
                {
                    grouped
                        .entry((zh.as_str(), en.as_str(), key.as_str()))
                        .or_default()
                        .push((before, after));
                }
            }
            let all: Vec<Pair> = grouped.values().flatten().copied().collect();
            ScaleOutcomes {
                code: scale.code.clone(),
                name_zh: scale.name_zh.clone(),
                name_en: scale.name_en.clone(),
                higher_is_better: scale.higher_is_better,
                rule: rule_of(scale),
                reliable_change: scale.reliable_change,
                total: paired_change(scale, &all),
                rows: grouped
                    .into_iter()
                    .filter_map(|((zh, en, key), pairs)| {
                        Some(OutcomeRow {
                            key: key.to_owned(),
                            name_zh: zh.to_owned(),
                            name_en: en.to_owned(),
                            change: paired_change(scale, &pairs)?,
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    reads.record(
        &principal.actor(),
        "outcome.view",
        ("assessment", None),
        Some(json!({ "instrument": instrument.code, "by": by.as_str(), "pairs": pairs.len() })),
    )?;
    Ok(Outcomes {
        instrument: instrument.code.clone(),
        name_zh: instrument.name_zh.clone(),
        name_en: instrument.name_en.clone(),
        by,
        scales,
    })
}

/// The row each pair falls in, if any: a group's and a model's only take pairs within a
/// group (with a model).
fn keys_of(
    conn: &mut DbConnection,
    by: OutcomeGrouping,
    pairs: &[(Measure<&AssessmentRow>, Measure<&AssessmentRow>)],
) -> Result<Vec<Option<Keyed>>, ApiError> {
    let group_of = |post: &Measure<&AssessmentRow>| match &post.context {
        Context::Group(id) => Some(id.clone()),
        Context::Case(_) => None,
    };
    Ok(match by {
        OutcomeGrouping::Client => {
            let ids: Vec<&str> = pairs.iter().map(|(_, p)| p.client_id.as_str()).collect();
            let people: HashMap<String, (String, String)> =
                crate::cases::store::people(conn, &ids)?
                    .into_iter()
                    .map(|p| (p.id, (p.name_zh, p.name_en)))
                    .collect();
            pairs
                .iter()
                .map(|(_, post)| {
                    people
                        .get(&post.client_id)
                        .map(|(zh, en)| (post.client_id.clone(), zh.clone(), en.clone()))
                })
                .collect()
        }
        OutcomeGrouping::Group | OutcomeGrouping::InterventionModel => {
            let ids: Vec<String> = pairs.iter().filter_map(|(_, p)| group_of(p)).collect();
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            let groups: HashMap<String, store::GroupNamed> = store::groups_named(conn, &ids)?
                .into_iter()
                .map(|group| (group.id.clone(), group))
                .collect();
            pairs
                .iter()
                .map(|(_, post)| {
                    let group = groups.get(&group_of(post)?)?;
                    match by {
                        OutcomeGrouping::Group => Some((
                            group.id.clone(),
                            group.title_zh.clone(),
                            group.title_en.clone(),
                        )),
                        _ => group.model.clone(),
                    }
                })
                .collect()
        }
        OutcomeGrouping::Centre => {
            let mut names: HashMap<&str, (String, String)> = HashMap::new();
            for (_, post) in pairs {
                let centre = post.carried.centre_id.as_str();
                if !names.contains_key(centre) {
                    names.insert(centre, store::centre_names(conn, centre)?);
                }
            }
            pairs
                .iter()
                .map(|(_, post)| {
                    let centre = post.carried.centre_id.as_str();
                    let (zh, en) = names[centre].clone();
                    Some((centre.to_owned(), zh, en))
                })
                .collect()
        }
    })
}
