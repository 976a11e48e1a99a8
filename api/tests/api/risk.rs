//! Early identification of cases at risk: the indicator and its factors, the flags it
//! raises and clears as the records change, and the supervisor's review.

use actix_web::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::cases::open_case;
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_case_is_flagged_with_its_factors_and_a_supervisor_reviews_the_flag,
    a_flag_clears_when_the_case_no_longer_calls_for_it,
    the_rules_are_configuration,
    missed_group_sessions_raise_the_case_of_the_one_who_missed_them,
    the_household_s_strains_and_children_count_for_its_members_cases,
    a_supervisor_sees_the_cues_in_notes_that_no_nature_of_the_case_answers,
    a_case_is_not_read_while_a_write_that_marked_it_is_open,
);

fn factors(value: &Value) -> Vec<&str> {
    value["factors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["factor"].as_str().unwrap())
        .collect()
}

async fn risk(app: &TestApp, token: &str, case_id: &str) -> Value {
    let reply = app.get(&format!("/api/cases/{case_id}/risk"), token).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    reply.json()
}

/// PHQ-9 answers: item 9 at `ninth`, the others at `rest`.
fn phq9(client: &str, case_id: &str, ninth: i64, rest: i64) -> Value {
    let answers: serde_json::Map<String, Value> = (1..=9)
        .map(|item| {
            (
                item.to_string(),
                json!(if item == 9 { ninth } else { rest }),
            )
        })
        .collect();
    json!({"client_id": client, "case_id": case_id, "instrument": "phq9", "stage": "pre",
           "answers": answers})
}

async fn a_case_is_flagged_with_its_factors_and_a_supervisor_reviews_the_flag(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "陳美華", "CHAN Mei Wah").await;
    let case = open_case(
        &app,
        &worker,
        &client,
        json!({"nature_codes": ["spouse_battering", "emotional"]}),
    )
    .await;
    let case_id = case["case"]["id"].as_str().unwrap().to_owned();

    let now = risk(&app, &worker, &case_id).await;
    assert_eq!(now["reading"]["score"], 3);
    assert_eq!(now["reading"]["flagged"], false);
    assert_eq!(factors(&now["reading"]), ["violence"]);
    assert_eq!(
        now["reading"]["factors"][0]["evidence"][0]["en"],
        "Spouse or cohabitant battering"
    );
    assert_eq!(now["flags"], json!([]));
    assert_eq!(now["may_review"], false);

    // Severe on PHQ-9 (3 × 8 = 24): the case reaches the threshold.
    let given = app
        .send(
            Method::POST,
            "/api/assessments",
            &worker,
            &phq9(&client, &case_id, 0, 3),
        )
        .await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.json());
    let now = risk(&app, &worker, &case_id).await;
    assert_eq!(now["reading"]["score"], 5);
    assert_eq!(now["reading"]["flagged"], true);
    assert_eq!(factors(&now["reading"]), ["violence", "severe_band"]);
    let flag = &now["flags"][0];
    assert_eq!(flag["status"], "new");
    assert_eq!(flag["score"], 5);
    assert_eq!(factors(flag), ["violence", "severe_band"]);
    assert!(flag["factors"][1]["evidence"][0]["en"]
        .as_str()
        .unwrap()
        .contains("CHAN Mei Wah"));
    let flag_id = flag["id"].as_str().unwrap().to_owned();

    // It reaches the worker's list and the supervisor's queue.
    let mine = app.get("/api/risk-flags", &worker).await.json();
    assert_eq!(mine[0]["id"], flag_id.as_str());
    let supervisor = app.login("supervisor").await;
    let queue = app
        .get("/api/risk-flags?status=new", &supervisor)
        .await
        .json();
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(queue[0]["case_number"], case["case"]["case_number"]);
    assert_eq!(
        queue[0]["responsible_worker"]["id"],
        app.user_id(&worker).await.as_str()
    );
    assert_eq!(risk(&app, &supervisor, &case_id).await["may_review"], true);

    let review = format!("/api/risk-flags/{flag_id}/review");
    let by_worker = app.send(Method::POST, &review, &worker, &json!({})).await;
    assert_eq!(by_worker.status, StatusCode::FORBIDDEN);
    let empty = app
        .send(Method::POST, &review, &supervisor, &json!({}))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["fields"]["decision"]["code"], "required");
    assert_eq!(empty.json()["fields"]["version"]["code"], "required");
    let no_reason = app
        .send(
            Method::POST,
            &review,
            &supervisor,
            &json!({"decision": "dismiss", "version": 1}),
        )
        .await;
    assert_eq!(no_reason.json()["fields"]["reason"]["code"], "required");
    let stale = app
        .send(
            Method::POST,
            &review,
            &supervisor,
            &json!({"decision": "dismiss", "reason": "known_and_managed", "version": 7}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error_code(), "version_conflict");
    let dismissed = app
        .send(
            Method::POST,
            &review,
            &supervisor,
            &json!({"decision": "dismiss", "reason": "known_and_managed",
                    "note": "安全計劃已於上週訂立", "version": 1}),
        )
        .await;
    assert_eq!(dismissed.status, StatusCode::OK, "{}", dismissed.json());
    let dismissed = dismissed.json();
    assert_eq!(dismissed["status"], "dismissed");
    assert_eq!(dismissed["reason"], "known_and_managed");
    assert_eq!(dismissed["note"], "安全計劃已於上週訂立");
    assert_eq!(
        dismissed["reviewed_by"]["id"],
        app.user_id(&supervisor).await.as_str()
    );
    assert_eq!(dismissed["cleared_at"], Value::Null);
    let again = app
        .send(
            Method::POST,
            &review,
            &supervisor,
            &json!({"decision": "acknowledge", "version": 2}),
        )
        .await;
    assert_eq!(again.error_code(), "already_reviewed");
    assert_eq!(
        app.get("/api/risk-flags", &supervisor).await.json(),
        json!([])
    );
    let kept = app
        .get("/api/risk-flags?status=dismissed", &supervisor)
        .await
        .json();
    assert_eq!(kept[0]["id"], flag_id.as_str());

    // A new factor after the dismissal raises a new flag: the dismissal hides nothing new.
    let alert = app
        .send(
            Method::POST,
            "/api/assessments",
            &worker,
            &phq9(&client, &case_id, 1, 3),
        )
        .await;
    assert_eq!(alert.status, StatusCode::CREATED, "{}", alert.json());
    let queue = app.get("/api/risk-flags", &supervisor).await.json();
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(
        factors(&queue[0]),
        ["assessment_alert", "violence", "severe_band"]
    );
    let now = risk(&app, &worker, &case_id).await;
    assert_eq!(now["flags"].as_array().unwrap().len(), 2);
    assert_eq!(now["flags"][1]["status"], "dismissed");
    assert!(now["flags"][1]["cleared_at"].is_string());
    let acknowledged = app
        .send(
            Method::POST,
            &format!(
                "/api/risk-flags/{}/review",
                queue[0]["id"].as_str().unwrap()
            ),
            &supervisor,
            &json!({"decision": "acknowledge", "note": "已即時致電案主", "version": 1}),
        )
        .await;
    assert_eq!(acknowledged.json()["status"], "acknowledged");

    // Neither the centre's admin reviews, nor does an agency admin see the indicator.
    app.add_user(
        "ssp-admin",
        &[common::identity::Role::CentreAdmin],
        "HFS",
        Some("HFS-SSP"),
        None,
    );
    let admin = app.login("ssp-admin").await;
    assert_eq!(risk(&app, &admin, &case_id).await["may_review"], false);
    let agency = app.login("agency-admin").await;
    let hidden = app
        .get(&format!("/api/cases/{case_id}/risk"), &agency)
        .await;
    assert_eq!(hidden.status, StatusCode::FORBIDDEN);

    assert_eq!(app.count("audit_log WHERE action = 'risk_flag.raise'"), 2);
    assert_eq!(app.count("audit_log WHERE action = 'risk_flag.clear'"), 1);
    assert_eq!(app.count("audit_log WHERE action = 'risk_flag.review'"), 2);
}

async fn a_flag_clears_when_the_case_no_longer_calls_for_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "黃志強", "WONG Chi Keung").await;
    // Opened 60 days ago, never a contact since: past the 45 days allowed.
    let opened = (Utc::now() + Duration::hours(8) - Duration::days(60)).date_naive();
    let case = open_case(
        &app,
        &worker,
        &client,
        json!({"nature_codes": ["child_abuse"], "effective_on": opened}),
    )
    .await;
    let case_id = case["case"]["id"].as_str().unwrap().to_owned();
    let now = risk(&app, &worker, &case_id).await;
    assert_eq!(factors(&now["reading"]), ["abuse", "no_contact"]);
    assert_eq!(now["reading"]["flagged"], true);
    assert!(now["reading"]["factors"][1]["evidence"][0]["en"]
        .as_str()
        .unwrap()
        .starts_with("No contact recorded in the 60 days"));
    assert_eq!(now["flags"][0]["status"], "new");

    // A home visit today: the case no longer reaches the threshold.
    let today = (Utc::now() + Duration::hours(8)).format("%Y-%m-%dT%H:%M:%S");
    let note = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/notes"),
            &worker,
            &json!({"contact_at": today.to_string(), "contact_type": "home_visit",
                    "duration_minutes": 60, "participant_ids": [client],
                    "narrative": "家訪，了解近況。"}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{}", note.json());
    let supervisor = app.login("supervisor").await;
    assert_eq!(
        app.get("/api/risk-flags", &supervisor).await.json(),
        json!([])
    );
    let now = risk(&app, &worker, &case_id).await;
    assert_eq!(factors(&now["reading"]), ["abuse"]);
    assert_eq!(now["reading"]["flagged"], false);
    assert_eq!(now["flags"][0]["status"], "new", "never reviewed");
    assert!(now["flags"][0]["cleared_at"].is_string());
}

async fn the_rules_are_configuration(backend: Backend) {
    let app = TestApp::spawn_with(backend, |state| {
        state.risk_rules = common::risk::RiskRules::default()
            .with_weights("violence=6")
            .unwrap();
    })
    .await;
    let worker = app.login("worker").await;
    let rules = app.get("/api/risk/rules", &worker).await.json();
    assert_eq!(rules["threshold"], 5);
    let violence = rules["weights"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["factor"] == "violence")
        .unwrap();
    assert_eq!(violence["weight"], 6);
    let client = app.register(&worker, "李麗珍", "LEE Lai Chun").await;
    let case = open_case(
        &app,
        &worker,
        &client,
        json!({"nature_codes": ["sexual_violence"]}),
    )
    .await;
    let case_id = case["case"]["id"].as_str().unwrap();
    let now = risk(&app, &worker, case_id).await;
    assert_eq!(now["reading"]["score"], 6);
    assert_eq!(now["reading"]["flagged"], true);

    // Changing the natures marks the case to be read again.
    let changed = app
        .send(
            Method::PUT,
            &format!("/api/cases/{case_id}"),
            &worker,
            &json!({"case_type": "in_depth_counselling", "referral_source": "school_social_worker",
                    "nature_codes": ["emotional"], "version": case["case"]["version"]}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json());
    let now = risk(&app, &worker, case_id).await;
    assert_eq!(now["reading"]["score"], 0);
    assert!(now["flags"][0]["cleared_at"].is_string());
}

async fn missed_group_sessions_raise_the_case_of_the_one_who_missed_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let me = app.user_id(&worker).await;
    let client = app.register(&worker, "張家樂", "CHEUNG Ka Lok").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let case_id = case["case"]["id"].as_str().unwrap();
    let group = app
        .send(
            Method::POST,
            "/api/activities",
            &worker,
            &crate::activities::group(&me, 10),
        )
        .await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.json());
    let group_id = group.json()["id"].as_str().unwrap().to_owned();
    let first = (Utc::now() + Duration::hours(8) - Duration::days(20)).format("%Y-%m-%dT19:00:00");
    let sessions = app
        .send(
            Method::POST,
            &format!("/api/activities/{group_id}/sessions"),
            &worker,
            &json!({"starts_at": first.to_string(), "minutes": 90, "weeks": 3}),
        )
        .await;
    assert_eq!(sessions.status, StatusCode::CREATED, "{}", sessions.json());
    let enrolled = app
        .send(
            Method::POST,
            &format!("/api/activities/{group_id}/enrolments"),
            &worker,
            &json!({"client_id": client}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.json());
    for session in sessions.json()["sessions"].as_array().unwrap() {
        let roll = format!(
            "/api/activity-sessions/{}/roll-call",
            session["id"].as_str().unwrap()
        );
        let marked = app
            .send(
                Method::PUT,
                &roll,
                &worker,
                &json!({"marks": [{"client_id": client, "status": "absent", "version": 0}]}),
            )
            .await;
        assert_eq!(marked.status, StatusCode::OK, "{}", marked.json());
        // Read after each mark, so each mark must mark the case again.
        risk(&app, &worker, case_id).await;
    }
    let now = risk(&app, &worker, case_id).await;
    assert_eq!(factors(&now["reading"]), ["missed_sessions"]);
    assert_eq!(
        now["reading"]["factors"][0]["evidence"][0]["en"],
        "Single parents' mutual aid group: 張家樂 CHEUNG Ka Lok missed 3 sessions in a row"
    );
}

/// A single mother's household in a subdivided unit on CSSA: its id.
async fn household_under_strain(app: &TestApp, token: &str, mother: &str) -> String {
    let household = app
        .send(
            Method::POST,
            "/api/households",
            token,
            &json!({"principal_client_id": mother, "district": "F",
                    "address": "深水埗北河街 18 號", "household_type": "single_parent",
                    "housing_type": "subdivided_unit", "cssa_status": "receiving",
                    "cssa_case_type": "single_parent", "income_band": "under_6000"}),
        )
        .await;
    assert_eq!(
        household.status,
        StatusCode::CREATED,
        "{}",
        household.json()
    );
    household.json()["id"].as_str().unwrap().to_owned()
}

async fn the_household_s_strains_and_children_count_for_its_members_cases(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let mother = app.register(&worker, "麥秀英", "MAK Sau Ying").await;
    let case = open_case(&app, &worker, &mother, json!({})).await;
    let case_id = case["case"]["id"].as_str().unwrap();
    assert_eq!(risk(&app, &worker, case_id).await["reading"]["score"], 0);

    let household_id = household_under_strain(&app, &worker, &mother).await;
    let now = risk(&app, &worker, case_id).await;
    assert_eq!(factors(&now["reading"]), ["cssa", "housing"]);

    // A son of nine joins: the mother's case counts a child at home.
    let son = app
        .send(
            Method::POST,
            "/api/clients",
            &worker,
            &crate::helpers::client_form("麥子謙", "MAK Tsz Him"),
        )
        .await
        .json();
    let son_id = son["id"].as_str().unwrap().to_owned();
    let mut born = crate::helpers::client_form("麥子謙", "MAK Tsz Him");
    born["date_of_birth"] = json!("2017-03-01");
    born["version"] = json!(1);
    let edited = app
        .send(
            Method::PUT,
            &format!("/api/clients/{son_id}"),
            &worker,
            &born,
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    let joined = app
        .send(
            Method::POST,
            &format!("/api/households/{household_id}/members"),
            &worker,
            &json!({"client_id": son_id, "relationship": "child", "joined_on": "2020-05-01"}),
        )
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.json());
    let now = risk(&app, &worker, case_id).await;
    assert_eq!(
        factors(&now["reading"]),
        ["child_in_household", "cssa", "housing"]
    );
    assert_eq!(
        now["reading"]["factors"][0]["evidence"][0]["en"],
        "1 under 18 in the household"
    );

    // His date of birth corrected to an adult's: no child at home any more.
    born["date_of_birth"] = json!("2000-03-01");
    born["version"] = json!(2);
    let corrected = app
        .send(
            Method::PUT,
            &format!("/api/clients/{son_id}"),
            &worker,
            &born,
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.json());
    let now = risk(&app, &worker, case_id).await;
    assert_eq!(factors(&now["reading"]), ["cssa", "housing"]);
}

async fn a_supervisor_sees_the_cues_in_notes_that_no_nature_of_the_case_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let note = |narrative: &str| {
        json!({
            "contact_at": "2026-11-02T10:30:00",
            "contact_type": "office_interview",
            "duration_minutes": 60,
            "narrative": narrative,
        })
    };
    let narrative = "案主表示丈夫昨晚打她，這個月交唔到租。";
    let mut cases = Vec::new();
    for natures in [
        json!(["financial"]),
        json!(["spouse_battering", "financial"]),
    ] {
        let client = app.register(&worker, "黃美華", "WONG Mei Wah").await;
        let case = open_case(&app, &worker, &client, json!({ "nature_codes": natures })).await;
        let case_id = case["case"]["id"].as_str().unwrap().to_owned();
        let written = app
            .send(
                Method::POST,
                &format!("/api/cases/{case_id}/notes"),
                &worker,
                &note(narrative),
            )
            .await;
        assert_eq!(written.status, StatusCode::CREATED, "{}", written.json());
        cases.push((case_id, written.json()["id"].as_str().unwrap().to_owned()));
    }
    let reply = app.get("/api/risk/unmatched-cues", &supervisor).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    let list = reply.json();
    let lines: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["case_id"].as_str().unwrap(), l["cue"].as_str().unwrap()))
        .collect();
    // Violence in a case of financial difficulty alone; its financial crisis is answered.
    assert_eq!(lines, [(cases[0].0.as_str(), "violence")], "{list}");
    assert_eq!(list[0]["note_id"], cases[0].1.as_str());
    assert_eq!(list[0]["words"], json!(["打她"]));
    assert_eq!(list[0]["natures"], json!(["financial"]));
    assert_eq!(list[0]["client_name"], "黃美華 WONG Mei Wah");
    // The worker sees their own; another centre's worker none; an analyst may not ask.
    assert_eq!(
        app.get("/api/risk/unmatched-cues", &worker).await.json(),
        list
    );
    let other = app.login("worker2").await;
    assert_eq!(
        app.get("/api/risk/unmatched-cues", &other).await.json(),
        json!([])
    );
    let analyst = app.login("analyst").await;
    assert_eq!(
        app.get("/api/risk/unmatched-cues", &analyst).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("audit_log WHERE action = 'risk_cue.list'"), 3);
    // A case closed is off the list.
    app.execute(&format!(
        "UPDATE cases SET state = 'closed' WHERE id = '{}'",
        cases[0].0
    ));
    assert_eq!(
        app.get("/api/risk/unmatched-cues", &supervisor)
            .await
            .json(),
        json!([])
    );
}

/// A case marked already and marked again by a write still open: a reader (the risk worker
/// or the analytics model) that took the mark then would read the case without the write,
/// and nothing would mark it again. It must wait for the write or leave the mark.
async fn a_case_is_not_read_while_a_write_that_marked_it_is_open(backend: Backend) {
    let mut app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let mother = app.register(&worker, "麥秀英", "MAK Sau Ying").await;
    let case = open_case(&app, &worker, &mother, json!({})).await;
    let case_id = case["case"]["id"].as_str().unwrap().to_owned();
    let household_id = household_under_strain(&app, &worker, &mother).await;
    assert_eq!(
        factors(&risk(&app, &worker, &case_id).await["reading"]),
        ["cssa", "housing"]
    );
    app.execute(&format!(
        "UPDATE case_risks SET stale = TRUE, facts_stale = TRUE WHERE case_id = '{case_id}'"
    ));

    // The family moves to public housing, in a write that marks the case again.
    app.read_marks_while_written(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(format!(
            "UPDATE households SET housing_type = 'public_rental' WHERE id = '{household_id}'"
        ))
        .execute(conn)?;
        api::risk::store::touch_household(conn, &household_id)
    });
    app.assert_risk_kept();
    app.assert_model_kept();
    assert_eq!(
        factors(&risk(&app, &worker, &case_id).await["reading"]),
        ["cssa"]
    );
}
