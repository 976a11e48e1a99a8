//! The rules of the circle: who may read and do what (`common::circle::Member::may`, the
//! one decision), a post never naming an HKID (`common::circle`'s forms), changes at the
//! version read, and every write audited in its transaction.

use std::collections::HashMap;

use common::circle::{
    Act, Attachment, Author, HideForm, Hiding, LockForm, Locking, Member, NewThread, Post,
    PostForm, Reaction, ReactionCount, ReactionForm, Refusal, Report, ReportForm, ReportQueue,
    ReportedPost, RetitleForm, Thread, ThreadForm, ThreadList, ThreadQuery, ThreadSummary,
};
use common::error::ValidationErrors;
use common::hub::AgencyRef;
use common::identity::Permission;
use common::paging::PER_PAGE_DEFAULT;
use common::taxonomy::Vocabulary;
use serde_json::json;

use super::store::{self, AttachmentRow, PostRow, ReportRow, ThreadRow};
use crate::audit;
use crate::db::{self, new_id, now, unreadable, utc, DbConnection};
use crate::error::ApiError;
use crate::hub::index::folded;
use crate::identity::Principal;
use crate::taxonomy::service::check_terms;
use crate::training::service::{discussant, discussing, posted};

/// The member a request is, for the circle's own threads.
pub fn member_of(principal: &Principal) -> Member<'_> {
    Member {
        user_id: &principal.user_id,
        moderator: principal.roles.can(Permission::ModerateCircle),
        in_course: false,
    }
}

/// Who the user is where a thread is: in the circle, a member as `member_of` says; in a
/// course's discussion, one of the course's people as the course decides
/// (`training::service::discussant`, its trainer moderating), or nobody: then the thread
/// is as if it did not exist. The one place deciding who reads a thread at all.
fn member_in<'a>(
    conn: &mut DbConnection,
    principal: &'a Principal,
    thread: &ThreadRow,
) -> Result<Member<'a>, ApiError> {
    match &thread.course_id {
        None => {
            principal.require(Permission::JoinCircle)?;
            Ok(member_of(principal))
        }
        Some(course_id) => {
            let moderator = discussant(conn, principal, course_id)?.ok_or(ApiError::NotFound)?;
            Ok(course_member(principal, moderator))
        }
    }
}

fn course_member(principal: &Principal, moderator: bool) -> Member<'_> {
    Member {
        user_id: &principal.user_id,
        moderator,
        in_course: true,
    }
}

/// The thread and how the user takes part in it, unless it is withdrawn from them (its
/// opening post hidden and not theirs to read) or not theirs to read at all: then it is
/// as if it did not exist.
fn visible_thread<'a>(
    conn: &mut DbConnection,
    principal: &'a Principal,
    id: &str,
) -> Result<(ThreadRow, PostRow, Member<'a>), ApiError> {
    let thread = store::find_thread(conn, id)?.ok_or(ApiError::NotFound)?;
    let member = member_in(conn, principal, &thread)?;
    let opening = store::find_post(conn, id)?.ok_or_else(|| unreadable("circle_posts.id", id))?;
    match member.may(Act::Read, &opening.posted(thread.locked_at.is_some())) {
        Err(Refusal::Hidden) => Err(ApiError::NotFound),
        _ => Ok((thread, opening, member)),
    }
}

/// The post and its thread, if the user finds the thread.
fn post_seen<'a>(
    conn: &mut DbConnection,
    principal: &'a Principal,
    id: &str,
) -> Result<(PostRow, ThreadRow, Member<'a>), ApiError> {
    let post = store::find_post(conn, id)?.ok_or(ApiError::NotFound)?;
    let (thread, _, member) = visible_thread(conn, principal, &post.thread_id)?;
    Ok((post, thread, member))
}

/// The post, if the user may do `act` with it now.
fn post_for<'a>(
    conn: &mut DbConnection,
    principal: &'a Principal,
    id: &str,
    act: Act,
) -> Result<(PostRow, ThreadRow, Member<'a>), ApiError> {
    let (post, thread, member) = post_seen(conn, principal, id)?;
    member.may(act, &post.posted(thread.locked_at.is_some()))?;
    Ok((post, thread, member))
}

/// Names and agencies of these users.
fn authors(conn: &mut DbConnection, ids: &[&str]) -> Result<HashMap<String, Author>, ApiError> {
    let users = store::authors(conn, ids)?;
    let mut agency_ids: Vec<&str> = users.values().filter_map(|(_, a)| a.as_deref()).collect();
    agency_ids.sort_unstable();
    agency_ids.dedup();
    let agencies: HashMap<String, AgencyRef> = crate::hub::store::agencies(conn, &agency_ids)?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    Ok(users
        .into_iter()
        .map(|(id, (display_name, agency))| {
            let agency = agency.and_then(|a| agencies.get(&a).cloned());
            let author = Author {
                id: id.clone(),
                display_name,
                agency,
            };
            (id, author)
        })
        .collect())
}

fn author(authors: &HashMap<String, Author>, id: &str) -> Result<Author, ApiError> {
    authors
        .get(id)
        .cloned()
        .ok_or_else(|| unreadable("users.id", id).into())
}

/// Posts as this member reads them, each with whether its thread is locked.
fn posts(
    conn: &mut DbConnection,
    member: &Member,
    rows: Vec<(PostRow, bool)>,
) -> Result<Vec<Post>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|(p, _)| p.id.as_str()).collect();
    let author_ids: Vec<&str> = rows.iter().map(|(p, _)| p.author_id.as_str()).collect();
    let authors = authors(conn, &author_ids)?;
    let mut given: HashMap<(String, Reaction), (i64, bool)> = HashMap::new();
    for (post_id, reaction, user_id) in store::reactions(conn, &ids)? {
        let reaction = db::stored_code(Reaction::parse, "circle_reactions.reaction", &reaction)?;
        let entry = given.entry((post_id, reaction)).or_default();
        entry.0 += 1;
        entry.1 |= user_id == member.user_id;
    }
    let mut files: HashMap<String, Vec<Attachment>> = HashMap::new();
    for file in store::attachments(conn, &ids)? {
        files.entry(file.post_id).or_default().push(Attachment {
            id: file.id,
            file_name: file.file_name,
            media_type: file.media_type,
            size_bytes: file.size_bytes,
            uploaded_at: utc(file.uploaded_at),
        });
    }
    rows.into_iter()
        .map(|(row, locked)| {
            let posted = row.posted(locked);
            // Whoever may read a hidden post's words reads why it was hidden.
            let readable = member.may(Act::Read, &posted).is_ok();
            let reactions = Reaction::ALL
                .iter()
                .map(|&reaction| {
                    let (count, mine) = given
                        .get(&(row.id.clone(), reaction))
                        .copied()
                        .unwrap_or_default();
                    ReactionCount {
                        reaction,
                        count,
                        mine,
                    }
                })
                .collect();
            Ok(Post {
                author: author(&authors, &row.author_id)?,
                body: readable.then(|| row.body.clone()),
                hidden: row.hidden_at.map(|at| Hiding {
                    at: utc(at),
                    reason: row.hidden_reason.clone().filter(|_| readable),
                }),
                created_at: utc(row.created_at),
                edited_at: row.edited_at.map(utc),
                reactions,
                attachments: if readable {
                    files.remove(&row.id).unwrap_or_default()
                } else {
                    Vec::new()
                },
                may: member.actions(&posted),
                version: row.version,
                thread_id: row.thread_id,
                id: row.id,
            })
        })
        .collect()
}

fn post(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Post, ApiError> {
    let (row, thread, member) = post_seen(conn, principal, id)?;
    let locked = thread.locked_at.is_some();
    posts(conn, &member, vec![(row, locked)])?
        .pop()
        .ok_or(ApiError::NotFound)
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    query: &ThreadQuery,
) -> Result<ThreadList, ApiError> {
    principal.require(Permission::JoinCircle)?;
    listed(conn, &member_of(principal), query, None)
}

/// The threads of a course activity's discussion, for the course's people.
pub fn discussion(
    conn: &mut DbConnection,
    principal: &Principal,
    (course_id, key): (&str, &str),
    query: &ThreadQuery,
) -> Result<ThreadList, ApiError> {
    let moderator = discussing(conn, principal, (course_id, key))?;
    listed(
        conn,
        &course_member(principal, moderator),
        query,
        Some((course_id, key)),
    )
}

fn listed(
    conn: &mut DbConnection,
    member: &Member,
    query: &ThreadQuery,
    discussion: Option<(&str, &str)>,
) -> Result<ThreadList, ApiError> {
    let search = query.parse().map_err(ApiError::Validation)?;
    let words: Vec<String> = search.words.iter().map(|w| folded(w)).collect();
    let (rows, total) =
        store::threads(conn, (&search, &words), discussion, member.hidden_threads())?;
    let ids: Vec<&str> = rows.iter().map(|t| t.id.as_str()).collect();
    let hidden: HashMap<String, bool> = store::posts_of_ids(conn, &ids)?
        .into_iter()
        .map(|p| (p.id, p.hidden_at.is_some()))
        .collect();
    let starters: Vec<&str> = rows.iter().map(|t| t.created_by.as_str()).collect();
    let authors = authors(conn, &starters)?;
    let items = rows
        .into_iter()
        .map(|row| {
            Ok(ThreadSummary {
                author: author(&authors, &row.created_by)?,
                hidden: hidden.get(&row.id).copied().unwrap_or(false),
                created_at: utc(row.created_at),
                last_activity_at: utc(row.last_activity_at),
                replies: row.replies,
                locked: row.locked_at.is_some(),
                id: row.id,
                title: row.title,
                topic: row.topic,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(ThreadList {
        items,
        total,
        page: search.page,
        per_page: search.per_page,
    })
}

pub fn thread(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    (page, per_page): (i64, i64),
) -> Result<Thread, ApiError> {
    let (thread, opening, member) = visible_thread(conn, principal, id)?;
    let locked = thread.locked_at.is_some();
    let (replies, replies_total) = store::replies(conn, id, (page, per_page))?;
    let may_reply = member.may(Act::Reply, &opening.posted(locked)).is_ok();
    let may_moderate = member.may(Act::Moderate, &opening.posted(locked)).is_ok();
    let may_retitle = member.may(Act::Retitle, &opening.posted(locked)).is_ok();
    let rows = std::iter::once(opening)
        .chain(replies)
        .map(|row| (row, locked))
        .collect();
    let mut posts = posts(conn, &member, rows)?;
    let opening = posts.remove(0);
    let locking = match (thread.locked_at, thread.locked_by.as_deref()) {
        (Some(at), Some(by)) => {
            let staff = crate::cases::store::staff(conn, &[by])?;
            Some(Locking {
                at: utc(at),
                by: crate::cases::store::staff_ref(&staff, by)?,
            })
        }
        _ => None,
    };
    Ok(Thread {
        id: thread.id,
        title: thread.title,
        topic: thread.topic,
        course_id: thread.course_id,
        created_at: utc(thread.created_at),
        last_activity_at: utc(thread.last_activity_at),
        locked: locking,
        opening,
        replies: posts,
        replies_total,
        page,
        per_page,
        may_reply,
        may_moderate,
        may_retitle,
        version: thread.version,
    })
}

fn first_page(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<Thread, ApiError> {
    thread(conn, principal, id, (1, PER_PAGE_DEFAULT))
}

pub fn start(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &ThreadForm,
) -> Result<Thread, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let new = form.parse(false).map_err(ApiError::Validation)?;
    let id = new_id();
    db::transaction(conn, |conn| {
        let mut errors = ValidationErrors::default();
        let topics: Vec<String> = new.topic.iter().cloned().collect();
        check_terms(
            conn,
            Vocabulary::CaseNatures,
            &topics,
            &[],
            "topic",
            &mut errors,
        )?;
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        open_thread(conn, principal, (&id, &new), None)
    })?;
    first_page(conn, principal, &id)
}

/// A thread's title and topic changed, at its version read: by its author while they may
/// edit its opening post, or by a moderator. A course's discussion keeps having no topic.
/// Audited with what they were and what they are.
pub fn retitle(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &RetitleForm,
) -> Result<Thread, ApiError> {
    principal.require(Permission::JoinCircle)?;
    db::transaction(conn, |conn| {
        let (thread, opening, member) = visible_thread(conn, principal, id)?;
        member.may(Act::Retitle, &opening.posted(thread.locked_at.is_some()))?;
        let new = form
            .parse(thread.course_id.is_some())
            .map_err(ApiError::Validation)?;
        let mut errors = ValidationErrors::default();
        let topics: Vec<String> = new.topic.iter().cloned().collect();
        let kept: Vec<String> = thread.topic.iter().cloned().collect();
        check_terms(
            conn,
            Vocabulary::CaseNatures,
            &topics,
            &kept,
            "topic",
            &mut errors,
        )?;
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let title = (new.title.as_str(), folded(&new.title));
        if !store::set_title(
            conn,
            id,
            form.version,
            (title.0, &title.1),
            new.topic.as_deref(),
        )? {
            return Err(ApiError::version_conflict("thread"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "circle.retitle",
            ("circle_thread", Some(id)),
            Some(json!({
                "before": { "title": thread.title, "topic": thread.topic },
                "after": { "title": new.title, "topic": new.topic },
            })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    first_page(conn, principal, id)
}

/// A thread started in a course activity's discussion: the learner's post, which does
/// the activity.
pub fn start_discussion(
    conn: &mut DbConnection,
    principal: &Principal,
    (course_id, key): (&str, &str),
    form: &ThreadForm,
) -> Result<Thread, ApiError> {
    let new = form.parse(true).map_err(ApiError::Validation)?;
    let id = new_id();
    db::transaction(conn, |conn| {
        discussing(conn, principal, (course_id, key))?;
        open_thread(conn, principal, (&id, &new), Some((course_id, key)))?;
        posted(conn, principal, (course_id, key))
    })?;
    first_page(conn, principal, &id)
}

fn open_thread(
    conn: &mut DbConnection,
    principal: &Principal,
    (id, new): (&str, &NewThread),
    discussion: Option<(&str, &str)>,
) -> Result<(), ApiError> {
    let at = now();
    store::insert_thread(
        conn,
        &ThreadRow {
            id: id.to_owned(),
            topic: new.topic.clone(),
            title: new.title.clone(),
            title_folded: folded(&new.title),
            created_by: principal.user_id.clone(),
            created_at: at,
            last_activity_at: at,
            replies: 0,
            locked_at: None,
            locked_by: None,
            version: 1,
            course_id: discussion.map(|(course, _)| course.to_owned()),
            activity_key: discussion.map(|(_, key)| key.to_owned()),
        },
    )?;
    store::insert_post(conn, &new_post(id, id, principal, &new.body, at))?;
    audit::record(
        conn,
        &principal.actor(),
        "circle.thread_create",
        ("circle_thread", Some(id)),
        Some(json!({
            "topic": new.topic,
            "course": discussion.map(|(course, _)| course),
            "activity": discussion.map(|(_, key)| key),
        })),
    )?;
    Ok(())
}

fn new_post(
    id: &str,
    thread_id: &str,
    principal: &Principal,
    body: &str,
    at: chrono::NaiveDateTime,
) -> PostRow {
    PostRow {
        id: id.to_owned(),
        thread_id: thread_id.to_owned(),
        author_id: principal.user_id.clone(),
        body: body.to_owned(),
        body_folded: folded(body),
        created_at: at,
        edited_at: None,
        hidden_at: None,
        hidden_by: None,
        hidden_reason: None,
        version: 1,
    }
}

pub fn reply(
    conn: &mut DbConnection,
    principal: &Principal,
    thread_id: &str,
    form: &PostForm,
) -> Result<Post, ApiError> {
    principal.require(Permission::JoinCircle)?;
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new reply has no version yet",
        ));
    }
    let body = form.parse().map_err(ApiError::Validation)?;
    let id = new_id();
    db::transaction(conn, |conn| {
        let (thread, opening, member) = visible_thread(conn, principal, thread_id)?;
        member.may(Act::Reply, &opening.posted(thread.locked_at.is_some()))?;
        let at = now();
        // Counted only while unlocked, so a lock committed meanwhile refuses the reply.
        if !store::count_reply(conn, thread_id, at)? {
            return Err(Refusal::Locked.into());
        }
        store::insert_post(conn, &new_post(&id, thread_id, principal, &body, at))?;
        audit::record(
            conn,
            &principal.actor(),
            "circle.reply",
            ("circle_post", Some(&id)),
            Some(json!({ "thread": thread_id })),
        )?;
        if let (Some(course_id), Some(key)) = (&thread.course_id, &thread.activity_key) {
            posted(conn, principal, (course_id, key))?;
        }
        Ok::<_, ApiError>(())
    })?;
    post(conn, principal, &id)
}

pub fn edit(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &PostForm,
) -> Result<Post, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let version = form.version.ok_or_else(|| {
        ApiError::field("version", "required", "The version you read is required")
    })?;
    let body = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let (post, _, _) = post_for(conn, principal, id, Act::Edit)?;
        if !store::set_body(conn, id, version, (&body, &folded(&body)), now())? {
            return Err(ApiError::version_conflict("post"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "circle.edit",
            ("circle_post", Some(id)),
            Some(json!({ "thread": post.thread_id })),
        )?;
        Ok(())
    })?;
    post(conn, principal, id)
}

pub fn react(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &ReactionForm,
) -> Result<Post, ApiError> {
    principal.require(Permission::JoinCircle)?;
    db::transaction(conn, |conn| {
        post_for(conn, principal, id, Act::React)?;
        let given =
            store::toggle_reaction(conn, (id, principal.user_id.as_str()), form.reaction, now())?;
        audit::record(
            conn,
            &principal.actor(),
            "circle.react",
            ("circle_post", Some(id)),
            Some(json!({ "reaction": form.reaction.as_str(), "given": given })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    post(conn, principal, id)
}

pub fn report(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &ReportForm,
) -> Result<Post, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let reason = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        post_for(conn, principal, id, Act::Report)?;
        if store::reported_by(conn, id, &principal.user_id)? {
            return Err(ApiError::conflict(
                "already_reported",
                "You reported this post already: a moderator will look at it",
            ));
        }
        let report_id = new_id();
        store::insert_report(
            conn,
            &ReportRow {
                id: report_id.clone(),
                post_id: id.to_owned(),
                reported_by: principal.user_id.clone(),
                reason,
                reported_at: now(),
                resolved_at: None,
                resolved_by: None,
            },
        )?;
        audit::record(
            conn,
            &principal.actor(),
            "circle.report",
            ("circle_post", Some(id)),
            Some(json!({ "report": report_id })),
        )?;
        Ok(())
    })?;
    post(conn, principal, id)
}

/// The posts with reports waiting, for the moderators.
pub fn reports(
    conn: &mut DbConnection,
    principal: &Principal,
    (page, per_page): (i64, i64),
) -> Result<ReportQueue, ApiError> {
    principal.require(Permission::ModerateCircle)?;
    let member = member_of(principal);
    let (ids, total) = store::reported_posts(conn, (page, per_page))?;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let rows = store::posts_of_ids(conn, &refs)?;
    let thread_ids: Vec<&str> = rows.iter().map(|p| p.thread_id.as_str()).collect();
    let threads: HashMap<String, ThreadRow> = store::threads_of_ids(conn, &thread_ids)?
        .into_iter()
        .map(|t| (t.id.clone(), t))
        .collect();
    let waiting = store::waiting_reports(conn, &refs)?;
    let reporters: Vec<&str> = waiting.iter().map(|r| r.reported_by.as_str()).collect();
    let reporters = authors(conn, &reporters)?;
    let mut by_post: HashMap<String, Vec<Report>> = HashMap::new();
    for row in waiting {
        by_post
            .entry(row.post_id.clone())
            .or_default()
            .push(Report {
                reported_by: author(&reporters, &row.reported_by)?,
                id: row.id,
                reason: row.reason,
                reported_at: utc(row.reported_at),
            });
    }
    let with_locks = rows
        .into_iter()
        .map(|p| {
            let locked = threads
                .get(&p.thread_id)
                .is_some_and(|t| t.locked_at.is_some());
            (p, locked)
        })
        .collect();
    let mut read: HashMap<String, Post> = posts(conn, &member, with_locks)?
        .into_iter()
        .map(|p| (p.id.clone(), p))
        .collect();
    let items = ids
        .iter()
        .filter_map(|id| read.remove(id))
        .map(|post| ReportedPost {
            thread_title: threads
                .get(&post.thread_id)
                .map(|t| t.title.clone())
                .unwrap_or_default(),
            reports: by_post.remove(&post.id).unwrap_or_default(),
            post,
        })
        .collect();
    Ok(ReportQueue {
        items,
        total,
        page,
        per_page,
    })
}

/// A moderator hides a post (its waiting reports dealt with) or shows it again.
pub fn set_hidden(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &HideForm,
) -> Result<Post, ApiError> {
    principal.require(Permission::ModerateCircle)?;
    let reason = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let (post, _, _) = post_for(conn, principal, id, Act::Moderate)?;
        let at = now();
        let hiding = reason
            .as_deref()
            .map(|why| (principal.user_id.as_str(), why, at));
        if !store::set_hidden(conn, id, form.version, hiding)? {
            return Err(ApiError::version_conflict("post"));
        }
        let (action, resolved) = if form.hidden {
            let by = (principal.user_id.as_str(), at);
            ("circle.hide", store::resolve_reports(conn, id, by)?)
        } else {
            ("circle.unhide", 0)
        };
        audit::record(
            conn,
            &principal.actor(),
            action,
            ("circle_post", Some(id)),
            Some(json!({ "thread": post.thread_id, "reports_resolved": resolved })),
        )?;
        Ok(())
    })?;
    post(conn, principal, id)
}

/// A moderator finds nothing to act on in a post's reports, and takes them off the queue.
pub fn dismiss(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Post, ApiError> {
    principal.require(Permission::ModerateCircle)?;
    db::transaction(conn, |conn| {
        let (post, _, _) = post_for(conn, principal, id, Act::Moderate)?;
        let resolved = store::resolve_reports(conn, id, (principal.user_id.as_str(), now()))?;
        if resolved == 0 {
            return Err(ApiError::conflict(
                "no_reports",
                "This post has no reports waiting",
            ));
        }
        audit::record(
            conn,
            &principal.actor(),
            "circle.dismiss",
            ("circle_post", Some(id)),
            Some(json!({ "thread": post.thread_id, "reports_resolved": resolved })),
        )?;
        Ok(())
    })?;
    post(conn, principal, id)
}

/// A moderator locks a thread (it takes nothing new) or opens it again.
pub fn set_locked(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &LockForm,
) -> Result<Thread, ApiError> {
    principal.require(Permission::ModerateCircle)?;
    db::transaction(conn, |conn| {
        let (thread, opening, member) = visible_thread(conn, principal, id)?;
        member.may(Act::Moderate, &opening.posted(thread.locked_at.is_some()))?;
        let locking = form.locked.then(|| (principal.user_id.as_str(), now()));
        if !store::set_locked(conn, id, form.version, locking)? {
            return Err(ApiError::version_conflict("thread"));
        }
        let action = if form.locked {
            "circle.lock"
        } else {
            "circle.unlock"
        };
        audit::record(
            conn,
            &principal.actor(),
            action,
            ("circle_thread", Some(id)),
            None,
        )?;
        Ok::<_, ApiError>(())
    })?;
    first_page(conn, principal, id)
}

/// Refuses, before a file is read, a member who may not add one to the post.
pub fn attachable(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<(), ApiError> {
    principal.require(Permission::JoinCircle)?;
    post_for(conn, principal, id, Act::Attach).map(drop)
}

/// Keeps a received file's row on its post, if the member still may add it.
pub fn attach(
    conn: &mut DbConnection,
    principal: &Principal,
    file: &AttachmentRow,
) -> Result<Post, ApiError> {
    db::transaction(conn, |conn| {
        attachable(conn, principal, &file.post_id)?;
        store::insert_attachment(conn, file)?;
        audit::record(
            conn,
            &principal.actor(),
            "circle.attach",
            ("circle_post", Some(&file.post_id)),
            Some(
                json!({ "file": file.id, "media_type": file.media_type, "size": file.size_bytes }),
            ),
        )?;
        Ok::<_, ApiError>(())
    })?;
    post(conn, principal, &file.post_id)
}

/// A file taken off its post, at the post's version read: by the post's author while they
/// may edit it, or by a moderator. Answers the post, and where the file's bytes are, for
/// the caller to delete once this has committed.
pub fn remove_attachment(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    version: i64,
) -> Result<(Post, String), ApiError> {
    principal.require(Permission::JoinCircle)?;
    let file = db::transaction(conn, |conn| {
        let file = store::find_attachment(conn, id)?.ok_or(ApiError::NotFound)?;
        let (post, thread, member) = post_seen(conn, principal, &file.post_id)?;
        let posted = post.posted(thread.locked_at.is_some());
        member
            .may(Act::Read, &posted)
            .map_err(|_| ApiError::NotFound)?;
        member.may(Act::RemoveFile, &posted)?;
        if !store::touch_post(conn, &post.id, version)? {
            return Err(ApiError::version_conflict("post"));
        }
        store::delete_attachment(conn, id)?;
        audit::record(
            conn,
            &principal.actor(),
            "circle.detach",
            ("circle_post", Some(&post.id)),
            Some(json!({ "file": file.id, "thread": post.thread_id })),
        )?;
        Ok::<_, ApiError>(file)
    })?;
    Ok((post(conn, principal, &file.post_id)?, file.storage_key))
}

/// A file of a post the member may read; one of a hidden post is as if it did not exist.
pub fn attachment(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<AttachmentRow, ApiError> {
    principal.require(Permission::JoinCircle)?;
    let file = store::find_attachment(conn, id)?.ok_or(ApiError::NotFound)?;
    post_for(conn, principal, &file.post_id, Act::Read).map_err(|_| ApiError::NotFound)?;
    Ok(file)
}
