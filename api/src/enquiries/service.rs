//! The rules of the enquiry log: recording (anonymous unless a person is named), editing
//! at the version read, and promotion to a client and a case in one transaction. Handlers
//! call these; nothing else writes enquiries.

use chrono::Utc;
use common::cases::{CaseForm, ReferralSource};
use common::enquiries::{
    Enquiry, EnquiryDetails, EnquiryForm, EnquiryListQuery, EnquiryPage, Promotion, PromotionForm,
};
use common::error::ValidationErrors;
use common::identity::{Access, Records};
use common::taxonomy::Vocabulary;
use serde_json::json;

use super::store::{self, EnquiryRow, Written};
use crate::audit::{self, ReadAudit};
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;
use crate::taxonomy::service::check_terms;
use crate::{cases, clients};

fn one(conn: &mut DbConnection, row: EnquiryRow) -> Result<Enquiry, ApiError> {
    store::enquiries(conn, vec![row])?
        .pop()
        .ok_or(ApiError::NotFound)
}

fn already_promoted() -> ApiError {
    ApiError::Conflict {
        code: "already_promoted",
        message: "The enquiry is promoted to a case already".into(),
        field: None,
    }
}

/// What the form says, checked against the taxonomy and against the outcome the
/// enquiry had (none for a new one); the unit is the centre's unit of the kind named.
fn checked(
    conn: &mut DbConnection,
    centre_id: &str,
    form: &EnquiryForm,
    before: Option<&EnquiryRow>,
) -> Result<(EnquiryDetails, String), ApiError> {
    let details = form.parse(Utc::now()).map_err(ApiError::Validation)?;
    let mut errors = ValidationErrors::default();
    let before_outcome = before.map(EnquiryRow::outcome).transpose()?;
    if let Err(error) = details.outcome.may_follow(before_outcome) {
        errors.0.insert("outcome".into(), error);
    }
    let kept = match before {
        Some(row) => store::topic_codes(conn, &row.id)?,
        None => Vec::new(),
    };
    check_terms(
        conn,
        Vocabulary::CaseNatures,
        &details.topic_codes,
        &kept,
        "topic_codes",
        &mut errors,
    )?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let unit_id = cases::store::unit_of_kind(conn, centre_id, details.unit)?;
    Ok((details, unit_id))
}

pub fn record(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &EnquiryForm,
) -> Result<Enquiry, ApiError> {
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new enquiry has no version",
        ));
    }
    let scope = principal.record_scope(Records::Enquiries, Access::Write)?;
    let centre_id = scope.home_centre()?.to_owned();
    db::transaction(conn, |conn| {
        let (details, unit_id) = checked(conn, &centre_id, form, None)?;
        let id = new_id();
        let written = Written::of(&details, &unit_id, &principal.user_id, now());
        store::insert(conn, &id, &centre_id, &written, &details.topic_codes)?;
        // Whether a person was named, never who.
        let named =
            details.name_zh.is_some() || details.name_en.is_some() || details.phone.is_some();
        audit::record(
            conn,
            &principal.actor(),
            "enquiry.create",
            ("enquiry", Some(&id)),
            Some(json!({ "named": named })),
        )?;
        let row = store::find(conn, &id, &scope)?.ok_or(ApiError::NotFound)?;
        one(conn, row)
    })
}

pub fn view(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    id: &str,
) -> Result<Enquiry, ApiError> {
    let scope = principal.record_scope(Records::Enquiries, Access::Read)?;
    // Another centre's enquiry is indistinguishable from one that does not exist.
    let row = store::find(conn, id, &scope)?.ok_or(ApiError::NotFound)?;
    let enquiry = one(conn, row)?;
    reads.record(
        &principal.actor(),
        "enquiry.view",
        ("enquiry", Some(id)),
        None,
    )?;
    Ok(enquiry)
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    query: &EnquiryListQuery,
) -> Result<EnquiryPage, ApiError> {
    let scope = principal.record_scope(Records::Enquiries, Access::Read)?;
    let filter = query.parse().map_err(ApiError::Validation)?;
    let (rows, total) = store::list(conn, &scope, &filter)?;
    let items = store::enquiries(conn, rows)?;
    reads.record(
        &principal.actor(),
        "enquiry.list",
        ("enquiry", None),
        Some(json!({ "page": filter.page, "shown": items.len() })),
    )?;
    Ok(EnquiryPage {
        items,
        total,
        page: filter.page,
        per_page: filter.per_page,
    })
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &EnquiryForm,
) -> Result<Enquiry, ApiError> {
    let Some(version) = form.version else {
        return Err(ApiError::field(
            "version",
            "required",
            "Version is required to edit",
        ));
    };
    let scope = principal.record_scope(Records::Enquiries, Access::Write)?;
    db::transaction(conn, |conn| {
        let before = store::find(conn, id, &scope)?.ok_or(ApiError::NotFound)?;
        if before.version != version {
            return Err(ApiError::version_conflict("enquiry"));
        }
        let (details, unit_id) = checked(conn, &before.centre_id, form, Some(&before))?;
        let written = Written::of(&details, &unit_id, &principal.user_id, now());
        // The version check in the WHERE clause is what stops a concurrent save.
        if !store::update_if_version(conn, id, version, &written, &details.topic_codes)? {
            return Err(ApiError::version_conflict("enquiry"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "enquiry.update",
            ("enquiry", Some(id)),
            None,
        )?;
        let row = store::find(conn, id, &scope)?.ok_or(ApiError::NotFound)?;
        one(conn, row)
    })
}

/// The case a promotion opens: as the worker gave it, its natures the enquiry's topics
/// and its referral source self when left out.
fn case_of(form: &PromotionForm, topics: Vec<String>) -> CaseForm {
    CaseForm {
        nature_codes: if form.case.nature_codes.is_empty() {
            topics
        } else {
            form.case.nature_codes.clone()
        },
        referral_source: form
            .case
            .referral_source
            .or(Some(ReferralSource::SelfReferred)),
        ..form.case.clone()
    }
}

/// Who the enquiry is promoted to.
enum ClientChoice<'a> {
    Register(&'a common::clients::ClientForm),
    Registered(&'a str),
}

/// Every mistake in either part, named under its part, before anything is written.
fn check_parts<'a>(form: &'a PromotionForm, case: &CaseForm) -> Result<ClientChoice<'a>, ApiError> {
    let today = hong_kong_today();
    let mut errors = ValidationErrors::default();
    let choice = match (&form.client, &form.client_id) {
        (Some(client), None) => Some(ClientChoice::Register(client)),
        (None, Some(client_id)) => Some(ClientChoice::Registered(client_id)),
        (None, None) => {
            errors.add(
                "client",
                "required",
                "Register the client, or choose one registered already",
            );
            None
        }
        (Some(_), Some(_)) => {
            errors.add(
                "client_id",
                "not_allowed",
                "Register the client or choose one registered already, not both",
            );
            None
        }
    };
    if let Some(Err(invalid)) = form.client.as_ref().map(|client| client.parse(today)) {
        errors.0.extend(invalid.within("client").0);
    }
    if !case.client_id.is_empty() {
        errors.add(
            "case.client_id",
            "not_allowed",
            "The case is opened for the client the enquiry is promoted to",
        );
    }
    // The client may not be registered yet: a stand-in id lets the rest be checked.
    let stand_in = CaseForm {
        client_id: "promoted".into(),
        ..case.clone()
    };
    if let Err(invalid) = stand_in.parse(today) {
        errors.0.extend(invalid.within("case").0);
    }
    match choice {
        Some(choice) if errors.is_empty() => Ok(choice),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Registers the client (or takes the one chosen), opens the case and marks the enquiry
/// promoted, in one transaction: the clients' and cases' own rules run as they do for
/// registration and opening, with their audit entries, and any failure writes nothing.
pub fn promote(
    conn: &mut DbConnection,
    principal: &Principal,
    hkid_key: &[u8],
    id: &str,
    form: &PromotionForm,
) -> Result<Promotion, ApiError> {
    let Some(version) = form.version else {
        return Err(ApiError::field(
            "version",
            "required",
            "Version is required to promote",
        ));
    };
    let scope = principal.record_scope(Records::Enquiries, Access::Write)?;
    db::transaction(conn, |conn| {
        let row = store::find(conn, id, &scope)?.ok_or(ApiError::NotFound)?;
        if row.case_id.is_some() {
            return Err(already_promoted());
        }
        if row.version != version {
            return Err(ApiError::version_conflict("enquiry"));
        }
        let case = case_of(form, store::topic_codes(conn, id)?);
        let client_id = match check_parts(form, &case)? {
            ClientChoice::Register(client) => {
                let records = principal.record_scope(Records::Clients, Access::Write)?;
                let scope = clients::service::Scope {
                    records: &records,
                    actor: &principal.actor(),
                    hkid_key,
                };
                clients::service::create(conn, &scope, client)
                    .map_err(|e| e.within("client"))?
                    .id
            }
            // A client the user cannot see is one that does not exist.
            ClientChoice::Registered(client_id) => {
                let records = principal.record_scope(Records::Clients, Access::Read)?;
                clients::store::find(conn, client_id, &records)?
                    .ok_or(ApiError::NotFound)?
                    .id
            }
        };
        let case = cases::service::open(
            conn,
            principal,
            &CaseForm {
                client_id: client_id.clone(),
                ..case
            },
        )
        .map_err(|e| e.within("case"))?;
        if !store::promote(
            conn,
            id,
            version,
            &client_id,
            &case.case.id,
            &principal.user_id,
            now(),
        )? {
            return Err(already_promoted());
        }
        audit::record(
            conn,
            &principal.actor(),
            "enquiry.promote",
            ("enquiry", Some(id)),
            Some(json!({
                "client": client_id,
                "case": case.case.id,
                "registered": form.client.is_some(),
            })),
        )?;
        let row = store::find(conn, id, &scope)?.ok_or(ApiError::NotFound)?;
        Ok(Promotion {
            enquiry: one(conn, row)?,
            case,
        })
    })
}
