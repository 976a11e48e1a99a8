//! The rules of the contact log: who writes, who edits (the author, within the window),
//! who corrects afterwards, and who reads a note's narrative.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use chrono::{Duration, Utc};
use common::case_notes::{
    search_text, CaseNote, CaseNoteForm, CorrectionForm, NoteCorrection, NoteDetails, NoteHit,
    NoteHitPage, NoteSearchQuery,
};
use common::error::ValidationErrors;
use common::identity::{Access, Permission, Records};
use common::language::ThemeTag;
use common::text::excerpt;
use serde_json::json;

use super::store::{self, NoteRow};
use crate::audit::{self, ReadAudit};
use crate::cases::service::{readable, writable};
use crate::cases::store as cases;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::{Centres, Principal, RecordScope};
use crate::kept::Kept;
use crate::language;
use crate::search::{self, postings};

/// Notes' entries in the search index.
pub const SEARCH_KIND: &str = "case_note";
/// Characters shown either side of the term in a search result.
const EXCERPT_RADIUS: usize = 40;

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
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    let themes = if narrative {
        store::themes(conn, &ids)?
    } else {
        Vec::new()
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
            themes: themes
                .iter()
                .filter(|(note, _, _)| note == &row.id)
                .map(|(_, theme, words)| {
                    Ok(ThemeTag {
                        theme: theme.clone(),
                        words: serde_json::from_str(words)
                            .map_err(|_| db::unreadable("note_themes.words", words))?,
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
        index(conn, &id, &case.centre_id)?;
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
        index(conn, note_id, &case.centre_id)?;
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
        let (row, case) = note_to_change(conn, principal, note_id)?;
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
        index(conn, note_id, &case.centre_id)?;
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

/// What a note is found by: its narrative and its corrections' text, under the centre of
/// its case. Written with the note, in its transaction; only the grams that changed move.
fn index(conn: &mut DbConnection, note_id: &str, centre_id: &str) -> Result<(), ApiError> {
    let row = store::find(conn, note_id)?.ok_or(ApiError::NotFound)?;
    let corrections = store::corrections(conn, &[note_id])?;
    let text = search_text(
        &row.narrative,
        corrections.iter().map(|c| c.narrative.as_str()),
    );
    let (seq, was) = match store::indexed_as(conn, note_id)? {
        Some((seq, was)) => {
            postings::lock(conn, SEARCH_KIND)?;
            (seq, search::grams(&was))
        }
        None => (postings::next_seq(conn, SEARCH_KIND)?, BTreeSet::new()),
    };
    let now = search::grams(&text);
    let gone = was.difference(&now).cloned().collect();
    let new = now.difference(&was).cloned().collect();
    postings::unpost(conn, SEARCH_KIND, centre_id, seq, &gone)?;
    postings::post(conn, SEARCH_KIND, centre_id, seq, &new)?;
    store::set_search_text(conn, note_id, &text, seq)?;
    let own: Vec<_> = corrections.iter().collect();
    let lexicon = language::language().lexicon_version();
    store::set_themes(conn, &[themes_of(&row, &own)], lexicon)?;
    Ok(())
}

/// The themes a note's narrative and corrections raise.
fn themes_of(row: &NoteRow, corrections: &[&store::CorrectionRow]) -> store::NoteThemes {
    let text = std::iter::once(row.narrative.as_str())
        .chain(corrections.iter().map(|c| c.narrative.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    store::NoteThemes {
        note_id: row.id.clone(),
        case_id: row.case_id.clone(),
        themes: language::language()
            .themes(&text)
            .into_iter()
            .map(|tag| (tag.theme, json!(tag.words).to_string()))
            .collect(),
    }
}

/// Tags the notes that the current lexicon has not tagged (written before tagging, or
/// tagged by an older lexicon), in batches of a transaction each, until none is left or
/// `stopped` says so; answers how many.
pub fn tag_untagged(
    conn: &mut DbConnection,
    stopped: impl Fn() -> bool,
) -> Result<usize, ApiError> {
    const BATCH: i64 = 1_000;
    let lexicon = language::language().lexicon_version();
    let mut after = String::new();
    let mut tagged = 0;
    while !stopped() {
        let batch = store::untagged(conn, &after, lexicon, BATCH)?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.clone();
        tagged += batch.len();
        db::transaction(conn, |conn| {
            let ids: Vec<&str> = batch.iter().map(String::as_str).collect();
            let mut corrections: HashMap<String, Vec<store::CorrectionRow>> = HashMap::new();
            for correction in store::corrections(conn, &ids)? {
                corrections
                    .entry(correction.note_id.clone())
                    .or_default()
                    .push(correction);
            }
            let notes: Vec<_> = store::of_ids(conn, &ids)?
                .iter()
                .map(|row| {
                    let own: Vec<_> = corrections.get(&row.id).into_iter().flatten().collect();
                    themes_of(row, &own)
                })
                .collect();
            store::set_themes(conn, &notes, lexicon)?;
            Ok::<_, ApiError>(())
        })?;
    }
    Ok(tagged)
}

/// A case's notes are searched in the centre it is transferred to: called in the
/// transfer's transaction.
pub fn follow_case(
    conn: &mut DbConnection,
    case_id: &str,
    (from_centre, to_centre): (&str, &str),
) -> Result<(), ApiError> {
    if from_centre == to_centre {
        return Ok(());
    }
    postings::lock(conn, SEARCH_KIND)?;
    for (seq, text) in store::indexed_of_case(conn, case_id)? {
        let grams = search::grams(&text);
        postings::unpost(conn, SEARCH_KIND, from_centre, seq, &grams)?;
        postings::post(conn, SEARCH_KIND, to_centre, seq, &grams)?;
    }
    Ok(())
}

/// Indexes the notes written before notes were searched; answers how many. Runs when the
/// server starts, in batches, each in its own transaction.
pub fn index_unindexed(conn: &mut DbConnection) -> Result<usize, ApiError> {
    const BATCH: i64 = 200;
    let mut indexed = 0;
    loop {
        let batch = store::unindexed(conn, BATCH)?;
        if batch.is_empty() {
            return Ok(indexed);
        }
        indexed += batch.len();
        db::transaction(conn, |conn| {
            for (note_id, centre_id) in &batch {
                index(conn, note_id, centre_id)?;
            }
            Ok::<_, ApiError>(())
        })?;
    }
}

/// The numbers of a worker's notes as last read, by worker, access and centres, with the
/// worker's reach stamp then (which moves when the cases they hold change).
pub type HeldNotes = Kept<(String, Access, Centres), Arc<NoteNumbers>, 2048>;

/// The cases a worker holds and the numbers of their notes (ascending), as of the last
/// number given out.
#[derive(Clone)]
pub struct NoteNumbers {
    upto: i64,
    cases: HashSet<String>,
    numbers: Vec<i64>,
}

struct KeptNotes<'a> {
    held: &'a HeldNotes,
    stamp: i64,
}

/// Past this many numbers given out since, a worker's notes are read again whole.
const MOST_CAUGHT_UP: i64 = 10_000;

/// The numbers of the notes a worker may search, kept between their searches: reading a
/// caseload's notes costs more than the rest of a search. Kept while the cases they hold
/// stand; notes numbered since are added, since a note never leaves its case.
fn held_notes(
    conn: &mut DbConnection,
    scope: &RecordScope,
    centre_ids: &[String],
    kept: &KeptNotes,
) -> Result<Option<Arc<NoteNumbers>>, ApiError> {
    let Some(owner) = &scope.owner_id else {
        return Ok(None);
    };
    let key = (owner.clone(), scope.access, scope.centres.clone());
    // Read before the notes: a number given out is its note's, committed, by then.
    let upto = postings::last_seq(conn, SEARCH_KIND)?;
    let notes = match kept.held.get(&key, kept.stamp) {
        // Kept by a request that read a later number: newer than this one needs.
        Some(notes) if notes.upto >= upto => return Ok(Some(notes)),
        Some(notes) if upto - notes.upto <= MOST_CAUGHT_UP => {
            let mut notes = NoteNumbers::clone(&notes);
            let since = store::numbered_between(conn, notes.upto, upto)?;
            notes.numbers.extend(
                since
                    .into_iter()
                    .filter(|(_, case_id)| notes.cases.contains(case_id))
                    .map(|(number, _)| number),
            );
            notes.upto = upto;
            notes
        }
        _ => {
            let (cases, numbers) = store::held_notes(conn, owner, scope.access, centre_ids)?;
            NoteNumbers {
                upto,
                cases: cases.into_iter().collect(),
                numbers,
            }
        }
    };
    let notes = Arc::new(notes);
    kept.held.keep(key, kept.stamp, notes.clone());
    Ok(Some(notes))
}

/// The notes the user may read whose narrative or corrections hold the term, the latest
/// written first. Who reads no narrative (an agency admin) finds nothing; the term is
/// never written to the audit trail.
pub fn search(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    query: &NoteSearchQuery,
    held: &HeldNotes,
    lists: &search::postings::KeptLists,
) -> Result<NoteHitPage, ApiError> {
    let wanted = query.parse().map_err(ApiError::Validation)?;
    // Without a gram ("a b", punctuation) only reading every note could tell.
    if search::query_grams(&wanted.term).is_empty() {
        return Err(ApiError::field(
            "q",
            "too_short",
            "At least two letters or a Chinese character, side by side",
        ));
    }
    let (items, found) = match principal.record_scope(Records::CaseNotes, Access::Read) {
        Ok(scope) => {
            let window = (wanted.page, wanted.per_page);
            let centre_ids = search::centre_ids(conn, &scope.centres)?;
            let kept = KeptNotes {
                held,
                stamp: principal.reach_stamp,
            };
            let theirs = held_notes(conn, &scope, &centre_ids, &kept)?;
            let theirs = theirs.as_ref().map(|t| t.numbers.as_slice());
            let (rows, found) =
                store::search(conn, lists, &centre_ids, theirs, &wanted.term, window)?;
            let items = hits(conn, &scope, rows, &wanted.term)?;
            (items, found.counted())
        }
        Err(_) => (Vec::new(), search::Counted::exactly(0)),
    };
    let detail = json!({ "page": wanted.page, "shown": items.len(), "total": found.total });
    reads.record(
        &principal.actor(),
        "case_note.search",
        ("case_note", None),
        Some(detail),
    )?;
    Ok(NoteHitPage {
        items,
        total: found.total,
        total_estimated: found.estimated,
        page: wanted.page,
        per_page: wanted.per_page,
    })
}

/// Found notes as a search shows them, in the order given.
fn hits(
    conn: &mut DbConnection,
    scope: &RecordScope,
    rows: Vec<NoteRow>,
    term: &str,
) -> Result<Vec<NoteHit>, ApiError> {
    let note_ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let case_ids: Vec<&str> = rows.iter().map(|r| r.case_id.as_str()).collect();
    let found_cases = cases::by_ids(conn, scope, &case_ids)?;
    let client_ids: Vec<&str> = found_cases.values().map(|c| c.client_id.as_str()).collect();
    let clients: HashMap<String, _> = cases::people(conn, &client_ids)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let author_ids: Vec<&str> = rows.iter().map(|r| r.author_id.as_str()).collect();
    let staff = cases::staff(conn, &author_ids)?;
    let corrections = store::corrections(conn, &note_ids)?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let case = found_cases
            .get(&row.case_id)
            .ok_or_else(|| db::unreadable("case_notes.case_id", &row.case_id))?;
        let client = clients
            .get(&case.client_id)
            .cloned()
            .ok_or_else(|| db::unreadable("cases.client_id", &case.client_id))?;
        // The term may be in a correction, or run from the narrative into one: then
        // the note's beginning stands for it.
        let passage = excerpt(&row.narrative, term, EXCERPT_RADIUS)
            .or_else(|| {
                corrections
                    .iter()
                    .filter(|c| c.note_id == row.id)
                    .find_map(|c| excerpt(&c.narrative, term, EXCERPT_RADIUS))
            })
            .or_else(|| excerpt(&row.narrative, "", EXCERPT_RADIUS))
            .unwrap_or_default();
        out.push(NoteHit {
            note_id: row.id.clone(),
            case_id: row.case_id.clone(),
            case_number: case.case_number.clone(),
            client,
            contact_at: utc(row.contact_at),
            contact_type: row.contact_type()?,
            author: cases::staff_ref(&staff, &row.author_id)?,
            excerpt: passage,
        });
    }
    Ok(out)
}
