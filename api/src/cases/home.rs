//! What a caseworker's home shows: the work waiting for them and, for a supervisor, for
//! the centre. Built from the same reach as every other read of cases.

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use common::case_plans::ReviewDue;
use common::cases::{CaseListQuery, CaseSummary, CaseType, CaseworkHome, Pending, WorkerLoad};
use common::identity::{Access, Permission, Records};
use common::referrals::ReferralDue;
use serde_json::json;

use super::service::transfers_awaiting;
use super::store;
use crate::audit::ReadAudit;
use crate::clients::service::hong_kong_today;
use crate::config::CaseloadWeights;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::identity::{Principal, RecordScope};

/// How many cases each list on a home shows at most.
const SHOWN: i64 = 20;

pub fn home(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    note_due_days: i64,
    weights: CaseloadWeights,
) -> Result<CaseworkHome, ApiError> {
    let scope = principal.record_scope(Records::Cases, Access::Write)?;
    let since = (Utc::now() - Duration::days(note_due_days)).naive_utc();
    let opened_by = hong_kong_today() - Duration::days(note_due_days);
    let overdue = store::notes_overdue(conn, &scope, since, opened_by, SHOWN)?;
    let notes_overdue = store::summaries(conn, overdue)?;
    let open_cases = store::count_in_state(conn, &scope, common::cases::CaseState::Open)?;
    let transfers = transfers_awaiting(conn, principal, reads)?;
    let supervises = principal.roles.can(Permission::SuperviseCases);
    let (closures_waiting, caseload) = match (supervises, principal.centre_id.as_deref()) {
        (true, Some(centre_id)) => {
            let waiting = CaseListQuery {
                pending: Some(Pending::Closure),
                ..CaseListQuery::default()
            };
            let (rows, _) = store::list(conn, &scope, &waiting, (1, SHOWN))?;
            let rows = rows
                .into_iter()
                .filter(|row| row.responsible_worker_id != principal.user_id)
                .collect();
            (
                store::summaries(conn, rows)?,
                caseload(conn, centre_id, weights)?,
            )
        }
        _ => (Vec::new(), Vec::new()),
    };
    let today = hong_kong_today();
    let due = crate::case_plans::store::reviews_due(conn, &scope, today, SHOWN)?;
    let case_ids: Vec<&str> = due.iter().map(|(case_id, _)| case_id.as_str()).collect();
    let reviews_due: Vec<ReviewDue> = in_order(conn, &scope, &case_ids)?
        .into_iter()
        .zip(due.iter().map(|(_, day)| *day))
        .map(|(case, next_review_on)| ReviewDue {
            case,
            next_review_on,
        })
        .collect();
    let follow_ups = crate::referrals::store::follow_ups_due(conn, &scope, today, SHOWN)?;
    let case_ids: Vec<&str> = follow_ups.iter().map(|r| r.case_id.as_str()).collect();
    let referrals_follow_up = in_order(conn, &scope, &case_ids)?
        .into_iter()
        .zip(follow_ups)
        .map(|(case, row)| {
            Ok(ReferralDue {
                case,
                direction: row.direction()?,
                service_type: row.service_type()?,
                status: row.status()?,
                follow_up_due: row
                    .follow_up_due
                    .ok_or_else(|| db::unreadable("referrals.follow_up_due", "NULL"))?,
                referral_id: row.id,
                agency_name: row.agency_name,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    reads.record(
        &principal.actor(),
        "case.home",
        ("case", None),
        Some(json!({
            "overdue": notes_overdue.len(),
            "closures": closures_waiting.len(),
            "reviews_due": reviews_due.len(),
            "referrals_follow_up": referrals_follow_up.len(),
        })),
    )?;
    Ok(CaseworkHome {
        open_cases,
        transfers_awaiting: transfers,
        notes_overdue,
        note_due_days,
        closures_waiting,
        caseload,
        reviews_due,
        referrals_follow_up,
    })
}

/// The cases of these ids (in the scope, as they came: one per id, repeats kept) as lists
/// show them.
fn in_order(
    conn: &mut DbConnection,
    scope: &RecordScope,
    ids: &[&str],
) -> Result<Vec<CaseSummary>, ApiError> {
    let rows = store::by_ids(conn, scope, ids)?;
    let ordered = ids
        .iter()
        .map(|id| {
            rows.get(*id)
                .cloned()
                .ok_or_else(|| db::unreadable("cases.id", id))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(store::summaries(conn, ordered)?)
}

/// Each worker's open cases in the centre, weighted by type, heaviest first.
fn caseload(
    conn: &mut DbConnection,
    centre_id: &str,
    weights: CaseloadWeights,
) -> Result<Vec<WorkerLoad>, ApiError> {
    let mut by_worker: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (worker, case_type, count) in store::open_by_worker(conn, centre_id)? {
        let entry = by_worker.entry(worker).or_default();
        match CaseType::parse(&case_type)
            .ok_or_else(|| db::unreadable("cases.case_type", &case_type))?
        {
            CaseType::BriefSupportive => entry.0 += count,
            CaseType::InDepthCounselling => entry.1 += count,
        }
    }
    let ids: Vec<&str> = by_worker.keys().map(String::as_str).collect();
    let staff = store::staff(conn, &ids)?;
    let mut loads = by_worker
        .iter()
        .map(|(id, &(brief, in_depth))| {
            Ok(WorkerLoad {
                worker: staff
                    .get(id)
                    .cloned()
                    .ok_or_else(|| db::unreadable("cases.responsible_worker_id", id))?,
                brief_supportive: brief,
                in_depth_counselling: in_depth,
                weighted: brief as f64 * weights.of(CaseType::BriefSupportive)
                    + in_depth as f64 * weights.of(CaseType::InDepthCounselling),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    loads.sort_by(|a, b| b.weighted.total_cmp(&a.weighted));
    Ok(loads)
}
