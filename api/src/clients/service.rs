//! The rules for client records. Handlers call these; nothing else writes clients.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{FixedOffset, NaiveDate, Utc};
use common::clients::{
    normalise_search, Client, ClientForm, ClientMatches, ClientPage, ClientQuery, HkidChange,
    MatchCandidate, MatchQuery,
};
use common::districts::District;
use common::hkid::{masked_search_prefix, Hkid};
use common::identity::Access;
use common::person::{disabilities_code, Ethnicity, Language};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::store::{self, MatchTerms, SearchTerms, StoredHkid, Write};
use super::{matching, names};
use crate::audit::{self, Actor, ReadAudit};
use crate::db::{self, new_id, now, DbConnection};
use crate::error::ApiError;
use crate::identity::{Centres, RecordScope};
use crate::kept::Kept;
use crate::search::{self, postings};

/// Clients' entries in the search index.
pub const SEARCH_KIND: &str = "client";

/// Who acts, on which records, with which HKID key.
pub struct Scope<'a> {
    pub records: &'a RecordScope,
    pub actor: &'a Actor,
    pub hkid_key: &'a [u8],
}

impl Scope<'_> {
    pub fn actor_id(&self) -> Result<&str, ApiError> {
        self.actor
            .user_id
            .as_deref()
            .ok_or(ApiError::Unauthenticated)
    }

    fn hash(&self, hkid: &Hkid) -> String {
        hkid_hash(self.hkid_key, hkid)
    }
}

/// The keyed hash an HKID is stored and matched by.
pub fn hkid_hash(key: &[u8], hkid: &Hkid) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(hkid.canonical().as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Dates of birth are judged by the calendar in Hong Kong, not in UTC.
pub fn hong_kong_today() -> NaiveDate {
    let hkt = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    Utc::now().with_timezone(&hkt).date_naive()
}

fn parse(form: &ClientForm) -> Result<common::clients::ClientDetails, ApiError> {
    form.parse(hong_kong_today()).map_err(ApiError::Validation)
}

fn changed_fields(before: &store::ClientRow, after: &Client) -> Vec<&'static str> {
    [
        ("name_zh", before.name_zh != after.name_zh),
        ("name_en", before.name_en != after.name_en),
        ("sex", before.sex != after.sex.as_str()),
        ("date_of_birth", before.date_of_birth != after.date_of_birth),
        ("phone", before.phone != after.phone),
        (
            "district",
            before.district.as_deref() != after.district.map(District::code),
        ),
        ("hkid", before.hkid_masked != after.hkid_masked),
        (
            "ethnicity",
            before.ethnicity.as_deref() != after.ethnicity.map(Ethnicity::as_str),
        ),
        (
            "preferred_language",
            before.preferred_language.as_deref() != after.preferred_language.map(Language::as_str),
        ),
        (
            "disabilities",
            before.disabilities != disabilities_code(&after.disabilities),
        ),
        ("arrived_on", before.arrived_on != after.arrived_on),
        ("school", before.school != after.school),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect()
}

/// The same HKID twice in one centre is refused by the database's unique index on
/// (centre, HKID hash), which no two racing registrations can slip past.
fn hkid_taken_or(error: diesel::result::Error) -> ApiError {
    match error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => ApiError::Conflict {
            code: "duplicate_hkid",
            message: "Another client of this centre has this HKID".into(),
            field: Some("hkid".into()),
        },
        other => other.into(),
    }
}

pub fn create(
    conn: &mut DbConnection,
    scope: &Scope,
    form: &ClientForm,
) -> Result<Client, ApiError> {
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new client has no version",
        ));
    }
    let details = parse(form)?;
    let hkid = match &details.hkid {
        HkidChange::Set(hkid) => StoredHkid {
            masked: Some(hkid.masked()),
            hash: Some(scope.hash(hkid)),
        },
        HkidChange::Keep | HkidChange::Remove => StoredHkid {
            masked: None,
            hash: None,
        },
    };
    let id = new_id();
    let write = Write {
        details: &details,
        hkid: &hkid,
        actor_id: scope.actor_id()?,
        at: now(),
    };
    let centre_id = scope.records.home_centre()?;
    db::transaction(conn, |conn| {
        store::insert(conn, &id, centre_id, &write).map_err(hkid_taken_or)?;
        index(conn, &id, centre_id, &details.name_zh, &details.name_en)?;
        audit::record(
            conn,
            scope.actor,
            "client.create",
            ("client", Some(&id)),
            None,
        )?;
        let row = store::find(conn, &id, scope.records)?.ok_or(ApiError::NotFound)?;
        Ok(Client::try_from(row)?)
    })
}

pub fn update(
    conn: &mut DbConnection,
    scope: &Scope,
    id: &str,
    form: &ClientForm,
) -> Result<Client, ApiError> {
    let today = hong_kong_today();
    let parsed = form.parse(today);
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if form.version.is_none() {
        errors.add("version", "required", "Version is required to edit");
    }
    let (Ok(mut details), Some(expected_version)) = (parsed, form.version) else {
        return Err(ApiError::Validation(errors));
    };
    db::transaction(conn, |conn| {
        let before = store::find_record(conn, id, scope.records)?.ok_or(ApiError::NotFound)?;
        if before.merged_into.is_some() {
            return Err(ApiError::Conflict {
                code: "client_merged",
                message: "This record was merged into another: edit that one".into(),
                field: None,
            });
        }
        if before.version != expected_version {
            return Err(ApiError::version_conflict("client"));
        }
        // Whoever may not see the phone may not overwrite it unseen either.
        if crate::cases::store::contact_withheld(conn, scope.actor_id()?, &[id])?.contains(id) {
            return Err(ApiError::ContactWithheld);
        }
        details.keep_estimate(before.date_of_birth, before.date_of_birth_estimated, today);
        let hkid = match &details.hkid {
            HkidChange::Keep => StoredHkid {
                masked: before.hkid_masked.clone(),
                hash: before.hkid_hash.clone(),
            },
            HkidChange::Remove => StoredHkid {
                masked: None,
                hash: None,
            },
            HkidChange::Set(hkid) => StoredHkid {
                masked: Some(hkid.masked()),
                hash: Some(scope.hash(hkid)),
            },
        };
        let write = Write {
            details: &details,
            hkid: &hkid,
            actor_id: scope.actor_id()?,
            at: now(),
        };
        // The version check in the WHERE clause is what stops a concurrent save.
        if store::update_if_version(conn, id, expected_version, &write).map_err(hkid_taken_or)? == 0
        {
            return Err(ApiError::version_conflict("client"));
        }
        index(
            conn,
            id,
            &before.centre_id,
            &details.name_zh,
            &details.name_en,
        )?;
        let after =
            Client::try_from(store::find(conn, id, scope.records)?.ok_or(ApiError::NotFound)?)?;
        let fields = changed_fields(&before, &after);
        audit::record(
            conn,
            scope.actor,
            "client.update",
            ("client", Some(id)),
            Some(json!({ "fields": fields })),
        )?;
        Ok(after)
    })
}

/// Empties the phone of each client on a sensitive case the user is not assigned to.
fn withhold_contacts(
    conn: &mut DbConnection,
    scope: &Scope,
    mut clients: Vec<&mut Client>,
) -> Result<(), ApiError> {
    let ids: Vec<&str> = clients.iter().map(|c| c.id.as_str()).collect();
    let withheld = crate::cases::store::contact_withheld(conn, scope.actor_id()?, &ids)?;
    for client in clients.iter_mut().filter(|c| withheld.contains(&c.id)) {
        withhold_contact(client);
    }
    Ok(())
}

fn withhold_contact(client: &mut Client) {
    client.phone.clear();
    client.contact_withheld = true;
}

/// A client as read with whether its contact details are withheld from the viewer.
fn shown((row, withheld): store::ShownRow) -> Result<Client, ApiError> {
    let mut client = Client::try_from(row)?;
    if withheld {
        withhold_contact(&mut client);
    }
    Ok(client)
}

pub fn view(
    conn: &mut DbConnection,
    scope: &Scope,
    reads: &ReadAudit,
    id: &str,
) -> Result<Client, ApiError> {
    // Another centre's client is indistinguishable from one that does not exist. A merged
    // record's tombstone is shown, to point to where the person is now.
    let row = store::find_record(conn, id, scope.records)?.ok_or(ApiError::NotFound)?;
    let mut client = Client::try_from(row)?;
    withhold_contacts(conn, scope, vec![&mut client])?;
    reads.record(scope.actor, "client.view", ("client", Some(id)), None)?;
    Ok(client)
}

fn search_terms(scope: &Scope, term: Option<&str>) -> SearchTerms {
    let Some(term) = term else {
        return SearchTerms::default();
    };
    SearchTerms {
        text: Some(term.to_owned()),
        hkid_prefix: masked_search_prefix(term),
        hkid_hash: Hkid::parse(term).ok().map(|hkid| scope.hash(&hkid)),
    }
}

/// Workers' reaches (client numbers, ascending) as last read, by worker, access and
/// centres, with the worker's reach stamp then.
pub type Reaches = Kept<(String, Access, Centres), Arc<[i64]>, 4096>;

/// Where a worker's reach is kept, and the stamp their session was read with; and where
/// the index's lists are.
pub struct KeptReach<'a> {
    pub reaches: &'a Reaches,
    pub stamp: i64,
    pub lists: &'a postings::KeptLists,
}

/// A worker's reach, kept between their searches while their reach stamp stands: a
/// worker searches their own clients many times a day, and they change far less often.
fn worker_reach(
    conn: &mut DbConnection,
    scope: &RecordScope,
    kept: &KeptReach,
) -> Result<Option<Arc<[i64]>>, ApiError> {
    let Some(owner) = &scope.owner_id else {
        return Ok(None);
    };
    let key = (owner.clone(), scope.access, scope.centres.clone());
    if let Some(reach) = kept.reaches.get(&key, kept.stamp) {
        return Ok(Some(reach));
    }
    let reach: Arc<[i64]> = store::reached(conn, scope, owner)?.into();
    kept.reaches.keep(key, kept.stamp, reach.clone());
    Ok(Some(reach))
}

pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    reads: &ReadAudit,
    query: &ClientQuery,
    kept: &KeptReach,
) -> Result<ClientPage, ApiError> {
    let search = query.parse().map_err(ApiError::Validation)?;
    let terms = search_terms(scope, search.term.as_deref());
    let reach = match &terms.text {
        Some(_) => worker_reach(conn, scope.records, kept)?,
        None => None,
    };
    let (rows, found) = store::search(
        conn,
        kept.lists,
        scope.records,
        scope.actor_id()?,
        &terms,
        &search,
        reach.as_deref(),
    )?;
    let items = rows.into_iter().map(shown).collect::<Result<Vec<_>, _>>()?;
    // The search term may hold an identity number: only its shape is logged.
    let detail =
        json!({ "searched": search.term.is_some(), "page": search.page, "shown": items.len() });
    reads.record(scope.actor, "client.list", ("client", None), Some(detail))?;
    Ok(ClientPage {
        items,
        total: found.total,
        total_estimated: found.estimated,
        page: search.page,
        per_page: search.per_page,
    })
}

/// An export: the clients it holds (at most the row limit) and how many matched in all,
/// so a file cut at the limit can say so.
pub struct Export {
    pub clients: Vec<Client>,
    pub matching: i64,
}

impl Export {
    pub fn is_cut(&self) -> bool {
        (self.clients.len() as i64) < self.matching
    }
}

pub fn export(
    conn: &mut DbConnection,
    scope: &Scope,
    reads: &ReadAudit,
    query: &ClientQuery,
    row_limit: i64,
    lists: &postings::KeptLists,
) -> Result<Export, ApiError> {
    let search = query.parse().map_err(ApiError::Validation)?;
    let terms = search_terms(scope, search.term.as_deref());
    let (rows, matching) = store::all_matching(
        conn,
        lists,
        scope.records,
        scope.actor_id()?,
        &terms,
        row_limit,
    )?;
    let clients = rows.into_iter().map(shown).collect::<Result<Vec<_>, _>>()?;
    let detail = json!({
        "searched": search.term.is_some(),
        "rows": clients.len(),
        "matching": matching,
    });
    reads.record(scope.actor, "client.export", ("client", None), Some(detail))?;
    Ok(Export { clients, matching })
}

/// Most candidates a search for the same person shows.
pub const MATCHES_SHOWN: usize = 10;
/// Most clients read for scoring by each of HKID, phone, date of birth and name keys (by
/// name keys, those sharing most come first).
const CANDIDATES_READ: i64 = 50;

/// The clients the user may see who may be the person a registration form describes,
/// best first, those scoring at least `threshold`. Candidates come by index (HKID hash,
/// phone, date of birth, name keys of the centre registered into); only they are scored.
pub fn matches(
    conn: &mut DbConnection,
    scope: &Scope,
    reads: &ReadAudit,
    query: &MatchQuery,
    threshold: f64,
) -> Result<ClientMatches, ApiError> {
    let probe = query
        .parse(hong_kong_today())
        .map_err(ApiError::Validation)?;
    let hkid_hash = probe.hkid.as_ref().map(|hkid| scope.hash(hkid));
    let name_keys: Vec<String> = [&probe.name_zh, &probe.name_en]
        .into_iter()
        .flatten()
        .flat_map(|name| names::keys(name))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Keys are kept per centre: duplicates matter in the centre a client is registered in.
    let client_ids = match scope.records.home_centre() {
        Ok(centre_id) if !name_keys.is_empty() => {
            store::sharing_name_keys(conn, centre_id, &name_keys, CANDIDATES_READ)?
        }
        _ => Vec::new(),
    };
    let terms = MatchTerms {
        hkid_hash: hkid_hash.clone(),
        phone: probe.phone.clone(),
        date_of_birth: probe.date_of_birth,
        client_ids,
    };
    let scoring = matching::Probe::new(&probe, hkid_hash.as_deref());
    let mut candidates = Vec::new();
    for row in store::match_candidates(conn, scope.records, &terms, CANDIDATES_READ)? {
        let (score, reasons) = scoring.score(&row);
        if score >= threshold {
            candidates.push(MatchCandidate {
                client: Client::try_from(row)?,
                score,
                reasons,
            });
        }
    }
    candidates.sort_by(|a, b| {
        (b.score.total_cmp(&a.score)).then(b.client.updated_at.cmp(&a.client.updated_at))
    });
    candidates.truncate(MATCHES_SHOWN);
    withhold_contacts(
        conn,
        scope,
        candidates.iter_mut().map(|c| &mut c.client).collect(),
    )?;
    // Which parameters were given, never their values: one may be an HKID.
    let detail = json!({ "given": probe.given(), "shown": candidates.len() });
    reads.record(scope.actor, "client.match", ("client", None), Some(detail))?;
    Ok(ClientMatches {
        candidates,
        threshold,
    })
}

/// What a client's names are found by: the name keys of the search for the same person,
/// and the client search's posting lists, under a new number at every write so that a
/// list read from its end is the most recently written first. Written with the client, in
/// its transaction.
pub(super) fn index(
    conn: &mut DbConnection,
    id: &str,
    centre_id: &str,
    name_zh: &str,
    name_en: &str,
) -> Result<(), ApiError> {
    store::replace_name_keys(conn, id, centre_id, &names::client_keys(name_zh, name_en))?;
    let seq = postings::next_seq(conn, SEARCH_KIND)?;
    unpost(conn, id, centre_id)?;
    let text = searched_text(name_zh, name_en);
    postings::post(
        conn,
        SEARCH_KIND,
        centre_id,
        seq,
        &search::name_grams(&text),
    )?;
    store::set_indexed(conn, id, Some((seq, &text)))?;
    crate::cases::store::renumber_in_reach(conn, id, seq)?;
    Ok(())
}

/// Takes a client from the lists it is under.
fn unpost(conn: &mut DbConnection, id: &str, centre_id: &str) -> Result<(), ApiError> {
    if let Some((seq, text)) = store::indexed_as(conn, id)? {
        postings::unpost(
            conn,
            SEARCH_KIND,
            centre_id,
            seq,
            &search::name_grams(&text),
        )?;
    }
    Ok(())
}

/// The text a client's name grams are cut from, and a worker's search reads.
pub fn searched_text(name_zh: &str, name_en: &str) -> String {
    normalise_search(&format!("{name_zh} {name_en}"))
}

/// Takes a record out of both indexes (a merged record's tombstone).
pub(super) fn unindex(conn: &mut DbConnection, id: &str, centre_id: &str) -> Result<(), ApiError> {
    store::replace_name_keys(conn, id, centre_id, &BTreeSet::new())?;
    postings::lock(conn, SEARCH_KIND)?;
    unpost(conn, id, centre_id)?;
    store::set_indexed(conn, id, None)?;
    Ok(())
}

/// Indexes the clients registered before an index existed; answers how many. Runs when
/// the server migrates, in batches, each in its own transaction.
pub fn index_unindexed(conn: &mut DbConnection) -> Result<usize, ApiError> {
    const BATCH: i64 = 500;
    let (mut after, mut keyed) = (String::new(), 0);
    loop {
        let batch = store::unindexed(conn, &after, BATCH)?;
        let Some((last, ..)) = batch.last() else {
            return Ok(keyed);
        };
        after = last.clone();
        keyed += batch.len();
        db::transaction(conn, |conn| {
            for (id, centre_id, name_zh, name_en) in &batch {
                index(conn, id, centre_id, name_zh, name_en)?;
            }
            Ok::<_, ApiError>(())
        })?;
    }
}
