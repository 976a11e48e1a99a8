//! Workbooks built in the background: a row per request keeps its state, progress and,
//! once ready, the file, so the job goes on while the user works elsewhere and the
//! download waits for them. Only the requester sees their workbooks.

use chrono::{NaiveDateTime, Utc};
use common::statistics::{Period, WorkbookJob, WorkbookState};
use diesel::prelude::*;

use super::{service, workbook};
use crate::db::schema::statistics_workbooks;
use crate::db::{stored_code, DbConnection, DbPool, PartBudget};
use crate::error::ApiError;

#[derive(Queryable, Selectable)]
#[diesel(table_name = statistics_workbooks)]
struct JobRow {
    id: String,
    financial_year: i64,
    quarter: Option<i64>,
    month: Option<i64>,
    state: String,
    progress: i64,
    file_name: Option<String>,
    requested_at: NaiveDateTime,
}

impl JobRow {
    fn into_job(self) -> QueryResult<WorkbookJob> {
        let year = self.financial_year as i32;
        let period = match (self.quarter, self.month) {
            (Some(q), _) => Period::quarter(year, q as u32),
            (_, Some(m)) => Period::month(year, m as u32),
            _ => Period::year(year),
        };
        Ok(WorkbookJob {
            id: self.id,
            state: stored_code(
                WorkbookState::parse,
                "statistics_workbooks.state",
                &self.state,
            )?,
            progress: self.progress,
            period_zh: period.label_zh(),
            period_en: period.label_en(),
            file_name: self.file_name,
            requested_at: self.requested_at.and_utc(),
        })
    }
}

pub struct Request<'a> {
    pub user_id: &'a str,
    pub centre_id: Option<&'a str>,
    pub agency_id: Option<&'a str>,
    pub period: Period,
    pub at: NaiveDateTime,
}

/// Records the request, queued.
pub fn insert(conn: &mut DbConnection, request: &Request) -> QueryResult<WorkbookJob> {
    let id = crate::db::new_id();
    let (quarter, month) = match request.period.kind {
        common::statistics::PeriodKind::Quarter => (Some(i64::from(request.period.number)), None),
        common::statistics::PeriodKind::Month => (None, Some(i64::from(request.period.number))),
        common::statistics::PeriodKind::Year => (None, None),
    };
    diesel::insert_into(statistics_workbooks::table)
        .values((
            statistics_workbooks::id.eq(&id),
            statistics_workbooks::requested_by.eq(request.user_id),
            statistics_workbooks::centre_id.eq(request.centre_id),
            statistics_workbooks::agency_id.eq(request.agency_id),
            statistics_workbooks::financial_year.eq(i64::from(request.period.financial_year)),
            statistics_workbooks::quarter.eq(quarter),
            statistics_workbooks::month.eq(month),
            statistics_workbooks::state.eq(WorkbookState::Queued.as_str()),
            statistics_workbooks::progress.eq(0i64),
            statistics_workbooks::requested_at.eq(request.at),
        ))
        .execute(conn)?;
    find(conn, request.user_id, &id)?.ok_or(diesel::result::Error::NotFound)
}

/// A workbook of the user's, if there is one by that id.
pub fn find(conn: &mut DbConnection, user_id: &str, id: &str) -> QueryResult<Option<WorkbookJob>> {
    statistics_workbooks::table
        .filter(statistics_workbooks::id.eq(id))
        .filter(statistics_workbooks::requested_by.eq(user_id))
        .select(JobRow::as_select())
        .first(conn)
        .optional()?
        .map(JobRow::into_job)
        .transpose()
}

/// The user's workbooks, latest first.
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<WorkbookJob>> {
    statistics_workbooks::table
        .filter(statistics_workbooks::requested_by.eq(user_id))
        .order(statistics_workbooks::requested_at.desc())
        .limit(20)
        .select(JobRow::as_select())
        .load(conn)?
        .into_iter()
        .map(JobRow::into_job)
        .collect()
}

/// A ready workbook's name and bytes; 409 while it is being built or if it failed.
pub fn file(
    conn: &mut DbConnection,
    user_id: &str,
    id: &str,
) -> Result<(String, Vec<u8>), ApiError> {
    let found: Option<(String, Option<String>, Option<Vec<u8>>)> = statistics_workbooks::table
        .filter(statistics_workbooks::id.eq(id))
        .filter(statistics_workbooks::requested_by.eq(user_id))
        .select((
            statistics_workbooks::state,
            statistics_workbooks::file_name,
            statistics_workbooks::file,
        ))
        .first(conn)
        .optional()?;
    match found {
        None => Err(ApiError::NotFound),
        Some((_, Some(name), Some(bytes))) => Ok((name, bytes)),
        Some(_) => Err(ApiError::conflict(
            "workbook_not_ready",
            "The workbook is not ready: wait for it to finish",
        )),
    }
}

fn set_state(
    conn: &mut DbConnection,
    id: &str,
    state: WorkbookState,
    progress: i64,
) -> QueryResult<()> {
    diesel::update(statistics_workbooks::table.find(id))
        .set((
            statistics_workbooks::state.eq(state.as_str()),
            statistics_workbooks::progress.eq(progress),
        ))
        .execute(conn)
        .map(drop)
}

/// Builds the workbook on a thread of its own and keeps it; a failure is logged and
/// marks the job failed.
pub fn start(pool: DbPool, budget: PartBudget, id: String, centres: Vec<String>, period: Period) {
    let spawned = std::thread::Builder::new()
        .name("statistics-workbook".into())
        .spawn(move || {
            if let Err(error) = build(&pool, &budget, &id, &centres, period) {
                tracing::error!(workbook = %id, %error, "the statistics workbook failed");
                if let Ok(mut conn) = pool.get() {
                    let _ = set_state(&mut conn, &id, WorkbookState::Failed, 100);
                }
            }
        });
    if let Err(error) = spawned {
        tracing::error!(%error, "no thread for the statistics workbook");
    }
}

fn build(
    pool: &DbPool,
    budget: &PartBudget,
    id: &str,
    centres: &[String],
    period: Period,
) -> Result<(), Box<dyn std::error::Error>> {
    set_state(&mut *pool.get()?, id, WorkbookState::Running, 5)?;
    let now = Utc::now().naive_utc();
    let statistics = service::statistics(
        &|| pool.get(),
        budget,
        centres,
        period,
        crate::clients::service::hong_kong_today(),
        now,
    )?;
    let mut conn = pool.get()?;
    set_state(&mut conn, id, WorkbookState::Running, 50)?;
    let mut report = |progress: i64| {
        let _ = set_state(&mut conn, id, WorkbookState::Running, 50 + progress / 2);
    };
    let bytes = workbook::workbook(&statistics, &mut report)?;
    let name = workbook::file_name(&statistics);
    diesel::update(statistics_workbooks::table.find(id))
        .set((
            statistics_workbooks::state.eq(WorkbookState::Ready.as_str()),
            statistics_workbooks::progress.eq(100i64),
            statistics_workbooks::file_name.eq(name),
            statistics_workbooks::file.eq(bytes),
            statistics_workbooks::finished_at.eq(Utc::now().naive_utc()),
        ))
        .execute(&mut conn)?;
    Ok(())
}

/// Jobs a stopped server left unfinished are marked failed, so nobody waits for them.
pub fn fail_interrupted(conn: &mut DbConnection) -> QueryResult<usize> {
    diesel::update(
        statistics_workbooks::table.filter(statistics_workbooks::state.eq_any([
            WorkbookState::Queued.as_str(),
            WorkbookState::Running.as_str(),
        ])),
    )
    .set(statistics_workbooks::state.eq(WorkbookState::Failed.as_str()))
    .execute(conn)
}
