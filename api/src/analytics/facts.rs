//! The analytics model: each case's facts as the dashboards read them, held in memory so
//! that a dashboard over every centre is a pass over a few hundred thousand small rows
//! rather than joins over millions. Kept current case by case: every write that changes
//! a case's facts marks it in its own transaction (`risk::store::touch_*`, the marks the
//! risk indicator also reads), and each request first reads the marked cases again
//! (`Analytics::current`). The model belongs to one server process: two servers on one
//! database would take each other's marks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

use chrono::{Datelike, NaiveDate};
use common::activities::hong_kong_day;
use common::analytics::BANDED_SCALES;
use common::cases::{CaseEventKind, CaseState, CaseType};
use common::clients::Sex;
use common::districts::District;
use common::households::{CssaStatus, HouseholdType, HousingType, IncomeBand};
use common::identity::Unit;
use common::person::{parse_disabilities, Disability, Ethnicity, Language};
use diesel::QueryResult;
use smallvec::SmallVec;

use super::outcomes::Outcomes;
use super::store::{self, Marked, CHUNK};
use crate::db::{stored_code, unreadable, DbConnection};
use crate::error::ApiError;

/// Most marked cases one request reads again before answering; more wait for the next.
const SYNC_MAX: i64 = 20_000;

/// Strings given small numbers, so that facts are compact and compare fast.
#[derive(Default, Clone, PartialEq, Debug)]
pub struct Interner {
    pub names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        i
    }

    pub fn get(&self, name: &str) -> Option<u32> {
        self.index.get(name).copied()
    }
}

/// One event of a case's history: its state from `on` until `until` (the day the next
/// event superseded it; none while it is the last).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    pub kind: CaseEventKind,
    pub state: CaseState,
    pub on: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// The client's present household, as the dashboards break cases down by it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseholdFacts {
    pub household_type: HouseholdType,
    pub housing: HousingType,
    pub cssa: CssaStatus,
    pub income: IncomeBand,
    /// The birth date of its youngest present member: whether children live there.
    pub youngest_born: Option<NaiveDate>,
}

/// What the client's record says of them beyond age and sex, as the profile counts it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonFacts {
    pub ethnicity: Option<Ethnicity>,
    pub language: Option<Language>,
    /// A bit for each disability, by its place in `Disability::ALL`.
    pub disabilities: u16,
}

impl PersonFacts {
    pub fn has(&self, disability: Disability) -> bool {
        let place = Disability::ALL.iter().position(|d| *d == disability);
        place.is_some_and(|p| self.disabilities & (1 << p) != 0)
    }
}

/// The themes one note of the case raised (`Model::themes`' numbers, as bits), and the
/// Hong Kong day of the contact it records.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoteThemes {
    pub on: NaiveDate,
    /// The day's month, counted from year 0: kept beside the day (in what would be its
    /// padding), as the themes board asks it of every note in view.
    pub month: i32,
    pub themes: u64,
}

impl NoteThemes {
    pub fn new(on: NaiveDate, themes: u64) -> NoteThemes {
        NoteThemes {
            on,
            month: month_number(on),
            themes,
        }
    }

    /// The numbers of the note's themes.
    pub fn each(self) -> impl Iterator<Item = u32> {
        each_theme(self.themes)
    }
}

/// A month counted from year 0: months apart are numbers apart.
pub fn month_number(day: NaiveDate) -> i32 {
    day.year() * 12 + day.month0() as i32
}

/// The numbers of the themes set in `bits`: only set bits are visited, as a dashboard
/// asks this of every case's every month.
pub fn each_theme(mut bits: u64) -> impl Iterator<Item = u32> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let theme = bits.trailing_zeros();
            bits &= bits - 1;
            theme
        })
    })
}

/// Where a case's themed notes lie in `Notes`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NotesRun {
    start: u32,
    len: u32,
}

/// Every case's notes that raised any theme, each case's run together and in day order, in
/// one arena laid out in the order of the cases: a dashboard's pass over the cases reads
/// them in the order it meets them, not behind a pointer a case. A case read again has its
/// run rewritten in place where it fits, else appended; once half the arena is runs no
/// case points to, it is laid out again.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    notes: Vec<NoteThemes>,
    stale: usize,
}

impl Notes {
    pub fn of(&self, run: NotesRun) -> &[NoteThemes] {
        &self.notes[run.start as usize..(run.start + run.len) as usize]
    }

    /// A case's notes of contacts from one day to another, both included.
    pub fn within(&self, run: NotesRun, from: NaiveDate, until: NaiveDate) -> &[NoteThemes] {
        let notes = self.of(run);
        match (notes.first(), notes.last()) {
            // Most cases in view lie wholly inside a period: no search then.
            (Some(first), Some(last)) if first.on >= from && last.on <= until => notes,
            (Some(first), Some(last)) if first.on <= until && last.on >= from => {
                let start = notes.partition_point(|n| n.on < from);
                let end = notes.partition_point(|n| n.on <= until);
                &notes[start..end]
            }
            _ => &[],
        }
    }

    /// Places a case's notes, over its run `old` where they fit.
    fn place(&mut self, old: Option<NotesRun>, mut notes: Vec<NoteThemes>) -> NotesRun {
        notes.sort_unstable_by_key(|n| (n.on, n.themes));
        let len = notes.len() as u32;
        match old {
            Some(run) if run.len >= len => {
                let start = run.start as usize;
                self.notes[start..start + notes.len()].copy_from_slice(&notes);
                self.stale += (run.len - len) as usize;
                NotesRun {
                    start: run.start,
                    len,
                }
            }
            _ => {
                self.stale += old.map_or(0, |run| run.len as usize);
                let start = self.notes.len() as u32;
                self.notes.extend(notes);
                NotesRun { start, len }
            }
        }
    }

    /// Lays the runs out again in the order of the cases, once half the arena is stale.
    fn compact<'a>(&mut self, runs: impl Iterator<Item = &'a mut NotesRun>) {
        if self.stale <= self.notes.len() / 2 {
            return;
        }
        let mut notes = Vec::with_capacity(self.notes.len() - self.stale);
        for run in runs {
            let start = notes.len() as u32;
            notes.extend_from_slice(self.of(*run));
            run.start = start;
        }
        *self = Notes { notes, stale: 0 };
    }
}

/// A measure of the case's client on one of `BANDED_SCALES` (by its place there): the day
/// and its band's severity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Banded {
    pub scale: u8,
    pub on: NaiveDate,
    pub severity: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseFacts {
    pub centre: u32,
    pub worker: u32,
    pub client: u32,
    pub unit: Unit,
    pub case_type: CaseType,
    /// The client's district, or else their household's.
    pub district: Option<District>,
    pub sex: Sex,
    pub born: NaiveDate,
    pub arrived: Option<NaiveDate>,
    pub person: PersonFacts,
    pub household: Option<HouseholdFacts>,
    /// Nature numbers (`Model::natures`), ascending. Held inline, as are the steps, for
    /// the few a case has: a dashboard reads them of every case in turn, and a pointer to
    /// each would be a cache miss.
    pub natures: SmallVec<[u32; 3]>,
    pub steps: SmallVec<[Step; 3]>,
    pub flagged: bool,
    /// The notes that raised any theme (in `Model::notes`).
    pub notes: NotesRun,
    /// The client's measures within the case on the banded scales, in order taken.
    pub measures: Box<[Banded]>,
}

impl CaseFacts {
    /// The band's severity of the client's latest measure on a banded scale by a day.
    pub fn latest_band(&self, scale: usize, on: NaiveDate) -> Option<u8> {
        self.measures
            .iter()
            .rev()
            .find(|m| m.scale as usize == scale && m.on <= on)
            .map(|m| m.severity)
    }

    /// Whether the case was open at some time in the period: open on the day before it
    /// (brought forward) or opened, reactivated or transferred in within it.
    pub fn served_in(&self, from: NaiveDate, until: NaiveDate) -> bool {
        self.steps.iter().any(|s| {
            s.state == CaseState::Open && s.on <= until && s.until.is_none_or(|end| end >= from)
        })
    }
}

/// What most views narrow cases by first: a supervisor sees one centre, a district is a
/// filter of its own, and a period holds a minority of all cases ever open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaseKey {
    pub centre: u32,
    pub district: Option<District>,
    /// Whether the case was open once only (most are): its days open then tell whether
    /// it was served in a period.
    open_once: bool,
    /// The first and last days the case was open (the greatest day while it still is).
    open_from: NaiveDate,
    open_until: NaiveDate,
    /// The days of its first and last notes that raised a theme.
    noted_from: NaiveDate,
    noted_until: NaiveDate,
}

impl CaseKey {
    fn of(case: &CaseFacts, notes: &[NoteThemes]) -> CaseKey {
        let open = case.steps.iter().filter(|s| s.state == CaseState::Open);
        CaseKey {
            centre: case.centre,
            district: case.district,
            open_once: open.clone().count() == 1,
            open_from: open.clone().map(|s| s.on).min().unwrap_or(NaiveDate::MAX),
            open_until: open
                .map(|s| s.until.unwrap_or(NaiveDate::MAX))
                .max()
                .unwrap_or(NaiveDate::MIN),
            noted_from: notes.first().map_or(NaiveDate::MAX, |n| n.on),
            noted_until: notes.last().map_or(NaiveDate::MIN, |n| n.on),
        }
    }

    /// Whether the case was open, or a note of it raised a theme, within the days.
    pub fn active_within(&self, from: NaiveDate, until: NaiveDate) -> bool {
        self.open_within(from, until) || (self.noted_from <= until && self.noted_until >= from)
    }

    /// Whether the case was served within the days (`CaseFacts::served_in`), where its key
    /// alone tells.
    pub fn served_within(&self, from: NaiveDate, until: NaiveDate) -> Option<bool> {
        match (self.open_within(from, until), self.open_once) {
            (false, _) => Some(false),
            (true, true) => Some(true),
            (true, false) => None,
        }
    }

    fn open_within(&self, from: NaiveDate, until: NaiveDate) -> bool {
        self.open_from <= until && self.open_until >= from
    }
}

#[derive(Default, Clone, PartialEq, Debug)]
pub struct Model {
    pub cases: Vec<CaseFacts>,
    /// Each case's key, in the order of `cases`: a pass over a centre's or a district's
    /// cases reads 8 bytes of each case it passes by, not the case's whole facts, which
    /// are the pass's cost (a dashboard's work is mostly waiting on memory).
    keys: Vec<CaseKey>,
    by_id: HashMap<String, usize>,
    pub centres: Interner,
    pub workers: Interner,
    pub natures: Interner,
    /// Themes read from notes; at most 64, one bit each in `NoteThemes`.
    pub themes: Interner,
    pub notes: Notes,
    pub(super) clients: Interner,
    /// Measures and groups, for the service-effectiveness board.
    pub outcomes: Outcomes,
}

impl Model {
    /// The facts of every case in the database.
    fn load(conn: &mut DbConnection) -> Result<Model, ApiError> {
        let mut model = Model::default();
        model.read(conn, None)?;
        model.read_groups(conn, None)?;
        model.read_taken(conn, None)?;
        Ok(model)
    }

    /// Reads these cases (or every case) again into the model.
    pub(super) fn read(
        &mut self,
        conn: &mut DbConnection,
        ids: Option<&[String]>,
    ) -> QueryResult<()> {
        let rows = store::case_rows(conn, ids)?;
        let households: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.household_id.as_deref())
            .collect();
        let youngest: HashMap<String, NaiveDate> =
            store::youngest_members(conn, ids.is_some().then_some(households.as_slice()))?
                .into_iter()
                .filter_map(|(household, born)| Some((household, born?)))
                .collect();
        let mut natures: HashMap<String, Vec<u32>> = HashMap::new();
        for (case_id, code) in store::natures(conn, ids)? {
            let n = self.natures.intern(&code);
            natures.entry(case_id).or_default().push(n);
        }
        let mut steps: HashMap<String, Vec<Step>> = HashMap::new();
        for row in store::steps(conn, ids)? {
            steps.entry(row.case_id).or_default().push(Step {
                kind: stored_code(CaseEventKind::parse, "case_events.kind", &row.kind)?,
                state: stored_code(CaseState::parse, "case_events.state", &row.state)?,
                on: row.effective_on,
                until: row.superseded_on,
            });
        }
        let mut measures: HashMap<String, Vec<(String, Banded)>> = HashMap::new();
        for row in store::banded_measures(conn, ids)? {
            let scale = BANDED_SCALES
                .iter()
                .position(|b| b.instrument == row.instrument);
            let severity = row.severity.and_then(|s| u8::try_from(s).ok());
            if let (Some(case_id), Some(scale), Some(severity)) = (row.case_id, scale, severity) {
                let banded = Banded {
                    scale: scale as u8,
                    on: row.administered_on,
                    severity,
                };
                measures
                    .entry(case_id)
                    .or_default()
                    .push((row.client_id, banded));
            }
        }
        let mut notes: HashMap<String, HashMap<String, NoteThemes>> = HashMap::new();
        for (case_id, note_id, contact_at, theme) in store::note_themes(conn, ids)? {
            let bit = self.themes.intern(&theme);
            if bit >= u64::BITS {
                return Err(unreadable("note_themes.theme", &theme));
            }
            let note = notes
                .entry(case_id)
                .or_default()
                .entry(note_id)
                .or_insert(NoteThemes::new(hong_kong_day(contact_at.and_utc()), 0));
            note.themes |= 1 << bit;
        }
        for row in rows {
            let case_notes = self.notes.place(
                self.by_id.get(&row.id).map(|&i| self.cases[i].notes),
                notes
                    .remove(&row.id)
                    .map(|n| n.into_values().collect())
                    .unwrap_or_default(),
            );
            let mut case_natures = natures.remove(&row.id).unwrap_or_default();
            case_natures.sort_unstable();
            let household = match (
                row.household_type,
                row.housing_type,
                row.cssa_status,
                row.income_band,
            ) {
                (Some(t), Some(h), Some(c), Some(i)) => Some(HouseholdFacts {
                    household_type: stored_code(
                        HouseholdType::parse,
                        "households.household_type",
                        &t,
                    )?,
                    housing: stored_code(HousingType::parse, "households.housing_type", &h)?,
                    cssa: stored_code(CssaStatus::parse, "households.cssa_status", &c)?,
                    income: stored_code(IncomeBand::parse, "households.income_band", &i)?,
                    youngest_born: row
                        .household_id
                        .as_ref()
                        .and_then(|h| youngest.get(h).copied()),
                }),
                _ => None,
            };
            let district = row
                .client_district
                .or(row.household_district)
                .map(|d| stored_code(District::from_code, "clients.district", &d))
                .transpose()?;
            let disabilities = parse_disabilities(&row.disabilities)
                .map_err(|code| unreadable("clients.disabilities", &code))?;
            let person = PersonFacts {
                ethnicity: row
                    .ethnicity
                    .map(|e| stored_code(Ethnicity::parse, "clients.ethnicity", &e))
                    .transpose()?,
                language: row
                    .language
                    .map(|l| stored_code(Language::parse, "clients.preferred_language", &l))
                    .transpose()?,
                disabilities: disabilities
                    .iter()
                    .filter_map(|d| Disability::ALL.iter().position(|x| x == d))
                    .fold(0, |bits, p| bits | 1 << p),
            };
            let facts = CaseFacts {
                centre: self.centres.intern(&row.centre_id),
                worker: self.workers.intern(&row.worker_id),
                client: self.clients.intern(&row.client_id),
                unit: stored_code(Unit::parse, "units.kind", &row.unit_kind)?,
                case_type: stored_code(CaseType::parse, "cases.case_type", &row.case_type)?,
                district,
                sex: stored_code(Sex::parse, "clients.sex", &row.sex)?,
                born: row.born,
                arrived: row.arrived_on,
                person,
                household,
                // Collected, not converted: a Vec's spare capacity would keep it on the heap.
                natures: case_natures.into_iter().collect(),
                steps: steps
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .collect(),
                flagged: row.flagged.unwrap_or(false),
                notes: case_notes,
                measures: measures
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(client, _)| *client == row.client_id)
                    .map(|(_, banded)| banded)
                    .collect(),
            };
            let key = CaseKey::of(&facts, self.notes.of(facts.notes));
            match self.by_id.get(&row.id) {
                Some(&i) => {
                    self.cases[i] = facts;
                    self.keys[i] = key;
                }
                None => {
                    self.by_id.insert(row.id, self.cases.len());
                    self.cases.push(facts);
                    self.keys.push(key);
                }
            }
        }
        self.notes
            .compact(self.cases.iter_mut().map(|c| &mut c.notes));
        Ok(())
    }

    /// Each case's key with its facts: a pass that reads the key first reads the facts
    /// only of the cases it keeps.
    pub fn keyed(&self) -> impl Iterator<Item = (&CaseKey, &CaseFacts)> {
        self.keys.iter().zip(&self.cases)
    }

    /// The facts of one case, by its id.
    pub fn case(&self, id: &str) -> Option<&CaseFacts> {
        self.by_id.get(id).map(|&i| &self.cases[i])
    }

    /// Where the model holds a case: its place in `cases`.
    pub(super) fn case_place(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).map(|&i| i as u32)
    }

    /// How many distinct clients the model names: the size of a set of them.
    pub fn client_count(&self) -> usize {
        self.clients.names.len()
    }
}

/// The model shared by the server's requests, and the one lock that reads marks into it.
#[derive(Clone, Default)]
pub struct Analytics {
    model: Arc<RwLock<Option<Model>>>,
    syncing: Arc<Mutex<()>>,
}

impl Analytics {
    /// The model with every case marked until now read again; the whole of it read first
    /// if it was never read (or a read failed part way). Readers wait while marks are
    /// applied, which takes as long as reading the changed cases.
    pub fn current(
        &self,
        conn: &mut DbConnection,
    ) -> Result<RwLockReadGuard<'_, Option<Model>>, ApiError> {
        {
            let _one_at_a_time = self.syncing.lock().unwrap_or_else(|e| e.into_inner());
            let loaded = self.read_guard().is_some();
            if !loaded {
                store::unmark_all(conn)?;
                let model = Model::load(conn)?;
                *self.write_guard() = Some(model);
            } else {
                let cases = store::marked(conn, SYNC_MAX)?;
                let (groups, clients) = store::marks(conn, SYNC_MAX)?;
                if !(cases.is_empty() && groups.is_empty() && clients.is_empty()) {
                    store::unmark(conn, &cases)?;
                    store::unmark_of(conn, Marked::Activity, &groups)?;
                    store::unmark_of(conn, Marked::Client, &clients)?;
                    let mut guard = self.write_guard();
                    let model = guard.as_mut().expect("loaded above");
                    let read = (|| -> Result<(), ApiError> {
                        for chunk in cases.chunks(CHUNK) {
                            model.read(conn, Some(chunk))?;
                        }
                        for chunk in groups.chunks(CHUNK) {
                            model.read_groups(conn, Some(chunk))?;
                        }
                        for chunk in clients.chunks(CHUNK) {
                            model.read_taken(conn, Some(chunk))?;
                        }
                        Ok(())
                    })();
                    if let Err(error) = read {
                        // The marks are taken: only a whole read puts the model right.
                        *guard = None;
                        return Err(error);
                    }
                }
            }
        }
        Ok(self.read_guard())
    }

    /// Reads the whole model, at the server's start, so the first dashboard is quick.
    pub fn warm(&self, conn: &mut DbConnection) -> Result<(), ApiError> {
        self.current(conn).map(drop)
    }

    /// Whether the model, brought up to date, is what a whole read gives: a write that
    /// forgot to mark its case leaves them apart. For the tests' end.
    pub fn drifted(&self, conn: &mut DbConnection) -> Result<bool, ApiError> {
        let current = self.current(conn)?.clone().unwrap_or_default();
        let fresh = Model::load(conn)?;
        Ok(!current.same_facts(&fresh))
    }

    fn read_guard(&self) -> RwLockReadGuard<'_, Option<Model>> {
        self.model.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_guard(&self) -> std::sync::RwLockWriteGuard<'_, Option<Model>> {
        self.model.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl Model {
    /// The same cases with the same facts, whatever order they were read in.
    fn same_facts(&self, other: &Model) -> bool {
        let named = |m: &Model, f: &CaseFacts| {
            (
                m.centres.names[f.centre as usize].clone(),
                m.workers.names[f.worker as usize].clone(),
                m.clients.names[f.client as usize].clone(),
                f.natures
                    .iter()
                    .map(|&n| m.natures.names[n as usize].clone())
                    .collect::<std::collections::BTreeSet<_>>(),
                (f.unit, f.case_type, f.district, f.sex, f.born, f.arrived),
                f.person,
                (f.household, f.steps.clone(), f.flagged),
                // Notes of one day are in the order of their theme numbers, which differ
                // between two reads.
                {
                    let mut notes: Vec<_> = m
                        .notes
                        .of(f.notes)
                        .iter()
                        .map(|n| {
                            let themes: std::collections::BTreeSet<_> = n
                                .each()
                                .map(|t| m.themes.names[t as usize].clone())
                                .collect();
                            (n.on, themes)
                        })
                        .collect();
                    notes.sort();
                    notes
                },
            )
        };
        fn case_ids(m: &Model) -> Vec<&str> {
            let mut ids = vec![""; m.cases.len()];
            for (id, &i) in &m.by_id {
                ids[i] = id.as_str();
            }
            ids
        }
        self.named_outcomes(&case_ids(self)) == other.named_outcomes(&case_ids(other))
            && self.by_id.len() == other.by_id.len()
            && self.by_id.iter().all(|(id, &i)| {
                other
                    .by_id
                    .get(id)
                    .is_some_and(|&j| named(self, &self.cases[i]) == named(other, &other.cases[j]))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(day: u32, themes: u64) -> NoteThemes {
        NoteThemes::new(NaiveDate::from_ymd_opt(2024, 4, day).unwrap(), themes)
    }

    #[test]
    fn a_case_read_again_keeps_its_notes_in_place_or_after_and_the_arena_is_laid_out_again() {
        let mut arena = Notes::default();
        let mut runs = [
            arena.place(None, vec![note(3, 1), note(1, 2)]),
            arena.place(None, vec![note(2, 4)]),
            arena.place(None, vec![]),
        ];
        assert_eq!(arena.of(runs[0]), [note(1, 2), note(3, 1)]);
        let day = |d| NaiveDate::from_ymd_opt(2024, 4, d).unwrap();
        assert_eq!(arena.within(runs[0], day(2), day(9)), [note(3, 1)]);
        assert_eq!(arena.within(runs[1], day(3), day(9)), []);
        // Fewer notes fit where they were; more go after the rest.
        runs[0] = arena.place(Some(runs[0]), vec![note(5, 8)]);
        assert_eq!((runs[0].start, arena.stale), (0, 1));
        runs[1] = arena.place(Some(runs[1]), vec![note(6, 1), note(7, 1)]);
        assert_eq!((runs[1].start, arena.stale), (3, 2));
        assert_eq!(arena.of(runs[1]), [note(6, 1), note(7, 1)]);
        arena.compact(runs.iter_mut());
        assert_eq!(arena.notes.len(), 5, "two of five stale: not yet");
        runs[2] = arena.place(Some(runs[2]), vec![]);
        runs[0] = arena.place(Some(runs[0]), vec![]);
        arena.compact(runs.iter_mut());
        assert_eq!(arena.stale, 0);
        assert_eq!(arena.notes, [note(6, 1), note(7, 1)]);
        assert_eq!(arena.of(runs[0]), []);
        assert_eq!(arena.of(runs[1]), [note(6, 1), note(7, 1)]);
        assert_eq!(arena.of(runs[2]), []);
    }

    fn april(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 4, day).unwrap()
    }

    /// A case with these steps: each a state from a day, until the next one's day.
    fn case_with(steps: &[(CaseState, u32)]) -> CaseFacts {
        CaseFacts {
            centre: 0,
            worker: 0,
            client: 0,
            unit: Unit::FamilySupport,
            case_type: CaseType::BriefSupportive,
            district: None,
            sex: Sex::F,
            born: april(1),
            arrived: None,
            person: PersonFacts {
                ethnicity: None,
                language: None,
                disabilities: 0,
            },
            household: None,
            natures: SmallVec::new(),
            steps: steps
                .iter()
                .enumerate()
                .map(|(i, &(state, day))| Step {
                    kind: CaseEventKind::Registered,
                    state,
                    on: april(day),
                    until: steps.get(i + 1).map(|&(_, next)| april(next)),
                })
                .collect(),
            flagged: false,
            notes: NotesRun::default(),
            measures: Box::new([]),
        }
    }

    #[test]
    fn a_case_key_tells_what_its_facts_tell_of_a_period() {
        use CaseState::*;
        let cases = [
            case_with(&[(Waiting, 2), (Open, 5), (Closed, 12)]),
            case_with(&[(Open, 3), (Closed, 8), (Open, 15), (Closed, 20), (Open, 25)]),
            case_with(&[(Waiting, 4), (Closed, 9)]),
            case_with(&[(Open, 6)]),
        ];
        // A note of the third case after it closed, which was never open.
        let notes = [vec![], vec![], vec![note(14, 1)], vec![note(7, 2)]];
        for (case, notes) in cases.iter().zip(&notes) {
            let key = CaseKey::of(case, notes);
            for from in 1..=30 {
                for until in from..=30 {
                    let (from, until) = (april(from), april(until));
                    let served = case.served_in(from, until);
                    let known = key.served_within(from, until);
                    assert!(known.is_none_or(|k| k == served), "{case:?} {from} {until}");
                    let opened = case.steps.iter().filter(|s| s.state == Open).count();
                    assert_eq!(known.is_some(), opened < 2 || !key.open_within(from, until));
                    // A case passed by may not be served or noted in the period.
                    let noted = notes.iter().any(|n| n.on >= from && n.on <= until);
                    assert!(key.active_within(from, until) || !(served || noted));
                }
            }
        }
    }
}
