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
}

impl From<&Instrument> for InstrumentSummary {
    fn from(instrument: &Instrument) -> InstrumentSummary {
        InstrumentSummary {
            code: instrument.code.clone(),
            version: instrument.version,
            name_zh: instrument.name_zh.clone(),
            name_en: instrument.name_en.clone(),
            items: instrument.items.len(),
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

#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentDetails {
    pub client_id: String,
    pub within: Within,
    pub instrument: String,
    pub stage: Stage,
    pub administered_on: NaiveDate,
}

impl AssessmentForm {
    /// The form's own rules; the instrument, the answers and who may be assessed where
    /// are the server's to check.
    pub fn parse(&self, today: NaiveDate) -> Result<AssessmentDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let client_id = errors.check("client_id", required_id(&self.client_id, "client"));
        let id = |raw: &Option<String>, what: &str| {
            raw.as_deref()
                .filter(|id| !id.trim().is_empty())
                .map(|id| required_id(id, what))
                .transpose()
        };
        let within = match (
            errors.check("case_id", id(&self.case_id, "case")),
            errors.check("activity_id", id(&self.activity_id, "group")),
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
            Some(self.instrument.trim())
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| FieldError::new("required", "Choose an instrument")),
        );
        let stage = errors.check(
            "stage",
            self.stage
                .ok_or_else(|| FieldError::new("required", "Choose the stage")),
        );
        let administered_on = errors.check(
            "administered_on",
            effective_date(self.administered_on, today),
        );
        match (client_id, within, instrument, stage, administered_on) {
            (
                Some(client_id),
                Some(within),
                Some(instrument),
                Some(stage),
                Some(administered_on),
            ) if errors.is_empty() => Ok(AssessmentDetails {
                client_id,
                within,
                instrument,
                stage,
                administered_on,
            }),
            _ => Err(errors),
        }
    }
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
}
