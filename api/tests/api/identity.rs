use actix_web::http::{Method, StatusCode};
use api::identity::store;
use serde_json::json;

use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(
    login_gives_a_token_that_opens_me,
    wrong_password_is_401_and_repeated_failures_are_throttled,
    logout_ends_the_session_at_once,
    deactivation_takes_effect_at_once,
    every_route_but_login_and_health_needs_a_token,
    login_input_is_validated,
    locale_is_remembered_per_user,
    refresh_gives_a_working_token,
);

async fn login_gives_a_token_that_opens_me(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("Worker ").await;
    let me = app.get("/api/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["username"], "worker");
    assert_eq!(me["role"], "social_worker");
    assert_eq!(me["centre"]["code"], "HFS-SSP");
    assert_eq!(me["centre"]["district"], "F");
    assert_eq!(me["agency"]["code"], "HFS");
    assert_eq!(
        me["permissions"],
        json!([
            "view_clients",
            "edit_clients",
            "export_clients",
            "view_analytics"
        ])
    );
    assert_eq!(app.count("audit_log WHERE action = 'auth.login'"), 1);
}

async fn wrong_password_is_401_and_repeated_failures_are_throttled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for _ in 0..5 {
        let reply = app.try_login("supervisor", "wrong password").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.error_code(), "invalid_credentials");
    }
    // Even the right password waits once the limit is reached.
    let reply = app.try_login("supervisor", api::seed::DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.error_code(), "too_many_attempts");
    assert!(reply.headers.get("retry-after").is_some());
    // Other accounts are not affected, and unknown users answer like wrong passwords.
    app.login("worker").await;
    assert_eq!(
        app.try_login("nobody", "whatever").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.count("audit_log WHERE action = 'auth.login_failed'"), 6);
}

async fn logout_ends_the_session_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let other_session = app.login("worker").await;
    let reply = app
        .raw(Method::POST, "/api/auth/logout", Some(&token), None)
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    let after = app.get("/api/clients", &token).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.error_code(), "unauthenticated");
    assert_eq!(
        app.get("/api/clients", &other_session).await.status,
        StatusCode::OK
    );
}

async fn deactivation_takes_effect_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    assert_eq!(app.get("/api/me", &token).await.status, StatusCode::OK);
    assert_eq!(
        store::set_active(&mut app.conn(), "worker", false).unwrap(),
        1
    );
    assert_eq!(
        app.get("/api/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app.try_login("worker", api::seed::DEMO_PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

async fn every_route_but_login_and_health_needs_a_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases = [
        (Method::GET, "/api/me"),
        (Method::PUT, "/api/me/locale"),
        (Method::POST, "/api/auth/logout"),
        (Method::POST, "/api/auth/refresh"),
        (Method::GET, "/api/clients"),
        (Method::POST, "/api/clients"),
        (Method::GET, "/api/clients/some-id"),
        (Method::PUT, "/api/clients/some-id"),
        (Method::GET, "/api/clients/export.xlsx"),
        (Method::GET, "/api/analytics/clients-by-district"),
        (Method::GET, "/api/openapi.json"),
    ];
    for (method, path) in cases {
        for token in [None, Some("not-a-token")] {
            let reply = app
                .raw(method.clone(), path, token, Some(b"{}".to_vec()))
                .await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
            assert_eq!(reply.error_code(), "unauthenticated");
        }
    }
    assert_eq!(
        app.raw(Method::GET, "/api/health", None, None).await.status,
        StatusCode::OK
    );
}

async fn login_input_is_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let missing = app
        .raw(
            Method::POST,
            "/api/auth/login",
            None,
            Some(br#"{"username":"worker"}"#.to_vec()),
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.json()["fields"]["password"].is_object());
    let empty = app.try_login("  ", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = empty.json();
    assert_eq!(body["fields"]["username"]["code"], "required");
    assert_eq!(body["fields"]["password"]["code"], "required");
    let long = app.try_login(&"x".repeat(65), "password").await;
    assert_eq!(long.json()["fields"]["username"]["code"], "too_long");
    let garbage = app
        .raw(
            Method::POST,
            "/api/auth/login",
            None,
            Some(b"username=worker".to_vec()),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    assert_eq!(garbage.error_code(), "invalid_json");
}

async fn locale_is_remembered_per_user(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    assert_eq!(app.get("/api/me", &token).await.json()["locale"], "zh-HK");
    let reply = app
        .send(
            Method::PUT,
            "/api/me/locale",
            &token,
            &json!({ "locale": "en" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["locale"], "en");
    let later = app.login("worker").await;
    assert_eq!(app.get("/api/me", &later).await.json()["locale"], "en");
    let other = app.login("worker2").await;
    assert_eq!(app.get("/api/me", &other).await.json()["locale"], "zh-HK");
    let bad = app
        .send(
            Method::PUT,
            "/api/me/locale",
            &token,
            &json!({ "locale": "fr" }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["fields"]["locale"].is_object());
}

async fn refresh_gives_a_working_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let reply = app
        .raw(Method::POST, "/api/auth/refresh", Some(&token), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let fresh = reply.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/me", &fresh).await.status, StatusCode::OK);
    // Signing out ends the refreshed token too: it belongs to the same session.
    app.raw(Method::POST, "/api/auth/logout", Some(&token), None)
        .await;
    assert_eq!(
        app.get("/api/me", &fresh).await.status,
        StatusCode::UNAUTHORIZED
    );
}
