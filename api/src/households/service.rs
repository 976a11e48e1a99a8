//! The rules of households: reached through their present members' records, one
//! household per person at a time, moves kept as history, one principal who stays.

use common::households::{
    ClientHousehold, EarlierMembership, Household, HouseholdForm, LeavingForm, Membership,
    MembershipForm, Relationship,
};
use common::identity::{Access, Records};
use serde_json::json;

use super::store::{self, HouseholdRow, MemberRow};
use crate::audit::{self, ReadAudit};
use crate::cases::store::contact_withheld;
use crate::clients::service::hong_kong_today;
use crate::clients::store as clients;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

fn present_ids(members: &[MemberRow]) -> Vec<&str> {
    members
        .iter()
        .filter(|m| m.left_on.is_none())
        .map(|m| m.client_id.as_str())
        .collect()
}

/// Whether the user reaches one of the household's present members with `access`.
fn reaches(
    conn: &mut DbConnection,
    principal: &Principal,
    members: &[MemberRow],
    access: Access,
) -> Result<bool, ApiError> {
    let scope = principal.record_scope(Records::Clients, access)?;
    Ok(!clients::reached_among(conn, &present_ids(members), &scope)?.is_empty())
}

/// A household the user may change, with its memberships: one they can only read is
/// 403, one they cannot see 404.
fn writable(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<(HouseholdRow, Vec<MemberRow>), ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let members = store::members(conn, id)?;
    if reaches(conn, principal, &members, Access::Write)? {
        Ok((row, members))
    } else if reaches(conn, principal, &members, Access::Read).unwrap_or(false) {
        Err(ApiError::Forbidden)
    } else {
        Err(ApiError::NotFound)
    }
}

/// A client the user may change, or the field naming them is refused.
fn writable_client(
    conn: &mut DbConnection,
    principal: &Principal,
    field: &str,
    client_id: &str,
) -> Result<clients::ClientRow, ApiError> {
    let scope = principal.record_scope(Records::Clients, Access::Write)?;
    clients::find(conn, client_id, &scope)?.ok_or_else(|| {
        ApiError::field(
            field,
            "unknown_client",
            "Choose a client registered with you",
        )
    })
}

fn withheld_from(
    conn: &mut DbConnection,
    principal: &Principal,
    members: &[MemberRow],
) -> Result<bool, ApiError> {
    Ok(!contact_withheld(conn, &principal.user_id, &present_ids(members))?.is_empty())
}

fn membership(row: &MemberRow) -> Result<Membership, ApiError> {
    Ok(Membership {
        client_id: row.client_id.clone(),
        name_zh: row.name_zh.clone(),
        name_en: row.name_en.clone(),
        sex: common::clients::Sex::parse(&row.sex)
            .ok_or_else(|| db::unreadable("clients.sex", &row.sex))?,
        date_of_birth: row.date_of_birth,
        relationship: relationship(&row.relationship)?,
        joined_on: row.joined_on,
        left_on: row.left_on,
    })
}

fn relationship(code: &str) -> Result<Relationship, ApiError> {
    Ok(Relationship::parse(code)
        .ok_or_else(|| db::unreadable("household_memberships.relationship", code))?)
}

/// The household as its page shows it to this user.
fn household(
    conn: &mut DbConnection,
    principal: &Principal,
    row: HouseholdRow,
    members: Vec<MemberRow>,
) -> Result<Household, ApiError> {
    let withheld = withheld_from(conn, principal, &members)?;
    let mut listed = members
        .iter()
        .map(membership)
        .collect::<Result<Vec<_>, _>>()?;
    // Present members, the principal first; then those who left, latest first.
    listed.sort_by(|a, b| {
        (
            a.left_on.is_some(),
            a.relationship != Relationship::Principal,
        )
            .cmp(&(
                b.left_on.is_some(),
                b.relationship != Relationship::Principal,
            ))
            .then(b.left_on.cmp(&a.left_on))
            .then(a.joined_on.cmp(&b.joined_on))
    });
    let unreadable = |column: &str, code: &str| db::unreadable(column, code);
    Ok(Household {
        district: common::districts::District::from_code(&row.district)
            .ok_or_else(|| unreadable("households.district", &row.district))?,
        address: if withheld { String::new() } else { row.address },
        address_withheld: withheld,
        household_type: common::households::HouseholdType::parse(&row.household_type)
            .ok_or_else(|| unreadable("households.household_type", &row.household_type))?,
        housing_type: common::households::HousingType::parse(&row.housing_type)
            .ok_or_else(|| unreadable("households.housing_type", &row.housing_type))?,
        cssa_status: common::households::CssaStatus::parse(&row.cssa_status)
            .ok_or_else(|| unreadable("households.cssa_status", &row.cssa_status))?,
        cssa_case_type: row
            .cssa_case_type
            .as_deref()
            .map(|code| {
                common::households::CssaCaseType::parse(code)
                    .ok_or_else(|| unreadable("households.cssa_case_type", code))
            })
            .transpose()?,
        income_band: common::households::IncomeBand::parse(&row.income_band)
            .ok_or_else(|| unreadable("households.income_band", &row.income_band))?,
        members: listed,
        id: row.id,
        centre_id: row.centre_id,
        version: row.version,
        updated_at: utc(row.updated_at),
    })
}

/// Records a household around a client, who moves into it from any other.
pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &HouseholdForm,
) -> Result<Household, ApiError> {
    let parsed = form.parse();
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    let client_id = form.principal_client_id.as_deref().map(str::trim);
    if client_id.is_none_or(str::is_empty) {
        errors.add(
            "principal_client_id",
            "required",
            "Choose the client the household is recorded around",
        );
    }
    let (Ok(details), Some(client_id)) = (parsed, client_id) else {
        return Err(ApiError::Validation(errors));
    };
    db::transaction(conn, |conn| {
        let client = writable_client(conn, principal, "principal_client_id", client_id)?;
        if contact_withheld(conn, &principal.user_id, &[client_id])?.contains(client_id) {
            return Err(ApiError::ContactWithheld);
        }
        let (id, at, today) = (new_id(), now(), hong_kong_today());
        store::insert(
            conn,
            &id,
            &client.centre_id,
            &details,
            &principal.user_id,
            at,
        )?;
        let moved_from = store::present_of(conn, client_id)?.map(|(from, _, _)| from);
        store::leave(conn, client_id, today)?;
        store::join(
            conn,
            &id,
            client_id,
            Relationship::Principal.as_str(),
            today,
            &principal.user_id,
            at,
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "household.create",
            ("household", Some(&id)),
            Some(json!({ "principal_client_id": client_id, "moved_from": moved_from })),
        )?;
        let row = store::find(conn, &id)?.ok_or(ApiError::NotFound)?;
        let members = store::members(conn, &id)?;
        household(conn, principal, row, members)
    })
}

pub fn view(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    id: &str,
) -> Result<Household, ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let members = store::members(conn, id)?;
    if !reaches(conn, principal, &members, Access::Read)? {
        return Err(ApiError::NotFound);
    }
    reads.record(
        &principal.actor(),
        "household.view",
        ("household", Some(id)),
        None,
    )?;
    household(conn, principal, row, members)
}

/// A client's present household and those they left.
pub fn of_client(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    client_id: &str,
) -> Result<ClientHousehold, ApiError> {
    let scope = principal.record_scope(Records::Clients, Access::Read)?;
    clients::find(conn, client_id, &scope)?.ok_or(ApiError::NotFound)?;
    let present = match store::present_of(conn, client_id)? {
        Some((household_id, _, _)) => {
            let row = store::find(conn, &household_id)?.ok_or(ApiError::NotFound)?;
            let members = store::members(conn, &household_id)?;
            Some(household(conn, principal, row, members)?)
        }
        None => None,
    };
    let earlier = store::past_of(conn, client_id)?
        .into_iter()
        .map(|row| {
            Ok(EarlierMembership {
                relationship: relationship(&row.relationship)?,
                left_on: row.left_on.unwrap_or(row.joined_on),
                joined_on: row.joined_on,
                household_id: row.household_id,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    reads.record(
        &principal.actor(),
        "household.view",
        ("client", Some(client_id)),
        None,
    )?;
    Ok(ClientHousehold {
        household: present,
        earlier,
    })
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &HouseholdForm,
) -> Result<Household, ApiError> {
    let parsed = form.parse();
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if form.principal_client_id.is_some() {
        errors.add(
            "principal_client_id",
            "fixed",
            "The principal client is named when the household is recorded",
        );
    }
    if form.version.is_none() {
        errors.add("version", "required", "Version is required to edit");
    }
    let (Ok(details), Some(version)) = (parsed, form.version) else {
        return Err(ApiError::Validation(errors));
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    db::transaction(conn, |conn| {
        let (before, members) = writable(conn, principal, id)?;
        if before.version != version {
            return Err(ApiError::version_conflict("household"));
        }
        // Whoever may not see the address may not overwrite it unseen either.
        if withheld_from(conn, principal, &members)? {
            return Err(ApiError::ContactWithheld);
        }
        if store::update_if_version(conn, id, version, &details, &principal.user_id, now())? == 0 {
            return Err(ApiError::version_conflict("household"));
        }
        let after = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
        let changed: Vec<&str> = [
            ("district", before.district != after.district),
            ("address", before.address != after.address),
            (
                "household_type",
                before.household_type != after.household_type,
            ),
            ("housing_type", before.housing_type != after.housing_type),
            ("cssa_status", before.cssa_status != after.cssa_status),
            (
                "cssa_case_type",
                before.cssa_case_type != after.cssa_case_type,
            ),
            ("income_band", before.income_band != after.income_band),
        ]
        .into_iter()
        .filter(|(_, changed)| *changed)
        .map(|(field, _)| field)
        .collect();
        audit::record(
            conn,
            &principal.actor(),
            "household.update",
            ("household", Some(id)),
            Some(json!({ "fields": changed })),
        )?;
        household(conn, principal, after, members)
    })
}

/// A registered client joins the household, leaving any other on the same day.
pub fn add_member(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &MembershipForm,
) -> Result<Household, ApiError> {
    let joining = form
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let (row, _) = writable(conn, principal, id)?;
        writable_client(conn, principal, "client_id", &joining.client_id)?;
        let moved_from = match store::present_of(conn, &joining.client_id)? {
            Some((household, _, _)) if household == id => {
                return Err(ApiError::Conflict {
                    code: "already_member",
                    message: "The person is already a member of this household".into(),
                    field: Some("client_id".into()),
                })
            }
            Some((_, relationship, _)) if relationship == Relationship::Principal.as_str() => {
                return Err(ApiError::Conflict {
                    code: "principal_elsewhere",
                    message: "The person is the principal client of another household: \
                              record the move there"
                        .into(),
                    field: Some("client_id".into()),
                })
            }
            Some((_, _, joined_on)) if joined_on > joining.joined_on => {
                return Err(ApiError::field(
                    "joined_on",
                    "before_present",
                    "The person joined their present household after this day",
                ));
            }
            present => present.map(|(household, _, _)| household),
        };
        store::leave(conn, &joining.client_id, joining.joined_on)?;
        store::join(
            conn,
            id,
            &joining.client_id,
            joining.relationship.as_str(),
            joining.joined_on,
            &principal.user_id,
            now(),
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "household.join",
            ("household", Some(id)),
            Some(json!({ "client_id": joining.client_id, "moved_from": moved_from })),
        )?;
        let members = store::members(conn, id)?;
        household(conn, principal, row, members)
    })
}

/// A member leaves (moves out, passes away); the membership stays as history. The
/// principal stays: a principal who moves is recorded in a household of their own.
pub fn remove_member(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    client_id: &str,
    form: &LeavingForm,
) -> Result<Household, ApiError> {
    let left_on = form.left_on.unwrap_or_else(hong_kong_today);
    if left_on > hong_kong_today() {
        return Err(ApiError::field(
            "left_on",
            "date_in_future",
            "The day left cannot be in the future",
        ));
    }
    db::transaction(conn, |conn| {
        let (row, members) = writable(conn, principal, id)?;
        let member = members
            .iter()
            .find(|m| m.client_id == client_id && m.left_on.is_none())
            .ok_or(ApiError::NotFound)?;
        if member.relationship == Relationship::Principal.as_str() {
            return Err(ApiError::Conflict {
                code: "principal_stays",
                message: "The principal client stays: record a household of their own instead"
                    .into(),
                field: None,
            });
        }
        if left_on < member.joined_on {
            return Err(ApiError::field(
                "left_on",
                "before_joining",
                "The day left cannot be before the day joined",
            ));
        }
        store::leave(conn, client_id, left_on)?;
        audit::record(
            conn,
            &principal.actor(),
            "household.leave",
            ("household", Some(id)),
            Some(json!({ "client_id": client_id })),
        )?;
        let members = store::members(conn, id)?;
        household(conn, principal, row, members)
    })
}
