//! `GET /api/clients/matches`: the same person registered before, found while a
//! registration form is filled. The demo data gives each centre a 陳大文 (CHAN Tai Man).

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{client_form, Backend, TestApp};

crate::on_both_backends!(
    the_issues_names_are_found_in_every_script,
    the_same_hkid_scores_highest,
    phone_and_date_of_birth_are_reasons,
    another_centres_client_is_never_offered,
    bad_input_is_a_4xx_naming_the_field,
    the_search_is_audited_without_its_values,
    keys_follow_edits_and_are_added_for_clients_registered_before,
);

async fn matches(app: &TestApp, token: &str, params: &[(&str, &str)]) -> Value {
    let reply = app
        .get(
            &format!(
                "/api/clients/matches?{}",
                serde_urlencoded::to_string(params).unwrap()
            ),
            token,
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "{params:?}: {}",
        String::from_utf8_lossy(&reply.bytes)
    );
    reply.json()
}

fn candidates(found: &Value) -> &Vec<Value> {
    found["candidates"].as_array().unwrap()
}

fn names_zh(found: &Value) -> Vec<&str> {
    candidates(found)
        .iter()
        .map(|c| c["client"]["name_zh"].as_str().unwrap())
        .collect()
}

fn reasons(candidate: &Value) -> Vec<&str> {
    candidate["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect()
}

async fn create(app: &TestApp, token: &str, form: &Value) -> Value {
    let reply = app.send(Method::POST, "/api/clients", token, form).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    reply.json()
}

async fn centre_of(app: &TestApp, token: &str) -> String {
    app.get("/api/me", token).await.json()["centre"]["id"]
        .as_str()
        .expect("centre")
        .to_owned()
}

async fn the_issues_names_are_found_in_every_script(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let centre = centre_of(&app, &token).await;
    for (params, reason) in [
        (&[("name_en", "Chen Da Wen")][..], "name_cross_script"),
        (&[("name_en", "CHAN, Tai-man")], "name_en"),
        (&[("name_en", "Tai Man CHAN")], "name_en"),
        (&[("name_zh", "陳大文")], "name_zh"),
        (&[("name_zh", "陈大文")], "name_zh"),
    ] {
        let found = matches(&app, &token, params).await;
        assert_eq!(names_zh(&found), vec!["陳大文"], "{params:?}: {found}");
        let best = &candidates(&found)[0];
        assert_eq!(best["client"]["centre_id"], centre.as_str());
        assert!(reasons(best).contains(&reason), "{params:?}: {best}");
        assert!(best["score"].as_f64().unwrap() >= 0.9, "{best}");
        assert_eq!(found["threshold"], 0.7);
    }
    let found = matches(&app, &token, &[("name_en", "Wong Siu Ming")]).await;
    assert!(!names_zh(&found).contains(&"陳大文"), "{found}");
}

async fn the_same_hkid_scores_highest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let mut with_hkid = client_form("馮志偉", "FUNG Chi Wai");
    with_hkid["hkid"] = json!("A123456(3)");
    let holder = create(&app, &token, &with_hkid).await;
    // The same name, birthday and phone, registered without an HKID.
    create(&app, &token, &client_form("馮志偉", "FUNG Chi Wai")).await;
    let params = [
        ("name_en", "Fung Chi Wai"),
        ("date_of_birth", "1985-03-14"),
        ("phone", "91234567"),
        ("hkid", "A123456(3)"),
    ];
    let found = matches(&app, &token, &params).await;
    let list = candidates(&found);
    assert_eq!(list.len(), 2, "{found}");
    assert_eq!(list[0]["client"]["id"], holder["id"]);
    assert_eq!(list[0]["score"], 1.0);
    assert_eq!(reasons(&list[0])[0], "hkid");
    assert!(list[1]["score"].as_f64().unwrap() < 1.0);
    assert!(!reasons(&list[1]).contains(&"hkid"));
    // The HKID alone finds its holder; the masked number is all that comes back.
    let found = matches(&app, &token, &[("hkid", "a123456(3)")]).await;
    assert_eq!(candidates(&found).len(), 1);
    assert_eq!(candidates(&found)[0]["client"]["hkid_masked"], "A123***(*)");
    assert!(!found.to_string().to_uppercase().contains("A123456"));
}

async fn phone_and_date_of_birth_are_reasons(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let mut form = client_form("蘇美玲", "SO Mei Ling");
    form["phone"] = json!("2345 6789");
    form["date_of_birth"] = json!("1972-08-09");
    let client = create(&app, &token, &form).await;

    let found = matches(&app, &token, &[("phone", "+852 2345-6789")]).await;
    assert_eq!(candidates(&found).len(), 1, "{found}");
    assert_eq!(candidates(&found)[0]["client"]["id"], client["id"]);
    assert_eq!(reasons(&candidates(&found)[0]), vec!["phone"]);

    let found = matches(
        &app,
        &token,
        &[("name_en", "So Mei Ling"), ("date_of_birth", "1972-08-09")],
    )
    .await;
    assert_eq!(
        reasons(&candidates(&found)[0]),
        vec!["name_en", "date_of_birth"]
    );
    // The same name but another birthday and phone is shown lower, if at all.
    let elsewhere = matches(
        &app,
        &token,
        &[
            ("name_en", "So Mei Ling"),
            ("date_of_birth", "1990-01-01"),
            ("phone", "98765432"),
        ],
    )
    .await;
    assert!(candidates(&elsewhere).is_empty(), "{elsewhere}");
    // A relative sharing the phone is not offered as the same person.
    let relative = matches(
        &app,
        &token,
        &[("name_en", "Wong Siu Ming"), ("phone", "23456789")],
    )
    .await;
    assert!(candidates(&relative).is_empty(), "{relative}");
}

async fn another_centres_client_is_never_offered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let other = app.login("worker2").await;
    let mut form = client_form("區詠芝", "AU Wing Chi");
    form["hkid"] = json!("B234567(1)");
    form["phone"] = json!("6111 2222");
    create(&app, &other, &form).await;
    let token = app.login("worker").await;
    let centre = centre_of(&app, &token).await;
    let found = matches(
        &app,
        &token,
        &[
            ("name_zh", "區詠芝"),
            ("name_en", "AU Wing Chi"),
            ("hkid", "B234567(1)"),
            ("phone", "61112222"),
            ("date_of_birth", "1985-03-14"),
        ],
    )
    .await;
    assert!(candidates(&found).is_empty(), "{found}");
    // Every centre has a 陳大文: only the worker's own is offered.
    let found = matches(&app, &token, &[("name_en", "Chan Tai Man")]).await;
    assert!(!candidates(&found).is_empty());
    for candidate in candidates(&found) {
        assert_eq!(candidate["client"]["centre_id"], centre.as_str());
    }
    // Roles without client records are refused, whatever they send.
    let analyst = app.login("analyst").await;
    let reply = app.get("/api/clients/matches?name_en=Chan", &analyst).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

async fn bad_input_is_a_4xx_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let long_name = "陳".repeat(51);
    for (query, status, field, code) in [
        (
            "date_of_birth=1980-13-01".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "date_of_birth",
            "invalid_date",
        ),
        (
            "date_of_birth=2999-01-01".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "date_of_birth",
            "date_in_future",
        ),
        (
            "phone=1234".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "phone",
            "invalid_phone",
        ),
        (
            "hkid=A123456(4)".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "hkid",
            "hkid_check_digit",
        ),
        (
            serde_urlencoded::to_string([("name_zh", &long_name)]).unwrap(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name_zh",
            "too_long",
        ),
        (
            "name_en=".to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "name_en",
            "one_required",
        ),
        (
            "nickname=Ah%20Man".to_owned(),
            StatusCode::BAD_REQUEST,
            "nickname",
            "invalid_query",
        ),
    ] {
        let reply = app
            .get(&format!("/api/clients/matches?{query}"), &token)
            .await;
        assert_eq!(reply.status, status, "{query}");
        let body = reply.json();
        assert!(body["fields"][field].is_object(), "{query}: {body}");
        assert_eq!(body["fields"][field]["code"], code, "{query}: {body}");
    }
}

async fn the_search_is_audited_without_its_values(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    matches(
        &app,
        &token,
        &[("name_en", "Chan Tai Man"), ("hkid", "C345678(A)")],
    )
    .await;
    #[derive(diesel::QueryableByName)]
    struct Detail {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }
    app.reads.flush();
    let rows: Vec<Detail> = diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT detail FROM audit_log WHERE action = 'client.match'"),
        &mut *app.conn(),
    )
    .unwrap();
    assert_eq!(rows.len(), 1);
    let detail: Value = serde_json::from_str(&rows[0].detail).unwrap();
    assert_eq!(detail["given"], json!(["name_en", "hkid"]));
    assert_eq!(detail["shown"], 1);
    let text = rows[0].detail.to_lowercase();
    assert!(!text.contains("345678") && !text.contains("chan"), "{text}");
}

async fn keys_follow_edits_and_are_added_for_clients_registered_before(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let created = create(&app, &token, &client_form("", "MAK Wing Kei")).await;
    let mut form = client_form("麥永基", "MAK Wing Kei");
    form["version"] = created["version"].clone();
    let path = format!("/api/clients/{}", created["id"].as_str().unwrap());
    let reply = app.send(Method::PUT, &path, &token, &form).await;
    assert_eq!(reply.status, StatusCode::OK);
    let found = matches(&app, &token, &[("name_zh", "麦永基")]).await;
    assert_eq!(names_zh(&found), vec!["麥永基"], "{found}");

    // A client whose keys are missing (registered before they were kept) is found by
    // name again once the server has migrated.
    app.execute("DELETE FROM client_name_keys");
    let found = matches(&app, &token, &[("name_en", "Mak Wing Kei")]).await;
    assert!(candidates(&found).is_empty(), "{found}");
    let keyed = api::clients::service::index_unindexed(&mut app.conn()).unwrap();
    assert_eq!(keyed as i64, app.count("clients"));
    let found = matches(&app, &token, &[("name_en", "Mak Wing Kei")]).await;
    assert_eq!(names_zh(&found), vec!["麥永基"], "{found}");
    assert_eq!(
        api::clients::service::index_unindexed(&mut app.conn()).unwrap(),
        0
    );
}
