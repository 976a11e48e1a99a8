//! Programmes, groups and events: places and the waiting list, double bookings flagged,
//! weekly sessions, the roll call at the version read, headcounts never negative, a
//! community event's reach, completion, and who sees the people taking part.

use actix_web::http::{Method, StatusCode};
use chrono::{Duration, NaiveDateTime, Utc};
use common::identity::{Role, Unit};
use serde_json::{json, Value};

use crate::helpers::{Backend, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_weekly_group_fills_its_places_and_takes_its_roll_call,
    double_bookings_are_flagged_before_saving,
    who_runs_an_activity_sees_who_takes_part,
    a_community_event_counts_its_reach_and_bad_input_is_named,
);

/// Hong Kong wall-clock time, `offset` from now, to the second.
fn hong_kong_clock(offset: Duration) -> String {
    (Utc::now() + Duration::hours(8) + offset)
        .naive_utc()
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// A Hong Kong wall-clock time `days` from now, at 19:00.
fn evening(days: i64) -> String {
    let day = (Utc::now() + Duration::hours(8) + Duration::days(days)).date_naive();
    let at: NaiveDateTime = day.and_hms_opt(19, 0, 0).unwrap();
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub fn group(facilitator: &str, capacity: i64) -> Value {
    json!({
        "format": "support_group",
        "unit": "family_support",
        "title_zh": "單親家長互助小組",
        "title_en": "Single parents' mutual aid group",
        "theme_codes": ["parent_child"],
        "target_group": "parents",
        "mode": "face_to_face",
        "capacity": capacity,
        "facilitators": [
            { "role": "staff", "user_id": facilitator },
            { "role": "volunteer", "name": "義工 Amy" }
        ],
        "venue": "Activity Room 2",
        "planned_start": evening(-21)[..10],
        "planned_end": evening(30)[..10],
        "intervention_model": "mutual_aid",
    })
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    app.send(Method::POST, path, token, &body).await
}

async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = post(app, token, "/api/activities", body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()
}

fn id(value: &Value) -> String {
    value["id"].as_str().expect("id").to_owned()
}

async fn a_weekly_group_fills_its_places_and_takes_its_roll_call(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let me = app.user_id(&worker).await;
    let activity = create(&app, &worker, group(&me, 2)).await;
    assert_eq!(activity["kind"], "group");
    assert_eq!(activity["facilitators"][0]["staff"]["id"], me.as_str());
    assert_eq!(activity["facilitators"][1]["name"], "義工 Amy");
    let activity_id = id(&activity);

    // Six weekly sessions in one step, the first two weeks and an hour ago.
    let first_start = hong_kong_clock(-Duration::days(14) - Duration::hours(1));
    let added = post(
        &app,
        &worker,
        &format!("/api/activities/{activity_id}/sessions"),
        json!({ "starts_at": first_start, "minutes": 90, "weeks": 6 }),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let sessions = added.json()["sessions"].as_array().unwrap().clone();
    assert_eq!(sessions.len(), 6);
    assert_eq!(sessions[5]["number"], 6);
    assert_eq!(sessions[0]["venue"], "Activity Room 2");
    let first = sessions[0]["id"].as_str().unwrap().to_owned();
    let last = sessions[5]["id"].as_str().unwrap().to_owned();

    // Two places: the third person waits.
    let clients = [
        app.register(&worker, "陳小明", "CHAN Siu Ming").await,
        app.register(&worker, "李美儀", "LEE Mei Yi").await,
        app.register(&worker, "張家樂", "CHEUNG Ka Lok").await,
    ];
    let mut enrolments = Vec::new();
    for client in &clients {
        let reply = post(
            &app,
            &worker,
            &format!("/api/activities/{activity_id}/enrolments"),
            json!({ "client_id": client }),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
        enrolments.push(reply.json());
    }
    let statuses: Vec<&str> = enrolments
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["enrolled", "enrolled", "waiting"]);
    let again = post(
        &app,
        &worker,
        &format!("/api/activities/{activity_id}/enrolments"),
        json!({ "client_id": clients[2] }),
    )
    .await;
    assert_eq!(again.error_code(), "already_enrolled");

    // The roll call of the first session: the two members and a headcount.
    let roll_path = format!("/api/activity-sessions/{first}/roll-call");
    let roll = app.get(&roll_path, &worker).await;
    assert_eq!(roll.status, StatusCode::OK, "{}", roll.json());
    let roll = roll.json();
    assert_eq!(roll["lines"].as_array().unwrap().len(), 2);
    assert_eq!(roll["lines"][0]["version"], 0);
    let marks = json!({
        "marks": [
            { "client_id": clients[0], "status": "present", "version": 0 },
            { "client_id": clients[1], "status": "late", "version": 0 },
        ],
        "headcounts": [
            { "age_band": "6_12", "sex": "F", "count": 3 },
            { "age_band": "65_plus", "sex": "M", "count": 1 },
        ],
        "headcount_version": 0,
    });
    let saved = app.send(Method::PUT, &roll_path, &worker, &marks).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());
    let saved = saved.json();
    assert_eq!(saved["lines"][0]["status"], "present");
    assert_eq!(saved["lines"][0]["version"], 1);
    assert_eq!(saved["headcounts"].as_array().unwrap().len(), 2);
    assert_eq!(saved["headcount_version"], 1);

    // A second worker at the door who read the roll before: nothing of theirs is
    // written over the first's marks.
    let stale = json!({
        "marks": [
            { "client_id": clients[1], "status": "absent", "version": 0 },
        ],
    });
    let refused = app.send(Method::PUT, &roll_path, &worker, &stale).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_code(), "version_conflict");
    let stale_counts = json!({
        "headcounts": [{ "age_band": "0_5", "sex": "F", "count": 9 }],
        "headcount_version": 0,
    });
    let refused = app
        .send(Method::PUT, &roll_path, &worker, &stale_counts)
        .await;
    assert_eq!(refused.error_code(), "version_conflict");
    let now = app.get(&roll_path, &worker).await.json();
    assert_eq!(now["lines"][1]["status"], "late");
    assert_eq!(now["headcounts"].as_array().unwrap().len(), 2);
    let negative = json!({
        "headcounts": [{ "age_band": "0_5", "sex": "F", "count": -2 }],
        "headcount_version": 1,
    });
    let refused = app.send(Method::PUT, &roll_path, &worker, &negative).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json()["fields"]["headcounts.0.count"]["code"],
        "negative"
    );
    let stranger = json!({
        "marks": [{ "client_id": clients[2], "status": "present", "version": 0 }],
    });
    let refused = app.send(Method::PUT, &roll_path, &worker, &stranger).await;
    assert_eq!(
        refused.json()["fields"]["marks.0.client_id"]["code"],
        "not_enrolled"
    );
    let future = app
        .send(
            Method::PUT,
            &format!("/api/activity-sessions/{last}/roll-call"),
            &worker,
            &json!({ "marks": [] }),
        )
        .await;
    assert_eq!(future.error_code(), "session_not_started");

    // Of the sessions held so far (three), the first member came to one: below 70%.
    let view = app
        .get(&format!("/api/activities/{activity_id}"), &worker)
        .await
        .json();
    assert_eq!(view["enrolled"], 2);
    assert_eq!(view["waiting"], 1);
    assert_eq!(view["evaluation"]["sessions_planned"], 6);
    assert_eq!(view["evaluation"]["sessions_held"], 3);
    assert_eq!(view["evaluation"]["members"], 2);
    assert_eq!(view["evaluation"]["completed"], 0);
    assert!((view["evaluation"]["attendance_rate"].as_f64().unwrap() - 2.0 / 6.0).abs() < 1e-9);

    // A withdrawal frees a place for the first waiting.
    let withdrawn = post(
        &app,
        &worker,
        &format!("/api/enrolments/{}/withdrawal", id(&enrolments[1])),
        json!({ "reason": "Working evenings now", "version": 1 }),
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.json());
    assert_eq!(withdrawn.json()["status"], "withdrawn");
    let roster = app
        .get(
            &format!("/api/activities/{activity_id}/enrolments"),
            &worker,
        )
        .await
        .json();
    let waiting = roster
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["participant"]["client_id"] == clients[2].as_str())
        .unwrap();
    assert_eq!(waiting["status"], "enrolled");
    assert!(waiting["placed_at"].is_string());
    // The one who withdrew stays on the roll of the session they were marked at.
    let kept = app.get(&roll_path, &worker).await.json();
    assert_eq!(kept["lines"].as_array().unwrap().len(), 3);

    // The client's record shows their groups and attendance.
    let theirs = app
        .get(&format!("/api/clients/{}/activities", clients[0]), &worker)
        .await;
    assert_eq!(theirs.status, StatusCode::OK);
    let theirs = theirs.json();
    assert_eq!(theirs[0]["title_en"], "Single parents' mutual aid group");
    assert_eq!(theirs[0]["attended"], 1);
    assert_eq!(theirs[0]["sessions_held"], 3);
    assert_eq!(theirs[0]["marks"][0]["number"], 1);
    assert_eq!(
        app.count("audit_log WHERE action = 'attendance.record'"),
        1,
        "refused saves write nothing"
    );
    assert_eq!(app.count("audit_log WHERE action = 'enrolment.promote'"), 1);
}

async fn double_bookings_are_flagged_before_saving(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let me = app.user_id(&worker).await;
    let first = id(&create(&app, &worker, group(&me, 12)).await);
    let mut other = group(&me, 12);
    other["title_en"] = json!("Parenting talk");
    other["format"] = json!("talk");
    let second = id(&create(&app, &worker, other).await);
    let at = json!({ "starts_at": evening(7), "minutes": 120 });
    let made = post(
        &app,
        &worker,
        &format!("/api/activities/{first}/sessions"),
        at.clone(),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED);

    // The same staff and room half an hour later: flagged before saving, refused, then
    // saved when the worker says so.
    let overlapping = json!({ "starts_at": evening(7).replace("19:00", "19:30"), "minutes": 60 });
    let flagged = post(
        &app,
        &worker,
        &format!("/api/activities/{second}/sessions/clashes"),
        overlapping.clone(),
    )
    .await;
    assert_eq!(flagged.status, StatusCode::OK);
    let flagged = flagged.json();
    assert_eq!(flagged.as_array().unwrap().len(), 1);
    assert_eq!(flagged[0]["venue"], true);
    assert_eq!(flagged[0]["facilitators"][0]["id"], me.as_str());
    assert_eq!(flagged[0]["session"]["activity_id"], first.as_str());
    assert_eq!(flagged[0]["activity"]["id"], first.as_str());
    let refused = post(
        &app,
        &worker,
        &format!("/api/activities/{second}/sessions"),
        overlapping.clone(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_code(), "session_clash");
    assert_eq!(app.count("activity_sessions"), 1, "nothing saved");
    let mut anyway = overlapping.clone();
    anyway["despite_clashes"] = json!(true);
    let saved = post(
        &app,
        &worker,
        &format!("/api/activities/{second}/sessions"),
        anyway,
    )
    .await;
    assert_eq!(saved.status, StatusCode::CREATED);
    assert_eq!(saved.json()["clashes"].as_array().unwrap().len(), 1);

    // A session added before the others takes the first number; theirs move on.
    let earlier = post(
        &app,
        &worker,
        &format!("/api/activities/{first}/sessions"),
        json!({ "starts_at": evening(6), "minutes": 60 }),
    )
    .await;
    assert_eq!(earlier.json()["sessions"][0]["number"], 1);
    let numbers: Vec<(String, i64)> = app
        .get(&format!("/api/activities/{first}/sessions"), &worker)
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["starts_at"].as_str().unwrap().to_owned(),
                s["number"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(numbers.iter().map(|n| n.1).collect::<Vec<_>>(), [1, 2]);
    assert!(numbers[0].0 < numbers[1].0);

    // Another room with other staff, or an hour later, is no clash.
    let colleague = app.add_user(
        "fsu-worker",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilySupport),
    );
    let colleague_token = app.login("fsu-worker").await;
    let mut third = group(&colleague, 12);
    third["venue"] = json!("Hall");
    let third = id(&create(&app, &colleague_token, third).await);
    let free = post(
        &app,
        &colleague_token,
        &format!("/api/activities/{third}/sessions/clashes"),
        at,
    )
    .await;
    assert_eq!(free.json(), json!([]));
    let later = json!({ "starts_at": evening(7).replace("19:00", "21:00"), "minutes": 60 });
    let free = post(
        &app,
        &worker,
        &format!("/api/activities/{first}/sessions/clashes"),
        later,
    )
    .await;
    assert_eq!(free.json(), json!([]));
    // The same room typed in another case is the same room.
    let mut same_room =
        json!({ "starts_at": evening(7), "minutes": 30, "venue": "activity  room 2" });
    let flagged = post(
        &app,
        &colleague_token,
        &format!("/api/activities/{third}/sessions/clashes"),
        same_room.clone(),
    )
    .await;
    assert_eq!(flagged.json().as_array().unwrap().len(), 1);
    // Online, it takes no room.
    same_room["online"] = json!(true);
    let online = post(
        &app,
        &colleague_token,
        &format!("/api/activities/{third}/sessions/clashes"),
        same_room,
    )
    .await;
    assert_eq!(online.json(), json!([]));

    // The calendar of the centre, of one facilitator and of one venue.
    let from = evening(6)[..10].to_owned();
    let until = evening(8)[..10].to_owned();
    assert_eq!(calendar(&app, &worker, &from, &until, "").await, 3);
    assert_eq!(
        calendar(
            &app,
            &worker,
            &from,
            &until,
            &format!("&facilitator={colleague}")
        )
        .await,
        0
    );
    assert_eq!(
        calendar(&app, &worker, &from, &until, "&venue=Hall").await,
        0
    );
    assert_eq!(
        calendar(&app, &worker, &from, &until, "&venue=Activity%20Room%202").await,
        3
    );
    // A calendar sent before shows what changed since: a session added, a title edited,
    // a facilitator's name.
    let path = format!("/api/activity-sessions?from={from}&until={until}");
    let added = post(
        &app,
        &colleague_token,
        &format!("/api/activities/{third}/sessions"),
        json!({ "starts_at": evening(6).replace("19:00", "10:00"), "minutes": 60,
                "despite_clashes": true }),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    assert_eq!(calendar(&app, &worker, &from, &until, "").await, 4);
    let mut renamed = group(&me, 12);
    renamed["title_en"] = json!("Renamed group");
    renamed["version"] = app
        .get(&format!("/api/activities/{first}"), &worker)
        .await
        .json()["version"]
        .clone();
    let saved = app
        .send(
            Method::PUT,
            &format!("/api/activities/{first}"),
            &worker,
            &renamed,
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());
    let shown = app.get(&path, &worker).await.json();
    let titled = |calendar: &Value, id: &str| -> Value {
        calendar["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(titled(&shown, &first)["title_en"], "Renamed group");
    app.rename_user(&me, "新名字 NEW Name");
    let shown = app.get(&path, &worker).await.json();
    assert_eq!(
        titled(&shown, &first)["facilitators"][0]["staff"]["display_name"],
        "新名字 NEW Name"
    );
    let too_long = app
        .get(
            "/api/activity-sessions?from=2026-01-01&until=2026-06-01",
            &worker,
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_long.json()["fields"]["until"]["code"], "too_long");
}

async fn calendar(app: &TestApp, token: &str, from: &str, until: &str, query: &str) -> usize {
    let reply = app
        .get(
            &format!("/api/activity-sessions?from={from}&until={until}{query}"),
            token,
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    let calendar = reply.json();
    let sessions = calendar["sessions"].as_array().unwrap();
    for session in sessions {
        let activity = session["activity_id"].as_str().unwrap();
        assert!(
            calendar["activities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == activity),
            "each session's activity is named"
        );
    }
    sessions.len()
}

async fn who_runs_an_activity_sees_who_takes_part(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let me = app.user_id(&worker).await;
    let activity_id = id(&create(&app, &worker, group(&me, 10)).await);
    let client = app.register(&worker, "何麗華", "HO Lai Wah").await;
    let enrolled = post(
        &app,
        &worker,
        &format!("/api/activities/{activity_id}/enrolments"),
        json!({ "client_id": client }),
    )
    .await;
    assert_eq!(enrolled.status, StatusCode::CREATED);
    app.add_user(
        "colleague",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilySupport),
    );
    let colleague = app.login("colleague").await;
    let supervisor = app.login("supervisor").await;
    let roster = format!("/api/activities/{activity_id}/enrolments");
    let activity = format!("/api/activities/{activity_id}");
    let participations = format!("/api/clients/{client}/activities");
    for (who, token_of, expected) in [
        ("worker", &worker, [200, 200, 200]),
        // A colleague sees the centre's activity, not who takes part nor the client.
        ("colleague", &colleague, [200, 403, 404]),
        ("supervisor", &supervisor, [200, 200, 200]),
    ] {
        let got = [
            app.get(&activity, token_of).await.status.as_u16(),
            app.get(&roster, token_of).await.status.as_u16(),
            app.get(&participations, token_of).await.status.as_u16(),
        ];
        assert_eq!(got, expected, "{who}");
    }
    for other in ["worker2", "worker3", "agency-admin"] {
        let token = app.login(other).await;
        let expected = if other == "agency-admin" { 200 } else { 404 };
        assert_eq!(
            app.get(&activity, &token).await.status.as_u16(),
            expected,
            "{other}"
        );
    }
    let analyst = app.login("analyst").await;
    assert_eq!(
        app.get(&activity, &analyst).await.status,
        StatusCode::FORBIDDEN
    );
    // Enrolling someone one cannot see is refused, naming the field.
    let refused = post(&app, &colleague, &roster, json!({ "client_id": client })).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json()["fields"]["client_id"]["code"],
        "unknown_client"
    );
    // The agency admin reads but does not change.
    let agency_admin = app.login("agency-admin").await;
    let refused = post(&app, &agency_admin, &roster, json!({ "client_id": client })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn a_community_event_counts_its_reach_and_bad_input_is_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let empty = post(&app, &worker, "/api/activities", json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = empty.json()["fields"].clone();
    for field in [
        "format",
        "title_zh",
        "title_en",
        "theme_codes",
        "target_group",
        "mode",
        "planned_start",
    ] {
        assert_eq!(fields[field]["code"], "required", "{field}");
    }
    let mut bad = group("no-such-user", 10);
    bad["theme_codes"] = json!(["no_such_nature"]);
    bad["intervention_model"] = json!("no_such_model");
    bad["planned_end"] = json!("2000-01-01");
    let refused = post(&app, &worker, "/api/activities", bad).await;
    let fields = refused.json()["fields"].clone();
    assert_eq!(fields["planned_end"]["code"], "before_start");
    let mut bad = group("no-such-user", 10);
    bad["theme_codes"] = json!(["no_such_nature"]);
    bad["intervention_model"] = json!("no_such_model");
    let refused = post(&app, &worker, "/api/activities", bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.json()
    );
    let fields = refused.json()["fields"].clone();
    assert_eq!(fields["theme_codes"]["code"], "unknown_nature");
    assert_eq!(
        fields["intervention_model"]["code"],
        "unknown_intervention_model"
    );
    assert_eq!(fields["facilitators.0"]["code"], "unknown_staff");
    assert_eq!(app.count("activities"), 0);

    let event = json!({
        "format": "family_fun_day",
        "title_zh": "家庭同樂日",
        "title_en": "Family fun day",
        "theme_codes": ["parent_child"],
        "target_group": "families",
        "mode": "blended",
        "venue": "深水埗公園",
        "meeting_link": "https://example.org/live",
        "planned_start": evening(-2)[..10],
        "planned_end": evening(-2)[..10],
    });
    let mut with_places = event.clone();
    with_places["capacity"] = json!(200);
    let refused = post(&app, &worker, "/api/activities", with_places).await;
    assert_eq!(
        refused.json()["fields"]["capacity"]["code"],
        "not_for_events"
    );
    let event = create(&app, &worker, event).await;
    assert_eq!(event["kind"], "community_event");
    assert_eq!(event["reach"], Value::Null);
    let event_id = id(&event);
    let client = app.register(&worker, "何麗華", "HO Lai Wah").await;
    let refused = post(
        &app,
        &worker,
        &format!("/api/activities/{event_id}/enrolments"),
        json!({ "client_id": client }),
    )
    .await;
    assert_eq!(refused.error_code(), "counts_reach");

    let reach_path = format!("/api/activities/{event_id}/reach");
    let reach = json!({
        "headcounts": [
            { "age_band": "0_5", "count": 40 },
            { "age_band": "18_64", "count": 120 },
        ],
        "online_views": 1500,
        "online_participants": 85,
        "media_items": 2,
        "counting_note": "Clicker at the gate; live stream's viewer count",
        "version": 1,
    });
    let saved = app.send(Method::PUT, &reach_path, &worker, &reach).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());
    let saved = saved.json();
    assert_eq!(saved["reach"]["online_views"], 1500);
    assert_eq!(saved["reach"]["headcounts"].as_array().unwrap().len(), 2);
    assert_eq!(saved["version"], 2);
    let stale = app.send(Method::PUT, &reach_path, &worker, &reach).await;
    assert_eq!(stale.error_code(), "version_conflict");
    let mut negative = reach.clone();
    negative["online_views"] = json!(-1);
    negative["version"] = json!(2);
    let refused = app.send(Method::PUT, &reach_path, &worker, &negative).await;
    assert_eq!(refused.json()["fields"]["online_views"]["code"], "negative");

    let me = app.user_id(&worker).await;
    let group_id = id(&create(&app, &worker, group(&me, 10)).await);
    let not_event = app
        .send(
            Method::PUT,
            &format!("/api/activities/{group_id}/reach"),
            &worker,
            &reach,
        )
        .await;
    assert_eq!(not_event.error_code(), "not_an_event");
    let mut changed = group(&me, 10);
    changed["format"] = json!("family_fun_day");
    changed["capacity"] = Value::Null;
    changed["version"] = json!(1);
    let refused = app
        .send(
            Method::PUT,
            &format!("/api/activities/{group_id}"),
            &worker,
            &changed,
        )
        .await;
    assert_eq!(refused.json()["fields"]["format"]["code"], "kind_fixed");
    let list = app
        .get("/api/activities?kind=community_event", &worker)
        .await
        .json();
    assert_eq!(list["total"], 1);
    assert_eq!(app.get("/api/activities", &worker).await.json()["total"], 2);
}
