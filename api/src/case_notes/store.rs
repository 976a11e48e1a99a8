//! Database access for case notes. The service finds the case within the user's reach
//! before any of these run.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use common::case_notes::{ContactType, NoteDetails};
use common::identity::Access;
use diesel::prelude::*;

use super::service::SEARCH_KIND;
use crate::cases::store::held_by;
use crate::db::schema::{
    case_note_corrections, case_note_participants, case_notes, cases, held_cases, note_themes,
};
use crate::db::{one_of, rows_per_statement, unreadable, DbConnection};
use crate::search;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_notes)]
pub struct NoteRow {
    pub id: String,
    pub case_id: String,
    pub contact_at: NaiveDateTime,
    pub contact_type: String,
    pub duration_minutes: i64,
    pub other_participants: String,
    pub narrative: String,
    pub author_id: String,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NoteRow {
    pub fn contact_type(&self) -> QueryResult<ContactType> {
        ContactType::parse(&self.contact_type)
            .ok_or_else(|| unreadable("case_notes.contact_type", &self.contact_type))
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_note_corrections)]
pub struct CorrectionRow {
    pub note_id: String,
    pub narrative: String,
    pub reason: String,
    pub author_id: String,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<NoteRow>> {
    case_notes::table
        .find(id)
        .select(NoteRow::as_select())
        .first(conn)
        .optional()
}

/// These notes, in no particular order.
pub fn of_ids(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<NoteRow>> {
    case_notes::table
        .filter(one_of(case_notes::id, ids))
        .select(NoteRow::as_select())
        .load(conn)
}

/// A case's notes, the latest contact first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<NoteRow>> {
    case_notes::table
        .filter(case_notes::case_id.eq(case_id))
        .order((case_notes::contact_at.desc(), case_notes::id.desc()))
        .select(NoteRow::as_select())
        .load(conn)
}

/// The people of each note, as (note, client) pairs.
pub fn participants(
    conn: &mut DbConnection,
    note_ids: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    case_note_participants::table
        .filter(one_of(case_note_participants::note_id, note_ids))
        .select((
            case_note_participants::note_id,
            case_note_participants::client_id,
        ))
        .load(conn)
}

/// Corrections of the notes, oldest first.
pub fn corrections(conn: &mut DbConnection, note_ids: &[&str]) -> QueryResult<Vec<CorrectionRow>> {
    case_note_corrections::table
        .filter(one_of(case_note_corrections::note_id, note_ids))
        .order((case_note_corrections::created_at, case_note_corrections::id))
        .select(CorrectionRow::as_select())
        .load(conn)
}

/// Sets the text a note is found by and its number in the posting lists.
pub fn set_search_text(conn: &mut DbConnection, id: &str, text: &str, seq: i64) -> QueryResult<()> {
    diesel::update(case_notes::table.find(id))
        .set((
            case_notes::search_text.eq(text),
            case_notes::search_seq.eq(seq),
        ))
        .execute(conn)
        .map(drop)
}

/// A note's number and the text it is indexed by, once it is.
pub fn indexed_as(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(i64, String)>> {
    let found: Option<(Option<i64>, Option<String>)> = case_notes::table
        .find(id)
        .select((case_notes::search_seq, case_notes::search_text))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(seq, text)| seq.zip(text)))
}

/// The number and indexed text of a case's notes.
pub fn indexed_of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<(i64, String)>> {
    case_notes::table
        .filter(case_notes::case_id.eq(case_id))
        .filter(case_notes::search_seq.is_not_null())
        .select((
            case_notes::search_seq.assume_not_null(),
            case_notes::search_text.assume_not_null(),
        ))
        .load(conn)
}

/// Notes written before they were indexed, with their case's centre, at most `limit`.
/// Not scoped: this is the server's own upkeep, run when it starts.
pub fn unindexed(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<(String, String)>> {
    case_notes::table
        .inner_join(cases::table)
        .filter(case_notes::search_seq.is_null())
        .order(case_notes::id.asc())
        .limit(limit)
        .select((case_notes::id, cases::centre_id))
        .load(conn)
}

/// A page of the notes of these centres' cases whose text holds `term`, the latest
/// written first, and what was checked to find it (how many there are in all, or at
/// most); only `theirs` (numbers, ascending) if given. `term` has grams (the service
/// checks it).
pub fn search(
    conn: &mut DbConnection,
    lists: &search::postings::KeptLists,
    centre_ids: &[String],
    theirs: Option<&[i64]>,
    term: &str,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<NoteRow>, search::Checked)> {
    let pattern = search::contains_pattern(term);
    let holds = case_notes::search_seq.is_not_null().and(
        case_notes::search_text
            .assume_not_null()
            .like(pattern)
            .escape('\\'),
    );
    let in_centres = one_of(cases::centre_id, centre_ids);
    let candidates = search::postings::under_all(
        conn,
        lists,
        SEARCH_KIND,
        centre_ids,
        &search::query_grams(term),
        3,
        theirs,
    )?;
    let found = if search::is_one_gram(term) {
        search::Checked {
            kept: candidates,
            unchecked: 0,
        }
    } else {
        // The candidates are the centres' notes already: their text is checked alone.
        let wanted = (page * per_page) as usize;
        let seq = case_notes::search_seq.assume_not_null();
        search::checked(&candidates, wanted, |batch, at_most| {
            case_notes::table
                .filter(one_of(case_notes::search_seq, batch))
                .filter(holds.clone())
                .order(seq.desc())
                .limit(at_most as i64)
                .select(seq)
                .load::<i64>(conn)
                .map(|seqs| seqs.into_iter().map(|seq| (seq, ())).collect())
        })?
        .0
    };
    let shown = search::page_of(&found.kept, (page, per_page));
    let rows = case_notes::table
        .inner_join(cases::table)
        .filter(in_centres)
        .filter(one_of(case_notes::search_seq, &shown))
        .filter(holds)
        .order(case_notes::search_seq.desc())
        .select(NoteRow::as_select())
        .load(conn)?;
    Ok((rows, found))
}

/// The cases a worker holds in these centres (to read them through a share too, if
/// `access` takes shares) and the numbers of their notes, ascending. A caseload's notes
/// are a few thousand numbers, read without their text, in one statement whose text does
/// not change with the caseload's size.
pub fn held_notes(
    conn: &mut DbConnection,
    owner: &str,
    access: Access,
    centre_ids: &[String],
) -> QueryResult<(Vec<String>, Vec<i64>)> {
    let held = || {
        held_by(owner.to_owned(), access)
            .filter(one_of(held_cases::centre_id, centre_ids))
            .select(held_cases::case_id)
    };
    let cases = held().load(conn)?;
    let mut numbers: Vec<i64> = case_notes::table
        .filter(case_notes::case_id.eq_any(held()))
        .select(case_notes::search_seq)
        .load::<Option<i64>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    numbers.sort_unstable();
    Ok((cases, numbers))
}

/// The notes numbered after `after`, up to `upto`: (number, case), ascending.
pub fn numbered_between(
    conn: &mut DbConnection,
    after: i64,
    upto: i64,
) -> QueryResult<Vec<(i64, String)>> {
    case_notes::table
        .filter(case_notes::search_seq.gt(after))
        .filter(case_notes::search_seq.le(upto))
        .order(case_notes::search_seq)
        .select((
            case_notes::search_seq.assume_not_null(),
            case_notes::case_id,
        ))
        .load(conn)
}

/// The columns a new note and an edit both write.
#[derive(AsChangeset)]
#[diesel(table_name = case_notes)]
struct Written<'a> {
    contact_at: NaiveDateTime,
    contact_type: &'a str,
    duration_minutes: i64,
    other_participants: &'a str,
    narrative: &'a str,
    updated_at: NaiveDateTime,
}

impl<'a> Written<'a> {
    fn of(note: &'a NoteDetails, at: NaiveDateTime) -> Self {
        Written {
            contact_at: note.contact_at.naive_utc(),
            contact_type: note.contact_type.as_str(),
            duration_minutes: note.duration_minutes,
            other_participants: &note.other_participants,
            narrative: &note.narrative,
            updated_at: at,
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    case_id: &str,
    note: &NoteDetails,
    author_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(case_notes::table)
        .values((
            case_notes::id.eq(id),
            case_notes::case_id.eq(case_id),
            case_notes::contact_at.eq(note.contact_at.naive_utc()),
            case_notes::contact_type.eq(note.contact_type.as_str()),
            case_notes::duration_minutes.eq(note.duration_minutes),
            case_notes::other_participants.eq(&note.other_participants),
            case_notes::narrative.eq(&note.narrative),
            case_notes::author_id.eq(author_id),
            case_notes::version.eq(1),
            case_notes::created_at.eq(at),
            case_notes::updated_at.eq(at),
        ))
        .execute(conn)?;
    crate::risk::store::touch_cases(conn, &[case_id])?;
    replace_participants(conn, id, &note.participant_ids)
}

/// Writes only if the note is still at `expected_version`; answers whether it did.
pub fn update_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    note: &NoteDetails,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let written = diesel::update(
        case_notes::table
            .filter(case_notes::id.eq(id))
            .filter(case_notes::version.eq(expected_version)),
    )
    .set((
        Written::of(note, at),
        case_notes::version.eq(expected_version + 1),
    ))
    .execute(conn)?;
    if written == 1 {
        // The day of contact may have changed.
        let case_id: String = case_notes::table
            .find(id)
            .select(case_notes::case_id)
            .first(conn)?;
        crate::risk::store::touch_cases(conn, &[&case_id])?;
        replace_participants(conn, id, &note.participant_ids)?;
    }
    Ok(written == 1)
}

fn replace_participants(
    conn: &mut DbConnection,
    note_id: &str,
    client_ids: &[String],
) -> QueryResult<()> {
    diesel::delete(
        case_note_participants::table.filter(case_note_participants::note_id.eq(note_id)),
    )
    .execute(conn)?;
    for client_id in client_ids {
        diesel::insert_into(case_note_participants::table)
            .values((
                case_note_participants::note_id.eq(note_id),
                case_note_participants::client_id.eq(client_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_correction(
    conn: &mut DbConnection,
    note_id: &str,
    narrative: &str,
    reason: &str,
    author_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(case_note_corrections::table)
        .values((
            case_note_corrections::id.eq(crate::db::new_id()),
            case_note_corrections::note_id.eq(note_id),
            case_note_corrections::narrative.eq(narrative),
            case_note_corrections::reason.eq(reason),
            case_note_corrections::author_id.eq(author_id),
            case_note_corrections::created_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// Moves one person's part in notes to another record of them (a merge); a note both
/// records took part in keeps one. Answers how many moved.
pub fn move_participant(conn: &mut DbConnection, from: &str, to: &str) -> QueryResult<usize> {
    let both: Vec<String> = case_note_participants::table
        .filter(case_note_participants::client_id.eq(to))
        .select(case_note_participants::note_id)
        .load(conn)?;
    diesel::delete(
        case_note_participants::table
            .filter(case_note_participants::client_id.eq(from))
            .filter(case_note_participants::note_id.eq_any(&both)),
    )
    .execute(conn)?;
    diesel::update(case_note_participants::table.filter(case_note_participants::client_id.eq(from)))
        .set(case_note_participants::client_id.eq(to))
        .execute(conn)
}

/// A note's themes as one lexicon tags them: theme and its words as JSON.
pub struct NoteThemes {
    pub note_id: String,
    pub case_id: String,
    pub themes: Vec<(String, String)>,
}

/// Replaces these notes' themes, tagged by this lexicon, in a few statements however many
/// notes there are; marks for the analytics model the cases whose notes' themes changed.
pub fn set_themes(conn: &mut DbConnection, notes: &[NoteThemes], lexicon: &str) -> QueryResult<()> {
    let ids: Vec<&str> = notes.iter().map(|note| note.note_id.as_str()).collect();
    let mut had: HashMap<String, Vec<String>> = HashMap::new();
    for (note_id, theme) in note_themes::table
        .filter(note_themes::note_id.eq_any(&ids))
        .order((note_themes::note_id, note_themes::theme))
        .select((note_themes::note_id, note_themes::theme))
        .load::<(String, String)>(conn)?
    {
        had.entry(note_id).or_default().push(theme);
    }
    let changed: Vec<&str> = notes
        .iter()
        .filter(|note| {
            let mut has: Vec<&str> = note
                .themes
                .iter()
                .map(|(theme, _)| theme.as_str())
                .collect();
            has.sort_unstable();
            let was = had.get(&note.note_id).map_or(&[][..], Vec::as_slice);
            was.iter().map(String::as_str).ne(has)
        })
        .map(|note| note.case_id.as_str())
        .collect();
    if !changed.is_empty() {
        crate::risk::store::touch_cases(conn, &changed)?;
    }
    diesel::delete(note_themes::table.filter(note_themes::note_id.eq_any(&ids))).execute(conn)?;
    let rows: Vec<_> = notes
        .iter()
        .flat_map(|note| {
            note.themes.iter().map(|(theme, words)| {
                (
                    note_themes::note_id.eq(note.note_id.as_str()),
                    note_themes::theme.eq(theme.as_str()),
                    note_themes::words.eq(words.as_str()),
                )
            })
        })
        .collect();
    for chunk in rows.chunks(rows_per_statement(3)) {
        crate::insert_rows!(conn, note_themes::table, chunk.to_vec())?;
    }
    diesel::update(case_notes::table.filter(case_notes::id.eq_any(&ids)))
        .set(case_notes::themes_lexicon.eq(lexicon))
        .execute(conn)
        .map(drop)
}

/// The themes of these notes: note, theme, and the words as JSON.
pub fn themes(
    conn: &mut DbConnection,
    note_ids: &[&str],
) -> QueryResult<Vec<(String, String, String)>> {
    note_themes::table
        .filter(note_themes::note_id.eq_any(note_ids))
        .order((note_themes::note_id, note_themes::theme))
        .select((note_themes::note_id, note_themes::theme, note_themes::words))
        .load(conn)
}

/// Up to `limit` notes after `after` (by id) that this lexicon has not tagged. Not
/// scoped: the server's own upkeep.
pub fn untagged(
    conn: &mut DbConnection,
    after: &str,
    lexicon: &str,
    limit: i64,
) -> QueryResult<Vec<String>> {
    case_notes::table
        .filter(case_notes::id.gt(after))
        .filter(
            case_notes::themes_lexicon
                .is_null()
                .or(case_notes::themes_lexicon.ne(lexicon)),
        )
        .order(case_notes::id.asc())
        .limit(limit)
        .select(case_notes::id)
        .load(conn)
}
