//! Database access for referrals. The service finds the case within the user's reach
//! before any of these run, except [`follow_ups_due`], which starts from the reach itself.

use chrono::{NaiveDate, NaiveDateTime};
use common::cases::CaseState;
use common::referrals::{
    ConsentGiven, ConsentGiver, NewReferral, Outcome, ReferralDirection, ReferralStatus, Sending,
    ServiceType,
};
use diesel::prelude::*;

use crate::cases::store::within;
use crate::db::schema::{cases, referrals};
use crate::db::{stored_code, DbConnection};
use crate::identity::RecordScope;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = referrals)]
pub struct ReferralRow {
    pub id: String,
    pub case_id: String,
    pub direction: String,
    pub agency_name: String,
    pub service_type: String,
    pub reason: String,
    pub info_shared: String,
    pub status: String,
    pub consented_by_name: Option<String>,
    pub consented_by: Option<String>,
    pub consent_scope: Option<String>,
    pub consented_on: Option<NaiveDate>,
    pub consent_recorded_by: Option<String>,
    pub consent_recorded_at: Option<NaiveDateTime>,
    pub sent_on: Option<NaiveDate>,
    pub follow_up_due: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub outcome_on: Option<NaiveDate>,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ReferralRow {
    pub fn direction(&self) -> QueryResult<ReferralDirection> {
        stored_code(
            ReferralDirection::parse,
            "referrals.direction",
            &self.direction,
        )
    }

    pub fn service_type(&self) -> QueryResult<ServiceType> {
        stored_code(
            ServiceType::parse,
            "referrals.service_type",
            &self.service_type,
        )
    }

    pub fn status(&self) -> QueryResult<ReferralStatus> {
        stored_code(ReferralStatus::parse, "referrals.status", &self.status)
    }

    pub fn consented_by(&self) -> QueryResult<Option<ConsentGiver>> {
        self.consented_by
            .as_deref()
            .map(|value| stored_code(ConsentGiver::parse, "referrals.consented_by", value))
            .transpose()
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ReferralRow>> {
    referrals::table
        .find(id)
        .select(ReferralRow::as_select())
        .first(conn)
        .optional()
}

/// A case's referrals, the latest first.
pub fn of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<ReferralRow>> {
    referrals::table
        .filter(referrals::case_id.eq(case_id))
        .order((referrals::created_at.desc(), referrals::id.desc()))
        .select(ReferralRow::as_select())
        .load(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    id: &str,
    case_id: &str,
    referral: &NewReferral,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(id),
            referrals::case_id.eq(case_id),
            referrals::direction.eq(referral.direction.as_str()),
            referrals::agency_name.eq(&referral.agency_name),
            referrals::service_type.eq(referral.service_type.as_str()),
            referrals::reason.eq(&referral.reason),
            referrals::info_shared.eq(&referral.info_shared),
            referrals::status.eq(ReferralStatus::first(referral.direction).as_str()),
            referrals::follow_up_due.eq(referral.follow_up_due),
            referrals::version.eq(1),
            referrals::created_by.eq(user_id),
            referrals::created_at.eq(at),
            referrals::updated_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// What one step of a referral writes besides its status.
#[derive(AsChangeset, Default)]
#[diesel(table_name = referrals)]
pub struct Step<'a> {
    consented_by_name: Option<&'a str>,
    consented_by: Option<&'a str>,
    consent_scope: Option<&'a str>,
    consented_on: Option<NaiveDate>,
    consent_recorded_by: Option<&'a str>,
    consent_recorded_at: Option<NaiveDateTime>,
    sent_on: Option<NaiveDate>,
    follow_up_due: Option<NaiveDate>,
    outcome: Option<&'a str>,
    outcome_on: Option<NaiveDate>,
}

impl<'a> Step<'a> {
    pub fn consent(consent: &'a ConsentGiven, user_id: &'a str, at: NaiveDateTime) -> Self {
        Step {
            consented_by_name: Some(&consent.consented_by_name),
            consented_by: Some(consent.consented_by.as_str()),
            consent_scope: Some(&consent.consent_scope),
            consented_on: Some(consent.consented_on),
            consent_recorded_by: Some(user_id),
            consent_recorded_at: Some(at),
            ..Step::default()
        }
    }

    pub fn sending(sending: &Sending) -> Self {
        Step {
            sent_on: Some(sending.sent_on),
            follow_up_due: Some(sending.follow_up_due),
            ..Step::default()
        }
    }

    pub fn outcome(outcome: &'a Outcome) -> Self {
        Step {
            outcome: Some(&outcome.outcome),
            outcome_on: Some(outcome.outcome_on),
            ..Step::default()
        }
    }
}

/// Moves a referral to `status` with what the step writes, only if it is still at
/// `expected_version`; answers whether it did.
pub fn step_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    status: ReferralStatus,
    step: &Step,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        referrals::table
            .filter(referrals::id.eq(id))
            .filter(referrals::version.eq(expected_version)),
    )
    .set((
        step,
        referrals::status.eq(status.as_str()),
        referrals::version.eq(expected_version + 1),
        referrals::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|written| written == 1)
}

/// Referrals of a scope's cases (not closed) waiting for an answer whose follow-up day
/// is `today` or before: the longest due first.
pub fn follow_ups_due(
    conn: &mut DbConnection,
    scope: &RecordScope,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<ReferralRow>> {
    let waiting: Vec<&str> = ReferralStatus::ALL
        .iter()
        .filter(|status| status.awaits_answer())
        .map(|status| status.as_str())
        .collect();
    let due = || {
        referrals::table
            .filter(referrals::status.eq_any(waiting.clone()))
            .filter(referrals::follow_up_due.le(today))
    };
    // The reach is a boxed query, which MultiConnection cannot nest as a subquery: the
    // cases are found through it first, then their referrals in order.
    let case_ids: Vec<String> = within(scope)
        .filter(cases::state.ne(CaseState::Closed.as_str()))
        .filter(cases::id.eq_any(due().select(referrals::case_id)))
        .select(cases::id)
        .load(conn)?;
    due()
        .filter(referrals::case_id.eq_any(case_ids))
        .order((referrals::follow_up_due, referrals::id))
        .limit(limit)
        .select(ReferralRow::as_select())
        .load(conn)
}
