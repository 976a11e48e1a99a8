//! Recording a concern about a child on a case and the decision on it, each in one
//! transaction with its audit entry. Concerns are as private as the case's narrative, so
//! they are reached as case notes are; who reported is decided by
//! `common::child_protection::sees_reporter` and nowhere else.

use std::collections::HashMap;

use chrono::Utc;
use common::child_protection::{
    escalated, may_decide, sees_reporter, Concern, ConcernForm, DecisionForm, HarmLevel, HarmType,
    ProtectionDecision, ReportedTo, Viewer, ADULT_AGE,
};
use common::identity::{Access, Records};
use serde_json::json;

use super::store::{self, ConcernRow, Decided, NewConcernRow};
use crate::audit::{self, ReadAudit};
use crate::cases::store as cases;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, stored_code, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// The case, if the user reaches its narrative for `access`; else as unknown as the case.
fn case_of(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
    access: Access,
) -> Result<cases::CaseRow, ApiError> {
    // Who reads the case but not its narrative (an agency admin) finds no concerns.
    let scope = principal
        .record_scope(Records::CaseNotes, access)
        .map_err(|_| ApiError::NotFound)?;
    cases::find(conn, case_id, &scope)?.ok_or(ApiError::NotFound)
}

fn viewer(principal: &Principal) -> Viewer<'_> {
    Viewer {
        user_id: &principal.user_id,
        roles: &principal.roles,
        centre_id: principal.centre_id.as_deref(),
    }
}

fn concerns(
    conn: &mut DbConnection,
    principal: &Principal,
    rows: Vec<ConcernRow>,
    window: chrono::Duration,
) -> Result<Vec<Concern>, ApiError> {
    let case_ids: Vec<&str> = rows.iter().map(|r| r.case_id.as_str()).collect();
    let case_rows: HashMap<String, cases::CaseRow> = case_ids
        .iter()
        .map(|id| cases::case_by_id(conn, id).map(|row| (row.id.clone(), row)))
        .collect::<Result<_, _>>()?;
    let child_ids: Vec<&str> = rows.iter().map(|r| r.child_id.as_str()).collect();
    let children: HashMap<String, common::cases::CasePerson> = cases::people(conn, &child_ids)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let staff_ids: Vec<&str> = rows
        .iter()
        .flat_map(|r| [Some(r.recorded_by.as_str()), r.decided_by.as_deref()])
        .flatten()
        .collect();
    let staff = cases::staff(conn, &staff_ids)?;
    let viewer = viewer(principal);
    let now = Utc::now();
    rows.into_iter()
        .map(|row| {
            let case = &case_rows[&row.case_id];
            let named = sees_reporter(&viewer, &row.recorded_by, &case.centre_id);
            let staff_of = |id: &Option<String>| -> Result<_, ApiError> {
                match id {
                    Some(id) if named => Ok(Some(cases::staff_ref(&staff, id)?)),
                    _ => Ok(None),
                }
            };
            let recorded_at = utc(row.recorded_at);
            Ok(Concern {
                id: row.id.clone(),
                case_id: row.case_id.clone(),
                case_number: case.case_number.clone(),
                child: children
                    .get(&row.child_id)
                    .cloned()
                    .ok_or(ApiError::NotFound)?,
                harm_types: row
                    .harm_types
                    .split(',')
                    .map(|code| {
                        stored_code(
                            HarmType::parse,
                            "child_protection_concerns.harm_types",
                            code,
                        )
                    })
                    .collect::<Result<_, _>>()?,
                harm_level: stored_code(
                    HarmLevel::parse,
                    "child_protection_concerns.harm_level",
                    &row.harm_level,
                )?,
                grounds: row.grounds.clone(),
                identified_on: row.identified_on,
                recorded_at,
                reporter: staff_of(&Some(row.recorded_by.clone()))?,
                decision: row
                    .decision
                    .as_deref()
                    .map(|d| {
                        stored_code(
                            ProtectionDecision::parse,
                            "child_protection_concerns.decision",
                            d,
                        )
                    })
                    .transpose()?,
                reasons: row.reasons.clone(),
                reported_to: row
                    .reported_to
                    .as_deref()
                    .map(|d| {
                        stored_code(
                            ReportedTo::parse,
                            "child_protection_concerns.reported_to",
                            d,
                        )
                    })
                    .transpose()?,
                reported_at: row.reported_at.map(utc),
                reference_number: row.reference_number.clone(),
                decided_by: staff_of(&row.decided_by)?,
                decided_at: row.decided_at.map(utc),
                escalated: escalated(recorded_at, row.decided_at.is_some(), now, window),
                may_decide: row.decided_at.is_none()
                    && may_decide(&viewer, &row.recorded_by, &case.centre_id),
                version: row.version,
            })
        })
        .collect()
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    case_id: &str,
    window: chrono::Duration,
) -> Result<Vec<Concern>, ApiError> {
    case_of(conn, principal, case_id, Access::Read)?;
    let rows = store::of_case(conn, case_id)?;
    let list = concerns(conn, principal, rows, window)?;
    reads.record(
        &principal.actor(),
        "child_protection.list",
        ("case", Some(case_id)),
        Some(json!({ "shown": list.len() })),
    )?;
    Ok(list)
}

/// The undecided concerns of the cases the user works on: a worker's own cases, a
/// supervisor's centre (where those waiting too long are theirs to follow up).
pub fn awaiting(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    window: chrono::Duration,
) -> Result<Vec<Concern>, ApiError> {
    let scope = principal.record_scope(Records::CaseNotes, Access::Write)?;
    let rows = store::undecided_within(conn, &scope)?;
    let list = concerns(conn, principal, rows, window)?;
    reads.record(
        &principal.actor(),
        "child_protection.awaiting",
        ("child_protection_concern", None),
        Some(json!({ "shown": list.len() })),
    )?;
    Ok(list)
}

pub fn record(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
    form: &ConcernForm,
    window: chrono::Duration,
) -> Result<Concern, ApiError> {
    let new = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let case = case_of(conn, principal, case_id, Access::Write)?;
        if case.state()? == common::cases::CaseState::Closed {
            return Err(ApiError::conflict(
                "case_closed",
                "The case is closed: reactivate it to change it",
            ));
        }
        if !cases::people_ids(conn, case_id)?.contains(&new.child_id) {
            return Err(ApiError::field(
                "child_id",
                "not_on_case",
                "The child must be the case's client or a member involved",
            ));
        }
        let born = store::born(conn, &new.child_id)?.ok_or(ApiError::NotFound)?;
        if common::person::age_on(born, new.identified_on) >= ADULT_AGE {
            return Err(ApiError::field(
                "child_id",
                "not_a_child",
                "The ordinance covers children under 18",
            ));
        }
        let id = new_id();
        let harm_types: Vec<&str> = new.harm_types.iter().map(|h| h.as_str()).collect();
        store::insert(
            conn,
            &NewConcernRow {
                id: &id,
                case_id,
                child_id: &new.child_id,
                harm_types: &harm_types.join(","),
                harm_level: new.harm_level.as_str(),
                grounds: &new.grounds,
                identified_on: new.identified_on,
                recorded_by: &principal.user_id,
                recorded_at: now(),
            },
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "child_protection.record",
            ("child_protection_concern", Some(&id)),
            Some(json!({ "case": case_id })),
        )?;
        saved(conn, principal, &id, window)
    })
}

fn saved(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    window: chrono::Duration,
) -> Result<Concern, ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    concerns(conn, principal, vec![row], window)?
        .pop()
        .ok_or(ApiError::NotFound)
}

pub fn decide(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &DecisionForm,
    window: chrono::Duration,
) -> Result<Concern, ApiError> {
    let decision = form.parse(Utc::now()).map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        // A concern of a case the user cannot reach is as unknown as the case.
        let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let case = case_of(conn, principal, &row.case_id, Access::Write)?;
        if row.decided_at.is_some() {
            return Err(ApiError::conflict(
                "already_decided",
                "The decision on this concern is recorded already",
            ));
        }
        if !may_decide(&viewer(principal), &row.recorded_by, &case.centre_id) {
            return Err(ApiError::Forbidden);
        }
        let report = decision.report.as_ref();
        let decided = Decided {
            decision: decision.decision.as_str(),
            reasons: &decision.reasons,
            reported_to: report.map(|(to, _, _)| to.as_str()),
            reported_at: report.map(|(_, at, _)| crate::db::to_milliseconds(at.naive_utc())),
            reference_number: report.map(|(_, _, reference)| reference.as_str()),
            decided_by: &principal.user_id,
            decided_at: now(),
        };
        if !store::decide_if_version(conn, id, decision.version, &decided)? {
            return Err(ApiError::version_conflict("concern"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "child_protection.decide",
            ("child_protection_concern", Some(id)),
            Some(json!({ "case": row.case_id, "decision": decision.decision.as_str() })),
        )?;
        saved(conn, principal, id, window)
    })
}
