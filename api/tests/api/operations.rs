use actix_web::http::{Method, StatusCode};

use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(health_openapi_and_request_ids);

async fn health_openapi_and_request_ids(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let health = app.raw(Method::GET, "/api/health", None, None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.json()["database"], "ok");
    assert!(health.headers.get("x-request-id").is_some());
    let csp = health
        .headers
        .get("content-security-policy")
        .expect("CSP")
        .to_str()
        .unwrap();
    assert!(csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        health.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );

    let anonymous = app.raw(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let doc = app
        .get("/api/openapi.json", &app.login("analyst").await)
        .await
        .json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/health",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/refresh",
        "/api/me",
        "/api/me/locale",
        "/api/clients",
        "/api/clients/{id}",
        "/api/clients/export.xlsx",
        "/api/analytics/clients-by-district",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"]["ClientForm"].is_object());

    let unknown = app.raw(Method::GET, "/api/no-such-thing", None, None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.error_code(), "not_found");
}
