//! The rules of the contact log: who writes, who edits (the author, within the window),
//! who corrects afterwards, and who reads a note's narrative.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use common::case_notes::{CaseNote, CaseNoteForm, CorrectionForm, NoteCorrection, NoteDetails};
use common::error::ValidationErrors;
use common::identity::{Access, Permission, Records};
use serde_json::json;

use super::store::{self, NoteRow};
use crate::audit::{self, ReadAudit};
use crate::cases::service::{readable, writable};
use crate::cases::store as cases;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// Whether the user may read the narrative of this case (its notes, and the narrative
/// parts of its plan and referrals): an agency admin reads the case, but not what was said.
pub fn reads_narrative(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
) -> Result<bool, ApiError> {
    match principal.record_scope(Records::CaseNotes, Access::Read) {
        Ok(scope) => Ok(cases::find(conn, case_id, &scope)?.is_some()),
        Err(_) => Ok(false),
    }
}

/// Notes as the API gives them, in the order given.
fn notes(
    conn: &mut DbConnection,
    rows: Vec<NoteRow>,
    narrative: bool,
    window: Duration,
) -> Result<Vec<CaseNote>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let pairs = store::participants(conn, &ids)?;
    let corrections = store::corrections(conn, &ids)?;
    let client_ids: Vec<&str> = pairs.iter().map(|(_, c)| c.as_str()).collect();
    let people: HashMap<String, _> = cases::people(conn, &client_ids)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let mut staff_ids: Vec<&str> = rows.iter().map(|r| r.author_id.as_str()).collect();
    staff_ids.extend(corrections.iter().map(|c| c.author_id.as_str()));
    let staff = cases::staff(conn, &staff_ids)?;
    let author = |id: &str| {
        staff
            .get(id)
            .cloned()
            .ok_or_else(|| db::unreadable("case_notes.author_id", id))
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(CaseNote {
            id: row.id.clone(),
            case_id: row.case_id.clone(),
            contact_at: utc(row.contact_at),
            contact_type: row.contact_type()?,
            duration_minutes: row.duration_minutes,
            participants: pairs
                .iter()
                .filter(|(note, _)| note == &row.id)
                .filter_map(|(_, client)| people.get(client).cloned())
                .collect(),
            other_participants: row.other_participants.clone(),
            narrative: narrative.then(|| row.narrative.clone()),
            author: author(&row.author_id)?,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
            version: row.version,
            editable_until: utc(row.created_at + window),
            corrections: corrections
                .iter()
                .filter(|c| c.note_id == row.id)
                .map(|c| {
                    Ok(NoteCorrection {
                        narrative: narrative.then(|| c.narrative.clone()),
                        reason: c.reason.clone(),
                        author: author(&c.author_id)?,
                        created_at: utc(c.created_at),
                    })
                })
                .collect::<Result<_, ApiError>>()?,
        });
    }
    Ok(out)
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    case_id: &str,
    window: Duration,
) -> Result<Vec<CaseNote>, ApiError> {
    readable(conn, principal, case_id)?;
    let narrative = reads_narrative(conn, principal, case_id)?;
    let rows = store::of_case(conn, case_id)?;
    let notes = notes(conn, rows, narrative, window)?;
    reads.record(
        &principal.actor(),
        "case_note.list",
        ("case", Some(case_id)),
        Some(json!({ "shown": notes.len(), "narrative": narrative })),
    )?;
    Ok(notes)
}

/// Participants must be people of the case: its client or a household member involved.
fn check_participants(
    conn: &mut DbConnection,
    case: &cases::CaseRow,
    note: &NoteDetails,
) -> Result<(), ApiError> {
    let members = cases::member_ids(conn, &case.id)?;
    let known = |id: &String| id == &case.client_id || members.contains(id);
    if note.participant_ids.iter().all(known) {
        Ok(())
    } else {
        let mut errors = ValidationErrors::default();
        errors.add(
            "participant_ids",
            "unknown_client",
            "Participants are the case's client and household members",
        );
        Err(ApiError::Validation(errors))
    }
}

fn one(conn: &mut DbConnection, note_id: &str, window: Duration) -> Result<CaseNote, ApiError> {
    let row = store::find(conn, note_id)?.ok_or(ApiError::NotFound)?;
    notes(conn, vec![row], true, window)?
        .pop()
        .ok_or(ApiError::NotFound)
}

pub fn write(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
    form: &CaseNoteForm,
    window: Duration,
) -> Result<CaseNote, ApiError> {
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new note has no version",
        ));
    }
    let note = form.parse(Utc::now()).map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let case = writable(conn, principal, case_id)?;
        check_participants(conn, &case, &note)?;
        let id = new_id();
        store::insert(conn, &id, case_id, &note, &principal.user_id, now())?;
        audit::record(
            conn,
            &principal.actor(),
            "case_note.create",
            ("case_note", Some(&id)),
            Some(json!({ "case": case_id })),
        )?;
        one(conn, &id, window)
    })
}

/// The note and its case, when the user may change the case; any other note is 404.
fn note_to_change(
    conn: &mut DbConnection,
    principal: &Principal,
    note_id: &str,
) -> Result<(NoteRow, cases::CaseRow), ApiError> {
    let note = store::find(conn, note_id)?.ok_or(ApiError::NotFound)?;
    let case = writable(conn, principal, &note.case_id)?;
    Ok((note, case))
}

pub fn edit(
    conn: &mut DbConnection,
    principal: &Principal,
    note_id: &str,
    form: &CaseNoteForm,
    window: Duration,
) -> Result<CaseNote, ApiError> {
    let Some(version) = form.version else {
        return Err(ApiError::field(
            "version",
            "required",
            "Version is required to edit",
        ));
    };
    let note = form.parse(Utc::now()).map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let (row, case) = note_to_change(conn, principal, note_id)?;
        if row.author_id != principal.user_id {
            return Err(ApiError::Forbidden);
        }
        if now() >= row.created_at + window {
            return Err(ApiError::Conflict {
                code: "edit_window_closed",
                message: "The note can no longer be edited: add a correction instead".into(),
                field: None,
            });
        }
        check_participants(conn, &case, &note)?;
        if row.version != version
            || !store::update_if_version(conn, note_id, version, &note, now())?
        {
            return Err(ApiError::version_conflict("note"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "case_note.update",
            ("case_note", Some(note_id)),
            Some(json!({ "case": row.case_id })),
        )?;
        one(conn, note_id, window)
    })
}

/// A correction appended to a note, by its author or a supervisor of the case; the note
/// itself is never written over once its window has closed.
pub fn correct(
    conn: &mut DbConnection,
    principal: &Principal,
    note_id: &str,
    form: &CorrectionForm,
    window: Duration,
) -> Result<CaseNote, ApiError> {
    let correction = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let (row, _) = note_to_change(conn, principal, note_id)?;
        if row.author_id != principal.user_id && !principal.roles.can(Permission::SuperviseCases) {
            return Err(ApiError::Forbidden);
        }
        store::insert_correction(
            conn,
            note_id,
            &correction.narrative,
            &correction.reason,
            &principal.user_id,
            now(),
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "case_note.correct",
            ("case_note", Some(note_id)),
            Some(json!({ "case": row.case_id })),
        )?;
        one(conn, note_id, window)
    })
}
