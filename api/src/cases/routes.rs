use actix_web::{web, HttpResponse};
use common::cases::{
    CaseDetail, CaseForm, CaseListQuery, CasePage, CaseUpdate, CaseworkDirectory, CaseworkHome,
    ClosureForm, DecisionForm, ShareForm, StateChangeForm, TransferAnswerForm,
    TransferAnswerOutcome, TransferForm, TransferOffer,
};
use common::error::ErrorBody;
use common::identity::Permission;
use utoipa::OpenApi;

use super::service;
use crate::audit::ReadAudit;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::extract::{ValidJson, ValidQuery};
use crate::identity::Principal;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(paths(
    list,
    open,
    read,
    update,
    change_state,
    request_closure,
    decide_closure,
    request_transfer,
    answer_transfer,
    transfers_awaiting,
    home,
    directory,
    share,
    unshare
))]
pub struct CasesApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/cases").get(list).post(open))
        .service(web::resource("/cases/{id}").get(read).put(update))
        .service(web::resource("/cases/{id}/state").post(change_state))
        .service(web::resource("/cases/{id}/closure").post(request_closure))
        .service(web::resource("/cases/{id}/closure/decision").post(decide_closure))
        .service(web::resource("/cases/{id}/transfer").post(request_transfer))
        .service(web::resource("/cases/{id}/shares").post(share))
        .service(web::resource("/cases/{id}/shares/{user_id}").delete(unshare))
        .service(web::resource("/cases/{id}/transfer/answer").post(answer_transfer))
        .service(web::resource("/case-transfers/awaiting").get(transfers_awaiting))
        .service(web::resource("/casework/home").get(home))
        .service(web::resource("/casework/directory").get(directory));
}

/// Runs one casework rule for a caller who holds `permission`; the rule narrows to the
/// cases they reach.
async fn casework<T, F>(
    state: &AppState,
    principal: Principal,
    permission: Permission,
    rule: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &Principal, &ReadAudit) -> Result<T, ApiError> + Send + 'static,
{
    principal.require(permission)?;
    let reads = state.reads.clone();
    state.db(move |conn| rule(conn, &principal, &reads)).await
}

/// The cases the caller reaches, with filters, most recently changed first.
#[utoipa::path(get, path = "/api/cases", tag = "cases", security(("bearer" = [])), params(CaseListQuery),
    responses((status = 200, body = CasePage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<CaseListQuery>,
) -> Result<web::Json<CasePage>, ApiError> {
    let query = query.0;
    casework(
        &state,
        principal,
        Permission::ViewCases,
        move |conn, p, reads| service::list(conn, p, reads, &query),
    )
    .await
    .map(web::Json)
}

/// Open a case for a registered client: as an enquiry, on the waiting list, or open.
#[utoipa::path(post, path = "/api/cases", tag = "cases", security(("bearer" = [])), request_body = CaseForm,
    responses((status = 201, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn open(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<CaseForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.0;
    let case = casework(
        &state,
        principal,
        Permission::EditCases,
        move |conn, p, _| service::open(conn, p, &form),
    )
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/cases/{}", case.case.id),
        ))
        .json(case))
}

/// One case the caller reaches, with its people, history and pending requests.
#[utoipa::path(get, path = "/api/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let id = id.into_inner();
    casework(
        &state,
        principal,
        Permission::ViewCases,
        move |conn, p, reads| service::view(conn, p, reads, &id),
    )
    .await
    .map(web::Json)
}

/// Edit what a case is about: type, referral source, natures, people, sensitivity.
#[utoipa::path(put, path = "/api/cases/{id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = CaseUpdate,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<CaseUpdate>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    casework(
        &state,
        principal,
        Permission::EditCases,
        move |conn, p, _| service::update(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Move a case to the waiting list, open it, or reactivate it after closing.
#[utoipa::path(post, path = "/api/cases/{id}/state", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = StateChangeForm,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_state(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<StateChangeForm>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    casework(
        &state,
        principal,
        Permission::EditCases,
        move |conn, p, _| service::change_state(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Ask a supervisor to close the case, with a reason and a closing summary.
#[utoipa::path(post, path = "/api/cases/{id}/closure", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ClosureForm,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_closure(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ClosureForm>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    casework(
        &state,
        principal,
        Permission::EditCases,
        move |conn, p, _| service::request_closure(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Approve a case's pending closure (the case closes) or return it to the worker.
#[utoipa::path(post, path = "/api/cases/{id}/closure/decision", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = DecisionForm,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_closure(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<DecisionForm>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    casework(
        &state,
        principal,
        Permission::SuperviseCases,
        move |conn, p, _| service::decide_closure(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Offer the case to another worker, or another centre of the agency.
#[utoipa::path(post, path = "/api/cases/{id}/transfer", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = TransferForm,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_transfer(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<TransferForm>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    casework(
        &state,
        principal,
        Permission::EditCases,
        move |conn, p, _| service::request_transfer(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Accept or decline a case offered to the caller (or, for a supervisor, to their centre).
#[utoipa::path(post, path = "/api/cases/{id}/transfer/answer", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = TransferAnswerForm,
    responses((status = 200, body = TransferAnswerOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer_transfer(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<TransferAnswerForm>,
) -> Result<web::Json<TransferAnswerOutcome>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    casework(
        &state,
        principal,
        Permission::EditCases,
        move |conn, p, _| service::answer_transfer(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// Cases offered to the caller, waiting for their answer.
#[utoipa::path(get, path = "/api/case-transfers/awaiting", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = Vec<TransferOffer>), (status = 403, body = ErrorBody)))]
pub async fn transfers_awaiting(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<Vec<TransferOffer>>, ApiError> {
    casework(
        &state,
        principal,
        Permission::EditCases,
        service::transfers_awaiting,
    )
    .await
    .map(web::Json)
}

/// The caller's work waiting: open cases, transfers offered, cases without a recent
/// contact, and for a supervisor the closures to approve and each worker's caseload.
#[utoipa::path(get, path = "/api/casework/home", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = CaseworkHome), (status = 403, body = ErrorBody)))]
pub async fn home(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<CaseworkHome>, ApiError> {
    let (due, weights) = (state.note_due_days, state.caseload_weights);
    casework(
        &state,
        principal,
        Permission::EditCases,
        move |conn, p, reads| super::home::home(conn, p, reads, due, weights),
    )
    .await
    .map(web::Json)
}

/// Whom the caller may hand a case to: their agency's centres and their centre's
/// caseworkers. Names of colleagues only, not read as a record.
#[utoipa::path(get, path = "/api/casework/directory", tag = "cases", security(("bearer" = [])),
    responses((status = 200, body = CaseworkDirectory), (status = 403, body = ErrorBody)))]
pub async fn directory(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<CaseworkDirectory>, ApiError> {
    casework(&state, principal, Permission::EditCases, |conn, p, _| {
        service::directory(conn, p)
    })
    .await
    .map(web::Json)
}

/// A supervisor shows a case to another caseworker of its unit, to read only.
#[utoipa::path(post, path = "/api/cases/{id}/shares", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ShareForm,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn share(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ShareForm>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    casework(
        &state,
        principal,
        Permission::SuperviseCases,
        move |conn, p, _| service::share(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// A supervisor stops showing a case to a worker.
#[utoipa::path(delete, path = "/api/cases/{id}/shares/{user_id}", tag = "cases", security(("bearer" = [])),
    params(("id" = String, Path), ("user_id" = String, Path)),
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unshare(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, String)>,
) -> Result<web::Json<CaseDetail>, ApiError> {
    let (id, user_id) = path.into_inner();
    casework(
        &state,
        principal,
        Permission::SuperviseCases,
        move |conn, p, _| service::unshare(conn, p, &id, &user_id),
    )
    .await
    .map(web::Json)
}
