use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::activities::group;
use crate::cases::open_case;
use crate::helpers::{Backend, TestApp};

crate::on_both_backends!(
    the_platform_admin_keeps_the_case_natures,
    a_retired_nature_stays_where_it_was_and_is_offered_no_more,
    taxonomy_edits_are_checked_and_never_overwrite_each_other,
    themes_and_models_are_kept_the_same_way_and_name_activities,
);

fn gambling_debt() -> Value {
    json!({ "nature_codes": ["gambling_debt"] })
}

fn codes(natures: &Value) -> Vec<String> {
    natures
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["code"].as_str().unwrap().to_owned())
        .collect()
}

fn nature<'a>(natures: &'a Value, code: &str) -> &'a Value {
    natures
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == code)
        .unwrap()
}

async fn add_gambling_debt(app: &TestApp, admin: &str) -> Value {
    let reply = app
        .send(
            Method::POST,
            "/api/case-natures",
            admin,
            &json!({ "code": "gambling_debt", "name_zh": "賭債", "name_en": " Gambling  debt " }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()
}

async fn the_platform_admin_keeps_the_case_natures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let worker = app.login("worker").await;
    // Everyone signed in reads the taxonomy; only the platform's admin changes it.
    let before = app.get("/api/case-natures", &worker).await.json();
    assert_eq!(codes(&before)[0], "marital_conflict");
    let refused = app
        .send(
            Method::POST,
            "/api/case-natures",
            &worker,
            &json!({ "code": "gambling_debt", "name_zh": "賭債", "name_en": "Gambling debt" }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let added = add_gambling_debt(&app, &admin).await;
    assert_eq!(added["name_en"], "Gambling debt");
    assert_eq!(added["active"], true);
    let natures = app.get("/api/case-natures", &worker).await.json();
    assert_eq!(codes(&natures).last().unwrap(), "gambling_debt");

    // Renamed, and moved up one place past the nature before it.
    let renamed = app
        .send(
            Method::PUT,
            "/api/case-natures/gambling_debt",
            &admin,
            &json!({ "name_zh": "賭博債務", "name_en": "Gambling debt", "active": true, "version": 1 }),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.json());
    assert_eq!(renamed.json()["name_zh"], "賭博債務");
    assert_eq!(renamed.json()["version"], 2);
    let last_but_one = codes(&natures)[natures.as_array().unwrap().len() - 2].clone();
    let moved = app
        .send(
            Method::POST,
            "/api/case-natures/gambling_debt/move",
            &admin,
            &json!({ "direction": "up", "version": 2 }),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.json());
    let order = codes(&moved.json());
    let at = order.iter().position(|c| c == "gambling_debt").unwrap();
    assert_eq!(order[at + 1], last_but_one);
    assert_eq!(order.len(), codes(&natures).len());

    // A worker opens a case with it, by its code.
    let client = app.register(&worker, "何家明", "HO Ka Ming").await;
    open_case(&app, &worker, &client, gambling_debt()).await;
    assert_eq!(app.count("audit_log WHERE action LIKE 'case_nature.%'"), 3);
}

async fn a_retired_nature_stays_where_it_was_and_is_offered_no_more(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let worker = app.login("worker").await;
    add_gambling_debt(&app, &admin).await;
    let client = app.register(&worker, "何家明", "HO Ka Ming").await;
    let opened = open_case(&app, &worker, &client, gambling_debt()).await;
    let retired = app
        .send(
            Method::PUT,
            "/api/case-natures/gambling_debt",
            &admin,
            &json!({ "name_zh": "賭債", "name_en": "Gambling debt", "active": false, "version": 1 }),
        )
        .await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.json());
    let natures = app.get("/api/case-natures", &worker).await.json();
    assert_eq!(nature(&natures, "gambling_debt")["active"], false);

    // The case keeps it, even when saved again with it.
    let case = &opened["case"];
    let path = format!("/api/cases/{}", case["id"].as_str().unwrap());
    let read = app.get(&path, &worker).await.json();
    assert_eq!(read["case"]["nature_codes"], json!(["gambling_debt"]));
    let mut update = json!({
        "case_type": "brief_supportive",
        "referral_source": "self",
        "nature_codes": ["gambling_debt", "financial"],
        "version": read["case"]["version"],
    });
    let kept = app.send(Method::PUT, &path, &worker, &update).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.json());

    // A new case cannot take it.
    let other = app.register(&worker, "何家寶", "HO Ka Po").await;
    let refused = app
        .send(
            Method::POST,
            "/api/cases",
            &worker,
            &json!({
                "client_id": other,
                "case_type": "brief_supportive",
                "referral_source": "self",
                "nature_codes": ["gambling_debt"],
            }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json()["fields"]["nature_codes"]["code"],
        "unknown_nature"
    );
    update["version"] = kept.json()["case"]["version"].clone();
    update["nature_codes"] = json!(["financial"]);
    assert_eq!(
        app.send(Method::PUT, &path, &worker, &update).await.status,
        StatusCode::OK
    );
}

async fn taxonomy_edits_are_checked_and_never_overwrite_each_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let bad = app
        .send(
            Method::POST,
            "/api/case-natures",
            &admin,
            &json!({ "code": "Gambling-Debt", "name_zh": "", "name_en": "Gambling debt" }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"]["code"]["code"], "invalid_code");
    assert_eq!(bad.json()["fields"]["name_zh"]["code"], "required");

    let taken = app
        .send(
            Method::POST,
            "/api/case-natures",
            &admin,
            &json!({ "code": "emotional", "name_zh": "情緒", "name_en": "Mood" }),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(taken.json()["code"], "duplicate_code");
    let same_name = app
        .send(
            Method::POST,
            "/api/case-natures",
            &admin,
            &json!({ "code": "mood", "name_zh": "情緒問題", "name_en": "Mood" }),
        )
        .await;
    assert_eq!(same_name.status, StatusCode::CONFLICT);
    assert_eq!(same_name.json()["code"], "duplicate_name");
    assert_eq!(
        same_name.json()["fields"]["name_zh"]["code"],
        "duplicate_name"
    );

    // Two admins edit at once: the second, at the old version, is refused.
    let body = |name_en: &str| json!({ "name_zh": "情緒問題", "name_en": name_en, "active": true, "version": 1 });
    let first = app
        .send(
            Method::PUT,
            "/api/case-natures/emotional",
            &admin,
            &body("Emotional difficulties"),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.json());
    let second = app
        .send(
            Method::PUT,
            "/api/case-natures/emotional",
            &admin,
            &body("Emotions"),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert_eq!(second.json()["code"], "version_conflict");
    let stale_move = app
        .send(
            Method::POST,
            "/api/case-natures/emotional/move",
            &admin,
            &json!({ "direction": "down", "version": 1 }),
        )
        .await;
    assert_eq!(stale_move.json()["code"], "version_conflict");
    let top = app
        .send(
            Method::POST,
            "/api/case-natures/marital_conflict/move",
            &admin,
            &json!({ "direction": "up", "version": 1 }),
        )
        .await;
    assert_eq!(top.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(top.json()["fields"]["direction"]["code"], "cannot_move");
    let unknown = app
        .send(
            Method::PUT,
            "/api/case-natures/no_such_nature",
            &admin,
            &body("Anything"),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let natures = app.get("/api/case-natures", &admin).await.json();
    assert_eq!(
        nature(&natures, "emotional")["name_en"],
        "Emotional difficulties"
    );
    assert_eq!(app.count("audit_log WHERE action LIKE 'case_nature.%'"), 1);
}

async fn themes_and_models_are_kept_the_same_way_and_name_activities(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let worker = app.login("worker").await;
    let themes = app.get("/api/education-themes", &worker).await.json();
    assert_eq!(codes(&themes)[0], "marriage_preparation");
    assert_eq!(
        app.get("/api/no-such-list", &worker).await.status,
        StatusCode::NOT_FOUND
    );

    // A model is added and moved past its neighbour: the models' places stay unique.
    let added = app
        .send(
            Method::POST,
            "/api/intervention-models",
            &admin,
            &json!({ "code": "family_therapy", "name_zh": "家庭治療", "name_en": "Family therapy" }),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let moved = app
        .send(
            Method::POST,
            "/api/intervention-models/family_therapy/move",
            &admin,
            &json!({ "direction": "up", "version": 1 }),
        )
        .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.json());
    let order = codes(&moved.json());
    assert_eq!(&order[order.len() - 2..], ["family_therapy", "other"]);

    // An activity about a family life education theme alone is well themed.
    let mut talk = group(&app.user_id(&worker).await, 20);
    talk["theme_codes"] = json!([]);
    talk["education_theme_codes"] = json!(["parent_education"]);
    talk["intervention_model"] = json!("family_therapy");
    let created = app
        .send(Method::POST, "/api/activities", &worker, &talk)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json());
    assert_eq!(
        created.json()["education_theme_codes"],
        json!(["parent_education"])
    );
    assert_eq!(created.json()["theme_codes"], json!([]));

    // Retired, the theme and the model stay on that activity but name no new one.
    for (list, code, name_zh, name_en) in [
        (
            "education-themes",
            "parent_education",
            "親職教育",
            "Parent education",
        ),
        (
            "intervention-models",
            "family_therapy",
            "家庭治療",
            "Family therapy",
        ),
    ] {
        let version =
            nature(&app.get(&format!("/api/{list}"), &admin).await.json(), code)["version"].clone();
        let retired = app
            .send(
                Method::PUT,
                &format!("/api/{list}/{code}"),
                &admin,
                &json!({ "name_zh": name_zh, "name_en": name_en, "active": false, "version": version }),
            )
            .await;
        assert_eq!(retired.status, StatusCode::OK, "{}", retired.json());
    }
    let refused = app
        .send(Method::POST, "/api/activities", &worker, &talk)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.json()["fields"].clone();
    assert_eq!(fields["education_theme_codes"]["code"], "unknown_theme");
    assert_eq!(
        fields["intervention_model"]["code"],
        "unknown_intervention_model"
    );
    let mut kept = talk.clone();
    kept["version"] = created.json()["version"].clone();
    let path = format!("/api/activities/{}", created.json()["id"].as_str().unwrap());
    let saved = app.send(Method::PUT, &path, &worker, &kept).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());

    // Without any theme, the activity names the field to fill.
    talk["education_theme_codes"] = json!([]);
    talk["intervention_model"] = json!(null);
    let themeless = app
        .send(Method::POST, "/api/activities", &worker, &talk)
        .await;
    assert_eq!(
        themeless.json()["fields"]["theme_codes"]["code"],
        "required"
    );
    assert_eq!(
        app.count("audit_log WHERE action LIKE 'intervention_model.%'"),
        3
    );
    assert_eq!(
        app.count("audit_log WHERE action LIKE 'education_theme.%'"),
        1
    );
}
