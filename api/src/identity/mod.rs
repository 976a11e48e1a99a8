//! Who is asking, and what they may do. Permissions are decided by `Role::can` in
//! `common`; handlers only name the permission they need.

pub mod password;
pub mod routes;
pub mod service;
pub mod store;
pub mod token;

use std::net::IpAddr;

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

/// The address a request comes from: the peer's, unless the peer is a proxy the operator
/// named in `FAMILYLINK_TRUSTED_PROXIES`; then the nearest address in `X-Forwarded-For`
/// that is not such a proxy. Anyone can send that header, so it is believed only then.
pub fn client_ip(req: &HttpRequest, trusted: &[IpAddr]) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer.to_string());
    }
    let forwarded: Option<Vec<IpAddr>> = req
        .headers()
        .get_all("x-forwarded-for")
        .flat_map(|value| value.to_str().unwrap_or("?").split(','))
        .map(|hop| hop.trim().parse().ok())
        .collect();
    let client = forwarded
        .unwrap_or_default()
        .into_iter()
        .rev()
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer);
    Some(client.to_string())
}

/// Whether a request is the user's doing. A token renewal is the app's, so on its own
/// it must not keep an unattended session alive.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Activity {
    User,
    Renewal,
}

fn authenticate(
    req: &HttpRequest,
    activity: Activity,
) -> LocalBoxFuture<'static, Result<Principal, ApiError>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let bearer = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::to_owned);
    let ip = state
        .as_ref()
        .and_then(|state| client_ip(req, &state.trusted_proxies));
    Box::pin(async move {
        let state = state.ok_or_else(|| ApiError::Internal("state missing".into()))?;
        let claims = bearer
            .and_then(|t| token::verify(&state.secrets.token_key, &t))
            .ok_or(ApiError::Unauthenticated)?;
        let idle_timeout = state.idle_timeout;
        let session_id = claims.sid.clone();
        let session = state
            .db(move |conn| {
                service::resume_session(conn, &claims, idle_timeout, activity == Activity::User)
            })
            .await?;
        let role = session.user.role().ok_or(ApiError::Unauthenticated)?;
        Ok(Principal {
            user_id: session.user.id,
            session_id,
            session_expires: session.expires_at,
            role,
            agency_id: session.user.agency_id,
            centre_id: session.user.centre_id,
            ip,
        })
    })
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        authenticate(req, Activity::User)
    }
}

/// The signed-in user of a token renewal, which does not count as their activity.
pub struct Renewal(pub Principal);

impl FromRequest for Renewal {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let principal = authenticate(req, Activity::Renewal);
        Box::pin(async move { principal.await.map(Renewal) })
    }
}
