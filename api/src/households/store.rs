//! Database access for households. The service decides reach (through the members'
//! client records) before any of these run.

use chrono::{NaiveDate, NaiveDateTime};
use common::households::HouseholdDetails;
use diesel::prelude::*;

use crate::db::schema::{clients, household_memberships, households};
use crate::db::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = households)]
pub struct HouseholdRow {
    pub id: String,
    pub centre_id: String,
    pub district: String,
    pub address: String,
    pub household_type: String,
    pub housing_type: String,
    pub cssa_status: String,
    pub cssa_case_type: Option<String>,
    pub income_band: String,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

/// A membership with the member's identity, as the household page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct MemberRow {
    pub household_id: String,
    pub client_id: String,
    pub relationship: String,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub name_zh: String,
    pub name_en: String,
    pub sex: String,
    pub date_of_birth: NaiveDate,
}

/// The columns a household's details fill, on recording and on every edit.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = households, treat_none_as_null = true)]
struct Described<'a> {
    district: &'a str,
    address: &'a str,
    household_type: &'a str,
    housing_type: &'a str,
    cssa_status: &'a str,
    cssa_case_type: Option<&'a str>,
    income_band: &'a str,
}

impl<'a> From<&'a HouseholdDetails> for Described<'a> {
    fn from(details: &'a HouseholdDetails) -> Self {
        Described {
            district: details.district.code(),
            address: &details.address,
            household_type: details.household_type.as_str(),
            housing_type: details.housing_type.as_str(),
            cssa_status: details.cssa_status.as_str(),
            cssa_case_type: details.cssa_case_type.map(|t| t.as_str()),
            income_band: details.income_band.as_str(),
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    centre_id: &str,
    details: &HouseholdDetails,
    actor: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(households::table)
        .values((
            households::id.eq(id),
            households::centre_id.eq(centre_id),
            Described::from(details),
            households::version.eq(1_i64),
            households::created_by.eq(actor),
            households::updated_by.eq(actor),
            households::created_at.eq(at),
            households::updated_at.eq(at),
        ))
        .execute(conn)
}

/// Writes only if the household is still at `expected_version`.
pub fn update_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    details: &HouseholdDetails,
    actor: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let written = diesel::update(
        households::table
            .filter(households::id.eq(id))
            .filter(households::version.eq(expected_version)),
    )
    .set((
        Described::from(details),
        households::version.eq(expected_version + 1),
        households::updated_by.eq(actor),
        households::updated_at.eq(at),
    ))
    .execute(conn)?;
    crate::risk::store::touch_household(conn, id)?;
    Ok(written)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<HouseholdRow>> {
    households::table
        .find(id)
        .select(HouseholdRow::as_select())
        .first(conn)
        .optional()
}

/// Every membership of the household, present and past, with who the member is.
pub fn members(conn: &mut DbConnection, household_id: &str) -> QueryResult<Vec<MemberRow>> {
    household_memberships::table
        .inner_join(clients::table)
        .filter(household_memberships::household_id.eq(household_id))
        .order((household_memberships::joined_on, household_memberships::id))
        .select((
            household_memberships::household_id,
            household_memberships::client_id,
            household_memberships::relationship,
            household_memberships::joined_on,
            household_memberships::left_on,
            clients::name_zh,
            clients::name_en,
            clients::sex,
            clients::date_of_birth,
        ))
        .load(conn)
}

/// A person's present membership: (household, relationship, joined on).
pub fn present_of(
    conn: &mut DbConnection,
    client_id: &str,
) -> QueryResult<Option<(String, String, NaiveDate)>> {
    household_memberships::table
        .filter(household_memberships::client_id.eq(client_id))
        .filter(household_memberships::left_on.is_null())
        .select((
            household_memberships::household_id,
            household_memberships::relationship,
            household_memberships::joined_on,
        ))
        .first(conn)
        .optional()
}

/// A person's ended memberships, latest first.
pub fn past_of(conn: &mut DbConnection, client_id: &str) -> QueryResult<Vec<MemberRow>> {
    household_memberships::table
        .inner_join(clients::table)
        .filter(household_memberships::client_id.eq(client_id))
        .filter(household_memberships::left_on.is_not_null())
        .order((
            household_memberships::left_on.desc(),
            household_memberships::id.desc(),
        ))
        .select((
            household_memberships::household_id,
            household_memberships::client_id,
            household_memberships::relationship,
            household_memberships::joined_on,
            household_memberships::left_on,
            clients::name_zh,
            clients::name_en,
            clients::sex,
            clients::date_of_birth,
        ))
        .load(conn)
}

pub fn join(
    conn: &mut DbConnection,
    household_id: &str,
    client_id: &str,
    relationship: &str,
    joined_on: NaiveDate,
    actor: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let joined = diesel::insert_into(household_memberships::table)
        .values((
            household_memberships::id.eq(crate::db::new_id()),
            household_memberships::household_id.eq(household_id),
            household_memberships::client_id.eq(client_id),
            household_memberships::relationship.eq(relationship),
            household_memberships::joined_on.eq(joined_on),
            household_memberships::recorded_by.eq(actor),
            household_memberships::created_at.eq(at),
        ))
        .execute(conn)?;
    crate::risk::store::touch_household(conn, household_id)?;
    Ok(joined)
}

/// Ends a person's present membership on `left_on`; answers how many ended (0 or 1).
pub fn leave(conn: &mut DbConnection, client_id: &str, left_on: NaiveDate) -> QueryResult<usize> {
    crate::risk::store::touch_household_of(conn, client_id)?;
    diesel::update(
        household_memberships::table
            .filter(household_memberships::client_id.eq(client_id))
            .filter(household_memberships::left_on.is_null()),
    )
    .set(household_memberships::left_on.eq(Some(left_on)))
    .execute(conn)
}

/// Moves one person's memberships, present and past, to another record of them (a
/// merge). A person is in one household at a time: when both records are in one now,
/// the same household keeps the survivor's membership alone, and another household's
/// ends on `today` and stays as history. Answers how many memberships moved.
pub fn move_member(
    conn: &mut DbConnection,
    from: &str,
    to: &str,
    today: NaiveDate,
) -> QueryResult<usize> {
    let present = |conn: &mut DbConnection, client_id: &str| {
        household_memberships::table
            .filter(household_memberships::client_id.eq(client_id))
            .filter(household_memberships::left_on.is_null())
            .select((
                household_memberships::id,
                household_memberships::household_id,
            ))
            .first::<(String, String)>(conn)
            .optional()
    };
    if let (Some((from_id, from_household)), Some((_, to_household))) =
        (present(conn, from)?, present(conn, to)?)
    {
        let row = household_memberships::table.filter(household_memberships::id.eq(&from_id));
        if from_household == to_household {
            diesel::delete(row).execute(conn)?;
        } else {
            diesel::update(row)
                .set(household_memberships::left_on.eq(today))
                .execute(conn)?;
        }
    }
    diesel::update(household_memberships::table.filter(household_memberships::client_id.eq(from)))
        .set(household_memberships::client_id.eq(to))
        .execute(conn)
}
