use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpResponse};
use common::cpd::{CpdRecord, ExternalLearningForm, StaffCpdList, StaffCpdQuery};
use common::error::ErrorBody;
use common::hub::{UploadQuery, VersionQuery};
use common::identity::Permission;
use serde_json::json;
use utoipa::OpenApi;

use super::store::LearningRow;
use super::{service, transcript};
use crate::clients::service::hong_kong_today;
use crate::db::new_id;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::files;
use crate::identity::Principal;
use crate::state::AppState;
use crate::tabular::{self, FileKind};

#[derive(OpenApi)]
#[openapi(paths(
    record,
    add,
    change,
    remove,
    add_evidence,
    evidence,
    transcript_csv,
    transcript_pdf,
    staff,
    staff_csv,
    staff_xlsx,
    staff_record,
    staff_evidence
))]
pub struct CpdApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/cpd").get(record))
        .service(web::resource("/cpd/learning").post(add))
        .service(
            web::resource("/cpd/learning/{id}")
                .put(change)
                .delete(remove),
        )
        .service(
            web::resource("/cpd/learning/{id}/evidence")
                .get(evidence)
                .post(add_evidence),
        )
        .service(web::resource("/cpd/transcript.csv").get(transcript_csv))
        .service(web::resource("/cpd/transcript.pdf").get(transcript_pdf))
        .service(web::resource("/cpd/staff").get(staff))
        .service(web::resource("/cpd/staff.csv").get(staff_csv))
        .service(web::resource("/cpd/staff.xlsx").get(staff_xlsx))
        .service(web::resource("/cpd/staff/{id}").get(staff_record))
        .service(web::resource("/cpd/staff/{id}/learning/{learning}/evidence").get(staff_evidence));
}

/// One's own CPD record: courses completed here (verified), learning elsewhere
/// (self-reported), and the hours of each year and cycle under the policy.
#[utoipa::path(get, path = "/api/cpd", tag = "cpd", security(("bearer" = [])),
    responses((status = 200, body = CpdRecord), (status = 403, body = ErrorBody)))]
pub async fn record(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<CpdRecord>, ApiError> {
    let policy = state.cpd_policy;
    state
        .db(move |conn| service::record(conn, &principal, &policy))
        .await
        .map(web::Json)
}

/// Record learning done elsewhere, with a reflection on it.
#[utoipa::path(post, path = "/api/cpd/learning", tag = "cpd", security(("bearer" = [])),
    request_body = ExternalLearningForm,
    responses((status = 201, body = CpdRecord), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<ExternalLearningForm>,
) -> Result<HttpResponse, ApiError> {
    let (policy, form) = (state.cpd_policy, form.0);
    let record = state
        .db(move |conn| service::add(conn, &principal, &policy, &form))
        .await?;
    Ok(HttpResponse::Created().json(record))
}

/// Change learning recorded, at the version read.
#[utoipa::path(put, path = "/api/cpd/learning/{id}", tag = "cpd", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ExternalLearningForm,
    responses((status = 200, body = CpdRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ExternalLearningForm>,
) -> Result<web::Json<CpdRecord>, ApiError> {
    principal.require(Permission::TakeCourses)?;
    let (policy, id, form) = (state.cpd_policy, id.into_inner(), form.0);
    state
        .db(move |conn| service::change(conn, &principal, &policy, &id, &form))
        .await
        .map(web::Json)
}

/// Take learning off the record, at the version read; its evidence goes with it.
#[utoipa::path(delete, path = "/api/cpd/learning/{id}", tag = "cpd", security(("bearer" = [])),
    params(("id" = String, Path), VersionQuery),
    responses((status = 200, body = CpdRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<VersionQuery>,
) -> Result<web::Json<CpdRecord>, ApiError> {
    let (policy, id, version) = (state.cpd_policy, id.into_inner(), query.0.version);
    let checked = principal.clone();
    let evidence = state
        .db(move |conn| service::remove(conn, &checked, &id, version))
        .await?;
    if let Some(key) = evidence {
        state.files.delete(&key).await;
    }
    state
        .db(move |conn| service::record(conn, &principal, &policy))
        .await
        .map(web::Json)
}

/// Keep the evidence of learning elsewhere (a certificate of attendance, a letter), at
/// the version read, in place of any kept before. The body is the file; its kind is read
/// from its bytes, never its name.
#[utoipa::path(post, path = "/api/cpd/learning/{id}/evidence", tag = "cpd", security(("bearer" = [])),
    params(("id" = String, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = CpdRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_evidence(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::TakeCourses)?;
    let (policy, id, query) = (state.cpd_policy, id.into_inner(), query.0);
    let name = query.file_name().map_err(ApiError::Validation)?;
    // Refused before the bytes are read when the learning is not the user's.
    let checked = (principal.clone(), id.clone());
    state
        .db(move |conn| service::own(conn, &checked.0, &checked.1).map(drop))
        .await?;
    let store = state.files.clone();
    let received = files::receive(&store, payload).await?;
    let key = format!("cpd/{id}/{}.{}", new_id(), received.kind.extension);
    let (media_type, size) = (received.kind.media_type, received.size());
    store.put(&key, received.bytes).await?;
    let kept = key.clone();
    let recorded = state
        .db(move |conn| {
            let replaced = service::keep_evidence(
                conn,
                &principal,
                (&id, query.version),
                (&kept, &name, media_type, size),
            )?;
            Ok((replaced, service::record(conn, &principal, &policy)?))
        })
        .await;
    match recorded {
        Ok((replaced, record)) => {
            if let Some(old) = replaced {
                store.delete(&old).await;
            }
            Ok(HttpResponse::Created().json(record))
        }
        Err(error) => {
            store.delete(&key).await;
            Err(error)
        }
    }
}

/// The evidence kept for one's learning elsewhere.
#[utoipa::path(get, path = "/api/cpd/learning/{id}/evidence", tag = "cpd", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn evidence(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state
        .db(move |conn| service::own(conn, &principal, &id))
        .await?;
    evidence_file(&state, row).await
}

/// The evidence kept for learning elsewhere, as a download; none kept is 404.
async fn evidence_file(state: &AppState, row: LearningRow) -> Result<HttpResponse, ApiError> {
    let (Some(key), Some(name), Some(media_type)) =
        (row.evidence_key, row.evidence_name, row.evidence_type)
    else {
        return Err(ApiError::NotFound);
    };
    let bytes = state.files.get(&key).await?;
    Ok(files::download(name, &media_type, bytes))
}

/// One's CPD record as a transcript file, as it stands today; the download is audited.
async fn transcript_download(
    state: web::Data<AppState>,
    principal: Principal,
    kind: &'static str,
) -> Result<HttpResponse, ApiError> {
    let (policy, reads, fonts) = (
        state.cpd_policy,
        state.reads.clone(),
        state.pdf_fonts.clone(),
    );
    let (bytes, content_type) = state
        .db(move |conn| {
            let record = service::record(conn, &principal, &policy)?;
            reads.record(
                &principal.actor(),
                "cpd.transcript_export",
                ("user", Some(&principal.user_id)),
                Some(json!({ "format": kind, "entries": record.entries.len() })),
            )?;
            Ok(match kind {
                "csv" => (
                    transcript::csv(&record).map_err(|e| ApiError::Internal(e.to_string()))?,
                    "text/csv; charset=utf-8",
                ),
                _ => (
                    transcript::pdf(&*fonts.get()?, &record, hong_kong_today())
                        .map_err(ApiError::Internal)?,
                    "application/pdf",
                ),
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "cpd-transcript-{}.{kind}",
                hong_kong_today()
            ))],
        })
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// One's CPD record as CSV: every entry, then the totals of each year and cycle.
#[utoipa::path(get, path = "/api/cpd/transcript.csv", tag = "cpd", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = ErrorBody)))]
pub async fn transcript_csv(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    transcript_download(state, principal, "csv").await
}

/// One's CPD record as a PDF: the totals of each year and cycle under the policy, then
/// every entry, over as many pages as it needs.
#[utoipa::path(get, path = "/api/cpd/transcript.pdf", tag = "cpd", security(("bearer" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
pub async fn transcript_pdf(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    transcript_download(state, principal, "pdf").await
}

/// The staff of one's agency who keep a CPD record, for its agency admin: this year's and
/// this cycle's hours of each and whether they are behind, those behind first; searched
/// by name or username, a page at a time. The read is audited.
#[utoipa::path(get, path = "/api/cpd/staff", tag = "cpd", security(("bearer" = [])),
    params(StaffCpdQuery),
    responses((status = 200, body = StaffCpdList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn staff(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<StaffCpdQuery>,
) -> Result<web::Json<StaffCpdList>, ApiError> {
    let (policy, reads, query) = (state.cpd_policy, state.reads.clone(), query.0);
    state
        .db(move |conn| service::staff_list(conn, (&principal, &reads), &policy, &query))
        .await
        .map(web::Json)
}

/// The same staff, unpaged, as a file; the export is audited.
async fn staff_download(
    state: web::Data<AppState>,
    principal: Principal,
    query: StaffCpdQuery,
    kind: FileKind,
) -> Result<HttpResponse, ApiError> {
    let (policy, reads) = (state.cpd_policy, state.reads.clone());
    let bytes = state
        .db(move |conn| {
            let staff = service::staff_export(conn, (&principal, &reads), &policy, (&query, kind))?;
            transcript::staff_table(&staff, hong_kong_today()).file(kind)
        })
        .await?;
    Ok(tabular::download(
        "staff-cpd",
        hong_kong_today(),
        kind,
        bytes,
    ))
}

/// The same staff as CSV, unpaged; the export is audited.
#[utoipa::path(get, path = "/api/cpd/staff.csv", tag = "cpd", security(("bearer" = [])),
    params(StaffCpdQuery),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn staff_csv(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<StaffCpdQuery>,
) -> Result<HttpResponse, ApiError> {
    staff_download(state, principal, query.0, FileKind::Csv).await
}

/// The same staff as an Excel workbook, unpaged: hours as numbers, so they sum; the
/// export is audited.
#[utoipa::path(get, path = "/api/cpd/staff.xlsx", tag = "cpd", security(("bearer" = [])),
    params(StaffCpdQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn staff_xlsx(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<StaffCpdQuery>,
) -> Result<HttpResponse, ApiError> {
    staff_download(state, principal, query.0, FileKind::Xlsx).await
}

/// A member of one's agency's staff's CPD record, read only, for its agency admin; the
/// read is audited. Anyone else's is 404.
#[utoipa::path(get, path = "/api/cpd/staff/{id}", tag = "cpd", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = CpdRecord), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn staff_record(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CpdRecord>, ApiError> {
    let (policy, reads, id) = (state.cpd_policy, state.reads.clone(), id.into_inner());
    state
        .db(move |conn| service::staff_record(conn, (&principal, &reads), &policy, &id))
        .await
        .map(web::Json)
}

/// The evidence a member of one's agency's staff kept for learning elsewhere, for its
/// agency admin; the read is audited.
#[utoipa::path(get, path = "/api/cpd/staff/{id}/learning/{learning}/evidence", tag = "cpd",
    security(("bearer" = [])), params(("id" = String, Path), ("learning" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn staff_evidence(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let ((user_id, id), reads) = (path.into_inner(), state.reads.clone());
    let row = state
        .db(move |conn| service::staff_learning(conn, (&principal, &reads), (&user_id, &id)))
        .await?;
    evidence_file(&state, row).await
}
