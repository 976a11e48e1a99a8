use actix_web::http::{Method, StatusCode};
use api::db::schema::{login_throttle, sessions};
use api::identity::{store, token};
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(
    login_gives_a_token_that_opens_me,
    wrong_password_is_401_and_repeated_failures_are_throttled,
    logout_ends_the_session_at_once,
    deactivation_takes_effect_within_a_second,
    every_route_but_login_and_health_needs_a_token,
    login_input_is_validated,
    locale_is_remembered_per_user,
    refresh_gives_a_working_token,
    a_failed_sign_in_never_keeps_the_typed_name,
    parallel_guesses_cannot_all_pass_the_check,
    an_address_is_throttled_across_accounts,
    an_idle_session_ends_and_renewal_is_not_activity,
    the_client_address_comes_from_a_trusted_proxy_only,
    every_operation_asks_for_its_permission_of_every_role,
);

async fn login_gives_a_token_that_opens_me(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("Worker ").await;
    let me = app.get("/api/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    let me = me.json();
    assert_eq!(me["username"], "worker");
    assert_eq!(me["roles"], json!(["social_worker", "learner"]));
    assert_eq!(me["unit"], "family_counselling");
    assert_eq!(me["centre"]["code"], "HFS-SSP");
    assert_eq!(me["centre"]["district"], "F");
    assert_eq!(me["agency"]["code"], "HFS");
    assert_eq!(
        me["permissions"],
        json!([
            "view_clients",
            "edit_clients",
            "view_cases",
            "edit_cases",
            "view_analytics",
            "view_enquiries",
            "edit_enquiries",
            "view_activities",
            "edit_activities",
            "view_assessments",
            "administer_assessments",
            "view_case_notes",
            "view_instruments",
            "view_outcomes",
            "contribute_resources",
            "take_courses",
            "join_circle"
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

/// An account is deactivated by the operator's command, in a process of its own: the
/// server's read of the session stands for a second at most after it.
async fn deactivation_takes_effect_within_a_second(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    assert_eq!(app.get("/api/me", &token).await.status, StatusCode::OK);
    assert_eq!(
        store::set_active(&mut app.conn(), "worker", false).unwrap(),
        1
    );
    tokio::time::sleep(api::identity::service::SESSION_RECHECK).await;
    assert_eq!(
        app.get("/api/me", &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = app.try_login("worker", api::seed::DEMO_PASSWORD).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
}

/// Every operation the API describes, except sign-in and health, refuses a request
/// without a valid token: none, garbage, expired, signed with another key, or unsigned
/// (`alg: none`). The routes come from the OpenAPI document, so a new one is covered.
async fn every_route_but_login_and_health_needs_a_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let claims = token::verify(&app.token_key, &token).expect("a valid token");
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    let expired = token::issue(&app.token_key, &claims.sub, &claims.sid, past).unwrap();
    let later = chrono::Utc::now() + chrono::Duration::minutes(10);
    let other_key = token::issue(&[7u8; 32], &claims.sub, &claims.sid, later).unwrap();
    let unsigned = format!(
        "{}.{}.",
        base64url(br#"{"alg":"none","typ":"JWT"}"#),
        base64url(
            json!({"sub": claims.sub, "sid": claims.sid, "iat": 0, "exp": later.timestamp()})
                .to_string()
                .as_bytes()
        )
    );
    let doc = app.get("/api/openapi.json", &token).await.json();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let path = concrete(path);
            let open = operation.get("security").is_none();
            // What the public may read of i-Hub is decided by each resource's visibility;
            // a certificate is checked by whoever holds its code.
            let public_hub = method == Method::GET
                && (path == "/api/resources"
                    || path == "/api/resources/some-id"
                    || path == "/api/resources/some-id/related"
                    || path == "/api/resource-files/some-id"
                    || path == "/api/certificates/some-code");
            assert_eq!(
                open,
                path == "/api/auth/login"
                    || path == "/api/health"
                    || path.starts_with("/api/self-completion/")
                    || public_hub,
                "{method} {path}: only sign-in, health, a family's questionnaire, the hub's public resources and a certificate's check are open"
            );
            if open {
                continue;
            }
            operations += 1;
            for bad in [
                None,
                Some("not-a-token"),
                Some(&expired),
                Some(&other_key),
                Some(&unsigned),
            ] {
                let reply = app
                    .raw(method.clone(), &path, bad, Some(b"{}".to_vec()))
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {bad:?}"
                );
                assert_eq!(reply.error_code(), "unauthenticated");
            }
        }
    }
    assert!(operations >= 10, "{operations} operations checked");
    let anonymous = app.raw(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.raw(Method::GET, "/api/health", None, None).await.status,
        StatusCode::OK
    );
}

/// A documented path with its parameters filled in; a list's name must be a real one.
fn concrete(path: &str) -> String {
    path.replace("{id}", "some-id")
        .replace("{user_id}", "some-user")
        .replace("{client_id}", "some-client")
        .replace("{code}", "some-code")
        .replace("{vocabulary}", "intervention-models")
        .replace("{token}", "some-token")
        .replace("{outcome}", "complex")
        .replace("{instrument}", "phq9")
        .replace("{scale}", "total")
        .replace("{resource}", "some-resource")
        .replace("{key}", "some-key")
        .replace("{enrolment}", "some-enrolment")
        .replace("{learning}", "some-learning")
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    bytes
        .chunks(3)
        .flat_map(|chunk| {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
            (0..=chunk.len()).map(move |i| ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char)
        })
        .collect()
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

/// Everything text in the audit trail and the throttle, to look for what was typed.
fn stored_text(app: &TestApp) -> String {
    #[derive(QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        text: String,
    }
    app.reads.flush();
    let mut conn = app.conn();
    let mut all: Vec<Text> = diesel::sql_query(
        "SELECT COALESCE(detail, '') || ' ' || COALESCE(entity_id, '') || ' ' || action AS text FROM audit_log",
    )
    .load(&mut *conn)
    .unwrap();
    all.extend(
        login_throttle::table
            .select(login_throttle::key)
            .load::<String>(&mut *conn)
            .unwrap()
            .into_iter()
            .map(|text| Text { text }),
    );
    all.into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join("\n")
}

async fn a_failed_sign_in_never_keeps_the_typed_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // A password typed into the username box, then the right box left empty-ish.
    let reply = app.try_login("Tr0ub4dor&3 horse", "whatever").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let reply = app.try_login("worker", "wrong password").await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let stored = stored_text(&app);
    assert!(!stored.contains("Tr0ub4dor"), "{stored}");
    assert!(!stored.contains("tr0ub4dor"), "{stored}");
    assert_eq!(app.count("audit_log WHERE action = 'auth.login_failed'"), 2);
    // The failure against a real account is recorded under its id.
    let worker = store::find_by_username(&mut app.conn(), "worker")
        .unwrap()
        .unwrap();
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'auth.login_failed' AND actor_id = '{}'",
            worker.id
        )),
        1
    );
}

async fn parallel_guesses_cannot_all_pass_the_check(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let replies = futures_util::future::join_all((0..12).map(|i| {
        app.try_login(
            "supervisor",
            if i % 2 == 0 { "guess one" } else { "guess two" },
        )
    }))
    .await;
    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    let failed = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let throttled = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((failed, throttled), (5, 7), "{statuses:?}");
    let reply = app.try_login("supervisor", api::seed::DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn an_address_is_throttled_across_accounts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let max = api::identity::service::ADDRESS_FAILURES_MAX;
    for i in 0..max {
        let reply = app.try_login(&format!("nobody-{i}"), "guess").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // The address is spent: even a real account's right password waits.
    let reply = app.try_login("worker", api::seed::DEMO_PASSWORD).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
}

fn set_last_active(app: &TestApp, minutes_ago: i64) {
    app.write(|conn| {
        diesel::update(sessions::table)
            .set(
                sessions::last_active_at
                    .eq(api::db::now() - chrono::Duration::minutes(minutes_ago)),
            )
            .execute(conn)
            .map(drop)
    });
}

fn last_active_minutes_ago(app: &TestApp) -> i64 {
    let at: chrono::NaiveDateTime = sessions::table
        .select(sessions::last_active_at)
        .first(&mut *app.conn())
        .unwrap();
    (api::db::now() - at).num_minutes()
}

async fn an_idle_session_ends_and_renewal_is_not_activity(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let me = app.get("/api/me", &token).await.json();
    assert_eq!(me["idle_timeout_seconds"], 30 * 60);

    // A renewal alone keeps nothing alive...
    set_last_active(&app, 20);
    let renewed = app
        .raw(Method::POST, "/api/auth/refresh", Some(&token), None)
        .await;
    assert_eq!(renewed.status, StatusCode::OK);
    assert_eq!(last_active_minutes_ago(&app), 20);
    // ...the user's own requests do.
    let reply = app
        .raw(Method::POST, "/api/auth/activity", Some(&token), None)
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT);
    assert_eq!(last_active_minutes_ago(&app), 0);

    set_last_active(&app, 31);
    for path in ["/api/me", "/api/clients"] {
        let reply = app.get(path, &token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let reply = app
        .raw(Method::POST, "/api/auth/refresh", Some(&token), None)
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNAUTHORIZED,
        "an idle session is not renewed"
    );
}

async fn the_client_address_comes_from_a_trusted_proxy_only(backend: Backend) {
    let login_from = |app: &TestApp| {
        let request = app
            .http
            .post(format!("{}/api/auth/login", app.address))
            .insert_header(("X-Forwarded-For", "198.51.100.7, 203.0.113.9"))
            .insert_header(("Content-Type", "application/json"));
        async move {
            let reply = request
                .send_body(
                    json!({"username": "worker", "password": api::seed::DEMO_PASSWORD}).to_string(),
                )
                .await
                .unwrap();
            assert_eq!(reply.status(), StatusCode::OK);
        }
    };
    let direct = TestApp::spawn(backend).await;
    login_from(&direct).await;
    assert_eq!(
        direct.count("audit_log WHERE action = 'auth.login' AND ip = '127.0.0.1'"),
        1
    );

    let proxied = TestApp::spawn_with(backend, |state| {
        state.trusted_proxies = vec!["127.0.0.1".parse().unwrap()].into();
    })
    .await;
    login_from(&proxied).await;
    assert_eq!(
        proxied.count("audit_log WHERE action = 'auth.login' AND ip = '203.0.113.9'"),
        1,
        "the nearest untrusted hop is the client"
    );
}

/// The permission each operation needs (`None`: any signed-in user). Every operation of
/// the OpenAPI document must have a row, so a new route cannot be left out.
const OPERATIONS: [(&str, &str, Option<&str>); 192] = [
    ("POST", "/api/auth/logout", None),
    ("POST", "/api/auth/refresh", None),
    ("POST", "/api/auth/activity", None),
    ("GET", "/api/me", None),
    ("PUT", "/api/me/locale", None),
    ("GET", "/api/clients", Some("view_clients")),
    ("POST", "/api/clients", Some("edit_clients")),
    ("POST", "/api/clients/search", Some("view_clients")),
    ("GET", "/api/clients/matches", Some("view_clients")),
    ("GET", "/api/clients/{id}", Some("view_clients")),
    ("PUT", "/api/clients/{id}", Some("edit_clients")),
    ("GET", "/api/clients/{id}/merges", Some("view_clients")),
    ("POST", "/api/clients/{id}/merges", Some("merge_clients")),
    ("POST", "/api/clients/export.xlsx", Some("export_clients")),
    ("GET", "/api/analytics/profile", Some("view_analytics")),
    ("GET", "/api/analytics/population", Some("load_population")),
    ("PUT", "/api/analytics/population", Some("load_population")),
    ("GET", "/api/analytics/problems", Some("view_analytics")),
    ("GET", "/api/analytics/complexity", Some("view_analytics")),
    ("GET", "/api/analytics/themes", Some("view_analytics")),
    ("GET", "/api/analytics/forecast", Some("view_analytics")),
    ("POST", "/api/analytics/corpus.csv", Some("export_corpus")),
    (
        "GET",
        "/api/analytics/risk-factors/{outcome}",
        Some("view_analytics"),
    ),
    (
        "GET",
        "/api/analytics/effectiveness/{instrument}/{scale}",
        Some("view_analytics"),
    ),
    ("GET", "/api/cases", Some("view_cases")),
    ("POST", "/api/cases", Some("edit_cases")),
    ("GET", "/api/cases/{id}", Some("view_cases")),
    ("PUT", "/api/cases/{id}", Some("edit_cases")),
    ("POST", "/api/cases/{id}/state", Some("edit_cases")),
    ("POST", "/api/cases/{id}/closure", Some("edit_cases")),
    (
        "POST",
        "/api/cases/{id}/closure/decision",
        Some("supervise_cases"),
    ),
    ("POST", "/api/cases/{id}/transfer", Some("edit_cases")),
    ("POST", "/api/cases/{id}/shares", Some("supervise_cases")),
    ("POST", "/api/households", Some("edit_clients")),
    ("GET", "/api/households/{id}", Some("view_clients")),
    ("PUT", "/api/households/{id}", Some("edit_clients")),
    ("POST", "/api/households/{id}/members", Some("edit_clients")),
    (
        "POST",
        "/api/households/{id}/members/{client_id}/leave",
        Some("edit_clients"),
    ),
    ("GET", "/api/clients/{id}/household", Some("view_clients")),
    (
        "DELETE",
        "/api/cases/{id}/shares/{user_id}",
        Some("supervise_cases"),
    ),
    (
        "POST",
        "/api/cases/{id}/transfer/answer",
        Some("edit_cases"),
    ),
    ("GET", "/api/case-transfers/awaiting", Some("edit_cases")),
    ("GET", "/api/{vocabulary}", None),
    ("POST", "/api/{vocabulary}", Some("edit_taxonomy")),
    ("PUT", "/api/{vocabulary}/{code}", Some("edit_taxonomy")),
    (
        "POST",
        "/api/{vocabulary}/{code}/move",
        Some("edit_taxonomy"),
    ),
    ("GET", "/api/casework/home", Some("edit_cases")),
    ("GET", "/api/casework/directory", Some("edit_cases")),
    ("GET", "/api/cases/{id}/notes", Some("view_cases")),
    ("POST", "/api/cases/{id}/notes", Some("edit_cases")),
    ("PUT", "/api/case-notes/{id}", Some("edit_cases")),
    ("POST", "/api/case-notes/search", Some("view_case_notes")),
    (
        "POST",
        "/api/case-notes/{id}/corrections",
        Some("edit_cases"),
    ),
    ("GET", "/api/cases/{id}/plan", Some("view_cases")),
    ("PUT", "/api/cases/{id}/plan", Some("edit_cases")),
    ("POST", "/api/cases/{id}/goals", Some("edit_cases")),
    ("PUT", "/api/case-goals/{id}", Some("edit_cases")),
    ("POST", "/api/cases/{id}/reviews", Some("edit_cases")),
    ("GET", "/api/cases/{id}/referrals", Some("view_cases")),
    ("POST", "/api/cases/{id}/referrals", Some("edit_cases")),
    ("POST", "/api/referrals/{id}/consent", Some("edit_cases")),
    ("POST", "/api/referrals/{id}/send", Some("edit_cases")),
    ("POST", "/api/referrals/{id}/outcome", Some("edit_cases")),
    ("GET", "/api/enquiries", Some("view_enquiries")),
    ("POST", "/api/enquiries", Some("edit_enquiries")),
    ("GET", "/api/enquiries/{id}", Some("view_enquiries")),
    ("PUT", "/api/enquiries/{id}", Some("edit_enquiries")),
    (
        "POST",
        "/api/enquiries/{id}/promote",
        Some("edit_enquiries"),
    ),
    ("GET", "/api/activities", Some("view_activities")),
    ("POST", "/api/activities", Some("edit_activities")),
    ("GET", "/api/activities/{id}", Some("view_activities")),
    ("PUT", "/api/activities/{id}", Some("edit_activities")),
    (
        "GET",
        "/api/activities/{id}/sessions",
        Some("view_activities"),
    ),
    (
        "POST",
        "/api/activities/{id}/sessions",
        Some("edit_activities"),
    ),
    (
        "POST",
        "/api/activities/{id}/sessions/clashes",
        Some("edit_activities"),
    ),
    ("GET", "/api/activity-sessions", Some("view_activities")),
    (
        "GET",
        "/api/activities/{id}/enrolments",
        Some("view_activities"),
    ),
    (
        "POST",
        "/api/activities/{id}/enrolments",
        Some("edit_activities"),
    ),
    (
        "POST",
        "/api/enrolments/{id}/withdrawal",
        Some("edit_activities"),
    ),
    (
        "GET",
        "/api/activity-sessions/{id}/roll-call",
        Some("view_activities"),
    ),
    (
        "PUT",
        "/api/activity-sessions/{id}/roll-call",
        Some("edit_activities"),
    ),
    ("PUT", "/api/activities/{id}/reach", Some("edit_activities")),
    ("GET", "/api/clients/{id}/activities", Some("view_clients")),
    ("GET", "/api/instruments", Some("view_instruments")),
    ("POST", "/api/instruments", Some("add_instruments")),
    ("GET", "/api/instruments/{code}", Some("view_instruments")),
    ("POST", "/api/assessments/score", Some("view_assessments")),
    ("GET", "/api/assessments", Some("view_assessments")),
    ("POST", "/api/assessments", Some("administer_assessments")),
    ("GET", "/api/assessments/{id}", Some("view_assessments")),
    (
        "GET",
        "/api/clients/{id}/assessments",
        Some("view_assessments"),
    ),
    (
        "GET",
        "/api/cases/{id}/assessments",
        Some("view_assessments"),
    ),
    ("GET", "/api/assessment-links", Some("view_assessments")),
    (
        "POST",
        "/api/assessment-links",
        Some("administer_assessments"),
    ),
    ("GET", "/api/self-completion/{token}", None),
    ("POST", "/api/self-completion/{token}", None),
    ("GET", "/api/assessment-alerts", Some("view_assessments")),
    (
        "POST",
        "/api/assessment-alerts/acknowledgements",
        Some("administer_assessments"),
    ),
    ("GET", "/api/statistics", Some("view_statistics")),
    (
        "GET",
        "/api/statistics/cases",
        Some("view_statistics_cases"),
    ),
    (
        "GET",
        "/api/statistics/activities",
        Some("view_statistics_activities"),
    ),
    ("GET", "/api/statistics/workbooks", Some("view_statistics")),
    ("POST", "/api/statistics/workbooks", Some("view_statistics")),
    (
        "GET",
        "/api/statistics/workbooks/{id}",
        Some("view_statistics"),
    ),
    (
        "GET",
        "/api/statistics/workbooks/{id}/file",
        Some("view_statistics"),
    ),
    ("GET", "/api/service-standards", Some("view_statistics")),
    (
        "PUT",
        "/api/service-standards",
        Some("set_service_standards"),
    ),
    (
        "GET",
        "/api/cases/{id}/child-protection",
        Some("view_cases"),
    ),
    (
        "POST",
        "/api/cases/{id}/child-protection",
        Some("edit_cases"),
    ),
    (
        "POST",
        "/api/child-protection/{id}/decision",
        Some("edit_cases"),
    ),
    ("GET", "/api/child-protection/awaiting", Some("edit_cases")),
    ("GET", "/api/cases/{id}/risk", Some("view_assessments")),
    ("GET", "/api/risk-flags", Some("view_assessments")),
    (
        "POST",
        "/api/risk-flags/{id}/review",
        Some("supervise_cases"),
    ),
    ("GET", "/api/risk/rules", Some("view_assessments")),
    ("GET", "/api/risk/unmatched-cues", Some("view_assessments")),
    ("GET", "/api/outcomes", Some("view_assessments")),
    ("GET", "/api/health", None),
    ("POST", "/api/auth/login", None),
    // i-Hub: who sees a resource is decided by the resource, so most ask for no
    // permission and answer 404 for what the reader does not see.
    ("GET", "/api/resources", None),
    ("POST", "/api/resources", Some("contribute_resources")),
    ("GET", "/api/resources/{id}", None),
    ("PUT", "/api/resources/{id}", None),
    ("POST", "/api/resources/{id}/status", None),
    (
        "POST",
        "/api/resources/{id}/rating",
        Some("review_resources"),
    ),
    ("GET", "/api/resources/{id}/versions", None),
    ("GET", "/api/resources/{id}/related", None),
    ("PUT", "/api/resources/{id}/bookmark", None),
    ("DELETE", "/api/resources/{id}/bookmark", None),
    ("POST", "/api/resources/{id}/files", None),
    ("GET", "/api/resource-files/{id}", None),
    ("DELETE", "/api/resource-files/{id}", None),
    ("GET", "/api/hub/shelf", None),
    ("POST", "/api/hub/collections", None),
    ("PUT", "/api/hub/collections/{id}", None),
    ("DELETE", "/api/hub/collections/{id}", None),
    (
        "PUT",
        "/api/hub/collections/{id}/resources/{resource}",
        None,
    ),
    (
        "DELETE",
        "/api/hub/collections/{id}/resources/{resource}",
        None,
    ),
    // i-TLS: a course is read by whom it is published to; a certificate is verified by
    // anyone.
    ("GET", "/api/courses", None),
    ("POST", "/api/courses", Some("teach_courses")),
    ("GET", "/api/courses/{id}", None),
    ("PUT", "/api/courses/{id}", None),
    ("GET", "/api/courses/{id}/definition", Some("teach_courses")),
    ("POST", "/api/courses/{id}/status", None),
    ("POST", "/api/courses/{id}/enrolment", Some("take_courses")),
    ("POST", "/api/courses/{id}/enrolments", Some("enrol_staff")),
    // Whose progress is followed is decided per course: an unknown one is 404 to all.
    ("GET", "/api/courses/{id}/report", None),
    ("GET", "/api/courses/{id}/report.csv", None),
    ("GET", "/api/courses/{id}/report.xlsx", None),
    (
        "POST",
        "/api/courses/{id}/activities/{key}/done",
        Some("take_courses"),
    ),
    // A file activity's file: an upload names its file and version first; opening it and
    // a discussion's threads are for the course's own people, decided by the course.
    ("POST", "/api/courses/{id}/activities/{key}/file", None),
    ("GET", "/api/courses/{id}/activities/{key}/file", None),
    ("GET", "/api/courses/{id}/activities/{key}/threads", None),
    ("POST", "/api/courses/{id}/activities/{key}/threads", None),
    (
        "POST",
        "/api/courses/{id}/activities/{key}/attempts",
        Some("take_courses"),
    ),
    (
        "POST",
        "/api/courses/{id}/activities/{key}/reflection",
        Some("take_courses"),
    ),
    (
        "GET",
        "/api/courses/{id}/reflections",
        Some("teach_courses"),
    ),
    // A decision without its version is refused before anything else.
    (
        "POST",
        "/api/courses/{id}/reflections/{enrolment}/{key}",
        None,
    ),
    ("GET", "/api/certificates", None),
    ("GET", "/api/certificates/reminders", Some("take_courses")),
    // Whose certificates are followed is decided per course: nobody's is an empty list.
    ("GET", "/api/certificates/expiring", None),
    ("GET", "/api/certificates/{code}", None),
    ("GET", "/api/certificates/{code}/pdf", None),
    (
        "POST",
        "/api/certificates/{code}/revoke",
        Some("teach_courses"),
    ),
    // A CPD record is kept by whoever takes courses; removing asks first for the version.
    ("GET", "/api/cpd", Some("take_courses")),
    ("POST", "/api/cpd/learning", Some("take_courses")),
    ("PUT", "/api/cpd/learning/{id}", Some("take_courses")),
    ("DELETE", "/api/cpd/learning/{id}", None),
    // An upload names its file and version first.
    ("POST", "/api/cpd/learning/{id}/evidence", None),
    (
        "GET",
        "/api/cpd/learning/{id}/evidence",
        Some("take_courses"),
    ),
    ("GET", "/api/cpd/transcript.csv", Some("take_courses")),
    ("GET", "/api/cpd/transcript.pdf", Some("take_courses")),
    // An agency admin reads the CPD of their agency's staff.
    ("GET", "/api/cpd/staff", Some("enrol_staff")),
    ("GET", "/api/cpd/staff.csv", Some("enrol_staff")),
    ("GET", "/api/cpd/staff.xlsx", Some("enrol_staff")),
    ("GET", "/api/cpd/staff/{id}", Some("enrol_staff")),
    (
        "GET",
        "/api/cpd/staff/{id}/learning/{learning}/evidence",
        Some("enrol_staff"),
    ),
    // The co-learning circle: its members, of every agency; moderation is trainers' and
    // resource admins'.
    ("GET", "/api/circle/threads", Some("join_circle")),
    ("POST", "/api/circle/threads", Some("join_circle")),
    ("GET", "/api/circle/threads/{id}", Some("join_circle")),
    ("PUT", "/api/circle/threads/{id}", Some("join_circle")),
    (
        "POST",
        "/api/circle/threads/{id}/replies",
        Some("join_circle"),
    ),
    (
        "POST",
        "/api/circle/threads/{id}/lock",
        Some("moderate_circle"),
    ),
    ("PUT", "/api/circle/posts/{id}", Some("join_circle")),
    (
        "POST",
        "/api/circle/posts/{id}/reactions",
        Some("join_circle"),
    ),
    (
        "POST",
        "/api/circle/posts/{id}/reports",
        Some("join_circle"),
    ),
    (
        "POST",
        "/api/circle/posts/{id}/visibility",
        Some("moderate_circle"),
    ),
    (
        "POST",
        "/api/circle/posts/{id}/dismissal",
        Some("moderate_circle"),
    ),
    (
        "POST",
        "/api/circle/posts/{id}/attachments",
        Some("join_circle"),
    ),
    ("GET", "/api/circle/attachments/{id}", Some("join_circle")),
    (
        "DELETE",
        "/api/circle/attachments/{id}",
        Some("join_circle"),
    ),
    ("GET", "/api/circle/reports", Some("moderate_circle")),
];

async fn every_operation_asks_for_its_permission_of_every_role(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let doc = app.get("/api/openapi.json", &admin).await.json();
    let mut unresolved = Vec::new();
    schema_refs(&doc, &mut unresolved);
    unresolved.retain(|name| doc["components"]["schemas"].get(name).is_none());
    assert!(
        unresolved.is_empty(),
        "schemas referred to but not in the document: {unresolved:?}"
    );
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut listed: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(method, path, _)| (method.to_string(), path.to_string()))
        .collect();
    listed.sort();
    assert_eq!(
        documented, listed,
        "every operation has a row in OPERATIONS"
    );

    for username in [
        "admin",
        "agency-admin",
        "supervisor",
        "worker",
        "worker3",
        "analyst",
        "trainer",
        "learner",
        "resource-admin",
    ] {
        let token = app.login(username).await;
        let me = app.get("/api/me", &token).await.json();
        let granted: Vec<&str> = me["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        for (method, path, permission) in OPERATIONS {
            // Signing out or in is not a permission question, and would end the session.
            if path.starts_with("/api/auth/log") || path == "/api/health" {
                continue;
            }
            let path = concrete(path);
            let method = Method::from_bytes(method.as_bytes()).unwrap();
            let reply = app
                .raw(method.clone(), &path, Some(&token), Some(b"{}".to_vec()))
                .await;
            let allowed = permission.is_none_or(|p| granted.contains(&p));
            assert_ne!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{username}: {method} {path}"
            );
            assert_eq!(
                reply.status == StatusCode::FORBIDDEN,
                !allowed,
                "{username}: {method} {path} answered {}",
                reply.status
            );
        }
    }
}

/// The names of the schemas `value` refers to.
fn schema_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(fields) => {
            for (key, item) in fields {
                match (key.as_str(), item.as_str()) {
                    ("$ref", Some(reference)) => {
                        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                            into.push(name.to_owned());
                        }
                    }
                    _ => schema_refs(item, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| schema_refs(item, into)),
        _ => {}
    }
}
