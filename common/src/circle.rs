//! The co-learning e-circle: workers of every agency discuss practice by topic, in threads
//! of posts, with reactions, files and moderation. Who may read and do what is
//! [`Member::may`], and nowhere else.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::StaffRef;
use crate::contact;
use crate::error::{FieldError, ValidationErrors};
use crate::hkid;
use crate::hub::AgencyRef;
use crate::paging;
use crate::stored_codes;
use crate::text::{file_name, one_line, paragraphs, required};

pub const TITLE_MAX: usize = 200;
pub const BODY_MAX: usize = 10_000;
pub const REASON_MAX: usize = 500;
pub const QUERY_MAX: usize = 200;

stored_codes! {
    /// The few ways a member answers a post without words.
    pub enum Reaction {
        Helpful = "helpful",
        Thanks = "thanks",
        Agree = "agree",
    }
}

/// Someone of the circle (they hold `Permission::JoinCircle`), or of a course's discussion
/// (its people, as `training::service::discussant` decides), and whether they moderate it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member<'a> {
    pub user_id: &'a str,
    pub moderator: bool,
    /// In a course's discussion, whose moderator (its trainer) reads every post as it
    /// comes: nothing there is reported.
    pub in_course: bool,
}

/// What the rule needs of a post and its thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posted<'a> {
    pub author_id: &'a str,
    pub hidden: bool,
    pub thread_locked: bool,
}

/// What a member would do with a post (replying is done to a thread's opening post).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Read its words (everyone reads that it exists).
    Read,
    Reply,
    Edit,
    /// Change the title and topic of the thread this post opens.
    Retitle,
    Attach,
    /// Take a file off it.
    RemoveFile,
    React,
    Report,
    /// Hide or show it, lock or unlock its thread, dismiss its reports.
    Moderate,
}

/// Why an act is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not theirs to do.
    NotAllowed,
    /// The thread is locked: it takes nothing new.
    Locked,
    /// The post is hidden by a moderator.
    Hidden,
}

/// Which hidden threads a member finds in lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HiddenThreads<'a> {
    All,
    StartedBy(&'a str),
}

impl Member<'_> {
    /// The one rule of the circle. Every member reads every post, whatever their agency;
    /// a hidden post's words only its author and the moderators. A locked thread takes no
    /// replies, edits, files or reactions, but may still be reported, since something in
    /// it may still identify a family. Authors edit and add files to their own posts, and
    /// while they may edit one they retitle its thread (when it opens one) and take its
    /// files off; nobody reports their own post or reacts to a hidden one; moderators
    /// moderate, and retitle threads and take files off at any time, locked or hidden,
    /// since that is how they take out what identifies a family.
    pub fn may(&self, act: Act, post: &Posted) -> Result<(), Refusal> {
        let own = post.author_id == self.user_id;
        let open = || {
            if post.thread_locked {
                Err(Refusal::Locked)
            } else {
                Ok(())
            }
        };
        let shown = || {
            if post.hidden {
                Err(Refusal::Hidden)
            } else {
                Ok(())
            }
        };
        let allowed = |yes: bool| {
            if yes {
                Ok(())
            } else {
                Err(Refusal::NotAllowed)
            }
        };
        match act {
            Act::Read => {
                if own || self.moderator {
                    Ok(())
                } else {
                    shown()
                }
            }
            Act::Reply => open(),
            Act::Edit => allowed(own).and_then(|()| open()),
            Act::Retitle | Act::RemoveFile if self.moderator => Ok(()),
            Act::Retitle | Act::RemoveFile => self.may(Act::Edit, post),
            Act::Attach => allowed(own).and_then(|()| open()).and_then(|()| shown()),
            Act::React => open().and_then(|()| shown()),
            Act::Report => allowed(!own && !self.in_course).and_then(|()| shown()),
            Act::Moderate => allowed(self.moderator),
        }
    }

    /// What the member may do with a post, for the page to offer.
    pub fn actions(&self, post: &Posted) -> PostActions {
        let may = |act| self.may(act, post).is_ok();
        PostActions {
            edit: may(Act::Edit),
            attach: may(Act::Attach),
            remove_files: may(Act::RemoveFile),
            react: may(Act::React),
            report: may(Act::Report),
            moderate: may(Act::Moderate),
        }
    }

    /// A thread whose opening post is hidden is withdrawn: listed only to whom may still
    /// read that post (as [`Member::may`] reads it).
    pub fn hidden_threads(&self) -> HiddenThreads<'_> {
        if self.moderator {
            HiddenThreads::All
        } else {
            HiddenThreads::StartedBy(self.user_id)
        }
    }
}

/// What in free text would identify a client, as the circle refuses it (and the web app
/// warns of it as it is typed): an HKID, a Hong Kong phone number, an e-mail address.
pub fn identifying(text: &str) -> Option<FieldError> {
    if hkid::shaped_in(text) {
        Some(FieldError::new(
            "identifies_a_person",
            "This looks like an HKID number: posts must not identify clients",
        ))
    } else if contact::phone_in(text) {
        Some(FieldError::new(
            "identifies_by_phone",
            "This looks like a phone number: posts must not identify clients (for a hotline, name the service)",
        ))
    } else if contact::email_in(text) {
        Some(FieldError::new(
            "identifies_by_email",
            "This looks like an e-mail address: posts must not identify clients",
        ))
    } else {
        None
    }
}

/// Free text of the circle: cleaned, within its length, and never identifying a family.
fn words(cleaned: Result<String, FieldError>, what: &str) -> Result<String, FieldError> {
    let text = required(cleaned, what)?;
    match identifying(&text) {
        Some(refused) => Err(refused),
        None => Ok(text),
    }
}

/// A thread's title, and its topic (a case nature's code), which a thread of the circle
/// has and one of a course's discussion has not (it is the course's).
fn title_and_topic(
    (title, topic): (&str, &str),
    in_course: bool,
    errors: &mut ValidationErrors,
) -> (Option<String>, Option<String>) {
    let title = errors.check("title", words(one_line(title, TITLE_MAX), "The title"));
    let topic = Some(topic.trim().to_owned()).filter(|t| !t.is_empty());
    match (&topic, in_course) {
        (None, false) => errors.add("topic", "required", "Choose a topic"),
        (Some(_), true) => errors.add(
            "topic",
            "not_allowed",
            "A course's discussion has no topic of its own",
        ),
        _ => {}
    }
    (title, topic)
}

/// A new thread: its title, its topic (a case nature's code) and its opening post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ThreadForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub body: String,
}

/// A thread's words once valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewThread {
    pub title: String,
    pub topic: Option<String>,
    pub body: String,
}

impl ThreadForm {
    /// A thread of the circle has a topic; one of a course's discussion has none (it is
    /// the course's).
    pub fn parse(&self, in_course: bool) -> Result<NewThread, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (title, topic) = title_and_topic((&self.title, &self.topic), in_course, &mut errors);
        let body = errors.check("body", words(paragraphs(&self.body, BODY_MAX), "The post"));
        errors.into_result(|| NewThread {
            title: title.unwrap_or_default(),
            topic,
            body: body.unwrap_or_default(),
        })
    }
}

/// A thread's title and topic as changed, at the thread's version read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RetitleForm {
    #[serde(default)]
    pub title: String,
    /// Empty in a course's discussion.
    #[serde(default)]
    pub topic: String,
    pub version: i64,
}

/// A thread's title and topic once valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retitled {
    pub title: String,
    pub topic: Option<String>,
}

impl RetitleForm {
    /// As a new thread's: a course's discussion keeps having no topic.
    pub fn parse(&self, in_course: bool) -> Result<Retitled, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (title, topic) = title_and_topic((&self.title, &self.topic), in_course, &mut errors);
        errors.into_result(|| Retitled {
            title: title.unwrap_or_default(),
            topic,
        })
    }
}

/// A reply, or a post's words as edited (with the version read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PostForm {
    #[serde(default)]
    pub body: String,
    /// The version edited; none for a reply.
    pub version: Option<i64>,
}

impl PostForm {
    pub fn parse(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let body = errors.check("body", words(paragraphs(&self.body, BODY_MAX), "The post"));
        errors.into_result(|| body.unwrap_or_default())
    }
}

/// A reaction given, or taken back when given already.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReactionForm {
    pub reaction: Reaction,
}

/// Why a post should be looked at by a moderator.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportForm {
    #[serde(default)]
    pub reason: String,
}

impl ReportForm {
    pub fn parse(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reason = errors.check(
            "reason",
            words(one_line(&self.reason, REASON_MAX), "The reason"),
        );
        errors.into_result(|| reason.unwrap_or_default())
    }
}

/// A moderator hides a post (saying why) or shows it again, at the version read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HideForm {
    pub hidden: bool,
    #[serde(default)]
    pub reason: String,
    pub version: i64,
}

impl HideForm {
    /// The reason, required to hide; showing again needs none.
    pub fn parse(&self) -> Result<Option<String>, ValidationErrors> {
        if !self.hidden {
            return Ok(None);
        }
        let mut errors = ValidationErrors::default();
        let reason = errors.check(
            "reason",
            words(one_line(&self.reason, REASON_MAX), "The reason"),
        );
        errors.into_result(|| reason)
    }
}

/// A moderator locks a thread or opens it again, at the version read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LockForm {
    pub locked: bool,
    pub version: i64,
}

/// A file sent to a post: its name as the sender had it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AttachQuery {
    #[serde(default)]
    pub name: String,
}

impl AttachQuery {
    pub fn file_name(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.check("name", file_name(&self.name));
        errors.into_result(|| name.unwrap_or_default())
    }
}

/// The thread list's search: words, a topic and a page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ThreadQuery {
    pub q: Option<String>,
    pub topic: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A thread search once valid: every word must be in the thread's title or one of its
/// posts not hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadSearch {
    pub words: Vec<String>,
    pub topic: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

impl ThreadQuery {
    pub fn parse(&self) -> Result<ThreadSearch, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let q = errors
            .check("q", one_line(self.q.as_deref().unwrap_or(""), QUERY_MAX))
            .unwrap_or_default();
        let (page, per_page) = paging::window(self.page, self.per_page, &mut errors);
        let topic = self
            .topic
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        errors.into_result(|| ThreadSearch {
            words: q
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_owned)
                .collect(),
            topic,
            page,
            per_page,
        })
    }
}

/// A page of a list that is not searched (a thread's replies, the reports waiting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PageQuery {
    pub fn parse(&self) -> Result<(i64, i64), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let window = paging::window(self.page, self.per_page, &mut errors);
        errors.into_result(|| window)
    }
}

/// Who wrote a post: their name and agency, for the circle crosses agencies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Author {
    pub id: String,
    pub display_name: String,
    pub agency: Option<AgencyRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReactionCount {
    pub reaction: Reaction,
    pub count: i64,
    /// The reader gave it.
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// That a moderator hid a post; why, to its author and the moderators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Hiding {
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// What the reader may do with a post, as the server decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PostActions {
    pub edit: bool,
    pub attach: bool,
    /// Take its files off.
    pub remove_files: bool,
    pub react: bool,
    pub report: bool,
    pub moderate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: String,
    pub thread_id: String,
    pub author: Author,
    /// None when hidden from the reader.
    pub body: Option<String>,
    pub hidden: Option<Hiding>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    /// Every reaction, given or not, in the list's order.
    pub reactions: Vec<ReactionCount>,
    pub attachments: Vec<Attachment>,
    pub may: PostActions,
    pub version: i64,
}

/// That a moderator locked a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Locking {
    pub at: DateTime<Utc>,
    pub by: StaffRef,
}

/// A thread as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ThreadSummary {
    pub id: String,
    pub title: String,
    /// The circle's threads have one; a course discussion's have none.
    pub topic: Option<String>,
    pub author: Author,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub replies: i64,
    pub locked: bool,
    /// Its opening post is hidden (only its author and moderators list it).
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ThreadList {
    pub items: Vec<ThreadSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// A thread with its opening post and a page of its replies, the earliest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Thread {
    pub id: String,
    pub title: String,
    pub topic: Option<String>,
    /// The course whose discussion it is in, if it is.
    pub course_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
    pub locked: Option<Locking>,
    pub opening: Post,
    pub replies: Vec<Post>,
    pub replies_total: i64,
    pub page: i64,
    pub per_page: i64,
    pub may_reply: bool,
    pub may_moderate: bool,
    /// Change its title and topic.
    pub may_retitle: bool,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: String,
    pub reason: String,
    pub reported_by: Author,
    pub reported_at: DateTime<Utc>,
}

/// A post waiting for a moderator, with the reports not yet dealt with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReportedPost {
    pub thread_title: String,
    pub post: Post,
    pub reports: Vec<Report>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReportQueue {
    pub items: Vec<ReportedPost>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(author_id: &str, hidden: bool, thread_locked: bool) -> Posted<'_> {
        Posted {
            author_id,
            hidden,
            thread_locked,
        }
    }

    #[test]
    fn authors_edit_their_own_and_a_lock_freezes_the_thread() {
        let author = Member {
            user_id: "a",
            moderator: false,
            in_course: false,
        };
        let other = Member {
            user_id: "b",
            moderator: false,
            in_course: false,
        };
        let open = post("a", false, false);
        assert_eq!(author.may(Act::Edit, &open), Ok(()));
        assert_eq!(other.may(Act::Edit, &open), Err(Refusal::NotAllowed));
        assert_eq!(author.may(Act::Report, &open), Err(Refusal::NotAllowed));
        assert_eq!(other.may(Act::Report, &open), Ok(()));
        let learner = Member {
            in_course: true,
            ..other
        };
        assert_eq!(learner.may(Act::Report, &open), Err(Refusal::NotAllowed));
        assert_eq!(learner.may(Act::Reply, &open), Ok(()));
        let locked = post("a", false, true);
        assert_eq!(other.may(Act::Reply, &locked), Err(Refusal::Locked));
        assert_eq!(author.may(Act::Edit, &locked), Err(Refusal::Locked));
        assert_eq!(other.may(Act::React, &locked), Err(Refusal::Locked));
        assert_eq!(other.may(Act::Report, &locked), Ok(()));
        assert_eq!(other.may(Act::Moderate, &open), Err(Refusal::NotAllowed));
    }

    #[test]
    fn a_hidden_post_is_read_by_its_author_and_the_moderators() {
        let hidden = post("a", true, false);
        let author = Member {
            user_id: "a",
            moderator: false,
            in_course: false,
        };
        let moderator = Member {
            user_id: "m",
            moderator: true,
            in_course: false,
        };
        let other = Member {
            user_id: "b",
            moderator: false,
            in_course: false,
        };
        assert_eq!(author.may(Act::Read, &hidden), Ok(()));
        assert_eq!(moderator.may(Act::Read, &hidden), Ok(()));
        assert_eq!(other.may(Act::Read, &hidden), Err(Refusal::Hidden));
        assert_eq!(other.may(Act::React, &hidden), Err(Refusal::Hidden));
        assert_eq!(author.may(Act::Attach, &hidden), Err(Refusal::Hidden));
        assert_eq!(moderator.hidden_threads(), HiddenThreads::All);
        assert_eq!(other.hidden_threads(), HiddenThreads::StartedBy("b"));
        assert!(moderator.actions(&hidden).moderate);
    }

    #[test]
    fn a_post_naming_an_hkid_is_refused_by_field() {
        let form = ThreadForm {
            title: " 管教  技巧 ".into(),
            topic: "parent_child".into(),
            body: "案主 A123456(3) 的兒子".into(),
        };
        let errors = form.parse(false).unwrap_err();
        assert_eq!(errors.0["body"].code, "identifies_a_person");
        assert_eq!(errors.0.len(), 1);
        let fine = ThreadForm {
            body: "分享一個親子溝通的練習。".into(),
            ..form
        };
        assert_eq!(fine.parse(false).unwrap().title, "管教 技巧");
        assert_eq!(fine.parse(true).unwrap_err().0["topic"].code, "not_allowed");
        let hide = HideForm {
            hidden: true,
            reason: " ".into(),
            version: 1,
        };
        assert_eq!(hide.parse().unwrap_err().0["reason"].code, "required");
    }

    #[test]
    fn authors_retitle_and_take_files_off_while_they_may_edit_and_moderators_always() {
        let author = Member {
            user_id: "a",
            moderator: false,
            in_course: false,
        };
        let other = Member {
            user_id: "b",
            ..author
        };
        let moderator = Member {
            user_id: "m",
            moderator: true,
            in_course: false,
        };
        let open = post("a", false, false);
        let locked = post("a", false, true);
        let hidden = post("a", true, false);
        for act in [Act::Retitle, Act::RemoveFile] {
            assert_eq!(author.may(act, &open), Ok(()));
            assert_eq!(author.may(act, &hidden), Ok(()));
            assert_eq!(author.may(act, &locked), Err(Refusal::Locked));
            assert_eq!(other.may(act, &open), Err(Refusal::NotAllowed));
            assert_eq!(moderator.may(act, &locked), Ok(()));
            assert_eq!(moderator.may(act, &hidden), Ok(()));
        }
        assert!(author.actions(&open).remove_files);
        assert!(!other.actions(&open).remove_files);
    }

    #[test]
    fn a_phone_or_an_email_is_refused_by_field_with_its_own_code() {
        let form = ThreadForm {
            title: "請致電 9123 4567".into(),
            topic: "parent_child".into(),
            body: "或電郵 chan@example.com".into(),
        };
        let errors = form.parse(false).unwrap_err();
        assert_eq!(errors.0["title"].code, "identifies_by_phone");
        assert_eq!(errors.0["body"].code, "identifies_by_email");
        let reply = PostForm {
            body: "+852 6123-4567".into(),
            version: None,
        };
        assert_eq!(
            reply.parse().unwrap_err().0["body"].code,
            "identifies_by_phone"
        );
        assert_eq!(identifying("2023-2024 年度的小組"), None);
        let retitle = RetitleForm {
            title: "管教".into(),
            topic: "parent_child".into(),
            version: 1,
        };
        assert_eq!(
            retitle.parse(true).unwrap_err().0["topic"].code,
            "not_allowed"
        );
        let course = RetitleForm {
            topic: String::new(),
            ..retitle.clone()
        };
        assert_eq!(course.parse(true).unwrap().topic, None);
        assert_eq!(
            retitle.parse(false).unwrap().topic.as_deref(),
            Some("parent_child")
        );
    }

    #[test]
    fn a_search_is_cut_into_words() {
        let search = ThreadQuery {
            q: Some(" 管教  Discipline ".into()),
            topic: Some(" ".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(search.words, vec!["管教", "Discipline"]);
        assert_eq!(search.topic, None);
        assert_eq!((search.page, search.per_page), (1, 20));
    }
}
