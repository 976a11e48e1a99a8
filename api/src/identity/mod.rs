//! Who is asking, and what they may do. Permissions and record reach are decided by
//! `Role::can` and `Role::reach` in `common`; handlers name the permission or the kind of
//! record they need, and stores filter by the [`RecordScope`] resolved here.

pub mod password;
pub mod routes;
pub mod service;
pub mod store;
pub mod token;

use std::net::IpAddr;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::NaiveDateTime;
use common::identity::{Access, Permission, Reach, Records, Roles};
use diesel::dsl;
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use futures_util::future::LocalBoxFuture;

use crate::audit::Actor;
use crate::db::schema::centres;
use crate::db::MultiBackend;
use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in user behind a request, checked against the database on every request,
/// or against this process's read of it when that stands ([`service::SESSION_RECHECK`]):
/// a sign-out, deactivation or change of roles takes effect at once in the process that
/// made it, and within a second in any other.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: String,
    pub session_id: String,
    pub session_expires: NaiveDateTime,
    pub roles: Roles,
    pub agency_id: Option<String>,
    pub centre_id: Option<String>,
    pub unit_id: Option<String>,
    pub ip: Option<String>,
    /// Moves whenever the clients the user's casework reaches, or the cases they hold,
    /// may have changed.
    pub reach_stamp: i64,
}

/// Which centres' records a request may touch.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Centres {
    One(String),
    Agency(String),
    All,
}

/// A condition a store filters its rows by.
pub type Condition<QS> = Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>>;

impl Centres {
    /// That a row's centre, in `column`, is one of these; none for every centre, so a
    /// store asks nothing then. The one reading of `Centres` every store narrows by.
    pub fn condition<C, QS>(&self, column: C) -> Option<Condition<QS>>
    where
        C: ExpressionMethods + Expression<SqlType = Text>,
        dsl::Eq<C, String>: BoxableExpression<QS, MultiBackend, SqlType = Bool> + 'static,
        dsl::EqAny<C, agency_centres>:
            BoxableExpression<QS, MultiBackend, SqlType = Bool> + 'static,
    {
        match self {
            Centres::One(centre_id) => Some(Box::new(column.eq(centre_id.clone()))),
            Centres::Agency(agency_id) => {
                Some(Box::new(column.eq_any(agency_centres(agency_id.clone()))))
            }
            Centres::All => None,
        }
    }
}

#[dsl::auto_type]
fn agency_centres(agency_id: String) -> _ {
    centres::table
        .filter(centres::agency_id.eq(agency_id))
        .select(centres::id)
}

/// The records of one kind a request may touch, in ids every store filters by: the
/// centres, and within them the user's own casework where the reach is that narrow. A
/// request gets it from [`Principal::record_scope`] and nowhere else; the seed, acting
/// for no request, names its centre directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordScope {
    pub centres: Centres,
    /// Only this user's casework (see [`Reach::Own`]).
    pub owner_id: Option<String>,
    /// To read, a narrow reach also takes in cases shared with the owner.
    pub access: Access,
}

impl RecordScope {
    /// The one centre new records are made in.
    pub fn home_centre(&self) -> Result<&str, ApiError> {
        match &self.centres {
            Centres::One(centre_id) => Ok(centre_id),
            Centres::Agency(_) | Centres::All => Err(ApiError::Forbidden),
        }
    }
}

impl Principal {
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.roles.can(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The records of this kind the user may read or change, as the reach policy
    /// (`Role::reach` in common) decides for their roles; no reach is 403.
    pub fn record_scope(&self, records: Records, access: Access) -> Result<RecordScope, ApiError> {
        let reach = self
            .roles
            .reach(records, access)
            .ok_or(ApiError::Forbidden)?;
        let known = |id: &Option<String>| id.clone().ok_or(ApiError::Forbidden);
        let (centres, owner_id) = match reach {
            Reach::Own => (
                Centres::One(known(&self.centre_id)?),
                Some(self.user_id.clone()),
            ),
            Reach::Centre => (Centres::One(known(&self.centre_id)?), None),
            Reach::Agency => (Centres::Agency(known(&self.agency_id)?), None),
            Reach::All => (Centres::All, None),
        };
        Ok(RecordScope {
            centres,
            owner_id,
            access,
        })
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
        let (idle_timeout, user_activity) = (state.idle_timeout, activity == Activity::User);
        let session_id = claims.sid.clone();
        let kept = state.sessions.clone();
        let (session, roles) =
            match service::kept_session(&kept, &claims, idle_timeout, user_activity) {
                Some(resumed) => resumed,
                None => {
                    state
                        .db(move |conn| {
                            service::resume_session(
                                conn,
                                &kept,
                                &claims,
                                idle_timeout,
                                user_activity,
                            )
                        })
                        .await?
                }
            };
        Ok(Principal {
            user_id: session.user.id,
            session_id,
            session_expires: session.expires_at,
            roles,
            agency_id: session.user.agency_id,
            centre_id: session.user.centre_id,
            unit_id: session.user.unit_id,
            ip,
            reach_stamp: session.reach_stamp,
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

/// Whoever asks for what the public may also read: nobody signed in when the request
/// carries no credentials, else the signed-in user (an expired or revoked token is still
/// refused, so the app renews it rather than falling back to the public's view).
pub struct Visitor(pub Option<Principal>);

impl FromRequest for Visitor {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        if !req
            .headers()
            .contains_key(actix_web::http::header::AUTHORIZATION)
        {
            return Box::pin(async { Ok(Visitor(None)) });
        }
        let principal = authenticate(req, Activity::User);
        Box::pin(async move { principal.await.map(|p| Visitor(Some(p))) })
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
