use actix_web::http::header;
use actix_web::{web, HttpResponse};
use common::cases::CasePage;
use common::error::ErrorBody;
use common::identity::{Access, Permission, Records};
use common::statistics::{
    financial_year_of, ActivityFigureQuery, ActivityRunPage, AgreedLevel, AgreedLevelForm,
    FigureQuery, Indicator, LevelsQuery, ScopeChoice, Statistics, StatisticsQuery, WorkbookJob,
};
use serde_json::json;
use utoipa::OpenApi;

use super::{jobs, service, store};
use crate::clients::service::hong_kong_today;
use crate::db::transaction;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(
        statistics,
        figure_cases,
        figure_activities,
        levels,
        set_level,
        request_workbook,
        workbooks,
        workbook,
        workbook_file
    ),
    components(schemas(common::statistics::CaseFigure, common::activities::ActivityKind))
)]
pub struct StatisticsApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/statistics").get(statistics))
        .service(web::resource("/statistics/cases").get(figure_cases))
        .service(web::resource("/statistics/activities").get(figure_activities))
        .service(
            web::resource("/statistics/workbooks")
                .get(workbooks)
                .post(request_workbook),
        )
        .service(web::resource("/statistics/workbooks/{id}").get(workbook))
        .service(web::resource("/statistics/workbooks/{id}/file").get(workbook_file))
        .service(
            web::resource("/service-standards")
                .get(levels)
                .put(set_level),
        );
}

fn this_year() -> i32 {
    financial_year_of(hong_kong_today())
}

fn now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

/// The statistics of a financial year, quarter or month over a centre, an agency or every
/// centre the user may see, with each centre's year to date against its agreed levels.
#[utoipa::path(get, path = "/api/statistics", tag = "statistics", security(("bearer" = [])),
    params(StatisticsQuery),
    responses((status = 200, body = Statistics), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn statistics(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<StatisticsQuery>,
) -> Result<web::Json<Statistics>, ApiError> {
    principal.require(Permission::ViewStatistics)?;
    let (period, choice) = query.0.parse(this_year()).map_err(ApiError::Validation)?;
    let reads = state.reads.clone();
    let budget = state.parts.clone();
    let statistics = state
        .pooled(move |connect| {
            let centres = service::centres_for(&mut *connect()?, &principal, &choice)?;
            let statistics =
                service::statistics(connect, &budget, &centres, period, hong_kong_today(), now())?;
            reads.record(
                &principal.actor(),
                "statistics.view",
                ("statistics", None),
                Some(json!({"from": period.from, "until": period.until, "centres": centres.len()})),
            )?;
            Ok(statistics)
        })
        .await?;
    Ok(web::Json(statistics))
}

/// The cases behind a case figure, or one row of its breakdown, that the user may read.
#[utoipa::path(get, path = "/api/statistics/cases", tag = "statistics", security(("bearer" = [])),
    params(FigureQuery),
    responses((status = 200, body = CasePage), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn figure_cases(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<FigureQuery>,
) -> Result<web::Json<CasePage>, ApiError> {
    principal.require(Permission::ViewStatisticsCases)?;
    let reach = principal.record_scope(Records::Cases, Access::Read)?;
    let request = query.0.parse(this_year()).map_err(ApiError::Validation)?;
    let reads = state.reads.clone();
    let page = state
        .db(move |conn| {
            let centres = service::centres_for(conn, &principal, &request.scope)?;
            let page = service::figure_cases(conn, &reach, &centres, &request)?;
            reads.record(
                &principal.actor(),
                "statistics.cases",
                ("case", None),
                Some(json!({"figure": request.figure.as_str(), "total": page.total})),
            )?;
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// The programmes, groups or community events behind what was run, that the user may read:
/// each with its sessions held and person-times in the period.
#[utoipa::path(get, path = "/api/statistics/activities", tag = "statistics", security(("bearer" = [])),
    params(ActivityFigureQuery),
    responses((status = 200, body = ActivityRunPage), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn figure_activities(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<ActivityFigureQuery>,
) -> Result<web::Json<ActivityRunPage>, ApiError> {
    principal.require(Permission::ViewStatisticsActivities)?;
    let reach = principal.record_scope(Records::Activities, Access::Read)?;
    let request = query.0.parse(this_year()).map_err(ApiError::Validation)?;
    let reads = state.reads.clone();
    let page = state
        .db(move |conn| {
            let centres = service::centres_for(conn, &principal, &request.scope)?;
            let page =
                service::figure_activities(conn, &reach, &centres, &request, crate::db::now())?;
            reads.record(
                &principal.actor(),
                "statistics.activities",
                ("activity", None),
                Some(json!({"kind": request.kind.as_str(), "total": page.total})),
            )?;
            Ok(page)
        })
        .await?;
    Ok(web::Json(page))
}

/// A centre's agreed levels for a financial year, every indicator listed.
#[utoipa::path(get, path = "/api/service-standards", tag = "statistics", security(("bearer" = [])),
    params(LevelsQuery),
    responses((status = 200, body = Vec<AgreedLevel>), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn levels(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<LevelsQuery>,
) -> Result<web::Json<Vec<AgreedLevel>>, ApiError> {
    principal.require(Permission::ViewStatistics)?;
    let (centre_id, year) = query.0.parse().map_err(ApiError::Validation)?;
    let levels = state
        .db(move |conn| {
            let centres = service::centres_for(conn, &principal, &ScopeChoice::Centre(centre_id))?;
            let kept = store::levels(conn, &centres, year)?;
            Ok(Indicator::ALL
                .iter()
                .map(|indicator| {
                    let found = kept.iter().find(|l| l.indicator == indicator.as_str());
                    AgreedLevel {
                        centre_id: centres[0].clone(),
                        financial_year: year,
                        indicator: *indicator,
                        agreed_level: found.map(|l| l.level),
                        version: found.map_or(0, |l| l.version),
                    }
                })
                .collect())
        })
        .await?;
    Ok(web::Json(levels))
}

/// Sets a centre's agreed level of an indicator for a year, at the version read.
#[utoipa::path(put, path = "/api/service-standards", tag = "statistics", security(("bearer" = [])),
    request_body = AgreedLevelForm,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_level(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<AgreedLevelForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::SetServiceStandards)?;
    let change = form.0.parse(this_year()).map_err(ApiError::Validation)?;
    state
        .db(move |conn| {
            let centres = service::centres_for(
                conn,
                &principal,
                &ScopeChoice::Centre(change.centre_id.clone()),
            )?;
            transaction(conn, |conn| {
                let level = store::NewLevel {
                    centre_id: &centres[0],
                    financial_year: change.financial_year,
                    indicator: change.indicator.as_str(),
                    level: change.agreed_level,
                    user_id: &principal.user_id,
                    at: now(),
                };
                if !store::set_level(conn, &level, change.version)? {
                    return Err(ApiError::version_conflict("agreed level"));
                }
                crate::audit::record(
                    conn,
                    &principal.actor(),
                    "service_standard.set",
                    ("centre", Some(&centres[0])),
                    Some(json!({
                        "financial_year": change.financial_year,
                        "indicator": change.indicator.as_str(),
                        "agreed_level": change.agreed_level,
                    })),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Asks for the statistics as an Excel workbook, built in the background: the answer is
/// the job, to be followed until it is ready.
#[utoipa::path(post, path = "/api/statistics/workbooks", tag = "statistics", security(("bearer" = [])),
    request_body = StatisticsQuery,
    responses((status = 202, body = WorkbookJob), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_workbook(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidJson<StatisticsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ViewStatistics)?;
    let query = query.0;
    let (period, choice) = query.parse(this_year()).map_err(ApiError::Validation)?;
    let (job, centres) = state
        .db(move |conn| {
            let centres = service::centres_for(conn, &principal, &choice)?;
            transaction(conn, |conn| {
                let job = jobs::insert(
                    conn,
                    &jobs::Request {
                        user_id: &principal.user_id,
                        centre_id: query.centre_id.as_deref(),
                        agency_id: query.agency_id.as_deref(),
                        period,
                        at: now(),
                    },
                )?;
                crate::audit::record(
                    conn,
                    &principal.actor(),
                    "statistics.workbook",
                    ("statistics_workbook", Some(&job.id)),
                    Some(json!({"from": period.from, "until": period.until, "centres": centres.len()})),
                )?;
                Ok::<_, ApiError>((job, centres))
            })
        })
        .await?;
    jobs::start(
        state.pool.clone(),
        state.parts.clone(),
        job.id.clone(),
        centres,
        period,
    );
    Ok(HttpResponse::Accepted().json(job))
}

/// The user's workbooks, latest first.
#[utoipa::path(get, path = "/api/statistics/workbooks", tag = "statistics", security(("bearer" = [])),
    responses((status = 200, body = Vec<WorkbookJob>), (status = 403, body = ErrorBody)))]
pub async fn workbooks(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Vec<WorkbookJob>>, ApiError> {
    principal.require(Permission::ViewStatistics)?;
    let list = state
        .db(move |conn| Ok(jobs::of_user(conn, &principal.user_id)?))
        .await?;
    Ok(web::Json(list))
}

/// Where a workbook being built stands.
#[utoipa::path(get, path = "/api/statistics/workbooks/{id}", tag = "statistics", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = WorkbookJob), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn workbook(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<WorkbookJob>, ApiError> {
    principal.require(Permission::ViewStatistics)?;
    let job = state
        .db(move |conn| jobs::find(conn, &principal.user_id, &id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(web::Json(job))
}

/// A ready workbook.
#[utoipa::path(get, path = "/api/statistics/workbooks/{id}/file", tag = "statistics", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn workbook_file(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ViewStatistics)?;
    let reads = state.reads.clone();
    let (name, bytes) = state
        .db(move |conn| {
            let file = jobs::file(conn, &principal.user_id, &id)?;
            reads.record(
                &principal.actor(),
                "statistics.workbook_download",
                ("statistics_workbook", Some(&id)),
                None,
            )?;
            Ok(file)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .body(bytes))
}
