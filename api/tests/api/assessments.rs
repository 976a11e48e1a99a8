use actix_web::http::{Method, StatusCode};
use common::identity::{Role, Unit};
use serde_json::{json, Value};

use crate::activities::group;
use crate::cases::open_case;
use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(
    answers_are_scored_without_being_kept,
    a_worker_assesses_within_their_case_and_only_those_who_reach_it_see_it,
    a_group_member_is_assessed_within_the_group,
    a_family_answers_once_through_a_link_and_sees_nothing_else,
    an_alert_waits_for_whoever_follows_it_up,
    an_agency_adds_its_own_instrument_and_only_its_centres_use_it,
    every_assessment_read_is_listed_filtered_and_the_links_to_chase_beside_them,
);

/// DASS-21 answers: depression 14 (moderate), anxiety 8 (mild), stress 14 (normal), with
/// item 21 (depression) left out: its six answers are prorated.
fn dass21() -> Value {
    let mut answers = serde_json::Map::new();
    for (item, value) in [
        (1, 1),
        (6, 1),
        (8, 1),
        (11, 1),
        (12, 1),
        (14, 1),
        (18, 1),
        (2, 1),
        (4, 1),
        (7, 1),
        (9, 1),
        (15, 0),
        (19, 0),
        (20, 0),
        (3, 1),
        (5, 1),
        (10, 1),
        (13, 1),
        (16, 1),
        (17, 1),
        (21, -1),
    ] {
        answers.insert(
            item.to_string(),
            if value < 0 { Value::Null } else { json!(value) },
        );
    }
    Value::Object(answers)
}

/// PHQ-9 answers: item 9 (thoughts of self-harm) at `ninth`, the others at `rest`.
fn phq9(ninth: i64, rest: i64) -> serde_json::Map<String, Value> {
    (1..=9)
        .map(|item| {
            (
                item.to_string(),
                json!(if item == 9 { ninth } else { rest }),
            )
        })
        .collect()
}

fn scale<'a>(scoring: &'a Value, code: &str) -> &'a Value {
    scoring["scales"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == code)
        .unwrap()
}

async fn answers_are_scored_without_being_kept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let scored = app
        .send(
            Method::POST,
            "/api/assessments/score",
            &worker,
            &json!({ "instrument": "dass21", "answers": dass21() }),
        )
        .await;
    assert_eq!(scored.status, StatusCode::OK, "{}", scored.json());
    let scoring = scored.json();
    let depression = scale(&scoring, "depression");
    assert_eq!(depression["score"], 14.0);
    assert_eq!(depression["prorated"], true);
    assert_eq!(depression["band"]["code"], "moderate");
    assert_eq!(scale(&scoring, "anxiety")["band"]["code"], "mild");
    assert_eq!(scale(&scoring, "stress")["band"]["code"], "normal");

    let phq9 = phq9(1, 0);
    let alert = app
        .send(
            Method::POST,
            "/api/assessments/score",
            &worker,
            &json!({ "instrument": "phq9", "answers": phq9 }),
        )
        .await
        .json();
    assert_eq!(alert["alerts"][0]["code"], "suicide_risk");

    let bad = app
        .send(
            Method::POST,
            "/api/assessments/score",
            &worker,
            &json!({ "instrument": "phq9", "answers": { "10": 1, "1": 7 } }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"]["answers.10"]["code"], "unknown_item");
    assert_eq!(bad.json()["fields"]["answers.1"]["code"], "invalid_answer");
    let unknown = app
        .send(
            Method::POST,
            "/api/assessments/score",
            &worker,
            &json!({ "instrument": "bdi2", "answers": {} }),
        )
        .await;
    assert_eq!(
        unknown.json()["fields"]["instrument"]["code"],
        "unknown_instrument"
    );

    let instruments = app.get("/api/instruments", &worker).await.json();
    assert_eq!(instruments.as_array().unwrap().len(), 10);
    let who5 = app.get("/api/instruments/who5", &worker).await.json();
    assert_eq!(who5["items"].as_array().unwrap().len(), 5);
    assert_eq!(app.count("assessments"), 0);
}

async fn a_worker_assesses_within_their_case_and_only_those_who_reach_it_see_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "何家明", "HO Ka Ming").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let case_id = case["case"]["id"].as_str().unwrap().to_owned();
    let form = |answers: Value| {
        json!({
            "client_id": client, "case_id": case_id, "instrument": "dass21",
            "stage": "pre", "administered_on": "2026-11-30", "answers": answers,
        })
    };
    let given = app
        .send(Method::POST, "/api/assessments", &worker, &form(dass21()))
        .await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.json());
    let assessment = given.json();
    let id = assessment["id"].as_str().unwrap().to_owned();
    assert_eq!(assessment["instrument"]["code"], "dass21");
    assert_eq!(assessment["stage"], "pre");
    assert_eq!(
        assessment["administered_by"]["display_name"],
        "陳美玲 Chan Mei Ling"
    );
    assert_eq!(
        scale(&assessment["scoring"], "depression")["band"]["code"],
        "moderate"
    );
    // The scores are kept beside the answers, exactly, for queries.
    assert_eq!(
        app.count(
            "assessment_scores WHERE scale = 'depression' AND score_milli = 14000 AND prorated"
        ),
        1
    );
    assert_eq!(app.count("audit_log WHERE action = 'assessment.create'"), 1);

    // Bad forms name their field and keep nothing.
    let stranger = app.register(&worker, "王小玲", "WONG Siu Ling").await;
    let mut not_in_case = form(dass21());
    not_in_case["client_id"] = json!(stranger);
    let refused = app
        .send(Method::POST, "/api/assessments", &worker, &not_in_case)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json()["fields"]["client_id"]["code"],
        "not_taking_part"
    );
    let mut future = form(dass21());
    future["administered_on"] = json!("2999-01-01");
    future["stage"] = json!(null);
    let refused = app
        .send(Method::POST, "/api/assessments", &worker, &future)
        .await;
    assert_eq!(
        refused.json()["fields"]["administered_on"]["code"],
        "date_in_future"
    );
    assert_eq!(refused.json()["fields"]["stage"]["code"], "required");
    let empty = app
        .send(
            Method::POST,
            "/api/assessments",
            &worker,
            &form(json!({ "1": null })),
        )
        .await;
    assert_eq!(empty.json()["fields"]["answers"]["code"], "required");
    assert_eq!(app.count("assessments"), 1);

    // Another worker of the centre reaches neither the case nor its assessments; the
    // supervisor reaches both; an agency admin reads no assessment at all.
    app.add_user(
        "colleague",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    let colleague = app.login("colleague").await;
    let path = format!("/api/assessments/{id}");
    assert_eq!(
        app.get(&path, &colleague).await.status,
        StatusCode::NOT_FOUND
    );
    let refused = app
        .send(
            Method::POST,
            "/api/assessments",
            &colleague,
            &form(dass21()),
        )
        .await;
    assert_eq!(refused.json()["fields"]["case_id"]["code"], "unknown_case");
    let supervisor = app.login("supervisor").await;
    let list = app
        .get(&format!("/api/clients/{client}/assessments"), &supervisor)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.json());
    assert_eq!(list.json()[0]["id"], id.as_str());
    assert_eq!(app.get(&path, &supervisor).await.status, StatusCode::OK);
    let of_case = app
        .get(&format!("/api/cases/{case_id}/assessments"), &worker)
        .await
        .json();
    assert_eq!(of_case[0]["client_name"], "何家明 HO Ka Ming");
    assert_eq!(
        app.get(&format!("/api/cases/{case_id}/assessments"), &colleague)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let agency_admin = app.login("agency-admin").await;
    assert_eq!(
        app.get(&path, &agency_admin).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("audit_log WHERE action = 'assessment.list'"), 2);
}

async fn a_group_member_is_assessed_within_the_group(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let me = app.user_id(&worker).await;
    let created = app
        .send(Method::POST, "/api/activities", &worker, &group(&me, 10))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json());
    let activity_id = created.json()["id"].as_str().unwrap().to_owned();
    let member = app.register(&worker, "陳小明", "CHAN Siu Ming").await;
    let outsider = app.register(&worker, "李美儀", "LEE Mei Yi").await;
    let enrolled = app
        .send(
            Method::POST,
            &format!("/api/activities/{activity_id}/enrolments"),
            &worker,
            &json!({ "client_id": member }),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED);
    let form = |client: &str| {
        json!({
            "client_id": client, "activity_id": activity_id, "instrument": "apgar",
            "stage": "post", "answers": { "1": 2, "2": 2, "3": 1, "4": 1, "5": 1 },
        })
    };
    let given = app
        .send(Method::POST, "/api/assessments", &worker, &form(&member))
        .await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.json());
    assert_eq!(
        scale(&given.json()["scoring"], "total")["band"]["code"],
        "highly_functional"
    );
    let refused = app
        .send(Method::POST, "/api/assessments", &worker, &form(&outsider))
        .await;
    assert_eq!(
        refused.json()["fields"]["client_id"]["code"],
        "not_taking_part"
    );
    // A worker of another centre does not reach the group.
    let elsewhere = app.login("worker2").await;
    let refused = app
        .send(Method::POST, "/api/assessments", &elsewhere, &form(&member))
        .await;
    assert_eq!(
        refused.json()["fields"]["activity_id"]["code"],
        "unknown_group"
    );
}

async fn a_family_answers_once_through_a_link_and_sees_nothing_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "何家明", "HO Ka Ming").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let case_id = case["case"]["id"].as_str().unwrap().to_owned();
    let made = app
        .send(
            Method::POST,
            "/api/assessment-links",
            &worker,
            &json!({ "client_id": client, "case_id": case_id, "instrument": "phq9", "stage": "mid" }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    let path = made.json()["path"].as_str().unwrap().to_owned();
    let token = path.strip_prefix("/answer/").unwrap().to_owned();
    assert_eq!(token.len(), 43, "256 random bits");
    assert_eq!(
        app.count(&format!("assessment_links WHERE token_hash = '{token}'")),
        0
    );

    // Opened without an account: the questionnaire and who asks, nothing of the record.
    let address = format!("/api/self-completion/{token}");
    let opened = app.raw(Method::GET, &address, None, None).await;
    assert_eq!(opened.status, StatusCode::OK);
    let body = opened.json();
    assert_eq!(body["instrument"]["code"], "phq9");
    assert_eq!(body["centre_name_en"], "Harbour Sham Shui Po IFSC");
    let text = body.to_string();
    assert!(!text.contains("何家明") && !text.contains(&client) && !text.contains(&case_id));
    let wrong = app
        .raw(Method::GET, "/api/self-completion/not-a-token", None, None)
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);

    let answers = phq9(2, 1);
    let send = |consent: bool| {
        serde_json::to_vec(&json!({ "consent": consent, "answers": answers.clone() })).unwrap()
    };
    let refused = app
        .raw(Method::POST, &address, None, Some(send(false)))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["fields"]["consent"]["code"], "required");
    let sent = app
        .raw(Method::POST, &address, None, Some(send(true)))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.json());
    assert_eq!(sent.json()["needs_support"], true);
    assert_eq!(
        sent.json().as_object().unwrap().len(),
        1,
        "no scores to the family"
    );

    // Once only: used links say so plainly, and nothing more is kept.
    let again = app
        .raw(Method::POST, &address, None, Some(send(true)))
        .await;
    assert_eq!(again.status, StatusCode::GONE);
    assert_eq!(again.error_code(), "link_used");
    assert_eq!(
        app.raw(Method::GET, &address, None, None)
            .await
            .error_code(),
        "link_used"
    );
    assert_eq!(app.count("assessments"), 1);
    assert_eq!(
        app.count("assessment_alerts WHERE alert = 'suicide_risk'"),
        1
    );

    // The worker sees it on the case, answered by the family, with the alert.
    let of_case = app
        .get(&format!("/api/cases/{case_id}/assessments"), &worker)
        .await
        .json();
    assert_eq!(of_case[0]["administered_by"], Value::Null);
    assert_eq!(of_case[0]["stage"], "mid");
    assert_eq!(of_case[0]["scoring"]["alerts"][0]["code"], "suicide_risk");
    assert_eq!(
        app.count("audit_log WHERE action = 'assessment.self_complete' AND actor_id IS NULL"),
        1
    );

    // An expired link says so.
    let expired = app
        .send(
            Method::POST,
            "/api/assessment-links",
            &worker,
            &json!({ "client_id": client, "case_id": case_id, "instrument": "gad7", "stage": "post" }),
        )
        .await
        .json();
    let expired_token = expired["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/answer/")
        .unwrap()
        .to_owned();
    let expire = format!(
        "UPDATE assessment_links SET expires_at = created_at WHERE id = '{}'",
        expired["id"].as_str().unwrap()
    );
    app.execute(&expire);
    let gone = app
        .raw(
            Method::GET,
            &format!("/api/self-completion/{expired_token}"),
            None,
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.error_code(), "link_expired");
    let bad = app
        .send(
            Method::POST,
            "/api/assessment-links",
            &worker,
            &json!({ "client_id": client, "case_id": case_id, "instrument": "gad7", "stage": "post", "valid_days": 60 }),
        )
        .await;
    assert_eq!(bad.json()["fields"]["valid_days"]["code"], "out_of_range");
}

async fn an_alert_waits_for_whoever_follows_it_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "何家明", "HO Ka Ming").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let case_id = case["case"]["id"].as_str().unwrap().to_owned();
    let answers = phq9(1, 0);
    let given = app
        .send(
            Method::POST,
            "/api/assessments",
            &worker,
            &json!({ "client_id": client, "case_id": case_id, "instrument": "phq9", "stage": "pre", "answers": answers }),
        )
        .await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.json());
    let assessment_id = given.json()["id"].as_str().unwrap().to_owned();

    // The worker and the supervisor see it; a colleague of the centre does not.
    let supervisor = app.login("supervisor").await;
    for token in [&worker, &supervisor] {
        let open = app.get("/api/assessment-alerts", token).await.json();
        assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
        assert_eq!(open[0]["alert"], "suicide_risk");
        assert_eq!(open[0]["client_name"], "何家明 HO Ka Ming");
        assert_eq!(open[0]["case_id"], case_id.as_str());
    }
    app.add_user(
        "colleague",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    let colleague = app.login("colleague").await;
    assert_eq!(
        app.get("/api/assessment-alerts", &colleague).await.json(),
        json!([])
    );
    let form = |note: &str| json!({ "assessment_id": assessment_id, "alert": "suicide_risk", "note": note });
    let path = "/api/assessment-alerts/acknowledgements";
    let refused = app
        .send(Method::POST, path, &colleague, &form("Called"))
        .await;
    assert_eq!(refused.json()["fields"]["assessment_id"]["code"], "unknown");
    let empty = app.send(Method::POST, path, &worker, &form("  ")).await;
    assert_eq!(empty.json()["fields"]["note"]["code"], "required");

    // Acknowledged with what was done, it leaves every queue, once.
    let done = app
        .send(
            Method::POST,
            path,
            &worker,
            &form("Phoned the same day; safety plan agreed."),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json());
    assert_eq!(done.json(), json!([]));
    assert_eq!(
        app.get("/api/assessment-alerts", &supervisor).await.json(),
        json!([])
    );
    let again = app
        .send(Method::POST, path, &supervisor, &form("Again"))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "not_open");
    assert_eq!(
        app.count(
            "assessment_alerts WHERE acknowledgement = 'Phoned the same day; safety plan agreed.'"
        ),
        1
    );
    assert_eq!(
        app.count("audit_log WHERE action = 'assessment_alert.acknowledge'"),
        1
    );
}

/// An agency's own instrument: three items answered 0 to 2, summed, with two bands and
/// an alert on item 3.
pub fn parenting_stress(version: i64, item_one: &str) -> Value {
    let option =
        |value: i64, zh: &str, en: &str| json!({"value": value, "label_zh": zh, "label_en": en});
    let item =
        |number: u32, zh: &str, en: &str| json!({"number": number, "text_zh": zh, "text_en": en});
    json!({
        "code": "hfs_parenting", "version": version,
        "name_zh": "親職壓力簡量", "name_en": "Parenting stress check",
        "instructions_zh": "過去一個月，以下情況有多常出現？",
        "instructions_en": "In the past month, how often did the following happen?",
        "licence": "Harbour Family Services' own, for its centres.",
        "options": [option(0, "從不", "Never"), option(1, "有時", "Sometimes"), option(2, "經常", "Often")],
        "items": [
            item(1, "照顧孩子令我筋疲力盡", item_one),
            item(2, "我對孩子發脾氣", "I lose my temper with my child"),
            item(3, "我擔心會傷害孩子", "I worry I might hurt my child"),
        ],
        "scales": [{
            "code": "total", "name_zh": "總分", "name_en": "Total", "items": [1, 2, 3], "method": "sum",
            "bands": [
                {"min": 0, "code": "low", "name_zh": "低", "name_en": "Low", "severity": 0},
                {"min": 4, "code": "high", "name_zh": "高", "name_en": "High", "severity": 3},
            ],
        }],
        "alerts": [{
            "code": "harm_worry", "message_zh": "家長擔心會傷害孩子：請即跟進",
            "message_en": "The parent worries about hurting the child: follow up now",
            "when": [{"kind": "item_at_least", "item": 3, "value": 1}],
        }],
    })
}

async fn an_agency_adds_its_own_instrument_and_only_its_centres_use_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("agency-admin").await;
    let add = |body: Value| {
        let (app, admin) = (&app, admin.clone());
        async move {
            app.send(Method::POST, "/api/instruments", &admin, &body)
                .await
        }
    };

    // A definition that is not one, or breaks a rule, is refused naming where.
    let refused = add(json!({})).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(
        refused.json()["fields"].get("code").is_some(),
        "{}",
        refused.json()
    );
    let mut blank_item = parenting_stress(1, "");
    blank_item["scales"][0]["items"] = json!([1, 2, 9]);
    let refused = add(blank_item).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.json()["fields"].clone();
    assert_eq!(fields["items.0.text_en"]["code"], "required", "{fields}");
    assert_eq!(fields["scales.0.items.2"]["code"], "unknown_item");
    let mut shipped = parenting_stress(1, "Caring for my child wears me out");
    shipped["code"] = json!("phq9");
    assert_eq!(
        add(shipped).await.json()["fields"]["code"]["code"],
        "built_in_code"
    );
    assert_eq!(app.count("instruments"), 0);

    let added = add(parenting_stress(1, "Caring for my child wears me out")).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    assert_eq!(added.json()["built_in"], false);
    assert_eq!(app.count("audit_log WHERE action = 'instrument.add'"), 1);

    // The agency's workers find it beside the built-in ones, and use it.
    let worker = app.login("worker").await;
    let listed = app.get("/api/instruments", &worker).await.json();
    assert_eq!(listed.as_array().unwrap().len(), 11);
    assert_eq!(listed[10]["code"], "hfs_parenting");
    let scored = app
        .send(
            Method::POST,
            "/api/assessments/score",
            &worker,
            &json!({"instrument": "hfs_parenting", "answers": {"1": 2, "2": 1, "3": 1}}),
        )
        .await
        .json();
    assert_eq!(scored["scales"][0]["band"]["code"], "high", "{scored}");
    assert_eq!(scored["alerts"][0]["code"], "harm_worry");
    let client = app.register(&worker, "何家明", "HO Ka Ming").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let given = app
        .send(
            Method::POST,
            "/api/assessments",
            &worker,
            &json!({
                "client_id": client, "case_id": case["case"]["id"], "instrument": "hfs_parenting",
                "stage": "pre", "answers": {"1": 1, "2": 0, "3": 0},
            }),
        )
        .await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.json());
    let path = format!("/api/assessments/{}", given.json()["id"].as_str().unwrap());

    // A new version is numbered above the last; what was given under the old one is
    // still read under it.
    let stale = add(parenting_stress(1, "Looking after my child tires me out")).await;
    assert_eq!(
        stale.json()["fields"]["version"]["code"],
        "version_not_newer"
    );
    let raised = add(parenting_stress(2, "Looking after my child tires me out")).await;
    assert_eq!(raised.status, StatusCode::CREATED, "{}", raised.json());
    let latest = app
        .get("/api/instruments/hfs_parenting", &worker)
        .await
        .json();
    assert_eq!(latest["version"], 2);
    assert_eq!(
        latest["items"][0]["text_en"],
        "Looking after my child tires me out"
    );
    let read = app.get(&path, &worker).await.json();
    assert_eq!(read["instrument"]["version"], 1, "{read}");
    assert_eq!(read["scoring"]["scales"][0]["score"], 1.0);
    // An upload that read version 1 while another raised it to 2 writes nothing.
    {
        use api::assessments::store::{raise_instrument, NewInstrumentVersion};
        let mut conn = app.conn();
        let late = NewInstrumentVersion {
            code: "hfs_parenting".into(),
            version: 3,
            definition: parenting_stress(3, "x").to_string(),
            added_by: app.user_id(&admin).await,
            added_at: chrono::Utc::now().naive_utc(),
        };
        assert!(!raise_instrument(&mut conn, 1, &late).unwrap());
    }

    // Another agency neither sees nor takes it; a worker adds none.
    app.add_user("lrc-admin", &[Role::AgencyAdmin], "LRC", None, None);
    let other = app.login("lrc-admin").await;
    let taken = app
        .send(
            Method::POST,
            "/api/instruments",
            &other,
            &parenting_stress(3, "x"),
        )
        .await;
    assert_eq!(taken.json()["fields"]["code"]["code"], "code_taken");
    assert_eq!(
        app.get("/api/instruments/hfs_parenting", &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/instruments", &other)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        10
    );
    let refused = app
        .send(
            Method::POST,
            "/api/instruments",
            &worker,
            &parenting_stress(3, "x"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("instrument_versions"), 2);
}

async fn every_assessment_read_is_listed_filtered_and_the_links_to_chase_beside_them(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let client = app.register(&worker, "何家明", "HO Ka Ming").await;
    let case = open_case(&app, &worker, &client, json!({})).await;
    let case_id = case["case"]["id"].as_str().unwrap().to_owned();
    for (instrument, stage, on, answers) in [
        ("dass21", "pre", "2026-11-30", dass21()),
        ("phq9", "post", "2026-12-01", Value::Object(phq9(0, 1))),
    ] {
        let given = app
            .send(
                Method::POST,
                "/api/assessments",
                &worker,
                &json!({
                    "client_id": client, "case_id": case_id, "instrument": instrument,
                    "stage": stage, "administered_on": on, "answers": answers,
                }),
            )
            .await;
        assert_eq!(given.status, StatusCode::CREATED, "{}", given.json());
    }
    let made = app
        .send(
            Method::POST,
            "/api/assessment-links",
            &worker,
            &json!({ "client_id": client, "case_id": case_id, "instrument": "gad7", "stage": "mid" }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());

    // The latest first, each with its case by number, who gave it and its bands.
    let listed = app.get("/api/assessments", &worker).await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.json());
    let page = listed.json();
    assert_eq!(page["total"], 2);
    let first = &page["items"][0];
    assert_eq!(first["assessment"]["instrument"]["code"], "phq9");
    assert_eq!(first["assessment"]["client_name"], "何家明 HO Ka Ming");
    assert_eq!(first["place"]["kind"], "case");
    assert_eq!(first["place"]["case_number"], case["case"]["case_number"]);
    assert_eq!(
        first["assessment"]["administered_by"]["display_name"],
        "陳美玲 Chan Mei Ling"
    );
    assert_eq!(
        scale(&page["items"][1]["assessment"]["scoring"], "depression")["band"]["code"],
        "moderate"
    );
    let codes = |page: Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                item["assessment"]["instrument"]["code"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    for (filter, expected) in [
        ("instrument=dass21", vec!["dass21"]),
        ("stage=post", vec!["phq9"]),
        ("from=2026-12-01", vec!["phq9"]),
        ("to=2026-11-30", vec!["dass21"]),
        ("instrument=phq9&stage=pre", vec![]),
        ("per_page=1&page=2", vec!["dass21"]),
    ] {
        let reply = app
            .get(&format!("/api/assessments?{filter}"), &worker)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{filter}: {}", reply.json());
        assert_eq!(codes(reply.json()), expected, "{filter}");
    }

    // A bad filter names its parameter, and is never a server error.
    for (filter, status, field, code) in [
        (
            "from=2026-12-02&to=2026-12-01",
            StatusCode::UNPROCESSABLE_ENTITY,
            "to",
            "before_from",
        ),
        (
            "instrument=bdi2",
            StatusCode::UNPROCESSABLE_ENTITY,
            "instrument",
            "unknown_instrument",
        ),
        (
            "instrument=a%00b",
            StatusCode::BAD_REQUEST,
            "instrument",
            "invalid_characters",
        ),
        (
            "page=0",
            StatusCode::UNPROCESSABLE_ENTITY,
            "page",
            "out_of_range",
        ),
        ("stage=later", StatusCode::BAD_REQUEST, "stage", ""),
        ("from=yesterday", StatusCode::BAD_REQUEST, "from", ""),
    ] {
        let reply = app
            .get(&format!("/api/assessments?{filter}"), &worker)
            .await;
        assert_eq!(reply.status, status, "{filter}: {}", reply.json());
        let named = &reply.json()["fields"][field];
        assert!(named.is_object(), "{filter}: {}", reply.json());
        if !code.is_empty() {
            assert_eq!(named["code"], code, "{filter}");
        }
    }
    let bad_state = app.get("/api/assessment-links?state=lost", &worker).await;
    assert_eq!(bad_state.status, StatusCode::BAD_REQUEST);
    assert!(bad_state.json()["fields"]["state"].is_object());

    // The link waits, not expired, until the family answers; then it is answered.
    let pending = app.get("/api/assessment-links", &worker).await.json();
    assert_eq!(pending["total"], 1);
    let link = &pending["items"][0];
    assert_eq!(link["instrument"]["code"], "gad7");
    assert_eq!(link["client_name"], "何家明 HO Ka Ming");
    assert_eq!(link["place"]["case_number"], case["case"]["case_number"]);
    assert_eq!(link["expired"], false);
    assert_eq!(link["sent_by"]["display_name"], "陳美玲 Chan Mei Ling");
    assert!(!link.to_string().contains("/answer/"), "never the token");
    let token = made.json()["path"]
        .as_str()
        .unwrap()
        .strip_prefix("/answer/")
        .unwrap()
        .to_owned();
    let answers: serde_json::Map<String, Value> =
        (1..=7).map(|item| (item.to_string(), json!(1))).collect();
    let sent = app
        .raw(
            Method::POST,
            &format!("/api/self-completion/{token}"),
            None,
            Some(serde_json::to_vec(&json!({ "consent": true, "answers": answers })).unwrap()),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.json());
    let pending = app
        .get("/api/assessment-links?state=pending", &worker)
        .await
        .json();
    assert_eq!(pending["total"], 0);
    let answered = app
        .get("/api/assessment-links?state=answered", &worker)
        .await
        .json();
    assert_eq!(answered["total"], 1);
    assert!(answered["items"][0]["answered_at"].is_string());
    let page = app
        .get("/api/assessments?instrument=gad7", &worker)
        .await
        .json();
    assert_eq!(page["total"], 1);
    assert_eq!(
        page["items"][0]["assessment"]["administered_by"],
        Value::Null
    );

    // An expired link still waits, marked so.
    let stale = app
        .send(
            Method::POST,
            "/api/assessment-links",
            &worker,
            &json!({ "client_id": client, "case_id": case_id, "instrument": "who5", "stage": "post" }),
        )
        .await
        .json();
    app.execute(&format!(
        "UPDATE assessment_links SET expires_at = created_at WHERE id = '{}'",
        stale["id"].as_str().unwrap()
    ));
    let pending = app.get("/api/assessment-links", &worker).await.json();
    assert_eq!(pending["items"][0]["expired"], true);

    // The supervisor reads the centre's; a colleague not on the case, a worker of another
    // centre and an agency admin read none.
    let supervisor = app.login("supervisor").await;
    let all = app.get("/api/assessments", &supervisor).await.json();
    assert_eq!(all["total"], 3);
    assert_eq!(
        app.get("/api/assessment-links", &supervisor).await.json()["total"],
        1
    );
    app.add_user(
        "colleague",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    for username in ["colleague", "worker2"] {
        let token = app.login(username).await;
        let none = app.get("/api/assessments", &token).await;
        assert_eq!(none.status, StatusCode::OK, "{username}");
        assert_eq!(none.json()["total"], 0, "{username}");
        assert_eq!(
            app.get("/api/assessment-links", &token).await.json()["total"],
            0,
            "{username}"
        );
    }
    let agency_admin = app.login("agency-admin").await;
    assert_eq!(
        app.get("/api/assessments", &agency_admin).await.status,
        StatusCode::FORBIDDEN
    );
    // Every list read is audited; refused filters read nothing.
    assert_eq!(app.count("audit_log WHERE action = 'assessment.list'"), 11);
    assert_eq!(
        app.count("audit_log WHERE action = 'assessment_link.list'"),
        7
    );
}
