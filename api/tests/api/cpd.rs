//! An agency admin follows the CPD of their own agency's staff: this year's and this
//! cycle's hours of each, as the holder's own record counts them, who is behind, each
//! record read only with its evidence, and the list as CSV and Excel; nobody else's staff.

use actix_web::http::{Method, StatusCode};
use calamine::Data;
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;
use crate::training::{enrol, mark_done, published};

on_both_backends!(an_agency_admin_follows_the_cpd_of_their_own_staff,);

async fn an_agency_admin_follows_the_cpd_of_their_own_staff(backend: Backend) {
    // A cycle of one year, so that its minimum is the year's: 15 hours, at most 60%
    // self-reported.
    let app = TestApp::spawn_with(backend, |state| {
        state.cpd_policy = common::cpd::CpdPolicy {
            cycle_years: 1,
            first_cycle_year: 2024,
            minimum_tenths_per_year: Some(150),
            self_reported_max_percent: 60,
        }
    })
    .await;
    let (trainer, admin) = (app.login("trainer").await, app.login("agency-admin").await);
    let (worker, learner) = (app.login("worker").await, app.login("learner").await);
    let worker_id = app.user_id(&worker).await;
    let worker2_id = app.user_id(&app.login("worker2").await).await;
    let worker3_id = app.user_id(&app.login("worker3").await).await;
    let analyst_id = app.user_id(&app.login("analyst").await).await;
    app.add_user(
        "lrc-admin",
        &[common::identity::Role::AgencyAdmin],
        "LRC",
        None,
        None,
    );
    let other_admin = app.login("lrc-admin").await;

    // The worker completes a 6.5-hour course and records 10 hours elsewhere, with its
    // evidence; the learner records 3 hours elsewhere; worker2 nothing.
    let (path, page) = published(&app, &trainer, |_| {}).await;
    enrol(&app, &path, &worker).await;
    let done = mark_done(&app, &path, &page, &worker).await;
    assert!(done.json()["certificate"].is_string(), "{}", done.json());
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let learning = |tenths: i64| {
        json!({
            "title": "創傷知情實務工作坊",
            "provider": "香港社會服務聯會",
            "kind": "workshop",
            "completed_on": today,
            "cpd_tenths": tenths,
            "reflection": "會在家訪時留意創傷反應。",
        })
    };
    let record = app
        .send(Method::POST, "/api/cpd/learning", &worker, &learning(100))
        .await
        .json();
    let entry = record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "self_reported")
        .unwrap()
        .clone();
    let learning_id = entry["id"].as_str().unwrap().to_owned();
    let proof = "出席證明 Certificate of attendance\n".as_bytes().to_vec();
    let kept = app
        .raw(
            Method::POST,
            &format!(
                "/api/cpd/learning/{learning_id}/evidence?name=attendance.txt&version={}",
                entry["version"]
            ),
            Some(&worker),
            Some(proof.clone()),
        )
        .await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.json());
    app.send(Method::POST, "/api/cpd/learning", &learner, &learning(30))
        .await;

    let list = app.get("/api/cpd/staff", &admin).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.json());
    let list = list.json();
    assert_eq!(
        (&list["staff"], &list["behind"], &list["total"]),
        (&json!(3), &json!(2), &json!(3)),
        "the agency's learners, not its analyst nor another agency's: {list}"
    );
    let items = list["items"].as_array().unwrap();
    assert!(items[0]["behind"] == true && items[1]["behind"] == true);
    let row = |list: &Value, id: &str| -> Value {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["staff"]["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("{id} in {list}"))
    };
    let theirs = row(&list, &worker_id);
    assert_eq!(theirs["username"], "worker");
    assert_eq!(theirs["behind"], false);
    // 6.5 verified and 10 self-reported, of which 9.7 count beside the 6.5: 16.2 of 15.
    let year = &theirs["year"];
    assert_eq!(
        (
            &year["verified_tenths"],
            &year["self_reported_tenths"],
            &year["counted_tenths"],
            &year["minimum_tenths"]
        ),
        (&json!(65), &json!(100), &json!(162), &json!(150)),
        "{year}"
    );
    // The same totals as the worker's own record.
    let own = app.get("/api/cpd", &worker).await.json();
    assert_eq!(year, &own["years"][0]);
    assert_eq!(theirs["cycle"], own["cycles"][0]);
    assert_eq!(row(&list, &worker2_id)["year"]["counted_tenths"], 0);

    // Searched, filtered to those behind, a page at a time.
    let behind = app.get("/api/cpd/staff?behind=true", &admin).await.json();
    assert_eq!(behind["total"], 2);
    assert!(behind["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["behind"] == true && s["staff"]["id"] != worker_id.as_str()));
    let first = app.get("/api/cpd/staff?per_page=2", &admin).await.json();
    let second = app
        .get("/api/cpd/staff?per_page=2&page=2", &admin)
        .await
        .json();
    assert_eq!(
        (first["items"].as_array().unwrap().len(), &first["total"]),
        (2, &json!(3))
    );
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["staff"]["id"], worker_id.as_str());
    let found = app.get("/api/cpd/staff?q=%E5%90%B3", &admin).await.json();
    assert_eq!(found["total"], 1);
    assert_eq!(
        found["items"][0]["staff"]["display_name"],
        "吳子軒 Ng Tsz Hin"
    );
    assert_eq!(found["items"][0]["year"]["self_reported_tenths"], 30);
    let by_username = app.get("/api/cpd/staff?q=WORKER2", &admin).await.json();
    assert_eq!(by_username["items"][0]["staff"]["id"], worker2_id.as_str());
    let refused = app.get("/api/cpd/staff?per_page=0", &admin).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["fields"]["per_page"]["code"], "out_of_range");
    let long = format!("/api/cpd/staff?q={}", "a".repeat(101));
    assert_eq!(
        app.get(&long, &admin).await.json()["fields"]["q"]["code"],
        "too_long"
    );

    // One member's record, read only, and their evidence.
    let staff_path = format!("/api/cpd/staff/{worker_id}");
    let read = app.get(&staff_path, &admin).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.json());
    assert_eq!(read.json(), own, "the record as its holder reads it");
    let evidence = format!("{staff_path}/learning/{learning_id}/evidence");
    let file = app.get(&evidence, &admin).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, proof);
    for (path, token) in [
        // Another agency's staff, a member of staff who keeps no record, someone else's
        // learning, and this agency's staff to another agency's admin.
        (format!("/api/cpd/staff/{worker3_id}"), &admin),
        (format!("/api/cpd/staff/{analyst_id}"), &admin),
        (
            format!("/api/cpd/staff/{worker2_id}/learning/{learning_id}/evidence"),
            &admin,
        ),
        (staff_path.clone(), &other_admin),
        (evidence.clone(), &other_admin),
    ] {
        assert_eq!(
            app.get(&path, token).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let lrc = app.get("/api/cpd/staff", &other_admin).await.json();
    assert_eq!(lrc["total"], 1);
    assert_eq!(lrc["items"][0]["staff"]["id"], worker3_id.as_str());
    for path in ["/api/cpd/staff", "/api/cpd/staff.csv", staff_path.as_str()] {
        for token in [&worker, &trainer] {
            assert_eq!(
                app.get(path, token).await.status,
                StatusCode::FORBIDDEN,
                "{path}"
            );
        }
    }

    let csv = app.get("/api/cpd/staff.csv?behind=true", &admin).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(
        text.contains("落後 Behind") && text.contains("黃家豪 Wong Ka Ho"),
        "{text}"
    );
    assert!(!text.contains("陳美玲"), "only those behind: {text}");
    let everyone = String::from_utf8(app.get("/api/cpd/staff.csv", &admin).await.bytes).unwrap();
    assert!(everyone.contains("陳美玲 Chan Mei Ling") && everyone.contains("16.2"));
    assert!(!everyone.contains("林淑儀"), "not another agency's staff");
    let book = app.get("/api/cpd/staff.xlsx", &admin).await;
    assert_eq!(book.status, StatusCode::OK);
    let rows = crate::export::rows_of(book.bytes);
    let chan = rows
        .iter()
        .find(|row| row[0] == Data::String("陳美玲 Chan Mei Ling".into()))
        .expect("her line in the workbook");
    // This year's hours counted, as a number Excel sums.
    assert_eq!(chan[7], Data::Float(16.2), "{chan:?}");
    assert!(rows
        .iter()
        .all(|row| !row[0].to_string().contains("林淑儀")));

    for (action, count) in [
        ("cpd.staff_list", 7),
        ("cpd.staff_record", 1),
        ("cpd.staff_evidence", 1),
        ("cpd.staff_export", 3),
    ] {
        assert_eq!(
            app.count(&format!("audit_log WHERE action = '{action}'")),
            count,
            "{action}"
        );
    }
}
