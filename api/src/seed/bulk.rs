//! The bulk load's writes: many rows to a statement, the columns the app's own stores
//! write. Clients go through `clients::store::insert_many`; their name keys and postings
//! are those `clients::service::index` writes.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use common::activities::{
    venue_key, ActivityFormat, ActivityMode, AttendanceStatus, EnrolmentStatus, HeadcountBand,
    TargetGroup, COMPLETION_PERCENT_DEFAULT,
};
use common::case_notes::ContactType;
use common::case_plans::GoalStatus;
use common::cases::{CaseEventKind, CaseState, CaseType, ClosureReason, ReferralSource};
use common::clients::Sex;
use common::districts::District;
use common::enquiries::{AgeBand, Channel, EnquiryOutcome};
use common::households::{
    CssaCaseType, CssaStatus, HouseholdType, HousingType, IncomeBand, Relationship,
};
use common::identity::{Role, Unit};
use common::referrals::{ConsentGiver, ReferralDirection, ReferralStatus, ServiceType};
use diesel::prelude::*;

use crate::cases::store::Breakdown;
use crate::db::schema::*;
use crate::db::{rows_per_statement, DbConnection};
use crate::insert_rows;
use crate::search::postings::{self, Chunk};

/// Inserts `rows` a statement's worth at a time, each made into its value tuple by `values`.
macro_rules! insert_chunked {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr, |$row:ident| $values:expr) => {{
        for chunk in $rows.chunks(rows_per_statement($columns)) {
            let values: Vec<_> = chunk.iter().map(|$row| $values).collect();
            insert_rows!($conn, $table, values)?;
        }
    }};
}

pub fn count_clients(conn: &mut DbConnection) -> QueryResult<i64> {
    clients::table.count().get_result(conn)
}

/// Every centre: id, code, district letter; by code.
pub fn centres(conn: &mut DbConnection) -> QueryResult<Vec<(String, String, String)>> {
    centres::table
        .order(centres::code)
        .select((centres::id, centres::code, centres::district))
        .load(conn)
}

/// A member of a centre's staff: id, unit, whether a supervisor.
pub type StaffRow = (String, Option<String>, bool);

/// The caseworkers and supervisors already in a centre (the demo's).
pub fn casework_staff(conn: &mut DbConnection, centre_id: &str) -> QueryResult<Vec<StaffRow>> {
    let rows: Vec<(String, Option<String>, String)> = users::table
        .inner_join(user_roles::table)
        .filter(users::centre_id.eq(centre_id))
        .filter(user_roles::role.eq_any([Role::SocialWorker.as_str(), Role::Supervisor.as_str()]))
        .order((users::username, user_roles::role))
        .select((users::id, users::unit_id, user_roles::role))
        .load(conn)?;
    let mut staff: Vec<StaffRow> = Vec::new();
    for (id, unit_id, role) in rows {
        let supervisor = role == Role::Supervisor.as_str();
        match staff.iter_mut().find(|(known, ..)| *known == id) {
            Some(row) => row.2 |= supervisor,
            None => staff.push((id, unit_id, supervisor)),
        }
    }
    Ok(staff)
}

/// Resource admins of an agency: id and agency, by username.
pub fn resource_admins(conn: &mut DbConnection) -> QueryResult<Vec<(String, String)>> {
    let rows: Vec<(String, Option<String>)> = users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(Role::ResourceAdmin.as_str()))
        .filter(users::agency_id.is_not_null())
        .order(users::username)
        .select((users::id, users::agency_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, agency)| Some((id, agency?)))
        .collect())
}

pub fn agency_code(conn: &mut DbConnection, agency_id: &str) -> QueryResult<String> {
    agencies::table
        .find(agency_id)
        .select(agencies::code)
        .first(conn)
}

/// A centre's units by kind.
pub fn units_of(conn: &mut DbConnection, centre_id: &str) -> QueryResult<Vec<(String, String)>> {
    units::table
        .filter(units::centre_id.eq(centre_id))
        .select((units::kind, units::id))
        .load(conn)
}

pub struct Household {
    pub id: String,
    pub district: District,
    pub address: String,
    pub household_type: HouseholdType,
    pub housing_type: HousingType,
    pub cssa_status: CssaStatus,
    pub cssa_case_type: Option<CssaCaseType>,
    pub income_band: IncomeBand,
    pub by: String,
    pub at: NaiveDateTime,
}

pub struct Membership {
    pub id: String,
    pub household_id: String,
    pub client_id: String,
    pub relationship: Relationship,
    pub joined_on: NaiveDate,
    pub by: String,
    pub at: NaiveDateTime,
}

pub struct Case {
    pub id: String,
    pub case_number: String,
    pub unit_id: String,
    pub client_id: String,
    pub case_type: CaseType,
    pub referral_source: ReferralSource,
    pub worker_id: String,
    pub state: CaseState,
    pub state_since: NaiveDate,
    pub sensitive: bool,
    pub closure_reason: Option<ClosureReason>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// What its events carry for the statistics.
    pub breakdown: Breakdown,
}

pub struct Event {
    pub id: String,
    pub case_id: String,
    pub seq: i64,
    pub kind: CaseEventKind,
    pub state: CaseState,
    pub effective_on: NaiveDate,
    pub at: NaiveDateTime,
    pub actor_id: String,
    pub worker_id: String,
    pub detail: Option<String>,
    /// The state of the event before, if any: every event is at the one centre.
    pub from_state: Option<CaseState>,
    /// The day of the event after, if any.
    pub superseded_on: Option<NaiveDate>,
}

/// A closure asked for and approved.
pub struct Closure {
    pub id: String,
    pub case_id: String,
    pub reason: ClosureReason,
    pub summary: String,
    pub closed_on: NaiveDate,
    pub requested_by: String,
    pub requested_at: NaiveDateTime,
    pub decided_by: String,
    pub decided_at: NaiveDateTime,
}

pub struct Note {
    pub id: String,
    pub case_id: String,
    pub contact_at: NaiveDateTime,
    pub contact_type: ContactType,
    pub duration_minutes: i64,
    pub narrative: String,
    pub author_id: String,
    pub at: NaiveDateTime,
    /// What it is found by, and its number in the posting lists (`index_notes`).
    pub search_text: String,
    pub search_seq: i64,
    pub correction: Option<Correction>,
}

/// A correction appended to a note after its edit window, by its author.
pub struct Correction {
    pub id: String,
    pub narrative: &'static str,
    pub reason: &'static str,
    pub at: NaiveDateTime,
}

pub struct Plan {
    pub case_id: String,
    pub next_review_on: Option<NaiveDate>,
    pub version: i64,
    pub by: String,
    pub at: NaiveDateTime,
}

pub struct Goal {
    pub id: String,
    pub case_id: String,
    pub description: String,
    pub target_date: NaiveDate,
    pub status: GoalStatus,
    pub version: i64,
    pub by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub struct Review {
    pub id: String,
    pub case_id: String,
    pub reviewed_on: NaiveDate,
    pub summary: String,
    pub next_review_on: NaiveDate,
    pub reviewer_id: String,
    pub at: NaiveDateTime,
}

pub struct Consent {
    pub name: String,
    pub giver: ConsentGiver,
    pub scope: String,
    pub on: NaiveDate,
    pub recorded_at: NaiveDateTime,
}

pub struct Referral {
    pub id: String,
    pub case_id: String,
    pub direction: ReferralDirection,
    pub agency_name: String,
    pub service_type: ServiceType,
    pub reason: String,
    pub info_shared: String,
    pub status: ReferralStatus,
    pub consent: Option<Consent>,
    pub sent_on: Option<NaiveDate>,
    pub follow_up_due: Option<NaiveDate>,
    pub outcome: Option<(String, NaiveDate)>,
    pub version: i64,
    pub by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One centre's casework, written in one transaction by [`write`].
#[derive(Default)]
pub struct Casework {
    pub households: Vec<Household>,
    pub memberships: Vec<Membership>,
    /// (name key, client), sorted: the primary key's order.
    pub name_keys: Vec<(String, String)>,
    /// The clients' posting lists: (gram, chunk), in the primary key's order.
    pub client_postings: Vec<(String, Chunk)>,
    pub cases: Vec<Case>,
    /// (year, last number).
    pub counters: Vec<(i64, i64)>,
    pub events: Vec<Event>,
    pub closures: Vec<Closure>,
    /// (case, user).
    pub co_workers: Vec<(String, String)>,
    /// (case, nature code).
    pub natures: Vec<(String, String)>,
    /// (case, client).
    pub members: Vec<(String, String)>,
    /// (case, user, shared by, when): a supervisor's share of a case for a colleague to read.
    pub shares: Vec<(String, String, String, NaiveDateTime)>,
    /// (user, case, client, through a share only, the client's number), sorted.
    pub reach: Vec<(String, String, String, bool, i64)>,
    pub notes: Vec<Note>,
    /// The notes' posting lists: (gram, chunk), in the primary key's order.
    pub note_postings: Vec<(String, Chunk)>,
    /// (note, client).
    pub participants: Vec<(String, String)>,
    pub plans: Vec<Plan>,
    pub goals: Vec<Goal>,
    pub reviews: Vec<Review>,
    pub referrals: Vec<Referral>,
    pub programmes: Programmes,
    pub enquiries: Vec<Enquiry>,
    /// (enquiry, nature code).
    pub enquiry_topics: Vec<(String, String)>,
    pub assessments: Vec<Assessment>,
    pub assessment_scores: Vec<AssessmentScore>,
}

/// A measure before or after service, within a case or a group, as the app keeps it.
pub struct Assessment {
    pub id: String,
    pub client_id: String,
    pub case_id: Option<String>,
    pub activity_id: Option<String>,
    pub instrument: &'static str,
    pub version: i64,
    pub stage: &'static str,
    pub administered_on: NaiveDate,
    pub by: String,
    /// The answers as JSON, by item number.
    pub answers: String,
    pub at: NaiveDateTime,
}

/// One scale's score of an assessment, as `assessments::store::insert` writes it.
pub struct AssessmentScore {
    pub assessment_id: String,
    pub scale: String,
    pub raw: i64,
    pub score_milli: Option<i64>,
    pub band: Option<String>,
    pub severity: Option<i64>,
    pub prorated: bool,
}

/// Writes a centre's measures before and after service (their cases and groups written).
pub fn write_assessments(
    conn: &mut DbConnection,
    centre_id: &str,
    c: &Casework,
) -> QueryResult<()> {
    insert_chunked!(conn, assessments::table, c.assessments, 12, |a| (
        assessments::id.eq(&a.id),
        assessments::client_id.eq(&a.client_id),
        assessments::centre_id.eq(centre_id),
        assessments::case_id.eq(a.case_id.as_deref()),
        assessments::activity_id.eq(a.activity_id.as_deref()),
        assessments::instrument.eq(a.instrument),
        assessments::instrument_version.eq(a.version),
        assessments::stage.eq(a.stage),
        assessments::administered_on.eq(a.administered_on),
        assessments::administered_by.eq(Some(&a.by)),
        assessments::answers.eq(&a.answers),
        assessments::created_at.eq(a.at),
    ));
    insert_chunked!(
        conn,
        assessment_scores::table,
        c.assessment_scores,
        7,
        |s| (
            assessment_scores::assessment_id.eq(&s.assessment_id),
            assessment_scores::scale.eq(&s.scale),
            assessment_scores::raw.eq(s.raw),
            assessment_scores::score_milli.eq(s.score_milli),
            assessment_scores::band.eq(s.band.as_deref()),
            assessment_scores::severity.eq(s.severity),
            assessment_scores::prorated.eq(s.prorated),
        )
    );
    Ok(())
}

/// An enquiry or drop-in contact, anonymous but for what the person chose to say.
pub struct Enquiry {
    pub id: String,
    pub unit_id: String,
    pub received_at: NaiveDateTime,
    pub channel: Channel,
    pub summary: String,
    pub minutes_spent: i64,
    pub outcome: EnquiryOutcome,
    pub sex: Option<Sex>,
    pub age_band: Option<AgeBand>,
    pub by: String,
}

/// Writes a centre's casework (its clients already written, in the same transaction).
pub fn write(conn: &mut DbConnection, centre_id: &str, c: &Casework) -> QueryResult<()> {
    insert_chunked!(conn, households::table, c.households, 14, |h| (
        households::id.eq(&h.id),
        households::centre_id.eq(centre_id),
        households::district.eq(h.district.code()),
        households::address.eq(&h.address),
        households::household_type.eq(h.household_type.as_str()),
        households::housing_type.eq(h.housing_type.as_str()),
        households::cssa_status.eq(h.cssa_status.as_str()),
        households::cssa_case_type.eq(h.cssa_case_type.map(|t| t.as_str())),
        households::income_band.eq(h.income_band.as_str()),
        households::version.eq(1_i64),
        households::created_by.eq(&h.by),
        households::updated_by.eq(&h.by),
        households::created_at.eq(h.at),
        households::updated_at.eq(h.at),
    ));
    insert_chunked!(conn, household_memberships::table, c.memberships, 8, |m| (
        household_memberships::id.eq(&m.id),
        household_memberships::household_id.eq(&m.household_id),
        household_memberships::client_id.eq(&m.client_id),
        household_memberships::relationship.eq(m.relationship.as_str()),
        household_memberships::joined_on.eq(m.joined_on),
        household_memberships::left_on.eq(None::<NaiveDate>),
        household_memberships::recorded_by.eq(&m.by),
        household_memberships::created_at.eq(m.at),
    ));
    insert_chunked!(conn, client_name_keys::table, c.name_keys, 3, |k| (
        client_name_keys::centre_id.eq(centre_id),
        client_name_keys::name_key.eq(&k.0),
        client_name_keys::client_id.eq(&k.1),
    ));
    postings::insert_chunks(
        conn,
        crate::clients::service::SEARCH_KIND,
        centre_id,
        &c.client_postings,
    )?;
    insert_chunked!(conn, case_counters::table, c.counters, 3, |n| (
        case_counters::centre_id.eq(centre_id),
        case_counters::year.eq(n.0),
        case_counters::last_number.eq(n.1),
    ));
    insert_chunked!(conn, cases::table, c.cases, 17, |k| (
        cases::id.eq(&k.id),
        cases::case_number.eq(&k.case_number),
        cases::centre_id.eq(centre_id),
        cases::unit_id.eq(&k.unit_id),
        cases::client_id.eq(&k.client_id),
        cases::case_type.eq(k.case_type.as_str()),
        cases::referral_source.eq(k.referral_source.as_str()),
        cases::responsible_worker_id.eq(&k.worker_id),
        cases::state.eq(k.state.as_str()),
        cases::state_since.eq(k.state_since),
        cases::sensitive.eq(k.sensitive),
        cases::closure_reason.eq(k.closure_reason.map(ClosureReason::as_str)),
        cases::version.eq(k.version),
        cases::created_by.eq(&k.worker_id),
        cases::updated_by.eq(&k.worker_id),
        cases::created_at.eq(k.created_at),
        cases::updated_at.eq(k.updated_at),
    ));
    // Every case has its risk reading's row, stale until the server reads it, as a case
    // opened through the app does.
    insert_chunked!(conn, case_risks::table, c.cases, 7, |k| (
        case_risks::case_id.eq(&k.id),
        case_risks::score.eq(0_i64),
        case_risks::flagged.eq(false),
        case_risks::factors.eq(""),
        case_risks::open.eq(k.state != CaseState::Closed),
        case_risks::computed_at.eq(None::<NaiveDateTime>),
        case_risks::stale.eq(true),
    ));
    // The natures before the events, so that their triggers find no events to rewrite.
    insert_chunked!(conn, case_nature_tags::table, c.natures, 2, |n| (
        case_nature_tags::case_id.eq(&n.0),
        case_nature_tags::nature_code.eq(&n.1),
    ));
    let breakdowns: HashMap<&str, &Breakdown> = c
        .cases
        .iter()
        .map(|k| (k.id.as_str(), &k.breakdown))
        .collect();
    insert_chunked!(conn, case_events::table, c.events, 18, |e| (
        case_events::id.eq(&e.id),
        case_events::case_id.eq(&e.case_id),
        case_events::seq.eq(e.seq),
        case_events::kind.eq(e.kind.as_str()),
        case_events::state.eq(e.state.as_str()),
        case_events::effective_on.eq(e.effective_on),
        case_events::recorded_at.eq(e.at),
        case_events::actor_id.eq(&e.actor_id),
        case_events::worker_id.eq(&e.worker_id),
        case_events::centre_id.eq(centre_id),
        case_events::detail.eq(e.detail.as_deref()),
        case_events::from_state.eq(e.from_state.map(CaseState::as_str)),
        case_events::from_centre_id.eq(e.from_state.map(|_| centre_id)),
        case_events::superseded_on.eq(e.superseded_on),
        case_events::case_type.eq(&breakdowns[e.case_id.as_str()].case_type),
        case_events::unit_kind.eq(&breakdowns[e.case_id.as_str()].unit_kind),
        case_events::district.eq(&breakdowns[e.case_id.as_str()].district),
        case_events::natures.eq(&breakdowns[e.case_id.as_str()].natures),
    ));
    insert_chunked!(conn, case_closure_requests::table, c.closures, 11, |r| (
        case_closure_requests::id.eq(&r.id),
        case_closure_requests::case_id.eq(&r.case_id),
        case_closure_requests::closure_reason.eq(r.reason.as_str()),
        case_closure_requests::closing_summary.eq(&r.summary),
        case_closure_requests::closed_on.eq(r.closed_on),
        case_closure_requests::requested_by.eq(&r.requested_by),
        case_closure_requests::requested_at.eq(r.requested_at),
        case_closure_requests::status.eq("approved"),
        case_closure_requests::decided_by.eq(Some(&r.decided_by)),
        case_closure_requests::decided_at.eq(Some(r.decided_at)),
        case_closure_requests::decision_comment.eq(None::<String>),
    ));
    insert_chunked!(conn, case_workers::table, c.co_workers, 2, |w| (
        case_workers::case_id.eq(&w.0),
        case_workers::user_id.eq(&w.1),
    ));
    insert_chunked!(conn, case_members::table, c.members, 2, |m| (
        case_members::case_id.eq(&m.0),
        case_members::client_id.eq(&m.1),
    ));
    // The people of sensitive cases, marked as `cases::store::refresh_reach` marks them.
    let sensitive: HashSet<&str> = c
        .cases
        .iter()
        .filter(|k| k.sensitive)
        .map(|k| k.id.as_str())
        .collect();
    let mut sensitive_people: Vec<String> = c
        .cases
        .iter()
        .filter(|k| k.sensitive)
        .map(|k| k.client_id.clone())
        .chain(
            c.members
                .iter()
                .filter(|(case, _)| sensitive.contains(case.as_str()))
                .map(|(_, client)| client.clone()),
        )
        .collect();
    sensitive_people.sort_unstable();
    sensitive_people.dedup();
    crate::cases::store::mark_sensitive_people(conn, &sensitive_people)?;
    insert_chunked!(conn, case_notes::table, c.notes, 13, |n| (
        case_notes::id.eq(&n.id),
        case_notes::case_id.eq(&n.case_id),
        case_notes::contact_at.eq(n.contact_at),
        case_notes::contact_type.eq(n.contact_type.as_str()),
        case_notes::duration_minutes.eq(n.duration_minutes),
        case_notes::other_participants.eq(""),
        case_notes::narrative.eq(&n.narrative),
        case_notes::author_id.eq(&n.author_id),
        case_notes::version.eq(1_i64),
        case_notes::created_at.eq(n.at),
        case_notes::updated_at.eq(n.at),
        case_notes::search_text.eq(&n.search_text),
        case_notes::search_seq.eq(n.search_seq),
    ));
    let corrected: Vec<(&Note, &Correction)> = c
        .notes
        .iter()
        .filter_map(|n| n.correction.as_ref().map(|k| (n, k)))
        .collect();
    insert_chunked!(conn, case_note_corrections::table, corrected, 6, |pair| (
        case_note_corrections::id.eq(&pair.1.id),
        case_note_corrections::note_id.eq(&pair.0.id),
        case_note_corrections::narrative.eq(pair.1.narrative),
        case_note_corrections::reason.eq(pair.1.reason),
        case_note_corrections::author_id.eq(&pair.0.author_id),
        case_note_corrections::created_at.eq(pair.1.at),
    ));
    insert_chunked!(
        conn,
        case_note_participants::table,
        c.participants,
        2,
        |p| (
            case_note_participants::note_id.eq(&p.0),
            case_note_participants::client_id.eq(&p.1),
        )
    );
    insert_chunked!(conn, case_shares::table, c.shares, 4, |k| (
        case_shares::case_id.eq(&k.0),
        case_shares::user_id.eq(&k.1),
        case_shares::shared_by.eq(&k.2),
        case_shares::shared_at.eq(k.3),
    ));
    insert_chunked!(conn, case_reach::table, c.reach, 6, |r| (
        case_reach::user_id.eq(&r.0),
        case_reach::case_id.eq(&r.1),
        case_reach::client_id.eq(&r.2),
        case_reach::centre_id.eq(centre_id),
        case_reach::shared.eq(r.3),
        case_reach::search_seq.eq(r.4),
    ));
    // A case's reach rows share their user's `shared`: one held row per user and case.
    let updated: HashMap<&str, NaiveDateTime> = c
        .cases
        .iter()
        .map(|k| (k.id.as_str(), k.updated_at))
        .collect();
    let mut held: Vec<(&str, &str, bool)> = c
        .reach
        .iter()
        .map(|r| (r.0.as_str(), r.1.as_str(), r.3))
        .collect();
    held.sort_unstable();
    held.dedup();
    insert_chunked!(conn, held_cases::table, held, 5, |h| (
        held_cases::user_id.eq(h.0),
        held_cases::case_id.eq(h.1),
        held_cases::shared.eq(h.2),
        held_cases::centre_id.eq(centre_id),
        held_cases::updated_at.eq(updated[h.1]),
    ));
    postings::insert_chunks(
        conn,
        crate::case_notes::service::SEARCH_KIND,
        centre_id,
        &c.note_postings,
    )?;
    insert_chunked!(conn, case_plans::table, c.plans, 5, |p| (
        case_plans::case_id.eq(&p.case_id),
        case_plans::next_review_on.eq(p.next_review_on),
        case_plans::version.eq(p.version),
        case_plans::updated_by.eq(&p.by),
        case_plans::updated_at.eq(p.at),
    ));
    insert_chunked!(conn, case_goals::table, c.goals, 9, |g| (
        case_goals::id.eq(&g.id),
        case_goals::case_id.eq(&g.case_id),
        case_goals::description.eq(&g.description),
        case_goals::target_date.eq(g.target_date),
        case_goals::status.eq(g.status.as_str()),
        case_goals::version.eq(g.version),
        case_goals::created_by.eq(&g.by),
        case_goals::created_at.eq(g.created_at),
        case_goals::updated_at.eq(g.updated_at),
    ));
    insert_chunked!(conn, case_reviews::table, c.reviews, 7, |r| (
        case_reviews::id.eq(&r.id),
        case_reviews::case_id.eq(&r.case_id),
        case_reviews::reviewed_on.eq(r.reviewed_on),
        case_reviews::summary.eq(&r.summary),
        case_reviews::next_review_on.eq(r.next_review_on),
        case_reviews::reviewer_id.eq(&r.reviewer_id),
        case_reviews::created_at.eq(r.at),
    ));
    insert_chunked!(conn, referrals::table, c.referrals, 22, |r| (
        (
            referrals::id.eq(&r.id),
            referrals::case_id.eq(&r.case_id),
            referrals::direction.eq(r.direction.as_str()),
            referrals::agency_name.eq(&r.agency_name),
            referrals::service_type.eq(r.service_type.as_str()),
            referrals::reason.eq(&r.reason),
            referrals::info_shared.eq(&r.info_shared),
            referrals::status.eq(r.status.as_str()),
        ),
        (
            referrals::consented_by_name.eq(r.consent.as_ref().map(|c| &c.name)),
            referrals::consented_by.eq(r.consent.as_ref().map(|c| c.giver.as_str())),
            referrals::consent_scope.eq(r.consent.as_ref().map(|c| &c.scope)),
            referrals::consented_on.eq(r.consent.as_ref().map(|c| c.on)),
            referrals::consent_recorded_by.eq(r.consent.as_ref().map(|_| &r.by)),
            referrals::consent_recorded_at.eq(r.consent.as_ref().map(|c| c.recorded_at)),
        ),
        (
            referrals::sent_on.eq(r.sent_on),
            referrals::follow_up_due.eq(r.follow_up_due),
            referrals::outcome.eq(r.outcome.as_ref().map(|o| &o.0)),
            referrals::outcome_on.eq(r.outcome.as_ref().map(|o| o.1)),
            referrals::version.eq(r.version),
            referrals::created_by.eq(&r.by),
            referrals::created_at.eq(r.created_at),
            referrals::updated_at.eq(r.updated_at),
        ),
    ));
    insert_chunked!(conn, enquiries::table, c.enquiries, 15, |e| (
        enquiries::id.eq(&e.id),
        enquiries::centre_id.eq(centre_id),
        enquiries::unit_id.eq(&e.unit_id),
        enquiries::received_at.eq(e.received_at),
        enquiries::channel.eq(e.channel.as_str()),
        enquiries::summary.eq(&e.summary),
        enquiries::minutes_spent.eq(e.minutes_spent),
        enquiries::outcome.eq(e.outcome.as_str()),
        enquiries::sex.eq(e.sex.map(|s| s.as_str())),
        enquiries::age_band.eq(e.age_band.map(|b| b.as_str())),
        enquiries::version.eq(1_i64),
        enquiries::recorded_by.eq(&e.by),
        enquiries::updated_by.eq(&e.by),
        enquiries::created_at.eq(e.received_at),
        enquiries::updated_at.eq(e.received_at),
    ));
    insert_chunked!(conn, enquiry_topics::table, c.enquiry_topics, 2, |t| (
        enquiry_topics::enquiry_id.eq(&t.0),
        enquiry_topics::nature_code.eq(&t.1),
    ));
    Ok(())
}

/// A centre's groups, programmes and events as the load writes them.
#[derive(Default)]
pub struct Programmes {
    pub activities: Vec<Activity>,
    /// (activity, nature code).
    pub themes: Vec<(String, String)>,
    /// (activity, family life education theme code).
    pub education_themes: Vec<(String, &'static str)>,
    /// (activity, position, staff member, volunteer's name).
    pub facilitators: Vec<(String, i64, Option<String>, Option<&'static str>)>,
    pub sessions: Vec<Session>,
    pub enrolments: Vec<Enrolment>,
    pub marks: Vec<Mark>,
    /// (session, band, sex, count).
    pub session_headcounts: Vec<(String, HeadcountBand, Sex, i64)>,
    /// (activity, band, count).
    pub event_headcounts: Vec<(String, HeadcountBand, i64)>,
}

pub struct Activity {
    pub id: String,
    pub unit_id: String,
    pub unit: Unit,
    pub format: ActivityFormat,
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub target_group: TargetGroup,
    pub capacity: Option<i64>,
    pub venue: &'static str,
    pub planned_start: NaiveDate,
    pub planned_end: NaiveDate,
    pub intervention_model: Option<&'static str>,
    /// An event's online views, online participants and media items.
    pub reach: Option<(i64, i64, i64)>,
    pub by: String,
    pub at: NaiveDateTime,
}

pub struct Session {
    pub id: String,
    pub activity_id: String,
    pub number: i64,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub venue: &'static str,
    pub headcount_version: i64,
    pub by: String,
}

pub struct Enrolment {
    pub id: String,
    pub activity_id: String,
    pub client_id: String,
    pub requested_at: NaiveDateTime,
    /// When and why they left, if they did.
    pub withdrawn: Option<(NaiveDateTime, &'static str)>,
    pub by: String,
}

pub struct Mark {
    pub session_id: String,
    pub client_id: String,
    pub enrolment_id: String,
    pub status: AttendanceStatus,
    pub by: String,
    pub at: NaiveDateTime,
}

pub const REACH_NOTE: &str =
    "入場點算器及網上平台數據 Clicker at the entrance and the platform's figures";

/// Writes a centre's groups, programmes and events (its clients already written).
/// `births`: the centre's clients' dates of birth, which their marks carry.
pub fn write_programmes(
    conn: &mut DbConnection,
    centre_id: &str,
    p: &Programmes,
    births: &HashMap<&str, NaiveDate>,
) -> QueryResult<()> {
    insert_chunked!(conn, activities::table, p.activities, 27, |a| (
        (
            activities::id.eq(&a.id),
            activities::centre_id.eq(centre_id),
            activities::unit_id.eq(&a.unit_id),
            activities::kind.eq(a.format.kind().as_str()),
            activities::format.eq(a.format.as_str()),
            activities::title_zh.eq(a.title_zh),
            activities::title_en.eq(a.title_en),
            activities::target_group.eq(a.target_group.as_str()),
            activities::mode.eq(ActivityMode::FaceToFace.as_str()),
            activities::capacity.eq(a.capacity),
            activities::venue.eq(Some(a.venue)),
            activities::meeting_link.eq(None::<&str>),
            activities::planned_start.eq(a.planned_start),
            activities::planned_end.eq(a.planned_end),
        ),
        (
            activities::actual_start.eq(Some(a.planned_start)),
            activities::actual_end.eq(Some(a.planned_end)),
            activities::intervention_model.eq(a.intervention_model),
            activities::completion_percent.eq(COMPLETION_PERCENT_DEFAULT),
            activities::online_views.eq(a.reach.map(|r| r.0)),
            activities::online_participants.eq(a.reach.map(|r| r.1)),
            activities::media_items.eq(a.reach.map(|r| r.2)),
            activities::counting_note.eq(a.reach.map(|_| REACH_NOTE)),
            activities::version.eq(if a.reach.is_some() { 2_i64 } else { 1 }),
            activities::created_by.eq(&a.by),
            activities::updated_by.eq(&a.by),
            activities::created_at.eq(a.at),
            activities::updated_at.eq(a.at),
        ),
    ));
    insert_chunked!(conn, activity_themes::table, p.themes, 2, |t| (
        activity_themes::activity_id.eq(&t.0),
        activity_themes::nature_code.eq(&t.1),
    ));
    insert_chunked!(
        conn,
        activity_education_themes::table,
        p.education_themes,
        2,
        |t| (
            activity_education_themes::activity_id.eq(&t.0),
            activity_education_themes::theme_code.eq(t.1),
        )
    );
    insert_chunked!(conn, activity_facilitators::table, p.facilitators, 5, |f| (
        activity_facilitators::activity_id.eq(&f.0),
        activity_facilitators::position.eq(f.1),
        activity_facilitators::role.eq(if f.2.is_some() { "staff" } else { "volunteer" }),
        activity_facilitators::user_id.eq(f.2.as_deref()),
        activity_facilitators::name.eq(f.3),
    ));
    insert_chunked!(conn, activity_sessions::table, p.sessions, 12, |s| (
        activity_sessions::id.eq(&s.id),
        activity_sessions::activity_id.eq(&s.activity_id),
        activity_sessions::centre_id.eq(centre_id),
        activity_sessions::number.eq(s.number),
        activity_sessions::starts_at.eq(s.starts_at),
        activity_sessions::ends_at.eq(s.ends_at),
        activity_sessions::venue.eq(Some(s.venue)),
        activity_sessions::venue_key.eq(Some(venue_key(s.venue))),
        activity_sessions::online.eq(false),
        activity_sessions::headcount_version.eq(s.headcount_version),
        activity_sessions::created_by.eq(&s.by),
        activity_sessions::created_at.eq(s.starts_at),
    ));
    let mut attended: HashMap<&str, i64> = HashMap::new();
    for mark in p.marks.iter().filter(|m| m.status.attended()) {
        *attended.entry(mark.enrolment_id.as_str()).or_default() += 1;
    }
    insert_chunked!(conn, enrolments::table, p.enrolments, 12, |e| (
        enrolments::id.eq(&e.id),
        enrolments::activity_id.eq(&e.activity_id),
        enrolments::client_id.eq(&e.client_id),
        enrolments::status.eq(if e.withdrawn.is_some() {
            EnrolmentStatus::Withdrawn.as_str()
        } else {
            EnrolmentStatus::Enrolled.as_str()
        }),
        enrolments::requested_at.eq(e.requested_at),
        enrolments::placed_at.eq(Some(e.requested_at)),
        enrolments::withdrawn_at.eq(e.withdrawn.map(|w| w.0)),
        enrolments::withdrawal_reason.eq(e.withdrawn.map(|w| w.1)),
        enrolments::enrolled_by.eq(&e.by),
        enrolments::version.eq(if e.withdrawn.is_some() { 2_i64 } else { 1 }),
        enrolments::updated_at.eq(e.withdrawn.map_or(e.requested_at, |w| w.0)),
        enrolments::sessions_attended.eq(attended.get(e.id.as_str()).copied().unwrap_or(0)),
    ));
    // What the statistics count a mark by, as `activities::store::insert_mark` writes it.
    let activities: HashMap<&str, &Activity> =
        p.activities.iter().map(|a| (a.id.as_str(), a)).collect();
    let sessions: HashMap<&str, (NaiveDateTime, &Activity)> = p
        .sessions
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                (s.starts_at, activities[s.activity_id.as_str()]),
            )
        })
        .collect();
    insert_chunked!(conn, attendance::table, p.marks, 13, |m| (
        attendance::session_id.eq(&m.session_id),
        attendance::client_id.eq(&m.client_id),
        attendance::enrolment_id.eq(&m.enrolment_id),
        attendance::status.eq(m.status.as_str()),
        attendance::online.eq(false),
        attendance::version.eq(1_i64),
        attendance::recorded_by.eq(&m.by),
        attendance::recorded_at.eq(m.at),
        attendance::session_starts_at.eq(sessions[m.session_id.as_str()].0),
        attendance::centre_id.eq(centre_id),
        attendance::activity_kind.eq(sessions[m.session_id.as_str()].1.format.kind().as_str()),
        attendance::unit_kind.eq(sessions[m.session_id.as_str()].1.unit.as_str()),
        attendance::date_of_birth.eq(births[m.client_id.as_str()]),
    ));
    insert_chunked!(
        conn,
        session_headcounts::table,
        p.session_headcounts,
        4,
        |h| (
            session_headcounts::session_id.eq(&h.0),
            session_headcounts::age_band.eq(h.1.as_str()),
            session_headcounts::sex.eq(h.2.as_str()),
            session_headcounts::count.eq(h.3),
        )
    );
    insert_chunked!(conn, event_headcounts::table, p.event_headcounts, 3, |h| (
        event_headcounts::activity_id.eq(&h.0),
        event_headcounts::age_band.eq(h.1.as_str()),
        event_headcounts::count.eq(h.2),
    ));
    Ok(())
}
