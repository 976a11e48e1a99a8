//! The HTTP application: middleware, the API's routes and the single-page app's files.

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{Compress, DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpMessage, HttpResponse, HttpServer};
use serde::Serialize;
use tracing::Span;
use tracing_actix_web::{RequestId, RootSpanBuilder, TracingLogger};

use crate::error::ApiError;
use crate::state::AppState;
use crate::web_app::WebApp;

/// Everything the app loads and talks to is its own origin: no injected script or style can
/// send records elsewhere. Trunk's loader is an inline module script, allowed by its hash alone
/// (`inline_script_hashes`, from the built index.html); plotly styles its SVG inline, hence
/// style-src 'unsafe-inline'; WebAssembly needs 'wasm-unsafe-eval'.
pub fn content_security_policy(inline_script_hashes: &[String]) -> String {
    let hashes: String = inline_script_hashes
        .iter()
        .map(|source| format!(" {source}"))
        .collect();
    format!(
        "default-src 'self'; script-src 'self'{hashes} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub fn server(state: AppState, listener: TcpListener, dist: PathBuf) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    let web_app = WebApp::load(&dist)?;
    let csp = HeaderValue::try_from(content_security_policy(&web_app.inline_script_hashes))
        .map_err(std::io::Error::other)?;
    let web_app = web::Data::new(web_app);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web_app.clone())
            .wrap(
                DefaultHeaders::new()
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::REFERRER_POLICY, "no-referrer"))
                    .add((header::CONTENT_SECURITY_POLICY, csp.clone())),
            )
            .wrap(actix_web::middleware::from_fn(echo_request_id))
            .wrap(TracingLogger::<RedactedRootSpan>::new())
            .service(
                web::scope("/api")
                    .wrap(actix_web::middleware::from_fn(
                        crate::extract::refuse_unstorable,
                    ))
                    .wrap(ErrorHandlers::new().default_handler(json_error_body))
                    // The web app's files are precompressed at build time; only the API's
                    // answers are compressed here.
                    .wrap(Compress::default())
                    .wrap(actix_web::middleware::from_fn(drop_identity_encoding))
                    .service(web::resource("/health").get(health))
                    .service(web::resource("/openapi.json").get(openapi))
                    .configure(crate::identity::routes::configure)
                    .configure(crate::clients::routes::configure)
                    .configure(crate::cases::routes::configure)
                    .configure(crate::case_notes::routes::configure)
                    .configure(crate::households::routes::configure)
                    .configure(crate::case_plans::routes::configure)
                    .configure(crate::referrals::routes::configure)
                    .configure(crate::enquiries::routes::configure)
                    .configure(crate::taxonomy::routes::configure)
                    .configure(crate::activities::routes::configure)
                    .configure(crate::assessments::routes::configure)
                    .configure(crate::statistics::routes::configure)
                    .configure(crate::child_protection::routes::configure)
                    .configure(crate::risk::routes::configure)
                    .configure(crate::analytics::configure)
                    .configure(crate::hub::routes::configure)
                    .configure(crate::circle::routes::configure)
                    .configure(crate::training::routes::configure)
                    .configure(crate::cpd::routes::configure)
                    .default_service(web::to(|| async {
                        Err::<HttpResponse, _>(ApiError::NotFound)
                    })),
            )
            .service(crate::web_app::service())
    })
    .listen(listener)?
    .run();
    Ok(server)
}

/// An answer that is compressed already (the Excel export, a zip) says `Content-Encoding:
/// identity` so that `Compress` leaves it alone; the marker is not meant for clients.
async fn drop_identity_encoding(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    if response
        .headers()
        .get(header::CONTENT_ENCODING)
        .is_some_and(|encoding| encoding == "identity")
    {
        response.headers_mut().remove(header::CONTENT_ENCODING);
    }
    Ok(response)
}

async fn echo_request_id(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut response = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(response)
}

/// The request's span without its query string or error details: a search term may be
/// an identity number, and a parse error may quote what was typed. Neither belongs in a log.
pub struct RedactedRootSpan;

impl RootSpanBuilder for RedactedRootSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        tracing::info_span!(
            "request",
            method = %request.method(),
            path = %request.path(),
            request_id = %request_id,
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        span.record("status", status.as_u16());
        // One line per request: the access log, with the span's fields.
        if status.is_server_error() {
            tracing::error!(parent: &span, "request failed");
        } else if status.is_client_error() {
            tracing::info!(parent: &span, "request refused");
        } else {
            tracing::info!(parent: &span, "request served");
        }
    }
}

/// Errors raised by actix itself (an unknown method, say) get the same JSON body as ours.
fn json_error_body<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let body = common::error::ErrorBody {
        code: status
            .canonical_reason()
            .unwrap_or("error")
            .to_lowercase()
            .replace(' ', "_"),
        message: status.canonical_reason().unwrap_or("Error").to_owned(),
        fields: Default::default(),
    };
    let (req, _) = res.into_parts();
    let response = HttpResponse::build(status).json(body);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
    database: &'static str,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/api/health", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = common::error::ErrorBody)))]
pub async fn health(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    use diesel::connection::SimpleConnection;
    state.db(|conn| Ok(conn.batch_execute("SELECT 1")?)).await?;
    Ok(web::Json(Health {
        status: "ok",
        database: "ok",
    }))
}

/// The API's description is for signed-in users, like every route but sign-in and health.
async fn openapi(_signed_in: crate::identity::Principal) -> HttpResponse {
    HttpResponse::Ok().json(crate::openapi::document())
}
