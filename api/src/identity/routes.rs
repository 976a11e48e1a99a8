use actix_web::{web, HttpRequest, HttpResponse};
use common::identity::{LocaleUpdate, LoginRequest, LoginResponse, Me};

use super::{client_ip, service, store, Principal, Renewal};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/login").post(login))
        .service(web::resource("/auth/logout").post(logout))
        .service(web::resource("/auth/refresh").post(refresh))
        .service(web::resource("/auth/activity").post(activity))
        .service(web::resource("/me").get(me))
        .service(web::resource("/me/locale").put(set_locale));
}

/// Sign in with a username and password.
#[utoipa::path(post, path = "/api/auth/login", tag = "identity", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = common::error::ErrorBody),
        (status = 422, body = common::error::ErrorBody), (status = 429, body = common::error::ErrorBody)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ValidJson<LoginRequest>,
) -> Result<web::Json<LoginResponse>, ApiError> {
    let ip = client_ip(&req, &state.trusted_proxies);
    service::login(&state, body.0, ip).await.map(web::Json)
}

/// End the session: every token of it stops working at once.
#[utoipa::path(post, path = "/api/auth/logout", tag = "identity", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = common::error::ErrorBody)))]
pub async fn logout(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    state
        .db(move |conn| service::logout(conn, &principal))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A new short-lived token for the current session. Renewal is not user activity: it
/// does not keep an idle session alive.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "identity", security(("bearer" = [])),
    responses((status = 200, body = LoginResponse), (status = 401, body = common::error::ErrorBody)))]
pub async fn refresh(
    state: web::Data<AppState>,
    renewal: Renewal,
) -> Result<web::Json<LoginResponse>, ApiError> {
    service::refresh(&state.secrets.token_key, &renewal.0).map(web::Json)
}

/// The user is at work in the app (typing, clicking) without calling the API: their
/// session is not idle.
#[utoipa::path(post, path = "/api/auth/activity", tag = "identity", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = common::error::ErrorBody)))]
pub async fn activity(_principal: Principal) -> HttpResponse {
    HttpResponse::NoContent().finish()
}

/// The signed-in user, their centre and what they may do.
#[utoipa::path(get, path = "/api/me", tag = "identity", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = common::error::ErrorBody)))]
pub async fn me(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Me>, ApiError> {
    let idle_timeout = state.idle_timeout;
    state
        .db(move |conn| {
            let user = store::find_by_id(conn, &principal.user_id)?;
            Ok(store::me(conn, &user, &principal.roles, idle_timeout)?)
        })
        .await
        .map(web::Json)
}

/// Remember the user's interface language.
#[utoipa::path(put, path = "/api/me/locale", tag = "identity", security(("bearer" = [])), request_body = LocaleUpdate,
    responses((status = 200, body = Me), (status = 400, body = common::error::ErrorBody)))]
pub async fn set_locale(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<LocaleUpdate>,
) -> Result<web::Json<Me>, ApiError> {
    let locale = body.0.locale;
    let idle_timeout = state.idle_timeout;
    state
        .db(move |conn| {
            store::set_locale(conn, &principal.user_id, locale)?;
            let user = store::find_by_id(conn, &principal.user_id)?;
            Ok(store::me(conn, &user, &principal.roles, idle_timeout)?)
        })
        .await
        .map(web::Json)
}
