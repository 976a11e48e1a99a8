use actix_web::http::header::ContentType;
use actix_web::{web, HttpResponse};
use common::activities::{
    Activity, ActivityForm, ActivityListQuery, ActivityPage, ActivitySession, Calendar,
    CalendarQuery, Clash, Enrolment, EnrolmentForm, Participation, ReachForm, RollCall,
    RollCallForm, SessionForm, SessionsAdded, WithdrawalForm,
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
    create,
    read,
    update,
    sessions,
    add_sessions,
    clashes,
    calendar,
    roster,
    enrol,
    withdraw,
    roll_call,
    save_roll_call,
    record_reach,
    participations
))]
pub struct ActivitiesApi;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/activities").get(list).post(create))
        .service(web::resource("/activities/{id}").get(read).put(update))
        .service(
            web::resource("/activities/{id}/sessions")
                .get(sessions)
                .post(add_sessions),
        )
        .service(web::resource("/activities/{id}/sessions/clashes").post(clashes))
        .service(
            web::resource("/activities/{id}/enrolments")
                .get(roster)
                .post(enrol),
        )
        .service(web::resource("/activities/{id}/reach").put(record_reach))
        .service(web::resource("/enrolments/{id}/withdrawal").post(withdraw))
        .service(web::resource("/activity-sessions").get(calendar))
        .service(
            web::resource("/activity-sessions/{id}/roll-call")
                .get(roll_call)
                .put(save_roll_call),
        )
        .service(web::resource("/clients/{id}/activities").get(participations));
}

/// Runs one rule for a caller who holds `permission`; the rule narrows to what they reach.
async fn run<T, F>(
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

fn created<T: serde::Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((actix_web::http::header::LOCATION, location))
        .json(body)
}

/// The centre's programmes, groups and events, the latest starting first.
#[utoipa::path(get, path = "/api/activities", tag = "activities", security(("bearer" = [])), params(ActivityListQuery),
    responses((status = 200, body = ActivityPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<ActivityListQuery>,
) -> Result<web::Json<ActivityPage>, ApiError> {
    let query = query.0;
    run(
        &state,
        principal,
        Permission::ViewActivities,
        move |conn, p, reads| service::list(conn, p, reads, &query),
    )
    .await
    .map(web::Json)
}

/// Plan a programme, group or community event in the user's centre.
#[utoipa::path(post, path = "/api/activities", tag = "activities", security(("bearer" = [])), request_body = ActivityForm,
    responses((status = 201, body = Activity), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    state: web::Data<AppState>,
    principal: Principal,
    form: ValidJson<ActivityForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.0;
    let activity = run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, _| service::create(conn, p, &form),
    )
    .await?;
    Ok(created(
        format!("/api/activities/{}", activity.id),
        &activity,
    ))
}

/// One activity with its counts and evaluation so far.
#[utoipa::path(get, path = "/api/activities/{id}", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = Activity), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Activity>, ApiError> {
    let id = id.into_inner();
    run(
        &state,
        principal,
        Permission::ViewActivities,
        move |conn, p, reads| service::view(conn, p, reads, &id),
    )
    .await
    .map(web::Json)
}

/// Edit an activity at the version it was read at; more places go to the first waiting.
#[utoipa::path(put, path = "/api/activities/{id}", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ActivityForm,
    responses((status = 200, body = Activity), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ActivityForm>,
) -> Result<web::Json<Activity>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, _| service::update(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// An activity's sessions in time order.
#[utoipa::path(get, path = "/api/activities/{id}/sessions", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = [ActivitySession]), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn sessions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<ActivitySession>>, ApiError> {
    let id = id.into_inner();
    run(
        &state,
        principal,
        Permission::ViewActivities,
        move |conn, p, _| service::sessions(conn, p, &id),
    )
    .await
    .map(web::Json)
}

/// Add a session, or one a week for up to 52 weeks. A staff facilitator or the venue
/// booked at the same time is 409 `session_clash` unless `despite_clashes` is set.
#[utoipa::path(post, path = "/api/activities/{id}/sessions", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = SessionForm,
    responses((status = 201, body = SessionsAdded), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_sessions(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<SessionForm>,
) -> Result<HttpResponse, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    let location = format!("/api/activities/{id}/sessions");
    let added = run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, _| service::add_sessions(conn, p, &id, &form),
    )
    .await?;
    Ok(created(location, &added))
}

/// The double bookings the sessions of a form would make, saving nothing: the form
/// flags them before it is saved.
#[utoipa::path(post, path = "/api/activities/{id}/sessions/clashes", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = SessionForm,
    responses((status = 200, body = [Clash]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn clashes(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<SessionForm>,
) -> Result<web::Json<Vec<Clash>>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, _| service::clashes(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// The centre's sessions between two days: all, one staff facilitator's or one venue's.
#[utoipa::path(get, path = "/api/activity-sessions", tag = "activities", security(("bearer" = [])), params(CalendarQuery),
    responses((status = 200, body = Calendar), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn calendar(
    state: web::Data<AppState>,
    principal: Principal,
    query: ValidQuery<CalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.0;
    let kept = state.calendars.clone();
    let body = run(
        &state,
        principal,
        Permission::ViewActivities,
        move |conn, p, _| service::calendar(conn, p, &query, &kept),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// Who is enrolled, waiting (in order) and withdrawn; for those who run the activity
/// and the centre's supervisors.
#[utoipa::path(get, path = "/api/activities/{id}/enrolments", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = [Enrolment]), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn roster(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Enrolment>>, ApiError> {
    let id = id.into_inner();
    run(
        &state,
        principal,
        Permission::ViewActivities,
        move |conn, p, reads| service::roster(conn, p, reads, &id),
    )
    .await
    .map(web::Json)
}

/// Enrol a client the user reaches: a place while there is one, else the waiting list.
#[utoipa::path(post, path = "/api/activities/{id}/enrolments", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = EnrolmentForm,
    responses((status = 201, body = Enrolment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enrol(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<EnrolmentForm>,
) -> Result<HttpResponse, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    let location = format!("/api/activities/{id}/enrolments");
    let enrolment = run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, _| service::enrol(conn, p, &id, &form),
    )
    .await?;
    Ok(created(location, &enrolment))
}

/// Withdraw an enrolment with a reason; the place goes to the first waiting.
#[utoipa::path(post, path = "/api/enrolments/{id}/withdrawal", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = WithdrawalForm,
    responses((status = 200, body = Enrolment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<WithdrawalForm>,
) -> Result<web::Json<Enrolment>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, _| service::withdraw(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// A session's roll: each member's mark with its version, and the anonymous headcounts.
#[utoipa::path(get, path = "/api/activity-sessions/{id}/roll-call", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = RollCall), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn roll_call(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<RollCall>, ApiError> {
    let id = id.into_inner();
    run(
        &state,
        principal,
        Permission::ViewActivities,
        move |conn, p, reads| service::roll_call(conn, p, reads, &id),
    )
    .await
    .map(web::Json)
}

/// Save marks, each at the version read, and the headcounts at theirs; a line marked
/// by someone else meanwhile is 409 and nothing is written.
#[utoipa::path(put, path = "/api/activity-sessions/{id}/roll-call", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = RollCallForm,
    responses((status = 200, body = RollCall), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_roll_call(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<RollCallForm>,
) -> Result<web::Json<RollCall>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, reads| service::save_roll_call(conn, p, reads, &id, &form),
    )
    .await
    .map(web::Json)
}

/// A community event's reach for the whole event, at the activity's version.
#[utoipa::path(put, path = "/api/activities/{id}/reach", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ReachForm,
    responses((status = 200, body = Activity), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_reach(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
    form: ValidJson<ReachForm>,
) -> Result<web::Json<Activity>, ApiError> {
    let (id, form) = (id.into_inner(), form.0);
    run(
        &state,
        principal,
        Permission::EditActivities,
        move |conn, p, _| service::record_reach(conn, p, &id, &form),
    )
    .await
    .map(web::Json)
}

/// A client's groups and programmes with their attendance, for whoever reaches the client.
#[utoipa::path(get, path = "/api/clients/{id}/activities", tag = "activities", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, body = [Participation]), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn participations(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<Participation>>, ApiError> {
    let id = id.into_inner();
    run(
        &state,
        principal,
        Permission::ViewClients,
        move |conn, p, reads| service::participations(conn, p, reads, &id),
    )
    .await
    .map(web::Json)
}
