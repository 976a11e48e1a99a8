use actix_web::{web, HttpRequest, HttpResponse};
use common::assessments::{
    AcknowledgementForm, Assessment, AssessmentForm, AssessmentListQuery, AssessmentPage,
    Instrument, InstrumentSummary, LinkForm, LinkListQuery, LinkPage, LinkState, OpenAlert,
    ScoreRequest, Scoring, SelfCompletion, SelfCompletionAnswers, SelfCompletionLink,
    SelfCompletionReceipt,
};
use common::error::ErrorBody;
use common::identity::Permission;
use common::outcomes::{OutcomeQuery, Outcomes};
use utoipa::OpenApi;

use super::{catalogue, links, outcomes as outcome, service};
use crate::audit::Actor;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::{client_ip, Principal};
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(
        instruments,
        instrument,
        add_instrument,
        score,
        list,
        administer,
        read,
        of_client,
        of_case,
        links_sent,
        create_link,
        questionnaire,
        answer,
        alerts,
        acknowledge,
        outcomes
    ),
    components(schemas(LinkState))
)]
pub struct AssessmentsApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/instruments")
            .get(instruments)
            .post(add_instrument),
    )
    .service(web::resource("/instruments/{code}").get(instrument))
    .service(web::resource("/assessments/score").post(score))
    .service(web::resource("/assessments").get(list).post(administer))
    .service(web::resource("/assessments/{id}").get(read))
    .service(web::resource("/clients/{id}/assessments").get(of_client))
    .service(web::resource("/cases/{id}/assessments").get(of_case))
    .service(
        web::resource("/assessment-links")
            .get(links_sent)
            .post(create_link),
    )
    .service(web::resource("/assessment-alerts").get(alerts))
    .service(web::resource("/outcomes").get(outcomes))
    .service(web::resource("/assessment-alerts/acknowledgements").post(acknowledge))
    .service(
        web::resource("/self-completion/{token}")
            .get(questionnaire)
            .post(answer),
    );
}

/// The instruments that may be administered: the built-in ones and the agency's own.
#[utoipa::path(get, path = "/api/instruments", tag = "assessments", security(("bearer" = [])),
    responses((status = 200, body = Vec<InstrumentSummary>), (status = 403, body = ErrorBody)))]
pub async fn instruments(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Vec<InstrumentSummary>>, ApiError> {
    principal.require(Permission::ViewInstruments)?;
    state
        .db(move |conn| catalogue::list(conn, &principal))
        .await
        .map(web::Json)
}

/// One instrument in full, at its latest version: items, answers offered, scales,
/// bands, alerts and licence.
#[utoipa::path(get, path = "/api/instruments/{code}", tag = "assessments", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = Instrument), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn instrument(
    state: web::Data<AppState>,
    principal: Principal,
    code: web::Path<String>,
) -> Result<web::Json<Instrument>, ApiError> {
    principal.require(Permission::ViewInstruments)?;
    let code = code.into_inner();
    state
        .db(move |conn| {
            catalogue::visible(conn, &principal, &code)?
                .map(|instrument| instrument.into_owned())
                .ok_or(ApiError::NotFound)
        })
        .await
        .map(web::Json)
}

/// Add an instrument of the agency's own, or a new version of one, as the same JSON the
/// built-in instruments are written in (`GET /api/instruments/{code}` shows one).
#[utoipa::path(post, path = "/api/instruments", tag = "assessments", security(("bearer" = [])),
    request_body = Instrument,
    responses((status = 201, body = InstrumentSummary), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_instrument(
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::AddInstruments)?;
    let added = state
        .db(move |conn| catalogue::add(conn, &principal, body.0))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/instruments/{}", added.code),
        ))
        .json(added))
}

/// Score answers without keeping anything: scales, bands, alerts, item by item.
#[utoipa::path(post, path = "/api/assessments/score", tag = "assessments", security(("bearer" = [])),
    request_body = ScoreRequest,
    responses((status = 200, body = Scoring), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn score(
    state: web::Data<AppState>,
    principal: Principal,
    request: ValidJson<ScoreRequest>,
) -> Result<web::Json<Scoring>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    state
        .db(move |conn| service::score_only(conn, &principal, &request.0))
        .await
        .map(web::Json)
}

/// Every assessment the user reads (their own casework's, or their centre's), the latest
/// first, filtered by instrument, stage and the days administered.
#[utoipa::path(get, path = "/api/assessments", tag = "assessments", security(("bearer" = [])),
    params(AssessmentListQuery),
    responses((status = 200, body = AssessmentPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<AssessmentListQuery>,
) -> Result<web::Json<AssessmentPage>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (query, reads) = (query.0, state.reads.clone());
    state
        .db(move |conn| service::list(conn, &principal, &reads, &query))
        .await
        .map(web::Json)
}

/// Administer an instrument to a client within one of their cases or groups.
#[utoipa::path(post, path = "/api/assessments", tag = "assessments", security(("bearer" = [])),
    request_body = AssessmentForm,
    responses((status = 201, body = Assessment), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn administer(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<AssessmentForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::AdministerAssessments)?;
    let form = form.0;
    let assessment = state
        .db(move |conn| service::administer(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/assessments/{}", assessment.id),
        ))
        .json(assessment))
}

/// One assessment, scored item by item.
#[utoipa::path(get, path = "/api/assessments/{id}", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Assessment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Assessment>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::one(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// A client's assessments within the cases and groups the user reaches, latest first.
#[utoipa::path(get, path = "/api/clients/{id}/assessments", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Assessment>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn of_client(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Assessment>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::of_client(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// A case's assessments, of its client and the members involved, latest first.
#[utoipa::path(get, path = "/api/cases/{id}/assessments", tag = "assessments", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = Vec<Assessment>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn of_case(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Assessment>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (id, reads) = (id.into_inner(), state.reads.clone());
    state
        .db(move |conn| service::of_case(conn, &principal, &reads, &id))
        .await
        .map(web::Json)
}

/// The self-completion links sent within the cases and groups whose assessments the user
/// reads, the latest first: by default those the family has not answered yet.
#[utoipa::path(get, path = "/api/assessment-links", tag = "assessments", security(("bearer" = [])),
    params(LinkListQuery),
    responses((status = 200, body = LinkPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn links_sent(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<LinkListQuery>,
) -> Result<web::Json<LinkPage>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    let (query, reads) = (query.0, state.reads.clone());
    state
        .db(move |conn| links::list(conn, &principal, &reads, &query))
        .await
        .map(web::Json)
}

/// Make a one-time link for a client to answer an instrument on their own phone.
#[utoipa::path(post, path = "/api/assessment-links", tag = "assessments", security(("bearer" = [])),
    request_body = LinkForm,
    responses((status = 201, body = SelfCompletionLink), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_link(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<LinkForm>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::AdministerAssessments)?;
    let form = form.0;
    let link = state
        .db(move |conn| links::create(conn, &principal, &form))
        .await?;
    Ok(HttpResponse::Created().json(link))
}

/// The questionnaire a self-completion link opens, without signing in: the instrument
/// and the centre's name, nothing of the client's record. Used or expired: 410.
#[utoipa::path(get, path = "/api/self-completion/{token}", tag = "assessments",
    params(("token" = String, Path)),
    responses((status = 200, body = SelfCompletion), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn questionnaire(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<web::Json<SelfCompletion>, ApiError> {
    let token = token.into_inner();
    state
        .db(move |conn| links::questionnaire(conn, &token))
        .await
        .map(web::Json)
}

/// Send the family's answers, once, with their consent.
#[utoipa::path(post, path = "/api/self-completion/{token}", tag = "assessments",
    params(("token" = String, Path)), request_body = SelfCompletionAnswers,
    responses((status = 200, body = SelfCompletionReceipt), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 410, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    form: ValidJson<SelfCompletionAnswers>,
) -> Result<web::Json<SelfCompletionReceipt>, ApiError> {
    let actor = Actor {
        user_id: None,
        ip: client_ip(&req, &state.trusted_proxies),
    };
    let (token, form) = (token.into_inner(), form.0);
    state
        .db(move |conn| links::submit(conn, &actor, &token, &form))
        .await
        .map(web::Json)
}

/// The open alerts of the user's centre within the cases and groups they reach.
#[utoipa::path(get, path = "/api/assessment-alerts", tag = "assessments", security(("bearer" = [])),
    responses((status = 200, body = Vec<OpenAlert>), (status = 403, body = ErrorBody)))]
pub async fn alerts(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Vec<OpenAlert>>, ApiError> {
    principal.require(Permission::ViewAssessments)?;
    state
        .db(move |conn| service::open_alerts(conn, &principal))
        .await
        .map(web::Json)
}

/// Acknowledge an open alert, saying what was done; answers the alerts still open.
#[utoipa::path(post, path = "/api/assessment-alerts/acknowledgements", tag = "assessments", security(("bearer" = [])),
    request_body = AcknowledgementForm,
    responses((status = 200, body = Vec<OpenAlert>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn acknowledge(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<AcknowledgementForm>,
) -> Result<web::Json<Vec<OpenAlert>>, ApiError> {
    principal.require(Permission::AdministerAssessments)?;
    let form = form.0;
    state
        .db(move |conn| service::acknowledge(conn, &principal, &form))
        .await
        .map(web::Json)
}

/// How clients changed on an instrument between their measures before and after service:
/// per client, group or intervention model (those the user reaches), or per centre
/// (every centre whose statistics the user sees), the paired change, Cohen's d and how
/// many improved, stayed the same or worsened.
#[utoipa::path(get, path = "/api/outcomes", tag = "assessments", security(("bearer" = [])),
    params(OutcomeQuery),
    responses((status = 200, body = Outcomes), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn outcomes(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<OutcomeQuery>,
) -> Result<web::Json<Outcomes>, ApiError> {
    principal.require(query.0.grouping().permission())?;
    let (query, reads) = (query.0, state.reads.clone());
    state
        .db(move |conn| outcome::outcomes(conn, &principal, &reads, &query))
        .await
        .map(web::Json)
}
