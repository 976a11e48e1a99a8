//! Early identification of cases at risk: FamilyLink's own indicator, not a score of the
//! Social Welfare Department. A case's facts (its natures, its people's latest
//! assessments, missed group sessions, days without contact, reactivations, the
//! household) raise factors, each with a configured weight; a case whose weights add up to
//! the threshold is flagged, and every flag names the factors that raised it and why.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::StaffRef;
use crate::error::ValidationErrors;
use crate::households::{CssaStatus, HousingType};
use crate::stored_codes;
use crate::text::paragraphs;

stored_codes! {
    /// What can raise a case's indicator.
    pub enum RiskFactor {
        /// A nature of violence: spouse or cohabitant battering, sexual violence.
        Violence = "violence",
        /// A nature of abuse: of a child or an elder.
        Abuse = "abuse",
        SuicideRisk = "suicide_risk",
        /// A person on the case whose latest result on an instrument is in a severe band.
        SevereBand = "severe_band",
        /// A person on the case whose latest result on an instrument raised an alert.
        AssessmentAlert = "assessment_alert",
        /// A person on the case who missed group sessions in a row.
        MissedSessions = "missed_sessions",
        /// An open case without a contact for too long.
        NoContact = "no_contact",
        /// A case reactivated again and again.
        Reactivations = "reactivations",
        /// A child under 18 in the client's household.
        ChildInHousehold = "child_in_household",
        /// A household on, or applying for, CSSA.
        Cssa = "cssa",
        /// A household in a subdivided unit, or without a home.
        Housing = "housing",
    }
}

impl RiskFactor {
    pub fn name_zh(self) -> &'static str {
        match self {
            RiskFactor::Violence => "暴力個案性質",
            RiskFactor::Abuse => "虐待個案性質",
            RiskFactor::SuicideRisk => "自殺風險個案性質",
            RiskFactor::SevereBand => "評估結果屬嚴重",
            RiskFactor::AssessmentAlert => "評估警示",
            RiskFactor::MissedSessions => "連續缺席小組",
            RiskFactor::NoContact => "長時間未有接觸",
            RiskFactor::Reactivations => "多次重開個案",
            RiskFactor::ChildInHousehold => "家中有未滿18歲兒童",
            RiskFactor::Cssa => "領取或申請綜援",
            RiskFactor::Housing => "居住劏房或無固定居所",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            RiskFactor::Violence => "Violence among the case natures",
            RiskFactor::Abuse => "Abuse among the case natures",
            RiskFactor::SuicideRisk => "Suicide risk among the case natures",
            RiskFactor::SevereBand => "Severe assessment result",
            RiskFactor::AssessmentAlert => "Assessment alert",
            RiskFactor::MissedSessions => "Group sessions missed in a row",
            RiskFactor::NoContact => "No contact for a long time",
            RiskFactor::Reactivations => "Reactivated again and again",
            RiskFactor::ChildInHousehold => "A child under 18 in the household",
            RiskFactor::Cssa => "On or applying for CSSA",
            RiskFactor::Housing => "Subdivided unit or no settled home",
        }
    }

    /// The factor a case nature raises, if any: by the taxonomy's codes, which never change.
    pub fn of_nature(code: &str) -> Option<RiskFactor> {
        match code {
            "spouse_battering" | "sexual_violence" => Some(RiskFactor::Violence),
            "child_abuse" | "elder_abuse" => Some(RiskFactor::Abuse),
            "suicide_risk" => Some(RiskFactor::SuicideRisk),
            _ => None,
        }
    }
}

/// How much each factor weighs and when a case is flagged: configuration, so a
/// deployment can tune the rule after measuring its false alarms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RiskRules {
    /// Every factor's weight, in the factors' order; 0 turns a factor off.
    pub weights: Vec<FactorWeight>,
    /// A case whose weights add up to this is flagged.
    pub threshold: u32,
    /// The severity (0 to 4, the same scale for every instrument) from which a band counts
    /// as severe.
    pub severe_from: u8,
    /// Sessions missed in a row that raise the factor.
    pub missed_in_a_row: i64,
    /// Days without a contact, for an open case, that raise the factor.
    pub no_contact_days: i64,
    /// Reactivations that raise the factor.
    pub reactivations: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FactorWeight {
    pub factor: RiskFactor,
    pub weight: u32,
}

impl Default for RiskRules {
    /// An alert alone flags a case (it demands a look); so do two of the gravest natures,
    /// or one with a couple of the household's strains.
    fn default() -> RiskRules {
        let weight = |factor| match factor {
            RiskFactor::AssessmentAlert => 5,
            RiskFactor::SuicideRisk => 4,
            RiskFactor::Violence | RiskFactor::Abuse => 3,
            RiskFactor::SevereBand | RiskFactor::NoContact => 2,
            RiskFactor::MissedSessions
            | RiskFactor::Reactivations
            | RiskFactor::ChildInHousehold
            | RiskFactor::Cssa
            | RiskFactor::Housing => 1,
        };
        RiskRules {
            weights: RiskFactor::ALL
                .iter()
                .map(|&factor| FactorWeight {
                    factor,
                    weight: weight(factor),
                })
                .collect(),
            threshold: 5,
            severe_from: 3,
            missed_in_a_row: 3,
            no_contact_days: 45,
            reactivations: 2,
        }
    }
}

impl RiskRules {
    pub fn weight(&self, factor: RiskFactor) -> u32 {
        self.weights
            .iter()
            .find(|w| w.factor == factor)
            .map_or(0, |w| w.weight)
    }

    /// The default rules with the weights named in `text` (`violence=4,cssa=0`) changed;
    /// None when a part is not a factor and a weight from 0 to 100.
    pub fn with_weights(mut self, text: &str) -> Option<RiskRules> {
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (code, weight) = part.split_once('=')?;
            let factor = RiskFactor::parse(code.trim())?;
            let weight: u32 = weight.trim().parse().ok().filter(|w| *w <= 100)?;
            self.weights.iter_mut().find(|w| w.factor == factor)?.weight = weight;
        }
        Some(self)
    }
}

/// A name in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Named {
    pub zh: String,
    pub en: String,
}

/// A person's latest result on one instrument.
#[derive(Debug, Clone, PartialEq)]
pub struct LatestResult {
    pub person: String,
    pub instrument: Named,
    pub administered_on: NaiveDate,
    /// Each scale's band and its severity.
    pub bands: Vec<(Named, u8)>,
    pub alerts: Vec<Named>,
}

/// A person's run of missed sessions in a group they are still in.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupRun {
    pub person: String,
    pub group: Named,
    pub missed_in_a_row: i64,
}

/// What the indicator reads of a case: gathered by the API, judged here.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RiskInputs {
    /// The case's natures, by code with their names.
    pub natures: Vec<(String, Named)>,
    pub results: Vec<LatestResult>,
    pub groups: Vec<GroupRun>,
    /// For an open case, the day it was opened or last reactivated; None otherwise.
    pub open_since: Option<NaiveDate>,
    /// The day of the latest contact note.
    pub last_contact: Option<NaiveDate>,
    pub reactivations: i64,
    /// The ages of the other people under 18 in the client's present household.
    pub children_under_18: i64,
    pub cssa: Option<CssaStatus>,
    pub housing: Option<HousingType>,
}

/// A factor that counted, with its weight and the facts behind it in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RaisedFactor {
    pub factor: RiskFactor,
    pub weight: u32,
    pub evidence: Vec<Named>,
}

/// The indicator of one case: its score, whether it is flagged and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RiskReading {
    pub score: u32,
    pub threshold: u32,
    pub flagged: bool,
    pub factors: Vec<RaisedFactor>,
}

fn named(zh: String, en: String) -> Named {
    Named { zh, en }
}

/// Judges a case's facts by the rules on `today`: the one reading of risk, used to keep
/// flags and to show them.
pub fn assess(inputs: &RiskInputs, rules: &RiskRules, today: NaiveDate) -> RiskReading {
    let mut found: Vec<(RiskFactor, Vec<Named>)> = Vec::new();
    let mut raise =
        |factor: RiskFactor, evidence: Named| match found.iter_mut().find(|(f, _)| *f == factor) {
            Some((_, list)) => list.push(evidence),
            None => found.push((factor, vec![evidence])),
        };
    for (code, name) in &inputs.natures {
        if let Some(factor) = RiskFactor::of_nature(code) {
            raise(factor, name.clone());
        }
    }
    for result in &inputs.results {
        let said = |zh: &str, en: &str| {
            named(
                format!(
                    "{} · {} · {}：{zh}",
                    result.instrument.zh, result.person, result.administered_on
                ),
                format!(
                    "{} · {} · {}: {en}",
                    result.instrument.en, result.person, result.administered_on
                ),
            )
        };
        for (band, _) in result
            .bands
            .iter()
            .filter(|(_, severity)| *severity >= rules.severe_from)
        {
            raise(RiskFactor::SevereBand, said(&band.zh, &band.en));
        }
        for alert in &result.alerts {
            raise(RiskFactor::AssessmentAlert, said(&alert.zh, &alert.en));
        }
    }
    for run in inputs
        .groups
        .iter()
        .filter(|run| run.missed_in_a_row >= rules.missed_in_a_row)
    {
        raise(
            RiskFactor::MissedSessions,
            named(
                format!(
                    "{}：{}連續缺席{}節",
                    run.group.zh, run.person, run.missed_in_a_row
                ),
                format!(
                    "{}: {} missed {} sessions in a row",
                    run.group.en, run.person, run.missed_in_a_row
                ),
            ),
        );
    }
    if let Some(open_since) = inputs.open_since {
        let since = inputs
            .last_contact
            .map_or(open_since, |c| c.max(open_since));
        let days = (today - since).num_days();
        if days >= rules.no_contact_days {
            raise(
                RiskFactor::NoContact,
                match inputs.last_contact {
                    Some(last) => named(
                        format!("{days}日未有接觸（上次：{last}）"),
                        format!("{days} days without contact (last: {last})"),
                    ),
                    None => named(
                        format!("自{open_since}開案以來{days}日未有接觸紀錄"),
                        format!("No contact recorded in the {days} days since {open_since}"),
                    ),
                },
            );
        }
    }
    if inputs.reactivations >= rules.reactivations {
        raise(
            RiskFactor::Reactivations,
            named(
                format!("個案曾重開{}次", inputs.reactivations),
                format!("Reactivated {} times", inputs.reactivations),
            ),
        );
    }
    if inputs.children_under_18 > 0 {
        raise(
            RiskFactor::ChildInHousehold,
            named(
                format!("家中有{}名未滿18歲人士", inputs.children_under_18),
                format!("{} under 18 in the household", inputs.children_under_18),
            ),
        );
    }
    match inputs.cssa {
        Some(CssaStatus::Receiving) => raise(
            RiskFactor::Cssa,
            named("領取綜援".into(), "Receiving CSSA".into()),
        ),
        Some(CssaStatus::Applying) => raise(
            RiskFactor::Cssa,
            named("申請綜援中".into(), "Applying for CSSA".into()),
        ),
        _ => {}
    }
    match inputs.housing {
        Some(HousingType::SubdividedUnit) => raise(
            RiskFactor::Housing,
            named("居住劏房".into(), "Lives in a subdivided unit".into()),
        ),
        Some(HousingType::TemporaryNone) => raise(
            RiskFactor::Housing,
            named(
                "臨時居所或無居所".into(),
                "Temporary shelter or no home".into(),
            ),
        ),
        _ => {}
    }
    let mut factors: Vec<RaisedFactor> = found
        .into_iter()
        .map(|(factor, evidence)| RaisedFactor {
            factor,
            weight: rules.weight(factor),
            evidence,
        })
        .filter(|raised| raised.weight > 0)
        .collect();
    factors.sort_by_key(|raised| (std::cmp::Reverse(raised.weight), raised.factor));
    let score = factors.iter().map(|raised| raised.weight).sum();
    RiskReading {
        score,
        threshold: rules.threshold,
        flagged: score >= rules.threshold,
        factors,
    }
}

/// Whether a reading calls for a new flag while `live` (the factors of the case's flag
/// still standing, if any) stands: a flagged case without one, or one whose reading
/// gained a factor the standing flag did not have, so a dismissal does not hide what
/// came after it.
pub fn calls_for_flag(reading: &RiskReading, live: Option<&[RiskFactor]>) -> bool {
    reading.flagged
        && match live {
            None => true,
            Some(live) => reading.factors.iter().any(|f| !live.contains(&f.factor)),
        }
}

stored_codes! {
    /// Where a flag stands in the supervisor's review.
    pub enum FlagStatus {
        New = "new",
        Acknowledged = "acknowledged",
        Dismissed = "dismissed",
    }
}

stored_codes! {
    pub enum ReviewDecision {
        Acknowledge = "acknowledge",
        Dismiss = "dismiss",
    }
}

stored_codes! {
    /// Why a flag was dismissed: kept, to measure the rule's false alarms.
    pub enum DismissalReason {
        /// The risk is known and already managed in the case plan.
        KnownAndManaged = "known_and_managed",
        /// On the facts, the family is not at risk.
        NotAtRisk = "not_at_risk",
        /// A record behind the flag is wrong.
        DataError = "data_error",
        Other = "other",
    }
}

impl DismissalReason {
    pub fn name_zh(self) -> &'static str {
        match self {
            DismissalReason::KnownAndManaged => "風險已知並已在計劃中處理",
            DismissalReason::NotAtRisk => "按實況並無風險",
            DismissalReason::DataError => "紀錄有誤",
            DismissalReason::Other => "其他",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            DismissalReason::KnownAndManaged => "Known and managed in the plan",
            DismissalReason::NotAtRisk => "Not at risk on the facts",
            DismissalReason::DataError => "A record is wrong",
            DismissalReason::Other => "Other",
        }
    }
}

pub const REVIEW_NOTE_MAX: usize = 2000;

/// A supervisor's review of a flag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FlagReviewForm {
    pub decision: Option<ReviewDecision>,
    /// Why it is dismissed; only for a dismissal.
    pub reason: Option<DismissalReason>,
    /// What was done, or (with the reason "other") why it is dismissed.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 2000))]
    pub note: String,
    /// The flag's version as read.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FlagReview {
    pub status: FlagStatus,
    pub reason: Option<DismissalReason>,
    pub note: String,
    pub version: i64,
}

impl FlagReviewForm {
    pub fn parse(&self) -> Result<FlagReview, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let note = errors.check("note", paragraphs(&self.note, REVIEW_NOTE_MAX));
        match (self.decision, self.reason) {
            (None, _) => errors.add("decision", "required", "Acknowledge the flag or dismiss it"),
            (Some(ReviewDecision::Dismiss), None) => {
                errors.add("reason", "required", "Say why the flag is dismissed")
            }
            (Some(ReviewDecision::Acknowledge), Some(_)) => errors.add(
                "reason",
                "only_for_dismissal",
                "A reason is given only when dismissing",
            ),
            _ => {}
        }
        if self.reason == Some(DismissalReason::Other) && note.as_deref().is_some_and(str::is_empty)
        {
            errors.add("note", "required", "Say why the flag is dismissed");
        }
        if self.version.is_none() {
            errors.add("version", "required", "The flag's version as read");
        }
        errors.into_result(|| FlagReview {
            status: match self.decision {
                Some(ReviewDecision::Dismiss) => FlagStatus::Dismissed,
                _ => FlagStatus::Acknowledged,
            },
            reason: self.reason,
            note: note.unwrap_or_default(),
            version: self.version.unwrap_or_default(),
        })
    }
}

/// A flag as raised on a case, and its review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RiskFlag {
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub client_name: String,
    pub responsible_worker: StaffRef,
    pub raised_at: DateTime<Utc>,
    pub score: u32,
    pub threshold: u32,
    /// The factors as they stood when it was raised.
    pub factors: Vec<RaisedFactor>,
    pub status: FlagStatus,
    pub reason: Option<DismissalReason>,
    pub note: Option<String>,
    pub reviewed_by: Option<StaffRef>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// When the case no longer called for it: its score fell below the threshold, it was
    /// closed, or a newer flag took its place.
    pub cleared_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// A case's indicator now, with the flags raised on it, the latest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseRisk {
    pub reading: RiskReading,
    pub flags: Vec<RiskFlag>,
    /// Whether the user may review this case's flags.
    pub may_review: bool,
}

/// Which flags a list holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct FlagQuery {
    /// Standing flags in this state; new ones when left out.
    pub status: Option<FlagStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn named(zh: &str, en: &str) -> Named {
        Named {
            zh: zh.into(),
            en: en.into(),
        }
    }

    fn codes(reading: &RiskReading) -> Vec<RiskFactor> {
        reading.factors.iter().map(|f| f.factor).collect()
    }

    #[test]
    fn nothing_known_is_no_risk() {
        let reading = assess(
            &RiskInputs::default(),
            &RiskRules::default(),
            day("2026-12-01"),
        );
        assert_eq!(reading.score, 0);
        assert!(!reading.flagged);
        assert!(reading.factors.is_empty());
    }

    #[test]
    fn each_factor_counts_once_with_all_its_evidence() {
        let inputs = RiskInputs {
            natures: vec![
                (
                    "spouse_battering".into(),
                    named("虐待配偶", "Spouse battering"),
                ),
                ("sexual_violence".into(), named("性暴力", "Sexual violence")),
                (
                    "financial".into(),
                    named("經濟困難", "Financial difficulty"),
                ),
            ],
            children_under_18: 2,
            ..RiskInputs::default()
        };
        let reading = assess(&inputs, &RiskRules::default(), day("2026-12-01"));
        assert_eq!(
            codes(&reading),
            [RiskFactor::Violence, RiskFactor::ChildInHousehold]
        );
        assert_eq!(reading.factors[0].evidence.len(), 2);
        assert_eq!(reading.score, 4);
        assert!(!reading.flagged);
    }

    #[test]
    fn the_threshold_is_reached_exactly() {
        let inputs = RiskInputs {
            natures: vec![("child_abuse".into(), named("虐待兒童", "Child abuse"))],
            children_under_18: 1,
            cssa: Some(CssaStatus::Applying),
            housing: Some(HousingType::PublicRental),
            ..RiskInputs::default()
        };
        let reading = assess(&inputs, &RiskRules::default(), day("2026-12-01"));
        assert_eq!(reading.score, 5);
        assert!(reading.flagged);
        assert_eq!(
            codes(&reading),
            [
                RiskFactor::Abuse,
                RiskFactor::ChildInHousehold,
                RiskFactor::Cssa
            ]
        );
    }

    #[test]
    fn latest_results_raise_severe_bands_and_alerts() {
        let result = |severity, alerts: Vec<Named>| LatestResult {
            person: "陳大文".into(),
            instrument: named("PHQ-9", "PHQ-9"),
            administered_on: day("2026-11-30"),
            bands: vec![(named("中度", "Moderate"), severity)],
            alerts,
        };
        let rules = RiskRules::default();
        let moderate = RiskInputs {
            results: vec![result(2, vec![])],
            ..RiskInputs::default()
        };
        assert_eq!(assess(&moderate, &rules, day("2026-12-01")).score, 0);
        let severe = RiskInputs {
            results: vec![result(3, vec![named("自殺風險", "Suicide risk")])],
            ..RiskInputs::default()
        };
        let reading = assess(&severe, &rules, day("2026-12-01"));
        assert_eq!(
            codes(&reading),
            [RiskFactor::AssessmentAlert, RiskFactor::SevereBand]
        );
        assert_eq!(reading.score, 7);
        assert_eq!(
            reading.factors[0].evidence[0].en,
            "PHQ-9 · 陳大文 · 2026-11-30: Suicide risk"
        );
    }

    #[test]
    fn days_without_contact_count_from_the_later_of_contact_and_opening() {
        let rules = RiskRules::default();
        let open = |since: &str, last: Option<&str>| RiskInputs {
            open_since: Some(day(since)),
            last_contact: last.map(day),
            ..RiskInputs::default()
        };
        let today = day("2026-12-01");
        assert_eq!(assess(&open("2026-10-17", None), &rules, today).score, 2);
        assert_eq!(assess(&open("2026-10-18", None), &rules, today).score, 0);
        assert_eq!(
            assess(&open("2026-01-01", Some("2026-10-18")), &rules, today).score,
            0
        );
        assert_eq!(
            assess(&open("2026-11-20", Some("2026-01-01")), &rules, today).score,
            0,
            "a reactivation restarts the count"
        );
        let waiting = RiskInputs {
            last_contact: Some(day("2025-01-01")),
            ..RiskInputs::default()
        };
        assert_eq!(assess(&waiting, &rules, today).score, 0);
    }

    #[test]
    fn runs_and_reactivations_count_from_their_thresholds() {
        let rules = RiskRules::default();
        let inputs = |missed, reactivations| RiskInputs {
            groups: vec![GroupRun {
                person: "Chan".into(),
                group: named("親子小組", "Parenting group"),
                missed_in_a_row: missed,
            }],
            reactivations,
            ..RiskInputs::default()
        };
        let today = day("2026-12-01");
        assert_eq!(assess(&inputs(2, 1), &rules, today).score, 0);
        assert_eq!(
            codes(&assess(&inputs(3, 2), &rules, today)),
            [RiskFactor::MissedSessions, RiskFactor::Reactivations]
        );
    }

    #[test]
    fn weights_are_configuration_and_zero_turns_a_factor_off() {
        let rules = RiskRules::default()
            .with_weights("violence=5, child_in_household=0")
            .unwrap();
        let inputs = RiskInputs {
            natures: vec![(
                "spouse_battering".into(),
                named("虐待配偶", "Spouse battering"),
            )],
            children_under_18: 1,
            ..RiskInputs::default()
        };
        let reading = assess(&inputs, &rules, day("2026-12-01"));
        assert_eq!(codes(&reading), [RiskFactor::Violence]);
        assert!(reading.flagged);
        assert!(RiskRules::default().with_weights("violence").is_none());
        assert!(RiskRules::default().with_weights("unknown=1").is_none());
        assert!(RiskRules::default().with_weights("cssa=101").is_none());
    }

    #[test]
    fn a_new_factor_calls_for_a_new_flag_even_after_a_dismissal() {
        let reading = |factors: &[RiskFactor]| RiskReading {
            score: 6,
            threshold: 5,
            flagged: true,
            factors: factors
                .iter()
                .map(|&factor| RaisedFactor {
                    factor,
                    weight: 3,
                    evidence: vec![],
                })
                .collect(),
        };
        let now = reading(&[RiskFactor::Violence, RiskFactor::Abuse]);
        assert!(calls_for_flag(&now, None));
        assert!(!calls_for_flag(
            &now,
            Some(&[RiskFactor::Violence, RiskFactor::Abuse, RiskFactor::Cssa])
        ));
        assert!(calls_for_flag(&now, Some(&[RiskFactor::Violence])));
        let below = RiskReading {
            flagged: false,
            ..now
        };
        assert!(!calls_for_flag(&below, None));
    }

    #[test]
    fn a_review_names_what_it_lacks() {
        let errors = FlagReviewForm::default().parse().unwrap_err();
        assert_eq!(errors.0["decision"].code, "required");
        assert_eq!(errors.0["version"].code, "required");
        let dismiss = FlagReviewForm {
            decision: Some(ReviewDecision::Dismiss),
            version: Some(1),
            ..FlagReviewForm::default()
        };
        assert_eq!(dismiss.parse().unwrap_err().0["reason"].code, "required");
        let other = FlagReviewForm {
            reason: Some(DismissalReason::Other),
            note: "  ".into(),
            ..dismiss.clone()
        };
        assert_eq!(other.parse().unwrap_err().0["note"].code, "required");
        let acknowledge = FlagReviewForm {
            decision: Some(ReviewDecision::Acknowledge),
            reason: Some(DismissalReason::NotAtRisk),
            version: Some(1),
            ..FlagReviewForm::default()
        };
        assert_eq!(
            acknowledge.parse().unwrap_err().0["reason"].code,
            "only_for_dismissal"
        );
        let fine = FlagReviewForm {
            reason: Some(DismissalReason::DataError),
            note: "Wrong nature recorded".into(),
            ..dismiss
        }
        .parse()
        .unwrap();
        assert_eq!(fine.status, FlagStatus::Dismissed);
        assert_eq!(fine.version, 1);
    }
}
