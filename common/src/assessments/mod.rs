//! Assessments: an instrument answered by a client, within a case or a group, at a stage
//! of the work, so that change can be measured. The answers and the instrument's version
//! are what is kept; the scores follow from them by [`score`], the same in the browser and
//! in the API.

mod instrument;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use instrument::*;

use crate::cases::{effective_date, required_id, StaffRef};
use crate::error::{FieldError, ValidationErrors};
use crate::stored_codes;
use crate::text::{paragraphs, required};

stored_codes! {
    /// When in the work an assessment is taken, for pre/post comparison.
    pub enum Stage {
        Pre = "pre",
        Mid = "mid",
        Post = "post",
        FollowUp = "follow_up",
    }
}

/// An instrument as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InstrumentSummary {
    pub code: String,
    pub version: i64,
    pub name_zh: String,
    pub name_en: String,
    pub items: usize,
    /// Shipped with FamilyLink, rather than one of the agency's own.
    pub built_in: bool,
}

impl From<&Instrument> for InstrumentSummary {
    fn from(instrument: &Instrument) -> InstrumentSummary {
        InstrumentSummary {
            code: instrument.code.clone(),
            version: instrument.version,
            name_zh: instrument.name_zh.clone(),
            name_en: instrument.name_en.clone(),
            items: instrument.items.len(),
            built_in: builtin(&instrument.code).is_some(),
        }
    }
}

/// Answers to score without keeping them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoreRequest {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub instrument: String,
    #[serde(default)]
    pub answers: Answers,
}

/// Administering an instrument: whose answers, within which case or group, when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssessmentForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub client_id: String,
    /// The case it belongs to; or else the group.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub case_id: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub activity_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub instrument: String,
    pub stage: Option<Stage>,
    /// Today when left out.
    pub administered_on: Option<NaiveDate>,
    #[serde(default)]
    pub answers: Answers,
}

/// Where an assessment belongs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Within {
    Case(String),
    Activity(String),
}

impl Within {
    /// As stored: the case's id or the group's, the other empty.
    pub fn ids(&self) -> (Option<String>, Option<String>) {
        match self {
            Within::Case(id) => (Some(id.clone()), None),
            Within::Activity(id) => (None, Some(id.clone())),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentDetails {
    pub client_id: String,
    pub within: Within,
    pub instrument: String,
    pub stage: Stage,
    pub administered_on: NaiveDate,
}

/// Whose answers, where, which instrument and stage: what administering an assessment and
/// sending a self-completion link both name.
fn parse_subject(
    client_id: &str,
    case_id: &Option<String>,
    activity_id: &Option<String>,
    instrument: &str,
    stage: Option<Stage>,
    errors: &mut ValidationErrors,
) -> Option<(String, Within, String, Stage)> {
    let client_id = errors.check("client_id", required_id(client_id, "client"));
    let id = |raw: &Option<String>, what: &str| {
        raw.as_deref()
            .filter(|id| !id.trim().is_empty())
            .map(|id| required_id(id, what))
            .transpose()
    };
    let within = match (
        errors.check("case_id", id(case_id, "case")),
        errors.check("activity_id", id(activity_id, "group")),
    ) {
        (Some(Some(case)), Some(None)) => Some(Within::Case(case)),
        (Some(None), Some(Some(activity))) => Some(Within::Activity(activity)),
        (Some(case), Some(activity)) => {
            errors.add(
                "case_id",
                if case.is_some() && activity.is_some() {
                    "case_or_group"
                } else {
                    "required"
                },
                "An assessment belongs to one case or one group",
            );
            None
        }
        _ => None,
    };
    let instrument = errors.check(
        "instrument",
        Some(instrument.trim())
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| FieldError::new("required", "Choose an instrument")),
    );
    let stage = errors.check(
        "stage",
        stage.ok_or_else(|| FieldError::new("required", "Choose the stage")),
    );
    Some((client_id?, within?, instrument?, stage?))
}

impl AssessmentForm {
    /// The form's own rules; the instrument, the answers and who may be assessed where
    /// are the server's to check.
    pub fn parse(&self, today: NaiveDate) -> Result<AssessmentDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let subject = parse_subject(
            &self.client_id,
            &self.case_id,
            &self.activity_id,
            &self.instrument,
            self.stage,
            &mut errors,
        );
        let administered_on = errors.check(
            "administered_on",
            effective_date(self.administered_on, today),
        );
        match (subject, administered_on) {
            (Some((client_id, within, instrument, stage)), Some(administered_on))
                if errors.is_empty() =>
            {
                Ok(AssessmentDetails {
                    client_id,
                    within,
                    instrument,
                    stage,
                    administered_on,
                })
            }
            _ => Err(errors),
        }
    }
}

/// How long a self-completion link stays open unless the worker says otherwise, and at
/// most: long enough for a family to find a quiet moment, short enough to go stale.
pub const LINK_DAYS_DEFAULT: i64 = 7;
pub const LINK_DAYS_MAX: i64 = 30;

/// Asking a client to answer an instrument on their own phone, without an account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub client_id: String,
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub case_id: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub activity_id: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub instrument: String,
    pub stage: Option<Stage>,
    /// Days the link stays open: 1 to 30, a week when left out.
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 30))]
    pub valid_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkDetails {
    pub client_id: String,
    pub within: Within,
    pub instrument: String,
    pub stage: Stage,
    pub valid_days: i64,
}

impl LinkForm {
    pub fn parse(&self) -> Result<LinkDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let subject = parse_subject(
            &self.client_id,
            &self.case_id,
            &self.activity_id,
            &self.instrument,
            self.stage,
            &mut errors,
        );
        let valid_days = errors.check(
            "valid_days",
            match self.valid_days.unwrap_or(LINK_DAYS_DEFAULT) {
                days @ 1..=LINK_DAYS_MAX => Ok(days),
                _ => Err(FieldError::new(
                    "out_of_range",
                    format!("A link stays open from 1 to {LINK_DAYS_MAX} days"),
                )),
            },
        );
        match (subject, valid_days) {
            (Some((client_id, within, instrument, stage)), Some(valid_days))
                if errors.is_empty() =>
            {
                Ok(LinkDetails {
                    client_id,
                    within,
                    instrument,
                    stage,
                    valid_days,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A link made: its token is shown this once (only its hash is kept), to give the family
/// as a QR code or as text in a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SelfCompletionLink {
    pub id: String,
    /// The web app's address of the questionnaire, from its root: `/answer/<token>`.
    pub path: String,
    pub expires_at: DateTime<Utc>,
    pub instrument: InstrumentSummary,
    pub stage: Stage,
}

/// What a family sees through a link: the questionnaire and who asks, nothing of their
/// record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SelfCompletion {
    pub instrument: Instrument,
    pub centre_name_zh: String,
    pub centre_name_en: String,
    pub expires_at: DateTime<Utc>,
}

/// The family's answers, with their consent to the centre keeping them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SelfCompletionAnswers {
    #[serde(default)]
    pub consent: bool,
    #[serde(default)]
    pub answers: Answers,
}

/// What the family is told when their answers are in: no scores (their worker explains
/// those), but where to find help at once when an answer calls for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SelfCompletionReceipt {
    pub needs_support: bool,
}

/// An assessment as kept, with its scores as its answers give them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub id: String,
    pub client_id: String,
    /// The person's names, joined as everywhere else.
    pub client_name: String,
    pub case_id: Option<String>,
    pub activity_id: Option<String>,
    pub instrument: InstrumentSummary,
    pub stage: Stage,
    pub administered_on: NaiveDate,
    /// None when the family answered by themselves through a link.
    pub administered_by: Option<StaffRef>,
    pub scoring: Scoring,
    pub created_at: DateTime<Utc>,
}

/// Where an assessment or a link belongs, as a list names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    Case {
        id: String,
        case_number: String,
    },
    Group {
        id: String,
        title_zh: String,
        title_en: String,
    },
}

/// Filters of the assessments the user reads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AssessmentListQuery {
    /// An instrument's code.
    pub instrument: Option<String>,
    pub stage: Option<Stage>,
    /// Administered on or after this day.
    pub from: Option<NaiveDate>,
    /// Administered on or before this day.
    pub to: Option<NaiveDate>,
    /// 1-based page number.
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A validated [`AssessmentListQuery`]; whether the instrument is in use is the server's
/// to check.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentFilter {
    pub instrument: Option<String>,
    pub stage: Option<Stage>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub page: i64,
    pub per_page: i64,
}

impl AssessmentListQuery {
    pub fn parse(&self) -> Result<AssessmentFilter, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (page, per_page) = crate::paging::window(self.page, self.per_page, &mut errors);
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.add("to", "before_from", "The end date is before the start date");
            }
        }
        errors.into_result(|| AssessmentFilter {
            instrument: self
                .instrument
                .as_deref()
                .map(str::trim)
                .filter(|code| !code.is_empty())
                .map(str::to_owned),
            stage: self.stage,
            from: self.from,
            to: self.to,
            page,
            per_page,
        })
    }
}

/// An assessment in the list of all those the user reads, with where it belongs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AssessmentListed {
    pub assessment: Assessment,
    pub place: Place,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AssessmentPage {
    pub items: Vec<AssessmentListed>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

stored_codes! {
    /// Whether the family has answered a self-completion link yet.
    pub enum LinkState {
        Pending = "pending",
        Answered = "answered",
    }
}

/// Filters of the self-completion links sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct LinkListQuery {
    /// Pending when left out: those to chase.
    pub state: Option<LinkState>,
    /// 1-based page number.
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl LinkListQuery {
    /// The state asked for and the page window.
    pub fn parse(&self) -> Result<(LinkState, i64, i64), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (page, per_page) = crate::paging::window(self.page, self.per_page, &mut errors);
        errors.into_result(|| (self.state.unwrap_or(LinkState::Pending), page, per_page))
    }
}

/// A self-completion link as sent; never its token, which was shown once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LinkSent {
    pub id: String,
    pub client_id: String,
    pub client_name: String,
    pub place: Place,
    pub instrument: InstrumentSummary,
    pub stage: Stage,
    pub sent_by: StaffRef,
    pub sent_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Past its time and not answered: the family needs a new link.
    pub expired: bool,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct LinkPage {
    pub items: Vec<LinkSent>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// An alert an assessment raised, open until someone who reaches it acknowledges it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OpenAlert {
    pub assessment_id: String,
    pub alert: String,
    pub message_zh: String,
    pub message_en: String,
    pub client_id: String,
    pub client_name: String,
    pub case_id: Option<String>,
    pub activity_id: Option<String>,
    pub instrument: InstrumentSummary,
    pub administered_on: NaiveDate,
    /// The family answered through a link.
    pub self_completed: bool,
}

/// Acknowledging an alert: what was done about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub assessment_id: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub alert: String,
    /// What was done: at least a few words, for whoever reads it later.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 1000))]
    pub note: String,
}

impl AcknowledgementForm {
    pub fn parse(&self) -> Result<(String, String, String), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let assessment_id = errors.check(
            "assessment_id",
            required_id(&self.assessment_id, "assessment"),
        );
        let alert = errors.check(
            "alert",
            Some(self.alert.trim())
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| FieldError::new("required", "Name the alert")),
        );
        let note = errors.check(
            "note",
            required(paragraphs(&self.note, NOTE_LIMIT), "What was done"),
        );
        match (assessment_id, alert, note) {
            (Some(a), Some(b), Some(c)) if errors.is_empty() => Ok((a, b, c)),
            _ => Err(errors),
        }
    }
}

const NOTE_LIMIT: usize = 1000;

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    #[test]
    fn an_assessment_belongs_to_one_case_or_one_group() {
        let form = AssessmentForm {
            client_id: "c1".into(),
            case_id: Some("k1".into()),
            instrument: "phq9".into(),
            stage: Some(Stage::Pre),
            ..AssessmentForm::default()
        };
        let details = form.parse(today()).unwrap();
        assert_eq!(details.within, Within::Case("k1".into()));
        assert_eq!(details.administered_on, today());

        let both = AssessmentForm {
            activity_id: Some("g1".into()),
            ..form.clone()
        };
        assert_eq!(
            both.parse(today()).unwrap_err().0["case_id"].code,
            "case_or_group"
        );
        let neither = AssessmentForm {
            case_id: Some(" ".into()),
            ..form.clone()
        };
        assert_eq!(
            neither.parse(today()).unwrap_err().0["case_id"].code,
            "required"
        );
        let errors = AssessmentForm {
            instrument: String::new(),
            stage: None,
            administered_on: NaiveDate::from_ymd_opt(2026, 12, 4),
            ..form
        }
        .parse(today())
        .unwrap_err();
        assert_eq!(errors.0["instrument"].code, "required");
        assert_eq!(errors.0["stage"].code, "required");
        assert_eq!(errors.0["administered_on"].code, "date_in_future");
    }

    #[test]
    fn list_filters_name_their_field() {
        let day = NaiveDate::from_ymd_opt;
        let filter = AssessmentListQuery {
            instrument: Some(" ".into()),
            ..AssessmentListQuery::default()
        }
        .parse()
        .unwrap();
        assert_eq!((filter.instrument, filter.page), (None, 1));
        let errors = AssessmentListQuery {
            from: day(2026, 12, 3),
            to: day(2026, 12, 2),
            per_page: Some(101),
            ..AssessmentListQuery::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.0["to"].code, "before_from");
        assert_eq!(errors.0["per_page"].code, "out_of_range");
    }

    #[test]
    fn a_link_stays_open_a_week_unless_told() {
        let form = LinkForm {
            client_id: "c1".into(),
            activity_id: Some("g1".into()),
            instrument: "phq9".into(),
            stage: Some(Stage::Mid),
            ..LinkForm::default()
        };
        let details = form.parse().unwrap();
        assert_eq!(details.valid_days, LINK_DAYS_DEFAULT);
        assert_eq!(details.within, Within::Activity("g1".into()));
        for days in [0, 31] {
            let errors = LinkForm {
                valid_days: Some(days),
                ..form.clone()
            }
            .parse()
            .unwrap_err();
            assert_eq!(errors.0["valid_days"].code, "out_of_range");
        }
    }
}
