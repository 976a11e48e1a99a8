use actix_web::{web, HttpResponse};
use common::error::ErrorBody;
use common::hub::{
    CollectionForm, RatingForm, Resource, ResourceForm, ResourceHit, ResourceQuery,
    ResourceResults, ResourceSort, ResourceVersion, Shelf, StepForm, VersionQuery,
};
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::{Principal, Visitor};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(
        search,
        create,
        view,
        edit,
        step,
        rate,
        versions,
        related,
        bookmark,
        unbookmark,
        shelf,
        create_collection,
        rename_collection,
        delete_collection,
        collect,
        uncollect,
        super::files::upload,
        super::files::download,
        super::files::remove
    ),
    components(schemas(ResourceSort))
)]
pub struct HubApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/resources").get(search).post(create))
        .service(web::resource("/resources/{id}").get(view).put(edit))
        .service(web::resource("/resources/{id}/status").post(step))
        .service(web::resource("/resources/{id}/rating").post(rate))
        .service(web::resource("/resources/{id}/versions").get(versions))
        .service(web::resource("/resources/{id}/related").get(related))
        .service(
            web::resource("/resources/{id}/bookmark")
                .put(bookmark)
                .delete(unbookmark),
        )
        .service(web::resource("/hub/shelf").get(shelf))
        .service(web::resource("/hub/collections").post(create_collection))
        .service(
            web::resource("/hub/collections/{id}")
                .put(rename_collection)
                .delete(delete_collection),
        )
        .service(
            web::resource("/hub/collections/{id}/resources/{resource}")
                .put(collect)
                .delete(uncollect),
        )
        .configure(super::files::configure);
}

/// Search the shelf: words in Chinese or English over titles, summaries and the text of
/// files, narrowed by facets, with the facets' counts. Without sign-in, public resources
/// only.
#[utoipa::path(get, path = "/api/resources", tag = "hub", params(ResourceQuery),
    responses((status = 200, body = ResourceResults), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    state: web::Data<AppState>,
    visitor: Visitor,
    query: ValidQuery<ResourceQuery>,
) -> Result<web::Json<ResourceResults>, ApiError> {
    let (shelf, query) = (state.hub.clone(), query.0);
    state
        .db(move |conn| service::search(conn, visitor.0.as_ref(), &shelf, &query))
        .await
        .map(web::Json)
}

/// Put a resource on the shelf, as a draft of the contributor's agency.
#[utoipa::path(post, path = "/api/resources", tag = "hub", security(("bearer" = [])),
    request_body = ResourceForm,
    responses((status = 201, body = Resource), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<ResourceForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ContributeResources)?;
    let (shelf, form) = (state.hub.clone(), form.0);
    let resource = state
        .db(move |conn| service::create(conn, &principal, &shelf, &form))
        .await?;
    Ok(HttpResponse::Created().json(resource))
}

/// One resource, with its files and what the reader may do with it.
#[utoipa::path(get, path = "/api/resources/{id}", tag = "hub", params(("id" = String, Path)),
    responses((status = 200, body = Resource), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn view(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<String>,
) -> Result<web::Json<Resource>, ApiError> {
    let id = id.into_inner();
    state
        .db(move |conn| service::view(conn, visitor.0.as_ref(), &id))
        .await
        .map(web::Json)
}

/// Change a resource's words, at the version read: its contributor while a draft, a
/// reviewer until archived.
#[utoipa::path(put, path = "/api/resources/{id}", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ResourceForm,
    responses((status = 200, body = Resource), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ResourceForm>,
) -> Result<web::Json<Resource>, ApiError> {
    let (shelf, id, form) = (state.hub.clone(), id.into_inner(), form.0);
    state
        .db(move |conn| service::edit(conn, &principal, &shelf, &id, &form))
        .await
        .map(web::Json)
}

/// Move a resource along its workflow: submit, take back, return, approve, publish,
/// archive.
#[utoipa::path(post, path = "/api/resources/{id}/status", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StepForm,
    responses((status = 200, body = Resource), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn step(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<StepForm>,
) -> Result<web::Json<Resource>, ApiError> {
    let (shelf, id, form) = (state.hub.clone(), id.into_inner(), form.0);
    state
        .db(move |conn| service::step(conn, &principal, &shelf, &id, &form))
        .await
        .map(web::Json)
}

/// Rate the evidence behind a resource: a reviewer's, recorded with who and when.
#[utoipa::path(post, path = "/api/resources/{id}/rating", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RatingForm,
    responses((status = 200, body = Resource), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<serde_json::Value>,
) -> Result<web::Json<Resource>, ApiError> {
    // Read after the permission, so that who may not rate learns nothing of the form.
    principal.require(Permission::ReviewResources)?;
    let form: RatingForm = crate::extract::from_value(form.0)?;
    let (shelf, id) = (state.hub.clone(), id.into_inner());
    state
        .db(move |conn| service::rate(conn, &principal, &shelf, &id, &form))
        .await
        .map(web::Json)
}

/// Every version of a resource, the latest first.
#[utoipa::path(get, path = "/api/resources/{id}/versions", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<ResourceVersion>), (status = 404, body = ErrorBody)))]
pub async fn versions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<ResourceVersion>>, ApiError> {
    let id = id.into_inner();
    state
        .db(move |conn| service::versions(conn, &principal, &id))
        .await
        .map(web::Json)
}

/// Published resources on the same topics, that the reader sees.
#[utoipa::path(get, path = "/api/resources/{id}/related", tag = "hub", params(("id" = String, Path)),
    responses((status = 200, body = Vec<ResourceHit>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn related(
    state: web::Data<AppState>,
    visitor: Visitor,
    id: web::Path<String>,
) -> Result<web::Json<Vec<ResourceHit>>, ApiError> {
    let (shelf, id) = (state.hub.clone(), id.into_inner());
    state
        .db(move |conn| service::related(conn, visitor.0.as_ref(), &shelf, &id))
        .await
        .map(web::Json)
}

async fn keep(
    state: web::Data<AppState>,
    principal: Principal,
    id: String,
    bookmarked: bool,
) -> Result<web::Json<Resource>, ApiError> {
    let shelf = state.hub.clone();
    state
        .db(move |conn| service::keep(conn, &principal, &shelf, &id, bookmarked))
        .await
        .map(web::Json)
}

/// Bookmark a resource.
#[utoipa::path(put, path = "/api/resources/{id}/bookmark", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Resource), (status = 404, body = ErrorBody)))]
pub async fn bookmark(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Resource>, ApiError> {
    keep(state, principal, id.into_inner(), true).await
}

/// Take a bookmark away.
#[utoipa::path(delete, path = "/api/resources/{id}/bookmark", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Resource), (status = 404, body = ErrorBody)))]
pub async fn unbookmark(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Resource>, ApiError> {
    keep(state, principal, id.into_inner(), false).await
}

/// The reader's bookmarks and named collections.
#[utoipa::path(get, path = "/api/hub/shelf", tag = "hub", security(("bearer" = [])),
    responses((status = 200, body = Shelf), (status = 401, body = ErrorBody)))]
pub async fn shelf(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Shelf>, ApiError> {
    state
        .db(move |conn| service::shelf(conn, &principal))
        .await
        .map(web::Json)
}

/// Start a named collection.
#[utoipa::path(post, path = "/api/hub/collections", tag = "hub", security(("bearer" = [])),
    request_body = CollectionForm,
    responses((status = 201, body = Shelf), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_collection(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<CollectionForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.0;
    let shelf = state
        .db(move |conn| service::create_collection(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created().json(shelf))
}

/// Rename a collection, at the version read.
#[utoipa::path(put, path = "/api/hub/collections/{id}", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CollectionForm,
    responses((status = 200, body = Shelf), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn rename_collection(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<CollectionForm>,
) -> Result<web::Json<Shelf>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    state
        .db(move |conn| service::rename_collection(conn, &principal, &id, &form))
        .await
        .map(web::Json)
}

/// Delete a collection (never the resources in it), at the version read.
#[utoipa::path(delete, path = "/api/hub/collections/{id}", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path), VersionQuery),
    responses((status = 200, body = Shelf), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_collection(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    query: ValidQuery<VersionQuery>,
) -> Result<web::Json<Shelf>, ApiError> {
    let (id, version) = (id.into_inner(), query.0.version);
    state
        .db(move |conn| service::delete_collection(conn, &principal, &id, version))
        .await
        .map(web::Json)
}

async fn collecting(
    state: web::Data<AppState>,
    principal: Principal,
    path: (String, String),
    collected: bool,
) -> Result<web::Json<Shelf>, ApiError> {
    let shelf = state.hub.clone();
    state
        .db(move |conn| service::collect(conn, &principal, &shelf, (&path.0, &path.1), collected))
        .await
        .map(web::Json)
}

/// Put a resource into one of the reader's collections.
#[utoipa::path(put, path = "/api/hub/collections/{id}/resources/{resource}", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path), ("resource" = String, Path)),
    responses((status = 200, body = Shelf), (status = 404, body = ErrorBody)))]
pub async fn collect(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Shelf>, ApiError> {
    collecting(state, principal, path.into_inner(), true).await
}

/// Take a resource out of a collection.
#[utoipa::path(delete, path = "/api/hub/collections/{id}/resources/{resource}", tag = "hub", security(("bearer" = [])),
    params(("id" = String, Path), ("resource" = String, Path)),
    responses((status = 200, body = Shelf), (status = 404, body = ErrorBody)))]
pub async fn uncollect(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<Shelf>, ApiError> {
    collecting(state, principal, path.into_inner(), false).await
}
