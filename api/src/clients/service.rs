//! The rules for client records. Handlers call these; nothing else writes clients.

use chrono::{FixedOffset, NaiveDate, Utc};
use common::clients::{Client, ClientForm, ClientPage, ClientQuery, HkidChange};
use common::hkid::{masked_search_prefix, Hkid};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::store::{self, SearchTerms, StoredHkid, Write};
use crate::audit::{self, Actor, ReadAudit};
use crate::db::{self, new_id, now, DbConnection};
use crate::error::ApiError;
use crate::identity::RecordScope;

/// Who acts, on which records, with which HKID key.
pub struct Scope<'a> {
    pub records: &'a RecordScope,
    pub actor: &'a Actor,
    pub hkid_key: &'a [u8],
}

impl Scope<'_> {
    fn actor_id(&self) -> Result<&str, ApiError> {
        self.actor
            .user_id
            .as_deref()
            .ok_or(ApiError::Unauthenticated)
    }

    fn hash(&self, hkid: &Hkid) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.hkid_key)
            .expect("HMAC takes keys of any length");
        mac.update(hkid.canonical().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
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
        ("district", before.district != after.district.code()),
        ("hkid", before.hkid_masked != after.hkid_masked),
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
            field: Some("hkid"),
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
    db::transaction(conn, |conn| {
        store::insert(conn, &id, scope.records.home_centre()?, &write).map_err(hkid_taken_or)?;
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
    let parsed = form.parse(hong_kong_today());
    let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
    if form.version.is_none() {
        errors.add("version", "required", "Version is required to edit");
    }
    let (Ok(details), Some(expected_version)) = (parsed, form.version) else {
        return Err(ApiError::Validation(errors));
    };
    db::transaction(conn, |conn| {
        let before = store::find(conn, id, scope.records)?.ok_or(ApiError::NotFound)?;
        if before.version != expected_version {
            return Err(ApiError::version_conflict("client"));
        }
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

pub fn view(
    conn: &mut DbConnection,
    scope: &Scope,
    reads: &ReadAudit,
    id: &str,
) -> Result<Client, ApiError> {
    // Another centre's client is indistinguishable from one that does not exist.
    let row = store::find(conn, id, scope.records)?.ok_or(ApiError::NotFound)?;
    let client = Client::try_from(row)?;
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

pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    reads: &ReadAudit,
    query: &ClientQuery,
) -> Result<ClientPage, ApiError> {
    let search = query.parse().map_err(ApiError::Validation)?;
    let terms = search_terms(scope, search.term.as_deref());
    let (rows, total) = store::search(conn, scope.records, &terms, &search)?;
    let items = rows
        .into_iter()
        .map(Client::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    // The search term may hold an identity number: only its shape is logged.
    let detail =
        json!({ "searched": search.term.is_some(), "page": search.page, "shown": items.len() });
    reads.record(scope.actor, "client.list", ("client", None), Some(detail))?;
    Ok(ClientPage {
        items,
        total,
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
) -> Result<Export, ApiError> {
    let search = query.parse().map_err(ApiError::Validation)?;
    let terms = search_terms(scope, search.term.as_deref());
    let rows = store::all_matching(conn, scope.records, &terms, row_limit)?;
    let matching = if (rows.len() as i64) < row_limit {
        rows.len() as i64
    } else {
        store::count_matching(conn, scope.records, &terms)?
    };
    let clients = rows
        .into_iter()
        .map(Client::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    let detail = json!({
        "searched": search.term.is_some(),
        "rows": clients.len(),
        "matching": matching,
    });
    reads.record(scope.actor, "client.export", ("client", None), Some(detail))?;
    Ok(Export { clients, matching })
}
