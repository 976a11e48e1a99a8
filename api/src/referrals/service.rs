//! The rules of referrals: who reads them (whoever reads the case; reason, information
//! shared and the scope of consent only those who read its narrative), who makes and moves
//! them (whoever works on the case, while it is not closed), the order of their steps
//! (`ReferralStatus::may_become`), and that nothing is sent before consent is recorded.

use std::collections::HashMap;

use chrono::NaiveDate;
use common::case_plans::is_due;
use common::cases::StaffRef;
use common::referrals::{
    Consent, ConsentForm, OutcomeForm, Referral, ReferralDirection, ReferralForm, ReferralStatus,
    SendForm,
};
use serde_json::json;

use super::store::{self, ReferralRow, Step};
use crate::audit::{self, ReadAudit};
use crate::case_notes::service::reads_narrative;
use crate::cases::service::{readable, running};
use crate::cases::store as cases;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

fn referral(
    row: ReferralRow,
    staff: &HashMap<String, StaffRef>,
    narrative: bool,
) -> Result<Referral, ApiError> {
    let status = row.status()?;
    let consent = match (
        row.consented_by()?,
        row.consented_on,
        row.consent_recorded_by.as_deref(),
        row.consent_recorded_at,
    ) {
        (Some(consented_by), Some(consented_on), Some(recorded_by), Some(recorded_at)) => {
            Some(Consent {
                consented_by_name: row.consented_by_name.clone().unwrap_or_default(),
                consented_by,
                consent_scope: row.consent_scope.clone().filter(|_| narrative),
                consented_on,
                recorded_by: cases::staff_ref(staff, recorded_by)?,
                recorded_at: utc(recorded_at),
            })
        }
        _ => None,
    };
    Ok(Referral {
        direction: row.direction()?,
        service_type: row.service_type()?,
        follow_up_overdue: status.awaits_answer()
            && row
                .follow_up_due
                .is_some_and(|day| is_due(day, hong_kong_today())),
        status,
        consent,
        created_by: cases::staff_ref(staff, &row.created_by)?,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
        reason: narrative.then_some(row.reason),
        info_shared: narrative.then_some(row.info_shared),
        id: row.id,
        case_id: row.case_id,
        agency_name: row.agency_name,
        sent_on: row.sent_on,
        follow_up_due: row.follow_up_due,
        outcome: row.outcome,
        outcome_on: row.outcome_on,
        version: row.version,
    })
}

/// Referrals as the API gives them, in the order given.
fn referrals(
    conn: &mut DbConnection,
    rows: Vec<ReferralRow>,
    narrative: bool,
) -> Result<Vec<Referral>, ApiError> {
    let mut staff_ids: Vec<&str> = rows.iter().map(|r| r.created_by.as_str()).collect();
    staff_ids.extend(rows.iter().filter_map(|r| r.consent_recorded_by.as_deref()));
    let staff = cases::staff(conn, &staff_ids)?;
    rows.into_iter()
        .map(|row| referral(row, &staff, narrative))
        .collect()
}

fn saved(conn: &mut DbConnection, id: &str) -> Result<Referral, ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    referrals(conn, vec![row], true)?
        .pop()
        .ok_or(ApiError::NotFound)
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    case_id: &str,
) -> Result<Vec<Referral>, ApiError> {
    readable(conn, principal, case_id)?;
    let narrative = reads_narrative(conn, principal, case_id)?;
    let rows = store::of_case(conn, case_id)?;
    let list = referrals(conn, rows, narrative)?;
    reads.record(
        &principal.actor(),
        "referral.list",
        ("case", Some(case_id)),
        Some(json!({ "shown": list.len(), "narrative": narrative })),
    )?;
    Ok(list)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
    form: &ReferralForm,
) -> Result<Referral, ApiError> {
    let new = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        running(conn, principal, case_id)?;
        let id = new_id();
        store::insert(conn, &id, case_id, &new, &principal.user_id, now())?;
        audit::record(
            conn,
            &principal.actor(),
            "referral.create",
            ("referral", Some(&id)),
            Some(json!({ "case": case_id, "direction": new.direction.as_str() })),
        )?;
        saved(conn, &id)
    })
}

/// One step of a referral, in one transaction with its audit entry: the referral must
/// be one the user may change, at the version read, and allowed to move to `to`.
struct Move<'a> {
    referral_id: &'a str,
    version: i64,
    to: ReferralStatus,
    /// The day the step took place, and the field that gave it.
    on: (&'static str, NaiveDate),
    action: &'static str,
    step: Step<'a>,
}

/// The day of a referral's last step, which the next one may not come before.
fn last_step(row: &ReferralRow) -> Option<NaiveDate> {
    [row.consented_on, row.sent_on, row.outcome_on]
        .into_iter()
        .flatten()
        .max()
}

fn step(conn: &mut DbConnection, principal: &Principal, step: Move) -> Result<Referral, ApiError> {
    db::transaction(conn, |conn| {
        // A referral of a case the user cannot see is as unknown as the case.
        let row = store::find(conn, step.referral_id)?.ok_or(ApiError::NotFound)?;
        running(conn, principal, &row.case_id)?;
        if row.version != step.version {
            return Err(ApiError::version_conflict("referral"));
        }
        let (from, direction) = (row.status()?, row.direction()?);
        // Information leaves only with consent: said apart from any other refusal, so
        // the worker knows what is missing.
        if step.to == ReferralStatus::Sent
            && direction == ReferralDirection::Out
            && row.consented_on.is_none()
        {
            return Err(ApiError::Conflict {
                code: "consent_required",
                message: "Record the consent before sending the referral".into(),
                field: None,
            });
        }
        if !from.may_become(step.to, direction) {
            return Err(ApiError::Conflict {
                code: "invalid_transition",
                message: format!(
                    "A referral {} that is {} cannot become {}",
                    direction.as_str(),
                    from.as_str(),
                    step.to.as_str()
                ),
                field: Some("status".into()),
            });
        }
        let (field, on) = step.on;
        if let Some(last) = last_step(&row).filter(|last| on < *last) {
            return Err(ApiError::field(
                field,
                "before_last_step",
                format!("The date cannot be before the referral's last step ({last})"),
            ));
        }
        if !store::step_if_version(
            conn,
            step.referral_id,
            step.version,
            step.to,
            &step.step,
            now(),
        )? {
            return Err(ApiError::version_conflict("referral"));
        }
        audit::record(
            conn,
            &principal.actor(),
            step.action,
            ("referral", Some(step.referral_id)),
            Some(json!({ "case": row.case_id, "status": step.to.as_str() })),
        )?;
        saved(conn, step.referral_id)
    })
}

pub fn consent(
    conn: &mut DbConnection,
    principal: &Principal,
    referral_id: &str,
    form: &ConsentForm,
) -> Result<Referral, ApiError> {
    let consent = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    let at = now();
    step(
        conn,
        principal,
        Move {
            referral_id,
            version: consent.version,
            to: ReferralStatus::Consented,
            on: ("consented_on", consent.consented_on),
            action: "referral.consent",
            step: Step::consent(&consent, &principal.user_id, at),
        },
    )
}

pub fn send(
    conn: &mut DbConnection,
    principal: &Principal,
    referral_id: &str,
    form: &SendForm,
) -> Result<Referral, ApiError> {
    let sending = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    step(
        conn,
        principal,
        Move {
            referral_id,
            version: sending.version,
            to: ReferralStatus::Sent,
            on: ("sent_on", sending.sent_on),
            action: "referral.send",
            step: Step::sending(&sending),
        },
    )
}

pub fn outcome(
    conn: &mut DbConnection,
    principal: &Principal,
    referral_id: &str,
    form: &OutcomeForm,
) -> Result<Referral, ApiError> {
    let outcome = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    step(
        conn,
        principal,
        Move {
            referral_id,
            version: outcome.version,
            to: outcome.status,
            on: ("outcome_on", outcome.outcome_on),
            action: "referral.outcome",
            step: Step::outcome(&outcome),
        },
    )
}
