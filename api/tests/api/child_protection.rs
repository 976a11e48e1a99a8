//! Mandatory reporting (Cap. 650): a concern about a child on a case, the decision on it,
//! who may know who reported, and the concerns left undecided too long.

use actix_web::http::{Method, StatusCode};
use common::identity::{Role, Unit};
use serde_json::{json, Value};

use crate::cases::open_case;
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_concern_is_recorded_about_a_child_on_the_case_and_decided_once,
    only_the_reporter_and_the_centre_s_supervisors_and_admin_know_who_reported,
    an_undecided_concern_goes_to_the_supervisor_after_the_time_allowed,
);

/// A mother and her son of ten on a case of the worker's, with the worker's colleague as
/// co-worker: answers the case id and the son's id.
async fn family(app: &TestApp, worker: &str) -> (String, String) {
    let mother = app.register(worker, "陳美華", "CHAN Mei Wah").await;
    let son = app
        .send(
            Method::POST,
            "/api/clients",
            worker,
            &json!({"name_zh": "陳小明", "name_en": "CHAN Siu Ming", "sex": "M",
                    "date_of_birth": "2016-05-01", "district": "F"}),
        )
        .await;
    assert_eq!(son.status, StatusCode::CREATED, "{}", son.json());
    let son = son.json()["id"].as_str().unwrap().to_owned();
    let colleague_id = app.add_user(
        "ssp-colleague",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    let case = open_case(
        app,
        worker,
        &mother,
        json!({"member_ids": [son], "co_worker_ids": [colleague_id]}),
    )
    .await;
    (case["case"]["id"].as_str().unwrap().to_owned(), son)
}

fn concern(child: &str) -> Value {
    json!({"child_id": child, "harm_types": ["physical", "neglect"], "harm_level": "real_risk",
           "grounds": "家訪時見到手臂有瘀傷，母親說是跌倒。"})
}

async fn a_concern_is_recorded_about_a_child_on_the_case_and_decided_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let (case, son) = family(&app, &worker).await;
    let path = format!("/api/cases/{case}/child-protection");

    let empty = app.send(Method::POST, &path, &worker, &json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &empty.json()["fields"];
    for field in ["child_id", "harm_types", "harm_level", "grounds"] {
        assert_eq!(fields[field]["code"], "required", "{field}");
    }
    let mother = one_of(&app, &worker, &case).await;
    let adult = app
        .send(Method::POST, &path, &worker, &concern(&mother))
        .await;
    assert_eq!(adult.json()["fields"]["child_id"]["code"], "not_a_child");
    let stranger = app.register(&worker, "李路人", "LEE Lo Yan").await;
    let elsewhere = app
        .send(Method::POST, &path, &worker, &concern(&stranger))
        .await;
    assert_eq!(
        elsewhere.json()["fields"]["child_id"]["code"],
        "not_on_case"
    );
    assert_eq!(app.count("child_protection_concerns"), 0);

    let recorded = app.send(Method::POST, &path, &worker, &concern(&son)).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.json());
    let kept = recorded.json();
    assert_eq!(kept["harm_types"], json!(["physical", "neglect"]));
    assert_eq!(kept["child"]["name_zh"], "陳小明");
    assert_eq!(kept["decision"], Value::Null);
    assert_eq!(kept["may_decide"], true);
    let id = kept["id"].as_str().unwrap();
    let decide = format!("/api/child-protection/{id}/decision");

    // The co-worker reads it but does not decide.
    let colleague = app.login("ssp-colleague").await;
    let theirs = app
        .send(
            Method::POST,
            &decide,
            &colleague,
            &json!({"decision": "not_report", "reasons": "x", "version": 1}),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::FORBIDDEN);
    let incomplete = app
        .send(
            Method::POST,
            &decide,
            &worker,
            &json!({"decision": "report", "reasons": "有合理懷疑", "version": 1}),
        )
        .await;
    let fields = &incomplete.json()["fields"];
    for field in ["reported_to", "reported_at", "reference_number"] {
        assert_eq!(fields[field]["code"], "required", "{field}");
    }
    let report = json!({"decision": "report", "reasons": "有合理懷疑兒童正遭受嚴重傷害的風險",
        "reported_to": "swd", "reported_at": "2026-01-21T03:15:00Z", "reference_number": "FCPSU/2026/0123",
        "version": 1});
    let decided = app.send(Method::POST, &decide, &worker, &report).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.json());
    assert_eq!(decided.json()["reported_to"], "swd");
    assert_eq!(decided.json()["reference_number"], "FCPSU/2026/0123");
    assert_eq!(decided.json()["may_decide"], false);
    let again = app
        .send(
            Method::POST,
            &decide,
            &worker,
            &json!({"decision": "not_report",
        "reasons": "改變主意", "version": 2}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "already_decided");
    assert_eq!(
        app.count("audit_log WHERE action LIKE 'child_protection.%'"),
        2
    );
}

/// The case's client, by the case's people.
async fn one_of(app: &TestApp, token: &str, case: &str) -> String {
    app.get(&format!("/api/cases/{case}"), token).await.json()["case"]["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn only_the_reporter_and_the_centre_s_supervisors_and_admin_know_who_reported(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let (case, son) = family(&app, &worker).await;
    let path = format!("/api/cases/{case}/child-protection");
    let recorded = app.send(Method::POST, &path, &worker, &concern(&son)).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.json());
    app.add_user(
        "ssp-admin",
        &[Role::CentreAdmin],
        "HFS",
        Some("HFS-SSP"),
        None,
    );

    let reporter_of = |list: &Value| list[0]["reporter"]["display_name"].clone();
    for (username, named) in [
        ("worker", true),
        ("supervisor", true),
        ("ssp-admin", true),
        ("ssp-colleague", false),
    ] {
        let token = app.login(username).await;
        let list = app.get(&path, &token).await;
        assert_eq!(list.status, StatusCode::OK, "{username}");
        let list = list.json();
        assert_eq!(list.as_array().unwrap().len(), 1, "{username}");
        if named {
            assert_eq!(reporter_of(&list), "陳美玲 Chan Mei Ling", "{username}");
        } else {
            assert_eq!(list[0]["reporter"], Value::Null, "{username}");
            assert_eq!(list[0]["grounds"], concern(&son)["grounds"], "{username}");
        }
    }
    // An agency admin reads the case but none of its narrative; another centre nothing.
    for username in ["agency-admin", "worker2"] {
        let token = app.login(username).await;
        assert_eq!(
            app.get(&path, &token).await.status,
            StatusCode::NOT_FOUND,
            "{username}"
        );
    }
}

async fn an_undecided_concern_goes_to_the_supervisor_after_the_time_allowed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let (case, son) = family(&app, &worker).await;
    let path = format!("/api/cases/{case}/child-protection");
    for _ in 0..2 {
        let recorded = app.send(Method::POST, &path, &worker, &concern(&son)).await;
        assert_eq!(recorded.status, StatusCode::CREATED);
    }
    let list = app.get(&path, &worker).await.json();
    let (older, newer) = (
        list[1]["id"].as_str().unwrap(),
        list[0]["id"].as_str().unwrap(),
    );
    // The first waited a day and an hour: past the 24 hours allowed.
    app.execute(&format!(
        "UPDATE child_protection_concerns SET recorded_at = '2026-01-01 00:00:00' WHERE id = '{older}'"
    ));
    let awaiting = app
        .get("/api/child-protection/awaiting", &supervisor)
        .await
        .json();
    let awaiting = awaiting.as_array().unwrap();
    assert_eq!(awaiting.len(), 2);
    assert_eq!(awaiting[0]["id"], older);
    assert_eq!(awaiting[0]["escalated"], true);
    assert_eq!(awaiting[0]["may_decide"], true);
    assert_eq!(awaiting[1]["id"], newer);
    assert_eq!(awaiting[1]["escalated"], false);
    // The supervisor decides the one left waiting; it leaves the list.
    let decided = app
        .send(
            Method::POST,
            &format!("/api/child-protection/{older}/decision"),
            &supervisor,
            &json!({"decision": "not_report", "reasons": "與社工商討後，傷勢與解釋相符，沒有合理懷疑。", "version": 1}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.json());
    let left = app
        .get("/api/child-protection/awaiting", &worker)
        .await
        .json();
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["id"], newer);
    // Another centre's supervisor sees none of them.
    app.add_user(
        "kt-sup",
        &[Role::Supervisor],
        "HFS",
        Some("HFS-KT"),
        Some(Unit::FamilyCounselling),
    );
    let kt = app.login("kt-sup").await;
    let theirs = app.get("/api/child-protection/awaiting", &kt).await.json();
    assert!(theirs.as_array().unwrap().is_empty());
}
