//! The rules of casework: opening a case, its lifecycle, closure with approval and
//! transfer with acceptance. Handlers call these; nothing else writes cases.

use chrono::{Datelike, NaiveDate};
use common::cases::{
    CaseDetail, CaseEventKind, CaseForm, CaseListQuery, CasePage, CaseState, CaseUpdate,
    CaseworkDirectory, ClosureForm, Decision, DecisionForm, ShareForm, StateChangeForm,
    TransferAnswer, TransferAnswerForm, TransferAnswerOutcome, TransferForm, TransferOffer,
};
use common::error::ValidationErrors;
use common::identity::{Access, Permission, Records, Unit};
use common::taxonomy::Vocabulary;
use serde_json::json;

use super::store::{self, CaseChangeset, CaseRow, NewCaseRow, NewEvent};
use crate::audit::{self, ReadAudit};
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, DbConnection};
use crate::error::ApiError;
use crate::identity::{self, Principal};

/// The case as its page shows it to this user.
fn detail(
    conn: &mut DbConnection,
    principal: &Principal,
    row: CaseRow,
) -> Result<CaseDetail, ApiError> {
    let id = row.id.clone();
    let closure_reason = row
        .closure_reason
        .as_deref()
        .map(|code| {
            common::cases::ClosureReason::parse(code)
                .ok_or_else(|| db::unreadable("cases.closure_reason", code))
        })
        .transpose()?;
    let case = store::summaries(conn, vec![row])?
        .pop()
        .ok_or(ApiError::NotFound)?;
    let member_ids = store::member_ids(conn, &id)?;
    let member_refs: Vec<&str> = member_ids.iter().map(String::as_str).collect();
    let may_edit = match principal.record_scope(Records::Cases, Access::Write) {
        Ok(scope) => store::find(conn, &id, &scope)?.is_some(),
        Err(_) => false,
    };
    Ok(CaseDetail {
        co_workers: store::co_workers(conn, &id)?,
        members: store::people(conn, &member_refs)?,
        closure_reason,
        closure_request: store::latest_closure(conn, &id)?
            .map(|row| row.into_request(conn))
            .transpose()?,
        transfer: store::pending_transfer(conn, &id)?
            .map(|row| row.into_request(conn))
            .transpose()?,
        shared_with: store::shared_with(conn, &id)?,
        events: store::events(conn, &id)?,
        may_edit,
        case,
    })
}

/// A case the user may read; any other is 404.
pub fn readable(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<CaseRow, ApiError> {
    let scope = principal.record_scope(Records::Cases, Access::Read)?;
    store::find(conn, id, &scope)?.ok_or(ApiError::NotFound)
}

/// A case the user may change, found in the transaction that changes it.
pub fn writable(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<CaseRow, ApiError> {
    let scope = principal.record_scope(Records::Cases, Access::Write)?;
    match store::find(conn, id, &scope)? {
        Some(row) => Ok(row),
        // A case the user may read but not change is 403; one they cannot see, 404.
        None => match principal.record_scope(Records::Cases, Access::Read) {
            Ok(read) if store::find(conn, id, &read)?.is_some() => Err(ApiError::Forbidden),
            _ => Err(ApiError::NotFound),
        },
    }
}

/// A case the user may change and that is still running: a closed case's plan and
/// referrals stay as they were when it closed, until it is reactivated.
pub fn running(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<CaseRow, ApiError> {
    let row = writable(conn, principal, id)?;
    if row.state()? == CaseState::Closed {
        return Err(ApiError::conflict(
            "case_closed",
            "The case is closed: reactivate it to change it",
        ));
    }
    Ok(row)
}

fn check_version(row: &CaseRow, expected: i64) -> Result<(), ApiError> {
    if row.version == expected {
        Ok(())
    } else {
        Err(ApiError::version_conflict("case"))
    }
}

/// A new event must not be dated before the case's last one: the history answers what
/// state the case was in on any day only if its dates run forward.
fn follows(last: NaiveDate, date: NaiveDate, field: &str) -> Result<(), ApiError> {
    if date < last {
        Err(ApiError::field(
            field,
            "before_last_change",
            format!("The date cannot be before the case's last change ({last})"),
        ))
    } else {
        Ok(())
    }
}

/// Nothing else may happen to a case while a closure or a transfer waits on someone.
fn nothing_pending(conn: &mut DbConnection, case_id: &str) -> Result<(), ApiError> {
    if store::latest_closure(conn, case_id)?.is_some_and(|c| c.is_pending()) {
        return Err(ApiError::conflict(
            "closure_pending",
            "The case waits for a decision on its closure",
        ));
    }
    if store::pending_transfer(conn, case_id)?.is_some() {
        return Err(ApiError::conflict(
            "transfer_pending",
            "The case waits for its transfer to be answered",
        ));
    }
    Ok(())
}

/// The people and tags a case names, checked against the database: co-workers hold
/// casework roles in the centre, natures exist (and, when newly added, are still in
/// use), household members are clients the user reaches in the same centre.
struct Named<'a> {
    centre_id: &'a str,
    client_id: &'a str,
    responsible_worker_id: &'a str,
    co_worker_ids: &'a [String],
    nature_codes: &'a [String],
    member_ids: &'a [String],
    /// Natures the case has already, which may stay though retired.
    kept_natures: &'a [String],
}

fn check_named(
    conn: &mut DbConnection,
    principal: &Principal,
    named: &Named,
    errors: &mut ValidationErrors,
) -> Result<(), ApiError> {
    for user_id in named.co_worker_ids {
        if user_id == named.responsible_worker_id
            || store::caseworker_in(conn, user_id, named.centre_id)?.is_none()
        {
            errors.add(
                "co_worker_ids",
                "unknown_worker",
                "A co-worker must be another caseworker of the case's centre",
            );
        }
    }
    crate::taxonomy::service::check_terms(
        conn,
        Vocabulary::CaseNatures,
        named.nature_codes,
        named.kept_natures,
        "nature_codes",
        errors,
    )?;
    let clients = principal.record_scope(Records::Clients, Access::Read)?;
    for member_id in named.member_ids {
        let member = crate::clients::store::find(conn, member_id, &clients)?;
        if member_id == named.client_id || member.is_none_or(|m| m.centre_id != named.centre_id) {
            errors.add(
                "member_ids",
                "unknown_client",
                "A household member must be another client of the case's centre",
            );
        }
    }
    Ok(())
}

pub fn open(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &CaseForm,
) -> Result<CaseDetail, ApiError> {
    let scope = principal.record_scope(Records::Cases, Access::Write)?;
    let new = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    let centre_id = scope.home_centre()?.to_owned();
    let responsible = new
        .responsible_worker_id
        .clone()
        .unwrap_or_else(|| principal.user_id.clone());
    db::transaction(conn, |conn| {
        let mut errors = ValidationErrors::default();
        let clients = principal.record_scope(Records::Clients, Access::Write)?;
        let client = crate::clients::store::find(conn, &new.client_id, &clients)?
            .filter(|c| c.centre_id == centre_id);
        if client.is_none() {
            errors.add(
                "client_id",
                "unknown_client",
                "No such client of your centre",
            );
        }
        let unit_id = match store::caseworker_in(conn, &responsible, &centre_id)? {
            Some(Some(unit_id)) => Some(unit_id),
            Some(None) => Some(store::unit_of_kind(
                conn,
                &centre_id,
                Unit::FamilyCounselling,
            )?),
            None => {
                errors.add(
                    "responsible_worker_id",
                    "unknown_worker",
                    "The responsible worker must be a caseworker of your centre",
                );
                None
            }
        };
        // A worker opening a case for someone else stays on it, or they could not see it.
        if let Some(owner) = &scope.owner_id {
            if &responsible != owner && !new.co_worker_ids.contains(owner) {
                errors.add(
                    "responsible_worker_id",
                    "not_on_case",
                    "Hold the case yourself or join it as a co-worker",
                );
            }
        }
        check_named(
            conn,
            principal,
            &Named {
                centre_id: &centre_id,
                client_id: &new.client_id,
                responsible_worker_id: &responsible,
                co_worker_ids: &new.co_worker_ids,
                nature_codes: &new.nature_codes,
                member_ids: &new.member_ids,
                kept_natures: &[],
            },
            &mut errors,
        )?;
        let Some(unit_id) = unit_id.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        let id = new_id();
        let at = now();
        let case_number =
            store::next_case_number(conn, &centre_id, i64::from(new.effective_on.year()))?;
        store::insert(
            conn,
            &NewCaseRow {
                id: &id,
                case_number: &case_number,
                centre_id: &centre_id,
                unit_id: &unit_id,
                client_id: &new.client_id,
                case_type: new.case_type,
                referral_source: new.referral_source,
                responsible_worker_id: &responsible,
                state: new.state,
                state_since: new.effective_on,
                sensitive: new.sensitive,
                actor_id: &principal.user_id,
                at,
            },
        )?;
        store::replace_co_workers(conn, &id, &new.co_worker_ids)?;
        store::replace_natures(conn, &id, &new.nature_codes)?;
        store::replace_members(conn, &id, &new.member_ids)?;
        store::insert_event(
            conn,
            &NewEvent {
                case_id: &id,
                seq: 1,
                kind: CaseEventKind::Registered,
                state: new.state,
                effective_on: new.effective_on,
                at,
                actor_id: &principal.user_id,
                worker_id: &responsible,
                centre_id: &centre_id,
                detail: None,
            },
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "case.open",
            ("case", Some(&id)),
            Some(json!({ "state": new.state.as_str() })),
        )?;
        let row = store::case_by_id(conn, &id)?;
        detail(conn, principal, row)
    })
}

pub fn view(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    id: &str,
) -> Result<CaseDetail, ApiError> {
    let row = readable(conn, principal, id)?;
    let detail = detail(conn, principal, row)?;
    reads.record(&principal.actor(), "case.view", ("case", Some(id)), None)?;
    Ok(detail)
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    query: &CaseListQuery,
) -> Result<CasePage, ApiError> {
    let scope = principal.record_scope(Records::Cases, Access::Read)?;
    let window = query.window().map_err(ApiError::Validation)?;
    let (rows, total) = store::list(conn, &scope, query, window)?;
    let items = store::summaries(conn, rows)?;
    reads.record(
        &principal.actor(),
        "case.list",
        ("case", None),
        Some(json!({ "page": window.0, "shown": items.len() })),
    )?;
    Ok(CasePage {
        items,
        total,
        page: window.0,
        per_page: window.1,
    })
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &CaseUpdate,
) -> Result<CaseDetail, ApiError> {
    let changes = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = writable(conn, principal, id)?;
        check_version(&row, changes.version)?;
        let kept = store::nature_codes(conn, id)?;
        let mut errors = ValidationErrors::default();
        check_named(
            conn,
            principal,
            &Named {
                centre_id: &row.centre_id,
                client_id: &row.client_id,
                responsible_worker_id: &row.responsible_worker_id,
                co_worker_ids: &changes.co_worker_ids,
                nature_codes: &changes.nature_codes,
                member_ids: &changes.member_ids,
                kept_natures: &kept,
            },
            &mut errors,
        )?;
        if let Some(owner) = principal
            .record_scope(Records::Cases, Access::Write)?
            .owner_id
        {
            if row.responsible_worker_id != owner && !changes.co_worker_ids.contains(&owner) {
                errors.add(
                    "co_worker_ids",
                    "not_on_case",
                    "You cannot take yourself off a case you do not hold",
                );
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let changeset = CaseChangeset {
            case_type: Some(changes.case_type.as_str()),
            referral_source: Some(changes.referral_source.as_str()),
            sensitive: Some(changes.sensitive),
            ..CaseChangeset::default()
        };
        if !store::update_if_version(
            conn,
            id,
            changes.version,
            &changeset,
            &principal.user_id,
            now(),
        )? {
            return Err(ApiError::version_conflict("case"));
        }
        store::replace_co_workers(conn, id, &changes.co_worker_ids)?;
        store::replace_natures(conn, id, &changes.nature_codes)?;
        store::replace_members(conn, id, &changes.member_ids)?;
        audit::record(
            conn,
            &principal.actor(),
            "case.update",
            ("case", Some(id)),
            None,
        )?;
        let row = store::case_by_id(conn, id)?;
        detail(conn, principal, row)
    })
}

/// Writes a change of state or holder: the case's row (at the version the user read)
/// and the history row, in the caller's transaction.
struct Move<'a> {
    kind: CaseEventKind,
    state: CaseState,
    effective_on: NaiveDate,
    worker_id: &'a str,
    centre_id: &'a str,
    detail: Option<&'a str>,
    changeset: CaseChangeset<'a>,
}

fn record_move(
    conn: &mut DbConnection,
    principal: &Principal,
    row: &CaseRow,
    version: i64,
    step: Move,
) -> Result<(), ApiError> {
    let at = now();
    if !store::update_if_version(
        conn,
        &row.id,
        version,
        &step.changeset,
        &principal.user_id,
        at,
    )? {
        return Err(ApiError::version_conflict("case"));
    }
    let (seq, _) = store::last_event(conn, &row.id)?;
    store::insert_event(
        conn,
        &NewEvent {
            case_id: &row.id,
            seq: seq + 1,
            kind: step.kind,
            state: step.state,
            effective_on: step.effective_on,
            at,
            actor_id: &principal.user_id,
            worker_id: step.worker_id,
            centre_id: step.centre_id,
            detail: step.detail,
        },
    )?;
    Ok(())
}

/// Waitlists, opens or reactivates a case; closing has its own request.
pub fn change_state(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &StateChangeForm,
) -> Result<CaseDetail, ApiError> {
    let change = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = writable(conn, principal, id)?;
        check_version(&row, change.version)?;
        nothing_pending(conn, id)?;
        let from = row.state()?;
        let kind = from.move_to(change.to).ok_or_else(|| ApiError::Conflict {
            code: "invalid_transition",
            message: format!(
                "A case that is {} cannot become {}{}",
                from.as_str(),
                change.to.as_str(),
                if change.to == CaseState::Closed {
                    ": request its closure instead"
                } else {
                    ""
                }
            ),
            field: Some("to".into()),
        })?;
        if kind == CaseEventKind::Reactivated && change.reason.is_none() {
            return Err(ApiError::field(
                "reason",
                "required",
                "Say why the case is reactivated",
            ));
        }
        let (_, last) = store::last_event(conn, id)?;
        follows(last, change.effective_on, "effective_on")?;
        record_move(
            conn,
            principal,
            &row,
            change.version,
            Move {
                kind,
                state: change.to,
                effective_on: change.effective_on,
                worker_id: &row.responsible_worker_id,
                centre_id: &row.centre_id,
                detail: change.reason.as_deref(),
                changeset: CaseChangeset {
                    state: Some(change.to.as_str()),
                    state_since: Some(change.effective_on),
                    closure_reason: Some(None),
                    ..CaseChangeset::default()
                },
            },
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "case.state_change",
            ("case", Some(id)),
            Some(json!({ "event": kind.as_str() })),
        )?;
        let row = store::case_by_id(conn, id)?;
        detail(conn, principal, row)
    })
}

pub fn request_closure(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &ClosureForm,
) -> Result<CaseDetail, ApiError> {
    let closure = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = writable(conn, principal, id)?;
        check_version(&row, closure.version)?;
        nothing_pending(conn, id)?;
        if !row.state()?.may_close() {
            return Err(ApiError::conflict(
                "already_closed",
                "The case is closed already",
            ));
        }
        let (_, last) = store::last_event(conn, id)?;
        follows(last, closure.closed_on, "closed_on")?;
        let at = now();
        // The request changes what may happen to the case, so it takes the case's version.
        if !store::update_if_version(
            conn,
            id,
            closure.version,
            &CaseChangeset::default(),
            &principal.user_id,
            at,
        )? {
            return Err(ApiError::version_conflict("case"));
        }
        store::insert_closure(
            conn,
            &store::NewClosure {
                case_id: id,
                closure_reason: closure.closure_reason,
                closing_summary: &closure.closing_summary,
                closed_on: closure.closed_on,
                actor_id: &principal.user_id,
                at,
            },
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "case.closure_request",
            ("case", Some(id)),
            None,
        )?;
        let row = store::case_by_id(conn, id)?;
        detail(conn, principal, row)
    })
}

/// A supervisor approves a closure (the case closes on the day asked) or returns it.
pub fn decide_closure(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &DecisionForm,
) -> Result<CaseDetail, ApiError> {
    let decided = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = writable(conn, principal, id)?;
        let request = store::latest_closure(conn, id)?
            .filter(|r| r.is_pending())
            .ok_or_else(|| {
                ApiError::conflict(
                    "nothing_pending",
                    "No closure of this case waits for a decision",
                )
            })?;
        if request.requested_by == principal.user_id {
            return Err(ApiError::conflict(
                "own_request",
                "Another supervisor decides on a closure you asked for",
            ));
        }
        let at = now();
        if !store::decide_closure(
            conn,
            &request.id,
            decided.decision,
            decided.comment.as_deref(),
            &principal.user_id,
            at,
        )? {
            return Err(ApiError::conflict(
                "nothing_pending",
                "The closure was decided meanwhile",
            ));
        }
        if decided.decision == Decision::Approved {
            let reason = request.closure_reason()?;
            record_move(
                conn,
                principal,
                &row,
                row.version,
                Move {
                    kind: CaseEventKind::Closed,
                    state: CaseState::Closed,
                    effective_on: request.closed_on,
                    worker_id: &row.responsible_worker_id,
                    centre_id: &row.centre_id,
                    detail: Some(reason.as_str()),
                    changeset: CaseChangeset {
                        state: Some(CaseState::Closed.as_str()),
                        state_since: Some(request.closed_on),
                        closure_reason: Some(Some(reason.as_str())),
                        ..CaseChangeset::default()
                    },
                },
            )?;
        }
        audit::record(
            conn,
            &principal.actor(),
            "case.closure_decision",
            ("case", Some(id)),
            Some(json!({ "decision": decided.decision.as_str() })),
        )?;
        let row = store::case_by_id(conn, id)?;
        detail(conn, principal, row)
    })
}

/// A supervisor shows a case to another caseworker of its unit, to read only.
pub fn share(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &ShareForm,
) -> Result<CaseDetail, ApiError> {
    let user_id = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = writable(conn, principal, id)?;
        let in_unit = store::caseworker_in(conn, &user_id, &row.centre_id)?.flatten()
            == Some(row.unit_id.clone());
        let works_on = user_id == row.responsible_worker_id
            || store::co_workers(conn, id)?.iter().any(|w| w.id == user_id);
        if !in_unit || works_on {
            return Err(ApiError::field(
                "user_id",
                "not_in_unit",
                "Show a case to another caseworker of its unit who does not already work on it",
            ));
        }
        if store::share(conn, id, &user_id, &principal.user_id, now())? {
            audit::record(
                conn,
                &principal.actor(),
                "case.share",
                ("case", Some(id)),
                Some(json!({ "user_id": user_id })),
            )?;
        }
        detail(conn, principal, row)
    })
}

/// A supervisor stops showing a case to a worker.
pub fn unshare(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    user_id: &str,
) -> Result<CaseDetail, ApiError> {
    db::transaction(conn, |conn| {
        let row = writable(conn, principal, id)?;
        if store::unshare(conn, id, user_id)? == 0 {
            return Err(ApiError::NotFound);
        }
        audit::record(
            conn,
            &principal.actor(),
            "case.unshare",
            ("case", Some(id)),
            Some(json!({ "user_id": user_id })),
        )?;
        detail(conn, principal, row)
    })
}

pub fn request_transfer(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &TransferForm,
) -> Result<CaseDetail, ApiError> {
    let transfer = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = writable(conn, principal, id)?;
        check_version(&row, transfer.version)?;
        nothing_pending(conn, id)?;
        if row.state()? == CaseState::Closed {
            return Err(ApiError::conflict(
                "already_closed",
                "A closed case is not transferred",
            ));
        }
        let to_centre = transfer
            .to_centre_id
            .clone()
            .unwrap_or_else(|| row.centre_id.clone());
        // Cases move within an agency; between agencies a family is referred instead.
        let to_agency = store::agency_of(conn, &to_centre)?;
        if to_agency.is_none() || to_agency != store::agency_of(conn, &row.centre_id)? {
            return Err(ApiError::field(
                "to_centre_id",
                "unknown_centre",
                "Transfer to a centre of your own agency; refer the family to another agency",
            ));
        }
        match &transfer.to_worker_id {
            Some(worker)
                if worker == &row.responsible_worker_id
                    || store::caseworker_in(conn, worker, &to_centre)?.is_none() =>
            {
                return Err(ApiError::field(
                    "to_worker_id",
                    "unknown_worker",
                    "The receiving worker must be another caseworker of the receiving centre",
                ));
            }
            None if to_centre == row.centre_id => {
                return Err(ApiError::field(
                    "to_worker_id",
                    "required",
                    "Name the worker who takes the case",
                ));
            }
            _ => {}
        }
        let at = now();
        if !store::update_if_version(
            conn,
            id,
            transfer.version,
            &CaseChangeset::default(),
            &principal.user_id,
            at,
        )? {
            return Err(ApiError::version_conflict("case"));
        }
        store::insert_transfer(
            conn,
            &store::NewTransfer {
                case_id: id,
                from_worker_id: &row.responsible_worker_id,
                from_centre_id: &row.centre_id,
                to_worker_id: transfer.to_worker_id.as_deref(),
                to_centre_id: &to_centre,
                reason: &transfer.reason,
                actor_id: &principal.user_id,
                at,
            },
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "case.transfer_request",
            ("case", Some(id)),
            Some(json!({ "other_centre": to_centre != row.centre_id })),
        )?;
        let row = store::case_by_id(conn, id)?;
        detail(conn, principal, row)
    })
}

/// Whether this user receives the transfer: the worker named, or, when none is, a
/// supervisor of the receiving centre.
fn receives(principal: &Principal, transfer: &store::TransferRow) -> bool {
    match &transfer.to_worker_id {
        Some(worker) => worker == &principal.user_id,
        None => {
            principal.roles.can(Permission::SuperviseCases)
                && principal.centre_id.as_deref() == Some(transfer.to_centre_id.as_str())
        }
    }
}

pub fn answer_transfer(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &TransferAnswerForm,
) -> Result<TransferAnswerOutcome, ApiError> {
    let answered = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let transfer = store::pending_transfer(conn, id)?
            .filter(|t| receives(principal, t))
            .ok_or(ApiError::NotFound)?;
        let row = store::case_by_id(conn, id)?;
        let at = now();
        let status = match answered.answer {
            TransferAnswer::Accepted => "accepted",
            TransferAnswer::Declined => "declined",
        };
        if !store::answer_transfer(
            conn,
            &transfer.id,
            status,
            answered.comment.as_deref(),
            &principal.user_id,
            at,
        )? {
            return Err(ApiError::conflict(
                "nothing_pending",
                "The transfer was answered meanwhile",
            ));
        }
        if answered.answer == TransferAnswer::Accepted {
            let worker = answered
                .worker_id
                .clone()
                .or_else(|| transfer.to_worker_id.clone())
                .ok_or_else(|| {
                    ApiError::field(
                        "worker_id",
                        "required",
                        "Name the worker who takes the case",
                    )
                })?;
            let unit_id = match store::caseworker_in(conn, &worker, &transfer.to_centre_id)? {
                Some(Some(unit_id)) => unit_id,
                Some(None) => {
                    store::unit_of_kind(conn, &transfer.to_centre_id, Unit::FamilyCounselling)?
                }
                None => {
                    return Err(ApiError::field(
                        "worker_id",
                        "unknown_worker",
                        "The worker must be a caseworker of the receiving centre",
                    ))
                }
            };
            let today = hong_kong_today();
            let (_, last) = store::last_event(conn, id)?;
            record_move(
                conn,
                principal,
                &row,
                row.version,
                Move {
                    kind: CaseEventKind::Transferred,
                    state: row.state()?,
                    effective_on: today.max(last),
                    worker_id: &worker,
                    centre_id: &transfer.to_centre_id,
                    detail: Some(&transfer.reason),
                    changeset: CaseChangeset {
                        responsible_worker_id: Some(&worker),
                        centre_id: Some(&transfer.to_centre_id),
                        unit_id: Some(&unit_id),
                        ..CaseChangeset::default()
                    },
                },
            )?;
            store::remove_co_workers_outside(conn, id, &transfer.to_centre_id)?;
            let co_workers: Vec<String> = store::co_workers(conn, id)?
                .into_iter()
                .map(|s| s.id)
                .filter(|s| s != &worker)
                .collect();
            store::replace_co_workers(conn, id, &co_workers)?;
            // Its notes are searched where the case now is.
            crate::case_notes::service::follow_case(
                conn,
                id,
                (&row.centre_id, &transfer.to_centre_id),
            )?;
        }
        audit::record(
            conn,
            &principal.actor(),
            "case.transfer_answer",
            ("case", Some(id)),
            Some(json!({ "answer": status })),
        )?;
        Ok(TransferAnswerOutcome {
            case_id: id.to_owned(),
            answer: answered.answer,
        })
    })
}

/// Transfers waiting for this user's answer.
/// Whom the caller may hand a case to.
pub fn directory(
    conn: &mut DbConnection,
    principal: &Principal,
) -> Result<CaseworkDirectory, ApiError> {
    let centres = match &principal.agency_id {
        Some(agency) => store::centres_of_agency(conn, agency)?
            .iter()
            .map(|id| identity::store::centre_ref(conn, id))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    let caseworkers = match &principal.centre_id {
        Some(centre) => store::caseworkers_of(conn, centre)?,
        None => Vec::new(),
    };
    Ok(CaseworkDirectory {
        centres,
        caseworkers,
    })
}

pub fn transfers_awaiting(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
) -> Result<Vec<TransferOffer>, ApiError> {
    let supervised = principal
        .roles
        .can(Permission::SuperviseCases)
        .then_some(principal.centre_id.as_deref())
        .flatten();
    let rows = store::transfers_awaiting(conn, &principal.user_id, supervised)?;
    let mut offers = Vec::with_capacity(rows.len());
    for transfer in rows {
        let case = store::case_by_id(conn, &transfer.case_id)?;
        let summary = store::summaries(conn, vec![case])?
            .pop()
            .ok_or(ApiError::NotFound)?;
        let from_worker = store::staff(conn, &[transfer.from_worker_id.as_str()])?
            .remove(&transfer.from_worker_id)
            .ok_or_else(|| {
                db::unreadable("case_transfers.from_worker_id", &transfer.from_worker_id)
            })?;
        let from_centre_id = transfer.from_centre_id.clone();
        let request = transfer.into_request(conn)?;
        offers.push(TransferOffer {
            case_id: summary.id,
            case_number: summary.case_number,
            client: summary.client,
            case_type: summary.case_type,
            from_worker,
            from_centre_id,
            to_worker: request.to_worker,
            to_centre_id: request.to_centre_id,
            reason: request.reason,
            requested_at: request.requested_at,
        });
    }
    reads.record(
        &principal.actor(),
        "case.transfers_awaiting",
        ("case", None),
        Some(json!({ "shown": offers.len() })),
    )?;
    Ok(offers)
}
