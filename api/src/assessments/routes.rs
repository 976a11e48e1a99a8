use actix_web::{web, HttpResponse};
use common::assessments::{
    Assessment, AssessmentForm, Instrument, InstrumentSummary, ScoreRequest, Scoring,
};
use common::error::ErrorBody;
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(instruments, instrument, score, administer, read, of_client, of_case))]
pub struct AssessmentsApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/instruments").get(instruments))
        .service(web::resource("/instruments/{code}").get(instrument))
        .service(web::resource("/assessments/score").post(score))
        .service(web::resource("/assessments").post(administer))
        .service(web::resource("/assessments/{id}").get(read))
        .service(web::resource("/clients/{id}/assessments").get(of_client))
        .service(web::resource("/cases/{id}/assessments").get(of_case));
}

/// The instruments that may be administered.
#[utoipa::path(get, path = "/api/instruments", tag = "assessments", security(("bearer" = [])),
    responses((status = 200, body = Vec<InstrumentSummary>), (status = 403, body = ErrorBody)))]
pub async fn instruments(
    principal: Principal,
) -> Result<web::Json<Vec<InstrumentSummary>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    Ok(web::Json(service::instruments()))
}

/// One instrument in full: items, answers offered, scales, bands, alerts and licence.
#[utoipa::path(get, path = "/api/instruments/{code}", tag = "assessments", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = Instrument), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn instrument(
    principal: Principal,
    code: web::Path<String>,
) -> Result<web::Json<Instrument>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    common::assessments::builtin(&code)
        .cloned()
        .map(web::Json)
        .ok_or(ApiError::NotFound)
}

/// Score answers without keeping anything: scales, bands, alerts, item by item.
#[utoipa::path(post, path = "/api/assessments/score", tag = "assessments", security(("bearer" = [])),
    request_body = ScoreRequest,
    responses((status = 200, body = Scoring), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn score(
    principal: Principal,
    request: ValidJson<ScoreRequest>,
) -> Result<web::Json<Scoring>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    service::score_only(&request.0).map(web::Json)
}

/// Administer an instrument to a client within one of their cases or groups.
#[utoipa::path(post, path = "/api/assessments", tag = "assessments", security(("bearer" = [])),
    request_body = AssessmentForm,
    responses((status = 201, body = Assessment), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn administer(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<AssessmentForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::AdministerAssessments)?;
    let form = form.0;
    let assessment = state
        .db(move |conn| service::administer(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/assessments/{}", assessment.id),
        ))
        .json(assessment))
}

/// One assessment, scored item by item.
#[utoipa::path(get, path = "/api/assessments/{id}", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Assessment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Assessment>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::one(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// A client's assessments within the cases and groups the user reaches, latest first.
#[utoipa::path(get, path = "/api/clients/{id}/assessments", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Assessment>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn of_client(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Assessment>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::of_client(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// A case's assessments, of its client and the members involved, latest first.
#[utoipa::path(get, path = "/api/cases/{id}/assessments", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Assessment>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn of_case(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Assessment>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::of_case(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}
