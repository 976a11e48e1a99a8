//! The rules of a CPD record: it is its holder's own (read and kept by them alone); courses
//! completed here count from their certificates while those stand; learning elsewhere is
//! the holder's to record, change and take back, each change at the version read.

use common::cpd::{
    CpdEntry, CpdPolicy, CpdRecord, CpdSource, Evidence, ExternalLearningForm, LearningKind,
};
use common::identity::Permission;
use serde_json::json;

use super::store::{self, LearningRow};
use crate::audit;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;
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

/// The user's record under the policy: every entry, the latest first, and the totals.
pub fn record(
    conn: &mut DbConnection,
    principal: &Principal,
    policy: &CpdPolicy,
) -> Result<CpdRecord, ApiError> {
    holder(principal)?;
    let mut entries: Vec<CpdEntry> = store::completed_courses(conn, &principal.user_id)?
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
    for row in store::learning_of(conn, &principal.user_id)? {
        entries.push(entry(row)?);
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.completed_on));
    let (years, cycles) = policy.totals(&entries, hong_kong_today());
    Ok(CpdRecord {
        holder: display_name(conn, &principal.user_id)?,
        policy: *policy,
        years,
        cycles,
        entries,
    })
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
