use actix_web::web;
use common::error::ErrorBody;
use common::identity::Permission;
use common::language::UnmatchedCue;
use common::risk::{CaseRisk, FlagQuery, FlagReviewForm, RiskFlag, RiskRules};
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(case_risk, flags, review, rules, unmatched_cues))]
pub struct RiskApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/cases/{id}/risk").get(case_risk))
        .service(web::resource("/risk-flags").get(flags))
        .service(web::resource("/risk-flags/{id}/review").post(review))
        .service(web::resource("/risk/rules").get(rules))
        .service(web::resource("/risk/unmatched-cues").get(unmatched_cues));
}

/// A case's risk indicator now (FamilyLink's own, not an SWD score): its score, the
/// factors that raised it with their weights and evidence, and the flags raised on it.
#[utoipa::path(get, path = "/api/cases/{id}/risk", tag = "risk", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = CaseRisk), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case_risk(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CaseRisk>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (id, reads, rules) = (
        id.into_inner(),
        state.reads.clone(),
        state.risk_rules.clone(),
    );
    state
        .db(move |conn| service::case_risk(conn, &principal, &reads, &rules, &id))
        .await
        .map(web::Json)
}

/// The standing flags of the user's cases (a supervisor's: the centre's), new ones unless
/// another state is asked for, the oldest first.
#[utoipa::path(get, path = "/api/risk-flags", tag = "risk", security(("bearer" = [])),
    params(FlagQuery),
    responses((status = 200, body = Vec<RiskFlag>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn flags(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<FlagQuery>,
) -> Result<web::Json<Vec<RiskFlag>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (query, reads, rules) = (query.0, state.reads.clone(), state.risk_rules.clone());
    state
        .db(move |conn| service::flags(conn, &principal, &reads, &rules, &query))
        .await
        .map(web::Json)
}

/// A supervisor of the case's centre acknowledges a new flag or dismisses it with a
/// reason, at the version read.
#[utoipa::path(post, path = "/api/risk-flags/{id}/review", tag = "risk", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = FlagReviewForm,
    responses((status = 200, body = RiskFlag), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<FlagReviewForm>,
) -> Result<web::Json<RiskFlag>, ApiError> {
    principal.require(Permission::SuperviseCases)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::review(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// How the indicator is reckoned: each factor's weight, the threshold and the limits.
#[utoipa::path(get, path = "/api/risk/rules", tag = "risk", security(("bearer" = [])),
    responses((status = 200, body = RiskRules), (status = 403, body = ErrorBody)))]
pub async fn rules(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<RiskRules>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    Ok(web::Json(state.risk_rules.clone()))
}

/// The user's cases whose notes carry a risk cue (violence, self-harm, financial or housing
/// crisis, child neglect) that none of the case's natures answers, the latest note first.
#[utoipa::path(get, path = "/api/risk/unmatched-cues", tag = "risk", security(("bearer" = [])),
    responses((status = 200, body = Vec<UnmatchedCue>), (status = 403, body = ErrorBody)))]
pub async fn unmatched_cues(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Vec<UnmatchedCue>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let reads = state.reads.clone();
    state
        .db(move |conn| service::unmatched_cues(conn, &principal, &reads))
        .await
        .map(web::Json)
}
