use actix_web::http::header;
use actix_web::{web, HttpResponse};
use common::clients::{Client, ClientForm, ClientPage, ClientQuery};
use common::error::ErrorBody;
use common::identity::Permission;

use super::export;
use super::service::{self, Scope};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::identity::Principal;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/clients").get(list).post(create))
        .service(web::resource("/clients/export.xlsx").get(export_xlsx))
        .service(web::resource("/clients/{id}").get(read).put(update));
}

/// Runs one client rule for the caller's centre, once they hold `permission`.
async fn in_scope<T, F>(
    state: &AppState,
    principal: Principal,
    permission: Permission,
    rule: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut crate::db::DbConnection, &Scope) -> Result<T, ApiError> + Send + 'static,
{
    let centre_id = principal.record_centre(permission)?.to_owned();
    let key = state.secrets.hkid_key.clone();
    state
        .db(move |conn| {
            let actor = principal.actor();
            rule(
                conn,
                &Scope {
                    centre_id: &centre_id,
                    actor: &actor,
                    hkid_key: &key,
                },
            )
        })
        .await
}

/// Search the centre's clients by name fragment, phone or the start of an HKID.
#[utoipa::path(get, path = "/api/clients", tag = "clients", security(("bearer" = [])), params(ClientQuery),
    responses((status = 200, body = ClientPage), (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<ClientQuery>,
) -> Result<web::Json<ClientPage>, ApiError> {
    let query = query.into_inner();
    in_scope(
        &state,
        principal,
        Permission::ViewClients,
        move |conn, scope| service::list(conn, scope, &query),
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
        move |conn, scope| service::create(conn, scope, &form),
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
        move |conn, scope| service::view(conn, scope, &id),
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
        move |conn, scope| service::update(conn, scope, &id, &form),
    )
    .await
    .map(web::Json)
}

/// The clients the caller may see (optionally filtered by `q`) as an Excel workbook.
#[utoipa::path(get, path = "/api/clients/export.xlsx", tag = "clients", security(("bearer" = [])), params(ClientQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody)))]
pub async fn export_xlsx(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<ClientQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let clients = in_scope(
        &state,
        principal,
        Permission::ExportClients,
        move |conn, scope| service::export(conn, scope, &query),
    )
    .await?;
    let bytes = web::block(move || export::workbook(&clients))
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
        // A workbook is a zip already: compressing it again would only cost time.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .body(bytes))
}
