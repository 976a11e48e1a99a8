//! Referrals out to other agencies and services, and in from them. Nothing about a
//! family leaves before someone's consent to it is recorded; every referral waiting for
//! an answer has a day to follow it up, so none is forgotten.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::{effective_date, missing, version, CaseSummary, StaffRef};
use crate::error::{FieldError, ValidationErrors};
use crate::stored_codes;
use crate::text::{one_line, paragraphs, required};

stored_codes! {
    pub enum ReferralDirection {
        /// The centre refers the family to another agency or service.
        Out = "out",
        /// Another agency or service refers the family to the centre.
        In = "in",
    }
}

stored_codes! {
    /// The kind of service a referral goes to or comes from.
    pub enum ServiceType {
        Swd = "swd",
        ClinicalPsychology = "clinical_psychology",
        MedicalSocialService = "medical_social_service",
        SchoolSocialWork = "school_social_work",
        Housing = "housing",
        LegalAid = "legal_aid",
        Employment = "employment",
        ChildCare = "child_care",
        Elderly = "elderly",
        /// Including the Integrated Community Centres for Mental Wellness (ICCMW).
        MentalHealth = "mental_health",
        OtherNgoFamilyService = "other_ngo_family_service",
        Other = "other",
    }
}

stored_codes! {
    /// Where a referral stands. Out: draft, consented, sent, then accepted or declined by
    /// the receiver, then closed. In: received, then accepted or declined by the centre.
    pub enum ReferralStatus {
        Draft = "draft",
        Consented = "consented",
        Sent = "sent",
        Received = "received",
        Accepted = "accepted",
        Declined = "declined",
        Closed = "closed",
    }
}

stored_codes! {
    /// Who gave consent: the client, or someone on their behalf.
    pub enum ConsentGiver {
        Client = "client",
        Parent = "parent",
        Guardian = "guardian",
        Spouse = "spouse",
        OtherFamily = "other_family",
        Other = "other",
    }
}

impl ReferralStatus {
    /// Where a new referral starts.
    pub fn first(direction: ReferralDirection) -> ReferralStatus {
        match direction {
            ReferralDirection::Out => ReferralStatus::Draft,
            ReferralDirection::In => ReferralStatus::Received,
        }
    }

    /// Whether a referral of `direction` may move from this status to `to`.
    pub fn may_become(self, to: ReferralStatus, direction: ReferralDirection) -> bool {
        use ReferralDirection::*;
        use ReferralStatus::*;
        matches!(
            (direction, self, to),
            (Out, Draft, Consented)
                | (Out, Consented, Sent)
                | (Out, Sent, Accepted | Declined)
                | (Out, Accepted | Declined, Closed)
                | (In, Received, Accepted | Declined)
        )
    }

    /// Waiting for an answer: the receiver's (sent) or the centre's (received).
    pub fn awaits_answer(self) -> bool {
        matches!(self, ReferralStatus::Sent | ReferralStatus::Received)
    }
}

pub const AGENCY_MAX: usize = 200;
pub const TEXT_MAX: usize = 4000;
pub const NAME_MAX: usize = 100;
pub const SCOPE_MAX: usize = 1000;

/// The consent recorded before information leaves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Consent {
    pub consented_by_name: String,
    pub consented_by: ConsentGiver,
    /// What was consented to; None for a reader who may not see the narrative.
    pub consent_scope: Option<String>,
    pub consented_on: NaiveDate,
    pub recorded_by: StaffRef,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Referral {
    pub id: String,
    pub case_id: String,
    pub direction: ReferralDirection,
    /// The agency or service referred to (out) or from (in).
    pub agency_name: String,
    pub service_type: ServiceType,
    /// None for a reader who may see the case but not its narrative (an agency admin).
    pub reason: Option<String>,
    /// What information will leave (out); None as for `reason`.
    pub info_shared: Option<String>,
    pub status: ReferralStatus,
    pub consent: Option<Consent>,
    pub sent_on: Option<NaiveDate>,
    pub follow_up_due: Option<NaiveDate>,
    /// Waiting for an answer, and its follow-up day has come.
    pub follow_up_overdue: bool,
    pub outcome: Option<String>,
    pub outcome_on: Option<NaiveDate>,
    pub version: i64,
    pub created_by: StaffRef,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A referral whose follow-up is due, for the homes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReferralDue {
    pub case: CaseSummary,
    pub referral_id: String,
    pub direction: ReferralDirection,
    pub agency_name: String,
    pub service_type: ServiceType,
    pub status: ReferralStatus,
    pub follow_up_due: NaiveDate,
}

/// A day ahead of `from` (a follow-up), within the century.
fn follow_up(day: Option<NaiveDate>, from: NaiveDate) -> Result<NaiveDate, FieldError> {
    let latest = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
    match day {
        None => Err(missing("The follow-up date")),
        Some(day) if day < from => Err(FieldError::new(
            "before_start",
            "The follow-up cannot come before the referral",
        )),
        Some(day) if day > latest => Err(FieldError::new(
            "date_too_late",
            "The date is too far ahead",
        )),
        Some(day) => Ok(day),
    }
}

/// A new referral, out or in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferralForm {
    pub direction: Option<ReferralDirection>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub agency_name: String,
    pub service_type: Option<ServiceType>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 4000))]
    pub reason: String,
    /// What information will leave: required out, not given in.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 4000))]
    pub info_shared: String,
    /// For a referral in: when to have answered it. Out, it is set on sending.
    pub follow_up_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewReferral {
    pub direction: ReferralDirection,
    pub agency_name: String,
    pub service_type: ServiceType,
    pub reason: String,
    pub info_shared: String,
    pub follow_up_due: Option<NaiveDate>,
}

impl ReferralForm {
    pub fn parse(&self, today: NaiveDate) -> Result<NewReferral, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let direction = errors.check(
            "direction",
            self.direction.ok_or_else(|| missing("The direction")),
        );
        let agency_name = errors.check(
            "agency_name",
            required(one_line(&self.agency_name, AGENCY_MAX), "The agency"),
        );
        let service_type = errors.check(
            "service_type",
            self.service_type
                .ok_or_else(|| missing("The type of service")),
        );
        let reason = errors.check(
            "reason",
            required(paragraphs(&self.reason, TEXT_MAX), "The reason"),
        );
        let info_shared = errors.check(
            "info_shared",
            paragraphs(&self.info_shared, TEXT_MAX).and_then(|info| {
                match (direction, info.is_empty()) {
                    (Some(ReferralDirection::Out), true) => Err(missing("What will be shared")),
                    (Some(ReferralDirection::In), false) => Err(FieldError::new(
                        "not_allowed",
                        "Nothing leaves with a referral in",
                    )),
                    _ => Ok(info),
                }
            }),
        );
        let follow_up_due = errors.check(
            "follow_up_due",
            match (direction, self.follow_up_due) {
                (_, None) => Ok(None),
                (Some(ReferralDirection::Out), Some(_)) => Err(FieldError::new(
                    "not_allowed",
                    "A referral out is followed up from the day it is sent",
                )),
                (_, day) => follow_up(day, today).map(Some),
            },
        );
        match (
            direction,
            agency_name,
            service_type,
            reason,
            info_shared,
            follow_up_due,
        ) {
            (
                Some(direction),
                Some(agency_name),
                Some(service_type),
                Some(reason),
                Some(info_shared),
                Some(follow_up_due),
            ) if errors.is_empty() => Ok(NewReferral {
                direction,
                agency_name,
                service_type,
                reason,
                info_shared,
                follow_up_due,
            }),
            _ => Err(errors),
        }
    }
}

/// Recording who consented, to what and when.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub consented_by_name: String,
    pub consented_by: Option<ConsentGiver>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 1000))]
    pub consent_scope: String,
    /// Left out: today.
    pub consented_on: Option<NaiveDate>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsentGiven {
    pub consented_by_name: String,
    pub consented_by: ConsentGiver,
    pub consent_scope: String,
    pub consented_on: NaiveDate,
    pub version: i64,
}

impl ConsentForm {
    pub fn parse(&self, today: NaiveDate) -> Result<ConsentGiven, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let consented_by_name = errors.check(
            "consented_by_name",
            required(one_line(&self.consented_by_name, NAME_MAX), "Who consented"),
        );
        let consented_by = errors.check(
            "consented_by",
            self.consented_by
                .ok_or_else(|| missing("Their relation to the client")),
        );
        let consent_scope = errors.check(
            "consent_scope",
            required(
                paragraphs(&self.consent_scope, SCOPE_MAX),
                "What was consented to",
            ),
        );
        let consented_on = errors.check("consented_on", effective_date(self.consented_on, today));
        let version = errors.check("version", version(self.version));
        match (
            consented_by_name,
            consented_by,
            consent_scope,
            consented_on,
            version,
        ) {
            (
                Some(consented_by_name),
                Some(consented_by),
                Some(consent_scope),
                Some(consented_on),
                Some(version),
            ) if errors.is_empty() => Ok(ConsentGiven {
                consented_by_name,
                consented_by,
                consent_scope,
                consented_on,
                version,
            }),
            _ => Err(errors),
        }
    }
}

/// Sending a referral out, with the day to follow it up.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendForm {
    /// Left out: today.
    pub sent_on: Option<NaiveDate>,
    pub follow_up_due: Option<NaiveDate>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sending {
    pub sent_on: NaiveDate,
    pub follow_up_due: NaiveDate,
    pub version: i64,
}

impl SendForm {
    pub fn parse(&self, today: NaiveDate) -> Result<Sending, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let sent_on = errors.check("sent_on", effective_date(self.sent_on, today));
        let follow_up_due = errors.check(
            "follow_up_due",
            follow_up(self.follow_up_due, sent_on.unwrap_or(today)),
        );
        let version = errors.check("version", version(self.version));
        match (sent_on, follow_up_due, version) {
            (Some(sent_on), Some(follow_up_due), Some(version)) if errors.is_empty() => {
                Ok(Sending {
                    sent_on,
                    follow_up_due,
                    version,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The answer to a referral (accepted or declined), or its closing, with what came of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutcomeForm {
    /// Accepted, declined or closed.
    pub status: Option<ReferralStatus>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 4000))]
    pub outcome: String,
    /// Left out: today.
    pub outcome_on: Option<NaiveDate>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: ReferralStatus,
    pub outcome: String,
    pub outcome_on: NaiveDate,
    pub version: i64,
}

impl OutcomeForm {
    pub fn parse(&self, today: NaiveDate) -> Result<Outcome, ValidationErrors> {
        use ReferralStatus::*;
        let mut errors = ValidationErrors::default();
        let status = errors.check(
            "status",
            match self.status {
                None => Err(missing("The outcome")),
                Some(status @ (Accepted | Declined | Closed)) => Ok(status),
                Some(_) => Err(FieldError::new(
                    "invalid_status",
                    "An outcome is accepted, declined or closed",
                )),
            },
        );
        let outcome = errors.check(
            "outcome",
            required(paragraphs(&self.outcome, TEXT_MAX), "What came of it"),
        );
        let outcome_on = errors.check("outcome_on", effective_date(self.outcome_on, today));
        let version = errors.check("version", version(self.version));
        match (status, outcome, outcome_on, version) {
            (Some(status), Some(outcome), Some(outcome_on), Some(version)) if errors.is_empty() => {
                Ok(Outcome {
                    status,
                    outcome,
                    outcome_on,
                    version,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralDirection::{In, Out};
    use ReferralStatus::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_referral_moves_only_forward_and_out_only_with_consent() {
        let out = [
            (Draft, Consented),
            (Consented, Sent),
            (Sent, Accepted),
            (Sent, Declined),
            (Accepted, Closed),
            (Declined, Closed),
        ];
        for from in ReferralStatus::ALL {
            for to in ReferralStatus::ALL {
                assert_eq!(
                    from.may_become(*to, Out),
                    out.contains(&(*from, *to)),
                    "out {from:?} -> {to:?}"
                );
                assert_eq!(
                    from.may_become(*to, In),
                    *from == Received && matches!(to, Accepted | Declined),
                    "in {from:?} -> {to:?}"
                );
            }
        }
        assert_eq!(ReferralStatus::first(Out), Draft);
        assert_eq!(ReferralStatus::first(In), Received);
    }

    #[test]
    fn what_leaves_is_said_out_and_nothing_in() {
        let today = day("2026-12-01");
        let form = ReferralForm {
            direction: Some(Out),
            agency_name: "沙田醫院醫務社會服務部".into(),
            service_type: Some(ServiceType::MedicalSocialService),
            reason: "需要醫務社工跟進".into(),
            follow_up_due: Some(day("2026-12-15")),
            ..ReferralForm::default()
        };
        let errors = form.parse(today).unwrap_err().0;
        assert_eq!(errors["info_shared"].code, "required");
        assert_eq!(errors["follow_up_due"].code, "not_allowed");
        let incoming = ReferralForm {
            direction: Some(In),
            info_shared: "x".into(),
            ..form.clone()
        };
        assert_eq!(
            incoming.parse(today).unwrap_err().0["info_shared"].code,
            "not_allowed"
        );
        let errors = ReferralForm::default().parse(today).unwrap_err().0;
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            ["agency_name", "direction", "reason", "service_type"]
        );
    }

    #[test]
    fn a_follow_up_comes_after_sending() {
        let errors = SendForm {
            sent_on: Some(day("2026-11-20")),
            follow_up_due: Some(day("2026-11-19")),
            version: Some(2),
        }
        .parse(day("2026-12-01"))
        .unwrap_err()
        .0;
        assert_eq!(errors["follow_up_due"].code, "before_start");
        let outcome = OutcomeForm {
            status: Some(Sent),
            ..OutcomeForm::default()
        }
        .parse(day("2026-12-01"))
        .unwrap_err()
        .0;
        assert_eq!(outcome["status"].code, "invalid_status");
        assert_eq!(outcome["outcome"].code, "required");
    }
}
