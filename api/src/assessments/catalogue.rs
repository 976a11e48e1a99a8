//! The instruments in use: those FamilyLink ships (`common::assessments::builtins`) and
//! each agency's own, uploaded as the same JSON and kept version by version. An agency's
//! instrument is its users' alone: they see it, and since nobody reaches another agency's
//! records, whatever they administer it within is their agency's. Here, and nowhere else,
//! is that decided.

use std::borrow::Cow;
use std::collections::HashMap;

use common::assessments::{builtin, builtins, Instrument, InstrumentSummary};
use diesel::QueryResult;
use serde_json::json;

use super::store::{self, NewInstrumentVersion};
use crate::audit;
use crate::db::{self, now, unreadable, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// A built-in instrument, or an agency's as read from the database.
pub type Defined = Cow<'static, Instrument>;

fn parsed(code: &str, definition: &str) -> QueryResult<Instrument> {
    serde_json::from_str(definition).map_err(|_| unreadable("instrument_versions.definition", code))
}

/// The instruments the user may administer or read, each at its latest version: the
/// built-in ones, then their agency's own by code.
pub fn in_reach(conn: &mut DbConnection, principal: &Principal) -> QueryResult<Vec<Defined>> {
    let mut listed: Vec<Defined> = builtins().iter().map(Cow::Borrowed).collect();
    if let Some(agency_id) = &principal.agency_id {
        for definition in store::latest_definitions(conn, Some(agency_id))? {
            listed.push(Cow::Owned(parsed(agency_id, &definition)?));
        }
    }
    Ok(listed)
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
) -> Result<Vec<InstrumentSummary>, ApiError> {
    Ok(in_reach(conn, principal)?
        .iter()
        .map(|i| InstrumentSummary::from(i.as_ref()))
        .collect())
}

/// The latest version of an instrument whoever's it is: for figures that count every
/// centre's measures alike.
pub fn latest(conn: &mut DbConnection, code: &str) -> QueryResult<Option<Defined>> {
    if let Some(instrument) = builtin(code) {
        return Ok(Some(Cow::Borrowed(instrument)));
    }
    let Some(row) = store::agency_instrument(conn, code)? else {
        return Ok(None);
    };
    version_of(conn, code, row.version).map(Some)
}

/// The latest version of an instrument the user may use, if there is one by that code.
pub fn visible(
    conn: &mut DbConnection,
    principal: &Principal,
    code: &str,
) -> QueryResult<Option<Defined>> {
    if let Some(instrument) = builtin(code) {
        return Ok(Some(Cow::Borrowed(instrument)));
    }
    match store::agency_instrument(conn, code)? {
        Some(row) if principal.agency_id.as_deref() == Some(row.agency_id.as_str()) => {
            version_of(conn, code, row.version).map(Some)
        }
        _ => Ok(None),
    }
}

/// The same, as the field of a form that named it.
pub fn in_use(
    conn: &mut DbConnection,
    principal: &Principal,
    code: &str,
    field: &str,
) -> Result<Defined, ApiError> {
    visible(conn, principal, code)?.ok_or_else(|| {
        ApiError::field(
            field,
            "unknown_instrument",
            format!("{code} is not an instrument in use"),
        )
    })
}

/// An instrument at the version an assessment or link was made under.
pub fn version_of(conn: &mut DbConnection, code: &str, version: i64) -> QueryResult<Defined> {
    if let Some(instrument) = builtin(code) {
        return if instrument.version == version {
            Ok(Cow::Borrowed(instrument))
        } else {
            Err(unreadable("assessments.instrument", code))
        };
    }
    let definition = store::instrument_definition(conn, code, version)?
        .ok_or_else(|| unreadable("assessments.instrument", code))?;
    parsed(code, &definition).map(Cow::Owned)
}

/// Instruments by the version a list of records was made under, each read once.
#[derive(Default)]
pub struct Versions(HashMap<(String, i64), Defined>);

impl Versions {
    pub fn get(
        &mut self,
        conn: &mut DbConnection,
        code: &str,
        version: i64,
    ) -> QueryResult<&Instrument> {
        let key = (code.to_owned(), version);
        if !self.0.contains_key(&key) {
            let instrument = version_of(conn, code, version)?;
            self.0.insert(key.clone(), instrument);
        }
        Ok(&self.0[&key])
    }
}

/// Adds an instrument of the user's agency, or a new version of one: the definition is
/// the same JSON the built-in instruments are written in, checked by the same rules.
pub fn add(
    conn: &mut DbConnection,
    principal: &Principal,
    body: serde_json::Value,
) -> Result<InstrumentSummary, ApiError> {
    let agency_id = principal.agency_id.clone().ok_or(ApiError::Forbidden)?;
    let instrument: Instrument = crate::extract::from_value(body)?;
    instrument.validate().map_err(ApiError::Validation)?;
    if builtin(&instrument.code).is_some() {
        return Err(ApiError::field(
            "code",
            "built_in_code",
            "FamilyLink ships an instrument with this code: choose another",
        ));
    }
    let new = NewInstrumentVersion {
        code: instrument.code.clone(),
        version: instrument.version,
        definition: serde_json::to_string(&instrument)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        added_by: principal.user_id.clone(),
        added_at: now(),
    };
    db::transaction(conn, |conn| {
        match store::agency_instrument(conn, &new.code)? {
            None => store::insert_instrument(conn, &agency_id, &new)?,
            Some(row) if row.agency_id != agency_id => {
                return Err(ApiError::field(
                    "code",
                    "code_taken",
                    "Another agency's instrument has this code: choose another",
                ))
            }
            Some(row) if new.version <= row.version => {
                return Err(ApiError::field(
                    "version",
                    "version_not_newer",
                    format!(
                        "Version {} is in use: number the new version above it",
                        row.version
                    ),
                ))
            }
            Some(row) => {
                if !store::raise_instrument(conn, row.version, &new)? {
                    return Err(ApiError::version_conflict("instrument"));
                }
            }
        }
        audit::record(
            conn,
            &principal.actor(),
            "instrument.add",
            ("instrument", Some(&new.code)),
            Some(json!({ "version": new.version })),
        )?;
        Ok(())
    })?;
    Ok(InstrumentSummary::from(&instrument))
}
