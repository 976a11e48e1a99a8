//! Who is asking, and what they may do. Permissions are decided by `Role::can` in
//! `common`; handlers only name the permission they need.

pub mod password;
pub mod routes;
pub mod service;
pub mod store;
pub mod token;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::NaiveDateTime;
use common::identity::{Permission, Role};
use futures_util::future::LocalBoxFuture;

use crate::audit::Actor;
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user behind a request, checked against the database on every request
/// so that sign-out and deactivation take effect at once.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: String,
    pub session_id: String,
    pub session_expires: NaiveDateTime,
    pub role: Role,
    pub agency_id: Option<String>,
    pub centre_id: Option<String>,
    pub ip: Option<String>,
}

impl Principal {
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.role.can(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The centre whose client records this user works with, once the permission holds.
    pub fn record_centre(&self, permission: Permission) -> Result<&str, ApiError> {
        self.require(permission)?;
        self.centre_id.as_deref().ok_or(ApiError::Forbidden)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user_id.clone()),
            ip: self.ip.clone(),
        }
    }
}

pub fn peer_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|addr| addr.ip().to_string())
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::to_owned);
        let ip = peer_ip(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("state missing".into()))?;
            let claims = bearer
                .and_then(|t| token::verify(&state.secrets.token_key, &t))
                .ok_or(ApiError::Unauthenticated)?;
            let session_id = claims.sid.clone();
            let (user, session_expires) = state
                .db(move |conn| Ok(store::live_session(conn, &claims.sid, &claims.sub)?))
                .await?
                .ok_or(ApiError::Unauthenticated)?;
            let role = user.role().ok_or(ApiError::Unauthenticated)?;
            Ok(Principal {
                user_id: user.id,
                session_id,
                session_expires,
                role,
                agency_id: user.agency_id,
                centre_id: user.centre_id,
                ip,
            })
        })
    }
}
