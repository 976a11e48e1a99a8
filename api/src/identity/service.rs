//! Sign-in rules: throttling, sessions and token lifetimes.

use chrono::{Duration, NaiveDateTime};
use common::error::ValidationErrors;
use common::identity::{LoginRequest, LoginResponse};
use diesel::prelude::*;
use serde_json::json;

use super::{password, store, token, Principal};
use crate::audit::{self, Actor};
use crate::db::{self, now, utc, DbConnection};
use crate::error::ApiError;

/// A token is short-lived; the app renews it while the session lives.
pub const TOKEN_LIFETIME: Duration = Duration::minutes(30);
/// A session lasts a working day at most, then the user signs in again.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);
/// After this many failures within the window, sign-in for that username pauses.
pub const MAX_FAILURES: i64 = 5;
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

pub fn login(
    conn: &mut DbConnection,
    token_key: &[u8],
    request: &LoginRequest,
    ip: Option<String>,
) -> Result<LoginResponse, ApiError> {
    let username = validate(request)?;
    let window_start = now() - FAILURE_WINDOW;
    if store::failures_since(conn, &username, window_start)? >= MAX_FAILURES {
        return Err(ApiError::TooManyAttempts);
    }
    let user = store::find_by_username(conn, &username)?;
    let verified = match &user {
        Some(user) => password::verify(&request.password, &user.password_hash) && user.active,
        None => {
            password::burn_time(&request.password);
            false
        }
    };
    let user = match user {
        Some(user) if verified => user,
        other => {
            let actor = Actor {
                user_id: other.map(|u| u.id),
                ip,
            };
            db::transaction(conn, |conn| {
                store::record_failure(conn, &username, window_start)?;
                audit::record(
                    conn,
                    &actor,
                    "auth.login_failed",
                    ("user", None),
                    Some(json!({ "username": username })),
                )
            })?;
            return Err(ApiError::InvalidCredentials);
        }
    };
    let session_expires = now() + SESSION_LIFETIME;
    let actor = Actor {
        user_id: Some(user.id.clone()),
        ip,
    };
    let session_id = db::transaction(conn, |conn| {
        store::clear_failures(conn, &username)?;
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
