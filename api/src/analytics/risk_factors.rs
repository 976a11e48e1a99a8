//! Risk and protective factors: an outcome of the cases in view regressed on household
//! and person factors, as prevalence ratios (Poisson, robust errors) and odds ratios.

use std::collections::HashMap;

use chrono::NaiveDate;
use common::analytics::{
    AgeBand, Dimension, FactorEstimate, Proportion, RatioEstimate, RiskFactors, BANDED_SCALES,
    COMPLEX, FLAGGED, NO_DISABILITY, RAISED_SEVERITY,
};
use common::cases::CaseEventKind;
use common::child_protection::ADULT_AGE;
use common::clients::Sex;
use common::households::{CssaStatus, HouseholdType, HousingType, IncomeBand};
use common::person::{age_on, is_new_arrival, Ethnicity};
use nalgebra::{DMatrix, DVector};

use super::facts::{CaseFacts, Model};
use super::regression::{self, Coefficient, Counts, FitError};
use super::service::{Matcher, View};
use crate::db::DbConnection;
use crate::error::ApiError;

/// Whether a case is at a level, its ages and arrival reckoned on the given day.
type Test = Box<dyn Fn(&CaseFacts, NaiveDate) -> bool>;

/// A factor's level as a column of the design: its key, and whether a case is at it.
struct Level {
    factor: Dimension,
    level: &'static str,
    reference: &'static str,
    at: Test,
}

fn age_group(case: &CaseFacts, on: NaiveDate) -> &'static str {
    match AgeBand::of(case.born, on) {
        AgeBand::Under6 | AgeBand::From6 | AgeBand::From13 => "0-17",
        AgeBand::From18 | AgeBand::From25 => "18-34",
        AgeBand::From35 => "35-44",
        AgeBand::From45 => "45-54",
        _ => "55+",
    }
}

/// The design's columns: each factor's levels but its reference (the commonest level of
/// a family service's caseload, so that ratios read against the usual family).
fn levels() -> Vec<Level> {
    let mut levels: Vec<Level> = Vec::new();
    for level in ["0-17", "35-44", "45-54", "55+"] {
        levels.push(Level {
            factor: Dimension::AgeBand,
            level,
            reference: "18-34",
            at: Box::new(move |c, on| age_group(c, on) == level),
        });
    }
    levels.push(Level {
        factor: Dimension::Sex,
        level: "M",
        reference: "F",
        at: Box::new(|c, _| c.sex == Sex::M),
    });
    for t in HouseholdType::ALL
        .iter()
        .copied()
        .filter(|t| *t != HouseholdType::CoupleWithChildren)
    {
        levels.push(Level {
            factor: Dimension::HouseholdType,
            level: t.as_str(),
            reference: HouseholdType::CoupleWithChildren.as_str(),
            at: Box::new(move |c, _| c.household.is_some_and(|h| h.household_type == t)),
        });
    }
    for h in HousingType::ALL
        .iter()
        .copied()
        .filter(|h| *h != HousingType::PublicRental)
    {
        levels.push(Level {
            factor: Dimension::Housing,
            level: h.as_str(),
            reference: HousingType::PublicRental.as_str(),
            at: Box::new(move |c, _| c.household.is_some_and(|x| x.housing == h)),
        });
    }
    levels.push(Level {
        factor: Dimension::Cssa,
        level: CssaStatus::Receiving.as_str(),
        reference: "other",
        at: Box::new(|c, _| c.household.is_some_and(|h| h.cssa == CssaStatus::Receiving)),
    });
    levels.push(Level {
        factor: Dimension::NewArrival,
        level: "true",
        reference: "false",
        at: Box::new(|c, on| is_new_arrival(c.arrived, on)),
    });
    for (level, bands) in [
        (
            "under_12000",
            &[IncomeBand::Under6000, IncomeBand::From6000][..],
        ),
        ("not_disclosed", &[IncomeBand::NotDisclosed][..]),
    ] {
        levels.push(Level {
            factor: Dimension::IncomeBand,
            level,
            reference: "12000_up",
            at: Box::new(move |c, _| c.household.is_some_and(|h| bands.contains(&h.income))),
        });
    }
    levels.push(Level {
        factor: Dimension::Children,
        level: "true",
        reference: "false",
        at: Box::new(|c, on| {
            c.household
                .and_then(|h| h.youngest_born)
                .is_some_and(|born| age_on(born, on) < ADULT_AGE)
        }),
    });
    levels.push(Level {
        factor: Dimension::Disability,
        level: "any",
        reference: NO_DISABILITY,
        at: Box::new(|c, _| c.person.disabilities != 0),
    });
    levels.push(Level {
        factor: Dimension::Ethnicity,
        level: "non_chinese",
        reference: Ethnicity::Chinese.as_str(),
        at: Box::new(|c, _| c.person.ethnicity.is_some_and(|e| e != Ethnicity::Chinese)),
    });
    // Each screening scale's latest band within the case: raised, or not measured, against
    // measured and below the cut-off.
    for (scale, banded) in BANDED_SCALES.iter().enumerate() {
        let [raised, unmeasured, reference] = banded.levels;
        levels.push(Level {
            factor: Dimension::AssessmentBand,
            level: raised,
            reference,
            at: Box::new(move |c, on| {
                c.latest_band(scale, on)
                    .is_some_and(|s| s >= RAISED_SEVERITY)
            }),
        });
        levels.push(Level {
            factor: Dimension::AssessmentBand,
            level: unmeasured,
            reference,
            at: Box::new(move |c, on| c.latest_band(scale, on).is_none()),
        });
    }
    levels.push(Level {
        factor: Dimension::Series,
        level: "reactivated",
        reference: "never_reactivated",
        at: Box::new(|c, on| {
            c.steps
                .iter()
                .any(|s| s.kind == CaseEventKind::Reactivated && s.on <= on)
        }),
    });
    levels
}

fn estimate(c: &Coefficient) -> RatioEstimate {
    let ratio = c.ratio();
    RatioEstimate {
        ratio: ratio.estimate,
        low: ratio.ci_low,
        high: ratio.ci_high,
        p_value: c.p_value,
    }
}

/// The regression of `outcome` over the cases in view. An outcome that is not a nature,
/// `complex` or `flagged` is the path's 404.
pub fn risk_factors(
    conn: &mut DbConnection,
    model: &Model,
    view: &View,
    outcome: &str,
) -> Result<RiskFactors, ApiError> {
    let natures = crate::statistics::store::nature_names(conn)?;
    let has: Box<dyn Fn(&CaseFacts) -> bool> = match outcome {
        COMPLEX => Box::new(|c| c.natures.len() >= 3),
        FLAGGED => Box::new(|c| c.flagged),
        code if natures.iter().any(|(n, ..)| n == code) => {
            let number = model.natures.get(code);
            Box::new(move |c| number.is_some_and(|n| c.natures.contains(&n)))
        }
        _ => return Err(ApiError::NotFound),
    };
    let matcher = Matcher::new(model, view);
    let (from, until) = (view.filter.from, view.filter.until);
    let cases: Vec<&CaseFacts> = matcher.served_within(model, from, until).collect();
    let on = view.filter.reference_day(view.today);
    let few = if view.exact() { 1 } else { view.threshold };
    let n = cases.len() as i64;
    let with_outcome = cases.iter().filter(|c| has(c)).count() as i64;
    // Each case's levels as bits, read once: the counts of each level and the patterns of
    // the design come from them.
    let levels = levels();
    let bits: Vec<u64> = cases
        .iter()
        .map(|c| {
            levels
                .iter()
                .enumerate()
                .filter(|(_, level)| (level.at)(c, on))
                .fold(0, |bits, (i, _)| bits | 1 << i)
        })
        .collect();
    // A level is estimated where enough cases are at it, and not all of them; the cases
    // not at it are the reference and the other levels, so they too must be enough.
    let mut used = Vec::new();
    let mut left_out = Vec::new();
    for (i, level) in levels.into_iter().enumerate() {
        let at = bits.iter().filter(|b| *b & (1 << i) != 0).count() as i64;
        if at >= few && n - at >= few {
            used.push((i, level, at));
        } else if at > 0 {
            left_out.push((level.factor, level.level.to_owned()));
        }
    }
    // The cases counted by their pattern of the levels used, with and without the outcome.
    let mut patterns: HashMap<u64, (f64, f64)> = HashMap::new();
    for (case, bits) in cases.iter().zip(&bits) {
        let pattern = used
            .iter()
            .filter(|(i, ..)| bits & (1 << i) != 0)
            .fold(0u64, |p, (i, ..)| p | 1 << i);
        let counted = patterns.entry(pattern).or_default();
        counted.0 += 1.0;
        counted.1 += f64::from(u8::from(has(case)));
    }
    let mut patterns: Vec<(u64, (f64, f64))> = patterns.into_iter().collect();
    patterns.sort_unstable_by_key(|(pattern, _)| *pattern);
    let x = DMatrix::from_fn(patterns.len(), used.len() + 1, |r, j| {
        if j == 0 || patterns[r].0 & (1 << used[j - 1].0) != 0 {
            1.0
        } else {
            0.0
        }
    });
    let counts = Counts::new(
        x,
        DVector::from_iterator(patterns.len(), patterns.iter().map(|(_, (c, _))| *c)),
        DVector::from_iterator(patterns.len(), patterns.iter().map(|(_, (_, w))| *w)),
    );
    let poisson = counts
        .as_ref()
        .map_err(Clone::clone)
        .and_then(regression::poisson_robust_counted);
    let logit = counts
        .as_ref()
        .map_err(Clone::clone)
        .and_then(regression::logit_counted);
    let coefficient = |fit: &Result<regression::Fit, FitError>, j: usize| {
        fit.as_ref().ok().map(|f| estimate(&f.coefficients[j + 1]))
    };
    let factors = used
        .iter()
        .enumerate()
        .map(|(j, (_, level, at))| FactorEstimate {
            factor: level.factor,
            level: level.level.to_owned(),
            reference: level.reference.to_owned(),
            cases: *at,
            prevalence_ratio: coefficient(&poisson, j),
            odds_ratio: coefficient(&logit, j),
        })
        .collect();
    let shown =
        |count: i64| (view.exact() || count == 0 || count >= view.threshold).then_some(count);
    let prevalence = shown(with_outcome)
        .and_then(|_| regression::wilson(with_outcome as u64, n as u64))
        .map(|(low, high)| Proportion {
            share: with_outcome as f64 / n as f64,
            low,
            high,
        });
    Ok(RiskFactors {
        scope: view.scope,
        suppressed_below: (!view.exact()).then_some(view.threshold),
        from,
        until,
        outcome: outcome.to_owned(),
        cases: shown(n),
        with_outcome: shown(with_outcome),
        prevalence,
        factors,
        left_out,
        poisson_failed: poisson.err().map(|e| e.to_string()),
        logit_failed: logit.err().map(|e| e.to_string()),
        names: natures
            .into_iter()
            .map(|(code, zh, en)| (code, common::analytics::KeyName { zh, en }))
            .collect(),
    })
}
