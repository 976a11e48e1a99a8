use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpRequest, HttpResponse};
use common::circle::{PageQuery, Thread, ThreadForm, ThreadList, ThreadQuery};
use common::error::ErrorBody;
use common::hub::UploadQuery;
use common::identity::Permission;
use common::training::{
    hours, AttemptForm, AttemptResult, Certificate, CompletionReport, CourseDefinition, CourseForm,
    CourseList, CourseQuery, CourseStatusForm, ExpiringList, LearnerCourse, PendingReflection,
    ReflectionForm, ReflectionReview, ReportQuery, RevokeForm, StaffEnrolmentForm,
    StaffEnrolmentResult,
};
use serde_json::json;
use utoipa::OpenApi;

use super::certificate::{render, CertificateText};
use super::store::CourseFileRow;
use super::{report as report_file, service};
use crate::circle::service as circle;
use crate::clients::service::hong_kong_today;
use crate::db::{new_id, now};
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::files;
use crate::identity::Principal;
use crate::state::AppState;
use crate::tabular::{self, FileKind};

#[derive(OpenApi)]
#[openapi(paths(
    catalogue,
    create,
    view,
    edit,
    definition,
    set_status,
    enrol,
    enrol_staff,
    report,
    report_csv,
    report_xlsx,
    done,
    keep_file,
    open_file,
    discussion,
    start_discussion,
    attempt,
    reflect,
    waiting_reflections,
    review_reflection,
    mine,
    reminders,
    expiring,
    verify,
    pdf,
    revoke
))]
pub struct TrainingApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/courses").get(catalogue).post(create))
        .service(web::resource("/courses/{id}").get(view).put(edit))
        .service(web::resource("/courses/{id}/definition").get(definition))
        .service(web::resource("/courses/{id}/status").post(set_status))
        .service(web::resource("/courses/{id}/enrolment").post(enrol))
        .service(web::resource("/courses/{id}/enrolments").post(enrol_staff))
        .service(web::resource("/courses/{id}/report").get(report))
        .service(web::resource("/courses/{id}/report.csv").get(report_csv))
        .service(web::resource("/courses/{id}/report.xlsx").get(report_xlsx))
        .service(web::resource("/courses/{id}/activities/{key}/done").post(done))
        .service(
            web::resource("/courses/{id}/activities/{key}/file")
                .get(open_file)
                .post(keep_file),
        )
        .service(
            web::resource("/courses/{id}/activities/{key}/threads")
                .get(discussion)
                .post(start_discussion),
        )
        .service(web::resource("/courses/{id}/activities/{key}/attempts").post(attempt))
        .service(web::resource("/courses/{id}/activities/{key}/reflection").post(reflect))
        .service(web::resource("/courses/{id}/reflections").get(waiting_reflections))
        .service(
            web::resource("/courses/{id}/reflections/{enrolment}/{key}").post(review_reflection),
        )
        .service(web::resource("/certificates").get(mine))
        .service(web::resource("/certificates/reminders").get(reminders))
        .service(web::resource("/certificates/expiring").get(expiring))
        .service(web::resource("/certificates/{code}").get(verify))
        .service(web::resource("/certificates/{code}/pdf").get(pdf))
        .service(web::resource("/certificates/{code}/revoke").post(revoke));
}

/// Courses: those published to a learner, and a trainer's own whatever their state; those
/// whose Chinese or English title has every word searched, the latest first, a page at a
/// time.
#[utoipa::path(get, path = "/api/courses", tag = "training", security(("bearer" = [])),
    params(CourseQuery),
    responses((status = 200, body = CourseList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn catalogue(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<CourseQuery>,
) -> Result<web::Json<CourseList>, ApiError> {
    let query = query.0;
    state
        .db(move |conn| service::catalogue(conn, &principal, &query))
        .await
        .map(web::Json)
}

/// Write a course (a draft, until published): its modules, activities and quizzes.
#[utoipa::path(post, path = "/api/courses", tag = "training", security(("bearer" = [])), request_body = CourseForm,
    responses((status = 201, body = CourseDefinition), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<CourseForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let form = form.0;
    let course = state
        .db(move |conn| service::create(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created().json(course))
}

/// A course as its reader takes it: without a quiz's answers, with their progress.
#[utoipa::path(get, path = "/api/courses/{id}", tag = "training", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = LearnerCourse), (status = 404, body = ErrorBody)))]
pub async fn view(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<LearnerCourse>, ApiError> {
    let (id, within) = (id.into_inner(), state.certificate_reminder_days);
    state
        .db(move |conn| service::view(conn, &principal, &id, within))
        .await
        .map(web::Json)
}

/// Change a course, at the version read: its trainer's.
#[utoipa::path(put, path = "/api/courses/{id}", tag = "training", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = CourseForm,
    responses((status = 200, body = CourseDefinition), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<CourseForm>,
) -> Result<web::Json<CourseDefinition>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::edit(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// A course's whole definition, answers included: for its trainer.
#[utoipa::path(get, path = "/api/courses/{id}/definition", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = CourseDefinition), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn definition(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CourseDefinition>, ApiError> {
    let id = id.into_inner();
    state
        .db(move |conn| service::definition(conn, &principal, &id))
        .await
        .map(web::Json)
}

/// Publish a draft, or archive a published course.
#[utoipa::path(post, path = "/api/courses/{id}/status", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CourseStatusForm,
    responses((status = 200, body = CourseDefinition), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn set_status(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<CourseStatusForm>,
) -> Result<web::Json<CourseDefinition>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::set_status(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Enrol oneself, where the course lets learners do so, within its window.
#[utoipa::path(post, path = "/api/courses/{id}/enrolment", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = LearnerCourse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn enrol(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<LearnerCourse>, ApiError> {
    principal.require(Permission::TakeCourses)?;
    let (id, within) = (id.into_inner(), state.certificate_reminder_days);
    state
        .db(move |conn| service::enrol(conn, &principal, &id, within))
        .await
        .map(web::Json)
}

/// Enrol the agency's learners, by username: typed, or a staff list's CSV. All or none.
#[utoipa::path(post, path = "/api/courses/{id}/enrolments", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StaffEnrolmentForm,
    responses((status = 200, body = StaffEnrolmentResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enrol_staff(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<StaffEnrolmentForm>,
) -> Result<web::Json<StaffEnrolmentResult>, ApiError> {
    principal.require(Permission::EnrolStaff)?;
    let (id, form, within) = (id.into_inner(), form.0, state.certificate_reminder_days);
    state
        .db(move |conn| service::enrol_staff(conn, &principal, &id, &form, within))
        .await
        .map(web::Json)
}

/// Who is enrolled and how far each is, those behind first: every learner for the course's
/// trainer, the agency's own staff for an agency admin.
#[utoipa::path(get, path = "/api/courses/{id}/report", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ReportQuery),
    responses((status = 200, body = CompletionReport), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn report(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<ReportQuery>,
) -> Result<web::Json<CompletionReport>, ApiError> {
    let (id, query) = (id.into_inner(), query.0);
    state
        .db(move |conn| service::report(conn, &principal, &id, &query))
        .await
        .map(web::Json)
}

/// The completion report's learners asked for, unpaged, as a file; the export is audited.
async fn report_download(
    state: web::Data<AppState>,
    principal: Principal,
    (id, query): (String, ReportQuery),
    kind: FileKind,
) -> Result<HttpResponse, ApiError> {
    let reads = state.reads.clone();
    let bytes = state
        .db(move |conn| {
            let (row, required, learners) = service::report_export(conn, &principal, &id, &query)?;
            reads.record(
                &principal.actor(),
                "course.report_export",
                ("course", Some(&id)),
                Some(json!({ "format": kind.extension(), "learners": learners.len() })),
            )?;
            report_file::table((&row.title_zh, &row.title_en), required, &learners).file(kind)
        })
        .await?;
    Ok(tabular::download(
        "course-completion",
        hong_kong_today(),
        kind,
        bytes,
    ))
}

/// The completion report as CSV.
#[utoipa::path(get, path = "/api/courses/{id}/report.csv", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ReportQuery),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn report_csv(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    report_download(state, principal, (id.into_inner(), query.0), FileKind::Csv).await
}

/// The completion report as an Excel workbook.
#[utoipa::path(get, path = "/api/courses/{id}/report.xlsx", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ReportQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_xlsx(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    report_download(state, principal, (id.into_inner(), query.0), FileKind::Xlsx).await
}

/// A page read, or a link opened.
#[utoipa::path(post, path = "/api/courses/{id}/activities/{key}/done", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path)),
    responses((status = 200, body = LearnerCourse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn done(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<LearnerCourse>, ApiError> {
    principal.require(Permission::TakeCourses)?;
    let ((id, key), within) = (path.into_inner(), state.certificate_reminder_days);
    state
        .db(move |conn| service::mark_done(conn, &principal, (&id, &key), within))
        .await
        .map(web::Json)
}

/// Keep the file of a file activity (a document or media), in place of any before, at
/// the course's version read: its trainer's. The body is the file; its kind is read from
/// its bytes, never its name.
#[utoipa::path(post, path = "/api/courses/{id}/activities/{key}/file", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = CourseDefinition), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn keep_file(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    query: ValidQuery<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let ((id, key), query) = (path.into_inner(), query.0);
    let name = query.file_name().map_err(ApiError::Validation)?;
    // Refused before the bytes are read when the activity is not the trainer's to change.
    let checked = (principal.clone(), id.clone(), key.clone());
    state
        .db(move |conn| service::file_keepable(conn, &checked.0, (&checked.1, &checked.2)))
        .await?;
    let store = state.files.clone();
    let received = files::receive(&store, payload).await?;
    let storage_key = format!(
        "courses/{id}/{key}/{}.{}",
        new_id(),
        received.kind.extension
    );
    let row = CourseFileRow {
        course_id: id.clone(),
        activity_key: key,
        file_name: name,
        media_type: received.kind.media_type.to_owned(),
        size_bytes: received.size(),
        sha256: received.sha256.clone(),
        storage_key: storage_key.clone(),
        uploaded_by: principal.user_id.clone(),
        uploaded_at: now(),
    };
    store.put(&storage_key, received.bytes).await?;
    let kept = state
        .db(move |conn| {
            let replaced = service::keep_file(conn, &principal, query.version, &row)?;
            Ok((replaced, service::definition(conn, &principal, &id)?))
        })
        .await;
    match kept {
        Ok((replaced, course)) => {
            if let Some(old) = replaced {
                store.delete(&old).await;
            }
            Ok(HttpResponse::Created().json(course))
        }
        Err(error) => {
            store.delete(&storage_key).await;
            Err(error)
        }
    }
}

/// Open a file activity's file: the course's trainer, or a learner enrolled, for whom
/// opening it does the activity. Audited.
#[utoipa::path(get, path = "/api/courses/{id}/activities/{key}/file", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open_file(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, key) = path.into_inner();
    let file = state
        .db(move |conn| service::open_file(conn, &principal, (&id, &key)))
        .await?;
    let bytes = state.files.get(&file.storage_key).await?;
    Ok(files::download(file.file_name, &file.media_type, bytes))
}

/// The threads of a discussion activity, the latest active first, searched by words:
/// for the course's trainer, its learners and the admins of its agency's staff.
#[utoipa::path(get, path = "/api/courses/{id}/activities/{key}/threads", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path), ThreadQuery),
    responses((status = 200, body = ThreadList), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn discussion(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    query: ValidQuery<ThreadQuery>,
) -> Result<web::Json<ThreadList>, ApiError> {
    let ((id, key), query) = (path.into_inner(), query.0);
    state
        .db(move |conn| circle::discussion(conn, &principal, (&id, &key), &query))
        .await
        .map(web::Json)
}

/// Start a thread in a discussion activity (a title and a post, no topic): for a
/// learner, posting does the activity. Replies, edits, reactions, files and moderation
/// (by the course's trainer) go through the circle's own paths.
#[utoipa::path(post, path = "/api/courses/{id}/activities/{key}/threads", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path)), request_body = ThreadForm,
    responses((status = 201, body = Thread), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn start_discussion(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    form: ValidJson<ThreadForm>,
) -> Result<HttpResponse, ApiError> {
    let ((id, key), form) = (path.into_inner(), form.0);
    let thread = state
        .db(move |conn| circle::start_discussion(conn, &principal, (&id, &key), &form))
        .await?;
    Ok(HttpResponse::Created().json(thread))
}

/// Answer a quiz: scored at once; passing it marks it done.
#[utoipa::path(post, path = "/api/courses/{id}/activities/{key}/attempts", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path)), request_body = AttemptForm,
    responses((status = 200, body = AttemptResult), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attempt(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    form: ValidJson<AttemptForm>,
) -> Result<web::Json<AttemptResult>, ApiError> {
    principal.require(Permission::TakeCourses)?;
    let ((id, key), form, within) = (path.into_inner(), form.0, state.certificate_reminder_days);
    state
        .db(move |conn| service::attempt(conn, &principal, (&id, &key), &form, within))
        .await
        .map(web::Json)
}

/// Write a reflection (or write again one returned): done at once, or once the trainer
/// signs it off where the activity asks for that.
#[utoipa::path(post, path = "/api/courses/{id}/activities/{key}/reflection", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("key" = String, Path)), request_body = ReflectionForm,
    responses((status = 200, body = LearnerCourse), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reflect(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    form: ValidJson<ReflectionForm>,
) -> Result<web::Json<LearnerCourse>, ApiError> {
    principal.require(Permission::TakeCourses)?;
    let ((id, key), form, within) = (path.into_inner(), form.0, state.certificate_reminder_days);
    state
        .db(move |conn| service::reflect(conn, &principal, (&id, &key), &form, within))
        .await
        .map(web::Json)
}

/// The course's reflections waiting for its trainer's sign-off, the oldest first.
#[utoipa::path(get, path = "/api/courses/{id}/reflections", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<PendingReflection>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn waiting_reflections(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<PendingReflection>>, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let id = id.into_inner();
    state
        .db(move |conn| service::waiting_reflections(conn, &principal, &id))
        .await
        .map(web::Json)
}

/// Sign a reflection off, or return it with feedback, at the version read: the course's
/// trainer. Answers those still waiting.
#[utoipa::path(post, path = "/api/courses/{id}/reflections/{enrolment}/{key}", tag = "training", security(("bearer" = [])),
    params(("id" = String, Path), ("enrolment" = String, Path), ("key" = String, Path)), request_body = ReflectionReview,
    responses((status = 200, body = Vec<PendingReflection>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review_reflection(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String, String)>,
    form: ValidJson<ReflectionReview>,
) -> Result<web::Json<Vec<PendingReflection>>, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let ((id, enrolment, key), form) = (path.into_inner(), form.0);
    state
        .db(move |conn| {
            service::review_reflection(conn, &principal, (&id, &enrolment, &key), &form)
        })
        .await
        .map(web::Json)
}

/// The user's own certificates, the latest first.
#[utoipa::path(get, path = "/api/certificates", tag = "training", security(("bearer" = [])),
    responses((status = 200, body = Vec<Certificate>), (status = 401, body = ErrorBody)))]
pub async fn mine(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Vec<Certificate>>, ApiError> {
    state
        .db(move |conn| service::mine(conn, &principal))
        .await
        .map(web::Json)
}

/// One's certificates due for renewal (expiring within `FAMILYLINK_CERTIFICATE_REMINDER_DAYS`
/// or expired) and not yet renewed, those expiring first: each course may be taken again.
#[utoipa::path(get, path = "/api/certificates/reminders", tag = "training", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = ExpiringList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reminders(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<ExpiringList>, ApiError> {
    expiring_list(state, principal, false, query.0).await
}

/// The certificates due for renewal of the learners one follows: of the courses one
/// teaches, and of one's agency's staff for an agency admin; none for anyone else.
#[utoipa::path(get, path = "/api/certificates/expiring", tag = "training", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = ExpiringList), (status = 422, body = ErrorBody)))]
pub async fn expiring(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<ExpiringList>, ApiError> {
    expiring_list(state, principal, true, query.0).await
}

async fn expiring_list(
    state: web::Data<AppState>,
    principal: Principal,
    followed: bool,
    query: PageQuery,
) -> Result<web::Json<ExpiringList>, ApiError> {
    let within = state.certificate_reminder_days;
    state
        .db(move |conn| service::expiring(conn, &principal, followed, &query, within))
        .await
        .map(web::Json)
}

/// Verify a certificate by its code, without signing in: the name, course, hours, day,
/// issuer and whether it stands; nothing else about the person.
#[utoipa::path(get, path = "/api/certificates/{code}", tag = "training", params(("code" = String, Path)),
    responses((status = 200, body = Certificate), (status = 404, body = ErrorBody)))]
pub async fn verify(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<web::Json<Certificate>, ApiError> {
    let code = code.into_inner();
    state
        .db(move |conn| service::verify(conn, &code))
        .await
        .map(web::Json)
}

/// The certificate as a PDF, with a QR code of its verification page: for its holder.
#[utoipa::path(get, path = "/api/certificates/{code}/pdf", tag = "training", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn pdf(
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<String>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let code = code.into_inner();
    let verify_url = {
        let connection = request.connection_info();
        format!(
            "{}://{}/verify/{code}",
            connection.scheme(),
            connection.host()
        )
    };
    let fonts = state.pdf_fonts.clone();
    let bytes = state
        .db(move |conn| {
            let shown = service::printable(conn, &principal, &code)?;
            let font = fonts.get()?;
            let hours = hours(shown.cpd_tenths);
            let issuer = format!("{} {}", shown.issuer_zh, shown.issuer_en);
            render(
                &font,
                &CertificateText {
                    learner_name: &shown.learner_name,
                    course_title_zh: &shown.course_title_zh,
                    course_title_en: &shown.course_title_en,
                    cpd_hours: &hours,
                    completed_on: shown.completed_on,
                    issuer: &issuer,
                    code: &shown.code,
                    verify_url: &verify_url,
                    expires_on: shown.expires_on,
                },
            )
            .map_err(ApiError::Internal)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename("certificate.pdf".into())],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// Withdraw a certificate, saying why: its course's trainer. The verification page then
/// says it was revoked.
#[utoipa::path(post, path = "/api/certificates/{code}/revoke", tag = "training", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = RevokeForm,
    responses((status = 200, body = Certificate), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revoke(
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<String>,
    form: ValidJson<RevokeForm>,
) -> Result<web::Json<Certificate>, ApiError> {
    principal.require(Permission::TeachCourses)?;
    let (code, form) = (code.into_inner(), form.0);
    state
        .db(move |conn| service::revoke(conn, &principal, &code, &form))
        .await
        .map(web::Json)
}
