use actix_web::{web, HttpResponse};
use common::enquiries::{
    Enquiry, EnquiryForm, EnquiryListQuery, EnquiryPage, Promotion, PromotionForm,
};
use common::error::ErrorBody;
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::audit::ReadAudit;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(list, record, read, update, promote))]
pub struct EnquiriesApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/enquiries").get(list).post(record))
        .service(web::resource("/enquiries/{id}").get(read).put(update))
        .service(web::resource("/enquiries/{id}/promote").post(promote));
}

/// Runs one rule of the enquiry log for a caller who holds `permission`; the rule
/// narrows to the enquiries they reach.
async fn front_desk<T, F>(
    state: &AppState,
    principal: Principal,
    permission: Permission,
    rule: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &Principal, &ReadAudit) -> Result<T, ApiError> + Send + 'static,
{
    principal.require(permission)?;
    let reads = state.reads.clone();
    state.db(move |conn| rule(conn, &principal, &reads)).await
}

/// The centre's enquiry log, the latest received first, with filters.
#[utoipa::path(get, path = "/api/enquiries", tag = "enquiries", security(("bearer" = [])), params(EnquiryListQuery),
    responses((status = 200, body = EnquiryPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<EnquiryListQuery>,
) -> Result<web::Json<EnquiryPage>, ApiError> {
    let query = query.0;
    front_desk(
        &state,
        principal,
        Permission::ViewEnquiries,
        move |conn, p, reads| service::list(conn, p, reads, &query),
    )
    .await
    .map(web::Json)
}

/// Record an enquiry or drop-in contact; the person may stay anonymous.
#[utoipa::path(post, path = "/api/enquiries", tag = "enquiries", security(("bearer" = [])), request_body = EnquiryForm,
    responses((status = 201, body = Enquiry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<EnquiryForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.0;
    let enquiry = front_desk(
        &state,
        principal,
        Permission::EditEnquiries,
        move |conn, p, _| service::record(conn, p, &form),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/enquiries/{}", enquiry.id),
        ))
        .json(enquiry))
}

/// One enquiry of the caller's centre; any other id answers 404.
#[utoipa::path(get, path = "/api/enquiries/{id}", tag = "enquiries", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Enquiry), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Enquiry>, ApiError> {
    let id = id.into_inner();
    front_desk(
        &state,
        principal,
        Permission::ViewEnquiries,
        move |conn, p, reads| service::view(conn, p, reads, &id),
    )
    .await
    .map(web::Json)
}

/// Edit an enquiry at the version it was read at; a stale one gets 409.
#[utoipa::path(put, path = "/api/enquiries/{id}", tag = "enquiries", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = EnquiryForm,
    responses((status = 200, body = Enquiry), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<EnquiryForm>,
) -> Result<web::Json<Enquiry>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    front_desk(
        &state,
        principal,
        Permission::EditEnquiries,
        move |conn, p, _| service::update(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Promote an enquiry, in one step, to a client (registered now, or one already
/// registered) and a case opened for them. Fields of the client and the case are named
/// `client.…` and `case.…` in errors; any error writes nothing. A promoted enquiry is 409.
#[utoipa::path(post, path = "/api/enquiries/{id}/promote", tag = "enquiries", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = PromotionForm,
    responses((status = 201, body = Promotion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn promote(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<PromotionForm>,
) -> Result<HttpResponse, ApiError> {
    let (id, form, key) = (id.into_inner(), form.0, state.secrets.hkid_key.clone());
    let promotion = front_desk(
        &state,
        principal,
        Permission::EditEnquiries,
        move |conn, p, _| service::promote(conn, p, &key, &id, &form),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/cases/{}", promotion.case.case.id),
        ))
        .json(promotion))
}
