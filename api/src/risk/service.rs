//! The risk indicator kept current: a write that changes what it reads marks the case
//! stale (`store::touch_*`), and `refresh` reads stale cases again, raising a flag where
//! the case calls for one and clearing the flag that no longer stands. Reads refresh the
//! stale cases they show first, so what a user sees is never behind the records; the
//! worker (`super::worker`) refreshes the rest soon after and open cases once a day.
//! Risk is as private as the assessments it reads: reached like them, and reviewed by
//! the case's supervisors only.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use common::identity::{Access, Permission, Records};
use common::language::{RiskCue, UnmatchedCue};
use common::risk::{
    assess, calls_for_flag, CaseRisk, DismissalReason, FlagQuery, FlagReviewForm, FlagStatus,
    GroupRun, LatestResult, Named, RaisedFactor, RiskFactor, RiskFlag, RiskInputs, RiskReading,
    RiskRules,
};
use serde_json::json;

use super::store::{self, FlagRow, Reviewed};
use crate::audit::{self, Actor, ReadAudit};
use crate::cases::store as cases;
use crate::clients::service::hong_kong_today;
use crate::db::{self, new_id, now, stored_code, unreadable, utc, DbConnection};
use crate::error::ApiError;
use crate::identity::Principal;

/// Sessions further back than this no longer count towards a run of missed ones: a
/// group that ended long ago says little of the family now.
const GROUP_LOOKBACK_DAYS: i64 = 90;
/// Most stale cases one read refreshes itself; the worker takes the rest.
const READ_REFRESH_MAX: usize = 500;

/// Reads the stale ones of these cases again, in one transaction; answers the readings
/// it made (a closed case is never flagged), by case.
pub fn refresh(
    conn: &mut DbConnection,
    rules: &RiskRules,
    case_ids: &[String],
) -> Result<HashMap<String, RiskReading>, ApiError> {
    if case_ids.is_empty() {
        return Ok(HashMap::new());
    }
    db::transaction(conn, |conn| {
        let mut claimed = Vec::new();
        for id in case_ids {
            if store::claim(conn, id)? {
                claimed.push(id.clone());
            }
        }
        let today = hong_kong_today();
        let at = now();
        let mut readings = HashMap::new();
        for (case_id, (inputs, open)) in gather(conn, &claimed, today)? {
            let reading = reading_of(&inputs, open, rules, today);
            let codes: Vec<&str> = reading.factors.iter().map(|f| f.factor.as_str()).collect();
            store::save_reading(
                conn,
                &case_id,
                &store::Reading {
                    score: i64::from(reading.score),
                    flagged: reading.flagged,
                    factors: &codes.join(","),
                    open,
                    at,
                },
            )?;
            keep_flag(conn, &case_id, &reading, open, at)?;
            readings.insert(case_id, reading);
        }
        Ok(readings)
    })
}

/// A case's reading as kept and shown: a closed case is never flagged.
fn reading_of(inputs: &RiskInputs, open: bool, rules: &RiskRules, today: NaiveDate) -> RiskReading {
    let mut reading = assess(inputs, rules, today);
    reading.flagged &= open;
    reading
}

/// The factors of a stored flag.
fn factors_of(row: &FlagRow) -> Result<Vec<RaisedFactor>, ApiError> {
    Ok(
        serde_json::from_str(&row.factors)
            .map_err(|_| unreadable("risk_flags.factors", &row.id))?,
    )
}

/// Raises a flag where the reading calls for one, and clears the standing flag the case no
/// longer calls for (closed, below the threshold, or outgrown by a new factor).
fn keep_flag(
    conn: &mut DbConnection,
    case_id: &str,
    reading: &RiskReading,
    open: bool,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let system = Actor {
        user_id: None,
        ip: None,
    };
    let standing = store::standing(conn, case_id)?;
    let live: Option<Vec<RiskFactor>> = standing
        .as_ref()
        .map(|row| Ok::<_, ApiError>(factors_of(row)?.iter().map(|f| f.factor).collect()))
        .transpose()?;
    let raise = open && calls_for_flag(reading, live.as_deref());
    if let Some(row) = &standing {
        if raise || !open || !reading.flagged {
            store::clear(conn, &row.id, at)?;
            audit::record(
                conn,
                &system,
                "risk_flag.clear",
                ("risk_flag", Some(&row.id)),
                Some(json!({ "case": case_id, "score": reading.score })),
            )?;
        }
    }
    if raise {
        let id = new_id();
        store::insert_flag(
            conn,
            &FlagRow {
                id: id.clone(),
                case_id: case_id.to_owned(),
                raised_at: at,
                score: i64::from(reading.score),
                threshold: i64::from(reading.threshold),
                factors: serde_json::to_string(&reading.factors)
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
                status: FlagStatus::New.as_str().to_owned(),
                dismissal_reason: None,
                review_note: None,
                reviewed_by: None,
                reviewed_at: None,
                cleared_at: None,
                version: 1,
            },
        )?;
        let codes: Vec<&str> = reading.factors.iter().map(|f| f.factor.as_str()).collect();
        audit::record(
            conn,
            &system,
            "risk_flag.raise",
            ("risk_flag", Some(&id)),
            Some(json!({ "case": case_id, "score": reading.score, "factors": codes })),
        )?;
    }
    Ok(())
}

fn name(zh: &str, en: &str) -> Named {
    Named {
        zh: zh.to_owned(),
        en: en.to_owned(),
    }
}

/// What the indicator reads of each case, and whether the case is open, on `today`.
fn gather(
    conn: &mut DbConnection,
    case_ids: &[String],
    today: NaiveDate,
) -> Result<HashMap<String, (RiskInputs, bool)>, ApiError> {
    if case_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let facts = store::cases_of(conn, case_ids)?;
    let mut people_of: HashMap<&str, Vec<String>> = facts
        .iter()
        .map(|f| (f.id.as_str(), vec![f.client_id.clone()]))
        .collect();
    let members = store::members(conn, case_ids)?;
    for (case_id, member) in &members {
        if let Some(list) = people_of.get_mut(case_id.as_str()) {
            list.push(member.clone());
        }
    }
    let mut everyone: Vec<&str> = people_of.values().flatten().map(String::as_str).collect();
    everyone.sort_unstable();
    everyone.dedup();
    let names: HashMap<String, String> = store::people(conn, &everyone)?
        .into_iter()
        .map(|(id, zh, en, _)| (id, common::clients::full_name(&zh, &en)))
        .collect();
    let results = latest_results(conn, &everyone, &names)?;
    let runs = group_runs(conn, &everyone, &names, today)?;
    let mut natures: HashMap<String, Vec<(String, Named)>> = HashMap::new();
    for (case_id, code, zh, en) in store::natures(conn, case_ids)? {
        natures
            .entry(case_id)
            .or_default()
            .push((code, name(&zh, &en)));
    }
    let contacts: HashMap<String, NaiveDate> = store::last_contacts(conn, case_ids)?
        .into_iter()
        .filter_map(|(case_id, at)| Some((case_id, hong_kong_day(at?))))
        .collect();
    let reactivations: HashMap<String, i64> =
        store::reactivations(conn, case_ids)?.into_iter().collect();
    let clients: Vec<&str> = facts.iter().map(|f| f.client_id.as_str()).collect();
    let homes = store::households_of(conn, &clients)?;
    let household_ids: Vec<&str> = homes.iter().map(|(_, h, ..)| h.as_str()).collect();
    let mut children: HashMap<String, i64> = HashMap::new();
    for (household, born) in store::household_births(conn, &household_ids)? {
        if common::person::age_on(born, today) < common::child_protection::ADULT_AGE {
            *children.entry(household).or_default() += 1;
        }
    }
    let homes: HashMap<&str, (&str, &str, &str)> = homes
        .iter()
        .map(|(client, household, cssa, housing)| {
            (
                client.as_str(),
                (household.as_str(), cssa.as_str(), housing.as_str()),
            )
        })
        .collect();
    let mut gathered = HashMap::new();
    for fact in &facts {
        let state = stored_code(common::cases::CaseState::parse, "cases.state", &fact.state)?;
        let people = &people_of[fact.id.as_str()];
        let home = homes.get(fact.client_id.as_str());
        let inputs = RiskInputs {
            natures: natures.remove(&fact.id).unwrap_or_default(),
            results: people
                .iter()
                .flat_map(|p| results.get(p).cloned().unwrap_or_default())
                .collect(),
            groups: people
                .iter()
                .flat_map(|p| runs.get(p).cloned().unwrap_or_default())
                .collect(),
            open_since: (state == common::cases::CaseState::Open).then_some(fact.state_since),
            last_contact: contacts.get(&fact.id).copied(),
            reactivations: reactivations.get(&fact.id).copied().unwrap_or(0),
            children_under_18: home
                .and_then(|(household, ..)| children.get(*household).copied())
                .unwrap_or(0),
            cssa: home
                .map(|(_, cssa, _)| *cssa)
                .map(|code| {
                    stored_code(
                        common::households::CssaStatus::parse,
                        "households.cssa_status",
                        code,
                    )
                })
                .transpose()?,
            housing: home
                .map(|(.., housing)| *housing)
                .map(|code| {
                    stored_code(
                        common::households::HousingType::parse,
                        "households.housing_type",
                        code,
                    )
                })
                .transpose()?,
        };
        gathered.insert(
            fact.id.clone(),
            (inputs, state != common::cases::CaseState::Closed),
        );
    }
    Ok(gathered)
}

fn hong_kong_day(at: chrono::NaiveDateTime) -> NaiveDate {
    common::activities::hong_kong_day(utc(at))
}

/// Each person's latest result on each instrument, with its banded scales and alerts.
fn latest_results(
    conn: &mut DbConnection,
    people: &[&str],
    names: &HashMap<String, String>,
) -> Result<HashMap<String, Vec<LatestResult>>, ApiError> {
    let mut latest = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in store::assessments_of(conn, people)? {
        if seen.insert((row.client_id.clone(), row.instrument.clone())) {
            latest.push(row);
        }
    }
    let ids: Vec<&str> = latest.iter().map(|r| r.id.as_str()).collect();
    let mut bands: HashMap<String, Vec<(String, Option<String>, i64)>> = HashMap::new();
    for banded in store::bands(conn, &ids)? {
        bands.entry(banded.assessment_id).or_default().push((
            banded.scale,
            banded.band,
            banded.severity.unwrap_or(0),
        ));
    }
    let mut alerts: HashMap<String, Vec<String>> = HashMap::new();
    for (id, alert) in store::alerts(conn, &ids)? {
        alerts.entry(id).or_default().push(alert);
    }
    let mut results: HashMap<String, Vec<LatestResult>> = HashMap::new();
    let mut versions = crate::assessments::catalogue::Versions::default();
    for row in latest {
        let instrument = versions.get(conn, &row.instrument, row.instrument_version)?;
        let several = instrument.scales.len() > 1;
        let banded = bands
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(scale_code, band_code, severity)| {
                let scale = instrument.scales.iter().find(|s| s.code == scale_code)?;
                let band = scale
                    .bands
                    .iter()
                    .find(|b| Some(&b.code) == band_code.as_ref())?;
                let (zh, en) = if several {
                    (
                        format!("{}：{}", scale.name_zh, band.name_zh),
                        format!("{}: {}", scale.name_en, band.name_en),
                    )
                } else {
                    (band.name_zh.clone(), band.name_en.clone())
                };
                Some((Named { zh, en }, u8::try_from(severity).unwrap_or(u8::MAX)))
            })
            .collect();
        let raised = alerts
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|code| {
                let alert = instrument.alerts.iter().find(|a| a.code == code)?;
                Some(name(&alert.message_zh, &alert.message_en))
            })
            .collect();
        results
            .entry(row.client_id.clone())
            .or_default()
            .push(LatestResult {
                person: names.get(&row.client_id).cloned().unwrap_or_default(),
                instrument: name(&instrument.name_zh, &instrument.name_en),
                administered_on: row.administered_on,
                bands: banded,
                alerts: raised,
            });
    }
    Ok(results)
}

/// Each person's runs of missed sessions in the groups they are still enrolled in.
fn group_runs(
    conn: &mut DbConnection,
    people: &[&str],
    names: &HashMap<String, String>,
    today: NaiveDate,
) -> Result<HashMap<String, Vec<GroupRun>>, ApiError> {
    // Whole Hong Kong days, so that a reading changes with the records or the date, never
    // with the hour it is taken.
    let since = db::day_start(today - Duration::days(GROUP_LOOKBACK_DAYS));
    let until = db::day_start(today + Duration::days(1));
    // By person and group, in order, so that evidence reads the same at every reading.
    let mut marks: std::collections::BTreeMap<(String, String), (Named, Vec<_>)> =
        std::collections::BTreeMap::new();
    for mark in store::group_marks(conn, people, since, until)? {
        let status = stored_code(
            common::activities::AttendanceStatus::parse,
            "attendance.status",
            &mark.status,
        )?;
        marks
            .entry((mark.client_id, mark.group_id))
            .or_insert_with(|| (name(&mark.title_zh, &mark.title_en), Vec::new()))
            .1
            .push(status);
    }
    let mut runs: HashMap<String, Vec<GroupRun>> = HashMap::new();
    for ((person, _), (group, statuses)) in marks {
        runs.entry(person.clone()).or_default().push(GroupRun {
            person: names.get(&person).cloned().unwrap_or_default(),
            group,
            missed_in_a_row: common::activities::missed_in_a_row(&statuses),
        });
    }
    Ok(runs)
}

/// Whether the user may review a case's flags: a supervisor who reaches its assessments
/// to change them. The one decision of who reviews.
fn may_review(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
) -> Result<bool, ApiError> {
    if !principal.roles.can(Permission::SuperviseCases) {
        return Ok(false);
    }
    let Ok(scope) = principal.record_scope(Records::Assessments, Access::Write) else {
        return Ok(false);
    };
    Ok(cases::find(conn, case_id, &scope)?.is_some())
}

/// The case, if the user reaches its assessments; else as unknown as the case.
fn case_reached(
    conn: &mut DbConnection,
    principal: &Principal,
    case_id: &str,
) -> Result<cases::CaseRow, ApiError> {
    let scope = principal
        .record_scope(Records::Assessments, Access::Read)
        .map_err(|_| ApiError::NotFound)?;
    cases::find(conn, case_id, &scope)?.ok_or(ApiError::NotFound)
}

/// A case's indicator now, and its flags.
pub fn case_risk(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    rules: &RiskRules,
    case_id: &str,
) -> Result<CaseRisk, ApiError> {
    case_reached(conn, principal, case_id)?;
    let reading = match refresh(conn, rules, &[case_id.to_owned()])?.remove(case_id) {
        Some(reading) => reading,
        None => {
            let today = hong_kong_today();
            let (inputs, open) = gather(conn, &[case_id.to_owned()], today)?
                .remove(case_id)
                .ok_or(ApiError::NotFound)?;
            reading_of(&inputs, open, rules, today)
        }
    };
    let rows = store::flags_of(conn, case_id)?;
    let flags = shown(conn, rows)?;
    reads.record(
        &principal.actor(),
        "risk.read",
        ("case", Some(case_id)),
        Some(json!({ "score": reading.score })),
    )?;
    Ok(CaseRisk {
        reading,
        flags,
        may_review: may_review(conn, principal, case_id)?,
    })
}

/// The standing flags of the user's cases (a supervisor's: the centre's) in a state.
pub fn flags(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
    rules: &RiskRules,
    query: &FlagQuery,
) -> Result<Vec<RiskFlag>, ApiError> {
    let scope = principal.record_scope(Records::Assessments, Access::Read)?;
    let mut stale = store::stale_within(conn, &scope)?;
    stale.truncate(READ_REFRESH_MAX);
    refresh(conn, rules, &stale)?;
    let status = query.status.unwrap_or(FlagStatus::New);
    let rows = store::standing_within(conn, &scope, status.as_str())?;
    let list = shown(conn, rows)?;
    reads.record(
        &principal.actor(),
        "risk_flag.list",
        ("risk_flag", None),
        Some(json!({ "status": status.as_str(), "shown": list.len() })),
    )?;
    Ok(list)
}

/// The cases of the user's reach whose notes carry a risk cue that none of their natures
/// answers (violence in the notes of a case of financial difficulty alone): one line for
/// each case and cue, with the latest note that raised it. Read from the narrative, so only
/// for those who may read it.
pub fn unmatched_cues(
    conn: &mut DbConnection,
    principal: &Principal,
    reads: &ReadAudit,
) -> Result<Vec<UnmatchedCue>, ApiError> {
    let scope = principal.record_scope(Records::CaseNotes, Access::Read)?;
    let rows = store::cue_notes_within(conn, &scope)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.case_id.as_str()).collect();
    let case_rows = cases::rows_of(conn, &ids)?;
    let mut natures: HashMap<String, Vec<String>> = HashMap::new();
    let case_ids: Vec<&str> = case_rows.keys().map(String::as_str).collect();
    for (case, code) in cases::natures_of(conn, &case_ids)? {
        natures.entry(case).or_default().push(code);
    }
    let clients: Vec<&str> = case_rows.values().map(|c| c.client_id.as_str()).collect();
    let names: HashMap<String, String> = cases::people(conn, &clients)?
        .into_iter()
        .map(|p| (p.id, common::clients::full_name(&p.name_zh, &p.name_en)))
        .collect();
    let workers: Vec<&str> = case_rows
        .values()
        .map(|c| c.responsible_worker_id.as_str())
        .collect();
    let staff = cases::staff(conn, &workers)?;
    let mut seen = HashSet::new();
    let mut list = Vec::new();
    for store::CueNote {
        case_id,
        note_id,
        contact_at,
        theme,
        words,
    } in &rows
    {
        let cue = RiskCue::of_theme(theme).ok_or_else(|| unreadable("note_themes.theme", theme))?;
        let case = case_rows
            .get(case_id)
            .ok_or_else(|| unreadable("case_notes.case_id", case_id))?;
        let carried = natures.get(case_id).cloned().unwrap_or_default();
        let answered = carried.iter().any(|n| cue.natures().contains(&n.as_str()));
        // The rows come the latest first: the first of a case and cue is its latest note.
        if answered || !seen.insert((case_id.as_str(), cue)) {
            continue;
        }
        list.push(UnmatchedCue {
            case_id: case_id.clone(),
            case_number: case.case_number.clone(),
            client_name: names.get(&case.client_id).cloned().unwrap_or_default(),
            responsible_worker: cases::staff_ref(&staff, &case.responsible_worker_id)?,
            cue,
            words: serde_json::from_str(words)
                .map_err(|_| unreadable("note_themes.words", words))?,
            note_id: note_id.clone(),
            contact_at: utc(*contact_at),
            natures: carried,
        });
    }
    reads.record(
        &principal.actor(),
        "risk_cue.list",
        ("case", None),
        Some(json!({ "shown": list.len() })),
    )?;
    Ok(list)
}

/// A supervisor acknowledges a new flag or dismisses it with a reason.
pub fn review(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    form: &FlagReviewForm,
) -> Result<RiskFlag, ApiError> {
    let review = form.parse().map_err(ApiError::Validation)?;
    db::transaction(conn, |conn| {
        let row = store::find_flag(conn, id)?.ok_or(ApiError::NotFound)?;
        case_reached(conn, principal, &row.case_id)?;
        if !may_review(conn, principal, &row.case_id)? {
            return Err(ApiError::Forbidden);
        }
        if row.status != FlagStatus::New.as_str() {
            return Err(ApiError::conflict(
                "already_reviewed",
                "The flag has been reviewed already",
            ));
        }
        let reviewed = Reviewed {
            status: review.status.as_str(),
            reason: review.reason.map(DismissalReason::as_str),
            note: Some(review.note.as_str()).filter(|n| !n.is_empty()),
            by: &principal.user_id,
            at: now(),
        };
        if !store::review_if_version(conn, id, review.version, &reviewed)? {
            return Err(ApiError::version_conflict("flag"));
        }
        audit::record(
            conn,
            &principal.actor(),
            "risk_flag.review",
            ("risk_flag", Some(id)),
            Some(json!({
                "case": row.case_id,
                "status": review.status.as_str(),
                "reason": review.reason.map(DismissalReason::as_str),
            })),
        )?;
        let row = store::find_flag(conn, id)?.ok_or(ApiError::NotFound)?;
        shown(conn, vec![row])?.pop().ok_or(ApiError::NotFound)
    })
}

/// Flags as the API shows them, with their case, client and the staff named.
fn shown(conn: &mut DbConnection, rows: Vec<FlagRow>) -> Result<Vec<RiskFlag>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.case_id.as_str()).collect();
    let case_rows = cases::rows_of(conn, &ids)?;
    let clients: Vec<&str> = case_rows.values().map(|c| c.client_id.as_str()).collect();
    let names: HashMap<String, String> = cases::people(conn, &clients)?
        .into_iter()
        .map(|p| (p.id, common::clients::full_name(&p.name_zh, &p.name_en)))
        .collect();
    let staff_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.reviewed_by.as_deref())
        .chain(case_rows.values().map(|c| c.responsible_worker_id.as_str()))
        .collect();
    let staff = cases::staff(conn, &staff_ids)?;
    rows.into_iter()
        .map(|row| {
            let case = case_rows
                .get(&row.case_id)
                .ok_or_else(|| unreadable("risk_flags.case_id", &row.case_id))?;
            Ok(RiskFlag {
                factors: factors_of(&row)?,
                case_number: case.case_number.clone(),
                client_name: names.get(&case.client_id).cloned().unwrap_or_default(),
                responsible_worker: cases::staff_ref(&staff, &case.responsible_worker_id)?,
                raised_at: utc(row.raised_at),
                score: u32::try_from(row.score).unwrap_or_default(),
                threshold: u32::try_from(row.threshold).unwrap_or_default(),
                status: stored_code(FlagStatus::parse, "risk_flags.status", &row.status)?,
                reason: row
                    .dismissal_reason
                    .as_deref()
                    .map(|r| stored_code(DismissalReason::parse, "risk_flags.dismissal_reason", r))
                    .transpose()?,
                note: row.review_note,
                reviewed_by: row
                    .reviewed_by
                    .as_deref()
                    .map(|id| cases::staff_ref(&staff, id))
                    .transpose()?,
                reviewed_at: row.reviewed_at.map(utc),
                cleared_at: row.cleared_at.map(utc),
                version: row.version,
                id: row.id,
                case_id: row.case_id,
            })
        })
        .collect()
}

/// The cases whose stored reading (or standing flag) is not what their records say now,
/// among those read and not marked since: none, so long as every write that changes what
/// the indicator reads marks its cases. The tests check it after each test.
pub fn drifted(conn: &mut DbConnection, rules: &RiskRules) -> Result<Vec<String>, ApiError> {
    let read = store::read_and_current(conn)?;
    let ids: Vec<String> = read.iter().map(|(id, ..)| id.clone()).collect();
    let today = hong_kong_today();
    let mut gathered = gather(conn, &ids, today)?;
    let mut drifted = Vec::new();
    for (id, score, flagged, factors) in read {
        let (inputs, open) = gathered.remove(&id).ok_or(ApiError::NotFound)?;
        let reading = assess(&inputs, rules, today);
        let codes: Vec<&str> = reading.factors.iter().map(|f| f.factor.as_str()).collect();
        let standing = store::standing(conn, &id)?.is_some();
        if score != i64::from(reading.score)
            || flagged != (open && reading.flagged)
            || factors != codes.join(",")
            || standing != flagged
        {
            drifted.push(id);
        }
    }
    Ok(drifted)
}
