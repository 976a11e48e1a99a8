//! Referrals: out only with consent, each step in its order, in answered by the centre,
//! bad input named by field, narrative kept from readers who do not read it.

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::case_plans::{a_case, day};
use crate::helpers::{Backend, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_referral_out_leaves_only_with_consent,
    a_referral_in_is_answered_by_the_centre,
    a_bad_referral_is_refused_naming_the_field,
);

pub fn referral_out() -> Value {
    json!({
        "direction": "out",
        "agency_name": "東華三院 臨床心理服務",
        "service_type": "clinical_psychology",
        "reason": "女兒持續情緒低落，需要臨床心理評估。",
        "info_shared": "家庭背景、女兒近三個月的情緒狀況",
    })
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    app.send(Method::POST, path, token, &body).await
}

async fn a_referral_out_leaves_only_with_consent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let case_id = a_case(&app, &worker).await;
    let made = post(
        &app,
        &worker,
        &format!("/api/cases/{case_id}/referrals"),
        referral_out(),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    let made = made.json();
    assert_eq!(made["status"], "draft");
    assert_eq!(made["consent"], Value::Null);
    let id = made["id"].as_str().unwrap().to_owned();
    let path = |step: &str| format!("/api/referrals/{id}/{step}");

    let send = json!({ "sent_on": day(-20), "follow_up_due": day(-5), "version": 1 });
    let unconsented = post(&app, &worker, &path("send"), send.clone()).await;
    assert_eq!(unconsented.status, StatusCode::CONFLICT);
    assert_eq!(unconsented.error_code(), "consent_required");
    let early = post(
        &app,
        &worker,
        &path("outcome"),
        json!({ "status": "accepted", "outcome": "x", "version": 1 }),
    )
    .await;
    assert_eq!(early.error_code(), "invalid_transition");

    let missing = post(&app, &worker, &path("consent"), json!({ "version": 1 })).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = missing.json()["fields"].clone();
    assert_eq!(fields["consented_by_name"]["code"], "required");
    assert_eq!(fields["consented_by"]["code"], "required");
    assert_eq!(fields["consent_scope"]["code"], "required");
    let consent = json!({
        "consented_by_name": "何麗華",
        "consented_by": "client",
        "consent_scope": "同意把家庭背景及女兒情緒狀況交予臨床心理學家",
        "consented_on": day(-21),
        "version": 1,
    });
    let consented = post(&app, &worker, &path("consent"), consent.clone()).await;
    assert_eq!(consented.status, StatusCode::OK, "{}", consented.json());
    let consented = consented.json();
    assert_eq!(consented["status"], "consented");
    assert_eq!(consented["consent"]["consented_by"], "client");
    assert_eq!(
        consented["consent"]["recorded_by"]["display_name"],
        "陳美玲 Chan Mei Ling"
    );
    let mut twice = consent.clone();
    twice["version"] = json!(2);
    assert_eq!(
        post(&app, &worker, &path("consent"), twice)
            .await
            .error_code(),
        "invalid_transition"
    );

    let stale = post(&app, &worker, &path("send"), send.clone()).await;
    assert_eq!(stale.error_code(), "version_conflict");
    let before_consent = post(
        &app,
        &worker,
        &path("send"),
        json!({ "sent_on": day(-22), "follow_up_due": day(-5), "version": 2 }),
    )
    .await;
    assert_eq!(
        before_consent.json()["fields"]["sent_on"]["code"],
        "before_last_step"
    );
    let sent = post(
        &app,
        &worker,
        &path("send"),
        json!({ "sent_on": day(-20), "follow_up_due": day(-5), "version": 2 }),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.json());
    let sent = sent.json();
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["follow_up_due"], day(-5));
    assert_eq!(sent["follow_up_overdue"], true);

    // The agency admin sees the referral, not why or what left.
    let agency_admin = app.login("agency-admin").await;
    let listed = app
        .get(&format!("/api/cases/{case_id}/referrals"), &agency_admin)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed = listed.json();
    assert_eq!(listed[0]["agency_name"], "東華三院 臨床心理服務");
    assert_eq!(listed[0]["reason"], Value::Null);
    assert_eq!(listed[0]["info_shared"], Value::Null);
    assert_eq!(listed[0]["consent"]["consent_scope"], Value::Null);
    assert_eq!(listed[0]["consent"]["consented_by_name"], "何麗華");

    let closed_early = post(
        &app,
        &worker,
        &path("outcome"),
        json!({ "status": "closed", "outcome": "x", "version": 3 }),
    )
    .await;
    assert_eq!(closed_early.error_code(), "invalid_transition");
    let accepted = post(
        &app,
        &worker,
        &path("outcome"),
        json!({ "status": "accepted", "outcome": "已安排首次評估", "outcome_on": day(-2), "version": 3 }),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.json());
    assert_eq!(accepted.json()["follow_up_overdue"], false);
    let closed = post(
        &app,
        &worker,
        &path("outcome"),
        json!({ "status": "closed", "outcome": "評估完成，跟進中", "version": 4 }),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.json());
    assert_eq!(closed.json()["status"], "closed");
    assert_eq!(closed.json()["outcome"], "評估完成，跟進中");

    let supervisor = app.login("supervisor").await;
    let listed = app
        .get(&format!("/api/cases/{case_id}/referrals"), &supervisor)
        .await
        .json();
    assert_eq!(listed[0]["info_shared"], "家庭背景、女兒近三個月的情緒狀況");
    let worker2 = app.login("worker2").await;
    assert_eq!(
        app.get(&format!("/api/cases/{case_id}/referrals"), &worker2)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count("audit_log WHERE action IN ('referral.create', 'referral.consent', 'referral.send', 'referral.outcome')"),
        5
    );
    assert_eq!(
        app.count("audit_log WHERE action = 'referral.list' AND entity_id IS NOT NULL"),
        2
    );
}

async fn a_referral_in_is_answered_by_the_centre(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let case_id = a_case(&app, &worker).await;
    let made = post(
        &app,
        &worker,
        &format!("/api/cases/{case_id}/referrals"),
        json!({
            "direction": "in",
            "agency_name": "學校社工 — 聖保羅小學",
            "service_type": "school_social_work",
            "reason": "學生在校情緒困擾，家長同意轉介。",
            "follow_up_due": day(7),
        }),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    let made = made.json();
    assert_eq!(made["status"], "received");
    assert_eq!(made["follow_up_overdue"], false);
    let id = made["id"].as_str().unwrap();
    let sent = post(
        &app,
        &worker,
        &format!("/api/referrals/{id}/send"),
        json!({ "follow_up_due": day(7), "version": 1 }),
    )
    .await;
    assert_eq!(sent.error_code(), "invalid_transition");
    let consent = post(
        &app,
        &worker,
        &format!("/api/referrals/{id}/consent"),
        json!({ "consented_by_name": "x", "consented_by": "parent", "consent_scope": "x", "version": 1 }),
    )
    .await;
    assert_eq!(consent.error_code(), "invalid_transition");
    let accepted = post(
        &app,
        &worker,
        &format!("/api/referrals/{id}/outcome"),
        json!({ "status": "accepted", "outcome": "已開案跟進", "version": 1 }),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.json());
    let closed = post(
        &app,
        &worker,
        &format!("/api/referrals/{id}/outcome"),
        json!({ "status": "closed", "outcome": "x", "version": 2 }),
    )
    .await;
    assert_eq!(closed.error_code(), "invalid_transition");
    assert_eq!(app.count("referrals WHERE version = 2"), 1);
}

async fn a_bad_referral_is_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let case_id = a_case(&app, &worker).await;
    let path = format!("/api/cases/{case_id}/referrals");
    let empty = post(&app, &worker, &path, json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = empty.json()["fields"].clone();
    for field in ["direction", "agency_name", "service_type", "reason"] {
        assert_eq!(fields[field]["code"], "required", "{field}");
    }
    let mut no_info = referral_out();
    no_info["info_shared"] = json!("  ");
    no_info["follow_up_due"] = json!(day(3));
    let fields = post(&app, &worker, &path, no_info).await.json()["fields"].clone();
    assert_eq!(fields["info_shared"]["code"], "required");
    assert_eq!(fields["follow_up_due"]["code"], "not_allowed");
    let mut unknown = referral_out();
    unknown["service_type"] = json!("astrology");
    let reply = post(&app, &worker, &path, unknown).await;
    assert!(reply.status.is_client_error());
    assert!(reply.json()["fields"]["service_type"].is_object());
    let mut long = referral_out();
    long["agency_name"] = json!("機".repeat(201));
    let reply = post(&app, &worker, &path, long).await;
    assert_eq!(reply.json()["fields"]["agency_name"]["code"], "too_long");
    let made = post(&app, &worker, &path, referral_out()).await.json();
    let sent = post(
        &app,
        &worker,
        &format!("/api/referrals/{}/send", made["id"].as_str().unwrap()),
        json!({ "sent_on": day(1), "follow_up_due": day(0), "version": 1 }),
    )
    .await;
    assert_eq!(sent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(sent.json()["fields"]["sent_on"]["code"], "date_in_future");
    assert_eq!(app.count("referrals"), 1);
    assert_eq!(app.count("referrals WHERE version = 1"), 1);
}
