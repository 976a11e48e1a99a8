//! Outcomes: pre/post pairs of the clients a user reaches, per client, group, intervention
//! model and centre, with the paired change, Cohen's d and the instrument's rule of change.

use actix_web::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::cases::open_case;
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    pre_post_change_is_summarised_per_client_group_model_and_centre,
    outcomes_are_asked_for_plainly_and_seen_within_reach,
    the_effectiveness_board_shows_change_and_group_completion_safely,
);

/// PHQ-9 answers: item `raised` at `high`, every other at `each`.
fn phq9(each: i64, raised: Option<(u32, i64)>) -> Value {
    (1..=9u32)
        .map(|item| {
            let value = match raised {
                Some((n, high)) if n == item => high,
                _ => each,
            };
            (item.to_string(), json!(value))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

async fn give(app: &TestApp, token: &str, within: Value, stage: &str, on: &str, answers: Value) {
    let mut body = json!({"instrument": "phq9", "stage": stage, "administered_on": on,
                          "answers": answers});
    for (key, value) in within.as_object().unwrap() {
        body[key] = value.clone();
    }
    let given = app
        .send(Method::POST, "/api/assessments", token, &body)
        .await;
    assert_eq!(given.status, StatusCode::CREATED, "{}", given.json());
}

/// Three clients measured within their cases and one within a group: answers the
/// group's id.
async fn measured(app: &TestApp, worker: &str) -> String {
    let mut people = Vec::new();
    for (zh, en) in [
        ("甲", "A Client"),
        ("乙", "B Client"),
        ("丙", "C Client"),
        ("丁", "D Client"),
    ] {
        people.push(app.register(worker, zh, en).await);
    }
    // A: 18 → 9, improved; B: 9 → 10, worse (mild to moderate); C: 0 → 0, unchanged.
    for (client, pre, post) in [
        (&people[0], phq9(2, None), phq9(1, None)),
        (&people[1], phq9(1, None), phq9(1, Some((1, 2)))),
        (&people[2], phq9(0, None), phq9(0, None)),
    ] {
        let case = open_case(app, worker, client, json!({})).await;
        let within = json!({"client_id": client, "case_id": case["case"]["id"]});
        give(app, worker, within.clone(), "pre", "2026-10-01", pre).await;
        give(app, worker, within, "post", "2026-11-15", post).await;
    }
    // D, in a group following mutual aid: 18 → 0.
    let me = app.user_id(worker).await;
    let group = app
        .send(
            Method::POST,
            "/api/activities",
            worker,
            &crate::activities::group(&me, 10),
        )
        .await;
    assert_eq!(group.status, StatusCode::CREATED, "{}", group.json());
    let group_id = group.json()["id"].as_str().unwrap().to_owned();
    let enrolled = app
        .send(
            Method::POST,
            &format!("/api/activities/{group_id}/enrolments"),
            worker,
            &json!({"client_id": people[3]}),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.json());
    let within = json!({"client_id": people[3], "activity_id": group_id});
    give(
        app,
        worker,
        within.clone(),
        "pre",
        "2026-10-02",
        phq9(2, None),
    )
    .await;
    give(app, worker, within, "post", "2026-11-16", phq9(0, None)).await;
    group_id
}

fn close(value: &Value, expected: f64) {
    let got = value.as_f64().unwrap_or(f64::NAN);
    assert!((got - expected).abs() < 1e-9, "{got} is not {expected}");
}

async fn pre_post_change_is_summarised_per_client_group_model_and_centre(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let group_id = measured(&app, &worker).await;

    let by_client = app.get("/api/outcomes?instrument=phq9", &worker).await;
    assert_eq!(by_client.status, StatusCode::OK, "{}", by_client.json());
    let by_client = by_client.json();
    assert_eq!(by_client["by"], "client");
    let total = &by_client["scales"][0]["total"];
    // Changes -9, +1, 0, -18: mean -6.5; deviations squared 237 over 3.
    assert_eq!(total["pairs"], 4);
    close(&total["mean_pre"], 11.25);
    close(&total["mean_post"], 4.75);
    close(&total["mean_change"], -6.5);
    let sd = (237.0f64 / 3.0).sqrt();
    close(&total["sd_change"], sd);
    close(&total["cohens_d"], 6.5 / sd);
    assert_eq!(
        [
            &total["improved"],
            &total["unchanged"],
            &total["worsened"],
            &total["unjudged"]
        ],
        [2, 1, 1, 0]
    );
    let rows = by_client["scales"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    let b = rows.iter().find(|r| r["name_en"] == "B Client").unwrap();
    assert_eq!(b["change"]["worsened"], 1);
    assert_eq!(b["change"]["cohens_d"], Value::Null);
    assert_eq!(by_client["scales"][0]["rule"], "band_change");

    let by_group = app
        .get("/api/outcomes?instrument=phq9&by=group", &worker)
        .await
        .json();
    let rows = by_group["scales"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["key"], group_id.as_str());
    assert_eq!(rows[0]["name_en"], "Single parents' mutual aid group");
    assert_eq!(rows[0]["change"]["improved"], 1);
    let by_model = app
        .get(
            "/api/outcomes?instrument=phq9&by=intervention_model",
            &worker,
        )
        .await
        .json();
    assert_eq!(by_model["scales"][0]["rows"][0]["key"], "mutual_aid");
    // By centre is the centre's aggregate: the supervisor's, not the worker's to see.
    let refused = app
        .get("/api/outcomes?instrument=phq9&by=centre", &worker)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let supervisor = app.login("supervisor").await;
    let by_centre = app
        .get("/api/outcomes?instrument=phq9&by=centre", &supervisor)
        .await
        .json();
    assert_eq!(by_centre["scales"][0]["rows"][0]["change"]["pairs"], 4);

    // Post-service measures from 16 November: D's alone.
    let later = app
        .get("/api/outcomes?instrument=phq9&from=2026-11-16", &worker)
        .await
        .json();
    assert_eq!(later["scales"][0]["total"]["pairs"], 1);
    let none = app
        .get("/api/outcomes?instrument=who5", &worker)
        .await
        .json();
    assert_eq!(none["scales"][0]["total"], Value::Null);
    assert_eq!(none["scales"][0]["rule"], "reliable_change");
    assert_eq!(none["scales"][0]["higher_is_better"], true);
    assert_eq!(app.count("audit_log WHERE action = 'outcome.view'"), 6);
}

async fn outcomes_are_asked_for_plainly_and_seen_within_reach(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    measured(&app, &worker).await;
    let missing = app.get("/api/outcomes", &worker).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["fields"]["instrument"]["code"], "required");
    let unknown = app.get("/api/outcomes?instrument=bdi", &worker).await;
    assert_eq!(
        unknown.json()["fields"]["instrument"]["code"],
        "unknown_instrument"
    );
    let backwards = app
        .get(
            "/api/outcomes?instrument=phq9&from=2026-11-02&until=2026-11-01",
            &worker,
        )
        .await;
    assert_eq!(backwards.json()["fields"]["until"]["code"], "before_from");
    let odd = app
        .get("/api/outcomes?instrument=phq9&by=worker", &worker)
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
    assert_eq!(odd.json()["fields"]["by"]["code"], "invalid_query");

    // The supervisor reaches the centre's; a colleague reaches none; an agency admin
    // reads no assessments.
    let supervisor = app.login("supervisor").await;
    let theirs = app
        .get("/api/outcomes?instrument=phq9", &supervisor)
        .await
        .json();
    assert_eq!(theirs["scales"][0]["total"]["pairs"], 4);
    app.add_user(
        "ssp-colleague",
        &[common::identity::Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(common::identity::Unit::FamilyCounselling),
    );
    let colleague = app.login("ssp-colleague").await;
    let nothing = app
        .get("/api/outcomes?instrument=phq9", &colleague)
        .await
        .json();
    assert_eq!(nothing["scales"][0]["total"], Value::Null);
    let agency = app.login("agency-admin").await;
    let refused = app.get("/api/outcomes?instrument=phq9", &agency).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // By centre, the agency admin compares the agency's centres (a pair in Kwun Tong
    // too), and no more: the supervisor sees their own centre alone, another agency none.
    let elsewhere = app.login("worker2").await;
    let client = app.register(&elsewhere, "戊", "E Client").await;
    let case = open_case(&app, &elsewhere, &client, json!({})).await;
    let within = json!({"client_id": client, "case_id": case["case"]["id"]});
    give(
        &app,
        &elsewhere,
        within.clone(),
        "pre",
        "2026-10-01",
        phq9(2, None),
    )
    .await;
    give(
        &app,
        &elsewhere,
        within,
        "post",
        "2026-11-15",
        phq9(2, None),
    )
    .await;
    let by_centre = |token: String| {
        let app = &app;
        async move {
            let reply = app
                .get("/api/outcomes?instrument=phq9&by=centre", &token)
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
            let rows = reply.json()["scales"][0]["rows"].clone();
            rows.as_array()
                .unwrap()
                .iter()
                .map(|row| {
                    (
                        row["name_en"].as_str().unwrap().to_owned(),
                        row["change"]["pairs"].as_i64().unwrap(),
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let centres = by_centre(agency).await;
    assert_eq!(centres.len(), 2, "{centres:?}");
    assert_eq!(centres.iter().map(|(_, pairs)| pairs).sum::<i64>(), 5);
    assert_eq!(by_centre(supervisor).await.len(), 1);
    app.add_user(
        "lrc-admin",
        &[common::identity::Role::AgencyAdmin],
        "LRC",
        None,
        None,
    );
    assert!(by_centre(app.login("lrc-admin").await).await.is_empty());
}

/// The Hong Kong day `days` from today.
fn hong_kong_day(days: i64) -> String {
    (Utc::now() + Duration::hours(8) + Duration::days(days))
        .date_naive()
        .to_string()
}

async fn the_effectiveness_board_shows_change_and_group_completion_safely(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let me = app.user_id(&worker).await;
    let (before, after) = (hong_kong_day(-40), hong_kong_day(-3));
    // Two clients measured within their cases: 18 → 9 improved, 9 → 10 worse.
    let mut people = Vec::new();
    for (zh, en) in [("甲", "A Client"), ("乙", "B Client")] {
        people.push(app.register(&worker, zh, en).await);
    }
    for (client, pre, post) in [
        (&people[0], phq9(2, None), phq9(1, None)),
        (&people[1], phq9(1, None), phq9(1, Some((1, 2)))),
    ] {
        let case = open_case(&app, &worker, client, json!({})).await;
        let within = json!({"client_id": client, "case_id": case["case"]["id"]});
        give(&app, &worker, within.clone(), "pre", &before, pre).await;
        give(&app, &worker, within, "post", &after, post).await;
    }
    // A mutual-aid group of three whose two sessions were held: one member came to both
    // and improved 18 → 0 (completed), one to one of two (50%, under 70%), one to none.
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
    let first = format!("{}T19:00:00", hong_kong_day(-14));
    let added = app
        .send(
            Method::POST,
            &format!("/api/activities/{group_id}/sessions"),
            &worker,
            &json!({ "starts_at": first, "minutes": 90, "weeks": 2 }),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let sessions: Vec<String> = added.json()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    let members = [
        app.register(&worker, "丙", "C Client").await,
        app.register(&worker, "丁", "D Client").await,
        app.register(&worker, "戊", "E Client").await,
    ];
    for client in &members {
        let enrolled = app
            .send(
                Method::POST,
                &format!("/api/activities/{group_id}/enrolments"),
                &worker,
                &json!({ "client_id": client }),
            )
            .await;
        assert_eq!(enrolled.status, StatusCode::CREATED, "{}", enrolled.json());
    }
    for (session, came) in [
        (&sessions[0], [true, true, false]),
        (&sessions[1], [true, false, false]),
    ] {
        let marks: Vec<Value> = members
            .iter()
            .zip(came)
            .map(|(client, came)| {
                let status = if came { "present" } else { "absent" };
                json!({ "client_id": client, "status": status, "version": 0 })
            })
            .collect();
        let saved = app
            .send(
                Method::PUT,
                &format!("/api/activity-sessions/{session}/roll-call"),
                &worker,
                &json!({ "marks": marks }),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());
    }
    let within = json!({"client_id": members[0], "activity_id": group_id});
    give(&app, &worker, within.clone(), "pre", &before, phq9(2, None)).await;
    give(&app, &worker, within, "post", &after, phq9(0, None)).await;

    let period = format!("from={}&until={}", hong_kong_day(-60), hong_kong_day(0));
    let path = format!("/api/analytics/effectiveness/phq9/total?{period}");
    let supervisor = app.login("supervisor").await;
    let me = app.get("/api/me", &supervisor).await.json();
    let centre = me["centre"]["id"].as_str().unwrap().to_owned();
    let board = app.get(&path, &supervisor).await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.json());
    let board = board.json();
    let figure = |board: &Value, id: &str| -> Value {
        board["dashboard"]["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let column = |figure: &Value, key: &str| -> Vec<Value> {
        let place = figure["columns"]["keys"]
            .as_array()
            .unwrap()
            .iter()
            .position(|k| k == key)
            .unwrap_or_else(|| panic!("no column {key} in {figure}"));
        let mut counts: Vec<Value> = figure["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row[place].clone())
            .collect();
        counts.push(figure["column_totals"][place].clone());
        counts
    };
    // Rows: improved, unchanged, worsened, unjudged; then the column's pairs.
    assert_eq!(board["pairs"], 3);
    assert_eq!(board["rule"], "band_change");
    let by_centre = figure(&board, "change_by_centre");
    assert_eq!(column(&by_centre, &centre), [2, 0, 1, 0, 3]);
    let by_model = figure(&board, "change_by_model");
    assert_eq!(column(&by_model, "mutual_aid"), [1, 0, 0, 0, 1]);
    assert_eq!(column(&by_model, "casework"), [1, 0, 1, 0, 2]);
    assert_eq!(
        board["dashboard"]["names"]["mutual_aid"]["en"],
        "Mutual aid"
    );
    // Casework: changes -9 and +1, a mean of -4 from 13.5 to 9.5.
    let casework = by_model["columns"]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .position(|k| k == "casework")
        .unwrap();
    let effect = &board["effects"]["change_by_model"][casework];
    close(&effect["mean_pre"], 13.5);
    close(&effect["mean_post"], 9.5);
    close(&effect["mean_change"], -4.0);
    let sd = 50.0f64.sqrt();
    close(&effect["cohens_d"], 4.0 / sd);
    let quarter = figure(&board, "change_by_quarter");
    let keys = quarter["columns"]["keys"].as_array().unwrap();
    let totals: i64 = quarter["column_totals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_i64().unwrap())
        .sum();
    assert_eq!(totals, 3);
    assert!((1..=2).contains(&keys.len()), "{quarter}");
    // Completion: rows completed, not completed; then the members.
    assert_eq!(board["groups_ended"], 1);
    let completion = figure(&board, "completion_by_centre");
    assert_eq!(column(&completion, &centre), [1, 2, 3]);
    assert_eq!(
        column(&figure(&board, "completion_by_model"), "mutual_aid"),
        [1, 2, 3]
    );
    // A corrected mark counts: D came to the second session after all, and completed.
    let corrected = app
        .send(
            Method::PUT,
            &format!("/api/activity-sessions/{}/roll-call", sessions[1]),
            &worker,
            &json!({ "marks": [{ "client_id": members[1], "status": "late", "version": 1 }] }),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.json());
    let recounted = app.get(&path, &supervisor).await.json();
    assert_eq!(
        column(&figure(&recounted, "completion_by_centre"), &centre),
        [2, 1, 3]
    );
    assert!(board["measures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["instrument"] == "dass21" && m["scale"] == "stress"));

    // A filter of cases or their clients leaves groups out, and their measures with them.
    let narrowed = app
        .get(&format!("{path}&new_arrival=false"), &supervisor)
        .await
        .json();
    assert_eq!(narrowed["pairs"], 2);
    assert_eq!(narrowed["groups_ended"], Value::Null);
    assert_eq!(figure(&narrowed, "completion_by_centre"), Value::Null);
    // The period counts the post-service measure and the group's last session.
    let earlier = format!(
        "/api/analytics/effectiveness/phq9/total?from={}&until={}",
        hong_kong_day(-60),
        hong_kong_day(-10)
    );
    let earlier = app.get(&earlier, &supervisor).await.json();
    assert_eq!(earlier["pairs"], 0);
    assert_eq!(earlier["groups_ended"], 0);

    // Beyond one's own centre, counts of one to nine people are hidden, and the change
    // with them.
    let admin = app.login("admin").await;
    let suppressed = app.get(&path, &admin).await.json();
    assert_eq!(suppressed["dashboard"]["suppressed_below"], 10);
    assert_eq!(suppressed["pairs"], Value::Null);
    assert_eq!(suppressed["effect"], Value::Null);
    let hidden = figure(&suppressed, "change_by_centre");
    assert_eq!(
        column(&hidden, &centre),
        [Value::Null, 0.into(), Value::Null, 0.into(), Value::Null]
    );
    assert!(suppressed["effects"]["change_by_centre"]
        .as_array()
        .unwrap()
        .iter()
        .all(Value::is_null));
    assert_eq!(
        column(&figure(&suppressed, "completion_by_centre"), &centre),
        [Value::Null, Value::Null, Value::Null]
    );

    let unknown = app
        .get("/api/analytics/effectiveness/bdi/total", &supervisor)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let unknown = app
        .get("/api/analytics/effectiveness/phq9/stress", &supervisor)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(app.count("audit_log WHERE action = 'analytics.view'") >= 4);
}
