//! Mandatory reporting of child abuse (Cap. 650, in force since 20 January 2026): a
//! worker's assessment of a concern about a child on a case, the decision to report it or
//! not with reasons, and to whom. Undecided concerns go to the supervisor after a while;
//! who made the report is seen only by the reporter, the centre's supervisors and its
//! admin.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::{CasePerson, StaffRef};
use crate::error::ValidationErrors;
use crate::identity::{Role, Roles};
use crate::stored_codes;
use crate::text::{one_line, paragraphs, required};

stored_codes! {
    /// The kinds of harm the ordinance names.
    pub enum HarmType {
        Physical = "physical",
        Sexual = "sexual",
        Psychological = "psychological",
        Neglect = "neglect",
    }
}

stored_codes! {
    /// What the worker suspects: harm suffered, or a real risk of it.
    pub enum HarmLevel {
        SeriousHarm = "serious_harm",
        RealRisk = "real_risk",
    }
}

stored_codes! {
    pub enum ProtectionDecision {
        Report = "report",
        NotReport = "not_report",
    }
}

stored_codes! {
    /// The two authorities a mandated reporter reports to.
    pub enum ReportedTo {
        /// The Director of Social Welfare.
        Swd = "swd",
        /// The Commissioner of Police.
        Police = "police",
    }
}

/// Under 18: a child in the ordinance's sense.
pub const ADULT_AGE: i32 = 18;
pub const GROUNDS_MAX: usize = 4000;
pub const REASONS_MAX: usize = 2000;
pub const REFERENCE_MAX: usize = 40;
/// How long a concern may wait for a decision before it goes to the supervisor, unless
/// configured otherwise: "as soon as practicable".
pub const DECISION_HOURS_DEFAULT: i64 = 24;

/// Recording a concern about a child on the case.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConcernForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub child_id: String,
    #[serde(default)]
    pub harm_types: Vec<HarmType>,
    pub harm_level: Option<HarmLevel>,
    /// What was seen or heard that raised the concern.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 4000))]
    pub grounds: String,
    /// Today when left out.
    pub identified_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewConcern {
    pub child_id: String,
    pub harm_types: Vec<HarmType>,
    pub harm_level: HarmLevel,
    pub grounds: String,
    pub identified_on: NaiveDate,
}

impl ConcernForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewConcern, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.child_id.trim().is_empty() {
            errors.add("child_id", "required", "Choose the child");
        }
        let mut harm_types = self.harm_types.clone();
        harm_types.sort();
        harm_types.dedup();
        if harm_types.is_empty() {
            errors.add("harm_types", "required", "Choose at least one kind of harm");
        }
        if self.harm_level.is_none() {
            errors.add(
                "harm_level",
                "required",
                "Say whether the child is suffering serious harm or is at real risk of it",
            );
        }
        let grounds = errors.check(
            "grounds",
            required(paragraphs(&self.grounds, GROUNDS_MAX), "The grounds"),
        );
        let identified_on = self.identified_on.unwrap_or(today);
        if identified_on > today {
            errors.add(
                "identified_on",
                "date_in_future",
                "The day cannot be in the future",
            );
        }
        errors.into_result(|| NewConcern {
            child_id: self.child_id.trim().to_owned(),
            harm_types,
            harm_level: self.harm_level.expect("a level"),
            grounds: grounds.expect("grounds"),
            identified_on,
        })
    }
}

/// The decision on a concern, at the version read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecisionForm {
    pub decision: Option<ProtectionDecision>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 2000))]
    pub reasons: String,
    pub reported_to: Option<ReportedTo>,
    pub reported_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub reference_number: String,
    #[serde(default)]
    pub version: i64,
}

/// A decision once valid: a report says to whom, when and its reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub decision: ProtectionDecision,
    pub reasons: String,
    pub report: Option<(ReportedTo, DateTime<Utc>, String)>,
    pub version: i64,
}

impl DecisionForm {
    pub fn parse(&self, now: DateTime<Utc>) -> Result<Decision, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.decision.is_none() {
            errors.add("decision", "required", "Decide whether to report");
        }
        let reasons = errors.check(
            "reasons",
            required(paragraphs(&self.reasons, REASONS_MAX), "The reasons"),
        );
        let report = if self.decision == Some(ProtectionDecision::Report) {
            if self.reported_to.is_none() {
                errors.add("reported_to", "required", "Say whom it was reported to");
            }
            match self.reported_at {
                None => errors.add("reported_at", "required", "Say when it was reported"),
                Some(at) if at > now => errors.add(
                    "reported_at",
                    "date_in_future",
                    "The time cannot be in the future",
                ),
                Some(_) => {}
            }
            let reference = errors.check(
                "reference_number",
                required(
                    one_line(&self.reference_number, REFERENCE_MAX),
                    "The reference number",
                ),
            );
            match (self.reported_to, self.reported_at, reference) {
                (Some(to), Some(at), Some(reference)) => Some((to, at, reference)),
                _ => None,
            }
        } else {
            None
        };
        errors.into_result(|| Decision {
            decision: self.decision.expect("a decision"),
            reasons: reasons.expect("reasons"),
            report,
            version: self.version,
        })
    }
}

/// A concern as the case shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Concern {
    pub id: String,
    pub case_id: String,
    pub case_number: String,
    pub child: CasePerson,
    pub harm_types: Vec<HarmType>,
    pub harm_level: HarmLevel,
    pub grounds: String,
    pub identified_on: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it and so reports it: none for those who may not know.
    pub reporter: Option<StaffRef>,
    pub decision: Option<ProtectionDecision>,
    pub reasons: Option<String>,
    pub reported_to: Option<ReportedTo>,
    pub reported_at: Option<DateTime<Utc>>,
    pub reference_number: Option<String>,
    /// Who decided: withheld as the reporter is.
    pub decided_by: Option<StaffRef>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Undecided for longer than the centre allows: the supervisor's to follow up.
    pub escalated: bool,
    pub may_decide: bool,
    pub version: i64,
}

/// Whether a concern still undecided has waited too long.
pub fn escalated(
    recorded_at: DateTime<Utc>,
    decided: bool,
    now: DateTime<Utc>,
    window: Duration,
) -> bool {
    !decided && now - recorded_at >= window
}

/// Who a viewer is, as far as the reporter's identity is concerned.
pub struct Viewer<'a> {
    pub user_id: &'a str,
    pub roles: &'a Roles,
    pub centre_id: Option<&'a str>,
}

/// The reporter's identity is seen by the reporter, the supervisors and the admin of the
/// centre the case is at, and nobody else (not co-workers, not the agency).
pub fn sees_reporter(viewer: &Viewer, reporter_id: &str, case_centre_id: &str) -> bool {
    viewer.user_id == reporter_id
        || (viewer.centre_id == Some(case_centre_id)
            && viewer
                .roles
                .iter()
                .any(|role| matches!(role, Role::Supervisor | Role::CentreAdmin)))
}

/// The reporter decides, or a supervisor of the case's centre.
pub fn may_decide(viewer: &Viewer, reporter_id: &str, case_centre_id: &str) -> bool {
    viewer.user_id == reporter_id
        || (viewer.centre_id == Some(case_centre_id)
            && viewer.roles.iter().any(|role| role == Role::Supervisor))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    #[test]
    fn a_concern_names_each_missing_part() {
        let wrong = ConcernForm {
            identified_on: Some(today() + Duration::days(1)),
            ..Default::default()
        }
        .parse(today())
        .unwrap_err();
        let fields: Vec<&str> = wrong.0.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            [
                "child_id",
                "grounds",
                "harm_level",
                "harm_types",
                "identified_on"
            ]
        );
        let kept = ConcernForm {
            child_id: "c".into(),
            harm_types: vec![HarmType::Neglect, HarmType::Physical, HarmType::Neglect],
            harm_level: Some(HarmLevel::RealRisk),
            grounds: "Bruises seen at the home visit".into(),
            identified_on: None,
        }
        .parse(today())
        .unwrap();
        assert_eq!(kept.harm_types, [HarmType::Physical, HarmType::Neglect]);
        assert_eq!(kept.identified_on, today());
    }

    #[test]
    fn a_report_says_to_whom_when_and_its_reference() {
        let now = Utc::now();
        let report = DecisionForm {
            decision: Some(ProtectionDecision::Report),
            reasons: "Serious harm suspected".into(),
            reported_at: Some(now + Duration::hours(1)),
            ..Default::default()
        }
        .parse(now)
        .unwrap_err();
        let fields: Vec<&str> = report.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["reference_number", "reported_at", "reported_to"]);
        let not_reported = DecisionForm {
            decision: Some(ProtectionDecision::NotReport),
            ..Default::default()
        }
        .parse(now)
        .unwrap_err();
        assert_eq!(not_reported.0["reasons"].code, "required");
    }

    #[test]
    fn only_the_reporter_and_the_centre_s_supervisors_and_admin_see_who_reported() {
        let worker = Roles::new([Role::SocialWorker]);
        let supervisor = Roles::new([Role::Supervisor]);
        let agency = Roles::new([Role::AgencyAdmin]);
        let viewer = |user_id, roles, centre_id| Viewer {
            user_id,
            roles,
            centre_id,
        };
        assert!(sees_reporter(&viewer("w1", &worker, Some("a")), "w1", "a"));
        assert!(!sees_reporter(&viewer("w2", &worker, Some("a")), "w1", "a"));
        assert!(sees_reporter(
            &viewer("s", &supervisor, Some("a")),
            "w1",
            "a"
        ));
        assert!(!sees_reporter(
            &viewer("s", &supervisor, Some("b")),
            "w1",
            "a"
        ));
        assert!(!sees_reporter(&viewer("g", &agency, None), "w1", "a"));
        assert!(may_decide(&viewer("s", &supervisor, Some("a")), "w1", "a"));
        assert!(!may_decide(&viewer("w2", &worker, Some("a")), "w1", "a"));
        let hour = Duration::hours(1);
        let then = Utc::now() - Duration::hours(25);
        assert!(escalated(then, false, Utc::now(), Duration::hours(24)));
        assert!(!escalated(then, true, Utc::now(), Duration::hours(24)));
        assert!(!escalated(
            Utc::now() - hour,
            false,
            Utc::now(),
            Duration::hours(24)
        ));
    }
}
