//! The contact log: writing, reading (with and without the narrative), the edit window
//! and corrections, and searching the notes one may read.

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use common::identity::{Role, Unit};

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_note_is_written_and_read_by_those_who_reach_its_case,
    only_the_author_edits_a_note_and_only_within_the_window,
    after_the_window_a_correction_stands_beside_the_note,
    a_bad_note_is_refused_naming_the_field,
    a_search_finds_notes_by_chinese_and_english_words,
    a_search_finds_a_correction_and_notes_written_before_the_index,
    a_search_finds_only_the_notes_its_user_may_read,
    a_workers_search_finds_what_was_written_since_their_last,
    a_bad_search_term_is_refused_naming_q,
    a_broad_search_counts_at_most_what_its_page_did_not_check,
    a_note_carries_its_themes_with_the_words_that_raised_them,
    an_analyst_takes_the_notes_with_no_identifier_left,
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

pub(crate) fn note(participants: &[&str], narrative: &str) -> Value {
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

async fn search(app: &TestApp, token: &str, body: Value) -> crate::helpers::Reply {
    app.send(Method::POST, "/api/case-notes/search", token, &body)
        .await
}

/// How many notes a search finds for the token's user.
pub(crate) async fn found(app: &TestApp, token: &str, q: &str) -> i64 {
    let reply = search(app, token, json!({ "q": q })).await;
    assert_eq!(reply.status, StatusCode::OK, "{q}: {}", reply.json());
    reply.json()["total"].as_i64().unwrap()
}

/// How many notes a search finds for the worker, after checking that their supervisor
/// finds as many: a caseload is read through, a centre looked up in the posting lists.
async fn found_by_both(app: &TestApp, worker: &str, supervisor: &str, q: &str) -> i64 {
    let by_worker = found(app, worker, q).await;
    assert_eq!(found(app, supervisor, q).await, by_worker, "{q}");
    by_worker
}

async fn write_note(app: &TestApp, token: &str, case_id: &str, mut body: Value) -> Value {
    body["participant_ids"] = json!([]);
    let reply = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/notes"),
            token,
            &body,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.json());
    reply.json()
}

async fn a_search_finds_notes_by_chinese_and_english_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let (case_id, _, _) = case_with_people(&app, &worker).await;
    let mut earlier = note(&[], "電話聯絡：女兒情緒好轉。");
    earlier["contact_at"] = json!("2026-10-01T09:00:00");
    earlier["contact_type"] = json!("phone");
    write_note(&app, &worker, &case_id, earlier).await;
    write_note(
        &app,
        &worker,
        &case_id,
        note(&[], "家訪：母女關係緊張，女兒情緒低落。"),
    )
    .await;
    let mixed = write_note(
        &app,
        &worker,
        &case_id,
        note(
            &[],
            "Home visit: Mother was  ANXIOUS about school fees.\n母親擔心學費。",
        ),
    )
    .await;

    // A two-character word, with no space around it, is one lookup.
    let reply = search(&app, &worker, json!({ "q": "情緒" })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    let page = reply.json();
    assert_eq!(page["total"], 2);
    assert_eq!(page["page"], 1);
    let latest = &page["items"][0];
    assert_eq!(latest["case_id"], case_id.as_str());
    assert!(latest["case_number"].as_str().unwrap().len() > 4);
    assert_eq!(latest["client"]["name_zh"], "陳淑儀");
    assert_eq!(latest["contact_type"], "home_visit");
    assert_eq!(latest["contact_at"], "2026-11-02T02:30:00Z");
    assert_eq!(latest["author"]["display_name"], "陳美玲 Chan Mei Ling");
    assert_eq!(latest["excerpt"], "家訪：母女關係緊張，女兒情緒低落。");
    assert_eq!(page["items"][1]["contact_type"], "phone", "latest first");

    // An English word in a mixed note, in any case, across a line break.
    for q in ["anxious", "ANXIOUS about school", "學費", "home"] {
        assert_eq!(found_by_both(&app, &worker, &supervisor, q).await, 1);
        let reply = search(&app, &worker, json!({ "q": q })).await.json();
        assert_eq!(reply["total"], 1, "{q}: {reply}");
        assert_eq!(reply["items"][0]["note_id"], mixed["id"]);
    }
    let shown = search(&app, &worker, json!({ "q": "anxious" }))
        .await
        .json();
    assert_eq!(
        shown["items"][0]["excerpt"],
        "Home visit: Mother was ANXIOUS about school fees. 母親擔心學費。"
    );
    assert_eq!(found_by_both(&app, &worker, &supervisor, "憤怒").await, 0);
    assert_eq!(
        found_by_both(&app, &worker, &supervisor, "anxiety").await,
        0
    );

    // An edit is searched as it now reads.
    let mut edit = note(&[], "Home visit: Mother calmer now.");
    edit["version"] = json!(1);
    let edited = app
        .send(
            Method::PUT,
            &format!("/api/case-notes/{}", mixed["id"].as_str().unwrap()),
            &worker,
            &edit,
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    assert_eq!(
        found_by_both(&app, &worker, &supervisor, "anxious").await,
        0
    );
    assert_eq!(found_by_both(&app, &worker, &supervisor, "calmer").await, 1);

    // Pages of 20, and the term never reaches the audit trail.
    for _ in 0..19 {
        write_note(&app, &worker, &case_id, note(&[], "情緒平穩。")).await;
    }
    let second = search(&app, &worker, json!({ "q": "情緒", "page": 2 }))
        .await
        .json();
    assert_eq!(second["total"], 21);
    assert_eq!(second["per_page"], 20);
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    assert_eq!(second["items"][0]["contact_type"], "phone");
    let by_supervisor = search(&app, &supervisor, json!({ "q": "情緒", "page": 2 }))
        .await
        .json();
    assert_eq!(by_supervisor["total"], 21);
    assert_eq!(by_supervisor["items"][0]["contact_type"], "phone");
    assert!(app.count("audit_log WHERE action = 'case_note.search'") >= 10);
    assert_eq!(
        app.count(
            "audit_log WHERE action = 'case_note.search' \
             AND (detail LIKE '%情緒%' OR detail LIKE '%anxious%')"
        ),
        0
    );
}

async fn a_search_finds_a_correction_and_notes_written_before_the_index(backend: Backend) {
    let app = TestApp::spawn_with(backend, |state| {
        state.note_edit_window = chrono::Duration::zero();
    })
    .await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let (case_id, _, _) = case_with_people(&app, &worker).await;
    let written = write_note(&app, &worker, &case_id, note(&[], "面談四十分鐘。")).await;
    assert_eq!(found_by_both(&app, &worker, &supervisor, "失眠").await, 0);
    let corrected = app
        .send(
            Method::POST,
            &format!(
                "/api/case-notes/{}/corrections",
                written["id"].as_str().unwrap()
            ),
            &worker,
            &json!({ "narrative": "另加：案主近月失眠。", "reason": "補充" }),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.json());
    let reply = search(&app, &worker, json!({ "q": "失眠" })).await.json();
    assert_eq!(reply["total"], 1);
    assert_eq!(reply["items"][0]["note_id"], written["id"]);
    assert_eq!(reply["items"][0]["excerpt"], "另加：案主近月失眠。");
    assert_eq!(
        found_by_both(&app, &worker, &supervisor, "四十分鐘").await,
        1
    );

    // Notes from before the index get their text and grams when the server starts.
    for sql in [
        "UPDATE case_notes SET search_text = NULL, search_seq = NULL",
        "DELETE FROM search_postings WHERE kind = 'case_note'",
    ] {
        app.execute(sql);
    }
    assert_eq!(found_by_both(&app, &worker, &supervisor, "失眠").await, 0);
    let indexed = api::case_notes::service::index_unindexed(&mut app.conn()).unwrap();
    assert_eq!(indexed, 1);
    assert_eq!(found_by_both(&app, &worker, &supervisor, "失眠").await, 1);
    assert_eq!(
        found_by_both(&app, &worker, &supervisor, "四十分鐘").await,
        1
    );
}

/// A social worker of the demo worker's centre, with a case of their own and a note on
/// it: their token and the case's id.
async fn colleague_with_note(app: &TestApp, narrative: &str) -> (String, String) {
    app.add_user(
        "ssp-worker",
        &[Role::SocialWorker],
        "HFS",
        Some("HFS-SSP"),
        Some(Unit::FamilyCounselling),
    );
    let colleague = app.login("ssp-worker").await;
    let (case_id, _, _) = case_with_people(app, &colleague).await;
    write_note(app, &colleague, &case_id, note(&[], narrative)).await;
    (colleague, case_id)
}

async fn a_search_finds_only_the_notes_its_user_may_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let (case_id, _, _) = case_with_people(&app, &worker).await;
    write_note(&app, &worker, &case_id, note(&[], "家訪：女兒情緒低落。")).await;
    // The colleague's own case and note in the same centre: found by them alone.
    let (colleague, _) = colleague_with_note(&app, "女兒情緒穩定。").await;

    assert_eq!(found(&app, &worker, "情緒").await, 1);
    assert_eq!(found(&app, &colleague, "情緒").await, 1);
    assert_eq!(found(&app, &colleague, "低落").await, 0);
    let supervisor = app.login("supervisor").await;
    // A case the supervisor shows the colleague is theirs to read, and so are its notes.
    let shared = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/shares"),
            &supervisor,
            &json!({ "user_id": app.user_id(&colleague).await }),
        )
        .await;
    assert_eq!(shared.status, StatusCode::OK, "{}", shared.json());
    assert_eq!(found(&app, &colleague, "低落").await, 1);
    let unshared = app
        .send(
            Method::DELETE,
            &format!(
                "/api/cases/{case_id}/shares/{}",
                app.user_id(&colleague).await
            ),
            &supervisor,
            &json!({}),
        )
        .await;
    assert_eq!(unshared.status, StatusCode::OK);
    assert_eq!(found(&app, &colleague, "低落").await, 0);
    assert_eq!(found(&app, &supervisor, "情緒").await, 2);
    let other_centre = app.login("worker2").await;
    assert_eq!(found(&app, &other_centre, "情緒").await, 0);
    let other_agency = app.login("worker3").await;
    assert_eq!(found(&app, &other_agency, "情緒").await, 0);
    // The agency admin reads the agency's cases, never what was said in them: the search
    // is not theirs.
    let agency_admin = app.login("agency-admin").await;
    let refused = search(&app, &agency_admin, json!({ "q": "情緒" })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let analyst = app.login("analyst").await;
    let refused = search(&app, &analyst, json!({ "q": "情緒" })).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A transferred case's notes are found in the centre it went to, and no longer in
    // the one it left.
    app.add_user(
        "kt-supervisor",
        &[Role::Supervisor],
        "HFS",
        Some("HFS-KT"),
        Some(Unit::FamilyCounselling),
    );
    let kt_supervisor = app.login("kt-supervisor").await;
    let kt_centre = app.get("/api/me", &other_centre).await.json()["centre"]["id"].clone();
    let path = format!("/api/cases/{case_id}");
    let version = app.get(&path, &worker).await.json()["case"]["version"].clone();
    let offered = app
        .send(
            Method::POST,
            &format!("{path}/transfer"),
            &worker,
            &json!({ "to_centre_id": kt_centre, "reason": "家庭搬遷", "version": version }),
        )
        .await;
    assert_eq!(offered.status, StatusCode::OK, "{}", offered.json());
    let accepted = app
        .send(
            Method::POST,
            &format!("{path}/transfer/answer"),
            &kt_supervisor,
            &json!({ "answer": "accepted", "worker_id": app.user_id(&other_centre).await }),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.json());
    assert_eq!(found(&app, &other_centre, "情緒").await, 1);
    assert_eq!(found(&app, &kt_supervisor, "情緒").await, 1);
    assert_eq!(found(&app, &supervisor, "情緒").await, 1);
    assert_eq!(found(&app, &worker, "情緒").await, 0);
}

/// A worker's note numbers are kept between their searches: notes written since, in
/// their cases or a colleague's, and the notes of a case they join since, show at once.
async fn a_workers_search_finds_what_was_written_since_their_last(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let (case_id, _, _) = case_with_people(&app, &worker).await;
    write_note(&app, &worker, &case_id, note(&[], "家訪：女兒情緒低落。")).await;
    assert_eq!(found(&app, &worker, "情緒").await, 1);

    write_note(&app, &worker, &case_id, note(&[], "電話：女兒情緒好轉。")).await;
    let (colleague, theirs) = colleague_with_note(&app, "母親情緒穩定。").await;
    assert_eq!(found(&app, &worker, "情緒").await, 2);
    assert_eq!(found(&app, &colleague, "情緒").await, 1);

    // The colleague makes the worker a co-worker of their case: its notes, written
    // before, are the worker's to find from then on.
    let path = format!("/api/cases/{theirs}");
    let version = app.get(&path, &colleague).await.json()["case"]["version"].clone();
    let joined = app
        .send(
            Method::PUT,
            &path,
            &colleague,
            &json!({
                "case_type": "in_depth_counselling",
                "referral_source": "self",
                "co_worker_ids": [app.user_id(&worker).await],
                "version": version,
            }),
        )
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.json());
    assert_eq!(found(&app, &worker, "情緒").await, 3);
    assert_eq!(found(&app, &worker, "穩定").await, 1);
}

async fn a_broad_search_counts_at_most_what_its_page_did_not_check(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let (case_id, _, _) = case_with_people(&app, &worker).await;
    // The oldest note has every pair of the term's characters, but not the term.
    write_note(&app, &worker, &case_id, note(&[], "情緒緒平平穩。")).await;
    for _ in 0..69 {
        write_note(&app, &worker, &case_id, note(&[], "情緒平穩。")).await;
    }
    for token in [&worker, &supervisor] {
        let first = search(&app, token, json!({ "q": "情緒平穩" })).await.json();
        assert_eq!(first["items"].as_array().unwrap().len(), 20, "{first}");
        assert_eq!(
            (&first["total"], &first["total_estimated"]),
            (&json!(70), &json!(true)),
            "the newest 64 checked, the 6 older counted as at most: {first}"
        );
        let last = search(&app, token, json!({ "q": "情緒平穩", "page": 4 }))
            .await
            .json();
        assert_eq!(last["items"].as_array().unwrap().len(), 9, "{last}");
        assert_eq!(
            (&last["total"], &last["total_estimated"]),
            (&json!(69), &json!(false)),
            "every candidate checked: {last}"
        );
        let one_gram = search(&app, token, json!({ "q": "平穩" })).await.json();
        assert_eq!(
            (&one_gram["total"], &one_gram["total_estimated"]),
            (&json!(70), &json!(false))
        );
    }
}

async fn a_bad_search_term_is_refused_naming_q(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    for (body, code) in [
        (json!({}), "required"),
        (json!({ "q": "   " }), "required"),
        (json!({ "q": "情" }), "too_short"),
        // Two letters apart find nothing by the index; reading every note is not done.
        (json!({ "q": "a b" }), "too_short"),
        (json!({ "q": "情".repeat(51) }), "too_long"),
    ] {
        let reply = search(&app, &worker, body.clone()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(reply.error_code(), "validation_failed", "{body}");
        assert_eq!(reply.json()["fields"]["q"]["code"], code, "{body}");
    }
    let far = search(&app, &worker, json!({ "q": "情緒", "page": 0 })).await;
    assert_eq!(far.json()["fields"]["page"]["code"], "out_of_range");
    let unknown = search(&app, &worker, json!({ "q": "情緒", "term": "x" })).await;
    assert!(unknown.status.is_client_error());
    assert!(unknown.json()["fields"]["term"].is_object());
    assert_eq!(app.count("audit_log WHERE action = 'case_note.search'"), 0);
}

fn themes(note: &Value) -> Vec<(String, Vec<String>)> {
    note["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let words = t["words"].as_array().unwrap();
            (
                t["theme"].as_str().unwrap().to_owned(),
                words
                    .iter()
                    .map(|w| w.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

fn theme_names(note: &Value) -> Vec<String> {
    themes(note).into_iter().map(|(theme, _)| theme).collect()
}

async fn a_note_carries_its_themes_with_the_words_that_raised_them(backend: Backend) {
    let app = TestApp::spawn_with(backend, |state| {
        state.note_edit_window = chrono::Duration::zero();
    })
    .await;
    let worker = app.login("worker").await;
    let (case_id, _, _) = case_with_people(&app, &worker).await;
    let written = write_note(
        &app,
        &worker,
        &case_id,
        note(
            &[],
            "案主表示丈夫昨晚打她，她否認有自殺念頭。已協助申請綜援。",
        ),
    )
    .await;
    let found = themes(&written);
    assert!(
        found.contains(&("financial".into(), vec!["申請綜援".into()])),
        "{found:?}"
    );
    assert!(
        found.contains(&("cue:violence".into(), vec!["打她".into()])),
        "{found:?}"
    );
    assert!(theme_names(&written).contains(&"spouse_battering".to_string()));
    // Denied in the note: not a theme.
    assert!(!theme_names(&written)
        .iter()
        .any(|t| t == "suicide_risk" || t == "cue:self_harm"));

    // A correction is read with the note.
    let note_id = written["id"].as_str().unwrap();
    let corrected = app
        .send(
            Method::POST,
            &format!("/api/case-notes/{note_id}/corrections"),
            &worker,
            &json!({ "narrative": "另加：案主近日有輕生念頭。", "reason": "補充" }),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.json());
    assert!(theme_names(&corrected.json()).contains(&"cue:self_harm".to_string()));

    let path = format!("/api/cases/{case_id}/notes");
    let supervisor = app.login("supervisor").await;
    assert!(theme_names(&app.get(&path, &supervisor).await.json()[0])
        .contains(&"suicide_risk".to_string()));
    // Who may not read the narrative does not read what it is about either.
    let agency_admin = app.login("agency-admin").await;
    assert_eq!(
        app.get(&path, &agency_admin).await.json()[0]["themes"],
        json!([])
    );

    // Notes tagged before, or by an older lexicon, are tagged again in the background,
    // many in one batch, each with its own themes and corrections.
    let other = write_note(
        &app,
        &worker,
        &case_id,
        note(&[], "案主失業，已協助申請綜援。"),
    )
    .await;
    assert!(!themes(&other).is_empty());
    app.execute("DELETE FROM note_themes");
    app.execute("UPDATE case_notes SET themes_lexicon = 'older'");
    let of_id = |notes: &Value, id: &str| {
        let found = notes.as_array().unwrap().iter().find(|n| n["id"] == id);
        themes(found.expect("the note is listed"))
    };
    assert!(of_id(&app.get(&path, &worker).await.json(), note_id).is_empty());
    let tagged = api::case_notes::service::tag_untagged(&mut app.conn(), || false).unwrap();
    assert_eq!(tagged, 2);
    let again = app.get(&path, &worker).await.json();
    assert_eq!(of_id(&again, note_id), themes(&corrected.json()));
    assert_eq!(of_id(&again, other["id"].as_str().unwrap()), themes(&other));
    assert_eq!(
        api::case_notes::service::tag_untagged(&mut app.conn(), || false).unwrap(),
        0
    );
}

/// The rows of a research corpus, by column name.
fn corpus_rows(bytes: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

async fn an_analyst_takes_the_notes_with_no_identifier_left(backend: Backend) {
    let app = TestApp::spawn_with(backend, |state| {
        state.note_edit_window = chrono::Duration::zero();
    })
    .await;
    let worker = app.login("worker").await;
    let (case_id, client, daughter) = case_with_people(&app, &worker).await;
    let mut body = note(
        &[],
        "陳淑儀表示丈夫昨晚打她。女兒李曉晴的手提電話 9123 4567，案主身份證 A123456(7)。",
    );
    body["participant_ids"] = json!([client, daughter]);
    let written = app
        .send(
            Method::POST,
            &format!("/api/cases/{case_id}/notes"),
            &worker,
            &body,
        )
        .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.json());
    let note_id = written.json()["id"].as_str().unwrap().to_owned();
    let corrected = app
        .send(
            Method::POST,
            &format!("/api/case-notes/{note_id}/corrections"),
            &worker,
            &json!({ "narrative": "另加：CHAN Shuk Yee 近日有輕生念頭。", "reason": "補充" }),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.json());

    let path = "/api/analytics/corpus.csv";
    let period = json!({ "from": "2026-11-01", "until": "2026-11-30" });
    let analyst = app.login("analyst").await;
    let taken = app.send(Method::POST, path, &analyst, &period).await;
    assert_eq!(
        taken.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&taken.bytes)
    );
    let text = String::from_utf8(taken.bytes.to_vec()).unwrap();
    for identifier in [
        "陳淑儀",
        "李曉晴",
        "CHAN Shuk Yee",
        "9123 4567",
        "A123456",
        &case_id,
        &note_id,
    ] {
        assert!(
            !text.contains(identifier),
            "{identifier} left in the corpus"
        );
    }
    let rows = corpus_rows(&taken.bytes);
    let row = rows
        .iter()
        .find(|r| r["narrative"].contains("表示丈夫昨晚打她"))
        .expect("the note is in the corpus");
    assert_eq!(
        row["narrative"],
        "[NAME]表示丈夫昨晚打她。女兒[NAME]的手提電話 [PHONE]，案主身份證 [HKID]。"
    );
    assert_eq!(row["corrections"], "另加：[NAME] 近日有輕生念頭。");
    assert_eq!(row["month"], "2026-11");
    assert_eq!(row["case_type"], "in_depth_counselling");
    let themes: Vec<&str> = row["themes"].split(';').collect();
    assert!(
        themes.contains(&"cue:violence") && themes.contains(&"cue:self_harm"),
        "{themes:?}"
    );
    // Cases and notes are numbered within the export alone.
    let numbers: Vec<usize> = rows.iter().map(|r| r["note"].parse().unwrap()).collect();
    assert_eq!(numbers, (1..=rows.len()).collect::<Vec<_>>());
    app.reads.flush();
    let detail = crate::statistics::one(
        &app,
        "SELECT detail AS v FROM audit_log WHERE action = 'corpus.export'",
    );
    let detail: Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["notes"], rows.len());
    assert_eq!(detail["from"], "2026-11-01");

    // A month without the note leaves it out; more than a year is refused, naming the field.
    let october = json!({ "from": "2026-10-01", "until": "2026-10-31" });
    let earlier = app.send(Method::POST, path, &analyst, &october).await;
    assert!(!String::from_utf8_lossy(&earlier.bytes).contains("表示丈夫昨晚打她"));
    let long = json!({ "from": "2025-01-01", "until": "2026-01-02" });
    let refused = app.send(Method::POST, path, &analyst, &long).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.json()["fields"]["until"].is_object(),
        "{}",
        refused.json()
    );
    // Those who read the notes themselves, or no notes, take no corpus.
    for user in ["supervisor", "agency-admin"] {
        let token = app.login(user).await;
        let reply = app.send(Method::POST, path, &token, &period).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{user}");
    }
}
