//! The research corpus: the case notes of a period in the analyst's scope, each with its
//! case's natures and its own themes, every name, HKID, phone number, address, date of
//! birth and school in the narratives replaced with a placeholder. Cases and notes are
//! numbered afresh in each export, so no two exports can be joined on them, and the day
//! of contact is given only as its month.

use std::collections::{BTreeSet, HashMap};

use common::activities::hong_kong_day;
use common::language::CorpusRequest;
use common::statistics::ScopeChoice;

use super::store;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::identity::Principal;
use crate::language;

/// The corpus as CSV (with a byte order mark, so spreadsheet programs read Chinese), and
/// how many notes it holds.
pub fn corpus(
    conn: &mut DbConnection,
    principal: &Principal,
    request: &CorpusRequest,
) -> Result<(Vec<u8>, usize), ApiError> {
    let choice = request
        .centre_id
        .clone()
        .map_or(ScopeChoice::Everything, ScopeChoice::Centre);
    let centres = crate::statistics::service::centres_for(conn, principal, &choice)?;
    let notes = store::corpus_notes(conn, &centres, request)?;
    let case_ids: Vec<&str> = notes
        .iter()
        .map(|n| n.case_id.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let note_ids: Vec<&str> = notes.iter().map(|n| n.id.as_str()).collect();
    let mut natures: HashMap<String, Vec<String>> = HashMap::new();
    let mut known: HashMap<String, Vec<String>> = HashMap::new();
    let mut themes: HashMap<String, Vec<String>> = HashMap::new();
    let mut corrections: HashMap<String, Vec<String>> = HashMap::new();
    let mut participants: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in case_ids.chunks(store::CHUNK) {
        for (case, code) in crate::cases::store::natures_of(conn, chunk)? {
            natures.entry(case).or_default().push(code);
        }
        for (case, zh, en) in store::case_people(conn, chunk)? {
            known.entry(case).or_default().extend([zh, en]);
        }
    }
    for chunk in note_ids.chunks(store::CHUNK) {
        for (note, theme, _) in crate::case_notes::store::themes(conn, chunk)? {
            themes.entry(note).or_default().push(theme);
        }
        for row in crate::case_notes::store::corrections(conn, chunk)? {
            corrections
                .entry(row.note_id)
                .or_default()
                .push(row.narrative);
        }
        for (note, zh, en) in store::participants(conn, chunk)? {
            participants.entry(note).or_default().extend([zh, en]);
        }
    }
    let language = language::language();
    let mut numbers: HashMap<&str, usize> = HashMap::new();
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_error = |e: csv::Error| ApiError::Internal(e.to_string());
    out.write_record([
        "note",
        "case",
        "month",
        "case_type",
        "natures",
        "themes",
        "narrative",
        "corrections",
    ])
    .map_err(csv_error)?;
    for (i, note) in notes.iter().enumerate() {
        let next = numbers.len() + 1;
        let case = *numbers.entry(note.case_id.as_str()).or_insert(next);
        let names: Vec<&str> = known
            .get(&note.case_id)
            .into_iter()
            .chain(participants.get(&note.id))
            .flatten()
            .map(String::as_str)
            .filter(|name| !name.trim().is_empty())
            .collect();
        let clean = |text: &str| language.deidentify(text, &names);
        let case_natures = natures.get(&note.case_id).cloned().unwrap_or_default();
        let later: Vec<String> = corrections
            .get(&note.id)
            .into_iter()
            .flatten()
            .map(|c| clean(c))
            .collect();
        out.write_record([
            (i + 1).to_string(),
            case.to_string(),
            hong_kong_day(note.contact_at.and_utc())
                .format("%Y-%m")
                .to_string(),
            note.case_type.clone(),
            case_natures.join(";"),
            themes
                .get(&note.id)
                .map(|t| t.join(";"))
                .unwrap_or_default(),
            clean(&note.narrative),
            later.join("\n"),
        ])
        .map_err(csv_error)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((bytes, notes.len()))
}
