//! The taxonomy's rules: codes and names are unique, a code never changes, a nature is
//! retired rather than deleted, and a retired one stays only where it already was.

use common::error::ValidationErrors;
use common::taxonomy::{
    CaseNature, Direction, NatureForm, NatureMoveForm, NatureNames, NewNatureForm,
};
use serde_json::json;

use super::store;
use crate::audit;
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// Natures exist and, when newly given, are still in use: a retired one may stay where
/// it was (`kept`). Enquiries' topics are natures too, checked the same way.
pub fn check_natures(
    conn: &mut DbConnection,
    codes: &[String],
    kept: &[String],
    field: &str,
    errors: &mut ValidationErrors,
) -> Result<(), ApiError> {
    let natures = store::natures(conn)?;
    for code in codes {
        let usable = natures
            .iter()
            .any(|n| &n.code == code && (n.active || kept.contains(code)));
        if !usable {
            errors.add(
                field,
                "unknown_nature",
                format!("{code} is not a case nature in use"),
            );
        }
    }
    Ok(())
}

/// Two natures with one name could not be told apart on a form or in a report.
fn check_names_free(
    natures: &[CaseNature],
    names: &NatureNames,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let others = || natures.iter().filter(|n| Some(n.code.as_str()) != except);
    for (field, taken) in [
        ("name_zh", others().any(|n| n.name_zh == names.name_zh)),
        ("name_en", others().any(|n| n.name_en == names.name_en)),
    ] {
        if taken {
            return Err(ApiError::Conflict {
                code: "duplicate_name",
                message: "Another case nature already has this name".into(),
                field: Some(field.into()),
            });
        }
    }
    Ok(())
}

fn found(conn: &mut DbConnection, code: &str) -> Result<CaseNature, ApiError> {
    store::find(conn, code)?.ok_or(ApiError::NotFound)
}

pub fn add(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &NewNatureForm,
) -> Result<CaseNature, ApiError> {
    let new = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let natures = store::natures(conn)?;
        if natures.iter().any(|n| n.code == new.code) {
            return Err(ApiError::Conflict {
                code: "duplicate_code",
                message: "Another case nature already has this code".into(),
                field: Some("code".into()),
            });
        }
        check_names_free(&natures, &new.names, None)?;
        store::insert(conn, &new)?;
        audit::record(
            conn,
            &principal.actor(),
            "case_nature.create",
            ("case_nature", Some(&new.code)),
            Some(json!({ "name_zh": new.names.name_zh, "name_en": new.names.name_en })),
        )?;
        found(conn, &new.code)
    })
}

pub fn change(
    conn: &mut DbConnection,
    principal: &Principal,
    code: &str,
    form: &NatureForm,
) -> Result<CaseNature, ApiError> {
    let change = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let before = found(conn, code)?;
        check_names_free(&store::natures(conn)?, &change.names, Some(code))?;
        if !store::update_if_version(conn, code, &change)? {
            return Err(ApiError::version_conflict("case nature"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "case_nature.update",
            ("case_nature", Some(code)),
            Some(json!({
                "before": { "name_zh": before.name_zh, "name_en": before.name_en, "active": before.active },
                "after": { "name_zh": change.names.name_zh, "name_en": change.names.name_en, "active": change.active },
            })),
        )?;
        found(conn, code)
    })
}

/// Moves a nature one place, swapping it with its neighbour; answers the whole order.
pub fn move_nature(
    conn: &mut DbConnection,
    principal: &Principal,
    code: &str,
    form: &NatureMoveForm,
) -> Result<Vec<CaseNature>, ApiError> {
    let movement = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let natures = store::natures(conn)?;
        let at = natures
            .iter()
            .position(|n| n.code == code)
            .ok_or(ApiError::NotFound)?;
        let neighbour = match movement.direction {
            Direction::Up => at.checked_sub(1),
            Direction::Down => Some(at + 1).filter(|next| *next < natures.len()),
        }
        .ok_or_else(|| {
            ApiError::field(
                "direction",
                "cannot_move",
                "The nature is already at that end of the list",
            )
        })?;
        let other = &natures[neighbour].code;
        if !store::swap_if_version(conn, code, movement.version, other)? {
            return Err(ApiError::version_conflict("case nature"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "case_nature.move",
            ("case_nature", Some(code)),
            Some(json!({ "direction": movement.direction, "swapped_with": other })),
        )?;
        Ok(store::natures(conn)?)
    })
}
