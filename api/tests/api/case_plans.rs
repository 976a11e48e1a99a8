//! A case's plan: goals changed at their version, reviews that move the next review,
//! narrative kept from readers who do not read it, and a closed case left as it was.

use actix_web::http::{Method, StatusCode};
use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    goals_are_added_and_changed_at_their_version,
    a_review_moves_the_next_review,
    a_closed_case_keeps_its_plan_and_referrals,
);

/// Today in Hong Kong, where the dates are.
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

pub fn day(offset: i64) -> String {
    (today() + chrono::Duration::days(offset)).to_string()
}

/// A case of the token's user: its id.
pub async fn a_case(app: &TestApp, token: &str) -> String {
    let client = app.register(token, "何麗華", "HO Lai Wah").await;
    let reply = app
        .send(
            Method::POST,
            "/api/cases",
            token,
            &json!({ "client_id": client, "case_type": "in_depth_counselling", "referral_source": "self" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()["case"]["id"].as_str().unwrap().to_owned()
}

fn goal(description: &str, target: &str) -> Value {
    json!({ "description": description, "target_date": target })
}

async fn goals_are_added_and_changed_at_their_version(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let case_id = a_case(&app, &worker).await;
    let goals = format!("/api/cases/{case_id}/goals");
    let added = app
        .send(
            Method::POST,
            &goals,
            &worker,
            &goal("母親學習兩種情緒管理方法", &day(60)),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let added = added.json();
    assert_eq!(added["status"], "not_started");
    assert_eq!(added["version"], 1);
    assert_eq!(added["overdue"], false);
    let path = format!("/api/case-goals/{}", added["id"].as_str().unwrap());

    let mut change = goal("母親學習兩種情緒管理方法", &day(-1));
    change["status"] = json!("in_progress");
    change["version"] = json!(1);
    let changed = app.send(Method::PUT, &path, &worker, &change).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json());
    assert_eq!(changed.json()["version"], 2);
    assert_eq!(
        changed.json()["overdue"],
        true,
        "open and past its target date"
    );
    let stale = app.send(Method::PUT, &path, &worker, &change).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error_code(), "version_conflict");

    let mut achieved = change.clone();
    achieved["status"] = json!("achieved");
    achieved["version"] = json!(2);
    let achieved = app
        .send(Method::PUT, &path, &worker, &achieved)
        .await
        .json();
    assert_eq!(achieved["overdue"], false, "a settled goal is not late");

    let unversioned = app
        .send(Method::PUT, &path, &worker, &goal("x", &day(1)))
        .await;
    assert_eq!(unversioned.json()["fields"]["version"]["code"], "required");
    let bad = app
        .send(
            Method::POST,
            &goals,
            &worker,
            &json!({ "description": " ", "target_date": "1999-12-31" }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"]["description"]["code"], "required");
    assert_eq!(
        bad.json()["fields"]["target_date"]["code"],
        "date_too_early"
    );
    let bad_status = app
        .send(
            Method::POST,
            &goals,
            &worker,
            &json!({ "description": "x", "target_date": day(1), "status": "forgotten" }),
        )
        .await;
    assert!(bad_status.status.is_client_error());
    assert!(bad_status.json()["fields"]["status"].is_object());
    let versioned = app
        .send(
            Method::POST,
            &goals,
            &worker,
            &json!({ "description": "x", "target_date": day(1), "version": 3 }),
        )
        .await;
    assert_eq!(versioned.json()["fields"]["version"]["code"], "not_allowed");

    let plan = app
        .get(&format!("/api/cases/{case_id}/plan"), &worker)
        .await
        .json();
    assert_eq!(plan["goals"].as_array().unwrap().len(), 1);
    assert_eq!(plan["goals"][0]["status"], "achieved");
    assert_eq!(app.count("case_goals"), 1);
    assert_eq!(
        app.count(
            "audit_log WHERE action IN ('case_goal.create', 'case_goal.update', 'case_plan.view')"
        ),
        4
    );
    let worker2 = app.login("worker2").await;
    let hidden = app.send(Method::PUT, &path, &worker2, &change).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

async fn a_review_moves_the_next_review(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let case_id = a_case(&app, &worker).await;
    let plan_path = format!("/api/cases/{case_id}/plan");
    let plan = app.get(&plan_path, &worker).await.json();
    assert_eq!(plan["version"], 0, "a plan not written yet");
    assert_eq!(plan["next_review_on"], Value::Null);

    let past = app
        .send(
            Method::PUT,
            &plan_path,
            &worker,
            &json!({ "next_review_on": day(-1), "version": 0 }),
        )
        .await;
    assert_eq!(
        past.json()["fields"]["next_review_on"]["code"],
        "date_in_past"
    );
    let set = app
        .send(
            Method::PUT,
            &plan_path,
            &worker,
            &json!({ "next_review_on": day(30), "version": 0 }),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.json());
    assert_eq!(set.json()["version"], 1);
    assert_eq!(set.json()["review_due"], false);
    let again = app
        .send(
            Method::PUT,
            &plan_path,
            &worker,
            &json!({ "next_review_on": day(20), "version": 0 }),
        )
        .await;
    assert_eq!(again.error_code(), "version_conflict");

    let reviews = format!("/api/cases/{case_id}/reviews");
    let review = json!({
        "reviewed_on": day(0),
        "summary": "家庭衝突減少，目標一已達成。\nConflict has eased.",
        "next_review_on": day(90),
        "version": 1,
    });
    let recorded = app.send(Method::POST, &reviews, &worker, &review).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.json());
    let recorded = recorded.json();
    assert_eq!(recorded["next_review_on"], day(90));
    assert_eq!(recorded["version"], 2);
    assert_eq!(
        recorded["reviews"][0]["reviewer"]["display_name"],
        "陳美玲 Chan Mei Ling"
    );
    let stale = app.send(Method::POST, &reviews, &worker, &review).await;
    assert_eq!(stale.error_code(), "version_conflict");
    assert_eq!(
        app.count("case_reviews"),
        1,
        "a refused review leaves nothing"
    );
    let bad = app
        .send(
            Method::POST,
            &reviews,
            &worker,
            &json!({ "reviewed_on": day(1), "next_review_on": day(0), "version": 2 }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = bad.json()["fields"].clone();
    assert_eq!(fields["reviewed_on"]["code"], "date_in_future");
    assert_eq!(fields["summary"]["code"], "required");
    assert_eq!(fields["next_review_on"]["code"], "not_after_review");

    // The supervisor reads the summary; the agency admin the plan without it.
    let supervisor = app.login("supervisor").await;
    let read = app.get(&plan_path, &supervisor).await.json();
    assert_eq!(
        read["reviews"][0]["summary"],
        "家庭衝突減少，目標一已達成。\nConflict has eased."
    );
    let agency_admin = app.login("agency-admin").await;
    let read = app.get(&plan_path, &agency_admin).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["reviews"][0]["summary"], Value::Null);
    assert_eq!(read.json()["next_review_on"], day(90));
    let refused = app
        .send(
            Method::PUT,
            &plan_path,
            &agency_admin,
            &json!({ "version": 2 }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("audit_log WHERE action = 'case_plan.view' AND entity_id IS NOT NULL"),
        3
    );
    assert_eq!(
        app.count("audit_log WHERE action IN ('case_plan.update', 'case_review.create')"),
        2
    );
}

async fn a_closed_case_keeps_its_plan_and_referrals(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let case_id = a_case(&app, &worker).await;
    let referral = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/referrals"),
            &worker,
            &json!({ "direction": "in", "agency_name": "社會福利署", "service_type": "swd",
                "reason": "家庭支援" }),
        )
        .await
        .json();
    let version = app
        .get(&format!("/api/cases/{case_id}"), &worker)
        .await
        .json()["case"]["version"]
        .clone();
    let asked = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/closure"),
            &worker,
            &json!({ "closure_reason": "goals_achieved", "closing_summary": "完成", "version": version }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.json());
    let supervisor = app.login("supervisor").await;
    let approved = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/closure/decision"),
            &supervisor,
            &json!({ "decision": "approved" }),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.json());

    let refused = [
        (
            Method::POST,
            format!("/api/cases/{case_id}/goals"),
            goal("x", &day(1)),
        ),
        (
            Method::PUT,
            format!("/api/cases/{case_id}/plan"),
            json!({ "version": 0 }),
        ),
        (
            Method::POST,
            format!("/api/cases/{case_id}/referrals"),
            json!({ "direction": "in", "agency_name": "x", "service_type": "other", "reason": "x" }),
        ),
        (
            Method::POST,
            format!(
                "/api/referrals/{}/outcome",
                referral["id"].as_str().unwrap()
            ),
            json!({ "status": "accepted", "outcome": "x", "version": 1 }),
        ),
    ];
    for (method, path, body) in refused {
        let reply = app.send(method.clone(), &path, &worker, &body).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{method} {path}");
        assert_eq!(reply.error_code(), "case_closed", "{method} {path}");
    }
    assert_eq!(app.count("case_goals"), 0);
    assert_eq!(app.count("referrals WHERE status = 'received'"), 1);
}
