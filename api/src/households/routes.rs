use actix_web::{web, HttpResponse};
use common::error::ErrorBody;
use common::households::{ClientHousehold, Household, HouseholdForm, LeavingForm, MembershipForm};
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(create, read, update, add_member, remove_member, of_client))]
pub struct HouseholdsApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/households").post(create))
        .service(web::resource("/households/{id}").get(read).put(update))
        .service(web::resource("/households/{id}/members").post(add_member))
        .service(web::resource("/households/{id}/members/{client_id}/leave").post(remove_member))
        .service(web::resource("/clients/{id}/household").get(of_client));
}

/// Record a household around a client (who moves into it from any other).
#[utoipa::path(post, path = "/api/households", tag = "households", security(("bearer" = [])),
    request_body = HouseholdForm,
    responses((status = 201, body = Household), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<HouseholdForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditClients)?;
    let form = form.0;
    let household = state
        .db(move |conn| service::create(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created().json(household))
}

/// A household whose present members the caller reaches, with its members present and
/// past.
#[utoipa::path(get, path = "/api/households/{id}", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Household), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Household>, ApiError> {
    principal.require(Permission::ViewClients)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::view(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// Edit what the household is like, at the version read.
#[utoipa::path(put, path = "/api/households/{id}", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = HouseholdForm,
    responses((status = 200, body = Household), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<HouseholdForm>,
) -> Result<web::Json<Household>, ApiError> {
    principal.require(Permission::EditClients)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::update(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// A registered client joins the household, leaving any other on the same day.
#[utoipa::path(post, path = "/api/households/{id}/members", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = MembershipForm,
    responses((status = 200, body = Household), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_member(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<MembershipForm>,
) -> Result<web::Json<Household>, ApiError> {
    principal.require(Permission::EditClients)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::add_member(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// A member leaves the household; the membership stays as history.
#[utoipa::path(post, path = "/api/households/{id}/members/{client_id}/leave", tag = "households",
    security(("bearer" = [])), params(("id" = String, Path), ("client_id" = String, Path)),
    request_body = LeavingForm,
    responses((status = 200, body = Household), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remove_member(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    form: ValidJson<LeavingForm>,
) -> Result<web::Json<Household>, ApiError> {
    principal.require(Permission::EditClients)?;
    let ((id, client_id), form) = (path.into_inner(), form.0);
    state
        .db(move |conn| service::remove_member(conn, &principal, &id, &client_id, &form))
        .await
        .map(web::Json)
}

/// A client's present household, if any, and the households they left.
#[utoipa::path(get, path = "/api/clients/{id}/household", tag = "households", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ClientHousehold), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn of_client(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<ClientHousehold>, ApiError> {
    principal.require(Permission::ViewClients)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::of_client(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}
