use actix_web::{web, HttpResponse};
use common::error::ErrorBody;
use common::identity::Permission;
use common::taxonomy::{NewTermForm, Term, TermForm, TermMoveForm, Vocabulary};
use utoipa::OpenApi;

use super::{service, store};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(terms, add, change, move_term))]
pub struct TaxonomyApi;

/// The lists' addresses, one pattern for all three; any other name is not a list.
const LIST: &str = "/{vocabulary:case-natures|education-themes|intervention-models}";

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource(LIST).get(terms).post(add))
        .service(web::resource(format!("{LIST}/{{code}}")).put(change))
        .service(web::resource(format!("{LIST}/{{code}}/move")).post(move_term));
}

/// A list in its order; retired terms are marked. Every signed-in user may read it: it
/// names problems, themes and models, never people, and every module counts by it.
#[utoipa::path(get, path = "/api/{vocabulary}", tag = "taxonomy", security(("bearer" = [])),
    params(("vocabulary" = inline(Vocabulary), Path)),
    responses((status = 200, body = Vec<Term>)))]
pub async fn terms(
    state: web::Data<AppState>,
    _principal: Principal,
    vocabulary: web::Path<Vocabulary>,
) -> Result<web::Json<Vec<Term>>, ApiError> {
    let vocabulary = vocabulary.into_inner();
    state
        .db(move |conn| Ok(store::terms(conn, vocabulary)?))
        .await
        .map(web::Json)
}

/// Add a term at the end of a list.
#[utoipa::path(post, path = "/api/{vocabulary}", tag = "taxonomy", security(("bearer" = [])),
    params(("vocabulary" = inline(Vocabulary), Path)), request_body = NewTermForm,
    responses((status = 201, body = Term), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    state: web::Data<AppState>,
    principal: Principal,
    vocabulary: web::Path<Vocabulary>,
    form: ValidJson<NewTermForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditTaxonomy)?;
    let (vocabulary, form) = (vocabulary.into_inner(), form.0);
    let term = state
        .db(move |conn| service::add(conn, &principal, vocabulary, &form))
        .await?;
    Ok(HttpResponse::Created().json(term))
}

/// Rename a term, retire it or bring it back, at the version read.
#[utoipa::path(put, path = "/api/{vocabulary}/{code}", tag = "taxonomy", security(("bearer" = [])),
    params(("vocabulary" = inline(Vocabulary), Path), ("code" = String, Path)), request_body = TermForm,
    responses((status = 200, body = Term), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Vocabulary, String)>,
    form: ValidJson<TermForm>,
) -> Result<web::Json<Term>, ApiError> {
    principal.require(Permission::EditTaxonomy)?;
    let ((vocabulary, code), form) = (path.into_inner(), form.0);
    state
        .db(move |conn| service::change(conn, &principal, vocabulary, &code, &form))
        .await
        .map(web::Json)
}

/// Move a term one place up or down; answers the whole list in its new order.
#[utoipa::path(post, path = "/api/{vocabulary}/{code}/move", tag = "taxonomy", security(("bearer" = [])),
    params(("vocabulary" = inline(Vocabulary), Path), ("code" = String, Path)), request_body = TermMoveForm,
    responses((status = 200, body = Vec<Term>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn move_term(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(Vocabulary, String)>,
    form: ValidJson<TermMoveForm>,
) -> Result<web::Json<Vec<Term>>, ApiError> {
    principal.require(Permission::EditTaxonomy)?;
    let ((vocabulary, code), form) = (path.into_inner(), form.0);
    state
        .db(move |conn| service::move_term(conn, &principal, vocabulary, &code, &form))
        .await
        .map(web::Json)
}
