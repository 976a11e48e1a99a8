//! Database access for case plans, goals and reviews. The service finds the case within
//! the user's reach before any of these run, except [`reviews_due`], which starts from
//! the reach itself.

use chrono::{NaiveDate, NaiveDateTime};
use common::case_plans::{GoalDetails, GoalStatus, Review};
use common::cases::CaseState;
use diesel::prelude::*;

use crate::cases::store::within;
use crate::db::schema::{case_goals, case_plans, case_reviews, cases};
use crate::db::{new_id, unreadable, DbConnection};
use crate::identity::RecordScope;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_plans)]
pub struct PlanRow {
    pub case_id: String,
    pub next_review_on: Option<NaiveDate>,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_goals)]
pub struct GoalRow {
    pub id: String,
    pub case_id: String,
    pub description: String,
    pub target_date: NaiveDate,
    pub status: String,
    pub version: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl GoalRow {
    pub fn status(&self) -> QueryResult<GoalStatus> {
        GoalStatus::parse(&self.status).ok_or_else(|| unreadable("case_goals.status", &self.status))
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_reviews)]
pub struct ReviewRow {
    pub id: String,
    pub reviewed_on: NaiveDate,
    pub summary: String,
    pub next_review_on: NaiveDate,
    pub reviewer_id: String,
    pub created_at: NaiveDateTime,
}

pub fn plan(conn: &mut DbConnection, case_id: &str) -> QueryResult<Option<PlanRow>> {
    case_plans::table
        .find(case_id)
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// Writes the plan's review day if the plan is still at `expected_version` (0: not
/// written yet, so it is made); answers whether it did. Two first writes at once meet on
/// the primary key, and the loser gets the unique violation's 409.
pub fn set_next_review(
    conn: &mut DbConnection,
    case_id: &str,
    expected_version: i64,
    next_review_on: Option<NaiveDate>,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    if expected_version == 0 {
        if plan(conn, case_id)?.is_some() {
            return Ok(false);
        }
        diesel::insert_into(case_plans::table)
            .values((
                case_plans::case_id.eq(case_id),
                case_plans::next_review_on.eq(next_review_on),
                case_plans::version.eq(1),
                case_plans::updated_by.eq(user_id),
                case_plans::updated_at.eq(at),
            ))
            .execute(conn)?;
        return Ok(true);
    }
    let written = diesel::update(
        case_plans::table
            .filter(case_plans::case_id.eq(case_id))
            .filter(case_plans::version.eq(expected_version)),
    )
    .set((
        case_plans::next_review_on.eq(next_review_on),
        case_plans::version.eq(expected_version + 1),
        case_plans::updated_by.eq(user_id),
        case_plans::updated_at.eq(at),
    ))
    .execute(conn)?;
    Ok(written == 1)
}

/// A case's goals, the nearest target first.
pub fn goals(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<GoalRow>> {
    case_goals::table
        .filter(case_goals::case_id.eq(case_id))
        .order((case_goals::target_date, case_goals::id))
        .select(GoalRow::as_select())
        .load(conn)
}

pub fn goal(conn: &mut DbConnection, id: &str) -> QueryResult<Option<GoalRow>> {
    case_goals::table
        .find(id)
        .select(GoalRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_goal(
    conn: &mut DbConnection,
    id: &str,
    case_id: &str,
    goal: &GoalDetails,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(case_goals::table)
        .values((
            case_goals::id.eq(id),
            case_goals::case_id.eq(case_id),
            case_goals::description.eq(&goal.description),
            case_goals::target_date.eq(goal.target_date),
            case_goals::status.eq(goal.status.as_str()),
            case_goals::version.eq(1),
            case_goals::created_by.eq(user_id),
            case_goals::created_at.eq(at),
            case_goals::updated_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// Writes only if the goal is still at `expected_version`; answers whether it did.
pub fn update_goal_if_version(
    conn: &mut DbConnection,
    id: &str,
    expected_version: i64,
    goal: &GoalDetails,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        case_goals::table
            .filter(case_goals::id.eq(id))
            .filter(case_goals::version.eq(expected_version)),
    )
    .set((
        case_goals::description.eq(&goal.description),
        case_goals::target_date.eq(goal.target_date),
        case_goals::status.eq(goal.status.as_str()),
        case_goals::version.eq(expected_version + 1),
        case_goals::updated_at.eq(at),
    ))
    .execute(conn)
    .map(|written| written == 1)
}

/// A case's reviews, the latest first.
pub fn reviews(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<ReviewRow>> {
    case_reviews::table
        .filter(case_reviews::case_id.eq(case_id))
        .order((case_reviews::reviewed_on.desc(), case_reviews::id.desc()))
        .select(ReviewRow::as_select())
        .load(conn)
}

pub fn insert_review(
    conn: &mut DbConnection,
    case_id: &str,
    review: &Review,
    user_id: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(case_reviews::table)
        .values((
            case_reviews::id.eq(new_id()),
            case_reviews::case_id.eq(case_id),
            case_reviews::reviewed_on.eq(review.reviewed_on),
            case_reviews::summary.eq(&review.summary),
            case_reviews::next_review_on.eq(review.next_review_on),
            case_reviews::reviewer_id.eq(user_id),
            case_reviews::created_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

/// Cases of a scope, not closed, whose review day is `today` or before, with that day:
/// the longest due first.
pub fn reviews_due(
    conn: &mut DbConnection,
    scope: &RecordScope,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<(String, NaiveDate)>> {
    let due = || {
        case_plans::table
            .filter(case_plans::next_review_on.le(today))
            .select(case_plans::case_id)
    };
    // The reach is a boxed query, which MultiConnection cannot nest as a subquery: the
    // cases are found through it first, then their plans in order.
    let case_ids: Vec<String> = within(scope)
        .filter(cases::state.ne(CaseState::Closed.as_str()))
        .filter(cases::id.eq_any(due()))
        .select(cases::id)
        .load(conn)?;
    case_plans::table
        .filter(case_plans::case_id.eq_any(case_ids))
        .order((case_plans::next_review_on, case_plans::case_id))
        .limit(limit)
        .select((
            case_plans::case_id,
            case_plans::next_review_on.assume_not_null(),
        ))
        .load(conn)
}
