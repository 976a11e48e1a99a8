use actix_web::{web, HttpResponse};
use common::case_plans::{CaseGoal, CasePlan, GoalForm, PlanForm, ReviewForm};
use common::error::ErrorBody;
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(view, update, add_goal, update_goal, review))]
pub struct CasePlansApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/cases/{id}/plan").get(view).put(update))
        .service(web::resource("/cases/{id}/goals").post(add_goal))
        .service(web::resource("/case-goals/{id}").put(update_goal))
        .service(web::resource("/cases/{id}/reviews").post(review));
}

/// A case's plan: the next review, the goals (nearest target first) and the reviews
/// (latest first). Who may read the case but not its narrative (an agency admin) gets the
/// reviews without their summaries.
#[utoipa::path(get, path = "/api/cases/{id}/plan", tag = "case plans", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = CasePlan), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn view(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CasePlan>, ApiError> {
    principal.require(Permission::ViewCases)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::view(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// Set or clear the day of the next review, at the plan's version (0 before the plan is
/// first written).
#[utoipa::path(put, path = "/api/cases/{id}/plan", tag = "case plans", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = PlanForm,
    responses((status = 200, body = CasePlan), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<PlanForm>,
) -> Result<web::Json<CasePlan>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::update(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Add a goal to a case's plan.
#[utoipa::path(post, path = "/api/cases/{id}/goals", tag = "case plans", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = GoalForm,
    responses((status = 201, body = CaseGoal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_goal(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<GoalForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    let goal = state
        .db(move |conn| service::add_goal(conn, &principal, &id, &form))
        .await?;
    Ok(HttpResponse::Created().json(goal))
}

/// Change a goal (its wording, target date or status) at the version read.
#[utoipa::path(put, path = "/api/case-goals/{id}", tag = "case plans", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = GoalForm,
    responses((status = 200, body = CaseGoal), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_goal(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<GoalForm>,
) -> Result<web::Json<CaseGoal>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::update_goal(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Record a review of the plan; the day of the next review moves to the one it names.
#[utoipa::path(post, path = "/api/cases/{id}/reviews", tag = "case plans", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReviewForm,
    responses((status = 201, body = CasePlan), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ReviewForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form) = (id.into_inner(), form.0);
    let plan = state
        .db(move |conn| service::review(conn, &principal, &id, &form))
        .await?;
    Ok(HttpResponse::Created().json(plan))
}
