//! The rules of i-TLS: who writes and publishes courses (their trainer), who enrols
//! (learners, when the course lets them, within its window and agency), when an activity
//! and a course are done (`common::training`), and the certificate a course's completion
//! issues, with what anyone may verify of it.

use std::collections::{BTreeSet, HashMap};

use chrono::{Months, NaiveDateTime};
use common::identity::Permission;
use common::training::{
    score, ActivityKind, AttemptForm, AttemptResult, Certificate, CertificateStatus, CourseContent,
    CourseDefinition, CourseForm, CourseStatus, CourseStatusForm, CourseSummary, LearnerActivity,
    LearnerCourse, LearnerModule, RevokeForm, Score,
};
use rand::Rng;
use serde_json::json;

use super::store::{self, CertificateRow, CourseRow, NewAttempt};
use crate::audit;
use crate::cases::store as cases;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
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

/// The course, if the user may see it: its trainer always; anyone who takes or teaches
/// courses once it is published.
fn seen(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<CourseRow, ApiError> {
    let row = store::find_course(conn, id)?.ok_or(ApiError::NotFound)?;
    let published = row.status()? == CourseStatus::Published;
    let reads = principal.roles.can(Permission::TakeCourses)
        || principal.roles.can(Permission::TeachCourses);
    if row.trainer_id == principal.user_id || (published && reads) {
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
) -> Result<Vec<CourseSummary>, ApiError> {
    let rows = store::listed(conn, &principal.user_id)?;
    let enrolled: HashMap<String, Option<NaiveDateTime>> =
        store::enrolments_of(conn, &principal.user_id)?
            .into_iter()
            .collect();
    let trainers: Vec<&str> = rows.iter().map(|r| r.trainer_id.as_str()).collect();
    let staff = cases::staff(conn, &trainers)?;
    rows.iter()
        .filter(|row| {
            row.trainer_id == principal.user_id || principal.roles.can(Permission::TakeCourses)
        })
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
        .collect()
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
        version: row.version,
        id: row.id,
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

pub fn view(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<LearnerCourse, ApiError> {
    let row = seen(conn, principal, id)?;
    let content = row.content()?;
    let enrolment = store::enrolment(conn, id, &principal.user_id)?;
    let (done, attempts, certificate) = match &enrolment {
        Some(e) => (
            store::done(conn, &e.id)?
                .into_iter()
                .collect::<BTreeSet<_>>(),
            store::attempts(conn, &e.id)?,
            store::certificate_of(conn, &e.id)?,
        ),
        None => Default::default(),
    };
    let refused = match enrolment {
        Some(_) => None,
        None => enrol_refused(principal, &row, &content)?,
    };
    let staff = cases::staff(conn, &[row.trainer_id.as_str()])?;
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
                        questions: a.questions.iter().map(Into::into).collect(),
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
        modules,
        resume_at,
        completed_at: enrolment.and_then(|e| e.completed_at).map(utc),
        certificate,
        may_edit: row.trainer_id == principal.user_id,
        version: row.version,
    })
}

pub fn enrol(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<LearnerCourse, ApiError> {
    principal.require(Permission::TakeCourses)?;
    db::transaction(conn, |conn| {
        let row = seen(conn, principal, id)?;
        if store::enrolment(conn, id, &principal.user_id)?.is_some() {
            return Err(ApiError::conflict(
                "already_enrolled",
                "You are enrolled in this course already",
            ));
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
            Some(json!({ "enrolment": enrolment_id, "learner": principal.user_id })),
        )?;
        Ok(())
    })?;
    view(conn, principal, id)
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
        .ok_or_else(|| ApiError::conflict("not_enrolled", "Enrol in the course first"))?;
    let activity = row
        .content()?
        .activity(key)
        .cloned()
        .ok_or(ApiError::NotFound)?;
    Ok((row, enrolment, activity))
}

/// A page read or a link opened.
pub fn mark_done(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
) -> Result<LearnerCourse, ApiError> {
    db::transaction(conn, |conn| {
        let (row, enrolment, activity) = learning(conn, principal, (id, key))?;
        if activity.kind == ActivityKind::Quiz {
            return Err(ApiError::conflict(
                "quiz_not_passed",
                "A quiz is done once passed",
            ));
        }
        if store::mark_done(conn, &enrolment.id, key, now())? {
            complete_if_done(conn, principal, &row, &enrolment)?;
        }
        Ok(())
    })?;
    view(conn, principal, id)
}

pub fn attempt(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, key): (&str, &str),
    form: &AttemptForm,
) -> Result<AttemptResult, ApiError> {
    let (score, number) = db::transaction(conn, |conn| {
        let (row, enrolment, quiz) = learning(conn, principal, (id, key))?;
        if quiz.kind != ActivityKind::Quiz {
            return Err(ApiError::NotFound);
        }
        if form.answers.len() != quiz.questions.len() {
            return Err(ApiError::field(
                "answers",
                "wrong_count",
                format!("Answer each of the {} questions", quiz.questions.len()),
            ));
        }
        let tries: Vec<_> = store::attempts(conn, &enrolment.id)?
            .into_iter()
            .filter(|t| t.activity_key == key)
            .collect();
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
        let score = score(&quiz, &form.answers);
        let number = tries.len() as i64 + 1;
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
        course: view(conn, principal, id)?,
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
