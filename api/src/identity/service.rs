//! Sign-in rules: throttling, sessions and token lifetimes.

use actix_web::web;
use chrono::{Duration, NaiveDateTime};
use common::error::ValidationErrors;
use common::identity::{activity_step_seconds, LoginRequest, LoginResponse, Roles};
use diesel::prelude::*;

use super::{password, store, token, Principal};
use crate::audit::{self, Actor};
use crate::db::{self, now, utc, DbConnection};
use crate::error::ApiError;
use crate::kept::Kept;
use crate::state::AppState;

/// A token is short-lived; the app renews it while the session lives.
pub const TOKEN_LIFETIME: Duration = Duration::minutes(30);
/// A session lasts a working day at most, then the user signs in again.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);
/// After this many failed sign-ins to one account within the window, the account pauses.
pub const ACCOUNT_FAILURES_MAX: i64 = 5;
/// A centre's staff may share one public address, so an address may fail more often;
/// only failures count against it.
pub const ADDRESS_FAILURES_MAX: i64 = 30;
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);

pub const USERNAME_MAX: usize = 64;
pub const PASSWORD_MAX: usize = 256;

/// Usernames compare without case or surrounding spaces.
pub fn normalise_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

fn validate(request: &LoginRequest) -> Result<String, ApiError> {
    let username = normalise_username(&request.username);
    let mut errors = ValidationErrors::default();
    if username.is_empty() {
        errors.add("username", "required", "Username is required");
    } else if username.chars().count() > USERNAME_MAX {
        errors.add(
            "username",
            "too_long",
            format!("At most {USERNAME_MAX} characters"),
        );
    }
    if request.password.is_empty() {
        errors.add("password", "required", "Password is required");
    } else if request.password.chars().count() > PASSWORD_MAX {
        errors.add(
            "password",
            "too_long",
            format!("At most {PASSWORD_MAX} characters"),
        );
    }
    errors
        .into_result(|| username)
        .map_err(ApiError::Validation)
}

fn account_key(user_id: &str) -> String {
    format!("account:{user_id}")
}

fn address_key(ip: &str) -> String {
    format!("address:{ip}")
}

/// A sign-in attempt, already counted against its account (when the name is one) and
/// its address, before the password is checked: parallel guesses cannot all slip in.
struct Attempt {
    user: Option<store::UserRow>,
    ip: Option<String>,
}

/// Signs in. The password is checked (Argon2, slow on purpose) without holding a pooled
/// connection, so a burst of sign-ins cannot starve everyone else of the database.
pub async fn login(
    state: &AppState,
    request: LoginRequest,
    ip: Option<String>,
) -> Result<LoginResponse, ApiError> {
    let username = validate(&request)?;
    let attempt = state
        .db(move |conn| count_attempt(conn, &username, ip))
        .await?;
    let stored_hash = attempt.user.as_ref().map(|u| u.password_hash.clone());
    let verified = web::block(move || match stored_hash {
        Some(hash) => password::verify(&request.password, &hash),
        None => {
            password::burn_time(&request.password);
            false
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let key = state.secrets.token_key.clone();
    state
        .db(move |conn| conclude(conn, &key, attempt, verified))
        .await
}

fn count_attempt(
    conn: &mut DbConnection,
    username: &str,
    ip: Option<String>,
) -> Result<Attempt, ApiError> {
    let window_after = now() - FAILURE_WINDOW;
    let user = store::find_by_username(conn, username)?;
    let mut limits = Vec::new();
    if let Some(user) = &user {
        limits.push((account_key(&user.id), ACCOUNT_FAILURES_MAX));
    }
    if let Some(ip) = &ip {
        limits.push((address_key(ip), ADDRESS_FAILURES_MAX));
    }
    db::transaction(conn, |conn| {
        store::prune_attempts(conn, window_after)?;
        for (key, max) in &limits {
            // Over the limit, the transaction rolls back: a refused attempt counts nothing.
            if store::count_attempt(conn, key, window_after)? > *max {
                return Err(ApiError::TooManyAttempts);
            }
        }
        Ok(())
    })?;
    Ok(Attempt { user, ip })
}

/// Ends a counted attempt: a failure stays counted and is audited (under the account's id
/// when the name was one, never under the typed name, which may be a password typed
/// into the wrong box); a success clears the account's count and opens a session.
fn conclude(
    conn: &mut DbConnection,
    token_key: &[u8],
    attempt: Attempt,
    verified: bool,
) -> Result<LoginResponse, ApiError> {
    let Attempt { user, ip } = attempt;
    let user = match user {
        Some(user) if verified && user.active => user,
        other => {
            let user_id = other.map(|u| u.id);
            let actor = Actor {
                user_id: user_id.clone(),
                ip,
            };
            audit::record(
                conn,
                &actor,
                "auth.login_failed",
                ("user", user_id.as_deref()),
                None,
            )?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    let session_expires = now() + SESSION_LIFETIME;
    let actor = Actor {
        user_id: Some(user.id.clone()),
        ip: ip.clone(),
    };
    let session_id = db::transaction(conn, |conn| {
        store::clear_attempts(conn, &account_key(&user.id))?;
        if let Some(ip) = &ip {
            store::uncount_attempt(conn, &address_key(ip))?;
        }
        let session_id = store::create_session(conn, &user.id, session_expires)?;
        audit::record(
            conn,
            &actor,
            "auth.login",
            ("session", Some(&session_id)),
            None,
        )?;
        QueryResult::Ok(session_id)
    })?;
    issue(token_key, &user.id, &session_id, session_expires)
}

/// How long a session as read answers the requests that follow while this process has
/// ended no transaction since: a sign-out, deactivation or change of roles made by another
/// server process takes effect within it; one made by this process, at once.
pub const SESSION_RECHECK: std::time::Duration = std::time::Duration::from_secs(1);

/// Sessions as last read, by id, with [`db::transactions_ended`] then: every request
/// reads its session, and a user's requests come several a second.
pub type KeptSessions = Kept<String, KeptSession, 4096>;

#[derive(Clone)]
pub struct KeptSession {
    session: store::LiveSession,
    roles: Roles,
    read_at: std::time::Instant,
}

/// Whether a user's request at `at` is activity to write: it is written at most once per
/// [`activity_step_seconds`], so that reading is not writing.
fn activity_due(
    session: &store::LiveSession,
    at: NaiveDateTime,
    idle_timeout: Duration,
    user_activity: bool,
) -> bool {
    let step = Duration::seconds(activity_step_seconds(idle_timeout.num_seconds()));
    user_activity && at - session.last_active_at >= step
}

/// Whether a session as read still lets a request in at `at` without the database: not
/// expired, not idle, and no activity of the request's to write. The database's read
/// applies the same conditions.
fn stands(
    session: &store::LiveSession,
    at: NaiveDateTime,
    idle_timeout: Duration,
    user_activity: bool,
) -> bool {
    session.expires_at > at
        && session.last_active_at > at - idle_timeout
        && !activity_due(session, at, idle_timeout, user_activity)
}

/// The session a token names as this process last read it, if that read still stands.
pub fn kept_session(
    kept: &KeptSessions,
    claims: &token::Claims,
    idle_timeout: Duration,
    user_activity: bool,
) -> Option<(store::LiveSession, Roles)> {
    let found = kept.get(&claims.sid, db::transactions_ended())?;
    (found.read_at.elapsed() < SESSION_RECHECK
        && found.session.user.id == claims.sub
        && stands(&found.session, now(), idle_timeout, user_activity))
    .then_some((found.session, found.roles))
}

/// The session a token names, if it is live and has not been idle for `idle_timeout`,
/// read from the database and kept. A user's request counts as activity.
pub fn resume_session(
    conn: &mut DbConnection,
    kept: &KeptSessions,
    claims: &token::Claims,
    idle_timeout: Duration,
    user_activity: bool,
) -> Result<(store::LiveSession, Roles), ApiError> {
    let ended = db::transactions_ended();
    let at = now();
    let (mut session, roles) =
        store::live_session(conn, &claims.sid, &claims.sub, at - idle_timeout)?
            .ok_or(ApiError::Unauthenticated)?;
    if activity_due(&session, at, idle_timeout, user_activity) {
        store::touch_session(conn, &claims.sid)?;
        session.last_active_at = at;
    }
    let found = KeptSession {
        session: session.clone(),
        roles: roles.clone(),
        read_at: std::time::Instant::now(),
    };
    kept.keep(claims.sid.clone(), ended, found);
    Ok((session, roles))
}

/// A fresh token for a live session, never outliving the session.
pub fn refresh(token_key: &[u8], principal: &Principal) -> Result<LoginResponse, ApiError> {
    issue(
        token_key,
        &principal.user_id,
        &principal.session_id,
        principal.session_expires,
    )
}

fn issue(
    key: &[u8],
    user_id: &str,
    session_id: &str,
    session_expires: NaiveDateTime,
) -> Result<LoginResponse, ApiError> {
    let expires_at = utc((now() + TOKEN_LIFETIME).min(session_expires));
    let token = token::issue(key, user_id, session_id, expires_at)
        .ok_or_else(|| ApiError::Internal("could not sign token".into()))?;
    Ok(LoginResponse { token, expires_at })
}

pub fn logout(conn: &mut DbConnection, principal: &Principal) -> Result<(), ApiError> {
    db::transaction(conn, |conn| {
        store::revoke_session(conn, &principal.session_id)?;
        audit::record(
            conn,
            &principal.actor(),
            "auth.logout",
            ("session", Some(&principal.session_id)),
            None,
        )
    })?;
    Ok(())
}

/// Clears the failed sign-ins counted against an account, so its user may try again
/// at once (their address's count is left to expire). Answers whether the user exists.
pub fn unlock(conn: &mut DbConnection, actor: &Actor, username: &str) -> Result<bool, ApiError> {
    db::transaction(conn, |conn| {
        let Some(user) = store::find_by_username(conn, username)? else {
            return Ok(false);
        };
        store::clear_attempts(conn, &account_key(&user.id))?;
        audit::record(conn, actor, "user.unlock", ("user", Some(&user.id)), None)?;
        Ok(true)
    })
}
