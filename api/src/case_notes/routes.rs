use actix_web::{web, HttpResponse};
use common::case_notes::{CaseNote, CaseNoteForm, CorrectionForm, NoteHitPage, NoteSearchQuery};
use common::error::ErrorBody;
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(list, write, edit, correct, search))]
pub struct CaseNotesApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Before `/case-notes/{id}`, which would otherwise take "search" for an id.
    cfg.service(web::resource("/case-notes/search").post(search))
        .service(web::resource("/cases/{id}/notes").get(list).post(write))
        .service(web::resource("/case-notes/{id}").put(edit))
        .service(web::resource("/case-notes/{id}/corrections").post(correct));
}

/// A case's contact log, the latest contact first. Who may read the case but not its
/// narrative (an agency admin) gets the notes without it.
#[utoipa::path(get, path = "/api/cases/{id}/notes", tag = "case notes", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Vec<CaseNote>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<CaseNote>>, ApiError> {
    principal.require(Permission::ViewCases)?;
    let (id, reads, window) = (id.into_inner(), state.reads.clone(), state.note_edit_window);
    state
        .db(move |conn| service::list(conn, &principal, &reads, &id, window))
        .await
        .map(web::Json)
}

/// Write a note of a contact on a case the caller works on.
#[utoipa::path(post, path = "/api/cases/{id}/notes", tag = "case notes", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CaseNoteForm,
    responses((status = 201, body = CaseNote), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn write(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<CaseNoteForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form, window) = (id.into_inner(), form.0, state.note_edit_window);
    let note = state
        .db(move |conn| service::write(conn, &principal, &id, &form, window))
        .await?;
    Ok(HttpResponse::Created().json(note))
}

/// Edit one's own note while its edit window is open, at the version read.
#[utoipa::path(put, path = "/api/case-notes/{id}", tag = "case notes", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CaseNoteForm,
    responses((status = 200, body = CaseNote), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<CaseNoteForm>,
) -> Result<web::Json<CaseNote>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form, window) = (id.into_inner(), form.0, state.note_edit_window);
    state
        .db(move |conn| service::edit(conn, &principal, &id, &form, window))
        .await
        .map(web::Json)
}

/// Append a correction to a note; the note stays readable as written.
#[utoipa::path(post, path = "/api/case-notes/{id}/corrections", tag = "case notes", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CorrectionForm,
    responses((status = 200, body = CaseNote), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn correct(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<CorrectionForm>,
) -> Result<web::Json<CaseNote>, ApiError> {
    principal.require(Permission::EditCases)?;
    let (id, form, window) = (id.into_inner(), form.0, state.note_edit_window);
    state
        .db(move |conn| service::correct(conn, &principal, &id, &form, window))
        .await
        .map(web::Json)
}

/// Search the notes the caller may read (narrative and corrections) for words in Chinese
/// or English, the latest written first. A POST, so that the words stay out of addresses
/// and logs; an agency admin, who reads no narrative, finds nothing.
#[utoipa::path(post, path = "/api/case-notes/search", tag = "case notes", security(("bearer" = [])),
    request_body = NoteSearchQuery,
    responses((status = 200, body = NoteHitPage), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidJson<NoteSearchQuery>,
) -> Result<web::Json<NoteHitPage>, ApiError> {
    principal.require(Permission::ViewCaseNotes)?;
    let (query, reads) = (query.0, state.reads.clone());
    let (held, lists) = (state.held_notes.clone(), state.lists.clone());
    state
        .db(move |conn| service::search(conn, &principal, &reads, &query, &held, &lists))
        .await
        .map(web::Json)
}
