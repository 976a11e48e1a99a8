//! Outcomes of service: how clients changed between a measure before service and one
//! after it, per client, group, intervention model and centre. A pair is a client's
//! latest post-service measure in the period on an instrument, against their latest
//! pre-service measure on it before, within the same case or group, so a group's outcome
//! is its own members' change.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::assessments::Scale;
use crate::identity::Permission;
use crate::stored_codes;

stored_codes! {
    pub enum Change {
        Improved = "improved",
        Unchanged = "unchanged",
        Worsened = "worsened",
    }
}

stored_codes! {
    /// What outcomes are put side by side.
    pub enum OutcomeGrouping {
        Client = "client",
        Group = "group",
        InterventionModel = "intervention_model",
        Centre = "centre",
    }
}

impl OutcomeGrouping {
    /// What seeing outcomes grouped this way needs: by centre they are an aggregate, for
    /// whoever sees the centres' statistics; any other way names clients or groups, so
    /// they are assessment records.
    pub fn permission(self) -> Permission {
        match self {
            OutcomeGrouping::Centre => Permission::ViewStatistics,
            _ => Permission::ViewAssessments,
        }
    }
}

stored_codes! {
    /// How a scale tells improved from unchanged and worse.
    pub enum ChangeRule {
        /// A less severe band is improved, a more severe one worse.
        BandChange = "band_change",
        /// A change in the better direction of at least the scale's reliable change is
        /// improved; as much the other way, worse.
        ReliableChange = "reliable_change",
        /// Neither bands nor a published reliable change: only the change in score.
        None = "none",
    }
}

pub fn rule_of(scale: &Scale) -> ChangeRule {
    if !scale.bands.is_empty() {
        ChangeRule::BandChange
    } else if scale.reliable_change.is_some() {
        ChangeRule::ReliableChange
    } else {
        ChangeRule::None
    }
}

/// A scale's score and the severity of its band at one measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    pub score: f64,
    pub severity: Option<u8>,
}

/// How a client changed on a scale between two measures, by the scale's rule; None
/// where the rule cannot tell.
pub fn change_on(scale: &Scale, pre: Measured, post: Measured) -> Option<Change> {
    let by = |order: std::cmp::Ordering| match order {
        std::cmp::Ordering::Less => Change::Improved,
        std::cmp::Ordering::Equal => Change::Unchanged,
        std::cmp::Ordering::Greater => Change::Worsened,
    };
    match rule_of(scale) {
        ChangeRule::BandChange => Some(by(post.severity?.cmp(&pre.severity?))),
        ChangeRule::ReliableChange => {
            let least = scale.reliable_change?;
            let better = if scale.higher_is_better {
                post.score - pre.score
            } else {
                pre.score - post.score
            };
            Some(if better >= least {
                Change::Improved
            } else if -better >= least {
                Change::Worsened
            } else {
                Change::Unchanged
            })
        }
        ChangeRule::None => None,
    }
}

/// The change of a set of pairs on one scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PairedChange {
    pub pairs: usize,
    pub mean_pre: f64,
    pub mean_post: f64,
    /// Post minus pre: read with the scale's direction.
    pub mean_change: f64,
    /// The sample standard deviation of the changes; None for fewer than two pairs.
    pub sd_change: Option<f64>,
    /// The paired effect size (d_z): the mean change over the standard deviation of the
    /// changes, signed so that a positive value is an improvement; None for fewer than
    /// two pairs, or when every pair changed alike.
    pub cohens_d: Option<f64>,
    pub improved: usize,
    pub unchanged: usize,
    pub worsened: usize,
    /// Pairs the scale's rule cannot judge (no band on a side, or no rule).
    pub unjudged: usize,
}

/// Summarises the pairs (pre, post) on a scale.
pub fn paired_change(scale: &Scale, pairs: &[(Measured, Measured)]) -> Option<PairedChange> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let changes: Vec<f64> = pairs
        .iter()
        .map(|(pre, post)| post.score - pre.score)
        .collect();
    let mean = |values: &mut dyn Iterator<Item = f64>| values.sum::<f64>() / n;
    let mean_change = mean(&mut changes.iter().copied());
    let sd_change = (pairs.len() > 1).then(|| {
        (changes
            .iter()
            .map(|c| (c - mean_change).powi(2))
            .sum::<f64>()
            / (n - 1.0))
            .sqrt()
    });
    let direction = if scale.higher_is_better { 1.0 } else { -1.0 };
    let mut summary = PairedChange {
        pairs: pairs.len(),
        mean_pre: mean(&mut pairs.iter().map(|(pre, _)| pre.score)),
        mean_post: mean(&mut pairs.iter().map(|(_, post)| post.score)),
        mean_change,
        sd_change,
        cohens_d: sd_change
            .filter(|sd| *sd > 0.0)
            .map(|sd| direction * mean_change / sd),
        improved: 0,
        unchanged: 0,
        worsened: 0,
        unjudged: 0,
    };
    for (pre, post) in pairs {
        match change_on(scale, *pre, *post) {
            Some(Change::Improved) => summary.improved += 1,
            Some(Change::Unchanged) => summary.unchanged += 1,
            Some(Change::Worsened) => summary.worsened += 1,
            None => summary.unjudged += 1,
        }
    }
    Some(summary)
}

/// Where a measure was taken: within a case or a group.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    Case(String),
    Group(String),
}

/// One measure of a client on the instrument, as the pairing reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure<T> {
    pub client_id: String,
    pub context: Context,
    pub post: bool,
    pub administered_on: NaiveDate,
    /// What the measure carries along (its id, its scores).
    pub carried: T,
}

impl<T> Measure<T> {
    /// A measure as kept: within a case or a group (none when it names neither, or both),
    /// at a stage (pre or post; another stage is neither).
    pub fn of(
        client_id: &str,
        (case_id, group_id): (Option<&str>, Option<&str>),
        stage: &str,
        administered_on: NaiveDate,
        carried: T,
    ) -> Option<Measure<T>> {
        let context = match (case_id, group_id) {
            (Some(case), None) => Context::Case(case.to_owned()),
            (None, Some(group)) => Context::Group(group.to_owned()),
            _ => return None,
        };
        Some(Measure {
            client_id: client_id.to_owned(),
            context,
            post: stage == "post",
            administered_on,
            carried,
        })
    }
}

/// Pairs measures, given in the order they were taken: for each client and context, the
/// latest post-service measure from `from` to `until` against the latest pre-service one
/// taken before it. A client without both has no pair.
pub fn pair<T: Clone>(
    measures: &[Measure<T>],
    from: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Vec<(Measure<T>, Measure<T>)> {
    type Key<'a> = (&'a str, &'a Context);
    let mut pairings: std::collections::BTreeMap<Key, Pairing<&Measure<T>>> = Default::default();
    for m in measures {
        pairings
            .entry((m.client_id.as_str(), &m.context))
            .or_default()
            .take(m, m.post, m.administered_on, (from, until));
    }
    pairings
        .into_values()
        .filter_map(|p| p.paired())
        .map(|(pre, post)| (pre.clone(), post.clone()))
        .collect()
}

/// `pair`'s rule for one client in one context, fed their measures in the order taken.
#[derive(Debug, Clone, Copy)]
pub struct Pairing<M> {
    pre: Option<M>,
    paired: Option<(M, M)>,
}

impl<M> Default for Pairing<M> {
    fn default() -> Self {
        Pairing {
            pre: None,
            paired: None,
        }
    }
}

impl<M: Copy> Pairing<M> {
    /// The next measure: a post-service one within the period pairs with the latest
    /// pre-service one before it, and outdoes an earlier pair.
    pub fn take(
        &mut self,
        measure: M,
        post: bool,
        on: NaiveDate,
        (from, until): (Option<NaiveDate>, Option<NaiveDate>),
    ) {
        if !post {
            self.pre = Some(measure);
        } else if from.is_none_or(|f| on >= f) && until.is_none_or(|u| on <= u) {
            if let Some(pre) = self.pre {
                self.paired = Some((pre, measure));
            }
        }
    }

    pub fn paired(&self) -> Option<(M, M)> {
        self.paired
    }
}

/// Which outcomes to show.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct OutcomeQuery {
    /// An instrument's code.
    pub instrument: Option<String>,
    /// Client when left out.
    pub by: Option<OutcomeGrouping>,
    /// The first day a post-service measure counts from.
    pub from: Option<NaiveDate>,
    /// The last day.
    pub until: Option<NaiveDate>,
}

impl OutcomeQuery {
    pub fn grouping(&self) -> OutcomeGrouping {
        self.by.unwrap_or(OutcomeGrouping::Client)
    }
}

/// One row of a scale's outcomes: a client, group, model or centre.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OutcomeRow {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    pub change: PairedChange,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ScaleOutcomes {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub higher_is_better: bool,
    pub rule: ChangeRule,
    pub reliable_change: Option<f64>,
    pub rows: Vec<OutcomeRow>,
    /// Every pair of the rows together.
    pub total: Option<PairedChange>,
}

/// The outcomes on one instrument of the measures the user reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Outcomes {
    pub instrument: String,
    pub name_zh: String,
    pub name_en: String,
    pub by: OutcomeGrouping,
    pub scales: Vec<ScaleOutcomes>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assessments::builtin;

    fn scale(code: &str) -> &'static Scale {
        &builtin(code).unwrap().scales[0]
    }

    fn at(score: f64, severity: Option<u8>) -> Measured {
        Measured { score, severity }
    }

    #[test]
    fn a_band_scale_is_judged_by_its_band() {
        let phq9 = scale("phq9");
        assert_eq!(rule_of(phq9), ChangeRule::BandChange);
        assert_eq!(
            change_on(phq9, at(16.0, Some(3)), at(9.0, Some(1))),
            Some(Change::Improved)
        );
        assert_eq!(
            change_on(phq9, at(14.0, Some(2)), at(10.0, Some(2))),
            Some(Change::Unchanged),
            "four points within one band is no change of band"
        );
        assert_eq!(
            change_on(phq9, at(4.0, Some(0)), at(5.0, Some(1))),
            Some(Change::Worsened)
        );
        let rses = scale("rses");
        assert!(rses.higher_is_better);
        assert_eq!(
            change_on(rses, at(12.0, Some(2)), at(18.0, Some(0))),
            Some(Change::Improved)
        );
    }

    #[test]
    fn a_scale_without_bands_is_judged_by_its_reliable_change_in_its_direction() {
        let who5 = scale("who5");
        assert_eq!(rule_of(who5), ChangeRule::ReliableChange);
        assert_eq!(
            change_on(who5, at(40.0, None), at(52.0, None)),
            Some(Change::Improved)
        );
        assert_eq!(
            change_on(who5, at(40.0, None), at(48.0, None)),
            Some(Change::Unchanged)
        );
        assert_eq!(
            change_on(who5, at(40.0, None), at(30.0, None)),
            Some(Change::Worsened)
        );
        let fhhh = scale("fhhh");
        assert_eq!(rule_of(fhhh), ChangeRule::None);
        assert_eq!(change_on(fhhh, at(4.0, None), at(8.0, None)), None);
    }

    #[test]
    fn cohens_d_is_the_paired_mean_change_over_its_spread_signed_for_improvement() {
        let phq9 = scale("phq9");
        let pairs = [
            (at(20.0, Some(4)), at(10.0, Some(2))),
            (at(15.0, Some(3)), at(9.0, Some(1))),
            (at(12.0, Some(2)), at(10.0, Some(2))),
            (at(6.0, Some(1)), at(8.0, Some(1))),
        ];
        let summary = paired_change(phq9, &pairs).unwrap();
        // Changes -10, -6, -2, +2: mean -4, sample sd sqrt(80 / 3).
        assert_eq!(summary.pairs, 4);
        assert!((summary.mean_pre - 13.25).abs() < 1e-9);
        assert!((summary.mean_post - 9.25).abs() < 1e-9);
        assert!((summary.mean_change + 4.0).abs() < 1e-9);
        let sd = (80.0f64 / 3.0).sqrt();
        assert!((summary.sd_change.unwrap() - sd).abs() < 1e-9);
        assert!((summary.cohens_d.unwrap() - 4.0 / sd).abs() < 1e-9);
        assert_eq!(
            (summary.improved, summary.unchanged, summary.worsened),
            (2, 2, 0)
        );
        let one = paired_change(phq9, &pairs[..1]).unwrap();
        assert_eq!((one.sd_change, one.cohens_d), (None, None));
        assert!(paired_change(phq9, &[]).is_none());
    }

    #[test]
    fn pairs_are_the_latest_post_against_the_latest_pre_before_it_in_one_context() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let measure = |client: &str, context: Context, post: bool, on: &str, id: u32| Measure {
            client_id: client.into(),
            context,
            post,
            administered_on: day(on),
            carried: id,
        };
        let case = || Context::Case("k1".into());
        let group = || Context::Group("g1".into());
        let measures = [
            measure("a", case(), false, "2026-01-05", 1),
            measure("a", case(), false, "2026-02-01", 2),
            measure("a", group(), true, "2026-03-01", 3),
            measure("a", case(), true, "2026-04-01", 4),
            measure("a", case(), true, "2026-05-01", 5),
            measure("b", case(), true, "2026-04-01", 6),
            measure("b", case(), false, "2026-04-02", 7),
        ];
        let pairs = pair(&measures, None, None);
        let ids: Vec<(u32, u32)> = pairs.iter().map(|(p, q)| (p.carried, q.carried)).collect();
        assert_eq!(ids, [(2, 5)], "no pre within the group; b's pre came after");
        let in_april = pair(&measures, Some(day("2026-04-01")), Some(day("2026-04-30")));
        assert_eq!(in_april[0].1.carried, 4);
    }
}
