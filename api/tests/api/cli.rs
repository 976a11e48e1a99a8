use std::io::Write;
use std::process::{Command, Output, Stdio};

use api::db::schema::{
    agencies, audit_log, case_events, case_notes, cases, clients, login_throttle, resource_files,
    resources, user_roles,
};
use api::identity::{password, store};
use diesel::prelude::*;

use crate::helpers::{temp_dir, Backend, TestDatabase};

crate::on_both_backends!(
    the_command_line_migrates_seeds_once_and_creates_users,
    a_short_key_stops_the_server_from_starting,
    a_scaled_seed_is_consistent_and_repeatable,
    a_scaled_seed_refuses_a_database_with_clients,
    the_statistics_workbook_is_written_from_the_command_line,
);

fn familylink(
    database: &TestDatabase,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    familylink_with(database, data_dir, args, stdin, &[])
}

fn familylink_with(
    database: &TestDatabase,
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
    env: &[(&str, &str)],
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_familylink"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("FAMILYLINK_DATA_DIR", data_dir.join("data"))
        .env("FAMILYLINK_KEY_DIR", data_dir.join("keys"))
        .envs(env.iter().copied())
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run familylink");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("familylink output")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

async fn the_command_line_migrates_seeds_once_and_creates_users(backend: Backend) {
    let database = TestDatabase::new(backend);
    let data = temp_dir();
    let run = |args: &[&str], stdin: Option<&str>| familylink(&database, &data.0, args, stdin);

    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["seed", "--help"],
        &["user", "create", "--help"],
    ] {
        assert!(stdout(&run(args, None)).contains("Usage"), "{args:?}");
    }
    assert!(stdout(&run(&["migrate"], None)).contains("migrations applied"));
    assert!(!run(&["seed"], None).status.success(), "seed needs --demo");
    assert!(stdout(&run(&["seed", "--demo"], None)).contains("demo data loaded"));
    assert!(stdout(&run(&["seed", "--demo"], None)).contains("not loaded"));

    let create = [
        "user",
        "create",
        "--username",
        "Chan.TM",
        "--display-name",
        "陳大文",
        "--role",
        "supervisor",
        "--role",
        "trainer",
        "--centre",
        "HFS-KT",
        "--unit",
        "family_counselling",
    ];
    assert!(
        !run(&create, Some("short\n")).status.success(),
        "a short password is refused"
    );
    assert!(stdout(&run(&create, Some("a long enough password\n"))).contains("created"));
    assert!(
        !run(&create, Some("a long enough password\n"))
            .status
            .success(),
        "usernames are unique"
    );
    let bad_role = [
        "user",
        "create",
        "--username",
        "x",
        "--display-name",
        "X",
        "--role",
        "boss",
    ];
    assert!(!run(&bad_role, Some("a long enough password\n"))
        .status
        .success());

    let pool = api::db::pool(&database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let user = store::find_by_username(&mut conn, "chan.tm")
        .unwrap()
        .expect("created user");
    let mut roles: Vec<String> = user_roles::table
        .filter(user_roles::user_id.eq(&user.id))
        .select(user_roles::role)
        .load(&mut conn)
        .unwrap();
    roles.sort();
    assert_eq!(roles, ["supervisor", "trainer"]);
    assert!(user.centre_id.is_some() && user.agency_id.is_some() && user.unit_id.is_some());
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(password::verify(
        "a long enough password",
        &user.password_hash
    ));

    assert!(
        stdout(&run(&["user", "deactivate", "--username", "chan.tm"], None))
            .contains("deactivated")
    );
    assert!(
        !store::find_by_username(&mut conn, "chan.tm")
            .unwrap()
            .unwrap()
            .active
    );

    // An account paused after failed sign-ins opens again at the operator's word.
    let user = store::find_by_username(&mut conn, "worker")
        .unwrap()
        .unwrap();
    diesel::insert_into(login_throttle::table)
        .values((
            login_throttle::key.eq(format!("account:{}", user.id)),
            login_throttle::window_start.eq(api::db::now()),
            login_throttle::failures.eq(5_i64),
        ))
        .execute(&mut *conn)
        .unwrap();
    assert!(
        stdout(&run(&["user", "unlock", "--username", "Worker"], None)).contains("may sign in")
    );
    assert_eq!(
        login_throttle::table
            .count()
            .get_result::<i64>(&mut *conn)
            .unwrap(),
        0
    );
    assert!(!run(&["user", "unlock", "--username", "nobody"], None)
        .status
        .success());

    // What the operator did is in the audit trail, as the command line's doing.
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::action.like("user.%"))
        .filter(audit_log::actor_id.is_null())
        .order(audit_log::id)
        .select(audit_log::action)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(actions, ["user.create", "user.deactivate", "user.unlock"]);
}

async fn a_short_key_stops_the_server_from_starting(backend: Backend) {
    let database = TestDatabase::new(backend);
    let data = temp_dir();
    let serve = |env: &[(&str, &str)]| {
        familylink_with(
            &database,
            &data.0,
            &["serve"],
            None,
            &[
                // Should the keys ever pass, binding fails rather than serving forever.
                [("FAMILYLINK_BIND", "not an address")].as_slice(),
                env,
            ]
            .concat(),
        )
    };
    let refused = serve(&[("FAMILYLINK_SECRET", "too short")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at least 32 bytes"));

    std::fs::create_dir_all(data.0.join("keys")).unwrap();
    std::fs::write(data.0.join("keys").join("hkid.key"), "short\n").unwrap();
    let refused = serve(&[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr)
        .contains("hkid.key must hold a key of at least 32 bytes"));
}

/// Keys live apart from the data, and what holds either is its owner's alone.
#[cfg(unix)]
#[test]
fn keys_and_the_database_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let root = temp_dir();
    let (data, keys) = (root.0.join("data"), root.0.join("keys"));
    let mode =
        |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;

    // A key left in the data directory by an earlier version moves, unchanged.
    std::fs::create_dir_all(&data).unwrap();
    let legacy = "0123456789abcdef0123456789abcdef-legacy";
    std::fs::write(data.join("hkid.key"), legacy).unwrap();
    let secrets = api::config::Secrets::load(&keys, &data).unwrap();
    assert_eq!(secrets.hkid_key, legacy.as_bytes());
    assert!(!data.join("hkid.key").exists());
    assert_eq!(mode(&keys), 0o700);
    assert_eq!(mode(&keys.join("secret.key")), 0o600);
    assert!(secrets.token_key.len() >= api::config::KEY_MIN_BYTES);

    let database = root.0.join("db").join("familylink.db");
    drop(api::db::pool(database.to_str().unwrap(), 1).unwrap());
    assert_eq!(mode(&database), 0o600);
    assert_eq!(mode(database.parent().unwrap()), 0o700);
}

/// What a scaled seed generated, to compare two loads: cases with their client, history
/// and notes, and i-Hub's resources (ids included: they come from the seed too).
fn generated(conn: &mut api::db::DbConnection) -> Vec<String> {
    let cases: Vec<(String, String, String, chrono::NaiveDate, String, String)> = cases::table
        .inner_join(clients::table)
        .order(cases::case_number)
        .select((
            cases::id,
            cases::case_number,
            cases::state,
            cases::state_since,
            clients::name_zh,
            clients::name_en,
        ))
        .load(conn)
        .unwrap();
    let events: Vec<(String, i64, String, chrono::NaiveDate)> = case_events::table
        .order((case_events::case_id, case_events::seq))
        .select((
            case_events::case_id,
            case_events::seq,
            case_events::kind,
            case_events::effective_on,
        ))
        .load(conn)
        .unwrap();
    let notes: Vec<(String, String)> = case_notes::table
        .order(case_notes::id)
        .select((case_notes::id, case_notes::narrative))
        .load(conn)
        .unwrap();
    // Without the downloads counted: the test downloads the seeded files before comparing.
    let shelf: Vec<(String, String, String, String)> = resources::table
        .order(resources::id)
        .select((
            resources::id,
            resources::title_zh,
            resources::status,
            resources::visibility,
        ))
        .load(conn)
        .unwrap();
    cases
        .iter()
        .map(|c| format!("{c:?}"))
        .chain(shelf.iter().map(|r| format!("{r:?}")))
        .chain(events.iter().map(|e| format!("{e:?}")))
        .chain(notes.iter().map(|n| format!("{n:?}")))
        .collect()
}

async fn a_scaled_seed_is_consistent_and_repeatable(backend: Backend) {
    let database = TestDatabase::new(backend);
    let data = temp_dir();
    let loaded = stdout(&familylink(
        &database,
        &data.0,
        &["seed", "--scale", "0.002", "--seed", "5"],
        None,
    ));
    assert!(loaded.contains("loaded"), "{loaded}");
    let pool = api::db::pool(&database.url, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let conn = &mut *conn;
    let count = |conn: &mut api::db::DbConnection, sql: &str| -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {sql}"))
            .get_result::<Count>(conn)
            .unwrap()
            .n
    };

    // 26 centres of 12 agencies; 35,706 cases and about 173,000 persons at scale 1.
    assert_eq!(count(conn, "agencies"), 12);
    assert_eq!(count(conn, "centres"), 26);
    assert_eq!(count(conn, "cases"), 71);
    // About 2,000 i-Hub resources at scale 1, each with its versions from its creation.
    assert_eq!(count(conn, "resources"), 4);
    assert_eq!(
        count(
            conn,
            "resources r WHERE r.version <> (SELECT COUNT(*) FROM resource_versions v \
             WHERE v.resource_id = r.id)"
        ),
        0
    );
    let persons = count(conn, "clients") - 36; // the demo's
    assert!((300..=460).contains(&persons), "{persons} persons");
    assert_eq!(
        count(conn, "(SELECT DISTINCT district FROM centres) AS d"),
        18
    );

    // Every client is indexed as a registration would index them.
    assert!(api::clients::store::unindexed(conn, "", 10)
        .unwrap()
        .is_empty());
    // Every generated person lives in a household, the principal first.
    assert_eq!(
        count(
            conn,
            "clients WHERE id NOT IN (SELECT client_id FROM household_memberships)"
        ),
        36
    );
    assert_eq!(
        count(
            conn,
            "households h WHERE NOT EXISTS (SELECT 1 FROM household_memberships m \
             WHERE m.household_id = h.id AND m.relationship = 'principal')"
        ),
        0
    );

    // Every case's history starts with its registration, goes forward in time within
    // the four financial years, and ends in the case's state.
    let histories: Vec<(String, String, chrono::NaiveDate, String)> = cases::table
        .select((
            cases::id,
            cases::state,
            cases::state_since,
            cases::case_number,
        ))
        .load(conn)
        .unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(2018, 4, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(2022, 3, 31).unwrap();
    for (id, state, since, number) in &histories {
        let events: Vec<(i64, String, String, chrono::NaiveDate)> = case_events::table
            .filter(case_events::case_id.eq(id))
            .order(case_events::seq)
            .select((
                case_events::seq,
                case_events::kind,
                case_events::state,
                case_events::effective_on,
            ))
            .load(conn)
            .unwrap();
        assert_eq!(events[0].1, "registered", "{number}");
        assert!(events.windows(2).all(|w| w[0].3 <= w[1].3), "{number}");
        assert!(events.iter().enumerate().all(|(i, e)| e.0 == i as i64 + 1));
        assert!(events.iter().all(|e| (first..=last).contains(&e.3)));
        let (_, _, last_state, last_day) = events.last().unwrap();
        assert_eq!((last_state, last_day), (state, since), "{number}");
    }
    // Case numbers count up per centre and year, as the counters say.
    assert_eq!(
        count(
            conn,
            "case_counters k WHERE k.last_number <> (SELECT COUNT(*) FROM cases c \
             WHERE c.centre_id = k.centre_id AND c.case_number LIKE '%-' || k.year || '-%')"
        ),
        0
    );
    // Every closure was approved; nothing was sent before consent.
    assert_eq!(
        count(
            conn,
            "case_events e WHERE e.kind = 'closed' AND NOT EXISTS (SELECT 1 FROM \
             case_closure_requests r WHERE r.case_id = e.case_id AND r.closed_on = e.effective_on \
             AND r.status = 'approved')"
        ),
        0
    );
    assert_eq!(
        count(
            conn,
            "referrals WHERE sent_on IS NOT NULL AND (consented_on IS NULL OR consented_on > sent_on)"
        ),
        0
    );
    assert!(count(conn, "case_notes") > 71);

    // Groups, programmes and events: each mark is a member's of the session's activity,
    // none after they left, members were registered before they asked, and nobody
    // enrols in a community event.
    assert!(count(conn, "activities") > 0);
    assert!(count(conn, "attendance") > 0);
    let marked = "attendance a JOIN activity_sessions s ON s.id = a.session_id \
                  JOIN enrolments e ON e.id = a.enrolment_id";
    assert_eq!(
        count(
            conn,
            &format!("{marked} WHERE e.activity_id <> s.activity_id OR e.client_id <> a.client_id")
        ),
        0
    );
    assert_eq!(
        count(
            conn,
            &format!("{marked} WHERE e.withdrawn_at IS NOT NULL AND s.starts_at > e.withdrawn_at")
        ),
        0
    );
    assert_eq!(
        count(
            conn,
            "enrolments e JOIN clients c ON c.id = e.client_id WHERE c.created_at > e.requested_at"
        ),
        0
    );
    assert_eq!(
        count(
            conn,
            "enrolments e JOIN activities a ON a.id = e.activity_id WHERE a.kind = 'community_event'"
        ),
        0
    );

    // Some open cases are shared for a colleague to read, and every case's reach is what
    // the app would write for it.
    assert!(count(conn, "case_shares") > 0);
    {
        use api::db::schema::{case_reach, held_cases};
        type Reach = (String, String, String, String, bool, Option<i64>);
        let reach_of = |conn: &mut api::db::DbConnection| -> Vec<Reach> {
            case_reach::table
                .order((
                    case_reach::user_id,
                    case_reach::case_id,
                    case_reach::client_id,
                ))
                .select((
                    case_reach::user_id,
                    case_reach::case_id,
                    case_reach::client_id,
                    case_reach::centre_id,
                    case_reach::shared,
                    case_reach::search_seq,
                ))
                .load(conn)
                .unwrap()
        };
        type Held = (String, String, bool, String, chrono::NaiveDateTime);
        let held_of = |conn: &mut api::db::DbConnection| -> Vec<Held> {
            held_cases::table
                .order((held_cases::user_id, held_cases::case_id))
                .select((
                    held_cases::user_id,
                    held_cases::case_id,
                    held_cases::shared,
                    held_cases::centre_id,
                    held_cases::updated_at,
                ))
                .load(conn)
                .unwrap()
        };
        use api::db::schema::clients;
        let marked_of = |conn: &mut api::db::DbConnection| -> Vec<String> {
            clients::table
                .filter(clients::on_sensitive_case.eq(true))
                .order(clients::id)
                .select(clients::id)
                .load(conn)
                .unwrap()
        };
        let seeded = reach_of(conn);
        let held = held_of(conn);
        let marked = marked_of(conn);
        assert!(seeded.iter().any(|r| r.4), "a share in the reach");
        assert!(!marked.is_empty(), "people of sensitive cases marked");
        for (id, ..) in &histories {
            api::cases::store::refresh_reach(conn, id).unwrap();
        }
        assert_eq!(reach_of(conn), seeded);
        assert_eq!(held_of(conn), held);
        assert_eq!(marked_of(conn), marked);
    }

    // Some notes carry a correction, made by their author after the edit window, and
    // are found by its words.
    assert!(count(conn, "case_note_corrections") > 0);
    assert_eq!(
        count(
            conn,
            "case_note_corrections k JOIN case_notes n ON n.id = k.note_id \
             WHERE k.author_id <> n.author_id OR k.created_at < n.created_at + INTERVAL '3 days' \
             OR n.search_text NOT LIKE '%' || substr(k.narrative, 4, 6) || '%'"
                .replace(
                    "n.created_at + INTERVAL '3 days'",
                    if matches!(backend, Backend::Sqlite) {
                        "datetime(n.created_at, '+3 days')"
                    } else {
                        "n.created_at + INTERVAL '3 days'"
                    },
                )
                .as_str()
        ),
        0
    );

    // School-age children have a school, nobody else.
    assert!(count(conn, "clients WHERE school <> ''") > 0);
    assert_eq!(
        count(
            conn,
            "clients WHERE school <> '' AND (date_of_birth > '2018-03-31' OR date_of_birth < '1998-01-01')"
        ),
        0
    );

    // The front desk's enquiries: anonymous, each with a topic, within the four years,
    // recorded by a worker of the centre.
    assert!(count(conn, "enquiries") > 0);
    assert_eq!(
        count(
            conn,
            "enquiries e WHERE NOT EXISTS (SELECT 1 FROM enquiry_topics t WHERE t.enquiry_id = e.id) \
             OR e.received_at < '2018-03-31' OR e.received_at >= '2022-04-01' OR e.client_id IS NOT NULL \
             OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.recorded_by AND u.centre_id = e.centre_id)"
        ),
        0
    );

    // Measures before and after service: of a case's client within it, or of a group's
    // member within it (this scale has no group), each after-service measure following
    // one before it in the same place, every one scored, and none raising an alert.
    assert!(
        count(
            conn,
            "assessments WHERE case_id IS NOT NULL AND stage = 'post'"
        ) > 0
    );
    assert_eq!(
        count(
            conn,
            "assessments a WHERE (a.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM cases c \
             WHERE c.id = a.case_id AND c.client_id = a.client_id)) OR (a.activity_id IS NOT \
             NULL AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.activity_id = a.activity_id \
             AND e.client_id = a.client_id))"
        ),
        0
    );
    assert_eq!(
        count(
            conn,
            "assessments a WHERE a.stage = 'post' AND NOT EXISTS (SELECT 1 FROM assessments b \
             WHERE b.stage = 'pre' AND b.client_id = a.client_id AND b.instrument = a.instrument \
             AND (b.case_id = a.case_id OR b.activity_id = a.activity_id) \
             AND b.administered_on < a.administered_on)"
        ),
        0
    );
    assert_eq!(
        count(
            conn,
            "assessments a WHERE NOT EXISTS (SELECT 1 FROM assessment_scores s \
             WHERE s.assessment_id = a.id)"
        ),
        0
    );
    assert_eq!(count(conn, "assessment_alerts"), 0);

    // The demo's users still sign in, and find their casework: the supervisor, their
    // centre's (at this scale a worker may have no case).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = listener.local_addr().unwrap().to_string();
    drop(listener);
    let mut server = Command::new(env!("CARGO_BIN_EXE_familylink"))
        .arg("serve")
        .env("DATABASE_URL", &database.url)
        .env("FAMILYLINK_DATA_DIR", data.0.join("data"))
        .env("FAMILYLINK_KEY_DIR", data.0.join("keys"))
        .env("FAMILYLINK_DIST", data.0.join("no-dist"))
        .env("FAMILYLINK_BIND", &bind)
        .env("RUST_LOG", "error")
        .spawn()
        .expect("run familylink serve");
    let http = awc::Client::default();
    let mut token = None;
    for _ in 0..100 {
        let login = http
            .post(format!("http://{bind}/api/auth/login"))
            .send_json(&serde_json::json!({
                "username": "supervisor",
                "password": api::seed::DEMO_PASSWORD,
            }))
            .await;
        if let Ok(mut reply) = login {
            assert!(reply.status().is_success(), "{:?}", reply.status());
            let body: serde_json::Value = reply.json().await.unwrap();
            token = body["token"].as_str().map(str::to_owned);
            break;
        }
        actix_rt::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let token = token.expect("the demo supervisor signs in");
    let mut cases = http
        .get(format!("http://{bind}/api/cases"))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .send()
        .await
        .unwrap();
    assert!(cases.status().is_success());
    let cases: serde_json::Value = cases.json().await.unwrap();
    // A generated client is found by name through the search index.
    let (client_id, name_zh, name_en): (String, String, String) = cases::table
        .inner_join(clients::table)
        .filter(cases::case_number.like("HFS-SSP-%"))
        .order(cases::case_number)
        .select((clients::id, clients::name_zh, clients::name_en))
        .first(conn)
        .unwrap();
    let term = if name_zh.is_empty() { name_en } else { name_zh };
    let mut found = http
        .post(format!("http://{bind}/api/clients/search"))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .send_json(&serde_json::json!({ "q": term }))
        .await
        .unwrap();
    assert!(found.status().is_success());
    let found: serde_json::Value = found.json().await.unwrap();
    // The hub's index is built from the seeded shelf: each published resource the
    // supervisor (of HFS) sees is found by its Chinese title and by its file's English
    // words, and its file comes back from the store as seeded.
    let shelf: Vec<(String, String, String)> = resources::table
        .inner_join(agencies::table.on(agencies::id.eq(resources::agency_id)))
        .filter(resources::status.eq("published"))
        .filter(
            resources::visibility
                .ne("own_agency")
                .or(agencies::code.eq("HFS")),
        )
        .order(resources::id)
        .select((resources::id, resources::title_zh, resources::title_en))
        .load(conn)
        .unwrap();
    assert!(
        !shelf.is_empty(),
        "a published resource the supervisor sees"
    );
    for (id, title_zh, title_en) in &shelf {
        let (file_id, text): (String, String) = resource_files::table
            .filter(resource_files::resource_id.eq(id))
            .order(resource_files::id)
            .select((resource_files::id, resource_files::extracted_text))
            .first(conn)
            .unwrap_or_else(|_| (String::new(), title_en.clone()));
        let english = text.lines().last().unwrap().to_owned();
        for words in [title_zh.as_str(), english.as_str()] {
            let query: String = form_urlencoded::byte_serialize(words.as_bytes()).collect();
            let mut reply = http
                .get(format!(
                    "http://{bind}/api/resources?q={query}&per_page=100"
                ))
                .insert_header(("Authorization", format!("Bearer {token}")))
                .send()
                .await
                .unwrap();
            assert!(reply.status().is_success(), "{words}");
            let hits: serde_json::Value = reply.json().await.unwrap();
            assert!(
                hits["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r["id"] == id.as_str()),
                "{words}: {hits}"
            );
        }
        if !file_id.is_empty() {
            let mut file = http
                .get(format!("http://{bind}/api/resource-files/{file_id}"))
                .insert_header(("Authorization", format!("Bearer {token}")))
                .send()
                .await
                .unwrap();
            assert!(file.status().is_success(), "{file_id}");
            assert_eq!(file.body().await.unwrap(), text.as_bytes());
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(cases["total"].as_i64().unwrap() > 0, "{cases}");
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == client_id.as_str()),
        "{term}: {found}"
    );

    // The same seed gives the same data; another seed, other data.
    let again = TestDatabase::new(backend);
    let run = |database: &TestDatabase, seed: &str| {
        stdout(&familylink(
            database,
            &data.0,
            &["seed", "--scale", "0.002", "--seed", seed],
            None,
        ));
        let pool = api::db::pool(&database.url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        generated(&mut conn)
    };
    let first_load = generated(conn);
    assert_eq!(run(&again, "5"), first_load);
    let other = TestDatabase::new(backend);
    assert_ne!(run(&other, "6"), first_load);
}

async fn a_scaled_seed_refuses_a_database_with_clients(backend: Backend) {
    let database = TestDatabase::new(backend);
    let data = temp_dir();
    let run = |args: &[&str]| familylink(&database, &data.0, args, None);
    assert!(!run(&["seed", "--scale", "0"]).status.success());
    assert!(!run(&["seed", "--demo", "--scale", "1"]).status.success());
    stdout(&run(&["seed", "--demo"]));
    let refused = run(&["seed", "--scale", "0.001"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("already holds clients"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let pool = api::db::pool(&database.url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    assert_eq!(
        cases::table.count().get_result::<i64>(&mut *conn).unwrap(),
        0
    );
    assert_eq!(
        api::db::schema::centres::table
            .count()
            .get_result::<i64>(&mut *conn)
            .unwrap(),
        4
    );
}

async fn the_statistics_workbook_is_written_from_the_command_line(backend: Backend) {
    let database = TestDatabase::new(backend);
    let data = temp_dir();
    let run = |args: &[&str]| familylink(&database, &data.0, args, None);
    stdout(&run(&["seed", "--demo"]));
    let file = data.0.join("statistics.xlsx");
    let path = file.to_str().unwrap();
    let said = stdout(&run(&[
        "statistics",
        "--year",
        "2025",
        "--quarter",
        "3",
        "--out",
        path,
    ]));
    assert!(
        said.contains("centres, 2025-26 Q3 (October to December 2025): SQL "),
        "{said}"
    );
    use calamine::Reader;
    let book: calamine::Xlsx<_> = calamine::open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names().len(), 12);
    let wrong = run(&[
        "statistics",
        "--year",
        "2025",
        "--quarter",
        "5",
        "--out",
        path,
    ]);
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("quarter"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
}
