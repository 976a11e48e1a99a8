//! What a centre runs besides casework: one-off programmes, groups (a planned series of
//! sessions for a fixed membership) and community events or campaigns (which count
//! reach rather than members); their sessions, who enrols and who came.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case_notes::from_hong_kong;
use crate::cases::{code_list, missing, version, StaffRef};
use crate::clients::Sex;
use crate::error::{FieldError, ValidationErrors};
use crate::identity::Unit;
use crate::stored_codes;
use crate::text::{one_line, required};

stored_codes! {
    /// The three kinds of work, which SWD counts apart.
    pub enum ActivityKind {
        /// A one-off or project activity.
        Programme = "programme",
        /// A systematic series of sessions for a specified membership.
        Group = "group",
        /// A community event or public-education campaign: counts reach, not members.
        CommunityEvent = "community_event",
    }
}

stored_codes! {
    /// What the activity is; each belongs to one kind ([`ActivityFormat::kind`]).
    pub enum ActivityFormat {
        Talk = "talk",
        Seminar = "seminar",
        Workshop = "workshop",
        Exhibition = "exhibition",
        Carnival = "carnival",
        Outing = "outing",
        EducationalGroup = "educational_group",
        DevelopmentalGroup = "developmental_group",
        SupportGroup = "support_group",
        TherapeuticGroup = "therapeutic_group",
        RecreationalGroup = "recreational_group",
        FamilyFunDay = "family_fun_day",
        FlagshipEvent = "flagship_event",
        SocialMediaCampaign = "social_media_campaign",
        PressEvent = "press_event",
        MediaInterview = "media_interview",
    }
}

impl ActivityFormat {
    pub fn kind(self) -> ActivityKind {
        use ActivityFormat::*;
        match self {
            Talk | Seminar | Workshop | Exhibition | Carnival | Outing => ActivityKind::Programme,
            EducationalGroup | DevelopmentalGroup | SupportGroup | TherapeuticGroup
            | RecreationalGroup => ActivityKind::Group,
            FamilyFunDay | FlagshipEvent | SocialMediaCampaign | PressEvent | MediaInterview => {
                ActivityKind::CommunityEvent
            }
        }
    }

    pub fn of_kind(kind: ActivityKind) -> impl Iterator<Item = ActivityFormat> {
        Self::ALL.iter().copied().filter(move |f| f.kind() == kind)
    }
}

stored_codes! {
    pub enum ActivityMode {
        FaceToFace = "face_to_face",
        Online = "online",
        /// Some sessions in person, some online: the original project's "blended mode".
        Blended = "blended",
    }
}

stored_codes! {
    /// Whom the activity is meant for.
    pub enum TargetGroup {
        Children = "children",
        Adolescents = "adolescents",
        Parents = "parents",
        Couples = "couples",
        Families = "families",
        Women = "women",
        Men = "men",
        Elders = "elders",
        Carers = "carers",
        NewArrivals = "new_arrivals",
        EthnicMinorities = "ethnic_minorities",
        GeneralPublic = "general_public",
    }
}

stored_codes! {
    pub enum FacilitatorRole {
        /// A staff member of the platform, named by their account: their sessions are
        /// on their calendar and checked for double booking.
        Staff = "staff",
        Volunteer = "volunteer",
        External = "external",
    }
}

stored_codes! {
    pub enum EnrolmentStatus {
        Enrolled = "enrolled",
        /// The activity was full: given a place, in the order asked, when one frees.
        Waiting = "waiting",
        Withdrawn = "withdrawn",
    }
}

stored_codes! {
    pub enum AttendanceStatus {
        Present = "present",
        Late = "late",
        Absent = "absent",
        Excused = "excused",
    }
}

impl AttendanceStatus {
    /// Came, if late.
    pub fn attended(self) -> bool {
        matches!(self, AttendanceStatus::Present | AttendanceStatus::Late)
    }
}

stored_codes! {
    /// The age bands anonymous participants are counted in.
    pub enum HeadcountBand {
        Age0To5 = "0_5",
        Age6To12 = "6_12",
        Age13To17 = "13_17",
        Age18To64 = "18_64",
        Age65Plus = "65_plus",
    }
}

pub const TITLE_ZH_MAX: usize = 100;
pub const TITLE_EN_MAX: usize = 200;
pub const PLACE_MAX: usize = 200;
pub const LINK_MAX: usize = 500;
pub const FACILITATORS_MAX: usize = 12;
pub const CAPACITY_MAX: i64 = 10_000;
pub const WEEKS_MAX: i64 = 52;
pub const SESSION_MINUTES_MAX: i64 = 24 * 60;
pub const HEADCOUNT_MAX: i64 = 1_000_000;
pub const REASON_MAX: usize = 500;
pub const COUNTING_NOTE_MAX: usize = 1000;
pub const COMPLETION_PERCENT_DEFAULT: i64 = 70;
/// A calendar asks for at most about two months at once.
pub const CALENDAR_DAYS_MAX: i64 = 62;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Facilitator {
    pub role: FacilitatorRole,
    /// The staff member, for a staff facilitator.
    pub staff: Option<StaffRef>,
    /// A volunteer's or an external facilitator's name.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FacilitatorForm {
    pub role: Option<FacilitatorRole>,
    /// A staff facilitator's account.
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub user_id: Option<String>,
    /// A volunteer's or an external facilitator's name.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub name: String,
}

/// A facilitator once valid: a staff account, or a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacilitatorDetails {
    Staff(String),
    Named(FacilitatorRole, String),
}

/// How a group went: sessions held so far, how many of its members came to each, and
/// who completed it (came to at least the activity's share of the sessions held).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Evaluation {
    pub sessions_planned: i64,
    /// Sessions that have begun.
    pub sessions_held: i64,
    pub members: i64,
    /// Of the members' places at the sessions held, the share taken, from 0 to 1; none
    /// before a session is held.
    pub attendance_rate: Option<f64>,
    pub completed: i64,
}

impl Evaluation {
    /// From each member's attended count, the sessions held and the completion share.
    pub fn of(
        sessions_planned: i64,
        sessions_held: i64,
        attended_by_member: &[i64],
        completion_percent: i64,
    ) -> Evaluation {
        let members = attended_by_member.len() as i64;
        let places = members * sessions_held;
        // A roll call may be taken on the session's day before it begins: a mark counts
        // once the session is held, so nobody came to more sessions than were held.
        let attended: i64 = attended_by_member
            .iter()
            .map(|&n| n.min(sessions_held))
            .sum();
        Evaluation {
            sessions_planned,
            sessions_held,
            members,
            attendance_rate: (places > 0).then(|| attended as f64 / places as f64),
            completed: if sessions_held == 0 {
                0
            } else {
                attended_by_member
                    .iter()
                    .filter(|&&n| n * 100 >= completion_percent * sessions_held)
                    .count() as i64
            },
        }
    }
}

/// A community event's reach, as entered for the whole event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EventReach {
    pub headcounts: Vec<BandCount>,
    pub online_views: i64,
    pub online_participants: i64,
    pub media_items: i64,
    /// How the numbers were counted.
    pub counting_note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BandCount {
    pub age_band: HeadcountBand,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Activity {
    pub id: String,
    pub centre_id: String,
    pub unit: Unit,
    pub kind: ActivityKind,
    pub format: ActivityFormat,
    pub title_zh: String,
    pub title_en: String,
    /// Case nature codes.
    pub theme_codes: Vec<String>,
    /// Family life education theme codes.
    pub education_theme_codes: Vec<String>,
    pub target_group: TargetGroup,
    pub mode: ActivityMode,
    /// No limit when none.
    pub capacity: Option<i64>,
    pub facilitators: Vec<Facilitator>,
    pub venue: Option<String>,
    pub meeting_link: Option<String>,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub intervention_model: Option<String>,
    /// The share of sessions held a member must attend to complete.
    pub completion_percent: i64,
    pub enrolled: i64,
    pub waiting: i64,
    pub evaluation: Evaluation,
    /// A community event's reach, once entered.
    pub reach: Option<EventReach>,
    pub created_by: StaffRef,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivityPage {
    pub items: Vec<Activity>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Creating an activity, or editing it with the version it was read at.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityForm {
    pub format: Option<ActivityFormat>,
    /// The centre's unit that runs it; left out, the Family Resource Unit.
    pub unit: Option<Unit>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 100))]
    pub title_zh: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub title_en: String,
    /// Case nature codes; with the education themes, at least one theme in all.
    #[serde(default)]
    pub theme_codes: Vec<String>,
    #[serde(default)]
    pub education_theme_codes: Vec<String>,
    pub target_group: Option<TargetGroup>,
    pub mode: Option<ActivityMode>,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 10000))]
    pub capacity: Option<i64>,
    #[serde(default)]
    pub facilitators: Vec<FacilitatorForm>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub venue: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub meeting_link: String,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub intervention_model: Option<String>,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 100))]
    pub completion_percent: Option<i64>,
    /// Required to edit, absent to create.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityDetails {
    pub format: ActivityFormat,
    pub unit: Unit,
    pub title_zh: String,
    pub title_en: String,
    pub theme_codes: Vec<String>,
    pub education_theme_codes: Vec<String>,
    pub target_group: TargetGroup,
    pub mode: ActivityMode,
    pub capacity: Option<i64>,
    pub facilitators: Vec<FacilitatorDetails>,
    pub venue: Option<String>,
    pub meeting_link: Option<String>,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub actual_start: Option<NaiveDate>,
    pub actual_end: Option<NaiveDate>,
    pub intervention_model: Option<String>,
    pub completion_percent: i64,
}

fn dates_in_order(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<(), FieldError> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(FieldError::new(
            "before_start",
            "The end cannot be before the start",
        )),
        _ => Ok(()),
    }
}

fn optional(text: Result<String, FieldError>) -> Result<Option<String>, FieldError> {
    text.map(|t| Some(t).filter(|t| !t.is_empty()))
}

impl FacilitatorForm {
    fn parse(&self) -> Result<FacilitatorDetails, FieldError> {
        match self.role {
            None => Err(missing("The facilitator's role")),
            Some(FacilitatorRole::Staff) => match self.user_id.as_deref().map(str::trim) {
                Some(id) if !id.is_empty() && id.len() <= 40 => {
                    Ok(FacilitatorDetails::Staff(id.to_owned()))
                }
                _ => Err(missing("A staff facilitator's account")),
            },
            Some(role) => {
                let name = required(one_line(&self.name, 100), "The facilitator's name")?;
                Ok(FacilitatorDetails::Named(role, name))
            }
        }
    }
}

impl ActivityForm {
    pub fn parse(&self) -> Result<ActivityDetails, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let format = errors.check("format", self.format.ok_or_else(|| missing("Format")));
        let title_zh = errors.check(
            "title_zh",
            required(one_line(&self.title_zh, TITLE_ZH_MAX), "The Chinese title"),
        );
        let title_en = errors.check(
            "title_en",
            required(one_line(&self.title_en, TITLE_EN_MAX), "The English title"),
        );
        let education_theme_codes = errors.check(
            "education_theme_codes",
            code_list(&self.education_theme_codes),
        );
        let theme_codes = errors.check(
            "theme_codes",
            code_list(&self.theme_codes).and_then(|codes| {
                if codes.is_empty() && education_theme_codes.as_ref().is_some_and(Vec::is_empty) {
                    Err(missing("A theme"))
                } else {
                    Ok(codes)
                }
            }),
        );
        let target_group = errors.check(
            "target_group",
            self.target_group.ok_or_else(|| missing("Target group")),
        );
        let mode = errors.check("mode", self.mode.ok_or_else(|| missing("Mode")));
        let capacity = errors.check(
            "capacity",
            match self.capacity {
                Some(n) if !(1..=CAPACITY_MAX).contains(&n) => Err(FieldError::new(
                    "out_of_range",
                    format!("Capacity is from 1 to {CAPACITY_MAX}"),
                )),
                Some(_)
                    if format.map(ActivityFormat::kind) == Some(ActivityKind::CommunityEvent) =>
                {
                    Err(FieldError::new(
                        "not_for_events",
                        "A community event counts reach: it has no places",
                    ))
                }
                n => Ok(n),
            },
        );
        if self.facilitators.len() > FACILITATORS_MAX {
            errors.add(
                "facilitators",
                "too_many",
                format!("At most {FACILITATORS_MAX}"),
            );
        }
        let mut facilitators = Vec::new();
        for (i, form) in self.facilitators.iter().enumerate() {
            if let Some(f) = errors.check(&format!("facilitators.{i}"), form.parse()) {
                if facilitators.contains(&f) {
                    errors.add(
                        &format!("facilitators.{i}"),
                        "repeated",
                        "The same facilitator is named twice",
                    );
                }
                facilitators.push(f);
            }
        }
        let venue = errors.check("venue", optional(one_line(&self.venue, PLACE_MAX)));
        let meeting_link = errors.check(
            "meeting_link",
            optional(one_line(&self.meeting_link, LINK_MAX)).and_then(|link| match link {
                Some(link) if !link.starts_with("https://") && !link.starts_with("http://") => Err(
                    FieldError::new("not_a_link", "A meeting link starts with https://"),
                ),
                link => Ok(link),
            }),
        );
        if let (Some(mode), Some(venue), Some(link)) = (mode, &venue, &meeting_link) {
            if mode != ActivityMode::Online && venue.is_none() {
                errors.add(
                    "venue",
                    "required",
                    "A venue is required unless it is online",
                );
            }
            if mode != ActivityMode::FaceToFace && link.is_none() {
                errors.add(
                    "meeting_link",
                    "required",
                    "A meeting link is required for online sessions",
                );
            }
        }
        let planned_start = errors.check(
            "planned_start",
            self.planned_start.ok_or_else(|| missing("Planned start")),
        );
        let planned_end = errors.check(
            "planned_end",
            self.planned_end
                .ok_or_else(|| missing("Planned end"))
                .and_then(|end| dates_in_order(planned_start, Some(end)).map(|_| end)),
        );
        errors.check(
            "actual_end",
            dates_in_order(self.actual_start, self.actual_end).and_then(|_| {
                match (self.actual_start, self.actual_end) {
                    (None, Some(_)) => Err(FieldError::new(
                        "no_start",
                        "An activity ends only after it started",
                    )),
                    _ => Ok(()),
                }
            }),
        );
        let intervention_model = errors.check(
            "intervention_model",
            match self.intervention_model.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(code) if code.len() > 40 => {
                    Err(FieldError::new("unknown", "Unknown intervention model"))
                }
                Some(code) => Ok(Some(code.to_owned())),
            },
        );
        let completion_percent = errors.check(
            "completion_percent",
            match self.completion_percent {
                None => Ok(COMPLETION_PERCENT_DEFAULT),
                Some(p) if (1..=100).contains(&p) => Ok(p),
                Some(_) => Err(FieldError::new(
                    "out_of_range",
                    "Completion is from 1 to 100 per cent of the sessions",
                )),
            },
        );
        match (
            format,
            title_zh,
            title_en,
            theme_codes,
            education_theme_codes,
            target_group,
            mode,
            capacity,
            venue,
            meeting_link,
            planned_start,
            planned_end,
            intervention_model,
            completion_percent,
        ) {
            (
                Some(format),
                Some(title_zh),
                Some(title_en),
                Some(theme_codes),
                Some(education_theme_codes),
                Some(target_group),
                Some(mode),
                Some(capacity),
                Some(venue),
                Some(meeting_link),
                Some(planned_start),
                Some(planned_end),
                Some(intervention_model),
                Some(completion_percent),
            ) if errors.is_empty() => Ok(ActivityDetails {
                format,
                unit: self.unit.unwrap_or(Unit::FamilyResource),
                title_zh,
                title_en,
                theme_codes,
                education_theme_codes,
                target_group,
                mode,
                capacity,
                facilitators,
                venue,
                meeting_link,
                planned_start,
                planned_end,
                actual_start: self.actual_start,
                actual_end: self.actual_end,
                intervention_model,
                completion_percent,
            }),
            _ => Err(errors),
        }
    }
}

/// The activities list's filters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ActivityListQuery {
    pub kind: Option<ActivityKind>,
    pub unit: Option<Unit>,
    /// Activities running on or after this day (planned end).
    pub from: Option<NaiveDate>,
    /// Activities starting on or before this day (planned start).
    pub until: Option<NaiveDate>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFilter {
    pub kind: Option<ActivityKind>,
    pub unit: Option<Unit>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub page: i64,
    pub per_page: i64,
}

impl ActivityListQuery {
    pub fn parse(&self) -> Result<ActivityFilter, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (page, per_page) = crate::paging::window(self.page, self.per_page, &mut errors);
        errors.check("until", dates_in_order(self.from, self.until));
        errors.into_result(|| ActivityFilter {
            kind: self.kind,
            unit: self.unit,
            from: self.from,
            until: self.until,
            page,
            per_page,
        })
    }
}

/// One meeting of an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActivitySession {
    pub id: String,
    pub activity_id: String,
    /// 1 for the first session by time.
    pub number: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The session's own venue, else the activity's.
    pub venue: Option<String>,
    pub online: bool,
}

/// Adding sessions: one, or the same time every week for `weeks` weeks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionForm {
    /// The first session's start, in Hong Kong time.
    pub starts_at: Option<NaiveDateTime>,
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 1440))]
    pub minutes: Option<i64>,
    /// How many weekly sessions to make; left out, one.
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 52))]
    pub weeks: Option<i64>,
    /// Left empty, the activity's venue.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 200))]
    pub venue: String,
    /// Held online; left out, as the activity's mode says (online only when it is online).
    pub online: Option<bool>,
    /// Save even though a facilitator or the venue is booked at the same time.
    #[serde(default)]
    pub despite_clashes: bool,
}

/// The sessions a form asks for, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSessions {
    pub times: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    pub venue: Option<String>,
    pub online: Option<bool>,
    pub despite_clashes: bool,
}

impl SessionForm {
    pub fn parse(&self) -> Result<PlannedSessions, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let starts_at = errors.check(
            "starts_at",
            self.starts_at
                .map(from_hong_kong)
                .ok_or_else(|| missing("The start")),
        );
        let minutes = errors.check(
            "minutes",
            match self.minutes {
                None => Err(missing("The length")),
                Some(m) if !(1..=SESSION_MINUTES_MAX).contains(&m) => Err(FieldError::new(
                    "out_of_range",
                    "A session lasts from 1 to 1440 minutes",
                )),
                Some(m) => Ok(m),
            },
        );
        let weeks = errors.check(
            "weeks",
            match self.weeks.unwrap_or(1) {
                w if (1..=WEEKS_MAX).contains(&w) => Ok(w),
                _ => Err(FieldError::new(
                    "out_of_range",
                    format!("From 1 to {WEEKS_MAX} weeks"),
                )),
            },
        );
        let venue = errors.check("venue", optional(one_line(&self.venue, PLACE_MAX)));
        match (starts_at, minutes, weeks, venue) {
            (Some(start), Some(minutes), Some(weeks), Some(venue)) if errors.is_empty() => {
                Ok(PlannedSessions {
                    // Hong Kong keeps no summer time: a week later is 7 × 24 hours later.
                    times: (0..weeks)
                        .map(|w| {
                            let at = start + Duration::weeks(w);
                            (at, at + Duration::minutes(minutes))
                        })
                        .collect(),
                    venue,
                    online: self.online,
                    despite_clashes: self.despite_clashes,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Another session at the same time that shares a staff facilitator or the venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Clash {
    /// The planned session's start that clashes.
    pub starts_at: DateTime<Utc>,
    /// The session it clashes with, and that session's activity.
    pub session: ActivitySession,
    pub activity: CalendarActivity,
    /// The staff booked twice, if any.
    pub facilitators: Vec<StaffRef>,
    /// Whether the venue is booked twice.
    pub venue: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SessionsAdded {
    pub sessions: Vec<ActivitySession>,
    /// Clashes saved anyway.
    pub clashes: Vec<Clash>,
}

/// An activity as a calendar names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CalendarActivity {
    pub id: String,
    pub kind: ActivityKind,
    pub title_zh: String,
    pub title_en: String,
    pub facilitators: Vec<Facilitator>,
}

/// Sessions in time order, and their activities, each once (a group meets every week).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Calendar {
    pub sessions: Vec<ActivitySession>,
    pub activities: Vec<CalendarActivity>,
}

impl Calendar {
    pub fn activity(&self, id: &str) -> Option<&CalendarActivity> {
        self.activities.iter().find(|a| a.id == id)
    }
}

/// A calendar's window and whose sessions it shows: the centre's, one staff
/// facilitator's, or one venue's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// The first day shown (Hong Kong).
    pub from: Option<NaiveDate>,
    /// The last day shown.
    pub until: Option<NaiveDate>,
    pub facilitator: Option<String>,
    pub venue: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CalendarWindow {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub facilitator: Option<String>,
    pub venue: Option<String>,
}

impl CalendarQuery {
    pub fn parse(&self) -> Result<CalendarWindow, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let from = errors.check("from", self.from.ok_or_else(|| missing("The first day")));
        let until = errors.check(
            "until",
            match (from, self.until) {
                (_, None) => Err(missing("The last day")),
                (Some(from), Some(until)) if until < from => Err(FieldError::new(
                    "before_start",
                    "The last day cannot be before the first",
                )),
                (Some(from), Some(until)) if (until - from).num_days() >= CALENDAR_DAYS_MAX => {
                    Err(FieldError::new(
                        "too_long",
                        format!("At most {CALENDAR_DAYS_MAX} days at once"),
                    ))
                }
                (_, Some(until)) => Ok(until),
            },
        );
        let venue = errors.check(
            "venue",
            optional(one_line(self.venue.as_deref().unwrap_or(""), PLACE_MAX)),
        );
        let midnight = |day: NaiveDate| from_hong_kong(day.and_time(chrono::NaiveTime::MIN));
        match (from, until, venue) {
            (Some(from), Some(until), Some(venue)) if errors.is_empty() => Ok(CalendarWindow {
                from: midnight(from),
                until: midnight(until + Duration::days(1)),
                facilitator: self.facilitator.clone().filter(|f| !f.trim().is_empty()),
                venue,
            }),
            _ => Err(errors),
        }
    }
}

/// A venue's key for double booking: case and spacing do not make two rooms.
pub fn venue_key(venue: &str) -> String {
    venue
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The Hong Kong day an instant falls on.
pub fn hong_kong_day(at: DateTime<Utc>) -> NaiveDate {
    (at + Duration::hours(8)).date_naive()
}

/// A participant as a roster names them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Participant {
    pub client_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub sex: Sex,
}

impl Participant {
    pub fn display_name(&self) -> String {
        crate::clients::full_name(&self.name_zh, &self.name_en)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Enrolment {
    pub id: String,
    pub activity_id: String,
    pub participant: Participant,
    pub status: EnrolmentStatus,
    pub requested_at: DateTime<Utc>,
    /// When a place was given: at once, or on promotion from the waiting list.
    pub placed_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawal_reason: Option<String>,
    pub enrolled_by: StaffRef,
    pub version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolmentForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub client_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WithdrawalForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 500))]
    pub reason: String,
    pub version: Option<i64>,
}

impl WithdrawalForm {
    pub fn parse(&self) -> Result<(String, i64), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let reason = errors.check(
            "reason",
            required(one_line(&self.reason, REASON_MAX), "A reason"),
        );
        let version = errors.check("version", version(self.version));
        match (reason, version) {
            (Some(reason), Some(version)) if errors.is_empty() => Ok((reason, version)),
            _ => Err(errors),
        }
    }
}

/// One person's line of a roll call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RollCallLine {
    pub participant: Participant,
    /// None until marked.
    pub status: Option<AttendanceStatus>,
    pub online: bool,
    /// 0 until marked; a mark is saved at the version it was read at.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Headcount {
    pub age_band: HeadcountBand,
    pub sex: Sex,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RollCall {
    pub session: ActivitySession,
    pub activity_id: String,
    pub title_zh: String,
    pub title_en: String,
    /// The members enrolled, and anyone marked before they withdrew.
    pub lines: Vec<RollCallLine>,
    /// Anonymous participants by age band and sex; bands not counted are left out.
    pub headcounts: Vec<Headcount>,
    pub headcount_version: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkForm {
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub client_id: String,
    pub status: Option<AttendanceStatus>,
    /// Left out, as the session is held.
    pub online: Option<bool>,
    /// The line's version as read: 0 for one not marked yet.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HeadcountForm {
    pub age_band: Option<HeadcountBand>,
    pub sex: Option<Sex>,
    pub count: Option<i64>,
}

/// Saving a roll call: the lines marked or changed, each at the version read, and the
/// headcounts (all of them, replacing those before) at theirs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RollCallForm {
    #[serde(default)]
    pub marks: Vec<MarkForm>,
    /// Left out, the headcounts stay as they are.
    pub headcounts: Option<Vec<HeadcountForm>>,
    /// Required with `headcounts`.
    pub headcount_version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub client_id: String,
    pub status: AttendanceStatus,
    pub online: Option<bool>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RollCallChanges {
    pub marks: Vec<Mark>,
    pub headcounts: Option<(Vec<Headcount>, i64)>,
}

pub const MARKS_MAX: usize = 500;

fn count(count: Option<i64>) -> Result<i64, FieldError> {
    match count {
        None => Err(missing("A count")),
        Some(n) if n < 0 => Err(FieldError::new("negative", "A count cannot be negative")),
        Some(n) if n > HEADCOUNT_MAX => Err(FieldError::new(
            "out_of_range",
            format!("At most {HEADCOUNT_MAX}"),
        )),
        Some(n) => Ok(n),
    }
}

impl RollCallForm {
    pub fn parse(&self) -> Result<RollCallChanges, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.marks.len() > MARKS_MAX {
            errors.add("marks", "too_many", format!("At most {MARKS_MAX}"));
        }
        let mut marks: Vec<Mark> = Vec::new();
        for (i, mark) in self.marks.iter().enumerate() {
            let field = |name: &str| format!("marks.{i}.{name}");
            let client_id = mark.client_id.trim();
            if client_id.is_empty() || client_id.len() > 40 {
                errors.add(&field("client_id"), "required", "Whose line is required");
            } else if marks.iter().any(|m| m.client_id == client_id) {
                errors.add(
                    &field("client_id"),
                    "repeated",
                    "The same person is marked twice",
                );
            }
            let status = errors.check(
                &field("status"),
                mark.status.ok_or_else(|| missing("A mark")),
            );
            let version = errors.check(
                &field("version"),
                match mark.version {
                    Some(v) if v >= 0 => Ok(v),
                    _ => Err(FieldError::new(
                        "required",
                        "The line's version as read is required",
                    )),
                },
            );
            if let (Some(status), Some(version)) = (status, version) {
                marks.push(Mark {
                    client_id: client_id.to_owned(),
                    status,
                    online: mark.online,
                    version,
                });
            }
        }
        let headcounts = match &self.headcounts {
            None => None,
            Some(forms) => {
                let mut counts: Vec<Headcount> = Vec::new();
                for (i, form) in forms.iter().enumerate() {
                    let field = |name: &str| format!("headcounts.{i}.{name}");
                    let band = errors.check(
                        &field("age_band"),
                        form.age_band.ok_or_else(|| missing("An age band")),
                    );
                    let sex = errors.check(&field("sex"), form.sex.ok_or_else(|| missing("Sex")));
                    let n = errors.check(&field("count"), count(form.count));
                    if let (Some(age_band), Some(sex), Some(count)) = (band, sex, n) {
                        if counts
                            .iter()
                            .any(|c| c.age_band == age_band && c.sex == sex)
                        {
                            errors.add(
                                &field("age_band"),
                                "repeated",
                                "This band and sex are counted twice",
                            );
                        }
                        counts.push(Headcount {
                            age_band,
                            sex,
                            count,
                        });
                    }
                }
                let version = errors.check("headcount_version", version(self.headcount_version));
                version.map(|v| (counts, v))
            }
        };
        errors.into_result(|| RollCallChanges { marks, headcounts })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BandCountForm {
    pub age_band: Option<HeadcountBand>,
    pub count: Option<i64>,
}

/// A community event's reach, entered for the whole event at the activity's version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReachForm {
    #[serde(default)]
    pub headcounts: Vec<BandCountForm>,
    pub online_views: Option<i64>,
    pub online_participants: Option<i64>,
    pub media_items: Option<i64>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 1000))]
    pub counting_note: String,
    pub version: Option<i64>,
}

impl ReachForm {
    pub fn parse(&self) -> Result<(EventReach, i64), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let mut headcounts: Vec<BandCount> = Vec::new();
        for (i, form) in self.headcounts.iter().enumerate() {
            let field = |name: &str| format!("headcounts.{i}.{name}");
            let band = errors.check(
                &field("age_band"),
                form.age_band.ok_or_else(|| missing("An age band")),
            );
            let n = errors.check(&field("count"), count(form.count));
            if let (Some(age_band), Some(count)) = (band, n) {
                if headcounts.iter().any(|c| c.age_band == age_band) {
                    errors.add(&field("age_band"), "repeated", "This band is counted twice");
                }
                headcounts.push(BandCount { age_band, count });
            }
        }
        let mut number = |field: &str, value: Option<i64>| {
            errors
                .check(field, count(Some(value.unwrap_or(0))))
                .unwrap_or(0)
        };
        let online_views = number("online_views", self.online_views);
        let online_participants = number("online_participants", self.online_participants);
        let media_items = number("media_items", self.media_items);
        let counting_note = errors.check(
            "counting_note",
            required(
                crate::text::paragraphs(&self.counting_note, COUNTING_NOTE_MAX),
                "How it was counted",
            ),
        );
        let version = errors.check("version", version(self.version));
        match (counting_note, version) {
            (Some(counting_note), Some(version)) if errors.is_empty() => Ok((
                EventReach {
                    headcounts,
                    online_views,
                    online_participants,
                    media_items,
                    counting_note,
                },
                version,
            )),
            _ => Err(errors),
        }
    }
}

/// A client's place in an activity, as their record and cases show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Participation {
    pub enrolment_id: String,
    pub activity_id: String,
    pub kind: ActivityKind,
    pub title_zh: String,
    pub title_en: String,
    pub status: EnrolmentStatus,
    pub sessions_held: i64,
    pub attended: i64,
    /// Sessions missed (absent, not excused) since they last came: the case worker
    /// should know.
    pub missed_in_a_row: i64,
    pub marks: Vec<AttendanceMark>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AttendanceMark {
    pub session_id: String,
    pub number: i64,
    pub starts_at: DateTime<Utc>,
    pub status: AttendanceStatus,
    pub online: bool,
}

/// Sessions missed since the last one attended, counting back from the latest; an
/// excused absence neither breaks the run nor adds to it. `marks` are in time order.
pub fn missed_in_a_row(marks: &[AttendanceStatus]) -> i64 {
    let mut missed = 0;
    for status in marks.iter().rev() {
        match status {
            AttendanceStatus::Absent => missed += 1,
            AttendanceStatus::Excused => {}
            AttendanceStatus::Present | AttendanceStatus::Late => break,
        }
    }
    missed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_kind_and_events_have_no_places() {
        for kind in ActivityKind::ALL {
            assert!(ActivityFormat::of_kind(*kind).count() >= 5, "{kind:?}");
        }
        let form = ActivityForm {
            format: Some(ActivityFormat::FamilyFunDay),
            capacity: Some(30),
            ..ActivityForm::default()
        };
        let errors = form.parse().unwrap_err();
        assert_eq!(errors.0["capacity"].code, "not_for_events");
        assert_eq!(errors.0["title_zh"].code, "required");
    }

    #[test]
    fn weekly_sessions_keep_their_hour() {
        let form = SessionForm {
            starts_at: NaiveDate::from_ymd_opt(2026, 12, 1)
                .unwrap()
                .and_hms_opt(19, 0, 0),
            minutes: Some(90),
            weeks: Some(6),
            ..SessionForm::default()
        };
        let planned = form.parse().unwrap();
        assert_eq!(planned.times.len(), 6);
        assert_eq!(planned.times[0].0.to_rfc3339(), "2026-12-01T11:00:00+00:00");
        assert_eq!(planned.times[5].1.to_rfc3339(), "2027-01-05T12:30:00+00:00");
        let zero = SessionForm {
            weeks: Some(0),
            ..form
        };
        assert_eq!(zero.parse().unwrap_err().0["weeks"].code, "out_of_range");
    }

    #[test]
    fn completion_is_the_share_of_sessions_held() {
        let evaluation = Evaluation::of(6, 4, &[4, 3, 2, 0], 70);
        assert_eq!(evaluation.members, 4);
        assert_eq!(evaluation.attendance_rate, Some(9.0 / 16.0));
        // 3 of 4 is 75%, enough; 2 of 4 is not.
        assert_eq!(evaluation.completed, 2);
        assert_eq!(Evaluation::of(6, 0, &[0, 0], 70).attendance_rate, None);
    }

    #[test]
    fn missed_sessions_count_back_from_the_latest() {
        use AttendanceStatus::*;
        assert_eq!(missed_in_a_row(&[Present, Absent, Excused, Absent]), 2);
        assert_eq!(missed_in_a_row(&[Absent, Late]), 0);
        assert_eq!(missed_in_a_row(&[]), 0);
    }

    #[test]
    fn headcounts_are_never_negative() {
        let form = RollCallForm {
            headcounts: Some(vec![HeadcountForm {
                age_band: Some(HeadcountBand::Age0To5),
                sex: Some(Sex::F),
                count: Some(-1),
            }]),
            headcount_version: Some(0),
            ..RollCallForm::default()
        };
        assert_eq!(
            form.parse().unwrap_err().0["headcounts.0.count"].code,
            "negative"
        );
    }
}
