//! The rules of programmes, groups and events: planning them, their sessions without
//! double booking, places and the waiting list, the roll call at the version read, and
//! a community event's reach. Handlers call these; nothing else writes activities.

use std::collections::HashMap;

use actix_web::web::Bytes;

use chrono::NaiveDateTime;
use common::activities::{
    missed_in_a_row, Activity, ActivityDetails, ActivityForm, ActivityFormat, ActivityKind,
    ActivityListQuery, ActivityMode, ActivityPage, ActivitySession, AttendanceMark,
    AttendanceStatus, BandCount, Calendar, CalendarActivity, CalendarQuery, Clash, Enrolment,
    EnrolmentForm, EnrolmentStatus, Evaluation, EventReach, Facilitator, FacilitatorDetails,
    FacilitatorRole, Headcount, Participant, Participation, PlannedSessions, ReachForm, RollCall,
    RollCallForm, RollCallLine, SessionForm, SessionsAdded, TargetGroup, WithdrawalForm,
};
use common::clients::Sex;
use common::error::ValidationErrors;
use common::identity::{Access, Records, Unit};
use common::taxonomy::Vocabulary;
use serde_json::json;

use super::calendars::Calendars;
use super::store::{self, ActivityRow, EnrolmentRow, SessionRow, Written};
use crate::audit::{self, ReadAudit};
use crate::cases::store::{people, staff, staff_ref, unit_of_kind};
use crate::db::{self, new_id, now, stored_code, unreadable, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::{Principal, RecordScope};
use crate::taxonomy::service::check_terms;

/// An activity the user reaches for `access`; one they cannot see is 404, one they see
/// but may not change 403.
fn reached(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    access: Access,
) -> Result<ActivityRow, ApiError> {
    let scope = principal.record_scope(Records::Activities, access)?;
    match store::find(conn, id, &scope)? {
        Some(row) => Ok(row),
        None if access == Access::Write => {
            match principal.record_scope(Records::Activities, Access::Read) {
                Ok(read) if store::find(conn, id, &read)?.is_some() => Err(ApiError::Forbidden),
                _ => Err(ApiError::NotFound),
            }
        }
        None => Err(ApiError::NotFound),
    }
}

/// Whether the user may see (or change) records of the people taking part in the
/// activity: who they are (`Records::Participants`) or how they are doing
/// (`Records::Assessments`). A worker's own are the activities they run.
pub fn roster_reached(
    conn: &mut DbConnection,
    principal: &Principal,
    activity: &ActivityRow,
    records: Records,
    access: Access,
) -> Result<(), ApiError> {
    let scope = principal.record_scope(records, access)?;
    if store::find(conn, &activity.id, &scope)?.is_none() {
        return Err(ApiError::Forbidden);
    }
    run_by_owner(conn, &scope, activity, None)
}

/// A scope narrowed to its owner's work reaches only the activities they run.
fn run_by_owner(
    conn: &mut DbConnection,
    scope: &RecordScope,
    activity: &ActivityRow,
    facilitates: Option<bool>,
) -> Result<(), ApiError> {
    match &scope.owner_id {
        Some(owner) if !store::runs(conn, activity, owner, facilitates)? => {
            Err(ApiError::Forbidden)
        }
        _ => Ok(()),
    }
}

/// What the form says, checked against the taxonomy, the list of models and the
/// centre's staff; the unit is the centre's unit of the kind named.
fn checked(
    conn: &mut DbConnection,
    centre_id: &str,
    form: &ActivityForm,
    before: Option<&ActivityRow>,
) -> Result<(ActivityDetails, String), ApiError> {
    let details = form.parse().map_err(ApiError::Validation)?;
    let mut errors = ValidationErrors::default();
    let kept = match before {
        Some(row) => store::themes(conn, &[&row.id])?
            .remove(&row.id)
            .unwrap_or_default(),
        None => store::Themes::default(),
    };
    check_terms(
        conn,
        Vocabulary::CaseNatures,
        &details.theme_codes,
        &kept.natures,
        "theme_codes",
        &mut errors,
    )?;
    check_terms(
        conn,
        Vocabulary::EducationThemes,
        &details.education_theme_codes,
        &kept.education,
        "education_theme_codes",
        &mut errors,
    )?;
    let kept_model: Vec<String> = before
        .and_then(|row| row.intervention_model.clone())
        .into_iter()
        .collect();
    check_terms(
        conn,
        Vocabulary::InterventionModels,
        details.intervention_model.as_slice(),
        &kept_model,
        "intervention_model",
        &mut errors,
    )?;
    let staff_ids: Vec<&str> = details
        .facilitators
        .iter()
        .filter_map(|f| match f {
            FacilitatorDetails::Staff(id) => Some(id.as_str()),
            FacilitatorDetails::Named(..) => None,
        })
        .collect();
    let known = store::staff_of_centre(conn, centre_id, &staff_ids)?;
    for (i, facilitator) in details.facilitators.iter().enumerate() {
        if let FacilitatorDetails::Staff(id) = facilitator {
            if !known.contains(id) {
                errors.add(
                    &format!("facilitators.{i}"),
                    "unknown_staff",
                    "Not a staff member of this centre",
                );
            }
        }
    }
    if let Some(row) = before {
        if row.kind != details.format.kind().as_str() {
            errors.add(
                "format",
                "kind_fixed",
                "A programme, group or event stays what it is: create another",
            );
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let unit_id = unit_of_kind(conn, centre_id, details.unit)?;
    Ok((details, unit_id))
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &ActivityForm,
) -> Result<Activity, ApiError> {
    if form.version.is_some() {
        return Err(ApiError::field(
            "version",
            "not_allowed",
            "A new activity has no version",
        ));
    }
    let scope = principal.record_scope(Records::Activities, Access::Write)?;
    let centre_id = scope.home_centre()?.to_owned();
    db::transaction(conn, |conn| {
        let (details, unit_id) = checked(conn, &centre_id, form, None)?;
        let id = new_id();
        let written = Written::of(&details, &unit_id, &principal.user_id, now());
        store::insert(conn, &id, &centre_id, &written)?;
        store::replace_themes(
            conn,
            &id,
            &details.theme_codes,
            &details.education_theme_codes,
        )?;
        store::replace_facilitators(conn, &id, &details.facilitators)?;
        audit::record(
            conn,
            &principal.actor(),
            "activity.create",
            ("activity", Some(&id)),
            Some(json!({ "kind": details.format.kind().as_str() })),
        )?;
        let row = store::find(conn, &id, &scope)?.ok_or(ApiError::NotFound)?;
        one(conn, row)
    })
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &ActivityForm,
) -> Result<Activity, ApiError> {
    let Some(version) = form.version else {
        return Err(ApiError::field(
            "version",
            "required",
            "Version is required to edit",
        ));
    };
    db::transaction(conn, |conn| {
        let before = reached(conn, principal, id, Access::Write)?;
        if before.version != version {
            return Err(ApiError::version_conflict("activity"));
        }
        let (details, unit_id) = checked(conn, &before.centre_id, form, Some(&before))?;
        let at = now();
        let written = Written::of(&details, &unit_id, &principal.user_id, at);
        if !store::update_if_version(conn, id, version, &written)? {
            return Err(ApiError::version_conflict("activity"));
        }
        store::replace_themes(
            conn,
            id,
            &details.theme_codes,
            &details.education_theme_codes,
        )?;
        store::replace_facilitators(conn, id, &details.facilitators)?;
        audit::record(
            conn,
            &principal.actor(),
            "activity.update",
            ("activity", Some(id)),
            None,
        )?;
        // More places give the first waiting theirs.
        let promoted = fill_places(conn, id, details.capacity, at)?;
        record_promotions(conn, principal, &promoted)?;
        let row = reached(conn, principal, id, Access::Read)?;
        one(conn, row)
    })
}

pub fn view(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    id: &str,
) -> Result<Activity, ApiError> {
    let row = reached(conn, principal, id, Access::Read)?;
    let activity = one(conn, row)?;
    reads.record(
        &principal.actor(),
        "activity.view",
        ("activity", Some(id)),
        None,
    )?;
    Ok(activity)
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    query: &ActivityListQuery,
) -> Result<ActivityPage, ApiError> {
    let scope = principal.record_scope(Records::Activities, Access::Read)?;
    let filter = query.parse().map_err(ApiError::Validation)?;
    let (rows, total) = store::list(conn, &scope, &filter)?;
    let items = present(conn, rows)?;
    reads.record(
        &principal.actor(),
        "activity.list",
        ("activity", None),
        Some(json!({ "page": filter.page, "shown": items.len() })),
    )?;
    Ok(ActivityPage {
        items,
        total,
        page: filter.page,
        per_page: filter.per_page,
    })
}

fn one(conn: &mut DbConnection, row: ActivityRow) -> Result<Activity, ApiError> {
    present(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
}

fn facilitators_of(
    conn: &mut DbConnection,
    activity_ids: &[&str],
) -> Result<HashMap<String, Vec<Facilitator>>, ApiError> {
    let rows = store::facilitators(conn, activity_ids)?;
    let user_ids: Vec<&str> = rows.iter().filter_map(|r| r.user_id.as_deref()).collect();
    let staff = staff(conn, &user_ids)?;
    let mut by_activity: HashMap<String, Vec<Facilitator>> = HashMap::new();
    for row in &rows {
        by_activity
            .entry(row.activity_id.clone())
            .or_default()
            .push(Facilitator {
                role: stored_code(
                    FacilitatorRole::parse,
                    "activity_facilitators.role",
                    &row.role,
                )?,
                staff: row
                    .user_id
                    .as_deref()
                    .map(|id| staff_ref(&staff, id))
                    .transpose()?,
                name: row.name.clone(),
            });
    }
    Ok(by_activity)
}

/// Activities as the API gives them, in the order given, with their counts and how
/// they went so far.
fn present(conn: &mut DbConnection, rows: Vec<ActivityRow>) -> Result<Vec<Activity>, ApiError> {
    use crate::db::schema::units;
    use diesel::prelude::*;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let mut themes = store::themes(conn, &ids)?;
    let mut facilitators = facilitators_of(conn, &ids)?;
    let starts = store::session_starts(conn, &ids)?;
    let counts = store::enrolment_counts(conn, &ids)?;
    let at = now();
    let attended = store::attended_by_member(conn, &ids)?;
    let mut headcounts = store::event_headcounts(conn, &ids)?;
    let creators: Vec<&str> = rows.iter().map(|r| r.created_by.as_str()).collect();
    let staff = staff(conn, &creators)?;
    let unit_ids: Vec<&str> = rows.iter().map(|r| r.unit_id.as_str()).collect();
    let unit_kinds: HashMap<String, String> = units::table
        .filter(units::id.eq_any(&unit_ids))
        .select((units::id, units::kind))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    rows.into_iter()
        .map(|row| {
            let sessions = starts.get(&row.id).map(Vec::as_slice).unwrap_or_default();
            let themed = themes.remove(&row.id).unwrap_or_default();
            let held = sessions.iter().filter(|&&s| s <= at).count() as i64;
            let count = |status: EnrolmentStatus| {
                counts
                    .get(&(row.id.clone(), status.as_str().to_owned()))
                    .copied()
                    .unwrap_or(0)
            };
            let evaluation = Evaluation::of(
                sessions.len() as i64,
                held,
                attended.get(&row.id).map(Vec::as_slice).unwrap_or_default(),
                row.completion_percent,
            );
            let reach = match (
                &row.counting_note,
                row.online_views,
                row.online_participants,
                row.media_items,
            ) {
                (Some(note), Some(views), Some(participants), Some(media)) => Some(EventReach {
                    headcounts: headcounts
                        .remove(&row.id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(band, count)| {
                            Ok(BandCount {
                                age_band: store::band(&band)?,
                                count,
                            })
                        })
                        .collect::<Result<Vec<_>, diesel::result::Error>>()?,
                    online_views: views,
                    online_participants: participants,
                    media_items: media,
                    counting_note: note.clone(),
                }),
                _ => None,
            };
            let unit = unit_kinds
                .get(&row.unit_id)
                .ok_or_else(|| unreadable("activities.unit_id", &row.unit_id))?;
            Ok(Activity {
                unit: stored_code(Unit::parse, "units.kind", unit)?,
                kind: stored_code(ActivityKind::parse, "activities.kind", &row.kind)?,
                format: stored_code(ActivityFormat::parse, "activities.format", &row.format)?,
                target_group: stored_code(
                    TargetGroup::parse,
                    "activities.target_group",
                    &row.target_group,
                )?,
                mode: stored_code(ActivityMode::parse, "activities.mode", &row.mode)?,
                theme_codes: themed.natures,
                education_theme_codes: themed.education,
                facilitators: facilitators.remove(&row.id).unwrap_or_default(),
                enrolled: count(EnrolmentStatus::Enrolled),
                waiting: count(EnrolmentStatus::Waiting),
                evaluation,
                reach,
                created_by: staff_ref(&staff, &row.created_by)?,
                created_at: utc(row.created_at),
                updated_at: utc(row.updated_at),
                id: row.id,
                centre_id: row.centre_id,
                title_zh: row.title_zh,
                title_en: row.title_en,
                capacity: row.capacity,
                venue: row.venue,
                meeting_link: row.meeting_link,
                planned_start: row.planned_start,
                planned_end: row.planned_end,
                actual_start: row.actual_start,
                actual_end: row.actual_end,
                intervention_model: row.intervention_model,
                completion_percent: row.completion_percent,
                version: row.version,
            })
        })
        .collect()
}

// Sessions.

fn session_of(row: &SessionRow) -> ActivitySession {
    ActivitySession {
        id: row.id.clone(),
        activity_id: row.activity_id.clone(),
        number: row.number,
        starts_at: utc(row.starts_at),
        ends_at: utc(row.ends_at),
        venue: row.venue.clone(),
        online: row.online,
    }
}

pub fn sessions(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<Vec<ActivitySession>, ApiError> {
    let activity = reached(conn, principal, id, Access::Read)?;
    Ok(store::sessions_of(conn, &activity.id)?
        .iter()
        .map(session_of)
        .collect())
}

/// The given sessions, numbered, and their activities.
fn calendar_of(conn: &mut DbConnection, rows: &[SessionRow]) -> Result<Calendar, ApiError> {
    let mut ids: Vec<&str> = rows.iter().map(|r| r.activity_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut facilitators = facilitators_of(conn, &ids)?;
    let activities = store::names_of(conn, &ids)?
        .into_iter()
        .map(|(id, kind, title_zh, title_en)| {
            Ok(CalendarActivity {
                kind: stored_code(ActivityKind::parse, "activities.kind", &kind)?,
                facilitators: facilitators.remove(&id).unwrap_or_default(),
                id,
                title_zh,
                title_en,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Calendar {
        sessions: rows.iter().map(session_of).collect(),
        activities,
    })
}

/// Sessions as they would be saved, and the double bookings they would make.
struct Plan {
    times: Vec<(NaiveDateTime, NaiveDateTime)>,
    venue: Option<String>,
    venue_key: Option<String>,
    online: bool,
    clashes: Vec<Clash>,
}

fn plan(
    conn: &mut DbConnection,
    activity: &ActivityRow,
    planned: &PlannedSessions,
) -> Result<Plan, ApiError> {
    let mode = stored_code(ActivityMode::parse, "activities.mode", &activity.mode)?;
    let online = planned.online.unwrap_or(mode == ActivityMode::Online);
    let venue = match (&planned.venue, online) {
        (Some(venue), _) => Some(venue.clone()),
        (None, false) => activity.venue.clone(),
        (None, true) => None,
    };
    // An online session takes no room.
    let venue_key = venue
        .as_deref()
        .filter(|_| !online)
        .map(common::activities::venue_key);
    let staff_ids = store::staff_facilitators(conn, &activity.id)?;
    let mut clashes = Vec::new();
    let mut times = Vec::new();
    for (starts, ends) in &planned.times {
        let (from, until) = (starts.naive_utc(), ends.naive_utc());
        let others = store::overlapping(
            conn,
            &activity.centre_id,
            from,
            until,
            venue_key.as_deref(),
            &staff_ids,
        )?;
        if !others.is_empty() {
            let activity_ids: Vec<&str> = others.iter().map(|o| o.activity_id.as_str()).collect();
            let shared = store::staff_shared(conn, &activity_ids, &staff_ids)?;
            let shared_ids: Vec<&str> = shared.values().flatten().map(String::as_str).collect();
            let names = staff(conn, &shared_ids)?;
            let calendar = calendar_of(conn, &others)?;
            for (session, other) in calendar.sessions.iter().zip(&others) {
                let activity = calendar.activity(&other.activity_id).ok_or_else(|| {
                    unreadable("activity_sessions.activity_id", &other.activity_id)
                })?;
                clashes.push(Clash {
                    starts_at: *starts,
                    venue: venue_key.is_some() && other.venue_key == venue_key,
                    facilitators: shared
                        .get(&other.activity_id)
                        .into_iter()
                        .flatten()
                        .map(|id| staff_ref(&names, id))
                        .collect::<Result<_, _>>()?,
                    session: session.clone(),
                    activity: activity.clone(),
                });
            }
        }
        times.push((from, until));
    }
    Ok(Plan {
        times,
        venue,
        venue_key,
        online,
        clashes,
    })
}

/// The double bookings the sessions would make, without saving anything.
pub fn clashes(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &SessionForm,
) -> Result<Vec<Clash>, ApiError> {
    let planned = form.parse().map_err(ApiError::Validation)?;
    let activity = reached(conn, principal, id, Access::Write)?;
    Ok(plan(conn, &activity, &planned)?.clashes)
}

/// Adds one session, or one a week for some weeks. A staff facilitator or the venue
/// booked at the same time is 409 `session_clash`, unless the form says to book anyway.
pub fn add_sessions(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &SessionForm,
) -> Result<SessionsAdded, ApiError> {
    let planned = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let activity = reached(conn, principal, id, Access::Write)?;
        let plan = plan(conn, &activity, &planned)?;
        if !plan.clashes.is_empty() && !planned.despite_clashes {
            return Err(ApiError::Conflict {
                code: "session_clash",
                message: format!(
                    "{} other session(s) book the same staff or venue at that time",
                    plan.clashes.len()
                ),
                field: Some("starts_at".into()),
            });
        }
        let at = now();
        let mut ids = Vec::new();
        for (starts_at, ends_at) in &plan.times {
            let session = store::NewSession {
                id: new_id(),
                activity_id: &activity.id,
                centre_id: &activity.centre_id,
                starts_at: *starts_at,
                ends_at: *ends_at,
                venue: plan.venue.as_deref(),
                venue_key: plan.venue_key.clone(),
                online: plan.online,
                created_by: &principal.user_id,
                created_at: at,
            };
            store::insert_session(conn, &session)?;
            ids.push(session.id);
        }
        audit::record(
            conn,
            &principal.actor(),
            "activity_session.create",
            ("activity", Some(&activity.id)),
            Some(json!({ "sessions": ids.len(), "despite_clashes": plan.clashes.len() })),
        )?;
        store::renumber_sessions(conn, &activity.id)?;
        let sessions = store::sessions_of(conn, &activity.id)?
            .iter()
            .filter(|row| ids.contains(&row.id))
            .map(session_of)
            .collect();
        Ok(SessionsAdded {
            sessions,
            clashes: plan.clashes,
        })
    })
}

/// The sessions of the user's centres in a window: all, one staff facilitator's or one
/// venue's, as sent (JSON). One sent before is sent again while nothing in it changed.
pub fn calendar(
    conn: &mut DbConnection,
    principal: &Principal,
    query: &CalendarQuery,
    kept: &Calendars,
) -> Result<Bytes, ApiError> {
    let window = query.parse().map_err(ApiError::Validation)?;
    let scope = principal.record_scope(Records::Activities, Access::Read)?;
    // Read before the sessions, so that what is kept is never older than its stamp.
    let stamp = store::calendar_stamp(conn, &scope.centres)?;
    let key = (scope.centres.clone(), query.clone());
    if let Some(sent) = kept.get(&key, stamp) {
        return Ok(sent);
    }
    let rows = store::sessions_between(
        conn,
        &scope,
        window.from.naive_utc(),
        window.until.naive_utc(),
        window.facilitator.as_deref(),
        window
            .venue
            .as_deref()
            .map(common::activities::venue_key)
            .as_deref(),
    )?;
    let body = Bytes::from(
        serde_json::to_vec(&calendar_of(conn, &rows)?)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
    );
    kept.keep(key, stamp, body.clone());
    Ok(body)
}

// Enrolment.

fn participants(
    conn: &mut DbConnection,
    client_ids: &[&str],
) -> Result<HashMap<String, Participant>, ApiError> {
    Ok(people(conn, client_ids)?
        .into_iter()
        .map(|p| {
            (
                p.id.clone(),
                Participant {
                    client_id: p.id,
                    name_zh: p.name_zh,
                    name_en: p.name_en,
                    sex: p.sex,
                },
            )
        })
        .collect())
}

fn enrolments(
    conn: &mut DbConnection,
    rows: Vec<EnrolmentRow>,
) -> Result<Vec<Enrolment>, ApiError> {
    let client_ids: Vec<&str> = rows.iter().map(|r| r.client_id.as_str()).collect();
    let people = participants(conn, &client_ids)?;
    let by: Vec<&str> = rows.iter().map(|r| r.enrolled_by.as_str()).collect();
    let staff = staff(conn, &by)?;
    rows.into_iter()
        .map(|row| {
            Ok(Enrolment {
                participant: people
                    .get(&row.client_id)
                    .cloned()
                    .ok_or_else(|| unreadable("enrolments.client_id", &row.client_id))?,
                status: stored_code(EnrolmentStatus::parse, "enrolments.status", &row.status)?,
                requested_at: utc(row.requested_at),
                placed_at: row.placed_at.map(utc),
                withdrawn_at: row.withdrawn_at.map(utc),
                enrolled_by: staff_ref(&staff, &row.enrolled_by)?,
                id: row.id,
                activity_id: row.activity_id,
                withdrawal_reason: row.withdrawal_reason,
                version: row.version,
            })
        })
        .collect()
}

/// Gives the places free under `capacity` to the first waiting; answers whom.
fn fill_places(
    conn: &mut DbConnection,
    activity_id: &str,
    capacity: Option<i64>,
    at: NaiveDateTime,
) -> Result<Vec<String>, ApiError> {
    let enrolled = store::count_in(conn, activity_id, EnrolmentStatus::Enrolled)?;
    let free = capacity.map_or(i64::MAX, |c| c - enrolled);
    if free <= 0 {
        return Ok(Vec::new());
    }
    Ok(store::promote_waiting(conn, activity_id, free, at)?)
}

fn record_promotions(
    conn: &mut DbConnection,
    principal: &Principal,
    promoted: &[String],
) -> Result<(), ApiError> {
    for id in promoted {
        audit::record(
            conn,
            &principal.actor(),
            "enrolment.promote",
            ("enrolment", Some(id)),
            None,
        )?;
    }
    Ok(())
}

/// Enrols a client the user reaches: a place while there is one, else the waiting list.
pub fn enrol(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &EnrolmentForm,
) -> Result<Enrolment, ApiError> {
    let client_id = form.client_id.trim().to_owned();
    if client_id.is_empty() {
        return Err(ApiError::field(
            "client_id",
            "required",
            "Whom to enrol is required",
        ));
    }
    let clients = principal.record_scope(Records::Clients, Access::Read)?;
    db::transaction(conn, |conn| {
        let activity = reached(conn, principal, id, Access::Write)?;
        if activity.kind == ActivityKind::CommunityEvent.as_str() {
            return Err(ApiError::conflict(
                "counts_reach",
                "A community event counts its reach: nobody enrols in it",
            ));
        }
        if crate::clients::store::find(conn, &client_id, &clients)?.is_none() {
            return Err(ApiError::field(
                "client_id",
                "unknown_client",
                "No client you may see has this id",
            ));
        }
        store::lock(conn, &activity.id)?;
        if store::live_enrolment(conn, &activity.id, &client_id)?.is_some() {
            return Err(ApiError::conflict(
                "already_enrolled",
                "This person is enrolled or waiting already",
            ));
        }
        let at = now();
        let enrolled = store::count_in(conn, &activity.id, EnrolmentStatus::Enrolled)?;
        let has_place = activity.capacity.is_none_or(|c| enrolled < c);
        let waiting = store::count_in(conn, &activity.id, EnrolmentStatus::Waiting)?;
        // Nobody jumps the waiting list.
        let status = if has_place && waiting == 0 {
            EnrolmentStatus::Enrolled
        } else {
            EnrolmentStatus::Waiting
        };
        let row = EnrolmentRow {
            id: new_id(),
            activity_id: activity.id.clone(),
            client_id: client_id.clone(),
            status: status.as_str().to_owned(),
            requested_at: at,
            placed_at: (status == EnrolmentStatus::Enrolled).then_some(at),
            withdrawn_at: None,
            withdrawal_reason: None,
            enrolled_by: principal.user_id.clone(),
            version: 1,
        };
        store::insert_enrolment(conn, &row, at)?;
        audit::record(
            conn,
            &principal.actor(),
            "enrolment.create",
            ("enrolment", Some(&row.id)),
            Some(
                json!({ "activity": activity.id, "client": client_id, "status": status.as_str() }),
            ),
        )?;
        enrolments(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
    })
}

/// Withdraws an enrolment with a reason, at the version read; a place it frees goes to
/// the first waiting.
pub fn withdraw(
    conn: &mut DbConnection,
    principal: &Principal,
    enrolment_id: &str,
    form: &WithdrawalForm,
) -> Result<Enrolment, ApiError> {
    let (reason, version) = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let enrolment = store::find_enrolment(conn, enrolment_id)?.ok_or(ApiError::NotFound)?;
        let activity = reached(conn, principal, &enrolment.activity_id, Access::Read)?;
        roster_reached(
            conn,
            principal,
            &activity,
            Records::Participants,
            Access::Write,
        )?;
        store::lock(conn, &activity.id)?;
        if enrolment.status == EnrolmentStatus::Withdrawn.as_str() {
            return Err(ApiError::conflict(
                "already_withdrawn",
                "This enrolment is withdrawn already",
            ));
        }
        let at = now();
        if !store::withdraw(conn, enrolment_id, version, &reason, at)? {
            return Err(ApiError::version_conflict("enrolment"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "enrolment.withdraw",
            ("enrolment", Some(enrolment_id)),
            None,
        )?;
        let promoted = fill_places(conn, &activity.id, activity.capacity, at)?;
        record_promotions(conn, principal, &promoted)?;
        let row = store::find_enrolment(conn, enrolment_id)?.ok_or(ApiError::NotFound)?;
        enrolments(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
    })
}

/// Who is enrolled, waiting (in order) and withdrawn: for those who run the activity.
pub fn roster(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    id: &str,
) -> Result<Vec<Enrolment>, ApiError> {
    let activity = reached(conn, principal, id, Access::Read)?;
    roster_reached(
        conn,
        principal,
        &activity,
        Records::Participants,
        Access::Read,
    )?;
    let rows = store::enrolments_of(conn, &activity.id)?;
    let list = enrolments(conn, rows)?;
    reads.record(
        &principal.actor(),
        "enrolment.list",
        ("activity", Some(id)),
        Some(json!({ "shown": list.len() })),
    )?;
    Ok(list)
}

// Roll call.

/// A session whose roster the user reaches. A roster never reaches wider than its
/// activity (`Role::reach`), so finding the session under the roster's scope decides both.
fn reached_session(
    conn: &mut DbConnection,
    principal: &Principal,
    session_id: &str,
    access: Access,
) -> Result<(SessionRow, ActivityRow), ApiError> {
    let scope = principal.record_scope(Records::Participants, access)?;
    let (session, activity, facilitates) =
        store::find_session(conn, session_id, &scope)?.ok_or(ApiError::NotFound)?;
    run_by_owner(conn, &scope, &activity, Some(facilitates))?;
    Ok((session, activity))
}

pub fn roll_call(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    session_id: &str,
) -> Result<RollCall, ApiError> {
    let (session, activity) = reached_session(conn, principal, session_id, Access::Read)?;
    let lines = store::roll(conn, &session)?
        .into_iter()
        .map(|line| {
            let mark = line.mark.as_ref();
            Ok(RollCallLine {
                status: mark
                    .map(|m| stored_code(AttendanceStatus::parse, "attendance.status", &m.status))
                    .transpose()?,
                online: mark.map_or(session.online, |m| m.online),
                version: mark.map_or(0, |m| m.version),
                participant: Participant {
                    sex: stored_code(Sex::parse, "clients.sex", &line.sex)?,
                    client_id: line.client_id,
                    name_zh: line.name_zh,
                    name_en: line.name_en,
                },
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    // Headcounts move the session's version when written, so a session still at 0 has none.
    let counted = if session.headcount_version == 0 {
        Vec::new()
    } else {
        store::session_headcounts(conn, &session.id)?
    };
    let headcounts = counted
        .into_iter()
        .map(|(band, sex, count)| {
            Ok(Headcount {
                age_band: store::band(&band)?,
                sex: stored_code(Sex::parse, "session_headcounts.sex", &sex)?,
                count,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    reads.record(
        &principal.actor(),
        "attendance.view",
        ("activity_session", Some(session_id)),
        None,
    )?;
    Ok(RollCall {
        session: session_of(&session),
        activity_id: activity.id,
        title_zh: activity.title_zh,
        title_en: activity.title_en,
        lines,
        headcounts,
        headcount_version: session.headcount_version,
    })
}

/// Saves the marks given, each at the version it was read at, and the headcounts at
/// theirs: a line someone else marked meanwhile is 409 and nothing is written.
pub fn save_roll_call(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    session_id: &str,
    form: &RollCallForm,
) -> Result<RollCall, ApiError> {
    let changes = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let (session, _) = reached_session(conn, principal, session_id, Access::Write)?;
        let today = crate::clients::service::hong_kong_today();
        if common::activities::hong_kong_day(utc(session.starts_at)) > today {
            return Err(ApiError::conflict(
                "session_not_started",
                "A roll call is taken on the day of the session or after",
            ));
        }
        let roll = store::roll(conn, &session)?;
        let mut errors = ValidationErrors::default();
        for (i, mark) in changes.marks.iter().enumerate() {
            if !roll.iter().any(|line| line.client_id == mark.client_id) {
                errors.add(
                    &format!("marks.{i}.client_id"),
                    "not_enrolled",
                    "This person is not on the session's roll",
                );
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let at = now();
        for mark in &changes.marks {
            let Some(line) = roll.iter().find(|line| line.client_id == mark.client_id) else {
                continue;
            };
            let new = store::NewMark {
                session_id: &session.id,
                client_id: &mark.client_id,
                enrolment_id: &line.enrolment_id,
                status: mark.status,
                online: mark.online.unwrap_or(session.online),
                recorded_by: &principal.user_id,
                at,
            };
            let saved = match line.mark {
                None if mark.version == 0 => {
                    store::insert_mark(conn, &new)?;
                    true
                }
                Some(_) if mark.version > 0 => store::update_mark(conn, &new, mark.version)?,
                _ => false,
            };
            if !saved {
                return Err(ApiError::version_conflict("roll call line"));
            }
        }
        if let Some((counts, version)) = &changes.headcounts {
            if !store::replace_headcounts(conn, &session.id, *version, counts)? {
                return Err(ApiError::version_conflict("headcount"));
            }
        }
        audit::record(
            conn,
            &principal.actor(),
            "attendance.record",
            ("activity_session", Some(session_id)),
            Some(json!({
                "marks": changes.marks.len(),
                "headcounts": changes.headcounts.is_some(),
            })),
        )?;
        Ok(())
    })?;
    roll_call(conn, principal, reads, session_id)
}

/// Records a community event's reach for the whole event, at the activity's version.
pub fn record_reach(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &ReachForm,
) -> Result<Activity, ApiError> {
    let (reach, version) = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let activity = reached(conn, principal, id, Access::Write)?;
        if activity.kind != ActivityKind::CommunityEvent.as_str() {
            return Err(ApiError::conflict(
                "not_an_event",
                "Reach is counted for community events; a programme or group takes a roll call",
            ));
        }
        if !store::set_reach(
            conn,
            id,
            version,
            &reach.headcounts,
            reach.online_views,
            reach.online_participants,
            reach.media_items,
            &reach.counting_note,
            &principal.user_id,
            now(),
        )? {
            return Err(ApiError::version_conflict("activity"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "activity.reach",
            ("activity", Some(id)),
            None,
        )?;
        let row = reached(conn, principal, id, Access::Read)?;
        one(conn, row)
    })
}

/// A client's groups, programmes and their attendance, for whoever reaches the client.
pub fn participations(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    client_id: &str,
) -> Result<Vec<Participation>, ApiError> {
    let scope = principal.record_scope(Records::Clients, Access::Read)?;
    crate::clients::store::find(conn, client_id, &scope)?.ok_or(ApiError::NotFound)?;
    let at = now();
    let mut list: Vec<Participation> = Vec::new();
    for row in store::history_of_client(conn, client_id)? {
        if list
            .last()
            .is_none_or(|p| p.enrolment_id != row.enrolment_id)
        {
            list.push(Participation {
                enrolment_id: row.enrolment_id,
                kind: stored_code(ActivityKind::parse, "activities.kind", &row.kind)?,
                status: stored_code(
                    EnrolmentStatus::parse,
                    "enrolments.status",
                    &row.enrolment_status,
                )?,
                sessions_held: 0,
                attended: 0,
                missed_in_a_row: 0,
                marks: Vec::new(),
                activity_id: row.activity_id,
                title_zh: row.title_zh,
                title_en: row.title_en,
            });
        }
        let (Some(participation), Some((session_id, number, starts_at))) =
            (list.last_mut(), row.session)
        else {
            continue;
        };
        participation.sessions_held += i64::from(starts_at <= at);
        if let Some((status, online)) = row.mark {
            participation.marks.push(AttendanceMark {
                session_id,
                number,
                starts_at: utc(starts_at),
                status: stored_code(AttendanceStatus::parse, "attendance.status", &status)?,
                online,
            });
        }
    }
    for participation in &mut list {
        let statuses: Vec<AttendanceStatus> =
            participation.marks.iter().map(|m| m.status).collect();
        participation.attended = statuses.iter().filter(|s| s.attended()).count() as i64;
        participation.missed_in_a_row = missed_in_a_row(&statuses);
    }
    reads.record(
        &principal.actor(),
        "participation.list",
        ("client", Some(client_id)),
        None,
    )?;
    Ok(list)
}
