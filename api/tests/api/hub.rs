//! i-Hub: a resource goes from draft to published through review, every change kept as a
//! version; it is found by Chinese and English words (in its files too) by whom its
//! visibility names and nobody else; its files are checked by content; bookmarks and
//! collections are the reader's own.

use std::io::Write;

use actix_web::http::{Method, StatusCode};
use common::identity::Role;
use serde_json::{json, Value};

use crate::helpers::{chinese_pdf, Backend, Reply, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_resource_is_reviewed_published_and_found_by_whom_it_is_for,
    files_are_checked_by_content_searched_and_counted,
    a_chinese_pdf_without_a_to_unicode_map_is_found_by_its_words,
    bookmarks_and_collections_are_the_readers_own,
);

pub(crate) fn resource(title_zh: &str, title_en: &str, topic: &str) -> Value {
    json!({
        "title_zh": title_zh,
        "title_en": title_en,
        "summary_zh": "為處理家庭暴力個案的社工而設的安全計劃工具，附家長練習。",
        "summary_en": "A safety planning tool for workers on family violence cases, with exercises for parents.",
        "resource_type": "practice_tool",
        "topics": [topic],
        "factors": ["family_violence", "social_support"],
        "audiences": ["social_workers", "parents"],
        "languages": ["zh_hant", "en"],
        "licence": "cc_by_nc",
        "authors": "陳美玲; Lau Wing Yan",
        "citation": "",
        "link": "https://example.org/safety-plan",
        "visibility": "all_agencies",
    })
}

pub(crate) async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let made = app.send(Method::POST, "/api/resources", token, &body).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    made.json()
}

async fn step(app: &TestApp, token: &str, resource: &Value, to: &str, note: &str) -> Reply {
    let id = resource["id"].as_str().unwrap();
    let body = json!({ "to": to, "note": note, "version": resource["version"] });
    app.send(
        Method::POST,
        &format!("/api/resources/{id}/status"),
        token,
        &body,
    )
    .await
}

pub(crate) async fn moved(
    app: &TestApp,
    token: &str,
    resource: &Value,
    to: &str,
    note: &str,
) -> Value {
    let reply = step(app, token, resource, to, note).await;
    assert_eq!(reply.status, StatusCode::OK, "{to}: {}", reply.json());
    let moved = reply.json();
    assert_eq!(moved["status"], to);
    moved
}

/// Draft, submitted, approved, published: as the contributor and a reviewer move it.
async fn published(app: &TestApp, contributor: &str, reviewer: &str, body: Value) -> Value {
    let made = create(app, contributor, body).await;
    let submitted = moved(app, contributor, &made, "submitted", "").await;
    let approved = moved(app, reviewer, &submitted, "approved", "").await;
    moved(app, reviewer, &approved, "published", "").await
}

fn ids(results: &Value) -> Vec<String> {
    crate::helpers::item_strings(results, "id")
}

async fn search(app: &TestApp, token: Option<&str>, query: &str) -> Value {
    let reply = app
        .raw(Method::GET, &format!("/api/resources?{query}"), token, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.json());
    reply.json()
}

fn q(words: &str) -> String {
    format!(
        "q={}",
        form_urlencoded::byte_serialize(words.as_bytes()).collect::<String>()
    )
}

async fn a_resource_is_reviewed_published_and_found_by_whom_it_is_for(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let colleague = app.login("worker2").await;
    let reviewer = app.login("resource-admin").await;
    app.add_user(
        "lrc-worker",
        &[Role::SocialWorker],
        "LRC",
        Some("LRC-ST"),
        Some(common::identity::Unit::FamilyCounselling),
    );
    let other_agency = app.login("lrc-worker").await;
    let analyst = app.login("analyst").await;

    let mut bad = resource(" ", "Safety plan", "no_such_nature");
    bad["link"] = json!("example.org");
    bad["audiences"] = json!([]);
    let refused = app
        .send(Method::POST, "/api/resources", &worker, &bad)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = refused.json()["fields"].clone();
    assert_eq!(fields["title_zh"]["code"], "required");
    assert_eq!(fields["link"]["code"], "not_a_link");
    assert_eq!(fields["audiences"]["code"], "required");
    let unknown = app
        .send(
            Method::POST,
            "/api/resources",
            &worker,
            &resource("安全計劃", "Safety plan", "no_such_nature"),
        )
        .await;
    assert_eq!(unknown.json()["fields"]["topics"]["code"], "unknown_nature");
    let by_analyst = app
        .send(
            Method::POST,
            "/api/resources",
            &analyst,
            &resource("安全計劃", "Safety plan", "spouse_battering"),
        )
        .await;
    assert_eq!(by_analyst.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("resources"), 0, "nothing half-written");

    let draft = create(
        &app,
        &worker,
        resource(
            "家庭暴力安全計劃工具",
            "Family violence safety plan",
            "spouse_battering",
        ),
    )
    .await;
    assert_eq!(draft["status"], "draft");
    assert!(draft["agency"]["name_en"].is_string());
    assert_eq!(draft["may"]["steps"], json!(["submitted"]));
    let id = draft["id"].as_str().unwrap().to_owned();
    let path = format!("/api/resources/{id}");
    assert_eq!(
        app.get(&path, &colleague).await.status,
        StatusCode::NOT_FOUND,
        "a draft is its contributor's"
    );
    assert!(ids(&search(&app, Some(&colleague), &q("安全計劃")).await).is_empty());

    let submitted = moved(&app, &worker, &draft, "submitted", "").await;
    let mut edit = resource(
        "家庭暴力安全計劃工具（修訂）",
        "Family violence safety plan",
        "spouse_battering",
    );
    edit["version"] = submitted["version"].clone();
    let locked = app.send(Method::PUT, &path, &worker, &edit).await;
    assert_eq!(locked.status, StatusCode::CONFLICT);
    assert_eq!(locked.error_code(), "resource_not_editable");
    let published_early = step(&app, &worker, &submitted, "published", "").await;
    assert_eq!(published_early.error_code(), "step_not_allowed");
    let queue = search(&app, Some(&reviewer), "status=submitted").await;
    assert_eq!(ids(&queue), vec![id.clone()], "the reviewer's queue");
    let unexplained = step(&app, &reviewer, &submitted, "draft", "").await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unexplained.json()["fields"]["note"]["code"], "required");
    let returned = moved(&app, &reviewer, &submitted, "draft", "請補充參考文獻").await;
    let edited = app
        .send(Method::PUT, &path, &worker, &at_version(&edit, &returned))
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    let edited = edited.json();
    assert_eq!(edited["title_zh"], "家庭暴力安全計劃工具（修訂）");
    let stale = app
        .send(Method::PUT, &path, &worker, &at_version(&edit, &returned))
        .await;
    assert_eq!(stale.error_code(), "version_conflict");
    let resubmitted = moved(&app, &worker, &edited, "submitted", "").await;
    let approved = moved(&app, &reviewer, &resubmitted, "approved", "").await;
    let rated = app
        .send(
            Method::POST,
            &format!("{path}/rating"),
            &reviewer,
            &json!({ "evidence_rating": "supported", "version": approved["version"] }),
        )
        .await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.json());
    let rated = rated.json();
    assert_eq!(rated["evidence"]["rating"], "supported");
    assert_eq!(
        rated["evidence"]["rated_by"]["display_name"],
        "劉穎欣 Lau Wing Yan"
    );
    let by_worker = app
        .send(
            Method::POST,
            &format!("{path}/rating"),
            &worker,
            &json!({ "evidence_rating": "promising", "version": rated["version"] }),
        )
        .await;
    assert_eq!(by_worker.status, StatusCode::FORBIDDEN);
    let live = moved(&app, &reviewer, &rated, "published", "").await;
    assert!(live["published_at"].is_string());

    // Found by words in either script and language, by every agency's staff.
    for words in [
        "家庭暴力",
        "安全計劃",
        "家庭暴力安全",
        "家庭暴力 安全計劃",
        "safety plans",
        "PARENTING",
        "Lau",
    ] {
        let found = search(&app, Some(&colleague), &q(words)).await;
        assert_eq!(ids(&found), vec![id.clone()], "{words}");
    }
    assert!(
        ids(&search(&app, Some(&colleague), &q("暴力家庭")).await).is_empty(),
        "characters in order"
    );
    assert_eq!(
        ids(&search(&app, Some(&other_agency), &q("家庭暴力")).await),
        vec![id.clone()]
    );
    assert!(
        ids(&search(&app, None, &q("家庭暴力")).await).is_empty(),
        "not public"
    );
    assert_eq!(
        app.raw(Method::GET, &path, None, None).await.status,
        StatusCode::NOT_FOUND
    );

    // Facets count what was found, and narrow it.
    let other = published(&app, &colleague, &reviewer, {
        let mut body = resource(
            "親子溝通工作紙",
            "Parent-child talk worksheet",
            "parent_child",
        );
        body["resource_type"] = json!("worksheet");
        body["audiences"] = json!(["parents"]);
        body["summary_zh"] = json!("在家練習的親子溝通活動。");
        body["summary_en"] = json!("Talk activities for parents at home.");
        body
    })
    .await;
    let all = search(&app, Some(&worker), "").await;
    assert_eq!(all["total"], 2);
    assert_eq!(
        all["facets"]["resource_type"],
        json!([{ "value": "practice_tool", "count": 1 }, { "value": "worksheet", "count": 1 }])
    );
    assert_eq!(
        all["facets"]["audience"][0],
        json!({ "value": "parents", "count": 2 })
    );
    assert_eq!(
        all["facets"]["evidence_rating"],
        json!([{ "value": "supported", "count": 1 }])
    );
    assert_eq!(all["agencies"].as_array().unwrap().len(), 1);
    let narrowed = search(&app, Some(&worker), "resource_type=worksheet").await;
    assert_eq!(
        ids(&narrowed),
        vec![other["id"].as_str().unwrap().to_owned()]
    );
    let parents = search(
        &app,
        Some(&worker),
        &format!("{}&audience=parents&sort=relevance", q("parents")),
    )
    .await;
    assert_eq!(parents["total"], 2);
    let bad_sort = app.get("/api/resources?sort=relevance", &worker).await;
    assert_eq!(bad_sort.json()["fields"]["sort"]["code"], "needs_words");
    let bad_facet = app
        .get("/api/resources?resource_type=poster", &worker)
        .await;
    assert_eq!(bad_facet.status, StatusCode::BAD_REQUEST);
    assert!(bad_facet.json()["fields"]["resource_type"].is_object());

    // The reviewer may still correct a published resource; made public, anyone finds it.
    let mut public = resource(
        "家庭暴力安全計劃工具（修訂）",
        "Family violence safety plan",
        "spouse_battering",
    );
    public["visibility"] = json!("public");
    public["version"] = live["version"].clone();
    let opened = app.send(Method::PUT, &path, &reviewer, &public).await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.json());
    assert_eq!(
        ids(&search(&app, None, &q("家庭暴力")).await),
        vec![id.clone()]
    );
    let anonymous = app.raw(Method::GET, &path, None, None).await.json();
    assert_eq!(
        anonymous["may"],
        json!({ "edit": false, "rate": false, "steps": [], "keep": false })
    );
    let mut own = public.clone();
    own["visibility"] = json!("own_agency");
    own["version"] = opened.json()["version"].clone();
    let kept_in = app.send(Method::PUT, &path, &reviewer, &own).await.json();
    assert_eq!(
        app.get(&path, &other_agency).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get(&path, &colleague).await.status, StatusCode::OK);
    assert!(ids(&search(&app, Some(&other_agency), &q("家庭暴力")).await).is_empty());
    let archived = moved(&app, &reviewer, &kept_in, "archived", "").await;
    assert!(ids(&search(&app, Some(&colleague), &q("家庭暴力")).await).is_empty());
    assert_eq!(archived["may"]["steps"], json!(["draft"]));

    let versions = app.get(&format!("{path}/versions"), &worker).await.json();
    let changes: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["change"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        vec![
            "archived",
            "edited",
            "edited",
            "published",
            "rated",
            "approved",
            "submitted",
            "edited",
            "draft",
            "submitted",
            "created"
        ]
    );
    let returned_version = &versions[8];
    assert_eq!(returned_version["note"], "請補充參考文獻");
    assert_eq!(
        returned_version["content"]["title_zh"],
        "家庭暴力安全計劃工具"
    );
    assert_eq!(versions[0]["version"], archived["version"]);
    let audited: i64 = app.count("audit_log WHERE action = 'resource.status'");
    assert_eq!(audited, 9);
}

/// An edit at the version of the resource as read.
fn at_version(edit: &Value, read: &Value) -> Value {
    let mut edit = edit.clone();
    edit["version"] = read["version"].clone();
    edit
}

/// A Word document of these paragraphs.
pub fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

pub(crate) async fn upload(
    app: &TestApp,
    token: &str,
    resource: &Value,
    name: &str,
    bytes: Vec<u8>,
) -> Reply {
    let id = resource["id"].as_str().unwrap();
    let name: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let path = format!(
        "/api/resources/{id}/files?name={name}&version={}",
        resource["version"]
    );
    app.raw(Method::POST, &path, Some(token), Some(bytes)).await
}

async fn files_are_checked_by_content_searched_and_counted(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let reviewer = app.login("resource-admin").await;
    let colleague = app.login("worker2").await;
    let draft = create(
        &app,
        &worker,
        resource("抗逆力小組手冊", "Resilience group manual", "parent_child"),
    )
    .await;

    let exe = upload(
        &app,
        &worker,
        &draft,
        "manual.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00 not a pdf".to_vec(),
    )
    .await;
    assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        exe.json()["fields"]["file"]["code"],
        "unsupported_file_type"
    );
    let empty = upload(&app, &worker, &draft, "x.docx", Vec::new()).await;
    assert_eq!(empty.json()["fields"]["file"]["code"], "required");
    let heavy = upload(
        &app,
        &worker,
        &draft,
        "big.txt",
        vec![b'a'; 3 * 1024 * 1024],
    )
    .await;
    assert_eq!(heavy.status, StatusCode::PAYLOAD_TOO_LARGE);
    let by_colleague = upload(&app, &colleague, &draft, "x.docx", docx(&["x"])).await;
    assert_eq!(
        by_colleague.status,
        StatusCode::NOT_FOUND,
        "a draft is its contributor's"
    );
    assert_eq!(app.count("resource_files"), 0);

    let manual = docx(&["第一節：認識壓力與情緒", "Session one: noticing stress"]);
    let added = upload(
        &app,
        &worker,
        &draft,
        "C:\\docs\\抗逆力 手冊.docx",
        manual.clone(),
    )
    .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let added = added.json();
    let file = added["files"][0].clone();
    assert_eq!(file["file_name"], "抗逆力 手冊.docx");
    assert_eq!(
        file["media_type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(file["size_bytes"], manual.len());
    let stale = upload(&app, &worker, &draft, "again.docx", manual.clone()).await;
    assert_eq!(stale.error_code(), "version_conflict");
    assert_eq!(
        app.count("resource_files"),
        1,
        "a stale upload is not recorded"
    );

    let submitted = moved(&app, &worker, &added, "submitted", "").await;
    let approved = moved(&app, &reviewer, &submitted, "approved", "").await;
    let live = moved(&app, &reviewer, &approved, "published", "").await;
    for words in ["認識壓力", "noticing stress"] {
        assert_eq!(
            ids(&search(&app, Some(&colleague), &q(words)).await),
            vec![live["id"].as_str().unwrap()],
            "{words}"
        );
    }

    let file_path = format!("/api/resource-files/{}", file["id"].as_str().unwrap());
    let got = app.get(&file_path, &colleague).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, manual);
    let disposition = got
        .headers
        .get("content-disposition")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert_eq!(
        app.raw(Method::GET, &file_path, None, None).await.status,
        StatusCode::NOT_FOUND,
        "not public"
    );
    let counted = app
        .get(
            &format!("/api/resources/{}", live["id"].as_str().unwrap()),
            &colleague,
        )
        .await
        .json();
    assert_eq!(counted["files"][0]["downloads"], 1);
    assert_eq!(counted["uses"], 1);
    let most_used = search(&app, Some(&colleague), "sort=most_used").await;
    assert_eq!(most_used["items"][0]["id"], live["id"]);

    let by_worker = app
        .send(
            Method::DELETE,
            &format!("{file_path}?version={}", counted["version"]),
            &worker,
            &json!({}),
        )
        .await;
    assert_eq!(
        by_worker.error_code(),
        "resource_not_editable",
        "published: the reviewer's now"
    );
    let removed = app
        .send(
            Method::DELETE,
            &format!("{file_path}?version={}", counted["version"]),
            &reviewer,
            &json!({}),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.json());
    assert_eq!(removed.json()["files"], json!([]));
    assert!(ids(&search(&app, Some(&colleague), &q("認識壓力")).await).is_empty());
    assert_eq!(
        app.get(&file_path, &colleague).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.count("audit_log WHERE action IN ('resource.file_add', 'resource.file_remove')"),
        2
    );
}

async fn bookmarks_and_collections_are_the_readers_own(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let colleague = app.login("worker2").await;
    let reviewer = app.login("resource-admin").await;
    let first = published(
        &app,
        &worker,
        &reviewer,
        resource("家庭暴力安全計劃工具", "Safety plan", "spouse_battering"),
    )
    .await;
    let mut near = resource(
        "家暴受害人支援指引",
        "Guideline on supporting survivors",
        "spouse_battering",
    );
    near["resource_type"] = json!("guideline");
    let second = published(&app, &worker, &reviewer, near).await;
    let draft = create(
        &app,
        &worker,
        resource("未完成的草稿", "Unfinished draft", "spouse_battering"),
    )
    .await;
    let first_id = first["id"].as_str().unwrap();

    let related = app
        .get(&format!("/api/resources/{first_id}/related"), &colleague)
        .await
        .json();
    assert_eq!(
        related.as_array().unwrap().len(),
        1,
        "a draft is never related"
    );
    assert_eq!(related[0]["id"], second["id"]);

    let marked = app
        .send(
            Method::PUT,
            &format!("/api/resources/{first_id}/bookmark"),
            &colleague,
            &json!({}),
        )
        .await;
    assert_eq!(marked.json()["bookmarked"], true);
    assert_eq!(marked.json()["uses"], 1);
    let again = app
        .send(
            Method::PUT,
            &format!("/api/resources/{first_id}/bookmark"),
            &colleague,
            &json!({}),
        )
        .await;
    assert_eq!(again.json()["uses"], 1, "once per reader");
    let hidden = app
        .send(
            Method::PUT,
            &format!("/api/resources/{}/bookmark", draft["id"].as_str().unwrap()),
            &colleague,
            &json!({}),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    let made = app
        .send(
            Method::POST,
            "/api/hub/collections",
            &colleague,
            &json!({ "name": "小組資源" }),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json());
    let shelf = made.json();
    assert_eq!(shelf["bookmarks"][0]["id"], first["id"]);
    let collection = shelf["collections"][0].clone();
    let cid = collection["id"].as_str().unwrap();
    let twin = app
        .send(
            Method::POST,
            "/api/hub/collections",
            &colleague,
            &json!({ "name": " 小組資源 " }),
        )
        .await;
    assert_eq!(twin.status, StatusCode::CONFLICT);
    assert_eq!(twin.error_code(), "duplicate_name");
    let unnamed = app
        .send(
            Method::POST,
            "/api/hub/collections",
            &colleague,
            &json!({ "name": "" }),
        )
        .await;
    assert_eq!(unnamed.json()["fields"]["name"]["code"], "required");

    let item = format!(
        "/api/hub/collections/{cid}/resources/{}",
        second["id"].as_str().unwrap()
    );
    let collected = app.send(Method::PUT, &item, &colleague, &json!({})).await;
    assert_eq!(collected.status, StatusCode::OK, "{}", collected.json());
    assert_eq!(
        collected.json()["collections"][0]["resources"][0]["id"],
        second["id"]
    );
    assert_eq!(
        app.send(Method::PUT, &item, &worker, &json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "another's collection"
    );
    assert_eq!(
        app.get("/api/hub/shelf", &worker).await.json(),
        json!({ "bookmarks": [], "collections": [] })
    );

    let rename = |version: &Value| json!({ "name": "家暴資源", "version": version });
    let renamed = app
        .send(
            Method::PUT,
            &format!("/api/hub/collections/{cid}"),
            &colleague,
            &rename(&collection["version"]),
        )
        .await;
    assert_eq!(renamed.json()["collections"][0]["name"], "家暴資源");
    let stale = app
        .send(
            Method::PUT,
            &format!("/api/hub/collections/{cid}"),
            &colleague,
            &rename(&collection["version"]),
        )
        .await;
    assert_eq!(stale.error_code(), "version_conflict");
    let out = app
        .send(Method::DELETE, &item, &colleague, &json!({}))
        .await;
    assert_eq!(out.json()["collections"][0]["resources"], json!([]));
    let gone = app
        .send(
            Method::DELETE,
            &format!("/api/hub/collections/{cid}?version=2"),
            &colleague,
            &json!({}),
        )
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.json());
    assert_eq!(gone.json()["collections"], json!([]));
    let unmarked = app
        .send(
            Method::DELETE,
            &format!("/api/resources/{first_id}/bookmark"),
            &colleague,
            &json!({}),
        )
        .await;
    assert_eq!(unmarked.json()["bookmarked"], false);
    assert_eq!(unmarked.json()["uses"], 0);
}

/// An older export's Traditional Chinese, in a font named by its Big5 CMap alone, is read
/// (in the child process) and found.
async fn a_chinese_pdf_without_a_to_unicode_map_is_found_by_its_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let reviewer = app.login("resource-admin").await;
    let colleague = app.login("worker2").await;
    let draft = create(
        &app,
        &worker,
        resource("親職小冊子", "Parenting booklet", "parent_child"),
    )
    .await;
    // 家庭支援 情緒 in Big5.
    let booklet = chinese_pdf("ETen-B5-H", "AE61AE78A4E4B4A920B1A1BAFC");
    let added = upload(&app, &worker, &draft, "小冊子.pdf", booklet).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.json());
    let added = added.json();
    assert_eq!(added["files"][0]["media_type"], "application/pdf");
    let submitted = moved(&app, &worker, &added, "submitted", "").await;
    let approved = moved(&app, &reviewer, &submitted, "approved", "").await;
    let live = moved(&app, &reviewer, &approved, "published", "").await;
    // Only the file has these words (in either script), not the title or the summary.
    for words in ["家庭支援", "情緒", "情绪"] {
        assert_eq!(
            ids(&search(&app, Some(&colleague), &q(words)).await),
            vec![live["id"].as_str().unwrap()],
            "{words}"
        );
    }
}
