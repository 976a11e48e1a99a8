//! Database access for the circle. Who may read or do what is decided by the service
//! (`common::circle::Member`) before any of these run.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use common::circle::{HiddenThreads, Posted, Reaction, ThreadSearch};
use diesel::prelude::*;

use crate::db::schema::{
    circle_attachments, circle_posts, circle_reactions, circle_reports, circle_threads, users,
};
use crate::db::DbConnection;
use crate::search::contains_pattern;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_threads)]
pub struct ThreadRow {
    pub id: String,
    pub topic: Option<String>,
    pub title: String,
    pub title_folded: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub last_activity_at: NaiveDateTime,
    pub replies: i64,
    pub locked_at: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub version: i64,
    /// The course and activity whose discussion it is in; none for the circle's own.
    pub course_id: Option<String>,
    pub activity_key: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_posts)]
pub struct PostRow {
    pub id: String,
    pub thread_id: String,
    pub author_id: String,
    pub body: String,
    pub body_folded: String,
    pub created_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub hidden_at: Option<NaiveDateTime>,
    pub hidden_by: Option<String>,
    pub hidden_reason: Option<String>,
    pub version: i64,
}

impl PostRow {
    /// What the circle's rule needs of the post, in its thread.
    pub fn posted(&self, thread_locked: bool) -> Posted<'_> {
        Posted {
            author_id: &self.author_id,
            hidden: self.hidden_at.is_some(),
            thread_locked,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_reports)]
pub struct ReportRow {
    pub id: String,
    pub post_id: String,
    pub reported_by: String,
    pub reason: String,
    pub reported_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = circle_attachments)]
pub struct AttachmentRow {
    pub id: String,
    pub post_id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
    pub uploaded_by: String,
    pub uploaded_at: NaiveDateTime,
    /// Its text for search, folded (`hub::index::folded`); empty when it has none.
    pub text_folded: String,
}

/// A page of the threads the search finds, the latest active first, and how many in all:
/// the circle's own, or (`discussion`) those of a course's activity. A thread is found
/// when each word is in its title, in one of its posts not hidden or in the text of a
/// file of one (a hidden post's files find nothing, as its words do not); a thread whose
/// opening post (of the thread's id) is hidden only as `hidden` lets.
pub fn threads(
    conn: &mut DbConnection,
    (search, folded_words): (&ThreadSearch, &[String]),
    discussion: Option<(&str, &str)>,
    hidden: HiddenThreads,
) -> QueryResult<(Vec<ThreadRow>, i64)> {
    let filtered = || {
        let mut query = circle_threads::table.into_boxed();
        query = match discussion {
            None => query.filter(circle_threads::course_id.is_null()),
            Some((course_id, key)) => query
                .filter(circle_threads::course_id.eq(course_id.to_owned()))
                .filter(circle_threads::activity_key.eq(key.to_owned())),
        };
        if let HiddenThreads::StartedBy(user_id) = hidden {
            query = query.filter(
                diesel::dsl::not(diesel::dsl::exists(
                    circle_posts::table
                        .filter(circle_posts::id.eq(circle_threads::id))
                        .filter(circle_posts::hidden_at.is_not_null()),
                ))
                .or(circle_threads::created_by.eq(user_id.to_owned())),
            );
        }
        if let Some(topic) = &search.topic {
            query = query.filter(circle_threads::topic.eq(topic.clone()));
        }
        for word in folded_words {
            let pattern = contains_pattern(word);
            query = query.filter(
                circle_threads::title_folded
                    .like(pattern.clone())
                    .escape('\\')
                    .or(diesel::dsl::exists(
                        circle_posts::table
                            .filter(circle_posts::thread_id.eq(circle_threads::id))
                            .filter(circle_posts::hidden_at.is_null())
                            .filter(circle_posts::body_folded.like(pattern.clone()).escape('\\')),
                    ))
                    .or(diesel::dsl::exists(
                        circle_attachments::table
                            .inner_join(circle_posts::table)
                            .filter(circle_posts::thread_id.eq(circle_threads::id))
                            .filter(circle_posts::hidden_at.is_null())
                            .filter(circle_attachments::text_folded.like(pattern).escape('\\')),
                    )),
            );
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((
            circle_threads::last_activity_at.desc(),
            circle_threads::id.desc(),
        ))
        .limit(search.per_page)
        .offset((search.page - 1) * search.per_page)
        .select(ThreadRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn find_thread(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ThreadRow>> {
    circle_threads::table
        .find(id)
        .select(ThreadRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_thread(conn: &mut DbConnection, row: &ThreadRow) -> QueryResult<()> {
    diesel::insert_into(circle_threads::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// A reply counted, and the thread's activity moved to it, if the thread is not locked;
/// answers whether it was.
pub fn count_reply(
    conn: &mut DbConnection,
    thread_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        circle_threads::table
            .filter(circle_threads::id.eq(thread_id))
            .filter(circle_threads::locked_at.is_null()),
    )
    .set((
        circle_threads::replies.eq(circle_threads::replies + 1),
        circle_threads::last_activity_at.eq(at),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// A new title (with its folded words) and topic for the thread if it is still at
/// `version`.
pub fn set_title(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    (title, folded): (&str, &str),
    topic: Option<&str>,
) -> QueryResult<bool> {
    diesel::update(
        circle_threads::table
            .filter(circle_threads::id.eq(id))
            .filter(circle_threads::version.eq(version)),
    )
    .set((
        circle_threads::title.eq(title),
        circle_threads::title_folded.eq(folded),
        circle_threads::topic.eq(topic),
        circle_threads::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Locks or unlocks the thread if it is still at `version`.
pub fn set_locked(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    locked: Option<(&str, NaiveDateTime)>,
) -> QueryResult<bool> {
    diesel::update(
        circle_threads::table
            .filter(circle_threads::id.eq(id))
            .filter(circle_threads::version.eq(version)),
    )
    .set((
        circle_threads::locked_by.eq(locked.map(|(by, _)| by)),
        circle_threads::locked_at.eq(locked.map(|(_, at)| at)),
        circle_threads::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn find_post(conn: &mut DbConnection, id: &str) -> QueryResult<Option<PostRow>> {
    circle_posts::table
        .find(id)
        .select(PostRow::as_select())
        .first(conn)
        .optional()
}

pub fn posts_of_ids(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<PostRow>> {
    circle_posts::table
        .filter(circle_posts::id.eq_any(ids))
        .select(PostRow::as_select())
        .load(conn)
}

/// A page of a thread's replies, the earliest first, and how many in all.
pub fn replies(
    conn: &mut DbConnection,
    thread_id: &str,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<PostRow>, i64)> {
    let of_thread = || {
        circle_posts::table
            .filter(circle_posts::thread_id.eq(thread_id))
            .filter(circle_posts::id.ne(thread_id))
    };
    let total = of_thread().count().get_result(conn)?;
    let rows = of_thread()
        .order((circle_posts::created_at, circle_posts::id))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(PostRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn insert_post(conn: &mut DbConnection, row: &PostRow) -> QueryResult<()> {
    diesel::insert_into(circle_posts::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// New words for the post if it is still at `version`.
pub fn set_body(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    (body, folded): (&str, &str),
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        circle_posts::table
            .filter(circle_posts::id.eq(id))
            .filter(circle_posts::version.eq(version)),
    )
    .set((
        circle_posts::body.eq(body),
        circle_posts::body_folded.eq(folded),
        circle_posts::edited_at.eq(at),
        circle_posts::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Moves the post to its next version, if it is still at `version`: a change to what
/// belongs to it (a file taken off).
pub fn touch_post(conn: &mut DbConnection, id: &str, version: i64) -> QueryResult<bool> {
    diesel::update(
        circle_posts::table
            .filter(circle_posts::id.eq(id))
            .filter(circle_posts::version.eq(version)),
    )
    .set(circle_posts::version.eq(version + 1))
    .execute(conn)
    .map(|n| n == 1)
}

/// Hides the post (by whom, why, when) or shows it again, if it is still at `version`.
pub fn set_hidden(
    conn: &mut DbConnection,
    id: &str,
    version: i64,
    hidden: Option<(&str, &str, NaiveDateTime)>,
) -> QueryResult<bool> {
    diesel::update(
        circle_posts::table
            .filter(circle_posts::id.eq(id))
            .filter(circle_posts::version.eq(version)),
    )
    .set((
        circle_posts::hidden_by.eq(hidden.map(|(by, _, _)| by)),
        circle_posts::hidden_reason.eq(hidden.map(|(_, why, _)| why)),
        circle_posts::hidden_at.eq(hidden.map(|(_, _, at)| at)),
        circle_posts::version.eq(version + 1),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Users' names and agencies, by id.
pub fn authors(
    conn: &mut DbConnection,
    ids: &[&str],
) -> QueryResult<HashMap<String, (String, Option<String>)>> {
    let rows: Vec<(String, String, Option<String>)> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name, users::agency_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, agency)| (id, (name, agency)))
        .collect())
}

/// Each post's reactions as (post, reaction, user).
pub fn reactions(
    conn: &mut DbConnection,
    post_ids: &[&str],
) -> QueryResult<Vec<(String, String, String)>> {
    circle_reactions::table
        .filter(circle_reactions::post_id.eq_any(post_ids))
        .select((
            circle_reactions::post_id,
            circle_reactions::reaction,
            circle_reactions::user_id,
        ))
        .load(conn)
}

/// Gives the reaction, or takes it back when given already; answers whether it is now given.
pub fn toggle_reaction(
    conn: &mut DbConnection,
    (post_id, user_id): (&str, &str),
    reaction: Reaction,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let key = (post_id, user_id, reaction.as_str());
    let taken = diesel::delete(circle_reactions::table.find(key)).execute(conn)?;
    if taken == 1 {
        return Ok(false);
    }
    diesel::insert_into(circle_reactions::table)
        .values((
            circle_reactions::post_id.eq(post_id),
            circle_reactions::user_id.eq(user_id),
            circle_reactions::reaction.eq(reaction.as_str()),
            circle_reactions::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| true)
}

pub fn attachments(conn: &mut DbConnection, post_ids: &[&str]) -> QueryResult<Vec<AttachmentRow>> {
    circle_attachments::table
        .filter(circle_attachments::post_id.eq_any(post_ids))
        .order((circle_attachments::uploaded_at, circle_attachments::id))
        .select(AttachmentRow::as_select())
        .load(conn)
}

pub fn find_attachment(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AttachmentRow>> {
    circle_attachments::table
        .find(id)
        .select(AttachmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_attachment(conn: &mut DbConnection, row: &AttachmentRow) -> QueryResult<()> {
    diesel::insert_into(circle_attachments::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

pub fn delete_attachment(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::delete(circle_attachments::table.find(id))
        .execute(conn)
        .map(drop)
}

/// Whether this person has a report on the post still waiting.
pub fn reported_by(conn: &mut DbConnection, post_id: &str, user_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        circle_reports::table
            .filter(circle_reports::post_id.eq(post_id))
            .filter(circle_reports::reported_by.eq(user_id))
            .filter(circle_reports::resolved_at.is_null()),
    ))
    .get_result(conn)
}

pub fn insert_report(conn: &mut DbConnection, row: &ReportRow) -> QueryResult<()> {
    diesel::insert_into(circle_reports::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Marks the post's waiting reports dealt with; answers how many there were.
pub fn resolve_reports(
    conn: &mut DbConnection,
    post_id: &str,
    (by, at): (&str, NaiveDateTime),
) -> QueryResult<usize> {
    diesel::update(
        circle_reports::table
            .filter(circle_reports::post_id.eq(post_id))
            .filter(circle_reports::resolved_at.is_null()),
    )
    .set((
        circle_reports::resolved_by.eq(by),
        circle_reports::resolved_at.eq(at),
    ))
    .execute(conn)
}

/// A page of the posts with reports waiting, the earliest reported first, and how many
/// in all.
pub fn reported_posts(
    conn: &mut DbConnection,
    (page, per_page): (i64, i64),
) -> QueryResult<(Vec<String>, i64)> {
    let waiting = || circle_reports::table.filter(circle_reports::resolved_at.is_null());
    let total: i64 = waiting()
        .select(diesel::dsl::count(circle_reports::post_id).aggregate_distinct())
        .first(conn)?;
    let ids = waiting()
        .group_by(circle_reports::post_id)
        .order((
            diesel::dsl::min(circle_reports::reported_at),
            circle_reports::post_id,
        ))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(circle_reports::post_id)
        .load(conn)?;
    Ok((ids, total))
}

/// The waiting reports of these posts, the earliest first.
pub fn waiting_reports(conn: &mut DbConnection, post_ids: &[&str]) -> QueryResult<Vec<ReportRow>> {
    circle_reports::table
        .filter(circle_reports::post_id.eq_any(post_ids))
        .filter(circle_reports::resolved_at.is_null())
        .order((circle_reports::reported_at, circle_reports::id))
        .select(ReportRow::as_select())
        .load(conn)
}

pub fn threads_of_ids(conn: &mut DbConnection, ids: &[&str]) -> QueryResult<Vec<ThreadRow>> {
    circle_threads::table
        .filter(circle_threads::id.eq_any(ids))
        .select(ThreadRow::as_select())
        .load(conn)
}
