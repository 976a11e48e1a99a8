//! A resource's files: kept in the platform's file store (`crate::files`), checked by
//! their content, their text taken for search, their downloads counted.

use actix_web::{web, HttpResponse};
use common::error::ErrorBody;
use common::hub::{Resource, UploadQuery, VersionQuery};
use serde_json::json;

use super::service::{self, editable, keep_version, reader_of, seen};
use super::store::{self, FileRow};
use crate::audit;
use crate::db::{self, new_id, now, DbConnection};
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::files;
use crate::identity::{Principal, Visitor};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/resources/{id}/files").post(upload))
        .service(
            web::resource("/resource-files/{id}")
                .get(download)
                .delete(remove),
        );
}

fn record_file(
    conn: &mut DbConnection,
    principal: &Principal,
    (resource_id, version): (&str, i64),
    file: &FileRow,
) -> Result<(), ApiError> {
    db::transaction(conn, |conn| {
        editable(conn, principal, resource_id)?;
        if !store::touch(conn, resource_id, version, now())? {
            return Err(ApiError::version_conflict("resource"));
        }
        store::insert_file(conn, file)?;
        keep_version(
            conn,
            resource_id,
            "file_added",
            &file.file_name,
            &principal.user_id,
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "resource.file_add",
            ("resource", Some(resource_id)),
            Some(
                json!({ "file": file.id, "media_type": file.media_type, "size": file.size_bytes }),
            ),
        )?;
        Ok(())
    })
}

/// Add a file to a resource, at the resource's version read. The body is the file's
/// bytes; its kind is read from them (PDF, Word, Excel, PowerPoint, PNG, JPEG, MP4, MP3,
/// plain text), never from its name.
#[utoipa::path(post, path = "/api/resources/{id}/files", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path), UploadQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Resource), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (id, query) = (id.into_inner(), query.0);
    let name = query.file_name().map_err(ApiError::Validation)?;
    // Refused before the bytes are read when the user may not add to it.
    let checked = (principal.clone(), id.clone());
    state
        .db(move |conn| editable(conn, &checked.0, &checked.1).map(drop))
        .await?;
    let file_store = state.files.clone();
    let received = files::receive(&file_store, payload).await?;
    let (read, kind, extraction) = (
        received.bytes.clone(),
        received.kind,
        state.extraction.clone(),
    );
    // The child is waited for on a blocking thread, never an async worker.
    let text = web::block(move || extraction.text(kind, &read))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let file_id = new_id();
    let key = format!("resources/{id}/{file_id}.{}", kind.extension);
    let row = FileRow {
        id: file_id,
        resource_id: id.clone(),
        file_name: name,
        media_type: kind.media_type.to_owned(),
        size_bytes: received.size(),
        sha256: received.sha256,
        storage_key: key.clone(),
        extracted_text: text,
        downloads: 0,
        uploaded_by: principal.user_id.clone(),
        uploaded_at: now(),
        removed_at: None,
    };
    file_store.put(&key, received.bytes).await?;
    let shelf = state.hub.clone();
    let recorded = state
        .db(move |conn| {
            record_file(conn, &principal, (&id, query.version), &row)?;
            shelf.refresh(conn, &id)?;
            service::view(conn, Some(&principal), &id)
        })
        .await;
    match recorded {
        Ok(resource) => Ok(HttpResponse::Created().json(resource)),
        Err(error) => {
            file_store.delete(&key).await;
            Err(error)
        }
    }
}

/// Download a file of a resource the reader sees; counted among the resource's uses.
#[utoipa::path(get, path = "/api/resource-files/{id}", tag = "hub", params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn download(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (id, shelf) = (id.into_inner(), state.hub.clone());
    let file = state
        .db(move |conn| {
            let file = store::find_file(conn, &id)?.ok_or(ApiError::NotFound)?;
            seen(conn, &reader_of(visitor.0.as_ref()), &file.resource_id)?;
            db::transaction(conn, |conn| store::count_download(conn, &file))?;
            shelf.refresh_uses(conn, &file.resource_id)?;
            Ok(file)
        })
        .await?;
    let bytes = state.files.get(&file.storage_key).await?;
    Ok(files::download(file.file_name, &file.media_type, bytes))
}

/// Take a file off a resource, at the resource's version read. Its bytes stay, so the
/// versions that had it still name a file that was.
#[utoipa::path(delete, path = "/api/resource-files/{id}", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path), VersionQuery),
    responses((status = 200, body = Resource), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn remove(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<VersionQuery>,
) -> Result<web::Json<Resource>, ApiError> {
    let (id, version, shelf) = (id.into_inner(), query.0.version, state.hub.clone());
    state
        .db(move |conn| {
            let file = store::find_file(conn, &id)?.ok_or(ApiError::NotFound)?;
            seen(conn, &reader_of(Some(&principal)), &file.resource_id)?;
            let resource_id = file.resource_id.clone();
            db::transaction(conn, |conn| {
                editable(conn, &principal, &resource_id)?;
                if !store::touch(conn, &resource_id, version, now())? {
                    return Err(ApiError::version_conflict("resource"));
                }
                store::remove_file(conn, &file.id, now())?;
                keep_version(
                    conn,
                    &resource_id,
                    "file_removed",
                    &file.file_name,
                    &principal.user_id,
                )?;
                audit::record(
                    conn,
                    &principal.actor(),
                    "resource.file_remove",
                    ("resource", Some(&resource_id)),
                    Some(json!({ "file": file.id })),
                )?;
                Ok(())
            })?;
            shelf.refresh(conn, &resource_id)?;
            service::view(conn, Some(&principal), &resource_id)
        })
        .await
        .map(web::Json)
}
