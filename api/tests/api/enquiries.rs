//! The enquiry log: anonymous records, validation, paging and reach, editing at the
//! version read, and promotion to a client and a case in one transaction.

use actix_web::http::{Method, StatusCode};
use common::identity::Role;
use serde_json::{json, Value};

use crate::helpers::{client_form, Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    an_anonymous_enquiry_is_recorded_and_read_by_the_centre,
    a_bad_enquiry_is_refused_naming_the_field_and_nothing_is_written,
    the_log_pages_and_filters_and_stays_in_the_centre,
    an_edit_needs_the_version_read,
    promotion_registers_the_client_and_opens_the_case_in_one_step,
    promotion_may_take_a_client_the_user_reaches_and_no_other,
    a_promoted_enquiry_is_not_promoted_again,
    a_failed_promotion_writes_nothing,
);

fn anonymous(received_at: &str, channel: &str) -> Value {
    json!({
        "received_at": received_at,
        "channel": channel,
        "topic_codes": ["housing", "financial"],
        "summary": "查詢公屋體恤安置申請程序。",
        "minutes_spent": 20,
        "outcome": "information_given",
    })
}

async fn record(app: &TestApp, token: &str, form: &Value) -> Value {
    let reply = app.send(Method::POST, "/api/enquiries", token, form).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()
}

async fn an_anonymous_enquiry_is_recorded_and_read_by_the_centre(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let enquiry = record(&app, &worker, &anonymous("2026-11-30T10:15:00", "walk_in")).await;
    // Received as Hong Kong time, kept as the instant.
    assert_eq!(enquiry["received_at"], "2026-11-30T02:15:00Z");
    assert_eq!(enquiry["unit"], "family_resource");
    // The taxonomy's order, whatever the order given.
    assert_eq!(enquiry["topic_codes"], json!(["financial", "housing"]));
    for field in [
        "name_zh",
        "name_en",
        "sex",
        "phone",
        "age_band",
        "client_id",
        "case_id",
    ] {
        assert_eq!(enquiry[field], Value::Null, "{field}");
    }
    assert_eq!(enquiry["version"], 1);
    assert_eq!(
        enquiry["recorded_by"]["display_name"],
        "陳美玲 Chan Mei Ling"
    );
    let path = format!("/api/enquiries/{}", enquiry["id"].as_str().unwrap());

    // The centre's front desk: the supervisor reads it, a centre admin too, but only reads.
    let supervisor = app.login("supervisor").await;
    assert_eq!(app.get(&path, &supervisor).await.json(), enquiry);
    app.add_user(
        "ssp-admin",
        &[Role::CentreAdmin],
        "HFS",
        Some("HFS-SSP"),
        None,
    );
    let admin = app.login("ssp-admin").await;
    assert_eq!(app.get(&path, &admin).await.status, StatusCode::OK);
    let refused = app
        .send(
            Method::POST,
            "/api/enquiries",
            &admin,
            &anonymous("2026-11-30T11:00:00", "phone"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Agency-wide staff see no enquiry log.
    let agency_admin = app.login("agency-admin").await;
    assert_eq!(
        app.get(&path, &agency_admin).await.status,
        StatusCode::FORBIDDEN
    );

    // A named one keeps what was given, and only that.
    let mut named = anonymous("2026-11-30T11:00:00", "phone");
    named["name_zh"] = json!(" 黃 美儀 ");
    named["phone"] = json!("+852 9876 5432");
    named["age_band"] = json!("30_44");
    let named = record(&app, &worker, &named).await;
    assert_eq!(named["name_zh"], "黃 美儀");
    assert_eq!(named["phone"], "98765432");
    assert_eq!(named["name_en"], Value::Null);
    assert_eq!(app.count("audit_log WHERE action = 'enquiry.create'"), 2);
    assert_eq!(app.count("audit_log WHERE action = 'enquiry.view'"), 2);
    // Whether a person was named is audited, never who.
    assert_eq!(app.count("audit_log WHERE detail LIKE '%黃%'"), 0);
}

async fn a_bad_enquiry_is_refused_naming_the_field_and_nothing_is_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let reply = app
        .send(
            Method::POST,
            "/api/enquiries",
            &worker,
            &json!({
                "received_at": "2099-01-01T09:00:00",
                "topic_codes": [],
                "minutes_spent": 0,
                "phone": "1234",
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.error_code(), "validation_failed");
    let fields = &reply.json()["fields"];
    for (field, code) in [
        ("received_at", "date_in_future"),
        ("channel", "required"),
        ("topic_codes", "required"),
        ("minutes_spent", "out_of_range"),
        ("outcome", "required"),
        ("phone", "invalid_phone"),
    ] {
        assert_eq!(fields[field]["code"], code, "{field}: {fields}");
    }
    let mut unknown = anonymous("2026-11-30T10:00:00", "walk_in");
    unknown["topic_codes"] = json!(["housing", "no_such_nature"]);
    let reply = app
        .send(Method::POST, "/api/enquiries", &worker, &unknown)
        .await;
    assert_eq!(
        reply.json()["fields"]["topic_codes"]["code"],
        "unknown_nature"
    );
    // Promoted is promotion's outcome, not one a worker records.
    let mut promoted = anonymous("2026-11-30T10:00:00", "walk_in");
    promoted["outcome"] = json!("promoted_to_case");
    let reply = app
        .send(Method::POST, "/api/enquiries", &worker, &promoted)
        .await;
    assert_eq!(reply.json()["fields"]["outcome"]["code"], "promotion_only");
    let mut typed = anonymous("2026-11-30T10:00:00", "fax");
    typed["minutes_spent"] = json!("twenty");
    let reply = app
        .send(Method::POST, "/api/enquiries", &worker, &typed)
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.json()["fields"].as_object().unwrap().len() == 1,
        "{}",
        reply.json()
    );
    assert_eq!(app.count("enquiries"), 0);
    assert_eq!(app.count("enquiry_topics"), 0);
}

async fn the_log_pages_and_filters_and_stays_in_the_centre(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let first = record(&app, &worker, &anonymous("2026-11-28T09:00:00", "walk_in")).await;
    // 23:30 in Hong Kong on the 29th is the 29th, though in UTC it is still the 29th's day.
    let second = record(
        &app,
        &supervisor,
        &anonymous("2026-11-29T23:30:00", "phone"),
    )
    .await;
    let third = record(&app, &worker, &anonymous("2026-11-30T08:00:00", "walk_in")).await;
    let other_centre = app.login("worker2").await;
    record(
        &app,
        &other_centre,
        &anonymous("2026-11-30T09:00:00", "email"),
    )
    .await;

    let ids = |page: &Value| -> Vec<String> { crate::helpers::item_strings(page, "id") };
    let id = |e: &Value| e["id"].as_str().unwrap().to_owned();
    let page = app.get("/api/enquiries?per_page=2", &worker).await.json();
    assert_eq!(page["total"], 3);
    assert_eq!(ids(&page), vec![id(&third), id(&second)], "latest first");
    let page = app
        .get("/api/enquiries?per_page=2&page=2", &worker)
        .await
        .json();
    assert_eq!(ids(&page), vec![id(&first)]);
    let page = app
        .get("/api/enquiries?channel=walk_in", &worker)
        .await
        .json();
    assert_eq!(ids(&page), vec![id(&third), id(&first)]);
    let page = app
        .get("/api/enquiries?from=2026-11-29&to=2026-11-29", &worker)
        .await
        .json();
    assert_eq!(ids(&page), vec![id(&second)]);
    let page = app
        .get(
            "/api/enquiries?outcome=information_given&promoted=false",
            &worker,
        )
        .await
        .json();
    assert_eq!(page["total"], 3);
    let page = app
        .get("/api/enquiries?promoted=true", &worker)
        .await
        .json();
    assert_eq!(page["total"], 0);
    let bad = app
        .get(
            "/api/enquiries?from=2026-11-30&to=2026-11-01&per_page=500",
            &worker,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"]["to"]["code"], "before_from");
    assert_eq!(bad.json()["fields"]["per_page"]["code"], "out_of_range");
    let bad = app.get("/api/enquiries?channel=fax", &worker).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_code(), "invalid_query");

    // Another centre's enquiries do not exist for this one.
    let page = app.get("/api/enquiries", &other_centre).await.json();
    assert_eq!(page["total"], 1);
    let path = format!("/api/enquiries/{}", id(&first));
    assert_eq!(
        app.get(&path, &other_centre).await.status,
        StatusCode::NOT_FOUND
    );
    let mut edit = anonymous("2026-11-28T09:00:00", "walk_in");
    edit["version"] = json!(1);
    let reply = app.send(Method::PUT, &path, &other_centre, &edit).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = app
        .send(
            Method::POST,
            &format!("{path}/promote"),
            &other_centre,
            &json!({ "client": client_form("林小明", ""), "case": { "case_type": "brief_supportive" }, "version": 1 }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // Every list answered is audited; refused ones were not read.
    assert_eq!(app.count("audit_log WHERE action = 'enquiry.list'"), 7);
}

async fn an_edit_needs_the_version_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let enquiry = record(&app, &worker, &anonymous("2026-11-30T10:00:00", "walk_in")).await;
    let path = format!("/api/enquiries/{}", enquiry["id"].as_str().unwrap());
    let mut edit = anonymous("2026-11-30T10:00:00", "walk_in");
    edit["outcome"] = json!("follow_up_needed");
    edit["name_en"] = json!("WONG Mei Yee");
    edit["topic_codes"] = json!(["housing"]);
    let reply = app.send(Method::PUT, &path, &worker, &edit).await;
    assert_eq!(reply.json()["fields"]["version"]["code"], "required");
    edit["version"] = json!(1);
    // Any worker of the centre's front desk may edit it, not only who recorded it.
    let supervisor = app.login("supervisor").await;
    let edited = app.send(Method::PUT, &path, &supervisor, &edit).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    let edited = edited.json();
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["outcome"], "follow_up_needed");
    assert_eq!(edited["name_en"], "WONG Mei Yee");
    assert_eq!(edited["topic_codes"], json!(["housing"]));
    let stale = app.send(Method::PUT, &path, &worker, &edit).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error_code(), "version_conflict");
    edit["version"] = json!(2);
    edit["outcome"] = json!("promoted_to_case");
    let reply = app.send(Method::PUT, &path, &worker, &edit).await;
    assert_eq!(reply.json()["fields"]["outcome"]["code"], "promotion_only");
    assert_eq!(app.get(&path, &worker).await.json()["version"], 2);
    assert_eq!(app.count("audit_log WHERE action = 'enquiry.update'"), 1);
}

async fn promote(app: &TestApp, token: &str, enquiry: &Value, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/enquiries/{}/promote", enquiry["id"].as_str().unwrap());
    let reply = app.send(Method::POST, &path, token, &body).await;
    (reply.status, reply.json())
}

async fn promotion_registers_the_client_and_opens_the_case_in_one_step(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let enquiry = record(&app, &worker, &anonymous("2026-11-30T10:00:00", "walk_in")).await;
    let clients_before = app.count("clients");
    let actions = ["client.create", "case.open", "enquiry.promote"];
    let audited = |app: &TestApp| -> Vec<i64> {
        actions
            .iter()
            .map(|a| app.count(&format!("audit_log WHERE action = '{a}'")))
            .collect()
    };
    let audited_before = audited(&app);
    let (status, promoted) = promote(
        &app,
        &worker,
        &enquiry,
        json!({
            "client": client_form("黃美儀", "WONG Mei Yee"),
            "case": { "case_type": "brief_supportive" },
            "version": 1,
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{promoted}");
    let case = &promoted["case"]["case"];
    // The case's natures are the enquiry's topics; the family came on their own.
    assert_eq!(case["nature_codes"], json!(["financial", "housing"]));
    assert_eq!(case["referral_source"], "self");
    assert_eq!(case["state"], "open");
    assert_eq!(case["client"]["name_zh"], "黃美儀");
    let after = &promoted["enquiry"];
    assert_eq!(after["outcome"], "promoted_to_case");
    assert_eq!(after["case_id"], case["id"]);
    assert_eq!(after["client_id"], case["client"]["id"]);
    assert_eq!(after["version"], 2);

    // The client is registered as registration does it: found by search and by matching.
    assert_eq!(app.count("clients"), clients_before + 1);
    let found = app
        .send(
            Method::POST,
            "/api/clients/search",
            &worker,
            &json!({ "q": "美儀" }),
        )
        .await
        .json();
    assert_eq!(found["total"], 1);
    let matches = app
        .get("/api/clients/matches?name_en=Wong%20Mei%20Yee", &worker)
        .await
        .json();
    assert_eq!(
        matches["candidates"][0]["client"]["id"],
        case["client"]["id"]
    );
    let case_path = format!("/api/cases/{}", case["id"].as_str().unwrap());
    assert_eq!(app.get(&case_path, &worker).await.status, StatusCode::OK);
    let one_more: Vec<i64> = audited_before.iter().map(|n| n + 1).collect();
    assert_eq!(audited(&app), one_more, "{actions:?}");
    let page = app
        .get("/api/enquiries?promoted=true", &worker)
        .await
        .json();
    assert_eq!(page["total"], 1);
}

async fn promotion_may_take_a_client_the_user_reaches_and_no_other(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let enquiry = record(&app, &worker, &anonymous("2026-11-30T10:00:00", "phone")).await;
    let known = app.register(&worker, "黃美儀", "WONG Mei Yee").await;
    let elsewhere = app
        .register(&app.login("worker2").await, "林小明", "LAM Siu Ming")
        .await;
    let registered = app.count("audit_log WHERE action = 'client.create'");
    let (status, reply) = promote(
        &app,
        &worker,
        &enquiry,
        json!({ "client_id": elsewhere, "case": { "case_type": "brief_supportive" }, "version": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{reply}");
    let (status, promoted) = promote(
        &app,
        &worker,
        &enquiry,
        json!({
            "client_id": known,
            "case": {
                "case_type": "in_depth_counselling",
                "referral_source": "school_social_worker",
                "nature_codes": ["parent_child"],
            },
            "version": 1,
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{promoted}");
    let case = &promoted["case"]["case"];
    assert_eq!(case["client"]["id"], known);
    assert_eq!(case["referral_source"], "school_social_worker");
    assert_eq!(case["nature_codes"], json!(["parent_child"]));
    assert_eq!(promoted["enquiry"]["client_id"], known);
    assert_eq!(
        app.count("audit_log WHERE action = 'client.create'"),
        registered,
        "nobody registered again"
    );
    assert_eq!(
        app.count(
            "audit_log WHERE action = 'enquiry.promote' AND detail LIKE '%\"registered\":false%'"
        ),
        1
    );
}

async fn a_promoted_enquiry_is_not_promoted_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let enquiry = record(&app, &worker, &anonymous("2026-11-30T10:00:00", "walk_in")).await;
    let body = json!({
        "client": client_form("黃美儀", "WONG Mei Yee"),
        "case": { "case_type": "brief_supportive" },
        "version": 1,
    });
    let (status, _) = promote(&app, &worker, &enquiry, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED);
    let cases = app.count("cases");
    for version in [1, 2] {
        let mut again = body.clone();
        again["version"] = json!(version);
        let (status, reply) = promote(&app, &worker, &enquiry, again).await;
        assert_eq!(status, StatusCode::CONFLICT, "{reply}");
        assert_eq!(reply["code"], "already_promoted");
    }
    assert_eq!(app.count("cases"), cases);
    // Its outcome stays promoted.
    let mut edit = anonymous("2026-11-30T10:00:00", "walk_in");
    edit["version"] = json!(2);
    let path = format!("/api/enquiries/{}", enquiry["id"].as_str().unwrap());
    let reply = app.send(Method::PUT, &path, &worker, &edit).await;
    assert_eq!(
        reply.json()["fields"]["outcome"]["code"],
        "already_promoted"
    );
}

async fn a_failed_promotion_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let enquiry = record(&app, &worker, &anonymous("2026-11-30T10:00:00", "walk_in")).await;
    let tables = [
        "clients",
        "client_name_keys",
        "search_postings",
        "cases",
        "audit_log",
    ];
    let before: Vec<i64> = tables.iter().map(|t| app.count(t)).collect();
    let unchanged = |app: &TestApp| {
        let after: Vec<i64> = tables.iter().map(|t| app.count(t)).collect();
        assert_eq!(after, before, "{tables:?}");
    };

    // Both parts' mistakes at once, each named under its part.
    let mut client = client_form("", "");
    client["phone"] = json!("1234");
    let (status, reply) = promote(
        &app,
        &worker,
        &enquiry,
        json!({ "client": client, "case": { "state": "closed", "client_id": "x" }, "version": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    let fields = &reply["fields"];
    for (field, code) in [
        ("client.name_zh", "name_required"),
        ("client.phone", "invalid_phone"),
        ("case.case_type", "required"),
        ("case.state", "invalid_state"),
        ("case.client_id", "not_allowed"),
    ] {
        assert_eq!(fields[field]["code"], code, "{field}: {fields}");
    }
    let (_, reply) = promote(&app, &worker, &enquiry, json!({ "case": {}, "version": 1 })).await;
    assert_eq!(reply["fields"]["client"]["code"], "required");
    let (_, reply) = promote(
        &app,
        &worker,
        &enquiry,
        json!({ "client": client_form("黃美儀", ""), "case": { "case_type": "brief_supportive" } }),
    )
    .await;
    assert_eq!(reply["fields"]["version"]["code"], "required");
    unchanged(&app);

    // A mistake found only once the client is written: the client goes too.
    let (status, reply) = promote(
        &app,
        &worker,
        &enquiry,
        json!({
            "client": client_form("黃美儀", "WONG Mei Yee"),
            "case": { "case_type": "brief_supportive", "nature_codes": ["no_such_nature"] },
            "version": 1,
        }),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{reply}");
    assert_eq!(
        reply["fields"]["case.nature_codes"]["code"],
        "unknown_nature"
    );
    unchanged(&app);

    // The same HKID as a client of the centre: 409, named under the client.
    let mut holder = client_form("陳大文", "CHAN Tai Man");
    holder["hkid"] = json!("A123456(3)");
    let reply = app
        .send(Method::POST, "/api/clients", &worker, &holder)
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let (clients, audit) = (app.count("clients"), app.count("audit_log"));
    let mut same = client_form("黃美儀", "");
    same["hkid"] = json!("A123456(3)");
    let (status, reply) = promote(
        &app,
        &worker,
        &enquiry,
        json!({ "client": same, "case": { "case_type": "brief_supportive" }, "version": 1 }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{reply}");
    assert_eq!(reply["fields"]["client.hkid"]["code"], "duplicate_hkid");
    assert_eq!(app.count("clients"), clients);
    assert_eq!(app.count("audit_log"), audit);
    let path = format!("/api/enquiries/{}", enquiry["id"].as_str().unwrap());
    let still = app.get(&path, &worker).await.json();
    assert_eq!(still["version"], 1);
    assert_eq!(still["case_id"], Value::Null);
    assert_eq!(still["outcome"], "information_given");
}
