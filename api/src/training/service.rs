//! The rules of i-TLS: who writes and publishes courses (their trainer), who enrols
//! (learners, when the course lets them, within its window and agency), when an activity
//! and a course are done (`common::training`), and the certificate a course's completion
//! issues, with what anyone may verify of it.

use std::collections::{BTreeSet, HashMap};

use chrono::{Months, NaiveDateTime};
use common::cases::StaffRef;
use common::circle::PageQuery;
use common::error::ValidationErrors;
use common::identity::Permission;
use common::training::{
    answer_key, score, ActivityFile, ActivityKind, AttemptForm, AttemptResult, Certificate,
    CertificateStatus, CompletionReport, CourseContent, CourseDefinition, CourseForm, CourseList,
    CourseQuery, CourseStatus, CourseStatusForm, CourseSummary, ExpiringCertificate, ExpiringList,
    LearnerActivity, LearnerCourse, LearnerModule, LearnerProgress, PendingReflection, Reflection,
    ReflectionForm, ReflectionReview, ReflectionStatus, ReportQuery, ReviewDecision, RevokeForm,
    Score, StaffEnrolmentForm, StaffEnrolmentResult, Standing,
};
use rand::Rng;
use serde_json::json;

use super::store::{self, CertificateRow, CourseRow, NewAttempt};
use crate::audit;
use crate::cases::store as cases;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
use crate::hub::index::folded;
use crate::identity::Principal;

/// Gives every activity without a key one of its own, for good.
fn keyed(mut content: CourseContent) -> CourseContent {
    for activity in content
        .modules
        .iter_mut()
        .flat_map(|m| m.activities.iter_mut())
    {
        if activity.key.is_empty() {
            activity.key = new_id();
        }
    }
    content
}

/// Whoever takes, teaches or enrols others in courses reads the published ones.
fn reads_courses(principal: &Principal) -> bool {
    [
        Permission::TakeCourses,
        Permission::TeachCourses,
        Permission::EnrolStaff,
    ]
    .into_iter()
    .any(|p| principal.roles.can(p))
}

/// The course, if the user may see it: its trainer always; whoever reads courses once it
/// is published.
fn seen(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<CourseRow, ApiError> {
    let row = store::find_course(conn, id)?.ok_or(ApiError::NotFound)?;
    let published = row.status()? == CourseStatus::Published;
    if row.trainer_id == principal.user_id || (published && reads_courses(principal)) {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The course, if the user is its trainer.
fn taught(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<CourseRow, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let row = seen(conn, principal, id)?;
    if row.trainer_id == principal.user_id {
        Ok(row)
    } else {
        Err(ApiError::Forbidden)
    }
}

pub fn catalogue(
    conn: &mut DbConnection,
    principal: &Principal,
    query: &CourseQuery,
) -> Result<CourseList, ApiError> {
    let search = query.parse().map_err(ApiError::Validation)?;
    let words: Vec<String> = search.words.iter().map(|w| folded(w)).collect();
    let (rows, total) = store::listed(
        conn,
        (&principal.user_id, reads_courses(principal)),
        &words,
        (search.page, search.per_page),
    )?;
    let enrolled: HashMap<String, Option<NaiveDateTime>> =
        store::enrolments_of(conn, &principal.user_id)?
            .into_iter()
            .collect();
    let trainers: Vec<&str> = rows.iter().map(|r| r.trainer_id.as_str()).collect();
    let staff = cases::staff(conn, &trainers)?;
    let items = rows
        .iter()
        .map(|row| {
            Ok(CourseSummary {
                id: row.id.clone(),
                title_zh: row.title_zh.clone(),
                title_en: row.title_en.clone(),
                category: db::stored_code(
                    common::training::CourseCategory::parse,
                    "courses.category",
                    &row.category,
                )?,
                language: db::stored_code(
                    common::training::TeachingLanguage::parse,
                    "courses.language",
                    &row.language,
                )?,
                cpd_tenths: row.cpd_tenths,
                status: row.status()?,
                trainer: cases::staff_ref(&staff, &row.trainer_id)?,
                enrolled: enrolled.contains_key(&row.id),
                completed_at: enrolled.get(&row.id).copied().flatten().map(utc),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(CourseList {
        items,
        total,
        page: search.page,
        per_page: search.per_page,
    })
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &CourseForm,
) -> Result<CourseDefinition, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let agency_id = principal.agency_id.clone().ok_or(ApiError::Forbidden)?;
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new course has no version yet",
        ));
    }
    let content = keyed(form.parse().map_err(ApiError::Validation)?);
    let id = new_id();
    db::transaction(conn, |conn| {
        let row = store::new_course(
            id.clone(),
            (agency_id, principal.user_id.clone()),
            &content,
            now(),
        );
        store::insert_course(conn, &row)?;
        audit::record(
            conn,
            &principal.actor(),
            "course.create",
            ("course", Some(&id)),
            None,
        )?;
        Ok::<_, ApiError>(())
    })?;
    definition(conn, principal, &id)
}

pub fn definition(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<CourseDefinition, ApiError> {
    let row = taught(conn, principal, id)?;
    Ok(CourseDefinition {
        status: row.status()?,
        content: row.content()?,
        files: store::course_files(conn, id)?
            .into_iter()
            .map(activity_file)
            .collect(),
        version: row.version,
        id: row.id,
    })
}

fn activity_file(row: store::CourseFileRow) -> ActivityFile {
    ActivityFile {
        activity_key: row.activity_key,
        file_name: row.file_name,
        media_type: row.media_type,
        size_bytes: row.size_bytes,
        uploaded_at: utc(row.uploaded_at),
    }
}

/// Refuses, before a file is read, anyone but the course's trainer, a course archived,
/// and an activity that is not a file activity.
pub fn file_keepable(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
) -> Result<(), ApiError> {
    let row = taught(conn, principal, id)?;
    if row.status()? == CourseStatus::Archived {
        return Err(ApiError::conflict(
            "course_archived",
            "An archived course is not changed",
        ));
    }
    match row.content()?.activity(key) {
        Some(a) if a.kind == ActivityKind::File => Ok(()),
        _ => Err(ApiError::NotFound),
    }
}

/// Keeps a received file on its activity, in place of any before, at the course's
/// version read; answers the storage key of the file replaced, to be deleted from the
/// store once this is committed.
pub fn keep_file(
    conn: &mut DbConnection,
    principal: &Principal,
    version: i64,
    file: &store::CourseFileRow,
) -> Result<Option<String>, ApiError> {
    let (id, key) = (file.course_id.as_str(), file.activity_key.as_str());
    db::transaction(conn, |conn| {
        file_keepable(conn, principal, (id, key))?;
        if !store::bump_version(conn, id, version, now())? {
            return Err(ApiError::version_conflict("course"));
        }
        let replaced = store::course_file(conn, (id, key))?.map(|f| f.storage_key);
        store::put_course_file(conn, file)?;
        audit::record(
            conn,
            &principal.actor(),
            "course.file_add",
            ("course", Some(id)),
            Some(json!({
                "activity": key,
                "file_name": file.file_name,
                "media_type": file.media_type,
                "size": file.size_bytes,
            })),
        )?;
        Ok(replaced)
    })
}

/// A file activity's file, for the course's trainer and its enrolled learners: a
/// learner's opening it does the activity (and perhaps completes the course), in the
/// transaction of its audit entry.
pub fn open_file(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
) -> Result<store::CourseFileRow, ApiError> {
    db::transaction(conn, |conn| {
        let row = seen(conn, principal, id)?;
        if row
            .content()?
            .activity(key)
            .is_none_or(|a| a.kind != ActivityKind::File)
        {
            return Err(ApiError::NotFound);
        }
        let file = store::course_file(conn, (id, key))?.ok_or(ApiError::NotFound)?;
        if row.trainer_id != principal.user_id {
            let (row, enrolment, _) = learning(conn, principal, (id, key))?;
            if store::mark_done(conn, &enrolment.id, key, now())? {
                complete_if_done(conn, principal, &row, &enrolment)?;
            }
        }
        audit::record(
            conn,
            &principal.actor(),
            "course.file_open",
            ("course", Some(id)),
            Some(json!({ "activity": key })),
        )?;
        Ok(file)
    })
}

pub fn edit(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &CourseForm,
) -> Result<CourseDefinition, ApiError> {
    let version = form.version.ok_or_else(|| {
        ApiError::field("version", "required", "The version you read is required")
    })?;
    let content = keyed(form.parse().map_err(ApiError::Validation)?);
    db::transaction(conn, |conn| {
        let row = taught(conn, principal, id)?;
        if row.status()? == CourseStatus::Archived {
            return Err(ApiError::conflict(
                "course_archived",
                "An archived course is not changed",
            ));
        }
        // A key names an activity for good: one taken away would lose its learners' progress.
        let kept: BTreeSet<String> = content.activities().map(|a| a.key.clone()).collect();
        if row.status()? == CourseStatus::Published
            && row.content()?.activities().any(|a| !kept.contains(&a.key))
        {
            return Err(ApiError::conflict(
                "activity_removed",
                "A published course keeps its activities: change them, or archive the course and write a new one",
            ));
        }
        if !store::set_content(conn, id, version, &content, now())? {
            return Err(ApiError::version_conflict("course"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "course.update",
            ("course", Some(id)),
            None,
        )?;
        Ok(())
    })?;
    definition(conn, principal, id)
}

pub fn set_status(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &CourseStatusForm,
) -> Result<CourseDefinition, ApiError> {
    db::transaction(conn, |conn| {
        let row = taught(conn, principal, id)?;
        let from = row.status()?;
        if form.to == CourseStatus::Published {
            without_file(conn, &row)?;
        }
        if !from.may_become(form.to) {
            return Err(ApiError::Conflict {
                code: "step_not_allowed",
                message: format!(
                    "A course {} cannot become {}",
                    from.as_str(),
                    form.to.as_str()
                ),
                field: Some("to".into()),
            });
        }
        if !store::set_status(conn, id, form.version, form.to, now())? {
            return Err(ApiError::version_conflict("course"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "course.status",
            ("course", Some(id)),
            Some(json!({ "from": from.as_str(), "to": form.to.as_str() })),
        )?;
        Ok(())
    })?;
    definition(conn, principal, id)
}

/// Refuses to publish a course with a file activity that has no file yet, naming it.
fn without_file(conn: &mut DbConnection, row: &CourseRow) -> Result<(), ApiError> {
    let content = row.content()?;
    let kept: BTreeSet<String> = store::course_files(conn, &row.id)?
        .into_iter()
        .map(|f| f.activity_key)
        .collect();
    let missing = content
        .activities()
        .find(|a| a.kind == ActivityKind::File && !kept.contains(&a.key))
        .map(|a| content.path_of(&a.key));
    match missing {
        Some(field) => Err(ApiError::Conflict {
            code: "file_missing",
            message: "A file activity needs its file before the course is published".into(),
            field,
        }),
        None => Ok(()),
    }
}

/// Why this user may not enrol themselves in the course now, if they may not.
fn enrol_refused(
    principal: &Principal,
    row: &CourseRow,
    content: &CourseContent,
) -> Result<Option<&'static str>, ApiError> {
    let today = hong_kong_today();
    Ok(if !principal.roles.can(Permission::TakeCourses) {
        Some("not_a_learner")
    } else if row.status()? != CourseStatus::Published {
        Some("course_not_published")
    } else if !content.self_enrol {
        Some("enrolled_by_agency")
    } else if content.own_agency_only
        && principal.agency_id.as_deref() != Some(row.agency_id.as_str())
    {
        Some("other_agency")
    } else if content.enrol_opens.is_some_and(|d| today < d)
        || content.enrol_closes.is_some_and(|d| today > d)
    {
        Some("enrolment_closed")
    } else {
        None
    })
}

/// Whether the enrolment is completed and its certificate, standing, is due for renewal
/// (`common::training::renewal_due`): its learner may then enrol in the course again.
fn renewal_due(
    conn: &mut DbConnection,
    enrolment: &store::EnrolmentRow,
    within: i64,
) -> Result<bool, ApiError> {
    if enrolment.completed_at.is_none() {
        return Ok(false);
    }
    let Some(code) = store::certificate_of(conn, &enrolment.id)? else {
        return Ok(false);
    };
    Ok(store::certificate(conn, &code)?.is_some_and(|c| {
        c.revoked_at.is_none()
            && common::training::renewal_due(c.expires_on, hong_kong_today(), within)
    }))
}

/// The course as the user sees it, with their latest enrolment's progress.
pub fn view(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    renew_within: i64,
) -> Result<LearnerCourse, ApiError> {
    let row = seen(conn, principal, id)?;
    let content = row.content()?;
    let enrolment = store::enrolment(conn, id, &principal.user_id)?;
    let (done, attempts, certificate, reflections) = match &enrolment {
        Some(e) => (
            store::done(conn, &e.id)?
                .into_iter()
                .collect::<BTreeSet<_>>(),
            store::attempts(conn, &e.id)?,
            store::certificate_of(conn, &e.id)?,
            store::reflections(conn, &e.id)?
                .into_iter()
                .map(|r| Ok((r.activity_key.clone(), reflection(r)?)))
                .collect::<Result<HashMap<_, _>, ApiError>>()?,
        ),
        None => Default::default(),
    };
    let renewal_due = match &enrolment {
        Some(e) => renewal_due(conn, e, renew_within)?,
        None => false,
    };
    let refused = match enrolment {
        Some(_) if !renewal_due => None,
        _ => enrol_refused(principal, &row, &content)?,
    };
    let staff = cases::staff(conn, &[row.trainer_id.as_str()])?;
    let mut files: HashMap<String, ActivityFile> = store::course_files(conn, id)?
        .into_iter()
        .map(|f| (f.activity_key.clone(), activity_file(f)))
        .collect();
    let modules = content
        .modules
        .iter()
        .map(|m| LearnerModule {
            title_zh: m.title_zh.clone(),
            title_en: m.title_en.clone(),
            activities: m
                .activities
                .iter()
                .map(|a| {
                    let tries: Vec<_> = attempts
                        .iter()
                        .filter(|t| t.activity_key == a.key)
                        .collect();
                    LearnerActivity {
                        key: a.key.clone(),
                        kind: a.kind,
                        title_zh: a.title_zh.clone(),
                        title_en: a.title_en.clone(),
                        body: a.body.clone(),
                        url: a.url.clone(),
                        required: a.required,
                        pass_mark: a.pass_mark,
                        attempts: a.attempts,
                        // The paper of the next attempt; before enrolment, the quiz's own.
                        questions: match &enrolment {
                            Some(e) => content
                                .paper(a, (&e.id, tries.len() as i64 + 1))
                                .questions
                                .iter()
                                .map(Into::into)
                                .collect(),
                            None => a.questions.iter().map(Into::into).collect(),
                        },
                        sign_off: a.sign_off,
                        reflection: reflections.get(&a.key).cloned(),
                        file: files.remove(&a.key),
                        done: done.contains(&a.key),
                        attempts_used: tries.len() as i64,
                        best: tries
                            .iter()
                            .map(|t| Score {
                                points: t.points,
                                out_of: t.out_of,
                                passed: t.passed,
                            })
                            .max_by_key(|s| s.points),
                    }
                })
                .collect(),
        })
        .collect();
    let resume_at = enrolment
        .as_ref()
        .and_then(|_| content.resume_at(&done).map(|a| a.key.clone()));
    Ok(LearnerCourse {
        id: row.id.clone(),
        title_zh: content.title_zh.clone(),
        title_en: content.title_en.clone(),
        summary_zh: content.summary_zh.clone(),
        summary_en: content.summary_en.clone(),
        category: content.category,
        language: content.language,
        audiences: content.audiences.clone(),
        cpd_tenths: content.cpd_tenths,
        status: row.status()?,
        trainer: cases::staff_ref(&staff, &row.trainer_id)?,
        enrol_opens: content.enrol_opens,
        enrol_closes: content.enrol_closes,
        enrol_refused: refused.map(str::to_owned),
        enrolled: enrolment.is_some(),
        renewal_due,
        modules,
        resume_at,
        completed_at: enrolment.and_then(|e| e.completed_at).map(utc),
        certificate,
        may_edit: row.trainer_id == principal.user_id,
        version: row.version,
    })
}

/// Enrols the user: once, and again to renew the certificate of their latest enrolment
/// when it is due for renewal.
pub fn enrol(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    renew_within: i64,
) -> Result<LearnerCourse, ApiError> {
    principal.require(Permission::TakeCourses)?;
    db::transaction(conn, |conn| {
        let row = seen(conn, principal, id)?;
        let latest = store::enrolment(conn, id, &principal.user_id)?;
        let renewing = latest.is_some();
        if let Some(latest) = latest {
            if !renewal_due(conn, &latest, renew_within)? {
                return Err(ApiError::conflict(
                    "already_enrolled",
                    "You are enrolled in this course already",
                ));
            }
        }
        if let Some(code) = enrol_refused(principal, &row, &row.content()?)? {
            return Err(ApiError::conflict(
                code,
                "You cannot enrol yourself in this course now",
            ));
        }
        let enrolment_id = new_id();
        store::enrol(
            conn,
            (&enrolment_id, id, &principal.user_id),
            &principal.user_id,
            now(),
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "course.enrol",
            ("course", Some(id)),
            Some(
                json!({ "enrolment": enrolment_id, "learner": principal.user_id, "renewal": renewing }),
            ),
        )?;
        Ok(())
    })?;
    view(conn, principal, id, renew_within)
}

/// Four groups of four from an alphabet without 0/O or 1/I/L: read aloud or typed from
/// paper without doubt.
fn certificate_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let groups: Vec<String> = (0..3)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    format!("FL-{}", groups.join("-"))
}

/// Completes the enrolment when every required activity is done, and issues its
/// certificate; in the transaction of what was done last.
fn complete_if_done(
    conn: &mut DbConnection,
    principal: &Principal,
    row: &CourseRow,
    enrolment: &store::EnrolmentRow,
) -> Result<(), ApiError> {
    let content = row.content()?;
    let done: BTreeSet<String> = store::done(conn, &enrolment.id)?.into_iter().collect();
    if enrolment.completed_at.is_some() || !content.completed_by(&done) {
        return Ok(());
    }
    let at = now();
    store::complete(conn, &enrolment.id, at)?;
    let completed_on = hong_kong_today();
    let (issuer_zh, issuer_en) = store::agency_names(conn, &row.agency_id)?;
    let certificate = CertificateRow {
        code: certificate_code(),
        enrolment_id: enrolment.id.clone(),
        course_id: row.id.clone(),
        user_id: enrolment.user_id.clone(),
        learner_name: store::display_name(conn, &enrolment.user_id)?,
        course_title_zh: content.title_zh.clone(),
        course_title_en: content.title_en.clone(),
        cpd_tenths: content.cpd_tenths,
        completed_on,
        issuer_zh,
        issuer_en,
        issued_at: at,
        expires_on: content
            .certificate_months
            .and_then(|m| completed_on.checked_add_months(Months::new(m as u32))),
        revoked_at: None,
        revoked_by: None,
        revoked_reason: None,
    };
    store::insert_certificate(conn, &certificate)?;
    audit::record(
        conn,
        &principal.actor(),
        "course.complete",
        ("course", Some(&row.id)),
        Some(json!({ "enrolment": enrolment.id })),
    )?;
    audit::record(
        conn,
        &principal.actor(),
        "certificate.issue",
        ("certificate", Some(&certificate.code)),
        Some(json!({ "course": row.id, "learner": enrolment.user_id })),
    )?;
    Ok(())
}

/// The course and the learner's enrolment in it, and the activity named.
fn learning(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
) -> Result<(CourseRow, store::EnrolmentRow, common::training::Activity), ApiError> {
    principal.require(Permission::TakeCourses)?;
    let row = seen(conn, principal, id)?;
    let enrolment = store::enrolment(conn, id, &principal.user_id)?
        .ok_or_else(|| ApiError::conflict("not_enrolled_in_course", "Enrol in the course first"))?;
    let activity = row
        .content()?
        .activity(key)
        .cloned()
        .ok_or(ApiError::NotFound)?;
    Ok((row, enrolment, activity))
}

/// Who reads a course's discussions, and whether they moderate them: its trainer
/// (moderating), whoever is or was enrolled in it, and the admins of its agency's staff;
/// nobody else (None). The one place this is decided; the circle asks it of every thread
/// in a course.
pub fn discussant(
    conn: &mut DbConnection,
    principal: &Principal,
    course_id: &str,
) -> Result<Option<bool>, ApiError> {
    let row = match seen(conn, principal, course_id) {
        Ok(row) => row,
        Err(ApiError::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    Ok(if row.trainer_id == principal.user_id {
        Some(true)
    } else if store::enrolment(conn, course_id, &principal.user_id)?.is_some()
        || (principal.roles.can(Permission::EnrolStaff)
            && principal.agency_id.as_deref() == Some(row.agency_id.as_str()))
    {
        Some(false)
    } else {
        None
    })
}

/// A course's discussion activity, if the user is one of its people: whether they
/// moderate it. Someone who sees the course but is not enrolled is told to enrol.
pub fn discussing(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
) -> Result<bool, ApiError> {
    let row = seen(conn, principal, id)?;
    let activity = row.content()?.activity(key).cloned();
    if activity.is_none_or(|a| a.kind != ActivityKind::Discussion) {
        return Err(ApiError::NotFound);
    }
    discussant(conn, principal, id)?
        .ok_or_else(|| ApiError::conflict("not_enrolled_in_course", "Enrol in the course first"))
}

/// A post written in a course activity's discussion: for a learner enrolled, the
/// activity is done (and the course perhaps complete), in the post's transaction.
pub fn posted(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
) -> Result<(), ApiError> {
    let Some(row) = store::find_course(conn, id)? else {
        return Ok(());
    };
    let Some(enrolment) = store::enrolment(conn, id, &principal.user_id)? else {
        return Ok(());
    };
    let discussion = row
        .content()?
        .activity(key)
        .is_some_and(|a| a.kind == ActivityKind::Discussion);
    if discussion && store::mark_done(conn, &enrolment.id, key, now())? {
        complete_if_done(conn, principal, &row, &enrolment)?;
    }
    Ok(())
}

/// A page read or a link opened.
pub fn mark_done(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
    renew_within: i64,
) -> Result<LearnerCourse, ApiError> {
    db::transaction(conn, |conn| {
        let (row, enrolment, activity) = learning(conn, principal, (id, key))?;
        match activity.kind {
            ActivityKind::Quiz => {
                return Err(ApiError::conflict(
                    "quiz_not_passed",
                    "A quiz is done once passed",
                ))
            }
            ActivityKind::Reflection => {
                return Err(ApiError::conflict(
                    "reflection_not_written",
                    "A reflection is done once written",
                ))
            }
            ActivityKind::File => {
                return Err(ApiError::conflict(
                    "file_not_opened",
                    "A file is done once opened",
                ))
            }
            ActivityKind::Discussion => {
                return Err(ApiError::conflict(
                    "not_posted",
                    "A discussion is done once you post in it",
                ))
            }
            ActivityKind::Page | ActivityKind::Link => {}
        }
        if store::mark_done(conn, &enrolment.id, key, now())? {
            complete_if_done(conn, principal, &row, &enrolment)?;
        }
        Ok(())
    })?;
    view(conn, principal, id, renew_within)
}

pub fn attempt(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
    form: &AttemptForm,
    renew_within: i64,
) -> Result<AttemptResult, ApiError> {
    let (score, number) = db::transaction(conn, |conn| {
        let (row, enrolment, quiz) = learning(conn, principal, (id, key))?;
        if quiz.kind != ActivityKind::Quiz {
            return Err(ApiError::NotFound);
        }
        let tries: Vec<_> = store::attempts(conn, &enrolment.id)?
            .into_iter()
            .filter(|t| t.activity_key == key)
            .collect();
        let number = tries.len() as i64 + 1;
        let paper = row.content()?.paper(&quiz, (&enrolment.id, number));
        if form.answers.len() != paper.questions.len() {
            return Err(ApiError::field(
                "answers",
                "wrong_count",
                format!("Answer each of the {} questions", paper.questions.len()),
            ));
        }
        if tries.iter().any(|t| t.passed) {
            return Err(ApiError::conflict(
                "quiz_passed",
                "You passed this quiz already",
            ));
        }
        if quiz
            .attempts
            .is_some_and(|allowed| tries.len() as i64 >= allowed)
        {
            return Err(ApiError::conflict(
                "no_attempts_left",
                "You have used every attempt this quiz allows",
            ));
        }
        let score = score(&paper, &form.answers);
        let answers =
            serde_json::to_string(&form.answers).map_err(|e| ApiError::Internal(e.to_string()))?;
        store::insert_attempt(
            conn,
            &NewAttempt {
                enrolment_id: &enrolment.id,
                key,
                number,
                answers,
                score,
            },
            now(),
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "course.quiz_attempt",
            ("course", Some(id)),
            Some(
                json!({ "activity": key, "attempt": number, "points": score.points, "out_of": score.out_of, "passed": score.passed }),
            ),
        )?;
        if score.passed && store::mark_done(conn, &enrolment.id, key, now())? {
            complete_if_done(conn, principal, &row, &enrolment)?;
        }
        Ok::<_, ApiError>((score, number))
    })?;
    Ok(AttemptResult {
        score,
        attempt: number,
        course: view(conn, principal, id, renew_within)?,
    })
}

fn certificate(row: CertificateRow) -> Certificate {
    let status = if row.revoked_at.is_some() {
        CertificateStatus::Revoked
    } else if row.expires_on.is_some_and(|d| d < hong_kong_today()) {
        CertificateStatus::Expired
    } else {
        CertificateStatus::Valid
    };
    Certificate {
        status,
        revoked_on: row
            .revoked_at
            .map(|at| (utc(at) + chrono::Duration::hours(8)).date_naive()),
        code: row.code,
        learner_name: row.learner_name,
        course_title_zh: row.course_title_zh,
        course_title_en: row.course_title_en,
        cpd_tenths: row.cpd_tenths,
        completed_on: row.completed_on,
        issuer_zh: row.issuer_zh,
        issuer_en: row.issuer_en,
        expires_on: row.expires_on,
    }
}

/// Certificates due for renewal within `within` days, those expiring first, a page at a
/// time: the user's own, or (`followed`) those of the learners the user follows.
pub fn expiring(
    conn: &mut DbConnection,
    principal: &Principal,
    followed: bool,
    query: &PageQuery,
    within: i64,
) -> Result<ExpiringList, ApiError> {
    let holders = if followed {
        // `following` over every course at once: the courses one teaches, one's agency's
        // staff for an agency admin; nobody's (an empty list) for anyone else.
        store::Holders::Followed {
            trainer_id: &principal.user_id,
            agency_id: staff_agency(principal),
        }
    } else {
        principal.require(Permission::TakeCourses)?;
        store::Holders::Own(&principal.user_id)
    };
    let (page, per_page) = query.parse().map_err(ApiError::Validation)?;
    let today = hong_kong_today();
    let until = today + chrono::Duration::days(within);
    let (rows, total) = store::expiring(conn, &holders, until, (page, per_page))?;
    let items = rows
        .into_iter()
        .map(|(row, username, renewing)| ExpiringCertificate {
            course_id: row.course_id.clone(),
            days_left: row.expires_on.map_or(0, |day| (day - today).num_days()),
            username,
            renewing,
            certificate: certificate(row),
        })
        .collect();
    Ok(ExpiringList {
        items,
        total,
        page,
        per_page,
        within_days: within,
    })
}

pub fn mine(conn: &mut DbConnection, principal: &Principal) -> Result<Vec<Certificate>, ApiError> {
    Ok(store::certificates_of(conn, &principal.user_id)?
        .into_iter()
        .map(certificate)
        .collect())
}

/// What anyone may verify of a certificate, signed in or not.
pub fn verify(conn: &mut DbConnection, code: &str) -> Result<Certificate, ApiError> {
    store::certificate(conn, code.trim())?
        .map(certificate)
        .ok_or(ApiError::NotFound)
}

/// A certificate for its holder, or the trainer of its course, to print.
pub fn printable(
    conn: &mut DbConnection,
    principal: &Principal,
    code: &str,
) -> Result<Certificate, ApiError> {
    let row = store::certificate(conn, code)?.ok_or(ApiError::NotFound)?;
    let trainer = store::find_course(conn, &row.course_id)?
        .is_some_and(|c| c.trainer_id == principal.user_id);
    if row.user_id == principal.user_id || trainer {
        Ok(certificate(row))
    } else {
        Err(ApiError::NotFound)
    }
}

pub fn revoke(
    conn: &mut DbConnection,
    principal: &Principal,
    code: &str,
    form: &RevokeForm,
) -> Result<Certificate, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let reason = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = store::certificate(conn, code)?.ok_or(ApiError::NotFound)?;
        taught(conn, principal, &row.course_id)?;
        if !store::revoke(conn, code, (&principal.user_id, &reason), now())? {
            return Err(ApiError::conflict(
                "already_revoked",
                "This certificate was withdrawn already",
            ));
        }
        audit::record(
            conn,
            &principal.actor(),
            "certificate.revoke",
            ("certificate", Some(code)),
            Some(json!({ "reason": reason })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    verify(conn, code)
}

/// Whose progress in a course a user follows: every learner's for its trainer; their own
/// agency's staff for an agency admin; nobody's for anyone else. The one place this is
/// decided.
pub enum Following {
    Everyone,
    Agency(String),
}

pub fn following(principal: &Principal, row: &CourseRow) -> Option<Following> {
    if row.trainer_id == principal.user_id {
        Some(Following::Everyone)
    } else {
        staff_agency(principal).map(Following::Agency)
    }
}

/// The agency whose staff the user follows, their courses and CPD: their own, for an
/// agency admin; none for anyone else.
pub fn staff_agency(principal: &Principal) -> Option<String> {
    principal
        .agency_id
        .clone()
        .filter(|_| principal.roles.can(Permission::EnrolStaff))
}

/// An agency admin enrols their agency's learners, named by username, all or none: a
/// list with a name that is not one of them enrols nobody and says which lines. Those
/// enrolled already are left as they are. The window bounds self-enrolment only: an
/// agency admin enrols late joiners while the course is published.
pub fn enrol_staff(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &StaffEnrolmentForm,
    renew_within: i64,
) -> Result<StaffEnrolmentResult, ApiError> {
    principal.require(Permission::EnrolStaff)?;
    let agency_id = principal.agency_id.clone().ok_or(ApiError::Forbidden)?;
    let named = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = seen(conn, principal, id)?;
        if row.status()? != CourseStatus::Published {
            return Err(ApiError::conflict(
                "course_not_published",
                "Staff are enrolled in a published course",
            ));
        }
        if row.content()?.own_agency_only && row.agency_id != agency_id {
            return Err(ApiError::conflict(
                "other_agency",
                "This course is for its own agency's staff",
            ));
        }
        let usernames: Vec<&str> = named.iter().map(|(_, name)| name.as_str()).collect();
        let staff = store::staff_by_username(conn, &usernames)?;
        let mut errors = ValidationErrors::default();
        let mut learners = Vec::new();
        for (line, name) in &named {
            let member = staff.iter().find(|s| {
                &s.username == name && s.agency_id.as_deref() == Some(agency_id.as_str())
            });
            match member {
                Some(member) if member.learner => learners.push(member),
                Some(_) => errors.add(
                    &format!("usernames.{line}"),
                    "staff_not_learner",
                    format!("Line {line}: {name} does not take courses"),
                ),
                None => errors.add(
                    &format!("usernames.{line}"),
                    "unknown_username",
                    format!("Line {line}: nobody on your agency's staff has the username {name}"),
                ),
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let ids: Vec<&str> = learners.iter().map(|l| l.id.as_str()).collect();
        // Those enrolled already, but for a renewal due.
        let mut already = Vec::new();
        for enrolment in store::enrolled_among(conn, id, &ids)? {
            if !renewal_due(conn, &enrolment, renew_within)? {
                already.push(enrolment.user_id);
            }
        }
        let at = now();
        let mut result = StaffEnrolmentResult {
            enrolled: Vec::new(),
            already: Vec::new(),
        };
        for learner in learners {
            let person = StaffRef {
                id: learner.id.clone(),
                display_name: learner.display_name.clone(),
            };
            if already.contains(&learner.id) {
                result.already.push(person);
                continue;
            }
            let enrolment_id = new_id();
            store::enrol(
                conn,
                (&enrolment_id, id, &learner.id),
                &principal.user_id,
                at,
            )?;
            audit::record(
                conn,
                &principal.actor(),
                "course.enrol",
                ("course", Some(id)),
                Some(json!({ "enrolment": enrolment_id, "learner": learner.id, "by_admin": true })),
            )?;
            result.enrolled.push(person);
        }
        Ok(result)
    })
}

/// Every learner the user follows in the course, with where each stands: those behind
/// first, then by name.
fn progress_of(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<(CourseRow, i64, Vec<LearnerProgress>), ApiError> {
    let row = seen(conn, principal, id)?;
    let agency = match following(principal, &row) {
        Some(Following::Everyone) => None,
        Some(Following::Agency(agency)) => Some(agency),
        None => return Err(ApiError::Forbidden),
    };
    let content = row.content()?;
    let required: BTreeSet<&str> = content
        .activities()
        .filter(|a| a.required)
        .map(|a| a.key.as_str())
        .collect();
    let enrolments = store::enrolments_in(conn, id, agency.as_deref())?;
    let ids: Vec<&str> = enrolments.iter().map(|e| e.id.as_str()).collect();
    let mut steps: HashMap<String, (i64, Option<NaiveDateTime>)> = HashMap::new();
    for (enrolment, key, at) in store::steps(conn, &ids)? {
        let entry = steps.entry(enrolment).or_default();
        entry.0 += i64::from(required.contains(key.as_str()));
        entry.1 = entry.1.max(Some(at));
    }
    let certificates: HashMap<String, String> =
        store::certificates_in(conn, id)?.into_iter().collect();
    let now = utc(now());
    let mut learners: Vec<LearnerProgress> = enrolments
        .into_iter()
        .map(|e| {
            let (done, last) = steps.get(&e.id).copied().unwrap_or_default();
            LearnerProgress {
                standing: Standing::of(
                    e.completed_at.is_some(),
                    last.is_some(),
                    (utc(last.unwrap_or(e.enrolled_at)), now),
                    content.enrol_closes,
                ),
                enrolled_by_admin: e.enrolled_by != e.user_id,
                learner: StaffRef {
                    id: e.user_id,
                    display_name: e.display_name,
                },
                agency_code: e.agency_code,
                enrolled_at: utc(e.enrolled_at),
                done,
                last_step_at: last.map(utc),
                completed_at: e.completed_at.map(utc),
                certificate: certificates.get(&e.id).cloned(),
            }
        })
        .collect();
    learners.sort_by_key(|l| l.standing != Standing::Behind);
    Ok((row, required.len() as i64, learners))
}

/// The learners a report asks for, before its page.
fn chosen(learners: Vec<LearnerProgress>, query: &ReportQuery) -> Vec<LearnerProgress> {
    let words = query.q.as_deref().map(answer_key).unwrap_or_default();
    learners
        .into_iter()
        .filter(|l| query.standing.is_none_or(|s| l.standing == s))
        .filter(|l| words.is_empty() || answer_key(&l.learner.display_name).contains(&words))
        .collect()
}

pub fn report(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    query: &ReportQuery,
) -> Result<CompletionReport, ApiError> {
    let (page, per_page) = query.window().map_err(ApiError::Validation)?;
    let (row, required, learners) = progress_of(conn, principal, id)?;
    let counts = Standing::ALL
        .iter()
        .map(|&s| {
            (
                s,
                learners.iter().filter(|l| l.standing == s).count() as i64,
            )
        })
        .collect();
    let learners = chosen(learners, query);
    let total = learners.len() as i64;
    Ok(CompletionReport {
        course_id: row.id,
        title_zh: row.title_zh,
        title_en: row.title_en,
        required,
        counts,
        items: learners
            .into_iter()
            .skip(((page - 1) * per_page) as usize)
            .take(per_page as usize)
            .collect(),
        total,
        page,
        per_page,
    })
}

/// Every learner a report asks for, unpaged, with the course: for its file.
pub fn report_export(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    query: &ReportQuery,
) -> Result<(CourseRow, i64, Vec<LearnerProgress>), ApiError> {
    query.window().map_err(ApiError::Validation)?;
    let (row, required, learners) = progress_of(conn, principal, id)?;
    Ok((row, required, chosen(learners, query)))
}

fn reflection(row: store::ReflectionRow) -> Result<Reflection, ApiError> {
    Ok(Reflection {
        status: row.status()?,
        text: row.text,
        feedback: row.feedback,
        submitted_at: utc(row.submitted_at),
        version: row.version,
    })
}

/// A reflection written: done at once where no sign-off is asked; else it waits for the
/// trainer. Written again only once returned.
pub fn reflect(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
    form: &ReflectionForm,
    renew_within: i64,
) -> Result<LearnerCourse, ApiError> {
    let text = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let (row, enrolment, activity) = learning(conn, principal, (id, key))?;
        if activity.kind != ActivityKind::Reflection {
            return Err(ApiError::NotFound);
        }
        let at = now();
        match store::reflection(conn, (&enrolment.id, key))? {
            None if activity.sign_off => store::insert_reflection(
                conn,
                (&enrolment.id, key),
                (&text, ReflectionStatus::Submitted),
                at,
            )?,
            None => {
                store::insert_reflection(
                    conn,
                    (&enrolment.id, key),
                    (&text, ReflectionStatus::Accepted),
                    at,
                )?;
                if store::mark_done(conn, &enrolment.id, key, at)? {
                    complete_if_done(conn, principal, &row, &enrolment)?;
                }
            }
            Some(kept) if kept.status()? == ReflectionStatus::Returned => {
                if !store::rewrite_reflection(conn, (&enrolment.id, key, kept.version), &text, at)?
                {
                    return Err(ApiError::version_conflict("reflection"));
                }
            }
            Some(_) => {
                return Err(ApiError::conflict(
                    "reflection_written",
                    "You wrote this reflection already",
                ))
            }
        }
        audit::record(
            conn,
            &principal.actor(),
            "course.reflection_submit",
            ("course", Some(id)),
            Some(json!({ "activity": key, "enrolment": enrolment.id })),
        )?;
        Ok(())
    })?;
    view(conn, principal, id, renew_within)
}

/// The reflections of a course waiting for its trainer, the oldest first.
pub fn waiting_reflections(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<Vec<PendingReflection>, ApiError> {
    let row = taught(conn, principal, id)?;
    let content = row.content()?;
    store::waiting_reflections(conn, id)?
        .into_iter()
        .map(|(kept, user_id, display_name)| {
            let activity = content
                .activity(&kept.activity_key)
                .ok_or_else(|| ApiError::Internal(format!("no activity {}", kept.activity_key)))?;
            Ok(PendingReflection {
                enrolment_id: kept.enrolment_id.clone(),
                learner: StaffRef {
                    id: user_id,
                    display_name,
                },
                activity_key: kept.activity_key.clone(),
                activity_title_zh: activity.title_zh.clone(),
                activity_title_en: activity.title_en.clone(),
                prompt: activity.body.clone(),
                reflection: reflection(kept)?,
            })
        })
        .collect()
}

/// The trainer signs a reflection off (the activity is then done, and the course perhaps
/// complete) or returns it with feedback, at the version read.
pub fn review_reflection(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, enrolment_id, key): (&str, &str, &str),
    form: &ReflectionReview,
) -> Result<Vec<PendingReflection>, ApiError> {
    let feedback = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = taught(conn, principal, id)?;
        let enrolment = store::find_enrolment(conn, enrolment_id)?
            .filter(|e| e.course_id == id)
            .ok_or(ApiError::NotFound)?;
        let kept = store::reflection(conn, (enrolment_id, key))?.ok_or(ApiError::NotFound)?;
        if kept.status()? != ReflectionStatus::Submitted {
            return Err(ApiError::conflict(
                "reflection_not_waiting",
                "This reflection is not waiting for sign-off",
            ));
        }
        let status = match form.decision {
            ReviewDecision::SignOff => ReflectionStatus::SignedOff,
            ReviewDecision::Return => ReflectionStatus::Returned,
        };
        if !store::review_reflection(
            conn,
            (enrolment_id, key, form.version),
            (status, &principal.user_id, feedback.as_deref()),
            now(),
        )? {
            return Err(ApiError::version_conflict("reflection"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "course.reflection_review",
            ("course", Some(id)),
            Some(
                json!({ "activity": key, "enrolment": enrolment_id, "decision": form.decision.as_str() }),
            ),
        )?;
        if status == ReflectionStatus::SignedOff
            && store::mark_done(conn, enrolment_id, key, now())?
        {
            complete_if_done(conn, principal, &row, &enrolment)?;
        }
        Ok(())
    })?;
    waiting_reflections(conn, principal, id)
}
