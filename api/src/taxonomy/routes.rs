use actix_web::{web, HttpResponse};
use common::error::ErrorBody;
use common::identity::Permission;
use common::taxonomy::{CaseNature, NatureForm, NatureMoveForm, NewNatureForm};
use utoipa::OpenApi;

use super::{service, store};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(natures, add, change, move_nature))]
pub struct TaxonomyApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/case-natures").get(natures).post(add))
        .service(web::resource("/case-natures/{code}").put(change))
        .service(web::resource("/case-natures/{code}/move").post(move_nature));
}

/// The case nature taxonomy, in order; retired natures are marked. Every signed-in user
/// may read it: it names problems, never people, and every module counts by it.
#[utoipa::path(get, path = "/api/case-natures", tag = "taxonomy", security(("bearer" = [])),
    responses((status = 200, body = Vec<CaseNature>)))]
pub async fn natures(
    state: web::Data<AppState>,
    _principal: Principal,
) -> Result<web::Json<Vec<CaseNature>>, ApiError> {
    state
        .db(|conn| Ok(store::natures(conn)?))
        .await
        .map(web::Json)
}

/// Add a case nature at the end of the list.
#[utoipa::path(post, path = "/api/case-natures", tag = "taxonomy", security(("bearer" = [])),
    request_body = NewNatureForm,
    responses((status = 201, body = CaseNature), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<NewNatureForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditTaxonomy)?;
    let form = form.0;
    let nature = state
        .db(move |conn| service::add(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created().json(nature))
}

/// Rename a case nature, retire it or bring it back, at the version read.
#[utoipa::path(put, path = "/api/case-natures/{code}", tag = "taxonomy", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = NatureForm,
    responses((status = 200, body = CaseNature), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change(
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<String>,
    form: ValidJson<NatureForm>,
) -> Result<web::Json<CaseNature>, ApiError> {
    principal.require(Permission::EditTaxonomy)?;
    let (code, form) = (code.into_inner(), form.0);
    state
        .db(move |conn| service::change(conn, &principal, &code, &form))
        .await
        .map(web::Json)
}

/// Move a case nature one place up or down; answers the whole taxonomy in its new order.
#[utoipa::path(post, path = "/api/case-natures/{code}/move", tag = "taxonomy", security(("bearer" = [])),
    params(("code" = String, Path)), request_body = NatureMoveForm,
    responses((status = 200, body = Vec<CaseNature>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_nature(
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<String>,
    form: ValidJson<NatureMoveForm>,
) -> Result<web::Json<Vec<CaseNature>>, ApiError> {
    principal.require(Permission::EditTaxonomy)?;
    let (code, form) = (code.into_inner(), form.0);
    state
        .db(move |conn| service::move_nature(conn, &principal, &code, &form))
        .await
        .map(web::Json)
}
