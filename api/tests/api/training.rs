//! i-TLS: a trainer writes and publishes a course; a learner enrols, reads, passes its
//! quiz within the attempts allowed, completes it and receives a certificate that anyone
//! can verify without signing in, until it is revoked; every bad definition is named by
//! its path.

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Backend, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_learner_completes_a_course_and_anyone_verifies_the_certificate,
    a_course_is_refused_naming_what_is_wrong,
    an_agency_admin_enrols_staff_from_a_list_and_follows_who_is_behind,
    a_worker_keeps_a_cpd_record_of_courses_and_learning_elsewhere,
    a_reflection_is_done_once_its_trainer_signs_it_off,
    a_quiz_draws_its_questions_from_the_course_bank,
    a_long_cpd_transcript_runs_over_pages,
    certificates_due_for_renewal_are_shown_and_their_course_taken_again,
    the_catalogue_is_searched_by_either_title_a_page_at_a_time,
    a_file_activity_is_done_once_its_learner_opens_it,
    a_discussion_is_done_once_its_learner_posts_and_only_the_course_reads_it,
);

/// The text of a PDF's pages, and how many there are.
fn pdf_text(bytes: &[u8]) -> (String, usize) {
    assert!(bytes.starts_with(b"%PDF-"));
    let document = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).expect("its text extracts");
    (text, pages.len())
}

pub fn course() -> Value {
    json!({
        "title_zh": "家庭暴力個案的風險評估",
        "title_en": "Risk assessment in family violence cases",
        "summary_zh": "認識風險因素，學習安全計劃。",
        "summary_en": "Risk factors and safety planning.",
        "category": "domestic_violence",
        "language": "cantonese",
        "audiences": ["social_workers"],
        "cpd_tenths": 65,
        "self_enrol": true,
        "certificate_months": 24,
        "modules": [{
            "title_zh": "單元一：風險因素",
            "title_en": "Module 1: risk factors",
            "activities": [
                { "kind": "page", "title_zh": "閱讀：風險因素", "title_en": "Reading: risk factors",
                  "body": "過往暴力、酗酒及分居是常見的風險因素。" },
                { "kind": "link", "title_zh": "延伸影片", "title_en": "Further video",
                  "url": "https://example.org/video", "required": false },
                { "kind": "quiz", "title_zh": "小測", "title_en": "Quiz", "pass_mark": 70, "attempts": 2,
                  "questions": [
                    { "kind": "multiple_choice", "prompt_zh": "哪些是風險因素？", "prompt_en": "Which are risk factors?",
                      "choices": [ { "zh": "過往暴力", "en": "Past violence" }, { "zh": "社會支援", "en": "Social support" },
                                   { "zh": "酗酒", "en": "Drinking" } ],
                      "correct": [0, 2], "points": 2 },
                    { "kind": "true_false", "prompt_zh": "分居後風險會即時消失。", "prompt_en": "Risk ends at separation.",
                      "correct": [1] },
                    { "kind": "short_answer", "prompt_zh": "負責保護家庭及兒童服務課的部門？",
                      "prompt_en": "Which department runs the protective services units?", "accepted": ["SWD", "社會福利署"] }
                  ] }
            ]
        }]
    })
}

async fn a_learner_completes_a_course_and_anyone_verifies_the_certificate(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let trainer = app.login("trainer").await;
    let learner = app.login("learner").await;
    let worker = app.login("worker").await;
    let analyst = app.login("analyst").await;

    let by_learner = app
        .send(Method::POST, "/api/courses", &learner, &course())
        .await;
    assert_eq!(by_learner.status, StatusCode::FORBIDDEN);
    let made = app
        .send(Method::POST, "/api/courses", &trainer, &course())
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    let made = made.json();
    let id = made["id"].as_str().unwrap().to_owned();
    let keys: Vec<String> = made["content"]["modules"][0]["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys.len(), 3);
    let (page, quiz) = (&keys[0], &keys[2]);
    let path = format!("/api/courses/{id}");
    assert_eq!(
        app.get(&path, &learner).await.status,
        StatusCode::NOT_FOUND,
        "a draft is its trainer's"
    );

    let published = app
        .send(
            Method::POST,
            &format!("{path}/status"),
            &trainer,
            &json!({ "to": "published", "version": made["version"] }),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.json());
    let seen = app.get(&path, &learner).await.json();
    assert_eq!(seen["enrolled"], false);
    assert_eq!(seen["enrol_refused"], Value::Null);
    let question = &seen["modules"][0]["activities"][2]["questions"][0];
    assert!(
        question.get("correct").is_none(),
        "a learner is not shown the answers: {question}"
    );
    let catalogue = app.get("/api/courses", &learner).await.json();
    assert_eq!(catalogue["items"][0]["id"], id.as_str());
    assert_eq!(
        app.get(&format!("{path}/definition"), &learner)
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let early = mark_done(&app, &path, page, &learner).await;
    assert_eq!(early.error_code(), "not_enrolled_in_course");
    let by_analyst = enrol(&app, &path, &analyst).await;
    assert_eq!(
        by_analyst.status,
        StatusCode::FORBIDDEN,
        "an analyst takes no courses"
    );
    let enrolled = enrol(&app, &path, &learner).await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.json());
    assert_eq!(enrolled.json()["resume_at"], page.as_str());
    let twice = enrol(&app, &path, &learner).await;
    assert_eq!(twice.error_code(), "already_enrolled");

    let read = mark_done(&app, &path, page, &learner).await.json();
    assert_eq!(read["modules"][0]["activities"][0]["done"], true);
    assert_eq!(
        read["resume_at"],
        keys[1].as_str(),
        "the optional link is next, though not required"
    );
    let not_so = mark_done(&app, &path, quiz, &learner).await;
    assert_eq!(not_so.error_code(), "quiz_not_passed");

    let attempt = |answers: Value| json!({ "answers": answers });
    let attempts = format!("{path}/activities/{quiz}/attempts");
    let short = app
        .send(
            Method::POST,
            &attempts,
            &learner,
            &attempt(json!([{ "chosen": [0] }])),
        )
        .await;
    assert_eq!(short.json()["fields"]["answers"]["code"], "wrong_count");
    let failed = app
        .send(
            Method::POST,
            &attempts,
            &learner,
            &attempt(json!([{ "chosen": [0] }, { "chosen": [0] }, { "text": "SWD" }])),
        )
        .await;
    assert_eq!(failed.status, StatusCode::OK, "{}", failed.json());
    let failed = failed.json();
    assert_eq!(
        failed["score"],
        json!({ "points": 1, "out_of": 4, "passed": false })
    );
    assert_eq!(failed["course"]["completed_at"], Value::Null);
    let passed = app
        .send(
            Method::POST,
            &attempts,
            &learner,
            &attempt(json!([{ "chosen": [2, 0] }, { "chosen": [1] }, { "text": " swd " }])),
        )
        .await
        .json();
    assert_eq!(
        passed["score"],
        json!({ "points": 4, "out_of": 4, "passed": true })
    );
    assert_eq!(passed["attempt"], 2);
    let done = &passed["course"];
    assert!(
        done["completed_at"].is_string(),
        "the optional link is not needed: {done}"
    );
    let code = done["certificate"].as_str().unwrap().to_owned();
    assert!(code.starts_with("FL-") && code.len() == 17, "{code}");
    let again = app
        .send(
            Method::POST,
            &attempts,
            &learner,
            &attempt(json!([{ "chosen": [2, 0] }, { "chosen": [1] }, { "text": "swd" }])),
        )
        .await;
    assert_eq!(again.error_code(), "quiz_passed");

    // Anyone verifies it, without signing in, and learns nothing else of the person.
    let verified = app
        .raw(
            Method::GET,
            &format!("/api/certificates/{code}"),
            None,
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK);
    let verified = verified.json();
    assert_eq!(verified["learner_name"], "吳子軒 Ng Tsz Hin");
    assert_eq!(verified["course_title_zh"], "家庭暴力個案的風險評估");
    assert_eq!(verified["cpd_tenths"], 65);
    assert_eq!(verified["status"], "valid");
    assert!(verified["issuer_zh"].is_string());
    let fields: Vec<&String> = verified.as_object().unwrap().keys().collect();
    assert_eq!(
        fields,
        vec![
            "code",
            "completed_on",
            "course_title_en",
            "course_title_zh",
            "cpd_tenths",
            "expires_on",
            "issuer_en",
            "issuer_zh",
            "learner_name",
            "revoked_on",
            "status"
        ]
    );
    let unknown = app
        .raw(
            Method::GET,
            "/api/certificates/FL-0000-0000-0000",
            None,
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/certificates", &learner).await.json()[0]["code"],
        code.as_str()
    );

    let pdf = app
        .get(&format!("/api/certificates/{code}/pdf"), &learner)
        .await;
    assert_eq!(
        pdf.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&pdf.bytes)
    );
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    assert!(pdf.bytes.len() < 300_000);
    assert_eq!(
        app.get(&format!("/api/certificates/{code}/pdf"), &worker)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let unexplained = app
        .send(
            Method::POST,
            &format!("/api/certificates/{code}/revoke"),
            &trainer,
            &json!({}),
        )
        .await;
    assert_eq!(unexplained.json()["fields"]["reason"]["code"], "required");
    let revoked = app
        .send(
            Method::POST,
            &format!("/api/certificates/{code}/revoke"),
            &trainer,
            &json!({ "reason": "測驗作弊" }),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.json());
    let verified = app
        .raw(
            Method::GET,
            &format!("/api/certificates/{code}"),
            None,
            None,
        )
        .await
        .json();
    assert_eq!(verified["status"], "revoked");
    assert!(verified["revoked_on"].is_string());
    for action in [
        "course.enrol",
        "course.quiz_attempt",
        "course.complete",
        "certificate.issue",
        "certificate.revoke",
    ] {
        assert!(
            app.count(&format!("audit_log WHERE action = '{action}'")) >= 1,
            "{action}"
        );
    }
}

async fn a_course_is_refused_naming_what_is_wrong(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let trainer = app.login("trainer").await;
    let mut bad = course();
    bad["cpd_tenths"] = json!(0);
    bad["modules"][0]["activities"][0]["body"] = json!("");
    bad["modules"][0]["activities"][2]["questions"][1]["correct"] = json!([3]);
    bad["modules"][0]["activities"][2]["pass_mark"] = json!(150);
    let refused = app.send(Method::POST, "/api/courses", &trainer, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = refused.json()["fields"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        fields,
        vec![
            "cpd_tenths",
            "modules.0.activities.0.body",
            "modules.0.activities.2.pass_mark",
            "modules.0.activities.2.questions.1.correct",
        ]
    );
    assert_eq!(app.count("courses"), 0);

    let made = app
        .send(Method::POST, "/api/courses", &trainer, &course())
        .await
        .json();
    let id = made["id"].as_str().unwrap();
    let mut edit = course();
    edit["version"] = made["version"].clone();
    edit["modules"][0]["activities"] = made["content"]["modules"][0]["activities"].clone();
    edit["title_en"] = json!("Risk assessment (2nd edition)");
    let saved = app
        .send(Method::PUT, &format!("/api/courses/{id}"), &trainer, &edit)
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json());
    assert_eq!(
        saved.json()["content"]["modules"][0]["activities"],
        made["content"]["modules"][0]["activities"],
        "keys kept"
    );
    let stale = app
        .send(Method::PUT, &format!("/api/courses/{id}"), &trainer, &edit)
        .await;
    assert_eq!(stale.error_code(), "version_conflict");
    let publish = json!({ "to": "published", "version": saved.json()["version"] });
    app.send(
        Method::POST,
        &format!("/api/courses/{id}/status"),
        &trainer,
        &publish,
    )
    .await;
    let mut shorter = edit.clone();
    shorter["version"] = json!(3);
    shorter["modules"][0]["activities"]
        .as_array_mut()
        .unwrap()
        .remove(1);
    let dropped = app
        .send(
            Method::PUT,
            &format!("/api/courses/{id}"),
            &trainer,
            &shorter,
        )
        .await;
    assert_eq!(dropped.error_code(), "activity_removed");
    let back = app
        .send(
            Method::POST,
            &format!("/api/courses/{id}/status"),
            &trainer,
            &json!({ "to": "draft", "version": 3 }),
        )
        .await;
    assert_eq!(back.error_code(), "step_not_allowed");
}

/// A published course of one page, by the demo trainer: its path and the page's key.
/// The user enrols themselves in the course at `path`.
pub async fn enrol(app: &TestApp, path: &str, token: &str) -> Reply {
    app.send(
        Method::POST,
        &format!("{path}/enrolment"),
        token,
        &json!({}),
    )
    .await
}

/// The user says they have done an activity of the course at `path`.
pub async fn mark_done(app: &TestApp, path: &str, key: &str, token: &str) -> Reply {
    app.send(
        Method::POST,
        &format!("{path}/activities/{key}/done"),
        token,
        &json!({}),
    )
    .await
}

pub async fn published(
    app: &TestApp,
    trainer: &str,
    adjust: impl FnOnce(&mut Value),
) -> (String, String) {
    let mut definition = course();
    definition["modules"][0]["activities"] = json!([
        { "kind": "page", "title_zh": "閱讀", "title_en": "Reading", "body": "內容" }
    ]);
    adjust(&mut definition);
    let made = app
        .send(Method::POST, "/api/courses", trainer, &definition)
        .await
        .json();
    let path = format!("/api/courses/{}", made["id"].as_str().unwrap());
    let key = made["content"]["modules"][0]["activities"][0]["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = app
        .send(
            Method::POST,
            &format!("{path}/status"),
            trainer,
            &json!({ "to": "published", "version": made["version"] }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    (path, key)
}

async fn an_agency_admin_enrols_staff_from_a_list_and_follows_who_is_behind(backend: Backend) {
    use common::identity::Role;
    let app = TestApp::spawn(backend).await;
    app.add_user("lrc-admin", &[Role::AgencyAdmin], "LRC", None, None);
    let trainer = app.login("trainer").await;
    let admin = app.login("agency-admin").await;
    let other_admin = app.login("lrc-admin").await;
    let worker = app.login("worker").await;
    let learner = app.login("learner").await;
    let (path, page) = published(&app, &trainer, |c| c["self_enrol"] = json!(false)).await;

    let myself = enrol(&app, &path, &worker).await;
    assert_eq!(myself.error_code(), "enrolled_by_agency");
    let enrolments = format!("{path}/enrolments");
    let by_worker = app
        .send(
            Method::POST,
            &enrolments,
            &worker,
            &json!({ "usernames": "learner" }),
        )
        .await;
    assert_eq!(by_worker.status, StatusCode::FORBIDDEN);

    // A staff list as exported: its header names the column; one bad line enrols nobody.
    let list = "姓名,Username,Email\n陳美玲,worker,a@example.org\n林淑儀,worker3,\n張偉傑,analyst,\n吳子軒,,\n";
    let refused = app
        .send(
            Method::POST,
            &enrolments,
            &admin,
            &json!({ "usernames": list }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = &refused.json()["fields"];
    assert_eq!(fields["usernames.5"]["code"], "not_a_username");
    let refused = app
        .send(
            Method::POST,
            &enrolments,
            &admin,
            &json!({ "usernames": "username\nworker\nworker3\nanalyst\n" }),
        )
        .await;
    let fields = &refused.json()["fields"];
    assert_eq!(
        fields["usernames.3"]["code"], "unknown_username",
        "another agency's: {fields}"
    );
    assert_eq!(fields["usernames.4"]["code"], "staff_not_learner");
    assert!(fields.get("usernames.2").is_none());
    assert_eq!(app.count("course_enrolments"), 0);

    let enrolled = app
        .send(
            Method::POST,
            &enrolments,
            &admin,
            &json!({ "usernames": "Worker\nlearner\nworker" }),
        )
        .await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.json());
    assert_eq!(enrolled.json()["enrolled"].as_array().unwrap().len(), 2);
    let again = app
        .send(
            Method::POST,
            &enrolments,
            &admin,
            &json!({ "usernames": "worker" }),
        )
        .await
        .json();
    assert_eq!(again["enrolled"], json!([]));
    assert_eq!(again["already"][0]["display_name"], "陳美玲 Chan Mei Ling");
    let other = app
        .send(
            Method::POST,
            &enrolments,
            &other_admin,
            &json!({ "usernames": "worker3" }),
        )
        .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.json());
    assert_eq!(app.count("audit_log WHERE action = 'course.enrol'"), 3);

    // The learner reads; the worker has done nothing since long ago.
    let read = mark_done(&app, &path, &page, &learner).await;
    assert!(read.json()["completed_at"].is_string());
    app.execute(
        "UPDATE course_enrolments SET enrolled_at = '2026-01-05 01:00:00' \
         WHERE user_id = (SELECT id FROM users WHERE username = 'worker')",
    );
    let report = app.get(&format!("{path}/report"), &admin).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.json());
    let report = report.json();
    assert_eq!(report["total"], 2, "the agency's own staff: {report}");
    assert_eq!(report["required"], 1);
    assert_eq!(
        report["items"][0]["standing"], "behind",
        "those behind first"
    );
    assert_eq!(report["items"][0]["enrolled_by_admin"], true);
    assert_eq!(report["items"][1]["standing"], "completed");
    assert!(report["items"][1]["certificate"].is_string());
    assert_eq!(
        report["counts"],
        json!([
            ["behind", 1],
            ["not_started", 0],
            ["in_progress", 0],
            ["completed", 1]
        ])
    );
    let everyone = app.get(&format!("{path}/report"), &trainer).await.json();
    assert_eq!(everyone["total"], 3);
    let theirs = app
        .get(&format!("{path}/report"), &other_admin)
        .await
        .json();
    assert_eq!(
        theirs["items"][0]["learner"]["display_name"],
        "林淑儀 Lam Suk Yee"
    );
    assert_eq!(theirs["total"], 1);
    let found = app
        .get(&format!("{path}/report?q=%E5%90%B3&per_page=1"), &trainer)
        .await
        .json();
    assert_eq!(
        found["items"][0]["learner"]["display_name"],
        "吳子軒 Ng Tsz Hin"
    );
    let behind = app
        .get(&format!("{path}/report?standing=behind"), &trainer)
        .await
        .json();
    assert_eq!(behind["total"], 1);
    assert_eq!(
        app.get(&format!("{path}/report?per_page=0"), &trainer)
            .await
            .json()["fields"]["per_page"]["code"],
        "out_of_range"
    );
    assert_eq!(
        app.get(&format!("{path}/report"), &worker).await.status,
        StatusCode::FORBIDDEN
    );

    let csv = app.get(&format!("{path}/report.csv"), &admin).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(
        text.contains("陳美玲 Chan Mei Ling") && text.contains("落後 Behind"),
        "{text}"
    );
    assert!(!text.contains("林淑儀"), "not another agency's staff");
    let xlsx = app.get(&format!("{path}/report.xlsx"), &admin).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
}

async fn a_worker_keeps_a_cpd_record_of_courses_and_learning_elsewhere(backend: Backend) {
    let app = TestApp::spawn_with(backend, |state| {
        state.cpd_policy = common::cpd::CpdPolicy {
            cycle_years: 3,
            first_cycle_year: 2024,
            minimum_tenths_per_year: Some(150),
            self_reported_max_percent: 50,
        }
    })
    .await;
    let trainer = app.login("trainer").await;
    let worker = app.login("worker").await;
    let worker2 = app.login("worker2").await;
    let analyst = app.login("analyst").await;
    assert_eq!(
        app.get("/api/cpd", &analyst).await.status,
        StatusCode::FORBIDDEN
    );
    let empty = app.get("/api/cpd", &worker).await.json();
    assert_eq!(empty["entries"], json!([]));
    assert_eq!(
        empty["years"].as_array().unwrap().len(),
        1,
        "this year: {empty}"
    );

    let (path, page) = published(&app, &trainer, |_| {}).await;
    enrol(&app, &path, &worker).await;
    let done = mark_done(&app, &path, &page, &worker).await.json();
    let code = done["certificate"].as_str().unwrap().to_owned();

    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let learning = json!({
        "title": "創傷知情實務工作坊",
        "provider": "香港社會服務聯會",
        "kind": "workshop",
        "completed_on": today,
        "cpd_tenths": 100,
        "reflection": "會在家訪時留意創傷反應。",
    });
    let mut bad = learning.clone();
    bad["completed_on"] = json!(today + chrono::Duration::days(1));
    bad["cpd_tenths"] = json!(0);
    bad["reflection"] = json!("  ");
    let refused = app
        .send(Method::POST, "/api/cpd/learning", &worker, &bad)
        .await;
    let fields = refused.json()["fields"].clone();
    let mut named: Vec<&str> = fields
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    named.sort();
    assert_eq!(named, vec!["completed_on", "cpd_tenths", "reflection"]);

    let added = app
        .send(Method::POST, "/api/cpd/learning", &worker, &learning)
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let record = added.json();
    assert_eq!(record["holder"], "陳美玲 Chan Mei Ling");
    let sources: Vec<&str> = record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 2);
    assert!(sources.contains(&"verified") && sources.contains(&"self_reported"));
    let year = &record["years"][0];
    assert_eq!(
        (
            &year["verified_tenths"],
            &year["self_reported_tenths"],
            &year["counted_tenths"]
        ),
        (&json!(65), &json!(100), &json!(130)),
        "self-reported counts up to half: {year}"
    );
    assert_eq!(year["minimum_tenths"], 150);
    assert_eq!(record["cycles"][0]["minimum_tenths"], 450);
    let entry = record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["source"] == "self_reported")
        .unwrap()
        .clone();
    let entry_path = format!("/api/cpd/learning/{}", entry["id"].as_str().unwrap());
    let mut changed = learning.clone();
    changed["cpd_tenths"] = json!(30);
    changed["version"] = entry["version"].clone();
    assert_eq!(
        app.send(Method::PUT, &entry_path, &worker2, &changed)
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a record is its holder's own"
    );
    let kept = app.send(Method::PUT, &entry_path, &worker, &changed).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.json());
    assert_eq!(kept.json()["years"][0]["counted_tenths"], 95);
    let stale = app.send(Method::PUT, &entry_path, &worker, &changed).await;
    assert_eq!(stale.error_code(), "version_conflict");

    let self_reported = |record: &Value| {
        record["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["source"] == "self_reported")
            .unwrap()
            .clone()
    };
    let version = self_reported(&kept.json())["version"].clone();
    let evidence =
        |version: &Value| format!("{entry_path}/evidence?name=attendance.txt&version={version}");
    let proof = "出席證明 Certificate of attendance\n".as_bytes().to_vec();
    let program = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    let refused = app
        .raw(
            Method::POST,
            &evidence(&version),
            Some(&worker),
            Some(program),
        )
        .await;
    assert_eq!(
        refused.json()["fields"]["file"]["code"],
        "unsupported_file_type"
    );
    let kept_file = app
        .raw(
            Method::POST,
            &evidence(&version),
            Some(&worker),
            Some(proof.clone()),
        )
        .await;
    assert_eq!(
        kept_file.status,
        StatusCode::CREATED,
        "{}",
        kept_file.json()
    );
    let entry = self_reported(&kept_file.json());
    assert_eq!(entry["evidence"]["file_name"], "attendance.txt");
    let stale = app
        .raw(
            Method::POST,
            &evidence(&version),
            Some(&worker),
            Some(proof.clone()),
        )
        .await;
    assert_eq!(stale.error_code(), "version_conflict");
    let read = app.get(&format!("{entry_path}/evidence"), &worker).await;
    assert_eq!(read.bytes, proof);
    assert_eq!(
        app.get(&format!("{entry_path}/evidence"), &worker2)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let csv = app.get("/api/cpd/transcript.csv", &worker).await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(
        text.contains("創傷知情實務工作坊") && text.contains(&code),
        "{text}"
    );
    assert!(text.contains("已核實 Verified") && text.contains("自行申報 Self-reported"));
    let pdf = app.get("/api/cpd/transcript.pdf", &worker).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let (text, pages) = pdf_text(&pdf.bytes);
    assert_eq!(pages, 1);
    for expected in [
        "陳美玲 Chan Mei Ling",
        "家庭暴力個案的風險評估",
        "創傷知情實務工作坊",
        "香港社會服務聯會",
        "已核實 Verified",
        "自行申報 Self-reported",
        "每年最低時數 Minimum a year: 15 小時 hours",
        "50%",
        "否 No",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
    // This year: 6.5 verified, 3 self-reported, 9.5 counted.
    for hours in ["6.5", "9.5"] {
        assert!(text.contains(hours), "{hours} not in {text:?}");
    }
    assert_eq!(
        app.count("audit_log WHERE action = 'cpd.transcript_export'"),
        2,
        "the CSV and the PDF"
    );

    // A withdrawn certificate counts for nothing.
    app.send(
        Method::POST,
        &format!("/api/certificates/{code}/revoke"),
        &trainer,
        &json!({ "reason": "Issued in error" }),
    )
    .await;
    let record = app.get("/api/cpd", &worker).await.json();
    assert_eq!(record["years"][0]["verified_tenths"], 0);
    assert_eq!(record["years"][0]["counted_tenths"], 0);

    let version = entry["version"].clone();
    let removed = app
        .raw(
            Method::DELETE,
            &format!("{entry_path}?version={version}"),
            Some(&worker),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.json());
    assert_eq!(removed.json()["entries"], json!([]));
    for action in [
        "cpd.learning_add",
        "cpd.learning_update",
        "cpd.evidence_add",
        "cpd.learning_remove",
    ] {
        assert_eq!(
            app.count(&format!("audit_log WHERE action = '{action}'")),
            1,
            "{action}"
        );
    }
}

async fn a_reflection_is_done_once_its_trainer_signs_it_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let trainer = app.login("trainer").await;
    let learner = app.login("learner").await;
    let worker = app.login("worker").await;
    let mut refused = course();
    refused["modules"][0]["activities"] = json!([
        { "kind": "reflection", "title_zh": "反思", "title_en": "Reflection", "body": "" },
        { "kind": "page", "title_zh": "閱讀", "title_en": "Reading", "body": "內容", "sign_off": true }
    ]);
    let fields = app
        .send(Method::POST, "/api/courses", &trainer, &refused)
        .await
        .json()["fields"]
        .clone();
    assert_eq!(fields["modules.0.activities.0.body"]["code"], "required");
    assert_eq!(
        fields["modules.0.activities.1.sign_off"]["code"],
        "not_allowed"
    );

    let (path, key) = published(&app, &trainer, |c| {
        c["modules"][0]["activities"] = json!([
            { "kind": "reflection", "title_zh": "反思", "title_en": "Reflection",
              "body": "你會如何在家訪中應用？", "sign_off": true }
        ]);
    })
    .await;
    enrol(&app, &path, &learner).await;
    let activity = format!("{path}/activities/{key}");
    let by_click = app
        .send(
            Method::POST,
            &format!("{activity}/done"),
            &learner,
            &json!({}),
        )
        .await;
    assert_eq!(by_click.error_code(), "reflection_not_written");
    let empty = app
        .send(
            Method::POST,
            &format!("{activity}/reflection"),
            &learner,
            &json!({ "text": " " }),
        )
        .await;
    assert_eq!(empty.json()["fields"]["text"]["code"], "required");
    let written = app
        .send(
            Method::POST,
            &format!("{activity}/reflection"),
            &learner,
            &json!({ "text": "先了解家庭的日常。" }),
        )
        .await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.json());
    let written = written.json();
    let shown = &written["modules"][0]["activities"][0];
    assert_eq!(shown["reflection"]["status"], "submitted");
    assert_eq!(shown["done"], false);
    assert!(written["completed_at"].is_null());
    let twice = app
        .send(
            Method::POST,
            &format!("{activity}/reflection"),
            &learner,
            &json!({ "text": "再寫" }),
        )
        .await;
    assert_eq!(twice.error_code(), "reflection_written");

    let waiting = format!("{path}/reflections");
    assert_eq!(
        app.get(&waiting, &worker).await.status,
        StatusCode::FORBIDDEN
    );
    let list = app.get(&waiting, &trainer).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["learner"]["display_name"], "吳子軒 Ng Tsz Hin");
    let decide = format!(
        "{waiting}/{}/{key}",
        list[0]["enrolment_id"].as_str().unwrap()
    );
    let version = list[0]["reflection"]["version"].clone();
    let bare = app
        .send(
            Method::POST,
            &decide,
            &trainer,
            &json!({ "decision": "return", "version": version }),
        )
        .await;
    assert_eq!(bare.json()["fields"]["feedback"]["code"], "required");
    let returned = app
        .send(
            Method::POST,
            &decide,
            &trainer,
            &json!({ "decision": "return", "feedback": "請加上一個例子。", "version": version }),
        )
        .await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.json());
    assert_eq!(returned.json(), json!([]));
    let seen = app.get(&path, &learner).await.json();
    let shown = &seen["modules"][0]["activities"][0]["reflection"];
    assert_eq!(
        (&shown["status"], &shown["feedback"]),
        (&json!("returned"), &json!("請加上一個例子。"))
    );
    let again = app
        .send(
            Method::POST,
            &format!("{activity}/reflection"),
            &learner,
            &json!({ "text": "先了解家庭的日常，例如一起預備晚飯。" }),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.json());
    let stale = app
        .send(
            Method::POST,
            &decide,
            &trainer,
            &json!({ "decision": "sign_off", "version": version }),
        )
        .await;
    assert_eq!(stale.error_code(), "version_conflict");
    let version = app.get(&waiting, &trainer).await.json()[0]["reflection"]["version"].clone();
    let signed = app
        .send(
            Method::POST,
            &decide,
            &trainer,
            &json!({ "decision": "sign_off", "version": version }),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.json());
    let done = app.get(&path, &learner).await.json();
    assert_eq!(done["modules"][0]["activities"][0]["done"], true);
    assert!(done["certificate"].is_string(), "{done}");
    assert_eq!(
        app.count("audit_log WHERE action = 'course.reflection_review'"),
        2
    );
    assert_eq!(
        app.count("audit_log WHERE action = 'course.reflection_submit'"),
        2
    );
}

async fn a_quiz_draws_its_questions_from_the_course_bank(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let trainer = app.login("trainer").await;
    let learner = app.login("learner").await;
    let bank: Vec<Value> = (0..6)
        .map(|i| {
            json!({ "kind": "true_false", "prompt_zh": format!("題目{i}"), "prompt_en": format!("Bank {i}"),
                    "correct": [0] })
        })
        .collect();
    let mut too_many = course();
    too_many["bank"] = json!(bank);
    too_many["modules"][0]["activities"][2]["draw"] = json!(7);
    let refused = app
        .send(Method::POST, "/api/courses", &trainer, &too_many)
        .await;
    assert_eq!(
        refused.json()["fields"]["modules.0.activities.2.draw"]["code"],
        "out_of_range"
    );
    let (path, key) = published(&app, &trainer, |c| {
        c["bank"] = json!(bank);
        c["modules"][0]["activities"] = json!([
            { "kind": "quiz", "title_zh": "小測", "title_en": "Quiz", "pass_mark": 100, "draw": 2 }
        ]);
    })
    .await;
    enrol(&app, &path, &learner).await;
    let seen = app.get(&path, &learner).await.json();
    let questions = seen["modules"][0]["activities"][0]["questions"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(questions.len(), 2);
    assert!(questions
        .iter()
        .all(|q| q["prompt_en"].as_str().unwrap().starts_with("Bank ")));
    assert_eq!(
        app.get(&path, &learner).await.json()["modules"][0]["activities"][0]["questions"],
        json!(questions),
        "the same paper until it is answered"
    );
    let attempts = format!("{path}/activities/{key}/attempts");
    let short = app
        .send(
            Method::POST,
            &attempts,
            &learner,
            &json!({ "answers": [{ "chosen": [0] }] }),
        )
        .await;
    assert_eq!(short.json()["fields"]["answers"]["code"], "wrong_count");
    let passed = app
        .send(
            Method::POST,
            &attempts,
            &learner,
            &json!({ "answers": [{ "chosen": [0] }, { "chosen": [0] }] }),
        )
        .await;
    assert_eq!(passed.status, StatusCode::OK, "{}", passed.json());
    assert_eq!(passed.json()["score"]["passed"], true);
    assert!(passed.json()["course"]["certificate"].is_string());
}

async fn a_long_cpd_transcript_runs_over_pages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    for n in 1..=60 {
        let added = app
            .send(
                Method::POST,
                "/api/cpd/learning",
                &worker,
                &json!({
                    "title": format!("家庭輔導工作坊第{n}節"),
                    "provider": "香港社會服務聯會",
                    "kind": "workshop",
                    "completed_on": today - chrono::Duration::days(n),
                    "cpd_tenths": 15,
                    "reflection": "會在家訪時應用。",
                }),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED);
    }
    let pdf = app.get("/api/cpd/transcript.pdf", &worker).await;
    assert_eq!(pdf.status, StatusCode::OK);
    let (text, pages) = pdf_text(&pdf.bytes);
    assert!(pages > 1, "{pages} page");
    // The entries' headings on every page, every entry once, every page numbered.
    assert_eq!(text.matches("名稱 Title").count(), pages, "{text}");
    for n in [1, 30, 60] {
        assert_eq!(
            text.matches(&format!("家庭輔導工作坊第{n}節")).count(),
            1,
            "{n}"
        );
    }
    assert!(text.contains(&format!("第 {pages} / {pages} 頁 Page {pages} of {pages}")));
    assert!(text.contains("陳美玲 Chan Mei Ling"));
}

async fn certificates_due_for_renewal_are_shown_and_their_course_taken_again(backend: Backend) {
    use common::identity::Role;
    let app = TestApp::spawn_with(backend, |state| state.certificate_reminder_days = 30).await;
    app.add_user("lrc-admin", &[Role::AgencyAdmin], "LRC", None, None);
    let trainer = app.login("trainer").await;
    let (path, page) = published(&app, &trainer, |_| {}).await;
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    // Due on the boundary day; a day later, not yet due; expired yesterday.
    let mut learners = Vec::new();
    for (username, expires_in) in [("worker", 30), ("worker2", 31), ("worker3", -1)] {
        let token = app.login(username).await;
        enrol(&app, &path, &token).await;
        let done = mark_done(&app, &path, &page, &token).await.json();
        let code = done["certificate"].as_str().unwrap().to_owned();
        app.execute(&format!(
            "UPDATE certificates SET expires_on = '{}' WHERE code = '{code}'",
            today + chrono::Duration::days(expires_in)
        ));
        learners.push((token, code));
    }
    let [(worker, due), (worker2, _), (worker3, expired)] = learners.try_into().unwrap();
    let codes = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["certificate"]["code"].as_str().unwrap().to_owned())
            .collect()
    };

    let own = app.get("/api/certificates/reminders", &worker).await.json();
    assert_eq!(codes(&own), vec![due.clone()]);
    assert_eq!(
        (&own["items"][0]["days_left"], &own["within_days"]),
        (&json!(30), &json!(30))
    );
    assert_eq!(own["items"][0]["renewing"], false);
    let none = app
        .get("/api/certificates/reminders", &worker2)
        .await
        .json();
    assert_eq!(none["total"], 0, "31 days ahead is not yet due");
    let gone = app
        .get("/api/certificates/reminders", &worker3)
        .await
        .json();
    assert_eq!(gone["items"][0]["days_left"], -1);
    assert_eq!(gone["items"][0]["certificate"]["status"], "expired");

    // Those following: the trainer every learner of the course, an agency admin their
    // own agency's staff, anyone else nobody.
    let followed = |token: String| {
        let app = &app;
        async move { codes(&app.get("/api/certificates/expiring", &token).await.json()) }
    };
    assert_eq!(
        followed(trainer.clone()).await,
        vec![expired.clone(), due.clone()]
    );
    assert_eq!(
        followed(app.login("agency-admin").await).await,
        vec![due.clone()]
    );
    assert_eq!(
        followed(app.login("lrc-admin").await).await,
        vec![expired.clone()]
    );
    assert_eq!(
        followed(app.login("analyst").await).await,
        Vec::<String>::new()
    );
    assert_eq!(
        app.get("/api/certificates/reminders", &app.login("analyst").await)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad_page = app.get("/api/certificates/expiring?page=0", &trainer).await;
    assert_eq!(bad_page.json()["fields"]["page"]["code"], "out_of_range");

    // A certificate due may be renewed by taking the course again; one not due may not.
    assert_eq!(app.get(&path, &worker).await.json()["renewal_due"], true);
    assert_eq!(app.get(&path, &worker2).await.json()["renewal_due"], false);
    let again = enrol(&app, &path, &worker2).await;
    assert_eq!(again.error_code(), "already_enrolled");
    let renewing = enrol(&app, &path, &worker).await;
    assert_eq!(renewing.status, StatusCode::OK, "{}", renewing.json());
    let course = renewing.json();
    assert_eq!(
        (
            &course["enrolled"],
            &course["completed_at"],
            &course["renewal_due"]
        ),
        (&json!(true), &Value::Null, &json!(false))
    );
    let twice = enrol(&app, &path, &worker).await;
    assert_eq!(twice.error_code(), "already_enrolled");
    let own = app.get("/api/certificates/reminders", &worker).await.json();
    assert_eq!(own["items"][0]["renewing"], true);
    let report = app.get(&format!("{path}/report"), &trainer).await.json();
    assert_eq!(report["total"], 3, "each learner once: {report}");

    let renewed = mark_done(&app, &path, &page, &worker).await.json();
    let new_code = renewed["certificate"].as_str().unwrap();
    assert_ne!(new_code, due);
    assert_eq!(
        app.get("/api/certificates/reminders", &worker).await.json()["total"],
        0,
        "renewed"
    );
    assert_eq!(followed(trainer.clone()).await, vec![expired]);
    assert_eq!(
        app.get("/api/certificates", &worker)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2,
        "the certificate renewed stays, to be verified"
    );
    assert_eq!(app.count("audit_log WHERE action = 'course.enrol'"), 4);
}

async fn the_catalogue_is_searched_by_either_title_a_page_at_a_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let trainer = app.login("trainer").await;
    let learner = app.login("learner").await;
    for (zh, en) in [
        ("家庭會議的技巧", "Running family meetings"),
        ("兒童保護：風險評估", "Child protection: risk assessment"),
    ] {
        published(&app, &trainer, |course| {
            course["title_zh"] = json!(zh);
            course["title_en"] = json!(en);
        })
        .await;
    }
    // The course of `course()`, published, and a draft of the trainer's own.
    published(&app, &trainer, |_| {}).await;
    let mut draft = course();
    draft["title_zh"] = json!("草稿：家庭暴力");
    app.send(Method::POST, "/api/courses", &trainer, &draft)
        .await;

    let titles = |list: &Value| -> Vec<String> { crate::helpers::item_strings(list, "title_zh") };
    let search = |token: &str, query: &str| {
        let (app, path) = (&app, format!("/api/courses?{query}"));
        let token = token.to_owned();
        async move { app.get(&path, &token).await.json() }
    };
    // Chinese in either script, English in any case, every word in either title.
    assert_eq!(
        titles(&search(&learner, "q=%E9%A2%A8%E9%99%A9").await),
        vec!["家庭暴力個案的風險評估", "兒童保護：風險評估"],
        "风险 finds 風險"
    );
    assert_eq!(
        titles(&search(&learner, "q=RISK+%E5%85%92%E7%AB%A5").await),
        vec!["兒童保護：風險評估"]
    );
    assert_eq!(
        titles(&search(&learner, "q=%E5%AE%B6%E5%BA%AD").await),
        vec!["家庭暴力個案的風險評估", "家庭會議的技巧"],
        "the learner does not see the draft"
    );
    assert_eq!(
        titles(&search(&trainer, "q=%E5%AE%B6%E5%BA%AD").await).len(),
        3,
        "the trainer sees her draft"
    );
    assert_eq!(
        titles(&search(&learner, "q=100%25").await),
        Vec::<String>::new(),
        "% is a character, not a wildcard"
    );
    let first = search(&learner, "per_page=2").await;
    assert_eq!(
        (&first["total"], first["items"].as_array().unwrap().len()),
        (&json!(3), 2)
    );
    let second = search(&learner, "per_page=2&page=2").await;
    assert_eq!(titles(&second), vec!["家庭會議的技巧"], "the latest first");
    let refused = app
        .get(
            &format!("/api/courses?page=0&q={}", "x".repeat(101)),
            &learner,
        )
        .await;
    let fields = refused.json()["fields"].clone();
    assert!(
        fields["page"].is_object() && fields["q"].is_object(),
        "{fields}"
    );
}

pub(crate) async fn keep_file(
    app: &TestApp,
    token: &str,
    at: (&str, &str, i64),
    (name, bytes): (&str, Vec<u8>),
) -> Reply {
    let (path, key, version) = at;
    let name: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let url = format!("{path}/activities/{key}/file?name={name}&version={version}");
    app.raw(Method::POST, &url, Some(token), Some(bytes)).await
}

async fn a_file_activity_is_done_once_its_learner_opens_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let trainer = app.login("trainer").await;
    let learner = app.login("learner").await;
    let analyst = app.login("analyst").await;
    let mut definition = course();
    definition["modules"][0]["activities"] = json!([
        { "kind": "file", "title_zh": "安全計劃範本", "title_en": "Safety plan template",
          "body": "下載並細閱範本。" },
        { "kind": "page", "title_zh": "閱讀", "title_en": "Reading", "body": "內容" }
    ]);
    let made = app
        .send(Method::POST, "/api/courses", &trainer, &definition)
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    let made = made.json();
    let path = format!("/api/courses/{}", made["id"].as_str().unwrap());
    let key = made["content"]["modules"][0]["activities"][0]["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = made["content"]["modules"][0]["activities"][1]["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let version = made["version"].as_i64().unwrap();

    let early = app
        .send(
            Method::POST,
            &format!("{path}/status"),
            &trainer,
            &json!({ "to": "published", "version": version }),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.error_code(), "file_missing");
    assert!(
        early.json()["fields"]
            .as_object()
            .unwrap()
            .contains_key("modules.0.activities.0"),
        "{}",
        early.json()
    );

    let sheet = "安全計劃：緊急聯絡人、安全地方。\n".as_bytes().to_vec();
    let by_learner = keep_file(
        &app,
        &learner,
        (&path, &key, version),
        ("plan.txt", sheet.clone()),
    )
    .await;
    assert_eq!(by_learner.status, StatusCode::FORBIDDEN);
    let exe = keep_file(
        &app,
        &trainer,
        (&path, &key, version),
        ("plan.pdf", b"MZ\x90\x00 no".to_vec()),
    )
    .await;
    assert_eq!(
        exe.json()["fields"]["file"]["code"],
        "unsupported_file_type"
    );
    let unnamed = keep_file(
        &app,
        &trainer,
        (&path, &key, version),
        ("dir/", sheet.clone()),
    )
    .await;
    assert_eq!(unnamed.json()["fields"]["name"]["code"], "required");
    let on_a_page = keep_file(
        &app,
        &trainer,
        (&path, &page, version),
        ("plan.txt", sheet.clone()),
    )
    .await;
    assert_eq!(on_a_page.status, StatusCode::NOT_FOUND);
    let stale = keep_file(
        &app,
        &trainer,
        (&path, &key, version - 1),
        ("plan.txt", sheet.clone()),
    )
    .await;
    assert_eq!(stale.error_code(), "version_conflict");
    assert_eq!(app.count("course_files"), 0);

    let kept = keep_file(
        &app,
        &trainer,
        (&path, &key, version),
        ("C:\\docs\\安全計劃.txt", sheet.clone()),
    )
    .await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.json());
    let kept = kept.json();
    assert_eq!(kept["files"][0]["activity_key"], key.as_str());
    assert_eq!(kept["files"][0]["file_name"], "安全計劃.txt");
    assert_eq!(kept["files"][0]["size_bytes"], sheet.len());
    assert_eq!(kept["version"], version + 1);
    let published = app
        .send(
            Method::POST,
            &format!("{path}/status"),
            &trainer,
            &json!({ "to": "published", "version": kept["version"] }),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.json());

    let file = format!("{path}/activities/{key}/file");
    assert_eq!(
        app.get(&file, &learner).await.error_code(),
        "not_enrolled_in_course"
    );
    assert_eq!(app.get(&file, &analyst).await.status, StatusCode::NOT_FOUND);
    enrol(&app, &path, &learner).await;
    let seen = app.get(&path, &learner).await.json();
    let activity = &seen["modules"][0]["activities"][0];
    assert_eq!(activity["file"]["file_name"], "安全計劃.txt");
    assert_eq!(activity["done"], false);
    let by_click = mark_done(&app, &path, &key, &learner).await;
    assert_eq!(by_click.error_code(), "file_not_opened");

    let opened = app.get(&file, &learner).await;
    assert_eq!(opened.status, StatusCode::OK);
    assert_eq!(opened.bytes, sheet);
    let seen = app.get(&path, &learner).await.json();
    assert_eq!(seen["modules"][0]["activities"][0]["done"], true);
    assert_eq!(
        seen["completed_at"],
        Value::Null,
        "the page is still to read"
    );
    mark_done(&app, &path, &page, &learner).await;
    assert!(app.get(&path, &learner).await.json()["certificate"].is_string());

    // The trainer opens it without doing anything, and replaces it at the version read.
    assert_eq!(app.get(&file, &trainer).await.bytes, sheet);
    let definition = app
        .get(&format!("{path}/definition"), &trainer)
        .await
        .json();
    let again = "第二版".as_bytes().to_vec();
    let replaced = keep_file(
        &app,
        &trainer,
        (&path, &key, definition["version"].as_i64().unwrap()),
        ("plan-v2.txt", again.clone()),
    )
    .await;
    assert_eq!(replaced.status, StatusCode::CREATED, "{}", replaced.json());
    assert_eq!(app.count("course_files"), 1);
    assert_eq!(app.get(&file, &learner).await.bytes, again);
    assert_eq!(app.count("audit_log WHERE action = 'course.file_add'"), 2);
    assert_eq!(app.count("audit_log WHERE action = 'course.file_open'"), 3);
}

async fn a_discussion_is_done_once_its_learner_posts_and_only_the_course_reads_it(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let trainer = app.login("trainer").await;
    let learner = app.login("learner").await;
    let worker = app.login("worker").await;
    let moderator = app.login("resource-admin").await;
    let mut refused = course();
    refused["modules"][0]["activities"] =
        json!([{ "kind": "discussion", "title_zh": "討論", "title_en": "Discussion" }]);
    let fields = app
        .send(Method::POST, "/api/courses", &trainer, &refused)
        .await
        .json()["fields"]
        .clone();
    assert_eq!(fields["modules.0.activities.0.body"]["code"], "required");

    let (path, key) = published(&app, &trainer, |c| {
        c["modules"][0]["activities"] = json!([
            { "kind": "discussion", "title_zh": "討論：家訪安全", "title_en": "Discussion: home visits",
              "body": "分享一次你在家訪中評估安全的經驗。" }
        ]);
    })
    .await;
    let threads = format!("{path}/activities/{key}/threads");
    let start = |title: &str, body: &str, topic: Option<&str>| {
        let mut form = json!({ "title": title, "body": body });
        if let Some(topic) = topic {
            form["topic"] = json!(topic);
        }
        form
    };
    assert_eq!(
        app.get(&threads, &learner).await.error_code(),
        "not_enrolled_in_course"
    );
    enrol(&app, &path, &learner).await;
    let by_click = mark_done(&app, &path, &key, &learner).await;
    assert_eq!(by_click.error_code(), "not_posted");
    let with_topic = app
        .send(
            Method::POST,
            &threads,
            &learner,
            &start("家訪", "先了解環境。", Some("parent_child")),
        )
        .await;
    assert_eq!(with_topic.json()["fields"]["topic"]["code"], "not_allowed");
    let naming = app
        .send(
            Method::POST,
            &threads,
            &learner,
            &start("家訪", "案主 A123456(3) 的家", None),
        )
        .await;
    assert_eq!(
        naming.json()["fields"]["body"]["code"],
        "identifies_a_person"
    );
    let started = app
        .send(
            Method::POST,
            &threads,
            &learner,
            &start("先看出口", "我會先留意出口位置。", None),
        )
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.json());
    let started = started.json();
    assert_eq!(
        started["course_id"],
        path.trim_start_matches("/api/courses/")
    );
    assert_eq!(started["topic"], Value::Null);
    assert_eq!(started["opening"]["may"]["report"], false);
    let seen = app.get(&path, &learner).await.json();
    assert_eq!(seen["modules"][0]["activities"][0]["done"], true);
    assert!(seen["certificate"].is_string(), "its one activity is done");

    let listed = app.get(&threads, &trainer).await.json();
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["title"], "先看出口");
    let id = started["id"].as_str().unwrap();
    let circle = app.get("/api/circle/threads", &worker).await.json();
    assert!(
        circle["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["id"] != id),
        "the circle does not list a course's threads"
    );
    let thread_path = format!("/api/circle/threads/{id}");
    assert_eq!(
        app.get(&thread_path, &worker).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&threads, &worker).await.error_code(),
        "not_enrolled_in_course"
    );
    let outsider = app
        .send(
            Method::POST,
            &format!("{thread_path}/replies"),
            &worker,
            &json!({ "body": "我也想分享" }),
        )
        .await;
    assert_eq!(outsider.status, StatusCode::NOT_FOUND);
    let hidden_by_outsider = app
        .send(
            Method::POST,
            &format!("/api/circle/posts/{id}/visibility"),
            &moderator,
            &json!({ "hidden": true, "reason": "離題", "version": 1 }),
        )
        .await;
    assert_eq!(
        hidden_by_outsider.status,
        StatusCode::NOT_FOUND,
        "the circle's moderators are not the course's"
    );

    let answer = app
        .send(
            Method::POST,
            &format!("{thread_path}/replies"),
            &trainer,
            &json!({ "body": "很好，也要留意寵物。" }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.json());
    let answer = answer.json();
    let reported = app
        .send(
            Method::POST,
            &format!(
                "/api/circle/posts/{}/reports",
                answer["id"].as_str().unwrap()
            ),
            &learner,
            &json!({ "reason": "不同意" }),
        )
        .await;
    assert_eq!(reported.status, StatusCode::FORBIDDEN);
    let read = app.get(&thread_path, &learner).await.json();
    assert_eq!(read["replies_total"], 1);
    assert_eq!(read["may_moderate"], false);
    let hidden = app
        .send(
            Method::POST,
            &format!(
                "/api/circle/posts/{}/visibility",
                answer["id"].as_str().unwrap()
            ),
            &trainer,
            &json!({ "hidden": true, "reason": "重複", "version": answer["version"] }),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.json());
    // A course's thread has no topic to change: only its title.
    let with_topic = app
        .send(
            Method::PUT,
            &thread_path,
            &learner,
            &json!({ "title": "先看出口和窗", "topic": "parent_child", "version": read["version"] }),
        )
        .await;
    assert_eq!(with_topic.json()["fields"]["topic"]["code"], "not_allowed");
    let retitled = app
        .send(
            Method::PUT,
            &thread_path,
            &learner,
            &json!({ "title": "先看出口和窗", "version": read["version"] }),
        )
        .await;
    assert_eq!(retitled.status, StatusCode::OK, "{}", retitled.json());
    assert_eq!(retitled.json()["title"], "先看出口和窗");
    assert_eq!(retitled.json()["topic"], Value::Null);
    let thread = app.get(&thread_path, &trainer).await.json();
    assert_eq!(thread["may_moderate"], true);
    let locked = app
        .send(
            Method::POST,
            &format!("{thread_path}/lock"),
            &trainer,
            &json!({ "locked": true, "version": thread["version"] }),
        )
        .await;
    assert_eq!(locked.status, StatusCode::OK, "{}", locked.json());
    let after_lock = app
        .send(
            Method::POST,
            &format!("{thread_path}/replies"),
            &learner,
            &json!({ "body": "補充" }),
        )
        .await;
    assert_eq!(after_lock.error_code(), "thread_locked");
    assert_eq!(
        app.count("audit_log WHERE action = 'circle.thread_create'"),
        1
    );
    assert_eq!(app.count("audit_log WHERE action = 'circle.hide'"), 1);
    assert_eq!(app.count("audit_log WHERE action = 'course.complete'"), 1);
}
