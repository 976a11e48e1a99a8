use actix_web::http::header;
use actix_web::{web, HttpResponse};
use common::analytics::{DasFilter, DasQuery, Dashboard, Effectiveness, NeedsAhead, RiskFactors};
use common::error::ErrorBody;
use common::identity::Permission;
use common::language::CorpusRequest;
use common::population::{PopulationForm, PopulationSummary};
use common::statistics::ScopeChoice;
use serde_json::json;
use utoipa::OpenApi;

use super::facts::Model;
use super::service::{self, View};
use super::{corpus, effectiveness, forecast, population as populations, risk_factors};
use crate::clients::service::hong_kong_today;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(
    profile,
    problems,
    complexity,
    themes,
    needs_ahead,
    risk_factors,
    service_effectiveness,
    population,
    load_population,
    corpus
))]
pub struct AnalyticsApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/analytics/profile").get(profile))
        .service(web::resource("/analytics/problems").get(problems))
        .service(web::resource("/analytics/complexity").get(complexity))
        .service(web::resource("/analytics/themes").get(themes))
        .service(web::resource("/analytics/forecast").get(needs_ahead))
        .service(web::resource("/analytics/corpus.csv").post(corpus))
        .service(web::resource("/analytics/risk-factors/{outcome}").get(risk_factors))
        .service(
            web::resource("/analytics/effectiveness/{instrument}/{scale}")
                .get(service_effectiveness),
        )
        .service(
            web::resource("/analytics/population")
                .get(population)
                .put(load_population),
        );
}

/// One view the filters ask for, over the centres the user's analytics scope reaches,
/// built from the model brought up to date; audited with its filters.
async fn view<T, F>(
    state: web::Data<AppState>,
    principal: Principal,
    query: DasQuery,
    name: String,
    build: F,
) -> Result<web::Json<T>, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &Model, &View) -> Result<T, ApiError> + Send + 'static,
{
    principal.require(Permission::ViewAnalytics)?;
    let scope = principal
        .roles
        .analytics_scope()
        .ok_or(ApiError::Forbidden)?;
    let today = hong_kong_today();
    let filter: DasFilter = query.parse(today).map_err(ApiError::Validation)?;
    let (reads, analytics, threshold) = (
        state.reads.clone(),
        state.analytics.clone(),
        state.suppression_threshold,
    );
    let built = state
        .db(move |conn| {
            let choice = match (&filter.centre_id, &filter.agency_id) {
                (Some(centre), _) => ScopeChoice::Centre(centre.clone()),
                (None, Some(agency)) => ScopeChoice::Agency(agency.clone()),
                (None, None) => ScopeChoice::Everything,
            };
            let centres = crate::statistics::service::centres_for(conn, &principal, &choice)?;
            let view = View {
                filter,
                centres,
                scope,
                threshold,
                today,
            };
            let model = analytics.current(conn)?;
            let built = build(conn, model.as_ref().expect("read"), &view)?;
            drop(model);
            reads.record(
                &principal.actor(),
                "analytics.view",
                ("analytics", None),
                Some(json!({ "dashboard": name, "filters": query })),
            )?;
            Ok(built)
        })
        .await?;
    Ok(web::Json(built))
}

/// Service users' profile: the clients served in the view, each once, by age and sex,
/// district, household, housing, CSSA, income, new arrival, ethnicity, language, disability.
#[utoipa::path(get, path = "/api/analytics/profile", tag = "analytics", security(("bearer" = [])),
    params(DasQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn profile(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DasQuery>,
) -> Result<web::Json<Dashboard>, ApiError> {
    view(
        state,
        principal,
        query.0,
        "profile".to_owned(),
        service::profile,
    )
    .await
}

/// Family problems: case natures by district and by the level below the view, new and
/// reactivated cases by month against a year before, waiting and service times.
#[utoipa::path(get, path = "/api/analytics/problems", tag = "analytics", security(("bearer" = [])),
    params(DasQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn problems(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DasQuery>,
) -> Result<web::Json<Dashboard>, ApiError> {
    view(
        state,
        principal,
        query.0,
        "problems".to_owned(),
        service::problems,
    )
    .await
}

/// Complex family problems: natures per case, their co-occurrence and combinations.
#[utoipa::path(get, path = "/api/analytics/complexity", tag = "analytics", security(("bearer" = [])),
    params(DasQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn complexity(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DasQuery>,
) -> Result<web::Json<Dashboard>, ApiError> {
    view(
        state,
        principal,
        query.0,
        "complexity".to_owned(),
        service::complexity,
    )
    .await
}

/// Themes read from case notes: by month, by district and beside the natures the cases
/// carry.
#[utoipa::path(get, path = "/api/analytics/themes", tag = "analytics", security(("bearer" = [])),
    params(DasQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn themes(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DasQuery>,
) -> Result<web::Json<Dashboard>, ApiError> {
    view(
        state,
        principal,
        query.0,
        "themes".to_owned(),
        service::themes,
    )
    .await
}

/// Needs ahead: new cases a month in view to the last whole month of the period, and the
/// next six months forecast with 95% intervals and the method's accuracy on the last six
/// months held out.
#[utoipa::path(get, path = "/api/analytics/forecast", tag = "analytics", security(("bearer" = [])),
    params(DasQuery),
    responses((status = 200, body = NeedsAhead), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn needs_ahead(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<DasQuery>,
) -> Result<web::Json<NeedsAhead>, ApiError> {
    view(
        state,
        principal,
        query.0,
        "forecast".to_owned(),
        |_, model, view| forecast::needs_ahead(model, view),
    )
    .await
}

/// The case notes of a period in the analyst's scope, de-identified, as CSV: for research.
/// Audited with the period, the centre asked for and how many notes left.
#[utoipa::path(post, path = "/api/analytics/corpus.csv", tag = "analytics", security(("bearer" = [])),
    request_body = CorpusRequest,
    responses((status = 200, content_type = "text/csv"), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn corpus(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ExportCorpus)?;
    let request: CorpusRequest = crate::extract::from_value(body.0)?;
    request.parse().map_err(ApiError::Validation)?;
    let reads = state.reads.clone();
    let (bytes, notes) = state
        .db(move |conn| {
            let (bytes, notes) = corpus::corpus(conn, &principal, &request)?;
            reads.record(
                &principal.actor(),
                "corpus.export",
                ("case_notes", None),
                Some(json!({
                    "from": request.from,
                    "until": request.until,
                    "centre_id": request.centre_id,
                    "notes": notes,
                })),
            )?;
            Ok((bytes, notes))
        })
        .await?;
    let filename = format!("corpus-{}.csv", hong_kong_today());
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-corpus-notes", notes.to_string()))
        .body(bytes))
}

/// Risk and protective factors of an outcome (a case nature's code, `complex` or
/// `flagged`) among the cases in view: adjusted prevalence ratios and odds ratios.
#[utoipa::path(get, path = "/api/analytics/risk-factors/{outcome}", tag = "analytics", security(("bearer" = [])),
    params(("outcome" = String, Path), DasQuery),
    responses((status = 200, body = RiskFactors), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn risk_factors(
    state: web::Data<AppState>,
    principal: Principal,
    outcome: web::Path<String>,
    query: ValidQuery<DasQuery>,
) -> Result<web::Json<RiskFactors>, ApiError> {
    let outcome = outcome.into_inner();
    let name = format!("risk_factors:{outcome}");
    view(state, principal, query.0, name, move |conn, model, view| {
        risk_factors::risk_factors(conn, model, view, &outcome)
    })
    .await
}

/// Service effectiveness on one scale of an instrument: pre/post change by centre,
/// intervention model and quarter, and the completion of groups that ended.
#[utoipa::path(get, path = "/api/analytics/effectiveness/{instrument}/{scale}", tag = "analytics",
    security(("bearer" = [])),
    params(("instrument" = String, Path), ("scale" = String, Path), DasQuery),
    responses((status = 200, body = Effectiveness), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn service_effectiveness(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
    query: ValidQuery<DasQuery>,
) -> Result<web::Json<Effectiveness>, ApiError> {
    let (instrument, scale) = path.into_inner();
    let name = format!("effectiveness:{instrument}:{scale}");
    let asking = principal.clone();
    view(state, principal, query.0, name, move |conn, model, view| {
        effectiveness::effectiveness(conn, &asking, model, view, &instrument, &scale)
    })
    .await
}

/// The district population loaded for the profile's rates, if any (`null` when none).
#[utoipa::path(get, path = "/api/analytics/population", tag = "analytics", security(("bearer" = [])),
    responses((status = 200, body = Option<PopulationSummary>), (status = 403, body = ErrorBody)))]
pub async fn population(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Option<PopulationSummary>>, ApiError> {
    principal.require(Permission::LoadPopulation)?;
    state.db(populations::summary).await.map(web::Json)
}

/// Replace the district population with a CSV of `district,age_band,sex,population`
/// lines, if the load it replaces is still the latest.
#[utoipa::path(put, path = "/api/analytics/population", tag = "analytics", security(("bearer" = [])),
    request_body = PopulationForm,
    responses((status = 200, body = PopulationSummary), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn load_population(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<PopulationForm>,
) -> Result<web::Json<PopulationSummary>, ApiError> {
    principal.require(Permission::LoadPopulation)?;
    let form = form.0;
    state
        .db(move |conn| populations::load(conn, &principal, &form))
        .await
        .map(web::Json)
}
