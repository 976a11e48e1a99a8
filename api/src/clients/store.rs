//! Database access for client records. Every read starts from the clients a
//! [`RecordScope`] reaches.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use common::clients::{Client, ClientDetails, ClientSearch, Sex};
use common::districts::District;
use common::person::{disabilities_code, parse_disabilities, Ethnicity, Language};
use diesel::prelude::*;

use crate::db::schema::{case_reach, client_merges, client_name_keys, clients, users};
use crate::db::{one_of, unreadable, utc, DbConnection, MultiBackend};
use crate::identity::RecordScope;
use crate::search::{self, postings};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = clients)]
pub struct ClientRow {
    pub id: String,
    pub centre_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub sex: String,
    pub date_of_birth: NaiveDate,
    pub date_of_birth_estimated: bool,
    pub phone: String,
    pub district: Option<String>,
    pub hkid_masked: Option<String>,
    pub hkid_hash: Option<String>,
    pub ethnicity: Option<String>,
    pub preferred_language: Option<String>,
    pub disabilities: String,
    pub arrived_on: Option<NaiveDate>,
    pub school: String,
    pub merged_into: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Reads a stored code of a closed list; one that no longer parses is an error.
fn code<T>(
    column: &str,
    stored: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, diesel::result::Error> {
    stored
        .map(|code| parse(code).ok_or_else(|| unreadable(column, code)))
        .transpose()
}

impl TryFrom<ClientRow> for Client {
    type Error = diesel::result::Error;

    fn try_from(row: ClientRow) -> Result<Client, Self::Error> {
        Ok(Client {
            sex: Sex::parse(&row.sex).ok_or_else(|| unreadable("clients.sex", &row.sex))?,
            district: code(
                "clients.district",
                row.district.as_deref(),
                District::from_code,
            )?,
            ethnicity: code(
                "clients.ethnicity",
                row.ethnicity.as_deref(),
                Ethnicity::parse,
            )?,
            preferred_language: code(
                "clients.preferred_language",
                row.preferred_language.as_deref(),
                Language::parse,
            )?,
            disabilities: parse_disabilities(&row.disabilities)
                .map_err(|bad| unreadable("clients.disabilities", &bad))?,
            date_of_birth_estimated: row.date_of_birth_estimated,
            arrived_on: row.arrived_on,
            school: row.school,
            merged_into: row.merged_into,
            id: row.id,
            centre_id: row.centre_id,
            name_zh: row.name_zh,
            name_en: row.name_en,
            date_of_birth: row.date_of_birth,
            phone: row.phone,
            hkid_masked: row.hkid_masked,
            contact_withheld: false,
            version: row.version,
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        })
    }
}

/// The stored form of a client's HKID: masked for display, keyed hash for matching.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHkid {
    pub masked: Option<String>,
    pub hash: Option<String>,
}

/// How a search term can match: name/phone text, a masked HKID prefix, a full HKID hash.
#[derive(Debug, Clone, Default)]
pub struct SearchTerms {
    pub text: Option<String>,
    pub hkid_prefix: Option<String>,
    pub hkid_hash: Option<String>,
}

pub struct Write<'a> {
    pub details: &'a ClientDetails,
    pub hkid: &'a StoredHkid,
    pub actor_id: &'a str,
    pub at: NaiveDateTime,
}

/// The columns a registration and an edit both write.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
struct Written<'a> {
    name_zh: &'a str,
    name_en: &'a str,
    sex: &'a str,
    date_of_birth: NaiveDate,
    date_of_birth_estimated: bool,
    phone: &'a str,
    district: Option<&'a str>,
    hkid_masked: Option<&'a str>,
    hkid_hash: Option<&'a str>,
    ethnicity: Option<&'a str>,
    preferred_language: Option<&'a str>,
    disabilities: String,
    arrived_on: Option<NaiveDate>,
    school: &'a str,
    updated_by: &'a str,
    updated_at: NaiveDateTime,
}

impl<'a> From<&'a Write<'a>> for Written<'a> {
    fn from(write: &'a Write<'a>) -> Self {
        let d = write.details;
        Written {
            name_zh: &d.name_zh,
            name_en: &d.name_en,
            sex: d.sex.as_str(),
            date_of_birth: d.date_of_birth,
            date_of_birth_estimated: d.date_of_birth_estimated,
            phone: &d.phone,
            district: d.district.map(District::code),
            ethnicity: d.ethnicity.map(Ethnicity::as_str),
            preferred_language: d.preferred_language.map(Language::as_str),
            disabilities: disabilities_code(&d.disabilities),
            arrived_on: d.arrived_on,
            school: &d.school,
            hkid_masked: write.hkid.masked.as_deref(),
            hkid_hash: write.hkid.hash.as_deref(),
            updated_by: write.actor_id,
            updated_at: write.at,
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    centre_id: &str,
    write: &Write,
) -> QueryResult<()> {
    diesel::insert_into(clients::table)
        .values((
            Written::from(write),
            clients::id.eq(id),
            clients::centre_id.eq(centre_id),
            clients::version.eq(1),
            clients::created_by.eq(write.actor_id),
            clients::created_at.eq(write.at),
            // What the client is searched by is written by its indexing.
            clients::search_text.eq(""),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A new client of a bulk load: its id, centre, what a registration writes, and what it
/// is searched by (its postings are the caller's).
pub struct NewClient<'a> {
    pub id: &'a str,
    pub centre_id: &'a str,
    pub write: Write<'a>,
    pub search_text: String,
    pub search_seq: i64,
}

/// Registers many clients, as many to a statement as fit (the seed's bulk load); their
/// name keys and postings are the caller's.
pub fn insert_many(conn: &mut DbConnection, clients: &[NewClient]) -> QueryResult<()> {
    // The registration's columns plus id, centre, version, created_by, created_at and
    // what the client is searched by.
    const COLUMNS: usize = 16 + 7;
    for chunk in clients.chunks(crate::db::rows_per_statement(COLUMNS)) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|c| {
                (
                    Written::from(&c.write),
                    clients::id.eq(c.id),
                    clients::centre_id.eq(c.centre_id),
                    clients::version.eq(1_i64),
                    clients::created_by.eq(c.write.actor_id),
                    clients::created_at.eq(c.write.at),
                    clients::search_text.eq(&c.search_text),
                    clients::search_seq.eq(c.search_seq),
                )
            })
            .collect();
        crate::insert_rows!(conn, clients::table, rows)?;
    }
    Ok(())
}

/// Writes only if the record is still at `expected_version`; answers how many rows
/// changed. The caller has found the record within its scope in the same transaction.
pub fn update_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    write: &Write,
) -> QueryResult<usize> {
    // A date of birth decides who in the household is a child.
    crate::risk::store::touch_household_of(conn, id)?;
    diesel::update(
        clients::table
            .filter(clients::id.eq(id))
            .filter(clients::version.eq(expected_version)),
    )
    .set((
        Written::from(write),
        clients::version.eq(expected_version + 1),
    ))
    .execute(conn)
}

/// The clients of the scope's centres, before the owner's part.
fn of_centres(scope: &RecordScope) -> clients::BoxedQuery<'static, MultiBackend> {
    let query = clients::table.into_boxed();
    match scope.centres.condition(clients::centre_id) {
        Some(of_centres) => query.filter(of_centres),
        None => query,
    }
}

/// The clients a scope reaches, merged records (tombstones) among them: only a record's
/// own page shows a tombstone, to point to where the person is now.
fn reachable(scope: &RecordScope) -> clients::BoxedQuery<'static, MultiBackend> {
    match &scope.owner_id {
        Some(owner) => {
            of_centres(scope).filter(crate::cases::store::clients_of(owner, scope.access))
        }
        None => of_centres(scope),
    }
}

/// The live clients a scope reaches: the query every read here starts from.
fn within(scope: &RecordScope) -> clients::BoxedQuery<'static, MultiBackend> {
    reachable(scope).filter(clients::merged_into.is_null())
}

/// A client the scope reaches, a tombstone included.
pub fn find_record(
    conn: &mut DbConnection,
    id: &str,
    scope: &RecordScope,
) -> QueryResult<Option<ClientRow>> {
    reachable(scope)
        .filter(clients::id.eq(id))
        .select(ClientRow::as_select())
        .first(conn)
        .optional()
}

/// A live client the scope reaches.
pub fn find(
    conn: &mut DbConnection,
    id: &str,
    scope: &RecordScope,
) -> QueryResult<Option<ClientRow>> {
    within(scope)
        .filter(clients::id.eq(id))
        .select(ClientRow::as_select())
        .first(conn)
        .optional()
}

/// Of the given clients, those the scope reaches.
pub fn reached_among(
    conn: &mut DbConnection,
    ids: &[&str],
    scope: &RecordScope,
) -> QueryResult<Vec<String>> {
    within(scope)
        .filter(one_of(clients::id, ids))
        .select(clients::id)
        .load(conn)
}

/// The clients a search finds in the scope, by number, ascending: those whose names or
/// phone hold its text, or whose HKID it may be or begin; with the rows, as `viewer` is
/// shown them, of those a check of the text read on the way. Names are looked up in the
/// centres' posting lists; a worker's finds are those among their own clients (`reach`,
/// if the caller kept it; else read).
fn found(
    conn: &mut DbConnection,
    lists: &postings::KeptLists,
    scope: &RecordScope,
    viewer: &str,
    terms: &SearchTerms,
    reach: Option<&[i64]>,
    wanted: usize,
) -> QueryResult<(search::Checked, Vec<(i64, ShownRow)>)> {
    let (mut found, read) = match &terms.text {
        Some(text) => found_by_text(conn, lists, scope, viewer, text, reach, wanted)?,
        None => Default::default(),
    };
    // An HKID's matches are exact and few: with the text's, the newest `wanted` are
    // still all checked, as the text's unchecked candidates are older than any it kept.
    if let Some(prefix) = &terms.hkid_prefix {
        found.kept.extend(seqs_of(
            conn,
            within(scope).filter(
                clients::hkid_masked
                    .ge(prefix.clone())
                    .and(clients::hkid_masked.lt(format!("{prefix}~"))),
            ),
        )?);
    }
    if let Some(hash) = &terms.hkid_hash {
        found.kept.extend(seqs_of(
            conn,
            within(scope).filter(clients::hkid_hash.eq(hash.clone())),
        )?);
    }
    found.kept.sort_unstable();
    found.kept.dedup();
    Ok((found, read))
}

fn seqs_of(
    conn: &mut DbConnection,
    query: clients::BoxedQuery<'static, MultiBackend>,
) -> QueryResult<Vec<i64>> {
    Ok(query
        .select(clients::search_seq)
        .load::<Option<i64>>(conn)?
        .into_iter()
        .flatten()
        .collect())
}

fn found_by_text(
    conn: &mut DbConnection,
    lists: &postings::KeptLists,
    scope: &RecordScope,
    viewer: &str,
    text: &str,
    reach: Option<&[i64]>,
    wanted: usize,
) -> QueryResult<(search::Checked, Vec<(i64, ShownRow)>)> {
    let unread = |seqs| (search::Checked::all(seqs), Vec::new());
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        // The start of a phone number: a range of the phone index.
        return seqs_of(
            conn,
            within(scope).filter(
                clients::phone
                    .ge(digits.clone())
                    .and(clients::phone.lt(format!("{digits}~"))),
            ),
        )
        .map(unread);
    }
    let holds = clients::search_text
        .like(search::contains_pattern(text))
        .escape('\\');
    let (grams, exact) = search::name_query(text);
    if grams.is_empty() {
        return seqs_of(conn, within(scope).filter(holds)).map(unread);
    }
    let centre_ids = search::centre_ids(conn, &scope.centres)?;
    let read;
    let reach = match (&scope.owner_id, reach) {
        (None, _) => None,
        (Some(_), Some(kept)) => Some(kept),
        (Some(owner), None) => {
            read = reached(conn, scope, owner)?;
            Some(read.as_slice())
        }
    };
    let candidates = postings::under_all(
        conn,
        lists,
        super::service::SEARCH_KIND,
        &centre_ids,
        &grams,
        usize::MAX,
        reach,
    )?;
    if exact {
        return Ok(unread(candidates));
    }
    // The candidates are within the worker's reach already: only their text is checked,
    // and the rows of those that hold it are read in the same statement.
    search::checked(&candidates, wanted, |batch, at_most| {
        numbered(scope, batch)
            .filter(holds.clone())
            .order(clients::search_seq.desc())
            .limit(at_most as i64)
            .select((clients::search_seq.assume_not_null(), shown(viewer)))
            .load(conn)
    })
}

/// The numbers of a worker's live clients in the scope's centres, ascending: those they
/// registered and those their cases reach, each read as one index range.
pub fn reached(conn: &mut DbConnection, scope: &RecordScope, owner: &str) -> QueryResult<Vec<i64>> {
    let centre_ids = search::centre_ids(conn, &scope.centres)?;
    let mut seqs = seqs_of(
        conn,
        of_centres(scope)
            .filter(clients::created_by.eq(owner.to_owned()))
            .filter(clients::merged_into.is_null()),
    )?;
    seqs.extend(
        crate::cases::store::reach_of(owner.to_owned(), scope.access)
            .filter(one_of(case_reach::centre_id, &centre_ids))
            .select(case_reach::search_seq)
            .load::<Option<i64>>(conn)?
            .into_iter()
            .flatten(),
    );
    seqs.sort_unstable();
    seqs.dedup();
    Ok(seqs)
}

/// The clients of the scope with the given numbers: those of its lists [`found`] read.
fn numbered(scope: &RecordScope, seqs: &[i64]) -> clients::BoxedQuery<'static, MultiBackend> {
    // The numbers come from the scope's reach: its centres are check enough, and cheaper
    // than a worker's whole reach again.
    of_centres(scope)
        .filter(clients::merged_into.is_null())
        .filter(one_of(clients::search_seq, seqs))
}

fn is_empty(terms: &SearchTerms) -> bool {
    terms.text.is_none() && terms.hkid_prefix.is_none() && terms.hkid_hash.is_none()
}

/// A client as a page shows it to a viewer: whether its contact details are withheld
/// from them is read with it.
pub type ShownRow = (ClientRow, bool);

/// A client's row and whether its contact details are withheld from `viewer`.
fn shown(
    viewer: &str,
) -> (
    diesel::dsl::AsSelect<ClientRow, MultiBackend>,
    crate::cases::store::WithheldFrom,
) {
    (
        ClientRow::as_select(),
        crate::cases::store::contact_withheld_from(viewer),
    )
}

/// The rows of the clients numbered `seqs`, in that order: those read already, and the
/// others read now.
fn rows_of(
    conn: &mut DbConnection,
    scope: &RecordScope,
    viewer: &str,
    seqs: &[i64],
    read: Vec<(i64, ShownRow)>,
) -> QueryResult<Vec<ShownRow>> {
    let mut rows: HashMap<i64, ShownRow> = read.into_iter().collect();
    let unread: Vec<i64> = seqs
        .iter()
        .filter(|seq| !rows.contains_key(seq))
        .copied()
        .collect();
    for batch in unread.chunks(10_000) {
        rows.extend(
            numbered(scope, batch)
                .select((clients::search_seq.assume_not_null(), shown(viewer)))
                .load::<(i64, ShownRow)>(conn)?,
        );
    }
    Ok(seqs.iter().filter_map(|seq| rows.remove(seq)).collect())
}

/// A page of the clients a search matches, as `viewer` is shown them, and how many match
/// in all: the most recently written first. `reach`: a worker's, as [`reached`] read it,
/// if the caller kept it.
pub fn search(
    conn: &mut DbConnection,
    lists: &postings::KeptLists,
    scope: &RecordScope,
    viewer: &str,
    terms: &SearchTerms,
    search: &ClientSearch,
    reach: Option<&[i64]>,
) -> QueryResult<(Vec<ShownRow>, search::Counted)> {
    if is_empty(terms) {
        let total = within(scope).count().get_result(conn)?;
        let rows = within(scope)
            .order((clients::updated_at.desc(), clients::id.desc()))
            .limit(search.per_page)
            .offset((search.page - 1) * search.per_page)
            .select(shown(viewer))
            .load(conn)?;
        return Ok((rows, search::Counted::exactly(total)));
    }
    // A page checks only the candidates it needs: its total may then be "at most".
    let wanted = (search.page * search.per_page) as usize;
    let (found, read) = found(conn, lists, scope, viewer, terms, reach, wanted)?;
    let page = search::page_of(&found.kept, (search.page, search.per_page));
    Ok((rows_of(conn, scope, viewer, &page, read)?, found.counted()))
}

/// Everything a search matches, as `viewer` is shown it, for export, by English name, at
/// most `limit`; and how many match in all.
pub fn all_matching(
    conn: &mut DbConnection,
    lists: &postings::KeptLists,
    scope: &RecordScope,
    viewer: &str,
    terms: &SearchTerms,
    limit: i64,
) -> QueryResult<(Vec<ShownRow>, i64)> {
    let by_name = (clients::name_en.asc(), clients::id.asc());
    if is_empty(terms) {
        let total = within(scope).count().get_result(conn)?;
        let rows = within(scope)
            .order(by_name)
            .limit(limit)
            .select(shown(viewer))
            .load(conn)?;
        return Ok((rows, total));
    }
    // Every match is wanted: an export takes them all, and says how many there are.
    let (found, read) = found(conn, lists, scope, viewer, terms, None, usize::MAX)?;
    let mut rows = rows_of(conn, scope, viewer, &found.kept, read)?;
    rows.sort_by(|(a, _), (b, _)| (&a.name_en, &a.id).cmp(&(&b.name_en, &b.id)));
    rows.truncate(limit as usize);
    Ok((rows, found.kept.len() as i64))
}

/// Replaces a client's name keys: in the transaction of its registration or edit.
pub fn replace_name_keys(
    conn: &mut DbConnection,
    client_id: &str,
    centre_id: &str,
    keys: &BTreeSet<String>,
) -> QueryResult<()> {
    diesel::delete(client_name_keys::table.filter(client_name_keys::client_id.eq(client_id)))
        .execute(conn)?;
    // One statement per key: MultiBackend has no multi-row insert for SQLite.
    for key in keys {
        diesel::insert_into(client_name_keys::table)
            .values((
                client_name_keys::client_id.eq(client_id),
                client_name_keys::centre_id.eq(centre_id),
                client_name_keys::name_key.eq(key),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A client registered before an index was kept: id, centre and names.
pub type Unindexed = (String, String, String, String);

/// Live clients without a number or name keys, after `after_id` in id order. Not scoped:
/// this is the server's own upkeep, run when it migrates.
pub fn unindexed(
    conn: &mut DbConnection,
    after_id: &str,
    limit: i64,
) -> QueryResult<Vec<Unindexed>> {
    clients::table
        .filter(clients::id.gt(after_id))
        .filter(clients::merged_into.is_null())
        .filter(
            clients::search_seq
                .is_null()
                .or(diesel::dsl::not(diesel::dsl::exists(
                    client_name_keys::table.filter(client_name_keys::client_id.eq(clients::id)),
                ))),
        )
        .order(clients::id.asc())
        .limit(limit)
        .select((
            clients::id,
            clients::centre_id,
            clients::name_zh,
            clients::name_en,
        ))
        .load(conn)
}

/// What a client is indexed under now: its number and searched text.
pub fn indexed_as(conn: &mut DbConnection, id: &str) -> QueryResult<Option<(i64, String)>> {
    Ok(clients::table
        .find(id)
        .select((clients::search_seq, clients::search_text))
        .first::<(Option<i64>, String)>(conn)
        .optional()?
        .and_then(|(seq, text)| seq.map(|seq| (seq, text))))
}

/// Records what a client is indexed under: a number and text, or no number (a tombstone).
pub fn set_indexed(
    conn: &mut DbConnection,
    id: &str,
    indexed: Option<(i64, &str)>,
) -> QueryResult<()> {
    let update = diesel::update(clients::table.find(id));
    match indexed {
        Some((seq, text)) => update
            .set((clients::search_seq.eq(seq), clients::search_text.eq(text)))
            .execute(conn),
        None => update
            .set(clients::search_seq.eq(None::<i64>))
            .execute(conn),
    }
    .map(drop)
}

/// The clients of `centre_id` sharing the most of `keys`, most shared first, at most
/// `limit`: a common surname alone does not crowd out the same full name.
pub fn sharing_name_keys(
    conn: &mut DbConnection,
    centre_id: &str,
    keys: &[String],
    limit: i64,
) -> QueryResult<Vec<String>> {
    use diesel::dsl::count_star;
    client_name_keys::table
        .filter(client_name_keys::centre_id.eq(centre_id))
        .filter(one_of(client_name_keys::name_key, keys))
        .group_by(client_name_keys::client_id)
        .select(client_name_keys::client_id)
        .order((count_star().desc(), client_name_keys::client_id.asc()))
        .limit(limit)
        .load(conn)
}

/// What a registration form gives to look for the same person: each part found by index.
#[derive(Debug, Default)]
pub struct MatchTerms {
    pub hkid_hash: Option<String>,
    pub phone: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub client_ids: Vec<String>,
}

/// The clients of the scope with the same HKID hash, phone or date of birth, or among
/// `client_ids`, each at most once and at most `limit` by each part. One indexed query per
/// part, and per id: with an OR of them, or a list of ids, SQLite's planner (without
/// statistics) scans the whole centre instead.
pub fn match_candidates(
    conn: &mut DbConnection,
    scope: &RecordScope,
    terms: &MatchTerms,
    limit: i64,
) -> QueryResult<Vec<ClientRow>> {
    let mut parts = Vec::new();
    if let Some(hash) = &terms.hkid_hash {
        parts.push(within(scope).filter(clients::hkid_hash.eq(hash)));
    }
    if let Some(phone) = &terms.phone {
        parts.push(within(scope).filter(clients::phone.eq(phone)));
    }
    if let Some(date) = terms.date_of_birth {
        parts.push(within(scope).filter(clients::date_of_birth.eq(date)));
    }
    for id in terms.client_ids.iter().take(limit as usize) {
        parts.push(within(scope).filter(clients::id.eq(id)));
    }
    let mut found: Vec<ClientRow> = Vec::new();
    for part in parts {
        for row in part
            .limit(limit)
            .select(ClientRow::as_select())
            .load::<ClientRow>(conn)?
        {
            if !found.iter().any(|seen| seen.id == row.id) {
                found.push(row);
            }
        }
    }
    Ok(found)
}

/// Makes a record the tombstone of a merge, if still at `expected_version`; its HKID's
/// hash goes (the survivor may take it), its masked form stays to explain the record.
pub fn tombstone(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    survivor_id: &str,
    actor_id: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        clients::table
            .filter(clients::id.eq(id))
            .filter(clients::version.eq(expected_version)),
    )
    .set((
        clients::merged_into.eq(survivor_id),
        clients::hkid_hash.eq(None::<String>),
        clients::version.eq(expected_version + 1),
        clients::updated_by.eq(actor_id),
        clients::updated_at.eq(at),
    ))
    .execute(conn)
}

#[derive(Insertable)]
#[diesel(table_name = client_merges)]
pub struct NewMerge<'a> {
    pub id: &'a str,
    pub survivor_id: &'a str,
    pub absorbed_id: &'a str,
    pub reason: &'a str,
    pub moved: String,
    pub merged_by: &'a str,
    pub merged_at: NaiveDateTime,
}

pub fn insert_merge(conn: &mut DbConnection, merge: &NewMerge) -> QueryResult<()> {
    diesel::insert_into(client_merges::table)
        .values(merge)
        .execute(conn)
        .map(|_| ())
}

diesel::alias!(clients as survivor: Survivor, clients as absorbed: Absorbed);

/// A stored merge, with the names of both records and of who merged them.
pub type MergeRow = (
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    (String, String),
    (String, String),
    String,
);

/// The merges a record took part in, either way, oldest first.
pub fn merges_of(conn: &mut DbConnection, client_id: &str) -> QueryResult<Vec<MergeRow>> {
    client_merges::table
        .inner_join(users::table)
        .inner_join(survivor.on(survivor.field(clients::id).eq(client_merges::survivor_id)))
        .inner_join(absorbed.on(absorbed.field(clients::id).eq(client_merges::absorbed_id)))
        .filter(
            client_merges::survivor_id
                .eq(client_id)
                .or(client_merges::absorbed_id.eq(client_id)),
        )
        .order(client_merges::merged_at)
        .select((
            client_merges::id,
            client_merges::survivor_id,
            client_merges::absorbed_id,
            client_merges::reason,
            client_merges::moved,
            client_merges::merged_at,
            (
                survivor.field(clients::name_zh),
                survivor.field(clients::name_en),
            ),
            (
                absorbed.field(clients::name_zh),
                absorbed.field(clients::name_en),
            ),
            users::display_name,
        ))
        .load(conn)
}
