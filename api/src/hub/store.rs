//! Database access for i-Hub. Who may see or change a resource is decided by the
//! service (`common::hub::Reader`) before any of these run.

use chrono::{NaiveDate, NaiveDateTime};
use common::hub::{
    AgencyRef, EvidenceRating, ResourceContent, ResourceStatus, ResourceType, Shelved, Visibility,
};
use diesel::prelude::*;

use crate::db::schema::{
    agencies, resource_bookmarks, resource_collection_items, resource_collections, resource_files,
    resource_versions, resources,
};
use crate::db::{stored_code, unreadable, DbConnection};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = resources)]
pub struct ResourceRow {
    pub id: String,
    pub agency_id: String,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub resource_type: String,
    pub topics: String,
    pub factors: String,
    pub audiences: String,
    pub languages: String,
    pub licence: String,
    pub authors: String,
    pub citation: String,
    pub link: Option<String>,
    pub visibility: String,
    pub status: String,
    pub evidence_rating: Option<String>,
    pub rated_by: Option<String>,
    pub rated_on: Option<NaiveDate>,
    pub uses: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub version: i64,
}

fn codes<T>(parse: fn(&str) -> Option<T>, column: &str, joined: &str) -> QueryResult<Vec<T>> {
    joined
        .split(',')
        .filter(|code| !code.is_empty())
        .map(|code| stored_code(parse, column, code))
        .collect()
}

fn joined<T: Copy>(values: &[T], code: fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| code(*v))
        .collect::<Vec<_>>()
        .join(",")
}

/// The columns a resource's words are kept in.
#[derive(AsChangeset)]
#[diesel(table_name = resources, treat_none_as_null = true)]
struct Words<'a> {
    title_zh: &'a str,
    title_en: &'a str,
    summary_zh: &'a str,
    summary_en: &'a str,
    resource_type: &'a str,
    topics: String,
    factors: String,
    audiences: String,
    languages: String,
    licence: &'a str,
    authors: &'a str,
    citation: &'a str,
    link: Option<&'a str>,
    visibility: &'a str,
}

impl<'a> Words<'a> {
    fn of(content: &'a ResourceContent) -> Self {
        Words {
            title_zh: &content.title_zh,
            title_en: &content.title_en,
            summary_zh: &content.summary_zh,
            summary_en: &content.summary_en,
            resource_type: content.resource_type.as_str(),
            topics: content.topics.join(","),
            factors: joined(&content.factors, |f| f.as_str()),
            audiences: joined(&content.audiences, |a| a.as_str()),
            languages: joined(&content.languages, |l| l.as_str()),
            licence: content.licence.as_str(),
            authors: &content.authors,
            citation: &content.citation,
            link: content.link.as_deref(),
            visibility: content.visibility.as_str(),
        }
    }
}

impl ResourceRow {
    pub fn new(
        id: String,
        agency_id: String,
        content: &ResourceContent,
        created_by: String,
        at: NaiveDateTime,
    ) -> ResourceRow {
        let words = Words::of(content);
        ResourceRow {
            id,
            agency_id,
            title_zh: words.title_zh.to_owned(),
            title_en: words.title_en.to_owned(),
            summary_zh: words.summary_zh.to_owned(),
            summary_en: words.summary_en.to_owned(),
            resource_type: words.resource_type.to_owned(),
            topics: words.topics,
            factors: words.factors,
            audiences: words.audiences,
            languages: words.languages,
            licence: words.licence.to_owned(),
            authors: words.authors.to_owned(),
            citation: words.citation.to_owned(),
            link: words.link.map(str::to_owned),
            visibility: words.visibility.to_owned(),
            status: ResourceStatus::Draft.as_str().to_owned(),
            evidence_rating: None,
            rated_by: None,
            rated_on: None,
            uses: 0,
            created_by,
            created_at: at,
            updated_at: at,
            published_at: None,
            version: 1,
        }
    }

    pub fn status(&self) -> QueryResult<ResourceStatus> {
        stored_code(ResourceStatus::parse, "resources.status", &self.status)
    }

    pub fn visibility(&self) -> QueryResult<Visibility> {
        stored_code(Visibility::parse, "resources.visibility", &self.visibility)
    }

    pub fn resource_type(&self) -> QueryResult<ResourceType> {
        stored_code(
            ResourceType::parse,
            "resources.resource_type",
            &self.resource_type,
        )
    }

    pub fn evidence_rating(&self) -> QueryResult<Option<EvidenceRating>> {
        self.evidence_rating
            .as_deref()
            .map(|r| stored_code(EvidenceRating::parse, "resources.evidence_rating", r))
            .transpose()
    }

    /// What the visibility rule needs to know of it.
    pub fn shelved(&self) -> QueryResult<Shelved<'_>> {
        Ok(Shelved {
            agency_id: &self.agency_id,
            created_by: &self.created_by,
            status: self.status()?,
            visibility: self.visibility()?,
        })
    }

    pub fn content(&self) -> QueryResult<ResourceContent> {
        Ok(ResourceContent {
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            summary_zh: self.summary_zh.clone(),
            summary_en: self.summary_en.clone(),
            resource_type: self.resource_type()?,
            topics: self
                .topics
                .split(',')
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
            factors: codes(
                common::hub::ResourceFactor::parse,
                "resources.factors",
                &self.factors,
            )?,
            audiences: codes(
                common::hub::Audience::parse,
                "resources.audiences",
                &self.audiences,
            )?,
            languages: codes(
                common::hub::ResourceLanguage::parse,
                "resources.languages",
                &self.languages,
            )?,
            licence: stored_code(
                common::hub::Licence::parse,
                "resources.licence",
                &self.licence,
            )?,
            authors: self.authors.clone(),
            citation: self.citation.clone(),
            link: self.link.clone(),
            visibility: self.visibility()?,
        })
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ResourceRow>> {
    resources::table
        .find(id)
        .select(ResourceRow::as_select())
        .first(conn)
        .optional()
}

pub fn every(conn: &mut DbConnection) -> QueryResult<Vec<ResourceRow>> {
    resources::table
        .order(resources::id)
        .select(ResourceRow::as_select())
        .load(conn)
}

pub fn of_ids(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<ResourceRow>> {
    resources::table
        .filter(resources::id.eq_any(ids))
        .select(ResourceRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConnection, row: &ResourceRow) -> QueryResult<()> {
    diesel::insert_into(resources::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Whether the resource was still at `version`; only then is anything written.
fn at_version(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        resources::table.filter(resources::id.eq(id).and(resources::version.eq(version))),
    )
    .set((
        resources::version.eq(version + 1),
        resources::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn set_words(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    content: &ResourceContent,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if !at_version(conn, id, version, at)? {
        return Ok(false);
    }
    diesel::update(resources::table.find(id))
        .set(Words::of(content))
        .execute(conn)
        .map(|_| true)
}

pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    status: ResourceStatus,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if !at_version(conn, id, version, at)? {
        return Ok(false);
    }
    let published_at = match status {
        ResourceStatus::Published => Some(at),
        _ => None,
    };
    diesel::update(resources::table.find(id))
        .set((
            resources::status.eq(status.as_str()),
            resources::published_at.eq(published_at),
        ))
        .execute(conn)
        .map(|_| true)
}

pub fn rate(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    rating: EvidenceRating,
    (by, on): (&str, NaiveDate),
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if !at_version(conn, id, version, at)? {
        return Ok(false);
    }
    diesel::update(resources::table.find(id))
        .set((
            resources::evidence_rating.eq(rating.as_str()),
            resources::rated_by.eq(by),
            resources::rated_on.eq(on),
        ))
        .execute(conn)
        .map(|_| true)
}

/// A change to a resource's files is a new version of it too.
pub fn touch(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    at_version(conn, id, version, at)
}

pub fn uses(conn: &mut DbConnection, id: &str) -> QueryResult<Option<i64>> {
    resources::table
        .find(id)
        .select(resources::uses)
        .first(conn)
        .optional()
}

pub fn count_use(conn: &mut DbConnection, id: &str, by: i64) -> QueryResult<()> {
    diesel::update(resources::table.find(id))
        .set(resources::uses.eq(resources::uses + by))
        .execute(conn)
        .map(drop)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = resource_versions)]
pub struct VersionRow {
    pub resource_id: String,
    pub version: i64,
    pub status: String,
    pub evidence_rating: Option<String>,
    pub change: String,
    pub note: String,
    pub content: String,
    pub changed_by: String,
    pub changed_at: NaiveDateTime,
}

pub fn insert_version(conn: &mut DbConnection, row: &VersionRow) -> QueryResult<()> {
    diesel::insert_into(resource_versions::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// A resource's versions, the latest first.
pub fn versions(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<VersionRow>> {
    resource_versions::table
        .filter(resource_versions::resource_id.eq(id))
        .order(resource_versions::version.desc())
        .select(VersionRow::as_select())
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = resource_files)]
pub struct FileRow {
    pub id: String,
    pub resource_id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub extracted_text: String,
    pub downloads: i64,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
}

/// The files of these resources not removed, in the order uploaded.
pub fn files_of(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<FileRow>> {
    resource_files::table
        .filter(resource_files::resource_id.eq_any(ids))
        .filter(resource_files::removed_at.is_null())
        .order((resource_files::uploaded_at, resource_files::id))
        .select(FileRow::as_select())
        .load(conn)
}

pub fn find_file(conn: &mut DbConnection, id: &str) -> QueryResult<Option<FileRow>> {
    resource_files::table
        .find(id)
        .filter(resource_files::removed_at.is_null())
        .select(FileRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_file(conn: &mut DbConnection, row: &FileRow) -> QueryResult<()> {
    diesel::insert_into(resource_files::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn remove_file(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(resource_files::table.find(id))
        .set(resource_files::removed_at.eq(at))
        .execute(conn)
        .map(drop)
}

pub fn count_download(conn: &mut DbConnection, file: &FileRow) -> QueryResult<()> {
    diesel::update(resource_files::table.find(&file.id))
        .set(resource_files::downloads.eq(resource_files::downloads + 1))
        .execute(conn)?;
    count_use(conn, &file.resource_id, 1)
}

pub fn agencies(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<AgencyRef>> {
    agencies::table
        .filter(agencies::id.eq_any(ids))
        .order(agencies::code)
        .select((agencies::id, agencies::name_zh, agencies::name_en))
        .load::<(String, String, String)>(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(id, name_zh, name_en)| AgencyRef {
                    id,
                    name_zh,
                    name_en,
                })
                .collect()
        })
}

pub fn agency(conn: &mut DbConnection, id: &str) -> QueryResult<AgencyRef> {
    agencies(conn, &[id])?
        .pop()
        .ok_or_else(|| unreadable("resources.agency_id", id))
}

/// Whether the user's bookmark was added (false: it was there already).
pub fn bookmark(
    conn: &mut DbConnection,
    user_id: &str,
    resource_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if is_bookmarked(conn, user_id, resource_id)? {
        return Ok(false);
    }
    diesel::insert_into(resource_bookmarks::table)
        .values((
            resource_bookmarks::user_id.eq(user_id),
            resource_bookmarks::resource_id.eq(resource_id),
            resource_bookmarks::created_at.eq(at),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Whether there was a bookmark to take away.
pub fn unbookmark(conn: &mut DbConnection, user_id: &str, resource_id: &str) -> QueryResult<bool> {
    diesel::delete(resource_bookmarks::table.find((user_id, resource_id)))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn is_bookmarked(
    conn: &mut DbConnection,
    user_id: &str,
    resource_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        resource_bookmarks::table.find((user_id, resource_id)),
    ))
    .get_result(conn)
}

/// The user's bookmarked resources, the latest kept first.
pub fn bookmarks(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<String>> {
    resource_bookmarks::table
        .filter(resource_bookmarks::user_id.eq(user_id))
        .order(resource_bookmarks::created_at.desc())
        .select(resource_bookmarks::resource_id)
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = resource_collections)]
pub struct CollectionRow {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub version: i64,
}

pub fn collections(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<CollectionRow>> {
    resource_collections::table
        .filter(resource_collections::user_id.eq(user_id))
        .order((resource_collections::name, resource_collections::id))
        .select(CollectionRow::as_select())
        .load(conn)
}

pub fn find_collection(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CollectionRow>> {
    resource_collections::table
        .find(id)
        .select(CollectionRow::as_select())
        .first(conn)
        .optional()
}

/// Whether the user has another collection of this name.
pub fn collection_named(
    conn: &mut DbConnection,
    user_id: &str,
    name: &str,
    other_than: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        resource_collections::table
            .filter(resource_collections::user_id.eq(user_id))
            .filter(resource_collections::name.eq(name))
            .filter(resource_collections::id.ne(other_than)),
    ))
    .get_result(conn)
}

pub fn insert_collection(
    conn: &mut DbConnection,
    (id, user_id, name): (&str, &str, &str),
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(resource_collections::table)
        .values((
            resource_collections::id.eq(id),
            resource_collections::user_id.eq(user_id),
            resource_collections::name.eq(name),
            resource_collections::created_at.eq(at),
            resource_collections::version.eq(1),
        ))
        .execute(conn)
        .map(drop)
}

pub fn rename_collection(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    name: &str,
) -> QueryResult<bool> {
    diesel::update(
        resource_collections::table
            .filter(resource_collections::id.eq(id))
            .filter(resource_collections::version.eq(version)),
    )
    .set((
        resource_collections::name.eq(name),
        resource_collections::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn delete_collection(conn: &mut DbConnection, id: &str, version: i64) -> QueryResult<bool> {
    diesel::delete(
        resource_collection_items::table.filter(resource_collection_items::collection_id.eq(id)),
    )
    .execute(conn)?;
    diesel::delete(
        resource_collections::table
            .filter(resource_collections::id.eq(id))
            .filter(resource_collections::version.eq(version)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

/// The resources of these collections, as (collection, resource), the latest added first.
pub fn collection_items(
    conn: &mut DbConnection,
    ids: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    resource_collection_items::table
        .filter(resource_collection_items::collection_id.eq_any(ids))
        .order(resource_collection_items::added_at.desc())
        .select((
            resource_collection_items::collection_id,
            resource_collection_items::resource_id,
        ))
        .load(conn)
}

/// Whether the resource was added (false: it was there already).
pub fn collect(
    conn: &mut DbConnection,
    collection_id: &str,
    resource_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let there: bool = diesel::select(diesel::dsl::exists(
        resource_collection_items::table.find((collection_id, resource_id)),
    ))
    .get_result(conn)?;
    if there {
        return Ok(false);
    }
    diesel::insert_into(resource_collection_items::table)
        .values((
            resource_collection_items::collection_id.eq(collection_id),
            resource_collection_items::resource_id.eq(resource_id),
            resource_collection_items::added_at.eq(at),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn uncollect(
    conn: &mut DbConnection,
    collection_id: &str,
    resource_id: &str,
) -> QueryResult<bool> {
    diesel::delete(resource_collection_items::table.find((collection_id, resource_id)))
        .execute(conn)
        .map(|n| n == 1)
}
