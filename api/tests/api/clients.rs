use actix_web::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{client_form, Backend, TestApp};

crate::on_both_backends!(
    register_find_view_and_edit,
    hkid_is_kept_only_masked_and_hashed,
    a_stale_version_gets_409_and_overwrites_nothing,
    concurrent_edits_never_both_win,
    another_centres_client_is_not_found,
    roles_without_record_access_are_refused,
    bad_input_is_a_4xx_naming_the_field_and_writes_nothing,
    duplicate_hkid_in_a_centre_is_a_conflict,
    views_and_changes_are_audited_and_the_trail_is_append_only,
    search_pages_through_results,
    a_search_by_words_counts_at_most_what_its_page_did_not_check,
    search_finds_fragments_through_the_gram_index,
    racing_registrations_of_one_hkid_never_both_succeed,
    text_that_cannot_be_stored_is_a_4xx_naming_where_it_is,
    reads_do_not_wait_for_a_writer,
    a_stored_code_that_no_longer_parses_is_an_error,
    a_family_member_is_known_by_name_sex_and_age,
    person_details_are_kept_and_named_when_wrong,
);

async fn create(app: &TestApp, token: &str, form: &Value) -> Value {
    let reply = app.send(Method::POST, "/api/clients", token, form).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&reply.bytes)
    );
    reply.json()
}

pub(crate) async fn search(app: &TestApp, token: &str, q: &str) -> Vec<String> {
    let reply = app
        .send(
            Method::POST,
            "/api/clients/search",
            token,
            &json!({ "q": q }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    crate::helpers::item_strings(&reply.json(), "id")
}

async fn register_find_view_and_edit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let mut form = client_form("區 詠 芝", "AU Wing Chi");
    form["hkid"] = json!("a123456(3)");
    let created = create(&app, &token, &form).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["name_zh"], "區 詠 芝");
    assert_eq!(created["phone"], "91234567");
    assert_eq!(created["hkid_masked"], "A123***(*)");
    assert_eq!(created["version"], 1);
    assert!(created.get("hkid").is_none());

    for q in [
        "詠",
        "wing chi",
        "AU WING",
        "9123",
        "A123",
        "a1234563",
        "A123456(3)",
    ] {
        assert!(search(&app, &token, q).await.contains(&id), "search {q:?}");
    }
    for q in ["詠芝X", "A124", "A123456(4)"] {
        assert!(!search(&app, &token, q).await.contains(&id), "search {q:?}");
    }
    // LIKE wildcards in a term are taken literally.
    assert!(search(&app, &token, "%").await.is_empty());

    let read = app.get(&format!("/api/clients/{id}"), &token).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json(), created);

    let mut edit = client_form("區詠芝", "AU Wing Chi");
    edit["phone"] = json!("2345 6789");
    edit["version"] = json!(1);
    let updated = app
        .send(Method::PUT, &format!("/api/clients/{id}"), &token, &edit)
        .await;
    assert_eq!(updated.status, StatusCode::OK);
    let updated = updated.json();
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["phone"], "23456789");
    assert_eq!(
        updated["hkid_masked"], "A123***(*)",
        "an omitted HKID is kept"
    );

    edit["hkid"] = json!("");
    edit["version"] = json!(2);
    let cleared = app
        .send(Method::PUT, &format!("/api/clients/{id}"), &token, &edit)
        .await
        .json();
    assert_eq!(cleared["hkid_masked"], Value::Null);
    assert_eq!(cleared["version"], 3);
}

async fn hkid_is_kept_only_masked_and_hashed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let mut form = client_form("陳小明", "CHAN Siu Ming");
    form["hkid"] = json!("Z987654(6)");
    create(&app, &token, &form).await;
    // No column of any table holds the number, in any spelling.
    for table in ["clients", "audit_log"] {
        #[derive(diesel::QueryableByName)]
        struct Dump {
            #[diesel(sql_type = diesel::sql_types::Text)]
            row: String,
        }
        let sql = match table {
            "clients" => "SELECT name_zh || name_en || phone || COALESCE(hkid_masked, '') || COALESCE(hkid_hash, '') || search_text AS row FROM clients",
            _ => "SELECT action || COALESCE(detail, '') AS row FROM audit_log",
        };
        let mut conn = app.conn();
        let rows: Vec<Dump> =
            diesel::RunQueryDsl::load(diesel::sql_query(sql), &mut *conn).unwrap();
        assert!(!rows.is_empty());
        for dump in rows {
            let row = dump.row.to_uppercase();
            assert!(!row.contains("987654"), "{table}: {row}");
        }
    }
}

async fn a_stale_version_gets_409_and_overwrites_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    let created = create(&app, &token, &client_form("何美寶", "HO Mei Po")).await;
    let path = format!("/api/clients/{}", created["id"].as_str().unwrap());

    let mut first = client_form("何美寶", "HO Mei Po");
    first["phone"] = json!("61234567");
    first["version"] = json!(1);
    assert_eq!(
        app.send(Method::PUT, &path, &supervisor, &first)
            .await
            .status,
        StatusCode::OK
    );

    let mut stale = client_form("何美寶", "HO Mei Po");
    stale["phone"] = json!("29999999");
    stale["version"] = json!(1);
    let reply = app.send(Method::PUT, &path, &token, &stale).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.error_code(), "version_conflict");
    let now = app.get(&path, &token).await.json();
    assert_eq!(now["phone"], "61234567");
    assert_eq!(now["version"], 2);

    let mut missing = stale.clone();
    missing.as_object_mut().unwrap().remove("version");
    let reply = app.send(Method::PUT, &path, &token, &missing).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"]["version"]["code"], "required");
}

async fn concurrent_edits_never_both_win(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let created = create(&app, &token, &client_form("", "SINGH Priya")).await;
    let path = format!("/api/clients/{}", created["id"].as_str().unwrap());
    let edits: Vec<_> = (0..12)
        .map(|i| {
            let mut form = client_form("", "SINGH Priya");
            form["phone"] = json!(format!("600000{i:02}"));
            form["version"] = json!(1);
            form
        })
        .collect();
    let replies = futures_util::future::join_all(
        edits
            .iter()
            .map(|form| app.send(Method::PUT, &path, &token, form)),
    )
    .await;
    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let winner = replies
        .iter()
        .find(|r| r.status == StatusCode::OK)
        .unwrap()
        .json();
    let now = app.get(&path, &token).await.json();
    assert_eq!(now["phone"], winner["phone"]);
    assert_eq!(now["version"], 2);
}

async fn another_centres_client_is_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let created = create(&app, &token, &client_form("蔡家寶", "CHOI Ka Po")).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/clients/{id}");
    // Same agency, other centre; and another agency altogether.
    for other in ["worker2", "worker3"] {
        let other = app.login(other).await;
        let read = app.get(&path, &other).await;
        assert_eq!(read.status, StatusCode::NOT_FOUND);
        assert_eq!(read.error_code(), "not_found");
        let mut edit = client_form("X", "X");
        edit["version"] = json!(1);
        assert_eq!(
            app.send(Method::PUT, &path, &other, &edit).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(!search(&app, &other, "蔡家寶")
            .await
            .contains(&id.to_owned()));
    }
    let supervisor = app.login("supervisor").await;
    assert_eq!(app.get(&path, &supervisor).await.status, StatusCode::OK);
    assert_eq!(app.get(&path, &token).await.json()["name_zh"], "蔡家寶");
}

async fn roles_without_record_access_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // An agency admin reads the agency's clients (of its cases) but registers none.
    let agency_admin = app.login("agency-admin").await;
    assert_eq!(
        app.get("/api/clients", &agency_admin).await.status,
        StatusCode::OK
    );
    let create = app
        .send(
            Method::POST,
            "/api/clients",
            &agency_admin,
            &client_form("甲", "A"),
        )
        .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    for username in ["admin", "analyst", "trainer", "learner", "resource-admin"] {
        let token = app.login(username).await;
        let reply = app.get("/api/clients", &token).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{username}");
        assert_eq!(reply.error_code(), "forbidden");
        let create = app
            .send(
                Method::POST,
                "/api/clients",
                &token,
                &client_form("甲", "A"),
            )
            .await;
        assert_eq!(create.status, StatusCode::FORBIDDEN, "{username}");
        let export = app
            .send(Method::POST, "/api/clients/export.xlsx", &token, &json!({}))
            .await;
        assert_eq!(export.status, StatusCode::FORBIDDEN, "{username}");
    }
    // Exporting the whole list is a supervisor's, not every worker's.
    let worker = app.login("worker").await;
    let export = app
        .send(
            Method::POST,
            "/api/clients/export.xlsx",
            &worker,
            &json!({}),
        )
        .await;
    assert_eq!(export.status, StatusCode::FORBIDDEN);
}

async fn bad_input_is_a_4xx_naming_the_field_and_writes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let before = app.count("clients");
    let audit_before = app.count("audit_log");

    let invalid = json!({
        "name_zh": "", "name_en": "", "sex": "F", "date_of_birth": "2999-01-01",
        "phone": "123", "district": "F", "hkid": "A123456(4)"
    });
    let reply = app
        .send(Method::POST, "/api/clients", &token, &invalid)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = reply.json()["fields"].clone();
    for (field, code) in [
        ("name_zh", "name_required"),
        ("name_en", "name_required"),
        ("date_of_birth", "date_in_future"),
        ("phone", "invalid_phone"),
        ("hkid", "hkid_check_digit"),
    ] {
        assert_eq!(fields[field]["code"], code, "{field}: {fields}");
    }

    let too_long = {
        let mut form = client_form(&"長".repeat(51), "X");
        form["name_en"] = json!("y".repeat(101));
        form
    };
    let reply = app
        .send(Method::POST, "/api/clients", &token, &too_long)
        .await;
    assert_eq!(reply.json()["fields"]["name_zh"]["code"], "too_long");
    assert_eq!(reply.json()["fields"]["name_en"]["code"], "too_long");

    let wrong_types = [
        (json!({"sex": "Q"}), "sex"),
        (json!({"district": "I"}), "district"),
        (json!({"ethnicity": "martian"}), "ethnicity"),
        (
            json!({"preferred_language": "klingon"}),
            "preferred_language",
        ),
        (
            json!({"disabilities": ["hearing", "none"]}),
            "disabilities[1]",
        ),
        (json!({"age": "forty"}), "age"),
        (json!({"date_of_birth": "31/12/1980"}), "date_of_birth"),
        (json!({"phone": 91234567}), "phone"),
        (json!({"version": "one"}), "version"),
        (json!({"favourite_colour": "blue"}), "favourite_colour"),
    ];
    for (patch, field) in wrong_types {
        let mut form = client_form("甲", "A");
        for (key, value) in patch.as_object().unwrap() {
            form[key] = value.clone();
        }
        let reply = app.send(Method::POST, "/api/clients", &token, &form).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{field}");
        assert!(
            reply.json()["fields"][field].is_object(),
            "{field}: {}",
            reply.json()
        );
    }

    let malformed = app
        .raw(
            Method::POST,
            "/api/clients",
            Some(&token),
            Some(b"{\"name_zh\": ".to_vec()),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.error_code(), "invalid_json");
    let not_object = app
        .raw(
            Method::POST,
            "/api/clients",
            Some(&token),
            Some(b"[1,2]".to_vec()),
        )
        .await;
    assert_eq!(not_object.status, StatusCode::BAD_REQUEST);

    let huge = json!({ "name_en": "x".repeat(100_000) });
    let reply = app.send(Method::POST, "/api/clients", &token, &huge).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.error_code(), "payload_too_large");

    let mut with_version = client_form("甲", "A");
    with_version["version"] = json!(3);
    let reply = app
        .send(Method::POST, "/api/clients", &token, &with_version)
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"]["version"]["code"], "not_allowed");

    let mut edit = client_form("甲", "A");
    edit["version"] = json!(1);
    let unknown = app
        .send(
            Method::PUT,
            "/api/clients/01234567-0000-7000-8000-000000000000",
            &token,
            &edit,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/clients/%27%3B%20DROP%20TABLE%20clients", &token)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    for query in ["page=0", "page=abc", "per_page=1000", "per_page=-1"] {
        let reply = app.get(&format!("/api/clients?{query}"), &token).await;
        assert!(reply.status.is_client_error(), "{query}: {}", reply.status);
        reply.error_code();
    }
    let long_search = app
        .send(
            Method::POST,
            "/api/clients/search",
            &token,
            &json!({ "q": "x".repeat(51) }),
        )
        .await;
    assert_eq!(long_search.json()["fields"]["q"]["code"], "too_long");
    // A search term never travels in the address, where proxies would log it.
    let term_in_address = app.get("/api/clients?q=chan", &token).await;
    assert_eq!(term_in_address.status, StatusCode::BAD_REQUEST);
    assert!(term_in_address.json()["fields"]["q"].is_object());

    let wrong_method = app
        .raw(Method::DELETE, "/api/clients", Some(&token), None)
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    wrong_method.error_code();

    assert_eq!(app.count("clients"), before);
    // Failed writes leave no trace but the searches that were really made.
    let written = app.count("audit_log WHERE action NOT IN ('client.list', 'auth.login')");
    assert_eq!(written, audit_before - 1, "only the login preceded");
}

async fn duplicate_hkid_in_a_centre_is_a_conflict(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let mut form = client_form("甲", "A");
    form["hkid"] = json!("A123456(3)");
    create(&app, &token, &form).await;
    let again = app.send(Method::POST, "/api/clients", &token, &form).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "duplicate_hkid");
    assert_eq!(again.json()["fields"]["hkid"]["code"], "duplicate_hkid");
    // Another centre keeps its own records: the same person may be known there too.
    let elsewhere = app.login("worker2").await;
    create(&app, &elsewhere, &form).await;
}

async fn views_and_changes_are_audited_and_the_trail_is_append_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let created = create(&app, &token, &client_form("莫", "MOK")).await;
    let id = created["id"].as_str().unwrap();
    app.get(&format!("/api/clients/{id}"), &token).await;
    let mut edit = client_form("莫", "MOK");
    edit["district"] = json!("G");
    edit["version"] = json!(1);
    app.send(Method::PUT, &format!("/api/clients/{id}"), &token, &edit)
        .await;

    #[derive(diesel::QueryableByName, Debug)]
    struct Entry {
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        username: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        ip: Option<String>,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        detail: Option<String>,
    }
    app.reads.flush();
    let mut conn = app.conn();
    let entries: Vec<Entry> = diesel::RunQueryDsl::load(
        diesel::sql_query(format!(
            "SELECT a.action, u.username, a.ip, a.detail FROM audit_log a JOIN users u ON u.id = a.actor_id \
             WHERE a.entity_id = '{id}' ORDER BY a.id"
        )),
        &mut *conn,
    )
    .unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["client.create", "client.view", "client.update"]);
    assert!(entries
        .iter()
        .all(|e| e.username == "worker" && e.ip.as_deref() == Some("127.0.0.1")));
    assert_eq!(
        entries[2].detail.as_deref(),
        Some(r#"{"fields":["district"]}"#)
    );

    use diesel::connection::SimpleConnection;
    assert!(conn
        .batch_execute("UPDATE audit_log SET action = 'x'")
        .is_err());
    assert!(conn.batch_execute("DELETE FROM audit_log").is_err());
    // PostgreSQL's row triggers do not see TRUNCATE; a statement trigger does.
    assert!(conn.batch_execute("TRUNCATE audit_log").is_err());
    drop(conn);
    assert!(app.count("audit_log") >= 4);
}

async fn search_pages_through_results(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let all = app.get("/api/clients?per_page=5", &token).await.json();
    let total = all["total"].as_i64().unwrap();
    assert_eq!(total, 12, "the demo centre's clients");
    let mut seen = Vec::new();
    for page in 1..=3 {
        let reply = app
            .get(&format!("/api/clients?per_page=5&page={page}"), &token)
            .await
            .json();
        assert_eq!(reply["page"], page);
        assert_eq!(reply["total"], total);
        seen.extend(
            reply["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].clone()),
        );
    }
    seen.sort_by_key(|v| v.to_string());
    seen.dedup();
    assert_eq!(seen.len(), 12);
    let beyond = app
        .get("/api/clients?per_page=5&page=4", &token)
        .await
        .json();
    assert_eq!(beyond["items"], json!([]));
}

async fn a_search_by_words_counts_at_most_what_its_page_did_not_check(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let worker = app.login("worker").await;
    let supervisor = app.login("supervisor").await;
    // The oldest has both words, but not side by side: a candidate, not a match.
    app.register(&worker, "何魏堅", "HO NGAI Kin").await;
    for _ in 0..69 {
        app.register(&worker, "魏可欣", "NGAI Ho Yan").await;
    }
    let page = |n: i64| json!({ "q": "ngai ho", "page": n });
    for token in [&worker, &supervisor] {
        let first = app
            .send(Method::POST, "/api/clients/search", token, &page(1))
            .await
            .json();
        assert_eq!(first["items"].as_array().unwrap().len(), 20, "{first}");
        assert_eq!(
            (&first["total"], &first["total_estimated"]),
            (&json!(70), &json!(true)),
            "the newest 64 checked, the 6 older counted as at most: {first}"
        );
        let last = app
            .send(Method::POST, "/api/clients/search", token, &page(4))
            .await
            .json();
        assert_eq!(last["items"].as_array().unwrap().len(), 9, "{last}");
        assert_eq!(
            (&last["total"], &last["total_estimated"]),
            (&json!(69), &json!(false)),
            "every candidate checked: {last}"
        );
        // One word is its own list: exact without a check.
        let one_word = app
            .send(
                Method::POST,
                "/api/clients/search",
                token,
                &json!({ "q": "ngai" }),
            )
            .await
            .json();
        assert_eq!(
            (&one_word["total"], &one_word["total_estimated"]),
            (&json!(70), &json!(false))
        );
    }
}

async fn search_finds_fragments_through_the_gram_index(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    // A worker's search reads their clients; their supervisor's looks the centre up in
    // the index: both find the same.
    let supervisor = app.login("supervisor").await;
    let mut form = client_form("歐陽大文", "AU YEUNG Tai Man");
    form["phone"] = json!("6987 1234");
    let id = create(&app, &token, &form).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for term in [
        "歐陽",
        "大文",
        "歐",
        "陽大文",
        "au",
        "yeung tai",
        "TAI MAN",
        "6987",
        "698712",
    ] {
        assert!(search(&app, &token, term).await.contains(&id), "{term}");
        assert!(
            search(&app, &supervisor, term).await.contains(&id),
            "{term}"
        );
    }
    // Grams in the name, but not in that order: not a match.
    for term in ["歐大", "文大", "man tai", "6988"] {
        assert!(!search(&app, &token, term).await.contains(&id), "{term}");
        assert!(
            !search(&app, &supervisor, term).await.contains(&id),
            "{term}"
        );
    }
    // A new name is found, and the old one not, at once: the lists kept from the
    // searches above are read again after the edit.
    let mut renamed = client_form("司徒大文", "SZETO Tai Man");
    renamed["version"] = json!(1);
    let path = format!("/api/clients/{id}");
    let edited = app.send(Method::PUT, &path, &token, &renamed).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.json());
    for user in [&token, &supervisor] {
        assert!(!search(&app, user, "歐陽").await.contains(&id));
        assert!(search(&app, user, "司徒").await.contains(&id));
    }
    // A client indexed before the index existed is found once the server has migrated.
    for forget in [
        "DELETE FROM search_postings WHERE kind = 'client'",
        "UPDATE clients SET search_seq = NULL",
    ] {
        app.execute(forget);
    }
    assert!(search(&app, &supervisor, "司徒").await.is_empty());
    api::clients::service::index_unindexed(&mut app.conn()).unwrap();
    assert_eq!(search(&app, &supervisor, "司徒").await, vec![id]);
}

async fn racing_registrations_of_one_hkid_never_both_succeed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let forms: Vec<Value> = (0..8)
        .map(|i| {
            let mut form = client_form("", &format!("RACE {i}"));
            form["hkid"] = json!("K123456(0)");
            form
        })
        .collect();
    let replies = futures_util::future::join_all(
        forms
            .iter()
            .map(|form| app.send(Method::POST, "/api/clients", &token, form)),
    )
    .await;
    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1);
    for reply in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert_eq!(reply.error_code(), "duplicate_hkid");
    }
    assert_eq!(app.count("clients WHERE name_en LIKE 'RACE %'"), 1);
}

async fn text_that_cannot_be_stored_is_a_4xx_naming_where_it_is(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let before = app.count("clients");
    let mut form = client_form("", "NUL");
    form["name_en"] = json!("Chan\u{0}Tai Man");
    let reply = app.send(Method::POST, "/api/clients", &token, &form).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.error_code(), "invalid_characters");
    assert!(reply.json()["fields"]["name_en"].is_object());

    let nul_key = app
        .raw(
            Method::POST,
            "/api/clients",
            Some(&token),
            Some(br#"{"name\u0000": "x"}"#.to_vec()),
        )
        .await;
    assert_eq!(nul_key.status, StatusCode::BAD_REQUEST);
    assert_eq!(nul_key.error_code(), "invalid_characters");

    let query = app.get("/api/clients?q=%00", &token).await;
    assert_eq!(query.status, StatusCode::BAD_REQUEST);
    assert!(query.json()["fields"]["q"].is_object());

    for path in ["/api/clients/%00", "/api/clients/a%00b"] {
        let reply = app.get(path, &token).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(reply.json()["fields"]["path"].is_object());
        let edit = app.send(Method::PUT, path, &token, &form).await;
        assert_eq!(edit.status, StatusCode::BAD_REQUEST, "{path}");
    }
    assert_eq!(app.count("clients"), before, "nothing half-written");
}

/// A read takes no write lock: while a writer holds SQLite's, lists and views are still
/// answered (they used to wait out the busy timeout and fail).
async fn reads_do_not_wait_for_a_writer(backend: Backend) {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let created = create(&app, &token, &client_form("讀", "READER")).await;
    let path = format!("/api/clients/{}", created["id"].as_str().unwrap());
    let mut writer = app.conn();
    let begin = match backend {
        crate::helpers::Backend::Sqlite => "BEGIN IMMEDIATE",
        crate::helpers::Backend::Postgres => "BEGIN; LOCK TABLE audit_log IN EXCLUSIVE MODE",
    };
    writer.batch_execute(begin).unwrap();
    assert_eq!(app.get("/api/clients", &token).await.status, StatusCode::OK);
    assert_eq!(app.get(&path, &token).await.status, StatusCode::OK);
    writer.batch_execute("ROLLBACK").unwrap();
    drop(writer);
    assert_eq!(
        app.count("audit_log WHERE action IN ('client.list', 'client.view')"),
        2,
        "the reads are audited once the writer is done"
    );
}

async fn a_stored_code_that_no_longer_parses_is_an_error(backend: Backend) {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let created = create(&app, &token, &client_form("區", "DISTRICT")).await;
    let id = created["id"].as_str().unwrap();
    app.conn()
        .batch_execute(&format!(
            "UPDATE clients SET district = 'Z' WHERE id = '{id}'"
        ))
        .unwrap();
    let reply = app.get(&format!("/api/clients/{id}"), &token).await;
    assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(reply.error_code(), "internal");
}

async fn a_family_member_is_known_by_name_sex_and_age(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let child = create(
        &app,
        &token,
        &json!({ "name_zh": "陳小明", "sex": "M", "age": 9 }),
    )
    .await;
    assert_eq!(child["date_of_birth_estimated"], true);
    assert_eq!(child["phone"], "");
    assert_eq!(child["district"], Value::Null);
    let born = child["date_of_birth"].as_str().unwrap().to_owned();
    let id = child["id"].as_str().unwrap();

    // Saving the same age again keeps the estimate; a date replaces it.
    let edit = json!({ "name_zh": "陳小明", "sex": "M", "age": 9, "school": "  聖保羅  小學 ", "version": 1 });
    let reply = app
        .send(Method::PUT, &format!("/api/clients/{id}"), &token, &edit)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.json());
    assert_eq!(reply.json()["date_of_birth"], born.as_str());
    assert_eq!(reply.json()["school"], "聖保羅 小學");
    let dated =
        json!({ "name_zh": "陳小明", "sex": "M", "date_of_birth": "2017-03-04", "version": 2 });
    let reply = app
        .send(Method::PUT, &format!("/api/clients/{id}"), &token, &dated)
        .await;
    assert_eq!(reply.json()["date_of_birth"], "2017-03-04");
    assert_eq!(reply.json()["date_of_birth_estimated"], false);

    let both = json!({ "name_zh": "陳", "sex": "M", "age": 9, "date_of_birth": "2017-03-04" });
    let reply = app.send(Method::POST, "/api/clients", &token, &both).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.json()["fields"]["age"]["code"], "not_both");
    let neither = json!({ "name_zh": "陳", "sex": "M" });
    let reply = app
        .send(Method::POST, "/api/clients", &token, &neither)
        .await;
    assert_eq!(reply.json()["fields"]["date_of_birth"]["code"], "required");
    let too_old = json!({ "name_zh": "陳", "sex": "M", "age": 200 });
    let reply = app
        .send(Method::POST, "/api/clients", &token, &too_old)
        .await;
    assert_eq!(reply.json()["fields"]["age"]["code"], "out_of_range");
}

async fn person_details_are_kept_and_named_when_wrong(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("worker").await;
    let mut form = client_form("阿米", "AMIR Khan");
    form["ethnicity"] = json!("pakistani");
    form["preferred_language"] = json!("urdu");
    form["disabilities"] = json!(["hearing", "physical", "hearing"]);
    form["arrived_on"] = json!("2022-08-01");
    let created = create(&app, &token, &form).await;
    assert_eq!(created["ethnicity"], "pakistani");
    assert_eq!(created["preferred_language"], "urdu");
    assert_eq!(created["disabilities"], json!(["physical", "hearing"]));
    assert_eq!(created["arrived_on"], "2022-08-01");
    let id = created["id"].as_str().unwrap();
    let read = app.get(&format!("/api/clients/{id}"), &token).await.json();
    assert_eq!(read["disabilities"], json!(["physical", "hearing"]));

    let mut early = client_form("阿米", "AMIR Khan");
    early["arrived_on"] = json!("1900-01-01");
    let reply = app.send(Method::POST, "/api/clients", &token, &early).await;
    assert_eq!(reply.json()["fields"]["arrived_on"]["code"], "before_birth");

    // What changed is audited by field name, never by value.
    let mut edit = client_form("阿米", "AMIR Khan");
    edit["ethnicity"] = json!("indian");
    edit["disabilities"] = json!(["physical", "hearing"]);
    edit["arrived_on"] = json!("2022-08-01");
    edit["preferred_language"] = json!("urdu");
    edit["version"] = json!(1);
    let reply = app
        .send(Method::PUT, &format!("/api/clients/{id}"), &token, &edit)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let updates = format!("audit_log WHERE action = 'client.update' AND entity_id = '{id}'");
    assert_eq!(app.count(&updates), 1);
    let named = format!(
        "{updates} AND detail LIKE '%\"ethnicity\"%' AND detail NOT LIKE '%disabilities%' \
         AND detail NOT LIKE '%indian%'"
    );
    assert_eq!(app.count(&named), 1);
}
