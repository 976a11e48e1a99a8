//! The co-learning e-circle: a thread started in one agency is found by words and
//! answered in another; authors edit their own posts at the version read; reactions are
//! one of each per person; a post naming an HKID, a phone number or an e-mail address is
//! refused; moderators (trainers and resource admins) hide posts and lock threads, and
//! nobody else does; files are found by their words and taken off; titles change.

use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Backend, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_thread_is_started_in_one_agency_and_found_and_answered_in_another,
    authors_edit_at_the_version_read_and_react_once_each,
    moderators_hide_posts_and_lock_threads_and_nobody_else_does,
    files_are_added_by_their_authors_and_read_with_their_posts,
    files_are_taken_off_by_their_authors_and_moderators_at_the_version_read,
    threads_are_retitled_by_their_authors_and_moderators_at_the_version_read,
    threads_are_found_by_the_words_of_their_files_unless_hidden,
    phones_and_email_addresses_are_refused_by_field,
);

async fn start(app: &TestApp, token: &str, title: &str, topic: &str, body: &str) -> Value {
    let made = app
        .send(
            Method::POST,
            "/api/circle/threads",
            token,
            &json!({ "title": title, "topic": topic, "body": body }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    made.json()
}

async fn reply(app: &TestApp, token: &str, thread: &Value, body: &str) -> Reply {
    let id = thread["id"].as_str().unwrap();
    app.send(
        Method::POST,
        &format!("/api/circle/threads/{id}/replies"),
        token,
        &json!({ "body": body }),
    )
    .await
}

async fn list(app: &TestApp, token: &str, query: &str) -> Value {
    let reply = app
        .get(&format!("/api/circle/threads?{query}"), token)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.json());
    reply.json()
}

fn titles(list: &Value) -> Vec<String> {
    crate::helpers::item_strings(list, "title")
}

fn q(words: &str) -> String {
    format!(
        "q={}",
        form_urlencoded::byte_serialize(words.as_bytes()).collect::<String>()
    )
}

async fn thread(app: &TestApp, token: &str, id: &str) -> Reply {
    app.get(&format!("/api/circle/threads/{id}"), token).await
}

fn count(post: &Value, reaction: &str) -> (i64, bool) {
    let given = post["reactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["reaction"] == reaction)
        .unwrap();
    (given["count"].as_i64().unwrap(), given["mine"] == true)
}

async fn a_thread_is_started_in_one_agency_and_found_and_answered_in_another(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other_agency = app.login("worker3").await;
    let analyst = app.login("analyst").await;

    let blank = app
        .send(
            Method::POST,
            "/api/circle/threads",
            &worker,
            &json!({ "title": " ", "topic": "", "body": "案主 A123456(3) 的兒子" }),
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = blank.json()["fields"].clone();
    assert_eq!(fields["title"]["code"], "required");
    assert_eq!(fields["topic"]["code"], "required");
    assert_eq!(fields["body"]["code"], "identifies_a_person");
    let unknown = app
        .send(
            Method::POST,
            "/api/circle/threads",
            &worker,
            &json!({ "title": "管教", "topic": "no_such_nature", "body": "分享" }),
        )
        .await;
    assert_eq!(unknown.json()["fields"]["topic"]["code"], "unknown_nature");
    let by_analyst = app
        .send(
            Method::POST,
            "/api/circle/threads",
            &analyst,
            &json!({ "title": "管教", "topic": "parent_child", "body": "分享" }),
        )
        .await;
    assert_eq!(by_analyst.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/circle/threads", &analyst).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("circle_threads"), 0, "nothing half-written");
    assert_eq!(app.count("circle_posts"), 0);

    let teens = start(
        &app,
        &worker,
        "與青少年溝通的管教技巧",
        "parent_child",
        "想請教各位：家長與青少年子女衝突時，大家會用什麼方法開始對話？\nTeen talk tips welcome.",
    )
    .await;
    assert_eq!(
        teens["opening"]["author"]["display_name"],
        "陳美玲 Chan Mei Ling"
    );
    assert_eq!(
        teens["opening"]["author"]["agency"]["name_en"],
        "Harbour Family Services"
    );
    let carers = start(
        &app,
        &worker,
        "照顧者壓力小組經驗",
        "elder_abuse",
        "我們中心開了照顧者減壓小組。",
    )
    .await;
    let third = start(
        &app,
        &worker,
        "家訪安全",
        "spouse_battering",
        "家訪前的安全評估清單。",
    )
    .await;

    // Another agency's worker finds it by a Chinese word, in either script, and by English.
    for words in ["管教", "沟通", "TEEN talk", "方法 家長"] {
        assert_eq!(
            titles(&list(&app, &other_agency, &q(words)).await),
            vec!["與青少年溝通的管教技巧"],
            "{words}"
        );
    }
    assert!(titles(&list(&app, &other_agency, &q("管教 壓力")).await).is_empty());
    assert_eq!(
        titles(&list(&app, &other_agency, "topic=elder_abuse").await),
        vec!["照顧者壓力小組經驗"]
    );
    let bad = app.get("/api/circle/threads?per_page=0", &worker).await;
    assert_eq!(bad.json()["fields"]["per_page"]["code"], "out_of_range");

    let answered = reply(
        &app,
        &other_agency,
        &teens,
        "我們會先約家長個別傾談，再安排三方會面。",
    )
    .await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.json());
    let answered = answered.json();
    assert_eq!(
        answered["author"]["agency"]["name_en"],
        "Lion Rock Community Care"
    );
    // A reply's words find the thread, and its activity puts it first.
    assert_eq!(
        titles(&list(&app, &worker, &q("三方會面")).await),
        vec!["與青少年溝通的管教技巧"]
    );
    let all = list(&app, &worker, "").await;
    assert_eq!(all["total"], 3);
    assert_eq!(
        titles(&all),
        vec!["與青少年溝通的管教技巧", "家訪安全", "照顧者壓力小組經驗"]
    );
    assert_eq!(all["items"][0]["replies"], 1);
    let second = list(&app, &worker, "page=2&per_page=2").await;
    assert_eq!(
        (second["total"].as_i64(), titles(&second)),
        (Some(3), vec!["照顧者壓力小組經驗".to_owned()])
    );
    let read = thread(&app, &other_agency, teens["id"].as_str().unwrap()).await;
    let read = read.json();
    assert_eq!(read["replies_total"], 1);
    assert_eq!(read["replies"][0]["id"], answered["id"]);
    assert_eq!(read["may_reply"], true);
    assert_eq!(read["may_moderate"], false);
    assert_eq!(read["opening"]["may"]["edit"], false);
    assert_eq!(read["opening"]["may"]["report"], true);
    let paged = app
        .get(
            &format!(
                "/api/circle/threads/{}?page=2&per_page=1",
                teens["id"].as_str().unwrap()
            ),
            &worker,
        )
        .await
        .json();
    assert_eq!(
        (
            paged["replies_total"].as_i64(),
            paged["replies"].as_array().unwrap().len()
        ),
        (Some(1), 0)
    );

    let hkid_reply = reply(&app, &other_agency, &carers, "她的身份證是 Y123456(A)").await;
    assert_eq!(hkid_reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        hkid_reply.json()["fields"]["body"]["code"],
        "identifies_a_person"
    );
    assert_eq!(app.count("circle_posts"), 4);
    assert_eq!(
        app.count("audit_log WHERE action = 'circle.thread_create'"),
        3
    );
    assert_eq!(app.count("audit_log WHERE action = 'circle.reply'"), 1);
    assert_eq!(third["replies_total"], 0);
}

async fn authors_edit_at_the_version_read_and_react_once_each(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other = app.login("worker3").await;
    let started = start(
        &app,
        &worker,
        "危機介入後的跟進",
        "suicide_risk",
        "分享一次危機介入後的跟進安排。",
    )
    .await;
    let post_id = started["opening"]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/circle/posts/{post_id}");
    let edit = |body: &str, version: i64| json!({ "body": body, "version": version });

    let edited = app
        .send(
            Method::PUT,
            &path,
            &worker,
            &edit("更新：加入轉介資料。", 1),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    let edited = edited.json();
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["body"], "更新：加入轉介資料。");
    assert!(edited["edited_at"].is_string());
    let stale = app
        .send(Method::PUT, &path, &worker, &edit("另一個版本", 1))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error_code(), "version_conflict");
    let not_theirs = app
        .send(Method::PUT, &path, &other, &edit("改別人的帖", 2))
        .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let hkid = app
        .send(Method::PUT, &path, &worker, &edit("案主 A1234563", 2))
        .await;
    assert_eq!(hkid.json()["fields"]["body"]["code"], "identifies_a_person");
    let unversioned = app
        .send(Method::PUT, &path, &worker, &json!({ "body": "x" }))
        .await;
    assert_eq!(unversioned.json()["fields"]["version"]["code"], "required");
    let read = thread(&app, &other, started["id"].as_str().unwrap())
        .await
        .json();
    assert_eq!(
        read["opening"]["body"], "更新：加入轉介資料。",
        "nothing overwritten"
    );
    assert_eq!(app.count("audit_log WHERE action = 'circle.edit'"), 1);

    let react = |token: &str, reaction: &str| {
        let (token, reaction) = (token.to_owned(), reaction.to_owned());
        let path = format!("/api/circle/posts/{post_id}/reactions");
        let app = &app;
        async move {
            let reply = app
                .send(
                    Method::POST,
                    &path,
                    &token,
                    &json!({ "reaction": reaction }),
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
            reply.json()
        }
    };
    let helpful = react(&other, "helpful").await;
    assert_eq!(count(&helpful, "helpful"), (1, true));
    let thanks = react(&worker, "thanks").await;
    assert_eq!(count(&thanks, "helpful"), (1, false));
    assert_eq!(count(&thanks, "thanks"), (1, true));
    let taken_back = react(&other, "helpful").await;
    assert_eq!(count(&taken_back, "helpful"), (0, false));
    let again = react(&other, "helpful").await;
    assert_eq!(count(&again, "helpful"), (1, true));
    assert_eq!(app.count("circle_reactions"), 2);
    let unknown = app
        .send(
            Method::POST,
            &format!("/api/circle/posts/{post_id}/reactions"),
            &other,
            &json!({ "reaction": "love" }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.json()["fields"].get("reaction").is_some());
    assert_eq!(app.count("audit_log WHERE action = 'circle.react'"), 4);
}

async fn hide(app: &TestApp, token: &str, post: &Value, hidden: bool, reason: &str) -> Reply {
    let id = post["id"].as_str().unwrap();
    app.send(
        Method::POST,
        &format!("/api/circle/posts/{id}/visibility"),
        token,
        &json!({ "hidden": hidden, "reason": reason, "version": post["version"] }),
    )
    .await
}

async fn lock(app: &TestApp, token: &str, thread: &Value, locked: bool) -> Reply {
    let id = thread["id"].as_str().unwrap();
    app.send(
        Method::POST,
        &format!("/api/circle/threads/{id}/lock"),
        token,
        &json!({ "locked": locked, "version": thread["version"] }),
    )
    .await
}

async fn moderators_hide_posts_and_lock_threads_and_nobody_else_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other = app.login("worker3").await;
    let trainer = app.login("trainer").await;
    let resource_admin = app.login("resource-admin").await;
    let started = start(
        &app,
        &worker,
        "新來港家庭的支援",
        "financial",
        "有什麼社區資源可以轉介？",
    )
    .await;
    let thread_id = started["id"].as_str().unwrap().to_owned();
    let answer = reply(
        &app,
        &other,
        &started,
        "住在天水圍某座的陳太一家四口，丈夫失業，可以找我們的食物銀行。",
    )
    .await
    .json();
    let answer_id = answer["id"].as_str().unwrap().to_owned();
    let report_path = format!("/api/circle/posts/{answer_id}/reports");

    let reason = json!({ "reason": "描述太具體，可能認出家庭" });
    let reported = app.send(Method::POST, &report_path, &worker, &reason).await;
    assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.json());
    let twice = app.send(Method::POST, &report_path, &worker, &reason).await;
    assert_eq!(twice.error_code(), "already_reported");
    let own = app.send(Method::POST, &report_path, &other, &reason).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let no_reason = app
        .send(
            Method::POST,
            &report_path,
            &trainer,
            &json!({ "reason": "" }),
        )
        .await;
    assert_eq!(no_reason.json()["fields"]["reason"]["code"], "required");

    // Workers do not moderate.
    assert_eq!(
        app.get("/api/circle/reports", &worker).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hide(&app, &worker, &answer, true, "x").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lock(&app, &worker, &started, true).await.status,
        StatusCode::FORBIDDEN
    );

    let queue = app.get("/api/circle/reports", &trainer).await.json();
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["post"]["id"], answer_id.as_str());
    assert_eq!(queue["items"][0]["thread_title"], "新來港家庭的支援");
    assert_eq!(
        queue["items"][0]["reports"][0]["reason"],
        "描述太具體，可能認出家庭"
    );
    let unreasoned = hide(&app, &trainer, &answer, true, " ").await;
    assert_eq!(unreasoned.json()["fields"]["reason"]["code"], "required");
    let hidden = hide(&app, &trainer, &answer, true, "可識別服務使用者").await;
    assert_eq!(hidden.status, StatusCode::OK, "{}", hidden.json());
    let hidden = hidden.json();
    assert_eq!(hidden["hidden"]["reason"], "可識別服務使用者");
    assert_eq!(
        app.get("/api/circle/reports", &trainer).await.json()["total"],
        0
    );
    let stale = hide(&app, &trainer, &answer, true, "again").await;
    assert_eq!(stale.error_code(), "version_conflict");

    // Its author still reads their words; others see only that it was hidden.
    let by_author = thread(&app, &other, &thread_id).await.json();
    assert_eq!(by_author["replies"][0]["body"], answer["body"]);
    assert_eq!(
        by_author["replies"][0]["hidden"]["reason"],
        "可識別服務使用者"
    );
    let by_others = thread(&app, &worker, &thread_id).await.json();
    assert!(by_others["replies"][0]["body"].is_null());
    assert!(by_others["replies"][0]["hidden"]["at"].is_string());
    assert!(by_others["replies"][0]["hidden"]["reason"].is_null());
    assert_eq!(by_others["replies"][0]["may"]["react"], false);
    let by_moderator = thread(&app, &resource_admin, &thread_id).await.json();
    assert_eq!(by_moderator["replies"][0]["body"], answer["body"]);
    assert!(
        titles(&list(&app, &worker, &q("食物銀行")).await).is_empty(),
        "a hidden post's words find nothing"
    );

    // Locked: no replies, edits or reactions; reports still.
    let locked = lock(&app, &trainer, &started, true).await;
    assert_eq!(locked.status, StatusCode::OK, "{}", locked.json());
    let locked = locked.json();
    assert_eq!(locked["locked"]["by"]["display_name"], "李嘉敏 Lee Ka Man");
    assert_eq!(locked["may_reply"], false);
    let refused = reply(&app, &other, &started, "還有一個資源").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_code(), "thread_locked");
    assert_eq!(app.count("circle_posts"), 2, "nothing half-written");
    let opening_id = started["opening"]["id"].as_str().unwrap();
    let reaction = app
        .send(
            Method::POST,
            &format!("/api/circle/posts/{opening_id}/reactions"),
            &other,
            &json!({ "reaction": "thanks" }),
        )
        .await;
    assert_eq!(reaction.error_code(), "thread_locked");
    let stale_lock = lock(&app, &resource_admin, &started, false).await;
    assert_eq!(stale_lock.error_code(), "version_conflict");
    let reopened = lock(&app, &resource_admin, &locked, false).await.json();
    assert!(reopened["locked"].is_null());
    assert_eq!(
        reply(&app, &other, &started, "補充資料").await.status,
        StatusCode::CREATED
    );

    let shown = hide(&app, &trainer, &hidden, false, "").await.json();
    assert!(shown["hidden"].is_null());
    assert_eq!(
        thread(&app, &worker, &thread_id).await.json()["replies"][0]["body"],
        answer["body"]
    );

    // A hidden opening post withdraws the thread from all but its author and moderators.
    let opening = thread(&app, &worker, &thread_id).await.json()["opening"].clone();
    hide(&app, &resource_admin, &opening, true, "標題可識別家庭").await;
    assert_eq!(
        thread(&app, &other, &thread_id).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(titles(&list(&app, &other, "").await).is_empty());
    let own_list = list(&app, &worker, "").await;
    assert_eq!(own_list["items"][0]["hidden"], true);
    assert_eq!(list(&app, &trainer, "").await["total"], 1);

    assert_eq!(app.count("audit_log WHERE action = 'circle.report'"), 1);
    assert_eq!(app.count("audit_log WHERE action = 'circle.hide'"), 2);
    assert_eq!(app.count("audit_log WHERE action = 'circle.unhide'"), 1);
    assert_eq!(app.count("audit_log WHERE action = 'circle.lock'"), 1);
    assert_eq!(app.count("audit_log WHERE action = 'circle.unlock'"), 1);
    assert_eq!(
        app.count("circle_reports WHERE resolved_at IS NOT NULL"),
        1,
        "hiding dealt with the report"
    );
}

async fn attach(app: &TestApp, token: &str, post_id: &str, name: &str, bytes: Vec<u8>) -> Reply {
    let name: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let path = format!("/api/circle/posts/{post_id}/attachments?name={name}");
    app.raw(Method::POST, &path, Some(token), Some(bytes)).await
}

async fn files_are_added_by_their_authors_and_read_with_their_posts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other = app.login("worker3").await;
    let trainer = app.login("trainer").await;
    let started = start(
        &app,
        &worker,
        "小組活動工作紙",
        "parent_child",
        "附上親子小組的工作紙。",
    )
    .await;
    let post_id = started["opening"]["id"].as_str().unwrap().to_owned();
    let sheet = "親子小組：第一節 破冰\n".as_bytes().to_vec();

    let exe = attach(
        &app,
        &worker,
        &post_id,
        "sheet.pdf",
        b"MZ\x90\x00 not a pdf".to_vec(),
    )
    .await;
    assert_eq!(
        exe.json()["fields"]["file"]["code"],
        "unsupported_file_type"
    );
    let unnamed = attach(&app, &worker, &post_id, "dir/", sheet.clone()).await;
    assert_eq!(unnamed.json()["fields"]["name"]["code"], "required");
    let not_theirs = attach(&app, &other, &post_id, "sheet.txt", sheet.clone()).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("circle_attachments"), 0);

    let added = attach(
        &app,
        &worker,
        &post_id,
        "C:\\docs\\工作紙.txt",
        sheet.clone(),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let added = added.json();
    let file = added["attachments"][0].clone();
    assert_eq!(file["file_name"], "工作紙.txt");
    assert_eq!(file["size_bytes"], sheet.len());
    let file_path = format!("/api/circle/attachments/{}", file["id"].as_str().unwrap());
    let fetched = app.get(&file_path, &other).await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert_eq!(fetched.bytes, sheet);
    assert_eq!(
        app.get(&file_path, &app.login("analyst").await)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("audit_log WHERE action = 'circle.attach'"), 1);

    hide(&app, &trainer, &added, true, "含個人資料").await;
    assert_eq!(
        app.get(&file_path, &other).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&file_path, &worker).await.status, StatusCode::OK);
}

fn stored_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .map(|e| e.unwrap().path())
            .map(|path| {
                if path.is_dir() {
                    stored_files(&path)
                } else {
                    1
                }
            })
            .sum()
    })
}

async fn remove_file(app: &TestApp, token: &str, file: &Value, version: &Value) -> Reply {
    let id = file["id"].as_str().unwrap();
    app.raw(
        Method::DELETE,
        &format!("/api/circle/attachments/{id}?version={version}"),
        Some(token),
        None,
    )
    .await
}

async fn files_are_taken_off_by_their_authors_and_moderators_at_the_version_read(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other = app.login("worker3").await;
    let trainer = app.login("trainer").await;
    let started = start(&app, &worker, "工作紙", "parent_child", "附上兩份工作紙。").await;
    let post_id = started["opening"]["id"].as_str().unwrap().to_owned();
    for name in ["第一節.txt", "第二節.txt"] {
        let added = attach(&app, &worker, &post_id, name, name.as_bytes().to_vec()).await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    }
    let read = thread(&app, &worker, started["id"].as_str().unwrap())
        .await
        .json()["opening"]
        .clone();
    assert_eq!(read["may"]["remove_files"], true);
    let (first, second) = (
        read["attachments"][0].clone(),
        read["attachments"][1].clone(),
    );
    let files = app.files_dir();
    assert_eq!(stored_files(&files), 2);

    let stranger = remove_file(&app, &other, &first, &read["version"]).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    let stale = remove_file(
        &app,
        &worker,
        &first,
        &json!(read["version"].as_i64().unwrap() - 1),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.error_code(), "version_conflict");
    let unversioned = app
        .raw(
            Method::DELETE,
            &format!("/api/circle/attachments/{}", first["id"].as_str().unwrap()),
            Some(&worker),
            None,
        )
        .await;
    assert!(
        unversioned.status.is_client_error(),
        "{}",
        unversioned.status
    );
    assert_eq!(app.count("circle_attachments"), 2, "nothing taken off");
    assert_eq!(stored_files(&files), 2);

    let by_author = remove_file(&app, &worker, &first, &read["version"]).await;
    assert_eq!(by_author.status, StatusCode::OK, "{}", by_author.json());
    let by_author = by_author.json();
    assert_eq!(by_author["attachments"].as_array().unwrap().len(), 1);
    assert_eq!(by_author["attachments"][0]["id"], second["id"]);
    assert_eq!(by_author["version"], read["version"].as_i64().unwrap() + 1);
    assert_eq!(stored_files(&files), 1, "its bytes deleted");
    let file_path = format!("/api/circle/attachments/{}", first["id"].as_str().unwrap());
    assert_eq!(
        app.get(&file_path, &worker).await.status,
        StatusCode::NOT_FOUND
    );
    let again = remove_file(&app, &worker, &first, &by_author["version"]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // Locked, the author may no longer change the post; a moderator still takes a file off.
    let locked = lock(&app, &trainer, &started, true).await;
    assert_eq!(locked.status, StatusCode::OK);
    let refused = remove_file(&app, &worker, &second, &by_author["version"]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(refused.error_code(), "thread_locked");
    let by_moderator = remove_file(&app, &trainer, &second, &by_author["version"]).await;
    assert_eq!(
        by_moderator.status,
        StatusCode::OK,
        "{}",
        by_moderator.json()
    );
    assert_eq!(by_moderator.json()["attachments"], json!([]));
    assert_eq!(app.count("circle_attachments"), 0);
    assert_eq!(stored_files(&files), 0);
    assert_eq!(app.count("audit_log WHERE action = 'circle.detach'"), 2);
    assert_eq!(
        app.count(&format!(
            "audit_log WHERE action = 'circle.detach' AND entity_id = '{post_id}'"
        )),
        2
    );
}

async fn retitle(app: &TestApp, token: &str, id: &str, form: Value) -> Reply {
    app.send(
        Method::PUT,
        &format!("/api/circle/threads/{id}"),
        token,
        &form,
    )
    .await
}

async fn threads_are_retitled_by_their_authors_and_moderators_at_the_version_read(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other = app.login("worker3").await;
    let trainer = app.login("trainer").await;
    let started = start(
        &app,
        &worker,
        "管教",
        "parent_child",
        "分享管教青少年的方法。",
    )
    .await;
    let id = started["id"].as_str().unwrap().to_owned();
    assert_eq!(started["may_retitle"], true);
    assert_eq!(thread(&app, &other, &id).await.json()["may_retitle"], false);
    let form = |title: &str, topic: &str, version: i64| json!({ "title": title, "topic": topic, "version": version });

    let changed = retitle(
        &app,
        &worker,
        &id,
        form("青少年管教：第一次對話", "suicide_risk", 1),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json());
    let changed = changed.json();
    assert_eq!(changed["title"], "青少年管教：第一次對話");
    assert_eq!(changed["topic"], "suicide_risk");
    assert_eq!(changed["version"], 2);
    assert_eq!(
        titles(&list(&app, &other, &q("对话")).await),
        vec!["青少年管教：第一次對話"],
        "the new title is searched"
    );
    assert_eq!(list(&app, &other, "topic=parent_child").await["total"], 0);

    let stale = retitle(&app, &worker, &id, form("舊版本", "parent_child", 1)).await;
    assert_eq!(stale.error_code(), "version_conflict");
    let stranger = retitle(&app, &other, &id, form("別人的", "parent_child", 2)).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    let bad = retitle(&app, &worker, &id, form(" ", "no_such_nature", 2)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["fields"]["title"]["code"], "required");
    let unknown = retitle(&app, &worker, &id, form("管教", "no_such_nature", 2)).await;
    assert_eq!(unknown.json()["fields"]["topic"]["code"], "unknown_nature");
    let phone = retitle(
        &app,
        &worker,
        &id,
        form("陳太 9123 4567", "parent_child", 2),
    )
    .await;
    assert_eq!(
        phone.json()["fields"]["title"]["code"],
        "identifies_by_phone"
    );
    let no_topic = retitle(&app, &worker, &id, form("管教", "", 2)).await;
    assert_eq!(no_topic.json()["fields"]["topic"]["code"], "required");

    let locked = lock(&app, &trainer, &changed, true).await.json();
    assert_eq!(
        thread(&app, &worker, &id).await.json()["may_retitle"],
        false
    );
    let refused = retitle(&app, &worker, &id, form("鎖上後", "parent_child", 3)).await;
    assert_eq!(refused.error_code(), "thread_locked");
    assert_eq!(locked["may_retitle"], true);
    let by_moderator = retitle(&app, &trainer, &id, form("青少年管教", "parent_child", 3)).await;
    assert_eq!(
        by_moderator.status,
        StatusCode::OK,
        "{}",
        by_moderator.json()
    );
    assert_eq!(by_moderator.json()["title"], "青少年管教");
    assert!(by_moderator.json()["locked"].is_object(), "still locked");

    assert_eq!(app.count("audit_log WHERE action = 'circle.retitle'"), 2);
    assert_eq!(
        app.count(
            "audit_log WHERE action = 'circle.retitle' AND detail LIKE '%管教%第一次對話%suicide_risk%' \
             AND detail LIKE '%parent_child%'"
        ),
        2,
        "before and after are both kept"
    );
}

async fn threads_are_found_by_the_words_of_their_files_unless_hidden(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other = app.login("worker3").await;
    let trainer = app.login("trainer").await;
    let chinese = start(&app, &worker, "小組工作紙", "parent_child", "附上工作紙。").await;
    let english = start(&app, &worker, "Worksheets", "parent_child", "Attached.").await;
    let hidden = start(&app, &worker, "另一份", "parent_child", "附件如下。").await;
    let file_of = |thread: &Value| thread["opening"]["id"].as_str().unwrap().to_owned();
    let text = "親子溝通練習：情緒溫度計\n".as_bytes().to_vec();
    assert_eq!(
        attach(&app, &worker, &file_of(&chinese), "練習.txt", text)
            .await
            .status,
        StatusCode::CREATED
    );
    let docx = crate::hub::docx(&["Emotion Thermometer for Families", "Round two"]);
    assert_eq!(
        attach(&app, &worker, &file_of(&english), "sheet.docx", docx)
            .await
            .status,
        StatusCode::CREATED
    );
    let answer = reply(&app, &worker, &hidden, "補充。").await.json();
    let secret = "只在隱藏回覆的附件：家庭會議筆記".as_bytes().to_vec();
    let answer_id = answer["id"].as_str().unwrap();
    assert_eq!(
        attach(&app, &worker, answer_id, "筆記.txt", secret)
            .await
            .status,
        StatusCode::CREATED
    );

    // Simplified finds Traditional; any case finds English.
    assert_eq!(
        titles(&list(&app, &other, &q("沟通 温度计")).await),
        vec!["小組工作紙"]
    );
    assert_eq!(
        titles(&list(&app, &other, &q("THERMOMETER families")).await),
        vec!["Worksheets"]
    );
    assert_eq!(
        list(&app, &other, &q("溝通 thermometer")).await["total"],
        0,
        "every word"
    );
    assert_eq!(
        titles(&list(&app, &other, &q("家庭會議")).await),
        vec!["另一份"]
    );

    assert_eq!(
        hide(&app, &trainer, &answer, true, "含個人資料")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        list(&app, &other, &q("家庭會議")).await["total"],
        0,
        "a hidden post's file finds nothing"
    );
    assert_eq!(list(&app, &worker, &q("家庭會議")).await["total"], 0);
    assert_eq!(
        titles(&list(&app, &other, &q("附件如下")).await),
        vec!["另一份"]
    );
}

async fn phones_and_email_addresses_are_refused_by_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let other = app.login("worker3").await;
    let trainer = app.login("trainer").await;
    let refused = app
        .send(
            Method::POST,
            "/api/circle/threads",
            &worker,
            &json!({ "title": "致電 +852 6123-4567", "topic": "parent_child", "body": "電郵 chan.tai@example.com" }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.json()["fields"].clone();
    assert_eq!(fields["title"]["code"], "identifies_by_phone");
    assert_eq!(fields["body"]["code"], "identifies_by_email");
    assert_eq!(app.count("circle_threads"), 0);

    let started = start(
        &app,
        &worker,
        "2023-2024 年度小組檢討",
        "parent_child",
        "晚上 2000-2130 的小組出席較好，費用 $12,345,678 以內。",
    )
    .await;
    let by_phone = reply(&app, &other, &started, "可打 9123 4567 找她").await;
    assert_eq!(by_phone.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        by_phone.json()["fields"]["body"]["code"],
        "identifies_by_phone"
    );
    let by_email = reply(
        &app,
        &other,
        &started,
        "或電郵 ｃｈａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ",
    )
    .await;
    assert_eq!(
        by_email.json()["fields"]["body"]["code"],
        "identifies_by_email"
    );
    let hotline = reply(&app, &other, &started, "社署熱線 2343 2255").await;
    assert_eq!(
        hotline.json()["fields"]["body"]["code"],
        "identifies_by_phone"
    );
    assert_eq!(app.count("circle_posts"), 1, "no reply kept");

    let post_id = started["opening"]["id"].as_str().unwrap();
    let edit = app
        .send(
            Method::PUT,
            &format!("/api/circle/posts/{post_id}"),
            &worker,
            &json!({ "body": "她的手提 61234567", "version": 1 }),
        )
        .await;
    assert_eq!(edit.json()["fields"]["body"]["code"], "identifies_by_phone");
    let report = app
        .send(
            Method::POST,
            &format!("/api/circle/posts/{post_id}/reports"),
            &other,
            &json!({ "reason": "寫了 chan@example.org" }),
        )
        .await;
    assert_eq!(
        report.json()["fields"]["reason"]["code"],
        "identifies_by_email"
    );
    let hiding = hide(&app, &trainer, &started["opening"], true, "電話 2345 6789").await;
    assert_eq!(
        hiding.json()["fields"]["reason"]["code"],
        "identifies_by_phone"
    );
    assert_eq!(
        app.count("audit_log WHERE action LIKE 'circle.%'"),
        1,
        "only the start"
    );
}
