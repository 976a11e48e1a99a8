//! The rules of a case's plan: who reads it (whoever reads the case; review summaries
//! only those who read its narrative), who changes it (whoever works on the case, while
//! it is not closed), and that a review sets the day of the next one.

use std::collections::HashMap;

use common::case_plans::{is_due, CaseGoal, CasePlan, CaseReview, GoalForm, PlanForm, ReviewForm};
use common::cases::StaffRef;
use serde_json::json;

use super::store::{self, GoalRow};
use crate::audit::{self, ReadAudit};
use crate::case_notes::service::reads_narrative;
use crate::cases::service::{readable, running};
use crate::cases::store as cases;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

fn goal(row: GoalRow, staff: &HashMap<String, StaffRef>) -> Result<CaseGoal, ApiError> {
    let status = row.status()?;
    Ok(CaseGoal {
        overdue: status.is_open() && row.target_date < hong_kong_today(),
        created_by: cases::staff_ref(staff, &row.created_by)?,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
        id: row.id,
        case_id: row.case_id,
        description: row.description,
        target_date: row.target_date,
        status,
        version: row.version,
    })
}

/// The case's plan as the API gives it.
fn plan(conn: &mut DbConnection, case_id: &str, narrative: bool) -> Result<CasePlan, ApiError> {
    let plan = store::plan(conn, case_id)?;
    let goals = store::goals(conn, case_id)?;
    let reviews = store::reviews(conn, case_id)?;
    let mut staff_ids: Vec<&str> = goals.iter().map(|g| g.created_by.as_str()).collect();
    staff_ids.extend(reviews.iter().map(|r| r.reviewer_id.as_str()));
    staff_ids.extend(plan.iter().map(|p| p.updated_by.as_str()));
    let staff = cases::staff(conn, &staff_ids)?;
    let next_review_on = plan.as_ref().and_then(|p| p.next_review_on);
    Ok(CasePlan {
        case_id: case_id.to_owned(),
        next_review_on,
        review_due: next_review_on.is_some_and(|day| is_due(day, hong_kong_today())),
        version: plan.as_ref().map_or(0, |p| p.version),
        updated_by: plan
            .as_ref()
            .map(|p| cases::staff_ref(&staff, &p.updated_by))
            .transpose()?,
        updated_at: plan.as_ref().map(|p| utc(p.updated_at)),
        goals: goals
            .into_iter()
            .map(|row| goal(row, &staff))
            .collect::<Result<_, _>>()?,
        reviews: reviews
            .into_iter()
            .map(|row| {
                Ok(CaseReview {
                    reviewer: cases::staff_ref(&staff, &row.reviewer_id)?,
                    summary: narrative.then_some(row.summary),
                    id: row.id,
                    reviewed_on: row.reviewed_on,
                    next_review_on: row.next_review_on,
                    created_at: utc(row.created_at),
                })
            })
            .collect::<Result<_, ApiError>>()?,
    })
}

pub fn view(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    case_id: &str,
) -> Result<CasePlan, ApiError> {
    readable(conn, principal, case_id)?;
    let narrative = reads_narrative(conn, principal, case_id)?;
    let plan = plan(conn, case_id, narrative)?;
    reads.record(
        &principal.actor(),
        "case_plan.view",
        ("case", Some(case_id)),
        Some(json!({ "narrative": narrative })),
    )?;
    Ok(plan)
}

/// Sets or clears the day of the next review.
pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
    form: &PlanForm,
) -> Result<CasePlan, ApiError> {
    let change = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        running(conn, principal, case_id)?;
        if !store::set_next_review(
            conn,
            case_id,
            change.version,
            change.next_review_on,
            &principal.user_id,
            now(),
        )? {
            return Err(ApiError::version_conflict("plan"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "case_plan.update",
            ("case", Some(case_id)),
            Some(json!({ "next_review_on": change.next_review_on })),
        )?;
        plan(conn, case_id, true)
    })
}

pub fn add_goal(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
    form: &GoalForm,
) -> Result<CaseGoal, ApiError> {
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new goal has no version",
        ));
    }
    let details = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        running(conn, principal, case_id)?;
        let id = new_id();
        store::insert_goal(conn, &id, case_id, &details, &principal.user_id, now())?;
        audit::record(
            conn,
            &principal.actor(),
            "case_goal.create",
            ("case_goal", Some(&id)),
            Some(json!({ "case": case_id })),
        )?;
        saved_goal(conn, &id)
    })
}

pub fn update_goal(
    conn: &mut DbConnection,
    principal: &Principal,
    goal_id: &str,
    form: &GoalForm,
) -> Result<CaseGoal, ApiError> {
    let Some(version) = form.version else {
        return Err(ApiError::field(
            "version",
            "required",
            "The version read is required to change a goal",
        ));
    };
    let details = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        // A goal of a case the user cannot see is as unknown as the case.
        let row = store::goal(conn, goal_id)?.ok_or(ApiError::NotFound)?;
        running(conn, principal, &row.case_id)?;
        if row.version != version
            || !store::update_goal_if_version(conn, goal_id, version, &details, now())?
        {
            return Err(ApiError::version_conflict("goal"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "case_goal.update",
            ("case_goal", Some(goal_id)),
            Some(json!({ "case": row.case_id, "status": details.status.as_str() })),
        )?;
        saved_goal(conn, goal_id)
    })
}

fn saved_goal(conn: &mut DbConnection, id: &str) -> Result<CaseGoal, ApiError> {
    let row = store::goal(conn, id)?.ok_or(ApiError::NotFound)?;
    let staff = cases::staff(conn, &[row.created_by.as_str()])?;
    goal(row, &staff)
}

/// Records a review, which moves the plan's next review to the day it names.
pub fn review(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
    form: &ReviewForm,
) -> Result<CasePlan, ApiError> {
    let review = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        running(conn, principal, case_id)?;
        let at = now();
        if !store::set_next_review(
            conn,
            case_id,
            review.version,
            Some(review.next_review_on),
            &principal.user_id,
            at,
        )? {
            return Err(ApiError::version_conflict("plan"));
        }
        store::insert_review(conn, case_id, &review, &principal.user_id, at)?;
        audit::record(
            conn,
            &principal.actor(),
            "case_review.create",
            ("case", Some(case_id)),
            Some(json!({ "next_review_on": review.next_review_on })),
        )?;
        plan(conn, case_id, true)
    })
}
