//! A case's plan: the goals agreed with the family, each with a target date and where it
//! stands, and the reviews that look back on them and set the day of the next one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::{effective_date, missing, version, CaseSummary, StaffRef};
use crate::error::{FieldError, ValidationErrors};
use crate::stored_codes;
use crate::text::{paragraphs, required};

stored_codes! {
    /// Where a goal stands. The last four are outcomes: a goal with one is settled.
    pub enum GoalStatus {
        NotStarted = "not_started",
        InProgress = "in_progress",
        Achieved = "achieved",
        PartlyAchieved = "partly_achieved",
        NotAchieved = "not_achieved",
        Discontinued = "discontinued",
    }
}

impl GoalStatus {
    /// Whether work on the goal goes on: only such a goal can be overdue.
    pub fn is_open(self) -> bool {
        matches!(self, GoalStatus::NotStarted | GoalStatus::InProgress)
    }
}

pub const DESCRIPTION_MAX: usize = 1000;
pub const SUMMARY_MAX: usize = 4000;

/// A day that is due: today or before. Dates are Hong Kong days.
pub fn is_due(day: NaiveDate, today: NaiveDate) -> bool {
    day <= today
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseGoal {
    pub id: String,
    pub case_id: String,
    pub description: String,
    pub target_date: NaiveDate,
    pub status: GoalStatus,
    /// Still open and past its target date.
    pub overdue: bool,
    pub version: i64,
    pub created_by: StaffRef,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CaseReview {
    pub id: String,
    pub reviewed_on: NaiveDate,
    /// None for a reader who may see the case but not its narrative (an agency admin).
    pub summary: Option<String>,
    pub next_review_on: NaiveDate,
    pub reviewer: StaffRef,
    pub created_at: DateTime<Utc>,
}

/// A case's plan as its page shows it. A case whose plan nobody has written yet has one
/// at version 0, without a review date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CasePlan {
    pub case_id: String,
    pub next_review_on: Option<NaiveDate>,
    /// The next review's day has come or passed.
    pub review_due: bool,
    pub version: i64,
    pub updated_by: Option<StaffRef>,
    pub updated_at: Option<DateTime<Utc>>,
    /// By target date, the nearest first.
    pub goals: Vec<CaseGoal>,
    /// The latest first.
    pub reviews: Vec<CaseReview>,
}

/// A case whose review is due, for the homes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReviewDue {
    pub case: CaseSummary,
    pub next_review_on: NaiveDate,
}

/// A day planned ahead (a target, a review): required, and within the century.
fn planned(day: Option<NaiveDate>, what: &str) -> Result<NaiveDate, FieldError> {
    let day = day.ok_or_else(|| missing(what))?;
    let earliest = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN);
    let latest = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX);
    if day < earliest {
        Err(FieldError::new(
            "date_too_early",
            "The date cannot be before 2000",
        ))
    } else if day > latest {
        Err(FieldError::new(
            "date_too_late",
            "The date is too far ahead",
        ))
    } else {
        Ok(day)
    }
}

/// Setting (or clearing) the day of the next review, at the plan's version.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanForm {
    /// Left out: no review planned.
    pub next_review_on: Option<NaiveDate>,
    /// The plan's version as read (0 for a plan not written yet).
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanChange {
    pub next_review_on: Option<NaiveDate>,
    pub version: i64,
}

impl PlanForm {
    pub fn parse(&self, today: NaiveDate) -> Result<PlanChange, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let next_review_on = errors.check(
            "next_review_on",
            match self.next_review_on {
                None => Ok(None),
                Some(day) if day < today => Err(FieldError::new(
                    "date_in_past",
                    "The next review cannot be in the past",
                )),
                day => planned(day, "The next review").map(Some),
            },
        );
        let version = errors.check("version", version(self.version));
        match (next_review_on, version) {
            (Some(next_review_on), Some(version)) if errors.is_empty() => Ok(PlanChange {
                next_review_on,
                version,
            }),
            _ => Err(errors),
        }
    }
}

/// Adding a goal, or changing one (with the version it was read at).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GoalForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 1000))]
    pub description: String,
    pub target_date: Option<NaiveDate>,
    /// Left out on a new goal: not started.
    pub status: Option<GoalStatus>,
    /// Required to change a goal, absent to add one.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoalDetails {
    pub description: String,
    pub target_date: NaiveDate,
    pub status: GoalStatus,
}

impl GoalForm {
    pub fn parse(&self) -> Result<GoalDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let description = errors.check(
            "description",
            required(paragraphs(&self.description, DESCRIPTION_MAX), "The goal"),
        );
        let target_date = errors.check("target_date", planned(self.target_date, "The target date"));
        match (description, target_date) {
            (Some(description), Some(target_date)) if errors.is_empty() => Ok(GoalDetails {
                description,
                target_date,
                status: self.status.unwrap_or(GoalStatus::NotStarted),
            }),
            _ => Err(errors),
        }
    }
}

/// A review of the plan: what was found, and when to look again. It changes the plan,
/// so it carries the plan's version.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewForm {
    /// Left out: today.
    pub reviewed_on: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 4000))]
    pub summary: String,
    pub next_review_on: Option<NaiveDate>,
    /// The plan's version as read (0 for a plan not written yet).
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub reviewed_on: NaiveDate,
    pub summary: String,
    pub next_review_on: NaiveDate,
    pub version: i64,
}

impl ReviewForm {
    pub fn parse(&self, today: NaiveDate) -> Result<Review, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reviewed_on = errors.check("reviewed_on", effective_date(self.reviewed_on, today));
        let summary = errors.check(
            "summary",
            required(paragraphs(&self.summary, SUMMARY_MAX), "The summary"),
        );
        let next_review_on = errors.check(
            "next_review_on",
            planned(self.next_review_on, "The next review").and_then(|next| {
                if next <= reviewed_on.unwrap_or(today).max(today) {
                    Err(FieldError::new(
                        "not_after_review",
                        "The next review comes after today and after this one",
                    ))
                } else {
                    Ok(next)
                }
            }),
        );
        let version = errors.check("version", version(self.version));
        match (reviewed_on, summary, next_review_on, version) {
            (Some(reviewed_on), Some(summary), Some(next_review_on), Some(version))
                if errors.is_empty() =>
            {
                Ok(Review {
                    reviewed_on,
                    summary,
                    next_review_on,
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

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn only_open_goals_run_late() {
        let open: Vec<_> = GoalStatus::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [&GoalStatus::NotStarted, &GoalStatus::InProgress]);
        assert!(is_due(day("2026-12-01"), day("2026-12-01")));
        assert!(!is_due(day("2026-12-02"), day("2026-12-01")));
    }

    #[test]
    fn a_review_looks_ahead() {
        let today = day("2026-12-01");
        let form = ReviewForm {
            reviewed_on: Some(day("2026-11-20")),
            summary: "目標一已達成。".into(),
            next_review_on: Some(day("2026-12-01")),
            version: Some(0),
        };
        let errors = form.parse(today).unwrap_err().0;
        assert_eq!(errors["next_review_on"].code, "not_after_review");
        let review = ReviewForm {
            next_review_on: Some(day("2027-03-01")),
            ..form
        }
        .parse(today)
        .unwrap();
        assert_eq!(review.next_review_on, day("2027-03-01"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = GoalForm {
            description: " ".into(),
            target_date: None,
            ..GoalForm::default()
        }
        .parse()
        .unwrap_err()
        .0;
        assert_eq!(errors["description"].code, "required");
        assert_eq!(errors["target_date"].code, "required");
        let errors = PlanForm {
            next_review_on: Some(day("2026-11-30")),
            version: None,
        }
        .parse(day("2026-12-01"))
        .unwrap_err()
        .0;
        assert_eq!(errors["next_review_on"].code, "date_in_past");
        assert_eq!(errors["version"].code, "required");
        let errors = ReviewForm::default()
            .parse(day("2026-12-01"))
            .unwrap_err()
            .0;
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(fields, ["next_review_on", "summary", "version"]);
    }
}
