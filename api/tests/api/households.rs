//! Households: recording one around a client, members joining and leaving, moves that
//! keep their history, reach through the members' records, the address withheld on a
//! sensitive case.

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_household_is_recorded_around_a_client,
    a_move_ends_the_old_membership_and_keeps_it,
    the_principal_stays_and_a_person_joins_once,
    a_household_is_reached_through_its_members,
    a_bad_household_is_refused_by_field,
);

fn household_form(principal: &str) -> Value {
    json!({
        "principal_client_id": principal,
        "district": "F",
        "address": "深水埗北河街 18 號 3 樓 B 室",
        "household_type": "single_parent",
        "housing_type": "subdivided_unit",
        "cssa_status": "receiving",
        "cssa_case_type": "single_parent",
        "income_band": "under_6000",
    })
}

async fn record(app: &TestApp, token: &str, principal: &str) -> Value {
    let reply = app
        .send(
            Method::POST,
            "/api/households",
            token,
            &household_form(principal),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()
}

async fn join(
    app: &TestApp,
    token: &str,
    household: &Value,
    client: &str,
    body: Value,
) -> crate::helpers::Reply {
    let mut body = body;
    body["client_id"] = json!(client);
    app.send(
        Method::POST,
        &format!(
            "/api/households/{}/members",
            household["id"].as_str().unwrap()
        ),
        token,
        &body,
    )
    .await
}

fn member_ids(household: &Value, present: bool) -> Vec<String> {
    household["members"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["left_on"].is_null() == present)
        .map(|m| m["client_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_household_is_recorded_around_a_client(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let mother = app.register(&worker, "何淑儀", "HO Suk Yi").await;
    let son = app.register(&worker, "何俊傑", "HO Chun Kit").await;
    let household = record(&app, &worker, &mother).await;
    assert_eq!(household["members"][0]["relationship"], "principal");
    assert_eq!(household["address"], "深水埗北河街 18 號 3 樓 B 室");
    assert_eq!(household["cssa_case_type"], "single_parent");

    let joined = join(
        &app,
        &worker,
        &household,
        &son,
        json!({ "relationship": "child", "joined_on": "2020-05-01" }),
    )
    .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.json());
    let joined = joined.json();
    assert_eq!(member_ids(&joined, true), vec![mother.clone(), son.clone()]);
    assert_eq!(joined["members"][1]["relationship"], "child");

    let of_son = app
        .get(&format!("/api/clients/{son}/household"), &worker)
        .await;
    assert_eq!(of_son.status, StatusCode::OK);
    assert_eq!(of_son.json()["household"]["id"], joined["id"]);

    let mut edit = household_form(&mother);
    edit.as_object_mut().unwrap().remove("principal_client_id");
    edit["housing_type"] = json!("public_rental");
    edit["version"] = json!(1);
    let path = format!("/api/households/{}", household["id"].as_str().unwrap());
    let edited = app.send(Method::PUT, &path, &worker, &edit).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    assert_eq!(edited.json()["housing_type"], "public_rental");
    let stale = app.send(Method::PUT, &path, &worker, &edit).await;
    assert_eq!(
        stale.status,
        StatusCode::CONFLICT,
        "the version read is stale now"
    );
    assert_eq!(
        app.count(
            "audit_log WHERE action IN ('household.create', 'household.join', 'household.update')"
        ),
        3
    );
}

async fn a_move_ends_the_old_membership_and_keeps_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let father = app.register(&worker, "李志偉", "LEE Chi Wai").await;
    let grandmother = app.register(&worker, "李陳氏", "LEE CHAN Shi").await;
    let daughter = app.register(&worker, "李詠琪", "LEE Wing Ki").await;
    let first = record(&app, &worker, &father).await;
    let second = record(&app, &worker, &grandmother).await;
    let joined = join(
        &app,
        &worker,
        &first,
        &daughter,
        json!({ "relationship": "child", "joined_on": "2019-01-01" }),
    )
    .await;
    assert_eq!(joined.status, StatusCode::OK);

    let early = join(
        &app,
        &worker,
        &second,
        &daughter,
        json!({ "relationship": "grandchild", "joined_on": "2018-06-01" }),
    )
    .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        early.json()["fields"]["joined_on"]["code"],
        "before_present"
    );

    let moved = join(
        &app,
        &worker,
        &second,
        &daughter,
        json!({ "relationship": "grandchild", "joined_on": "2024-09-01" }),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.json());
    assert_eq!(
        member_ids(&moved.json(), true),
        vec![grandmother.clone(), daughter.clone()]
    );

    let first_now = app
        .get(
            &format!("/api/households/{}", first["id"].as_str().unwrap()),
            &worker,
        )
        .await
        .json();
    assert_eq!(member_ids(&first_now, true), vec![father.clone()]);
    assert_eq!(
        member_ids(&first_now, false),
        vec![daughter.clone()],
        "her stay is history"
    );
    let past = first_now["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["client_id"] == daughter.as_str())
        .unwrap()
        .clone();
    assert_eq!(past["joined_on"], "2019-01-01");
    assert_eq!(past["left_on"], "2024-09-01");

    let hers = app
        .get(&format!("/api/clients/{daughter}/household"), &worker)
        .await
        .json();
    assert_eq!(hers["household"]["id"], second["id"]);
    assert_eq!(hers["earlier"][0]["household_id"], first["id"]);
    assert_eq!(hers["earlier"][0]["left_on"], "2024-09-01");
}

async fn the_principal_stays_and_a_person_joins_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let wife = app.register(&worker, "張美華", "CHEUNG Mei Wah").await;
    let husband = app.register(&worker, "黃國強", "WONG Kwok Keung").await;
    let household = record(&app, &worker, &wife).await;
    let id = household["id"].as_str().unwrap();
    assert_eq!(
        join(
            &app,
            &worker,
            &household,
            &husband,
            json!({ "relationship": "spouse_partner" })
        )
        .await
        .status,
        StatusCode::OK
    );
    let again = join(
        &app,
        &worker,
        &household,
        &husband,
        json!({ "relationship": "spouse_partner" }),
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["code"], "already_member");
    let second_principal = join(
        &app,
        &worker,
        &household,
        &husband,
        json!({ "relationship": "principal" }),
    )
    .await;
    assert_eq!(second_principal.status, StatusCode::UNPROCESSABLE_ENTITY);

    let leave = |client: &str| format!("/api/households/{id}/members/{client}/leave");
    let stays = app
        .send(Method::POST, &leave(&wife), &worker, &json!({}))
        .await;
    assert_eq!(stays.status, StatusCode::CONFLICT);
    assert_eq!(stays.json()["code"], "principal_stays");
    let early = app
        .send(
            Method::POST,
            &leave(&husband),
            &worker,
            &json!({ "left_on": "2000-01-01" }),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(early.json()["fields"]["left_on"]["code"], "before_joining");
    let left = app
        .send(Method::POST, &leave(&husband), &worker, &json!({}))
        .await;
    assert_eq!(left.status, StatusCode::OK, "{}", left.json());
    assert_eq!(member_ids(&left.json(), false), vec![husband.clone()]);
    let gone = app
        .send(Method::POST, &leave(&husband), &worker, &json!({}))
        .await;
    assert_eq!(
        gone.status,
        StatusCode::NOT_FOUND,
        "no present membership to end"
    );
}

async fn a_household_is_reached_through_its_members(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other_centre = app.login("worker2").await;
    let supervisor = app.login("supervisor").await;
    let client = app.register(&worker, "馮家偉", "FUNG Ka Wai").await;
    let household = record(&app, &worker, &client).await;
    let path = format!("/api/households/{}", household["id"].as_str().unwrap());
    assert_eq!(
        app.get(&path, &other_centre).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&path, &supervisor).await.status, StatusCode::OK);
    let theirs = app.register(&other_centre, "馮小明", "FUNG Siu Ming").await;
    let foreign = join(
        &app,
        &worker,
        &household,
        &theirs,
        json!({ "relationship": "child" }),
    )
    .await;
    assert_eq!(
        foreign.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another centre's client is unknown here"
    );
    assert_eq!(
        foreign.json()["fields"]["client_id"]["code"],
        "unknown_client"
    );
    let analyst = app.login("analyst").await;
    assert_eq!(app.get(&path, &analyst).await.status, StatusCode::FORBIDDEN);

    // The address goes with the phone: withheld from whoever is not assigned to a
    // member's sensitive case.
    let opened = app
        .send(
            Method::POST,
            "/api/cases",
            &worker,
            &json!({ "client_id": client, "case_type": "in_depth_counselling", "referral_source": "police",
                "nature_codes": ["spouse_battering"], "sensitive": true }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::CREATED, "{}", opened.json());
    let seen = app.get(&path, &supervisor).await.json();
    assert_eq!(seen["address"], "");
    assert_eq!(seen["address_withheld"], true);
    let seen = app.get(&path, &worker).await.json();
    assert_eq!(seen["address"], "深水埗北河街 18 號 3 樓 B 室");
    let mut edit = household_form(&client);
    edit.as_object_mut().unwrap().remove("principal_client_id");
    edit["version"] = json!(1);
    let refused = app.send(Method::PUT, &path, &supervisor, &edit).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["code"], "contact_withheld");
}

async fn a_bad_household_is_refused_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let reply = app
        .send(
            Method::POST,
            "/api/households",
            &worker,
            &json!({ "district": "F", "cssa_status": "receiving", "housing_type": "castle" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.json());
    assert!(
        reply.json()["fields"].get("housing_type").is_some(),
        "{}",
        reply.json()
    );
    let client = app.register(&worker, "甲", "A").await;
    let mut form = household_form(&client);
    form["cssa_case_type"] = Value::Null;
    form["household_type"] = Value::Null;
    let reply = app
        .send(Method::POST, "/api/households", &worker, &form)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = reply.json()["fields"].clone();
    assert!(fields.get("cssa_case_type").is_some(), "{fields}");
    assert!(fields.get("household_type").is_some(), "{fields}");
    assert_eq!(app.count("households"), 0, "nothing half-written");
}
