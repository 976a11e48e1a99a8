//! Database access for cases. Every read of a case starts from the cases a
//! [`RecordScope`] reaches ([`within`]).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use common::cases::{
    CaseEvent, CaseEventKind, CaseListQuery, CasePerson, CaseState, CaseSummary, CaseType,
    ClosureReason, ClosureRequest, Decision, Pending, ReferralSource, StaffRef, TransferRequest,
};
use common::clients::Sex;
use common::identity::{Access, Role, Unit};
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::schema::{
    case_closure_requests, case_counters, case_events, case_members, case_nature_tags,
    case_natures, case_notes, case_reach, case_shares, case_transfers, case_workers, cases,
    centres, clients, held_cases, units, user_roles, users,
};
use crate::db::{
    one_of, rows_per_statement, stored_code, unreadable, utc, DbConnection, MultiBackend,
};
use crate::identity::RecordScope;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: String,
    pub case_number: String,
    pub centre_id: String,
    pub unit_id: String,
    pub client_id: String,
    pub case_type: String,
    pub referral_source: String,
    pub responsible_worker_id: String,
    pub state: String,
    pub state_since: NaiveDate,
    pub sensitive: bool,
    pub closure_reason: Option<String>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

impl CaseRow {
    pub fn state(&self) -> QueryResult<CaseState> {
        CaseState::parse(&self.state).ok_or_else(|| unreadable("cases.state", &self.state))
    }
}

/// The cases a scope reaches: the query every read here starts from.
pub fn within(scope: &RecordScope) -> cases::BoxedQuery<'static, MultiBackend> {
    let query = of_centres(scope);
    match &scope.owner_id {
        // The cases the owner holds or, to read, was shared: one index range.
        Some(owner) => query.filter(
            cases::id.eq_any(held_by(owner.clone(), scope.access).select(held_cases::case_id)),
        ),
        None => query,
    }
}

/// The cases of the scope's centres, whoever holds them.
fn of_centres(scope: &RecordScope) -> cases::BoxedQuery<'static, MultiBackend> {
    let query = cases::table.into_boxed();
    match scope.centres.condition(cases::centre_id) {
        Some(of_centres) => query.filter(of_centres),
        None => query,
    }
}

/// Whether an access takes the cases shared with a user (to read) or only those they
/// hold (to write). Written as `shared = false OR shared = taken` rather than a list of
/// flags, so that the statement's text is the same for both and is prepared once.
fn shares_taken(access: Access) -> bool {
    matches!(access, Access::Read)
}

/// The rows of `case_reach` a user's access takes ([`refresh_reach`] keeps them): to
/// write, only those of the cases the user holds; to read, also those shared with them.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn reach_of(owner: String, access: Access) -> _ {
    let taken: bool = shares_taken(access);
    case_reach::table
        .filter(case_reach::user_id.eq(owner))
        .filter(
            case_reach::shared
                .eq(false)
                .or(case_reach::shared.eq(taken)),
        )
}

/// The rows of `held_cases` a user's access takes, as [`reach_of`] a case at a time.
#[diesel::dsl::auto_type(no_type_alias)]
pub fn held_by(owner: String, access: Access) -> _ {
    let taken: bool = shares_taken(access);
    held_cases::table
        .filter(held_cases::user_id.eq(owner))
        .filter(
            held_cases::shared
                .eq(false)
                .or(held_cases::shared.eq(taken)),
        )
}

/// A worker's client records follow their cases: those the user registered, and the
/// clients of the cases they reach (their clients and the household members involved).
pub fn clients_of(
    owner: &str,
    access: Access,
) -> Box<dyn BoxableExpression<clients::table, MultiBackend, SqlType = Bool>> {
    Box::new(
        clients::created_by
            .eq(owner.to_owned())
            .or(clients::id
                .eq_any(reach_of(owner.to_owned(), access).select(case_reach::client_id))),
    )
}

/// Writes again who reaches which client through a case: its holders (the responsible
/// worker and co-workers) and, to read, those it is shared with, each with
/// the case's client and members; and marks again whether its people, those of before and
/// of now, are on a sensitive case. Called by every write of those, in its transaction.
pub fn refresh_reach(conn: &mut DbConnection, case_id: &str) -> QueryResult<()> {
    let mut marked: Vec<String> = case_reach::table
        .filter(case_reach::case_id.eq(case_id))
        .select(case_reach::client_id)
        .distinct()
        .load(conn)?;
    diesel::delete(case_reach::table.filter(case_reach::case_id.eq(case_id))).execute(conn)?;
    diesel::delete(held_cases::table.filter(held_cases::case_id.eq(case_id))).execute(conn)?;
    let Some((responsible, client, case_centre, updated_at)) = cases::table
        .find(case_id)
        .select((
            cases::responsible_worker_id,
            cases::client_id,
            cases::centre_id,
            cases::updated_at,
        ))
        .first::<(String, String, String, NaiveDateTime)>(conn)
        .optional()?
    else {
        return mark_sensitive_people(conn, &marked);
    };
    // (user, through a share only); a holder also shared with holds the case.
    let mut users: Vec<(String, bool)> = vec![(responsible, false)];
    users.extend(
        case_workers::table
            .filter(case_workers::case_id.eq(case_id))
            .select(case_workers::user_id)
            .load::<String>(conn)?
            .into_iter()
            .map(|user| (user, false)),
    );
    users.extend(
        case_shares::table
            .filter(case_shares::case_id.eq(case_id))
            .select(case_shares::user_id)
            .load::<String>(conn)?
            .into_iter()
            .map(|user| (user, true)),
    );
    users.sort();
    users.dedup_by(|later, first| later.0 == first.0);
    let held: Vec<_> = users
        .iter()
        .map(|(user, shared)| {
            (
                held_cases::user_id.eq(user),
                held_cases::case_id.eq(case_id),
                held_cases::shared.eq(*shared),
                held_cases::centre_id.eq(&case_centre),
                held_cases::updated_at.eq(updated_at),
            )
        })
        .collect();
    for part in held.chunks(rows_per_statement(5)) {
        crate::insert_rows!(conn, held_cases::table, part.to_vec())?;
    }
    let mut people = member_ids(conn, case_id)?;
    people.push(client);
    marked.extend(people.iter().cloned());
    let people: Vec<(String, String, Option<i64>)> = clients::table
        .filter(clients::id.eq_any(&people))
        .select((clients::id, clients::centre_id, clients::search_seq))
        .load(conn)?;
    let rows: Vec<_> = users
        .iter()
        .flat_map(|(user, shared)| {
            people.iter().map(move |(client, centre, seq)| {
                (
                    case_reach::user_id.eq(user),
                    case_reach::case_id.eq(case_id),
                    case_reach::client_id.eq(client),
                    case_reach::centre_id.eq(centre),
                    case_reach::shared.eq(*shared),
                    case_reach::search_seq.eq(*seq),
                )
            })
        })
        .collect();
    for part in rows.chunks(rows_per_statement(6)) {
        crate::insert_rows!(conn, case_reach::table, part.to_vec())?;
    }
    mark_sensitive_people(conn, &marked)
}

/// Marks again whether each of these clients is on a sensitive case, as its client or a
/// member involved (`clients.on_sensitive_case`): read with their rows, so that few need
/// [`contact_withheld_from`] to look further.
pub fn mark_sensitive_people(conn: &mut DbConnection, client_ids: &[String]) -> QueryResult<()> {
    let as_client = cases::table
        .filter(cases::sensitive.eq(true))
        .filter(cases::client_id.eq(clients::id))
        .select(cases::id);
    let as_member = case_members::table
        .inner_join(cases::table)
        .filter(cases::sensitive.eq(true))
        .filter(case_members::client_id.eq(clients::id))
        .select(cases::id);
    for part in client_ids.chunks(10_000) {
        diesel::update(clients::table.filter(one_of(clients::id, part)))
            .set(clients::on_sensitive_case.eq(exists(as_client).or(exists(as_member))))
            .execute(conn)?;
    }
    Ok(())
}

/// A client's new number in the search lists, where its cases' reach holds it.
pub fn renumber_in_reach(conn: &mut DbConnection, client_id: &str, seq: i64) -> QueryResult<()> {
    diesel::update(case_reach::table.filter(case_reach::client_id.eq(client_id)))
        .set(case_reach::search_seq.eq(seq))
        .execute(conn)
        .map(drop)
}

pub fn find(
    conn: &mut DbConnection,
    id: &str,
    scope: &RecordScope,
) -> QueryResult<Option<CaseRow>> {
    within(scope)
        .filter(cases::id.eq(id.to_owned()))
        .select(CaseRow::as_select())
        .first(conn)
        .optional()
}

/// The cases of a scope among `ids`, by id.
pub fn by_ids(
    conn: &mut DbConnection,
    scope: &RecordScope,
    ids: &[&str],
) -> QueryResult<HashMap<String, CaseRow>> {
    Ok(keyed(
        within(scope)
            .filter(one_of(cases::id, ids))
            .select(CaseRow::as_select())
            .load(conn)?,
    ))
}

/// Cases already reached by other means (the flags of a reached case), by id.
pub fn rows_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, CaseRow>> {
    Ok(keyed(
        cases::table
            .filter(one_of(cases::id, ids))
            .select(CaseRow::as_select())
            .load(conn)?,
    ))
}

fn keyed(rows: Vec<CaseRow>) -> HashMap<String, CaseRow> {
    rows.into_iter().map(|row| (row.id.clone(), row)).collect()
}

/// One page of the cases a scope reaches, with the filters, most recently changed first.
pub fn list(
    conn: &mut DbConnection,
    scope: &RecordScope,
    filters: &CaseListQuery,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<CaseRow>, i64)> {
    let filtered = || {
        let mut query = within(scope);
        if let Some(state) = filters.state {
            query = query.filter(cases::state.eq(state.as_str()));
        }
        if let Some(case_type) = filters.case_type {
            query = query.filter(cases::case_type.eq(case_type.as_str()));
        }
        if let Some(worker_id) = &filters.worker_id {
            query = query.filter(cases::responsible_worker_id.eq(worker_id.clone()));
        }
        if let Some(client_id) = &filters.client_id {
            query = query.filter(cases::client_id.eq(client_id.clone()));
        }
        if let Some(nature) = &filters.nature {
            query = query.filter(
                cases::id.eq_any(
                    case_nature_tags::table
                        .filter(case_nature_tags::nature_code.eq(nature.clone()))
                        .select(case_nature_tags::case_id),
                ),
            );
        }
        match filters.pending {
            Some(Pending::Closure) => {
                query = query.filter(
                    cases::id.eq_any(
                        case_closure_requests::table
                            .filter(case_closure_requests::status.eq("pending"))
                            .select(case_closure_requests::case_id),
                    ),
                )
            }
            Some(Pending::Transfer) => {
                query = query.filter(
                    cases::id.eq_any(
                        case_transfers::table
                            .filter(case_transfers::status.eq("pending"))
                            .select(case_transfers::case_id),
                    ),
                )
            }
            None => {}
        }
        query
    };
    if let Some(owner) = &scope.owner_id {
        // A caseload is a few hundred cases: read once, then counted and cut here. Unless
        // narrowed by what only the case says, `held_cases` holds all the list needs.
        let CaseListQuery {
            state,
            case_type,
            nature,
            worker_id,
            client_id,
            pending,
            page: _,
            per_page: _,
        } = filters;
        let narrowed = state.is_some()
            || case_type.is_some()
            || nature.is_some()
            || worker_id.is_some()
            || client_id.is_some()
            || pending.is_some();
        let mut held: Vec<(NaiveDateTime, String)> = if narrowed {
            filtered()
                .select((cases::updated_at, cases::id))
                .load(conn)?
        } else {
            let mut query = held_by(owner.clone(), scope.access).into_boxed();
            if let Some(of_centres) = scope.centres.condition(held_cases::centre_id) {
                query = query.filter(of_centres);
            }
            query
                .select((held_cases::updated_at, held_cases::case_id))
                .load(conn)?
        };
        held.sort_unstable_by(|a, b| b.cmp(a));
        let shown: Vec<String> = held
            .iter()
            .skip(((page - 1) * per_page) as usize)
            .take(per_page as usize)
            .map(|(_, id)| id.clone())
            .collect();
        // The ids come from the owner's reach: their centres are check enough, and
        // cheaper than the reach again.
        let rows = of_centres(scope)
            .filter(one_of(cases::id, &shown))
            .order((cases::updated_at.desc(), cases::id.desc()))
            .select(CaseRow::as_select())
            .load(conn)?;
        return Ok((rows, held.len() as i64));
    }
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((cases::updated_at.desc(), cases::id.desc()))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(CaseRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Staff names by id, for showing who did what.
pub fn staff(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<HashMap<String, StaffRef>> {
    let rows: Vec<(String, String)> = users::table
        .filter(one_of(users::id, ids))
        .select((users::id, users::display_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name)| (id.clone(), StaffRef { id, display_name }))
        .collect())
}

pub fn staff_ref(staff: &HashMap<String, StaffRef>, id: &str) -> QueryResult<StaffRef> {
    staff
        .get(id)
        .cloned()
        .ok_or_else(|| unreadable("users.id", id))
}

pub fn people(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<CasePerson>> {
    let rows: Vec<(String, String, String, String)> = clients::table
        .filter(one_of(clients::id, ids))
        .select((
            clients::id,
            clients::name_zh,
            clients::name_en,
            clients::sex,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, name_zh, name_en, sex)| {
            Ok(CasePerson {
                sex: stored_code(Sex::parse, "clients.sex", &sex)?,
                id,
                name_zh,
                name_en,
            })
        })
        .collect()
}

/// Cases as lists show them, in the order given.
pub fn summaries(conn: &mut DbConnection, rows: Vec<CaseRow>) -> QueryResult<Vec<CaseSummary>> {
    let case_ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    // What each case shows beside its row in one statement, its natures in another: every
    // list asks them for every page.
    type Shown = (
        String,
        (String, String, String, String),
        String,
        String,
        (bool, bool),
    );
    let mut shown: HashMap<String, (CasePerson, String, String, Option<Pending>)> = cases::table
        .inner_join(clients::table)
        .inner_join(units::table)
        .inner_join(users::table.on(users::id.eq(cases::responsible_worker_id)))
        .filter(one_of(cases::id, &case_ids))
        .select((
            cases::id,
            (
                clients::id,
                clients::name_zh,
                clients::name_en,
                clients::sex,
            ),
            users::display_name,
            units::kind,
            (
                exists(
                    case_closure_requests::table
                        .filter(case_closure_requests::case_id.eq(cases::id))
                        .filter(case_closure_requests::status.eq("pending")),
                ),
                exists(
                    case_transfers::table
                        .filter(case_transfers::case_id.eq(cases::id))
                        .filter(case_transfers::status.eq("pending")),
                ),
            ),
        ))
        .load::<Shown>(conn)?
        .into_iter()
        .map(
            |(case_id, (id, name_zh, name_en, sex), worker, unit, (closure, transfer))| {
                let client = CasePerson {
                    sex: stored_code(Sex::parse, "clients.sex", &sex)?,
                    id,
                    name_zh,
                    name_en,
                };
                let pending = if closure {
                    Some(Pending::Closure)
                } else if transfer {
                    Some(Pending::Transfer)
                } else {
                    None
                };
                Ok((case_id, (client, worker, unit, pending)))
            },
        )
        .collect::<QueryResult<_>>()?;
    let mut natures: HashMap<String, Vec<String>> = HashMap::new();
    for (case_id, code) in case_nature_tags::table
        .inner_join(case_natures::table)
        .filter(one_of(case_nature_tags::case_id, &case_ids))
        .order(case_natures::position)
        .select((case_nature_tags::case_id, case_nature_tags::nature_code))
        .load::<(String, String)>(conn)?
    {
        natures.entry(case_id).or_default().push(code);
    }
    rows.into_iter()
        .map(|row| {
            let (client, worker, unit, pending) = shown
                .remove(&row.id)
                .ok_or_else(|| unreadable("cases.id", &row.id))?;
            Ok(CaseSummary {
                state: row.state()?,
                unit: stored_code(Unit::parse, "units.kind", &unit)?,
                client,
                case_type: stored_code(CaseType::parse, "cases.case_type", &row.case_type)?,
                referral_source: stored_code(
                    ReferralSource::parse,
                    "cases.referral_source",
                    &row.referral_source,
                )?,
                responsible_worker: StaffRef {
                    id: row.responsible_worker_id,
                    display_name: worker,
                },
                nature_codes: natures.remove(&row.id).unwrap_or_default(),
                pending,
                id: row.id,
                case_number: row.case_number,
                centre_id: row.centre_id,
                state_since: row.state_since,
                sensitive: row.sensitive,
                version: row.version,
                updated_at: utc(row.updated_at),
            })
        })
        .collect()
}

pub fn co_workers(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<StaffRef>> {
    users::table
        .inner_join(case_workers::table)
        .filter(case_workers::case_id.eq(case_id))
        .order(users::display_name)
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(id, display_name)| StaffRef { id, display_name })
                .collect()
        })
}

pub fn shared_with(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<StaffRef>> {
    users::table
        .inner_join(case_shares::table.on(case_shares::user_id.eq(users::id)))
        .filter(case_shares::case_id.eq(case_id))
        .order(users::display_name)
        .select((users::id, users::display_name))
        .load::<(String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(id, display_name)| StaffRef { id, display_name })
                .collect()
        })
}

/// Shows a case to a user; false when it already was.
pub fn share(
    conn: &mut DbConnection,
    case_id: &str,
    user_id: &str,
    shared_by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let already: i64 = case_shares::table
        .filter(case_shares::case_id.eq(case_id))
        .filter(case_shares::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    if already > 0 {
        return Ok(false);
    }
    let shared = diesel::insert_into(case_shares::table)
        .values((
            case_shares::case_id.eq(case_id),
            case_shares::user_id.eq(user_id),
            case_shares::shared_by.eq(shared_by),
            case_shares::shared_at.eq(at),
        ))
        .execute(conn)?
        > 0;
    refresh_reach(conn, case_id)?;
    Ok(shared)
}

pub fn unshare(conn: &mut DbConnection, case_id: &str, user_id: &str) -> QueryResult<usize> {
    let removed = diesel::delete(
        case_shares::table
            .filter(case_shares::case_id.eq(case_id))
            .filter(case_shares::user_id.eq(user_id)),
    )
    .execute(conn)?;
    refresh_reach(conn, case_id)?;
    Ok(removed)
}

/// Who a case is about: its client, then the household members involved.
pub fn people_ids(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<String>> {
    let client: Vec<String> = cases::table
        .filter(cases::id.eq(case_id))
        .select(cases::client_id)
        .load(conn)?;
    Ok(client
        .into_iter()
        .chain(member_ids(conn, case_id)?)
        .collect())
}

pub fn member_ids(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<String>> {
    case_members::table
        .filter(case_members::case_id.eq(case_id))
        .select(case_members::client_id)
        .load(conn)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = case_events)]
struct EventRow {
    kind: String,
    state: String,
    effective_on: NaiveDate,
    recorded_at: NaiveDateTime,
    actor_id: String,
    worker_id: String,
    centre_id: String,
    detail: Option<String>,
}

/// The case's history, oldest first.
pub fn events(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<CaseEvent>> {
    let rows: Vec<EventRow> = case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::seq)
        .select(EventRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = rows
        .iter()
        .flat_map(|r| [r.actor_id.as_str(), r.worker_id.as_str()])
        .collect();
    let staff = staff(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            Ok(CaseEvent {
                kind: stored_code(CaseEventKind::parse, "case_events.kind", &row.kind)?,
                state: stored_code(CaseState::parse, "case_events.state", &row.state)?,
                effective_on: row.effective_on,
                recorded_at: utc(row.recorded_at),
                actor: staff_ref(&staff, &row.actor_id)?,
                worker: staff_ref(&staff, &row.worker_id)?,
                centre_id: row.centre_id,
                detail: row.detail,
            })
        })
        .collect()
}

/// The last event's sequence number and effective day: a new event follows both.
pub fn last_event(conn: &mut DbConnection, case_id: &str) -> QueryResult<(i64, NaiveDate)> {
    case_events::table
        .filter(case_events::case_id.eq(case_id))
        .order(case_events::seq.desc())
        .select((case_events::seq, case_events::effective_on))
        .first(conn)
}

pub struct NewEvent<'a> {
    pub case_id: &'a str,
    pub seq: i64,
    pub kind: CaseEventKind,
    pub state: CaseState,
    pub effective_on: NaiveDate,
    pub at: NaiveDateTime,
    pub actor_id: &'a str,
    pub worker_id: &'a str,
    pub centre_id: &'a str,
    pub detail: Option<&'a str>,
}

/// What the statistics break a case down by, as the case is now, carried on each of its
/// events so that they are counted without joining the case (the migration's triggers carry
/// a change of the case, its client or its natures to every event).
pub struct Breakdown {
    pub case_type: String,
    pub unit_kind: String,
    pub district: Option<String>,
    /// The nature codes joined by commas, in code order (`Breakdown::joined`).
    pub natures: String,
}

impl Breakdown {
    pub fn joined<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
        let mut codes: Vec<&str> = codes.into_iter().collect();
        codes.sort_unstable();
        codes.join(",")
    }

    /// The codes of a joined list (none for an empty one).
    pub fn natures_in(joined: &str) -> impl Iterator<Item = &str> {
        joined.split(',').filter(|code| !code.is_empty())
    }
}

pub fn breakdown_of(conn: &mut DbConnection, case_id: &str) -> QueryResult<Breakdown> {
    let (case_type, unit_kind, district) = cases::table
        .inner_join(units::table)
        .inner_join(clients::table)
        .filter(cases::id.eq(case_id))
        .select((cases::case_type, units::kind, clients::district))
        .first(conn)?;
    let codes = nature_codes(conn, case_id)?;
    Ok(Breakdown {
        case_type,
        unit_kind,
        district,
        natures: Breakdown::joined(codes.iter().map(String::as_str)),
    })
}

/// Writes an event with what the case was before it, read from the event it follows,
/// which it supersedes from its day, and the case's breakdown.
pub fn insert_event(conn: &mut DbConnection, event: &NewEvent) -> QueryResult<()> {
    crate::risk::store::touch_cases(conn, &[event.case_id])?;
    let breakdown = breakdown_of(conn, event.case_id)?;
    let before: Option<(String, String)> = case_events::table
        .filter(case_events::case_id.eq(event.case_id))
        .filter(case_events::seq.eq(event.seq - 1))
        .select((case_events::state, case_events::centre_id))
        .first(conn)
        .optional()?;
    let (from_state, from_centre_id) = before.unzip();
    diesel::update(
        case_events::table
            .filter(case_events::case_id.eq(event.case_id))
            .filter(case_events::seq.eq(event.seq - 1)),
    )
    .set(case_events::superseded_on.eq(event.effective_on))
    .execute(conn)?;
    diesel::insert_into(case_events::table)
        .values((
            case_events::id.eq(crate::db::new_id()),
            case_events::case_id.eq(event.case_id),
            case_events::seq.eq(event.seq),
            case_events::kind.eq(event.kind.as_str()),
            case_events::state.eq(event.state.as_str()),
            case_events::effective_on.eq(event.effective_on),
            case_events::recorded_at.eq(event.at),
            case_events::actor_id.eq(event.actor_id),
            case_events::worker_id.eq(event.worker_id),
            case_events::centre_id.eq(event.centre_id),
            case_events::detail.eq(event.detail),
            case_events::from_state.eq(from_state),
            case_events::from_centre_id.eq(from_centre_id),
            case_events::case_type.eq(breakdown.case_type),
            case_events::unit_kind.eq(breakdown.unit_kind),
            case_events::district.eq(breakdown.district),
            case_events::natures.eq(breakdown.natures),
        ))
        .execute(conn)
        .map(drop)
}

/// The next case number of a centre in a year. The counter's row is written before it
/// is read, so a concurrent opening waits for this transaction instead of reading the
/// same number; the year's first case makes the row, in a savepoint so that losing that
/// race to another opening only means counting on from its row.
pub fn next_case_number(
    conn: &mut DbConnection,
    centre_id: &str,
    year: i64,
) -> QueryResult<String> {
    let bump = |conn: &mut DbConnection| {
        diesel::update(
            case_counters::table
                .filter(case_counters::centre_id.eq(centre_id))
                .filter(case_counters::year.eq(year)),
        )
        .set(case_counters::last_number.eq(case_counters::last_number + 1))
        .execute(conn)
    };
    if bump(conn)? == 0 {
        let first = crate::db::transaction(conn, |conn| {
            diesel::insert_into(case_counters::table)
                .values((
                    case_counters::centre_id.eq(centre_id),
                    case_counters::year.eq(year),
                    case_counters::last_number.eq(1),
                ))
                .execute(conn)
        });
        match first {
            Ok(_) => {}
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => {
                bump(conn)?;
            }
            Err(other) => return Err(other),
        }
    }
    let number: i64 = case_counters::table
        .filter(case_counters::centre_id.eq(centre_id))
        .filter(case_counters::year.eq(year))
        .select(case_counters::last_number)
        .first(conn)?;
    let code: String = centres::table
        .find(centre_id)
        .select(centres::code)
        .first(conn)?;
    Ok(case_number(&code, year, number))
}

/// A case's number: the centre's code, the year and the year's count in the centre.
pub fn case_number(centre_code: &str, year: i64, number: i64) -> String {
    format!("{centre_code}-{year}-{number:05}")
}

pub struct NewCaseRow<'a> {
    pub id: &'a str,
    pub case_number: &'a str,
    pub centre_id: &'a str,
    pub unit_id: &'a str,
    pub client_id: &'a str,
    pub case_type: CaseType,
    pub referral_source: ReferralSource,
    pub responsible_worker_id: &'a str,
    pub state: CaseState,
    pub state_since: NaiveDate,
    pub sensitive: bool,
    pub actor_id: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, case: &NewCaseRow) -> QueryResult<()> {
    diesel::insert_into(cases::table)
        .values((
            cases::id.eq(case.id),
            cases::case_number.eq(case.case_number),
            cases::centre_id.eq(case.centre_id),
            cases::unit_id.eq(case.unit_id),
            cases::client_id.eq(case.client_id),
            cases::case_type.eq(case.case_type.as_str()),
            cases::referral_source.eq(case.referral_source.as_str()),
            cases::responsible_worker_id.eq(case.responsible_worker_id),
            cases::state.eq(case.state.as_str()),
            cases::state_since.eq(case.state_since),
            cases::sensitive.eq(case.sensitive),
            cases::version.eq(1),
            cases::created_by.eq(case.actor_id),
            cases::updated_by.eq(case.actor_id),
            cases::created_at.eq(case.at),
            cases::updated_at.eq(case.at),
        ))
        .execute(conn)?;
    crate::risk::store::insert_case(conn, case.id)?;
    refresh_reach(conn, case.id)
}

/// What a change writes on the case's own row, besides its version and who changed it.
#[derive(AsChangeset, Default)]
#[diesel(table_name = cases)]
pub struct CaseChangeset<'a> {
    pub case_type: Option<&'a str>,
    pub referral_source: Option<&'a str>,
    pub sensitive: Option<bool>,
    pub state: Option<&'a str>,
    pub state_since: Option<NaiveDate>,
    pub closure_reason: Option<Option<&'a str>>,
    pub responsible_worker_id: Option<&'a str>,
    pub centre_id: Option<&'a str>,
    pub unit_id: Option<&'a str>,
}

/// Writes only if the case is still at `expected_version`; answers whether it did. The
/// caller has found the case within its scope in the same transaction.
pub fn update_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    changes: &CaseChangeset,
    actor_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let written = diesel::update(
        cases::table
            .filter(cases::id.eq(id))
            .filter(cases::version.eq(expected_version)),
    )
    .set((
        changes,
        cases::version.eq(expected_version + 1),
        cases::updated_by.eq(actor_id),
        cases::updated_at.eq(at),
    ))
    .execute(conn)?
        == 1;
    if written {
        crate::risk::store::touch_cases(conn, &[id])?;
        if changes.responsible_worker_id.is_some() {
            refresh_reach(conn, id)?;
        } else if changes.sensitive.is_some() {
            let mut people = member_ids(conn, id)?;
            people.extend(
                cases::table
                    .find(id)
                    .select(cases::client_id)
                    .first::<String>(conn)
                    .optional()?,
            );
            mark_sensitive_people(conn, &people)?;
        }
    }
    Ok(written)
}

pub fn replace_co_workers(
    conn: &mut DbConnection,
    case_id: &str,
    user_ids: &[String],
) -> QueryResult<()> {
    diesel::delete(case_workers::table.filter(case_workers::case_id.eq(case_id))).execute(conn)?;
    for user_id in user_ids {
        diesel::insert_into(case_workers::table)
            .values((
                case_workers::case_id.eq(case_id),
                case_workers::user_id.eq(user_id),
            ))
            .execute(conn)?;
    }
    refresh_reach(conn, case_id)
}

/// (case, nature code) of these cases, in the codes' order.
pub fn natures_of(
    conn: &mut DbConnection,
    case_ids: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    case_nature_tags::table
        .filter(case_nature_tags::case_id.eq_any(case_ids))
        .order((case_nature_tags::case_id, case_nature_tags::nature_code))
        .select((case_nature_tags::case_id, case_nature_tags::nature_code))
        .load(conn)
}

pub fn nature_codes(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<String>> {
    case_nature_tags::table
        .filter(case_nature_tags::case_id.eq(case_id))
        .select(case_nature_tags::nature_code)
        .load(conn)
}

pub fn replace_natures(
    conn: &mut DbConnection,
    case_id: &str,
    codes: &[String],
) -> QueryResult<()> {
    crate::risk::store::touch_cases(conn, &[case_id])?;
    diesel::delete(case_nature_tags::table.filter(case_nature_tags::case_id.eq(case_id)))
        .execute(conn)?;
    for code in codes {
        diesel::insert_into(case_nature_tags::table)
            .values((
                case_nature_tags::case_id.eq(case_id),
                case_nature_tags::nature_code.eq(code),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn replace_members(
    conn: &mut DbConnection,
    case_id: &str,
    client_ids: &[String],
) -> QueryResult<()> {
    crate::risk::store::touch_cases(conn, &[case_id])?;
    diesel::delete(case_members::table.filter(case_members::case_id.eq(case_id))).execute(conn)?;
    for client_id in client_ids {
        diesel::insert_into(case_members::table)
            .values((
                case_members::case_id.eq(case_id),
                case_members::client_id.eq(client_id),
            ))
            .execute(conn)?;
    }
    refresh_reach(conn, case_id)
}

/// A member of staff who can hold cases in a centre: active, with a casework role there.
/// Answers their unit, if they have one.
pub fn caseworker_in(
    conn: &mut DbConnection,
    user_id: &str,
    centre_id: &str,
) -> QueryResult<Option<Option<String>>> {
    let casework_roles = [Role::SocialWorker.as_str(), Role::Supervisor.as_str()];
    users::table
        .filter(users::id.eq(user_id))
        .filter(users::centre_id.eq(centre_id))
        .filter(users::active.eq(true))
        .filter(exists(
            user_roles::table
                .filter(user_roles::user_id.eq(users::id))
                .filter(user_roles::role.eq_any(casework_roles)),
        ))
        .select(users::unit_id)
        .first(conn)
        .optional()
}

/// Of the given people, those whose contact details the user may not see.
pub fn contact_withheld(
    conn: &mut DbConnection,
    user_id: &str,
    people: &[&str],
) -> QueryResult<HashSet<String>> {
    if people.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(clients::table
        .filter(one_of(clients::id, people))
        .filter(contact_withheld_from(user_id))
        .select(clients::id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// Whether a client's contact details are withheld from a user: a column of `clients`.
pub type WithheldFrom = Box<dyn BoxableExpression<clients::table, MultiBackend, SqlType = Bool>>;

/// Whether the contact details of a client a query reads are withheld from the user: the
/// client is on a sensitive case (as its client or a member involved, as marked by
/// [`mark_sensitive_people`]) and on no sensitive case the user is assigned to (responsible
/// or co-worker: their reach of it is not through a share). A column, so that a page of
/// clients is read with it in one statement; most clients are on no sensitive case, and for
/// them their row's mark is all that is read.
pub fn contact_withheld_from(user_id: &str) -> WithheldFrom {
    // Each reach row's case is looked up by its key: a list of every sensitive case would
    // be read in full by SQLite for each page, marked clients on it or not.
    let sensitive = cases::table
        .filter(cases::id.eq(case_reach::case_id))
        .filter(cases::sensitive.eq(true))
        .select(cases::id);
    let assigned = case_reach::table
        .filter(case_reach::user_id.eq(user_id.to_owned()))
        .filter(case_reach::client_id.eq(clients::id))
        .filter(case_reach::shared.eq(false))
        .filter(exists(sensitive))
        .select(case_reach::case_id);
    Box::new(clients::on_sensitive_case.and(diesel::dsl::not(exists(assigned))))
}

/// The active caseworkers (social workers and supervisors) of a centre, by name.
pub fn caseworkers_of(conn: &mut DbConnection, centre_id: &str) -> QueryResult<Vec<StaffRef>> {
    let casework_roles = [Role::SocialWorker.as_str(), Role::Supervisor.as_str()];
    let rows: Vec<(String, String)> = users::table
        .filter(users::centre_id.eq(centre_id))
        .filter(users::active.eq(true))
        .filter(exists(
            user_roles::table
                .filter(user_roles::user_id.eq(users::id))
                .filter(user_roles::role.eq_any(casework_roles)),
        ))
        .select((users::id, users::display_name))
        .order((users::display_name, users::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name)| StaffRef { id, display_name })
        .collect())
}

/// The ids of an agency's centres, by code.
pub fn centres_of_agency(conn: &mut DbConnection, agency_id: &str) -> QueryResult<Vec<String>> {
    centres::table
        .filter(centres::agency_id.eq(agency_id))
        .order(centres::code)
        .select(centres::id)
        .load(conn)
}

/// A centre's unit of the given kind.
pub fn unit_of_kind(conn: &mut DbConnection, centre_id: &str, kind: Unit) -> QueryResult<String> {
    units::table
        .filter(units::centre_id.eq(centre_id))
        .filter(units::kind.eq(kind.as_str()))
        .select(units::id)
        .first(conn)
}

pub fn agency_of(conn: &mut DbConnection, centre_id: &str) -> QueryResult<Option<String>> {
    centres::table
        .find(centre_id)
        .select(centres::agency_id)
        .first(conn)
        .optional()
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = case_closure_requests)]
pub struct ClosureRow {
    pub id: String,
    pub closure_reason: String,
    pub closing_summary: String,
    pub closed_on: NaiveDate,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub decision_comment: Option<String>,
}

/// The case's latest closure request, pending or decided.
pub fn latest_closure(conn: &mut DbConnection, case_id: &str) -> QueryResult<Option<ClosureRow>> {
    case_closure_requests::table
        .filter(case_closure_requests::case_id.eq(case_id))
        .order((
            case_closure_requests::requested_at.desc(),
            case_closure_requests::id.desc(),
        ))
        .select(ClosureRow::as_select())
        .first(conn)
        .optional()
}

impl ClosureRow {
    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }

    pub fn closure_reason(&self) -> QueryResult<ClosureReason> {
        stored_code(
            ClosureReason::parse,
            "case_closure_requests.closure_reason",
            &self.closure_reason,
        )
    }

    pub fn into_request(self, conn: &mut DbConnection) -> QueryResult<ClosureRequest> {
        let mut ids = vec![self.requested_by.as_str()];
        ids.extend(self.decided_by.as_deref());
        let staff = staff(conn, &ids)?;
        let decision = match self.status.as_str() {
            "pending" => None,
            status => Some(stored_code(
                Decision::parse,
                "case_closure_requests.status",
                status,
            )?),
        };
        Ok(ClosureRequest {
            closure_reason: self.closure_reason()?,
            requested_by: staff_ref(&staff, &self.requested_by)?,
            decided_by: self
                .decided_by
                .as_deref()
                .map(|id| staff_ref(&staff, id))
                .transpose()?,
            closing_summary: self.closing_summary,
            closed_on: self.closed_on,
            requested_at: utc(self.requested_at),
            decision,
            decided_at: self.decided_at.map(utc),
            decision_comment: self.decision_comment,
        })
    }
}

pub struct NewClosure<'a> {
    pub case_id: &'a str,
    pub closure_reason: ClosureReason,
    pub closing_summary: &'a str,
    pub closed_on: NaiveDate,
    pub actor_id: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert_closure(conn: &mut DbConnection, closure: &NewClosure) -> QueryResult<()> {
    diesel::insert_into(case_closure_requests::table)
        .values((
            case_closure_requests::id.eq(crate::db::new_id()),
            case_closure_requests::case_id.eq(closure.case_id),
            case_closure_requests::closure_reason.eq(closure.closure_reason.as_str()),
            case_closure_requests::closing_summary.eq(closure.closing_summary),
            case_closure_requests::closed_on.eq(closure.closed_on),
            case_closure_requests::requested_by.eq(closure.actor_id),
            case_closure_requests::requested_at.eq(closure.at),
            case_closure_requests::status.eq("pending"),
        ))
        .execute(conn)
        .map(drop)
}

/// Records the decision on a pending request; answers whether it was still pending.
pub fn decide_closure(
    conn: &mut DbConnection,
    request_id: &str,
    decision: Decision,
    comment: Option<&str>,
    actor_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        case_closure_requests::table
            .filter(case_closure_requests::id.eq(request_id))
            .filter(case_closure_requests::status.eq("pending")),
    )
    .set((
        case_closure_requests::status.eq(decision.as_str()),
        case_closure_requests::decided_by.eq(actor_id),
        case_closure_requests::decided_at.eq(at),
        case_closure_requests::decision_comment.eq(comment),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = case_transfers)]
pub struct TransferRow {
    pub id: String,
    pub case_id: String,
    pub from_worker_id: String,
    pub from_centre_id: String,
    pub to_worker_id: Option<String>,
    pub to_centre_id: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
}

pub fn pending_transfer(
    conn: &mut DbConnection,
    case_id: &str,
) -> QueryResult<Option<TransferRow>> {
    case_transfers::table
        .filter(case_transfers::case_id.eq(case_id))
        .filter(case_transfers::status.eq("pending"))
        .select(TransferRow::as_select())
        .first(conn)
        .optional()
}

impl TransferRow {
    pub fn into_request(self, conn: &mut DbConnection) -> QueryResult<TransferRequest> {
        let mut ids = vec![self.requested_by.as_str()];
        ids.extend(self.to_worker_id.as_deref());
        let staff = staff(conn, &ids)?;
        Ok(TransferRequest {
            to_worker: self
                .to_worker_id
                .as_deref()
                .map(|id| staff_ref(&staff, id))
                .transpose()?,
            requested_by: staff_ref(&staff, &self.requested_by)?,
            to_centre_id: self.to_centre_id,
            reason: self.reason,
            requested_at: utc(self.requested_at),
        })
    }
}

pub struct NewTransfer<'a> {
    pub case_id: &'a str,
    pub from_worker_id: &'a str,
    pub from_centre_id: &'a str,
    pub to_worker_id: Option<&'a str>,
    pub to_centre_id: &'a str,
    pub reason: &'a str,
    pub actor_id: &'a str,
    pub at: NaiveDateTime,
}

pub fn insert_transfer(conn: &mut DbConnection, transfer: &NewTransfer) -> QueryResult<()> {
    diesel::insert_into(case_transfers::table)
        .values((
            case_transfers::id.eq(crate::db::new_id()),
            case_transfers::case_id.eq(transfer.case_id),
            case_transfers::from_worker_id.eq(transfer.from_worker_id),
            case_transfers::from_centre_id.eq(transfer.from_centre_id),
            case_transfers::to_worker_id.eq(transfer.to_worker_id),
            case_transfers::to_centre_id.eq(transfer.to_centre_id),
            case_transfers::reason.eq(transfer.reason),
            case_transfers::requested_by.eq(transfer.actor_id),
            case_transfers::requested_at.eq(transfer.at),
            case_transfers::status.eq("pending"),
        ))
        .execute(conn)
        .map(drop)
}

/// Records the receiver's answer; answers whether the transfer was still pending.
pub fn answer_transfer(
    conn: &mut DbConnection,
    transfer_id: &str,
    status: &str,
    comment: Option<&str>,
    actor_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        case_transfers::table
            .filter(case_transfers::id.eq(transfer_id))
            .filter(case_transfers::status.eq("pending")),
    )
    .set((
        case_transfers::status.eq(status),
        case_transfers::decided_by.eq(actor_id),
        case_transfers::decided_at.eq(at),
        case_transfers::decision_comment.eq(comment),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Transfers waiting for this user: named to them, or, for a supervisor, sent to their
/// centre without a worker named.
pub fn transfers_awaiting(
    conn: &mut DbConnection,
    user_id: &str,
    supervised_centre: Option<&str>,
) -> QueryResult<Vec<TransferRow>> {
    let mut query = case_transfers::table
        .filter(case_transfers::status.eq("pending"))
        .into_boxed();
    query = match supervised_centre {
        Some(centre_id) => query.filter(
            case_transfers::to_worker_id
                .eq(user_id.to_owned())
                .or(case_transfers::to_centre_id
                    .eq(centre_id.to_owned())
                    .and(case_transfers::to_worker_id.is_null())),
        ),
        None => query.filter(case_transfers::to_worker_id.eq(user_id.to_owned())),
    };
    query
        .order(case_transfers::requested_at)
        .select(TransferRow::as_select())
        .load(conn)
}

/// Open cases of a scope without a contact note since `since`, opened on or before
/// `opened_by` (a new case is not overdue yet), the longest without first.
pub fn notes_overdue(
    conn: &mut DbConnection,
    scope: &RecordScope,
    since: NaiveDateTime,
    opened_by: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<CaseRow>> {
    within(scope)
        .filter(cases::state.eq(CaseState::Open.as_str()))
        .filter(cases::state_since.le(opened_by))
        .filter(diesel::dsl::not(exists(
            case_notes::table
                .filter(case_notes::case_id.eq(cases::id))
                .filter(case_notes::contact_at.ge(since)),
        )))
        .order((cases::state_since.asc(), cases::id.asc()))
        .limit(limit)
        .select(CaseRow::as_select())
        .load(conn)
}

pub fn count_in_state(
    conn: &mut DbConnection,
    scope: &RecordScope,
    state: CaseState,
) -> QueryResult<i64> {
    within(scope)
        .filter(cases::state.eq(state.as_str()))
        .count()
        .get_result(conn)
}

/// Open cases of a centre by responsible worker and case type.
pub fn open_by_worker(
    conn: &mut DbConnection,
    centre_id: &str,
) -> QueryResult<Vec<(String, String, i64)>> {
    cases::table
        .filter(cases::centre_id.eq(centre_id))
        .filter(cases::state.eq(CaseState::Open.as_str()))
        .group_by((cases::responsible_worker_id, cases::case_type))
        .select((
            cases::responsible_worker_id,
            cases::case_type,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// A case by id whatever the scope: only for the receiver of a transfer, whom the
/// service has checked against the transfer itself.
pub fn case_by_id(conn: &mut DbConnection, id: &str) -> QueryResult<CaseRow> {
    cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)
}

pub fn remove_co_workers_outside(
    conn: &mut DbConnection,
    case_id: &str,
    centre_id: &str,
) -> QueryResult<usize> {
    let removed = diesel::delete(
        case_workers::table
            .filter(case_workers::case_id.eq(case_id))
            .filter(diesel::dsl::not(
                case_workers::user_id.eq_any(
                    users::table
                        .filter(users::centre_id.eq(centre_id))
                        .select(users::id),
                ),
            )),
    )
    .execute(conn)?;
    refresh_reach(conn, case_id)?;
    Ok(removed)
}

/// Moves one person's cases and case memberships to another record of them (a merge);
/// a membership the other record already has, or of its own case, is dropped. Answers
/// how many cases and memberships moved.
pub fn move_client(conn: &mut DbConnection, from: &str, to: &str) -> QueryResult<(usize, usize)> {
    let touched: Vec<String> = case_reach::table
        .filter(case_reach::client_id.eq(from))
        .select(case_reach::case_id)
        .distinct()
        .load(conn)?;
    let cases_moved = diesel::update(cases::table.filter(cases::client_id.eq(from)))
        .set(cases::client_id.eq(to))
        .execute(conn)?;
    let mut held: Vec<String> = case_members::table
        .filter(case_members::client_id.eq(to))
        .select(case_members::case_id)
        .load(conn)?;
    held.extend(
        cases::table
            .filter(cases::client_id.eq(to))
            .select(cases::id)
            .load::<String>(conn)?,
    );
    diesel::delete(
        case_members::table
            .filter(case_members::client_id.eq(from))
            .filter(case_members::case_id.eq_any(&held)),
    )
    .execute(conn)?;
    let members_moved =
        diesel::update(case_members::table.filter(case_members::client_id.eq(from)))
            .set(case_members::client_id.eq(to))
            .execute(conn)?;
    for case_id in &touched {
        refresh_reach(conn, case_id)?;
    }
    Ok((cases_moved, members_moved))
}
