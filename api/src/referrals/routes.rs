use actix_web::{web, HttpResponse};
use common::error::ErrorBody;
use common::identity::Permission;
use common::referrals::{ConsentForm, OutcomeForm, Referral, ReferralForm, SendForm};
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(list, create, consent, send, outcome))]
pub struct ReferralsApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/cases/{id}/referrals")
            .get(list)
            .post(create),
    )
    .service(web::resource("/referrals/{id}/consent").post(consent))
    .service(web::resource("/referrals/{id}/send").post(send))
    .service(web::resource("/referrals/{id}/outcome").post(outcome));
}

/// A case's referrals out and in, the latest first. Who may read the case but not its
/// narrative (an agency admin) gets them without reason, information shared and scope
/// of consent.
#[utoipa::path(get, path = "/api/cases/{id}/referrals", tag = "referrals", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Vec<Referral>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Referral>>, ApiError> {
    principal.require(Permission::ViewCases)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::list(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// Record a referral: out (a draft, until consent is recorded and it is sent) or in
/// (received, until the centre answers it).
#[utoipa::path(post, path = "/api/cases/{id}/referrals", tag = "referrals", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReferralForm,
    responses((status = 201, body = Referral), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ReferralForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    let referral = state
        .db(move |conn| service::create(conn, &principal, &id, &form))
        .await?;
    Ok(HttpResponse::Created().json(referral))
}

/// Record who consented to the referral, to what and when.
#[utoipa::path(post, path = "/api/referrals/{id}/consent", tag = "referrals", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ConsentForm,
    responses((status = 200, body = Referral), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn consent(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ConsentForm>,
) -> Result<web::Json<Referral>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::consent(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Send a referral out, with the day to follow it up; 409 `consent_required` until
/// consent is recorded.
#[utoipa::path(post, path = "/api/referrals/{id}/send", tag = "referrals", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = SendForm,
    responses((status = 200, body = Referral), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<SendForm>,
) -> Result<web::Json<Referral>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::send(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Record the answer to a referral (accepted or declined) or close it, with what came
/// of it.
#[utoipa::path(post, path = "/api/referrals/{id}/outcome", tag = "referrals", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = OutcomeForm,
    responses((status = 200, body = Referral), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn outcome(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<OutcomeForm>,
) -> Result<web::Json<Referral>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::outcome(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}
