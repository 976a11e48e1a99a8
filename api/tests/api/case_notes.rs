//! The contact log: writing, reading (with and without the narrative), the edit window
//! and corrections.

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_note_is_written_and_read_by_those_who_reach_its_case,
    only_the_author_edits_a_note_and_only_within_the_window,
    after_the_window_a_correction_stands_beside_the_note,
    a_bad_note_is_refused_naming_the_field,
);

/// A case of the demo worker's, with a client and one household member: its id, and the
/// client's and the member's.
async fn case_with_people(app: &TestApp, worker: &str) -> (String, String, String) {
    let client = app.register(worker, "陳淑儀", "CHAN Shuk Yee").await;
    let daughter = app.register(worker, "李曉晴", "LEE Hiu Ching").await;
    let reply = app
        .send(
            Method::POST,
            "/api/cases",
            worker,
            &json!({
                "client_id": client,
                "case_type": "in_depth_counselling",
                "referral_source": "self",
                "member_ids": [daughter],
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    (
        reply.json()["case"]["id"].as_str().unwrap().to_owned(),
        client,
        daughter,
    )
}

fn note(participants: &[&str], narrative: &str) -> Value {
    json!({
        "contact_at": "2026-11-02T10:30:00",
        "contact_type": "home_visit",
        "duration_minutes": 90,
        "participant_ids": participants,
        "other_participants": "學校社工",
        "narrative": narrative,
    })
}

async fn a_note_is_written_and_read_by_those_who_reach_its_case(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let (case_id, client, daughter) = case_with_people(&app, &worker).await;
    let path = format!("/api/cases/{case_id}/notes");
    let written = app
        .send(
            Method::POST,
            &path,
            &worker,
            &note(&[&client, &daughter], "家訪：母女關係緊張，女兒情緒低落。"),
        )
        .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.json());
    let written = written.json();
    // Written as Hong Kong time, kept as the instant.
    assert_eq!(written["contact_at"], "2026-11-02T02:30:00Z");
    assert_eq!(written["participants"].as_array().unwrap().len(), 2);
    assert_eq!(written["author"]["display_name"], "陳美玲 Chan Mei Ling");

    let supervisor = app.login("supervisor").await;
    let read = app.get(&path, &supervisor).await.json();
    assert_eq!(read[0]["narrative"], "家訪：母女關係緊張，女兒情緒低落。");
    // The agency admin reads the case's contacts, never what was said.
    let agency_admin = app.login("agency-admin").await;
    let read = app.get(&path, &agency_admin).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()[0]["narrative"], Value::Null);
    assert_eq!(read.json()[0]["contact_type"], "home_visit");
    let refused = app
        .send(Method::POST, &path, &agency_admin, &note(&[], "x"))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let other_centre = app.login("worker2").await;
    assert_eq!(
        app.get(&path, &other_centre).await.status,
        StatusCode::NOT_FOUND
    );
    let analyst = app.login("analyst").await;
    assert_eq!(app.get(&path, &analyst).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.count("audit_log WHERE action IN ('case_note.create', 'case_note.list')"),
        3
    );
}

async fn only_the_author_edits_a_note_and_only_within_the_window(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let (case_id, client, _) = case_with_people(&app, &worker).await;
    let written = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/notes"),
            &worker,
            &note(&[&client], "電話聯絡。"),
        )
        .await
        .json();
    let note_path = format!("/api/case-notes/{}", written["id"].as_str().unwrap());
    let mut edit = note(&[&client], "電話聯絡，約定下星期面談。");
    edit["version"] = json!(1);
    let edited = app.send(Method::PUT, &note_path, &worker, &edit).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    assert_eq!(edited.json()["narrative"], "電話聯絡，約定下星期面談。");
    assert_eq!(edited.json()["version"], 2);
    let stale = app.send(Method::PUT, &note_path, &worker, &edit).await;
    assert_eq!(stale.error_code(), "version_conflict");
    // The supervisor works on the case too, but the note is the worker's.
    let supervisor = app.login("supervisor").await;
    let mut theirs = edit.clone();
    theirs["version"] = json!(2);
    let refused = app
        .send(Method::PUT, &note_path, &supervisor, &theirs)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let unversioned = app
        .send(Method::PUT, &note_path, &worker, &note(&[], "x"))
        .await;
    assert_eq!(unversioned.json()["fields"]["version"]["code"], "required");
}

async fn after_the_window_a_correction_stands_beside_the_note(backend: Backend) {
    let app = TestApp::spawn_with(backend, |state| {
        state.note_edit_window = chrono::Duration::zero();
    })
    .await;
    let worker = app.login("worker").await;
    let (case_id, client, _) = case_with_people(&app, &worker).await;
    let written = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/notes"),
            &worker,
            &note(&[&client], "面談四十分鐘。"),
        )
        .await
        .json();
    let note_path = format!("/api/case-notes/{}", written["id"].as_str().unwrap());
    let mut edit = note(&[&client], "面談六十分鐘。");
    edit["version"] = json!(1);
    let closed = app.send(Method::PUT, &note_path, &worker, &edit).await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert_eq!(closed.error_code(), "edit_window_closed");

    let no_reason = app
        .send(
            Method::POST,
            &format!("{note_path}/corrections"),
            &worker,
            &json!({ "narrative": "面談六十分鐘。" }),
        )
        .await;
    assert_eq!(no_reason.json()["fields"]["reason"]["code"], "required");
    let corrected = app
        .send(
            Method::POST,
            &format!("{note_path}/corrections"),
            &worker,
            &json!({ "narrative": "面談六十分鐘。", "reason": "時間記錯" }),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.json());
    let notes = app
        .get(&format!("/api/cases/{case_id}/notes"), &worker)
        .await
        .json();
    assert_eq!(
        notes[0]["narrative"], "面談四十分鐘。",
        "the original stays"
    );
    assert_eq!(notes[0]["corrections"][0]["narrative"], "面談六十分鐘。");
    assert_eq!(notes[0]["corrections"][0]["reason"], "時間記錯");
    assert_eq!(notes[0]["version"], 1);
    // A supervisor of the case may correct too; another centre's worker cannot see it.
    let supervisor = app.login("supervisor").await;
    let by_supervisor = app
        .send(
            Method::POST,
            &format!("{note_path}/corrections"),
            &supervisor,
            &json!({ "narrative": "另加：案主同意轉介。", "reason": "補充" }),
        )
        .await;
    assert_eq!(by_supervisor.status, StatusCode::OK);
    let worker2 = app.login("worker2").await;
    let hidden = app
        .send(
            Method::POST,
            &format!("{note_path}/corrections"),
            &worker2,
            &json!({ "narrative": "x", "reason": "x" }),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

async fn a_bad_note_is_refused_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let (case_id, _, _) = case_with_people(&app, &worker).await;
    let stranger = app.register(&worker, "張三", "CHEUNG Sam").await;
    let path = format!("/api/cases/{case_id}/notes");
    let reply = app
        .send(
            Method::POST,
            &path,
            &worker,
            &json!({ "contact_at": "2999-01-01T09:00:00", "duration_minutes": 0, "narrative": "" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = reply.json()["fields"].clone();
    assert_eq!(fields["contact_at"]["code"], "date_in_future");
    assert_eq!(fields["contact_type"]["code"], "required");
    assert_eq!(fields["duration_minutes"]["code"], "out_of_range");
    assert_eq!(fields["narrative"]["code"], "required");
    let outsider = app
        .send(Method::POST, &path, &worker, &note(&[&stranger], "x"))
        .await;
    assert_eq!(
        outsider.json()["fields"]["participant_ids"]["code"],
        "unknown_client"
    );
    let bad_type = app
        .send(
            Method::POST,
            &path,
            &worker,
            &json!({ "contact_type": "telepathy" }),
        )
        .await;
    assert!(bad_type.status.is_client_error());
    assert!(bad_type.json()["fields"]["contact_type"].is_object());
    assert_eq!(app.count("case_notes"), 0);
}
