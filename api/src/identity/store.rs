//! Database access for agencies, centres, users, sessions and sign-in failures.

use chrono::NaiveDateTime;
use common::districts::District;
use common::identity::{AgencyRef, CentreRef, Locale, Me, Role, Roles, Unit};
use diesel::prelude::*;

use crate::db::schema::{
    agencies, centres, login_throttle, reach_stamps, sessions, units, user_roles, users,
};
use crate::db::{new_id, now, unreadable, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub agency_id: Option<String>,
    pub centre_id: Option<String>,
    pub unit_id: Option<String>,
    pub locale: String,
    pub active: bool,
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a Roles,
    pub agency_id: Option<&'a str>,
    pub centre_id: Option<&'a str>,
    pub unit_id: Option<&'a str>,
}

pub fn insert_user(conn: &mut DbConnection, user: &NewUser) -> QueryResult<String> {
    let id = new_id();
    let at = now();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::username.eq(user.username),
            users::display_name.eq(user.display_name),
            users::password_hash.eq(user.password_hash),
            users::agency_id.eq(user.agency_id),
            users::centre_id.eq(user.centre_id),
            users::unit_id.eq(user.unit_id),
            users::locale.eq(Locale::default().as_str()),
            users::active.eq(true),
            users::created_at.eq(at),
            users::updated_at.eq(at),
        ))
        .execute(conn)?;
    for role in user.roles.iter() {
        diesel::insert_into(user_roles::table)
            .values((
                user_roles::user_id.eq(&id),
                user_roles::role.eq(role.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// The unit a user works in: its id and kind.
pub fn unit(conn: &mut DbConnection, unit_id: &str) -> QueryResult<Unit> {
    let kind: String = units::table.find(unit_id).select(units::kind).first(conn)?;
    Unit::parse(&kind).ok_or_else(|| unreadable("units.kind", &kind))
}

/// The id of a centre's unit of the given kind, when both are named.
pub fn unit_id(
    conn: &mut DbConnection,
    centre_id: Option<&str>,
    unit: Option<Unit>,
) -> QueryResult<Option<String>> {
    let (Some(centre_id), Some(unit)) = (centre_id, unit) else {
        return Ok(None);
    };
    units::table
        .filter(units::centre_id.eq(centre_id))
        .filter(units::kind.eq(unit.as_str()))
        .select(units::id)
        .first(conn)
        .map(Some)
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut DbConnection, user_id: &str) -> QueryResult<UserRow> {
    users::table
        .find(user_id)
        .select(UserRow::as_select())
        .first(conn)
}

pub fn set_active(conn: &mut DbConnection, username: &str, active: bool) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::username.eq(username)))
        .set((users::active.eq(active), users::updated_at.eq(now())))
        .execute(conn)
}

pub fn set_locale(conn: &mut DbConnection, user_id: &str, locale: Locale) -> QueryResult<usize> {
    diesel::update(users::table.find(user_id))
        .set((
            users::locale.eq(locale.as_str()),
            users::updated_at.eq(now()),
        ))
        .execute(conn)
}

pub fn count_users(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Counts one more failure against `key` within the window that began after
/// `window_after`, answering the count now held. The increment happens in place, so
/// parallel attempts each see the others' (a row lock on PostgreSQL, the write lock on
/// SQLite). Call it after [`prune_attempts`], in the same transaction, so that a window
/// that has passed starts again at one.
pub fn count_attempt(
    conn: &mut DbConnection,
    key: &str,
    window_after: NaiveDateTime,
) -> QueryResult<i64> {
    let in_window = login_throttle::table
        .filter(login_throttle::key.eq(key))
        .filter(login_throttle::window_start.gt(window_after));
    let bumped = diesel::update(in_window)
        .set(login_throttle::failures.eq(login_throttle::failures + 1))
        .execute(conn)?;
    if bumped == 0 {
        // A passed window was pruned by the caller (`prune_attempts`). Deleting by key here
        // instead could remove the row a parallel attempt has just committed.
        // A parallel first attempt may insert the same key: the savepoint lets this one
        // count on that row instead of failing.
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(login_throttle::table)
                .values((
                    login_throttle::key.eq(key),
                    login_throttle::window_start.eq(now()),
                    login_throttle::failures.eq(1_i64),
                ))
                .execute(conn)
        });
        match inserted {
            Ok(_) => {}
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {
                diesel::update(login_throttle::table.filter(login_throttle::key.eq(key)))
                    .set(login_throttle::failures.eq(login_throttle::failures + 1))
                    .execute(conn)?;
            }
            Err(other) => return Err(other),
        }
    }
    login_throttle::table
        .filter(login_throttle::key.eq(key))
        .select(login_throttle::failures)
        .first(conn)
}

/// Takes back one counted attempt (it succeeded).
pub fn uncount_attempt(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::update(
        login_throttle::table
            .filter(login_throttle::key.eq(key))
            .filter(login_throttle::failures.gt(0_i64)),
    )
    .set(login_throttle::failures.eq(login_throttle::failures - 1))
    .execute(conn)
}

/// Forgets every failure counted against `key`.
pub fn clear_attempts(conn: &mut DbConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.filter(login_throttle::key.eq(key))).execute(conn)
}

/// Forgets windows that have passed, so the table holds only what still matters.
pub fn prune_attempts(conn: &mut DbConnection, window_after: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(login_throttle::table.filter(login_throttle::window_start.le(window_after)))
        .execute(conn)
}

pub fn create_session(
    conn: &mut DbConnection,
    user_id: &str,
    expires_at: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(&id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now()),
            sessions::expires_at.eq(expires_at),
            sessions::last_active_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn revoke_session(conn: &mut DbConnection, session_id: &str) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .find(session_id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now()))
    .execute(conn)
}

/// A session as a request finds it.
#[derive(Clone)]
pub struct LiveSession {
    pub user: UserRow,
    pub expires_at: NaiveDateTime,
    pub last_active_at: NaiveDateTime,
    /// The user's `reach_stamps` (0 before any): what a kept reach of theirs is checked by.
    pub reach_stamp: i64,
}

/// The user behind a live session, with their roles: not revoked, not expired, not idle
/// since `active_after`, account active. One statement, since every request asks.
pub fn live_session(
    conn: &mut DbConnection,
    session_id: &str,
    user_id: &str,
    active_after: NaiveDateTime,
) -> QueryResult<Option<(LiveSession, Roles)>> {
    type Row = (
        UserRow,
        NaiveDateTime,
        NaiveDateTime,
        Option<String>,
        Option<i64>,
    );
    let rows: Vec<Row> = sessions::table
        .inner_join(
            users::table
                .left_join(user_roles::table)
                .left_join(reach_stamps::table),
        )
        .filter(sessions::id.eq(session_id))
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::expires_at.gt(now()))
        .filter(sessions::last_active_at.gt(active_after))
        .filter(users::active.eq(true))
        .select((
            UserRow::as_select(),
            sessions::expires_at,
            sessions::last_active_at,
            user_roles::role.nullable(),
            reach_stamps::stamp.nullable(),
        ))
        .load(conn)?;
    let roles = rows
        .iter()
        .filter_map(|(.., role, _)| role.as_deref())
        .map(|name| Role::parse(name).ok_or_else(|| unreadable("user_roles.role", name)))
        .collect::<QueryResult<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .next()
        .map(|(user, expires_at, last_active_at, _, reach_stamp)| {
            let session = LiveSession {
                user,
                expires_at,
                last_active_at,
                reach_stamp: reach_stamp.unwrap_or(0),
            };
            (session, Roles::new(roles))
        }))
}

pub fn touch_session(conn: &mut DbConnection, session_id: &str) -> QueryResult<usize> {
    diesel::update(sessions::table.find(session_id))
        .set(sessions::last_active_at.eq(now()))
        .execute(conn)
}

pub fn me(
    conn: &mut DbConnection,
    user: &UserRow,
    roles: &Roles,
    idle_timeout: chrono::Duration,
) -> QueryResult<Me> {
    let agency = match &user.agency_id {
        Some(id) => Some(
            agencies::table
                .find(id)
                .select((
                    agencies::id,
                    agencies::code,
                    agencies::name_zh,
                    agencies::name_en,
                ))
                .first::<(String, String, String, String)>(conn)
                .map(|(id, code, name_zh, name_en)| AgencyRef {
                    id,
                    code,
                    name_zh,
                    name_en,
                })?,
        ),
        None => None,
    };
    let centre = match &user.centre_id {
        Some(id) => Some(centre_ref(conn, id)?),
        None => None,
    };
    let unit = user
        .unit_id
        .as_deref()
        .map(|id| unit(conn, id))
        .transpose()?;
    Ok(Me {
        id: user.id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        roles: roles.clone(),
        agency,
        centre,
        unit,
        locale: Locale::parse(&user.locale)
            .ok_or_else(|| unreadable("users.locale", &user.locale))?,
        permissions: roles.permissions(),
        idle_timeout_seconds: idle_timeout.num_seconds(),
    })
}

pub fn centre_ref(conn: &mut DbConnection, centre_id: &str) -> QueryResult<CentreRef> {
    let (id, code, name_zh, name_en, district) = centres::table
        .find(centre_id)
        .select((
            centres::id,
            centres::code,
            centres::name_zh,
            centres::name_en,
            centres::district,
        ))
        .first::<(String, String, String, String, String)>(conn)?;
    Ok(CentreRef {
        id,
        code,
        name_zh,
        name_en,
        district: District::from_code(&district)
            .ok_or_else(|| unreadable("centres.district", &district))?,
    })
}

pub fn agency_id_by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<String>> {
    agencies::table
        .filter(agencies::code.eq(code))
        .select(agencies::id)
        .first(conn)
        .optional()
}

/// A centre's id and its agency's id, by the centre's code.
pub fn centre_by_code(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<(String, String)>> {
    centres::table
        .filter(centres::code.eq(code))
        .select((centres::id, centres::agency_id))
        .first(conn)
        .optional()
}

pub fn insert_agency(
    conn: &mut DbConnection,
    code: &str,
    name_zh: &str,
    name_en: &str,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(agencies::table)
        .values((
            agencies::id.eq(&id),
            agencies::code.eq(code),
            agencies::name_zh.eq(name_zh),
            agencies::name_en.eq(name_en),
            agencies::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(id)
}

pub struct NewCentre<'a> {
    pub agency_id: &'a str,
    pub code: &'a str,
    pub name_zh: &'a str,
    pub name_en: &'a str,
    pub kind: &'a str,
    pub district: District,
}

/// A centre always has its three units.
pub fn insert_centre(conn: &mut DbConnection, centre: &NewCentre) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(centres::table)
        .values((
            centres::id.eq(&id),
            centres::agency_id.eq(centre.agency_id),
            centres::code.eq(centre.code),
            centres::name_zh.eq(centre.name_zh),
            centres::name_en.eq(centre.name_en),
            centres::kind.eq(centre.kind),
            centres::district.eq(centre.district.code()),
            centres::created_at.eq(now()),
        ))
        .execute(conn)?;
    for kind in ["family_resource", "family_support", "family_counselling"] {
        diesel::insert_into(units::table)
            .values((
                units::id.eq(new_id()),
                units::centre_id.eq(&id),
                units::kind.eq(kind),
            ))
            .execute(conn)?;
    }
    Ok(id)
}
