//! The rules of a CPD record: it is its holder's own (kept by them alone, read by them and
//! by their agency's admin); courses completed here count from their certificates while
//! those stand; learning elsewhere is the holder's to record, change and take back, each
//! change at the version read.

use std::collections::HashMap;

use common::cases::StaffRef;
use common::cpd::{
    CpdEntry, CpdPolicy, CpdRecord, CpdSource, Evidence, ExternalLearningForm, LearningKind,
    StaffCpd, StaffCpdList, StaffCpdQuery,
};
use common::identity::Permission;
use common::training::answer_key;
use serde_json::json;

use super::store::{self, LearningRow};
use crate::audit::{self, ReadAudit};
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;
use crate::tabular::FileKind;
use crate::training::service::staff_agency;
use crate::training::store::display_name;

/// Whoever takes courses keeps a CPD record.
fn holder(principal: &Principal) -> Result<(), ApiError> {
    principal.require(Permission::TakeCourses)
}

/// The learning elsewhere, if it is the user's own.
pub fn own(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<LearningRow, ApiError> {
    holder(principal)?;
    store::find(conn, id)?
        .filter(|row| row.user_id == principal.user_id)
        .ok_or(ApiError::NotFound)
}

fn entry(row: LearningRow) -> Result<CpdEntry, ApiError> {
    let kind = row.kind()?;
    let evidence = match (row.evidence_name, row.evidence_type, row.evidence_bytes) {
        (Some(file_name), Some(media_type), Some(size_bytes)) => Some(Evidence {
            file_name,
            media_type,
            size_bytes,
        }),
        _ => None,
    };
    Ok(CpdEntry {
        kind,
        id: row.id,
        source: CpdSource::SelfReported,
        title_zh: row.title.clone(),
        title_en: row.title,
        provider: row.provider,
        completed_on: row.completed_on,
        cpd_tenths: row.cpd_tenths,
        reflection: Some(row.reflection),
        evidence,
        version: Some(row.version),
    })
}

/// A holder's entries, the latest first: the courses completed here, verified by their
/// certificates, and the learning elsewhere they recorded.
fn entries(
    courses: Vec<store::CompletedCourse>,
    learning: Vec<LearningRow>,
) -> Result<Vec<CpdEntry>, ApiError> {
    let mut entries: Vec<CpdEntry> = courses
        .into_iter()
        .map(|course| CpdEntry {
            id: course.code,
            source: CpdSource::Verified,
            title_zh: course.course_title_zh,
            title_en: course.course_title_en,
            provider: format!("{} {}", course.issuer_zh, course.issuer_en),
            kind: LearningKind::Course,
            completed_on: course.completed_on,
            cpd_tenths: course.cpd_tenths,
            reflection: None,
            evidence: None,
            version: None,
        })
        .collect();
    for row in learning {
        entries.push(entry(row)?);
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.completed_on));
    Ok(entries)
}

/// A holder's record under the policy: every entry, the latest first, and the totals.
fn record_of(
    conn: &mut DbConnection,
    user_id: &str,
    policy: &CpdPolicy,
) -> Result<CpdRecord, ApiError> {
    let entries = entries(
        store::completed_courses(conn, &[user_id])?,
        store::learning_of(conn, &[user_id])?,
    )?;
    let (years, cycles) = policy.totals(&entries, hong_kong_today());
    Ok(CpdRecord {
        holder: display_name(conn, user_id)?,
        policy: *policy,
        years,
        cycles,
        entries,
    })
}

/// The user's own record.
pub fn record(
    conn: &mut DbConnection,
    principal: &Principal,
    policy: &CpdPolicy,
) -> Result<CpdRecord, ApiError> {
    holder(principal)?;
    record_of(conn, &principal.user_id, policy)
}

/// The staff whose records the user reads, only the one of `user_id` when given: their
/// agency's staff who keep one, for an agency admin; 403 for anyone else. The one place
/// this is decided: another agency's staff, and anyone not keeping a record, are not
/// found.
fn staff(
    conn: &mut DbConnection,
    principal: &Principal,
    user_id: Option<&str>,
) -> Result<Vec<store::StaffRow>, ApiError> {
    principal.require(Permission::EnrolStaff)?;
    let agency_id = staff_agency(principal).ok_or(ApiError::Forbidden)?;
    Ok(store::staff(conn, &agency_id, user_id)?)
}

fn member(
    conn: &mut DbConnection,
    principal: &Principal,
    user_id: &str,
) -> Result<store::StaffRow, ApiError> {
    staff(conn, principal, Some(user_id))?
        .into_iter()
        .next()
        .ok_or(ApiError::NotFound)
}

/// Every member of staff the user follows and where each stands this year and cycle,
/// those behind first, then by name; the search and filter applied, unpaged.
fn standings(
    conn: &mut DbConnection,
    principal: &Principal,
    policy: &CpdPolicy,
    query: &StaffCpdQuery,
) -> Result<(Vec<StaffCpd>, i64, i64), ApiError> {
    let staff = staff(conn, principal, None)?;
    let ids: Vec<&str> = staff.iter().map(|s| s.id.as_str()).collect();
    let mut courses: HashMap<String, Vec<store::CompletedCourse>> = HashMap::new();
    for course in store::completed_courses(conn, &ids)? {
        courses
            .entry(course.user_id.clone())
            .or_default()
            .push(course);
    }
    let mut learning: HashMap<String, Vec<LearningRow>> = HashMap::new();
    for row in store::learning_of(conn, &ids)? {
        learning.entry(row.user_id.clone()).or_default().push(row);
    }
    let today = hong_kong_today();
    let mut all = Vec::with_capacity(staff.len());
    for member in staff {
        let entries = entries(
            courses.remove(&member.id).unwrap_or_default(),
            learning.remove(&member.id).unwrap_or_default(),
        )?;
        all.push(StaffCpd::new(
            StaffRef {
                id: member.id,
                display_name: member.display_name,
            },
            member.username,
            policy.current(&entries, today),
        ));
    }
    let (count, behind) = (
        all.len() as i64,
        all.iter().filter(|s| s.behind).count() as i64,
    );
    let words = query.q.as_deref().map(answer_key).unwrap_or_default();
    let mut chosen: Vec<StaffCpd> = all
        .into_iter()
        .filter(|s| !query.behind || s.behind)
        .filter(|s| {
            words.is_empty()
                || answer_key(&s.staff.display_name).contains(&words)
                || answer_key(&s.username).contains(&words)
        })
        .collect();
    chosen.sort_by_key(|s| !s.behind);
    Ok((chosen, count, behind))
}

/// A page of the staff an agency admin follows; the read is audited.
pub fn staff_list(
    conn: &mut DbConnection,
    (principal, reads): (&Principal, &ReadAudit),
    policy: &CpdPolicy,
    query: &StaffCpdQuery,
) -> Result<StaffCpdList, ApiError> {
    let (page, per_page) = query.window().map_err(ApiError::Validation)?;
    let (chosen, count, behind) = standings(conn, principal, policy, query)?;
    let total = chosen.len() as i64;
    let items: Vec<StaffCpd> = chosen
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .collect();
    reads.record(
        &principal.actor(),
        "cpd.staff_list",
        ("agency", principal.agency_id.as_deref()),
        Some(json!({ "q": query.q, "behind": query.behind, "page": page, "shown": items.len() })),
    )?;
    Ok(StaffCpdList {
        policy: *policy,
        staff: count,
        behind,
        items,
        total,
        page,
        per_page,
    })
}

/// Every member of staff a list asks for, unpaged, for its file; the export is audited.
pub fn staff_export(
    conn: &mut DbConnection,
    (principal, reads): (&Principal, &ReadAudit),
    policy: &CpdPolicy,
    (query, kind): (&StaffCpdQuery, FileKind),
) -> Result<Vec<StaffCpd>, ApiError> {
    query.window().map_err(ApiError::Validation)?;
    let (chosen, ..) = standings(conn, principal, policy, query)?;
    reads.record(
        &principal.actor(),
        "cpd.staff_export",
        ("agency", principal.agency_id.as_deref()),
        Some(json!({
            "q": query.q,
            "behind": query.behind,
            "staff": chosen.len(),
            "format": kind.extension(),
        })),
    )?;
    Ok(chosen)
}

/// A member of staff's record, read only, for their agency admin; the read is audited.
pub fn staff_record(
    conn: &mut DbConnection,
    (principal, reads): (&Principal, &ReadAudit),
    policy: &CpdPolicy,
    user_id: &str,
) -> Result<CpdRecord, ApiError> {
    let member = member(conn, principal, user_id)?;
    let record = record_of(conn, &member.id, policy)?;
    reads.record(
        &principal.actor(),
        "cpd.staff_record",
        ("user", Some(&member.id)),
        Some(json!({ "entries": record.entries.len() })),
    )?;
    Ok(record)
}

/// The learning elsewhere of a member of staff, for their agency admin to read its
/// evidence; the read is audited.
pub fn staff_learning(
    conn: &mut DbConnection,
    (principal, reads): (&Principal, &ReadAudit),
    (user_id, id): (&str, &str),
) -> Result<LearningRow, ApiError> {
    let member = member(conn, principal, user_id)?;
    let row = store::find(conn, id)?
        .filter(|row| row.user_id == member.id)
        .ok_or(ApiError::NotFound)?;
    reads.record(
        &principal.actor(),
        "cpd.staff_evidence",
        ("external_learning", Some(id)),
        Some(json!({ "holder": member.id, "file_name": row.evidence_name })),
    )?;
    Ok(row)
}

pub fn add(
    conn: &mut DbConnection,
    principal: &Principal,
    policy: &CpdPolicy,
    form: &ExternalLearningForm,
) -> Result<CpdRecord, ApiError> {
    holder(principal)?;
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "New learning has no version yet",
        ));
    }
    let learning = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    let id = new_id();
    db::transaction(conn, |conn| {
        store::insert(conn, (&id, &principal.user_id), &learning, now())?;
        audit::record(
            conn,
            &principal.actor(),
            "cpd.learning_add",
            ("external_learning", Some(&id)),
            Some(json!({ "cpd_tenths": learning.cpd_tenths })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    record(conn, principal, policy)
}

pub fn change(
    conn: &mut DbConnection,
    principal: &Principal,
    policy: &CpdPolicy,
    id: &str,
    form: &ExternalLearningForm,
) -> Result<CpdRecord, ApiError> {
    let version = form.version.ok_or_else(|| {
        ApiError::field("version", "required", "The version you read is required")
    })?;
    let learning = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        own(conn, principal, id)?;
        if !store::update(conn, (id, version), &learning, now())? {
            return Err(ApiError::version_conflict("learning"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "cpd.learning_update",
            ("external_learning", Some(id)),
            Some(json!({ "cpd_tenths": learning.cpd_tenths })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    record(conn, principal, policy)
}

/// Takes the learning off the record; its evidence's key, to be deleted from the store
/// once this is committed.
pub fn remove(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    version: i64,
) -> Result<Option<String>, ApiError> {
    db::transaction(conn, |conn| {
        let row = own(conn, principal, id)?;
        if !store::delete(conn, (id, version))? {
            return Err(ApiError::version_conflict("learning"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "cpd.learning_remove",
            ("external_learning", Some(id)),
            Some(json!({ "title": row.title, "cpd_tenths": row.cpd_tenths })),
        )?;
        Ok(row.evidence_key)
    })
}

/// The evidence kept for learning elsewhere, at the version read; the key of the file it
/// replaces, to be deleted from the store once this is committed.
pub fn keep_evidence(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, version): (&str, i64),
    file: store::EvidenceFile,
) -> Result<Option<String>, ApiError> {
    db::transaction(conn, |conn| {
        let row = own(conn, principal, id)?;
        if !store::set_evidence(conn, (id, version), file, now())? {
            return Err(ApiError::version_conflict("learning"));
        }
        let (_, name, media_type, bytes) = file;
        audit::record(
            conn,
            &principal.actor(),
            "cpd.evidence_add",
            ("external_learning", Some(id)),
            Some(json!({ "file_name": name, "media_type": media_type, "size": bytes })),
        )?;
        Ok(row.evidence_key)
    })
}
