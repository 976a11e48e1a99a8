use actix_web::{web, HttpResponse};
use common::child_protection::{Concern, ConcernForm, DecisionForm};
use common::error::ErrorBody;
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(list, record, decide, awaiting))]
pub struct ChildProtectionApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/cases/{id}/child-protection")
            .get(list)
            .post(record),
    )
    .service(web::resource("/child-protection/awaiting").get(awaiting))
    .service(web::resource("/child-protection/{id}/decision").post(decide));
}

/// A case's child protection concerns, the latest first; who reported each is named only
/// to the reporter and the centre's supervisors and admin.
#[utoipa::path(get, path = "/api/cases/{id}/child-protection", tag = "child protection", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Vec<Concern>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Concern>>, ApiError> {
    principal.require(Permission::ViewCases)?;
    let (id, reads, window) = (
        id.into_inner(),
        state.reads.clone(),
        state.protection_decision_window,
    );
    state
        .db(move |conn| service::list(conn, &principal, &reads, &id, window))
        .await
        .map(web::Json)
}

/// Record a concern about a child under 18 on the case: the harm, its seriousness and
/// the grounds. The recorder is the mandated reporter.
#[utoipa::path(post, path = "/api/cases/{id}/child-protection", tag = "child protection", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ConcernForm,
    responses((status = 201, body = Concern), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ConcernForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form, window) = (id.into_inner(), form.0, state.protection_decision_window);
    let concern = state
        .db(move |conn| service::record(conn, &principal, &id, &form, window))
        .await?;
    Ok(HttpResponse::Created().json(concern))
}

/// The decision on a concern: reported (to whom, when, the reference) or not, with the
/// reasons. Made by the reporter or a supervisor of the case's centre, once.
#[utoipa::path(post, path = "/api/child-protection/{id}/decision", tag = "child protection", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = DecisionForm,
    responses((status = 200, body = Concern), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<DecisionForm>,
) -> Result<web::Json<Concern>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form, window) = (id.into_inner(), form.0, state.protection_decision_window);
    state
        .db(move |conn| service::decide(conn, &principal, &id, &form, window))
        .await
        .map(web::Json)
}

/// The undecided concerns of the user's cases (a supervisor's: the centre's), each saying
/// whether it has waited past the time allowed.
#[utoipa::path(get, path = "/api/child-protection/awaiting", tag = "child protection", security(("bearer" = [])),
    responses((status = 200, body = Vec<Concern>), (status = 403, body = ErrorBody)))]
pub async fn awaiting(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Vec<Concern>>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (reads, window) = (state.reads.clone(), state.protection_decision_window);
    state
        .db(move |conn| service::awaiting(conn, &principal, &reads, window))
        .await
        .map(web::Json)
}
