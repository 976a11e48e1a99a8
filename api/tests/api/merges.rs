use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{client_form, Backend, TestApp};

crate::on_both_backends!(
    a_supervisor_merges_a_duplicate_and_its_casework_follows,
    a_merge_is_refused_when_it_cannot_be_one_person_or_is_stale,
);

async fn create(app: &TestApp, token: &str, form: &Value) -> Value {
    let reply = app.send(Method::POST, "/api/clients", token, form).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()
}

fn merge_body(absorbed: &Value, survivor: &Value, reason: &str) -> Value {
    json!({
        "absorbed_id": absorbed["id"],
        "absorbed_version": absorbed["version"],
        "survivor_version": survivor["version"],
        "reason": reason,
    })
}

fn path(client: &Value, rest: &str) -> String {
    format!("/api/clients/{}{rest}", client["id"].as_str().unwrap())
}

async fn a_supervisor_merges_a_duplicate_and_its_casework_follows(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let kept = create(&app, &worker, &client_form("黃美儀", "")).await;
    let mut duplicate_form = client_form("", "WONG Mei Yee");
    duplicate_form["hkid"] = json!("A123456(3)");
    duplicate_form["ethnicity"] = json!("chinese");
    let duplicate = create(&app, &worker, &duplicate_form).await;

    // The duplicate has a case and a household.
    let case = app
        .send(
            Method::POST,
            "/api/cases",
            &worker,
            &json!({
                "client_id": duplicate["id"],
                "case_type": "in_depth_counselling",
                "referral_source": "self",
                "nature_codes": ["emotional"],
            }),
        )
        .await;
    assert_eq!(case.status, StatusCode::CREATED, "{}", case.json());
    let case_id = case.json()["case"]["id"].as_str().unwrap().to_owned();
    let household = app
        .send(
            Method::POST,
            "/api/households",
            &worker,
            &json!({
                "principal_client_id": duplicate["id"],
                "district": "F",
                "address": "深水埗北河街 18 號",
                "household_type": "one_person",
                "housing_type": "public_rental",
                "cssa_status": "not_receiving",
                "income_band": "under_6000",
            }),
        )
        .await;
    assert_eq!(
        household.status,
        StatusCode::CREATED,
        "{}",
        household.json()
    );

    // Both records are in one group, the duplicate also in a talk: the survivor keeps
    // its place in the group and takes the duplicate's place in the talk.
    let me = app.user_id(&worker).await;
    let mut activity_ids = Vec::new();
    for format in ["support_group", "talk"] {
        let mut form = crate::activities::group(&me, 10);
        form["format"] = json!(format);
        let made = app
            .send(Method::POST, "/api/activities", &worker, &form)
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
        activity_ids.push(made.json()["id"].as_str().unwrap().to_owned());
    }
    for (activity, client) in [
        (&activity_ids[0], &kept),
        (&activity_ids[0], &duplicate),
        (&activity_ids[1], &duplicate),
    ] {
        let enrolled = app
            .send(
                Method::POST,
                &format!("/api/activities/{activity}/enrolments"),
                &worker,
                &json!({ "client_id": client["id"] }),
            )
            .await;
        assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.json());
    }

    // A worker may not merge.
    let body = merge_body(
        &duplicate,
        &kept,
        "Same person: same phone and date of birth",
    );
    let refused = app
        .send(Method::POST, &path(&kept, "/merges"), &worker, &body)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let merged = app
        .send(Method::POST, &path(&kept, "/merges"), &supervisor, &body)
        .await;
    assert_eq!(merged.status, StatusCode::CREATED, "{}", merged.json());
    let merge = merged.json();
    assert_eq!(merge["absorbed_name"], "WONG Mei Yee");
    assert_eq!(merge["moved"]["cases"], 1);
    assert_eq!(merge["moved"]["household_memberships"], 1);
    assert_eq!(merge["moved"]["enrolments"], 2);
    let taking_part = app.get(&path(&kept, "/activities"), &worker).await.json();
    let live: Vec<&str> = taking_part
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .filter(|status| *status != "withdrawn")
        .collect();
    assert_eq!(live, ["enrolled", "enrolled"]);

    // The survivor has the person's casework and what it lacked.
    let survivor = app.get(&path(&kept, ""), &supervisor).await.json();
    assert_eq!(survivor["name_en"], "WONG Mei Yee");
    assert_eq!(survivor["ethnicity"], "chinese");
    assert_eq!(survivor["hkid_masked"], "A123***(*)");
    assert_eq!(survivor["merged_into"], Value::Null);
    let case = app
        .get(&format!("/api/cases/{case_id}"), &worker)
        .await
        .json();
    assert_eq!(case["case"]["client"]["id"], kept["id"], "{case}");
    let household = app.get(&path(&kept, "/household"), &worker).await.json();
    assert!(household["household"].is_object(), "{household}");

    // The tombstone points to the survivor, is found by no search, cannot be edited.
    let tombstone = app.get(&path(&duplicate, ""), &supervisor).await.json();
    assert_eq!(tombstone["merged_into"], kept["id"]);
    let found = app
        .send(
            Method::POST,
            "/api/clients/search",
            &supervisor,
            &json!({ "q": "WONG Mei" }),
        )
        .await
        .json();
    let ids: Vec<&Value> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert!(
        ids.contains(&&kept["id"]) && !ids.contains(&&duplicate["id"]),
        "{ids:?}"
    );
    let mut edit = client_form("", "WONG Mei Yee");
    edit["version"] = tombstone["version"].clone();
    let edited = app
        .send(Method::PUT, &path(&duplicate, ""), &worker, &edit)
        .await;
    assert_eq!(edited.status, StatusCode::CONFLICT);
    assert_eq!(edited.error_code(), "client_merged");
    // The same HKID may be registered by nobody else: the survivor holds it.
    let mut again = client_form("黃", "W");
    again["hkid"] = json!("A123456(3)");
    let again = app
        .send(Method::POST, "/api/clients", &worker, &again)
        .await;
    assert_eq!(again.error_code(), "duplicate_hkid");

    // Both records explain the merge.
    for record in [&kept, &duplicate] {
        let merges = app.get(&path(record, "/merges"), &worker).await.json();
        assert_eq!(merges.as_array().unwrap().len(), 1, "{merges}");
        assert_eq!(
            merges[0]["reason"],
            "Same person: same phone and date of birth"
        );
        assert_eq!(merges[0]["survivor_id"], kept["id"]);
    }
    assert_eq!(app.count("audit_log WHERE action = 'client.merge'"), 1);
    assert_eq!(
        app.count("audit_log WHERE action = 'client.merged_into'"),
        1
    );
}

async fn a_merge_is_refused_when_it_cannot_be_one_person_or_is_stale(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let mut form = client_form("陳大文", "CHAN Tai Man");
    form["hkid"] = json!("A123456(3)");
    let one = create(&app, &worker, &form).await;
    form["hkid"] = json!("B123456(6)");
    let other = create(&app, &worker, &form).await;
    let plain = create(&app, &worker, &client_form("陳大文", "")).await;

    let reply = app
        .send(
            Method::POST,
            &path(&one, "/merges"),
            &supervisor,
            &merge_body(&other, &one, "same"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error_code(), "different_hkid");

    let reply = app
        .send(
            Method::POST,
            &path(&one, "/merges"),
            &supervisor,
            &merge_body(&one, &one, ""),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &reply.json()["fields"];
    assert_eq!(fields["absorbed_id"]["code"], "same_record");
    assert_eq!(fields["reason"]["code"], "required");

    let mut stale = merge_body(&plain, &one, "same");
    stale["survivor_version"] = json!(0);
    let reply = app
        .send(Method::POST, &path(&one, "/merges"), &supervisor, &stale)
        .await;
    assert_eq!(reply.error_code(), "version_conflict");

    let unknown = json!({
        "absorbed_id": "01234567-0000-7000-8000-000000000000",
        "absorbed_version": 1, "survivor_version": 1, "reason": "same",
    });
    let reply = app
        .send(Method::POST, &path(&one, "/merges"), &supervisor, &unknown)
        .await;
    assert!(
        reply.json()["fields"]["absorbed_id"].is_object(),
        "{}",
        reply.json()
    );
    assert_eq!(app.count("client_merges"), 0);
    assert_eq!(app.count("clients WHERE merged_into IS NOT NULL"), 0);
}
