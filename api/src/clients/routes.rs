use actix_web::http::header;
use actix_web::{web, HttpResponse};
use common::clients::{
    Client, ClientExportRequest, ClientForm, ClientMatches, ClientMerge, ClientPage, ClientPaging,
    ClientQuery, MatchQuery, MergeForm,
};
use common::error::ErrorBody;
use common::identity::{Access, Permission, Records};

use super::service::{self, Scope};
use super::{export, merge as merging};
use crate::audit::ReadAudit;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::Principal;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/clients").get(list).post(create))
        .service(web::resource("/clients/search").post(search))
        // Before `/clients/{id}`, which would take `matches` for an id.
        .service(web::resource("/clients/matches").get(matches))
        .service(web::resource("/clients/export.xlsx").post(export_xlsx))
        .service(web::resource("/clients/{id}").get(read).put(update))
        .service(
            web::resource("/clients/{id}/merges")
                .get(merges)
                .post(merge),
        );
}

/// Runs one client rule on the clients the caller reaches, once they hold `permission`.
async fn in_scope<T, F>(
    state: &AppState,
    principal: Principal,
    permission: Permission,
    rule: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConnection, &Scope, &ReadAudit) -> Result<T, ApiError>
        + Send
        + 'static,
{
    principal.require(permission)?;
    let access = match permission {
        Permission::EditClients | Permission::MergeClients => Access::Write,
        _ => Access::Read,
    };
    let records = principal.record_scope(Records::Clients, access)?;
    let key = state.secrets.hkid_key.clone();
    let reads = state.reads.clone();
    state
        .db(move |conn| {
            let actor = principal.actor();
            rule(
                conn,
                &Scope {
                    records: &records,
                    actor: &actor,
                    hkid_key: &key,
                },
                &reads,
            )
        })
        .await
}

/// Page through the centre's clients, most recently changed first. A search term has no
/// place here (it may be an HKID, and addresses are logged): `POST /api/clients/search`.
#[utoipa::path(get, path = "/api/clients", tag = "clients", security(("bearer" = [])), params(ClientPaging),
    responses((status = 200, body = ClientPage), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    paging: ValidQuery<ClientPaging>,
) -> Result<web::Json<ClientPage>, ApiError> {
    page_of_clients(&state, principal, paging.0.into()).await
}

/// Search the centre's clients by name fragment, phone or the start of an HKID.
#[utoipa::path(post, path = "/api/clients/search", tag = "clients", security(("bearer" = [])), request_body = ClientQuery,
    responses((status = 200, body = ClientPage), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidJson<ClientQuery>,
) -> Result<web::Json<ClientPage>, ApiError> {
    page_of_clients(&state, principal, query.0).await
}

async fn page_of_clients(
    state: &AppState,
    principal: Principal,
    query: ClientQuery,
) -> Result<web::Json<ClientPage>, ApiError> {
    let (reaches, stamp) = (state.reaches.clone(), principal.reach_stamp);
    let lists = state.lists.clone();
    in_scope(
        state,
        principal,
        Permission::ViewClients,
        move |conn, scope, reads| {
            let kept = service::KeptReach {
                reaches: &reaches,
                stamp,
                lists: &lists,
            };
            service::list(conn, scope, reads, &query, &kept)
        },
    )
    .await
    .map(web::Json)
}

/// Clients who may be the person a registration form describes, best first, each with a
/// score from 0 to 1 and the reasons: the same HKID, phone or date of birth, or names
/// alike across Chinese characters, Hong Kong romanisation and pinyin. The query string
/// never reaches the access log, which records method, path, status and request id only.
#[utoipa::path(get, path = "/api/clients/matches", tag = "clients", security(("bearer" = [])), params(MatchQuery),
    responses((status = 200, body = ClientMatches), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn matches(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<MatchQuery>,
) -> Result<web::Json<ClientMatches>, ApiError> {
    let (query, threshold) = (query.0, state.match_threshold);
    in_scope(
        &state,
        principal,
        Permission::ViewClients,
        move |conn, scope, reads| service::matches(conn, scope, reads, &query, threshold),
    )
    .await
    .map(web::Json)
}

/// Register a client.
#[utoipa::path(post, path = "/api/clients", tag = "clients", security(("bearer" = [])), request_body = ClientForm,
    responses((status = 201, body = Client), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<ClientForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.0;
    let client = in_scope(
        &state,
        principal,
        Permission::EditClients,
        move |conn, scope, _| service::create(conn, scope, &form),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/clients/{}", client.id)))
        .json(client))
}

/// One client of the caller's centre; any other id answers 404.
#[utoipa::path(get, path = "/api/clients/{id}", tag = "clients", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Client), (status = 404, body = ErrorBody)))]
pub async fn read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Client>, ApiError> {
    let id = id.into_inner();
    in_scope(
        &state,
        principal,
        Permission::ViewClients,
        move |conn, scope, reads| service::view(conn, scope, reads, &id),
    )
    .await
    .map(web::Json)
}

/// Edit a client. The form carries the version it was read at; a stale one gets 409.
#[utoipa::path(put, path = "/api/clients/{id}", tag = "clients", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ClientForm,
    responses((status = 200, body = Client), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ClientForm>,
) -> Result<web::Json<Client>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    in_scope(
        &state,
        principal,
        Permission::EditClients,
        move |conn, scope, _| service::update(conn, scope, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Merge another record of the same person into this one: its cases, household
/// memberships, note participations and enquiries move here, and it stays as a tombstone
/// pointing here. Each record's version is the one it was read at.
#[utoipa::path(post, path = "/api/clients/{id}/merges", tag = "clients", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = MergeForm,
    responses((status = 201, body = ClientMerge), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn merge(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<MergeForm>,
) -> Result<HttpResponse, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    let merged = in_scope(
        &state,
        principal,
        Permission::MergeClients,
        move |conn, scope, _| merging::merge(conn, scope, &id, &form),
    )
    .await?;
    Ok(HttpResponse::Created().json(merged))
}

/// The merges a record took part in: those merged into it, or the one it was merged into.
#[utoipa::path(get, path = "/api/clients/{id}/merges", tag = "clients", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<ClientMerge>), (status = 404, body = ErrorBody)))]
pub async fn merges(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<ClientMerge>>, ApiError> {
    let id = id.into_inner();
    in_scope(
        &state,
        principal,
        Permission::ViewClients,
        move |conn, scope, reads| merging::merges(conn, scope, reads, &id),
    )
    .await
    .map(web::Json)
}

/// The clients the caller may see (optionally those a search finds) as an Excel workbook,
/// cut at the row limit: `x-export-rows` and `x-export-matching` then differ, and the file
/// says so under the table.
#[utoipa::path(post, path = "/api/clients/export.xlsx", tag = "clients", security(("bearer" = [])),
    request_body = ClientExportRequest,
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export_xlsx(
    state: web::Data<AppState>,
    principal: Principal,
    request: ValidJson<ClientExportRequest>,
) -> Result<HttpResponse, ApiError> {
    let query = ClientQuery::from(request.0);
    let (row_limit, lists) = (state.export_row_limit, state.lists.clone());
    let export = in_scope(
        &state,
        principal,
        Permission::ExportClients,
        move |conn, scope, reads| service::export(conn, scope, reads, &query, row_limit, &lists),
    )
    .await?;
    let (rows, matching) = (export.clients.len(), export.matching);
    let bytes = web::block(move || export::workbook(&export))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let filename = format!("clients-{}.xlsx", service::hong_kong_today());
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-export-rows", rows.to_string()))
        .insert_header(("x-export-matching", matching.to_string()))
        // A workbook is a zip already: compressing it again would only cost time.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .body(bytes))
}
