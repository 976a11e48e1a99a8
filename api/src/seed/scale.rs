//! `familylink seed --scale N`: a synthetic data set the size of the original project's
//! first phase at scale 1 (26 centres of 12 agencies, 35,706 cases over the financial
//! years 2018/19 to 2021/22, about 173,000 persons in households), deterministic from a
//! seed. Rows are those the app's services would have written (posting lists, name keys,
//! case numbers, histories, consent before sending), many to a statement, one centre to
//! a transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use common::activities::{
    ActivityFormat, ActivityKind, AttendanceStatus, HeadcountBand, TargetGroup,
};
use common::assessments::{builtin, score, Answers, Instrument};
use common::case_notes::{search_text, ContactType};
use common::case_plans::GoalStatus;
use common::cases::{CaseEventKind, CaseState, CaseType, ClosureReason, ReferralSource};
use common::clients::{ClientDetails, HkidChange, Sex};
use common::districts::District;
use common::enquiries::{AgeBand, Channel, EnquiryOutcome};
use common::hkid::Hkid;
use common::households::{
    CssaCaseType, CssaStatus, HouseholdType, HousingType, IncomeBand, Relationship,
};
use common::identity::{Role, Roles, Unit};
use common::person::{Disability, Ethnicity, Language};
use common::referrals::{ConsentGiver, ReferralDirection, ReferralStatus, ServiceType};
use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use super::bank::{self, Minority};
use super::bulk::{self as seeds, Casework};
use crate::audit::{self, Actor};
use crate::case_notes::service::SEARCH_KIND as NOTES;
use crate::cases::store::Breakdown;
use crate::clients::service::SEARCH_KIND as CLIENTS;
use crate::clients::store::{self as client_store, NewClient, StoredHkid, Write};
use crate::clients::{names, service as clients};
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::identity::password;
use crate::identity::store::{self as identity, NewCentre, NewUser};
use crate::search;
use crate::search::postings::{self, Chunk};

pub const CASES_AT_SCALE_1: f64 = 35_706.0;
pub const PERSONS_AT_SCALE_1: f64 = 173_000.0;
/// Caseworkers per centre at scale 1 (at least two at any scale).
const WORKERS_AT_SCALE_1: f64 = 6.0;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 4, 1).expect("a date")
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 3, 31).expect("a date")
}

pub struct Options {
    pub scale: f64,
    pub seed: u64,
    pub hkid_key: Vec<u8>,
    /// Where i-Hub's seeded files are kept: the server's own store.
    pub files: crate::files::FileStore,
}

/// What a load wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub centres: usize,
    pub staff: usize,
    pub clients: usize,
    pub households: usize,
    pub cases: usize,
    pub notes: usize,
    pub activities: usize,
    pub attendance: usize,
    pub enquiries: usize,
    pub assessments: usize,
    pub resources: usize,
}

/// Loads the demo and then the scaled data set; refuses a database holding clients.
pub fn load(conn: &mut DbConnection, options: &Options) -> Result<Loaded, ApiError> {
    if seeds::count_clients(conn)? > 0 {
        return Err(ApiError::Conflict {
            code: "not_empty",
            message: "the database already holds clients: a scaled seed needs an empty one".into(),
            field: None,
        });
    }
    super::demo(conn)?;
    db::prepare_bulk_load(conn)?;
    let natures: BTreeMap<String, (String, String)> =
        crate::taxonomy::store::terms(conn, common::taxonomy::Vocabulary::CaseNatures)?
            .into_iter()
            .map(|n| (n.code, (n.name_zh, n.name_en)))
            .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let centres = db::transaction(conn, |conn| organisation(conn, &mut rng, options.scale))?;
    let weights: Vec<f64> = centres.iter().map(|_| rng.gen_range(0.7..1.3)).collect();
    let cases = shares(CASES_AT_SCALE_1 * options.scale, &weights);
    let mut loaded = Loaded {
        centres: centres.len(),
        staff: centres.iter().map(|c| c.workers.len() + 1).sum(),
        ..Loaded::default()
    };
    let mut note_seq = postings::last_seq(conn, NOTES)?;
    let mut client_seq = postings::last_seq(conn, CLIENTS)?;
    let mut clock = (last_day() + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp_millis() as u64;
    // The next centre is made while the last one is written: both take a core.
    std::thread::scope(|threads| {
        let (made, to_write) = std::sync::mpsc::sync_channel(1);
        let (centres, natures, clock) = (&centres, &natures, &mut clock);
        let (note_seq, client_seq) = (&mut note_seq, &mut client_seq);
        threads.spawn(move || {
            for (index, (centre, cases)) in centres.iter().zip(cases).enumerate() {
                // A stream of its own per centre: its draws do not shift with the centres
                // before.
                let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
                rng.set_stream(index as u64 + 1);
                let persons =
                    (cases as f64 * PERSONS_AT_SCALE_1 / CASES_AT_SCALE_1).round() as usize;
                let mut making = Making {
                    rng,
                    centre,
                    natures,
                    hkid_key: &options.hkid_key,
                    clock: &mut *clock,
                    note_seq: &mut *note_seq,
                    client_seq: &mut *client_seq,
                    hkids: HashSet::new(),
                    persons: Vec::new(),
                    work: Casework::default(),
                };
                making.casework(cases, persons);
                let share = cases as f64 / (CASES_AT_SCALE_1 / centres.len() as f64);
                making.programmes(share);
                making.enquiries(share);
                making.assessments();
                let Making { persons, work, .. } = making;
                // The writer has stopped on an error, which it returns.
                if made.send((centre, persons, work)).is_err() {
                    return;
                }
            }
        });
        for (centre, persons, work) in to_write {
            db::transaction(conn, |conn| write(conn, &centre.id, &persons, &work))?;
            loaded.clients += persons.len();
            loaded.households += work.households.len();
            loaded.cases += work.cases.len();
            loaded.notes += work.notes.len();
            loaded.activities += work.programmes.activities.len();
            loaded.attendance += work.programmes.marks.len();
            loaded.enquiries += work.enquiries.len();
            loaded.assessments += work.assessments.len();
            tracing::info!(centre = %centre.code, clients = persons.len(), cases = work.cases.len(), "centre loaded");
        }
        Ok::<_, ApiError>(())
    })?;
    loaded.resources = super::hub::load(
        conn,
        &options.files,
        (options.scale, options.seed),
        &natures,
    )?;
    db::transaction(conn, |conn| {
        postings::set_last_seq(conn, NOTES, note_seq)?;
        postings::set_last_seq(conn, CLIENTS, client_seq)
    })?;
    let detail = json!({
        "scale": options.scale,
        "seed": options.seed,
        "clients": loaded.clients,
        "cases": loaded.cases,
    });
    db::transaction(conn, |conn| {
        audit::record(
            conn,
            &Actor::command_line(),
            "seed.scale",
            ("database", None),
            Some(detail),
        )
    })?;
    Ok(loaded)
}

/// Splits `total` in proportion to `weights` (largest remainders), so the parts add up.
fn shares(total: f64, weights: &[f64]) -> Vec<usize> {
    let total = total.round() as usize;
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| w / sum * total as f64).collect();
    let mut parts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut by_remainder: Vec<usize> = (0..weights.len()).collect();
    by_remainder
        .sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    let missing = total - parts.iter().sum::<usize>();
    for &i in by_remainder.iter().take(missing) {
        parts[i] += 1;
    }
    parts
}

fn write(
    conn: &mut DbConnection,
    centre_id: &str,
    persons: &[Person],
    work: &Casework,
) -> Result<(), ApiError> {
    let clients: Vec<NewClient> = persons
        .iter()
        .map(|p| NewClient {
            id: &p.id,
            centre_id,
            write: Write {
                details: &p.details,
                hkid: &p.hkid,
                actor_id: &p.by,
                at: p.at,
            },
            search_text: p.search_text.clone(),
            search_seq: p.search_seq,
        })
        .collect();
    client_store::insert_many(conn, &clients)?;
    seeds::write(conn, centre_id, work)?;
    let births: HashMap<&str, NaiveDate> = persons
        .iter()
        .map(|p| (p.id.as_str(), p.details.date_of_birth))
        .collect();
    seeds::write_programmes(conn, centre_id, &work.programmes, &births)?;
    seeds::write_assessments(conn, centre_id, work)?;
    Ok(())
}

/// A centre and who works there.
struct Centre {
    id: String,
    code: String,
    district: District,
    /// Caseworkers: id and unit.
    workers: Vec<(String, String, Unit)>,
    supervisor: String,
}

/// The twelve agencies and 26 centres (the demo's and the bank's), with their staff:
/// the demo's caseworkers and supervisor where there are, generated ones for the rest.
fn organisation(
    conn: &mut DbConnection,
    rng: &mut ChaCha8Rng,
    scale: f64,
) -> Result<Vec<Centre>, ApiError> {
    let hash =
        password::hash(super::DEMO_PASSWORD).map_err(|e| ApiError::Internal(e.to_string()))?;
    for (code, name_zh, name_en) in bank::AGENCIES {
        if identity::agency_id_by_code(conn, code)?.is_none() {
            identity::insert_agency(conn, code, name_zh, name_en)?;
        }
    }
    for (agency, suffix, district, place_zh, place_en) in bank::CENTRES {
        let code = format!("{agency}-{suffix}");
        if identity::centre_by_code(conn, &code)?.is_some() {
            continue;
        }
        let agency_id = identity::agency_id_by_code(conn, agency)?.ok_or(ApiError::NotFound)?;
        let (_, agency_zh, agency_en) = bank::AGENCIES
            .iter()
            .find(|(c, ..)| c == agency)
            .ok_or(ApiError::NotFound)?;
        identity::insert_centre(
            conn,
            &NewCentre {
                agency_id: &agency_id,
                code: &code,
                name_zh: &format!("{agency_zh}{place_zh}綜合家庭服務中心"),
                name_en: &format!("{agency_en} {place_en} IFSC"),
                kind: "IFSC",
                district: District::from_code(district).ok_or(ApiError::NotFound)?,
            },
        )?;
    }
    let workers_wanted = ((WORKERS_AT_SCALE_1 * scale).round() as usize).max(2);
    let mut centres = Vec::new();
    for (id, code, district) in seeds::centres(conn)? {
        let units: BTreeMap<String, String> = seeds::units_of(conn, &id)?.into_iter().collect();
        let unit_of = |kind: Unit| units.get(kind.as_str()).cloned().ok_or(ApiError::NotFound);
        let staff = seeds::casework_staff(conn, &id)?;
        let mut workers = Vec::new();
        let mut supervisor = None;
        for (user_id, unit_id, is_supervisor) in staff {
            if is_supervisor {
                supervisor.get_or_insert(user_id);
            } else {
                let unit_id = match unit_id {
                    Some(unit_id) => unit_id,
                    None => unit_of(Unit::FamilyCounselling)?,
                };
                let unit = units
                    .iter()
                    .find(|(_, u)| **u == unit_id)
                    .and_then(|(kind, _)| Unit::parse(kind))
                    .ok_or(ApiError::NotFound)?;
                workers.push((user_id, unit_id, unit));
            }
        }
        let mut add = |conn: &mut DbConnection, username: String, role: Role, unit: Unit| {
            let sex = if rng.gen_bool(0.7) { Sex::F } else { Sex::M };
            let surname = bank::SURNAMES
                .choose_weighted(&mut *rng, |s| s.2)
                .expect("surnames");
            let (name_zh, name_en) = chinese_name(&mut *rng, surname, sex, 1985);
            let unit_id = unit_of(unit)?;
            let agency_id = identity::centre_by_code(conn, &code)?.map(|(_, a)| a);
            let user_id = identity::insert_user(
                conn,
                &NewUser {
                    username: &username,
                    display_name: &format!("{name_zh} {name_en}"),
                    password_hash: &hash,
                    roles: &Roles::new([role]),
                    agency_id: agency_id.as_deref(),
                    centre_id: Some(&id),
                    unit_id: Some(&unit_id),
                },
            )?;
            Ok::<_, ApiError>((user_id, unit_id))
        };
        let prefix = code.to_lowercase();
        let supervisor = match supervisor {
            Some(user_id) => user_id,
            None => {
                add(
                    conn,
                    format!("{prefix}-sup"),
                    Role::Supervisor,
                    Unit::FamilyCounselling,
                )?
                .0
            }
        };
        for n in workers.len()..workers_wanted {
            // Two in three counsel; the others work in family support.
            let unit = if n % 3 == 2 {
                Unit::FamilySupport
            } else {
                Unit::FamilyCounselling
            };
            let (user_id, unit_id) = add(
                conn,
                format!("{prefix}-sw{:02}", n + 1),
                Role::SocialWorker,
                unit,
            )?;
            workers.push((user_id, unit_id, unit));
        }
        centres.push(Centre {
            id,
            code,
            district: District::from_code(&district).ok_or(ApiError::NotFound)?,
            workers,
            supervisor,
        });
    }
    Ok(centres)
}

/// A Chinese name and its romanisation, with an English name for some born since 1975.
pub(super) fn chinese_name(
    rng: &mut ChaCha8Rng,
    surname: &(&str, &str, u32),
    sex: Sex,
    born: i32,
) -> (String, String) {
    let bank = match sex {
        Sex::M => bank::GIVEN_M,
        Sex::F => bank::GIVEN_F,
    };
    let count = if rng.gen_bool(0.1) { 1 } else { 2 };
    let given: Vec<&(&str, &str)> = bank.choose_multiple(rng, count).collect();
    let mut name_zh = surname.0.to_owned();
    let mut name_en = surname.1.to_owned();
    for (character, roman) in given {
        name_zh.push_str(character);
        name_en.push(' ');
        name_en.push_str(roman);
    }
    if born >= 1975 && rng.gen_bool(0.35) {
        let aliases = match sex {
            Sex::M => bank::ALIASES_M,
            Sex::F => bank::ALIASES_F,
        };
        name_en.push(' ');
        name_en.push_str(aliases.choose(rng).expect("aliases"));
    }
    (name_zh, name_en)
}

/// When and by whom a household's members were registered.
struct Made<'a> {
    at: NaiveDateTime,
    by: &'a str,
}

/// A registered person: their record as a registration writes it.
struct Person {
    id: String,
    details: ClientDetails,
    hkid: StoredHkid,
    by: String,
    at: NaiveDateTime,
    /// What the client search finds them by.
    search_text: String,
    search_seq: i64,
}

/// A household's members: index into the persons, relationship, age.
struct Home {
    members: Vec<(usize, Relationship, i32)>,
    minority: bool,
}

/// Where a family's names come from.
#[derive(Clone, Copy)]
enum Origin {
    Chinese,
    Minority(&'static Minority),
}

struct Making<'a> {
    rng: ChaCha8Rng,
    centre: &'a Centre,
    natures: &'a BTreeMap<String, (String, String)>,
    hkid_key: &'a [u8],
    /// The last id's time, in milliseconds since 1970.
    clock: &'a mut u64,
    /// The last number given to a note.
    note_seq: &'a mut i64,
    /// The last number given to a client.
    client_seq: &'a mut i64,
    /// HKIDs given in the centre: one per person.
    hkids: HashSet<String>,
    persons: Vec<Person>,
    work: Casework,
}

/// A centre's posting lists as a load builds them: entities come in the order of their
/// numbers, each with its grams (some more than once).
#[derive(Default)]
struct Lists(HashMap<String, Vec<i64>>);

impl Lists {
    fn add(&mut self, gram: &str, seq: i64) {
        match self.0.get_mut(gram) {
            Some(seqs) if seqs.last() == Some(&seq) => {}
            Some(seqs) => seqs.push(seq),
            None => {
                self.0.insert(gram.to_owned(), vec![seq]);
            }
        }
    }

    /// Full chunks, in the primary key's order.
    fn chunks(self) -> Vec<(String, Chunk)> {
        let mut lists: Vec<(String, Vec<i64>)> = self.0.into_iter().collect();
        lists.sort_unstable();
        lists
            .iter()
            .flat_map(|(gram, seqs)| postings::chunks(seqs).map(|chunk| (gram.clone(), chunk)))
            .collect()
    }
}

/// How a roll call tends to go: weights of present, late, absent and excused.
const GROUP_MARKS: [(AttendanceStatus, u32); 4] = [
    (AttendanceStatus::Present, 75),
    (AttendanceStatus::Late, 7),
    (AttendanceStatus::Absent, 12),
    (AttendanceStatus::Excused, 6),
];

/// A group's usual hours, Hong Kong time.
const SESSION_HOURS: [(u32, u32); 3] = [(10, 0), (14, 30), (19, 0)];

impl Making<'_> {
    /// The centre's groups, programmes and events, each financial year, in proportion to
    /// its casework (`share` of an average centre's at scale 1): at scale 1 about 19
    /// groups, 20 programmes and 6 events a centre a year, so about 218,000 attendance
    /// marks in all.
    fn programmes(&mut self, share: f64) {
        let mut by_registration: Vec<(NaiveDateTime, usize)> = self
            .persons
            .iter()
            .enumerate()
            .map(|(i, p)| (p.at, i))
            .collect();
        by_registration.sort_unstable();
        let mut year = first_day();
        while year <= last_day() {
            for _ in 0..self.how_many(19.0 * share) {
                self.group(year, &by_registration);
            }
            for _ in 0..self.how_many(20.0 * share) {
                self.programme(year, &by_registration);
            }
            for _ in 0..self.how_many(6.0 * share) {
                self.event(year);
            }
            year = year.with_year(year.year() + 1).expect("1 April every year");
        }
    }

    /// Measures before and after service: the members of seven groups in ten at the first
    /// session, and those who stayed at the last; the clients of two in-depth counselling
    /// cases in five when the case opened, and again before it closed. Clients change more
    /// where a case's goals were achieved, and differently by intervention model, so that
    /// the outcome figures have something to tell apart. Drawn from streams of their own
    /// (seeded by the group's or case's id), so the rest of the data set stays as it was.
    fn assessments(&mut self) {
        let p = &self.work.programmes;
        let mut sessions: HashMap<&str, (NaiveDate, NaiveDate)> = HashMap::new();
        for s in &p.sessions {
            let day = (s.starts_at + Duration::hours(8)).date();
            sessions
                .entry(s.activity_id.as_str())
                .and_modify(|(first, last)| {
                    *first = (*first).min(day);
                    *last = (*last).max(day);
                })
                .or_insert((day, day));
        }
        let mut members: HashMap<&str, Vec<&seeds::Enrolment>> = HashMap::new();
        for e in &p.enrolments {
            members.entry(e.activity_id.as_str()).or_default().push(e);
        }
        let mut measured: Vec<Measured> = Vec::new();
        for activity in &p.activities {
            let mut rng = derived_rng(&activity.id);
            let Some(&(first, last)) = sessions.get(activity.id.as_str()) else {
                continue;
            };
            if activity.format.kind() != ActivityKind::Group || !rng.gen_bool(0.7) {
                continue;
            }
            let instrument = *MEASURED_WITH.choose(&mut rng).expect("instruments");
            let effect = INTERVENTION_MODELS
                .iter()
                .position(|m| Some(*m) == activity.intervention_model)
                .map_or(0.05, |i| 0.06 + 0.04 * i as f64);
            for member in members.get(activity.id.as_str()).into_iter().flatten() {
                measured.push(Measured {
                    client_id: member.client_id.clone(),
                    within: Within::Group(activity.id.clone()),
                    instrument,
                    by: activity.by.clone(),
                    pre: first,
                    post: member.withdrawn.is_none().then_some(last),
                    effect,
                    rng: derived_rng(&member.id),
                });
            }
        }
        let w = &self.work;
        let mut opened: HashMap<&str, NaiveDate> = HashMap::new();
        for e in &w.events {
            if e.state == CaseState::Open {
                opened.entry(e.case_id.as_str()).or_insert(e.effective_on);
            }
        }
        let closed: HashMap<&str, &seeds::Closure> =
            w.closures.iter().map(|c| (c.case_id.as_str(), c)).collect();
        for case in &w.cases {
            let mut rng = derived_rng(&case.id);
            let Some(&day) = opened.get(case.id.as_str()) else {
                continue;
            };
            if case.case_type != CaseType::InDepthCounselling || !rng.gen_bool(0.4) {
                continue;
            }
            let pre = day + Duration::days(rng.gen_range(0..=14));
            let closure = closed.get(case.id.as_str());
            let post = closure
                .map(|c| c.closed_on - Duration::days(rng.gen_range(0..=7)))
                .filter(|post| *post > pre);
            let effect = match closure.map(|c| c.reason) {
                Some(ClosureReason::GoalsAchieved) => 0.3,
                Some(ClosureReason::NoFurtherServiceNeeded) => 0.2,
                _ => 0.03,
            };
            measured.push(Measured {
                client_id: case.client_id.clone(),
                within: Within::Case(case.id.clone()),
                instrument: CASEWORK_MEASURES.choose(&mut rng).expect("instruments"),
                by: case.worker_id.clone(),
                pre,
                post,
                effect,
                rng,
            });
        }
        for mut m in measured {
            let instrument = builtin(m.instrument).expect("a built-in instrument");
            let before = m.rng.gen_range(0.25..0.9);
            let after = (before - m.effect - m.rng.gen_range(-0.15..0.25)).clamp(0.0, 1.0);
            let stages = [("pre", Some(m.pre), before), ("post", m.post, after)];
            for (stage, day, distress) in stages {
                let Some(day) = day else { continue };
                let answers = answers_of(instrument, distress, &mut m.rng);
                let scoring = score(instrument, &answers).expect("answers within the options");
                let id = self.derived_id(&format!("{}{:?}{stage}", m.client_id, m.within));
                let (case_id, activity_id) = match &m.within {
                    Within::Case(id) => (Some(id.clone()), None),
                    Within::Group(id) => (None, Some(id.clone())),
                };
                self.work
                    .assessment_scores
                    .extend(scoring.scales.iter().map(|scale| seeds::AssessmentScore {
                        assessment_id: id.clone(),
                        scale: scale.code.clone(),
                        raw: scale.raw,
                        score_milli: scale.score.map(|s| (s * 1000.0).round() as i64),
                        band: scale.band.as_ref().map(|b| b.code.clone()),
                        severity: scale.band.as_ref().map(|b| i64::from(b.severity)),
                        prorated: scale.prorated,
                    }));
                self.work.assessments.push(seeds::Assessment {
                    id,
                    client_id: m.client_id.clone(),
                    case_id,
                    activity_id,
                    instrument: m.instrument,
                    version: instrument.version,
                    stage,
                    administered_on: day,
                    by: m.by.clone(),
                    answers: serde_json::to_string(&answers).expect("answers as JSON"),
                    at: day.and_hms_opt(3, 0, 0).expect("11:00 in Hong Kong"),
                });
            }
        }
    }

    /// The front desk's enquiries and drop-in contacts, a few each working day, most of
    /// them anonymous; none promoted here (the generated cases have their own intake).
    fn enquiries(&mut self, share: f64) {
        let codes: Vec<&String> = self.natures.keys().collect();
        let mut year = first_day();
        while year <= last_day() {
            for _ in 0..self.how_many(ENQUIRIES_A_YEAR * share) {
                let day = year + self.days(0..=364);
                let received_at = self.during(day);
                let (by, unit_id, _) = self.worker();
                let id = self.id();
                let topics = *[1usize, 1, 2].choose(&mut self.rng).expect("counts");
                let chosen: Vec<&String> = codes
                    .choose_multiple(&mut self.rng, topics)
                    .copied()
                    .collect();
                let (zh, en) = &self.natures[chosen[0]];
                for code in chosen {
                    self.work.enquiry_topics.push((id.clone(), code.clone()));
                }
                let channel = ENQUIRY_CHANNELS
                    .choose_weighted(&mut self.rng, |c| c.1)
                    .expect("channels")
                    .0;
                let outcome = ENQUIRY_OUTCOMES
                    .choose_weighted(&mut self.rng, |o| o.1)
                    .expect("outcomes")
                    .0;
                let sex = self.rng.gen_bool(0.6).then(|| {
                    *[Sex::F, Sex::F, Sex::M]
                        .choose(&mut self.rng)
                        .expect("sexes")
                });
                let age_band = self
                    .rng
                    .gen_bool(0.5)
                    .then(|| *AgeBand::ALL[3..].choose(&mut self.rng).expect("bands"));
                self.work.enquiries.push(seeds::Enquiry {
                    id,
                    unit_id,
                    received_at,
                    channel,
                    summary: format!(
                        "查詢有關{zh}的服務及支援。Asked about services and support for {en}."
                    ),
                    minutes_spent: self.rng.gen_range(1..=12) * 5,
                    outcome,
                    sex,
                    age_band,
                    by,
                });
            }
            year = year.with_year(year.year() + 1).expect("1 April every year");
        }
    }

    /// `expected` rounded up or down at random, so small centres still run some.
    fn how_many(&mut self, expected: f64) -> usize {
        let whole = expected.floor();
        whole as usize + usize::from(self.rng.gen_bool(expected - whole))
    }

    /// A day in the financial year from `year` on which `weeks` weekly sessions fit.
    fn start_in(&mut self, year: NaiveDate, weeks: i64) -> NaiveDate {
        let end = (year + Duration::days(364)).min(last_day()) - Duration::weeks(weeks);
        year + self.days(0..=(end - year).num_days().max(0))
    }

    /// A time on `day`, Hong Kong hours, in UTC.
    fn at_hour(&mut self, day: NaiveDate) -> NaiveDateTime {
        let (hour, minute) = *SESSION_HOURS.choose(&mut self.rng).expect("hours");
        day.and_hms_opt(hour, minute, 0).expect("a time") - Duration::hours(8)
    }

    /// Up to `wanted` different people registered before `before`.
    fn members(
        &mut self,
        by_registration: &[(NaiveDateTime, usize)],
        before: NaiveDateTime,
        wanted: usize,
    ) -> Vec<String> {
        let known = by_registration.partition_point(|(at, _)| *at < before);
        if known == 0 {
            return Vec::new();
        }
        let mut chosen = BTreeSet::new();
        for _ in 0..wanted * 3 {
            if chosen.len() == wanted.min(known) {
                break;
            }
            chosen.insert(by_registration[self.rng.gen_range(0..known)].1);
        }
        chosen
            .into_iter()
            .map(|i| self.persons[i].id.clone())
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn activity(
        &mut self,
        (title_zh, title_en, format, target_group): (
            &'static str,
            &'static str,
            ActivityFormat,
            TargetGroup,
        ),
        capacity: Option<i64>,
        first: NaiveDate,
        last: NaiveDate,
        reach: Option<(i64, i64, i64)>,
    ) -> (String, String) {
        let (worker_id, unit_id, unit) = self.worker();
        let id = self.id();
        let ahead = self.days(21..=60);
        let at = self.during(first - ahead);
        let all = self.natures;
        let natures: Vec<&String> = all.keys().collect();
        let mut themes: Vec<String> = (0..self.rng.gen_range(1..=2))
            .map(|_| (*natures.choose(&mut self.rng).expect("natures")).clone())
            .collect();
        themes.sort();
        themes.dedup();
        let education = self.rng.gen_bool(0.5).then(|| {
            *bank::EDUCATION_THEMES
                .choose(&mut self.rng)
                .expect("themes")
        });
        let p = &mut self.work.programmes;
        p.themes
            .extend(themes.into_iter().map(|code| (id.clone(), code)));
        p.education_themes
            .extend(education.map(|code| (id.clone(), code)));
        p.facilitators
            .push((id.clone(), 0, Some(worker_id.clone()), None));
        if self.rng.gen_bool(0.4) {
            let volunteer = *bank::VOLUNTEERS.choose(&mut self.rng).expect("volunteers");
            self.work
                .programmes
                .facilitators
                .push((id.clone(), 1, None, Some(volunteer)));
        }
        let intervention_model = self
            .rng
            .gen_bool(0.6)
            .then(|| *INTERVENTION_MODELS.choose(&mut self.rng).expect("models"));
        let venue = *bank::VENUES.choose(&mut self.rng).expect("venues");
        self.work.programmes.activities.push(seeds::Activity {
            id: id.clone(),
            unit_id,
            unit,
            format,
            title_zh,
            title_en,
            target_group,
            capacity,
            venue,
            planned_start: first,
            planned_end: last,
            intervention_model,
            reach,
            by: worker_id.clone(),
            at,
        });
        (id, worker_id)
    }

    fn session(
        &mut self,
        activity_id: &str,
        by: &str,
        starts_at: NaiveDateTime,
        minutes: i64,
    ) -> String {
        let id = self.id();
        let venue = self
            .work
            .programmes
            .activities
            .last()
            .map_or(bank::VENUES[0], |a| a.venue);
        // An activity's sessions are made in time order.
        let number = 1 + self
            .work
            .programmes
            .sessions
            .iter()
            .rev()
            .take_while(|s| s.activity_id == activity_id)
            .count() as i64;
        self.work.programmes.sessions.push(seeds::Session {
            id: id.clone(),
            activity_id: activity_id.to_owned(),
            number,
            starts_at,
            ends_at: starts_at + Duration::minutes(minutes),
            venue,
            headcount_version: 0,
            by: by.to_owned(),
        });
        id
    }

    fn enrol(
        &mut self,
        activity_id: &str,
        by: &str,
        client_id: String,
        before: NaiveDate,
    ) -> String {
        let id = self.id();
        let ahead = self.days(3..=28);
        let requested_at = self.during(before - ahead);
        self.work.programmes.enrolments.push(seeds::Enrolment {
            id: id.clone(),
            activity_id: activity_id.to_owned(),
            client_id,
            requested_at,
            withdrawn: None,
            by: by.to_owned(),
        });
        id
    }

    /// A weekly group: six to ten sessions, its members marked at each; some leave.
    fn group(&mut self, year: NaiveDate, by_registration: &[(NaiveDateTime, usize)]) {
        let weeks = self.rng.gen_range(6..=10);
        let first = self.start_in(year, weeks);
        let starts_at = self.at_hour(first);
        let last = first + Duration::weeks(weeks - 1);
        let capacity = self.rng.gen_range(10..=16);
        let title = *bank::GROUPS.choose(&mut self.rng).expect("groups");
        let (activity_id, by) = self.activity(title, Some(capacity), first, last, None);
        let sessions: Vec<(String, NaiveDateTime)> = (0..weeks)
            .map(|w| {
                let at = starts_at + Duration::weeks(w);
                (self.session(&activity_id, &by, at, 90), at)
            })
            .collect();
        let wanted = (capacity - self.rng.gen_range(0..=3)) as usize;
        for client_id in self.members(by_registration, asked_by(first), wanted) {
            let enrolment_id = self.enrol(&activity_id, &by, client_id.clone(), first);
            // One in ten leaves before the end.
            let stays = if self.rng.gen_bool(0.1) {
                self.rng.gen_range(1..sessions.len())
            } else {
                sessions.len()
            };
            if stays < sessions.len() {
                let reason = *bank::WITHDRAWAL_REASONS
                    .choose(&mut self.rng)
                    .expect("reasons");
                let left = sessions[stays].1 - Duration::days(1);
                if let Some(e) = self.work.programmes.enrolments.last_mut() {
                    e.withdrawn = Some((left, reason));
                }
            }
            for (session_id, at) in &sessions[..stays] {
                let status = GROUP_MARKS
                    .choose_weighted(&mut self.rng, |m| m.1)
                    .expect("marks")
                    .0;
                self.work.programmes.marks.push(seeds::Mark {
                    session_id: session_id.clone(),
                    client_id: client_id.clone(),
                    enrolment_id: enrolment_id.clone(),
                    status,
                    by: by.clone(),
                    at: *at + Duration::minutes(90),
                });
            }
        }
    }

    /// A one-off programme: those enrolled, marked at its one session, and the people
    /// who came without registering, counted.
    fn programme(&mut self, year: NaiveDate, by_registration: &[(NaiveDateTime, usize)]) {
        let day = self.start_in(year, 0);
        let starts_at = self.at_hour(day);
        let capacity = self.rng.gen_range(20..=60);
        let title = *bank::PROGRAMMES.choose(&mut self.rng).expect("programmes");
        let (activity_id, by) = self.activity(title, Some(capacity), day, day, None);
        let session_id = self.session(&activity_id, &by, starts_at, 120);
        let wanted = self.rng.gen_range(10..=capacity) as usize;
        for client_id in self.members(by_registration, asked_by(day), wanted) {
            let enrolment_id = self.enrol(&activity_id, &by, client_id.clone(), day);
            let status = if self.rng.gen_bool(0.85) {
                AttendanceStatus::Present
            } else {
                AttendanceStatus::Absent
            };
            self.work.programmes.marks.push(seeds::Mark {
                session_id: session_id.clone(),
                client_id,
                enrolment_id,
                status,
                by: by.clone(),
                at: starts_at + Duration::minutes(120),
            });
        }
        if self.rng.gen_bool(0.6) {
            for band in HeadcountBand::ALL {
                for sex in [Sex::F, Sex::M] {
                    let count = self.rng.gen_range(0..=6);
                    if count > 0 {
                        self.work.programmes.session_headcounts.push((
                            session_id.clone(),
                            *band,
                            sex,
                            count,
                        ));
                    }
                }
            }
            if let Some(session) = self.work.programmes.sessions.last_mut() {
                session.headcount_version = 1;
            }
        }
    }

    /// A community event: its day, and its reach counted for the whole event.
    fn event(&mut self, year: NaiveDate) {
        let day = self.start_in(year, 0);
        let starts_at = self.at_hour(day);
        let (title_zh, title_en, format) = *bank::EVENTS.choose(&mut self.rng).expect("events");
        let online = matches!(format, ActivityFormat::SocialMediaCampaign);
        let reach = (
            if online {
                self.rng.gen_range(2_000..=30_000)
            } else {
                self.rng.gen_range(0..=800)
            },
            if online {
                self.rng.gen_range(50..=600)
            } else {
                0
            },
            self.rng.gen_range(0..=4),
        );
        let (activity_id, by) = self.activity(
            (title_zh, title_en, format, TargetGroup::GeneralPublic),
            None,
            day,
            day,
            Some(reach),
        );
        self.session(&activity_id, &by, starts_at, 240);
        if !online {
            for (band, range) in [
                (HeadcountBand::Age0To5, 10..=80),
                (HeadcountBand::Age6To12, 20..=150),
                (HeadcountBand::Age13To17, 0..=40),
                (HeadcountBand::Age18To64, 50..=300),
                (HeadcountBand::Age65Plus, 5..=60),
            ] {
                let count = self.rng.gen_range(range);
                self.work
                    .programmes
                    .event_headcounts
                    .push((activity_id.clone(), band, count));
            }
        }
    }
}

/// The earliest a place is asked for an activity starting on `first` (`Making::enrol`):
/// its members were registered before.
fn asked_by(first: NaiveDate) -> NaiveDateTime {
    (first - Duration::days(28))
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
}

/// A school-age child's school, near the centre: plainly made-up names, so that none is
/// taken for a real school. Chosen by the person's place in the centre rather than drawn,
/// so that the rest of the data set stays as it was.
fn school(district: District, age: i32, nth: usize) -> String {
    let n = ["一", "二", "三", "四", "五", "六"][nth % 6];
    let number = nth % 6 + 1;
    let (zh, en) = (district.name_zh(), district.name_en());
    match age {
        6..=11 => format!("{zh}第{n}小學 {en} District Primary School No. {number}"),
        12..=17 => format!("{zh}第{n}中學 {en} District Secondary School No. {number}"),
        _ => String::new(),
    }
}

/// Enquiries a centre takes in a year at scale 1.
const ENQUIRIES_A_YEAR: f64 = 600.0;

const ENQUIRY_CHANNELS: [(Channel, u32); 6] = [
    (Channel::Phone, 45),
    (Channel::WalkIn, 35),
    (Channel::Online, 8),
    (Channel::Email, 5),
    (Channel::Outreach, 5),
    (Channel::Letter, 2),
];

const ENQUIRY_OUTCOMES: [(EnquiryOutcome, u32); 5] = [
    (EnquiryOutcome::InformationGiven, 50),
    (EnquiryOutcome::AdviceGiven, 25),
    (EnquiryOutcome::ReferredElsewhere, 12),
    (EnquiryOutcome::NoFurtherAction, 8),
    (EnquiryOutcome::FollowUpNeeded, 5),
];

/// The intervention models the seeded activities follow (codes of the migration's list).
const INTERVENTION_MODELS: [&str; 6] = [
    "psychoeducation",
    "cognitive_behavioural",
    "solution_focused",
    "strengths_based",
    "mutual_aid",
    "positive_parenting",
];

/// Instruments groups measure their members with, and those casework uses.
const MEASURED_WITH: [&str; 4] = ["phq9", "gad7", "dass21", "pss10"];
const CASEWORK_MEASURES: [&str; 3] = ["phq9", "gad7", "dass21"];

/// Where a measure is taken.
#[derive(Debug)]
enum Within {
    Case(String),
    Group(String),
}

/// A client to measure before service and, if they stayed, after it: how much they are
/// to change (a share of the scale) and their own stream of draws.
struct Measured {
    client_id: String,
    within: Within,
    instrument: &'static str,
    by: String,
    pre: NaiveDate,
    post: Option<NaiveDate>,
    effect: f64,
    rng: ChaCha8Rng,
}

/// A stream of draws of its own for rows added beside another, so that adding them
/// shifts no draw of the main stream.
fn derived_rng(from: &str) -> ChaCha8Rng {
    use sha2::{Digest, Sha256};
    ChaCha8Rng::from_seed(Sha256::digest(from.as_bytes()).into())
}

/// Answers of someone as distressed as `distress` (0 to 1) on every item, give or take
/// one; a reversed item answered the other way. PHQ-9's item 9 (thoughts of self-harm)
/// is left at its lowest, so that the data set raises no suicide-risk alert for the
/// review queue to list by the thousand.
fn answers_of(instrument: &Instrument, distress: f64, rng: &mut ChaCha8Rng) -> Answers {
    let values = instrument.options.iter().map(|o| o.value);
    let (low, high) = (values.clone().min().unwrap_or(0), values.max().unwrap_or(0));
    Answers(
        instrument
            .items
            .iter()
            .map(|item| {
                let level = (low as f64 + distress * (high - low) as f64 + rng.gen_range(-0.9..0.9))
                    .round()
                    .clamp(low as f64, high as f64) as i64;
                let value = match (instrument.code.as_str(), item.number, item.reversed) {
                    ("phq9", 9, _) => low,
                    (_, _, true) => low + high - level,
                    _ => level,
                };
                (item.number, Some(value))
            })
            .collect(),
    )
}

/// A period a case was open: from, to (the day it closed, or the last day).
type Period = (NaiveDate, NaiveDate);

impl Making<'_> {
    /// The next id: a UUIDv7 like the app's, its time one millisecond after the last
    /// id's (from the day after the data set's last), its random part seeded. Ids so grow
    /// in the order rows are written, and every index on an id is filled at its end
    /// rather than all over (the random inserts that made a load slow down as it grew).
    fn id(&mut self) -> String {
        let mut random = [0u8; 10];
        self.rng.fill_bytes(&mut random);
        self.id_with(random)
    }

    /// An id like [`Making::id`]'s whose random part comes from another id rather than
    /// from the stream, for rows added without shifting the draws after them.
    fn derived_id(&mut self, from: &str) -> String {
        use sha2::{Digest, Sha256};
        let mut random = [0u8; 10];
        random.copy_from_slice(&Sha256::digest(from.as_bytes())[..10]);
        self.id_with(random)
    }

    fn id_with(&mut self, random: [u8; 10]) -> String {
        *self.clock += 1;
        uuid::Builder::from_unix_timestamp_millis(*self.clock, &random)
            .into_uuid()
            .to_string()
    }

    /// A moment of office hours (09:00 to 18:00 in Hong Kong, UTC+8) on `day`, in UTC.
    fn during(&mut self, day: NaiveDate) -> NaiveDateTime {
        let minute = self.rng.gen_range(60..10 * 60);
        day.and_hms_opt(0, 0, 0).expect("midnight") + Duration::minutes(minute)
    }

    fn days(&mut self, range: std::ops::RangeInclusive<i64>) -> Duration {
        Duration::days(self.rng.gen_range(range))
    }

    fn worker(&mut self) -> (String, String, Unit) {
        self.centre
            .workers
            .choose(&mut self.rng)
            .expect("every centre has caseworkers")
            .clone()
    }

    fn casework(&mut self, cases: usize, persons: usize) {
        let span = (last_day() - first_day()).num_days();
        let mut openings: Vec<NaiveDate> = (0..cases)
            .map(|_| first_day() + self.days(0..=span))
            .collect();
        openings.sort();
        let mut counters: BTreeMap<i64, i64> = BTreeMap::new();
        let mut homes: Vec<Home> = Vec::new();
        for opened in openings {
            let (worker_id, unit_id, unit) = self.worker();
            let home = match homes.len() {
                n if n > 0 && self.rng.gen_bool(0.1) => self.rng.gen_range(0..n),
                _ => {
                    let at = self.during(opened);
                    let home = self.household(at, &worker_id);
                    homes.push(home);
                    homes.len() - 1
                }
            };
            let year = i64::from(opened.year());
            let number = counters.entry(year).or_insert(0);
            *number += 1;
            let case_number = crate::cases::store::case_number(&self.centre.code, year, *number);
            self.case(Opening {
                opened,
                case_number,
                worker_id,
                unit_id,
                unit,
                home: &homes[home],
            });
        }
        self.work.counters = counters.into_iter().collect();
        // Families known to the centre without a case: the resource unit's users.
        while self.persons.len() < persons {
            let day = first_day() + self.days(0..=span);
            let at = self.during(day);
            let (worker_id, ..) = self.worker();
            self.household(at, &worker_id);
        }
        self.share();
        self.index();
        self.index_notes();
        self.reach();
    }

    /// One case in forty still open is shared by the supervisor with a colleague of the
    /// centre, to read: chosen by its place, so the rest of the data set stays as it was.
    fn share(&mut self) {
        let workers = &self.centre.workers;
        for (i, case) in self.work.cases.iter().enumerate() {
            if i % 40 != 1 || case.state == CaseState::Closed {
                continue;
            }
            let pick = |k: usize| &workers[(i / 40 + k) % workers.len()].0;
            let colleague = if *pick(0) == case.worker_id {
                pick(1)
            } else {
                pick(0)
            };
            if *colleague != case.worker_id {
                self.work.shares.push((
                    case.id.clone(),
                    colleague.clone(),
                    self.centre.supervisor.clone(),
                    case.updated_at,
                ));
            }
        }
    }

    /// Who reaches which client through which case, as `cases::store::refresh_reach`
    /// writes it (the seed shares no case), in the primary key's order.
    fn reach(&mut self) {
        let seqs: HashMap<&str, i64> = self
            .persons
            .iter()
            .map(|p| (p.id.as_str(), p.search_seq))
            .collect();
        let mut people: HashMap<&str, Vec<&str>> = HashMap::new();
        // (user, through a share only); a holder also shared with holds the case.
        let mut holders: HashMap<&str, Vec<(&str, bool)>> = HashMap::new();
        for case in &self.work.cases {
            people.entry(&case.id).or_default().push(&case.client_id);
            holders
                .entry(&case.id)
                .or_default()
                .push((&case.worker_id, false));
        }
        for (case, client) in &self.work.members {
            people.entry(case).or_default().push(client);
        }
        for (case, user) in &self.work.co_workers {
            holders.entry(case).or_default().push((user, false));
        }
        for (case, user, ..) in &self.work.shares {
            holders.entry(case).or_default().push((user, true));
        }
        let mut reach = Vec::new();
        for (case, users) in &holders {
            let mut clients = people[case].clone();
            clients.sort_unstable();
            clients.dedup();
            let mut users = users.clone();
            users.sort_unstable();
            users.dedup_by(|later, first| later.0 == first.0);
            for (user, shared) in &users {
                for client in &clients {
                    reach.push((
                        user.to_string(),
                        case.to_string(),
                        client.to_string(),
                        *shared,
                        seqs[client],
                    ));
                }
            }
        }
        reach.sort_unstable();
        self.work.reach = reach;
    }

    /// The notes' numbers, in the order they were written (as the app gives them), and
    /// the centre's posting lists.
    fn index_notes(&mut self) {
        let notes = &mut self.work.notes;
        let mut order: Vec<usize> = (0..notes.len()).collect();
        order.sort_by_key(|&i| notes[i].at);
        let mut lists = Lists::default();
        for i in order {
            *self.note_seq += 1;
            let note = &mut notes[i];
            note.search_seq = *self.note_seq;
            note.search_text = search_text(
                &note.narrative,
                note.correction.as_ref().map(|c| c.narrative),
            );
            search::each_gram(&note.search_text, |gram| lists.add(gram, note.search_seq));
        }
        self.work.note_postings = lists.chunks();
    }

    /// The name keys of every person, in their primary key's order; their numbers, in
    /// the order they were registered (as the app gives them), and the centre's lists.
    fn index(&mut self) {
        for p in &self.persons {
            let (zh, en) = (&p.details.name_zh, &p.details.name_en);
            self.work.name_keys.extend(
                names::client_keys(zh, en)
                    .into_iter()
                    .map(|k| (k, p.id.clone())),
            );
        }
        self.work.name_keys.sort();
        let mut order: Vec<usize> = (0..self.persons.len()).collect();
        order.sort_by_key(|&i| self.persons[i].at);
        let mut lists = Lists::default();
        for i in order {
            *self.client_seq += 1;
            let p = &mut self.persons[i];
            p.search_seq = *self.client_seq;
            p.search_text = clients::searched_text(&p.details.name_zh, &p.details.name_en);
            search::each_name_gram(&p.search_text, |gram| lists.add(gram, p.search_seq));
        }
        self.work.client_postings = lists.chunks();
    }

    /// A household, its members registered as clients on `at` by `by`.
    fn household(&mut self, at: NaiveDateTime, by: &str) -> Home {
        use HouseholdType::*;
        const TYPES: [(HouseholdType, u32); 6] = [
            (OnePerson, 14),
            (Couple, 12),
            (CoupleWithChildren, 40),
            (SingleParent, 14),
            (ThreeGeneration, 16),
            (Other, 4),
        ];
        let household_type = TYPES
            .choose_weighted(&mut self.rng, |t| t.1)
            .expect("types")
            .0;
        let origin = if self.rng.gen_bool(0.04) {
            Origin::Minority(bank::MINORITIES.choose(&mut self.rng).expect("minorities"))
        } else {
            Origin::Chinese
        };
        let principal_age = match household_type {
            OnePerson => self.rng.gen_range(25..=90),
            Couple => self.rng.gen_range(25..=80),
            CoupleWithChildren | SingleParent | ThreeGeneration => self.rng.gen_range(28..=55),
            Other => self.rng.gen_range(20..=60),
        };
        let principal_sex = match household_type {
            SingleParent if self.rng.gen_bool(0.8) => Sex::F,
            _ if self.rng.gen_bool(0.5) => Sex::F,
            _ => Sex::M,
        };
        let made = Made { at, by };
        let family = self.surname(origin);
        let mut members = Vec::new();
        let principal = self.person(origin, family, principal_sex, principal_age, &made, false);
        members.push((principal, Relationship::Principal, principal_age));
        // Children take the father's surname.
        let mut children_surname = family;
        if matches!(
            household_type,
            Couple | CoupleWithChildren | ThreeGeneration
        ) {
            let sex = match principal_sex {
                Sex::F => Sex::M,
                Sex::M => Sex::F,
            };
            let age = (principal_age + self.rng.gen_range(-6..=6)).max(20);
            let own = self.surname(origin);
            let new_arrival = matches!(origin, Origin::Chinese) && self.rng.gen_bool(0.15);
            let spouse = self.person(origin, own, sex, age, &made, new_arrival);
            members.push((spouse, Relationship::SpousePartner, age));
            if sex == Sex::M {
                children_surname = own;
            }
        }
        if household_type == SingleParent && principal_sex == Sex::F && self.rng.gen_bool(0.6) {
            children_surname = self.surname(origin);
        }
        let children = match household_type {
            CoupleWithChildren => *[1, 1, 2, 2, 3].choose(&mut self.rng).expect("counts"),
            SingleParent | ThreeGeneration => self.rng.gen_range(1..=2),
            _ => 0,
        };
        for _ in 0..children {
            let age = self.rng.gen_range(0..=(principal_age - 20).clamp(0, 25));
            let sex = if self.rng.gen_bool(0.5) {
                Sex::F
            } else {
                Sex::M
            };
            let child = self.person(origin, children_surname, sex, age, &made, false);
            members.push((child, Relationship::Child, age));
        }
        if household_type == ThreeGeneration {
            let father_age = principal_age + self.rng.gen_range(24..=34);
            for (sex, surname) in [(Sex::M, family), (Sex::F, self.surname(origin))] {
                if self.rng.gen_bool(0.7) {
                    let age = (father_age + self.rng.gen_range(-5..=3)).min(99);
                    let parent = self.person(origin, surname, sex, age, &made, false);
                    members.push((parent, Relationship::Parent, age));
                }
            }
        }
        if household_type == Other {
            for _ in 0..self.rng.gen_range(1..=2) {
                let age = (principal_age + self.rng.gen_range(-8..=8)).max(18);
                let sex = if self.rng.gen_bool(0.5) {
                    Sex::F
                } else {
                    Sex::M
                };
                let sibling = self.person(origin, family, sex, age, &made, false);
                members.push((sibling, Relationship::Sibling, age));
            }
        }
        let id = self.id();
        let district = self.centre.district;
        let address = format!(
            "{}{}{}樓{}室",
            district.name_zh(),
            bank::BUILDINGS.choose(&mut self.rng).expect("buildings"),
            self.rng.gen_range(1..=40),
            ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']
                .choose(&mut self.rng)
                .expect("flats"),
        );
        let housing_type = [
            (HousingType::PublicRental, 45),
            (HousingType::SubsidisedSale, 15),
            (HousingType::Private, 28),
            (HousingType::SubdividedUnit, 10),
            (HousingType::TemporaryNone, 2),
        ]
        .choose_weighted(&mut self.rng, |h| h.1)
        .expect("housing")
        .0;
        let cssa_status = match self.rng.gen_range(0..100) {
            0..=13 => CssaStatus::Receiving,
            14..=16 => CssaStatus::Applying,
            _ => CssaStatus::NotReceiving,
        };
        let cssa_case_type =
            (cssa_status != CssaStatus::NotReceiving).then(|| match household_type {
                OnePerson if principal_age >= 60 => CssaCaseType::OldAge,
                SingleParent => CssaCaseType::SingleParent,
                _ => *[
                    CssaCaseType::LowEarnings,
                    CssaCaseType::Unemployment,
                    CssaCaseType::IllHealth,
                    CssaCaseType::PermanentDisability,
                    CssaCaseType::Others,
                ]
                .choose(&mut self.rng)
                .expect("CSSA types"),
            });
        let income_band = match cssa_status {
            CssaStatus::Receiving => *[IncomeBand::Under6000, IncomeBand::From6000]
                .choose(&mut self.rng)
                .expect("bands"),
            _ => {
                [
                    (IncomeBand::Under6000, 8),
                    (IncomeBand::From6000, 15),
                    (IncomeBand::From12000, 22),
                    (IncomeBand::From20000, 20),
                    (IncomeBand::From30000, 12),
                    (IncomeBand::From40000, 10),
                    (IncomeBand::NotDisclosed, 13),
                ]
                .choose_weighted(&mut self.rng, |b| b.1)
                .expect("bands")
                .0
            }
        };
        self.work.households.push(seeds::Household {
            id: id.clone(),
            district,
            address,
            household_type,
            housing_type,
            cssa_status,
            cssa_case_type,
            income_band,
            by: by.to_owned(),
            at,
        });
        for &(person, relationship, _) in &members {
            let member_id = self.id();
            let born = self.persons[person].details.date_of_birth;
            self.work.memberships.push(seeds::Membership {
                id: member_id,
                household_id: id.clone(),
                client_id: self.persons[person].id.clone(),
                relationship,
                joined_on: at.date().max(born),
                by: by.to_owned(),
                at,
            });
        }
        Home {
            members,
            minority: matches!(origin, Origin::Minority(_)),
        }
    }

    fn surname(&mut self, origin: Origin) -> usize {
        match origin {
            Origin::Chinese => {
                let weights: Vec<u32> = bank::SURNAMES.iter().map(|s| s.2).collect();
                let dist = rand::distributions::WeightedIndex::new(weights).expect("weights");
                self.rng.sample(dist)
            }
            Origin::Minority(m) => self.rng.gen_range(0..m.surnames.len()),
        }
    }

    /// Registers a person of `age` on `at`; answers their index.
    fn person(
        &mut self,
        origin: Origin,
        surname: usize,
        sex: Sex,
        age: i32,
        made: &Made,
        new_arrival: bool,
    ) -> usize {
        let (at, by) = (made.at, made.by);
        let born = at.date() - Duration::days(i64::from(age) * 365 + self.rng.gen_range(0..365));
        let (name_zh, name_en, ethnicity, language) = match origin {
            Origin::Chinese => {
                let (zh, en) =
                    chinese_name(&mut self.rng, &bank::SURNAMES[surname], sex, born.year());
                let language = if new_arrival && self.rng.gen_bool(0.6) {
                    Some(Language::Putonghua)
                } else {
                    self.rng.gen_bool(0.7).then_some(Language::Cantonese)
                };
                (
                    zh,
                    en,
                    self.rng.gen_bool(0.7).then_some(Ethnicity::Chinese),
                    language,
                )
            }
            Origin::Minority(m) => {
                let given = match sex {
                    Sex::M => m.men,
                    Sex::F => m.women,
                };
                let given = given.choose(&mut self.rng).expect("given names");
                let language = if self.rng.gen_bool(0.3) {
                    Language::English
                } else {
                    m.language
                };
                (
                    String::new(),
                    format!("{} {given}", m.surnames[surname]),
                    Some(m.ethnicity),
                    Some(language),
                )
            }
        };
        let phone = match age {
            65.. if self.rng.gen_bool(0.5) => format!("2{:07}", self.rng.gen_range(0..10_000_000)),
            18.. if self.rng.gen_bool(0.85) => self.mobile(),
            13..=17 if self.rng.gen_bool(0.5) => self.mobile(),
            _ => String::new(),
        };
        let hkid = if age >= 18 && self.rng.gen_bool(0.12) {
            self.hkid()
        } else {
            None
        };
        let disabilities = if self.rng.gen_bool(0.03) {
            let kinds: &[Disability] = if age < 18 {
                &[
                    Disability::Autism,
                    Disability::SpecificLearning,
                    Disability::Adhd,
                    Disability::Intellectual,
                ]
            } else {
                &[
                    Disability::Physical,
                    Disability::Visual,
                    Disability::Hearing,
                    Disability::MentalIllness,
                ]
            };
            vec![*kinds.choose(&mut self.rng).expect("kinds")]
        } else {
            Vec::new()
        };
        let arrived_on = new_arrival.then(|| at.date() - self.days(30..=8 * 365));
        let school = school(self.centre.district, age, self.persons.len());
        let id = self.id();
        let district = self.rng.gen_bool(0.9).then_some(self.centre.district);
        self.persons.push(Person {
            id,
            details: ClientDetails {
                name_zh,
                name_en,
                sex,
                date_of_birth: born,
                date_of_birth_estimated: false,
                phone,
                district,
                hkid: HkidChange::Keep,
                ethnicity,
                preferred_language: language,
                disabilities,
                arrived_on,
                school,
            },
            hkid: hkid.unwrap_or(StoredHkid {
                masked: None,
                hash: None,
            }),
            by: by.to_owned(),
            at,
            search_text: String::new(),
            search_seq: 0,
        });
        self.persons.len() - 1
    }

    fn mobile(&mut self) -> String {
        let first = ['5', '6', '9'].choose(&mut self.rng).expect("prefixes");
        format!("{first}{:07}", self.rng.gen_range(0..10_000_000))
    }

    /// A valid HKID not yet given in the centre, stored as the app stores one.
    fn hkid(&mut self) -> Option<StoredHkid> {
        let letter = char::from(b'A' + self.rng.gen_range(0..26u8));
        let digits = self.rng.gen_range(0..1_000_000);
        // The check digit is whichever `Hkid::parse` accepts.
        let hkid = "0123456789A"
            .chars()
            .find_map(|check| Hkid::parse(&format!("{letter}{digits:06}({check})")).ok())?;
        self.hkids.insert(hkid.canonical()).then(|| StoredHkid {
            masked: Some(hkid.masked()),
            hash: Some(clients::hkid_hash(self.hkid_key, &hkid)),
        })
    }
}

/// A case being made: when, its number, who holds it, whose family.
struct Opening<'a> {
    opened: NaiveDate,
    case_number: String,
    worker_id: String,
    unit_id: String,
    unit: Unit,
    home: &'a Home,
}

impl Making<'_> {
    fn case(&mut self, o: Opening) {
        let adults: Vec<usize> = o
            .home
            .members
            .iter()
            .filter(|(_, _, age)| *age >= 18)
            .map(|(p, ..)| *p)
            .collect();
        let client = if self.rng.gen_bool(0.8) {
            o.home.members[0].0
        } else {
            *adults.choose(&mut self.rng).unwrap_or(&o.home.members[0].0)
        };
        let client_id = self.persons[client].id.clone();
        let at = self.during(o.opened);
        let id = self.id();
        let case_type = if o.unit == Unit::FamilyCounselling && self.rng.gen_bool(0.45) {
            CaseType::InDepthCounselling
        } else {
            CaseType::BriefSupportive
        };
        use ReferralSource::*;
        let referral_source = [
            (SelfReferred, 40),
            (Swd, 12),
            (SchoolSocialWorker, 10),
            (HospitalSocialWorker, 10),
            (Police, 5),
            (HousingDepartment, 5),
            (OtherNgo, 10),
            (Outreach, 5),
            (Other, 3),
        ]
        .choose_weighted(&mut self.rng, |s| s.1)
        .expect("sources")
        .0;
        let mut natures: BTreeSet<&str> = BTreeSet::new();
        for _ in 0..*[1, 1, 1, 2, 2, 3].choose(&mut self.rng).expect("counts") {
            natures.insert(
                bank::NATURES
                    .choose_weighted(&mut self.rng, |n| n.1)
                    .expect("natures")
                    .0,
            );
        }
        if o.home.minority {
            natures.insert("ethnic_minority");
        }
        let sensitive = natures.iter().any(|n| bank::SENSITIVE_NATURES.contains(n));
        let nature = natures.iter().next().copied().unwrap_or("emotional");
        let involved = self.rng.gen_range(0..=3);
        let members: Vec<(usize, Relationship)> = o
            .home
            .members
            .iter()
            .filter(|(p, ..)| *p != client)
            .map(|(p, r, _)| (*p, *r))
            .collect::<Vec<_>>()
            .choose_multiple(&mut self.rng, involved)
            .copied()
            .collect();
        for (member, _) in &members {
            self.work
                .members
                .push((id.clone(), self.persons[*member].id.clone()));
        }
        for code in &natures {
            self.work.natures.push((id.clone(), (*code).to_owned()));
        }
        if self.rng.gen_bool(0.08) {
            let (co_worker, ..) = self.worker();
            if co_worker != o.worker_id {
                self.work.co_workers.push((id.clone(), co_worker));
            }
        }
        let (events, periods, closing) = self.history(&id, &o, case_type, at);
        let last = events.last().expect("a registration at least");
        let (state, state_since, updated_at) = (last.state, last.effective_on, last.at);
        let chinese = !o.home.minority;
        let narrative = Narrative {
            client: if chinese {
                self.persons[client].details.name_zh.clone()
            } else {
                self.persons[client].details.name_en.clone()
            },
            member: members.first().map(|(_, r)| *r),
            nature: self.natures.get(nature).cloned().unwrap_or_default(),
            chinese,
        };
        self.work.cases.push(seeds::Case {
            id: id.clone(),
            case_number: o.case_number.clone(),
            unit_id: o.unit_id.clone(),
            client_id: client_id.clone(),
            case_type,
            referral_source,
            worker_id: o.worker_id.clone(),
            state,
            state_since,
            sensitive,
            closure_reason: (state == CaseState::Closed).then_some(closing).flatten(),
            version: events.len() as i64,
            created_at: at,
            updated_at,
            breakdown: Breakdown {
                case_type: case_type.as_str().to_owned(),
                unit_kind: o.unit.as_str().to_owned(),
                district: self.persons[client]
                    .details
                    .district
                    .map(|d| d.code().to_owned()),
                natures: Breakdown::joined(natures.iter().copied()),
            },
        });
        self.work.events.extend(events);
        if periods.is_empty() {
            // Never taken up: the intake call is its one note.
            self.note(
                &id,
                &client_id,
                &o.worker_id,
                o.opened,
                o.opened,
                &narrative,
            );
        }
        for &(from, to) in &periods {
            let count = match case_type {
                CaseType::BriefSupportive => self.rng.gen_range(2..=5),
                CaseType::InDepthCounselling => ((to - from).num_days() / 25).clamp(3, 20),
            };
            for _ in 0..count {
                self.note(&id, &client_id, &o.worker_id, from, to, &narrative);
            }
        }
        if let Some(&first) = periods.first() {
            if case_type == CaseType::InDepthCounselling || self.rng.gen_bool(0.3) {
                let closed = state == CaseState::Closed;
                self.plan(&id, &o.worker_id, first, closed, &narrative);
            }
            self.referrals(&id, &o, referral_source, first, &narrative);
        }
    }

    /// The case's history from its registration on `at`: its events, the periods it was
    /// open, and why it last closed. Each event follows the one before, by the rules of
    /// `CaseState::move_to`, none after the last day.
    fn history(
        &mut self,
        id: &str,
        o: &Opening,
        case_type: CaseType,
        at: NaiveDateTime,
    ) -> (Vec<seeds::Event>, Vec<Period>, Option<ClosureReason>) {
        let first = match self.rng.gen_range(0..100) {
            0..=14 => CaseState::Enquiry,
            15..=29 => CaseState::Waiting,
            _ => CaseState::Open,
        };
        let mut events = Vec::new();
        let mut push = |this: &mut Self,
                        kind,
                        state,
                        day: NaiveDate,
                        actor: &str,
                        detail: Option<String>,
                        at: NaiveDateTime| {
            let event_id = this.id();
            let from_state = events.last().map(|e: &seeds::Event| e.state);
            events.push(seeds::Event {
                id: event_id,
                case_id: id.to_owned(),
                seq: events.len() as i64 + 1,
                kind,
                state,
                effective_on: day,
                at,
                actor_id: actor.to_owned(),
                worker_id: o.worker_id.clone(),
                detail,
                from_state,
                superseded_on: None,
            });
        };
        push(
            self,
            CaseEventKind::Registered,
            first,
            o.opened,
            &o.worker_id,
            None,
            at,
        );
        let mut state = first;
        let mut day = o.opened;
        let mut periods = Vec::new();
        let mut closing = None;
        let mut reactivated = false;
        loop {
            let (next_state, next_day) = match state {
                CaseState::Enquiry if self.rng.gen_bool(0.25) => {
                    (CaseState::Waiting, day + self.days(1..=21))
                }
                CaseState::Enquiry => (CaseState::Open, day + self.days(1..=14)),
                CaseState::Waiting => (CaseState::Open, day + self.days(7..=90)),
                CaseState::Open => {
                    let length = match case_type {
                        CaseType::BriefSupportive => self.days(20..=150),
                        CaseType::InDepthCounselling => self.days(90..=540),
                    };
                    (CaseState::Closed, day + length)
                }
                CaseState::Closed if !reactivated && self.rng.gen_bool(0.08) => {
                    reactivated = true;
                    (CaseState::Open, day + self.days(30..=400))
                }
                CaseState::Closed => break,
            };
            if state == CaseState::Open {
                periods.push((day, next_day.min(last_day())));
            }
            if next_day > last_day() {
                break;
            }
            if next_state == CaseState::Closed {
                // Asked for by the worker on the day, approved by the supervisor after.
                let reason = bank::CLOSURE_REASONS
                    .choose_weighted(&mut self.rng, |r| r.1)
                    .expect("reasons")
                    .0;
                let requested_at = self.during(next_day);
                let decided_at = requested_at + Duration::hours(self.rng.gen_range(2..=72));
                let (zh, en) = bank::CLOSING.choose(&mut self.rng).expect("summaries");
                let closure_id = self.id();
                self.work.closures.push(seeds::Closure {
                    id: closure_id,
                    case_id: id.to_owned(),
                    reason,
                    summary: if o.home.minority { en } else { zh }.to_string(),
                    closed_on: next_day,
                    requested_by: o.worker_id.clone(),
                    requested_at,
                    decided_by: self.centre.supervisor.clone(),
                    decided_at,
                });
                let supervisor = self.centre.supervisor.clone();
                push(
                    self,
                    CaseEventKind::Closed,
                    CaseState::Closed,
                    next_day,
                    &supervisor,
                    Some(reason.as_str().to_owned()),
                    decided_at,
                );
                closing = Some(reason);
            } else {
                let kind = state.move_to(next_state).expect("a worker's move");
                let detail = (kind == CaseEventKind::Reactivated).then(|| {
                    bank::REACTIVATION
                        .choose(&mut self.rng)
                        .expect("reasons")
                        .to_string()
                });
                let at = self.during(next_day);
                push(self, kind, next_state, next_day, &o.worker_id, detail, at);
            }
            state = next_state;
            day = next_day;
        }
        for next in 1..events.len() {
            events[next - 1].superseded_on = Some(events[next].effective_on);
        }
        (events, periods, closing)
    }

    /// A note of a contact between `from` and `to`, written from the template bank.
    fn note(
        &mut self,
        case_id: &str,
        client_id: &str,
        worker_id: &str,
        from: NaiveDate,
        to: NaiveDate,
        n: &Narrative,
    ) {
        let (contact_type, zh, en) = *bank::NOTES.choose(&mut self.rng).expect("notes");
        let day = from + self.days(0..=(to - from).num_days().max(0));
        let contact_at = self.during(day);
        let duration_minutes = match contact_type {
            ContactType::Phone | ContactType::CollateralContact => self.rng.gen_range(10..=30),
            ContactType::Supervision => self.rng.gen_range(20..=45),
            ContactType::OnlineVideo => self.rng.gen_range(30..=60),
            ContactType::OfficeInterview => self.rng.gen_range(45..=90),
            ContactType::HomeVisit | ContactType::CaseConference => self.rng.gen_range(60..=120),
        };
        let at = contact_at + Duration::minutes(self.rng.gen_range(30..=48 * 60));
        let id = self.id();
        // One note in fifty is corrected after its edit window, chosen by its place so the
        // rest of the data set stays as it was.
        let nth = self.work.notes.len();
        let correction = (nth % 50 == 3).then(|| {
            let (narrative, reason) = bank::CORRECTIONS[nth / 50 % bank::CORRECTIONS.len()];
            seeds::Correction {
                id: self.derived_id(&id),
                narrative,
                reason,
                at: at + Duration::days(4 + (nth % 27) as i64),
            }
        });
        self.work.notes.push(seeds::Note {
            id: id.clone(),
            case_id: case_id.to_owned(),
            contact_at,
            contact_type,
            duration_minutes,
            narrative: n.fill(if n.chinese { zh } else { en }),
            author_id: worker_id.to_owned(),
            at,
            search_text: String::new(),
            search_seq: 0,
            correction,
        });
        self.work.participants.push((id, client_id.to_owned()));
    }

    /// A plan made early in the first open period, reviewed every three to six months
    /// while the case stayed open; its goals settled if the case has closed.
    fn plan(
        &mut self,
        case_id: &str,
        worker_id: &str,
        (from, to): Period,
        closed: bool,
        n: &Narrative,
    ) {
        let made = from + self.days(7..=28);
        if made > to {
            return;
        }
        let made_at = self.during(made);
        let goals = self.rng.gen_range(1..=3);
        for (zh, en) in bank::GOALS
            .choose_multiple(&mut self.rng, goals)
            .copied()
            .collect::<Vec<_>>()
        {
            let status = if closed {
                [
                    (GoalStatus::Achieved, 50),
                    (GoalStatus::PartlyAchieved, 25),
                    (GoalStatus::NotAchieved, 10),
                    (GoalStatus::Discontinued, 15),
                ]
            } else {
                [
                    (GoalStatus::NotStarted, 30),
                    (GoalStatus::InProgress, 70),
                    (GoalStatus::Achieved, 0),
                    (GoalStatus::Discontinued, 0),
                ]
            }
            .choose_weighted(&mut self.rng, |s| s.1)
            .expect("statuses")
            .0;
            let updated_at = if status == GoalStatus::NotStarted {
                made_at
            } else {
                self.during(to)
            };
            let id = self.id();
            let target_date = made + self.days(90..=365);
            self.work.goals.push(seeds::Goal {
                id,
                case_id: case_id.to_owned(),
                description: if n.chinese { zh } else { en }.to_owned(),
                target_date,
                status,
                version: if status == GoalStatus::NotStarted {
                    1
                } else {
                    2
                },
                by: worker_id.to_owned(),
                created_at: made_at,
                updated_at: updated_at.max(made_at),
            });
        }
        let mut next = made + self.days(90..=180);
        let mut version = 1;
        let mut updated_at = made_at;
        while next <= to {
            let reviewed_on = next;
            next = reviewed_on + self.days(90..=180);
            let at = self.during(reviewed_on);
            let (zh, en) = bank::REVIEWS.choose(&mut self.rng).expect("reviews");
            let id = self.id();
            self.work.reviews.push(seeds::Review {
                id,
                case_id: case_id.to_owned(),
                reviewed_on,
                summary: if n.chinese { zh } else { en }.to_string(),
                next_review_on: next,
                reviewer_id: worker_id.to_owned(),
                at,
            });
            version += 1;
            updated_at = at;
        }
        self.work.plans.push(seeds::Plan {
            case_id: case_id.to_owned(),
            next_review_on: Some(next),
            version,
            by: worker_id.to_owned(),
            at: updated_at,
        });
    }

    /// A referral in from whoever referred the family, and for some cases one out, its
    /// steps dated in order (consent before sending), stopping where the open period ends.
    fn referrals(
        &mut self,
        case_id: &str,
        o: &Opening,
        source: ReferralSource,
        (from, to): Period,
        n: &Narrative,
    ) {
        let from_service = match source {
            ReferralSource::Swd => Some(ServiceType::Swd),
            ReferralSource::SchoolSocialWorker => Some(ServiceType::SchoolSocialWork),
            ReferralSource::HospitalSocialWorker => Some(ServiceType::MedicalSocialService),
            ReferralSource::HousingDepartment => Some(ServiceType::Housing),
            ReferralSource::OtherNgo => Some(ServiceType::OtherNgoFamilyService),
            _ => None,
        };
        if let Some(service_type) = from_service.filter(|_| self.rng.gen_bool(0.6)) {
            let at = self.during(o.opened);
            let (zh, en) = bank::REFERRAL_REASONS
                .choose(&mut self.rng)
                .expect("reasons");
            let id = self.id();
            let accepted_at = self.during(from).max(at);
            self.work.referrals.push(seeds::Referral {
                id,
                case_id: case_id.to_owned(),
                direction: ReferralDirection::In,
                agency_name: agency_of(service_type),
                service_type,
                reason: if n.chinese { zh } else { en }.to_string(),
                info_shared: bank::INFO_SHARED.to_owned(),
                status: ReferralStatus::Accepted,
                consent: None,
                sent_on: None,
                follow_up_due: Some(o.opened + Duration::days(14)),
                outcome: Some(("接受服務 Accepted for service".to_owned(), from)),
                version: 2,
                by: o.worker_id.clone(),
                created_at: at,
                updated_at: accepted_at,
            });
        }
        if !self.rng.gen_bool(0.2) {
            return;
        }
        let (service_type, _) = *bank::AGENCIES_SERVED_BY
            .choose(&mut self.rng)
            .expect("services");
        let drafted = from + self.days(7..=60);
        if drafted > to {
            return;
        }
        let created_at = self.during(drafted);
        let (zh, en) = bank::REFERRAL_REASONS
            .choose(&mut self.rng)
            .expect("reasons");
        let mut referral = seeds::Referral {
            id: self.id(),
            case_id: case_id.to_owned(),
            direction: ReferralDirection::Out,
            agency_name: agency_of(service_type),
            service_type,
            reason: if n.chinese { zh } else { en }.to_string(),
            info_shared: bank::INFO_SHARED.to_owned(),
            status: ReferralStatus::Draft,
            consent: None,
            sent_on: None,
            follow_up_due: None,
            outcome: None,
            version: 1,
            by: o.worker_id.clone(),
            created_at,
            updated_at: created_at,
        };
        let consented = drafted + self.days(0..=7);
        if consented <= to {
            let recorded_at = self.during(consented);
            referral.consent = Some(seeds::Consent {
                name: n.client.clone(),
                giver: ConsentGiver::Client,
                scope: bank::CONSENT_SCOPE.to_owned(),
                on: consented,
                recorded_at,
            });
            referral.status = ReferralStatus::Consented;
            referral.version = 2;
            referral.updated_at = recorded_at;
            let sent = consented + self.days(0..=5);
            if sent <= to {
                referral.status = ReferralStatus::Sent;
                referral.sent_on = Some(sent);
                referral.follow_up_due = Some(sent + Duration::days(14));
                referral.version = 3;
                referral.updated_at = self.during(sent);
                let answered = sent + self.days(7..=45);
                if answered <= to {
                    let accepted = self.rng.gen_bool(0.8);
                    referral.status = if accepted {
                        ReferralStatus::Accepted
                    } else {
                        ReferralStatus::Declined
                    };
                    let outcome = if accepted {
                        "已接收 Accepted"
                    } else {
                        "未能提供服務 Declined"
                    };
                    referral.outcome = Some((outcome.to_owned(), answered));
                    referral.version = 4;
                    referral.updated_at = self.during(answered);
                }
            }
        }
        self.work.referrals.push(referral);
    }
}

fn agency_of(service_type: ServiceType) -> String {
    bank::AGENCIES_SERVED_BY
        .iter()
        .find(|(t, _)| *t == service_type)
        .map_or("其他機構 Another agency", |(_, name)| name)
        .to_owned()
}

/// What a case's narrative is filled in with.
struct Narrative {
    client: String,
    member: Option<Relationship>,
    /// The first nature's names, Chinese and English.
    nature: (String, String),
    chinese: bool,
}

impl Narrative {
    fn fill(&self, template: &str) -> String {
        let member = match (self.member, self.chinese) {
            (Some(Relationship::SpousePartner), true) => "配偶",
            (Some(Relationship::Child), true) => "子女",
            (Some(Relationship::Parent), true) => "父母",
            (_, true) => "家人",
            (Some(Relationship::SpousePartner), false) => "partner",
            (Some(Relationship::Child), false) => "child",
            (Some(Relationship::Parent), false) => "parent",
            (_, false) => "family member",
        };
        let nature = if self.chinese {
            &self.nature.0
        } else {
            &self.nature.1
        };
        template
            .replace("{client}", &self.client)
            .replace("{member}", member)
            .replace("{nature}", &nature.to_lowercase())
    }
}
