//! Casework: opening cases, their lifecycle, closure approval, transfers, reactivation,
//! and who reaches which case.

use actix_web::http::{Method, StatusCode};
use common::identity::{Role, Unit};
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_case_runs_from_enquiry_to_closure_with_approval,
    refused_transitions_change_nothing,
    a_returned_closure_keeps_the_case_open,
    reactivation_is_counted_apart_from_new_cases,
    a_transfer_waits_for_its_receiver,
    a_transfer_to_another_centre_is_accepted_by_its_supervisor,
    case_numbers_stay_unique_when_cases_open_at_once,
    a_case_names_only_known_people_and_natures,
    clients_follow_their_cases,
    every_role_reaches_exactly_its_cases,
    the_homes_show_the_work_waiting,
    a_case_is_handed_within_the_agency,
    a_sensitive_case_withholds_the_phone_from_the_unassigned,
    a_supervisor_shows_a_case_to_a_worker_of_its_unit,
    a_worker_s_case_list_follows_their_cases_as_they_change,
);

/// Opens a case for the client as the token's user; answers the case detail.
pub(crate) async fn open_case(app: &TestApp, token: &str, client_id: &str, extra: Value) -> Value {
    let mut body = json!({
        "client_id": client_id,
        "case_type": "in_depth_counselling",
        "referral_source": "school_social_worker",
        "nature_codes": ["parent_child", "emotional"],
    });
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    let reply = app.send(Method::POST, "/api/cases", token, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()
}

fn id_and_version(case: &Value) -> (String, i64) {
    (
        case["case"]["id"].as_str().unwrap().to_owned(),
        case["case"]["version"].as_i64().unwrap(),
    )
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> crate::helpers::Reply {
    app.send(Method::POST, path, token, &body).await
}

/// The ids of a page of cases, in its order.
fn case_ids(page: &Value) -> Vec<String> {
    crate::helpers::item_strings(page, "id")
}

fn kinds(case: &Value) -> Vec<String> {
    case["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_case_runs_from_enquiry_to_closure_with_approval(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "陳小芬", "CHAN Siu Fan").await;
    let son = app.register(&worker, "李浩然", "LEE Ho Yin").await;
    let case = open_case(
        &app,
        &worker,
        &client,
        json!({ "state": "enquiry", "member_ids": [son], "effective_on": "2026-01-05" }),
    )
    .await;
    let (id, version) = id_and_version(&case);
    assert_eq!(case["case"]["state"], "enquiry");
    assert!(case["case"]["case_number"]
        .as_str()
        .unwrap()
        .starts_with("HFS-SSP-2026-"));
    assert_eq!(
        case["case"]["nature_codes"],
        json!(["parent_child", "emotional"])
    );
    assert_eq!(case["members"][0]["name_zh"], "李浩然");
    assert_eq!(case["may_edit"], true);
    let path = format!("/api/cases/{id}");

    let waiting = post(
        &app,
        &worker,
        &format!("{path}/state"),
        json!({ "to": "waiting", "effective_on": "2026-01-06", "version": version }),
    )
    .await;
    assert_eq!(waiting.status, StatusCode::OK, "{}", waiting.json());
    let opened = post(
        &app,
        &worker,
        &format!("{path}/state"),
        json!({ "to": "open", "effective_on": "2026-02-01", "version": version + 1 }),
    )
    .await
    .json();
    assert_eq!(opened["case"]["state"], "open");
    assert_eq!(opened["case"]["state_since"], "2026-02-01");

    let request = post(
        &app,
        &worker,
        &format!("{path}/closure"),
        json!({
            "closure_reason": "goals_achieved",
            "closing_summary": "家長掌握管教技巧。\nParenting goals met.",
            "closed_on": "2026-06-30",
            "version": version + 2,
        }),
    )
    .await;
    assert_eq!(request.status, StatusCode::OK, "{}", request.json());
    let request = request.json();
    assert_eq!(request["case"]["pending"], "closure");
    assert_eq!(request["case"]["state"], "open", "open until approved");

    // Only a supervisor decides, from the list of closures waiting.
    let refused = post(
        &app,
        &worker,
        &format!("{path}/closure/decision"),
        json!({ "decision": "approved" }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let supervisor = app.login("supervisor").await;
    let waiting_list = app
        .get("/api/cases?pending=closure", &supervisor)
        .await
        .json();
    assert_eq!(waiting_list["total"], 1);
    assert_eq!(waiting_list["items"][0]["id"], id.as_str());
    let approved = post(
        &app,
        &supervisor,
        &format!("{path}/closure/decision"),
        json!({ "decision": "approved", "comment": "同意結案" }),
    )
    .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.json());
    let closed = approved.json();
    assert_eq!(closed["case"]["state"], "closed");
    assert_eq!(closed["case"]["state_since"], "2026-06-30");
    assert_eq!(closed["case"]["pending"], Value::Null);
    assert_eq!(closed["closure_reason"], "goals_achieved");
    assert_eq!(closed["closure_request"]["decision"], "approved");
    assert_eq!(
        kinds(&closed),
        vec!["registered", "waitlisted", "opened", "closed"]
    );
    let dates: Vec<&str> = closed["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["effective_on"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        vec!["2026-01-05", "2026-01-06", "2026-02-01", "2026-06-30"]
    );
    let actor_of_closing = &closed["events"][3]["actor"]["display_name"];
    assert_eq!(actor_of_closing, "梁志明 Leung Chi Ming");
    assert_eq!(
        app.count("audit_log WHERE entity_type = 'case' AND action LIKE 'case.%' AND actor_id IS NOT NULL"),
        5 + 1 // five changes, and the supervisor's list
    );
    assert_eq!(
        app.get("/api/cases?pending=closure", &supervisor)
            .await
            .json()["total"],
        0
    );
}

async fn refused_transitions_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "黃大仙", "WONG Tai Sin").await;
    let case = open_case(
        &app,
        &worker,
        &client,
        json!({ "effective_on": "2026-03-01" }),
    )
    .await;
    let (id, version) = id_and_version(&case);
    let state = format!("/api/cases/{id}/state");

    let back = post(
        &app,
        &worker,
        &state,
        json!({ "to": "waiting", "version": version }),
    )
    .await;
    assert_eq!(back.status, StatusCode::CONFLICT);
    assert_eq!(back.error_code(), "invalid_transition");
    assert!(back.json()["fields"]["to"].is_object());
    let close = post(
        &app,
        &worker,
        &state,
        json!({ "to": "closed", "version": version }),
    )
    .await;
    assert_eq!(close.error_code(), "invalid_transition");
    let stale = post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "closure_reason": "other", "closing_summary": "x", "version": version - 1 }),
    )
    .await;
    assert_eq!(stale.error_code(), "version_conflict");
    let before = post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "closure_reason": "other", "closing_summary": "x", "closed_on": "2026-02-01", "version": version }),
    )
    .await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        before.json()["fields"]["closed_on"]["code"],
        "before_last_change"
    );
    let future = post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "closure_reason": "other", "closing_summary": "x", "closed_on": "2999-01-01", "version": version }),
    )
    .await;
    assert_eq!(
        future.json()["fields"]["closed_on"]["code"],
        "date_in_future"
    );
    let missing = post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "version": version }),
    )
    .await;
    let fields = missing.json()["fields"].clone();
    assert_eq!(fields["closure_reason"]["code"], "required");
    assert_eq!(fields["closing_summary"]["code"], "required");

    let unchanged = app.get(&format!("/api/cases/{id}"), &worker).await.json();
    assert_eq!(unchanged["case"]["version"], version);
    assert_eq!(kinds(&unchanged), vec!["registered"]);

    // While a closure waits, the case stays as it is.
    let asked = post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "closure_reason": "lost_contact", "closing_summary": "失去聯絡", "version": version }),
    )
    .await;
    assert_eq!(asked.status, StatusCode::OK);
    let again = post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "closure_reason": "lost_contact", "closing_summary": "x", "version": version + 1 }),
    )
    .await;
    assert_eq!(again.error_code(), "closure_pending");
    let transfer = post(
        &app,
        &worker,
        &format!("/api/cases/{id}/transfer"),
        json!({ "to_worker_id": app.user_id(&app.login("supervisor").await).await, "reason": "x", "version": version + 1 }),
    )
    .await;
    assert_eq!(transfer.error_code(), "closure_pending");
    assert_eq!(
        app.count(&format!("case_closure_requests WHERE case_id = '{id}'")),
        1
    );
}

async fn a_returned_closure_keeps_the_case_open(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let client = app.register(&worker, "張美玲", "CHEUNG Mei Ling").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let (id, version) = id_and_version(&case);
    post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "closure_reason": "client_withdrew", "closing_summary": "案主退出", "version": version }),
    )
    .await;
    let decision = format!("/api/cases/{id}/closure/decision");
    let silent = post(
        &app,
        &supervisor,
        &decision,
        json!({ "decision": "returned" }),
    )
    .await;
    assert_eq!(silent.json()["fields"]["comment"]["code"], "required");
    let returned = post(
        &app,
        &supervisor,
        &decision,
        json!({ "decision": "returned", "comment": "請先完成家訪" }),
    )
    .await
    .json();
    assert_eq!(returned["case"]["state"], "open");
    assert_eq!(returned["case"]["pending"], Value::Null);
    assert_eq!(returned["closure_request"]["decision"], "returned");
    assert_eq!(
        returned["closure_request"]["decision_comment"],
        "請先完成家訪"
    );
    let twice = post(
        &app,
        &supervisor,
        &decision,
        json!({ "decision": "approved" }),
    )
    .await;
    assert_eq!(twice.error_code(), "nothing_pending");
    assert_eq!(kinds(&returned), vec!["registered"]);
}

async fn reactivation_is_counted_apart_from_new_cases(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let client = app.register(&worker, "劉家明", "LAU Ka Ming").await;
    let case = open_case(
        &app,
        &worker,
        &client,
        json!({ "effective_on": "2025-04-01" }),
    )
    .await;
    let (id, version) = id_and_version(&case);
    post(
        &app,
        &worker,
        &format!("/api/cases/{id}/closure"),
        json!({ "closure_reason": "goals_achieved", "closing_summary": "完成", "closed_on": "2025-09-30", "version": version }),
    )
    .await;
    let closed = post(
        &app,
        &supervisor,
        &format!("/api/cases/{id}/closure/decision"),
        json!({ "decision": "approved" }),
    )
    .await
    .json();
    let version = closed["case"]["version"].as_i64().unwrap();
    let state = format!("/api/cases/{id}/state");
    let no_reason = post(
        &app,
        &worker,
        &state,
        json!({ "to": "open", "version": version }),
    )
    .await;
    assert_eq!(no_reason.json()["fields"]["reason"]["code"], "required");
    let reopened = post(
        &app,
        &worker,
        &state,
        json!({ "to": "open", "reason": "家庭衝突再現", "effective_on": "2026-01-10", "version": version }),
    )
    .await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.json());
    let reopened = reopened.json();
    assert_eq!(reopened["case"]["state"], "open");
    assert_eq!(reopened["closure_reason"], Value::Null);
    assert_eq!(
        kinds(&reopened),
        vec!["registered", "closed", "reactivated"]
    );
    // The same case, counted once as new and once as reactivated.
    assert_eq!(app.count("cases"), 1);
    assert_eq!(app.count("case_events WHERE kind = 'registered'"), 1);
    assert_eq!(app.count("case_events WHERE kind = 'reactivated'"), 1);
}

async fn a_transfer_waits_for_its_receiver(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let receiver_id = app.add_user(
        "receiver",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    let receiver = app.login("receiver").await;
    let client = app.register(&worker, "梁嘉儀", "LEUNG Ka Yee").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let (id, version) = id_and_version(&case);
    let path = format!("/api/cases/{id}");
    assert_eq!(
        app.get(&path, &receiver).await.status,
        StatusCode::NOT_FOUND
    );

    let no_reason = post(
        &app,
        &worker,
        &format!("{path}/transfer"),
        json!({ "to_worker_id": receiver_id, "version": version }),
    )
    .await;
    assert_eq!(no_reason.json()["fields"]["reason"]["code"], "required");
    let offered = post(
        &app,
        &worker,
        &format!("{path}/transfer"),
        json!({ "to_worker_id": receiver_id, "reason": "工作量調配", "version": version }),
    )
    .await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.json());
    assert_eq!(offered.json()["case"]["pending"], "transfer");
    assert_eq!(
        offered.json()["transfer"]["to_worker"]["id"],
        receiver_id.as_str()
    );

    // The receiver sees the offer, not yet the case.
    let awaiting = app
        .get("/api/case-transfers/awaiting", &receiver)
        .await
        .json();
    assert_eq!(awaiting.as_array().unwrap().len(), 1);
    assert_eq!(awaiting[0]["case_id"], id.as_str());
    assert_eq!(awaiting[0]["client"]["name_zh"], "梁嘉儀");
    assert_eq!(
        app.get(&path, &receiver).await.status,
        StatusCode::NOT_FOUND
    );
    // Nobody else answers it.
    let supervisor = app.login("supervisor").await;
    let stranger = post(
        &app,
        &supervisor,
        &format!("{path}/transfer/answer"),
        json!({ "answer": "accepted" }),
    )
    .await;
    assert_eq!(stranger.status, StatusCode::NOT_FOUND);

    let accepted = post(
        &app,
        &receiver,
        &format!("{path}/transfer/answer"),
        json!({ "answer": "accepted" }),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.json());
    let now_theirs = app.get(&path, &receiver).await.json();
    assert_eq!(
        now_theirs["case"]["responsible_worker"]["id"],
        receiver_id.as_str()
    );
    assert_eq!(now_theirs["case"]["pending"], Value::Null);
    assert_eq!(kinds(&now_theirs), vec!["registered", "transferred"]);
    assert_eq!(
        now_theirs["events"][1]["worker"]["id"],
        receiver_id.as_str()
    );
    assert_eq!(app.get(&path, &worker).await.status, StatusCode::NOT_FOUND);

    // Declining needs a reason, and leaves the case where it was.
    let version = now_theirs["case"]["version"].as_i64().unwrap();
    let worker_id = app.user_id(&worker).await;
    post(
        &app,
        &receiver,
        &format!("{path}/transfer"),
        json!({ "to_worker_id": worker_id, "reason": "退回", "version": version }),
    )
    .await;
    let silent = post(
        &app,
        &worker,
        &format!("{path}/transfer/answer"),
        json!({ "answer": "declined" }),
    )
    .await;
    assert_eq!(silent.json()["fields"]["comment"]["code"], "required");
    let declined = post(
        &app,
        &worker,
        &format!("{path}/transfer/answer"),
        json!({ "answer": "declined", "comment": "個案量已滿" }),
    )
    .await;
    assert_eq!(declined.status, StatusCode::OK);
    let still = app.get(&path, &receiver).await.json();
    assert_eq!(
        still["case"]["responsible_worker"]["id"],
        receiver_id.as_str()
    );
    assert_eq!(still["case"]["pending"], Value::Null);
}

async fn a_transfer_to_another_centre_is_accepted_by_its_supervisor(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    app.add_user(
        "kt-supervisor",
        &[Role::Supervisor],
        "HFS",
        Some("HFS-KT"),
        Some(Unit::FamilyCounselling),
    );
    let kt_supervisor = app.login("kt-supervisor").await;
    let worker2 = app.login("worker2").await;
    let worker2_id = app.user_id(&worker2).await;
    let kt_centre = app.get("/api/me", &worker2).await.json()["centre"]["id"].clone();
    let lrc_centre =
        app.get("/api/me", &app.login("worker3").await).await.json()["centre"]["id"].clone();
    let client = app.register(&worker, "何志強", "HO Chi Keung").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let (id, version) = id_and_version(&case);
    let path = format!("/api/cases/{id}");

    let other_agency = post(
        &app,
        &worker,
        &format!("{path}/transfer"),
        json!({ "to_centre_id": lrc_centre, "reason": "搬遷", "version": version }),
    )
    .await;
    assert_eq!(
        other_agency.json()["fields"]["to_centre_id"]["code"],
        "unknown_centre"
    );
    let offered = post(
        &app,
        &worker,
        &format!("{path}/transfer"),
        json!({ "to_centre_id": kt_centre, "reason": "家庭搬遷至觀塘", "version": version }),
    )
    .await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.json());
    // No worker was named: the receiving centre's supervisor answers, naming one.
    assert!(app
        .get("/api/case-transfers/awaiting", &worker2)
        .await
        .json()
        .as_array()
        .unwrap()
        .is_empty());
    let offers = app
        .get("/api/case-transfers/awaiting", &kt_supervisor)
        .await
        .json();
    assert_eq!(offers[0]["case_id"], id.as_str());
    let unnamed = post(
        &app,
        &kt_supervisor,
        &format!("{path}/transfer/answer"),
        json!({ "answer": "accepted" }),
    )
    .await;
    assert_eq!(unnamed.json()["fields"]["worker_id"]["code"], "required");
    let accepted = post(
        &app,
        &kt_supervisor,
        &format!("{path}/transfer/answer"),
        json!({ "answer": "accepted", "worker_id": worker2_id }),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.json());
    let moved = app.get(&path, &worker2).await.json();
    assert_eq!(moved["case"]["centre_id"], kt_centre);
    assert_eq!(moved["case"]["case_number"], case["case"]["case_number"]);
    assert_eq!(moved["events"][1]["centre_id"], kt_centre);
    let supervisor = app.login("supervisor").await;
    assert_eq!(
        app.get(&path, &supervisor).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&path, &kt_supervisor).await.status, StatusCode::OK);
    assert!(case_ids(&app.get("/api/cases", &worker2).await.json()).contains(&id));
    assert!(!case_ids(&app.get("/api/cases", &worker).await.json()).contains(&id));
}

async fn case_numbers_stay_unique_when_cases_open_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let mut clients = Vec::new();
    for i in 0..8 {
        clients.push(app.register(&worker, &format!("測試{i}"), "TEST").await);
    }
    let bodies: Vec<Value> = clients
        .iter()
        .map(|client| json!({ "client_id": client, "case_type": "brief_supportive", "referral_source": "self" }))
        .collect();
    let opened = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| app.send(Method::POST, "/api/cases", &worker, body)),
    )
    .await;
    let mut numbers: Vec<String> = opened
        .iter()
        .map(|reply| {
            assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
            reply.json()["case"]["case_number"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 8);
}

async fn a_case_names_only_known_people_and_natures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let worker2 = app.login("worker2").await;
    let elsewhere = app.register(&worker2, "周子樂", "CHOW Tsz Lok").await;
    let client = app.register(&worker, "吳麗珍", "NG Lai Chun").await;
    let worker2_id = app.user_id(&worker2).await;
    let reply = app
        .send(
            Method::POST,
            "/api/cases",
            &worker,
            &json!({
                "client_id": client,
                "case_type": "brief_supportive",
                "referral_source": "police",
                "nature_codes": ["no_such_nature"],
                "member_ids": [elsewhere, client],
                "co_worker_ids": [worker2_id],
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = reply.json()["fields"].clone();
    assert_eq!(fields["nature_codes"]["code"], "unknown_nature");
    assert_eq!(fields["member_ids"]["code"], "unknown_client");
    assert_eq!(fields["co_worker_ids"]["code"], "unknown_worker");
    let foreign = app
        .send(
            Method::POST,
            "/api/cases",
            &worker,
            &json!({ "client_id": elsewhere, "case_type": "brief_supportive", "referral_source": "self" }),
        )
        .await;
    assert_eq!(
        foreign.json()["fields"]["client_id"]["code"],
        "unknown_client"
    );
    let unknown_field = app
        .send(
            Method::POST,
            "/api/cases",
            &worker,
            &json!({ "client_id": client, "case_type": "brief_supportive", "referral_source": "self", "colour": 1 }),
        )
        .await;
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);
    let bad_enum = app
        .send(
            Method::POST,
            "/api/cases",
            &worker,
            &json!({ "client_id": client, "case_type": "long", "referral_source": "self" }),
        )
        .await;
    assert!(bad_enum.status.is_client_error());
    assert!(
        bad_enum.json()["fields"]["case_type"].is_object(),
        "{}",
        bad_enum.json()
    );
    assert_eq!(app.count("cases"), 0);
    let natures = app.get("/api/case-natures", &worker).await.json();
    assert!(natures.as_array().unwrap().len() >= 20);
    assert_eq!(natures[0]["code"], "marital_conflict");
}

async fn clients_follow_their_cases(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let colleague_id = app.add_user(
        "colleague",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    let colleague = app.login("colleague").await;
    let client = app.register(&worker, "鄭國華", "CHENG Kwok Wah").await;
    let wife = app.register(&worker, "林淑芬", "LAM Shuk Fan").await;
    let case = open_case(&app, &worker, &client, json!({ "member_ids": [wife] })).await;
    let (id, version) = id_and_version(&case);
    for person in [&client, &wife] {
        let path = format!("/api/clients/{person}");
        assert_eq!(
            app.get(&path, &colleague).await.status,
            StatusCode::NOT_FOUND
        );
    }
    // The colleague's searches, answered from their reach as kept between requests, follow
    // every change of it.
    assert!(found(&app, &colleague, "鄭國").await.is_empty());
    let own = app.register(&colleague, "鄭美玲", "CHENG Mei Ling").await;
    assert_eq!(
        found(&app, &colleague, "鄭").await,
        std::slice::from_ref(&own)
    );
    let co_workers = |ids: Vec<&str>, version: i64| {
        json!({
            "case_type": "in_depth_counselling",
            "referral_source": "school_social_worker",
            "nature_codes": ["parent_child"],
            "member_ids": [wife],
            "co_worker_ids": ids,
            "version": version,
        })
    };
    let joined = app
        .send(
            Method::PUT,
            &format!("/api/cases/{id}"),
            &worker,
            &co_workers(vec![colleague_id.as_str()], version),
        )
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.json());
    for person in [&client, &wife] {
        let path = format!("/api/clients/{person}");
        assert_eq!(app.get(&path, &colleague).await.status, StatusCode::OK);
    }
    let list = app.get("/api/clients", &colleague).await.json();
    assert_eq!(list["total"], 3);
    let cases = app.get("/api/cases", &colleague).await.json();
    assert_eq!(cases["total"], 1);
    assert_eq!(cases["items"][0]["id"], id.as_str());
    let mut reached = found(&app, &colleague, "鄭").await;
    reached.sort();
    let mut expected = vec![client.clone(), own.clone()];
    expected.sort();
    assert_eq!(reached, expected);
    assert_eq!(
        found(&app, &colleague, "林淑").await,
        std::slice::from_ref(&wife)
    );

    let version = joined.json()["case"]["version"].as_i64().unwrap();
    let left = app
        .send(
            Method::PUT,
            &format!("/api/cases/{id}"),
            &worker,
            &co_workers(vec![], version),
        )
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.json());
    assert_eq!(found(&app, &colleague, "鄭").await, [own]);
    assert!(found(&app, &colleague, "林淑").await.is_empty());
}

/// The ids of the clients a search as the token's user finds.
async fn found(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let reply = post(app, token, "/api/clients/search", json!({ "q": q })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    crate::helpers::item_strings(&reply.json(), "id")
}

/// What a user of a role reaches of a case in each relation to them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reach {
    /// Reads and works on it.
    Works,
    /// Reads it only: changes are 403.
    Reads,
    /// Does not know it exists: 404, and it is not in their list.
    Hidden,
    /// Does not know it exists, and changes no case at all: reads 404, changes 403.
    HiddenFromReader,
    /// Has no casework at all: 403 everywhere.
    Forbidden,
}

/// The relations of a case to the user, in the order.
const RELATIONS: [&str; 6] = [
    "own",
    "co-worked",
    "same unit",
    "same centre",
    "other centre",
    "other agency",
];

/// Expected reach by role and relation. Roles that cannot hold cases have no own or
/// co-worked case; theirs is the same-unit column's answer.
fn expected(role: Role) -> [Reach; 6] {
    use Reach::*;
    match role {
        Role::SocialWorker => [Works, Works, Hidden, Hidden, Hidden, Hidden],
        Role::Supervisor => [Works, Works, Works, Works, Hidden, Hidden],
        Role::CentreAdmin => [
            Reads,
            Reads,
            Reads,
            Reads,
            HiddenFromReader,
            HiddenFromReader,
        ],
        Role::AgencyAdmin => [Reads, Reads, Reads, Reads, Reads, HiddenFromReader],
        _ => [Forbidden; 6],
    }
}

async fn every_role_reaches_exactly_its_cases(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The cases' holders: a counselling worker (the subject's unit), a support worker of
    // the same centre, workers of another centre and of another agency.
    let holders = [
        ("unit-holder", "HFS", "HFS-SSP", Unit::FamilyCounselling),
        ("centre-holder", "HFS", "HFS-SSP", Unit::FamilySupport),
        (
            "other-centre-holder",
            "HFS",
            "HFS-KT",
            Unit::FamilyCounselling,
        ),
        (
            "other-agency-holder",
            "LRC",
            "LRC-TC",
            Unit::FamilyCounselling,
        ),
    ];
    let mut holder_tokens = Vec::new();
    for (username, agency, centre, unit) in holders {
        app.add_user(
            username,
            &[Role::SocialWorker],
            agency,
            Some(centre),
            Some(unit),
        );
        holder_tokens.push(app.login(username).await);
    }
    let unit_holder_id = app.user_id(&holder_tokens[0]).await;

    for role in Role::ALL {
        let username = format!("subject-{}", role.as_str());
        let centre_staff = matches!(
            role,
            Role::SocialWorker | Role::Supervisor | Role::CentreAdmin | Role::Learner
        );
        let subject_id = app.add_user(
            &username,
            &[role],
            "HFS",
            centre_staff.then_some("HFS-SSP"),
            centre_staff.then_some(Unit::FamilyCounselling),
        );
        let subject = app.login(&username).await;
        let holds_cases = matches!(role, Role::SocialWorker | Role::Supervisor);

        // One case per relation, opened by whoever holds it.
        let mut cases = Vec::new();
        for (relation, holder) in [
            ("own", 0),
            ("co-worked", 0),
            ("same unit", 0),
            ("same centre", 1),
            ("other centre", 2),
            ("other agency", 3),
        ] {
            let token = &holder_tokens[holder];
            let client = app.register(token, "甲", "A").await;
            let extra = match relation {
                "own" if holds_cases => {
                    json!({ "responsible_worker_id": subject_id, "co_worker_ids": [unit_holder_id] })
                }
                "co-worked" if holds_cases => json!({ "co_worker_ids": [subject_id] }),
                _ => json!({}),
            };
            let case = open_case(&app, token, &client, extra).await;
            // A goal and a referral out on each case, for the probes of their own paths.
            let (id, _) = id_and_version(&case);
            let goal = post(
                &app,
                token,
                &format!("/api/cases/{id}/goals"),
                json!({ "description": "改善親子溝通", "target_date": "2027-06-30" }),
            )
            .await;
            let referral = post(
                &app,
                token,
                &format!("/api/cases/{id}/referrals"),
                crate::referrals::referral_out(),
            )
            .await;
            assert_eq!(referral.status, StatusCode::CREATED, "{}", referral.json());
            let ids = (
                goal.json()["id"].as_str().unwrap().to_owned(),
                referral.json()["id"].as_str().unwrap().to_owned(),
            );
            cases.push((case, ids));
        }

        let listed = app.get("/api/cases?per_page=100", &subject).await;
        for ((relation, (case, (goal_id, referral_id))), reach) in
            RELATIONS.iter().zip(&cases).zip(expected(role))
        {
            let (id, version) = id_and_version(case);
            let path = format!("/api/cases/{id}");
            let cell = format!("{} x {relation}", role.as_str());
            let (read, write, in_list) = match reach {
                Reach::Works => (StatusCode::OK, StatusCode::CONFLICT, true),
                Reach::Reads => (StatusCode::OK, StatusCode::FORBIDDEN, true),
                Reach::Hidden => (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND, false),
                Reach::HiddenFromReader => (StatusCode::NOT_FOUND, StatusCode::FORBIDDEN, false),
                Reach::Forbidden => (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN, false),
            };
            assert_eq!(app.get(&path, &subject).await.status, read, "GET {cell}");
            let notes = app.get(&format!("{path}/notes"), &subject).await;
            assert_eq!(notes.status, read, "GET notes {cell}");
            let note = json!({ "contact_at": "2026-11-02T10:30:00", "contact_type": "phone",
                "duration_minutes": 15, "narrative": "電話跟進" });
            let wrote = post(&app, &subject, &format!("{path}/notes"), note).await;
            let expected_note = if write == StatusCode::CONFLICT {
                StatusCode::CREATED
            } else {
                write
            };
            assert_eq!(wrote.status, expected_note, "POST notes {cell}");
            for part in ["plan", "referrals"] {
                let reply = app.get(&format!("{path}/{part}"), &subject).await;
                assert_eq!(reply.status, read, "GET {part} {cell}");
            }
            let additions = [
                (
                    "goals",
                    json!({ "description": "建立支援網絡", "target_date": "2027-06-30" }),
                ),
                ("referrals", crate::referrals::referral_out()),
            ];
            for (part, body) in additions {
                let added = post(&app, &subject, &format!("{path}/{part}"), body).await;
                assert_eq!(added.status, expected_note, "POST {part} {cell}");
            }
            if reach == Reach::Forbidden {
                assert_eq!(listed.status, StatusCode::FORBIDDEN, "list {cell}");
            } else {
                let items = listed.json()["items"].clone();
                let listed_here = items
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["id"] == id.as_str());
                assert_eq!(listed_here, in_list, "list {cell}");
            }
            // Changes carry a stale version: a user who may change the case gets the
            // version conflict (and nothing changes), anyone else is stopped before it.
            let stale = version - 1;
            let changes = [
                (
                    Method::PUT,
                    path.clone(),
                    json!({ "case_type": "brief_supportive", "referral_source": "self", "version": stale }),
                ),
                (
                    Method::POST,
                    format!("{path}/state"),
                    json!({ "to": "waiting", "version": stale }),
                ),
                (
                    Method::POST,
                    format!("{path}/closure"),
                    json!({ "closure_reason": "other", "closing_summary": "x", "version": stale }),
                ),
                (
                    Method::POST,
                    format!("{path}/transfer"),
                    json!({ "to_worker_id": unit_holder_id, "reason": "x", "version": stale }),
                ),
                // The plan is not written yet (version 0), the goal and referral are at 1.
                (Method::PUT, format!("{path}/plan"), json!({ "version": 5 })),
                (
                    Method::POST,
                    format!("{path}/reviews"),
                    json!({ "summary": "x", "next_review_on": "2099-01-01", "version": 5 }),
                ),
                (
                    Method::PUT,
                    format!("/api/case-goals/{goal_id}"),
                    json!({ "description": "x", "target_date": "2027-06-30", "version": 0 }),
                ),
                (
                    Method::POST,
                    format!("/api/referrals/{referral_id}/consent"),
                    json!({ "consented_by_name": "x", "consented_by": "client",
                        "consent_scope": "x", "version": 0 }),
                ),
                (
                    Method::POST,
                    format!("/api/referrals/{referral_id}/send"),
                    json!({ "follow_up_due": "2099-01-01", "version": 0 }),
                ),
                (
                    Method::POST,
                    format!("/api/referrals/{referral_id}/outcome"),
                    json!({ "status": "accepted", "outcome": "x", "version": 0 }),
                ),
            ];
            for (method, change_path, body) in changes {
                let reply = app
                    .send(method.clone(), &change_path, &subject, &body)
                    .await;
                assert_eq!(reply.status, write, "{method} {change_path} {cell}");
            }
            // Deciding a closure is a supervisor's: with none pending, one who reaches
            // the case is told so.
            let decision = post(
                &app,
                &subject,
                &format!("{path}/closure/decision"),
                json!({ "decision": "approved" }),
            )
            .await;
            let expected_decision = match (role, reach) {
                (Role::Supervisor, Reach::Works) => StatusCode::CONFLICT,
                (Role::Supervisor, _) => StatusCode::NOT_FOUND,
                _ => StatusCode::FORBIDDEN,
            };
            assert_eq!(decision.status, expected_decision, "decision {cell}");
            // Sharing is a supervisor's too: one who reaches the case is told the user
            // is no worker of its unit, or that there is no such share.
            let shared = post(
                &app,
                &subject,
                &format!("{path}/shares"),
                json!({ "user_id": "nobody" }),
            )
            .await;
            let unshared = app
                .send(
                    Method::DELETE,
                    &format!("{path}/shares/nobody"),
                    &subject,
                    &json!({}),
                )
                .await;
            let (expected_share, expected_unshare) = match (role, reach) {
                (Role::Supervisor, Reach::Works) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, StatusCode::NOT_FOUND)
                }
                (Role::Supervisor, _) => (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND),
                _ => (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
            };
            assert_eq!(shared.status, expected_share, "share {cell}");
            assert_eq!(unshared.status, expected_unshare, "unshare {cell}");
        }
    }
    assert_eq!(
        app.count("case_events WHERE kind <> 'registered'"),
        0,
        "no probe changed a case"
    );
    assert_eq!(
        app.count("case_plans") + app.count("case_reviews"),
        0,
        "no probe wrote a plan"
    );
    assert_eq!(
        app.count("case_goals WHERE version > 1") + app.count("referrals WHERE version > 1"),
        0,
        "no probe changed a goal or a referral"
    );
}

async fn the_homes_show_the_work_waiting(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let quiet = app.register(&worker, "袁家樂", "YUEN Ka Lok").await;
    let busy = app.register(&worker, "麥詠詩", "MAK Wing Sze").await;
    let quiet_case = open_case(
        &app,
        &worker,
        &quiet,
        json!({ "effective_on": "2025-01-06" }),
    )
    .await;
    let busy_case = open_case(
        &app,
        &worker,
        &busy,
        json!({ "effective_on": "2025-01-06", "case_type": "brief_supportive" }),
    )
    .await;
    let (busy_id, busy_version) = id_and_version(&busy_case);
    let contact_at = (chrono::Utc::now() + chrono::Duration::hours(8) - chrono::Duration::days(1))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let noted = post(
        &app,
        &worker,
        &format!("/api/cases/{busy_id}/notes"),
        json!({ "contact_at": contact_at, "contact_type": "phone", "duration_minutes": 10, "narrative": "電話跟進" }),
    )
    .await;
    assert_eq!(noted.status, StatusCode::CREATED, "{}", noted.json());

    let home = app.get("/api/casework/home", &worker).await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.json());
    let home = home.json();
    assert_eq!(home["open_cases"], 2);
    let overdue: Vec<&str> = home["notes_overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, vec![quiet_case["case"]["id"].as_str().unwrap()]);
    assert_eq!(home["note_due_days"], 30);
    assert!(
        home["closures_waiting"].as_array().unwrap().is_empty(),
        "a worker approves nothing"
    );

    post(
        &app,
        &worker,
        &format!("/api/cases/{busy_id}/closure"),
        json!({ "closure_reason": "goals_achieved", "closing_summary": "完成", "version": busy_version }),
    )
    .await;
    let home = app.get("/api/casework/home", &supervisor).await.json();
    assert_eq!(home["closures_waiting"][0]["id"], busy_id.as_str());
    assert_eq!(home["open_cases"], 2, "the centre's");
    let load = &home["caseload"][0];
    assert_eq!(load["worker"]["display_name"], "陳美玲 Chan Mei Ling");
    assert_eq!(load["in_depth_counselling"], 1);
    assert_eq!(load["brief_supportive"], 1);
    assert_eq!(load["weighted"], 3.0, "in-depth counts twice by default");
    assert!(home["reviews_due"].as_array().unwrap().is_empty());

    // A review due today and a referral whose follow-up day has passed.
    let quiet_id = quiet_case["case"]["id"].as_str().unwrap();
    let today = crate::case_plans::day(0);
    let planned = app
        .send(
            Method::PUT,
            &format!("/api/cases/{quiet_id}/plan"),
            &worker,
            &json!({ "next_review_on": today, "version": 0 }),
        )
        .await;
    assert_eq!(planned.status, StatusCode::OK, "{}", planned.json());
    let referral = post(
        &app,
        &worker,
        &format!("/api/cases/{quiet_id}/referrals"),
        crate::referrals::referral_out(),
    )
    .await
    .json();
    let referral_id = referral["id"].as_str().unwrap();
    post(
        &app,
        &worker,
        &format!("/api/referrals/{referral_id}/consent"),
        json!({ "consented_by_name": "袁家樂", "consented_by": "client",
            "consent_scope": "轉介資料", "consented_on": crate::case_plans::day(-30), "version": 1 }),
    )
    .await;
    let sent = post(
        &app,
        &worker,
        &format!("/api/referrals/{referral_id}/send"),
        json!({ "sent_on": crate::case_plans::day(-30), "follow_up_due": crate::case_plans::day(-1), "version": 2 }),
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.json());
    for token in [&worker, &supervisor] {
        let home = app.get("/api/casework/home", token).await.json();
        assert_eq!(home["reviews_due"][0]["case"]["id"], quiet_id);
        assert_eq!(home["reviews_due"][0]["next_review_on"], today);
        let due = &home["referrals_follow_up"][0];
        assert_eq!(due["referral_id"], referral_id);
        assert_eq!(due["case"]["id"], quiet_id);
        assert_eq!(due["follow_up_due"], crate::case_plans::day(-1));
        assert_eq!(due["status"], "sent");
    }
    let elsewhere = app
        .get("/api/casework/home", &app.login("worker2").await)
        .await
        .json();
    assert!(elsewhere["reviews_due"].as_array().unwrap().is_empty());
    assert!(elsewhere["referrals_follow_up"]
        .as_array()
        .unwrap()
        .is_empty());
    let answered = post(
        &app,
        &worker,
        &format!("/api/referrals/{referral_id}/outcome"),
        json!({ "status": "declined", "outcome": "名額已滿", "version": 3 }),
    )
    .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.json());
    let home = app.get("/api/casework/home", &worker).await.json();
    assert!(
        home["referrals_follow_up"].as_array().unwrap().is_empty(),
        "an answered referral waits for nobody"
    );
    let analyst = app.login("analyst").await;
    assert_eq!(
        app.get("/api/casework/home", &analyst).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn a_case_is_handed_within_the_agency(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let directory = app.get("/api/casework/directory", &worker).await;
    assert_eq!(directory.status, StatusCode::OK, "{}", directory.json());
    let directory = directory.json();
    let codes: Vec<&str> = directory["centres"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        vec!["HFS-KT", "HFS-SSP"],
        "the agency's centres only"
    );
    let names: Vec<&str> = directory["caseworkers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["梁志明 Leung Chi Ming", "陳美玲 Chan Mei Ling"]);
}

async fn a_sensitive_case_withholds_the_phone_from_the_unassigned(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let client = app.register(&worker, "鄧麗珊", "TANG Lai Shan").await;
    let partner = app.register(&worker, "鄧志強", "TANG Chi Keung").await;
    let plain = app.register(&worker, "鄧美儀", "TANG Mei Yi").await;
    open_case(
        &app,
        &worker,
        &client,
        json!({ "sensitive": true, "member_ids": [partner], "nature_codes": ["spouse_battering"] }),
    )
    .await;

    for person in [&client, &partner] {
        let seen = app
            .get(&format!("/api/clients/{person}"), &worker)
            .await
            .json();
        assert_eq!(seen["phone"], "91234567", "the assigned worker sees it");
        assert_eq!(seen["contact_withheld"], false);
        let seen = app
            .get(&format!("/api/clients/{person}"), &supervisor)
            .await
            .json();
        assert_eq!(seen["phone"], "", "the unassigned supervisor does not");
        assert_eq!(seen["contact_withheld"], true);
    }
    let listed = app
        .get("/api/clients?per_page=100", &supervisor)
        .await
        .json();
    let found = post(
        &app,
        &supervisor,
        "/api/clients/search",
        json!({ "q": "tang" }),
    )
    .await
    .json();
    assert_eq!(found["total"], 3, "{found}");
    for row in [listed["items"].as_array(), found["items"].as_array()]
        .into_iter()
        .flat_map(Option::unwrap)
    {
        let withheld = row["id"] == client.as_str() || row["id"] == partner.as_str();
        assert_eq!(row["contact_withheld"], withheld, "{row}");
        assert_eq!(row["phone"] == "", withheld, "{row}");
    }
    let plain_row = app
        .get(&format!("/api/clients/{plain}"), &supervisor)
        .await
        .json();
    assert_eq!(
        plain_row["phone"], "91234567",
        "no sensitive case, nothing withheld"
    );

    let mut edit = crate::helpers::client_form("鄧麗珊", "TANG Lai Shan");
    edit["phone"] = json!("6000 0000");
    edit["version"] = json!(1);
    let refused = app
        .send(
            Method::PUT,
            &format!("/api/clients/{client}"),
            &supervisor,
            &edit,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["code"], "contact_withheld");
    let kept = app
        .get(&format!("/api/clients/{client}"), &worker)
        .await
        .json();
    assert_eq!(kept["phone"], "91234567", "nothing was overwritten");
}

async fn a_supervisor_shows_a_case_to_a_worker_of_its_unit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.add_user(
        "colleague",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    let support_id = app.add_user(
        "support-worker",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilySupport),
    );
    let holder = app.login("colleague").await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let worker_id = app.user_id(&worker).await;
    let client = app.register(&holder, "溫子謙", "WAN Tsz Him").await;
    let case = open_case(&app, &holder, &client, json!({})).await;
    let (id, _) = id_and_version(&case);
    let path = format!("/api/cases/{id}");
    assert_eq!(app.get(&path, &worker).await.status, StatusCode::NOT_FOUND);

    let outside = post(
        &app,
        &supervisor,
        &format!("{path}/shares"),
        json!({ "user_id": support_id }),
    )
    .await;
    assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(outside.json()["fields"]["user_id"]["code"], "not_in_unit");
    assert_eq!(
        post(
            &app,
            &worker,
            &format!("{path}/shares"),
            json!({ "user_id": worker_id })
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "a worker shares nothing"
    );

    let shared = post(
        &app,
        &supervisor,
        &format!("{path}/shares"),
        json!({ "user_id": worker_id }),
    )
    .await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.json());
    assert_eq!(shared.json()["shared_with"][0]["id"], worker_id.as_str());
    let seen = app.get(&path, &worker).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json()["may_edit"], false);
    let note = json!({ "contact_at": "2026-11-02T10:30:00", "contact_type": "phone",
        "duration_minutes": 15, "narrative": "電話跟進" });
    assert_eq!(
        post(&app, &worker, &format!("{path}/notes"), note)
            .await
            .status,
        StatusCode::FORBIDDEN,
        "shared to read, not to write"
    );
    assert_eq!(
        app.get(&format!("/api/clients/{client}"), &worker)
            .await
            .status,
        StatusCode::OK,
        "the client follows the case"
    );

    let unshared = app
        .send(
            Method::DELETE,
            &format!("{path}/shares/{worker_id}"),
            &supervisor,
            &json!({}),
        )
        .await;
    assert_eq!(unshared.status, StatusCode::OK);
    assert_eq!(app.get(&path, &worker).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action IN ('case.share', 'case.unshare') AND entity_id = '{id}'"
        )),
        2
    );
}

/// A worker's case list, most recently changed first, follows each change to a case.
async fn a_worker_s_case_list_follows_their_cases_as_they_change(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let held_before = app.get("/api/cases", &worker).await.json()["total"]
        .as_i64()
        .unwrap();
    let mother = app.register(&worker, "陳小芬", "CHAN Siu Fan").await;
    let son = app.register(&worker, "李浩然", "LEE Ho Yin").await;
    let older = open_case(
        &app,
        &worker,
        &mother,
        json!({ "state": "enquiry", "effective_on": "2026-01-05" }),
    )
    .await;
    let newer = open_case(&app, &worker, &son, json!({})).await;
    let (older_id, version) = id_and_version(&older);
    let (newer_id, _) = id_and_version(&newer);
    let page = app.get("/api/cases", &worker).await.json();
    assert_eq!(case_ids(&page)[..2], [newer_id.clone(), older_id.clone()]);
    assert_eq!(page["total"], held_before + 2);

    let waiting = post(
        &app,
        &worker,
        &format!("/api/cases/{older_id}/state"),
        json!({ "to": "waiting", "effective_on": "2026-01-06", "version": version }),
    )
    .await;
    assert_eq!(waiting.status, StatusCode::OK, "{}", waiting.json());
    let page = app.get("/api/cases", &worker).await.json();
    assert_eq!(case_ids(&page)[..2], [older_id, newer_id]);
    assert_eq!(
        page["items"][0]["updated_at"],
        waiting.json()["case"]["updated_at"]
    );
    assert_eq!(page["total"], held_before + 2);
}
