use actix_web::{web, HttpResponse};
use common::circle::{
    AttachQuery, HideForm, LockForm, PageQuery, Post, PostForm, Reaction, ReactionForm, ReportForm,
    ReportQueue, RetitleForm, Thread, ThreadForm, ThreadList, ThreadQuery,
};
use common::error::ErrorBody;
use common::hub::VersionQuery;
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use super::store::AttachmentRow;
use crate::db::{new_id, now};
use crate::error::ApiError;
use crate::extract::{from_value, ValidJson, ValidQuery};
use crate::files;
use crate::hub::index::folded;
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(
        list,
        start,
        view,
        retitle,
        reply,
        lock,
        edit,
        react,
        report,
        hide,
        dismiss,
        attach,
        download,
        remove_file,
        reports
    ),
    components(schemas(Reaction))
)]
pub struct CircleApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/circle/threads").get(list).post(start))
        .service(web::resource("/circle/threads/{id}").get(view).put(retitle))
        .service(web::resource("/circle/threads/{id}/replies").post(reply))
        .service(web::resource("/circle/threads/{id}/lock").post(lock))
        .service(web::resource("/circle/posts/{id}").put(edit))
        .service(web::resource("/circle/posts/{id}/reactions").post(react))
        .service(web::resource("/circle/posts/{id}/reports").post(report))
        .service(web::resource("/circle/posts/{id}/visibility").post(hide))
        .service(web::resource("/circle/posts/{id}/dismissal").post(dismiss))
        .service(web::resource("/circle/posts/{id}/attachments").post(attach))
        .service(
            web::resource("/circle/attachments/{id}")
                .get(download)
                .delete(remove_file),
        )
        .service(web::resource("/circle/reports").get(reports));
}

/// Threads of every agency, the latest active first: searched by words of their titles
/// and posts (Chinese in either script, or English), narrowed to a topic.
#[utoipa::path(get, path = "/api/circle/threads", tag = "circle", security(("bearer" = [])), params(ThreadQuery),
    responses((status = 200, body = ThreadList), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<ThreadQuery>,
) -> Result<web::Json<ThreadList>, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let query = query.0;
    state
        .db(move |conn| service::list(conn, &principal, &query))
        .await
        .map(web::Json)
}

/// Start a thread on a topic, with its opening post.
#[utoipa::path(post, path = "/api/circle/threads", tag = "circle", security(("bearer" = [])), request_body = ThreadForm,
    responses((status = 201, body = Thread), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<ThreadForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let form = form.0;
    let thread = state
        .db(move |conn| service::start(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created().json(thread))
}

/// A thread with its opening post and a page of its replies.
#[utoipa::path(get, path = "/api/circle/threads/{id}", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path), PageQuery),
    responses((status = 200, body = Thread), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn view(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<Thread>, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let window = query.0.parse().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    state
        .db(move |conn| service::thread(conn, &principal, &id, window))
        .await
        .map(web::Json)
}

/// Change a thread's title and topic (none in a course's discussion), at the version
/// read: its author while they may edit its opening post (not once locked), or a
/// moderator.
#[utoipa::path(put, path = "/api/circle/threads/{id}", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RetitleForm,
    responses((status = 200, body = Thread), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn retitle(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<serde_json::Value>,
) -> Result<web::Json<Thread>, ApiError> {
    // Read after the permission, so that who may not take part learns nothing of the form.
    principal.require(Permission::JoinCircle)?;
    let form: RetitleForm = from_value(form.0)?;
    let id = id.into_inner();
    state
        .db(move |conn| service::retitle(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Reply to a thread; a locked thread takes none (409 `thread_locked`).
#[utoipa::path(post, path = "/api/circle/threads/{id}/replies", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = PostForm,
    responses((status = 201, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reply(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<PostForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let (id, form) = (id.into_inner(), form.0);
    let post = state
        .db(move |conn| service::reply(conn, &principal, &id, &form))
        .await?;
    Ok(HttpResponse::Created().json(post))
}

/// Lock a thread or open it again, at the version read: a moderator's.
#[utoipa::path(post, path = "/api/circle/threads/{id}/lock", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = LockForm,
    responses((status = 200, body = Thread), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn lock(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<serde_json::Value>,
) -> Result<web::Json<Thread>, ApiError> {
    // Read after the permission, so that who may not moderate learns nothing of the form.
    principal.require(Permission::ModerateCircle)?;
    let form: LockForm = from_value(form.0)?;
    let id = id.into_inner();
    state
        .db(move |conn| service::set_locked(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Change the words of one's own post, at the version read (409 `version_conflict` when
/// it changed meanwhile).
#[utoipa::path(put, path = "/api/circle/posts/{id}", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = PostForm,
    responses((status = 200, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<PostForm>,
) -> Result<web::Json<Post>, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::edit(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Give a reaction to a post, or take it back when given already.
#[utoipa::path(post, path = "/api/circle/posts/{id}/reactions", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReactionForm,
    responses((status = 200, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn react(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<serde_json::Value>,
) -> Result<web::Json<Post>, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let form: ReactionForm = from_value(form.0)?;
    let id = id.into_inner();
    state
        .db(move |conn| service::react(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Ask the moderators to look at a post, saying why.
#[utoipa::path(post, path = "/api/circle/posts/{id}/reports", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReportForm,
    responses((status = 201, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ReportForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let (id, form) = (id.into_inner(), form.0);
    let post = state
        .db(move |conn| service::report(conn, &principal, &id, &form))
        .await?;
    Ok(HttpResponse::Created().json(post))
}

/// Hide a post (saying why) or show it again, at the version read: a moderator's.
#[utoipa::path(post, path = "/api/circle/posts/{id}/visibility", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = HideForm,
    responses((status = 200, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn hide(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<serde_json::Value>,
) -> Result<web::Json<Post>, ApiError> {
    principal.require(Permission::ModerateCircle)?;
    let form: HideForm = from_value(form.0)?;
    let id = id.into_inner();
    state
        .db(move |conn| service::set_hidden(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Take a post's reports off the queue without hiding it: a moderator's.
#[utoipa::path(post, path = "/api/circle/posts/{id}/dismissal", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn dismiss(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Post>, ApiError> {
    principal.require(Permission::ModerateCircle)?;
    let id = id.into_inner();
    state
        .db(move |conn| service::dismiss(conn, &principal, &id))
        .await
        .map(web::Json)
}

/// Add a file to one's own post. The body is the file's bytes; its kind is read from them
/// (PDF, Word, Excel, PowerPoint, PNG, JPEG, MP4, MP3, plain text), never from its name.
#[utoipa::path(post, path = "/api/circle/posts/{id}/attachments", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path), AttachQuery), request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attach(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<AttachQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let name = query.0.file_name().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    // Refused before the bytes are read when the member may not add to the post.
    let checked = (principal.clone(), id.clone());
    state
        .db(move |conn| service::attachable(conn, &checked.0, &checked.1))
        .await?;
    let file_store = state.files.clone();
    let received = files::receive(&file_store, payload).await?;
    let (read, kind, extraction) = (
        received.bytes.clone(),
        received.kind,
        state.extraction.clone(),
    );
    let text_folded = web::block(move || folded(&extraction.text(kind, &read)))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let file_id = new_id();
    let key = format!("circle/{id}/{file_id}.{}", received.kind.extension);
    let row = AttachmentRow {
        id: file_id,
        post_id: id,
        file_name: name,
        media_type: received.kind.media_type.to_owned(),
        size_bytes: received.size(),
        sha256: received.sha256.clone(),
        storage_key: key.clone(),
        uploaded_by: principal.user_id.clone(),
        uploaded_at: now(),
        text_folded,
    };
    file_store.put(&key, received.bytes).await?;
    let recorded = state
        .db(move |conn| service::attach(conn, &principal, &row))
        .await;
    match recorded {
        Ok(post) => Ok(HttpResponse::Created().json(post)),
        Err(error) => {
            file_store.delete(&key).await;
            Err(error)
        }
    }
}

/// Download a file of a post the reader may read.
#[utoipa::path(get, path = "/api/circle/attachments/{id}", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn download(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let id = id.into_inner();
    let file = state
        .db(move |conn| service::attachment(conn, &principal, &id))
        .await?;
    let bytes = state.files.get(&file.storage_key).await?;
    Ok(files::download(file.file_name, &file.media_type, bytes))
}

/// Take a file off a post, at the post's version read: its author while they may edit it,
/// or a moderator. Its bytes are deleted from the file store once that is kept.
#[utoipa::path(delete, path = "/api/circle/attachments/{id}", tag = "circle", security(("bearer" = [])),
    params(("id" = String, Path), VersionQuery),
    responses((status = 200, body = Post), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn remove_file(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: Result<ValidQuery<VersionQuery>, ApiError>,
) -> Result<web::Json<Post>, ApiError> {
    // Read after the permission, as the form of `retitle` is.
    principal.require(Permission::JoinCircle)?;
    let (id, version) = (id.into_inner(), query?.0.version);
    let (post, storage_key) = state
        .db(move |conn| service::remove_attachment(conn, &principal, &id, version))
        .await?;
    state.files.delete(&storage_key).await;
    Ok(web::Json(post))
}

/// The posts with reports waiting, the earliest reported first: for the moderators.
#[utoipa::path(get, path = "/api/circle/reports", tag = "circle", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = ReportQueue), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reports(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<PageQuery>,
) -> Result<web::Json<ReportQueue>, ApiError> {
    principal.require(Permission::ModerateCircle)?;
    let window = query.0.parse().map_err(ApiError::Validation)?;
    state
        .db(move |conn| service::reports(conn, &principal, window))
        .await
        .map(web::Json)
}
