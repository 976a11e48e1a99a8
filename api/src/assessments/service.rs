//! Administering and reading assessments, and who may.

use std::collections::HashMap;

use common::assessments::{
    score, AcknowledgementForm, Answers, Assessment, AssessmentForm, AssessmentListQuery,
    AssessmentListed, AssessmentPage, Instrument, InstrumentSummary, OpenAlert, Place,
    ScoreRequest, Scoring, Stage, Within,
};
use common::identity::{Access, Records};
use serde_json::json;

use super::catalogue::{self, Versions};
use super::store::{self, AssessmentRow, Kept, Whose};
use crate::audit::{self, Actor, ReadAudit};
use crate::cases::store::{staff, staff_ref};
use crate::db::{self, new_id, now, stored_code, unreadable, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

fn scored(instrument: &Instrument, answers: &Answers) -> Result<Scoring, ApiError> {
    score(instrument, answers).map_err(ApiError::Validation)
}

/// Scores answers without keeping them: the authoritative twin of the web app's preview.
pub fn score_only(
    conn: &mut DbConnection,
    principal: &Principal,
    request: &ScoreRequest,
) -> Result<Scoring, ApiError> {
    let instrument = catalogue::in_use(conn, principal, &request.instrument, "instrument")?;
    scored(&instrument, &request.answers)
}

/// Whether the user reaches assessments within this case or group for `access`, and the
/// centre that keeps them: the one decision of who sees and gives an assessment.
pub fn reached(
    conn: &mut DbConnection,
    principal: &Principal,
    within: &Within,
    access: Access,
) -> Result<Option<String>, ApiError> {
    let scope = principal.record_scope(Records::Assessments, access)?;
    match within {
        Within::Case(id) => {
            Ok(crate::cases::store::find(conn, id, &scope)?.map(|case| case.centre_id))
        }
        Within::Activity(id) => {
            let Some(activity) = crate::activities::store::find(conn, id, &scope)? else {
                return Ok(None);
            };
            match crate::activities::service::roster_reached(
                conn,
                principal,
                &activity,
                Records::Assessments,
                access,
            ) {
                Ok(()) => Ok(Some(activity.centre_id)),
                Err(ApiError::Forbidden) => Ok(None),
                Err(other) => Err(other),
            }
        }
    }
}

/// Whether the person takes part: the case's client or a member of it, or someone
/// enrolled in the group (now or before).
fn takes_part(conn: &mut DbConnection, within: &Within, client_id: &str) -> Result<bool, ApiError> {
    Ok(match within {
        Within::Case(id) => crate::cases::store::people_ids(conn, id)?
            .iter()
            .any(|person| person == client_id),
        Within::Activity(id) => crate::activities::store::enrolments_of(conn, id)?
            .iter()
            .any(|enrolment| enrolment.client_id == client_id),
    })
}

/// The centre of the case or group the user would assess the person within: one they
/// may not assess within, or a person who takes no part in it, is the form's error.
pub(super) fn subject_checked(
    conn: &mut DbConnection,
    principal: &Principal,
    within: &Within,
    client_id: &str,
) -> Result<String, ApiError> {
    let (field, code, what) = match within {
        Within::Case(_) => ("case_id", "unknown_case", "case"),
        Within::Activity(_) => ("activity_id", "unknown_group", "group"),
    };
    let centre_id = reached(conn, principal, within, Access::Write)?
        .ok_or_else(|| ApiError::field(field, code, format!("No such {what} of yours")))?;
    if !takes_part(conn, within, client_id)? {
        return Err(ApiError::field(
            "client_id",
            "not_taking_part",
            format!("The person takes no part in this {what}"),
        ));
    }
    Ok(centre_id)
}

/// Keeps answers as an assessment with their scores and alerts, audited as `action`;
/// answers the new assessment's id and its scoring. Nothing answered is nothing to keep.
pub(super) fn keep(
    conn: &mut DbConnection,
    actor: &Actor,
    instrument: &Instrument,
    mut row: AssessmentRow,
    answers: &Answers,
    action: &'static str,
) -> Result<(String, Scoring), ApiError> {
    if answers.0.values().all(Option::is_none) {
        return Err(ApiError::field(
            "answers",
            "required",
            "Answer at least one item",
        ));
    }
    let scoring = scored(instrument, answers)?;
    row.answers = serde_json::to_string(answers).map_err(|e| ApiError::Internal(e.to_string()))?;
    store::insert(conn, &row, &scoring)?;
    audit::record(
        conn,
        actor,
        action,
        ("assessment", Some(&row.id)),
        Some(json!({
            "client_id": row.client_id,
            "instrument": row.instrument,
            "stage": row.stage,
            "alerts": scoring.alerts.iter().map(|a| &a.code).collect::<Vec<_>>(),
        })),
    )?;
    Ok((row.id, scoring))
}

pub fn administer(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &AssessmentForm,
) -> Result<Assessment, ApiError> {
    let details = form
        .parse(common::activities::hong_kong_day(chrono::Utc::now()))
        .map_err(ApiError::Validation)?;
    let centre_id = subject_checked(conn, principal, &details.within, &details.client_id)?;
    let instrument = catalogue::in_use(conn, principal, &details.instrument, "instrument")?;
    let (case_id, activity_id) = details.within.ids();
    let row = AssessmentRow {
        id: new_id(),
        client_id: details.client_id.clone(),
        centre_id,
        case_id,
        activity_id,
        instrument: instrument.code.clone(),
        instrument_version: instrument.version,
        stage: details.stage.as_str().to_owned(),
        administered_on: details.administered_on,
        administered_by: Some(principal.user_id.clone()),
        answers: String::new(),
        created_at: now(),
    };
    let (id, _) = db::transaction(conn, |conn| {
        keep(
            conn,
            &principal.actor(),
            &instrument,
            row,
            &form.answers,
            "assessment.create",
        )
    })?;
    let row = store::find(conn, &id)?.ok_or(ApiError::NotFound)?;
    shown(conn, vec![row]).map(|mut list| list.remove(0))
}

/// One assessment the user reaches; one they do not is 404.
pub fn one(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    id: &str,
) -> Result<Assessment, ApiError> {
    let row = store::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if reached(conn, principal, &within(&row)?, Access::Read)?.is_none() {
        return Err(ApiError::NotFound);
    }
    reads.record(
        &principal.actor(),
        "assessment.read",
        ("assessment", Some(id)),
        None,
    )?;
    shown(conn, vec![row]).map(|mut list| list.remove(0))
}

/// A client's assessments the user reaches, the latest first.
pub fn of_client(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    client_id: &str,
) -> Result<Vec<Assessment>, ApiError> {
    let clients = principal.record_scope(Records::Clients, Access::Read)?;
    crate::clients::store::find(conn, client_id, &clients)?.ok_or(ApiError::NotFound)?;
    let all = store::list(conn, Whose::Client(client_id))?;
    let rows = reachable(conn, principal, all, |row| row)?;
    reads.record(
        &principal.actor(),
        "assessment.list",
        ("client", Some(client_id)),
        None,
    )?;
    shown(conn, rows)
}

/// A case's assessments (of its client and the members involved), the latest first.
pub fn of_case(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    case_id: &str,
) -> Result<Vec<Assessment>, ApiError> {
    let within = Within::Case(case_id.to_owned());
    if reached(conn, principal, &within, Access::Read)?.is_none() {
        return Err(ApiError::NotFound);
    }
    let rows = store::list(conn, Whose::Case(case_id))?;
    reads.record(
        &principal.actor(),
        "assessment.list",
        ("case", Some(case_id)),
        None,
    )?;
    shown(conn, rows)
}

/// The cases and groups whose assessments (or links) the user reads: [`reached`] for
/// every case and group at once, through the same reach of cases and, group by group,
/// the same decision (a centre runs a few groups, but may hold thousands of cases).
pub(super) fn reached_places(
    conn: &mut DbConnection,
    principal: &Principal,
    kept: Kept,
) -> Result<(Vec<String>, Vec<String>), ApiError> {
    let scope = principal.record_scope(Records::Assessments, Access::Read)?;
    let cases = store::cases_within(conn, &scope, kept)?;
    let mut groups = Vec::new();
    for id in store::groups_within(conn, &scope, kept)? {
        if reached(conn, principal, &Within::Activity(id.clone()), Access::Read)?.is_some() {
            groups.push(id);
        }
    }
    Ok((cases, groups))
}

/// Where each of these (case, group) pairs belongs, as a list names it, by the id of its
/// case or group.
pub(super) fn places<'a>(
    conn: &mut DbConnection,
    of: impl Iterator<Item = (&'a Option<String>, &'a Option<String>)> + Clone,
) -> Result<HashMap<String, Place>, ApiError> {
    let case_ids: Vec<&str> = of.clone().filter_map(|(case, _)| case.as_deref()).collect();
    let group_ids: Vec<&str> = of.filter_map(|(_, group)| group.as_deref()).collect();
    let cases = crate::cases::store::rows_of(conn, &case_ids)?
        .into_values()
        .map(|case| {
            let place = Place::Case {
                id: case.id.clone(),
                case_number: case.case_number,
            };
            (case.id, place)
        });
    let groups = store::groups_named(conn, &group_ids)?
        .into_iter()
        .map(|group| {
            let place = Place::Group {
                id: group.id.clone(),
                title_zh: group.title_zh,
                title_en: group.title_en,
            };
            (group.id, place)
        });
    Ok(cases.chain(groups).collect())
}

pub(super) fn place_of(
    places: &HashMap<String, Place>,
    case_id: &Option<String>,
    activity_id: &Option<String>,
) -> Result<Place, ApiError> {
    let id = case_id.as_deref().or(activity_id.as_deref()).unwrap_or("");
    Ok(places
        .get(id)
        .cloned()
        .ok_or_else(|| unreadable("assessments.case_id", id))?)
}

/// A page of every assessment the user reads, the latest first, filtered.
pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    query: &AssessmentListQuery,
) -> Result<AssessmentPage, ApiError> {
    let filter = query.parse().map_err(ApiError::Validation)?;
    if let Some(code) = &filter.instrument {
        catalogue::in_use(conn, principal, code, "instrument")?;
    }
    let (cases, groups) = reached_places(conn, principal, Kept::Assessments)?;
    let (rows, total) = store::page(conn, (&cases, &groups), &filter)?;
    let places = places(conn, rows.iter().map(|r| (&r.case_id, &r.activity_id)))?;
    let items = shown(conn, rows)?
        .into_iter()
        .map(|assessment| {
            let place = place_of(&places, &assessment.case_id, &assessment.activity_id)?;
            Ok(AssessmentListed { assessment, place })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    reads.record(
        &principal.actor(),
        "assessment.list",
        ("assessment", None),
        Some(json!({ "page": filter.page, "shown": items.len() })),
    )?;
    Ok(AssessmentPage {
        items,
        total,
        page: filter.page,
        per_page: filter.per_page,
    })
}

/// What of `items` the user may read, each judged by its assessment's case or group once.
pub(super) fn reachable<T>(
    conn: &mut DbConnection,
    principal: &Principal,
    items: Vec<T>,
    row_of: impl Fn(&T) -> &AssessmentRow,
) -> Result<Vec<T>, ApiError> {
    let mut seen: HashMap<Within, bool> = HashMap::new();
    let mut kept = Vec::new();
    for item in items {
        let within = within(row_of(&item))?;
        let reach = match seen.get(&within) {
            Some(reach) => *reach,
            None => {
                let reach = reached(conn, principal, &within, Access::Read)?.is_some();
                seen.insert(within, reach);
                reach
            }
        };
        if reach {
            kept.push(item);
        }
    }
    Ok(kept)
}

/// The people assessed, their names joined as everywhere else, by id.
pub(super) fn names<'a>(
    conn: &mut DbConnection,
    ids: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, String>, ApiError> {
    let ids: Vec<&str> = ids.collect();
    Ok(crate::cases::store::people(conn, &ids)?
        .into_iter()
        .map(|p| (p.id, common::clients::full_name(&p.name_zh, &p.name_en)))
        .collect())
}

pub(super) fn name_of(
    names: &HashMap<String, String>,
    client_id: &str,
) -> Result<String, ApiError> {
    Ok(names
        .get(client_id)
        .cloned()
        .ok_or_else(|| unreadable("assessments.client_id", client_id))?)
}

fn within(row: &AssessmentRow) -> Result<Within, ApiError> {
    match (&row.case_id, &row.activity_id) {
        (Some(case), None) => Ok(Within::Case(case.clone())),
        (None, Some(activity)) => Ok(Within::Activity(activity.clone())),
        _ => Err(unreadable("assessments.case_id", &row.id).into()),
    }
}

/// Assessments as the API shows them, scored again from their answers under the version
/// they were given under: the stored scores are for queries, the answers are the record.
fn shown(conn: &mut DbConnection, rows: Vec<AssessmentRow>) -> Result<Vec<Assessment>, ApiError> {
    let by: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.administered_by.as_deref())
        .collect();
    let staff = staff(conn, &by)?;
    let names = names(conn, rows.iter().map(|r| r.client_id.as_str()))?;
    let mut versions = Versions::default();
    rows.into_iter()
        .map(|row| {
            let instrument = versions.get(conn, &row.instrument, row.instrument_version)?;
            let answers: Answers = serde_json::from_str(&row.answers)
                .map_err(|_| unreadable("assessments.answers", &row.id))?;
            Ok(Assessment {
                scoring: scored(instrument, &answers)?,
                instrument: InstrumentSummary::from(instrument),
                stage: stored_code(Stage::parse, "assessments.stage", &row.stage)?,
                administered_by: row
                    .administered_by
                    .as_deref()
                    .map(|id| staff_ref(&staff, id))
                    .transpose()?,
                created_at: utc(row.created_at),
                client_name: name_of(&names, &row.client_id)?,
                id: row.id,
                client_id: row.client_id,
                case_id: row.case_id,
                activity_id: row.activity_id,
                administered_on: row.administered_on,
            })
        })
        .collect()
}

/// The open alerts of the user's centre within the cases and groups they reach, for
/// their home page.
pub fn open_alerts(
    conn: &mut DbConnection,
    principal: &Principal,
) -> Result<Vec<OpenAlert>, ApiError> {
    let scope = principal.record_scope(Records::Assessments, Access::Read)?;
    let centre_id = scope.home_centre()?.to_owned();
    let all = store::open_alerts(conn, &centre_id)?;
    let open = reachable(conn, principal, all, |(row, _)| row)?;
    let names = names(conn, open.iter().map(|(r, _)| r.client_id.as_str()))?;
    let mut versions = Versions::default();
    open.into_iter()
        .map(|(row, code)| {
            let instrument = versions.get(conn, &row.instrument, row.instrument_version)?;
            let alert = instrument
                .alerts
                .iter()
                .find(|a| a.code == code)
                .ok_or_else(|| unreadable("assessment_alerts.alert", &code))?;
            Ok(OpenAlert {
                message_zh: alert.message_zh.clone(),
                message_en: alert.message_en.clone(),
                instrument: InstrumentSummary::from(instrument),
                client_name: name_of(&names, &row.client_id)?,
                self_completed: row.administered_by.is_none(),
                assessment_id: row.id,
                alert: code,
                client_id: row.client_id,
                case_id: row.case_id,
                activity_id: row.activity_id,
                administered_on: row.administered_on,
            })
        })
        .collect()
}

/// Acknowledges an open alert with what was done; answers the alerts still open.
pub fn acknowledge(
    conn: &mut DbConnection,
    principal: &Principal,
    form: &AcknowledgementForm,
) -> Result<Vec<OpenAlert>, ApiError> {
    let (assessment_id, alert, note) = form.parse().map_err(ApiError::Validation)?;
    let unknown = || ApiError::field("assessment_id", "unknown", "No such assessment of yours");
    let row = store::find(conn, &assessment_id)?.ok_or_else(unknown)?;
    if reached(conn, principal, &within(&row)?, Access::Write)?.is_none() {
        return Err(unknown());
    }
    db::transaction(conn, |conn| {
        if !store::acknowledge(
            conn,
            &assessment_id,
            &alert,
            &principal.user_id,
            now(),
            &note,
        )? {
            return Err(ApiError::conflict(
                "not_open",
                "The alert is not open: someone acknowledged it already, or there is no such alert",
            ));
        }
        audit::record(
            conn,
            &principal.actor(),
            "assessment_alert.acknowledge",
            ("assessment", Some(&assessment_id)),
            Some(json!({ "alert": alert })),
        )?;
        Ok::<_, ApiError>(())
    })?;
    open_alerts(conn, principal)
}
