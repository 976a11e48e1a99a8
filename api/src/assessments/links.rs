//! Self-completion links: a family answers an instrument on their own phone, without an
//! account. A link is unguessable (256 random bits), kept only as its hash, single use
//! and expiring; through it the family sees the questionnaire and the centre's name,
//! nothing of their record.

use base64::Engine;
use chrono::Duration;
use common::assessments::{
    InstrumentSummary, LinkForm, LinkListQuery, LinkPage, LinkSent, SelfCompletion,
    SelfCompletionAnswers, SelfCompletionLink, SelfCompletionReceipt, Stage,
};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::catalogue::{in_use, version_of, Versions};
use super::service::{keep, name_of, names, place_of, places, reached_places, subject_checked};
use super::store::{self, AssessmentRow, Kept, LinkRow};
use crate::audit::{self, Actor, ReadAudit};
use crate::cases::store::{staff, staff_ref};
use crate::db::{self, new_id, now, stored_code, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

fn used() -> ApiError {
    ApiError::Gone {
        code: "link_used",
        message: "These answers have been sent already; the link cannot be used again".into(),
    }
}

fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &LinkForm,
) -> Result<SelfCompletionLink, ApiError> {
    let details = form.parse().map_err(ApiError::Validation)?;
    let centre_id = subject_checked(conn, principal, &details.within, &details.client_id)?;
    let instrument = in_use(conn, principal, &details.instrument, "instrument")?;
    let mut random = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut random);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random);
    let at = now();
    let (case_id, activity_id) = details.within.ids();
    let row = LinkRow {
        id: new_id(),
        token_hash: hash(&token),
        client_id: details.client_id.clone(),
        centre_id,
        case_id,
        activity_id,
        instrument: instrument.code.clone(),
        instrument_version: instrument.version,
        stage: details.stage.as_str().to_owned(),
        created_by: principal.user_id.clone(),
        created_at: at,
        expires_at: at + Duration::days(details.valid_days),
        used_at: None,
        assessment_id: None,
    };
    db::transaction(conn, |conn| {
        store::insert_link(conn, &row)?;
        audit::record(
            conn,
            &principal.actor(),
            "assessment_link.create",
            ("assessment_link", Some(&row.id)),
            Some(json!({
                "client_id": row.client_id,
                "instrument": row.instrument,
                "stage": row.stage,
                "expires_at": utc(row.expires_at),
            })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    Ok(SelfCompletionLink {
        id: row.id,
        path: format!("/answer/{token}"),
        expires_at: utc(row.expires_at),
        instrument: InstrumentSummary::from(&*instrument),
        stage: details.stage,
    })
}

/// The link a token opens, if it is still open: an unknown token is 404, a used or
/// expired one 410, each saying so plainly.
fn open_link(conn: &mut DbConnection, token: &str) -> Result<LinkRow, ApiError> {
    let link = store::link_by_hash(conn, &hash(token))?.ok_or(ApiError::NotFound)?;
    if link.used_at.is_some() {
        return Err(used());
    }
    if link.expires_at <= now() {
        return Err(ApiError::Gone {
            code: "link_expired",
            message: "This link has expired: ask your social worker for a new one".into(),
        });
    }
    Ok(link)
}

pub fn questionnaire(conn: &mut DbConnection, token: &str) -> Result<SelfCompletion, ApiError> {
    let link = open_link(conn, token)?;
    let instrument = version_of(conn, &link.instrument, link.instrument_version)?;
    let (centre_name_zh, centre_name_en) = store::centre_names(conn, &link.centre_id)?;
    Ok(SelfCompletion {
        instrument: instrument.into_owned(),
        centre_name_zh,
        centre_name_en,
        expires_at: utc(link.expires_at),
    })
}

/// Keeps the family's answers as an assessment of the link's case or group, once.
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    token: &str,
    form: &SelfCompletionAnswers,
) -> Result<SelfCompletionReceipt, ApiError> {
    let link = open_link(conn, token)?;
    if !form.consent {
        return Err(ApiError::field(
            "consent",
            "required",
            "Agree to the centre keeping your answers to send them",
        ));
    }
    let instrument = version_of(conn, &link.instrument, link.instrument_version)?;
    let at = now();
    let row = AssessmentRow {
        id: new_id(),
        client_id: link.client_id.clone(),
        centre_id: link.centre_id.clone(),
        case_id: link.case_id.clone(),
        activity_id: link.activity_id.clone(),
        instrument: link.instrument.clone(),
        instrument_version: link.instrument_version,
        stage: link.stage.clone(),
        administered_on: common::activities::hong_kong_day(utc(at)),
        administered_by: None,
        answers: String::new(),
        created_at: at,
    };
    let scoring = db::transaction(conn, |conn| {
        let scoring = keep(
            conn,
            actor,
            &instrument,
            row,
            &form.answers,
            "assessment.self_complete",
        )?;
        if !store::use_link(conn, &link.id, &scoring.0, at)? {
            return Err(used());
        }
        Ok(scoring.1)
    })?;
    Ok(SelfCompletionReceipt {
        needs_support: !scoring.alerts.is_empty(),
    })
}

/// A page of the links sent within the cases and groups whose assessments the user
/// reads, the latest sent first: by default those not answered yet, to chase.
pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    query: &LinkListQuery,
) -> Result<LinkPage, ApiError> {
    let (state, page, per_page) = query.parse().map_err(ApiError::Validation)?;
    let reached = reached_places(conn, principal, Kept::Links)?;
    let (rows, total) = store::links_page(conn, (&reached.0, &reached.1), state, (page, per_page))?;
    let senders: Vec<&str> = rows.iter().map(|r| r.created_by.as_str()).collect();
    let staff = staff(conn, &senders)?;
    let names = names(conn, rows.iter().map(|r| r.client_id.as_str()))?;
    let places = places(conn, rows.iter().map(|r| (&r.case_id, &r.activity_id)))?;
    let mut versions = Versions::default();
    let at = now();
    let items = rows
        .into_iter()
        .map(|row| {
            let instrument = versions.get(conn, &row.instrument, row.instrument_version)?;
            Ok(LinkSent {
                client_name: name_of(&names, &row.client_id)?,
                place: place_of(&places, &row.case_id, &row.activity_id)?,
                instrument: InstrumentSummary::from(instrument),
                stage: stored_code(Stage::parse, "assessment_links.stage", &row.stage)?,
                sent_by: staff_ref(&staff, &row.created_by)?,
                sent_at: utc(row.created_at),
                expires_at: utc(row.expires_at),
                expired: row.used_at.is_none() && row.expires_at <= at,
                answered_at: row.used_at.map(utc),
                id: row.id,
                client_id: row.client_id,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    reads.record(
        &principal.actor(),
        "assessment_link.list",
        ("assessment_link", None),
        Some(json!({ "state": state.as_str(), "page": page, "shown": items.len() })),
    )?;
    Ok(LinkPage {
        items,
        total,
        page,
        per_page,
    })
}
