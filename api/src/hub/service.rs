//! The rules of i-Hub: who sees a resource and who changes it (`common::hub::Reader`,
//! the one decision), its workflow (`ResourceStatus::may_become`), a version kept of
//! every change in the change's transaction, and the search index told after it commits.

use std::collections::HashMap;

use common::cases::StaffRef;
use common::error::ValidationErrors;
use common::hub::{
    Collection, CollectionForm, Evidence, RatingForm, Reader, Resource, ResourceActions,
    ResourceContent, ResourceFile, ResourceForm, ResourceHit, ResourceQuery, ResourceResults,
    ResourceStatus, ResourceVersion, Shelf, StepForm,
};
use common::identity::Permission;
use common::taxonomy::Vocabulary;
use serde_json::json;

use super::index::{self, Ask, Shelf as Index};
use super::store::{self, CollectionRow, ResourceRow, VersionRow};
use crate::audit;
use crate::cases::store as cases;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;
use crate::taxonomy::service::check_terms;

/// How many related resources a page shows.
const RELATED: usize = 5;

/// The reader a request is, for the visibility rule.
pub fn reader_of(principal: Option<&Principal>) -> Reader<'_> {
    match principal {
        None => Reader::Anonymous,
        Some(p) => Reader::Staff {
            user_id: &p.user_id,
            agency_id: p.agency_id.as_deref(),
            reviewer: p.roles.can(Permission::ReviewResources),
        },
    }
}

/// The resource, if this reader sees it: one they do not is as if it did not exist.
pub(super) fn seen(
    conn: &mut DbConnection,
    reader: &Reader,
    id: &str,
) -> Result<ResourceRow, ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if reader.sees(&row.shelved()?) {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

fn resource(
    conn: &mut DbConnection,
    principal: Option<&Principal>,
    row: ResourceRow,
) -> Result<Resource, ApiError> {
    let reader = reader_of(principal);
    let shelved = row.shelved()?;
    let standing = reader.standing(&shelved);
    let status = shelved.status;
    let mut staff_ids = vec![row.created_by.as_str()];
    staff_ids.extend(row.rated_by.as_deref());
    let staff = cases::staff(conn, &staff_ids)?;
    let evidence = match (
        row.evidence_rating()?,
        row.rated_by.as_deref(),
        row.rated_on,
    ) {
        (Some(rating), Some(by), Some(on)) => Some(Evidence {
            rating,
            rated_by: cases::staff_ref(&staff, by)?,
            rated_on: on,
        }),
        _ => None,
    };
    let files = store::files_of(conn, &[&row.id])?
        .into_iter()
        .map(|f| ResourceFile {
            id: f.id,
            file_name: f.file_name,
            media_type: f.media_type,
            size_bytes: f.size_bytes,
            downloads: f.downloads,
            uploaded_at: utc(f.uploaded_at),
        })
        .collect();
    let bookmarked = match principal {
        Some(p) => store::is_bookmarked(conn, &p.user_id, &row.id)?,
        None => false,
    };
    Ok(Resource {
        content: row.content()?,
        agency: store::agency(conn, &row.agency_id)?,
        status,
        evidence,
        created_by: cases::staff_ref(&staff, &row.created_by)?,
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
        published_at: row.published_at.map(utc),
        files,
        uses: row.uses,
        bookmarked,
        may: ResourceActions {
            edit: status.editable(standing),
            rate: standing.reviewer && status != ResourceStatus::Archived,
            steps: status.next_steps(standing),
            keep: principal.is_some(),
        },
        version: row.version,
        id: row.id,
    })
}

/// Writes the version the resource is now at, after a change of `change`.
pub(super) fn keep_version(
    conn: &mut DbConnection,
    id: &str,
    change: &str,
    note: &str,
    by: &str,
) -> Result<(), ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let content =
        serde_json::to_string(&row.content()?).map_err(|e| ApiError::Internal(e.to_string()))?;
    store::insert_version(
        conn,
        &VersionRow {
            resource_id: row.id,
            version: row.version,
            status: row.status,
            evidence_rating: row.evidence_rating,
            change: change.to_owned(),
            note: note.to_owned(),
            content,
            changed_by: by.to_owned(),
            changed_at: row.updated_at,
        },
    )?;
    Ok(())
}

fn topics_in_use(
    conn: &mut DbConnection,
    content: &ResourceContent,
    kept: &[String],
) -> Result<(), ApiError> {
    let mut errors = ValidationErrors::default();
    check_terms(
        conn,
        Vocabulary::CaseNatures,
        &content.topics,
        kept,
        "topics",
        &mut errors,
    )?;
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    shelf: &Index,
    form: &ResourceForm,
) -> Result<Resource, ApiError> {
    principal.require(Permission::ContributeResources)?;
    // A resource is an agency's contribution; staff of none (the platform's) add none.
    let agency_id = principal.agency_id.clone().ok_or(ApiError::Forbidden)?;
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new resource has no version yet",
        ));
    }
    let content = form.parse().map_err(ApiError::Validation)?;
    let id = new_id();
    db::transaction(conn, |conn| {
        topics_in_use(conn, &content, &[])?;
        let row = ResourceRow::new(
            id.clone(),
            agency_id.clone(),
            &content,
            principal.user_id.clone(),
            now(),
        );
        store::insert(conn, &row)?;
        keep_version(conn, &id, "created", "", &principal.user_id)?;
        audit::record(
            conn,
            &principal.actor(),
            "resource.create",
            ("resource", Some(&id)),
            Some(json!({ "agency": agency_id })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    shelf.refresh(conn, &id)?;
    view(conn, Some(principal), &id)
}

pub fn view(
    conn: &mut DbConnection,
    principal: Option<&Principal>,
    id: &str,
) -> Result<Resource, ApiError> {
    let row = seen(conn, &reader_of(principal), id)?;
    resource(conn, principal, row)
}

/// The resource, if the user may change it now: its contributor while a draft, a
/// reviewer until archived.
pub(super) fn editable(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<ResourceRow, ApiError> {
    let reader = reader_of(Some(principal));
    let row = seen(conn, &reader, id)?;
    let shelved = row.shelved()?;
    let standing = reader.standing(&shelved);
    if !(standing.contributor || standing.reviewer) {
        return Err(ApiError::Forbidden);
    }
    if !shelved.status.editable(standing) {
        return Err(ApiError::conflict(
            "resource_not_editable",
            "This resource cannot be edited in its present state",
        ));
    }
    Ok(row)
}

fn version_read(version: Option<i64>) -> Result<i64, ApiError> {
    version
        .ok_or_else(|| ApiError::field("version", "required", "The version you read is required"))
}

pub fn edit(
    conn: &mut DbConnection,
    principal: &Principal,
    shelf: &Index,
    id: &str,
    form: &ResourceForm,
) -> Result<Resource, ApiError> {
    let version = version_read(form.version)?;
    let content = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = editable(conn, principal, id)?;
        topics_in_use(conn, &content, &row.content()?.topics)?;
        if !store::set_words(conn, id, version, &content, now())? {
            return Err(ApiError::version_conflict("resource"));
        }
        keep_version(conn, id, "edited", "", &principal.user_id)?;
        audit::record(
            conn,
            &principal.actor(),
            "resource.update",
            ("resource", Some(id)),
            None,
        )?;
        Ok(())
    })?;
    shelf.refresh(conn, id)?;
    view(conn, Some(principal), id)
}

pub fn step(
    conn: &mut DbConnection,
    principal: &Principal,
    shelf: &Index,
    id: &str,
    form: &StepForm,
) -> Result<Resource, ApiError> {
    let reader = reader_of(Some(principal));
    db::transaction(conn, |conn| {
        let row = seen(conn, &reader, id)?;
        let shelved = row.shelved()?;
        let standing = reader.standing(&shelved);
        if !(standing.contributor || standing.reviewer) {
            return Err(ApiError::Forbidden);
        }
        let from = shelved.status;
        if !from.may_become(form.to, standing) {
            return Err(ApiError::Conflict {
                code: "step_not_allowed",
                message: format!(
                    "A resource {} cannot become {} by you",
                    from.as_str(),
                    form.to.as_str()
                ),
                field: Some("to".into()),
            });
        }
        let note = form.parse(from, standing).map_err(ApiError::Validation)?;
        if !store::set_status(conn, id, form.version, form.to, now())? {
            return Err(ApiError::version_conflict("resource"));
        }
        keep_version(conn, id, form.to.as_str(), &note, &principal.user_id)?;
        audit::record(
            conn,
            &principal.actor(),
            "resource.status",
            ("resource", Some(id)),
            Some(json!({ "from": from.as_str(), "to": form.to.as_str() })),
        )?;
        Ok(())
    })?;
    shelf.refresh(conn, id)?;
    view(conn, Some(principal), id)
}

pub fn rate(
    conn: &mut DbConnection,
    principal: &Principal,
    shelf: &Index,
    id: &str,
    form: &RatingForm,
) -> Result<Resource, ApiError> {
    principal.require(Permission::ReviewResources)?;
    let reader = reader_of(Some(principal));
    db::transaction(conn, |conn| {
        let row = seen(conn, &reader, id)?;
        let shelved = row.shelved()?;
        if !reader.standing(&shelved).reviewer {
            return Err(ApiError::Forbidden);
        }
        if shelved.status == ResourceStatus::Archived {
            return Err(ApiError::conflict(
                "resource_not_editable",
                "An archived resource is not rated again",
            ));
        }
        let by = (principal.user_id.as_str(), hong_kong_today());
        if !store::rate(conn, id, form.version, form.evidence_rating, by, now())? {
            return Err(ApiError::version_conflict("resource"));
        }
        keep_version(conn, id, "rated", "", &principal.user_id)?;
        audit::record(
            conn,
            &principal.actor(),
            "resource.rate",
            ("resource", Some(id)),
            Some(json!({ "rating": form.evidence_rating.as_str() })),
        )?;
        Ok(())
    })?;
    shelf.refresh(conn, id)?;
    view(conn, Some(principal), id)
}

/// Every version of a resource, the latest first: for staff who see the resource.
pub fn versions(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<Vec<ResourceVersion>, ApiError> {
    seen(conn, &reader_of(Some(principal)), id)?;
    let rows = store::versions(conn, id)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.changed_by.as_str()).collect();
    let staff: HashMap<String, StaffRef> = cases::staff(conn, &ids)?;
    rows.into_iter()
        .map(|row| {
            Ok(ResourceVersion {
                version: row.version,
                status: db::stored_code(
                    ResourceStatus::parse,
                    "resource_versions.status",
                    &row.status,
                )?,
                evidence_rating: row
                    .evidence_rating
                    .as_deref()
                    .map(|r| {
                        db::stored_code(
                            common::hub::EvidenceRating::parse,
                            "resource_versions.evidence_rating",
                            r,
                        )
                    })
                    .transpose()?,
                content: serde_json::from_str(&row.content)
                    .map_err(|_| db::unreadable("resource_versions.content", &row.resource_id))?,
                changed_by: cases::staff_ref(&staff, &row.changed_by)?,
                changed_at: utc(row.changed_at),
                change: row.change,
                note: row.note,
            })
        })
        .collect()
}

pub fn search(
    conn: &mut DbConnection,
    principal: Option<&Principal>,
    shelf: &Index,
    query: &ResourceQuery,
) -> Result<ResourceResults, ApiError> {
    let spec = query.parse().map_err(ApiError::Validation)?;
    let reader = reader_of(principal);
    if spec.mine && principal.is_none() {
        return Err(ApiError::Unauthenticated);
    }
    let found = shelf.search(
        conn,
        &Ask {
            reader: &reader,
            q: &spec.q,
            filter: &spec.filter,
            status: spec.status,
            mine: spec.mine,
            sort: spec.sort,
            page: spec.page,
            per_page: spec.per_page,
        },
    )?;
    let mut agency_ids: Vec<&str> = found
        .facets
        .agency
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    agency_ids.extend(found.hits.iter().map(|h| h.agency_id.as_str()));
    agency_ids.sort_unstable();
    agency_ids.dedup();
    let agencies = store::agencies(conn, &agency_ids)?;
    Ok(ResourceResults {
        items: found.hits,
        total: found.total,
        page: spec.page,
        per_page: spec.per_page,
        facets: found.facets,
        agencies,
    })
}

pub fn related(
    conn: &mut DbConnection,
    principal: Option<&Principal>,
    shelf: &Index,
    id: &str,
) -> Result<Vec<ResourceHit>, ApiError> {
    let reader = reader_of(principal);
    seen(conn, &reader, id)?;
    shelf.related(conn, &reader, id, RELATED)
}

/// Bookmarks or un-bookmarks; either way counted among the resource's uses.
pub fn keep(
    conn: &mut DbConnection,
    principal: &Principal,
    shelf: &Index,
    id: &str,
    bookmarked: bool,
) -> Result<Resource, ApiError> {
    let reader = reader_of(Some(principal));
    db::transaction(conn, |conn| {
        seen(conn, &reader, id)?;
        let changed = if bookmarked {
            store::bookmark(conn, &principal.user_id, id, now())?
        } else {
            store::unbookmark(conn, &principal.user_id, id)?
        };
        if changed {
            store::count_use(conn, id, if bookmarked { 1 } else { -1 })?;
        }
        Ok::<_, ApiError>(())
    })?;
    shelf.refresh_uses(conn, id)?;
    view(conn, Some(principal), id)
}

/// The resources of these ids the reader still sees, in the order given.
fn hits(
    conn: &mut DbConnection,
    reader: &Reader,
    ids: &[String],
) -> Result<Vec<ResourceHit>, ApiError> {
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let rows: HashMap<String, ResourceRow> = store::of_ids(conn, &refs)?
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let mut list = Vec::new();
    for id in ids {
        if let Some(row) = rows.get(id) {
            if reader.sees(&row.shelved()?) {
                list.push(index::hit(row)?);
            }
        }
    }
    Ok(list)
}

pub fn shelf(conn: &mut DbConnection, principal: &Principal) -> Result<Shelf, ApiError> {
    let reader = reader_of(Some(principal));
    let bookmarked = store::bookmarks(conn, &principal.user_id)?;
    let bookmarks = hits(conn, &reader, &bookmarked)?;
    let rows = store::collections(conn, &principal.user_id)?;
    let ids: Vec<&str> = rows.iter().map(|c| c.id.as_str()).collect();
    let mut items: HashMap<String, Vec<String>> = HashMap::new();
    for (collection, resource) in store::collection_items(conn, &ids)? {
        items.entry(collection).or_default().push(resource);
    }
    let collections = rows
        .into_iter()
        .map(|row| {
            let resources = hits(
                conn,
                &reader,
                items.get(&row.id).map_or(&[][..], Vec::as_slice),
            )?;
            Ok(Collection {
                id: row.id,
                name: row.name,
                resources,
                version: row.version,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Shelf {
        bookmarks,
        collections,
    })
}

/// The user's own collection: another's is as if it did not exist.
fn own_collection(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<CollectionRow, ApiError> {
    store::find_collection(conn, id)?
        .filter(|c| c.user_id == principal.user_id)
        .ok_or(ApiError::NotFound)
}

fn unique_name(
    conn: &mut DbConnection,
    principal: &Principal,
    name: &str,
    other_than: &str,
) -> Result<(), ApiError> {
    if store::collection_named(conn, &principal.user_id, name, other_than)? {
        Err(ApiError::Conflict {
            code: "duplicate_name",
            message: "You have a collection of this name already".into(),
            field: Some("name".into()),
        })
    } else {
        Ok(())
    }
}

pub fn create_collection(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &CollectionForm,
) -> Result<Shelf, ApiError> {
    let name = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        unique_name(conn, principal, &name, "")?;
        store::insert_collection(conn, (&new_id(), &principal.user_id, &name), now())?;
        Ok::<_, ApiError>(())
    })?;
    shelf(conn, principal)
}

pub fn rename_collection(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &CollectionForm,
) -> Result<Shelf, ApiError> {
    let name = form.parse().map_err(ApiError::Validation)?;
    let version = version_read(form.version)?;
    db::transaction(conn, |conn| {
        own_collection(conn, principal, id)?;
        unique_name(conn, principal, &name, id)?;
        if !store::rename_collection(conn, id, version, &name)? {
            return Err(ApiError::version_conflict("collection"));
        }
        Ok(())
    })?;
    shelf(conn, principal)
}

pub fn delete_collection(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    version: i64,
) -> Result<Shelf, ApiError> {
    db::transaction(conn, |conn| {
        own_collection(conn, principal, id)?;
        if !store::delete_collection(conn, id, version)? {
            return Err(ApiError::version_conflict("collection"));
        }
        Ok(())
    })?;
    shelf(conn, principal)
}

/// Puts a resource the user sees into their collection, or takes it out.
pub fn collect(
    conn: &mut DbConnection,
    principal: &Principal,
    shelf_index: &Index,
    (collection_id, resource_id): (&str, &str),
    collected: bool,
) -> Result<Shelf, ApiError> {
    let reader = reader_of(Some(principal));
    db::transaction(conn, |conn| {
        own_collection(conn, principal, collection_id)?;
        seen(conn, &reader, resource_id)?;
        let changed = if collected {
            store::collect(conn, collection_id, resource_id, now())?
        } else {
            store::uncollect(conn, collection_id, resource_id)?
        };
        if changed {
            store::count_use(conn, resource_id, if collected { 1 } else { -1 })?;
        }
        Ok::<_, ApiError>(())
    })?;
    shelf_index.refresh_uses(conn, resource_id)?;
    shelf(conn, principal)
}
